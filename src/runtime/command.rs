//! The two message types between the window and the background: `Command` (what to do) and
//! `Event` (what happened). Every piece of I/O the console does is one `Command`; its outcome
//! comes back as `Event`s that the shell applies to state in one place.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::ApiError;
use crate::backends::model::{OidcApp, ProviderStatus};
use crate::backends::{App, AuthMethod, BackendKind, Scope, Workspace};
use crate::import::{
    ExistingMode, ImportError, ImportReport, Mapping, PlanPreview, Prepared, Progress, ReadOptions,
    RunOptions,
};
use crate::ops::{Outcome, Write};
use crate::sandbox::RunningSandbox;
use crate::secret::Secret;
use crate::settings::KeyStorage;

/// Names one request to the runtime, so its reply, its Retry and its Cancel find it again.
/// Every command carries one and every reply brings it back; a view drops replies to requests
/// it no longer waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpId(pub u64);

impl OpId {
    /// A new id, unique in this process, so any view can name its own requests.
    pub fn next() -> OpId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        OpId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// Which open or save dialog a path answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilePurpose {
    ImportCsv,
    ImportTemplate,
    ImportResults,
    ImportSecrets,
    /// The rows that could not be imported, with their problems, to fix and import again.
    ImportRowsToFix,
    WorkflowPng,
    WorkflowJson,
    ExportCsv,
    ExportJson,
    /// A certificate authority file (PEM) for the connection dialog.
    CaFile,
    /// Where a new app key's file is saved.
    KeyFile,
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
    LoadProviders { op: OpId, client_id: String },
    /// The keys of an app that signs with a private key JWT.
    LoadKeys { op: OpId, app_id: String },
    /// Adds a key (`write` is a [`Write::AddKey`]) and saves its key file at `path`, through
    /// the command line's code (`ops::add_key_to_file`); answered as a write.
    AddKeyToFile {
        op: OpId,
        write: Write,
        path: PathBuf,
    },
    /// The newest entries of the activity log that match `filter`.
    LoadActivity {
        op: OpId,
        limit: usize,
        filter: crate::activity::Filter,
    },
    /// A change to the workspace.
    Write { op: OpId, write: Write },
    /// Stops an operation still running, whatever it is: a call's outcome becomes unknown (or,
    /// for a read, nothing); an import stops after the rows in flight, its journal complete.
    Cancel { op: OpId },
    /// Checks an address and key with one small read, keeps the key, then reports `Connected`.
    Connect {
        op: OpId,
        backend: BackendKind,
        base_url: String,
        key: Option<Secret>,
        /// The organisation to act in, where keys may act in several; `None` is the key's own.
        org_id: Option<String>,
        /// A certificate authority file to trust besides the system's (`None`:
        /// `CONNECT_CA_FILE`, when set).
        ca_file: Option<PathBuf>,
    },
    /// Starts a fresh local sandbox with demo data and reports `LocalSandboxStarted`.
    UseLocalSandbox { op: OpId },
    /// Shows an open or save dialog off the window's thread.
    Dialog { op: OpId, request: DialogRequest },
    /// Reads and prepares a CSV file from disk.
    ReadImportFile {
        op: OpId,
        path: PathBuf,
        options: ReadOptions,
    },
    /// Prepares kept bytes again with other overrides (encoding, delimiter).
    RereadImportFile {
        op: OpId,
        bytes: Arc<Vec<u8>>,
        options: ReadOptions,
    },
    /// Validates every row again after a change of the column mapping.
    Remap {
        op: OpId,
        prepared: Arc<Prepared>,
        mapping: Mapping,
    },
    /// Reads the workspace's apps and the journal, and plans the import against them.
    PlanImport {
        op: OpId,
        prepared: Arc<Prepared>,
        mode: ExistingMode,
    },
    /// Runs an import; progress and the report come back as events. `auth_method` is how new
    /// apps authenticate, where they choose.
    RunImport {
        op: OpId,
        /// The file's name, as the activity log names the run.
        source: String,
        prepared: Arc<Prepared>,
        options: RunOptions,
        auth_method: Option<AuthMethod>,
    },
    /// Shows a folder in the system's file manager.
    OpenFolder { path: PathBuf },
    /// App `app_id`'s workflows as the server has them now (the editor's "Reload").
    LoadWorkflows { app_id: String },
    /// The node-type catalog of app `app_id`'s workflows, for the editor.
    LoadNodeTypes { app_id: String },
    /// Reads the userinfo the simulator last ran through this workflow on this computer.
    LoadSimulationInput { app_id: String, workflow_id: String },
    /// Keeps a userinfo for this workflow (owner-only, on this computer only).
    SaveSimulationInput {
        app_id: String,
        workflow_id: String,
        text: String,
    },
    /// Removes every kept userinfo.
    ForgetSimulationInputs,
    /// Writes a file (results, template, export).
    WriteFile {
        op: OpId,
        purpose: FilePurpose,
        path: PathBuf,
        contents: FileContents,
    },
}

impl Command {
    /// An open or save dialog under a new request id.
    pub fn dialog(request: DialogRequest) -> Command {
        Command::Dialog {
            op: OpId::next(),
            request,
        }
    }
}

/// What the import wizard hears back, each for the request it answers.
#[derive(Debug)]
pub enum ImportEvent {
    /// A file read and prepared; `bytes` is set when the file was (re)read from disk.
    Prepared {
        op: OpId,
        result: Result<Arc<Prepared>, ImportError>,
        bytes: Option<Arc<Vec<u8>>>,
    },
    /// The rows checked again under a new mapping.
    Remapped {
        op: OpId,
        prepared: Arc<Prepared>,
    },
    /// The plan against the workspace: what would be created, left and updated.
    Planned {
        op: OpId,
        result: Result<Arc<PlanPreview>, ImportError>,
    },
    Progress {
        op: OpId,
        progress: Progress,
    },
    Finished {
        op: OpId,
        result: Result<ImportReport, ImportError>,
    },
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
        /// Whether the write was sent (a failed read before it sends nothing).
        sent: bool,
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
        op: OpId,
        purpose: FilePurpose,
        path: Option<PathBuf>,
    },
    /// No dialog could be shown on this system (no portal, no zenity).
    DialogUnavailable {
        op: OpId,
        purpose: FilePurpose,
    },
    /// An app's workflows, or why they could not be read.
    WorkflowsLoaded {
        app_id: String,
        workflows: Result<Vec<crate::api::Workflow>, ApiError>,
    },
    /// The node-type catalog of an app's workflows (the documented one when it could not be read).
    NodeTypesLoaded {
        app_id: String,
        types: Vec<crate::api::NodeType>,
    },
    /// The userinfo kept for a workflow.
    SimulationInputLoaded {
        workflow_id: String,
        text: String,
    },
    /// Every kept userinfo was removed.
    SimulationInputsForgotten {
        count: usize,
    },
    /// A userinfo could not be kept, read or removed.
    SimulationInputFailed {
        error: String,
    },
    /// The file manager could not show this folder.
    FolderNotOpened {
        path: PathBuf,
        error: String,
    },
    /// A file was written, or could not be.
    FileWritten {
        op: OpId,
        purpose: FilePurpose,
        path: PathBuf,
        result: Result<(), String>,
    },
    Import(ImportEvent),
    ProvidersLoaded {
        op: OpId,
        client_id: String,
        result: Result<Vec<ProviderStatus>, ApiError>,
    },
    KeysLoaded {
        op: OpId,
        app_id: String,
        result: Result<Vec<crate::backends::keys::AppKey>, ApiError>,
    },
    ActivityLoaded {
        op: OpId,
        result: Result<Vec<crate::activity::Entry>, String>,
    },
    /// The activity log could not be written (said once per run).
    ActivityUnavailable(String),
}
