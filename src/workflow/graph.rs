//! The workflow as a graph: nodes by index, edges resolved from `next` ids and route objects.
//!
//! Building never fails. A `next` naming no node, or a route whose target cannot be read, is
//! kept in [`Graph::unresolved`] for lint to report; duplicate ids resolve to their first node.

use std::collections::HashMap;

use serde_json::Value;

use super::condition::{first_matching, route_label};
use crate::api::{Next, Node, Workflow};

/// What a node does, from its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Request,
    Verification,
    CheckMinLoa,
    CheckClaim,
    Evaluate,
    If,
    Response,
    /// A type this console does not know yet.
    Other,
}

/// The documented types, as the API writes them.
const CODES: [(&str, NodeKind); 7] = [
    ("request", NodeKind::Request),
    ("verification", NodeKind::Verification),
    ("check-min-loa", NodeKind::CheckMinLoa),
    ("check-claim", NodeKind::CheckClaim),
    ("evaluate", NodeKind::Evaluate),
    ("if", NodeKind::If),
    ("response", NodeKind::Response),
];

impl NodeKind {
    /// The kind of a `type`, read in any case, with `_` for `-` and spaces around.
    pub fn from_type(node_type: &str) -> Self {
        // As the API writes them first, without building a normalised copy (a simulation asks
        // per step).
        Self::from_code(node_type)
            .or_else(|| Self::from_code(&node_type.trim().to_ascii_lowercase().replace('_', "-")))
            .unwrap_or(Self::Other)
    }

    fn from_code(code: &str) -> Option<Self> {
        CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, kind)| *kind)
    }

    /// Checks end the workflow as rejected when they fail (see [`crate::workflow::simulate`]).
    pub fn can_fail(self) -> bool {
        matches!(self, Self::CheckMinLoa | Self::CheckClaim)
    }

    /// A short name for people, e.g. "Check minimum LoA", in the language in use (the `type`
    /// codes in the JSON stay as written).
    pub fn label(self) -> String {
        match self {
            Self::Request => crate::tr!("node-kind-request"),
            Self::Verification => crate::tr!("node-kind-verification"),
            Self::CheckMinLoa => crate::tr!("node-kind-check-min-loa"),
            Self::CheckClaim => crate::tr!("node-kind-check-claim"),
            Self::Evaluate => crate::tr!("node-kind-evaluate"),
            Self::If => crate::tr!("node-kind-if"),
            Self::Response => crate::tr!("node-kind-response"),
            Self::Other => crate::tr!("node-kind-other"),
        }
    }
}

/// One node of the graph; `index` is its position in the workflow's node list.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub index: usize,
    pub id: String,
    pub kind: NodeKind,
}

/// Whether an edge comes from a plain `next` or from one of an `if` node's routes.
#[derive(Debug, Clone, PartialEq)]
pub enum EdgeKind {
    Next,
    /// The route's position in the `next` array and its condition in words
    /// ("input.loa >= 3", "otherwise"), when one could be read, in the language in use when
    /// the graph was built.
    Route {
        route_index: usize,
        label: Option<String>,
    },
}

/// A resolved edge between two node indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

impl Edge {
    /// The condition shown on a route edge.
    pub fn label(&self) -> Option<&str> {
        match &self.kind {
            EdgeKind::Route { label, .. } => label.as_deref(),
            EdgeKind::Next => None,
        }
    }
}

/// A reference from `next` that did not resolve to a node.
#[derive(Debug, Clone, PartialEq)]
pub enum UnresolvedRef {
    /// `next` (or a route's target) names an id no node has.
    MissingTarget {
        from: usize,
        target: String,
        route_index: Option<usize>,
    },
    /// A route object in which no target id could be found; kept as raw JSON.
    RouteWithoutTarget {
        from: usize,
        route_index: usize,
        raw: Value,
    },
}

/// The workflow's nodes and resolved edges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<Edge>,
    /// Index of the entry node, if `entryNodeId` names one.
    pub entry: Option<usize>,
    pub unresolved: Vec<UnresolvedRef>,
    /// Edge indices leaving each node, in `next` order.
    pub outgoing: Vec<Vec<usize>>,
}

/// Keys that hold a route's target id, most likely first. The docs do not give the shape.
const TARGET_KEYS: &[&str] = &[
    "next",
    "target",
    "to",
    "nodeId",
    "node_id",
    "targetNodeId",
    "target_node_id",
    "targetId",
    "target_id",
    "then",
    "goto",
];

impl Graph {
    pub fn build(workflow: &Workflow) -> Self {
        let nodes: Vec<GraphNode> = workflow
            .nodes
            .iter()
            .enumerate()
            .map(|(index, node)| GraphNode {
                index,
                id: node.id.clone(),
                kind: NodeKind::from_type(&node.node_type),
            })
            .collect();
        // The first node with an id wins; later duplicates are reported by lint.
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for node in &nodes {
            by_id.entry(node.id.as_str()).or_insert(node.index);
        }
        let entry = workflow
            .entry_node_id
            .as_deref()
            .and_then(|id| by_id.get(id).copied());
        let mut graph = Graph {
            entry,
            outgoing: vec![Vec::new(); nodes.len()],
            ..Graph::default()
        };
        for (from, node) in workflow.nodes.iter().enumerate() {
            graph.add_edges_of(from, node, &by_id);
        }
        graph.nodes = nodes;
        graph
    }

    fn add_edges_of(&mut self, from: usize, node: &Node, by_id: &HashMap<&str, usize>) {
        match &node.next {
            None => {}
            Some(Next::Node(target)) if target.trim().is_empty() => {}
            Some(Next::Node(target)) => self.link(from, target, EdgeKind::Next, None, by_id),
            Some(Next::Routes(routes)) => {
                for (route_index, route) in routes.iter().enumerate() {
                    match route_target(route, by_id) {
                        Some(target) => {
                            let kind = EdgeKind::Route {
                                route_index,
                                label: route_label(route),
                            };
                            self.link(from, target, kind, Some(route_index), by_id);
                        }
                        None => self.unresolved.push(UnresolvedRef::RouteWithoutTarget {
                            from,
                            route_index,
                            raw: route.clone(),
                        }),
                    }
                }
            }
        }
    }

    fn link(
        &mut self,
        from: usize,
        target: &str,
        kind: EdgeKind,
        route_index: Option<usize>,
        by_id: &HashMap<&str, usize>,
    ) {
        match by_id.get(target) {
            Some(&to) => {
                self.outgoing[from].push(self.edges.len());
                self.edges.push(Edge { from, to, kind });
            }
            None => self.unresolved.push(UnresolvedRef::MissingTarget {
                from,
                target: target.to_owned(),
                route_index,
            }),
        }
    }

    /// Index of the first node with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// Successor indices of `node`, in `next` order (may repeat).
    pub fn successors(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.outgoing
            .get(node)
            .into_iter()
            .flatten()
            .map(|&e| self.edges[e].to)
    }

    /// Which nodes a walk from the entry can reach; all `false` without an entry.
    pub fn reachable_from_entry(&self) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let Some(entry) = self.entry else {
            return seen;
        };
        let mut stack = vec![entry];
        seen[entry] = true;
        while let Some(node) = stack.pop() {
            for next in self.successors(node) {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        seen
    }
}

/// The target id of a route: a bare string, a known key holding a string, or (for unknown
/// shapes) any string value of the object that names an existing node. The simulator follows
/// routes through this too.
pub(super) fn route_target<'r, S: std::hash::BuildHasher>(
    route: &'r Value,
    by_id: &HashMap<&str, usize, S>,
) -> Option<&'r str> {
    match route {
        Value::String(id) if !id.trim().is_empty() => Some(id),
        Value::Object(map) => {
            let named = first_matching(map, TARGET_KEYS, Value::is_string)
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty());
            named.or_else(|| {
                map.values()
                    .filter_map(Value::as_str)
                    .find(|s| by_id.contains_key(s))
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn workflow(entry: &str, nodes: Value) -> Workflow {
        serde_json::from_value(
            json!({"workflowId": "wf_t", "name": "t", "entryNodeId": entry, "nodes": nodes}),
        )
        .unwrap()
    }

    #[test]
    fn resolves_next_ids_and_routes_of_several_shapes() {
        let wf = workflow(
            "a",
            json!([
                {"id": "a", "type": "if", "next": [
                    {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": "b"},
                    {"when": "x", "target": "c"},
                    "d",
                    {"weird": {"deep": 1}, "goes": "e"},
                    {"nothing": 1}
                ]},
                {"id": "b", "type": "response"},
                {"id": "c", "type": "response"},
                {"id": "d", "type": "response", "next": "zz"},
                {"id": "e", "type": "response"}
            ]),
        );
        let graph = Graph::build(&wf);
        assert_eq!(graph.entry, Some(0));
        let targets: Vec<usize> = graph.successors(0).collect();
        assert_eq!(targets, [1, 2, 3, 4]);
        assert_eq!(graph.edges[0].label(), Some("input.loa >= 2"));
        assert_eq!(graph.unresolved.len(), 2);
        assert!(matches!(
            &graph.unresolved[0],
            UnresolvedRef::RouteWithoutTarget {
                from: 0,
                route_index: 4,
                ..
            }
        ));
        assert!(matches!(
            &graph.unresolved[1],
            UnresolvedRef::MissingTarget { from: 3, target, route_index: None } if target == "zz"
        ));
    }

    #[test]
    fn duplicate_ids_resolve_to_the_first_node_and_kinds_are_tolerant() {
        let wf = workflow(
            "a",
            json!([{"id": "a", "type": "Check_Min_LoA", "next": "b"}, {"id": "b", "type": "response"},
                   {"id": "b", "type": "teleport"}]),
        );
        let graph = Graph::build(&wf);
        assert_eq!(graph.nodes[0].kind, NodeKind::CheckMinLoa);
        assert_eq!(graph.nodes[2].kind, NodeKind::Other);
        assert_eq!(graph.successors(0).collect::<Vec<_>>(), [1]);
        assert_eq!(graph.reachable_from_entry(), [true, true, false]);
    }

    #[test]
    fn missing_entry_reaches_nothing() {
        let wf = workflow("nope", json!([{"id": "a", "type": "request"}]));
        let graph = Graph::build(&wf);
        assert_eq!(graph.entry, None);
        assert_eq!(graph.reachable_from_entry(), [false]);
    }
}
