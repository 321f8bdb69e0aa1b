//! The HTTP layer under [`Client`](super::Client): one reqwest client, the retry loop, and
//! reading answers within bounds.
//!
//! Every call goes through [`Transport::execute`], which retries by the [`RetryPolicy`], reuses
//! the same `Idempotency-Key` on every attempt, and logs method, path, status, duration and
//! request id at debug level: never a body or a header, since both can hold a secret.
//!
//! What a hostile or broken server cannot do to a call:
//! - redirect it: no redirect is followed, a 3xx is an error naming where it pointed;
//! - stall it: an attempt fails after [`DEFAULT_ATTEMPT_TIMEOUT`] without a byte (connecting
//!   or reading), and the whole call, retries and their waits included, after
//!   [`DEFAULT_DEADLINE`];
//! - fill memory: an answer larger than [`MAX_BODY_BYTES`] is refused from its
//!   `Content-Length`, or while reading as soon as it passes the limit;
//! - hide what failed on the way: the HTTP client is the one both backends build
//!   ([`crate::backends::net`]), which names an untrusted certificate, a proxy's refusal or an
//!   unknown host before this module words the rest.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;
use url::Url;

use super::connection::Connection;
use super::error::{ApiError, ErrorKind, truncate};
use super::retry::RetryPolicy;
use crate::backends::net::{self, Http};

/// An attempt fails after this long without a byte from the server, connecting or reading.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole call, retries and the waits between them included, gives up after this long.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);
/// The longest deadline accepted; longer ones are cut to this.
pub const MAX_DEADLINE: Duration = Duration::from_secs(24 * 60 * 60);
/// The largest answer read (16 MB); a larger one is refused while reading.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// The most memory set aside up front for an answer, whatever its `Content-Length` says.
const MAX_INITIAL_CAPACITY: usize = 1024 * 1024;

/// A raw successful answer.
pub(super) struct RawResponse {
    pub(super) body: Bytes,
    pub(super) request_id: Option<String>,
    pub(super) replayed: bool,
}

/// Sends requests to one workspace. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    http: Http,
    connection: Connection,
    /// `host[:port]` of the workspace, for messages.
    host: String,
    pub(super) retry: RetryPolicy,
    attempt_timeout: Duration,
    deadline: Duration,
}

impl Transport {
    pub(super) fn new(connection: Connection) -> Result<Self, ApiError> {
        let http = net::build_http(
            connection.base_url(),
            DEFAULT_ATTEMPT_TIMEOUT,
            connection.ca_file(),
        )?;
        Ok(Self {
            http,
            host: host_and_port(connection.base_url()),
            connection,
            retry: RetryPolicy::default(),
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
        })
    }

    pub(super) fn connection(&self) -> &Connection {
        &self.connection
    }

    pub(super) fn attempt_timeout(&self) -> Duration {
        self.attempt_timeout
    }

    pub(super) fn deadline(&self) -> Duration {
        self.deadline
    }

    pub(super) fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = deadline.min(MAX_DEADLINE);
    }

    /// Rebuilds the HTTP client with another attempt timeout (the pool is not shared with the
    /// old one).
    pub(super) fn set_attempt_timeout(
        &mut self,
        attempt_timeout: Duration,
    ) -> Result<(), ApiError> {
        self.http = net::build_http(
            self.connection.base_url(),
            attempt_timeout,
            self.connection.ca_file(),
        )?;
        self.attempt_timeout = attempt_timeout;
        Ok(())
    }

    /// `host[:port]` of the workspace.
    pub(super) fn host(&self) -> &str {
        &self.host
    }

    /// Sends one request, retrying by the policy with the same body and idempotency key, until
    /// it succeeds, fails for good, or the deadline passes.
    pub(super) async fn execute(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        idempotency_key: Option<&str>,
    ) -> Result<RawResponse, ApiError> {
        let deadline = Instant::now() + self.deadline;
        let attempts = self.attempts(
            &method,
            path,
            query,
            body.as_deref(),
            idempotency_key,
            deadline,
        );
        match tokio::time::timeout_at(deadline, attempts).await {
            Ok(result) => result,
            Err(_) => {
                tracing::debug!(%method, path, deadline_ms = self.deadline.as_millis() as u64, "deadline passed");
                Err(ApiError::worded(ErrorKind::Timeout, || {
                    crate::tr!(
                        "hopae-deadline-passed",
                        host = self.host.as_str(),
                        wait = seconds(self.deadline)
                    )
                }))
            }
        }
    }

    async fn attempts(
        &self,
        method: &Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&[u8]>,
        idempotency_key: Option<&str>,
        deadline: Instant,
    ) -> Result<RawResponse, ApiError> {
        let mut attempt = 1;
        loop {
            let error = match self
                .attempt(method, path, query, body, idempotency_key)
                .await
            {
                Ok(raw) => return Ok(raw),
                Err(error) => error,
            };
            let Some(delay) = self.retry.delay_after(attempt, &error) else {
                return Err(error);
            };
            // A retry that could not even start before the deadline is not worth the wait:
            // the error that caused it says more than a timeout would.
            if Instant::now() + delay >= deadline {
                return Err(error);
            }
            tracing::debug!(
                %method, path, attempt, delay_ms = delay.as_millis() as u64,
                kind = ?error.kind, "retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
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
        let url = self.connection.base_url().join(path).map_err(|_| {
            ApiError::local_worded(|| crate::tr!("hopae-invalid-path", path = path))
        })?;
        let started = std::time::Instant::now();
        let mut request = self
            .http
            .client()
            .request(method.clone(), url.clone())
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
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => match self.http.failure(&e, &url).await {
                Some(error) => return Err(error),
                None => return Err(self.network_error(&e)),
            },
        };
        let status = response.status();
        let headers = response.headers().clone();
        let request_id = header_str(&headers, "x-request-id");
        if status.is_redirection() {
            tracing::debug!(%method, path, status = status.as_u16(), "redirect refused");
            return Err(
                redirect_error(&self.host, status, &headers, &url).with_request_id(request_id)
            );
        }
        // A connection dropped mid-body is a network failure: the write may have happened.
        let body = read_body(response, &self.host, |e| self.network_error(e))
            .await
            .map_err(|e| e.with_request_id(request_id.clone()))?;
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

    fn network_error(&self, error: &reqwest::Error) -> ApiError {
        let host = self.host.as_str();
        let wait = seconds(self.attempt_timeout);
        ApiError::worded(ErrorKind::Network, || {
            if error.is_connect() && error.is_timeout() {
                crate::tr!(
                    "hopae-no-connection-within",
                    host = host,
                    wait = wait.as_str()
                )
            } else if error.is_connect() {
                crate::tr!("hopae-could-not-connect", host = host)
            } else if error.is_timeout() {
                crate::tr!("hopae-sent-nothing", host = host, wait = wait.as_str())
            } else if error.is_body() || error.is_decode() {
                crate::tr!("hopae-lost-while-reading", host = host)
            } else {
                crate::tr!("hopae-connection-failed", host = host)
            }
        })
    }
}

/// Reads the body chunk by chunk, refusing it as soon as it is known to pass the limit: at once
/// from `Content-Length`, else when the bytes read pass it. Never reads past the limit.
/// `network` words a failed read.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    host: &str,
    network: impl Fn(&reqwest::Error) -> ApiError,
) -> Result<Bytes, ApiError> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(too_large(host));
    }
    let capacity = announced.map_or(0, |n| (n as usize).min(MAX_INITIAL_CAPACITY));
    let mut body = BytesMut::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(|e| network(&e))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large(host));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn too_large(host: &str) -> ApiError {
    ApiError::worded(ErrorKind::TooLarge, || {
        crate::tr!(
            "hopae-answer-too-large",
            host = host,
            mb = MAX_BODY_BYTES.div_euclid(1024 * 1024)
        )
    })
}

/// A 3xx answer as an error naming where it pointed; redirects are never followed.
pub(crate) fn redirect_error(
    host: &str,
    status: StatusCode,
    headers: &HeaderMap,
    url: &Url,
) -> ApiError {
    let code = status.as_u16();
    let target = header_str(headers, LOCATION.as_str())
        .and_then(|location| url.join(&location).ok())
        .filter(|target| target.host_str().is_some());
    let status = code.to_string();
    let error = ApiError::worded(ErrorKind::Redirected, || match &target {
        Some(target) => crate::tr!(
            "hopae-redirected-to",
            host = host,
            target = host_and_port(target),
            status = status.as_str()
        ),
        None => crate::tr!(
            "hopae-redirected-nowhere",
            host = host,
            status = status.as_str()
        ),
    });
    ApiError {
        status: Some(code),
        ..error
    }
}

/// `host` or `host:port` of a URL, for messages.
pub(crate) fn host_and_port(url: &Url) -> String {
    let host = truncate(url.host_str().unwrap_or("?"), 100);
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// "30 s", "0.5 s" (in the calling thread's language).
pub(crate) fn seconds(duration: Duration) -> String {
    let n = if duration.subsec_millis() == 0 {
        duration.as_secs().to_string()
    } else {
        format!("{:.1}", duration.as_secs_f64())
    };
    crate::tr!("net-seconds", n = n)
}

pub(crate) fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::to_owned)
}

/// `Retry-After` as seconds (the HTTP-date form is treated as a short wait).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
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
    pub(super) fn with_request_id(mut self, request_id: Option<String>) -> Self {
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
    fn retry_after_parses_seconds() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("-1"), None);
        assert!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").is_some());
    }

    #[test]
    fn durations_read_as_seconds() {
        assert_eq!(seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5 s");
    }

    #[test]
    fn hosts_keep_their_port() {
        let url = Url::parse("http://127.0.0.1:8787/connect/v1/").unwrap();
        assert_eq!(host_and_port(&url), "127.0.0.1:8787");
        let url = Url::parse("https://api.hopae.com/connect/v1/").unwrap();
        assert_eq!(host_and_port(&url), "api.hopae.com");
    }
}
