//! Listing 10,000 apps from the sandbox with 20 ms latency: the concurrent pager against a
//! sequential one, printed as a ratio. Talks only to 127.0.0.1.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use connect_console::api::{Client, Connection};
use connect_console::sandbox::{self, SandboxConfig};
use connect_console::secret::Secret;

const APPS: usize = 10_000;
const RUNS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let sandbox = sandbox::start(SandboxConfig {
            port: 0,
            generated_apps: APPS,
            latency: Duration::from_millis(20),
            seed: Some(1),
            ..SandboxConfig::default()
        })
        .await
        .expect("sandbox");
        let connection = Connection::new(
            &sandbox.base_url(),
            Secret::new("sk_workspace_test_FAKE_bench"),
        )
        .expect("connection");
        let client = Client::new(connection).expect("client");

        let mut results = Vec::new();
        for (label, concurrency) in [
            ("sequential pager (1 page at a time)", 1),
            ("concurrent pager (8 pages at a time)", 8),
        ] {
            let mut times = Vec::new();
            for _ in 0..RUNS {
                let started = Instant::now();
                let apps = client
                    .list_all_apps(concurrency, |_, _| {})
                    .await
                    .expect("list");
                times.push(started.elapsed());
                assert_eq!(apps.len(), APPS);
            }
            times.sort();
            let median = times[RUNS / 2];
            println!(
                "{label}: median {:.0} ms over {RUNS} runs ({APPS} apps, 20 ms latency)",
                median.as_secs_f64() * 1000.0
            );
            results.push(median);
        }
        println!(
            "list_apps ratio: concurrent is {:.1}x faster than sequential",
            results[0].as_secs_f64() / results[1].as_secs_f64()
        );
        sandbox.stop().await;
    });
}
