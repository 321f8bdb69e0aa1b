//! `workflows show`: one workflow's nodes in reading order, its lint findings, or Graphviz DOT.

use super::CliError;
use super::output::print_table;
use crate::api::{App, Client, Workflow};
use crate::workflow::{self, Graph, LayoutConfig, ProviderState, Severity};

/// What `workflows show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowMode {
    Nodes,
    Lint,
    Dot,
}

/// Fetches the app (and its workflows, if the app does not carry them) and prints one workflow.
/// With [`ShowMode::Lint`], any error finding makes the command fail (exit 1).
pub async fn show(
    client: &Client,
    app_id: &str,
    wanted: Option<&str>,
    mode: ShowMode,
) -> Result<(), CliError> {
    let (app, workflow) = fetch_workflow(client, app_id, wanted).await?;
    let workflow = &workflow;
    let graph = Graph::build(workflow);
    match mode {
        ShowMode::Dot => {
            print!("{}", workflow::to_dot(workflow, &graph));
            Ok(())
        }
        ShowMode::Nodes => {
            println!("{}", heading(&app, workflow));
            print_table(
                &[
                    "#".to_owned(),
                    crate::tr!("cli-col-node-id"),
                    crate::tr!("cli-col-type"),
                    crate::tr!("cli-col-mark"),
                    crate::tr!("cli-col-summary"),
                    crate::tr!("cli-col-next"),
                ],
                &node_rows(workflow, &graph),
            );
            let findings = workflow::lint(workflow, &graph, &ProviderState::of(&app));
            if !findings.is_empty() {
                eprintln!(
                    "{}",
                    crate::tr!("cli-workflow-problems-hint", count = findings.len())
                );
            }
            Ok(())
        }
        ShowMode::Lint => {
            let findings = workflow::lint(workflow, &graph, &ProviderState::of(&app));
            println!("{}", heading(&app, workflow));
            if findings.is_empty() {
                println!("{}", crate::tr!("cli-workflow-no-problems"));
                return Ok(());
            }
            let rows: Vec<Vec<String>> = findings
                .iter()
                .map(|f| {
                    vec![
                        severity_word(f.severity),
                        f.node
                            .map_or_else(|| "-".to_owned(), |i| graph.nodes[i].id.clone()),
                        f.message.clone(),
                    ]
                })
                .collect();
            print_table(
                &[
                    crate::tr!("cli-col-severity"),
                    crate::tr!("cli-col-node"),
                    crate::tr!("cli-col-problem"),
                ],
                &rows,
            );
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let warnings = findings.len() - errors;
            if errors > 0 {
                return Err(CliError(crate::tr!(
                    "cli-workflow-has-errors",
                    name = workflow.name.as_str(),
                    errors = errors,
                    warnings = warnings
                )));
            }
            eprintln!(
                "{}",
                crate::tr!("cli-workflow-warnings-only", count = warnings)
            );
            Ok(())
        }
    }
}

/// The app (with its workflows, listed when the app does not carry them) and the workflow
/// asked for; `workflows show` and `workflows simulate` both fetch through here.
pub async fn fetch_workflow(
    client: &Client,
    app_id: &str,
    wanted: Option<&str>,
) -> Result<(App, Workflow), CliError> {
    let mut app = client.get_app(app_id).await?;
    if app.workflows.is_empty() {
        app.workflows = client.list_workflows(app_id).await?;
    }
    let workflow = pick_workflow(&app, wanted)?.clone();
    Ok((app, workflow))
}

/// The workflow named by id or (any case) by name, or the app's default one.
pub fn pick_workflow<'a>(app: &'a App, wanted: Option<&str>) -> Result<&'a Workflow, CliError> {
    let Some(wanted) = wanted else {
        return app.default_workflow().ok_or_else(|| {
            CliError(crate::tr!(
                "cli-app-no-workflows",
                app = app.client_id.as_str()
            ))
        });
    };
    let by_id = app.workflows.iter().find(|w| w.workflow_id == wanted);
    let by_name = || {
        let mut matching = app
            .workflows
            .iter()
            .filter(|w| w.name.eq_ignore_ascii_case(wanted.trim()));
        match (matching.next(), matching.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    };
    by_id.or_else(by_name).ok_or_else(|| {
        let known: Vec<String> = app
            .workflows
            .iter()
            .map(|w| format!("{} ({})", w.workflow_id, w.name))
            .collect();
        CliError(crate::tr!(
            "cli-app-no-such-workflow",
            app = app.client_id.as_str(),
            wanted = wanted,
            workflows = (if known.is_empty() {
                crate::tr!("common-none")
            } else {
                known.join(", ")
            })
        ))
    })
}

fn heading(app: &App, workflow: &Workflow) -> String {
    let is_default = app.default_workflow().map(|w| &w.workflow_id) == Some(&workflow.workflow_id);
    let id = workflow.workflow_id.as_str();
    let name = workflow.name.as_str();
    let count = workflow.nodes.len();
    let entry = workflow
        .entry_node_id
        .clone()
        .unwrap_or_else(|| crate::tr!("cli-none-paren"));
    if is_default {
        crate::tr!(
            "cli-workflow-heading-default",
            id = id,
            name = name,
            count = count,
            entry = entry
        )
    } else {
        crate::tr!(
            "cli-workflow-heading",
            id = id,
            name = name,
            count = count,
            entry = entry
        )
    }
}

/// "error" or "warning", in the language in use.
pub(super) fn severity_word(severity: Severity) -> String {
    match severity {
        Severity::Error => crate::tr!("cli-severity-error"),
        Severity::Warning => crate::tr!("cli-severity-warning"),
    }
}

/// One row per node in reading order (layer by layer from the entry).
pub fn node_rows(workflow: &Workflow, graph: &Graph) -> Vec<Vec<String>> {
    let layout = workflow::layout(graph, &LayoutConfig::default());
    workflow::reading_order(graph, &layout)
        .into_iter()
        .enumerate()
        .map(|(position, i)| {
            let node = &workflow.nodes[i];
            let kind = graph.nodes[i].kind;
            let mut marks = Vec::new();
            if graph.entry == Some(i) {
                marks.push(crate::tr!("cli-mark-entry"));
            }
            if kind == workflow::NodeKind::Response {
                marks.push(crate::tr!("cli-mark-end"));
            }
            vec![
                (position + 1).to_string(),
                node.id.clone(),
                kind.label().to_string(),
                marks.join(", "),
                workflow::summary(node),
                workflow::next_in_words(node.next.as_ref(), graph, i),
            ]
        })
        .collect()
}
