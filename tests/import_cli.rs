//! `connect-console import` on the corpus: dry runs, exit codes, JSON and the refusals.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::Output;

use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use serde_json::Value;

fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

async fn run(sandbox: Option<&RunningSandbox>, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("import")
        .chain(args.iter().copied())
        .collect();
    common::run_cli(sandbox, &args).await
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn dry_run_of_a_clean_file_exits_0_without_a_key() {
    let output = run(
        None,
        &[&corpus("german_excel_cp1252_semicolon.csv"), "--dry-run"],
    )
    .await;
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("5 row(s), encoding windows-1252 (guessed"),
        "{text}"
    );
    assert!(text.contains("delimiter semicolon"), "{text}");
    assert!(text.contains("Ignored columns: Bemerkung"), "{text}");
    assert!(text.contains("not compared with existing apps"), "{text}");
    assert!(
        text.contains("5 ready to create, 0 created, 0 already exist, 0 skipped, 0 failed, 0 invalid (of 5 rows)"),
        "{text}"
    );
}

#[tokio::test]
async fn dry_run_lists_invalid_rows_and_exits_1() {
    let output = run(None, &[&corpus("invalid_rows.csv"), "--dry-run"]).await;
    assert_eq!(output.status.code(), Some(1));
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(table.starts_with("ROW"), "{table}");
    assert!(table.contains("invalid"), "{table}");
    assert!(
        stderr(&output).contains(
            "3 ready to create, 0 created, 0 already exist, 1 skipped, 0 failed, 6 invalid"
        ),
        "{}",
        stderr(&output)
    );

    let output = run(None, &[&corpus("invalid_rows.csv"), "--dry-run", "--json"]).await;
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["invalid"], 6);
    assert_eq!(json["rows"][1]["row"], 3);
    assert_eq!(json["rows"][1]["status"], "invalid");
}

#[tokio::test]
async fn refused_files_and_flags_say_what_to_do() {
    let output = run(None, &[&corpus("binary.csv"), "--dry-run"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("does not contain text"));
    let output = run(None, &[&corpus("utf8_bom_cjk.csv"), "--delimiter", "ab"]).await;
    assert!(!output.status.success());
    assert!(stderr(&output).contains("not a delimiter"));
    let output = run(
        None,
        &[&corpus("utf8_bom_cjk.csv"), "--encoding", "klingon"],
    )
    .await;
    assert!(stderr(&output).contains("not an encoding"));
    // A real import needs somewhere to put the secrets, and a workspace.
    let output = run(None, &[&corpus("utf8_bom_cjk.csv")]).await;
    assert!(stderr(&output).contains("--secrets"), "{}", stderr(&output));
}

#[tokio::test]
async fn an_import_writes_results_and_owner_only_secrets() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.csv");
    let secrets = dir.path().join("secrets.csv");
    let output = run(
        Some(&sandbox),
        &[
            &corpus("formulas.csv"),
            "--results",
            results.to_str().unwrap(),
            "--secrets",
            secrets.to_str().unwrap(),
            "--journal-dir",
            dir.path().join("journal").to_str().unwrap(),
            "--json",
        ],
    )
    .await;
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("shown again"),
        "the secrets warning is printed: {text}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("sh_app"), "no secret in the JSON output");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["created"], 5);
    let results = std::fs::read_to_string(&results).unwrap();
    assert!(results.contains("'=HYPERLINK"), "{results}");
    assert!(!results.contains("sh_app"), "no secret in the results");
    let secrets_text = std::fs::read_to_string(&secrets).unwrap();
    assert_eq!(secrets_text.lines().count(), 6);
    assert!(secrets_text.contains("'+49 Telekom"), "{secrets_text}");
    common::assert_owner_only(&secrets);
}
