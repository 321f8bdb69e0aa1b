//! The one activity entry of an import run, for the console and the command line and every
//! backend: the file, the counts, and where the secrets went (the path, never the contents).

use crate::activity::{Action, Entry};
use crate::backends::Workspace;
use crate::import::{ImportError, ImportReport};

use super::perform::{entry_base, scoped};

/// The entry of a finished (or failed) run of `file` into `workspace`; failed when rows failed
/// or the run stopped early, so the log shows it needs another look.
pub fn import_entry(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    file: &str,
    result: &Result<ImportReport, ImportError>,
) -> Entry {
    // The activity log is stored: its words stay English whatever the console speaks.
    crate::i18n::in_english(|| english_entry(workspace, scope, file, result))
}

fn english_entry(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    file: &str,
    result: &Result<ImportReport, ImportError>,
) -> Entry {
    let entry = entry_base(workspace, Action::Import);
    let detail = |text: String| scoped(scope, Some(text)).unwrap_or_default();
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            return entry
                .detail(detail(file.to_owned()))
                .failed(error.english().to_owned());
        }
    };
    let summary = report.summary();
    let secrets = report
        .secrets_file
        .as_deref()
        .map(|path| format!("; secrets in {}", path.display()))
        .unwrap_or_default();
    let entry = entry.detail(detail(format!("{file}: {}{secrets}", summary.sentence())));
    match (&report.stopped, summary.failed) {
        (Some(reason), _) => {
            entry.failed(format!("The import stopped early: {}", reason.english()))
        }
        (None, 0) => entry,
        (None, failed) => entry.failed(format!(
            "{failed} row(s) failed; run the same import again to retry them"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Language, Localizer};
    use crate::import::ImportError;

    /// A Korean console's failed import is logged in English, and shown in Korean.
    #[test]
    fn a_failed_import_is_stored_in_english_whatever_the_console_speaks() {
        Localizer::new(Language::Korean).install();
        let workspace = crate::backends::memory::MemoryWorkspace::demo_workspace(1);
        let error = ImportError::worded(|| crate::tr!("import-file-empty"));
        assert!(
            error.0.chars().any(|c| ('가'..='힣').contains(&c)),
            "{}",
            error.0
        );
        let entry = import_entry(workspace.as_ref(), None, "apps.csv", &Err(error.clone()));
        let stored = entry.error.unwrap();
        assert_eq!(stored, error.english());
        assert!(stored.is_ascii(), "{stored}");

        let report = ImportReport {
            stopped: Some(ImportError::worded(|| crate::tr!("import-cancelled"))),
            ..ImportReport::default()
        };
        let entry = import_entry(workspace.as_ref(), None, "apps.csv", &Ok(report));
        let stored = entry.error.unwrap();
        assert!(stored.starts_with("The import stopped early: "), "{stored}");
        assert!(stored.is_ascii(), "{stored}");
        Localizer::default().install();
    }
}
