//! Step 1: choose the file (dialog, typed path, or dropped on the window), see what was read,
//! and override the encoding or the delimiter when the guess was wrong.

use std::path::{Path, PathBuf};

use super::{Busy, CSV_FILTERS, ImportWizard, Step, ViewOutput};
use crate::import::ReadOptions;
use crate::import::parse::{DELIMITERS, delimiter_name};
use crate::runtime::{Command, DialogRequest, FilePurpose};
use crate::ui::widgets::UiExt as _;

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

impl ImportWizard {
    pub(super) fn file_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        ui.heading("Import apps from a spreadsheet");
        ui.label(
            "Choose a CSV file exported from your spreadsheet (or drop it on this window), with \
             one app per row. Columns: name (required), redirectUris, webhookUrl, externalId. \
             \"Download template…\" gives a file to start from.",
        );
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Choose file…").clicked() {
                output.commands.push(Command::dialog(DialogRequest {
                    purpose: FilePurpose::ImportCsv,
                    title: "Choose a CSV file to import".to_owned(),
                    default_name: String::new(),
                    filters: CSV_FILTERS,
                    save: false,
                }));
            }
            if ui.button("Download template…").clicked() {
                output.commands.push(Self::ask_save(
                    FilePurpose::ImportTemplate,
                    "Save the import template",
                    "connect-import-template.csv",
                ));
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
                output.commands.extend(self.open_path(path));
            }
        });
        ui.add_space(6.0);
        if self.busy == Some(Busy::Reading) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the file…");
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
            if ui.button("Close").clicked() {
                output.close = true;
            }
            let ready = self.prepared.is_some() && self.busy.is_none();
            if ui.add_enabled(ready, egui::Button::new("Next")).clicked() {
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
            ui.weak("If accents or other letters look wrong in the preview, choose the encoding.");
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

fn encoding_title(label: &str) -> &str {
    ENCODINGS
        .iter()
        .find(|(_, l)| *l == label)
        .map_or(label, |(title, _)| title)
}
