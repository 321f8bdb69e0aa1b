//! HTTP client for the Hopae Connect Workspace API: models, errors, retry, paging and batch.
//!
//! `client` has one method per API call and `paging` lists every app; `transport` sends the
//! calls (retries, timeouts, no redirects, size limit) over the HTTP client that both backends
//! build with `backends::net` (proxy, trust, network errors);
//! `webhooks` and `redirect_uris` hold the rules checked before a write;
//! `decode` reads the answers; `models` holds the wire types. Knows nothing of egui, and nothing
//! of the `sandbox` module: the two keep separate wire types so that a misread field name cannot
//! agree with itself.

mod client;
mod connection;
mod decode;
mod error;
pub mod models;
mod paging;
pub mod redact;
pub mod redirect_uris;
mod retry;
mod transport;
pub mod webhooks;

pub use client::{
    Answer, BATCH_LIMIT, Client, Created, DEFAULT_PAGE_CONCURRENCY, MAX_NAME_CHARS, PAGE_LIMIT,
    check_app_name, checked_redirect_uris, checked_webhook_patch, new_idempotency_key,
    validate_app_name,
};
pub use connection::{Connection, Environment, HOPAE_PRODUCTION_URL, HOPAE_SANDBOX_URL};
pub use decode::{decode_app_page, decode_body};
pub(crate) use error::both;
pub use error::{ApiError, ErrorKind};
pub use models::*;
pub use paging::MAX_LISTED_APPS;
pub use retry::RetryPolicy;
pub use transport::{DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_DEADLINE, MAX_BODY_BYTES, MAX_DEADLINE};
pub(crate) use transport::{
    header_str, host_and_port, parse_retry_after, read_body, redirect_error, seconds,
};
