//! Retry policy: pure functions from (error, attempt, server hint) to a
//! decision, so the maths is unit-tested without a server.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

use crate::Error;

/// How reads are retried on 429, 5xx, timeouts, connection failures and
/// truncated bodies. 400/401/403/404 are never retried.
///
/// Backoff is exponential with full jitter and a cap. A server hint
/// (`Retry-After`; on a 429 also `X-RateLimit-Reset`) lengthens the wait to
/// what the server asked for but never shortens it below the backoff, and one
/// longer than [`max_server_wait`](Self::max_server_wait) ends the retries at
/// once (with [`Error::RateLimited`] for a 429) so the caller decides.
///
/// ```
/// use std::time::Duration;
/// use hibob::{Client, RetryPolicy};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(4).start().await;
/// # let (service_user_id, token) = (fake.service_user_id().to_owned(), fake.token().to_owned());
/// // A nightly sync that would rather wait than fail.
/// let policy = RetryPolicy::default()
///     .max_attempts(6)
///     .max_delay(Duration::from_secs(10))
///     .max_server_wait(Duration::from_secs(60));
/// assert_eq!(policy.attempts(), 6);
///
/// let client = Client::builder()
///     .service_user(service_user_id, token)
/// #   .base_url(fake.uri())
///     .retry_policy(policy)
///     .build()?;
/// let everyone = client.people().search().show_inactive(true).await?;
/// assert_eq!(everyone.employees.len(), 4);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_server_wait: Duration,
    jitter: bool,
    hint_scale: f64,
}

impl Default for RetryPolicy {
    /// 4 attempts, 500 ms base, 30 s cap, server hints up to 120 s, full jitter.
    ///
    /// ```
    /// use hibob::RetryPolicy;
    ///
    /// // What `Client::builder()` uses unless told otherwise.
    /// assert_eq!(RetryPolicy::default().attempts(), 4);
    /// ```
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_server_wait: Duration::from_secs(120),
            jitter: true,
            hint_scale: 1.0,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    ///
    /// ```
    /// use hibob::{Error, RetryPolicy};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// // A HiBob whose every answer is a 5xx.
    /// let fake = hibob::testing::FakeHibob::builder().fault_rate(1.0).start().await;
    /// let client = fake.client_builder().retry_policy(RetryPolicy::none()).build()?;
    /// let err = client.people().search().await.unwrap_err();
    /// assert!(matches!(err, Error::Server { .. }));
    /// assert!(err.is_retryable()); // retryable, but this policy leaves it to the caller
    /// assert_eq!(fake.request_count(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// For tests: no jitter, `base` doubling per attempt, and server hints
    /// scaled down 1000× (so `Retry-After: 2` waits 2 ms), keeping retry tests
    /// fast and exact.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hibob::{Error, RetryPolicy};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// // A test of how your code handles a HiBob that keeps failing.
    /// let fake = hibob::testing::FakeHibob::builder().fault_rate(1.0).start().await;
    /// let policy = RetryPolicy::deterministic(Duration::from_millis(1)).max_attempts(3);
    /// let client = fake.client_builder().retry_policy(policy).build()?;
    /// let err = client.people().search().await.unwrap_err();
    /// assert!(matches!(err, Error::Server { .. }));
    /// assert_eq!(fake.request_count(), 3); // sent once, retried twice, 1 + 2 ms apart
    ///
    /// // The same policy, spelled out.
    /// let ms = Duration::from_millis;
    /// assert_eq!(
    ///     RetryPolicy::deterministic(ms(10)),
    ///     RetryPolicy::default()
    ///         .base_delay(ms(10))
    ///         .max_delay(ms(160))
    ///         .jitter(false)
    ///         .hint_scale(0.001)
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn deterministic(base: Duration) -> Self {
        Self {
            max_attempts: 4,
            base_delay: base,
            max_delay: base * 16,
            max_server_wait: Duration::from_secs(120),
            jitter: false,
            hint_scale: 0.001,
        }
    }

    /// Total attempts, first one included (at least 1).
    ///
    /// ```
    /// use hibob::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::default().max_attempts(8).attempts(), 8);
    /// // Zero attempts would send nothing: it means one.
    /// assert_eq!(RetryPolicy::default().max_attempts(0), RetryPolicy::none());
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before the first retry; it doubles per attempt.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hibob::RetryPolicy;
    ///
    /// // Back off harder than the default 500 ms when HiBob is struggling.
    /// let patient = RetryPolicy::default().base_delay(Duration::from_secs(2));
    /// assert_ne!(patient, RetryPolicy::default());
    /// assert_eq!(patient.attempts(), 4);
    /// ```
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Upper bound of one backoff.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hibob::RetryPolicy;
    ///
    /// let ms = Duration::from_millis;
    /// // `deterministic` caps one backoff at 16 × its base.
    /// assert_eq!(
    ///     RetryPolicy::deterministic(ms(5)).max_delay(ms(80)),
    ///     RetryPolicy::deterministic(ms(5))
    /// );
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest server-requested wait honoured; a longer one ends the retries.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hibob::{Error, RetryPolicy};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// // One search a minute, then 429 with `Retry-After: 60`.
    /// let fake = hibob::testing::FakeHibob::builder()
    ///     .rate_limit(1, Duration::from_secs(60))
    ///     .start()
    ///     .await;
    /// let client = fake
    ///     .client_builder()
    /// #   .rate_limits(hibob::RateLimits::unlimited()) // let the fake's 429 through
    ///     .retry_policy(RetryPolicy::default().max_server_wait(Duration::from_secs(10)))
    ///     .build()?;
    /// client.people().search().await?;
    /// let err = client.people().search().await.unwrap_err();
    /// // Not retried: waiting a minute is the caller's decision.
    /// assert!(matches!(err, Error::RateLimited { .. }));
    /// assert!(err.retry_after() > Some(Duration::from_secs(10)));
    /// assert_eq!(fake.request_count(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_server_wait(mut self, wait: Duration) -> Self {
        self.max_server_wait = wait;
        self
    }

    /// Whether backoff uses full jitter (default on).
    ///
    /// ```
    /// use hibob::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::default().jitter(true), RetryPolicy::default());
    /// // Without jitter, clients that failed together retry together.
    /// assert_ne!(RetryPolicy::default().jitter(false), RetryPolicy::default());
    /// ```
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Multiplies server-hinted waits (a testing knob; 1.0 in production).
    /// Clamped to `0.0..=1.0`: it never makes a wait longer than asked.
    ///
    /// ```
    /// use hibob::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::default().hint_scale(1.0), RetryPolicy::default());
    /// assert_eq!(RetryPolicy::default().hint_scale(5.0), RetryPolicy::default());
    /// ```
    pub fn hint_scale(mut self, scale: f64) -> Self {
        self.hint_scale = scale.clamp(0.0, 1.0);
        self
    }

    /// The total number of attempts this policy allows.
    ///
    /// ```
    /// use hibob::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::none().attempts(), 1);
    /// assert_eq!(RetryPolicy::default().attempts(), 4);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// What to do after `attempt` (1-based) failed with `error`: `Some(wait)`
    /// to retry after `wait`, `None` to give up.
    pub(crate) fn next_delay(&self, error: &Error, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        let backoff = self.backoff(attempt);
        match error.retry_after() {
            Some(hint) if hint > self.max_server_wait => None,
            // A hint only ever lengthens the wait: `Retry-After: 0` or a reset
            // already past would otherwise fire every attempt back-to-back.
            Some(hint) => Some(hint.mul_f64(self.hint_scale).max(backoff)),
            None => Some(backoff),
        }
    }

    /// Exponential backoff with full jitter: uniform in `[0, min(cap, base·2^(n-1))]`.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (attempt.saturating_sub(1)).min(20));
        let ceiling = exp.min(self.max_delay);
        if self.jitter {
            ceiling.mul_f64(random_unit())
        } else {
            ceiling
        }
    }
}

/// A uniform number in [0, 1) from the std hasher's per-process random keys;
/// jitter needs no cryptographic quality and no extra dependency.
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The longest wait a header can express here. Longer values (up to `1e30`
/// or infinity) are reported as this: far beyond any sane retry policy, so the
/// caller gets [`Error::RateLimited`] at once instead of a panic or a retry.
pub(crate) const MAX_HINT: Duration = Duration::from_secs(24 * 60 * 60);

/// The server's wait hint for a non-2xx answer with `status`.
///
/// `Retry-After` (seconds or HTTP date) counts for every status. HiBob may send
/// `X-RateLimit-Reset` on every response, so it is a hint only for a 429: on a
/// 5xx it would make a transient 502 wait for the rate-limit window to end.
pub(crate) fn server_hint(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = header("retry-after").and_then(|v| parse_retry_after(v, now));
    if status != 429 {
        return retry_after;
    }
    retry_after.or_else(|| header("x-ratelimit-reset").and_then(|v| parse_rate_limit_reset(v, now)))
}

/// `Retry-After`: delta seconds or an HTTP date (RFC 9110).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return seconds_to_wait(seconds);
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(date.timestamp()).ok()?))?;
    Some(at.duration_since(now).unwrap_or_default().min(MAX_HINT))
}

/// `X-RateLimit-Reset`, whose unit HiBob does not document: above 10^12 it is
/// epoch milliseconds, above 10^9 epoch seconds, otherwise delta seconds.
pub(crate) fn parse_rate_limit_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let number: f64 = value.trim().parse().ok()?;
    let since_epoch = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
    // A reset already past means "now"; NaN and negatives fall through to `None`.
    let seconds = if number > 1e12 {
        (number / 1000.0 - since_epoch).max(0.0)
    } else if number > 1e9 {
        (number - since_epoch).max(0.0)
    } else {
        number
    };
    seconds_to_wait(seconds)
}

/// Seconds from a header as a wait of at most [`MAX_HINT`]; `None` for NaN or
/// a negative value. `Duration::from_secs_f64` would panic on `1e30`, and
/// `"1e400"` parses as infinity, so both saturate instead.
fn seconds_to_wait(seconds: f64) -> Option<Duration> {
    if seconds.is_nan() || seconds < 0.0 {
        return None;
    }
    let wait = Duration::try_from_secs_f64(seconds).unwrap_or(MAX_HINT);
    Some(wait.min(MAX_HINT))
}

#[cfg(test)]
mod tests;
