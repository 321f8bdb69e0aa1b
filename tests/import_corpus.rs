//! The CSV import against the corpus in tests/data/import (made by scripts/make_import_corpus.py):
//! each realistic file has asserted outcomes, and the 250-row file is imported into the sandbox.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use connect_console::import::{
    self, CancelFlag, Field, Prepared, ReadOptions, RowStatus, RunOptions, Severity,
};
use connect_console::sandbox::SandboxConfig;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

fn prepare(name: &str) -> Prepared {
    import::prepare_file(&corpus(name), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn refused(name: &str) -> String {
    import::prepare_file(&corpus(name), &ReadOptions::default())
        .expect_err("the file is refused")
        .0
}

fn names(prepared: &Prepared) -> Vec<&str> {
    prepared.rows.iter().map(|r| r.name.as_str()).collect()
}

#[test]
fn german_excel_cp1252_with_semicolons() {
    let p = prepare("german_excel_cp1252_semicolon.csv");
    assert_eq!(p.encoding, "windows-1252");
    assert!(p.encoding_guessed);
    assert_eq!(p.table.delimiter, b';');
    assert_eq!(
        names(&p),
        [
            "Müller Bäckerei GmbH",
            "Straßenbau Weiß AG",
            "Grüner Hof; Café & Bistro",
            "Öko-Energie Süd eG",
            "Fahrschule Äpfelbaum"
        ]
    );
    // The last row has no redirect URI: imported, with a warning.
    assert_eq!(p.counts(), (4, 1, 0));
    assert!(p.rows[4].issue_text().contains("No redirect URI"));
    assert_eq!(p.mapping.column_of(Field::RedirectUris), Some(1));
    assert_eq!(p.mapping.column_of(Field::ExternalId), Some(2));
    assert_eq!(p.mapping.unknown(), ["Bemerkung"]);
    assert_eq!(p.rows[0].external_id.as_deref(), Some("K-1001"));
    assert!(p.rows[4].redirect_uris.is_empty());
}

#[test]
fn utf8_with_bom_and_cjk_names() {
    let p = prepare("utf8_bom_cjk.csv");
    assert_eq!((p.encoding, p.encoding_guessed), ("UTF-8", false));
    assert_eq!(
        p.table.headers[0], "이름",
        "the BOM is not part of the header"
    );
    assert_eq!(p.counts(), (6, 0, 0));
    assert_eq!(p.rows[1].name, "서울페이");
    assert_eq!(p.rows[1].redirect_uris.len(), 2);
    assert_eq!(p.rows[2].name, "さくら証券");
    assert_eq!(p.rows[5].external_id.as_deref(), Some("CH-001"));
}

#[test]
fn utf16_tab_separated_both_byte_orders() {
    for (file, encoding) in [
        ("utf16le_tab.txt", "UTF-16LE"),
        ("utf16be_tab.txt", "UTF-16BE"),
    ] {
        let p = prepare(file);
        assert_eq!(p.encoding, encoding);
        assert_eq!(p.table.delimiter, b'\t');
        assert_eq!(p.counts(), (4, 0, 0), "{file}");
        assert_eq!(p.rows[1].name, "Ålesund Fisk AS");
        assert_eq!(p.rows[3].name, "東京ホテル");
        assert_eq!(
            p.rows[0].webhook_url.as_deref(),
            Some("https://hooks.nordlicht.example.com/connect")
        );
        assert_eq!(p.rows[2].redirect_uris.len(), 2);
    }
}

#[test]
fn quoted_cells_with_newlines() {
    let p = prepare("quoted_multiline.csv");
    assert_eq!(p.rows.len(), 4);
    assert_eq!(p.rows[0].name, "Acme, Inc.");
    assert_eq!(p.rows[0].redirect_uris.len(), 3);
    assert_eq!(p.rows[1].name, "The \"Best\" Shop");
    // Row numbers count records, not lines: the three-line cell is one spreadsheet row.
    assert_eq!(
        p.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    let two_lines = &p.rows[2];
    assert!(!two_lines.is_valid());
    assert!(two_lines.issue_text().contains("line break"));
    assert_eq!(p.rows[3].redirect_uris.len(), 2);
    assert_eq!(p.counts(), (3, 0, 1));
}

#[test]
fn alias_headers_pipes_and_blank_lines() {
    let p = prepare("aliases_blank_lines.csv");
    assert_eq!(p.table.delimiter, b'|');
    assert_eq!(names(&p), ["Alpha Ltd", "Beta Ltd", "Gamma Ltd"]);
    assert_eq!(p.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [3, 5, 8]);
    assert_eq!(p.mapping.unknown(), ["Notes"]);
    assert_eq!(p.rows[2].external_id.as_deref(), Some("C-03"));
    // Gamma has no redirect URI: a warning, still imported.
    assert_eq!(p.counts(), (2, 1, 0));
}

#[test]
fn invalid_rows_say_row_column_and_fix() {
    let p = prepare("invalid_rows.csv");
    let issue = |row: usize| {
        let r = p.rows.iter().find(|r| r.row == row).expect("row exists");
        (r.is_valid(), r.issue_text())
    };
    assert_eq!(issue(2), (true, String::new()));
    let (ok, text) = issue(3);
    assert!(
        !ok && text.starts_with("name: The app name is empty"),
        "{text}"
    );
    let (ok, text) = issue(4);
    assert!(!ok && text.contains("101 characters"), "{text}");
    let (ok, text) = issue(5);
    assert!(
        !ok && text.starts_with("redirectUris: ") && text.contains("https"),
        "{text}"
    );
    let (ok, text) = issue(6);
    assert!(!ok && text.contains("fragment"), "{text}");
    let (ok, text) = issue(7);
    assert!(!ok && text.starts_with("webhookUrl: "), "{text}");
    let (ok, text) = issue(8);
    assert!(
        !ok && text.contains("5 cells but the header has 4"),
        "{text}"
    );
    let (ok, text) = issue(9);
    assert!(ok && text.contains("Row 2 has the same name"), "{text}");
    let (ok, text) = issue(10);
    assert!(
        ok && text.contains("Row 2 has the same external id"),
        "{text}"
    );
    assert_eq!(issue(11), (true, String::new()));
    assert_eq!(p.counts(), (2, 2, 6));

    let report = offline_dry_run(&p);
    let summary = report.summary();
    assert_eq!(
        (
            summary.ready,
            summary.skipped,
            summary.invalid,
            summary.total
        ),
        (3, 1, 6, 10)
    );
    assert!(!summary.all_done());
    let severities: Vec<Severity> = p.rows[6].issues.iter().map(|i| i.severity).collect();
    assert_eq!(severities, [Severity::Error]);
}

#[test]
fn formula_cells_stay_text_and_are_neutralised_in_results() {
    let p = prepare("formulas.csv");
    assert_eq!(
        names(&p),
        [
            "=HYPERLINK(\"https://evil.example.com\",\"click\")",
            "+49 Telekom",
            "-Minus Corp",
            "@SUM(A1:A2)",
            "Normal Name"
        ]
    );
    assert!(p.rows.iter().all(|r| r.is_valid()));
    assert!(p.rows[0].issue_text().contains("plain text"));
    let results = String::from_utf8(offline_dry_run(&p).results_csv()).unwrap();
    for line in results.lines().skip(1) {
        let name = line.split(',').nth(1).unwrap();
        assert!(!name.starts_with(['=', '+', '-', '@']), "{line}");
    }
    assert!(results.contains(",'=1+2,"), "{results}");
}

#[test]
fn refused_files_say_why() {
    assert!(refused("binary.csv").contains("does not contain text"));
    assert!(refused("empty.csv").contains("empty"));
    assert!(refused("header_only.csv").contains("no apps below it"));
    let no_name = refused("no_name_column.csv");
    assert!(no_name.contains("\"Kunde\", \"URL\""), "{no_name}");
}

#[test]
fn overrides_win_over_detection() {
    let options = ReadOptions {
        encoding: Some("utf-8".into()),
        delimiter: Some(b','),
        ..ReadOptions::default()
    };
    let p = import::prepare_file(&corpus("german_excel_cp1252_semicolon.csv"), &options);
    // Read as UTF-8 with commas, the German file has one column named like the whole header.
    assert!(p.is_err());
    let options = ReadOptions {
        encoding: Some("windows-1252".into()),
        delimiter: None,
        ..ReadOptions::default()
    };
    let p = import::prepare_file(&corpus("german_excel_cp1252_semicolon.csv"), &options).unwrap();
    assert!(!p.encoding_guessed);
    assert_eq!(p.rows[1].name, "Straßenbau Weiß AG");
}

#[tokio::test]
async fn file_of_250_rows_goes_in_3_batches_and_twice_creates_nothing_new() {
    let sandbox = common::start(SandboxConfig::default()).await;
    let client = common::client(&sandbox);
    let journal = tempfile::tempdir().unwrap();
    let p = prepare("rows_250.csv");
    let plan = import::plan(
        &p.rows,
        &import::Existing::default(),
        &Default::default(),
        import::ExistingMode::Skip,
    );
    assert_eq!(
        plan.create_batches()
            .iter()
            .map(Vec::len)
            .collect::<Vec<_>>(),
        [100, 100, 50]
    );
    let before = sandbox.app_count();
    let options = RunOptions {
        retry: common::fast_retry(),
        ..RunOptions::default()
    };
    let mut updates = 0;
    let report = import::import(
        &client,
        &p,
        journal.path(),
        &options,
        &CancelFlag::default(),
        |_| updates += 1,
    )
    .await
    .unwrap();
    assert_eq!(report.summary().created, 250);
    assert_eq!(report.secret_count(), 250);
    assert_eq!(
        updates, 4,
        "one progress event at the start and one per batch"
    );
    assert_eq!(sandbox.app_count() - before, 250);
    assert!(
        report
            .rows
            .iter()
            .all(|r| r.status == RowStatus::Created && r.client_id.is_some())
    );

    // The same file again: everything is in the journal, nothing is sent.
    let again = import::import(
        &client,
        &p,
        journal.path(),
        &options,
        &CancelFlag::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(again.summary().created_earlier, 250);
    assert_eq!(again.secret_count(), 0);
    assert_eq!(sandbox.app_count() - before, 250);

    // Even with the journal lost, nothing is created twice: rows with an external id are
    // replayed by their keys, rows matched by name exist already.
    let fresh_journal = tempfile::tempdir().unwrap();
    let replayed = import::import(
        &client,
        &p,
        fresh_journal.path(),
        &options,
        &CancelFlag::default(),
        |_| {},
    )
    .await
    .unwrap();
    let summary = replayed.summary();
    assert_eq!(
        summary.created + summary.exists,
        250,
        "{}",
        summary.sentence()
    );
    assert_eq!(sandbox.app_count() - before, 250);
}

/// A dry run that compares with no workspace (every valid row is new).
fn offline_dry_run(p: &import::Prepared) -> import::ImportReport {
    import::dry_run(
        p,
        &import::Existing::default(),
        &Default::default(),
        import::ExistingMode::Skip,
    )
}
