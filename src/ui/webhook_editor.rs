//! The webhook tab of an app: on/off, address, retries, timeout and events, checked by the same
//! rules the server keeps as the user types, saved as a patch of only what changed; and
//! "Rotate webhook secret…", which asks first.

use super::action::Action;
use super::widgets::UiExt as _;
use crate::api::webhooks::{KNOWN_EVENTS, RETRY_ATTEMPTS, TIMEOUT_SECONDS, check_event};
use crate::api::{WebhookConfig, WebhookPatch, webhooks::validate_patch};
use crate::backends::model::OidcApp;
use crate::runtime::Write;

/// The API's defaults, shown when an app has none set.
const DEFAULT_RETRIES: u32 = 3;
const DEFAULT_TIMEOUT: u32 = 10;

/// The editor's draft of one app's webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDraft {
    pub enabled: bool,
    pub url: String,
    pub retry_attempts: u32,
    pub timeout_seconds: u32,
    /// Chosen events in order; names the API does not document are kept.
    pub events: Vec<String>,
    /// The "Other event" field.
    pub other_event: String,
}

impl WebhookDraft {
    pub fn from_config(config: Option<&WebhookConfig>) -> Self {
        let config = config.cloned().unwrap_or_default();
        Self {
            enabled: config.enabled,
            url: config.url.unwrap_or_default(),
            retry_attempts: config.retry_attempts.unwrap_or(DEFAULT_RETRIES),
            timeout_seconds: config.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT),
            events: config.events,
            other_event: String::new(),
        }
    }

    /// The patch this draft asks for against `current`: only the fields that differ, or what
    /// is wrong with the draft.
    pub fn changes(&self, current: Option<&WebhookConfig>) -> Result<WebhookPatch, String> {
        let url = self.url.trim();
        if self.enabled && url.is_empty() {
            return Err(crate::tr!("webhook-address-required"));
        }
        let wanted = WebhookPatch {
            enabled: Some(self.enabled),
            url: (!url.is_empty()).then(|| url.to_owned()),
            retry_attempts: Some(self.retry_attempts),
            timeout_seconds: Some(self.timeout_seconds),
            events: Some(self.events.clone()),
        };
        let checked = validate_patch(&wanted).map_err(|(_, message)| message)?;
        Ok(checked.changes_from(&current.cloned().unwrap_or_default()))
    }
}

/// The tab's state: the draft for the app it was made for.
#[derive(Debug, Default)]
pub struct WebhookEditor {
    draft_for: Option<String>,
    pub draft: Option<WebhookDraft>,
    /// A save this editor sent; when it settles the draft restarts from the server's config
    /// if that now matches, and stays (beside the notice) if it was refused.
    sent: bool,
}

impl WebhookEditor {
    /// The draft's change for app `id`, if it differs from `app`'s webhook: the patch Save
    /// would send, or what is wrong with the draft.
    pub fn unsaved(&self, id: &str, app: &OidcApp) -> Option<Result<WebhookPatch, String>> {
        if self.draft_for.as_deref() != Some(id) {
            return None;
        }
        match self.draft.as_ref()?.changes(app.webhook_config.as_ref()) {
            Ok(patch) if patch.is_empty() => None,
            changes => Some(changes),
        }
    }

    /// Forgets the draft; the next frame starts again from the server's config.
    pub fn discard(&mut self) {
        self.draft = None;
    }

    /// A save of the draft was sent from outside the tab (the unsaved-changes question).
    pub fn mark_sent(&mut self) {
        self.sent = true;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, id: &str, app: &OidcApp, busy: bool) -> Option<Action> {
        let current = app.webhook_config.as_ref();
        let settled = self.sent && !busy;
        if self.draft_for.as_deref() != Some(id) || self.draft.is_none() {
            self.draft_for = Some(id.to_owned());
            self.draft = Some(WebhookDraft::from_config(current));
            self.sent = false;
        }
        if settled {
            self.sent = false;
            let saved = self
                .draft
                .as_ref()
                .is_some_and(|d| d.changes(current).is_ok_and(|p| p.is_empty()));
            if saved {
                self.draft = Some(WebhookDraft::from_config(current));
            }
        }
        let draft = self.draft.as_mut()?;
        let mut action = None;
        ui.add_enabled_ui(!busy, |ui| draft_ui(ui, draft));
        ui.add_space(8.0);
        let changes = draft.changes(current);
        match &changes {
            Err(problem) => {
                ui.error_label(problem);
            }
            Ok(patch) if patch.is_empty() => {
                ui.weak(crate::tr!("webhook-no-unsaved"));
            }
            Ok(patch) => {
                ui.weak(crate::tr!(
                    "webhook-unsaved-fields",
                    fields = patch.field_names().join(", ")
                ));
            }
        }
        ui.horizontal(|ui| {
            let savable = changes.as_ref().is_ok_and(|p| !p.is_empty());
            if ui
                .add_enabled(
                    savable && !busy,
                    egui::Button::new(crate::tr!("webhook-save")),
                )
                .clicked()
                && let Ok(patch) = &changes
            {
                self.sent = true;
                action = Some(Action::Write(Write::UpdateWebhook {
                    id: id.to_owned(),
                    patch: patch.clone(),
                }));
            }
            let edited = changes.as_ref().map_or(true, |p| !p.is_empty());
            if ui
                .add_enabled(
                    edited && !busy,
                    egui::Button::new(crate::tr!("details-reset")),
                )
                .clicked()
            {
                self.draft = Some(WebhookDraft::from_config(current));
            }
            if busy && self.sent {
                ui.spinner();
                ui.label(crate::tr!("details-saving"));
            }
        });
        ui.add_space(12.0);
        ui.separator();
        ui.label(crate::tr!("webhook-signing-secret"));
        ui.weak(crate::tr!("webhook-signing-help"));
        if ui
            .add_enabled(!busy, egui::Button::new(crate::tr!("webhook-rotate")))
            .on_hover_text(crate::tr!("webhook-rotate-tooltip"))
            .clicked()
        {
            action = Some(Action::AskRotateWebhook(app.client_id.clone()));
        }
        action
    }
}

/// The fields of the draft, each labelled for screen readers and tests.
fn draft_ui(ui: &mut egui::Ui, draft: &mut WebhookDraft) {
    ui.checkbox(&mut draft.enabled, crate::tr!("webhook-deliver"));
    egui::Grid::new("webhook_fields")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(crate::tr!("webhook-address"));
            ui.add(
                egui::TextEdit::singleline(&mut draft.url)
                    .hint_text("https://hooks.example.com/hopae")
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(crate::tr!("webhook-retry-attempts"));
            ui.add(egui::DragValue::new(&mut draft.retry_attempts).range(RETRY_ATTEMPTS))
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(crate::tr!("webhook-timeout"));
            ui.add(egui::DragValue::new(&mut draft.timeout_seconds).range(TIMEOUT_SECONDS))
                .labelled_by(label.id);
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.label(crate::tr!("webhook-events"));
    if draft.events.is_empty() {
        ui.weak(crate::tr!("webhook-events-none"));
    }
    let others: Vec<String> = draft
        .events
        .iter()
        .filter(|e| !KNOWN_EVENTS.contains(&e.as_str()))
        .cloned()
        .collect();
    for name in KNOWN_EVENTS
        .iter()
        .copied()
        .chain(others.iter().map(String::as_str))
    {
        let mut on = draft.events.iter().any(|e| e == name);
        if ui.checkbox(&mut on, name).changed() {
            if on {
                draft.events.push(name.to_owned());
            } else {
                draft.events.retain(|e| e != name);
            }
        }
    }
    ui.horizontal(|ui| {
        let label = ui.label(crate::tr!("webhook-other-event"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut draft.other_event)
                    .hint_text("verification.example")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        let name = draft.other_event.trim().to_owned();
        let check = check_event(&name);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let add = ui.add_enabled(
            check.is_ok(),
            egui::Button::new(crate::tr!("webhook-add-event")),
        );
        match check {
            Ok(()) if add.clicked() || enter => {
                if !draft.events.contains(&name) {
                    draft.events.push(name);
                }
                draft.other_event.clear();
            }
            Err(problem) if !name.is_empty() => {
                ui.error_label(problem);
            }
            _ => {}
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> WebhookConfig {
        WebhookConfig {
            enabled: true,
            url: Some("https://hooks.example.com/in".into()),
            retry_attempts: Some(3),
            timeout_seconds: Some(10),
            events: vec!["verification.completed".into()],
            ..WebhookConfig::default()
        }
    }

    #[test]
    fn an_untouched_draft_has_no_changes() {
        let current = config();
        let draft = WebhookDraft::from_config(Some(&current));
        assert!(draft.changes(Some(&current)).unwrap().is_empty());
        let none = WebhookDraft::from_config(None);
        assert!(!none.enabled);
    }

    #[test]
    fn only_what_changed_is_sent() {
        let current = config();
        let mut draft = WebhookDraft::from_config(Some(&current));
        draft.events.push("verification.failed".into());
        draft.retry_attempts = 5;
        let patch = draft.changes(Some(&current)).unwrap();
        assert_eq!(patch.field_names(), ["retryAttempts", "events"]);
    }

    #[test]
    fn problems_are_sentences() {
        let mut draft = WebhookDraft::from_config(None);
        draft.enabled = true;
        assert!(draft.changes(None).unwrap_err().contains("address"));
        draft.url = "http://hooks.example.com".into();
        assert!(draft.changes(None).unwrap_err().contains("https"));
    }
}
