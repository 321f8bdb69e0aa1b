//! ZITADEL's error answer: a `google.rpc.Status` body with a numeric gRPC code, and the HTTP
//! status the grpc-gateway pairs with it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A failed call: gRPC code, the (English) message and ZITADEL's source id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Status {
    pub code: u16,
    pub message: String,
    /// The `<area>-<id>` tag ZITADEL appends; `None` for proto validation errors.
    pub id: Option<&'static str>,
}

impl Status {
    pub fn new(code: u16, message: impl Into<String>, id: Option<&'static str>) -> Self {
        Self {
            code,
            message: message.into(),
            id,
        }
    }

    /// 3, as the proto validation interceptor words it (no details).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(3, message, None)
    }

    /// 5 for an app that does not exist; the key arrives untranslated, as on a live server.
    pub fn app_not_existing() -> Self {
        Self::new(5, "Errors.App.NotExisting", Some("QUERY-pCP8P"))
    }

    /// 5 for a write on an app that does not exist.
    pub fn app_doesnt_exist() -> Self {
        Self::new(5, "Application doesn't exist", Some("COMMAND-0po9s"))
    }

    pub fn permission_denied() -> Self {
        Self::new(7, "No matching permissions found", Some("AUTH-5mWD2"))
    }

    pub fn unauthenticated(malformed: bool) -> Self {
        if malformed {
            Self::new(16, "auth header missing or malformed", Some("AUTH-toLo1"))
        } else {
            Self::new(16, "Token is invalid", Some("AUTH-7fs1e"))
        }
    }

    fn http_status(&self) -> StatusCode {
        match self.code {
            3 | 9 | 11 => StatusCode::BAD_REQUEST,
            5 => StatusCode::NOT_FOUND,
            6 | 10 => StatusCode::CONFLICT,
            7 => StatusCode::FORBIDDEN,
            8 => StatusCode::TOO_MANY_REQUESTS,
            12 => StatusCode::NOT_IMPLEMENTED,
            14 => StatusCode::SERVICE_UNAVAILABLE,
            16 => StatusCode::UNAUTHORIZED,
            4 => StatusCode::GATEWAY_TIMEOUT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The answer with an explicit HTTP status (405 keeps code 12).
    pub fn with_http(self, status: StatusCode) -> Response {
        let mut response = self.into_response();
        *response.status_mut() = status;
        response
    }
}

#[derive(Serialize)]
struct Body<'a> {
    code: u16,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    details: Vec<Detail<'a>>,
}

#[derive(Serialize)]
struct Detail<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    id: &'a str,
    message: &'a str,
}

impl IntoResponse for Status {
    fn into_response(self) -> Response {
        let status = self.http_status();
        let details = self
            .id
            .map(|id| Detail {
                kind: "type.googleapis.com/zitadel.v1.ErrorDetail",
                id,
                message: &self.message,
            })
            .into_iter()
            .collect();
        let body = Body {
            code: self.code,
            message: match self.id {
                Some(id) => format!("{} ({id})", self.message),
                None => self.message.clone(),
            },
            details,
        };
        (status, Json(body)).into_response()
    }
}
