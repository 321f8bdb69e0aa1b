//! The sandbox's HTTP routes under `/connect/v1` and its auth check.
//!
//! | module | owns |
//! |---|---|
//! | `request_layer` | the outermost layer: request id, latency, injected faults |
//! | `envelope` | the `{error, request_id}` envelope and the common error answers |
//! | `idempotency` | the `Idempotency-Key` contract: replay, conflict, in progress |
//! | `validation` | the documented rules for names, redirect URIs and webhook configs |
//! | `workspace` | `GET /workspace` |
//! | `apps` | list, get, create, update, rotate, redirect URIs |
//! | `webhook` | the webhook config merge, `GET`/`PATCH /webhook-config`, secret rotation |
//! | `providers` | an app's provider catalog with activation status |
//! | `batch` | `POST /apps/batch` with per-item keys |
//! | `workflows` | an app's workflows and the node-type catalog |

mod apps;
mod batch;
mod envelope;
mod idempotency;
mod providers;
mod request_layer;
mod validation;
mod webhook;
mod workflows;
mod workspace;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Extension, Request, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};

use super::Shared;
use super::store::{Store, StoredResponse};
use envelope::error_response;
// The in-memory backend applies the same rules without HTTP.
pub(crate) use providers::provider_json;
use request_layer::fault_layer;
pub(crate) use webhook::{enabled_without_url as webhook_lacks_url, merged as merged_webhook};

/// The id of one request, echoed in `X-Request-Id` and in error envelopes.
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub String);

type Ctx = (State<Arc<Shared>>, Extension<RequestId>);

/// Runs a change without an idempotency key under the store's lock, and saves the state file
/// when it succeeded.
fn change(shared: &Shared, work: impl FnOnce(&mut Store) -> StoredResponse) -> Response {
    // The lock is released at the end of this statement, before `persist` takes it again.
    let stored = work(&mut shared.store());
    if stored.status == 200 {
        shared.persist();
    }
    envelope::stored_to_response(&stored, false)
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/workspace", get(workspace::get_workspace))
        .route("/apps", get(apps::list_apps).post(apps::create_app))
        .route("/apps/batch", post(batch::batch_create))
        .route("/apps/{id}", get(apps::get_app).patch(apps::update_app))
        .route("/apps/{id}/rotate-client-secret", post(apps::rotate_secret))
        .route("/apps/{id}/redirect-uris", put(apps::replace_redirect_uris))
        .route(
            "/apps/{id}/webhook-config",
            get(webhook::get_webhook_config).patch(webhook::patch_webhook_config),
        )
        // The Gen-1 spelling of the same resource.
        .route(
            "/apps/{id}/webhook_config",
            get(webhook::get_webhook_config).patch(webhook::patch_webhook_config),
        )
        .route(
            "/apps/{id}/webhook-config/rotate-secret",
            post(webhook::rotate_webhook_secret),
        )
        .route("/apps/{id}/providers", get(providers::list_providers))
        .route(
            "/apps/{id}/workflows",
            get(workflows::list_workflows).post(workflows::create_workflow),
        )
        .route(
            "/apps/{id}/workflows/node-types",
            get(workflows::node_types),
        )
        .route(
            "/apps/{id}/workflows/{workflow_id}",
            get(workflows::get_workflow).patch(workflows::update_workflow),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(shared.clone(), auth_layer));
    Router::new()
        .nest("/connect/v1", api)
        .fallback(not_found_route)
        .layer(middleware::from_fn_with_state(shared.clone(), fault_layer))
        .with_state(shared)
}

/// Bearer auth: the configured key, or any `sk_workspace_test_` key.
async fn auth_layer(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or(RequestId(String::new()));
    let key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let accepted = match (key, &shared.config.api_key) {
        (Some(key), Some(expected)) => key == expected,
        (Some(key), None) => {
            key.starts_with("sk_workspace_test_") && key.len() > "sk_workspace_test_".len()
        }
        (None, _) => false,
    };
    if !accepted {
        let message = if key.is_none() {
            "Missing API key: send Authorization: Bearer sk_workspace_..."
        } else {
            "The API key is not valid for this workspace"
        };
        return error_response(
            &request_id,
            StatusCode::UNAUTHORIZED,
            "AUTH_INVALID_CREDENTIALS",
            message,
            None,
        );
    }
    next.run(request).await
}

async fn not_found_route(
    Extension(rid): Extension<RequestId>,
    method: Method,
    uri: Uri,
) -> Response {
    error_response(
        &rid,
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        &format!("No route for {method} {}", uri.path()),
        None,
    )
}

async fn method_not_allowed(
    Extension(rid): Extension<RequestId>,
    method: Method,
    uri: Uri,
) -> Response {
    error_response(
        &rid,
        StatusCode::METHOD_NOT_ALLOWED,
        "VALIDATION_INVALID_PARAMETER",
        &format!("{method} is not supported on {}", uri.path()),
        None,
    )
}
