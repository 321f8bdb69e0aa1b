//! The bounds of every whole listing, whichever backend: the answers' bytes in total, the
//! number of apps, and the time, so a server whose pages never end cannot fill memory or keep a
//! listing going for ever.

use std::future::Future;
use std::time::Duration;

use crate::api::{ApiError, ErrorKind};

/// The most bytes of answers one whole listing reads (every page together).
pub const MAX_LISTING_BYTES: usize = 256 * 1024 * 1024;

/// The most apps one listing accepts; a server announcing or sending more is refused.
pub const MAX_LISTED_APPS: usize = 1_000_000;

/// How long a whole listing may take at least; a longer per-call deadline (`--timeout`) wins.
pub const MIN_LISTING_TIME: Duration = Duration::from_secs(5 * 60);

/// The time a whole listing may take for a client whose calls have `deadline` each.
pub fn listing_time(deadline: Duration) -> Duration {
    deadline.max(MIN_LISTING_TIME)
}

/// The bytes a listing has read so far, checked against [`MAX_LISTING_BYTES`].
#[derive(Debug)]
pub struct Budget {
    host: String,
    bytes: usize,
    max_bytes: usize,
}

impl Budget {
    pub fn new(host: &str) -> Self {
        Self::with_max_bytes(host, MAX_LISTING_BYTES)
    }

    /// A budget of another size (tests, which cannot send 256 MB quickly).
    pub fn with_max_bytes(host: &str, max_bytes: usize) -> Self {
        Self {
            host: host.to_owned(),
            bytes: 0,
            max_bytes,
        }
    }

    /// Counts a page of `bytes`; an error once the bound is passed.
    pub fn charge(&mut self, bytes: usize) -> Result<(), ApiError> {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > self.max_bytes {
            return Err(ApiError::worded(ErrorKind::TooLarge, || {
                crate::tr!(
                    "backend-listing-too-large",
                    host = self.host.as_str(),
                    mb = self.max_bytes.div_euclid(1024 * 1024)
                )
            }));
        }
        Ok(())
    }
}

/// Runs a whole `listing`, stopping it with an error after `time`.
pub async fn within<T>(
    host: &str,
    time: Duration,
    listing: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    match tokio::time::timeout(time, listing).await {
        Ok(result) => result,
        Err(_) => Err(ApiError::worded(ErrorKind::Timeout, || {
            crate::tr!("backend-listing-timeout", host = host, time = minutes(time))
        })),
    }
}

fn minutes(time: Duration) -> String {
    match time.as_secs() {
        s if s.is_multiple_of(60) && s >= 60 => crate::tr!("backend-minutes", n = s.div_euclid(60)),
        s => crate::tr!("net-seconds", n = s.to_string()),
    }
}

/// 1000000 as "1,000,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_bounded() {
        let mut budget = Budget::with_max_bytes("api.example", 1000);
        assert!(budget.charge(600).is_ok());
        let err = budget.charge(600).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooLarge);
        assert!(err.message.contains("api.example"), "{}", err.message);
    }

    #[test]
    fn the_listing_time_is_five_minutes_or_a_longer_deadline() {
        assert_eq!(listing_time(Duration::from_secs(30)), MIN_LISTING_TIME);
        assert_eq!(
            listing_time(Duration::from_secs(900)),
            Duration::from_secs(900)
        );
    }

    #[tokio::test]
    async fn a_listing_that_never_ends_is_stopped() {
        let never = std::future::pending::<Result<(), ApiError>>();
        let err = within("api.example", Duration::from_millis(20), never)
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Timeout);
        assert!(err.message.contains("api.example"), "{}", err.message);
        assert_eq!(minutes(MIN_LISTING_TIME), "5 minute(s)");
    }
}
