//! The one app record every backend answers with, and the words shared by all of them: an
//! app's state, how it authenticates, a scope (a ZITADEL project), a new app and its secret.
//! Views and the command line name these types, never a backend's wire types.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::secret::Secret;

// An OIDC app's settings (redirect URIs, providers, workflows, webhook) are modelled as Hopae's
// Workspace API describes them; they are the console's vocabulary for those ideas.
pub use crate::backends::hopae::api::{
    Answer, App as OidcApp, Extra, Node, NodeType, ProviderStatus, Providers, WebhookConfig,
    WebhookPatch, Workflow,
};

/// An app of any backend. `id` is what every operation addresses it by (Hopae: the client id;
/// ZITADEL: the app id); the sections say what only some backends have.
#[derive(Debug, Clone)]
pub struct App {
    pub id: String,
    /// What the app signs in with; may be empty (a ZITADEL SAML app has none).
    pub client_id: String,
    pub name: String,
    /// Apps with OIDC settings: redirect URIs, providers, workflows, webhook.
    pub oidc: Option<Arc<OidcApp>>,
    /// Apps that can be deactivated, choose an auth method, or are of several kinds.
    pub api: Option<ApiAppInfo>,
}

/// What a project's application adds: whether it accepts logins, its kind and auth method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAppInfo {
    pub state: AppState,
    pub kind: AppKind,
    /// Set for API apps; `None` for other kinds, or a method this client does not know.
    pub auth_method: Option<AuthMethod>,
    pub created: Option<String>,
    pub changed: Option<String>,
}

impl App {
    /// An app with only the shared fields (tests, and answers that carry nothing more).
    pub fn bare(
        id: impl Into<String>,
        client_id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            client_id: client_id.into(),
            name: name.into(),
            oidc: None,
            api: None,
        }
    }

    pub fn redirect_uris(&self) -> &[String] {
        self.oidc.as_deref().map_or(&[], |o| &o.redirect_uris)
    }

    pub fn workflows(&self) -> &[Workflow] {
        self.oidc.as_deref().map_or(&[], |o| &o.workflows)
    }

    pub fn webhook(&self) -> Option<&WebhookConfig> {
        self.oidc.as_deref().and_then(|o| o.webhook_config.as_ref())
    }

    /// The default workflow if the app names one and it is present, else the first.
    pub fn default_workflow(&self) -> Option<&Workflow> {
        self.oidc.as_deref().and_then(OidcApp::default_workflow)
    }

    /// Ids of the providers enabled on this app, in id order.
    pub fn enabled_providers(&self) -> Vec<&str> {
        self.oidc
            .as_deref()
            .map(OidcApp::enabled_providers)
            .unwrap_or_default()
    }

    pub fn state(&self) -> Option<AppState> {
        self.api.as_ref().map(|a| a.state)
    }

    pub fn auth_method(&self) -> Option<AuthMethod> {
        self.api.as_ref().and_then(|a| a.auth_method)
    }

    /// Whether a new secret can be issued for it: apps without an auth method always can; an
    /// API app only with BASIC; other kinds never.
    pub fn has_secret(&self) -> bool {
        match &self.api {
            None => true,
            Some(api) => api.kind == AppKind::Api && api.auth_method == Some(AuthMethod::Basic),
        }
    }
}

/// A scope apps live in (a ZITADEL project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub id: String,
    pub name: String,
    pub active: bool,
}

/// What a create asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApp {
    pub name: String,
    /// Sent where creates are idempotent, so a retry never makes a second app.
    pub idempotency_key: String,
    /// Where apps choose how they authenticate.
    pub auth_method: Option<AuthMethod>,
}

/// A new app and, when it has one, its secret: shown this once.
#[derive(Debug, Clone)]
pub struct Created {
    pub app: App,
    pub secret: Option<Secret>,
    /// The server's id of the request that made it, to quote to support.
    pub request_id: Option<String>,
    /// A step asked for with the create that failed after the app was made (its redirect
    /// URIs), in words; the app and its secret stand.
    pub follow_up_error: Option<String>,
}

/// Whether an app accepts logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppState {
    Active,
    Inactive,
}

impl AppState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
        }
    }
}

/// How an app authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuthMethod {
    /// Client id and secret (HTTP Basic). The only method with a secret.
    #[serde(rename = "basic")]
    Basic,
    /// A JWT signed with one of the app's keys; no secret.
    #[serde(rename = "private-key-jwt")]
    PrivateKeyJwt,
}

impl AuthMethod {
    /// The name used on the command line and in `--json`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::PrivateKeyJwt => "private-key-jwt",
        }
    }

    /// Whether apps with this method have a client secret.
    pub fn has_secret(self) -> bool {
        self == Self::Basic
    }
}

impl fmt::Display for AuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which kind of application this is. The console manages API apps; a project's other apps
/// are listed because they share the project's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppKind {
    Api,
    Oidc,
    Saml,
    /// A configuration this client does not know.
    Unknown,
}

impl AppKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Api => "API",
            Self::Oidc => "OIDC",
            Self::Saml => "SAML",
            Self::Unknown => "other",
        }
    }
}
