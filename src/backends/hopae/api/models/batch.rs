//! `POST /apps/batch`: the request, its items and the per-item results.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::app::App;
use super::json::null_as_default;
use super::webhook::WebhookConfig;

/// One app to create in `POST /apps/batch`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redirect_uris: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_config: Option<WebhookConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// Body of `POST /apps/batch`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BatchRequest {
    pub items: Vec<BatchItem>,
    pub continue_on_error: bool,
}

/// Response of `POST /apps/batch`. `results[i]` answers `items[i]`; with `continueOnError:false`
/// the list stops at the first failure.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchResponse {
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<BatchResult>,
    #[serde(alias = "success_count", default)]
    pub success_count: Option<usize>,
    #[serde(alias = "error_count", default)]
    pub error_count: Option<usize>,
}

/// The outcome of one batch item.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchResult {
    #[serde(default)]
    pub app: Option<App>,
    #[serde(alias = "idempotency_key", default)]
    pub idempotency_key: Option<String>,
    /// Undocumented shape; read with [`crate::api::ApiError::from_item_error`].
    #[serde(default)]
    pub error: Option<Value>,
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn batch_request_is_camel_case() {
        let body = BatchRequest {
            items: vec![BatchItem {
                name: "Acme".into(),
                redirect_uris: vec!["https://acme.example.com/cb".into()],
                webhook_config: None,
                idempotency_key: Some("customer-001".into()),
            }],
            continue_on_error: true,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"items": [{"name": "Acme", "redirectUris": ["https://acme.example.com/cb"],
                               "idempotencyKey": "customer-001"}], "continueOnError": true})
        );
    }
}
