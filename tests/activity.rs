//! The activity log end to end: one entry per write of the command line (Hopae and ZITADEL),
//! none for reads or for writes refused before sending, no secret in it, owner-only, rotated
//! at its limit, and `activity` to read it back.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use connect_console::activity::{self, Action, ActivityLog, Entry, Filter, MAX_BYTES, Outcome};
use connect_console::backends::BackendKind;
use connect_console::sandbox::{self, SandboxConfig};
use serde_json::Value;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

fn entries(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn every_write_of_the_command_line_adds_one_entry_without_a_secret() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet: it is made owner-only.
    let log = dir.path().join("data").join("activity.jsonl");
    let base = sandbox.base_url();
    let env = [
        ("CONNECT_BASE_URL", base.as_str()),
        ("CONNECT_API_KEY", common::KEY),
        ("CONNECT_ACTIVITY_LOG", log.to_str().unwrap()),
    ];
    let run = |args: Vec<String>| async move {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run_cli_with(None, &args, &env).await
    };
    let argv = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut secrets: Vec<String> = vec![common::KEY.to_owned()];

    let output = run(argv(&["apps", "create", "Logged App", "--json"])).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let app: Value = serde_json::from_slice(&output.stdout).unwrap();
    let id = app["clientId"].as_str().unwrap().to_owned();
    secrets.push(app["clientSecret"].as_str().unwrap().to_owned());

    let writes: Vec<Vec<String>> = vec![
        argv(&["apps", "rename", &id, "Logged App 2"]),
        argv(&[
            "apps",
            "redirect-uris",
            &id,
            "https://logged.example.com/cb",
        ]),
        argv(&[
            "apps",
            "webhook",
            &id,
            "--url",
            "https://hooks.example.com/logged",
            "--enable",
        ]),
        argv(&["apps", "rotate-secret", &id, "--json", "--yes"]),
        argv(&["apps", "rotate-webhook-secret", &id, "--json", "--yes"]),
    ];
    for args in writes {
        let output = run(args.clone()).await;
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        if let Ok(value) = serde_json::from_slice::<Value>(&output.stdout) {
            for field in ["clientSecret", "secret"] {
                if let Some(secret) = value[field].as_str() {
                    secrets.push(secret.to_owned());
                }
            }
        }
    }
    // An import run is one entry with its counts, not one per row.
    let csv = dir.path().join("customers.csv");
    std::fs::write(&csv, "name\nImported 1\nImported 2\nImported 3\n").unwrap();
    let secrets_file = dir.path().join("secrets.csv");
    let output = run(argv(&[
        "import",
        &arg(&csv),
        "--secrets",
        &arg(&secrets_file),
        "--journal-dir",
        &arg(&dir.path().join("journal")),
    ]))
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let imported = std::fs::read_to_string(&secrets_file).unwrap();
    for line in imported.lines().skip(1) {
        secrets.push(line.rsplit(',').next().unwrap().to_owned());
    }
    // A write the server refuses: an entry with the error, its code and request id.
    let output = run(argv(&["apps", "rename", "NOPE0000", "Ghost"])).await;
    assert_eq!(output.status.code(), Some(1));
    // Refused before sending, and reads: no entry.
    for args in [
        argv(&[
            "apps",
            "webhook",
            &id,
            "--url",
            "http://plain.example.com/in",
        ]),
        argv(&["apps", "rename", &id, "   "]),
        argv(&["apps", "list"]),
        argv(&["apps", "get", &id]),
        argv(&["apps", "webhook", &id]),
        argv(&["apps", "providers", &id]),
        argv(&[
            "apps",
            "export",
            "--journal-dir",
            &arg(&dir.path().join("journal")),
        ]),
        argv(&[
            "import",
            &arg(&csv),
            "--dry-run",
            "--journal-dir",
            &arg(&dir.path().join("journal")),
        ]),
    ] {
        run(args).await;
    }

    let logged = entries(&log);
    let actions: Vec<&str> = logged
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "rename",
            "redirect-uris",
            "webhook",
            "rotate-secret",
            "rotate-webhook-secret",
            "import",
            "rename"
        ]
    );
    let host = base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap();
    for entry in &logged {
        assert_eq!(entry["workspace"], host, "{entry}");
        assert_eq!(entry["backend"], "hopae");
        assert!(entry["time"].as_str().unwrap().ends_with('Z'));
        // An import sends many requests; its rows' outcomes are in its results file.
        if entry["action"] != "import" {
            assert!(entry["requestId"].is_string(), "{entry}");
        }
    }
    assert!(logged[..7].iter().all(|e| e["outcome"] == "ok"));
    assert_eq!(logged[0]["appId"], id.as_str());
    assert_eq!(logged[0]["appName"], "Logged App");
    // Writes whose answer has no name (redirect URIs, rotations) carry it too.
    for entry in &logged[1..6] {
        assert_eq!(entry["appName"], "Logged App 2", "{entry}");
    }
    assert_eq!(logged[3]["detail"], "enabled, url");
    assert!(
        logged[6]["detail"].as_str().unwrap().contains("3 created"),
        "{}",
        logged[6]
    );
    let failed = &logged[7];
    assert_eq!(failed["outcome"], "failed");
    assert_eq!(failed["errorCode"], "RESOURCE_NOT_FOUND");
    assert!(
        failed["error"].as_str().unwrap().contains("refresh"),
        "a sentence with a next step"
    );

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(secrets.len() >= 7, "{}", secrets.len());
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "a secret reached the log");
    }
    common::assert_owner_only(&log);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(log.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    // Read back: newest first, limited and filtered.
    let output = run(argv(&["activity", "--json", "--limit", "3"])).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let recent: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let actions: Vec<&str> = recent
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["rename", "import", "rotate-webhook-secret"]);
    let output = run(argv(&["activity", "--failed", "--json"])).await;
    assert_eq!(
        serde_json::from_slice::<Vec<Value>>(&output.stdout)
            .unwrap()
            .len(),
        1
    );
    let output = run(argv(&["activity", "--action", "webhook", "--json"])).await;
    assert_eq!(
        serde_json::from_slice::<Vec<Value>>(&output.stdout)
            .unwrap()
            .len(),
        1
    );
    let output = run(argv(&["activity"])).await;
    let table = stdout(&output);
    assert!(table.starts_with("TIME (UTC)"), "{table}");
    assert_eq!(table.lines().count(), 9, "{table}");
    assert!(
        table.contains("failed: App NOPE0000 was not found"),
        "{table}"
    );
    let output = run(argv(&["activity", "--action", "delete"])).await;
    assert_eq!(output.status.code(), Some(1));
}

#[tokio::test]
async fn a_zitadel_import_leaves_one_entry_with_its_counts_and_secrets_file() {
    let sandbox = sandbox::start(SandboxConfig {
        port: 0,
        zitadel: true,
        seed: Some(4),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");
    let base = sandbox.base_url();
    let mut env = vec![
        ("CONNECT_BACKEND", "zitadel"),
        ("CONNECT_BASE_URL", base.as_str()),
        ("CONNECT_API_KEY", "FAKE_PAT_activity_tests"),
    ];
    let log_arg = arg(&log);
    env.push(("CONNECT_ACTIVITY_LOG", log_arg.as_str()));
    let output = common::run_cli_with(None, &["projects", "list", "--json"], &env).await;
    let projects: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let project = projects[0]["id"].as_str().unwrap().to_owned();
    env.push(("ZITADEL_PROJECT_ID", project.as_str()));
    let csv = dir.path().join("project-apps.csv");
    std::fs::write(&csv, "name\nImported API 1\nImported API 2\n").unwrap();
    let secrets = dir.path().join("secrets.csv");
    let journal = dir.path().join("journal");
    let output = common::run_cli_with(
        None,
        &[
            "import",
            &arg(&csv),
            "--secrets",
            &arg(&secrets),
            "--journal-dir",
            &arg(&journal),
        ],
        &env,
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let logged = entries(&log);
    let imports: Vec<&Value> = logged.iter().filter(|e| e["action"] == "import").collect();
    assert_eq!(imports.len(), 1, "{logged:?}");
    let entry = imports[0];
    assert_eq!(entry["backend"], "zitadel");
    assert_eq!(entry["outcome"], "ok");
    let detail = entry["detail"].as_str().unwrap();
    assert!(
        detail.contains(&project) && detail.contains("project-apps.csv"),
        "{detail}"
    );
    assert!(detail.contains("2 created"), "{detail}");
    assert!(
        detail.contains(&arg(&secrets)),
        "the secrets file is named: {detail}"
    );
    // Never the secrets themselves.
    let text = std::fs::read_to_string(&log).unwrap();
    let saved = std::fs::read_to_string(&secrets).unwrap();
    for line in saved.lines().skip(1) {
        let secret = line.rsplit(',').next().unwrap();
        assert!(!secret.is_empty() && !text.contains(secret));
    }
}

#[tokio::test]
async fn zitadel_writes_are_logged_too() {
    let sandbox = sandbox::start(SandboxConfig {
        port: 0,
        zitadel: true,
        demo: true,
        seed: Some(3),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");
    let base = sandbox.base_url();
    let mut env = vec![
        ("CONNECT_BACKEND", "zitadel".to_owned()),
        ("CONNECT_BASE_URL", base.clone()),
        ("CONNECT_API_KEY", "FAKE_PAT_activity_tests".to_owned()),
        ("CONNECT_ACTIVITY_LOG", arg(&log)),
    ];
    let run = |env: Vec<(&'static str, String)>, args: Vec<String>| async move {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        common::run_cli_with(None, &args, &env).await
    };
    let argv = |args: &[&str]| args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let output = run(env.clone(), argv(&["projects", "list", "--json"])).await;
    let projects: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let project = projects[0]["id"].as_str().unwrap().to_owned();
    env.push(("ZITADEL_PROJECT_ID", project.clone()));

    let output = run(
        env.clone(),
        argv(&[
            "apps",
            "create",
            "Logged API",
            "--auth-method",
            "basic",
            "--json",
        ]),
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let created: Value = serde_json::from_slice(&output.stdout).unwrap();
    let app_id = created["appId"].as_str().unwrap().to_owned();
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    for args in [
        argv(&["apps", "rename", &app_id, "Logged API 2"]),
        argv(&["apps", "rename", &app_id, "Logged API 2"]), // the same name: no write
        argv(&["apps", "rotate-secret", &app_id, "--yes", "--json"]),
        argv(&["apps", "deactivate", &app_id, "--yes"]),
        argv(&["apps", "reactivate", &app_id, "--yes"]),
    ] {
        let output = run(env.clone(), args.clone()).await;
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    let logged = entries(&log);
    let actions: Vec<&str> = logged
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "rename",
            "rotate-secret",
            "deactivate",
            "reactivate"
        ]
    );
    assert!(
        logged
            .iter()
            .all(|e| e["backend"] == "zitadel" && e["outcome"] == "ok")
    );
    assert!(logged.iter().all(|e| e["appId"] == app_id.as_str()));
    assert!(logged[1]["detail"].as_str().unwrap().contains(&project));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains(&secret) && !text.contains("FAKE_PAT_"));
}

#[tokio::test]
async fn a_log_that_cannot_be_written_never_fails_the_write_and_is_said_once() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    // Its folder is a file, so the log cannot be created.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let log = blocker.join("activity.jsonl");
    let output = common::run_cli_with(
        Some(&sandbox),
        &["apps", "create", "Still created"],
        &[("CONNECT_ACTIVITY_LOG", log.to_str().unwrap())],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sandbox.app_count(), 1);
    let text = stderr(&output);
    assert_eq!(text.matches("activity log").count(), 1, "{text}");
    assert!(text.contains("The change itself was made"), "{text}");
}

#[test]
fn the_log_rotates_at_its_limit_keeping_one_previous_file() {
    assert_eq!(MAX_BYTES, 10 * 1024 * 1024);
    let dir = tempfile::tempdir().unwrap();
    let log = ActivityLog::at(dir.path().join("activity.jsonl")).with_max_bytes(4096);
    let entry = |i: usize| {
        Entry::new(BackendKind::Hopae, "127.0.0.1:8787", Action::Rename)
            .app(&format!("APP{i:05}"), Some("Rotated"))
            .request_id(Some(format!("req-{i}")))
    };
    for i in 0..200 {
        log.append(&entry(i)).unwrap();
    }
    assert!(std::fs::metadata(log.path()).unwrap().len() <= 4096);
    let previous = log.previous_path();
    assert!(std::fs::metadata(&previous).unwrap().len() <= 4096);
    // The log, the one before it, and the lock the writers share.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let log_name = log
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        names,
        [
            log_name.clone(),
            format!("{log_name}.1"),
            format!("{log_name}.lock")
        ]
    );
    common::assert_owner_only(log.path());
    common::assert_owner_only(&previous);
    // Reading spans both files, newest first.
    let current_lines = std::fs::read_to_string(log.path()).unwrap().lines().count();
    let recent = log.recent(current_lines + 5, &Filter::default()).unwrap();
    assert_eq!(recent.len(), current_lines + 5);
    assert_eq!(recent[0].app_id.as_deref(), Some("APP00199"));
    assert!(recent.windows(2).all(|w| w[0].app_id > w[1].app_id));
    let failed = Filter {
        outcome: Some(Outcome::Failed),
        ..Filter::default()
    };
    assert!(log.recent(10, &failed).unwrap().is_empty());
    // The default log is the console's data folder unless the environment names one.
    assert!(
        ActivityLog::open_default()
            .unwrap()
            .path()
            .ends_with(activity::FILE_NAME)
            || std::env::var_os(activity::ENV_VAR).is_some()
    );
}

/// A gateway that echoes the request in its error: the key in use and a client secret reach
/// neither stderr nor the activity log.
#[tokio::test]
async fn an_error_that_echoes_credentials_shows_and_logs_none_of_them() {
    use connect_console::sandbox::Fault;
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.jsonl");
    let base = sandbox.base_url();
    let env = [
        ("CONNECT_BASE_URL", base.as_str()),
        ("CONNECT_API_KEY", common::KEY),
        ("CONNECT_ACTIVITY_LOG", log.to_str().unwrap()),
    ];
    let output = common::run_cli_with(None, &["apps", "create", "Echoed", "--json"], &env).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let app: Value = serde_json::from_slice(&output.stdout).unwrap();
    let id = app["clientId"].as_str().unwrap().to_owned();
    let secret = app["clientSecret"].as_str().unwrap().to_owned();
    let echo = format!(
        "Refused by gateway. Request: Authorization: Bearer {key}; x-api-key={key}; \
         body {{\"clientSecret\": \"{secret}\"}} token {secret}",
        key = common::KEY
    );
    sandbox.inject(Fault::Raw {
        status: 403,
        content_type: "application/json".into(),
        body: serde_json::json!({"error": {"code": "AUTH_FORBIDDEN", "message": echo}}).to_string(),
    });
    let output =
        common::run_cli_with(None, &["apps", "rename", &id, "Echoed 2", "--yes"], &env).await;
    assert_eq!(output.status.code(), Some(1));
    let shown = format!("{}{}", stdout(&output), stderr(&output));
    assert!(shown.contains("Refused by gateway"), "{shown}");
    let logged = std::fs::read_to_string(&log).unwrap();
    for (what, text) in [("stderr", &shown), ("activity log", &logged)] {
        assert!(!text.contains("FAKE_integration"), "key in {what}: {text}");
        assert!(!text.contains(&secret[..16]), "secret in {what}: {text}");
    }
}
