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
        crate::tr!("workflow-problems-none")
    } else {
        crate::tr!(
            "workflow-problems-heading",
            errors = errors,
            warnings = warnings
        )
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
                    Severity::Error => (crate::tr!("workflow-problem-error"), tokens.error),
                    Severity::Warning => (crate::tr!("workflow-problem-warning"), tokens.warning),
                };
                let text = RichText::new(format!("{word}: {}", finding.message)).color(colour);
                if ui.selectable_label(selected == Some(k), text).clicked() {
                    clicked = Some(k);
                }
            }
        });
    clicked
}
