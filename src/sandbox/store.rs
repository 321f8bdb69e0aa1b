//! The sandbox's in-memory workspace: apps, workflows, webhook secrets, provider activations,
//! idempotency records, and the state file.
//!
//! These are the sandbox's own wire types, written from the API docs independently of
//! `crate::api::models`, so a field misread on one side shows up as a failing test.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

pub use crate::clock::iso_now;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Idempotency keys live this long (the documented 24 hours).
pub const IDEMPOTENCY_TTL_SECS: u64 = 24 * 60 * 60;

/// An app as the sandbox stores and serves it (Gen-2 camelCase).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SbApp {
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub providers: BTreeMap<String, Value>,
    pub default_workflow_id: String,
    /// Workflow objects as served (`workflowId`, `name`, `entryNodeId`, `nodes`, ...).
    pub workflows: Vec<Value>,
    pub organization_id: String,
    pub webhook_config: Value,
}

/// Where one provider's activation stands on one app.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    /// `not_activated`, `activation_requested`, `activation_processing`, `rejected` or
    /// `activated`.
    pub status: String,
    /// `act_…`.
    pub id: String,
    /// Values submitted for the provider's requirements, by requirement id.
    #[serde(default)]
    pub submitted: BTreeMap<String, Value>,
    #[serde(default)]
    pub requested_at: Option<String>,
    #[serde(default)]
    pub activated_at: Option<String>,
    /// Why a review rejected the request.
    #[serde(default)]
    pub rejection_reason: Option<String>,
}

/// A finished response kept for replay.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Value,
    pub location: Option<String>,
}

/// What the sandbox remembers about one idempotency key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// Hash of method, path and body: a different request under the same key is a conflict.
    pub fingerprint: String,
    /// `None` while the first request is still being processed.
    pub response: Option<StoredResponse>,
    pub created_unix: u64,
}

/// The whole workspace.
#[derive(Debug, Serialize, Deserialize)]
pub struct Store {
    pub organization_id: String,
    pub created_unix: u64,
    pub apps: Vec<SbApp>,
    #[serde(skip)]
    index: HashMap<String, usize>,
    /// Request-level keys (`Idempotency-Key` header), scoped to this workspace.
    pub idempotency: HashMap<String, IdempotencyRecord>,
    /// Batch item keys (`items[].idempotencyKey`), scoped to this workspace.
    pub item_keys: HashMap<String, IdempotencyRecord>,
    /// Webhook signing secrets by client id. Kept beside the apps, never inside them: an app's
    /// `webhookConfig` as lists and gets serve it has no secret.
    #[serde(default)]
    pub webhook_secrets: HashMap<String, String>,
    /// Provider activations by client id, then provider id. A provider without a record is
    /// activated when the app has it enabled (the sandbox activates on enable), else not.
    #[serde(default)]
    pub activations: HashMap<String, BTreeMap<String, Activation>>,
    #[serde(skip, default = "StdRng::from_os_rng")]
    rng: StdRng,
    /// When expired keys were last forgotten: at most once a minute, not on every write.
    #[serde(skip)]
    purged_unix: u64,
}

impl Store {
    pub fn new(seed: Option<u64>) -> Self {
        let mut rng = seed.map_or_else(StdRng::from_os_rng, StdRng::seed_from_u64);
        let organization_id = format!("org_{}", random_hex(&mut rng, 12));
        Self {
            organization_id,
            created_unix: now_unix(),
            apps: Vec::new(),
            index: HashMap::new(),
            idempotency: HashMap::new(),
            item_keys: HashMap::new(),
            webhook_secrets: HashMap::new(),
            activations: HashMap::new(),
            rng,
            purged_unix: 0,
        }
    }

    /// Loads a state file written by [`Store::save`]; a missing file gives `None`.
    pub fn load(path: &Path, seed: Option<u64>) -> std::io::Result<Option<Self>> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut store: Store = serde_json::from_slice(&bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        if let Some(seed) = seed {
            store.rng = StdRng::seed_from_u64(seed);
        }
        store.reindex();
        Ok(Some(store))
    }

    /// The state as JSON, for [`write_atomically`].
    pub fn snapshot(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    fn reindex(&mut self) {
        self.index = self
            .apps
            .iter()
            .enumerate()
            .map(|(i, app)| (app.client_id.clone(), i))
            .collect();
    }

    pub fn app(&self, client_id: &str) -> Option<&SbApp> {
        self.index.get(client_id).map(|&i| &self.apps[i])
    }

    pub fn app_mut(&mut self, client_id: &str) -> Option<&mut SbApp> {
        self.index.get(client_id).map(|&i| &mut self.apps[i])
    }

    /// Creates an app with a default workflow (request -> verification -> response, passport on).
    pub fn create_app(
        &mut self,
        name: &str,
        redirect_uris: Vec<String>,
        webhook: Option<&Value>,
    ) -> SbApp {
        let draft = Self::draft_app(
            &mut self.rng,
            &self.organization_id,
            name,
            redirect_uris,
            webhook,
        );
        self.insert_app(draft).clone()
    }

    /// A generator for work done outside the store's lock (a batch's ids and secrets), seeded
    /// from the store's own so a seeded sandbox stays reproducible.
    pub fn fork_rng(&mut self) -> StdRng {
        StdRng::seed_from_u64(self.rng.random())
    }

    /// A new app with fresh ids and secret, not yet in the workspace: made outside the lock,
    /// so concurrent batches do not wait for each other's random numbers and JSON.
    pub fn draft_app(
        rng: &mut StdRng,
        organization_id: &str,
        name: &str,
        redirect_uris: Vec<String>,
        webhook: Option<&Value>,
    ) -> SbApp {
        let workflow = default_workflow(rng);
        let default_workflow_id = workflow["workflowId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut webhook_config =
            json!({"enabled": false, "retryAttempts": 3, "timeoutSeconds": 10, "events": []});
        if let Some(patch) = webhook {
            merge_object(&mut webhook_config, patch);
        }
        SbApp {
            client_secret: random_hex(rng, 64),
            client_id: random_alnum(rng, 8),
            name: name.to_owned(),
            redirect_uris,
            providers: BTreeMap::from([("passport".to_owned(), json!({"enabled": true}))]),
            default_workflow_id,
            workflows: vec![workflow],
            organization_id: organization_id.to_owned(),
            webhook_config,
        }
    }

    /// Adds a drafted app; a client id already taken (a one-in-billions collision) is drawn
    /// again. Returns the app as stored.
    pub fn insert_app(&mut self, mut app: SbApp) -> &SbApp {
        while self.index.contains_key(&app.client_id) {
            app.client_id = random_alnum(&mut self.rng, 8);
        }
        let index = self.apps.len();
        self.index.insert(app.client_id.clone(), index);
        self.apps.push(app);
        &self.apps[index]
    }

    /// A fresh 64-hex client secret.
    pub fn new_secret(&mut self) -> String {
        random_hex(&mut self.rng, 64)
    }

    /// A fresh webhook signing secret, `whsec_` and 48 hex digits.
    pub fn new_webhook_secret(&mut self) -> String {
        format!("whsec_{}", random_hex(&mut self.rng, 48))
    }

    pub fn new_id(&mut self, prefix: &str) -> String {
        new_id(&mut self.rng, prefix)
    }

    /// Forgets idempotency records older than 24 hours.
    pub fn purge_expired(&mut self) {
        let now = now_unix();
        if now < self.purged_unix + 60 {
            return;
        }
        self.purged_unix = now;
        let cutoff = now.saturating_sub(IDEMPOTENCY_TTL_SECS);
        self.idempotency.retain(|_, r| r.created_unix >= cutoff);
        self.item_keys.retain(|_, r| r.created_unix >= cutoff);
    }
}

fn new_id(rng: &mut StdRng, prefix: &str) -> String {
    format!("{prefix}{}", random_hex(rng, 8))
}

/// request -> verification (passport) -> response, as every new app gets.
fn default_workflow(rng: &mut StdRng) -> Value {
    let (request, verification, response) =
        (new_id(rng, "nd_"), new_id(rng, "nd_"), new_id(rng, "nd_"));
    let now = iso_now();
    json!({
        "workflowId": new_id(rng, "wf_"),
        "name": "Default",
        "entryNodeId": request,
        "nodes": [
            {"id": request, "type": "request", "next": verification},
            {"id": verification, "type": "verification", "next": response,
             "config": {"channel": "oidc", "providers": ["passport"],
                        "claims": ["name", "given_name", "family_name", "birthdate"], "mode": "pii"}},
            {"id": response, "type": "response"}
        ],
        "createdAt": now, "updatedAt": now
    })
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a crash leaves the old or
/// the new state, never half of one. The file is readable by its owner only: it holds every
/// app's client secret.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut tmp = PathBuf::from(path);
    tmp.set_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let file = options.open(&tmp)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        let mut file = file;
        file.write_all(bytes)?;
    }
    #[cfg(not(unix))]
    {
        options.open(&tmp)?.write_all(bytes)?;
    }
    std::fs::rename(&tmp, path)
}

/// Shallow-merges the fields of `patch` into `target` (both objects).
pub fn merge_object(target: &mut Value, patch: &Value) {
    if let (Some(target), Some(patch)) = (target.as_object_mut(), patch.as_object()) {
        for (k, v) in patch {
            target.insert(k.clone(), v.clone());
        }
    }
}

pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn random_hex(rng: &mut StdRng, len: usize) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    (0..len)
        .map(|_| HEX[rng.random_range(0..16)] as char)
        .collect()
}

fn random_alnum(rng: &mut StdRng, len: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| ALNUM[rng.random_range(0..ALNUM.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids_and_state_round_trips() {
        let mut a = Store::new(Some(7));
        let mut b = Store::new(Some(7));
        let app_a = a.create_app("A", vec![], None);
        let app_b = b.create_app("A", vec![], None);
        assert_eq!(app_a.client_id, app_b.client_id);
        assert_eq!(app_a.client_id.len(), 8);
        assert_eq!(app_a.client_secret.len(), 64);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_atomically(&path, &a.snapshot()).unwrap();
        let loaded = Store::load(&path, None).unwrap().unwrap();
        assert_eq!(loaded.app(&app_a.client_id).unwrap().name, "A");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the state file holds secrets");
        }
    }
}
