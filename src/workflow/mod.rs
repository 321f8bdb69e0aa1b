//! Workflow graph model, lint, layered layout, node summaries, DOT export and simulation (no
//! egui in here).
//!
//! The API gives a workflow as a flat list of nodes whose `next` is a node id or, for `if`
//! nodes, a list of route objects of undocumented shape. [`Graph::build`] turns that into
//! resolved edges without rejecting anything; [`lint()`] reports what is wrong; [`layout()`]
//! places the nodes in layers for drawing; [`simulate()`] runs a sample user through it.

pub mod condition;
pub mod dot;
pub mod edit;
pub mod evaluate;
pub mod graph;
pub mod layout;
pub mod lint;
pub mod sample;
pub mod simulate;
pub mod summary;

pub use condition::condition_text;
pub use dot::to_dot;
pub use graph::{Edge, EdgeKind, Graph, GraphNode, NodeKind, UnresolvedRef};
pub use layout::{EdgePath, Layout, LayoutConfig, NodeBox, layout};
pub use lint::{Finding, ProviderState, Rule, Severity, lint};
pub use simulate::{Outcome, Simulation, Step, StepResult, simulate};
pub use summary::{describe_settings, next_in_words, summary};

/// Node indices in reading order: nodes reachable from the entry first, by layer and then left
/// to right as the layout places them; then the unreachable ones, in the same order.
pub fn reading_order(graph: &Graph, layout: &Layout) -> Vec<usize> {
    let reachable = graph.reachable_from_entry();
    let mut order: Vec<usize> = (0..layout.nodes.len()).collect();
    order.sort_by_key(|&i| {
        let placed = &layout.nodes[i];
        let unreachable = graph.entry.is_some() && !reachable[i];
        (unreachable, placed.layer, placed.order)
    });
    order
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reading_order_puts_unreachable_nodes_last() {
        let wf: crate::api::Workflow =
            serde_json::from_value(json!({"workflowId": "w", "name": "w",
            "entryNodeId": "a", "nodes": [
                {"id": "lost", "type": "response"},
                {"id": "a", "type": "request", "next": "b"},
                {"id": "b", "type": "response"}]}))
            .unwrap();
        let graph = Graph::build(&wf);
        let placed = layout(&graph, &LayoutConfig::default());
        assert_eq!(reading_order(&graph, &placed), [1, 2, 0]);
    }
}
