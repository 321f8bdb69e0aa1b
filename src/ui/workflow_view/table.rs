//! The table view: the same nodes as the graph, one row each in reading order.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::Prepared;
use crate::api::Workflow;
use crate::ui::theme::Tokens;
use crate::workflow::{self, NodeKind, Severity};

/// Draws the table; returns the node whose row was clicked.
pub(super) fn table_ui(
    ui: &mut Ui,
    prepared: &Prepared,
    workflow: &Workflow,
    selected: Option<usize>,
    tokens: &Tokens,
) -> Option<usize> {
    let mut clicked = None;
    TableBuilder::new(ui)
        .id_salt("workflow_view_table")
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(36.0))
        .column(Column::exact(150.0).clip(true))
        .column(Column::exact(140.0))
        .column(
            Column::initial(340.0)
                .at_least(160.0)
                .resizable(true)
                .clip(true),
        )
        .column(
            Column::initial(280.0)
                .at_least(120.0)
                .resizable(true)
                .clip(true),
        )
        .column(Column::remainder().at_least(100.0))
        .header(26.0, |mut row| {
            let titles = [
                "#".to_owned(),
                crate::tr!("workflow-table-node"),
                crate::tr!("workflow-table-type"),
                crate::tr!("workflow-table-summary"),
                crate::tr!("workflow-table-next"),
                crate::tr!("workflow-table-problems"),
            ];
            for title in titles {
                row.col(|ui| {
                    ui.label(RichText::new(&title).strong());
                });
            }
        })
        .body(|body| {
            body.rows(
                tokens.row_height,
                prepared.reading_order.len(),
                |mut row| {
                    let position = row.index();
                    let Some(&i) = prepared.reading_order.get(position) else {
                        return;
                    };
                    let node = &workflow.nodes[i];
                    let kind = prepared.graph.nodes[i].kind;
                    row.set_selected(selected == Some(i));
                    row.col(|ui| {
                        ui.add(egui::Label::new((position + 1).to_string()).selectable(false));
                    });
                    row.col(|ui| {
                        let mut id = RichText::new(&node.id).monospace();
                        if prepared.graph.entry == Some(i) {
                            id = id.strong();
                        }
                        ui.add(egui::Label::new(id).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        let text = if prepared.graph.entry == Some(i) {
                            crate::tr!("workflow-table-entry", kind = kind.label())
                        } else if kind == NodeKind::Response {
                            crate::tr!("workflow-table-end", kind = kind.label())
                        } else {
                            kind.label()
                        };
                        ui.add(egui::Label::new(text).selectable(false));
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(&prepared.summaries[i])
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        let next = workflow::next_in_words(node.next.as_ref(), &prepared.graph, i);
                        ui.add(egui::Label::new(next).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        let count = prepared
                            .findings
                            .iter()
                            .filter(|f| f.node == Some(i))
                            .count();
                        if let Some(severity) = prepared.worst[i] {
                            let (text, colour) = if severity == Severity::Error {
                                (
                                    crate::tr!("workflow-table-problem-count", count = count),
                                    tokens.error,
                                )
                            } else {
                                (
                                    crate::tr!("workflow-table-warning-count", count = count),
                                    tokens.warning,
                                )
                            };
                            ui.add(
                                egui::Label::new(RichText::new(text).color(colour))
                                    .selectable(false),
                            );
                        }
                    });
                    if row.response().clicked() {
                        clicked = Some(i);
                    }
                },
            );
        });
    clicked
}
