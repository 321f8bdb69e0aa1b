//! What an import would do, as the preview shows it: worked out off the window's thread from
//! the workspace's (or project's) apps and the journal, one text per row of the file.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::Client;
use crate::import::{ExistingMode, ImportError, Journal, PlanCounts, Prepared, Row};
use crate::zitadel::ZitadelClient;

/// A plan as the preview shows it, worked out off the window's thread.
#[derive(Debug)]
pub struct PlanPreview {
    /// New, existing, to update, repeated, invalid.
    pub counts: PlanCounts,
    /// Rows made on purpose beside an app of the same name.
    pub twins: usize,
    /// How many apps the workspace (ZITADEL: the project) had.
    pub existing: usize,
    /// What happens to each row of the file, in the file's order ("new", "exists as …",
    /// "update: redirect URIs a -> b", …).
    pub row_actions: Vec<String>,
    /// Each change to an existing app, before and after, in the file's order.
    pub updates: Vec<String>,
}

pub async fn preview_workspace(
    client: &Client,
    journal_dir: PathBuf,
    prepared: Arc<Prepared>,
    mode: ExistingMode,
) -> Result<PlanPreview, ImportError> {
    let existing = crate::import::survey(client).await?;
    let workspace = client.connection().base_url().to_string();
    tokio::task::spawn_blocking(move || {
        let journal = Journal::read(&journal_dir, &workspace)?;
        let plan = crate::import::plan(&prepared.rows, &existing, &journal, mode);
        let row_actions = row_actions(&prepared.rows, &plan);
        let updates = plan
            .updates()
            .filter_map(|planned| match &planned.action {
                crate::import::Action::Update { client_id, changes } => Some(format!(
                    "Row {} · {} ({client_id}): {}",
                    planned.row,
                    planned.name,
                    changes.describe()
                )),
                _ => None,
            })
            .collect();
        Ok(PlanPreview {
            counts: plan.counts(),
            twins: plan.twins(),
            existing: existing.len(),
            row_actions,
            updates,
        })
    })
    .await
    .map_err(|e| ImportError(format!("The plan could not be made: {e}")))?
}

/// The same preview for a ZITADEL project: names are unique there, so a row's name is its
/// identity, and an existing name is only ever left as it is.
pub async fn preview_project(
    client: &ZitadelClient,
    project: &str,
    journal_dir: PathBuf,
    prepared: Arc<Prepared>,
    mode: ExistingMode,
) -> Result<PlanPreview, ImportError> {
    crate::import::zitadel::check_existing_mode(mode)?;
    let apps = crate::import::survey_project(client, project).await?;
    let workspace = crate::import::journal_workspace(client.connection(), project);
    tokio::task::spawn_blocking(move || {
        let journal = Journal::read(&journal_dir, &workspace)?;
        let plan = crate::import::zitadel::plan_zitadel(
            &prepared.rows,
            &apps,
            &journal,
            &crate::import::zitadel::new_marker(),
        );
        let mut by_row: std::collections::HashMap<usize, String> = plan
            .rows
            .iter()
            .map(|planned| {
                use crate::import::zitadel::ZitadelAction;
                let text = match &planned.action {
                    ZitadelAction::Create => "new".to_owned(),
                    ZitadelAction::Claim { app } => format!(
                        "created by an earlier import as `{}`, whose answer was lost; its \
                         secret is issued again and it is renamed",
                        app.name
                    ),
                    ZitadelAction::GiveKey { app } => format!(
                        "created by an earlier import ({}); it gets a new key",
                        app.client_id
                    ),
                    ZitadelAction::Rename { app } => format!(
                        "created by an earlier import as `{}`; it is renamed",
                        app.name
                    ),
                    ZitadelAction::Exists { app_id, .. } => {
                        format!("exists ({app_id}), left as it is")
                    }
                    ZitadelAction::CreatedEarlier { client_id } => {
                        format!("created by an earlier import ({client_id})")
                    }
                };
                (planned.row, text)
            })
            .collect();
        for (row, first) in &plan.duplicates {
            by_row.insert(*row, format!("same name as row {first}; not imported"));
        }
        let row_actions = prepared
            .rows
            .iter()
            .map(|r| {
                by_row
                    .remove(&r.row)
                    .unwrap_or_else(|| "invalid; not imported".to_owned())
            })
            .collect();
        Ok(PlanPreview {
            counts: plan.counts(),
            twins: 0,
            existing: apps.len(),
            row_actions,
            updates: Vec::new(),
        })
    })
    .await
    .map_err(|e| ImportError(format!("The plan could not be made: {e}")))?
}

/// What the plan does with each row of the file, in the file's order.
fn row_actions(rows: &[Row], plan: &crate::import::Plan) -> Vec<String> {
    use crate::import::Action;
    let mut by_row: std::collections::HashMap<usize, String> = plan
        .rows
        .iter()
        .map(|planned| {
            let text = match &planned.action {
                Action::Create { twin_of: 0, .. } => "new".to_owned(),
                Action::Create { twin_of, .. } => {
                    format!("new, beside {twin_of} app(s) with this name")
                }
                Action::Exists { client_id } => format!("exists ({client_id}), left as it is"),
                Action::CreatedEarlier { client_id } => {
                    format!("created by an earlier import ({client_id})")
                }
                Action::Unchanged { client_id } => format!("exists ({client_id}), up to date"),
                Action::Unfinished { client_id, .. } => format!(
                    "sent by an earlier import whose answer was lost; not sent again{}",
                    client_id
                        .as_ref()
                        .map(|id| format!(" ({id} has this name)"))
                        .unwrap_or_default()
                ),
                Action::Update { client_id, changes } => {
                    format!("update {client_id}: {}", changes.describe())
                }
            };
            (planned.row, text)
        })
        .collect();
    for (row, first) in &plan.duplicates {
        by_row.insert(
            *row,
            format!("repeats row {first}; only row {first} is imported"),
        );
    }
    rows.iter()
        .map(|r| {
            by_row
                .remove(&r.row)
                .unwrap_or_else(|| "invalid; not imported".to_owned())
        })
        .collect()
}
