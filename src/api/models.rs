//! Wire models of the Connect Workspace API: apps, workflows, nodes, batches and list pages.
//!
//! Decoding is tolerant: it accepts the Gen-2 camelCase contract and the older Gen-1 snake_case
//! shapes (`client_id`, `redirect_uris`, `verification.providers[]`), and keeps unknown fields in
//! `extra` so the detail view can still show them. Encoding always writes the current camelCase
//! contract.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

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

/// A verification workflow: a list of nodes starting at `entry_node_id`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Workflow {
    #[serde(alias = "workflow_id", alias = "id", default)]
    pub workflow_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(
        alias = "entry_node_id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub entry_node_id: Option<String>,
    #[serde(default, deserialize_with = "compact_list")]
    pub nodes: Vec<Node>,
    /// ISO-8601 in Gen-2; kept as JSON because Gen-1 used unix seconds.
    #[serde(alias = "created_at", default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<CompactJson>,
    #[serde(alias = "updated_at", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<CompactJson>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One node of a workflow.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Node {
    #[serde(default)]
    pub id: String,
    /// `request`, `verification`, `check-min-loa`, `check-claim`, `evaluate`, `if`, `response`,
    /// or a type this client does not know yet.
    #[serde(rename = "type", default)]
    pub node_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
    /// Kept as compact JSON text; [`Node::config_value`] parses it when a view needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<CompactJson>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Node {
    /// The node's settings as JSON, if it has any.
    pub fn config_value(&self) -> Option<Value> {
        self.config.as_ref().map(CompactJson::to_value)
    }
}

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

/// Where a node goes next: one node id, or conditional routes (for `if` nodes).
///
/// Read leniently, since the docs leave the shape open: a single route object becomes a list of
/// one route, and a number becomes a node id, so one odd node never fails the whole app.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Next {
    Node(String),
    /// Route objects are kept as raw JSON: their shape is not documented.
    Routes(Vec<Value>),
}

impl<'de> Deserialize<'de> for Next {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match Value::deserialize(deserializer)? {
            Value::String(id) => Ok(Next::Node(id)),
            Value::Array(routes) => Ok(Next::Routes(routes)),
            route @ Value::Object(_) => Ok(Next::Routes(vec![route])),
            Value::Number(n) => Ok(Next::Node(n.to_string())),
            other => Err(D::Error::custom(format!(
                "next: expected a node id or a list of routes, found {}",
                json_kind(&other)
            ))),
        }
    }
}

/// An entry of the node-type catalog (`GET /apps/{id}/workflows/node-types`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NodeType {
    #[serde(rename = "type", default)]
    pub node_type: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub fields: Vec<NodeTypeField>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One configurable field of a node type.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NodeTypeField {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub field_type: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
    #[serde(
        alias = "enum_values",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub enum_values: Option<Vec<Value>>,
}

/// One page of `GET /apps`.
#[derive(Debug, Clone, Default)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Total number of items on the server, when the server says.
    pub total: Option<usize>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

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

/// Response of `POST /apps/{id}/rotate-client-secret`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotatedSecret {
    #[serde(alias = "client_secret")]
    pub client_secret: Secret,
}

/// Response of `PUT /apps/{id}/redirect-uris`: `{redirectUris}` or Gen-1 `{redirect_uris, total}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectUrisResponse {
    #[serde(alias = "redirect_uris", default, deserialize_with = "null_as_default")]
    pub redirect_uris: Vec<String>,
}

/// `null` decodes as the type's default: some servers write `"redirectUris": null`.
/// A list without spare room: serde grows a list to four slots for its first item, and ten
/// thousand apps each holding a few short lists would carry that slack (about 1 KB per app).
fn compact_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default();
    list.shrink_to_fit();
    Ok(list)
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn without_secret_fields<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Extra, D::Error> {
    let mut map = Extra::deserialize(deserializer)?;
    map.remove("secret");
    Ok(map)
}

/// Providers arrive as a Gen-2 map `{id: {enabled, config}}`, a bare array of
/// `{provider_id|providerId|id, enabled, ...}`, or the Gen-1 `verification` object that holds
/// such an array under `providers`.
fn deserialize_providers<'de, D: Deserializer<'de>>(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_odd_next_does_not_fail_the_node() {
        let node: Node =
            serde_json::from_str(r#"{"id":"a","type":"if","next":{"next":"b","default":true}}"#)
                .unwrap();
        assert!(matches!(node.next, Some(Next::Routes(ref r)) if r.len() == 1));
        let node: Node = serde_json::from_str(r#"{"id":"a","type":"request","next":7}"#).unwrap();
        assert_eq!(node.next, Some(Next::Node("7".into())));
        let node: Node =
            serde_json::from_str(r#"{"id":"a","type":"response","next":null}"#).unwrap();
        assert_eq!(node.next, None);
        assert!(serde_json::from_str::<Node>(r#"{"id":"a","next":true}"#).is_err());
    }
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

    #[test]
    fn if_node_routes_are_kept_raw() {
        let node: Node = serde_json::from_value(json!({
            "id": "nd_1", "type": "if", "next": [{"when": {"field": "input.loa"}, "to": "nd_2"}]
        }))
        .unwrap();
        assert!(matches!(node.next, Some(Next::Routes(ref r)) if r.len() == 1));
    }
}
