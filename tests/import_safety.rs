//! Nothing lost, nothing created twice: a disk that fills up during an import, output files that
//! would overwrite each other, a corrected file imported again, and writes to production from
//! the command line. All through the real binary against the sandbox on 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn cli(sandbox: &RunningSandbox, key: &str, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env("CONNECT_BASE_URL", sandbox.base_url())
        .env("CONNECT_API_KEY", key)
        .env("CONNECT_ACTIVITY_LOG", common::ACTIVITY_LOG)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("command finishes")
        .expect("command runs")
}

fn customers(dir: &Path, file: &str, rows: &[(String, String)]) -> PathBuf {
    let mut text = String::from("name,redirectUris\n");
    for (name, uri) in rows {
        text.push_str(&format!("{name},{uri}\n"));
    }
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    path
}

fn numbered(count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            (
                format!("Customer {i:04}"),
                format!("https://c{i}.example.com/cb"),
            )
        })
        .collect()
}

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// A disk that fills up while the secrets are written: the import stops, the rows whose
/// secret is not on disk are not recorded as created, and a run with another secrets file
/// receives their secrets (the server replays the same keys), so every app's secret is in one
/// of the two files and no app is created twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_loses_no_secret_and_a_rerun_recovers_them() {
    let probe = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: this machine cannot make a private mount namespace for a small disk");
        return;
    }
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path(), "customers.csv", &numbered(1000));
    let journal = dir.path().join("journal");
    let small_disk = dir.path().join("small-disk");
    std::fs::create_dir(&small_disk).unwrap();
    let first_copy = dir.path().join("first-secrets.csv");
    // A 16 KiB disk holds the secrets of fewer than 200 apps. The file is copied out before
    // the private mount goes away with the process.
    let script = format!(
        "mount -t tmpfs -o size=16k tmpfs '{disk}' && '{BIN}' import '{file}' --journal-dir \
         '{journal}' --secrets '{disk}/secrets.csv' --concurrency 2; code=$?; cp \
         '{disk}/secrets.csv' '{copy}'; exit $code",
        disk = arg(&small_disk),
        file = arg(&file),
        journal = arg(&journal),
        copy = arg(&first_copy),
    );
    let mut command = Command::new("unshare");
    command
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .env("CONNECT_BASE_URL", sandbox.base_url())
        .env("CONNECT_API_KEY", common::KEY)
        .env("CONNECT_ACTIVITY_LOG", common::ACTIVITY_LOG)
        .kill_on_drop(true);
    let first = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .unwrap()
        .unwrap();
    let first_text = text(&first);
    assert_eq!(first.status.code(), Some(1), "{first_text}");
    assert!(
        first_text.contains("another --secrets file"),
        "says what to do: {first_text}"
    );
    let created_first = sandbox.app_count();
    assert!(
        (1..1000).contains(&created_first),
        "stopped early: {created_first} apps"
    );

    let second_secrets = dir.path().join("second-secrets.csv");
    let second = cli(
        &sandbox,
        common::KEY,
        &[
            "import",
            &arg(&file),
            "--journal-dir",
            &arg(&journal),
            "--secrets",
            &arg(&second_secrets),
        ],
    )
    .await;
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(sandbox.app_count(), 1000, "no app created twice");

    let mut with_secret: Vec<String> = [&first_copy, &second_secrets]
        .iter()
        .flat_map(|path| {
            std::fs::read_to_string(path)
                .unwrap()
                .lines()
                .skip(1)
                .filter(|l| l.split(',').nth(2).is_some_and(|s| s.len() > 8))
                .map(|l| l.split(',').next().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    with_secret.sort();
    with_secret.dedup();
    assert_eq!(with_secret.len(), 1000, "every app's secret is in a file");
    common::assert_owner_only(&second_secrets);
}

#[tokio::test]
async fn output_files_that_would_overwrite_each_other_or_a_missing_folder_send_nothing() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path(), "customers.csv", &numbered(5));
    let same = dir.path().join("out.csv");
    let same_again = dir.path().join(".").join("out.csv");
    let output = cli(
        &sandbox,
        common::KEY,
        &[
            "import",
            &arg(&file),
            "--results",
            &arg(&same),
            "--secrets",
            &arg(&same_again),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("the same file"), "{}", text(&output));

    let missing = dir.path().join("no-such-folder").join("secrets.csv");
    let output = cli(
        &sandbox,
        common::KEY,
        &["import", &arg(&file), "--secrets", &arg(&missing)],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("does not exist"),
        "{}",
        text(&output)
    );

    let output = cli(
        &sandbox,
        common::KEY,
        &["import", &arg(&file), "--secrets", &arg(&file)],
    )
    .await;
    assert!(
        text(&output).contains("file being imported"),
        "{}",
        text(&output)
    );
    assert_eq!(sandbox.app_count(), 0, "nothing was sent");
}

/// The reseller's case that used to make 59 twins: a 60-row file without external ids,
/// corrected (one row removed, one redirect URI changed, two rows added, order reversed) and
/// imported again, from a computer that has no journal of the first run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_file_without_external_ids_creates_no_twins() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let original = numbered(60);
    let first = customers(dir.path(), "first.csv", &original);
    let secrets = dir.path().join("secrets.csv");
    let import = |file: PathBuf, journal: &'static str, extra: &'static [&'static str]| {
        let journal = dir.path().join(journal);
        let secrets = secrets.clone();
        let sandbox = &sandbox;
        async move {
            let mut args = vec![
                "import".to_owned(),
                arg(&file),
                "--journal-dir".into(),
                arg(&journal),
                "--secrets".into(),
                arg(&secrets),
            ];
            args.extend(extra.iter().map(|a| (*a).to_owned()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            cli(sandbox, common::KEY, &args).await
        }
    };
    let output = import(first, "journal-a", &[]).await;
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(sandbox.app_count(), 60);

    let mut corrected: Vec<(String, String)> = original[1..].to_vec();
    corrected[9].1 = "https://changed.example.com/cb".into();
    corrected.push(("New Customer A".into(), "https://a.example.com/cb".into()));
    corrected.push(("new customer b ".into(), "https://b.example.com/cb".into()));
    corrected.reverse();
    let fixed = customers(dir.path(), "fixed.csv", &corrected);

    // Checked first: the dry run counts what the import would do, with the change in words.
    let output = import(
        fixed.clone(),
        "journal-b",
        &["--dry-run", "--existing", "update"],
    )
    .await;
    let dry = text(&output);
    assert!(dry.contains("2 ready to create, 1 to update"), "{dry}");
    assert!(
        dry.contains("https://c10.example.com/cb -> https://changed.example.com/cb"),
        "{dry}"
    );
    assert_eq!(sandbox.app_count(), 60, "a dry run sends nothing");

    let output = import(fixed.clone(), "journal-b", &[]).await;
    let skipped = text(&output);
    assert!(output.status.success(), "{skipped}");
    assert!(skipped.contains("2 created, 59 already exist"), "{skipped}");
    assert_eq!(
        sandbox.app_count(),
        62,
        "only the two new rows were created"
    );

    let output = import(fixed, "journal-b", &["--existing", "update"]).await;
    let updated = text(&output);
    assert!(output.status.success(), "{updated}");
    assert!(updated.contains("1 updated"), "{updated}");
    assert_eq!(sandbox.app_count(), 62);
    let apps = common::client(&sandbox)
        .list_all_apps(4, |_, _| {})
        .await
        .unwrap();
    let changed = apps.iter().find(|a| a.name == "Customer 0010").unwrap();
    assert_eq!(changed.redirect_uris, ["https://changed.example.com/cb"]);
}

/// Production is decided by the key here (the server is on this machine): every write needs
/// --yes when no terminal can ask, and is refused before anything is sent without it.
#[tokio::test]
async fn writes_to_production_need_yes_without_a_terminal() {
    const PROD_KEY: &str = "sk_workspace_prod_FAKE_safety_tests_only";
    let sandbox = common::start(SandboxConfig {
        api_key: Some(PROD_KEY.into()),
        ..SandboxConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path(), "customers.csv", &numbered(3));
    let secrets = dir.path().join("secrets.csv");
    let journal = dir.path().join("journal");
    let attempts: [&[&str]; 3] = [
        &["apps", "create", "Prod App"],
        &["apps", "rename", "ABCDEFGH", "New name"],
        &[
            "apps",
            "redirect-uris",
            "ABCDEFGH",
            "https://x.example.com/cb",
        ],
    ];
    for args in attempts {
        let output = cli(&sandbox, PROD_KEY, args).await;
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(text(&output).contains("--yes"), "{}", text(&output));
    }
    let import_args = [
        "import",
        &arg(&file),
        "--secrets",
        &arg(&secrets),
        "--journal-dir",
        &arg(&journal),
    ];
    let output = cli(&sandbox, PROD_KEY, &import_args).await;
    assert!(text(&output).contains("--yes"), "{}", text(&output));
    assert_eq!(sandbox.app_count(), 0, "nothing was sent");

    let output = cli(&sandbox, PROD_KEY, &["apps", "create", "Prod App", "--yes"]).await;
    assert!(output.status.success(), "{}", text(&output));
    let mut with_yes = import_args.to_vec();
    with_yes.push("--yes");
    let output = cli(&sandbox, PROD_KEY, &with_yes).await;
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(sandbox.app_count(), 4);
}

/// `--secrets` or `--results` naming a symbolic link, a folder's special file or another
/// user's file is refused before anything is sent; the link's target is neither written nor
/// changed.
#[tokio::test]
async fn output_files_that_are_links_or_not_ours_send_nothing() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = customers(dir.path(), "customers.csv", &numbered(3));
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("secrets.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for flag in ["--secrets", "--results"] {
            let mut args = vec!["import".to_owned(), arg(&file), flag.to_owned(), arg(&link)];
            if flag == "--results" {
                args.extend(["--secrets".to_owned(), arg(&dir.path().join("s.csv"))]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let output = cli(&sandbox, common::KEY, &args).await;
            assert_eq!(output.status.code(), Some(1), "{flag}");
            assert!(text(&output).contains("symbolic link"), "{}", text(&output));
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "the link's target keeps its mode");

        // A file of another user (possible to set up only as root, as in CI).
        let theirs = dir.path().join("theirs.csv");
        std::fs::write(&theirs, "").unwrap();
        if std::os::unix::fs::chown(&theirs, Some(65534), Some(65534)).is_ok() {
            let output = cli(
                &sandbox,
                common::KEY,
                &["import", &arg(&file), "--secrets", &arg(&theirs)],
            )
            .await;
            assert_eq!(output.status.code(), Some(1));
            assert!(text(&output).contains("another user"), "{}", text(&output));
        }
    }
    assert_eq!(sandbox.app_count(), 0, "nothing was sent");
}
