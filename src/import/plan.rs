//! Which rows are sent, in batches of at most 100, each with an idempotency key derived from the
//! row's identity, so importing the same file again creates nothing twice.
//!
//! A row with an external id is keyed by that id alone: the customer's id names the app, so a
//! corrected file imported again (within the server's 24-hour key window) replays the rows that
//! were already created instead of creating them a second time. A row without one is keyed by
//! the file's hash and its content.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use sha2::{Digest as _, Sha256};

use super::validate::Row;
use crate::api::{BATCH_LIMIT, BatchItem, WebhookConfig};

/// The import's identity: SHA-256 of the file's bytes, in hex.
pub fn import_id(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// One row to send.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    /// Spreadsheet row number.
    pub row: usize,
    pub external_id: Option<String>,
    /// The item sent, `idempotency_key` included.
    pub item: BatchItem,
}

impl PlannedRow {
    pub fn key(&self) -> &str {
        self.item.idempotency_key.as_deref().unwrap_or_default()
    }
}

/// What an import will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub import_id: String,
    pub rows: Vec<PlannedRow>,
    /// Rows not sent because another row has the same external id: (row, first row).
    pub duplicates: Vec<(usize, usize)>,
    /// Rows not sent because they have an error.
    pub invalid: Vec<usize>,
}

impl Plan {
    /// The planned rows not in `done`, in batches of at most 100.
    pub fn batches<'a>(&'a self, done: &HashSet<String>) -> Vec<Vec<&'a PlannedRow>> {
        let pending: Vec<&PlannedRow> = self
            .rows
            .iter()
            .filter(|r| !done.contains(r.key()))
            .collect();
        pending.chunks(BATCH_LIMIT).map(<[_]>::to_vec).collect()
    }
}

/// Plans the valid rows of an import whose file hashes to `import_id`.
pub fn plan(import_id: &str, rows: &[Row]) -> Plan {
    let mut plan = Plan {
        import_id: import_id.to_owned(),
        ..Plan::default()
    };
    let mut first_with_id: HashMap<&str, usize> = HashMap::new();
    // Identical rows with no external id are told apart by their occurrence.
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    for row in rows {
        if !row.is_valid() {
            plan.invalid.push(row.row);
            continue;
        }
        let identity = match row.external_id.as_deref() {
            Some(id) => {
                if let Some(first) = first_with_id.get(id) {
                    plan.duplicates.push((row.row, *first));
                    continue;
                }
                first_with_id.insert(id, row.row);
                format!("external\0{id}")
            }
            None => {
                let content = format!(
                    "content\0{}\0{}\0{}",
                    row.name,
                    row.redirect_uris.join("\n"),
                    row.webhook_url.as_deref().unwrap_or_default()
                );
                let seen = occurrences.entry(content.clone()).or_insert(0);
                *seen += 1;
                format!("{content}\0{seen}")
            }
        };
        let item = BatchItem {
            name: row.name.clone(),
            redirect_uris: row.redirect_uris.clone(),
            webhook_config: row.webhook_url.as_ref().map(|url| WebhookConfig {
                enabled: true,
                url: Some(url.clone()),
                ..WebhookConfig::default()
            }),
            idempotency_key: Some(match row.external_id.as_deref() {
                Some(id) => external_key(id),
                None => row_key(import_id, &identity),
            }),
        };
        plan.rows.push(PlannedRow {
            row: row.row,
            external_id: row.external_id.clone(),
            item,
        });
    }
    plan
}

/// `imp-<file hash prefix>-<row hash>`: short, printable, well under the 255-character limit.
fn row_key(import_id: &str, identity: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(import_id.as_bytes());
    hasher.update([0]);
    hasher.update(identity.as_bytes());
    let digest = hex(&hasher.finalize());
    format!(
        "imp-{}-{}",
        &import_id[..16.min(import_id.len())],
        &digest[..40]
    )
}

/// `ext-<hash of the external id>`: the same in every file that names this customer id.
fn external_key(external_id: &str) -> String {
    let digest = hex(&Sha256::digest(
        format!("external\0{external_id}").as_bytes(),
    ));
    format!("ext-{}", &digest[..48])
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

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: usize, name: &str, id: Option<&str>) -> Row {
        Row {
            row: number,
            name: name.into(),
            external_id: id.map(str::to_owned),
            ..Row::default()
        }
    }

    #[test]
    fn keys_are_stable_and_distinct() {
        let rows = [
            row(2, "A", None),
            row(3, "A", None),
            row(4, "B", Some("c1")),
            row(5, "C", Some("c1")),
        ];
        let first = plan("abcdef0123456789ff", &rows);
        let again = plan("abcdef0123456789ff", &rows);
        assert_eq!(first.rows, again.rows);
        assert_eq!(first.rows.len(), 3);
        assert_ne!(first.rows[0].key(), first.rows[1].key());
        assert_eq!(first.duplicates, [(5, 4)]);
        let other_file = plan("0000000000000000ff", &rows);
        assert_ne!(first.rows[0].key(), other_file.rows[0].key());
    }

    #[test]
    fn external_id_keys_survive_edits_of_the_row() {
        let a = plan("f".repeat(64).as_str(), &[row(2, "Old", Some("x"))]);
        let b = plan("f".repeat(64).as_str(), &[row(9, "New", Some("x"))]);
        assert_eq!(a.rows[0].key(), b.rows[0].key());
    }

    #[test]
    fn external_id_keys_survive_edits_of_other_rows() {
        // A reseller fixes a skipped row and imports the whole file again: the rows created the
        // first time keep their keys, so the server replays them instead of creating twins.
        let first = plan(&import_id(b"file v1"), &[row(2, "A", Some("c1"))]);
        let fixed = plan(
            &import_id(b"file v2"),
            &[row(2, "A", Some("c1")), row(3, "B", Some("c2"))],
        );
        assert_eq!(first.rows[0].key(), fixed.rows[0].key());
        assert_ne!(fixed.rows[0].key(), fixed.rows[1].key());
    }

    #[test]
    fn batches_hold_at_most_100_and_skip_done_rows() {
        let rows: Vec<Row> = (0..250)
            .map(|i| row(i + 2, &format!("App {i}"), None))
            .collect();
        let plan = plan(&import_id(b"x"), &rows);
        let sizes: Vec<usize> = plan.batches(&HashSet::new()).iter().map(Vec::len).collect();
        assert_eq!(sizes, [100, 100, 50]);
        let done: HashSet<String> = plan.rows[..120]
            .iter()
            .map(|r| r.key().to_owned())
            .collect();
        let sizes: Vec<usize> = plan.batches(&done).iter().map(Vec::len).collect();
        assert_eq!(sizes, [100, 30]);
    }
}
