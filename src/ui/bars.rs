//! The bars around the list: the environment banner and toolbar, the status line, and the notice of a failed action.

use super::state::LoadState;
use super::{ConsoleApp, connect, dialogs, theme};
use crate::api::Environment;

impl ConsoleApp {
    pub(super) fn banner_ui(&mut self, ui: &mut egui::Ui, tokens: &theme::Tokens) {
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

    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui, tokens: &theme::Tokens) {
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

    pub(super) fn notice_ui(&mut self, ui: &mut egui::Ui, tokens: &theme::Tokens) {
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
}
