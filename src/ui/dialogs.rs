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
            ui.heading(crate::tr!("dialog-create-title"));
            ui.add_space(6.0);
            let label = ui.label(crate::tr!("dialog-create-name"));
            let edit = ui
                .add_enabled(
                    !pending,
                    egui::TextEdit::singleline(&mut dialog.name)
                        .hint_text(crate::tr!("dialog-create-name-hint"))
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
                    Err(crate::tr!("dialog-create-name-taken"))
                } else {
                    Ok(name)
                }
            });
            // Always one line under the name, so the dialog does not jump as the user types.
            match &check {
                Err(problem) if !dialog.name.is_empty() => ui.error_label(problem),
                Ok(_) if taken => {
                    ui.colored_label(tokens.warning, crate::tr!("dialog-create-name-repeated"))
                }
                _ => ui.weak(crate::tr!(
                    "dialog-create-name-limit",
                    max = caps.max_name_chars
                )),
            };
            let uri_check = if caps.redirect_uris {
                ui.add_space(6.0);
                let label = ui.label(crate::tr!("dialog-create-redirect-uri"));
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
                    Ok(_) => ui.weak(crate::tr!("dialog-create-redirect-help")),
                };
                check
            } else {
                Ok(Vec::new())
            };
            if caps.auth_methods {
                ui.add_space(6.0);
                ui.label(crate::tr!("dialog-create-auth-question"));
                ui.radio_value(
                    &mut dialog.auth_method,
                    Some(AuthMethod::Basic),
                    crate::tr!("dialog-create-auth-basic"),
                );
                ui.radio_value(
                    &mut dialog.auth_method,
                    Some(AuthMethod::PrivateKeyJwt),
                    crate::tr!("dialog-create-auth-jwt"),
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
                let create = ui.add_enabled(
                    ready && !pending,
                    egui::Button::new(crate::tr!("dialog-create-button")),
                );
                if (create.clicked() || enter)
                    && !pending
                    && ready
                    && let Ok(name) = check
                {
                    let uris = uri_check.clone().unwrap_or_default();
                    actions.extend(submit_create(dialog, name, uris));
                }
                let in_flight = dialog.op.filter(|_| pending);
                let creating = crate::tr!("dialog-create-creating");
                let (cancel, stop) = cancel_ui(ui, state, in_flight, &creating);
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
                crate::tr!("dialog-rotate-client-title"),
                crate::tr!("dialog-rotate-client-warning", app = app.as_str()),
                crate::tr!("dialog-rotate-client-button"),
            ),
            SecretKind::Webhook => (
                crate::tr!("dialog-rotate-webhook-title"),
                crate::tr!("dialog-rotate-webhook-warning", app = app.as_str()),
                crate::tr!("dialog-rotate-webhook-button"),
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
                if ui.button(crate::tr!("common-cancel")).clicked() {
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
        let yes = egui::Button::new(crate::tr!("dialog-production-yes"));
        let answer = ask(
            ctx,
            "confirm_production_write",
            &crate::tr!("dialog-production-title"),
            yes,
            |ui| {
                ui.add_space(6.0);
                ui.label(write.summary(write.app().and_then(|id| state.app_name(id))));
                ui.colored_label(tokens.error, crate::tr!("dialog-production-warning"));
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
        let delete = egui::Button::new(
            egui::RichText::new(crate::tr!("dialog-delete-key-button")).color(egui::Color32::WHITE),
        )
        .fill(tokens.error);
        let answer = ask(
            ctx,
            "confirm_delete_key",
            &crate::tr!("dialog-delete-key-title"),
            delete,
            |ui| {
                ui.colored_label(
                    tokens.error,
                    crate::tr!(
                        "dialog-delete-key-warning",
                        key = key_id.as_str(),
                        name = name.as_str()
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
            (
                crate::tr!("dialog-reactivate-title"),
                crate::tr!("dialog-reactivate-button"),
            )
        } else {
            (
                crate::tr!("dialog-deactivate-title"),
                crate::tr!("dialog-deactivate-button"),
            )
        };
        let answer = ask(
            ctx,
            "confirm_activation",
            &heading,
            egui::Button::new(yes),
            |ui| {
                if active {
                    ui.label(crate::tr!("dialog-reactivate-body", name = name.as_str()));
                } else {
                    ui.colored_label(
                        tokens.warning,
                        crate::tr!("dialog-deactivate-body", name = name.as_str()),
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
            SecretReason::Created => crate::tr!("dialog-secret-created-title"),
            SecretReason::Rotated => crate::tr!("dialog-secret-rotated-title"),
            SecretReason::WebhookRotated => crate::tr!("dialog-secret-webhook-title"),
        });
        ui.label(format!("{} · {}", dialog.app_name, dialog.client_id));
        ui.add_space(6.0);
        ui.colored_label(tokens.warning, crate::tr!("dialog-secret-once"));
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
            if ui.button(crate::tr!("dialog-secret-copy")).clicked() {
                actions.push(Action::SecretCopy {
                    with_client_id: false,
                });
            }
            if is_client_secret
                && ui
                    .button(crate::tr!("dialog-secret-copy-both"))
                    .on_hover_text(crate::tr!("dialog-secret-copy-both-tooltip"))
                    .clicked()
            {
                actions.push(Action::SecretCopy {
                    with_client_id: true,
                });
            }
        });
        // One line always, so the dialog does not jump when it changes.
        match dialog.copied_at {
            None => ui.weak(crate::tr!(
                "dialog-secret-clipboard-note",
                seconds = SECRET_KEPT_FOR.as_secs()
            )),
            Some(at) => {
                let left = SECRET_KEPT_FOR.saturating_sub(at.elapsed()).as_secs();
                if left > 0 {
                    ui.label(crate::tr!("dialog-secret-copied-left", seconds = left))
                } else {
                    ui.label(crate::tr!("dialog-secret-emptied"))
                }
            }
        };
        if let Some(error) = &dialog.copy_error {
            ui.error_label(error);
        }
        ui.add_space(6.0);
        let mut acknowledged = dialog.acknowledged;
        if ui
            .checkbox(&mut acknowledged, crate::tr!("dialog-secret-acknowledge"))
            .changed()
        {
            actions.push(Action::SecretAcknowledge(acknowledged));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    dialog.acknowledged,
                    egui::Button::new(crate::tr!("common-done")),
                )
                .clicked()
            {
                actions.push(Action::SecretClose);
            }
            // Kept in place after ticking (as blank space) so nothing moves.
            let hint = if dialog.acknowledged {
                String::new()
            } else {
                crate::tr!("dialog-secret-tick-hint")
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
        ui.heading(crate::tr!(
            "dialog-unsaved-title",
            name = unsaved.app_name.as_str()
        ));
        ui.add_space(4.0);
        ui.label(crate::tr!(
            "dialog-unsaved-body",
            parts = unsaved.parts.join(&crate::tr!("dialog-unsaved-joiner"))
        ));
        if let Some(problem) = &unsaved.problem {
            ui.error_label(crate::tr!(
                "dialog-unsaved-problem",
                problem = problem.as_str()
            ));
        } else if crate::ops::confirmation(&state.connection).is_needed() {
            ui.colored_label(tokens.warning, crate::tr!("dialog-unsaved-production"));
            for write in &unsaved.writes {
                ui.label(format!("• {}", write.summary(Some(&unsaved.app_name))));
            }
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if unsaved.problem.is_none() && ui.button(crate::tr!("common-save")).clicked() {
                answer = Some(UnsavedAnswer::Save);
            }
            if ui.button(crate::tr!("dialog-unsaved-discard")).clicked() {
                answer = Some(UnsavedAnswer::Discard);
            }
            if ui
                .button(crate::tr!("dialog-unsaved-keep-editing"))
                .clicked()
            {
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
        ui.heading(crate::tr!("dialog-shortcuts-title"));
        let or = crate::tr!("dialog-shortcuts-or");
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
                    ui.monospace(keys.join(&or));
                    ui.label(command.label(context));
                    ui.end_row();
                }
            });
        ui.weak(crate::tr!("dialog-shortcuts-note"));
        if ui.button(crate::tr!("common-close")).clicked() {
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
            if ui.button(crate::tr!("common-cancel")).clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}
