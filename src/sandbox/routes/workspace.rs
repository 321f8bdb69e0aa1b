//! `GET /workspace`: the organization, its app count and when it was created.

use axum::extract::{Extension, State};
use axum::response::Response;
use serde_json::json;

use super::Ctx;
use super::envelope::ok;

pub(super) async fn get_workspace((State(shared), Extension(_rid)): Ctx) -> Response {
    let store = shared.store();
    ok(json!({
        "id": store.organization_id,
        "apps_count": store.apps.len(),
        "createdAt": crate::sandbox::store::iso_now(),
        "created_at": store.created_unix,
    }))
}
