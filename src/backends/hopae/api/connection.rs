//! Where the client connects and with which key, checked before any request is sent.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use url::Url;

use super::error::ApiError;
use crate::secret::Secret;

/// Base URL of Hopae's sandbox Workspace API.
pub const HOPAE_SANDBOX_URL: &str = "https://sandbox.api.hopae.com/connect/v1";
/// Base URL of Hopae's production Workspace API.
pub const HOPAE_PRODUCTION_URL: &str = "https://api.hopae.com/connect/v1";

const SANDBOX_HOST: &str = "sandbox.api.hopae.com";
const PRODUCTION_HOST: &str = "api.hopae.com";
const KEY_PREFIX: &str = "sk_workspace_";
const TEST_KEY_PREFIX: &str = "sk_workspace_test_";
const PROD_KEY_PREFIX: &str = "sk_workspace_prod_";

/// Which kind of workspace a connection reaches; decides banners and write confirmations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// A server on this machine (the embedded sandbox or `connect-console sandbox`).
    Local,
    /// Hopae's sandbox, or another server with a test key.
    Sandbox,
    /// A production key: writes touch real customers.
    Production,
}

/// A validated base URL and API key, and the certificate authority file to trust, if any.
#[derive(Clone)]
pub struct Connection {
    base_url: Url,
    api_key: Secret,
    ca_file: Option<PathBuf>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("base_url", &self.base_url.as_str())
            .field("api_key", &self.api_key.hint())
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl Connection {
    /// Checks the pair: https (or http on loopback), a `sk_workspace_` key, and no production key
    /// on the sandbox host or test key on the production host.
    pub fn new(base_url: &str, api_key: Secret) -> Result<Self, ApiError> {
        let trimmed = base_url.trim();
        let mut url = Url::parse(trimmed).map_err(|_| {
            ApiError::local_worded(|| {
                crate::tr!(
                    "hopae-address-not-web",
                    address = trimmed,
                    example = HOPAE_SANDBOX_URL
                )
            })
        })?;
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return Err(ApiError::local_worded(|| {
                crate::tr!("hopae-address-no-host")
            }));
        };
        let loopback = is_loopback(&host);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(ApiError::local_worded(|| {
                    crate::tr!(
                        "hopae-address-plain-http",
                        address = format!("https://{host}{}", url.path())
                    )
                }));
            }
            other => {
                return Err(ApiError::local_worded(|| {
                    crate::tr!("hopae-address-scheme", scheme = other)
                }));
            }
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        url.set_query(None);
        url.set_fragment(None);

        let key = api_key.expose().trim();
        if key.is_empty() {
            return Err(ApiError::local_worded(|| crate::tr!("hopae-no-api-key")));
        }
        if !key.starts_with(KEY_PREFIX) {
            return Err(ApiError::local_worded(|| {
                crate::tr!("hopae-not-a-workspace-key")
            }));
        }
        if host == SANDBOX_HOST && key.starts_with(PROD_KEY_PREFIX) {
            return Err(ApiError::local_worded(|| {
                crate::tr!(
                    "hopae-production-key-on-sandbox",
                    url = HOPAE_PRODUCTION_URL
                )
            }));
        }
        if host == PRODUCTION_HOST && key.starts_with(TEST_KEY_PREFIX) {
            return Err(ApiError::local_worded(|| {
                crate::tr!("hopae-test-key-on-production", url = HOPAE_SANDBOX_URL)
            }));
        }
        let api_key = if key.len() == api_key.expose().len() {
            api_key
        } else {
            Secret::new(key)
        };
        Ok(Self {
            base_url: url,
            api_key,
            ca_file: None,
        })
    }

    /// The same connection also trusting the certificate authorities in this PEM file (the
    /// file is read, and refused if unusable, when the client is built).
    pub fn with_ca_file(mut self, ca_file: Option<PathBuf>) -> Self {
        self.ca_file = ca_file.filter(|p| !p.as_os_str().is_empty());
        self
    }

    /// The certificate authority file trusted besides the system's, if any.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    /// The Hopae base URL that matches a key's environment, for when only a key is given.
    pub fn default_base_url_for(api_key: &Secret) -> &'static str {
        if api_key.expose().starts_with(PROD_KEY_PREFIX) {
            HOPAE_PRODUCTION_URL
        } else {
            HOPAE_SANDBOX_URL
        }
    }

    /// The base URL, always ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    pub fn api_key(&self) -> &Secret {
        &self.api_key
    }

    /// Production when the key is a production key, whatever the address, and on every
    /// address but this computer and Hopae's own sandbox host, whatever the key looks like: a
    /// mislabelled key or an unfamiliar address must not hide that writes are real.
    pub fn environment(&self) -> Environment {
        let host = self.base_url.host_str().unwrap_or_default();
        if self.api_key.expose().starts_with(PROD_KEY_PREFIX) {
            Environment::Production
        } else if is_loopback(host) {
            Environment::Local
        } else if host.eq_ignore_ascii_case(SANDBOX_HOST) {
            Environment::Sandbox
        } else {
            Environment::Production
        }
    }
}

/// Whether `host` names this computer: `localhost`, 127.0.0.0/8 or `::1` (brackets allowed).
pub(super) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Secret {
        Secret::new(s)
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        let c = Connection::new(HOPAE_SANDBOX_URL, key("sk_workspace_test_FAKE")).unwrap();
        assert_eq!(
            c.base_url().as_str(),
            "https://sandbox.api.hopae.com/connect/v1/"
        );
        assert_eq!(c.environment(), Environment::Sandbox);
        let c = Connection::new(
            "http://127.0.0.1:8787/connect/v1",
            key("sk_workspace_test_FAKE"),
        )
        .unwrap();
        assert_eq!(c.environment(), Environment::Local);
        assert!(
            Connection::new("http://[::1]:80/connect/v1", key("sk_workspace_test_FAKE")).is_ok()
        );
        assert!(
            Connection::new("http://localhost/connect/v1", key("sk_workspace_test_FAKE")).is_ok()
        );
    }

    #[test]
    fn plain_http_elsewhere_is_refused() {
        let err = Connection::new(
            "http://api.hopae.com/connect/v1",
            key("sk_workspace_prod_FAKE"),
        )
        .unwrap_err();
        assert!(err.message.contains("https://"), "{}", err.message);
        assert!(Connection::new("ftp://x.example/", key("sk_workspace_test_FAKE")).is_err());
        assert!(Connection::new("not a url", key("sk_workspace_test_FAKE")).is_err());
    }

    #[test]
    fn keys_for_the_other_environment_are_refused() {
        let err = Connection::new(HOPAE_SANDBOX_URL, key("sk_workspace_prod_FAKE")).unwrap_err();
        assert!(err.message.contains("production key"));
        let err = Connection::new(HOPAE_PRODUCTION_URL, key("sk_workspace_test_FAKE")).unwrap_err();
        assert!(err.message.contains("test key"));
        let c = Connection::new(HOPAE_PRODUCTION_URL, key("sk_workspace_prod_FAKE")).unwrap();
        assert_eq!(c.environment(), Environment::Production);
        // The production host is production whatever the key's prefix.
        let c = Connection::new(HOPAE_PRODUCTION_URL, key("sk_workspace_other_FAKE")).unwrap();
        assert_eq!(c.environment(), Environment::Production);
        // Any other computer is production too: a company's own Connect address, with a test
        // key, is still a real instance.
        let c = Connection::new(
            "https://connect.corp.example/connect/v1",
            key("sk_workspace_test_FAKE"),
        )
        .unwrap();
        assert_eq!(c.environment(), Environment::Production);
        assert!(Connection::new(HOPAE_SANDBOX_URL, key("not_a_key")).is_err());
        assert!(Connection::new(HOPAE_SANDBOX_URL, key("  ")).is_err());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let c = Connection::new(
            HOPAE_SANDBOX_URL,
            key("sk_workspace_test_FAKEFAKEFAKEFAKE9876"),
        )
        .unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("FAKEFAKE"), "{text}");
    }
}
