//! A request that failed on the network between this computer and the server, as an
//! [`ApiError`] that says what failed and what to do: a certificate that is not trusted (naming
//! the host and the issuer), a proxy's refusal (naming the proxy, never its credentials, and its
//! answer such as `407 Proxy Authentication Required` or `403 Forbidden`), a host name that
//! does not exist. "Check your internet connection" is left to the cases where that is what it
//! is: no name server answered, or nothing answered at all (each backend's own wording).
//!
//! reqwest reports a refused tunnel without the proxy's status (only 407 is told apart), so
//! for any other refusal the proxy is asked once more, by hand, for the same tunnel, and its
//! status line is read: one short, bounded exchange after a failure, never on success.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use rustls::CertificateError;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use url::Url;
use zeroize::Zeroize as _;

use super::Route;
use super::proxy::Chosen;
use super::trust::{Refused, shown};
use crate::api::{ApiError, ErrorKind};

/// The longest a diagnosis of a refused tunnel may take.
const DIAGNOSIS_TIMEOUT: Duration = Duration::from_secs(5);
/// The most bytes of a proxy's answer read to find its status line.
const MAX_STATUS_BYTES: usize = 8 * 1024;

/// What to do about a certificate that is not trusted, in the calling thread's language.
fn trust_fix() -> String {
    crate::tr!("net-trust-fix")
}

/// The sentence for `error`, a failed request to `url`; `None` when it is none of the failures
/// this module words (the backend's own message applies).
pub(super) async fn explain(route: &Route, error: &reqwest::Error, url: &Url) -> Option<ApiError> {
    match classify(route, error, url)? {
        Found::Worded(error) => Some(error),
        Found::TunnelRefused => {
            let proxy = route.proxy.as_ref()?;
            Some(tunnel_refused(route, proxy, &target_of(url)).await)
        }
    }
}

/// What [`classify`] found.
enum Found {
    Worded(ApiError),
    /// The proxy answered the tunnel with a status other than 200 and 407: ask it which.
    TunnelRefused,
}

/// Reads the error's causes (they are not `Send`, so this is done before any wait).
fn classify(route: &Route, error: &reqwest::Error, url: &Url) -> Option<Found> {
    // Everything worded here happens while connecting: the request was never sent.
    if !error.is_connect() {
        return None;
    }
    let causes = causes(error);
    if let Some(refused) = causes.iter().find_map(|cause| refused_in(*cause)) {
        return Some(Found::Worded(certificate(route, refused)));
    }
    let target = target_of(url);
    if let Some(proxy) = &route.proxy {
        if let Some(at) = causes
            .iter()
            .position(|c| c.to_string().starts_with("tunnel error"))
        {
            return proxy_failure(proxy, &causes[at..], &target);
        }
        if error.is_timeout() {
            return Some(Found::Worded(ApiError::worded(ErrorKind::Network, || {
                crate::tr!(
                    "net-proxy-timeout",
                    proxy = proxy.named(),
                    target = target.as_str(),
                    wait = crate::api::seconds(route.attempt_timeout)
                )
            })));
        }
    }
    let host = url.host_str().unwrap_or("?");
    if let Some(tls) = causes.iter().find_map(|cause| rustls_in(*cause)) {
        return Some(Found::Worded(handshake(host, tls)));
    }
    if let Some(at) = causes.iter().position(|c| c.to_string() == "dns error") {
        return Some(Found::Worded(unresolved(host, &causes[at..])));
    }
    if causes
        .iter()
        .any(|c| c.is::<rustls::pki_types::InvalidDnsNameError>())
    {
        return Some(Found::Worded(ApiError::worded(
            ErrorKind::UnknownHost,
            || crate::tr!("net-invalid-host-name", host = host),
        )));
    }
    None
}

/// Every error under `error`, the ones an `io::Error` wraps included (its `source` skips them).
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut found = Vec::new();
    let mut next = Some(error);
    while let Some(cause) = next {
        if found.len() >= 32 {
            break;
        }
        found.push(cause);
        next = match cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => cause.source(),
        };
    }
    found
}

fn rustls_in<'a>(cause: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    cause.downcast_ref::<rustls::Error>()
}

fn refused_in<'a>(cause: &'a (dyn StdError + 'static)) -> Option<&'a Refused> {
    match rustls_in(cause)? {
        rustls::Error::InvalidCertificate(CertificateError::Other(other)) => {
            let inner: &(dyn StdError + Send + Sync) = &*other.0;
            inner.downcast_ref::<Refused>()
        }
        _ => None,
    }
}

/// `host:port` as a tunnel asks for it, and as messages name the server.
fn target_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// A certificate the handshake refused, naming the server (or https proxy) it belongs to.
fn certificate(route: &Route, refused: &Refused) -> ApiError {
    ApiError::worded(ErrorKind::Tls, || certificate_sentence(route, refused))
}

fn certificate_sentence(route: &Route, refused: &Refused) -> String {
    let host = refused.server.as_str();
    match &refused.cause {
        CertificateError::UnknownIssuer | CertificateError::BadSignature => {
            let issued = match (&refused.issuer, refused.self_signed) {
                (Some(issuer), true) => {
                    crate::tr!("net-cert-issued-self-signed", issuer = issuer.as_str())
                }
                (Some(issuer), false) => crate::tr!("net-cert-issued-by", issuer = issuer.as_str()),
                (None, _) => crate::tr!("net-cert-issued-unknown"),
            };
            let not_in = match &route.ca_file {
                Some(path) => crate::tr!("net-cert-not-in-ca-file", path = shown(path)),
                None => crate::tr!("net-cert-not-trusted-here"),
            };
            crate::tr!(
                "net-cert-untrusted",
                host = host,
                issued = issued,
                not_in = not_in,
                fix = trust_fix()
            )
        }
        CertificateError::Expired
        | CertificateError::ExpiredContext { .. }
        | CertificateError::NotValidYet
        | CertificateError::NotValidYetContext { .. } => {
            crate::tr!("net-cert-dates", host = host)
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            crate::tr!("net-cert-other-name", host = host)
        }
        // A certificate that made itself an authority cannot name a server, trusted or not.
        CertificateError::Other(_) if refused.self_signed => {
            let who = refused
                .issuer
                .as_ref()
                .map(|issuer| format!(" ({issuer})"))
                .unwrap_or_default();
            crate::tr!("net-cert-self-signed-authority", host = host, who = who)
        }
        CertificateError::Revoked => crate::tr!("net-cert-revoked", host = host),
        other => crate::tr!(
            "net-cert-refused",
            host = host,
            cause = format!("{other:?}"),
            fix = trust_fix()
        ),
    }
}

/// A TLS failure that is not about the certificate: the server does not speak TLS, or no
/// version or cipher is shared.
fn handshake(host: &str, error: &rustls::Error) -> ApiError {
    let reason: String = error
        .to_string()
        .chars()
        .take(200)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    ApiError::worded(ErrorKind::Tls, || {
        crate::tr!("net-handshake", host = host, reason = reason.as_str())
    })
}

/// A host name that did not resolve. No name server answering is the one case of "check your
/// internet connection" (a network error, retried); a name that does not exist is not.
fn unresolved(host: &str, causes: &[&(dyn StdError + 'static)]) -> ApiError {
    let temporary = causes.iter().any(|c| {
        let text = c.to_string().to_ascii_lowercase();
        text.contains("temporary") || text.contains("try again")
    });
    if temporary {
        return ApiError::worded(ErrorKind::Network, || {
            crate::tr!("net-dns-no-answer", host = host)
        });
    }
    ApiError::worded(ErrorKind::UnknownHost, || {
        crate::tr!("net-unknown-host", host = host)
    })
}

/// The proxy refused or failed to open the tunnel; `causes` starts at the tunnel's error.
fn proxy_failure(
    proxy: &Chosen,
    causes: &[&(dyn StdError + 'static)],
    target: &str,
) -> Option<Found> {
    let var = proxy.var;
    let tunnel = causes.first().map(|c| c.to_string()).unwrap_or_default();
    let worded = |make: &dyn Fn(&str) -> String| {
        Some(Found::Worded(ApiError::worded(ErrorKind::Proxy, || {
            make(&proxy.named())
        })))
    };
    if tunnel.ends_with("proxy authorization required") {
        if proxy.credentials.is_some() {
            worded(&|named| crate::tr!("net-proxy-bad-credentials", proxy = named, var = var))
        } else {
            worded(&|named| crate::tr!("net-proxy-needs-credentials", proxy = named, var = var))
        }
    } else if tunnel.ends_with("unsuccessful") {
        Some(Found::TunnelRefused)
    } else if tunnel.ends_with("unexpected end of file") {
        worded(&|named| {
            crate::tr!(
                "net-proxy-closed",
                proxy = named,
                target = target,
                var = var
            )
        })
    } else if causes.iter().any(|c| c.to_string() == "dns error") {
        let host = proxy.url.host_str().unwrap_or("?");
        worded(&|named| crate::tr!("net-proxy-not-found", proxy = named, host = host, var = var))
    } else if let Some(tls) = causes.iter().find_map(|cause| rustls_in(*cause)) {
        let mut error = handshake(proxy.url.host_str().unwrap_or("?"), tls);
        error.kind = ErrorKind::Proxy;
        Some(Found::Worded(error))
    } else {
        let io = causes
            .iter()
            .find_map(|c| c.downcast_ref::<std::io::Error>());
        worded(&|named| {
            let reason = io.map_or_else(|| crate::tr!("net-io-no-answer"), io_reason);
            crate::tr!(
                "net-proxy-unreachable",
                proxy = named,
                reason = reason,
                var = var
            )
        })
    }
}

/// The proxy answered the tunnel with another status than 200 or 407; asks it again to name it.
async fn tunnel_refused(route: &Route, proxy: &Chosen, target: &str) -> ApiError {
    let answer = proxy_answer(route, proxy, target).await;
    ApiError::worded(ErrorKind::Proxy, || {
        let named = proxy.named();
        match &answer {
            Some((code @ 502..=504, reason)) => crate::tr!(
                "net-proxy-could-not-reach",
                proxy = named,
                target = target,
                status = code.to_string(),
                reason = reason.as_str()
            ),
            Some((code, reason)) => crate::tr!(
                "net-proxy-refused-status",
                proxy = named,
                target = target,
                status = code.to_string(),
                reason = reason.as_str()
            ),
            None => crate::tr!("net-proxy-refused", proxy = named, target = target),
        }
    })
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => crate::tr!("net-io-refused"),
        std::io::ErrorKind::ConnectionReset => crate::tr!("net-io-reset"),
        std::io::ErrorKind::TimedOut => crate::tr!("net-io-timed-out"),
        _ => {
            let text = error.to_string();
            let text = text
                .find(" (os error")
                .map_or(text.as_str(), |cut| &text[..cut]);
            text.chars().take(120).collect()
        }
    }
}

/// Asks the proxy for the tunnel again, by hand, and reads its status: `(403, "Forbidden")`.
/// `None` when it cannot be had within [`DIAGNOSIS_TIMEOUT`].
async fn proxy_answer(route: &Route, proxy: &Chosen, target: &str) -> Option<(u16, String)> {
    let host = proxy.url.host_str()?;
    let port = proxy.url.port_or_known_default()?;
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(value) = proxy.authorization() {
        request.push_str("Proxy-Authorization: ");
        request.push_str(value.to_str().ok()?);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    let wait = route.attempt_timeout.min(DIAGNOSIS_TIMEOUT);
    let tls = (proxy.url.scheme() == "https").then(|| {
        let mut config = (*route.tls).clone();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    });
    let answer = tokio::time::timeout(wait, async {
        let tcp = tokio::net::TcpStream::connect(format!("{host}:{port}"))
            .await
            .ok()?;
        match tls {
            Some(config) => {
                let bare = host.trim_start_matches('[').trim_end_matches(']');
                let name = ServerName::try_from(bare.to_owned()).ok()?;
                let stream = tokio_rustls::TlsConnector::from(config)
                    .connect(name, tcp)
                    .await
                    .ok()?;
                status_of(stream, request.as_bytes()).await
            }
            None => status_of(tcp, request.as_bytes()).await,
        }
    })
    .await
    .ok()
    .flatten();
    request.zeroize();
    answer
}

/// Sends `request` and reads the status line of the answer.
async fn status_of(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    request: &[u8],
) -> Option<(u16, String)> {
    stream.write_all(request).await.ok()?;
    let mut answer = Vec::with_capacity(256);
    let mut chunk = [0u8; 1024];
    while !answer.windows(2).any(|w| w == b"\r\n") && answer.len() < MAX_STATUS_BYTES {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
    }
    parse_status(&answer)
}

/// `HTTP/1.1 403 Forbidden` as `(403, "Forbidden")`; the reason is the standard one where the
/// code has one, else the proxy's own, cleaned and cut.
fn parse_status(answer: &[u8]) -> Option<(u16, String)> {
    let line = answer.split(|&b| b == b'\n').next()?;
    let line = String::from_utf8_lossy(line);
    let mut parts = line.trim_end().splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let code: u16 = parts.next()?.parse().ok()?;
    if !(100..=999).contains(&code) {
        return None;
    }
    let standard = reqwest::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason());
    let reason = match standard {
        Some(reason) => reason.to_owned(),
        None => parts
            .next()
            .unwrap_or_default()
            .chars()
            .take(60)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
    };
    Some((code, reason.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_are_read_and_cleaned() {
        assert_eq!(
            parse_status(b"HTTP/1.1 403 Forbidden\r\nVia: x\r\n\r\n"),
            Some((403, "Forbidden".into()))
        );
        assert_eq!(
            parse_status(b"HTTP/1.0 407 whatever\r\n"),
            Some((407, "Proxy Authentication Required".into()))
        );
        assert_eq!(
            parse_status(b"HTTP/1.1 599 Policy \x1b[2J says no\r\n"),
            Some((599, "Policy  [2J says no".into()))
        );
        assert_eq!(parse_status(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(parse_status(b"HTTP/1.1 abc\r\n"), None);
        assert_eq!(parse_status(b""), None);
    }

    /// A cause chain like hyper's for a name that does not resolve.
    #[derive(Debug)]
    struct Dns(std::io::Error);
    impl std::fmt::Display for Dns {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("dns error")
        }
    }
    impl StdError for Dns {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn only_a_silent_name_server_is_an_internet_problem() {
        let gone = Dns(std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        let err = unresolved("no-such.example", &causes(&gone));
        assert_eq!(err.kind, ErrorKind::UnknownHost);
        assert!(err.message.contains("no-such.example"), "{}", err.message);
        assert!(!err.user_message().contains("internet connection"));
        let offline = Dns(std::io::Error::other(
            "failed to lookup address information: Temporary failure in name resolution",
        ));
        let err = unresolved("api.hopae.com", &causes(&offline));
        assert_eq!(err.kind, ErrorKind::Network);
        assert!(err.message.contains("api.hopae.com"), "{}", err.message);
        assert!(err.user_message().contains("internet connection"));
    }

    fn route(ca_file: Option<&str>) -> Route {
        Route {
            proxy: None,
            tls: Arc::new(super::super::trust::client_config(None, false, |_| None).unwrap()),
            ca_file: ca_file.map(std::path::PathBuf::from),
            attempt_timeout: Duration::from_secs(10),
        }
    }

    fn refused(cause: CertificateError, issuer: Option<&str>, self_signed: bool) -> Refused {
        Refused {
            server: "ztd.corp.example".into(),
            issuer: issuer.map(str::to_owned),
            self_signed,
            cause,
        }
    }

    #[test]
    fn each_refused_certificate_has_its_sentence() {
        let issuer = Some("\"Corp Inspection CA\" (Example Bank)");
        let err = certificate(
            &route(None),
            &refused(CertificateError::UnknownIssuer, issuer, false),
        );
        assert_eq!(err.kind, ErrorKind::Tls);
        assert!(err.message.starts_with("The certificate of ztd.corp.example is not trusted: it was issued by \"Corp Inspection CA\" (Example Bank), which is not trusted on this computer; "), "{}", err.message);
        assert!(!err.is_retryable());
        let err = certificate(
            &route(Some("/etc/corp.pem")),
            &refused(CertificateError::UnknownIssuer, None, false),
        );
        assert!(err.message.contains("an unknown authority, which is neither trusted on this computer nor in the certificate authority file /etc/corp.pem"), "{}", err.message);
        let err = certificate(
            &route(None),
            &refused(CertificateError::UnknownIssuer, issuer, true),
        );
        assert!(
            err.message.contains("it is self-signed, by \"Corp"),
            "{}",
            err.message
        );
        let err = certificate(
            &route(None),
            &refused(CertificateError::Expired, issuer, false),
        );
        assert!(err.message.contains("date and time"), "{}", err.message);
        let err = certificate(
            &route(None),
            &refused(CertificateError::NotValidForName, None, false),
        );
        assert!(
            err.message.contains("belongs to another name"),
            "{}",
            err.message
        );
        for message in [err.user_message(), err.one_line()] {
            assert!(!message.contains("internet connection") && !message.contains('\n'));
        }
    }

    #[test]
    fn causes_look_inside_io_errors_within_io_errors() {
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, rustls::Error::DecryptError);
        let outer = std::io::Error::other(io);
        let found = causes(&outer);
        assert!(found.iter().any(|c| rustls_in(*c).is_some()));
    }
}
