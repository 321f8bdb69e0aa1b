//! The background tokio runtime behind the console: the shell sends a [`Command`], a task does
//! the I/O (network, files, dialogs, keyring, the local sandbox), and [`Event`]s come back,
//! each followed by a repaint. Views never block and never touch I/O.
//!
//! | module | owns |
//! |---|---|
//! | `command` | `Command`, `Event` and the values they carry |
//! | `tasks` | the async work behind each command |
//! | `dialogs` | native open/save dialogs behind a trait (tests answer with paths) |
//! | `image_file` | writing a screenshot of the workflow graph as a PNG file |

mod command;
pub mod dialogs;
mod image_file;
mod tasks;

use crate::i18n::Localizer;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

pub use command::{
    Command, DialogRequest, Event, FileContents, FileFilter, FilePurpose, ImportEvent, OpId,
};
use dialogs::{FileDialogs, NativeDialogs};

pub use crate::backends::ConnectionInfo;
pub use crate::import::PlanPreview;
pub use crate::ops::{Outcome as WriteOutcome, Write};

use crate::activity::ActivityLog;
use crate::api::{self, ApiError, Connection};
use crate::backends::{self, Workspace};
use crate::sandbox::{self, RunningSandbox, SandboxConfig};
use crate::secret::Secret;
use crate::settings::Keys;

/// The key the console uses for its own embedded sandbox: obviously not a real one.
const LOCAL_SANDBOX_KEY: &str = "sk_workspace_test_local_sandbox";

/// Sends events to the shell, tagged with the workspace they belong to (or none, for work
/// that outlives a switch, such as an import or a file), and asks for a repaint.
#[derive(Clone)]
pub(crate) struct Emitter {
    tx: mpsc::Sender<(Option<u64>, Event)>,
    generation: Option<u64>,
    repaint: Option<egui::Context>,
    sent: Arc<EventCount>,
}

impl Emitter {
    pub(crate) fn emit(&self, event: Event) {
        let _ = self.tx.send((self.generation, event));
        self.sent.bump();
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }
}

/// How many events were sent, and a way to wait for the next: tests step frames when the
/// runtime answers instead of sleeping and polling.
#[derive(Default)]
struct EventCount {
    count: Mutex<u64>,
    changed: std::sync::Condvar,
}

impl EventCount {
    fn bump(&self) {
        if let Ok(mut count) = self.count.lock() {
            *count += 1;
            self.changed.notify_all();
        }
    }
}

/// Owns the runtime, the workspace and (for the embedded default) the local sandbox.
pub struct Backend {
    runtime: tokio::runtime::Runtime,
    /// The language of the console this backend works for; its threads make text in it.
    localizer: Localizer,
    /// The workspace in use, with this console's retry policy and deadline.
    workspace: Arc<dyn Workspace>,
    /// The scope (project) whose apps the console shows, where apps live in scopes.
    project: Option<String>,
    info: ConnectionInfo,
    sandbox: Option<RunningSandbox>,
    retry: Option<api::RetryPolicy>,
    deadline: Duration,
    /// Bumped on every switch of workspace; events of an earlier one are dropped unseen.
    generation: u64,
    events_tx: mpsc::Sender<(Option<u64>, Event)>,
    events_rx: mpsc::Receiver<(Option<u64>, Event)>,
    repaint: Option<egui::Context>,
    /// Operations that Cancel can stop.
    running: Arc<Mutex<HashMap<OpId, tokio::task::AbortHandle>>>,
    /// Events sent so far, for [`Backend::wait_for_event_after`].
    sent: Arc<EventCount>,
    /// Imports running, by id, with the flag that stops them between rows.
    imports: Arc<Mutex<HashMap<OpId, crate::import::CancelFlag>>>,
    dialogs: Arc<dyn FileDialogs>,
    keys: Arc<Keys>,
    /// Where import journals go; `None` when this account has no home folder.
    journal_dir: Option<PathBuf>,
    /// Where the simulator keeps sample userinfo; `None` when this account has no data folder.
    sim_inputs_dir: Option<PathBuf>,
    /// How "Use local sandbox" starts a fresh one.
    local_config: SandboxConfig,
    /// Where every write is recorded; `None` when this account has no data folder.
    activity: Option<Arc<ActivityLog>>,
}

impl Backend {
    /// Starts a runtime and the embedded sandbox with demo data, and connects to it. Runs before
    /// the window opens, so waiting for the sandbox here freezes nothing.
    pub fn embedded_sandbox(config: SandboxConfig) -> Result<Self, String> {
        // Its own localizer, in the language of the thread that makes it (never shared).
        let localizer = Localizer::new(crate::i18n::current_language());
        let runtime = new_runtime(&localizer)?;
        let running = runtime
            .block_on(sandbox::start(config.clone()))
            .map_err(|e| crate::tr!("runtime-sandbox-start-failed", error = e.to_string()))?;
        let connection = local_connection(&running).map_err(|e| e.user_message())?;
        let workspace = backends::open(backends::Connection::Hopae(connection), true)
            .map_err(|e| e.user_message())?;
        let mut backend = Self::with_runtime(runtime, workspace, localizer)?;
        backend.sandbox = Some(running);
        backend.local_config = config;
        Ok(backend)
    }

    /// Connects to a workspace of any kind (the scope, where there are scopes, is picked
    /// once they are listed).
    pub fn connect(connection: backends::Connection) -> Result<Self, String> {
        // Its own localizer, in the language of the thread that makes it (never shared).
        let localizer = Localizer::new(crate::i18n::current_language());
        let workspace = backends::open(connection, false).map_err(|e| e.user_message())?;
        Self::with_runtime(new_runtime(&localizer)?, workspace, localizer)
    }

    /// A simulator input's key: this workspace, the app and the workflow.
    fn sim_input_key(&self, app_id: String, workflow_id: String) -> crate::sim_inputs::InputKey {
        crate::sim_inputs::InputKey {
            workspace: self.info.base_url.clone(),
            app_id,
            workflow_id,
        }
    }

    /// The language of the console, shared with the runtime's threads.
    pub fn localizer(&self) -> &Localizer {
        &self.localizer
    }

    /// Runs on a workspace already open (tests use the in-memory one).
    pub fn on(workspace: Arc<dyn Workspace>) -> Result<Self, String> {
        // Its own localizer, in the language of the thread that makes it (never shared).
        let localizer = Localizer::new(crate::i18n::current_language());
        let mut backend = Self::with_runtime(new_runtime(&localizer)?, workspace, localizer)?;
        // A workspace opened by the caller (tests): nothing is kept in the user's data folder
        // unless a folder is given (`with_sim_inputs_dir`).
        backend.sim_inputs_dir = None;
        Ok(backend)
    }

    fn with_runtime(
        runtime: tokio::runtime::Runtime,
        workspace: Arc<dyn Workspace>,
        localizer: Localizer,
    ) -> Result<Self, String> {
        let info = workspace.info();
        let (events_tx, events_rx) = mpsc::channel();
        let deadline = api::DEFAULT_DEADLINE;
        Ok(Self {
            runtime,
            localizer,
            workspace: workspace.with_limits(None, deadline),
            project: None,
            info,
            sandbox: None,
            retry: None,
            deadline,
            generation: 0,
            events_tx,
            events_rx,
            repaint: None,
            running: Arc::default(),
            sent: Arc::default(),
            imports: Arc::default(),
            dialogs: Arc::new(NativeDialogs),
            keys: Arc::new(Keys::os()),
            journal_dir: crate::import::default_journal_dir().ok(),
            sim_inputs_dir: crate::sim_inputs::default_dir(),
            local_config: SandboxConfig {
                port: 0,
                demo: true,
                ..SandboxConfig::default()
            },
            activity: ActivityLog::open_default().ok().map(Arc::new),
        })
    }

    /// Other dialogs (tests answer with prepared paths).
    pub fn with_dialogs(mut self, dialogs: impl FileDialogs + 'static) -> Self {
        self.dialogs = Arc::new(dialogs);
        self
    }

    /// Another key store (tests keep keys in memory instead of the OS keyring).
    pub fn with_keys(mut self, keys: Keys) -> Self {
        self.keys = Arc::new(keys);
        self
    }

    /// The activity log at another place (tests keep it in a temporary folder).
    pub fn with_activity_log(mut self, log: ActivityLog) -> Self {
        self.activity = Some(Arc::new(log));
        self
    }

    /// No activity log (tests that do not look at it, so they write nothing in the home
    /// folder).
    pub fn without_activity_log(mut self) -> Self {
        self.activity = None;
        self
    }

    /// Simulator inputs in `dir` instead of the app's data folder.
    pub fn with_sim_inputs_dir(mut self, dir: PathBuf) -> Self {
        self.sim_inputs_dir = Some(dir);
        self
    }

    /// Import journals in `dir` instead of the app's data folder.
    pub fn with_journal_dir(mut self, dir: PathBuf) -> Self {
        self.journal_dir = Some(dir);
        self
    }

    /// Replaces the client's retry policy (tests use short delays).
    pub fn set_retry(&mut self, retry: api::RetryPolicy) {
        self.retry = Some(retry);
        self.workspace = self.workspace.with_limits(self.retry, self.deadline);
    }

    /// How long a whole call, retries included, may take before it gives up.
    pub fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = deadline;
        self.workspace = self.workspace.with_limits(self.retry, self.deadline);
    }

    /// The scope (project) whose apps the console shows and changes.
    pub fn set_project(&mut self, project: Option<String>) {
        self.project = project;
    }

    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// Every event is followed by a repaint of this context.
    pub fn set_repaint_context(&mut self, ctx: egui::Context) {
        self.repaint = Some(ctx);
    }

    pub fn info(&self) -> &ConnectionInfo {
        &self.info
    }

    /// The embedded sandbox, when the console runs on it.
    pub fn sandbox(&self) -> Option<&RunningSandbox> {
        self.sandbox.as_ref()
    }

    /// The workspace in use.
    pub fn workspace(&self) -> &Arc<dyn Workspace> {
        &self.workspace
    }

    /// Switches to another workspace. Work in flight for the old one finishes unseen.
    pub fn switch_to(&mut self, workspace: Arc<dyn Workspace>) {
        self.info = workspace.info();
        self.workspace = workspace.with_limits(self.retry, self.deadline);
        self.project = None;
        self.sandbox = None;
        self.generation += 1;
    }

    /// Switches to a freshly started local sandbox.
    pub fn switch_to_sandbox(&mut self, running: RunningSandbox) -> Result<(), ApiError> {
        let connection = backends::Connection::Hopae(local_connection(&running)?);
        self.switch_to(backends::open(connection, true)?);
        self.sandbox = Some(running);
        Ok(())
    }

    /// The next event, if one has arrived. Events of a workspace left behind are dropped.
    pub fn try_recv(&self) -> Option<Event> {
        loop {
            let (generation, event) = self.events_rx.try_recv().ok()?;
            if generation.is_none_or(|g| g == self.generation) {
                return Some(event);
            }
        }
    }

    fn emitter(&self, workspace_bound: bool) -> Emitter {
        Emitter {
            tx: self.events_tx.clone(),
            generation: workspace_bound.then_some(self.generation),
            repaint: self.repaint.clone(),
            sent: self.sent.clone(),
        }
    }

    /// How many events the runtime has sent so far.
    pub fn events_sent(&self) -> u64 {
        self.sent.count.lock().map_or(0, |c| *c)
    }

    /// Blocks until more than `seen` events were sent, or `timeout` passed (tests: step the
    /// next frame when the runtime answers, never a fixed sleep).
    pub fn wait_for_event_after(&self, seen: u64, timeout: Duration) {
        if let Ok(count) = self.sent.count.lock() {
            let _ = self
                .sent
                .changed
                .wait_timeout_while(count, timeout, |c| *c <= seen);
        }
    }

    /// Runs a command in the background.
    #[track_caller]
    pub fn send(&self, command: Command) {
        tracing::debug!(command = command_name(&command), caller = %std::panic::Location::caller(), "command");
        let handle = self.runtime.handle();
        match command {
            Command::LoadApps { op } => {
                let task = tasks::load_apps(
                    self.workspace.clone(),
                    self.project.clone(),
                    op,
                    self.emitter(true),
                );
                self.track(op, handle.spawn(task));
            }
            Command::LoadProviders { op, client_id } => {
                let task = tasks::load_providers(
                    self.workspace.clone(),
                    self.project.clone(),
                    op,
                    client_id,
                    self.emitter(true),
                );
                self.track(op, handle.spawn(task));
            }
            Command::LoadActivity { op, limit, filter } => {
                let emit = self.emitter(false);
                let log = self.activity.clone();
                handle.spawn_blocking(move || {
                    tasks::load_activity(log.as_deref(), op, limit, &filter, &emit);
                });
            }
            Command::LoadProjects { op } => {
                let task = tasks::load_projects(self.workspace.clone(), op, self.emitter(true));
                self.track(op, handle.spawn(task));
            }
            Command::LoadKeys { op, app_id } => {
                let task = tasks::load_keys(
                    self.workspace.clone(),
                    self.project.clone(),
                    op,
                    app_id,
                    self.emitter(true),
                );
                self.track(op, handle.spawn(task));
            }
            Command::AddKeyToFile { op, write, path } => {
                let task = tasks::add_key_to_file(
                    self.workspace.clone(),
                    self.project.clone(),
                    (op, write, path),
                    self.activity.clone(),
                    self.emitter(true),
                );
                self.track(op, handle.spawn(task));
            }
            Command::Write { op, write } => {
                let task = tasks::write(
                    self.workspace.clone(),
                    self.project.clone(),
                    op,
                    write,
                    self.activity.clone(),
                    self.emitter(true),
                );
                self.track(op, handle.spawn(task));
            }
            Command::Cancel { op } => self.cancel(op),
            Command::Connect {
                op,
                backend,
                base_url,
                key,
                org_id,
                ca_file,
            } => {
                let probe = tasks::Probe {
                    backend,
                    base_url,
                    org_id,
                    ca_file,
                    typed_key: key,
                    keys: self.keys.clone(),
                    retry: self.retry,
                    deadline: self.deadline,
                };
                let task = tasks::connect(probe, op, self.emitter(false));
                self.track(op, handle.spawn(task));
            }
            Command::UseLocalSandbox { op } => {
                let config = SandboxConfig {
                    port: 0,
                    ..self.local_config.clone()
                };
                let task = tasks::start_local_sandbox(config, op, self.emitter(false));
                self.track(op, handle.spawn(task));
            }
            Command::Dialog { op, request } => {
                let task = tasks::dialog(self.dialogs.clone(), op, request, self.emitter(false));
                self.track(op, handle.spawn(task));
            }
            Command::ReadImportFile { op, path, options } => {
                let emit = self.emitter(false);
                handle.spawn_blocking(move || tasks::read_import_file(op, &path, &options, &emit));
            }
            Command::RereadImportFile { op, bytes, options } => {
                let emit = self.emitter(false);
                handle
                    .spawn_blocking(move || tasks::reread_import_file(op, &bytes, &options, &emit));
            }
            Command::Remap {
                op,
                prepared,
                mapping,
            } => {
                let emit = self.emitter(false);
                handle.spawn_blocking(move || tasks::remap(op, &prepared, mapping, &emit));
            }
            Command::PlanImport { op, prepared, mode } => {
                let task = tasks::plan_import(
                    self.workspace.clone(),
                    self.project.clone(),
                    self.journal_dir.clone(),
                    op,
                    prepared,
                    mode,
                    self.emitter(false),
                );
                self.track(op, handle.spawn(task));
            }
            Command::RunImport {
                op,
                source,
                prepared,
                options,
                auth_method,
            } => {
                // An import is cancelled by its flag, between rows, so its journal stays whole;
                // the flag is kept here under the import's id for Cancel.
                let cancel = crate::import::CancelFlag::default();
                if let Ok(mut imports) = self.imports.lock() {
                    imports.insert(op, cancel.clone());
                }
                let target = tasks::ImportTarget {
                    workspace: self.workspace.clone(),
                    project: self.project.clone(),
                    journal_dir: self.journal_dir.clone(),
                    auth_method,
                    source,
                    activity: self.activity.clone(),
                };
                let imports = self.imports.clone();
                let emit = self.emitter(false);
                handle.spawn(async move {
                    tasks::run_import(target, op, prepared, options, cancel, emit).await;
                    if let Ok(mut imports) = imports.lock() {
                        imports.remove(&op);
                    }
                });
            }
            Command::OpenFolder { path } => {
                let dialogs = self.dialogs.clone();
                let emit = self.emitter(false);
                handle.spawn_blocking(move || {
                    if let Err(error) = dialogs.open_folder(&path) {
                        emit.emit(Event::FolderNotOpened { path, error });
                    }
                });
            }
            Command::LoadWorkflows { app_id } => {
                let workspace = self.workspace.clone();
                let scope = self.project.clone();
                let emit = self.emitter(true);
                handle.spawn(async move {
                    let workflows = workspace.list_workflows(scope.as_deref(), &app_id).await;
                    emit.emit(Event::WorkflowsLoaded { app_id, workflows });
                });
            }
            Command::LoadNodeTypes { app_id } => {
                let workspace = self.workspace.clone();
                let scope = self.project.clone();
                let emit = self.emitter(true);
                handle.spawn(async move {
                    // The editor still works on the documented catalog when the server's
                    // cannot be read.
                    let types = match workspace.node_types(scope.as_deref(), &app_id).await {
                        Ok(types) if !types.is_empty() => types,
                        Ok(_) => crate::workflow::edit::documented_node_types(),
                        Err(e) => {
                            let logged = crate::i18n::in_english(|| e.user_message());
                            tracing::warn!("node types of {app_id}: {logged}");
                            crate::workflow::edit::documented_node_types()
                        }
                    };
                    emit.emit(Event::NodeTypesLoaded { app_id, types });
                });
            }
            Command::LoadSimulationInput {
                app_id,
                workflow_id,
            } => {
                // No data folder: nothing was kept, and the panel starts from an example.
                let Some(dir) = self.sim_inputs_dir.clone() else {
                    return;
                };
                let key = self.sim_input_key(app_id, workflow_id.clone());
                let emit = self.emitter(false);
                handle.spawn_blocking(move || match crate::sim_inputs::load(&dir, &key) {
                    Ok(Some(text)) => emit.emit(Event::SimulationInputLoaded { workflow_id, text }),
                    Ok(None) => {}
                    Err(e) => emit.emit(Event::SimulationInputFailed {
                        error: e.to_string(),
                    }),
                });
            }
            Command::SaveSimulationInput {
                app_id,
                workflow_id,
                text,
            } => {
                let Some(dir) = self.sim_inputs_dir.clone() else {
                    return;
                };
                let key = self.sim_input_key(app_id, workflow_id);
                let emit = self.emitter(false);
                handle.spawn_blocking(move || {
                    if let Err(e) = crate::sim_inputs::save(&dir, &key, &text) {
                        emit.emit(Event::SimulationInputFailed {
                            error: e.to_string(),
                        });
                    }
                });
            }
            Command::ForgetSimulationInputs => {
                let dir = self.sim_inputs_dir.clone();
                let emit = self.emitter(false);
                handle.spawn_blocking(move || {
                    let forgotten = dir.map_or(Ok(0), |dir| crate::sim_inputs::forget_all(&dir));
                    emit.emit(match forgotten {
                        Ok(count) => Event::SimulationInputsForgotten { count },
                        Err(e) => Event::SimulationInputFailed {
                            error: e.to_string(),
                        },
                    });
                });
            }
            Command::WriteFile {
                op,
                purpose,
                path,
                contents,
            } => {
                let emit = self.emitter(false);
                let exported = matches!(contents, FileContents::Export { .. });
                let journal = self.journal_dir.clone().filter(|_| exported);
                let workspace = self.info.base_url.clone() + "/";
                handle.spawn_blocking(move || {
                    // An export names each app's external id, as an earlier import recorded it.
                    let external_ids = journal
                        .and_then(|dir| crate::export::external_ids(&dir, &workspace).ok())
                        .unwrap_or_default();
                    tasks::write_file(op, purpose, path, &contents, &external_ids, &emit);
                });
            }
        }
    }

    /// The one cancel path: an import is asked to stop at its flag; any other running call is
    /// aborted, and its outcome reported as cancelled.
    fn cancel(&self, op: OpId) {
        let import = self
            .imports
            .lock()
            .ok()
            .and_then(|imports| imports.get(&op).cloned());
        if let Some(flag) = import {
            flag.cancel();
            return;
        }
        let aborted = self
            .running
            .lock()
            .ok()
            .and_then(|mut running| running.remove(&op));
        // A task that already finished has sent its own outcome.
        if let Some(task) = aborted.filter(|t| !t.is_finished()) {
            task.abort();
            self.emitter(false).emit(Event::Cancelled { op });
        }
    }

    /// Keeps the task's handle so Cancel can stop it, and forgets it once it ends.
    fn track(&self, op: OpId, task: tokio::task::JoinHandle<()>) {
        if let Ok(mut running) = self.running.lock() {
            running.retain(|_, t| !t.is_finished());
            running.insert(op, task.abort_handle());
        }
    }
}

fn local_connection(running: &RunningSandbox) -> Result<Connection, ApiError> {
    Connection::new(&running.base_url(), Secret::new(LOCAL_SANDBOX_KEY))
}

/// A name for the log: never a command's content, which may hold a key or a secret.
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::LoadApps { .. } => "load apps",
        Command::LoadProjects { .. } => "load projects",
        Command::LoadProviders { .. } => "load providers",
        Command::LoadKeys { .. } => "load keys",
        Command::AddKeyToFile { .. } => "add key",
        Command::LoadActivity { .. } => "load activity",
        Command::Write { .. } => "write",
        Command::Cancel { .. } => "cancel",
        Command::Connect { .. } => "connect",
        Command::UseLocalSandbox { .. } => "use local sandbox",
        Command::Dialog { .. } => "dialog",
        Command::ReadImportFile { .. } => "read import file",
        Command::RereadImportFile { .. } => "reread import file",
        Command::Remap { .. } => "remap",
        Command::PlanImport { .. } => "plan import",
        Command::RunImport { .. } => "run import",
        Command::WriteFile { .. } => "write file",
        Command::OpenFolder { .. } => "open folder",
        Command::LoadWorkflows { .. } => "load workflows",
        Command::LoadNodeTypes { .. } => "load node types",
        Command::LoadSimulationInput { .. } => "load simulation input",
        Command::SaveSimulationInput { .. } => "save simulation input",
        Command::ForgetSimulationInputs => "forget simulation inputs",
    }
}

/// The runtime's threads make text in the language of `localizer` (the console's).
fn new_runtime(localizer: &Localizer) -> Result<tokio::runtime::Runtime, String> {
    let localizer = localizer.clone();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("connect-io")
        .on_thread_start(move || localizer.install())
        .enable_all()
        .build()
        .map_err(|e| crate::tr!("runtime-start-failed", error = e.to_string()))
}
