//! `connect-console import FILE --backend zitadel`: the CSV import into a ZITADEL project.
//!
//! The file, the path checks, the results and secrets files, the summary line and the exit
//! code are the Hopae import's (`import.rs`); this file makes the report: a dry run against the
//! project's apps, or the run of [`crate::import::import_zitadel`].

use std::io::IsTerminal as _;

use super::import_shared::{SECRETS_WARNING, file_name, journal_dir, print_progress};
use super::zitadel::{client, project};
use super::{CliError, ImportArgs};
use crate::import::{
    CancelFlag, ImportReport, Journal, Prepared, ZitadelImportOptions, dry_run_zitadel,
    import_zitadel, journal_workspace, survey_project, zitadel::ProjectApps,
    zitadel::check_existing_mode,
};
use crate::zitadel::AuthMethod;

/// Refusals that need neither the file nor the network: `--existing update|create`.
pub(super) fn check(args: &ImportArgs) -> Result<(), CliError> {
    check_existing_mode(args.existing).map_err(|e| CliError(e.0))
}

/// What the import did (or, with `--dry-run`, would do).
pub(super) async fn report(
    args: &ImportArgs,
    prepared: &Prepared,
) -> Result<ImportReport, CliError> {
    if args.dry_run {
        dry_run(args, prepared).await
    } else {
        run(args, prepared).await
    }
}

/// Compared with the project's apps and journal when an instance is configured; without one,
/// every valid row counts as new.
async fn dry_run(args: &ImportArgs, prepared: &Prepared) -> Result<ImportReport, CliError> {
    let connection = &args.connection;
    let configured = connection
        .api_key
        .as_ref()
        .is_some_and(|k| !k.expose().trim().is_empty())
        && connection
            .base_url
            .as_deref()
            .is_some_and(|u| !u.trim().is_empty());
    if !configured {
        eprintln!(
            "No ZITADEL instance configured: rows are not compared with the project's apps (set \
             CONNECT_BASE_URL and CONNECT_API_KEY to compare)"
        );
        return Ok(dry_run_zitadel(
            prepared,
            &ProjectApps::default(),
            &Default::default(),
        ));
    }
    let client = client(connection)?;
    let project = project(connection)?;
    let apps = survey_project(&client, project)
        .await
        .map_err(|e| CliError(e.0))?;
    let journal = Journal::read(
        &journal_dir(args)?,
        &journal_workspace(client.connection(), project),
    )
    .map_err(|e| CliError(e.0))?;
    eprintln!(
        "Compared with the {} app(s) of project {project}",
        apps.len()
    );
    Ok(dry_run_zitadel(prepared, &apps, &journal))
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
    let project = project(&args.connection)?;
    let auth_method = args.auth_method.map_or(AuthMethod::Basic, AuthMethod::from);
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
    if auth_method.has_secret() {
        eprintln!("{SECRETS_WARNING}");
    } else {
        eprintln!(
            "note: the new apps sign with keys (private-key-jwt) and get no secret; add their \
             keys in the ZITADEL console"
        );
    }
    let options = ZitadelImportOptions {
        project_id: project.to_owned(),
        auth_method,
        concurrency: args.concurrency,
        secrets_file: Some(secrets.clone()),
        existing: args.existing,
        ..ZitadelImportOptions::default()
    };
    let result = import_zitadel(
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
    // One entry for the whole run, as for every import.
    let workspace = crate::backends::zitadel::ZitadelWorkspace::from_client(client.clone());
    super::activity::note(&crate::ops::import_entry(
        &workspace,
        Some(project),
        &file_name(args),
        &result,
    ));
    result.map_err(|e| CliError(e.0))
}
