//! Fuzzing on stable Rust: property tests that feed arbitrary and structured bytes to every
//! decoder of outside data (the CSV import's decode, parse, validate and prepare steps; the API's
//! app, page, error and workflow decoders; the workflow graph, lint and layout) and check that
//! nothing panics and that what comes back is sane.
//!
//! Each target runs a small number of cases by default so the file stays quick in a debug build.
//! `FUZZ_CASES=N` sets the cases per target; `FUZZ_SEED=N` changes the deterministic seed. The
//! ignored `long_run_over_all_targets` runs every target (100,000 cases each unless
//! `FUZZ_CASES` says otherwise; `FUZZ_TARGETS=a,b` picks some) on all cores and prints the
//! figures:
//!
//! ```sh
//! cargo test --release --test fuzz -- --ignored --nocapture
//! ```

// A failed unwrap in a test is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use connect_console::api::{
    ApiError, App, ErrorKind, Workflow, decode_app_page, decode_body, redirect_uris::normalize_uri,
};
use connect_console::import::parse::{self, DELIMITERS, MAX_ROWS};
use connect_console::import::{
    Field, ImportError, Mapping, ReadOptions, Row, Severity, Table, decode, import_id, prepare,
    validate,
};
use connect_console::workflow::{
    Graph, LayoutConfig, ProviderState, describe_settings, layout, lint, next_in_words,
    reading_order, summary, to_dot,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// Running targets
// ---------------------------------------------------------------------------------------------

/// One thing fuzzed: its name, its cases in a plain `cargo test`, and how to run it.
struct Target {
    name: &'static str,
    quick_cases: u32,
    run: fn(&mut TestRunner) -> Result<(), String>,
}

const TARGETS: &[Target] = &[
    Target {
        name: "csv_decode_raw_bytes",
        quick_cases: 300,
        run: csv_decode_raw_bytes,
    },
    Target {
        name: "csv_decode_structured",
        quick_cases: 200,
        run: csv_decode_structured,
    },
    Target {
        name: "csv_parse",
        quick_cases: 200,
        run: csv_parse,
    },
    Target {
        name: "csv_validate",
        quick_cases: 150,
        run: csv_validate,
    },
    Target {
        name: "csv_prepare_raw_bytes",
        quick_cases: 200,
        run: csv_prepare_raw_bytes,
    },
    Target {
        name: "csv_prepare_structured",
        quick_cases: 150,
        run: csv_prepare_structured,
    },
    Target {
        name: "api_app_page",
        quick_cases: 150,
        run: api_app_page,
    },
    Target {
        name: "api_app",
        quick_cases: 150,
        run: api_app,
    },
    Target {
        name: "api_error_envelope",
        quick_cases: 300,
        run: api_error_envelope,
    },
    Target {
        name: "api_item_error",
        quick_cases: 300,
        run: api_item_error,
    },
    Target {
        name: "workflow_pipeline",
        quick_cases: 150,
        run: workflow_pipeline,
    },
    Target {
        name: "journal_reader",
        quick_cases: 150,
        run: journal_reader::run,
    },
];

/// `FUZZ_CASES`, if set.
fn cases_from_env() -> Option<u32> {
    std::env::var("FUZZ_CASES").ok()?.trim().parse().ok()
}

/// `FUZZ_SEED`, or a fixed seed so that a plain test run is deterministic.
fn seed_from_env() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0x5EED_C0DE_2024)
}

/// A runner with its own deterministic random stream per target, writing no files.
fn runner(name: &str, cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..Config::default()
    };
    // FNV-1a of the name mixed with the seed: each target gets its own stream.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed_from_env();
    for byte in name.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut seed = [0u8; 16];
    seed[..8].copy_from_slice(&hash.to_le_bytes());
    seed[8..].copy_from_slice(&(!hash).rotate_left(17).to_le_bytes());
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::XorShift, &seed))
}

/// Runs one target with `FUZZ_CASES` or its quick count; panics with the smallest failing input.
fn check(name: &str) {
    let target = TARGETS
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no target {name}"));
    let cases = cases_from_env().unwrap_or(target.quick_cases);
    if let Err(failure) = (target.run)(&mut runner(target.name, cases)) {
        panic!("{}: {failure}", target.name);
    }
}

/// Runs a strategy through a test and turns a failure into text naming the input.
fn run_target<S: Strategy>(
    runner: &mut TestRunner,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> Result<(), String>
where
    S::Value: std::fmt::Debug,
{
    runner.run(&strategy, test).map_err(|e| {
        let text = e.to_string();
        // A failing input can be megabytes; keep the report readable.
        if text.len() > 20_000 {
            format!(
                "{}… ({} bytes in all)",
                &text[..text.floor_char_boundary(20_000)],
                text.len()
            )
        } else {
            text
        }
    })
}

#[test]
fn csv_decode_never_panics_on_raw_bytes() {
    check("csv_decode_raw_bytes");
}

#[test]
fn csv_decode_never_panics_on_csv_like_bytes() {
    check("csv_decode_structured");
}

#[test]
fn csv_parse_keeps_row_numbers_in_range() {
    check("csv_parse");
}

#[test]
fn csv_validate_gives_sane_rows() {
    check("csv_validate");
}

#[test]
fn csv_prepare_never_panics_on_raw_bytes() {
    check("csv_prepare_raw_bytes");
}

#[test]
fn csv_prepare_agrees_with_the_steps_run_one_by_one() {
    check("csv_prepare_structured");
}

#[test]
fn app_page_decoder_never_panics() {
    check("api_app_page");
}

#[test]
fn app_decoder_never_panics_and_hides_secrets() {
    check("api_app");
}

#[test]
fn error_envelope_always_gives_a_bounded_sentence() {
    check("api_error_envelope");
}

#[test]
fn item_error_always_gives_a_bounded_sentence() {
    check("api_item_error");
}

#[test]
fn workflow_graph_lint_and_layout_never_panic() {
    check("workflow_pipeline");
}

#[test]
fn journal_reader_keeps_every_whole_entry_after_damaged_lines() {
    check("journal_reader");
}

/// The import journal's reader: journals of whole entries mixed with damaged lines (random
/// bytes, non-UTF-8, cut JSON, JSON that is not an entry, very long lines), maybe ending in a line
/// torn by a crash. Opening one must give, for each row identity, its last whole entry; and an
/// entry appended after a torn tail must be read back on the next open.
mod journal_reader {
    use std::collections::HashMap;

    use connect_console::import::journal::{EntryState, Journal, JournalEntry, read_entries};

    use super::*;

    /// One line of a generated journal.
    #[derive(Debug, Clone)]
    enum Line {
        Entry(JournalEntry),
        /// A whole entry's JSON cut after this many bytes (never whole).
        Cut(JournalEntry, Index),
        Bytes(Vec<u8>),
        /// JSON that parses but is not an entry.
        NotAnEntry(Value),
    }

    fn entry() -> impl Strategy<Value = JournalEntry> {
        let id = prop_oneof![
            select(vec![
                "ext:C-1",
                "ext:C-2",
                "name:acme bank",
                "name:한빛은행",
                "ext:"
            ])
            .prop_map(String::from),
            "(ext|name):[a-z0-9 ]{0,12}",
        ];
        let state = select(vec![
            EntryState::Sent,
            EntryState::Created,
            EntryState::Refused,
            EntryState::Unknown,
            EntryState::KeyConflict,
        ]);
        (
            id,
            0usize..5000,
            "[a-f0-9]{0,40}",
            state,
            0u32..4,
            proptest::option::of("[A-Za-z0-9]{1,12}"),
            proptest::option::of("\\PC{0,40}"),
        )
            .prop_map(
                |(id, row, key, state, attempt, client_id, error)| JournalEntry {
                    id,
                    row,
                    key,
                    state,
                    attempt,
                    client_id,
                    error,
                    at: None,
                },
            )
    }

    fn line() -> impl Strategy<Value = Line> {
        prop_oneof![
            5 => entry().prop_map(Line::Entry),
            2 => (entry(), any::<Index>()).prop_map(|(e, at)| Line::Cut(e, at)),
            1 => vec(any::<u8>(), 0..80).prop_map(Line::Bytes),
            1 => vec(any::<u8>(), 20_000..40_000).prop_map(Line::Bytes),
            1 => select(vec![
                json!({}),
                json!([1, 2]),
                json!({"id": 5, "row": "x"}),
                json!({"id": "ext:C-1", "state": "exploded", "row": 1, "key": "k"}),
                json!({"id": "ext:C-1", "row": -1, "key": "k", "state": "sent"}),
                json!(null),
            ])
            .prop_map(Line::NotAnEntry),
        ]
    }

    fn bytes_of(line: &Line) -> Vec<u8> {
        match line {
            Line::Entry(entry) => serde_json::to_vec(entry).unwrap(),
            Line::Cut(entry, at) => {
                let whole = serde_json::to_vec(entry).unwrap();
                whole[..at.index(whole.len())].to_vec()
            }
            // A line break inside random bytes makes more damaged lines, never an entry.
            Line::Bytes(bytes) => bytes.clone(),
            Line::NotAnEntry(value) => serde_json::to_vec(value).unwrap(),
        }
    }

    pub(super) fn run(runner: &mut TestRunner) -> Result<(), String> {
        let journal = (vec(line(), 0..30), any::<bool>(), entry());
        run_target(runner, journal, |(lines, torn_tail, appended)| {
            let mut file = Vec::new();
            let mut expected: HashMap<String, JournalEntry> = HashMap::new();
            for line in &lines {
                file.extend(bytes_of(line));
                file.push(b'\n');
                if let Line::Entry(entry) = line {
                    expected.insert(entry.id.clone(), entry.clone());
                }
            }
            if torn_tail {
                // A crash in the middle of writing the last record.
                let whole = serde_json::to_vec(&appended).unwrap();
                file.extend(&whole[..whole.len() / 2]);
            }
            prop_assert_eq!(&read_entries(&file), &expected);

            let dir = tempfile::tempdir().unwrap();
            let workspace = "https://127.0.0.1:1";
            let path = {
                let journal = Journal::open(dir.path(), workspace).unwrap();
                journal.path().to_path_buf()
            };
            std::fs::write(&path, &file).unwrap();
            let mut journal = Journal::open(dir.path(), workspace).unwrap();
            prop_assert_eq!(journal.entries(), &expected);
            journal.append(std::slice::from_ref(&appended)).unwrap();
            drop(journal);
            expected.insert(appended.id.clone(), appended.clone());
            let reread = Journal::read(dir.path(), workspace).unwrap();
            prop_assert_eq!(&reread, &expected);
            Ok(())
        })
    }
}

#[test]
#[ignore = "long run: cargo test --release --test fuzz -- --ignored --nocapture"]
fn long_run_over_all_targets() {
    let cases = cases_from_env().unwrap_or(100_000);
    let threads = std::env::var("FUZZ_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    // `FUZZ_TARGETS=a,b` runs only those targets.
    let only = std::env::var("FUZZ_TARGETS").unwrap_or_default();
    let chosen: Vec<&Target> = TARGETS
        .iter()
        .filter(|t| only.is_empty() || only.split(',').any(|name| name.trim() == t.name))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(target) = chosen.get(i) else { return };
                    let start = Instant::now();
                    let outcome = (target.run)(&mut runner(target.name, cases));
                    let took = start.elapsed();
                    eprintln!(
                        "{:<24} {:>9} cases {:>8.1} s  {}",
                        target.name,
                        cases,
                        took.as_secs_f64(),
                        if outcome.is_ok() { "ok" } else { "FAILED" }
                    );
                    results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((i, target.name, took, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| r.0);
    let total: Duration = results.iter().map(|r| r.2).sum();
    println!("\nseed {}, {threads} threads", seed_from_env());
    println!("| target | cases | seconds | outcome |\n|---|---:|---:|---|");
    for (_, name, took, outcome) in &results {
        // A failing target stops at its first failure, before its count.
        let (run, verdict) = if outcome.is_ok() {
            (cases.to_string(), "no failure")
        } else {
            ("stopped".to_owned(), "FAILED")
        };
        println!("| {name} | {run} | {:.1} | {verdict} |", took.as_secs_f64());
    }
    println!(
        "| all {} targets | {} | {:.1} (wall {:.1}) | |",
        results.len(),
        u64::from(cases) * results.len() as u64,
        total.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(_, name, _, outcome)| outcome.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------------

/// Longest error sentence accepted; a message quoting a whole file or body would be longer.
const MAX_MESSAGE_CHARS: usize = 700;

/// A message of ours shown to people: one line, starting like a sentence, bounded, and not the
/// input read back when the input is long.
fn check_sentence(message: &str, input: &str) -> Result<(), TestCaseError> {
    let first = message.chars().next();
    prop_assert!(
        first.is_some_and(|c| c.is_uppercase() || c == '"'),
        "not a sentence: {message:?}"
    );
    prop_assert!(
        !message.contains(['\n', '\r']),
        "a message on several lines: {message:?}"
    );
    check_bounded(message, input)
}

/// A message that may carry the server's own words: bounded, and not the input read back when
/// the input is long.
fn check_bounded(message: &str, input: &str) -> Result<(), TestCaseError> {
    prop_assert!(!message.is_empty(), "an empty message");
    let chars = message.chars().count();
    prop_assert!(
        chars <= MAX_MESSAGE_CHARS,
        "a message of {chars} characters"
    );
    // Messages may quote a short value; never a long input whole.
    if input.chars().count() >= 256 {
        prop_assert!(!message.contains(input), "the message quotes the input");
    }
    Ok(())
}

fn check_decode(bytes: &[u8], label: Option<&str>) -> Result<(), TestCaseError> {
    match decode(bytes, label) {
        Ok(decoded) => {
            prop_assert!(!decoded.text.trim().is_empty(), "decoded to blank text");
            // Binary content is recognised from a sample of the first 8,192 characters.
            prop_assert!(
                !decoded.text.chars().take(8192).any(|c| c == '\0'),
                "decoded text starts with a NUL in it"
            );
            prop_assert!(!decoded.encoding.is_empty());
            let bom = bytes.starts_with(b"\xEF\xBB\xBF")
                || bytes.starts_with(b"\xFF\xFE")
                || bytes.starts_with(b"\xFE\xFF");
            if label.is_none()
                && !bom
                && let Ok(text) = std::str::from_utf8(bytes)
            {
                // Valid UTF-8 is read as it is.
                prop_assert_eq!(&decoded.text, text);
                prop_assert_eq!(decoded.encoding, "UTF-8");
                prop_assert!(!decoded.guessed);
            }
        }
        Err(ImportError(message, ..)) => {
            check_sentence(&message, &String::from_utf8_lossy(bytes))?;
        }
    }
    Ok(())
}

/// Line breaks as a spreadsheet counts them: LF, CRLF, or a lone CR.
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

fn check_table(text: &str, delimiter: Option<u8>, table: &Table) -> Result<(), TestCaseError> {
    prop_assert!(!table.headers.is_empty(), "a table with no header cells");
    prop_assert!(table.records.len() <= MAX_ROWS);
    match delimiter {
        Some(d) => prop_assert_eq!(table.delimiter, d),
        None => prop_assert!(DELIMITERS.contains(&table.delimiter)),
    }
    let lines = line_breaks(text) + 1;
    let mut previous = 1;
    for record in &table.records {
        prop_assert!(
            record.row > previous,
            "row {} after row {previous}",
            record.row
        );
        prop_assert!(record.row <= lines, "row {} of {lines} lines", record.row);
        prop_assert!(
            record.cells.iter().any(|c| !c.trim().is_empty()),
            "a blank record was kept at row {}",
            record.row
        );
        previous = record.row;
    }
    prop_assert!(
        table.records.len() + table.blank_rows < lines,
        "{} records and {} blank rows in {lines} lines",
        table.records.len(),
        table.blank_rows
    );
    Ok(())
}

/// The same parse delivered in blocks of `size` gives the same rows.
fn check_blocks(
    text: &str,
    delimiter: Option<u8>,
    size: usize,
    whole: &Table,
) -> Result<(), TestCaseError> {
    let mut records = Vec::new();
    let mut bad_block = None;
    let table = parse::parse_blocks(text, delimiter, size, &mut |headers, block| {
        if block.is_empty() || block.len() > size || headers != whole.headers.as_slice() {
            bad_block = Some(block.len());
        }
        records.extend(block);
    });
    prop_assert!(bad_block.is_none(), "a block of {bad_block:?} records");
    let table = table.map_err(|e| TestCaseError::fail(format!("blocks failed: {e}")))?;
    prop_assert_eq!(&table.headers, &whole.headers);
    prop_assert_eq!(table.blank_rows, whole.blank_rows);
    prop_assert_eq!(&records, &whole.records);
    Ok(())
}

fn check_rows(table: &Table, rows: &[Row]) -> Result<(), TestCaseError> {
    prop_assert_eq!(rows.len(), table.records.len());
    for (row, record) in rows.iter().zip(&table.records) {
        prop_assert_eq!(row.row, record.row);
        for issue in &row.issues {
            check_sentence(&issue.message, "")?;
            if let Some(rest) = issue.message.strip_prefix("Row ") {
                let first: usize = rest
                    .split(' ')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(usize::MAX);
                prop_assert!(first < row.row, "row {} points at row {first}", row.row);
            }
        }
        if row.is_valid() {
            prop_assert!(!row.name.is_empty());
            prop_assert_eq!(row.name.trim(), row.name.as_str());
            prop_assert!(row.name.chars().count() <= 100);
            prop_assert!(!row.name.chars().any(char::is_control));
            for uri in &row.redirect_uris {
                // What validation keeps is already normal: checking it again changes nothing.
                let again = normalize_uri(uri);
                prop_assert_eq!(again.as_deref(), Ok(uri.as_str()));
            }
            if let Some(hook) = &row.webhook_url {
                prop_assert!(hook.starts_with("https://"), "webhook {hook:?} passed");
            }
        }
    }
    Ok(())
}

/// `prepare` gives what decode, parse, map and validate give one after the other.
fn check_prepare(bytes: &[u8], options: &ReadOptions) -> Result<(), TestCaseError> {
    let prepared = prepare(bytes, options);
    let expected = decode(bytes, options.encoding.as_deref()).and_then(|decoded| {
        let table = parse::parse(&decoded.text, options.delimiter)?;
        if table.records.is_empty() {
            return Err(ImportError::new("no rows"));
        }
        let mapping = Mapping::auto(&table.headers)?;
        let rows = validate(&table, &mapping, connect_console::api::MAX_NAME_CHARS);
        Ok((decoded, table, mapping, rows))
    });
    match (prepared, expected) {
        (Ok(prepared), Ok((decoded, table, mapping, rows))) => {
            prop_assert_eq!(prepared.encoding, decoded.encoding);
            prop_assert_eq!(&prepared.import_id, &import_id(bytes));
            prop_assert_eq!(&prepared.table.headers, &table.headers);
            prop_assert_eq!(&prepared.table.records, &table.records);
            prop_assert_eq!(prepared.table.blank_rows, table.blank_rows);
            prop_assert_eq!(&prepared.mapping, &mapping);
            prop_assert_eq!(&prepared.rows, &rows);
            check_table(&decoded.text, options.delimiter, &prepared.table)?;
            check_rows(&prepared.table, &prepared.rows)?;
            let (valid, warning, invalid) = prepared.counts();
            prop_assert_eq!(valid + warning + invalid, prepared.rows.len());
            let errors = prepared
                .rows
                .iter()
                .filter(|r| r.issues.iter().any(|i| i.severity == Severity::Error))
                .count();
            prop_assert_eq!(errors, invalid);
        }
        (Err(ImportError(message, ..)), Err(ImportError(expected, ..))) => {
            if expected != "no rows" {
                prop_assert_eq!(&message, &expected);
            }
            check_sentence(&message, &String::from_utf8_lossy(bytes))?;
        }
        (Ok(_), Err(e)) => prop_assert!(false, "prepare passed, the steps failed: {e}"),
        (Err(e), Ok(_)) => prop_assert!(false, "prepare failed, the steps passed: {e}"),
    }
    Ok(())
}

/// Every string anywhere in a JSON value.
fn strings_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}

/// A decode failure: the decode kind, one bounded line, never quoting a string value of the body.
fn check_decode_error(error: &ApiError, body: &[u8]) -> Result<(), TestCaseError> {
    prop_assert_eq!(error.kind, ErrorKind::Decode);
    prop_assert!(
        error
            .message
            .starts_with("The server's answer could not be read"),
        "{}",
        error.message
    );
    check_sentence(&error.user_message(), &String::from_utf8_lossy(body))?;
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let mut strings = Vec::new();
        strings_in(&value, &mut strings);
        for s in strings.iter().filter(|s| s.chars().count() >= 24) {
            prop_assert!(
                !error.message.contains(s.as_str()),
                "the message quotes a value: {}",
                error.message
            );
        }
    }
    Ok(())
}

fn check_app(app: &App) -> Result<(), TestCaseError> {
    let debug = format!("{app:?}");
    if let Some(secret) = &app.client_secret
        && secret.expose().len() >= 16
    {
        prop_assert!(!debug.contains(secret.expose()), "Debug shows the secret");
        let listed = serde_json::to_string(&app.without_secret())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(
            !listed.contains(secret.expose()),
            "the list shows the secret"
        );
    }
    // Unknown fields are kept whole (misspelt ones among them), but a webhook signing secret
    // under its own name is never kept.
    prop_assert!(
        app.webhook_config
            .as_ref()
            .is_none_or(|w| !w.extra.contains_key("secret")),
        "a webhook signing secret was kept"
    );
    let _ = serde_json::to_value(app).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let _ = app.enabled_providers();
    let _ = app.default_workflow();
    let providers = ProviderState::of(app);
    for workflow in &app.workflows {
        check_workflow(workflow, &providers, &LayoutConfig::default())?;
    }
    Ok(())
}

fn check_workflow(
    workflow: &Workflow,
    providers: &ProviderState<'_>,
    config: &LayoutConfig,
) -> Result<(), TestCaseError> {
    let graph = Graph::build(workflow);
    let n = graph.nodes.len();
    prop_assert_eq!(n, workflow.nodes.len());
    prop_assert_eq!(graph.outgoing.len(), n);
    prop_assert!(graph.entry.is_none_or(|e| e < n));
    for edge in &graph.edges {
        prop_assert!(edge.from < n && edge.to < n);
    }
    for out in &graph.outgoing {
        prop_assert!(out.iter().all(|&e| e < graph.edges.len()));
    }
    for finding in lint(workflow, &graph, providers) {
        prop_assert!(finding.node.is_none_or(|i| i < n));
        prop_assert!(!finding.message.is_empty());
    }
    let placed = layout(&graph, config);
    prop_assert_eq!(placed.nodes.len(), n);
    prop_assert_eq!(placed.edges.len(), graph.edges.len());
    let finite = |v: f32| v.is_finite() && v >= -0.01;
    prop_assert!(finite(placed.width) && finite(placed.height));
    for node in &placed.nodes {
        prop_assert!(
            finite(node.x) && finite(node.y) && finite(node.width) && finite(node.height),
            "{node:?}"
        );
        prop_assert!(node.right() <= placed.width + 0.5 && node.bottom() <= placed.height + 0.5);
        prop_assert!(node.layer < placed.layer_count);
    }
    for path in &placed.edges {
        prop_assert!(path.points.iter().flatten().all(|v| v.is_finite()));
    }
    let mut order = reading_order(&graph, &placed);
    order.sort_unstable();
    prop_assert!(
        order.iter().copied().eq(0..n),
        "reading order is not a permutation"
    );
    let dot = to_dot(workflow, &graph);
    prop_assert!(
        dot.starts_with("digraph") && dot.ends_with("}\n"),
        "not a DOT graph"
    );
    for (i, node) in workflow.nodes.iter().enumerate() {
        prop_assert!(!summary(node).is_empty());
        prop_assert!(describe_settings(node).len() >= 3);
        let _ = next_in_words(node.next.as_ref(), &graph, i);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

fn csv_decode_raw_bytes(runner: &mut TestRunner) -> Result<(), String> {
    run_target(runner, (raw_bytes(), encoding_label()), |(bytes, label)| {
        check_decode(&bytes, label.as_deref())
    })
}

fn csv_decode_structured(runner: &mut TestRunner) -> Result<(), String> {
    run_target(runner, (csv_bytes(), encoding_label()), |(bytes, label)| {
        check_decode(&bytes, label.as_deref())
    })
}

fn csv_parse(runner: &mut TestRunner) -> Result<(), String> {
    let text = prop_oneof![
        3 => csv_text(),
        1 => any::<String>(),
        1 => vec(select(&b",;\t|\"\r\n aZ"[..]), 0..200)
            .prop_map(|b| String::from_utf8(b).unwrap_or_default()),
    ];
    run_target(
        runner,
        (text, delimiter(), 1usize..6),
        |(text, delimiter, size)| match parse::parse(&text, delimiter) {
            Ok(table) => {
                check_table(&text, delimiter, &table)?;
                check_blocks(&text, delimiter, size, &table)
            }
            Err(ImportError(message, ..)) => check_sentence(&message, &text),
        },
    )
}

fn csv_validate(runner: &mut TestRunner) -> Result<(), String> {
    let edits = vec((any::<Index>(), field()), 0..4);
    run_target(
        runner,
        (csv_text(), delimiter(), edits),
        |(text, delimiter, edits)| {
            let Ok(table) = parse::parse(&text, delimiter) else {
                return Ok(());
            };
            let mut mapping = match Mapping::auto(&table.headers) {
                Ok(mapping) => mapping,
                Err(ImportError(message, ..)) => {
                    check_sentence(&message, &text)?;
                    Mapping {
                        headers: table.headers.clone(),
                        columns: vec![None; table.headers.len()],
                    }
                }
            };
            let rows = validate(&table, &mapping, connect_console::api::MAX_NAME_CHARS);
            check_rows(&table, &rows)?;
            // The preview's column choices, including columns past a short row's end.
            for (column, field) in edits {
                mapping.set(column.index(table.headers.len() + 2), field);
            }
            let rows = validate(&table, &mapping, connect_console::api::MAX_NAME_CHARS);
            check_rows(&table, &rows)
        },
    )
}

fn csv_prepare_raw_bytes(runner: &mut TestRunner) -> Result<(), String> {
    run_target(runner, (raw_bytes(), read_options()), |(bytes, options)| {
        check_prepare(&bytes, &options)
    })
}

fn csv_prepare_structured(runner: &mut TestRunner) -> Result<(), String> {
    let edits = vec((any::<Index>(), field()), 0..3);
    run_target(
        runner,
        (csv_bytes(), read_options(), edits),
        |(bytes, options, edits)| {
            check_prepare(&bytes, &options)?;
            if let Ok(prepared) = prepare(&bytes, &options) {
                let mut mapping = prepared.mapping.clone();
                for (column, field) in edits {
                    mapping.set(column.index(mapping.headers.len() + 1), field);
                }
                let prepared = prepared.remapped(mapping.clone());
                prop_assert_eq!(
                    &prepared.rows,
                    &validate(
                        &prepared.table,
                        &mapping,
                        connect_console::api::MAX_NAME_CHARS
                    )
                );
                check_rows(&prepared.table, &prepared.rows)?;
                let (valid, warning, invalid) = prepared.counts();
                prop_assert_eq!(valid + warning + invalid, prepared.rows.len());
            }
            Ok(())
        },
    )
}

fn api_app_page(runner: &mut TestRunner) -> Result<(), String> {
    let body = prop_oneof![
        1 => raw_bytes(),
        4 => json_body(page_json()),
        1 => json_body(any_json()),
    ];
    run_target(runner, body, |body| {
        match decode_app_page(&body) {
            Ok(page) => {
                for app in &page.items {
                    check_app(app)?;
                }
            }
            Err(error) => check_decode_error(&error, &body)?,
        }
        Ok(())
    })
}

fn api_app(runner: &mut TestRunner) -> Result<(), String> {
    let body = prop_oneof![
        1 => raw_bytes(),
        5 => json_body(app_json()),
    ];
    run_target(runner, body, |body| {
        match decode_body::<App>(&body) {
            Ok(app) => check_app(&app)?,
            Err(error) => check_decode_error(&error, &body)?,
        }
        Ok(())
    })
}

fn api_error_envelope(runner: &mut TestRunner) -> Result<(), String> {
    let body = prop_oneof![
        2 => raw_bytes(),
        4 => json_body(error_json()),
        1 => json_body(any_json()),
        1 => (text(), text()).prop_map(|(title, rest)| {
            format!("<html><head><title>{title}</title></head><body>{rest}</body></html>")
                .into_bytes()
        }),
    ];
    let status = prop_oneof![
        4 => select(vec![400u16, 401, 403, 404, 409, 422, 429, 500, 502, 503]),
        1 => any::<u16>(),
    ];
    let retry = proptest::option::of((0u64..100_000).prop_map(Duration::from_millis));
    run_target(
        runner,
        // A header value is visible ASCII (or tab), as HTTP allows.
        (status, body, proptest::option::of("[\\t -~]{0,40}"), retry),
        |(status, body, header_id, retry_after)| {
            let error = ApiError::from_response(status, &body, header_id.clone(), retry_after);
            prop_assert_eq!(error.status, Some(status));
            prop_assert_eq!(error.retry_after, retry_after);
            if error.request_id.is_none() {
                prop_assert!(header_id.is_none());
            }
            let message = error.user_message();
            prop_assert!(message.ends_with('.'), "{message}");
            check_bounded(&message, &String::from_utf8_lossy(&body))?;
            check_one_line(&error)
        },
    )
}

fn api_item_error(runner: &mut TestRunner) -> Result<(), String> {
    let value = prop_oneof![
        3 => error_json(),
        1 => error_inner_json(),
        1 => any_json(),
    ];
    run_target(runner, value, |value| {
        let error = ApiError::from_item_error(&value);
        let message = error.user_message();
        prop_assert!(message.ends_with('.'), "{message}");
        check_bounded(&message, &value.to_string())?;
        check_one_line(&error)
    })
}

/// `one_line` is one line, whatever the server put in the code or the request id.
fn check_one_line(error: &ApiError) -> Result<(), TestCaseError> {
    let line = error.one_line();
    prop_assert!(
        !line.contains(['\n', '\r']),
        "one_line has a line break: {line:?}"
    );
    Ok(())
}

fn workflow_pipeline(runner: &mut TestRunner) -> Result<(), String> {
    let body = prop_oneof![
        1 => raw_bytes(),
        6 => json_body(workflow_json()),
    ];
    let providers = (vec(provider_id(), 0..3), vec(provider_id(), 0..3));
    run_target(
        runner,
        (body, providers, layout_config()),
        |(body, (enabled, disabled), config)| {
            match decode_body::<Workflow>(&body) {
                Ok(workflow) => {
                    let providers = ProviderState {
                        enabled: enabled.iter().map(String::as_str).collect(),
                        disabled: disabled.iter().map(String::as_str).collect(),
                    };
                    check_workflow(&workflow, &providers, &config)?;
                }
                Err(error) => check_decode_error(&error, &body)?,
            }
            Ok(())
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Generators: bytes and CSV
// ---------------------------------------------------------------------------------------------

/// Random bytes of several kinds: uniform noise, CSV punctuation with BOMs and NULs, and
/// UTF-16-like byte pairs.
fn raw_bytes() -> BoxedStrategy<Vec<u8>> {
    let punctuation: &[u8] = b",;\t|\"\r\n =+-@#:/.aZ09\x00\xEF\xBB\xBF\xFF\xFE\xC3\xA9\x80";
    prop_oneof![
        3 => vec(any::<u8>(), 0..1024),
        2 => vec(select(punctuation), 0..1024),
        1 => (any::<bool>(), vec((any::<bool>(), prop_oneof![0x20u8..0x7f, Just(b'\n'), any::<u8>()]), 0..512))
            .prop_map(|(bom, pairs)| {
                let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
                for (low_first, byte) in pairs {
                    if low_first {
                        bytes.extend([byte, 0]);
                    } else {
                        bytes.extend([0, byte]);
                    }
                }
                bytes
            }),
        1 => vec(any::<u8>(), 4096..32_768),
    ]
    .boxed()
}

fn encoding_label() -> BoxedStrategy<Option<String>> {
    let known = vec![
        "utf-8",
        "utf8",
        "UTF-16LE",
        "utf-16be",
        "utf-16",
        "windows-1252",
        "cp1252",
        "latin1",
        "iso-8859-15",
        "shift_jis",
        "sjis",
        "euc-kr",
        "cp949",
        "gbk",
        "big5",
        "iso-2022-jp",
        "x-user-defined",
        "replacement",
        "excel",
    ];
    // A label is typed by the person importing (`--encoding`) and read back to them when
    // unknown, so an unknown one is printable and short here.
    prop_oneof![
        16 => Just(None),
        3 => select(known).prop_map(|l| Some(l.to_owned())),
        1 => "[ -~]{0,30}".prop_map(Some),
    ]
    .boxed()
}

fn delimiter() -> BoxedStrategy<Option<u8>> {
    prop_oneof![
        4 => Just(None),
        3 => select(DELIMITERS.to_vec()).prop_map(Some),
        1 => (0x20u8..0x7f).prop_map(Some),
        1 => any::<u8>().prop_map(Some),
    ]
    .boxed()
}

fn read_options() -> BoxedStrategy<ReadOptions> {
    (encoding_label(), delimiter())
        .prop_map(|(encoding, delimiter)| ReadOptions {
            encoding,
            delimiter,
            ..ReadOptions::default()
        })
        .boxed()
}

fn field() -> BoxedStrategy<Option<Field>> {
    prop_oneof![Just(None), select(Field::ALL.to_vec()).prop_map(Some)].boxed()
}

/// Header cells: the import's aliases in several languages, and anything else.
fn header_cell() -> BoxedStrategy<String> {
    let aliases = vec![
        "name",
        "App name",
        "APP_NAME",
        "이름",
        "名前",
        "redirectUris",
        "Redirect URI(s)",
        "callback",
        "webhookUrl",
        "Webhook URL",
        "externalId",
        "Customer ID",
        "고객 ID",
        "Notes",
        "",
    ];
    prop_oneof![
        3 => select(aliases).prop_map(str::to_owned),
        1 => cell(),
    ]
    .boxed()
}

fn url_cell() -> BoxedStrategy<String> {
    prop_oneof![
        "https://[a-z]{1,8}\\.example\\.com(/[a-zA-Z0-9._~%-]{0,8}){0,3}(\\?[a-z=&]{0,8})?",
        "http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,6})?/[a-z]{0,6}",
        "https?://[A-Za-z0-9.:@\\[\\]%-]{0,16}/[^ #]{0,12}",
        "[a-z+.-]{1,8}://[a-z.]{0,10}",
        "https://[a-z]{1,5}\\.com/#[a-z]{0,3}",
        "https://[a-z]{1,5}\\.(com|xn--[a-z0-9]{1,6}|[0-9]{1,3})/(\\.\\./|\\./)?[a-z]{0,3}",
        "(https://[a-z]{1,4}\\.example\\.com/[a-z]{0,3}[ ;|\n]){1,25}",
        "[a-z]{650,700}://[a-z]{1,4}",
    ]
    .boxed()
}

/// One cell's content, before quoting.
fn cell() -> BoxedStrategy<String> {
    prop_oneof![
        8 => "[A-Za-z0-9 ._-]{0,12}",
        3 => url_cell(),
        2 => "\\PC{0,10}",
        1 => "[=+@-][A-Za-z0-9(),\"]{0,10}",
        1 => "[\",;\t|\r\n ]{1,6}",
        1 => "[\\x01-\\x1f\\x7f\u{feff}\u{fffd}\u{2028}\u{85}a]{1,4}",
        1 => Just(String::new()),
        1 => (100usize..3_000, "[a-zA-Z0-9 ]").prop_map(|(n, c)| c.repeat(n)),
        1 => "[A-Za-z0-9]{101,130}",
    ]
    .boxed()
}

/// The layout of a CSV file before it is written: cells, delimiter, and a stream of choices
/// for quoting, line ends and blank lines.
#[derive(Debug, Clone)]
struct CsvPlan {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    delimiter: u8,
    choices: u64,
}

fn csv_plan() -> BoxedStrategy<CsvPlan> {
    let delimiter = prop_oneof![
        12 => select(DELIMITERS.to_vec()),
        1 => 0x20u8..0x7f,
    ];
    // Many plain rows now and then, past the import's 4,096-row blocks, with repeated names.
    let many_rows = (4_000usize..4_300).prop_flat_map(|n| {
        vec(
            vec(
                prop_oneof!["[a-c]{1,2}", "https://[a-b]\\.example\\.com", "[0-9]{0,2}"],
                0..5,
            ),
            n..n + 1,
        )
    });
    let rows = prop_oneof![
        40 => vec(vec(cell(), 0..7), 0..24),
        1 => many_rows,
    ];
    // Most files have a name column somewhere, so that the rows below are checked.
    let name = prop_oneof![
        1 => Just(None),
        7 => (any::<Index>(), select(vec!["name", "App name", " NAME ", "이름", "名前", "nombre"])).prop_map(Some),
    ];
    (
        vec(header_cell(), 0..6),
        name,
        rows,
        delimiter,
        any::<u64>(),
    )
        .prop_map(|(mut header, name, rows, delimiter, choices)| {
            if let Some((at, name)) = name {
                header.insert(at.index(header.len() + 1), name.to_owned());
            }
            CsvPlan {
                header,
                rows,
                delimiter,
                choices,
            }
        })
        .boxed()
}

/// A xorshift stream for the small choices of writing a CSV file.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn write_csv(plan: &CsvPlan) -> String {
    let mut choices = Choices(plan.choices | 1);
    let delimiter = char::from(plan.delimiter);
    let endings = ["\n", "\r\n", "\r"];
    let ending_mode = choices.next(5);
    // 0: quote when needed (RFC 4180), 1: always, 2: never, 3: at random.
    let quote_mode = choices.next(4);
    let mut out = String::new();
    if choices.next(10) == 0 {
        out.push('\u{feff}');
    }
    let lines = std::iter::once(&plan.header).chain(&plan.rows);
    let count = plan.rows.len() + 1;
    for (index, line) in lines.enumerate() {
        if choices.next(12) == 0 {
            // A blank row: nothing, spaces, or empty cells.
            let cells = choices.next(4) as usize;
            let blank = if choices.next(2) == 0 { " " } else { "" };
            out.push_str(blank);
            out.extend(std::iter::repeat_n(delimiter, cells));
            out.push_str(endings[choices.next(3) as usize]);
        }
        for (i, cell) in line.iter().enumerate() {
            if i > 0 {
                out.push(delimiter);
            }
            let needs = cell.contains([delimiter, '"', '\n', '\r']);
            let quote = match quote_mode {
                0 => needs,
                1 => true,
                2 => false,
                _ => choices.next(3) == 0,
            };
            if quote {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                // Now and then a quote that is never closed.
                if choices.next(40) != 0 {
                    out.push('"');
                }
            } else {
                out.push_str(cell);
            }
        }
        let last = index + 1 == count;
        if !last || choices.next(2) == 0 {
            let ending = match ending_mode {
                0..=2 => endings[ending_mode as usize],
                _ => endings[choices.next(3) as usize],
            };
            out.push_str(ending);
        }
    }
    out
}

fn csv_text() -> BoxedStrategy<String> {
    csv_plan().prop_map(|plan| write_csv(&plan)).boxed()
}

/// How the text becomes bytes.
#[derive(Debug, Clone, Copy)]
enum Wire {
    Utf8,
    Utf8Bom,
    Utf16Le { bom: bool },
    Utf16Be { bom: bool },
    Legacy(&'static str),
}

fn to_wire(text: &str, wire: Wire) -> Vec<u8> {
    match wire {
        Wire::Utf8 => text.as_bytes().to_vec(),
        Wire::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Wire::Utf16Le { bom } => {
            let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }
        Wire::Utf16Be { bom } => {
            let mut bytes = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
            bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            bytes
        }
        Wire::Legacy(label) => {
            let encoding =
                encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::UTF_8);
            encoding.encode(text).0.into_owned()
        }
    }
}

fn wire() -> BoxedStrategy<Wire> {
    prop_oneof![
        5 => Just(Wire::Utf8),
        2 => Just(Wire::Utf8Bom),
        1 => any::<bool>().prop_map(|bom| Wire::Utf16Le { bom }),
        1 => any::<bool>().prop_map(|bom| Wire::Utf16Be { bom }),
        2 => select(vec!["windows-1252", "iso-8859-15", "shift_jis", "euc-kr", "gbk", "big5"])
            .prop_map(Wire::Legacy),
    ]
    .boxed()
}

/// Damage done to bytes on the way: overwritten bytes, a cut, a spliced fragment.
#[derive(Debug, Clone)]
struct Damage {
    overwrite: Vec<(Index, u8)>,
    cut: Option<Index>,
    splice: Option<(Index, &'static [u8])>,
}

fn damage() -> BoxedStrategy<Damage> {
    let fragments: Vec<&'static [u8]> = vec![
        b"\"",
        b"\"\"",
        b"\r",
        b"\n\n\n",
        b"\x00",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"PK\x03\x04",
        b"%PDF",
        b"\xC3",
        b"\xED\xA0\x80",
        b"}",
        b"]",
        b",",
        b"{\"clientId\":1,",
        b"[[[[[[[[[[[[[[[[",
        b"\\ud800",
        b"\\u0000",
        b"1e999",
        b"-0",
        b"18446744073709551616",
    ];
    let none = Damage {
        overwrite: Vec::new(),
        cut: None,
        splice: None,
    };
    prop_oneof![
        8 => Just(none),
        1 => (
            vec((any::<Index>(), any::<u8>()), 0..4),
            proptest::option::of(any::<Index>()),
            proptest::option::of((any::<Index>(), select(fragments))),
        )
            .prop_map(|(overwrite, cut, splice)| Damage {
                overwrite,
                cut,
                splice,
            }),
    ]
    .boxed()
}

fn apply(mut bytes: Vec<u8>, damage: &Damage) -> Vec<u8> {
    if !bytes.is_empty() {
        for (at, byte) in &damage.overwrite {
            let i = at.index(bytes.len());
            bytes[i] = *byte;
        }
    }
    if let Some((at, fragment)) = &damage.splice {
        let i = at.index(bytes.len() + 1);
        bytes.splice(i..i, fragment.iter().copied());
    }
    if let Some(at) = &damage.cut {
        bytes.truncate(at.index(bytes.len() + 1));
    }
    bytes
}

fn csv_bytes() -> BoxedStrategy<Vec<u8>> {
    (csv_text(), wire(), damage())
        .prop_map(|(text, wire, damage)| apply(to_wire(&text, wire), &damage))
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Generators: JSON shaped like the API's answers, with wrong types in places
// ---------------------------------------------------------------------------------------------

/// Short text of several kinds, including long random strings and control characters.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[a-zA-Z0-9_-]{0,10}",
        2 => "\\PC{0,12}",
        1 => "[\\x00-\\x1f a-z\"\\\\]{0,10}",
        1 => "[A-Za-z0-9]{40,200}",
    ]
    .boxed()
}

/// Object keys: fields the decoders know, and others.
fn key() -> BoxedStrategy<String> {
    let known = vec![
        "clientId",
        "client_id",
        "clientSecret",
        "name",
        "redirectUris",
        "providers",
        "verification",
        "workflows",
        "webhookConfig",
        "data",
        "items",
        "total",
        "error",
        "code",
        "message",
        "details",
        "request_id",
        "id",
        "type",
        "next",
        "config",
        "nodes",
        "entryNodeId",
        "enabled",
        "secret",
        "field",
        "operator",
        "value",
        "all",
        "any",
        "conditions",
        "default",
        "target",
    ];
    prop_oneof![
        3 => select(known).prop_map(str::to_owned),
        2 => text(),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => (0i64..1_000).prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => select(vec![u64::MAX, usize::MAX as u64, 1 << 40, 1_000_000_000_000]).prop_map(Value::from),
    ]
    .boxed()
}

/// A count or size: mostly small and whole, sometimes any number.
fn count() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => (0u64..10_000).prop_map(Value::from),
        1 => number(),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ]
    .boxed()
}

/// Any JSON value, a few levels deep; now and then nested far deeper than any real answer.
fn any_json() -> BoxedStrategy<Value> {
    let tree = leaf().prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((key(), inner), 0..5)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    });
    prop_oneof![
        30 => tree,
        1 => (1usize..140, any::<bool>(), leaf()).prop_map(|(depth, arrays, leaf)| {
            (0..depth).fold(leaf, |inner, _| {
                if arrays { json!([inner]) } else { json!({ "a": inner }) }
            })
        }),
    ]
    .boxed()
}

/// An object with the given fields, each under one of its names, often of the right shape,
/// sometimes of any type, sometimes absent; plus a few unknown fields.
fn object(fields: Vec<(Vec<&'static str>, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .into_iter()
        .map(|(names, value)| {
            prop_oneof![
                1 => Just(None),
                4 => (
                    select(names).prop_map(str::to_owned),
                    prop_oneof![30 => value, 1 => any_json()],
                )
                    .prop_map(Some),
            ]
            .boxed()
        })
        .collect();
    let unknown = (
        prop_oneof![1 => key(), 6 => "[a-z_]{1,12}".prop_map(|k| format!("x_{k}"))],
        any_json(),
    );
    (parts, vec(unknown, 0..3))
        .prop_map(|(parts, unknown)| {
            let mut map: Map<String, Value> = unknown.into_iter().collect();
            for (name, value) in parts.into_iter().flatten() {
                map.insert(name, value);
            }
            Value::Object(map)
        })
        .boxed()
}

fn string() -> BoxedStrategy<Value> {
    text().prop_map(Value::String).boxed()
}

fn list_of(item: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    prop_oneof![
        6 => vec(item, 0..max).prop_map(Value::Array),
        1 => Just(Value::Null),
    ]
    .boxed()
}

fn provider_id() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(vec!["passport", "mobile_id", "bankid", "providers", "x"]).prop_map(str::to_owned),
        1 => text(),
    ]
    .boxed()
}

fn providers_json() -> BoxedStrategy<Value> {
    let setting = || {
        object(vec![
            (vec!["enabled"], any::<bool>().prop_map(Value::Bool).boxed()),
            (vec!["config"], any_json()),
        ])
    };
    let listed = object(vec![
        (
            vec!["provider_id", "providerId", "id"],
            provider_id().prop_map(Value::String).boxed(),
        ),
        (vec!["enabled"], any::<bool>().prop_map(Value::Bool).boxed()),
    ]);
    prop_oneof![
        3 => vec((provider_id(), setting()), 0..4)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        2 => list_of(listed.clone(), 4),
        2 => (list_of(listed, 4), any::<bool>()).prop_map(|(providers, attributes)| {
            let mut gen1 = json!({ "providers": providers });
            if attributes {
                gen1["request_attributes"] = json!([]);
            }
            gen1
        }),
    ]
    .boxed()
}

fn webhook_json() -> BoxedStrategy<Value> {
    object(vec![
        (vec!["enabled"], any::<bool>().prop_map(Value::Bool).boxed()),
        (
            vec!["url"],
            prop_oneof![url_cell().prop_map(Value::String), string()].boxed(),
        ),
        (vec!["retryAttempts", "retry_attempts"], count()),
        (vec!["timeoutSeconds", "timeout_seconds"], count()),
        (vec!["events"], list_of(string(), 4)),
        (
            vec!["secret"],
            "whsec_FAKE_[A-Za-z0-9]{16}".prop_map(Value::String).boxed(),
        ),
    ])
}

fn app_json() -> BoxedStrategy<Value> {
    object(vec![
        (vec!["clientId", "client_id"], string()),
        (
            vec!["clientSecret", "client_secret"],
            "sk_FAKE_[A-Za-z0-9]{24}".prop_map(Value::String).boxed(),
        ),
        (vec!["name"], string()),
        (
            vec!["redirectUris", "redirect_uris"],
            list_of(url_cell().prop_map(Value::String).boxed(), 4),
        ),
        (vec!["providers", "verification"], providers_json()),
        (
            vec!["defaultWorkflowId", "default_workflow_id"],
            node_id_json(),
        ),
        (vec!["workflows"], list_of(workflow_json(), 3)),
        (vec!["organizationId", "organization_id"], string()),
        (vec!["webhookConfig", "webhook_config"], webhook_json()),
    ])
}

fn page_json() -> BoxedStrategy<Value> {
    let envelope = object(vec![
        (vec!["data", "items"], list_of(app_json(), 4)),
        (vec!["total"], count()),
        (vec!["limit"], count()),
        (vec!["offset"], count()),
        (vec!["object"], Just(json!("list")).boxed()),
    ]);
    prop_oneof![
        4 => envelope,
        1 => vec(app_json(), 0..4).prop_map(Value::Array),
    ]
    .boxed()
}

fn error_code() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => select(vec![
            "VALIDATION_INVALID_PARAMETER",
            "IDEMPOTENCY_KEY_CONFLICT",
            "IDEMPOTENCY_REQUEST_IN_PROGRESS",
            "AUTH_INVALID_CREDENTIALS",
            "AUTH_FORBIDDEN",
            "RESOURCE_NOT_FOUND",
            "RESOURCE_CONFLICT",
            "contract_activation_required",
        ])
        .prop_map(|c| Value::String(c.to_owned())),
        1 => string(),
    ]
    .boxed()
}

/// The inner `{code, message, details}` of an error.
fn error_inner_json() -> BoxedStrategy<Value> {
    object(vec![
        (vec!["code"], error_code()),
        (vec!["message", "detail", "description"], string()),
        (vec!["details", "context"], any_json()),
        (vec!["request_id"], string()),
        (vec!["status"], number()),
    ])
}

fn error_json() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => object(vec![
            (vec!["error"], prop_oneof![3 => error_inner_json(), 1 => error_code()].boxed()),
            (vec!["request_id", "requestId"], string()),
            (vec!["message"], string()),
        ]),
        1 => object(vec![
            (vec!["code"], error_code()),
            (vec!["message", "detail"], string()),
            (vec!["details", "context"], any_json()),
        ]),
    ]
    .boxed()
}

/// Node ids from a small pool, so that references resolve, collide and loop.
fn node_id() -> BoxedStrategy<String> {
    prop_oneof![
        8 => select(vec!["a", "b", "c", "d", "e", "f"]).prop_map(str::to_owned),
        1 => text(),
    ]
    .boxed()
}

fn node_id_json() -> BoxedStrategy<Value> {
    node_id().prop_map(Value::String).boxed()
}

fn condition_json() -> BoxedStrategy<Value> {
    let rule = object(vec![
        (vec!["field", "claim", "path"], string()),
        (
            vec!["operator"],
            prop_oneof![
                select(vec![
                    "eq",
                    "neq",
                    "gt",
                    "gte",
                    "lt",
                    "lte",
                    "exists",
                    "not_exists",
                    "in"
                ])
                .prop_map(|o| Value::String(o.to_owned())),
                string(),
            ]
            .boxed(),
        ),
        (vec!["value"], any_json()),
    ]);
    rule.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (
                select(vec!["all", "and", "any", "or"]),
                vec(inner.clone(), 0..3)
            )
                .prop_map(|(key, items)| json!({ key: items })),
            (
                select(vec!["conditions", "rules"]),
                vec(inner.clone(), 0..3),
                select(vec!["or", "any", "AND", "xor"]),
            )
                .prop_map(|(key, items, op)| json!({ key: items, "operator": op })),
            vec(inner, 0..3).prop_map(Value::Array),
            string(),
        ]
    })
    .boxed()
}

fn route_json() -> BoxedStrategy<Value> {
    prop_oneof![
        2 => node_id_json(),
        5 => object(vec![
            (
                vec!["next", "target", "to", "nodeId", "node_id", "targetNodeId", "then", "goto"],
                node_id_json(),
            ),
            (
                vec!["condition", "conditions", "when", "if", "rule", "rules", "match"],
                condition_json(),
            ),
            (vec!["default", "else", "otherwise"], any::<bool>().prop_map(Value::Bool).boxed()),
            (vec!["field"], string()),
            (vec!["somewhere"], node_id_json()),
        ]),
        1 => any_json(),
    ]
    .boxed()
}

fn next_json() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => node_id_json(),
        3 => vec(route_json(), 0..5).prop_map(Value::Array),
        1 => route_json(),
        1 => number(),
        1 => Just(Value::Null),
    ]
    .boxed()
}

fn config_json() -> BoxedStrategy<Value> {
    object(vec![
        (
            vec!["providers"],
            prop_oneof![
                vec(provider_id().prop_map(Value::String), 0..3).prop_map(Value::Array),
                provider_id().prop_map(Value::String),
            ]
            .boxed(),
        ),
        (
            vec!["provider", "providerId", "provider_id"],
            provider_id().prop_map(Value::String).boxed(),
        ),
        (vec!["claims"], list_of(string(), 3)),
        (vec!["minLoa", "min_loa", "loa", "level"], number()),
        (vec!["rules"], list_of(condition_json(), 3)),
        (vec!["combine", "operator", "logic"], string()),
        (vec!["result", "outcome", "status"], any_json()),
    ])
}

fn node_json() -> BoxedStrategy<Value> {
    let node_type = prop_oneof![
        6 => select(vec![
            "request",
            "verification",
            "check-min-loa",
            "check_min_loa",
            "check-claim",
            "evaluate",
            "if",
            " IF ",
            "response",
        ])
        .prop_map(|t| Value::String(t.to_owned())),
        1 => string(),
    ];
    object(vec![
        (vec!["id"], node_id_json()),
        (vec!["type"], node_type.boxed()),
        (vec!["next"], next_json()),
        (vec!["config"], config_json()),
    ])
}

fn workflow_json() -> BoxedStrategy<Value> {
    let nodes = prop_oneof![
        20 => vec(node_json(), 1..12).prop_map(Value::Array),
        1 => vec(node_json(), 30..60).prop_map(Value::Array),
        1 => Just(Value::Null),
    ];
    object(vec![
        (vec!["workflowId", "workflow_id", "id"], string()),
        (vec!["name"], string()),
        (vec!["entryNodeId", "entry_node_id"], node_id_json()),
        (vec!["nodes"], nodes.boxed()),
        (vec!["createdAt", "created_at"], any_json()),
        (vec!["updatedAt", "updated_at"], any_json()),
    ])
}

fn layout_config() -> BoxedStrategy<LayoutConfig> {
    prop_oneof![
        3 => Just(LayoutConfig::default()),
        1 => (1.0f32..500.0, 1.0f32..200.0, 0.0f32..200.0, 0.0f32..100.0, 0.0f32..40.0, 0usize..12)
            .prop_map(|(node_width, node_height, layer_gap, node_gap, lane_width, sweeps)| {
                LayoutConfig { node_width, node_height, layer_gap, node_gap, lane_width, sweeps }
            }),
    ]
    .boxed()
}

/// A JSON value as a body: compact or pretty, and sometimes damaged.
fn json_body(value: BoxedStrategy<Value>) -> BoxedStrategy<Vec<u8>> {
    (value, any::<bool>(), damage())
        .prop_map(|(value, pretty, damage)| {
            let text = if pretty {
                serde_json::to_vec_pretty(&value)
            } else {
                serde_json::to_vec(&value)
            };
            apply(text.unwrap_or_default(), &damage)
        })
        .boxed()
}
