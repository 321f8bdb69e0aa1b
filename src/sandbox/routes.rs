//! The sandbox's HTTP routes under `/connect/v1`, its auth check and the idempotency contract.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post, put};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use super::Shared;
use super::faults::fault_layer;
use super::store::{IdempotencyRecord, SbApp, Store, StoredResponse, merge_object, now_unix};

/// The id of one request, echoed in `X-Request-Id` and in error envelopes.
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub String);

const MAX_KEY_CHARS: usize = 255;
const MAX_NAME_CHARS: usize = 100;
const MAX_PAGE: usize = 100;
const MAX_BATCH: usize = 100;
const MAX_URIS: usize = 20;
const MAX_URI_CHARS: usize = 2048;

type Ctx = (State<Arc<Shared>>, Extension<RequestId>);

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/workspace", get(get_workspace))
        .route("/apps", get(list_apps).post(create_app))
        .route("/apps/batch", post(batch_create))
        .route("/apps/{id}", get(get_app).patch(update_app))
        .route("/apps/{id}/rotate-client-secret", post(rotate_secret))
        .route("/apps/{id}/redirect-uris", put(replace_redirect_uris))
        .route("/apps/{id}/workflows", get(list_workflows))
        .route("/apps/{id}/workflows/node-types", get(node_types))
        .route("/apps/{id}/workflows/{workflow_id}", get(get_workflow))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(shared.clone(), auth_layer));
    Router::new()
        .nest("/connect/v1", api)
        .fallback(not_found_route)
        .layer(middleware::from_fn_with_state(shared.clone(), fault_layer))
        .with_state(shared)
}

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

fn error_stored(
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

fn stored_to_response(stored: &StoredResponse, replayed: bool) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, axum::Json(stored.body.clone())).into_response();
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

fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
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

fn app_not_found(rid: &RequestId, id: &str) -> Response {
    stored_to_response(&app_not_found_stored(rid, id), false)
}

fn app_not_found_stored(rid: &RequestId, id: &str) -> StoredResponse {
    error_stored(
        rid,
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        &format!("App {id} was not found in this workspace"),
        Some(json!({"clientId": id})),
    )
}

fn missing(rid: &RequestId, parameter: &str) -> StoredResponse {
    error_stored(
        rid,
        StatusCode::BAD_REQUEST,
        "VALIDATION_MISSING_PARAMETER",
        &format!("{parameter} is required"),
        Some(json!({"parameter": parameter})),
    )
}

fn invalid(
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

fn json_object(rid: &RequestId, body: &[u8]) -> Result<Map<String, Value>, StoredResponse> {
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

/// Runs a keyed write once: a repeat with the same key and body replays the stored answer with
/// `Idempotency-Replayed: true`; a different body is 409 `IDEMPOTENCY_KEY_CONFLICT`; a repeat
/// while the first is still running is 409 `IDEMPOTENCY_REQUEST_IN_PROGRESS`.
async fn idempotent(
    shared: &Shared,
    rid: &RequestId,
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    body: &[u8],
    work: impl FnOnce(&mut Store) -> StoredResponse,
) -> Response {
    let key = match headers.get("idempotency-key").map(HeaderValue::to_str) {
        None => None,
        Some(Ok(key)) if !key.trim().is_empty() && key.chars().count() <= MAX_KEY_CHARS => {
            Some(key.to_owned())
        }
        Some(_) => {
            let stored = invalid(
                rid,
                "Idempotency-Key",
                &format!("Idempotency-Key must be 1 to {MAX_KEY_CHARS} visible characters"),
                None,
            );
            return stored_to_response(&stored, false);
        }
    };
    let fingerprint = fingerprint(&[method.as_str().as_bytes(), uri.path().as_bytes(), body]);
    if let Some(key) = &key {
        if let Some(answer) = claim_key(shared, rid, key, fingerprint) {
            return answer;
        }
        // The processing time, during which a duplicate sees "in progress".
        if !shared.config.latency.is_zero() {
            tokio::time::sleep(shared.config.latency).await;
        }
    }
    let stored = {
        let mut store = shared.store();
        let stored = work(&mut store);
        if let Some(key) = &key {
            if (200..300).contains(&stored.status) {
                if let Some(record) = store.idempotency.get_mut(key) {
                    record.response = Some(stored.clone());
                }
            } else {
                store.idempotency.remove(key);
            }
        }
        stored
    };
    shared.persist();
    stored_to_response(&stored, false)
}

/// Looks the key up: an answer to send now (replay or 409), or `None` after marking the key as
/// in progress for this request.
fn claim_key(shared: &Shared, rid: &RequestId, key: &str, fingerprint: String) -> Option<Response> {
    let mut store = shared.store();
    store.purge_expired();
    let conflict = |code: &str, message: &str| {
        Some(stored_to_response(
            &error_stored(rid, StatusCode::CONFLICT, code, message, None),
            false,
        ))
    };
    match store.idempotency.get(key) {
        Some(record) if record.fingerprint != fingerprint => conflict(
            "IDEMPOTENCY_KEY_CONFLICT",
            "This Idempotency-Key was already used with a different request; use a new key",
        ),
        Some(IdempotencyRecord {
            response: Some(stored),
            ..
        }) => Some(stored_to_response(stored, true)),
        Some(_) => conflict(
            "IDEMPOTENCY_REQUEST_IN_PROGRESS",
            "A request with this Idempotency-Key is still being processed; retry shortly",
        ),
        None => {
            store.idempotency.insert(
                key.to_owned(),
                IdempotencyRecord {
                    fingerprint,
                    response: None,
                    created_unix: now_unix(),
                },
            );
            None
        }
    }
}

fn fingerprint(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn get_workspace((State(shared), Extension(_rid)): Ctx) -> Response {
    let store = shared.store();
    ok(json!({
        "id": store.organization_id,
        "apps_count": store.apps.len(),
        "createdAt": super::store::iso_now(),
        "created_at": store.created_unix,
    }))
}

async fn list_apps(
    (State(shared), Extension(rid)): Ctx,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let number = |name: &str, default: usize| -> Result<usize, Box<Response>> {
        match query.get(name) {
            None => Ok(default),
            Some(raw) => raw.trim().parse::<usize>().map_err(|_| {
                Box::new(stored_to_response(
                    &invalid(
                        &rid,
                        name,
                        &format!("{name} must be a whole number"),
                        Some(json!(raw)),
                    ),
                    false,
                ))
            }),
        }
    };
    let (limit, offset) = match (number("limit", 20), number("offset", 0)) {
        (Ok(l), Ok(o)) => (l, o),
        (Err(e), _) | (_, Err(e)) => return *e,
    };
    if !(1..=MAX_PAGE).contains(&limit) {
        return stored_to_response(
            &invalid(
                &rid,
                "limit",
                &format!("limit must be between 1 and {MAX_PAGE}"),
                Some(json!(limit)),
            ),
            false,
        );
    }
    // Copy the page out so the lock is not held while it is serialized.
    let (page, total) = {
        let store = shared.store();
        let page: Vec<SbApp> = store
            .apps
            .iter()
            .skip(offset)
            .take(limit)
            .cloned()
            .collect();
        (page, store.apps.len())
    };
    #[derive(serde::Serialize)]
    struct PageOut {
        data: Vec<SbApp>,
        total: usize,
        limit: usize,
        offset: usize,
    }
    let body = PageOut {
        data: page,
        total,
        limit,
        offset,
    };
    (StatusCode::OK, axum::Json(body)).into_response()
}

async fn get_app((State(shared), Extension(rid)): Ctx, Path(id): Path<String>) -> Response {
    match shared.store().app(&id) {
        Some(app) => ok(app_json(app)),
        None => app_not_found(&rid, &id),
    }
}

async fn create_app(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |store| {
        let fields = match json_object(&rid, &body) {
            Ok(fields) => fields,
            Err(e) => return e,
        };
        let name = match check_name(&rid, fields.get("name")) {
            Ok(name) => name,
            Err(e) => return e,
        };
        let app = store.create_app(&name, Vec::new(), None);
        StoredResponse {
            status: StatusCode::CREATED.as_u16(),
            location: Some(format!("/connect/v1/apps/{}", app.client_id)),
            body: app_json(&app),
        }
    })
    .await
}

async fn batch_create(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |store| {
        let fields = match json_object(&rid, &body) {
            Ok(fields) => fields,
            Err(e) => return e,
        };
        let Some(items) = fields.get("items") else {
            return missing(&rid, "items");
        };
        let Some(items) = items.as_array() else {
            return invalid(&rid, "items", "items must be a list", None);
        };
        if items.is_empty() || items.len() > MAX_BATCH {
            return invalid(
                &rid,
                "items",
                &format!("items must hold 1 to {MAX_BATCH} apps"),
                Some(json!(items.len())),
            );
        }
        let continue_on_error = fields
            .get("continueOnError")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut results = Vec::with_capacity(items.len());
        let (mut successes, mut errors) = (0, 0);
        for item in items {
            let key = item
                .get("idempotencyKey")
                .and_then(Value::as_str)
                .map(str::to_owned);
            match batch_item(store, &rid, item) {
                Ok(app) => {
                    successes += 1;
                    results.push(json!({"app": app, "idempotencyKey": key}));
                }
                Err(error) => {
                    errors += 1;
                    results.push(json!({"error": error, "idempotencyKey": key}));
                    if !continue_on_error {
                        break;
                    }
                }
            }
        }
        StoredResponse {
            status: StatusCode::OK.as_u16(),
            body: json!({"results": results, "successCount": successes, "errorCount": errors}),
            location: None,
        }
    })
    .await
}

/// Creates one batch item, or replays it when its `idempotencyKey` was seen with the same item.
fn batch_item(store: &mut Store, rid: &RequestId, item: &Value) -> Result<Value, Value> {
    let inner = |stored: StoredResponse| stored.body["error"].clone();
    let Some(fields) = item.as_object() else {
        return Err(inner(invalid(
            rid,
            "items",
            "Each item must be an object",
            None,
        )));
    };
    let key = match fields.get("idempotencyKey") {
        None | Some(Value::Null) => None,
        Some(Value::String(k)) if !k.is_empty() && k.chars().count() <= MAX_KEY_CHARS => {
            Some(k.clone())
        }
        Some(_) => {
            return Err(inner(invalid(
                rid,
                "idempotencyKey",
                "idempotencyKey must be 1 to 255 characters",
                None,
            )));
        }
    };
    let fingerprint = fingerprint(&[serde_json::to_vec(item).unwrap_or_default().as_slice()]);
    if let Some((key, record)) = key
        .as_ref()
        .and_then(|k| store.item_keys.get(k).map(|r| (k, r)))
    {
        {
            return match &record.response {
                Some(stored) if record.fingerprint == fingerprint => Ok(stored.body.clone()),
                _ => Err(json!({
                    "code": "IDEMPOTENCY_KEY_CONFLICT",
                    "message": "This idempotencyKey was already used for a different item",
                    "details": {"parameter": "idempotencyKey", "value": key}
                })),
            };
        }
    }
    let name = check_name(rid, fields.get("name")).map_err(inner)?;
    let uris = match fields.get("redirectUris") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => check_redirect_uris(rid, value).map_err(inner)?,
    };
    let webhook = match fields.get("webhookConfig") {
        None | Some(Value::Null) => None,
        Some(value) => Some(check_webhook(rid, value).map_err(inner)?),
    };
    let app = store.create_app(&name, uris, webhook.as_ref());
    let body = json!({
        "clientId": app.client_id, "clientSecret": app.client_secret, "name": app.name,
        "redirectUris": app.redirect_uris, "webhookConfig": app.webhook_config,
    });
    if let Some(key) = key {
        store.item_keys.insert(
            key,
            IdempotencyRecord {
                fingerprint,
                response: Some(StoredResponse {
                    status: 201,
                    body: body.clone(),
                    location: None,
                }),
                created_unix: now_unix(),
            },
        );
    }
    Ok(body)
}

async fn update_app(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let stored = {
        let mut store = shared.store();
        patch_app(&mut store, &rid, &id, &body)
    };
    if stored.status == 200 {
        shared.persist();
    }
    stored_to_response(&stored, false)
}

fn patch_app(store: &mut Store, rid: &RequestId, id: &str, body: &[u8]) -> StoredResponse {
    let fields = match json_object(rid, body) {
        Ok(fields) => fields,
        Err(e) => return e,
    };
    if store.app(id).is_none() {
        return app_not_found_stored(rid, id);
    }
    for immutable in ["clientId", "clientSecret", "client_id", "client_secret"] {
        if fields.contains_key(immutable) {
            return invalid(
                rid,
                immutable,
                &format!("{immutable} cannot be changed"),
                None,
            );
        }
    }
    let name = match fields.get("name") {
        None => None,
        value => match check_name(rid, value) {
            Ok(name) => Some(name),
            Err(e) => return e,
        },
    };
    let uris = match fields.get("redirectUris") {
        None => None,
        Some(value) => match check_redirect_uris(rid, value) {
            Ok(uris) => Some(uris),
            Err(e) => return e,
        },
    };
    let webhook = match fields.get("webhookConfig") {
        None => None,
        Some(value) => match check_webhook(rid, value) {
            Ok(webhook) => Some(webhook),
            Err(e) => return e,
        },
    };
    let Some(app) = store.app_mut(id) else {
        return missing(rid, "clientId");
    };
    if let Some(name) = name {
        app.name = name;
    }
    if let Some(uris) = uris {
        app.redirect_uris = uris;
    }
    if let Some(webhook) = webhook {
        merge_object(&mut app.webhook_config, &webhook);
    }
    StoredResponse {
        status: 200,
        body: app_json(app),
        location: None,
    }
}

async fn rotate_secret(
    (State(shared), Extension(rid)): Ctx,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    idempotent(&shared, &rid, &headers, &method, &uri, &body, |store| {
        let secret = store.new_secret();
        match store.app_mut(&id) {
            Some(app) => {
                app.client_secret.clone_from(&secret);
                StoredResponse {
                    status: 200,
                    body: json!({"clientSecret": secret}),
                    location: None,
                }
            }
            None => app_not_found_stored(&rid, &id),
        }
    })
    .await
}

async fn replace_redirect_uris(
    (State(shared), Extension(rid)): Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let stored = {
        let mut store = shared.store();
        let checked =
            json_object(&rid, &body).and_then(|fields| match fields.get("redirectUris") {
                None | Some(Value::Null) => Err(missing(&rid, "redirectUris")),
                Some(value) => check_redirect_uris(&rid, value),
            });
        match (checked, store.app_mut(&id)) {
            (_, None) => return app_not_found(&rid, &id),
            (Err(e), _) => e,
            (Ok(uris), Some(app)) => {
                app.redirect_uris.clone_from(&uris);
                StoredResponse {
                    status: 200,
                    body: json!({"redirectUris": uris}),
                    location: None,
                }
            }
        }
    };
    if stored.status == 200 {
        shared.persist();
    }
    stored_to_response(&stored, false)
}

async fn list_workflows((State(shared), Extension(rid)): Ctx, Path(id): Path<String>) -> Response {
    match shared.store().app(&id) {
        Some(app) => ok(Value::Array(app.workflows.clone())),
        None => app_not_found(&rid, &id),
    }
}

async fn get_workflow(
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

async fn node_types((State(shared), Extension(rid)): Ctx, Path(id): Path<String>) -> Response {
    if shared.store().app(&id).is_none() {
        return app_not_found(&rid, &id);
    }
    ok(super::demo::node_type_catalog())
}

fn app_json(app: &SbApp) -> Value {
    serde_json::to_value(app).unwrap_or(Value::Null)
}

/// Name rules: a string, not blank, at most 100 characters, no control characters.
fn check_name(rid: &RequestId, value: Option<&Value>) -> Result<String, StoredResponse> {
    let Some(raw) = value.and_then(Value::as_str) else {
        return Err(match value {
            None | Some(Value::Null) => missing(rid, "name"),
            Some(_) => invalid(rid, "name", "name must be a string", None),
        });
    };
    let name = raw.trim();
    if name.is_empty() {
        return Err(missing(rid, "name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            rid,
            "name",
            &format!("name must be at most {MAX_NAME_CHARS} characters"),
            None,
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(
            rid,
            "name",
            "name must not contain control characters",
            None,
        ));
    }
    Ok(name.to_owned())
}

/// The documented redirect-URI rules; returns the list de-duplicated with hosts lower-cased.
fn check_redirect_uris(rid: &RequestId, value: &Value) -> Result<Vec<String>, StoredResponse> {
    let Some(items) = value.as_array() else {
        return Err(invalid(
            rid,
            "redirectUris",
            "redirectUris must be a list of strings",
            None,
        ));
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let Some(raw) = item.as_str() else {
            return Err(invalid(
                rid,
                "redirectUris",
                "redirectUris must be a list of strings",
                None,
            ));
        };
        let bad = |why: &str| invalid(rid, "redirectUris", why, Some(json!(raw)));
        if raw.chars().count() > MAX_URI_CHARS {
            return Err(bad("A redirect URI may be at most 2048 characters"));
        }
        if raw.contains('#') {
            return Err(bad("A redirect URI must not contain a fragment"));
        }
        let Ok(url) = url::Url::parse(raw) else {
            return Err(bad("A redirect URI must be an absolute URL"));
        };
        let Some(host) = url.host_str() else {
            return Err(bad("A redirect URI must have a host"));
        };
        let allowed = url.scheme() == "https" || (url.scheme() == "http" && host == "localhost");
        if !allowed {
            return Err(bad(
                "A redirect URI must use https (http is allowed only for localhost)",
            ));
        }
        let normalized = url.to_string();
        if !out.contains(&normalized) {
            out.push(normalized);
        }
    }
    if out.len() > MAX_URIS {
        return Err(invalid(
            rid,
            "redirectUris",
            "An app may have at most 20 redirect URIs",
            Some(json!(out.len())),
        ));
    }
    Ok(out)
}

fn check_webhook(rid: &RequestId, value: &Value) -> Result<Value, StoredResponse> {
    let Some(fields) = value.as_object() else {
        return Err(invalid(
            rid,
            "webhookConfig",
            "webhookConfig must be an object",
            None,
        ));
    };
    if fields.contains_key("secret") {
        return Err(invalid(
            rid,
            "webhookConfig.secret",
            "The webhook secret cannot be set; rotate it instead",
            None,
        ));
    }
    if let Some(url) = fields.get("url").filter(|u| !u.is_null()) {
        let valid = url
            .as_str()
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| u.scheme() == "https");
        if !valid {
            return Err(invalid(
                rid,
                "webhookConfig.url",
                "The webhook URL must be an https address",
                None,
            ));
        }
    }
    Ok(value.clone())
}
