//! The two message types between the window and the background: `Command` (what to do) and
//! `Event` (what happened). Every piece of I/O the console does is one `Command`; its outcome
//! comes back as `Event`s that the shell applies to state in one place.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{ApiError, App, ProviderStatus, WebhookPatch};
use crate::backend::{BackendKind, WorkspaceConnection};
use crate::import::{
    CancelFlag, ExistingMode, ImportError, ImportReport, Mapping, PlanCounts, Prepared, Progress,
    ReadOptions, RunOptions,
};
use crate::sandbox::RunningSandbox;
use crate::secret::Secret;
use crate::settings::KeyStorage;
use crate::zitadel::{AuthMethod, CreatedApp, ZitadelApp, ZitadelProject};

/// Names one operation in flight, so its outcome, its Retry and its Cancel find it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpId(pub u64);

/// A change to the workspace. Cloned for Retry: the same idempotency key goes out again, so a
/// retry never creates a second app or rotates twice.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    CreateApp {
        name: String,
        idempotency_key: String,
        /// ZITADEL: how the new API app authenticates (only BASIC has a secret).
        auth_method: Option<AuthMethod>,
    },
    RenameApp {
        client_id: String,
        name: String,
    },
    RotateSecret {
        client_id: String,
        idempotency_key: String,
    },
    ReplaceRedirectUris {
        client_id: String,
        uris: Vec<String>,
    },
    /// ZITADEL: deactivate (`active: false`) or reactivate an app; `client_id` is its app id.
    SetActive {
        client_id: String,
        active: bool,
    },
    /// Hopae: change the webhook's fields set in `patch` (the API merges them).
    UpdateWebhook {
        client_id: String,
        patch: WebhookPatch,
    },
    /// Hopae: issue a new webhook signing secret; the old one stops working.
    RotateWebhookSecret {
        client_id: String,
        idempotency_key: String,
    },
}

impl Write {
    /// The app this write changes (none for a create).
    pub fn app(&self) -> Option<&str> {
        match self {
            Write::CreateApp { .. } => None,
            Write::RenameApp { client_id, .. }
            | Write::RotateSecret { client_id, .. }
            | Write::ReplaceRedirectUris { client_id, .. }
            | Write::SetActive { client_id, .. }
            | Write::UpdateWebhook { client_id, .. }
            | Write::RotateWebhookSecret { client_id, .. } => Some(client_id),
        }
    }

    /// What will change, in words, for a production confirmation.
    pub fn summary(&self) -> String {
        match self {
            Write::CreateApp { name, .. } => format!("Create the app \"{name}\"."),
            Write::RenameApp { client_id, name } => {
                format!("Rename app {client_id} to \"{name}\".")
            }
            Write::RotateSecret { client_id, .. } => {
                format!("Rotate the client secret of {client_id}.")
            }
            Write::ReplaceRedirectUris { client_id, uris } => format!(
                "Replace the redirect URIs of {client_id} with {} address(es).",
                uris.len()
            ),
            Write::SetActive {
                client_id,
                active: true,
            } => format!("Reactivate app {client_id}."),
            Write::SetActive { client_id, .. } => format!("Deactivate app {client_id}."),
            Write::UpdateWebhook { client_id, patch } => format!(
                "Change the webhook of {client_id} ({}).",
                patch.field_names().join(", ")
            ),
            Write::RotateWebhookSecret { client_id, .. } => {
                format!("Rotate the webhook secret of {client_id}.")
            }
        }
    }

    /// The title of the notice when this write fails.
    pub fn failure_title(&self) -> String {
        match self {
            Write::CreateApp { name, .. } => format!("\"{name}\" was not created"),
            Write::RenameApp { client_id, .. } => {
                format!("The name of {client_id} was not changed")
            }
            Write::RotateSecret { client_id, .. } => {
                format!("The secret of {client_id} was not rotated; the current secret still works")
            }
            Write::ReplaceRedirectUris { client_id, .. } => {
                format!("The redirect URIs of {client_id} were not saved")
            }
            Write::SetActive {
                client_id,
                active: true,
            } => format!("{client_id} was not reactivated"),
            Write::SetActive { client_id, .. } => format!("{client_id} was not deactivated"),
            Write::UpdateWebhook { client_id, .. } => {
                format!("The webhook of {client_id} was not changed")
            }
            Write::RotateWebhookSecret { client_id, .. } => format!(
                "The webhook secret of {client_id} was not rotated; the current one still works"
            ),
        }
    }

    /// What the activity log calls this write.
    pub fn activity(&self) -> crate::activity::Action {
        use crate::activity::Action;
        match self {
            Write::CreateApp { .. } => Action::Create,
            Write::RenameApp { .. } => Action::Rename,
            Write::RotateSecret { .. } => Action::RotateSecret,
            Write::ReplaceRedirectUris { .. } => Action::RedirectUris,
            Write::SetActive { active: true, .. } => Action::Reactivate,
            Write::SetActive { .. } => Action::Deactivate,
            Write::UpdateWebhook { .. } => Action::Webhook,
            Write::RotateWebhookSecret { .. } => Action::RotateWebhookSecret,
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
pub enum WriteOutcome {
    Created(Box<App>),
    Renamed(Box<App>),
    /// ZITADEL: a new API app, with its secret when it has one.
    ZitadelCreated(Box<CreatedApp>),
    /// ZITADEL: an app as it is after a rename, deactivation or reactivation.
    ZitadelChanged(ZitadelApp),
    /// Hopae: the app after its webhook changed.
    WebhookSaved(Box<App>),
    /// Hopae: a new webhook signing secret, shown once.
    WebhookSecretRotated {
        client_id: String,
        secret: Secret,
    },
    Rotated {
        client_id: String,
        secret: Secret,
    },
    RedirectUrisSaved {
        client_id: String,
        uris: Vec<String>,
    },
}

impl WriteOutcome {
    /// The app the write changed or made (client id; ZITADEL: app id).
    pub fn app_id(&self) -> Option<&str> {
        match self {
            WriteOutcome::Created(app)
            | WriteOutcome::Renamed(app)
            | WriteOutcome::WebhookSaved(app) => Some(&app.client_id),
            WriteOutcome::ZitadelCreated(app) => Some(&app.app_id),
            WriteOutcome::ZitadelChanged(app) => Some(&app.app_id),
            WriteOutcome::Rotated { client_id, .. }
            | WriteOutcome::RedirectUrisSaved { client_id, .. }
            | WriteOutcome::WebhookSecretRotated { client_id, .. } => Some(client_id),
        }
    }

    /// The app's name, when the answer carries it.
    pub fn app_name(&self) -> Option<&str> {
        match self {
            WriteOutcome::Created(app)
            | WriteOutcome::Renamed(app)
            | WriteOutcome::WebhookSaved(app) => Some(&app.name),
            WriteOutcome::ZitadelCreated(app) => Some(&app.name),
            WriteOutcome::ZitadelChanged(app) => Some(&app.name),
            _ => None,
        }
    }
}

/// Which open or save dialog a path answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilePurpose {
    ImportCsv,
    ImportTemplate,
    ImportResults,
    ImportSecrets,
    WorkflowPng,
    WorkflowJson,
    ExportCsv,
    ExportJson,
}

/// One entry of a dialog's file-type list, e.g. `("CSV files", &["csv", "tsv", "txt"])`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFilter {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

/// An open or save dialog to show.
#[derive(Debug, Clone, PartialEq)]
pub struct DialogRequest {
    pub purpose: FilePurpose,
    pub title: String,
    /// The file name a save dialog proposes; empty for an open dialog.
    pub default_name: String,
    pub filters: &'static [FileFilter],
    pub save: bool,
}

/// What to write into a file the user chose.
#[derive(Debug, Clone)]
pub enum FileContents {
    Bytes(Arc<Vec<u8>>),
    Png(Arc<egui::ColorImage>),
    /// The results CSV of an import, built on the background runtime.
    ImportResults(Arc<ImportReport>),
    /// Apps as the import's CSV or as JSON, built on the background runtime (no secrets).
    Export {
        apps: Arc<Vec<App>>,
        format: crate::export::Format,
    },
}

/// Work for the background runtime. The views return these; the shell sends them.
#[derive(Debug)]
pub enum Command {
    /// Every app of the workspace (ZITADEL: of the project picked), page by page.
    LoadApps { op: OpId },
    /// ZITADEL: the projects of the organisation.
    LoadProjects { op: OpId },
    /// Hopae: an app's providers with their activation status.
    LoadProviders { client_id: String },
    /// The newest entries of the activity log that match `filter`.
    LoadActivity {
        limit: usize,
        filter: crate::activity::Filter,
    },
    /// A change to the workspace.
    Write { op: OpId, write: Write },
    /// Stops an operation still running; its outcome becomes unknown (or, for a read, nothing).
    Cancel { op: OpId },
    /// Checks an address and key with one small read, keeps the key, then reports `Connected`.
    Connect {
        op: OpId,
        backend: BackendKind,
        base_url: String,
        key: Option<Secret>,
        /// ZITADEL: the organisation to act in (`x-zitadel-orgid`); `None` is the token's own.
        org_id: Option<String>,
    },
    /// Starts a fresh local sandbox with demo data and reports `LocalSandboxStarted`.
    UseLocalSandbox { op: OpId },
    /// Shows an open or save dialog off the window's thread.
    Dialog(DialogRequest),
    /// Reads and prepares a CSV file from disk.
    ReadImportFile {
        generation: u64,
        path: PathBuf,
        options: ReadOptions,
    },
    /// Prepares kept bytes again with other overrides (encoding, delimiter).
    RereadImportFile {
        generation: u64,
        bytes: Arc<Vec<u8>>,
        options: ReadOptions,
    },
    /// Validates every row again after a change of the column mapping.
    Remap {
        generation: u64,
        prepared: Arc<Prepared>,
        mapping: Mapping,
    },
    /// Reads the workspace's apps and the journal, and plans the import against them.
    PlanImport {
        generation: u64,
        prepared: Arc<Prepared>,
        mode: ExistingMode,
    },
    /// Runs an import; progress and the report come back as events. `auth_method` is how a
    /// ZITADEL project's new apps authenticate (ignored for Hopae).
    RunImport {
        prepared: Arc<Prepared>,
        options: RunOptions,
        auth_method: AuthMethod,
        cancel: CancelFlag,
    },
    /// Writes a file (results, template, export).
    WriteFile {
        purpose: FilePurpose,
        path: PathBuf,
        contents: FileContents,
    },
}

/// A plan as the preview shows it, worked out off the window's thread.
#[derive(Debug)]
pub struct PlanPreview {
    /// New, existing, to update, repeated, invalid.
    pub counts: PlanCounts,
    /// Rows made on purpose beside an app of the same name.
    pub twins: usize,
    /// How many apps the workspace (ZITADEL: the project) had.
    pub existing: usize,
    /// What happens to each row of the file, in the file's order ("new", "exists as …",
    /// "update: redirect URIs a -> b", …).
    pub row_actions: Vec<String>,
    /// Each change to an existing app, before and after, in the file's order.
    pub updates: Vec<String>,
}

/// What the import wizard hears back.
#[derive(Debug)]
pub enum ImportEvent {
    /// A file read and prepared, for the read numbered `generation`; `bytes` is set when the
    /// file was (re)read from disk.
    Prepared {
        generation: u64,
        result: Result<Arc<Prepared>, ImportError>,
        bytes: Option<Arc<Vec<u8>>>,
    },
    /// The rows checked again under a new mapping.
    Remapped {
        generation: u64,
        prepared: Arc<Prepared>,
    },
    /// The plan against the workspace: what would be created, left and updated.
    Planned {
        generation: u64,
        result: Result<Arc<PlanPreview>, ImportError>,
    },
    Progress(Progress),
    Finished(Result<ImportReport, ImportError>),
}

/// What happened; applied to state by the shell, in one place.
#[derive(Debug)]
pub enum Event {
    AppsProgress {
        op: OpId,
        loaded: usize,
        total: Option<usize>,
    },
    AppsLoaded {
        op: OpId,
        apps: Vec<App>,
    },
    AppsFailed {
        op: OpId,
        error: ApiError,
    },
    ZitadelAppsLoaded {
        op: OpId,
        apps: Vec<ZitadelApp>,
    },
    ProjectsLoaded {
        op: OpId,
        projects: Vec<ZitadelProject>,
    },
    WriteDone {
        op: OpId,
        outcome: WriteOutcome,
    },
    WriteFailed {
        op: OpId,
        error: ApiError,
    },
    /// An operation stopped by Cancel.
    Cancelled {
        op: OpId,
    },
    /// A workspace answered with this connection; the console switches to it.
    Connected {
        op: OpId,
        connection: WorkspaceConnection,
        storage: KeyStorage,
    },
    ConnectFailed {
        op: OpId,
        error: ApiError,
    },
    /// A fresh local sandbox is running; the console switches to it.
    LocalSandboxStarted {
        op: OpId,
        sandbox: Box<RunningSandbox>,
    },
    /// A dialog was answered: a path, or `None` when the user cancelled.
    FileChosen {
        purpose: FilePurpose,
        path: Option<PathBuf>,
    },
    /// No dialog could be shown on this system (no portal, no zenity).
    DialogUnavailable {
        purpose: FilePurpose,
    },
    /// A file was written, or could not be.
    FileWritten {
        purpose: FilePurpose,
        path: PathBuf,
        result: Result<(), String>,
    },
    Import(ImportEvent),
    ProvidersLoaded {
        client_id: String,
        result: Result<Vec<ProviderStatus>, ApiError>,
    },
    ActivityLoaded(Result<Vec<crate::activity::Entry>, String>),
    /// The activity log could not be written (said once per run).
    ActivityUnavailable(String),
}
