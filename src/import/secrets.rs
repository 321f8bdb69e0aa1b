//! The secrets file of an import: clientId, name, clientSecret of each new app, owner-only
//! (0600), opened and checked before the first request, appended and flushed to disk batch by
//! batch before any of those rows is journalled as created.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::ImportError;
use super::journal::{
    create_private_dir, create_private_new, default_data_dir, open_private_append, repair_torn_tail,
};
use super::report::{RowOutcome, neutralize};

/// The header line; the file starts with a BOM so spreadsheets read accents and CJK right.
const HEADER: &[u8] = b"\xEF\xBB\xBFclientId,name,clientSecret\r\n";

/// An open secrets file, ready to receive secrets.
#[derive(Debug)]
pub struct SecretsFile {
    path: PathBuf,
    file: File,
    written: usize,
    /// Client ids with a secret in the file (read at open, added to on each append).
    client_ids: HashSet<String>,
}

impl SecretsFile {
    /// Creates the file (owner-only) or opens an existing one to append to, repairing a last
    /// line cut short by a crash. Fails, with a sentence, when the folder is missing or the
    /// file cannot be written: nothing is sent then.
    pub fn open(path: &Path) -> Result<SecretsFile, ImportError> {
        let fail = |e: std::io::Error| {
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| ".".to_owned(), |p| p.display().to_string());
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    crate::tr!("import-secrets-folder-missing", folder = folder)
                }
                std::io::ErrorKind::PermissionDenied => {
                    crate::tr!("import-secrets-no-permission", folder = folder)
                }
                _ => e.to_string(),
            };
            ImportError::worded(|| {
                crate::tr!(
                    "import-secrets-cannot-write",
                    path = path.display().to_string(),
                    why = why.as_str()
                )
            })
        };
        if path.is_dir() {
            return Err(ImportError::worded(|| {
                crate::tr!(
                    "import-secrets-is-folder",
                    path = path.display().to_string()
                )
            }));
        }
        let mut file = open_private_append(path).map_err(fail)?;
        // The file holds secrets: the copy read here is wiped when dropped.
        let existing = zeroize::Zeroizing::new(repair_torn_tail(&mut file).map_err(fail)?);
        if existing.is_empty() {
            file.write_all(HEADER).map_err(fail)?;
        }
        file.sync_all().map_err(fail)?;
        Ok(SecretsFile {
            path: path.to_owned(),
            file,
            written: 0,
            client_ids: client_ids(&existing),
        })
    }

    /// Whether the file already holds a secret for `client_id` (from an earlier run, or this
    /// one). A resumed import that finds one does not issue the app a new secret.
    pub fn holds(&self, client_id: &str) -> bool {
        self.client_ids.contains(client_id)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Secrets written through this handle.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Appends the secrets of `rows` that have one and flushes them to disk; returns how many.
    /// On failure the file is cut back to where it was, so no half-written secret stays in it.
    pub fn append(&mut self, rows: &[RowOutcome]) -> Result<usize, ImportError> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut count = 0;
        for row in rows {
            let (Some(id), Some(secret)) = (&row.client_id, &row.client_secret) else {
                continue;
            };
            let _ = writer.write_record([
                neutralize(id).as_str(),
                neutralize(&row.name).as_str(),
                secret.expose(),
            ]);
            count += 1;
        }
        if count == 0 {
            return Ok(0);
        }
        let bytes = zeroize::Zeroizing::new(writer.into_inner().unwrap_or_default());
        let before = self.file.metadata().map(|m| m.len()).ok();
        let written = self
            .file
            .write_all(&bytes)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            if let Some(len) = before {
                let _ = self.file.set_len(len);
            }
            return Err(ImportError::worded(|| {
                crate::tr!(
                    "import-secrets-write-failed",
                    path = self.path.display().to_string(),
                    error = e.to_string()
                )
            }));
        }
        self.written += count;
        for row in rows {
            if let (Some(id), Some(_)) = (&row.client_id, &row.client_secret) {
                self.client_ids.insert(id.clone());
            }
        }
        Ok(count)
    }
}

/// The first cell of each complete line after the header, read without copying the secrets.
/// A line cut short by a crash (repaired to end in a newline, but missing its secret) does
/// not count.
fn client_ids(bytes: &[u8]) -> HashSet<String> {
    bytes
        .split(|b| *b == b'\n')
        .skip(1)
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r")?;
            let comma = line.iter().position(|b| *b == b',')?;
            let id = std::str::from_utf8(&line[..comma]).ok()?;
            (!id.is_empty() && !id.starts_with('"')).then(|| id.to_owned())
        })
        .collect()
}

/// A new file in the console's own data folder (owner-only), for an import started in the
/// console without a secrets file chosen: `…/connect-console/secrets/import-secrets-<time>.csv`
/// (`-2`, `-3`, … when imports start in the same second). The file is created here, empty, so
/// two imports never share one.
pub fn default_secrets_path() -> Result<PathBuf, ImportError> {
    let dir = default_data_dir()?.join("secrets");
    let fail = |e: std::io::Error| {
        ImportError::worded(|| {
            crate::tr!(
                "import-secrets-dir-failed",
                dir = dir.display().to_string(),
                error = e.to_string()
            )
        })
    };
    create_private_dir(&dir).map_err(fail)?;
    let stamp = crate::clock::file_stamp();
    for n in 1..=1000 {
        let name = if n == 1 {
            format!("import-secrets-{stamp}.csv")
        } else {
            format!("import-secrets-{stamp}-{n}.csv")
        };
        let path = dir.join(name);
        match create_private_new(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(fail(e)),
        }
    }
    Err(fail(std::io::Error::other(crate::tr!(
        "import-secrets-too-many"
    ))))
}

/// The same file named twice (`--results` and `--secrets`, or either and the input) would
/// overwrite secrets or the file being read. Compares the paths as the system resolves them.
pub fn same_file(a: &Path, b: &Path) -> bool {
    fn resolve(path: &Path) -> Option<PathBuf> {
        if let Ok(path) = path.canonicalize() {
            return Some(path);
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(parent.join(path.file_name()?))
    }
    match (resolve(a), resolve(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::report::RowStatus;
    use crate::secret::Secret;

    fn created(row: usize, name: &str, secret: &str) -> RowOutcome {
        RowOutcome {
            row,
            name: name.into(),
            external_id: None,
            client_id: Some(format!("C{row}")),
            client_secret: Some(Secret::new(secret)),
            status: RowStatus::Created,
            key_file: None,
        }
    }

    #[test]
    fn appends_owner_only_and_repairs_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.csv");
        let mut file = SecretsFile::open(&path).unwrap();
        assert_eq!(
            file.append(&[created(2, "=cmd()", "sh_app_FAKE_1")])
                .unwrap(),
            1
        );
        drop(file);
        // A crash in the middle of a line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"C9,Torn,sh_app_FA")
            .unwrap();
        let mut file = SecretsFile::open(&path).unwrap();
        file.append(&[created(3, "B", "sh_app_FAKE_2")]).unwrap();
        // Complete lines count as held; the torn one does not.
        assert!(file.holds("C2") && file.holds("C3"));
        assert!(!file.holds("C9"));
        drop(file);
        let reopened = SecretsFile::open(&path).unwrap();
        assert!(reopened.holds("C2") && reopened.holds("C3") && !reopened.holds("C9"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("clientSecret").count(), 1, "{text}");
        assert!(text.contains("C2,'=cmd(),sh_app_FAKE_1\r\n"), "{text}");
        assert!(text.contains("sh_app_FA\nC3,B,sh_app_FAKE_2"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_missing_folder_is_refused_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let error = SecretsFile::open(&dir.path().join("nope").join("s.csv")).unwrap_err();
        assert!(error.0.contains("does not exist"), "{}", error.0);
        assert!(error.0.contains("Nothing was sent"), "{}", error.0);
        assert!(SecretsFile::open(dir.path()).is_err());
    }

    #[test]
    fn the_same_file_is_recognised_through_other_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("out.csv");
        let b = dir.path().join(".").join("out.csv");
        assert!(same_file(&a, &b));
        std::fs::write(&a, "x").unwrap();
        assert!(same_file(&a, &b));
        assert!(!same_file(&a, &dir.path().join("other.csv")));
    }
}
