//! Replies match requests: every runtime command carries a request id that its reply brings
//! back, and Cancel is one path for every operation, the import included. Real HTTP against
//! the sandbox on 127.0.0.1, bounded in time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use connect_console::backends::{self, BackendKind, Connection};
use connect_console::import::{self, ReadOptions, RunOptions};
use connect_console::runtime::{Backend, Command, Event, ImportEvent, OpId};
use connect_console::sandbox::{self, SandboxConfig};
use connect_console::secret::Secret;

const KEY: &str = "sk_workspace_test_requests_FAKE";

/// Waits for the first event `pick` accepts, for at most 60 s.
fn wait_for<T>(backend: &Backend, what: &str, mut pick: impl FnMut(Event) -> Option<T>) -> T {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        match backend.try_recv() {
            Some(event) => {
                if let Some(found) = pick(event) {
                    return found;
                }
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    panic!("no {what} within 60 s");
}

/// A sandbox on its own runtime; the test itself runs outside any, as the window does.
fn start(config: SandboxConfig) -> (tokio::runtime::Runtime, sandbox::RunningSandbox) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let running = runtime
        .block_on(sandbox::start(SandboxConfig { port: 0, ..config }))
        .unwrap();
    (runtime, running)
}

#[test]
fn cancel_stops_an_import_by_its_request_id_and_its_replies_carry_that_id() {
    // Slow enough that Cancel arrives while batches are still being sent.
    let (_runtime, running) = start(SandboxConfig {
        seed: Some(41),
        latency: Duration::from_millis(150),
        ..SandboxConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let connection = Connection::new(
        BackendKind::Hopae,
        &running.base_url(),
        Secret::new(KEY),
        None,
    )
    .unwrap();
    let log = dir.path().join("activity.jsonl");
    let backend = Backend::connect(connection)
        .unwrap()
        .with_activity_log(connect_console::activity::ActivityLog::at(&log))
        .with_journal_dir(dir.path().join("journal"));
    let csv: String = std::iter::once("name".to_owned())
        .chain((0..1_000).map(|i| format!("Cancelled import {i}")))
        .collect::<Vec<_>>()
        .join("\n");
    let prepared = Arc::new(import::prepare(csv.as_bytes(), &ReadOptions::default()).unwrap());

    let op = OpId::next();
    backend.send(Command::RunImport {
        op,
        source: "cancelled-import.csv".into(),
        prepared,
        options: RunOptions {
            concurrency: 1,
            secrets_file: Some(dir.path().join("secrets.csv")),
            ..RunOptions::default()
        },
        auth_method: None,
    });
    {
        wait_for(&backend, "progress", |event| match event {
            Event::Import(ImportEvent::Progress { op: of, progress }) if progress.rows_done > 0 => {
                assert_eq!(of, op, "progress names the import it belongs to");
                Some(())
            }
            _ => None,
        });
        backend.send(Command::Cancel { op });
        let report = wait_for(&backend, "the end of the import", |event| match event {
            Event::Import(ImportEvent::Finished { op: of, result }) => {
                assert_eq!(of, op);
                Some(result.expect("a cancelled import still reports"))
            }
            _ => None,
        });
        assert!(report.stopped.is_some(), "the report says it was stopped");
        let created = report.rows.iter().filter(|r| r.client_id.is_some()).count();
        assert!(created < 1_000, "it stopped early: {created} created");
        assert_eq!(
            running.app_count(),
            created,
            "each created row is one app, no more"
        );
        // The console's import leaves its one entry, marked as stopped early.
        let text = std::fs::read_to_string(&log).unwrap();
        let entries: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(entries.len(), 1, "{text}");
        assert_eq!(entries[0]["action"], "import");
        assert_eq!(entries[0]["outcome"], "failed");
        let detail = entries[0]["detail"].as_str().unwrap();
        assert!(detail.contains("cancelled-import.csv"), "{detail}");
        assert!(detail.contains("secrets.csv"), "{detail}");
    }
}

#[test]
fn every_reply_names_its_request() {
    let (_runtime, running) = start(SandboxConfig {
        seed: Some(42),
        demo: true,
        ..SandboxConfig::default()
    });
    let workspace = backends::open(
        Connection::new(
            BackendKind::Hopae,
            &running.base_url(),
            Secret::new(KEY),
            None,
        )
        .unwrap(),
        false,
    )
    .unwrap();
    let backend = Backend::on(workspace).unwrap().without_activity_log();
    let (load, providers) = (OpId::next(), OpId::next());
    backend.send(Command::LoadApps { op: load });
    let first = wait_for(&backend, "the apps", |event| match event {
        Event::AppsLoaded { op, apps } => {
            assert_eq!(op, load);
            Some(apps[0].id.clone())
        }
        _ => None,
    });
    backend.send(Command::LoadProviders {
        op: providers,
        client_id: first.clone(),
    });
    wait_for(&backend, "the providers", |event| match event {
        Event::ProvidersLoaded { op, client_id, .. } => {
            assert_eq!((op, client_id.as_str()), (providers, first.as_str()));
            Some(())
        }
        _ => None,
    });
}
