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
    pub parts: Vec<String>,
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
                unsaved.parts.push(crate::tr!("details-part-name"));
                unsaved.writes.push(Write::RenameApp {
                    id: app.id.clone(),
                    name,
                });
            }
            Err(problem) => {
                unsaved.parts.push(crate::tr!("details-part-name"));
                unsaved.problem = Some(crate::tr!("details-problem-name", problem = problem));
            }
        }
        if let Some(draft) = &self.uris_draft {
            match validate_redirect_uris(&draft_lines(draft)) {
                Ok(uris) if uris == app.redirect_uris() => {}
                Ok(uris) => {
                    unsaved.parts.push(crate::tr!("details-part-redirect-uris"));
                    unsaved.writes.push(Write::ReplaceRedirectUris {
                        id: app.id.clone(),
                        uris,
                    });
                }
                Err(problems) => {
                    unsaved.parts.push(crate::tr!("details-part-redirect-uris"));
                    let first = problems.first().map(|p| p.problem.clone());
                    unsaved.problem = Some(crate::tr!(
                        "details-problem-redirect-uris",
                        problem = first.unwrap_or_default()
                    ));
                }
            }
        }
        if let Some(oidc) = app.oidc.as_deref()
            && let Some(changes) = self.webhook.unsaved(&app.id, oidc)
        {
            unsaved.parts.push(crate::tr!("details-part-webhook"));
            match changes {
                Ok(patch) => unsaved.writes.push(Write::UpdateWebhook {
                    id: app.id.clone(),
                    patch,
                }),
                Err(problem) => {
                    unsaved.problem = Some(crate::tr!("details-problem-webhook", problem = problem))
                }
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
                let save = ui.add_enabled(
                    changed && !busy,
                    egui::Button::new(crate::tr!("details-save-name")),
                );
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
                        egui::Button::new(crate::tr!("details-reset")),
                    )
                    .clicked()
                {
                    self.name_draft = current.to_owned();
                }
                if busy {
                    ui.spinner();
                    ui.label(crate::tr!("details-saving"));
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
                    crate::tr!("details-pick-project")
                } else {
                    crate::tr!("details-select-app")
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
                    (
                        DetailsTab::Overview,
                        crate::tr!("details-tab-overview"),
                        true,
                    ),
                    (
                        DetailsTab::Webhook,
                        crate::tr!("details-tab-webhook"),
                        webhook_tab,
                    ),
                    (
                        DetailsTab::Providers,
                        crate::tr!("details-tab-providers"),
                        providers_tab,
                    ),
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
                        ui.strong(crate::tr!("details-keys"));
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
                    ids.push((crate::tr!("details-app-id"), &app.id, "app id"));
                }
                ids.push((crate::tr!("details-client-id"), &app.client_id, "client id"));
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
                                    crate::tr!("clipboard-copied-app-id")
                                } else {
                                    crate::tr!("clipboard-copied-client-id")
                                },
                            });
                        }
                    });
                    ui.end_row();
                }

                let label = ui.label(crate::tr!("details-display-name"));
                if let Some(name) = self.name_editor(ui, label.id, &app.name, busy, caps) {
                    actions.push(Action::Write(Write::RenameApp {
                        id: app.id.clone(),
                        name,
                    }));
                }
                ui.end_row();

                if let Some(api) = &app.api {
                    ui.label(crate::tr!("details-type"));
                    ui.label(crate::tr!(
                        "details-type-value",
                        kind = super::apps_list::kind_label(api.kind)
                    ));
                    ui.end_row();

                    ui.label(crate::tr!("details-authentication"));
                    ui.label(match api.auth_method {
                        Some(AuthMethod::Basic) => crate::tr!("details-auth-basic"),
                        Some(AuthMethod::PrivateKeyJwt) => {
                            crate::tr!("details-auth-private-key-jwt")
                        }
                        None => crate::tr!("details-auth-unset"),
                    });
                    ui.end_row();
                }

                if caps.activation
                    && let Some(state) = app.state()
                {
                    ui.label(crate::tr!("details-state"));
                    ui.horizontal(|ui| {
                        let active = state == Activation::Active;
                        if active {
                            ui.success_label(crate::tr!("details-active"));
                        } else {
                            ui.warning_label(crate::tr!("details-inactive"));
                        }
                        let (text, tip) = if active {
                            (
                                crate::tr!("details-deactivate"),
                                crate::tr!("details-deactivate-tooltip"),
                            )
                        } else {
                            (
                                crate::tr!("details-reactivate"),
                                crate::tr!("details-reactivate-tooltip"),
                            )
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

                ui.label(crate::tr!("details-client-secret"));
                ui.horizontal(|ui| {
                    if app.has_secret() {
                        ui.monospace("••••••••••••");
                        if ui
                            .add_enabled(
                                !busy,
                                egui::Button::new(crate::tr!("details-rotate-secret")),
                            )
                            .on_hover_text(crate::tr!("details-rotate-secret-tooltip"))
                            .clicked()
                        {
                            actions.push(Action::AskRotate(app.id.clone()));
                        }
                    } else if app.auth_method() == Some(AuthMethod::PrivateKeyJwt) {
                        // Wrapped, so a long note does not widen the panel under the pointer.
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(crate::tr!("details-secret-none-keys")).weak(),
                            )
                            .wrap(),
                        );
                    } else {
                        ui.weak(crate::tr!("details-secret-managed"));
                    }
                });
                ui.end_row();

                let Some(oidc) = app.oidc.as_deref() else {
                    return;
                };
                if caps.redirect_uris {
                    ui.label(crate::tr!("details-redirect-uris"));
                    ui.vertical(|ui| {
                        if let Some(save) = self.redirect_uris_ui(ui, app, busy) {
                            actions.push(save);
                        }
                    });
                    ui.end_row();
                }

                if caps.providers {
                    ui.label(crate::tr!("details-providers"));
                    ui.vertical(|ui| {
                        let enabled = oidc.enabled_providers();
                        ui.label(if enabled.is_empty() {
                            crate::tr!("details-providers-none")
                        } else {
                            enabled.join(", ")
                        });
                        if ui
                            .link(crate::tr!("details-providers-activation"))
                            .clicked()
                        {
                            self.tab = DetailsTab::Providers;
                        }
                    });
                    ui.end_row();
                }

                if caps.workflows {
                    ui.label(crate::tr!("details-workflows"));
                    ui.vertical(|ui| {
                        for (index, workflow) in oidc.workflows.iter().enumerate() {
                            let default = oidc.default_workflow_id.as_deref()
                                == Some(workflow.workflow_id.as_str());
                            let named_default =
                                workflow.name.trim().eq_ignore_ascii_case("default");
                            let count = workflow.nodes.len();
                            let nodes = if default && !named_default {
                                crate::tr!("details-workflow-default-nodes", count = count)
                            } else {
                                crate::tr!("details-workflow-nodes", count = count)
                            };
                            ui.horizontal_wrapped(|ui| {
                                let name = if workflow.name.is_empty() {
                                    workflow.workflow_id.as_str()
                                } else {
                                    workflow.name.as_str()
                                };
                                if ui
                                    .link(name)
                                    .on_hover_text(crate::tr!("details-workflow-open-tooltip"))
                                    .clicked()
                                {
                                    actions.push(Action::OpenWorkflow {
                                        client_id: app.id.clone(),
                                        index,
                                    });
                                }
                                ui.weak(nodes);
                            });
                        }
                        if oidc.workflows.is_empty() {
                            ui.weak(crate::tr!("details-none"));
                        }
                    });
                    ui.end_row();
                }

                if caps.webhook {
                    ui.label(crate::tr!("details-webhook"));
                    ui.vertical(|ui| {
                        ui.label(match &oidc.webhook_config {
                            Some(w) if w.enabled => crate::tr!(
                                "details-webhook-on",
                                url = w
                                    .url
                                    .clone()
                                    .unwrap_or_else(|| crate::tr!("details-webhook-no-url"))
                            ),
                            Some(_) => crate::tr!("details-webhook-off"),
                            None => crate::tr!("details-webhook-not-set"),
                        });
                        if ui.link(crate::tr!("details-edit-webhook")).clicked() {
                            self.tab = DetailsTab::Webhook;
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(oidc) = app.oidc.as_deref() {
            ui.add_space(8.0);
            egui::CollapsingHeader::new(crate::tr!("details-raw-json"))
                .id_salt("raw_json")
                .show(ui, |ui| {
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
                ui.weak(crate::tr!("details-none"));
            }
            for uri in app.redirect_uris() {
                ui.add(egui::Label::new(egui::RichText::new(uri).monospace()).truncate());
            }
            if ui
                .add_enabled(
                    !busy,
                    egui::Button::new(crate::tr!("details-edit-redirect-uris")),
                )
                .clicked()
            {
                self.uris_draft = Some(app.redirect_uris().join("\n"));
                self.uris_focus = true;
            }
            return None;
        };
        let label = ui.label(crate::tr!("details-uris-label"));
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
        ui.weak(crate::tr!("details-uris-help"));
        let numbered = numbered_lines(draft);
        let lines: Vec<&str> = numbered.iter().map(|(_, line)| *line).collect();
        let check = validate_redirect_uris(&lines);
        match &check {
            Ok(uris) => {
                ui.weak(crate::tr!(
                    "details-uris-count",
                    count = uris.len(),
                    max = MAX_URIS
                ));
            }
            Err(problems) => {
                for problem in problems.iter().take(4) {
                    ui.error_label(match numbered.get(problem.index) {
                        Some((line, _)) => crate::tr!(
                            "details-uris-line-problem",
                            line = line.to_string(),
                            problem = problem.problem.as_str()
                        ),
                        None => problem.problem.clone(),
                    });
                }
                if problems.len() > 4 {
                    let more: usize = problems.len() - 4;
                    ui.error_label(crate::tr!("details-uris-more", count = more));
                }
            }
        }
        let mut action = None;
        ui.horizontal(|ui| {
            let changed = check
                .as_ref()
                .is_ok_and(|uris| uris.as_slice() != app.redirect_uris());
            if ui
                .add_enabled(
                    changed && !busy,
                    egui::Button::new(crate::tr!("details-save-redirect-uris")),
                )
                .clicked()
                && let Ok(uris) = &check
            {
                self.uris_sent = true;
                action = Some(Action::Write(Write::ReplaceRedirectUris {
                    id: app.id.clone(),
                    uris: uris.clone(),
                }));
            }
            if ui
                .add_enabled(!busy, egui::Button::new(crate::tr!("common-cancel")))
                .clicked()
            {
                self.uris_draft = None;
            }
            if busy && self.uris_sent {
                ui.spinner();
                ui.label(crate::tr!("details-saving"));
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
