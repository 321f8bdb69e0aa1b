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
    /// `message` in English, where the console wrote it in another language: what is stored
    /// (the activity log) stays English. `None` when `message` is English or the server's.
    pub english: Option<Box<str>>,
}

/// `make()` in the calling thread's language, and in English as well when that is another
/// language (for what is stored).
pub(crate) fn both(make: impl Fn() -> String) -> (String, Option<Box<str>>) {
    let shown = make();
    if crate::i18n::current_language() == crate::i18n::Language::English {
        (shown, None)
    } else {
        (shown, Some(crate::i18n::in_english(make).into_boxed_str()))
    }
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
            english: None,
        }
    }

    /// An error worded by the console: `make` gives the sentence in the calling thread's
    /// language (run again in English when that is another, so the activity log stays English).
    pub fn worded(kind: ErrorKind, make: impl Fn() -> String) -> Self {
        let (message, english) = both(make);
        Self {
            english,
            ..Self::new(kind, message)
        }
    }

    /// [`ApiError::worded`] for a problem found before sending anything.
    pub fn local_worded(make: impl Fn() -> String) -> Self {
        Self::worded(ErrorKind::Local, make)
    }

    /// [`ApiError::invalid_parameter`] worded by the console in both languages.
    pub fn invalid_worded(parameter: &str, make: impl Fn() -> String) -> Self {
        let (message, english) = both(make);
        Self {
            english,
            ..Self::invalid_parameter(parameter, message)
        }
    }

    /// The same error with its message rewritten by `make` from the message it had (in the
    /// calling thread's language, and in English for what is stored).
    pub fn reworded(self, make: impl Fn(&str) -> String) -> Self {
        let message = make(&self.message);
        let english = if crate::i18n::current_language() == crate::i18n::Language::English {
            None
        } else {
            let before = self.english.as_deref().unwrap_or(self.message.as_str());
            Some(crate::i18n::in_english(|| make(before)).into_boxed_str())
        };
        Self {
            message,
            english,
            ..self
        }
    }

    /// The message in the calling thread's language where it is known in it: the English one
    /// on an English thread (what is stored), else the one made for the console.
    pub fn message_here(&self) -> std::borrow::Cow<'_, str> {
        let english_here = crate::i18n::current_language() == crate::i18n::Language::English;
        match &self.english {
            Some(english) if english_here => english.as_ref().into(),
            Some(_) => self.message.as_str().into(),
            None if english_here => self.message.as_str().into(),
            // The server writes English: say it in the user's language, from its code.
            None => self
                .server_words()
                .map_or_else(|| self.message.as_str().into(), Into::into),
        }
    }

    /// A server's refusal in the calling thread's language, read from its code and details;
    /// `None` for errors the console worded itself. The server's own words are kept after it
    /// when they may say more than the code.
    fn server_words(&self) -> Option<String> {
        self.status?;
        let detail = |key: &str| {
            self.details
                .as_ref()
                .and_then(|d| d.get(key))
                .and_then(serde_json::Value::as_str)
                // The server's words: one bounded line, without any credential it echoes.
                .map(|s| super::redact::scrub_server_text(&server_text(s, MAX_CODE_CHARS)))
        };
        let server = self.message.trim_end_matches('.').to_owned();
        let words = match (self.kind, self.code.as_deref()) {
            (ErrorKind::NotFound, _) => match (detail("clientId"), detail("workflowId")) {
                (_, Some(id)) => crate::tr!("error-server-workflow-not-found", id = id),
                (Some(id), None) => crate::tr!("error-server-app-not-found", id = id),
                (None, None) => crate::tr!("error-server-not-found"),
            },
            (ErrorKind::Validation, Some("VALIDATION_MISSING_PARAMETER")) => {
                let parameter = detail("parameter").unwrap_or_default();
                crate::tr!("error-server-missing-parameter", parameter = parameter)
            }
            (ErrorKind::Validation, _) => match detail("parameter") {
                Some(parameter) => crate::tr!(
                    "error-server-invalid-parameter",
                    parameter = parameter,
                    server = server
                ),
                None => crate::tr!("error-server-refused", server = server),
            },
            (ErrorKind::Unauthorized, _) => crate::tr!("error-server-unauthorized"),
            (ErrorKind::Forbidden, _) => crate::tr!("error-server-forbidden"),
            (ErrorKind::Conflict, _) => crate::tr!("error-server-conflict", server = server),
            (ErrorKind::RateLimited, _) => crate::tr!("error-server-rate-limited"),
            (ErrorKind::IdempotencyKeyConflict, _) => crate::tr!("error-server-key-conflict"),
            (ErrorKind::RequestInProgress, _) => crate::tr!("error-server-in-progress"),
            (ErrorKind::Server, _) => crate::tr!("error-server-internal"),
            _ => return None,
        };
        Some(words)
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
        let (code, (message, english), details, body_request_id) = match envelope {
            Some(e) => (e.code, e.message, e.details, e.request_id),
            None => (
                None,
                both(|| describe_unreadable_body(status, body, parsed.is_some())),
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
            english,
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
                message: e.message.0,
                details: e.details.map(Box::new),
                request_id: e.request_id,
                retry_after: None,
                english: e.message.1,
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

    /// A sentence a non-technical person can act on: what happened, then what to do, in the
    /// calling thread's language (run it with `crate::i18n::in_english` for what is stored).
    pub fn user_message(&self) -> String {
        let here = self.message_here();
        let what = here.trim_end_matches('.');
        let next = match self.kind {
            ErrorKind::Network => crate::tr!("error-advice-network"),
            ErrorKind::Timeout => crate::tr!("error-advice-timeout"),
            ErrorKind::Redirected => crate::tr!("error-advice-redirected"),
            ErrorKind::TooLarge | ErrorKind::Protocol => crate::tr!("error-advice-protocol"),
            ErrorKind::RateLimited => crate::tr!("error-advice-rate-limited"),
            ErrorKind::Unauthorized => crate::tr!("error-advice-unauthorized"),
            ErrorKind::Forbidden => crate::tr!("error-advice-forbidden"),
            // These messages are written with their fix already in them.
            ErrorKind::Local | ErrorKind::Tls | ErrorKind::Proxy | ErrorKind::UnknownHost => {
                return format!("{what}.");
            }
            ErrorKind::Validation => crate::tr!("error-advice-validation"),
            ErrorKind::NotFound => crate::tr!("error-advice-not-found"),
            ErrorKind::Conflict => crate::tr!("error-advice-conflict"),
            ErrorKind::IdempotencyKeyConflict => {
                crate::tr!("error-advice-idempotency-key-conflict")
            }
            ErrorKind::RequestInProgress => crate::tr!("error-advice-request-in-progress"),
            ErrorKind::Server => crate::tr!("error-advice-server"),
            ErrorKind::Decode => crate::tr!("error-advice-decode"),
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
            line.push(' ');
            line.push_str(&crate::tr!("error-request-id", id = id.as_str()));
        }
        line
    }
}

/// The fields of an error body, from the envelope or the App API's `{code, detail, context}`.
struct Envelope {
    code: Option<String>,
    /// The server's message, or ours (with its English) when it gave none.
    message: (String, Option<Box<str>>),
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
                        .map_or_else(server_reported, |m| (m, None)),
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
                    message: (
                        text_field(object, &["message"]).unwrap_or_else(|| {
                            super::redact::scrub_server_text(&server_text(code, MAX_MESSAGE_CHARS))
                        }),
                        None,
                    ),
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
                .map_or_else(server_reported, |m| (m, None)),
            details: object
                .get("details")
                .or_else(|| object.get("context"))
                .cloned(),
            request_id,
            status: None,
        })
    }
}

/// Our words for an error body without a message.
fn server_reported() -> (String, Option<Box<str>>) {
    both(|| crate::tr!("error-server-reported"))
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
    let status = status.to_string();
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        crate::tr!(
            "error-body-empty",
            status = status.as_str(),
            reason = reason
        )
    } else if trimmed.starts_with('<') {
        match html_title(trimmed) {
            Some(title) => crate::tr!(
                "error-body-web-page-titled",
                status = status.as_str(),
                reason = reason,
                title = title
            ),
            None => crate::tr!(
                "error-body-web-page",
                status = status.as_str(),
                reason = reason
            ),
        }
    } else if is_json {
        crate::tr!(
            "error-body-unknown-format",
            status = status.as_str(),
            reason = reason
        )
    } else {
        crate::tr!(
            "error-body-not-json",
            status = status.as_str(),
            reason = reason
        )
    }
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
