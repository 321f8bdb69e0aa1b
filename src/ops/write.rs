//! What a write asks for and what it returned, in words a notice, a confirmation and the
//! activity log can use.

use crate::activity::Action;
use crate::api::ApiError;
use crate::backends::AuthMethod;
use crate::backends::keys::{AddedKey, KeyExpiry};
use crate::backends::model::{App, Created, WebhookPatch, Workflow};
use crate::secret::Secret;

/// A change to the workspace. Cloned for Retry: the same idempotency key goes out again, so a
/// retry never creates a second app or rotates twice. `id` is the app's id as its backend
/// addresses it.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    CreateApp {
        name: String,
        idempotency_key: String,
        /// Where apps choose how they authenticate (only some methods have a secret).
        auth_method: Option<AuthMethod>,
        /// Saved right after the create, where the backend has redirect URIs.
        redirect_uris: Vec<String>,
    },
    RenameApp {
        id: String,
        name: String,
    },
    RotateSecret {
        id: String,
        idempotency_key: String,
    },
    ReplaceRedirectUris {
        id: String,
        uris: Vec<String>,
    },
    /// Deactivate (`active: false`) or reactivate an app.
    SetActive {
        id: String,
        active: bool,
    },
    /// Change the webhook's fields set in `patch` (the API merges them).
    UpdateWebhook {
        id: String,
        patch: WebhookPatch,
    },
    /// Issue a new webhook signing secret; the old one stops working.
    RotateWebhookSecret {
        id: String,
        idempotency_key: String,
    },
    /// Add a key to an app that signs with a private key JWT; the key file comes back once.
    AddKey {
        id: String,
        expiry: KeyExpiry,
    },
    /// Delete a key: whatever signs with it stops working.
    DeleteKey {
        id: String,
        key_id: String,
    },
    /// Create a workflow on the app (the key makes a retry safe).
    CreateWorkflow {
        id: String,
        workflow: Box<Workflow>,
        idempotency_key: String,
    },
    /// Replace a workflow's name, entry node and nodes (`workflow.workflow_id` says which).
    UpdateWorkflow {
        id: String,
        workflow: Box<Workflow>,
    },
}

impl Write {
    /// The app this write changes (none for a create).
    pub fn app(&self) -> Option<&str> {
        match self {
            Write::CreateApp { .. } => None,
            Write::RenameApp { id, .. }
            | Write::RotateSecret { id, .. }
            | Write::ReplaceRedirectUris { id, .. }
            | Write::SetActive { id, .. }
            | Write::UpdateWebhook { id, .. }
            | Write::RotateWebhookSecret { id, .. }
            | Write::AddKey { id, .. }
            | Write::DeleteKey { id, .. }
            | Write::CreateWorkflow { id, .. }
            | Write::UpdateWorkflow { id, .. } => Some(id),
        }
    }

    /// What will change, in words, for a production confirmation. `name` is the app's name
    /// when it is known, so the question names the app people know.
    pub fn summary(&self, name: Option<&str>) -> String {
        let app = |id: &str| name.map_or_else(|| id.to_owned(), |n| format!("\"{n}\" ({id})"));
        match self {
            Write::CreateApp { name, .. } => format!("Create the app \"{name}\"."),
            Write::RenameApp { id, name } => format!("Rename {} to \"{name}\".", app(id)),
            Write::RotateSecret { id, .. } => format!("Rotate the client secret of {}.", app(id)),
            Write::ReplaceRedirectUris { id, uris } => format!(
                "Replace the redirect URIs of {} with {} address(es).",
                app(id),
                uris.len()
            ),
            Write::SetActive { id, active: true } => format!("Reactivate {}.", app(id)),
            Write::SetActive { id, .. } => format!("Deactivate {}.", app(id)),
            Write::UpdateWebhook { id, patch } => format!(
                "Change the webhook of {} ({}).",
                app(id),
                patch.field_names().join(", ")
            ),
            Write::RotateWebhookSecret { id, .. } => {
                format!("Rotate the webhook secret of {}.", app(id))
            }
            Write::AddKey { id, expiry } => {
                format!("Add a key to {} (expires {}).", app(id), expiry.describe())
            }
            Write::DeleteKey { id, key_id } => format!(
                "Delete key {key_id} of {}: whatever signs with it stops working.",
                app(id)
            ),
            Write::CreateWorkflow { id, workflow, .. } => format!(
                "Create the workflow \"{}\" ({} nodes) on {}.",
                workflow.name,
                workflow.nodes.len(),
                app(id)
            ),
            Write::UpdateWorkflow { id, workflow } => format!(
                "Replace the workflow \"{}\" ({}) of {} with {} nodes.",
                workflow.name,
                workflow.workflow_id,
                app(id),
                workflow.nodes.len()
            ),
        }
    }

    /// A short confirmation once this write went through; `name` is the app's name when known.
    pub fn done_message(&self, name: Option<&str>) -> String {
        let app = |id: &str| name.map_or_else(|| id.to_owned(), |n| format!("\"{n}\""));
        match self {
            Write::CreateApp { name, .. } => format!("Created \"{name}\""),
            Write::RenameApp { name, .. } => format!("Renamed to \"{name}\""),
            Write::RotateSecret { id, .. } => {
                format!(
                    "New client secret issued for {}; the old one no longer works",
                    app(id)
                )
            }
            Write::ReplaceRedirectUris { id, uris } => {
                format!("Saved {} redirect URI(s) of {}", uris.len(), app(id))
            }
            Write::SetActive { id, active: true } => format!("Reactivated {}", app(id)),
            Write::SetActive { id, .. } => format!("Deactivated {}", app(id)),
            Write::UpdateWebhook { id, .. } => format!("Saved the webhook of {}", app(id)),
            Write::RotateWebhookSecret { id, .. } => {
                format!("New webhook secret issued for {}", app(id))
            }
            Write::AddKey { id, .. } => format!("Added a key to {}", app(id)),
            Write::DeleteKey { key_id, .. } => format!("Deleted key {key_id}"),
            Write::CreateWorkflow { workflow, .. } => {
                format!("Created workflow \"{}\"", workflow.name)
            }
            Write::UpdateWorkflow { workflow, .. } => {
                format!("Saved workflow \"{}\"", workflow.name)
            }
        }
    }

    /// The title of the notice when this write fails.
    pub fn failure_title(&self) -> String {
        match self {
            Write::CreateApp { name, .. } => format!("\"{name}\" was not created"),
            Write::RenameApp { id, .. } => format!("The name of {id} was not changed"),
            Write::RotateSecret { id, .. } => {
                format!("The secret of {id} was not rotated; the current secret still works")
            }
            Write::ReplaceRedirectUris { id, .. } => {
                format!("The redirect URIs of {id} were not saved")
            }
            Write::SetActive { id, active: true } => format!("{id} was not reactivated"),
            Write::SetActive { id, .. } => format!("{id} was not deactivated"),
            Write::UpdateWebhook { id, .. } => format!("The webhook of {id} was not changed"),
            Write::RotateWebhookSecret { id, .. } => {
                format!("The webhook secret of {id} was not rotated; the current one still works")
            }
            Write::AddKey { id, .. } => format!("No key was added to {id}"),
            Write::DeleteKey { key_id, .. } => format!("Key {key_id} was not deleted"),
            Write::CreateWorkflow { workflow, .. } => {
                format!("The workflow \"{}\" was not created", workflow.name)
            }
            Write::UpdateWorkflow { workflow, .. } => {
                format!("The workflow \"{}\" was not changed", workflow.name)
            }
        }
    }

    /// What the activity log calls this write.
    pub fn action(&self) -> Action {
        match self {
            Write::CreateApp { .. } => Action::Create,
            Write::RenameApp { .. } => Action::Rename,
            Write::RotateSecret { .. } => Action::RotateSecret,
            Write::ReplaceRedirectUris { .. } => Action::RedirectUris,
            Write::SetActive { active: true, .. } => Action::Reactivate,
            Write::SetActive { .. } => Action::Deactivate,
            Write::UpdateWebhook { .. } => Action::Webhook,
            Write::RotateWebhookSecret { .. } => Action::RotateWebhookSecret,
            Write::AddKey { .. } => Action::AddKey,
            Write::DeleteKey { .. } => Action::DeleteKey,
            Write::CreateWorkflow { .. } => Action::CreateWorkflow,
            Write::UpdateWorkflow { .. } => Action::UpdateWorkflow,
        }
    }

    /// Whether the outcome is unknown after a failure that may have happened after the server
    /// acted (network, 5xx, cancelled): then Retry, with the same request, is the way out.
    pub fn outcome_unknown(error: &ApiError) -> bool {
        error.is_retryable()
    }
}

/// What a write returned.
#[derive(Debug)]
pub enum Outcome {
    /// A new app, with its secret when it has one (and the request id inside).
    Created(Box<Created>),
    /// The app as it is after a rename, a webhook change, a deactivation or reactivation.
    Changed {
        app: Box<App>,
        request_id: Option<String>,
    },
    /// A new client secret, shown once.
    SecretRotated {
        id: String,
        secret: Secret,
        request_id: Option<String>,
    },
    /// A new webhook signing secret, shown once.
    WebhookSecretRotated {
        id: String,
        secret: Secret,
        request_id: Option<String>,
    },
    RedirectUrisSaved {
        id: String,
        uris: Vec<String>,
        request_id: Option<String>,
    },
    /// A new key, with its key file (to be written, never shown).
    KeyAdded {
        id: String,
        key: AddedKey,
    },
    KeyDeleted {
        id: String,
        key_id: String,
    },
    /// A new key whose file was saved (the console's add; nothing secret in it).
    KeySaved {
        id: String,
        saved: super::KeyInFile,
    },
    /// A workflow as the server has it after a create or an update.
    WorkflowSaved {
        id: String,
        workflow: Box<Workflow>,
        request_id: Option<String>,
    },
}

impl Outcome {
    /// The app the write changed or made.
    pub fn app_id(&self) -> &str {
        match self {
            Outcome::Created(created) => &created.app.id,
            Outcome::Changed { app, .. } => &app.id,
            Outcome::SecretRotated { id, .. }
            | Outcome::WebhookSecretRotated { id, .. }
            | Outcome::RedirectUrisSaved { id, .. }
            | Outcome::KeyAdded { id, .. }
            | Outcome::KeyDeleted { id, .. }
            | Outcome::KeySaved { id, .. }
            | Outcome::WorkflowSaved { id, .. } => id,
        }
    }

    /// The server's id of the request, when the answer carries one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Outcome::Created(created) => created.request_id.as_deref(),
            Outcome::Changed { request_id, .. }
            | Outcome::SecretRotated { request_id, .. }
            | Outcome::WebhookSecretRotated { request_id, .. }
            | Outcome::RedirectUrisSaved { request_id, .. }
            | Outcome::WorkflowSaved { request_id, .. } => request_id.as_deref(),
            Outcome::KeyAdded { .. } | Outcome::KeyDeleted { .. } | Outcome::KeySaved { .. } => {
                None
            }
        }
    }

    /// The app's name, when the answer carries it.
    pub fn app_name(&self) -> Option<&str> {
        match self {
            Outcome::Created(created) => Some(&created.app.name),
            Outcome::Changed { app, .. } => Some(&app.name),
            _ => None,
        }
    }
}
