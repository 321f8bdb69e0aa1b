//! An app's workflows (`GET /apps/{id}/workflows`, one by id), their creation and change
//! (`POST`, `PATCH`) under the documented rules, and the node-type catalog.

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value};

use super::RequestId;
use super::envelope::{
    app_not_found, app_not_found_stored, error_response, error_stored, invalid, json_object,
    missing, ok,
};
use super::idempotency::idempotent;
use super::validation::check_name;
use super::{Ctx, change};
use crate::sandbox::store::{SbApp, Store, StoredResponse};

/// The documented limit of workflows per app.
const MAX_WORKFLOWS: usize = 100;
/// The seven documented node types.
const NODE_TYPES: [&str; 7] = [
    "request",
    "verification",
    "check-min-loa",
    "check-claim",
    "evaluate",
    "if",
    "response",
];

/// `POST /apps/{id}/workflows`: `name`, `entryNodeId` and `nodes` required; idempotent under an
/// `Idempotency-Key`.
pub(super) async fn create_workflow(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |shared| {
        let mut store = shared.store();
        create(&mut store, &rid, &id, &body)
    })
    .await
}

fn create(store: &mut Store, rid: &RequestId, id: &str, body: &[u8]) -> StoredResponse {
    let fields = match json_object(rid, body) {
        Ok(fields) => fields,
        Err(e) => return e,
    };
    let Some(app) = store.app(id) else {
        return app_not_found_stored(rid, id);
    };
    if app.workflows.len() >= MAX_WORKFLOWS {
        return error_stored(
            rid,
            StatusCode::BAD_REQUEST,
            "WORKFLOW_LIMIT_EXCEEDED",
            &format!("An app can have at most {MAX_WORKFLOWS} workflows"),
            None,
        );
    }
    let name = match check_name(rid, fields.get("name")) {
        Ok(name) => name,
        Err(e) => return e,
    };
    let Some(nodes) = fields.get("nodes") else {
        return missing(rid, "nodes");
    };
    let Some(entry) = fields.get("entryNodeId") else {
        return missing(rid, "entryNodeId");
    };
    let (nodes, entry) = match check_shape(rid, app, nodes, entry) {
        Ok(checked) => checked,
        Err(e) => return e,
    };
    let workflow_id = store.new_id("wf_");
    let now = crate::clock::iso_now();
    let workflow = serde_json::json!({
        "workflowId": workflow_id, "name": name, "entryNodeId": entry, "nodes": nodes,
        "createdAt": now, "updatedAt": now,
    });
    let Some(app) = store.app_mut(id) else {
        return app_not_found_stored(rid, id);
    };
    app.workflows.push(workflow.clone());
    StoredResponse {
        status: StatusCode::CREATED.as_u16(),
        location: Some(format!("/connect/v1/apps/{id}/workflows/{workflow_id}")),
        body: workflow,
    }
}

/// `PATCH /apps/{id}/workflows/{workflowId}`: any of `name`, `entryNodeId`, `nodes` (a full
/// replacement); the result is checked as a whole.
pub(super) async fn update_workflow(
    (State(shared), Extension(rid)): Ctx,
    Path((id, workflow_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    change(&shared, |store| {
        update(store, &rid, &id, &workflow_id, &body)
    })
}

fn update(
    store: &mut Store,
    rid: &RequestId,
    id: &str,
    workflow_id: &str,
    body: &[u8],
) -> StoredResponse {
    let fields = match json_object(rid, body) {
        Ok(fields) => fields,
        Err(e) => return e,
    };
    let Some(app) = store.app(id) else {
        return app_not_found_stored(rid, id);
    };
    let Some(index) = app
        .workflows
        .iter()
        .position(|w| w["workflowId"] == workflow_id)
    else {
        return error_stored(
            rid,
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            &format!("Workflow {workflow_id} was not found on app {id}"),
            None,
        );
    };
    let current = &app.workflows[index];
    let name = match fields.get("name") {
        None => None,
        value => match check_name(rid, value) {
            Ok(name) => Some(name),
            Err(e) => return e,
        },
    };
    let nodes = fields.get("nodes").unwrap_or(&current["nodes"]);
    let entry = fields.get("entryNodeId").unwrap_or(&current["entryNodeId"]);
    let (nodes, entry) = match check_shape(rid, app, nodes, entry) {
        Ok(checked) => checked,
        Err(e) => return e,
    };
    let Some(app) = store.app_mut(id) else {
        return app_not_found_stored(rid, id);
    };
    let workflow = &mut app.workflows[index];
    if let Some(name) = name {
        workflow["name"] = Value::String(name);
    }
    workflow["nodes"] = Value::Array(nodes);
    workflow["entryNodeId"] = Value::String(entry);
    workflow["updatedAt"] = Value::String(crate::clock::iso_now());
    StoredResponse {
        status: 200,
        body: workflow.clone(),
        location: None,
    }
}

/// The documented rules of a workflow's nodes: objects with a unique `id` and one of the seven
/// types, `next` a node id or a list of routes, an `entryNodeId` among them, and providers of
/// verification nodes enabled on the app.
fn check_shape(
    rid: &RequestId,
    app: &SbApp,
    nodes: &Value,
    entry: &Value,
) -> Result<(Vec<Value>, String), StoredResponse> {
    let Some(list) = nodes.as_array().filter(|l| !l.is_empty()) else {
        return Err(invalid(
            rid,
            "nodes",
            "nodes must be a non-empty array",
            None,
        ));
    };
    let mut ids: Vec<&str> = Vec::new();
    for (i, node) in list.iter().enumerate() {
        let field = |name: &str| format!("nodes[{i}].{name}");
        let Some(object) = node.as_object() else {
            return Err(invalid(
                rid,
                &format!("nodes[{i}]"),
                "each node must be an object",
                None,
            ));
        };
        let Some(id) = object
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            return Err(missing(rid, &field("id")));
        };
        if ids.contains(&id) {
            return Err(invalid(
                rid,
                &field("id"),
                &format!("Node id {id} is used twice"),
                None,
            ));
        }
        ids.push(id);
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !NODE_TYPES.contains(&kind) {
            return Err(invalid(
                rid,
                &field("type"),
                &format!("type must be one of {}", NODE_TYPES.join(", ")),
                object.get("type").cloned(),
            ));
        }
        match object.get("next") {
            None | Some(Value::Null | Value::String(_) | Value::Array(_)) => {}
            Some(_) => {
                return Err(invalid(
                    rid,
                    &field("next"),
                    "next must be a node id or a list of routes",
                    None,
                ));
            }
        }
        if kind == "verification" {
            check_providers(rid, app, object, &field("config"))?;
        }
    }
    let Some(entry) = entry.as_str() else {
        return Err(invalid(
            rid,
            "entryNodeId",
            "entryNodeId must be a string",
            None,
        ));
    };
    if !ids.contains(&entry) {
        return Err(invalid(
            rid,
            "entryNodeId",
            &format!("entryNodeId {entry} is not one of the nodes"),
            Some(Value::String(entry.to_owned())),
        ));
    }
    Ok((list.clone(), entry.to_owned()))
}

/// Every provider a verification node names must be enabled on the app.
fn check_providers(
    rid: &RequestId,
    app: &SbApp,
    node: &Map<String, Value>,
    field: &str,
) -> Result<(), StoredResponse> {
    let config = node.get("config").cloned().unwrap_or(Value::Null);
    for provider in crate::workflow::summary::providers_of(&config) {
        let enabled = app
            .providers
            .get(&provider)
            .and_then(|p| p.get("enabled"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !enabled {
            return Err(invalid(
                rid,
                field,
                &format!("Provider {provider} is not enabled on this app"),
                Some(Value::String(provider)),
            ));
        }
    }
    Ok(())
}

pub(super) async fn list_workflows(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
) -> Response {
    match shared.store().app(&id) {
        Some(app) => ok(Value::Array(app.workflows.clone())),
        None => app_not_found(&rid, &id),
    }
}

pub(super) async fn get_workflow(
    (State(shared), Extension(rid)): Ctx,
    Path((id, workflow_id)): Path<(String, String)>,
) -> Response {
    let store = shared.store();
    let Some(app) = store.app(&id) else {
        return app_not_found(&rid, &id);
    };
    match app
        .workflows
        .iter()
        .find(|w| w["workflowId"] == workflow_id.as_str())
    {
        Some(workflow) => ok(workflow.clone()),
        None => error_response(
            &rid,
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            &format!("Workflow {workflow_id} was not found on app {id}"),
            None,
        ),
    }
}

pub(super) async fn node_types(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
) -> Response {
    if shared.store().app(&id).is_none() {
        return app_not_found(&rid, &id);
    }
    ok(crate::sandbox::demo::node_type_catalog())
}
