//! Adding an app key into a file: the one path the console and the command line take.
//!
//! The file is created first (new, owner-only, never through a symbolic link), so a refusal
//! costs nothing on the server; the key file is written and synced before the add is reported;
//! a key whose file could not be written is deleted again, since no one could sign with it; a
//! lost answer is reported as unknown, with the app's keys as they are now, and never retried
//! into a second key.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::activity::ActivityLog;
use crate::api::ApiError;
use crate::backends::Workspace;
use crate::backends::keys::{AppKey, KeyExpiry, describe_rfc3339};
use crate::secret::Secret;

use super::perform::perform;
use super::write::{Outcome, Write};

/// A key added and saved.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyInFile {
    pub key_id: String,
    /// RFC 3339; `None` for no expiry.
    pub expires: Option<String>,
    pub path: PathBuf,
}

impl KeyInFile {
    /// The expiry as people read it (in the calling thread's language).
    pub fn expires_text(&self) -> String {
        self.expires
            .as_deref()
            .map_or_else(|| crate::tr!("backend-key-never"), describe_rfc3339)
    }
}

/// A key file being written: removed again unless [`NewKeyFile::finish`] completes.
#[derive(Debug)]
pub struct NewKeyFile {
    file: Option<File>,
    path: PathBuf,
}

impl NewKeyFile {
    /// Creates `path` as a new file only this user can read. An existing file (or a link, or
    /// anything else already there) is refused: a key file is never written over another.
    pub fn create(path: &Path) -> Result<Self, String> {
        if path.symlink_metadata().is_ok() {
            return Err(crate::tr!(
                "ops-key-file-exists",
                path = path.display().to_string()
            ));
        }
        // Exclusive: a link put there meanwhile is refused too, not followed.
        let file = crate::import::journal::create_private_new(path).map_err(|e| {
            crate::tr!(
                "ops-key-file-not-created",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })?;
        Ok(Self {
            file: Some(file),
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the key file and syncs it to disk.
    pub fn finish(mut self, key: &Secret) -> std::io::Result<()> {
        let mut file = self
            .file
            .take()
            .ok_or_else(|| std::io::Error::other("closed"))?;
        let written = file
            .write_all(key.expose().as_bytes())
            .and_then(|()| file.sync_all());
        match written {
            Ok(()) => Ok(()),
            Err(error) => {
                self.file = Some(file);
                Err(error)
            }
        }
    }
}

impl Drop for NewKeyFile {
    fn drop(&mut self) {
        // Not finished: an empty or partial file would look like a key.
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Adds a key to the app `id` and writes its key file to `path`; see the module's comment.
pub async fn add_key_to_file(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    id: &str,
    expiry: KeyExpiry,
    path: &Path,
    log: Option<&ActivityLog>,
) -> Result<KeyInFile, ApiError> {
    let file = NewKeyFile::create(path).map_err(ApiError::local)?;
    let write = Write::AddKey {
        id: id.to_owned(),
        expiry,
    };
    let performed = perform(workspace, scope, write, log).await;
    let key = match performed.result {
        Ok(Outcome::KeyAdded { key, .. }) => key,
        Ok(_) => {
            return Err(ApiError::local_worded(|| crate::tr!("ops-not-a-key")));
        }
        Err(error) if performed.sent && Write::outcome_unknown(&error) => {
            return Err(lost_answer(workspace, scope, id, error).await);
        }
        Err(error) => return Err(error),
    };
    let saved = KeyInFile {
        key_id: key.id.clone(),
        expires: key.expires.clone(),
        path: path.to_owned(),
    };
    if let Err(write_error) = file.finish(&key.file) {
        // No one can sign with a key whose file is gone: take it back.
        let delete = Write::DeleteKey {
            id: id.to_owned(),
            key_id: key.id.clone(),
        };
        let deleted = perform(workspace, scope, delete, log).await.result.is_ok();
        let reason = write_error.to_string();
        return Err(ApiError::local_worded(|| {
            if deleted {
                crate::tr!(
                    "ops-key-file-failed-deleted",
                    key = key.id.as_str(),
                    error = reason.as_str()
                )
            } else {
                crate::tr!(
                    "ops-key-file-failed-kept",
                    key = key.id.as_str(),
                    error = reason.as_str()
                )
            }
        }));
    }
    Ok(saved)
}

/// The sentence for an add whose answer was lost: a key may exist whose file no one has.
async fn lost_answer(
    workspace: &dyn Workspace,
    scope: Option<&str>,
    id: &str,
    error: ApiError,
) -> ApiError {
    let keys = workspace.list_app_keys(scope, id).await.ok();
    error.reworded(|before| {
        let keys = match &keys {
            Some(keys) => describe_keys(keys),
            None => crate::tr!("ops-keys-not-listed"),
        };
        crate::tr!(
            "ops-key-add-unknown",
            error = before.trim_end_matches('.'),
            keys = keys
        )
    })
}

/// `123 (expires 2027-12-06 12:00 UTC), 456 (never expires)`, or `none` (in the calling
/// thread's language).
pub fn describe_keys(keys: &[AppKey]) -> String {
    if keys.is_empty() {
        return crate::tr!("ops-keys-none");
    }
    keys.iter()
        .map(|k| match &k.expires {
            Some(at) => crate::tr!(
                "ops-key-expires",
                key = k.id.as_str(),
                expires = describe_rfc3339(at)
            ),
            None => crate::tr!("ops-key-never-expires", key = k.id.as_str()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_new_owner_only_and_removed_unless_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.json");
        let file = NewKeyFile::create(&path).unwrap();
        assert!(
            NewKeyFile::create(&path)
                .unwrap_err()
                .contains("already exists")
        );
        drop(file);
        assert!(!path.exists(), "an unfinished file is removed");
        let file = NewKeyFile::create(&path).unwrap();
        file.finish(&Secret::new("{\"key\":\"FAKE\"}")).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"key\":\"FAKE\"}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(dir.path().join("target.json"), &link).unwrap();
            assert!(NewKeyFile::create(&link).is_err());
            assert!(!dir.path().join("target.json").exists());
        }
    }
}
