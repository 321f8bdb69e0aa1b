//! The command-line commands: apps and workflows against a workspace, the activity log, and
//! the sandbox server.
//!
//! Output goes to stdout (a table, or JSON with `--json`); a secret is printed once with a
//! warning on stderr; any failure is one line on stderr and exit code 1. Every write adds an
//! entry to the activity log (`activity`).

mod activity;
mod args;
mod export;
mod import;
mod import_shared;
mod keys;
mod output;
mod providers;
mod webhook;
mod workflow_show;
mod workflow_simulate;
mod workflow_write;
mod zitadel;

use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

pub use args::{
    ActivityArgs, AppsCommand, Cli, Command, ConnectionArgs, ImportArgs, SandboxArgs, ThemeChoice,
    WindowArgs, WorkflowsCommand,
};
use output::{json_failed, print_fields, print_json, print_masked_json, print_table, printable};
use serde_json::json;
pub use workflow_show::{ShowMode, node_rows, pick_workflow};
pub use zitadel::{AuthMethodArg, ProjectsCommand, ZitadelArgs};

use crate::api::{self, App, Client, Connection, Environment};
use crate::backends::Workspace as _;
use crate::ops::{Outcome, Write};
use crate::sandbox::{self, SandboxConfig};

/// A failure already phrased for the person at the terminal.
#[derive(Debug)]
pub struct CliError(pub String);

impl From<api::ApiError> for CliError {
    fn from(error: api::ApiError) -> Self {
        Self(error.one_line())
    }
}

/// The warning printed after a new client secret.
pub(super) fn secret_warning() -> String {
    crate::tr!("cli-secret-warning")
}

/// A rotated client secret, shown once: the app's ids (each a `--json` key, a field label and
/// its value) and the new secret, as JSON or as fields; then the warning that the previous
/// secret no longer works. The one place both backends print a rotated secret.
pub(super) fn print_rotated_secret(
    json: bool,
    ids: &[(&str, String, String)],
    secret: &crate::secret::Secret,
) -> Result<(), CliError> {
    if json {
        let mut out = serde_json::Map::new();
        for (key, _, value) in ids {
            out.insert((*key).to_owned(), value.clone().into());
        }
        out.insert("clientSecret".into(), secret.expose().into());
        print_json(&out).map_err(CliError)?;
    } else {
        let mut fields: Vec<(String, String)> = ids
            .iter()
            .map(|(_, label, value)| (label.clone(), value.clone()))
            .collect();
        fields.push((
            crate::tr!("cli-field-new-client-secret"),
            secret.expose().to_owned(),
        ));
        print_fields(&fields);
    }
    eprintln!(
        "{} {}",
        secret_warning(),
        crate::tr!("cli-previous-secret-gone")
    );
    Ok(())
}

/// "error: …" on stderr, in the language in use.
pub fn print_error(message: &str) {
    eprintln!("{}", crate::tr!("cli-error", message = printable(message)));
}

/// Runs a parsed command line (not the GUI) and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    // The runtime's threads speak the language the main thread does, so a sentence made in a
    // task reads like the rest. An import with `--json` is the exception: its rows' reasons go
    // into the JSON, which never changes with the language.
    let localizer = if matches!(&command, Command::Import(args) if args.json) {
        crate::i18n::Localizer::default()
    } else {
        crate::i18n::current()
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .on_thread_start(move || localizer.install())
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            print_error(&crate::tr!("cli-runtime-failed", error = e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match command {
            Command::Apps {
                connection,
                command: AppsCommand::Keys(command),
            } => {
                if capabilities(&connection).app_keys {
                    keys::keys(&connection, command).await
                } else {
                    Err(CliError(crate::tr!("cli-hopae-no-keys")))
                }
            }
            Command::Apps {
                connection,
                command,
            } if zitadel::selected(&connection) => zitadel::apps(&connection, command).await,
            Command::Projects {
                connection,
                command,
            } => zitadel::projects(&connection, command).await,
            // A workflow from a file needs no connection.
            Command::Workflows {
                command: WorkflowsCommand::Simulate(args),
                ..
            } if args.file.is_some() => workflow_simulate::simulate(args, None).await,
            Command::Workflows { connection, .. } if zitadel::selected(&connection) => {
                Err(zitadel::not_on_zitadel())
            }
            Command::Apps {
                connection,
                command,
            } => apps(&client(&connection)?, command).await,
            Command::Workflows {
                connection,
                command,
            } => workflows(&client(&connection)?, command).await,
            Command::Import(args) => return import::import(args).await,
            Command::Activity(args) => activity::show(&args),
            Command::Sandbox(args) => serve_sandbox(args).await,
        }
        .map(|()| ExitCode::SUCCESS)
    });
    match result {
        Ok(code) => code,
        Err(CliError(message)) => {
            print_error(&message);
            ExitCode::FAILURE
        }
    }
}

/// What the backend the flags name can do, known before connecting.
pub(super) fn capabilities(args: &ConnectionArgs) -> crate::backends::Capabilities {
    args.zitadel.backend.capability_sets()[0]
}

/// Opens the workspace the flags or environment name, whichever its backend, and the scope
/// (project) its apps live in where it has scopes.
pub fn open_workspace(
    args: &ConnectionArgs,
) -> Result<(Arc<dyn crate::backends::Workspace>, Option<String>), CliError> {
    if !capabilities(args).scopes {
        let workspace = crate::backends::hopae::HopaeWorkspace::from_client(client(args)?);
        return Ok((Arc::new(workspace), None));
    }
    Ok((
        zitadel::workspace(args)?,
        Some(zitadel::project(args)?.to_owned()),
    ))
}

/// Builds the client from flags or environment; without a key, says how to configure one.
pub fn client(args: &ConnectionArgs) -> Result<Client, CliError> {
    let Some(key) = args
        .api_key
        .clone()
        .filter(|k| !k.expose().trim().is_empty())
    else {
        return Err(CliError(crate::tr!("cli-not-configured")));
    };
    let base_url = match args.base_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => url.to_owned(),
        None => Connection::default_base_url_for(&key).to_owned(),
    };
    let connection = Connection::new(&base_url, key)?.with_ca_file(args.ca_file.clone());
    if connection.environment() == Environment::Production {
        eprintln!("{}", crate::tr!("cli-production-note"));
    }
    let client = Client::new(connection)?;
    Ok(match args.timeout {
        Some(secs) => client.with_deadline(Duration::from_secs(secs)),
        None => client,
    })
}

/// A write to a production workspace goes ahead only with `--yes` or a typed "yes" on a
/// terminal; with neither, it is refused before anything is sent.
pub fn confirm_write(client: &Client, yes: bool, what: &str) -> Result<(), CliError> {
    let workspace = crate::backends::hopae::HopaeWorkspace::from_client(client.clone());
    confirm_write_to(&workspace.info(), yes, what)
}

/// Asks before a write where the operations layer's policy says so (production): at a
/// terminal a typed "yes", elsewhere `--yes`; refused before anything is sent.
pub fn confirm_write_to(
    info: &crate::backends::ConnectionInfo,
    yes: bool,
    what: &str,
) -> Result<(), CliError> {
    let crate::ops::Confirmation::Needed { place } = crate::ops::confirmation(info) else {
        return Ok(());
    };
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError(crate::tr!(
            "cli-confirm-refused",
            what = what,
            place = place.as_str()
        )));
    }
    eprint!(
        "{}\n{} ",
        crate::tr!("cli-confirm-production", place = place.as_str()),
        crate::tr!("cli-confirm-type-yes", what = what)
    );
    let _ = std::io::stderr().flush();
    let answer = read_answer()?;
    // The word to type is "yes" in every language (the prompt says so).
    if answer.trim().eq_ignore_ascii_case("yes") {
        Ok(())
    } else {
        Err(CliError(crate::tr!("cli-cancelled")))
    }
}

/// One line typed at the terminal.
pub(super) fn read_answer() -> Result<String, CliError> {
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError(crate::tr!("cli-read-answer-failed", error = e.to_string())))?;
    Ok(answer)
}

/// Sends a write to the Hopae workspace of `client` through the operations layer.
pub(super) async fn hopae_write(client: &Client, write: Write) -> Result<Outcome, CliError> {
    let workspace = crate::backends::hopae::HopaeWorkspace::from_client(client.clone());
    Ok(activity::perform(&workspace, None, write).await?)
}

/// The API's app inside a changed app; the command line prints it as the API describes it.
pub(super) fn changed_oidc(outcome: Outcome) -> Result<App, CliError> {
    match outcome {
        Outcome::Changed { app, .. } => Ok(app.oidc.as_deref().cloned().unwrap_or_default()),
        _ => Err(unexpected_answer()),
    }
}

pub(super) fn unexpected_answer() -> CliError {
    CliError(crate::tr!("cli-unexpected-answer"))
}

/// The server answered a create with something other than a created app.
pub(super) fn not_created() -> CliError {
    CliError(crate::tr!("cli-create-other-answer"))
}

async fn apps(client: &Client, command: AppsCommand) -> Result<(), CliError> {
    match command {
        AppsCommand::List { search, json } => {
            let mut apps = client
                .list_all_apps(api::DEFAULT_PAGE_CONCURRENCY, |_, _| {})
                .await?;
            if let Some(search) = search {
                // The console's list rule: every word in the name or the client id.
                let query = crate::search::AppQuery::new(&search);
                apps.retain(|app| query.matches(&app.name, &app.client_id));
            }
            if json {
                let public: Vec<App> = apps.iter().map(App::without_secret).collect();
                return print_masked_json(&public).map_err(CliError);
            }
            let rows: Vec<Vec<String>> = apps
                .iter()
                .map(|app| {
                    vec![
                        app.client_id.clone(),
                        app.name.clone(),
                        app.redirect_uris.len().to_string(),
                        app.workflows.len().to_string(),
                    ]
                })
                .collect();
            print_table(
                &[
                    crate::tr!("cli-col-client-id"),
                    crate::tr!("cli-col-name"),
                    crate::tr!("cli-col-redirect-uris"),
                    crate::tr!("cli-col-workflows"),
                ],
                &rows,
            );
            eprintln!("{}", crate::tr!("cli-apps-count", count = apps.len()));
            Ok(())
        }
        AppsCommand::Get { id, json } => {
            let app = client.get_app(&id).await?;
            if json {
                return print_masked_json(&app.without_secret()).map_err(CliError);
            }
            print_app(&app);
            Ok(())
        }
        AppsCommand::Create {
            auth_method: Some(_),
            ..
        }
        | AppsCommand::Deactivate { .. }
        | AppsCommand::Reactivate { .. }
        | AppsCommand::Keys(_) => Err(zitadel::not_on_hopae()),
        AppsCommand::Create {
            name,
            json,
            yes,
            redirect_uri,
            ..
        } => {
            // Checked before anything is sent, so a typo never leaves an app half made.
            let redirect_uris = crate::api::redirect_uris::validate_redirect_uris(&redirect_uri)
                .map_err(|p| {
                    let first = p.first().map(|p| format!("{}: {}", p.uri, p.problem));
                    CliError(format!("--redirect-uri {}", first.unwrap_or_default()))
                })?;
            confirm_write(
                client,
                yes,
                &crate::tr!("cli-what-create-app", name = printable(&name)),
            )?;
            // The one create of the console and the command line (ops), with its activity entry.
            let workspace = crate::backends::hopae::HopaeWorkspace::from_client(client.clone());
            let write = crate::ops::Write::CreateApp {
                name: name.clone(),
                idempotency_key: api::new_idempotency_key(),
                auth_method: None,
                redirect_uris,
            };
            let crate::ops::Outcome::Created(created) =
                activity::perform(&workspace, None, write).await?
            else {
                return Err(not_created());
            };
            let crate::backends::Created {
                app,
                secret,
                follow_up_error,
                ..
            } = *created;
            let mut app = app.oidc.as_deref().cloned().unwrap_or_default();
            app.client_secret = secret;
            if json {
                // The new secret is printed this once; a provider's credentials never are.
                let mut value =
                    serde_json::to_value(&app).map_err(|e| CliError(json_failed(&e)))?;
                if let Some(providers) = value.get_mut("providers") {
                    api::redact::mask_secrets(providers);
                }
                print_json(&value).map_err(CliError)?;
            } else {
                print_fields(&[
                    (crate::tr!("cli-field-client-id"), app.client_id.clone()),
                    (crate::tr!("cli-field-name"), app.name.clone()),
                    (
                        crate::tr!("cli-field-client-secret"),
                        app.client_secret.as_ref().map_or_else(
                            || crate::tr!("cli-not-returned-paren"),
                            |s| s.expose().to_owned(),
                        ),
                    ),
                ]);
            }
            eprintln!("{}", secret_warning());
            // The app and its secret stand; a script still learns the addresses are missing.
            match follow_up_error {
                Some(error) => Err(CliError(error)),
                None => Ok(()),
            }
        }
        AppsCommand::Rename {
            id,
            name,
            json,
            yes,
        } => {
            confirm_write(
                client,
                yes,
                &crate::tr!(
                    "cli-what-rename",
                    app = printable(&id),
                    name = printable(&name)
                ),
            )?;
            let write = Write::RenameApp {
                id: id.clone(),
                name: name.clone(),
            };
            let app = changed_oidc(hopae_write(client, write).await?)?;
            if json {
                return print_masked_json(&app.without_secret()).map_err(CliError);
            }
            println!(
                "{}",
                crate::tr!(
                    "cli-renamed",
                    app = printable(&app.client_id),
                    name = printable(&app.name)
                )
            );
            Ok(())
        }
        AppsCommand::RedirectUris {
            id,
            uris,
            clear: _,
            json,
            yes,
        } => {
            confirm_write(
                client,
                yes,
                &crate::tr!(
                    "cli-what-replace-redirect-uris",
                    app = printable(&id),
                    count = uris.len()
                ),
            )?;
            let write = Write::ReplaceRedirectUris {
                id: id.clone(),
                uris: uris.clone(),
            };
            let Outcome::RedirectUrisSaved { uris: saved, .. } = hopae_write(client, write).await?
            else {
                return Err(unexpected_answer());
            };
            if json {
                return print_json(&json!({"clientId": id, "redirectUris": saved}))
                    .map_err(CliError);
            }
            let line = if saved.is_empty() {
                crate::tr!(
                    "cli-redirect-uris-now-none",
                    app = printable(&id),
                    count = saved.len()
                )
            } else {
                crate::tr!(
                    "cli-redirect-uris-now",
                    app = printable(&id),
                    count = saved.len(),
                    uris = printable(&saved.join(" "))
                )
            };
            println!("{line}");
            Ok(())
        }
        AppsCommand::RotateSecret { id, json, yes } => {
            if client.connection().environment() == Environment::Production {
                // Production asks its own, stronger question (or needs --yes).
                confirm_write(
                    client,
                    yes,
                    &crate::tr!("cli-what-rotate-secret", app = printable(&id)),
                )?;
            } else if !yes && std::io::stdin().is_terminal() && !confirm_rotation(&id)? {
                return Err(CliError(crate::tr!("cli-cancelled-secret")));
            }
            let write = Write::RotateSecret {
                id: id.clone(),
                idempotency_key: api::new_idempotency_key(),
            };
            let Outcome::SecretRotated { secret, .. } = hopae_write(client, write).await? else {
                return Err(unexpected_answer());
            };
            let ids = [("clientId", crate::tr!("cli-field-client-id"), id)];
            print_rotated_secret(json, &ids, &secret)
        }
        AppsCommand::Webhook {
            id,
            url,
            enable,
            disable,
            events,
            retries,
            timeout_seconds,
            json,
            yes,
        } => {
            let flags = webhook::WebhookFlags {
                url,
                enable,
                disable,
                events,
                retries,
                timeout_seconds,
            };
            webhook::webhook(client, &id, &flags, json, yes).await
        }
        AppsCommand::RotateWebhookSecret { id, json, yes } => {
            webhook::rotate_secret(client, &id, json, yes).await
        }
        AppsCommand::Providers { id, json } => providers::show(client, &id, json).await,
        AppsCommand::Export {
            format,
            output,
            journal_dir,
        } => export::export(client, format, output.as_deref(), journal_dir.as_deref()).await,
    }
}

fn confirm_rotation(id: &str) -> Result<bool, CliError> {
    confirm_rotation_question(&crate::tr!(
        "cli-confirm-rotate-secret",
        app = printable(id)
    ))
}

/// Asks a yes/no question (which ends in "[y/N]") on the terminal; only "y" or "yes" goes on.
fn confirm_rotation_question(question: &str) -> Result<bool, CliError> {
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    let answer = read_answer()?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

fn print_app(app: &App) {
    let enabled = app.enabled_providers();
    let webhook = match &app.webhook_config {
        Some(w) if w.enabled => crate::tr!(
            "cli-webhook-on-at",
            url = w
                .url
                .clone()
                .unwrap_or_else(|| crate::tr!("cli-no-url-paren"))
        ),
        Some(_) => crate::tr!("cli-off"),
        None => crate::tr!("cli-not-set"),
    };
    let none = crate::tr!("common-none");
    let workflows = app
        .workflows
        .iter()
        .map(|w| {
            let mark = if Some(&w.workflow_id) == app.default_workflow_id.as_ref() {
                format!(" {}", crate::tr!("cli-default-paren"))
            } else {
                String::new()
            };
            format!("{} {}{mark}", w.workflow_id, w.name)
        })
        .collect::<Vec<_>>();
    let mut fields = vec![
        (crate::tr!("cli-field-client-id"), app.client_id.clone()),
        (crate::tr!("cli-field-name"), app.name.clone()),
        (
            crate::tr!("cli-field-client-secret"),
            if app.client_secret.is_some() {
                crate::tr!("cli-secret-hidden")
            } else {
                crate::tr!("cli-not-returned")
            },
        ),
        (
            crate::tr!("cli-field-redirect-uris"),
            if app.redirect_uris.is_empty() {
                none.clone()
            } else {
                app.redirect_uris.join(", ")
            },
        ),
        (
            crate::tr!("cli-field-providers"),
            if enabled.is_empty() {
                crate::tr!("cli-none-enabled")
            } else {
                enabled.join(", ")
            },
        ),
        (crate::tr!("cli-field-webhook"), webhook),
        (
            crate::tr!("cli-field-workflows"),
            if workflows.is_empty() {
                none
            } else {
                workflows.join("; ")
            },
        ),
    ];
    if let Some(org) = &app.organization_id {
        fields.push((crate::tr!("cli-field-organization"), org.clone()));
    }
    print_fields(&fields);
}

async fn workflows(client: &Client, command: WorkflowsCommand) -> Result<(), CliError> {
    match command {
        WorkflowsCommand::List { app, json } => {
            let workflows = client.list_workflows(&app).await?;
            if json {
                return print_masked_json(&workflows).map_err(CliError);
            }
            let default_id = client
                .get_app(&app)
                .await
                .ok()
                .and_then(|a| a.default_workflow_id);
            let rows: Vec<Vec<String>> = workflows
                .iter()
                .map(|w| {
                    vec![
                        w.workflow_id.clone(),
                        w.name.clone(),
                        w.nodes.len().to_string(),
                        w.entry_node_id.clone().unwrap_or_else(|| "-".into()),
                        if Some(&w.workflow_id) == default_id.as_ref() {
                            crate::tr!("cli-yes")
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect();
            print_table(
                &[
                    crate::tr!("cli-col-workflow-id"),
                    crate::tr!("cli-col-name"),
                    crate::tr!("cli-col-nodes"),
                    crate::tr!("cli-col-entry-node"),
                    crate::tr!("cli-col-default"),
                ],
                &rows,
            );
            Ok(())
        }
        WorkflowsCommand::Show {
            app,
            workflow,
            lint,
            dot,
        } => {
            let mode = match (lint, dot) {
                (true, _) => ShowMode::Lint,
                (_, true) => ShowMode::Dot,
                _ => ShowMode::Nodes,
            };
            workflow_show::show(client, &app, workflow.as_deref(), mode).await
        }
        WorkflowsCommand::Simulate(args) => workflow_simulate::simulate(args, Some(client)).await,
        WorkflowsCommand::Create {
            app,
            file,
            yes,
            json,
        } => workflow_write::create(client, &app, &file, yes, json).await,
        WorkflowsCommand::Update {
            app,
            workflow_id,
            file,
            yes,
            json,
        } => workflow_write::update(client, &app, &workflow_id, &file, yes, json).await,
        WorkflowsCommand::NodeTypes { app, json } => {
            workflow_write::node_types(client, &app, json).await
        }
    }
}

/// Runs the sandbox until Ctrl-C. The first line printed is `listening on <base URL>`, in
/// English whatever the language: scripts and tests read the address from it.
async fn serve_sandbox(args: SandboxArgs) -> Result<(), CliError> {
    let config = SandboxConfig {
        port: args.port,
        demo: args.demo,
        generated_apps: args.generate,
        api_key: args.api_key,
        latency: Duration::from_millis(args.latency_ms),
        fail_rate: args.fail_rate,
        drop_rate: args.drop_rate,
        seed: args.seed,
        state_file: args.state,
        zitadel: args.zitadel,
    };
    let running = sandbox::start(config).await.map_err(|e| {
        CliError(crate::tr!(
            "cli-sandbox-start-failed",
            port = args.port.to_string(),
            error = e.to_string()
        ))
    })?;
    println!("listening on {}", running.base_url());
    let _ = std::io::stdout().flush();
    if running.is_zitadel() {
        eprintln!(
            "{}",
            crate::tr!(
                "cli-sandbox-zitadel-ready",
                projects = running.project_count(),
                apps = running.app_count(),
                prefix = sandbox::zitadel::PAT_PREFIX,
                home = sandbox::zitadel::HOME_ORG_ID,
                partner = sandbox::zitadel::PARTNER_ORG_ID
            )
        );
    } else {
        eprintln!(
            "{}",
            crate::tr!("cli-sandbox-ready", apps = running.app_count())
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    running.stop().await;
    Ok(())
}
