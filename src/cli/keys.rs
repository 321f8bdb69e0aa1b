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
                .map_or_else(|| "never".to_owned(), describe_rfc3339);
            let expires = if key.expired_at(now) {
                format!("{expires} (expired)")
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
    print_table(&["KEY ID", "TYPE", "EXPIRES", "CREATED"], &rows);
    eprintln!("{} key(s) of {}", keys.len(), describe(&app));
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
        Some(text) => {
            KeyExpiry::parse(text, now).map_err(|e| CliError(format!("--expires: {e}")))?
        }
        None => KeyExpiry::default_from(now),
    };
    if output.symlink_metadata().is_ok() {
        return Err(CliError(format!(
            "{} already exists; a key file is never written over another file. Nothing was \
             sent. Give a new file name",
            output.display()
        )));
    }
    let app = workspace.get_app(Some(project), id).await?;
    if app.auth_method() != Some(AuthMethod::PrivateKeyJwt) {
        return Err(CliError(format!(
            "{} does not sign in with a private key JWT, so it takes no keys; nothing was sent. \
             A basic app uses its client secret (apps rotate-secret)",
            describe(&app)
        )));
    }
    confirm_write_to(
        &workspace.info(),
        yes,
        &format!("add a key to {}", describe(&app)),
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
            "Added key {} to {}; it expires {}.",
            saved.key_id,
            describe(&app),
            saved.expires_text()
        );
        println!("Key file: {}", printable(&saved.path.display().to_string()));
    }
    eprintln!(
        "The key file is the only copy: ZITADEL shows a key once. Keep it somewhere safe; \
         anyone with it can sign in as this app."
    );
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
    let what = format!(
        "delete key {key_id} of {}; whatever signs with that key stops working at once",
        describe(&app)
    );
    if crate::ops::confirmation(&workspace.info()).is_needed() {
        confirm_write_to(&workspace.info(), yes, &what)?;
    } else if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError(format!(
                "Refusing to {what} without a confirmation; nothing was sent. Add --yes to \
                 confirm"
            )));
        }
        if !zitadel::confirm(&format!("{}? [y/N] ", capitalized(&what)))? {
            return Err(CliError("Cancelled; the key was not deleted".into()));
        }
    }
    let write = Write::DeleteKey {
        id: app.id.clone(),
        key_id: key_id.to_owned(),
    };
    super::activity::perform(workspace, Some(project), write).await?;
    println!("Deleted key {key_id} of {}", describe(&app));
    Ok(())
}

fn describe(app: &App) -> String {
    format!("{} (\"{}\")", app.id, app.name)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
