//! Every endpoint and error code of the Workspace API, through the client and raw HTTP, against
//! the sandbox on 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use connect_console::api::{
    ApiError, BatchItem, BatchRequest, ErrorKind, PAGE_LIMIT, new_idempotency_key,
};
use connect_console::sandbox::SandboxConfig;
use serde_json::{Value, json};

fn demo() -> SandboxConfig {
    SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    }
}

#[tokio::test]
async fn lists_every_app_across_concurrent_pages() {
    let sandbox = common::start(SandboxConfig {
        generated_apps: 250,
        ..demo()
    })
    .await;
    let client = common::client(&sandbox);
    let progress = std::sync::Mutex::new(Vec::new());
    let apps = client
        .list_all_apps(4, |loaded, total| {
            progress.lock().unwrap().push((loaded, total))
        })
        .await
        .unwrap();
    assert_eq!(apps.len(), 270);
    // Order is the server's: demo apps first, then the generated ones in sequence.
    assert_eq!(apps[20].name, "Customer 00001");
    assert_eq!(apps[269].name, "Customer 00250");
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.len(), 3);
    assert_eq!(progress.last(), Some(&(270, Some(270))));
    // The demo data has names in Korean and Japanese.
    assert!(apps.iter().any(|a| a.name.contains("한빛")));
    assert!(apps.iter().any(|a| a.name.contains("さくら")));
}

#[tokio::test]
async fn an_address_without_the_api_path_is_named_as_the_problem() {
    let sandbox = common::start(demo()).await;
    // The server's origin alone: the usual mistake when a base URL is typed by hand.
    let origin = sandbox.base_url().replace("/connect/v1", "");
    let connection = connect_console::api::Connection::new(
        &origin,
        connect_console::secret::Secret::new(common::KEY),
    )
    .unwrap();
    let client = connect_console::api::Client::new(connection).unwrap();
    let err = client.list_apps_page(0, PAGE_LIMIT).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Protocol);
    let message = err.user_message();
    assert!(message.contains("no app list at this address"), "{message}");
    assert!(message.contains("/connect/v1"), "{message}");
    assert!(!message.contains("removed"), "{message}");
}

#[tokio::test]
async fn page_limit_above_100_is_a_validation_error() {
    let sandbox = common::start(demo()).await;
    let client = common::client(&sandbox);
    let page = client.list_apps_page(5, PAGE_LIMIT).await.unwrap();
    assert_eq!(
        (page.total, page.offset, page.items.len()),
        (Some(20), Some(5), 15)
    );
    let err = client.list_apps_page(0, 101).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Validation);
    assert_eq!(err.code.as_deref(), Some("VALIDATION_INVALID_PARAMETER"));
    assert_eq!(err.parameter(), Some("limit"));
    assert!(err.request_id.is_some());
    let response = common::raw()
        .get(common::url(&sandbox, "apps?limit=abc"))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn create_returns_201_location_secret_and_a_default_workflow() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let response = common::post_app(&sandbox, &new_idempotency_key(), "Acme")
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(response.headers().contains_key("x-request-id"));
    let body: Value = response.json().await.unwrap();
    let id = body["clientId"].as_str().unwrap();
    assert_eq!(location, format!("/connect/v1/apps/{id}"));
    assert_eq!(id.len(), 8);
    assert_eq!(body["clientSecret"].as_str().unwrap().len(), 64);

    let client = common::client(&sandbox);
    let app = client.get_app(id).await.unwrap();
    assert_eq!(app.name, "Acme");
    assert!(app.providers["passport"].enabled);
    let workflow = app.default_workflow().unwrap();
    let types: Vec<&str> = workflow
        .nodes
        .iter()
        .map(|n| n.node_type.as_str())
        .collect();
    assert_eq!(types, ["request", "verification", "response"]);
    assert_eq!(
        workflow.entry_node_id.as_deref(),
        Some(workflow.nodes[0].id.as_str())
    );

    let created = client
        .create_app("  Café 東京 ", &new_idempotency_key())
        .await
        .unwrap();
    assert_eq!(created.value.name, "Café 東京");
    assert!(created.value.client_secret.is_some());
    assert!(!created.replayed);
}

#[tokio::test]
async fn missing_or_wrong_keys_get_the_401_envelope() {
    let sandbox = common::start(SandboxConfig {
        api_key: Some("sk_workspace_test_FAKE_only_this_one".into()),
        ..SandboxConfig::default()
    })
    .await;
    let response = common::raw()
        .get(common::url(&sandbox, "apps"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "AUTH_INVALID_CREDENTIALS");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()));

    let err = common::client(&sandbox)
        .list_apps_page(0, 10)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unauthorized);
    assert!(
        err.user_message().contains("API key"),
        "{}",
        err.user_message()
    );
}

#[tokio::test]
async fn unknown_app_route_and_method_give_envelopes() {
    let sandbox = common::start(demo()).await;
    let client = common::client(&sandbox);
    let err = client.get_app("NoSuchAp").await.unwrap_err();
    assert_eq!(
        (err.kind, err.code.as_deref()),
        (ErrorKind::NotFound, Some("RESOURCE_NOT_FOUND"))
    );
    assert!(err.request_id.is_some());
    for (method, path) in [
        (reqwest::Method::GET, "nothing/here"),
        (reqwest::Method::DELETE, "apps"),
    ] {
        let response = common::raw()
            .request(method, common::url(&sandbox, path))
            .bearer_auth(common::KEY)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error());
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["code"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn rename_changes_only_the_name_and_refuses_immutable_fields() {
    let sandbox = common::start(demo()).await;
    let client = common::client(&sandbox);
    let id = client.list_apps_page(0, 1).await.unwrap().items[0]
        .client_id
        .clone();
    let renamed = client.rename_app(&id, "새 이름").await.unwrap();
    assert_eq!(renamed.name, "새 이름");
    assert_eq!(client.get_app(&id).await.unwrap().name, "새 이름");

    let patch = |body: Value| {
        common::raw()
            .patch(common::url(&sandbox, &format!("apps/{id}")))
            .bearer_auth(common::KEY)
            .json(&body)
            .send()
    };
    let cases = [
        (
            json!({"clientSecret": "FAKE"}),
            "VALIDATION_INVALID_PARAMETER",
            "clientSecret",
        ),
        (
            json!({"clientId": "X"}),
            "VALIDATION_INVALID_PARAMETER",
            "clientId",
        ),
        (
            json!({"name": "   "}),
            "VALIDATION_MISSING_PARAMETER",
            "name",
        ),
        (
            json!({"name": "x".repeat(101)}),
            "VALIDATION_INVALID_PARAMETER",
            "name",
        ),
        (json!({"name": 5}), "VALIDATION_INVALID_PARAMETER", "name"),
    ];
    for (body, code, parameter) in cases {
        let response = patch(body).await.unwrap();
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code);
        assert_eq!(body["error"]["details"]["parameter"], parameter);
    }
    // Local validation refuses before sending.
    let err = client.rename_app(&id, "").await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
    assert_eq!(client.get_app(&id).await.unwrap().name, "새 이름");
}

#[tokio::test]
async fn rotate_issues_a_new_secret() {
    let sandbox = common::start(demo()).await;
    let client = common::client(&sandbox);
    let before = client.list_apps_page(0, 1).await.unwrap().items.remove(0);
    let rotated = client
        .rotate_client_secret(&before.client_id, &new_idempotency_key())
        .await
        .unwrap();
    let old = before.client_secret.unwrap();
    assert_ne!(rotated.value.expose(), old.expose());
    assert_eq!(rotated.value.expose().len(), 64);
    let after = client.get_app(&before.client_id).await.unwrap();
    assert_eq!(
        after.client_secret.unwrap().expose(),
        rotated.value.expose()
    );
    let err = client
        .rotate_client_secret("NoSuchAp", &new_idempotency_key())
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn redirect_uris_follow_the_documented_rules() {
    let sandbox = common::start(demo()).await;
    let client = common::client(&sandbox);
    let id = client.list_apps_page(0, 1).await.unwrap().items[0]
        .client_id
        .clone();
    let saved = client
        .replace_redirect_uris(
            &id,
            &[
                "https://A.example.com/cb".into(),
                "http://localhost:8080/cb".into(),
                "https://a.example.com/cb".into(),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        saved,
        ["https://a.example.com/cb", "http://localhost:8080/cb"]
    );
    assert_eq!(client.get_app(&id).await.unwrap().redirect_uris, saved);

    // The client refuses bad URIs before sending anything.
    let err = client
        .replace_redirect_uris(&id, &["http://insecure.example.com/cb".into()])
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Local);
    assert_eq!(err.parameter(), Some("redirectUris"));

    // The server enforces the same rules on its own.
    for uris in [
        json!(["http://insecure.example.com/cb"]),
        json!(["https://a.example.com/cb#x"]),
        json!(["/relative"]),
        json!(
            (0..21)
                .map(|i| format!("https://h{i}.example.com/"))
                .collect::<Vec<_>>()
        ),
        json!([format!("https://a.example.com/{}", "x".repeat(2048))]),
    ] {
        let response = common::raw()
            .put(common::url(&sandbox, &format!("apps/{id}/redirect-uris")))
            .bearer_auth(common::KEY)
            .json(&json!({ "redirectUris": uris }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{uris}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "VALIDATION_INVALID_PARAMETER");
    }
    let response = common::raw()
        .put(common::url(&sandbox, &format!("apps/{id}/redirect-uris")))
        .bearer_auth(common::KEY)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "VALIDATION_MISSING_PARAMETER");
    assert_eq!(client.get_app(&id).await.unwrap().redirect_uris, saved);
}

fn item(name: &str, key: Option<&str>) -> BatchItem {
    BatchItem {
        name: name.into(),
        redirect_uris: vec![format!(
            "https://{}.example.com/cb",
            name.to_lowercase().replace(' ', "-")
        )],
        idempotency_key: key.map(str::to_owned),
        ..BatchItem::default()
    }
}

#[tokio::test]
async fn batch_matches_results_by_index_and_honours_continue_on_error() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    let items = vec![
        item("Acme Corp", Some("customer-001")),
        item("", Some("customer-002")),
        item("Gamma Inc", None),
    ];

    let request = BatchRequest {
        items: items.clone(),
        continue_on_error: true,
    };
    let response = client
        .batch_create(&request, &new_idempotency_key())
        .await
        .unwrap()
        .value;
    assert_eq!(
        (response.success_count, response.error_count),
        (Some(2), Some(1))
    );
    assert_eq!(response.results.len(), 3);
    assert_eq!(response.results[0].app.as_ref().unwrap().name, "Acme Corp");
    assert_eq!(
        response.results[0].idempotency_key.as_deref(),
        Some("customer-001")
    );
    let error = ApiError::from_item_error(response.results[1].error.as_ref().unwrap());
    assert_eq!(error.code.as_deref(), Some("VALIDATION_MISSING_PARAMETER"));
    assert_eq!(response.results[2].app.as_ref().unwrap().name, "Gamma Inc");
    assert_eq!(sandbox.app_count(), 2);

    // Without continueOnError the first failure stops the batch.
    let request = BatchRequest {
        items: vec![item("Delta", None), item("", None), item("Epsilon", None)],
        continue_on_error: false,
    };
    let response = client
        .batch_create(&request, &new_idempotency_key())
        .await
        .unwrap()
        .value;
    assert_eq!(response.results.len(), 2);
    assert!(response.results[1].error.is_some());
    assert_eq!(sandbox.app_count(), 3);

    // A per-item key seen before returns the same app and creates nothing.
    let request = BatchRequest {
        items: vec![item("Acme Corp", Some("customer-001"))],
        continue_on_error: true,
    };
    let again = client
        .batch_create(&request, &new_idempotency_key())
        .await
        .unwrap()
        .value;
    assert_eq!(again.results[0].app.as_ref().unwrap().client_id, {
        let first = client.list_apps_page(0, 1).await.unwrap();
        first.items[0].client_id.clone()
    });
    assert_eq!(sandbox.app_count(), 3);
    // The same per-item key for a different item is a per-item conflict.
    let request = BatchRequest {
        items: vec![item("Other", Some("customer-001"))],
        continue_on_error: true,
    };
    let conflict = client
        .batch_create(&request, &new_idempotency_key())
        .await
        .unwrap()
        .value;
    let error = ApiError::from_item_error(conflict.results[0].error.as_ref().unwrap());
    assert_eq!(error.kind, ErrorKind::IdempotencyKeyConflict);

    // Over 100 items: refused locally, and by the server.
    let too_many = BatchRequest {
        items: (0..101).map(|i| item(&format!("A{i}"), None)).collect(),
        continue_on_error: true,
    };
    assert_eq!(
        client.batch_create(&too_many, "k").await.unwrap_err().kind,
        ErrorKind::Local
    );
    let response = common::raw()
        .post(common::url(&sandbox, "apps/batch"))
        .bearer_auth(common::KEY)
        .json(&too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(sandbox.app_count(), 3);
}

#[tokio::test]
async fn workflows_node_types_and_workspace() {
    let sandbox = common::start(demo()).await;
    let client = common::client(&sandbox);
    let apps = client.list_all_apps(2, |_, _| {}).await.unwrap();
    let kyc_app = &apps[0];
    let workflows = client.list_workflows(&kyc_app.client_id).await.unwrap();
    assert_eq!(workflows.len(), 2);
    let kyc = &workflows[1];
    for kind in ["if", "evaluate", "check-min-loa", "check-claim"] {
        assert!(
            kyc.nodes.iter().any(|n| n.node_type == kind),
            "no {kind} node"
        );
    }
    let long = client.list_workflows(&apps[2].client_id).await.unwrap();
    assert_eq!(long[1].nodes.len(), 40);
    let broken = client.list_workflows(&apps[1].client_id).await.unwrap();
    assert!(broken[1].nodes.iter().any(|n| n.id == "nd_orphan"));

    let types = client.node_types(&kyc_app.client_id).await.unwrap();
    let names: Vec<&str> = types.iter().map(|t| t.node_type.as_str()).collect();
    assert_eq!(
        names,
        [
            "request",
            "verification",
            "check-min-loa",
            "check-claim",
            "evaluate",
            "if",
            "response"
        ]
    );

    let response = common::raw()
        .get(common::url(
            &sandbox,
            &format!("apps/{}/workflows/{}", kyc_app.client_id, kyc.workflow_id),
        ))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = common::raw()
        .get(common::url(
            &sandbox,
            &format!("apps/{}/workflows/wf_nothing", kyc_app.client_id),
        ))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let workspace: Value = common::raw()
        .get(common::url(&sandbox, "workspace"))
        .bearer_auth(common::KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(workspace["apps_count"], 20);
    assert!(workspace["id"].as_str().unwrap().starts_with("org_"));
    assert_eq!(
        client.list_workflows("NoSuchAp").await.unwrap_err().kind,
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("sandbox.json");
    let config = SandboxConfig {
        state_file: Some(state.clone()),
        ..SandboxConfig::default()
    };
    let sandbox = common::start(config.clone()).await;
    let created = common::client(&sandbox)
        .create_app("Kept", &new_idempotency_key())
        .await
        .unwrap();
    sandbox.stop().await;
    assert!(!dir.path().join("sandbox.tmp").exists());

    let sandbox = common::start(config).await;
    let app = common::client(&sandbox)
        .get_app(&created.value.client_id)
        .await
        .unwrap();
    assert_eq!(app.name, "Kept");
    assert_eq!(sandbox.app_count(), 1);
}

/// The console's embedded demo has the same client ids at every start.
#[tokio::test]
async fn the_embedded_demo_keeps_its_client_ids_from_start_to_start() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let sandbox = connect_console::sandbox::start(SandboxConfig::embedded_demo(0))
            .await
            .unwrap();
        let mut apps: Vec<(String, String)> = common::client(&sandbox)
            .list_all_apps(1, |_, _| {})
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.name, a.client_id))
            .collect();
        apps.sort();
        runs.push(apps);
    }
    assert!(!runs[0].is_empty());
    assert_eq!(runs[0], runs[1]);
}
