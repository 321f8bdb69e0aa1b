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
                .failed(error.0.clone());
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
        (Some(reason), _) => entry.failed(format!("The import stopped early: {reason}")),
        (None, 0) => entry,
        (None, failed) => entry.failed(format!(
            "{failed} row(s) failed; run the same import again to retry them"
        )),
    }
}
