//! Company networks end to end: the real binary behind a CONNECT proxy and in front of a TLS
//! server whose certificate comes from a private certificate authority, all on 127.0.0.1.
//!
//! The authority and the server's certificate are made here with `rcgen`; the TLS server
//! (tokio-rustls) passes the decrypted bytes to a sandbox (Hopae or ZITADEL mode). The proxy is
//! written here with tokio: it counts the tunnels it opens, records what each CONNECT asked for
//! and the `Proxy-Authorization` it carried, and can demand credentials (407) or refuse (403).
//! It never resolves a name: every tunnel leads to the TLS server, so a target such as
//! `workspace.example.test` (not this computer, so it goes through the proxy) is served locally.
//! Trust comes only from `SSL_CERT_FILE` or `--ca-file`/`CONNECT_CA_FILE`: the system's store is
//! never changed. Each command runs with its own environment and at most 60 s. The console's
//! connection dialog is driven with egui_kittest to choose the authority file and connect.

// A failed unwrap in a test is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod kittest_support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use connect_console::sandbox::{self, RunningSandbox, SandboxConfig};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const BIN: &str = env!("CARGO_BIN_EXE_connect-console");
const KEY: &str = "sk_workspace_test_FAKE_company_network";
const PAT: &str = "FAKE_PAT_company_network";
/// A name outside this computer, so requests to it go through the proxy (which serves it here).
const REMOTE: &str = "workspace.example.test";
const PROXY_USER: &str = "alice";
/// A fake password with characters that must be percent-encoded in the proxy's address.
const PROXY_PASSWORD: &str = "S3cret-FAKE@pw:x";
const PROXY_PASSWORD_ENCODED: &str = "S3cret-FAKE%40pw%3Ax";
const CA_NAME: &str = "Connect Console Test CA";

/// A certificate authority and the server certificate it issued, as PEM files in a folder.
struct Pki {
    dir: tempfile::TempDir,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
}

impl Pki {
    fn new() -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, CA_NAME);
        ca.distinguished_name
            .push(DnType::OrganizationName, "Example Bank");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);

        let server_key = KeyPair::generate().unwrap();
        let mut server =
            CertificateParams::new(vec!["localhost".to_owned(), REMOTE.to_owned()]).unwrap();
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let server_cert = server.signed_by(&server_key, &issuer).unwrap();

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca_cert.pem()).unwrap();
        std::fs::write(dir.path().join("empty.pem"), "").unwrap();
        Self {
            dir,
            server_chain: vec![server_cert.der().clone()],
            server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        }
    }

    fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// A TLS server on 127.0.0.1 that hands the decrypted bytes to `upstream` (a sandbox).
struct TlsServer {
    addr: SocketAddr,
    /// TCP connections accepted, handshakes that succeeded or not.
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl TlsServer {
    async fn start(pki: &Pki, upstream: SocketAddr) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
            .unwrap();
        // The sandbox speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let handshake =
                        tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await;
                    let Ok(Ok(mut tls)) = handshake else {
                        return;
                    };
                    let Ok(mut plain) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        Self {
            addr,
            accepted,
            task,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the proxy does with a CONNECT.
#[derive(Clone, Copy, PartialEq)]
enum ProxyMode {
    /// Opens tunnels only with this `Proxy-Authorization`, else answers 407.
    Authenticated,
    /// Answers 403 Forbidden.
    Forbidden,
}

/// One CONNECT the proxy received.
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    authorization: Option<String>,
}

/// A CONNECT proxy on 127.0.0.1 whose every tunnel leads to `upstream`, whatever it names.
struct Proxy {
    addr: SocketAddr,
    tunnels: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(mode: ProxyMode, upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"))
        );
        let (count, record) = (tunnels.clone(), seen.clone());
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (count, record, expected) = (count.clone(), record.clone(), expected.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        Duration::from_secs(30),
                        serve(tcp, mode, upstream, &expected, &count, &record),
                    )
                    .await;
                });
            }
        });
        Self {
            addr,
            tunnels,
            seen,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn url_with_credentials(&self, password: &str) -> String {
        format!("http://{PROXY_USER}:{password}@{}", self.addr)
    }

    fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One proxy connection: reads the CONNECT, answers, and pipes the tunnel.
async fn serve(
    mut client: TcpStream,
    mode: ProxyMode,
    upstream: SocketAddr,
    expected: &str,
    tunnels: &AtomicUsize,
    seen: &Mutex<Vec<Seen>>,
) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || client.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request = lines.next().unwrap_or_default();
    let mut words = request.split(' ');
    if words.next() != Some("CONNECT") {
        let _ = client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    }
    let target = words.next().unwrap_or_default().to_owned();
    let authorization = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, value)| value.trim().to_owned());
    seen.lock().unwrap().push(Seen {
        target,
        authorization: authorization.clone(),
    });
    let refusal: Option<&[u8]> = match mode {
        ProxyMode::Forbidden => Some(
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
        ProxyMode::Authenticated if authorization.as_deref() != Some(expected) => Some(
            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
        _ => None,
    };
    if let Some(answer) = refusal {
        let _ = client.write_all(answer).await;
        return;
    }
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    };
    tunnels.fetch_add(1, Ordering::SeqCst);
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_ok()
    {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    }
}

async fn hopae_sandbox() -> RunningSandbox {
    sandbox::start(SandboxConfig {
        port: 0,
        demo: true,
        seed: Some(5),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

async fn zitadel_sandbox() -> RunningSandbox {
    sandbox::start(SandboxConfig {
        port: 0,
        demo: true,
        zitadel: true,
        seed: Some(5),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

/// Runs the binary with `args` and exactly the connection and network variables in `env`
/// (any others of these from the test's own environment are removed), for at most 60 s.
async fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(BIN);
    command.args(args).env(
        "CONNECT_ACTIVITY_LOG",
        concat!(
            env!("CARGO_TARGET_TMPDIR"),
            "/company-network-activity.jsonl"
        ),
    );
    for name in [
        "CONNECT_BACKEND",
        "CONNECT_BASE_URL",
        "CONNECT_API_KEY",
        "CONNECT_CA_FILE",
        "CONNECT_TIMEOUT",
        "ZITADEL_PROJECT_ID",
        "ZITADEL_ORG_ID",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "NO_PROXY",
        "no_proxy",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("command finishes within 60 s")
        .expect("command runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn hopae_url(port: u16, host: &str) -> String {
    format!("https://{host}:{port}/connect/v1")
}

/// The Hopae sandbox behind TLS at `https://localhost:PORT/connect/v1`.
async fn hopae_over_tls(pki: &Pki) -> (RunningSandbox, TlsServer) {
    let sandbox = hopae_sandbox().await;
    let tls = TlsServer::start(pki, sandbox.addr()).await;
    (sandbox, tls)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

#[tokio::test]
async fn an_untrusted_authority_is_named_with_the_host_and_what_to_do() {
    let pki = Pki::new();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let url = hopae_url(tls.addr.port(), "localhost");
    let output = run(
        &["apps", "list"],
        &[("CONNECT_BASE_URL", &url), ("CONNECT_API_KEY", KEY)],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err.lines().filter(|l| !l.starts_with("note:")).count(),
        1,
        "one line (besides the production note): {err}"
    );
    assert!(
        err.contains("certificate of localhost is not trusted"),
        "{err}"
    );
    assert!(
        err.contains(CA_NAME) && err.contains("Example Bank"),
        "the issuer: {err}"
    );
    for fix in ["--ca-file", "SSL_CERT_FILE", "Certificate authority file…"] {
        assert!(err.contains(fix), "says {fix}: {err}");
    }
    assert!(!err.contains("internet connection"), "{err}");
    assert!(tls.accepted() >= 1, "the handshake was tried");

    // The ZITADEL client says the same, through the same builder.
    let zitadel = zitadel_sandbox().await;
    let ztls = TlsServer::start(&pki, zitadel.addr()).await;
    let origin = format!("https://localhost:{}", ztls.addr.port());
    let output = run(
        &["projects", "list", "--backend", "zitadel"],
        &[("CONNECT_BASE_URL", &origin), ("CONNECT_API_KEY", PAT)],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("certificate of localhost is not trusted"),
        "{err}"
    );
    assert!(err.contains(CA_NAME) && err.contains("--ca-file"), "{err}");
    assert!(!err.contains("internet connection"), "{err}");
}

#[tokio::test]
async fn a_ca_file_makes_the_server_trusted_on_both_backends() {
    let pki = Pki::new();
    let ca = pki.ca_file();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let url = hopae_url(tls.addr.port(), "localhost");
    let output = run(
        &["apps", "list", "--json", "--ca-file", path_str(&ca)],
        &[("CONNECT_BASE_URL", &url), ("CONNECT_API_KEY", KEY)],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let apps: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        !apps.as_array().unwrap().is_empty(),
        "the demo apps are listed"
    );

    // CONNECT_CA_FILE does the same, for the ZITADEL client.
    let zitadel = zitadel_sandbox().await;
    let ztls = TlsServer::start(&pki, zitadel.addr()).await;
    let origin = format!("https://localhost:{}", ztls.addr.port());
    let output = run(
        &["projects", "list", "--backend", "zitadel"],
        &[
            ("CONNECT_BASE_URL", &origin),
            ("CONNECT_API_KEY", PAT),
            ("CONNECT_CA_FILE", path_str(&ca)),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Payments platform"),
        "{}",
        stdout(&output)
    );
}

#[tokio::test]
async fn ssl_cert_file_makes_the_server_trusted() {
    let pki = Pki::new();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let url = hopae_url(tls.addr.port(), "localhost");
    let output = run(
        &["apps", "list"],
        &[
            ("CONNECT_BASE_URL", &url),
            ("CONNECT_API_KEY", KEY),
            ("SSL_CERT_FILE", path_str(&pki.ca_file())),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("app(s)"), "{}", stderr(&output));

    // A folder in SSL_CERT_DIR holding the authority works as well.
    let output = run(
        &["apps", "list"],
        &[
            ("CONNECT_BASE_URL", &url),
            ("CONNECT_API_KEY", KEY),
            ("SSL_CERT_DIR", path_str(pki.dir.path())),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[tokio::test]
async fn an_unusable_ca_file_is_refused_before_anything_is_sent() {
    let pki = Pki::new();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let url = hopae_url(tls.addr.port(), "localhost");
    for (file, problem) in [
        ("missing.pem", "could not be read"),
        ("empty.pem", "holds no certificate"),
    ] {
        let path = pki.path(file);
        let output = run(
            &["apps", "list", "--ca-file", path_str(&path)],
            &[("CONNECT_BASE_URL", &url), ("CONNECT_API_KEY", KEY)],
        )
        .await;
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let err = stderr(&output);
        assert_eq!(
            err.lines().filter(|l| !l.starts_with("note:")).count(),
            1,
            "one line (besides the production note): {err}"
        );
        assert!(
            err.contains(path_str(&path)) && err.contains(problem),
            "{err}"
        );
    }
    let bad = pki.path("missing-too.pem");
    let output = run(
        &["apps", "list"],
        &[
            ("CONNECT_BASE_URL", &url),
            ("CONNECT_API_KEY", KEY),
            ("SSL_CERT_FILE", path_str(&bad)),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("SSL_CERT_FILE names"),
        "{}",
        stderr(&output)
    );
    assert_eq!(tls.accepted(), 0, "nothing was sent");
}

#[tokio::test]
async fn an_http_proxy_with_credentials_carries_the_tunnel_and_never_shows_the_password() {
    let pki = Pki::new();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let proxy = Proxy::start(ProxyMode::Authenticated, tls.addr).await;
    let url = format!("https://{REMOTE}/connect/v1");
    let proxy_url = proxy.url_with_credentials(PROXY_PASSWORD_ENCODED);
    let output = run(
        // -vv: the debug log goes to stderr too, and must not show the password either.
        &["-vv", "apps", "list", "--ca-file", path_str(&pki.ca_file())],
        &[
            ("CONNECT_BASE_URL", &url),
            ("CONNECT_API_KEY", KEY),
            ("HTTPS_PROXY", &proxy_url),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(proxy.tunnels() >= 1, "the request went through the tunnel");
    let seen = proxy.seen();
    assert!(
        seen.iter().all(|s| s.target == format!("{REMOTE}:443")),
        "{seen:?}"
    );
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"))
    );
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some(expected.as_str())),
        "the credentials were sent: {seen:?}"
    );
    let all = format!("{}{}", stdout(&output), stderr(&output));
    for secret in ["S3cret", PROXY_PASSWORD_ENCODED, &expected[6..]] {
        assert!(!all.contains(secret), "{secret} shown in: {all}");
    }

    // The same through ALL_PROXY (lower case) for the ZITADEL client.
    let zitadel = zitadel_sandbox().await;
    let ztls = TlsServer::start(&pki, zitadel.addr()).await;
    let zproxy = Proxy::start(ProxyMode::Authenticated, ztls.addr).await;
    let output = run(
        &["projects", "list", "--backend", "zitadel"],
        &[
            ("CONNECT_BASE_URL", &format!("https://{REMOTE}")),
            ("CONNECT_API_KEY", PAT),
            ("CONNECT_CA_FILE", path_str(&pki.ca_file())),
            (
                "all_proxy",
                &zproxy.url_with_credentials(PROXY_PASSWORD_ENCODED),
            ),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(zproxy.tunnels() >= 1);
    assert!(!format!("{}{}", stdout(&output), stderr(&output)).contains("S3cret"));
}

#[tokio::test]
async fn a_proxy_asking_for_credentials_is_named_with_its_answer() {
    let pki = Pki::new();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let proxy = Proxy::start(ProxyMode::Authenticated, tls.addr).await;
    let url = format!("https://{REMOTE}/connect/v1");
    let ca = pki.ca_file();
    let args = ["apps", "list", "--ca-file", path_str(&ca)];

    let output = run(
        &args,
        &[
            ("CONNECT_BASE_URL", &url),
            ("CONNECT_API_KEY", KEY),
            ("HTTPS_PROXY", &proxy.url()),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err.lines().filter(|l| !l.starts_with("note:")).count(),
        1,
        "one line (besides the production note): {err}"
    );
    assert!(
        err.contains(&format!("proxy {} (from HTTPS_PROXY)", proxy.url())),
        "{err}"
    );
    assert!(err.contains("407 Proxy Authentication Required"), "{err}");
    assert!(err.contains("user name and password"), "{err}");
    assert!(!err.contains("internet connection"), "{err}");

    // Wrong credentials: the same answer, and the password given is not shown.
    let wrong = proxy.url_with_credentials("Wr0ng-FAKE-pass");
    let output = run(
        &args,
        &[
            ("CONNECT_BASE_URL", &url),
            ("CONNECT_API_KEY", KEY),
            ("HTTPS_PROXY", &wrong),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("refused the user name and password"), "{err}");
    assert!(
        err.contains(&proxy.url()) && !err.contains("Wr0ng"),
        "{err}"
    );
    assert_eq!(proxy.tunnels(), 0);
    assert_eq!(tls.accepted(), 0, "nothing reached the server");
}

#[tokio::test]
async fn a_proxy_that_refuses_is_named_with_its_answer() {
    let pki = Pki::new();
    let (_sandbox, tls) = hopae_over_tls(&pki).await;
    let proxy = Proxy::start(ProxyMode::Forbidden, tls.addr).await;
    let output = run(
        &["apps", "list", "--ca-file", path_str(&pki.ca_file())],
        &[
            ("CONNECT_BASE_URL", &format!("https://{REMOTE}/connect/v1")),
            ("CONNECT_API_KEY", KEY),
            ("HTTPS_PROXY", &proxy.url()),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains(&proxy.url()), "{err}");
    assert!(err.contains("403 Forbidden"), "{err}");
    assert!(err.contains(&format!("{REMOTE}:443")), "{err}");
    assert_eq!(proxy.tunnels(), 0);
}

#[tokio::test]
async fn unknown_hosts_are_named() {
    // Every name here is refused on this computer without a query leaving it: a label that
    // starts with a hyphen is refused by the system's resolver, one of 64 characters (longer
    // than DNS allows) by the TLS layer before any lookup.
    let proxy_host = "-no-such-proxy.invalid";
    let output = run(
        &["apps", "list"],
        &[
            ("CONNECT_BASE_URL", &format!("https://{REMOTE}/connect/v1")),
            ("CONNECT_API_KEY", KEY),
            ("HTTPS_PROXY", &format!("http://{proxy_host}:3128")),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err.lines().filter(|l| !l.starts_with("note:")).count(),
        1,
        "one line (besides the production note): {err}"
    );
    assert!(
        err.contains(&format!(
            "proxy http://{proxy_host}:3128 (from HTTPS_PROXY) could not be found"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("no computer called {proxy_host}")),
        "{err}"
    );
    assert!(!err.contains("internet connection"), "{err}");

    let host = format!("{}.invalid", "a".repeat(64));
    let output = run(
        &["projects", "list", "--backend", "zitadel"],
        &[
            ("CONNECT_BASE_URL", &format!("https://{host}")),
            ("CONNECT_API_KEY", PAT),
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert_eq!(
        err.lines().filter(|l| !l.starts_with("note:")).count(),
        1,
        "one line (besides the production note): {err}"
    );
    assert!(
        err.contains(&format!("{host} is not a host name")),
        "names the host: {err}"
    );
    assert!(!err.contains("internet connection"), "{err}");
}

/// A machine without a keyring service: keys are kept for the run only.
struct NoKeyring;

impl connect_console::settings::KeyStore for NoKeyring {
    fn load(&self, _: &str) -> Result<Option<connect_console::secret::Secret>, String> {
        Err("no keyring service is running".into())
    }
    fn save(&self, _: &str, _: &connect_console::secret::Secret) -> Result<(), String> {
        Err("no keyring service is running".into())
    }
}

/// eframe storage in memory, to see what the console would write to disk.
#[derive(Default)]
struct MapStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MapStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_connection_dialog_connects_with_the_chosen_certificate_authority_file() {
    use connect_console::runtime::Backend;
    use connect_console::runtime::dialogs::FakeDialogs;
    use connect_console::ui::ConsoleApp;
    use connect_console::ui::state::LoadState;
    use egui_kittest::kittest::Queryable as _;
    use kittest_support::step_console_until as step_until;

    let pki = Pki::new();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_other, tls) = runtime.block_on(async {
        let sandbox = hopae_sandbox().await;
        let tls = TlsServer::start(&pki, sandbox.addr()).await;
        (sandbox, tls)
    });
    let address = hopae_url(tls.addr.port(), "localhost");
    let dialogs = FakeDialogs::default();
    dialogs.queue(pki.ca_file());
    let backend = Backend::embedded_sandbox(SandboxConfig {
        port: 0,
        demo: true,
        seed: Some(3),
        ..SandboxConfig::default()
    })
    .expect("embedded sandbox")
    .without_activity_log()
    .with_keys(connect_console::settings::Keys::new(Box::new(NoKeyring)))
    .with_dialogs(dialogs.clone());
    let ctx = egui::Context::default();
    let app = ConsoleApp::new(
        backend,
        Box::new(connect_console::clipboard::FakeClipboard::default()),
        &ctx,
    );
    let mut harness = kittest_support::builder(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ConsoleApp| app.ui(ui), app);
    let loaded = |app: &ConsoleApp| matches!(app.state.load, LoadState::Ready);
    step_until(&mut harness, "the local sandbox", loaded);

    harness.get_by_label("Connect…").click();
    harness.run_steps(3);
    harness.get_by_label("Other address").click();
    harness.run_steps(3);
    harness.get_by_label("Address").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Address").type_text(&address);
    harness.get_by_label("API key").focus();
    harness.get_by_label("API key").type_text(KEY);
    harness.run_steps(3);

    // Without the authority: the dialog says whose certificate, who issued it, what to do.
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the refusal", |app| {
        app.state.connect_error.is_some() && app.state.connecting.is_none()
    });
    harness.get_by_label_contains("certificate of localhost is not trusted");
    harness.get_by_label_contains(CA_NAME);

    // The file chosen in the (fake) native dialog is used, and remembered by its path.
    harness.get_by_label("Certificate authority file…").click();
    step_until(&mut harness, "the chosen file", |app| {
        app.connect_dialog()
            .and_then(|d| d.chosen_ca_file())
            .is_some()
    });
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the workspace behind TLS", |app| {
        app.state.connecting.is_none()
            && loaded(app)
            && app.state.connection.host.contains("localhost")
    });
    assert_eq!(
        harness.state().ca_files.get(address.as_str()),
        Some(&pki.ca_file())
    );
    let mut storage = MapStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let saved = &storage.0[connect_console::settings::CA_FILES_KEY];
    assert!(saved.contains("ca.pem"), "{saved}");
    assert!(
        !saved.contains("BEGIN CERTIFICATE"),
        "the path, never the contents: {saved}"
    );
    assert!(storage.0.values().all(|v| !v.contains(KEY)));
    assert!(tls.accepted() > 0);

    // The dialog opens again with that file for that address.
    harness.get_by_label("Connect…").click();
    harness.run_steps(3);
    assert_eq!(
        harness
            .state()
            .connect_dialog()
            .and_then(|d| d.chosen_ca_file()),
        Some(pki.ca_file())
    );
    drop(runtime);
}
