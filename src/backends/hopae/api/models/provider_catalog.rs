//! The provider catalog of one app (`GET /apps/{id}/providers?include=activation`): each
//! identity provider with where its activation stands and what it still requires.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::json::{Extra, null_as_default};

/// One provider of an app's catalog, with its activation when asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderStatus {
    #[serde(alias = "provider_id", alias = "providerId", default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(alias = "logo_url", default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// ISO country codes as sent (upper-case in the Workspace API, lower-case in the App API).
    #[serde(default, deserialize_with = "null_as_default")]
    pub countries: Vec<String>,
    #[serde(alias = "flow_types", default, deserialize_with = "null_as_default")]
    pub flow_types: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub scopes: Vec<String>,
    /// Levels of assurance the provider can reach.
    #[serde(default, deserialize_with = "null_as_default")]
    pub loa: Vec<u8>,
    #[serde(
        alias = "default_loa",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_loa: Option<u8>,
    /// 1 centralized IdP, 2 chip-based, 3 wallet.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<u8>,
    /// `disclosure` or `match`.
    #[serde(
        alias = "verification_model",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub verification_model: Option<String>,
    #[serde(alias = "is_active", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    #[serde(
        alias = "need_action",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub need_action: Option<bool>,
    /// The provider's status (present with `include=activation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ActivationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<ActivationDetails>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ProviderStatus {
    /// The status: the provider's own, else its activation's, else not activated.
    pub fn activation_status(&self) -> ActivationStatus {
        self.status
            .clone()
            .or_else(|| self.activation.as_ref().and_then(|a| a.status.clone()))
            .unwrap_or(ActivationStatus::NotActivated)
    }

    /// Requirements still to be met: required, with no current or submitted value.
    pub fn still_required(&self) -> Vec<&Requirement> {
        self.activation
            .as_ref()
            .map(|a| a.requirements.iter().filter(|r| r.is_missing()).collect())
            .unwrap_or_default()
    }

    /// The name to show: the catalog's, else the id.
    pub fn display_name(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

/// Where a provider's activation stands. Unknown values are kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActivationStatus {
    NotActivated,
    Requested,
    Processing,
    Rejected,
    Activated,
    Other(String),
}

impl ActivationStatus {
    /// Reads `activation_requested`, `requested`, `ACTIVATION-REQUESTED`, … alike.
    pub fn parse(text: &str) -> Self {
        let normalized: String = text
            .trim()
            .chars()
            .map(|c| {
                if c == '-' || c == ' ' {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        match normalized.as_str() {
            "not_activated" | "inactive" | "none" | "not_started" => Self::NotActivated,
            "activation_requested" | "requested" | "pending" => Self::Requested,
            "activation_processing" | "processing" | "in_review" | "in_progress" => {
                Self::Processing
            }
            "rejected" | "activation_rejected" | "declined" => Self::Rejected,
            "activated" | "active" | "enabled" => Self::Activated,
            _ => Self::Other(text.to_owned()),
        }
    }

    /// The API's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NotActivated => "not_activated",
            Self::Requested => "activation_requested",
            Self::Processing => "activation_processing",
            Self::Rejected => "rejected",
            Self::Activated => "activated",
            Self::Other(text) => text,
        }
    }

    /// How the status reads to people, in the calling thread's language: "activated",
    /// "requested", "processing", "rejected", "not activated"; a status this client does not
    /// know as the server wrote it.
    pub fn label(&self) -> String {
        match self {
            Self::NotActivated => crate::tr!("hopae-activation-not-activated"),
            Self::Requested => crate::tr!("hopae-activation-requested"),
            Self::Processing => crate::tr!("hopae-activation-processing"),
            Self::Rejected => crate::tr!("hopae-activation-rejected"),
            Self::Activated => crate::tr!("hopae-activation-activated"),
            Self::Other(text) => text.clone(),
        }
    }
}

impl fmt::Display for ActivationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for ActivationStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ActivationStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| Self::parse(&s))
    }
}

/// A provider's activation: status, id, requirements and dates.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ActivationDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ActivationStatus>,
    /// `act_…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub requirements: Vec<Requirement>,
    #[serde(
        alias = "requested_at",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requested_at: Option<Value>,
    #[serde(
        alias = "activated_at",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub activated_at: Option<Value>,
    /// Unknown fields (a rejection's reason, for one).
    #[serde(flatten)]
    pub extra: Extra,
}

/// One thing an activation asks for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    #[serde(default)]
    pub id: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub requirement_type: Option<String>,
    #[serde(default)]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(
        alias = "current_value",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub current_value: Option<Value>,
    #[serde(
        alias = "submitted_value",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub submitted_value: Option<Value>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Requirement {
    /// Required, and neither on file nor submitted.
    pub fn is_missing(&self) -> bool {
        let blank = |v: &Option<Value>| match v {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        self.required && blank(&self.current_value) && blank(&self.submitted_value)
    }

    /// The label, else the id.
    pub fn display_name(&self) -> &str {
        if self.label.trim().is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_casings_and_unknown_fields_decode() {
        let provider: ProviderStatus = serde_json::from_value(json!({
            "provider_id": "mitid", "name": "MitID", "logo_url": "https://x/l.svg",
            "countries": ["DK"], "flow_types": ["redirect"], "default_loa": 2, "type": 1,
            "verification_model": "disclosure", "is_active": false, "need_action": true,
            "activation": {"status": "REJECTED", "requirements": [
                {"id": "a", "label": "A", "required": true, "current_value": null},
                {"id": "b", "label": "B", "required": true, "submitted_value": "x"},
                {"id": "c", "label": "", "required": false}
            ], "rejectionReason": "no"},
            "brandColour": "#fff"
        }))
        .unwrap();
        assert_eq!(provider.id, "mitid");
        assert_eq!(provider.flow_types, ["redirect"]);
        assert_eq!(provider.activation_status(), ActivationStatus::Rejected);
        let missing: Vec<&str> = provider
            .still_required()
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(missing, ["a"]);
        assert_eq!(provider.extra["brandColour"], "#fff");
        let activation = provider.activation.as_ref().unwrap();
        assert_eq!(activation.extra["rejectionReason"], "no");
        let out = serde_json::to_value(&provider).unwrap();
        assert_eq!(out["flowTypes"], json!(["redirect"]));
        assert_eq!(out["activation"]["status"], "rejected");
    }

    #[test]
    fn statuses_read_in_any_spelling_and_unknown_ones_are_kept() {
        assert_eq!(
            ActivationStatus::parse("activation_requested"),
            ActivationStatus::Requested
        );
        assert_eq!(
            ActivationStatus::parse("Activation-Processing"),
            ActivationStatus::Processing
        );
        assert_eq!(
            ActivationStatus::parse("not_activated").label(),
            "not activated"
        );
        assert_eq!(
            ActivationStatus::parse("suspended"),
            ActivationStatus::Other("suspended".into())
        );
        assert_eq!(
            ActivationStatus::Other("suspended".into()).as_str(),
            "suspended"
        );
        let bare: ProviderStatus = serde_json::from_value(json!({"id": "x"})).unwrap();
        assert_eq!(bare.activation_status(), ActivationStatus::NotActivated);
    }
}
