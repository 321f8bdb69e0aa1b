//! Per-row checks: each issue names the spreadsheet row, the column, what is wrong and the fix.
//! Reuses the client's name rule and the documented redirect-URI rules.

use std::collections::HashMap;

use url::Url;

use super::map::{Field, Mapping};
use super::parse::Table;
use crate::api::redirect_uris::validate_redirect_uris;
use crate::api::validate_app_name;

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

/// Characters that make a spreadsheet evaluate a cell as a formula.
pub const FORMULA_PREFIXES: [char; 4] = ['=', '+', '-', '@'];

/// Validates every record of the table through the mapping.
pub fn validate(table: &Table, mapping: &Mapping) -> Vec<Row> {
    let column = |field| mapping.column_of(field);
    let (name_col, uri_col, hook_col, id_col) = (
        column(Field::Name),
        column(Field::RedirectUris),
        column(Field::WebhookUrl),
        column(Field::ExternalId),
    );
    let header_count = table.headers.len();
    let mut rows = Vec::with_capacity(table.records.len());
    let mut first_with_name: HashMap<String, usize> = HashMap::new();
    let mut first_with_id: HashMap<String, usize> = HashMap::new();
    for record in &table.records {
        let cell = |col: Option<usize>| {
            col.and_then(|c| record.cells.get(c))
                .map_or("", |s| s.trim())
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

        let raw_name = cell(name_col);
        match validate_app_name(raw_name) {
            Ok(name) => {
                if name.starts_with(FORMULA_PREFIXES) {
                    issue(
                        Severity::Warning,
                        Field::Name,
                        format!(
                            "The name starts with \"{}\"; it is used as plain text, exactly as written",
                            &name[..1]
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

        let uris_cell = cell(uri_col);
        if !uris_cell.is_empty() {
            let uris: Vec<&str> = uris_cell
                .split(|c: char| c.is_whitespace() || c == ';' || c == '|')
                .filter(|s| !s.is_empty())
                .collect();
            match validate_redirect_uris(&uris) {
                Ok(normalized) => row.redirect_uris = normalized,
                Err(problems) => {
                    row.redirect_uris = uris.iter().map(|s| (*s).to_owned()).collect();
                    for problem in problems {
                        issue(
                            Severity::Error,
                            Field::RedirectUris,
                            format!(
                                "Address {} ({}): {}",
                                problem.index + 1,
                                shorten(&problem.uri, 60),
                                problem.problem
                            ),
                        );
                    }
                }
            }
        }

        let hook = cell(hook_col);
        if !hook.is_empty() {
            if let Err(problem) = check_webhook_url(hook) {
                issue(Severity::Error, Field::WebhookUrl, problem);
            }
            row.webhook_url = Some(hook.to_owned());
        }

        let id = cell(id_col);
        if !id.is_empty() {
            row.external_id = Some(id.to_owned());
            if let Some(first) = first_with_id.get(id) {
                issue(
                    Severity::Warning,
                    Field::ExternalId,
                    format!(
                        "Row {first} has the same external id; only row {first} is imported. \
                         Give each customer its own id if both are meant"
                    ),
                );
            } else {
                first_with_id.insert(id.to_owned(), record.row);
            }
        }

        if !row.name.is_empty() {
            let key = row.name.to_lowercase();
            if let Some(first) = first_with_name.get(&key) {
                issue(
                    Severity::Warning,
                    Field::Name,
                    format!(
                        "Row {first} has the same name; both rows create an app. Delete one \
                         if this is a mistake"
                    ),
                );
            } else {
                first_with_name.insert(key, record.row);
            }
        }

        row.issues = issues;
        let cells = record.cells.len();
        if cells > header_count
            && record.cells[header_count..]
                .iter()
                .any(|c| !c.trim().is_empty())
        {
            row.issues.push(Issue {
                severity: Severity::Error,
                column: format!("column {}", header_count + 1),
                message: format!(
                    "The row has {cells} cells but the header has {header_count}; a value \
                     probably contains the delimiter. Put that value in double quotes"
                ),
            });
        } else if cells < header_count {
            row.issues.push(Issue {
                severity: Severity::Warning,
                column: format!("column {}", cells + 1),
                message: format!(
                    "The row has {cells} cells but the header has {header_count}; the missing \
                     cells are read as empty"
                ),
            });
        }
        rows.push(row);
    }
    rows
}

/// The webhook address must be https, like the API requires.
fn check_webhook_url(raw: &str) -> Result<(), String> {
    let url = Url::parse(raw).map_err(|_| {
        "This is not a full web address; write it like https://example.com/webhooks".to_owned()
    })?;
    if url.scheme() != "https" || url.host_str().is_none() {
        return Err(
            "Use an https:// address with a host, like https://example.com/webhooks".into(),
        );
    }
    Ok(())
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
        validate(&table, &mapping)
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
    fn ragged_rows() {
        let rows = rows("name,webhookUrl\nA\nB,https://h.example.com,extra\n");
        assert!(rows[0].is_valid());
        assert!(!rows[1].is_valid());
    }
}
