//! Modal dialogs: create app, the once-only secret, rotate confirmation, and the shortcut overlay.

use std::time::{Duration, Instant};

use super::state::{AppState, CreateDialog, SecretReason};
use super::theme::Tokens;
use crate::api::{new_idempotency_key, validate_app_name};
use crate::clipboard::SecretClipboard;
use crate::runtime::Command;

/// The clipboard is cleared this long after a secret was copied (if it still holds it).
pub const CLIPBOARD_CLEAR_AFTER: Duration = Duration::from_secs(30);

pub fn new_create_dialog() -> CreateDialog {
    CreateDialog {
        name: String::new(),
        idempotency_key: new_idempotency_key(),
        key_for_name: String::new(),
        pending: false,
        error: None,
    }
}

/// The create dialog; returns the command to send when the user submits.
pub fn create_ui(ctx: &egui::Context, state: &mut AppState, tokens: &Tokens) -> Option<Command> {
    let dialog = state.create.as_mut()?;
    let mut command = None;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("create_app")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Create app");
        ui.add_space(6.0);
        let label = ui.label("App name");
        let edit = ui
            .add_enabled(
                !dialog.pending,
                egui::TextEdit::singleline(&mut dialog.name)
                    .hint_text("e.g. Acme Bank onboarding")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if !dialog.pending && dialog.name.is_empty() {
            edit.request_focus();
        }
        let check = validate_app_name(&dialog.name);
        if let (Err(problem), false) = (&check, dialog.name.is_empty()) {
            ui.colored_label(tokens.error, problem);
        }
        if let Some(error) = &dialog.error {
            error_ui(ui, error, tokens);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            let create = ui.add_enabled(
                check.is_ok() && !dialog.pending,
                egui::Button::new("Create"),
            );
            if (create.clicked() || enter)
                && !dialog.pending
                && let Ok(name) = check
            {
                // A changed name is a new action and gets a new key; a retry keeps the old one.
                if dialog.key_for_name != name {
                    if !dialog.key_for_name.is_empty() {
                        dialog.idempotency_key = new_idempotency_key();
                    }
                    dialog.key_for_name.clone_from(&name);
                }
                dialog.pending = true;
                dialog.error = None;
                command = Some(Command::CreateApp {
                    name,
                    idempotency_key: dialog.idempotency_key.clone(),
                });
            }
            close |= cancel_and_progress(ui, dialog.pending, "Creating…");
        });
    });
    if (close || modal.should_close()) && !dialog.pending {
        state.create = None;
    }
    command
}

/// The once-only secret dialog. It closes only after "I have stored this secret safely" is ticked.
pub fn secret_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    clipboard: &mut dyn SecretClipboard,
    tokens: &Tokens,
) {
    let Some(dialog) = state.secret.as_mut() else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("secret_once")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(match dialog.reason {
            SecretReason::Created => "App created: copy its client secret",
            SecretReason::Rotated => "New client secret",
        });
        ui.label(format!("{} · {}", dialog.app_name, dialog.client_id));
        ui.add_space(6.0);
        ui.colored_label(
            tokens.warning,
            "This secret is shown only once. Store it now (for example in a password manager); it cannot be displayed again.",
        );
        ui.add_space(6.0);
        // A read-only view of the secret itself: no extra, un-zeroized copy per frame.
        let mut shown: &str = dialog.secret.expose();
        ui.add(egui::TextEdit::singleline(&mut shown).font(egui::TextStyle::Monospace).desired_width(f32::INFINITY));
        ui.horizontal(|ui| {
            let copied = dialog.copied_at.is_some();
            let label = if copied { "Copied" } else { "Copy secret" };
            if ui.add_enabled(!copied, egui::Button::new(label)).clicked() {
                match clipboard.copy_sensitive(dialog.secret.expose()) {
                    Ok(()) => dialog.copied_at = Some(Instant::now()),
                    Err(e) => dialog.copy_error = Some(e),
                }
            }
            if let Some(at) = dialog.copied_at {
                let left = CLIPBOARD_CLEAR_AFTER.saturating_sub(at.elapsed()).as_secs();
                if left > 0 {
                    ui.weak(format!("The clipboard will be cleared in {left} s"));
                } else {
                    ui.weak("The clipboard was cleared");
                }
            }
        });
        if let Some(error) = &dialog.copy_error {
            ui.colored_label(tokens.error, error);
        }
        ui.add_space(6.0);
        ui.checkbox(&mut dialog.acknowledged, "I have stored this secret safely");
        ui.add_space(6.0);
        if ui.add_enabled(dialog.acknowledged, egui::Button::new("Done")).clicked() {
            close = true;
        }
        if !dialog.acknowledged {
            ui.weak("Tick the box above to close this dialog.");
        }
    });
    // Esc and clicks outside do nothing until the box is ticked.
    if close {
        clear_clipboard_if_secret(state, clipboard);
        state.secret = None; // drops and zeroizes the secret
    }
}

/// Clears the clipboard if it still holds the shown secret (and only then).
pub fn clear_clipboard_if_secret(state: &AppState, clipboard: &mut dyn SecretClipboard) {
    let Some(dialog) = &state.secret else { return };
    if dialog.copied_at.is_some() && clipboard.read().as_deref() == Some(dialog.secret.expose()) {
        clipboard.clear();
    }
}

/// Clears the clipboard once the timeout has passed.
pub fn expire_clipboard(
    state: &mut AppState,
    clipboard: &mut dyn SecretClipboard,
    ctx: &egui::Context,
) {
    let Some(at) = state.secret.as_ref().and_then(|d| d.copied_at) else {
        return;
    };
    if at.elapsed() >= CLIPBOARD_CLEAR_AFTER {
        clear_clipboard_if_secret(state, clipboard);
    } else {
        // Keep the countdown moving.
        ctx.request_repaint_after(Duration::from_millis(500));
    }
}

/// Asks before rotating; returns the command when confirmed.
pub fn confirm_rotate_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    tokens: &Tokens,
) -> Option<Command> {
    let client_id = state.confirm_rotate.clone()?;
    let mut command = None;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("confirm_rotate")).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.heading("Rotate client secret?");
        ui.add_space(6.0);
        ui.colored_label(
            tokens.warning,
            format!("The current secret of {client_id} stops working immediately. Every system that uses it must be updated with the new one."),
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Rotate secret").clicked() {
                command = Some(Command::RotateSecret { client_id: client_id.clone(), idempotency_key: new_idempotency_key() });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    // The shell marks the app busy when it sends the command, as for every other write.
    if close || modal.should_close() {
        state.confirm_rotate = None;
    }
    command
}

/// The "?" overlay listing the keyboard shortcuts.
pub fn shortcuts_ui(ctx: &egui::Context, open: &mut bool) {
    if !*open {
        return;
    }
    let modal = egui::Modal::new(egui::Id::unique("shortcuts")).show(ctx, |ui| {
        ui.heading("Keyboard shortcuts");
        egui::Grid::new("shortcut_grid")
            .num_columns(2)
            .spacing([24.0, 6.0])
            .show(ui, |ui| {
                for (keys, what) in [
                    ("Ctrl+N", "Create app"),
                    ("Ctrl+F", "Search apps"),
                    (
                        "Ctrl+I",
                        "Import apps from a CSV file (or drop the file on the window)",
                    ),
                    ("F5", "Refresh the list"),
                    ("Esc", "Close a dialog or the workflow graph"),
                    ("+ / -", "Zoom the workflow graph in or out"),
                    ("0 or F", "Fit the workflow graph to the window"),
                    ("?", "Show this list"),
                    ("Ctrl+Q", "Quit"),
                ] {
                    ui.monospace(keys);
                    ui.label(what);
                    ui.end_row();
                }
            });
        if ui.button("Close").clicked() {
            *open = false;
        }
    });
    if modal.should_close() {
        *open = false;
    }
}

/// The user's answer to a production confirmation.
pub enum Confirmation {
    Confirmed(Command),
    Cancelled(Command),
}

/// Asks before a write to a production workspace.
pub fn confirm_write_ui(
    ctx: &egui::Context,
    state: &mut AppState,
    tokens: &Tokens,
) -> Option<Confirmation> {
    let pending = state.confirm_write.as_ref()?;
    let mut confirmed = false;
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("confirm_production_write")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading("Change a production app?");
        ui.add_space(6.0);
        ui.label(&pending.summary);
        ui.colored_label(
            tokens.error,
            "This workspace is production: the change reaches real customers at once.",
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Yes, make this change").clicked() {
                confirmed = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if confirmed {
        return state
            .confirm_write
            .take()
            .map(|p| Confirmation::Confirmed(p.command));
    }
    if close || modal.should_close() {
        return state
            .confirm_write
            .take()
            .map(|p| Confirmation::Cancelled(p.command));
    }
    None
}

/// A dialog's Cancel button (off while waiting) and, while waiting, a spinner saying what for.
/// Returns true when Cancel was clicked.
pub fn cancel_and_progress(ui: &mut egui::Ui, pending: bool, waiting_for: &str) -> bool {
    let cancel = ui
        .add_enabled(!pending, egui::Button::new("Cancel"))
        .clicked();
    if pending {
        ui.spinner();
        ui.label(waiting_for);
    }
    cancel
}

/// A failure inside a dialog: the sentence with its next step, and the request id for support.
pub fn error_ui(ui: &mut egui::Ui, error: &crate::api::ApiError, tokens: &Tokens) {
    ui.colored_label(tokens.error, error.user_message());
    if let Some(id) = &error.request_id {
        ui.weak(format!("Request id {id}"));
    }
}
