//! Korean typed through an input method: the composition (preedit) and the committed syllables
//! reach the console's text fields.

use connect_console::clipboard::FakeClipboard;
use connect_console::i18n::{Language, LanguageChoice};
use connect_console::runtime::Backend;
use connect_console::ui::ConsoleApp;
use egui::{Event, ImeEvent};
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT as _;

use crate::kittest_support::{builder_with_fonts, step_console_until};

pub fn korean_console() -> Harness<'static, ConsoleApp> {
    let workspace = connect_console::backends::memory::MemoryWorkspace::demo_workspace(3);
    let backend = Backend::on(workspace)
        .expect("runtime")
        .without_activity_log();
    let ctx = egui::Context::default();
    let mut app = ConsoleApp::new(backend, Box::new(FakeClipboard::default()), &ctx);
    app.set_language_choice(LanguageChoice::Fixed(Language::Korean));
    // No font folder: Korean must draw with the bundled font alone.
    let mut harness = builder_with_fonts(egui::vec2(1024.0, 700.0), Vec::new())
        .build_ui_state(|ui, app: &mut ConsoleApp| app.ui(ui), app);
    step_console_until(&mut harness, "the apps to load", |app| {
        matches!(app.state.load, connect_console::ui::state::LoadState::Ready)
    });
    harness
}

/// Types `syllables` as an IME does: each one composed from Jamo, then committed.
fn compose(harness: &mut Harness<'static, ConsoleApp>, syllables: &[(&str, &str)]) {
    for (jamo, syllable) in syllables {
        harness.event(Event::Ime(ImeEvent::Preedit {
            text: (*jamo).to_owned(),
            active_range_chars: None,
        }));
        harness.step();
        harness.event(Event::Ime(ImeEvent::Commit((*syllable).to_owned())));
        harness.step();
    }
}

fn focused_value(harness: &Harness<'static, ConsoleApp>) -> Option<String> {
    harness
        .root()
        .children_recursive()
        .find(|node| node.is_focused())
        .and_then(|node| node.value())
}

#[test]
fn korean_typed_through_an_input_method_reaches_the_search_and_the_create_dialog() {
    let mut harness = korean_console();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    compose(&mut harness, &[("ㅎ", "한"), ("ㄱ", "글")]);
    assert_eq!(focused_value(&harness).as_deref(), Some("한글"));

    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run_steps(3);
    compose(
        &mut harness,
        &[("ㅂ", "본"), ("ㅇ", "인"), ("ㅎ", "확"), ("ㅇ", "인")],
    );
    assert_eq!(focused_value(&harness).as_deref(), Some("본인확인"));
}
