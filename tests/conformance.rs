//! One conformance suite for every backend: the same operations, the same expectations, run
//! against the in-memory workspace (both shapes), a Hopae workspace over its sandbox and a
//! ZITADEL project over its sandbox (real HTTP on 127.0.0.1). A new backend adds one case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use connect_console::api::{ErrorKind, RetryPolicy};
use connect_console::backends::memory::MemoryWorkspace;
use connect_console::backends::model::WebhookPatch;
use connect_console::backends::{self, AppState, AuthMethod, Connection, NewApp, Workspace};
use connect_console::sandbox::{self, RunningSandbox, SandboxConfig};
use connect_console::secret::Secret;

const HOPAE_KEY: &str = "sk_workspace_test_conformance_FAKE";
const ZITADEL_PAT: &str = "FAKE_PAT_conformance";

fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(1),
    }
}

fn new_app(name: &str, workspace: &dyn Workspace) -> NewApp {
    NewApp {
        name: name.to_owned(),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        auth_method: workspace
            .capabilities()
            .auth_methods
            .then_some(AuthMethod::Basic),
    }
}

/// The operations every backend answers alike, and the ones its capabilities leave out
/// answered as absent, never as something else.
async fn conforms(workspace: Arc<dyn Workspace>, scope: Option<&str>) {
    let caps = workspace.capabilities();
    let no_progress = |_: usize, _: Option<usize>| {};
    workspace.check().await.expect("check");

    let before = workspace
        .list_apps(scope, &no_progress)
        .await
        .expect("list");
    let created = workspace
        .create_app(scope, &new_app("Conformance one", workspace.as_ref()))
        .await
        .expect("create");
    assert_eq!(created.app.name, "Conformance one");
    assert!(!created.app.client_id.is_empty());
    let secret = created.secret.as_ref().expect("a basic app has a secret");
    assert!(!secret.expose().is_empty());
    let id = created.app.id.clone();

    let listed = workspace
        .list_apps(scope, &no_progress)
        .await
        .expect("list");
    assert_eq!(listed.len(), before.len() + 1);
    assert!(listed.iter().any(|a| a.id == id));

    let got = workspace.get_app(scope, &id).await.expect("get");
    assert_eq!(
        (got.name.as_str(), got.client_id.as_str()),
        ("Conformance one", created.app.client_id.as_str())
    );

    let renamed = workspace
        .rename_app(scope, &id, "Conformance renamed")
        .await
        .expect("rename")
        .value;
    assert_eq!(renamed.name, "Conformance renamed");
    let found = workspace
        .find_apps_by_name(scope, "Conformance renamed")
        .await
        .expect("find");
    assert_eq!(
        found.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [id.as_str()]
    );

    let rotated = workspace
        .rotate_secret(scope, &id, &uuid::Uuid::new_v4().to_string())
        .await
        .expect("rotate")
        .value;
    assert_ne!(
        rotated.expose(),
        secret.expose(),
        "a rotation issues a new secret"
    );

    let uris = vec!["https://conformance.example/cb".to_owned()];
    let replaced = workspace.replace_redirect_uris(scope, &id, &uris).await;
    if caps.redirect_uris {
        assert_eq!(replaced.expect("redirect URIs").value, uris);
        let got = workspace.get_app(scope, &id).await.expect("get");
        assert_eq!(got.redirect_uris(), uris.as_slice());
    } else {
        assert!(replaced.is_err(), "an absent operation is refused");
    }

    let deactivated = workspace.set_active(scope, &id, false).await;
    if caps.activation {
        assert_eq!(
            deactivated.expect("deactivate").value.state(),
            Some(AppState::Inactive)
        );
        let back = workspace
            .set_active(scope, &id, true)
            .await
            .expect("reactivate");
        assert_eq!(back.value.state(), Some(AppState::Active));
    } else {
        assert!(deactivated.is_err());
    }

    let patch = WebhookPatch {
        url: Some("https://hooks.conformance.example/in".into()),
        enabled: Some(true),
        ..WebhookPatch::default()
    };
    let hooked = workspace.update_webhook(scope, &id, &patch).await;
    let rotated_hook = workspace
        .rotate_webhook_secret(scope, &id, &uuid::Uuid::new_v4().to_string())
        .await;
    if caps.webhook {
        let app = hooked.expect("webhook").value;
        let hook = app.webhook().expect("a webhook");
        assert!(hook.enabled);
        assert_eq!(
            hook.url.as_deref(),
            Some("https://hooks.conformance.example/in")
        );
        assert!(
            !rotated_hook
                .expect("webhook secret")
                .value
                .expose()
                .is_empty()
        );
    } else {
        assert!(hooked.is_err() && rotated_hook.is_err());
    }

    let providers = workspace.list_providers(scope, &id).await;
    if caps.providers {
        let providers = providers.expect("providers");
        assert!(!providers.is_empty(), "the catalog lists providers");
    } else {
        assert!(providers.is_err());
    }

    let scopes = workspace.list_scopes().await;
    assert_eq!(
        scopes.is_ok(),
        caps.scopes,
        "scopes exist exactly where the capability says"
    );

    if caps.duplicate_names {
        let twin = workspace
            .create_app(scope, &new_app("Conformance renamed", workspace.as_ref()))
            .await
            .expect("a second app of the same name");
        assert_ne!(twin.app.id, id);
    } else {
        let twin = workspace
            .create_app(scope, &new_app("Conformance renamed", workspace.as_ref()))
            .await;
        assert!(twin.is_err(), "names are unique here");
    }

    let missing = workspace.get_app(scope, "999999999999999999").await;
    assert_eq!(missing.map(|a| a.id).unwrap_err().kind, ErrorKind::NotFound);
}

async fn hopae_sandbox() -> (RunningSandbox, Arc<dyn Workspace>) {
    let running = sandbox::start(SandboxConfig {
        port: 0,
        seed: Some(21),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let connection = Connection::new(
        backends::BackendKind::Hopae,
        &running.base_url(),
        Secret::new(HOPAE_KEY),
        None,
    )
    .expect("connection");
    let workspace = backends::open(connection, false)
        .expect("open")
        .with_limits(Some(quick_retry()), Duration::from_secs(10));
    (running, workspace)
}

async fn zitadel_sandbox() -> (RunningSandbox, Arc<dyn Workspace>, String) {
    let running = sandbox::start(SandboxConfig {
        port: 0,
        zitadel: true,
        seed: Some(22),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let connection = Connection::new(
        backends::BackendKind::Zitadel,
        &running.base_url(),
        Secret::new(ZITADEL_PAT),
        None,
    )
    .expect("connection");
    let workspace = backends::open(connection, false)
        .expect("open")
        .with_limits(Some(quick_retry()), Duration::from_secs(10));
    let project = workspace
        .list_scopes()
        .await
        .expect("projects")
        .into_iter()
        .next()
        .expect("the sandbox has a project")
        .id;
    (running, workspace, project)
}

#[tokio::test]
async fn memory_workspace_conforms() {
    conforms(MemoryWorkspace::workspace(1), None).await;
}

#[tokio::test]
async fn memory_project_conforms() {
    let (workspace, project) = MemoryWorkspace::project(2, "Conformance");
    conforms(workspace, Some(&project)).await;
}

#[tokio::test]
async fn hopae_over_its_sandbox_conforms() {
    let (_running, workspace) = hopae_sandbox().await;
    conforms(workspace, None).await;
}

#[tokio::test]
async fn zitadel_over_its_sandbox_conforms() {
    let (_running, workspace, project) = zitadel_sandbox().await;
    conforms(workspace, Some(&project)).await;
}

#[tokio::test]
async fn the_memory_workspace_is_deterministic_for_a_seed() {
    let ids = |workspace: Arc<MemoryWorkspace>| async move {
        let created = workspace
            .create_app(
                None,
                &NewApp {
                    name: "Same".into(),
                    idempotency_key: "k-1".into(),
                    auth_method: None,
                },
            )
            .await
            .expect("create");
        (
            created.app.id,
            created.secret.map(|s| s.expose().to_owned()),
        )
    };
    assert_eq!(
        ids(MemoryWorkspace::workspace(9)).await,
        ids(MemoryWorkspace::workspace(9)).await
    );
}
