//! The HTTP layer under [`Client`](super::Client): one reqwest client, the retry loop, and
//! reading answers.
//!
//! Every call goes through [`Transport::execute`], which retries by the [`RetryPolicy`], reuses
//! the same `Idempotency-Key` on every attempt, and logs method, path, status, duration and
//! request id at debug level: never a body or a header, since both can hold a secret.

use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use super::connection::Connection;
use super::error::{ApiError, ErrorKind};
use super::retry::RetryPolicy;

/// A raw successful answer.
pub(super) struct RawResponse {
    pub(super) body: bytes::Bytes,
    pub(super) request_id: Option<String>,
    pub(super) replayed: bool,
}

/// Sends requests to one workspace. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub(super) struct Transport {
    http: reqwest::Client,
    connection: Connection,
    pub(super) retry: RetryPolicy,
}

impl Transport {
    pub(super) fn new(connection: Connection) -> Result<Self, ApiError> {
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

    pub(super) fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Sends one request, retrying by the policy with the same body and idempotency key.
    pub(super) async fn execute(
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
}
