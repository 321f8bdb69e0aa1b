//! The work behind each command, on the background runtime. Each task reports through its
//! `Emitter`; none touches the console's state.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::Emitter;
use super::command::{
    DialogRequest, Event, FileContents, FilePurpose, ImportEvent, OpId, PlanPreview, Write,
    WriteOutcome,
};
use super::dialogs::{DialogAnswer, FileDialogs};
use crate::activity::{self, ActivityLog};
use crate::api::{self, ApiError, Client, Connection, RetryPolicy};
use crate::backend::{BackendKind, WorkspaceClient, WorkspaceConnection};
use crate::import::{
    self, CancelFlag, ExistingMode, ImportError, Journal, Mapping, Prepared, ReadOptions, Row,
    RunOptions,
};
use crate::sandbox::{self, SandboxConfig};
use crate::secret::Secret;
use crate::settings::{KeyStorage, Keys};
use crate::zitadel::{AuthMethod, CreatedApp, ZitadelClient, ZitadelConnection};

pub(super) async fn load_apps(
    client: WorkspaceClient,
    project: Option<String>,
    op: OpId,
    emit: Emitter,
) {
    match client {
        WorkspaceClient::Hopae(client) => {
            let progress = |loaded, total| emit.emit(Event::AppsProgress { op, loaded, total });
            match client
                .list_all_apps(api::DEFAULT_PAGE_CONCURRENCY, progress)
                .await
            {
                Ok(apps) => emit.emit(Event::AppsLoaded { op, apps }),
                Err(error) => emit.emit(Event::AppsFailed { op, error }),
            }
        }
        WorkspaceClient::Zitadel(client) => {
            let Some(project) = project else {
                emit.emit(Event::ZitadelAppsLoaded {
                    op,
                    apps: Vec::new(),
                });
                return;
            };
            emit.emit(match client.list_apps(&project).await {
                Ok(apps) => Event::ZitadelAppsLoaded { op, apps },
                Err(error) => Event::AppsFailed { op, error },
            });
        }
    }
}

pub(super) async fn load_projects(client: WorkspaceClient, op: OpId, emit: Emitter) {
    let WorkspaceClient::Zitadel(client) = client else {
        emit.emit(Event::ProjectsLoaded {
            op,
            projects: Vec::new(),
        });
        return;
    };
    emit.emit(match client.list_projects().await {
        Ok(projects) => Event::ProjectsLoaded { op, projects },
        Err(error) => Event::AppsFailed { op, error },
    });
}

pub(super) async fn write(
    client: WorkspaceClient,
    project: Option<String>,
    op: OpId,
    write: Write,
    activity: Option<Arc<ActivityLog>>,
    emit: Emitter,
) {
    let entry = activity_entry(&client, &write);
    let outcome = match client {
        WorkspaceClient::Hopae(client) => hopae_write(&client, write).await,
        WorkspaceClient::Zitadel(client) => match project {
            Some(project) => zitadel_write(&client, &project, write).await,
            None => Err(ApiError::local(
                "Pick a project in the toolbar first; apps belong to a project",
            )),
        },
    };
    // A write that changed something (or may have) is recorded; one refused before it was
    // sent is not.
    let entry = match &outcome {
        Ok(done) => Some(entry.app(done.app_id().unwrap_or_default(), done.app_name())),
        Err(error) if activity::was_sent(error) => Some(entry.failed_with(error)),
        Err(_) => None,
    };
    if let (Some(log), Some(entry)) = (activity, entry)
        && let Err(e) = tokio::task::spawn_blocking(move || log.append(&entry))
            .await
            .unwrap_or_else(|e| Err(activity::ActivityError(e.to_string())))
    {
        emit.emit(Event::ActivityUnavailable(e.0));
    }
    emit.emit(match outcome {
        Ok(outcome) => Event::WriteDone { op, outcome },
        Err(error) => Event::WriteFailed { op, error },
    });
}

/// The activity entry of a write, before its outcome is known.
fn activity_entry(client: &WorkspaceClient, write: &Write) -> activity::Entry {
    let (backend, workspace) = match client {
        WorkspaceClient::Hopae(c) => (
            activity::Backend::Hopae,
            activity::workspace_of(c.connection().base_url()),
        ),
        WorkspaceClient::Zitadel(c) => (
            activity::Backend::Zitadel,
            activity::workspace_of(c.connection().origin()),
        ),
    };
    let entry = activity::Entry::new(backend, &workspace, write.activity());
    let entry = match write.app() {
        Some(id) => entry.app(id, None),
        None => entry,
    };
    match write {
        Write::CreateApp { name, .. } | Write::RenameApp { name, .. } => entry.detail(name.clone()),
        Write::UpdateWebhook { patch, .. } => entry.detail(patch.field_names().join(", ")),
        _ => entry,
    }
}

pub(super) async fn load_providers(client: WorkspaceClient, client_id: String, emit: Emitter) {
    let result = match client {
        WorkspaceClient::Hopae(client) => client.list_providers(&client_id).await,
        WorkspaceClient::Zitadel(_) => Ok(Vec::new()),
    };
    emit.emit(Event::ProvidersLoaded { client_id, result });
}

pub(super) fn load_activity(
    log: Option<&ActivityLog>,
    limit: usize,
    filter: &activity::Filter,
    emit: &Emitter,
) {
    let result = match log {
        Some(log) => log.recent(limit, filter).map_err(|e| e.0),
        None => Err(
            "There is no activity log: this account has no home folder to keep it in".to_owned(),
        ),
    };
    emit.emit(Event::ActivityLoaded(result));
}

async fn hopae_write(client: &Client, write: Write) -> Result<WriteOutcome, ApiError> {
    match write {
        Write::CreateApp {
            name,
            idempotency_key,
            ..
        } => client
            .create_app(&name, &idempotency_key)
            .await
            .map(|created| WriteOutcome::Created(Box::new(created.value))),
        Write::RenameApp { client_id, name } => client
            .rename_app(&client_id, &name)
            .await
            .map(|app| WriteOutcome::Renamed(Box::new(app))),
        Write::RotateSecret {
            client_id,
            idempotency_key,
        } => client
            .rotate_client_secret(&client_id, &idempotency_key)
            .await
            .map(|rotated| WriteOutcome::Rotated {
                client_id,
                secret: rotated.value,
            }),
        Write::ReplaceRedirectUris { client_id, uris } => client
            .replace_redirect_uris(&client_id, &uris)
            .await
            .map(|uris| WriteOutcome::RedirectUrisSaved { client_id, uris }),
        Write::SetActive { .. } => Err(ApiError::local(
            "Hopae Connect apps cannot be deactivated from the console",
        )),
        Write::UpdateWebhook { client_id, patch } => client
            .update_webhook(&client_id, &patch)
            .await
            .map(|answer| WriteOutcome::WebhookSaved(Box::new(answer.value))),
        Write::RotateWebhookSecret {
            client_id,
            idempotency_key,
        } => client
            .rotate_webhook_secret(&client_id, &idempotency_key)
            .await
            .map(|rotated| WriteOutcome::WebhookSecretRotated {
                client_id,
                secret: rotated.value,
            }),
    }
}

/// The same writes on a ZITADEL project; `client_id` names the app by its app id.
async fn zitadel_write(
    client: &ZitadelClient,
    project: &str,
    write: Write,
) -> Result<WriteOutcome, ApiError> {
    match write {
        Write::CreateApp {
            name, auth_method, ..
        } => {
            let auth_method = auth_method.ok_or_else(|| {
                ApiError::local("Choose how the new app authenticates: basic or private key JWT")
            })?;
            create_zitadel_app(client, project, &name, auth_method).await
        }
        Write::RenameApp { client_id, name } => {
            client.rename_app(project, &client_id, &name).await?;
            let app = client.get_app(project, &client_id).await?;
            Ok(WriteOutcome::ZitadelChanged(app))
        }
        Write::RotateSecret { client_id, .. } => {
            let app = client.get_app(project, &client_id).await?;
            let secret = client.regenerate_client_secret(project, &app).await?;
            Ok(WriteOutcome::Rotated { client_id, secret })
        }
        Write::SetActive { client_id, active } => {
            if active {
                client.reactivate_app(project, &client_id).await?;
            } else {
                client.deactivate_app(project, &client_id).await?;
            }
            let app = client.get_app(project, &client_id).await?;
            Ok(WriteOutcome::ZitadelChanged(app))
        }
        Write::ReplaceRedirectUris { .. } => Err(ApiError::local(
            "ZITADEL API applications have no redirect URIs",
        )),
        Write::UpdateWebhook { .. } | Write::RotateWebhookSecret { .. } => {
            Err(ApiError::local("ZITADEL API applications have no webhook"))
        }
    }
}

/// Creates an API app. ZITADEL takes no idempotency key: when the answer is lost, the app is
/// looked up by name (names are unique in a project, and the console refuses a name that is
/// taken before it sends), and a BASIC app found that way gets its secret issued once, so the
/// person still receives one.
async fn create_zitadel_app(
    client: &ZitadelClient,
    project: &str,
    name: &str,
    auth_method: AuthMethod,
) -> Result<WriteOutcome, ApiError> {
    let first = client.create_api_app(project, name, auth_method).await;
    let error = match first {
        Ok(created) => return Ok(WriteOutcome::ZitadelCreated(Box::new(created))),
        Err(error) if crate::zitadel::outcome_unknown(&error) => error,
        Err(error) => return Err(error),
    };
    let Some(app) = client.find_app_by_name(project, name).await? else {
        return Err(error);
    };
    let client_secret = if auth_method.has_secret() {
        Some(client.regenerate_client_secret(project, &app).await?)
    } else {
        None
    };
    Ok(WriteOutcome::ZitadelCreated(Box::new(CreatedApp {
        app_id: app.app_id,
        client_id: app.client_id,
        name: app.name,
        state: app.state,
        auth_method,
        client_secret,
    })))
}

/// What the connection check needs.
pub(super) struct Probe {
    pub backend: BackendKind,
    pub base_url: String,
    pub org_id: Option<String>,
    pub typed_key: Option<Secret>,
    pub keys: Arc<Keys>,
    pub retry: Option<RetryPolicy>,
    pub deadline: Duration,
}

pub(super) async fn connect(probe: Probe, op: OpId, emit: Emitter) {
    emit.emit(match check_connection(probe).await {
        Ok((connection, storage)) => Event::Connected {
            op,
            connection,
            storage,
        },
        Err(error) => Event::ConnectFailed { op, error },
    });
}

/// Checks an address and key with one small read, then keeps the key (keyring, or this run
/// only). The key is `CONNECT_API_KEY` when set, else the one typed, else the one stored for
/// that address. Keyring calls may block on D-Bus, so they run on a blocking thread.
async fn check_connection(probe: Probe) -> Result<(WorkspaceConnection, KeyStorage), ApiError> {
    let Probe {
        backend,
        base_url,
        org_id,
        typed_key,
        keys,
        retry,
        deadline,
    } = probe;
    let env_key = crate::settings::env_api_key();
    let typed_key = typed_key.filter(|k| !k.expose().trim().is_empty());
    let (key, storage) = match (env_key, typed_key) {
        (Some(key), _) => (key, Some(KeyStorage::Environment)),
        (None, Some(key)) => (key, None),
        (None, None) => {
            let lookup_keys = keys.clone();
            let url = base_url.trim().to_owned();
            let found = tokio::task::spawn_blocking(move || lookup_keys.find(&url, None))
                .await
                .ok()
                .flatten();
            let (key, storage) = found.ok_or_else(|| {
                ApiError::local(
                    "No API key is saved for this address; paste the workspace's API key",
                )
            })?;
            (key, Some(storage))
        }
    };
    let (connection, key) = match backend {
        BackendKind::Hopae => {
            let connection = Connection::new(&base_url, key)?;
            let mut client = Client::new(connection.clone())?.with_deadline(deadline);
            if let Some(retry) = retry {
                client = client.with_retry(retry);
            }
            client.list_apps_page(0, 1).await?;
            let key = connection.api_key().clone();
            (WorkspaceConnection::Hopae(connection), key)
        }
        BackendKind::Zitadel => {
            let org = org_id.as_deref().map(str::trim).filter(|o| !o.is_empty());
            let connection = ZitadelConnection::new(&base_url, key, org)?;
            let mut client = ZitadelClient::new(connection.clone())?.with_deadline(deadline);
            if let Some(retry) = retry {
                client = client.with_retry(retry);
            }
            client.list_projects().await?;
            let key = connection.pat().clone();
            (WorkspaceConnection::Zitadel(connection), key)
        }
    };
    let storage = match storage {
        Some(storage) => storage,
        None => {
            let url = base_url.trim().to_owned();
            tokio::task::spawn_blocking(move || keys.keep(&url, &key))
                .await
                .unwrap_or(KeyStorage::ThisRunOnly)
        }
    };
    Ok((connection, storage))
}

pub(super) async fn start_local_sandbox(config: SandboxConfig, op: OpId, emit: Emitter) {
    emit.emit(match sandbox::start(config).await {
        Ok(sandbox) => Event::LocalSandboxStarted {
            op,
            sandbox: Box::new(sandbox),
        },
        Err(e) => Event::ConnectFailed {
            op,
            error: ApiError::local(format!(
                "Could not start the local sandbox ({e}); try again, or restart the console"
            )),
        },
    });
}

pub(super) async fn dialog(dialogs: Arc<dyn FileDialogs>, request: DialogRequest, emit: Emitter) {
    let purpose = request.purpose;
    emit.emit(match dialogs.show(&request).await {
        DialogAnswer::Chosen(path) => Event::FileChosen {
            purpose,
            path: Some(path),
        },
        DialogAnswer::Cancelled => Event::FileChosen {
            purpose,
            path: None,
        },
        DialogAnswer::Unavailable => Event::DialogUnavailable { purpose },
    });
}

pub(super) fn read_import_file(
    generation: u64,
    path: &Path,
    options: &ReadOptions,
    emit: &Emitter,
) {
    let event = match std::fs::read(path) {
        Ok(bytes) => ImportEvent::Prepared {
            generation,
            result: prepare(&bytes, options),
            bytes: Some(Arc::new(bytes)),
        },
        Err(e) => ImportEvent::Prepared {
            generation,
            result: Err(ImportError(format!(
                "Could not read {}: {e}. Check that the file exists and that you may open it",
                path.display()
            ))),
            bytes: None,
        },
    };
    emit.emit(Event::Import(event));
}

pub(super) fn reread_import_file(
    generation: u64,
    bytes: &[u8],
    options: &ReadOptions,
    emit: &Emitter,
) {
    emit.emit(Event::Import(ImportEvent::Prepared {
        generation,
        result: prepare(bytes, options),
        bytes: None,
    }));
}

/// Prepares a file and works out the preview's counts here, so no frame has to.
fn prepare(bytes: &[u8], options: &ReadOptions) -> Result<Arc<Prepared>, ImportError> {
    let prepared = import::prepare(bytes, options)?;
    let _ = prepared.counts();
    Ok(Arc::new(prepared))
}

pub(super) fn remap(generation: u64, prepared: &Prepared, mapping: Mapping, emit: &Emitter) {
    let prepared = prepared.remapped(mapping);
    let _ = prepared.counts();
    emit.emit(Event::Import(ImportEvent::Remapped {
        generation,
        prepared: Arc::new(prepared),
    }));
}

pub(super) async fn plan_import(
    client: WorkspaceClient,
    project: Option<String>,
    journal_dir: Option<PathBuf>,
    generation: u64,
    prepared: Arc<Prepared>,
    mode: ExistingMode,
    emit: Emitter,
) {
    let planned = async {
        let journal_dir = journal_dir.ok_or_else(no_journal_dir)?;
        match client {
            WorkspaceClient::Hopae(client) => {
                plan_hopae(&client, journal_dir, prepared, mode).await
            }
            WorkspaceClient::Zitadel(client) => {
                let project = project.ok_or_else(no_project)?;
                plan_zitadel(&client, &project, journal_dir, prepared, mode).await
            }
        }
    };
    emit.emit(Event::Import(ImportEvent::Planned {
        generation,
        result: planned.await.map(Arc::new),
    }));
}

async fn plan_hopae(
    client: &Client,
    journal_dir: PathBuf,
    prepared: Arc<Prepared>,
    mode: ExistingMode,
) -> Result<PlanPreview, ImportError> {
    let existing = import::survey(client).await?;
    let workspace = client.connection().base_url().to_string();
    tokio::task::spawn_blocking(move || {
        let journal = Journal::read(&journal_dir, &workspace)?;
        let plan = import::plan(&prepared.rows, &existing, &journal, mode);
        let row_actions = row_actions(&prepared.rows, &plan);
        let updates = plan
            .updates()
            .filter_map(|planned| match &planned.action {
                import::Action::Update { client_id, changes } => Some(format!(
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
async fn plan_zitadel(
    client: &ZitadelClient,
    project: &str,
    journal_dir: PathBuf,
    prepared: Arc<Prepared>,
    mode: ExistingMode,
) -> Result<PlanPreview, ImportError> {
    import::zitadel::check_existing_mode(mode)?;
    let apps = import::survey_project(client, project).await?;
    let workspace = import::journal_workspace(client.connection(), project);
    tokio::task::spawn_blocking(move || {
        let journal = Journal::read(&journal_dir, &workspace)?;
        let plan = import::zitadel::plan_zitadel(&prepared.rows, &apps, &journal);
        let mut by_row: std::collections::HashMap<usize, String> = plan
            .rows
            .iter()
            .map(|planned| {
                use import::zitadel::ZitadelAction;
                let text = match &planned.action {
                    ZitadelAction::Create => "new".to_owned(),
                    ZitadelAction::Claim { app } => format!(
                        "created by an earlier import whose answer was lost ({}); its secret \
                         is issued again",
                        app.app_id
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
fn row_actions(rows: &[Row], plan: &import::Plan) -> Vec<String> {
    use import::Action;
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
                Action::Update { client_id, changes } => {
                    format!("update {client_id}: {}", changes.describe())
                }
            };
            (planned.row, text)
        })
        .collect();
    for (row, first) in &plan.duplicates {
        by_row.insert(*row, format!("same as row {first}; not imported"));
    }
    rows.iter()
        .map(|r| {
            by_row
                .remove(&r.row)
                .unwrap_or_else(|| "invalid; not imported".to_owned())
        })
        .collect()
}

/// Where an import goes.
pub(super) struct ImportTarget {
    pub client: WorkspaceClient,
    pub project: Option<String>,
    pub journal_dir: Option<PathBuf>,
    pub auth_method: AuthMethod,
}

pub(super) async fn run_import(
    target: ImportTarget,
    prepared: Arc<Prepared>,
    options: RunOptions,
    cancel: CancelFlag,
    emit: Emitter,
) {
    let mut options = options;
    let result = async {
        let dir = target.journal_dir.ok_or_else(no_journal_dir)?;
        // Secrets always go to disk: to the chosen file, else to a new owner-only file in the
        // console's data folder, which the results screen names.
        if options.secrets_file.is_none() {
            let path = tokio::task::spawn_blocking(import::secrets::default_secrets_path)
                .await
                .map_err(|e| ImportError(format!("The import could not start: {e}")))??;
            options.secrets_file = Some(path);
        }
        let progress = emit.clone();
        let on_progress = move |p: &import::Progress| {
            progress.emit(Event::Import(ImportEvent::Progress(p.clone())));
        };
        match target.client {
            WorkspaceClient::Hopae(client) => {
                import::import(&client, &prepared, &dir, &options, &cancel, on_progress).await
            }
            WorkspaceClient::Zitadel(client) => {
                let zitadel = import::ZitadelImportOptions {
                    project_id: target.project.ok_or_else(no_project)?,
                    auth_method: target.auth_method,
                    concurrency: options.concurrency,
                    retry: options.retry,
                    secrets_file: options.secrets_file.clone(),
                    existing: options.existing,
                };
                import::import_zitadel(&client, &prepared, &dir, &zitadel, &cancel, on_progress)
                    .await
            }
        }
    }
    .await;
    emit.emit(Event::Import(ImportEvent::Finished(result)));
}

fn no_project() -> ImportError {
    ImportError("Pick a project in the toolbar first: the apps are created in it".into())
}

fn no_journal_dir() -> ImportError {
    import::default_journal_dir()
        .err()
        .unwrap_or_else(|| ImportError("No folder for the import journal".into()))
}

pub(super) fn write_file(
    purpose: FilePurpose,
    path: PathBuf,
    contents: &FileContents,
    external_ids: &std::collections::HashMap<String, String>,
    emit: &Emitter,
) {
    let result = match contents {
        FileContents::Bytes(bytes) => std::fs::write(&path, bytes.as_slice()).map_err(|e| {
            format!(
                "Could not save {}: {e}. Choose another folder or free some disk space",
                path.display()
            )
        }),
        FileContents::Png(image) => super::image_file::write_png(&path, image),
        FileContents::ImportResults(report) => report.write_results(&path).map_err(|e| e.0),
        FileContents::Export { apps, format } => {
            let bytes = match format {
                crate::export::Format::Csv => crate::export::to_csv(apps, external_ids),
                crate::export::Format::Json => {
                    serde_json::to_vec_pretty(&crate::export::to_json(apps)).unwrap_or_default()
                }
            };
            std::fs::write(&path, bytes).map_err(|e| {
                format!(
                    "Could not save {}: {e}. Choose another folder or free some disk space",
                    path.display()
                )
            })
        }
    };
    emit.emit(Event::FileWritten {
        purpose,
        path,
        result,
    });
}
