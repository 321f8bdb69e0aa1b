//! Which language to speak: the system's, a saved setting, `--lang` or `CONNECT_LANG`.

use std::fmt;

use unic_langid::LanguageIdentifier;

/// Overrides the system language for the console and the command line.
pub const CONNECT_LANG_ENV: &str = "CONNECT_LANG";

/// A language the catalogs hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Language {
    English = 0,
    Korean = 1,
}

impl Language {
    /// Every language, in the order of their numbers.
    pub const ALL: [Language; 2] = [Language::English, Language::Korean];

    pub(super) fn from_u8(value: u8) -> Self {
        match value {
            1 => Language::Korean,
            _ => Language::English,
        }
    }

    /// The catalog folder under `i18n/`.
    pub fn identifier(self) -> LanguageIdentifier {
        match self {
            Language::English => unic_langid::langid!("en-US"),
            Language::Korean => unic_langid::langid!("ko"),
        }
    }

    /// The short code of `--lang` and `CONNECT_LANG`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Korean => "ko",
        }
    }

    /// The language's own name, as a language menu shows it whatever the current language.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Korean => "한국어",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The console's language setting: the system's, or one chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LanguageChoice {
    #[default]
    System,
    Fixed(Language),
}

impl LanguageChoice {
    /// How the setting is saved: `system`, `en` or `ko`.
    pub fn code(self) -> &'static str {
        match self {
            LanguageChoice::System => "system",
            LanguageChoice::Fixed(language) => language.code(),
        }
    }

    /// Reads what [`LanguageChoice::code`] wrote; anything else is the system's.
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "en" => LanguageChoice::Fixed(Language::English),
            "ko" => LanguageChoice::Fixed(Language::Korean),
            _ => LanguageChoice::System,
        }
    }

    /// The language this choice speaks on a system whose language is `system`.
    pub fn resolve(self, system: Language) -> Language {
        match self {
            LanguageChoice::System => system,
            LanguageChoice::Fixed(language) => language,
        }
    }
}

/// The language a locale name speaks, if the catalogs hold it: `ko_KR.UTF-8`, `ko-KR`, `ko`,
/// `en_GB` and `en` are understood; `C`, `POSIX` and other languages are not.
pub fn language_from_locale(locale: &str) -> Option<Language> {
    let base = locale
        .trim()
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .replace('_', "-");
    let language = base
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match language.as_str() {
        "ko" => Some(Language::Korean),
        "en" => Some(Language::English),
        _ => None,
    }
}

/// The language to start in: `--lang`, then `CONNECT_LANG`, then the console's saved setting
/// (the command line has none), then the system's.
pub fn startup_language(flag: Option<Language>, saved: Option<LanguageChoice>) -> Language {
    if let Some(language) = flag {
        return language;
    }
    if let Some(language) = std::env::var(CONNECT_LANG_ENV)
        .ok()
        .as_deref()
        .and_then(language_from_locale)
    {
        return language;
    }
    saved.unwrap_or_default().resolve(system_language())
}

/// The system's language. On Linux and the BSDs the first set of `LANGUAGE` (a `:` list, whose
/// first language the catalogs hold wins), `LC_ALL`, `LC_MESSAGES` and `LANG`; elsewhere the
/// operating system's setting. Anything the catalogs do not hold is English.
pub fn system_language() -> Language {
    system_language_from(|name| std::env::var(name).ok())
}

/// [`system_language`] with the environment given, for tests.
pub fn system_language_from(env: impl Fn(&str) -> Option<String>) -> Language {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return sys_locale::get_locale()
            .as_deref()
            .and_then(language_from_locale)
            .unwrap_or(Language::English);
    }
    posix_language(env)
}

fn posix_language(env: impl Fn(&str) -> Option<String>) -> Language {
    let set = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    // GNU gettext ignores LANGUAGE when the locale is "C": the user asked for no translation.
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(set);
    let c_locale = matches!(locale.as_deref(), Some("C" | "POSIX")) || locale.is_none();
    if let Some(list) = set("LANGUAGE")
        && !c_locale
        && let Some(language) = list.split(':').find_map(language_from_locale)
    {
        return language;
    }
    locale
        .as_deref()
        .and_then(language_from_locale)
        .unwrap_or(Language::English)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::env;

    #[test]
    fn locale_names_are_read() {
        assert_eq!(language_from_locale("ko_KR.UTF-8"), Some(Language::Korean));
        assert_eq!(language_from_locale("ko-KR"), Some(Language::Korean));
        assert_eq!(language_from_locale("ko"), Some(Language::Korean));
        assert_eq!(
            language_from_locale("en_GB.UTF-8@euro"),
            Some(Language::English)
        );
        assert_eq!(language_from_locale("C.UTF-8"), None);
        assert_eq!(language_from_locale("de_DE"), None);
    }

    #[test]
    fn the_usual_order_decides() {
        assert_eq!(
            posix_language(env(&[("LANG", "ko_KR.UTF-8")])),
            Language::Korean
        );
        assert_eq!(
            posix_language(env(&[("LANG", "ko_KR.UTF-8"), ("LC_ALL", "en_US.UTF-8")])),
            Language::English
        );
        assert_eq!(
            posix_language(env(&[
                ("LANG", "en_US.UTF-8"),
                ("LC_MESSAGES", "ko_KR.UTF-8")
            ])),
            Language::Korean
        );
        assert_eq!(
            posix_language(env(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "fr:ko:en")])),
            Language::Korean
        );
        // LANGUAGE is ignored under the C locale, as gettext does.
        assert_eq!(
            posix_language(env(&[("LANG", "C"), ("LANGUAGE", "ko")])),
            Language::English
        );
        assert_eq!(
            posix_language(env(&[("LANG", "de_DE.UTF-8")])),
            Language::English
        );
        assert_eq!(posix_language(env(&[])), Language::English);
    }

    #[test]
    fn the_setting_round_trips() {
        for choice in [
            LanguageChoice::System,
            LanguageChoice::Fixed(Language::English),
            LanguageChoice::Fixed(Language::Korean),
        ] {
            assert_eq!(LanguageChoice::from_code(choice.code()), choice);
        }
        assert_eq!(LanguageChoice::from_code("fr"), LanguageChoice::System);
        assert_eq!(
            LanguageChoice::System.resolve(Language::Korean),
            Language::Korean
        );
    }
}
