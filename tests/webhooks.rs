//! Webhooks over HTTP against the sandbox: the PATCH merge and its validation, the secret
//! rotation's idempotency, the client's calls, and the command line.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::recorder::Recorder;
use connect_console::api::{ErrorKind, UpdateApp, WebhookPatch, new_idempotency_key};
use connect_console::sandbox::{Fault, RunningSandbox, SandboxConfig};
use serde_json::{Value, json};

async fn patch_raw(sandbox: &RunningSandbox, id: &str, body: Value) -> (u16, Value) {
    let response = common::raw()
        .patch(common::url(sandbox, &format!("apps/{id}")))
        .bearer_auth(common::KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn get_raw(sandbox: &RunningSandbox, path: &str) -> Value {
    common::raw()
        .get(common::url(sandbox, path))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn rotate_raw(sandbox: &RunningSandbox, id: &str, key: &str) -> reqwest::Response {
    common::raw()
        .post(common::url(
            sandbox,
            &format!("apps/{id}/webhook-config/rotate-secret"),
        ))
        .bearer_auth(common::KEY)
        .header("Idempotency-Key", key)
        .send()
        .await
        .unwrap()
}

async fn new_app(sandbox: &RunningSandbox, name: &str) -> String {
    let created = common::client(sandbox)
        .create_app(name, &connect_console::api::new_idempotency_key())
        .await
        .unwrap();
    created.value.client_id
}

#[tokio::test]
async fn sandbox_merges_a_webhook_patch_and_keeps_omitted_fields() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let id = new_app(&sandbox, "Hooked").await;
    let (status, app) = patch_raw(
        &sandbox,
        &id,
        json!({"webhookConfig": {"enabled": true, "url": "https://hooks.example.com/a",
                                 "events": ["verification.completed", "verification.completed"]}}),
    )
    .await;
    assert_eq!(status, 200, "{app}");
    let hook = &app["webhookConfig"];
    assert_eq!(hook["retryAttempts"], 3, "the default is kept: {hook}");
    assert_eq!(hook["timeoutSeconds"], 10);
    assert_eq!(
        hook["events"],
        json!(["verification.completed"]),
        "deduplicated"
    );

    let (status, app) = patch_raw(
        &sandbox,
        &id,
        json!({"webhookConfig": {"retryAttempts": 5}}),
    )
    .await;
    assert_eq!(status, 200);
    let hook = &app["webhookConfig"];
    assert_eq!(hook["retryAttempts"], 5);
    assert_eq!(
        hook["url"], "https://hooks.example.com/a",
        "omitted fields are kept"
    );
    assert_eq!(hook["enabled"], true);
    assert_eq!(hook["events"], json!(["verification.completed"]));
    assert_eq!(app["name"], "Hooked");

    // The same config through the resource of its own, without a secret before a rotation.
    let config = get_raw(&sandbox, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(config["retryAttempts"], 5);
    assert!(config.get("secret").is_none());
}

#[tokio::test]
async fn sandbox_refuses_bad_webhook_configs_and_changes_nothing() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let id = new_app(&sandbox, "Strict").await;
    let cases = [
        (
            json!({"url": "http://hooks.example.com/a"}),
            "webhookConfig.url",
        ),
        (
            json!({"url": "https://hooks.example.com/a#frag"}),
            "webhookConfig.url",
        ),
        (json!({"url": "not a url"}), "webhookConfig.url"),
        (json!({"retryAttempts": 11}), "webhookConfig.retryAttempts"),
        (json!({"retryAttempts": -1}), "webhookConfig.retryAttempts"),
        (json!({"timeoutSeconds": 0}), "webhookConfig.timeoutSeconds"),
        (
            json!({"timeoutSeconds": 31}),
            "webhookConfig.timeoutSeconds",
        ),
        (
            json!({"timeoutSeconds": "10"}),
            "webhookConfig.timeoutSeconds",
        ),
        (
            json!({"events": "verification.completed"}),
            "webhookConfig.events",
        ),
        (json!({"events": [1]}), "webhookConfig.events"),
        (json!({"events": ["two words"]}), "webhookConfig.events"),
        (json!({"enabled": "yes"}), "webhookConfig.enabled"),
        (json!({"secret": "whsec_FAKE"}), "webhookConfig.secret"),
        (json!({"retry_attempts": 3}), "webhookConfig.retry_attempts"),
        (json!({"enabled": true}), "webhookConfig.url"),
    ];
    for (hook, parameter) in cases {
        let (status, body) = patch_raw(
            &sandbox,
            &id,
            json!({"name": "Renamed", "webhookConfig": hook}),
        )
        .await;
        assert_eq!(status, 400, "{hook}: {body}");
        assert_eq!(
            body["error"]["details"]["parameter"], parameter,
            "{hook}: {body}"
        );
    }
    let app = get_raw(&sandbox, &format!("apps/{id}")).await;
    assert_eq!(app["name"], "Strict", "a refused PATCH changes nothing");
    assert_eq!(
        app["webhookConfig"],
        json!({"enabled": false, "retryAttempts": 3, "timeoutSeconds": 10, "events": []})
    );
}

#[tokio::test]
async fn sandbox_rotation_replays_the_same_secret_and_a_new_key_changes_it() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let id = new_app(&sandbox, "Signed").await;
    let first = rotate_raw(&sandbox, &id, "rotate-1").await;
    assert_eq!(first.status(), 200);
    assert!(!first.headers().contains_key("idempotency-replayed"));
    let first: Value = first.json().await.unwrap();
    let secret = first["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");

    let replay = rotate_raw(&sandbox, &id, "rotate-1").await;
    assert_eq!(replay.headers()["idempotency-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay["secret"], secret.as_str());
    let config = get_raw(&sandbox, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(
        config["secret"],
        secret.as_str(),
        "the replay issued nothing new"
    );

    let second: Value = rotate_raw(&sandbox, &id, "rotate-2")
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(second["secret"], secret.as_str());
    let config = get_raw(&sandbox, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(config["secret"], second["secret"], "the old secret is gone");
    // An app's own JSON never carries the webhook secret.
    let app = get_raw(&sandbox, &format!("apps/{id}")).await;
    assert!(!app.to_string().contains("whsec_"), "{app}");

    let missing = rotate_raw(&sandbox, "NOPE0000", "rotate-3").await;
    assert_eq!(missing.status(), 404);
}

fn client_for(base_url: &str) -> connect_console::api::Client {
    let connection = connect_console::api::Connection::new(
        base_url,
        connect_console::secret::Secret::new(common::KEY),
    )
    .unwrap();
    connect_console::api::Client::new(connection)
        .unwrap()
        .with_retry(common::fast_retry())
}

#[tokio::test]
async fn client_sends_only_the_changed_fields_and_the_server_keeps_the_rest() {
    let (sandbox, apps) = common::demo_sandbox().await;
    // The first demo app has an enabled webhook with an address and two events.
    let app = &apps[0];
    let current = app.webhook_config.clone().unwrap();
    assert!(current.enabled && current.url.is_some(), "{current:?}");
    let recorder = Recorder::start(&format!("http://{}", sandbox.addr())).await;
    let client = client_for(&recorder.base_url());

    let wanted = WebhookPatch {
        enabled: Some(true),
        url: current.url.clone(),
        retry_attempts: Some(5),
        timeout_seconds: current.timeout_seconds,
        events: Some(current.events.iter().rev().cloned().collect()),
    };
    let changes = wanted.changes_from(&current);
    let answer = client
        .update_webhook(&app.client_id, &changes)
        .await
        .unwrap();
    assert!(answer.request_id.is_some());
    let patches = recorder.with_method("PATCH");
    assert_eq!(patches.len(), 1);
    let sent: Value = serde_json::from_str(&patches[0].body).unwrap();
    assert_eq!(sent, json!({"webhookConfig": {"retryAttempts": 5}}));

    let hook = answer.value.webhook_config.unwrap();
    assert_eq!(hook.retry_attempts, Some(5));
    assert_eq!(hook.url, current.url, "the server kept what was not sent");
    assert_eq!(hook.events, current.events);
    assert!(hook.enabled);

    // Nothing left to change: refused before anything is sent.
    let err = client
        .update_webhook(&app.client_id, &wanted.changes_from(&hook))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
    assert_eq!(recorder.with_method("PATCH").len(), 1);
}

#[tokio::test]
async fn client_refuses_a_plain_http_address_before_sending_and_the_server_refuses_it_too() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let id = new_app(&sandbox, "Plain").await;
    let recorder = Recorder::start(&format!("http://{}", sandbox.addr())).await;
    let client = client_for(&recorder.base_url());
    for (patch, parameter) in [
        (
            WebhookPatch {
                url: Some("http://hooks.example.com/in".into()),
                ..WebhookPatch::default()
            },
            "webhookConfig.url",
        ),
        (
            WebhookPatch {
                retry_attempts: Some(11),
                ..WebhookPatch::default()
            },
            "webhookConfig.retryAttempts",
        ),
        (
            WebhookPatch {
                timeout_seconds: Some(0),
                ..WebhookPatch::default()
            },
            "webhookConfig.timeoutSeconds",
        ),
    ] {
        let err = client.update_webhook(&id, &patch).await.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Local, "{patch:?}");
        assert_eq!(
            err.details.as_ref().unwrap()["parameter"],
            parameter,
            "{patch:?}"
        );
    }
    assert!(recorder.seen().is_empty(), "nothing was sent");
    let (status, body) = patch_raw(
        &sandbox,
        &id,
        json!({"webhookConfig": {"url": "http://hooks.example.com/in"}}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("VALIDATION_INVALID_PARAMETER"))
    );
    // The generic update checks a webhook patch the same way.
    let update = UpdateApp {
        webhook_config: Some(WebhookPatch {
            url: Some("http://hooks.example.com/in".into()),
            ..WebhookPatch::default()
        }),
        ..UpdateApp::default()
    };
    assert_eq!(
        client.update_app(&id, &update).await.unwrap_err().kind,
        ErrorKind::Local
    );
}

#[tokio::test]
async fn client_rotation_replay_returns_the_same_secret_and_a_new_rotation_changes_it() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let id = new_app(&sandbox, "Rotating").await;
    let client = common::client(&sandbox);
    let key = new_idempotency_key();
    let first = client.rotate_webhook_secret(&id, &key).await.unwrap();
    assert!(!first.replayed);
    assert!(first.value.expose().starts_with("whsec_"));
    assert!(first.request_id.is_some());
    let debug = format!("{first:?}");
    assert!(!debug.contains("whsec_"), "never in Debug: {debug}");

    let replay = client.rotate_webhook_secret(&id, &key).await.unwrap();
    assert!(replay.replayed);
    assert_eq!(replay.value.expose(), first.value.expose());

    let second = client
        .rotate_webhook_secret(&id, &new_idempotency_key())
        .await
        .unwrap();
    assert_ne!(second.value.expose(), first.value.expose());
    let config = get_raw(&sandbox, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(
        config["secret"],
        second.value.expose(),
        "the old secret was replaced"
    );

    // A lost answer: the write commits, the connection drops, the retry with the same key
    // gets the same secret.
    sandbox.inject(Fault::DropAfterCommit);
    let key = new_idempotency_key();
    let after_drop = client.rotate_webhook_secret(&id, &key).await.unwrap();
    assert!(after_drop.replayed);
    let config = get_raw(&sandbox, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(config["secret"], after_drop.value.expose());

    let missing = client
        .rotate_webhook_secret("NOPE0000", &new_idempotency_key())
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the command line against `base_url` with its own activity log.
async fn cli(base_url: &str, log: &std::path::Path, args: &[&str]) -> std::process::Output {
    common::run_cli_with(
        None,
        args,
        &[
            ("CONNECT_BASE_URL", base_url),
            ("CONNECT_API_KEY", common::KEY),
            ("CONNECT_ACTIVITY_LOG", log.to_str().unwrap()),
        ],
    )
    .await
}

#[tokio::test]
async fn cli_webhook_shows_the_config_and_sends_only_what_differs() {
    let (sandbox, apps) = common::demo_sandbox().await;
    let app = &apps[0];
    let id = app.client_id.as_str();
    let url = app.webhook_config.as_ref().unwrap().url.clone().unwrap();
    let recorder = Recorder::start(&format!("http://{}", sandbox.addr())).await;
    let base = recorder.base_url();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");

    // No change flag: the current config, nothing written.
    let output = cli(&base, &log, &["apps", "webhook", id, "--json"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let shown: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(shown["webhookConfig"]["url"], url.as_str());
    assert_eq!(shown["clientId"], id);
    let output = cli(&base, &log, &["apps", "webhook", id]).await;
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Retry attempts") && text.contains(&url),
        "{text}"
    );
    assert!(recorder.with_method("PATCH").is_empty());

    // The address it has and the retries it has not: only the retries are sent.
    let args = [
        "apps",
        "webhook",
        id,
        "--url",
        &url,
        "--enable",
        "--retries",
        "5",
        "--json",
    ];
    let output = cli(&base, &log, &args).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let patches = recorder.with_method("PATCH");
    assert_eq!(patches.len(), 1);
    assert_eq!(
        serde_json::from_str::<Value>(&patches[0].body).unwrap(),
        json!({"webhookConfig": {"retryAttempts": 5}})
    );
    let saved: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(saved["changed"], json!(["retryAttempts"]));
    assert_eq!(saved["webhookConfig"]["retryAttempts"], 5);
    assert_eq!(
        saved["webhookConfig"]["url"],
        url.as_str(),
        "kept by the merge"
    );

    // Asked again: nothing differs, nothing is sent.
    let output = cli(&base, &log, &args).await;
    assert!(output.status.success());
    assert!(
        stderr(&output).contains("nothing was sent"),
        "{}",
        stderr(&output)
    );
    assert_eq!(recorder.with_method("PATCH").len(), 1);

    // Events and timeout, then events cleared with "".
    let args = [
        "apps",
        "webhook",
        id,
        "--events",
        "verification.created, verification.failed",
        "--timeout-seconds",
        "20",
    ];
    assert!(cli(&base, &log, &args).await.status.success());
    let body: Value = serde_json::from_str(&recorder.with_method("PATCH")[1].body).unwrap();
    assert_eq!(
        body,
        json!({"webhookConfig": {"timeoutSeconds": 20,
                                  "events": ["verification.created", "verification.failed"]}})
    );
    assert!(
        cli(&base, &log, &["apps", "webhook", id, "--events", ""])
            .await
            .status
            .success()
    );
    let hook = get_raw(&sandbox, &format!("apps/{id}")).await["webhookConfig"].clone();
    assert_eq!(hook["events"], json!([]));
    assert_eq!(hook["timeoutSeconds"], 20);
    assert_eq!(hook["retryAttempts"], 5);

    // A plain http address is refused before anything is read or sent.
    let before = recorder.seen().len();
    let output = cli(
        &base,
        &log,
        &[
            "apps",
            "webhook",
            id,
            "--url",
            "http://hooks.example.com/in",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("https"), "{}", stderr(&output));
    let output = cli(&base, &log, &["apps", "webhook", id, "--retries", "11"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(recorder.seen().len(), before, "nothing was sent");

    // Enabling a webhook without any address is refused with the fix.
    let bare = new_app(&sandbox, "No hook yet").await;
    let output = cli(&base, &log, &["apps", "webhook", &bare, "--enable"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--url"), "{}", stderr(&output));

    // Three changes were made: three entries, each naming what changed.
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|e| e["action"] == "webhook" && e["outcome"] == "ok")
    );
    assert_eq!(lines[0]["detail"], "retryAttempts");
    assert_eq!(lines[0]["appName"], app.name.as_str());
    assert!(lines[0]["requestId"].is_string());
}

#[tokio::test]
async fn cli_rotate_webhook_secret_prints_it_once_with_a_warning() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let id = new_app(&sandbox, "Signed CLI").await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");
    let base = sandbox.base_url();
    let output = cli(
        &base,
        &log,
        &["apps", "rotate-webhook-secret", &id, "--json"],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let rotated: Value = serde_json::from_slice(&output.stdout).unwrap();
    let secret = rotated["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert!(
        stderr(&output).contains("shown only once"),
        "{}",
        stderr(&output)
    );
    let config = get_raw(&sandbox, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(config["secret"], secret.as_str());

    let output = cli(&base, &log, &["apps", "rotate-webhook-secret", &id]).await;
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("New webhook secret") && !text.contains(&secret),
        "{text}"
    );

    let logged = std::fs::read_to_string(&log).unwrap();
    assert_eq!(logged.lines().count(), 2);
    assert!(!logged.contains("whsec_"), "{logged}");
    assert!(logged.contains("rotate-webhook-secret"));
}

#[tokio::test]
async fn cli_webhook_writes_to_production_need_yes() {
    const PROD_KEY: &str = "sk_workspace_prod_FAKE_webhook_tests_only";
    let sandbox = common::start(SandboxConfig {
        api_key: Some(PROD_KEY.into()),
        ..SandboxConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");
    let log = log.to_str().unwrap();
    let base = sandbox.base_url();
    let env = [
        ("CONNECT_BASE_URL", base.as_str()),
        ("CONNECT_API_KEY", PROD_KEY),
        ("CONNECT_ACTIVITY_LOG", log),
    ];
    let output = common::run_cli_with(
        None,
        &["apps", "create", "Prod hooks", "--yes", "--json"],
        &env,
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let id = serde_json::from_slice::<Value>(&output.stdout).unwrap()["clientId"]
        .as_str()
        .unwrap()
        .to_owned();
    for args in [
        vec!["apps", "webhook", &id, "--retries", "4"],
        vec!["apps", "rotate-webhook-secret", &id],
    ] {
        let output = common::run_cli_with(None, &args, &env).await;
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(stderr(&output).contains("--yes"), "{}", stderr(&output));
        let mut with_yes = args.clone();
        with_yes.push("--yes");
        let output = common::run_cli_with(None, &with_yes, &env).await;
        assert!(output.status.success(), "{with_yes:?}: {}", stderr(&output));
    }
    let hook = get_raw_with(&sandbox, PROD_KEY, &format!("apps/{id}/webhook-config")).await;
    assert_eq!(hook["retryAttempts"], 4);
}

async fn get_raw_with(sandbox: &RunningSandbox, key: &str, path: &str) -> Value {
    common::raw()
        .get(common::url(sandbox, path))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
