//! The console on a ZITADEL instance, driven with egui_kittest against the ZITADEL sandbox on
//! 127.0.0.1: connecting through the dialog, picking a project, creating an app with each
//! auth method, deactivating one, and what is absent (workflows, redirect URIs).

// A failed unwrap in a test is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod kittest_support;

use std::time::Duration;

use connect_console::api::RetryPolicy;
use connect_console::clipboard::FakeClipboard;
use connect_console::runtime::Backend;
use connect_console::runtime::dialogs::FakeDialogs;
use connect_console::sandbox::{self, SandboxConfig};
use connect_console::settings::{Keys, MemoryKeyStore};
use connect_console::ui::ConsoleApp;
use connect_console::ui::state::LoadState;
use connect_console::zitadel::{AppState, AuthMethod};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use kittest_support::step_until;

const PAT: &str = "FAKE_PAT_console_kittest";

fn loaded(app: &ConsoleApp) -> bool {
    matches!(app.state.load, LoadState::Ready)
}

/// The console connected, through its dialog, to a ZITADEL sandbox with demo data; the sandbox
/// runs on `runtime`, which the caller keeps alive.
fn connected(
    runtime: &tokio::runtime::Runtime,
    journals: &std::path::Path,
    dialogs: FakeDialogs,
) -> (
    egui_kittest::Harness<'static, ConsoleApp>,
    connect_console::sandbox::RunningSandbox,
) {
    let zitadel = runtime
        .block_on(sandbox::start(SandboxConfig {
            port: 0,
            zitadel: true,
            demo: true,
            seed: Some(5),
            ..SandboxConfig::default()
        }))
        .unwrap();
    let mut backend = Backend::embedded_sandbox(SandboxConfig {
        port: 0,
        demo: true,
        seed: Some(3),
        ..SandboxConfig::default()
    })
    .unwrap()
    .without_activity_log()
    .with_keys(Keys::new(Box::new(MemoryKeyStore::default())))
    .with_journal_dir(journals.to_path_buf())
    .with_dialogs(dialogs);
    backend.set_retry(RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(10),
        ..RetryPolicy::default()
    });
    let ctx = egui::Context::default();
    let app = ConsoleApp::new(backend, Box::new(FakeClipboard::default()), &ctx);
    let mut harness = kittest_support::builder(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ConsoleApp| app.ui(ui), app);
    step_until(&mut harness, "the demo apps", loaded);

    // Connect: ZITADEL, the instance's address and a personal access token.
    harness.get_by_label("Connect…").click();
    harness.run_steps(3);
    harness.get_by_label("Other address");
    harness.get_by_label("ZITADEL").click();
    harness.run_steps(3);
    harness.get_by_label("Address").focus();
    harness
        .get_by_label("Address")
        .type_text(&zitadel.base_url());
    harness.get_by_label("Personal access token").focus();
    harness.get_by_label("Personal access token").type_text(PAT);
    harness.run_steps(2);
    harness.get_by_label("Connect").click();
    // One list holds the apps of whichever workspace is open: wait for the project's.
    step_until(&mut harness, "the first project's apps", |app| {
        loaded(app) && app.state.project.is_some() && !app.state.apps.is_empty()
    });
    (harness, zitadel)
}

#[test]
fn a_zitadel_project_is_managed_from_the_same_console() {
    let journals = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mut harness, zitadel) = connected(&runtime, journals.path(), FakeDialogs::default());
    // The first project opens; its apps show state and auth method instead of Hopae's columns.
    harness.get_by_value("Payments platform");
    assert_eq!(harness.state().state.apps.len(), 40);
    // Column headers (and the details' own "State" row).
    assert!(harness.query_all_by_label("State").count() >= 1);
    harness.get_by_label("Auth method");
    assert!(harness.query_by_label("Workflows").is_none());
    assert!(harness.query_by_label("Edit redirect URIs").is_none());

    // Another project, from the toolbar's picker.
    harness.get_by_value("Payments platform").click();
    harness.run_steps(3);
    harness.get_by_label("Internal tools").click();
    step_until(&mut harness, "the other project's apps", |app| {
        loaded(app)
            && app.state.project.is_some()
            && app.state.apps.len() < 40
            && !app.state.apps.is_empty()
    });
    let before = harness.state().state.apps.len();

    // A BASIC app: its secret is shown once, in the same dialog as Hopae's.
    harness.get_by_label("Create app…").click();
    harness.run_steps(3);
    harness.get_by_label("App name").focus();
    harness
        .get_by_label("App name")
        .type_text("Kittest basic API");
    harness.run_steps(2);
    assert!(
        harness
            .get_by_label("Create")
            .accesskit_node()
            .is_disabled(),
        "the auth method is chosen, never assumed"
    );
    harness
        .get_by_label("Basic: a client id and a secret (shown once)")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Create").click();
    step_until(&mut harness, "the secret", |app| app.state.secret.is_some());
    harness.get_by_label_contains("shown only once");
    harness
        .get_by_label("I have stored this secret safely")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Done").click();
    harness.run_steps(3);
    let created = harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.name == "Kittest basic API")
        .cloned()
        .expect("the new app is listed");
    assert_eq!(created.auth_method(), Some(AuthMethod::Basic));

    // A PRIVATE_KEY_JWT app: no secret, and the console says why.
    harness.get_by_label("Create app…").click();
    harness.run_steps(3);
    harness.get_by_label("App name").focus();
    harness
        .get_by_label("App name")
        .type_text("Kittest key API");
    harness
        .get_by_label("Private key JWT: signs with keys, no secret")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Create").click();
    step_until(&mut harness, "the key app", |app| {
        app.state.apps.iter().any(|a| a.name == "Kittest key API")
    });
    assert!(harness.state().state.secret.is_none());
    harness.get_by_label_contains("signs with keys (private key JWT)");
    assert_eq!(harness.state().state.apps.len(), before + 2);
    // Its details offer no rotation: it has no secret.
    harness.get_by_label_contains("None: this app signs with keys");

    // Deactivate the basic app, after a confirmation.
    harness.get_by_label("Kittest basic API").click();
    harness.run_steps(3);
    harness.get_by_label("Deactivate…").click();
    harness.run_steps(3);
    harness.get_by_label("Deactivate this app?");
    harness.get_by_label("Deactivate").click();
    step_until(&mut harness, "the deactivation", |app| {
        app.state
            .apps
            .iter()
            .any(|a| a.name == "Kittest basic API" && a.state() == Some(AppState::Inactive))
    });
    harness.get_by_label("Reactivate…");

    // An import into the project: a name it has is left alone, the others are created once.
    let file = journals.path().join("apps.csv");
    std::fs::write(
        &file,
        "name\nKittest basic API\nImported one\nImported two\n",
    )
    .unwrap();
    harness.state_mut().open_import(Some(file));
    step_until(&mut harness, "the file", |app| {
        app.import().is_some_and(|w| w.prepared.is_some())
    });
    for _ in 0..2 {
        harness.get_by_label("Next").click();
        harness.run_steps(3);
    }
    step_until(&mut harness, "the plan", |app| {
        app.import().is_some_and(|w| w.plan.is_some())
    });
    harness.get_by_label("2 new");
    harness.get_by_label("1 exist");
    harness.get_by_label("Import 2 apps").click();
    step_until(&mut harness, "the results", |app| {
        app.import()
            .is_some_and(|w| w.step == connect_console::ui::import_wizard::Step::Results)
    });
    harness.get_by_label_contains("2 created, 1 already exist");
    let report = harness.state().import().unwrap().report.clone().unwrap();
    let secrets = std::fs::read_to_string(report.secrets_file.clone().unwrap()).unwrap();
    assert_eq!(secrets.lines().count(), 3, "a header and two secrets");
    drop(zitadel);
}

/// A private-key-jwt app's keys in its details: added with the default expiry through the save
/// dialog (the key file owner-only, never on screen), listed, and deleted after a confirmation.
#[test]
fn a_key_apps_keys_are_added_listed_and_deleted_in_its_details() {
    let journals = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dialogs = FakeDialogs::default();
    let (mut harness, zitadel) = connected(&runtime, journals.path(), dialogs.clone());
    let app = harness
        .state()
        .state
        .apps
        .iter()
        .find(|a| a.auth_method() == Some(AuthMethod::PrivateKeyJwt))
        .cloned()
        .expect("the demo has key apps");
    harness
        .state_mut()
        .state
        .record(connect_console::ui::state::UserEvent::Selected(
            app.id.clone(),
        ));
    step_until(&mut harness, "the key list", |console| {
        matches!(
            console.state.keys.get(&app.id),
            Some(connect_console::ui::state::KeysState::Loaded(_))
        )
    });
    let before = zitadel.zitadel_key_ids(&app.id).len();

    harness.get_by_label("Add key…").click();
    harness.run_steps(3);
    harness.get_by_label("In one year");
    harness.get_by_label_contains("cannot be downloaded again");
    let file = journals.path().join("kittest-key.json");
    dialogs.queue(&file);
    harness.get_by_label("Save key file…").click();
    step_until(&mut harness, "the key saved", |console| {
        console
            .state
            .message
            .as_deref()
            .is_some_and(|m| m.contains("was added"))
    });
    let keys = zitadel.zitadel_key_ids(&app.id);
    assert_eq!(keys.len(), before + 1);
    let new_key = keys.last().unwrap().clone();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["keyId"], new_key.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        harness.query_by_label_contains("PRIVATE KEY").is_none(),
        "never on screen"
    );
    step_until(&mut harness, "the list again", |console| {
        matches!(
            console.state.keys.get(&app.id),
            Some(connect_console::ui::state::KeysState::Loaded(keys)) if keys.iter().any(|k| k.id == new_key)
        )
    });
    harness.get_by_label(&new_key);

    // An add whose answer is lost: reported as unknown, with no Retry (it would add a second
    // key), and the list read again.
    zitadel.inject(connect_console::sandbox::Fault::DropAfterCommit);
    harness.get_by_label("Add key…").click();
    harness.run_steps(3);
    dialogs.queue(journals.path().join("lost-key.json"));
    harness.get_by_label("Save key file…").click();
    step_until(&mut harness, "the lost add reported", |console| {
        console.state.ops.values().any(|pending| {
            matches!(
                pending.state,
                connect_console::ui::state::OpState::Failed {
                    outcome_unknown: true,
                    ..
                }
            )
        })
    });
    harness.get_by_label_contains("a key may have been added");
    assert!(
        harness.query_by_label("Retry").is_none(),
        "never sent twice"
    );
    assert!(!journals.path().join("lost-key.json").exists());
    let lost = zitadel.zitadel_key_ids(&app.id);
    assert_eq!(lost.len(), before + 2, "the add reached the server once");
    step_until(&mut harness, "the list again", |console| {
        matches!(
            console.state.keys.get(&app.id),
            Some(connect_console::ui::state::KeysState::Loaded(keys)) if keys.len() == before + 2
        )
    });
    // The key no one has a file for can be deleted from the same list.
    let orphan = lost.last().unwrap().clone();
    harness.get_by_label(&orphan);

    // Delete asks first, naming the consequence.
    let deletes = harness.query_all_by_label("Delete…").count();
    assert_eq!(deletes, before + 2);
    harness
        .query_all_by_label("Delete…")
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
    harness.get_by_label("Delete this key?");
    harness.get_by_label_contains("stops working at once");
    harness.get_by_label("Delete key").click();
    step_until(&mut harness, "the key deleted", |_| {
        !zitadel.zitadel_key_ids(&app.id).contains(&orphan)
    });
    assert!(zitadel.zitadel_key_ids(&app.id).contains(&new_key));

    // An import of apps that sign with keys: the wizard asks for the key files' folder in
    // place of a secrets file, and each new app gets one key file there.
    let file = journals.path().join("key-apps.csv");
    std::fs::write(&file, "name\nWizard key one\nWizard key two\n").unwrap();
    let keys_dir = journals.path().join("wizard-keys");
    harness.state_mut().open_import(Some(file));
    step_until(&mut harness, "the file", |app| {
        app.import().is_some_and(|w| w.prepared.is_some())
    });
    for _ in 0..2 {
        harness.get_by_label("Next").click();
        harness.run_steps(3);
    }
    step_until(&mut harness, "the plan", |app| {
        app.import().is_some_and(|w| w.plan.is_some())
    });
    harness
        .get_by_label("Private key JWT: keys, no secret")
        .click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Choose file…").is_none());
    harness.get_by_label_contains("cannot be downloaded again");
    harness.state_mut().import_mut().unwrap().keys_dir_text = keys_dir.display().to_string();
    harness.run_steps(2);
    harness.get_by_label("Import 2 apps").click();
    step_until(&mut harness, "the results", |app| {
        app.import()
            .is_some_and(|w| w.step == connect_console::ui::import_wizard::Step::Results)
    });
    harness.get_by_label_contains("2 app(s) have their key file");
    let files = std::fs::read_dir(&keys_dir).unwrap().count();
    assert_eq!(files, 2);
    drop(zitadel);
}
