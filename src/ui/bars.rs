//! The bars around the main area: the environment banner and the toolbar, the status line
//! (loading, "Still waiting for HOST…" with Cancel, confirmations), and one notice per failed
//! change with its own Retry.

use std::time::Instant;

use super::action::Action;
use super::command::{CommandContext, UiCommand};
use super::state::{AppState, LoadState, OpState};
use super::theme::Tokens;
use super::widgets::UiExt as _;
use crate::api::Environment;
use crate::runtime::{OpId, Write};

pub fn banner_ui(ui: &mut egui::Ui, state: &AppState, tokens: &Tokens) {
    let connection = &state.connection;
    let (text, fill, text_color) = match connection.environment {
        // An instance with projects is named by its kind, and its organisation when chosen.
        _ if state.capabilities.scopes => (
            match &connection.org_id {
                Some(org) => format!(
                    "{} · {} · organization {org}",
                    connection.backend.label(),
                    connection.base_url
                ),
                None => format!("{} · {}", connection.backend.label(), connection.base_url),
            },
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Local if connection.local_sandbox => (
            "Local sandbox - demo data".to_owned(),
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Local => (
            format!("Server on this computer · {}", connection.base_url),
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Sandbox => (
            format!("Hopae sandbox · {}", connection.base_url),
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Production => (
            format!(
                "Production · {} · changes affect real customers",
                connection.base_url
            ),
            tokens.production_banner,
            tokens.production_banner_text,
        ),
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
                if let Some(storage) = state.key_storage {
                    ui.separator();
                    ui.label(egui::RichText::new(storage.note()).color(text_color));
                }
            });
        });
    ui.add_space(4.0);
}

/// The commands that have a button (the rest are in the palette and on keys), and where apps live in projects
/// the project picker.
/// `language` is the setting and the system's language, for the language picker.
pub fn toolbar_ui(
    ui: &mut egui::Ui,
    context: &CommandContext,
    state: &AppState,
    language: (crate::i18n::LanguageChoice, crate::i18n::Language),
) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut picked = None;
    let mut language_picked = None;
    let mut button = |ui: &mut egui::Ui, command: UiCommand| {
        let response = ui
            .add_enabled(
                command.applies(context),
                egui::Button::new(command.short_label(context)),
            )
            .on_hover_text(command.tooltip(ui.ctx()));
        if response.clicked() {
            actions.push(Action::Command(command));
        }
    };
    ui.horizontal(|ui| {
        for command in [
            UiCommand::CreateApp,
            UiCommand::Refresh,
            UiCommand::ImportCsv,
            UiCommand::Connect,
            UiCommand::ShowActivity,
        ] {
            button(ui, command);
        }
        if context.capabilities.scopes {
            ui.separator();
            picked = project_picker_ui(ui, state);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            language_picked = super::language::language_picker(ui, language.0, language.1);
            for command in [
                UiCommand::ShowShortcuts,
                UiCommand::ToggleTheme,
                UiCommand::CommandPalette,
            ] {
                button(ui, command);
            }
        });
    });
    ui.add_space(2.0);
    actions.extend(picked.map(Action::PickProject));
    actions.extend(language_picked.map(Action::SetLanguage));
    actions
}

pub fn status_ui(ui: &mut egui::Ui, state: &AppState, toast: Option<&str>) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        match &state.load {
            LoadState::Loading { loaded, total, .. } => {
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
                ui.label(format!("{} apps", state.app_count()));
            }
            LoadState::Failed(error) => {
                ui.error_label(format!("Loading failed: {}", error.user_message()));
                if ui.button("Try again").clicked() {
                    actions.push(Action::Command(UiCommand::Refresh));
                }
            }
        }
        for (op, what) in state.slow_calls(Instant::now()) {
            ui.separator();
            ui.spinner();
            ui.label(format!("Still waiting for {}…", state.connection.host))
                .on_hover_text(what);
            if ui.small_button("Cancel").clicked() {
                actions.push(Action::Cancel(op));
            }
        }
        if let Some(text) = toast {
            ui.separator();
            ui.success_label(text);
        }
    });
    actions
}

/// The project whose apps are shown, where apps live in projects; returns another one when
/// picked.
fn project_picker_ui(ui: &mut egui::Ui, state: &AppState) -> Option<String> {
    let current = state.project.as_deref();
    let name_of = |id: &str| {
        state
            .projects
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    };
    let shown = current.map_or_else(|| "No project".to_owned(), name_of);
    let mut picked = None;
    let label = ui.label("Project");
    egui::ComboBox::from_id_salt("project_picker")
        .selected_text(shown)
        .width(220.0)
        .show_ui(ui, |ui| {
            for project in &state.projects {
                let chosen = current == Some(project.id.as_str());
                if ui.selectable_label(chosen, &project.name).clicked() && !chosen {
                    picked = Some(project.id.clone());
                }
            }
            if state.projects.is_empty() {
                ui.weak("This organization has no projects");
            }
        })
        .response
        .labelled_by(label.id);
    picked
}

/// Whether a notice is to be shown (a failure shown inside an open dialog is not).
pub fn has_notices(state: &AppState, hidden: Option<OpId>) -> bool {
    state.notice.is_some() || state.message.is_some() || failed_ops(state, hidden).next().is_some()
}

fn failed_ops(
    state: &AppState,
    hidden: Option<OpId>,
) -> impl Iterator<Item = (OpId, &Write, &crate::api::ApiError, bool)> {
    state
        .ops
        .iter()
        .filter_map(move |(op, pending)| match &pending.state {
            OpState::Failed {
                error,
                outcome_unknown,
            } if Some(*op) != hidden => Some((*op, &pending.write, error, *outcome_unknown)),
            _ => None,
        })
}

/// One line per failed change, each with its own Retry and Dismiss.
pub fn notices_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    hidden: Option<OpId>,
    tokens: &Tokens,
) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.add_space(4.0);
    if let Some(message) = &state.message {
        ui.horizontal_wrapped(|ui| {
            ui.label(message);
            if ui.small_button("Dismiss").clicked() {
                actions.push(Action::DismissMessage);
            }
        });
    }
    if let Some(notice) = &state.notice {
        ui.horizontal_wrapped(|ui| {
            ui.error_label(egui::RichText::new(&notice.title).strong());
            ui.label(notice.error.user_message());
            request_id_ui(ui, notice.error.request_id.as_deref(), &mut actions);
            if ui.small_button("Dismiss").clicked() {
                actions.push(Action::DismissNotice);
            }
        });
    }
    for (op, write, error, outcome_unknown) in failed_ops(state, hidden) {
        ui.horizontal_wrapped(|ui| {
            ui.error_label(egui::RichText::new(write.failure_title()).strong());
            ui.label(error.user_message());
            if outcome_unknown {
                ui.colored_label(tokens.warning, unknown_outcome_note(write));
            }
            request_id_ui(ui, error.request_id.as_deref(), &mut actions);
            // An add whose answer was lost is never sent again: it would add a second key.
            let retry_safe = !matches!(write, Write::AddKey { .. });
            if retry_safe
                && (error.is_retryable() || outcome_unknown)
                && ui
                    .small_button("Retry")
                    .on_hover_text("Send the same request again (nothing is done twice)")
                    .clicked()
            {
                actions.push(Action::Retry(op));
            }
            if ui.small_button("Dismiss").clicked() {
                actions.push(Action::Dismiss(op));
            }
        });
    }
    ui.add_space(4.0);
    actions
}

/// What an unanswered change may have done, and why Retry is safe.
fn unknown_outcome_note(write: &Write) -> &'static str {
    match write {
        Write::RotateSecret { .. } | Write::RotateWebhookSecret { .. } => {
            "The outcome is unknown: the secret may already have been rotated. Retry resends the \
             same request, so it cannot rotate twice, and shows the new secret if there is one."
        }
        Write::CreateApp { .. } => {
            "The outcome is unknown: the app may have been created. Retry resends the same \
             request, so it cannot create a second app."
        }
        Write::CreateWorkflow { .. } => {
            "The outcome is unknown: the workflow may have been created. Retry resends the same \
             request, so it cannot create a second one."
        }
        Write::AddKey { .. } => {
            "The outcome is unknown: a key may have been added, but its key file was not \
             received, so it cannot be used. Delete any key you cannot account for, then add one \
             again."
        }
        Write::RenameApp { .. }
        | Write::ReplaceRedirectUris { .. }
        | Write::SetActive { .. }
        | Write::UpdateWebhook { .. }
        | Write::DeleteKey { .. }
        | Write::UpdateWorkflow { .. } => {
            "The outcome is unknown: the change may have been made. Retry sends the same change \
             again."
        }
    }
}

fn request_id_ui(ui: &mut egui::Ui, request_id: Option<&str>, actions: &mut Vec<Action>) {
    if let Some(id) = request_id {
        ui.weak(format!("Request id {id}"));
        if ui.small_button("Copy request id").clicked() {
            actions.push(Action::Copy {
                text: id.to_owned(),
                confirmation: "Copied request id",
            });
        }
    }
}
