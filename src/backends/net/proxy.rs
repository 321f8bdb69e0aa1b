//! Which proxy a client uses, read from the usual environment variables, and its credentials.
//!
//! reqwest's own system-proxy lookup is turned off and replaced by this one, so that what is
//! chosen is known (messages name it) and its password is held as a [`Secret`]. A proxy may be
//! `http://` or `https://` on any computer: https requests go through it with `CONNECT`, so
//! the TLS inside the tunnel stays end to end whatever the proxy's own scheme. A user name and
//! password in the proxy's address are sent as `Proxy-Authorization: Basic`, and never shown:
//! messages show the proxy as `scheme://host:port`. Requests to this computer (the local
//! sandbox) never go through a proxy. `HTTP_PROXY` is not read: it is for plain http addresses,
//! and every address outside this computer is https.

use std::fmt;
use std::net::IpAddr;

use base64::Engine as _;
use url::Url;

use super::is_loopback;
use crate::api::ApiError;
use crate::secret::Secret;

/// The variables that name a proxy, in the order they are tried.
const PROXY_VARS: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];
/// The variables that list hosts to reach directly.
const NO_PROXY_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// The proxy chosen for a server, without its credentials in the address.
#[derive(Clone)]
pub(crate) struct Chosen {
    /// The variable it came from, for messages ("HTTPS_PROXY").
    pub var: &'static str,
    /// `scheme://host:port/`, never with a user name or password.
    pub url: Url,
    /// User name and password, percent-decoded, when the address held them.
    pub credentials: Option<(String, Secret)>,
}

impl fmt::Debug for Chosen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Chosen")
            .field("var", &self.var)
            .field("url", &self.shown())
            .field("credentials", &self.credentials.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Chosen {
    /// `scheme://host:port`, as messages show the proxy.
    pub(crate) fn shown(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        match self.url.port_or_known_default() {
            Some(port) => format!("{}://{host}:{port}", self.url.scheme()),
            None => format!("{}://{host}", self.url.scheme()),
        }
    }

    /// "proxy http://host:port (from HTTPS_PROXY)", after "the" in a sentence (in the calling
    /// thread's language).
    pub(crate) fn named(&self) -> String {
        crate::tr!("net-proxy-named", url = self.shown(), var = self.var)
    }

    /// The `Proxy-Authorization` value, marked sensitive so that no header dump shows it.
    pub(crate) fn authorization(&self) -> Option<reqwest::header::HeaderValue> {
        let (user, password) = self.credentials.as_ref()?;
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{user}:{}", password.expose()));
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Basic {token}")).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

/// The proxy for requests to `target`, or `None` to connect directly. `env` reads a variable
/// (the process environment in use, a table in tests). A proxy address that cannot be used
/// is an error, so nothing is sent.
pub(crate) fn choose(
    target: &Url,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Chosen>, ApiError> {
    let host = target.host_str().unwrap_or_default();
    if is_loopback(host) {
        return Ok(None);
    }
    let set = |name: &&str| env(name).filter(|v| !v.trim().is_empty());
    if NO_PROXY_VARS
        .iter()
        .find_map(&set)
        .is_some_and(|list| excluded(host, &list))
    {
        return Ok(None);
    }
    let Some((var, value)) = PROXY_VARS
        .iter()
        .find_map(|name| set(name).map(|value| (*name, value)))
    else {
        return Ok(None);
    };
    checked(var, &value).map(Some)
}

/// The process environment, for [`choose`].
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Parses a proxy address (a bare `host:port` is plain http, as curl reads it) and takes its
/// credentials out. Messages show the proxy without any user name or password it holds.
fn checked(var: &'static str, value: &str) -> Result<Chosen, ApiError> {
    let text = value.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let mut url = Url::parse(&with_scheme)
        .ok()
        .filter(|url| url.host_str().is_some_and(|h| !h.is_empty()))
        .ok_or_else(|| {
            ApiError::local_worded(|| crate::tr!("net-proxy-not-web-address", var = var))
        })?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(ApiError::local_worded(|| {
                crate::tr!("net-proxy-scheme", var = var, scheme = other)
            }));
        }
    }
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    let credentials = (!url.username().is_empty() || url.password().is_some()).then(|| {
        (
            decode(url.username()),
            Secret::new(decode(url.password().unwrap_or_default())),
        )
    });
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_path("/");
    url.set_query(None);
    url.set_fragment(None);
    Ok(Chosen {
        var,
        url,
        credentials,
    })
}

/// Whether `NO_PROXY` names `host`: `*`, the host itself, a parent domain (`example.com` or
/// `.example.com`), an IP address or an IP range such as `10.0.0.0/8`. Ports are ignored.
fn excluded(host: &str, list: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let ip = host.parse::<IpAddr>().ok();
    list.split([',', ' '])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            if let (Some(ip), Some((net, bits))) = (ip, entry.split_once('/')) {
                return in_range(ip, net, bits);
            }
            let entry = without_port(entry)
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .to_ascii_lowercase();
            !entry.is_empty()
                && (host == entry
                    || host
                        .strip_suffix(entry.as_str())
                        .is_some_and(|rest| rest.ends_with('.')))
        })
}

fn without_port(entry: &str) -> &str {
    let bare = entry.trim_start_matches('[');
    if let Some(end) = bare.find(']') {
        return &bare[..end];
    }
    match entry.rsplit_once(':') {
        // One colon: host:port. More: a bare IPv6 address.
        Some((host, port)) if !host.contains(':') && port.parse::<u16>().is_ok() => host,
        _ => entry,
    }
}

fn in_range(ip: IpAddr, net: &str, bits: &str) -> bool {
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::env;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn chosen(target: &str, pairs: &[(&str, &str)]) -> Option<Chosen> {
        choose(&url(target), env(pairs)).unwrap()
    }

    const HOPAE: &str = "https://sandbox.api.hopae.com/connect/v1/";

    #[test]
    fn no_variable_means_no_proxy() {
        assert!(chosen(HOPAE, &[]).is_none());
        assert!(chosen(HOPAE, &[("HTTPS_PROXY", "  ")]).is_none());
    }

    #[test]
    fn an_https_proxy_is_used() {
        let proxy = chosen(HOPAE, &[("HTTPS_PROXY", "https://proxy.corp.example:8443")]).unwrap();
        assert_eq!(proxy.url.as_str(), "https://proxy.corp.example:8443/");
        assert_eq!(proxy.var, "HTTPS_PROXY");
        let proxy = chosen(HOPAE, &[("all_proxy", "https://all.corp.example")]).unwrap();
        assert_eq!(proxy.url.host_str(), Some("all.corp.example"));
        assert_eq!(proxy.shown(), "https://all.corp.example:443");
    }

    #[test]
    fn the_most_specific_variable_wins() {
        let proxy = chosen(
            HOPAE,
            &[
                ("ALL_PROXY", "http://plain.corp.example:3128"),
                ("https_proxy", "https://secure.corp.example"),
            ],
        )
        .unwrap();
        assert_eq!(proxy.url.host_str(), Some("secure.corp.example"));
        assert_eq!(proxy.var, "https_proxy");
    }

    #[test]
    fn a_plain_http_proxy_on_another_computer_is_used_with_its_credentials() {
        for (var, value) in [
            (
                "HTTPS_PROXY",
                "http://us%40er:hunter2%3AFAKE@proxy.corp.example:3128",
            ),
            (
                "all_proxy",
                "us%40er:hunter2%3AFAKE@proxy.corp.example:3128",
            ),
        ] {
            let proxy = chosen(HOPAE, &[(var, value)]).unwrap();
            assert_eq!(proxy.url.as_str(), "http://proxy.corp.example:3128/");
            assert_eq!(proxy.shown(), "http://proxy.corp.example:3128");
            assert_eq!(
                proxy.named(),
                format!("proxy http://proxy.corp.example:3128 (from {var})")
            );
            let (user, password) = proxy.credentials.as_ref().unwrap();
            assert_eq!(user, "us@er");
            assert_eq!(password.expose(), "hunter2:FAKE");
            // base64("us@er:hunter2:FAKE")
            let header = proxy.authorization().unwrap();
            assert!(header.is_sensitive());
            assert_eq!(header.to_str().unwrap(), "Basic dXNAZXI6aHVudGVyMjpGQUtF");
            let debug = format!("{proxy:?}");
            assert!(!debug.contains("hunter2"), "{debug}");
        }
        let proxy = chosen(HOPAE, &[("HTTPS_PROXY", "proxy.corp.example:3128")]).unwrap();
        assert!(proxy.credentials.is_none() && proxy.authorization().is_none());
    }

    #[test]
    fn unusable_proxy_addresses_are_refused_without_showing_a_password() {
        let err = choose(
            &url(HOPAE),
            env(&[(
                "ALL_PROXY",
                "socks5://user:hunter2FAKE@proxy.corp.example:1080",
            )]),
        )
        .unwrap_err();
        assert_eq!(err.kind, crate::api::ErrorKind::Local);
        assert!(err.message.contains("socks5://"), "{}", err.message);
        assert!(err.message.contains("ALL_PROXY"), "{}", err.message);
        assert!(!err.message.contains("hunter2"), "{}", err.message);
        assert!(choose(&url(HOPAE), env(&[("HTTPS_PROXY", "http://")])).is_err());
    }

    #[test]
    fn a_plain_http_proxy_on_this_computer_is_allowed() {
        for value in [
            "http://127.0.0.1:3128",
            "localhost:3128",
            "http://[::1]:3128",
        ] {
            assert!(
                chosen(HOPAE, &[("HTTPS_PROXY", value)]).is_some(),
                "{value}"
            );
        }
    }

    #[test]
    fn loopback_targets_never_use_a_proxy() {
        let proxies = [
            ("HTTPS_PROXY", "https://proxy.corp.example"),
            ("ALL_PROXY", "http://plain.corp.example:3128"),
        ];
        for target in [
            "http://127.0.0.1:8787/connect/v1/",
            "http://localhost:8787/connect/v1/",
            "https://localhost:8443/connect/v1/",
            "http://[::1]:8787/connect/v1/",
            "https://127.0.0.2/connect/v1/",
        ] {
            assert!(chosen(target, &proxies).is_none(), "{target}");
        }
    }

    #[test]
    fn http_proxy_is_not_read() {
        assert!(chosen(HOPAE, &[("HTTP_PROXY", "http://plain.corp.example:3128")]).is_none());
    }

    #[test]
    fn no_proxy_names_hosts_domains_and_ranges() {
        let proxy = ("HTTPS_PROXY", "http://plain.corp.example:3128");
        for list in [
            "*",
            "sandbox.api.hopae.com",
            "hopae.com",
            ".hopae.com",
            "*.hopae.com",
            "other.example, api.hopae.com:443",
        ] {
            assert!(
                chosen(HOPAE, &[proxy, ("NO_PROXY", list)]).is_none(),
                "{list}"
            );
        }
        for list in ["opae.com", "other.example", "hopae.com.evil.example"] {
            assert!(
                chosen(HOPAE, &[proxy, ("no_proxy", list)]).is_some(),
                "{list}"
            );
        }
        assert!(excluded("10.1.2.3", "10.0.0.0/8"));
        assert!(!excluded("11.1.2.3", "10.0.0.0/8"));
        assert!(excluded("[2001:db8::1]", "2001:db8::/32"));
        assert!(excluded("2001:db8::1", "2001:db8::1"));
        assert!(!excluded("10.1.2.3", "10.0.0.0/40"));
    }
}
