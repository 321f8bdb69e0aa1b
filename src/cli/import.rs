//! `connect-console import FILE`: the CSV import on the command line. With `--backend zitadel`
//! the report comes from `zitadel_import.rs`; everything around it is shared.
//!
//! Exit code 0 when nothing is left to do (every row created, existing or updated; with
//! `--dry-run`: every row ready), 1 otherwise. The summary line, on stderr, always counts
//! created, existing, skipped, failed and invalid rows.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use serde_json::json;

use super::activity::note;
use super::import_shared::{SECRETS_WARNING, file_name, journal_dir, print_progress};
use super::output::{print_json, print_table};
use super::{AuthMethodArg, CliError, ImportArgs, client, confirm_write, zitadel, zitadel_import};
use crate::api::Client;
use crate::import::parse::delimiter_name;
use crate::import::secrets::same_file;
use crate::import::{
    self, CancelFlag, Existing, ExistingMode, ImportReport, Journal, Prepared, ReadOptions,
    RowStatus, RunOptions,
};

/// Runs the import and returns the exit code.
pub async fn import(args: ImportArgs) -> Result<ExitCode, CliError> {
    let on_zitadel = zitadel::selected(&args.connection);
    if on_zitadel {
        zitadel_import::check(&args)?;
    } else if args.auth_method.is_some() {
        return Err(zitadel::not_on_hopae());
    }
    let options = ReadOptions {
        encoding: args.encoding.clone(),
        delimiter: args.delimiter,
    };
    check_paths(&args)?;
    let prepared = import::prepare_file(&args.file, &options).map_err(|e| CliError(e.0))?;
    describe_file(&args, &prepared);

    let report = if on_zitadel {
        zitadel_import::report(&args, &prepared).await?
    } else if args.dry_run {
        dry_run(&args, &prepared).await?
    } else {
        run(&args, &prepared).await?
    };
    let summary = report.summary();

    if let Some(path) = &args.results {
        report.write_results(path).map_err(|e| CliError(e.0))?;
        eprintln!("Results written to {}", path.display());
    }
    let keys_only = on_zitadel && args.auth_method == Some(AuthMethodArg::PrivateKeyJwt);
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

/// Refuses, before anything is read or sent, output files that would overwrite each other or
/// the input, and output folders that do not exist.
fn check_paths(args: &ImportArgs) -> Result<(), CliError> {
    let outputs = [("--results", &args.results), ("--secrets", &args.secrets)];
    for (flag, path) in outputs {
        let Some(path) = path else { continue };
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

/// What the import would do. Compared with the workspace's apps and the journal when a
/// workspace is configured; without one, every valid row counts as new.
async fn dry_run(args: &ImportArgs, prepared: &Prepared) -> Result<ImportReport, CliError> {
    let configured = args
        .connection
        .api_key
        .as_ref()
        .is_some_and(|k| !k.expose().trim().is_empty());
    let (existing, journal) = if configured {
        let client = client(&args.connection)?;
        let existing = import::survey(&client).await.map_err(|e| CliError(e.0))?;
        let journal = Journal::open(&journal_dir(args)?, client.connection().base_url().as_str())
            .map_err(|e| CliError(e.0))?;
        eprintln!(
            "Compared with the {} app(s) of {}",
            existing.len(),
            host_of(&client)
        );
        (existing, journal.entries().clone())
    } else {
        eprintln!(
            "No workspace configured: rows are not compared with existing apps (set \
             CONNECT_API_KEY to compare)"
        );
        (Existing::default(), Default::default())
    };
    Ok(import::dry_run(
        prepared,
        &existing,
        &journal,
        args.existing,
    ))
}

fn host_of(client: &Client) -> String {
    client
        .connection()
        .base_url()
        .host_str()
        .unwrap_or("the workspace")
        .to_owned()
}

/// Sends the import, showing progress on a terminal and stopping cleanly on Ctrl-C.
async fn run(args: &ImportArgs, prepared: &Prepared) -> Result<ImportReport, CliError> {
    let Some(secrets) = &args.secrets else {
        return Err(CliError(
            "Give --secrets FILE.csv: the client secrets of the new apps are shown only once, \
             and are saved to that file (readable only by you). Use --dry-run to check the file \
             first"
                .into(),
        ));
    };
    let client = client(&args.connection)?;
    confirm_write(
        &client,
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
    let journal_dir = journal_dir(args)?;
    let cancel = CancelFlag::default();
    let on_interrupt = cancel.clone();
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nStopping after the batches already sent...");
            on_interrupt.cancel();
        }
    });
    let show_progress = std::io::stderr().is_terminal() && !args.json;
    eprintln!("{SECRETS_WARNING}");
    // Each batch's secrets are appended as it is answered, so that neither a crash nor a
    // resumed run loses or overwrites any.
    let options = RunOptions {
        concurrency: args.concurrency,
        secrets_file: Some(secrets.clone()),
        existing: args.existing,
        ..RunOptions::default()
    };
    let result = import::import(
        &client,
        prepared,
        &journal_dir,
        &options,
        &cancel,
        print_progress(show_progress),
    )
    .await;
    interrupt.abort();
    if show_progress {
        eprintln!();
    }
    // One entry for the whole run, with its counts: the rows are in the results file.
    let workspace = crate::backends::hopae::HopaeWorkspace::from_client(client.clone());
    note(&crate::ops::import_entry(
        &workspace,
        None,
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
