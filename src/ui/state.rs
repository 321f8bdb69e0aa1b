//! `AppState`: the plain data the views draw (the workspace's apps, what is in flight, what
//! failed, the secret to show once). No egui and no I/O in here.
//!
//! It changes in exactly two places, both called by the shell: [`AppState::apply`], with what
//! the background reports ([`Event`]), and [`AppState::record`], with what the user did
//! ([`UserEvent`], gathered from the views' actions). Views only read it, so a test can drive
//! it with no window and no runtime.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::api::ApiError;
use crate::backends::{App, Capabilities, Scope};
use crate::runtime::{ConnectionInfo, Event, OpId, Write, WriteOutcome};
use crate::secret::Secret;
use crate::settings::KeyStorage;

/// A call still running after this long shows "Still waiting for HOST…" with Cancel.
pub const SLOW_AFTER: Duration = Duration::from_secs(3);

/// Where the app list stands.
#[derive(Debug)]
pub enum LoadState {
    Loading {
        op: OpId,
        started: Instant,
        loaded: usize,
        total: Option<usize>,
    },
    Ready,
    /// The last load failed or was cancelled; the previous rows stay visible beside the error.
    Failed(ApiError),
}

/// A write in flight, or one that failed and may be retried.
#[derive(Debug)]
pub struct PendingOp {
    pub write: Write,
    pub started: Instant,
    pub state: OpState,
}

#[derive(Debug)]
pub enum OpState {
    InFlight,
    /// The error, and whether the outcome is unknown (the server may have acted).
    Failed {
        error: ApiError,
        outcome_unknown: bool,
    },
}

/// Why a secret is being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretReason {
    Created,
    Rotated,
    /// A new webhook signing secret.
    WebhookRotated,
}

/// The once-only secret. Dropping it zeroizes the secret.
#[derive(Debug)]
pub struct SecretDialog {
    pub client_id: String,
    pub app_name: String,
    pub secret: Secret,
    pub reason: SecretReason,
    /// The last copy; each copy restarts the clipboard's clearing countdown.
    pub copied_at: Option<Instant>,
    pub acknowledged: bool,
    pub copy_error: Option<String>,
}

/// A failure not tied to a write (a connection, a dialog), shown in the notice bar.
#[derive(Debug)]
pub struct Notice {
    pub title: String,
    pub error: ApiError,
}

/// An app's providers as the Providers tab shows them.
#[derive(Debug)]
pub enum ProvidersState {
    /// Asked for, by this request.
    Loading(OpId),
    Loaded(Vec<crate::api::ProviderStatus>),
    Failed(ApiError),
}

/// An app's keys as its details show them.
#[derive(Debug)]
pub enum KeysState {
    /// Asked for, by this request.
    Loading(OpId),
    Loaded(Vec<crate::backends::keys::AppKey>),
    Failed(ApiError),
}

/// A connection check in flight.
#[derive(Debug, Clone, Copy)]
pub struct Connecting {
    pub op: OpId,
    pub started: Instant,
}

/// Something the user did, as the shell records it.
#[derive(Debug)]
pub enum UserEvent {
    Selected(String),
    LoadStarted(OpId),
    WriteSent {
        op: OpId,
        write: Write,
    },
    /// Retry sends the failed write again under the same id.
    Retrying(OpId),
    Dismissed(OpId),
    NoticeDismissed,
    MessageDismissed,
    ConnectStarted(OpId),
    /// The console now talks to another workspace: everything of the last one goes.
    Switched {
        connection: ConnectionInfo,
        capabilities: Capabilities,
        key_storage: Option<KeyStorage>,
    },
    /// The project whose apps to show, where apps live in projects.
    ProjectPicked(String),
    /// An app's keys were asked for.
    KeysRequested {
        app_id: String,
        op: OpId,
    },
    /// Hopae: an app's providers were asked for.
    ProvidersRequested {
        client_id: String,
        op: OpId,
    },
    SecretCopied(Result<Instant, String>),
    SecretAcknowledged(bool),
    SecretClosed,
    Notice(Notice),
}

/// Everything the views draw.
#[derive(Debug)]
pub struct AppState {
    pub connection: ConnectionInfo,
    /// What the workspace can do; views show only what is there.
    pub capabilities: Capabilities,
    /// Where the current workspace's key is kept, when it is not the local sandbox.
    pub key_storage: Option<KeyStorage>,
    /// Apps without their secrets: the list and details never hold one.
    pub apps: Vec<App>,
    /// Bumped on every change of `apps`, so views can cache filtered rows.
    pub revision: u64,
    pub load: LoadState,
    pub selected: Option<String>,
    /// Writes in flight or failed, each under its own id.
    pub ops: BTreeMap<OpId, PendingOp>,
    pub secret: Option<SecretDialog>,
    pub connecting: Option<Connecting>,
    /// The last connection check's failure, for the connection dialog.
    pub connect_error: Option<ApiError>,
    pub notice: Option<Notice>,
    /// A neutral message (not a failure), such as "created; it signs with keys".
    pub message: Option<String>,
    /// Where apps live in scopes: the scopes (projects) and the one picked.
    pub projects: Vec<Scope>,
    pub project: Option<String>,
    /// Providers with their activation, by app id, as they were last loaded.
    pub providers: std::collections::HashMap<String, ProvidersState>,
    /// Keys of apps that sign with keys, by app id, as they were last loaded.
    pub keys: std::collections::HashMap<String, KeysState>,
}

impl AppState {
    pub fn new(connection: ConnectionInfo, capabilities: Capabilities) -> Self {
        Self {
            connection,
            capabilities,
            key_storage: None,
            apps: Vec::new(),
            revision: 0,
            load: LoadState::Ready,
            selected: None,
            ops: BTreeMap::new(),
            secret: None,
            connecting: None,
            connect_error: None,
            notice: None,
            message: None,
            projects: Vec::new(),
            project: None,
            providers: std::collections::HashMap::new(),
            keys: std::collections::HashMap::new(),
        }
    }

    /// Whether an app is selected.
    pub fn has_selection(&self) -> bool {
        self.selected_app().is_some()
    }

    /// How many apps the list holds.
    pub fn app_count(&self) -> usize {
        self.apps.len()
    }

    /// The name of an app by its id.
    pub fn app_name(&self, id: &str) -> Option<&str> {
        self.app(id).map(|a| a.name.as_str())
    }

    pub fn selected_app(&self) -> Option<&App> {
        self.app(self.selected.as_deref()?)
    }

    pub fn app(&self, id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.id == id)
    }

    /// A write to this app is in flight.
    pub fn busy(&self, client_id: &str) -> bool {
        self.ops
            .values()
            .any(|op| matches!(op.state, OpState::InFlight) && op.write.app() == Some(client_id))
    }

    /// Any write is in flight (switching workspace now would hide its outcome).
    pub fn writes_in_flight(&self) -> bool {
        self.ops
            .values()
            .any(|op| matches!(op.state, OpState::InFlight))
    }

    pub fn loading(&self) -> bool {
        matches!(self.load, LoadState::Loading { .. })
    }

    /// Calls running longer than [`SLOW_AFTER`]: what they are, oldest first.
    pub fn slow_calls(&self, now: Instant) -> Vec<(OpId, String)> {
        let mut slow: Vec<(Instant, OpId, String)> = Vec::new();
        let host = &self.connection.host;
        if let LoadState::Loading { op, started, .. } = &self.load {
            slow.push((
                *started,
                *op,
                crate::tr!("status-loading-apps-from", host = host.as_str()),
            ));
        }
        for (op, pending) in &self.ops {
            if matches!(pending.state, OpState::InFlight) {
                let name = pending.write.app().and_then(|id| self.app_name(id));
                slow.push((pending.started, *op, pending.write.summary(name)));
            }
        }
        if let Some(c) = &self.connecting {
            slow.push((c.started, c.op, crate::tr!("status-checking-connection")));
        }
        slow.retain(|(started, ..)| now.duration_since(*started) >= SLOW_AFTER);
        slow.sort_by_key(|(started, ..)| *started);
        slow.into_iter().map(|(_, op, what)| (op, what)).collect()
    }

    /// Records what the user did.
    pub fn record(&mut self, event: UserEvent) {
        match event {
            UserEvent::Selected(client_id) => self.selected = Some(client_id),
            UserEvent::LoadStarted(op) => {
                self.load = LoadState::Loading {
                    op,
                    started: Instant::now(),
                    loaded: 0,
                    total: None,
                };
            }
            UserEvent::WriteSent { op, write } => {
                self.ops.insert(
                    op,
                    PendingOp {
                        write,
                        started: Instant::now(),
                        state: OpState::InFlight,
                    },
                );
            }
            UserEvent::Retrying(op) => {
                if let Some(pending) = self.ops.get_mut(&op) {
                    pending.state = OpState::InFlight;
                    pending.started = Instant::now();
                }
            }
            UserEvent::Dismissed(op) => {
                self.ops.remove(&op);
            }
            UserEvent::NoticeDismissed => self.notice = None,
            UserEvent::MessageDismissed => self.message = None,
            UserEvent::KeysRequested { app_id, op } => {
                self.keys.insert(app_id, KeysState::Loading(op));
            }
            UserEvent::ProvidersRequested { client_id, op } => {
                self.providers
                    .insert(client_id, ProvidersState::Loading(op));
            }
            UserEvent::ProjectPicked(project) => {
                self.project = Some(project);
                self.apps.clear();
                self.selected = None;
                self.revision += 1;
            }
            UserEvent::ConnectStarted(op) => {
                self.connect_error = None;
                self.connecting = Some(Connecting {
                    op,
                    started: Instant::now(),
                });
            }
            UserEvent::Switched {
                connection,
                capabilities,
                key_storage,
            } => {
                *self = AppState {
                    key_storage,
                    ..AppState::new(connection, capabilities)
                };
            }
            UserEvent::SecretCopied(result) => {
                if let Some(dialog) = &mut self.secret {
                    match result {
                        Ok(at) => {
                            dialog.copied_at = Some(at);
                            dialog.copy_error = None;
                        }
                        Err(e) => dialog.copy_error = Some(e),
                    }
                }
            }
            UserEvent::SecretAcknowledged(yes) => {
                if let Some(dialog) = &mut self.secret {
                    dialog.acknowledged = yes;
                }
            }
            UserEvent::SecretClosed => {
                // Dropping the dialog zeroizes the secret.
                if self.secret.as_ref().is_some_and(|d| d.acknowledged) {
                    self.secret = None;
                }
            }
            UserEvent::Notice(notice) => self.notice = Some(notice),
        }
    }

    /// Applies one event from the background.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::AppsProgress { op, loaded, total } => {
                if let LoadState::Loading {
                    op: current,
                    loaded: l,
                    total: t,
                    ..
                } = &mut self.load
                    && *current == op
                {
                    *l = loaded;
                    *t = total;
                }
            }
            Event::AppsLoaded { op, apps } => {
                if !self.is_current_load(op) {
                    return;
                }
                // Taken over, not cloned: a second copy of 10,000 apps would double the memory.
                self.apps = apps;
                crate::ui::memory::release_free_memory();
                self.revision += 1;
                self.load = LoadState::Ready;
                // Open on the first app so the details panel is never empty when there are apps.
                // (the first by name, as the list is sorted by default).
                if self.selected_app().is_none() {
                    self.selected = self
                        .apps
                        .iter()
                        .min_by_key(|a| (a.name.to_lowercase(), a.client_id.to_lowercase()))
                        .map(|a| a.id.clone());
                }
            }
            Event::AppsFailed { op, error } => {
                if self.is_current_load(op) {
                    self.load = LoadState::Failed(error);
                }
            }
            Event::ProjectsLoaded { op, projects } => {
                if self.is_current_load(op) {
                    self.projects = projects;
                    self.load = LoadState::Ready;
                }
            }
            Event::WriteDone { op, outcome } => {
                self.ops.remove(&op);
                self.write_done(outcome);
            }
            Event::WriteFailed { op, error, sent } => self.write_failed(op, error, sent),
            Event::KeysLoaded { op, app_id, result } => {
                // Only the answer to the last request for this app counts.
                if !matches!(self.keys.get(&app_id), Some(KeysState::Loading(o)) if *o == op) {
                    return;
                }
                let loaded = match result {
                    Ok(keys) => KeysState::Loaded(keys),
                    Err(error) => KeysState::Failed(error),
                };
                self.keys.insert(app_id, loaded);
            }
            Event::Cancelled { op } => self.cancelled(op),
            Event::Connected { op, .. } | Event::LocalSandboxStarted { op, .. } => {
                // The shell switches workspace; here only the check ends.
                if self.connecting.is_some_and(|c| c.op == op) {
                    self.connecting = None;
                }
            }
            Event::ConnectFailed { op, error } => {
                if self.connecting.is_some_and(|c| c.op == op) {
                    self.connecting = None;
                    self.connect_error = Some(error);
                }
            }
            Event::ProvidersLoaded {
                op,
                client_id,
                result,
            } => {
                // Only the answer to the last request for this app counts.
                if !matches!(self.providers.get(&client_id), Some(ProvidersState::Loading(o)) if *o == op)
                {
                    return;
                }
                let loaded = match result {
                    Ok(providers) => ProvidersState::Loaded(providers),
                    Err(error) => ProvidersState::Failed(error),
                };
                self.providers.insert(client_id, loaded);
            }
            Event::ActivityUnavailable(reason) => {
                self.notice = Some(Notice {
                    title: crate::tr!("notice-activity-not-written"),
                    error: ApiError::local(crate::tr!(
                        "notice-activity-not-written-detail",
                        reason = reason.as_str()
                    )),
                });
            }
            Event::FolderNotOpened { path, error } => {
                self.notice = Some(Notice {
                    title: crate::tr!("notice-folder-not-opened"),
                    error: ApiError::local(crate::tr!(
                        "notice-folder-not-opened-detail",
                        error = error.as_str(),
                        path = path.display().to_string()
                    )),
                });
            }
            // Dialogs, files, imports and the activity list belong to the views that asked.
            Event::FileChosen { .. }
            | Event::DialogUnavailable { .. }
            | Event::SimulationInputLoaded { .. }
            | Event::NodeTypesLoaded { .. }
            | Event::WorkflowsLoaded { .. }
            | Event::SimulationInputsForgotten { .. }
            | Event::SimulationInputFailed { .. }
            | Event::FileWritten { .. }
            | Event::ActivityLoaded { .. }
            | Event::Import(_) => {}
        }
    }

    fn is_current_load(&self, op: OpId) -> bool {
        matches!(self.load, LoadState::Loading { op: current, .. } if current == op)
    }

    fn write_done(&mut self, outcome: WriteOutcome) {
        match outcome {
            WriteOutcome::Created(created) => {
                let crate::backends::Created {
                    app,
                    secret,
                    follow_up_error,
                    ..
                } = *created;
                self.selected = Some(app.id.clone());
                if let Some(error) = follow_up_error {
                    self.notice = Some(Notice {
                        title: crate::tr!(
                            "notice-created-without-redirect-uri",
                            name = app.name.as_str()
                        ),
                        error: ApiError::local(error),
                    });
                }
                match secret {
                    Some(secret) => {
                        self.open_secret(&app.client_id, &app.name, secret, SecretReason::Created)
                    }
                    None if !app.has_secret() => {
                        self.message = Some(crate::tr!(
                            "notice-created-signs-with-keys",
                            name = app.name.as_str()
                        ));
                    }
                    None => {
                        self.notice = Some(Notice {
                            title: crate::tr!(
                                "notice-created-without-secret",
                                name = app.name.as_str()
                            ),
                            error: ApiError::local(crate::tr!(
                                "notice-created-without-secret-detail"
                            )),
                        });
                    }
                }
                // A create answered twice (a replay after a lost answer) is still one app.
                if self.app(&app.id).is_none() {
                    self.apps.push(app);
                    self.revision += 1;
                }
            }
            WriteOutcome::Changed { app, .. } => {
                if let Some(row) = self.apps.iter_mut().find(|a| a.id == app.id) {
                    *row = *app;
                    self.revision += 1;
                }
            }
            WriteOutcome::SecretRotated { id, secret, .. } => {
                let (client_id, name) = self.shown_as(&id);
                self.open_secret(&client_id, &name, secret, SecretReason::Rotated);
            }
            WriteOutcome::WebhookSecretRotated { id, secret, .. } => {
                let (client_id, name) = self.shown_as(&id);
                self.open_secret(&client_id, &name, secret, SecretReason::WebhookRotated);
            }
            WriteOutcome::RedirectUrisSaved { id, uris, .. } => {
                if let Some(row) = self.apps.iter_mut().find(|a| a.id == id)
                    && let Some(oidc) = &mut row.oidc
                {
                    std::sync::Arc::make_mut(oidc).redirect_uris = uris;
                    self.revision += 1;
                }
            }
            // Keys come and go through the app's key list (`keys`), which reloads itself.
            WriteOutcome::KeyAdded { id, key } => {
                self.message = Some(crate::tr!(
                    "notice-key-added",
                    key = key.id.as_str(),
                    app = id.as_str()
                ));
            }
            // The app's workflows as the list holds them: the new or changed one in place.
            WriteOutcome::WorkflowSaved { id, workflow, .. } => {
                if let Some(row) = self.apps.iter_mut().find(|a| a.id == id)
                    && let Some(oidc) = &mut row.oidc
                {
                    let workflows = &mut std::sync::Arc::make_mut(oidc).workflows;
                    match workflows
                        .iter_mut()
                        .find(|w| w.workflow_id == workflow.workflow_id)
                    {
                        Some(old) => *old = *workflow,
                        None => workflows.push(*workflow),
                    }
                    self.revision += 1;
                }
            }
            WriteOutcome::KeyDeleted { id, key_id } => {
                self.message = Some(crate::tr!("notice-key-deleted", key = key_id.as_str()));
                self.keys.remove(&id);
            }
            WriteOutcome::KeySaved { id, saved } => {
                self.message = Some(crate::tr!(
                    "notice-key-saved",
                    key = saved.key_id.as_str(),
                    expires = saved.expires_text(),
                    path = saved.path.display().to_string()
                ));
                self.keys.remove(&id);
            }
        }
    }

    /// The client id and name a secret dialog shows for the app `id`.
    fn shown_as(&self, id: &str) -> (String, String) {
        match self.app(id) {
            Some(app) => (app.client_id.clone(), app.name.clone()),
            None => (id.to_owned(), String::new()),
        }
    }

    fn write_failed(&mut self, op: OpId, error: ApiError, sent: bool) {
        if let Some(pending) = self.ops.get_mut(&op) {
            // A key change that failed may still have happened: the list is read again.
            if let Write::AddKey { id, .. } | Write::DeleteKey { id, .. } = &pending.write {
                self.keys.remove(id);
            }
            pending.state = OpState::Failed {
                outcome_unknown: sent && Write::outcome_unknown(&error),
                error,
            };
        }
    }

    fn cancelled(&mut self, op: OpId) {
        if self.is_current_load(op) {
            self.load = LoadState::Failed(ApiError::local(crate::tr!("status-load-cancelled")));
        }
        if self.connecting.is_some_and(|c| c.op == op) {
            self.connecting = None;
            self.connect_error = Some(ApiError::local(crate::tr!("status-check-cancelled")));
        }
        if let Some(pending) = self.ops.get_mut(&op)
            && matches!(pending.state, OpState::InFlight)
        {
            pending.state = OpState::Failed {
                error: ApiError::new(
                    crate::api::ErrorKind::Network,
                    crate::tr!("status-request-cancelled"),
                ),
                outcome_unknown: true,
            };
        }
    }

    fn open_secret(&mut self, client_id: &str, name: &str, secret: Secret, reason: SecretReason) {
        self.secret = Some(SecretDialog {
            client_id: client_id.to_owned(),
            app_name: name.to_owned(),
            secret,
            reason,
            copied_at: None,
            acknowledged: false,
            copy_error: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Environment;
    use crate::backends::BackendKind;

    fn state() -> AppState {
        AppState::new(
            ConnectionInfo {
                backend: BackendKind::Hopae,
                org_id: None,
                environment: Environment::Local,
                base_url: "http://127.0.0.1:1/connect/v1".into(),
                host: "127.0.0.1".into(),
                local_sandbox: true,
            },
            Capabilities::WORKSPACE,
        )
    }

    fn app(id: &str, name: &str) -> App {
        App::bare(id, id, name)
    }

    fn loaded(apps: Vec<App>) -> AppState {
        let mut state = state();
        state.record(UserEvent::LoadStarted(OpId(1)));
        state.apply(Event::AppsLoaded { op: OpId(1), apps });
        state
    }

    #[test]
    fn a_load_selects_the_first_app() {
        let state = loaded(vec![app("A1", "One")]);
        assert!(matches!(state.load, LoadState::Ready));
        assert_eq!(state.selected.as_deref(), Some("A1"));
    }

    #[test]
    fn create_selects_the_app_and_opens_the_secret_dialog() {
        let mut state = loaded(vec![]);
        let write = Write::CreateApp {
            name: "New".into(),
            idempotency_key: "k".into(),
            auth_method: None,
            redirect_uris: Vec::new(),
        };
        state.record(UserEvent::WriteSent { op: OpId(2), write });
        state.apply(Event::WriteDone {
            op: OpId(2),
            outcome: WriteOutcome::Created(Box::new(crate::backends::Created {
                app: app("N1", "New"),
                secret: Some(Secret::new("FAKE_SECRET_FOR_STATE_TEST")),
                request_id: None,
                follow_up_error: None,
            })),
        });
        assert_eq!(state.selected.as_deref(), Some("N1"));
        let dialog = state.secret.as_ref().unwrap();
        assert_eq!(dialog.secret.expose(), "FAKE_SECRET_FOR_STATE_TEST");
        assert_eq!(state.apps[0].name, "New");
        assert!(state.ops.is_empty());
        // The dialog stays until the secret is acknowledged.
        state.record(UserEvent::SecretClosed);
        assert!(state.secret.is_some());
        state.record(UserEvent::SecretAcknowledged(true));
        state.record(UserEvent::SecretClosed);
        assert!(state.secret.is_none());
    }

    #[test]
    fn each_write_keeps_its_own_failure_and_busy_state() {
        let mut state = loaded(vec![app("A1", "One"), app("B2", "Two")]);
        let rename = |id: &str| Write::RenameApp {
            id: id.into(),
            name: "X".into(),
        };
        state.record(UserEvent::WriteSent {
            op: OpId(2),
            write: rename("A1"),
        });
        state.record(UserEvent::WriteSent {
            op: OpId(3),
            write: rename("B2"),
        });
        assert!(state.busy("A1") && state.busy("B2"));
        state.apply(Event::WriteFailed {
            op: OpId(2),
            error: ApiError::new(crate::api::ErrorKind::Server, "boom"),
            sent: true,
        });
        assert!(!state.busy("A1") && state.busy("B2"));
        let failed = &state.ops[&OpId(2)];
        assert_eq!(failed.write, rename("A1"));
        assert!(matches!(
            failed.state,
            OpState::Failed {
                outcome_unknown: true,
                ..
            }
        ));
        state.record(UserEvent::Retrying(OpId(2)));
        assert!(state.busy("A1"));
        assert_eq!(state.apps[0].name, "One");
    }

    #[test]
    fn a_failed_read_before_a_write_leaves_nothing_unknown() {
        let mut state = loaded(vec![app("A1", "One")]);
        state.record(UserEvent::WriteSent {
            op: OpId(2),
            write: Write::RotateSecret {
                id: "A1".into(),
                idempotency_key: "k".into(),
            },
        });
        // The same server error, once before the rotation was sent and once after.
        state.apply(Event::WriteFailed {
            op: OpId(2),
            error: ApiError::new(crate::api::ErrorKind::Server, "boom"),
            sent: false,
        });
        assert!(matches!(
            state.ops[&OpId(2)].state,
            OpState::Failed {
                outcome_unknown: false,
                ..
            }
        ));
    }

    #[test]
    fn a_cancelled_write_has_an_unknown_outcome_and_a_cancelled_load_keeps_the_rows() {
        let mut state = loaded(vec![app("A1", "One")]);
        state.record(UserEvent::WriteSent {
            op: OpId(2),
            write: Write::RotateSecret {
                id: "A1".into(),
                idempotency_key: "k".into(),
            },
        });
        state.apply(Event::Cancelled { op: OpId(2) });
        assert!(matches!(
            state.ops[&OpId(2)].state,
            OpState::Failed {
                outcome_unknown: true,
                ..
            }
        ));
        state.record(UserEvent::LoadStarted(OpId(3)));
        state.apply(Event::Cancelled { op: OpId(3) });
        assert!(matches!(state.load, LoadState::Failed(_)));
        assert_eq!(state.apps.len(), 1);
        // A late answer of the cancelled load changes nothing.
        state.apply(Event::AppsLoaded {
            op: OpId(3),
            apps: vec![],
        });
        assert_eq!(state.apps.len(), 1);
    }

    #[test]
    fn calls_are_slow_after_three_seconds() {
        let mut state = state();
        state.record(UserEvent::LoadStarted(OpId(1)));
        let now = Instant::now();
        assert!(state.slow_calls(now).is_empty());
        let later = now + SLOW_AFTER + Duration::from_millis(1);
        assert_eq!(state.slow_calls(later).len(), 1);
        assert!(state.slow_calls(later)[0].1.contains("127.0.0.1"));
    }
}
