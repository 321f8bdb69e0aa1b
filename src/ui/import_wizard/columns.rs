//! Step 2: what each column of the file holds. A change checks every row again, on the
//! background runtime, with a line saying so.

use super::{Busy, ImportWizard, Step, ViewOutput};
use crate::import::Field;
use crate::runtime::Command;
use crate::ui::widgets::UiExt as _;

impl ImportWizard {
    pub(super) fn columns_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
        let Some(prepared) = self.prepared.clone() else {
            self.step = Step::File;
            return;
        };
        ui.label(crate::tr!("wizard-columns-intro"));
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
                        ui.strong(crate::tr!("wizard-col-in-file"));
                        ui.strong(crate::tr!("wizard-col-imported-as"));
                        ui.strong(crate::tr!("wizard-col-first-value"));
                        ui.end_row();
                        for (i, header) in mapping.headers.clone().iter().enumerate() {
                            let label = ui.label(if header.is_empty() {
                                let number = (i + 1).to_string();
                                crate::tr!("wizard-column-unnamed", number = number)
                            } else {
                                header.clone()
                            });
                            let current = mapping.columns.get(i).copied().flatten();
                            let mut choice = current;
                            egui::ComboBox::from_id_salt(("import_column", i))
                                .selected_text(
                                    current
                                        .map_or_else(|| crate::tr!("wizard-ignore"), Field::label),
                                )
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(
                                        &mut choice,
                                        None,
                                        crate::tr!("wizard-ignore"),
                                    );
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
            self.busy = Some(Busy::Checking);
            output.commands.push(Command::Remap {
                op: self.next_request(),
                prepared: prepared.clone(),
                mapping: mapping.clone(),
            });
        }
        if self.busy == Some(Busy::Checking) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(crate::tr!("wizard-checking", count = prepared.rows.len()));
            });
        }
        let unknown = prepared.mapping.unknown();
        if !unknown.is_empty() {
            ui.weak(crate::tr!(
                "wizard-ignored-columns",
                columns = unknown.join(", ")
            ));
        }
        let has_name = mapping.column_of(Field::Name).is_some();
        if !has_name {
            ui.error_label(crate::tr!("wizard-name-required"));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(crate::tr!("common-close")).clicked() {
                output.close = true;
            }
            if ui.button(crate::tr!("common-back")).clicked() {
                self.step = Step::File;
            }
            let ready = has_name && self.busy.is_none();
            if ui
                .add_enabled(ready, egui::Button::new(crate::tr!("common-next")))
                .clicked()
            {
                self.step = Step::Preview;
                output.commands.extend(self.request_plan());
            }
        });
    }
}
