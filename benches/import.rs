//! CSV import benchmarks, printed as figures (no criterion):
//! 1. decode + parse + map + validate 100,000 rows (target: at most 100 ms);
//! 2. a 10,000-row import into the sandbox with 20 ms latency, by the whole command-line process
//!    (`connect-console import`, default concurrency), against the two Python scripts in
//!    benches/compare/ (one POST /apps per row; sequential POST /apps/batch of 100) and against
//!    the round-trip floor (batches / concurrency x latency); each run on a fresh sandbox,
//!    counting the apps afterwards to prove there are no duplicates.
//!
//! Talks only to 127.0.0.1. `IMPORT_BENCH_PER_ROW_LIMIT=N` runs the per-row script on the first
//! N rows only and scales its time up (it takes minutes on the full file);
//! `IMPORT_BENCH_LATENCY_MS`, `IMPORT_BENCH_PARSE_ONLY` and `IMPORT_BENCH_SKIP_PARSE` are for
//! profiling.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use connect_console::import::run::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY};
use connect_console::import::{self, ReadOptions};
use connect_console::sandbox::{self, RunningSandbox, SandboxConfig};

const PARSE_ROWS: usize = 100_000;
const PARSE_RUNS: usize = 7;
const IMPORT_ROWS: usize = 10_000;
/// Whole-process runs of our import; the median is reported.
const CLI_RUNS: usize = 3;
const LATENCY: Duration = Duration::from_millis(20);
const KEY: &str = "sk_workspace_test_FAKE_bench";

/// A reseller's export: names in several scripts, one or two redirect URIs, some webhooks.
fn csv_text(rows: usize) -> String {
    let mut text = String::from("name,redirectUris,webhookUrl,externalId\n");
    for i in 0..rows {
        let name = match i % 4 {
            0 => format!("Customer {i:06}"),
            1 => format!("Müller Bäckerei {i:06}"),
            2 => format!("한빛은행 지점 {i:06}"),
            _ => format!("さくら証券 {i:06}"),
        };
        let uris = if i % 2 == 0 {
            format!("https://c{i}.example.com/callback")
        } else {
            format!("\"https://c{i}.example.com/cb https://c{i}.example.com/cb2\"")
        };
        let hook = if i % 5 == 0 {
            format!("https://hooks.c{i}.example.com/connect")
        } else {
            String::new()
        };
        text.push_str(&format!("{name},{uris},{hook},ext-{i:06}\n"));
    }
    text
}

fn main() {
    if std::env::var_os("IMPORT_BENCH_SKIP_PARSE").is_none() {
        bench_parse();
    }
    if std::env::var_os("IMPORT_BENCH_PARSE_ONLY").is_some() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench_import());
}

fn bench_parse() {
    let bytes = csv_text(PARSE_ROWS).into_bytes();
    let mut times = Vec::new();
    for _ in 0..PARSE_RUNS {
        let started = Instant::now();
        let prepared = import::prepare(&bytes, &ReadOptions::default()).expect("prepare");
        times.push(started.elapsed());
        assert_eq!(prepared.counts(), (PARSE_ROWS, 0, 0));
    }
    times.sort();
    // Where the time goes, stage by stage (one run).
    let started = Instant::now();
    let decoded = import::decode(&bytes, None).expect("decode");
    let decode_time = started.elapsed();
    let started = Instant::now();
    let table = import::parse(&decoded.text, None).expect("parse");
    let parse_time = started.elapsed();
    let mapping = import::Mapping::auto(&table.headers).expect("map");
    let started = Instant::now();
    let rows = import::validate(&table, &mapping, connect_console::api::MAX_NAME_CHARS);
    let validate_time = started.elapsed();
    let started = Instant::now();
    let id = import::import_id(&bytes);
    let hash_time = started.elapsed();
    assert_eq!((rows.len(), id.len()), (PARSE_ROWS, 64));
    println!(
        "  stages: decode {:.1} ms, parse {:.1} ms, validate {:.1} ms, file hash {:.1} ms",
        ms(decode_time),
        ms(parse_time),
        ms(validate_time),
        ms(hash_time)
    );
    println!(
        "parse + validate {PARSE_ROWS} rows ({:.1} MB): median {:.1} ms, best {:.1} ms over \
         {PARSE_RUNS} runs (target <= 100 ms)",
        bytes.len() as f64 / 1e6,
        ms(times[PARSE_RUNS / 2]),
        ms(times[0])
    );
}

async fn fresh_sandbox() -> RunningSandbox {
    let latency = std::env::var("IMPORT_BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(LATENCY, Duration::from_millis);
    sandbox::start(SandboxConfig {
        port: 0,
        latency,
        seed: Some(1),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

async fn bench_import() {
    let dir = std::env::temp_dir().join(format!("connect-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let file = dir.join("customers.csv");
    std::fs::write(&file, csv_text(IMPORT_ROWS)).expect("write csv");
    let compare = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/compare");

    let mut ours = Vec::new();
    for run in 0..CLI_RUNS {
        let sandbox = fresh_sandbox().await;
        // This process runs only the sandbox meanwhile: its CPU time is the server's work,
        // done on the same cores as the client's.
        let (server_before, client_before) = (cpu_time(RUSAGE_SELF), cpu_time(RUSAGE_CHILDREN));
        let elapsed = run_cli(&sandbox, &file, &dir, run).await;
        let server = cpu_time(RUSAGE_SELF).saturating_sub(server_before);
        let client = cpu_time(RUSAGE_CHILDREN).saturating_sub(client_before);
        let apps = sandbox.app_count();
        println!(
            "connect-console import (whole process, run {}): {:.0} ms for {IMPORT_ROWS} rows \
             ({apps} apps in the workspace, {} duplicates); CPU time: client {:.0} ms, \
             sandbox {:.0} ms",
            run + 1,
            ms(elapsed),
            apps.saturating_sub(IMPORT_ROWS),
            ms(client),
            ms(server)
        );
        assert_eq!(apps, IMPORT_ROWS, "no duplicates");
        ours.push(elapsed);
        sandbox.stop().await;
    }
    ours.sort();
    let median = ours[ours.len() / 2];

    let batch = run_script(&compare.join("batch.py"), &file, IMPORT_ROWS).await;
    let limit = std::env::var("IMPORT_BENCH_PER_ROW_LIMIT")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(IMPORT_ROWS)
        .clamp(1, IMPORT_ROWS);
    let per_row_file = if limit < IMPORT_ROWS {
        let subset = dir.join("subset.csv");
        std::fs::write(&subset, csv_text(limit)).expect("write subset");
        subset
    } else {
        file.clone()
    };
    let per_row_measured = run_script(&compare.join("per_row.py"), &per_row_file, limit).await;
    let per_row = per_row_measured.mul_f64(IMPORT_ROWS as f64 / limit as f64);
    if limit < IMPORT_ROWS {
        println!(
            "  (per-row script ran {limit} rows in {:.0} ms; scaled to {IMPORT_ROWS} rows)",
            ms(per_row_measured)
        );
    }
    let batches = IMPORT_ROWS.div_ceil(100) as f64;
    let latency = LATENCY.as_secs_f64();
    let floor = batches / DEFAULT_CONCURRENCY as f64 * latency;
    let floor_at_max = batches / MAX_CONCURRENCY as f64 * latency;
    println!(
        "import, median of {CLI_RUNS}: {:.0} ms; {:.1}x faster than the batch script (target >= \
         5x), {:.0}x faster than the per-row script (target >= 100x); {:.2}x the round-trip \
         floor of {:.0} ms at concurrency {DEFAULT_CONCURRENCY} (target <= 2x), {:.2}x the \
         floor of {:.0} ms at the most it grows to ({MAX_CONCURRENCY})",
        ms(median),
        batch.as_secs_f64() / median.as_secs_f64(),
        per_row.as_secs_f64() / median.as_secs_f64(),
        median.as_secs_f64() / floor,
        floor * 1000.0,
        median.as_secs_f64() / floor_at_max,
        floor_at_max * 1000.0,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `connect-console import` as its own process, with a fresh journal and secrets file;
/// returns its wall time, start of the process to its exit.
async fn run_cli(sandbox: &RunningSandbox, file: &Path, dir: &Path, run: usize) -> Duration {
    let journal = dir.join(format!("journal-{run}"));
    let secrets = dir.join(format!("secrets-{run}.csv"));
    let started = Instant::now();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_connect-console"))
        .arg("import")
        .arg(file)
        .arg("--journal-dir")
        .arg(&journal)
        .arg("--secrets")
        .arg(&secrets)
        .env("CONNECT_BASE_URL", sandbox.base_url())
        .env("CONNECT_API_KEY", KEY)
        .output()
        .await
        .expect("connect-console runs");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

/// Runs a comparison script against a fresh sandbox; returns its wall time.
async fn run_script(script: &Path, file: &Path, rows: usize) -> Duration {
    let sandbox = fresh_sandbox().await;
    let name = script.file_name().unwrap_or_default().to_string_lossy();
    let started = Instant::now();
    let output = tokio::process::Command::new("python3")
        .arg(script)
        .arg(file)
        .arg(sandbox.base_url())
        .env("CONNECT_API_KEY", KEY)
        .output()
        .await
        .expect("python3 runs");
    let elapsed = started.elapsed();
    let printed = String::from_utf8_lossy(&output.stdout);
    let apps = sandbox.app_count();
    println!(
        "{name}: {:.0} ms for {rows} rows ({}, {apps} apps in the workspace, {} duplicates)",
        ms(elapsed),
        printed.trim(),
        apps.saturating_sub(rows)
    );
    assert!(output.status.success(), "{name} failed");
    sandbox.stop().await;
    elapsed
}

use libc::{RUSAGE_CHILDREN, RUSAGE_SELF};

/// User and system CPU time of this process, or of its finished children.
#[allow(unsafe_code)]
fn cpu_time(who: libc::c_int) -> Duration {
    // SAFETY: `getrusage` only writes the struct it is given, which lives for the call.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(who, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
