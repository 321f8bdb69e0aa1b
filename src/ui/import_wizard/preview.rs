//! Step 3: every row with its problems and what will happen to it (new, exists, update with
//! the change before and after), the choice for rows matching existing apps, where the
//! secrets go, and Import.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::{Busy, ImportWizard, Step, ViewOutput};
use crate::import::{ExistingMode, RunOptions};
use crate::runtime::{Command, FilePurpose};
use crate::ui::theme;
use crate::ui::widgets::UiExt as _;

impl ImportWizard {
    /// Compares the file with the workspace's apps and the journal, in the background.
    pub(super) fn request_plan(&mut self) -> Option<Command> {
        let prepared = self.prepared.clone()?;
        self.busy = Some(Busy::Planning);
        self.plan = None;
        self.plan_error = None;
        self.twins_confirmed = false;
        Some(Command::PlanImport {
            op: self.next_request(),
            prepared,
            mode: self.existing,
        })
    }

    pub(super) fn preview_ui(
        &mut self,
        ui: &mut egui::Ui,
        production: bool,
        output: &mut ViewOutput,
    ) {
        let Some(prepared) = self.prepared.clone() else {
            self.step = Step::File;
            return;
        };
        let tokens = theme::tokens(ui.visuals().dark_mode);
        let (valid, warning, invalid) = prepared.counts();
        ui.horizontal(|ui| {
            ui.colored_label(tokens.success, crate::tr!("preview-valid", count = valid));
            ui.colored_label(
                tokens.warning,
                crate::tr!("preview-with-warnings", count = warning),
            );
            ui.colored_label(tokens.error, crate::tr!("preview-invalid", count = invalid));
        });
        if invalid > 0 {
            // One line whatever is ticked, so nothing below moves.
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.skip_invalid, crate::tr!("preview-skip-invalid"));
                if ui
                    .button(crate::tr!("preview-save-invalid"))
                    .on_hover_text(crate::tr!("preview-save-invalid-tip"))
                    .clicked()
                {
                    output.commands.push(Self::ask_save_rows_to_fix());
                }
                ui.weak(if self.skip_invalid {
                    crate::tr!("preview-invalid-skipped")
                } else {
                    crate::tr!("preview-invalid-fix")
                });
            });
        }
        self.plan_ui(ui, output);
        ui.add_space(4.0);
        self.rows_table_ui(ui);
        ui.add_space(8.0);
        let counts = self.plan.as_ref().map(|p| p.counts);
        let to_send = counts.map_or(0, |c| c.to_send());
        if production {
            ui.error_label(crate::tr!("preview-production"));
            ui.checkbox(
                &mut self.production_confirmed,
                crate::tr!("preview-production-confirm", count = to_send),
            );
        }
        let twins = self.plan.as_ref().map_or(0, |p| p.twins);
        if twins > 0 {
            ui.warning_label(crate::tr!("preview-twins", count = twins));
            ui.checkbox(
                &mut self.twins_confirmed,
                crate::tr!("preview-twins-confirm", count = twins),
            );
        }
        if self.signs_with_keys() {
            self.keys_dir_ui(ui);
        } else {
            self.secrets_file_ui(ui, output);
        }
        let may_run = to_send > 0
            && self.busy.is_none()
            && (invalid == 0 || self.skip_invalid)
            && (!production || self.production_confirmed)
            && (twins == 0 || self.twins_confirmed);
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("common-close")).clicked() {
                output.close = true;
            }
            if ui.button(crate::tr!("common-back")).clicked() {
                self.step = Step::Columns;
            }
            let text = match counts {
                Some(c) if c.update > 0 => crate::tr!(
                    "preview-import-create-update",
                    new = c.new,
                    update = c.update
                ),
                Some(c) => crate::tr!("preview-import-count", count = c.new),
                None => crate::tr!("preview-import"),
            };
            if ui.add_enabled(may_run, egui::Button::new(text)).clicked() {
                output.commands.extend(self.start_run());
            }
        });
    }

    /// What the import will do: counts against the workspace, and the choice for rows that
    /// match an app it has.
    fn plan_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.add_space(4.0);
        if self.capabilities.duplicate_names {
            self.existing_mode_ui(ui, output);
        } else {
            ui.label(crate::tr!("preview-unique-names"));
        }
        if self.capabilities.auth_methods {
            self.auth_method_ui(ui);
        }
        self.plan_summary_ui(ui, output);
    }

    /// Where apps choose how they authenticate, the new apps' method is chosen here.
    fn auth_method_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(crate::tr!("preview-auth-label"));
            ui.radio_value(
                &mut self.auth_method,
                crate::backends::AuthMethod::Basic,
                crate::tr!("preview-auth-basic"),
            );
            ui.radio_value(
                &mut self.auth_method,
                crate::backends::AuthMethod::PrivateKeyJwt,
                crate::tr!("preview-auth-private-key"),
            );
        });
    }

    fn existing_mode_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.label(crate::tr!("preview-existing-label"));
        let before = self.existing;
        ui.horizontal(|ui| {
            for (mode, text, tip) in [
                (
                    ExistingMode::Skip,
                    crate::tr!("preview-existing-skip"),
                    crate::tr!("preview-existing-skip-tip"),
                ),
                (
                    ExistingMode::Update,
                    crate::tr!("preview-existing-update"),
                    crate::tr!("preview-existing-update-tip"),
                ),
                (
                    ExistingMode::Create,
                    crate::tr!("preview-existing-create"),
                    crate::tr!("preview-existing-create-tip"),
                ),
            ] {
                ui.radio_value(&mut self.existing, mode, text)
                    .on_hover_text(tip);
            }
        });
        if self.existing != before {
            output.commands.extend(self.request_plan());
        }
    }

    /// The counts against the workspace, and what will change.
    fn plan_summary_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        match (&self.plan, &self.plan_error, self.busy) {
            (_, _, Some(Busy::Planning)) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(crate::tr!("preview-comparing"));
                });
            }
            (Some(plan), _, _) => {
                let c = plan.counts;
                ui.horizontal_wrapped(|ui| {
                    ui.strong(crate::tr!("preview-count-new", count = c.new));
                    ui.label("·");
                    ui.strong(crate::tr!("preview-count-exist", count = c.exists));
                    ui.label("·");
                    ui.strong(crate::tr!("preview-count-update", count = c.update));
                    if c.duplicates > 0 {
                        ui.label("·");
                        ui.label(crate::tr!("preview-count-repeated", count = c.duplicates));
                    }
                    ui.weak(crate::tr!("preview-workspace-has", count = plan.existing));
                });
                if !plan.updates.is_empty() {
                    let count = plan.updates.len();
                    egui::CollapsingHeader::new(crate::tr!("preview-changes", count = count))
                        .default_open(true)
                        .show(ui, |ui| {
                            egui::ScrollArea::vertical()
                                .id_salt("import_updates")
                                .max_height(110.0)
                                .show(ui, |ui| {
                                    for line in &plan.updates {
                                        ui.add(egui::Label::new(line).wrap());
                                    }
                                });
                        });
                }
            }
            (None, Some(error), _) => {
                ui.error_label(error);
                if ui.button(crate::tr!("preview-compare-again")).clicked() {
                    output.commands.extend(self.request_plan());
                }
            }
            (None, None, _) => {
                output.commands.extend(self.request_plan());
            }
        }
    }

    /// Every row: number, name, redirect URIs (one per line), external id, what happens to
    /// it, and its problems, wrapped so nothing is cut at any width. Rows are as tall as their
    /// longest cell; the heights are measured once per width and plan. Only the rows on screen
    /// are drawn.
    fn rows_table_ui(&mut self, ui: &mut egui::Ui) {
        let Some(prepared) = self.prepared.clone() else {
            return;
        };
        let tokens = theme::tokens(ui.visuals().dark_mode);
        let rows = &prepared.rows;
        let actions = self.plan.as_ref().map(|p| &p.row_actions);
        let widths = preview_widths(ui.available_width());
        let key = (
            widths[5].round() as i32,
            Arc::as_ptr(&prepared) as usize,
            actions.map_or(0, |a| a.as_ptr() as usize),
        );
        if self.row_heights.as_ref().is_none_or(|(k, _)| *k != key) {
            let font = egui::TextStyle::Body.resolve(ui.style());
            let line = ui.fonts_mut(|f| f.row_height(&font));
            let pad = (tokens.row_height - line).max(4.0);
            let heights = rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let mut tallest = line;
                    let mut measure = |text: String, width: f32| {
                        if !text.is_empty() {
                            let galley = ui.fonts_mut(|f| {
                                f.layout(text, font.clone(), egui::Color32::WHITE, width - 6.0)
                            });
                            tallest = tallest.max(galley.size().y);
                        }
                    };
                    measure(row.name.replace('\n', " "), widths[1]);
                    measure(row.redirect_uris.join("\n"), widths[2]);
                    if let Some(text) = actions.and_then(|a| a.get(index)) {
                        measure(text.clone(), widths[4]);
                    }
                    measure(row.issue_text(), widths[5]);
                    tokens.row_height.max(tallest + pad)
                })
                .collect();
            self.row_heights = Some((key, heights));
        }
        let heights = self
            .row_heights
            .as_ref()
            .map_or(&[][..], |(_, h)| h.as_slice());
        let table_height = (ui.available_height() - 150.0).max(160.0);
        let mut table = TableBuilder::new(ui)
            .id_salt("import_preview")
            .striped(true)
            .max_scroll_height(table_height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Min));
        for width in widths {
            table = table.column(Column::exact(width).clip(true));
        }
        table
            .header(24.0, |mut header| {
                for title in [
                    crate::tr!("wizard-col-row"),
                    crate::tr!("wizard-col-name"),
                    crate::tr!("import-field-redirect-uris"),
                    crate::tr!("import-field-external-id"),
                    crate::tr!("preview-col-what-happens"),
                    crate::tr!("preview-col-problems"),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.heterogeneous_rows(heights.iter().copied(), |mut table_row| {
                    let index = table_row.index();
                    let Some(row) = rows.get(index) else {
                        return;
                    };
                    let color = if !row.is_valid() {
                        Some(tokens.error)
                    } else if !row.issues.is_empty() {
                        Some(tokens.warning)
                    } else {
                        None
                    };
                    let text = |s: String| {
                        let rich = egui::RichText::new(s);
                        match color {
                            Some(c) => rich.color(c),
                            None => rich,
                        }
                    };
                    table_row.col(|ui| {
                        ui.label(text(row.row.to_string()));
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(text(row.name.replace('\n', " "))).wrap());
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(row.redirect_uris.join("\n")).wrap());
                    });
                    table_row.col(|ui| {
                        ui.add(
                            egui::Label::new(row.external_id.clone().unwrap_or_default()).wrap(),
                        );
                    });
                    table_row.col(|ui| {
                        let action = actions
                            .and_then(|a| a.get(index))
                            .map_or("…", String::as_str);
                        ui.add(egui::Label::new(action).wrap());
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(text(row.issue_text())).wrap());
                    });
                });
            });
    }

    /// Whether the new apps sign with keys (and so get key files instead of secrets).
    fn signs_with_keys(&self) -> bool {
        self.capabilities.app_keys
            && self.capabilities.auth_methods
            && self.auth_method == crate::backends::AuthMethod::PrivateKeyJwt
    }

    /// Where the key files of apps that sign with keys go: one per new app, written before the
    /// app gets its final name.
    fn keys_dir_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.label(crate::tr!("preview-keys-folder"));
            ui.add(
                egui::TextEdit::singleline(&mut self.keys_dir_text)
                    .hint_text(crate::tr!("preview-keys-folder-hint"))
                    .desired_width(320.0),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(crate::tr!("preview-keys-expire"));
            ui.radio_value(
                &mut self.keys_never_expire,
                false,
                crate::tr!("preview-keys-one-year"),
            );
            ui.radio_value(
                &mut self.keys_never_expire,
                true,
                crate::tr!("preview-keys-never"),
            );
        });
        ui.weak(crate::tr!("preview-keys-note"));
    }

    /// Where the secrets go while the import runs: a file chosen here, or a new owner-only
    /// file in the console's data folder. Either way each batch's secrets are on disk before
    /// the batch counts as done, so a crash cannot lose them.
    fn secrets_file_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.horizontal_wrapped(|ui| {
            ui.label(crate::tr!("preview-secrets-label"));
            let label = if self.secrets_path.is_some() {
                crate::tr!("preview-change-file")
            } else {
                crate::tr!("wizard-choose-file")
            };
            if ui
                .button(label)
                .on_hover_text(crate::tr!("preview-secrets-tip"))
                .clicked()
            {
                output.commands.push(Self::ask_save(
                    FilePurpose::ImportSecrets,
                    &crate::tr!("preview-secrets-title"),
                    "client-secrets.csv",
                ));
            }
            match &self.secrets_path {
                Some(path) => ui.weak(crate::tr!(
                    "preview-secrets-path",
                    path = path.display().to_string()
                )),
                None => ui.weak(crate::tr!("preview-secrets-default")),
            };
        });
    }

    fn start_run(&mut self) -> Option<Command> {
        let prepared = self.prepared.clone()?;
        let op = crate::runtime::OpId::next();
        self.run = Some(op);
        self.cancelling = false;
        self.notice = None;
        self.progress = crate::import::Progress::default();
        self.step = Step::Run;
        let keys = self.signs_with_keys().then(|| {
            let now = time::OffsetDateTime::now_utc();
            crate::import::run::KeyFiles {
                // Empty: the runtime makes a new folder in the console's data folder.
                dir: std::path::PathBuf::from(self.keys_dir_text.trim()),
                expiry: if self.keys_never_expire {
                    crate::backends::keys::KeyExpiry::Never
                } else {
                    crate::backends::keys::KeyExpiry::default_from(now)
                },
            }
        });
        let options = RunOptions {
            secrets_file: self.secrets_path.clone().filter(|_| keys.is_none()),
            existing: self.existing,
            keys,
            ..self.run_options.clone()
        };
        let source = self
            .path
            .as_deref()
            .and_then(|p| p.file_name())
            .map_or_else(
                || "dropped file".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
        Some(Command::RunImport {
            op,
            source,
            prepared: Arc::clone(&prepared),
            options,
            auth_method: self.capabilities.auth_methods.then_some(self.auth_method),
        })
    }
}

/// The preview's column widths for a table `width` wide: the row number, then name, redirect
/// URIs, external id, what happens, problems, in shares that keep every one readable at 1024 px.
fn preview_widths(width: f32) -> [f32; 6] {
    let number = 44.0;
    // The table's spacing between columns, and a little room for the scroll bar.
    let rest = (width - number - 5.0 * 8.0 - 12.0).max(600.0);
    [
        number,
        rest * 0.17,
        rest * 0.25,
        rest * 0.10,
        rest * 0.20,
        rest * 0.28,
    ]
}
