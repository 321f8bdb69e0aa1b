//! `Client`: one method per Workspace API call, checking its input before anything is sent.
//!
//! The HTTP work (retries, idempotency keys on every attempt, logging) is in
//! [`transport`](super::transport), reading answers in [`decode`](super::decode).

use std::time::Duration;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::connection::Connection;
use super::decode::{decode, decode_app_page, decode_list};
use super::error::{ApiError, ErrorKind, truncate};
use super::models::{
    App, BatchRequest, BatchResponse, CreateApp, NodeType, Page, ProviderStatus,
    RedirectUrisResponse, ReplaceRedirectUris, RotatedSecret, RotatedWebhookSecret, UpdateApp,
    WebhookPatch, Workflow,
};
use super::redirect_uris::validate_redirect_uris;
use super::retry::RetryPolicy;
use super::transport::{RawResponse, Transport};
use super::webhooks::validate_patch;
use crate::secret::Secret;

/// Largest page the API serves.
pub const PAGE_LIMIT: usize = 100;
/// Largest batch the API accepts.
pub const BATCH_LIMIT: usize = 100;
/// Pages fetched at once after the first.
pub const DEFAULT_PAGE_CONCURRENCY: usize = 8;
/// Longest app name this client sends (the API documents none; the sandbox enforces this).
pub const MAX_NAME_CHARS: usize = 100;

/// A created or rotated resource, and whether the server replayed an earlier answer.
#[derive(Debug, Clone)]
pub struct Created<T> {
    pub value: T,
    /// `Idempotency-Replayed: true`: this is the answer to an earlier attempt with the same key.
    pub replayed: bool,
    pub request_id: Option<String>,
}

/// The answer to a change, with the request id the server gave it (for the activity log and
/// for support).
#[derive(Debug, Clone)]
pub struct Answer<T> {
    pub value: T,
    pub request_id: Option<String>,
}

impl<T> Answer<T> {
    /// The same answer with its value changed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Answer<U> {
        Answer {
            value: f(self.value),
            request_id: self.request_id,
        }
    }
}

impl<T> Created<T> {
    /// The answer without the replay flag.
    pub fn answer(self) -> Answer<T> {
        Answer {
            value: self.value,
            request_id: self.request_id,
        }
    }
}

/// The Connect Workspace API client. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    transport: Transport,
}

impl Client {
    pub fn new(connection: Connection) -> Result<Self, ApiError> {
        Ok(Self {
            transport: Transport::new(connection)?,
        })
    }

    /// The same client with another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.transport.retry = retry;
        self
    }

    /// The same client with another deadline for a whole call, retries included (30 s by
    /// default; at most a day). Cheap: the connection pool is kept.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.transport.set_deadline(deadline);
        self
    }

    /// The same client with another timeout for one attempt without a byte from the server
    /// (10 s by default) and another deadline. Builds a new connection pool.
    pub fn with_timeouts(
        mut self,
        attempt: Duration,
        deadline: Duration,
    ) -> Result<Self, ApiError> {
        self.transport.set_attempt_timeout(attempt)?;
        self.transport.set_deadline(deadline);
        Ok(self)
    }

    /// How long one attempt waits without a byte from the server before it fails.
    pub fn attempt_timeout(&self) -> Duration {
        self.transport.attempt_timeout()
    }

    /// How long a whole call, retries included, may take.
    pub fn deadline(&self) -> Duration {
        self.transport.deadline()
    }

    pub fn connection(&self) -> &Connection {
        self.transport.connection()
    }

    /// `host[:port]` of the workspace, as error messages name it.
    pub(super) fn host(&self) -> &str {
        self.transport.host()
    }

    /// One page of apps (`limit` at most 100).
    pub async fn list_apps_page(&self, offset: usize, limit: usize) -> Result<Page<App>, ApiError> {
        Ok(self.sized_apps_page(offset, limit).await?.0)
    }

    /// A page of apps and the size of the answer that carried it, in bytes.
    pub(super) async fn sized_apps_page(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(Page<App>, usize), ApiError> {
        let query = [("limit", limit.to_string()), ("offset", offset.to_string())];
        let raw = self
            .transport
            .execute(Method::GET, "apps", &query, None, None)
            .await
            .map_err(|e| self.not_the_api(e))?;
        let page = decode_app_page(&raw.body).map_err(|e| e.with_request_id(raw.request_id))?;
        Ok((page, raw.body.len()))
    }

    /// The app list always exists, so a 404 for it means the address is not the Workspace API
    /// (a base URL without `/connect/v1`, say), not that something was removed.
    fn not_the_api(&self, error: ApiError) -> ApiError {
        if error.kind != ErrorKind::NotFound {
            return error;
        }
        let host = self.host();
        ApiError {
            kind: ErrorKind::Protocol,
            ..error.reworded(|_| crate::tr!("hopae-no-app-list", host = host))
        }
    }

    pub async fn get_app(&self, client_id: &str) -> Result<App, ApiError> {
        let path = app_path(client_id, "")?;
        let raw = self
            .transport
            .execute(Method::GET, &path, &[], None, None)
            .await?;
        decode(&raw)
    }

    /// Creates an app. Pass the same `idempotency_key` to retry a create whose outcome is unknown.
    pub async fn create_app(
        &self,
        name: &str,
        idempotency_key: &str,
    ) -> Result<Created<App>, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        let body = encode(&CreateApp { name })?;
        let raw = self
            .transport
            .execute(Method::POST, "apps", &[], Some(body), Some(idempotency_key))
            .await?;
        created(&raw)
    }

    /// Creates up to 100 apps in one call; `results[i]` answers `request.items[i]`.
    pub async fn batch_create(
        &self,
        request: &BatchRequest,
        idempotency_key: &str,
    ) -> Result<Created<BatchResponse>, ApiError> {
        if request.items.is_empty() || request.items.len() > BATCH_LIMIT {
            return Err(ApiError::invalid_worded("items", || {
                crate::tr!(
                    "hopae-batch-size",
                    max = BATCH_LIMIT,
                    count = request.items.len()
                )
            }));
        }
        let body = encode(request)?;
        let raw = self
            .transport
            .execute(
                Method::POST,
                "apps/batch",
                &[],
                Some(body),
                Some(idempotency_key),
            )
            .await?;
        created(&raw)
    }

    /// Renames an app: a PATCH with the name only, never `clientId` or `clientSecret`.
    pub async fn rename_app(&self, client_id: &str, name: &str) -> Result<App, ApiError> {
        self.rename_app_answer(client_id, name)
            .await
            .map(|a| a.value)
    }

    /// [`rename_app`](Self::rename_app), with the answer's request id.
    pub async fn rename_app_answer(
        &self,
        client_id: &str,
        name: &str,
    ) -> Result<Answer<App>, ApiError> {
        let name = validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?;
        self.patch_app(
            client_id,
            &UpdateApp {
                name: Some(name),
                ..UpdateApp::default()
            },
        )
        .await
    }

    /// Changes the fields set in `update` (a PATCH; the server merges a webhook config).
    /// `clientId` and `clientSecret` are never sent.
    pub async fn update_app(&self, client_id: &str, update: &UpdateApp) -> Result<App, ApiError> {
        let mut update = update.clone();
        if let Some(name) = &update.name {
            update.name =
                Some(validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))?);
        }
        if let Some(patch) = &update.webhook_config {
            update.webhook_config = Some(checked_webhook_patch(patch)?);
        }
        self.patch_app(client_id, &update).await.map(|a| a.value)
    }

    /// Changes an app's webhook: a PATCH with `webhookConfig` holding only the fields set in
    /// `patch`, which the server merges into the stored config (omitted fields are kept). Pass
    /// [`WebhookPatch::changes_from`] the current config to send only what differs. The address
    /// must be https; retries, timeout and events are checked first
    /// ([`validate_patch`](super::webhooks::validate_patch)).
    pub async fn update_webhook(
        &self,
        client_id: &str,
        patch: &WebhookPatch,
    ) -> Result<Answer<App>, ApiError> {
        let patch = checked_webhook_patch(patch)?;
        if patch.is_empty() {
            return Err(ApiError::invalid_worded("webhookConfig", || {
                crate::tr!("hopae-no-webhook-change")
            }));
        }
        self.patch_app(
            client_id,
            &UpdateApp {
                webhook_config: Some(patch),
                ..UpdateApp::default()
            },
        )
        .await
    }

    async fn patch_app(
        &self,
        client_id: &str,
        update: &UpdateApp,
    ) -> Result<Answer<App>, ApiError> {
        let path = app_path(client_id, "")?;
        let body = encode(update)?;
        let raw = self
            .transport
            .execute(Method::PATCH, &path, &[], Some(body), None)
            .await?;
        answer(raw)
    }

    /// Issues a new client secret; the old one stops working at once. Reuse the key on retry so
    /// a lost answer still yields the same secret.
    pub async fn rotate_client_secret(
        &self,
        client_id: &str,
        idempotency_key: &str,
    ) -> Result<Created<Secret>, ApiError> {
        let path = app_path(client_id, "/rotate-client-secret")?;
        let raw = self
            .transport
            .execute(Method::POST, &path, &[], None, Some(idempotency_key))
            .await?;
        let rotated: Created<RotatedSecret> = created(&raw)?;
        Ok(Created {
            value: rotated.value.client_secret,
            replayed: rotated.replayed,
            request_id: rotated.request_id,
        })
    }

    /// Issues a new webhook signing secret (`whsec_…`); signatures made with the old one stop
    /// verifying at once. Reuse the key on retry so a lost answer still yields the same secret.
    pub async fn rotate_webhook_secret(
        &self,
        client_id: &str,
        idempotency_key: &str,
    ) -> Result<Created<Secret>, ApiError> {
        let path = app_path(client_id, "/webhook-config/rotate-secret")?;
        let raw = self
            .transport
            .execute(Method::POST, &path, &[], None, Some(idempotency_key))
            .await?;
        let rotated: Created<RotatedWebhookSecret> = created(&raw)?;
        Ok(Created {
            value: rotated.value.secret,
            replayed: rotated.replayed,
            request_id: rotated.request_id,
        })
    }

    /// The provider catalog of an app with each provider's activation status and what it still
    /// requires (`GET /apps/{id}/providers?include=activation`).
    pub async fn list_providers(&self, client_id: &str) -> Result<Vec<ProviderStatus>, ApiError> {
        let path = app_path(client_id, "/providers")?;
        let query = [("include", "activation".to_owned())];
        let raw = self
            .transport
            .execute(Method::GET, &path, &query, None, None)
            .await?;
        decode_list(&raw)
    }

    /// Replaces the redirect URIs, after checking them by the documented rules.
    pub async fn replace_redirect_uris(
        &self,
        client_id: &str,
        uris: &[String],
    ) -> Result<Vec<String>, ApiError> {
        self.replace_redirect_uris_answer(client_id, uris)
            .await
            .map(|a| a.value)
    }

    /// [`replace_redirect_uris`](Self::replace_redirect_uris), with the answer's request id.
    pub async fn replace_redirect_uris_answer(
        &self,
        client_id: &str,
        uris: &[String],
    ) -> Result<Answer<Vec<String>>, ApiError> {
        let redirect_uris = checked_redirect_uris(uris)?;
        let path = app_path(client_id, "/redirect-uris")?;
        let body = encode(&ReplaceRedirectUris { redirect_uris })?;
        let raw = self
            .transport
            .execute(Method::PUT, &path, &[], Some(body), None)
            .await?;
        let response: RedirectUrisResponse = decode(&raw)?;
        Ok(Answer {
            value: response.redirect_uris,
            request_id: raw.request_id,
        })
    }

    pub async fn list_workflows(&self, client_id: &str) -> Result<Vec<Workflow>, ApiError> {
        let path = app_path(client_id, "/workflows")?;
        let raw = self
            .transport
            .execute(Method::GET, &path, &[], None, None)
            .await?;
        decode_list(&raw)
    }

    /// Creates a workflow on the app (`POST /apps/{id}/workflows`: name, entry node, nodes).
    /// Reuse the key on retry so a lost answer never makes a second workflow.
    pub async fn create_workflow(
        &self,
        client_id: &str,
        workflow: &Workflow,
        idempotency_key: &str,
    ) -> Result<Answer<Workflow>, ApiError> {
        let path = app_path(client_id, "/workflows")?;
        let body = encode(&workflow_body(workflow))?;
        let raw = self
            .transport
            .execute(Method::POST, &path, &[], Some(body), Some(idempotency_key))
            .await?;
        answer(raw)
    }

    /// Replaces a workflow's name, entry node and nodes (`PATCH /apps/{id}/workflows/{wid}`).
    pub async fn update_workflow(
        &self,
        client_id: &str,
        workflow_id: &str,
        workflow: &Workflow,
    ) -> Result<Answer<Workflow>, ApiError> {
        let id = path_id(workflow_id, "workflowId", |id| {
            crate::tr!("hopae-not-a-workflow-id", id = id)
        })?;
        let path = app_path(client_id, &format!("/workflows/{id}"))?;
        let body = encode(&workflow_body(workflow))?;
        let raw = self
            .transport
            .execute(Method::PATCH, &path, &[], Some(body), None)
            .await?;
        answer(raw)
    }

    pub async fn node_types(&self, client_id: &str) -> Result<Vec<NodeType>, ApiError> {
        let path = app_path(client_id, "/workflows/node-types")?;
        let raw = self
            .transport
            .execute(Method::GET, &path, &[], None, None)
            .await?;
        decode_list(&raw)
    }
}

/// What a create or update of a workflow sends: its name, entry node and nodes (never the
/// server's own id or times).
fn workflow_body(workflow: &Workflow) -> serde_json::Value {
    serde_json::json!({
        "name": workflow.name,
        "entryNodeId": workflow.entry_node_id,
        "nodes": workflow.nodes,
    })
}

/// Checks an app name the way the sandbox does: not blank, at most 100 characters. Returns it trimmed.
pub fn validate_app_name(name: &str) -> Result<String, String> {
    check_app_name(name, MAX_NAME_CHARS)
}

/// An app name trimmed, or why it cannot be one: blank, longer than `max` characters, or
/// holding a line break or another control character. Both backends' rule, with their own
/// length.
pub fn check_app_name(name: &str, max: usize) -> Result<String, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(crate::tr!("hopae-name-empty"));
    }
    let count = trimmed.chars().count();
    if count > max {
        return Err(crate::tr!("hopae-name-too-long", count = count, max = max));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(crate::tr!("hopae-name-control-character"));
    }
    Ok(trimmed.to_owned())
}

/// A webhook patch checked by the documented rules, as an error shaped like the server's.
/// The redirect URIs as they will be sent, or the first problem as the server would word it.
pub fn checked_redirect_uris(uris: &[String]) -> Result<Vec<String>, ApiError> {
    validate_redirect_uris(uris).map_err(|problems| {
        let first = &problems[0];
        ApiError::invalid_parameter(
            "redirectUris",
            crate::tr!(
                "hopae-redirect-address-problem",
                number = first.index.saturating_add(1),
                uri = truncate(&first.uri, 80),
                problem = first.problem.as_str()
            ),
        )
    })
}

/// The webhook change as it will be sent, or why it cannot be.
pub fn checked_webhook_patch(patch: &WebhookPatch) -> Result<WebhookPatch, ApiError> {
    validate_patch(patch)
        .map_err(|(parameter, message)| ApiError::invalid_parameter(parameter, message))
}

/// A fresh key for one user action; reuse it for every retry of that action.
pub fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Decodes a `GET /apps` body: `{data, total, limit, offset}` with or without `"object":"list"`,
/// or a bare array. Decoded straight from the bytes: this is the hot path of a large list.
/// The decoded answer and the id of the request that got it.
fn answer<T: DeserializeOwned>(raw: RawResponse) -> Result<Answer<T>, ApiError> {
    Ok(Answer {
        value: decode(&raw)?,
        request_id: raw.request_id,
    })
}

fn created<T: DeserializeOwned>(raw: &RawResponse) -> Result<Created<T>, ApiError> {
    Ok(Created {
        value: decode(raw)?,
        replayed: raw.replayed,
        request_id: raw.request_id.clone(),
    })
}

fn encode<T: Serialize>(body: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(body).map_err(|e| {
        ApiError::local_worded(|| crate::tr!("hopae-encode-failed", error = e.to_string()))
    })
}

fn app_path(client_id: &str, suffix: &str) -> Result<String, ApiError> {
    let id = path_id(client_id, "clientId", |id| {
        crate::tr!("hopae-not-a-client-id", id = id)
    })?;
    Ok(format!("apps/{id}{suffix}"))
}

/// An id to put in a path, trimmed: letters, digits, `_` and `-` only, so it can never reach
/// another resource. `refusal` words the refusal of an id (cut to 40 characters).
fn path_id<'a>(
    raw: &'a str,
    parameter: &str,
    refusal: impl Fn(&str) -> String,
) -> Result<&'a str, ApiError> {
    let id = raw.trim();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        let shown = truncate(id, 40);
        return Err(ApiError::invalid_worded(parameter, || refusal(&shown)));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_trimmed() {
        assert_eq!(validate_app_name("  Acme  ").unwrap(), "Acme");
        assert!(validate_app_name("   ").is_err());
        assert!(validate_app_name(&"가".repeat(101)).is_err());
        assert!(validate_app_name(&"가".repeat(100)).is_ok());
        assert!(validate_app_name("a\nb").is_err());
    }

    #[test]
    fn client_ids_cannot_escape_the_path() {
        assert!(app_path("../workspace", "").is_err());
        assert!(app_path("a b", "").is_err());
        assert_eq!(
            app_path("HqTRDIYH", "/workflows").unwrap(),
            "apps/HqTRDIYH/workflows"
        );
    }
}
