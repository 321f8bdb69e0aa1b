//! Terminal output: aligned tables that respect wide (CJK) characters, and JSON. Text from a
//! server is printed without control characters, so a name cannot move the cursor, clear the
//! screen or forge a line of output.

use std::io::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

/// `text` with every control character (line breaks, tabs, escape sequences, bidirectional
/// overrides) replaced by a visible `?` or a space.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            // Bidirectional overrides and isolates reorder what the terminal shows.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '?',
            c if c.is_control() => '?',
            c => c,
        })
        .collect()
}

/// Prints rows under a header, each column padded to its widest cell in terminal columns.
pub fn print_table<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = header.iter().map(|h| h.as_ref().width()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut out = std::io::stdout().lock();
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut text = String::new();
        for (i, (cell, width)) in cells.zip(&widths).enumerate() {
            let last = i + 1 == widths.len();
            text.push_str(cell);
            if !last {
                text.push_str(&" ".repeat(width.saturating_sub(cell.width()) + 2));
            }
        }
        text
    };
    let _ = writeln!(out, "{}", line(&mut header.iter().map(AsRef::as_ref)));
    for row in rows {
        let _ = writeln!(out, "{}", line(&mut row.iter().map(String::as_str)));
    }
}

/// Prints `label  value` pairs with the labels aligned (in terminal columns, so Korean labels
/// line up too).
pub fn print_fields<S: AsRef<str>>(fields: &[(S, String)]) {
    let width = fields
        .iter()
        .map(|(l, _)| l.as_ref().width())
        .max()
        .unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (label, value) in fields {
        let label = label.as_ref();
        let value = printable(value);
        let _ = writeln!(out, "{label}{}  {value}", " ".repeat(width - label.width()));
    }
}

/// Prints pretty JSON on stdout with credential-looking fields (a provider's `clientSecret`,
/// `password`, …) masked. For the one-time output of a secret, use [`print_json`] on a value
/// whose other parts were masked with [`crate::api::redact::mask_secrets`].
pub fn print_masked_json<T: Serialize + ?Sized>(value: &T) -> Result<(), String> {
    let mut value = serde_json::to_value(value).map_err(|e| json_failed(&e))?;
    crate::api::redact::mask_secrets(&mut value);
    print_json(&value)
}

/// Prints pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| json_failed(&e))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    Ok(())
}

/// "could not write JSON: …", in the language in use (the JSON itself never changes with it).
pub fn json_failed(error: &dyn std::fmt::Display) -> String {
    crate::tr!("cli-json-failed", error = error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_not_printed() {
        assert_eq!(printable("Acme\x1b[2J\r\nBank"), "Acme?[2J  Bank");
        assert_eq!(printable("evil\u{202E}txt.exe"), "evil?txt.exe");
        assert_eq!(printable("한국 은행"), "한국 은행");
    }
}
