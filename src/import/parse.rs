//! Text to a table (csv crate): delimiter sniffed outside quotes, quoted multi-line cells,
//! blank rows skipped but counted, ragged rows kept and reported by `validate`.

use super::ImportError;

/// Delimiters the sniffer chooses among, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Most data rows a file may hold; larger files are refused before they fill the memory.
pub const MAX_ROWS: usize = 1_000_000;

/// A parsed file: the header row and the data rows, with their spreadsheet row numbers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub records: Vec<Record>,
    pub delimiter: u8,
    /// The delimiter was sniffed, not given.
    pub delimiter_guessed: bool,
    /// Blank rows skipped (empty lines, or rows of empty cells).
    pub blank_rows: usize,
}

/// One data row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// The row number a spreadsheet shows: the header is row 1, blank rows count.
    pub row: usize,
    /// The cells, as the csv crate keeps them: one buffer per row, not one per cell.
    pub cells: csv::StringRecord,
}

/// A delimiter as people name it: "comma", "semicolon", "tab", "|".
pub fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b',' => crate::tr!("csv-delimiter-comma"),
        b';' => crate::tr!("csv-delimiter-semicolon"),
        b'\t' => crate::tr!("csv-delimiter-tab"),
        b'|' => crate::tr!("csv-delimiter-bar"),
        other => format!("\"{}\"", other as char),
    }
}

/// Reads a delimiter given as a character or a name (`tab`, `\t`, `semicolon`, ...).
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    let byte = match text.to_ascii_lowercase().as_str() {
        "tab" | "\\t" | "\t" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" | "bar" => b'|',
        other if other.len() == 1 && other.is_ascii() && other != "\"" => other.as_bytes()[0],
        _ => {
            return Err(crate::tr!("csv-delimiter-invalid", text = text));
        }
    };
    Ok(byte)
}

/// Parses decoded text. `delimiter` overrides sniffing.
pub fn parse(text: &str, delimiter: Option<u8>) -> Result<Table, ImportError> {
    let mut records = Vec::new();
    let mut table = parse_blocks(text, delimiter, usize::MAX, &mut |_, mut block| {
        records.append(&mut block);
    })?;
    table.records = records;
    Ok(table)
}

/// Parses like [`parse`], but hands the data rows to `on_block` (with the headers) in blocks of
/// `block_size` as they are read, so that they can be checked while the rest is parsed. The
/// returned table has no records.
pub fn parse_blocks(
    text: &str,
    delimiter: Option<u8>,
    block_size: usize,
    on_block: &mut dyn FnMut(&[String], Vec<Record>),
) -> Result<Table, ImportError> {
    let (delimiter, delimiter_guessed) = match delimiter {
        Some(d) => (d, false),
        None => (sniff_delimiter(text), true),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table {
        delimiter,
        delimiter_guessed,
        ..Table::default()
    };
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let mut have_header = false;
    let mut block = Vec::new();
    let mut total = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // A row number, not a quantity: written without separators.
                let near = (row + 1).to_string();
                return Err(ImportError::worded(|| {
                    crate::tr!(
                        "csv-read-failed",
                        row = near.clone(),
                        reason = csv_error_text(&e)
                    )
                }));
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let skipped_lines = blank_lines_before(text.as_bytes(), start);
        row += 1 + skipped_lines;
        table.blank_rows += skipped_lines;
        let is_blank = record.iter().all(|cell| cell.trim().is_empty());
        if !have_header {
            if is_blank {
                continue;
            }
            table.headers = record.iter().map(|h| h.trim().to_owned()).collect();
            have_header = true;
            // Rows are numbered from the header, which is row 1 even after leading blank lines.
            row = 1;
            continue;
        }
        if is_blank {
            table.blank_rows += 1;
            continue;
        }
        if total >= MAX_ROWS {
            return Err(ImportError::worded(|| {
                crate::tr!("csv-too-many-rows", max = MAX_ROWS.to_string())
            }));
        }
        total += 1;
        block.push(Record {
            row,
            cells: {
                let next = csv::StringRecord::with_capacity(record.as_slice().len(), record.len());
                std::mem::replace(&mut record, next)
            },
        });
        if block.len() >= block_size {
            on_block(&table.headers, std::mem::take(&mut block));
        }
    }
    if !block.is_empty() {
        on_block(&table.headers, block);
    }
    if !have_header {
        return Err(ImportError::worded(|| crate::tr!("csv-no-header")));
    }
    Ok(table)
}

/// The csv crate skips empty lines and starts the next record's position before them; a
/// spreadsheet shows each one as a row. A CRLF split by the previous record's end is no row.
fn blank_lines_before(text: &[u8], start: usize) -> usize {
    let rest = text.get(start..).unwrap_or_default();
    let leading = rest
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|b| **b == b'\n')
        .count();
    let split_crlf = rest.first() == Some(&b'\n') && start > 0 && text[start - 1] == b'\r';
    leading - usize::from(split_crlf && leading > 0)
}

fn csv_error_text(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => crate::tr!("csv-error-invalid-text"),
        _ => crate::tr!("csv-error-quoting"),
    }
}

/// Picks the delimiter whose count outside quotes is the same on most of the first lines,
/// preferring the one that appears in the header row.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines = logical_lines(text, 50);
    let Some(header) = lines.first() else {
        return b',';
    };
    let mut best = (b',', 0usize, 0usize);
    for delimiter in DELIMITERS {
        let header_count = count_outside_quotes(header, delimiter);
        if header_count == 0 {
            continue;
        }
        let consistent = lines
            .iter()
            .skip(1)
            .filter(|line| count_outside_quotes(line, delimiter) == header_count)
            .count();
        if (consistent, header_count) > (best.1, best.2) {
            best = (delimiter, consistent, header_count);
        }
    }
    best.0
}

/// The first `limit` non-blank records as text, splitting on line ends outside quotes: LF,
/// CRLF, or CR alone (Excel for Mac's "CSV (Macintosh)"), as the csv crate reads them.
fn logical_lines(text: &str, limit: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => {
                let line = &text[start..i];
                if !line.trim().is_empty() {
                    lines.push(line);
                    if lines.len() == limit {
                        return lines;
                    }
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = &text[start..];
    if !last.trim().is_empty() && lines.len() < limit {
        lines.push(last);
    }
    lines
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for byte in line.bytes() {
        if byte == b'"' {
            in_quotes = !in_quotes;
        } else if byte == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_delimiter() {
        assert_eq!(sniff_delimiter("name,uri\na,b\n"), b',');
        assert_eq!(sniff_delimiter("Name;Redirect\n\"a;b\";c\nd;e\n"), b';');
        assert_eq!(sniff_delimiter("name\turi\na\tb"), b'\t');
        assert_eq!(sniff_delimiter("name|uri\na|b"), b'|');
        // Commas inside quotes do not count.
        assert_eq!(sniff_delimiter("name;note\n\"a, b, c\";x\n"), b';');
        assert_eq!(sniff_delimiter("name\nAcme\n"), b',');
    }

    #[test]
    fn lines_ended_by_cr_alone_are_sniffed_line_by_line() {
        let text = "name,redirectUris\rAcme,https://a.example.com/1;https://a.example.com/2;\
                    https://a.example.com/3\rBeta,https://b.example.com/1;https://b.example.com/2;\
                    https://b.example.com/3\r";
        assert_eq!(sniff_delimiter(text), b',');
        let table = parse(text, None).unwrap();
        assert_eq!(table.headers, ["name", "redirectUris"]);
        assert_eq!(table.records.len(), 2);
    }

    #[test]
    fn row_numbers_count_blank_lines_and_multiline_cells() {
        let text =
            "name,uris\n\nAcme,\"https://a.example.com/1\nhttps://a.example.com/2\"\n,\nBeta,x\n";
        let table = parse(text, None).unwrap();
        assert_eq!(table.headers, ["name", "uris"]);
        let rows: Vec<usize> = table.records.iter().map(|r| r.row).collect();
        assert_eq!(rows, [3, 5]);
        assert_eq!(table.blank_rows, 2);
        assert!(table.records[0].cells[1].contains('\n'));
        let crlf = parse("name\r\nA\r\n\r\nB\r\nC\r\n", None).unwrap();
        let rows: Vec<usize> = crlf.records.iter().map(|r| r.row).collect();
        assert_eq!(rows, [2, 4, 5]);
    }

    #[test]
    fn ragged_rows_are_kept() {
        let table = parse("name,uri\nA\nB,c,d\n", Some(b',')).unwrap();
        assert_eq!(table.records[0].cells.len(), 1);
        assert_eq!(table.records[1].cells.len(), 3);
    }

    #[test]
    fn delimiter_words() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("ab").is_err());
    }
}
