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
        /// The version of the workflow as it was opened ([`crate::workflow::edit::workflow_version`]:
        /// its `updatedAt`, or a digest of its content): when the server's differs, the save is
        /// refused as changed on the server. `None` overwrites.
        base_updated_at: Option<String>,
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
        let app = |id: &str| {
            name.map_or_else(
                || id.to_owned(),
                |n| crate::tr!("write-app-named", name = n, id = id),
            )
        };
        match self {
            Write::CreateApp { name, .. } => {
                crate::tr!("write-summary-create", name = name.as_str())
            }
            Write::RenameApp { id, name } => {
                crate::tr!("write-summary-rename", app = app(id), name = name.as_str())
            }
            Write::RotateSecret { id, .. } => {
                crate::tr!("write-summary-rotate-secret", app = app(id))
            }
            Write::ReplaceRedirectUris { id, uris } => crate::tr!(
                "write-summary-redirect-uris",
                app = app(id),
                count = uris.len()
            ),
            Write::SetActive { id, active: true } => {
                crate::tr!("write-summary-reactivate", app = app(id))
            }
            Write::SetActive { id, .. } => crate::tr!("write-summary-deactivate", app = app(id)),
            Write::UpdateWebhook { id, patch } => crate::tr!(
                "write-summary-webhook",
                app = app(id),
                fields = patch.field_names().join(", ")
            ),
            Write::RotateWebhookSecret { id, .. } => {
                crate::tr!("write-summary-rotate-webhook-secret", app = app(id))
            }
            Write::AddKey { id, expiry } => crate::tr!(
                "write-summary-add-key",
                app = app(id),
                expires = expiry.describe()
            ),
            Write::DeleteKey { id, key_id } => crate::tr!(
                "write-summary-delete-key",
                key = key_id.as_str(),
                app = app(id)
            ),
            Write::CreateWorkflow { id, workflow, .. } => crate::tr!(
                "write-summary-create-workflow",
                workflow = workflow.name.as_str(),
                count = workflow.nodes.len(),
                app = app(id)
            ),
            Write::UpdateWorkflow { id, workflow, .. } => crate::tr!(
                "write-summary-update-workflow",
                workflow = workflow.name.as_str(),
                workflow_id = workflow.workflow_id.as_str(),
                app = app(id),
                count = workflow.nodes.len()
            ),
        }
    }

    /// A short confirmation once this write went through; `name` is the app's name when known.
    pub fn done_message(&self, name: Option<&str>) -> String {
        let app = |id: &str| {
            name.map_or_else(
                || id.to_owned(),
                |n| crate::tr!("write-app-quoted", name = n),
            )
        };
        match self {
            Write::CreateApp { name, .. } => crate::tr!("write-done-create", name = name.as_str()),
            Write::RenameApp { name, .. } => crate::tr!("write-done-rename", name = name.as_str()),
            Write::RotateSecret { id, .. } => {
                crate::tr!("write-done-rotate-secret", app = app(id))
            }
            Write::ReplaceRedirectUris { id, uris } => crate::tr!(
                "write-done-redirect-uris",
                count = uris.len(),
                app = app(id)
            ),
            Write::SetActive { id, active: true } => {
                crate::tr!("write-done-reactivate", app = app(id))
            }
            Write::SetActive { id, .. } => crate::tr!("write-done-deactivate", app = app(id)),
            Write::UpdateWebhook { id, .. } => crate::tr!("write-done-webhook", app = app(id)),
            Write::RotateWebhookSecret { id, .. } => {
                crate::tr!("write-done-rotate-webhook-secret", app = app(id))
            }
            Write::AddKey { id, .. } => crate::tr!("write-done-add-key", app = app(id)),
            Write::DeleteKey { key_id, .. } => {
                crate::tr!("write-done-delete-key", key = key_id.as_str())
            }
            Write::CreateWorkflow { workflow, .. } => crate::tr!(
                "write-done-create-workflow",
                workflow = workflow.name.as_str()
            ),
            Write::UpdateWorkflow { workflow, .. } => crate::tr!(
                "write-done-update-workflow",
                workflow = workflow.name.as_str()
            ),
        }
    }

    /// The title of the notice when this write fails.
    pub fn failure_title(&self) -> String {
        match self {
            Write::CreateApp { name, .. } => {
                crate::tr!("write-failed-create", name = name.as_str())
            }
            Write::RenameApp { id, .. } => crate::tr!("write-failed-rename", id = id.as_str()),
            Write::RotateSecret { id, .. } => {
                crate::tr!("write-failed-rotate-secret", id = id.as_str())
            }
            Write::ReplaceRedirectUris { id, .. } => {
                crate::tr!("write-failed-redirect-uris", id = id.as_str())
            }
            Write::SetActive { id, active: true } => {
                crate::tr!("write-failed-reactivate", id = id.as_str())
            }
            Write::SetActive { id, .. } => {
                crate::tr!("write-failed-deactivate", id = id.as_str())
            }
            Write::UpdateWebhook { id, .. } => {
                crate::tr!("write-failed-webhook", id = id.as_str())
            }
            Write::RotateWebhookSecret { id, .. } => {
                crate::tr!("write-failed-rotate-webhook-secret", id = id.as_str())
            }
            Write::AddKey { id, .. } => crate::tr!("write-failed-add-key", id = id.as_str()),
            Write::DeleteKey { key_id, .. } => {
                crate::tr!("write-failed-delete-key", key = key_id.as_str())
            }
            Write::CreateWorkflow { workflow, .. } => crate::tr!(
                "write-failed-create-workflow",
                workflow = workflow.name.as_str()
            ),
            Write::UpdateWorkflow { workflow, .. } => crate::tr!(
                "write-failed-update-workflow",
                workflow = workflow.name.as_str()
            ),
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
