//! Terminal output: aligned tables that respect wide (CJK) characters, and JSON.

use std::io::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr as _;

/// Prints rows under a header, each column padded to its widest cell in terminal columns.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
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
    let _ = writeln!(out, "{}", line(&mut header.iter().copied()));
    for row in rows {
        let _ = writeln!(out, "{}", line(&mut row.iter().map(String::as_str)));
    }
}

/// Prints `label  value` pairs with the labels aligned.
pub fn print_fields(fields: &[(&str, String)]) {
    let width = fields.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (label, value) in fields {
        let _ = writeln!(out, "{label}{}  {value}", " ".repeat(width - label.width()));
    }
}

/// Prints pretty JSON on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), String> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| format!("could not write JSON: {e}"))?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    Ok(())
}
