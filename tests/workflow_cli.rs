//! `workflows show` end to end (the real binary against the sandbox on 127.0.0.1), and the
//! demo data: between them its workflows show every lint rule, and the showcase flows are clean.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::process::Output;

use connect_console::sandbox::RunningSandbox;
use connect_console::workflow::{Graph, ProviderState, Rule, lint};

async fn run(sandbox: &RunningSandbox, args: &[&str]) -> Output {
    common::run_cli(Some(sandbox), args).await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn show_prints_the_default_workflow_nodes_in_order() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let output = run(&sandbox, &["workflows", "show", &apps[0].client_id]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("\"Default\" (default): 3 node(s)"),
        "{stdout}"
    );
    let request = stdout.find("Request").unwrap();
    let verify = stdout
        .find("Verify with passport: name, given_name")
        .unwrap();
    let response = stdout.find("Respond to the relying party").unwrap();
    assert!(request < verify && verify < response, "{stdout}");

    let by_name = run(
        &sandbox,
        &[
            "workflows",
            "show",
            &apps[0].client_id,
            "kyc with age and nationality routing",
        ],
    )
    .await;
    let stdout = text(&by_name.stdout);
    assert!(stdout.contains("If input.loa >= 3 (3 routes)"), "{stdout}");
    assert!(stdout.contains("otherwise -> nd_reject"), "{stdout}");

    let unknown = run(&sandbox, &["workflows", "show", &apps[0].client_id, "nope"]).await;
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("no workflow with id or name \"nope\""));
}

#[tokio::test]
async fn lint_exits_1_on_errors_and_0_when_clean() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let broken = run(
        &sandbox,
        &[
            "workflows",
            "show",
            &apps[1].client_id,
            "Broken draft (has problems)",
            "--lint",
        ],
    )
    .await;
    assert_eq!(broken.status.code(), Some(1));
    let stdout = text(&broken.stdout);
    assert!(
        stdout.contains("\"nd_orphan\" goes to \"nd_missing\", which does not exist"),
        "{stdout}"
    );
    assert!(stdout.contains("warning"), "{stdout}");
    assert!(text(&broken.stderr).contains("3 error(s)"));

    let kyc = run(
        &sandbox,
        &[
            "workflows",
            "show",
            &apps[0].client_id,
            "KYC with age and nationality routing",
            "--lint",
        ],
    )
    .await;
    assert!(kyc.status.success(), "{}", text(&kyc.stdout));
    assert!(text(&kyc.stdout).contains("No problems found"));
}

#[tokio::test]
async fn dot_output_is_a_digraph_with_route_labels() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let output = run(
        &sandbox,
        &[
            "workflows",
            "show",
            &apps[0].client_id,
            "KYC with age and nationality routing",
            "--dot",
        ],
    )
    .await;
    assert!(output.status.success());
    let dot = text(&output.stdout);
    assert!(dot.starts_with("digraph \"KYC with age and nationality routing\" {"));
    assert!(dot.contains("[label=\"input.loa >= 3\"]"));
    assert!(dot.trim_end().ends_with('}'));
    let both = run(
        &sandbox,
        &["workflows", "show", &apps[0].client_id, "--dot", "--lint"],
    )
    .await;
    assert_eq!(
        both.status.code(),
        Some(2),
        "clap refuses --dot with --lint"
    );
}

#[tokio::test]
async fn demo_workflows_show_every_lint_rule_and_the_showcase_flows_are_clean() {
    let (_sandbox, apps) = common::demo_sandbox().await;
    let mut seen = HashSet::new();
    for app in &apps {
        for workflow in &app.workflows {
            let findings = lint(workflow, &Graph::build(workflow), &ProviderState::of(app));
            let clean =
                !workflow.name.starts_with("Problem") && !workflow.name.starts_with("Broken");
            assert_eq!(
                findings.is_empty(),
                clean,
                "{}: {findings:?}",
                workflow.name
            );
            seen.extend(findings.iter().map(|f| f.rule));
        }
    }
    for rule in [
        Rule::EntryMissing,
        Rule::DuplicateId,
        Rule::MissingTarget,
        Rule::RouteWithoutTarget,
        Rule::Unreachable,
        Rule::NoResponse,
        Rule::CycleWithoutExit,
        Rule::IfWithoutRoutes,
        Rule::ProviderNotEnabled,
        Rule::UnknownType,
    ] {
        assert!(seen.contains(&rule), "no demo workflow shows {rule:?}");
    }
    // The showcase flows the issue asks for.
    let names: Vec<&str> = apps
        .iter()
        .flat_map(|a| &a.workflows)
        .map(|w| w.name.as_str())
        .collect();
    assert!(names.contains(&"KYC with age and nationality routing"));
    assert!(names.contains(&"Retry verification once"));
    assert!(apps[2].workflows.iter().any(|w| w.nodes.len() == 40));
    assert_eq!(apps[5].workflows[0].nodes.len(), 3);
}

/// The sandbox creates and changes workflows by the documented rules: the entry node must be
/// one of the nodes, a verification's providers must be enabled on the app, ids are unique,
/// an `Idempotency-Key` replays the same workflow, and a PATCH is checked as a whole.
#[tokio::test]
async fn the_sandbox_creates_and_updates_workflows_by_the_documented_rules() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let id = &apps[0].client_id;
    let post = |body: serde_json::Value, key: &str| {
        common::raw()
            .post(common::url(&sandbox, &format!("apps/{id}/workflows")))
            .bearer_auth(common::KEY)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let nodes = serde_json::json!([
        {"id": "nd_a", "type": "request", "next": "nd_b"},
        {"id": "nd_b", "type": "verification", "next": "nd_c",
         "config": {"providers": ["passport"], "claims": ["name"]}},
        {"id": "nd_c", "type": "response"}
    ]);
    let good = serde_json::json!({"name": "Copy", "entryNodeId": "nd_a", "nodes": nodes});
    let created = post(good.clone(), "wf-create-1").await.unwrap();
    assert_eq!(created.status(), 201);
    assert!(created.headers().get("location").is_some());
    let created: serde_json::Value = created.json().await.unwrap();
    let workflow_id = created["workflowId"].as_str().unwrap().to_owned();
    assert!(workflow_id.starts_with("wf_"));
    // The same key again: the same workflow, not a second one.
    let replay: serde_json::Value = post(good, "wf-create-1")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(replay["workflowId"], workflow_id.as_str());

    for (body, parameter) in [
        (
            serde_json::json!({"name": "X", "entryNodeId": "nd_zz", "nodes": nodes}),
            "entryNodeId",
        ),
        (
            serde_json::json!({"name": "X", "nodes": nodes}),
            "entryNodeId",
        ),
        (
            serde_json::json!({"name": "X", "entryNodeId": "nd_a", "nodes": [
                {"id": "nd_a", "type": "verification",
                 "config": {"providers": ["not_enabled_anywhere"]}}]}),
            "nodes[0].config",
        ),
        (
            serde_json::json!({"name": "X", "entryNodeId": "nd_a", "nodes": [
                {"id": "nd_a", "type": "request"}, {"id": "nd_a", "type": "response"}]}),
            "nodes[1].id",
        ),
        (
            serde_json::json!({"name": "X", "entryNodeId": "nd_a", "nodes": [
                {"id": "nd_a", "type": "teleport"}]}),
            "nodes[0].type",
        ),
    ] {
        let refused = post(body, &connect_console::api::new_idempotency_key())
            .await
            .unwrap();
        assert_eq!(refused.status(), 400, "{parameter}");
        let error: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(error["error"]["details"]["parameter"], parameter, "{error}");
    }

    // A PATCH renames and moves the entry; one naming no node is refused and changes nothing.
    let patch = |body: serde_json::Value| {
        common::raw()
            .patch(common::url(
                &sandbox,
                &format!("apps/{id}/workflows/{workflow_id}"),
            ))
            .bearer_auth(common::KEY)
            .json(&body)
            .send()
    };
    let refused = patch(serde_json::json!({"name": "Renamed", "entryNodeId": "nd_gone"}))
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let changed = patch(serde_json::json!({"name": "Renamed", "entryNodeId": "nd_b"}))
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let changed: serde_json::Value = changed.json().await.unwrap();
    assert_eq!(changed["name"], "Renamed");
    assert_eq!(changed["entryNodeId"], "nd_b");
    assert_eq!(changed["nodes"], created["nodes"]);

    // At most 100 workflows per app: the app has some already; fill it, then one more fails.
    let simple = serde_json::json!({"name": "Filler", "entryNodeId": "nd_a",
        "nodes": [{"id": "nd_a", "type": "response"}]});
    let mut made = 0;
    loop {
        let response = post(simple.clone(), &connect_console::api::new_idempotency_key())
            .await
            .unwrap();
        if response.status() != 201 {
            let error: serde_json::Value = response.json().await.unwrap();
            assert_eq!(error["error"]["code"], "WORKFLOW_LIMIT_EXCEEDED", "{error}");
            break;
        }
        made += 1;
        assert!(made <= 100, "the limit was never reached");
    }
    let listed: Vec<serde_json::Value> = common::raw()
        .get(common::url(&sandbox, &format!("apps/{id}/workflows")))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 100);
}

/// `workflows create` and `update` lint first (an error: nothing sent, exit 1), then go through
/// the shared write path and its activity log; `node-types` lists the seven types.
#[tokio::test]
async fn create_update_and_node_types_from_the_command_line() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let id = apps[0].client_id.clone();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");
    let log_text = log.display().to_string();
    let env = [("CONNECT_ACTIVITY_LOG", log_text.as_str())];
    let file = dir.path().join("workflow.json");
    let count = || async {
        common::client(&sandbox)
            .list_workflows(&id)
            .await
            .unwrap()
            .len()
    };
    let before = count().await;

    // An entry node that does not exist is a lint error: refused before sending.
    std::fs::write(
        &file,
        r#"{"name": "Broken", "entryNodeId": "nd_nowhere",
            "nodes": [{"id": "nd_a", "type": "response"}]}"#,
    )
    .unwrap();
    let path = file.display().to_string();
    let output = common::run_cli_with(
        Some(&sandbox),
        &["workflows", "create", &id, "--file", &path],
        &env,
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
    assert!(
        text(&output.stderr).contains("nothing was sent"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(count().await, before);

    std::fs::write(
        &file,
        r#"{"name": "Simple", "entryNodeId": "nd_a",
            "nodes": [{"id": "nd_a", "type": "request", "next": "nd_b"},
                      {"id": "nd_b", "type": "verification", "next": "nd_c",
                       "config": {"providers": ["passport"], "claims": ["name"]}},
                      {"id": "nd_c", "type": "response", "config": {"result": "approved"}}]}"#,
    )
    .unwrap();
    let output = common::run_cli_with(
        Some(&sandbox),
        &["workflows", "create", &id, "--file", &path, "--json"],
        &env,
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let created: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let workflow_id = created["workflowId"].as_str().unwrap().to_owned();
    assert_eq!(count().await, before + 1);

    // Update: the same file under another name.
    std::fs::write(
        &file,
        r#"{"name": "Simple v2", "entryNodeId": "nd_a",
            "nodes": [{"id": "nd_a", "type": "request", "next": "nd_c"},
                      {"id": "nd_c", "type": "response", "config": {"result": "approved"}}]}"#,
    )
    .unwrap();
    let output = common::run_cli_with(
        Some(&sandbox),
        &["workflows", "update", &id, &workflow_id, "--file", &path],
        &env,
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("\"Simple v2\""),
        "{}",
        text(&output.stdout)
    );
    let listed = common::client(&sandbox).list_workflows(&id).await.unwrap();
    let changed = listed
        .iter()
        .find(|w| w.workflow_id == workflow_id)
        .unwrap();
    assert_eq!(changed.name, "Simple v2");
    assert_eq!(changed.nodes.len(), 2);

    // Both writes are in the activity log.
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("\"create-workflow\""), "{logged}");
    assert!(logged.contains("\"update-workflow\""), "{logged}");

    let output = run(&sandbox, &["workflows", "node-types", &id, "--json"]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let types: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(types.len(), 7);
    let output = run(&sandbox, &["workflows", "node-types", &id]).await;
    assert!(text(&output.stdout).contains("check-min-loa"));
}
