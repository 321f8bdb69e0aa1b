//! `apps export` over HTTP against the sandbox: no secrets, formula-safe cells, the import's
//! headers, and a round trip through `import --existing update` that changes nothing.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::recorder::Recorder;
use connect_console::api::{App, UpdateApp, WebhookPatch, new_idempotency_key};
use connect_console::sandbox::RunningSandbox;
use serde_json::Value;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn cli(base_url: &str, dir: &Path, args: &[&str]) -> Output {
    common::run_cli_with(
        None,
        args,
        &[
            ("CONNECT_BASE_URL", base_url),
            ("CONNECT_API_KEY", common::KEY),
            (
                "CONNECT_ACTIVITY_LOG",
                dir.join("activity.jsonl").to_str().unwrap(),
            ),
        ],
    )
    .await
}

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// Every app as JSON without its secret, in a stable order, to compare before and after.
async fn snapshot(sandbox: &RunningSandbox) -> Vec<Value> {
    let mut apps = common::client(sandbox)
        .list_all_apps(2, |_, _| {})
        .await
        .unwrap();
    apps.sort_by(|a, b| a.client_id.cmp(&b.client_id));
    apps.iter()
        .map(|a| serde_json::to_value(a.without_secret()).unwrap())
        .collect()
}

/// The demo workspace plus apps whose names a spreadsheet would run as formulas.
async fn workspace_with_formulas() -> (RunningSandbox, Vec<App>) {
    let (sandbox, _) = common::demo_sandbox().await;
    let client = common::client(&sandbox);
    for name in [
        "=HYPERLINK(\"https://evil.example.com\",\"click\")",
        "+49 Telekom",
        "-Minus Corp",
        "@SUM(A1:A2)",
    ] {
        let app = client
            .create_app(name, &new_idempotency_key())
            .await
            .unwrap()
            .value;
        client
            .replace_redirect_uris(&app.client_id, &["https://formula.example.com/cb".into()])
            .await
            .unwrap();
        let update = UpdateApp {
            webhook_config: Some(WebhookPatch {
                enabled: Some(true),
                url: Some("https://hooks.example.com/formula".into()),
                ..WebhookPatch::default()
            }),
            ..UpdateApp::default()
        };
        client.update_app(&app.client_id, &update).await.unwrap();
    }
    let apps = client.list_all_apps(2, |_, _| {}).await.unwrap();
    (sandbox, apps)
}

#[tokio::test]
async fn csv_export_has_the_import_headers_no_secret_and_safe_cells() {
    let (sandbox, apps) = workspace_with_formulas().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apps.csv");
    let journal = dir.path().join("journal");
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &[
            "apps",
            "export",
            "--output",
            &arg(&file),
            "--journal-dir",
            &arg(&journal),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("24 app(s) exported"),
        "{}",
        stderr(&output)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    assert!(
        text.starts_with("name,redirectUris,webhookUrl,externalId\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 25);
    for app in &apps {
        let secret = app.client_secret.as_ref().unwrap().expose();
        assert!(!text.contains(secret), "no client secret in the export");
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell: {cell:?}"
            );
        }
    }
    assert!(
        text.contains("\"'=HYPERLINK(\"\"https://evil.example.com\"\",\"\"click\"\")\""),
        "{text}"
    );
    assert!(text.contains("'+49 Telekom") && text.contains("'@SUM(A1:A2)"));
    assert!(text.contains("한빛은행 본인확인") && text.contains("Müller & Söhne GmbH"));

    // Standard output works as well.
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &["apps", "export", "--journal-dir", &arg(&journal)],
    )
    .await;
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("name,redirectUris,webhookUrl,externalId")
    );
}

#[tokio::test]
async fn json_export_lists_every_app_without_secrets() {
    let (sandbox, apps) = workspace_with_formulas().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apps.json");
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &["apps", "export", "--format", "json", "-o", &arg(&file)],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&file).unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(list.len(), apps.len());
    assert!(
        list.iter()
            .all(|a| a.get("clientSecret").is_none() && a["clientId"].is_string())
    );
    for app in &apps {
        assert!(!text.contains(app.client_secret.as_ref().unwrap().expose()));
    }
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &["apps", "export", "--format", "xml"],
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(2),
        "clap refuses an unknown format"
    );
}

#[tokio::test]
async fn an_exported_csv_imports_back_with_update_and_changes_nothing() {
    let (sandbox, _) = workspace_with_formulas().await;
    let before = snapshot(&sandbox).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apps.csv");
    let journal = dir.path().join("journal");
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &[
            "apps",
            "export",
            "-o",
            &arg(&file),
            "--journal-dir",
            &arg(&journal),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));

    // The import goes through a recording proxy, so no write can pass unseen.
    let recorder = Recorder::start(&format!("http://{}", sandbox.addr())).await;
    let secrets = dir.path().join("secrets.csv");
    let args = [
        "import",
        &arg(&file),
        "--existing",
        "update",
        "--secrets",
        &arg(&secrets),
        "--journal-dir",
        &arg(&journal),
        "--json",
    ];
    let output = cli(&recorder.base_url(), dir.path(), &args).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &report["summary"];
    assert_eq!(summary["total"], 24, "{summary}");
    assert_eq!(summary["exists"], 24, "{summary}");
    assert_eq!(summary["created"], 0);
    assert_eq!(summary["updated"], 0);
    assert_eq!(summary["invalid"], 0);
    let writes: Vec<_> = recorder
        .seen()
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    assert!(writes.is_empty(), "no write was sent: {writes:?}");
    assert_eq!(
        snapshot(&sandbox).await,
        before,
        "the workspace is unchanged"
    );

    // A dry run of the same file says the same.
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &[
            "import",
            &arg(&file),
            "--existing",
            "update",
            "--dry-run",
            "--journal-dir",
            &arg(&journal),
            "--json",
        ],
    )
    .await;
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["update"], 0, "{}", report["summary"]);
    assert_eq!(report["summary"]["ready"], 0);
}

#[tokio::test]
async fn imported_apps_export_with_their_external_ids_and_round_trip() {
    let sandbox = common::start(Default::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal");
    let source = dir.path().join("customers.csv");
    std::fs::write(
        &source,
        "name,redirectUris,webhookUrl,externalId\n\
         Shared Name,https://one.example.com/cb,,C-001\n\
         Shared Name,https://two.example.com/cb,https://hooks.example.com/two,C-002\n\
         Solo,,,-7\n",
    )
    .unwrap();
    let import = |file: &Path, base: String| {
        let args: Vec<String> = [
            "import",
            &arg(file),
            "--existing",
            "update",
            "--secrets",
            &arg(&dir.path().join("secrets.csv")),
            "--journal-dir",
            &arg(&journal),
            "--json",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let dir = dir.path().to_owned();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            cli(&base, &dir, &args).await
        }
    };
    let output = import(&source, sandbox.base_url()).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sandbox.app_count(), 3);
    let before = snapshot(&sandbox).await;

    let exported = dir.path().join("exported.csv");
    let output = cli(
        &sandbox.base_url(),
        dir.path(),
        &[
            "apps",
            "export",
            "-o",
            &arg(&exported),
            "--journal-dir",
            &arg(&journal),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains(",C-001") && text.contains(",C-002"), "{text}");
    assert!(
        text.contains(",'-7"),
        "a formula-like id is neutralised: {text}"
    );

    // Two apps share a name: only their external ids tell them apart, and they do. (Not
    // through the recorder: the journal belongs to the workspace's address.)
    let output = import(&exported, sandbox.base_url()).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Each row finds the app its external id created, and it is up to date.
    assert_eq!(report["summary"]["exists"], 3, "{}", report["summary"]);
    assert_eq!(report["summary"]["created"], 0);
    assert_eq!(report["summary"]["updated"], 0);
    assert_eq!(sandbox.app_count(), 3);
    assert_eq!(snapshot(&sandbox).await, before);
}
