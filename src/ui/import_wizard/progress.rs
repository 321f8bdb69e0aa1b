//! Step 4: the import running, with its pace and Cancel (which stops after the batches in
//! flight; a later run picks up where this one stopped).

use super::{ImportWizard, ViewOutput};
use crate::runtime::Command;

impl ImportWizard {
    pub(super) fn progress_ui(&mut self, ui: &mut egui::Ui, output: &mut ViewOutput) {
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
            "{:.0} rows per second, {} failed so far, {} batches at once",
            p.rows_per_sec, p.rows_failed, p.concurrency
        ));
        if let Some(eta) = p.eta {
            ui.label(format!("About {} seconds left", eta.as_secs() + 1));
        }
        ui.add_space(8.0);
        if self.cancelling {
            ui.label("Stopping after the batches already sent…");
        } else if ui.button("Cancel").clicked()
            && let Some(op) = self.run
        {
            // The one cancel path of every operation: the runtime stops the import between
            // rows, so its journal stays whole.
            self.cancelling = true;
            output.commands.push(Command::Cancel { op });
        }
    }
}
