//! JSON helpers shared by the models: unknown fields, compact JSON text and lenient lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Fields this client does not model, kept so nothing the server sent is lost. A B-tree map:
/// empty, it takes 24 bytes and no allocation, against 72 for an insertion-ordered map, and
/// every app holds several.
pub type Extra = BTreeMap<String, Value>;

/// A JSON value held as its compact text. A parsed tree of a node's settings takes about ten
/// times the memory of its text, and ten thousand apps each carry a workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactJson(Box<str>);

impl CompactJson {
    pub fn new(value: &Value) -> Self {
        Self(value.to_string().into_boxed_str())
    }

    pub fn to_value(&self) -> Value {
        // The text was written from a `Value`, so it always parses.
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for CompactJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CompactJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|v| CompactJson::new(&v))
    }
}

/// A list without spare room, `null` read as empty: serde grows a list to four slots for its
/// first item, and ten thousand apps each holding a few short lists would carry that slack
/// (about 1 KB per app).
pub(super) fn compact_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default();
    list.shrink_to_fit();
    Ok(list)
}

/// `null` decodes as the type's default: some servers write `"redirectUris": null`.
pub(super) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A word for the kind of a JSON value, for error messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
