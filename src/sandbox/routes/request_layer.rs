//! The outermost layer of every Workspace API request: its request id, the configured latency,
//! and injected faults worded in this API's error envelope (the ZITADEL routes word their own).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::RequestId;
use super::envelope::error_response;
use crate::sandbox::Shared;
use crate::sandbox::faults::{self, Refusal};

/// Assigns the request id, adds latency, injects faults, sets `X-Request-Id`.
pub(super) async fn fault_layer(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let request_id = RequestId(uuid::Uuid::new_v4().to_string());
    request.extensions_mut().insert(request_id.clone());
    let method = request.method().clone();
    let is_write = method != Method::GET && method != Method::HEAD;
    // Keyed creates wait inside their in-progress window instead (see `idempotency::idempotent`).
    let keyed_create = method == Method::POST && request.headers().contains_key("idempotency-key");
    if !keyed_create && !shared.config.latency.is_zero() {
        tokio::time::sleep(shared.config.latency).await;
    }
    let fault = shared
        .faults
        .next(is_write, shared.config.fail_rate, shared.config.drop_rate);
    let mut response = faults::answer(fault, request, next, |refusal| match refusal {
        Refusal::ServerError => error_response(
            &request_id,
            StatusCode::INTERNAL_SERVER_ERROR,
            "SYSTEM_INTERNAL_ERROR",
            "An internal error occurred (injected by the sandbox)",
            None,
        ),
        Refusal::TooManyRequests => error_response(
            &request_id,
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Too many requests (injected by the sandbox)",
            None,
        ),
    })
    .await;
    if let Ok(value) = HeaderValue::from_str(&request_id.0) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
