//! What both imports (into a workspace and into a project) share on the command line: the
//! secrets warning, where the journal lives, the progress line, and the file's name.

use std::io::Write as _;

use super::{CliError, ImportArgs};
use crate::import::{self, Progress};

/// The warning printed before an import whose new apps get client secrets.
pub(super) fn secrets_warning() -> String {
    crate::tr!("cli-import-secrets-warning")
}

pub(super) fn journal_dir(args: &ImportArgs) -> Result<std::path::PathBuf, CliError> {
    match &args.journal_dir {
        Some(dir) => Ok(dir.clone()),
        None => import::default_journal_dir().map_err(|e| CliError(e.0)),
    }
}

/// What the import's progress callback does on the command line: rewrite one line on stderr,
/// when it is a terminal.
pub(super) fn print_progress(show: bool) -> impl FnMut(&Progress) {
    move |progress| {
        if show {
            eprint!("\r{}    ", progress_line(progress));
            let _ = std::io::stderr().flush();
        }
    }
}

/// "300 of 1,000 rows, 2 failed, 450 rows/s, about 2 s left".
pub fn progress_line(progress: &Progress) -> String {
    let rate = progress.rows_per_sec.max(0.0).round() as u64;
    match progress.eta {
        Some(eta) => crate::tr!(
            "cli-import-progress-eta",
            done = progress.rows_done,
            total = progress.rows_total,
            failed = progress.rows_failed,
            rate = rate,
            seconds = (eta.as_secs() + 1)
        ),
        None => crate::tr!(
            "cli-import-progress",
            done = progress.rows_done,
            total = progress.rows_total,
            failed = progress.rows_failed,
            rate = rate
        ),
    }
}

/// The imported file's name, as the activity log names the run.
pub(super) fn file_name(args: &ImportArgs) -> String {
    args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
