//! Sends the plan: batches of 100 creates with `continueOnError`, several at once, retried with
//! the same keys; concurrency halved when the server struggles (429, 5xx) and raised by one
//! after each clean batch. Then the updates, one app at a time, several at once.
//!
//! Order of records, which is what makes a crash lose nothing: each row is journalled as `sent`
//! (with its key) before its batch goes out; its secret is written and flushed to the secrets
//! file; only then is it journalled as `created`. Batches that come back together are settled
//! together, so a round costs one flush of the secrets file and one of the journal (which also
//! carries the next batches' keys). Cancel stops after the batches in flight.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::stream::FuturesUnordered;
use futures::{FutureExt as _, StreamExt as _};

use super::existing::Existing;
use super::journal::{EntryState, Journal, JournalEntry};
use super::plan::{Action, ExistingMode, Plan, PlannedRow, Unfinished, batch_key, plan};
use super::report::{self, ImportReport, RowOutcome, RowStatus};
use super::secrets::SecretsFile;
use super::validate::Row;
use super::{ImportError, Prepared};
use crate::api::{
    ApiError, BatchRequest, BatchResponse, Client, ErrorKind, RetryPolicy, UpdateApp, WebhookPatch,
    new_idempotency_key,
};
use crate::secret::Secret;

/// Batches in flight at once at the start, unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The most batches in flight that the import ever grows to.
pub const MAX_CONCURRENCY: usize = 16;

/// How to run an import.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Batches in flight at the start (1 to [`MAX_CONCURRENCY`]).
    pub concurrency: usize,
    /// Retries of each batch (same body, same keys).
    pub retry: RetryPolicy,
    /// Append each batch's client secrets to this file (owner-only) before the batch's rows
    /// are journalled as created. Opened, and checked writable, before the first request.
    pub secrets_file: Option<PathBuf>,
    /// What to do with rows that match an existing app.
    pub existing: ExistingMode,
    /// Where apps that sign with keys get one key file each (see [`KeyFiles`]).
    pub keys: Option<KeyFiles>,
}

/// Each new app that signs with keys gets one key, its key file written into `dir` before the
/// app gets its final name.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFiles {
    pub dir: PathBuf,
    pub expiry: crate::backends::keys::KeyExpiry,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            secrets_file: None,
            existing: ExistingMode::Skip,
            keys: None,
        }
    }
}

/// Asks a running import to stop after the batches in flight. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where a running import stands; sent after each batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Rows this run sends (creates and updates).
    pub rows_total: usize,
    /// Rows answered so far, done or failed.
    pub rows_done: usize,
    pub rows_failed: usize,
    pub rows_per_sec: f64,
    pub eta: Option<Duration>,
    /// Batches allowed in flight now.
    pub concurrency: usize,
}

impl Progress {
    pub(crate) fn tick(&mut self, started: Instant) {
        let elapsed = started.elapsed().as_secs_f64();
        self.rows_per_sec = if elapsed > 0.0 {
            self.rows_done as f64 / elapsed
        } else {
            0.0
        };
        let left = self.rows_total.saturating_sub(self.rows_done);
        self.eta = (self.rows_per_sec > 0.0)
            .then(|| Duration::from_secs_f64(left as f64 / self.rows_per_sec));
    }
}

/// How many batches may be in flight: halved when the server struggles (429 or 5xx), raised
/// by one after every batch that went through cleanly, up to [`MAX_CONCURRENCY`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    limit: usize,
    max: usize,
}

impl Throttle {
    pub fn new(start: usize) -> Self {
        let start = start.clamp(1, MAX_CONCURRENCY);
        Self {
            limit: start,
            max: MAX_CONCURRENCY,
        }
    }

    /// Records a finished batch; returns the new limit.
    pub fn after_batch(&mut self, struggled: bool) -> usize {
        if struggled {
            self.limit = (self.limit / 2).max(1);
        } else if self.limit < self.max {
            self.limit += 1;
        }
        self.limit
    }
}

/// Reads the workspace's apps, for the plan to compare rows with.
pub async fn survey(client: &Client) -> Result<Existing, ImportError> {
    let apps = client
        .list_all_apps(crate::api::DEFAULT_PAGE_CONCURRENCY, |_, _| {})
        .await
        .map_err(|e| {
            ImportError::worded(|| crate::tr!("import-survey-failed", error = e.user_message()))
        })?;
    Ok(Existing::from_apps(&apps))
}

/// Opens the secrets file and the journal, reads the workspace, plans and runs the import of
/// `prepared`. The secrets file is checked first: when it cannot be written, nothing is sent.
pub async fn import(
    client: &Client,
    prepared: &Prepared,
    journal_dir: &Path,
    options: &RunOptions,
    cancel: &CancelFlag,
    on_progress: impl FnMut(&Progress),
) -> Result<ImportReport, ImportError> {
    let mut secrets = options
        .secrets_file
        .as_deref()
        .map(SecretsFile::open)
        .transpose()?;
    let mut journal = Journal::open(journal_dir, client.connection().base_url().as_str())?;
    let existing = survey(client).await?;
    let plan = plan(
        &prepared.rows,
        &existing,
        journal.entries(),
        options.existing,
    );
    let mut report = run(
        client,
        &prepared.rows,
        &plan,
        &mut journal,
        secrets.as_mut(),
        options,
        cancel,
        on_progress,
    )
    .await;
    report.secrets_file = secrets.map(|s| s.path().to_owned());
    Ok(report)
}

/// Sends what `plan` says to send and reports every row of `rows` (the validated file).
#[allow(clippy::too_many_arguments)]
pub async fn run(
    client: &Client,
    rows: &[Row],
    plan: &Plan,
    journal: &mut Journal,
    mut secrets: Option<&mut SecretsFile>,
    options: &RunOptions,
    cancel: &CancelFlag,
    mut on_progress: impl FnMut(&Progress),
) -> ImportReport {
    // The retries happen here, so that a struggling server can slow the whole import down.
    let client = client.clone().with_retry(RetryPolicy::none());
    let mut report = ImportReport::default();
    let batches = plan.create_batches();
    let updates: Vec<&PlannedRow> = plan.updates().collect();
    let mut throttle = Throttle::new(options.concurrency);
    let mut progress = Progress {
        rows_total: batches.iter().map(Vec::len).sum::<usize>() + updates.len(),
        concurrency: throttle.limit,
        ..Progress::default()
    };
    let run_id = new_idempotency_key();
    let started = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    let mut next = 0;
    // Rows settled by the batches that came back last, not yet journalled or reported, and
    // each of those batches' row count and the concurrency after it.
    let (mut settled_entries, mut settled_outcomes) = (Vec::new(), Vec::new());
    let mut settled_batches: Vec<(usize, usize)> = Vec::new();
    on_progress(&progress);
    loop {
        // One sync per round: the settled rows and the keys of the batches about to leave
        // (on disk before they leave, so a run that never hears back resends the same keys).
        let sending = if report.stopped.is_none() && !cancel.is_cancelled() {
            throttle
                .limit
                .saturating_sub(in_flight.len())
                .min(batches.len() - next)
        } else {
            0
        };
        let mut entries = std::mem::take(&mut settled_entries);
        entries.extend(
            batches[next..next + sending]
                .iter()
                .flatten()
                .map(|planned| entry(planned, EntryState::Sent, None, None)),
        );
        // Durable first, reported second: a crash after this cannot lose these rows.
        let journalled = journal.append(&entries);
        // One progress event per batch, as if each had come back alone.
        let mut outcomes = std::mem::take(&mut settled_outcomes).into_iter();
        for (rows, concurrency) in settled_batches.drain(..) {
            let batch: Vec<RowOutcome> = outcomes.by_ref().take(rows).collect();
            progress.rows_done += batch.len();
            progress.rows_failed += batch.iter().filter(|o| is_failure(o)).count();
            progress.concurrency = concurrency;
            report.rows.extend(batch);
            progress.tick(started);
            on_progress(&progress);
        }
        match journalled {
            // A cancel from the progress callback holds these back too: their rows stay
            // journalled as `sent`, which a later run resends with the same keys, as it would
            // rows never sent.
            Ok(()) if !cancel.is_cancelled() => {
                for (index, batch) in batches.iter().enumerate().skip(next).take(sending) {
                    in_flight.push(send_batch(&client, &run_id, index, batch, options.retry));
                }
                next += sending;
            }
            Ok(()) => {}
            Err(e) => {
                report.stopped.get_or_insert(e);
            }
        }
        let Some(first) = in_flight.next().await else {
            break;
        };
        // Every batch that has come back by now is settled together, with one sync each for
        // the secrets and the journal.
        let mut returned = vec![first];
        while let Some(Some(more)) = in_flight.next().now_or_never() {
            returned.push(more);
        }
        for (index, result, struggled) in returned {
            let batch = &batches[index];
            let (entries, outcomes) = match result {
                Ok(response) => read_results(batch, &response),
                Err(error) => {
                    // Errors that the next batch would meet too: stop rather than fail every
                    // row.
                    if matches!(
                        error.kind,
                        ErrorKind::Unauthorized
                            | ErrorKind::Forbidden
                            | ErrorKind::Local
                            | ErrorKind::Redirected
                            | ErrorKind::TooLarge
                            | ErrorKind::Protocol
                            | ErrorKind::Tls
                            | ErrorKind::Proxy
                            | ErrorKind::UnknownHost
                    ) {
                        report.stopped = Some(ImportError::worded(|| error.user_message()));
                    }
                    failed_batch(batch, &error)
                }
            };
            settled_batches.push((outcomes.len(), throttle.after_batch(struggled)));
            settled_entries.extend(entries);
            settled_outcomes.extend(outcomes);
        }
        if let Some(file) = secrets.as_deref_mut() {
            keep_secrets(
                file,
                &mut settled_entries,
                &mut settled_outcomes,
                &mut report,
            );
        }
    }

    let unsent_reason = |report: &ImportReport| match &report.stopped {
        Some(reason) => crate::tr!("import-not-sent-stopped", reason = reason.0.as_str()),
        None => crate::tr!("import-not-sent-cancelled"),
    };
    if next < batches.len() && report.stopped.is_none() {
        report.stopped = Some(ImportError::worded(|| crate::tr!("import-cancelled")));
    }
    let why_unsent = unsent_reason(&report);
    for planned in batches[next..].iter().flatten() {
        report.rows.push(outcome(
            planned,
            None,
            None,
            RowStatus::Skipped(why_unsent.clone()),
        ));
    }

    run_updates(
        &client,
        &updates,
        options,
        cancel,
        &mut report,
        &mut progress,
        started,
        &mut on_progress,
    )
    .await;
    add_settled_rows(&mut report, plan);
    add_unsent_rows(&mut report, plan, rows);
    report.rows.sort_by_key(|r| r.row);
    report
}

/// Writes the secrets of a batch's new apps to disk. Rows whose secret could not be written
/// are not journalled as created: the next run sends them again with the same keys, and the
/// server's replay hands back the same secrets. Secrets on disk are dropped from memory.
pub(crate) fn keep_secrets(
    file: &mut SecretsFile,
    entries: &mut [JournalEntry],
    outcomes: &mut [RowOutcome],
    report: &mut ImportReport,
) {
    match file.append(outcomes) {
        Ok(_) => {
            for outcome in outcomes.iter_mut() {
                outcome.client_secret = None;
            }
        }
        Err(error) => {
            for (entry, outcome) in entries.iter_mut().zip(outcomes.iter_mut()) {
                if outcome.client_secret.take().is_some() {
                    entry.state = EntryState::Unknown;
                    // Stored in the journal: English, whatever the console speaks.
                    entry.error = Some("its secret could not be written".into());
                    outcome.status = RowStatus::Failed(crate::tr!(
                        "import-secret-not-saved",
                        client_id = outcome.client_id.as_deref().unwrap_or("?")
                    ));
                }
            }
            report.stopped.get_or_insert(error);
        }
    }
}

/// Changes the existing apps the plan says differ, several at once.
#[allow(clippy::too_many_arguments)]
async fn run_updates(
    client: &Client,
    updates: &[&PlannedRow],
    options: &RunOptions,
    cancel: &CancelFlag,
    report: &mut ImportReport,
    progress: &mut Progress,
    started: Instant,
    on_progress: &mut impl FnMut(&Progress),
) {
    let mut pending = updates.iter();
    let mut in_flight = FuturesUnordered::new();
    loop {
        while report.stopped.is_none()
            && !cancel.is_cancelled()
            && in_flight.len() < options.concurrency.max(1)
            && let Some(planned) = pending.next()
        {
            in_flight.push(update_one(client, planned, options.retry));
        }
        let Some((planned, result)) = in_flight.next().await else {
            break;
        };
        let Action::Update { client_id, changes } = &planned.action else {
            continue;
        };
        let status = match result {
            Ok(()) => RowStatus::Updated(changes.describe()),
            Err(error) => {
                progress.rows_failed += 1;
                if matches!(error.kind, ErrorKind::Unauthorized | ErrorKind::Forbidden) {
                    report
                        .stopped
                        .get_or_insert_with(|| ImportError::worded(|| error.user_message()));
                }
                RowStatus::Failed(error.user_message())
            }
        };
        report
            .rows
            .push(outcome(planned, Some(client_id.clone()), None, status));
        progress.rows_done += 1;
        progress.tick(started);
        on_progress(progress);
    }
    let why = match &report.stopped {
        Some(reason) => crate::tr!("import-not-changed-stopped", reason = reason.0.as_str()),
        None => crate::tr!("import-not-changed-cancelled"),
    };
    for planned in pending {
        report.rows.push(outcome(
            planned,
            None,
            None,
            RowStatus::Skipped(why.clone()),
        ));
    }
}

/// Replaces the redirect URIs and sets the webhook URL where they differ.
async fn update_one<'a>(
    client: &Client,
    planned: &'a PlannedRow,
    retry: RetryPolicy,
) -> (&'a PlannedRow, Result<(), ApiError>) {
    let Action::Update { client_id, changes } = &planned.action else {
        return (planned, Ok(()));
    };
    // Both calls set a value rather than add one, so retrying them is safe.
    let client = client.clone().with_retry(retry);
    if let Some((_, uris)) = &changes.redirect_uris
        && let Err(e) = client.replace_redirect_uris(client_id, uris).await
    {
        return (planned, Err(e));
    }
    if let Some((_, url)) = &changes.webhook_url {
        let update = UpdateApp {
            webhook_config: Some(WebhookPatch {
                enabled: Some(true),
                url: Some(url.clone()),
                ..WebhookPatch::default()
            }),
            ..UpdateApp::default()
        };
        if let Err(e) = client.update_app(client_id, &update).await {
            return (planned, Err(e));
        }
    }
    (planned, Ok(()))
}

/// What an import of `prepared` would do, sending nothing. Compared with `existing` when the
/// workspace could be read, and with the journal of earlier runs.
pub fn dry_run(
    prepared: &Prepared,
    existing: &Existing,
    journal: &HashMap<String, JournalEntry>,
    mode: ExistingMode,
) -> ImportReport {
    let plan = plan(&prepared.rows, existing, journal, mode);
    let mut report = ImportReport::default();
    let warnings = prepared.issue_texts();
    for planned in &plan.rows {
        let status = match &planned.action {
            Action::Create { .. } => {
                RowStatus::Ready(warnings.get(&planned.row).cloned().unwrap_or_default())
            }
            Action::Update { changes, .. } => RowStatus::Update(changes.describe()),
            _ => continue,
        };
        report.rows.push(outcome(planned, None, None, status));
    }
    add_settled_rows(&mut report, &plan);
    add_unsent_rows(&mut report, &plan, &prepared.rows);
    report.rows.sort_by_key(|r| r.row);
    report
}

/// Reports the rows the plan leaves as they are: existing apps and apps of earlier runs.
fn add_settled_rows(report: &mut ImportReport, plan: &Plan) {
    for planned in &plan.rows {
        let (client_id, status) = match &planned.action {
            Action::Exists { client_id } => (
                client_id,
                RowStatus::Exists(match plan.mode {
                    ExistingMode::Update => {
                        crate::tr!("import-exists-several", name = planned.name.as_str())
                    }
                    _ => crate::tr!("import-exists-left", client_id = client_id.as_str()),
                }),
            ),
            Action::CreatedEarlier { client_id } => (client_id, RowStatus::CreatedEarlier),
            Action::Unchanged { client_id } => (
                client_id,
                RowStatus::Exists(crate::tr!(
                    "import-up-to-date",
                    client_id = client_id.as_str()
                )),
            ),
            Action::Unfinished { client_id, why } => {
                let found = match client_id {
                    Some(id) => crate::tr!("import-unfinished-found", client_id = id.as_str()),
                    None => crate::tr!("import-unfinished-look"),
                };
                let status = RowStatus::Failed(match why {
                    Unfinished::PastKeyWindow => {
                        crate::tr!("import-unfinished-past-window", found = found)
                    }
                    Unfinished::KeyConflict => {
                        crate::tr!("import-unfinished-key-conflict", found = found)
                    }
                });
                report
                    .rows
                    .push(outcome(planned, client_id.clone(), None, status));
                continue;
            }
            Action::Create { .. } | Action::Update { .. } => continue,
        };
        report
            .rows
            .push(outcome(planned, Some(client_id.clone()), None, status));
    }
}

/// Reports the rows the plan does not send: duplicates of an identity, and invalid rows.
fn add_unsent_rows(report: &mut ImportReport, plan: &Plan, rows: &[Row]) {
    report::add_unsent_rows(report, rows, &plan.duplicates, &plan.invalid, |r, first| {
        let first = first.to_string();
        if r.external_id.is_some() {
            crate::tr!("import-repeat-external-id", first = first)
        } else {
            crate::tr!("import-repeat-name", first = first)
        }
    });
}

/// Sends one batch, retrying with the same keys; says whether the server struggled (429, 5xx).
async fn send_batch(
    client: &Client,
    run_id: &str,
    index: usize,
    batch: &[&PlannedRow],
    retry: RetryPolicy,
) -> (usize, Result<BatchResponse, ApiError>, bool) {
    let request = BatchRequest {
        items: batch
            .iter()
            .filter_map(|r| match &r.action {
                Action::Create { item, .. } => Some(item.clone()),
                _ => None,
            })
            .collect(),
        continue_on_error: true,
    };
    let key = batch_key(run_id, batch);
    let mut struggled = false;
    let mut attempt = 1;
    loop {
        match client.batch_create(&request, &key).await {
            Ok(created) => return (index, Ok(created.value), struggled),
            Err(error) => {
                struggled |= matches!(error.kind, ErrorKind::RateLimited | ErrorKind::Server);
                match retry.delay_after(attempt, &error) {
                    Some(delay) => {
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    None => return (index, Err(error), struggled),
                }
            }
        }
    }
}

/// Pairs each row with its result by the per-item idempotency key the server echoes, never by
/// position: a result that names no row of the batch is ignored, and a row that no result
/// names has an unknown outcome (it is sent again, with the same key, next time).
fn read_results(
    batch: &[&PlannedRow],
    response: &BatchResponse,
) -> (Vec<JournalEntry>, Vec<RowOutcome>) {
    let by_key: HashMap<&str, usize> = response
        .results
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.idempotency_key.as_deref()?, i)))
        .collect();
    let mut entries = Vec::with_capacity(batch.len());
    let mut outcomes = Vec::with_capacity(batch.len());
    for planned in batch {
        let result = by_key
            .get(planned.key())
            .and_then(|i| response.results.get(*i));
        // A failure is shown in the language in use and journalled in English.
        let (state, client_id, secret, status, journalled) = match result {
            Some(r) if r.app.is_some() => {
                let (id, secret) = r
                    .app
                    .as_ref()
                    .map(|a| (a.client_id.clone(), a.client_secret.clone()))
                    .unwrap_or_default();
                let status = if secret.is_some() {
                    RowStatus::Created
                } else {
                    RowStatus::Failed(crate::tr!(
                        "import-created-no-secret",
                        client_id = id.as_str()
                    ))
                };
                (EntryState::Created, Some(id), secret, status, None)
            }
            Some(r) => {
                let error = || {
                    r.error.as_ref().map_or_else(
                        || ApiError::new(ErrorKind::Decode, crate::tr!("import-answer-empty")),
                        ApiError::from_item_error,
                    )
                };
                let (shown, stored) = super::shown_and_stored(|| error().user_message());
                let error = error();
                // A refusal is final for this key; a conflict or a passing failure is not.
                let state = if error.kind == ErrorKind::IdempotencyKeyConflict {
                    EntryState::KeyConflict
                } else if error.is_retryable() || error.kind == ErrorKind::Decode {
                    EntryState::Unknown
                } else {
                    EntryState::Refused
                };
                (state, None, None, RowStatus::Failed(shown), Some(stored))
            }
            None => {
                let (shown, stored) =
                    super::shown_and_stored(|| crate::tr!("import-answer-missing-row"));
                (
                    EntryState::Unknown,
                    None,
                    None,
                    RowStatus::Failed(shown),
                    Some(stored),
                )
            }
        };
        let error = match &status {
            RowStatus::Failed(e) if state != EntryState::Created => {
                Some(journalled.unwrap_or_else(|| e.clone()))
            }
            _ => None,
        };
        entries.push(entry(planned, state, client_id.clone(), error));
        outcomes.push(outcome(planned, client_id, secret, status));
    }
    (entries, outcomes)
}

/// A batch with no readable answer: every row's outcome is unknown, and the next run sends
/// them again with the same keys.
fn failed_batch(batch: &[&PlannedRow], error: &ApiError) -> (Vec<JournalEntry>, Vec<RowOutcome>) {
    // Shown in the language in use, journalled in English.
    let (message, stored) = super::shown_and_stored(|| error.user_message());
    batch
        .iter()
        .map(|planned| {
            (
                entry(planned, EntryState::Unknown, None, Some(stored.clone())),
                outcome(planned, None, None, RowStatus::Failed(message.clone())),
            )
        })
        .unzip()
}

fn entry(
    planned: &PlannedRow,
    state: EntryState,
    client_id: Option<String>,
    error: Option<String>,
) -> JournalEntry {
    let attempt = match planned.action {
        Action::Create { attempt, .. } => attempt,
        _ => 0,
    };
    JournalEntry {
        id: planned.identity.clone(),
        row: planned.row,
        key: planned.key().to_owned(),
        state,
        attempt,
        client_id,
        error,
        at: Some(super::journal::now_secs()),
    }
}

fn is_failure(outcome: &RowOutcome) -> bool {
    matches!(outcome.status, RowStatus::Failed(_))
}

fn outcome(
    planned: &PlannedRow,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_halves_when_the_server_struggles_and_grows_by_one_per_clean_batch() {
        let mut throttle = Throttle::new(DEFAULT_CONCURRENCY);
        assert_eq!(throttle.after_batch(true), 4);
        assert_eq!(throttle.after_batch(true), 2);
        let limits: Vec<usize> = (0..4).map(|_| throttle.after_batch(false)).collect();
        assert_eq!(limits, [3, 4, 5, 6]);
        let grown = (0..40).map(|_| throttle.after_batch(false)).max();
        assert_eq!(grown, Some(MAX_CONCURRENCY));
        let mut one = Throttle::new(1);
        assert_eq!(one.after_batch(true), 1);
        assert_eq!(Throttle::new(100).limit, MAX_CONCURRENCY);
    }
}
