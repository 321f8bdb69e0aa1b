//! What both imports (into a workspace and into a project) share on the command line: the
//! secrets warning, where the journal lives, the progress line, and the file's name.

use std::io::Write as _;

use super::{CliError, ImportArgs};
use crate::import::{self, Progress};

pub(super) const SECRETS_WARNING: &str = "warning: the secrets file holds the client secret of \
every new app. It is readable only by you; hand each secret to its customer over a safe \
channel, then delete the file. The secrets are not shown again.";

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

/// "300 of 1000 rows, 2 failed, 450 rows/s, about 2 s left".
pub fn progress_line(progress: &Progress) -> String {
    let eta = progress
        .eta
        .map(|eta| format!(", about {} s left", eta.as_secs() + 1))
        .unwrap_or_default();
    format!(
        "{} of {} rows, {} failed, {:.0} rows/s{eta}",
        progress.rows_done, progress.rows_total, progress.rows_failed, progress.rows_per_sec
    )
}

/// The imported file's name, as the activity log names the run.
pub(super) fn file_name(args: &ImportArgs) -> String {
    args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
