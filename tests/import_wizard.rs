//! The import wizard driven with egui_kittest: a file given by path (no real dialog), through
//! columns and preview to a run against the sandbox on 127.0.0.1, then the results, the
//! secrets-not-saved confirmation and the owner-only secrets file.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use connect_console::import::RunOptions;
use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use connect_console::ui::file_dialog::FakeDialogs;
use connect_console::ui::import_wizard::{ImportWizard, Step, WizardAction};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// The wizard and what its last frame asked of the host.
struct Host {
    wizard: ImportWizard,
    actions: Vec<WizardAction>,
}

struct Fixture {
    harness: Harness<'static, Host>,
    dialogs: FakeDialogs,
    sandbox: RunningSandbox,
    dir: tempfile::TempDir,
    // Dropped last: the sandbox and the wizard's tasks run on it.
    _runtime: tokio::runtime::Runtime,
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

fn fixture() -> Fixture {
    fixture_with(SandboxConfig::default(), common::KEY)
}

/// A wizard on a sandbox that accepts only `key` (a production key makes it a production
/// workspace).
fn fixture_with(config: SandboxConfig, key: &str) -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(common::start(SandboxConfig {
        api_key: Some(key.to_owned()),
        ..config
    }));
    let connection = connect_console::api::Connection::new(
        &sandbox.base_url(),
        connect_console::secret::Secret::new(key),
    )
    .unwrap();
    let client = connect_console::api::Client::new(connection)
        .unwrap()
        .with_retry(common::fast_retry());
    let dialogs = FakeDialogs::default();
    let dir = tempfile::tempdir().unwrap();
    let wizard = ImportWizard::new(
        client,
        runtime.handle().clone(),
        dir.path().join("journal"),
        Box::new(dialogs.clone()),
    )
    .with_run_options(RunOptions {
        retry: common::fast_retry(),
        ..RunOptions::default()
    });
    let harness = Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .with_context_setup(|ctx| {
            connect_console::ui::fonts::install_cjk_fallback(ctx);
        })
        .build_ui_state(
            |ui, host: &mut Host| {
                let action = host.wizard.ui(ui);
                if action != WizardAction::None {
                    host.actions.push(action);
                }
            },
            Host {
                wizard,
                actions: Vec::new(),
            },
        );
    Fixture {
        harness,
        dialogs,
        sandbox,
        dir,
        _runtime: runtime,
    }
}

/// Steps frames until `done` holds, for at most 20 s.
fn step_until(harness: &mut Harness<'static, Host>, what: &str, done: impl Fn(&Host) -> bool) {
    for _ in 0..2000 {
        harness.step();
        if done(harness.state()) {
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for {what}");
}

/// Gives the wizard a corpus file by path and waits until it is read.
fn open(harness: &mut Harness<'static, Host>, file: &str) {
    harness.state_mut().wizard.open_path(corpus(file));
    step_until(harness, "the file to be read", |h| {
        h.wizard.prepared.is_some()
    });
}

/// From the file step through the columns to the preview.
fn next_to_preview(harness: &mut Harness<'static, Host>) {
    for _ in 0..2 {
        harness.get_by_label("Next").click();
        harness.run_steps(2);
    }
    assert_eq!(harness.state().wizard.step, Step::Preview);
}

#[test]
fn wizard_goes_from_file_to_results_and_guards_the_secrets() {
    let Fixture {
        mut harness,
        dialogs,
        sandbox,
        dir,
        _runtime,
    } = fixture();
    let before = sandbox.app_count();
    open(&mut harness, "invalid_rows.csv");
    harness.get_by_label_contains("10 rows of apps");
    harness.get_by_value("Detect (found UTF-8)");
    harness.get_by_label("Encoding");

    harness.get_by_label("Next").click();
    harness.run_steps(2);
    assert_eq!(harness.state().wizard.step, Step::Columns);
    harness.get_by_label("Next").click();
    harness.run_steps(2);
    assert_eq!(harness.state().wizard.step, Step::Preview);

    // Invalid rows are counted and shown with their problem; nothing runs until they are skipped.
    // The button counts what will be sent: row 10 repeats row 2's external id.
    harness.get_by_label("6 invalid");
    harness.get_by_label("2 with warnings");
    assert!(
        harness
            .query_all_by_label_contains("The app name is empty")
            .count()
            >= 1
    );
    assert!(harness.query_all_by_label_contains("Use https://").count() >= 1);
    harness.get_by_label("Import 3 apps").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().wizard.step,
        Step::Preview,
        "blocked by invalid rows"
    );
    harness.get_by_label("Skip invalid rows").click();
    harness.run_steps(2);
    harness.get_by_label("Import 3 apps").click();
    step_until(&mut harness, "the import to finish", |h| {
        h.wizard.step == Step::Results
    });
    assert!(harness.state().actions.contains(&WizardAction::AppsCreated));
    // Row 10 repeats row 2's external id and is skipped; three apps are created.
    harness.get_by_label_contains("3 created, 1 skipped, 0 failed, 6 invalid (of 10 rows)");
    assert_eq!(sandbox.app_count() - before, 3);
    assert!(harness.query_all_by_label("invalid").count() >= 1);

    // Leaving before the secrets are saved asks first.
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    harness.get_by_label("The client secrets were not saved");
    harness.get_by_label("Go back and save them").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("The client secrets were not saved")
            .is_none()
    );
    assert!(!harness.state().actions.contains(&WizardAction::Close));

    let secrets = dir.path().join("secrets.csv");
    dialogs.queue_save(&secrets);
    harness.get_by_label("Save secrets...").click();
    step_until(&mut harness, "the secrets to be saved", |_| {
        secrets.exists()
    });
    step_until(&mut harness, "the saved notice", |h| {
        !h.wizard.request_close_would_ask()
    });
    let text = std::fs::read_to_string(&secrets).unwrap();
    assert_eq!(text.lines().count(), 4, "a header and three secrets");
    common::assert_owner_only(&secrets);
    let results = dir.path().join("results.csv");
    dialogs.queue_save(&results);
    harness.get_by_label("Save results...").click();
    step_until(&mut harness, "the results to be saved", |_| {
        results.exists()
    });
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(harness.state().actions.contains(&WizardAction::Close));
}

#[test]
fn chosen_file_refused_file_and_template() {
    let Fixture {
        mut harness,
        dialogs,
        dir,
        sandbox: _sandbox,
        _runtime,
    } = fixture();
    // A typed path is the fallback when no dialog answers.
    harness.get_by_label("File path").focus();
    harness.run_steps(1);
    harness.get_by_label("File path").type_text(
        corpus("german_excel_cp1252_semicolon.csv")
            .to_str()
            .unwrap(),
    );
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    step_until(&mut harness, "the German file", |h| {
        h.wizard.prepared.is_some()
    });
    harness.get_by_value("Detect (found windows-1252, a guess)");
    harness.get_by_value("Detect (found semicolon (;))");

    // A wrong delimiter override is refused, and can be undone from the same screen.
    harness.get_by_label("Delimiter").click();
    harness.run_steps(2);
    harness.get_by_label("comma (,)").click();
    step_until(&mut harness, "the re-read", |h| !h.wizard.is_loading());
    harness.get_by_label_contains("No column holds the app names");
    harness.get_by_label("Delimiter").click();
    harness.run_steps(2);
    harness.get_by_label("Detect").click();
    step_until(&mut harness, "the re-read", |h| {
        !h.wizard.is_loading() && h.wizard.prepared.is_some()
    });
    harness.get_by_label("Next").click();
    harness.run_steps(2);
    harness.get_by_label("Bemerkung");
    harness.get_by_label_contains("Ignored columns: Bemerkung");
    harness.get_by_label("Back").click();
    harness.run_steps(2);

    // A file chosen through the (fake) dialog.
    dialogs.queue_pick(corpus("binary.csv"));
    harness.get_by_label("Choose file...").click();
    step_until(&mut harness, "the refusal", |h| !h.wizard.is_loading());
    harness.get_by_label_contains("does not contain text");
    assert!(dialogs.asked.lock().unwrap()[0].contains("CSV"));

    let template = dir.path().join("template.csv");
    dialogs.queue_save(&template);
    harness.get_by_label("Download template...").click();
    step_until(&mut harness, "the template", |_| template.exists());
    let text = std::fs::read_to_string(&template).unwrap();
    assert!(text.contains("name,redirectUris,webhookUrl,externalId"));
}

#[test]
fn a_production_import_waits_for_an_explicit_yes() {
    let Fixture {
        mut harness,
        sandbox,
        _runtime,
        ..
    } = fixture_with(
        SandboxConfig::default(),
        "sk_workspace_prod_FAKE_wizard_tests",
    );
    let before = sandbox.app_count();
    open(&mut harness, "utf8_bom_cjk.csv");
    next_to_preview(&mut harness);
    harness.get_by_label_contains("This workspace is production");
    let button = import_button_label(&harness);
    // Not before the explicit yes.
    harness.get_by_label(&button).click();
    harness.run_steps(2);
    assert_eq!(harness.state().wizard.step, Step::Preview);
    assert_eq!(sandbox.app_count(), before);
    harness.get_by_label_contains("apps in production").click();
    harness.run_steps(2);
    harness.get_by_label(&button).click();
    step_until(&mut harness, "the results", |h| {
        h.wizard.step == Step::Results
    });
    assert!(sandbox.app_count() > before);
}

/// The "Import N apps" button's label.
fn import_button_label(harness: &Harness<'static, Host>) -> String {
    use egui_kittest::kittest::NodeT as _;
    harness
        .query_all_by_label_contains("Import ")
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("Import ") && l.ends_with(" apps"))
        .expect("an Import N apps button")
}

#[test]
fn secrets_chosen_up_front_are_on_disk_when_the_import_ends() {
    let Fixture {
        mut harness,
        dialogs,
        sandbox,
        dir,
        _runtime,
    } = fixture();
    let before = sandbox.app_count();
    open(&mut harness, "utf8_bom_cjk.csv");
    next_to_preview(&mut harness);
    let secrets = dir.path().join("up-front-secrets.csv");
    dialogs.queue_save(&secrets);
    harness
        .get_by_label("Save secrets as they arrive...")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Change secrets file...");
    let button = import_button_label(&harness);
    harness.get_by_label(&button).click();
    step_until(&mut harness, "the results", |h| {
        h.wizard.step == Step::Results
    });
    let created = sandbox.app_count() - before;
    assert!(created > 0);
    let text = std::fs::read_to_string(&secrets).unwrap();
    assert_eq!(
        text.lines().count(),
        created + 1,
        "a header and one line per app"
    );
    common::assert_owner_only(&secrets);
    // Nothing is left to save: closing does not ask.
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label("The client secrets were not saved")
            .is_none()
    );
    assert!(harness.state().actions.contains(&WizardAction::Close));
}
