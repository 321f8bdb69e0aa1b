//! Modal dialogs: create app, the once-only secret, rotate and production confirmations, the
//! connection dialog, the shortcut overlay and the command palette. Each lives in `Dialogs`
//! only while open; what it is waiting for is read from `AppState`, never written to it.

use std::time::Duration;

use super::action::Action;
use super::command::{CommandContext, UiCommand};
use super::connect::ConnectDialog;
use super::palette::{Palette, PaletteItem, PaletteOutcome};
use super::state::{AppState, OpState, SecretReason};
use super::theme::Tokens;
use super::waiting::cancel_ui;
use super::widgets::UiExt as _;
use crate::api::new_idempotency_key;
use crate::backends::AuthMethod;
use crate::clipboard::SecretClipboard;
use crate::runtime::{OpId, Write};

/// The clipboard is cleared this long after a secret was last copied (if it still holds it).
pub const CLIPBOARD_CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The "create app" dialog while it is open.
#[derive(Debug)]
pub struct CreateDialog {
    pub name: String,
    /// One key per user action: a retry of the same name reuses it, so nothing is created twice.
    idempotency_key: String,
    key_for_name: String,
    /// Where apps choose: how the new app authenticates; asked, never assumed.
    pub auth_method: Option<AuthMethod>,
    /// The create sent from this dialog.
    op: Option<OpId>,
}

impl CreateDialog {
    fn new() -> Self {
        Self {
            name: String::new(),
            idempotency_key: new_idempotency_key(),
            key_for_name: String::new(),
            auth_method: None,
            op: None,
        }
    }
}

/// Which secret of an app a rotation replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// The OIDC client secret.
    Client,
    /// The webhook signing secret.
    Webhook,
}

/// The dialogs that are open.
#[derive(Default)]
pub struct Dialogs {
    pub create: Option<CreateDialog>,
    /// The app, and which of its secrets, whose rotation awaits confirmation.
    pub confirm_rotate: Option<(String, SecretKind)>,
    /// A write to a production workspace, waiting for the user's yes.
    pub confirm_write: Option<Write>,
    /// An app to deactivate (`false`) or reactivate, waiting for the user's yes.
    pub confirm_activation: Option<(String, bool)>,
    /// Asks before deleting a key: (app id, key id).
    pub confirm_delete_key: Option<(String, String)>,
    pub connect: Option<ConnectDialog>,
    pub shortcuts: bool,
    pub palette: Option<Palette>,
}

impl Dialogs {
    /// True while any modal dialog is open (keyboard shortcuts then do nothing).
    pub fn any_open(&self, state: &AppState) -> bool {
        self.create.is_some()
            || state.secret.is_some()
            || self.confirm_rotate.is_some()
            || self.confirm_write.is_some()
            || self.confirm_activation.is_some()
            || self.confirm_delete_key.is_some()
            || self.connect.is_some()
            || self.shortcuts
            || self.palette.is_some()
    }

    pub fn open_create(&mut self) {
        self.create = Some(CreateDialog::new());
    }

    pub fn open_palette(&mut self) {
        self.palette = Some(Palette::default());
    }

    pub fn open_connect(
        &mut self,
        last_base_url: Option<&str>,
        deadline: Duration,
        ca_files: crate::settings::CaFiles,
    ) {
        self.connect = Some(ConnectDialog::open(last_base_url, deadline, ca_files));
    }

    pub fn close_connect(&mut self) {
        self.connect = None;
    }

    /// The connection check `op` was sent from the dialog.
    pub fn connecting(&mut self, op: OpId) {
        if let Some(dialog) = &mut self.connect {
            dialog.op = Some(op);
        }
    }

    /// The create `op` was sent from the create dialog.
    pub fn create_sent(&mut self, op: OpId) {
        if let Some(dialog) = &mut self.create {
            dialog.op = Some(op);
        }
    }

    /// A failure an open dialog shows itself, so the notice bar does not repeat it.
    pub fn op_shown_in_dialog(&self) -> Option<OpId> {
        self.create.as_ref().and_then(|d| d.op)
    }

    /// Draws the open dialogs; returns what the user asked for.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        context: &CommandContext,
        tokens: &Tokens,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        self.create_ui(ctx, state, &mut actions);
        self.confirm_rotate_ui(ctx, state, tokens, &mut actions);
        self.confirm_write_ui(ctx, state, tokens, &mut actions);
        self.confirm_activation_ui(ctx, state, tokens, &mut actions);
        self.confirm_delete_key_ui(ctx, state, tokens, &mut actions);
        if let Some(dialog) = &mut self.connect {
            let (close, chosen) = dialog.ui(ctx, state, tokens);
            actions.extend(chosen);
            if close {
                self.connect = None;
            }
        }
        secret_ui(ctx, state, tokens, &mut actions);
        if self.shortcuts {
            self.shortcuts = shortcuts_ui(ctx, context);
        }
        if let Some(palette) = &mut self.palette {
            match palette.ui(ctx, state, context) {
                Some(PaletteOutcome::Run(item)) => {
                    self.palette = None;
                    actions.push(match item {
                        PaletteItem::Command(command) => Action::Command(command),
                        PaletteItem::App { client_id, .. } => Action::OpenApp(client_id),
                    });
                }
                Some(PaletteOutcome::Close) => self.palette = None,
                None => {}
            }
        }
        actions
    }

    fn create_ui(&mut self, ctx: &egui::Context, state: &AppState, actions: &mut Vec<Action>) {
        let Some(dialog) = &mut self.create else {
            return;
        };
        let sent = dialog.op.and_then(|op| state.ops.get(&op));
        let pending = sent.is_some_and(|s| matches!(s.state, OpState::InFlight));
        let error = sent.and_then(|s| match &s.state {
            OpState::Failed { error, .. } => Some(error),
            OpState::InFlight => None,
        });
        // Sent and no longer in flight or failed: it was created.
        if dialog.op.is_some() && sent.is_none() {
            self.create = None;
            return;
        }
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("create_app")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Create app");
            ui.add_space(6.0);
            let label = ui.label("App name");
            let edit = ui
                .add_enabled(
                    !pending,
                    egui::TextEdit::singleline(&mut dialog.name)
                        .hint_text("e.g. Acme Bank onboarding")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if !pending && dialog.name.is_empty() {
                edit.request_focus();
            }
            let caps = state.capabilities;
            let check = caps.check_name(&dialog.name).and_then(|name| {
                // Where names are unique, say so before sending.
                if !caps.duplicate_names && state.apps.iter().any(|a| a.name == name) {
                    Err("An app with this name already exists here; choose another name".to_owned())
                } else {
                    Ok(name)
                }
            });
            if let (Err(problem), false) = (&check, dialog.name.is_empty()) {
                ui.error_label(problem);
            }
            if caps.auth_methods {
                ui.add_space(6.0);
                ui.label("How the app authenticates");
                ui.radio_value(
                    &mut dialog.auth_method,
                    Some(AuthMethod::Basic),
                    "Basic: a client id and a secret (shown once)",
                );
                ui.radio_value(
                    &mut dialog.auth_method,
                    Some(AuthMethod::PrivateKeyJwt),
                    "Private key JWT: signs with keys, no secret",
                );
            }
            let ready = check.is_ok() && (!caps.auth_methods || dialog.auth_method.is_some());
            if let Some(error) = error {
                ui.api_error(error);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
                let create = ui.add_enabled(ready && !pending, egui::Button::new("Create"));
                if (create.clicked() || enter)
                    && !pending
                    && ready
                    && let Ok(name) = check
                {
                    actions.extend(submit_create(dialog, name));
                }
                let in_flight = dialog.op.filter(|_| pending);
                let (cancel, stop) = cancel_ui(ui, state, in_flight, "Creating…");
                close |= cancel;
                actions.extend(stop);
            });
        });
        if (close || modal.should_close()) && !pending {
            if let Some(op) = self.create.as_ref().and_then(|d| d.op) {
                actions.push(Action::Dismiss(op));
            }
            self.create = None;
        }
    }

    fn confirm_rotate_ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        tokens: &Tokens,
        actions: &mut Vec<Action>,
    ) {
        let Some((client_id, kind)) = self.confirm_rotate.clone() else {
            return;
        };
        // People know their apps by name; the id tells apart two of the same name.
        let app = match state.apps.iter().find(|a| a.id == client_id) {
            Some(app) => format!("\"{}\" ({})", app.name, app.client_id),
            None => client_id.clone(),
        };
        let (title, warning, button) = match kind {
            SecretKind::Client => (
                "Rotate client secret?",
                format!(
                    "The current secret of {app} stops working immediately. Every system that \
                     uses it must be updated with the new one."
                ),
                "Rotate secret",
            ),
            SecretKind::Webhook => (
                "Rotate webhook secret?",
                format!(
                    "Deliveries to the webhook of {app} will be signed with a new secret. The \
                     receiver must be updated with it, or it will refuse them."
                ),
                "Rotate webhook secret",
            ),
        };
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("confirm_rotate")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading(title);
            ui.add_space(6.0);
            ui.colored_label(tokens.warning, warning);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                // The destructive choice looks it: filled red, white text (4.5:1, see theme).
                let destructive = egui::Button::new(
                    egui::RichText::new(button).color(tokens.production_banner_text),
                )
                .fill(tokens.production_banner);
                if ui.add(destructive).clicked() {
                    let idempotency_key = new_idempotency_key();
                    actions.push(Action::Write(match kind {
                        SecretKind::Client => Write::RotateSecret {
                            id: client_id.clone(),
                            idempotency_key,
                        },
                        SecretKind::Webhook => Write::RotateWebhookSecret {
                            id: client_id.clone(),
                            idempotency_key,
                        },
                    }));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
        if close || modal.should_close() {
            self.confirm_rotate = None;
        }
    }

    /// Asks before a write to a production workspace.
    fn confirm_write_ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        tokens: &Tokens,
        actions: &mut Vec<Action>,
    ) {
        let Some(write) = &self.confirm_write else {
            return;
        };
        let yes = egui::Button::new("Yes, make this change");
        let answer = ask(
            ctx,
            "confirm_production_write",
            "Change a production app?",
            yes,
            |ui| {
                ui.add_space(6.0);
                ui.label(write.summary(write.app().and_then(|id| state.app_name(id))));
                ui.colored_label(
                    tokens.error,
                    "This workspace is production: the change reaches real customers at once.",
                );
            },
        );
        match answer {
            Some(true) => {
                if let Some(write) = self.confirm_write.take() {
                    // Sent as confirmed: the shell does not ask a second time.
                    actions.push(Action::ConfirmedWrite(write));
                }
            }
            Some(false) => self.confirm_write = None,
            None => {}
        }
    }
}

impl Dialogs {
    /// Asks before deleting a key, naming what stops working.
    fn confirm_delete_key_ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        tokens: &Tokens,
        actions: &mut Vec<Action>,
    ) {
        let Some((app_id, key_id)) = self.confirm_delete_key.clone() else {
            return;
        };
        let name = state.app_name(&app_id).unwrap_or(&app_id).to_owned();
        let delete =
            egui::Button::new(egui::RichText::new("Delete key").color(egui::Color32::WHITE))
                .fill(tokens.error);
        let answer = ask(
            ctx,
            "confirm_delete_key",
            "Delete this key?",
            delete,
            |ui| {
                ui.colored_label(
                    tokens.error,
                    format!(
                        "Key {key_id} of \"{name}\" stops working at once: whatever signs in with \
                     it is refused. This cannot be undone."
                    ),
                );
            },
        );
        if let Some(yes) = answer {
            self.confirm_delete_key = None;
            if yes {
                actions.push(Action::Write(Write::DeleteKey { id: app_id, key_id }));
            }
        }
    }

    /// Asks before deactivating or reactivating an app.
    fn confirm_activation_ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        tokens: &Tokens,
        actions: &mut Vec<Action>,
    ) {
        let Some((app_id, active)) = self.confirm_activation.clone() else {
            return;
        };
        let name = state.app_name(&app_id).unwrap_or(&app_id).to_owned();
        let (heading, yes) = if active {
            ("Reactivate this app?", "Reactivate")
        } else {
            ("Deactivate this app?", "Deactivate")
        };
        let answer = ask(
            ctx,
            "confirm_activation",
            heading,
            egui::Button::new(yes),
            |ui| {
                if active {
                    ui.label(format!("\"{name}\" will accept logins again."));
                } else {
                    ui.colored_label(
                        tokens.warning,
                        format!(
                            "\"{name}\" stops accepting logins at once, until it is reactivated. \
                         Its settings and secret are kept."
                        ),
                    );
                }
            },
        );
        if let Some(yes) = answer {
            self.confirm_activation = None;
            if yes {
                actions.push(Action::Write(Write::SetActive { id: app_id, active }));
            }
        }
    }
}

/// The create dialog's Create: the same name retries the failed create with the same key;
/// a changed name is a new action with a new key.
fn submit_create(dialog: &mut CreateDialog, name: String) -> Vec<Action> {
    let mut actions = Vec::new();
    if dialog.key_for_name == name
        && let Some(op) = dialog.op
    {
        actions.push(Action::Retry(op));
        return actions;
    }
    if let Some(op) = dialog.op.take() {
        actions.push(Action::Dismiss(op));
    }
    if !dialog.key_for_name.is_empty() {
        dialog.idempotency_key = new_idempotency_key();
    }
    dialog.key_for_name.clone_from(&name);
    actions.push(Action::Write(Write::CreateApp {
        name,
        idempotency_key: dialog.idempotency_key.clone(),
        auth_method: dialog.auth_method,
    }));
    actions
}

/// The once-only secret. It is drawn as plain text that cannot be selected: copying goes only
/// through "Copy secret", which may copy again while the dialog is open (each copy restarts
/// the clipboard's countdown). It closes only after "I have stored this secret safely".
fn secret_ui(ctx: &egui::Context, state: &AppState, tokens: &Tokens, actions: &mut Vec<Action>) {
    let Some(dialog) = &state.secret else {
        return;
    };
    egui::Modal::new(egui::Id::unique("secret_once")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(match dialog.reason {
            SecretReason::Created => "App created: copy its client secret",
            SecretReason::Rotated => "New client secret",
            SecretReason::WebhookRotated => "New webhook signing secret",
        });
        ui.label(format!("{} · {}", dialog.app_name, dialog.client_id));
        ui.add_space(6.0);
        ui.colored_label(
            tokens.warning,
            "This secret is shown only once. Store it now (for example in a password manager); \
             it cannot be displayed again.",
        );
        ui.add_space(6.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.add(
                egui::Label::new(egui::RichText::new(dialog.secret.expose()).monospace())
                    .selectable(false)
                    .wrap(),
            );
        });
        ui.horizontal(|ui| {
            let label = if dialog.copied_at.is_some() {
                "Copy again"
            } else {
                "Copy secret"
            };
            if ui.button(label).clicked() {
                actions.push(Action::SecretCopy);
            }
            if let Some(at) = dialog.copied_at {
                let left = CLIPBOARD_CLEAR_AFTER.saturating_sub(at.elapsed()).as_secs();
                if left > 0 {
                    ui.weak(format!("Copied. The clipboard will be cleared in {left} s"));
                } else {
                    ui.weak("The clipboard was cleared");
                }
            }
        });
        if let Some(error) = &dialog.copy_error {
            ui.error_label(error);
        }
        ui.add_space(6.0);
        let mut acknowledged = dialog.acknowledged;
        if ui
            .checkbox(&mut acknowledged, "I have stored this secret safely")
            .changed()
        {
            actions.push(Action::SecretAcknowledge(acknowledged));
        }
        ui.add_space(6.0);
        if ui
            .add_enabled(dialog.acknowledged, egui::Button::new("Done"))
            .clicked()
        {
            actions.push(Action::SecretClose);
        }
        if !dialog.acknowledged {
            ui.weak("Tick the box above to close this dialog.");
        }
    });
    // Esc and clicks outside do nothing: only "Done", after the box is ticked, closes it.
}

/// Clears the clipboard if it still holds the shown secret (and only then).
pub fn clear_clipboard_if_secret(state: &AppState, clipboard: &mut dyn SecretClipboard) {
    let Some(dialog) = &state.secret else { return };
    if dialog.copied_at.is_some() && clipboard.read().as_deref() == Some(dialog.secret.expose()) {
        clipboard.clear();
    }
}

/// Clears the clipboard once the countdown since the last copy has passed.
pub fn expire_clipboard(
    state: &AppState,
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

/// The shortcut overlay, listing every command that has a key; returns whether it stays open.
fn shortcuts_ui(ctx: &egui::Context, context: &CommandContext) -> bool {
    let mut open = true;
    let modal = egui::Modal::new(egui::Id::unique("shortcuts")).show(ctx, |ui| {
        ui.heading("Keyboard shortcuts");
        egui::Grid::new("shortcut_grid")
            .num_columns(2)
            .spacing([24.0, 6.0])
            .show(ui, |ui| {
                for command in UiCommand::ALL {
                    if command.shortcuts().is_empty() {
                        continue;
                    }
                    let keys: Vec<String> = command
                        .shortcuts()
                        .iter()
                        .map(|s| s.text(ui.ctx()))
                        .collect();
                    ui.monospace(keys.join(" or "));
                    ui.label(command.label(context));
                    ui.end_row();
                }
            });
        ui.weak("Keys without Ctrl do nothing while you type in a field.");
        if ui.button("Close").clicked() {
            open = false;
        }
    });
    open && !modal.should_close()
}

/// A modal question: `body` under `heading`, then `yes` and Cancel. `Some(true)` once `yes` is
/// clicked, `Some(false)` on Cancel, Escape or a click outside, `None` while it is open.
fn ask(
    ctx: &egui::Context,
    id: &str,
    heading: &str,
    yes: egui::Button<'_>,
    body: impl FnOnce(&mut egui::Ui),
) -> Option<bool> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(heading);
        body(ui);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.add(yes).clicked() {
                answer = Some(true);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}
