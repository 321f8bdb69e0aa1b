//! The node inspector: what a node does in words, its problems, and its raw JSON.

use egui::{RichText, Ui};

use crate::api::Node;
use crate::ui::theme::Tokens;
use crate::workflow::{Finding, NodeKind, Severity, describe_settings};

/// What the inspector shows for one node.
pub struct InspectedNode<'a> {
    pub node: &'a Node,
    pub kind: NodeKind,
    pub summary: &'a str,
    pub is_entry: bool,
    pub findings: Vec<&'a Finding>,
}

/// Draws the inspector; returns `true` when the user closes it.
pub fn inspector_ui(ui: &mut Ui, inspected: &InspectedNode<'_>, tokens: &Tokens) -> bool {
    let mut close = false;
    ui.horizontal(|ui| {
        ui.heading(crate::tr!(
            "workflow-inspector-title",
            id = inspected.node.id.as_str()
        ));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            close = ui.button(crate::tr!("workflow-inspector-close")).clicked();
        });
    });
    let mut marks = vec![inspected.kind.label()];
    if inspected.is_entry {
        marks.push(crate::tr!("workflow-inspector-entry"));
    }
    if inspected.kind == NodeKind::Response {
        marks.push(crate::tr!("workflow-inspector-ends"));
    }
    ui.label(RichText::new(marks.join(", ")).strong());
    ui.label(inspected.summary);
    if !inspected.findings.is_empty() {
        ui.label(RichText::new(crate::tr!("workflow-inspector-problems")).strong());
    }
    // The message alone: the lint panel shows the same finding with its severity word.
    for finding in &inspected.findings {
        let colour = match finding.severity {
            Severity::Error => tokens.error,
            Severity::Warning => tokens.warning,
        };
        ui.colored_label(colour, &finding.message);
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("workflow_inspector_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(RichText::new(crate::tr!("workflow-inspector-settings")).strong());
            egui::Grid::new("workflow_inspector_settings")
                .num_columns(2)
                .striped(true)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for (label, value) in describe_settings(inspected.node) {
                        ui.label(RichText::new(label).weak());
                        ui.add(egui::Label::new(value).wrap());
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            ui.label(RichText::new(crate::tr!("workflow-inspector-raw")).strong());
            let raw = serde_json::to_string_pretty(inspected.node).unwrap_or_else(|e| {
                crate::tr!("workflow-inspector-raw-failed", error = e.to_string())
            });
            ui.add(
                egui::Label::new(RichText::new(raw).monospace())
                    .selectable(true)
                    .wrap(),
            );
        });
    close
}
