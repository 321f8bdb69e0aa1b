//! Property tests of the layered layout on random workflows: no overlapping cards, forward
//! edges go down, back edges go up, edges never run under a card, and the same input always
//! gives the same output.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use connect_console::api::Workflow;
use connect_console::workflow::{Graph, Layout, LayoutConfig, layout};
use proptest::prelude::*;
use serde_json::{Value, json};

const TYPES: &[&str] = &[
    "request",
    "verification",
    "check-min-loa",
    "check-claim",
    "evaluate",
    "if",
    "response",
    "mystery",
];

/// A random workflow: node `i` has a random type and goes nowhere, to one node, or (as an
/// `if`) to several; targets are mostly existing ids, sometimes missing ones.
fn workflow_strategy() -> impl Strategy<Value = Workflow> {
    (1usize..45).prop_flat_map(|n| {
        let node = (
            0..TYPES.len(),
            prop::collection::vec(0..n + 2, 0..4),
            any::<bool>(),
        );
        (prop::collection::vec(node, n), 0..n + 1).prop_map(move |(nodes, entry)| {
            let id = |k: usize| format!("n{k}");
            let nodes: Vec<Value> = nodes
                .into_iter()
                .enumerate()
                .map(|(i, (kind, targets, as_routes))| {
                    let mut node = json!({"id": id(i), "type": TYPES[kind]});
                    if as_routes {
                        let routes: Vec<Value> = targets
                            .iter()
                            .map(|&t| json!({"condition": {"field": "input.loa", "operator": "gte", "value": t}, "next": id(t)}))
                            .collect();
                        node["next"] = Value::Array(routes);
                    } else if let Some(&t) = targets.first() {
                        node["next"] = json!(id(t));
                    }
                    node
                })
                .collect();
            serde_json::from_value(json!({"workflowId": "wf", "name": "random",
                "entryNodeId": id(entry), "nodes": nodes}))
            .unwrap()
        })
    })
}

/// Whether the segment a-b passes through the inside of the rectangle (Liang-Barsky clip).
fn crosses_inside(a: [f32; 2], b: [f32; 2], min: [f32; 2], max: [f32; 2]) -> bool {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-dx, a[0] - min[0]),
        (dx, max[0] - a[0]),
        (-dy, a[1] - min[1]),
        (dy, max[1] - a[1]),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

fn check_layout(graph: &Graph, placed: &Layout) -> Result<(), TestCaseError> {
    prop_assert_eq!(placed.nodes.len(), graph.nodes.len());
    prop_assert_eq!(placed.edges.len(), graph.edges.len());
    for (i, a) in placed.nodes.iter().enumerate() {
        prop_assert!(a.x >= 0.0 && a.y >= 0.0 && a.x.is_finite());
        prop_assert!(a.right() <= placed.width + 0.01 && a.bottom() <= placed.height + 0.01);
        for b in &placed.nodes[i + 1..] {
            let apart =
                a.right() <= b.x || b.right() <= a.x || a.bottom() <= b.y || b.bottom() <= a.y;
            prop_assert!(apart, "cards overlap: {:?} and {:?}", a, b);
        }
    }
    for path in &placed.edges {
        let edge = &graph.edges[path.edge];
        let (from, to) = (placed.nodes[edge.from], placed.nodes[edge.to]);
        if path.self_loop {
            prop_assert_eq!(edge.from, edge.to);
        } else if path.back {
            prop_assert!(to.layer < from.layer, "back edge does not go up");
        } else {
            prop_assert!(from.layer < to.layer, "forward edge does not go down");
        }
        prop_assert!(path.points.len() >= 2);
        for segment in path.points.windows(2) {
            for card in &placed.nodes {
                // Shrunk by half a point: edges start and end on card borders.
                let inside = crosses_inside(
                    segment[0],
                    segment[1],
                    [card.x + 0.5, card.y + 0.5],
                    [card.right() - 0.5, card.bottom() - 0.5],
                );
                prop_assert!(!inside, "edge {} runs under a card", path.edge);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn layout_properties_hold(workflow in workflow_strategy()) {
        let graph = Graph::build(&workflow);
        let config = LayoutConfig::default();
        let placed = layout(&graph, &config);
        check_layout(&graph, &placed)?;
        // Same input, same output, also from a freshly built graph.
        prop_assert_eq!(&placed, &layout(&Graph::build(&workflow.clone()), &config));
        if let Some(entry) = graph.entry {
            prop_assert_eq!(placed.nodes[entry].layer, 0);
        }
    }
}

#[test]
fn a_1000_node_workflow_lays_out_cleanly() {
    let workflow = connect_console::workflow::sample::large_workflow(1000);
    let graph = Graph::build(&workflow);
    let placed = layout(&graph, &LayoutConfig::default());
    check_layout(&graph, &placed).unwrap();
}

#[test]
fn the_under_a_card_check_sees_a_crossing() {
    assert!(crosses_inside(
        [0.0, 5.0],
        [10.0, 5.0],
        [2.0, 0.0],
        [4.0, 10.0]
    ));
    assert!(!crosses_inside(
        [0.0, 0.0],
        [10.0, 0.0],
        [2.0, 0.0],
        [4.0, 10.0]
    ));
    assert!(!crosses_inside(
        [0.0, 5.0],
        [1.0, 5.0],
        [2.0, 0.0],
        [4.0, 10.0]
    ));
}
