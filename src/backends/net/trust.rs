//! Which certificate authorities a client trusts, and the one TLS configuration built from them.
//!
//! Trusted, all at once (a certificate passes when any of them issued its chain):
//! 1. the roots built into the program (Mozilla's, from `webpki-roots`), so a machine with an
//!    empty or missing store still reaches public servers;
//! 2. the operating system's store (`rustls-native-certs`: the system bundle on Linux, the
//!    Keychain on macOS, the Windows store), read once per process; or instead of it, as
//!    OpenSSL-based tools do, the PEM file named by `SSL_CERT_FILE` and the PEM files in the
//!    folders named by `SSL_CERT_DIR`, when either is set;
//! 3. the certificate authority file given with `--ca-file`, `CONNECT_CA_FILE` or the
//!    connection dialog (PEM, or a single DER certificate).
//!
//! A file the user named that cannot be read, or holds no certificate, is refused with one
//! sentence naming it, before anything is sent. A server certificate that is refused comes back
//! from the handshake as [`Refused`], which names the server and the issuer, so the message can
//! say who issued it and what to do.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, RootCertStore, SignatureScheme};

use super::der;
use crate::api::ApiError;

/// The largest certificate file read (a system bundle is about 200 KB).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The most files read from the folders of `SSL_CERT_DIR`.
const MAX_DIR_FILES: usize = 10_000;
/// The largest file read from those folders.
const MAX_DIR_FILE_BYTES: u64 = 1024 * 1024;

/// A server certificate the handshake refused, with the names needed to say so.
#[derive(Debug)]
pub(crate) struct Refused {
    /// The name the certificate was checked for: the server's, or an https proxy's.
    pub server: String,
    /// Who issued the top of the chain the server sent, when it could be read.
    pub issuer: Option<String>,
    /// The chain ends in a certificate that issued itself.
    pub self_signed: bool,
    pub cause: CertificateError,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "certificate of {} refused: {:?}",
            self.server, self.cause
        )
    }
}

impl std::error::Error for Refused {}

/// The TLS configuration for a client: every source above, ALPN for HTTP/2 and HTTP/1.1.
/// `system` says whether the operating system's store (or `SSL_CERT_FILE`/`SSL_CERT_DIR`) is
/// read; a client that only talks plain http to this computer skips it, but the file the user
/// named is always checked. `env` reads a variable (the process environment in use).
pub(crate) fn client_config(
    ca_file: Option<&Path>,
    system: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Result<rustls::ClientConfig, ApiError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if system {
        add_system_roots(&mut roots, &env)?;
    }
    if let Some(path) = ca_file {
        let certificates = read_certificates(path).map_err(|problem| {
            ApiError::local_worded(|| {
                crate::tr!(
                    "net-ca-file-problem",
                    path = shown(path),
                    problem = problem.words()
                )
            })
        })?;
        add_all(&mut roots, certificates).map_err(|()| {
            ApiError::local_worded(|| crate::tr!("net-ca-file-not-authority", path = shown(path)))
        })?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| {
            ApiError::local_worded(|| {
                crate::tr!("net-certificate-checks-failed", error = e.to_string())
            })
        })?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            ApiError::local_worded(|| crate::tr!("net-tls-setup-failed", error = e.to_string()))
        })?
        .dangerous()
        // The web PKI check, unchanged; only its refusals gain the names for the message.
        .with_custom_certificate_verifier(Arc::new(Naming { inner: verifier }))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The operating system's store, or `SSL_CERT_FILE` and `SSL_CERT_DIR` instead of it.
fn add_system_roots(
    roots: &mut RootCertStore,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<(), ApiError> {
    let file = env("SSL_CERT_FILE").filter(|v| !v.trim().is_empty());
    let dirs = env("SSL_CERT_DIR").filter(|v| !v.trim().is_empty());
    if file.is_none() && dirs.is_none() {
        // Ancient or malformed certificates in a system store are skipped, as browsers do.
        for certificate in system_store() {
            let _ = roots.add(certificate.clone());
        }
        return Ok(());
    }
    if let Some(file) = file {
        let path = PathBuf::from(file);
        let certificates = read_certificates(&path).map_err(|problem| {
            ApiError::local_worded(|| {
                crate::tr!(
                    "net-ssl-cert-file-problem",
                    path = shown(&path),
                    problem = problem.words()
                )
            })
        })?;
        add_all(roots, certificates).map_err(|()| {
            ApiError::local_worded(|| {
                crate::tr!("net-ssl-cert-file-not-authority", path = shown(&path))
            })
        })?;
    }
    if let Some(dirs) = dirs {
        for dir in std::env::split_paths(&dirs).filter(|d| !d.as_os_str().is_empty()) {
            add_folder(roots, &dir)?;
        }
    }
    Ok(())
}

/// The certificates of every PEM file in `dir`; files that hold none are passed over.
fn add_folder(roots: &mut RootCertStore, dir: &Path) -> Result<(), ApiError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        ApiError::local_worded(|| {
            crate::tr!(
                "net-ssl-cert-dir-unreadable",
                path = shown(dir),
                reason = io_reason(&e)
            )
        })
    })?;
    let mut found = 0usize;
    for entry in entries.flatten().take(MAX_DIR_FILES) {
        let path = entry.path();
        let small_file =
            std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_DIR_FILE_BYTES);
        if !small_file {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        for certificate in CertificateDer::pem_slice_iter(&bytes).flatten() {
            if roots.add(certificate).is_ok() {
                found += 1;
            }
        }
    }
    tracing::debug!(dir = %dir.display(), found, "certificates read from SSL_CERT_DIR");
    Ok(())
}

/// The operating system's store, read once per process.
fn system_store() -> &'static [CertificateDer<'static>] {
    static STORE: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    STORE.get_or_init(|| {
        let loaded = rustls_native_certs::load_native_certs();
        for error in &loaded.errors {
            tracing::debug!(%error, "part of the system certificate store could not be read");
        }
        tracing::debug!(
            certificates = loaded.certs.len(),
            "system certificate store read"
        );
        loaded.certs
    })
}

/// Why a certificate file the user named cannot be used.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    Unreadable(String),
    TooLarge,
    NoCertificate,
    Malformed,
}

impl Problem {
    /// What is wrong, to follow "The certificate authority file X " or "SSL_CERT_FILE names
    /// X, which " (in the calling thread's language).
    fn words(&self) -> String {
        match self {
            Problem::Unreadable(reason) => {
                crate::tr!("net-file-unreadable", reason = reason.as_str())
            }
            Problem::TooLarge => {
                crate::tr!(
                    "net-file-too-large",
                    mb = MAX_FILE_BYTES.div_euclid(1024 * 1024)
                )
            }
            Problem::NoCertificate => crate::tr!("net-file-no-certificate"),
            Problem::Malformed => crate::tr!("net-file-malformed"),
        }
    }
}

/// Every certificate of a PEM file, or of a file holding one DER certificate.
fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, Problem> {
    let metadata = std::fs::metadata(path).map_err(|e| Problem::Unreadable(io_reason(&e)))?;
    if metadata.is_dir() {
        return Err(Problem::Unreadable(crate::tr!("net-file-is-folder")));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Problem::TooLarge);
    }
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable(io_reason(&e)))?;
    certificates_in(&bytes)
}

fn certificates_in(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, Problem> {
    let mut certificates = Vec::new();
    for item in CertificateDer::pem_slice_iter(bytes) {
        certificates.push(item.map_err(|_| Problem::Malformed)?);
    }
    if certificates.is_empty() {
        // A certificate exported as binary DER (`.cer`, `.der`) is one SEQUENCE.
        if bytes.first() == Some(&0x30) && der::issuer_and_subject(bytes).is_some() {
            return Ok(vec![CertificateDer::from(bytes.to_vec())]);
        }
        return Err(Problem::NoCertificate);
    }
    Ok(certificates)
}

fn add_all(
    roots: &mut RootCertStore,
    certificates: Vec<CertificateDer<'static>>,
) -> Result<(), ()> {
    for certificate in certificates {
        roots.add(certificate).map_err(|_| ())?;
    }
    Ok(())
}

/// An I/O error's reason without the "(os error 2)" tail.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => crate::tr!("net-no-such-file"),
        std::io::ErrorKind::PermissionDenied => crate::tr!("net-permission-denied"),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_owned(),
                None => text,
            }
        }
    }
}

/// A path for a message: one line, bounded.
pub(crate) fn shown(path: &Path) -> String {
    let text: String = path
        .display()
        .to_string()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The web PKI check; a refusal is returned as [`Refused`] inside
/// `CertificateError::Other`, with the server's name and the issuer read from the chain.
#[derive(Debug)]
struct Naming {
    inner: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for Naming {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map_err(|error| match error {
                rustls::Error::InvalidCertificate(cause) => {
                    // The top of the chain sent names the authority that is missing.
                    let top = intermediates.last().unwrap_or(end_entity);
                    let names = der::issuer_and_subject(top.as_ref());
                    let refused = Refused {
                        server: server_name.to_str().into_owned(),
                        issuer: names.as_ref().and_then(|(issuer, _)| issuer.display()),
                        // A server that sends only its own certificate, issued by itself.
                        self_signed: intermediates.is_empty()
                            && names.is_some_and(|(issuer, subject)| issuer == subject),
                        cause,
                    };
                    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(
                        Arc::new(refused),
                    )))
                }
                other => other,
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_built_in_roots_alone_make_a_configuration() {
        let config = client_config(None, false, no_env).unwrap();
        assert_eq!(
            config.alpn_protocols,
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }

    #[test]
    fn a_ca_file_that_cannot_be_used_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing-ca.pem");
        let err = client_config(Some(&missing), false, no_env).unwrap_err();
        assert_eq!(err.kind, crate::api::ErrorKind::Local);
        assert!(err.message.contains("missing-ca.pem"), "{}", err.message);
        assert!(err.message.contains("could not be read"), "{}", err.message);

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let err = client_config(Some(&empty), false, no_env).unwrap_err();
        assert!(
            err.message.contains("empty.pem") && err.message.contains("holds no certificate"),
            "{}",
            err.message
        );

        let garbage = dir.path().join("garbage.pem");
        std::fs::write(
            &garbage,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let err = client_config(Some(&garbage), false, no_env).unwrap_err();
        assert!(err.message.contains("garbage.pem"), "{}", err.message);

        let err = client_config(Some(dir.path()), false, no_env).unwrap_err();
        assert!(err.message.contains("folder"), "{}", err.message);
        // One sentence: no line breaks, one full stop at most (added by user_message).
        assert!(!err.user_message().contains('\n'));
    }

    #[test]
    fn ssl_cert_file_and_dir_that_cannot_be_used_are_refused_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("bundle.pem").display().to_string();
        let env = |name: &str| (name == "SSL_CERT_FILE").then(|| missing.clone());
        let err = client_config(None, true, env).unwrap_err();
        assert!(
            err.message.starts_with("SSL_CERT_FILE names "),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("bundle.pem, which could not be read"),
            "{}",
            err.message
        );
        let nowhere = dir.path().join("nowhere").display().to_string();
        let env = |name: &str| (name == "SSL_CERT_DIR").then(|| nowhere.clone());
        let err = client_config(None, true, env).unwrap_err();
        assert!(
            err.message.starts_with("SSL_CERT_DIR names "),
            "{}",
            err.message
        );
        // Without the system store, neither variable is read.
        let env = |_: &str| Some(missing.clone());
        assert!(client_config(None, false, env).is_ok());
    }

    #[test]
    fn pem_and_der_files_are_read_and_text_is_not() {
        let authority = rcgen::generate_simple_self_signed(vec!["ca.example.test".to_owned()])
            .unwrap()
            .cert;
        let dir = tempfile::tempdir().unwrap();
        let pem = dir.path().join("ca.pem");
        std::fs::write(&pem, authority.pem()).unwrap();
        let der = dir.path().join("ca.cer");
        std::fs::write(&der, authority.der()).unwrap();
        for path in [&pem, &der] {
            assert_eq!(
                read_certificates(path).unwrap().len(),
                1,
                "{}",
                path.display()
            );
            assert!(client_config(Some(path), false, no_env).is_ok());
        }
        // SSL_CERT_DIR: the certificate files of the folder, other files passed over.
        std::fs::write(dir.path().join("README"), "not a certificate").unwrap();
        let folder = dir.path().display().to_string();
        let env = |name: &str| (name == "SSL_CERT_DIR").then(|| folder.clone());
        assert!(client_config(None, true, env).is_ok());
        assert_eq!(certificates_in(b"hello"), Err(Problem::NoCertificate));
        assert_eq!(
            certificates_in(&[0x30, 0x03, 1, 2, 3]),
            Err(Problem::NoCertificate)
        );
    }
}
