//! The rows a user has to fix, as a CSV in the import's own columns plus the reason, so the
//! file can be corrected in a spreadsheet and imported again.

use super::formula::spreadsheet_csv;
use super::map::Field;
use super::validate::Row;

/// A BOM (so Excel reads accents and CJK right), the import's header plus `problem`, and one
/// line per row with its problem. Formula-like cells are neutralised, as in every file the
/// console writes; the import reads them back as written.
pub fn rows_to_fix_csv<'a>(rows: impl IntoIterator<Item = (&'a Row, String)>) -> Vec<u8> {
    let mut header: Vec<&str> = Field::ALL.map(Field::header).to_vec();
    header.push("problem");
    spreadsheet_csv(
        &header,
        rows.into_iter().map(|(row, problem)| {
            [
                row.name.clone(),
                row.redirect_uris.join(" "),
                row.webhook_url.clone().unwrap_or_default(),
                row.external_id.clone().unwrap_or_default(),
                problem,
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::validate::{Issue, Severity};

    #[test]
    fn the_file_has_the_import_columns_the_reason_and_no_formula() {
        let row = Row {
            row: 7,
            name: "=cmd".into(),
            redirect_uris: vec!["http://a.example/cb".into(), "https://b.example".into()],
            webhook_url: None,
            external_id: Some("c-7".into()),
            issues: vec![Issue {
                severity: Severity::Error,
                column: "redirectUris".into(),
                message: "Use https://".into(),
            }],
        };
        let bytes = rows_to_fix_csv([(&row, row.issue_text())]);
        let text = String::from_utf8(bytes).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next(),
            Some("name,redirectUris,webhookUrl,externalId,problem")
        );
        assert_eq!(
            lines.next(),
            Some("'=cmd,http://a.example/cb https://b.example,,c-7,redirectUris: Use https://")
        );
        assert_eq!(lines.next(), None);
    }
}
