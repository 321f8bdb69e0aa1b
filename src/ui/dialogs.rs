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
use crate::api::redirect_uris::validate_redirect_uris;
use crate::backends::AuthMethod;
use crate::clipboard::SECRET_KEPT_FOR;
use crate::runtime::{OpId, Write};

/// The "create app" dialog while it is open.
#[derive(Debug)]
pub struct CreateDialog {
    pub name: String,
    /// One key per user action: a retry of the same name reuses it, so nothing is created twice.
    idempotency_key: String,
    key_for_name: String,
    /// Where apps choose: how the new app authenticates; asked, never assumed.
    pub auth_method: Option<AuthMethod>,
    /// Where apps have them: the address users return to, optional.
    pub redirect_uri: String,
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
            redirect_uri: String::new(),
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
    /// Edits that leaving the app would lose, while the user decides.
    pub unsaved: Option<super::details::Unsaved>,
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
            || self.unsaved.is_some()
    }

    pub fn open_create(&mut self) {
        self.create = Some(CreateDialog::new());
    }

    /// Opens the palette, offering `extra` entries of the current screen besides commands.
    pub fn open_palette(&mut self, extra: Vec<(PaletteItem, String)>) {
        self.palette = Some(Palette::with_extra(extra));
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
        self.create_ui(ctx, state, tokens, &mut actions);
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
        if let Some(unsaved) = &self.unsaved {
            actions.extend(unsaved_ui(ctx, unsaved, state, tokens));
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
                        PaletteItem::Workflow { index } => Action::ShowWorkflow(index),
                    });
                }
                Some(PaletteOutcome::Close) => self.palette = None,
                None => {}
            }
        }
        actions
    }

    fn create_ui(
        &mut self,
        ctx: &egui::Context,
        state: &AppState,
        tokens: &Tokens,
        actions: &mut Vec<Action>,
    ) {
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
            // One look through the apps per frame: refused where names are unique, a warning
            // where they may repeat.
            let mut taken = false;
            let check = caps.check_name(&dialog.name).and_then(|name| {
                taken = state.apps.iter().any(|a| a.name == name);
                if !caps.duplicate_names && taken {
                    Err("An app with this name already exists here; choose another name".to_owned())
                } else {
                    Ok(name)
                }
            });
            // Always one line under the name, so the dialog does not jump as the user types.
            match &check {
                Err(problem) if !dialog.name.is_empty() => ui.error_label(problem),
                Ok(_) if taken => ui.colored_label(
                    tokens.warning,
                    "Another app already has this name. You can still create this one, but an \
                     import treats rows with this name as that app.",
                ),
                _ => ui.weak(format!("Up to {} characters.", caps.max_name_chars)),
            };
            let uri_check = if caps.redirect_uris {
                ui.add_space(6.0);
                let label = ui.label("Redirect URI (optional)");
                ui.add_enabled(
                    !pending,
                    egui::TextEdit::singleline(&mut dialog.redirect_uri)
                        .hint_text("https://example.com/callback")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                let trimmed = dialog.redirect_uri.trim();
                let check = if trimmed.is_empty() {
                    Ok(Vec::new())
                } else {
                    validate_redirect_uris(&[trimmed])
                        .map_err(|p| p.first().map(|p| p.problem.clone()).unwrap_or_default())
                };
                match &check {
                    Err(problem) => ui.error_label(problem),
                    Ok(_) => ui.weak(
                        "Where users return after verifying. You can add more in the app's details.",
                    ),
                };
                check
            } else {
                Ok(Vec::new())
            };
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
            let ready = check.is_ok()
                && uri_check.is_ok()
                && (!caps.auth_methods || dialog.auth_method.is_some());
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
                    let uris = uri_check.clone().unwrap_or_default();
                    actions.extend(submit_create(dialog, name, uris));
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
fn submit_create(
    dialog: &mut CreateDialog,
    name: String,
    redirect_uris: Vec<String>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    // The same name again (after a failure) goes out under the same key, so the server answers
    // with the app it may already have made; a new name is a new app.
    if dialog.key_for_name != name {
        if !dialog.key_for_name.is_empty() {
            dialog.idempotency_key = new_idempotency_key();
        }
        dialog.key_for_name.clone_from(&name);
    }
    if let Some(op) = dialog.op.take() {
        actions.push(Action::Dismiss(op));
    }
    actions.push(Action::Write(Write::CreateApp {
        name,
        idempotency_key: dialog.idempotency_key.clone(),
        auth_method: dialog.auth_method,
        redirect_uris,
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
        let is_client_secret = !matches!(dialog.reason, SecretReason::WebhookRotated);
        ui.horizontal(|ui| {
            if ui.button("Copy secret").clicked() {
                actions.push(Action::SecretCopy {
                    with_client_id: false,
                });
            }
            if is_client_secret
                && ui
                    .button("Copy client ID + secret")
                    .on_hover_text("Two labelled lines: \"Client ID: …\" and \"Client secret: …\"")
                    .clicked()
            {
                actions.push(Action::SecretCopy {
                    with_client_id: true,
                });
            }
        });
        // One line always, so the dialog does not jump when it changes.
        match dialog.copied_at {
            None => ui.weak(format!(
                "A copy stays on the clipboard for {} seconds, also after you close this window, \
                 and is then removed.",
                SECRET_KEPT_FOR.as_secs()
            )),
            Some(at) => {
                let left = SECRET_KEPT_FOR.saturating_sub(at.elapsed()).as_secs();
                if left > 0 {
                    ui.label(format!(
                        "Copied. Paste it within {left} seconds, here or after closing this \
                         window; then the clipboard is emptied (also if you quit the console)."
                    ))
                } else {
                    ui.label("The minute is over and the clipboard was emptied. Copy again if you need it.")
                }
            }
        };
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
        ui.horizontal(|ui| {
            if ui
                .add_enabled(dialog.acknowledged, egui::Button::new("Done"))
                .clicked()
            {
                actions.push(Action::SecretClose);
            }
            // Kept in place after ticking (as blank space) so nothing moves.
            let hint = if dialog.acknowledged {
                ""
            } else {
                "Tick the box above to close this window."
            };
            ui.weak(hint);
        });
    });
    // Esc and clicks outside do nothing: only "Done", after the box is ticked, closes it.
}

/// "Unsaved changes to NAME": Save / Discard / Keep editing. Escape or a click outside keeps
/// editing. Save is offered only when every edit can be saved as it is.
fn unsaved_ui(
    ctx: &egui::Context,
    unsaved: &super::details::Unsaved,
    state: &AppState,
    tokens: &Tokens,
) -> Option<Action> {
    use super::action::UnsavedAnswer;
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.set_width(460.0);
        ui.heading(format!("Unsaved changes to {}", unsaved.app_name));
        ui.add_space(4.0);
        ui.label(format!(
            "You changed {} and did not save.",
            unsaved.parts.join(" and ")
        ));
        if let Some(problem) = &unsaved.problem {
            ui.error_label(format!("{problem}. Keep editing to fix it, or discard."));
        } else if crate::ops::confirmation(&state.connection).is_needed() {
            ui.colored_label(tokens.warning, "Saving changes a production workspace.");
            for write in &unsaved.writes {
                ui.label(format!("• {}", write.summary(Some(&unsaved.app_name))));
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if unsaved.problem.is_none() && ui.button("Save").clicked() {
                answer = Some(UnsavedAnswer::Save);
            }
            if ui.button("Discard").clicked() {
                answer = Some(UnsavedAnswer::Discard);
            }
            if ui.button("Keep editing").clicked() {
                answer = Some(UnsavedAnswer::KeepEditing);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(UnsavedAnswer::KeepEditing);
    }
    answer.map(Action::AnswerUnsaved)
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
