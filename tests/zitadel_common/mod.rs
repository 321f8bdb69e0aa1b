//! Helpers shared by the ZITADEL tests: a sandbox in ZITADEL mode and a client for it.
#![allow(dead_code)]

use std::time::Duration;

use connect_console::api::RetryPolicy;
use connect_console::sandbox::{self, RunningSandbox, SandboxConfig};
use connect_console::secret::Secret;
use connect_console::zitadel::{ZitadelClient, ZitadelConnection, ZitadelProject};

/// An obviously fake token the ZITADEL sandbox accepts with every permission.
pub const PAT: &str = "FAKE_PAT_integration_tests";
/// An obviously fake token the ZITADEL sandbox accepts for reading only.
pub const READONLY_PAT: &str = "FAKE_PAT_READONLY_integration_tests";

/// A ZITADEL sandbox on a random 127.0.0.1 port with a fixed seed.
pub async fn start(config: SandboxConfig) -> RunningSandbox {
    sandbox::start(SandboxConfig {
        port: 0,
        zitadel: true,
        seed: config.seed.or(Some(11)),
        ..config
    })
    .await
    .expect("sandbox starts")
}

/// The demo instance: "Payments platform" (40 apps) and "Internal tools" in the home org.
pub async fn demo() -> RunningSandbox {
    start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await
}

/// Retries quickly so fault tests stay short, but keeps honouring Retry-After.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(5),
    }
}

pub fn client_with(sandbox: &RunningSandbox, pat: &str, org: Option<&str>) -> ZitadelClient {
    let connection = ZitadelConnection::new(&sandbox.base_url(), Secret::new(pat), org)
        .expect("valid connection");
    ZitadelClient::new(connection)
        .expect("client")
        .with_retry(fast_retry())
}

pub fn client(sandbox: &RunningSandbox) -> ZitadelClient {
    client_with(sandbox, PAT, None)
}

/// The id of the home organisation's project with this name.
pub async fn project_id(client: &ZitadelClient, name: &str) -> String {
    let projects: Vec<ZitadelProject> = client.list_projects().await.expect("projects");
    projects
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
        .unwrap_or_else(|| panic!("project {name}"))
}

/// A plain HTTP client for checking the raw wire format.
pub fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

pub fn url(sandbox: &RunningSandbox, path: &str) -> String {
    format!("{}/management/v1/{path}", sandbox.base_url())
}

/// The file is readable and writable by its owner only (0600 on Unix).
pub fn assert_owner_only(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} is owner-only", path.display());
    }
    #[cfg(not(unix))]
    let _ = path;
}
