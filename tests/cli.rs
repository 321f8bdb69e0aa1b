//! The command line end to end: the real binary against the sandbox on 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;
use std::time::Duration;

use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use serde_json::Value;
use tokio::io::AsyncBufReadExt as _;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");

async fn run(sandbox: Option<&RunningSandbox>, args: &[&str]) -> Output {
    common::run_cli(sandbox, args).await
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn apps_list_prints_demo_apps_as_json_and_as_a_table() {
    let sandbox = common::start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await;
    let output = run(Some(&sandbox), &["apps", "list", "--json"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let apps: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(apps.len(), 20);
    assert!(
        apps.iter()
            .all(|a| a["clientId"].is_string() && a.get("clientSecret").is_none())
    );
    assert!(apps.iter().any(|a| a["name"] == "한빛은행 본인확인"));

    let output = run(Some(&sandbox), &["apps", "list", "--search", "さくら"]).await;
    let text = stdout(&output);
    assert!(text.starts_with("CLIENT ID"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("さくら証券 口座開設"));
}

#[tokio::test]
async fn create_rename_rotate_and_workflows() {
    let sandbox = common::start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await;
    let output = run(Some(&sandbox), &["apps", "create", "CLI App", "--json"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let app: Value = serde_json::from_slice(&output.stdout).unwrap();
    let id = app["clientId"].as_str().unwrap().to_owned();
    assert_eq!(app["clientSecret"].as_str().unwrap().len(), 64);
    assert!(stderr(&output).contains("shown only once"));

    // A redirect URI goes with the create; a bad one is refused before anything is sent.
    let before = sandbox.app_count();
    let output = run(
        Some(&sandbox),
        &[
            "apps",
            "create",
            "CLI Bad URI",
            "--redirect-uri",
            "http://plain.example/cb",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--redirect-uri"),
        "{}",
        stderr(&output)
    );
    assert_eq!(sandbox.app_count(), before);
    let output = run(
        Some(&sandbox),
        &[
            "apps",
            "create",
            "CLI With URI",
            "--redirect-uri",
            "https://cli.example/cb",
            "--json",
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let with_uri: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        with_uri["redirectUris"],
        serde_json::json!(["https://cli.example/cb"])
    );

    let output = run(Some(&sandbox), &["apps", "rename", &id, "CLI App 2"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("CLI App 2"));

    let output = run(Some(&sandbox), &["apps", "rotate-secret", &id, "--json"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let rotated: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_ne!(rotated["clientSecret"], app["clientSecret"]);

    let output = run(Some(&sandbox), &["apps", "get", &id]).await;
    let text = stdout(&output);
    assert!(
        text.contains("CLI App 2") && text.contains("*** (hidden)"),
        "{text}"
    );
    assert!(!text.contains(rotated["clientSecret"].as_str().unwrap()));

    let output = run(Some(&sandbox), &["workflows", "list", &id, "--json"]).await;
    let workflows: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(workflows.len(), 1);
    assert_eq!(workflows[0]["nodes"].as_array().unwrap().len(), 3);
    let output = run(Some(&sandbox), &["workflows", "list", &id]).await;
    assert!(stdout(&output).contains("WORKFLOW ID"));
}

#[tokio::test]
async fn failures_are_one_line_with_request_id_and_exit_1() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let output = run(Some(&sandbox), &["apps", "get", "NoSuchAp"]).await;
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("request id"),
        "{err}"
    );
    assert!(output.stdout.is_empty());

    let output = run(None, &["apps", "list"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("CONNECT_API_KEY"));

    let output = run(
        None,
        &[
            "apps",
            "list",
            "--base-url",
            "http://example.com/connect/v1",
            "--api-key",
            "sk_workspace_test_FAKE",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("https://"));

    let output = run(
        None,
        &[
            "apps",
            "list",
            "--base-url",
            "https://sandbox.api.hopae.com/connect/v1",
            "--api-key",
            "sk_workspace_prod_FAKE",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("production key"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn sandbox_command_prints_its_address_first() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--port", "0", "--demo", "--seed", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the sandbox prints within 30 s")
        .unwrap()
        .unwrap();
    let base = first.strip_prefix("listening on ").expect(&first);
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/connect/v1"),
        "{first}"
    );
    let output = Command::new(BIN)
        .args([
            "apps",
            "list",
            "--json",
            "--base-url",
            base,
            "--api-key",
            "sk_workspace_test_demo",
        ])
        .output()
        .await
        .unwrap();
    let apps: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(apps.len(), 20);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["apps", "--help"],
        vec!["apps", "list", "--help"],
        vec!["apps", "get", "--help"],
        vec!["apps", "create", "--help"],
        vec!["apps", "rename", "--help"],
        vec!["apps", "rotate-secret", "--help"],
        vec!["workflows", "list", "--help"],
        vec!["workflows", "simulate", "--help"],
        vec!["sandbox", "--help"],
    ] {
        let output = run(None, &args).await;
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}
