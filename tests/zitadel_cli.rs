//! The command line on ZITADEL end to end: the real binary against the sandbox's ZITADEL mode
//! on 127.0.0.1, configured through CONNECT_BACKEND, CONNECT_BASE_URL, CONNECT_API_KEY,
//! ZITADEL_PROJECT_ID and ZITADEL_ORG_ID (or their flags).

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod zitadel_common;

use std::process::Output;
use std::time::Duration;

use connect_console::sandbox::zitadel::PARTNER_ORG_ID;
use connect_console::sandbox::{Fault, RunningSandbox};
use serde_json::Value;
use tokio::io::AsyncBufReadExt as _;
use tokio::process::Command;
use zitadel_common as zc;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");

/// How the binary is pointed at the sandbox.
struct Env<'a> {
    sandbox: Option<&'a RunningSandbox>,
    project: Option<&'a str>,
    org: Option<&'a str>,
    token: &'a str,
    backend_env: bool,
}

impl<'a> Env<'a> {
    fn new(sandbox: &'a RunningSandbox, project: &'a str) -> Self {
        Self {
            sandbox: Some(sandbox),
            project: Some(project),
            org: None,
            token: zc::PAT,
            backend_env: true,
        }
    }

    /// Runs the binary with `args` for at most 60 s; stdin is not a terminal.
    async fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(BIN);
        command.args(args).env(
            "CONNECT_ACTIVITY_LOG",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/activity.jsonl"),
        );
        for name in [
            "CONNECT_BACKEND",
            "CONNECT_BASE_URL",
            "CONNECT_API_KEY",
            "ZITADEL_PROJECT_ID",
            "ZITADEL_ORG_ID",
        ] {
            command.env_remove(name);
        }
        if self.backend_env {
            command.env("CONNECT_BACKEND", "zitadel");
        }
        if let Some(sandbox) = self.sandbox {
            command
                .env("CONNECT_BASE_URL", sandbox.base_url())
                .env("CONNECT_API_KEY", self.token);
        }
        if let Some(project) = self.project {
            command.env("ZITADEL_PROJECT_ID", project);
        }
        if let Some(org) = self.org {
            command.env("ZITADEL_ORG_ID", org);
        }
        tokio::time::timeout(Duration::from_secs(60), command.output())
            .await
            .expect("command finishes")
            .expect("command runs")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// Exit 1 and one short line on stderr, starting with `error: `.
fn assert_one_line_failure(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
    let err = stderr(output);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.len() < 600, "{err}");
    err
}

async fn demo_with_payments() -> (RunningSandbox, String) {
    let sandbox = zc::demo().await;
    let payments = zc::project_id(&zc::client(&sandbox), "Payments platform").await;
    (sandbox, payments)
}

#[tokio::test]
async fn projects_list_as_json_and_as_a_table() {
    let sandbox = zc::demo().await;
    let env = Env {
        project: None,
        backend_env: false,
        ..Env::new(&sandbox, "")
    };
    // The flag instead of CONNECT_BACKEND.
    let projects = json(
        &env.run(&["projects", "list", "--json", "--backend", "zitadel"])
            .await,
    );
    let projects = projects.as_array().unwrap();
    assert_eq!(projects.len(), 2);
    assert_eq!(projects[0]["name"], "Payments platform");
    assert!(projects.iter().all(|p| p["id"].is_string()));
    let output = env.run(&["projects", "--backend", "zitadel", "list"]).await;
    let text = stdout(&output);
    assert!(text.starts_with("PROJECT ID"), "{text}");
    assert!(text.contains("Internal tools"), "{text}");
    // Without the backend, projects are a ZITADEL thing.
    let output = env.run(&["projects", "list"]).await;
    assert!(assert_one_line_failure(&output).contains("--backend zitadel"));
}

#[tokio::test]
async fn apps_list_and_get_by_app_id_or_client_id() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);
    let apps = json(&env.run(&["apps", "list", "--json"]).await);
    let apps = apps.as_array().unwrap();
    assert_eq!(apps.len(), 40);
    for app in apps {
        assert!(
            app["appId"].is_string() && app["clientId"].is_string(),
            "{app}"
        );
        assert!(["active", "inactive"].contains(&app["state"].as_str().unwrap()));
        assert!(["basic", "private-key-jwt"].contains(&app["authMethod"].as_str().unwrap()));
        assert!(app.get("clientSecret").is_none());
    }
    assert_eq!(apps.iter().filter(|a| a["state"] == "inactive").count(), 5);

    let legacy = &apps[0];
    let by_client = json(
        &env.run(&[
            "apps",
            "get",
            legacy["clientId"].as_str().unwrap(),
            "--json",
        ])
        .await,
    );
    assert_eq!(by_client["appId"], legacy["appId"]);
    let by_app = json(
        &env.run(&["apps", "get", legacy["appId"].as_str().unwrap(), "--json"])
            .await,
    );
    assert_eq!(by_app["clientId"], legacy["clientId"]);

    let output = env
        .run(&["apps", "get", legacy["appId"].as_str().unwrap()])
        .await;
    let text = stdout(&output);
    assert!(
        text.contains("billing-dev") && text.contains("hidden"),
        "{text}"
    );

    let output = env.run(&["apps", "list", "--search", "LEDGER"]).await;
    let text = stdout(&output);
    assert!(text.starts_with("APP ID"), "{text}");
    assert_eq!(text.lines().count(), 5, "{text}");
}

#[tokio::test]
async fn create_prints_a_basic_secret_once_and_none_for_keys() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);
    let output = env
        .run(&[
            "apps",
            "create",
            "CLI basic",
            "--auth-method",
            "basic",
            "--json",
        ])
        .await;
    let basic = json(&output);
    let secret = basic["clientSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert_eq!(
        (basic["authMethod"].as_str(), basic["state"].as_str()),
        (Some("basic"), Some("active"))
    );
    assert!(sandbox.zitadel_secret_matches(basic["appId"].as_str().unwrap(), secret));
    assert!(stderr(&output).contains("shown only once"));

    let output = env
        .run(&[
            "apps",
            "create",
            "CLI keys",
            "--auth-method",
            "private-key-jwt",
            "--json",
        ])
        .await;
    let keys = json(&output);
    assert!(keys.get("clientSecret").is_none(), "{keys}");
    assert_eq!(keys["authMethod"], "private-key-jwt");
    assert!(!stderr(&output).contains("shown only once"));
    let output = env
        .run(&[
            "apps",
            "create",
            "CLI keys table",
            "--auth-method",
            "private-key-jwt",
        ])
        .await;
    assert!(
        stdout(&output).contains("signs with keys"),
        "{}",
        stdout(&output)
    );

    // The same name again, and no auth method: one line, exit 1.
    let output = env
        .run(&["apps", "create", "CLI basic", "--auth-method", "basic"])
        .await;
    assert!(assert_one_line_failure(&output).contains("already exists in this project"));
    let output = env.run(&["apps", "create", "No method"]).await;
    assert!(assert_one_line_failure(&output).contains("--auth-method"));
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_names_the_app_it_made() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);
    sandbox.inject(Fault::DropAfterCommit);
    let output = env
        .run(&[
            "apps",
            "create",
            "Lost on the way",
            "--auth-method",
            "basic",
        ])
        .await;
    let err = assert_one_line_failure(&output);
    assert!(
        err.contains("now exists") && err.contains("rotate-secret"),
        "{err}"
    );
    let apps = json(
        &env.run(&["apps", "list", "--json", "--search", "Lost on the way"])
            .await,
    );
    assert_eq!(apps.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rename_and_the_same_name_is_nothing_to_change() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);
    let apps = json(
        &env.run(&["apps", "list", "--json", "--search", "payouts-dev"])
            .await,
    );
    let id = apps[0]["appId"].as_str().unwrap().to_owned();
    let output = env.run(&["apps", "rename", &id, "Payouts (dev)"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Renamed"), "{}", stdout(&output));
    let output = env.run(&["apps", "rename", &id, "Payouts (dev)"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("nothing to change"),
        "{}",
        stdout(&output)
    );
    let app = json(&env.run(&["apps", "get", &id, "--json"]).await);
    assert_eq!(app["name"], "Payouts (dev)");
}

#[tokio::test]
async fn rotate_secret_for_basic_and_refused_for_keys() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);
    let apps = json(&env.run(&["apps", "list", "--json"]).await);
    let apps = apps.as_array().unwrap();
    let basic = apps.iter().find(|a| a["authMethod"] == "basic").unwrap();
    let output = env
        .run(&[
            "apps",
            "rotate-secret",
            basic["clientId"].as_str().unwrap(),
            "--yes",
            "--json",
        ])
        .await;
    let rotated = json(&output);
    let secret = rotated["clientSecret"].as_str().unwrap();
    assert!(sandbox.zitadel_secret_matches(basic["appId"].as_str().unwrap(), secret));
    assert!(stderr(&output).contains("shown only once"));

    let keys = apps
        .iter()
        .find(|a| a["authMethod"] == "private-key-jwt")
        .unwrap();
    let output = env
        .run(&[
            "apps",
            "rotate-secret",
            keys["appId"].as_str().unwrap(),
            "--yes",
        ])
        .await;
    assert!(assert_one_line_failure(&output).contains("signs with keys"));
}

#[tokio::test]
async fn deactivate_and_reactivate() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);
    let apps = json(
        &env.run(&["apps", "list", "--json", "--search", "refunds-prod"])
            .await,
    );
    let id = apps[0]["appId"].as_str().unwrap().to_owned();
    let output = env.run(&["apps", "deactivate", &id, "--yes"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("Deactivated"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        json(&env.run(&["apps", "get", &id, "--json"]).await)["state"],
        "inactive"
    );
    // Not on a terminal: no question is asked.
    let output = env.run(&["apps", "deactivate", &id]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("already inactive"),
        "{}",
        stdout(&output)
    );
    let output = env.run(&["apps", "reactivate", &id]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        json(&env.run(&["apps", "get", &id, "--json"]).await)["state"],
        "active"
    );
}

#[tokio::test]
async fn failures_are_one_line_and_exit_1() {
    let (sandbox, payments) = demo_with_payments().await;
    let env = Env::new(&sandbox, &payments);

    let output = env.run(&["apps", "get", "404404"]).await;
    assert!(assert_one_line_failure(&output).contains("was not found"));

    let wrong_token = Env {
        token: "not-a-sandbox-token",
        ..Env::new(&sandbox, &payments)
    };
    let output = wrong_token.run(&["apps", "list"]).await;
    assert!(assert_one_line_failure(&output).contains("token was rejected"));

    // A Hopae workspace key is refused before anything is sent.
    let hopae_key = Env {
        token: "sk_workspace_test_FAKE_for_the_wrong_backend",
        ..Env::new(&sandbox, &payments)
    };
    let output = hopae_key.run(&["apps", "list"]).await;
    let err = assert_one_line_failure(&output);
    assert!(
        err.contains("not a ZITADEL personal access token") && err.contains("Nothing was sent"),
        "{err}"
    );
    assert!(!err.contains("FAKE_for_the_wrong"), "{err}");

    let reader = Env {
        token: zc::READONLY_PAT,
        ..Env::new(&sandbox, &payments)
    };
    let output = reader
        .run(&["apps", "create", "Nope", "--auth-method", "basic"])
        .await;
    assert!(assert_one_line_failure(&output).contains("lacks permission"));

    let unknown_org = Env {
        org: Some("999999999999999999"),
        ..Env::new(&sandbox, &payments)
    };
    let output = unknown_org.run(&["projects", "list"]).await;
    assert!(assert_one_line_failure(&output).contains("lacks permission"));

    let no_project = Env {
        project: None,
        ..Env::new(&sandbox, &payments)
    };
    let output = no_project.run(&["apps", "list"]).await;
    assert!(assert_one_line_failure(&output).contains("ZITADEL_PROJECT_ID"));

    let nothing = Env {
        sandbox: None,
        ..Env::new(&sandbox, &payments)
    };
    let output = nothing.run(&["apps", "list"]).await;
    assert!(assert_one_line_failure(&output).contains("CONNECT_BASE_URL"));

    let output = env.run(&["workflows", "list", "x"]).await;
    assert!(assert_one_line_failure(&output).contains("--backend hopae"));

    // An HTML error page (a proxy's): one line, no markup.
    sandbox.inject(Fault::Raw {
        status: 404,
        content_type: "text/html".into(),
        body: "<html><head><title>Not Found</title></head>\n<body>\n<p>nothing here</p>\n</body></html>".into(),
    });
    let output = env.run(&["projects", "list"]).await;
    let err = assert_one_line_failure(&output);
    assert!(!err.contains('<') && err.contains("404"), "{err}");
}

#[tokio::test]
async fn the_org_flag_selects_the_organisation() {
    let sandbox = zc::demo().await;
    let env = Env {
        project: None,
        ..Env::new(&sandbox, "")
    };
    let projects = json(
        &env.run(&["projects", "list", "--json", "--org", PARTNER_ORG_ID])
            .await,
    );
    assert_eq!(projects.as_array().unwrap().len(), 1);
    assert_eq!(projects[0]["name"], "Partner integration");
    let partner_project = projects[0]["id"].as_str().unwrap();
    let apps = json(
        &env.run(&[
            "apps",
            "list",
            "--json",
            "--org",
            PARTNER_ORG_ID,
            "--project",
            partner_project,
        ])
        .await,
    );
    assert_eq!(apps.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn sandbox_command_prints_the_instance_origin_first() {
    let mut child = Command::new(BIN)
        .args([
            "sandbox",
            "--zitadel",
            "--port",
            "0",
            "--demo",
            "--seed",
            "1",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(out).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the sandbox prints within 30 s")
        .unwrap()
        .unwrap();
    let origin = first.strip_prefix("listening on ").expect(&first);
    let port = origin.strip_prefix("http://127.0.0.1:").expect(origin);
    assert!(port.parse::<u16>().is_ok(), "{first}");
    let output = Command::new(BIN)
        .args([
            "projects",
            "list",
            "--json",
            "--backend",
            "zitadel",
            "--base-url",
            origin,
        ])
        .env("CONNECT_API_KEY", "FAKE_PAT_demo")
        .env_remove("ZITADEL_ORG_ID")
        .output()
        .await
        .unwrap();
    let projects: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(projects.as_array().unwrap().len(), 2);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn every_zitadel_command_has_help() {
    for args in [
        vec!["projects", "--help"],
        vec!["projects", "list", "--help"],
        vec!["apps", "deactivate", "--help"],
        vec!["apps", "reactivate", "--help"],
        vec!["apps", "create", "--help"],
        vec!["sandbox", "--help"],
    ] {
        let output = Command::new(BIN).args(&args).output().await.unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
    let output = Command::new(BIN)
        .args(["apps", "create", "--help"])
        .output()
        .await
        .unwrap();
    assert!(stdout(&output).contains("private-key-jwt"));
}

/// An instance on another computer is production: a script's write there without `--yes` is
/// refused before anything is sent (the address below is never contacted; if it were, the
/// failure would be a network one, not the refusal).
#[tokio::test]
async fn writes_to_a_remote_instance_need_yes_and_send_nothing() {
    let csv = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(csv.path(), "name\nBilling\n").unwrap();
    let secrets = tempfile::tempdir().unwrap();
    let secrets = secrets.path().join("secrets.csv");
    let file = csv.path().to_str().unwrap();
    let secrets = secrets.to_str().unwrap();
    for args in [
        vec!["apps", "create", "Billing", "--auth-method", "basic"],
        vec!["import", file, "--secrets", secrets],
    ] {
        let output = Command::new(BIN)
            .args(&args)
            .env("CONNECT_BACKEND", "zitadel")
            .env("CONNECT_BASE_URL", "https://zitadel.corp.invalid")
            .env("CONNECT_API_KEY", "FAKE_PAT_remote")
            .env("ZITADEL_PROJECT_ID", "1234")
            .env(
                "CONNECT_ACTIVITY_LOG",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/activity-remote.jsonl"),
            )
            .stdin(std::process::Stdio::null())
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("zitadel.corp.invalid") && message.contains("nothing was sent"),
            "{args:?}: {message}"
        );
    }
}
