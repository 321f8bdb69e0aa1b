//! The app (OIDC client) model, in both the Gen-2 camelCase and the Gen-1 snake_case shapes.

use serde::{Deserialize, Serialize};

use super::json::{Extra, compact_list};
use super::providers::{Providers, deserialize_providers};
use super::webhook::WebhookConfig;
use super::workflow::Workflow;
use crate::secret::{self, Secret};

/// An app (OIDC client) of the workspace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct App {
    #[serde(alias = "client_id")]
    pub client_id: String,
    #[serde(
        alias = "client_secret",
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "secret::serialize_exposed_opt"
    )]
    pub client_secret: Option<Secret>,
    #[serde(default)]
    pub name: String,
    #[serde(alias = "redirect_uris", default, deserialize_with = "compact_list")]
    pub redirect_uris: Vec<String>,
    /// Gen-2 map keyed by provider id; Gen-1 `verification.providers[]` is folded into it.
    #[serde(
        default,
        alias = "verification",
        deserialize_with = "deserialize_providers",
        skip_serializing_if = "Providers::is_empty"
    )]
    pub providers: Providers,
    #[serde(
        alias = "default_workflow_id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_workflow_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "compact_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub workflows: Vec<Workflow>,
    #[serde(
        alias = "organization_id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<String>,
    #[serde(
        alias = "webhook_config",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub webhook_config: Option<WebhookConfig>,
    /// Fields this client does not model (Gen-1 `branding`, `created_at`, future additions).
    #[serde(flatten)]
    pub extra: Extra,
}

impl App {
    /// The same app with its client secret removed, for lists and detail output.
    pub fn without_secret(&self) -> App {
        App {
            client_secret: None,
            ..self.clone()
        }
    }

    /// Ids of the providers enabled on this app, in id order.
    pub fn enabled_providers(&self) -> Vec<&str> {
        self.providers
            .iter()
            .filter(|(_, setting)| setting.enabled)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The default workflow if the app names one and it is present, else the first.
    pub fn default_workflow(&self) -> Option<&Workflow> {
        self.default_workflow_id
            .as_deref()
            .and_then(|id| self.workflows.iter().find(|w| w.workflow_id == id))
            .or_else(|| self.workflows.first())
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gen1_app_decodes_and_keeps_unknown_fields() {
        let app: App = serde_json::from_value(json!({
            "client_id": "abc123", "client_secret": "sh_app_FAKE", "name": "My App",
            "redirect_uris": ["https://a.example.com/cb"],
            "verification": {"request_attributes": [], "providers": [{"provider_id": "passport", "enabled": true}]},
            "webhook_config": {"enabled": true, "retry_attempts": 3, "timeout_seconds": 10, "secret": "whsec_FAKE"},
            "created_at": 1731465600
        }))
        .unwrap();
        assert_eq!(app.client_id, "abc123");
        assert_eq!(app.redirect_uris.len(), 1);
        assert!(app.providers["passport"].enabled);
        let hook = app.webhook_config.as_ref().unwrap();
        assert_eq!(hook.retry_attempts, Some(3));
        assert!(!hook.extra.contains_key("secret"));
        assert_eq!(app.extra["created_at"], json!(1731465600));
        // Encoding writes the current camelCase contract.
        let out = serde_json::to_value(app.without_secret()).unwrap();
        assert_eq!(out["clientId"], "abc123");
        assert!(out.get("clientSecret").is_none());
        assert_eq!(out["webhookConfig"]["retryAttempts"], 3);
    }
}
