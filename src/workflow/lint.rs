//! Workflow problems as errors and warnings, each tied to the node it concerns.

use std::collections::{BTreeMap, HashMap};

use super::graph::{Graph, NodeKind, UnresolvedRef};
use super::summary::providers_of;
use crate::api::{App, Next, Workflow};

/// How bad a finding is: an error breaks verification, a warning is probably a mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// "error" or "warning", in the language in use.
    pub fn label(self) -> String {
        match self {
            Self::Error => crate::tr!("lint-severity-error"),
            Self::Warning => crate::tr!("lint-severity-warning"),
        }
    }
}

/// Which check produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    EntryMissing,
    DuplicateId,
    MissingTarget,
    RouteWithoutTarget,
    Unreachable,
    NoResponse,
    CycleWithoutExit,
    IfWithoutRoutes,
    ProviderNotEnabled,
    UnknownType,
}

/// One problem; `node` is the index of the node it concerns, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    pub node: Option<usize>,
    pub message: String,
}

/// How the app's providers stand, for the provider rule: enabled, or present but off.
pub struct ProviderState<'a> {
    pub enabled: Vec<&'a str>,
    pub disabled: Vec<&'a str>,
}

impl<'a> ProviderState<'a> {
    pub fn of(app: &'a App) -> Self {
        let (on, off): (Vec<_>, Vec<_>) = app.providers.iter().partition(|(_, s)| s.enabled);
        Self {
            enabled: on.into_iter().map(|(id, _)| id.as_str()).collect(),
            disabled: off.into_iter().map(|(id, _)| id.as_str()).collect(),
        }
    }
}

/// Every finding for `workflow`, errors first, then in node order.
pub fn lint(workflow: &Workflow, graph: &Graph, providers: &ProviderState<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |severity, rule, node, message: String| {
        findings.push(Finding {
            severity,
            rule,
            node,
            message,
        });
    };
    let id = |i: usize| graph.nodes[i].id.as_str();

    match (&workflow.entry_node_id, graph.entry) {
        (None, _) => add(
            Severity::Error,
            Rule::EntryMissing,
            None,
            crate::tr!("lint-no-entry"),
        ),
        (Some(entry), None) => add(
            Severity::Error,
            Rule::EntryMissing,
            None,
            crate::tr!("lint-entry-missing", entry = entry.as_str()),
        ),
        _ => {}
    }

    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for node in &graph.nodes {
        if node.id.trim().is_empty() {
            add(
                Severity::Error,
                Rule::DuplicateId,
                Some(node.index),
                crate::tr!("lint-no-id", position = (node.index + 1).to_string()),
            );
        } else if let Some(&first) = first_of.get(node.id.as_str()) {
            add(
                Severity::Error,
                Rule::DuplicateId,
                Some(node.index),
                crate::tr!(
                    "lint-duplicate-id",
                    id = node.id.as_str(),
                    first = (first + 1).to_string(),
                    second = (node.index + 1).to_string()
                ),
            );
        } else {
            first_of.insert(node.id.as_str(), node.index);
        }
    }

    for unresolved in &graph.unresolved {
        match unresolved {
            UnresolvedRef::MissingTarget {
                from,
                target,
                route_index,
            } => {
                let message = match route_index {
                    None => crate::tr!(
                        "lint-missing-target",
                        from = id(*from),
                        target = target.as_str()
                    ),
                    Some(r) => crate::tr!(
                        "lint-missing-target-route",
                        from = id(*from),
                        target = target.as_str(),
                        route = (r + 1).to_string()
                    ),
                };
                add(Severity::Error, Rule::MissingTarget, Some(*from), message);
            }
            UnresolvedRef::RouteWithoutTarget {
                from, route_index, ..
            } => add(
                Severity::Warning,
                Rule::RouteWithoutTarget,
                Some(*from),
                crate::tr!(
                    "lint-route-without-target",
                    route = (route_index + 1).to_string(),
                    from = id(*from)
                ),
            ),
        }
    }

    let reachable = graph.reachable_from_entry();
    // Without an entry every node is checked, so the other rules still say something useful.
    let in_scope = |i: usize| graph.entry.is_none() || reachable[i];
    if graph.entry.is_some() {
        for node in graph.nodes.iter().filter(|n| !reachable[n.index]) {
            add(
                Severity::Warning,
                Rule::Unreachable,
                Some(node.index),
                crate::tr!("lint-unreachable", id = node.id.as_str()),
            );
        }
    }

    for (index, node) in workflow.nodes.iter().enumerate() {
        let kind = graph.nodes[index].kind;
        if kind == NodeKind::If
            && matches!(&node.next, None | Some(Next::Routes(_)))
            && graph.outgoing[index].is_empty()
            && !graph.unresolved.iter().any(|u| unresolved_from(u) == index)
        {
            add(
                Severity::Error,
                Rule::IfWithoutRoutes,
                Some(index),
                crate::tr!("lint-if-without-routes", id = node.id.as_str()),
            );
        } else if in_scope(index)
            && kind != NodeKind::Response
            && graph.outgoing[index].is_empty()
            && !graph.unresolved.iter().any(|u| unresolved_from(u) == index)
        {
            add(
                Severity::Error,
                Rule::NoResponse,
                Some(index),
                crate::tr!("lint-dead-end", id = node.id.as_str(), kind = kind.label()),
            );
        }
        if kind == NodeKind::Verification {
            let config = node.config_value().unwrap_or_default();
            for provider in providers_of(&config) {
                let message = if providers.enabled.contains(&provider.as_str()) {
                    continue;
                } else if providers.disabled.contains(&provider.as_str()) {
                    crate::tr!(
                        "lint-provider-off",
                        id = node.id.as_str(),
                        provider = provider.as_str()
                    )
                } else {
                    crate::tr!(
                        "lint-provider-not-set-up",
                        id = node.id.as_str(),
                        provider = provider.as_str()
                    )
                };
                add(
                    Severity::Error,
                    Rule::ProviderNotEnabled,
                    Some(index),
                    message,
                );
            }
        }
        if kind == NodeKind::Other {
            add(
                Severity::Warning,
                Rule::UnknownType,
                Some(index),
                crate::tr!(
                    "lint-unknown-type",
                    id = node.id.as_str(),
                    code = node.node_type.as_str()
                ),
            );
        }
    }

    if !graph.nodes.iter().any(|n| n.kind == NodeKind::Response) {
        add(
            Severity::Error,
            Rule::NoResponse,
            None,
            crate::tr!("lint-no-response"),
        );
    }

    for cycle in closed_cycles(graph) {
        let first = cycle[0];
        if !in_scope(first) {
            continue;
        }
        let names: Vec<&str> = cycle.iter().map(|&i| id(i)).collect();
        add(
            Severity::Error,
            Rule::CycleWithoutExit,
            Some(first),
            crate::tr!("lint-closed-cycle", nodes = names.join(", ")),
        );
    }

    findings.sort_by_key(|f| (f.severity, f.node.map_or(0, |n| n + 1)));
    findings
}

fn unresolved_from(unresolved: &UnresolvedRef) -> usize {
    match unresolved {
        UnresolvedRef::MissingTarget { from, .. }
        | UnresolvedRef::RouteWithoutTarget { from, .. } => *from,
    }
}

/// Strongly connected components that loop (more than one node, or a self-edge), have no edge
/// leaving them, hold no response and no unresolved reference: a walk that enters never ends.
/// Each is returned sorted by node index.
fn closed_cycles(graph: &Graph) -> Vec<Vec<usize>> {
    let component = strongly_connected(graph);
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (node, &c) in component.iter().enumerate() {
        members.entry(c).or_default().push(node);
    }
    let mut cycles: Vec<Vec<usize>> = members
        .into_values()
        .filter(|nodes| {
            let loops = nodes.len() > 1 || graph.successors(nodes[0]).any(|s| s == nodes[0]);
            let c = component[nodes[0]];
            let exits = nodes.iter().any(|&n| {
                graph.nodes[n].kind == NodeKind::Response
                    || graph.successors(n).any(|s| component[s] != c)
                    || graph.unresolved.iter().any(|u| unresolved_from(u) == n)
            });
            loops && !exits
        })
        .collect();
    cycles.sort();
    cycles
}

/// Tarjan's algorithm, iterative so long chains cannot overflow the stack. Returns a
/// component number per node.
fn strongly_connected(graph: &Graph) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = graph.nodes.len();
    let mut index_of = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut components = 0;
    for root in 0..n {
        if index_of[root] != UNSEEN {
            continue;
        }
        // (node, position in its outgoing list)
        let mut work = vec![(root, 0usize)];
        index_of[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut pos)) = work.last_mut() {
            if let Some(&edge) = graph.outgoing[node].get(*pos) {
                *pos += 1;
                let succ = graph.edges[edge].to;
                if index_of[succ] == UNSEEN {
                    index_of[succ] = next_index;
                    low[succ] = next_index;
                    next_index += 1;
                    stack.push(succ);
                    on_stack[succ] = true;
                    work.push((succ, 0));
                } else if on_stack[succ] {
                    low[node] = low[node].min(index_of[succ]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index_of[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn check(entry: Option<&str>, nodes: Value) -> Vec<Finding> {
        let mut wf = json!({"workflowId": "wf_t", "name": "t", "nodes": nodes});
        if let Some(entry) = entry {
            wf["entryNodeId"] = json!(entry);
        }
        let wf: Workflow = serde_json::from_value(wf).unwrap();
        let app: App = serde_json::from_value(json!({"clientId": "A",
            "providers": {"passport": {"enabled": true}, "mitid": {"enabled": false}}}))
        .unwrap();
        lint(&wf, &Graph::build(&wf), &ProviderState::of(&app))
    }

    fn rules(findings: &[Finding]) -> Vec<(Rule, Option<usize>)> {
        findings.iter().map(|f| (f.rule, f.node)).collect()
    }

    fn default_three() -> Value {
        json!([
            {"id": "a", "type": "request", "next": "b"},
            {"id": "b", "type": "verification", "next": "c",
             "config": {"providers": ["passport"], "claims": ["name"]}},
            {"id": "c", "type": "response"}
        ])
    }

    #[test]
    fn the_default_workflow_is_clean() {
        assert_eq!(check(Some("a"), default_three()), []);
    }

    #[test]
    fn entry_missing_or_unknown_is_an_error() {
        let none = check(None, default_three());
        assert_eq!(rules(&none), [(Rule::EntryMissing, None)]);
        assert_eq!(none[0].severity, Severity::Error);
        let unknown = check(Some("zz"), default_three());
        assert_eq!(rules(&unknown), [(Rule::EntryMissing, None)]);
        assert!(unknown[0].message.contains("zz"));
    }

    #[test]
    fn duplicate_and_blank_ids_are_errors() {
        let found = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "c"}, {"id": "a", "type": "request", "next": "c"},
                   {"id": "c", "type": "response"}, {"id": "", "type": "response"}]),
        );
        assert!(rules(&found).contains(&(Rule::DuplicateId, Some(1))));
        assert!(rules(&found).contains(&(Rule::DuplicateId, Some(3))));
    }

    #[test]
    fn next_to_a_missing_node_is_an_error_and_not_also_a_dead_end() {
        let found = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "ghost"}, {"id": "c", "type": "response"}]),
        );
        assert_eq!(
            rules(&found),
            [(Rule::MissingTarget, Some(0)), (Rule::Unreachable, Some(1))]
        );
        assert!(found[0].message.contains("ghost"));
    }

    #[test]
    fn a_route_with_no_readable_target_is_a_warning() {
        let found = check(
            Some("a"),
            json!([{"id": "a", "type": "if", "next": [{"default": true, "next": "c"}, {"what": 1}]},
                   {"id": "c", "type": "response"}]),
        );
        assert_eq!(rules(&found), [(Rule::RouteWithoutTarget, Some(0))]);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn unreachable_nodes_are_warnings() {
        let mut nodes = default_three();
        nodes
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "lost", "type": "response"}));
        let found = check(Some("a"), nodes);
        assert_eq!(rules(&found), [(Rule::Unreachable, Some(3))]);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn a_path_ending_without_a_response_is_an_error() {
        let found = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "b"}, {"id": "b", "type": "check-claim"},
                   {"id": "c", "type": "response"}]),
        );
        assert!(rules(&found).contains(&(Rule::NoResponse, Some(1))));
        let no_response_at_all = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "b"}, {"id": "b", "type": "evaluate"}]),
        );
        assert!(rules(&no_response_at_all).contains(&(Rule::NoResponse, None)));
    }

    #[test]
    fn a_cycle_with_no_way_out_is_an_error_but_a_retry_loop_is_not() {
        let closed = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "b"},
                   {"id": "b", "type": "verification", "next": "c", "config": {"providers": ["passport"]}},
                   {"id": "c", "type": "check-claim", "next": "b"},
                   {"id": "r", "type": "response"}]),
        );
        assert!(rules(&closed).contains(&(Rule::CycleWithoutExit, Some(1))));
        let self_loop = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "a"}, {"id": "r", "type": "response"}]),
        );
        assert!(rules(&self_loop).contains(&(Rule::CycleWithoutExit, Some(0))));
        let retry = check(
            Some("a"),
            json!([{"id": "a", "type": "request", "next": "b"},
                   {"id": "b", "type": "if", "next": [
                       {"condition": {"field": "input.loa", "operator": "lt", "value": 2}, "next": "a"},
                       {"default": true, "next": "r"}]},
                   {"id": "r", "type": "response"}]),
        );
        assert_eq!(retry, []);
    }

    #[test]
    fn if_without_routes_is_an_error() {
        for next in [json!([]), Value::Null] {
            let mut node = json!({"id": "b", "type": "if"});
            if !next.is_null() {
                node["next"] = next;
            }
            let found = check(
                Some("a"),
                json!([{"id": "a", "type": "request", "next": "b"}, node, {"id": "r", "type": "response"}]),
            );
            assert!(rules(&found).contains(&(Rule::IfWithoutRoutes, Some(1))));
            assert!(!rules(&found).contains(&(Rule::NoResponse, Some(1))));
        }
    }

    #[test]
    fn a_provider_not_enabled_on_the_app_is_an_error() {
        let found = check(
            Some("a"),
            json!([{"id": "a", "type": "verification", "next": "r",
                    "config": {"providers": ["passport", "mitid", "bankid"]}},
                   {"id": "r", "type": "response"}]),
        );
        let provider: Vec<&Finding> = found
            .iter()
            .filter(|f| f.rule == Rule::ProviderNotEnabled)
            .collect();
        assert_eq!(provider.len(), 2);
        assert!(
            provider[0].message.contains("mitid") && provider[0].message.contains("turned off")
        );
        assert!(
            provider[1].message.contains("bankid") && provider[1].message.contains("not set up")
        );
    }

    #[test]
    fn unknown_types_are_warnings_and_errors_sort_first() {
        let found = check(
            Some("a"),
            json!([{"id": "a", "type": "teleport", "next": "r"}, {"id": "r", "type": "response"},
                   {"id": "r", "type": "response"}]),
        );
        assert_eq!(
            rules(&found),
            [
                (Rule::DuplicateId, Some(2)),
                (Rule::UnknownType, Some(0)),
                (Rule::Unreachable, Some(2))
            ]
        );
    }
}
