//! Workflow graph model, lint, layered layout, node summaries and DOT export (no egui in here).
//!
//! The API gives a workflow as a flat list of nodes whose `next` is a node id or, for `if`
//! nodes, a list of route objects of undocumented shape. [`Graph::build`] turns that into
//! resolved edges without rejecting anything; [`lint`] reports what is wrong; [`layout()`]
//! places the nodes in layers for drawing.

pub mod dot;
pub mod graph;
pub mod layout;
pub mod lint;
pub mod sample;
pub mod summary;

pub use dot::to_dot;
pub use graph::{Edge, EdgeKind, Graph, GraphNode, NodeKind, UnresolvedRef};
pub use layout::{EdgePath, Layout, LayoutConfig, NodeBox, layout};
pub use lint::{Finding, ProviderState, Rule, Severity, lint};
pub use summary::{condition_text, describe_settings, next_in_words, summary};

/// Node indices in reading order: by layer, then left to right, as the layout places them.
pub fn reading_order(layout: &Layout) -> Vec<usize> {
    let mut order: Vec<usize> = (0..layout.nodes.len()).collect();
    order.sort_by(|&a, &b| {
        let (na, nb) = (&layout.nodes[a], &layout.nodes[b]);
        (na.layer, na.order).cmp(&(nb.layer, nb.order))
    });
    order
}
