//! egui views only. `ConsoleApp` is the shell: it drains events into `AppState`, routes keyboard
//! shortcuts, and lays out the banner, the apps table, the detail panel and the dialogs.

pub mod apps_list;
pub mod connect;
pub mod details;
pub mod dialogs;
pub mod file_dialog;
pub mod fonts;
pub mod import_wizard;
pub mod memory;
pub mod state;
pub mod theme;
pub mod widgets;
pub mod workflow_view;

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
use crate::settings::{Keys, LAST_BASE_URL_KEY};

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
            journal_dir: crate::import::journal::default_journal_dir(),
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
        let env_key_set = crate::settings::env_api_key().is_some();
        match connect::connect_ui(&ctx, &mut self.state, &tokens, env_key_set) {
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

    /// Keeps the window open while closing would lose something: a secret not yet stored, or
    /// an import that is running or whose secrets were not saved.
    fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        let secret_unstored = self.state.secret.as_ref().is_some_and(|d| !d.acknowledged);
        let import_busy = self.import.as_mut().is_some_and(|w| !w.request_close());
        if secret_unstored || import_busy {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if secret_unstored {
                self.toast = Some((
                    "Store the secret and tick the box before closing".into(),
                    ctx.input(|i| i.time) + 4.0,
                ));
            }
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        if self.state.modal_open() {
            return;
        }
        let quit = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
        if ctx.input_mut(|i| i.consume_shortcut(&quit)) {
            // A clean close: eframe saves the window and theme, and the clipboard is cleared.
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        // A file dropped on the window opens the import wizard on it.
        let dropped = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .find(|p| !p.as_os_str().is_empty())
        });
        if let Some(path) = dropped {
            self.open_import(Some(path));
        }
        let import = KeyboardShortcut::new(Modifiers::COMMAND, Key::I);
        if ctx.input_mut(|i| i.consume_shortcut(&import)) {
            self.open_import(None);
        }
        if let Some(wizard) = &mut self.import {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
                && wizard.request_close()
            {
                self.import = None;
            }
            return;
        }
        if self.workflow_view.is_some() {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
                self.workflow_view = None;
            }
            return;
        }
        let new_app = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        let search = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        // Asked before `input_mut`: the context must not be re-entered inside it.
        let typing = ctx.text_edit_focused();
        let (new_app, search, refresh, help) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&new_app),
                i.consume_shortcut(&search),
                i.consume_key(Modifiers::NONE, Key::F5),
                !typing
                    && i.events
                        .iter()
                        .any(|e| matches!(e, egui::Event::Text(t) if t == "?")),
            )
        });
        if new_app {
            self.state.create = Some(dialogs::new_create_dialog());
        }
        if search {
            self.list.focus_search = true;
        }
        if refresh {
            self.refresh();
        }
        if help {
            self.show_shortcuts = true;
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

    fn banner_ui(&mut self, ui: &mut egui::Ui, tokens: &theme::Tokens) {
        let (text, fill) = match self.backend.environment() {
            Environment::Local if self.backend.sandbox().is_some() => (
                "Local sandbox - demo data".to_owned(),
                tokens.sandbox_banner,
            ),
            Environment::Local => (
                format!("Server on this computer · {}", self.backend.base_url()),
                tokens.sandbox_banner,
            ),
            Environment::Sandbox => (
                format!("Hopae sandbox · {}", self.backend.base_url()),
                tokens.sandbox_banner,
            ),
            Environment::Production => (
                format!(
                    "Production · {} · changes affect real customers",
                    self.backend.base_url()
                ),
                tokens.production_banner,
            ),
        };
        let text_color = if self.backend.environment() == Environment::Production {
            egui::Color32::WHITE
        } else {
            tokens.banner_text
        };
        egui::Frame::new()
            .fill(fill)
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new("Connect Console")
                            .strong()
                            .color(text_color),
                    );
                    ui.separator();
                    ui.label(egui::RichText::new(text).color(text_color));
                    if let Some(storage) = self.state.key_storage {
                        ui.separator();
                        ui.label(egui::RichText::new(storage.note()).color(text_color));
                    }
                });
            });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui.button("Create app…").on_hover_text("Ctrl+N").clicked() {
                self.state.create = Some(dialogs::new_create_dialog());
            }
            let loading = matches!(self.state.load, LoadState::Loading { .. });
            if ui
                .add_enabled(!loading, egui::Button::new("Refresh"))
                .on_hover_text("F5")
                .clicked()
            {
                self.refresh();
            }
            if ui
                .button("Import CSV…")
                .on_hover_text("Create many apps from a spreadsheet (Ctrl+I, or drop a CSV file on the window)")
                .clicked()
            {
                self.open_import(None);
            }
            if ui
                .button("Connect…")
                .on_hover_text("Connect to a Hopae workspace with its API key")
                .clicked()
            {
                self.state.connect = Some(connect::open_dialog(self.last_base_url.as_deref()));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Shortcuts").on_hover_text("Keyboard shortcuts (?)").clicked() {
                    self.show_shortcuts = true;
                }
                let dark = ui.global_style().visuals.dark_mode;
                let label = if dark { "Light mode" } else { "Dark mode" };
                if ui
                    .button(label)
                    .on_hover_text("Switch between dark and light")
                    .clicked()
                {
                    ui.ctx().set_theme(if dark {
                        egui::Theme::Light
                    } else {
                        egui::Theme::Dark
                    });
                }
            });
        });
        ui.add_space(2.0);
    }

    fn status_ui(&mut self, ui: &mut egui::Ui, tokens: &theme::Tokens) {
        ui.horizontal(|ui| {
            match &self.state.load {
                LoadState::Loading { loaded, total } => {
                    ui.spinner();
                    match total {
                        Some(total) if *total > 0 => {
                            let fraction = *loaded as f32 / *total as f32;
                            ui.add(egui::ProgressBar::new(fraction).desired_width(160.0));
                            ui.label(format!("Loading {loaded} of {total} apps"));
                        }
                        _ => {
                            ui.label("Loading apps…");
                        }
                    }
                }
                LoadState::Ready => {
                    ui.label(format!("{} apps", self.state.apps.len()));
                }
                LoadState::Failed(error) => {
                    ui.colored_label(
                        tokens.error,
                        format!("Loading failed: {}", error.user_message()),
                    );
                    if ui.button("Retry").clicked() {
                        self.refresh();
                    }
                }
            }
            if let Some((text, until)) = &self.toast {
                if ui.input(|i| i.time) < *until {
                    ui.separator();
                    ui.colored_label(tokens.success, text);
                } else {
                    self.toast = None;
                }
            }
        });
    }

    fn notice_ui(&mut self, ui: &mut egui::Ui, tokens: &theme::Tokens) {
        let Some(notice) = &self.state.notice else {
            return;
        };
        let mut dismiss = false;
        let mut retry = false;
        let mut copy = None;
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(tokens.error, egui::RichText::new(&notice.title).strong());
            ui.label(notice.error.user_message());
            if let Some(id) = &notice.error.request_id {
                ui.weak(format!("Request id {id}"));
                if ui.small_button("Copy request id").clicked() {
                    copy = Some(id.clone());
                }
            }
            if notice.retry.is_some() && ui.small_button("Retry").clicked() {
                retry = true;
            }
            if ui.small_button("Dismiss").clicked() {
                dismiss = true;
            }
        });
        ui.add_space(4.0);
        if let Some(id) = copy {
            let ctx = ui.ctx().clone();
            self.copy_plain(&ctx, id, "Copied request id");
        }
        if retry && let Some(command) = self.state.notice.take().and_then(|n| n.retry) {
            self.send_write(command);
        }
        if dismiss {
            self.state.notice = None;
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

impl eframe::App for ConsoleApp {
    /// Remembers the workspace address only: keys stay in the keyring, secrets nowhere.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(url) = &self.last_base_url {
            storage.set_string(LAST_BASE_URL_KEY, url.clone());
        }
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ConsoleApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ConsoleApp::ui(self, ui);
    }
}

/// Opens the console window on the embedded sandbox with demo data.
pub fn run_embedded(
    options: &crate::cli::WindowArgs,
    started: std::time::Instant,
) -> Result<(), String> {
    let keys = Keys::os();
    let (backend, key_storage) = match &options.connect {
        Some(base_url) => {
            let (key, storage) = keys
                .find(base_url.trim().trim_end_matches('/'), crate::settings::env_api_key())
                .ok_or_else(|| {
                    format!("No API key for {base_url}: set CONNECT_API_KEY, or connect once from \"Connect…\" so the key is saved in the system keyring")
                })?;
            let connection =
                crate::api::Connection::new(base_url, key).map_err(|e| e.user_message())?;
            (Backend::connect(connection)?, Some(storage))
        }
        None => {
            let backend = Backend::embedded_sandbox(crate::sandbox::SandboxConfig {
                port: 0,
                demo: true,
                generated_apps: options.extra_apps,
                ..Default::default()
            })?;
            (backend, None)
        }
    };
    let theme = options.theme;
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Connect Console")
        .with_app_id("connect-console")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 560.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let native_options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "connect-console",
        native_options,
        Box::new(move |cc| {
            fonts::install_cjk_fallback(&cc.egui_ctx);
            match theme {
                Some(crate::cli::ThemeChoice::Dark) => cc.egui_ctx.set_theme(egui::Theme::Dark),
                Some(crate::cli::ThemeChoice::Light) => cc.egui_ctx.set_theme(egui::Theme::Light),
                None => {}
            }
            let clipboard = Box::new(crate::clipboard::SystemClipboard::new());
            let mut app = ConsoleApp::new(backend, clipboard, &cc.egui_ctx);
            app.last_base_url = cc.storage.and_then(|s| s.get_string(LAST_BASE_URL_KEY));
            app.started = Some(started);
            app.state.key_storage = key_storage;
            app.keys = Arc::new(keys);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| format!("The window could not be opened: {e}"))
}
