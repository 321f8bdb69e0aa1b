//! Sends a ZITADEL plan: single creates (ZITADEL has no batch endpoint), several at once, the
//! number in flight halved when the server struggles (429, 5xx) and raised by one after each
//! clean row, as the Hopae import does; then reports every row of the file.
//!
//! Order of records, which is what makes a crash lose nothing and take nothing: each row to
//! create is journalled as `sent` with its marker before its create goes out (under the marker
//! name); its secret is written and flushed to the secrets file; then it is journalled as
//! `created`; only then is it renamed to the row's name. A later run finds a `sent` row's app
//! under its marker name and claims it, and renames a `created` row still under it. Cancel
//! stops after the rows in flight, their renames included.

use std::time::Instant;

use futures::FutureExt as _;
use futures::StreamExt as _;
use futures::stream::FuturesUnordered;

use super::ZitadelImportOptions;
use super::plan::{ZitadelAction, ZitadelPlan, ZitadelPlannedRow};
use super::send::{Answer, Renamed, Sender};
use crate::api::RetryPolicy;
use crate::import::journal::{EntryState, Journal, JournalEntry};
use crate::import::report::{self, ImportReport, RowOutcome, RowStatus};
use crate::import::run::{CancelFlag, MAX_CONCURRENCY, Progress, Throttle, keep_secrets};
use crate::import::secrets::SecretsFile;
use crate::import::validate::Row;
use crate::secret::Secret;
use crate::zitadel::ZitadelClient;

/// One step of one row in flight.
enum Work<'a> {
    /// Its create, or the secret of an app an earlier run created; `held` when the secrets
    /// file already has that secret.
    Send {
        planned: &'a ZitadelPlannedRow,
        held: bool,
    },
    /// The rename of an app whose secret is on disk and whose row is journalled as created.
    Rename {
        planned: &'a ZitadelPlannedRow,
        outcome: RowOutcome,
        app_id: String,
    },
}

/// What a step came back with.
enum Done<'a> {
    Answered(&'a ZitadelPlannedRow, Answer),
    Renamed(RowOutcome, Renamed),
}

/// Sends what `plan` says to send to the project of `options`, and reports every row of `rows`
/// (the validated file).
#[allow(clippy::too_many_arguments)]
pub async fn run_zitadel(
    client: &ZitadelClient,
    rows: &[Row],
    plan: &ZitadelPlan,
    journal: &mut Journal,
    mut secrets: Option<&mut SecretsFile>,
    options: &ZitadelImportOptions,
    cancel: &CancelFlag,
    mut on_progress: impl FnMut(&Progress),
) -> ImportReport {
    let sender = Sender {
        once: client.clone().with_retry(RetryPolicy::none()),
        retried: client.clone().with_retry(options.retry),
        project: options.project_id.trim(),
        method: options.auth_method,
        retry: options.retry,
        keys: options.keys.as_ref(),
    };
    let mut report = ImportReport::default();
    let to_send = plan.to_send();
    let mut throttle = Throttle::new(options.concurrency);
    let mut progress = Progress {
        rows_total: to_send.len(),
        concurrency: options.concurrency.clamp(1, MAX_CONCURRENCY),
        ..Progress::default()
    };
    let started = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    let mut next = 0;
    on_progress(&progress);
    loop {
        let room = progress.concurrency.saturating_sub(in_flight.len());
        if report.stopped.is_none() && !cancel.is_cancelled() && room > 0 && next < to_send.len() {
            let starting = &to_send[next..(next + room).min(to_send.len())];
            // On disk before the creates leave: a run that never hears back finds these apps
            // under their marker names next time and knows they are its own.
            let intents: Vec<JournalEntry> = starting
                .iter()
                .filter(|p| p.action == ZitadelAction::Create)
                .map(|p| entry(p, EntryState::Sent, None, None))
                .collect();
            match journal.append(&intents) {
                Err(e) => {
                    report.stopped = Some(e);
                }
                Ok(()) => {
                    for planned in starting {
                        let held = match &planned.action {
                            ZitadelAction::Claim { app } => secrets
                                .as_deref()
                                .is_some_and(|file| file.holds(&app.client_id)),
                            _ => false,
                        };
                        in_flight.push(step(&sender, Work::Send { planned, held }));
                    }
                    next += starting.len();
                }
            }
        }
        let Some(first) = in_flight.next().await else {
            break;
        };
        // Rows answered together share one secrets write and one journal write.
        let mut done = vec![first];
        while let Some(Some(more)) = in_flight.next().now_or_never() {
            done.push(more);
        }
        let mut answered = Vec::with_capacity(done.len());
        let mut finished = Vec::new();
        for step in done {
            match step {
                Done::Answered(planned, answer) => answered.push((planned, answer)),
                Done::Renamed(mut outcome, renamed) => {
                    if let Some(reason) = renamed.stop {
                        report.stopped.get_or_insert(reason);
                    }
                    // Renamed: the status of its create stands (created now, or earlier).
                    if let Some(why) = renamed.failed {
                        outcome.status = RowStatus::Failed(why);
                    }
                    finished.push(outcome);
                }
            }
        }
        let mut entries = Vec::with_capacity(answered.len());
        let mut outcomes = Vec::with_capacity(answered.len());
        let mut renames = Vec::with_capacity(answered.len());
        for (planned, answer) in answered {
            progress.concurrency = throttle.after_batch(answer.struggled);
            if let Some(reason) = answer.stop {
                report.stopped.get_or_insert(reason);
            }
            // Journalled in English, whatever the console speaks.
            let error = match &answer.status {
                RowStatus::Failed(e) if answer.state != EntryState::Created => {
                    Some(answer.stored_error.clone().unwrap_or_else(|| e.clone()))
                }
                _ => None,
            };
            entries.push(entry(
                planned,
                answer.state,
                answer.client_id.clone(),
                error,
            ));
            let mut done = outcome(planned, answer.client_id, answer.secret, answer.status);
            done.key_file = answer.key_file;
            outcomes.push(done);
            renames.push((planned, answer.rename));
        }
        if let Some(file) = secrets.as_deref_mut() {
            keep_secrets(file, &mut entries, &mut outcomes, &mut report);
        }
        // Durable first, renamed or reported second: a crash after this line cannot lose
        // these rows, and a rename never runs before its row is journalled as created.
        let journalled = match journal.append(&entries) {
            Ok(()) => true,
            Err(e) => {
                report.stopped.get_or_insert(e);
                false
            }
        };
        for ((planned, rename), (outcome, entry)) in
            renames.into_iter().zip(outcomes.into_iter().zip(&entries))
        {
            match rename {
                Some(app_id) if journalled && entry.state == EntryState::Created => {
                    in_flight.push(step(
                        &sender,
                        Work::Rename {
                            planned,
                            outcome,
                            app_id,
                        },
                    ));
                }
                _ => finished.push(outcome),
            }
        }
        progress.rows_done += finished.len();
        progress.rows_failed += finished
            .iter()
            .filter(|o| matches!(o.status, RowStatus::Failed(_)))
            .count();
        report.rows.extend(finished);
        progress.tick(started);
        on_progress(&progress);
    }

    if next < to_send.len() && report.stopped.is_none() {
        report.stopped = Some(crate::import::ImportError::worded(|| {
            crate::tr!("import-cancelled")
        }));
    }
    let why = match &report.stopped {
        Some(reason) => crate::tr!("import-not-sent-stopped", reason = reason.0.as_str()),
        None => crate::tr!("import-not-sent-cancelled"),
    };
    for planned in &to_send[next..] {
        report.rows.push(outcome(
            planned,
            None,
            None,
            RowStatus::Skipped(why.clone()),
        ));
    }
    add_settled_rows(&mut report, plan);
    add_unsent_rows(&mut report, plan, rows);
    report.rows.sort_by_key(|r| r.row);
    report
}

/// One step of a row: a create, the secret of an app an earlier run created, or a rename. An
/// app whose secret the secrets file already holds (written just before an earlier run
/// stopped) is not given a new one: that would break the secret already saved.
async fn step<'a>(sender: &Sender<'_>, work: Work<'a>) -> Done<'a> {
    let (planned, held) = match work {
        Work::Rename {
            planned,
            outcome,
            app_id,
        } => {
            let client_id = outcome.client_id.clone().unwrap_or_default();
            let renamed = sender.rename(planned, &app_id, &client_id).await;
            return Done::Renamed(outcome, renamed);
        }
        Work::Send { planned, held } => (planned, held),
    };
    let answer = match &planned.action {
        ZitadelAction::Create => sender.create(planned).await,
        ZitadelAction::Claim { app } if held => Answer::ours(app, None, RowStatus::CreatedEarlier),
        ZitadelAction::Claim { app } => sender.issue_secret(app.clone()).await,
        ZitadelAction::Rename { app } => Answer::ours(app, None, RowStatus::CreatedEarlier),
        ZitadelAction::GiveKey { app } => sender.give_key(app, RowStatus::CreatedEarlier).await,
        // The plan sends only the four above.
        ZitadelAction::Exists { client_id, .. } | ZitadelAction::CreatedEarlier { client_id } => {
            Answer::new(
                EntryState::Created,
                Some(client_id.clone()),
                RowStatus::CreatedEarlier,
            )
        }
    };
    Done::Answered(planned, answer)
}

/// Reports the rows the plan leaves as they are: apps that existed, apps of earlier runs.
pub(super) fn add_settled_rows(report: &mut ImportReport, plan: &ZitadelPlan) {
    for planned in &plan.rows {
        let (client_id, status) = match &planned.action {
            ZitadelAction::Exists { client_id, .. } => (
                client_id,
                RowStatus::Exists(crate::tr!(
                    "import-zitadel-exists",
                    client_id = client_id.as_str()
                )),
            ),
            ZitadelAction::CreatedEarlier { client_id } => (client_id, RowStatus::CreatedEarlier),
            ZitadelAction::Create
            | ZitadelAction::Claim { .. }
            | ZitadelAction::Rename { .. }
            | ZitadelAction::GiveKey { .. } => continue,
        };
        report
            .rows
            .push(outcome(planned, Some(client_id.clone()), None, status));
    }
}

/// Reports the rows the plan does not send: repeated names, and invalid rows.
pub(super) fn add_unsent_rows(report: &mut ImportReport, plan: &ZitadelPlan, rows: &[Row]) {
    report::add_unsent_rows(report, rows, &plan.duplicates, &plan.invalid, |_, first| {
        crate::tr!("import-zitadel-repeat", first = first.to_string())
    });
}

fn entry(
    planned: &ZitadelPlannedRow,
    state: EntryState,
    client_id: Option<String>,
    error: Option<String>,
) -> JournalEntry {
    JournalEntry {
        id: planned.identity.clone(),
        row: planned.row,
        // The marker: a rerun creates under the same name, and looks for the app under it.
        key: planned.marker.clone(),
        state,
        attempt: 0,
        client_id,
        error,
        at: Some(crate::import::journal::now_secs()),
    }
}

pub(super) fn outcome(
    planned: &ZitadelPlannedRow,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    status: RowStatus,
) -> RowOutcome {
    RowOutcome {
        row: planned.row,
        name: planned.name.clone(),
        external_id: planned.external_id.clone(),
        client_id,
        client_secret,
        status,
        key_file: None,
    }
}
