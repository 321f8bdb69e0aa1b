//! Wire models of the Connect Workspace API: apps, workflows, nodes, batches, list pages and
//! the provider catalog with activation.
//!
//! Decoding is tolerant: it accepts the Gen-2 camelCase contract and the older Gen-1 snake_case
//! shapes (`client_id`, `redirect_uris`, `verification.providers[]`), and keeps unknown fields in
//! `extra` so the detail view can still show them. Encoding always writes the current camelCase
//! contract.

mod app;
mod batch;
mod json;
mod page;
mod provider_catalog;
mod providers;
mod requests;
mod webhook;
mod workflow;

pub use app::App;
pub use batch::{BatchItem, BatchRequest, BatchResponse, BatchResult};
pub use json::{CompactJson, Extra, json_kind};
pub use page::Page;
pub use provider_catalog::{ActivationDetails, ActivationStatus, ProviderStatus, Requirement};
pub use providers::{ProviderSetting, Providers};
pub use requests::{
    CreateApp, RedirectUrisResponse, ReplaceRedirectUris, RotatedSecret, RotatedWebhookSecret,
    UpdateApp, WebhookPatch,
};
pub use webhook::WebhookConfig;
pub use workflow::{Next, Node, NodeType, NodeTypeField, Workflow};
