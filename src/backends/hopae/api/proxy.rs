//! Which proxy a client may use, read from the usual environment variables.
//!
//! reqwest's own system-proxy lookup is turned off and replaced by this one, so that the rule
//! the base URL keeps holds for proxies too: a proxy is `https://`, or plain `http://` on this
//! computer only. Requests to this computer (the local sandbox) never go through a proxy.
//! `HTTP_PROXY` is not read: it is for plain http addresses, and every address outside this
//! computer is https.

use std::net::IpAddr;

use url::Url;

use super::connection::is_loopback;
use super::error::ApiError;

/// The variables that name a proxy, in the order they are tried.
const PROXY_VARS: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];
/// The variables that list hosts to reach directly.
const NO_PROXY_VARS: [&str; 2] = ["NO_PROXY", "no_proxy"];

/// The proxy for requests to `target`, or `None` to connect directly. `env` reads a variable
/// (the process environment in use, a table in tests). A proxy that breaks the rule is an
/// error, so nothing is sent.
pub(super) fn choose(
    target: &Url,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Url>, ApiError> {
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
    checked(var, &value, host).map(Some)
}

/// The process environment, for [`choose`].
pub(super) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Parses a proxy address (a bare `host:port` is plain http, as curl reads it) and applies the
/// https rule. Messages show the proxy without any user name or password it holds.
fn checked(var: &str, value: &str, target_host: &str) -> Result<Url, ApiError> {
    let text = value.trim();
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let url = Url::parse(&with_scheme)
        .ok()
        .filter(|url| url.host_str().is_some_and(|h| !h.is_empty()))
        .ok_or_else(|| {
            ApiError::local(format!(
                "The proxy address in {var} is not a web address; correct it or unset {var}"
            ))
        })?;
    let host = url.host_str().unwrap_or_default();
    let shown = match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(host) => Ok(url),
        "http" => Err(ApiError::local(format!(
            "The proxy in {var} ({shown}) is plain http:// to another computer, which this console refuses; use an https:// proxy, unset {var}, or add {target_host} to NO_PROXY"
        ))),
        other => Err(ApiError::local(format!(
            "The proxy in {var} uses {other}://, which this console does not support; use an https:// proxy or unset {var}"
        ))),
    }
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

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    const HOPAE: &str = "https://sandbox.api.hopae.com/connect/v1/";

    #[test]
    fn no_variable_means_no_proxy() {
        assert_eq!(choose(&url(HOPAE), env(&[])).unwrap(), None);
        assert_eq!(
            choose(&url(HOPAE), env(&[("HTTPS_PROXY", "  ")])).unwrap(),
            None
        );
    }

    #[test]
    fn an_https_proxy_is_used() {
        let chosen = choose(
            &url(HOPAE),
            env(&[("HTTPS_PROXY", "https://proxy.corp.example:8443")]),
        )
        .unwrap();
        assert_eq!(chosen.unwrap().as_str(), "https://proxy.corp.example:8443/");
        let chosen = choose(
            &url(HOPAE),
            env(&[("all_proxy", "https://all.corp.example")]),
        )
        .unwrap();
        assert_eq!(chosen.unwrap().host_str(), Some("all.corp.example"));
    }

    #[test]
    fn the_most_specific_variable_wins() {
        let chosen = choose(
            &url(HOPAE),
            env(&[
                ("ALL_PROXY", "http://plain.corp.example:3128"),
                ("https_proxy", "https://secure.corp.example"),
            ]),
        )
        .unwrap();
        assert_eq!(chosen.unwrap().host_str(), Some("secure.corp.example"));
    }

    #[test]
    fn a_plain_http_proxy_elsewhere_is_refused_without_showing_its_password() {
        for value in [
            "http://user:hunter2FAKE@proxy.corp.example:3128",
            "user:hunter2FAKE@proxy.corp.example:3128",
        ] {
            let err = choose(&url(HOPAE), env(&[("HTTPS_PROXY", value)])).unwrap_err();
            assert_eq!(err.kind, crate::api::ErrorKind::Local);
            assert!(err.message.contains("HTTPS_PROXY"), "{}", err.message);
            assert!(
                err.message.contains("http://proxy.corp.example:3128"),
                "{}",
                err.message
            );
            assert!(
                err.message.contains("sandbox.api.hopae.com"),
                "{}",
                err.message
            );
            assert!(!err.message.contains("hunter2"), "{}", err.message);
        }
        let err = choose(
            &url(HOPAE),
            env(&[("ALL_PROXY", "socks5://proxy.corp.example:1080")]),
        )
        .unwrap_err();
        assert!(err.message.contains("socks5://"), "{}", err.message);
        assert!(choose(&url(HOPAE), env(&[("HTTPS_PROXY", "http://")])).is_err());
    }

    #[test]
    fn a_plain_http_proxy_on_this_computer_is_allowed() {
        for value in [
            "http://127.0.0.1:3128",
            "localhost:3128",
            "http://[::1]:3128",
        ] {
            let chosen = choose(&url(HOPAE), env(&[("HTTPS_PROXY", value)])).unwrap();
            assert!(chosen.is_some(), "{value}");
        }
    }

    #[test]
    fn loopback_targets_never_use_a_proxy() {
        let proxies = env(&[
            ("HTTPS_PROXY", "https://proxy.corp.example"),
            ("ALL_PROXY", "http://plain.corp.example:3128"),
        ]);
        for target in [
            "http://127.0.0.1:8787/connect/v1/",
            "http://localhost:8787/connect/v1/",
            "http://[::1]:8787/connect/v1/",
            "https://127.0.0.2/connect/v1/",
        ] {
            assert_eq!(choose(&url(target), &proxies).unwrap(), None, "{target}");
        }
    }

    #[test]
    fn http_proxy_is_not_read() {
        let chosen = choose(
            &url(HOPAE),
            env(&[("HTTP_PROXY", "http://plain.corp.example:3128")]),
        )
        .unwrap();
        assert_eq!(chosen, None);
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
            let chosen = choose(&url(HOPAE), env(&[proxy, ("NO_PROXY", list)])).unwrap();
            assert_eq!(chosen, None, "{list}");
        }
        for list in ["opae.com", "other.example", "hopae.com.evil.example"] {
            assert!(
                choose(&url(HOPAE), env(&[proxy, ("no_proxy", list)])).is_err(),
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
