//! egui views only. `ConsoleApp` is the shell: it drains events into `AppState`, sends writes
//! (asking first in production), switches workspaces, and lays out the bars (`bars`), the apps
//! table, the detail panel, the import wizard, the workflow graph and the dialogs. Keys live in
//! `shortcuts`, the native window in `window`.

pub mod apps_list;
mod bars;
pub mod connect;
pub mod details;
pub mod dialogs;
pub mod file_dialog;
pub mod fonts;
pub mod import_wizard;
pub mod memory;
mod shortcuts;
pub mod state;
pub mod theme;
pub mod widgets;
mod window;
pub mod workflow_view;

pub use window::run_embedded;

use apps_list::AppsListView;
use details::{DetailsAction, DetailsView};
use file_dialog::{FileDialogs, NativeDialogs};
use import_wizard::{ImportWizard, WizardAction};
use state::{AppState, LoadState, PendingWrite};
use workflow_view::{WorkflowView, WorkflowViewAction};

use std::sync::Arc;

use crate::api::Environment;
use crate::clipboard::SecretClipboard;
use crate::runtime::{Backend, Command};
use crate::settings::Keys;

/// The console's main window.
pub struct ConsoleApp {
    backend: Backend,
    pub state: AppState,
    list: AppsListView,
    details: DetailsView,
    clipboard: Box<dyn SecretClipboard>,
    show_shortcuts: bool,
    /// A short confirmation such as "Copied client id".
    toast: Option<(String, f64)>,
    keys: Arc<Keys>,
    /// The last workspace connected to, remembered between runs (an address, never a key).
    pub last_base_url: Option<String>,
    /// When the process started; the first frame logs how long it took (`-v`).
    pub started: Option<std::time::Instant>,
    /// The workflow graph of an app, shown instead of the list while open.
    pub workflow_view: Option<WorkflowView>,
    /// The CSV import wizard, shown instead of the list while open.
    pub import: Option<ImportWizard>,
    /// Where import journals go (the app's data directory; tests use a temporary one).
    journal_dir: std::path::PathBuf,
    /// Makes the open/save dialogs for a view (native ones; tests inject paths).
    dialogs: Box<dyn Fn() -> Box<dyn FileDialogs>>,
}

impl ConsoleApp {
    /// Starts loading the apps at once; events repaint `ctx`.
    pub fn new(
        mut backend: Backend,
        clipboard: Box<dyn SecretClipboard>,
        ctx: &egui::Context,
    ) -> Self {
        backend.set_repaint_context(ctx.clone());
        backend.send(Command::LoadApps);
        Self {
            backend,
            state: AppState::default(),
            list: AppsListView::default(),
            details: DetailsView::default(),
            clipboard,
            show_shortcuts: false,
            toast: None,
            keys: Arc::new(Keys::os()),
            last_base_url: None,
            started: None,
            workflow_view: None,
            import: None,
            journal_dir: crate::import::journal::default_journal_dir().unwrap_or_default(),
            dialogs: Box::new(|| Box::new(NativeDialogs)),
        }
    }

    /// Uses other file dialogs (tests answer with prepared paths).
    pub fn with_dialogs(mut self, dialogs: impl Fn() -> Box<dyn FileDialogs> + 'static) -> Self {
        self.dialogs = Box::new(dialogs);
        self
    }

    /// Keeps import journals in `dir` instead of the app's data directory.
    pub fn with_journal_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.journal_dir = dir;
        self
    }

    /// Opens the import wizard, on `path` when a file was dropped or given.
    pub fn open_import(&mut self, path: Option<std::path::PathBuf>) {
        if self.import.as_ref().is_some_and(ImportWizard::is_running) {
            return;
        }
        let mut wizard = ImportWizard::new(
            self.backend.client(),
            self.backend.runtime_handle(),
            self.journal_dir.clone(),
            (self.dialogs)(),
        );
        if let Some(path) = path {
            wizard.open_path(path);
        }
        self.workflow_view = None;
        self.import = Some(wizard);
    }

    /// Uses another key store (tests use one in memory instead of the OS keyring).
    pub fn with_keys(mut self, keys: Keys) -> Self {
        self.keys = Arc::new(keys);
        self
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Applies every event that has arrived. Runs even while the window is hidden.
    pub fn logic(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.backend.try_recv() {
            self.state.apply(event);
        }
        if let Some((connection, storage)) = self.state.connected.take() {
            let base_url = connection
                .base_url()
                .as_str()
                .trim_end_matches('/')
                .to_owned();
            match self.backend.switch_to(connection) {
                Ok(()) => {
                    self.last_base_url = Some(base_url);
                    self.start_over(Some(storage));
                }
                Err(error) => {
                    self.state.notice = Some(state::Notice::new("Could not connect", error))
                }
            }
        }
        dialogs::expire_clipboard(&mut self.state, self.clipboard.as_mut(), ctx);
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(started) = self.started.take() {
            tracing::info!(
                "first frame drawn {} ms after start",
                started.elapsed().as_millis()
            );
        }
        self.logic(&ctx);
        self.guard_close(&ctx);
        let tokens = theme::tokens(ctx.global_style().visuals.dark_mode);
        self.shortcuts(&ctx);

        egui::Panel::top("banner").show(ui, |ui| self.banner_ui(ui, &tokens));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &tokens));
        if self.state.notice.is_some() {
            egui::Panel::top("notice").show(ui, |ui| self.notice_ui(ui, &tokens));
        }
        let mut action = None;
        let mut copy = None;
        if let Some(wizard) = &mut self.import {
            let mut wizard_action = WizardAction::None;
            egui::CentralPanel::default().show(ui, |ui| {
                wizard_action = wizard.ui(ui);
            });
            match wizard_action {
                WizardAction::Close => self.import = None,
                WizardAction::AppsCreated => self.refresh(),
                WizardAction::None => {}
            }
        } else if let Some(view) = &mut self.workflow_view {
            let mut close = false;
            egui::CentralPanel::default().show(ui, |ui| {
                close = matches!(view.ui(ui), WorkflowViewAction::Close);
            });
            if close {
                self.workflow_view = None;
            }
        } else {
            egui::Panel::right("details")
                .resizable(true)
                .default_size(380.0)
                .min_size(300.0)
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    action = self.details.ui(ui, &self.state, &tokens);
                });
            egui::CentralPanel::default().show(ui, |ui| {
                ui.add_space(6.0);
                copy = self.list.ui(ui, &mut self.state, &tokens);
            });
        }
        if let Some(id) = copy {
            self.copy_plain(&ctx, id, "Copied client id");
        }
        match action {
            Some(DetailsAction::Copy(id)) => self.copy_plain(&ctx, id, "Copied client id"),
            Some(DetailsAction::AskRotate { client_id }) => {
                self.state.confirm_rotate = Some(client_id)
            }
            Some(DetailsAction::Rename { client_id, name }) => {
                let summary = format!("Rename app {client_id} to \"{name}\".");
                self.write(Command::RenameApp { client_id, name }, summary);
            }
            Some(DetailsAction::OpenWorkflow { client_id, index }) => {
                if let Some(app) = self.state.apps.iter().find(|a| a.client_id == client_id) {
                    let mut view = WorkflowView::new(app, (self.dialogs)());
                    view.select_workflow(index);
                    self.workflow_view = Some(view);
                }
            }
            Some(DetailsAction::SaveRedirectUris { client_id, uris }) => {
                let summary = format!(
                    "Replace the redirect URIs of {client_id} with {} address(es).",
                    uris.len()
                );
                self.write(Command::ReplaceRedirectUris { client_id, uris }, summary);
            }
            None => {}
        }

        if let Some(command) = dialogs::create_ui(&ctx, &mut self.state, &tokens) {
            let summary = match &command {
                Command::CreateApp { name, .. } => format!("Create the app \"{name}\"."),
                _ => String::new(),
            };
            self.write(command, summary);
        }
        if let Some(command) = dialogs::confirm_rotate_ui(&ctx, &mut self.state, &tokens) {
            // The rotate dialog is its own confirmation, in production too.
            self.send_write(command);
        }
        match dialogs::confirm_write_ui(&ctx, &mut self.state, &tokens) {
            Some(dialogs::Confirmation::Confirmed(command)) => self.send_write(command),
            Some(dialogs::Confirmation::Cancelled(Command::CreateApp { .. })) => {
                // Back to an editable create dialog.
                if let Some(dialog) = &mut self.state.create {
                    dialog.pending = false;
                }
            }
            Some(dialogs::Confirmation::Cancelled(_)) | None => {}
        }
        match connect::connect_ui(&ctx, &mut self.state, &tokens) {
            Some(connect::ConnectRequest::Probe { base_url, key }) => {
                self.backend
                    .probe_connection(base_url, key, self.keys.clone());
            }
            Some(connect::ConnectRequest::Local) => self.use_local_sandbox(),
            None => {}
        }
        dialogs::secret_ui(&ctx, &mut self.state, self.clipboard.as_mut(), &tokens);
        dialogs::shortcuts_ui(&ctx, &mut self.show_shortcuts);
    }

    /// Sends a write, after a confirmation when the workspace is production.
    fn write(&mut self, command: Command, summary: String) {
        if self.backend.environment() == Environment::Production {
            self.state.confirm_write = Some(PendingWrite { summary, command });
        } else {
            self.send_write(command);
        }
    }

    /// Sends a write now, remembering it so a failure on the way can offer Retry.
    fn send_write(&mut self, command: Command) {
        match &command {
            Command::RenameApp { client_id, .. }
            | Command::RotateSecret { client_id, .. }
            | Command::ReplaceRedirectUris { client_id, .. } => {
                self.state.busy = Some(client_id.clone())
            }
            Command::CreateApp { .. } | Command::LoadApps => {}
        }
        self.state.last_write = Some(command.clone());
        self.backend.send(command);
    }

    /// Clears what belonged to the previous workspace and loads the new one's apps.
    fn start_over(&mut self, key_storage: Option<crate::settings::KeyStorage>) {
        let notice = None;
        self.state = AppState {
            key_storage,
            notice,
            ..AppState::default()
        };
        self.list = AppsListView::default();
        self.details = DetailsView::default();
        self.backend.send(Command::LoadApps);
    }

    fn use_local_sandbox(&mut self) {
        let config = crate::sandbox::SandboxConfig {
            port: 0,
            demo: true,
            ..Default::default()
        };
        match self.backend.switch_to_local(config) {
            Ok(()) => self.start_over(None),
            Err(message) => {
                if let Some(dialog) = &mut self.state.connect {
                    dialog.error = Some(crate::api::ApiError::local(message));
                }
            }
        }
    }

    fn refresh(&mut self) {
        if !matches!(self.state.load, LoadState::Loading { .. }) {
            self.state.load = LoadState::Loading {
                loaded: 0,
                total: None,
            };
            self.backend.send(Command::LoadApps);
        }
    }

    /// Copies non-secret text through egui's clipboard and confirms it briefly.
    fn copy_plain(&mut self, ctx: &egui::Context, text: String, confirmation: &str) {
        ctx.copy_text(text);
        let now = ctx.input(|i| i.time);
        self.toast = Some((confirmation.to_owned(), now + 2.0));
    }
}

impl Drop for ConsoleApp {
    fn drop(&mut self) {
        // On exit, leave no secret behind on the clipboard.
        dialogs::clear_clipboard_if_secret(&self.state, self.clipboard.as_mut());
    }
}
