//! Editing a workflow: a draft with undo and redo over the whole session, the edits the editor
//! offers (add a node after another, delete one, change settings, routes, the entry, the name),
//! and what changed since it was opened, for the question before saving.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::condition::DEFAULT_KEYS;
use crate::api::{CompactJson, Next, Node, NodeType, Workflow};

/// Edits kept for undo; older ones are dropped (a session rarely makes this many).
const UNDO_LIMIT: usize = 500;

/// A workflow being edited: what was opened, what it is now, and the way back and forth.
#[derive(Debug, Clone)]
pub struct Draft {
    original: Workflow,
    current: Workflow,
    undo: Vec<Workflow>,
    redo: Vec<Workflow>,
    /// Bumped on every change, so views rebuild what they drew only when it changed.
    revision: u64,
}

/// What a save would change, node by node (ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub renamed: bool,
    pub entry_changed: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.renamed
            && !self.entry_changed
    }
}

impl Draft {
    pub fn new(workflow: Workflow) -> Self {
        Self {
            original: workflow.clone(),
            current: workflow,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
        }
    }

    /// The workflow as edited so far.
    pub fn current(&self) -> &Workflow {
        &self.current
    }

    /// The workflow as it was opened (its `updatedAt` tells whether the server's changed since).
    pub fn original(&self) -> &Workflow {
        &self.original
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_dirty(&self) -> bool {
        self.current != self.original
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Makes one edit, undoable as one step; an edit that changes nothing is not recorded.
    pub fn edit(&mut self, change: impl FnOnce(&mut Workflow)) {
        let before = self.current.clone();
        change(&mut self.current);
        if self.current != before {
            self.undo.push(before);
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
            self.redo.clear();
            self.revision += 1;
        }
    }

    pub fn undo(&mut self) -> bool {
        let Some(before) = self.undo.pop() else {
            return false;
        };
        self.redo.push(std::mem::replace(&mut self.current, before));
        self.revision += 1;
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(after) = self.redo.pop() else {
            return false;
        };
        self.undo.push(std::mem::replace(&mut self.current, after));
        self.revision += 1;
        true
    }

    /// The server saved the workflow: it becomes what is "opened", and the history stays.
    pub fn saved(&mut self, workflow: Workflow) {
        self.original = workflow.clone();
        self.current = workflow;
        self.revision += 1;
    }

    /// Adds a node of `node_type` after `after` (taking over where `after` went), or at the end
    /// when there is no such node. Returns the new node's id.
    pub fn add_node_after(&mut self, after: Option<&str>, node_type: &NodeType) -> String {
        let id = fresh_id(&self.current, &node_type.node_type);
        let new_id = id.clone();
        let config = default_config(node_type);
        self.edit(|workflow| {
            let position = after.and_then(|a| workflow.nodes.iter().position(|n| n.id == a));
            let mut node = Node {
                id: new_id.clone(),
                node_type: node_type.node_type.clone(),
                next: None,
                config: config.as_ref().map(CompactJson::new),
                extra: Default::default(),
            };
            match position {
                Some(at) => {
                    let before = &mut workflow.nodes[at];
                    // A plain `next` moves to the new node; an `if`'s routes stay as they are.
                    if before.node_type != "response"
                        && !matches!(before.next, Some(Next::Routes(_)))
                    {
                        node.next = before.next.take();
                        before.next = Some(Next::Node(new_id.clone()));
                    }
                    workflow.nodes.insert(at + 1, node);
                }
                None => {
                    if workflow.entry_node_id.is_none() {
                        workflow.entry_node_id = Some(new_id.clone());
                    }
                    workflow.nodes.push(node);
                }
            }
        });
        id
    }

    /// Removes node `id`. Routes and `next`s that pointed to it are left pointing nowhere, so
    /// lint flags them and the user decides where they go.
    pub fn delete_node(&mut self, id: &str) {
        self.edit(|workflow| workflow.nodes.retain(|n| n.id != id));
    }

    /// Replaces node `id`'s settings (`None`: no settings).
    pub fn set_config(&mut self, id: &str, config: Option<Value>) {
        self.edit(|workflow| {
            if let Some(node) = workflow.nodes.iter_mut().find(|n| n.id == id) {
                node.config = config.as_ref().map(CompactJson::new);
            }
        });
    }

    /// Points node `id`'s plain `next` at `target` (`None`: nowhere).
    pub fn set_next(&mut self, id: &str, target: Option<String>) {
        self.edit(|workflow| {
            if let Some(node) = workflow.nodes.iter_mut().find(|n| n.id == id) {
                node.next = target.map(Next::Node);
            }
        });
    }

    /// Replaces an `if` node's routes.
    pub fn set_routes(&mut self, id: &str, routes: &[Route]) {
        self.edit(|workflow| {
            if let Some(node) = workflow.nodes.iter_mut().find(|n| n.id == id) {
                node.next = Some(Next::Routes(routes.iter().map(Route::to_json).collect()));
            }
        });
    }

    pub fn set_entry(&mut self, id: &str) {
        self.edit(|workflow| workflow.entry_node_id = Some(id.to_owned()));
    }

    pub fn rename(&mut self, name: &str) {
        self.edit(|workflow| workflow.name = name.to_owned());
    }

    /// What saving would change, compared with what was opened.
    pub fn changes(&self) -> Changes {
        let before: BTreeSet<&str> = self.original.nodes.iter().map(|n| n.id.as_str()).collect();
        let after: BTreeSet<&str> = self.current.nodes.iter().map(|n| n.id.as_str()).collect();
        let changed = self
            .current
            .nodes
            .iter()
            .filter(|n| before.contains(n.id.as_str()))
            .filter(|n| {
                self.original
                    .nodes
                    .iter()
                    .find(|o| o.id == n.id)
                    .is_some_and(|o| o != *n)
            })
            .map(|n| n.id.clone())
            .collect();
        Changes {
            added: after.difference(&before).map(|s| (*s).to_owned()).collect(),
            removed: before.difference(&after).map(|s| (*s).to_owned()).collect(),
            changed,
            renamed: self.current.name != self.original.name,
            entry_changed: self.current.entry_node_id != self.original.entry_node_id,
        }
    }
}

/// One route of an `if` node as the editor shows it: a condition (or the default) and where it
/// goes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Route {
    pub field: String,
    pub operator: String,
    /// The value as typed: JSON when it parses (`2`, `true`, `"KR"`), else the text as a string.
    pub value: String,
    pub default: bool,
    pub next: String,
    /// The route as read: what the editor does not show (other keys, the default's own word,
    /// the value's type) is written back as it was.
    pub raw: Option<Value>,
}

impl Route {
    /// Reads a route in the documented shape; other shapes come back `None` (the editor then
    /// keeps the node's routes as they are).
    pub fn from_json(route: &Value) -> Option<Self> {
        let next = route.get("next").and_then(Value::as_str)?.to_owned();
        if DEFAULT_KEYS
            .iter()
            .any(|k| route.get(*k).and_then(Value::as_bool) == Some(true))
        {
            return Some(Route {
                default: true,
                next,
                raw: Some(route.clone()),
                ..Route::default()
            });
        }
        let condition = route.get("condition")?;
        Some(Route {
            field: condition.get("field")?.as_str()?.to_owned(),
            operator: condition
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or("eq")
                .to_owned(),
            value: condition.get("value").map(shown_value).unwrap_or_default(),
            default: false,
            next,
            raw: Some(route.clone()),
        })
    }

    /// The route as JSON: what was read, with the fields the editor shows written over it.
    pub fn to_json(&self) -> Value {
        let raw = self.raw.as_ref().and_then(Value::as_object);
        let mut out = raw.cloned().unwrap_or_default();
        out.insert("next".into(), Value::String(self.next.clone()));
        let was_default = DEFAULT_KEYS
            .into_iter()
            .find(|k| raw.and_then(|r| r.get(*k)).and_then(Value::as_bool) == Some(true));
        if self.default {
            out.remove("condition");
            out.insert(was_default.unwrap_or("default").into(), Value::Bool(true));
            return Value::Object(out);
        }
        for key in DEFAULT_KEYS {
            out.remove(key);
        }
        let old = raw
            .and_then(|r| r.get("condition"))
            .and_then(Value::as_object);
        let mut condition = old.cloned().unwrap_or_default();
        condition.insert("field".into(), Value::String(self.field.clone()));
        condition.insert("operator".into(), Value::String(self.operator.clone()));
        // A value left as it was keeps its type ("2" stays a string, a list stays a list).
        let kept = old
            .and_then(|c| c.get("value"))
            .filter(|v| shown_value(v) == self.value)
            .cloned();
        condition.insert(
            "value".into(),
            kept.unwrap_or_else(|| typed_value(&self.value)),
        );
        out.insert("condition".into(), Value::Object(condition));
        Value::Object(out)
    }
}

/// A value as the editor shows it: a string as it is, anything else as JSON.
fn shown_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value as typed: a number, `true`/`false` or `null` as such, anything else as a string.
pub fn typed_value(text: &str) -> Value {
    let trimmed = text.trim();
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => value,
        _ => Value::String(text.to_owned()),
    }
}

/// The routes of an `if` node in the editor's terms, or `None` when one of them has a shape the
/// editor cannot show (they are then edited as JSON).
pub fn routes_of(node: &Node) -> Option<Vec<Route>> {
    match &node.next {
        Some(Next::Routes(routes)) => routes.iter().map(Route::from_json).collect(),
        Some(Next::Node(_)) | None => Some(Vec::new()),
    }
}

/// An id not used in `workflow`: `nd_<type>`, then `nd_<type>_2`, …
pub fn fresh_id(workflow: &Workflow, node_type: &str) -> String {
    let base = format!(
        "nd_{}",
        node_type
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    );
    let taken = |id: &str| workflow.nodes.iter().any(|n| n.id == id);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// Settings a new node starts with: each required field with an empty value of its type.
pub fn default_config(node_type: &NodeType) -> Option<Value> {
    if node_type.node_type == "response" {
        return Some(json!({"result": "approved"}));
    }
    let fields: serde_json::Map<String, Value> = node_type
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| {
            (
                f.name.clone(),
                empty_value(&f.field_type, f.enum_values.as_deref()),
            )
        })
        .collect();
    (!fields.is_empty()).then_some(Value::Object(fields))
}

/// An empty value of a catalog field type.
pub fn empty_value(field_type: &str, enum_values: Option<&[Value]>) -> Value {
    match field_type {
        "number" | "integer" => json!(0),
        "boolean" => json!(false),
        "string[]" | "array" => json!([]),
        "object" => json!({}),
        "enum" => enum_values
            .and_then(|v| v.first().cloned())
            .unwrap_or(Value::Null),
        _ => json!(""),
    }
}

/// The seven documented node types and their settings, for when the server's catalog cannot
/// be read. The sandbox serves the same catalog.
pub fn documented_node_types() -> Vec<NodeType> {
    serde_json::from_value(documented_catalog()).unwrap_or_default()
}

/// The documented catalog as the API returns it (`/apps/{id}/workflows/node-types`).
pub fn documented_catalog() -> Value {
    let field = |name: &str, kind: &str, required: bool, description: &str| json!({"name": name, "type": kind, "required": required, "description": description});
    json!([
        {"type": "request", "label": "Request", "description": "Entry point: the verification request from the relying party", "fields": []},
        {"type": "verification", "label": "Verification", "description": "Verify the person with one of the enabled providers",
         "fields": [field("providers", "string[]", true, "Provider ids; each must be enabled on the app"),
                    field("claims", "string[]", true, "Claims to request"),
                    {"name": "mode", "type": "enum", "required": false, "description": "What is returned", "enumValues": ["pii", "match"]},
                    field("channel", "string", false, "oidc")]},
        {"type": "check-min-loa", "label": "Check minimum LoA", "description": "Stop unless the level of assurance is high enough",
         "fields": [field("minLoa", "number", true, "Lowest accepted level of assurance")]},
        {"type": "check-claim", "label": "Check claim", "description": "Stop unless a claim meets a condition",
         "fields": [field("claim", "string", true, "Claim name"), field("operator", "string", true, "eq, neq, gt, gte, lt, lte, exists, not_exists"),
                    field("value", "string", true, "Value to compare with")]},
        {"type": "evaluate", "label": "Evaluate", "description": "Evaluate rules against the verification result",
         "fields": [field("rules", "object", true, "Rules: field, operator, value")]},
        {"type": "if", "label": "If", "description": "Route to the first matching condition", "fields": []},
        {"type": "response", "label": "Response", "description": "End of the workflow: respond to the relying party", "fields": []}
    ])
}

/// What a save compares to tell whether someone changed a workflow since it was opened: its
/// `updatedAt`, or where the server gives none, a digest of its name, entry node and nodes.
pub fn workflow_version(workflow: &Workflow) -> String {
    if let Some(updated) = &workflow.updated_at {
        return updated.as_str().to_owned();
    }
    let content = json!({
        "name": workflow.name,
        "entryNodeId": workflow.entry_node_id,
        "nodes": workflow.nodes,
    });
    format!(
        "content:{}",
        crate::digest::sha256_hex(content.to_string().as_bytes())
    )
}

/// A new workflow in the default shape: request, verification, response.
pub fn default_workflow(name: &str) -> Workflow {
    serde_json::from_value(json!({
        "name": name,
        "entryNodeId": "nd_request",
        "nodes": [
            {"id": "nd_request", "type": "request", "next": "nd_verification"},
            {"id": "nd_verification", "type": "verification", "next": "nd_response",
             "config": {"providers": [], "claims": ["name"], "mode": "pii"}},
            {"id": "nd_response", "type": "response", "config": {"result": "approved"}}
        ]
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> NodeType {
        documented_node_types()
            .into_iter()
            .find(|t| t.node_type == name)
            .unwrap()
    }

    #[test]
    fn a_node_added_after_another_takes_over_its_next_and_undo_redo_walk_the_session() {
        let mut draft = Draft::new(default_workflow("KYC"));
        let id = draft.add_node_after(Some("nd_verification"), &kind("check-min-loa"));
        assert_eq!(id, "nd_check_min_loa");
        let nodes = &draft.current().nodes;
        assert_eq!(nodes[1].next, Some(Next::Node(id.clone())));
        assert_eq!(nodes[2].next, Some(Next::Node("nd_response".into())));
        assert_eq!(nodes[2].config_value().unwrap(), json!({"minLoa": 0}));
        draft.set_config(&id, Some(json!({"minLoa": 2})));
        draft.rename("KYC v2");
        assert!(draft.is_dirty());
        let changes = draft.changes();
        assert_eq!(changes.added, vec![id.clone()]);
        assert_eq!(changes.changed, vec!["nd_verification".to_owned()]);
        assert!(changes.renamed);
        assert!(draft.undo() && draft.undo() && draft.undo());
        assert!(!draft.is_dirty());
        assert!(!draft.undo());
        assert!(draft.redo() && draft.redo());
        assert_eq!(
            draft.current().nodes[2].config_value().unwrap(),
            json!({"minLoa": 2})
        );
        // A new edit drops what could be redone.
        draft.delete_node("nd_response");
        assert!(!draft.can_redo());
        assert_eq!(draft.changes().removed, vec!["nd_response".to_owned()]);
    }

    #[test]
    fn routes_read_and_write_the_documented_shape() {
        let route = json!({"condition": {"field": "input.loa", "operator": "gte", "value": 3}, "next": "a"});
        let read = Route::from_json(&route).unwrap();
        assert_eq!(read.value, "3");
        assert_eq!(read.to_json(), route);
        let default = json!({"default": true, "next": "b"});
        assert_eq!(Route::from_json(&default).unwrap().to_json(), default);
        let text = Route {
            field: "input.user.nationality".into(),
            operator: "eq".into(),
            value: "KR".into(),
            next: "c".into(),
            ..Route::default()
        };
        assert_eq!(text.to_json()["condition"]["value"], json!("KR"));
        assert_eq!(Route::from_json(&json!({"goTo": {"step": 4}})), None);
        // What the editor does not show survives an edit of what it shows.
        let odd = json!({"else": true, "next": "b", "note": "kept"});
        let mut read = Route::from_json(&odd).unwrap();
        read.next = "c".into();
        assert_eq!(
            read.to_json(),
            json!({"else": true, "next": "c", "note": "kept"})
        );
        let typed = json!({"condition": {"field": "input.code", "operator": "eq", "value": "2", "hint": 1}, "next": "a"});
        let mut read = Route::from_json(&typed).unwrap();
        read.next = "d".into();
        assert_eq!(
            read.to_json()["condition"],
            typed["condition"],
            "\"2\" stays a string"
        );
        read.value = "3".into();
        assert_eq!(read.to_json()["condition"]["value"], json!(3));
    }

    /// Without `updatedAt`, a colleague's change is still seen: the version is the content's.
    #[test]
    fn a_change_is_seen_with_or_without_updated_at() {
        let mine = default_workflow("KYC");
        let mut theirs = mine.clone();
        assert_eq!(workflow_version(&mine), workflow_version(&theirs));
        theirs.nodes.pop();
        assert_ne!(workflow_version(&mine), workflow_version(&theirs));
        theirs.updated_at = Some(CompactJson::new(&json!("2026-12-06T10:00:00Z")));
        assert_eq!(workflow_version(&theirs), "\"2026-12-06T10:00:00Z\"");
    }

    #[test]
    fn ids_never_clash() {
        let mut draft = Draft::new(default_workflow("x"));
        let a = draft.add_node_after(None, &kind("if"));
        let b = draft.add_node_after(None, &kind("if"));
        assert_eq!((a.as_str(), b.as_str()), ("nd_if", "nd_if_2"));
    }
}
