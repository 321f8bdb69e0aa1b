//! A ZITADEL instance's projects as a [`Workspace`]: the scope is the project, and an app is
//! addressed by its app id.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::{CreatedApp, ZitadelApp, ZitadelClient, ZitadelConnection};
use crate::api::{ApiError, Environment, RetryPolicy};
use crate::backends::AppKind;
use crate::backends::keys::{AddedKey, AppKey, KeyExpiry};
use crate::backends::model::{Answer, ApiAppInfo, App, Created, NewApp, Scope};
use crate::backends::{
    AuthMethod, BackendKind, Capabilities, ConnectionInfo, ImportProgress, ListProgress, Workspace,
    answered, need_scope,
};
use crate::import::{
    self, CancelFlag, ExistingMode, ImportError, ImportReport, PlanPreview, Prepared, RunOptions,
};
use crate::secret::Secret;

/// An instance reached over the management API v1.
#[derive(Debug, Clone)]
pub struct ZitadelWorkspace {
    client: ZitadelClient,
}

impl ZitadelWorkspace {
    pub fn new(connection: ZitadelConnection) -> Result<Self, ApiError> {
        Ok(Self {
            client: ZitadelClient::new(connection)?,
        })
    }

    /// Over a client already configured (the command line's flags).
    pub fn from_client(client: ZitadelClient) -> Self {
        Self { client }
    }

    pub fn client(&self) -> &ZitadelClient {
        &self.client
    }
}

/// The console's app from ZITADEL's.
pub fn app_of(app: ZitadelApp) -> App {
    App {
        id: app.app_id,
        client_id: app.client_id,
        name: app.name,
        oidc: None,
        api: Some(ApiAppInfo {
            state: app.state,
            kind: app.kind,
            auth_method: app.auth_method,
            created: app.created,
            changed: app.changed,
        }),
    }
}

fn created_of(created: CreatedApp) -> Created {
    let app = app_of(created.app());
    Created {
        follow_up_error: None,
        app,
        secret: created.client_secret,
        request_id: None,
    }
}

#[async_trait::async_trait]
impl Workspace for ZitadelWorkspace {
    fn kind(&self) -> BackendKind {
        BackendKind::Zitadel
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::PROJECT
    }

    fn info(&self) -> ConnectionInfo {
        let connection = self.client.connection();
        ConnectionInfo {
            backend: BackendKind::Zitadel,
            // An instance on another computer is someone's real one: writes there ask first.
            environment: if connection.is_local() {
                Environment::Local
            } else {
                Environment::Production
            },
            base_url: connection
                .origin()
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            host: connection.origin().host_str().unwrap_or("").to_owned(),
            local_sandbox: false,
            org_id: connection.org_id().map(str::to_owned),
        }
    }

    fn with_limits(&self, retry: Option<RetryPolicy>, deadline: Duration) -> Arc<dyn Workspace> {
        let client = self.client.clone().with_deadline(deadline);
        let client = match retry {
            Some(retry) => client.with_retry(retry),
            None => client,
        };
        Arc::new(Self { client })
    }

    fn key(&self) -> Secret {
        self.client.connection().pat().clone()
    }

    async fn check(&self) -> Result<(), ApiError> {
        self.client.list_projects().await.map(|_| ())
    }

    async fn list_scopes(&self) -> Result<Vec<Scope>, ApiError> {
        let projects = self.client.list_projects().await?;
        Ok(projects
            .into_iter()
            .map(|p| Scope {
                id: p.id,
                name: p.name,
                active: p.state == super::ProjectState::Active,
            })
            .collect())
    }

    async fn list_apps(
        &self,
        scope: Option<&str>,
        progress: ListProgress<'_>,
    ) -> Result<Vec<App>, ApiError> {
        let Some(project) = scope else {
            return Ok(Vec::new());
        };
        let apps = self.client.list_apps(project).await?;
        progress(apps.len(), Some(apps.len()));
        Ok(apps.into_iter().map(app_of).collect())
    }

    async fn get_app(&self, scope: Option<&str>, id: &str) -> Result<App, ApiError> {
        let project = need_scope(scope)?;
        self.client.resolve_app(project, id).await.map(app_of)
    }

    async fn find_apps_by_name(
        &self,
        scope: Option<&str>,
        name: &str,
    ) -> Result<Vec<App>, ApiError> {
        let project = need_scope(scope)?;
        let found = self.client.find_app_by_name(project, name).await?;
        Ok(found.into_iter().map(app_of).collect())
    }

    async fn create_app(&self, scope: Option<&str>, new: &NewApp) -> Result<Created, ApiError> {
        let project = need_scope(scope)?;
        let method = crate::backends::need_auth_method(new)?;
        self.client
            .create_api_app(project, &new.name, method)
            .await
            .map(created_of)
    }

    async fn rename_app(
        &self,
        scope: Option<&str>,
        id: &str,
        name: &str,
    ) -> Result<Answer<App>, ApiError> {
        let project = need_scope(scope)?;
        self.client.rename_app(project, id, name).await?;
        let app = self.client.get_app(project, id).await?;
        Ok(answered(app_of(app)))
    }

    async fn rotate_secret(
        &self,
        scope: Option<&str>,
        id: &str,
        _idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError> {
        let project = need_scope(scope)?;
        let app = self.client.get_app(project, id).await?;
        let secret = self.client.regenerate_client_secret(project, &app).await?;
        Ok(answered(secret))
    }

    async fn list_app_keys(&self, scope: Option<&str>, id: &str) -> Result<Vec<AppKey>, ApiError> {
        self.client.list_app_keys(need_scope(scope)?, id).await
    }

    /// Refused before sending for an app that does not sign with keys.
    async fn add_app_key(
        &self,
        scope: Option<&str>,
        id: &str,
        expiry: KeyExpiry,
    ) -> Result<AddedKey, ApiError> {
        let project = need_scope(scope)?;
        let app = self.client.get_app(project, id).await?;
        if app.kind != AppKind::Api || app.auth_method != Some(AuthMethod::PrivateKeyJwt) {
            return Err(ApiError::local_worded(|| {
                crate::tr!(
                    "zitadel-add-key-not-key-app",
                    name = app.name.as_str(),
                    id = app.app_id.as_str()
                )
            }));
        }
        self.client.add_app_key(project, &app.app_id, expiry).await
    }

    async fn delete_app_key(
        &self,
        scope: Option<&str>,
        id: &str,
        key_id: &str,
    ) -> Result<(), ApiError> {
        self.client
            .delete_app_key(need_scope(scope)?, id, key_id)
            .await
    }

    async fn set_active(
        &self,
        scope: Option<&str>,
        id: &str,
        active: bool,
    ) -> Result<Answer<App>, ApiError> {
        let project = need_scope(scope)?;
        if active {
            self.client.reactivate_app(project, id).await?;
        } else {
            self.client.deactivate_app(project, id).await?;
        }
        let app = self.client.get_app(project, id).await?;
        Ok(answered(app_of(app)))
    }

    async fn plan_import(
        &self,
        scope: Option<&str>,
        prepared: Arc<Prepared>,
        journal_dir: PathBuf,
        mode: ExistingMode,
    ) -> Result<PlanPreview, ImportError> {
        let project = scope.ok_or_else(no_project)?;
        import::preview::preview_project(&self.client, project, journal_dir, prepared, mode).await
    }

    async fn dry_run_import(
        &self,
        scope: Option<&str>,
        prepared: Arc<Prepared>,
        journal_dir: PathBuf,
        mode: ExistingMode,
    ) -> Result<(ImportReport, usize), ImportError> {
        import::zitadel::check_existing_mode(mode)?;
        let project = scope.ok_or_else(no_project)?;
        let apps = import::survey_project(&self.client, project).await?;
        let journal = import::Journal::read(
            &journal_dir,
            &import::journal_workspace(self.client.connection(), project),
        )?;
        let report = import::dry_run_zitadel(&prepared, &apps, &journal);
        Ok((report, apps.len()))
    }

    async fn run_import(
        &self,
        scope: Option<&str>,
        prepared: Arc<Prepared>,
        journal_dir: PathBuf,
        options: RunOptions,
        auth_method: Option<AuthMethod>,
        cancel: CancelFlag,
        progress: ImportProgress,
    ) -> Result<ImportReport, ImportError> {
        let options = import::ZitadelImportOptions {
            project_id: scope.ok_or_else(no_project)?.to_owned(),
            auth_method: auth_method.unwrap_or(AuthMethod::Basic),
            concurrency: options.concurrency,
            retry: options.retry,
            secrets_file: options.secrets_file.clone(),
            existing: options.existing,
            keys: options.keys.clone(),
        };
        import::import_zitadel(
            &self.client,
            &prepared,
            &journal_dir,
            &options,
            &cancel,
            progress,
        )
        .await
    }
}

fn no_project() -> ImportError {
    ImportError::worded(|| crate::tr!("zitadel-import-pick-project"))
}
