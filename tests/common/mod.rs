//! Helpers shared by the integration tests: an in-process sandbox and a client for it.
#![allow(dead_code)]

pub mod hostile;
pub mod recorder;

use std::time::Duration;

use connect_console::api::{Client, Connection, RetryPolicy};
use connect_console::sandbox::{self, RunningSandbox, SandboxConfig};
use connect_console::secret::Secret;

/// An obviously fake key the sandbox accepts.
pub const KEY: &str = "sk_workspace_test_FAKE_integration_tests";

/// Where the command lines the tests run keep their activity log: in the build's own temporary
/// folder, never in the home folder of whoever runs the tests.
pub const ACTIVITY_LOG: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/activity.jsonl");

/// Starts a sandbox on a random 127.0.0.1 port with a fixed seed.
pub async fn start(config: SandboxConfig) -> RunningSandbox {
    sandbox::start(SandboxConfig {
        port: 0,
        seed: config.seed.or(Some(7)),
        ..config
    })
    .await
    .expect("sandbox starts")
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

pub fn client(sandbox: &RunningSandbox) -> Client {
    let connection =
        Connection::new(&sandbox.base_url(), Secret::new(KEY)).expect("valid connection");
    Client::new(connection)
        .expect("client")
        .with_retry(fast_retry())
}

/// A plain HTTP client for checking raw status codes and headers.
pub fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

pub fn url(sandbox: &RunningSandbox, path: &str) -> String {
    format!("{}/{path}", sandbox.base_url())
}

/// A raw `POST /apps` with an idempotency key, for checking status codes and replay headers.
pub fn post_app(
    sandbox: &RunningSandbox,
    key: &str,
    name: &str,
) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + use<> {
    raw()
        .post(url(sandbox, "apps"))
        .bearer_auth(KEY)
        .header("Idempotency-Key", key)
        .json(&serde_json::json!({ "name": name }))
        .send()
}

/// Runs the `connect-console` binary with `args`, pointed at `sandbox` through the environment
/// (or with no connection at all), for at most 60 s.
pub async fn run_cli(sandbox: Option<&RunningSandbox>, args: &[&str]) -> std::process::Output {
    run_cli_with(sandbox, args, &[]).await
}

/// [`run_cli`] with more environment variables (which override the defaults, such as
/// `CONNECT_ACTIVITY_LOG`).
pub async fn run_cli_with(
    sandbox: Option<&RunningSandbox>,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_connect-console"));
    command
        .args(args)
        .env_remove("CONNECT_BASE_URL")
        .env_remove("CONNECT_API_KEY")
        .env("CONNECT_ACTIVITY_LOG", ACTIVITY_LOG);
    if let Some(sandbox) = sandbox {
        command
            .env("CONNECT_BASE_URL", sandbox.base_url())
            .env("CONNECT_API_KEY", KEY);
    }
    command.envs(env.iter().copied());
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("command finishes")
        .expect("command runs")
}

/// Asserts that only the owner may read or write `path` (Unix; elsewhere nothing to check).
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

/// A sandbox seeded with the demo apps, and those apps as the client reads them.
pub async fn demo_sandbox() -> (RunningSandbox, Vec<connect_console::api::App>) {
    let sandbox = start(SandboxConfig {
        demo: true,
        ..SandboxConfig::default()
    })
    .await;
    let apps = client(&sandbox)
        .list_all_apps(2, |_, _| {})
        .await
        .expect("the demo apps");
    (sandbox, apps)
}
