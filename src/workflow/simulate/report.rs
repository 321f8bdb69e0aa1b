//! A simulation as the command line gives it: the `--json` shape (outcome, path, endedAt,
//! response, steps) and the numbered trace in words.

use serde_json::{Value, json};

use super::{Outcome, Simulation, Step, StepResult};
use crate::workflow::condition::{first_of, value_text};
use crate::workflow::graph::NodeKind;
use crate::workflow::summary::RESULT_KEYS;

impl Simulation {
    /// Every visited node id, in order, the last included.
    pub fn path(&self) -> Vec<&str> {
        self.steps().map(|step| step.node()).collect()
    }

    /// The node the run ended at; none when it never started.
    pub fn ended_at(&self) -> Option<&str> {
        self.last_step().map(|step| step.node())
    }

    /// `{"outcome", "path", "endedAt", "response", "steps": [{"node", "type", "result",
    /// "route", "reason"}]}`; `route` is the taken route's label, as on the graph. The words are
    /// in the language the run was made in: `--json` makes it with English installed, so it
    /// reads the same in every language.
    pub fn to_json(&self) -> Value {
        let steps: Vec<Value> = self
            .steps()
            .map(|step| {
                json!({
                    "node": step.node(),
                    "type": step.node_type(),
                    "result": step.result.as_str(),
                    "route": step.route().map(|route| route.label),
                    "reason": step.reason(),
                })
            })
            .collect();
        json!({
            "outcome": self.outcome.as_str(),
            "path": self.path(),
            "endedAt": self.ended_at(),
            "response": self.response,
            "steps": steps,
        })
    }

    /// One numbered line per step ("3. Check minimum LoA: input.loa is 1, needs 2 or more →
    /// rejected"), then how it ended ("→ Response: approved"), in the language in use.
    pub fn trace(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .steps()
            .enumerate()
            .map(|(i, step)| format!("{}. {}", i + 1, step_words(step)))
            .collect();
        lines.push(self.ending());
        lines
    }

    /// The last line of the trace: the response's result, or where and why there was none.
    pub fn ending(&self) -> String {
        let at = self.ended_at();
        let why = self.stopped.as_deref();
        let what = match (self.outcome, at, why) {
            (Outcome::Completed, _, _) => response_result(self.response.as_ref()),
            (Outcome::Loop, Some(at), Some(why)) => {
                crate::tr!("sim-trace-loop", why = why, node = at)
            }
            (outcome, Some(at), _) => {
                crate::tr!("sim-trace-ended-at", outcome = outcome.label(), node = at)
            }
            (outcome, None, Some(why)) => format!("{}, {why}", outcome.label()),
            (outcome, None, None) => outcome.label(),
        };
        crate::tr!("sim-trace-response", result = what)
    }
}

fn step_words(step: Step<'_>) -> String {
    let kind = match step.kind {
        NodeKind::Other => crate::tr!("sim-trace-other-type", code = step.node_type()),
        kind => kind.label(),
    };
    let after = match (step.result, step.next(), step.route()) {
        (StepResult::Passed, Some(next), Some(route)) => crate::tr!(
            "sim-trace-by-route",
            next = next,
            route = (route.index + 1).to_string(),
            label = route.label
        ),
        (StepResult::Passed, Some(next), None) => next.to_owned(),
        (result, _, _) => result.label(),
    };
    format!("{kind}: {} → {after}", step.reason())
}

/// A response's result in words: its `result` (or `outcome`, `status`), as the viewer's
/// summary reads it.
fn response_result(response: Option<&Value>) -> String {
    match response.and_then(|r| first_of(r, &RESULT_KEYS)) {
        Some(result) => value_text(result),
        None => Outcome::Completed.label(),
    }
}
