//! The Activity panel: every write made from this computer (console and command line), newest
//! first, with a filter and "Copy request id" for support. Plain state: it asks for entries
//! with a command and draws what comes back.

use egui_extras::{Column, TableBuilder};

use super::action::{Action, ViewOutput};

use super::theme::Tokens;
use super::widgets::UiExt as _;
use crate::activity::{Entry, Filter, Outcome};
use crate::backends::App;
use crate::runtime::{Command, OpId};

/// How many entries the panel reads at most.
const LIMIT: usize = 500;

/// The panel's state.
#[derive(Debug, Default)]
pub struct ActivityView {
    pub search: String,
    pub failed_only: bool,
    pub entries: Vec<Entry>,
    pub error: Option<String>,
    pub loading: bool,
    /// The filter the entries were asked for; a change asks again.
    asked_for: Option<(String, bool)>,
    /// The request whose answer the view waits for: an older one arriving late is dropped,
    /// so typing shows the answer to the last query.
    waiting: Option<OpId>,
}

impl ActivityView {
    /// The entries for the current filter, once per change of it. `apps` are the console's
    /// apps: an app whose name matches now finds the entries logged under its older names.
    fn request(&mut self, apps: &[App]) -> Option<Command> {
        let key = (self.search.trim().to_owned(), self.failed_only);
        if self.asked_for.as_ref() == Some(&key) {
            return None;
        }
        self.asked_for = Some(key.clone());
        self.loading = true;
        let op = OpId::next();
        self.waiting = Some(op);
        Some(Command::LoadActivity {
            op,
            limit: LIMIT,
            filter: Filter {
                text_apps: if key.0.is_empty() {
                    Vec::new()
                } else {
                    let query = crate::search::AppQuery::new(&key.0);
                    apps.iter()
                        .filter(|a| query.matches(&a.name, &a.client_id))
                        .map(|a| a.id.clone())
                        .collect()
                },
                text: Some(key.0).filter(|t| !t.is_empty()),
                outcome: key.1.then_some(Outcome::Failed),
                ..Filter::default()
            },
        })
    }

    /// Reads the log again (after a write, or on Refresh).
    pub fn reload(&mut self) {
        self.asked_for = None;
    }

    /// The answer to the request `op`; an answer to an earlier one is dropped.
    pub fn apply(&mut self, op: OpId, result: Result<Vec<Entry>, String>) {
        if self.waiting != Some(op) {
            return;
        }
        self.waiting = None;
        self.loading = false;
        match result {
            Ok(entries) => {
                self.entries = entries;
                self.error = None;
            }
            Err(error) => self.error = Some(error),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, apps: &[App], tokens: &Tokens) -> ViewOutput {
        let mut output = ViewOutput::default();
        ui.horizontal(|ui| {
            if ui
                .button(crate::tr!("common-close"))
                .on_hover_text(crate::tr!("activity-close-tooltip"))
                .clicked()
            {
                output.close = true;
            }
            ui.separator();
            ui.heading(crate::tr!("activity-title"));
            ui.separator();
            let label = ui.label(crate::tr!("activity-filter"));
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text(crate::tr!("activity-filter-hint"))
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut self.failed_only, crate::tr!("activity-failed-only"));
            if ui.button(crate::tr!("activity-refresh")).clicked() {
                self.reload();
            }
            if self.loading {
                ui.spinner();
            }
        });
        ui.weak(crate::tr!("activity-help"));
        output.commands.extend(self.request(apps));
        if let Some(error) = &self.error {
            ui.error_label(error);
        }
        ui.add_space(4.0);
        if self.entries.is_empty() && !self.loading {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(
                    if self
                        .asked_for
                        .as_ref()
                        .is_some_and(|(t, f)| !t.is_empty() || *f)
                    {
                        crate::tr!("activity-no-match")
                    } else {
                        crate::tr!("activity-empty")
                    },
                )
            });
            return output;
        }
        self.table_ui(ui, apps, tokens, &mut output);
        output
    }

    fn table_ui(&self, ui: &mut egui::Ui, apps: &[App], tokens: &Tokens, output: &mut ViewOutput) {
        let entries = &self.entries;
        // The outcome takes what is left, so the table fits a 1024-pixel window.
        TableBuilder::new(ui)
            .id_salt("activity")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(150.0))
            .column(Column::initial(120.0).clip(true))
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(190.0).clip(true))
            .column(Column::exact(130.0))
            .column(Column::remainder().at_least(160.0).clip(true))
            .header(24.0, |mut header| {
                for title in [
                    crate::tr!("activity-column-time"),
                    crate::tr!("activity-column-workspace"),
                    crate::tr!("activity-column-action"),
                    crate::tr!("activity-column-app"),
                    crate::tr!("activity-column-request-id"),
                    crate::tr!("activity-column-outcome"),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(tokens.row_height, entries.len(), |mut row| {
                    let Some(entry) = entries.get(row.index()) else {
                        return;
                    };
                    // Local time, as people note it; UTC on hover, as support quotes it.
                    row.col(|ui| {
                        let local = crate::clock::local_text(&entry.time)
                            .unwrap_or_else(|| shown_time(&entry.time));
                        let utc = crate::clock::utc_text(&entry.time)
                            .unwrap_or_else(|| entry.time.clone());
                        ui.monospace(local).on_hover_text(utc);
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&entry.workspace).truncate());
                    });
                    row.col(|ui| {
                        ui.label(entry.action.label());
                    });
                    row.col(|ui| {
                        let app = match (&entry.app_name, &entry.app_id) {
                            (Some(name), Some(id)) => format!("{name} ({id})"),
                            (Some(name), None) => name.clone(),
                            (None, Some(id)) => id.clone(),
                            (None, None) => String::new(),
                        };
                        // An app still in the workspace opens from its row.
                        match entry
                            .app_id
                            .as_ref()
                            .filter(|id| apps.iter().any(|a| &a.id == *id))
                        {
                            Some(id) => {
                                let link = ui
                                    .add(egui::Link::new(app))
                                    .on_hover_text(crate::tr!("activity-app-link-tooltip"));
                                if link.clicked() {
                                    output.actions.push(Action::OpenApp(id.clone()));
                                    output.close = true;
                                }
                            }
                            None => {
                                ui.add(egui::Label::new(app).truncate());
                            }
                        }
                    });
                    row.col(|ui| {
                        if let Some(id) = &entry.request_id {
                            let short: String = id.chars().take(8).collect();
                            ui.monospace(format!("{short}…")).on_hover_text(id);
                            if super::widgets::copy_button(ui, "request id", id).clicked() {
                                output.actions.push(Action::Copy {
                                    text: id.clone(),
                                    confirmation: crate::tr!("clipboard-copied-request-id"),
                                });
                            }
                        }
                    });
                    row.col(|ui| match entry.outcome {
                        Outcome::Ok => {
                            let detail = entry
                                .detail
                                .clone()
                                .unwrap_or_else(|| crate::tr!("activity-outcome-done"));
                            let text = crate::tr!("activity-outcome-ok", detail = detail);
                            ui.add(
                                egui::Label::new(egui::RichText::new(text).color(tokens.success))
                                    .truncate(),
                            );
                        }
                        Outcome::Failed => {
                            let error = entry.error.clone().unwrap_or_default();
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(crate::tr!(
                                        "activity-outcome-failed",
                                        error = error.as_str()
                                    ))
                                    .color(tokens.error),
                                )
                                .truncate(),
                            )
                            .on_hover_text(error);
                        }
                    });
                });
            });
    }
}

/// "2026-12-03T11:39:56.521Z" as "2026-12-03 11:39:56": to the second, which is what people
/// compare with their own notes.
fn shown_time(time: &str) -> String {
    let seconds = time.split('.').next().unwrap_or(time);
    seconds.replace('T', " ").trim_end_matches('Z').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_answer_to_an_earlier_filter_is_dropped() {
        let mut view = ActivityView {
            search: "acme".into(),
            ..ActivityView::default()
        };
        let Some(Command::LoadActivity { op: first, .. }) = view.request(&[]) else {
            panic!("the first filter asks");
        };
        view.search = "acme retail".into();
        let Some(Command::LoadActivity { op: second, .. }) = view.request(&[]) else {
            panic!("a changed filter asks again");
        };
        view.apply(second, Ok(Vec::new()));
        assert!(!view.loading);
        // The first query's answer arrives last: the view keeps the second's.
        view.apply(first, Err("stale".into()));
        assert!(view.error.is_none());
    }
}
