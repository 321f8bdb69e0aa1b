//! The API's error envelope `{error:{code,message,details}, request_id}` and the answers every
//! route shares: not found, missing or invalid parameter, a body that is not a JSON object.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use serde_json::{Map, Value, json};

use super::RequestId;
use crate::sandbox::store::StoredResponse;

/// `{error:{code,message,details}, request_id}` with the given status.
pub(crate) fn error_response(
    request_id: &RequestId,
    status: StatusCode,
    code: &str,
    message: &str,
    details: Option<Value>,
) -> Response {
    stored_to_response(
        &error_stored(request_id, status, code, message, details),
        false,
    )
}

pub(super) fn error_stored(
    request_id: &RequestId,
    status: StatusCode,
    code: &str,
    message: &str,
    details: Option<Value>,
) -> StoredResponse {
    let mut error = json!({"code": code, "message": message});
    if let Some(details) = details {
        error["details"] = details;
    }
    StoredResponse {
        status: status.as_u16(),
        body: json!({"error": error, "request_id": request_id.0}),
        location: None,
    }
}

pub(super) fn stored_to_response(stored: &StoredResponse, replayed: bool) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    // Written straight from the stored value: a batch answer is too big to clone per request.
    let body = serde_json::to_vec(&stored.body).unwrap_or_default();
    let json = HeaderValue::from_static("application/json");
    let mut response = (status, [(header::CONTENT_TYPE, json)], body).into_response();
    let headers = response.headers_mut();
    if let Some(location) = stored
        .location
        .as_deref()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        headers.insert(header::LOCATION, location);
    }
    if replayed {
        headers.insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    response
}

pub(super) fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

pub(super) fn app_not_found(rid: &RequestId, id: &str) -> Response {
    stored_to_response(&app_not_found_stored(rid, id), false)
}

pub(super) fn app_not_found_stored(rid: &RequestId, id: &str) -> StoredResponse {
    error_stored(
        rid,
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        &format!("App {id} was not found in this workspace"),
        Some(json!({"clientId": id})),
    )
}

pub(super) fn missing(rid: &RequestId, parameter: &str) -> StoredResponse {
    error_stored(
        rid,
        StatusCode::BAD_REQUEST,
        "VALIDATION_MISSING_PARAMETER",
        &format!("{parameter} is required"),
        Some(json!({"parameter": parameter})),
    )
}

pub(super) fn invalid(
    rid: &RequestId,
    parameter: &str,
    message: &str,
    value: Option<Value>,
) -> StoredResponse {
    let mut details = json!({"parameter": parameter});
    if let Some(value) = value {
        details["value"] = value;
    }
    error_stored(
        rid,
        StatusCode::BAD_REQUEST,
        "VALIDATION_INVALID_PARAMETER",
        message,
        Some(details),
    )
}

pub(super) fn json_object(
    rid: &RequestId,
    body: &[u8],
) -> Result<Map<String, Value>, StoredResponse> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid(
            rid,
            "body",
            "The request body must be a JSON object",
            None,
        )),
    }
}
