//! The two message types between the window and the background: `Command` (what to do) and
//! `Event` (what happened). Every piece of I/O the console does is one `Command`; its outcome
//! comes back as `Event`s that the shell applies to state in one place.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::ApiError;
use crate::backends::model::{OidcApp, ProviderStatus};
use crate::backends::{App, AuthMethod, BackendKind, Scope, Workspace};
use crate::import::{
    CancelFlag, ExistingMode, ImportError, ImportReport, Mapping, PlanPreview, Prepared, Progress,
    ReadOptions, RunOptions,
};
use crate::ops::{Outcome, Write};
use crate::sandbox::RunningSandbox;
use crate::secret::Secret;
use crate::settings::KeyStorage;

/// Names one operation in flight, so its outcome, its Retry and its Cancel find it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpId(pub u64);

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
        apps: Arc<Vec<OidcApp>>,
        format: crate::export::Format,
    },
}

/// Work for the background runtime. The views return these; the shell sends them.
#[derive(Debug)]
pub enum Command {
    /// Every app of the workspace (of the scope picked, where apps live in scopes), page by
    /// page.
    LoadApps { op: OpId },
    /// The scopes apps live in (projects).
    LoadProjects { op: OpId },
    /// An app's providers with their activation status.
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
        /// The organisation to act in, where keys may act in several; `None` is the key's own.
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
    /// Runs an import; progress and the report come back as events. `auth_method` is how new
    /// apps authenticate, where they choose.
    RunImport {
        prepared: Arc<Prepared>,
        options: RunOptions,
        auth_method: Option<AuthMethod>,
        cancel: CancelFlag,
    },
    /// Writes a file (results, template, export).
    WriteFile {
        purpose: FilePurpose,
        path: PathBuf,
        contents: FileContents,
    },
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
    ProjectsLoaded {
        op: OpId,
        projects: Vec<Scope>,
    },
    WriteDone {
        op: OpId,
        outcome: Outcome,
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
        workspace: Arc<dyn Workspace>,
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
