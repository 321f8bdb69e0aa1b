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
            ui.colored_label(tokens.success, format!("{valid} valid"));
            ui.colored_label(tokens.warning, format!("{warning} with warnings"));
            ui.colored_label(tokens.error, format!("{invalid} invalid"));
        });
        if invalid > 0 {
            // One line whatever is ticked, so nothing below moves.
            ui.horizontal(|ui| {
                ui.checkbox(&mut self.skip_invalid, "Skip invalid rows");
                if ui
                    .button("Save invalid rows to fix…")
                    .on_hover_text("A CSV of these rows with their problems, to correct and import")
                    .clicked()
                {
                    output.commands.push(Self::ask_save_rows_to_fix());
                }
                ui.weak(if self.skip_invalid {
                    "They are left out; the others are imported."
                } else {
                    "Fix them in the spreadsheet and open the file again, or skip them."
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
            ui.error_label(
                "This workspace is production: the new apps reach real customers at once.",
            );
            ui.checkbox(
                &mut self.production_confirmed,
                format!("Yes, change {to_send} apps in production"),
            );
        }
        let twins = self.plan.as_ref().map_or(0, |p| p.twins);
        if twins > 0 {
            ui.warning_label(format!(
                "{twins} rows have the name of an app that exists: each makes a second app with \
                 that name."
            ));
            ui.checkbox(
                &mut self.twins_confirmed,
                format!("Yes, create {twins} apps whose names exist already"),
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
            if ui.button("Close").clicked() {
                output.close = true;
            }
            if ui.button("Back").clicked() {
                self.step = Step::Columns;
            }
            let text = match counts {
                Some(c) if c.update > 0 => {
                    format!("Import: create {}, update {}", c.new, c.update)
                }
                Some(c) => format!("Import {} apps", c.new),
                None => "Import".to_owned(),
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
            ui.label(
                "A row whose name is already taken is left as it is: app names are unique in a \
                 project.",
            );
        }
        if self.capabilities.auth_methods {
            self.auth_method_ui(ui);
        }
        self.plan_summary_ui(ui, output);
    }

    /// Where apps choose how they authenticate, the new apps' method is chosen here.
    fn auth_method_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label("New apps authenticate with");
            ui.radio_value(
                &mut self.auth_method,
                crate::backends::AuthMethod::Basic,
                "Basic: client id and secret",
            );
            ui.radio_value(
                &mut self.auth_method,
                crate::backends::AuthMethod::PrivateKeyJwt,
                "Private key JWT: keys, no secret",
            );
        });
    }

    fn existing_mode_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.label("Rows matching an app the workspace has (same name, or external id)");
        let before = self.existing;
        ui.horizontal(|ui| {
            for (mode, text, tip) in [
                (
                    ExistingMode::Skip,
                    "Leave the app as it is",
                    "Nothing is sent for these rows",
                ),
                (
                    ExistingMode::Update,
                    "Update redirect URIs and webhook",
                    "Where the row differs; an empty cell changes nothing",
                ),
                (
                    ExistingMode::Create,
                    "Create a second app",
                    "A new app with the same name, on purpose",
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
                    ui.label("Comparing the file with the workspace's apps…");
                });
            }
            (Some(plan), _, _) => {
                let c = plan.counts;
                ui.horizontal_wrapped(|ui| {
                    ui.strong(format!("{} new", c.new));
                    ui.label("·");
                    ui.strong(format!("{} exist", c.exists));
                    ui.label("·");
                    ui.strong(format!("{} to update", c.update));
                    if c.duplicates > 0 {
                        ui.label("·");
                        ui.label(format!("{} repeated in the file", c.duplicates));
                    }
                    ui.weak(format!("(the workspace has {} apps)", plan.existing));
                });
                if !plan.updates.is_empty() {
                    let count = plan.updates.len();
                    let apps = if count == 1 { "app" } else { "apps" };
                    egui::CollapsingHeader::new(format!(
                        "What will change ({count} {apps}, before -> after)"
                    ))
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
                if ui.button("Compare again").clicked() {
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
                    "Row",
                    "Name",
                    "Redirect URIs",
                    "External id",
                    "What happens",
                    "Problems",
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
            ui.label("Key files folder");
            ui.add(
                egui::TextEdit::singleline(&mut self.keys_dir_text)
                    .hint_text("a new folder in the console's data folder")
                    .desired_width(320.0),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Keys expire");
            ui.radio_value(&mut self.keys_never_expire, false, "in one year");
            ui.radio_value(&mut self.keys_never_expire, true, "never");
        });
        ui.weak(
            "Each new app gets one key; its key file is written to this folder, readable only \
             by you, and the results name each file. ZITADEL shows a key once: the files cannot \
             be downloaded again.",
        );
    }

    /// Where the secrets go while the import runs: a file chosen here, or a new owner-only
    /// file in the console's data folder. Either way each batch's secrets are on disk before
    /// the batch counts as done, so a crash cannot lose them.
    fn secrets_file_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Client secrets of the new apps:");
            let label = if self.secrets_path.is_some() {
                "Change file…"
            } else {
                "Choose file…"
            };
            if ui
                .button(label)
                .on_hover_text(
                    "Each new app's client secret is written to this file, readable only by you, \
                     batch by batch",
                )
                .clicked()
            {
                output.commands.push(Self::ask_save(
                    FilePurpose::ImportSecrets,
                    "Save the client secrets as they arrive",
                    "client-secrets.csv",
                ));
            }
            match &self.secrets_path {
                Some(path) => ui.weak(format!(
                    "saved to {} as each batch is created.",
                    path.display()
                )),
                None => ui.weak(
                    "If you choose none, they are saved to a new file readable only by you in \
                     the console's data folder, and the results page shows where.",
                ),
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
