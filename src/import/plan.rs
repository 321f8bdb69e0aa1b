//! What an import will do with each row, decided before anything is sent: create it, leave it
//! (it exists already, or an earlier run created it), update it, or skip it.
//!
//! A row's identity is its external id where the file has one, else its trimmed, case-folded
//! name. The plan compares every row with the workspace's current apps and with the journal of
//! earlier runs, so a corrected, re-ordered or re-exported file imported again creates only
//! what is really new. Idempotency keys come from the identity (not the file's bytes): a row
//! whose earlier send has no known outcome is sent again with the same key, so the server
//! replays it; a row the server refused gets a new key, so its corrected version is accepted.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

use sha2::{Digest as _, Sha256};

use super::existing::{Existing, ExistingApp, normalize_name};
use super::journal::{EntryState, JournalEntry};
use super::validate::Row;
use crate::api::{BATCH_LIMIT, BatchItem, WebhookConfig};
use crate::digest::{hex, sha256_hex};

/// SHA-256 of a file's bytes, in hex: names the file in messages and benchmarks.
pub fn import_id(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

/// What to do with a row that matches an app the workspace already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExistingMode {
    /// Leave the app as it is and report the row as "exists" (the default).
    #[default]
    Skip,
    /// Change the app's redirect URIs and webhook URL where the row differs.
    Update,
    /// Create another app with the same name, on purpose.
    Create,
}

impl ExistingMode {
    pub const ALL: [ExistingMode; 3] = [Self::Skip, Self::Update, Self::Create];

    /// The word used on the command line and in the preview.
    pub fn word(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::Update => "update",
            Self::Create => "create",
        }
    }
}

impl FromStr for ExistingMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.word().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| crate::tr!("import-existing-mode-invalid", text = text))
    }
}

/// What differs between a row and the app it matches; `None` where nothing changes. An empty
/// cell changes nothing: clearing an app's settings takes a deliberate edit, not a blank cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Before, after.
    pub redirect_uris: Option<(Vec<String>, Vec<String>)>,
    /// Before, after.
    pub webhook_url: Option<(Option<String>, String)>,
}

impl Changes {
    fn between(row: &Row, app: &ExistingApp) -> Changes {
        let mut changes = Changes::default();
        if !row.redirect_uris.is_empty() && !same_set(&row.redirect_uris, &app.redirect_uris) {
            changes.redirect_uris = Some((app.redirect_uris.clone(), row.redirect_uris.clone()));
        }
        if let Some(url) = &row.webhook_url
            && app.webhook_url.as_ref() != Some(url)
        {
            changes.webhook_url = Some((app.webhook_url.clone(), url.clone()));
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        self.redirect_uris.is_none() && self.webhook_url.is_none()
    }

    /// "redirect URIs: a, b -> c; webhook URL: (none) -> https://…".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some((before, after)) = &self.redirect_uris {
            parts.push(crate::tr!(
                "import-change-redirect-uris",
                before = list_or_none(before),
                after = list_or_none(after)
            ));
        }
        if let Some((before, after)) = &self.webhook_url {
            let before = before
                .clone()
                .unwrap_or_else(|| crate::tr!("import-change-none"));
            parts.push(crate::tr!(
                "import-change-webhook-url",
                before = before,
                after = after.as_str()
            ));
        }
        parts.join("; ")
    }
}

fn list_or_none(list: &[String]) -> String {
    if list.is_empty() {
        crate::tr!("import-change-none")
    } else {
        list.join(" ")
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a: Vec<&String> = a.iter().collect();
    let mut b: Vec<&String> = b.iter().collect();
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    a == b
}

/// What the import does with one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Send it; `item` carries the idempotency key. `twin_of` counts the apps that already
    /// had the name when a twin is made on purpose.
    Create {
        item: BatchItem,
        attempt: u32,
        twin_of: usize,
    },
    /// An app with this identity exists: leave it.
    Exists { client_id: String },
    /// An earlier run of an import created it (the journal says so).
    CreatedEarlier { client_id: String },
    /// An app with this identity exists and differs: change it.
    Update { client_id: String, changes: Changes },
    /// An app with this identity exists and nothing differs.
    Unchanged { client_id: String },
    /// An earlier run sent this row and never learnt the outcome, and its key can no longer be
    /// sent (past the server's window, or refused as used with another body). `client_id` is
    /// an app with the row's name, which may be the one that run made. Nothing is sent; the
    /// row is reported.
    Unfinished {
        client_id: Option<String>,
        why: Unfinished,
    },
}

/// Why a row left unfinished by an earlier run is looked up instead of sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    /// Sent more than 23 hours ago.
    PastKeyWindow,
    /// The row was edited after it was sent.
    KeyConflict,
}

/// One valid row and what will happen to it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    /// Spreadsheet row number.
    pub row: usize,
    /// `ext:<external id>` or `name:<normalized name>`: the journal's key for this row.
    pub identity: String,
    pub name: String,
    pub external_id: Option<String>,
    pub action: Action,
}

impl PlannedRow {
    /// The idempotency key of a row to create; empty otherwise.
    pub fn key(&self) -> &str {
        match &self.action {
            Action::Create { item, .. } => item.idempotency_key.as_deref().unwrap_or_default(),
            _ => "",
        }
    }
}

/// The preview's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanCounts {
    pub new: usize,
    /// Left as they are: existing apps, apps an earlier run created, nothing to update.
    pub exists: usize,
    pub update: usize,
    pub duplicates: usize,
    pub invalid: usize,
}

impl PlanCounts {
    /// Rows that cause a request.
    pub fn to_send(&self) -> usize {
        self.new + self.update
    }
}

/// What an import will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub mode: ExistingMode,
    pub rows: Vec<PlannedRow>,
    /// Rows not sent because an earlier row of the file has the same identity: (row, first row).
    pub duplicates: Vec<(usize, usize)>,
    /// Rows not sent because they have an error.
    pub invalid: Vec<usize>,
}

impl Plan {
    /// The rows to create, in batches of at most 100.
    pub fn create_batches(&self) -> Vec<Vec<&PlannedRow>> {
        let creates: Vec<&PlannedRow> = self
            .rows
            .iter()
            .filter(|r| matches!(r.action, Action::Create { .. }))
            .collect();
        creates.chunks(BATCH_LIMIT).map(<[_]>::to_vec).collect()
    }

    /// The rows whose app is changed.
    pub fn updates(&self) -> impl Iterator<Item = &PlannedRow> {
        self.rows
            .iter()
            .filter(|r| matches!(r.action, Action::Update { .. }))
    }

    pub fn counts(&self) -> PlanCounts {
        let mut counts = PlanCounts {
            duplicates: self.duplicates.len(),
            invalid: self.invalid.len(),
            ..PlanCounts::default()
        };
        for row in &self.rows {
            match row.action {
                Action::Create { .. } => counts.new += 1,
                Action::Update { .. } => counts.update += 1,
                Action::Exists { .. }
                | Action::CreatedEarlier { .. }
                | Action::Unchanged { .. }
                | Action::Unfinished { .. } => {
                    counts.exists += 1;
                }
            }
        }
        counts
    }

    /// Rows created on purpose beside an app of the same name (`ExistingMode::Create`).
    pub fn twins(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.action, Action::Create { twin_of, .. } if twin_of > 0))
            .count()
    }
}

/// A row's identity: the external id where there is one, else the normalized name.
pub fn identity(row: &Row) -> String {
    match row.external_id.as_deref() {
        Some(id) => format!("ext:{id}"),
        None => format!("name:{}", normalize_name(&row.name)),
    }
}

/// Plans the rows of a file against the workspace's apps and the journal of earlier runs.
pub fn plan(
    rows: &[Row],
    existing: &Existing,
    journal: &HashMap<String, JournalEntry>,
    mode: ExistingMode,
) -> Plan {
    plan_at(rows, existing, journal, mode, super::journal::now_secs())
}

/// [`plan`] as of `now` (seconds since 1970), which decides whose keys are past their window.
pub fn plan_at(
    rows: &[Row],
    existing: &Existing,
    journal: &HashMap<String, JournalEntry>,
    mode: ExistingMode,
    now: u64,
) -> Plan {
    let mut plan = Plan {
        mode,
        ..Plan::default()
    };
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for row in rows {
        if !row.is_valid() {
            plan.invalid.push(row.row);
            continue;
        }
        let identity = identity(row);
        if let Some(first) = first_row.get(&identity) {
            plan.duplicates.push((row.row, *first));
            continue;
        }
        first_row.insert(identity.clone(), row.row);
        let action = decide(row, &identity, existing, journal.get(&identity), mode, now);
        plan.rows.push(PlannedRow {
            row: row.row,
            identity,
            name: row.name.clone(),
            external_id: row.external_id.clone(),
            action,
        });
    }
    plan
}

fn decide(
    row: &Row,
    identity: &str,
    existing: &Existing,
    entry: Option<&JournalEntry>,
    mode: ExistingMode,
    now: u64,
) -> Action {
    let mut attempt = 0;
    if let Some(entry) = entry {
        match entry.state {
            // Created by an earlier run: the app it made is the match.
            EntryState::Created => {
                let client_id = entry.client_id.clone().unwrap_or_default();
                return match (mode, existing.by_client_id(&client_id)) {
                    (ExistingMode::Update, Some(app)) => compare(row, app),
                    _ => Action::CreatedEarlier { client_id },
                };
            }
            // The outcome of the last send is unknown: the same key again, so a server that
            // did create the app replays it (with its secret) instead of making a second one.
            EntryState::Sent | EntryState::Unknown if !entry.past_key_window(now) => {
                return create(row, entry.key.clone(), entry.attempt, 0);
            }
            // The old key cannot be sent again: an app with the row's name may be the one the
            // earlier send made, so it is reported, never touched; without one, nothing was
            // made and a new key is safe.
            EntryState::Sent | EntryState::Unknown => {
                if let Some(app) = existing.by_name(&row.name).first() {
                    return Action::Unfinished {
                        client_id: Some(app.client_id.clone()),
                        why: Unfinished::PastKeyWindow,
                    };
                }
                attempt = entry.attempt + 1;
            }
            // The server remembers a send of this key with other content (the row was edited
            // since), so that send arrived and may have made an app under the old content:
            // never guessed at, always reported.
            EntryState::KeyConflict => {
                return Action::Unfinished {
                    client_id: existing
                        .by_name(&row.name)
                        .first()
                        .map(|app| app.client_id.clone()),
                    why: Unfinished::KeyConflict,
                };
            }
            EntryState::Refused => attempt = entry.attempt + 1,
        }
    }
    // Apps are matched by name only for rows without an external id: an external id names
    // the customer, and two customers may share a name.
    let matches = if row.external_id.is_none() {
        existing.by_name(&row.name)
    } else {
        Vec::new()
    };
    match (matches.as_slice(), mode) {
        ([], _) => create(row, row_key(identity, attempt, 0), attempt, 0),
        ([app, ..], ExistingMode::Skip) => Action::Exists {
            client_id: app.client_id.clone(),
        },
        ([app], ExistingMode::Update) => compare(row, app),
        // Several apps share the name: which one to change is not the file's to decide.
        ([app, ..], ExistingMode::Update) => Action::Exists {
            client_id: app.client_id.clone(),
        },
        (apps, ExistingMode::Create) => {
            let twin_of = apps.len();
            create(row, row_key(identity, attempt, twin_of), attempt, twin_of)
        }
    }
}

fn compare(row: &Row, app: &ExistingApp) -> Action {
    let changes = Changes::between(row, app);
    let client_id = app.client_id.clone();
    if changes.is_empty() {
        Action::Unchanged { client_id }
    } else {
        Action::Update { client_id, changes }
    }
}

fn create(row: &Row, key: String, attempt: u32, twin_of: usize) -> Action {
    Action::Create {
        item: BatchItem {
            name: row.name.clone(),
            redirect_uris: row.redirect_uris.clone(),
            webhook_config: row.webhook_url.as_ref().map(|url| WebhookConfig {
                enabled: true,
                url: Some(url.clone()),
                ..WebhookConfig::default()
            }),
            idempotency_key: Some(key),
        },
        attempt,
        twin_of,
    }
}

/// The idempotency key of a row: `ext-…` or `name-…` and a hash of its identity, the number of
/// refused attempts, and (for a twin made on purpose) how many apps had the name already. A
/// first attempt of an external id keeps the key earlier versions used.
pub fn row_key(identity: &str, attempt: u32, twins_of: usize) -> String {
    let (prefix, seed) = match identity.strip_prefix("ext:") {
        Some(id) => ("ext", format!("external\0{id}")),
        None => (
            "name",
            format!("name\0{}", identity.trim_start_matches("name:")),
        ),
    };
    let mut seed = seed;
    if attempt > 0 {
        let _ = write!(seed, "\0attempt {attempt}");
    }
    let mut suffix = String::new();
    if twins_of > 0 {
        let _ = write!(seed, "\0twin of {twins_of}");
        let _ = write!(suffix, "-t{twins_of}");
    }
    let digest = sha256_hex(seed.as_bytes());
    format!("{prefix}-{}{suffix}", &digest[..48])
}

/// The key of a whole batch in one run: a hash of the run's id and its items' keys, so a retry
/// within the run replays the whole answer. A later run uses new batch keys and relies on the
/// per-row keys: a batch of a killed run may stay "in progress" on the server.
pub fn batch_key(run_id: &str, rows: &[&PlannedRow]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(run_id.as_bytes());
    hasher.update([0]);
    for row in rows {
        hasher.update(row.key().as_bytes());
        hasher.update([0]);
    }
    format!("impb-{}", &hex(&hasher.finalize())[..48])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::App;

    fn row(number: usize, name: &str, id: Option<&str>) -> Row {
        Row {
            row: number,
            name: name.into(),
            external_id: id.map(str::to_owned),
            ..Row::default()
        }
    }

    fn app(id: &str, name: &str, uris: &[&str]) -> App {
        App {
            client_id: id.into(),
            name: name.into(),
            redirect_uris: uris.iter().map(|u| (*u).to_owned()).collect(),
            ..App::default()
        }
    }

    fn entry(id: &str, state: EntryState, key: &str, client_id: Option<&str>) -> JournalEntry {
        JournalEntry {
            id: id.into(),
            row: 2,
            key: key.into(),
            state,
            attempt: 0,
            client_id: client_id.map(str::to_owned),
            error: None,
            at: None,
        }
    }

    fn no_journal() -> HashMap<String, JournalEntry> {
        HashMap::new()
    }

    #[test]
    fn keys_are_stable_and_identities_are_unique_in_a_file() {
        let rows = [
            row(2, "Acme", None),
            row(3, "  ACME ", None),
            row(4, "B", Some("c1")),
            row(5, "C", Some("c1")),
        ];
        let first = plan(
            &rows,
            &Existing::default(),
            &no_journal(),
            ExistingMode::Skip,
        );
        let again = plan(
            &rows,
            &Existing::default(),
            &no_journal(),
            ExistingMode::Skip,
        );
        assert_eq!(first.rows, again.rows);
        assert_eq!(first.rows.len(), 2);
        assert_eq!(first.duplicates, [(3, 2), (5, 4)]);
        assert_ne!(first.rows[0].key(), first.rows[1].key());
        // The external-id key is the one earlier versions sent, so their imports still replay.
        let digest = sha256_hex(b"external\0c1");
        assert_eq!(first.rows[1].key(), format!("ext-{}", &digest[..48]));
    }

    #[test]
    fn rows_matching_existing_apps_follow_the_mode() {
        let existing = Existing::from_apps(&[
            app("A1", "Acme Bank", &["https://a.example/cb"]),
            app("B1", "Beta", &[]),
        ]);
        let mut changed = row(2, " acme BANK", None);
        changed.redirect_uris = vec!["https://a.example/new".into()];
        let rows = [changed, row(3, "Beta", None), row(4, "Gamma", None)];
        let skip = plan(&rows, &existing, &no_journal(), ExistingMode::Skip);
        assert_eq!(
            skip.counts(),
            PlanCounts {
                new: 1,
                exists: 2,
                ..PlanCounts::default()
            }
        );
        let update = plan(&rows, &existing, &no_journal(), ExistingMode::Update);
        assert_eq!((update.counts().update, update.counts().exists), (1, 1));
        let Action::Update { client_id, changes } = &update.rows[0].action else {
            panic!("{:?}", update.rows[0].action);
        };
        assert_eq!(client_id, "A1");
        assert_eq!(
            changes.describe(),
            "redirect URIs: https://a.example/cb -> https://a.example/new"
        );
        let twins = plan(&rows, &existing, &no_journal(), ExistingMode::Create);
        assert_eq!(twins.counts().new, 3);
        assert_eq!(twins.twins(), 2);
        // A twin's key differs from the key the original name would have had.
        assert_ne!(twins.rows[1].key(), skip.rows[2].key());
        assert_ne!(twins.rows[1].key(), row_key("name:beta", 0, 0));
    }

    #[test]
    fn a_key_past_its_window_or_refused_as_reused_is_never_sent_again() {
        use crate::import::journal::KEY_WINDOW_SECS;
        let now = 10 * KEY_WINDOW_SECS;
        let existing = Existing::from_apps(&[app("A1", "Made then", &[])]);
        let rows = [
            row(2, "Made then", None),
            row(3, "Never made", None),
            row(4, "Recent", None),
            row(5, "Edited", None),
        ];
        let sent = |id: &str, key: &str, at: u64, state: EntryState| JournalEntry {
            at: Some(at),
            ..entry(id, state, key, None)
        };
        let journal: HashMap<String, JournalEntry> = [
            sent(
                "name:made then",
                "k-old-1",
                now - KEY_WINDOW_SECS - 1,
                EntryState::Sent,
            ),
            sent("name:never made", "k-old-2", 0, EntryState::Unknown),
            sent("name:recent", "k-recent", now - 60, EntryState::Unknown),
            sent("name:edited", "k-edited", now - 60, EntryState::KeyConflict),
        ]
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
        let plan = plan_at(&rows, &existing, &journal, ExistingMode::Skip, now);
        // Past the window, an app of that name exists: reported, left alone.
        assert_eq!(
            plan.rows[0].action,
            Action::Unfinished {
                client_id: Some("A1".into()),
                why: Unfinished::PastKeyWindow
            }
        );
        // Past the window, nothing of that name: nothing was made, so a new key.
        assert!(matches!(
            plan.rows[1].action,
            Action::Create { attempt: 1, .. }
        ));
        assert_ne!(plan.rows[1].key(), "k-old-2");
        // Within the window: the same key again, so the server replays its answer.
        assert_eq!(plan.rows[2].key(), "k-recent");
        // A key refused as reused is never sent again, and the row is reported.
        assert_eq!(
            plan.rows[3].action,
            Action::Unfinished {
                client_id: None,
                why: Unfinished::KeyConflict
            }
        );
    }

    #[test]
    fn the_journal_decides_before_the_names() {
        let existing = Existing::from_apps(&[app("A1", "Acme", &[])]);
        let rows = [
            row(2, "Acme", None),
            row(3, "Lost answer", None),
            row(4, "Refused", None),
        ];
        let journal: HashMap<String, JournalEntry> = [
            entry("name:acme", EntryState::Created, "k-acme", Some("A1")),
            entry("name:lost answer", EntryState::Unknown, "k-lost", None),
            entry("name:refused", EntryState::Refused, "k-refused", None),
        ]
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
        let plan = plan(&rows, &existing, &journal, ExistingMode::Skip);
        assert!(
            matches!(&plan.rows[0].action, Action::CreatedEarlier { client_id } if client_id == "A1")
        );
        // Sent again under the key of the attempt whose answer was lost.
        assert_eq!(plan.rows[1].key(), "k-lost");
        // A refused row gets a new key: its corrected content must not look like a key reuse.
        assert_eq!(plan.rows[2].key(), row_key("name:refused", 1, 0));
        assert!(matches!(
            plan.rows[2].action,
            Action::Create { attempt: 1, .. }
        ));
    }

    #[test]
    fn a_corrected_file_without_external_ids_creates_no_twins() {
        let first: Vec<Row> = (0..60)
            .map(|i| row(i + 2, &format!("Customer {i}"), None))
            .collect();
        let apps: Vec<App> = first
            .iter()
            .enumerate()
            .map(|(i, r)| app(&format!("C{i}"), &r.name, &[]))
            .collect();
        let existing = Existing::from_apps(&apps);
        // One row removed, one changed, two added, order reversed.
        let mut corrected: Vec<Row> = first[1..].to_vec();
        corrected[5].redirect_uris = vec!["https://changed.example/cb".into()];
        corrected.push(row(70, "New one", None));
        corrected.push(row(71, "New two", None));
        corrected.reverse();
        let skip = plan(&corrected, &existing, &no_journal(), ExistingMode::Skip);
        assert_eq!((skip.counts().new, skip.counts().exists), (2, 59));
        let update = plan(&corrected, &existing, &no_journal(), ExistingMode::Update);
        assert_eq!(
            (
                update.counts().new,
                update.counts().update,
                update.counts().exists
            ),
            (2, 1, 58)
        );
    }

    #[test]
    fn batches_hold_at_most_100_creates() {
        let rows: Vec<Row> = (0..250)
            .map(|i| row(i + 2, &format!("App {i}"), None))
            .collect();
        let existing = Existing::from_apps(&[app("X", "App 3", &[])]);
        let plan = plan(&rows, &existing, &no_journal(), ExistingMode::Skip);
        let sizes: Vec<usize> = plan.create_batches().iter().map(Vec::len).collect();
        assert_eq!(sizes, [100, 100, 49]);
    }

    #[test]
    fn modes_parse() {
        assert_eq!("Update".parse::<ExistingMode>(), Ok(ExistingMode::Update));
        assert!("merge".parse::<ExistingMode>().is_err());
    }
}
