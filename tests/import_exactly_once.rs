//! Exactly once under faults: 1,000 rows against a sandbox that fails 10% of requests and drops
//! 10% of answers after committing; an import killed mid-run and resumed from its journal on
//! disk; and a finished import run again. Every case ends with exactly 1,000 new apps.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use connect_console::import::{self, CancelFlag, ReadOptions, RowStatus, RunOptions};
use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");
const ROWS: usize = 1000;

/// A reseller's file of `ROWS` customers; every third row has no external id.
fn write_file(dir: &Path) -> PathBuf {
    let mut text = String::from("name,redirectUris,customer id\n");
    for i in 0..ROWS {
        let id = if i % 3 == 0 {
            String::new()
        } else {
            format!("cust-{i:04}")
        };
        text.push_str(&format!(
            "Customer {i:04},https://c{i}.example.com/cb,{id}\n"
        ));
    }
    let path = dir.join("customers.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn faulty() -> SandboxConfig {
    SandboxConfig {
        fail_rate: 0.1,
        drop_rate: 0.1,
        seed: Some(11),
        ..SandboxConfig::default()
    }
}

fn options() -> RunOptions {
    RunOptions {
        retry: common::fast_retry(),
        ..RunOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rows_under_faults_create_exactly_a_thousand_apps() {
    let sandbox = common::start(faulty()).await;
    let dir = tempfile::tempdir().unwrap();
    let prepared = import::prepare_file(&write_file(dir.path()), &ReadOptions::default()).unwrap();
    let before = sandbox.app_count();
    let report = tokio::time::timeout(
        Duration::from_secs(120),
        import::import(
            &common::client(&sandbox),
            &prepared,
            &dir.path().join("journal"),
            &options(),
            &CancelFlag::default(),
            |_| {},
        ),
    )
    .await
    .expect("finishes in time")
    .unwrap();
    let summary = report.summary();
    assert_eq!(report.rows.len(), ROWS, "every row is reported");
    assert_eq!(summary.created, ROWS, "{}", summary.sentence());
    assert_eq!(sandbox.app_count() - before, ROWS);
    let mut ids: Vec<&str> = report
        .rows
        .iter()
        .filter_map(|r| r.client_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ROWS, "one distinct app per row");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_import_resumes_from_its_journal() {
    let sandbox = common::start(faulty()).await;
    let dir = tempfile::tempdir().unwrap();
    let prepared = import::prepare_file(&write_file(dir.path()), &ReadOptions::default()).unwrap();
    let journal = dir.path().join("journal");
    let client = common::client(&sandbox);
    let before = sandbox.app_count();
    let cancel = CancelFlag::default();
    let first = import::import(
        &client,
        &prepared,
        &journal,
        &RunOptions {
            concurrency: 2,
            ..options()
        },
        &cancel,
        |p| {
            if p.rows_done >= 300 {
                cancel.cancel();
            }
        },
    )
    .await
    .unwrap();
    let done = first.summary().created;
    assert!(
        (300..ROWS).contains(&done),
        "{}",
        first.summary().sentence()
    );
    assert!(first.stopped.is_some());
    assert!(
        first
            .rows
            .iter()
            .any(|r| matches!(&r.status, RowStatus::Skipped(w) if w.contains("cancelled")))
    );

    let second = import::import(
        &client,
        &prepared,
        &journal,
        &options(),
        &CancelFlag::default(),
        |_| {},
    )
    .await
    .unwrap();
    let summary = second.summary();
    assert_eq!(summary.created, ROWS, "{}", summary.sentence());
    assert_eq!(summary.created_earlier, done);
    assert_eq!(sandbox.app_count() - before, ROWS);
}

async fn cli(sandbox: &RunningSandbox, args: &[&str]) -> Output {
    tokio::time::timeout(
        Duration::from_secs(120),
        cli_command(sandbox, args).output(),
    )
    .await
    .expect("command finishes")
    .expect("command runs")
}

fn cli_command(sandbox: &RunningSandbox, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("import")
        .args(args)
        .env("CONNECT_BASE_URL", sandbox.base_url())
        .env("CONNECT_API_KEY", common::KEY)
        .env("CONNECT_ACTIVITY_LOG", common::ACTIVITY_LOG)
        .kill_on_drop(true);
    command
}

/// Rows the journal records as created (their secrets are on disk by then).
fn journalled_created(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|text| text.matches("\"state\":\"created\"").count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_cli_import_resumes_and_a_finished_one_creates_nothing() {
    let sandbox = common::start(SandboxConfig {
        latency: Duration::from_millis(100),
        ..faulty()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(dir.path());
    let journal = dir.path().join("journal");
    let results = dir.path().join("results.csv");
    let secrets = dir.path().join("secrets.csv");
    let path = |p: &Path| p.to_str().unwrap().to_owned();
    let (file, journal_arg, results_arg, secrets_arg) =
        (path(&file), path(&journal), path(&results), path(&secrets));
    let args = [
        file.as_str(),
        "--journal-dir",
        journal_arg.as_str(),
        "--results",
        results_arg.as_str(),
        "--secrets",
        secrets_arg.as_str(),
        "--concurrency",
        "1",
    ];
    let before = sandbox.app_count();

    // Kill the process (no chance to clean up) once three batches are journalled.
    let mut child = cli_command(&sandbox, &args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut waited = Duration::ZERO;
    while journalled_created(&journal) < 300 {
        assert!(
            waited < Duration::from_secs(60),
            "the import did not journal 300 rows"
        );
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the import ended before it was killed: {status}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        waited += Duration::from_millis(5);
    }
    child.kill().await.unwrap();
    let journalled = journalled_created(&journal);
    assert!(
        journalled < ROWS,
        "killed mid-run ({journalled} rows journalled)"
    );

    let resumed = cli(&sandbox, &args).await;
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    assert!(stderr.contains("1000 created ("), "{stderr}");
    assert!(stderr.contains("in an earlier run"), "{stderr}");
    assert_eq!(sandbox.app_count() - before, ROWS);
    let report = std::fs::read_to_string(&results).unwrap();
    assert_eq!(
        report.lines().count(),
        ROWS + 1,
        "every row is in the results"
    );
    assert!(
        report
            .lines()
            .skip(1)
            .all(|l| l.contains(",created,") || l.contains(",created earlier,")),
        "all rows created"
    );
    // The killed run appended its secrets batch by batch: together the two runs hold one
    // secret for each of the 1,000 apps, and nothing but the first line is a header.
    let secrets_text = std::fs::read_to_string(&secrets).unwrap();
    let mut ids: Vec<&str> = secrets_text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ROWS, "a secret for every app");
    assert_eq!(secrets_text.matches("clientSecret").count(), 1);
    common::assert_owner_only(&secrets);

    let again = cli(&sandbox, &args).await;
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(again.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "1000 created (1000 in an earlier run), 0 already exist, 0 skipped, 0 failed, 0 invalid"
        ),
        "{stderr}"
    );
    assert_eq!(sandbox.app_count() - before, ROWS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_file_imported_again_creates_only_the_fixed_rows() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        "name,redirectUris,customer id\nAlpha,https://a.example.com/cb,c-1\nBeta,http://b.example.com/cb,c-2\nGamma,,c-3\n",
    )
    .unwrap();
    let fixed = dir.path().join("fixed.csv");
    std::fs::write(
        &fixed,
        "name,redirectUris,customer id\nAlpha,https://a.example.com/cb,c-1\nBeta,https://b.example.com/cb,c-2\nGamma,,c-3\n",
    )
    .unwrap();
    let before = sandbox.app_count();
    // Invalid rows are never planned: Beta is left out the first time.
    for path in [&first, &fixed] {
        let prepared = import::prepare_file(path, &ReadOptions::default()).unwrap();
        import::import(
            &common::client(&sandbox),
            &prepared,
            &dir.path().join("journal"),
            &options(),
            &CancelFlag::default(),
            |_| {},
        )
        .await
        .unwrap();
    }
    // Alpha and Gamma the first time, Beta once its address was fixed: three apps, not five.
    assert_eq!(sandbox.app_count() - before, 3);
}

/// A row sent, then edited before the run that sent it learnt the outcome: the server refuses
/// the old key with the new content (IDEMPOTENCY_KEY_CONFLICT). The row is reported, its key is
/// never sent again, and no rerun creates anything for it.
#[tokio::test]
async fn an_edited_row_whose_key_the_server_remembers_is_reported_not_retried() {
    use connect_console::api::{BatchItem, BatchRequest, new_idempotency_key};
    use connect_console::import::journal::{EntryState, Journal, JournalEntry};
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    let dir = tempfile::tempdir().unwrap();
    let journal_dir = dir.path().join("journal");
    // The earlier run sent the row under its old name, and crashed before the answer.
    let key = "name-edited-row-key-of-the-earlier-run".to_owned();
    let earlier = BatchRequest {
        items: vec![BatchItem {
            name: "Old name of the row".into(),
            idempotency_key: Some(key.clone()),
            ..BatchItem::default()
        }],
        continue_on_error: true,
    };
    client
        .batch_create(&earlier, &new_idempotency_key())
        .await
        .unwrap();
    let mut journal = Journal::open(&journal_dir, sandbox.base_url().as_str()).unwrap();
    journal
        .append(&[JournalEntry {
            id: "name:edited row".into(),
            row: 2,
            key: key.clone(),
            state: EntryState::Sent,
            attempt: 0,
            client_id: None,
            error: None,
            at: None,
        }])
        .unwrap();
    drop(journal);
    let file = dir.path().join("edited.csv");
    std::fs::write(&file, "name\nEdited Row\n").unwrap();
    let prepared = import::prepare_file(&file, &ReadOptions::default()).unwrap();
    let before = sandbox.app_count();
    for run in 0..2 {
        let report = import::import(
            &client,
            &prepared,
            &journal_dir,
            &options(),
            &CancelFlag::default(),
            |_| {},
        )
        .await
        .unwrap();
        let RowStatus::Failed(why) = &report.rows[0].status else {
            panic!("run {run}: {:?}", report.rows[0].status);
        };
        assert!(!report.summary().all_done(), "run {run}");
        if run == 1 {
            assert!(why.contains("changed since"), "{why}");
        }
    }
    assert_eq!(
        sandbox.app_count(),
        before,
        "nothing made for the edited row"
    );
    let entries = Journal::read(&journal_dir, sandbox.base_url().as_str()).unwrap();
    assert_eq!(entries["name:edited row"].state, EntryState::KeyConflict);
}
