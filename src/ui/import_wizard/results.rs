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
            crate::tr!("results-finished")
        } else {
            crate::tr!("results-finished-problems")
        });
        ui.label(summary.sentence());
        if let Some(reason) = &report.stopped {
            ui.warning_label(crate::tr!(
                "results-stopped-early",
                reason = reason.0.as_str()
            ));
        }
        if summary.failed + summary.skipped > 0 {
            ui.weak(crate::tr!("results-retry-hint"));
        }
        let new_apps = summary.created - summary.created_earlier;
        if let Some(dir) = &report.keys_dir {
            let files = report.rows.iter().filter(|r| r.key_file.is_some()).count();
            file_place(
                ui,
                output,
                &crate::tr!("results-key-files", count = files),
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
                &crate::tr!("results-secrets-file"),
                path,
                path.parent().unwrap_or(path),
            );
        }
        if let Some(path) = &self.results_path {
            file_place(
                ui,
                output,
                &crate::tr!("results-saved"),
                path,
                path.parent().unwrap_or(path),
            );
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("results-save")).clicked() {
                output.commands.push(Self::ask_save(
                    FilePurpose::ImportResults,
                    &crate::tr!("results-save-title"),
                    "connect-import-results.csv",
                ));
            }
            if report.rows.iter().any(|r| r.status.needs_fixing())
                && ui
                    .button(crate::tr!("results-save-failed-rows"))
                    .on_hover_text(crate::tr!("results-save-failed-rows-tip"))
                    .clicked()
            {
                output.commands.push(Self::ask_save_rows_to_fix());
            }
            if ui.button(crate::tr!("results-import-another")).clicked() {
                self.reset();
            }
            if ui.button(crate::tr!("common-close")).clicked() {
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
                    crate::tr!("wizard-col-row"),
                    crate::tr!("wizard-col-name"),
                    crate::tr!("import-field-external-id"),
                    crate::tr!("results-col-client-id"),
                    crate::tr!("results-col-status"),
                    crate::tr!("results-col-detail"),
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
                        ui.colored_label(color, row.status.label());
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
            .button(crate::tr!("results-open-folder"))
            .on_hover_text(crate::tr!(
                "results-open-folder-tip",
                folder = folder.display().to_string()
            ))
            .clicked()
        {
            output.commands.push(Command::OpenFolder {
                path: folder.to_owned(),
            });
        }
        if ui.button(crate::tr!("results-copy-path")).clicked() {
            output.actions.push(Action::Copy {
                text: path.display().to_string(),
                confirmation: crate::tr!("clipboard-copied-path"),
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
