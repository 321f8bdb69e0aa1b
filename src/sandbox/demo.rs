//! Demo data for the sandbox: apps named in several scripts, workflows from the default
//! three nodes to a branching KYC flow, a 40-node flow, a retry loop, and (on the second app)
//! workflows that between them show every workflow lint problem; provider activations in every
//! state (activated, requested, processing, rejected, not activated with a draft).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::store::{Activation, Store, iso_now};

/// Demo app names: Latin, Korean, Japanese, Chinese, accented and long.
const DEMO_NAMES: &[&str] = &[
    "Acme Bank Onboarding",
    "한빛은행 본인확인",
    "さくら証券 口座開設",
    "北京数字身份服务",
    "Nordic Wallet",
    "Café Élysée Loyalty",
    "카카오페이 테스트",
    "東京モバイル eKYC",
    "Globex Insurance Claims",
    "Initech Payroll",
    "Müller & Söhne GmbH",
    "Umbrella Health Portal",
    "台北智慧城市",
    "Stark Industries HR",
    "Wayne Foundation Grants",
    "Hooli Marketplace Sellers",
    "서울시 청년수당 신청",
    "みずほ不動産 賃貸審査",
    "Tyrell Rentals",
    "Pied Piper Beta",
];

/// Seeds the demo workspace. Workflows are attached to the first apps in a fixed order so
/// tests and screenshots can find them by name.
pub(crate) fn seed_demo(store: &mut Store) {
    for (i, name) in DEMO_NAMES.iter().enumerate() {
        let uris = match i % 4 {
            0 => vec![
                format!("https://app{i}.example.com/callback"),
                "http://localhost:3000/callback".to_owned(),
            ],
            1 => vec![format!("https://id.example{i}.kr/auth/return")],
            2 => Vec::new(),
            _ => vec![format!("https://portal{i}.example.com/oidc")],
        };
        let webhook = (i % 3 == 0).then(|| {
            json!({"enabled": true, "url": format!("https://hooks.example.com/app{i}"),
                   "events": ["verification.completed", "verification.failed"]})
        });
        let app = store.create_app(name, uris, webhook.as_ref());
        let Some(app) = store.app_mut(&app.client_id) else {
            continue;
        };
        if i % 2 == 0 {
            app.providers.insert(
                "smartid".into(),
                json!({"enabled": true, "config": {"useManagedCredentials": true}}),
            );
        }
        app.providers
            .insert("mitid".into(), json!({"enabled": false}));
    }
    let ids: Vec<String> = store.apps.iter().map(|a| a.client_id.clone()).collect();
    type Build = fn(&mut Store) -> Value;
    let extra: [(usize, Build); 7] = [
        (0, kyc_branching),
        (1, with_problems),
        (1, entry_missing),
        (1, duplicates_and_closed_loop),
        (1, dead_end_and_odd_routes),
        (2, long_flow),
        (3, retry_loop),
    ];
    for (index, build) in extra {
        let Some(id) = ids.get(index) else { continue };
        let workflow = build(store);
        if let Some(app) = store.app_mut(id) {
            app.workflows.push(workflow);
        }
    }
    for (i, id) in ids.iter().enumerate() {
        seed_activations(store, id, i);
    }
}

/// A registration's answers, all of them or all but `missing`.
fn registration(company: &str, missing: &[&str]) -> BTreeMap<String, Value> {
    let slug: String = company
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    [
        ("companyName", json!(company)),
        ("registrationNumber", json!("556012-5790")),
        ("serviceUrl", json!(format!("https://{slug}.example.com"))),
        ("contactEmail", json!(format!("it@{slug}.example.com"))),
    ]
    .into_iter()
    .filter(|(id, _)| !missing.contains(id))
    .map(|(id, value)| (id.to_owned(), value))
    .collect()
}

/// Provider activations of the demo app at `index`: the first app shows every state; the
/// others cycle through a few, so the list's provider filter has something to find.
fn seed_activations(store: &mut Store, client_id: &str, index: usize) {
    const REQUESTED: &str = "2026-01-12T09:30:00.000Z";
    const ACTIVATED: &str = "2026-01-14T16:05:00.000Z";
    let company = "Acme Bank";
    let record = |status: &str, submitted: BTreeMap<String, Value>| Activation {
        status: status.to_owned(),
        id: String::new(),
        submitted,
        requested_at: (status != "not_activated").then(|| REQUESTED.to_owned()),
        activated_at: (status == "activated").then(|| ACTIVATED.to_owned()),
        rejection_reason: None,
    };
    let contract = || BTreeMap::from([("contract".to_owned(), json!("requested through support"))]);
    let mut plan: Vec<(&str, Activation, Option<bool>)> = match index % 5 {
        0 => vec![
            (
                "mitid",
                record("activation_requested", registration(company, &[])),
                None,
            ),
            ("ftn", record("activation_processing", contract()), None),
            (
                "singpass",
                Activation {
                    rejection_reason: Some(
                        "The company registration number could not be verified; correct it and \
                         submit again"
                            .to_owned(),
                    ),
                    ..record("rejected", registration(company, &["registrationNumber"]))
                },
                None,
            ),
            (
                "spid-ig",
                record(
                    "not_activated",
                    registration(company, &["registrationNumber", "contactEmail"]),
                ),
                None,
            ),
            ("frejaid", record("activated", BTreeMap::new()), Some(true)),
        ],
        1 => vec![
            (
                "mitid",
                Activation {
                    rejection_reason: Some("The service address did not answer".to_owned()),
                    ..record("rejected", registration(company, &["serviceUrl"]))
                },
                None,
            ),
            (
                "id-austria",
                record("activation_requested", registration(company, &[])),
                None,
            ),
        ],
        3 => vec![
            ("ftn", record("activation_processing", contract()), None),
            (
                "ipin",
                record("activation_requested", registration(company, &[])),
                None,
            ),
        ],
        4 => vec![("bankidse", record("activated", contract()), Some(true))],
        _ => Vec::new(),
    };
    for (n, (_, activation, _)) in plan.iter_mut().enumerate() {
        if activation.status != "not_activated" {
            activation.id = format!(
                "act_{:04}{n:02}{}",
                index,
                &client_id[..client_id.len().min(4)]
            );
        }
    }
    for (provider, activation, enable) in plan {
        if let Some(enabled) = enable
            && let Some(app) = store.app_mut(client_id)
        {
            app.providers
                .insert(provider.to_owned(), json!({"enabled": enabled}));
        }
        store
            .activations
            .entry(client_id.to_owned())
            .or_default()
            .insert(provider.to_owned(), activation);
    }
}

/// Adds `count` plain apps named "Customer 00001" ... for list and load tests.
pub(crate) fn seed_generated(store: &mut Store, count: usize) {
    for i in 1..=count {
        let uris = vec![format!("https://customer{i}.example.com/callback")];
        store.create_app(&format!("Customer {i:05}"), uris, None);
    }
}

fn workflow(store: &mut Store, name: &str, entry: &str, nodes: Vec<Value>) -> Value {
    let now = iso_now();
    json!({"workflowId": store.new_id("wf_"), "name": name, "entryNodeId": entry,
           "nodes": nodes, "createdAt": now, "updatedAt": now})
}

/// request -> verification -> check-min-loa -> evaluate -> if (adult / minor / else) -> responses.
fn kyc_branching(store: &mut Store) -> Value {
    let nodes = vec![
        json!({"id": "nd_request", "type": "request", "next": "nd_verify"}),
        json!({"id": "nd_verify", "type": "verification", "next": "nd_min_loa",
               "config": {"channel": "oidc", "providers": ["passport", "smartid"],
                          "claims": ["name", "birthdate", "nationality"], "mode": "pii"}}),
        json!({"id": "nd_min_loa", "type": "check-min-loa", "next": "nd_evaluate", "config": {"minLoa": 2}}),
        json!({"id": "nd_evaluate", "type": "evaluate", "next": "nd_route",
               "config": {"rules": [{"field": "input.user.nationality", "operator": "exists", "value": true},
                                    {"field": "input.provenance.presentation.credentials.0.issuer.is_government",
                                     "operator": "eq", "value": true}],
                          "combine": "all", "output": "trusted"}}),
        json!({"id": "nd_route", "type": "if", "next": [
            {"condition": {"field": "input.loa", "operator": "gte", "value": 3}, "next": "nd_approve"},
            {"condition": {"field": "input.user.nationality", "operator": "eq", "value": "KR"}, "next": "nd_claim"},
            {"default": true, "next": "nd_reject"}
        ]}),
        json!({"id": "nd_claim", "type": "check-claim", "next": "nd_approve",
               "config": {"claim": "birthdate", "operator": "exists", "value": true}}),
        json!({"id": "nd_approve", "type": "response", "config": {"result": "approved"}}),
        json!({"id": "nd_reject", "type": "response", "config": {"result": "rejected"}}),
    ];
    workflow(
        store,
        "KYC with age and nationality routing",
        "nd_request",
        nodes,
    )
}

/// Deliberate lint problems: a `next` to a missing node, an unreachable node, an `if` without
/// routes, and a verification using a disabled provider.
fn with_problems(store: &mut Store) -> Value {
    let nodes = vec![
        json!({"id": "nd_start", "type": "request", "next": "nd_mitid"}),
        json!({"id": "nd_mitid", "type": "verification", "next": "nd_branch",
               "config": {"channel": "oidc", "providers": ["mitid"], "claims": ["name"], "mode": "pii"}}),
        json!({"id": "nd_branch", "type": "if", "next": []}),
        json!({"id": "nd_orphan", "type": "check-claim", "next": "nd_missing",
               "config": {"claim": "email", "operator": "exists", "value": true}}),
        json!({"id": "nd_done", "type": "response"}),
    ];
    workflow(store, "Broken draft (has problems)", "nd_start", nodes)
}

/// Lint example: the entry names a node that is not in the list.
fn entry_missing(store: &mut Store) -> Value {
    let nodes = vec![
        json!({"id": "nd_request", "type": "request", "next": "nd_verify"}),
        json!({"id": "nd_verify", "type": "verification", "next": "nd_done",
               "config": {"channel": "oidc", "providers": ["passport"], "claims": ["name"], "mode": "pii"}}),
        json!({"id": "nd_done", "type": "response"}),
    ];
    workflow(store, "Problem: entry node missing", "nd_start", nodes)
}

/// Lint examples: two nodes share an id, and a check loops back with no way out.
fn duplicates_and_closed_loop(store: &mut Store) -> Value {
    let nodes = vec![
        json!({"id": "nd_request", "type": "request", "next": "nd_verify"}),
        json!({"id": "nd_verify", "type": "verification", "next": "nd_claim",
               "config": {"channel": "oidc", "providers": ["passport"], "claims": ["email"], "mode": "pii"}}),
        json!({"id": "nd_claim", "type": "check-claim", "next": "nd_verify",
               "config": {"claim": "email", "operator": "exists", "value": true}}),
        json!({"id": "nd_request", "type": "response"}),
    ];
    workflow(
        store,
        "Problem: duplicate id and a loop with no way out",
        "nd_request",
        nodes,
    )
}

/// Lint examples: a branch that stops without a response, a route whose target cannot be
/// read, and a node type this console does not know.
fn dead_end_and_odd_routes(store: &mut Store) -> Value {
    let nodes = vec![
        json!({"id": "nd_request", "type": "request", "next": "nd_verify"}),
        json!({"id": "nd_verify", "type": "verification", "next": "nd_route",
               "config": {"channel": "oidc", "providers": ["passport"], "claims": ["birthdate"], "mode": "pii"}}),
        json!({"id": "nd_route", "type": "if", "next": [
            {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": "nd_ok"},
            {"condition": {"field": "input.loa", "operator": "lt", "value": 2}, "next": "nd_manual"},
            {"condition": {"field": "input.sub", "operator": "not_exists", "value": true}, "goTo": {"step": 4}}
        ]}),
        json!({"id": "nd_manual", "type": "manual-review", "next": "nd_evaluate",
               "config": {"queue": "support"}}),
        json!({"id": "nd_evaluate", "type": "evaluate",
               "config": {"rules": [{"field": "input.user.nationality", "operator": "eq", "value": "DK"}]}}),
        json!({"id": "nd_ok", "type": "response", "config": {"result": "approved"}}),
    ];
    workflow(
        store,
        "Problem: dead end, unreadable route, unknown type",
        "nd_request",
        nodes,
    )
}

/// A clean flow with a retry loop (a back edge that has a way out).
fn retry_loop(store: &mut Store) -> Value {
    let nodes = vec![
        json!({"id": "nd_request", "type": "request", "next": "nd_verify"}),
        json!({"id": "nd_verify", "type": "verification", "next": "nd_loa",
               "config": {"channel": "oidc", "providers": ["passport"], "claims": ["name", "birthdate"], "mode": "pii"}}),
        json!({"id": "nd_loa", "type": "if", "next": [
            {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": "nd_approve"},
            {"condition": {"field": "input.amr.0", "operator": "eq", "value": "retry"}, "next": "nd_verify"},
            {"default": true, "next": "nd_reject"}
        ]}),
        json!({"id": "nd_approve", "type": "response", "config": {"result": "approved"}}),
        json!({"id": "nd_reject", "type": "response", "config": {"result": "rejected"}}),
    ];
    workflow(store, "Retry verification once", "nd_request", nodes)
}

/// A 40-node flow: a chain of checks with a few branches, for layout and readability tests.
fn long_flow(store: &mut Store) -> Value {
    let mut nodes = vec![json!({"id": "n00", "type": "request", "next": "n01"})];
    let kinds = ["verification", "check-min-loa", "check-claim", "evaluate"];
    for i in 1..38 {
        let id = format!("n{i:02}");
        let next = format!("n{:02}", i + 1);
        if i % 9 == 0 {
            nodes.push(json!({"id": id, "type": "if", "next": [
                {"condition": {"field": "input.loa", "operator": "gte", "value": 2}, "next": next},
                {"default": true, "next": "n39"}
            ]}));
        } else {
            let kind = kinds[i % kinds.len()];
            let config = match kind {
                "verification" => {
                    json!({"channel": "oidc", "providers": ["passport"], "claims": ["name"], "mode": "pii"})
                }
                "check-min-loa" => json!({"minLoa": 1 + i % 3}),
                "check-claim" => json!({"claim": "birthdate", "operator": "exists", "value": true}),
                _ => {
                    json!({"rules": [{"field": "input.sub", "operator": "exists", "value": true}]})
                }
            };
            nodes.push(json!({"id": id, "type": kind, "next": next, "config": config}));
        }
    }
    nodes.push(json!({"id": "n38", "type": "response", "config": {"result": "approved"}}));
    nodes.push(json!({"id": "n39", "type": "response", "config": {"result": "rejected"}}));
    workflow(store, "Enterprise onboarding (40 steps)", "n00", nodes)
}

/// The node-type catalog served at `/apps/{id}/workflows/node-types`.
pub(crate) fn node_type_catalog() -> Value {
    crate::workflow::edit::documented_catalog()
}
