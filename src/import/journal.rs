//! The import journal: one JSON line per finished row, appended and synced to disk before the
//! row is reported, so a crashed or killed import resumes where it stopped.
//!
//! It holds row numbers, keys, client ids and errors, never a client secret. One file per
//! (workspace, file) pair, under the app's data directory.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::ImportError;
use super::plan::hex;

/// What happened to one row, as written to the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub row: usize,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl JournalEntry {
    pub fn created(&self) -> bool {
        self.client_id.is_some()
    }
}

/// An open journal, and the rows it already records.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// The latest entry of each key.
    entries: HashMap<String, JournalEntry>,
}

/// `$XDG_DATA_HOME/connect-console/imports` (or the platform's equivalent).
pub fn default_journal_dir() -> PathBuf {
    data_dir().join("connect-console").join("imports")
}

fn data_dir() -> PathBuf {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = env_dir("HOME").unwrap_or_else(std::env::temp_dir);
    if cfg!(windows) {
        return env_dir("APPDATA").unwrap_or(home);
    }
    if cfg!(target_os = "macos") {
        return home.join("Library").join("Application Support");
    }
    env_dir("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local").join("share"))
}

impl Journal {
    /// Opens (or creates) the journal of importing the file `import_id` into the workspace at
    /// `workspace` (its base URL), and reads what it records. A line cut short by a crash is
    /// ignored.
    pub fn open(dir: &Path, workspace: &str, import_id: &str) -> Result<Journal, ImportError> {
        let fail = |what: &str, e: std::io::Error| {
            ImportError(format!(
                "Could not {what} the import journal in {}: {e}. Check that the folder is \
                 writable and the disk is not full",
                dir.display()
            ))
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("create", e))?;
        let path = dir.join(Self::file_name(workspace, import_id));
        let mut entries = HashMap::new();
        if let Ok(existing) = File::open(&path) {
            for line in BufReader::new(existing).lines() {
                let Ok(line) = line else { break };
                if let Ok(entry) = serde_json::from_str::<JournalEntry>(&line) {
                    entries.insert(entry.key.clone(), entry);
                }
            }
        }
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(|e| fail("open", e))?;
        // A partial last line would glue onto the next entry: end it.
        if std::fs::read(&path).is_ok_and(|b| !b.is_empty() && b.last() != Some(&b'\n')) {
            file.write_all(b"\n").map_err(|e| fail("write", e))?;
        }
        Ok(Journal {
            path,
            file,
            entries,
        })
    }

    fn file_name(workspace: &str, import_id: &str) -> String {
        let workspace_hash = hex(&Sha256::digest(workspace.trim_end_matches('/').as_bytes()));
        format!(
            "import-{}-{}.jsonl",
            &import_id[..16.min(import_id.len())],
            &workspace_hash[..12]
        )
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The latest entry for a key.
    pub fn get(&self, key: &str) -> Option<&JournalEntry> {
        self.entries.get(key)
    }

    /// Keys of rows already created.
    pub fn created_keys(&self) -> std::collections::HashSet<String> {
        self.entries
            .values()
            .filter(|e| e.created())
            .map(|e| e.key.clone())
            .collect()
    }

    /// Appends entries and syncs them to disk; returns only once they are durable.
    pub fn append(&mut self, batch: &[JournalEntry]) -> Result<(), ImportError> {
        let mut text = String::new();
        for entry in batch {
            let line = serde_json::to_string(entry)
                .map_err(|e| ImportError(format!("Could not record the import: {e}")))?;
            text.push_str(&line);
            text.push('\n');
        }
        let fail = |e: std::io::Error| {
            ImportError(format!(
                "Could not write the import journal {}: {e}. Free some disk space, then run \
                 the import again; it resumes where it stopped",
                self.path.display()
            ))
        };
        self.file.write_all(text.as_bytes()).map_err(fail)?;
        self.file.sync_data().map_err(fail)?;
        for entry in batch {
            self.entries.insert(entry.key.clone(), entry.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(row: usize, id: Option<&str>) -> JournalEntry {
        JournalEntry {
            row,
            key: format!("k{row}"),
            client_id: id.map(str::to_owned),
            error: id.is_none().then(|| "failed".to_owned()),
        }
    }

    #[test]
    fn entries_survive_reopening_and_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path(), "http://h/v1", "abc").unwrap();
        journal
            .append(&[entry(2, Some("C1")), entry(3, None)])
            .unwrap();
        let path = journal.path().to_owned();
        drop(journal);
        // A crash in the middle of a write.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"row\":4,\"key\":\"k4\",\"clie").unwrap();
        drop(file);
        let mut journal = Journal::open(dir.path(), "http://h/v1", "abc").unwrap();
        assert_eq!(journal.created_keys().len(), 1);
        assert!(journal.get("k3").is_some_and(|e| !e.created()));
        journal.append(&[entry(3, Some("C3"))]).unwrap();
        drop(journal);
        let journal = Journal::open(dir.path(), "http://h/v1", "abc").unwrap();
        assert_eq!(journal.created_keys().len(), 2);
        // Another workspace has its own journal.
        let other = Journal::open(dir.path(), "http://other/v1", "abc").unwrap();
        assert!(other.created_keys().is_empty());
    }
}
