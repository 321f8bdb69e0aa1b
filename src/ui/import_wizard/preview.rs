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
            ui.checkbox(&mut self.skip_invalid, "Skip invalid rows");
            if !self.skip_invalid {
                ui.weak(
                    "Fix the invalid rows in the spreadsheet and open the file again, or skip \
                     them.",
                );
            }
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

    /// Every row: number, name, redirect URIs, external id, what happens to it, problems.
    /// Only the rows on screen are drawn.
    fn rows_table_ui(&self, ui: &mut egui::Ui) {
        let Some(prepared) = &self.prepared else {
            return;
        };
        let tokens = theme::tokens(ui.visuals().dark_mode);
        let rows = &prepared.rows;
        let actions = self.plan.as_ref().map(|p| &p.row_actions);
        let table_height = (ui.available_height() - 150.0).max(160.0);
        TableBuilder::new(ui)
            .id_salt("import_preview")
            .striped(true)
            .max_scroll_height(table_height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(48.0))
            .column(Column::initial(180.0).at_least(120.0).clip(true))
            .column(Column::initial(180.0).at_least(100.0).clip(true))
            .column(Column::initial(90.0).clip(true))
            .column(Column::initial(300.0).at_least(140.0).clip(true))
            .column(Column::remainder().at_least(160.0).clip(true))
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
                body.rows(tokens.row_height, rows.len(), |mut table_row| {
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
                        ui.add(egui::Label::new(text(row.name.replace('\n', " "))).truncate());
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(text(row.redirect_uris.join(" "))).truncate());
                    });
                    table_row.col(|ui| {
                        ui.add(
                            egui::Label::new(text(row.external_id.clone().unwrap_or_default()))
                                .truncate(),
                        );
                    });
                    table_row.col(|ui| {
                        let action = actions
                            .and_then(|a| a.get(index))
                            .map_or("…", String::as_str);
                        ui.add(egui::Label::new(action).truncate())
                            .on_hover_text(action);
                    });
                    table_row.col(|ui| {
                        ui.add(egui::Label::new(text(row.issue_text())).truncate());
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
