//! The command line on a ZITADEL instance (`--backend zitadel` or `CONNECT_BACKEND=zitadel`):
//! `projects list`, and `apps` list, get, create, rename, rotate-secret, deactivate and
//! reactivate for the apps of one project.
//!
//! `CONNECT_BASE_URL` is the instance origin, `CONNECT_API_KEY` a personal access token,
//! `ZITADEL_PROJECT_ID` (or `--project`) the project and `ZITADEL_ORG_ID` (or `--org`) an
//! organisation other than the token's own. An APP argument is an app id or a client id.

use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use super::activity::perform;
use super::output::{print_fields, print_json, print_masked_json, print_table};
use super::{
    AppsCommand, CliError, ConnectionArgs, confirm_write_to, print_rotated_secret, secret_warning,
};
use crate::api::ErrorKind;
use crate::backends::{self, App, AppKind, AppState, AuthMethod, BackendKind, Created, Workspace};
use crate::ops::{Outcome, Write};

/// `--auth-method` of a ZITADEL API app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthMethodArg {
    /// Client id and secret; the secret is printed once.
    Basic,
    /// The app signs a JWT with one of its keys; no secret.
    PrivateKeyJwt,
}

impl From<AuthMethodArg> for AuthMethod {
    fn from(arg: AuthMethodArg) -> Self {
        match arg {
            AuthMethodArg::Basic => Self::Basic,
            AuthMethodArg::PrivateKeyJwt => Self::PrivateKeyJwt,
        }
    }
}

/// The backend, and what a ZITADEL connection needs beyond the address and token.
#[derive(Debug, Clone, Args)]
pub struct ZitadelArgs {
    /// hopae (a Hopae Connect workspace) or zitadel (a ZITADEL instance: --base-url is its
    /// address, like https://example-abc123.zitadel.cloud, and --api-key a personal access
    /// token).
    #[arg(
        long,
        global = true,
        env = "CONNECT_BACKEND",
        value_enum,
        ignore_case = true,
        default_value_t = BackendKind::Hopae,
        value_name = "BACKEND"
    )]
    pub backend: BackendKind,
    /// ZITADEL: the project whose apps are managed (`projects list` shows the ids).
    #[arg(long, global = true, env = "ZITADEL_PROJECT_ID", value_name = "ID")]
    pub project: Option<String>,
    /// ZITADEL: act in this organisation (sent as x-zitadel-orgid) instead of the token's own.
    #[arg(long, global = true, env = "ZITADEL_ORG_ID", value_name = "ID")]
    pub org: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// List the organisation's projects.
    List {
        /// Print JSON (`id`, `name`, `state`) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Whether the command line is pointed at ZITADEL.
pub fn selected(args: &ConnectionArgs) -> bool {
    args.zitadel.backend == BackendKind::Zitadel
}

/// For commands that only Hopae Connect has.
pub fn not_on_zitadel() -> CliError {
    CliError(crate::tr!("cli-zitadel-no-workflows"))
}

/// For options and commands that only ZITADEL has.
pub fn not_on_hopae() -> CliError {
    CliError(crate::tr!("cli-zitadel-only"))
}

/// Opens the instance from flags or environment; without an address or token, says how.
pub(super) fn workspace(args: &ConnectionArgs) -> Result<Arc<dyn Workspace>, CliError> {
    let token = args
        .api_key
        .clone()
        .filter(|k| !k.expose().trim().is_empty());
    let origin = args.base_url.as_deref().filter(|u| !u.trim().is_empty());
    let (Some(token), Some(origin)) = (token, origin) else {
        return Err(CliError(crate::tr!("cli-zitadel-not-configured")));
    };
    let connection = backends::Connection::new(
        BackendKind::Zitadel,
        origin,
        token,
        args.zitadel.org.as_deref(),
    )?
    .with_ca_file(args.ca_file.clone());
    let workspace = backends::open(connection, false)?;
    Ok(match args.timeout {
        Some(secs) => workspace.with_limits(None, std::time::Duration::from_secs(secs)),
        None => workspace,
    })
}

pub(super) fn project(args: &ConnectionArgs) -> Result<&str, CliError> {
    args.zitadel
        .project
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| CliError(crate::tr!("cli-zitadel-no-project")))
}

/// `projects list`.
pub async fn projects(args: &ConnectionArgs, command: ProjectsCommand) -> Result<(), CliError> {
    if !selected(args) {
        return Err(CliError(crate::tr!("cli-hopae-no-projects")));
    }
    let workspace = workspace(args)?;
    match command {
        ProjectsCommand::List { json } => {
            let projects = workspace.list_scopes().await?;
            // `--json` keeps ZITADEL's words; the table speaks the language in use.
            let state = |active: bool| if active { "active" } else { "inactive" };
            if json {
                let projects: Vec<serde_json::Value> = projects
                    .iter()
                    .map(|p| json!({"id": p.id, "name": p.name, "state": state(p.active)}))
                    .collect();
                return print_json(&projects).map_err(CliError);
            }
            let rows: Vec<Vec<String>> = projects
                .iter()
                .map(|p| vec![p.id.clone(), p.name.clone(), active_word(p.active)])
                .collect();
            print_table(
                &[
                    crate::tr!("cli-col-project-id"),
                    crate::tr!("cli-col-name"),
                    crate::tr!("cli-col-state"),
                ],
                &rows,
            );
            eprintln!(
                "{}",
                crate::tr!("cli-projects-count", count = projects.len())
            );
            Ok(())
        }
    }
}

/// `apps …` on a ZITADEL project.
pub async fn apps(args: &ConnectionArgs, command: AppsCommand) -> Result<(), CliError> {
    let workspace = workspace(args)?;
    let client = workspace.as_ref();
    let project = project(args)?;
    match command {
        AppsCommand::List { search, json } => {
            let mut apps = client.list_apps(Some(project), &|_, _| {}).await?;
            if let Some(search) = search {
                // The console's list rule: every word in the name or the client id (or, here,
                // the app id).
                let query = crate::search::AppQuery::new(&search);
                apps.retain(|app| {
                    query.matches(&app.name, &app.client_id) || query.matches(&app.name, &app.id)
                });
            }
            if json {
                let apps: Vec<serde_json::Value> = apps.iter().map(app_json).collect();
                return print_masked_json(&apps).map_err(CliError);
            }
            let rows: Vec<Vec<String>> = apps
                .iter()
                .map(|app| {
                    vec![
                        app.id.clone(),
                        app.client_id.clone(),
                        app.name.clone(),
                        state_word(state_of(app)),
                        auth_label(app),
                    ]
                })
                .collect();
            print_table(
                &[
                    crate::tr!("cli-col-app-id"),
                    crate::tr!("cli-col-client-id"),
                    crate::tr!("cli-col-name"),
                    crate::tr!("cli-col-state"),
                    crate::tr!("cli-col-auth"),
                ],
                &rows,
            );
            eprintln!("{}", crate::tr!("cli-apps-count", count = apps.len()));
            Ok(())
        }
        AppsCommand::Get { id, json } => {
            let app = client.get_app(Some(project), &id).await?;
            if json {
                return print_masked_json(&app_json(&app)).map_err(CliError);
            }
            print_app(project, &app);
            Ok(())
        }
        AppsCommand::Create {
            name,
            json,
            auth_method,
            yes,
            redirect_uri,
        } => {
            if !redirect_uri.is_empty() {
                return Err(CliError(crate::tr!("cli-zitadel-create-no-redirect-uris")));
            }
            let what = crate::tr!("cli-what-create-app", name = super::printable(&name));
            confirm_write_to(&client.info(), yes, &what)?;
            create(client, project, &name, json, auth_method).await
        }
        AppsCommand::RedirectUris { .. } => {
            Err(CliError(crate::tr!("cli-zitadel-no-redirect-uris")))
        }
        AppsCommand::Webhook { .. }
        | AppsCommand::RotateWebhookSecret { .. }
        | AppsCommand::Providers { .. }
        | AppsCommand::Export { .. } => Err(CliError(crate::tr!("cli-zitadel-hopae-only"))),
        AppsCommand::Rename {
            id,
            name,
            json,
            yes,
        } => {
            let app = client.get_app(Some(project), &id).await?;
            let name = name.trim().to_owned();
            // Renaming to the name it has changes nothing, so nothing is sent or logged.
            if app.name != name {
                let what = crate::tr!(
                    "cli-what-rename",
                    app = describe(&app),
                    name = super::printable(&name)
                );
                confirm_write_to(&client.info(), yes, &what)?;
                let write = Write::RenameApp {
                    id: app.id.clone(),
                    name: name.clone(),
                };
                perform(client, Some(project), write).await?;
            }
            if json {
                return print_json(&app_json(&App {
                    name: name.clone(),
                    ..app
                }))
                .map_err(CliError);
            }
            if app.name == name {
                println!(
                    "{}",
                    crate::tr!(
                        "cli-already-named",
                        app = app.id.as_str(),
                        name = name.as_str()
                    )
                );
            } else {
                println!(
                    "{}",
                    crate::tr!("cli-renamed", app = app.id.as_str(), name = name.as_str())
                );
            }
            Ok(())
        }
        AppsCommand::RotateSecret { id, json, yes } => {
            let app = client.get_app(Some(project), &id).await?;
            // Only a BASIC API app gets this far; the client refuses others without asking.
            let rotatable = app.auth_method() == Some(AuthMethod::Basic);
            if rotatable && production(client) {
                // Production asks its own, stronger question (or needs --yes).
                let what = crate::tr!("cli-what-rotate-secret", app = describe(&app));
                confirm_write_to(&client.info(), yes, &what)?;
            } else if rotatable
                && !yes
                && std::io::stdin().is_terminal()
                && !confirm(&crate::tr!(
                    "cli-confirm-issue-secret",
                    app = describe(&app)
                ))?
            {
                return Err(CliError(crate::tr!("cli-cancelled-secret")));
            }
            let write = Write::RotateSecret {
                id: app.id.clone(),
                idempotency_key: crate::api::new_idempotency_key(),
            };
            let Outcome::SecretRotated { secret, .. } =
                perform(client, Some(project), write).await?
            else {
                return Err(super::unexpected_answer());
            };
            let ids = [
                ("appId", crate::tr!("cli-field-app-id"), app.id.clone()),
                (
                    "clientId",
                    crate::tr!("cli-field-client-id"),
                    app.client_id.clone(),
                ),
            ];
            print_rotated_secret(json, &ids, &secret)
        }
        AppsCommand::Keys(_) => Err(super::unexpected_answer()),
        AppsCommand::Deactivate { id, yes } => set_active(client, project, &id, yes, false).await,
        AppsCommand::Reactivate { id, yes } => set_active(client, project, &id, yes, true).await,
    }
}

async fn create(
    workspace: &dyn Workspace,
    project: &str,
    name: &str,
    json: bool,
    auth_method: Option<AuthMethodArg>,
) -> Result<(), CliError> {
    let Some(method) = auth_method.map(AuthMethod::from) else {
        return Err(CliError(crate::tr!("cli-zitadel-choose-auth-method")));
    };
    // The one create of the console and the command line: a lost answer is reported, and no
    // secret is ever issued for an app this run cannot prove it made.
    let write = Write::CreateApp {
        name: name.to_owned(),
        idempotency_key: crate::api::new_idempotency_key(),
        auth_method: Some(method),
        redirect_uris: Vec::new(),
    };
    let Outcome::Created(created) = perform(workspace, Some(project), write).await? else {
        return Err(super::not_created());
    };
    let Created { app, secret, .. } = *created;
    if json {
        // ZITADEL's words, whatever the language.
        let mut value = crate::i18n::in_english(|| {
            json!({
                "appId": app.id,
                "clientId": app.client_id,
                "name": app.name,
                "state": app.state().map_or_else(|| "active".to_owned(), |s| s.label().to_string()),
                "authMethod": method.label().to_string(),
            })
        });
        if let Some(secret) = &secret {
            value["clientSecret"] = json!(secret.expose());
        }
        print_json(&value).map_err(CliError)?;
    } else {
        print_fields(&[
            (crate::tr!("cli-field-app-id"), app.id.clone()),
            (crate::tr!("cli-field-client-id"), app.client_id.clone()),
            (crate::tr!("cli-field-name"), app.name.clone()),
            (
                crate::tr!("cli-field-auth-method"),
                method.label().to_string(),
            ),
            (
                crate::tr!("cli-field-client-secret"),
                match (&secret, method) {
                    (Some(secret), _) => secret.expose().to_owned(),
                    (None, AuthMethod::PrivateKeyJwt) => crate::tr!("cli-zitadel-secret-add-key"),
                    (None, AuthMethod::Basic) => crate::tr!("cli-not-returned-paren"),
                },
            ),
        ]);
    }
    if secret.is_some() {
        eprintln!("{}", secret_warning());
    }
    Ok(())
}

async fn set_active(
    client: &dyn Workspace,
    project: &str,
    id: &str,
    yes: bool,
    active: bool,
) -> Result<(), CliError> {
    let app = client.get_app(Some(project), id).await?;
    let described = describe(&app);
    let question = if active {
        crate::tr!("cli-confirm-reactivate", app = described.as_str())
    } else {
        crate::tr!("cli-confirm-deactivate", app = described.as_str())
    };
    let already = || {
        if active {
            crate::tr!("cli-already-active", app = described.as_str())
        } else {
            crate::tr!("cli-already-inactive", app = described.as_str())
        }
    };
    if production(client) {
        let what = if active {
            crate::tr!("cli-what-reactivate", app = described.as_str())
        } else {
            crate::tr!("cli-what-deactivate", app = described.as_str())
        };
        confirm_write_to(&client.info(), yes, &what)?;
    } else if !yes && std::io::stdin().is_terminal() && !confirm(&question)? {
        return Err(CliError(crate::tr!("cli-cancelled")));
    }
    // A change to the state the app already has is nothing to do: nothing is sent or logged.
    if (state_of(&app) == AppState::Active) == active {
        println!("{}", already());
        return Ok(());
    }
    let write = Write::SetActive {
        id: app.id.clone(),
        active,
    };
    match perform(client, Some(project), write).await {
        Ok(_) => {
            let done = if active {
                crate::tr!("cli-reactivated", app = described.as_str())
            } else {
                crate::tr!("cli-deactivated", app = described.as_str())
            };
            println!("{done}");
            Ok(())
        }
        // A colleague changed it meanwhile: ZITADEL refuses the state it already has.
        Err(e) if is_already(&e) => {
            println!("{}", already());
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn is_already(error: &crate::api::ApiError) -> bool {
    error.code.as_deref() == Some("FAILED_PRECONDITION") && error.kind == ErrorKind::Conflict
}

/// Whether writes here ask first (an instance on another computer).
fn production(workspace: &dyn Workspace) -> bool {
    crate::ops::confirmation(&workspace.info()).is_needed()
}

fn describe(app: &App) -> String {
    format!("{} (\"{}\")", app.id, app.name)
}

fn state_of(app: &App) -> AppState {
    app.state().unwrap_or(AppState::Active)
}

fn kind_of(app: &App) -> AppKind {
    app.api.as_ref().map_or(AppKind::Api, |api| api.kind)
}

/// "active" or "inactive", in the language in use (the table; `--json` keeps ZITADEL's words).
fn active_word(active: bool) -> String {
    if active {
        crate::tr!("cli-state-active")
    } else {
        crate::tr!("cli-state-inactive")
    }
}

fn state_word(state: AppState) -> String {
    active_word(state == AppState::Active)
}

/// The kind of app as a person reads it: API, OIDC, SAML or "other".
fn kind_word(kind: AppKind) -> String {
    match kind {
        AppKind::Api => "API".to_owned(),
        AppKind::Oidc => "OIDC".to_owned(),
        AppKind::Saml => "SAML".to_owned(),
        AppKind::Unknown => crate::tr!("cli-kind-other"),
    }
}

/// The auth method as the command line names it (`basic`, `private-key-jwt`: the words of
/// `--auth-method`), or the kind of an app that is not an API app.
fn auth_label(app: &App) -> String {
    match (kind_of(app), app.auth_method()) {
        (AppKind::Api, Some(method)) => method.label().to_string(),
        (AppKind::Api, None) => crate::tr!("cli-unknown"),
        (kind, _) => kind_word(kind),
    }
}

/// An API app as `--json` has always printed it: ZITADEL's fields, in its words.
fn app_json(app: &App) -> serde_json::Value {
    let mut value = json!({
        "appId": app.id,
        "clientId": app.client_id,
        "name": app.name,
        "state": state_of(app),
        "type": kind_of(app),
    });
    if let Some(api) = &app.api {
        for (key, field) in [
            ("authMethod", api.auth_method.map(|m| json!(m))),
            ("created", api.created.as_ref().map(|c| json!(c))),
            ("changed", api.changed.as_ref().map(|c| json!(c))),
        ] {
            if let Some(field) = field {
                value[key] = field;
            }
        }
    }
    value
}

fn print_app(project: &str, app: &App) {
    let secret = match (kind_of(app), app.auth_method()) {
        (AppKind::Api, Some(AuthMethod::Basic)) => crate::tr!("cli-zitadel-secret-hidden"),
        (AppKind::Api, Some(AuthMethod::PrivateKeyJwt)) => crate::tr!("cli-zitadel-secret-keys"),
        _ => crate::tr!("cli-zitadel-secret-elsewhere"),
    };
    let mut fields = vec![
        (crate::tr!("cli-field-app-id"), app.id.clone()),
        (crate::tr!("cli-field-client-id"), app.client_id.clone()),
        (crate::tr!("cli-field-name"), app.name.clone()),
        (crate::tr!("cli-field-type"), kind_word(kind_of(app))),
        (crate::tr!("cli-field-state"), state_word(state_of(app))),
        (crate::tr!("cli-field-auth-method"), auth_label(app)),
        (crate::tr!("cli-field-client-secret"), secret),
        (crate::tr!("cli-field-project"), project.to_owned()),
    ];
    let api = app.api.as_ref();
    if let Some(created) = api.and_then(|a| a.created.clone()) {
        fields.push((crate::tr!("cli-field-created"), created));
    }
    if let Some(changed) = api.and_then(|a| a.changed.clone()) {
        fields.push((crate::tr!("cli-field-changed"), changed));
    }
    print_fields(&fields);
}

/// Asks a question that ends in "[y/N]"; only "y" or "yes" goes on.
pub(super) fn confirm(question: &str) -> Result<bool, CliError> {
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    let answer = super::read_answer()?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
