//! `workflows simulate` end to end: the real binary on workflow files in a temporary folder
//! (the --json shape, the trace in words, every outcome exiting 0, files it cannot use exiting
//! 1 with one sentence), and an app's workflow fetched from the sandbox on 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

/// Runs the binary with no connection configured: `--file` needs none.
fn cli(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_connect-console"))
        .args(args)
        .env_remove("CONNECT_BASE_URL")
        .env_remove("CONNECT_API_KEY")
        .env("CONNECT_ACTIVITY_LOG", common::ACTIVITY_LOG)
        .output()
        .expect("the command runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

fn kyc() -> Value {
    json!({"workflowId": "wf_kyc", "name": "KYC", "entryNodeId": "nd_request", "nodes": [
        {"id": "nd_request", "type": "request", "next": "nd_verify"},
        {"id": "nd_verify", "type": "verification", "next": "nd_min_loa"},
        {"id": "nd_min_loa", "type": "check-min-loa", "next": "nd_route", "config": {"min_loa": 2}},
        {"id": "nd_route", "type": "if", "next": [
            {"default": true, "next": "nd_reject"},
            {"condition": {"field": "input.loa", "operator": "gte", "value": 3}, "next": "nd_approve"},
            {"condition": {"all": [
                {"field": "input.user.nationality", "operator": "eq", "value": "KR"},
                {"field": "input.amr.0", "operator": "exists", "value": true}]}, "next": "nd_claim"}
        ]},
        {"id": "nd_claim", "type": "check-claim", "next": "nd_approve", "config": {"claim": "birthdate"}},
        {"id": "nd_approve", "type": "response", "config": {"result": "approved"}},
        {"id": "nd_reject", "type": "response", "config": {"result": "rejected"}}
    ]})
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str, value: &Value) -> String {
        write(self.dir.path(), name, value).display().to_string()
    }

    /// `--json` output of simulating `workflow` with `user`; the run must exit 0.
    fn json(&self, workflow: &Value, user: &Value, more: &[&str]) -> Value {
        let output = self.run(workflow, user, &[&["--json"][..], more].concat());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }

    fn run(&self, workflow: &Value, user: &Value, more: &[&str]) -> Output {
        let wf = self.path("workflow.json", workflow);
        let input = self.path("user.json", user);
        let args = [
            &["workflows", "simulate", "--file", &wf, "--input", &input][..],
            more,
        ]
        .concat();
        cli(&args)
    }
}

#[test]
fn json_gives_outcome_path_end_response_and_steps() {
    let files = Files::new();
    let approved = files.json(&kyc(), &json!({"loa": 3}), &[]);
    assert_eq!(
        approved,
        json!({
            "outcome": "completed",
            "path": ["nd_request", "nd_verify", "nd_min_loa", "nd_route", "nd_approve"],
            "endedAt": "nd_approve",
            "response": {"result": "approved"},
            "steps": [
                {"node": "nd_request", "type": "request", "result": "passed", "route": null,
                 "reason": "the request starts here"},
                {"node": "nd_verify", "type": "verification", "result": "passed", "route": null,
                 "reason": "the userinfo becomes input"},
                {"node": "nd_min_loa", "type": "check-min-loa", "result": "passed", "route": null,
                 "reason": "input.loa is 3, needs 2 or more"},
                {"node": "nd_route", "type": "if", "result": "passed", "route": "input.loa >= 3",
                 "reason": "input.loa is 3, needs 3 or more"},
                {"node": "nd_approve", "type": "response", "result": "completed", "route": null,
                 "reason": "responds with {\"result\":\"approved\"}"}
            ]
        })
    );

    let low = files.json(&kyc(), &json!({"loa": 1}), &[]);
    assert_eq!(low["outcome"], "rejected");
    assert_eq!(low["endedAt"], "nd_min_loa");
    assert_eq!(low["response"], Value::Null);
    assert_eq!(low["steps"][2]["reason"], "input.loa is 1, needs 2 or more");

    // The default route stands first but is taken only when nothing else holds.
    let korean = json!({"loa": 2, "amr": ["pwd"], "birthdate": "1990-01-01",
                        "user": {"nationality": "KR"}});
    let routed = files.json(&kyc(), &korean, &[]);
    assert_eq!(
        routed["path"],
        json!([
            "nd_request",
            "nd_verify",
            "nd_min_loa",
            "nd_route",
            "nd_claim",
            "nd_approve"
        ])
    );
    assert_eq!(
        routed["steps"][3]["route"],
        "input.user.nationality = KR and input.amr.0 exists"
    );
    let swede = files.json(
        &kyc(),
        &json!({"loa": 2, "user": {"nationality": "SE"}}),
        &[],
    );
    assert_eq!(swede["outcome"], "completed");
    assert_eq!(swede["response"], json!({"result": "rejected"}));
    assert_eq!(swede["steps"][3]["route"], "otherwise");
}

#[test]
fn without_json_a_numbered_trace_in_words() {
    let files = Files::new();
    let low = files.run(&kyc(), &json!({"loa": 1}), &[]);
    assert_eq!(low.status.code(), Some(0));
    let lines: Vec<String> = text(&low.stdout).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            "1. Request: the request starts here → nd_verify",
            "2. Verification: the userinfo becomes input → nd_min_loa",
            "3. Check minimum LoA: input.loa is 1, needs 2 or more → rejected",
            "→ Response: rejected at nd_min_loa",
        ]
    );
    let swede = files.run(
        &kyc(),
        &json!({"loa": 2, "user": {"nationality": "SE"}}),
        &[],
    );
    let stdout = text(&swede.stdout);
    assert!(
        stdout.contains(r#"input.user.nationality is "SE", not "KR""#),
        "{stdout}"
    );
    assert!(
        stdout.contains("→ nd_reject by route 1 (otherwise)"),
        "{stdout}"
    );
    assert!(stdout.ends_with("→ Response: rejected\n"), "{stdout}");
}

#[test]
fn every_outcome_exits_0() {
    let files = Files::new();
    let user = json!({"loa": 2});
    let stuck = json!({"entryNodeId": "a", "nodes": [
        {"id": "a", "type": "request", "next": "gone"}]});
    let invalid = json!({"entryNodeId": "a", "nodes": [
        {"id": "a", "type": "request", "next": "m"}, {"id": "m", "type": "manual-review"}]});
    let looping = json!({"entryNodeId": "a", "nodes": [
        {"id": "a", "type": "verification", "next": "b"},
        {"id": "b", "type": "if", "next": [
            {"condition": {"field": "input.loa", "operator": "lt", "value": 5}, "next": "a"}]}]});
    for (workflow, outcome, ended) in [
        (stuck, "stuck", json!("a")),
        (invalid, "invalid", json!("m")),
        (looping, "loop", json!("b")),
    ] {
        let result = files.json(&workflow, &user, &[]);
        assert_eq!(result["outcome"], outcome);
        assert_eq!(result["endedAt"], ended);
        let words = files.run(&workflow, &user, &[]);
        assert_eq!(words.status.code(), Some(0));
        let last = text(&words.stdout).lines().last().unwrap().to_owned();
        assert!(
            last.starts_with(&format!("→ Response: {outcome}")),
            "{last}"
        );
    }
    let looped = files.json(
        &json!({"entryNodeId": "a", "nodes": [{"id": "a", "type": "request", "next": "a"}]}),
        &user,
        &[],
    );
    assert_eq!(looped["path"].as_array().unwrap().len(), 1000);
}

#[test]
fn a_mock_gives_one_verification_node_another_userinfo() {
    let files = Files::new();
    let mock = files.path("mock.json", &json!({"loa": 1}));
    let unused = files.path("unused.json", &json!({"loa": 9}));
    let output = files.run(
        &kyc(),
        &json!({"loa": 3}),
        &[
            "--json",
            "--mock",
            &format!("nd_verify={mock}"),
            "--mock",
            &format!("nd_route={unused}"),
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["outcome"], "rejected");
    assert_eq!(
        result["steps"][1]["reason"],
        "the mock userinfo for this node becomes input"
    );
    assert!(text(&output.stderr).contains("no verification node \"nd_route\""));
}

#[test]
fn files_it_cannot_use_exit_1_with_one_sentence() {
    let files = Files::new();
    let good_workflow = files.path("good.json", &kyc());
    let good_user = files.path("user.json", &json!({"loa": 2}));
    let list = files.path("list.json", &json!([1, 2]));
    let no_nodes = files.path("no-nodes.json", &json!({"name": "x"}));
    let broken = files.dir.path().join("broken.json");
    std::fs::write(&broken, "{\"nodes\": [").unwrap();
    let broken = broken.display().to_string();
    let missing = files.dir.path().join("missing.json").display().to_string();
    let cases: [(&[&str], &str); 7] = [
        (
            &["--file", &missing, "--input", &good_user],
            "Could not read the workflow file",
        ),
        (
            &["--file", &broken, "--input", &good_user],
            "is not valid JSON",
        ),
        (
            &["--file", &list, "--input", &good_user],
            "does not hold a workflow",
        ),
        (
            &["--file", &no_nodes, "--input", &good_user],
            "does not hold a workflow",
        ),
        (
            &["--file", &good_workflow, "--input", &list],
            "must hold a JSON object",
        ),
        (
            &["--file", &good_workflow, "--input", &missing],
            "Could not read the userinfo file",
        ),
        (
            &[
                "--file",
                &good_workflow,
                "--input",
                &good_user,
                "--mock",
                &format!("nd_verify={broken}"),
            ],
            "is not valid JSON",
        ),
    ];
    for (args, expected) in cases {
        let output = cli(&[&["workflows", "simulate"], args].concat());
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = text(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn an_apps_workflow_is_fetched_from_the_sandbox() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let files = Files::new();
    let user = files.path(
        "user.json",
        &json!({"loa": 2, "birthdate": "1990-01-01", "user": {"nationality": "KR"},
                "provenance": {"presentation": {"credentials": [{"issuer": {"is_government": true}}]}}}),
    );
    let app = apps[0].client_id.as_str();
    let output = common::run_cli(
        Some(&sandbox),
        &[
            "workflows",
            "simulate",
            app,
            "KYC with age and nationality routing",
            "--input",
            &user,
            "--json",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["outcome"], "completed");
    assert_eq!(
        result["path"],
        json!([
            "nd_request",
            "nd_verify",
            "nd_min_loa",
            "nd_evaluate",
            "nd_route",
            "nd_claim",
            "nd_approve"
        ])
    );
    assert_eq!(result["steps"][4]["route"], "input.user.nationality = KR");
    assert_eq!(result["response"], json!({"result": "approved"}));

    // Without a workflow named: the app's default one, in words.
    let default = common::run_cli(
        Some(&sandbox),
        &["workflows", "simulate", app, "--input", &user],
    )
    .await;
    assert_eq!(default.status.code(), Some(0), "{}", text(&default.stderr));
    let stdout = text(&default.stdout);
    assert!(stdout.starts_with("1. Request: "), "{stdout}");
    assert!(stdout.contains("→ Response: "), "{stdout}");

    // A workflow the app does not have is an error, as for `workflows show`.
    let unknown = common::run_cli(
        Some(&sandbox),
        &["workflows", "simulate", app, "nope", "--input", &user],
    )
    .await;
    assert_eq!(unknown.status.code(), Some(1));
    assert!(text(&unknown.stderr).contains("no workflow with id or name \"nope\""));
}
