//! The CSV import into a ZITADEL project, exactly once, against the sandbox's ZITADEL mode on
//! 127.0.0.1: a clean import, names the project already has, answers dropped after the create
//! committed, failures and 429s, a cancelled and a killed run resumed, and a finished import
//! run again. Every case ends with one app per row and, in the secrets file, the current secret
//! of every new app (checked against the sandbox, which keeps only hashes).

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod zitadel_common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use connect_console::import::journal::{EntryState, JournalEntry};
use connect_console::import::zitadel::{ProjectApps, identity, plan_zitadel, run_zitadel};
use connect_console::import::{
    self, CancelFlag, ExistingMode, ImportReport, Journal, ReadOptions, RowStatus, SecretsFile,
    ZitadelImportOptions, import_zitadel, journal_workspace,
};
use connect_console::sandbox::{Fault, RunningSandbox, SandboxConfig};
use connect_console::zitadel::{AuthMethod, ZitadelApp, ZitadelClient};
use tokio::process::Command;
use zitadel_common as zc;

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");
/// The empty project every sandbox without demo data has in the home organisation.
const PROJECT: &str = "Sandbox project";
/// The longest any one import in these tests may take.
const LIMIT: Duration = Duration::from_secs(90);

fn names(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix} {i:03}")).collect()
}

fn write_file(dir: &Path, file: &str, names: &[String]) -> PathBuf {
    let mut text = String::from("name,externalId\n");
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!("{name},cust-{i}\n"));
    }
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    path
}

fn options(project: &str, secrets: &Path) -> ZitadelImportOptions {
    ZitadelImportOptions {
        project_id: project.to_owned(),
        retry: zc::fast_retry(),
        secrets_file: Some(secrets.to_owned()),
        ..ZitadelImportOptions::default()
    }
}

/// How the console and the command line read a file for a ZITADEL project.
fn zitadel_read() -> ReadOptions {
    ReadOptions {
        max_name_chars: Some(connect_console::zitadel::MAX_NAME_CHARS),
        ..ReadOptions::default()
    }
}

/// Imports `file` with the library, bounded in time.
async fn import_file(
    client: &ZitadelClient,
    file: &Path,
    journal: &Path,
    options: &ZitadelImportOptions,
    cancel: &CancelFlag,
    mut cancel_after: Option<usize>,
) -> ImportReport {
    let prepared = import::prepare_file(file, &zitadel_read()).unwrap();
    tokio::time::timeout(
        LIMIT,
        import_zitadel(client, &prepared, journal, options, cancel, |p| {
            if cancel_after.is_some_and(|n| p.rows_done >= n) {
                cancel.cancel();
                cancel_after = None;
            }
        }),
    )
    .await
    .expect("the import finishes in time")
    .unwrap()
}

/// The secrets file's lines after the header: (client id, secret), in file order.
fn secret_lines(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.starts_with("\u{feff}clientId,name,clientSecret\r\n"),
        "{text:.60}"
    );
    assert_eq!(text.matches("clientSecret").count(), 1, "one header");
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 3, "a whole line");
            (cells[0].to_owned(), cells[2].to_owned())
        })
        .collect()
}

async fn apps(client: &ZitadelClient, project: &str) -> Vec<ZitadelApp> {
    client.list_apps(project).await.unwrap()
}

/// Every app named in `names` exists exactly once, and the secrets file holds exactly one
/// secret for each of them, which is the app's current secret. Returns the apps by name.
async fn assert_one_app_and_current_secret_each(
    sandbox: &RunningSandbox,
    client: &ZitadelClient,
    project: &str,
    names: &[String],
    secrets: &Path,
) -> HashMap<String, ZitadelApp> {
    let all = apps(client, project).await;
    let by_name: HashMap<String, ZitadelApp> =
        all.iter().map(|a| (a.name.clone(), a.clone())).collect();
    assert_eq!(by_name.len(), all.len(), "names are unique in the project");
    for name in names {
        assert!(by_name.contains_key(name), "{name} was created");
    }
    let lines = secret_lines(secrets);
    let ids: HashSet<&str> = lines.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), lines.len(), "one secret per app, none twice");
    let by_client: HashMap<&str, &ZitadelApp> =
        all.iter().map(|a| (a.client_id.as_str(), a)).collect();
    for name in names {
        assert!(
            ids.contains(by_name[name].client_id.as_str()),
            "the secret of {name} is in the file"
        );
    }
    for (client_id, secret) in &lines {
        let app = by_client
            .get(client_id.as_str())
            .unwrap_or_else(|| panic!("{client_id} is an app of the project"));
        assert!(
            sandbox.zitadel_secret_matches(&app.app_id, secret),
            "the saved secret of {} is its current one",
            app.name
        );
    }
    zc::assert_owner_only(secrets);
    by_name
}

struct Setup {
    sandbox: RunningSandbox,
    client: ZitadelClient,
    project: String,
    dir: tempfile::TempDir,
}

impl Setup {
    async fn new(config: SandboxConfig) -> Self {
        let sandbox = zc::start(config).await;
        let client = zc::client(&sandbox);
        let project = zc::project_id(&client, PROJECT).await;
        Self {
            sandbox,
            client,
            project,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_import_creates_one_app_per_row_and_saves_every_secret() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = names("Customer", 30);
    let file = write_file(s.dir.path(), "customers.csv", &rows);
    let secrets = s.path("secrets.csv");
    let options = options(&s.project, &secrets);
    let journal = s.path("journal");
    let report = import_file(
        &s.client,
        &file,
        &journal,
        &options,
        &CancelFlag::default(),
        None,
    )
    .await;
    let summary = report.summary();
    assert_eq!(summary.created, 30, "{}", summary.sentence());
    assert!(summary.all_done() && report.stopped.is_none());
    assert_eq!(report.secrets_file.as_deref(), Some(secrets.as_path()));
    // The secrets went to the file, not into the report.
    assert_eq!(report.secret_count(), 0);
    assert_eq!(s.sandbox.app_count(), 30);
    let by_name =
        assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
            .await;
    assert_eq!(secret_lines(&secrets).len(), 30);
    // The results name each row's app; they hold no secret.
    for row in &report.rows {
        assert_eq!(
            row.client_id.as_deref(),
            Some(by_name[&row.name].client_id.as_str())
        );
        assert_eq!(
            row.external_id.as_deref().map(|e| e.starts_with("cust-")),
            Some(true)
        );
    }
    let results = String::from_utf8(report.results_csv()).unwrap();
    for (_, secret) in secret_lines(&secrets) {
        assert!(!results.contains(&secret));
    }

    // Run again: nothing is sent, nothing is created, no secret changes.
    let before = std::fs::read(&secrets).unwrap();
    let again = import_file(
        &s.client,
        &file,
        &journal,
        &options,
        &CancelFlag::default(),
        None,
    )
    .await;
    let summary = again.summary();
    assert_eq!(
        (summary.created, summary.created_earlier),
        (30, 30),
        "{}",
        summary.sentence()
    );
    assert_eq!(s.sandbox.app_count(), 30);
    assert_eq!(std::fs::read(&secrets).unwrap(), before);
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_already_in_the_project_are_left_alone_with_their_secrets() {
    let s = Setup::new(SandboxConfig::default()).await;
    // Three apps made before the import, and their secrets as their owners hold them.
    let mut before = Vec::new();
    for name in ["Existing 000", "Existing 001"] {
        let created = s
            .client
            .create_api_app(&s.project, name, AuthMethod::Basic)
            .await
            .unwrap();
        before.push(created);
    }
    let keys = s
        .client
        .create_api_app(&s.project, "Existing 002", AuthMethod::PrivateKeyJwt)
        .await
        .unwrap();
    let mut rows = names("Existing", 3);
    rows.extend(names("New", 5));
    let file = write_file(s.dir.path(), "mixed.csv", &rows);
    let secrets = s.path("secrets.csv");
    let report = import_file(
        &s.client,
        &file,
        &s.path("journal"),
        &options(&s.project, &secrets),
        &CancelFlag::default(),
        None,
    )
    .await;
    let summary = report.summary();
    assert_eq!(
        (summary.created, summary.exists, summary.failed),
        (5, 3, 0),
        "{}",
        summary.sentence()
    );
    assert!(summary.all_done());
    for row in report
        .rows
        .iter()
        .filter(|r| r.name.starts_with("Existing"))
    {
        let RowStatus::Exists(why) = &row.status else {
            panic!("{:?}", row.status);
        };
        assert!(why.contains("its secret was not changed"), "{why}");
    }
    assert_eq!(s.sandbox.app_count(), 8);
    // The apps that were there keep the secrets their owners have.
    for created in &before {
        let secret = created.client_secret.as_ref().unwrap();
        assert!(
            s.sandbox
                .zitadel_secret_matches(&created.app_id, secret.expose())
        );
    }
    let lines = secret_lines(&secrets);
    assert_eq!(lines.len(), 5, "secrets of the new apps only");
    let old_ids: Vec<&str> = before
        .iter()
        .map(|c| c.client_id.as_str())
        .chain([keys.client_id.as_str()])
        .collect();
    assert!(lines.iter().all(|(id, _)| !old_ids.contains(&id.as_str())));
    assert_one_app_and_current_secret_each(
        &s.sandbox,
        &s.client,
        &s.project,
        &names("New", 5),
        &secrets,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_was_lost_is_found_by_name_and_its_secret_issued_once() {
    let s = Setup::new(SandboxConfig::default()).await;
    // The create commits, then the connection drops without an answer.
    s.sandbox.inject(Fault::DropAfterCommit);
    let rows = names("Lost answer", 1);
    let file = write_file(s.dir.path(), "one.csv", &rows);
    let secrets = s.path("secrets.csv");
    let report = import_file(
        &s.client,
        &file,
        &s.path("journal"),
        &ZitadelImportOptions {
            concurrency: 1,
            ..options(&s.project, &secrets)
        },
        &CancelFlag::default(),
        None,
    )
    .await;
    assert_eq!(report.rows.len(), 1);
    assert_eq!(
        report.rows[0].status,
        RowStatus::Created,
        "{:?}",
        report.rows[0]
    );
    assert_eq!(s.sandbox.app_count(), 1, "one app, not two");
    // The create's own secret was never seen; the one issued afterwards is saved, and current.
    assert_eq!(secret_lines(&secrets).len(), 1);
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
}

/// The case that once took a colleague's app: our create answers 503 while a colleague creates
/// an app of the same name. Our retry creates ours under its marker name; the rename finds the
/// name taken, and the row says so. The colleague's app and secret are untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_taken_by_someone_else_during_the_import_is_never_claimed() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = names("Raced", 2);
    let file = write_file(s.dir.path(), "raced.csv", &rows);
    let prepared = import::prepare_file(&file, &ReadOptions::default()).unwrap();
    // Planned while the project was empty; then someone else creates "Raced 000", and our
    // first create is answered 503.
    let plan = plan_zitadel(
        &prepared.rows,
        &ProjectApps::default(),
        &HashMap::new(),
        "imp-5eed",
    );
    let theirs = s
        .client
        .create_api_app(&s.project, "Raced 000", AuthMethod::Basic)
        .await
        .unwrap();
    s.sandbox.inject(Fault::ServerError);
    let secrets_path = s.path("secrets.csv");
    let mut secrets = SecretsFile::open(&secrets_path).unwrap();
    let options = ZitadelImportOptions {
        concurrency: 1,
        ..options(&s.project, &secrets_path)
    };
    let mut journal = Journal::open(
        &s.path("journal"),
        &journal_workspace(s.client.connection(), &s.project),
    )
    .unwrap();
    let report = tokio::time::timeout(
        LIMIT,
        run_zitadel(
            &s.client,
            &prepared.rows,
            &plan,
            &mut journal,
            Some(&mut secrets),
            &options,
            &CancelFlag::default(),
            |_| {},
        ),
    )
    .await
    .unwrap();
    let ours_name = "Raced 000 \u{b7}imp-5eed";
    assert!(
        matches!(&report.rows[0].status, RowStatus::Failed(why)
            if why.contains("taken by another app") && why.contains(ours_name)),
        "{:?}",
        report.rows[0].status
    );
    assert_eq!(report.rows[1].status, RowStatus::Created);
    let summary = report.summary();
    assert_eq!(summary.failed, 1, "{}", summary.sentence());
    // Their app keeps its name and its secret; ours is kept under its marker name, and only
    // our secrets are in the file.
    let secret = theirs.client_secret.as_ref().unwrap();
    assert!(
        s.sandbox
            .zitadel_secret_matches(&theirs.app_id, secret.expose())
    );
    let all = apps(&s.client, &s.project).await;
    let by_name: HashMap<&str, &ZitadelApp> = all.iter().map(|a| (a.name.as_str(), a)).collect();
    assert_eq!(by_name["Raced 000"].client_id, theirs.client_id);
    let ours = by_name[ours_name];
    assert!(by_name.contains_key("Raced 001"), "{all:?}");
    assert_eq!(all.len(), 3);
    let lines = secret_lines(&secrets_path);
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|(id, _)| *id != theirs.client_id));
    assert!(lines.iter().any(|(id, _)| *id == ours.client_id));
    assert_eq!(
        journal.get(&identity("Raced 000")).map(|e| e.state),
        Some(EntryState::Created)
    );
    drop(journal);

    // A rerun tries the rename again and reports the same, touching neither app; once the
    // colleague's app has another name, it finishes.
    let journal_dir = s.path("journal");
    let again = import_file(
        &s.client,
        &file,
        &journal_dir,
        &options,
        &CancelFlag::default(),
        None,
    )
    .await;
    assert!(
        matches!(&again.rows[0].status, RowStatus::Failed(why) if why.contains(ours_name)),
        "{:?}",
        again.rows[0].status
    );
    assert_eq!(again.rows[1].status, RowStatus::CreatedEarlier);
    s.client
        .rename_app(&s.project, &theirs.app_id, "Raced 000 (theirs)")
        .await
        .unwrap();
    let last = import_file(
        &s.client,
        &file,
        &journal_dir,
        &options,
        &CancelFlag::default(),
        None,
    )
    .await;
    assert_eq!(last.rows[0].status, RowStatus::CreatedEarlier);
    assert!(
        s.sandbox
            .zitadel_secret_matches(&theirs.app_id, secret.expose())
    );
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets_path)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_answers_failures_and_429s_still_give_one_app_and_a_current_secret_per_row() {
    let s = Setup::new(SandboxConfig {
        fail_rate: 0.1,
        drop_rate: 0.2,
        seed: Some(23),
        ..SandboxConfig::default()
    })
    .await;
    let rows = names("Faulty", 60);
    let file = write_file(s.dir.path(), "faulty.csv", &rows);
    let secrets = s.path("secrets.csv");
    let journal = s.path("journal");
    let options = options(&s.project, &secrets);
    // A row whose every retry failed is resolved by the next run: at most three runs.
    let mut runs = 0;
    let mut claimed = 0;
    loop {
        runs += 1;
        let report = import_file(
            &s.client,
            &file,
            &journal,
            &options,
            &CancelFlag::default(),
            None,
        )
        .await;
        claimed += report
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Created)
            .count();
        if report.summary().all_done() {
            assert_eq!(
                report.summary().created,
                60,
                "{}",
                report.summary().sentence()
            );
            break;
        }
        assert!(runs < 3, "{}", report.summary().sentence());
    }
    assert_eq!(claimed, 60, "each row was created once, in one of the runs");
    assert_eq!(s.sandbox.app_count(), 60, "one app per row");
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
    assert_eq!(secret_lines(&secrets).len(), 60, "one secret per app");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_import_resumes_and_creates_nothing_twice() {
    let s = Setup::new(SandboxConfig {
        drop_rate: 0.1,
        latency: Duration::from_millis(5),
        ..SandboxConfig::default()
    })
    .await;
    let rows = names("Resumed", 40);
    let file = write_file(s.dir.path(), "resumed.csv", &rows);
    let secrets = s.path("secrets.csv");
    let journal = s.path("journal");
    let options = ZitadelImportOptions {
        concurrency: 2,
        ..options(&s.project, &secrets)
    };
    let first = import_file(
        &s.client,
        &file,
        &journal,
        &options,
        &CancelFlag::default(),
        Some(10),
    )
    .await;
    let done = first.summary().created;
    assert!((10..40).contains(&done), "{}", first.summary().sentence());
    assert_eq!(
        first.stopped.as_ref().map(|e| e.0.as_str()),
        Some("The import was cancelled")
    );
    assert!(
        first
            .rows
            .iter()
            .any(|r| matches!(&r.status, RowStatus::Skipped(w) if w.starts_with("Not sent")))
    );

    let second = import_file(
        &s.client,
        &file,
        &journal,
        &options,
        &CancelFlag::default(),
        None,
    )
    .await;
    let summary = second.summary();
    assert!(summary.all_done(), "{}", summary.sentence());
    assert_eq!(
        (summary.created, summary.created_earlier),
        (40, done),
        "{}",
        summary.sentence()
    );
    assert_eq!(s.sandbox.app_count(), 40);
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
}

/// A run killed after its create committed and before it heard back: the journal says `sent`
/// and the app exists under its marker name. The next run claims it, issues a new secret only
/// when the secrets file does not already hold one, and renames it.
const KILLED_MARKER: &str = "imp-dead";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_journalled_as_sent_whose_app_exists_is_claimed_not_created() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = vec!["Sent no answer".to_owned(), "Sent secret saved".to_owned()];
    let file = write_file(s.dir.path(), "sent.csv", &rows);
    let secrets = s.path("secrets.csv");
    let journal_dir = s.path("journal");
    let mut created = Vec::new();
    for name in &rows {
        journal_as_killed(&s, name, EntryState::Sent, None);
        created.push(
            s.client
                .create_api_app(
                    &s.project,
                    &import::zitadel::marker_name(name, KILLED_MARKER),
                    AuthMethod::Basic,
                )
                .await
                .unwrap(),
        );
    }
    // The killed run had saved the second app's secret, but not yet journalled it as created.
    let saved = &created[1];
    std::fs::write(
        &secrets,
        format!(
            "\u{feff}clientId,name,clientSecret\r\n{},{},{}\r\n",
            saved.client_id,
            rows[1],
            saved.client_secret.as_ref().unwrap().expose()
        ),
    )
    .unwrap();

    let report = import_file(
        &s.client,
        &file,
        &journal_dir,
        &options(&s.project, &secrets),
        &CancelFlag::default(),
        None,
    )
    .await;
    assert_eq!(report.rows[0].status, RowStatus::Created);
    assert_eq!(report.rows[1].status, RowStatus::CreatedEarlier);
    assert_eq!(s.sandbox.app_count(), 2, "nothing created twice");
    // The first app got a new secret (its first one was never saved); the second kept its own.
    let first = &created[0];
    assert!(!s.sandbox.zitadel_secret_matches(
        &first.app_id,
        first.client_secret.as_ref().unwrap().expose()
    ));
    assert!(s.sandbox.zitadel_secret_matches(
        &saved.app_id,
        saved.client_secret.as_ref().unwrap().expose()
    ));
    assert_eq!(secret_lines(&secrets).len(), 2);
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
}

/// Journals `state` for `name` under [`KILLED_MARKER`], as a killed run would have.
fn journal_as_killed(s: &Setup, name: &str, state: EntryState, client_id: Option<&str>) {
    let mut journal = Journal::open(
        &s.path("journal"),
        &journal_workspace(s.client.connection(), &s.project),
    )
    .unwrap();
    journal
        .append(&[JournalEntry {
            id: identity(name),
            row: 2,
            key: KILLED_MARKER.into(),
            state,
            attempt: 0,
            client_id: client_id.map(str::to_owned),
            error: None,
            at: None,
        }])
        .unwrap();
}

/// A run killed after it saved a secret and journalled the row as created, before the rename:
/// the next run renames the app, and leaves its secret as it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_a_killed_run_left_pending_is_finished_and_the_secret_kept() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = vec!["Pending rename".to_owned()];
    let file = write_file(s.dir.path(), "pending.csv", &rows);
    let created = s
        .client
        .create_api_app(
            &s.project,
            &import::zitadel::marker_name(&rows[0], KILLED_MARKER),
            AuthMethod::Basic,
        )
        .await
        .unwrap();
    let secret = created.client_secret.as_ref().unwrap();
    let secrets = s.path("secrets.csv");
    std::fs::write(
        &secrets,
        format!(
            "\u{feff}clientId,name,clientSecret\r\n{},{},{}\r\n",
            created.client_id,
            rows[0],
            secret.expose()
        ),
    )
    .unwrap();
    journal_as_killed(&s, &rows[0], EntryState::Created, Some(&created.client_id));

    let report = import_file(
        &s.client,
        &file,
        &s.path("journal"),
        &options(&s.project, &secrets),
        &CancelFlag::default(),
        None,
    )
    .await;
    assert_eq!(report.rows[0].status, RowStatus::CreatedEarlier);
    assert_eq!(s.sandbox.app_count(), 1);
    assert!(
        s.sandbox
            .zitadel_secret_matches(&created.app_id, secret.expose())
    );
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
}

/// An app under our marker name whose auth method is not the one asked for is not treated as
/// ours to re-secret: it is reported and left as it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_under_the_marker_with_another_auth_method_is_left_alone() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = vec!["Other method".to_owned()];
    let file = write_file(s.dir.path(), "method.csv", &rows);
    let marked = import::zitadel::marker_name(&rows[0], KILLED_MARKER);
    let basic = s
        .client
        .create_api_app(&s.project, &marked, AuthMethod::Basic)
        .await
        .unwrap();
    journal_as_killed(&s, &rows[0], EntryState::Sent, None);
    let secrets = s.path("secrets.csv");
    let report = import_file(
        &s.client,
        &file,
        &s.path("journal"),
        &ZitadelImportOptions {
            auth_method: AuthMethod::PrivateKeyJwt,
            ..options(&s.project, &secrets)
        },
        &CancelFlag::default(),
        None,
    )
    .await;
    assert!(
        matches!(&report.rows[0].status, RowStatus::Failed(why)
            if why.contains("left as it is") && why.contains("basic")),
        "{:?}",
        report.rows[0].status
    );
    assert!(s.sandbox.zitadel_secret_matches(
        &basic.app_id,
        basic.client_secret.as_ref().unwrap().expose()
    ));
    let all = apps(&s.client, &s.project).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, marked);
}

/// A name of 200 characters, ZITADEL's longest, leaves no room for the marker: the marker name
/// is shortened to fit, and the app ends with the whole name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_longest_names_are_shortened_for_the_marker_and_end_whole() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = vec!["이".repeat(200), format!("{} tail", "a".repeat(195))];
    let file = write_file(s.dir.path(), "long.csv", &rows);
    let secrets = s.path("secrets.csv");
    let report = import_file(
        &s.client,
        &file,
        &s.path("journal"),
        &options(&s.project, &secrets),
        &CancelFlag::default(),
        None,
    )
    .await;
    for row in &report.rows {
        assert_eq!(row.status, RowStatus::Created, "{row:?}");
    }
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_and_create_modes_are_refused_before_anything_is_sent() {
    let s = Setup::new(SandboxConfig::default()).await;
    let file = write_file(s.dir.path(), "two.csv", &names("Mode", 2));
    let prepared = import::prepare_file(&file, &ReadOptions::default()).unwrap();
    for mode in [ExistingMode::Update, ExistingMode::Create] {
        let secrets = s.path(&format!("{}.csv", mode.word()));
        let error = import_zitadel(
            &s.client,
            &prepared,
            &s.path("journal"),
            &ZitadelImportOptions {
                existing: mode,
                ..options(&s.project, &secrets)
            },
            &CancelFlag::default(),
            |_| {},
        )
        .await
        .unwrap_err();
        assert!(
            error.0.contains(&format!("--existing {}", mode.word())),
            "{error}"
        );
        assert!(!secrets.exists(), "nothing was opened");
    }
    assert_eq!(s.sandbox.app_count(), 0);
}

// ---- the command line ----

fn cli_command(s: &Setup, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.arg("import").args(args);
    for name in ["CONNECT_IMPORT_JOURNAL_DIR", "ZITADEL_ORG_ID"] {
        command.env_remove(name);
    }
    command
        .env("CONNECT_BACKEND", "zitadel")
        .env("CONNECT_BASE_URL", s.sandbox.base_url())
        .env("CONNECT_API_KEY", zc::PAT)
        .env("ZITADEL_PROJECT_ID", &s.project)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    command
}

async fn cli(s: &Setup, args: &[&str]) -> Output {
    tokio::time::timeout(LIMIT, cli_command(s, args).output())
        .await
        .expect("command finishes")
        .expect("command runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Rows the journals record as created (their secrets are on disk by then).
fn journalled_created(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|text| text.matches("\"state\":\"created\"").count())
        .sum()
}

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_cli_import_resumes_and_a_finished_one_creates_nothing() {
    let s = Setup::new(SandboxConfig {
        latency: Duration::from_millis(40),
        drop_rate: 0.1,
        fail_rate: 0.05,
        seed: Some(5),
        ..SandboxConfig::default()
    })
    .await;
    let rows = names("Killed", 60);
    let file = arg(&write_file(s.dir.path(), "killed.csv", &rows));
    let journal = s.path("journal");
    let secrets = s.path("secrets.csv");
    let results = s.path("results.csv");
    let (journal_arg, secrets_arg, results_arg) = (arg(&journal), arg(&secrets), arg(&results));
    let args = [
        file.as_str(),
        "--journal-dir",
        journal_arg.as_str(),
        "--secrets",
        secrets_arg.as_str(),
        "--results",
        results_arg.as_str(),
        "--concurrency",
        "2",
    ];

    // Killed (no chance to clean up) once ten rows are journalled as created.
    let mut child = cli_command(&s, &args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut polls = 0;
    while journalled_created(&journal) < 10 {
        polls += 1;
        assert!(polls < 6000, "the import did not journal 10 rows in 30 s");
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the import ended before it was killed: {status}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().await.unwrap();
    let journalled = journalled_created(&journal);
    assert!(
        journalled < 60,
        "killed mid-run ({journalled} rows journalled)"
    );

    // The resumed run may meet a failure too: at most three runs finish it.
    let mut runs = 0;
    loop {
        runs += 1;
        let resumed = cli(&s, &args).await;
        let text = stderr(&resumed);
        if resumed.status.success() {
            assert!(text.contains("60 created ("), "{text}");
            assert!(text.contains("in an earlier run"), "{text}");
            break;
        }
        assert!(runs < 3, "{text}");
        assert!(text.contains("Run the same command again"), "{text}");
    }
    assert_eq!(s.sandbox.app_count(), 60, "nothing created twice");
    let report = std::fs::read_to_string(&results).unwrap();
    assert_eq!(report.lines().count(), 61, "every row is in the results");
    assert!(
        report
            .lines()
            .skip(1)
            .all(|l| l.contains(",created,") || l.contains(",created earlier,")),
        "{report}"
    );
    assert_one_app_and_current_secret_each(&s.sandbox, &s.client, &s.project, &rows, &secrets)
        .await;

    let again = cli(&s, &args).await;
    let text = stderr(&again);
    assert!(again.status.success(), "{text}");
    assert!(
        text.contains(
            "60 created (60 in an earlier run), 0 already exist, 0 skipped, 0 failed, 0 invalid (of 60 rows)"
        ),
        "{text}"
    );
    assert_eq!(s.sandbox.app_count(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_dry_run_compares_with_the_project_and_sends_nothing() {
    let s = Setup::new(SandboxConfig::default()).await;
    s.client
        .create_api_app(&s.project, "Dry 001", AuthMethod::Basic)
        .await
        .unwrap();
    let file = arg(&write_file(s.dir.path(), "dry.csv", &names("Dry", 3)));
    let journal = arg(&s.path("journal"));
    let output = cli(
        &s,
        &[&file, "--dry-run", "--json", "--journal-dir", &journal],
    )
    .await;
    let text = stderr(&output);
    // Ready or existing: nothing left to do, so exit 0, as for the Hopae import.
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("Compared with the 1 app(s) of project"),
        "{text}"
    );
    assert!(
        text.contains("Dry run, nothing was sent: 2 ready to create, 0 created, 1 already exist"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["ready"], 2);
    assert_eq!(json["rows"][1]["status"], "exists");
    assert_eq!(s.sandbox.app_count(), 1);
    assert!(!s.path("journal").exists(), "a dry run creates no journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_gives_each_key_signing_app_one_key_file_exactly_once() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = names("Keys", 4);
    let file = arg(&write_file(s.dir.path(), "keys.csv", &rows));
    let keys_dir = s.path("keys");
    let results = s.path("results.csv");
    let (journal, keys_arg, results_arg) = (arg(&s.path("journal")), arg(&keys_dir), arg(&results));
    let args = [
        file.as_str(),
        "--auth-method",
        "private-key-jwt",
        "--keys-dir",
        &keys_arg,
        "--expires",
        "2099-06-30",
        "--journal-dir",
        &journal,
        "--results",
        &results_arg,
    ];
    // Without a keys folder it is refused, before anything is sent.
    let refused = cli(&s, &args[..3]).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("--keys-dir"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(s.sandbox.app_count(), 0);

    let output = cli(&s, &args).await;
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("4 created, 0 already exist"), "{text}");
    assert!(text.contains("4 app(s) have their key file"), "{text}");
    let made = apps(&s.client, &s.project).await;
    assert_eq!(made.len(), 4);
    let key_files = |made: &[ZitadelApp]| -> Vec<(ZitadelApp, serde_json::Value)> {
        made.iter()
            .map(|app| {
                let path = keys_dir.join(import::zitadel::key_file_name(&app.name, &app.client_id));
                let key: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                zc::assert_owner_only(&path);
                (app.clone(), key)
            })
            .collect()
    };
    for (app, key) in key_files(&made) {
        assert_eq!(app.auth_method, Some(AuthMethod::PrivateKeyJwt));
        assert!(
            rows.contains(&app.name),
            "renamed to the row's name: {}",
            app.name
        );
        assert_eq!(key["clientId"], app.client_id.as_str());
        assert_eq!(
            s.sandbox.zitadel_key_ids(&app.app_id),
            [key["keyId"].as_str().unwrap().to_owned()],
            "one key on the server, the one on disk"
        );
    }
    let results_text = std::fs::read_to_string(&results).unwrap();
    assert!(
        results_text.lines().next().unwrap().ends_with(",keyFile"),
        "{results_text}"
    );
    assert_eq!(results_text.matches(".json").count(), 4, "{results_text}");

    // A key file lost from the folder: the rerun replaces that app's key, and only that.
    let (lost_app, lost_key) = key_files(&made).remove(0);
    std::fs::remove_file(keys_dir.join(import::zitadel::key_file_name(
        &lost_app.name,
        &lost_app.client_id,
    )))
    .unwrap();
    let output = cli(&s, &args).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(s.sandbox.app_count(), 4, "nothing created twice");
    let after = key_files(&apps(&s.client, &s.project).await);
    for (app, key) in &after {
        assert_eq!(
            s.sandbox.zitadel_key_ids(&app.app_id).len(),
            1,
            "{}",
            app.name
        );
        if app.app_id == lost_app.app_id {
            assert_ne!(
                key["keyId"], lost_key["keyId"],
                "a new key replaced the lost one"
            );
        }
    }
}

/// A run that died after the server added a key and before the file was written left a key
/// no one has. The rerun claims the app by its marker name, deletes that key, and saves a new
/// one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_added_without_its_file_is_replaced_by_the_rerun() {
    let s = Setup::new(SandboxConfig::default()).await;
    let rows = vec!["Key lost".to_owned()];
    let file = write_file(s.dir.path(), "key-lost.csv", &rows);
    let made = s
        .client
        .create_api_app(
            &s.project,
            &import::zitadel::marker_name(&rows[0], KILLED_MARKER),
            AuthMethod::PrivateKeyJwt,
        )
        .await
        .unwrap();
    let orphan = s
        .client
        .add_app_key(
            &s.project,
            &made.app_id,
            connect_console::backends::keys::KeyExpiry::Never,
        )
        .await
        .unwrap();
    journal_as_killed(&s, &rows[0], EntryState::Sent, None);
    let keys_dir = s.path("keys");
    let report = import_file(
        &s.client,
        &file,
        &s.path("journal"),
        &ZitadelImportOptions {
            auth_method: AuthMethod::PrivateKeyJwt,
            secrets_file: None,
            keys: Some(import::run::KeyFiles {
                dir: keys_dir.clone(),
                expiry: connect_console::backends::keys::KeyExpiry::Never,
            }),
            ..options(&s.project, &s.path("unused.csv"))
        },
        &CancelFlag::default(),
        None,
    )
    .await;
    assert_eq!(
        report.rows[0].status,
        RowStatus::Created,
        "{:?}",
        report.rows[0]
    );
    let keys = s.sandbox.zitadel_key_ids(&made.app_id);
    assert_eq!(keys.len(), 1);
    assert_ne!(keys[0], orphan.id, "the key whose file was lost is gone");
    let path = report.rows[0].key_file.clone().unwrap();
    let key: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(key["keyId"], keys[0].as_str());
    let all = apps(&s.client, &s.project).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, rows[0], "renamed once the key was on disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_refuses_before_sending_anything() {
    let s = Setup::new(SandboxConfig::default()).await;
    let file = arg(&write_file(
        s.dir.path(),
        "refused.csv",
        &names("Refused", 2),
    ));
    let secrets = arg(&s.path("secrets.csv"));
    let journal = arg(&s.path("journal"));
    let cases: [(Vec<&str>, &str); 5] = [
        (
            vec!["--existing", "update", "--secrets", &secrets],
            "nothing to update",
        ),
        (
            vec!["--existing", "create", "--secrets", &secrets],
            "unique in a ZITADEL project",
        ),
        (vec!["--secrets", &file], "names the file being imported"),
        (
            vec!["--secrets", &secrets, "--results", &secrets],
            "name the same file",
        ),
        (vec![], "Give --secrets FILE.csv"),
    ];
    for (extra, expected) in cases {
        let mut args = vec![file.as_str(), "--journal-dir", journal.as_str()];
        args.extend(extra);
        let output = cli(&s, &args).await;
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(text.contains(expected), "{expected}: {text}");
        assert_eq!(
            text.trim().lines().last().map(|l| l.starts_with("error: ")),
            Some(true),
            "{text}"
        );
    }
    assert_eq!(s.sandbox.app_count(), 0);
    assert!(!s.path("secrets.csv").exists());

    // A project other than the one given is never touched; without one, the import says how.
    let output = Command::new(BIN)
        .args([
            "import",
            &file,
            "--secrets",
            &secrets,
            "--journal-dir",
            &journal,
        ])
        .env("CONNECT_BACKEND", "zitadel")
        .env("CONNECT_BASE_URL", s.sandbox.base_url())
        .env("CONNECT_API_KEY", zc::PAT)
        .env_remove("ZITADEL_PROJECT_ID")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    assert!(
        stderr(&output).contains("No ZITADEL project is chosen"),
        "{}",
        stderr(&output)
    );

    // --auth-method belongs to ZITADEL.
    let output = Command::new(BIN)
        .args(["import", &file, "--auth-method", "basic", "--dry-run"])
        .env("CONNECT_BACKEND", "hopae")
        .env_remove("CONNECT_API_KEY")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--auth-method"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_that_does_not_exist_stops_the_import() {
    let s = Setup::new(SandboxConfig::default()).await;
    let file = arg(&write_file(
        s.dir.path(),
        "nowhere.csv",
        &names("Nowhere", 20),
    ));
    let secrets = arg(&s.path("secrets.csv"));
    let journal = arg(&s.path("journal"));
    let output = tokio::time::timeout(
        LIMIT,
        cli_command(
            &s,
            &[
                &file,
                "--secrets",
                &secrets,
                "--journal-dir",
                &journal,
                "--concurrency",
                "2",
            ],
        )
        .env("ZITADEL_PROJECT_ID", "999999")
        .output(),
    )
    .await
    .unwrap()
    .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("The import stopped early: The project 999999 was not found"),
        "{text}"
    );
    // Only the creates already in flight were sent; the rest say why they were not.
    assert!(
        text.contains("0 created, 0 already exist, 18 skipped, 2 failed"),
        "{text}"
    );
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("Not sent because the import stopped"),
        "{table}"
    );
    assert!(text.contains("Run the same command again"), "{text}");
    assert_eq!(s.sandbox.app_count(), 0);
}
