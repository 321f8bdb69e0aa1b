//! How both backends reach a server on a company network: the one reqwest client builder they
//! share, the proxy it goes through, the certificate authorities it trusts, and the sentences
//! that say which of them failed.
//!
//! | module | owns |
//! |---|---|
//! | `proxy` | `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`: which proxy, its credentials, how it is shown |
//! | `trust` | built-in roots, the system store or `SSL_CERT_FILE`/`SSL_CERT_DIR`, the CA file |
//! | `failure` | a failed connection as an [`ApiError`]: untrusted certificate, proxy answer, unknown host |
//! | `der` | the issuer's name read from a certificate, for the untrusted-certificate sentence |
//!
//! The Hopae client (`hopae::api::transport`) and the ZITADEL client build their HTTP client
//! with [`build_http`] and ask [`Http::failure`] first when a request fails, so the two
//! behave alike on any network.

mod der;
mod failure;
mod proxy;
mod trust;

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::api::ApiError;

/// The variable the command line and the console read for a certificate authority file.
pub const CA_FILE_ENV: &str = "CONNECT_CA_FILE";

/// A reqwest client and what it was built with, to explain its failures. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    route: Arc<Route>,
}

/// How a client reaches its server.
struct Route {
    proxy: Option<proxy::Chosen>,
    tls: Arc<rustls::ClientConfig>,
    ca_file: Option<PathBuf>,
    attempt_timeout: Duration,
}

impl fmt::Debug for Http {
    /// The proxy without its credentials and the CA file's path; never reqwest's internals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field(
                "proxy",
                &self.route.proxy.as_ref().map(proxy::Chosen::shown),
            )
            .field("ca_file", &self.route.ca_file)
            .finish_non_exhaustive()
    }
}

impl Http {
    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// A sentence for a request to `url` that failed before it reached the server because of
    /// the network between: an untrusted certificate, the proxy's refusal, a host name that
    /// does not exist. `None` for other failures, which each backend words itself.
    pub(crate) async fn failure(&self, error: &reqwest::Error, url: &Url) -> Option<ApiError> {
        failure::explain(&self.route, error, url).await
    }
}

/// The reqwest client for a server at `base_url`, shared by every backend: no redirects, the
/// proxy of [`proxy`] (reqwest's own lookup off), the trust of [`trust`], the attempt timeout
/// on connecting and on every read, and no whole-request timeout (the caller's deadline covers
/// that, retries included). A proxy or CA file that cannot be used is refused here, before
/// anything is sent.
pub(crate) fn build_http(
    base_url: &Url,
    attempt_timeout: Duration,
    ca_file: Option<&Path>,
) -> Result<Http, ApiError> {
    let proxy = proxy::choose(base_url, proxy::process_env)?;
    // Plain http (only ever to this computer) needs no store; the CA file is checked anyway.
    let system = base_url.scheme() != "http";
    let tls = Arc::new(trust::client_config(ca_file, system, proxy::process_env)?);
    let mut builder = reqwest::Client::builder()
        .use_preconfigured_tls((*tls).clone())
        .connect_timeout(attempt_timeout)
        .read_timeout(attempt_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent(concat!("connect-console/", env!("CARGO_PKG_VERSION")));
    if let Some(chosen) = &proxy {
        let mut reqwest_proxy = reqwest::Proxy::all(chosen.url.as_str()).map_err(|_| {
            ApiError::local_worded(|| crate::tr!("net-proxy-unusable", var = chosen.var))
        })?;
        // Credentials go in as reqwest's proxy authorization header (marked sensitive),
        // never into the proxy's address, which reqwest may log.
        if let Some(header) = chosen.authorization() {
            reqwest_proxy = reqwest_proxy.custom_http_auth(header);
        }
        builder = builder.proxy(reqwest_proxy);
    }
    let client = builder.build().map_err(|e| {
        ApiError::local_worded(|| crate::tr!("net-http-client-failed", error = e.to_string()))
    })?;
    Ok(Http {
        client,
        route: Arc::new(Route {
            proxy,
            tls,
            ca_file: ca_file.map(Path::to_path_buf),
            attempt_timeout,
        }),
    })
}

/// The certificate authority file named by `CONNECT_CA_FILE`, when set.
pub fn env_ca_file() -> Option<PathBuf> {
    std::env::var_os(CA_FILE_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Whether `host` names this computer: `localhost`, 127.0.0.0/8 or `::1` (brackets allowed).
pub(crate) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
