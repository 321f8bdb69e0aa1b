//! Where the ZITADEL client connects, with which token and organisation, checked before any
//! request is sent.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use url::Url;

use super::error::truncate;
use crate::api::ApiError;
use crate::secret::{MASK, Secret};

/// The management API's path below the instance origin.
pub const MANAGEMENT_PATH: &str = "management/v1/";

/// Longest organisation id accepted (ZITADEL ids are at most 200 characters).
const MAX_ORG_ID_CHARS: usize = 200;

/// A validated instance origin, personal access token and optional organisation id.
#[derive(Clone)]
pub struct ZitadelConnection {
    origin: Url,
    management: Url,
    pat: Secret,
    org_id: Option<String>,
    /// A certificate authority file trusted besides the system's.
    ca_file: Option<PathBuf>,
}

impl fmt::Debug for ZitadelConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZitadelConnection")
            .field("origin", &self.origin.as_str())
            .field("pat", &MASK)
            .field("org_id", &self.org_id)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl ZitadelConnection {
    /// Checks the instance origin (https, or http on this computer), the token (one line of
    /// visible characters) and the organisation id (letters, digits, `-`, `_`; blank means the
    /// token's own organisation). An origin that already ends in `/management/v1` is accepted.
    pub fn new(origin: &str, pat: Secret, org_id: Option<&str>) -> Result<Self, ApiError> {
        let trimmed = origin.trim();
        let mut url = Url::parse(trimmed).map_err(|_| {
            let shown = truncate(trimmed, 80);
            ApiError::local_worded(|| {
                crate::tr!("zitadel-address-not-web", address = shown.as_str())
            })
        })?;
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return Err(ApiError::local_worded(|| {
                crate::tr!("zitadel-address-no-host")
            }));
        };
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(ApiError::local_worded(|| {
                    crate::tr!(
                        "zitadel-address-plain-http",
                        address = format!("https://{host}")
                    )
                }));
            }
            other => {
                return Err(ApiError::local_worded(|| {
                    crate::tr!("zitadel-address-scheme", scheme = other)
                }));
            }
        }
        url.set_query(None);
        url.set_fragment(None);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        // People paste the API address as often as the origin: accept both.
        let path = url.path().trim_end_matches('/');
        let path = path
            .strip_suffix("/management/v1")
            .unwrap_or(path)
            .to_owned();
        url.set_path(&format!("{path}/"));
        let management = url.join(MANAGEMENT_PATH).map_err(|_| {
            ApiError::local_worded(|| crate::tr!("zitadel-address-no-management-path"))
        })?;

        let token = pat.expose().trim();
        if token.is_empty() {
            return Err(ApiError::local_worded(|| crate::tr!("zitadel-no-token")));
        }
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::local_worded(|| {
                crate::tr!("zitadel-token-bad-characters")
            }));
        }
        // A key of the other backend's shape is refused before anything is sent, so it never
        // travels to a server it was not made for.
        if token.starts_with("sk_workspace_") {
            return Err(ApiError::local_worded(|| {
                crate::tr!("zitadel-token-is-hopae-key")
            }));
        }
        let pat = if token.len() == pat.expose().len() {
            pat
        } else {
            Secret::new(token)
        };

        let org_id = match org_id.map(str::trim).filter(|o| !o.is_empty()) {
            None => None,
            Some(org) => {
                let valid = org.chars().count() <= MAX_ORG_ID_CHARS
                    && org
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !valid {
                    let shown = truncate(org, 40);
                    return Err(ApiError::local_worded(|| {
                        crate::tr!("zitadel-not-an-org-id", id = shown.as_str())
                    }));
                }
                Some(org.to_owned())
            }
        };
        Ok(Self {
            origin: url,
            management,
            pat,
            org_id,
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

    /// The instance origin, always ending in `/` (for banners: `https://acme.zitadel.cloud/`).
    pub fn origin(&self) -> &Url {
        &self.origin
    }

    /// The management API base, `<origin>/management/v1/`.
    pub fn management_url(&self) -> &Url {
        &self.management
    }

    /// The personal access token, sent as `Authorization: Bearer`.
    pub fn pat(&self) -> &Secret {
        &self.pat
    }

    /// The organisation sent as `x-zitadel-orgid`; `None` acts on the token's own organisation.
    pub fn org_id(&self) -> Option<&str> {
        self.org_id.as_deref()
    }

    /// Whether the instance runs on this computer (a local sandbox).
    pub fn is_local(&self) -> bool {
        self.origin.host_str().is_some_and(is_loopback)
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_workspace_key_is_refused_before_anything_is_sent() {
        let error = ZitadelConnection::new(
            "https://example.zitadel.cloud",
            Secret::new("sk_workspace_test_FAKE"),
            None,
        )
        .unwrap_err();
        assert!(
            error.message.contains("Hopae Connect workspace key"),
            "{}",
            error.message
        );
    }

    use super::*;

    const PAT: &str = "FAKE_PAT_unit_tests_0123456789";

    fn pat() -> Secret {
        Secret::new(PAT)
    }

    #[test]
    fn origin_gets_the_management_path() {
        let c = ZitadelConnection::new("https://acme.zitadel.cloud", pat(), None).unwrap();
        assert_eq!(c.origin().as_str(), "https://acme.zitadel.cloud/");
        assert_eq!(
            c.management_url().as_str(),
            "https://acme.zitadel.cloud/management/v1/"
        );
        assert!(!c.is_local());
        let c = ZitadelConnection::new(
            " https://acme.zitadel.cloud/management/v1/?x=1#top ",
            pat(),
            Some(" "),
        )
        .unwrap();
        assert_eq!(
            c.management_url().as_str(),
            "https://acme.zitadel.cloud/management/v1/"
        );
        assert_eq!(c.org_id(), None);
        let c = ZitadelConnection::new("http://127.0.0.1:8080", pat(), Some("2987654321000001"))
            .unwrap();
        assert!(c.is_local());
        assert_eq!(c.org_id(), Some("2987654321000001"));
        assert!(ZitadelConnection::new("http://[::1]:8080/", pat(), None).is_ok());
        assert!(ZitadelConnection::new("http://localhost:8080/", pat(), None).is_ok());
    }

    #[test]
    fn plain_http_elsewhere_and_bad_input_are_refused() {
        let err = ZitadelConnection::new("http://acme.zitadel.cloud", pat(), None).unwrap_err();
        assert!(err.message.contains("https://"), "{}", err.message);
        assert!(ZitadelConnection::new("ftp://acme.example", pat(), None).is_err());
        assert!(ZitadelConnection::new("acme.zitadel.cloud", pat(), None).is_err());
        assert!(
            ZitadelConnection::new("https://acme.zitadel.cloud", Secret::new(" "), None).is_err()
        );
        assert!(
            ZitadelConnection::new("https://acme.zitadel.cloud", Secret::new("a b"), None).is_err()
        );
        assert!(
            ZitadelConnection::new("https://acme.zitadel.cloud", pat(), Some("1\r\n2")).is_err()
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let c = ZitadelConnection::new("https://acme.zitadel.cloud", pat(), None).unwrap();
        let text = format!("{c:?}");
        assert!(!text.contains("unit_tests"), "{text}");
        assert!(text.contains("***"), "{text}");
    }
}
