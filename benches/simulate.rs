//! Simulation benchmark: one sample user through generated 1,000-node workflows (target: under
//! 1 ms each), printed as medians of this thread's CPU time, like the other benches.
//!
//! `cargo bench --bench simulate` (release); `-- --quick` takes fewer runs, `-- if` runs only the
//! benches whose name holds "if".

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::Duration;

use connect_console::api::Workflow;
use connect_console::i18n::{Language, Localizer};
use connect_console::workflow::{Outcome, sample, simulate};
use serde_json::{Value, json};

/// CPU time used by the current thread so far.
#[allow(unsafe_code)]
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

fn median_of(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = thread_cpu_time();
            work();
            thread_cpu_time().saturating_sub(started)
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// 1,000 `if` nodes in a chain, each with an any-group route, a nested all-group route and a
/// default placed first, so every step reads and evaluates three routes; then a response.
fn route_chain(count: usize) -> Workflow {
    let id = |i: usize| format!("n{i:04}");
    let nodes: Vec<Value> = (0..count)
        .map(|i| {
            if i + 1 == count {
                return json!({"id": id(i), "type": "response", "config": {"result": "approved"}});
            }
            json!({"id": id(i), "type": "if", "next": [
                {"default": true, "next": id(count - 1)},
                {"condition": {"any": [
                    {"field": "input.user.nationality", "operator": "eq", "value": "KR"},
                    {"field": "input.amr.0", "operator": "eq", "value": "retry"}]}, "next": id(count - 1)},
                {"condition": {"all": [
                    {"field": "input.loa", "operator": "gte", "value": 2},
                    [{"field": "input.sub", "operator": "exists", "value": true}]]}, "next": id(i + 1)}
            ]})
        })
        .collect();
    serde_json::from_value(json!({"workflowId": "wf_routes", "name": "routes",
                                  "entryNodeId": id(0), "nodes": nodes}))
    .expect("workflow")
}

fn bench(name: &str, workflow: &Workflow, user: &Value, runs: usize) {
    // `cargo bench --bench simulate -- if` runs only the benches whose name holds "if".
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !wanted.is_empty() && !wanted.iter().any(|w| name.contains(w.as_str())) {
        return;
    }
    let mocks = HashMap::new();
    let result = simulate(workflow, user, &mocks);
    let time = median_of(runs, || {
        std::hint::black_box(simulate(workflow, user, &mocks));
    });
    println!(
        "{name} ({} nodes): {} steps, {:?}; median {:.3} ms over {runs} runs (target < 1 ms: {})",
        workflow.nodes.len(),
        result.steps().len(),
        result.outcome,
        time.as_secs_f64() * 1000.0,
        if time < Duration::from_millis(1) {
            "met"
        } else {
            "MISSED"
        }
    );
}

fn main() {
    let runs = if std::env::args().any(|a| a == "--quick") {
        21
    } else {
        201
    };
    let user = json!({"sub": "u1", "loa": 2, "birthdate": "1990-01-01", "amr": ["pwd"],
                      "user": {"nationality": "SE"}});

    // Checks of every type in a chain with an `if` every sixth node (the viewer's benchmark
    // workflow); a user who passes them all visits nearly every node.
    let large = sample::large_workflow(1000);
    bench("chain of checks", &large, &user, runs);
    let chain = route_chain(1000);
    let result = simulate(&chain, &user, &HashMap::new());
    assert_eq!(result.outcome, Outcome::Completed);
    bench("chain of if nodes, three routes each", &chain, &user, runs);
    // The same in Korean, as a Korean console words it.
    Localizer::new(Language::Korean).install();
    bench("chain of if nodes, in Korean", &chain, &user, runs);
    Localizer::default().install();
    // A cycle: 1,000 steps, then the loop outcome.
    let cycle: Workflow = serde_json::from_value(json!({"entryNodeId": "a", "nodes": [
        {"id": "a", "type": "verification", "next": "b"},
        {"id": "b", "type": "check-min-loa", "next": "a", "config": {"minLoa": 1}}]}))
    .expect("workflow");
    bench("two-node cycle", &cycle, &user, runs);
}
