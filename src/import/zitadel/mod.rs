//! The CSV import into a ZITADEL project, exactly once and never into anyone else's app: the
//! same file, preview, results and secrets files as the Hopae import, sent as single API-app
//! creates.
//!
//! | module | owns |
//! |---|---|
//! | `marker` | the run marker, and the name an app is created under before its rename |
//! | `plan` | each row against the project's apps (by exact name and marker name) and the journal |
//! | `send` | one row's calls: create, resolve a lost answer by marker name, issue a secret once, rename |
//! | `run` | rows in flight, the journal and secrets order, progress, cancel, the report |
//!
//! Why exactly once without idempotency keys: each app is created under a name no one else
//! would choose (`billing ·imp-7f3a`), journalled with the row before the create is sent, and
//! renamed to the row's name only once its secret is on disk. An app under that marker name is
//! therefore this import's: a lost answer or a killed run is resolved by it, never by the bare
//! name, so a colleague's app of the same name is never claimed, and its secret never
//! regenerated. A colleague who takes the name first makes the rename fail; the row is
//! reported, and ours keeps its marker name. The journal is the Hopae import's, one per project
//! ([`journal_workspace`]).

mod marker;
mod plan;
mod run;
mod send;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use marker::{marker_name, new_marker, parse_marker};
pub use plan::{
    ProjectApps, ZitadelAction, ZitadelPlan, ZitadelPlannedRow, identity, plan_zitadel,
};
pub use run::run_zitadel;
pub use send::key_file_name;

use super::journal::{Journal, JournalEntry};
use super::plan::ExistingMode;
use super::report::{ImportReport, RowStatus};
use super::run::{CancelFlag, DEFAULT_CONCURRENCY, KeyFiles, Progress};
use super::secrets::SecretsFile;
use super::{ImportError, Prepared};
use crate::api::RetryPolicy;
use crate::zitadel::{AuthMethod, ZitadelClient, ZitadelConnection};

/// How to run an import into a ZITADEL project.
#[derive(Debug, Clone)]
pub struct ZitadelImportOptions {
    /// The project that receives the apps.
    pub project_id: String,
    /// How the new API apps authenticate; only BASIC apps have a secret.
    pub auth_method: AuthMethod,
    /// Creates in flight at the start (1 to 16).
    pub concurrency: usize,
    /// Retries of each call. A create is sent again after a failure; an "already exists"
    /// answer to that retry is resolved by name.
    pub retry: RetryPolicy,
    /// Append each new app's client secret here (owner-only) before the row is journalled as
    /// created. Opened, and checked writable, before the first request.
    pub secrets_file: Option<PathBuf>,
    /// Only [`ExistingMode::Skip`]: see [`check_existing_mode`].
    pub existing: ExistingMode,
    /// Apps that sign with keys get one key each, its file written here (created owner-only
    /// before the first request). `None` adds no keys.
    pub keys: Option<KeyFiles>,
}

impl Default for ZitadelImportOptions {
    fn default() -> Self {
        Self {
            project_id: String::new(),
            auth_method: AuthMethod::Basic,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            secrets_file: None,
            existing: ExistingMode::Skip,
            keys: None,
        }
    }
}

/// ZITADEL can only leave a row whose name exists as it is: an API app has no redirect URIs or
/// webhook to update, and a second app with the same name is refused by the server.
pub fn check_existing_mode(mode: ExistingMode) -> Result<(), ImportError> {
    match mode {
        ExistingMode::Skip => Ok(()),
        ExistingMode::Update => Err(ImportError::worded(|| {
            crate::tr!("import-zitadel-no-update")
        })),
        ExistingMode::Create => Err(ImportError::worded(|| {
            crate::tr!("import-zitadel-no-create")
        })),
    }
}

/// The journal's workspace key for a project: the management API address and the project id,
/// so each project of each instance has its own journal.
pub fn journal_workspace(connection: &ZitadelConnection, project_id: &str) -> String {
    format!(
        "{}projects/{}",
        connection.management_url(),
        project_id.trim()
    )
}

/// Reads the project's apps, for the plan to compare rows with.
pub async fn survey_project(
    client: &ZitadelClient,
    project_id: &str,
) -> Result<ProjectApps, ImportError> {
    client
        .list_apps(project_id)
        .await
        .map(ProjectApps::from_apps)
        .map_err(|e| {
            ImportError::worded(|| {
                crate::tr!(
                    "import-zitadel-survey-failed",
                    project = project_id.trim(),
                    error = e.user_message()
                )
            })
        })
}

/// Opens the secrets file and the project's journal, reads the project, plans and runs the
/// import of `prepared`. The mode and the secrets file are checked first: when either is
/// refused, nothing is sent.
pub async fn import_zitadel(
    client: &ZitadelClient,
    prepared: &Prepared,
    journal_dir: &Path,
    options: &ZitadelImportOptions,
    cancel: &CancelFlag,
    on_progress: impl FnMut(&Progress),
) -> Result<ImportReport, ImportError> {
    check_existing_mode(options.existing)?;
    let mut secrets = options
        .secrets_file
        .as_deref()
        .map(SecretsFile::open)
        .transpose()?;
    let keys = options
        .keys
        .as_ref()
        .filter(|_| options.auth_method == AuthMethod::PrivateKeyJwt);
    if let Some(keys) = keys {
        super::journal::create_private_dir(&keys.dir).map_err(|e| {
            ImportError::worded(|| {
                crate::tr!(
                    "import-zitadel-keys-dir-failed",
                    dir = keys.dir.display().to_string(),
                    error = e.to_string()
                )
            })
        })?;
    }
    let workspace = journal_workspace(client.connection(), &options.project_id);
    let mut journal = Journal::open(journal_dir, &workspace)?;
    let apps = survey_project(client, &options.project_id).await?;
    let mut plan = plan_zitadel(&prepared.rows, &apps, journal.entries(), &new_marker());
    if let Some(keys) = keys {
        plan.give_missing_keys(&apps, |name, client_id| {
            keys.dir.join(key_file_name(name, client_id)).is_file()
        });
    }
    let mut report = run_zitadel(
        client,
        &prepared.rows,
        &plan,
        &mut journal,
        secrets.as_mut(),
        options,
        cancel,
        on_progress,
    )
    .await;
    report.secrets_file = secrets.map(|s| s.path().to_owned());
    report.keys_dir = keys.map(|k| k.dir.clone());
    Ok(report)
}

/// What an import of `prepared` into a project would do, sending nothing. Compared with
/// `apps` when the project could be read, and with the project's journal of earlier runs.
pub fn dry_run_zitadel(
    prepared: &Prepared,
    apps: &ProjectApps,
    journal: &HashMap<String, JournalEntry>,
) -> ImportReport {
    let plan = plan_zitadel(&prepared.rows, apps, journal, &new_marker());
    let mut report = ImportReport::default();
    let warnings = prepared.issue_texts();
    for planned in &plan.rows {
        let status = match &planned.action {
            ZitadelAction::Create => {
                RowStatus::Ready(warnings.get(&planned.row).cloned().unwrap_or_default())
            }
            ZitadelAction::Claim { app } => RowStatus::Ready(crate::tr!(
                "import-zitadel-ready-claim",
                name = app.name.as_str()
            )),
            ZitadelAction::GiveKey { app } => RowStatus::Ready(crate::tr!(
                "import-zitadel-ready-give-key",
                client_id = app.client_id.as_str()
            )),
            ZitadelAction::Rename { app } => RowStatus::Ready(crate::tr!(
                "import-zitadel-ready-rename",
                name = app.name.as_str()
            )),
            _ => continue,
        };
        report.rows.push(run::outcome(planned, None, None, status));
    }
    run::add_settled_rows(&mut report, &plan);
    run::add_unsent_rows(&mut report, &plan, &prepared.rows);
    report.rows.sort_by_key(|r| r.row);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn only_skip_is_accepted_and_each_refusal_says_why() {
        assert!(check_existing_mode(ExistingMode::Skip).is_ok());
        let update = check_existing_mode(ExistingMode::Update).unwrap_err();
        assert!(update.0.contains("nothing to update"), "{update}");
        let create = check_existing_mode(ExistingMode::Create).unwrap_err();
        assert!(create.0.contains("unique"), "{create}");
    }

    #[test]
    fn each_project_has_its_own_journal() {
        let connection = ZitadelConnection::new(
            "https://acme.zitadel.cloud/",
            Secret::new("FAKE_PAT_unit"),
            None,
        )
        .unwrap();
        assert_eq!(
            journal_workspace(&connection, " 42 "),
            "https://acme.zitadel.cloud/management/v1/projects/42"
        );
        assert_ne!(
            journal_workspace(&connection, "42"),
            journal_workspace(&connection, "43")
        );
    }
}
