//! Bodies of the single-app write calls, and the answers that are not a whole app.

use serde::{Deserialize, Serialize};

use super::json::null_as_default;
use crate::secret::Secret;

/// Body of `POST /apps`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CreateApp {
    pub name: String,
}

/// Body of `PATCH /apps/{id}` as this client sends it: never `clientId` or `clientSecret`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UpdateApp {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uris: Option<Vec<String>>,
    /// Merged into the stored config by the server: only the fields set here change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_config: Option<WebhookPatch>,
}

/// The changed fields of a webhook config, for `PATCH /apps/{id}` (the API merges them).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WebhookPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
}

/// Body of `PUT /apps/{id}/redirect-uris`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceRedirectUris {
    pub redirect_uris: Vec<String>,
}

/// Response of `POST /apps/{id}/rotate-client-secret`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotatedSecret {
    #[serde(alias = "client_secret")]
    pub client_secret: Secret,
}

/// Response of `POST /apps/{id}/webhook-config/rotate-secret`: `{secret}` (`whsec_…`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotatedWebhookSecret {
    #[serde(alias = "webhookSecret", alias = "webhook_secret")]
    pub secret: Secret,
}

/// Response of `PUT /apps/{id}/redirect-uris`: `{redirectUris}` or Gen-1 `{redirect_uris, total}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectUrisResponse {
    #[serde(alias = "redirect_uris", default, deserialize_with = "null_as_default")]
    pub redirect_uris: Vec<String>,
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_app_sends_only_the_name() {
        let body = UpdateApp {
            name: Some("New name".into()),
            ..UpdateApp::default()
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"name": "New name"})
        );
    }
}
