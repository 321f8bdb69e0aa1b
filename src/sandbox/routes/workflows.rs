//! An app's workflows (`GET /apps/{id}/workflows`, one by id) and the node-type catalog.

use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::Ctx;
use super::envelope::{app_not_found, error_response, ok};

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
