//! Every screen in Korean: no raw message id, no English label.

use std::collections::BTreeSet;

use connect_console::i18n::Language;
use connect_console::ui::ConsoleApp;
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT as _;

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
    if has_hangul(text) || data.iter().any(|d| text.contains(d.as_str())) {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .collect();
    words.len() >= 2
        && words[0].chars().next().is_some_and(|c| c.is_ascii_uppercase())
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
    }
    let mut wrong = Vec::new();
    for label in labels(harness) {
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

#[test]
fn the_apps_screen_speaks_korean() {
    let mut harness = korean_console();
    assert_korean(&harness, "the apps list");
    harness.key_press(egui::Key::ArrowDown);
    step_console_until(&mut harness, "an app to be selected", |app| {
        app.state.selected.is_some()
    });
    assert_korean(&harness, "an app's details");
}
