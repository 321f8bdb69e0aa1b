//! The background tokio runtime: the UI sends a `Command`, a task does the I/O, and an `Event`
//! comes back, followed by a repaint request. Views never block and never touch the network.

use std::sync::{Arc, mpsc};

use crate::api::{self, ApiError, App, Client, Connection, Environment};
use crate::sandbox::{self, RunningSandbox, SandboxConfig};
use crate::secret::Secret;
use crate::settings::{KeyStorage, Keys};

/// What the UI asks the background to do. Cloned to offer Retry: a write is retried with the
/// same idempotency key, so a retry never creates a second app or rotates twice.
#[derive(Debug, Clone)]
pub enum Command {
    LoadApps,
    CreateApp {
        name: String,
        idempotency_key: String,
    },
    RenameApp {
        client_id: String,
        name: String,
    },
    RotateSecret {
        client_id: String,
        idempotency_key: String,
    },
    ReplaceRedirectUris {
        client_id: String,
        uris: Vec<String>,
    },
}

impl Command {
    /// Commands that change the workspace; in production they are confirmed first.
    pub fn is_write(&self) -> bool {
        !matches!(self, Command::LoadApps)
    }
}

/// What happened; applied to `AppState` in one place.
#[derive(Debug)]
pub enum Event {
    AppsProgress {
        loaded: usize,
        total: Option<usize>,
    },
    AppsLoaded(Vec<App>),
    AppsFailed(ApiError),
    AppCreated(App),
    CreateFailed(ApiError),
    AppRenamed(App),
    RenameFailed {
        client_id: String,
        error: ApiError,
    },
    SecretRotated {
        client_id: String,
        secret: Secret,
    },
    RotateFailed {
        client_id: String,
        error: ApiError,
    },
    RedirectUrisSaved {
        client_id: String,
        uris: Vec<String>,
    },
    RedirectUrisFailed {
        client_id: String,
        error: ApiError,
    },
    /// A workspace answered with this connection; the console switches to it.
    Connected {
        connection: Connection,
        storage: KeyStorage,
    },
    ConnectFailed(ApiError),
}

/// Owns the runtime, the client and (for the embedded default) the local sandbox.
pub struct Backend {
    runtime: tokio::runtime::Runtime,
    client: Client,
    retry: Option<api::RetryPolicy>,
    /// Bumped on every switch of workspace; events of an earlier one are dropped unseen.
    generation: u64,
    events_tx: mpsc::Sender<(u64, Event)>,
    events_rx: mpsc::Receiver<(u64, Event)>,
    repaint: Option<egui::Context>,
    sandbox: Option<RunningSandbox>,
}

/// The key the console uses for its own embedded sandbox: obviously not a real one.
const LOCAL_SANDBOX_KEY: &str = "sk_workspace_test_local_sandbox";

impl Backend {
    /// Starts a runtime and the embedded sandbox with demo data, and connects to it.
    pub fn embedded_sandbox(config: SandboxConfig) -> Result<Self, String> {
        let runtime = new_runtime()?;
        let running = runtime
            .block_on(sandbox::start(config))
            .map_err(|e| format!("Could not start the local sandbox: {e}"))?;
        let connection = Connection::new(&running.base_url(), Secret::new(LOCAL_SANDBOX_KEY))
            .map_err(|e| e.user_message())?;
        let mut backend = Self::with_runtime(runtime, connection)?;
        backend.sandbox = Some(running);
        Ok(backend)
    }

    /// Connects to a workspace.
    pub fn connect(connection: Connection) -> Result<Self, String> {
        Self::with_runtime(new_runtime()?, connection)
    }

    fn with_runtime(
        runtime: tokio::runtime::Runtime,
        connection: Connection,
    ) -> Result<Self, String> {
        let client = Client::new(connection).map_err(|e| e.user_message())?;
        let (events_tx, events_rx) = mpsc::channel();
        Ok(Self {
            runtime,
            client,
            retry: None,
            generation: 0,
            events_tx,
            events_rx,
            repaint: None,
            sandbox: None,
        })
    }

    /// Replaces the client's retry policy (tests use short delays).
    pub fn set_retry(&mut self, retry: api::RetryPolicy) {
        self.client = self.client.clone().with_retry(retry);
        self.retry = Some(retry);
    }

    /// Switches to another workspace. Work in flight for the old one finishes unseen.
    pub fn switch_to(&mut self, connection: Connection) -> Result<(), ApiError> {
        let mut client = Client::new(connection)?;
        if let Some(retry) = &self.retry {
            client = client.with_retry(*retry);
        }
        self.client = client;
        self.sandbox = None;
        self.generation += 1;
        Ok(())
    }

    /// Switches back to a fresh embedded sandbox with demo data.
    pub fn switch_to_local(&mut self, config: SandboxConfig) -> Result<(), String> {
        let running = self
            .runtime
            .block_on(sandbox::start(config))
            .map_err(|e| format!("Could not start the local sandbox: {e}"))?;
        let connection = Connection::new(&running.base_url(), Secret::new(LOCAL_SANDBOX_KEY))
            .map_err(|e| e.user_message())?;
        self.switch_to(connection).map_err(|e| e.user_message())?;
        self.sandbox = Some(running);
        Ok(())
    }

    /// Checks a workspace address and key with one small read, then keeps the key (keyring, or
    /// this run only) and reports `Connected`. The key is `CONNECT_API_KEY` when set, else the
    /// one typed, else the one stored for that address.
    pub fn probe_connection(&self, base_url: String, typed_key: Option<Secret>, keys: Arc<Keys>) {
        let emit = self.emitter();
        let retry = self.retry;
        self.runtime.spawn(async move {
            let event = match probe(base_url, typed_key, keys, retry).await {
                Ok((connection, storage)) => Event::Connected {
                    connection,
                    storage,
                },
                Err(error) => Event::ConnectFailed(error),
            };
            emit.emit(event);
        });
    }

    /// Every event is followed by a repaint of this context.
    pub fn set_repaint_context(&mut self, ctx: egui::Context) {
        self.repaint = Some(ctx);
    }

    pub fn environment(&self) -> Environment {
        self.client.connection().environment()
    }

    /// The embedded sandbox, when the console runs on it.
    pub fn sandbox(&self) -> Option<&RunningSandbox> {
        self.sandbox.as_ref()
    }

    pub fn base_url(&self) -> String {
        self.client.connection().base_url().to_string()
    }

    /// A handle on the client, for views that run their own long tasks (import, workflows).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The background runtime, for views that spawn their own tasks.
    pub fn runtime_handle(&self) -> tokio::runtime::Handle {
        self.runtime.handle().clone()
    }

    /// The next event, if one has arrived.
    pub fn try_recv(&self) -> Option<Event> {
        loop {
            let (generation, event) = self.events_rx.try_recv().ok()?;
            if generation == self.generation {
                return Some(event);
            }
        }
    }

    fn emitter(&self) -> Emitter {
        Emitter {
            tx: self.events_tx.clone(),
            generation: self.generation,
            repaint: self.repaint.clone(),
        }
    }

    /// Runs a command in the background.
    #[track_caller]
    pub fn send(&self, command: Command) {
        tracing::debug!(?command, caller = %std::panic::Location::caller(), "command");
        let client = self.client.clone();
        let emit = self.emitter();
        self.runtime
            .spawn(async move { run_command(&client, command, &emit).await });
    }
}

struct Emitter {
    tx: mpsc::Sender<(u64, Event)>,
    generation: u64,
    repaint: Option<egui::Context>,
}

impl Emitter {
    fn emit(&self, event: Event) {
        let _ = self.tx.send((self.generation, event));
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }
}

async fn run_command(client: &Client, command: Command, emit: &Emitter) {
    match command {
        Command::LoadApps => {
            let progress = |loaded, total| emit.emit(Event::AppsProgress { loaded, total });
            match client
                .list_all_apps(api::DEFAULT_PAGE_CONCURRENCY, progress)
                .await
            {
                Ok(apps) => emit.emit(Event::AppsLoaded(apps)),
                Err(error) => emit.emit(Event::AppsFailed(error)),
            }
        }
        Command::CreateApp {
            name,
            idempotency_key,
        } => match client.create_app(&name, &idempotency_key).await {
            Ok(created) => emit.emit(Event::AppCreated(created.value)),
            Err(error) => emit.emit(Event::CreateFailed(error)),
        },
        Command::RenameApp { client_id, name } => {
            match client.rename_app(&client_id, &name).await {
                Ok(app) => emit.emit(Event::AppRenamed(app)),
                Err(error) => emit.emit(Event::RenameFailed { client_id, error }),
            }
        }
        Command::RotateSecret {
            client_id,
            idempotency_key,
        } => {
            match client
                .rotate_client_secret(&client_id, &idempotency_key)
                .await
            {
                Ok(rotated) => emit.emit(Event::SecretRotated {
                    client_id,
                    secret: rotated.value,
                }),
                Err(error) => emit.emit(Event::RotateFailed { client_id, error }),
            }
        }
        Command::ReplaceRedirectUris { client_id, uris } => {
            match client.replace_redirect_uris(&client_id, &uris).await {
                Ok(uris) => emit.emit(Event::RedirectUrisSaved { client_id, uris }),
                Err(error) => emit.emit(Event::RedirectUrisFailed { client_id, error }),
            }
        }
    }
}

async fn probe(
    base_url: String,
    typed_key: Option<Secret>,
    keys: Arc<Keys>,
    retry: Option<api::RetryPolicy>,
) -> Result<(Connection, KeyStorage), ApiError> {
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
    let connection = Connection::new(&base_url, key)?;
    let mut client = Client::new(connection.clone())?;
    if let Some(retry) = retry {
        client = client.with_retry(retry);
    }
    client.list_apps_page(0, 1).await?;
    let storage = match storage {
        Some(storage) => storage,
        None => {
            let (url, key) = (base_url.trim().to_owned(), connection.api_key().clone());
            tokio::task::spawn_blocking(move || keys.keep(&url, &key))
                .await
                .unwrap_or(KeyStorage::ThisRunOnly)
        }
    };
    Ok((connection, storage))
}

fn new_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("connect-io")
        .enable_all()
        .build()
        .map_err(|e| format!("Could not start the background runtime: {e}"))
}
