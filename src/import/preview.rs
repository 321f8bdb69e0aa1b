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
                crate::import::Action::Update { client_id, changes } => Some(crate::tr!(
                    "preview-update-line",
                    row = planned.row.to_string(),
                    name = planned.name.as_str(),
                    client_id = client_id.as_str(),
                    changes = changes.describe()
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
    .map_err(|e| ImportError::worded(|| crate::tr!("import-plan-failed", error = e.to_string())))?
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
                    ZitadelAction::Create => crate::tr!("preview-action-new"),
                    ZitadelAction::Claim { app } => {
                        crate::tr!("preview-action-claim", name = app.name.as_str())
                    }
                    ZitadelAction::GiveKey { app } => crate::tr!(
                        "preview-action-give-key",
                        client_id = app.client_id.as_str()
                    ),
                    ZitadelAction::Rename { app } => {
                        crate::tr!("preview-action-rename", name = app.name.as_str())
                    }
                    ZitadelAction::Exists { app_id, .. } => {
                        crate::tr!("preview-action-exists", client_id = app_id.as_str())
                    }
                    ZitadelAction::CreatedEarlier { client_id } => crate::tr!(
                        "preview-action-created-earlier",
                        client_id = client_id.as_str()
                    ),
                };
                (planned.row, text)
            })
            .collect();
        for (row, first) in &plan.duplicates {
            by_row.insert(
                *row,
                crate::tr!("preview-action-same-name", first = first.to_string()),
            );
        }
        let row_actions = prepared
            .rows
            .iter()
            .map(|r| {
                by_row
                    .remove(&r.row)
                    .unwrap_or_else(|| crate::tr!("preview-action-invalid"))
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
    .map_err(|e| ImportError::worded(|| crate::tr!("import-plan-failed", error = e.to_string())))?
}

/// What the plan does with each row of the file, in the file's order.
fn row_actions(rows: &[Row], plan: &crate::import::Plan) -> Vec<String> {
    use crate::import::Action;
    let mut by_row: std::collections::HashMap<usize, String> = plan
        .rows
        .iter()
        .map(|planned| {
            let text = match &planned.action {
                Action::Create { twin_of: 0, .. } => crate::tr!("preview-action-new"),
                Action::Create { twin_of, .. } => {
                    crate::tr!("preview-action-new-twin", count = twin_of)
                }
                Action::Exists { client_id } => {
                    crate::tr!("preview-action-exists", client_id = client_id.as_str())
                }
                Action::CreatedEarlier { client_id } => crate::tr!(
                    "preview-action-created-earlier",
                    client_id = client_id.as_str()
                ),
                Action::Unchanged { client_id } => {
                    crate::tr!("preview-action-up-to-date", client_id = client_id.as_str())
                }
                Action::Unfinished {
                    client_id: Some(id),
                    ..
                } => crate::tr!("preview-action-unfinished-named", client_id = id.as_str()),
                Action::Unfinished { .. } => crate::tr!("preview-action-unfinished"),
                Action::Update { client_id, changes } => crate::tr!(
                    "preview-action-update",
                    client_id = client_id.as_str(),
                    changes = changes.describe()
                ),
            };
            (planned.row, text)
        })
        .collect();
    for (row, first) in &plan.duplicates {
        by_row.insert(
            *row,
            crate::tr!("preview-action-repeats", first = first.to_string()),
        );
    }
    rows.iter()
        .map(|r| {
            by_row
                .remove(&r.row)
                .unwrap_or_else(|| crate::tr!("preview-action-invalid"))
        })
        .collect()
}
