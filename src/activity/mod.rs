//! The activity log: every write made from this computer (create, rename, redirect URIs,
//! webhook, rotations, imports, deactivations), by the console or the command line, as one
//! JSON line each in the console's data folder, so support can answer "what changed, and when?"
//! without asking engineering.
//!
//! The file is `activity.jsonl` in [`crate::import::default_data_dir`] (or the file `CONNECT_ACTIVITY_LOG`
//! names), in a folder only the owner can open (0700), readable only by the owner (0600). It
//! never holds a secret: entries are built from ids, names, counts and error sentences, and
//! those texts are scrubbed of anything shaped like a key or a secret before they are written.
//! At 10 MB the file becomes `activity.jsonl.1` (the one before is dropped) and a new one starts.
//!
//! Writing the log never fails the write it records: [`ActivityLog::append`] returns an error
//! the caller may show, and [`record`] hands it back only the first time, so a log that cannot
//! be written is reported once per process.
//!
//! | module | owns |
//! |---|---|
//! | `entry` | what one line holds, and the filter that reads lines back |
//! | `log` | the file: append, rotate, read the newest |
//! | `scrub` | keeping secrets out of every text written |

mod entry;
mod log;
mod scrub;

use std::sync::atomic::{AtomicBool, Ordering};

pub use entry::{Action, Entry, Filter, Outcome, was_sent, workspace_of};
pub use log::{ActivityError, ActivityLog, ENV_VAR, FILE_NAME, MAX_BYTES};
pub use scrub::scrub;

/// Whether [`record`] has reported a failure in this process.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Appends `entry` to the default log. A failure is returned the first time only (later ones
/// give `None` too), so the caller shows it once; the write it records has happened either way.
pub fn record(entry: &Entry) -> Option<ActivityError> {
    let result = ActivityLog::open_default().and_then(|log| log.append(entry));
    match result {
        Ok(()) => None,
        Err(error) => (!REPORTED.swap(true, Ordering::Relaxed)).then_some(error),
    }
}
