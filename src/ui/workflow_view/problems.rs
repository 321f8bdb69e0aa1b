//! The lint panel: every finding of the workflow, errors first; clicking one selects its node.

use egui::{RichText, Ui};

use crate::ui::theme::Tokens;
use crate::workflow::{Finding, Severity};

/// Draws the findings; returns the index of the one clicked.
pub(super) fn problems_ui(
    ui: &mut Ui,
    findings: &[Finding],
    selected: Option<usize>,
    tokens: &Tokens,
) -> Option<usize> {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let heading = if findings.is_empty() {
        "No problems found".to_owned()
    } else {
        format!("Problems: {errors} error(s), {warnings} warning(s)")
    };
    ui.label(RichText::new(heading).strong());
    if findings.is_empty() {
        return None;
    }
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("workflow_view_problems_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (k, finding) in findings.iter().enumerate() {
                let (word, colour) = match finding.severity {
                    Severity::Error => ("Error", tokens.error),
                    Severity::Warning => ("Warning", tokens.warning),
                };
                let text = RichText::new(format!("{word}: {}", finding.message)).color(colour);
                if ui.selectable_label(selected == Some(k), text).clicked() {
                    clicked = Some(k);
                }
            }
        });
    clicked
}
