//! The real `Client` against a hostile server on 127.0.0.1: each misbehaviour ends in a short,
//! clear error of the right kind, in bounded time and memory. Limits are shortened where the
//! defaults would make the suite slow; one test checks the defaults themselves.

// A failed unwrap in a test or a benchmark is a failure with its message, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::hostile::{HUGE, Hostile, Mode};
use connect_console::api::{
    ApiError, Client, Connection, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_DEADLINE, ErrorKind,
    MAX_BODY_BYTES, MAX_LISTED_APPS, RetryPolicy,
};
use connect_console::secret::Secret;
use connect_console::zitadel::{ZitadelClient, ZitadelConnection};

const MB: u64 = 1024 * 1024;

fn client(server: &Hostile) -> Client {
    let connection =
        Connection::new(&server.base_url(), Secret::new(common::KEY)).expect("valid connection");
    Client::new(connection).expect("client")
}

/// Retries at once, so only the timeouts decide how long a call takes.
fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 6,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(1),
    }
}

async fn list(client: &Client) -> ApiError {
    client
        .list_all_apps(4, |_, _| {})
        .await
        .expect_err("the hostile server's list is refused")
}

fn assert_names(err: &ApiError, parts: &[&str]) {
    for part in parts {
        assert!(
            err.message.contains(part),
            "`{part}` missing from: {}",
            err.message
        );
    }
}

#[test]
fn the_defaults_are_10_s_per_attempt_30_s_per_call_and_16_mb() {
    assert_eq!(DEFAULT_ATTEMPT_TIMEOUT, Duration::from_secs(10));
    assert_eq!(DEFAULT_DEADLINE, Duration::from_secs(30));
    assert_eq!(MAX_BODY_BYTES, 16 * 1024 * 1024);
    assert_eq!(MAX_LISTED_APPS, 1_000_000);
    let connection = Connection::new(
        "https://sandbox.api.hopae.com/connect/v1",
        Secret::new(common::KEY),
    )
    .unwrap();
    let client = Client::new(connection).unwrap();
    assert_eq!(client.attempt_timeout(), Duration::from_secs(10));
    assert_eq!(client.deadline(), Duration::from_secs(30));
    let longer = client.clone().with_deadline(Duration::from_secs(90));
    assert_eq!(longer.deadline(), Duration::from_secs(90));
    assert_eq!(longer.attempt_timeout(), Duration::from_secs(10));
    assert_eq!(client.deadline(), Duration::from_secs(30));
}

#[tokio::test]
async fn headers_then_silence_fail_the_attempt_after_its_timeout() {
    let server = Hostile::start(Mode::Stall).await;
    let client = client(&server)
        .with_retry(RetryPolicy::none())
        .with_timeouts(Duration::from_millis(500), Duration::from_secs(10))
        .unwrap();
    let started = Instant::now();
    let err = list(&client).await;
    assert_eq!(err.kind, ErrorKind::Network, "{err}");
    assert_names(&err, &[&server.host(), "sent nothing for 0.5 s"]);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_fails_the_attempt_after_its_timeout() {
    let server = Hostile::start(Mode::Silent).await;
    let client = client(&server)
        .with_retry(RetryPolicy::none())
        .with_timeouts(Duration::from_millis(500), Duration::from_secs(10))
        .unwrap();
    let started = Instant::now();
    let err = list(&client).await;
    assert_eq!(err.kind, ErrorKind::Network, "{err}");
    assert_names(&err, &[&server.host(), "0.5 s"]);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn retries_of_a_stalled_server_stop_at_the_deadline() {
    let server = Hostile::start(Mode::Stall).await;
    // Attempts of 1 s with 10 ms between them: the second attempt is cut by the 1.5 s deadline.
    let client = client(&server)
        .with_retry(quick_retry())
        .with_timeouts(Duration::from_secs(1), Duration::from_millis(1500))
        .unwrap();
    let started = Instant::now();
    let err = list(&client).await;
    let elapsed = started.elapsed();
    assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
    assert_names(
        &err,
        &[&server.host(), "did not finish answering within 1.5 s"],
    );
    assert!(err.is_retryable());
    assert!(
        err.user_message().contains("--timeout"),
        "{}",
        err.user_message()
    );
    assert!(elapsed >= Duration::from_millis(1400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_byte_a_second_gives_up_at_the_deadline() {
    let server = Hostile::start(Mode::Trickle).await;
    // The default attempt timeout (10 s) never fires on a byte a second; the deadline does.
    let client = client(&server).with_deadline(Duration::from_secs(2));
    let started = Instant::now();
    let err = list(&client).await;
    let elapsed = started.elapsed();
    assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
    assert_names(&err, &[&server.host(), "within 2 s"]);
    assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(server.body_bytes_sent() <= 3);
}

#[tokio::test]
async fn a_redirect_is_refused_and_never_followed() {
    let elsewhere = Hostile::start(Mode::Honest {
        apps: 3,
        total: true,
    })
    .await;
    let server = Hostile::start(Mode::Redirect(format!("{}/apps", elsewhere.base_url()))).await;
    let client = client(&server).with_retry(quick_retry());
    let err = list(&client).await;
    assert_eq!(err.kind, ErrorKind::Redirected, "{err}");
    assert_eq!(err.status, Some(307));
    assert_names(&err, &[&format!("redirected to {}", elsewhere.host())]);
    assert!(!err.is_retryable());
    assert!(
        err.user_message().contains("workspace address"),
        "{}",
        err.user_message()
    );
    assert_eq!(server.requests(), 1, "a redirect is not retried");
    assert_eq!(elsewhere.requests(), 0, "the redirect was followed");
}

#[tokio::test]
async fn a_relative_redirect_names_the_same_host() {
    let server = Hostile::start(Mode::Redirect("/login".into())).await;
    let err = list(&client(&server)).await;
    assert_eq!(err.kind, ErrorKind::Redirected, "{err}");
    assert_names(&err, &[&format!("redirected to {}", server.host())]);
}

#[tokio::test]
async fn a_huge_total_is_refused_without_sizing_anything_by_it() {
    let server = Hostile::start(Mode::HugeTotal).await;
    let err = list(&client(&server)).await;
    assert_eq!(err.kind, ErrorKind::Protocol, "{err}");
    assert_names(
        &err,
        &[&server.host(), "announced 1000000000000 apps", "1,000,000"],
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_ignored_offset_without_total_ends_with_an_error() {
    let server = Hostile::start(Mode::IgnoredOffset { total: None }).await;
    let err = list(&client(&server)).await;
    assert_eq!(err.kind, ErrorKind::Protocol, "{err}");
    assert_names(
        &err,
        &[&server.host(), "kept sending the same apps", "offset"],
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn an_ignored_offset_with_a_total_ends_with_an_error() {
    let server = Hostile::start(Mode::IgnoredOffset { total: Some(5_000) }).await;
    let err = list(&client(&server)).await;
    assert_eq!(err.kind, ErrorKind::Protocol, "{err}");
    assert_names(&err, &[&server.host(), "kept sending the same apps"]);
    // The first page, then at most the pages already in flight (4 at a time).
    assert!(server.requests() <= 1 + 4, "{}", server.requests());
}

#[tokio::test]
async fn honest_paging_still_lists_everything_with_or_without_total() {
    for total in [true, false] {
        let server = Hostile::start(Mode::Honest { apps: 250, total }).await;
        let apps = client(&server)
            .list_all_apps(4, |_, _| {})
            .await
            .expect("an honest list");
        assert_eq!(apps.len(), 250, "total: {total}");
        assert_eq!(apps[249].client_id, "app0000249");
        // 100 + 100 + 50; without a total the short page ends the walk.
        assert_eq!(server.requests(), 3, "total: {total}");
    }
}

#[tokio::test]
async fn a_300_mb_content_length_is_refused_before_reading() {
    let server = Hostile::start(Mode::HugeBody).await;
    let started = Instant::now();
    let err = list(&client(&server)).await;
    assert_eq!(err.kind, ErrorKind::TooLarge, "{err}");
    assert_names(&err, &[&server.host(), "larger than 16 MB"]);
    assert!(!err.is_retryable());
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_secs(10));
    // Dropping the answer closes the connection; whatever the server wrote went only as far
    // as the sockets' buffers.
    let sent = settled_bytes(&server).await;
    assert!(sent < 48 * MB, "{} MB accepted", sent / MB);
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_16_mb() {
    let server = Hostile::start(Mode::EndlessChunked).await;
    let started = Instant::now();
    let err = list(&client(&server)).await;
    assert_eq!(err.kind, ErrorKind::TooLarge, "{err}");
    assert_names(&err, &[&server.host(), "larger than 16 MB"]);
    assert!(started.elapsed() < Duration::from_secs(20));
    let sent = settled_bytes(&server).await;
    // The client read up to the limit, and stopped there: far from the 300 MB on offer.
    assert!(sent >= 16 * MB, "{} MB sent", sent / MB);
    assert!(
        sent < 48 * MB,
        "{} MB accepted of {} MB offered",
        sent / MB,
        HUGE / MB
    );
}

#[tokio::test]
async fn an_html_error_page_is_named_by_its_title() {
    let server = Hostile::start(Mode::HtmlPage(502)).await;
    let client = client(&server).with_retry(RetryPolicy::none());
    let err = list(&client).await;
    assert_eq!(err.kind, ErrorKind::Server, "{err}");
    assert_eq!(err.status, Some(502));
    assert_names(&err, &["web page titled \"502 Bad Gateway\""]);
    assert!(!err.message.contains("nginx"));
}

#[tokio::test]
async fn the_command_line_timeout_sets_the_deadline() {
    let server = Hostile::start(Mode::Trickle).await;
    let started = Instant::now();
    let output = common::run_cli(
        None,
        &[
            "apps",
            "list",
            "--base-url",
            &server.base_url(),
            "--api-key",
            common::KEY,
            "--timeout",
            "1",
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "The server at {} did not finish answering within 1 s",
            server.host()
        )),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));

    let output = common::run_cli(None, &["apps", "list", "--timeout", "0"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("1 to 3600"), "{stderr}");
}

/// The server's byte count once it has stopped writing (the client hung up).
async fn settled_bytes(server: &Hostile) -> u64 {
    let mut last = server.body_bytes_sent();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = server.body_bytes_sent();
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

// The ZITADEL client reads through the same bounds: the hostile server answers any path, so
// `/management/v1/projects/_search` meets the same misbehaviour.

fn zitadel_client(server: &Hostile) -> ZitadelClient {
    let origin = format!("http://{}", server.host());
    let connection = ZitadelConnection::new(&origin, Secret::new("FAKE_PAT_hostile"), None)
        .expect("valid connection");
    ZitadelClient::new(connection).expect("client")
}

#[tokio::test]
async fn zitadel_a_redirect_is_refused_and_never_followed() {
    let elsewhere = Hostile::start(Mode::Honest {
        apps: 3,
        total: true,
    })
    .await;
    let server = Hostile::start(Mode::Redirect(format!("http://{}/", elsewhere.host()))).await;
    let client = zitadel_client(&server).with_retry(quick_retry());
    let err = client.list_projects().await.expect_err("refused");
    assert_eq!(err.kind, ErrorKind::Redirected, "{err}");
    assert_names(&err, &[&format!("redirected to {}", elsewhere.host())]);
    assert_eq!(server.requests(), 1, "a redirect is not retried");
    assert_eq!(elsewhere.requests(), 0, "the redirect was followed");
}

#[tokio::test]
async fn zitadel_a_300_mb_answer_is_refused() {
    let server = Hostile::start(Mode::HugeBody).await;
    let err = zitadel_client(&server)
        .list_projects()
        .await
        .expect_err("refused");
    assert_eq!(err.kind, ErrorKind::TooLarge, "{err}");
    assert_names(&err, &[&server.host(), "larger than 16 MB"]);
    assert_eq!(server.requests(), 1);
    let sent = settled_bytes(&server).await;
    assert!(sent < 48 * MB, "{} MB accepted", sent / MB);
}

#[tokio::test]
async fn zitadel_a_byte_a_second_gives_up_at_the_deadline() {
    let server = Hostile::start(Mode::Trickle).await;
    let client = zitadel_client(&server).with_deadline(Duration::from_secs(2));
    let started = Instant::now();
    let err = client.list_projects().await.expect_err("cut");
    let elapsed = started.elapsed();
    assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
    assert_names(&err, &[&server.host(), "within 2 s"]);
    assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}
