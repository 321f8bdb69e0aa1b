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
        ui.label(crate::tr!("wizard-progress-intro"));
        ui.add_space(6.0);
        ui.add(
            egui::ProgressBar::new(fraction)
                .show_percentage()
                .text(crate::tr!(
                    "wizard-progress-rows",
                    done = p.rows_done,
                    total = p.rows_total
                )),
        );
        ui.label(crate::tr!(
            "wizard-progress-pace",
            rate = format!("{:.0}", p.rows_per_sec),
            failed = p.rows_failed,
            batches = p.concurrency
        ));
        if let Some(eta) = p.eta {
            ui.label(crate::tr!(
                "wizard-progress-eta",
                seconds = (eta.as_secs() + 1)
            ));
        }
        ui.add_space(8.0);
        if self.cancelling {
            ui.label(crate::tr!("wizard-stopping"));
        } else if ui.button(crate::tr!("common-cancel")).clicked()
            && let Some(op) = self.run
        {
            // The one cancel path of every operation: the runtime stops the import between
            // rows, so its journal stays whole.
            self.cancelling = true;
            output.commands.push(Command::Cancel { op });
        }
    }
}
