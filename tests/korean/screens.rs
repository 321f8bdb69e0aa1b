//! Every screen in Korean: no raw message id, no English label.

use std::collections::BTreeSet;

use connect_console::i18n::Language;
use connect_console::ui::ConsoleApp;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

use crate::catalogs::entries;
use crate::ime::korean_console;
use crate::kittest_support::step_console_until;

/// Every label and value the screen gives assistive technology (what a screen reader reads).
fn labels(harness: &Harness<'static, ConsoleApp>) -> Vec<String> {
    harness
        .root()
        .children_recursive()
        .flat_map(|node| {
            let access = node.accesskit_node();
            [access.label(), access.value()]
        })
        .flatten()
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .collect()
}

fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// An English phrase as the console words its labels: a capitalised word followed by a
/// lower-case one ("Create app", "No apps match"), with no Hangul. Names of data are title case
/// or codes, and are listed in `data` anyway.
fn looks_english(text: &str, data: &BTreeSet<String>) -> bool {
    // Data shown whole, or cut short to fit its column.
    let is_data = data
        .iter()
        .any(|d| text.contains(d.as_str()) || (text.len() > 12 && d.contains(text)));
    if has_hangul(text) || is_data {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .collect();
    words.len() >= 2
        && words[0]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && words[1..]
            .iter()
            .any(|w| w.chars().all(|c| c.is_ascii_lowercase()))
}

/// Fails naming every label on screen that is a raw message id or English.
#[track_caller]
fn assert_korean(harness: &Harness<'static, ConsoleApp>, screen: &str) {
    let english = entries(Language::English);
    let korean = entries(Language::Korean);
    let ids: BTreeSet<&String> = english.keys().collect();
    // English texts whose Korean differs: seeing one means a message was not translated.
    let english_texts: BTreeSet<&str> = english
        .iter()
        .filter(|(id, entry)| entry.variables.is_empty() && korean[*id].text != entry.text)
        .map(|(_, entry)| entry.text.trim())
        .filter(|text| text.len() > 3)
        .collect();
    let app = harness.state();
    let mut data: BTreeSet<String> = BTreeSet::new();
    for shown in app.state.apps.iter() {
        data.insert(shown.name.clone());
        data.insert(shown.id.clone());
        data.insert(shown.client_id.clone());
        for workflow in shown.oidc.iter().flat_map(|o| o.workflows.iter()) {
            data.insert(workflow.name.clone());
        }
    }
    // What the server says of its providers is the server's data, in the server's words.
    for state in app.state.providers.values() {
        if let connect_console::ui::state::ProvidersState::Loaded(providers) = state {
            for provider in providers {
                data.insert(provider.name.clone());
                data.extend(provider.description.clone());
            }
        }
    }
    // egui's own accessibility name for a panel's resize handle, which it does not translate.
    data.insert("Resize panel".to_owned());
    let mut wrong = Vec::new();
    let font = egui::FontId::proportional(14.0);
    for label in labels(harness) {
        let is_data = data.iter().any(|d| label.contains(d.as_str()));
        let drawn: String = label.chars().filter(|c| !c.is_control()).collect();
        if !is_data && !harness.ctx.fonts_mut(|f| f.has_glyphs(&font, &drawn)) {
            wrong.push(format!("not drawable: {label}"));
        }
        if ids.contains(&label) || label.contains("No localization for id") {
            wrong.push(format!("raw id: {label}"));
        } else if english_texts.contains(label.as_str()) || looks_english(&label, &data) {
            wrong.push(format!("English: {label}"));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{screen} in Korean shows: {wrong:#?}");
}

/// The Korean text of a message (for clicking by label).
fn ko(id: &str) -> String {
    connect_console::i18n::loader_for(Language::Korean).get(id)
}

fn press(harness: &mut Harness<'static, ConsoleApp>, modifiers: egui::Modifiers, key: egui::Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(3);
}

#[test]
fn every_screen_speaks_korean() {
    let mut harness = korean_console();
    assert_korean(&harness, "the apps list");

    harness.key_press(egui::Key::ArrowDown);
    step_console_until(&mut harness, "an app to be selected", |app| {
        app.state.selected.is_some()
    });
    assert_korean(&harness, "an app's overview");
    for tab in ["details-tab-webhook", "details-tab-providers"] {
        // The list's filters carry the same words; the tab is the button.
        harness
            .query_all_by_label(&ko(tab))
            .find(|node| node.accesskit_node().role() == egui::accesskit::Role::Button)
            .expect("the tab")
            .click();
        harness.run_steps(3);
        assert_korean(&harness, tab);
    }
    harness
        .query_all_by_label(&ko("details-tab-overview"))
        .find(|node| node.accesskit_node().role() == egui::accesskit::Role::Button)
        .expect("the overview tab")
        .click();
    harness.run_steps(3);

    // Dialogs and overlays.
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::N);
    assert_korean(&harness, "the create dialog");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::K);
    assert_korean(&harness, "the command palette");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    harness
        .get_by_label(&ko("command-show-shortcuts-short"))
        .click();
    harness.run_steps(3);
    assert_korean(&harness, "the shortcuts overlay");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    harness.get_by_label(&ko("command-connect")).click();
    harness.run_steps(3);
    assert_korean(&harness, "the connection dialog");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);

    // The activity log, the import wizard and the workflow graph with the simulator.
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::L);
    assert_korean(&harness, "the activity log");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::I);
    assert_korean(&harness, "the import wizard");
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::G);
    harness.run_steps(3);
    assert_korean(&harness, "the workflow graph");
    harness.get_by_label(&ko("sim-action")).click();
    harness.run_steps(3);
    harness.get_by_label(&ko("sim-run")).click();
    harness.run_steps(3);
    assert_korean(&harness, "the simulator");
    harness.get_by_label(&ko("sim-action")).click();
    harness.run_steps(3);
    harness.get_by_label(&ko("editor-edit")).click();
    crate::kittest_support::step_console_until(&mut harness, "the node types", |app| {
        app.workflow_view().is_some_and(|v| v.has_node_types())
    });
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(3);
    assert_korean(&harness, "the workflow editor");
}

/// The language setting applies at once, both ways, without a restart.
#[test]
fn the_language_changes_at_once() {
    use connect_console::i18n::LanguageChoice;
    let mut harness = korean_console();
    harness.get_by_label(&ko("command-create-app"));
    harness
        .state_mut()
        .set_language_choice(LanguageChoice::Fixed(Language::English));
    harness.run_steps(2);
    harness.get_by_label("Create app…");
    assert!(harness.query_by_label(&ko("command-create-app")).is_none());
}

/// Two consoles in one process, on one thread, each keep their own language: the language is
/// the console's, never the process's.
#[test]
fn two_consoles_keep_their_own_languages() {
    let mut korean = korean_console();
    let workspace = connect_console::backends::memory::MemoryWorkspace::demo_workspace(4);
    let backend = connect_console::runtime::Backend::on(workspace)
        .expect("runtime")
        .without_activity_log();
    let ctx = egui::Context::default();
    let mut english = ConsoleApp::new(
        backend,
        Box::new(connect_console::clipboard::FakeClipboard::default()),
        &ctx,
    );
    // Made on a thread where a Korean console runs, it starts in Korean, with a localizer of
    // its own: switching it leaves the other alone.
    assert_eq!(english.language(), Language::Korean);
    english.set_language_choice(connect_console::i18n::LanguageChoice::Fixed(
        Language::English,
    ));
    assert_eq!(english.language(), Language::English);
    assert_eq!(korean.state().language(), Language::Korean);
    let mut english =
        crate::kittest_support::builder_with_fonts(egui::vec2(1024.0, 700.0), Vec::new())
            .build_ui_state(|ui, app: &mut ConsoleApp| app.ui(ui), english);
    for _ in 0..3 {
        korean.run_steps(1);
        english.run_steps(1);
        korean.get_by_label(&ko("command-create-app"));
        english.get_by_label("Create app…");
    }
}
