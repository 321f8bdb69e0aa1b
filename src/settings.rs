//! Where API keys live: the `CONNECT_API_KEY` variable, the OS keyring, or this run's memory.
//! Never a file: eframe storage only remembers the workspace address, and the path (never the
//! contents) of the certificate authority file each address was connected with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::secret::Secret;

/// Overrides any stored key, for scripts and locked-down machines.
pub const API_KEY_ENV: &str = "CONNECT_API_KEY";

/// The keyring service name; the account is the workspace's base URL.
const KEYRING_SERVICE: &str = "connect-console";

/// eframe storage key of the last workspace address (no key, no secret).
pub const LAST_BASE_URL_KEY: &str = "last_base_url";

/// eframe storage key of the certificate authority file of each address connected to: a JSON
/// object of address to path.
pub const CA_FILES_KEY: &str = "ca_files";

/// The certificate authority files remembered per workspace address (without a trailing `/`).
pub type CaFiles = std::collections::BTreeMap<String, std::path::PathBuf>;

/// Reads what [`write_ca_files`] wrote; anything unreadable is an empty list.
pub fn read_ca_files(text: Option<&str>) -> CaFiles {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

/// The remembered files as JSON, for eframe storage.
pub fn write_ca_files(files: &CaFiles) -> String {
    serde_json::to_string(files).unwrap_or_else(|_| "{}".to_owned())
}

/// An address as the remembered files are keyed: trimmed, without a trailing `/`.
pub fn address_key(base_url: &str) -> String {
    base_url.trim().trim_end_matches('/').to_owned()
}

/// Where the key of a connection came from or went to; shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStorage {
    /// Read from `CONNECT_API_KEY`; nothing was stored.
    Environment,
    /// Saved in (or read from) the OS keyring.
    Keyring,
    /// No keyring service answered: the key lives in memory until the console closes.
    ThisRunOnly,
}

impl KeyStorage {
    /// One sentence for the banner or the dialog.
    pub fn note(self) -> String {
        match self {
            KeyStorage::Environment => crate::tr!("keystore-environment"),
            KeyStorage::Keyring => crate::tr!("keystore-keyring"),
            KeyStorage::ThisRunOnly => crate::tr!("keystore-this-run-only"),
        }
    }
}

/// A place to keep API keys, one per workspace address.
pub trait KeyStore: Send + Sync {
    fn load(&self, base_url: &str) -> Result<Option<Secret>, String>;
    fn save(&self, base_url: &str, key: &Secret) -> Result<(), String>;
}

/// The OS keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
/// Calls may block on D-Bus, so they run on a blocking thread, never in a frame.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

impl KeyStore for OsKeyring {
    fn load(&self, base_url: &str) -> Result<Option<Secret>, String> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, base_url).map_err(describe)?;
        match entry.get_password() {
            Ok(key) => Ok(Some(Secret::new(key))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(e)),
        }
    }

    fn save(&self, base_url: &str, key: &Secret) -> Result<(), String> {
        keyring::Entry::new(KEYRING_SERVICE, base_url)
            .and_then(|entry| entry.set_password(key.expose()))
            .map_err(describe)
    }
}

/// The keyring's error, without anything it may echo of the secret.
fn describe(error: keyring::Error) -> String {
    match error {
        keyring::Error::NoStorageAccess(_) | keyring::Error::NoDefaultStore => {
            "no keyring service is running".to_owned()
        }
        keyring::Error::PlatformFailure(_) => "the keyring service failed".to_owned(),
        _ => "the keyring refused the request".to_owned(),
    }
}

/// Keys held in memory: the fallback when no keyring answers, and the store tests use.
#[derive(Debug, Default, Clone)]
pub struct MemoryKeyStore {
    keys: Arc<Mutex<HashMap<String, Secret>>>,
}

impl MemoryKeyStore {
    fn keys(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Secret>>, String> {
        self.keys
            .lock()
            .map_err(|_| "the keys kept for this run are unreadable".to_owned())
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, base_url: &str) -> Result<Option<Secret>, String> {
        Ok(self.keys()?.get(base_url).cloned())
    }

    fn save(&self, base_url: &str, key: &Secret) -> Result<(), String> {
        self.keys()?.insert(base_url.to_owned(), key.clone());
        Ok(())
    }
}

/// The keyring with a memory fallback: what the console uses.
pub struct Keys {
    primary: Box<dyn KeyStore>,
    this_run: MemoryKeyStore,
}

impl Keys {
    pub fn new(primary: Box<dyn KeyStore>) -> Self {
        Self {
            primary,
            this_run: MemoryKeyStore::default(),
        }
    }

    pub fn os() -> Self {
        Self::new(Box::new(OsKeyring))
    }

    /// The key for `base_url`: `CONNECT_API_KEY` first, then this run's memory, then the keyring.
    pub fn find(&self, base_url: &str, env_key: Option<Secret>) -> Option<(Secret, KeyStorage)> {
        if let Some(key) = env_key.filter(|k| !k.is_empty()) {
            return Some((key, KeyStorage::Environment));
        }
        if let Ok(Some(key)) = self.this_run.load(base_url) {
            return Some((key, KeyStorage::ThisRunOnly));
        }
        match self.primary.load(base_url) {
            Ok(Some(key)) => Some((key, KeyStorage::Keyring)),
            Ok(None) => None,
            Err(reason) => {
                tracing::debug!(%reason, "keyring lookup failed");
                None
            }
        }
    }

    /// Keeps a key typed by the user: in the keyring, or for this run when there is none.
    pub fn keep(&self, base_url: &str, key: &Secret) -> KeyStorage {
        match self.primary.save(base_url, key) {
            Ok(()) => KeyStorage::Keyring,
            Err(reason) => {
                tracing::info!(%reason, "API key kept in memory for this run");
                let _ = self.this_run.save(base_url, key);
                KeyStorage::ThisRunOnly
            }
        }
    }
}

/// `CONNECT_API_KEY`, when set and not empty.
pub fn env_api_key() -> Option<Secret> {
    std::env::var(API_KEY_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())
        .map(Secret::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://sandbox.api.hopae.com/connect/v1";
    const FAKE: &str = "sk_workspace_test_FAKE_KEY_0000";

    /// A keyring that is not there, like a headless Linux session.
    struct NoKeyring;

    impl KeyStore for NoKeyring {
        fn load(&self, _: &str) -> Result<Option<Secret>, String> {
            Err("no keyring service is running".into())
        }
        fn save(&self, _: &str, _: &Secret) -> Result<(), String> {
            Err("no keyring service is running".into())
        }
    }

    #[test]
    fn without_a_keyring_the_key_is_kept_for_this_run_only() {
        let keys = Keys::new(Box::new(NoKeyring));
        assert_eq!(keys.keep(URL, &Secret::new(FAKE)), KeyStorage::ThisRunOnly);
        let (key, from) = keys.find(URL, None).unwrap();
        assert_eq!((key.expose(), from), (FAKE, KeyStorage::ThisRunOnly));
        assert!(
            keys.find("https://other.example/connect/v1", None)
                .is_none()
        );
    }

    #[test]
    fn the_environment_overrides_a_stored_key() {
        let keys = Keys::new(Box::new(MemoryKeyStore::default()));
        assert_eq!(keys.keep(URL, &Secret::new(FAKE)), KeyStorage::Keyring);
        let env = Secret::new("sk_workspace_test_FAKE_FROM_ENV");
        let (key, from) = keys.find(URL, Some(env)).unwrap();
        assert_eq!(from, KeyStorage::Environment);
        assert_eq!(key.expose(), "sk_workspace_test_FAKE_FROM_ENV");
        let (_, from) = keys.find(URL, Some(Secret::new(""))).unwrap();
        assert_eq!(from, KeyStorage::Keyring);
    }
}
