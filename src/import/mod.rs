//! CSV import of apps, with no egui: decode -> parse -> map -> validate -> plan -> run -> report.
//!
//! | module | owns |
//! |---|---|
//! | `decode` | bytes to text: BOMs, UTF-16, legacy encodings, refusing binary and empty files |
//! | `parse` | text to a table: delimiter sniffing, quoted cells, blank and ragged rows |
//! | `map` | header aliases to the import's fields |
//! | `validate` | per-row checks with the spreadsheet row number and a fix |
//! | `plan` | stable idempotency keys and batches of at most 100 |
//! | `run` | concurrent batches, adaptive concurrency, progress and cancel |
//! | `journal` | the on-disk record of finished rows that makes a resumed import exactly-once |
//! | `report` | the results CSV and the owner-only secrets CSV |
//!
//! [`prepare`] runs the first four stages; the GUI wizard and the CLI both start from it.

pub mod decode;
pub mod journal;
pub mod map;
pub mod parse;
pub mod plan;
pub mod report;
pub mod run;
pub mod validate;

use std::fmt;

pub use decode::{Decoded, decode};
pub use journal::{Journal, default_journal_dir};
pub use map::{Field, Mapping};
pub use parse::{Table, parse};
pub use plan::{Plan, PlannedRow, import_id};
pub use report::{ImportReport, RowOutcome, RowStatus, Summary};
pub use run::{CancelFlag, Progress, RunOptions, dry_run, import, run};
pub use validate::{Issue, Row, Severity, validate};

/// A file the import cannot use at all, as a sentence with what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

/// How to read a file; `None` means detect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// An encoding label such as `windows-1252`, `utf-16le` or `shift_jis`.
    pub encoding: Option<String>,
    /// One of `,` `;` tab `|` (or any single ASCII character).
    pub delimiter: Option<u8>,
}

/// A file read, parsed, mapped and validated: everything the preview shows.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Hash of the file's bytes: the import's identity.
    pub import_id: String,
    pub encoding: &'static str,
    /// The encoding was guessed from the content (no BOM, not UTF-8, no override).
    pub encoding_guessed: bool,
    pub table: Table,
    pub mapping: Mapping,
    pub rows: Vec<Row>,
}

impl Prepared {
    /// Rows with no error and no warning, with warnings only, and with an error.
    pub fn counts(&self) -> (usize, usize, usize) {
        let invalid = self.rows.iter().filter(|r| !r.is_valid()).count();
        let warning = self
            .rows
            .iter()
            .filter(|r| r.is_valid() && !r.issues.is_empty())
            .count();
        (self.rows.len() - invalid - warning, warning, invalid)
    }

    /// Re-validates after the user changed the column mapping.
    pub fn remap(&mut self, mapping: Mapping) {
        self.rows = validate(&self.table, &mapping);
        self.mapping = mapping;
    }
}

/// Decode, parse, map and validate a file's bytes.
pub fn prepare(bytes: &[u8], options: &ReadOptions) -> Result<Prepared, ImportError> {
    // The file hash needs only the bytes: compute it beside decoding and parsing.
    let (import_id, table) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| import_id(bytes));
        let table = decode(bytes, options.encoding.as_deref()).and_then(|decoded| {
            Ok((
                decoded.encoding,
                decoded.guessed,
                parse(&decoded.text, options.delimiter)?,
            ))
        });
        (hashing.join().unwrap_or_default(), table)
    });
    let (encoding, encoding_guessed, table) = table?;
    if table.records.is_empty() {
        return Err(ImportError(
            "The file has a header row but no apps below it. Add one row per app under the \
             header, then import it again"
                .into(),
        ));
    }
    let mapping = Mapping::auto(&table.headers)?;
    let rows = validate(&table, &mapping);
    Ok(Prepared {
        import_id,
        encoding,
        encoding_guessed,
        table,
        mapping,
        rows,
    })
}

/// Reads a file from disk and prepares it; a read failure is a sentence too.
pub fn prepare_file(
    path: &std::path::Path,
    options: &ReadOptions,
) -> Result<Prepared, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| {
        ImportError(format!(
            "Could not read {}: {e}. Check that the file exists and that you may open it",
            path.display()
        ))
    })?;
    prepare(&bytes, options)
}

/// The template a user fills in: the headers and one sample row, UTF-8 with a BOM so Excel
/// opens it with the right characters.
pub fn template_csv() -> Vec<u8> {
    let headers = Field::ALL.map(Field::header).join(",");
    format!(
        "\u{feff}{headers}\r\nAcme Bank onboarding,\"https://acme.example.com/callback \
         https://acme.example.com/callback2\",https://acme.example.com/webhooks/connect,\
         customer-001\r\n"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_imports_cleanly() {
        let prepared = prepare(&template_csv(), &ReadOptions::default()).unwrap();
        assert_eq!(prepared.counts(), (1, 0, 0));
        assert_eq!(prepared.rows[0].redirect_uris.len(), 2);
        assert!(prepared.mapping.unknown().is_empty());
    }
}
