//! The detail panel of the selected app. Overview: ids, rename with Save / Reset, credentials
//! masked, and what the workspace's apps have (state, auth method, redirect URIs, providers,
//! workflows, webhook, raw JSON with secrets masked), asked of the capabilities; then the
//! Webhook and Providers tabs where apps have them, each in its own module.

use super::action::Action;
use super::state::AppState;
use super::webhook_editor::WebhookEditor;
use super::widgets::UiExt as _;
use crate::api::redirect_uris::{MAX_URIS, validate_redirect_uris};
use crate::backends::{App, AppState as Activation, AuthMethod, Capabilities};
use crate::runtime::Write;

/// The tabs of an app's details.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DetailsTab {
    #[default]
    Overview,
    Webhook,
    Providers,
}

/// The detail view's own state: the name draft for the app it was made for.
#[derive(Default)]
pub struct DetailsView {
    pub tab: DetailsTab,
    pub webhook: WebhookEditor,
    draft_for: Option<String>,
    pub name_draft: String,
    /// Set when this view asked for a rename; cleared once the rename has settled.
    rename_sent: bool,
    /// The redirect URIs being edited, one per line; `None` while only viewing.
    pub uris_draft: Option<String>,
    uris_sent: bool,
    /// The editor just opened: its box takes the keyboard, so typing is not lost.
    uris_focus: bool,
    /// The keys of an app that signs with keys.
    keys: super::keys_panel::KeysPanel,
}

/// Edits in an app's details that are not saved yet.
#[derive(Debug, Clone)]
pub struct Unsaved {
    pub app_id: String,
    pub app_name: String,
    /// What Save sends.
    pub writes: Vec<Write>,
    /// What is edited, in words: "the name", "the redirect URIs", "the webhook".
    pub parts: Vec<&'static str>,
    /// Why some edit cannot be saved as it is; Save is then not offered.
    pub problem: Option<String>,
}

impl DetailsView {
    /// The edits to `app` not saved yet (none while a save of them is on its way).
    pub fn unsaved(&self, app: &App, caps: &Capabilities, busy: bool) -> Option<Unsaved> {
        if busy || self.draft_for.as_deref() != Some(app.id.as_str()) {
            return None;
        }
        let mut unsaved = Unsaved {
            app_id: app.id.clone(),
            app_name: app.name.clone(),
            writes: Vec::new(),
            parts: Vec::new(),
            problem: None,
        };
        match caps.check_name(&self.name_draft) {
            Ok(name) if name == app.name => {}
            Ok(name) => {
                unsaved.parts.push("the name");
                unsaved.writes.push(Write::RenameApp {
                    id: app.id.clone(),
                    name,
                });
            }
            Err(problem) => {
                unsaved.parts.push("the name");
                unsaved.problem = Some(format!("The name: {problem}"));
            }
        }
        if let Some(draft) = &self.uris_draft {
            match validate_redirect_uris(&draft_lines(draft)) {
                Ok(uris) if uris == app.redirect_uris() => {}
                Ok(uris) => {
                    unsaved.parts.push("the redirect URIs");
                    unsaved.writes.push(Write::ReplaceRedirectUris {
                        id: app.id.clone(),
                        uris,
                    });
                }
                Err(problems) => {
                    unsaved.parts.push("the redirect URIs");
                    let first = problems.first().map(|p| p.problem.clone());
                    unsaved.problem =
                        Some(format!("The redirect URIs: {}", first.unwrap_or_default()));
                }
            }
        }
        if let Some(oidc) = app.oidc.as_deref()
            && let Some(changes) = self.webhook.unsaved(&app.id, oidc)
        {
            unsaved.parts.push("the webhook");
            match changes {
                Ok(patch) => unsaved.writes.push(Write::UpdateWebhook {
                    id: app.id.clone(),
                    patch,
                }),
                Err(problem) => unsaved.problem = Some(format!("The webhook: {problem}")),
            }
        }
        (!unsaved.parts.is_empty()).then_some(unsaved)
    }

    /// Throws the edits away; the next frame starts again from the server's values.
    pub fn discard(&mut self) {
        self.draft_for = None;
        self.uris_draft = None;
        self.rename_sent = false;
        self.uris_sent = false;
        self.webhook.discard();
    }

    /// The edits were saved from the unsaved-changes question: each editor settles as if its
    /// own Save had been clicked (closing on success, staying beside the notice if refused).
    pub fn mark_sent(&mut self, writes: &[Write]) {
        for write in writes {
            match write {
                Write::RenameApp { .. } => self.rename_sent = true,
                Write::ReplaceRedirectUris { .. } => self.uris_sent = true,
                Write::UpdateWebhook { .. } => self.webhook.mark_sent(),
                _ => {}
            }
        }
    }

    /// The name field with Save (or Enter) and Reset, checked as typed by the backend's rule;
    /// the name to save when the user saves a valid change.
    fn name_editor(
        &mut self,
        ui: &mut egui::Ui,
        label: egui::Id,
        current: &str,
        busy: bool,
        capabilities: &Capabilities,
    ) -> Option<String> {
        let mut save_name = None;
        ui.vertical(|ui| {
            let edit = ui
                .add_enabled(
                    !busy,
                    egui::TextEdit::singleline(&mut self.name_draft).desired_width(260.0),
                )
                .labelled_by(label);
            let check = capabilities.check_name(&self.name_draft);
            let changed = check.as_ref().is_ok_and(|n| n != current);
            if let Err(problem) = &check {
                ui.error_label(problem);
            }
            ui.horizontal(|ui| {
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let save = ui.add_enabled(changed && !busy, egui::Button::new("Save name"));
                if (save.clicked() || (enter && changed))
                    && !busy
                    && let Ok(name) = check
                {
                    self.rename_sent = true;
                    save_name = Some(name);
                }
                if ui
                    .add_enabled(
                        self.name_draft != current && !busy,
                        egui::Button::new("Reset"),
                    )
                    .clicked()
                {
                    self.name_draft = current.to_owned();
                }
                if busy {
                    ui.spinner();
                    ui.label("Saving…");
                }
            });
        });
        save_name
    }

    /// Opens the redirect-URI editor on `app` (the command list's "Edit redirect URIs").
    pub fn edit_redirect_uris(&mut self, app: &App) {
        self.draft_for = Some(app.id.clone());
        self.name_draft = app.name.clone();
        self.uris_draft = Some(app.redirect_uris().join("\n"));
        self.uris_focus = true;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState) -> Vec<Action> {
        let Some(app) = state.selected_app() else {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(if state.capabilities.scopes && state.project.is_none() {
                    "Pick a project in the toolbar"
                } else {
                    "Select an app to see its details"
                })
            });
            return Vec::new();
        };
        let caps = state.capabilities;
        // Start the draft from the server's name on a new selection, and again when a rename
        // finishes: on success that is the new name, on refusal it rolls the edit back.
        let busy = state.busy(&app.id);
        let rename_settled = self.rename_sent && !busy;
        let new_selection = self.draft_for.as_deref() != Some(app.id.as_str());
        if new_selection || rename_settled {
            self.draft_for = Some(app.id.clone());
            self.name_draft = app.name.clone();
            self.rename_sent = false;
        }
        if new_selection {
            self.uris_draft = None;
            self.keys = super::keys_panel::KeysPanel::default();
        }
        // A saved list closes the editor; a refused one stays open beside the notice.
        if self.uris_sent && !busy {
            self.uris_sent = false;
            let saved = self.uris_draft.as_deref().is_some_and(|draft| {
                validate_redirect_uris(&draft_lines(draft)).is_ok_and(|u| u == app.redirect_uris())
            });
            if saved {
                self.uris_draft = None;
            }
        }
        // A tab the workspace's apps do not have is never shown.
        let oidc = app.oidc.as_deref();
        let webhook_tab = caps.webhook && oidc.is_some();
        let providers_tab = caps.providers && oidc.is_some();
        if (self.tab == DetailsTab::Webhook && !webhook_tab)
            || (self.tab == DetailsTab::Providers && !providers_tab)
        {
            self.tab = DetailsTab::Overview;
        }
        let mut actions = Vec::new();
        ui.heading(&app.name);
        if webhook_tab || providers_tab {
            // A tab change goes through the shell, which asks first about unsaved edits.
            ui.horizontal(|ui| {
                let tabs = [
                    (DetailsTab::Overview, "Overview", true),
                    (DetailsTab::Webhook, "Webhook", webhook_tab),
                    (DetailsTab::Providers, "Providers", providers_tab),
                ];
                for (tab, label, shown) in tabs {
                    if shown
                        && ui.selectable_label(self.tab == tab, label).clicked()
                        && self.tab != tab
                    {
                        actions.push(Action::ShowDetailsTab(tab));
                    }
                }
            });
            ui.separator();
        } else {
            ui.add_space(6.0);
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| match (self.tab, oidc) {
                (DetailsTab::Webhook, Some(oidc)) => {
                    actions.extend(self.webhook.ui(ui, &app.id, oidc, busy))
                }
                (DetailsTab::Providers, Some(oidc)) => {
                    actions.extend(super::providers_tab::ui(ui, state, &app.id, oidc))
                }
                _ => {
                    actions.extend(self.fields_ui(ui, app, &caps, busy));
                    if caps.app_keys && app.auth_method() == Some(AuthMethod::PrivateKeyJwt) {
                        ui.add_space(12.0);
                        ui.strong("Keys");
                        actions.extend(self.keys.ui(ui, state, app, busy));
                    }
                }
            });
        actions
    }

    fn fields_ui(
        &mut self,
        ui: &mut egui::Ui,
        app: &App,
        caps: &Capabilities,
        busy: bool,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::Grid::new("app_details")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                // Where an app's own id differs from its client id, both are shown.
                let mut ids = Vec::new();
                if app.id != app.client_id {
                    ids.push(("App ID", &app.id, "app id"));
                }
                ids.push(("Client ID", &app.client_id, "client id"));
                for (label, value, what) in ids {
                    ui.label(label);
                    ui.horizontal(|ui| {
                        ui.monospace(value);
                        if !value.is_empty()
                            && super::widgets::copy_button(ui, what, value).clicked()
                        {
                            actions.push(Action::Copy {
                                text: value.clone(),
                                confirmation: if what == "app id" {
                                    "Copied app id"
                                } else {
                                    "Copied client id"
                                },
                            });
                        }
                    });
                    ui.end_row();
                }

                let label = ui.label("Display name");
                if let Some(name) = self.name_editor(ui, label.id, &app.name, busy, caps) {
                    actions.push(Action::Write(Write::RenameApp {
                        id: app.id.clone(),
                        name,
                    }));
                }
                ui.end_row();

                if let Some(api) = &app.api {
                    ui.label("Type");
                    ui.label(format!("{} application", api.kind.label()));
                    ui.end_row();

                    ui.label("Authentication");
                    ui.label(match api.auth_method {
                        Some(AuthMethod::Basic) => "Basic: client id and secret",
                        Some(AuthMethod::PrivateKeyJwt) => "Private key JWT: signs with keys",
                        None => "Set in the instance's own console",
                    });
                    ui.end_row();
                }

                if caps.activation
                    && let Some(state) = app.state()
                {
                    ui.label("State");
                    ui.horizontal(|ui| {
                        let active = state == Activation::Active;
                        if active {
                            ui.success_label("Active");
                        } else {
                            ui.warning_label("Inactive: logins are refused");
                        }
                        let (text, tip) = if active {
                            ("Deactivate…", "Stop logins until the app is reactivated")
                        } else {
                            ("Reactivate…", "Accept logins again")
                        };
                        if ui
                            .add_enabled(!busy, egui::Button::new(text))
                            .on_hover_text(tip)
                            .clicked()
                        {
                            actions.push(Action::AskSetActive {
                                app_id: app.id.clone(),
                                active: !active,
                            });
                        }
                    });
                    ui.end_row();
                }

                ui.label("Client secret");
                ui.horizontal(|ui| {
                    if app.has_secret() {
                        ui.monospace("••••••••••••");
                        if ui
                            .add_enabled(!busy, egui::Button::new("Rotate secret…"))
                            .on_hover_text(
                                "Issue a new secret; the current one stops working immediately",
                            )
                            .clicked()
                        {
                            actions.push(Action::AskRotate(app.id.clone()));
                        }
                    } else if app.auth_method() == Some(AuthMethod::PrivateKeyJwt) {
                        // Wrapped, so a long note does not widen the panel under the pointer.
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new("None: this app signs with keys").weak(),
                            )
                            .wrap(),
                        );
                    } else {
                        ui.weak("Managed in the instance's own console");
                    }
                });
                ui.end_row();

                let Some(oidc) = app.oidc.as_deref() else {
                    return;
                };
                if caps.redirect_uris {
                    ui.label("Redirect URIs");
                    ui.vertical(|ui| {
                        if let Some(save) = self.redirect_uris_ui(ui, app, busy) {
                            actions.push(save);
                        }
                    });
                    ui.end_row();
                }

                if caps.providers {
                    ui.label("Providers");
                    ui.vertical(|ui| {
                        let enabled = oidc.enabled_providers();
                        ui.label(if enabled.is_empty() {
                            "None enabled".to_owned()
                        } else {
                            enabled.join(", ")
                        });
                        if ui.link("Activation…").clicked() {
                            self.tab = DetailsTab::Providers;
                        }
                    });
                    ui.end_row();
                }

                if caps.workflows {
                    ui.label("Workflows");
                    ui.vertical(|ui| {
                        for (index, workflow) in oidc.workflows.iter().enumerate() {
                            let default = oidc.default_workflow_id.as_deref()
                                == Some(workflow.workflow_id.as_str());
                            let named_default =
                                workflow.name.trim().eq_ignore_ascii_case("default");
                            let mark = if default && !named_default {
                                "(default) · "
                            } else {
                                ""
                            };
                            ui.horizontal_wrapped(|ui| {
                                let name = if workflow.name.is_empty() {
                                    workflow.workflow_id.as_str()
                                } else {
                                    workflow.name.as_str()
                                };
                                if ui
                                    .link(name)
                                    .on_hover_text("Open the workflow graph")
                                    .clicked()
                                {
                                    actions.push(Action::OpenWorkflow {
                                        client_id: app.id.clone(),
                                        index,
                                    });
                                }
                                ui.weak(format!("{mark}{} nodes", workflow.nodes.len()));
                            });
                        }
                        if oidc.workflows.is_empty() {
                            ui.weak("None");
                        }
                    });
                    ui.end_row();
                }

                if caps.webhook {
                    ui.label("Webhook");
                    ui.vertical(|ui| {
                        ui.label(match &oidc.webhook_config {
                            Some(w) if w.enabled => {
                                format!("On · {}", w.url.as_deref().unwrap_or("no URL"))
                            }
                            Some(_) => "Off".to_owned(),
                            None => "Not set".to_owned(),
                        });
                        if ui.link("Edit webhook…").clicked() {
                            self.tab = DetailsTab::Webhook;
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(oidc) = app.oidc.as_deref() {
            ui.add_space(8.0);
            egui::CollapsingHeader::new("Raw JSON (secrets masked)").show(ui, |ui| {
                let mut value = serde_json::to_value(oidc.without_secret()).unwrap_or_default();
                crate::api::redact::mask_secrets(&mut value);
                let text = serde_json::to_string_pretty(&value).unwrap_or_default();
                ui.add(egui::Label::new(egui::RichText::new(text).monospace().small()).wrap());
            });
        }
        actions
    }

    /// The redirect URIs: a list with Edit, or an editor checking the documented rules as
    /// the user types.
    fn redirect_uris_ui(&mut self, ui: &mut egui::Ui, app: &App, busy: bool) -> Option<Action> {
        let Some(draft) = &mut self.uris_draft else {
            if app.redirect_uris().is_empty() {
                ui.weak("None");
            }
            for uri in app.redirect_uris() {
                ui.add(egui::Label::new(egui::RichText::new(uri).monospace()).truncate());
            }
            if ui
                .add_enabled(!busy, egui::Button::new("Edit redirect URIs"))
                .clicked()
            {
                self.uris_draft = Some(app.redirect_uris().join("\n"));
                self.uris_focus = true;
            }
            return None;
        };
        let label = ui.label("Addresses, one per line");
        let edit = ui
            .add_enabled(
                !busy,
                egui::TextEdit::multiline(draft)
                    .font(egui::TextStyle::Monospace)
                    .hint_text("https://example.com/callback")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut self.uris_focus) {
            edit.request_focus();
        }
        ui.weak(
            "Users return to one of these after verifying. When a sign-in does not say which, \
             the first one is used.",
        );
        let numbered = numbered_lines(draft);
        let lines: Vec<&str> = numbered.iter().map(|(_, line)| *line).collect();
        let check = validate_redirect_uris(&lines);
        match &check {
            Ok(uris) => {
                ui.weak(format!("{} of {MAX_URIS}", uris.len()));
            }
            Err(problems) => {
                for problem in problems.iter().take(4) {
                    ui.error_label(match numbered.get(problem.index) {
                        Some((line, _)) => format!("Line {line}: {}", problem.problem),
                        None => problem.problem.clone(),
                    });
                }
                if problems.len() > 4 {
                    ui.error_label(format!("…and {} more", problems.len() - 4));
                }
            }
        }
        let mut action = None;
        ui.horizontal(|ui| {
            let changed = check
                .as_ref()
                .is_ok_and(|uris| uris.as_slice() != app.redirect_uris());
            if ui
                .add_enabled(changed && !busy, egui::Button::new("Save redirect URIs"))
                .clicked()
                && let Ok(uris) = &check
            {
                self.uris_sent = true;
                action = Some(Action::Write(Write::ReplaceRedirectUris {
                    id: app.id.clone(),
                    uris: uris.clone(),
                }));
            }
            if ui.add_enabled(!busy, egui::Button::new("Cancel")).clicked() {
                self.uris_draft = None;
            }
            if busy && self.uris_sent {
                ui.spinner();
                ui.label("Saving…");
            }
        });
        action
    }
}

/// The editor's lines without blank ones: an empty line is spacing, not an address.
fn draft_lines(draft: &str) -> Vec<&str> {
    numbered_lines(draft).into_iter().map(|(_, l)| l).collect()
}

/// Non-blank lines with their 1-based line numbers in the editor.
fn numbered_lines(draft: &str) -> Vec<(usize, &str)> {
    draft
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect()
}
