//! The outcome of an import: per-row statuses, the summary counts, the results CSV (formula
//! injection neutralised) and the secrets CSV (owner-only permissions).

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;

use super::ImportError;
use super::validate::FORMULA_PREFIXES;
use crate::secret::Secret;

/// What happened to one row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowStatus {
    Created,
    /// Created by an earlier run of the same file (found in the journal); its secret was
    /// handed out then.
    CreatedEarlier,
    /// Sent and refused, or never answered; the text says why and what to do.
    Failed(String),
    /// Not sent because of an error in the file.
    Invalid(String),
    /// Not sent: a duplicate external id, or the import was cancelled or stopped.
    Skipped(String),
    /// Dry run: valid and would be sent; the text lists any warnings.
    Ready(String),
}

impl RowStatus {
    /// The status word of the results CSV.
    pub fn word(&self) -> &'static str {
        match self {
            RowStatus::Created => "created",
            RowStatus::CreatedEarlier => "created earlier",
            RowStatus::Failed(_) => "failed",
            RowStatus::Invalid(_) => "invalid",
            RowStatus::Skipped(_) => "skipped",
            RowStatus::Ready(_) => "ready",
        }
    }

    /// The reason, for failed, invalid and skipped rows.
    pub fn detail(&self) -> &str {
        match self {
            RowStatus::Failed(s)
            | RowStatus::Invalid(s)
            | RowStatus::Skipped(s)
            | RowStatus::Ready(s) => s,
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
    pub failed: usize,
    pub invalid: usize,
    /// Dry run: rows that would be sent.
    pub ready: usize,
}

impl Summary {
    /// Every row was created (or, for a dry run, every row is ready).
    pub fn all_created(&self) -> bool {
        self.created + self.ready == self.total
    }

    /// "12 created, 0 skipped, 1 failed, 2 invalid (of 15 rows)".
    pub fn sentence(&self) -> String {
        let earlier = if self.created_earlier > 0 {
            format!(" ({} in an earlier run)", self.created_earlier)
        } else {
            String::new()
        };
        let ready = if self.ready > 0 {
            format!("{} ready to create, ", self.ready)
        } else {
            String::new()
        };
        format!(
            "{ready}{} created{earlier}, {} skipped, {} failed, {} invalid (of {} rows)",
            self.created, self.skipped, self.failed, self.invalid, self.total
        )
    }
}

/// Everything an import run produced.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Sorted by row.
    pub rows: Vec<RowOutcome>,
    /// Why the run stopped before the end, when it did (cancelled, key refused, journal failed).
    pub stopped: Option<String>,
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
                RowStatus::Ready(_) => summary.ready += 1,
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

    /// The results CSV: row, name, externalId, clientId, status, error. No secrets.
    pub fn results_csv(&self) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(["row", "name", "externalId", "clientId", "status", "error"]);
        for row in &self.rows {
            let _ = writer.write_record([
                row.row.to_string(),
                neutralize(&row.name),
                neutralize(row.external_id.as_deref().unwrap_or_default()),
                neutralize(row.client_id.as_deref().unwrap_or_default()),
                row.status.word().to_owned(),
                neutralize(row.status.detail()),
            ]);
        }
        writer.into_inner().unwrap_or_default()
    }

    /// Writes the results CSV (UTF-8 with a BOM, so Excel reads accents and CJK right).
    pub fn write_results(&self, path: &Path) -> Result<(), ImportError> {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(self.results_csv());
        std::fs::write(path, bytes).map_err(|e| write_error(path, &e))
    }

    /// Writes clientId, name, clientSecret for the apps created in this run, readable by the
    /// owner only. With `append`, an existing non-empty file keeps its rows and gets these
    /// added, so a resumed import never overwrites the secrets of an earlier run. Returns how
    /// many secrets were written.
    pub fn write_secrets(&self, path: &Path, append: bool) -> Result<usize, ImportError> {
        write_secrets(path, &self.rows, append)
    }
}

/// Writes the secrets of `rows` that have one (see [`ImportReport::write_secrets`]). The import
/// also calls it after each batch, so a crash cannot lose the secrets of created apps.
pub fn write_secrets(path: &Path, rows: &[RowOutcome], append: bool) -> Result<usize, ImportError> {
    let append = append && std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    let mut writer = csv::Writer::from_writer(Vec::new());
    if !append {
        let _ = writer.write_record(["clientId", "name", "clientSecret"]);
    }
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
    if count == 0 && append {
        return Ok(0);
    }
    let body = zeroize::Zeroizing::new(writer.into_inner().unwrap_or_default());
    let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(body.len() + 3));
    if !append {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(&body);
    write_owner_only(path, &bytes, append).map_err(|e| write_error(path, &e))?;
    Ok(count)
}

/// Creates, truncates or appends to a file that only its owner can read.
fn write_owner_only(path: &Path, bytes: &[u8], append: bool) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        options.mode(0o600);
        let file = options.open(path)?;
        // An existing file keeps its old mode on open: tighten it before writing.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        let mut file = file;
        file.write_all(bytes)?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }
}

fn write_error(path: &Path, error: &std::io::Error) -> ImportError {
    ImportError(format!(
        "Could not save {}: {error}. Choose another folder or free some disk space",
        path.display()
    ))
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe, which it shows as text.
pub fn neutralize(cell: &str) -> String {
    if cell.starts_with(FORMULA_PREFIXES) || cell.starts_with(['\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
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
        }
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("Acme"), "Acme");
    }

    #[test]
    fn results_and_secrets_files() {
        let report = ImportReport {
            rows: vec![
                outcome(2, "=cmd()", RowStatus::Created, Some("sh_app_FAKE_1")),
                outcome(3, "B", RowStatus::Invalid("name: empty".into()), None),
            ],
            stopped: None,
        };
        let summary = report.summary();
        assert_eq!((summary.created, summary.invalid), (1, 1));
        let results = String::from_utf8(report.results_csv()).unwrap();
        assert!(results.contains("'=cmd()"), "{results}");
        assert!(!results.contains("sh_app_FAKE"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.csv");
        std::fs::write(&path, "old").unwrap();
        assert_eq!(report.write_secrets(&path, false).unwrap(), 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("C2,'=cmd(),sh_app_FAKE_1"), "{text}");
        assert_eq!(report.write_secrets(&path, true).unwrap(), 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("clientSecret").count(), 1);
        assert_eq!(text.matches("sh_app_FAKE_1").count(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
