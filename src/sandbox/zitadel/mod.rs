//! ZITADEL mode of the sandbox (`connect-console sandbox --zitadel`): a local stand-in for a
//! ZITADEL instance's management API v1, for the ZITADEL backend's tests and demos.
//!
//! Served at `http://127.0.0.1:PORT/management/v1`: projects (`_search`) and a project's apps
//! (`_search`, get, create API app, rename, regenerate secret, deactivate, reactivate), with
//! ZITADEL's semantics as in the fact sheet (names unique per project, a secret for BASIC apps
//! only and never on a GET, organisations chosen by `x-zitadel-orgid`, 64-bit integers as
//! strings, zero values omitted, errors as `{code, message, details[{id}]}`). Tokens: any
//! `Bearer FAKE_PAT_…` (read-only for `FAKE_PAT_READONLY_…`), or only `--api-key`. The home
//! organisation is [`HOME_ORG_ID`]; [`PARTNER_ORG_ID`] is reachable with the header; any other
//! organisation id is 7 PERMISSION_DENIED, as ZITADEL's permission check answers. The fault
//! flags work as in Hopae mode.

mod demo;
mod routes;
mod status;
mod store;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;

pub use routes::{PAT_PREFIX, READONLY_PAT_PREFIX};
pub use store::{HOME_ORG_ID, PARTNER_ORG_ID};
// The in-memory backend works on the store directly.
pub(crate) use demo::seed_demo;
pub(crate) use status::Status;
pub(crate) use store::{Kind, SbApp, ZStore};

use super::SandboxConfig;
use super::faults::FaultQueue;

/// State shared by the handlers.
pub(crate) struct ZShared {
    config: SandboxConfig,
    store: Mutex<ZStore>,
    faults: FaultQueue,
}

impl ZShared {
    /// The instance. Never held across an `.await`.
    fn store(&self) -> MutexGuard<'_, ZStore> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> &FaultQueue {
        &self.faults
    }

    pub(crate) fn app_count(&self) -> usize {
        self.store().app_count()
    }

    pub(crate) fn project_count(&self) -> usize {
        self.store().orgs.iter().map(|o| o.projects.len()).sum()
    }

    pub(crate) fn secret_matches(&self, app_id: &str, secret: &str) -> bool {
        self.store().secret_matches(app_id, secret)
    }

    pub(crate) fn key_ids(&self, app_id: &str) -> Vec<String> {
        self.store().key_ids(app_id)
    }
}

/// The seeded instance and its router.
pub(crate) fn build(config: SandboxConfig) -> (Arc<ZShared>, Router) {
    let mut store = ZStore::new(config.seed);
    if config.demo {
        demo::seed_demo(&mut store);
    } else {
        demo::seed_empty(&mut store);
    }
    demo::seed_generated(&mut store, config.generated_apps);
    let shared = Arc::new(ZShared {
        faults: FaultQueue::new(config.seed),
        config,
        store: Mutex::new(store),
    });
    let router = routes::router(shared.clone());
    (shared, router)
}
