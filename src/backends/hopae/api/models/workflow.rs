//! Verification workflows, their nodes and the node-type catalog.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::json::{CompactJson, Extra, compact_list, json_kind, null_as_default};

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
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn if_node_routes_are_kept_raw() {
        let node: Node = serde_json::from_value(json!({
            "id": "nd_1", "type": "if", "next": [{"when": {"field": "input.loa"}, "to": "nd_2"}]
        }))
        .unwrap();
        assert!(matches!(node.next, Some(Next::Routes(ref r)) if r.len() == 1));
    }
}
