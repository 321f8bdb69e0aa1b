//! The run stage against the sandbox: concurrency halved on 429 and raised again, a refused key
//! stops the import with a sentence, and every row is reported either way.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use connect_console::api::{Client, Connection};
use connect_console::import::{self, CancelFlag, ReadOptions, RowStatus, RunOptions};
use connect_console::sandbox::{Fault, SandboxConfig};
use connect_console::secret::Secret;

fn rows(count: usize) -> import::Prepared {
    let mut text = String::from("name,externalId\n");
    for i in 0..count {
        text.push_str(&format!("Run test {i},run-{i}\n"));
    }
    import::prepare(text.as_bytes(), &ReadOptions::default()).unwrap()
}

/// Every valid row as new: the plan of an empty workspace.
fn new_rows_plan(prepared: &import::Prepared, journal: &import::Journal) -> import::Plan {
    import::plan(
        &prepared.rows,
        &import::Existing::default(),
        journal.entries(),
        import::ExistingMode::Skip,
    )
}

/// The halving is seen end to end; how fast it grows back is unit-tested on `Throttle`, since
/// here it depends on when the retried batch happens to finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_halves_the_concurrency() {
    let sandbox = common::start(SandboxConfig::default()).await;
    sandbox.inject(Fault::TooManyRequests {
        retry_after_secs: 0,
    });
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    // Planned here rather than by `import`, so that the 429 meets the first batch and not
    // the read of the workspace's apps.
    let prepared = rows(1000);
    let mut journal = import::Journal::open(dir.path(), &sandbox.base_url()).unwrap();
    let plan = new_rows_plan(&prepared, &journal);
    let report = import::run(
        &common::client(&sandbox),
        &prepared.rows,
        &plan,
        &mut journal,
        None,
        &RunOptions {
            concurrency: 4,
            retry: common::fast_retry(),
            ..RunOptions::default()
        },
        &CancelFlag::default(),
        |p| seen.push(p.concurrency),
    )
    .await;
    assert_eq!(report.summary().created, 1000);
    assert_eq!(seen.first(), Some(&4));
    // The batch that met the 429 halves whatever limit the clean batches had grown to.
    let halved = seen.windows(2).filter(|w| w[1] == w[0] / 2).count();
    assert_eq!(halved, 1, "{seen:?}");
    assert!(
        seen.windows(2)
            .all(|w| w[1] == w[0] / 2 || w[1] == (w[0] + 1).min(16)),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_stops_the_import_before_anything_is_sent() {
    let sandbox = common::start(SandboxConfig {
        api_key: Some("sk_workspace_test_FAKE_the_right_one".into()),
        ..SandboxConfig::default()
    })
    .await;
    let connection = Connection::new(
        &sandbox.base_url(),
        Secret::new("sk_workspace_test_FAKE_a_wrong_one"),
    )
    .unwrap();
    let client = Client::new(connection).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let error = import::import(
        &client,
        &rows(450),
        dir.path(),
        &RunOptions::default(),
        &CancelFlag::default(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(error.0.contains("API key"), "{}", error.0);
    assert!(error.0.contains("Nothing was sent"), "{}", error.0);
    assert_eq!(sandbox.app_count(), 0);
}

/// A key revoked while the import runs: the batch in flight fails, the rest is not sent, and
/// every row is still reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_stops_the_run_and_reports_every_row() {
    let sandbox = common::start(SandboxConfig {
        api_key: Some("sk_workspace_test_FAKE_the_right_one".into()),
        ..SandboxConfig::default()
    })
    .await;
    let connection = Connection::new(
        &sandbox.base_url(),
        Secret::new("sk_workspace_test_FAKE_a_wrong_one"),
    )
    .unwrap();
    let client = Client::new(connection).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prepared = rows(450);
    let mut journal = import::Journal::open(dir.path(), &sandbox.base_url()).unwrap();
    let plan = new_rows_plan(&prepared, &journal);
    let report = import::run(
        &client,
        &prepared.rows,
        &plan,
        &mut journal,
        None,
        &RunOptions {
            concurrency: 1,
            retry: common::fast_retry(),
            ..RunOptions::default()
        },
        &CancelFlag::default(),
        |_| {},
    )
    .await;
    let summary = report.summary();
    assert_eq!(summary.total, 450);
    assert_eq!(summary.created, 0);
    assert_eq!(summary.failed, 100, "only the first batch was sent");
    assert_eq!(summary.skipped, 350);
    let stopped = report.stopped.expect("the import stopped").0;
    assert!(stopped.contains("API key"), "{stopped}");
    assert!(matches!(&report.rows[449].status, RowStatus::Skipped(why) if why.contains("API key")));
    assert_eq!(sandbox.app_count(), 0);
}
