//! Client-side rate limiting per bucket, so a caller who stays within HiBob's
//! known limits never sees a 429.
//!
//! # Buckets
//!
//! Every request counts in one bucket, by default named by its method and
//! route template (`POST /people/search`); [`RateLimits`] can share a bucket
//! between routes and set any bucket's limit. State is kept per bucket name.
//!
//! # The window model
//!
//! A bucket may have two limits, and a request goes out only when both admit
//! it:
//!
//! - a **configured** limit (`RateLimits`, e.g. people search at 50 per 60 s)
//!   with its own window, which nothing the server sends changes;
//! - a **learnt** limit: `X-RateLimit-Limit` requests per the server's window.
//!   The window's length is the longest time to `X-RateLimit-Reset` seen on
//!   the bucket (parsed by [`crate::retry::parse_rate_limit_reset`]: epoch
//!   seconds, epoch milliseconds or delta seconds). Seen at a window's start,
//!   the reset *is* the window, so a server counting 3 per 2 s is waited on
//!   for 2 s, not a minute. Before any reset is seen the configured window (or
//!   HiBob's minute) stands in, and resets beyond 120 s are taken as 120 s.
//!
//! Each limit is a sliding-window log: at most `max` requests in any window.
//! A request's entry moves from its start to its completion, the latest moment
//! the server can have counted it, so network jitter never lets the server
//! see more than `max` in its window. That is stricter than a fixed window or
//! a token bucket (either allows up to twice the rate across a window edge),
//! so it keeps to a server counting either way.
//!
//! On top, the server's own count wins until its reset: when
//! `X-RateLimit-Remaining` says fewer are left than the log thinks (other
//! processes share the service user), the log is filled so that no more than
//! that many go out before `X-RateLimit-Reset`; `Remaining: 0` and a 429's
//! hint hold the whole bucket until then. A semaphore bounds the requests in
//! flight across buckets.
//!
//! # Deadlines
//!
//! [`RateLimiter::acquire`] never sleeps past the operation's deadline: when
//! the wait it needs is longer than the time left it returns
//! [`Refusal::Window`] at once, before anything is sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::Error;
use crate::error::{Operation, TimeoutKind};

mod config;
mod window;

pub(crate) use config::{Declared, Target};
pub use config::{Limit, RateLimits};
use window::{BucketState, ServerCount};

/// A request's place in its bucket's windows and in the in-flight bound.
#[derive(Debug)]
pub(crate) struct Slot {
    _permit: OwnedSemaphorePermit,
    bucket: String,
    taken_at: Instant,
}

/// Why [`RateLimiter::acquire`] gave up before the request was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The bucket's window (or hold) needs `wait`, longer than the `time_left`
    /// before the operation's deadline.
    Window { wait: Duration, time_left: Duration },
    /// The deadline passed while every in-flight slot stayed busy.
    InFlight,
}

impl Refusal {
    /// The error for the request held back: nothing was sent for `attempt`.
    pub(crate) fn into_error(self, operation: Operation, attempt: u32) -> Error {
        match self {
            Self::Window { wait, time_left } => Error::ClientRateLimited {
                operation,
                wait,
                time_left,
            },
            // Every slot stayed busy: the requests in flight are what is slow.
            Self::InFlight => Error::Timeout {
                operation,
                kind: TimeoutKind::Operation,
                attempts: attempt,
            },
        }
    }
}

/// The shared limiter of one client (and its clones).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    config: RateLimits,
    buckets: Mutex<HashMap<String, BucketState>>,
    in_flight: Arc<Semaphore>,
}

impl RateLimiter {
    /// A limiter for `config`, which must be valid (see [`RateLimits`]).
    pub(crate) fn new(config: RateLimits) -> Result<Self, Error> {
        config.validate()?;
        let in_flight = Arc::new(Semaphore::new(
            config.max_in_flight_value().min(Semaphore::MAX_PERMITS),
        ));
        Ok(Self {
            config,
            buckets: Mutex::new(HashMap::new()),
            in_flight,
        })
    }

    /// Waits for the bucket's windows and a free in-flight slot; returns the
    /// slot to hold while the request runs (then pass it to
    /// [`complete`](Self::complete)) and the time spent waiting for the
    /// windows. Gives up at once, without sleeping, when the windows need a
    /// wait past `deadline`, and at `deadline` while no slot frees.
    pub(crate) async fn acquire(
        &self,
        target: &Target<'_>,
        deadline: Option<Instant>,
    ) -> Result<(Slot, Duration), Refusal> {
        let (bucket, configured) = self.config.resolve(target);
        let started = Instant::now();
        let mut slept = false;
        let taken_at = loop {
            let now = Instant::now();
            let wait = self.with_bucket(&bucket, configured, |state| state.try_take(now));
            let Some(wait) = wait else { break now };
            if let Some(time_left) = deadline.map(|d| d.saturating_duration_since(now)) {
                if wait >= time_left {
                    return Err(Refusal::Window { wait, time_left });
                }
            }
            slept = true;
            tracing::info!(
                bucket,
                wait_ms = wait.as_millis() as u64,
                "hibob rate-limit wait"
            );
            tokio::time::sleep(wait).await;
        };
        // Zero unless the window made the request sleep (the clock always moves
        // a little, so `elapsed()` alone would count every request as a wait).
        let waited = if slept {
            started.elapsed()
        } else {
            Duration::ZERO
        };
        let permit = Arc::clone(&self.in_flight).acquire_owned();
        let permit = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, permit).await.ok(),
            None => Some(permit.await),
        };
        let Some(permit) = permit else {
            self.with_bucket(&bucket, configured, |state| state.cancel(taken_at));
            return Err(Refusal::InFlight);
        };
        let slot = Slot {
            _permit: permit.expect("the semaphore is never closed"),
            bucket,
            taken_at,
        };
        Ok((slot, waited))
    }

    /// Records that the request holding `slot` completed.
    pub(crate) fn complete(&self, slot: Slot) {
        let now = Instant::now();
        self.with_bucket(&slot.bucket, None, |state| {
            state.complete(slot.taken_at, now);
        });
    }

    /// Learns from a response's `X-RateLimit-*` headers.
    pub(crate) fn observe(&self, target: &Target<'_>, headers: &HeaderMap) {
        if !self.config.learns_from_headers() {
            return;
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let number = |name: &str| header(name).and_then(|v| v.trim().parse::<u64>().ok());
        let count = ServerCount {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: header("x-ratelimit-reset")
                .and_then(|v| crate::retry::parse_rate_limit_reset(v, SystemTime::now())),
        };
        if count.limit.is_none() && count.remaining.is_none() {
            return;
        }
        let (bucket, configured) = self.config.resolve(target);
        let now = Instant::now();
        self.with_bucket(&bucket, configured, |state| state.learn(count, now));
    }

    /// Holds back every request in the bucket of `target` for `wait`
    /// (after a 429 with a hint).
    pub(crate) fn block(&self, target: &Target<'_>, wait: Duration) {
        let (bucket, configured) = self.config.resolve(target);
        let now = Instant::now();
        self.with_bucket(&bucket, configured, |state| state.hold(wait, now));
    }

    /// Runs `f` on the bucket's state, created with its configured limit on
    /// first use (or given it later, when the first request declared none).
    fn with_bucket<T>(
        &self,
        bucket: &str,
        configured: Option<Limit>,
        f: impl FnOnce(&mut BucketState) -> T,
    ) -> T {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if !buckets.contains_key(bucket) {
            buckets.insert(bucket.to_owned(), BucketState::new(configured));
        }
        let state = buckets.get_mut(bucket).expect("inserted above");
        state.configure_if_unset(configured);
        f(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn limiter(limits: RateLimits) -> RateLimiter {
        RateLimiter::new(limits).expect("valid limits")
    }

    fn rate_headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    #[tokio::test]
    async fn a_request_that_did_not_wait_reports_no_wait() {
        let limiter = limiter(RateLimits::default());
        for _ in 0..3 {
            let (slot, waited) = limiter
                .acquire(&Target::new("POST", "/people/search"), None)
                .await
                .unwrap();
            assert_eq!(waited, Duration::ZERO);
            limiter.complete(slot);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_is_refused_without_sleeping() {
        let limits = RateLimits::unlimited().route("/x", Limit::per_minute(1));
        let limiter = limiter(limits);
        let (slot, _) = limiter
            .acquire(&Target::new("GET", "/x"), None)
            .await
            .unwrap();
        limiter.complete(slot);
        let started = Instant::now();
        let deadline = Some(started + S * 2);
        let refused = limiter
            .acquire(&Target::new("GET", "/x"), deadline)
            .await
            .unwrap_err();
        assert_eq!(
            refused,
            Refusal::Window {
                wait: S * 60,
                time_left: S * 2
            }
        );
        assert_eq!(started.elapsed(), Duration::ZERO, "no sleep");
        // Within the deadline, the same wait is slept.
        let deadline = Some(Instant::now() + S * 61);
        let (_, waited) = limiter
            .acquire(&Target::new("GET", "/x"), deadline)
            .await
            .unwrap();
        assert_eq!(waited, S * 60);
    }

    #[tokio::test(start_paused = true)]
    async fn busy_in_flight_slots_give_up_at_the_deadline_and_free_the_window() {
        let limits = RateLimits::unlimited()
            .route("/x", Limit::per_minute(2))
            .max_in_flight(1);
        let limiter = limiter(limits);
        let (held, _) = limiter
            .acquire(&Target::new("GET", "/x"), None)
            .await
            .unwrap();
        let deadline = Some(Instant::now() + S * 2);
        let refused = limiter
            .acquire(&Target::new("GET", "/x"), deadline)
            .await
            .unwrap_err();
        assert_eq!(refused, Refusal::InFlight);
        limiter.complete(held);
        // The refused request left no entry behind: the second place is free.
        let (slot, waited) = limiter
            .acquire(&Target::new("GET", "/x"), None)
            .await
            .unwrap();
        assert_eq!(waited, Duration::ZERO);
        limiter.complete(slot);
    }

    #[tokio::test(start_paused = true)]
    async fn methods_and_assigned_routes_pick_their_buckets() {
        let limits = RateLimits::unlimited()
            .route("/t", Limit::per_minute(1))
            .assign("PUT", "/t/{id}", "writes")
            .assign("DELETE", "/t/{id}", "writes")
            .bucket("writes", Limit::per_minute(1));
        let limiter = limiter(limits);
        let now = Some(Instant::now() + S);
        for (method, route) in [("GET", "/t"), ("POST", "/t"), ("PUT", "/t/{id}")] {
            let (slot, _) = limiter
                .acquire(&Target::new(method, route), now)
                .await
                .unwrap();
            limiter.complete(slot);
        }
        // GET /t and the shared writes bucket are now full.
        for (method, route) in [("GET", "/t"), ("DELETE", "/t/{id}")] {
            let refused = limiter.acquire(&Target::new(method, route), now).await;
            assert!(
                matches!(refused, Err(Refusal::Window { .. })),
                "{method} {route}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn headers_teach_the_bucket_of_the_method_that_received_them() {
        let limiter = limiter(RateLimits::default());
        let headers = rate_headers(&[
            ("x-ratelimit-limit", "40"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "7"),
        ]);
        limiter.observe(&Target::new("GET", "/profiles"), &headers);
        let deadline = Some(Instant::now() + S * 2);
        let refused = limiter
            .acquire(&Target::new("GET", "/profiles"), deadline)
            .await;
        assert!(
            matches!(refused, Err(Refusal::Window { wait, .. }) if wait > S * 6 && wait <= S * 7),
            "{refused:?}"
        );
        let other_method = limiter
            .acquire(&Target::new("POST", "/profiles"), deadline)
            .await;
        assert!(other_method.is_ok(), "POST /profiles is another bucket");
    }

    #[test]
    fn invalid_limits_are_refused() {
        let zero = RateLimits::default().route("/x", Limit::new(0, S));
        let err = RateLimiter::new(zero).unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }

    /// Found by an audit: a 200 carrying `X-RateLimit-Reset: 1e30` panicked
    /// in `Duration::from_secs_f64`.
    #[tokio::test]
    async fn absurd_reset_values_neither_panic_nor_block_for_long() {
        for reset in ["1e30", "1e400", "inf", "NaN", "-5", "-inf", "garbage"] {
            let limiter = limiter(RateLimits::default());
            let headers =
                rate_headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset)]);
            limiter.observe(&Target::new("GET", "/profiles"), &headers);
            let wait = limiter.with_bucket("GET /profiles", None, |s| s.try_take(Instant::now()));
            let wait = wait.expect("remaining 0 blocks the bucket");
            assert!(wait <= S * 120, "{reset}: {wait:?}");
        }
    }
}
