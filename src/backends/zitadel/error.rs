//! ZITADEL's error bodies as [`ApiError`]s: decided by the gRPC `code`, never by the text.
//!
//! The REST gateway answers a `google.rpc.Status` (`{"code": 5, "message": "…", "details":
//! [{"id": "QUERY-pCP8P", …}]}`); the Connect endpoints answer `{"code": "not_found",
//! "message": "…"}`. The server's message is translated (and some keys arrive raw, such as
//! `Errors.App.NotExisting`), so the sentence shown is ours, chosen by code and by the call that
//! failed; the server's text and source id are kept in `details` for support.

use std::time::Duration;

use serde_json::{Value, json};

use crate::api::{ApiError, ErrorKind};

/// Which call failed, to phrase its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    ListProjects,
    ListApps,
    GetApp,
    CreateApp,
    RenameApp,
    RegenerateSecret,
    DeactivateApp,
    ReactivateApp,
    ListKeys,
    AddKey,
    DeleteKey,
}

impl Op {
    fn writes(self) -> bool {
        !matches!(
            self,
            Self::ListProjects | Self::ListApps | Self::GetApp | Self::ListKeys
        )
    }
}

/// A call and what it was about.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    pub op: Op,
    pub project: &'a str,
    pub app: &'a str,
    pub org: Option<&'a str>,
}

/// gRPC status codes by number, with their Connect names.
const CODES: [(i64, &str, &str); 16] = [
    (1, "CANCELLED", "canceled"),
    (2, "UNKNOWN", "unknown"),
    (3, "INVALID_ARGUMENT", "invalid_argument"),
    (4, "DEADLINE_EXCEEDED", "deadline_exceeded"),
    (5, "NOT_FOUND", "not_found"),
    (6, "ALREADY_EXISTS", "already_exists"),
    (7, "PERMISSION_DENIED", "permission_denied"),
    (8, "RESOURCE_EXHAUSTED", "resource_exhausted"),
    (9, "FAILED_PRECONDITION", "failed_precondition"),
    (10, "ABORTED", "aborted"),
    (11, "OUT_OF_RANGE", "out_of_range"),
    (12, "UNIMPLEMENTED", "unimplemented"),
    (13, "INTERNAL", "internal"),
    (14, "UNAVAILABLE", "unavailable"),
    (15, "DATA_LOSS", "data_loss"),
    (16, "UNAUTHENTICATED", "unauthenticated"),
];

/// The gRPC code name an [`ApiError`] from this module carries in `code`.
pub(crate) const FAILED_PRECONDITION: &str = "FAILED_PRECONDITION";

/// The status body, if the answer has one.
struct Status {
    code: i64,
    message: String,
    id: Option<String>,
}

impl Status {
    fn read(body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let object = value.as_object()?;
        let code = match object.get("code")? {
            Value::Number(n) => n.as_i64()?,
            Value::String(name) => {
                let name = name.to_ascii_lowercase();
                CODES.iter().find(|(_, _, connect)| *connect == name)?.0
            }
            _ => return None,
        };
        let message = object
            .get("message")
            .and_then(Value::as_str)
            .map(|m| crate::api::redact::scrub_server_text(&truncate(m, 300)))
            .unwrap_or_default();
        let id = object
            .get("details")
            .and_then(Value::as_array)
            .and_then(|details| {
                details
                    .iter()
                    .find_map(|d| d.get("id").and_then(Value::as_str))
            })
            .map(|id| truncate(id, 80));
        (code != 0).then_some(Self { code, message, id })
    }
}

/// Builds the error for a non-2xx answer of `call`.
pub(crate) fn from_response(
    status: u16,
    body: &[u8],
    request_id: Option<String>,
    retry_after: Option<Duration>,
    call: &Call<'_>,
) -> ApiError {
    let Some(grpc) = Status::read(body) else {
        // An HTML page, an empty or foreign body: described in one line, never quoted.
        return ApiError::from_response(status, body, request_id, retry_after);
    };
    let kind = std::cell::Cell::new(ErrorKind::Server);
    let (message, english) = crate::api::both(|| {
        let (described, message) = describe(&grpc, call);
        kind.set(described);
        message
    });
    let mut kind = kind.get();
    if status == 429 {
        kind = ErrorKind::RateLimited;
    }
    let name = CODES.iter().find(|(n, _, _)| *n == grpc.code).map_or_else(
        || format!("CODE_{}", grpc.code),
        |(_, name, _)| (*name).to_owned(),
    );
    let mut details = json!({"grpcCode": grpc.code, "serverMessage": grpc.message});
    if let Some(id) = &grpc.id {
        details["id"] = json!(id);
    }
    ApiError {
        kind,
        status: Some(status),
        code: Some(name),
        message,
        details: Some(Box::new(details)),
        request_id,
        retry_after,
        english,
    }
}

/// The kind and our sentence for a status code and call, in the calling thread's language.
fn describe(grpc: &Status, call: &Call<'_>) -> (ErrorKind, String) {
    let app = quoted_id(call.app);
    let app = app.as_str();
    let project = quoted_id(call.project);
    let project = project.as_str();
    let in_org = call
        .org
        .map(|org| crate::tr!("zitadel-in-org", org = org))
        .unwrap_or_default();
    let in_org = in_org.as_str();
    let server = || {
        if grpc.message.is_empty() {
            crate::tr!("zitadel-no-reason")
        } else {
            grpc.message.clone()
        }
    };
    match grpc.code {
        5 => (
            ErrorKind::NotFound,
            match call.op {
                Op::ListProjects | Op::ListApps => {
                    crate::tr!("zitadel-api-not-found", in_org = in_org)
                }
                Op::CreateApp => crate::tr!(
                    "zitadel-project-not-found",
                    project = project,
                    in_org = in_org
                ),
                Op::DeleteKey => crate::tr!("zitadel-key-not-found", app = app),
                _ => crate::tr!(
                    "zitadel-app-not-found",
                    app = app,
                    project = project,
                    in_org = in_org
                ),
            },
        ),
        6 => (ErrorKind::Conflict, crate::tr!("zitadel-name-taken")),
        7 => (
            ErrorKind::Forbidden,
            match call.op {
                Op::ListProjects => {
                    crate::tr!("zitadel-no-permission-projects", in_org = in_org)
                }
                op if op.writes() => crate::tr!(
                    "zitadel-no-permission-write",
                    project = project,
                    in_org = in_org
                ),
                _ => crate::tr!(
                    "zitadel-no-permission-read",
                    project = project,
                    in_org = in_org
                ),
            },
        ),
        16 => (
            ErrorKind::Unauthorized,
            crate::tr!("zitadel-token-rejected"),
        ),
        9 => match call.op {
            // Creating in a project of another organisation, or one that does not exist.
            Op::CreateApp => (
                ErrorKind::NotFound,
                crate::tr!(
                    "zitadel-project-not-found-or-hidden",
                    project = project,
                    in_org = in_org
                ),
            ),
            Op::RenameApp => (ErrorKind::Validation, crate::tr!("zitadel-same-name")),
            Op::DeactivateApp => (
                ErrorKind::Conflict,
                crate::tr!("zitadel-already-inactive", app = app),
            ),
            Op::ReactivateApp => (
                ErrorKind::Conflict,
                crate::tr!("zitadel-already-active", app = app),
            ),
            Op::AddKey => (
                ErrorKind::Validation,
                crate::tr!("zitadel-app-takes-no-keys", app = app),
            ),
            _ => (
                ErrorKind::Conflict,
                crate::tr!("zitadel-wrong-state", reason = server()),
            ),
        },
        3 | 11 => (
            ErrorKind::Validation,
            crate::tr!("zitadel-refused", reason = server()),
        ),
        8 => (ErrorKind::RateLimited, crate::tr!("zitadel-slow-down")),
        12 => (ErrorKind::Validation, crate::tr!("zitadel-unimplemented")),
        10 => (ErrorKind::Conflict, crate::tr!("zitadel-aborted")),
        1 => (ErrorKind::Network, crate::tr!("zitadel-cancelled")),
        4 => (ErrorKind::Server, crate::tr!("zitadel-deadline-exceeded")),
        14 => (ErrorKind::Server, crate::tr!("zitadel-unavailable")),
        _ => (
            ErrorKind::Server,
            crate::tr!("zitadel-internal", reason = server()),
        ),
    }
}

fn quoted_id(id: &str) -> String {
    if id.is_empty() {
        crate::tr!("zitadel-no-id")
    } else {
        truncate(id, 60)
    }
}

/// A transport failure at `host`; `requestSent` says whether the request may have reached
/// the server. Certificates, proxies and unknown hosts are worded before this, by
/// `backends::net`.
pub(crate) fn network_error(error: &reqwest::Error, host: &str) -> ApiError {
    let sent = !error.is_connect();
    let worded = ApiError::worded(ErrorKind::Network, || {
        if error.is_timeout() {
            crate::tr!("zitadel-no-answer-in-time", host = host)
        } else if error.is_connect() {
            crate::tr!("zitadel-could-not-connect", host = host)
        } else if error.is_body() || error.is_decode() {
            crate::tr!("zitadel-lost-while-reading", host = host)
        } else {
            crate::tr!("zitadel-connection-failed", host = host)
        }
    });
    ApiError {
        details: Some(Box::new(json!({ "requestSent": sent }))),
        ..worded
    }
}

/// Whether the failure left it open whether a write happened: the answer was lost, the server
/// failed, or its success answer could not be read. After a create failed this way, look the
/// app up by name ([`super::ZitadelClient::find_app_by_name`]) before creating it again.
pub fn outcome_unknown(error: &ApiError) -> bool {
    match error.kind {
        ErrorKind::Network => {
            error
                .details
                .as_ref()
                .and_then(|d| d.get("requestSent"))
                .and_then(Value::as_bool)
                != Some(false)
        }
        // A call cut by its deadline may have been sent and done.
        ErrorKind::Server | ErrorKind::Decode | ErrorKind::Timeout => true,
        _ => false,
    }
}

/// Whether the request certainly did not reach the server (a create may be sent again).
pub(crate) fn certainly_unsent(error: &ApiError) -> bool {
    error.kind == ErrorKind::RateLimited
        || (error.kind == ErrorKind::Network && !outcome_unknown(error))
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

    fn call(op: Op) -> Call<'static> {
        Call {
            op,
            project: "300",
            app: "301",
            org: None,
        }
    }

    #[test]
    fn codes_decide_not_text() {
        let body = br#"{"code":5,"message":"Errors.App.NotExisting (QUERY-pCP8P)","details":[{"@type":"type.googleapis.com/zitadel.v1.ErrorDetail","id":"QUERY-pCP8P","message":"Errors.App.NotExisting"}]}"#;
        let err = from_response(404, body, None, None, &call(Op::GetApp));
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert_eq!(err.message, "App 301 was not found in project 300");
        assert_eq!(err.code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(err.details.as_ref().unwrap()["id"], "QUERY-pCP8P");
        // The same code in any language reads the same.
        let body = br#"{"code":6,"message":"Applikation existiert bereits (V3-DKcYh)"}"#;
        let err = from_response(409, body, None, None, &call(Op::CreateApp));
        assert_eq!(err.kind, ErrorKind::Conflict);
        assert!(err.message.contains("already exists in this project"));
    }

    #[test]
    fn connect_shape_maps_like_the_status_body() {
        let body = br#"{"code":"not_found","message":"nope","details":[{"type":"x","value":"AA==","debug":{}}]}"#;
        let err = from_response(404, body, None, None, &call(Op::DeactivateApp));
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert_eq!(err.code.as_deref(), Some("NOT_FOUND"));
        let body = br#"{"code":"unauthenticated","message":"Token is invalid"}"#;
        let err = from_response(401, body, None, None, &call(Op::ListApps));
        assert_eq!(err.kind, ErrorKind::Unauthorized);
        assert!(err.message.starts_with("The token was rejected"));
    }

    #[test]
    fn failed_precondition_says_which_one() {
        let body = br#"{"code":9,"message":"Project not found (COMMAND-EbFMN)"}"#;
        let err = from_response(400, body, None, None, &call(Op::CreateApp));
        assert_eq!(err.kind, ErrorKind::NotFound);
        assert!(
            err.message.contains("project 300 was not found"),
            "{}",
            err.message
        );
        let body = br#"{"code":9,"message":"x"}"#;
        let err = from_response(400, body, None, None, &call(Op::DeactivateApp));
        assert_eq!(err.message, "App 301 is already inactive");
        let err = from_response(400, body, None, None, &call(Op::ReactivateApp));
        assert_eq!(err.message, "App 301 is already active");
    }

    #[test]
    fn permission_names_the_org_and_the_permission() {
        let body = br#"{"code":7,"message":"No matching permissions found (AUTH-5mWD2)"}"#;
        let c = Call {
            org: Some("42"),
            ..call(Op::CreateApp)
        };
        let err = from_response(403, body, None, None, &c);
        assert_eq!(err.kind, ErrorKind::Forbidden);
        assert!(err.message.starts_with("This token lacks permission"));
        assert!(
            err.message.contains("organisation 42") && err.message.contains("project.app.write")
        );
    }

    #[test]
    fn html_page_is_one_line_without_the_page() {
        let body = b"<html><head><title>502 Bad Gateway</title></head><body><script>secret()</script></body></html>";
        let err = from_response(502, body, None, None, &call(Op::ListApps));
        assert_eq!(err.kind, ErrorKind::Server);
        assert!(!err.one_line().contains("script"));
        assert!(!err.one_line().contains('\n'));
    }

    #[test]
    fn transport_errors_know_whether_they_were_sent() {
        let unsent = ApiError {
            details: Some(Box::new(json!({"requestSent": false}))),
            ..ApiError::new(ErrorKind::Network, "x")
        };
        assert!(!outcome_unknown(&unsent) && certainly_unsent(&unsent));
        let lost = ApiError {
            details: Some(Box::new(json!({"requestSent": true}))),
            ..ApiError::new(ErrorKind::Network, "x")
        };
        assert!(outcome_unknown(&lost) && !certainly_unsent(&lost));
        assert!(outcome_unknown(&ApiError::new(ErrorKind::Server, "x")));
        assert!(!outcome_unknown(&ApiError::new(ErrorKind::Conflict, "x")));
    }
}
