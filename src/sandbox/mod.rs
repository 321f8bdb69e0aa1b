//! A local Connect-compatible server (axum, in memory): the console's embedded default and the
//! ground for every test.
//!
//! It follows the Gen-2 contract (Bearer auth, error envelope with `request_id`, 201 + `Location`,
//! offset paging, idempotency keys, webhook configs and secret rotation, the provider catalog
//! with activation states) and can inject faults: latency, 500s and 429s with
//! `Retry-After`, and writes that commit and then drop the connection.
//!
//! With [`SandboxConfig::zitadel`] it serves a ZITADEL management API v1 instead (see
//! [`zitadel`]), with the same fault flags.

mod catalog;
mod demo;
mod faults;
mod routes;
mod store;
pub mod zitadel;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::oneshot;

pub use faults::Fault;
// The in-memory backend works on these stores directly, with the same rules, without HTTP.
pub(crate) use catalog::PROVIDERS;
pub(crate) use demo::seed_demo;
use faults::FaultQueue;
pub(crate) use routes::{merged_webhook, provider_json, webhook_lacks_url};
use store::write_atomically;
pub(crate) use store::{SbApp, Store};

/// How to run the sandbox.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// Seed demo apps and workflows (names in several scripts, branching and broken workflows).
    pub demo: bool,
    /// Extra generated apps, for load and list tests.
    pub generated_apps: usize,
    /// The one key accepted; `None` accepts any `sk_workspace_test_` key.
    pub api_key: Option<String>,
    /// Added to every request.
    pub latency: Duration,
    /// Share of requests answered 500 or 429 with `Retry-After`.
    pub fail_rate: f64,
    /// Share of writes that commit and then drop the connection without an answer.
    pub drop_rate: f64,
    /// Seed for ids, secrets and faults; `None` is random.
    pub seed: Option<u64>,
    /// Load at start, save atomically after each change (Hopae mode only).
    pub state_file: Option<PathBuf>,
    /// Serve a ZITADEL management API v1 (projects and API apps) instead of the Workspace API.
    pub zitadel: bool,
}

/// The seed of the console's embedded demo: the same apps with the same client ids at every
/// start, so an id noted yesterday still finds its app today.
pub const DEMO_SEED: u64 = 20_261_206;

impl SandboxConfig {
    /// The console's embedded demo on a free port: the demo apps (and `extra_apps` generated
    /// ones), always with the same ids.
    pub fn embedded_demo(extra_apps: usize) -> Self {
        Self {
            port: 0,
            demo: true,
            generated_apps: extra_apps,
            seed: Some(DEMO_SEED),
            ..Self::default()
        }
    }
}

/// State shared by the handlers.
pub(crate) struct Shared {
    config: SandboxConfig,
    store: Mutex<Store>,
    faults: FaultQueue,
}

impl Shared {
    /// The workspace. Never held across an `.await`.
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the state file, if there is one. Called after every change.
    fn persist(&self) {
        let Some(path) = &self.config.state_file else {
            return;
        };
        let snapshot = self.store().snapshot();
        if let Err(e) = write_atomically(path, &snapshot) {
            tracing::warn!(path = %path.display(), error = %e, "could not save the sandbox state");
        }
    }
}

/// Which API a running sandbox serves.
enum Served {
    Hopae(Arc<Shared>),
    Zitadel(Arc<zitadel::ZShared>),
}

/// A sandbox running on the current tokio runtime. Dropping it stops the server.
pub struct RunningSandbox {
    addr: SocketAddr,
    served: Served,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningSandbox {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What a client connects to: `http://127.0.0.1:PORT/connect/v1`, or in ZITADEL mode the
    /// instance origin `http://127.0.0.1:PORT` (the client adds `/management/v1`).
    pub fn base_url(&self) -> String {
        match self.served {
            Served::Hopae(_) => format!("http://{}/connect/v1", self.addr),
            Served::Zitadel(_) => format!("http://{}", self.addr),
        }
    }

    /// Whether this sandbox serves the ZITADEL management API.
    pub fn is_zitadel(&self) -> bool {
        matches!(self.served, Served::Zitadel(_))
    }

    /// Queues a fault for the next matching request (tests use this for deterministic faults).
    pub fn inject(&self, fault: Fault) {
        match &self.served {
            Served::Hopae(shared) => shared.faults.push(fault),
            Served::Zitadel(shared) => shared.faults().push(fault),
        }
    }

    /// Number of apps in the workspace, or in every project of a ZITADEL instance (for tests
    /// that count creations).
    pub fn app_count(&self) -> usize {
        match &self.served {
            Served::Hopae(shared) => shared.store().apps.len(),
            Served::Zitadel(shared) => shared.app_count(),
        }
    }

    /// Number of projects of a ZITADEL instance (0 in Hopae mode).
    pub fn project_count(&self) -> usize {
        match &self.served {
            Served::Hopae(_) => 0,
            Served::Zitadel(shared) => shared.project_count(),
        }
    }

    /// Whether `secret` is the current secret of the ZITADEL app `app_id` (for tests; the
    /// sandbox keeps only a hash).
    pub fn zitadel_secret_matches(&self, app_id: &str, secret: &str) -> bool {
        match &self.served {
            Served::Hopae(_) => false,
            Served::Zitadel(shared) => shared.secret_matches(app_id, secret),
        }
    }

    /// The key ids of the ZITADEL app `app_id` (for tests).
    pub fn zitadel_key_ids(&self, app_id: &str) -> Vec<String> {
        match &self.served {
            Served::Hopae(_) => Vec::new(),
            Served::Zitadel(shared) => shared.key_ids(app_id),
        }
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts the sandbox on 127.0.0.1 and returns once it accepts connections.
pub async fn start(config: SandboxConfig) -> std::io::Result<RunningSandbox> {
    if config.zitadel {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let (shared, app) = zitadel::build(config);
        return serve(listener, app, Served::Zitadel(shared));
    }
    let loaded = match &config.state_file {
        Some(path) => Store::load(path, config.seed)?,
        None => None,
    };
    let fresh = loaded.is_none();
    let store = loaded.unwrap_or_else(|| {
        let mut store = Store::new(config.seed);
        if config.demo {
            demo::seed_demo(&mut store);
        }
        demo::seed_generated(&mut store, config.generated_apps);
        store
    });
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let shared = Arc::new(Shared {
        faults: FaultQueue::new(config.seed),
        config,
        store: Mutex::new(store),
    });
    if fresh {
        shared.persist();
    }
    let app = routes::router(shared.clone());
    serve(listener, app, Served::Hopae(shared))
}

/// Serves `app` on `listener` until the returned handle is stopped or dropped.
fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    served: Served,
) -> std::io::Result<RunningSandbox> {
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
    Ok(RunningSandbox {
        addr,
        served,
        shutdown: Some(tx),
        task: Some(task),
    })
}
