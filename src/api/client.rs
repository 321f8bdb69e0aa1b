//! `Client`: the Workspace API calls, with idempotency keys, retries, paging and logging.
//!
//! Every call goes through [`Client::execute`], which retries by the [`RetryPolicy`], reuses the
//! same `Idempotency-Key` on every attempt, and logs method, path, status, duration and request id
//! at debug level: never a body or a header, since both can hold a secret.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::connection::Connection;
use super::error::{ApiError, ErrorKind, truncate};
use super::models::{
    App, BatchRequest, BatchResponse, CreateApp, NodeType, Page, RedirectUrisResponse,
    ReplaceRedirectUris, RotatedSecret, UpdateApp, Workflow,
};
use super::redirect_uris::validate_redirect_uris;
use super::retry::RetryPolicy;
use crate::secret::Secret;

/// Largest page the API serves.
pub const PAGE_LIMIT: usize = 100;
/// Largest batch the API accepts.
pub const BATCH_LIMIT: usize = 100;
/// Pages fetched at once after the first.
pub const DEFAULT_PAGE_CONCURRENCY: usize = 8;
/// Longest app name this client sends (the API documents none; the sandbox enforces this).
pub const MAX_NAME_CHARS: usize = 100;

/// A created or rotated resource, and whether the server replayed an earlier answer.
#[derive(Debug, Clone)]
pub struct Created<T> {
    pub value: T,
    /// `Idempotency-Replayed: true`: this is the answer to an earlier attempt with the same key.
    pub replayed: bool,
    pub request_id: Option<String>,
}

/// A raw successful answer.
struct RawResponse {
    body: bytes::Bytes,
    request_id: Option<String>,
    replayed: bool,
}

/// The Connect Workspace API client. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    connection: Connection,
    retry: RetryPolicy,
}

impl Client {
    pub fn new(connection: Connection) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("connect-console/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::local(format!("Could not start the HTTP client: {e}")))?;
        Ok(Self {
            http,
            connection,
            retry: RetryPolicy::default(),
        })
    }

    /// The same client with another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// One page of apps (`limit` at most 100).
    pub async fn list_apps_page(&self, offset: usize, limit: usize) -> Result<Page<App>, ApiError> {
        let query = [("limit", limit.to_string()), ("offset", offset.to_string())];
        let raw = self
            .execute(Method::GET, "apps", &query, None, None)
            .await?;
        decode_app_page(&raw.body).map_err(|e| e.with_request_id(raw.request_id))
    }

    /// Every app of the workspace: the first page, then the rest `concurrency` pages at a time.
    /// `progress(loaded, total)` is called after each page.
    pub async fn list_all_apps(
        &self,
        concurrency: usize,
        progress: impl Fn(usize, Option<usize>),
    ) -> Result<Vec<App>, ApiError> {
        let first = self.list_apps_page(0, PAGE_LIMIT).await?;
        let step = first.items.len().max(1);
        let mut apps = first.items;
        progress(apps.len(), first.total);
        match first.total {
            Some(total) if total > apps.len() => {
                // Room for exactly the announced count: growing by doubling would leave up to
                // half of a 10,000-app list unused.
                apps.reserve_exact(total - apps.len());
                let offsets: Vec<usize> = (apps.len()..total).step_by(step).collect();
                let mut pages = futures::stream::iter(offsets)
                    .map(|offset| self.list_apps_page(offset, PAGE_LIMIT))
                    .buffered(concurrency.max(1));
                while let Some(page) = pages.next().await {
                    apps.extend(page?.items);
                    progress(apps.len(), Some(total));
                }
            }
            Some(_) => {}
            // No `total`: walk pages until a short one.
            None => {
                let mut last_len = apps.len();
                while last_len >= step && last_len > 0 {
                    let page = self.list_apps_page(apps.len(), PAGE_LIMIT).await?;
                    last_len = page.items.len();
                    apps.extend(page.items);
                    progress(apps.len(), None);
                }
            }
        }
        // Pages can overlap when apps are created while we read.
        let mut seen = HashSet::new();
        apps.retain(|app| seen.insert(app.client_id.clone()));
        apps.shrink_to_fit();
        Ok(apps)
    }

    pub async fn get_app(&self, client_id: &str) -> Result<App, ApiError> {
        let path = app_path(client_id, "")?;
        let raw = self.execute(Method::GET, &path, &[], None, None).await?;
        decode(&raw)
    }

    /// Creates an app. Pass the same `idempotency_key` to retry a create whose outcome is unknown.
    pub async fn create_app(
        &self,
        name: &str,
        idempotency_key: &str,
    ) -> Result<Created<App>, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        let body = encode(&CreateApp { name })?;
        let raw = self
            .execute(Method::POST, "apps", &[], Some(body), Some(idempotency_key))
            .await?;
        created(&raw)
    }

    /// Creates up to 100 apps in one call; `results[i]` answers `request.items[i]`.
    pub async fn batch_create(
        &self,
        request: &BatchRequest,
        idempotency_key: &str,
    ) -> Result<Created<BatchResponse>, ApiError> {
        if request.items.is_empty() || request.items.len() > BATCH_LIMIT {
            return Err(ApiError::invalid_parameter(
                "items",
                format!(
                    "A batch holds 1 to {BATCH_LIMIT} apps, not {}",
                    request.items.len()
                ),
            ));
        }
        let body = encode(request)?;
        let raw = self
            .execute(
                Method::POST,
                "apps/batch",
                &[],
                Some(body),
                Some(idempotency_key),
            )
            .await?;
        created(&raw)
    }

    /// Renames an app: a PATCH with the name only, never `clientId` or `clientSecret`.
    pub async fn rename_app(&self, client_id: &str, name: &str) -> Result<App, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        let path = app_path(client_id, "")?;
        let body = encode(&UpdateApp {
            name: Some(name),
            ..UpdateApp::default()
        })?;
        let raw = self
            .execute(Method::PATCH, &path, &[], Some(body), None)
            .await?;
        decode(&raw)
    }

    /// Changes the fields set in `update` (a PATCH; the server merges a webhook config).
    /// `clientId` and `clientSecret` are never sent.
    pub async fn update_app(&self, client_id: &str, update: &UpdateApp) -> Result<App, ApiError> {
        let mut update = update.clone();
        if let Some(name) = &update.name {
            update.name =
                Some(validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?);
        }
        let path = app_path(client_id, "")?;
        let body = encode(&update)?;
        let raw = self
            .execute(Method::PATCH, &path, &[], Some(body), None)
            .await?;
        decode(&raw)
    }

    /// Issues a new client secret; the old one stops working at once. Reuse the key on retry so
    /// a lost answer still yields the same secret.
    pub async fn rotate_client_secret(
        &self,
        client_id: &str,
        idempotency_key: &str,
    ) -> Result<Created<Secret>, ApiError> {
        let path = app_path(client_id, "/rotate-client-secret")?;
        let raw = self
            .execute(Method::POST, &path, &[], None, Some(idempotency_key))
            .await?;
        let rotated: Created<RotatedSecret> = created(&raw)?;
        Ok(Created {
            value: rotated.value.client_secret,
            replayed: rotated.replayed,
            request_id: rotated.request_id,
        })
    }

    /// Replaces the redirect URIs, after checking them by the documented rules.
    pub async fn replace_redirect_uris(
        &self,
        client_id: &str,
        uris: &[String],
    ) -> Result<Vec<String>, ApiError> {
        let redirect_uris = validate_redirect_uris(uris).map_err(|problems| {
            let first = &problems[0];
            ApiError::invalid_parameter(
                "redirectUris",
                format!(
                    "Redirect address {} ({}): {}",
                    first.index + 1,
                    truncate(&first.uri, 80),
                    first.problem
                ),
            )
        })?;
        let path = app_path(client_id, "/redirect-uris")?;
        let body = encode(&ReplaceRedirectUris { redirect_uris })?;
        let raw = self
            .execute(Method::PUT, &path, &[], Some(body), None)
            .await?;
        let response: RedirectUrisResponse = decode(&raw)?;
        Ok(response.redirect_uris)
    }

    pub async fn list_workflows(&self, client_id: &str) -> Result<Vec<Workflow>, ApiError> {
        let path = app_path(client_id, "/workflows")?;
        let raw = self.execute(Method::GET, &path, &[], None, None).await?;
        decode_list(&raw)
    }

    pub async fn node_types(&self, client_id: &str) -> Result<Vec<NodeType>, ApiError> {
        let path = app_path(client_id, "/workflows/node-types")?;
        let raw = self.execute(Method::GET, &path, &[], None, None).await?;
        decode_list(&raw)
    }

    /// Sends one request, retrying by the policy with the same body and idempotency key.
    async fn execute(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        idempotency_key: Option<&str>,
    ) -> Result<RawResponse, ApiError> {
        let mut attempt = 1;
        loop {
            match self
                .attempt(&method, path, query, body.as_deref(), idempotency_key)
                .await
            {
                Ok(raw) => return Ok(raw),
                Err(error) => match self.retry.delay_after(attempt, &error) {
                    Some(delay) => {
                        tracing::debug!(
                            %method, path, attempt, delay_ms = delay.as_millis() as u64,
                            kind = ?error.kind, "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    None => return Err(error),
                },
            }
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&[u8]>,
        idempotency_key: Option<&str>,
    ) -> Result<RawResponse, ApiError> {
        let url = self
            .connection
            .base_url()
            .join(path)
            .map_err(|_| ApiError::local(format!("\"{path}\" is not a valid address")))?;
        let started = Instant::now();
        let mut request = self
            .http
            .request(method.clone(), url)
            .bearer_auth(self.connection.api_key().expose())
            .header(ACCEPT, "application/json");
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_vec());
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.map_err(network_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = header_str(&headers, "x-request-id");
        // A connection dropped mid-body is a network failure: the write may have happened.
        let body = response
            .bytes()
            .await
            .map_err(|e| network_error(e).with_request_id(request_id.clone()))?;
        tracing::debug!(
            %method, path, status = status.as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            request_id = request_id.as_deref().unwrap_or("-"),
            "api call"
        );
        if !status.is_success() {
            let retry_after =
                header_str(&headers, RETRY_AFTER.as_str()).and_then(|v| parse_retry_after(&v));
            let mut error =
                ApiError::from_response(status.as_u16(), &body, request_id, retry_after);
            if status == StatusCode::TOO_MANY_REQUESTS {
                error.kind = ErrorKind::RateLimited;
            }
            return Err(error);
        }
        Ok(RawResponse {
            replayed: header_str(&headers, "idempotency-replayed")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            body,
            request_id,
        })
    }
}

/// Checks an app name the way the sandbox does: not blank, at most 100 characters. Returns it trimmed.
pub fn validate_app_name(name: &str) -> Result<String, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("The app name is empty; type a name".into());
    }
    let count = trimmed.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(format!(
            "The app name is {count} characters long; use at most {MAX_NAME_CHARS}"
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("The app name contains a line break or control character; remove it".into());
    }
    Ok(trimmed.to_owned())
}

/// A fresh key for one user action; reuse it for every retry of that action.
pub fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Decodes a `GET /apps` body: `{data, total, limit, offset}` with or without `"object":"list"`,
/// or a bare array. Decoded straight from the bytes: this is the hot path of a large list.
pub fn decode_app_page(body: &[u8]) -> Result<Page<App>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        #[serde(alias = "items", default)]
        data: Vec<App>,
        #[serde(default)]
        total: Option<usize>,
        #[serde(default)]
        limit: Option<usize>,
        #[serde(default)]
        offset: Option<usize>,
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'[') => Ok(Page {
            items: decode_body(body)?,
            ..Page::default()
        }),
        Some(b'{') => {
            let envelope: Envelope = decode_body(body)?;
            Ok(Page {
                items: envelope.data,
                total: envelope.total,
                limit: envelope.limit,
                offset: envelope.offset,
            })
        }
        _ => {
            // Not a list or an object: let the generic decoder name what it is.
            let value = parse_json(body)?;
            Err(decode_error(format!(
                "expected a list of apps, found {}",
                super::models::json_kind(&value)
            )))
        }
    }
}

/// Decodes any typed body, naming the JSON path of a mismatch but never a value.
pub fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        match e.inner().classify() {
            serde_json::error::Category::Data => {
                decode_error(format!("the field `{}` has an unexpected value", e.path()))
            }
            _ => syntax_error(body, e.inner()),
        }
    })?;
    // Trailing garbage after the value is a broken answer too.
    deserializer.end().map_err(|e| syntax_error(body, &e))?;
    Ok(value)
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, ApiError> {
    decode_body(&raw.body).map_err(|e| e.with_request_id(raw.request_id.clone()))
}

/// A bare array, or the same wrapped in `{data: [...]}`.
fn decode_list<T: DeserializeOwned>(raw: &RawResponse) -> Result<Vec<T>, ApiError> {
    let value = parse_json(&raw.body).map_err(|e| e.with_request_id(raw.request_id.clone()))?;
    let list = match value {
        Value::Object(mut map) if map.contains_key("data") => {
            map.remove("data").unwrap_or_default()
        }
        other => other,
    };
    from_value(list).map_err(|e| e.with_request_id(raw.request_id.clone()))
}

fn created<T: DeserializeOwned>(raw: &RawResponse) -> Result<Created<T>, ApiError> {
    Ok(Created {
        value: decode(raw)?,
        replayed: raw.replayed,
        request_id: raw.request_id.clone(),
    })
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| syntax_error(body, &e))
}

/// Says what is wrong with a body that is not the JSON expected, without quoting it.
fn syntax_error(body: &[u8], error: &serde_json::Error) -> ApiError {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    decode_error(if trimmed.is_empty() {
        "the answer was empty".to_owned()
    } else if trimmed.starts_with('<') {
        "the server sent a web page instead of JSON".to_owned()
    } else if error.is_eof() {
        "the answer was cut off before its end".to_owned()
    } else {
        format!(
            "the answer is not valid JSON (line {}, column {})",
            error.line(),
            error.column()
        )
    })
}

fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let what = match e.inner().classify() {
            serde_json::error::Category::Data => "has an unexpected value",
            _ => "could not be read",
        };
        decode_error(format!("the field `{path}` {what}"))
    })
}

fn decode_error(what: String) -> ApiError {
    ApiError::new(
        ErrorKind::Decode,
        format!("The server's answer could not be read: {what}"),
    )
}

fn encode<T: Serialize>(body: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(body)
        .map_err(|e| ApiError::local(format!("Could not encode the request: {e}")))
}

fn network_error(error: reqwest::Error) -> ApiError {
    let what = if error.is_timeout() {
        "The server did not answer in time"
    } else if error.is_connect() {
        "Could not connect to the server"
    } else if error.is_body() || error.is_decode() {
        "The connection was lost while reading the server's answer"
    } else {
        "The connection to the server failed"
    };
    ApiError::new(ErrorKind::Network, what)
}

fn app_path(client_id: &str, suffix: &str) -> Result<String, ApiError> {
    let id = client_id.trim();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(ApiError::invalid_parameter(
            "clientId",
            format!(
                "\"{}\" is not a client id; client ids are letters and digits like HqTRDIYH",
                truncate(id, 40)
            ),
        ));
    }
    Ok(format!("apps/{id}{suffix}"))
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// `Retry-After` as seconds (the HTTP-date form is treated as a short wait).
fn parse_retry_after(value: &str) -> Option<Duration> {
    match value.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => {
            Some(Duration::from_secs_f64(secs.min(86_400.0)))
        }
        Ok(_) => None,
        Err(_) => Some(Duration::from_secs(5)),
    }
}

impl ApiError {
    /// Attaches a request id if the error has none yet.
    fn with_request_id(mut self, request_id: Option<String>) -> Self {
        if self.request_id.is_none() {
            self.request_id = request_id;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_trimmed() {
        assert_eq!(validate_app_name("  Acme  ").unwrap(), "Acme");
        assert!(validate_app_name("   ").is_err());
        assert!(validate_app_name(&"가".repeat(101)).is_err());
        assert!(validate_app_name(&"가".repeat(100)).is_ok());
        assert!(validate_app_name("a\nb").is_err());
    }

    #[test]
    fn client_ids_cannot_escape_the_path() {
        assert!(app_path("../workspace", "").is_err());
        assert!(app_path("a b", "").is_err());
        assert_eq!(
            app_path("HqTRDIYH", "/workflows").unwrap(),
            "apps/HqTRDIYH/workflows"
        );
    }

    #[test]
    fn page_shapes_decode() {
        let gen1 =
            br#"{"object":"list","data":[{"client_id":"a1"}],"total":1,"limit":20,"offset":0}"#;
        let page = decode_app_page(gen1).unwrap();
        assert_eq!(page.items[0].client_id, "a1");
        assert_eq!(page.total, Some(1));
        let bare = br#"[{"clientId":"b2","name":"B"}]"#;
        assert_eq!(decode_app_page(bare).unwrap().items[0].name, "B");
        let err = decode_app_page(br#"{"data":[{"clientId":5}]}"#).unwrap_err();
        assert!(
            err.message.contains("data[0].clientId") || err.message.contains("[0].clientId"),
            "{}",
            err.message
        );
    }

    #[test]
    fn retry_after_parses_seconds() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("-1"), None);
        assert!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").is_some());
    }
}
