//! An in-memory workspace for tests: the sandbox's own stores and their rules, called directly
//! without HTTP. It takes either shape (a Hopae-like workspace or a ZITADEL-like project),
//! is deterministic for a seed, and keeps fault switches so lost answers can be tested.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::json;

use crate::api::{ApiError, Environment, ErrorKind, RetryPolicy};
use crate::backends::model::{
    Answer, ApiAppInfo, App, Created, NewApp, OidcApp, ProviderStatus, Scope, WebhookPatch,
};
use crate::backends::{
    AppKind, AppState, AuthMethod, BackendKind, Capabilities, ConnectionInfo, ListProgress,
    Workspace, answered, need_scope,
};
use crate::sandbox::zitadel::{HOME_ORG_ID, Kind, Status, ZStore};
use crate::sandbox::{SbApp, Store};
use crate::secret::Secret;

/// What the Hopae-like shape can do: a workspace's operations, less the import (which sends
/// batches over HTTP), so views hide it, as for any backend.
pub const WORKSPACE_CAPABILITIES: Capabilities = Capabilities {
    import: false,
    ..Capabilities::WORKSPACE
};

/// What the ZITADEL-like shape can do: a project's operations, less the import.
pub const PROJECT_CAPABILITIES: Capabilities = Capabilities {
    import: false,
    ..Capabilities::PROJECT
};

/// The key the memory workspace "uses": obviously not a real one.
const MEMORY_KEY: &str = "sk_workspace_test_memory_FAKE";

/// Faults to inject, each used up by the calls it hits.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// The next N writes act, then their answer is lost (the caller sees a network failure).
    pub lose_answers: usize,
    /// The next N calls fail with a server error before acting.
    pub refuse: usize,
    /// The next call fails with this error before acting (a server's refusal, as the client
    /// would have phrased it, request id included).
    pub error: Option<ApiError>,
    /// Every call waits this long before it is answered (a slow server).
    pub delay: Duration,
    /// The next call waits this long before it is answered (a stalled request).
    pub stall: Option<Duration>,
}

enum Shape {
    /// A Hopae-like workspace, and the answers to idempotency keys already used.
    Workspace {
        store: Box<Store>,
        keys: HashMap<String, (String, String, String)>,
    },
    /// A ZITADEL-like instance with projects in one organisation.
    Project { store: Box<ZStore> },
}

struct Inner {
    shape: Shape,
    faults: Faults,
}

/// The workspace; clones share one store, and every call locks it briefly.
#[derive(Clone)]
pub struct MemoryWorkspace {
    capabilities: Capabilities,
    /// What the console is told this workspace is (a test may call it production).
    environment: Environment,
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for MemoryWorkspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryWorkspace")
            .field("capabilities", &self.capabilities)
            .finish_non_exhaustive()
    }
}

impl MemoryWorkspace {
    /// An empty Hopae-like workspace.
    pub fn workspace(seed: u64) -> Arc<Self> {
        Self::with_workspace_store(Store::new(Some(seed)))
    }

    /// A Hopae-like workspace with the sandbox's demo apps.
    pub fn demo_workspace(seed: u64) -> Arc<Self> {
        let mut store = Store::new(Some(seed));
        crate::sandbox::seed_demo(&mut store);
        Self::with_workspace_store(store)
    }

    fn with_workspace_store(store: Store) -> Arc<Self> {
        Arc::new(Self {
            capabilities: WORKSPACE_CAPABILITIES,
            environment: Environment::Local,
            inner: Arc::new(Mutex::new(Inner {
                shape: Shape::Workspace {
                    store: Box::new(store),
                    keys: HashMap::new(),
                },
                faults: Faults::default(),
            })),
        })
    }

    /// A ZITADEL-like instance with one empty project named `project`; its id is returned.
    pub fn project(seed: u64, project: &str) -> (Arc<Self>, String) {
        let mut store = ZStore::new(Some(seed));
        let id = store.add_project(HOME_ORG_ID, project);
        (Self::with_project_store(store), id)
    }

    /// A ZITADEL-like instance with the sandbox's demo projects and apps.
    pub fn demo_projects(seed: u64) -> Arc<Self> {
        let mut store = ZStore::new(Some(seed));
        crate::sandbox::zitadel::seed_demo(&mut store);
        Self::with_project_store(store)
    }

    fn with_project_store(store: ZStore) -> Arc<Self> {
        Arc::new(Self {
            capabilities: PROJECT_CAPABILITIES,
            environment: Environment::Local,
            inner: Arc::new(Mutex::new(Inner {
                shape: Shape::Project {
                    store: Box::new(store),
                },
                faults: Faults::default(),
            })),
        })
    }

    /// The same workspace, described to the console as being in `environment` (for example
    /// production, to see the banner and the confirmations).
    pub fn in_environment(self: &Arc<Self>, environment: Environment) -> Arc<Self> {
        Arc::new(Self {
            environment,
            ..Self::clone(self)
        })
    }

    /// Replaces the fault switches.
    pub fn set_faults(&self, faults: Faults) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.faults = faults;
        }
    }

    /// How many apps exist, in every scope.
    pub fn app_count(&self) -> usize {
        self.lock().map_or(0, |inner| match &inner.shape {
            Shape::Workspace { store, .. } => store.apps.len(),
            Shape::Project { store } => store.app_count(),
        })
    }

    /// Creates an app as a colleague would, beside this console (no faults apply).
    pub fn create_elsewhere(&self, scope: Option<&str>, name: &str) -> Result<String, ApiError> {
        let mut inner = self.lock()?;
        match &mut inner.shape {
            Shape::Workspace { store, .. } => {
                Ok(store.create_app(name, Vec::new(), None).client_id)
            }
            Shape::Project { store } => {
                let project = need_scope(scope)?;
                let kind = Kind::Api {
                    private_key_jwt: false,
                };
                let (app, _) = store
                    .add_app(HOME_ORG_ID, project, name, kind, None)
                    .map_err(status_error)?;
                Ok(app.id)
            }
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, ApiError> {
        self.inner
            .lock()
            .map_err(|_| ApiError::local_worded(|| crate::tr!("backend-memory-failed-earlier")))
    }

    /// Waits as the fault switches say (a slow or stalled server), without holding the lock.
    async fn pause(&self) {
        let wait = self.lock().ok().map(|mut inner| {
            let stall = inner.faults.stall.take().unwrap_or_default();
            inner.faults.delay + stall
        });
        if let Some(wait) = wait.filter(|w| !w.is_zero()) {
            tokio::time::sleep(wait).await;
        }
    }

    /// Runs a read: a refused call fails before reading.
    async fn read<T>(
        &self,
        work: impl FnOnce(&mut Shape) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        self.pause().await;
        let mut inner = self.lock()?;
        take_refusal(&mut inner.faults)?;
        work(&mut inner.shape)
    }

    /// Runs a write: a refused call fails before acting, a lost answer after.
    async fn write<T>(
        &self,
        work: impl FnOnce(&mut Shape) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        self.pause().await;
        let mut inner = self.lock()?;
        take_refusal(&mut inner.faults)?;
        let answer = work(&mut inner.shape)?;
        if inner.faults.lose_answers > 0 {
            inner.faults.lose_answers -= 1;
            return Err(ApiError::worded(ErrorKind::Network, || {
                crate::tr!("backend-memory-answer-lost")
            }));
        }
        Ok(answer)
    }
}

fn take_refusal(faults: &mut Faults) -> Result<(), ApiError> {
    if let Some(error) = faults.error.take() {
        return Err(error);
    }
    if faults.refuse > 0 {
        faults.refuse -= 1;
        return Err(ApiError::worded(ErrorKind::Server, || {
            crate::tr!("backend-memory-server-problem")
        }));
    }
    Ok(())
}

fn status_error(status: Status) -> ApiError {
    let kind = match status.code {
        5 => ErrorKind::NotFound,
        6 => ErrorKind::Conflict,
        3 | 9 => ErrorKind::Validation,
        7 => ErrorKind::Forbidden,
        16 => ErrorKind::Unauthorized,
        _ => ErrorKind::Server,
    };
    ApiError::new(kind, status.message)
}

fn not_found(id: &str) -> ApiError {
    ApiError::worded(ErrorKind::NotFound, || {
        crate::tr!("backend-memory-app-not-found", id = id)
    })
}

/// The console's app from a stored Hopae-like app. The JSON is written here from the stored
/// fields, so the memory backend shares no wire type with the sandbox's routes.
fn workspace_app(stored: &SbApp) -> App {
    let oidc: Option<OidcApp> = serde_json::from_value(json!({
        "clientId": stored.client_id,
        "name": stored.name,
        "redirectUris": stored.redirect_uris,
        "providers": stored.providers,
        "defaultWorkflowId": stored.default_workflow_id,
        "workflows": stored.workflows,
        "organizationId": stored.organization_id,
        "webhookConfig": stored.webhook_config,
    }))
    .ok();
    App {
        id: stored.client_id.clone(),
        client_id: stored.client_id.clone(),
        name: stored.name.clone(),
        oidc: oidc.map(Arc::new),
        api: None,
    }
}

fn project_app(stored: &crate::sandbox::zitadel::SbApp) -> App {
    let (kind, auth_method) = match stored.kind {
        Kind::Api { private_key_jwt } => (
            AppKind::Api,
            Some(if private_key_jwt {
                AuthMethod::PrivateKeyJwt
            } else {
                AuthMethod::Basic
            }),
        ),
        Kind::Oidc => (AppKind::Oidc, None),
    };
    App {
        id: stored.id.clone(),
        client_id: stored.client_id.clone(),
        name: stored.name.clone(),
        oidc: None,
        api: Some(ApiAppInfo {
            state: if stored.active {
                AppState::Active
            } else {
                AppState::Inactive
            },
            kind,
            auth_method,
            created: Some(stored.stamp.created.clone()),
            changed: Some(stored.stamp.changed.clone()),
        }),
    }
}

/// The app `id` of `project`.
fn project_app_by_id(store: &ZStore, project: &str, id: &str) -> Result<App, ApiError> {
    project_apps(store, project)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| not_found(id))
}

fn project_apps(store: &ZStore, project: &str) -> Result<Vec<App>, ApiError> {
    let project = store.project(HOME_ORG_ID, project).ok_or_else(|| {
        ApiError::worded(ErrorKind::NotFound, || {
            crate::tr!("backend-memory-project-not-found")
        })
    })?;
    Ok(project.apps.iter().map(project_app).collect())
}

fn check_name(name: &str) -> Result<String, ApiError> {
    crate::api::validate_app_name(name).map_err(|m| ApiError::invalid_parameter("name", m))
}

#[async_trait::async_trait]
impl Workspace for MemoryWorkspace {
    fn kind(&self) -> BackendKind {
        BackendKind::Memory
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn info(&self) -> ConnectionInfo {
        ConnectionInfo {
            backend: BackendKind::Memory,
            environment: self.environment,
            base_url: "memory://workspace".to_owned(),
            host: "memory".to_owned(),
            local_sandbox: false,
            org_id: None,
        }
    }

    fn with_limits(&self, _retry: Option<RetryPolicy>, _deadline: Duration) -> Arc<dyn Workspace> {
        // Nothing waits on a network here; the limits have nothing to bound.
        Arc::new(self.clone())
    }

    fn key(&self) -> Secret {
        Secret::new(MEMORY_KEY)
    }

    async fn check(&self) -> Result<(), ApiError> {
        self.read(|_| Ok(())).await
    }

    async fn list_scopes(&self) -> Result<Vec<Scope>, ApiError> {
        self.read(|shape| match shape {
            Shape::Workspace { .. } => Err(crate::backends::unsupported("projects")),
            Shape::Project { store } => Ok(store
                .org(HOME_ORG_ID)
                .map(|org| {
                    org.projects
                        .iter()
                        .map(|p| Scope {
                            id: p.id.clone(),
                            name: p.name.clone(),
                            active: p.active,
                        })
                        .collect()
                })
                .unwrap_or_default()),
        })
        .await
    }

    async fn list_apps(
        &self,
        scope: Option<&str>,
        progress: ListProgress<'_>,
    ) -> Result<Vec<App>, ApiError> {
        let apps = self
            .read(|shape| match shape {
                Shape::Workspace { store, .. } => {
                    Ok(store.apps.iter().map(workspace_app).collect())
                }
                Shape::Project { store } => match scope {
                    Some(project) => project_apps(store, project),
                    None => Ok(Vec::new()),
                },
            })
            .await?;
        progress(apps.len(), Some(apps.len()));
        Ok(apps)
    }

    async fn get_app(&self, scope: Option<&str>, id: &str) -> Result<App, ApiError> {
        self.read(|shape| match shape {
            Shape::Workspace { store, .. } => store
                .app(id)
                .map(workspace_app)
                .ok_or_else(|| not_found(id)),
            Shape::Project { store } => project_app_by_id(store, need_scope(scope)?, id),
        })
        .await
    }

    async fn create_app(&self, scope: Option<&str>, new: &NewApp) -> Result<Created, ApiError> {
        let name = check_name(&new.name)?;
        self.write(|shape| match shape {
            Shape::Workspace { store, keys } => {
                // The same key replays the first answer; with another name it is refused.
                if let Some((first_name, client_id, secret)) = keys.get(&new.idempotency_key) {
                    if *first_name != name {
                        return Err(ApiError::worded(ErrorKind::IdempotencyKeyConflict, || {
                            crate::tr!("backend-memory-key-reused")
                        }));
                    }
                    let app = store
                        .app(client_id)
                        .map(workspace_app)
                        .ok_or_else(|| not_found(client_id))?;
                    return Ok(Created {
                        follow_up_error: None,
                        app,
                        secret: Some(Secret::new(secret.clone())),
                        request_id: None,
                    });
                }
                let stored = store.create_app(&name, Vec::new(), None);
                keys.insert(
                    new.idempotency_key.clone(),
                    (
                        name.clone(),
                        stored.client_id.clone(),
                        stored.client_secret.clone(),
                    ),
                );
                Ok(Created {
                    follow_up_error: None,
                    app: workspace_app(&stored),
                    secret: Some(Secret::new(stored.client_secret.clone())),
                    request_id: None,
                })
            }
            Shape::Project { store } => {
                let project = need_scope(scope)?;
                let method = new.auth_method.ok_or_else(|| {
                    ApiError::local_worded(|| crate::tr!("backend-choose-auth-method"))
                })?;
                let kind = Kind::Api {
                    private_key_jwt: method == AuthMethod::PrivateKeyJwt,
                };
                let (stored, secret) = store
                    .add_app(HOME_ORG_ID, project, &name, kind, None)
                    .map_err(status_error)?;
                Ok(Created {
                    follow_up_error: None,
                    app: project_app(&stored),
                    secret: secret.map(Secret::new),
                    request_id: None,
                })
            }
        })
        .await
    }

    async fn rename_app(
        &self,
        scope: Option<&str>,
        id: &str,
        name: &str,
    ) -> Result<Answer<App>, ApiError> {
        let name = check_name(name)?;
        self.write(|shape| match shape {
            Shape::Workspace { store, .. } => {
                let app = store.app_mut(id).ok_or_else(|| not_found(id))?;
                app.name = name;
                Ok(workspace_app(app))
            }
            Shape::Project { store } => {
                let project = need_scope(scope)?;
                match store.rename(HOME_ORG_ID, project, id, &name) {
                    Ok(_) => {}
                    // The name it already has: nothing to change, as the ZITADEL client reads it.
                    Err(status) if status.code == 9 => {}
                    Err(status) => return Err(status_error(status)),
                }
                project_app_by_id(store, project, id)
            }
        })
        .await
        .map(answered)
    }

    async fn rotate_secret(
        &self,
        scope: Option<&str>,
        id: &str,
        idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError> {
        self.write(|shape| match shape {
            Shape::Workspace { store, keys } => {
                if let Some((_, _, secret)) = keys.get(idempotency_key) {
                    return Ok(Secret::new(secret.clone()));
                }
                let secret = store.new_secret();
                let app = store.app_mut(id).ok_or_else(|| not_found(id))?;
                app.client_secret = secret.clone();
                keys.insert(
                    idempotency_key.to_owned(),
                    (String::new(), id.to_owned(), secret.clone()),
                );
                Ok(Secret::new(secret))
            }
            Shape::Project { store } => {
                let project = need_scope(scope)?;
                let app = project_app_by_id(store, project, id)?;
                if !app.has_secret() {
                    return Err(ApiError::worded(ErrorKind::Validation, || {
                        crate::tr!("backend-memory-no-secret", name = app.name.as_str())
                    }));
                }
                let (secret, _) = store
                    .regenerate_secret(HOME_ORG_ID, project, id)
                    .map_err(status_error)?;
                Ok(Secret::new(secret))
            }
        })
        .await
        .map(answered)
    }

    async fn set_active(
        &self,
        scope: Option<&str>,
        id: &str,
        active: bool,
    ) -> Result<Answer<App>, ApiError> {
        self.write(|shape| match shape {
            Shape::Workspace { .. } => Err(crate::backends::unsupported("deactivation")),
            Shape::Project { store } => {
                let project = need_scope(scope)?;
                store
                    .set_active(HOME_ORG_ID, project, id, active)
                    .map_err(status_error)?;
                project_app_by_id(store, project, id)
            }
        })
        .await
        .map(answered)
    }

    async fn replace_redirect_uris(
        &self,
        _scope: Option<&str>,
        id: &str,
        uris: &[String],
    ) -> Result<Answer<Vec<String>>, ApiError> {
        // Refused before anything changes, as the Hopae client refuses before sending.
        let uris = crate::api::checked_redirect_uris(uris)?;
        self.write(|shape| match shape {
            Shape::Workspace { store, .. } => {
                let app = store.app_mut(id).ok_or_else(|| not_found(id))?;
                app.redirect_uris = uris.clone();
                Ok(uris)
            }
            Shape::Project { .. } => Err(crate::backends::unsupported("redirect URIs")),
        })
        .await
        .map(answered)
    }

    async fn update_webhook(
        &self,
        _scope: Option<&str>,
        id: &str,
        patch: &WebhookPatch,
    ) -> Result<Answer<App>, ApiError> {
        let patch = crate::api::checked_webhook_patch(patch)?;
        let patch = serde_json::to_value(patch).map_err(|e| {
            ApiError::local_worded(|| {
                crate::tr!("backend-memory-webhook-unreadable", error = e.to_string())
            })
        })?;
        self.write(|shape| match shape {
            Shape::Workspace { store, .. } => {
                let app = store.app_mut(id).ok_or_else(|| not_found(id))?;
                let config = crate::sandbox::merged_webhook(&app.webhook_config, &patch);
                if crate::sandbox::webhook_lacks_url(&config) {
                    return Err(ApiError::invalid_worded("webhookConfig.url", || {
                        crate::tr!("backend-memory-webhook-needs-url")
                    }));
                }
                app.webhook_config = config;
                Ok(answered(workspace_app(app)))
            }
            Shape::Project { .. } => Err(crate::backends::unsupported("webhooks")),
        })
        .await
    }

    async fn rotate_webhook_secret(
        &self,
        _scope: Option<&str>,
        id: &str,
        idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError> {
        self.write(|shape| match shape {
            Shape::Workspace { store, keys } => {
                if let Some((_, _, secret)) = keys.get(idempotency_key) {
                    return Ok(answered(Secret::new(secret.clone())));
                }
                store.app(id).ok_or_else(|| not_found(id))?;
                let secret = store.new_webhook_secret();
                store.webhook_secrets.insert(id.to_owned(), secret.clone());
                keys.insert(
                    idempotency_key.to_owned(),
                    (String::new(), id.to_owned(), secret.clone()),
                );
                Ok(answered(Secret::new(secret)))
            }
            Shape::Project { .. } => Err(crate::backends::unsupported("webhooks")),
        })
        .await
    }

    async fn list_providers(
        &self,
        _scope: Option<&str>,
        id: &str,
    ) -> Result<Vec<ProviderStatus>, ApiError> {
        self.read(|shape| match shape {
            Shape::Workspace { store, .. } => {
                let app = store.app(id).ok_or_else(|| not_found(id))?;
                let records = store.activations.get(id);
                crate::sandbox::PROVIDERS
                    .iter()
                    .map(|provider| {
                        let record = records.and_then(|r| r.get(provider.id));
                        let json = crate::sandbox::provider_json(app, provider, record, true);
                        serde_json::from_value(json).map_err(|e| {
                            ApiError::local_worded(|| {
                                crate::tr!(
                                    "backend-memory-provider-unreadable",
                                    error = e.to_string()
                                )
                            })
                        })
                    })
                    .collect()
            }
            Shape::Project { .. } => Err(crate::backends::unsupported("providers")),
        })
        .await
    }

    async fn list_workflows(
        &self,
        _scope: Option<&str>,
        id: &str,
    ) -> Result<Vec<crate::backends::model::Workflow>, ApiError> {
        let app = self.get_app(None, id).await?;
        Ok(app.workflows().to_vec())
    }

    async fn node_types(
        &self,
        _scope: Option<&str>,
        id: &str,
    ) -> Result<Vec<crate::api::NodeType>, ApiError> {
        self.get_app(None, id).await?;
        Ok(crate::workflow::edit::documented_node_types())
    }
}
