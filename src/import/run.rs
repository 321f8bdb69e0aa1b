//! Sends the plan: batches of 100 with `continueOnError`, several at once, retried by the
//! retry policy with the same keys, concurrency halved on 429 and raised again slowly.
//! Each batch's outcome is journalled before it is reported; cancel stops after the batches
//! in flight.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use futures::stream::FuturesUnordered;

use super::journal::{Journal, JournalEntry};
use super::plan::{Plan, PlannedRow, batch_key, plan};
use super::report::{ImportReport, RowOutcome, RowStatus, write_secrets};
use super::validate::Row;
use super::{ImportError, Prepared};
use crate::api::{
    ApiError, BatchRequest, BatchResponse, Client, ErrorKind, RetryPolicy, new_idempotency_key,
};

/// Batches in flight at once, unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Batches that must succeed without a 429 before one more may run at once.
const RAISE_AFTER: usize = 4;

/// How to run an import.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Most batches in flight at once (at least 1).
    pub concurrency: usize,
    /// Retries of each batch (same body, same keys).
    pub retry: RetryPolicy,
    /// Append each batch's client secrets to this file (owner-only) as soon as the batch is
    /// answered, before it is journalled, so that a crash loses no secret.
    pub secrets_file: Option<PathBuf>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            secrets_file: None,
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
    /// Rows this run sends (rows created by an earlier run are not counted).
    pub rows_total: usize,
    /// Rows answered so far, created or failed.
    pub rows_done: usize,
    pub rows_failed: usize,
    pub rows_per_sec: f64,
    pub eta: Option<Duration>,
    /// Batches allowed in flight now.
    pub concurrency: usize,
}

/// How many batches may be in flight: halved when the server answers 429, raised by one after
/// every few batches that went through without one, up to the configured maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    limit: usize,
    max: usize,
    calm_batches: usize,
}

impl Throttle {
    pub fn new(max: usize) -> Self {
        let max = max.max(1);
        Self {
            limit: max,
            max,
            calm_batches: 0,
        }
    }

    /// Records a finished batch; returns the new limit.
    pub fn after_batch(&mut self, rate_limited: bool) -> usize {
        if rate_limited {
            self.limit = (self.limit / 2).max(1);
            self.calm_batches = 0;
        } else {
            self.calm_batches += 1;
            if self.calm_batches >= RAISE_AFTER && self.limit < self.max {
                self.limit += 1;
                self.calm_batches = 0;
            }
        }
        self.limit
    }
}

/// Plans, opens the journal under `journal_dir` and runs the import of `prepared`.
pub async fn import(
    client: &Client,
    prepared: &Prepared,
    journal_dir: &Path,
    options: &RunOptions,
    cancel: &CancelFlag,
    on_progress: impl FnMut(&Progress),
) -> Result<ImportReport, ImportError> {
    let plan = plan(&prepared.import_id, &prepared.rows);
    let mut journal = Journal::open(
        journal_dir,
        client.connection().base_url().as_str(),
        &prepared.import_id,
    )?;
    Ok(run(
        client,
        &prepared.rows,
        &plan,
        &mut journal,
        options,
        cancel,
        on_progress,
    )
    .await)
}

/// Sends the rows of `plan` not yet created according to `journal`, and reports every row of
/// `rows` (the validated file).
pub async fn run(
    client: &Client,
    rows: &[Row],
    plan: &Plan,
    journal: &mut Journal,
    options: &RunOptions,
    cancel: &CancelFlag,
    mut on_progress: impl FnMut(&Progress),
) -> ImportReport {
    // The retries happen here, so that a 429 can slow the whole import down.
    let client = client.clone().with_retry(RetryPolicy::none());
    let names: HashMap<usize, &Row> = rows.iter().map(|r| (r.row, r)).collect();
    let mut report = ImportReport::default();

    let done = journal.created_keys();
    for planned in plan.rows.iter().filter(|r| done.contains(r.key())) {
        let client_id = journal.get(planned.key()).and_then(|e| e.client_id.clone());
        report
            .rows
            .push(outcome(planned, client_id, None, RowStatus::CreatedEarlier));
    }
    let batches = plan.batches(&done);
    let max_concurrency = options.concurrency.max(1);
    let mut progress = Progress {
        rows_total: batches.iter().map(Vec::len).sum(),
        concurrency: max_concurrency,
        ..Progress::default()
    };
    let run_id = new_idempotency_key();
    let started = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    let mut next = 0;
    let mut throttle = Throttle::new(max_concurrency);
    on_progress(&progress);
    loop {
        while report.stopped.is_none()
            && !cancel.is_cancelled()
            && in_flight.len() < progress.concurrency
            && next < batches.len()
        {
            in_flight.push(send_batch(
                &client,
                &run_id,
                next,
                &batches[next],
                options.retry,
            ));
            next += 1;
        }
        let Some((index, result, rate_limited)) = in_flight.next().await else {
            break;
        };
        let batch = &batches[index];
        let (entries, outcomes) = match result {
            Ok(response) => read_results(batch, &response),
            Err(error) => {
                if matches!(
                    error.kind,
                    ErrorKind::Unauthorized | ErrorKind::Forbidden | ErrorKind::Local
                ) {
                    report.stopped = Some(error.user_message());
                }
                failed_batch(batch, &error)
            }
        };
        // Secrets first: a crash before the journal line only means the batch is sent again
        // and replayed, while the other order could lose the secrets of created apps.
        if let Some(path) = &options.secrets_file
            && let Err(e) = write_secrets(path, &outcomes, true)
        {
            report.stopped = Some(e.0);
        }
        // Durable first, reported second: a crash after this line cannot lose these rows.
        if let Err(e) = journal.append(&entries) {
            report.stopped = Some(e.0);
        }
        progress.rows_done += outcomes.len();
        progress.rows_failed += outcomes
            .iter()
            .filter(|o| matches!(o.status, RowStatus::Failed(_)))
            .count();
        report.rows.extend(outcomes);

        progress.concurrency = throttle.after_batch(rate_limited);
        let elapsed = started.elapsed().as_secs_f64();
        progress.rows_per_sec = if elapsed > 0.0 {
            progress.rows_done as f64 / elapsed
        } else {
            0.0
        };
        let left = progress.rows_total - progress.rows_done;
        progress.eta = (progress.rows_per_sec > 0.0)
            .then(|| Duration::from_secs_f64(left as f64 / progress.rows_per_sec));
        on_progress(&progress);
    }

    let why_unsent = match &report.stopped {
        Some(reason) => format!("Not sent because the import stopped: {reason}"),
        None => "Not sent: the import was cancelled. Run it again to continue".to_owned(),
    };
    if next < batches.len() && report.stopped.is_none() {
        report.stopped = Some("The import was cancelled".into());
    }
    for planned in batches[next..].iter().flatten() {
        report.rows.push(outcome(
            planned,
            None,
            None,
            RowStatus::Skipped(why_unsent.clone()),
        ));
    }
    add_unsent_rows(&mut report, plan, &names);
    report.rows.sort_by_key(|r| r.row);
    report
}

/// What an import of `prepared` would do, sending nothing: every row ready, skipped or invalid.
pub fn dry_run(prepared: &Prepared) -> ImportReport {
    let plan = plan(&prepared.import_id, &prepared.rows);
    let mut report = ImportReport::default();
    let names: HashMap<usize, &Row> = prepared.rows.iter().map(|r| (r.row, r)).collect();
    for planned in &plan.rows {
        let warnings = names
            .get(&planned.row)
            .map(|r| r.issue_text())
            .unwrap_or_default();
        report
            .rows
            .push(outcome(planned, None, None, RowStatus::Ready(warnings)));
    }
    add_unsent_rows(&mut report, &plan, &names);
    report.rows.sort_by_key(|r| r.row);
    report
}

/// Reports the rows the plan leaves out: duplicates of an external id, and invalid rows.
fn add_unsent_rows(report: &mut ImportReport, plan: &Plan, names: &HashMap<usize, &Row>) {
    for (row, first) in &plan.duplicates {
        if let Some(r) = names.get(row) {
            report.rows.push(row_outcome(
                r,
                RowStatus::Skipped(format!(
                    "Row {first} has the same external id and is imported instead"
                )),
            ));
        }
    }
    for row in &plan.invalid {
        if let Some(r) = names.get(row) {
            report
                .rows
                .push(row_outcome(r, RowStatus::Invalid(r.issue_text())));
        }
    }
}

/// Sends one batch, retrying with the same keys; says whether the server asked us to slow down.
async fn send_batch(
    client: &Client,
    run_id: &str,
    index: usize,
    batch: &[&PlannedRow],
    retry: RetryPolicy,
) -> (usize, Result<BatchResponse, ApiError>, bool) {
    let request = BatchRequest {
        items: batch.iter().map(|r| r.item.clone()).collect(),
        continue_on_error: true,
    };
    let key = batch_key(run_id, batch);
    let mut rate_limited = false;
    let mut attempt = 1;
    loop {
        match client.batch_create(&request, &key).await {
            Ok(created) => return (index, Ok(created.value), rate_limited),
            Err(error) => {
                rate_limited |= error.kind == ErrorKind::RateLimited;
                match retry.delay_after(attempt, &error) {
                    Some(delay) => {
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                    }
                    None => return (index, Err(error), rate_limited),
                }
            }
        }
    }
}

/// Pairs each row with its result: by echoed key where the server echoes it, else by position.
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
    for (position, planned) in batch.iter().enumerate() {
        let result = by_key
            .get(planned.key())
            .or(Some(&position))
            .and_then(|i| response.results.get(*i));
        let (client_id, secret, status) = match result {
            Some(r) if r.app.is_some() => {
                let app = r
                    .app
                    .as_ref()
                    .map(|a| (a.client_id.clone(), a.client_secret.clone()));
                let (id, secret) = app.unwrap_or_default();
                (Some(id), secret, RowStatus::Created)
            }
            Some(r) => {
                let error = r.error.as_ref().map_or_else(
                    || {
                        ApiError::new(
                            ErrorKind::Decode,
                            "The server's answer for this row was empty",
                        )
                    },
                    ApiError::from_item_error,
                );
                (None, None, RowStatus::Failed(error.user_message()))
            }
            None => (
                None,
                None,
                RowStatus::Failed(
                    "The server did not answer for this row. Run the import again to retry it"
                        .into(),
                ),
            ),
        };
        entries.push(JournalEntry {
            row: planned.row,
            key: planned.key().to_owned(),
            client_id: client_id.clone(),
            error: match &status {
                RowStatus::Failed(e) => Some(e.clone()),
                _ => None,
            },
        });
        outcomes.push(outcome(planned, client_id, secret, status));
    }
    (entries, outcomes)
}

fn failed_batch(batch: &[&PlannedRow], error: &ApiError) -> (Vec<JournalEntry>, Vec<RowOutcome>) {
    let message = error.user_message();
    batch
        .iter()
        .map(|planned| {
            (
                JournalEntry {
                    row: planned.row,
                    key: planned.key().to_owned(),
                    client_id: None,
                    error: Some(message.clone()),
                },
                outcome(planned, None, None, RowStatus::Failed(message.clone())),
            )
        })
        .unzip()
}

fn outcome(
    planned: &PlannedRow,
    client_id: Option<String>,
    client_secret: Option<crate::secret::Secret>,
    status: RowStatus,
) -> RowOutcome {
    RowOutcome {
        row: planned.row,
        name: planned.item.name.clone(),
        external_id: planned.external_id.clone(),
        client_id,
        client_secret,
        status,
    }
}

fn row_outcome(row: &Row, status: RowStatus) -> RowOutcome {
    RowOutcome {
        row: row.row,
        name: row.name.clone(),
        external_id: row.external_id.clone(),
        client_id: None,
        client_secret: None,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_halves_on_429_and_grows_back_slowly() {
        let mut throttle = Throttle::new(8);
        assert_eq!(throttle.after_batch(true), 4);
        assert_eq!(throttle.after_batch(true), 2);
        let limits: Vec<usize> = (0..8).map(|_| throttle.after_batch(false)).collect();
        assert_eq!(limits, [2, 2, 2, 3, 3, 3, 3, 4]);
        let mut one = Throttle::new(1);
        assert_eq!(one.after_batch(true), 1);
        assert_eq!((0..10).map(|_| one.after_batch(false)).max(), Some(1));
    }
}
