//! Graphviz DOT export: one box per node labelled with its type and summary, route conditions
//! on edges, missing targets drawn as dashed red placeholders. Labels are in the language in
//! use (the graph's route labels in the language it was built in).

use std::fmt::Write as _;

use super::graph::{Graph, NodeKind, UnresolvedRef};
use super::summary::summary;
use crate::api::Workflow;

/// The workflow as a DOT digraph.
pub fn to_dot(workflow: &Workflow, graph: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", escape(&workflow.name));
    out.push_str(
        "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
    );
    for (i, node) in workflow.nodes.iter().enumerate() {
        let kind = graph.nodes[i].kind;
        let mut attributes = format!(
            "label=\"{}\\n{}\", fillcolor=\"{}\"",
            escape(&kind.label()),
            escape(&summary(node)),
            fill_colour(kind)
        );
        if graph.entry == Some(i) {
            attributes.push_str(", penwidth=3");
        }
        if kind == NodeKind::Response {
            attributes.push_str(", peripheries=2");
        }
        let _ = writeln!(out, "  n{i} [{attributes}]; // {}", escape(&node.id));
    }
    for edge in &graph.edges {
        let label = edge
            .label()
            .map(|l| format!(" [label=\"{}\"]", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(out, "  n{} -> n{}{label};", edge.from, edge.to);
    }
    for (k, unresolved) in graph.unresolved.iter().enumerate() {
        if let UnresolvedRef::MissingTarget { from, target, .. } = unresolved {
            let label = crate::tr!("graph-missing-target", target = target.as_str());
            let _ = writeln!(
                out,
                "  missing{k} [label=\"{}\", color=red, style=dashed];\n  n{from} -> missing{k} [color=red, style=dashed];",
                escape(&label)
            );
        }
    }
    out.push_str("}\n");
    out
}

fn fill_colour(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Request => "#dbe9f7",
        NodeKind::Verification => "#d9f0dc",
        NodeKind::CheckMinLoa | NodeKind::CheckClaim => "#fbefd0",
        NodeKind::Evaluate => "#eadcf5",
        NodeKind::If => "#fde2cf",
        NodeKind::Response => "#e3e3e3",
        NodeKind::Other => "#ffffff",
    }
}

/// Escapes text for a quoted DOT string.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn dot_has_nodes_labelled_edges_and_missing_targets() {
        let wf: Workflow = serde_json::from_value(json!({"workflowId": "w", "name": "Say \"hi\"",
            "entryNodeId": "a", "nodes": [
                {"id": "a", "type": "if", "next": [
                    {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": "b"},
                    {"default": true, "next": "gone"}]},
                {"id": "b", "type": "response"}]}))
        .unwrap();
        let dot = to_dot(&wf, &Graph::build(&wf));
        assert!(dot.starts_with("digraph \"Say \\\"hi\\\"\" {"));
        assert!(dot.contains("n0 -> n1 [label=\"input.loa >= 2\"];"));
        assert!(dot.contains("n0 [label=\"If\\nIf input.loa >= 2 (2 routes)\""));
        assert!(dot.contains("penwidth=3"));
        assert!(dot.contains("peripheries=2"));
        assert!(dot.contains("missing: gone"));
        assert!(dot.trim_end().ends_with('}'));
    }
}
