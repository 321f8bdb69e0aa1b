//! The apps table: search as you type, sortable columns, virtualised rows for 10,000 apps.
//! Its columns follow what the workspace's apps have (redirect URIs and workflows, or state and
//! auth method), asked of the capabilities.

use egui_extras::{Column, TableBuilder};

use super::action::Action;
use super::command::UiCommand;
use super::state::{AppState, LoadState};
use super::theme::Tokens;
use super::widgets::UiExt as _;
use crate::backends::{App, AppState as Activation, Capabilities};

/// Which column the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// The order the server answered in.
    Created,
    /// By name, whatever order the server answers in: the default for every backend.
    #[default]
    Name,
    ClientId,
    RedirectUris,
    Workflows,
    State,
    AuthMethod,
}

/// What the table needs of an app.
pub trait Listed {
    fn name(&self) -> &str;
    /// The id selection and actions use.
    fn key(&self) -> &str;
    fn client_id(&self) -> &str;
    /// A cell of one of the columns after the client id.
    fn cell(&self, column: SortBy) -> String;
    /// How a row of that column sorts.
    fn rank(&self, column: SortBy) -> usize;
    /// Whether its webhook is on (`None`: it has no webhook).
    fn webhook_on(&self) -> Option<bool>;
    /// Whether the provider `id` is set up on it.
    fn has_provider(&self, id: &str) -> bool;
    /// Whether it lacks what it needs to be used (a redirect URI, where apps have them).
    fn incomplete(&self) -> bool;
    /// The ids of its providers.
    fn provider_ids(&self) -> Vec<&str>;
}

/// The two columns after the client id, by what the workspace's apps have.
pub fn extra_columns(capabilities: &Capabilities) -> [(String, SortBy); 2] {
    if capabilities.redirect_uris {
        [
            (
                crate::tr!("apps-column-redirect-uris"),
                SortBy::RedirectUris,
            ),
            (crate::tr!("apps-column-workflows"), SortBy::Workflows),
        ]
    } else {
        [
            (crate::tr!("apps-column-state"), SortBy::State),
            (crate::tr!("apps-column-auth-method"), SortBy::AuthMethod),
        ]
    }
}

impl Listed for App {
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> &str {
        &self.id
    }
    fn client_id(&self) -> &str {
        &self.client_id
    }
    fn cell(&self, column: SortBy) -> String {
        match column {
            SortBy::State => match self.state() {
                Some(Activation::Active) => crate::tr!("apps-state-active"),
                Some(Activation::Inactive) => crate::tr!("apps-state-inactive"),
                None => String::new(),
            },
            SortBy::AuthMethod => match (&self.api, self.auth_method()) {
                (_, Some(method)) => method.label().to_owned(),
                (Some(api), None) => crate::tr!("apps-kind-app", kind = kind_label(api.kind)),
                (None, None) => String::new(),
            },
            _ => self.rank(column).to_string(),
        }
    }
    fn rank(&self, column: SortBy) -> usize {
        match column {
            SortBy::RedirectUris => self.redirect_uris().len(),
            SortBy::Workflows => self.workflows().len(),
            SortBy::State => usize::from(self.state() != Some(Activation::Active)),
            SortBy::AuthMethod => self
                .auth_method()
                .map_or(2, |m| usize::from(!m.has_secret())),
            _ => 0,
        }
    }
    fn webhook_on(&self) -> Option<bool> {
        self.oidc
            .as_deref()
            .map(|o| o.webhook_config.as_ref().is_some_and(|w| w.enabled))
    }
    fn has_provider(&self, id: &str) -> bool {
        self.oidc
            .as_deref()
            .is_some_and(|o| o.providers.iter().any(|(p, _)| p == id))
    }
    fn incomplete(&self) -> bool {
        self.oidc.is_some() && self.redirect_uris().is_empty()
    }
    fn provider_ids(&self) -> Vec<&str> {
        self.oidc.as_deref().map_or_else(Vec::new, |o| {
            o.providers.iter().map(|(id, _)| id.as_str()).collect()
        })
    }
}

/// Which apps the webhook filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum WebhookFilter {
    #[default]
    Any,
    On,
    Off,
}

/// The filters beside the search box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub webhook: WebhookFilter,
    /// Only apps with this provider set up.
    pub provider: Option<String>,
    /// Only apps without a redirect URI.
    pub incomplete: bool,
}

impl Filters {
    fn keeps<T: Listed>(&self, app: &T) -> bool {
        let webhook = match self.webhook {
            WebhookFilter::Any => true,
            WebhookFilter::On => app.webhook_on() == Some(true),
            WebhookFilter::Off => app.webhook_on() == Some(false),
        };
        webhook
            && self.provider.as_deref().is_none_or(|p| app.has_provider(p))
            && (!self.incomplete || app.incomplete())
    }

    fn active(&self) -> bool {
        *self != Filters::default()
    }
}

/// The list view's own state: search text, filters, sort, the apps checked for an export, and
/// the cached visible rows.
#[derive(Default)]
pub struct AppsListView {
    pub search: String,
    pub filters: Filters,
    pub sort: SortBy,
    pub descending: bool,
    /// Apps picked with Ctrl- or Shift-click, or Ctrl+A (by key), for an export.
    checked: std::collections::BTreeSet<String>,
    /// The row (in the visible order) a Shift-click extends from.
    anchor: Option<usize>,
    /// Every provider id among the apps, for the provider filter (found once per revision).
    provider_ids: Vec<String>,
    /// Indexes into `AppState::apps`, filtered and sorted.
    visible: Vec<usize>,
    /// Lower-cased "name clientId" per app, for matching without allocating per frame.
    haystacks: Vec<String>,
    /// Indexes into the apps in name order, worked out once per change of the apps.
    by_name: Vec<usize>,
    cache_key: Option<(u64, String, Filters, SortBy, bool)>,
    pub focus_search: bool,
    /// An app to scroll to on the next frame (the palette's "Open <app>").
    reveal: Option<String>,
}

/// How far the keyboard moves the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    By(isize),
    First,
    Last,
}

/// Rows Page Up and Page Down move by.
pub const PAGE_ROWS: isize = 10;

impl AppsListView {
    /// The key of the visible app `step` away from `selected` (the first visible app when
    /// nothing visible is selected), kept within the list; `None` when nothing is visible.
    pub fn step<T: Listed>(
        &self,
        apps: &[T],
        selected: Option<&str>,
        step: Step,
    ) -> Option<String> {
        let last = self.visible.len().checked_sub(1)?;
        let at = selected.and_then(|id| {
            self.visible
                .iter()
                .position(|&i| apps.get(i).is_some_and(|a| a.key() == id))
        });
        let to = match (step, at) {
            (Step::First, _) | (Step::By(_), None) => 0,
            (Step::Last, _) => last,
            (Step::By(by), Some(at)) => at.saturating_add_signed(by).min(last),
        };
        apps.get(self.visible[to]).map(|a| a.key().to_owned())
    }

    /// Recomputes the visible rows when the apps, the search or the sort changed.
    pub fn refresh<T: Listed>(&mut self, apps: &[T], revision: u64) {
        let key = (
            revision,
            self.search.clone(),
            self.filters.clone(),
            self.sort,
            self.descending,
        );
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        if self.cache_key.as_ref().map(|k| k.0) != Some(revision) {
            self.haystacks = apps.iter().map(haystack).collect();
            let mut ids: Vec<String> = apps
                .iter()
                .flat_map(|a| a.provider_ids())
                .map(str::to_owned)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            self.provider_ids = ids;
            // The name order, once per load: the default sort then filters in that order and
            // never sorts on a keystroke. The haystack starts with the lower-cased name, and
            // its separator sorts before any character.
            let mut by_name: Vec<usize> = (0..apps.len()).collect();
            by_name.sort_by(|&a, &b| self.haystacks[a].cmp(&self.haystacks[b]));
            self.by_name = by_name;
        }
        let query = crate::search::AppQuery::new(&self.search);
        let filters = &self.filters;
        let keep = |i: usize| query.matches_haystack(&self.haystacks[i]) && filters.keeps(&apps[i]);
        self.visible = if self.sort == SortBy::Name {
            self.by_name.iter().copied().filter(|&i| keep(i)).collect()
        } else {
            (0..apps.len()).filter(|&i| keep(i)).collect()
        };
        let sort = self.sort;
        match sort {
            SortBy::Created | SortBy::Name => {}
            SortBy::ClientId => self
                .visible
                .sort_by(|&a, &b| apps[a].client_id().cmp(apps[b].client_id())),
            column => self.visible.sort_by_key(|&i| apps[i].rank(column)),
        }
        if self.descending {
            self.visible.reverse();
        }
        self.cache_key = Some(key);
    }

    pub fn visible_count(&self) -> usize {
        self.visible.len()
    }

    /// The apps checked for an export (empty: none, which exports all the list shows).
    pub fn checked(&self) -> &std::collections::BTreeSet<String> {
        &self.checked
    }

    /// What an export takes: the checked apps, else every app the list shows (search and
    /// filters applied), in the list's order.
    pub fn export_keys<T: Listed>(&self, apps: &[T]) -> Vec<String> {
        if !self.checked.is_empty() {
            return self.checked.iter().cloned().collect();
        }
        self.visible
            .iter()
            .filter_map(|&i| apps.get(i))
            .map(|a| a.key().to_owned())
            .collect()
    }

    /// Checks every app the list shows (Ctrl+A).
    pub fn check_all<T: Listed>(&mut self, apps: &[T]) {
        self.checked = self
            .visible
            .iter()
            .filter_map(|&i| apps.get(i))
            .map(|a| a.key().to_owned())
            .collect();
    }

    /// A click on the row at `position` (visible order): alone it selects the app; with Ctrl
    /// it checks or unchecks it; with Shift it checks the rows from the last click to it.
    fn click<T: Listed>(&mut self, apps: &[T], position: usize, modifiers: egui::Modifiers) {
        let key_at = |p: usize| {
            self.visible
                .get(p)
                .and_then(|&i| apps.get(i))
                .map(|a| a.key().to_owned())
        };
        let Some(key) = key_at(position) else { return };
        if modifiers.shift {
            let from = self.anchor.unwrap_or(position);
            let (low, high) = (from.min(position), from.max(position));
            let keys: Vec<String> = (low..=high).filter_map(key_at).collect();
            self.checked.extend(keys);
        } else if modifiers.command {
            if !self.checked.remove(&key) {
                self.checked.insert(key);
            }
            self.anchor = Some(position);
        } else {
            self.checked.clear();
            self.anchor = Some(position);
        }
    }

    /// Scrolls to `client_id` on the next frame, clearing a search that hides it.
    pub fn reveal(&mut self, client_id: &str) {
        self.reveal = Some(client_id.to_owned());
    }

    /// Draws the search box and the table of the workspace's apps (either backend's).
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, tokens: &Tokens) -> Vec<Action> {
        self.list_ui(ui, &state.apps, state, tokens)
    }

    fn list_ui<T: Listed>(
        &mut self,
        ui: &mut egui::Ui,
        apps: &[T],
        state: &AppState,
        tokens: &Tokens,
    ) -> Vec<Action> {
        if let Some(id) = &self.reveal {
            let query = crate::search::AppQuery::new(&self.search);
            let hidden = apps
                .iter()
                .find(|a| a.key() == id)
                .is_some_and(|a| !query.matches(a.name(), a.client_id()));
            if hidden {
                self.search.clear();
            }
        }
        self.refresh(apps, state.revision);
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("apps-search-label"));
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text(crate::tr!("apps-search-hint"))
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            if self.focus_search {
                search.request_focus();
                self.focus_search = false;
            }
            if !self.search.is_empty() && ui.small_button(crate::tr!("apps-search-clear")).clicked()
            {
                self.search.clear();
            }
            ui.label(crate::tr!(
                "apps-count-shown",
                shown = self.visible.len(),
                total = apps.len()
            ));
        });
        let mut actions = Vec::new();
        if state.capabilities.webhook || state.capabilities.providers {
            actions.extend(self.filters_ui(ui));
        }
        self.refresh(apps, state.revision);
        ui.add_space(4.0);

        if apps.is_empty() {
            empty_state_ui(ui, state);
            return actions;
        }
        if self.visible.is_empty() {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(if self.filters.active() {
                    crate::tr!("apps-no-match-filters")
                } else {
                    crate::tr!("apps-no-match", search = self.search.trim())
                });
                if ui.button(crate::tr!("apps-clear-search-filters")).clicked() {
                    self.search.clear();
                    self.filters = Filters::default();
                }
            });
            return actions;
        }
        actions.extend(self.table_ui(ui, apps, state, tokens));
        actions
    }

    /// The filters (webhook, provider, incomplete) and the export of the checked apps.
    fn filters_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("apps-filter-webhook"));
            let any = crate::tr!("apps-filter-any");
            let (on, off) = (crate::tr!("apps-filter-on"), crate::tr!("apps-filter-off"));
            egui::ComboBox::from_id_salt("filter_webhook")
                .selected_text(match self.filters.webhook {
                    WebhookFilter::Any => any.as_str(),
                    WebhookFilter::On => on.as_str(),
                    WebhookFilter::Off => off.as_str(),
                })
                .width(70.0)
                .show_ui(ui, |ui| {
                    for (value, text) in [
                        (WebhookFilter::Any, any.as_str()),
                        (WebhookFilter::On, on.as_str()),
                        (WebhookFilter::Off, off.as_str()),
                    ] {
                        ui.selectable_value(&mut self.filters.webhook, value, text);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(crate::tr!("apps-filter-provider"));
            egui::ComboBox::from_id_salt("filter_provider")
                .selected_text(self.filters.provider.as_deref().unwrap_or(any.as_str()))
                .width(110.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filters.provider, None, any.as_str());
                    for id in &self.provider_ids {
                        ui.selectable_value(&mut self.filters.provider, Some(id.clone()), id);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(
                &mut self.filters.incomplete,
                crate::tr!("apps-filter-no-redirect-uris"),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let count = self.checked.len();
                let scope = if count == 0 {
                    crate::tr!("apps-export-scope-listed")
                } else {
                    crate::tr!("apps-export-scope-selected", count = count)
                };
                ui.menu_button(crate::tr!("apps-export"), |ui| {
                    ui.weak(&scope);
                    for (command, text) in [
                        (UiCommand::ExportCsv, crate::tr!("apps-export-csv")),
                        (UiCommand::ExportJson, crate::tr!("apps-export-json")),
                    ] {
                        if ui.button(text).clicked() {
                            actions.push(Action::Command(command));
                            ui.close();
                        }
                    }
                })
                .response
                .on_hover_text(crate::tr!("apps-export-tooltip", scope = scope.as_str()));
                if count > 0 {
                    if ui
                        .small_button(crate::tr!("apps-clear-selection"))
                        .clicked()
                    {
                        self.checked.clear();
                    }
                    ui.label(crate::tr!("apps-selected-count", count = count));
                }
            });
        });
        actions
    }

    fn table_ui<T: Listed>(
        &mut self,
        ui: &mut egui::Ui,
        apps: &[T],
        state: &AppState,
        tokens: &Tokens,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let reveal_row = self.reveal.take().and_then(|id| {
            self.visible
                .iter()
                .position(|&i| apps.get(i).is_some_and(|a| a.key() == id))
        });
        let [(first_title, first), (second_title, second)] = extra_columns(&state.capabilities);
        let mut clicked_sort = None;
        let mut clicked_row = None;
        let header = |ui: &mut egui::Ui,
                      label: &str,
                      column: SortBy,
                      view: &AppsListView,
                      clicked: &mut Option<SortBy>| {
            let arrow = if view.sort == column {
                if view.descending { " ↓" } else { " ↑" }
            } else {
                ""
            };
            if ui
                .add(
                    egui::Button::new(egui::RichText::new(format!("{label}{arrow}")).strong())
                        .frame(false),
                )
                .clicked()
            {
                *clicked = Some(column);
            }
        };
        let mut table = TableBuilder::new(ui);
        if let Some(row) = reveal_row {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        }
        table
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            // Narrow enough for the list beside the details in a 1024-pixel window.
            .column(Column::remainder().at_least(160.0).clip(true))
            .column(Column::exact(150.0))
            .column(Column::exact(100.0).clip(true))
            .column(Column::exact(110.0).clip(true))
            .header(26.0, |mut row| {
                let name = crate::tr!("apps-column-name");
                let client_id = crate::tr!("apps-column-client-id");
                row.col(|ui| header(ui, &name, SortBy::Name, self, &mut clicked_sort));
                row.col(|ui| header(ui, &client_id, SortBy::ClientId, self, &mut clicked_sort));
                row.col(|ui| header(ui, &first_title, first, self, &mut clicked_sort));
                row.col(|ui| header(ui, &second_title, second, self, &mut clicked_sort));
            })
            .body(|body| {
                body.rows(tokens.row_height, self.visible.len(), |mut row| {
                    let Some(app) = self.visible.get(row.index()).and_then(|&i| apps.get(i)) else {
                        return;
                    };
                    let selected = state.selected.as_deref() == Some(app.key())
                        || self.checked.contains(app.key());
                    row.set_selected(selected);
                    row.col(|ui| {
                        if app.incomplete() {
                            // A framed badge in text of 12 points, readable at a glance (the
                            // small style drew it about 7 pixels tall).
                            egui::Frame::new()
                                .stroke(egui::Stroke::new(1.0, tokens.warning))
                                .corner_radius(3.0)
                                .inner_margin(egui::Margin::symmetric(4, 0))
                                .show(ui, |ui| {
                                    ui.add(
                                        egui::Label::new(
                                            egui::RichText::new(crate::tr!(
                                                "apps-badge-no-redirect-uris"
                                            ))
                                            .size(12.0)
                                            .color(tokens.warning),
                                        )
                                        .selectable(false),
                                    )
                                })
                                .inner
                                .on_hover_text(crate::tr!("apps-badge-no-redirect-uris-tooltip"));
                        }
                        ui.add(egui::Label::new(app.name()).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        // Copy first, from the right, so a long id is what gets cut.
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if super::widgets::copy_button(ui, "client id", app.client_id())
                                .clicked()
                            {
                                actions.push(Action::Copy {
                                    text: app.client_id().to_owned(),
                                    confirmation: crate::tr!("clipboard-copied-client-id"),
                                });
                            }
                            ui.with_layout(
                                egui::Layout::left_to_right(egui::Align::Center),
                                |ui| {
                                    ui.add(
                                        egui::Label::new(
                                            egui::RichText::new(app.client_id()).monospace(),
                                        )
                                        .truncate()
                                        .selectable(false),
                                    )
                                    .on_hover_text(app.client_id());
                                },
                            );
                        });
                    });
                    row.col(|ui| {
                        ui.label(app.cell(first));
                    });
                    row.col(|ui| {
                        ui.label(app.cell(second));
                    });
                    if row.response().clicked() {
                        clicked_row = Some(row.index());
                        actions.push(Action::Select(app.key().to_owned()));
                    }
                });
            });
        if let Some(position) = clicked_row {
            let modifiers = ui.input(|i| i.modifiers);
            self.click(apps, position, modifiers);
        }
        if let Some(column) = clicked_sort {
            if self.sort == column {
                self.descending = !self.descending;
            } else {
                self.sort = column;
                self.descending = false;
            }
        }
        actions
    }
}

fn empty_state_ui(ui: &mut egui::Ui, state: &AppState) {
    ui.add_space(40.0);
    ui.vertical_centered(|ui| match &state.load {
        LoadState::Loading { loaded, total, .. } => {
            ui.spinner();
            ui.label(match total {
                Some(total) => {
                    let (loaded, total): (usize, usize) = (*loaded, *total);
                    crate::tr!("apps-loading-progress", loaded = loaded, total = total)
                }
                None => crate::tr!("apps-loading"),
            });
        }
        LoadState::Failed(error) => {
            ui.error_label(crate::tr!("apps-load-failed"));
            ui.label(error.user_message());
        }
        LoadState::Ready => {
            ui.heading(crate::tr!("apps-empty-title"));
            ui.label(crate::tr!("apps-empty-hint"));
        }
    });
}

/// "name\u{1f}clientid", lower-cased, built in one allocation (no temporary strings, which would
/// leave holes between ten thousand kept ones).
fn haystack<T: Listed>(app: &T) -> String {
    crate::search::haystack(app.name(), app.client_id())
}

/// An app's kind as the user reads it: the protocol's name, or "other" in their language.
pub fn kind_label(kind: crate::backends::model::AppKind) -> String {
    match kind {
        crate::backends::model::AppKind::Unknown => crate::tr!("apps-kind-other"),
        known => known.label().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apps() -> Vec<App> {
        ["Zeta", "alpha", "한빛은행", "Beta"]
            .iter()
            .enumerate()
            .map(|(i, n)| App::bare(format!("ID{i}"), format!("ID{i}"), *n))
            .collect()
    }

    #[test]
    fn the_list_is_sorted_by_name_by_default_whatever_the_server_order() {
        let apps = apps();
        let mut view = AppsListView::default();
        view.refresh(&apps, 1);
        let names: Vec<&str> = view
            .visible
            .iter()
            .map(|&i| apps[i].name.as_str())
            .collect();
        assert_eq!(names, ["alpha", "Beta", "Zeta", "한빛은행"]);
    }

    #[test]
    fn filters_by_name_or_id_and_sorts() {
        let apps = apps();
        let mut view = AppsListView::default();
        view.refresh(&apps, 1);
        assert_eq!(view.visible_count(), 4);
        view.search = "한빛".into();
        view.refresh(&apps, 1);
        assert_eq!(view.visible, vec![2]);
        view.search = "id3".into();
        view.refresh(&apps, 1);
        assert_eq!(view.visible, vec![3]);
        view.search.clear();
        view.sort = SortBy::Name;
        view.refresh(&apps, 1);
        assert_eq!(view.visible, vec![1, 3, 0, 2]);
    }
}
