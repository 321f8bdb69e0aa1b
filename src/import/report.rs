//! The outcome of an import: per-row statuses, the summary counts and the results CSV (formula
//! injection neutralised). The secrets go to their own file, written during the run
//! (`secrets`).

use std::collections::HashMap;
use std::path::Path;

use super::ImportError;
// Re-exported: `export` and `secrets` write their cells through it from here.
pub use super::formula::neutralize;
use super::validate::Row;
use crate::secret::Secret;

/// What happened to one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    Created,
    /// Created by an earlier run of an import (found in the journal); its secret was written
    /// then.
    CreatedEarlier,
    /// Sent and refused, or never answered; the text says why and what to do.
    Failed(String),
    /// Not sent because of an error in the file.
    Invalid(String),
    /// Not sent: a duplicate identity, or the import was cancelled or stopped.
    Skipped(String),
    /// An app with this identity exists and was left as it is; the text says which.
    Exists(String),
    /// The existing app was changed; the text says what changed.
    Updated(String),
    /// Dry run: valid and would be sent; the text lists any warnings.
    Ready(String),
    /// Dry run: the existing app would be changed; the text says how.
    Update(String),
}

impl RowStatus {
    /// Refused or invalid: the row needs a change in the file before it can be imported.
    pub fn needs_fixing(&self) -> bool {
        matches!(self, RowStatus::Failed(_) | RowStatus::Invalid(_))
    }

    /// The status as people read it, in the language in use (the results table).
    pub fn label(&self) -> String {
        match self {
            RowStatus::Created => crate::tr!("results-status-created"),
            RowStatus::CreatedEarlier => crate::tr!("results-status-created-earlier"),
            RowStatus::Failed(_) => crate::tr!("results-status-failed"),
            RowStatus::Invalid(_) => crate::tr!("results-status-invalid"),
            RowStatus::Skipped(_) => crate::tr!("results-status-skipped"),
            RowStatus::Exists(_) => crate::tr!("results-status-exists"),
            RowStatus::Updated(_) => crate::tr!("results-status-updated"),
            RowStatus::Ready(_) => crate::tr!("results-status-ready"),
            RowStatus::Update(_) => crate::tr!("results-status-update"),
        }
    }

    /// The status word of the results CSV and of `--json`: a code, the same in every language.
    pub fn word(&self) -> &'static str {
        match self {
            RowStatus::Created => "created",
            RowStatus::CreatedEarlier => "created earlier",
            RowStatus::Failed(_) => "failed",
            RowStatus::Invalid(_) => "invalid",
            RowStatus::Skipped(_) => "skipped",
            RowStatus::Exists(_) => "exists",
            RowStatus::Updated(_) => "updated",
            RowStatus::Ready(_) => "ready",
            RowStatus::Update(_) => "update",
        }
    }

    /// The reason, for failed, invalid and skipped rows.
    pub fn detail(&self) -> &str {
        match self {
            RowStatus::Failed(s)
            | RowStatus::Invalid(s)
            | RowStatus::Skipped(s)
            | RowStatus::Exists(s)
            | RowStatus::Updated(s)
            | RowStatus::Ready(s)
            | RowStatus::Update(s) => s,
            RowStatus::Created | RowStatus::CreatedEarlier => "",
        }
    }
}

/// One row of the results.
#[derive(Debug, Clone)]
pub struct RowOutcome {
    pub row: usize,
    pub name: String,
    pub external_id: Option<String>,
    pub client_id: Option<String>,
    /// Only for rows created in this run; zeroized on drop, masked in `Debug`.
    pub client_secret: Option<Secret>,
    pub status: RowStatus,
    /// Where this app's key file was written (apps that sign with keys).
    pub key_file: Option<std::path::PathBuf>,
}

impl RowOutcome {
    /// A row of the file that was not sent: nothing was created for it.
    pub(crate) fn unsent(row: &Row, status: RowStatus) -> Self {
        RowOutcome {
            row: row.row,
            name: row.name.clone(),
            external_id: row.external_id.clone(),
            client_id: None,
            client_secret: None,
            status,
            key_file: None,
        }
    }
}

/// Reports the rows a plan does not send: each repeat of an identity (row, first row with it),
/// said by `repeat`, and each invalid row with its problems.
pub(crate) fn add_unsent_rows(
    report: &mut ImportReport,
    rows: &[Row],
    duplicates: &[(usize, usize)],
    invalid: &[usize],
    repeat: impl Fn(&Row, usize) -> String,
) {
    let by_number: HashMap<usize, &Row> = rows.iter().map(|r| (r.row, r)).collect();
    for (row, first) in duplicates {
        if let Some(r) = by_number.get(row) {
            let status = RowStatus::Skipped(repeat(r, *first));
            report.rows.push(RowOutcome::unsent(r, status));
        }
    }
    for row in invalid {
        if let Some(r) = by_number.get(row) {
            let status = RowStatus::Invalid(r.issue_text());
            report.rows.push(RowOutcome::unsent(r, status));
        }
    }
}

/// How many rows ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub total: usize,
    /// Created in this run or an earlier one.
    pub created: usize,
    /// Of `created`, those found in the journal of an earlier run.
    pub created_earlier: usize,
    pub skipped: usize,
    /// Left as they were: an app with the same identity exists.
    pub exists: usize,
    pub updated: usize,
    pub failed: usize,
    pub invalid: usize,
    /// Dry run: rows that would be created.
    pub ready: usize,
    /// Dry run: existing apps that would be changed.
    pub update: usize,
}

impl Summary {
    /// Nothing is left to do: every row was created, exists or was updated (for a dry run:
    /// every row is ready). A failed, invalid or unsent row makes this false.
    pub fn all_done(&self) -> bool {
        self.created + self.exists + self.updated + self.ready + self.update == self.total
    }

    /// "12 created, 3 already exist, 0 skipped, 1 failed, 2 invalid (of 18 rows)", in the
    /// language in use. The counts are written without separators, as they always were.
    pub fn sentence(&self) -> String {
        let n = |count: usize| count.to_string();
        let mut parts = Vec::new();
        if self.ready > 0 {
            parts.push(crate::tr!("import-summary-ready", count = n(self.ready)));
        }
        if self.update > 0 {
            parts.push(crate::tr!(
                "import-summary-to-update",
                count = n(self.update)
            ));
        }
        parts.push(if self.created_earlier > 0 {
            crate::tr!(
                "import-summary-created-earlier",
                count = n(self.created),
                earlier = n(self.created_earlier)
            )
        } else {
            crate::tr!("import-summary-created", count = n(self.created))
        });
        parts.push(crate::tr!("import-summary-exist", count = n(self.exists)));
        if self.updated > 0 {
            parts.push(crate::tr!(
                "import-summary-updated",
                count = n(self.updated)
            ));
        }
        parts.push(crate::tr!(
            "import-summary-skipped",
            count = n(self.skipped)
        ));
        parts.push(crate::tr!("import-summary-failed", count = n(self.failed)));
        parts.push(crate::tr!(
            "import-summary-invalid",
            count = n(self.invalid)
        ));
        crate::tr!(
            "import-summary",
            parts = parts.join(", "),
            total = n(self.total)
        )
    }
}

/// Everything an import run produced.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Sorted by row.
    pub rows: Vec<RowOutcome>,
    /// Why the run stopped before the end, when it did (cancelled, key refused, journal failed).
    pub stopped: Option<super::ImportError>,
    /// Where the run wrote the new apps' secrets.
    pub secrets_file: Option<std::path::PathBuf>,
    /// Where the run wrote the key files of apps that sign with keys.
    pub keys_dir: Option<std::path::PathBuf>,
}

impl ImportReport {
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            total: self.rows.len(),
            ..Summary::default()
        };
        for row in &self.rows {
            match row.status {
                RowStatus::Created => summary.created += 1,
                RowStatus::CreatedEarlier => {
                    summary.created += 1;
                    summary.created_earlier += 1;
                }
                RowStatus::Failed(_) => summary.failed += 1,
                RowStatus::Invalid(_) => summary.invalid += 1,
                RowStatus::Skipped(_) => summary.skipped += 1,
                RowStatus::Exists(_) => summary.exists += 1,
                RowStatus::Updated(_) => summary.updated += 1,
                RowStatus::Ready(_) => summary.ready += 1,
                RowStatus::Update(_) => summary.update += 1,
            }
        }
        summary
    }

    /// Rows whose secret this run holds.
    pub fn secret_count(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.client_secret.is_some())
            .count()
    }

    /// The results CSV: row, name, externalId, clientId, status, error, and keyFile when apps
    /// got key files. No secrets.
    pub fn results_csv(&self) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let keys = self.rows.iter().any(|r| r.key_file.is_some());
        let mut header = vec!["row", "name", "externalId", "clientId", "status", "error"];
        if keys {
            header.push("keyFile");
        }
        let _ = writer.write_record(&header);
        for row in &self.rows {
            let mut record = vec![
                row.row.to_string(),
                neutralize(&row.name),
                neutralize(row.external_id.as_deref().unwrap_or_default()),
                neutralize(row.client_id.as_deref().unwrap_or_default()),
                row.status.word().to_owned(),
                neutralize(row.status.detail()),
            ];
            if keys {
                let path = row
                    .key_file
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                record.push(neutralize(&path));
            }
            let _ = writer.write_record(&record);
        }
        writer.into_inner().unwrap_or_default()
    }

    /// Writes the results CSV (UTF-8 with a BOM, so Excel reads accents and CJK right).
    pub fn write_results(&self, path: &Path) -> Result<(), ImportError> {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(self.results_csv());
        super::journal::write_private_file(path, &bytes).map_err(|e| write_error(path, &e))
    }
}

fn write_error(path: &Path, error: &std::io::Error) -> ImportError {
    ImportError::worded(|| {
        crate::tr!(
            "import-save-failed",
            path = path.display().to_string(),
            error = error.to_string()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(row: usize, name: &str, status: RowStatus, secret: Option<&str>) -> RowOutcome {
        RowOutcome {
            row,
            name: name.into(),
            external_id: None,
            client_id: secret.map(|_| format!("C{row}")),
            client_secret: secret.map(Secret::new),
            status,
            key_file: None,
        }
    }

    #[test]
    fn the_results_file_holds_no_secret() {
        let report = ImportReport {
            rows: vec![
                outcome(2, "=cmd()", RowStatus::Created, Some("sh_app_FAKE_1")),
                outcome(3, "B", RowStatus::Invalid("name: empty".into()), None),
                outcome(4, "C", RowStatus::Exists("as C4".into()), None),
            ],
            stopped: None,
            secrets_file: None,
            keys_dir: None,
        };
        let summary = report.summary();
        assert_eq!(
            (summary.created, summary.invalid, summary.exists),
            (1, 1, 1)
        );
        assert!(!summary.all_done());
        let results = String::from_utf8(report.results_csv()).unwrap();
        assert!(results.contains("'=cmd()"), "{results}");
        assert!(results.contains("exists"), "{results}");
        assert!(!results.contains("sh_app_FAKE"));
    }
}
