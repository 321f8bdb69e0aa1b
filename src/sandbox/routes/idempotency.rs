//! The `Idempotency-Key` contract of writes: a repeat with the same key and body replays the
//! stored answer, another body is a conflict, a repeat while the first runs is "in progress".

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use sha2::{Digest as _, Sha256};

use super::RequestId;
use super::envelope::{error_stored, invalid, stored_to_response};
use crate::digest::hex;
use crate::sandbox::Shared;
use crate::sandbox::store::{IdempotencyRecord, StoredResponse, now_unix};

/// Longest key accepted, in characters (the documented 255).
pub(super) const MAX_KEY_CHARS: usize = 255;

/// Runs a keyed write once: a repeat with the same key and body replays the stored answer with
/// `Idempotency-Replayed: true`; a different body is 409 `IDEMPOTENCY_KEY_CONFLICT`; a repeat
/// while the first is still running is 409 `IDEMPOTENCY_REQUEST_IN_PROGRESS`.
///
/// `work` takes the store's lock itself, for as short a time as it can: a batch makes its ids,
/// secrets and JSON outside it, so concurrent batches do not wait for each other.
pub(super) async fn idempotent(
    shared: &Shared,
    rid: &RequestId,
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    body: &[u8],
    work: impl FnOnce(&Shared) -> StoredResponse,
) -> Response {
    let key = match headers.get("idempotency-key").map(HeaderValue::to_str) {
        None => None,
        Some(Ok(key)) if !key.trim().is_empty() && key.chars().count() <= MAX_KEY_CHARS => {
            Some(key.to_owned())
        }
        Some(_) => {
            let stored = invalid(
                rid,
                "Idempotency-Key",
                &format!("Idempotency-Key must be 1 to {MAX_KEY_CHARS} visible characters"),
                None,
            );
            return stored_to_response(&stored, false);
        }
    };
    let fingerprint = fingerprint(&[method.as_str().as_bytes(), uri.path().as_bytes(), body]);
    if let Some(key) = &key {
        if let Some(answer) = claim_key(shared, rid, key, fingerprint) {
            return answer;
        }
        // The processing time, during which a duplicate sees "in progress".
        if !shared.config.latency.is_zero() {
            tokio::time::sleep(shared.config.latency).await;
        }
    }
    let stored = work(shared);
    let response = stored_to_response(&stored, false);
    if let Some(key) = &key {
        let mut store = shared.store();
        if (200..300).contains(&stored.status) {
            if let Some(record) = store.idempotency.get_mut(key) {
                record.response = Some(stored);
            }
        } else {
            store.idempotency.remove(key);
        }
    }
    shared.persist();
    response
}

/// Looks the key up: an answer to send now (replay or 409), or `None` after marking the key as
/// in progress for this request.
fn claim_key(shared: &Shared, rid: &RequestId, key: &str, fingerprint: String) -> Option<Response> {
    let mut store = shared.store();
    store.purge_expired();
    let conflict = |code: &str, message: &str| {
        Some(stored_to_response(
            &error_stored(rid, StatusCode::CONFLICT, code, message, None),
            false,
        ))
    };
    match store.idempotency.get(key) {
        Some(record) if record.fingerprint != fingerprint => conflict(
            "IDEMPOTENCY_KEY_CONFLICT",
            "This Idempotency-Key was already used with a different request; use a new key",
        ),
        Some(IdempotencyRecord {
            response: Some(stored),
            ..
        }) => Some(stored_to_response(stored, true)),
        Some(_) => conflict(
            "IDEMPOTENCY_REQUEST_IN_PROGRESS",
            "A request with this Idempotency-Key is still being processed; retry shortly",
        ),
        None => {
            store.idempotency.insert(
                key.to_owned(),
                IdempotencyRecord {
                    fingerprint,
                    response: None,
                    created_unix: now_unix(),
                },
            );
            None
        }
    }
}

pub(super) fn fingerprint(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}
