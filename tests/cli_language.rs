//! The command line's language end to end: the real binary, against the sandbox on 127.0.0.1
//! or with no workspace at all. Errors, messages and tables follow `--lang`, then
//! `CONNECT_LANG`, then the system's language (English where the catalogs have none), while
//! `--json` output stays the same byte for byte.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::Duration;

use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use serde_json::{Value, json};

/// The variables that choose a language. Every run starts without them, so the language of
/// whoever runs the tests changes nothing; a test sets the ones it is about.
const LANGUAGE_VARS: [&str; 5] = ["CONNECT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"];

/// The English sentence of `apps list` without a workspace, made by the command line itself.
const NOT_CONFIGURED: &str = "No workspace is configured";

/// Runs the binary with `args` and `env`, pointed at `sandbox` (or at no workspace), for at
/// most a minute.
async fn run(sandbox: Option<&RunningSandbox>, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_connect-console"));
    command
        .args(args)
        .env_remove("CONNECT_BASE_URL")
        .env_remove("CONNECT_API_KEY")
        .env_remove("CONNECT_BACKEND")
        .env_remove("ZITADEL_PROJECT_ID")
        .env("CONNECT_ACTIVITY_LOG", common::ACTIVITY_LOG)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    for var in LANGUAGE_VARS {
        command.env_remove(var);
    }
    if let Some(sandbox) = sandbox {
        command
            .env("CONNECT_BASE_URL", sandbox.base_url())
            .env("CONNECT_API_KEY", common::KEY);
    }
    command.envs(env.iter().copied());
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the command finishes within a minute")
        .expect("the command runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// `apps list` without a workspace: an error sentence the command line makes itself.
async fn not_configured_error(env: &[(&str, &str)], args: &[&str]) -> String {
    let args: Vec<&str> = args.iter().copied().chain(["apps", "list"]).collect();
    let output = run(None, &args, env).await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    stderr(&output)
}

/// Asserts that `text` is the not-configured error in Korean, not in English.
fn assert_korean_error(text: &str) {
    assert!(text.starts_with("오류: "), "{text}");
    assert!(has_hangul(text), "{text}");
    assert!(!text.contains(NOT_CONFIGURED), "{text}");
    assert!(!text.contains("error:"), "{text}");
}

fn assert_english_error(text: &str) {
    assert!(text.starts_with("error: "), "{text}");
    assert!(text.contains(NOT_CONFIGURED), "{text}");
    assert!(!has_hangul(text), "{text}");
}

async fn demo_sandbox() -> RunningSandbox {
    common::start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await
}

#[tokio::test]
async fn lang_ko_prints_errors_messages_and_tables_in_korean() {
    let sandbox = demo_sandbox().await;

    // An app that is not there: the error line is Korean, not the English one.
    let english = run(
        Some(&sandbox),
        &["--lang", "en", "apps", "get", "NOPE0000"],
        &[],
    )
    .await;
    let korean = run(
        Some(&sandbox),
        &["--lang", "ko", "apps", "get", "NOPE0000"],
        &[],
    )
    .await;
    assert_eq!(english.status.code(), Some(1));
    assert_eq!(korean.status.code(), Some(1));
    let (english, korean) = (stderr(&english), stderr(&korean));
    assert!(english.starts_with("error: "), "{english}");
    assert!(english.contains("NOPE0000"), "{english}");
    assert!(
        english.contains("It may have been removed; refresh the list"),
        "{english}"
    );
    assert!(korean.starts_with("오류: "), "{korean}");
    assert!(has_hangul(&korean), "{korean}");
    assert!(korean.contains("NOPE0000"), "{korean}");
    assert!(!korean.contains("error:"), "{korean}");
    assert!(
        !korean.contains("It may have been removed; refresh the list"),
        "{korean}"
    );

    // A sentence of the command line's own is wholly Korean.
    assert_korean_error(&not_configured_error(&[], &["--lang", "ko"]).await);
    assert_english_error(&not_configured_error(&[], &["--lang", "en"]).await);

    // The table's header and the count under it follow the language; the rows are the apps.
    let english = run(Some(&sandbox), &["--lang", "en", "apps", "list"], &[]).await;
    let korean = run(Some(&sandbox), &["--lang", "ko", "apps", "list"], &[]).await;
    assert!(korean.status.success(), "{}", stderr(&korean));
    assert!(
        stdout(&english).starts_with("CLIENT ID"),
        "{}",
        stdout(&english)
    );
    assert!(
        stdout(&korean).starts_with("클라이언트 ID"),
        "{}",
        stdout(&korean)
    );
    assert_eq!(
        stdout(&korean).lines().count(),
        stdout(&english).lines().count()
    );
    assert!(stdout(&korean).contains("한빛은행 본인확인"));
    assert_eq!(stderr(&english).trim(), "20 app(s)");
    assert!(has_hangul(&stderr(&korean)), "{}", stderr(&korean));
    assert!(!stderr(&korean).contains("app(s)"), "{}", stderr(&korean));
}

#[tokio::test]
async fn connect_lang_and_the_system_language_choose_korean() {
    assert_korean_error(&not_configured_error(&[("CONNECT_LANG", "ko")], &[]).await);
    // --lang comes before CONNECT_LANG.
    assert_english_error(&not_configured_error(&[("CONNECT_LANG", "ko")], &["--lang", "en"]).await);
    assert_korean_error(&not_configured_error(&[("CONNECT_LANG", "en")], &["--lang", "ko"]).await);

    // The system's language, where it is read from the environment (not macOS or Windows,
    // which ask the operating system).
    if cfg!(not(any(target_os = "macos", target_os = "windows"))) {
        assert_korean_error(&not_configured_error(&[("LANG", "ko_KR.UTF-8")], &[]).await);
        // CONNECT_LANG comes before the system's language.
        assert_english_error(
            &not_configured_error(&[("LANG", "ko_KR.UTF-8"), ("CONNECT_LANG", "en")], &[]).await,
        );
    }
}

#[tokio::test]
async fn an_unknown_system_language_falls_back_to_english() {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return;
    }
    assert_english_error(&not_configured_error(&[("LANG", "de_DE.UTF-8")], &[]).await);
    assert_english_error(&not_configured_error(&[("LC_ALL", "fr_FR.UTF-8")], &[]).await);
    // A language the catalogs do not hold in CONNECT_LANG is no choice at all: the system's
    // (English here) is used.
    assert_english_error(&not_configured_error(&[("CONNECT_LANG", "de")], &[]).await);
}

/// Runs `args` with `--lang en` and with `--lang ko` and asserts that both succeed with the
/// same stdout, byte for byte; returns the Korean run's stderr.
async fn same_json(sandbox: Option<&RunningSandbox>, args: &[&str]) -> String {
    let with = |lang: &'static str| -> Vec<&str> {
        ["--lang", lang]
            .into_iter()
            .chain(args.iter().copied())
            .collect()
    };
    let english = run(sandbox, &with("en"), &[]).await;
    let korean = run(sandbox, &with("ko"), &[]).await;
    assert_eq!(
        english.status.code(),
        korean.status.code(),
        "{args:?}: {} / {}",
        stderr(&english),
        stderr(&korean)
    );
    assert!(!english.stdout.is_empty(), "{args:?}: {}", stderr(&english));
    serde_json::from_slice::<Value>(&english.stdout).expect("--json prints JSON");
    assert!(
        english.stdout == korean.stdout,
        "{args:?}: --json differs between en and ko:\n{}\n---\n{}",
        stdout(&english),
        stdout(&korean)
    );
    stderr(&korean)
}

#[tokio::test]
async fn json_output_is_the_same_in_every_language() {
    let sandbox = demo_sandbox().await;
    let output = run(Some(&sandbox), &["apps", "list", "--json"], &[]).await;
    let apps: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let id = apps[0]["clientId"].as_str().unwrap().to_owned();

    same_json(Some(&sandbox), &["apps", "list", "--json"]).await;
    same_json(Some(&sandbox), &["apps", "get", &id, "--json"]).await;
    same_json(Some(&sandbox), &["workflows", "list", &id, "--json"]).await;
    same_json(Some(&sandbox), &["apps", "providers", &id, "--json"]).await;
    same_json(Some(&sandbox), &["apps", "webhook", &id, "--json"]).await;

    // An import's rows carry reasons made by the import, and a simulation's steps reasons made
    // by the simulator: under --json they stay as they are, while stderr follows the language.
    let invalid_rows = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import/invalid_rows.csv")
        .display()
        .to_string();
    let korean = same_json(None, &["import", &invalid_rows, "--dry-run", "--json"]).await;
    assert!(has_hangul(&korean), "{korean}");

    let dir = tempfile::tempdir().unwrap();
    let workflow = dir.path().join("workflow.json");
    let user = dir.path().join("user.json");
    let kyc = json!({"workflowId": "wf_kyc", "name": "KYC", "entryNodeId": "nd_request", "nodes": [
        {"id": "nd_request", "type": "request", "next": "nd_verify"},
        {"id": "nd_verify", "type": "verification", "next": "nd_min_loa"},
        {"id": "nd_min_loa", "type": "check-min-loa", "next": "nd_claim", "config": {"min_loa": 2}},
        {"id": "nd_claim", "type": "check-claim", "next": "nd_approve", "config": {"claim": "birthdate"}},
        {"id": "nd_approve", "type": "response", "config": {"result": "approved"}}
    ]});
    std::fs::write(&workflow, kyc.to_string()).unwrap();
    std::fs::write(
        &user,
        json!({"loa": 2, "user": {"name": "Kim"}}).to_string(),
    )
    .unwrap();
    let (workflow, user) = (workflow.display().to_string(), user.display().to_string());
    same_json(
        None,
        &[
            "workflows",
            "simulate",
            "--file",
            &workflow,
            "--input",
            &user,
            "--json",
        ],
    )
    .await;
}
