//! Decoding: every JSON example of the seeds in both casings, and hostile bodies from a real
//! server (HTML, truncated, empty, wrong types) that must give errors, never panics.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use connect_console::api::{
    ApiError, App, BatchResponse, ErrorKind, RetryPolicy, decode_app_page, decode_body,
};
use connect_console::sandbox::{Fault, SandboxConfig};
use proptest::prelude::*;

fn seed(name: &str) -> String {
    let path = format!("{}/tests/data/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn gen1_create_app_example_decodes() {
    let app: App = decode_body(seed("create-app-v1.response.json").as_bytes()).unwrap();
    assert_eq!(app.client_id, "abc123");
    assert_eq!(app.client_secret.as_ref().unwrap().expose(), "sh_app_...");
    assert_eq!(app.name, "My App");
    let hook = app.webhook_config.as_ref().unwrap();
    assert_eq!(
        (hook.enabled, hook.retry_attempts, hook.timeout_seconds),
        (true, Some(3), Some(10))
    );
    assert_eq!(
        hook.events,
        ["verification.completed", "verification.failed"]
    );
    assert!(app.providers.is_empty());
    // Unknown Gen-1 fields are kept for the detail view.
    assert!(app.extra.contains_key("branding"));
    assert_eq!(app.extra["created_at"], 1_731_465_600);
}

#[test]
fn gen2_create_app_example_decodes_once_its_placeholder_is_filled() {
    let raw = seed("create-app-gen2.response.raw.txt");
    // As published, `"nodes": [...]` is not JSON: a clear error, not a panic.
    let err = decode_body::<App>(raw.as_bytes()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Decode);
    assert!(err.message.contains("not valid JSON"), "{}", err.message);
    let app: App = decode_body(raw.replace("[...]", "[]").as_bytes()).unwrap();
    assert_eq!(app.client_id, "HqTRDIYH");
    assert_eq!(app.default_workflow_id.as_deref(), Some("wf_6ec9b183"));
    assert!(app.providers["passport"].enabled);
    assert_eq!(app.default_workflow().unwrap().name, "My App");
    assert_eq!(app.webhook_config.as_ref().map(|w| w.enabled), Some(false));
}

#[test]
fn update_app_example_decodes_with_nodes_and_provider_config() {
    let app: App = decode_body(seed("update-app.response.json").as_bytes()).unwrap();
    assert_eq!(app.name, "New App Name");
    assert_eq!(app.redirect_uris, ["https://app.example.com/callback"]);
    assert!(app.providers["smartid"].config.is_some());
    assert!(!app.providers["mitid"].enabled);
    let workflow = app.default_workflow().unwrap();
    assert_eq!(workflow.entry_node_id.as_deref(), Some("nd_231bba48"));
    assert_eq!(workflow.nodes.len(), 3);
    assert_eq!(workflow.nodes[1].node_type, "verification");
}

#[test]
fn batch_example_decodes_in_order() {
    let response: BatchResponse =
        decode_body(seed("batch-create-apps.response.json").as_bytes()).unwrap();
    assert_eq!(
        (response.success_count, response.error_count),
        (Some(3), Some(0))
    );
    let names: Vec<&str> = response
        .results
        .iter()
        .map(|r| r.app.as_ref().unwrap().name.as_str())
        .collect();
    assert_eq!(names, ["Acme Corp", "Beta Ltd", "Gamma Inc"]);
    assert_eq!(
        response.results[2].idempotency_key.as_deref(),
        Some("customer-003")
    );
}

#[test]
fn both_casings_give_the_same_app() {
    let camel = r#"{"clientId":"HqTRDIYH","name":"A","redirectUris":["https://a.example.com/cb"],
        "providers":{"passport":{"enabled":true}},"defaultWorkflowId":"wf_1","organizationId":"org_1",
        "webhookConfig":{"enabled":true,"retryAttempts":3,"timeoutSeconds":10,"events":[]}}"#;
    let snake = r#"{"client_id":"HqTRDIYH","name":"A","redirect_uris":["https://a.example.com/cb"],
        "verification":{"request_attributes":[],"providers":[{"provider_id":"passport","enabled":true}]},
        "default_workflow_id":"wf_1","organization_id":"org_1",
        "webhook_config":{"enabled":true,"retry_attempts":3,"timeout_seconds":10,"events":[]}}"#;
    let a: App = decode_body(camel.as_bytes()).unwrap();
    let b: App = decode_body(snake.as_bytes()).unwrap();
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&b).unwrap()
    );
    // Providers may also come as a bare array.
    let listed: App =
        decode_body(br#"{"clientId":"X","providers":[{"providerId":"smartid","enabled":true}]}"#)
            .unwrap();
    assert!(listed.providers["smartid"].enabled);
}

#[test]
fn list_envelopes_with_and_without_object_field() {
    let gen1 = r#"{"object":"list","data":[{"client_id":"a","name":"A"}],"total":1,"limit":20,"offset":0}"#;
    let gen2 = r#"{"data":[{"clientId":"a","clientSecret":"FAKE","name":"A"}],"total":1,"limit":20,"offset":0}"#;
    for body in [gen1, gen2] {
        let page = decode_app_page(body.as_bytes()).unwrap();
        assert_eq!((page.items.len(), page.total), (1, Some(1)));
        assert_eq!(page.items[0].client_id, "a");
    }
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let app: App = decode_body(br#"{"clientId":"X","clientSecret":"FAKE_SECRET_0123456789","webhookConfig":{"secret":"whsec_FAKE"}}"#).unwrap();
    let text = format!("{app:?} {:?}", app.clone());
    assert!(!text.contains("FAKE_SECRET"), "{text}");
    assert!(!text.contains("whsec_FAKE"), "{text}");
    // The secret is still there for the one-time display.
    assert_eq!(
        app.client_secret.unwrap().expose(),
        "FAKE_SECRET_0123456789"
    );
}

/// Hostile answers from a real HTTP server become errors with a sentence, never panics.
#[tokio::test]
async fn hostile_bodies_from_the_server_become_clear_errors() {
    let sandbox = common::start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await;
    let client = common::client(&sandbox).with_retry(RetryPolicy::none());
    let cases: [(u16, &str, &str, ErrorKind, &str); 7] = [
        (
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            ErrorKind::Server,
            "502 Bad Gateway",
        ),
        (
            200,
            "text/html",
            "<!doctype html><html><body>Sign in</body></html>",
            ErrorKind::Decode,
            "web page",
        ),
        (
            200,
            "application/json",
            r#"{"data":[{"clientId":"a","name":"A"},{"clientId":"b","na"#,
            ErrorKind::Decode,
            "cut off",
        ),
        (200, "application/json", "", ErrorKind::Decode, "empty"),
        (
            200,
            "application/json",
            r#"{"data":[{"clientId":42}],"total":1}"#,
            ErrorKind::Decode,
            "clientId",
        ),
        (
            200,
            "application/json",
            r#""just a string""#,
            ErrorKind::Decode,
            "a string",
        ),
        (
            418,
            "application/json",
            r#"{"weird":"shape"}"#,
            ErrorKind::Validation,
            "unknown format",
        ),
    ];
    for (status, content_type, body, kind, needle) in cases {
        sandbox.inject(Fault::Raw {
            status,
            content_type: content_type.into(),
            body: body.into(),
        });
        let err = client.list_apps_page(0, 10).await.unwrap_err();
        assert_eq!(err.kind, kind, "{body}: {}", err.message);
        assert!(err.message.contains(needle), "{body}: {}", err.message);
        assert!(err.request_id.is_some(), "{body}: no request id");
        let line = err.one_line();
        assert!(!line.contains('\n'));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512), status in 400u16..600) {
        let _ = decode_app_page(&body);
        let _ = decode_body::<App>(&body);
        let _ = decode_body::<BatchResponse>(&body);
        let err = ApiError::from_response(status, &body, None, None);
        prop_assert!(!err.user_message().is_empty());
    }

    #[test]
    fn json_shaped_noise_never_panics(body in r#"[\[\]{}",:0-9a-zA-Z_ ]{0,200}"#) {
        let _ = decode_app_page(body.as_bytes());
        let _ = decode_body::<App>(body.as_bytes());
        let _ = ApiError::from_response(500, body.as_bytes(), None, None);
    }

    #[test]
    fn wrong_types_in_app_fields_never_panic(
        field in prop::sample::select(vec!["clientId", "client_id", "redirectUris", "providers", "verification",
                                           "workflows", "webhookConfig", "name", "defaultWorkflowId"]),
        value in prop::sample::select(vec!["1", "true", "null", "\"x\"", "[1,2]", "{\"a\":{}}", "[{\"id\":3}]", "{\"providers\":7}"]),
    ) {
        let body = format!(r#"{{"clientId":"A","{field}":{value}}}"#);
        let _ = decode_body::<App>(body.as_bytes());
        let page = format!(r#"{{"data":[{body}],"total":"many"}}"#);
        let _ = decode_app_page(page.as_bytes());
    }
}
