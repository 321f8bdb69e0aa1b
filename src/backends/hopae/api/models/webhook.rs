//! An app's webhook settings; a signing secret the server echoes is never kept.

use serde::{Deserialize, Deserializer, Serialize};

use super::json::{Extra, null_as_default};

/// Webhook delivery settings of an app. The signing secret is never part of this model.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WebhookConfig {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(
        alias = "retry_attempts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub retry_attempts: Option<u32>,
    #[serde(
        alias = "timeout_seconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout_seconds: Option<u32>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub events: Vec<String>,
    /// Unknown fields; a `secret` the server echoes is dropped here, never kept.
    #[serde(flatten, deserialize_with = "without_secret_fields")]
    pub extra: Extra,
}

fn without_secret_fields<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Extra, D::Error> {
    let mut map = Extra::deserialize(deserializer)?;
    map.remove("secret");
    Ok(map)
}
