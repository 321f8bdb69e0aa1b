//! Step 1: choose the file (dialog, typed path, or dropped on the window), see what was read,
//! and override the encoding or the delimiter when the guess was wrong.

use std::path::{Path, PathBuf};

use super::{Busy, CSV_FILTERS, ImportWizard, Step, ViewOutput};
use crate::import::ReadOptions;
use crate::import::parse::{DELIMITERS, delimiter_name};
use crate::runtime::{Command, DialogRequest, FilePurpose};
use crate::ui::widgets::UiExt as _;

/// Encodings offered as overrides, by encoding label (their titles: [`encoding_title`]).
const ENCODINGS: &[&str] = &[
    "utf-8",
    "utf-16le",
    "utf-16be",
    "windows-1252",
    "iso-8859-15",
    "windows-1250",
    "shift_jis",
    "euc-kr",
    "gbk",
];

impl ImportWizard {
    pub(super) fn file_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.heading(crate::tr!("wizard-file-heading"));
        ui.label(crate::tr!("wizard-file-intro"));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("wizard-choose-file")).clicked() {
                output.commands.push(Command::dialog(DialogRequest {
                    purpose: FilePurpose::ImportCsv,
                    title: crate::tr!("wizard-choose-file-title"),
                    default_name: String::new(),
                    filters: CSV_FILTERS,
                    save: false,
                }));
            }
            if ui.button(crate::tr!("wizard-download-template")).clicked() {
                output.commands.push(Self::ask_save(
                    FilePurpose::ImportTemplate,
                    &crate::tr!("wizard-template-title"),
                    "connect-import-template.csv",
                ));
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(crate::tr!("wizard-file-path"));
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.path_text)
                        .hint_text(crate::tr!("wizard-file-path-hint"))
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(crate::tr!("wizard-open")).clicked() || enter)
                && !self.path_text.trim().is_empty()
            {
                let path = PathBuf::from(self.path_text.trim());
                output.commands.extend(self.open_path(path));
            }
        });
        ui.add_space(6.0);
        if self.busy == Some(Busy::Reading) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(crate::tr!("wizard-reading"));
            });
        }
        if let Some(error) = &self.file_error {
            ui.error_label(error);
        }
        // Shown whenever the file was read, so that a wrong override can be undone.
        if self.bytes.is_some() {
            self.file_summary_ui(ui, output);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("common-close")).clicked() {
                output.close = true;
            }
            let ready = self.prepared.is_some() && self.busy.is_none();
            if ui
                .add_enabled(ready, egui::Button::new(crate::tr!("common-next")))
                .clicked()
            {
                self.step = Step::Columns;
            }
        });
    }

    /// Encoding, delimiter and row count, with overrides that re-read the file.
    fn file_summary_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        let prepared = self.prepared.as_deref();
        let detected_encoding = prepared.map_or("?", |p| p.encoding);
        let guessed = prepared.is_some_and(|p| p.encoding_guessed);
        let detected_delimiter = prepared.map(|p| p.table.delimiter);
        let rows = prepared.map_or_else(
            || crate::tr!("wizard-rows-none"),
            |p| crate::tr!("wizard-rows-count", count = p.rows.len()),
        );
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
                ui.label(crate::tr!("wizard-fact-file"));
                ui.label(name);
                ui.end_row();
                ui.label(crate::tr!("wizard-fact-rows"));
                ui.label(rows);
                ui.end_row();
                let encoding_label = ui.label(crate::tr!("wizard-encoding"));
                let shown = match self.encoding {
                    Some(label) => encoding_title(label),
                    None if guessed => {
                        crate::tr!("wizard-detect-found-guess", found = detected_encoding)
                    }
                    None => crate::tr!("wizard-detect-found", found = detected_encoding),
                };
                egui::ComboBox::from_id_salt("import_encoding")
                    .selected_text(shown)
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        changed |= ui
                            .selectable_value(&mut self.encoding, None, crate::tr!("wizard-detect"))
                            .changed();
                        for label in ENCODINGS {
                            changed |= ui
                                .selectable_value(
                                    &mut self.encoding,
                                    Some(*label),
                                    encoding_title(label),
                                )
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(encoding_label.id);
                ui.end_row();
                let delimiter_label = ui.label(crate::tr!("wizard-delimiter"));
                let shown = match self.delimiter {
                    Some(d) => delimiter_name(d),
                    None => match detected_delimiter {
                        Some(d) => crate::tr!("wizard-detect-found", found = delimiter_name(d)),
                        None => crate::tr!("wizard-detect"),
                    },
                };
                egui::ComboBox::from_id_salt("import_delimiter")
                    .selected_text(shown)
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        changed |= ui
                            .selectable_value(
                                &mut self.delimiter,
                                None,
                                crate::tr!("wizard-detect"),
                            )
                            .changed();
                        for d in DELIMITERS {
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
            ui.weak(crate::tr!("wizard-encoding-hint"));
        }
        if changed {
            output.commands.extend(self.reread());
        }
    }

    /// Prepares the kept bytes again with the chosen overrides.
    fn reread(&mut self) -> Option<Command> {
        let bytes = self.bytes.clone()?;
        self.busy = Some(Busy::Reading);
        Some(Command::RereadImportFile {
            op: self.next_request(),
            bytes,
            options: ReadOptions {
                encoding: self.encoding.map(str::to_owned),
                delimiter: self.delimiter,
                max_name_chars: Some(self.capabilities.max_name_chars),
            },
        })
    }
}

/// How an encoding is offered: its name, and the languages it serves where that helps.
fn encoding_title(label: &str) -> String {
    match label {
        "utf-8" => "UTF-8".to_owned(),
        "utf-16le" => "UTF-16 LE".to_owned(),
        "utf-16be" => "UTF-16 BE".to_owned(),
        "windows-1252" => crate::tr!("wizard-encoding-western"),
        "iso-8859-15" => "ISO-8859-15".to_owned(),
        "windows-1250" => crate::tr!("wizard-encoding-central"),
        "shift_jis" => crate::tr!("wizard-encoding-japanese"),
        "euc-kr" => crate::tr!("wizard-encoding-korean"),
        "gbk" => crate::tr!("wizard-encoding-chinese"),
        other => other.to_owned(),
    }
}
