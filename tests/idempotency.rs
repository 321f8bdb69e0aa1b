//! Exactly-once and retry behaviour under real faults: replays, both 409s, dropped connections
//! after a commit, 500s and 429 with Retry-After.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use connect_console::api::{ErrorKind, RetryPolicy, new_idempotency_key};
use connect_console::sandbox::{Fault, SandboxConfig};
use serde_json::Value;

#[tokio::test]
async fn same_key_same_body_replays_the_first_answer() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let key = new_idempotency_key();
    let post = || common::post_app(&sandbox, &key, "Once");
    let first = post().await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotency-replayed"));
    let first: Value = first.json().await.unwrap();
    let second = post().await.unwrap();
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers()["idempotency-replayed"], "true");
    let second: Value = second.json().await.unwrap();
    assert_eq!(first["clientId"], second["clientId"]);
    assert_eq!(sandbox.app_count(), 1);
}

#[tokio::test]
async fn same_key_different_body_is_a_key_conflict() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    let key = new_idempotency_key();
    client.create_app("First", &key).await.unwrap();
    let err = client.create_app("Second", &key).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::IdempotencyKeyConflict);
    assert_eq!(err.code.as_deref(), Some("IDEMPOTENCY_KEY_CONFLICT"));
    assert_eq!(err.status, Some(409));
    assert!(err.request_id.is_some());
    assert_eq!(sandbox.app_count(), 1);
}

#[tokio::test]
async fn concurrent_duplicate_is_in_progress_and_the_client_waits_it_out() {
    let sandbox = common::start(SandboxConfig {
        latency: Duration::from_millis(400),
        ..SandboxConfig::default()
    })
    .await;
    let key = new_idempotency_key();
    let post = || common::post_app(&sandbox, &key, "Racing");
    let first = post();
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        post().await
    };
    let (first, second) = tokio::join!(first, second);
    assert_eq!(first.unwrap().status(), 201);
    let second = second.unwrap();
    assert_eq!(second.status(), 409);
    let body: Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "IDEMPOTENCY_REQUEST_IN_PROGRESS");

    // The client retries IN_PROGRESS with the same key and ends with the one app.
    let client = common::client(&sandbox);
    let key = new_idempotency_key();
    let (a, b) = tokio::join!(client.create_app("Twice", &key), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        client.create_app("Twice", &key).await
    });
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.value.client_id, b.value.client_id);
    assert!(b.replayed);
    assert_eq!(sandbox.app_count(), 2);
}

#[tokio::test]
async fn create_whose_connection_drops_after_commit_yields_exactly_one_app() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    sandbox.inject(Fault::DropAfterCommit);
    let created = client
        .create_app("Dropped once", &new_idempotency_key())
        .await
        .unwrap();
    assert!(
        created.replayed,
        "the retry should have been answered by the replay"
    );
    assert_eq!(sandbox.app_count(), 1);
    assert_eq!(
        client.get_app(&created.value.client_id).await.unwrap().name,
        "Dropped once"
    );

    // Without retries the drop surfaces as a network error, but the app exists.
    let once = client.clone().with_retry(RetryPolicy::none());
    sandbox.inject(Fault::DropAfterCommit);
    let err = once
        .create_app("Dropped, no retry", &new_idempotency_key())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network);
    assert_eq!(sandbox.app_count(), 2);
}

#[tokio::test]
async fn rotate_retried_after_a_drop_returns_the_secret_that_is_in_force() {
    let sandbox = common::start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await;
    let client = common::client(&sandbox);
    let id = client.list_apps_page(0, 1).await.unwrap().items[0]
        .client_id
        .clone();
    sandbox.inject(Fault::DropAfterCommit);
    let rotated = client
        .rotate_client_secret(&id, &new_idempotency_key())
        .await
        .unwrap();
    assert!(rotated.replayed);
    let current = client.get_app(&id).await.unwrap().client_secret.unwrap();
    assert_eq!(current.expose(), rotated.value.expose());
}

#[tokio::test]
async fn retry_after_is_honoured_on_429() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    sandbox.inject(Fault::TooManyRequests {
        retry_after_secs: 1,
    });
    let started = Instant::now();
    client
        .create_app("Patient", &new_idempotency_key())
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1),
        "retried after {waited:?}, before Retry-After"
    );
    assert!(waited < Duration::from_secs(5));
    assert_eq!(sandbox.app_count(), 1);

    let once = client.clone().with_retry(RetryPolicy::none());
    sandbox.inject(Fault::TooManyRequests {
        retry_after_secs: 2,
    });
    let err = once.list_apps_page(0, 10).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert_eq!(err.retry_after, Some(Duration::from_secs(2)));
}

#[tokio::test]
async fn server_errors_are_retried_and_validation_errors_are_not() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    sandbox.inject(Fault::ServerError);
    sandbox.inject(Fault::ServerError);
    client
        .create_app("Resilient", &new_idempotency_key())
        .await
        .unwrap();
    assert_eq!(sandbox.app_count(), 1);

    // A 400 comes back at once; the queued 500 is still there for the next request.
    let started = Instant::now();
    let err = client.list_apps_page(0, 500).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(started.elapsed() < Duration::from_secs(1));
    let once = client.clone().with_retry(RetryPolicy::none());
    sandbox.inject(Fault::ServerError);
    let err = once.list_apps_page(0, 10).await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_deref()),
        (ErrorKind::Server, Some("SYSTEM_INTERNAL_ERROR"))
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn twenty_creates_under_random_faults_give_exactly_twenty_apps() {
    let sandbox = common::start(SandboxConfig {
        fail_rate: 0.2,
        drop_rate: 0.1,
        seed: Some(2026),
        ..SandboxConfig::default()
    })
    .await;
    let client = common::client(&sandbox);
    let mut ids = std::collections::HashSet::new();
    for i in 0..20 {
        let created = client
            .create_app(&format!("Faulty {i:02}"), &new_idempotency_key())
            .await
            .unwrap();
        ids.insert(created.value.client_id);
    }
    assert_eq!(ids.len(), 20);
    assert_eq!(sandbox.app_count(), 20);
}

#[tokio::test]
async fn idempotency_key_over_255_characters_is_refused() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let err = common::client(&sandbox)
        .create_app("Long key", &"k".repeat(256))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert_eq!(err.parameter(), Some("Idempotency-Key"));
    assert_eq!(sandbox.app_count(), 0);
}
