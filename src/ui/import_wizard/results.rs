//! Step 5: every row's outcome, where the client secrets were written (a file readable only by
//! the user), and the results file to save.

use egui_extras::{Column, TableBuilder};

use std::path::Path;

use super::{ImportWizard, Step, ViewOutput};
use crate::import::RowStatus;
use crate::runtime::Command;
use crate::runtime::FilePurpose;
use crate::ui::action::Action;
use crate::ui::theme;
use crate::ui::widgets::UiExt as _;

impl ImportWizard {
    pub(super) fn results_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        let Some(report) = self.report.clone() else {
            self.step = Step::File;
            return;
        };
        let tokens = theme::tokens(ui.visuals().dark_mode);
        let summary = report.summary();
        ui.heading(if summary.all_done() {
            "Import finished"
        } else {
            "Import finished with problems"
        });
        ui.label(summary.sentence());
        if let Some(reason) = &report.stopped {
            ui.warning_label(format!("The import stopped early: {reason}"));
        }
        if summary.failed + summary.skipped > 0 {
            ui.weak(
                "Open the same file again and import it to retry the rows not created; apps \
                 already created are not created twice.",
            );
        }
        let new_apps = summary.created - summary.created_earlier;
        if let Some(dir) = &report.keys_dir {
            let files = report.rows.iter().filter(|r| r.key_file.is_some()).count();
            file_place(
                ui,
                output,
                &format!(
                    "{files} app(s) have their key file in this folder (readable only by you; \
                     the results name each file). Hand each file to its customer over a safe \
                     channel."
                ),
                dir,
                dir,
            );
        }
        if let Some(path) = &report.secrets_file
            && new_apps > 0
        {
            file_place(
                ui,
                output,
                "The client secrets of the new apps are in this file (readable only by you). \
                 Hand each secret to its customer over a safe channel, then delete the file.",
                path,
                path.parent().unwrap_or(path),
            );
        }
        if let Some(path) = &self.results_path {
            file_place(
                ui,
                output,
                "The results were saved.",
                path,
                path.parent().unwrap_or(path),
            );
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui.button("Save results…").clicked() {
                output.commands.push(Self::ask_save(
                    FilePurpose::ImportResults,
                    "Save the import results",
                    "connect-import-results.csv",
                ));
            }
            if report.rows.iter().any(|r| r.status.needs_fixing())
                && ui
                    .button("Save failed rows to fix…")
                    .on_hover_text("A CSV of the rows not created, with why, to correct and import")
                    .clicked()
            {
                output.commands.push(Self::ask_save_rows_to_fix());
            }
            if ui.button("Import another file").clicked() {
                self.reset();
            }
            if ui.button("Close").clicked() {
                output.close = true;
            }
        });
        ui.add_space(4.0);
        let rows = &report.rows;
        TableBuilder::new(ui)
            .id_salt("import_results")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(48.0))
            .column(Column::initial(200.0).at_least(120.0).clip(true))
            .column(Column::initial(100.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::remainder().at_least(200.0).clip(true))
            .header(24.0, |mut header| {
                for title in [
                    "Row",
                    "Name",
                    "External id",
                    "Client ID",
                    "Status",
                    "Detail",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(tokens.row_height, rows.len(), |mut table_row| {
                    let Some(row) = rows.get(table_row.index()) else {
                        return;
                    };
                    let color = match row.status {
                        RowStatus::Created
                        | RowStatus::CreatedEarlier
                        | RowStatus::Updated(_)
                        | RowStatus::Ready(_) => tokens.success,
                        RowStatus::Exists(_) | RowStatus::Update(_) => ui_text(&tokens),
                        RowStatus::Skipped(_) => tokens.warning,
                        RowStatus::Failed(_) | RowStatus::Invalid(_) => tokens.error,
                    };
                    table_row.col(|ui| {
                        ui.label(row.row.to_string());
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(row.name.replace('\n', " ")).truncate());
                    });
                    table_row.col(|ui| {
                        ui.add(
                            egui::Label::new(row.external_id.clone().unwrap_or_default())
                                .truncate(),
                        );
                    });
                    table_row.col(|ui| {
                        ui.monospace(row.client_id.clone().unwrap_or_default());
                    });
                    table_row.col(|ui| {
                        ui.colored_label(color, row.status.word());
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(row.status.detail()).truncate())
                            .on_hover_text(row.status.detail());
                    });
                });
            });
    }
}

/// A file the results point to: what it holds, its path, and Open folder and Copy path.
fn file_place(ui: &mut egui::Ui, output: &mut ViewOutput, text: &str, path: &Path, folder: &Path) {
    ui.success_label(text);
    ui.horizontal(|ui| {
        if ui
            .button("Open folder")
            .on_hover_text(format!("Show {} in the file manager", folder.display()))
            .clicked()
        {
            output.commands.push(Command::OpenFolder {
                path: folder.to_owned(),
            });
        }
        if ui.button("Copy path").clicked() {
            output.actions.push(Action::Copy {
                text: path.display().to_string(),
                confirmation: "Copied path",
            });
        }
        ui.add(
            egui::Label::new(egui::RichText::new(path.display().to_string()).monospace())
                .truncate(),
        )
        .on_hover_text(path.display().to_string());
    });
    ui.add_space(2.0);
}

/// Plain text colour for outcomes that are neither good nor bad news (left as it was).
fn ui_text(tokens: &theme::Tokens) -> egui::Color32 {
    tokens.neutral
}
