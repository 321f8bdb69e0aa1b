//! The language setting: the toolbar's picker ("System / English / 한국어"), applied at once to
//! the console and its runtime, and remembered between runs.

use super::ConsoleApp;
use crate::i18n::{Language, LanguageChoice};

/// eframe storage key of the language setting: `system`, `en` or `ko`.
pub const LANGUAGE_KEY: &str = "language";

/// The picker in the toolbar; returns the choice the user made this frame. `in_force` is the
/// language spoken now, which `--lang` or `CONNECT_LANG` may have set over the choice.
pub fn language_picker(
    ui: &mut egui::Ui,
    choice: LanguageChoice,
    system: Language,
    in_force: Language,
) -> Option<LanguageChoice> {
    let system_label = format!(
        "{} ({})",
        crate::tr!("language-system"),
        system.native_name()
    );
    let shown = match choice {
        _ if choice.resolve(system) != in_force => in_force.native_name().to_owned(),
        LanguageChoice::System => system_label.clone(),
        LanguageChoice::Fixed(language) => language.native_name().to_owned(),
    };
    let mut picked = None;
    let combo = egui::ComboBox::from_id_salt("language-picker")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (option, label) in [
                (LanguageChoice::System, system_label.clone()),
                (
                    LanguageChoice::Fixed(Language::English),
                    Language::English.native_name().to_owned(),
                ),
                (
                    LanguageChoice::Fixed(Language::Korean),
                    Language::Korean.native_name().to_owned(),
                ),
            ] {
                if ui.selectable_label(choice == option, label).clicked() && choice != option {
                    picked = Some(option);
                }
            }
        });
    combo.response.on_hover_text(crate::tr!("language-label"));
    picked
}

impl ConsoleApp {
    /// The language setting now in force.
    pub fn language_choice(&self) -> LanguageChoice {
        self.language_choice
    }

    /// The language the console speaks.
    pub fn language(&self) -> Language {
        self.localizer.language()
    }

    /// Applies a language setting at once (the console, its runtime) and remembers it. A
    /// `--lang` or `CONNECT_LANG` given at start gives way to the user's own choice.
    pub fn set_language_choice(&mut self, choice: LanguageChoice) {
        self.language_choice = choice;
        let language = choice.resolve(self.system_language);
        self.localizer.set_language(language);
        self.localizer.install();
        self.toast = Some((
            crate::tr!("language-applied", language = language.native_name()),
            0.0,
        ));
        self.toast_pending = true;
    }

    /// The setting read at start: `saved` unless `--lang` or `CONNECT_LANG` says otherwise.
    pub fn start_language(&mut self, flag: Option<Language>, saved: Option<&str>) {
        let saved = saved.map(LanguageChoice::from_code);
        self.language_choice = saved.unwrap_or_default();
        let language = crate::i18n::startup_language(flag, saved);
        self.localizer.set_language(language);
        self.localizer.install();
    }
}
