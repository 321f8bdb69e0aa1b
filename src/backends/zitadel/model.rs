//! The ZITADEL app and project as the rest of the program sees them, and their `--json` form.
//!
//! Neutral of the wire: enums are plain Rust enums, dates are the server's RFC 3339 text, and
//! serialization writes the command line's contract (`appId`, `clientId`, `name`,
//! `state` = `active`|`inactive`, `authMethod` = `basic`|`private-key-jwt`).

use serde::Serialize;

use crate::secret::{self, Secret};

pub use crate::backends::model::{AppKind, AppState, AuthMethod};

/// An application of a ZITADEL project. It never holds a secret: ZITADEL shows one only when it
/// is created or regenerated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZitadelApp {
    pub app_id: String,
    /// Opaque text: numeric on current instances, `<number>@<project>` on older ones; empty for
    /// SAML apps.
    pub client_id: String,
    pub name: String,
    pub state: AppState,
    #[serde(rename = "type")]
    pub kind: AppKind,
    /// Set for API apps; `None` for other kinds, or an API method this client does not know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_method: Option<AuthMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
}

/// Whether a project is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProjectState {
    Active,
    Inactive,
}

/// A project of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZitadelProject {
    pub id: String,
    pub name: String,
    pub state: ProjectState,
}

/// One page of a project's apps.
#[derive(Debug, Clone, Default)]
pub struct AppPage {
    pub apps: Vec<ZitadelApp>,
    /// The server's count; missing on a page past the end.
    pub total: Option<u64>,
}

/// A newly created API app, with its secret (BASIC only) shown this once.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedApp {
    pub app_id: String,
    pub client_id: String,
    pub name: String,
    pub state: AppState,
    pub auth_method: AuthMethod,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "secret::serialize_exposed_opt"
    )]
    pub client_secret: Option<Secret>,
}

impl CreatedApp {
    /// The app as a list shows it, without the secret.
    pub fn app(&self) -> ZitadelApp {
        ZitadelApp {
            app_id: self.app_id.clone(),
            client_id: self.client_id.clone(),
            name: self.name.clone(),
            state: self.state,
            kind: AppKind::Api,
            auth_method: Some(self.auth_method),
            created: None,
            changed: None,
        }
    }
}

/// What a rename did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameOutcome {
    Renamed,
    /// The app already had this name: nothing to change.
    Unchanged,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_uses_the_command_line_contract() {
        let app = ZitadelApp {
            app_id: "1".into(),
            client_id: "2".into(),
            name: "billing".into(),
            state: AppState::Inactive,
            kind: AppKind::Api,
            auth_method: Some(AuthMethod::PrivateKeyJwt),
            created: None,
            changed: None,
        };
        assert_eq!(
            serde_json::to_value(&app).unwrap(),
            serde_json::json!({"appId":"1","clientId":"2","name":"billing","state":"inactive",
                "type":"api","authMethod":"private-key-jwt"})
        );
    }

    #[test]
    fn created_app_prints_its_secret_only_in_json() {
        let created = CreatedApp {
            app_id: "1".into(),
            client_id: "2".into(),
            name: "billing".into(),
            state: AppState::Active,
            auth_method: AuthMethod::Basic,
            client_secret: Some(Secret::new("FAKE_secret_value")),
        };
        assert!(!format!("{created:?}").contains("FAKE_secret"));
        let json = serde_json::to_value(&created).unwrap();
        assert_eq!(json["clientSecret"], "FAKE_secret_value");
        assert_eq!(json["authMethod"], "basic");
        let keys = CreatedApp {
            auth_method: AuthMethod::PrivateKeyJwt,
            client_secret: None,
            ..created
        };
        assert!(
            serde_json::to_value(&keys)
                .unwrap()
                .get("clientSecret")
                .is_none()
        );
    }
}
