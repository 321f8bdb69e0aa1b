//! A Hopae Connect workspace: its HTTP client (`api`) and the [`Workspace`] over it.

pub mod api;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use self::api::{ApiError, Client, Connection, RetryPolicy};
use super::model::{Answer, App, Created, NewApp, ProviderStatus, WebhookPatch, Workflow};
use super::{
    AuthMethod, BackendKind, Capabilities, ConnectionInfo, ImportProgress, ListProgress, Workspace,
};
use crate::import::{
    self, CancelFlag, ExistingMode, ImportError, ImportReport, PlanPreview, Prepared, RunOptions,
};
use crate::secret::Secret;

/// A workspace reached over the Workspace API.
#[derive(Debug, Clone)]
pub struct HopaeWorkspace {
    client: Client,
    local_sandbox: bool,
}

impl HopaeWorkspace {
    pub fn new(connection: Connection, local_sandbox: bool) -> Result<Self, ApiError> {
        Ok(Self {
            client: Client::new(connection)?,
            local_sandbox,
        })
    }

    /// Over a client already configured (the command line's flags).
    pub fn from_client(client: Client) -> Self {
        Self {
            client,
            local_sandbox: false,
        }
    }

    /// The client, for the import's batch calls and the command line's reads.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// The console's app from the API's.
pub fn app_of(app: api::App) -> App {
    let app = app.without_secret();
    App {
        id: app.client_id.clone(),
        client_id: app.client_id.clone(),
        name: app.name.clone(),
        oidc: Some(Arc::new(app)),
        api: None,
    }
}

#[async_trait::async_trait]
impl Workspace for HopaeWorkspace {
    fn kind(&self) -> BackendKind {
        BackendKind::Hopae
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::WORKSPACE
    }

    fn info(&self) -> ConnectionInfo {
        let connection = self.client.connection();
        ConnectionInfo {
            backend: BackendKind::Hopae,
            environment: connection.environment(),
            base_url: connection
                .base_url()
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            host: connection.base_url().host_str().unwrap_or("").to_owned(),
            local_sandbox: self.local_sandbox,
            org_id: None,
        }
    }

    fn with_limits(&self, retry: Option<RetryPolicy>, deadline: Duration) -> Arc<dyn Workspace> {
        let client = self.client.clone().with_deadline(deadline);
        let client = match retry {
            Some(retry) => client.with_retry(retry),
            None => client,
        };
        Arc::new(Self {
            client,
            local_sandbox: self.local_sandbox,
        })
    }

    fn key(&self) -> Secret {
        self.client.connection().api_key().clone()
    }

    async fn check(&self) -> Result<(), ApiError> {
        self.client.list_apps_page(0, 1).await.map(|_| ())
    }

    async fn list_apps(
        &self,
        _scope: Option<&str>,
        progress: ListProgress<'_>,
    ) -> Result<Vec<App>, ApiError> {
        let apps = self
            .client
            .list_all_apps(api::DEFAULT_PAGE_CONCURRENCY, progress)
            .await?;
        Ok(apps.into_iter().map(app_of).collect())
    }

    async fn get_app(&self, _scope: Option<&str>, id: &str) -> Result<App, ApiError> {
        self.client.get_app(id).await.map(app_of)
    }

    async fn create_app(&self, _scope: Option<&str>, new: &NewApp) -> Result<Created, ApiError> {
        let answer = self
            .client
            .create_app(&new.name, &new.idempotency_key)
            .await?;
        let mut created = answer.value;
        let secret = created.client_secret.take();
        Ok(Created {
            follow_up_error: None,
            app: app_of(created),
            secret,
            request_id: answer.request_id,
        })
    }

    async fn rename_app(
        &self,
        _scope: Option<&str>,
        id: &str,
        name: &str,
    ) -> Result<Answer<App>, ApiError> {
        Ok(self.client.rename_app_answer(id, name).await?.map(app_of))
    }

    async fn rotate_secret(
        &self,
        _scope: Option<&str>,
        id: &str,
        idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError> {
        let rotated = self
            .client
            .rotate_client_secret(id, idempotency_key)
            .await?;
        Ok(rotated.answer())
    }

    async fn replace_redirect_uris(
        &self,
        _scope: Option<&str>,
        id: &str,
        uris: &[String],
    ) -> Result<Answer<Vec<String>>, ApiError> {
        self.client.replace_redirect_uris_answer(id, uris).await
    }

    async fn update_webhook(
        &self,
        _scope: Option<&str>,
        id: &str,
        patch: &WebhookPatch,
    ) -> Result<Answer<App>, ApiError> {
        Ok(self.client.update_webhook(id, patch).await?.map(app_of))
    }

    async fn rotate_webhook_secret(
        &self,
        _scope: Option<&str>,
        id: &str,
        idempotency_key: &str,
    ) -> Result<Answer<Secret>, ApiError> {
        let rotated = self
            .client
            .rotate_webhook_secret(id, idempotency_key)
            .await?;
        Ok(rotated.answer())
    }

    async fn list_providers(
        &self,
        _scope: Option<&str>,
        id: &str,
    ) -> Result<Vec<ProviderStatus>, ApiError> {
        self.client.list_providers(id).await
    }

    async fn list_workflows(
        &self,
        _scope: Option<&str>,
        id: &str,
    ) -> Result<Vec<Workflow>, ApiError> {
        self.client.list_workflows(id).await
    }

    async fn create_workflow(
        &self,
        _scope: Option<&str>,
        id: &str,
        workflow: &Workflow,
        idempotency_key: &str,
    ) -> Result<Answer<Workflow>, ApiError> {
        self.client
            .create_workflow(id, workflow, idempotency_key)
            .await
    }

    async fn node_types(
        &self,
        _scope: Option<&str>,
        id: &str,
    ) -> Result<Vec<crate::api::NodeType>, ApiError> {
        self.client.node_types(id).await
    }

    async fn update_workflow(
        &self,
        _scope: Option<&str>,
        id: &str,
        workflow_id: &str,
        workflow: &Workflow,
    ) -> Result<Answer<Workflow>, ApiError> {
        self.client.update_workflow(id, workflow_id, workflow).await
    }

    async fn plan_import(
        &self,
        _scope: Option<&str>,
        prepared: Arc<Prepared>,
        journal_dir: PathBuf,
        mode: ExistingMode,
    ) -> Result<PlanPreview, ImportError> {
        import::preview::preview_workspace(&self.client, journal_dir, prepared, mode).await
    }

    async fn dry_run_import(
        &self,
        _scope: Option<&str>,
        prepared: Arc<Prepared>,
        journal_dir: PathBuf,
        mode: ExistingMode,
    ) -> Result<(ImportReport, usize), ImportError> {
        let existing = import::survey(&self.client).await?;
        let journal =
            import::Journal::read(&journal_dir, self.client.connection().base_url().as_str())?;
        let report = import::dry_run(&prepared, &existing, &journal, mode);
        Ok((report, existing.len()))
    }

    async fn run_import(
        &self,
        _scope: Option<&str>,
        prepared: Arc<Prepared>,
        journal_dir: PathBuf,
        options: RunOptions,
        _auth_method: Option<AuthMethod>,
        cancel: CancelFlag,
        progress: ImportProgress,
    ) -> Result<ImportReport, ImportError> {
        import::import(
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
