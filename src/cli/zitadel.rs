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
use super::{AppsCommand, CliError, ConnectionArgs, SECRET_WARNING, confirm_write_to};
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

const NOT_CONFIGURED: &str = "No ZITADEL instance is configured. Set CONNECT_BASE_URL to the \
instance address (like https://example-abc123.zitadel.cloud) and CONNECT_API_KEY to a service \
user's personal access token, or pass --base-url and --api-key. To try it without an instance, \
run `connect-console sandbox --zitadel --demo` and use CONNECT_BASE_URL=http://127.0.0.1:8787 \
CONNECT_API_KEY=FAKE_PAT_demo";

const NO_PROJECT: &str = "No ZITADEL project is chosen. Pass --project ID or set \
ZITADEL_PROJECT_ID; `connect-console projects list --backend zitadel` shows the project ids";

/// Whether the command line is pointed at ZITADEL.
pub fn selected(args: &ConnectionArgs) -> bool {
    args.zitadel.backend == BackendKind::Zitadel
}

/// For commands that only Hopae Connect has.
pub fn not_on_zitadel() -> CliError {
    CliError(
        "ZITADEL apps have no verification workflows; these commands work with a Hopae Connect \
         workspace (--backend hopae)"
            .into(),
    )
}

/// For options and commands that only ZITADEL has.
pub fn not_on_hopae() -> CliError {
    CliError(
        "Hopae Connect apps have no auth method choice and cannot be deactivated; --auth-method, \
         `apps deactivate` and `apps reactivate` work with a ZITADEL instance (--backend zitadel)"
            .into(),
    )
}

/// Opens the instance from flags or environment; without an address or token, says how.
pub(super) fn workspace(args: &ConnectionArgs) -> Result<Arc<dyn Workspace>, CliError> {
    let token = args
        .api_key
        .clone()
        .filter(|k| !k.expose().trim().is_empty());
    let origin = args.base_url.as_deref().filter(|u| !u.trim().is_empty());
    let (Some(token), Some(origin)) = (token, origin) else {
        return Err(CliError(NOT_CONFIGURED.into()));
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
        .ok_or_else(|| CliError(NO_PROJECT.into()))
}

/// `projects list`.
pub async fn projects(args: &ConnectionArgs, command: ProjectsCommand) -> Result<(), CliError> {
    if !selected(args) {
        return Err(CliError(
            "Hopae Connect workspaces have no projects; `projects list` works with a ZITADEL \
             instance (--backend zitadel)"
                .into(),
        ));
    }
    let workspace = workspace(args)?;
    match command {
        ProjectsCommand::List { json } => {
            let projects = workspace.list_scopes().await?;
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
                .map(|p| vec![p.id.clone(), p.name.clone(), state(p.active).to_owned()])
                .collect();
            print_table(&["PROJECT ID", "NAME", "STATE"], &rows);
            eprintln!("{} project(s)", projects.len());
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
                        state_of(app).label().to_owned(),
                        auth_label(app),
                    ]
                })
                .collect();
            print_table(&["APP ID", "CLIENT ID", "NAME", "STATE", "AUTH"], &rows);
            eprintln!("{} app(s)", apps.len());
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
                return Err(CliError(
                    "ZITADEL API apps have no redirect URIs; leave out --redirect-uri".into(),
                ));
            }
            let what = format!("Create the app \"{}\"", super::printable(&name));
            confirm_write_to(&client.info(), yes, &what)?;
            create(client, project, &name, json, auth_method).await
        }
        AppsCommand::RedirectUris { .. } => Err(CliError(
            "ZITADEL API applications have no redirect URIs; they belong to OIDC applications"
                .into(),
        )),
        AppsCommand::Webhook { .. }
        | AppsCommand::RotateWebhookSecret { .. }
        | AppsCommand::Providers { .. }
        | AppsCommand::Export { .. } => Err(CliError(
            "ZITADEL API applications have no webhooks or identity-provider catalog here, and \
             export writes the Hopae import's format; these commands work with a Hopae Connect \
             workspace (--backend hopae)"
                .into(),
        )),
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
                let what = format!(
                    "Rename {} to \"{}\"",
                    describe(&app),
                    super::printable(&name)
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
                println!("{} is already named \"{name}\"; nothing to change", app.id);
            } else {
                println!("Renamed {} to \"{name}\"", app.id);
            }
            Ok(())
        }
        AppsCommand::RotateSecret { id, json, yes } => {
            let app = client.get_app(Some(project), &id).await?;
            // Only a BASIC API app gets this far; the client refuses others without asking.
            let rotatable = app.auth_method() == Some(AuthMethod::Basic);
            if rotatable && production(client) {
                // Production asks its own, stronger question (or needs --yes).
                let what = format!("Rotate the secret of {}", describe(&app));
                confirm_write_to(&client.info(), yes, &what)?;
            } else if rotatable
                && !yes
                && std::io::stdin().is_terminal()
                && !confirm(&format!(
                    "The current secret of {} will stop working immediately. Issue a new one? [y/N] ",
                    describe(&app)
                ))?
            {
                return Err(CliError("Cancelled; the secret was not changed".into()));
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
            if json {
                print_json(&json!({
                    "appId": app.id,
                    "clientId": app.client_id,
                    "clientSecret": secret.expose(),
                }))
                .map_err(CliError)?;
            } else {
                print_fields(&[
                    ("App ID", app.id.clone()),
                    ("Client ID", app.client_id.clone()),
                    ("New client secret", secret.expose().to_owned()),
                ]);
            }
            eprintln!("{SECRET_WARNING} The previous secret no longer works.");
            Ok(())
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
        return Err(CliError(
            "Choose how the app authenticates: --auth-method basic (a client secret, printed \
             once) or --auth-method private-key-jwt (keys, no secret)"
                .into(),
        ));
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
        return Err(CliError(
            "The server answered a create with something else".into(),
        ));
    };
    let Created { app, secret, .. } = *created;
    if json {
        let mut value = json!({
            "appId": app.id,
            "clientId": app.client_id,
            "name": app.name,
            "state": app.state().map_or("active", |s| s.label()),
            "authMethod": method.label(),
        });
        if let Some(secret) = &secret {
            value["clientSecret"] = json!(secret.expose());
        }
        print_json(&value).map_err(CliError)?;
    } else {
        print_fields(&[
            ("App ID", app.id.clone()),
            ("Client ID", app.client_id.clone()),
            ("Name", app.name.clone()),
            ("Auth method", method.label().to_owned()),
            (
                "Client secret",
                match (&secret, method) {
                    (Some(secret), _) => secret.expose().to_owned(),
                    (None, AuthMethod::PrivateKeyJwt) => {
                        "none: the app signs with keys; add one in the ZITADEL console".to_owned()
                    }
                    (None, AuthMethod::Basic) => "(not returned)".to_owned(),
                },
            ),
        ]);
    }
    if secret.is_some() {
        eprintln!("{SECRET_WARNING}");
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
    let question = if active {
        format!(
            "{} will accept logins again. Reactivate it? [y/N] ",
            describe(&app)
        )
    } else {
        format!(
            "{} will stop accepting logins until it is reactivated. Deactivate it? [y/N] ",
            describe(&app)
        )
    };
    let state = if active { "active" } else { "inactive" };
    if production(client) {
        let verb = if active { "Reactivate" } else { "Deactivate" };
        confirm_write_to(&client.info(), yes, &format!("{verb} {}", describe(&app)))?;
    } else if !yes && std::io::stdin().is_terminal() && !confirm(&question)? {
        return Err(CliError("Cancelled; nothing was changed".into()));
    }
    // A change to the state the app already has is nothing to do: nothing is sent or logged.
    if (state_of(&app) == AppState::Active) == active {
        println!("{} is already {state}; nothing to change", describe(&app));
        return Ok(());
    }
    let write = Write::SetActive {
        id: app.id.clone(),
        active,
    };
    match perform(client, Some(project), write).await {
        Ok(_) => {
            let done = if active { "Reactivated" } else { "Deactivated" };
            println!("{done} {}", describe(&app));
            Ok(())
        }
        // A colleague changed it meanwhile: ZITADEL refuses the state it already has.
        Err(e) if is_already(&e) => {
            println!("{} is already {state}; nothing to change", describe(&app));
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

fn auth_label(app: &App) -> String {
    match (kind_of(app), app.auth_method()) {
        (AppKind::Api, Some(method)) => method.label().to_owned(),
        (AppKind::Api, None) => "unknown".to_owned(),
        (kind, _) => kind.label().to_owned(),
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
        (AppKind::Api, Some(AuthMethod::Basic)) => {
            "hidden (shown only when created or regenerated)"
        }
        (AppKind::Api, Some(AuthMethod::PrivateKeyJwt)) => "none: the app signs with keys",
        _ => "managed in the ZITADEL console",
    };
    let mut fields = vec![
        ("App ID", app.id.clone()),
        ("Client ID", app.client_id.clone()),
        ("Name", app.name.clone()),
        ("Type", kind_of(app).label().to_owned()),
        ("State", state_of(app).label().to_owned()),
        ("Auth method", auth_label(app)),
        ("Client secret", secret.to_owned()),
        ("Project", project.to_owned()),
    ];
    let api = app.api.as_ref();
    if let Some(created) = api.and_then(|a| a.created.clone()) {
        fields.push(("Created", created));
    }
    if let Some(changed) = api.and_then(|a| a.changed.clone()) {
        fields.push(("Changed", changed));
    }
    print_fields(&fields);
}

pub(super) fn confirm(question: &str) -> Result<bool, CliError> {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError(format!("could not read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
