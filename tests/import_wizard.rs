//! The import wizard driven with egui_kittest. First as plain state, with no runtime: the test
//! plays the runtime, answering each command the wizard returns with the event it would get.
//! Then inside the whole console against a sandbox on 127.0.0.1: a file given by path (no real
//! dialog), through columns and preview to a run, the results, and the owner-only secrets file.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod kittest_support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use connect_console::api::{App, Connection};
use connect_console::clipboard::FakeClipboard;
use connect_console::import::{
    self, Existing, ExistingMode, ImportReport, ReadOptions, RowOutcome, RowStatus, RunOptions,
};
use connect_console::runtime::dialogs::FakeDialogs;
use connect_console::runtime::{Backend, Command, ImportEvent, PlanPreview};
use connect_console::sandbox::{RunningSandbox, SandboxConfig};
use connect_console::secret::Secret;
use connect_console::ui::ConsoleApp;
use connect_console::ui::import_wizard::{ImportWizard, Step};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use kittest_support::step_until;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

// ---------------------------------------------------------------------------------------------
// The wizard alone, as plain state.

/// The wizard, and the commands its frames returned.
struct Plain {
    wizard: ImportWizard,
    commands: Vec<Command>,
    close: bool,
}

fn plain_harness() -> Harness<'static, Plain> {
    kittest_support::builder(egui::vec2(1100.0, 760.0)).build_ui_state(
        |ui, host: &mut Plain| {
            let output = host.wizard.ui(ui, false);
            host.commands.extend(output.commands);
            host.close |= output.close;
        },
        Plain {
            wizard: ImportWizard::new(),
            commands: Vec::new(),
            close: false,
        },
    )
}

/// Answers the read, remap and plan commands the way the runtime would, against `existing`.
fn answer(harness: &mut Harness<'static, Plain>, existing: &Existing) {
    let commands = std::mem::take(&mut harness.state_mut().commands);
    for command in commands {
        let event = match command {
            Command::ReadImportFile { op, path, .. } => {
                let bytes = std::fs::read(path).unwrap();
                ImportEvent::Prepared {
                    op,
                    result: import::prepare(&bytes, &ReadOptions::default()).map(Arc::new),
                    bytes: Some(Arc::new(bytes)),
                }
            }
            Command::Remap {
                op,
                prepared,
                mapping,
            } => ImportEvent::Remapped {
                op,
                prepared: Arc::new(prepared.remapped(mapping)),
            },
            Command::PlanImport { op, prepared, mode } => {
                let plan = import::plan(&prepared.rows, existing, &Default::default(), mode);
                let row_actions = prepared
                    .rows
                    .iter()
                    .map(|r| format!("action for row {}", r.row))
                    .collect();
                ImportEvent::Planned {
                    op,
                    result: Ok(Arc::new(PlanPreview {
                        counts: plan.counts(),
                        twins: plan.twins(),
                        existing: existing.len(),
                        row_actions,
                        updates: vec!["Row 2 · Acme Bank (EXISTING1): a change".into()],
                    })),
                }
            }
            other => {
                harness.state_mut().commands.push(other);
                continue;
            }
        };
        harness.state_mut().wizard.apply(event);
    }
    harness.run_steps(2);
}

fn app(id: &str, name: &str) -> App {
    App {
        client_id: id.into(),
        name: name.into(),
        redirect_uris: vec!["https://old.example.com/cb".into()],
        ..App::default()
    }
}

#[test]
fn the_wizard_is_plain_state_driven_by_commands_and_events() {
    let mut harness = plain_harness();
    // Three apps without external ids; the workspace has one of them already.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apps.csv");
    std::fs::write(
        &file,
        "name,redirectUris\nAcme Bank,https://acme.example.com/cb\nBeta,\nGamma,\n",
    )
    .unwrap();
    let existing = Existing::from_apps(&[app("EXISTING1", "acme bank")]);

    harness.get_by_label("File path").focus();
    harness
        .get_by_label("File path")
        .type_text(file.to_str().unwrap());
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(2);
    assert!(matches!(
        harness.state().commands.as_slice(),
        [Command::ReadImportFile { .. }]
    ));
    answer(&mut harness, &existing);
    harness.get_by_label_contains("rows of apps");

    harness.get_by_label("Next").click();
    harness.run_steps(2);
    assert_eq!(harness.state().wizard.step, Step::Columns);
    harness.get_by_label("Next").click();
    harness.run_steps(2);
    // The preview asks for a plan against the workspace, and shows it when it comes.
    assert!(
        harness
            .state()
            .commands
            .iter()
            .any(|c| matches!(c, Command::PlanImport { .. }))
    );
    answer(&mut harness, &existing);
    let counts = harness.state().wizard.plan.as_ref().unwrap().counts;
    assert_eq!((counts.exists, counts.update), (1, 0));
    harness.get_by_label("2 new");
    harness.get_by_label("1 exist");
    harness.get_by_label("action for row 2");

    // Another choice for existing apps plans again.
    harness
        .get_by_label("Update redirect URIs and webhook")
        .click();
    harness.run_steps(2);
    assert!(harness.state().commands.iter().any(|c| matches!(
        c,
        Command::PlanImport {
            mode: ExistingMode::Update,
            ..
        }
    )));
    answer(&mut harness, &existing);
    harness.get_by_label("1 to update");

    let button = import_button_label(&harness);
    harness.get_by_label(&button).click();
    harness.run_steps(2);
    let (run_op, run) = harness
        .state_mut()
        .commands
        .drain(..)
        .find_map(|c| match c {
            Command::RunImport { op, options, .. } => Some((op, options)),
            _ => None,
        })
        .expect("Import sends the run");
    assert_eq!(run.existing, ExistingMode::Update);
    assert!(run.secrets_file.is_none(), "the runtime picks the file");
    assert_eq!(harness.state().wizard.step, Step::Run);

    // The report names the file the secrets went to.
    let report = ImportReport {
        rows: vec![RowOutcome {
            row: 2,
            name: "Made".into(),
            external_id: None,
            client_id: Some("NEW1".into()),
            client_secret: None,
            status: RowStatus::Created,
            key_file: None,
        }],
        stopped: None,
        secrets_file: Some(PathBuf::from("/data/secrets/import-secrets-x.csv")),
        keys_dir: None,
    };
    let created = harness.state_mut().wizard.apply(ImportEvent::Finished {
        op: run_op,
        result: Ok(report),
    });
    assert!(created, "the list reloads");
    harness.run_steps(2);
    harness.get_by_label_contains("/data/secrets/import-secrets-x.csv");
    harness.get_by_label("Close").click();
    harness.run_steps(1);
    assert!(harness.state().close);
}

/// The "Import …" button's label (it counts what will be sent).
fn import_button_label<T>(harness: &Harness<'static, T>) -> String {
    harness
        .query_all_by_label_contains("Import")
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("Import") && (l.ends_with(" apps") || l.contains("create")))
        .expect("an Import button")
}

#[test]
fn a_mapping_change_is_checked_off_the_frame_with_a_line_saying_so() {
    let mut harness = plain_harness();
    let commands = harness
        .state_mut()
        .wizard
        .open_path(corpus("german_excel_cp1252_semicolon.csv"));
    harness.state_mut().commands.extend(commands);
    answer(&mut harness, &Existing::default());
    harness.get_by_label("Next").click();
    harness.run_steps(2);
    harness.get_by_label("Bemerkung");
    // Map the remarks column as the external id: the wizard asks for a remap and says so.
    harness.get_by_label("Bemerkung").click();
    harness.run_steps(2);
    harness.get_by_label("External id").click();
    harness.run_steps(2);
    assert!(
        harness
            .state()
            .commands
            .iter()
            .any(|c| matches!(c, Command::Remap { .. }))
    );
    harness.get_by_label_contains("Checking the 5 rows");
    answer(&mut harness, &Existing::default());
    assert!(harness.query_by_label_contains("Checking the").is_none());
}

// ---------------------------------------------------------------------------------------------
// The wizard inside the console, against a real sandbox.

struct Fixture {
    harness: Harness<'static, ConsoleApp>,
    dialogs: FakeDialogs,
    sandbox: RunningSandbox,
    dir: tempfile::TempDir,
    // Dropped last: the sandbox runs on it.
    _runtime: tokio::runtime::Runtime,
}

/// The console on a sandbox that accepts only `key` (a production key makes it production),
/// with the import wizard open.
fn fixture_with(key: &str) -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(common::start(SandboxConfig {
        api_key: Some(key.to_owned()),
        ..SandboxConfig::default()
    }));
    let connection = Connection::new(&sandbox.base_url(), Secret::new(key)).unwrap();
    let dialogs = FakeDialogs::default();
    let dir = tempfile::tempdir().unwrap();
    let mut backend = Backend::connect(connect_console::backends::Connection::Hopae(connection))
        .unwrap()
        .without_activity_log()
        .with_dialogs(dialogs.clone())
        .with_journal_dir(dir.path().join("journal"));
    backend.set_retry(common::fast_retry());
    let ctx = egui::Context::default();
    let mut app = ConsoleApp::new(backend, Box::new(FakeClipboard::default()), &ctx)
        .with_import_options(RunOptions {
            retry: common::fast_retry(),
            ..RunOptions::default()
        });
    app.open_import(None);
    let harness = kittest_support::builder(egui::vec2(1200.0, 800.0))
        .build_ui_state(|ui, app: &mut ConsoleApp| app.ui(ui), app);
    Fixture {
        harness,
        dialogs,
        sandbox,
        dir,
        _runtime: runtime,
    }
}

fn wizard(app: &ConsoleApp) -> &ImportWizard {
    app.import().expect("the wizard is open")
}

/// Gives the wizard a corpus file by path, waits until it is read, and goes to the preview
/// once the plan against the workspace has come.
fn open_to_preview(harness: &mut Harness<'static, ConsoleApp>, file: &str) {
    open_path_to_preview(harness, corpus(file));
}

fn open_path_to_preview(harness: &mut Harness<'static, ConsoleApp>, path: PathBuf) {
    let commands = harness
        .state_mut()
        .view
        .import_mut()
        .unwrap()
        .open_path(path);
    for command in commands {
        harness.state().backend().send(command);
    }
    step_until(harness, "the file to be read", |app| {
        wizard(app).prepared.is_some()
    });
    for _ in 0..2 {
        harness.get_by_label("Next").click();
        harness.run_steps(2);
    }
    assert_eq!(wizard(harness.state()).step, Step::Preview);
    step_until(harness, "the plan", |app| {
        let wizard = wizard(app);
        assert_eq!(wizard.plan_error, None);
        wizard.plan.is_some()
    });
}

#[test]
fn an_import_from_file_to_results_writes_owner_only_secrets_without_being_asked() {
    let Fixture {
        mut harness,
        dialogs,
        sandbox,
        dir,
        _runtime,
    } = fixture_with(common::KEY);
    let before = sandbox.app_count();
    open_to_preview(&mut harness, "invalid_rows.csv");
    // Invalid rows are counted and shown with their problem; nothing runs until skipped.
    harness.get_by_label("6 invalid");
    harness.get_by_label("2 with warnings");
    assert!(
        harness
            .query_all_by_label_contains("The app name is empty")
            .count()
            >= 1
    );
    harness.get_by_label("3 new");
    let button = import_button_label(&harness);
    harness.get_by_label(&button).click();
    harness.run_steps(2);
    assert_eq!(wizard(harness.state()).step, Step::Preview);
    harness.get_by_label("Skip invalid rows").click();
    harness.run_steps(2);
    harness.get_by_label(&button).click();
    step_until(&mut harness, "the import to finish", |app| {
        wizard(app).step == Step::Results
    });
    harness.get_by_label_contains("3 created, 0 already exist, 1 skipped, 0 failed, 6 invalid");
    assert_eq!(sandbox.app_count() - before, 3);
    // No file was chosen: the console made one, owner-only, and names it.
    let report = wizard(harness.state()).report.clone().unwrap();
    let secrets = report.secrets_file.clone().expect("a secrets file");
    harness.get_by_label_contains(&secrets.display().to_string());
    let text = std::fs::read_to_string(&secrets).unwrap();
    assert_eq!(text.lines().count(), 4, "a header and three secrets");
    common::assert_owner_only(&secrets);
    assert!(report.rows.iter().all(|r| r.client_secret.is_none()));
    // The list reloads with the new apps.
    step_until(&mut harness, "the list to reload", |app| {
        app.state.apps.len() == sandbox.app_count()
    });

    let results = dir.path().join("results.csv");
    dialogs.queue(&results);
    harness.get_by_label("Save results…").click();
    step_until(&mut harness, "the results to be saved", |_| {
        results.exists()
    });
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(harness.state().import().is_none());
}

#[test]
fn a_chosen_file_a_refused_file_and_the_template() {
    let Fixture {
        mut harness,
        dialogs,
        dir,
        sandbox: _sandbox,
        _runtime,
    } = fixture_with(common::KEY);
    dialogs.queue(corpus("binary.csv"));
    harness.get_by_label("Choose file…").click();
    step_until(&mut harness, "the refusal", |app| {
        wizard(app).busy.is_none() && wizard(app).prepared.is_none() && app.import().is_some()
    });
    step_until(&mut harness, "the message", |_| true);
    harness.get_by_label_contains("does not contain text");
    assert!(dialogs.asked.lock().unwrap()[0].contains("CSV"));

    let template = dir.path().join("template.csv");
    dialogs.queue(&template);
    harness.get_by_label("Download template…").click();
    step_until(&mut harness, "the template", |_| template.exists());
    let text = std::fs::read_to_string(&template).unwrap();
    assert!(text.contains("name,redirectUris,webhookUrl,externalId"));

    // No dialog on this system: the console says so and points to the typed path.
    dialogs.push(connect_console::runtime::dialogs::DialogAnswer::Unavailable);
    harness.get_by_label("Choose file…").click();
    step_until(&mut harness, "the message", |_| true);
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.get_by_label_contains("No file dialog can open");
    harness.get_by_label_contains("drop the file on the window");
}

#[test]
fn a_production_import_waits_for_an_explicit_yes() {
    let Fixture {
        mut harness,
        sandbox,
        _runtime,
        ..
    } = fixture_with("sk_workspace_prod_FAKE_wizard_tests");
    let before = sandbox.app_count();
    open_to_preview(&mut harness, "utf8_bom_cjk.csv");
    harness.get_by_label_contains("This workspace is production");
    let button = import_button_label(&harness);
    harness.get_by_label(&button).click();
    harness.run_steps(2);
    assert_eq!(wizard(harness.state()).step, Step::Preview);
    assert_eq!(sandbox.app_count(), before);
    harness.get_by_label_contains("apps in production").click();
    harness.run_steps(2);
    harness.get_by_label(&button).click();
    step_until(&mut harness, "the results", |app| {
        wizard(app).step == Step::Results
    });
    assert!(sandbox.app_count() > before);
}

#[test]
fn secrets_chosen_up_front_are_on_disk_when_the_import_ends() {
    let Fixture {
        mut harness,
        dialogs,
        sandbox,
        dir,
        _runtime,
    } = fixture_with(common::KEY);
    let before = sandbox.app_count();
    open_to_preview(&mut harness, "utf8_bom_cjk.csv");
    let secrets = dir.path().join("up-front-secrets.csv");
    dialogs.queue(&secrets);
    harness.get_by_label("Choose file…").click();
    step_until(&mut harness, "the chosen file", |app| {
        wizard(app).secrets_path.is_some()
    });
    harness.get_by_label("Change file…");
    let button = import_button_label(&harness);
    harness.get_by_label(&button).click();
    step_until(&mut harness, "the results", |app| {
        wizard(app).step == Step::Results
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
    // The results reach the file: its folder in the file manager, its path on the clipboard.
    harness.get_by_label_contains("The client secrets of the new apps are in this file");
    harness.get_by_label("Open folder").click();
    step_until(&mut harness, "the file manager", |_| {
        dialogs
            .asked
            .lock()
            .unwrap()
            .iter()
            .any(|a| a == &format!("open folder {}", dir.path().display()))
    });
    harness.get_by_label("Copy path").click();
    harness.step();
    let copied = harness.output().platform_output.commands.iter().any(|c| {
        matches!(c, egui::OutputCommand::CopyText(text) if *text == secrets.display().to_string())
    });
    assert!(copied, "the path was not copied");
    harness.run_steps(2);
    harness.get_by_label("Copied path");
    // The saved results get the same two buttons.
    let results = dir.path().join("results.csv");
    dialogs.queue(&results);
    harness.get_by_label("Save results…").click();
    // Waits for the runtime's answer, not only for the file: the page changes on the answer.
    step_until(&mut harness, "the saved results", |app| {
        wizard(app).results_path().is_some()
    });
    harness.run_steps(2);
    harness.get_by_label("The results were saved.");
    assert_eq!(harness.query_all_by_label("Open folder").count(), 2);
    harness.get_by_label("Close").click();
    harness.run_steps(2);
    assert!(harness.state().import().is_none());
}

/// The same file imported again from the console: every row exists, nothing is sent.
#[test]
fn the_same_file_again_creates_nothing() {
    let Fixture {
        mut harness,
        sandbox,
        _runtime,
        ..
    } = fixture_with(common::KEY);
    open_to_preview(&mut harness, "utf8_bom_cjk.csv");
    let button = import_button_label(&harness);
    harness.get_by_label(&button).click();
    step_until(&mut harness, "the results", |app| {
        wizard(app).step == Step::Results
    });
    let after_first = sandbox.app_count();
    harness.get_by_label("Import another file").click();
    harness.run_steps(2);
    open_to_preview(&mut harness, "utf8_bom_cjk.csv");
    let counts = wizard(harness.state()).plan.as_ref().unwrap().counts;
    assert_eq!(counts.new, 0, "{counts:?}");
    assert_eq!(import_button_label(&harness), "Import 0 apps");
    assert_eq!(sandbox.app_count(), after_first);
}

/// At 1024x700 the preview cuts nothing that matters: a long problem wraps onto more lines, a
/// repeated row's warning and outcome say the same, a row without a redirect URI is warned
/// about, and the invalid rows can be saved as a CSV to fix.
#[test]
fn the_preview_wraps_problems_agrees_with_itself_and_saves_rows_to_fix() {
    let Fixture {
        mut harness,
        dialogs,
        dir,
        sandbox: _sandbox,
        _runtime,
    } = fixture_with(common::KEY);
    harness.set_size(egui::vec2(1024.0, 700.0));
    let file = dir.path().join("everyday.csv");
    std::fs::write(
        &file,
        "name,redirectUris,externalId\n\
         Acme Retail,https://acme.example/cb,\n\
         Acme Retail,https://acme.example/cb2,\n\
         No Address Co,,\n\
         Broken Link Ltd,http://a-rather-long-host-name-for-wrapping.example/callback/path/that/goes/on,\n",
    )
    .unwrap();
    open_path_to_preview(&mut harness, file);
    harness.run_steps(3);

    // The repeated row: the warning and the outcome agree that only row 2 is imported.
    harness.get_by_label_contains("Row 2 has the same name; only row 2 is imported");
    harness.get_by_label("repeats row 2; only row 2 is imported");
    // No redirect URI: a warning, not silence.
    harness.get_by_label_contains("No redirect URI");
    // The long problem wraps: its row is taller than one line.
    let heights = wizard(harness.state())
        .preview_row_heights()
        .unwrap()
        .to_vec();
    assert_eq!(heights.len(), 4);
    assert!(heights[3] > heights[0] * 1.5, "{heights:?}");
    harness.get_by_label_contains("Address 1 (http://a-rather-long-host-name");

    // The invalid row, saved with its problem to fix and import again.
    let to_fix = dir.path().join("to-fix.csv");
    dialogs.queue(&to_fix);
    harness.get_by_label("Save invalid rows to fix…").click();
    step_until(&mut harness, "the rows to fix", |_| to_fix.exists());
    let text = std::fs::read_to_string(&to_fix).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].ends_with(",problem"));
    assert!(
        lines[1].starts_with("Broken Link Ltd,http://a-rather-long"),
        "{text}"
    );
    // The page says so once the runtime's answer arrives (just after the file is complete).
    let mut said = false;
    for _ in 0..400 {
        harness.step();
        if harness
            .query_by_label_contains("Rows to fix saved to")
            .is_some()
        {
            said = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(said, "the save was not confirmed");
}
