//! The connection dialog: pick Hopae's sandbox, production or another address, paste an API key,
//! or go back to the local sandbox.

use super::state::{AppState, ConnectDialog, Preset};
use super::theme::Tokens;
use crate::api::{HOPAE_PRODUCTION_URL, HOPAE_SANDBOX_URL};
use crate::secret::Secret;

/// What the user chose in the dialog.
pub enum ConnectRequest {
    /// Check this address and key, then switch to it.
    Probe {
        base_url: String,
        key: Option<Secret>,
    },
    /// Back to the embedded sandbox with demo data.
    Local,
}

/// A dialog starting from the last workspace address used, or Hopae's sandbox.
pub fn open_dialog(last_base_url: Option<&str>) -> ConnectDialog {
    let base_url = last_base_url.unwrap_or(HOPAE_SANDBOX_URL).to_owned();
    ConnectDialog {
        preset: preset_of(&base_url),
        base_url,
        api_key: String::new(),
        pending: false,
        error: None,
    }
}

fn preset_of(base_url: &str) -> Preset {
    match base_url.trim().trim_end_matches('/') {
        HOPAE_SANDBOX_URL => Preset::HopaeSandbox,
        HOPAE_PRODUCTION_URL => Preset::HopaeProduction,
        _ => Preset::Custom,
    }
}

/// Draws the dialog; returns the user's choice once it is made.
pub fn connect_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    tokens: &Tokens,
) -> Option<ConnectRequest> {
    let dialog = state.connect.as_mut()?;
    // Read only while the dialog is open, not on every frame of the console.
    let env_key_set = crate::settings::env_api_key().is_some();
    let mut request = None;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("connect_dialog")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Connect to a workspace");
        ui.add_space(6.0);
        ui.add_enabled_ui(!dialog.pending, |ui| {
            fields_ui(ui, dialog, tokens, env_key_set);
        });
        if let Some(error) = &dialog.error {
            ui.add_space(4.0);
            super::dialogs::error_ui(ui, error, tokens);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            let connect = ui.add_enabled(!dialog.pending, egui::Button::new("Connect"));
            if (connect.clicked() || enter) && !dialog.pending {
                dialog.pending = true;
                dialog.error = None;
                let key = Some(Secret::new(dialog.api_key.trim())).filter(|k| !k.is_empty());
                request = Some(ConnectRequest::Probe {
                    base_url: dialog.base_url.trim().to_owned(),
                    key,
                });
            }
            if ui
                .add_enabled(!dialog.pending, egui::Button::new("Use local sandbox"))
                .on_hover_text("Go back to the demo data on this computer")
                .clicked()
            {
                request = Some(ConnectRequest::Local);
            }
            close |= super::dialogs::cancel_and_progress(ui, dialog.pending, "Checking the key…");
        });
    });
    if (close || modal.should_close()) && !dialog.pending {
        state.connect = None;
    }
    request
}

fn fields_ui(ui: &mut egui::Ui, dialog: &mut ConnectDialog, tokens: &Tokens, env_key_set: bool) {
    egui::Grid::new("connect_fields")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("Workspace");
            ui.horizontal(|ui| {
                for (preset, label, url) in [
                    (Preset::HopaeSandbox, "Hopae sandbox", HOPAE_SANDBOX_URL),
                    (Preset::HopaeProduction, "Production", HOPAE_PRODUCTION_URL),
                    (Preset::Custom, "Other address", ""),
                ] {
                    if ui
                        .selectable_value(&mut dialog.preset, preset, label)
                        .clicked()
                        && !url.is_empty()
                    {
                        dialog.base_url = url.to_owned();
                    }
                }
            });
            ui.end_row();

            let label = ui.label("Address");
            ui.add_enabled(
                dialog.preset == Preset::Custom,
                egui::TextEdit::singleline(&mut dialog.base_url)
                    .hint_text("https://…/connect/v1")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("API key");
            ui.vertical(|ui| {
                ui.add_enabled(
                    !env_key_set,
                    egui::TextEdit::singleline(&mut dialog.api_key)
                        .password(true)
                        .hint_text("sk_workspace_test_… or sk_workspace_prod_…")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                ui.weak(if env_key_set {
                    "CONNECT_API_KEY is set: its key is used and nothing is stored."
                } else {
                    "Kept in the system keyring, never in a file. Leave empty to use the key already saved for this address."
                });
            });
            ui.end_row();
        });
    let production = dialog.preset == Preset::HopaeProduction
        || dialog.api_key.trim().starts_with("sk_workspace_prod_");
    if production {
        ui.add_space(4.0);
        ui.colored_label(
            tokens.error,
            "Production: changes affect real customers. Every change will ask for confirmation.",
        );
    }
}
