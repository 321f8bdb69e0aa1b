//! The command line's shape (clap): commands, flags and their help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use super::zitadel::{AuthMethodArg, ProjectsCommand, ZitadelArgs};
use crate::secret::Secret;

/// Manage Hopae Connect apps (OIDC clients) from the desktop or a script.
///
/// With no command, opens the console on a local sandbox with demo data.
#[derive(Debug, Parser)]
#[command(name = "connect-console", version = env!("CONNECT_BUILD_VERSION"), propagate_version = true)]
pub struct Cli {
    /// Log each API call (method, path, status, duration, request id) to stderr; -vv for more.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Language of messages, prompts and tables (default: CONNECT_LANG, then the system's).
    /// `--json` output and `-v` logs never change with it.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// A language of `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    En,
    Ko,
}

impl LangArg {
    pub fn language(self) -> crate::i18n::Language {
        match self {
            LangArg::En => crate::i18n::Language::English,
            LangArg::Ko => crate::i18n::Language::Korean,
        }
    }
}

/// Options of the console window (no command).
#[derive(Debug, Clone, Args)]
pub struct WindowArgs {
    /// Colour theme; by default the console follows the system and remembers the last toggle.
    #[arg(long, value_enum, value_name = "THEME")]
    pub theme: Option<ThemeChoice>,
    /// Add this many generated apps to the local sandbox's demo data, to try a large workspace.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub extra_apps: usize,
    /// Open on this workspace instead of the local sandbox. The key comes from CONNECT_API_KEY
    /// or from the system keyring (saved by an earlier "Connect…").
    #[arg(long, value_name = "URL")]
    pub connect: Option<String>,
    /// Open the import wizard on this CSV file.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// With --connect: the kind of server (a ZITADEL instance's origin takes a personal access
    /// token in CONNECT_API_KEY or the keyring).
    #[arg(
        long,
        value_enum,
        value_name = "BACKEND",
        default_value = "hopae",
        requires = "connect"
    )]
    pub backend: crate::backends::BackendKind,
    /// With --backend zitadel: the organization to act in (default: the token's own).
    #[arg(long, value_name = "ID", requires = "connect")]
    pub org: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeChoice {
    Dark,
    Light,
}

impl WindowArgs {
    /// What the window needs of these arguments.
    pub fn start_options(&self, lang: Option<crate::i18n::Language>) -> crate::ui::StartOptions {
        crate::ui::StartOptions {
            lang,
            theme: self.theme.map(|t| match t {
                ThemeChoice::Dark => crate::ui::Theme::Dark,
                ThemeChoice::Light => crate::ui::Theme::Light,
            }),
            extra_apps: self.extra_apps,
            connect: self.connect.clone(),
            backend: self.backend,
            org: self.org.clone(),
            import: self.import.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, create, rename and export apps; change webhooks; rotate secrets; list
    /// providers.
    Apps {
        #[command(flatten)]
        connection: ConnectionArgs,
        #[command(subcommand)]
        command: AppsCommand,
    },
    /// Show the verification workflows of an app, or run a sample user through one.
    Workflows {
        #[command(flatten)]
        connection: ConnectionArgs,
        #[command(subcommand)]
        command: WorkflowsCommand,
    },
    /// List the projects of a ZITADEL organisation (with --backend zitadel).
    Projects {
        #[command(flatten)]
        connection: ConnectionArgs,
        #[command(subcommand)]
        command: ProjectsCommand,
    },
    /// Create apps from a CSV file exported from a spreadsheet (safe to run again).
    Import(ImportArgs),
    /// Show the writes made from this computer (newest first): time, workspace, action, app,
    /// outcome and request id.
    Activity(ActivityArgs),
    /// Run the local Connect-compatible sandbox server (for scripts and tests).
    Sandbox(SandboxArgs),
}

/// `import FILE`: one app per row. Columns: name (required), redirectUris, webhookUrl,
/// externalId. Running the same file again creates nothing twice; an interrupted import resumes.
/// With --backend zitadel: one API app per row in the project, identified by its name.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The CSV (or tab-separated) file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the file and print what would happen, without sending anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Column delimiter: , ; | or tab (default: detected).
    #[arg(long, value_name = "C", value_parser = crate::import::parse::parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Text encoding, e.g. utf-8, utf-16le, windows-1252, shift_jis (default: detected).
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Batches of 100 sent at once at the start (1 to 16; ZITADEL: single creates); halved
    /// when the server struggles (429, 5xx) and raised by one after each clean batch, up to 16.
    #[arg(long, value_name = "N", default_value_t = crate::import::run::DEFAULT_CONCURRENCY,
          value_parser = parse_concurrency)]
    pub concurrency: usize,
    /// What to do with a row whose name (or external id) matches an app the workspace has:
    /// skip it (default), update its redirect URIs and webhook URL where they differ, or
    /// create a second app with the same name.
    #[arg(long, value_name = "skip|update|create", default_value = "skip",
          value_parser = parse_existing)]
    pub existing: crate::import::ExistingMode,
    /// Do not ask before importing into a production workspace (required there when no
    /// terminal can ask).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Write every row's outcome (row, name, externalId, clientId, status, error) to this CSV.
    #[arg(long, value_name = "OUT.csv")]
    pub results: Option<PathBuf>,
    /// Add the new apps' client secrets to this CSV (created readable only by you; an
    /// existing file is appended to). Required for a real import: secrets are shown only once.
    #[arg(long, value_name = "OUT.csv")]
    pub secrets: Option<PathBuf>,
    /// Print the outcome as JSON (never with secrets).
    #[arg(long)]
    pub json: bool,
    /// Where the import journal is kept (default: the app's data directory).
    #[arg(long, value_name = "DIR", env = "CONNECT_IMPORT_JOURNAL_DIR")]
    pub journal_dir: Option<PathBuf>,
    /// ZITADEL: how the new API apps authenticate: basic (the default; each gets a client
    /// secret, saved to --secrets) or private-key-jwt (signs with keys, no secret; each gets a
    /// key, its file written to --keys-dir).
    #[arg(long, value_enum, value_name = "METHOD")]
    pub auth_method: Option<AuthMethodArg>,
    /// ZITADEL, private-key-jwt: write each new app's key file into this folder (created
    /// readable only by you). Required for such an import, in place of --secrets.
    #[arg(long, value_name = "DIR")]
    pub keys_dir: Option<PathBuf>,
    /// When the new keys stop working: YYYY-MM-DD (the end of that day, UTC), RFC 3339, or
    /// never. Default: one year from now.
    #[arg(long, value_name = "DATE|never", requires = "keys_dir")]
    pub expires: Option<String>,
}

/// `activity`: the activity log, newest first.
#[derive(Debug, Clone, Args)]
pub struct ActivityArgs {
    /// Print the entries as JSON (a list, newest first).
    #[arg(long)]
    pub json: bool,
    /// How many entries to show.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Only entries whose app, name, workspace, action, error or request id contains this.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only this action: create, rename, redirect-uris, webhook, rotate-secret,
    /// rotate-webhook-secret, import, deactivate, reactivate.
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Only writes that failed.
    #[arg(long)]
    pub failed: bool,
}

/// Where to connect. The API key is read from the environment or the flag, never from a file.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Workspace API base URL, e.g. https://sandbox.api.hopae.com/connect/v1 (default: Hopae's
    /// sandbox or production, from the key's prefix). With --backend zitadel: the instance
    /// address, e.g. https://example-abc123.zitadel.cloud.
    #[arg(long, global = true, env = "CONNECT_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// Workspace API key (sk_workspace_test_... or sk_workspace_prod_...), or with --backend
    /// zitadel a personal access token. Prefer the environment variable: a flag is visible to
    /// other users in the process list.
    #[arg(
        long,
        global = true,
        env = "CONNECT_API_KEY",
        hide_env_values = true,
        value_name = "KEY",
        value_parser = parse_secret
    )]
    pub api_key: Option<Secret>,
    /// Give up on a call after this many seconds, retries included (default 30). Each attempt
    /// also fails after 10 s without a byte from the server.
    #[arg(
        long,
        global = true,
        env = "CONNECT_TIMEOUT",
        value_name = "SECONDS",
        value_parser = parse_timeout
    )]
    pub timeout: Option<u64>,
    /// Also trust the certificate authorities in this PEM file (a company's own authority, or
    /// the one a TLS-inspecting proxy signs with), besides the built-in roots and the system's
    /// store (or SSL_CERT_FILE / SSL_CERT_DIR). An unreadable file, or one with no certificate,
    /// is refused before anything is sent.
    #[arg(long, global = true, env = "CONNECT_CA_FILE", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// The backend, and for ZITADEL the project and organisation.
    #[command(flatten)]
    pub zitadel: ZitadelArgs,
}

#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// List every app of the workspace.
    List {
        /// Keep only apps whose name or client id contains this text (any case).
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Print JSON (camelCase App objects, without secrets) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one app.
    Get {
        /// The app's client id (ZITADEL: its app id or client id).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Create an app; its client secret is printed once.
    Create {
        /// Display name of the new app.
        name: String,
        /// Print the created app as JSON, including its client secret.
        #[arg(long)]
        json: bool,
        /// Do not ask first in a production workspace.
        #[arg(long, short = 'y')]
        yes: bool,
        /// ZITADEL: how the API app authenticates (basic has a client secret,
        /// private-key-jwt signs with keys and has none).
        #[arg(long, value_enum, value_name = "METHOD")]
        auth_method: Option<AuthMethodArg>,
        /// Hopae: a redirect URI saved with the new app (repeat for more; the first is used when
        /// a sign-in names none).
        #[arg(long = "redirect-uri", value_name = "URL")]
        redirect_uri: Vec<String>,
    },
    /// Rename an app.
    Rename {
        /// The app's client id (ZITADEL: its app id or client id).
        id: String,
        /// The new name.
        name: String,
        #[arg(long)]
        json: bool,
        /// Do not ask first in a production workspace.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Replace an app's redirect URIs (https only; http only for localhost; at most 20).
    RedirectUris {
        /// The app's client id.
        id: String,
        /// The new list; give none together with --clear to remove them all.
        #[arg(value_name = "URI", required_unless_present = "clear")]
        uris: Vec<String>,
        /// Remove every redirect URI.
        #[arg(long, conflicts_with = "uris")]
        clear: bool,
        #[arg(long)]
        json: bool,
        /// Do not ask first in a production workspace.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Issue a new client secret; the old one stops working immediately.
    RotateSecret {
        /// The app's client id (ZITADEL: its app id or client id).
        id: String,
        /// Print `{"clientId", "clientSecret"}` as JSON.
        #[arg(long)]
        json: bool,
        /// Do not ask for confirmation (asked on a terminal; in a production workspace with no
        /// terminal, --yes is required).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Show an app's webhook, or change it: only the settings given are sent, and only where
    /// they differ (the API merges them into the stored config).
    Webhook {
        /// The app's client id.
        id: String,
        /// Deliver to this https address.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Turn deliveries on (needs an address, set now or before).
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Turn deliveries off (the settings are kept).
        #[arg(long)]
        disable: bool,
        /// The events to deliver, comma-separated (e.g. verification.completed,verification.failed);
        /// "" for none.
        #[arg(long, value_name = "A,B")]
        events: Option<String>,
        /// Delivery attempts after a failure (0 to 10).
        #[arg(long, value_name = "N")]
        retries: Option<u32>,
        /// Seconds one delivery may take (1 to 30).
        #[arg(long, value_name = "SECONDS")]
        timeout_seconds: Option<u32>,
        /// Print `{clientId, name, webhookConfig}` as JSON.
        #[arg(long)]
        json: bool,
        /// Do not ask first in a production workspace.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Issue a new webhook signing secret; signatures made with the old one stop verifying
    /// immediately. The secret is printed once.
    RotateWebhookSecret {
        /// The app's client id.
        id: String,
        /// Print `{"clientId", "secret"}` as JSON.
        #[arg(long)]
        json: bool,
        /// Do not ask for confirmation (asked on a terminal; in a production workspace with no
        /// terminal, --yes is required).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// List the identity providers an app can use: countries, levels of assurance, whether
    /// enabled, and where each one's activation stands with what it still requires.
    Providers {
        /// The app's client id.
        id: String,
        /// Print the catalog as JSON (credential-looking values masked).
        #[arg(long)]
        json: bool,
    },
    /// Export every app without secrets: a CSV in the import's format (it imports back), or
    /// JSON.
    Export {
        /// csv (name, redirectUris, webhookUrl, externalId) or json.
        #[arg(long, value_name = "csv|json", default_value = "csv", value_parser = parse_format)]
        format: crate::export::Format,
        /// Write to this file instead of the standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Where the import journal is kept, for the external ids of imported apps (default:
        /// the app's data directory).
        #[arg(long, value_name = "DIR", env = "CONNECT_IMPORT_JOURNAL_DIR")]
        journal_dir: Option<PathBuf>,
    },
    /// ZITADEL: stop an app from accepting logins until it is reactivated.
    Deactivate {
        /// The app's app id or client id.
        id: String,
        /// Do not ask for confirmation (it is only asked on a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// ZITADEL: let a deactivated app accept logins again.
    Reactivate {
        /// The app's app id or client id.
        id: String,
        /// Do not ask for confirmation (it is only asked on a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// ZITADEL: the keys of an app that signs in with a private key JWT.
    #[command(subcommand)]
    Keys(KeysCommand),
}

/// `apps keys …`: list, add and delete the keys of a private-key-jwt app.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List an app's keys: id, type, expiry, created (never the keys themselves).
    List {
        /// The app's app id or client id.
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a key and write its key file (shown by ZITADEL this once) to FILE, readable only by
    /// you. FILE must not exist yet.
    Add {
        /// The app's app id or client id.
        app: String,
        /// When the key stops working: YYYY-MM-DD (the end of that day, UTC), RFC 3339, or
        /// never. Default: one year from now.
        #[arg(long, value_name = "DATE|never")]
        expires: Option<String>,
        /// Where to write the key file.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: PathBuf,
        /// Do not ask first on a remote instance.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Print `{keyId, expires, path}` as JSON (never the key).
        #[arg(long)]
        json: bool,
    },
    /// Delete a key: whatever signs with it stops working at once.
    Delete {
        /// The app's app id or client id.
        app: String,
        /// The key's id (from `apps keys list`).
        key_id: String,
        /// Do not ask for confirmation (asked on a terminal; with no terminal, --yes is
        /// required).
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkflowsCommand {
    /// List an app's workflows.
    List {
        /// The app's client id.
        app: String,
        #[arg(long)]
        json: bool,
    },
    /// Show one workflow: its nodes in order, its problems (--lint) or Graphviz DOT (--dot).
    Show {
        /// The app's client id.
        app: String,
        /// Workflow id or name (default: the app's default workflow).
        workflow: Option<String>,
        /// List the workflow's problems; exits 1 if any of them is an error.
        #[arg(long, conflicts_with = "dot")]
        lint: bool,
        /// Print the graph as Graphviz DOT (for example `| dot -Tsvg > workflow.svg`).
        #[arg(long)]
        dot: bool,
    },
    /// Run a sample user through a workflow: every node they pass, why, and how it ends
    /// (completed, rejected, stuck, invalid or loop). Sends nothing; exits 0 for every outcome.
    Simulate(super::workflow_simulate::SimulateArgs),
    /// Create a workflow from a JSON file (name, entryNodeId, nodes). It is linted first: an
    /// error is printed and nothing is sent (exit 1).
    Create {
        /// The app's client id.
        app: String,
        /// The workflow as JSON.
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Do not ask first in a production workspace.
        #[arg(long, short = 'y')]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Replace a workflow's name, entry node and nodes with those of a JSON file (linted first).
    Update {
        /// The app's client id.
        app: String,
        /// The workflow's id (wf_…).
        workflow_id: String,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
        /// Do not ask first in a production workspace.
        #[arg(long, short = 'y')]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// The node types workflows may use, with their settings (required ones marked).
    NodeTypes {
        /// The app's client id.
        app: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Seed demo apps (names in several scripts) and workflows (branching, 40 nodes, broken).
    #[arg(long)]
    pub demo: bool,
    /// Also create this many generated apps ("Customer 00001", ...).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub generate: usize,
    /// Accept only this API key (default: any sk_workspace_test_ key).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Delay added to every request, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
    /// Share of requests (0 to 1) answered 500, or 429 with Retry-After.
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = parse_rate)]
    pub fail_rate: f64,
    /// Share of writes (0 to 1) that commit and then drop the connection without an answer.
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = parse_rate)]
    pub drop_rate: f64,
    /// Seed for ids, secrets and injected faults (default: random).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Load the workspace from this file at start and save it atomically after each change.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Serve a ZITADEL management API v1 (projects and API apps) at http://127.0.0.1:PORT
    /// instead; it accepts any token starting with FAKE_PAT_ (FAKE_PAT_READONLY_ may only
    /// read), or only --api-key.
    #[arg(long, conflicts_with = "state")]
    pub zitadel: bool,
}

fn parse_concurrency(text: &str) -> Result<usize, String> {
    let max = crate::import::run::MAX_CONCURRENCY;
    match text.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("\"{text}\" is not a number from 1 to {max}")),
    }
}

fn parse_format(text: &str) -> Result<crate::export::Format, String> {
    text.parse()
}

fn parse_existing(text: &str) -> Result<crate::import::ExistingMode, String> {
    text.parse()
}

/// The key is held as a `Secret` from the moment it is parsed, so no `Debug` prints it.
fn parse_secret(text: &str) -> Result<Secret, String> {
    Ok(Secret::new(text))
}

fn parse_timeout(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(secs) if (1..=3600).contains(&secs) => Ok(secs),
        _ => Err(format!(
            "\"{text}\" is not a number of seconds from 1 to 3600"
        )),
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "\"{text}\" is not a rate between 0 and 1 (for example 0.1)"
        )),
    }
}
