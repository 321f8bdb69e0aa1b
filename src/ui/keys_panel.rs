//! The keys of an app that signs with a private key JWT, in its details: the list (id, expiry,
//! created; expired ones marked), "Add key…" with an expiry choice, and "Delete…" on each key.
//! The key file is saved through a native save dialog by the runtime; it is never shown in the
//! window or put on the clipboard.

use super::action::Action;
use super::state::{AppState, KeysState};
use super::widgets::UiExt as _;
use crate::backends::App;
use crate::backends::keys::{KeyExpiry, describe_rfc3339};

/// When a new key expires, as the form offers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExpiryChoice {
    /// The default everywhere: a year from now.
    #[default]
    OneYear,
    OnDate,
    Never,
}

/// The add form's state: open or not, and what it holds.
#[derive(Debug, Default)]
pub struct KeysPanel {
    adding: bool,
    choice: ExpiryChoice,
    date: String,
    error: Option<String>,
}

impl KeysPanel {
    /// Draws the keys of `app` and returns what the user asked for.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        app: &App,
        busy: bool,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let reload = || Action::LoadKeys(app.id.clone());
        match state.keys.get(&app.id) {
            None => actions.push(reload()),
            Some(KeysState::Loading(_)) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak(crate::tr!("keys-loading"));
                });
            }
            Some(KeysState::Failed(error)) => {
                ui.error_label(crate::tr!("keys-load-failed", error = error.user_message()));
                if ui.button(crate::tr!("details-try-again")).clicked() {
                    actions.push(reload());
                }
            }
            Some(KeysState::Loaded(keys)) => {
                if keys.is_empty() {
                    ui.weak(crate::tr!("keys-none"));
                }
                let now = time::OffsetDateTime::now_utc();
                egui::Grid::new(("app_keys", &app.id))
                    .num_columns(3)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for key in keys {
                            ui.monospace(&key.id);
                            let expires = key
                                .expires
                                .as_deref()
                                .map_or_else(|| crate::tr!("keys-never"), describe_rfc3339);
                            if key.expired_at(now) {
                                ui.warning_label(crate::tr!("keys-expired", when = expires));
                            } else {
                                ui.label(crate::tr!("keys-expires", when = expires))
                                    .on_hover_text(match &key.created {
                                        Some(created) => crate::tr!(
                                            "keys-created",
                                            when = describe_rfc3339(created)
                                        ),
                                        None => String::new(),
                                    });
                            }
                            if ui
                                .add_enabled(!busy, egui::Button::new(crate::tr!("keys-delete")))
                                .on_hover_text(crate::tr!("keys-delete-tooltip"))
                                .clicked()
                            {
                                actions.push(Action::AskDeleteKey {
                                    app_id: app.id.clone(),
                                    key_id: key.id.clone(),
                                });
                            }
                            ui.end_row();
                        }
                    });
                ui.horizontal(|ui| {
                    if !self.adding
                        && ui
                            .add_enabled(!busy, egui::Button::new(crate::tr!("keys-add")))
                            .clicked()
                    {
                        self.adding = true;
                        self.error = None;
                    }
                    if ui.small_button(crate::tr!("keys-refresh")).clicked() {
                        actions.push(reload());
                    }
                });
            }
        }
        if self.adding {
            actions.extend(self.add_form(ui, app, busy));
        }
        actions
    }

    fn add_form(&mut self, ui: &mut egui::Ui, app: &App, busy: bool) -> Option<Action> {
        let mut action = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(crate::tr!("keys-expiry-question"));
            ui.radio_value(
                &mut self.choice,
                ExpiryChoice::OneYear,
                crate::tr!("keys-in-one-year"),
            );
            ui.horizontal(|ui| {
                ui.radio_value(
                    &mut self.choice,
                    ExpiryChoice::OnDate,
                    crate::tr!("keys-on-date"),
                );
                let date = ui.add_enabled(
                    self.choice == ExpiryChoice::OnDate,
                    egui::TextEdit::singleline(&mut self.date)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(110.0),
                );
                date.on_hover_text(crate::tr!("keys-date-tooltip"));
            });
            ui.radio_value(
                &mut self.choice,
                ExpiryChoice::Never,
                crate::tr!("keys-never-expires"),
            );
            ui.add(egui::Label::new(crate::tr!("keys-shown-once")).wrap());
            if let Some(error) = &self.error {
                ui.error_label(error);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!busy, egui::Button::new(crate::tr!("keys-save-file")))
                    .clicked()
                {
                    match self.expiry() {
                        Ok(expiry) => {
                            self.adding = false;
                            self.error = None;
                            action = Some(Action::ChooseKeyFile {
                                app_id: app.id.clone(),
                                default_name: crate::import::zitadel::key_file_name(
                                    &app.name,
                                    &app.client_id,
                                ),
                                expiry,
                            });
                        }
                        Err(error) => self.error = Some(error),
                    }
                }
                if ui.button(crate::tr!("common-cancel")).clicked() {
                    self.adding = false;
                    self.error = None;
                }
            });
        });
        action
    }

    fn expiry(&self) -> Result<KeyExpiry, String> {
        let now = time::OffsetDateTime::now_utc();
        match self.choice {
            ExpiryChoice::OneYear => Ok(KeyExpiry::default_from(now)),
            ExpiryChoice::Never => Ok(KeyExpiry::Never),
            ExpiryChoice::OnDate => KeyExpiry::parse(&self.date, now),
        }
    }
}
