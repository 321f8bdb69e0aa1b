//! `connect-console import FILE`: the CSV import on the command line, into whichever backend
//! the flags name, through the same backend calls the console's import wizard makes.
//!
//! Exit code 0 when nothing is left to do (every row created, existing or updated; with
//! `--dry-run`: every row ready), 1 otherwise. The summary line, on stderr, always counts
//! created, existing, skipped, failed and invalid rows.

use std::future::Future;
use std::io::IsTerminal as _;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use serde_json::json;

use super::activity::note;
use super::import_shared::{file_name, journal_dir, print_progress, secrets_warning};
use super::output::{print_json, print_table};
use super::{
    AuthMethodArg, CliError, ImportArgs, capabilities, confirm_write_to, open_workspace, zitadel,
};
use crate::backends::{AuthMethod, Workspace};
use crate::import::parse::delimiter_name;
use crate::import::secrets::same_file;
use crate::import::{
    self, CancelFlag, Existing, ExistingMode, ImportReport, Prepared, ReadOptions, RowStatus,
    RunOptions,
};

/// Runs the import and returns the exit code.
pub async fn import(args: ImportArgs) -> Result<ExitCode, CliError> {
    let capabilities = capabilities(&args.connection);
    if args.auth_method.is_some() && !capabilities.auth_methods {
        return Err(zitadel::not_on_hopae());
    }
    import::check_existing_mode_for(&capabilities, args.existing).map_err(|e| CliError(e.0))?;
    let options = ReadOptions {
        encoding: args.encoding.clone(),
        delimiter: args.delimiter,
        max_name_chars: Some(capabilities.max_name_chars),
    };
    check_paths(&args)?;
    if !args.dry_run {
        key_files(&args)?;
    }
    let prepared = report_language(&args, || import::prepare_file(&args.file, &options))
        .map_err(|e| CliError(e.0))?;
    describe_file(&args, &prepared);

    let prepared = Arc::new(prepared);
    let report = if args.dry_run {
        dry_run(&args, &prepared).await?
    } else {
        run(&args, &prepared).await?
    };
    let summary = report.summary();

    if let Some(path) = &args.results {
        report.write_results(path).map_err(|e| CliError(e.0))?;
        eprintln!(
            "{}",
            crate::tr!(
                "cli-import-results-written",
                path = path.display().to_string()
            )
        );
    }
    let keys_only = args.auth_method == Some(AuthMethodArg::PrivateKeyJwt);
    if let (Some(dir), false, true) = (&args.keys_dir, args.dry_run, keys_only) {
        let written = report.rows.iter().filter(|r| r.key_file.is_some()).count();
        eprintln!(
            "{}",
            crate::tr!(
                "cli-import-key-files-written",
                count = written,
                dir = dir.display().to_string()
            )
        );
    }
    if let (Some(path), false, false) = (&args.secrets, args.dry_run, keys_only) {
        eprintln!(
            "{}",
            crate::tr!(
                "cli-import-secrets-added",
                count = (summary.created - summary.created_earlier),
                path = path.display().to_string()
            )
        );
    }

    if args.json {
        let report = crate::i18n::in_english(|| json_report(&args, &prepared, &report));
        print_json(&report).map_err(CliError)?;
    } else {
        print_rows(&report);
    }
    if let Some(reason) = &report.stopped {
        eprintln!(
            "{}",
            crate::tr!("cli-import-stopped", reason = reason.0.as_str())
        );
    }
    let sentence = summary.sentence();
    if args.dry_run {
        eprintln!(
            "{}",
            crate::tr!("cli-import-dry-run-summary", summary = sentence)
        );
    } else {
        eprintln!("{sentence}");
    }
    if !args.dry_run && summary.failed + report.rows.iter().filter(|r| is_unsent(r)).count() > 0 {
        eprintln!("{}", crate::tr!("cli-import-retry-hint"));
    }
    Ok(if summary.all_done() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A row the run did not send (cancelled or stopped). Its reason was made in English (`--json`)
/// or in the language in use, so both are recognised.
fn is_unsent(row: &import::RowOutcome) -> bool {
    let RowStatus::Skipped(why) = &row.status else {
        return false;
    };
    let stopped = crate::tr!("import-not-sent-stopped", reason = "");
    let stopped = stopped.trim_end();
    why.starts_with("Not sent")
        || *why == crate::tr!("import-not-sent-cancelled")
        || (!stopped.is_empty() && why.starts_with(stopped))
}

/// Makes what goes into the import's report (its rows' reasons, why it stopped) in English
/// under `--json`, whose output never changes with the language; otherwise in the language in
/// use. The runtime's threads are English for such a run too (see `cli::run`).
fn report_language<T>(args: &ImportArgs, make: impl FnOnce() -> T) -> T {
    if args.json {
        crate::i18n::in_english(make)
    } else {
        make()
    }
}

/// A future polled with English installed on the polling thread (for `--json`).
struct InEnglish<F: Future>(Pin<Box<F>>);

impl<F: Future> Future for InEnglish<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let inner = self.get_mut().0.as_mut();
        crate::i18n::in_english(|| inner.poll(cx))
    }
}

/// `future`, made and polled in the report's language (see [`report_language`]).
async fn in_report_language<F: Future>(args: &ImportArgs, future: F) -> F::Output {
    if args.json {
        InEnglish(Box::pin(future)).await
    } else {
        future.await
    }
}

/// The key files of a private-key-jwt import: `--keys-dir` is required there and refused
/// elsewhere, and the expiry is read before anything is sent.
fn key_files(args: &ImportArgs) -> Result<Option<crate::import::run::KeyFiles>, CliError> {
    let keys_only = args.auth_method == Some(AuthMethodArg::PrivateKeyJwt);
    match (&args.keys_dir, keys_only) {
        (None, false) => Ok(None),
        (Some(_), false) => Err(CliError(crate::tr!("cli-import-keys-dir-unused"))),
        (None, true) => Err(CliError(crate::tr!("cli-import-keys-dir-needed"))),
        (Some(dir), true) => {
            let now = time::OffsetDateTime::now_utc();
            let expiry = match &args.expires {
                Some(text) => crate::backends::keys::KeyExpiry::parse(text, now).map_err(|e| {
                    CliError(crate::tr!(
                        "cli-flag-problem-nothing-sent",
                        flag = "--expires",
                        error = e.to_string()
                    ))
                })?,
                None => crate::backends::keys::KeyExpiry::default_from(now),
            };
            if dir.exists() && !dir.is_dir() {
                return Err(CliError(crate::tr!(
                    "cli-import-keys-dir-is-file",
                    dir = dir.display().to_string()
                )));
            }
            Ok(Some(crate::import::run::KeyFiles {
                dir: dir.clone(),
                expiry,
            }))
        }
    }
}

/// Refuses, before anything is read or sent, output files that would overwrite each other or
/// the input, and output folders that do not exist.
fn check_paths(args: &ImportArgs) -> Result<(), CliError> {
    let outputs = [("--results", &args.results), ("--secrets", &args.secrets)];
    for (flag, path) in outputs {
        let Some(path) = path else { continue };
        if let Err(e) = crate::import::journal::check_own_file(path) {
            return Err(CliError(crate::tr!(
                "cli-flag-problem-nothing-sent",
                flag = flag,
                error = e.to_string()
            )));
        }
        if same_file(path, &args.file) {
            return Err(CliError(crate::tr!(
                "cli-import-output-is-input",
                flag = flag,
                path = path.display().to_string()
            )));
        }
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(folder) = folder
            && !folder.is_dir()
        {
            return Err(CliError(crate::tr!(
                "cli-import-output-folder-missing",
                folder = folder.display().to_string(),
                flag = flag
            )));
        }
    }
    if let (Some(results), Some(secrets)) = (&args.results, &args.secrets)
        && same_file(results, secrets)
    {
        return Err(CliError(crate::tr!(
            "cli-import-results-are-secrets",
            path = secrets.display().to_string()
        )));
    }
    Ok(())
}

/// Whether a workspace is named by the flags or environment (an address as well, where the
/// backend has no default one).
fn configured(args: &ImportArgs) -> bool {
    let connection = &args.connection;
    let key = connection
        .api_key
        .as_ref()
        .is_some_and(|k| !k.expose().trim().is_empty());
    let address = connection
        .base_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty());
    key && (address || !capabilities(connection).scopes)
}

/// What the import would do. Compared with the apps there and the journal when a workspace is
/// configured; without one, every valid row counts as new.
async fn dry_run(args: &ImportArgs, prepared: &Arc<Prepared>) -> Result<ImportReport, CliError> {
    if !configured(args) {
        eprintln!("{}", crate::tr!("cli-import-not-compared"));
        let capabilities = capabilities(&args.connection);
        return Ok(report_language(args, || {
            if capabilities.duplicate_names {
                import::dry_run(
                    prepared,
                    &Existing::default(),
                    &Default::default(),
                    args.existing,
                )
            } else {
                import::dry_run_zitadel(prepared, &Default::default(), &Default::default())
            }
        }));
    }
    let (workspace, scope) = open_workspace(&args.connection)?;
    let compare = workspace.dry_run_import(
        scope.as_deref(),
        prepared.clone(),
        journal_dir(args)?,
        args.existing,
    );
    let (report, compared) = in_report_language(args, compare)
        .await
        .map_err(|e| CliError(e.0))?;
    eprintln!(
        "{}",
        crate::tr!(
            "cli-import-compared",
            count = compared,
            place = place(&*workspace, scope.as_deref())
        )
    );
    Ok(report)
}

/// "api.example.com", or "project 123" where apps live in projects.
fn place(workspace: &dyn Workspace, scope: Option<&str>) -> String {
    match scope {
        Some(scope) => crate::tr!("cli-place-project", project = scope),
        None => workspace.info().host,
    }
}

/// Sends the import, showing progress on a terminal and stopping cleanly on Ctrl-C.
async fn run(args: &ImportArgs, prepared: &Arc<Prepared>) -> Result<ImportReport, CliError> {
    let keys = key_files(args)?;
    let secrets = match (&args.secrets, &keys) {
        (Some(secrets), _) => Some(secrets.clone()),
        // Apps that sign with keys have no secret: their key files take its place.
        (None, Some(_)) => None,
        (None, None) => {
            return Err(CliError(crate::tr!("cli-import-secrets-needed")));
        }
    };
    let (workspace, scope) = open_workspace(&args.connection)?;
    confirm_write_to(
        &workspace.info(),
        args.yes,
        &crate::tr!(
            "cli-what-import",
            count = prepared.rows.len(),
            file = args.file.display().to_string()
        ),
    )?;
    if args.existing == ExistingMode::Create {
        eprintln!("{}", crate::tr!("cli-import-existing-create-note"));
    }
    let auth_method = args.auth_method.map(AuthMethod::from).or_else(|| {
        workspace
            .capabilities()
            .auth_methods
            .then_some(AuthMethod::Basic)
    });
    let journal_dir = journal_dir(args)?;
    let cancel = CancelFlag::default();
    let on_interrupt = cancel.clone();
    // Made now, in the language in use: the task runs on one of the runtime's threads.
    let stopping = crate::tr!("cli-import-stopping");
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\n{stopping}");
            on_interrupt.cancel();
        }
    });
    let show_progress = std::io::stderr().is_terminal() && !args.json;
    if auth_method.is_none_or(AuthMethod::has_secret) {
        eprintln!("{}", secrets_warning());
    } else if let Some(keys) = &keys {
        eprintln!(
            "{}",
            crate::tr!(
                "cli-import-keys-note",
                expiry = keys.expiry.describe(),
                dir = keys.dir.display().to_string()
            )
        );
    }
    // Each answer's secrets are appended as it comes, so that neither a crash nor a resumed
    // run loses or overwrites any.
    let options = RunOptions {
        concurrency: args.concurrency,
        secrets_file: secrets,
        existing: args.existing,
        keys,
        ..RunOptions::default()
    };
    let progress = Mutex::new(print_progress(show_progress));
    let sending = workspace.run_import(
        scope.as_deref(),
        prepared.clone(),
        journal_dir,
        options,
        auth_method,
        cancel,
        Box::new(move |p| {
            if let Ok(mut show) = progress.lock() {
                show(p);
            }
        }),
    );
    let result = in_report_language(args, sending).await;
    interrupt.abort();
    if show_progress {
        eprintln!();
    }
    // One entry for the whole run, with its counts: the rows are in the results file.
    note(&crate::ops::import_entry(
        &*workspace,
        scope.as_deref(),
        &file_name(args),
        &result,
    ));
    result.map_err(|e| CliError(e.0))
}

fn describe_file(args: &ImportArgs, prepared: &Prepared) {
    let file = args.file.display().to_string();
    let count = prepared.rows.len();
    let encoding = prepared.encoding.to_string();
    let delimiter = delimiter_name(prepared.table.delimiter);
    let line = if prepared.encoding_guessed {
        crate::tr!(
            "cli-import-file-guessed",
            file = file,
            count = count,
            encoding = encoding,
            delimiter = delimiter
        )
    } else {
        crate::tr!(
            "cli-import-file",
            file = file,
            count = count,
            encoding = encoding,
            delimiter = delimiter
        )
    };
    eprintln!("{line}");
    let unknown = prepared.mapping.unknown();
    if !unknown.is_empty() {
        eprintln!(
            "{}",
            crate::tr!("cli-import-ignored-columns", columns = unknown.join(", "))
        );
    }
}

/// The rows worth reading: every one not simply created or ready.
fn print_rows(report: &ImportReport) {
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .filter(|r| !r.status.detail().is_empty())
        .map(|r| {
            vec![
                r.row.to_string(),
                status_word(&r.status),
                r.name.chars().take(40).collect(),
                r.status.detail().to_string(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        print_table(
            &[
                crate::tr!("cli-col-row"),
                crate::tr!("cli-col-status"),
                crate::tr!("cli-col-name"),
                crate::tr!("cli-col-problem"),
            ],
            &rows,
        );
    }
}

/// A row's status as the table shows it, in the language in use (the results file and
/// `--json` keep the status words of [`RowStatus::word`]).
fn status_word(status: &RowStatus) -> String {
    match status {
        RowStatus::Created => crate::tr!("cli-row-created"),
        RowStatus::CreatedEarlier => crate::tr!("cli-row-created-earlier"),
        RowStatus::Failed(_) => crate::tr!("cli-row-failed"),
        RowStatus::Invalid(_) => crate::tr!("cli-row-invalid"),
        RowStatus::Skipped(_) => crate::tr!("cli-row-skipped"),
        RowStatus::Exists(_) => crate::tr!("cli-row-exists"),
        RowStatus::Updated(_) => crate::tr!("cli-row-updated"),
        RowStatus::Ready(_) => crate::tr!("cli-row-ready"),
        RowStatus::Update(_) => crate::tr!("cli-row-update"),
    }
}

fn json_report(args: &ImportArgs, prepared: &Prepared, report: &ImportReport) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|r| {
            json!({
                "row": r.row, "name": r.name, "externalId": r.external_id,
                "clientId": r.client_id, "status": r.status.word(),
                "error": (!r.status.detail().is_empty()).then(|| r.status.detail()),
            })
        })
        .collect();
    json!({
        "file": args.file.display().to_string(),
        "dryRun": args.dry_run,
        "encoding": prepared.encoding,
        "delimiter": (prepared.table.delimiter as char).to_string(),
        "ignoredColumns": prepared.mapping.unknown(),
        "summary": report.summary(),
        "stopped": report.stopped.as_ref().map(|e| e.0.as_str()),
        "rows": rows,
    })
}
