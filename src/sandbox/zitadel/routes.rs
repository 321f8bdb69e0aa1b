//! The ZITADEL sandbox's HTTP routes under `/management/v1`: the token and organisation check,
//! fault injection, and the project and API-app calls, answered the way the grpc-gateway
//! writes them (lowerCamelCase, 64-bit integers as strings, zero values omitted, errors as a
//! `google.rpc.Status`).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Map, Value};

use super::ZShared;
use super::status::Status;
use super::store::{HOME_ORG_ID, Kind, MAX_NAME_CHARS, SbApp, SbKey, SbProject, Stamp};
use crate::sandbox::faults::{self, Refusal};
use crate::sandbox::store::iso_now;

/// Tokens starting with this are accepted with every permission (unless `--api-key` is set).
pub const PAT_PREFIX: &str = "FAKE_PAT_";
/// Tokens starting with this may read but not change anything (7 PERMISSION_DENIED).
pub const READONLY_PAT_PREFIX: &str = "FAKE_PAT_READONLY_";

/// The largest `limit`; also what `limit` 0 or absent returns.
const MAX_LIMIT: u64 = 1000;

/// Who is calling, in which organisation.
#[derive(Debug, Clone)]
struct Caller {
    org: String,
}

type Ctx = (State<Arc<ZShared>>, Extension<Caller>);

pub(crate) fn router(shared: Arc<ZShared>) -> Router {
    let api = Router::new()
        .route("/projects/_search", post(list_projects))
        .route("/projects/{project_id}/apps/_search", post(list_apps))
        .route("/projects/{project_id}/apps/api", post(add_api_app))
        .route(
            "/projects/{project_id}/apps/{app_id}",
            get(get_app).put(update_app),
        )
        .route(
            "/projects/{project_id}/apps/{app_id}/api_config/_generate_client_secret",
            post(regenerate_secret),
        )
        .route(
            "/projects/{project_id}/apps/{app_id}/_deactivate",
            post(deactivate_app),
        )
        .route(
            "/projects/{project_id}/apps/{app_id}/_reactivate",
            post(reactivate_app),
        )
        .route("/projects/{project_id}/apps/{app_id}/keys", post(add_key))
        .route(
            "/projects/{project_id}/apps/{app_id}/keys/_search",
            post(list_keys),
        )
        .route(
            "/projects/{project_id}/apps/{app_id}/keys/{key_id}",
            get(get_key).delete(delete_key),
        )
        .route_layer(middleware::from_fn_with_state(shared.clone(), auth_layer))
        .fallback(|| async { Status::new(5, "Not Found", None) })
        .method_not_allowed_fallback(|| async {
            Status::new(12, "Method Not Allowed", None).with_http(StatusCode::METHOD_NOT_ALLOWED)
        });
    Router::new()
        .nest("/management/v1", api)
        // Outside the gateway: Go's plain-text 404.
        .fallback(|| async { (StatusCode::NOT_FOUND, "404 page not found") })
        .layer(middleware::from_fn_with_state(shared.clone(), fault_layer))
        .with_state(shared)
}

/// Whether a request changes something (searches are POSTs that only read).
fn is_write(method: &Method, path: &str) -> bool {
    method != Method::GET && method != Method::HEAD && !path.ends_with("/_search")
}

/// Outermost layer: latency, then an injected fault or the real handling.
async fn fault_layer(State(shared): State<Arc<ZShared>>, request: Request, next: Next) -> Response {
    if !shared.config.latency.is_zero() {
        tokio::time::sleep(shared.config.latency).await;
    }
    let write = is_write(request.method(), request.uri().path());
    let fault = shared
        .faults
        .next(write, shared.config.fail_rate, shared.config.drop_rate);
    faults::answer(fault, request, next, |refusal| match refusal {
        Refusal::ServerError => Status::new(
            13,
            "An internal error occurred (injected by the sandbox)",
            Some("SANDBOX-fault"),
        )
        .into_response(),
        Refusal::TooManyRequests => Status::new(
            8,
            "Too many requests (injected by the sandbox)",
            Some("SANDBOX-limit"),
        )
        .into_response(),
    })
    .await
}

/// `Authorization: Bearer <PAT>` (16 otherwise), then the organisation from `x-zitadel-orgid`
/// (7 for one the token has no access to), then write permission (7 for a read-only token).
async fn auth_layer(
    State(shared): State<Arc<ZShared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Some(token) = header
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
    else {
        return Status::unauthenticated(true).into_response();
    };
    let accepted = match &shared.config.api_key {
        Some(expected) => token == expected,
        None => token.starts_with(PAT_PREFIX) && token.len() > PAT_PREFIX.len(),
    };
    if !accepted {
        return Status::unauthenticated(false).into_response();
    }
    let read_only = shared.config.api_key.is_none() && token.starts_with(READONLY_PAT_PREFIX);
    let org = match request
        .headers()
        .get("x-zitadel-orgid")
        .map(|v| v.to_str().map(str::trim))
    {
        None | Some(Ok("")) => HOME_ORG_ID.to_owned(),
        Some(Ok(org)) if shared.store().org(org).is_some() => org.to_owned(),
        Some(_) => return Status::permission_denied().into_response(),
    };
    if read_only && is_write(request.method(), request.uri().path()) {
        return Status::permission_denied().into_response();
    }
    request.extensions_mut().insert(Caller { org });
    next.run(request).await
}

// ---- wire output (the sandbox's own types) ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DetailsOut {
    sequence: String,
    creation_date: String,
    change_date: String,
    resource_owner: String,
}

impl DetailsOut {
    fn new(stamp: &Stamp, org: &str) -> Self {
        Self {
            sequence: stamp.sequence.to_string(),
            creation_date: stamp.created.clone(),
            change_date: stamp.changed.clone(),
            resource_owner: org.to_owned(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListDetailsOut {
    /// Counted per returned row: absent on an empty page.
    #[serde(skip_serializing_if = "Option::is_none")]
    total_result: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    processed_sequence: Option<String>,
    timestamp: String,
}

#[derive(Serialize)]
struct ListOut<T: Serialize> {
    details: ListDetailsOut,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    result: Vec<T>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiConfigOut {
    client_id: String,
    /// BASIC is the zero value and is omitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_method_type: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OidcConfigOut {
    client_id: String,
    redirect_uris: Vec<&'static str>,
    auth_method_type: &'static str,
    dev_mode: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppOut {
    id: String,
    details: DetailsOut,
    state: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_config: Option<ApiConfigOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    oidc_config: Option<OidcConfigOut>,
}

impl AppOut {
    fn new(app: &SbApp, org: &str) -> Self {
        let (api_config, oidc_config) = match app.kind {
            Kind::Api { private_key_jwt } => (
                Some(ApiConfigOut {
                    client_id: app.client_id.clone(),
                    auth_method_type: private_key_jwt
                        .then_some("API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"),
                }),
                None,
            ),
            Kind::Oidc => (
                None,
                Some(OidcConfigOut {
                    client_id: app.client_id.clone(),
                    redirect_uris: vec!["https://admin.example.com/callback"],
                    auth_method_type: "OIDC_AUTH_METHOD_TYPE_NONE",
                    dev_mode: true,
                }),
            ),
        };
        Self {
            id: app.id.clone(),
            details: DetailsOut::new(&app.stamp, org),
            state: if app.active {
                "APP_STATE_ACTIVE"
            } else {
                "APP_STATE_INACTIVE"
            },
            name: app.name.clone(),
            api_config,
            oidc_config,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProjectOut {
    id: String,
    details: DetailsOut,
    name: String,
    state: &'static str,
}

impl ProjectOut {
    fn new(project: &SbProject, org: &str) -> Self {
        Self {
            id: project.id.clone(),
            details: DetailsOut::new(&project.stamp, org),
            name: project.name.clone(),
            state: if project.active {
                "PROJECT_STATE_ACTIVE"
            } else {
                "PROJECT_STATE_INACTIVE"
            },
        }
    }
}

fn ok<T: Serialize>(body: T) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

#[derive(Serialize)]
struct DetailsOnly {
    details: DetailsOut,
}

// ---- request input ----

/// The body as a JSON object; empty is `{}`. Both lowerCamelCase and snake_case are read.
fn object(body: &[u8]) -> Result<Map<String, Value>, Status> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Status::invalid(
            "proto: syntax error: the request body must be a JSON object",
        )),
        Err(e) => Err(Status::invalid(format!(
            "proto: syntax error (line {}:{}): unexpected token",
            e.line(),
            e.column()
        ))),
    }
}

fn field<'a>(map: &'a Map<String, Value>, camel: &str, snake: &str) -> Option<&'a Value> {
    map.get(camel)
        .or_else(|| map.get(snake))
        .filter(|v| !v.is_null())
}

/// An unsigned integer written as a number or as a string.
fn uint(value: Option<&Value>, what: &str) -> Result<u64, Status> {
    match value {
        None => Some(0),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    }
    .ok_or_else(|| Status::invalid(format!("proto: invalid value for {what}")))
}

/// `{query: {offset, limit}, queries: [{nameQuery: {name, method}}]}`.
#[derive(Debug)]
struct ListInput {
    offset: usize,
    limit: usize,
    names: Vec<(String, i64)>,
}

fn list_input(body: &[u8]) -> Result<ListInput, Status> {
    let map = object(body)?;
    let empty = Map::new();
    let query = field(&map, "query", "query")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let offset = uint(field(query, "offset", "offset"), "uint64 field offset")?;
    let limit = uint(field(query, "limit", "limit"), "uint32 field limit")?;
    if limit > MAX_LIMIT {
        return Err(Status::new(3, "Limit exceeded", Some("QUERY-4M0fs")));
    }
    let limit = if limit == 0 { MAX_LIMIT } else { limit };
    let mut names = Vec::new();
    for query in field(&map, "queries", "queries")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name_query) = query
            .as_object()
            .and_then(|q| field(q, "nameQuery", "name_query"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let name = field(name_query, "name", "name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let method = match field(name_query, "method", "method") {
            None => 0,
            Some(Value::Number(n)) => n.as_i64().unwrap_or(-1),
            Some(Value::String(s)) => TEXT_METHODS
                .iter()
                .position(|m| m == s)
                .map_or(-1, |i| i as i64),
            Some(_) => -1,
        };
        if !(0..TEXT_METHODS.len() as i64).contains(&method) {
            return Err(Status::invalid(
                "invalid AppNameQuery.Method: value must be one of the defined enum values",
            ));
        }
        names.push((name, method));
    }
    Ok(ListInput {
        offset: usize::try_from(offset).unwrap_or(usize::MAX),
        limit: usize::try_from(limit).unwrap_or(usize::MAX),
        names,
    })
}

const TEXT_METHODS: [&str; 8] = [
    "TEXT_QUERY_METHOD_EQUALS",
    "TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE",
    "TEXT_QUERY_METHOD_STARTS_WITH",
    "TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE",
    "TEXT_QUERY_METHOD_CONTAINS",
    "TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE",
    "TEXT_QUERY_METHOD_ENDS_WITH",
    "TEXT_QUERY_METHOD_ENDS_WITH_IGNORE_CASE",
];

fn name_matches(name: &str, wanted: &str, method: i64) -> bool {
    let (name, wanted) = if method % 2 == 1 {
        (name.to_lowercase(), wanted.to_lowercase())
    } else {
        (name.to_owned(), wanted.to_owned())
    };
    match method / 2 {
        0 => name == wanted,
        1 => name.starts_with(&wanted),
        2 => name.contains(&wanted),
        _ => name.ends_with(&wanted),
    }
}

/// A page of `rows`, with `totalResult` only when the page has rows.
fn page<T: Serialize>(rows: Vec<T>, input: &ListInput, sequence: u64) -> Response {
    let total = rows.len();
    let result: Vec<T> = rows
        .into_iter()
        .skip(input.offset)
        .take(input.limit)
        .collect();
    let details = ListDetailsOut {
        total_result: (!result.is_empty()).then(|| total.to_string()),
        processed_sequence: (sequence > 0).then(|| sequence.to_string()),
        timestamp: iso_now(),
    };
    ok(ListOut { details, result })
}

/// A name checked by the proto rule (1 to 200 runes).
fn name_input(map: &Map<String, Value>, request: &str) -> Result<String, Status> {
    let name = field(map, "name", "name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let count = name.chars().count();
    if count == 0 || count > MAX_NAME_CHARS {
        return Err(Status::invalid(format!(
            "invalid {request}.Name: value length must be between 1 and {MAX_NAME_CHARS} runes, inclusive"
        )));
    }
    Ok(name.to_owned())
}

// ---- handlers ----

async fn list_projects((State(shared), Extension(caller)): Ctx, body: Bytes) -> Response {
    let input = match list_input(&body) {
        Ok(input) => input,
        Err(status) => return status.into_response(),
    };
    let store = shared.store();
    let rows: Vec<ProjectOut> = store
        .org(&caller.org)
        .map(|org| {
            org.projects
                .iter()
                .filter(|p| {
                    input
                        .names
                        .iter()
                        .all(|(n, m)| name_matches(&p.name, n, *m))
                })
                .map(|p| ProjectOut::new(p, &org.id))
                .collect()
        })
        .unwrap_or_default();
    page(rows, &input, store.sequence())
}

async fn list_apps(
    (State(shared), Extension(caller)): Ctx,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Response {
    let input = match list_input(&body) {
        Ok(input) => input,
        Err(status) => return status.into_response(),
    };
    let store = shared.store();
    // A project that does not exist here is an empty list, as on the server.
    let rows: Vec<AppOut> = store
        .project(&caller.org, &project_id)
        .map(|p| {
            p.apps
                .iter()
                .filter(|a| {
                    input
                        .names
                        .iter()
                        .all(|(n, m)| name_matches(&a.name, n, *m))
                })
                .map(|a| AppOut::new(a, &caller.org))
                .collect()
        })
        .unwrap_or_default();
    page(rows, &input, store.sequence())
}

async fn get_app(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id)): Path<(String, String)>,
) -> Response {
    #[derive(Serialize)]
    struct GetOut {
        app: AppOut,
    }
    let store = shared.store();
    match store
        .project(&caller.org, &project_id)
        .and_then(|p| p.apps.iter().find(|a| a.id == app_id))
    {
        Some(app) => ok(GetOut {
            app: AppOut::new(app, &caller.org),
        }),
        None => Status::app_not_existing().into_response(),
    }
}

async fn add_api_app(
    (State(shared), Extension(caller)): Ctx,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct AddOut {
        app_id: String,
        details: DetailsOut,
        client_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_secret: Option<String>,
    }
    let input = object(&body).and_then(|map| {
        let name = name_input(&map, "AddAPIAppRequest")?;
        let private_key_jwt = match field(&map, "authMethodType", "auth_method_type") {
            None => false,
            Some(Value::String(s)) if s == "API_AUTH_METHOD_TYPE_BASIC" => false,
            Some(Value::String(s)) if s == "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT" => true,
            Some(Value::Number(n)) if n.as_u64() == Some(0) => false,
            Some(Value::Number(n)) if n.as_u64() == Some(1) => true,
            Some(_) => {
                return Err(Status::invalid(
                    "invalid AddAPIAppRequest.AuthMethodType: value must be one of the defined enum values",
                ));
            }
        };
        Ok((name, private_key_jwt))
    });
    let (name, private_key_jwt) = match input {
        Ok(input) => input,
        Err(status) => return status.into_response(),
    };
    let created = shared.store().add_app(
        &caller.org,
        &project_id,
        &name,
        Kind::Api { private_key_jwt },
        None,
    );
    match created {
        Ok((app, client_secret)) => ok(AddOut {
            app_id: app.id,
            details: DetailsOut::new(&app.stamp, &caller.org),
            client_id: app.client_id,
            client_secret,
        }),
        Err(status) => status.into_response(),
    }
}

async fn update_app(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let name = match object(&body).and_then(|map| name_input(&map, "UpdateAppRequest")) {
        Ok(name) => name,
        Err(status) => return status.into_response(),
    };
    let renamed = shared
        .store()
        .rename(&caller.org, &project_id, &app_id, &name);
    match renamed {
        Ok(stamp) => ok(DetailsOnly {
            details: DetailsOut::new(&stamp, &caller.org),
        }),
        Err(status) => status.into_response(),
    }
}

async fn regenerate_secret(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id)): Path<(String, String)>,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SecretOut {
        client_secret: String,
        details: DetailsOut,
    }
    let regenerated = shared
        .store()
        .regenerate_secret(&caller.org, &project_id, &app_id);
    match regenerated {
        Ok((client_secret, stamp)) => ok(SecretOut {
            client_secret,
            details: DetailsOut::new(&stamp, &caller.org),
        }),
        Err(status) => status.into_response(),
    }
}

/// A key as the list and the get show it (never the key itself).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyOut {
    id: String,
    details: DetailsOut,
    #[serde(rename = "type")]
    key_type: &'static str,
    expiration_date: String,
}

impl KeyOut {
    fn new(key: &SbKey, org: &str) -> Self {
        Self {
            id: key.id.clone(),
            details: DetailsOut::new(&key.stamp, org),
            key_type: "KEY_TYPE_JSON",
            expiration_date: key.expiration.clone(),
        }
    }
}

async fn add_key(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct AddKeyOut {
        id: String,
        details: DetailsOut,
        key_details: String,
    }
    let input = object(&body).and_then(|map| {
        match field(&map, "type", "type") {
            None => {}
            Some(Value::String(s)) if s == "KEY_TYPE_JSON" => {}
            Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
            Some(_) => {
                return Err(Status::invalid(
                    "invalid AddAppKeyRequest.Type: value must be one of the defined enum values",
                ));
            }
        }
        match field(&map, "expirationDate", "expiration_date") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Status::invalid("invalid AddAppKeyRequest.ExpirationDate")),
        }
    });
    let expiration = match input {
        Ok(expiration) => expiration,
        Err(status) => return status.into_response(),
    };
    let added = shared
        .store()
        .add_key(&caller.org, &project_id, &app_id, expiration.as_deref());
    match added {
        Ok((key, file)) => {
            use base64::Engine as _;
            ok(AddKeyOut {
                id: key.id.clone(),
                details: DetailsOut::new(&key.stamp, &caller.org),
                key_details: base64::engine::general_purpose::STANDARD.encode(file),
            })
        }
        Err(status) => status.into_response(),
    }
}

async fn list_keys(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let input = match list_input(&body) {
        Ok(input) => input,
        Err(status) => return status.into_response(),
    };
    let store = shared.store();
    match store.keys(&caller.org, &project_id, &app_id) {
        Ok(keys) => {
            let rows = keys.iter().map(|k| KeyOut::new(k, &caller.org)).collect();
            page(rows, &input, store.sequence())
        }
        Err(status) => status.into_response(),
    }
}

async fn get_key(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id, key_id)): Path<(String, String, String)>,
) -> Response {
    #[derive(Serialize)]
    struct GetKeyOut {
        key: KeyOut,
    }
    let keys = shared.store().keys(&caller.org, &project_id, &app_id);
    match keys.map(|keys| keys.into_iter().find(|k| k.id == key_id)) {
        Ok(Some(key)) => ok(GetKeyOut {
            key: KeyOut::new(&key, &caller.org),
        }),
        Ok(None) => Status::new(5, "Key not found", Some("QUERY-Dgfn3")).into_response(),
        Err(status) => status.into_response(),
    }
}

async fn delete_key(
    (State(shared), Extension(caller)): Ctx,
    Path((project_id, app_id, key_id)): Path<(String, String, String)>,
) -> Response {
    let deleted = shared
        .store()
        .delete_key(&caller.org, &project_id, &app_id, &key_id);
    match deleted {
        Ok(stamp) => ok(DetailsOnly {
            details: DetailsOut::new(&stamp, &caller.org),
        }),
        Err(status) => status.into_response(),
    }
}

async fn deactivate_app(ctx: Ctx, Path((project_id, app_id)): Path<(String, String)>) -> Response {
    set_active(ctx, &project_id, &app_id, false)
}

async fn reactivate_app(ctx: Ctx, Path((project_id, app_id)): Path<(String, String)>) -> Response {
    set_active(ctx, &project_id, &app_id, true)
}

fn set_active(
    (State(shared), Extension(caller)): Ctx,
    project_id: &str,
    app_id: &str,
    active: bool,
) -> Response {
    let changed = shared
        .store()
        .set_active(&caller.org, project_id, app_id, active);
    match changed {
        Ok(stamp) => ok(DetailsOnly {
            details: DetailsOut::new(&stamp, &caller.org),
        }),
        Err(status) => status.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_input_reads_strings_numbers_and_limits() {
        let input =
            list_input(br#"{"query":{"offset":"5","limit":2},"queries":[{"nameQuery":{"name":"Bill","method":"TEXT_QUERY_METHOD_CONTAINS_IGNORE_CASE"}}]}"#)
                .unwrap();
        assert_eq!((input.offset, input.limit), (5, 2));
        assert_eq!(input.names, vec![("Bill".to_owned(), 5)]);
        assert!(name_matches("billing-dev", "Bill", 5));
        assert!(!name_matches("billing-dev", "Bill", 4));
        let input = list_input(b"").unwrap();
        assert_eq!((input.offset, input.limit), (0, 1000));
        let err = list_input(br#"{"query":{"limit":1001}}"#).unwrap_err();
        assert_eq!((err.code, err.id), (3, Some("QUERY-4M0fs")));
        assert_eq!(list_input(b"{").unwrap_err().code, 3);
    }

    #[test]
    fn searches_are_reads() {
        assert!(!is_write(
            &Method::POST,
            "/management/v1/projects/1/apps/_search"
        ));
        assert!(is_write(
            &Method::POST,
            "/management/v1/projects/1/apps/api"
        ));
        assert!(is_write(&Method::PUT, "/management/v1/projects/1/apps/2"));
        assert!(!is_write(&Method::GET, "/management/v1/projects/1/apps/2"));
    }
}
