//! When and how long to wait before retrying a failed call.
//!
//! Only failures that retrying can fix are retried (network, 5xx, 429,
//! `IDEMPOTENCY_REQUEST_IN_PROGRESS`), a bounded number of times, with exponential backoff and
//! full jitter, and never sooner than the server's `Retry-After`.

use std::time::Duration;

use rand::Rng as _;

use super::error::ApiError;

/// Bounds of the retry loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retry.
    pub max_attempts: u32,
    /// Upper bound of the first backoff; doubles on each retry.
    pub base_delay: Duration,
    /// Cap of a computed backoff.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; a longer one ends the retries and surfaces the error.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How long to wait after failed attempt number `attempt` (1-based), or `None` to give up.
    pub fn delay_after(&self, attempt: u32, error: &ApiError) -> Option<Duration> {
        if !error.is_retryable() || attempt >= self.max_attempts {
            return None;
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let ceiling = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        // Full jitter, but at least a tenth of the ceiling so a burst does not retry at once.
        let floor = ceiling / 10;
        let backoff = if ceiling > floor {
            rand::rng().random_range(floor..=ceiling)
        } else {
            ceiling
        };
        match error.retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait.max(backoff.min(wait + self.base_delay))),
            None => Some(backoff),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::error::ErrorKind;

    #[test]
    fn only_retryable_errors_are_retried_and_bounded() {
        let policy = RetryPolicy::default();
        let server = ApiError::new(ErrorKind::Server, "x");
        let invalid = ApiError::new(ErrorKind::Validation, "x");
        assert!(policy.delay_after(1, &server).is_some());
        assert!(policy.delay_after(1, &invalid).is_none());
        assert!(policy.delay_after(policy.max_attempts, &server).is_none());
        for attempt in 1..policy.max_attempts {
            let d = policy.delay_after(attempt, &server).unwrap();
            assert!(d <= policy.max_delay);
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        let policy = RetryPolicy::default();
        let mut limited = ApiError::new(ErrorKind::RateLimited, "slow down");
        limited.retry_after = Some(Duration::from_secs(2));
        let d = policy.delay_after(1, &limited).unwrap();
        assert!(d >= Duration::from_secs(2) && d <= Duration::from_secs(2) + policy.base_delay);
        limited.retry_after = Some(Duration::from_secs(3600));
        assert!(policy.delay_after(1, &limited).is_none());
    }
}
