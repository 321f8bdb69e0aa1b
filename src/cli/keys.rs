//! `apps keys list|add|delete`: the keys of a ZITADEL app that signs in with a private key
//! JWT. The add writes the key file through the same code the console uses
//! (`ops::add_key_to_file`); every write asks first where writes do, and is logged by key id.

use std::io::IsTerminal as _;
use std::path::Path;

use serde_json::json;

use super::args::KeysCommand;
use super::output::{print_json, print_table, printable};
use super::{CliError, ConnectionArgs, confirm_write_to, zitadel};
use crate::activity::ActivityLog;
use crate::backends::keys::{KeyExpiry, describe_rfc3339};
use crate::backends::{App, AuthMethod, Workspace};
use crate::ops::{Write, add_key_to_file};

/// Runs one `apps keys` command.
pub async fn keys(args: &ConnectionArgs, command: KeysCommand) -> Result<(), CliError> {
    let workspace = zitadel::workspace(args)?;
    let workspace = workspace.as_ref();
    let project = zitadel::project(args)?;
    match command {
        KeysCommand::List { app, json } => list(workspace, project, &app, json).await,
        KeysCommand::Add {
            app,
            expires,
            output,
            yes,
            json,
        } => {
            add(
                workspace,
                project,
                &app,
                expires.as_deref(),
                &output,
                yes,
                json,
            )
            .await
        }
        KeysCommand::Delete { app, key_id, yes } => {
            delete(workspace, project, &app, &key_id, yes).await
        }
    }
}

async fn list(
    workspace: &dyn Workspace,
    project: &str,
    id: &str,
    json: bool,
) -> Result<(), CliError> {
    let app = workspace.get_app(Some(project), id).await?;
    let keys = workspace.list_app_keys(Some(project), &app.id).await?;
    if json {
        return print_json(&keys).map_err(CliError);
    }
    let now = time::OffsetDateTime::now_utc();
    let rows: Vec<Vec<String>> = keys
        .iter()
        .map(|key| {
            let expires = key
                .expires
                .as_deref()
                .map_or_else(|| crate::tr!("cli-never"), describe_rfc3339);
            let expires = if key.expired_at(now) {
                crate::tr!("cli-key-expired", date = expires)
            } else {
                expires
            };
            vec![
                key.id.clone(),
                key.key_type.clone(),
                expires,
                key.created
                    .as_deref()
                    .map_or_else(String::new, describe_rfc3339),
            ]
        })
        .collect();
    print_table(
        &[
            crate::tr!("cli-col-key-id"),
            crate::tr!("cli-col-type"),
            crate::tr!("cli-col-expires"),
            crate::tr!("cli-col-created"),
        ],
        &rows,
    );
    eprintln!(
        "{}",
        crate::tr!("cli-keys-count", count = keys.len(), app = describe(&app))
    );
    Ok(())
}

/// The key file's refusals come before anything is sent: the date, the app's kind, the file.
async fn add(
    workspace: &dyn Workspace,
    project: &str,
    id: &str,
    expires: Option<&str>,
    output: &Path,
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let now = time::OffsetDateTime::now_utc();
    let expiry = match expires {
        Some(text) => KeyExpiry::parse(text, now).map_err(|e| {
            CliError(crate::tr!(
                "cli-flag-problem",
                flag = "--expires",
                error = e.to_string()
            ))
        })?,
        None => KeyExpiry::default_from(now),
    };
    if output.symlink_metadata().is_ok() {
        return Err(CliError(crate::tr!(
            "cli-key-file-exists",
            path = output.display().to_string()
        )));
    }
    let app = workspace.get_app(Some(project), id).await?;
    if app.auth_method() != Some(AuthMethod::PrivateKeyJwt) {
        return Err(CliError(crate::tr!(
            "cli-key-app-not-jwt",
            app = describe(&app)
        )));
    }
    confirm_write_to(
        &workspace.info(),
        yes,
        &crate::tr!("cli-what-add-key", app = describe(&app)),
    )?;
    let log = ActivityLog::open_default().ok();
    let saved = add_key_to_file(
        workspace,
        Some(project),
        &app.id,
        expiry,
        output,
        log.as_ref(),
    )
    .await?;
    if json {
        print_json(&json!({
            "appId": app.id,
            "clientId": app.client_id,
            "keyId": saved.key_id,
            "expires": saved.expires,
            "path": saved.path,
        }))
        .map_err(CliError)?;
    } else {
        println!(
            "{}",
            crate::tr!(
                "cli-key-added",
                key = saved.key_id.as_str(),
                app = describe(&app),
                expires = saved.expires_text()
            )
        );
        println!(
            "{}",
            crate::tr!(
                "cli-key-file",
                path = printable(&saved.path.display().to_string())
            )
        );
    }
    eprintln!("{}", crate::tr!("cli-key-only-copy"));
    Ok(())
}

async fn delete(
    workspace: &dyn Workspace,
    project: &str,
    id: &str,
    key_id: &str,
    yes: bool,
) -> Result<(), CliError> {
    let app = workspace.get_app(Some(project), id).await?;
    let described = describe(&app);
    let what = crate::tr!(
        "cli-what-delete-key",
        key = key_id,
        app = described.as_str()
    );
    if crate::ops::confirmation(&workspace.info()).is_needed() {
        confirm_write_to(&workspace.info(), yes, &what)?;
    } else if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError(crate::tr!(
                "cli-refused-unconfirmed",
                what = what.as_str()
            )));
        }
        let question = crate::tr!(
            "cli-confirm-delete-key",
            key = key_id,
            app = described.as_str()
        );
        if !zitadel::confirm(&question)? {
            return Err(CliError(crate::tr!("cli-cancelled-key")));
        }
    }
    let write = Write::DeleteKey {
        id: app.id.clone(),
        key_id: key_id.to_owned(),
    };
    super::activity::perform(workspace, Some(project), write).await?;
    println!(
        "{}",
        crate::tr!("cli-key-deleted", key = key_id, app = described.as_str())
    );
    Ok(())
}

fn describe(app: &App) -> String {
    format!("{} (\"{}\")", app.id, app.name)
}
