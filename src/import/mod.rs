//! CSV import of apps, with no egui: decode -> parse -> map -> validate -> plan -> run -> report.
//!
//! | module | owns |
//! |---|---|
//! | `decode` | bytes to text: BOMs, UTF-16, legacy encodings, refusing binary and empty files |
//! | `parse` | text to a table: delimiter sniffing, quoted cells, blank and ragged rows |
//! | `map` | header aliases to the import's fields |
//! | `validate` | per-row checks with the spreadsheet row number and a fix |
//! | `existing` | the workspace's apps, by name and client id, for the plan to compare with |
//! | `plan` | each row's action (create, exists, update), its idempotency key, batches of 100 |
//! | `run` | concurrent batches, adaptive concurrency, updates, progress and cancel |
//! | `journal` | the per-workspace record of rows sent and created that makes imports exactly-once |
//! | `secrets` | the owner-only secrets file, written before a row counts as created |
//! | `report` | per-row outcomes, the summary and the results CSV |
//! | `formula` | the apostrophe that keeps a CSV cell from running as a spreadsheet formula |
//! | `zitadel` | the same import into a ZITADEL project: single creates, exactly once by name |
//!
//! [`prepare`] runs the first four stages; the GUI wizard and the CLI both start from it.

pub mod decode;
pub mod existing;
pub mod fix_file;
pub mod formula;
pub mod journal;
pub mod map;
pub mod parse;
pub mod plan;
pub mod preview;
pub mod report;
pub mod run;
pub mod secrets;
pub mod validate;
#[cfg(windows)]
mod windows;
pub mod zitadel;

use std::fmt;

pub use decode::{Decoded, decode};
pub use existing::Existing;
pub use journal::{Journal, default_data_dir, default_journal_dir};
pub use map::{Field, Mapping};
pub use parse::{Table, parse};
pub use plan::{
    Action, ExistingMode, Plan, PlanCounts, PlannedRow, Unfinished, import_id, plan, plan_at,
};
pub use preview::PlanPreview;
pub use report::{ImportReport, RowOutcome, RowStatus, Summary};
pub use run::{CancelFlag, Progress, RunOptions, dry_run, import, run, survey};
pub use secrets::SecretsFile;
pub use validate::{Issue, Row, Severity, validate};
/// Refuses, before anything is read or sent, an `--existing` choice the backend cannot carry
/// out: updating where apps have no redirect URIs, a second app where names are unique.
pub fn check_existing_mode_for(
    capabilities: &crate::backends::Capabilities,
    mode: ExistingMode,
) -> Result<(), ImportError> {
    if capabilities.duplicate_names && capabilities.redirect_uris {
        return Ok(());
    }
    zitadel::check_existing_mode(mode)
}

pub use zitadel::{
    ZitadelImportOptions, dry_run_zitadel, import_zitadel, journal_workspace, survey_project,
};

/// A file the import cannot use at all, as a sentence with what to do next: in the language in
/// use, and in English for the activity log where they differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String, pub Option<Box<str>>);

impl ImportError {
    /// A sentence that is the same in every language (or was made in English).
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into(), None)
    }

    /// A sentence made by `make` in the language in use, and again in English when that differs.
    pub fn worded(make: impl Fn() -> String) -> Self {
        let (shown, stored) = shown_and_stored(make);
        let english = (stored != shown).then(|| stored.into_boxed_str());
        Self(shown, english)
    }

    /// The sentence in English, for what is stored.
    pub fn english(&self) -> &str {
        self.1.as_deref().unwrap_or(&self.0)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

/// A text in the language in use, and the same text in English for what is stored (the import
/// journal): `make` is called once on each side.
pub(crate) fn shown_and_stored(make: impl Fn() -> String) -> (String, String) {
    (make(), crate::i18n::in_english(&make))
}

/// How to read a file; `None` means detect.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// An encoding label such as `windows-1252`, `utf-16le` or `shift_jis`.
    pub encoding: Option<String>,
    /// One of `,` `;` tab `|` (or any single ASCII character).
    pub delimiter: Option<u8>,
    /// The longest app name the backend takes (its capabilities say); `None` is the Hopae
    /// Workspace API's 100 characters.
    pub max_name_chars: Option<usize>,
}

impl ReadOptions {
    fn max_name_chars(&self) -> usize {
        self.max_name_chars.unwrap_or(crate::api::MAX_NAME_CHARS)
    }
}

/// A file read, parsed, mapped and validated: everything the preview shows.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Hash of the file's bytes: the import's identity.
    pub import_id: String,
    pub encoding: &'static str,
    /// The encoding was guessed from the content (no BOM, not UTF-8, no override).
    pub encoding_guessed: bool,
    /// Shared, so a remap or a run works on the same rows without copying them.
    pub table: std::sync::Arc<Table>,
    pub mapping: Mapping,
    pub rows: Vec<Row>,
    /// The name limit the rows were checked against, kept for a remap.
    max_name_chars: usize,
    tally: std::sync::OnceLock<Tally>,
}

/// The preview's counts of `Prepared::rows`.
#[derive(Debug, Clone, Copy)]
struct Tally {
    valid: usize,
    warning: usize,
    invalid: usize,
}

impl Prepared {
    /// Rows with no error and no warning, with warnings only, and with an error.
    pub fn counts(&self) -> (usize, usize, usize) {
        let tally = self.tally();
        (tally.valid, tally.warning, tally.invalid)
    }

    /// The problems of each row that has any, by row number, as one text (for a dry run).
    pub fn issue_texts(&self) -> std::collections::HashMap<usize, String> {
        self.rows
            .iter()
            .filter(|r| !r.issues.is_empty())
            .map(|r| (r.row, r.issue_text()))
            .collect()
    }

    /// Worked out once per mapping: the preview asks on every frame.
    fn tally(&self) -> Tally {
        *self.tally.get_or_init(|| {
            let invalid = self.rows.iter().filter(|r| !r.is_valid()).count();
            let warning = self
                .rows
                .iter()
                .filter(|r| r.is_valid() && !r.issues.is_empty())
                .count();
            Tally {
                valid: self.rows.len() - invalid - warning,
                warning,
                invalid,
            }
        })
    }

    /// The same file checked again under another column mapping (work proportional to the
    /// rows: call it off the window's thread).
    pub fn remapped(&self, mapping: Mapping) -> Prepared {
        Prepared {
            import_id: self.import_id.clone(),
            encoding: self.encoding,
            encoding_guessed: self.encoding_guessed,
            table: self.table.clone(),
            rows: validate(&self.table, &mapping, self.max_name_chars),
            mapping,
            max_name_chars: self.max_name_chars,
            tally: std::sync::OnceLock::new(),
        }
    }
}

/// Decode, parse, map and validate a file's bytes.
pub fn prepare(bytes: &[u8], options: &ReadOptions) -> Result<Prepared, ImportError> {
    use std::sync::mpsc::channel;
    use std::sync::{Arc, Mutex};

    /// Rows per block handed from the parser to the checkers.
    const BLOCK: usize = 4096;
    let checkers = std::thread::available_parallelism().map_or(1, usize::from);
    let max_name_chars = options.max_name_chars();

    // The file hash, and the checks of parsed blocks, run while the parser goes on.
    let (import_id, parsed, mut blocks) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| import_id(bytes));
        let (block_tx, block_rx) = channel::<Block>();
        let block_rx = Arc::new(Mutex::new(block_rx));
        let (done_tx, done_rx) = channel();
        // The parser's own thread joins the checkers once it is done.
        // The checkers write their problems in the language of the thread that asked.
        let localizer = crate::i18n::current();
        for _ in 1..checkers {
            let (block_rx, done_tx) = (block_rx.clone(), done_tx.clone());
            let localizer = localizer.clone();
            scope.spawn(move || {
                localizer.install();
                check_blocks(&block_rx, &done_tx, max_name_chars);
            });
        }
        let parsed = decode(bytes, options.encoding.as_deref()).and_then(|decoded| {
            let mut mapping: Option<Result<Arc<Mapping>, ImportError>> = None;
            let mut sent = 0;
            let table = parse::parse_blocks(
                &decoded.text,
                options.delimiter,
                BLOCK,
                &mut |headers, records| {
                    let mapping =
                        mapping.get_or_insert_with(|| Mapping::auto(headers).map(Arc::new));
                    if let Ok(mapping) = mapping {
                        let _ = block_tx.send((sent, mapping.clone(), records));
                        sent += 1;
                    }
                },
            )?;
            Ok((decoded.encoding, decoded.guessed, table, mapping))
        });
        drop(block_tx);
        check_blocks(&block_rx, &done_tx, max_name_chars);
        drop(done_tx);
        let mut blocks: Vec<_> = done_rx.iter().collect();
        blocks.sort_by_key(|(index, _, _)| *index);
        (hashing.join().unwrap_or_default(), parsed, blocks)
    });
    let (encoding, encoding_guessed, mut table, mapping) = parsed?;
    let mapping = match mapping {
        None => {
            return Err(ImportError::worded(|| crate::tr!("import-no-rows")));
        }
        Some(mapping) => Arc::unwrap_or_clone(mapping?),
    };
    let mut checked = Vec::with_capacity(blocks.len());
    table.records = Vec::with_capacity(blocks.iter().map(|(_, r, _)| r.len()).sum());
    for (_, mut records, block) in blocks.drain(..) {
        table.records.append(&mut records);
        checked.push(block);
    }
    let rows = validate::finish(checked, &mapping);
    Ok(Prepared {
        import_id,
        encoding,
        encoding_guessed,
        table: std::sync::Arc::new(table),
        mapping,
        rows,
        max_name_chars,
        tally: std::sync::OnceLock::new(),
    })
}

/// A block of parsed records, by position in the file, with the mapping to check it by.
type Block = (usize, std::sync::Arc<Mapping>, Vec<parse::Record>);

/// Checks blocks until the parser has sent the last one.
fn check_blocks(
    blocks: &std::sync::Mutex<std::sync::mpsc::Receiver<Block>>,
    done: &std::sync::mpsc::Sender<(usize, Vec<parse::Record>, validate::Checked)>,
    max_name_chars: usize,
) {
    loop {
        let next = blocks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok((index, mapping, records)) = next else {
            return;
        };
        let checked = validate::check_block(&records, &mapping, max_name_chars);
        if done.send((index, records, checked)).is_err() {
            return;
        }
    }
}

/// The largest file the import reads: far beyond any spreadsheet of apps, and small enough
/// that reading it never exhausts the memory of a modest computer.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// A CSV file's bytes, or why they cannot be read: missing, unreadable, or over
/// [`MAX_FILE_BYTES`] (said before reading it).
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ImportError> {
    let unreadable = |e: std::io::Error| {
        ImportError::worded(|| {
            crate::tr!(
                "import-read-failed",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        // Sizes as written, without separators, as the English has always had them.
        let size = (size / (1024 * 1024)).to_string();
        let max = (MAX_FILE_BYTES / (1024 * 1024)).to_string();
        return Err(ImportError::worded(|| {
            crate::tr!(
                "import-file-too-large",
                path = path.display().to_string(),
                size = size.clone(),
                max = max.clone()
            )
        }));
    }
    std::fs::read(path).map_err(unreadable)
}

/// Reads a file from disk and prepares it; a read failure is a sentence too.
pub fn prepare_file(
    path: &std::path::Path,
    options: &ReadOptions,
) -> Result<Prepared, ImportError> {
    prepare(&read_file(path)?, options)
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
    #[test]
    fn a_file_over_200_mb_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.csv");
        // Sparse: the size is there without writing 200 MB.
        std::fs::File::create(&path)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let error = read_file(&path).unwrap_err();
        assert!(error.0.contains("up to 200 MB"), "{}", error.0);
        std::fs::write(&path, "name\nOne\n").unwrap();
        assert_eq!(read_file(&path).unwrap(), b"name\nOne\n");
    }

    use super::*;

    #[test]
    fn the_template_imports_cleanly() {
        let prepared = prepare(&template_csv(), &ReadOptions::default()).unwrap();
        assert_eq!(prepared.counts(), (1, 0, 0));
        assert_eq!(prepared.rows[0].redirect_uris.len(), 2);
        assert!(prepared.mapping.unknown().is_empty());
    }
}
