//! The CSV import wizard: file -> columns -> preview -> import -> results.
//!
//! Plain state: it draws itself and returns [`Command`]s (read a file, check the rows again,
//! plan against the workspace, run, save); what comes back is applied by [`ImportWizard::apply`]
//! and friends. It holds no client, no runtime and no file, so a test drives it with events
//! alone, and no frame does work that grows with the file.
//!
//! | module | step |
//! |---|---|
//! | `file` | choose or type the file; encoding and delimiter |
//! | `columns` | what each column holds |
//! | `preview` | every row with its problems, what happens to it, the options, Import |
//! | `progress` | the run, with Cancel |
//! | `results` | every row's outcome, where the secrets are, the results file |

mod columns;
mod file;
mod preview;
mod progress;
mod results;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::widgets::UiExt as _;
use crate::backends::AuthMethod;
use crate::backends::Capabilities;
use crate::import::{ExistingMode, ImportReport, Prepared, Progress, ReadOptions, RunOptions};
use crate::runtime::{
    Command, DialogRequest, FileContents, FileFilter, FilePurpose, ImportEvent, OpId, PlanPreview,
};
pub use crate::ui::action::ViewOutput;

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

/// A message under the step, good or bad.
#[derive(Debug)]
struct Notice {
    text: String,
    is_error: bool,
}

/// Work the wizard waits for; `None` when nothing is running in the background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    Reading,
    Checking,
    Planning,
}

/// The import wizard's state.
pub struct ImportWizard {
    run_options: RunOptions,
    /// What the workspace the apps go to can do (auth methods, unique names).
    capabilities: Capabilities,
    /// Where apps choose: how the new apps authenticate.
    pub auth_method: AuthMethod,
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
    pub busy: Option<Busy>,
    /// The read, check or plan this wizard waits for; a slow earlier answer is dropped.
    waiting: Option<OpId>,
    pub prepared: Option<Arc<Prepared>>,
    file_error: Option<String>,
    skip_invalid: bool,
    /// What to do with rows matching an existing app.
    pub existing: ExistingMode,
    /// The plan against the workspace, for the preview.
    pub plan: Option<Arc<PlanPreview>>,
    pub plan_error: Option<String>,
    /// The import running, by its request id (Cancel names it).
    run: Option<OpId>,
    /// Cancel was asked for the running import.
    cancelling: bool,
    pub progress: Progress,
    pub report: Option<Arc<ImportReport>>,
    notice: Option<Notice>,
    /// Ticked by the user before an import into a production workspace.
    production_confirmed: bool,
    /// Ticked by the user before creating apps whose names exist already.
    twins_confirmed: bool,
    /// Where the run writes the secrets, when the user chose a file up front.
    pub secrets_path: Option<PathBuf>,
    /// Where the results were saved, once they were.
    results_path: Option<PathBuf>,
    /// The preview's row heights, for the width, file and plan they were measured for.
    row_heights: Option<((i32, usize, usize), Vec<f32>)>,
    /// Apps that sign with keys: the folder their key files go to, as typed (empty: a new
    /// folder in the console's data folder), and whether the keys never expire.
    pub keys_dir_text: String,
    pub keys_never_expire: bool,
    /// Where to save when no dialog could open: the purpose and a path the user may edit.
    save_fallback: Option<(FilePurpose, String)>,
}

impl Default for ImportWizard {
    fn default() -> Self {
        Self::new()
    }
}

impl ImportWizard {
    pub fn new() -> Self {
        Self {
            run_options: RunOptions::default(),
            capabilities: Capabilities::WORKSPACE,
            auth_method: AuthMethod::Basic,
            step: Step::File,
            path_text: String::new(),
            path: None,
            bytes: None,
            encoding: None,
            delimiter: None,
            busy: None,
            waiting: None,
            prepared: None,
            file_error: None,
            skip_invalid: false,
            existing: ExistingMode::Skip,
            plan: None,
            plan_error: None,
            run: None,
            cancelling: false,
            progress: Progress::default(),
            report: None,
            notice: None,
            production_confirmed: false,
            twins_confirmed: false,
            secrets_path: None,
            results_path: None,
            row_heights: None,
            keys_dir_text: String::new(),
            keys_never_expire: false,
            save_fallback: None,
        }
    }

    /// The same wizard with other run settings (concurrency, retries).
    pub fn with_run_options(mut self, options: RunOptions) -> Self {
        self.run_options = options;
        self
    }

    /// The same wizard importing into this kind of workspace.
    pub fn with_capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Reads `path` (a dropped, typed or chosen file): the command that does it.
    pub fn open_path(&mut self, path: PathBuf) -> Vec<Command> {
        if self.is_running() {
            return Vec::new();
        }
        self.reset();
        self.path_text = path.display().to_string();
        self.path = Some(path.clone());
        self.busy = Some(Busy::Reading);
        vec![Command::ReadImportFile {
            op: self.next_request(),
            path,
            options: ReadOptions {
                max_name_chars: Some(self.capabilities.max_name_chars),
                ..ReadOptions::default()
            },
        }]
    }

    /// A new request this wizard waits for; the answers to earlier ones are dropped.
    fn next_request(&mut self) -> OpId {
        let op = OpId::next();
        self.waiting = Some(op);
        op
    }

    /// An import is being sent.
    pub fn is_running(&self) -> bool {
        self.run.is_some()
    }

    /// For the host's Esc or window close: true when the wizard may close now (not while an
    /// import runs; its secrets are already on disk otherwise).
    pub fn request_close(&mut self) -> bool {
        if self.is_running() {
            self.notice = Some(Notice {
                text: crate::tr!("wizard-still-running"),
                is_error: true,
            });
            return false;
        }
        true
    }

    fn reset(&mut self) {
        let options = self.run_options.clone();
        *self = Self::new()
            .with_run_options(options)
            .with_capabilities(self.capabilities);
    }

    /// Applies what the background sent. Returns true when apps were created, so the host
    /// reloads its list.
    pub fn apply(&mut self, event: ImportEvent) -> bool {
        match event {
            ImportEvent::Prepared { op, result, bytes } => {
                if self.waiting != Some(op) {
                    return false;
                }
                self.busy = None;
                if bytes.is_some() {
                    self.bytes = bytes;
                }
                match result {
                    Ok(prepared) => {
                        self.file_error = None;
                        self.prepared = Some(prepared);
                        self.plan = None;
                    }
                    Err(e) => {
                        self.file_error = Some(e.0);
                        self.prepared = None;
                    }
                }
            }
            ImportEvent::Remapped { op, prepared } => {
                if self.waiting == Some(op) {
                    self.busy = None;
                    self.prepared = Some(prepared);
                    self.plan = None;
                }
            }
            ImportEvent::Planned { op, result } => {
                if self.waiting == Some(op) {
                    self.busy = None;
                    match result {
                        Ok(plan) => {
                            self.plan = Some(plan);
                            self.plan_error = None;
                        }
                        Err(e) => {
                            self.plan = None;
                            self.plan_error = Some(e.0);
                        }
                    }
                }
            }
            ImportEvent::Progress { op, progress } => {
                if self.run == Some(op) {
                    self.progress = progress;
                }
            }
            ImportEvent::Finished { op, result } => {
                if self.run != Some(op) {
                    return false;
                }
                self.run = None;
                self.cancelling = false;
                match result {
                    Ok(report) => {
                        let summary = report.summary();
                        let created = summary.created + summary.updated > summary.created_earlier;
                        self.report = Some(Arc::new(report));
                        self.step = Step::Results;
                        return created;
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
        }
        false
    }

    /// A dialog answered with a path (or `None`: cancelled).
    pub fn file_chosen(&mut self, purpose: FilePurpose, path: Option<PathBuf>) -> Vec<Command> {
        let Some(path) = path else {
            return Vec::new();
        };
        self.save_fallback = None;
        match purpose {
            FilePurpose::ImportCsv => self.open_path(path),
            FilePurpose::ImportSecrets => {
                self.secrets_path = Some(path);
                Vec::new()
            }
            FilePurpose::ImportTemplate => vec![Command::WriteFile {
                op: OpId::next(),
                purpose,
                path,
                contents: FileContents::Bytes(Arc::new(crate::import::template_csv())),
            }],
            FilePurpose::ImportRowsToFix => vec![Command::WriteFile {
                op: OpId::next(),
                purpose,
                path,
                contents: FileContents::Bytes(Arc::new(self.rows_to_fix_csv())),
            }],
            FilePurpose::ImportResults => match &self.report {
                Some(report) => vec![Command::WriteFile {
                    op: OpId::next(),
                    purpose,
                    path,
                    contents: FileContents::ImportResults(report.clone()),
                }],
                None => Vec::new(),
            },
            FilePurpose::WorkflowPng
            | FilePurpose::WorkflowJson
            | FilePurpose::ExportCsv
            | FilePurpose::ExportJson
            | FilePurpose::CaFile
            | FilePurpose::KeyFile => Vec::new(),
        }
    }

    /// A file was written, or could not be.
    pub fn file_written(&mut self, purpose: FilePurpose, path: &Path, result: Result<(), String>) {
        if purpose == FilePurpose::ImportResults && result.is_ok() {
            self.results_path = Some(path.to_owned());
        }
        self.notice = Some(match result {
            Ok(()) => Notice {
                text: {
                    let path = path.display().to_string();
                    match purpose {
                        FilePurpose::ImportTemplate => {
                            crate::tr!("wizard-template-saved", path = path)
                        }
                        FilePurpose::ImportRowsToFix => {
                            crate::tr!("wizard-rows-to-fix-saved", path = path)
                        }
                        _ => crate::tr!("wizard-results-saved", path = path),
                    }
                },
                is_error: false,
            },
            Err(text) => Notice {
                text,
                is_error: true,
            },
        });
    }

    /// No dialog could open: say so, and (for a file to save) offer a typed path.
    pub fn dialog_unavailable(&mut self, purpose: FilePurpose, message: &str) {
        self.notice = Some(Notice {
            text: message.to_owned(),
            is_error: true,
        });
        let name = match purpose {
            FilePurpose::ImportCsv => return,
            FilePurpose::ImportTemplate => "connect-import-template.csv",
            FilePurpose::ImportSecrets => "client-secrets.csv",
            FilePurpose::ImportRowsToFix => "rows-to-fix.csv",
            _ => "connect-import-results.csv",
        };
        let folder = std::env::current_dir().unwrap_or_default();
        self.save_fallback = Some((purpose, folder.join(name).display().to_string()));
    }

    /// Draws the current step. Never waits and never reads a file.
    pub fn ui(&mut self, ui: &mut egui::Ui, production: bool) -> ViewOutput {
        let mut output = ViewOutput::default();
        self.steps_ui(ui);
        ui.separator();
        match self.step {
            Step::File => self.file_ui(ui, &mut output),
            Step::Columns => self.columns_ui(ui, &mut output),
            Step::Preview => self.preview_ui(ui, production, &mut output),
            Step::Run => self.progress_ui(ui, &mut output),
            Step::Results => self.results_ui(ui, &mut output),
        }
        self.save_fallback_ui(ui, &mut output);
        if let Some(notice) = &self.notice {
            ui.add_space(6.0);
            if notice.is_error {
                ui.error_label(&notice.text);
            } else {
                ui.success_label(&notice.text);
            }
        }
        output
    }

    fn steps_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let steps = [
                (Step::File, crate::tr!("wizard-step-file")),
                (Step::Columns, crate::tr!("wizard-step-columns")),
                (Step::Preview, crate::tr!("wizard-step-preview")),
                (Step::Run, crate::tr!("wizard-step-import")),
                (Step::Results, crate::tr!("wizard-step-results")),
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

    /// A save dialog, off the window's thread.
    /// Where the results were saved, once the save was confirmed.
    pub fn results_path(&self) -> Option<&Path> {
        self.results_path.as_deref()
    }

    /// The preview's row heights as last measured (tests check that long problems wrap).
    pub fn preview_row_heights(&self) -> Option<&[f32]> {
        self.row_heights.as_ref().map(|(_, h)| h.as_slice())
    }

    /// The rows to fix: on the results page those not created (with why), before that the
    /// invalid rows (with their problems).
    fn rows_to_fix_csv(&self) -> Vec<u8> {
        let Some(prepared) = &self.prepared else {
            return Vec::new();
        };
        let by_number: std::collections::HashMap<usize, &crate::import::Row> =
            prepared.rows.iter().map(|r| (r.row, r)).collect();
        match (&self.report, self.step) {
            (Some(report), Step::Results) => crate::import::fix_file::rows_to_fix_csv(
                report
                    .rows
                    .iter()
                    .filter(|o| o.status.needs_fixing())
                    .filter_map(|o| {
                        let row = by_number.get(&o.row)?;
                        Some((*row, o.status.detail().to_owned()))
                    }),
            ),
            _ => crate::import::fix_file::rows_to_fix_csv(
                prepared
                    .rows
                    .iter()
                    .filter(|r| !r.is_valid())
                    .map(|r| (r, r.issue_text())),
            ),
        }
    }

    /// Asks where to save the rows to fix.
    fn ask_save_rows_to_fix() -> Command {
        Self::ask_save(
            FilePurpose::ImportRowsToFix,
            &crate::tr!("wizard-save-rows-to-fix-title"),
            "rows-to-fix.csv",
        )
    }

    fn ask_save(purpose: FilePurpose, title: &str, default_name: &str) -> Command {
        Command::dialog(DialogRequest {
            purpose,
            title: title.to_owned(),
            default_name: default_name.to_owned(),
            filters: SAVE_FILTERS,
            save: true,
        })
    }

    fn save_fallback_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        let Some((purpose, path)) = &mut self.save_fallback else {
            return;
        };
        let purpose = *purpose;
        let mut chosen = None;
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("wizard-save-to"));
            ui.add(egui::TextEdit::singleline(path).desired_width(420.0))
                .labelled_by(label.id);
            if ui.button(crate::tr!("common-save")).clicked() && !path.trim().is_empty() {
                chosen = Some(PathBuf::from(path.trim()));
            }
        });
        if let Some(path) = chosen {
            output
                .commands
                .extend(self.file_chosen(purpose, Some(path)));
        }
    }
}
