//! `ApiError`: every failure of a call, grouped by what the person at the keyboard can do about it.
//!
//! Built from the API's `{error:{code,message,details},request_id}` envelope where there is one,
//! and from the status line, the transport error or a local check where there is not. Its
//! [`ApiError::user_message`] is a sentence with a next step; it never contains a secret.

use std::time::Duration;

use serde_json::Value;

/// What kind of failure this is; decides retries and the advice shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request never got an answer: connection refused or reset, DNS, an attempt that
    /// heard nothing for its timeout.
    Network,
    /// The whole call, retries included, ran past its deadline (30 s unless changed).
    Timeout,
    /// The secure connection could not be set up: the server's (or an https proxy's)
    /// certificate is not trusted, expired or for another name, or it does not speak TLS.
    /// Nothing was sent; the message names the host and says what to do.
    Tls,
    /// The proxy refused or failed to open the tunnel (407, 403, unreachable). Nothing was
    /// sent; the message names the proxy, never its credentials.
    Proxy,
    /// The server's host name does not exist. Nothing was sent.
    UnknownHost,
    /// A 3xx answer: redirects are never followed, so the address is probably wrong.
    Redirected,
    /// The answer was larger than the client reads (16 MB).
    TooLarge,
    /// The server broke the API's rules in a way retrying cannot fix: an impossible `total`,
    /// pages that ignore their offset.
    Protocol,
    /// 429: the server asks us to slow down.
    RateLimited,
    /// 401: the API key is wrong, revoked or for another environment.
    Unauthorized,
    /// 403: the key is valid but may not do this.
    Forbidden,
    /// 400/422: the request's content was refused.
    Validation,
    /// 404.
    NotFound,
    /// 409 RESOURCE_CONFLICT or another 409.
    Conflict,
    /// 409 IDEMPOTENCY_KEY_CONFLICT: the same key was used with a different body.
    IdempotencyKeyConflict,
    /// 409 IDEMPOTENCY_REQUEST_IN_PROGRESS: an earlier request with this key is still running.
    RequestInProgress,
    /// 5xx.
    Server,
    /// The answer could not be read (HTML page, truncated or unexpected JSON).
    Decode,
    /// Refused locally before sending: bad base URL, key for another environment, invalid input.
    Local,
}

/// A failed call, with everything support needs and a sentence for the user.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.one_line())]
pub struct ApiError {
    pub kind: ErrorKind,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The API's stable `error.code`, such as `VALIDATION_INVALID_PARAMETER`.
    pub code: Option<String>,
    /// The server's (or our) message, without advice.
    pub message: String,
    /// The API's `error.details`, such as `{"parameter": "name"}`.
    pub details: Option<Box<Value>>,
    /// `request_id` from the envelope or the `X-Request-Id` header; quote it to support.
    pub request_id: Option<String>,
    /// How long the server asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            code: None,
            message: message.into(),
            details: None,
            request_id: None,
            retry_after: None,
        }
    }

    /// A problem found before sending anything.
    pub fn local(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Local, message)
    }

    /// A local validation failure about one field, shaped like the server's.
    pub fn invalid_parameter(parameter: &str, message: impl Into<String>) -> Self {
        Self {
            details: Some(Box::new(serde_json::json!({ "parameter": parameter }))),
            ..Self::new(ErrorKind::Local, message)
        }
    }

    /// Builds the error for a non-2xx response from its status, headers and raw body.
    pub fn from_response(
        status: u16,
        body: &[u8],
        header_request_id: Option<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let parsed = serde_json::from_slice::<Value>(body).ok();
        let envelope = parsed.as_ref().and_then(Envelope::read);
        let (code, message, details, body_request_id) = match envelope {
            Some(e) => (e.code, e.message, e.details, e.request_id),
            None => (
                None,
                describe_unreadable_body(status, body, parsed.is_some()),
                None,
                None,
            ),
        };
        let kind = kind_for(status, code.as_deref());
        Self {
            kind,
            status: Some(status),
            code,
            message,
            details: details.map(Box::new),
            request_id: body_request_id.or(header_request_id),
            retry_after,
        }
    }

    /// Reads the per-item `error` of a batch result, whose shape is not documented.
    pub fn from_item_error(value: &Value) -> Self {
        let envelope = Envelope::read(value).or_else(|| {
            // The item error may be the inner `{code, message, details}` object itself.
            Envelope::read(&serde_json::json!({ "error": value }))
        });
        match envelope {
            Some(e) => Self {
                kind: kind_for(e.status.unwrap_or(400), e.code.as_deref()),
                status: e.status,
                code: e.code,
                message: e.message,
                details: e.details.map(Box::new),
                request_id: e.request_id,
                retry_after: None,
            },
            None => Self::new(
                ErrorKind::Validation,
                match value {
                    Value::String(s) => {
                        super::redact::scrub_server_text(&server_text(s, MAX_MESSAGE_CHARS))
                    }
                    other => truncate(&other.to_string(), 200),
                },
            ),
        }
    }

    /// Whether retrying the same request (with the same idempotency key) can help.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Network
                | ErrorKind::Timeout
                | ErrorKind::RateLimited
                | ErrorKind::Server
                | ErrorKind::RequestInProgress
        )
    }

    /// The parameter the server blamed, if any (`details.parameter`).
    pub fn parameter(&self) -> Option<&str> {
        self.details.as_ref()?.get("parameter")?.as_str()
    }

    /// A sentence a non-technical person can act on: what happened, then what to do.
    pub fn user_message(&self) -> String {
        let what = self.message.trim_end_matches('.');
        let next = match self.kind {
            ErrorKind::Network => {
                "Check your internet connection and the workspace address, then try again"
            }
            ErrorKind::Timeout => {
                "The server may be overloaded or the network slow; try again in a minute (on the command line, --timeout SECONDS allows more time)"
            }
            ErrorKind::Redirected => {
                "Check the workspace address; if the API has moved, connect to its new address"
            }
            ErrorKind::TooLarge | ErrorKind::Protocol => {
                "Check that the workspace address points at the Workspace API, and contact support if it does"
            }
            ErrorKind::RateLimited => "The server is busy; wait a moment and try again",
            ErrorKind::Unauthorized => {
                "Check that the API key is correct, not revoked, and meant for this environment (sandbox or production)"
            }
            ErrorKind::Forbidden => "Ask a workspace owner to give this API key access",
            // These messages are written with their fix already in them.
            ErrorKind::Local | ErrorKind::Tls | ErrorKind::Proxy | ErrorKind::UnknownHost => {
                return format!("{what}.");
            }
            ErrorKind::Validation => "Correct the value and try again",
            ErrorKind::NotFound => "It may have been removed; refresh the list",
            ErrorKind::Conflict => "Refresh to see the current state, then try again",
            ErrorKind::IdempotencyKeyConflict => {
                "This request was changed after it was first sent; start the action again"
            }
            ErrorKind::RequestInProgress => {
                "The same request is still being processed; wait a few seconds and try again"
            }
            ErrorKind::Server => {
                "This is a problem on the server; try again in a minute, and contact support with the request id if it persists"
            }
            ErrorKind::Decode => {
                "The server's answer could not be read; check the workspace address, and contact support with the request id if it persists"
            }
        };
        format!("{what}. {next}.")
    }

    /// The whole error on one line, for the command line and logs: advice, code and request id.
    pub fn one_line(&self) -> String {
        let mut line = self.user_message();
        if let Some(code) = &self.code {
            line.push_str(&format!(" [{code}]"));
        } else if let Some(status) = self.status {
            line.push_str(&format!(" [HTTP {status}]"));
        }
        if let Some(id) = &self.request_id {
            line.push_str(&format!(" (request id {id})"));
        }
        line
    }
}

/// The fields of an error body, from the envelope or the App API's `{code, detail, context}`.
struct Envelope {
    code: Option<String>,
    message: String,
    details: Option<Value>,
    request_id: Option<String>,
    status: Option<u16>,
}

impl Envelope {
    fn read(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        let request_id = ["request_id", "requestId"].iter().find_map(|k| {
            object
                .get(*k)?
                .as_str()
                .map(|id| server_text(id, MAX_CODE_CHARS))
        });
        if let Some(error) = object.get("error") {
            return Some(match error {
                Value::Object(inner) => Self {
                    code: inner
                        .get("code")
                        .and_then(Value::as_str)
                        .map(|code| server_text(code, MAX_CODE_CHARS)),
                    message: text_field(inner, &["message", "detail", "description"])
                        .unwrap_or_else(|| "The server reported an error".into()),
                    details: inner
                        .get("details")
                        .or_else(|| inner.get("context"))
                        .cloned(),
                    request_id: request_id.or_else(|| {
                        inner
                            .get("request_id")
                            .and_then(Value::as_str)
                            .map(|id| server_text(id, MAX_CODE_CHARS))
                    }),
                    status: inner
                        .get("status")
                        .and_then(Value::as_u64)
                        .and_then(|s| u16::try_from(s).ok()),
                },
                // Lower-case provider errors: `{"error": "contract_activation_required", "message": ...}`.
                Value::String(code) => Self {
                    code: Some(server_text(code, MAX_CODE_CHARS)),
                    message: text_field(object, &["message"]).unwrap_or_else(|| {
                        super::redact::scrub_server_text(&server_text(code, MAX_MESSAGE_CHARS))
                    }),
                    details: None,
                    request_id,
                    status: None,
                },
                _ => return None,
            });
        }
        let code = object.get("code").and_then(Value::as_str)?;
        Some(Self {
            code: Some(server_text(code, MAX_CODE_CHARS)),
            message: text_field(object, &["message", "detail"])
                .unwrap_or_else(|| "The server reported an error".into()),
            details: object
                .get("details")
                .or_else(|| object.get("context"))
                .cloned(),
            request_id,
            status: None,
        })
    }
}

/// A server's message: on one bounded line, without any credential it echoes.
fn text_field(object: &serde_json::Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| object.get(*k)?.as_str())
        .map(|s| super::redact::scrub_server_text(&server_text(s, MAX_MESSAGE_CHARS)))
}

/// Longest server message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 500;
/// Longest error code or request id kept, in characters.
const MAX_CODE_CHARS: usize = 100;

/// Text from the server made fit for one line of a terminal or log: cut to `max` characters,
/// with control characters (line breaks, escape sequences) turned into spaces.
fn server_text(text: &str, max: usize) -> String {
    truncate(text, max)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn kind_for(status: u16, code: Option<&str>) -> ErrorKind {
    match code {
        Some("IDEMPOTENCY_KEY_CONFLICT") => return ErrorKind::IdempotencyKeyConflict,
        Some("IDEMPOTENCY_REQUEST_IN_PROGRESS") => return ErrorKind::RequestInProgress,
        Some("AUTH_INVALID_CREDENTIALS") => return ErrorKind::Unauthorized,
        Some("AUTH_FORBIDDEN") => return ErrorKind::Forbidden,
        Some("RESOURCE_NOT_FOUND") => return ErrorKind::NotFound,
        Some("RESOURCE_CONFLICT") => return ErrorKind::Conflict,
        Some(c) if c.starts_with("VALIDATION") => return ErrorKind::Validation,
        _ => {}
    }
    match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        400..=499 => ErrorKind::Validation,
        _ => ErrorKind::Server,
    }
}

/// A message for a body with no envelope: names what came back instead (HTML page, empty, ...).
fn describe_unreadable_body(status: u16, body: &[u8], is_json: bool) -> String {
    let reason = reason_phrase(status);
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    let what = if trimmed.is_empty() {
        "with an empty body".to_owned()
    } else if trimmed.starts_with('<') {
        match html_title(trimmed) {
            Some(title) => format!("with a web page titled \"{title}\" instead of an API error"),
            None => "with a web page instead of an API error".to_owned(),
        }
    } else if is_json {
        "with an error in an unknown format".to_owned()
    } else {
        "with an answer that is not JSON".to_owned()
    };
    format!("The server answered {status} {reason} {what}")
}

fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title = html.get(start..end)?.trim();
    (!title.is_empty()).then(|| super::redact::scrub_server_text(&server_text(title, 80)))
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// Cuts `text` to at most `max` characters, on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_gives_code_details_and_request_id() {
        let body = br#"{"error":{"code":"VALIDATION_MISSING_PARAMETER","message":"name is required","details":{"parameter":"name"}},"request_id":"228aaefb"}"#;
        let err = ApiError::from_response(400, body, None, None);
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.code.as_deref(), Some("VALIDATION_MISSING_PARAMETER"));
        assert_eq!(err.parameter(), Some("name"));
        assert_eq!(err.request_id.as_deref(), Some("228aaefb"));
        assert_eq!(
            err.one_line(),
            "name is required. Correct the value and try again. [VALIDATION_MISSING_PARAMETER] (request id 228aaefb)"
        );
    }

    #[test]
    fn html_page_names_its_title() {
        let body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let err = ApiError::from_response(502, body, Some("rid-1".into()), None);
        assert_eq!(err.kind, ErrorKind::Server);
        assert!(
            err.message.contains("web page titled \"502 Bad Gateway\""),
            "{}",
            err.message
        );
        assert_eq!(err.request_id.as_deref(), Some("rid-1"));
        assert!(err.is_retryable());
    }

    #[test]
    fn app_api_shape_and_in_progress_are_recognised() {
        let err = ApiError::from_response(
            422,
            br#"{"code":"VALIDATION_UNPROCESSABLE","detail":"LoA too low","context":{}}"#,
            None,
            None,
        );
        assert_eq!(err.kind, ErrorKind::Validation);
        assert_eq!(err.message, "LoA too low");
        let err = ApiError::from_response(
            409,
            br#"{"error":{"code":"IDEMPOTENCY_REQUEST_IN_PROGRESS","message":"busy"}}"#,
            None,
            None,
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn server_text_stays_on_one_bounded_line() {
        let body = "<html><title>Bad\n\u{1b}[2Jgateway</title></html>";
        let err = ApiError::from_response(502, body.as_bytes(), None, None);
        assert!(
            err.message.contains("titled \"Bad  [2Jgateway\""),
            "{}",
            err.message
        );
        let long = "x".repeat(5000);
        let body = serde_json::json!({"error": {"code": format!("E\n{long}"),
            "message": format!("line one\r\nline two {long}")}, "request_id": "r\n1"});
        let err = ApiError::from_response(400, body.to_string().as_bytes(), None, None);
        let line = err.one_line();
        assert!(!line.contains(['\n', '\r']), "{line}");
        // The 5,000-character run is masked like any long key-shaped run.
        assert!(line.starts_with("line one  line two ***"), "{line}");
        assert!(
            line.chars().count() < 800,
            "{} characters",
            line.chars().count()
        );
        assert!(line.ends_with("(request id r 1)"), "{line}");
        let err = ApiError::from_item_error(&serde_json::json!(format!("bad\n{long}")));
        assert!(err.message.starts_with("bad ***"), "{}", err.message);
        assert!(err.message.chars().count() <= 501);
        let err = ApiError::from_response(
            403,
            format!(r#"{{"error":"{long}"}}"#).as_bytes(),
            None,
            None,
        );
        assert!(err.one_line().chars().count() < 800);
    }

    #[test]
    fn empty_and_truncated_bodies_are_described() {
        let err = ApiError::from_response(500, b"", None, None);
        assert!(err.message.contains("empty body"));
        let err = ApiError::from_response(400, br#"{"error":{"code":"VALID"#, None, None);
        assert!(err.message.contains("not JSON"));
        assert_eq!(err.kind, ErrorKind::Validation);
    }
}
