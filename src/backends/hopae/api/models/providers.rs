//! An app's verification providers: a small sorted list read from a Gen-2 map, a bare list,
//! or the Gen-1 `verification` object.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::json::{CompactJson, Extra, json_kind};

/// An app's providers by id, in id order. A short sorted list rather than a B-tree map: a tree
/// node has room for eleven entries, which cost about 2 KB per app for the one or two it holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Providers(Vec<(String, ProviderSetting)>);

impl Providers {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, id: &str) -> Option<&ProviderSetting> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, s)| s)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &ProviderSetting)> {
        self.0.iter().map(|(k, s)| (k, s))
    }

    /// Adds or replaces the setting of `id`, keeping the ids in order.
    pub fn insert(&mut self, id: String, setting: ProviderSetting) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&id)) {
            Ok(i) => self.0[i].1 = setting,
            Err(i) => self.0.insert(i, (id, setting)),
        }
    }
}

impl std::ops::Index<&str> for Providers {
    type Output = ProviderSetting;

    fn index(&self, id: &str) -> &ProviderSetting {
        self.get(id)
            .unwrap_or_else(|| panic!("the app has no provider {id}"))
    }
}

impl FromIterator<(String, ProviderSetting)> for Providers {
    fn from_iter<I: IntoIterator<Item = (String, ProviderSetting)>>(iter: I) -> Self {
        let mut providers = Providers::default();
        for (id, setting) in iter {
            providers.insert(id, setting);
        }
        providers.0.shrink_to_fit();
        providers
    }
}

/// A map of provider id to setting.
impl<'de> Deserialize<'de> for Providers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, ProviderSetting>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

impl Serialize for Providers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// One provider's setting on an app.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSetting {
    #[serde(default)]
    pub enabled: bool,
    /// Provider-specific configuration; may hold provider credentials, so views mask it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<CompactJson>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Providers arrive as a Gen-2 map `{id: {enabled, config}}`, a bare array of
/// `{provider_id|providerId|id, enabled, ...}`, or the Gen-1 `verification` object that holds
/// such an array under `providers`.
pub(super) fn deserialize_providers<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Providers, D::Error> {
    use serde::de::Error as _;
    let value = Value::deserialize(deserializer)?;
    let array = match value {
        Value::Null => return Ok(Providers::default()),
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("providers") {
            // Gen-1 `verification` object.
            Some(Value::Array(items)) => items,
            Some(Value::Null) => Vec::new(),
            Some(other) => {
                // A provider literally named "providers" in a Gen-2 map.
                map.insert("providers".into(), other);
                return serde_json::from_value(Value::Object(map)).map_err(D::Error::custom);
            }
            None if map.contains_key("request_attributes") => Vec::new(),
            None => return serde_json::from_value(Value::Object(map)).map_err(D::Error::custom),
        },
        other => {
            return Err(D::Error::custom(format!(
                "providers: expected a map or a list, found {}",
                json_kind(&other)
            )));
        }
    };
    let mut providers = Providers::default();
    for item in array {
        let Value::Object(mut fields) = item else {
            return Err(D::Error::custom("providers: list items must be objects"));
        };
        let id = ["provider_id", "providerId", "id"]
            .iter()
            .find_map(|key| fields.remove(*key))
            .and_then(|v| v.as_str().map(str::to_owned))
            .ok_or_else(|| D::Error::custom("providers: a list item has no provider id"))?;
        let setting: ProviderSetting =
            serde_json::from_value(Value::Object(fields)).map_err(D::Error::custom)?;
        providers.insert(id, setting);
    }
    providers.0.shrink_to_fit();
    Ok(providers)
}
