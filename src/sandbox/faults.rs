//! Fault injection for both APIs the sandbox serves: the queue of faults (queued by tests or
//! drawn at the configured rates) and answering a request under one: 500/429 refusals, canned
//! bodies, stalls, and writes that commit and then drop the connection. Each API's routes word
//! the refusals in its own error shape.

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

/// A fault to inject into the next matching request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 500 `SYSTEM_INTERNAL_ERROR`, before the request is handled.
    ServerError,
    /// 429 with `Retry-After`, before the request is handled.
    TooManyRequests { retry_after_secs: u64 },
    /// The next write is handled and committed, then the connection is dropped with no answer.
    DropAfterCommit,
    /// The next write waits this long before it is handled: a server that has stalled.
    Stall { seconds: u64 },
    /// A canned answer instead of handling the request (HTML pages, truncated JSON, ...).
    Raw {
        status: u16,
        content_type: String,
        body: String,
    },
}

impl Fault {
    /// Faults that only make sense for a write, and so wait in the queue for one.
    fn waits_for_a_write(&self) -> bool {
        matches!(self, Fault::DropAfterCommit | Fault::Stall { .. })
    }
}

/// Queued faults (for tests) and the random ones (`--fail-rate`, `--drop-rate`).
pub(crate) struct FaultQueue {
    queued: Mutex<VecDeque<Fault>>,
    rng: Mutex<StdRng>,
}

impl FaultQueue {
    pub fn new(seed: Option<u64>) -> Self {
        Self {
            queued: Mutex::new(VecDeque::new()),
            rng: Mutex::new(
                seed.map_or_else(StdRng::from_os_rng, |s| StdRng::seed_from_u64(s ^ 0x5eed)),
            ),
        }
    }

    pub fn push(&self, fault: Fault) {
        lock(&self.queued).push_back(fault);
    }

    /// The fault for this request: a queued one that applies, else a random one by the rates.
    pub(crate) fn next(&self, is_write: bool, fail_rate: f64, drop_rate: f64) -> Option<Fault> {
        {
            let mut queued = lock(&self.queued);
            let position = queued
                .iter()
                .position(|f| is_write || !f.waits_for_a_write());
            if let Some(fault) = position.and_then(|i| queued.remove(i)) {
                return Some(fault);
            }
        }
        let mut rng = lock(&self.rng);
        if fail_rate > 0.0 && rng.random::<f64>() < fail_rate {
            return Some(if rng.random::<bool>() {
                Fault::ServerError
            } else {
                Fault::TooManyRequests {
                    retry_after_secs: 1,
                }
            });
        }
        if is_write && drop_rate > 0.0 && rng.random::<f64>() < drop_rate {
            return Some(Fault::DropAfterCommit);
        }
        None
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A refusal injected before the request is handled, worded in the served API's error shape.
pub(crate) enum Refusal {
    ServerError,
    TooManyRequests,
}

/// Answers a request under an injected fault, for both APIs the sandbox serves: handled as
/// usual, refused (worded by `refuse`; a 429 gets its `Retry-After`), a canned body, handled
/// after a stall, or handled and then dropped without an answer.
pub(crate) async fn answer(
    fault: Option<Fault>,
    request: Request,
    next: Next,
    refuse: impl FnOnce(Refusal) -> Response,
) -> Response {
    match fault {
        None => next.run(request).await,
        Some(Fault::ServerError) => refuse(Refusal::ServerError),
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut response = refuse(Refusal::TooManyRequests);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Some(Fault::Raw {
            status,
            content_type,
            body,
        }) => raw_response(status, &content_type, body),
        Some(Fault::Stall { seconds }) => {
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
            next.run(request).await
        }
        Some(Fault::DropAfterCommit) => {
            // Let the write happen, then fail the body so the connection closes with no answer.
            let _committed = next.run(request).await;
            dropped_connection()
        }
    }
}

/// A canned answer ([`Fault::Raw`]).
fn raw_response(status: u16, content_type: &str, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// An answer whose body fails, so the connection closes with no answer
/// ([`Fault::DropAfterCommit`], after the write ran).
fn dropped_connection() -> Response {
    let broken = futures::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::other(
            "connection dropped by the sandbox",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .body(Body::from_stream(broken))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_drop_waits_for_a_write() {
        let queue = FaultQueue::new(Some(1));
        queue.push(Fault::DropAfterCommit);
        assert_eq!(queue.next(false, 0.0, 0.0), None);
        assert_eq!(queue.next(true, 0.0, 0.0), Some(Fault::DropAfterCommit));
        assert_eq!(queue.next(true, 0.0, 0.0), None);
    }

    #[test]
    fn rates_are_roughly_respected() {
        let queue = FaultQueue::new(Some(42));
        let faults = (0..2000)
            .filter(|_| queue.next(true, 0.2, 0.0).is_some())
            .count();
        assert!((300..500).contains(&faults), "{faults}");
    }
}
