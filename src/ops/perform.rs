//! Sends one write through a backend, records it in the activity log, and resolves a create
//! whose answer was lost the one safe way: report it, never issue a secret for an app this run
//! cannot prove it made.

use crate::activity::{self, ActivityLog, Entry};
use crate::api::{ApiError, ErrorKind};
use crate::backends::Workspace;
use crate::backends::model::{Answer, App, NewApp};

use super::write::{Outcome, Write};

/// The code of a create whose answer was lost and whose app was then found by name.
pub const LOST_CREATE_FOUND: &str = "LOST_CREATE_FOUND_BY_NAME";

/// What a write did, and whether the activity log could record it.
#[derive(Debug)]
pub struct Performed {
    pub result: Result<Outcome, ApiError>,
    /// Whether the write itself was sent; a read before it that failed sent nothing, so its
    /// failure leaves nothing unknown.
    pub sent: bool,
    /// Why the activity log could not be written; the write happened whatever the log says.
    pub log_error: Option<String>,
}

/// Sends `write` to `workspace` (in `scope`, where apps live in projects) and logs it in `log`.
/// A write whose answer does not name the app (rotations, redirect URIs) reads the app first,
/// so its entry names it too; a read that fails ends the write before anything is sent, since
/// the write would meet the same problem.
pub async fn perform(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    write: Write,
    log: Option<&ActivityLog>,
) -> Performed {
    // A workflow changed on the server since it was opened is refused before anything is sent.
    let checked = match &write {
        Write::UpdateWorkflow {
            id,
            workflow,
            base_updated_at: Some(base),
        } => check_unchanged(workspace, scope, id, &workflow.workflow_id, base).await,
        _ => Ok(()),
    };
    let named = match checked {
        Ok(()) => name_first(workspace, scope, &write).await,
        Err(error) => Err(error),
    };
    let name = match named {
        Ok(name) => name,
        Err(error) => {
            return Performed {
                result: Err(error),
                sent: false,
                log_error: None,
            };
        }
    };
    // The activity log is stored: its words stay English whatever the console speaks.
    let entry = crate::i18n::in_english(|| entry_for(workspace, scope, &write, name.as_deref()));
    let result = send(workspace, scope, write).await;
    // A write that changed something (or may have) is recorded; one refused before it was
    // sent is not.
    let entry = crate::i18n::in_english(|| match &result {
        // The key's id, never the key.
        Ok(Outcome::KeyAdded { key, .. }) => Some(
            entry.detail(
                scoped(
                    scope,
                    Some(format!(
                        "key {}, expires {}",
                        key.id,
                        key.expires.as_deref().map_or_else(
                            || "never".to_owned(),
                            crate::backends::keys::describe_rfc3339
                        )
                    )),
                )
                .unwrap_or_default(),
            ),
        ),
        Ok(done) => Some(
            entry
                .app(done.app_id(), done.app_name().or(name.as_deref()))
                .request_id(done.request_id().map(str::to_owned)),
        ),
        Err(error)
            if activity::was_sent(error) || error.code.as_deref() == Some(LOST_CREATE_FOUND) =>
        {
            Some(entry.failed_with(error))
        }
        Err(_) => None,
    });
    let log_error = match (log, entry) {
        (Some(log), Some(entry)) => record(log, entry).await,
        _ => None,
    };
    Performed {
        result,
        sent: true,
        log_error,
    }
}

/// Appends `entry` to `log` on a blocking thread (the append syncs the file to disk); why it
/// could not, if it could not.
pub async fn record(log: &ActivityLog, entry: Entry) -> Option<String> {
    let log = log.clone();
    match tokio::task::spawn_blocking(move || log.append(&entry)).await {
        Ok(result) => result.err().map(|e| e.0),
        Err(e) => Some(e.to_string()),
    }
}

/// The app's name, read before a write whose answer will not carry it.
async fn name_first(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    write: &Write,
) -> Result<Option<String>, ApiError> {
    match write {
        Write::RotateSecret { id, .. }
        | Write::RotateWebhookSecret { id, .. }
        | Write::ReplaceRedirectUris { id, .. }
        | Write::AddKey { id, .. }
        | Write::DeleteKey { id, .. } => Ok(Some(workspace.get_app(scope, id).await?.name)),
        _ => Ok(None),
    }
}

/// An entry for `action` on `workspace`, now: its kind and `host[:port]`.
pub(super) fn entry_base(workspace: &dyn Workspace, action: activity::Action) -> Entry {
    let info = workspace.info();
    let place = url::Url::parse(&info.base_url)
        .map(|url| activity::workspace_of(&url))
        .unwrap_or(info.host);
    Entry::new(workspace.kind(), &place, action)
}

/// The detail of an entry for a write in `scope`: where apps live in projects, it says which.
pub(super) fn scoped(scope: Option<&str>, detail: Option<String>) -> Option<String> {
    match (scope, detail) {
        (Some(scope), Some(detail)) => Some(format!("project {scope}, {detail}")),
        (Some(scope), None) => Some(format!("project {scope}")),
        (None, detail) => detail,
    }
}

/// The activity entry of a write, before its outcome is known; `name` is the app's, when it
/// was read first.
fn entry_for(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    write: &Write,
    name: Option<&str>,
) -> Entry {
    let entry = entry_base(workspace, write.action());
    let entry = match write.app() {
        Some(id) => entry.app(id, name),
        None => entry,
    };
    let detail = match write {
        Write::CreateApp { name, .. } | Write::RenameApp { name, .. } => Some(name.clone()),
        Write::UpdateWebhook { patch, .. } => Some(patch.field_names().join(", ")),
        Write::ReplaceRedirectUris { uris, .. } => Some(format!("{} address(es)", uris.len())),
        Write::AddKey { expiry, .. } => Some(format!("expires {}", expiry.describe())),
        Write::DeleteKey { key_id, .. } => Some(format!("key {key_id}")),
        Write::CreateWorkflow { workflow, .. } | Write::UpdateWorkflow { workflow, .. } => Some(
            format!("{} ({} nodes)", workflow.name, workflow.nodes.len()),
        ),
        _ => None,
    };
    match scoped(scope, detail) {
        Some(detail) => entry.detail(detail),
        None => entry,
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
            redirect_uris,
        } => {
            let new = NewApp {
                name,
                idempotency_key,
                auth_method,
            };
            let mut outcome = create(workspace, scope, &new).await?;
            if !redirect_uris.is_empty()
                && let Outcome::Created(created) = &mut outcome
            {
                // The app exists and its secret must still be shown: a failure here is told,
                // not returned.
                match workspace
                    .replace_redirect_uris(scope, &created.app.id, &redirect_uris)
                    .await
                {
                    Ok(answer) => {
                        if let Some(oidc) = created.app.oidc.as_mut() {
                            std::sync::Arc::make_mut(oidc).redirect_uris = answer.value;
                        }
                    }
                    Err(e) => {
                        created.follow_up_error = Some(crate::tr!(
                            "ops-redirect-uri-not-saved",
                            reason = e.message.trim_end_matches('.')
                        ));
                    }
                }
            }
            Ok(outcome)
        }
        Write::RenameApp { id, name } => {
            let answer = workspace.rename_app(scope, &id, &name).await?;
            Ok(changed(answer))
        }
        Write::RotateSecret {
            id,
            idempotency_key,
        } => {
            let answer = workspace
                .rotate_secret(scope, &id, &idempotency_key)
                .await?;
            Ok(Outcome::SecretRotated {
                id,
                secret: answer.value,
                request_id: answer.request_id,
            })
        }
        Write::ReplaceRedirectUris { id, uris } => {
            let answer = workspace.replace_redirect_uris(scope, &id, &uris).await?;
            Ok(Outcome::RedirectUrisSaved {
                id,
                uris: answer.value,
                request_id: answer.request_id,
            })
        }
        Write::SetActive { id, active } => {
            let answer = workspace.set_active(scope, &id, active).await?;
            Ok(changed(answer))
        }
        Write::UpdateWebhook { id, patch } => {
            let answer = workspace.update_webhook(scope, &id, &patch).await?;
            Ok(changed(answer))
        }
        Write::RotateWebhookSecret {
            id,
            idempotency_key,
        } => {
            let answer = workspace
                .rotate_webhook_secret(scope, &id, &idempotency_key)
                .await?;
            Ok(Outcome::WebhookSecretRotated {
                id,
                secret: answer.value,
                request_id: answer.request_id,
            })
        }
        Write::AddKey { id, expiry } => {
            let key = workspace.add_app_key(scope, &id, expiry).await?;
            Ok(Outcome::KeyAdded { id, key })
        }
        Write::CreateWorkflow {
            id,
            workflow,
            idempotency_key,
        } => {
            let answer = workspace
                .create_workflow(scope, &id, &workflow, &idempotency_key)
                .await?;
            Ok(Outcome::WorkflowSaved {
                id,
                workflow: Box::new(answer.value),
                request_id: answer.request_id,
            })
        }
        Write::UpdateWorkflow { id, workflow, .. } => {
            let answer = workspace
                .update_workflow(scope, &id, &workflow.workflow_id, &workflow)
                .await?;
            Ok(Outcome::WorkflowSaved {
                id,
                workflow: Box::new(answer.value),
                request_id: answer.request_id,
            })
        }
        Write::DeleteKey { id, key_id } => {
            workspace.delete_app_key(scope, &id, &key_id).await?;
            Ok(Outcome::KeyDeleted { id, key_id })
        }
    }
}

fn changed(answer: Answer<App>) -> Outcome {
    Outcome::Changed {
        app: Box::new(answer.value),
        request_id: answer.request_id,
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
        None => Err(error.reworded(|before| {
            crate::tr!(
                "ops-create-lost-not-found",
                error = before.trim_end_matches('.'),
                name = new.name.as_str()
            )
        })),
        Some(app) => Err(ApiError {
            kind: ErrorKind::Local,
            code: Some(LOST_CREATE_FOUND.to_owned()),
            ..error.reworded(|_| {
                crate::tr!(
                    "ops-create-lost-found",
                    name = new.name.as_str(),
                    id = app.id.as_str()
                )
            })
        }),
    }
}

/// The code of a save refused because the workflow changed on the server since it was opened.
pub const WORKFLOW_CHANGED: &str = "WORKFLOW_CHANGED_ON_SERVER";

/// Refuses to overwrite a workflow that someone changed since `base` (its `updatedAt` then).
async fn check_unchanged(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    id: &str,
    workflow_id: &str,
    base: &str,
) -> Result<(), ApiError> {
    let workflows = workspace.list_workflows(scope, id).await?;
    let now = workflows
        .iter()
        .find(|w| w.workflow_id == workflow_id)
        .map(crate::workflow::edit::workflow_version);
    if now.as_deref() == Some(base) {
        return Ok(());
    }
    let mut error = ApiError::worded(ErrorKind::Conflict, || {
        crate::tr!("write-workflow-changed-on-server")
    });
    error.code = Some(WORKFLOW_CHANGED.to_owned());
    Err(error)
}
