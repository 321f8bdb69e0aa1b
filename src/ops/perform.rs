//! Sends one write through a backend, records it in the activity log, and resolves a create
//! whose answer was lost the one safe way: report it, never issue a secret for an app this run
//! cannot prove it made.

use crate::activity::{self, ActivityLog, Entry};
use crate::api::{ApiError, ErrorKind};
use crate::backends::Workspace;
use crate::backends::model::NewApp;

use super::write::{Outcome, Write};

/// The code of a create whose answer was lost and whose app was then found by name.
pub const LOST_CREATE_FOUND: &str = "LOST_CREATE_FOUND_BY_NAME";

/// What a write did, and whether the activity log could record it.
#[derive(Debug)]
pub struct Performed {
    pub result: Result<Outcome, ApiError>,
    /// Why the activity log could not be written; the write happened whatever the log says.
    pub log_error: Option<String>,
}

/// Sends `write` to `workspace` (in `scope`, where apps live in projects) and logs it in `log`.
pub async fn perform(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    write: Write,
    log: Option<&ActivityLog>,
) -> Performed {
    let entry = entry_for(workspace, &write);
    let result = send(workspace, scope, write).await;
    // A write that changed something (or may have) is recorded; one refused before it was
    // sent is not.
    let entry = match &result {
        Ok(done) => Some(
            entry
                .app(done.app_id(), done.app_name())
                .request_id(done.request_id().map(str::to_owned)),
        ),
        Err(error)
            if activity::was_sent(error) || error.code.as_deref() == Some(LOST_CREATE_FOUND) =>
        {
            Some(entry.failed_with(error))
        }
        Err(_) => None,
    };
    let log_error = match (log, entry) {
        (Some(log), Some(entry)) => log.append(&entry).err().map(|e| e.0),
        _ => None,
    };
    Performed { result, log_error }
}

/// The activity entry of a write, before its outcome is known.
fn entry_for(workspace: &dyn Workspace, write: &Write) -> Entry {
    let info = workspace.info();
    let place = url::Url::parse(&info.base_url)
        .map(|url| activity::workspace_of(&url))
        .unwrap_or(info.host);
    let entry = Entry::new(workspace.kind(), &place, write.action());
    let entry = match write.app() {
        Some(id) => entry.app(id, None),
        None => entry,
    };
    match write {
        Write::CreateApp { name, .. } | Write::RenameApp { name, .. } => entry.detail(name.clone()),
        Write::UpdateWebhook { patch, .. } => entry.detail(patch.field_names().join(", ")),
        _ => entry,
    }
}

async fn send(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    write: Write,
) -> Result<Outcome, ApiError> {
    match write {
        Write::CreateApp {
            name,
            idempotency_key,
            auth_method,
        } => {
            let new = NewApp {
                name,
                idempotency_key,
                auth_method,
            };
            create(workspace, scope, &new).await
        }
        Write::RenameApp { id, name } => workspace
            .rename_app(scope, &id, &name)
            .await
            .map(|app| Outcome::Changed(Box::new(app))),
        Write::RotateSecret {
            id,
            idempotency_key,
        } => workspace
            .rotate_secret(scope, &id, &idempotency_key)
            .await
            .map(|secret| Outcome::SecretRotated { id, secret }),
        Write::ReplaceRedirectUris { id, uris } => workspace
            .replace_redirect_uris(scope, &id, &uris)
            .await
            .map(|uris| Outcome::RedirectUrisSaved { id, uris }),
        Write::SetActive { id, active } => workspace
            .set_active(scope, &id, active)
            .await
            .map(|app| Outcome::Changed(Box::new(app))),
        Write::UpdateWebhook { id, patch } => workspace
            .update_webhook(scope, &id, &patch)
            .await
            .map(|app| Outcome::Changed(Box::new(app))),
        Write::RotateWebhookSecret {
            id,
            idempotency_key,
        } => workspace
            .rotate_webhook_secret(scope, &id, &idempotency_key)
            .await
            .map(|secret| Outcome::WebhookSecretRotated { id, secret }),
    }
}

/// A create. Where creates are idempotent the transport already retried under the same key,
/// and Retry sends that key again. Elsewhere a lost answer is looked up by name, and an app
/// found that way is only reported: a colleague may have made it at the same moment, so this
/// run issues no secret for it.
async fn create(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    new: &NewApp,
) -> Result<Outcome, ApiError> {
    let error = match workspace.create_app(scope, new).await {
        Ok(created) => return Ok(Outcome::Created(Box::new(created))),
        Err(error) if workspace.capabilities().idempotent_create => return Err(error),
        Err(error) if !Write::outcome_unknown(&error) => return Err(error),
        Err(error) => error,
    };
    let found = match workspace.find_apps_by_name(scope, &new.name).await {
        Ok(found) => found,
        // The look-up failed too: the outcome stays unknown, as the first error says.
        Err(_) => return Err(error),
    };
    match found.first() {
        None => Err(ApiError {
            message: format!(
                "{}. No app named \"{}\" exists, so it was not created; try again",
                error.message.trim_end_matches('.'),
                new.name
            ),
            ..error
        }),
        Some(app) => Err(ApiError {
            kind: ErrorKind::Local,
            code: Some(LOST_CREATE_FOUND.to_owned()),
            message: format!(
                "The answer to the create was lost, and an app named \"{}\" now exists (app id \
                 {}). This run cannot tell whether it made that app or a colleague did at the \
                 same moment, so no secret was issued for it. If it is yours, rotate its secret \
                 (Rotate secret… in its details, or `connect-console apps rotate-secret {}`); \
                 otherwise create the app again under another name",
                new.name, app.id, app.id
            ),
            ..error
        }),
    }
}
