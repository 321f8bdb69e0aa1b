//! Formula neutralising for CSV cells: which leading characters make a spreadsheet run a cell as
//! a formula, the apostrophe that makes such a cell text on the way out, and taking it off again
//! on the way in.

/// Characters that make a spreadsheet evaluate a cell as a formula.
pub const FORMULA_PREFIXES: [char; 4] = ['=', '+', '-', '@'];

/// Whether a spreadsheet could run the cell as a formula: a formula character first, or a tab or
/// carriage return (OWASP's CSV-injection list).
fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_PREFIXES) || cell.starts_with(['\t', '\r'])
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe, which it shows as text.
pub fn neutralize(cell: &str) -> String {
    if runs_as_formula(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A CSV for spreadsheets: a BOM (so Excel reads accents and CJK right), `header`, then each
/// row with every cell [`neutralize`]d.
pub fn spreadsheet_csv<R, C>(header: &[&str], rows: impl IntoIterator<Item = R>) -> Vec<u8>
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.into_iter().map(|cell| neutralize(cell.as_ref())));
    }
    writer.into_inner().unwrap_or_default()
}

/// The cell [`neutralize`] was given: a leading apostrophe before a formula character is
/// dropped, so an exported or results file imports back as it was.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if runs_as_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("Acme"), "Acme");
        for cell in ["=1+1", "@SUM(A1)", "+49", "-x", "Acme", "'quoted", "'", ""] {
            assert_eq!(unneutralize(&neutralize(cell)), cell);
        }
    }
}
