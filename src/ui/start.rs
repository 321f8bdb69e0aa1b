//! How the console starts: the options `main` fills from the command line, so the window
//! needs nothing of the command line's types.

use std::path::PathBuf;

use crate::backends::BackendKind;

/// The colour theme to open in; `None` in [`StartOptions`] follows the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Dark,
    Light,
}

/// Where and how the window opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartOptions {
    pub theme: Option<Theme>,
    /// Generated apps added to the local sandbox's demo data.
    pub extra_apps: usize,
    /// A workspace to open instead of the local sandbox.
    pub connect: Option<String>,
    /// The kind of workspace `connect` names.
    pub backend: BackendKind,
    /// The organisation to act in, where keys may act in several.
    pub org: Option<String>,
    /// A CSV file to open the import wizard on.
    pub import: Option<PathBuf>,
    /// `--lang`: overrides `CONNECT_LANG`, the saved setting and the system's language.
    pub lang: Option<crate::i18n::Language>,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            theme: None,
            extra_apps: 0,
            connect: None,
            backend: BackendKind::Hopae,
            org: None,
            import: None,
            lang: None,
        }
    }
}
