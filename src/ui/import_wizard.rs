//! The CSV import wizard: file -> columns -> preview -> run -> results.
//!
//! The host shows it in a window and calls [`ImportWizard::ui`] each frame. Reading, preparing,
//! running and saving happen on the tokio runtime; results come back on a channel polled each
//! frame, so the UI never waits on I/O.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use egui_extras::{Column, TableBuilder};

use super::file_dialog::{FileDialogs, FileFilter};
use super::theme::{Tokens, tokens};
use crate::api::{Client, Environment};
use crate::import::parse::delimiter_name;
use crate::import::{
    self, CancelFlag, Field, ImportError, ImportReport, Prepared, Progress, ReadOptions, RowStatus,
    RunOptions,
};

/// What the host should do after a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardAction {
    None,
    /// The user asked to close (after any confirmation).
    Close,
    /// Apps were created: the host should reload its list.
    AppsCreated,
}

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    File,
    Columns,
    Preview,
    Run,
    Results,
}

const CSV_FILTERS: &[FileFilter] = &[
    FileFilter {
        name: "CSV files",
        extensions: &["csv", "tsv", "txt"],
    },
    FileFilter {
        name: "All files",
        extensions: &["*"],
    },
];
const SAVE_FILTERS: &[FileFilter] = &[FileFilter {
    name: "CSV files",
    extensions: &["csv"],
}];

/// Encodings offered as overrides: (label shown, encoding label).
const ENCODINGS: &[(&str, &str)] = &[
    ("UTF-8", "utf-8"),
    ("UTF-16 LE", "utf-16le"),
    ("UTF-16 BE", "utf-16be"),
    ("Windows-1252 (Western Europe)", "windows-1252"),
    ("ISO-8859-15", "iso-8859-15"),
    ("Windows-1250 (Central Europe)", "windows-1250"),
    ("Shift_JIS (Japanese)", "shift_jis"),
    ("EUC-KR (Korean)", "euc-kr"),
    ("GBK (Chinese)", "gbk"),
];

/// Results of background work.
enum Event {
    /// A file read and prepared; `bytes` is set when the file was (re)read from disk.
    Prepared {
        /// Which read this answers; older reads are ignored.
        generation: u64,
        result: Result<Prepared, ImportError>,
        bytes: Option<Arc<Vec<u8>>>,
    },
    Progress(Progress),
    Finished(Result<ImportReport, ImportError>),
    Saved {
        what: SavedKind,
        result: Result<String, ImportError>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SavedKind {
    Template,
    Results,
    Secrets,
}

/// A message under the step, good or bad.
struct Notice {
    text: String,
    is_error: bool,
}

/// The import wizard's state.
pub struct ImportWizard {
    client: Client,
    runtime: tokio::runtime::Handle,
    journal_dir: PathBuf,
    dialogs: Box<dyn FileDialogs>,
    run_options: RunOptions,
    events_tx: Sender<Event>,
    events: Receiver<Event>,

    pub step: Step,
    /// Typed path: the fallback when no native dialog answers.
    path_text: String,
    path: Option<PathBuf>,
    /// The file's bytes, kept to re-read with other overrides.
    bytes: Option<Arc<Vec<u8>>>,
    /// Encoding label chosen by the user; `None` detects.
    encoding: Option<&'static str>,
    /// Delimiter chosen by the user; `None` sniffs.
    delimiter: Option<u8>,
    /// A file is being read.
    loading: bool,
    /// Counts reads, so a slow earlier read cannot overwrite a later one.
    generation: u64,
    pub prepared: Option<Prepared>,
    file_error: Option<String>,
    skip_invalid: bool,
    cancel: Option<CancelFlag>,
    progress: Progress,
    pub report: Option<ImportReport>,
    secrets_saved: bool,
    /// The "secrets not saved" question is open; holds what to do on "leave".
    confirm_leave: Option<Leave>,
    notice: Option<Notice>,
    /// An action to hand to the host on the next frame.
    pending_action: WizardAction,
    /// Ticked by the user before an import into a production workspace.
    production_confirmed: bool,
    /// Where the run writes the secrets batch by batch, when the user chose a file up front.
    secrets_path: Option<PathBuf>,
}

/// Where the user wanted to go when asked about unsaved secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leave {
    Close,
    StartOver,
}

impl ImportWizard {
    /// `client` creates the apps; `runtime` runs the background work; journals go under
    /// `journal_dir`; `dialogs` opens and saves files.
    pub fn new(
        client: Client,
        runtime: tokio::runtime::Handle,
        journal_dir: PathBuf,
        dialogs: Box<dyn FileDialogs>,
    ) -> Self {
        let (events_tx, events) = channel();
        Self {
            client,
            runtime,
            journal_dir,
            dialogs,
            run_options: RunOptions::default(),
            events_tx,
            events,
            step: Step::File,
            path_text: String::new(),
            path: None,
            bytes: None,
            encoding: None,
            delimiter: None,
            loading: false,
            generation: 0,
            prepared: None,
            file_error: None,
            skip_invalid: false,
            cancel: None,
            progress: Progress::default(),
            report: None,
            secrets_saved: false,
            confirm_leave: None,
            notice: None,
            pending_action: WizardAction::None,
            production_confirmed: false,
            secrets_path: None,
        }
    }

    /// The same wizard with other run settings (concurrency, retries).
    pub fn with_run_options(mut self, options: RunOptions) -> Self {
        self.run_options = options;
        self
    }

    /// Reads `path` (a dropped file, or a test's) without asking through a dialog.
    pub fn open_path(&mut self, path: PathBuf) {
        if self.is_running() {
            return;
        }
        self.reset();
        self.path_text = path.display().to_string();
        self.path = Some(path.clone());
        self.loading = true;
        self.generation += 1;
        let generation = self.generation;
        let tx = self.events_tx.clone();
        self.runtime.spawn_blocking(move || {
            let event = match std::fs::read(&path) {
                Ok(bytes) => Event::Prepared {
                    generation,
                    result: import::prepare(&bytes, &ReadOptions::default()),
                    bytes: Some(Arc::new(bytes)),
                },
                Err(e) => Event::Prepared {
                    generation,
                    result: Err(ImportError(format!(
                        "Could not read {}: {e}. Check that the file exists and that you may \
                         open it",
                        path.display()
                    ))),
                    bytes: None,
                },
            };
            let _ = tx.send(event);
        });
    }

    /// An import is being sent.
    pub fn is_running(&self) -> bool {
        self.cancel.is_some()
    }

    /// For the host's Esc or window close: true when the wizard may close now; otherwise it
    /// asks the user (unsaved secrets) or refuses (an import is running).
    pub fn request_close(&mut self) -> bool {
        if self.is_running() {
            return false;
        }
        if self.unsaved_secrets() {
            self.confirm_leave = Some(Leave::Close);
            return false;
        }
        true
    }

    /// A file is being read or re-read.
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Whether closing now would first ask about unsaved secrets.
    pub fn request_close_would_ask(&self) -> bool {
        self.unsaved_secrets()
    }

    fn unsaved_secrets(&self) -> bool {
        !self.secrets_saved && self.report.as_ref().is_some_and(|r| r.secret_count() > 0)
    }

    fn reset(&mut self) {
        self.step = Step::File;
        self.path = None;
        self.bytes = None;
        self.encoding = None;
        self.delimiter = None;
        self.loading = false;
        self.prepared = None;
        self.file_error = None;
        self.skip_invalid = false;
        self.progress = Progress::default();
        self.report = None;
        self.secrets_saved = false;
        self.confirm_leave = None;
        self.notice = None;
        self.production_confirmed = false;
        self.secrets_path = None;
    }

    /// Draws the current step. Never blocks on I/O.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> WizardAction {
        self.poll(ui.ctx());
        let tokens = tokens(ui.visuals().dark_mode);
        let mut action = std::mem::replace(&mut self.pending_action, WizardAction::None);
        self.steps_ui(ui);
        ui.separator();
        match self.step {
            Step::File => self.file_ui(ui, &tokens, &mut action),
            Step::Columns => self.columns_ui(ui, &tokens, &mut action),
            Step::Preview => self.preview_ui(ui, &tokens, &mut action),
            Step::Run => self.run_ui(ui),
            Step::Results => self.results_ui(ui, &tokens, &mut action),
        }
        if let Some(notice) = &self.notice {
            ui.add_space(6.0);
            let color = if notice.is_error {
                tokens.error
            } else {
                tokens.success
            };
            ui.colored_label(color, &notice.text);
        }
        self.confirm_leave_ui(ui.ctx(), &tokens, &mut action);
        if self.loading || self.is_running() {
            ui.ctx().request_repaint();
        }
        action
    }

    /// Applies what background work has sent.
    fn poll(&mut self, ctx: &egui::Context) {
        while let Ok(event) = self.events.try_recv() {
            match event {
                Event::Prepared {
                    generation,
                    result,
                    bytes,
                } => {
                    if generation != self.generation {
                        continue;
                    }
                    self.loading = false;
                    if bytes.is_some() {
                        self.bytes = bytes;
                    }
                    match result {
                        Ok(prepared) => {
                            self.file_error = None;
                            self.prepared = Some(prepared);
                        }
                        Err(e) => {
                            self.file_error = Some(e.0);
                            self.prepared = None;
                        }
                    }
                }
                Event::Progress(progress) => self.progress = progress,
                Event::Finished(result) => {
                    self.cancel = None;
                    match result {
                        Ok(report) => {
                            if report.summary().created > report.summary().created_earlier {
                                self.pending_action = WizardAction::AppsCreated;
                            }
                            // Written batch by batch during the run, unless writing them failed.
                            self.secrets_saved =
                                self.secrets_path.is_some() && report.stopped.is_none();
                            self.report = Some(report);
                            self.step = Step::Results;
                        }
                        Err(e) => {
                            self.notice = Some(Notice {
                                text: e.0,
                                is_error: true,
                            });
                            self.step = Step::Preview;
                        }
                    }
                }
                Event::Saved { what, result } => match result {
                    Ok(text) => {
                        if what == SavedKind::Secrets {
                            self.secrets_saved = true;
                        }
                        self.notice = Some(Notice {
                            text,
                            is_error: false,
                        });
                    }
                    Err(e) => {
                        self.notice = Some(Notice {
                            text: e.0,
                            is_error: true,
                        });
                    }
                },
            }
            ctx.request_repaint();
        }
    }

    fn steps_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let steps = [
                (Step::File, "1 File"),
                (Step::Columns, "2 Columns"),
                (Step::Preview, "3 Preview"),
                (Step::Run, "4 Import"),
                (Step::Results, "5 Results"),
            ];
            for (i, (step, text)) in steps.into_iter().enumerate() {
                if i > 0 {
                    ui.weak(">");
                }
                if step == self.step {
                    ui.strong(text);
                } else {
                    ui.weak(text);
                }
            }
        });
    }

    fn file_ui(&mut self, ui: &mut egui::Ui, tokens: &Tokens, action: &mut WizardAction) {
        ui.heading("Import apps from a spreadsheet");
        ui.label(
            "Choose a CSV file exported from your spreadsheet (or drop it on this window), with \
             one app per row. Columns: name (required), redirectUris, webhookUrl, externalId. \
             \"Download template...\" gives a file to start from.",
        );
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Choose file...").clicked()
                && let Some(path) = self
                    .dialogs
                    .pick_file("Choose a CSV file to import", CSV_FILTERS)
            {
                self.open_path(path);
            }
            if ui.button("Download template...").clicked() {
                self.save_template();
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("File path");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.path_text)
                        .hint_text("or type the path of the file")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Open").clicked() || enter) && !self.path_text.trim().is_empty() {
                let path = PathBuf::from(self.path_text.trim());
                self.open_path(path);
            }
        });
        ui.add_space(6.0);
        if self.loading {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the file...");
            });
        }
        if let Some(error) = &self.file_error {
            ui.colored_label(tokens.error, error);
        }
        // Shown whenever the file was read, so that a wrong override can be undone.
        if self.bytes.is_some() {
            self.file_summary_ui(ui);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Close").clicked() {
                *action = WizardAction::Close;
            }
            let ready = self.prepared.is_some() && !self.loading;
            if ui.add_enabled(ready, egui::Button::new("Next")).clicked() {
                self.step = Step::Columns;
            }
        });
    }

    /// Encoding, delimiter and row count, with overrides that re-read the file.
    fn file_summary_ui(&mut self, ui: &mut egui::Ui) {
        let prepared = self.prepared.as_ref();
        let detected_encoding = prepared.map_or("?", |p| p.encoding);
        let guessed = prepared.is_some_and(|p| p.encoding_guessed);
        let detected_delimiter = prepared.map(|p| p.table.delimiter);
        let rows =
            prepared.map_or_else(|| "none readable".to_owned(), |p| p.rows.len().to_string());
        let name = self
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut changed = false;
        egui::Grid::new("import_file_facts")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label("File");
                ui.label(name);
                ui.end_row();
                ui.label("Rows");
                ui.label(format!("{rows} rows of apps"));
                ui.end_row();
                let encoding_label = ui.label("Encoding");
                let shown = match self.encoding {
                    Some(label) => encoding_title(label).to_owned(),
                    None if guessed => format!("Detect (found {detected_encoding}, a guess)"),
                    None => format!("Detect (found {detected_encoding})"),
                };
                egui::ComboBox::from_id_salt("import_encoding")
                    .selected_text(shown)
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        changed |= ui
                            .selectable_value(&mut self.encoding, None, "Detect")
                            .changed();
                        for (title, label) in ENCODINGS {
                            changed |= ui
                                .selectable_value(&mut self.encoding, Some(*label), *title)
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(encoding_label.id);
                ui.end_row();
                let delimiter_label = ui.label("Delimiter");
                let shown = match self.delimiter {
                    Some(d) => delimiter_name(d),
                    None => match detected_delimiter {
                        Some(d) => format!("Detect (found {})", delimiter_name(d)),
                        None => "Detect".to_owned(),
                    },
                };
                egui::ComboBox::from_id_salt("import_delimiter")
                    .selected_text(shown)
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        changed |= ui
                            .selectable_value(&mut self.delimiter, None, "Detect")
                            .changed();
                        for d in import::parse::DELIMITERS {
                            changed |= ui
                                .selectable_value(&mut self.delimiter, Some(d), delimiter_name(d))
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(delimiter_label.id);
                ui.end_row();
            });
        if guessed && self.encoding.is_none() {
            ui.weak("If accents or other letters look wrong in the preview, choose the encoding.");
        }
        if changed {
            self.reread();
        }
    }

    /// Prepares the kept bytes again with the chosen overrides.
    fn reread(&mut self) {
        let Some(bytes) = self.bytes.clone() else {
            return;
        };
        let options = ReadOptions {
            encoding: self.encoding.map(str::to_owned),
            delimiter: self.delimiter,
        };
        self.loading = true;
        self.generation += 1;
        let generation = self.generation;
        let tx = self.events_tx.clone();
        self.runtime.spawn_blocking(move || {
            let _ = tx.send(Event::Prepared {
                generation,
                result: import::prepare(&bytes, &options),
                bytes: None,
            });
        });
    }

    fn columns_ui(&mut self, ui: &mut egui::Ui, tokens: &Tokens, action: &mut WizardAction) {
        let Some(prepared) = &mut self.prepared else {
            self.step = Step::File;
            return;
        };
        ui.label("Each column of the file and what it holds. Columns set to \"Ignore\" are not imported.");
        ui.add_space(6.0);
        let mut mapping = prepared.mapping.clone();
        let mut changed = false;
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                egui::Grid::new("import_columns")
                    .num_columns(3)
                    .striped(true)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        ui.strong("Column in the file");
                        ui.strong("Imported as");
                        ui.strong("First value");
                        ui.end_row();
                        for (i, header) in mapping.headers.clone().iter().enumerate() {
                            let label = ui.label(if header.is_empty() {
                                format!("(column {})", i + 1)
                            } else {
                                header.clone()
                            });
                            let current = mapping.columns.get(i).copied().flatten();
                            let mut choice = current;
                            egui::ComboBox::from_id_salt(("import_column", i))
                                .selected_text(current.map_or("Ignore", Field::label))
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(&mut choice, None, "Ignore");
                                    for field in Field::ALL {
                                        ui.selectable_value(
                                            &mut choice,
                                            Some(field),
                                            field.label(),
                                        );
                                    }
                                })
                                .response
                                .labelled_by(label.id);
                            if choice != current {
                                mapping.set(i, choice);
                                changed = true;
                            }
                            let sample = prepared
                                .table
                                .records
                                .first()
                                .and_then(|r| r.cells.get(i))
                                .map(|c| c.trim().replace('\n', " "))
                                .unwrap_or_default();
                            ui.add(egui::Label::new(egui::RichText::new(sample).weak()).truncate());
                            ui.end_row();
                        }
                    });
            });
        if changed {
            prepared.remap(mapping);
        }
        let unknown = prepared.mapping.unknown();
        if !unknown.is_empty() {
            ui.weak(format!("Ignored columns: {}", unknown.join(", ")));
        }
        let has_name = prepared.mapping.column_of(Field::Name).is_some();
        if !has_name {
            ui.colored_label(
                tokens.error,
                "Choose which column holds the app names: it is required.",
            );
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Close").clicked() {
                *action = WizardAction::Close;
            }
            if ui.button("Back").clicked() {
                self.step = Step::File;
            }
            if ui
                .add_enabled(has_name, egui::Button::new("Next"))
                .clicked()
            {
                self.step = Step::Preview;
            }
        });
    }

    fn preview_ui(&mut self, ui: &mut egui::Ui, tokens: &Tokens, action: &mut WizardAction) {
        let Some(prepared) = &self.prepared else {
            self.step = Step::File;
            return;
        };
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
                    "Fix the invalid rows in the spreadsheet and open the file again, or skip them.",
                );
            }
        }
        ui.add_space(4.0);
        let rows = &prepared.rows;
        let table_height = (ui.available_height() - 60.0).max(160.0);
        TableBuilder::new(ui)
            .id_salt("import_preview")
            .striped(true)
            .max_scroll_height(table_height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(48.0))
            .column(Column::initial(200.0).at_least(120.0).clip(true))
            .column(Column::initial(220.0).at_least(120.0).clip(true))
            .column(Column::initial(100.0).clip(true))
            .column(Column::remainder().at_least(200.0).clip(true))
            .header(24.0, |mut header| {
                for title in ["Row", "Name", "Redirect URIs", "External id", "Problems"] {
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
                        ui.add(egui::Label::new(text(row.issue_text())).truncate());
                    });
                });
            });
        ui.add_space(8.0);
        let sendable = prepared.counts().0 + prepared.counts().1;
        // In production the import asks first, like every other change there.
        let production = self.client.connection().environment() == Environment::Production;
        if production {
            ui.colored_label(
                tokens.error,
                "This workspace is production: the new apps reach real customers at once.",
            );
            ui.checkbox(
                &mut self.production_confirmed,
                format!("Yes, create {sendable} apps in production"),
            );
        }
        let may_run = sendable > 0
            && (invalid == 0 || self.skip_invalid)
            && (!production || self.production_confirmed);
        self.secrets_file_ui(ui);
        ui.horizontal(|ui| {
            if ui.button("Close").clicked() {
                *action = WizardAction::Close;
            }
            if ui.button("Back").clicked() {
                self.step = Step::Columns;
            }
            let text = format!("Import {sendable} apps");
            if ui.add_enabled(may_run, egui::Button::new(text)).clicked() {
                self.start_run(ui.ctx());
            }
        });
    }

    /// Where the secrets go while the import runs. Chosen before the run, each batch's secrets
    /// are on disk (owner-only) before the batch is reported, so a crash cannot lose them.
    fn secrets_file_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            let label = if self.secrets_path.is_some() {
                "Change secrets file..."
            } else {
                "Save secrets as they arrive..."
            };
            if ui
                .button(label)
                .on_hover_text("Write each new app's client secret to a file readable only by you, batch by batch")
                .clicked()
                && let Some(path) = self.dialogs.save_file(
                    "Save the client secrets as they arrive",
                    "client-secrets.csv",
                    SAVE_FILTERS,
                )
            {
                self.secrets_path = Some(path);
            }
            match &self.secrets_path {
                Some(path) => ui.weak(format!(
                    "Secrets are written to {} as each batch is created.",
                    path.display()
                )),
                None => ui.weak(
                    "Recommended: otherwise the secrets stay in memory until you save them at the end.",
                ),
            };
        });
    }

    fn start_run(&mut self, ctx: &egui::Context) {
        let Some(prepared) = self.prepared.clone() else {
            return;
        };
        let cancel = CancelFlag::default();
        self.cancel = Some(cancel.clone());
        self.notice = None;
        self.progress = Progress::default();
        self.step = Step::Run;
        let client = self.client.clone();
        let journal_dir = self.journal_dir.clone();
        let mut options = self.run_options.clone();
        if let Some(path) = &self.secrets_path {
            options.secrets_file = Some(path.clone());
        }
        let tx = self.events_tx.clone();
        let ctx = ctx.clone();
        self.runtime.spawn(async move {
            let progress_tx = tx.clone();
            let progress_ctx = ctx.clone();
            let result = import::import(
                &client,
                &prepared,
                &journal_dir,
                &options,
                &cancel,
                move |progress| {
                    let _ = progress_tx.send(Event::Progress(progress.clone()));
                    progress_ctx.request_repaint();
                },
            )
            .await;
            let _ = tx.send(Event::Finished(result));
            ctx.request_repaint();
        });
    }

    fn run_ui(&mut self, ui: &mut egui::Ui) {
        let p = &self.progress;
        let fraction = if p.rows_total > 0 {
            p.rows_done as f32 / p.rows_total as f32
        } else {
            0.0
        };
        ui.label("Creating the apps. You can keep working; the list reloads when the import ends.");
        ui.add_space(6.0);
        ui.add(
            egui::ProgressBar::new(fraction)
                .show_percentage()
                .text(format!("{} of {} rows", p.rows_done, p.rows_total)),
        );
        ui.label(format!(
            "{:.0} rows per second, {} failed so far",
            p.rows_per_sec, p.rows_failed
        ));
        if let Some(eta) = p.eta {
            ui.label(format!("About {} seconds left", eta.as_secs() + 1));
        }
        ui.add_space(8.0);
        let cancelling = self.cancel.as_ref().is_some_and(CancelFlag::is_cancelled);
        if cancelling {
            ui.label("Stopping after the batches already sent...");
        } else if ui.button("Cancel").clicked()
            && let Some(cancel) = &self.cancel
        {
            cancel.cancel();
        }
    }

    fn results_ui(&mut self, ui: &mut egui::Ui, tokens: &Tokens, action: &mut WizardAction) {
        let Some(report) = &self.report else {
            self.step = Step::File;
            return;
        };
        let summary = report.summary();
        let secrets = report.secret_count();
        ui.heading(if summary.all_done() {
            "Import finished"
        } else {
            "Import finished with problems"
        });
        ui.label(summary.sentence());
        if let Some(reason) = &report.stopped {
            ui.colored_label(
                tokens.warning,
                format!("The import stopped early: {reason}"),
            );
        }
        if summary.failed + summary.skipped > 0 {
            ui.weak("Open the same file again and import it to retry the rows not created; apps already created are not created twice.");
        }
        if secrets > 0
            && self.secrets_saved
            && let Some(path) = &self.secrets_path
        {
            ui.colored_label(
                tokens.success,
                format!(
                    "The client secrets of the {secrets} new apps are in {} (readable only by \
                     you). Hand each secret to its customer over a safe channel, then delete \
                     the file.",
                    path.display()
                ),
            );
        }
        if secrets > 0 && !self.secrets_saved {
            ui.colored_label(
                tokens.warning,
                format!(
                    "The client secrets of the {secrets} new apps are shown only once. Save them \
                     now with \"Save secrets...\": the file is readable only by you; hand each \
                     secret to its customer over a safe channel, then delete the file."
                ),
            );
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui.button("Save results...").clicked() {
                self.save_report(SavedKind::Results);
            }
            if secrets > 0 && ui.button("Save secrets...").clicked() {
                self.save_report(SavedKind::Secrets);
            }
            if ui.button("Import another file").clicked() {
                self.leave(Leave::StartOver, action);
            }
            if ui.button("Close").clicked() {
                self.leave(Leave::Close, action);
            }
        });
        ui.add_space(4.0);
        let Some(report) = &self.report else {
            return;
        };
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
                for title in ["Row", "Name", "External id", "Client ID", "Status", "Error"] {
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
                        | RowStatus::Exists(_)
                        | RowStatus::Updated(_)
                        | RowStatus::Update(_)
                        | RowStatus::Ready(_) => tokens.success,
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
                        ui.add(egui::Label::new(row.status.detail()).truncate());
                    });
                });
            });
    }

    /// Leaves the results, asking first when the secrets were not saved.
    fn leave(&mut self, leave: Leave, action: &mut WizardAction) {
        if self.unsaved_secrets() {
            self.confirm_leave = Some(leave);
        } else {
            self.finish_leave(leave, action);
        }
    }

    fn finish_leave(&mut self, leave: Leave, action: &mut WizardAction) {
        match leave {
            Leave::Close => *action = WizardAction::Close,
            Leave::StartOver => {
                self.reset();
                self.path_text.clear();
            }
        }
    }

    fn confirm_leave_ui(
        &mut self,
        ctx: &egui::Context,
        tokens: &Tokens,
        action: &mut WizardAction,
    ) {
        let Some(leave) = self.confirm_leave else {
            return;
        };
        let mut answer = None;
        let modal =
            egui::Modal::new(egui::Id::unique("import_secrets_not_saved")).show(ctx, |ui| {
                ui.set_width(460.0);
                ui.heading("The client secrets were not saved");
                ui.add_space(6.0);
                ui.colored_label(
                    tokens.warning,
                    "If you leave now, the client secrets of the new apps cannot be shown again. \
                 You would have to rotate each secret to get a new one.",
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Go back and save them").clicked() {
                        answer = Some(false);
                    }
                    if ui.button("Leave without saving").clicked() {
                        answer = Some(true);
                    }
                });
            });
        if modal.should_close() && answer.is_none() {
            answer = Some(false);
        }
        match answer {
            Some(true) => {
                self.confirm_leave = None;
                self.finish_leave(leave, action);
            }
            Some(false) => self.confirm_leave = None,
            None => {}
        }
    }

    fn save_template(&mut self) {
        let Some(path) = self.dialogs.save_file(
            "Save the import template",
            "connect-import-template.csv",
            SAVE_FILTERS,
        ) else {
            return;
        };
        let tx = self.events_tx.clone();
        self.runtime.spawn_blocking(move || {
            let result = std::fs::write(&path, import::template_csv())
                .map(|()| format!("Template saved to {}", path.display()))
                .map_err(|e| {
                    ImportError(format!(
                        "Could not save {}: {e}. Choose another folder",
                        path.display()
                    ))
                });
            let _ = tx.send(Event::Saved {
                what: SavedKind::Template,
                result,
            });
        });
    }

    fn save_report(&mut self, what: SavedKind) {
        let Some(report) = self.report.clone() else {
            return;
        };
        let (title, default_name) = match what {
            SavedKind::Secrets => ("Save the client secrets", "connect-import-secrets.csv"),
            _ => ("Save the import results", "connect-import-results.csv"),
        };
        let Some(path) = self.dialogs.save_file(title, default_name, SAVE_FILTERS) else {
            return;
        };
        let tx = self.events_tx.clone();
        self.runtime.spawn_blocking(move || {
            let result = match what {
                SavedKind::Secrets => import::SecretsFile::open(&path)
                    .and_then(|mut file| file.append(&report.rows))
                    .map(|n| {
                        format!(
                            "{n} client secrets saved to {} (readable only by you)",
                            path.display()
                        )
                    }),
                _ => report
                    .write_results(&path)
                    .map(|()| format!("Results saved to {}", path.display())),
            };
            let _ = tx.send(Event::Saved { what, result });
        });
    }
}

fn encoding_title(label: &str) -> &str {
    ENCODINGS
        .iter()
        .find(|(_, l)| *l == label)
        .map_or(label, |(title, _)| title)
}
