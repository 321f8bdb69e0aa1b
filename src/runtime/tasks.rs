//! The work behind each command, on the background runtime. Each task reports through its
//! `Emitter`; none touches the console's state.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::Emitter;
use super::command::{DialogRequest, Event, FileContents, FilePurpose, ImportEvent, OpId};
use super::dialogs::{DialogAnswer, FileDialogs};
use crate::activity::{self, ActivityLog};
use crate::api::{ApiError, RetryPolicy};
use crate::backends::{self, AuthMethod, BackendKind, Workspace};
use crate::import::{
    self, CancelFlag, ExistingMode, ImportError, Mapping, Prepared, ReadOptions, RunOptions,
};
use crate::ops::{self, Outcome, Write};
use crate::sandbox::{self, SandboxConfig};
use crate::secret::Secret;
use crate::settings::{KeyStorage, Keys};

pub(super) async fn load_apps(
    workspace: Arc<dyn Workspace>,
    project: Option<String>,
    op: OpId,
    emit: Emitter,
) {
    let progress = |loaded, total| emit.emit(Event::AppsProgress { op, loaded, total });
    match workspace.list_apps(project.as_deref(), &progress).await {
        Ok(apps) => emit.emit(Event::AppsLoaded { op, apps }),
        Err(error) => emit.emit(Event::AppsFailed { op, error }),
    }
}

pub(super) async fn load_projects(workspace: Arc<dyn Workspace>, op: OpId, emit: Emitter) {
    if !workspace.capabilities().scopes {
        emit.emit(Event::ProjectsLoaded {
            op,
            projects: Vec::new(),
        });
        return;
    }
    emit.emit(match workspace.list_scopes().await {
        Ok(projects) => Event::ProjectsLoaded { op, projects },
        Err(error) => Event::AppsFailed { op, error },
    });
}

pub(super) async fn write(
    workspace: Arc<dyn Workspace>,
    project: Option<String>,
    op: OpId,
    write: Write,
    activity: Option<Arc<ActivityLog>>,
    emit: Emitter,
) {
    let performed = ops::perform(
        workspace.as_ref(),
        project.as_deref(),
        write,
        activity.as_deref(),
    )
    .await;
    if let Some(error) = performed.log_error {
        emit.emit(Event::ActivityUnavailable(error));
    }
    emit.emit(match performed.result {
        Ok(outcome) => Event::WriteDone { op, outcome },
        Err(error) => Event::WriteFailed {
            op,
            error,
            sent: performed.sent,
        },
    });
}

pub(super) async fn load_keys(
    workspace: Arc<dyn Workspace>,
    project: Option<String>,
    op: OpId,
    app_id: String,
    emit: Emitter,
) {
    let result = workspace.list_app_keys(project.as_deref(), &app_id).await;
    emit.emit(Event::KeysLoaded { op, app_id, result });
}

/// Adds a key and saves its file, as `apps keys add` does; the answer is a write's.
pub(super) async fn add_key_to_file(
    workspace: Arc<dyn Workspace>,
    project: Option<String>,
    (op, write, path): (OpId, Write, std::path::PathBuf),
    activity: Option<Arc<ActivityLog>>,
    emit: Emitter,
) {
    let Write::AddKey { id, expiry } = write else {
        return;
    };
    let result = ops::add_key_to_file(
        workspace.as_ref(),
        project.as_deref(),
        &id,
        expiry,
        &path,
        activity.as_deref(),
    )
    .await;
    emit.emit(match result {
        Ok(saved) => Event::WriteDone {
            op,
            outcome: Outcome::KeySaved { id, saved },
        },
        Err(error) => Event::WriteFailed {
            op,
            error,
            sent: true,
        },
    });
}

pub(super) async fn load_providers(
    workspace: Arc<dyn Workspace>,
    project: Option<String>,
    op: OpId,
    client_id: String,
    emit: Emitter,
) {
    let result = if workspace.capabilities().providers {
        workspace
            .list_providers(project.as_deref(), &client_id)
            .await
    } else {
        Ok(Vec::new())
    };
    emit.emit(Event::ProvidersLoaded {
        op,
        client_id,
        result,
    });
}

pub(super) fn load_activity(
    log: Option<&ActivityLog>,
    op: OpId,
    limit: usize,
    filter: &activity::Filter,
    emit: &Emitter,
) {
    let result = match log {
        Some(log) => log.recent(limit, filter).map_err(|e| e.0),
        None => Err(crate::tr!("runtime-no-activity-log")),
    };
    emit.emit(Event::ActivityLoaded { op, result });
}

/// What the connection check needs.
pub(super) struct Probe {
    pub backend: BackendKind,
    pub base_url: String,
    pub org_id: Option<String>,
    pub ca_file: Option<std::path::PathBuf>,
    pub typed_key: Option<Secret>,
    pub keys: Arc<Keys>,
    pub retry: Option<RetryPolicy>,
    pub deadline: Duration,
}

pub(super) async fn connect(probe: Probe, op: OpId, emit: Emitter) {
    emit.emit(match check_connection(probe).await {
        Ok((workspace, storage)) => Event::Connected {
            op,
            workspace,
            storage,
        },
        Err(error) => Event::ConnectFailed { op, error },
    });
}

/// Checks an address and key with one small read, then keeps the key (keyring, or this run
/// only). The key is `CONNECT_API_KEY` when set, else the one typed, else the one stored for
/// that address. Keyring calls may block on D-Bus, so they run on a blocking thread.
async fn check_connection(probe: Probe) -> Result<(Arc<dyn Workspace>, KeyStorage), ApiError> {
    let Probe {
        backend,
        base_url,
        org_id,
        ca_file,
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
            let (key, storage) = found
                .ok_or_else(|| ApiError::local_worded(|| crate::tr!("runtime-no-saved-key")))?;
            (key, Some(storage))
        }
    };
    let org = org_id.as_deref().map(str::trim).filter(|o| !o.is_empty());
    let ca_file = ca_file.or_else(backends::net::env_ca_file);
    let connection = backends::Connection::new(backend, &base_url, key, org)?.with_ca_file(ca_file);
    let workspace = backends::open(connection, false)?.with_limits(retry, deadline);
    workspace.check().await?;
    let key = workspace.key();
    let storage = match storage {
        Some(storage) => storage,
        None => {
            let url = base_url.trim().to_owned();
            tokio::task::spawn_blocking(move || keys.keep(&url, &key))
                .await
                .unwrap_or(KeyStorage::ThisRunOnly)
        }
    };
    Ok((workspace, storage))
}

pub(super) async fn start_local_sandbox(config: SandboxConfig, op: OpId, emit: Emitter) {
    emit.emit(match sandbox::start(config).await {
        Ok(sandbox) => Event::LocalSandboxStarted {
            op,
            sandbox: Box::new(sandbox),
        },
        Err(e) => Event::ConnectFailed {
            op,
            error: ApiError::local_worded(|| {
                crate::tr!("runtime-local-sandbox-failed", error = e.to_string())
            }),
        },
    });
}

pub(super) async fn dialog(
    dialogs: Arc<dyn FileDialogs>,
    op: OpId,
    request: DialogRequest,
    emit: Emitter,
) {
    let purpose = request.purpose;
    emit.emit(match dialogs.show(&request).await {
        DialogAnswer::Chosen(path) => Event::FileChosen {
            op,
            purpose,
            path: Some(path),
        },
        DialogAnswer::Cancelled => Event::FileChosen {
            op,
            purpose,
            path: None,
        },
        DialogAnswer::Unavailable => Event::DialogUnavailable { op, purpose },
    });
}

pub(super) fn read_import_file(op: OpId, path: &Path, options: &ReadOptions, emit: &Emitter) {
    let event = match import::read_file(path) {
        Ok(bytes) => ImportEvent::Prepared {
            op,
            result: prepare(&bytes, options),
            bytes: Some(Arc::new(bytes)),
        },
        Err(error) => ImportEvent::Prepared {
            op,
            result: Err(error),
            bytes: None,
        },
    };
    emit.emit(Event::Import(event));
}

pub(super) fn reread_import_file(op: OpId, bytes: &[u8], options: &ReadOptions, emit: &Emitter) {
    emit.emit(Event::Import(ImportEvent::Prepared {
        op,
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

pub(super) fn remap(op: OpId, prepared: &Prepared, mapping: Mapping, emit: &Emitter) {
    let prepared = prepared.remapped(mapping);
    let _ = prepared.counts();
    emit.emit(Event::Import(ImportEvent::Remapped {
        op,
        prepared: Arc::new(prepared),
    }));
}

pub(super) async fn plan_import(
    workspace: Arc<dyn Workspace>,
    project: Option<String>,
    journal_dir: Option<PathBuf>,
    op: OpId,
    prepared: Arc<Prepared>,
    mode: ExistingMode,
    emit: Emitter,
) {
    let planned = async {
        let journal_dir = journal_dir.ok_or_else(no_journal_dir)?;
        workspace
            .plan_import(project.as_deref(), prepared, journal_dir, mode)
            .await
    };
    emit.emit(Event::Import(ImportEvent::Planned {
        op,
        result: planned.await.map(Arc::new),
    }));
}

/// Where an import goes.
pub(super) struct ImportTarget {
    pub workspace: Arc<dyn Workspace>,
    pub project: Option<String>,
    pub journal_dir: Option<PathBuf>,
    pub auth_method: Option<AuthMethod>,
    /// The file's name, for the activity entry.
    pub source: String,
    pub activity: Option<Arc<ActivityLog>>,
}

pub(super) async fn run_import(
    target: ImportTarget,
    op: OpId,
    prepared: Arc<Prepared>,
    options: RunOptions,
    cancel: CancelFlag,
    emit: Emitter,
) {
    let ImportTarget {
        workspace,
        project,
        journal_dir,
        auth_method,
        source,
        activity,
    } = target;
    let mut options = options;
    let result = async {
        let dir = journal_dir.ok_or_else(no_journal_dir)?;
        // Secrets always go to disk: to the chosen file, else to a new owner-only file in the
        // console's data folder, which the results screen names.
        match &mut options.keys {
            // Apps that sign with keys have no secrets; their key files go to the folder
            // chosen, else to a new one in the console's data folder.
            Some(keys) if keys.dir.as_os_str().is_empty() => {
                keys.dir = import::default_data_dir()?
                    .join("keys")
                    .join(crate::clock::file_stamp());
            }
            Some(_) => {}
            None if options.secrets_file.is_none() => {
                let path = tokio::task::spawn_blocking(import::secrets::default_secrets_path)
                    .await
                    .map_err(|e| {
                        ImportError::worded(|| {
                            crate::tr!("runtime-import-not-started", error = e.to_string())
                        })
                    })??;
                options.secrets_file = Some(path);
            }
            None => {}
        }
        let progress = emit.clone();
        let on_progress = Box::new(move |p: &import::Progress| {
            progress.emit(Event::Import(ImportEvent::Progress {
                op,
                progress: p.clone(),
            }));
        });
        workspace
            .run_import(
                project.as_deref(),
                prepared,
                dir,
                options,
                auth_method,
                cancel,
                on_progress,
            )
            .await
    }
    .await;
    // One entry for the whole run, as every import leaves, console or command line.
    let entry = ops::import_entry(workspace.as_ref(), project.as_deref(), &source, &result);
    if let Some(log) = activity
        && let Some(error) = ops::record(&log, entry).await
    {
        emit.emit(Event::ActivityUnavailable(error));
    }
    emit.emit(Event::Import(ImportEvent::Finished { op, result }));
}

fn no_journal_dir() -> ImportError {
    import::default_journal_dir()
        .err()
        .unwrap_or_else(|| ImportError::worded(|| crate::tr!("runtime-no-journal-folder")))
}

pub(super) fn write_file(
    op: OpId,
    purpose: FilePurpose,
    path: PathBuf,
    contents: &FileContents,
    external_ids: &std::collections::HashMap<String, String>,
    emit: &Emitter,
) {
    let result = match contents {
        FileContents::Bytes(bytes) => {
            std::fs::write(&path, bytes.as_slice()).map_err(|e| not_saved(&path, &e))
        }
        FileContents::Png(image) => super::image_file::write_png(&path, image),
        FileContents::ImportResults(report) => report.write_results(&path).map_err(|e| e.0),
        FileContents::Export { apps, format } => {
            let bytes = match format {
                crate::export::Format::Csv => crate::export::to_csv(apps, external_ids),
                crate::export::Format::Json => {
                    serde_json::to_vec_pretty(&crate::export::to_json(apps)).unwrap_or_default()
                }
            };
            std::fs::write(&path, bytes).map_err(|e| not_saved(&path, &e))
        }
    };
    emit.emit(Event::FileWritten {
        op,
        purpose,
        path,
        result,
    });
}

/// Why a file could not be saved, with what to do.
fn not_saved(path: &Path, error: &std::io::Error) -> String {
    crate::tr!(
        "runtime-file-not-saved",
        path = path.display().to_string(),
        error = error.to_string()
    )
}
