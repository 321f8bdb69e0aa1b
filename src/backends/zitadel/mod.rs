//! A ZITADEL instance: the HTTP client for its management API v1 (REST gateway), projects and
//! API applications, and the [`crate::backends::Workspace`] over it (`workspace`).
//!
//! Beside [`crate::api`] (the Hopae client), with its own wire models, and knowing nothing of egui
//! or of the `sandbox` module. Failures are [`crate::api::ApiError`]s built from ZITADEL's gRPC
//! status body (or the Connect error shape), decided by the numeric `code` and never by the
//! server's translated text, so the rest of the program handles both backends alike.
//!
//! What an importer needs: [`ZitadelClient::list_apps`] (the names already taken in a project),
//! [`ZitadelClient::create_api_app`], [`ZitadelClient::find_app_by_name`] (to resolve a create
//! whose answer was lost) and [`ZitadelClient::regenerate_client_secret`].

mod client;
mod connection;
mod error;
mod model;
mod wire;
mod workspace;

pub use client::{MAX_NAME_CHARS, MAX_PAGE_LIMIT, MAX_PAGES, ZitadelClient, validate_app_name};
pub use connection::{MANAGEMENT_PATH, ZitadelConnection};
pub use error::outcome_unknown;
pub use model::{
    AppKind, AppPage, AppState, AuthMethod, CreatedApp, ProjectState, RenameOutcome, ZitadelApp,
    ZitadelProject,
};
pub use workspace::{ZitadelWorkspace, app_of};
