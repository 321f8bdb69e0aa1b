//! Sample userinfo the simulator ran, kept per workflow on this computer only: one owner-only
//! file per workspace, app and workflow under `…/connect-console/simulation-inputs`, written
//! under the secrets file's rules (no symbolic links, never another user's file). They may hold
//! personal data, so the panel says so and "Forget saved inputs" removes the folder.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::import::journal::{check_own_file, create_private_dir, write_private_file};

/// Larger files are not read back (a userinfo is a few hundred bytes).
const MAX_INPUT_BYTES: u64 = 256 * 1024;

/// Which workflow an input belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InputKey {
    pub workspace: String,
    pub app_id: String,
    pub workflow_id: String,
}

impl InputKey {
    /// The file name: a digest, so no id reaches the file system as a path.
    fn file_name(&self) -> String {
        let mut hash = Sha256::new();
        for part in [&self.workspace, &self.app_id, &self.workflow_id] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        let digest = hash.finalize();
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}.json")
    }
}

/// The folder of saved inputs, under the console's data folder.
pub fn default_dir() -> Option<PathBuf> {
    crate::import::journal::default_data_dir()
        .ok()
        .map(|dir| dir.join("simulation-inputs"))
}

/// Refuses a folder that is a symbolic link or, on Unix, another user's.
fn check_folder(dir: &Path) -> std::io::Result<()> {
    let Ok(meta) = dir.symlink_metadata() else {
        return Ok(());
    };
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is not a folder of its own (a symbolic link or a file)",
            dir.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        #[allow(unsafe_code)]
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(std::io::Error::other(format!(
                "{} belongs to another user",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// The input last run through `key`'s workflow, if one was kept.
pub fn load(dir: &Path, key: &InputKey) -> std::io::Result<Option<String>> {
    check_folder(dir)?;
    let path = dir.join(key.file_name());
    if path.symlink_metadata().is_err() {
        return Ok(None);
    }
    check_own_file(&path)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // A link put there after the check is refused, never followed.
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(&path)?;
    if file.metadata()?.len() > MAX_INPUT_BYTES {
        return Ok(None);
    }
    std::io::read_to_string(file).map(Some)
}

/// Keeps `text` as `key`'s input, owner-only.
pub fn save(dir: &Path, key: &InputKey, text: &str) -> std::io::Result<()> {
    check_folder(dir)?;
    create_private_dir(dir)?;
    write_private_file(&dir.join(key.file_name()), text.as_bytes())
}

/// Whether `name` is one this module writes: 24 hex digits and `.json`.
fn is_input_name(name: &str) -> bool {
    name.strip_suffix(".json")
        .is_some_and(|stem| stem.len() == 24 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Removes every saved input (only files named as this module names them). Returns how many
/// files were removed.
pub fn forget_all(dir: &Path) -> std::io::Result<usize> {
    check_folder(dir)?;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let is_file = entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink());
        let ours = entry.file_name().to_str().is_some_and(is_input_name);
        if is_file && ours {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(workflow: &str) -> InputKey {
        InputKey {
            workspace: "http://127.0.0.1:1".into(),
            app_id: "APP1".into(),
            workflow_id: workflow.into(),
        }
    }

    #[test]
    fn inputs_are_kept_per_workflow_owner_only_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path().join("simulation-inputs");
        assert_eq!(load(&dir, &key("wf1")).unwrap(), None);
        save(&dir, &key("wf1"), r#"{"loa": 2}"#).unwrap();
        save(&dir, &key("wf2"), r#"{"loa": 1}"#).unwrap();
        assert_eq!(
            load(&dir, &key("wf1")).unwrap().as_deref(),
            Some(r#"{"loa": 2}"#)
        );
        assert_eq!(
            load(&dir, &key("wf2")).unwrap().as_deref(),
            Some(r#"{"loa": 1}"#)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let file = dir.join(key("wf1").file_name());
            assert_eq!(file.metadata().unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(dir.metadata().unwrap().permissions().mode() & 0o777, 0o700);
        }
        std::fs::write(dir.join("notes.json"), "{}").unwrap();
        assert_eq!(forget_all(&dir).unwrap(), 2);
        assert!(
            dir.join("notes.json").exists(),
            "a file it did not write is left alone"
        );
        assert_eq!(load(&dir, &key("wf1")).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_neither_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.json");
        std::fs::write(&target, "{}").unwrap();
        let inputs = dir.path().join("inputs");
        create_private_dir(&inputs).unwrap();
        std::os::unix::fs::symlink(&target, inputs.join(key("wf").file_name())).unwrap();
        assert!(load(&inputs, &key("wf")).is_err());
        assert!(save(&inputs, &key("wf"), "{\"a\":1}").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}");
        // A folder that is a link is refused too.
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&inputs, &linked).unwrap();
        assert!(forget_all(&linked).is_err());
        assert!(save(&linked, &key("wf2"), "{}").is_err());
    }
}
