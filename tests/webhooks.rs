//! Webhooks over HTTP against the sandbox: the PATCH merge and its validation, the secret
//! rotation's idempotency, the client's calls, and the command line.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use connect_console::sandbox::{RunningSandbox, SandboxConfig};
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
