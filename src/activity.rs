//! The activity log: every write made from this computer (create, rename, redirect URIs,
//! webhook, rotations, imports, ZITADEL's writes), by the console or the command line, as one
//! JSON line each in the console's data folder, so support can answer "what changed, and when?"
//! without asking engineering.
//!
//! The file is `activity.jsonl` in [`default_data_dir`] (or the file `CONNECT_ACTIVITY_LOG`
//! names), in a folder only the owner can open (0700), readable only by the owner (0600). It
//! never holds a secret: entries are built from ids, names, counts and error sentences, and
//! those texts are scrubbed of anything shaped like a key or a secret before they are written.
//! At 10 MB the file becomes `activity.jsonl.1` (the one before is dropped) and a new one starts.
//!
//! Writing the log never fails the write it records: [`ActivityLog::append`] returns an error
//! the caller may show, and [`record`] hands it back only the first time, so a log that cannot
//! be written is reported once per process.

use std::fmt;
use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::api::{ApiError, ErrorKind};
use crate::import::default_data_dir;
use crate::import::journal::{create_private_dir, open_private_append};

/// The log's file name in the data folder.
pub const FILE_NAME: &str = "activity.jsonl";
/// Names another file for the log (tests, or a shared folder on purpose).
pub const ENV_VAR: &str = "CONNECT_ACTIVITY_LOG";
/// The size at which the log is rotated (10 MB).
pub const MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Longest text kept in one field; a longer one is cut with "…".
const MAX_FIELD_CHARS: usize = 500;
/// The most of each file read back (twice the rotation size: a file someone else grew).
const MAX_READ_BYTES: u64 = 2 * MAX_BYTES;

/// Which service a write went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Hopae,
    Zitadel,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Hopae => "hopae",
            Backend::Zitadel => "zitadel",
        }
    }
}

/// What the write did. Unknown words from a newer version are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Create,
    Rename,
    RedirectUris,
    Webhook,
    RotateSecret,
    RotateWebhookSecret,
    Import,
    Deactivate,
    Reactivate,
    Other(String),
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Create,
        Action::Rename,
        Action::RedirectUris,
        Action::Webhook,
        Action::RotateSecret,
        Action::RotateWebhookSecret,
        Action::Import,
        Action::Deactivate,
        Action::Reactivate,
    ];

    /// The word in the file and on the command line: `redirect-uris`, `rotate-secret`, …
    pub fn as_str(&self) -> &str {
        match self {
            Action::Create => "create",
            Action::Rename => "rename",
            Action::RedirectUris => "redirect-uris",
            Action::Webhook => "webhook",
            Action::RotateSecret => "rotate-secret",
            Action::RotateWebhookSecret => "rotate-webhook-secret",
            Action::Import => "import",
            Action::Deactivate => "deactivate",
            Action::Reactivate => "reactivate",
            Action::Other(word) => word,
        }
    }

    /// How it reads to people: "Rotate webhook secret".
    pub fn label(&self) -> &str {
        match self {
            Action::Create => "Create app",
            Action::Rename => "Rename",
            Action::RedirectUris => "Redirect URIs",
            Action::Webhook => "Webhook",
            Action::RotateSecret => "Rotate secret",
            Action::RotateWebhookSecret => "Rotate webhook secret",
            Action::Import => "Import",
            Action::Deactivate => "Deactivate",
            Action::Reactivate => "Reactivate",
            Action::Other(word) => word,
        }
    }

    /// Reads a word written by [`Action::as_str`] (any case, `_` or `-`).
    pub fn parse(word: &str) -> Action {
        let normalized = word.trim().to_lowercase().replace('_', "-");
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == normalized)
            .unwrap_or_else(|| Action::Other(word.trim().to_owned()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|w| Action::parse(&w))
    }
}

/// Whether the write went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
        }
    }
}

/// One write, as one line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// UTC, ISO-8601 with milliseconds.
    pub time: String,
    /// `host[:port]` of the workspace or ZITADEL instance.
    pub workspace: String,
    pub backend: Backend,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    pub outcome: Outcome,
    /// For a failure: the sentence shown to the person, with what to do next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The API's error code of a failure, such as `RESOURCE_NOT_FOUND`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// What changed, in a few words: "retryAttempts, url", "12 created, 3 already exist, …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Entry {
    /// A successful `action` on the workspace at `workspace` (`host[:port]`), now.
    pub fn new(backend: Backend, workspace: &str, action: Action) -> Entry {
        Entry {
            time: crate::clock::iso_now(),
            workspace: workspace.to_owned(),
            backend,
            action,
            app_id: None,
            app_name: None,
            outcome: Outcome::Ok,
            error: None,
            error_code: None,
            request_id: None,
            detail: None,
        }
    }

    /// The app written to, and its name when known.
    pub fn app(mut self, id: &str, name: Option<&str>) -> Entry {
        self.app_id = Some(id.to_owned()).filter(|id| !id.is_empty());
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            self.app_name = Some(name.to_owned());
        }
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = Some(detail.into());
        self
    }

    pub fn request_id(mut self, request_id: Option<String>) -> Entry {
        if request_id.is_some() {
            self.request_id = request_id;
        }
        self
    }

    /// A failure, with the sentence shown to the person.
    pub fn failed(mut self, error: impl Into<String>) -> Entry {
        self.outcome = Outcome::Failed;
        self.error = Some(error.into());
        self
    }

    /// A failed call: its sentence, code and request id.
    pub fn failed_with(self, error: &ApiError) -> Entry {
        let mut entry = self.failed(error.user_message());
        entry.error_code = error.code.clone();
        entry.request_id(error.request_id.clone())
    }

    /// The same entry with every text scrubbed and cut to length, as it is written.
    pub fn scrubbed(&self) -> Entry {
        let clean = |text: &Option<String>| text.as_deref().map(scrub);
        Entry {
            workspace: scrub(&self.workspace),
            app_id: clean(&self.app_id),
            app_name: clean(&self.app_name),
            error: clean(&self.error),
            error_code: clean(&self.error_code),
            request_id: clean(&self.request_id),
            detail: clean(&self.detail),
            ..self.clone()
        }
    }
}

/// Whether a failed call is worth an entry: a call refused before anything was sent (a name
/// too long, an http address) changed nothing anywhere.
pub fn was_sent(error: &ApiError) -> bool {
    error.kind != ErrorKind::Local
}

/// `host[:port]` of a base URL, as entries name a workspace.
pub fn workspace_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Which entries to read back. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Any of app id, app name, workspace, action, error, detail or request id contains this
    /// (any case).
    pub text: Option<String>,
    pub action: Option<Action>,
    pub outcome: Option<Outcome>,
    pub workspace: Option<String>,
    pub app_id: Option<String>,
}

impl Filter {
    pub fn matches(&self, entry: &Entry) -> bool {
        if self.action.as_ref().is_some_and(|a| *a != entry.action)
            || self.outcome.is_some_and(|o| o != entry.outcome)
            || self
                .workspace
                .as_ref()
                .is_some_and(|w| !entry.workspace.eq_ignore_ascii_case(w))
            || self
                .app_id
                .as_ref()
                .is_some_and(|id| entry.app_id.as_ref() != Some(id))
        {
            return false;
        }
        let Some(needle) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return true;
        };
        let needle = needle.to_lowercase();
        [
            entry.app_id.as_deref(),
            entry.app_name.as_deref(),
            Some(entry.workspace.as_str()),
            Some(entry.action.as_str()),
            Some(entry.action.label()),
            entry.error.as_deref(),
            entry.detail.as_deref(),
            entry.request_id.as_deref(),
        ]
        .into_iter()
        .flatten()
        .any(|field| field.to_lowercase().contains(&needle))
    }
}

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
            ActivityError(format!(
                "The activity log has no place to live: {e}. Or set {ENV_VAR} to a file"
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
            .map_err(|e| self.error("create the folder of", &e))?;
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

    fn prepare_folder(&self) -> std::io::Result<()> {
        let Some(folder) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) else {
            return Ok(());
        };
        if self.own_folder || !folder.exists() {
            create_private_dir(folder)?;
        }
        Ok(())
    }

    fn error(&self, what: &str, error: &std::io::Error) -> ActivityError {
        ActivityError(format!(
            "Could not {what} the activity log {}: {error}. The change itself was made; check \
             that the folder is writable and the disk is not full",
            self.path.display()
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

/// Whether [`record`] has reported a failure in this process.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Appends `entry` to the default log. A failure is returned the first time only (later ones
/// give `None` too), so the caller shows it once; the write it records has happened either way.
pub fn record(entry: &Entry) -> Option<ActivityError> {
    let result = ActivityLog::open_default().and_then(|log| log.append(entry));
    match result {
        Ok(()) => None,
        Err(error) => (!REPORTED.swap(true, Ordering::Relaxed)).then_some(error),
    }
}

/// Prefixes of credentials this console handles; a word starting with one is masked.
const SECRET_PREFIXES: [&str; 5] = ["sk_workspace_", "whsec_", "sh_app_", "FAKE_PAT_", "Bearer "];
/// A run of this many hex digits or more is a secret (client secrets are 64), never an id.
const MIN_HEX_SECRET: usize = 32;

/// `text` with anything shaped like a key or a secret replaced by `***`, control characters
/// removed, and cut to [`MAX_FIELD_CHARS`].
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_FIELD_CHARS + 8));
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(prefix) = SECRET_PREFIXES.iter().find(|p| rest.starts_with(*p)) {
            out.push_str("***");
            let after = &rest[prefix.len()..];
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
                .unwrap_or(after.len());
            rest = &after[end..];
            continue;
        }
        let hex_run = rest
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if hex_run >= MIN_HEX_SECRET && at_word_start {
            out.push_str("***");
            rest = &rest[hex_run..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(if c.is_control() { ' ' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    if out.chars().count() > MAX_FIELD_CHARS {
        out = out.chars().take(MAX_FIELD_CHARS).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: Action, app: &str) -> Entry {
        Entry::new(Backend::Hopae, "127.0.0.1:8787", action).app(app, Some("Acme"))
    }

    #[test]
    fn secrets_are_scrubbed_from_every_text() {
        let secret = "0123456789abcdef".repeat(4);
        let text = format!(
            "key sk_workspace_test_FAKE123 and whsec_abc.def, {secret}; id 0eec5c45-1f2a-4b3c-9d8e-7f6a5b4c3d2e"
        );
        let clean = scrub(&text);
        assert!(
            !clean.contains("FAKE123") && !clean.contains("whsec_abc"),
            "{clean}"
        );
        assert!(!clean.contains(&secret), "{clean}");
        assert!(
            clean.contains("0eec5c45-1f2a-4b3c-9d8e-7f6a5b4c3d2e"),
            "ids stay: {clean}"
        );
        assert_eq!(scrub("line\nbreak"), "line break");
        assert_eq!(
            scrub(&"가".repeat(600)).chars().count(),
            MAX_FIELD_CHARS + 1
        );
    }

    #[test]
    fn actions_read_back_in_any_spelling() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), action);
        }
        assert_eq!(Action::parse("ROTATE_SECRET"), Action::RotateSecret);
        assert_eq!(Action::parse("delete"), Action::Other("delete".into()));
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
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, 2, "one previous file only");
        let recent = log.recent(5, &Filter::default()).unwrap();
        assert_eq!(recent[0].app_id.as_deref(), Some("A39"));
        assert_eq!(recent.len(), 5);
    }
}
