//! The activity log on the command line: `activity` prints it, and every write of the other
//! commands adds its entry here (a log that cannot be written is said once, on stderr).

use super::output::{print_json, print_table, printable};
use super::{ActivityArgs, CliError};
use crate::activity::{self, Action, ActivityLog, Entry, Filter, Outcome};
use crate::api::ApiError;

/// Adds `entry` to the log; the write it records has happened whatever the log says.
pub(super) fn note(entry: &Entry) {
    if let Some(error) = activity::record(entry) {
        warn(&error.0);
    }
}

/// "warning: …" on stderr, in the language in use.
pub(super) fn warn(message: &str) {
    eprintln!(
        "{}",
        crate::tr!("cli-warning", message = printable(message))
    );
}

/// Sends a write through the operations layer the console uses too, so both behave alike: the
/// same activity entry, the same recovery of a lost answer. A log that cannot be written is
/// said on stderr; the write happened whatever the log says.
pub(super) async fn perform(
    workspace: &dyn crate::backends::Workspace,
    scope: Option<&str>,
    write: crate::ops::Write,
) -> Result<crate::ops::Outcome, ApiError> {
    let log = ActivityLog::open_default().ok();
    let performed = crate::ops::perform(workspace, scope, write, log.as_ref()).await;
    if let Some(error) = performed.log_error {
        warn(&error);
    }
    performed.result
}

/// `activity`: the newest entries, newest first.
pub(super) fn show(args: &ActivityArgs) -> Result<(), CliError> {
    let log = ActivityLog::open_default().map_err(|e| CliError(e.0))?;
    let filter = Filter {
        text: args.search.clone(),
        action: args.action.as_deref().map(Action::parse),
        outcome: args.failed.then_some(Outcome::Failed),
        ..Filter::default()
    };
    if let Some(Action::Other(word)) = &filter.action {
        let known: Vec<&str> = Action::ALL.iter().map(Action::as_str).collect();
        return Err(CliError(crate::tr!(
            "cli-activity-unknown-action",
            action = word.as_str(),
            actions = known.join(", ")
        )));
    }
    let entries = log.recent(args.limit, &filter).map_err(|e| CliError(e.0))?;
    if args.json {
        return print_json(&entries).map_err(CliError);
    }
    if entries.is_empty() {
        eprintln!(
            "{}",
            crate::tr!(
                "cli-activity-empty",
                path = log.path().display().to_string()
            )
        );
        return Ok(());
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            // The action is the word `--action` takes; the outcome reads in the language in
            // use. What the log holds (details, errors) is shown as it was written.
            let outcome = match (&e.outcome, &e.error) {
                (Outcome::Failed, Some(error)) => {
                    crate::tr!("cli-activity-failed-because", error = error.as_str())
                }
                (Outcome::Failed, None) => crate::tr!("cli-activity-failed"),
                (Outcome::Ok, _) => crate::tr!("cli-activity-ok"),
            };
            vec![
                e.time
                    .chars()
                    .take(19)
                    .collect::<String>()
                    .replace('T', " "),
                e.workspace.clone(),
                e.action.as_str().to_owned(),
                e.app_id.clone().unwrap_or_else(|| "-".into()),
                e.app_name.clone().unwrap_or_default(),
                e.detail.clone().unwrap_or_default(),
                e.request_id.clone().unwrap_or_else(|| "-".into()),
                outcome,
            ]
        })
        .collect();
    print_table(
        &[
            crate::tr!("cli-col-time-utc"),
            crate::tr!("cli-col-workspace"),
            crate::tr!("cli-col-action"),
            crate::tr!("cli-col-app"),
            crate::tr!("cli-col-name"),
            crate::tr!("cli-col-detail"),
            crate::tr!("cli-col-request-id"),
            crate::tr!("cli-col-outcome"),
        ],
        &rows,
    );
    eprintln!(
        "{}",
        crate::tr!(
            "cli-activity-count",
            count = entries.len(),
            path = log.path().display().to_string()
        )
    );
    Ok(())
}
