//! Connect Console: an admin console and command line for Hopae Connect apps (OIDC clients).
//!
//! | module | owns |
//! |---|---|
//! | `api` | HTTP client for the Workspace API: models, errors, retry, paging, batch |
//! | `zitadel` | HTTP client for the ZITADEL management API v1: projects and API apps |
//! | `sandbox` | a local Connect-compatible server (and a ZITADEL one), the embedded default and the test ground |
//! | `secret` | the `Secret` type |
//! | `cli` | the command-line commands |
//! | `settings` | where API keys live (environment, OS keyring, this run only) |
//! | `runtime` | the background tokio runtime behind the console |
//! | `ui` | the egui views |
//!
//! # Failure handling
//! Every failure of a call is an [`api::ApiError`] with a sentence and a next step
//! ([`api::ApiError::user_message`]) and the request id; the CLI prints it on one line and
//! exits 1. Nothing panics on a server's answer, whatever its shape.

pub mod api;
pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod import;
pub mod runtime;
pub mod sandbox;
pub mod secret;
pub mod settings;
pub mod ui;
pub mod workflow;
pub mod zitadel;
