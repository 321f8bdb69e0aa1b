//! The apps table: search as you type, sortable columns, virtualised rows for 10,000 apps.
//! The same table lists a Hopae workspace's apps (redirect URIs, workflows) and a ZITADEL
//! project's (state, auth method), through the small `Listed` trait.

use egui_extras::{Column, TableBuilder};

use super::action::Action;
use super::state::{AppState, LoadState};
use super::theme::Tokens;
use super::widgets::UiExt as _;
use crate::api::App;
use crate::zitadel::ZitadelApp;

/// Which column the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Created,
    Name,
    ClientId,
    RedirectUris,
    Workflows,
    State,
    AuthMethod,
}

/// What the table needs of an app, on either backend.
pub trait Listed {
    fn name(&self) -> &str;
    /// The id selection and actions use (the client id; ZITADEL: the app id).
    fn key(&self) -> &str;
    fn client_id(&self) -> &str;
    /// The two columns after the client id: their titles and sorts.
    fn extra_columns() -> [(&'static str, SortBy); 2];
    /// A cell of one of those columns.
    fn cell(&self, column: SortBy) -> String;
    /// How a row of that column sorts.
    fn rank(&self, column: SortBy) -> usize;
}

impl Listed for App {
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> &str {
        &self.client_id
    }
    fn client_id(&self) -> &str {
        &self.client_id
    }
    fn extra_columns() -> [(&'static str, SortBy); 2] {
        [
            ("Redirect URIs", SortBy::RedirectUris),
            ("Workflows", SortBy::Workflows),
        ]
    }
    fn cell(&self, column: SortBy) -> String {
        self.rank(column).to_string()
    }
    fn rank(&self, column: SortBy) -> usize {
        match column {
            SortBy::RedirectUris => self.redirect_uris.len(),
            SortBy::Workflows => self.workflows.len(),
            _ => 0,
        }
    }
}

impl Listed for ZitadelApp {
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self) -> &str {
        &self.app_id
    }
    fn client_id(&self) -> &str {
        &self.client_id
    }
    fn extra_columns() -> [(&'static str, SortBy); 2] {
        [
            ("State", SortBy::State),
            ("Auth method", SortBy::AuthMethod),
        ]
    }
    fn cell(&self, column: SortBy) -> String {
        match column {
            SortBy::State => self.state.label().to_owned(),
            SortBy::AuthMethod => match self.auth_method {
                Some(method) => method.label().to_owned(),
                None => format!("{} app", self.kind.label()),
            },
            _ => String::new(),
        }
    }
    fn rank(&self, column: SortBy) -> usize {
        match column {
            SortBy::State => usize::from(self.state != crate::zitadel::AppState::Active),
            SortBy::AuthMethod => self.auth_method.map_or(2, |m| usize::from(!m.has_secret())),
            _ => 0,
        }
    }
}

/// The list view's own state: search text, sort, and the cached visible rows.
#[derive(Default)]
pub struct AppsListView {
    pub search: String,
    pub sort: SortBy,
    pub descending: bool,
    /// Indexes into `AppState::apps`, filtered and sorted.
    visible: Vec<usize>,
    /// Lower-cased "name clientId" per app, for matching without allocating per frame.
    haystacks: Vec<String>,
    cache_key: Option<(u64, String, SortBy, bool)>,
    pub focus_search: bool,
    /// An app to scroll to on the next frame (the palette's "Open <app>").
    reveal: Option<String>,
}

impl AppsListView {
    /// Recomputes the visible rows when the apps, the search or the sort changed.
    pub fn refresh<T: Listed>(&mut self, apps: &[T], revision: u64) {
        let key = (revision, self.search.clone(), self.sort, self.descending);
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        if self.cache_key.as_ref().map(|k| k.0) != Some(revision) {
            self.haystacks = apps.iter().map(haystack).collect();
        }
        let needle = self.search.trim().to_lowercase();
        self.visible = (0..apps.len())
            .filter(|&i| needle.is_empty() || self.haystacks[i].contains(&needle))
            .collect();
        let sort = self.sort;
        match sort {
            SortBy::Created => {}
            // The haystack starts with the lower-cased name, and its separator sorts before any
            // character, so it orders rows by name without allocating per comparison.
            SortBy::Name => self
                .visible
                .sort_by(|&a, &b| self.haystacks[a].cmp(&self.haystacks[b])),
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

    /// Scrolls to `client_id` on the next frame, clearing a search that hides it.
    pub fn reveal(&mut self, client_id: &str) {
        self.reveal = Some(client_id.to_owned());
    }

    /// Draws the search box and the table of the workspace's apps (either backend's).
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, tokens: &Tokens) -> Vec<Action> {
        match state.backend() {
            crate::backend::BackendKind::Hopae => self.list_ui(ui, &state.apps, state, tokens),
            crate::backend::BackendKind::Zitadel => {
                self.list_ui(ui, &state.zitadel_apps, state, tokens)
            }
        }
    }

    fn list_ui<T: Listed>(
        &mut self,
        ui: &mut egui::Ui,
        apps: &[T],
        state: &AppState,
        tokens: &Tokens,
    ) -> Vec<Action> {
        if let Some(id) = &self.reveal {
            let needle = self.search.trim().to_lowercase();
            let hidden = apps
                .iter()
                .find(|a| a.key() == id)
                .is_some_and(|a| !needle.is_empty() && !haystack(a).contains(&needle));
            if hidden {
                self.search.clear();
            }
        }
        self.refresh(apps, state.revision);
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text("Name or client id  (Ctrl+F)")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            if self.focus_search {
                search.request_focus();
                self.focus_search = false;
            }
            if !self.search.is_empty() && ui.small_button("Clear").clicked() {
                self.search.clear();
            }
            ui.label(format!("{} of {} apps", self.visible.len(), apps.len()));
        });
        self.refresh(apps, state.revision);
        ui.add_space(4.0);

        if apps.is_empty() {
            empty_state_ui(ui, state);
            return Vec::new();
        }
        if self.visible.is_empty() {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(format!("No app matches \"{}\"", self.search.trim()));
                if ui.button("Clear search").clicked() {
                    self.search.clear();
                }
            });
            return Vec::new();
        }
        self.table_ui(ui, apps, state, tokens)
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
        let [(first_title, first), (second_title, second)] = T::extra_columns();
        let mut clicked_sort = None;
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
            .column(Column::remainder().at_least(200.0).clip(true))
            .column(Column::exact(150.0))
            .column(Column::exact(110.0))
            .column(Column::exact(90.0))
            .header(26.0, |mut row| {
                row.col(|ui| header(ui, "Name", SortBy::Name, self, &mut clicked_sort));
                row.col(|ui| header(ui, "Client ID", SortBy::ClientId, self, &mut clicked_sort));
                row.col(|ui| header(ui, first_title, first, self, &mut clicked_sort));
                row.col(|ui| header(ui, second_title, second, self, &mut clicked_sort));
            })
            .body(|body| {
                body.rows(tokens.row_height, self.visible.len(), |mut row| {
                    let Some(app) = self.visible.get(row.index()).and_then(|&i| apps.get(i)) else {
                        return;
                    };
                    let selected = state.selected.as_deref() == Some(app.key());
                    row.set_selected(selected);
                    row.col(|ui| {
                        ui.add(egui::Label::new(app.name()).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(app.client_id()).monospace())
                                .truncate()
                                .selectable(false),
                        );
                        if super::widgets::copy_button(ui, "client id", app.client_id()).clicked() {
                            actions.push(Action::Copy {
                                text: app.client_id().to_owned(),
                                confirmation: "Copied client id",
                            });
                        }
                    });
                    row.col(|ui| {
                        ui.label(app.cell(first));
                    });
                    row.col(|ui| {
                        ui.label(app.cell(second));
                    });
                    if row.response().clicked() {
                        actions.push(Action::Select(app.key().to_owned()));
                    }
                });
            });
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
                Some(total) => format!("Loading apps… {loaded} of {total}"),
                None => "Loading apps…".to_owned(),
            });
        }
        LoadState::Failed(error) => {
            ui.error_label("The apps could not be loaded");
            ui.label(error.user_message());
        }
        LoadState::Ready => {
            ui.heading("No apps yet");
            ui.label("Create your first app with \"Create app…\" (Ctrl+N).");
        }
    });
}

/// "name\u{1f}clientid", lower-cased, built in one allocation (no temporary strings, which would
/// leave holes between ten thousand kept ones).
fn haystack<T: Listed>(app: &T) -> String {
    let (name, id) = (app.name(), app.client_id());
    let mut text = String::with_capacity(name.len() + id.len() + 1);
    text.extend(name.chars().flat_map(char::to_lowercase));
    text.push('\u{1f}');
    text.extend(id.chars().flat_map(char::to_lowercase));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apps() -> Vec<App> {
        ["Zeta", "alpha", "한빛은행", "Beta"]
            .iter()
            .enumerate()
            .map(|(i, n)| App {
                client_id: format!("ID{i}"),
                name: (*n).into(),
                ..App::default()
            })
            .collect()
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
