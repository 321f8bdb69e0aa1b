//! The simulator rule by rule: each node type both ways, aliases, groups, routes (defaults
//! wherever they stand), every outcome, mocks, and agreement with the graph's route labels.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::*;
use crate::workflow::{Graph, sample};

fn workflow(entry: &str, nodes: Value) -> Workflow {
    serde_json::from_value(
        json!({"workflowId": "wf_t", "name": "t", "entryNodeId": entry,
                                  "nodes": nodes}),
    )
    .unwrap()
}

fn run(workflow: &Workflow, user: Value) -> Simulation {
    simulate(workflow, &user, &HashMap::new())
}

fn path(simulation: &Simulation) -> Vec<&str> {
    simulation.path()
}

/// request -> verify -> [node under test] -> ok (approved).
fn around(node_type: &str, config: Value) -> Workflow {
    workflow(
        "req",
        json!([
            {"id": "req", "type": "request", "next": "verify"},
            {"id": "verify", "type": "verification", "next": "test"},
            {"id": "test", "type": node_type, "next": "ok", "config": config},
            {"id": "ok", "type": "response", "config": {"result": "approved"}}
        ]),
    )
}

fn outcome(node_type: &str, config: Value, user: Value) -> Outcome {
    run(&around(node_type, config), user).outcome
}

/// The demo's KYC flow: min LoA 2, an evaluate, then LoA >= 3 / nationality KR / otherwise.
fn kyc() -> Workflow {
    workflow(
        "nd_request",
        json!([
            {"id": "nd_request", "type": "request", "next": "nd_verify"},
            {"id": "nd_verify", "type": "verification", "next": "nd_min_loa",
             "config": {"providers": ["passport"], "claims": ["name", "birthdate"]}},
            {"id": "nd_min_loa", "type": "check-min-loa", "next": "nd_evaluate", "config": {"minLoa": 2}},
            {"id": "nd_evaluate", "type": "evaluate", "next": "nd_route",
             "config": {"rules": [{"field": "input.user.nationality", "operator": "exists", "value": true}],
                        "combine": "all"}},
            {"id": "nd_route", "type": "if", "next": [
                {"condition": {"field": "input.loa", "operator": "gte", "value": 3}, "next": "nd_approve"},
                {"condition": {"field": "input.user.nationality", "operator": "eq", "value": "KR"}, "next": "nd_claim"},
                {"default": true, "next": "nd_reject"}
            ]},
            {"id": "nd_claim", "type": "check-claim", "next": "nd_approve",
             "config": {"claim": "birthdate", "operator": "exists", "value": true}},
            {"id": "nd_approve", "type": "response", "config": {"result": "approved"}},
            {"id": "nd_reject", "type": "response", "config": {"result": "rejected"}}
        ]),
    )
}

#[test]
fn a_high_loa_goes_straight_to_approval() {
    let sim = run(&kyc(), json!({"loa": 3, "user": {"nationality": "SE"}}));
    assert_eq!(sim.outcome, Outcome::Completed);
    assert_eq!(
        path(&sim),
        [
            "nd_request",
            "nd_verify",
            "nd_min_loa",
            "nd_evaluate",
            "nd_route",
            "nd_approve"
        ]
    );
    assert_eq!(sim.ended_at(), Some("nd_approve"));
    assert_eq!(sim.response, Some(json!({"result": "approved"})));
    let route = sim.step(4).route().unwrap();
    assert_eq!((route.index, route.label), (0, "input.loa >= 3"));
    assert_eq!(sim.step(2).reason(), "input.loa is 3, needs 2 or more");
    assert_eq!(sim.trace().last().unwrap(), "→ Response: approved");
}

#[test]
fn a_low_loa_is_rejected_at_the_check() {
    let sim = run(&kyc(), json!({"loa": 1, "user": {"nationality": "KR"}}));
    assert_eq!(sim.outcome, Outcome::Rejected);
    assert_eq!(sim.ended_at(), Some("nd_min_loa"));
    assert_eq!(sim.response, None);
    let step = sim.last_step().unwrap();
    assert_eq!(step.result, StepResult::Rejected);
    assert_eq!(step.reason(), "input.loa is 1, needs 2 or more");
    let trace = sim.trace();
    assert_eq!(
        trace[2],
        "3. Check minimum LoA: input.loa is 1, needs 2 or more → rejected"
    );
    assert_eq!(trace[3], "→ Response: rejected at nd_min_loa");
}

#[test]
fn a_korean_user_with_loa_2_is_checked_for_a_birthdate() {
    let with = run(
        &kyc(),
        json!({"loa": 2, "birthdate": "1990-01-01", "user": {"nationality": "KR"}}),
    );
    assert_eq!(with.outcome, Outcome::Completed);
    assert_eq!(
        &path(&with)[4..],
        ["nd_route", "nd_claim", "nd_approve"],
        "{:?}",
        with.steps().collect::<Vec<_>>()
    );
    assert_eq!(
        with.step(4).reason(),
        r#"input.loa is 2, needs 3 or more; input.user.nationality is "KR""#
    );
    let without = run(&kyc(), json!({"loa": 2, "user": {"nationality": "KR"}}));
    assert_eq!(without.outcome, Outcome::Rejected);
    assert_eq!(without.ended_at(), Some("nd_claim"));
    assert_eq!(
        without.last_step().unwrap().reason(),
        "input.birthdate is missing, needs a value"
    );
}

#[test]
fn a_swedish_user_with_loa_2_takes_the_default_route_to_a_rejecting_response() {
    let sim = run(&kyc(), json!({"loa": 2, "user": {"nationality": "SE"}}));
    assert_eq!(sim.outcome, Outcome::Completed);
    assert_eq!(sim.ended_at(), Some("nd_reject"));
    assert_eq!(sim.response, Some(json!({"result": "rejected"})));
    let route = &sim.step(4);
    assert_eq!(route.route().unwrap().label, "otherwise");
    assert!(
        route
            .reason()
            .contains(r#"input.user.nationality is "SE", not "KR""#),
        "{}",
        route.reason()
    );
    let trace = sim.trace();
    assert!(
        trace[4].starts_with("5. If: ") && trace[4].ends_with("→ nd_reject by route 3 (otherwise)"),
        "{}",
        trace[4]
    );
    assert_eq!(trace.last().unwrap(), "→ Response: rejected");
}

#[test]
fn check_min_loa_reads_every_alias_and_needs_a_number_at_least_the_minimum() {
    for key in ["minLoa", "min_loa", "loa", "level"] {
        let config = json!({ key: 2 });
        assert_eq!(
            outcome("check-min-loa", config.clone(), json!({"loa": 2})),
            Outcome::Completed,
            "{key}"
        );
        assert_eq!(
            outcome("check-min-loa", config.clone(), json!({"loa": 3.5})),
            Outcome::Completed,
            "{key}"
        );
        assert_eq!(
            outcome("check-min-loa", config.clone(), json!({"loa": 1})),
            Outcome::Rejected,
            "{key}"
        );
    }
    let two = json!({"minLoa": 2});
    assert_eq!(
        outcome("check-min-loa", two.clone(), json!({"loa": "3"})),
        Outcome::Rejected
    );
    assert_eq!(
        outcome("check-min-loa", two.clone(), json!({})),
        Outcome::Rejected
    );
    assert_eq!(
        outcome("check-min-loa", json!({"minLoa": 2.0}), json!({"loa": 2})),
        Outcome::Completed
    );
    // The first alias found counts, in the order minLoa, min_loa, loa, level.
    assert_eq!(
        outcome(
            "check-min-loa",
            json!({"level": 1, "minLoa": 3}),
            json!({"loa": 2})
        ),
        Outcome::Rejected
    );
    let missing = run(&around("check-min-loa", json!({})), json!({"loa": 2}));
    assert_eq!(missing.outcome, Outcome::Invalid);
    assert_eq!(missing.ended_at(), Some("test"));
    assert_eq!(
        outcome("check-min-loa", json!({"minLoa": "2"}), json!({"loa": 2})),
        Outcome::Invalid
    );
}

#[test]
fn check_claim_reads_a_claim_of_input_or_a_path_as_written() {
    let user = json!({"birthdate": "2000-01-01", "age": 20, "user": {"nationality": "SE"}});
    let cases = [
        (json!({"claim": "birthdate"}), Outcome::Completed),
        (json!({"claim": "email"}), Outcome::Rejected),
        (
            json!({"claim": "birthdate", "operator": "exists", "value": true}),
            Outcome::Completed,
        ),
        (
            json!({"claim": "email", "operator": "not_exists", "value": true}),
            Outcome::Completed,
        ),
        (
            json!({"field": "input.user.nationality", "operator": "eq", "value": "SE"}),
            Outcome::Completed,
        ),
        (
            json!({"field": "input.user.nationality", "operator": "neq", "value": "SE"}),
            Outcome::Rejected,
        ),
        (
            json!({"field": "user.nationality", "operator": "eq", "value": "SE"}),
            Outcome::Completed,
        ),
        (
            json!({"claim": "age", "operator": "gte", "value": 18}),
            Outcome::Completed,
        ),
        (
            json!({"claim": "age", "operator": "lt", "value": 18}),
            Outcome::Rejected,
        ),
        (
            json!({"claim": "age", "operator": "eq", "value": "20"}),
            Outcome::Rejected,
        ),
        (
            json!({"claim": "age", "operator": "like", "value": 2}),
            Outcome::Invalid,
        ),
        (json!({"operator": "exists"}), Outcome::Invalid),
    ];
    for (config, expected) in cases {
        assert_eq!(
            outcome("check-claim", config.clone(), user.clone()),
            expected,
            "{config}"
        );
    }
    let sim = run(
        &around(
            "check-claim",
            json!({"field": "input.user.nationality", "operator": "eq", "value": "KR"}),
        ),
        user,
    );
    assert_eq!(
        sim.last_step().unwrap().reason(),
        r#"input.user.nationality is "SE", not "KR""#
    );
}

#[test]
fn evaluate_needs_all_rules_or_the_group_it_names() {
    let se = json!({"field": "input.user.nationality", "operator": "eq", "value": "SE"});
    let kr = json!({"field": "input.user.nationality", "operator": "eq", "value": "KR"});
    let loa = json!({"field": "input.loa", "operator": "gte", "value": 2});
    let user = json!({"loa": 2, "user": {"nationality": "SE"}});
    let cases = [
        (json!({"rules": [se, loa]}), Outcome::Completed),
        (json!({"rules": [se, kr]}), Outcome::Rejected),
        (
            json!({"rules": [se, kr], "combine": "any"}),
            Outcome::Completed,
        ),
        (
            json!({"rules": [kr, loa], "combine": "all"}),
            Outcome::Rejected,
        ),
        (json!({"rules": {"any": [kr, se]}}), Outcome::Completed),
        (json!({"rules": {"all": [kr, se]}}), Outcome::Rejected),
        (
            json!({"rules": [loa, {"any": [kr, {"all": [se, loa]}]}]}),
            Outcome::Completed,
        ),
        (
            json!({"rules": [[se, loa], {"any": [kr]}]}),
            Outcome::Rejected,
        ),
        (json!({"any": [kr, se]}), Outcome::Completed),
        (json!({"all": [kr, se]}), Outcome::Rejected),
        (json!({"rules": []}), Outcome::Invalid),
        (json!({}), Outcome::Invalid),
        (json!({"rules": [se, {"what": 1}]}), Outcome::Invalid),
        (
            json!({"rules": [{"field": "input.loa", "operator": "in", "value": [1, 2]}]}),
            Outcome::Invalid,
        ),
    ];
    for (config, expected) in cases {
        assert_eq!(
            outcome("evaluate", config.clone(), user.clone()),
            expected,
            "{config}"
        );
    }
    let no_config = workflow(
        "e",
        json!([{"id": "e", "type": "evaluate", "next": "r"}, {"id": "r", "type": "response"}]),
    );
    assert_eq!(run(&no_config, json!({})).outcome, Outcome::Invalid);
    let rejected = run(&around("evaluate", json!({"rules": [se, kr, loa]})), user);
    assert_eq!(
        rejected.last_step().unwrap().reason(),
        r#"input.user.nationality is "SE", not "KR""#
    );
}

/// request -> verify -> route (routes under test) -> a | b | c.
fn routed(routes: Value) -> Workflow {
    workflow(
        "req",
        json!([
            {"id": "req", "type": "request", "next": "verify"},
            {"id": "verify", "type": "verification", "next": "route"},
            {"id": "route", "type": "if", "next": routes},
            {"id": "a", "type": "response", "config": {"result": "a"}},
            {"id": "b", "type": "response", "config": {"result": "b"}},
            {"id": "c", "type": "response", "config": {"result": "c"}}
        ]),
    )
}

fn ends_at(routes: Value, user: Value) -> (Outcome, Option<String>) {
    let sim = run(&routed(routes), user);
    (sim.outcome, sim.ended_at().map(str::to_owned))
}

fn loa_at_least(n: i64, next: &str) -> Value {
    json!({"condition": {"field": "input.loa", "operator": "gte", "value": n}, "next": next})
}

#[test]
fn if_takes_the_first_route_that_holds_in_order() {
    let routes = json!([
        loa_at_least(3, "a"),
        loa_at_least(2, "b"),
        loa_at_least(1, "c")
    ]);
    let at = |loa: i64| ends_at(routes.clone(), json!({ "loa": loa })).1;
    assert_eq!(at(5).as_deref(), Some("a"));
    assert_eq!(at(2).as_deref(), Some("b"));
    assert_eq!(at(1).as_deref(), Some("c"));
    assert_eq!(
        ends_at(routes, json!({"loa": 0})),
        (Outcome::Stuck, Some("route".to_owned()))
    );
}

#[test]
fn a_default_route_is_taken_only_when_no_other_holds_wherever_it_stands() {
    for marker in [
        json!({"default": true, "next": "c"}),
        json!({"else": true, "next": "c"}),
        json!({"otherwise": true, "next": "c"}),
        json!({"else": "c"}),
    ] {
        let first = json!([marker, loa_at_least(3, "a"), loa_at_least(2, "b")]);
        let middle = json!([loa_at_least(3, "a"), marker, loa_at_least(2, "b")]);
        for routes in [first, middle] {
            assert_eq!(
                ends_at(routes.clone(), json!({"loa": 2})).1.as_deref(),
                Some("b"),
                "{routes}"
            );
            assert_eq!(
                ends_at(routes.clone(), json!({"loa": 4})).1.as_deref(),
                Some("a"),
                "{routes}"
            );
            assert_eq!(
                ends_at(routes.clone(), json!({"loa": 1})).1.as_deref(),
                Some("c"),
                "{routes}"
            );
        }
    }
    // Two defaults: the first one.
    let routes = json!([{"default": true, "next": "b"}, {"default": true, "next": "c"}]);
    let sim = run(&routed(routes), json!({}));
    assert_eq!(sim.ended_at(), Some("b"));
    assert!(
        sim.step(2).reason().contains("only a default route"),
        "{}",
        sim.step(2).reason()
    );
    // `default: false` is no default: nothing holds, so the run is stuck.
    let routes = json!([loa_at_least(3, "a"), {"default": false, "next": "c"}]);
    assert_eq!(
        ends_at(routes, json!({"loa": 1})).0,
        Outcome::Invalid,
        "a route with neither a condition nor a default mark cannot be read"
    );
}

#[test]
fn no_route_holding_and_no_default_is_stuck() {
    let sim = run(&routed(json!([loa_at_least(3, "a")])), json!({"loa": 1}));
    assert_eq!(sim.outcome, Outcome::Stuck);
    let step = sim.last_step().unwrap();
    assert_eq!(step.result, StepResult::Stuck);
    assert_eq!(step.route(), None);
    assert!(
        step.reason().ends_with(
            "input.loa is 1, needs 3 or more; no route holds and none is marked default"
        ),
        "{}",
        step.reason()
    );
    assert_eq!(sim.trace().last().unwrap(), "→ Response: stuck at route");
    let empty = run(&routed(json!([])), json!({}));
    assert_eq!(empty.outcome, Outcome::Stuck);
}

#[test]
fn route_shapes_the_graph_reads_are_simulated_alike() {
    let user = json!({"loa": 2, "user": {"nationality": "KR"}, "amr": ["pwd"]});
    let cases = [
        json!([{"when": {"field": "input.loa", "operator": "eq", "value": 2}, "to": "b"}]),
        json!([{"field": "input.loa", "operator": "eq", "value": 2, "next": "b"}]),
        json!([{"if": {"field": "input.amr.0", "operator": "eq", "value": "pwd"}, "then": "b"}]),
        json!([{"rules": [{"field": "input.loa", "operator": "gte", "value": 2},
                          {"field": "input.user.nationality", "operator": "eq", "value": "KR"}],
                "target": "b"}]),
        json!([{"condition": {"any": [{"field": "input.loa", "operator": "gt", "value": 5},
                                      {"field": "input.user.nationality", "operator": "eq", "value": "KR"}]},
                "nodeId": "b"}]),
        json!([{"condition": [{"field": "input.loa", "operator": "eq", "value": 2.0}], "goto": "b"}]),
        // A single route object instead of a list.
        json!({"condition": {"field": "input.loa", "operator": "exists", "value": true}, "next": "b"}),
    ];
    for routes in cases {
        let workflow = routed(routes.clone());
        let sim = run(&workflow, user.clone());
        assert_eq!(
            sim.ended_at(),
            Some("b"),
            "{routes}: {:?}",
            sim.steps().collect::<Vec<_>>()
        );
        // The route taken carries the label the graph draws on that edge.
        let graph = Graph::build(&workflow);
        let taken = sim.step(2).route().unwrap();
        let edge = graph.outgoing[2]
            .iter()
            .map(|&e| &graph.edges[e])
            .find(|e| {
                matches!(e.kind, crate::workflow::EdgeKind::Route { route_index, .. }
                    if route_index == taken.index)
            })
            .unwrap();
        assert_eq!(edge.label(), Some(taken.label), "{routes}");
    }
}

#[test]
fn a_route_neither_can_read_makes_the_node_invalid_for_every_user() {
    let unreadable = [
        json!([loa_at_least(1, "a"), {"next": "b"}]),
        json!([loa_at_least(1, "a"), "b"]),
        json!([loa_at_least(1, "a"), {"when": {"strange": [1]}, "next": "b"}]),
        json!([loa_at_least(1, "a"), {"condition": "input.loa >= 2", "next": "b"}]),
        json!([{"condition": {"field": "input.loa", "operator": "between", "value": [1, 3]}, "next": "a"}]),
        json!([{"condition": {"all": []}, "next": "a"}, {"default": true, "next": "b"}]),
    ];
    for routes in unreadable {
        let sim = run(&routed(routes.clone()), json!({"loa": 2}));
        assert_eq!(sim.outcome, Outcome::Invalid, "{routes}");
        assert_eq!(sim.ended_at(), Some("route"));
        assert!(
            sim.step(2).reason().contains("cannot be read"),
            "{}",
            sim.step(2).reason()
        );
    }
}

#[test]
fn a_route_to_nowhere_is_stuck_on_that_route() {
    let sim = run(
        &routed(json!([loa_at_least(1, "zz"), {"default": true, "next": "a"}])),
        json!({"loa": 2}),
    );
    assert_eq!(sim.outcome, Outcome::Stuck);
    let step = &sim.step(2);
    assert_eq!(step.route().unwrap().index, 0);
    assert!(
        step.reason()
            .contains(r#"route 1 goes to "zz", which is not a node"#),
        "{}",
        step.reason()
    );
    let no_target = run(
        &routed(
            json!([{"condition": {"field": "input.loa", "operator": "exists", "value": 1},
                        "goTo": {"step": 4}}]),
        ),
        json!({"loa": 2}),
    );
    assert_eq!(no_target.outcome, Outcome::Stuck);
    assert!(
        no_target
            .step(2)
            .reason()
            .contains("names no node to go to")
    );
}

#[test]
fn a_missing_or_dangling_next_is_stuck_and_an_unknown_type_invalid() {
    let no_next = workflow(
        "a",
        json!([{"id": "a", "type": "request", "next": "b"}, {"id": "b", "type": "verification"}]),
    );
    let sim = run(&no_next, json!({}));
    assert_eq!((sim.outcome, sim.ended_at()), (Outcome::Stuck, Some("b")));
    assert_eq!(
        sim.step(1).reason(),
        "the userinfo becomes input; there is no next node"
    );
    let blank = workflow("a", json!([{"id": "a", "type": "request", "next": " "}]));
    assert_eq!(run(&blank, json!({})).outcome, Outcome::Stuck);
    let dangling = workflow("a", json!([{"id": "a", "type": "request", "next": "nope"}]));
    let sim = run(&dangling, json!({}));
    assert_eq!((sim.outcome, sim.ended_at()), (Outcome::Stuck, Some("a")));
    assert!(
        sim.step(0)
            .reason()
            .contains(r#"next "nope" is not a node"#)
    );
    let unknown = workflow(
        "a",
        json!([{"id": "a", "type": "request", "next": "m"},
               {"id": "m", "type": "manual-review", "next": "r"}, {"id": "r", "type": "response"}]),
    );
    let sim = run(&unknown, json!({}));
    assert_eq!((sim.outcome, sim.ended_at()), (Outcome::Invalid, Some("m")));
    assert_eq!(sim.step(1).result, StepResult::Invalid);
    assert!(sim.trace()[1].starts_with("2. Type \"manual-review\": the type"));
    // Types are read as the graph reads them.
    let tolerant = workflow(
        "a",
        json!([{"id": "a", "type": "Check_Min_LoA", "next": "r", "config": {"minLoa": 1}},
               {"id": "r", "type": "response"}]),
    );
    assert_eq!(run(&tolerant, json!({})).outcome, Outcome::Rejected);
}

#[test]
fn a_missing_entry_node_is_stuck_before_any_step() {
    let sim = run(
        &workflow("nope", json!([{"id": "a", "type": "response"}])),
        json!({}),
    );
    assert_eq!(sim.outcome, Outcome::Stuck);
    assert!(sim.steps().len() == 0);
    assert_eq!(sim.ended_at(), None);
    assert_eq!(
        sim.trace(),
        [r#"→ Response: stuck, the entry node "nope" is not in the workflow"#]
    );
    let json = sim.to_json();
    assert_eq!(json["endedAt"], Value::Null);
    assert_eq!(json["path"], json!([]));
}

#[test]
fn a_response_completes_with_its_settings() {
    let sim = run(
        &workflow(
            "r",
            json!([{"id": "r", "type": "response", "next": "r", "config": {"result": "approved", "claims": ["name"]}}]),
        ),
        json!({}),
    );
    assert_eq!(sim.outcome, Outcome::Completed);
    assert_eq!(
        sim.response,
        Some(json!({"result": "approved", "claims": ["name"]}))
    );
    let bare = run(
        &workflow("r", json!([{"id": "r", "type": "response"}])),
        json!({}),
    );
    assert_eq!(bare.response, Some(Value::Null));
    assert_eq!(bare.to_json()["response"], Value::Null);
    assert_eq!(bare.trace().last().unwrap(), "→ Response: completed");
}

#[test]
fn more_than_a_thousand_steps_is_a_loop() {
    let cycle = workflow(
        "a",
        json!([{"id": "a", "type": "request", "next": "b"},
               {"id": "b", "type": "verification", "next": "a"}]),
    );
    let sim = run(&cycle, json!({}));
    assert_eq!(sim.outcome, Outcome::Loop);
    assert_eq!(sim.steps().len(), MAX_STEPS);
    assert_eq!(sim.ended_at(), Some("b"));
    assert!(
        sim.trace()
            .last()
            .unwrap()
            .starts_with("→ Response: loop, more than 1000 steps"),
        "{:?}",
        sim.trace().last()
    );
    // Exactly 1,000 steps still complete; 1,001 do not.
    let chain = |count: usize| {
        let nodes: Vec<Value> = (0..count)
            .map(|i| {
                if i + 1 == count {
                    json!({"id": format!("n{i}"), "type": "response"})
                } else {
                    json!({"id": format!("n{i}"), "type": "request", "next": format!("n{}", i + 1)})
                }
            })
            .collect();
        workflow("n0", Value::Array(nodes))
    };
    assert_eq!(run(&chain(1000), json!({})).outcome, Outcome::Completed);
    assert_eq!(run(&chain(1001), json!({})).outcome, Outcome::Loop);
    // A retry loop that the user keeps taking.
    let large = sample::large_workflow(1000);
    assert_eq!(
        run(&large, json!({"loa": 2, "sub": "u", "birthdate": "x"})).outcome,
        Outcome::Completed
    );
    assert_eq!(
        run(&large, json!({"loa": 1, "sub": "u"})).outcome,
        Outcome::Rejected
    );
}

#[test]
fn mocks_give_one_verification_node_another_userinfo() {
    let two = workflow(
        "req",
        json!([
            {"id": "req", "type": "request", "next": "v1"},
            {"id": "v1", "type": "verification", "next": "c1"},
            {"id": "c1", "type": "check-min-loa", "next": "v2", "config": {"minLoa": 1}},
            {"id": "v2", "type": "verification", "next": "c2"},
            {"id": "c2", "type": "check-claim", "next": "ok",
             "config": {"field": "input.user.nationality", "operator": "eq", "value": "KR"}},
            {"id": "ok", "type": "response", "config": {"result": "approved"}}
        ]),
    );
    let user = json!({"loa": 1, "user": {"nationality": "SE"}});
    assert_eq!(run(&two, user.clone()).outcome, Outcome::Rejected);
    let mocks = HashMap::from([(
        "v2".to_owned(),
        json!({"loa": 0, "user": {"nationality": "KR"}}),
    )]);
    let sim = simulate(&two, &user, &mocks);
    assert_eq!(
        sim.outcome,
        Outcome::Completed,
        "{:?}",
        sim.steps().collect::<Vec<_>>()
    );
    assert_eq!(sim.step(1).reason(), "the userinfo becomes input");
    assert_eq!(
        sim.step(3).reason(),
        "the mock userinfo for this node becomes input"
    );
    // A mock on the first node alone: the second verification brings the userinfo back.
    let mocks = HashMap::from([("v1".to_owned(), json!({"loa": 0}))]);
    let sim = simulate(&two, &user, &mocks);
    assert_eq!(
        (sim.outcome, sim.ended_at()),
        (Outcome::Rejected, Some("c1"))
    );
}

#[test]
fn checks_before_any_verification_read_the_given_userinfo() {
    let early = workflow(
        "req",
        json!([
            {"id": "req", "type": "request", "next": "loa"},
            {"id": "loa", "type": "check-min-loa", "next": "verify", "config": {"minLoa": 2}},
            {"id": "verify", "type": "verification", "next": "again"},
            {"id": "again", "type": "check-min-loa", "next": "ok", "config": {"minLoa": 2}},
            {"id": "ok", "type": "response"}
        ]),
    );
    assert_eq!(run(&early, json!({"loa": 3})).outcome, Outcome::Completed);
    assert_eq!(run(&early, json!({"loa": 1})).ended_at(), Some("loa"));
    // The mock counts from its verification node on, not before.
    let mocks = HashMap::from([("verify".to_owned(), json!({"loa": 1}))]);
    let sim = simulate(&early, &json!({"loa": 3}), &mocks);
    assert_eq!(
        (sim.outcome, sim.ended_at()),
        (Outcome::Rejected, Some("again"))
    );
}

#[test]
fn next_is_followed_the_same_way_on_every_node() {
    // An `if` with a plain next goes there; a check with routes takes a route.
    let wf = workflow(
        "i",
        json!([
            {"id": "i", "type": "if", "next": "v"},
            {"id": "v", "type": "verification", "next": [loa_at_least(2, "a"), {"default": true, "next": "b"}]},
            {"id": "a", "type": "response", "config": {"result": "a"}},
            {"id": "b", "type": "response", "config": {"result": "b"}}
        ]),
    );
    assert_eq!(run(&wf, json!({"loa": 2})).ended_at(), Some("a"));
    assert_eq!(run(&wf, json!({"loa": 1})).ended_at(), Some("b"));
    assert_eq!(
        run(&wf, json!({"loa": 1})).step(0).reason(),
        "no routes, only a next node"
    );
}

#[test]
fn duplicate_ids_resolve_to_the_first_node_as_in_the_graph() {
    let wf = workflow(
        "a",
        json!([{"id": "a", "type": "request", "next": "b"},
               {"id": "b", "type": "response", "config": {"result": "first"}},
               {"id": "b", "type": "response", "config": {"result": "second"}}]),
    );
    let sim = run(&wf, json!({}));
    assert_eq!(sim.response, Some(json!({"result": "first"})));
    assert_eq!(sim.step(1).index, 1);
}

#[test]
fn the_json_has_the_documented_shape() {
    let sim = run(&kyc(), json!({"loa": 1}));
    let json = sim.to_json();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["outcome", "path", "endedAt", "response", "steps"]);
    assert_eq!(json["outcome"], "rejected");
    assert_eq!(
        json["path"],
        json!(["nd_request", "nd_verify", "nd_min_loa"])
    );
    assert_eq!(json["endedAt"], "nd_min_loa");
    assert_eq!(json["response"], Value::Null);
    assert_eq!(
        json["steps"][2],
        json!({"node": "nd_min_loa", "type": "check-min-loa", "result": "rejected",
               "route": null, "reason": "input.loa is 1, needs 2 or more"})
    );
    assert_eq!(json["steps"][0]["result"], "passed");
    let routed = run(&kyc(), json!({"loa": 3, "user": {"nationality": "SE"}})).to_json();
    assert_eq!(routed["steps"][4]["route"], "input.loa >= 3");
    assert_eq!(routed["steps"][5]["result"], "completed");
    assert_eq!(routed["response"], json!({"result": "approved"}));
}

/// A run keeps its words in one string; each step reads only its own stretch of it.
#[test]
fn each_step_reads_its_own_words_from_the_run() {
    let wf = around("check-min-loa", json!({"minLoa": 2}));
    let passed = run(&wf, json!({"loa": 3}));
    let ids: Vec<&str> = passed.steps().map(|step| step.node()).collect();
    assert_eq!(ids, ["req", "verify", "test", "ok"]);
    let types: Vec<&str> = passed.steps().map(|step| step.node_type()).collect();
    assert_eq!(
        types,
        ["request", "verification", "check-min-loa", "response"]
    );
    for (step, following) in passed.steps().zip(passed.steps().skip(1)) {
        assert_eq!(step.next(), Some(following.node()));
        assert_eq!(step.route(), None);
    }
    assert_eq!(passed.step(2).reason(), "input.loa is 3, needs 2 or more");
    assert_eq!(passed.last_step().unwrap().next(), None);
    // The same first steps of another run are equal, whatever came after them.
    let rejected = run(&wf, json!({"loa": 1}));
    assert_eq!(rejected.outcome, Outcome::Rejected);
    assert_eq!(passed.step(1), rejected.step(1));
    assert_ne!(passed.step(2), rejected.step(2));
    assert_eq!(rejected.steps().len(), 3);
}
