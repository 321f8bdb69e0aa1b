//! Every backend the console speaks to, behind one trait.
//!
//! | module | owns |
//! |---|---|
//! | `kind` | [`BackendKind`], the one enum naming the kinds, and [`Capabilities`] |
//! | `model` | the one app record and the words shared by every backend |
//! | `keys` | app keys (private key JWT): a key, a new key's expiry, the key file handed over once |
//! | `hopae` | a Hopae Connect workspace: its HTTP client (`hopae::api`) and the trait over it |
//! | `zitadel` | a ZITADEL project: its HTTP client and the trait over it |
//! | `memory` | an in-memory workspace over the sandbox's stores: no network, for tests |
//! | `net` | what both HTTP clients share on the way to a server: proxy, trusted authorities, the sentences for what failed |
//!
//! A view or a command asks [`Workspace::capabilities`], never which backend it talks to; an
//! operation a backend lacks answers [`unsupported`] and is hidden by the views.
//!
//! # Adding a backend
//! One folder here with a type implementing [`Workspace`] (the memory backend is the smallest
//! example), one variant in [`BackendKind`], and one line in [`open`]. The conformance suite
//! (`tests/conformance.rs`) then runs the same operations against it.

pub mod hopae;
pub mod keys;
mod kind;
pub mod listing;
pub mod memory;
pub mod model;
pub mod net;
pub mod zitadel;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use kind::{BackendKind, Capabilities};
pub use model::{App, AppKind, AppState, AuthMethod, Created, NewApp, Scope};

use crate::api::{ApiError, Environment, RetryPolicy};
use crate::import::{
    CancelFlag, ExistingMode, ImportError, ImportReport, PlanPreview, Prepared, Progress,
    RunOptions,
};
use crate::secret::Secret;
use keys::{AddedKey, AppKey, KeyExpiry};
use model::{Answer, ProviderStatus, WebhookPatch, Workflow};

/// Reports paging progress: apps loaded so far, and the server's total when it gives one.
pub type ListProgress<'a> = &'a (dyn Fn(usize, Option<usize>) + Send + Sync);

/// Reports an import's progress.
pub type ImportProgress = Box<dyn Fn(&Progress) + Send + Sync>;

/// Where a connection reaches, as views, the activity log and the production rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionInfo {
    pub backend: BackendKind,
    pub environment: Environment,
    /// The base URL (ZITADEL: the instance origin), without a trailing `/`.
    pub base_url: String,
    pub host: String,
    /// The console's own demo sandbox.
    pub local_sandbox: bool,
    /// The organisation acted in, when it is not the key's own.
    pub org_id: Option<String>,
}

/// A workspace of apps: a Hopae Connect workspace, a ZITADEL instance's projects, or the
/// in-memory workspace of tests. Every operation a console needs; `scope` names the project
/// where [`Capabilities::scopes`] is set and is ignored elsewhere.
#[async_trait::async_trait]
pub trait Workspace: Send + Sync + fmt::Debug {
    fn kind(&self) -> BackendKind;

    fn capabilities(&self) -> Capabilities;

    fn info(&self) -> ConnectionInfo;

    /// The same workspace with another retry policy (`None`: the default) and deadline per call.
    fn with_limits(&self, retry: Option<RetryPolicy>, deadline: Duration) -> Arc<dyn Workspace>;

    /// The key this connection uses, to keep it once a check succeeded.
    fn key(&self) -> Secret;

    /// One small read that proves the address and the key work.
    async fn check(&self) -> Result<(), ApiError>;

    /// The scopes apps live in (ZITADEL projects).
    async fn list_scopes(&self) -> Result<Vec<Scope>, ApiError> {
        Err(unsupported("projects"))
    }

    /// Every app, page by page, within the listing bounds.
    async fn list_apps(
        &self,
        scope: Option<&str>,
        progress: ListProgress<'_>,
    ) -> Result<Vec<App>, ApiError>;

    async fn get_app(&self, scope: Option<&str>, id: &str) -> Result<App, ApiError>;

    /// Every app with exactly this name (by default read from the whole list; a backend whose
    /// server can search by name does so).
    async fn find_apps_by_name(
        &self,
        scope: Option<&str>,
        name: &str,
    ) -> Result<Vec<App>, ApiError> {
        let apps = self.list_apps(scope, &|_, _| {}).await?;
        Ok(apps.into_iter().filter(|a| a.name == name).collect())
    }

    async fn create_app(&self, scope: Option<&str>, new: &NewApp) -> Result<Created, ApiError>;

    async fn rename_app(
        &self,
        scope: Option<&str>,
        id: &str,
        name: &str,
    ) -> Result<Answer<App>, ApiError>;

    /// Issues a new client secret; the old one stops working.
    async fn rotate_secret(
        &self,
        scope: Option<&str>,
        id: &str,
        idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError>;

    async fn set_active(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _active: bool,
    ) -> Result<Answer<App>, ApiError> {
        Err(unsupported("deactivation"))
    }

    async fn replace_redirect_uris(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _uris: &[String],
    ) -> Result<Answer<Vec<String>>, ApiError> {
        Err(unsupported("redirect URIs"))
    }

    async fn update_webhook(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _patch: &WebhookPatch,
    ) -> Result<Answer<App>, ApiError> {
        Err(unsupported("webhooks"))
    }

    async fn rotate_webhook_secret(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError> {
        Err(unsupported("webhooks"))
    }

    /// The keys of an app that signs with a private key JWT.
    async fn list_app_keys(
        &self,
        _scope: Option<&str>,
        _id: &str,
    ) -> Result<Vec<AppKey>, ApiError> {
        Err(unsupported("app keys"))
    }

    /// Adds a key, sent once (a lost answer is reported, never retried into a second key).
    async fn add_app_key(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _expiry: KeyExpiry,
    ) -> Result<AddedKey, ApiError> {
        Err(unsupported("app keys"))
    }

    async fn delete_app_key(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _key_id: &str,
    ) -> Result<(), ApiError> {
        Err(unsupported("app keys"))
    }

    async fn list_providers(
        &self,
        _scope: Option<&str>,
        _id: &str,
    ) -> Result<Vec<ProviderStatus>, ApiError> {
        Err(unsupported("providers"))
    }

    async fn list_workflows(
        &self,
        _scope: Option<&str>,
        _id: &str,
    ) -> Result<Vec<Workflow>, ApiError> {
        Err(unsupported("workflows"))
    }

    /// Creates a workflow on app `id`; the key makes a retry safe.
    async fn create_workflow(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _workflow: &Workflow,
        _idempotency_key: &str,
    ) -> Result<Answer<Workflow>, ApiError> {
        Err(unsupported("workflows"))
    }

    /// The node types app `id`'s workflows may use, with their settings (the editor's forms).
    async fn node_types(
        &self,
        _scope: Option<&str>,
        _id: &str,
    ) -> Result<Vec<crate::api::NodeType>, ApiError> {
        Err(unsupported("workflows"))
    }

    /// Replaces workflow `workflow_id` of app `id` (name, entry node, nodes).
    async fn update_workflow(
        &self,
        _scope: Option<&str>,
        _id: &str,
        _workflow_id: &str,
        _workflow: &Workflow,
    ) -> Result<Answer<Workflow>, ApiError> {
        Err(unsupported("workflows"))
    }

    /// Reads the apps and the journal, and works out what an import would do.
    async fn plan_import(
        &self,
        _scope: Option<&str>,
        _prepared: Arc<Prepared>,
        _journal_dir: PathBuf,
        _mode: ExistingMode,
    ) -> Result<PlanPreview, ImportError> {
        Err(ImportError::worded(|| {
            unsupported("importing").user_message()
        }))
    }

    /// What an import would do, compared with the apps there and the journal, without sending
    /// anything: the report, and how many apps it was compared with.
    async fn dry_run_import(
        &self,
        _scope: Option<&str>,
        _prepared: Arc<Prepared>,
        _journal_dir: PathBuf,
        _mode: ExistingMode,
    ) -> Result<(ImportReport, usize), ImportError> {
        Err(ImportError::worded(|| {
            unsupported("importing").user_message()
        }))
    }

    /// Runs an import; `auth_method` is how new apps authenticate where they choose.
    #[allow(clippy::too_many_arguments)]
    async fn run_import(
        &self,
        _scope: Option<&str>,
        _prepared: Arc<Prepared>,
        _journal_dir: PathBuf,
        _options: RunOptions,
        _auth_method: Option<AuthMethod>,
        _cancel: CancelFlag,
        _progress: ImportProgress,
    ) -> Result<ImportReport, ImportError> {
        Err(ImportError::worded(|| {
            unsupported("importing").user_message()
        }))
    }
}

/// An answer that carries no request id (backends whose servers give none).
pub fn answered<T>(value: T) -> Answer<T> {
    Answer {
        value,
        request_id: None,
    }
}

/// The answer of an operation a backend does not have. Views never offer such an operation;
/// this reaches only a script that asks anyway.
pub fn unsupported(what: &str) -> ApiError {
    ApiError::local_worded(|| {
        let feature = match what {
            "projects" => crate::tr!("backend-feature-projects"),
            "deactivation" => crate::tr!("backend-feature-deactivation"),
            "redirect URIs" => crate::tr!("backend-feature-redirect-uris"),
            "webhooks" => crate::tr!("backend-feature-webhooks"),
            "app keys" => crate::tr!("backend-feature-app-keys"),
            "providers" => crate::tr!("backend-feature-providers"),
            "workflows" => crate::tr!("backend-feature-workflows"),
            "importing" => crate::tr!("backend-feature-importing"),
            other => other.to_owned(),
        };
        crate::tr!("backend-unsupported", what = feature)
    })
}

/// How a new app authenticates, where apps choose: asked, never assumed.
pub fn need_auth_method(new: &NewApp) -> Result<AuthMethod, ApiError> {
    new.auth_method
        .ok_or_else(|| ApiError::local_worded(|| crate::tr!("backend-choose-auth-method")))
}

/// The scope an operation needs where apps live in projects.
pub fn need_scope(scope: Option<&str>) -> Result<&str, ApiError> {
    scope.ok_or_else(|| ApiError::local_worded(|| crate::tr!("backend-pick-project")))
}

/// How to reach a workspace: the one registration point of the backends.
#[derive(Debug, Clone)]
pub enum Connection {
    Hopae(crate::api::Connection),
    Zitadel(crate::zitadel::ZitadelConnection),
    Memory(Arc<memory::MemoryWorkspace>),
}

impl Connection {
    /// A connection of `kind` to `address` with `key`; `org_id` where keys act in several
    /// organisations.
    pub fn new(
        kind: BackendKind,
        address: &str,
        key: Secret,
        org_id: Option<&str>,
    ) -> Result<Self, ApiError> {
        check_key_shape(kind, &key)?;
        match kind {
            BackendKind::Hopae => Ok(Connection::Hopae(crate::api::Connection::new(
                address, key,
            )?)),
            BackendKind::Zitadel => Ok(Connection::Zitadel(
                crate::zitadel::ZitadelConnection::new(address, key, org_id)?,
            )),
            BackendKind::Memory => Err(ApiError::local_worded(|| {
                crate::tr!("backend-memory-no-address")
            })),
        }
    }

    /// The same connection also trusting the certificate authorities of this PEM file (the
    /// in-memory workspace has no network and ignores it).
    pub fn with_ca_file(self, ca_file: Option<PathBuf>) -> Self {
        match self {
            Connection::Hopae(c) => Connection::Hopae(c.with_ca_file(ca_file)),
            Connection::Zitadel(c) => Connection::Zitadel(c.with_ca_file(ca_file)),
            memory @ Connection::Memory(_) => memory,
        }
    }
}

/// What every Hopae Connect workspace key starts with (`sk_workspace_test_…`, `…_prod_…`).
const HOPAE_KEY_PREFIX: &str = "sk_workspace_";

/// Refuses, before anything is sent, a key of the other backend's shape: a Hopae workspace key
/// given for a ZITADEL instance, or anything else given for a Hopae workspace. Sending it would
/// only earn a 401, and would show the key to a server that has no use for it.
fn check_key_shape(kind: BackendKind, key: &Secret) -> Result<(), ApiError> {
    let hopae_shaped = key
        .expose()
        .trim()
        .get(..HOPAE_KEY_PREFIX.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(HOPAE_KEY_PREFIX));
    match kind {
        BackendKind::Zitadel if hopae_shaped => Err(ApiError::local_worded(|| {
            crate::tr!("backend-hopae-key-for-zitadel")
        })),
        BackendKind::Hopae if !hopae_shaped && !key.expose().trim().is_empty() => {
            Err(ApiError::local_worded(|| {
                crate::tr!("backend-not-a-hopae-key")
            }))
        }
        _ => Ok(()),
    }
}

/// Opens a workspace over a connection.
pub fn open(connection: Connection, local_sandbox: bool) -> Result<Arc<dyn Workspace>, ApiError> {
    Ok(match connection {
        Connection::Hopae(c) => Arc::new(hopae::HopaeWorkspace::new(c, local_sandbox)?),
        Connection::Zitadel(c) => Arc::new(zitadel::ZitadelWorkspace::new(c)?),
        Connection::Memory(m) => m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect(kind: BackendKind, key: &str) -> Result<Connection, ApiError> {
        Connection::new(kind, "http://127.0.0.1:9/", Secret::new(key), None)
    }

    #[test]
    fn a_key_of_the_other_backends_shape_is_refused_before_sending() {
        let zitadel = connect(BackendKind::Zitadel, " SK_Workspace_test_FAKE_key").unwrap_err();
        assert!(zitadel.message.contains("not a ZITADEL"), "{zitadel:?}");
        let hopae = connect(BackendKind::Hopae, "FAKE_PAT_shaped_like_zitadel").unwrap_err();
        assert!(hopae.message.contains("not a Hopae Connect"), "{hopae:?}");
        // Neither message repeats the key.
        assert!(!zitadel.message.contains("FAKE_key") && !hopae.message.contains("FAKE_PAT"));
        assert!(connect(BackendKind::Zitadel, "FAKE_PAT_unit").is_ok());
        assert!(connect(BackendKind::Hopae, "sk_workspace_test_FAKE").is_ok());
    }
}
