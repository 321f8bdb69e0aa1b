//! Synthetic workflows of any size, shaped like real ones, for benchmarks and tests.

use serde_json::{Value, json};

use crate::api::Workflow;

/// A workflow of `count` nodes (at least 2): a chain of checks where every sixth node is an
/// `if` that either continues or goes to the next "rejected" response (one every 25 nodes),
/// and every 50th node also loops back three steps to retry. Ends with an "approved" response.
pub fn large_workflow(count: usize) -> Workflow {
    let count = count.max(2);
    let id = |i: usize| format!("n{i:04}");
    let is_reject = |i: usize| i % 25 == 24 && i + 1 < count;
    let next_main = |i: usize| {
        let mut j = i + 1;
        while is_reject(j) {
            j += 1;
        }
        j.min(count - 1)
    };
    let kinds = ["verification", "check-min-loa", "check-claim", "evaluate"];
    let nodes: Vec<Value> = (0..count)
        .map(|i| {
            if i == 0 {
                return json!({"id": id(0), "type": "request", "next": id(next_main(0))});
            }
            if i == count - 1 {
                return json!({"id": id(i), "type": "response", "config": {"result": "approved"}});
            }
            if is_reject(i) {
                return json!({"id": id(i), "type": "response", "config": {"result": "rejected"}});
            }
            if i % 6 == 5 {
                let reject = (i + 1..count).find(|&j| is_reject(j)).unwrap_or(count - 1);
                let mut routes = vec![
                    json!({"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": id(next_main(i))}),
                    json!({"default": true, "next": id(reject)}),
                ];
                if i % 50 == 35 {
                    routes.insert(1, json!({"condition": {"field": "input.amr.0", "operator": "eq", "value": "retry"},
                                            "next": id(i - 3)}));
                }
                return json!({"id": id(i), "type": "if", "next": routes});
            }
            let kind = kinds[i % kinds.len()];
            let config = match kind {
                "verification" => json!({"providers": ["passport"], "claims": ["name", "birthdate"]}),
                "check-min-loa" => json!({"minLoa": 2}),
                "check-claim" => json!({"claim": "birthdate", "operator": "exists", "value": true}),
                _ => json!({"rules": [{"field": "input.sub", "operator": "exists", "value": true}]}),
            };
            json!({"id": id(i), "type": kind, "next": id(next_main(i)), "config": config})
        })
        .collect();
    serde_json::from_value(json!({"workflowId": format!("wf_large_{count}"),
        "name": format!("Synthetic ({count} nodes)"), "entryNodeId": id(0), "nodes": nodes}))
    .unwrap_or_default()
}

/// A wide workflow of `count` nodes (at least `branches + 3`): a request, an `if` with `branches` routes, one chain
/// of checks per route, and one response they all reach. Short and wide, so it fits a screen.
pub fn wide_workflow(count: usize, branches: usize) -> Workflow {
    let branches = branches.max(1);
    let chained = count.saturating_sub(3).max(branches);
    let (base, extra) = (chained / branches, chained % branches);
    let mut nodes = vec![json!({"id": "start", "type": "request", "next": "split"})];
    let routes: Vec<Value> = (0..branches)
        .map(|b| {
            json!({"condition": {"field": "input.user.nationality", "operator": "eq",
                                      "value": format!("C{b}")}, "next": format!("b{b}s0")})
        })
        .collect();
    nodes.push(json!({"id": "split", "type": "if", "next": routes}));
    for b in 0..branches {
        let per_branch = base + usize::from(b < extra);
        for step in 0..per_branch {
            let next = if step + 1 == per_branch {
                "done".to_owned()
            } else {
                format!("b{b}s{}", step + 1)
            };
            nodes.push(json!({"id": format!("b{b}s{step}"), "type": "check-claim", "next": next,
                              "config": {"claim": "birthdate", "operator": "exists", "value": true}}));
        }
    }
    nodes.push(json!({"id": "done", "type": "response", "config": {"result": "approved"}}));
    serde_json::from_value(json!({"workflowId": format!("wf_wide_{count}"),
        "name": format!("Synthetic wide ({} nodes)", nodes.len()), "entryNodeId": "start", "nodes": nodes}))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{Graph, ProviderState, lint};

    #[test]
    fn large_workflows_are_clean_and_sized() {
        let app: crate::api::App = serde_json::from_value(
            json!({"clientId": "A", "providers": {"passport": {"enabled": true}}}),
        )
        .unwrap_or_default();
        for count in [2, 40, 200, 1000] {
            let wf = large_workflow(count);
            assert_eq!(wf.nodes.len(), count);
            let graph = Graph::build(&wf);
            assert_eq!(lint(&wf, &graph, &ProviderState::of(&app)), []);
        }
        let wide = wide_workflow(200, 20);
        assert_eq!(wide.nodes.len(), 200);
        assert_eq!(
            lint(&wide, &Graph::build(&wide), &ProviderState::of(&app)),
            []
        );
    }
}
