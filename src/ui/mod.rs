//! egui views only. `ConsoleApp` is the shell: it applies the runtime's events to state in one
//! place ([`ConsoleApp::apply_event`]), turns the views' actions and the commands of the
//! [`command::UiCommand`] list into state changes and runtime commands, and lays out the bars,
//! the apps table, the details, the import wizard, the workflow graph and the dialogs.
//!
//! | module | owns |
//! |---|---|
//! | `state` | `AppState`, the plain data views draw, changed by `apply` and `record` only |
//! | `command` | the `UiCommand` list: labels, shortcuts, when each applies |
//! | `action` | what a view asks the shell to do |
//! | `bars` | banner, toolbar, status line, notices and "Still waiting for HOST…" |
//! | `apps_list`, `details` | the apps table and the selected app |
//! | `dialogs`, `connect`, `palette` | modal dialogs, the connection dialog, the command palette |
//! | `import_wizard` | the CSV import, one file per step |
//! | `workflow_view` | the read-only workflow graph |
//! | `theme`, `widgets`, `fonts` | tokens, shared widgets, the CJK font fallback |
//! | `window` | the native window: options, what is saved, closing |

pub mod action;
pub mod activity_view;
pub mod apps_list;
mod bars;
pub mod command;
pub mod connect;
pub mod details;
pub mod dialogs;
pub mod fonts;
pub mod import_wizard;
mod keys_panel;
pub mod language;
pub mod memory;
pub mod palette;
mod providers_tab;
mod start;
pub mod state;
pub mod theme;
mod view;
mod waiting;
pub mod webhook_editor;
pub mod widgets;
mod window;
pub mod workflow_view;

use std::time::{Duration, Instant};

pub use start::{StartOptions, Theme};
pub use window::run_embedded;

use action::Action;
use apps_list::AppsListView;
use command::{CommandContext, Screen, UiCommand};
use details::DetailsView;
use dialogs::Dialogs;
use import_wizard::ImportWizard;
use state::{AppState, Notice, UserEvent};
pub use view::View;
use workflow_view::WorkflowView;

use crate::api::ApiError;
use crate::clipboard::{SecretClipboard, SecretHandOff};
use crate::runtime::{Backend, Command, Event, FilePurpose, OpId, Write};
use action::ViewOutput;

/// Where the user was going when the unsaved-edits question stopped them.
enum Leave {
    Action(Action),
    CloseWindow,
}

/// A key the user asked to add, until it is sent.
struct PendingKey {
    app_id: String,
    expiry: crate::backends::keys::KeyExpiry,
    path: Option<std::path::PathBuf>,
}

pub struct ConsoleApp {
    backend: Backend,
    pub state: AppState,
    pub list: AppsListView,
    details: DetailsView,
    dialogs: Dialogs,
    /// The clipboard, and the secret copied to it until the minute after the last copy ends.
    clipboard: SecretHandOff,
    /// A short confirmation such as "Copied client id", until the given time.
    toast: Option<(String, f64)>,
    /// The toast was set outside a frame; its time starts at the next one.
    toast_pending: bool,
    /// The last workspace connected to, remembered between runs (an address, never a key).
    pub last_base_url: Option<String>,
    /// The certificate authority file of each address connected to (paths, never contents),
    /// remembered between runs.
    pub ca_files: crate::settings::CaFiles,
    /// The connection check in flight and the certificate authority file it uses, remembered
    /// with the address once it succeeds.
    connecting_ca_file: Option<(OpId, Option<std::path::PathBuf>)>,
    /// When the process started; the first frame logs how long it took (`-v`).
    pub started: Option<Instant>,
    /// What fills the window: the list, the import, a graph, or the activity log.
    pub view: View,
    /// The apps an export asked for, until its file is chosen.
    pending_export: Option<Vec<String>>,
    /// A key being added: which app and expiry while the save dialog is open, then the path.
    pending_key: Option<PendingKey>,
    /// The native dialog last shown; an answer to any other is dropped.
    dialog_waiting: Option<OpId>,
    /// A step away from an app with unsaved edits, held while the user answers the question.
    leaving: Option<Leave>,
    /// The window may close: the unsaved-edits question was answered.
    close_confirmed: bool,
    /// Run settings the import wizard starts with (tests use short retries).
    import_options: crate::import::RunOptions,
    /// The language this console speaks, shared with its runtime.
    localizer: crate::i18n::Localizer,
    /// The language setting ("System", English, Korean), saved between runs.
    language_choice: crate::i18n::LanguageChoice,
    /// The system's language, read once at start.
    system_language: crate::i18n::Language,
}

impl ConsoleApp {
    /// Starts loading the apps at once; events repaint `ctx`.
    pub fn new(
        mut backend: Backend,
        clipboard: Box<dyn SecretClipboard>,
        ctx: &egui::Context,
    ) -> Self {
        backend.set_repaint_context(ctx.clone());
        let localizer = backend.localizer().clone();
        localizer.install();
        theme::install(ctx);
        let state = AppState::new(backend.info().clone(), backend.workspace().capabilities());
        let mut app = Self {
            backend,
            state,
            list: AppsListView::default(),
            details: DetailsView::default(),
            dialogs: Dialogs::default(),
            clipboard: SecretHandOff::new(clipboard),
            toast: None,
            toast_pending: false,
            last_base_url: None,
            ca_files: crate::settings::CaFiles::new(),
            connecting_ca_file: None,
            started: None,
            view: View::Apps,
            pending_export: None,
            pending_key: None,
            leaving: None,
            close_confirmed: false,
            dialog_waiting: None,
            import_options: crate::import::RunOptions::default(),
            localizer,
            language_choice: crate::i18n::LanguageChoice::System,
            system_language: crate::i18n::system_language(),
        };
        app.refresh();
        app
    }

    /// The import wizard starts with these run settings (concurrency, retries).
    pub fn with_import_options(mut self, options: crate::import::RunOptions) -> Self {
        self.import_options = options;
        self
    }

    /// The connection dialog, when open.
    pub fn connect_dialog(&self) -> Option<&connect::ConnectDialog> {
        self.dialogs.connect.as_ref()
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// The import wizard, when open (also below the activity log).
    pub fn import(&self) -> Option<&ImportWizard> {
        self.view.import()
    }

    /// The import wizard, when open, to fill in (tests type into it this way).
    pub fn import_mut(&mut self) -> Option<&mut ImportWizard> {
        self.view.import_mut()
    }

    /// The redirect URIs being edited in the details, if the editor is open.
    pub fn details_uris_draft(&self) -> Option<&str> {
        self.details.uris_draft.as_deref()
    }

    /// The workflow graph, when open.
    pub fn workflow_view(&self) -> Option<&WorkflowView> {
        self.view.workflow()
    }

    /// The activity log, when open.
    pub fn activity(&self) -> Option<&activity_view::ActivityView> {
        self.view.activity()
    }

    /// What the commands may depend on this frame.
    pub fn command_context(&self, ctx: &egui::Context) -> CommandContext {
        CommandContext {
            screen: self.screen(),
            capabilities: self.state.capabilities,
            has_selection: self.state.has_selection(),
            dark_mode: ctx.global_style().visuals.dark_mode,
            loading: self.state.loading(),
            busy: self.state.writes_in_flight()
                || self.view.import().is_some_and(ImportWizard::is_running),
        }
    }

    /// Clears a copied secret from the clipboard once its minute is over (`now` is a parameter
    /// so tests can move past it).
    pub fn expire_clipboard(&mut self, now: Instant, ctx: &egui::Context) {
        if let Some(left) = self.clipboard.expire(now) {
            // Wake up to clear it even if nothing else happens.
            ctx.request_repaint_after(left.min(Duration::from_millis(500)));
        }
    }

    fn screen(&self) -> Screen {
        self.view.screen()
    }

    /// Applies every event that has arrived. Runs even while the window is hidden, so an
    /// import keeps being recorded while the console is minimised.
    pub fn logic(&mut self, ctx: &egui::Context) {
        // Text made in this frame is in this console's language (tests run several at once).
        self.localizer.install();
        while let Some(event) = self.backend.try_recv() {
            self.apply_event(event);
        }
        self.expire_clipboard(Instant::now(), ctx);
        if !self
            .state
            .slow_calls(Instant::now() + state::SLOW_AFTER)
            .is_empty()
        {
            // "Still waiting…" must appear on time even when nothing else repaints.
            ctx.request_repaint_after(Duration::from_millis(500));
        }
    }

    /// The one place events change state: the views' own events go to them, the rest to
    /// `AppState`.
    pub fn apply_event(&mut self, event: Event) {
        match event {
            Event::Import(event) => {
                if let Some(wizard) = self.view.import_mut()
                    && wizard.apply(event)
                {
                    self.refresh();
                }
            }
            Event::FileChosen { op, purpose, path } => {
                if self.dialog_waiting.take_if(|w| *w == op).is_some() {
                    self.file_chosen(purpose, path);
                }
            }
            Event::ActivityLoaded { op, result } => {
                if let Some(view) = self.view.activity_mut() {
                    view.apply(op, result);
                }
            }
            event @ (Event::WriteDone { .. } | Event::WriteFailed { .. }) => {
                // A short confirmation for every change that went through, and a new app
                // scrolled into view.
                let mut done = None;
                let mut created = None;
                // The workflow editor hears how its save went.
                if let Some(view) = self.view.workflow_mut() {
                    match &event {
                        Event::WriteDone {
                            outcome: crate::ops::Outcome::WorkflowSaved { id, workflow, .. },
                            ..
                        } => view.workflow_saved(id, workflow),
                        Event::WriteFailed { op, error, .. }
                            if self.state.ops.get(op).is_some_and(|p| {
                                matches!(
                                    p.write,
                                    Write::UpdateWorkflow { .. } | Write::CreateWorkflow { .. }
                                )
                            }) =>
                        {
                            view.save_failed(error);
                        }
                        _ => {}
                    }
                }
                if let Event::WriteDone { op, outcome } = &event
                    && let Some(pending) = self.state.ops.get(op)
                {
                    let name = outcome
                        .app_name()
                        .or_else(|| self.state.app(outcome.app_id()).map(|a| a.name.as_str()));
                    done = Some(pending.write.done_message(name));
                    if let crate::ops::Outcome::Created(new) = outcome {
                        created = Some(new.app.id.clone());
                    }
                }
                self.state.apply(event);
                if let Some(id) = created {
                    self.list.reveal(&id);
                }
                if let Some(text) = done {
                    self.toast_at(text);
                }
                // A write is one more line in the log on screen.
                if let Some(view) = self.view.activity_mut() {
                    view.reload();
                }
            }
            event @ Event::FolderNotOpened { .. } => self.state.apply(event),
            Event::WorkflowsLoaded { app_id, workflows } => {
                if let Some(view) = self.view.workflow_mut() {
                    view.workflows_reloaded(&app_id, workflows);
                }
            }
            Event::NodeTypesLoaded { app_id, types } => {
                if let Some(view) = self.view.workflow_mut() {
                    view.node_types_loaded(&app_id, types);
                }
            }
            Event::SimulationInputLoaded { workflow_id, text } => {
                if let Some(view) = self.view.workflow_mut() {
                    view.simulation_input_loaded(&workflow_id, text);
                }
            }
            Event::SimulationInputsForgotten { count } => {
                self.toast_at(crate::tr!("sim-forgotten", count = count));
            }
            Event::SimulationInputFailed { error } => {
                self.toast_at(crate::tr!("sim-inputs-not-kept", reason = error));
            }
            Event::DialogUnavailable { op, purpose } => {
                if self.dialog_waiting.take_if(|w| *w == op).is_some() {
                    self.dialog_unavailable(purpose);
                }
            }
            Event::FileWritten {
                purpose,
                path,
                result,
                ..
            } => {
                if matches!(purpose, FilePurpose::ExportCsv | FilePurpose::ExportJson) {
                    match result {
                        Ok(()) => self.toast_at(crate::tr!(
                            "shell-exported-to",
                            path = path.display().to_string()
                        )),
                        Err(text) => self.notice(
                            &crate::tr!("notice-export-not-saved"),
                            ApiError::local(text),
                        ),
                    }
                } else if is_import_file(purpose) {
                    if let Some(wizard) = self.view.import_mut() {
                        wizard.file_written(purpose, &path, result);
                    }
                } else if let Some(view) = self.view.workflow_mut() {
                    view.file_written(&path, result);
                }
            }
            // A switch starts the state afresh, which also ends the connection check.
            Event::Connected {
                op,
                workspace,
                storage,
            } => {
                self.backend.switch_to(workspace);
                let address = self.backend.info().base_url.clone();
                if let Some((_, ca_file)) = self.connecting_ca_file.take_if(|(o, _)| *o == op) {
                    let key = crate::settings::address_key(&address);
                    match ca_file {
                        Some(path) => self.ca_files.insert(key, path),
                        None => self.ca_files.remove(&key),
                    };
                }
                self.last_base_url = Some(address);
                self.start_over(Some(storage));
            }
            Event::LocalSandboxStarted { op, sandbox } => {
                match self.backend.switch_to_sandbox(*sandbox) {
                    Ok(()) => self.start_over(None),
                    Err(error) => self.state.apply(Event::ConnectFailed { op, error }),
                }
            }
            event @ Event::ProjectsLoaded { .. } => {
                self.state.apply(event);
                self.ensure_project();
            }
            other => self.state.apply(other),
        }
    }

    /// Once the projects are known, shows the one picked before, else the first.
    fn ensure_project(&mut self) {
        let known = |id: &str| self.state.projects.iter().any(|p| p.id == id);
        let keep = self.state.project.clone().filter(|p| known(p));
        let Some(project) = keep.or_else(|| self.state.projects.first().map(|p| p.id.clone()))
        else {
            return;
        };
        self.pick_project(project);
    }

    /// Shows the apps of `project`.
    fn pick_project(&mut self, project: String) {
        self.backend.set_project(Some(project.clone()));
        self.state.record(UserEvent::ProjectPicked(project));
        self.list = AppsListView::default();
        self.details = DetailsView::default();
        self.refresh();
    }

    fn file_chosen(&mut self, purpose: FilePurpose, path: Option<std::path::PathBuf>) {
        if purpose == FilePurpose::KeyFile {
            // Cancelled (no path): nothing was sent.
            if let (Some(pending), Some(path)) = (self.pending_key.take(), path) {
                let write = Write::AddKey {
                    id: pending.app_id.clone(),
                    expiry: pending.expiry,
                };
                self.pending_key = Some(PendingKey {
                    path: Some(path),
                    ..pending
                });
                self.write(write);
            }
            return;
        }
        if purpose == FilePurpose::CaFile {
            if let Some(dialog) = &mut self.dialogs.connect {
                dialog.ca_file_chosen(path);
            }
            return;
        }
        if matches!(purpose, FilePurpose::ExportCsv | FilePurpose::ExportJson) {
            let ids = self.pending_export.take();
            if let (Some(path), Some(ids)) = (path, ids) {
                self.write_export(purpose, path, &ids);
            }
            return;
        }
        if is_import_file(purpose) {
            if let Some(wizard) = self.view.import_mut() {
                let commands = wizard.file_chosen(purpose, path);
                self.send_all(commands);
            }
        } else if let Some(view) = self.view.workflow_mut() {
            let commands = view.file_chosen(purpose, path);
            self.send_all(commands);
        }
    }

    fn dialog_unavailable(&mut self, purpose: FilePurpose) {
        if purpose == FilePurpose::KeyFile {
            self.pending_key = None;
            self.notice(
                &crate::tr!("notice-no-key-added"),
                ApiError::local(crate::tr!("notice-no-dialog-key-file")),
            );
            return;
        }
        if purpose == FilePurpose::CaFile {
            if let Some(dialog) = &mut self.dialogs.connect {
                dialog.ca_dialog_unavailable(&crate::tr!("notice-no-dialog-type-path"));
            }
            return;
        }
        let message = if purpose == FilePurpose::ImportCsv {
            crate::tr!("notice-no-dialog-type-or-drop")
        } else {
            crate::tr!("notice-no-dialog-type-save-path")
        };
        if is_import_file(purpose)
            && let Some(wizard) = self.view.import_mut()
        {
            wizard.dialog_unavailable(purpose, &message);
            return;
        }
        if let Some(view) = self.view.workflow_mut() {
            view.dialog_unavailable(purpose, &message);
            return;
        }
        self.notice(
            &crate::tr!("notice-no-file-dialog"),
            ApiError::local(message),
        );
    }

    /// Writes the apps named by `ids` (all apps when empty) to `path`.
    fn write_export(&mut self, purpose: FilePurpose, path: std::path::PathBuf, ids: &[String]) {
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        // Exports are offered where apps have OIDC settings; they are what an export holds.
        let apps: Vec<crate::backends::model::OidcApp> = self
            .state
            .apps
            .iter()
            .filter(|a| wanted.contains(a.id.as_str()))
            .filter_map(|a| a.oidc.as_deref().map(|o| o.without_secret()))
            .collect();
        let format = if purpose == FilePurpose::ExportJson {
            crate::export::Format::Json
        } else {
            crate::export::Format::Csv
        };
        self.send(Command::WriteFile {
            op: OpId::next(),
            purpose,
            path,
            contents: crate::runtime::FileContents::Export {
                apps: std::sync::Arc::new(apps),
                format,
            },
        });
    }

    /// Asks where to save an export of the checked apps (all those listed when none is).
    fn ask_export(&mut self, purpose: FilePurpose) {
        let ids = self.list.export_keys(&self.state.apps);
        if ids.is_empty() {
            self.toast_at(crate::tr!("shell-nothing-to-export"));
            return;
        }
        let (title, name, filters): (String, &str, &'static [crate::runtime::FileFilter]) =
            if purpose == FilePurpose::ExportJson {
                (
                    crate::tr!("shell-export-json-title"),
                    "connect-apps.json",
                    EXPORT_JSON,
                )
            } else {
                (
                    crate::tr!("shell-export-csv-title"),
                    "connect-apps.csv",
                    EXPORT_CSV,
                )
            };
        self.pending_export = Some(ids);
        self.send(Command::dialog(crate::runtime::DialogRequest {
            purpose,
            title,
            default_name: name.to_owned(),
            filters,
            save: true,
        }));
    }

    fn toast_at(&mut self, text: String) {
        self.toast = Some((text, f64::MAX));
        self.toast_pending = true;
    }

    fn notice(&mut self, title: &str, error: ApiError) {
        self.state.record(UserEvent::Notice(Notice {
            title: title.to_owned(),
            error,
        }));
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
        self.drop_files(&ctx);
        let tokens = theme::tokens(ctx.global_style().visuals.dark_mode);
        let context = self.command_context(&ctx);
        let mut actions: Vec<Action> = Vec::new();
        if !self.dialogs.any_open(&self.state) {
            actions.extend(
                command::pressed(&ctx, &context)
                    .into_iter()
                    .map(Action::Command),
            );
        }

        egui::Panel::top("banner").show(ui, |ui| {
            bars::banner_ui(ui, &self.state, &tokens);
            actions.extend(bars::toolbar_ui(
                ui,
                &context,
                &self.state,
                (
                    self.language_choice,
                    self.system_language,
                    self.localizer.language(),
                ),
            ));
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let toast = self.live_toast(ui);
            actions.extend(bars::status_ui(ui, &self.state, toast.as_deref()));
        });
        let hidden = self.dialogs.op_shown_in_dialog();
        if bars::has_notices(&self.state, hidden) {
            egui::Panel::top("notice").show(ui, |ui| {
                actions.extend(bars::notices_ui(ui, &self.state, hidden, &tokens));
            });
        }
        self.main_area_ui(ui, &tokens, &mut actions);
        actions.extend(self.dialogs.ui(&ctx, &self.state, &context, &tokens));
        for action in actions {
            self.handle(action, &ctx);
        }
    }

    fn main_area_ui(
        &mut self,
        ui: &mut egui::Ui,
        tokens: &theme::Tokens,
        actions: &mut Vec<Action>,
    ) {
        match &mut self.view {
            View::Activity { log, .. } => {
                let mut output = ViewOutput::default();
                egui::CentralPanel::default().show(ui, |ui| {
                    output = log.ui(ui, &self.state.apps, tokens);
                });
                self.send_all(output.commands);
                actions.extend(output.actions);
                if output.close {
                    self.view.close_activity();
                }
            }
            View::Import(wizard) => {
                let mut output = ViewOutput::default();
                let production = crate::ops::confirmation(&self.state.connection).is_needed();
                egui::CentralPanel::default().show(ui, |ui| {
                    output = wizard.ui(ui, production);
                });
                self.send_all(output.commands);
                actions.extend(output.actions);
                if output.close {
                    self.view = View::Apps;
                }
            }
            View::Workflow(view) => {
                let mut output = ViewOutput::default();
                egui::CentralPanel::default().show(ui, |ui| {
                    output = view.ui(ui);
                });
                self.send_all(output.commands);
                actions.extend(output.actions);
                if output.close {
                    self.view = View::Apps;
                }
            }
            View::Apps => self.apps_screen_ui(ui, tokens, actions),
        }
    }

    /// The list and the selected app's details.
    fn apps_screen_ui(
        &mut self,
        ui: &mut egui::Ui,
        tokens: &theme::Tokens,
        actions: &mut Vec<Action>,
    ) {
        egui::Panel::right("details")
            .resizable(true)
            .default_size(380.0)
            .min_size(300.0)
            .show(ui, |ui| {
                ui.add_space(8.0);
                actions.extend(self.details.ui(ui, &self.state));
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(6.0);
            actions.extend(self.list.ui(ui, &self.state, tokens));
        });
    }

    fn send_all(&mut self, commands: Vec<Command>) {
        for command in commands {
            self.send(command);
        }
    }

    /// Sends a command; a dialog's id is noted, so only the answer to the dialog last shown
    /// is taken.
    fn send(&mut self, command: Command) {
        if let Command::Dialog { op, .. } = &command {
            self.dialog_waiting = Some(*op);
        }
        self.backend.send(command);
    }

    /// Runs a command of the list, if it applies now.
    pub fn run_command(&mut self, command: UiCommand, ctx: &egui::Context) {
        let context = self.command_context(ctx);
        if !command.applies(&context) {
            return;
        }
        match command {
            UiCommand::CommandPalette => {
                // In a graph, the app's workflows can be picked by name too.
                let extra = match &self.view {
                    View::Workflow(view) => view
                        .workflow_names()
                        .into_iter()
                        .enumerate()
                        .map(|(index, name)| {
                            (
                                palette::PaletteItem::Workflow { index },
                                crate::tr!("palette-show-workflow", name = name.as_str()),
                            )
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                self.dialogs.open_palette(extra);
            }
            UiCommand::CreateApp => self.dialogs.open_create(),
            UiCommand::ImportCsv => self.open_import(None),
            UiCommand::Refresh => self.refresh(),
            UiCommand::FocusSearch => self.list.focus_search = true,
            UiCommand::RotateSelectedSecret => {
                if let Some(id) = self.state.selected.clone() {
                    self.dialogs.confirm_rotate = Some((id, dialogs::SecretKind::Client));
                }
            }
            UiCommand::EditSelectedRedirectUris => {
                if let Some(app) = self.state.selected_app() {
                    self.details.edit_redirect_uris(app);
                }
            }
            UiCommand::OpenSelectedWorkflow => {
                if let Some(id) = self.state.selected.clone() {
                    self.open_workflow(&id, None);
                }
            }
            UiCommand::Connect => self.dialogs.open_connect(
                self.last_base_url.as_deref(),
                self.backend.deadline(),
                self.ca_files.clone(),
            ),
            UiCommand::ToggleTheme => ctx.set_theme(if context.dark_mode {
                egui::Theme::Light
            } else {
                egui::Theme::Dark
            }),
            UiCommand::ShowShortcuts => self.dialogs.shortcuts = true,
            UiCommand::ShowActivity => self.view.open_activity(),
            UiCommand::ExportCsv => self.ask_export(FilePurpose::ExportCsv),
            UiCommand::ExportJson => self.ask_export(FilePurpose::ExportJson),
            UiCommand::SelectAll => self.list.check_all(&self.state.apps),
            UiCommand::Close => self.close_view(),
            UiCommand::ZoomIn
            | UiCommand::ZoomOut
            | UiCommand::FitGraph
            | UiCommand::NodeAbove
            | UiCommand::NodeBelow
            | UiCommand::NodeLeft
            | UiCommand::NodeRight => {
                if let Some(view) = self.view.workflow_mut() {
                    view.run(command);
                }
            }
            UiCommand::PreviousApp
            | UiCommand::NextApp
            | UiCommand::PageUpApps
            | UiCommand::PageDownApps
            | UiCommand::FirstApp
            | UiCommand::LastApp => {
                let step = match command {
                    UiCommand::PreviousApp => apps_list::Step::By(-1),
                    UiCommand::NextApp => apps_list::Step::By(1),
                    UiCommand::PageUpApps => apps_list::Step::By(-apps_list::PAGE_ROWS),
                    UiCommand::PageDownApps => apps_list::Step::By(apps_list::PAGE_ROWS),
                    UiCommand::FirstApp => apps_list::Step::First,
                    _ => apps_list::Step::Last,
                };
                let selected = self.state.selected.as_deref();
                if let Some(id) = self.list.step(&self.state.apps, selected, step) {
                    self.list.reveal(&id);
                    self.state.record(UserEvent::Selected(id));
                }
            }
            // A clean close: eframe saves the window and theme, and the clipboard is cleared.
            UiCommand::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Does what a view asked for.
    fn handle(&mut self, action: Action, ctx: &egui::Context) {
        // Leaving the workflow editor with unsaved edits asks first (its own question).
        if self.leaves_details(&action)
            && let Some(view) = self.view.workflow_mut()
            && view.has_unsaved_edits()
        {
            view.close_panel();
            return;
        }
        // Leaving an app with unsaved edits asks first.
        if self.leaves_details(&action)
            && let Some(unsaved) = self.unsaved_edits()
        {
            self.dialogs.unsaved = Some(unsaved);
            self.leaving = Some(Leave::Action(action));
            return;
        }
        match action {
            Action::Command(command) => self.run_command(command, ctx),
            Action::Select(id) => self.state.record(UserEvent::Selected(id)),
            Action::ShowDetailsTab(tab) => self.details.tab = tab,
            Action::ShowWorkflow(index) => {
                if let View::Workflow(view) = &mut self.view {
                    view.select_workflow(index);
                }
            }
            Action::AnswerUnsaved(answer) => self.answer_unsaved(answer, ctx),
            Action::Copy { text, confirmation } => self.copy_plain(ctx, text, confirmation),
            Action::Write(write) => self.write(write),
            Action::ConfirmedWrite(write) => {
                self.send_write(write);
            }
            Action::AskRotate(id) => {
                self.dialogs.confirm_rotate = Some((id, dialogs::SecretKind::Client));
            }
            Action::AskRotateWebhook(id) => {
                self.dialogs.confirm_rotate = Some((id, dialogs::SecretKind::Webhook));
            }
            Action::LoadProviders(client_id) => {
                let op = OpId::next();
                self.state.record(UserEvent::ProvidersRequested {
                    client_id: client_id.clone(),
                    op,
                });
                self.send(Command::LoadProviders { op, client_id });
            }
            Action::LoadKeys(app_id) => {
                let op = OpId::next();
                self.state.record(UserEvent::KeysRequested {
                    app_id: app_id.clone(),
                    op,
                });
                self.send(Command::LoadKeys { op, app_id });
            }
            Action::AskDeleteKey { app_id, key_id } => {
                self.dialogs.confirm_delete_key = Some((app_id, key_id));
            }
            Action::ChooseKeyFile {
                app_id,
                default_name,
                expiry,
            } => {
                self.pending_key = Some(PendingKey {
                    app_id,
                    expiry,
                    path: None,
                });
                self.send(Command::dialog(crate::runtime::DialogRequest {
                    purpose: FilePurpose::KeyFile,
                    title: crate::tr!("shell-key-file-title"),
                    default_name,
                    filters: &[crate::runtime::FileFilter {
                        name: "Key files",
                        extensions: &["json"],
                    }],
                    save: true,
                }));
            }
            Action::Retry(op) => {
                if let Some(pending) = self.state.ops.get(&op) {
                    let write = pending.write.clone();
                    self.state.record(UserEvent::Retrying(op));
                    self.send(Command::Write { op, write });
                }
            }
            Action::Dismiss(op) => self.state.record(UserEvent::Dismissed(op)),
            Action::DismissNotice => self.state.record(UserEvent::NoticeDismissed),
            Action::Cancel(op) => self.send(Command::Cancel { op }),
            Action::OpenApp(client_id) => {
                // From a graph (or the log above one) back to the list; an import stays.
                if matches!(self.view, View::Workflow(_)) {
                    self.view = View::Apps;
                }
                self.state.record(UserEvent::Selected(client_id.clone()));
                self.list.reveal(&client_id);
            }
            Action::OpenWorkflow { client_id, index } => {
                self.open_workflow(&client_id, Some(index));
            }
            Action::SecretCopy { with_client_id } => {
                let Some(dialog) = &self.state.secret else {
                    return;
                };
                let now = Instant::now();
                let result = if with_client_id {
                    // Two labelled lines, ready to paste into a message or a password manager.
                    // Only the labels go through the catalog; the secret never enters Fluent.
                    let pair = crate::secret::Secret::new(format!(
                        "{}: {}\n{}: {}",
                        crate::tr!("clipboard-pair-client-id"),
                        dialog.client_id,
                        crate::tr!("clipboard-pair-client-secret"),
                        dialog.secret.expose()
                    ));
                    self.clipboard.copy(pair.expose(), now)
                } else {
                    self.clipboard.copy(dialog.secret.expose(), now)
                };
                self.state
                    .record(UserEvent::SecretCopied(result.map(|()| now)));
            }
            Action::SecretAcknowledge(yes) => {
                self.state.record(UserEvent::SecretAcknowledged(yes));
            }
            Action::SecretClose => {
                // The clipboard keeps the secret: people paste after closing the dialog.
                self.state.record(UserEvent::SecretClosed);
            }
            Action::Connect {
                backend,
                base_url,
                key,
                org_id,
                ca_file,
            } => {
                let op = OpId::next();
                self.state.record(UserEvent::ConnectStarted(op));
                self.dialogs.connecting(op);
                self.connecting_ca_file = Some((op, ca_file.clone()));
                self.send(Command::Connect {
                    op,
                    backend,
                    base_url,
                    key,
                    org_id,
                    ca_file,
                });
            }
            Action::ChooseCaFile => self.send(Command::dialog(crate::runtime::DialogRequest {
                purpose: FilePurpose::CaFile,
                title: crate::tr!("shell-ca-file-title"),
                default_name: String::new(),
                // Any file: authority files come as .pem, .crt, .cer or no extension at all.
                filters: &[],
                save: false,
            })),
            Action::PickProject(project) => self.pick_project(project),
            Action::AskSetActive { app_id, active } => {
                self.dialogs.confirm_activation = Some((app_id, active));
            }
            Action::DismissMessage => self.state.record(UserEvent::MessageDismissed),
            Action::UseLocalSandbox => {
                let op = OpId::next();
                self.state.record(UserEvent::ConnectStarted(op));
                self.dialogs.connecting(op);
                self.send(Command::UseLocalSandbox { op });
            }
            Action::SetDeadline(deadline) => self.backend.set_deadline(deadline),
            Action::SetLanguage(choice) => self.set_language_choice(choice),
        }
    }

    /// The selected app's edits that are not saved yet.
    pub(crate) fn unsaved_edits(&self) -> Option<details::Unsaved> {
        let app = self.state.selected_app()?;
        let busy = self.state.busy(&app.id);
        self.details.unsaved(app, &self.state.capabilities, busy)
    }

    /// Whether `action` takes the user away from the selected app's details (another app,
    /// tab, screen or workspace), where unsaved edits would be lost.
    fn leaves_details(&self, action: &Action) -> bool {
        let selected = self.state.selected.as_deref();
        match action {
            Action::Select(id) | Action::OpenApp(id) => Some(id.as_str()) != selected,
            Action::ShowDetailsTab(_)
            | Action::OpenWorkflow { .. }
            | Action::Connect { .. }
            | Action::UseLocalSandbox
            | Action::PickProject(_) => true,
            Action::Command(command) => matches!(
                command,
                UiCommand::ImportCsv
                    | UiCommand::OpenSelectedWorkflow
                    | UiCommand::ShowActivity
                    | UiCommand::PreviousApp
                    | UiCommand::NextApp
                    | UiCommand::PageUpApps
                    | UiCommand::PageDownApps
                    | UiCommand::FirstApp
                    | UiCommand::LastApp
                    | UiCommand::Quit
            ),
            _ => false,
        }
    }

    /// Saves or discards the edits, then goes where the user was going; or stays.
    fn answer_unsaved(&mut self, answer: action::UnsavedAnswer, ctx: &egui::Context) {
        let unsaved = self.dialogs.unsaved.take();
        let leaving = self.leaving.take();
        match answer {
            action::UnsavedAnswer::KeepEditing => return,
            action::UnsavedAnswer::Discard => self.details.discard(),
            action::UnsavedAnswer::Save => {
                let Some(unsaved) = unsaved else { return };
                // The question listed the changes (and said when the workspace is
                // production), so it is their confirmation.
                self.details.mark_sent(&unsaved.writes);
                for write in unsaved.writes {
                    self.send_write(write);
                }
            }
        }
        match leaving {
            Some(Leave::Action(action)) => self.handle(action, ctx),
            Some(Leave::CloseWindow) => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            None => {}
        }
    }

    /// The window's close button with unsaved edits: keep the window and ask.
    pub(super) fn ask_before_closing(&mut self) -> bool {
        if self.close_confirmed {
            return false;
        }
        // Already asking: the window stays until the question is answered.
        if self.dialogs.unsaved.is_some() {
            self.leaving = Some(Leave::CloseWindow);
            return true;
        }
        match self.unsaved_edits() {
            Some(unsaved) => {
                self.dialogs.unsaved = Some(unsaved);
                self.leaving = Some(Leave::CloseWindow);
                true
            }
            None => false,
        }
    }

    /// Sends a write, after a confirmation when the workspace is production. The rotate
    /// dialogs are their own confirmation, in production too.
    fn write(&mut self, write: Write) {
        let production = crate::ops::confirmation(&self.state.connection).is_needed();
        let confirmed = matches!(
            write,
            Write::RotateSecret { .. }
                | Write::RotateWebhookSecret { .. }
                | Write::DeleteKey { .. }
        );
        if production && !confirmed {
            self.dialogs.confirm_write = Some(write);
        } else {
            self.send_write(write);
        }
    }

    /// Sends a write under a new id, so its failure, its Retry and its app's busy state are
    /// its own.
    pub(crate) fn send_write(&mut self, write: Write) -> OpId {
        let op = OpId::next();
        if matches!(write, Write::CreateApp { .. }) {
            self.dialogs.create_sent(op);
        }
        self.state.record(UserEvent::WriteSent {
            op,
            write: write.clone(),
        });
        // A key is added with its file, whose place the save dialog gave.
        if matches!(write, Write::AddKey { .. }) {
            if let Some(path) = self.pending_key.take().and_then(|p| p.path) {
                self.send(Command::AddKeyToFile { op, write, path });
            }
            return op;
        }
        self.send(Command::Write { op, write });
        op
    }

    /// Opens the import wizard, on `path` when a file was dropped or given.
    pub fn open_import(&mut self, path: Option<std::path::PathBuf>) {
        if self.view.import().is_some_and(ImportWizard::is_running) {
            return;
        }
        let mut wizard = ImportWizard::new()
            .with_run_options(self.import_options.clone())
            .with_capabilities(self.state.capabilities);
        if let Some(path) = path {
            let commands = wizard.open_path(path);
            self.send_all(commands);
        }
        self.view = View::Import(Box::new(wizard));
    }

    fn open_workflow(&mut self, client_id: &str, index: Option<usize>) {
        if !self.state.capabilities.workflows {
            return;
        }
        if let Some(app) = self.state.app(client_id).and_then(|a| a.oidc.as_deref()) {
            let mut view = WorkflowView::new(app);
            if let Some(index) = index {
                view.select_workflow(index);
            }
            // A graph opens from the list; a running import is never replaced.
            if !self.view.import().is_some_and(ImportWizard::is_running) {
                self.view = View::Workflow(Box::new(view));
            }
        }
    }

    /// Esc: leaves the import (asking first when that would lose something) or the graph.
    fn close_view(&mut self) {
        if self.view.close_activity() {
            return;
        }
        // Esc in the graph closes the simulator before the graph.
        if self.view.workflow_mut().is_some_and(|w| w.close_panel()) {
            return;
        }
        match self.view.import_mut() {
            Some(wizard) => {
                if wizard.request_close() {
                    self.view = View::Apps;
                }
            }
            None => self.view.close_base(),
        }
    }

    /// Clears what belonged to the previous workspace and loads the new one's apps.
    fn start_over(&mut self, key_storage: Option<crate::settings::KeyStorage>) {
        self.state.record(UserEvent::Switched {
            connection: self.backend.info().clone(),
            capabilities: self.backend.workspace().capabilities(),
            key_storage,
        });
        self.list = AppsListView::default();
        self.details = DetailsView::default();
        self.dialogs.close_connect();
        // A graph belongs to the workspace left; an import reports to its own journal.
        if self.view.workflow().is_some() {
            self.view.close_base();
        }
        self.refresh();
    }

    /// Loads the apps again (where apps live in projects and none is picked: the projects
    /// first).
    fn refresh(&mut self) {
        if self.state.loading() {
            return;
        }
        let op = OpId::next();
        self.state.record(UserEvent::LoadStarted(op));
        let needs_project = self.state.capabilities.scopes && self.backend.project().is_none();
        self.send(if needs_project {
            Command::LoadProjects { op }
        } else {
            Command::LoadApps { op }
        });
    }

    /// A file dropped on the window opens the import wizard on it.
    fn drop_files(&mut self, ctx: &egui::Context) {
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
    }

    /// Copies non-secret text through egui's clipboard and confirms it briefly.
    fn copy_plain(&mut self, ctx: &egui::Context, text: String, confirmation: String) {
        ctx.copy_text(text);
        let now = ctx.input(|i| i.time);
        self.toast = Some((confirmation, now + 2.0));
    }

    /// The confirmation still to show, if any.
    fn live_toast(&mut self, ui: &egui::Ui) -> Option<String> {
        let now = ui.input(|i| i.time);
        // A confirmation set outside a frame starts its 4 seconds at the next one.
        if std::mem::take(&mut self.toast_pending)
            && let Some((_, until)) = &mut self.toast
        {
            *until = now + 4.0;
        }
        if self.toast.as_ref().is_some_and(|(_, until)| now >= *until) {
            self.toast = None;
        }
        self.toast.as_ref().map(|(text, _)| text.clone())
    }
}

const EXPORT_CSV: &[crate::runtime::FileFilter] = &[crate::runtime::FileFilter {
    name: "CSV files",
    extensions: &["csv"],
}];
const EXPORT_JSON: &[crate::runtime::FileFilter] = &[crate::runtime::FileFilter {
    name: "JSON",
    extensions: &["json"],
}];

fn is_import_file(purpose: FilePurpose) -> bool {
    matches!(
        purpose,
        FilePurpose::ImportCsv
            | FilePurpose::ImportTemplate
            | FilePurpose::ImportRowsToFix
            | FilePurpose::ImportResults
            | FilePurpose::ImportSecrets
    )
}

impl Drop for ConsoleApp {
    fn drop(&mut self) {
        // On exit, leave no secret behind on the clipboard.
        self.clipboard.clear_now();
    }
}
