//! The log file: appending a line (owner-only, synced, rotated at its size limit keeping one
//! previous file) and reading the newest entries back through both files.

use std::fmt;
use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use super::entry::{Entry, Filter};
use crate::import::default_data_dir;
use crate::import::journal::{create_private_dir, open_private_append};

/// The log's file name in the data folder.
pub const FILE_NAME: &str = "activity.jsonl";
/// Names another file for the log (tests, or a shared folder on purpose).
pub const ENV_VAR: &str = "CONNECT_ACTIVITY_LOG";
/// The size at which the log is rotated (10 MB).
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The most of each file read back (twice the rotation size: a file someone else grew).
const MAX_READ_BYTES: u64 = 2 * MAX_BYTES;

/// The log could not be written or read: a sentence with what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityError(pub String);

impl fmt::Display for ActivityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ActivityError {}

/// One activity log file (and the one before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityLog {
    path: PathBuf,
    max_bytes: u64,
    /// The console's own data folder, tightened to 0700 on every write; a folder named by
    /// `CONNECT_ACTIVITY_LOG` is only created (privately) when missing, never changed.
    own_folder: bool,
}

impl ActivityLog {
    /// The log in `path`, rotated at [`MAX_BYTES`].
    pub fn at(path: impl Into<PathBuf>) -> ActivityLog {
        ActivityLog {
            path: path.into(),
            max_bytes: MAX_BYTES,
            own_folder: false,
        }
    }

    /// The same log rotated at another size (tests use a small one).
    pub fn with_max_bytes(mut self, max_bytes: u64) -> ActivityLog {
        self.max_bytes = max_bytes.max(1);
        self
    }

    /// The log of this account: `CONNECT_ACTIVITY_LOG` if set, else `activity.jsonl` in the
    /// console's data folder. Touches nothing on disk.
    pub fn open_default() -> Result<ActivityLog, ActivityError> {
        if let Some(path) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
            return Ok(ActivityLog::at(PathBuf::from(path)));
        }
        let dir = default_data_dir().map_err(|e| {
            ActivityError(crate::tr!(
                "activity-error-no-place",
                error = e.to_string(),
                variable = ENV_VAR
            ))
        })?;
        Ok(ActivityLog {
            own_folder: true,
            ..ActivityLog::at(dir.join(FILE_NAME))
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the previous file goes at rotation: `activity.jsonl.1`.
    pub fn previous_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".1");
        self.path.with_file_name(name)
    }

    /// Appends one entry (scrubbed) as a line, rotating first when the line would take the
    /// file past the size limit, and syncs it to disk.
    pub fn append(&self, entry: &Entry) -> Result<(), ActivityError> {
        let mut line = serde_json::to_vec(&entry.scrubbed())
            .map_err(|e| self.error("write", &std::io::Error::other(e)))?;
        line.push(b'\n');
        self.prepare_folder()
            .map_err(|e| self.error("create", &e))?;
        // The console and the command line may append at the same moment: the size check, the
        // rotation and the append happen under one lock, so no entry lands in a file that was
        // just rotated away, and no rotation happens twice. Released when `_lock` is dropped.
        let _lock = self.lock().map_err(|e| self.error("lock", &e))?;
        let size = std::fs::metadata(&self.path).map_or(0, |m| m.len());
        if size > 0 && size + line.len() as u64 > self.max_bytes {
            std::fs::rename(&self.path, self.previous_path())
                .map_err(|e| self.error("rotate", &e))?;
        }
        let mut file = open_private_append(&self.path).map_err(|e| self.error("open", &e))?;
        if ends_mid_line(&mut file).map_err(|e| self.error("read", &e))? {
            line.insert(0, b'\n');
        }
        file.write_all(&line)
            .and_then(|()| file.sync_data())
            .map_err(|e| self.error("write", &e))
    }

    /// The newest `limit` entries that match `filter`, newest first, from this file and the
    /// one before it. Lines that are not entries (cut short by a crash) are skipped.
    pub fn recent(&self, limit: usize, filter: &Filter) -> Result<Vec<Entry>, ActivityError> {
        let mut found = Vec::new();
        for path in [self.path.clone(), self.previous_path()] {
            if found.len() >= limit {
                break;
            }
            let bytes = match read_tail(&path, MAX_READ_BYTES) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(self.error("read", &e)),
            };
            let entries = bytes
                .split(|b| *b == b'\n')
                .rev()
                .filter_map(|line| serde_json::from_slice::<Entry>(line).ok())
                .filter(|entry| filter.matches(entry));
            found.extend(entries.take(limit - found.len()));
        }
        Ok(found)
    }

    /// Where the lock taken while appending lives: `activity.jsonl.lock`, beside the log.
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// Takes the log's lock (an OS file lock on the lock file), waiting for another process
    /// that holds it; the lock goes when the file is closed, even if the process is killed.
    fn lock(&self) -> std::io::Result<File> {
        let file = open_private_append(&self.lock_path())?;
        file.lock()?;
        Ok(file)
    }

    fn prepare_folder(&self) -> std::io::Result<()> {
        let Some(folder) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) else {
            return Ok(());
        };
        if self.own_folder || !folder.exists() {
            create_private_dir(folder)?;
        }
        Ok(())
    }

    /// What could not be done (`create` the folder, `lock`, `rotate`, `open`, `read`,
    /// `write`), as a sentence with what to do.
    fn error(&self, what: &str, error: &std::io::Error) -> ActivityError {
        ActivityError(crate::tr!(
            "activity-error-file",
            what = what,
            path = self.path.display().to_string(),
            error = error.to_string()
        ))
    }
}

/// Whether a non-empty file's last byte is not a line break (a line cut short by a crash).
fn ends_mid_line(file: &mut File) -> std::io::Result<bool> {
    let length = file.metadata()?.len();
    if length == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(length - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// The last `max` bytes of a file, from the start of a line.
fn read_tail(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let length = file.metadata()?.len();
    let start = length.saturating_sub(max);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.take(max).read_to_end(&mut bytes)?;
    if start > 0 {
        let first_break = bytes
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| i + 1);
        bytes.drain(..first_break);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::entry::{Action, Outcome};
    use crate::backends::BackendKind;

    fn entry(action: Action, app: &str) -> Entry {
        Entry::new(BackendKind::Hopae, "127.0.0.1:8787", action).app(app, Some("Acme"))
    }

    #[test]
    fn entries_append_read_back_newest_first_and_filter() {
        let dir = tempfile::tempdir().unwrap();
        let log = ActivityLog::at(dir.path().join("logs").join(FILE_NAME));
        log.append(&entry(Action::Create, "A1")).unwrap();
        log.append(&entry(Action::Rename, "A2").failed("It failed"))
            .unwrap();
        log.append(&entry(Action::Webhook, "A1").detail("url"))
            .unwrap();
        let all = log.recent(10, &Filter::default()).unwrap();
        let ids: Vec<&str> = all.iter().map(|e| e.app_id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["A1", "A2", "A1"]);
        assert_eq!(all[0].action, Action::Webhook);
        let failed = Filter {
            outcome: Some(Outcome::Failed),
            ..Filter::default()
        };
        assert_eq!(log.recent(10, &failed).unwrap().len(), 1);
        let text = Filter {
            text: Some("WEBHOOK".into()),
            ..Filter::default()
        };
        assert_eq!(log.recent(10, &text).unwrap().len(), 1);
        assert_eq!(log.recent(1, &Filter::default()).unwrap().len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(log.path()), 0o600);
            assert_eq!(mode(log.path().parent().unwrap()), 0o700);
        }
    }

    #[test]
    fn a_torn_line_is_skipped_and_never_glued_to_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let log = ActivityLog::at(dir.path().join(FILE_NAME));
        log.append(&entry(Action::Create, "A1")).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"time\":\"cut")
            .unwrap();
        log.append(&entry(Action::Rename, "A2")).unwrap();
        let all = log.recent(10, &Filter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].app_id.as_deref(), Some("A2"));
    }

    #[test]
    fn the_log_rotates_at_its_limit_and_keeps_one_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let log = ActivityLog::at(dir.path().join(FILE_NAME)).with_max_bytes(1000);
        for i in 0..40 {
            log.append(&entry(Action::Rename, &format!("A{i:02}")))
                .unwrap();
        }
        let size = std::fs::metadata(log.path()).unwrap().len();
        assert!(size <= 1000, "{size}");
        assert!(log.previous_path().exists());
        let files = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|f| !f.as_ref().unwrap().path().ends_with("activity.jsonl.lock"))
            .count();
        assert_eq!(files, 2, "one previous file only");
        let recent = log.recent(5, &Filter::default()).unwrap();
        assert_eq!(recent[0].app_id.as_deref(), Some("A39"));
        assert_eq!(recent.len(), 5);
    }

    #[test]
    fn an_append_waits_while_another_process_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let log = ActivityLog::at(dir.path().join(FILE_NAME)).with_max_bytes(1000);
        // Another writer (the command line while the console writes) holds the lock.
        let held = log.lock().unwrap();
        let (done_tx, done) = std::sync::mpsc::channel();
        let writer = {
            let log = log.clone();
            std::thread::spawn(move || {
                log.append(&entry(Action::Rename, "A1")).unwrap();
                done_tx.send(()).unwrap();
            })
        };
        assert!(
            done.recv_timeout(std::time::Duration::from_millis(200))
                .is_err(),
            "the append went ahead while the lock was held"
        );
        drop(held);
        done.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the append goes ahead once the lock is free");
        writer.join().unwrap();
        assert_eq!(log.recent(10, &Filter::default()).unwrap().len(), 1);
    }
}
