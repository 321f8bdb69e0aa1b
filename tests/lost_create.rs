//! A create whose answer is lost, where creates carry no idempotency key (a ZITADEL project),
//! ends the same way through the console and through the command line, because both send it
//! through the operations layer: the app found by name is reported, and no secret is issued for
//! an app this run cannot prove it made. Real HTTP against the ZITADEL sandbox on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command as Process, Output};
use std::time::{Duration, Instant};

use connect_console::backends::{self, AuthMethod, BackendKind, Connection};
use connect_console::runtime::{Backend, Command, Event, OpId, Write};
use connect_console::sandbox::{self, Fault, RunningSandbox, SandboxConfig};
use connect_console::secret::Secret;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");
const PAT: &str = "FAKE_PAT_lost_create";
/// What both paths must say about the app they found.
const REPORTED: &str = "no secret was issued for it";

async fn zitadel_sandbox() -> (RunningSandbox, String) {
    let running = sandbox::start(SandboxConfig {
        port: 0,
        zitadel: true,
        seed: Some(31),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let connection = Connection::new(
        BackendKind::Zitadel,
        &running.base_url(),
        Secret::new(PAT),
        None,
    )
    .expect("connection");
    let workspace = backends::open(connection, false).expect("open");
    let project = workspace.list_scopes().await.expect("projects")[0]
        .id
        .clone();
    (running, project)
}

/// The console's runtime sends the create; its failure comes back as an event.
fn console_create(sandbox: &RunningSandbox, project: &str, name: &str) -> String {
    let connection = Connection::new(
        BackendKind::Zitadel,
        &sandbox.base_url(),
        Secret::new(PAT),
        None,
    )
    .expect("connection");
    let mut backend = Backend::connect(connection)
        .expect("backend")
        .without_activity_log();
    backend.set_project(Some(project.to_owned()));
    backend.send(Command::Write {
        op: OpId(1),
        write: Write::CreateApp {
            name: name.to_owned(),
            idempotency_key: "unused-by-this-backend".into(),
            auth_method: Some(AuthMethod::Basic),
            redirect_uris: Vec::new(),
        },
    });
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        match backend.try_recv() {
            Some(Event::WriteFailed { error, .. }) => return error.user_message(),
            Some(Event::WriteDone { .. }) => panic!("the create cannot have succeeded"),
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    panic!("no answer within 30 s");
}

fn cli_create(sandbox: &RunningSandbox, project: &str, name: &str) -> Output {
    let log = tempfile::tempdir().expect("temp dir");
    Process::new(BIN)
        .args(["apps", "create", name, "--auth-method", "basic"])
        .env("CONNECT_BACKEND", "zitadel")
        .env("CONNECT_BASE_URL", sandbox.base_url())
        .env("CONNECT_API_KEY", PAT)
        .env("ZITADEL_PROJECT_ID", project)
        .env("CONNECT_ACTIVITY_LOG", log.path().join("activity.jsonl"))
        .output()
        .expect("the command runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_is_reported_alike_by_the_console_and_the_command_line() {
    let (sandbox, project) = zitadel_sandbox().await;
    let before = sandbox.app_count();

    sandbox.inject(Fault::DropAfterCommit);
    let console =
        tokio::task::block_in_place(|| console_create(&sandbox, &project, "Lost console app"));
    assert!(console.contains(REPORTED), "{console}");
    assert!(console.contains("\"Lost console app\""), "{console}");

    sandbox.inject(Fault::DropAfterCommit);
    let cli = tokio::task::block_in_place(|| cli_create(&sandbox, &project, "Lost cli app"));
    let stderr = String::from_utf8_lossy(&cli.stderr);
    let stdout = String::from_utf8_lossy(&cli.stdout);
    assert_eq!(cli.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(REPORTED), "{stderr}");
    assert!(
        !stdout.contains("Client secret"),
        "no secret is printed: {stdout}"
    );

    // The same sentence but for the name and the app's id.
    let shape = |text: &str| {
        text.split(" (")
            .next()
            .unwrap_or_default()
            .replace("Lost cli app", "X")
            .replace("Lost console app", "X")
    };
    assert_eq!(shape(&console), shape(stderr.trim_start_matches("error: ")));
    // Each create made exactly one app, and nothing was created twice.
    assert_eq!(sandbox.app_count(), before + 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_lost_before_it_was_made_says_nothing_exists() {
    let (sandbox, project) = zitadel_sandbox().await;
    let before = sandbox.app_count();
    sandbox.inject(Fault::ServerError);
    let console = tokio::task::block_in_place(|| console_create(&sandbox, &project, "Never made"));
    assert!(
        console.contains("No app named \"Never made\" exists"),
        "{console}"
    );
    assert_eq!(sandbox.app_count(), before);
}
