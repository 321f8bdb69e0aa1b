//! Runs a sample user through a workflow without sending anything: from the entry node, node
//! by node, until a response (completed), a failed check (rejected), nowhere to go (stuck), a
//! node it cannot read (invalid) or more than [`MAX_STEPS`] steps (loop).
//!
//! Conditions are read by `condition` and route targets by `graph`, exactly as the viewer
//! reads them, so the graph and a simulation never disagree about a route.

mod report;

use std::collections::HashMap;

use serde_json::Value;

use super::condition::{
    Condition, MIN_LOA_KEYS, Operator, RouteCondition, claim_path, first_of, label_of,
    read_claim_check, read_evaluate, route_condition, shorten,
};
use super::evaluate::{
    REASON_CAPACITY, evaluate, evaluate_into, rule_at, rule_verdict, shown, unreadable,
};
use super::graph::{NodeKind, route_target};
use crate::api::{Next, Node, Workflow};

/// Steps a run may take; one more ends it as a loop.
pub const MAX_STEPS: usize = 1000;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    Rejected,
    Stuck,
    Invalid,
    Loop,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Rejected => "rejected",
            Self::Stuck => "stuck",
            Self::Invalid => "invalid",
            Self::Loop => "loop",
        }
    }
}

/// What one node did with the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepResult {
    /// Went on to another node.
    Passed,
    Rejected,
    Completed,
    Stuck,
    Invalid,
}

impl StepResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Rejected => "rejected",
            Self::Completed => "completed",
            Self::Stuck => "stuck",
            Self::Invalid => "invalid",
        }
    }
}

/// The route a node took: its position in `next` and its label as the graph shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenRoute {
    pub index: usize,
    pub label: String,
}

/// One visited node.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub node: String,
    /// Position in the workflow's node list (the graph's node index).
    pub index: usize,
    /// The node's `type` as written.
    pub node_type: String,
    pub kind: NodeKind,
    pub result: StepResult,
    pub route: Option<TakenRoute>,
    /// The node gone to next, when the step passed.
    pub next: Option<String>,
    pub reason: String,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub outcome: Outcome,
    pub steps: Vec<Step>,
    /// The response node's settings, when the run completed.
    pub response: Option<Value>,
    /// Why the run stopped where no step says so (no entry node, too many steps).
    pub stopped: Option<String>,
}

/// Runs `userinfo` through `workflow`; `mocks` give verification nodes (by id) another
/// userinfo. Never fails: every problem is an outcome.
pub fn simulate(
    workflow: &Workflow,
    userinfo: &Value,
    mocks: &HashMap<String, Value>,
) -> Simulation {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(workflow.nodes.len());
    for (index, node) in workflow.nodes.iter().enumerate() {
        // The first node with an id wins, as in the graph.
        by_id.entry(node.id.as_str()).or_insert(index);
    }
    Walk {
        nodes: &workflow.nodes,
        by_id,
        userinfo,
        mocks,
        input: userinfo,
    }
    .run(workflow.entry_node_id.as_deref())
}

struct Walk<'w> {
    nodes: &'w [Node],
    by_id: HashMap<&'w str, usize>,
    userinfo: &'w Value,
    mocks: &'w HashMap<String, Value>,
    /// What rules read as `input`: the userinfo, or the mock of the last verification node.
    input: &'w Value,
}

/// What a node did, before it becomes a [`Step`].
struct Moved {
    result: StepResult,
    route: Option<TakenRoute>,
    next: Option<(usize, String)>,
    reason: String,
}

impl Moved {
    fn ends(result: StepResult, reason: String) -> Self {
        Self {
            result,
            route: None,
            next: None,
            reason,
        }
    }
}

impl<'w> Walk<'w> {
    fn run(mut self, entry: Option<&str>) -> Simulation {
        let mut simulation = Simulation {
            outcome: Outcome::Stuck,
            steps: Vec::with_capacity(self.nodes.len().min(MAX_STEPS)),
            response: None,
            stopped: None,
        };
        let Some(mut at) = entry.and_then(|id| self.by_id.get(id).copied()) else {
            simulation.stopped = Some(match entry {
                Some(id) => format!("the entry node \"{id}\" is not in the workflow"),
                None => "the workflow names no entry node".to_owned(),
            });
            return simulation;
        };
        loop {
            if simulation.steps.len() == MAX_STEPS {
                simulation.outcome = Outcome::Loop;
                simulation.stopped = Some(format!(
                    "more than {MAX_STEPS} steps without reaching a response"
                ));
                return simulation;
            }
            let nodes = self.nodes;
            let node = &nodes[at];
            let kind = NodeKind::from_type(&node.node_type);
            let moved = self.visit(node, kind);
            let next = moved.next.as_ref().map(|(index, _)| *index);
            let outcome = match moved.result {
                StepResult::Passed => None,
                StepResult::Completed => {
                    // As the node holds it; `--json` masks it when printing.
                    simulation.response = Some(node.config_value().unwrap_or(Value::Null));
                    Some(Outcome::Completed)
                }
                StepResult::Rejected => Some(Outcome::Rejected),
                StepResult::Stuck => Some(Outcome::Stuck),
                StepResult::Invalid => Some(Outcome::Invalid),
            };
            simulation.steps.push(Step {
                node: node.id.clone(),
                index: at,
                node_type: node.node_type.clone(),
                kind,
                result: moved.result,
                route: moved.route,
                next: moved.next.map(|(_, id)| id),
                reason: moved.reason,
            });
            match (outcome, next) {
                (None, Some(next)) => at = next,
                (Some(outcome), _) => {
                    simulation.outcome = outcome;
                    return simulation;
                }
                // A passed step always names its next node.
                (None, None) => return simulation,
            }
        }
    }

    fn visit(&mut self, node: &'w Node, kind: NodeKind) -> Moved {
        match kind {
            NodeKind::Request => self.go_on(node, "the request starts here".to_owned()),
            NodeKind::Verification => {
                let reason = match self.mocks.get(&node.id) {
                    Some(mock) => {
                        self.input = mock;
                        "the mock userinfo for this node becomes input"
                    }
                    None => {
                        self.input = self.userinfo;
                        "the userinfo becomes input"
                    }
                };
                self.go_on(node, reason.to_owned())
            }
            NodeKind::CheckMinLoa => self.check_min_loa(node),
            NodeKind::CheckClaim => self.check_claim(node),
            NodeKind::Evaluate => self.evaluate_node(node),
            NodeKind::If => self.go_on(node, String::with_capacity(2 * REASON_CAPACITY)),
            NodeKind::Response => Moved::ends(
                StepResult::Completed,
                match node.config_value() {
                    Some(mut config) => {
                        // The one masking rule: a setting named like a secret is never shown.
                        crate::api::redact::mask_secrets(&mut config);
                        format!("responds with {}", shorten(&config.to_string()))
                    }
                    None => "responds with no settings".to_owned(),
                },
            ),
            NodeKind::Other => Moved::ends(
                StepResult::Invalid,
                format!(
                    "the type \"{}\" is not one the simulator knows",
                    node.node_type
                ),
            ),
        }
    }

    fn check_min_loa(&self, node: &'w Node) -> Moved {
        let config = node.config_value().unwrap_or(Value::Null);
        let minimum = first_of(&config, &MIN_LOA_KEYS);
        match minimum {
            Some(minimum) if minimum.is_number() => {
                let verdict = rule_verdict("input.loa", Operator::Gte, minimum, self.input);
                self.passes_or_rejects(node, verdict.holds, verdict.reason)
            }
            Some(other) => Moved::ends(
                StepResult::Invalid,
                format!("the minimum LoA {} is not a number", shown(Some(other))),
            ),
            None => Moved::ends(
                StepResult::Invalid,
                "no minimum LoA is set (minLoa)".to_owned(),
            ),
        }
    }

    fn check_claim(&self, node: &'w Node) -> Moved {
        let config = node.config_value().unwrap_or(Value::Null);
        let Some(rule) = read_claim_check(&config) else {
            return Moved::ends(StepResult::Invalid, "no claim to check".to_owned());
        };
        if let Some(why) = unreadable(&Condition::Rule(rule.clone())) {
            return Moved::ends(StepResult::Invalid, why);
        }
        let verdict = rule_at(&rule, &claim_path(rule.field), self.input);
        self.passes_or_rejects(node, verdict.holds, verdict.reason)
    }

    fn evaluate_node(&self, node: &'w Node) -> Moved {
        let config = node.config_value().unwrap_or(Value::Null);
        let condition = read_evaluate(&config);
        if let Some(why) = unreadable(&condition) {
            return Moved::ends(
                StepResult::Invalid,
                format!("the rules cannot be read: {why}"),
            );
        }
        let verdict = evaluate(&condition, self.input);
        self.passes_or_rejects(node, verdict.holds, verdict.reason)
    }

    fn passes_or_rejects(&self, node: &'w Node, holds: bool, reason: String) -> Moved {
        if holds {
            self.go_on(node, reason)
        } else {
            Moved::ends(StepResult::Rejected, reason)
        }
    }

    /// Follows `next`: a node id, or routes (on any node, as the graph draws them).
    fn go_on(&self, node: &'w Node, reason: String) -> Moved {
        match &node.next {
            Some(Next::Routes(routes)) => self.take_route(routes, reason),
            Some(Next::Node(id)) if !id.trim().is_empty() => match self.by_id.get(id.as_str()) {
                Some(&index) => Moved {
                    result: StepResult::Passed,
                    route: None,
                    next: Some((index, id.clone())),
                    reason: if reason.is_empty() {
                        "no routes, only a next node".to_owned()
                    } else {
                        reason
                    },
                },
                None => Moved::ends(
                    StepResult::Stuck,
                    also(reason, &format!("next \"{id}\" is not a node")),
                ),
            },
            _ => Moved::ends(StepResult::Stuck, also(reason, "there is no next node")),
        }
    }

    /// The first route whose condition holds, else the first default route wherever it
    /// stands. Every route is read first: one that cannot be read makes the node invalid
    /// whoever the user is.
    fn take_route(&self, routes: &'w [Value], reason: String) -> Moved {
        let mut read: Vec<RouteCondition<'w>> = Vec::with_capacity(routes.len());
        for (i, route) in routes.iter().enumerate() {
            let condition = route_condition(route);
            let why = match &condition {
                RouteCondition::When(when) => unreadable(when),
                RouteCondition::Otherwise => None,
                RouteCondition::Unreadable => Some(format!(
                    "it has no condition and is not marked default: {}",
                    shorten(&route.to_string())
                )),
            };
            let Some(why) = why else {
                read.push(condition);
                continue;
            };
            let because = format!("route {} cannot be read: {why}", i + 1);
            return Moved::ends(StepResult::Invalid, also(reason, &because));
        }
        if read.is_empty() {
            return Moved::ends(StepResult::Stuck, also(reason, "there are no routes"));
        }
        // Every evaluated route's reason goes into the step's one string.
        let mut reason = reason;
        let mut taken = None;
        for (i, condition) in read.iter().enumerate() {
            let RouteCondition::When(condition) = condition else {
                continue;
            };
            if !reason.is_empty() {
                reason.push_str("; ");
            }
            if evaluate_into(condition, self.input, &mut reason) {
                taken = Some(i);
                break;
            }
        }
        if taken.is_none() {
            taken = read
                .iter()
                .position(|route| matches!(route, RouteCondition::Otherwise));
            if taken.is_some() {
                let conditions = read.iter().any(|r| matches!(r, RouteCondition::When(_)));
                reason = also(
                    reason,
                    if conditions {
                        "no other route holds, so the default one"
                    } else {
                        "only a default route"
                    },
                );
            }
        }
        let Some(index) = taken else {
            let reason = also(reason, "no route holds and none is marked default");
            return Moved::ends(StepResult::Stuck, reason);
        };
        let route = &routes[index];
        let taken = TakenRoute {
            index,
            // The words the graph puts on this route's edge (`route_label`), from the same reading.
            label: label_of(&read[index]).unwrap_or_else(|| "otherwise".to_owned()),
        };
        let target = route_target(route, &self.by_id);
        let found = target.as_deref().and_then(|id| self.by_id.get(id).copied());
        match (target, found) {
            (Some(id), Some(next)) => Moved {
                result: StepResult::Passed,
                route: Some(taken),
                next: Some((next, id)),
                reason,
            },
            (target, _) => {
                let problem = match target {
                    Some(id) => {
                        format!("route {} goes to \"{id}\", which is not a node", index + 1)
                    }
                    None => format!("route {} names no node to go to", index + 1),
                };
                Moved {
                    route: Some(taken),
                    ..Moved::ends(StepResult::Stuck, also(reason, &problem))
                }
            }
        }
    }
}

/// Two parts of a reason, the first possibly empty.
fn also(reason: String, more: &str) -> String {
    if reason.is_empty() {
        more.to_owned()
    } else {
        format!("{reason}; {more}")
    }
}

#[cfg(test)]
mod tests;
