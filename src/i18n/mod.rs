//! The words the user reads, in English or Korean: Fluent catalogs (`i18n/`) embedded in the
//! binary, one [`Localizer`] per console or command-line run, and the [`tr!`](crate::tr) macro.
//!
//! A `Localizer` is installed on the threads that work for its console (the UI thread each frame,
//! the runtime's threads when they start), so text is made in that console's language without a
//! global language: two consoles in one test binary each speak their own.

mod choice;
mod numbers;
mod template;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::FluentLanguageLoader;

pub use choice::{
    CONNECT_LANG_ENV, Language, LanguageChoice, language_from_locale, startup_language,
    system_language,
};
pub use i18n_embed_fl::fl;
pub use numbers::grouped;
pub use template::{Templates, fill_into, fill_into_with};

#[derive(rust_embed::RustEmbed)]
#[folder = "i18n/"]
struct Catalogs;

/// Both catalogs, parsed once per process (they never change; which one is used is per console).
struct Loaders {
    english: FluentLanguageLoader,
    korean: FluentLanguageLoader,
}

fn loaders() -> &'static Loaders {
    static LOADERS: OnceLock<Loaders> = OnceLock::new();
    LOADERS.get_or_init(|| Loaders {
        english: load(Language::English),
        korean: load(Language::Korean),
    })
}

fn load(language: Language) -> FluentLanguageLoader {
    let loader = i18n_embed::fluent::fluent_language_loader!();
    let mut ids = vec![language.identifier()];
    if language != Language::English {
        ids.push(Language::English.identifier());
    }
    // The catalogs are embedded and checked by a test, so they always load.
    if let Err(e) = loader.load_languages(&Catalogs, &ids) {
        tracing::error!("message catalog for {language:?} did not load: {e}");
    }
    // Isolation marks would end up in accessibility labels, the clipboard and exports.
    loader.set_use_isolating(false);
    loader.with_bundles_mut(|bundle| bundle.set_formatter(Some(numbers::format_value)));
    loader
}

/// The language of one console (or one command-line run); clones share it, so a change in the
/// console's settings reaches its runtime at once.
#[derive(Clone)]
pub struct Localizer {
    language: Arc<AtomicU8>,
}

impl std::fmt::Debug for Localizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Localizer({:?})", self.language())
    }
}

impl Default for Localizer {
    fn default() -> Self {
        Self::new(Language::English)
    }
}

impl Localizer {
    pub fn new(language: Language) -> Self {
        Self {
            language: Arc::new(AtomicU8::new(language as u8)),
        }
    }

    pub fn language(&self) -> Language {
        Language::from_u8(self.language.load(Ordering::Relaxed))
    }

    /// Switches every holder of this localizer (the console, its runtime) at once.
    pub fn set_language(&self, language: Language) {
        self.language.store(language as u8, Ordering::Relaxed);
    }

    /// The Fluent loader of the current language.
    pub fn loader(&self) -> &'static FluentLanguageLoader {
        loader_for(self.language())
    }

    /// Makes this the language of text made on the calling thread.
    pub fn install(&self) {
        CURRENT.with(|current| *current.borrow_mut() = Some(self.clone()));
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Localizer>> = const { RefCell::new(None) };
}

/// The localizer installed on this thread, or a new English one.
pub fn current() -> Localizer {
    CURRENT
        .with(|current| current.borrow().clone())
        .unwrap_or_default()
}

/// The language text made on this thread is in.
pub fn current_language() -> Language {
    CURRENT
        .with(|current| current.borrow().as_ref().map(Localizer::language))
        .unwrap_or(Language::English)
}

/// The loader of this thread's language (English where none was installed).
pub fn loader() -> &'static FluentLanguageLoader {
    loader_for(current_language())
}

/// Runs `make` with English installed on this thread, for text that is stored (the activity log,
/// journals) or logged, which stays English and is translated when shown.
pub fn in_english<T>(make: impl FnOnce() -> T) -> T {
    let before = CURRENT.with(|current| current.replace(Some(Localizer::default())));
    let made = make();
    CURRENT.with(|current| *current.borrow_mut() = before);
    made
}

/// The loader of one language, for tests and for text that must stay English (logs).
pub fn loader_for(language: Language) -> &'static FluentLanguageLoader {
    let loaders = loaders();
    match language {
        Language::English => &loaders.english,
        Language::Korean => &loaders.korean,
    }
}

/// The raw catalog text of a language, for the catalog tests.
pub fn catalog_source(language: Language) -> String {
    let path = format!("{}/connect_console.ftl", language.identifier());
    Catalogs::get(&path)
        .map(|file| String::from_utf8_lossy(&file.data).into_owned())
        .unwrap_or_default()
}

/// A message of the catalogs in the calling thread's language, checked at compile time against
/// the English catalog: `tr!("toolbar-refresh")`, `tr!("apps-count", count = n)`.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::fl!($crate::i18n::loader(), $id)
    };
    ($id:literal, $($args:tt)*) => {
        $crate::i18n::fl!($crate::i18n::loader(), $id, $($args)*)
    };
}

/// [`tr!`](crate::tr) for hot paths, with string arguments only: the same id and argument names,
/// checked against the English catalog when the code compiles, but a message made only of text
/// and variables is filled in from a template instead of through Fluent (see [`fill_into`]).
#[macro_export]
macro_rules! tr_text {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        let mut text = ::std::string::String::with_capacity(64);
        $crate::tr_text_into!(&mut text, $id $(, $name = $value)*);
        text
    }};
}

/// [`tr_text_into!`](crate::tr_text_into) where each named variable is written into the text by
/// `write(i, out)` (`i` its position in the list), for values made of parts.
#[macro_export]
macro_rules! tr_text_with {
    ($out:expr, $id:literal, [$($name:ident),* $(,)?], $write:expr) => {{
        // Never runs: it makes `fl!` check the id and the argument names.
        if false {
            let _ = $crate::i18n::fl!($crate::i18n::loader(), $id $(, $name = "")*);
        }
        static TEMPLATES: $crate::i18n::Templates = $crate::i18n::Templates::new();
        $crate::i18n::fill_into_with(
            &TEMPLATES,
            $out,
            $id,
            [$(stringify!($name)),*].into_iter(),
            $write,
        )
    }};
}

/// [`tr_text!`](crate::tr_text) appending to a `String` instead of making one.
#[macro_export]
macro_rules! tr_text_into {
    ($out:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        // Never runs: it makes `fl!` check the id and the argument names.
        if false {
            let _ = $crate::i18n::fl!($crate::i18n::loader(), $id $(, $name = "")*);
        }
        static TEMPLATES: $crate::i18n::Templates = $crate::i18n::Templates::new();
        $crate::i18n::fill_into(
            &TEMPLATES,
            $out,
            $id,
            &[$((stringify!($name), ::std::convert::AsRef::<str>::as_ref(&$value))),*],
        )
    }};
}
