//! `workflows create`, `workflows update` and `workflows node-types`: a workflow file is linted
//! first (an error stops it before anything is sent), then goes through the one write path of
//! the console and the command line, with its activity entry.

use std::path::Path;

use super::output::{print_masked_json, print_table, printable};
use super::workflow_show::severity_word;
use super::workflow_simulate::read_workflow;
use super::{CliError, confirm_write};
use crate::api::{Client, Workflow};
use crate::backends::hopae::HopaeWorkspace;
use crate::ops::{Outcome, Write};
use crate::workflow::{Graph, ProviderState, Severity, lint};

/// Creates the workflow in `file` on `app` under a new idempotency key.
pub async fn create(
    client: &Client,
    app: &str,
    file: &Path,
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let workflow = checked(client, app, file).await?;
    if workflow.name.trim().is_empty() {
        return Err(CliError(crate::tr!(
            "cli-workflow-file-no-name",
            path = file.display().to_string()
        )));
    }
    confirm_write(
        client,
        yes,
        &crate::tr!(
            "cli-what-create-workflow",
            name = printable(&workflow.name),
            app = printable(app)
        ),
    )?;
    let write = Write::CreateWorkflow {
        id: app.to_owned(),
        workflow: Box::new(workflow),
        idempotency_key: crate::api::new_idempotency_key(),
    };
    send(client, write, json).await
}

/// Replaces workflow `workflow_id` of `app` with the one in `file`.
pub async fn update(
    client: &Client,
    app: &str,
    workflow_id: &str,
    file: &Path,
    yes: bool,
    json: bool,
) -> Result<(), CliError> {
    let mut workflow = checked(client, app, file).await?;
    workflow.workflow_id = workflow_id.to_owned();
    if workflow.name.trim().is_empty() {
        // The name is kept: the server takes the fields it is sent, and a PATCH needs none.
        if let Some(current) = client
            .list_workflows(app)
            .await?
            .into_iter()
            .find(|w| w.workflow_id == workflow_id)
        {
            workflow.name = current.name;
        }
    }
    confirm_write(
        client,
        yes,
        &crate::tr!(
            "cli-what-replace-workflow",
            workflow = printable(workflow_id),
            app = printable(app),
            count = workflow.nodes.len(),
            path = file.display().to_string()
        ),
    )?;
    let write = Write::UpdateWorkflow {
        base_updated_at: None,
        id: app.to_owned(),
        workflow: Box::new(workflow),
    };
    send(client, write, json).await
}

/// Lists the node types the app's workflows may use, with their settings.
pub async fn node_types(client: &Client, app: &str, json: bool) -> Result<(), CliError> {
    let types = client.node_types(app).await?;
    if json {
        return print_masked_json(&types).map_err(CliError);
    }
    let rows: Vec<Vec<String>> = types
        .iter()
        .map(|t| {
            let fields: Vec<String> = t
                .fields
                .iter()
                .map(|f| {
                    let required = if f.required { "*" } else { "" };
                    format!("{}{required} ({})", f.name, f.field_type)
                })
                .collect();
            vec![t.node_type.clone(), t.label.clone(), fields.join(", ")]
        })
        .collect();
    print_table(
        &[
            crate::tr!("cli-col-type"),
            crate::tr!("cli-col-label"),
            crate::tr!("cli-col-settings"),
        ],
        &rows,
    );
    Ok(())
}

/// Reads the file and lints it against the app's providers: warnings are printed, an error
/// stops the command with exit 1 before anything is sent.
async fn checked(client: &Client, app: &str, file: &Path) -> Result<Workflow, CliError> {
    let workflow = read_workflow(file)?;
    let current = client.get_app(app).await?;
    let graph = Graph::build(&workflow);
    let findings = lint(&workflow, &graph, &ProviderState::of(&current));
    let mut errors = 0usize;
    for finding in &findings {
        if finding.severity == Severity::Error {
            errors += 1;
        }
        let word = severity_word(finding.severity);
        let message = finding.message.as_str();
        let line = match finding.node.and_then(|i| workflow.nodes.get(i)) {
            Some(node) => crate::tr!(
                "cli-lint-line-node",
                severity = word,
                node = node.id.as_str(),
                message = message
            ),
            None => crate::tr!("cli-lint-line", severity = word, message = message),
        };
        eprintln!("{line}");
    }
    if errors > 0 {
        return Err(CliError(crate::tr!(
            "cli-workflow-file-errors",
            count = errors,
            path = file.display().to_string()
        )));
    }
    Ok(workflow)
}

async fn send(client: &Client, write: Write, json: bool) -> Result<(), CliError> {
    let workspace = HopaeWorkspace::from_client(client.clone());
    let Outcome::WorkflowSaved { workflow, .. } =
        super::activity::perform(&workspace, None, write).await?
    else {
        return Err(CliError(crate::tr!("cli-workflow-other-answer")));
    };
    if json {
        return print_masked_json(&*workflow).map_err(CliError);
    }
    println!(
        "{}",
        crate::tr!(
            "cli-workflow-saved",
            name = printable(&workflow.name),
            id = workflow.workflow_id.as_str(),
            count = workflow.nodes.len(),
            entry = workflow.entry_node_id.as_deref().unwrap_or("-")
        )
    );
    Ok(())
}
