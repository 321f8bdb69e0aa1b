//! Runs a sample user through a workflow without sending anything: from the entry node, node
//! by node, until a response (completed), a failed check (rejected), nowhere to go (stuck), a
//! node it cannot read (invalid) or more than [`MAX_STEPS`] steps (loop).
//!
//! Conditions are read by `condition` and route targets by `graph`, exactly as the viewer
//! reads them, so the graph and a simulation never disagree about a route.

mod report;

use std::collections::HashMap;
use std::ops::Range;

use rustc_hash::FxHashMap;
use serde_json::Value;

use super::condition::{
    Condition, MIN_LOA_KEYS, Operator, RouteCondition, claim_path, first_of, label_of,
    read_claim_check, read_evaluate, route_condition, shorten,
};
use super::evaluate::{
    Part, REASON_CAPACITY, evaluate_parts, read_parts, rule_at, rule_verdict, shown, try_evaluate,
    unreadable,
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
    /// The code `--json` gives, the same in every language.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Rejected => "rejected",
            Self::Stuck => "stuck",
            Self::Invalid => "invalid",
            Self::Loop => "loop",
        }
    }

    /// The outcome in words, in the language in use.
    pub fn label(self) -> String {
        match self {
            Self::Completed => crate::tr_text!("sim-outcome-completed"),
            Self::Rejected => crate::tr_text!("sim-outcome-rejected"),
            Self::Stuck => crate::tr_text!("sim-outcome-stuck"),
            Self::Invalid => crate::tr_text!("sim-outcome-invalid"),
            Self::Loop => crate::tr_text!("sim-outcome-loop"),
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
    /// The code `--json` gives, the same in every language.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Rejected => "rejected",
            Self::Completed => "completed",
            Self::Stuck => "stuck",
            Self::Invalid => "invalid",
        }
    }

    /// The result in words, in the language in use.
    pub fn label(self) -> String {
        match self {
            Self::Passed => crate::tr_text!("sim-result-passed"),
            Self::Rejected => Outcome::Rejected.label(),
            Self::Completed => Outcome::Completed.label(),
            Self::Stuck => Outcome::Stuck.label(),
            Self::Invalid => Outcome::Invalid.label(),
        }
    }
}

/// The route a node took: its position in `next` and its label as the graph shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenRoute<'s> {
    pub index: usize,
    pub label: &'s str,
}

/// One visited node, as the run keeps it: its words (node id, type, reason, route label, next
/// node) are a stretch of the run's one string, so a run of 1,000 steps allocates a handful of
/// times rather than 5,000 (which was a third of its time).
#[derive(Debug, Clone, PartialEq)]
struct StepData {
    index: usize,
    kind: NodeKind,
    result: StepResult,
    route: Option<usize>,
    has_next: bool,
    /// Where the node id, the type, the reason, the label and the next node's id end in the
    /// run's text; the node id starts where the step before ends.
    ends: [usize; 5],
}

/// One visited node, read from its run.
#[derive(Clone, Copy, PartialEq)]
pub struct Step<'s> {
    /// Position in the workflow's node list (the graph's node index).
    pub index: usize,
    pub kind: NodeKind,
    pub result: StepResult,
    /// The taken route's position in `next`.
    route: Option<usize>,
    has_next: bool,
    /// This step's stretch of the run's text, and where its words end in it.
    text: &'s str,
    ends: [usize; 5],
}

impl<'s> Step<'s> {
    /// The node's id.
    pub fn node(&self) -> &'s str {
        &self.text[..self.ends[0]]
    }

    /// The node's `type` as written.
    pub fn node_type(&self) -> &'s str {
        &self.text[self.ends[0]..self.ends[1]]
    }

    /// Why the node did what it did, in words.
    pub fn reason(&self) -> &'s str {
        &self.text[self.ends[1]..self.ends[2]]
    }

    /// The route taken, for a node with routes.
    pub fn route(&self) -> Option<TakenRoute<'s>> {
        let text = self.text;
        let ends = self.ends;
        self.route.map(|index| TakenRoute {
            index,
            label: &text[ends[2]..ends[3]],
        })
    }

    /// The node gone to next, when the step passed.
    pub fn next(&self) -> Option<&'s str> {
        let text = self.text;
        let ends = self.ends;
        self.has_next.then(|| &text[ends[3]..ends[4]])
    }
}

impl std::fmt::Debug for Step<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step")
            .field("node", &self.node())
            .field("index", &self.index)
            .field("node_type", &self.node_type())
            .field("kind", &self.kind)
            .field("result", &self.result)
            .field("route", &self.route())
            .field("next", &self.next())
            .field("reason", &self.reason())
            .finish()
    }
}

/// A finished run. Its reasons, route labels and `stopped` are in the language of the thread
/// that ran it: `--json` runs it with English installed (see [`Simulation::to_json`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub outcome: Outcome,
    steps: Vec<StepData>,
    /// Every step's words, one after another.
    text: String,
    /// The response node's settings, when the run completed.
    pub response: Option<Value>,
    /// Why the run stopped where no step says so (no entry node, too many steps).
    pub stopped: Option<String>,
}

impl Simulation {
    /// The visited nodes, in order.
    pub fn steps(
        &self,
    ) -> impl ExactSizeIterator<Item = Step<'_>> + DoubleEndedIterator + Clone + '_ {
        (0..self.steps.len()).map(|i| self.step(i))
    }

    /// The `i`th visited node; past the last one it panics, as indexing does.
    pub fn step(&self, i: usize) -> Step<'_> {
        let data = &self.steps[i];
        let start = match i {
            0 => 0,
            _ => self.steps[i - 1].ends[4],
        };
        Step {
            index: data.index,
            kind: data.kind,
            result: data.result,
            route: data.route,
            has_next: data.has_next,
            text: &self.text[start..data.ends[4]],
            ends: data.ends.map(|end| end - start),
        }
    }

    /// The last visited node.
    pub fn last_step(&self) -> Option<Step<'_>> {
        self.steps.len().checked_sub(1).map(|i| self.step(i))
    }

    fn push_step(&mut self, index: usize, kind: NodeKind, node: &Node, moved: &Moved<'_>) {
        let label = moved.route.as_ref().map_or("", |(_, label)| label.as_str());
        let next = moved.next.map_or("", |(_, id)| id);
        let words = [
            node.id.as_str(),
            node.node_type.as_str(),
            &moved.reason,
            label,
            next,
        ];
        let mut ends = [0; 5];
        for (end, word) in ends.iter_mut().zip(words) {
            self.text.push_str(word);
            *end = self.text.len();
        }
        self.steps.push(StepData {
            index,
            kind,
            result: moved.result,
            route: moved.route.as_ref().map(|(route, _)| *route),
            has_next: moved.next.is_some(),
            ends,
        });
    }
}

/// Runs `userinfo` through `workflow`; `mocks` give verification nodes (by id) another
/// userinfo. Never fails: every problem is an outcome.
pub fn simulate(
    workflow: &Workflow,
    userinfo: &Value,
    mocks: &HashMap<String, Value>,
) -> Simulation {
    // Looked up once a step: Fx hashes an id in a few instructions where SipHash takes many.
    let mut by_id: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(workflow.nodes.len(), Default::default());
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
        routes: Vec::new(),
        parts: Vec::new(),
        reason: String::with_capacity(2 * REASON_CAPACITY),
    }
    .run(workflow.entry_node_id.as_deref())
}

struct Walk<'w> {
    nodes: &'w [Node],
    by_id: FxHashMap<&'w str, usize>,
    userinfo: &'w Value,
    mocks: &'w HashMap<String, Value>,
    /// What rules read as `input`: the userinfo, or the mock of the last verification node.
    input: &'w Value,
    /// An `if` node's routes as read, each with its conditions' place in `parts`; both are
    /// kept between steps, so reading routes allocates nothing.
    routes: Vec<(RouteCondition<'w>, Range<usize>)>,
    parts: Vec<Part<'w>>,
    /// The string an `if` node writes its routes' reasons into, kept between steps (a step's
    /// words are copied into the run's text).
    reason: String,
}

/// What a node did, before it becomes a [`Step`].
struct Moved<'w> {
    result: StepResult,
    /// The taken route's position and label.
    route: Option<(usize, String)>,
    /// The next node's position and id.
    next: Option<(usize, &'w str)>,
    reason: String,
}

impl Moved<'_> {
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
            text: String::new(),
            response: None,
            stopped: None,
        };
        let Some(mut at) = entry.and_then(|id| self.by_id.get(id).copied()) else {
            simulation.stopped = Some(match entry {
                Some(id) => crate::tr_text!("sim-entry-not-found", id = id),
                None => crate::tr_text!("sim-no-entry"),
            });
            return simulation;
        };
        loop {
            if simulation.steps.len() == MAX_STEPS {
                simulation.outcome = Outcome::Loop;
                simulation.stopped = Some(crate::tr_text!(
                    "sim-too-many-steps",
                    steps = MAX_STEPS.to_string()
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
            simulation.push_step(at, kind, node, &moved);
            if self.reason.capacity() == 0 {
                // An `if` step borrowed the reason buffer: it comes back for the next one.
                self.reason = moved.reason;
                self.reason.clear();
            }
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

    fn visit(&mut self, node: &'w Node, kind: NodeKind) -> Moved<'w> {
        match kind {
            NodeKind::Request => self.go_on(node, crate::tr_text!("sim-request-starts")),
            NodeKind::Verification => {
                let reason = match self.mocks.get(&node.id) {
                    Some(mock) => {
                        self.input = mock;
                        crate::tr_text!("sim-mock-input")
                    }
                    None => {
                        self.input = self.userinfo;
                        crate::tr_text!("sim-userinfo-input")
                    }
                };
                self.go_on(node, reason)
            }
            NodeKind::CheckMinLoa => self.check_min_loa(node),
            NodeKind::CheckClaim => self.check_claim(node),
            NodeKind::Evaluate => self.evaluate_node(node),
            NodeKind::If => {
                let reason = std::mem::take(&mut self.reason);
                self.go_on(node, reason)
            }
            NodeKind::Response => Moved::ends(
                StepResult::Completed,
                match node.config_value() {
                    Some(mut config) => {
                        // The one masking rule: a setting named like a secret is never shown.
                        crate::api::redact::mask_secrets(&mut config);
                        crate::tr_text!(
                            "sim-responds-with",
                            settings = shorten(&config.to_string())
                        )
                    }
                    None => crate::tr_text!("sim-responds-without"),
                },
            ),
            NodeKind::Other => Moved::ends(
                StepResult::Invalid,
                crate::tr_text!("sim-unknown-type", code = node.node_type.as_str()),
            ),
        }
    }

    fn check_min_loa(&mut self, node: &'w Node) -> Moved<'w> {
        let config = node.config_value().unwrap_or(Value::Null);
        let minimum = first_of(&config, &MIN_LOA_KEYS);
        match minimum {
            Some(minimum) if minimum.is_number() => {
                let verdict = rule_verdict("input.loa", Operator::Gte, minimum, self.input);
                self.passes_or_rejects(node, verdict.holds, verdict.reason)
            }
            Some(other) => Moved::ends(
                StepResult::Invalid,
                crate::tr_text!("sim-min-loa-not-number", value = shown(Some(other))),
            ),
            None => Moved::ends(StepResult::Invalid, crate::tr_text!("sim-min-loa-unset")),
        }
    }

    fn check_claim(&mut self, node: &'w Node) -> Moved<'w> {
        let config = node.config_value().unwrap_or(Value::Null);
        let Some(rule) = read_claim_check(&config) else {
            return Moved::ends(StepResult::Invalid, crate::tr_text!("sim-no-claim"));
        };
        if let Some(why) = unreadable(&Condition::Rule(rule.clone())) {
            return Moved::ends(StepResult::Invalid, why);
        }
        let verdict = rule_at(&rule, &claim_path(rule.field), self.input);
        self.passes_or_rejects(node, verdict.holds, verdict.reason)
    }

    fn evaluate_node(&mut self, node: &'w Node) -> Moved<'w> {
        let config = node.config_value().unwrap_or(Value::Null);
        match try_evaluate(&read_evaluate(&config), self.input) {
            Ok(verdict) => self.passes_or_rejects(node, verdict.holds, verdict.reason),
            Err(why) => Moved::ends(
                StepResult::Invalid,
                crate::tr_text!("sim-rules-unreadable", why = why),
            ),
        }
    }

    fn passes_or_rejects(&mut self, node: &'w Node, holds: bool, reason: String) -> Moved<'w> {
        if holds {
            self.go_on(node, reason)
        } else {
            Moved::ends(StepResult::Rejected, reason)
        }
    }

    /// Follows `next`: a node id, or routes (on any node, as the graph draws them).
    fn go_on(&mut self, node: &'w Node, reason: String) -> Moved<'w> {
        match &node.next {
            Some(Next::Routes(routes)) => self.take_route(routes, reason),
            Some(Next::Node(id)) if !id.trim().is_empty() => match self.by_id.get(id.as_str()) {
                Some(&index) => Moved {
                    result: StepResult::Passed,
                    route: None,
                    next: Some((index, id.as_str())),
                    reason: if reason.is_empty() {
                        crate::tr_text!("sim-only-next")
                    } else {
                        reason
                    },
                },
                None => Moved::ends(
                    StepResult::Stuck,
                    also(
                        reason,
                        &crate::tr_text!("sim-next-not-a-node", id = id.as_str()),
                    ),
                ),
            },
            _ => Moved::ends(
                StepResult::Stuck,
                also(reason, &crate::tr_text!("sim-no-next")),
            ),
        }
    }

    /// The first route whose condition holds, else the first default route wherever it
    /// stands. Every route is read first: one that cannot be read makes the node invalid
    /// whoever the user is.
    fn take_route(&mut self, routes: &'w [Value], reason: String) -> Moved<'w> {
        let mut read = std::mem::take(&mut self.routes);
        let mut parts = std::mem::take(&mut self.parts);
        read.clear();
        parts.clear();
        let moved = self.take_read_route(routes, &mut read, &mut parts, reason);
        self.routes = read;
        self.parts = parts;
        moved
    }

    fn take_read_route(
        &self,
        routes: &'w [Value],
        read: &mut Vec<(RouteCondition<'w>, Range<usize>)>,
        parts: &mut Vec<Part<'w>>,
        reason: String,
    ) -> Moved<'w> {
        for (i, route) in routes.iter().enumerate() {
            let condition = route_condition(route);
            let start = parts.len();
            let why = match &condition {
                RouteCondition::When(when) => read_parts(when, parts).err(),
                RouteCondition::Otherwise => None,
                RouteCondition::Unreadable => Some(crate::tr_text!(
                    "sim-route-no-condition",
                    route = shorten(&route.to_string())
                )),
            };
            let Some(why) = why else {
                read.push((condition, start..parts.len()));
                continue;
            };
            let because = crate::tr_text!(
                "sim-route-unreadable",
                route = (i + 1).to_string(),
                why = why
            );
            return Moved::ends(StepResult::Invalid, also(reason, &because));
        }
        if read.is_empty() {
            return Moved::ends(
                StepResult::Stuck,
                also(reason, &crate::tr_text!("sim-no-routes")),
            );
        }
        // Every evaluated route's reason goes into the step's one string.
        let mut reason = reason;
        let mut taken = None;
        for (i, (condition, at)) in read.iter().enumerate() {
            let RouteCondition::When(_) = condition else {
                continue;
            };
            if !reason.is_empty() {
                reason.push_str("; ");
            }
            if evaluate_parts(&parts[at.clone()], self.input, &mut reason) {
                taken = Some(i);
                break;
            }
        }
        if taken.is_none() {
            taken = read
                .iter()
                .position(|(route, _)| matches!(route, RouteCondition::Otherwise));
            if taken.is_some() {
                let conditions = read
                    .iter()
                    .any(|(r, _)| matches!(r, RouteCondition::When(_)));
                let why = if conditions {
                    crate::tr_text!("sim-default-taken")
                } else {
                    crate::tr_text!("sim-only-default")
                };
                reason = also(reason, &why);
            }
        }
        let Some(index) = taken else {
            let reason = also(reason, &crate::tr_text!("sim-no-route-holds"));
            return Moved::ends(StepResult::Stuck, reason);
        };
        let route = &routes[index];
        let taken = (
            index,
            // The words the graph puts on this route's edge (`route_label`), from the same reading.
            label_of(&read[index].0).unwrap_or_else(|| crate::tr_text!("route-otherwise")),
        );
        let target = route_target(route, &self.by_id);
        let found = target.and_then(|id| self.by_id.get(id).copied());
        match (target, found) {
            (Some(id), Some(next)) => Moved {
                result: StepResult::Passed,
                route: Some(taken),
                next: Some((next, id)),
                reason,
            },
            (target, _) => {
                let problem = match target {
                    Some(id) => crate::tr_text!(
                        "sim-route-target-missing",
                        route = (index + 1).to_string(),
                        id = id
                    ),
                    None => crate::tr_text!("sim-route-no-target", route = (index + 1).to_string()),
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
