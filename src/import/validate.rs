//! Per-row checks: each issue names the spreadsheet row, the column, what is wrong and the fix.
//! Reuses the client's name rule and the documented redirect-URI rules.

use std::collections::HashMap;

use url::Url;

use super::formula::{FORMULA_PREFIXES, unneutralize};
use super::map::{Field, Mapping};
use super::parse::{Record, Table};
use crate::api::check_app_name;
use crate::api::redirect_uris::validate_redirect_uris;
use crate::api::webhooks::normalize_webhook_url;

/// Blocking (the row is not sent) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub severity: Severity,
    /// The column's header as written in the file.
    pub column: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// A data row read through the mapping, with its issues.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub webhook_url: Option<String>,
    pub external_id: Option<String>,
    pub issues: Vec<Issue>,
}

impl Row {
    /// No blocking issue.
    pub fn is_valid(&self) -> bool {
        self.issues.iter().all(|i| i.severity == Severity::Warning)
    }

    /// Every issue on one line, errors first.
    pub fn issue_text(&self) -> String {
        let mut issues: Vec<&Issue> = self.issues.iter().collect();
        issues.sort_by_key(|i| i.severity == Severity::Warning);
        issues
            .iter()
            .map(|i| format!("{}: {}", i.column, i.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Rows below which validating on one thread is faster than starting others.
const PARALLEL_MIN_ROWS: usize = 4096;

/// Validates every record of the table through the mapping. Rows are checked on every core;
/// duplicates are found afterwards in file order.
pub fn validate(table: &Table, mapping: &Mapping, max_name_chars: usize) -> Vec<Row> {
    let columns = Columns {
        max_name_chars,
        name: mapping.column_of(Field::Name),
        uris: mapping.column_of(Field::RedirectUris),
        hook: mapping.column_of(Field::WebhookUrl),
        id: mapping.column_of(Field::ExternalId),
        count: table.headers.len(),
    };
    let records = &table.records;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let (mut rows, keys) = if threads > 1 && records.len() >= PARALLEL_MIN_ROWS {
        let chunk = records.len().div_ceil(threads);
        // The workers write their problems in the language of the thread that asked.
        let localizer = crate::i18n::current();
        std::thread::scope(|scope| {
            let workers: Vec<_> = records
                .chunks(chunk)
                .map(|part| {
                    let localizer = localizer.clone();
                    scope.spawn(move || {
                        localizer.install();
                        validate_part(part, mapping, &columns)
                    })
                })
                .collect();
            let mut rows = Vec::with_capacity(records.len());
            let mut keys = Vec::with_capacity(records.len());
            for worker in workers {
                let (part_rows, part_keys) = worker.join().unwrap_or_default();
                rows.extend(part_rows);
                keys.extend(part_keys);
            }
            (rows, keys)
        })
    } else {
        validate_part(records, mapping, &columns)
    };
    mark_duplicates(&mut rows, &keys, mapping);
    rows
}

/// Rows checked on their own, before the duplicate pass: one block of a pipeline.
#[derive(Default)]
pub(crate) struct Checked {
    rows: Vec<Row>,
    keys: Vec<Keys>,
}

/// Checks a block of records on its own (see [`finish`]).
pub(crate) fn check_block(records: &[Record], mapping: &Mapping, max_name_chars: usize) -> Checked {
    let columns = Columns {
        max_name_chars,
        name: mapping.column_of(Field::Name),
        uris: mapping.column_of(Field::RedirectUris),
        hook: mapping.column_of(Field::WebhookUrl),
        id: mapping.column_of(Field::ExternalId),
        count: mapping.headers.len(),
    };
    let (rows, keys) = validate_part(records, mapping, &columns);
    Checked { rows, keys }
}

/// Joins checked blocks, in file order, and marks the duplicates across them.
pub(crate) fn finish(blocks: Vec<Checked>, mapping: &Mapping) -> Vec<Row> {
    let total = blocks.iter().map(|b| b.rows.len()).sum();
    let mut rows = Vec::with_capacity(total);
    let mut keys = Vec::with_capacity(total);
    for block in blocks {
        rows.extend(block.rows);
        keys.extend(block.keys);
    }
    mark_duplicates(&mut rows, &keys, mapping);
    rows
}

/// Validates consecutive records, reusing scratch space from row to row.
fn validate_part(
    records: &[Record],
    mapping: &Mapping,
    columns: &Columns,
) -> (Vec<Row>, Vec<Keys>) {
    let mut scratch = Scratch::default();
    records
        .iter()
        .map(|r| validate_record(r, mapping, columns, &mut scratch))
        .unzip()
}

/// Buffers reused across rows, so that checking a row allocates only what the row keeps.
#[derive(Default)]
struct Scratch<'a> {
    uris: Vec<&'a str>,
    lower: String,
}

/// Where each field is, and how many cells the header has.
#[derive(Clone, Copy)]
struct Columns {
    /// The longest name the backend takes.
    max_name_chars: usize,
    name: Option<usize>,
    uris: Option<usize>,
    hook: Option<usize>,
    id: Option<usize>,
    count: usize,
}

/// Hashes of a row's lower-case name and its external id, computed with the other checks so
/// that the sequential duplicate pass only looks them up.
#[derive(Clone, Copy, Default)]
struct Keys {
    name: Option<u64>,
    id: Option<u64>,
}

fn key_of(text: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type KeyMap = HashMap<u64, usize, std::hash::BuildHasherDefault<PassThrough>>;

/// Checks one record on its own (duplicates are checked across rows later).
fn validate_record<'a>(
    record: &'a Record,
    mapping: &Mapping,
    columns: &Columns,
    scratch: &mut Scratch<'a>,
) -> (Row, Keys) {
    // A leading apostrophe before a formula character was added by an export or a results
    // file (see `formula::neutralize`): the value is what follows it.
    let cell = |col: Option<usize>| {
        col.and_then(|c| record.cells.get(c))
            .map_or("", |s| unneutralize(s.trim()))
    };
    let mut row = Row {
        row: record.row,
        ..Row::default()
    };
    let mut issues = Vec::new();
    let mut issue = |severity, field: Field, message: String| {
        issues.push(Issue {
            severity,
            column: mapping.header_of(field).to_owned(),
            message,
        });
    };

    let raw_name = cell(columns.name);
    match check_app_name(raw_name, columns.max_name_chars) {
        Ok(name) => {
            if name.starts_with(FORMULA_PREFIXES) {
                issue(
                    Severity::Warning,
                    Field::Name,
                    crate::tr!(
                        "import-name-formula",
                        char = name.get(..1).unwrap_or_default()
                    ),
                );
            }
            row.name = name;
        }
        Err(problem) => {
            row.name = raw_name.to_owned();
            issue(Severity::Error, Field::Name, problem);
        }
    }

    let uris_cell = cell(columns.uris);
    if !uris_cell.is_empty() {
        let uris = &mut scratch.uris;
        uris.clear();
        uris.extend(
            uris_cell
                .split(|c: char| c.is_whitespace() || c == ';' || c == '|')
                .filter(|s| !s.is_empty()),
        );
        match validate_redirect_uris(uris) {
            Ok(normalized) => row.redirect_uris = normalized,
            Err(problems) => {
                row.redirect_uris = uris.iter().map(|s| (*s).to_owned()).collect();
                for problem in problems {
                    issue(
                        Severity::Error,
                        Field::RedirectUris,
                        crate::tr!(
                            "import-uri-problem",
                            index = (problem.index + 1).to_string(),
                            uri = shorten(&problem.uri, 60),
                            problem = problem.problem.as_str()
                        ),
                    );
                }
            }
        }
    } else if columns.uris.is_some() {
        // The list flags apps without one; say so before they are made.
        issue(
            Severity::Warning,
            Field::RedirectUris,
            crate::tr!("import-no-redirect-uri"),
        );
    }

    let hook = cell(columns.hook);
    if !hook.is_empty() {
        if let Err(problem) = check_webhook_url(hook) {
            issue(Severity::Error, Field::WebhookUrl, problem);
        }
        row.webhook_url = Some(hook.to_owned());
    }

    let id = cell(columns.id);
    if !id.is_empty() {
        row.external_id = Some(id.to_owned());
    }

    row.issues = issues;
    let (cells, header_count) = (record.cells.len(), columns.count);
    if cells > header_count
        && record
            .cells
            .iter()
            .skip(header_count)
            .any(|c| !c.trim().is_empty())
    {
        row.issues.push(Issue {
            severity: Severity::Error,
            column: column_label(header_count + 1),
            message: crate::tr!(
                "import-too-many-cells",
                cells = cells,
                header = header_count
            ),
        });
    } else if cells < header_count {
        row.issues.push(Issue {
            severity: Severity::Warning,
            column: column_label(cells + 1),
            message: crate::tr!("import-too-few-cells", cells = cells, header = header_count),
        });
    }
    let name = (!row.name.is_empty()).then(|| {
        let lower = &mut scratch.lower;
        lower.clear();
        lower.extend(row.name.chars().flat_map(char::to_lowercase));
        key_of(lower)
    });
    let keys = Keys {
        name,
        id: row.external_id.as_deref().map(key_of),
    };
    (row, keys)
}

/// Warns on a second row with the same external id, or the same name in any case.
fn mark_duplicates(rows: &mut [Row], keys: &[Keys], mapping: &Mapping) {
    let mut first_with_id = KeyMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut first_with_name = KeyMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut found: Vec<(usize, Issue)> = Vec::new();
    for (i, (row, keys)) in rows.iter().zip(keys).enumerate() {
        if let Some(key) = keys.id {
            match first_with_id.get(&key) {
                // A hash match is checked against the text; a true collision is ignored.
                Some(&first) if rows[first].external_id == row.external_id => {
                    let first = rows[first].row;
                    found.push((
                        i,
                        Issue {
                            severity: Severity::Warning,
                            column: mapping.header_of(Field::ExternalId).to_owned(),
                            message: crate::tr!(
                                "import-duplicate-external-id",
                                first = first.to_string()
                            ),
                        },
                    ));
                }
                Some(_) => {}
                None => {
                    first_with_id.insert(key, i);
                }
            }
        }
        if let Some(key) = keys.name {
            match first_with_name.get(&key) {
                // The same external id is warned about above.
                Some(&first)
                    if same_ignoring_case(&rows[first].name, &row.name)
                        && (row.external_id.is_none()
                            || rows[first].external_id != row.external_id) =>
                {
                    // Rows are one app when neither has an external id (the import's rule),
                    // and two apps when their external ids tell them apart.
                    let one_app = rows[first].external_id.is_none() && row.external_id.is_none();
                    let first = rows[first].row;
                    let first = first.to_string();
                    let message = if one_app {
                        crate::tr!("import-duplicate-name", first = first)
                    } else {
                        crate::tr!("import-duplicate-name-both", first = first)
                    };
                    found.push((
                        i,
                        Issue {
                            severity: Severity::Warning,
                            column: mapping.header_of(Field::Name).to_owned(),
                            message,
                        },
                    ));
                }
                Some(_) => {}
                None => {
                    first_with_name.insert(key, i);
                }
            }
        }
    }
    for (i, issue) in found {
        rows[i].issues.push(issue);
    }
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The webhook address must be https, like the API requires, and otherwise follow the
/// redirect-URI rules (a host, no `#fragment`, at most 2048 characters): the client and the
/// server check the same before a webhook is saved.
fn check_webhook_url(raw: &str) -> Result<(), String> {
    let url = Url::parse(raw).map_err(|_| crate::tr!("import-webhook-not-url"))?;
    if url.scheme() != "https" || url.host_str().is_none() {
        return Err(crate::tr!("import-webhook-not-https"));
    }
    normalize_webhook_url(raw).map(|_| ())
}

/// A column the file has no header for, as an issue names it: "column 5" (a position, so it is
/// written without separators).
fn column_label(number: usize) -> String {
    crate::tr!("import-column-number", number = number.to_string())
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse::parse;

    fn rows(text: &str) -> Vec<Row> {
        let table = parse(text, None).unwrap();
        let mapping = Mapping::auto(&table.headers).unwrap();
        validate(&table, &mapping, crate::api::MAX_NAME_CHARS)
    }

    #[test]
    fn good_row_is_normalised() {
        let rows = rows(
            "name,redirectUris,webhookUrl,externalId\n Acme ,\"https://A.example.com/cb;https://a.example.com/cb2\",https://hooks.example.com/x,c-1\n",
        );
        let row = &rows[0];
        assert!(row.issues.is_empty(), "{:?}", row.issues);
        assert_eq!(row.row, 2);
        assert_eq!(row.name, "Acme");
        assert_eq!(
            row.redirect_uris,
            ["https://a.example.com/cb", "https://a.example.com/cb2"]
        );
        assert_eq!(row.external_id.as_deref(), Some("c-1"));
    }

    #[test]
    fn errors_name_row_column_and_fix() {
        let long = "x".repeat(101);
        let rows = rows(&format!(
            "name,redirect uri\n,https://a.example.com\n{long},\nB,http://b.example.com\nC,https://c.example.com/#x\n"
        ));
        assert!(rows.iter().all(|r| !r.is_valid()));
        assert!(rows[0].issues[0].message.contains("empty"));
        assert_eq!(rows[1].row, 3);
        assert!(rows[1].issues[0].message.contains("101"));
        assert_eq!(rows[2].issues[0].column, "redirect uri");
        assert!(rows[2].issues[0].message.contains("https"));
        assert!(rows[3].issues[0].message.contains("fragment"));
    }

    #[test]
    fn duplicates_and_formulas_warn() {
        let rows = rows("name,customer id\nAcme,1\nacme,2\n=HYPERLINK(\"x\"),1\n");
        assert!(rows.iter().all(Row::is_valid));
        assert!(rows[1].issues[0].message.contains("Row 2"));
        assert_eq!(rows[2].name, "=HYPERLINK(\"x\")");
        assert_eq!(rows[2].issues.len(), 2);
    }

    #[test]
    fn webhook_addresses_follow_the_api_rules_and_exported_cells_read_back() {
        let rows = rows(
            "name,webhookUrl,externalId\nA,https://h.example.com/in#x,\nB,http://h.example.com/in,\n\
             '=C,https://h.example.com/in,'-7\n",
        );
        assert!(
            rows[0].issue_text().contains("fragment"),
            "{}",
            rows[0].issue_text()
        );
        assert!(!rows[1].is_valid());
        assert!(rows[2].is_valid());
        assert_eq!(rows[2].name, "=C");
        assert_eq!(rows[2].external_id.as_deref(), Some("-7"));
    }

    #[test]
    fn ragged_rows() {
        let rows = rows("name,webhookUrl\nA\nB,https://h.example.com,extra\n");
        assert!(rows[0].is_valid());
        assert!(!rows[1].is_valid());
    }
}
