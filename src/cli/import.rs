//! `connect-console import FILE`: the CSV import on the command line, into whichever backend
//! the flags name, through the same backend calls the console's import wizard makes.
//!
//! Exit code 0 when nothing is left to do (every row created, existing or updated; with
//! `--dry-run`: every row ready), 1 otherwise. The summary line, on stderr, always counts
//! created, existing, skipped, failed and invalid rows.

use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::activity::note;
use super::import_shared::{SECRETS_WARNING, file_name, journal_dir, print_progress};
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
    let prepared = import::prepare_file(&args.file, &options).map_err(|e| CliError(e.0))?;
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
        eprintln!("Results written to {}", path.display());
    }
    let keys_only = args.auth_method == Some(AuthMethodArg::PrivateKeyJwt);
    if let (Some(dir), false, true) = (&args.keys_dir, args.dry_run, keys_only) {
        let written = report.rows.iter().filter(|r| r.key_file.is_some()).count();
        eprintln!("{written} app(s) have their key file in {}", dir.display());
    }
    if let (Some(path), false, false) = (&args.secrets, args.dry_run, keys_only) {
        eprintln!(
            "{} new client secret(s) added to {}",
            summary.created - summary.created_earlier,
            path.display()
        );
    }

    if args.json {
        print_json(&json_report(&args, &prepared, &report)).map_err(CliError)?;
    } else {
        print_rows(&report);
    }
    if let Some(reason) = &report.stopped {
        eprintln!("The import stopped early: {reason}");
    }
    let prefix = if args.dry_run {
        "Dry run, nothing was sent: "
    } else {
        ""
    };
    eprintln!("{prefix}{}", summary.sentence());
    if !args.dry_run && summary.failed + report.rows.iter().filter(|r| is_unsent(r)).count() > 0 {
        eprintln!(
            "Run the same command again to retry the rows that were not created; rows already \
             created are not created twice."
        );
    }
    Ok(if summary.all_done() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn is_unsent(row: &import::RowOutcome) -> bool {
    matches!(&row.status, RowStatus::Skipped(why) if why.starts_with("Not sent"))
}

/// The key files of a private-key-jwt import: `--keys-dir` is required there and refused
/// elsewhere, and the expiry is read before anything is sent.
fn key_files(args: &ImportArgs) -> Result<Option<crate::import::run::KeyFiles>, CliError> {
    let keys_only = args.auth_method == Some(AuthMethodArg::PrivateKeyJwt);
    match (&args.keys_dir, keys_only) {
        (None, false) => Ok(None),
        (Some(_), false) => Err(CliError(
            "--keys-dir is for apps that sign with keys: add --auth-method private-key-jwt, or \
             leave it out"
                .into(),
        )),
        (None, true) => Err(CliError(
            "Give --keys-dir DIR: each new private-key-jwt app gets a key, and its key file \
             (shown by ZITADEL once) is written into that folder. Nothing was sent"
                .into(),
        )),
        (Some(dir), true) => {
            let now = time::OffsetDateTime::now_utc();
            let expiry = match &args.expires {
                Some(text) => crate::backends::keys::KeyExpiry::parse(text, now)
                    .map_err(|e| CliError(format!("--expires: {e}. Nothing was sent")))?,
                None => crate::backends::keys::KeyExpiry::default_from(now),
            };
            if dir.exists() && !dir.is_dir() {
                return Err(CliError(format!(
                    "--keys-dir {} is a file, not a folder. Nothing was sent",
                    dir.display()
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
            return Err(CliError(format!("{flag}: {e}. Nothing was sent")));
        }
        if same_file(path, &args.file) {
            return Err(CliError(format!(
                "{flag} names the file being imported ({}); give another file name",
                path.display()
            )));
        }
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(folder) = folder
            && !folder.is_dir()
        {
            return Err(CliError(format!(
                "The folder {} of {flag} does not exist. Nothing was sent. Create it, or give \
                 a file in another folder",
                folder.display()
            )));
        }
    }
    if let (Some(results), Some(secrets)) = (&args.results, &args.secrets)
        && same_file(results, secrets)
    {
        return Err(CliError(format!(
            "--results and --secrets name the same file ({}); the results would overwrite the \
             secrets. Give two different files",
            secrets.display()
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
        eprintln!(
            "No workspace configured: rows are not compared with existing apps (set \
             CONNECT_API_KEY, and CONNECT_BASE_URL where needed, to compare)"
        );
        let capabilities = capabilities(&args.connection);
        return Ok(if capabilities.duplicate_names {
            import::dry_run(
                prepared,
                &Existing::default(),
                &Default::default(),
                args.existing,
            )
        } else {
            import::dry_run_zitadel(prepared, &Default::default(), &Default::default())
        });
    }
    let (workspace, scope) = open_workspace(&args.connection)?;
    let (report, compared) = workspace
        .dry_run_import(
            scope.as_deref(),
            prepared.clone(),
            journal_dir(args)?,
            args.existing,
        )
        .await
        .map_err(|e| CliError(e.0))?;
    eprintln!(
        "Compared with the {compared} app(s) of {}",
        place(&*workspace, scope.as_deref())
    );
    Ok(report)
}

/// "api.example.com", or "project 123" where apps live in projects.
fn place(workspace: &dyn Workspace, scope: Option<&str>) -> String {
    match scope {
        Some(scope) => format!("project {scope}"),
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
            return Err(CliError(
                "Give --secrets FILE.csv: the client secrets of the new apps are shown only \
                 once, and are saved to that file (readable only by you). Use --dry-run to \
                 check the file first"
                    .into(),
            ));
        }
    };
    let (workspace, scope) = open_workspace(&args.connection)?;
    confirm_write_to(
        &workspace.info(),
        args.yes,
        &format!(
            "import {} row(s) from {}",
            prepared.rows.len(),
            args.file.display()
        ),
    )?;
    if args.existing == ExistingMode::Create {
        eprintln!(
            "note: --existing create makes a second app for every row whose name exists already"
        );
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
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nStopping after the apps already sent...");
            on_interrupt.cancel();
        }
    });
    let show_progress = std::io::stderr().is_terminal() && !args.json;
    if auth_method.is_none_or(AuthMethod::has_secret) {
        eprintln!("{SECRETS_WARNING}");
    } else if let Some(keys) = &keys {
        eprintln!(
            "The new apps sign with keys (private-key-jwt): each gets one key, expiring {}, \
             its key file written to {} (ZITADEL shows a key once).",
            keys.expiry.describe(),
            keys.dir.display()
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
    let result = workspace
        .run_import(
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
        )
        .await;
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
    let guessed = if prepared.encoding_guessed {
        " (guessed; use --encoding to change)"
    } else {
        ""
    };
    eprintln!(
        "{}: {} row(s), encoding {}{guessed}, delimiter {}",
        args.file.display(),
        prepared.rows.len(),
        prepared.encoding,
        delimiter_name(prepared.table.delimiter)
    );
    let unknown = prepared.mapping.unknown();
    if !unknown.is_empty() {
        eprintln!("Ignored columns: {}", unknown.join(", "));
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
                r.status.word().to_owned(),
                r.name.chars().take(40).collect(),
                r.status.detail().to_owned(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        print_table(&["ROW", "STATUS", "NAME", "PROBLEM"], &rows);
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
        "stopped": report.stopped,
        "rows": rows,
    })
}
