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
                Some(org) => crate::tr!(
                    "shell-banner-organization",
                    backend = connection.backend.label(),
                    url = connection.base_url.as_str(),
                    org = org.as_str()
                ),
                None => format!("{} · {}", connection.backend.label(), connection.base_url),
            },
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Local if connection.local_sandbox => (
            crate::tr!("shell-banner-local-sandbox"),
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Local => (
            crate::tr!(
                "shell-banner-local-server",
                url = connection.base_url.as_str()
            ),
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Sandbox => (
            crate::tr!(
                "shell-banner-hopae-sandbox",
                url = connection.base_url.as_str()
            ),
            tokens.sandbox_banner,
            tokens.banner_text,
        ),
        Environment::Production => (
            crate::tr!(
                "shell-banner-production",
                url = connection.base_url.as_str()
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
/// `language` is the setting, the system's language and the language in force, for the
/// language picker.
pub fn toolbar_ui(
    ui: &mut egui::Ui,
    context: &CommandContext,
    state: &AppState,
    language: (
        crate::i18n::LanguageChoice,
        crate::i18n::Language,
        crate::i18n::Language,
    ),
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
            language_picked =
                super::language::language_picker(ui, language.0, language.1, language.2);
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
                        let (loaded, total) = (*loaded, *total);
                        ui.label(crate::tr!(
                            "status-loading-progress",
                            loaded = loaded,
                            total = total
                        ));
                    }
                    _ => {
                        ui.label(crate::tr!("status-loading-apps"));
                    }
                }
            }
            LoadState::Ready => {
                ui.label(crate::tr!("status-app-count", count = state.app_count()));
            }
            LoadState::Failed(error) => {
                ui.error_label(crate::tr!(
                    "status-loading-failed",
                    error = error.user_message()
                ));
                if ui.button(crate::tr!("status-try-again")).clicked() {
                    actions.push(Action::Command(UiCommand::Refresh));
                }
            }
        }
        for (op, what) in state.slow_calls(Instant::now()) {
            ui.separator();
            ui.spinner();
            ui.label(crate::tr!(
                "status-still-waiting",
                host = state.connection.host.as_str()
            ))
            .on_hover_text(what);
            if ui.small_button(crate::tr!("common-cancel")).clicked() {
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
    let shown = current.map_or_else(|| crate::tr!("shell-no-project"), name_of);
    let mut picked = None;
    let label = ui.label(crate::tr!("shell-project"));
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
                ui.weak(crate::tr!("shell-no-projects"));
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
            if ui.small_button(crate::tr!("notice-dismiss")).clicked() {
                actions.push(Action::DismissMessage);
            }
        });
    }
    if let Some(notice) = &state.notice {
        ui.horizontal_wrapped(|ui| {
            ui.error_label(egui::RichText::new(&notice.title).strong());
            ui.label(notice.error.user_message());
            request_id_ui(ui, notice.error.request_id.as_deref(), &mut actions);
            if ui.small_button(crate::tr!("notice-dismiss")).clicked() {
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
                    .small_button(crate::tr!("common-retry"))
                    .on_hover_text(crate::tr!("notice-retry-hover"))
                    .clicked()
            {
                actions.push(Action::Retry(op));
            }
            if ui.small_button(crate::tr!("notice-dismiss")).clicked() {
                actions.push(Action::Dismiss(op));
            }
        });
    }
    ui.add_space(4.0);
    actions
}

/// What an unanswered change may have done, and why Retry is safe.
fn unknown_outcome_note(write: &Write) -> String {
    match write {
        Write::RotateSecret { .. } | Write::RotateWebhookSecret { .. } => {
            crate::tr!("notice-unknown-outcome-rotate")
        }
        Write::CreateApp { .. } => crate::tr!("notice-unknown-outcome-create-app"),
        Write::CreateWorkflow { .. } => crate::tr!("notice-unknown-outcome-create-workflow"),
        Write::AddKey { .. } => crate::tr!("notice-unknown-outcome-add-key"),
        Write::RenameApp { .. }
        | Write::ReplaceRedirectUris { .. }
        | Write::SetActive { .. }
        | Write::UpdateWebhook { .. }
        | Write::DeleteKey { .. }
        | Write::UpdateWorkflow { .. } => crate::tr!("notice-unknown-outcome-change"),
    }
}

fn request_id_ui(ui: &mut egui::Ui, request_id: Option<&str>, actions: &mut Vec<Action>) {
    if let Some(id) = request_id {
        ui.weak(crate::tr!("notice-request-id", id = id));
        if ui
            .small_button(crate::tr!("notice-copy-request-id"))
            .clicked()
        {
            actions.push(Action::Copy {
                text: id.to_owned(),
                confirmation: crate::tr!("clipboard-copied-request-id"),
            });
        }
    }
}
