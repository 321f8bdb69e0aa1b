//! The run stage against the sandbox: concurrency halved on 429 and raised again, a refused key
//! stops the import with a sentence, and every row is reported either way.

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
    let report = import::import(
        &common::client(&sandbox),
        &rows(1000),
        dir.path(),
        &RunOptions {
            concurrency: 4,
            retry: common::fast_retry(),
            ..RunOptions::default()
        },
        &CancelFlag::default(),
        |p| seen.push(p.concurrency),
    )
    .await
    .unwrap();
    assert_eq!(report.summary().created, 1000);
    assert_eq!(seen.first(), Some(&4));
    let lowest = seen.iter().copied().min().unwrap();
    assert_eq!(lowest, 2, "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_stops_the_import_and_reports_every_row() {
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
    let report = import::import(
        &client,
        &rows(450),
        dir.path(),
        &RunOptions {
            concurrency: 1,
            retry: common::fast_retry(),
            ..RunOptions::default()
        },
        &CancelFlag::default(),
        |_| {},
    )
    .await
    .unwrap();
    let summary = report.summary();
    assert_eq!(summary.total, 450);
    assert_eq!(summary.created, 0);
    assert_eq!(summary.failed, 100, "only the first batch was sent");
    assert_eq!(summary.skipped, 350);
    let stopped = report.stopped.expect("the import stopped");
    assert!(stopped.contains("API key"), "{stopped}");
    assert!(matches!(&report.rows[449].status, RowStatus::Skipped(why) if why.contains("API key")));
    assert_eq!(sandbox.app_count(), 0);
}
