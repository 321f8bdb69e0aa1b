//! egui views only. `ConsoleApp` is the shell: it drains events into `AppState`, routes keyboard
//! shortcuts, and lays out the banner, the apps table, the detail panel and the dialogs.

pub mod apps_list;
pub mod details;
pub mod dialogs;
pub mod file_dialog;
pub mod fonts;
pub mod import_wizard;
pub mod state;
pub mod theme;

use apps_list::AppsListView;
use details::{DetailsAction, DetailsView};
use state::{AppState, LoadState};

use crate::api::Environment;
use crate::clipboard::SecretClipboard;
use crate::runtime::{Backend, Command};

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
        }
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Applies every event that has arrived. Runs even while the window is hidden.
    pub fn logic(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.backend.try_recv() {
            self.state.apply(event);
        }
        dialogs::expire_clipboard(&mut self.state, self.clipboard.as_mut(), ctx);
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.logic(&ctx);
        let tokens = theme::tokens(ctx.global_style().visuals.dark_mode);
        self.shortcuts(&ctx);

        egui::Panel::top("banner").show(ui, |ui| self.banner_ui(ui, &tokens));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &tokens));
        if self.state.notice.is_some() {
            egui::Panel::top("notice").show(ui, |ui| self.notice_ui(ui, &tokens));
        }
        let mut action = None;
        egui::Panel::right("details")
            .resizable(true)
            .default_size(380.0)
            .min_size(300.0)
            .show(ui, |ui| {
                ui.add_space(8.0);
                action = self.details.ui(ui, &self.state, &tokens);
            });
        let mut copy = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(6.0);
            copy = self.list.ui(ui, &mut self.state, &tokens);
        });
        if let Some(id) = copy {
            self.copy_plain(&ctx, id, "Copied client id");
        }
        match action {
            Some(DetailsAction::Copy(id)) => self.copy_plain(&ctx, id, "Copied client id"),
            Some(DetailsAction::AskRotate { client_id }) => {
                self.state.confirm_rotate = Some(client_id)
            }
            Some(DetailsAction::Rename { client_id, name }) => {
                self.state.busy = Some(client_id.clone());
                self.backend.send(Command::RenameApp { client_id, name });
            }
            None => {}
        }

        if let Some(command) = dialogs::create_ui(&ctx, &mut self.state, &tokens) {
            self.backend.send(command);
        }
        if let Some(command) = dialogs::confirm_rotate_ui(&ctx, &mut self.state, &tokens) {
            self.backend.send(command);
        }
        dialogs::secret_ui(&ctx, &mut self.state, self.clipboard.as_mut(), &tokens);
        dialogs::shortcuts_ui(&ctx, &mut self.show_shortcuts);
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        if self.state.modal_open() {
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
            Environment::Local => (
                "Local sandbox - demo data".to_owned(),
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
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("?").on_hover_text("Keyboard shortcuts").clicked() {
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
            if ui.small_button("Dismiss").clicked() {
                dismiss = true;
            }
        });
        ui.add_space(4.0);
        if let Some(id) = copy {
            let ctx = ui.ctx().clone();
            self.copy_plain(&ctx, id, "Copied request id");
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
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        ConsoleApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ConsoleApp::ui(self, ui);
    }
}

/// Opens the console window on the embedded sandbox with demo data.
pub fn run_embedded() -> Result<(), String> {
    let backend = Backend::embedded_sandbox(crate::sandbox::SandboxConfig {
        port: 0,
        demo: true,
        ..Default::default()
    })?;
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Connect Console")
        .with_app_id("connect-console")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 560.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "connect-console",
        options,
        Box::new(move |cc| {
            fonts::install_cjk_fallback(&cc.egui_ctx);
            let clipboard = Box::new(crate::clipboard::SystemClipboard::new());
            Ok(Box::new(ConsoleApp::new(backend, clipboard, &cc.egui_ctx)))
        }),
    )
    .map_err(|e| format!("The window could not be opened: {e}"))
}
