//! App keys of ZITADEL private-key-jwt apps, against the sandbox's ZITADEL mode on 127.0.0.1:
//! `apps keys list|add|delete` from the command line (the add writes the key file owner-only,
//! never over a file or through a link; refusals send nothing; every write is logged by key
//! id, never the key), and the client's calls with the server's rules.

// A failed unwrap in a test is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod zitadel_common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use connect_console::backends::keys::KeyExpiry;
use connect_console::sandbox::{Fault, RunningSandbox};
use connect_console::zitadel::{AuthMethod, ZitadelClient};
use serde_json::Value;
use tokio::process::Command;
use zitadel_common as zc;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");

struct Setup {
    sandbox: RunningSandbox,
    client: ZitadelClient,
    project: String,
    dir: tempfile::TempDir,
}

impl Setup {
    async fn new() -> Self {
        let sandbox = zc::demo().await;
        let client = zc::client(&sandbox);
        let project = zc::project_id(&client, "Payments platform").await;
        Self {
            sandbox,
            client,
            project,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn activity(&self) -> PathBuf {
        self.path("activity.jsonl")
    }

    /// Runs the binary for at most 60 s; stdin is not a terminal.
    async fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env("CONNECT_ACTIVITY_LOG", self.activity())
            .env("CONNECT_BACKEND", "zitadel")
            .env("CONNECT_BASE_URL", self.sandbox.base_url())
            .env("CONNECT_API_KEY", zc::PAT)
            .env("ZITADEL_PROJECT_ID", &self.project)
            .env_remove("ZITADEL_ORG_ID");
        tokio::time::timeout(Duration::from_secs(60), command.output())
            .await
            .expect("command finishes")
            .expect("command runs")
    }

    async fn app(&self, name: &str, method: AuthMethod) -> (String, String) {
        let app = self
            .client
            .create_api_app(&self.project, name, method)
            .await
            .unwrap();
        (app.app_id, app.client_id)
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A failure: exit 1, and a message on stderr.
fn failed(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
    stderr(output)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_writes_an_owner_only_key_file_list_shows_it_and_delete_removes_it() {
    let s = Setup::new().await;
    let (app_id, client_id) = s.app("Keys CLI", AuthMethod::PrivateKeyJwt).await;
    let file = s.path("keys-cli.json");

    let output = s
        .run(&[
            "apps",
            "keys",
            "add",
            &client_id,
            "--expires",
            "2099-01-31",
            "--output",
            arg(&file),
            "--json",
        ])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let added: Value = serde_json::from_slice(&output.stdout).unwrap();
    let key_id = added["keyId"].as_str().unwrap().to_owned();
    assert_eq!(added["expires"], "2099-01-31T23:59:59Z");
    assert_eq!(
        s.sandbox.zitadel_key_ids(&app_id),
        std::slice::from_ref(&key_id)
    );
    // The key file is ZITADEL's, decoded; the key itself is never printed.
    let key_file: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(key_file["keyId"], key_id.as_str());
    assert_eq!(key_file["clientId"], client_id.as_str());
    assert!(key_file["key"].as_str().unwrap().contains("PRIVATE KEY"));
    zc::assert_owner_only(&file);
    assert!(!stdout(&output).contains("PRIVATE KEY") && !stderr(&output).contains("PRIVATE KEY"));

    // The default expiry is a year; never asks for none.
    let default_file = s.path("default.json");
    let output = s
        .run(&["apps", "keys", "add", &app_id, "-o", arg(&default_file)])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let next_year = (time::OffsetDateTime::now_utc() + time::Duration::days(365)).year();
    assert!(
        stdout(&output).contains(&format!("expires {next_year}-")),
        "{}",
        stdout(&output)
    );
    let never_file = s.path("never.json");
    let output = s
        .run(&[
            "apps",
            "keys",
            "add",
            &app_id,
            "--expires",
            "never",
            "-o",
            arg(&never_file),
        ])
        .await;
    assert!(
        stdout(&output).contains("expires never"),
        "{}",
        stdout(&output)
    );

    let output = s.run(&["apps", "keys", "list", &app_id, "--json"]).await;
    let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["id"], key_id.as_str());
    assert_eq!(listed[0]["type"], "json");
    assert_eq!(listed[2]["expires"], Value::Null);
    let table = s.run(&["apps", "keys", "list", &app_id]).await;
    assert!(stdout(&table).contains("KEY ID") && stdout(&table).contains("2099-01-31 23:59 UTC"));

    // Delete asks; without a terminal it needs --yes, and nothing is sent without it.
    let refused = s.run(&["apps", "keys", "delete", &app_id, &key_id]).await;
    assert!(failed(&refused).contains("--yes"));
    assert_eq!(s.sandbox.zitadel_key_ids(&app_id).len(), 3);
    let output = s
        .run(&["apps", "keys", "delete", &app_id, &key_id, "--yes"])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!s.sandbox.zitadel_key_ids(&app_id).contains(&key_id));

    // The activity log has each write by key id, and no key.
    let log = std::fs::read_to_string(s.activity()).unwrap();
    assert_eq!(log.matches("\"add-key\"").count(), 3, "{log}");
    assert_eq!(log.matches("\"delete-key\"").count(), 1, "{log}");
    assert!(
        log.contains(&key_id) && !log.contains("PRIVATE KEY"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_come_before_anything_is_sent() {
    let s = Setup::new().await;
    let (basic_id, _) = s.app("Keys basic", AuthMethod::Basic).await;
    let (app_id, _) = s.app("Keys refusals", AuthMethod::PrivateKeyJwt).await;
    let file = s.path("refused.json");

    let basic = s
        .run(&["apps", "keys", "add", &basic_id, "-o", arg(&file)])
        .await;
    assert!(failed(&basic).contains("does not sign in with a private key JWT"));
    let past = s
        .run(&[
            "apps",
            "keys",
            "add",
            &app_id,
            "--expires",
            "2020-01-01",
            "-o",
            arg(&file),
        ])
        .await;
    assert!(failed(&past).contains("in the past"));
    let nonsense = s
        .run(&[
            "apps",
            "keys",
            "add",
            &app_id,
            "--expires",
            "soon",
            "-o",
            arg(&file),
        ])
        .await;
    assert!(failed(&nonsense).contains("not a date"));
    assert!(!file.exists());

    std::fs::write(&file, "mine").unwrap();
    let existing = s
        .run(&["apps", "keys", "add", &app_id, "-o", arg(&file)])
        .await;
    assert!(failed(&existing).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    #[cfg(unix)]
    {
        let target = s.path("target.json");
        let link = s.path("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let linked = s
            .run(&["apps", "keys", "add", &app_id, "-o", arg(&link)])
            .await;
        assert!(failed(&linked).contains("already exists"));
        assert!(!target.exists());
    }
    let unwritable = s.path("no-such-folder").join("key.json");
    let output = s
        .run(&["apps", "keys", "add", &app_id, "-o", arg(&unwritable)])
        .await;
    assert!(failed(&output).contains("could not be created"));
    assert!(
        s.sandbox.zitadel_key_ids(&app_id).is_empty(),
        "nothing was added"
    );
    assert!(s.sandbox.zitadel_key_ids(&basic_id).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_to_add_is_reported_with_the_keys_and_never_sent_twice() {
    let s = Setup::new().await;
    let (app_id, _) = s.app("Keys lost", AuthMethod::PrivateKeyJwt).await;
    let file = s.path("lost.json");
    // The add commits, then the connection drops without an answer.
    s.sandbox.inject(Fault::DropAfterCommit);
    let output = s
        .run(&["apps", "keys", "add", &app_id, "-o", arg(&file)])
        .await;
    let err = failed(&output);
    assert!(err.contains("not known whether a key was added"), "{err}");
    let keys = s.sandbox.zitadel_key_ids(&app_id);
    assert_eq!(keys.len(), 1, "sent once, never again");
    assert!(err.contains(&keys[0]), "the message lists the key: {err}");
    assert!(!file.exists(), "no empty key file is left");
}

#[tokio::test]
async fn the_client_follows_the_servers_rules() {
    let s = Setup::new().await;
    let (basic_id, _) = s.app("Client basic", AuthMethod::Basic).await;
    let (app_id, client_id) = s.app("Client keys", AuthMethod::PrivateKeyJwt).await;
    let now = time::OffsetDateTime::now_utc();
    // The server's code 9 for a basic app (the console checks first; the server too).
    let error = s
        .client
        .add_app_key(&s.project, &basic_id, KeyExpiry::default_from(now))
        .await
        .unwrap_err();
    assert!(error.message.contains("takes no keys"), "{error:?}");
    let added = s
        .client
        .add_app_key(&s.project, &app_id, KeyExpiry::Never)
        .await
        .unwrap();
    assert_eq!(added.expires, None);
    assert!(added.file.expose().contains(&client_id));
    assert!(
        !format!("{added:?}").contains("PRIVATE"),
        "Debug hides the key file"
    );
    let keys = s.client.list_app_keys(&s.project, &app_id).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(
        keys[0].expires, None,
        "ZITADEL's far-future date reads as never"
    );
    s.client
        .delete_app_key(&s.project, &app_id, &added.id)
        .await
        .unwrap();
    let error = s
        .client
        .delete_app_key(&s.project, &app_id, &added.id)
        .await
        .unwrap_err();
    assert!(error.message.contains("not found"), "{error:?}");
}

#[tokio::test]
async fn hopae_apps_have_no_keys() {
    let output = Command::new(BIN)
        .args(["apps", "keys", "list", "x"])
        .env("CONNECT_BACKEND", "hopae")
        .env_remove("CONNECT_BASE_URL")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("have no keys"),
        "{}",
        stderr(&output)
    );
}
