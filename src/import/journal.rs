//! The import journal: one JSON line per row event, appended and synced to disk, so a crashed,
//! killed or corrected import resumes where it stopped without creating anything twice.
//!
//! There is one journal per workspace, keyed by row identity (the external id, else the
//! normalized name), not by the file's bytes: an edited or re-ordered file finds its rows again.
//! Before a batch is sent its rows are recorded as `sent` with their idempotency keys, so a run
//! that never learns the outcome is resent with the same keys and the server replays it. A row
//! becomes `created` only after its secret is on disk. It holds keys, client ids and errors,
//! never a client secret.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ImportError;
use crate::digest::sha256_hex;

/// Where a row stands after its latest event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntryState {
    /// About to be sent with `key`; the outcome is not known yet.
    Sent,
    /// Created as `client_id`, and its secret is on disk.
    Created,
    /// The server refused the row (a definite answer): the next attempt uses a new key.
    Refused,
    /// Sent, but no answer was read (network, 5xx, lost secret): resend with the same key.
    Unknown,
    /// The server refused the key as used before with another body (the row was edited
    /// since): the key can never be sent again, so the next run looks the row up instead.
    KeyConflict,
}

/// One event of one row, as written to the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// The row's identity: `ext:<external id>` or `name:<normalized name>`.
    pub id: String,
    /// Spreadsheet row number in the file of that run (for people reading the journal).
    pub row: usize,
    pub key: String,
    pub state: EntryState,
    /// How many earlier attempts the server refused; part of the key, so a corrected row is
    /// not refused as a reuse of a key with another body.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempt: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When this event was written (seconds since 1970, UTC); entries of older versions have
    /// none and count as recent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<u64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// How long a server keeps an idempotency key's answer (24 hours, with an hour to spare): a
/// key sent longer ago than this may be taken as new, so it is never sent again.
pub const KEY_WINDOW_SECS: u64 = 23 * 60 * 60;

/// Now, in the journal's seconds.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl JournalEntry {
    pub fn created(&self) -> bool {
        self.state == EntryState::Created
    }

    /// Whether this event's key was sent longer ago than the server remembers it.
    pub fn past_key_window(&self, now: u64) -> bool {
        self.at
            .is_some_and(|at| now.saturating_sub(at) > KEY_WINDOW_SECS)
    }
}

/// An open journal, and the latest entry of each row identity.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    entries: HashMap<String, JournalEntry>,
    /// The journal's lock, held while this run uses it; released when the journal is dropped
    /// (or the process ends, however it ends).
    _lock: File,
}

/// `$XDG_DATA_HOME/connect-console/imports` (or the platform's equivalent); an error sentence
/// when this account has no home folder, rather than a folder other users can read.
pub fn default_journal_dir() -> Result<PathBuf, ImportError> {
    data_dir()
        .map(|dir| dir.join("connect-console").join("imports"))
        .ok_or_else(no_home)
}

/// The console's own data folder (`…/connect-console`), for files it creates itself.
pub fn default_data_dir() -> Result<PathBuf, ImportError> {
    data_dir()
        .map(|dir| dir.join("connect-console"))
        .ok_or_else(no_home)
}

fn no_home() -> ImportError {
    ImportError::worded(|| crate::tr!("import-no-home"))
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Local, not roaming: secrets and journals stay on this computer. Files of versions that kept
/// them under `%APPDATA%` are moved over once.
#[cfg(windows)]
fn data_dir() -> Option<PathBuf> {
    let local = env_dir("LOCALAPPDATA")?;
    static MOVED: std::sync::Once = std::sync::Once::new();
    MOVED.call_once(|| {
        if let Some(roaming) = env_dir("APPDATA") {
            super::windows::move_old_data(
                &roaming.join("connect-console"),
                &local.join("connect-console"),
            );
        }
    });
    Some(local)
}

#[cfg(not(windows))]
fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = env_dir("XDG_DATA_HOME").filter(|_| !cfg!(target_os = "macos")) {
        return Some(dir);
    }
    let home = env_dir("HOME")?;
    if cfg!(target_os = "macos") {
        return Some(home.join("Library").join("Application Support"));
    }
    Some(home.join(".local").join("share"))
}

/// Creates `dir` (and its parents) readable only by the owner, and tightens it if it exists.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(windows)]
    {
        std::fs::create_dir_all(dir)?;
        super::windows::restrict_to_owner(dir)
    }
    #[cfg(not(any(unix, windows)))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Opens `path` for appending, created owner-only (0600); an existing file is tightened. The
/// path is taken as it is: a symbolic link, something other than a regular file, or a file of
/// another user is refused (see [`check_own_file`]), and a file just created has its folder
/// synced so the new name survives a crash.
pub fn open_private_append(path: &Path) -> std::io::Result<File> {
    check_own_file(path)?;
    let existed = path.symlink_metadata().is_ok();
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        // O_NOFOLLOW: a link put there between the check above and this open is refused too.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        let file = options.open(path).map_err(|e| refused_link(path, e))?;
        check_opened(path, &file)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        if !existed {
            sync_folder(path);
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        #[cfg(windows)]
        std::os::windows::fs::OpenOptionsExt::custom_flags(
            &mut options,
            super::windows::OPEN_REPARSE_POINT,
        );
        let file = options.open(path)?;
        check_opened(path, &file)?;
        if !existed {
            sync_folder(path);
        }
        Ok(file)
    }
}

/// Creates `path` empty and owner-only (0600), failing if anything is there already: the
/// create is exclusive, so a symbolic link put there is refused too, never followed. The
/// folder is synced, so the new name survives a crash.
pub fn create_private_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    sync_folder(path);
    Ok(file)
}

/// Writes `bytes` to `path` owner-only, replacing what it held, under the same rules as
/// [`open_private_append`].
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = open_private_append(path)?;
    file.set_len(0)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Refuses a path that is a symbolic link, not a regular file, or another user's file; a path
/// where nothing exists yet is fine. Called before anything is sent, so a bad output file stops
/// an import before it starts.
pub fn check_own_file(path: &Path) -> std::io::Result<()> {
    let Ok(meta) = path.symlink_metadata() else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(std::io::Error::other(crate::tr!(
            "import-file-is-link",
            path = path.display().to_string()
        )));
    }
    check_meta(path, &meta)
}

fn check_opened(path: &Path, file: &File) -> std::io::Result<()> {
    check_meta(path, &file.metadata()?)
}

fn check_meta(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    if !meta.is_file() {
        return Err(std::io::Error::other(crate::tr!(
            "import-file-not-regular",
            path = path.display().to_string()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        // SAFETY: geteuid has no preconditions and cannot fail.
        #[allow(unsafe_code)]
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(std::io::Error::other(crate::tr!(
                "import-file-other-user",
                path = path.display().to_string()
            )));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn refused_link(path: &Path, error: std::io::Error) -> std::io::Error {
    if error.raw_os_error() == Some(libc::ELOOP) {
        std::io::Error::other(crate::tr!(
            "import-file-is-link-short",
            path = path.display().to_string()
        ))
    } else {
        error
    }
}

/// Syncs the folder holding `path`, so a file just created there is still named after a crash.
/// Best effort: some file systems cannot sync a folder.
pub fn sync_folder(path: &Path) {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(folder) = File::open(folder)
    {
        let _ = folder.sync_all();
    }
}

/// Ends a last line cut short by a crash, so the next record starts on a line of its own.
/// Returns the file's contents.
pub fn repair_torn_tail(file: &mut File) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.rewind()?;
    file.read_to_end(&mut bytes)?;
    if bytes.last().is_some_and(|b| *b != b'\n') {
        file.write_all(b"\n")?;
        file.sync_data()?;
    }
    Ok(bytes)
}

/// Reads journal text: the latest entry of each identity. A line that is cut short, not UTF-8
/// or not an entry is skipped, and never hides the lines after it.
pub fn read_entries(bytes: &[u8]) -> HashMap<String, JournalEntry> {
    let mut entries = HashMap::new();
    for line in bytes.split(|b| *b == b'\n') {
        if let Ok(entry) = serde_json::from_slice::<JournalEntry>(line) {
            entries.insert(entry.id.clone(), entry);
        }
    }
    entries
}

/// Why a journal's lock could not be taken.
enum Locked {
    /// Another run holds it: "process 1234", or "another process" when it left no id.
    By(String),
    Io(std::io::Error),
}

/// Takes the OS file lock of the journal at `path` (on `<journal>.lock`, beside it) without
/// waiting, and writes this process's id into the lock file so a second run can say who
/// holds it.
fn lock_journal(path: &Path) -> Result<File, Locked> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    let mut file = open_private_append(&lock_path).map_err(Locked::Io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file
                .rewind()
                .and_then(|()| file.read_to_string(&mut holder));
            return Err(Locked::By(match holder.trim().parse::<u32>() {
                Ok(pid) => crate::tr!("import-lock-process", pid = pid.to_string()),
                Err(_) => crate::tr!("import-lock-another"),
            }));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Locked::Io(e)),
    }
    file.set_len(0)
        .and_then(|()| file.write_all(std::process::id().to_string().as_bytes()))
        .map_err(Locked::Io)?;
    Ok(file)
}

impl Journal {
    /// Opens (or creates) the journal of the workspace at `workspace` (its base URL) under
    /// `dir`, and reads what it records. The folder is made owner-only (0700), the file 0600.
    pub fn open(dir: &Path, workspace: &str) -> Result<Journal, ImportError> {
        // `what` is create, lock, open or read: the catalog picks the words.
        let fail = |what: &str, e: std::io::Error| {
            ImportError::worded(|| {
                crate::tr!(
                    "import-journal-failed",
                    what = what,
                    dir = dir.display().to_string(),
                    error = e.to_string()
                )
            })
        };
        create_private_dir(dir).map_err(|e| fail("create", e))?;
        let path = dir.join(Self::file_name(workspace));
        let lock = lock_journal(&path).map_err(|e| match e {
            Locked::By(holder) => {
                ImportError::worded(|| crate::tr!("import-journal-busy", holder = holder.as_str()))
            }
            Locked::Io(e) => fail("lock", e),
        })?;
        let mut file = open_private_append(&path).map_err(|e| fail("open", e))?;
        let bytes = repair_torn_tail(&mut file).map_err(|e| fail("read", e))?;
        Ok(Journal {
            path,
            file,
            entries: read_entries(&bytes),
            _lock: lock,
        })
    }

    /// What the journal of `workspace` records, without creating anything (for a preview).
    pub fn read(dir: &Path, workspace: &str) -> Result<HashMap<String, JournalEntry>, ImportError> {
        match std::fs::read(dir.join(Self::file_name(workspace))) {
            Ok(bytes) => Ok(read_entries(&bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
            Err(e) => Err(ImportError::worded(|| {
                crate::tr!(
                    "import-journal-read-failed",
                    dir = dir.display().to_string(),
                    error = e.to_string()
                )
            })),
        }
    }

    fn file_name(workspace: &str) -> String {
        let workspace_hash = sha256_hex(workspace.trim_end_matches('/').as_bytes());
        format!("workspace-{}.jsonl", &workspace_hash[..16])
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The latest entry of a row identity.
    pub fn get(&self, id: &str) -> Option<&JournalEntry> {
        self.entries.get(id)
    }

    /// Every identity's latest entry (for planning).
    pub fn entries(&self) -> &HashMap<String, JournalEntry> {
        &self.entries
    }

    /// Appends entries and syncs them to disk; returns only once they are durable.
    pub fn append(&mut self, batch: &[JournalEntry]) -> Result<(), ImportError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for entry in batch {
            let line = serde_json::to_string(entry).map_err(|e| {
                ImportError::worded(|| {
                    crate::tr!("import-journal-record-failed", error = e.to_string())
                })
            })?;
            text.push_str(&line);
            text.push('\n');
        }
        let fail = |e: std::io::Error| {
            ImportError::worded(|| {
                crate::tr!(
                    "import-journal-write-failed",
                    path = self.path.display().to_string(),
                    error = e.to_string()
                )
            })
        };
        self.file.write_all(text.as_bytes()).map_err(fail)?;
        self.file.sync_data().map_err(fail)?;
        for entry in batch {
            self.entries.insert(entry.id.clone(), entry.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(row: usize, state: EntryState, id: Option<&str>) -> JournalEntry {
        JournalEntry {
            id: format!("name:row {row}"),
            row,
            key: format!("k{row}"),
            state,
            attempt: 0,
            client_id: id.map(str::to_owned),
            error: None,
            at: None,
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_and_folders_are_refused_and_the_target_is_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = open_private_append(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(write_private_file(&link, b"x").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        let err = open_private_append(dir.path()).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        // A journal whose file is a link is refused as a whole.
        let name = Journal::file_name("https://a.example/connect/v1/");
        std::os::unix::fs::symlink(&target, dir.path().join(name)).unwrap();
        assert!(Journal::open(dir.path(), "https://a.example/connect/v1/").is_err());
    }

    #[test]
    fn a_second_run_on_the_same_journal_says_which_process_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = Journal::open(dir.path(), "https://a.example/connect/v1/").unwrap();
        let err = Journal::open(dir.path(), "https://a.example/connect/v1/").unwrap_err();
        assert!(
            err.0.contains(&format!("process {}", std::process::id())),
            "{err}"
        );
        // Another workspace's journal is free, and the lock goes with the first run.
        assert!(Journal::open(dir.path(), "https://b.example/connect/v1/").is_ok());
        drop(first);
        assert!(Journal::open(dir.path(), "https://a.example/connect/v1/").is_ok());
    }

    #[test]
    fn entries_survive_reopening_a_torn_line_and_bad_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path(), "http://h/v1").unwrap();
        journal
            .append(&[
                entry(2, EntryState::Created, Some("C1")),
                entry(3, EntryState::Sent, None),
            ])
            .unwrap();
        let path = journal.path().to_owned();
        drop(journal);
        // Bytes that are not UTF-8, then a good line, then a crash in the middle of a write.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"\xff\xfe garbage\n").unwrap();
        let good = serde_json::to_string(&entry(5, EntryState::Created, Some("C5"))).unwrap();
        file.write_all(format!("{good}\n").as_bytes()).unwrap();
        file.write_all(b"{\"id\":\"name:row 4\",\"clie").unwrap();
        drop(file);
        let mut journal = Journal::open(dir.path(), "http://h/v1/").unwrap();
        assert!(journal.get("name:row 2").is_some_and(JournalEntry::created));
        assert!(journal.get("name:row 5").is_some_and(JournalEntry::created));
        assert_eq!(journal.get("name:row 3").unwrap().state, EntryState::Sent);
        journal
            .append(&[entry(3, EntryState::Created, Some("C3"))])
            .unwrap();
        drop(journal);
        let journal = Journal::open(dir.path(), "http://h/v1").unwrap();
        assert!(journal.get("name:row 3").is_some_and(JournalEntry::created));
        assert!(journal.get("name:row 4").is_none());
        // Another workspace has its own journal.
        let other = Journal::open(dir.path(), "http://other/v1").unwrap();
        assert!(other.entries().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_and_file_are_owner_only_even_when_they_existed() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let journals = dir.path().join("imports");
        std::fs::create_dir(&journals).unwrap();
        std::fs::set_permissions(&journals, std::fs::Permissions::from_mode(0o755)).unwrap();
        let journal = Journal::open(&journals, "http://h/v1").unwrap();
        let path = journal.path().to_owned();
        drop(journal);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(Journal::open(&journals, "http://h/v1").unwrap());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&journals), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
}
