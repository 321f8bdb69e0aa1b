//! `workflows simulate`: runs a sample userinfo through a workflow (from a file, or an app's
//! as `workflows show` fetches it) and prints the way it goes, in words or as JSON. Every
//! outcome exits 0; only a file that cannot be read or is not what it should be exits 1.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::CliError;
use super::output::{print_masked_json, printable};
use super::workflow_show::fetch_workflow;
use crate::api::{Client, Workflow};
use crate::workflow::{self, NodeKind};

/// `workflows simulate (--file WORKFLOW.json | APP [WORKFLOW]) --input USERINFO.json`.
#[derive(Debug, Clone, clap::Args)]
pub struct SimulateArgs {
    /// The app's client id (not with --file).
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub app: Option<String>,
    /// Workflow id or name (default: the app's default workflow).
    pub workflow: Option<String>,
    /// Simulate the workflow in this JSON file instead of an app's; nothing is sent.
    #[arg(long, value_name = "WORKFLOW.json")]
    pub file: Option<PathBuf>,
    /// The userinfo a verification returns (a JSON object); rules read it as `input`.
    #[arg(long, value_name = "USERINFO.json")]
    pub input: PathBuf,
    /// Another userinfo for one verification node, from that node on (repeatable).
    #[arg(long = "mock", value_name = "NODE_ID=FILE")]
    pub mocks: Vec<String>,
    /// Print {outcome, path, endedAt, response, steps} as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the simulation; `client` is needed only without `--file`.
pub async fn simulate(args: SimulateArgs, client: Option<&Client>) -> Result<(), CliError> {
    // Local files first: a typo in a path fails before anything is fetched.
    let userinfo = read_object(&args.input, &crate::tr!("cli-file-kind-userinfo"))?;
    let mocks = read_mocks(&args.mocks)?;
    let workflow = match (&args.file, &args.app, client) {
        (Some(file), _, _) => read_workflow(file)?,
        (None, Some(app), Some(client)) => {
            fetch_workflow(client, app, args.workflow.as_deref())
                .await?
                .1
        }
        _ => {
            return Err(CliError(crate::tr!("cli-simulate-which-workflow")));
        }
    };
    note_unused_mocks(&workflow, &mocks);
    if args.json {
        // The steps' reasons and routes are made in English: `--json` never changes with the
        // language. The one masking rule: a response setting named like a secret is never
        // printed.
        let json =
            crate::i18n::in_english(|| workflow::simulate(&workflow, &userinfo, &mocks).to_json());
        return print_masked_json(&json).map_err(CliError);
    }
    let simulation = workflow::simulate(&workflow, &userinfo, &mocks);
    for line in simulation.trace() {
        println!("{}", printable(&line));
    }
    Ok(())
}

/// `NODE_ID=FILE` pairs, each file a JSON object.
fn read_mocks(pairs: &[String]) -> Result<HashMap<String, Value>, CliError> {
    pairs
        .iter()
        .map(|pair| {
            let Some((node, file)) = pair
                .split_once('=')
                .filter(|(n, f)| !n.is_empty() && !f.is_empty())
            else {
                return Err(CliError(crate::tr!(
                    "cli-simulate-mock-format",
                    value = printable(pair)
                )));
            };
            let what = crate::tr!("cli-file-kind-mock", node = printable(node));
            Ok((node.to_owned(), read_object(Path::new(file), &what)?))
        })
        .collect()
}

/// A mock for a node that is not a verification node changes nothing; say so.
fn note_unused_mocks(workflow: &Workflow, mocks: &HashMap<String, Value>) {
    for id in mocks.keys() {
        let verification = workflow
            .nodes
            .iter()
            .find(|node| &node.id == id)
            .is_some_and(|node| NodeKind::from_type(&node.node_type) == NodeKind::Verification);
        if !verification {
            eprintln!(
                "{}",
                crate::tr!("cli-simulate-mock-unused", node = printable(id))
            );
        }
    }
}

pub(super) fn read_workflow(path: &Path) -> Result<Workflow, CliError> {
    let value = read_json(path, &crate::tr!("cli-file-kind-workflow"))?;
    if !value.get("nodes").is_some_and(Value::is_array) {
        return Err(CliError(crate::tr!(
            "cli-workflow-file-no-nodes",
            path = shown(path)
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        CliError(crate::tr!(
            "cli-workflow-file-unreadable",
            path = shown(path),
            error = e.to_string()
        ))
    })
}

fn read_object(path: &Path, what: &str) -> Result<Value, CliError> {
    let value = read_json(path, what)?;
    if value.is_object() {
        return Ok(value);
    }
    Err(CliError(crate::tr!(
        "cli-file-not-object",
        what = what,
        path = shown(path),
        kind = kind_of(&value)
    )))
}

fn read_json(path: &Path, what: &str) -> Result<Value, CliError> {
    let bytes = std::fs::read(path).map_err(|e| {
        CliError(crate::tr!(
            "cli-file-read-failed",
            what = what,
            path = shown(path),
            error = e.to_string()
        ))
    })?;
    // Editors on Windows may start a UTF-8 file with a byte-order mark.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    serde_json::from_slice(text).map_err(|e| {
        CliError(crate::tr!(
            "cli-file-not-json",
            what = what,
            path = shown(path),
            error = e.to_string()
        ))
    })
}

fn shown(path: &Path) -> String {
    format!("\"{}\"", printable(&path.display().to_string()))
}

fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => crate::tr!("cli-json-kind-bool"),
        Value::Number(_) => crate::tr!("cli-json-kind-number"),
        Value::String(_) => crate::tr!("cli-json-kind-string"),
        Value::Array(_) => crate::tr!("cli-json-kind-list"),
        Value::Object(_) => crate::tr!("cli-json-kind-object"),
    }
}
