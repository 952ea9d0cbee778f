//! Client-side rate limiting per route, so a caller who stays within HiBob's
//! known limits never sees a 429.
//!
//! Each limited route keeps a sliding-window log: at most `max` requests in
//! any `window`. A request's entry moves from its start to its completion, the
//! latest moment HiBob can have counted it, so network jitter never lets the
//! server see more than `max` in its window. That is stricter than a token
//! bucket (which allows up to twice the rate across a window edge) and matches
//! a server that counts per sliding minute. The limiter also learns from
//! `X-RateLimit-Limit` / `X-RateLimit-Remaining` and from 429 hints, and a
//! semaphore bounds the requests in flight.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// At most `max` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Requests allowed in one window.
    pub max: u32,
    /// The window's length.
    pub window: Duration,
}

impl Limit {
    /// `max` requests per minute, HiBob's unit.
    pub const fn per_minute(max: u32) -> Self {
        Self {
            max,
            window: Duration::from_secs(60),
        }
    }
}

/// Per-route limits and the bound on requests in flight.
///
/// Defaults: `POST /people/search` and `GET /company/people/fields` at 50 per
/// minute (HiBob's documented and observed limits), other routes limited only
/// when HiBob's `X-RateLimit-*` headers say so, at most 8 requests in flight.
#[derive(Debug, Clone)]
pub struct RateLimits {
    routes: HashMap<&'static str, Limit>,
    max_in_flight: usize,
    learn_from_headers: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            routes: HashMap::from([
                ("/people/search", Limit::per_minute(50)),
                ("/company/people/fields", Limit::per_minute(50)),
            ]),
            max_in_flight: 8,
            learn_from_headers: true,
        }
    }
}

impl RateLimits {
    /// No client-side limits at all (the server's 429s are still retried).
    pub fn unlimited() -> Self {
        Self {
            routes: HashMap::new(),
            max_in_flight: usize::MAX >> 4,
            learn_from_headers: false,
        }
    }

    /// Sets the limit of one route template, e.g. `/people/search`.
    pub fn route(mut self, route: &'static str, limit: Limit) -> Self {
        self.routes.insert(route, limit);
        self
    }

    /// Bounds the requests in flight across all routes (at least 1).
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.max_in_flight = max.max(1);
        self
    }

    /// Whether `X-RateLimit-*` headers tighten the limits (default on).
    pub fn learn_from_headers(mut self, on: bool) -> Self {
        self.learn_from_headers = on;
        self
    }
}

/// The largest per-window limit tracked request by request. A server that
/// announces more (or a garbled header) is not worth a window that large:
/// the limit is ignored, and the filler for `X-RateLimit-Remaining` stays
/// bounded (found by `cargo fuzz`: `X-RateLimit-Limit: 3888888888`).
const MAX_TRACKED_LIMIT: u32 = 10_000;

#[derive(Debug, Default)]
struct RouteState {
    limit: Option<Limit>,
    /// Start (then completion) times of the requests in the current window.
    sent: Vec<Instant>,
    blocked_until: Option<Instant>,
}

impl RouteState {
    /// Records a send and returns `None`, or returns how long to wait.
    fn try_take(&mut self, now: Instant) -> Option<Duration> {
        if let Some(until) = self.blocked_until.filter(|&until| until > now) {
            return Some(until - now);
        }
        // No known limit for this route: no wait.
        let limit = self.limit?;
        self.sent
            .retain(|&t| now.saturating_duration_since(t) < limit.window);
        if self.sent.len() < limit.max.max(1) as usize {
            self.sent.push(now);
            return None;
        }
        let oldest = self.sent.iter().min()?;
        Some(
            limit
                .window
                .saturating_sub(now.saturating_duration_since(*oldest)),
        )
    }

    /// The server also counts requests this client never made (other
    /// processes sharing the service user): when it has fewer left than the
    /// local window thinks, fill the window so that no more than `remaining`
    /// go out until the filler expires (at `reset`, if sooner than a window).
    fn match_server_remaining(&mut self, remaining: u64, reset: Option<Duration>, now: Instant) {
        let Some(limit) = self.limit else { return };
        self.sent
            .retain(|&t| now.saturating_duration_since(t) < limit.window);
        let local_left = (limit.max as usize).saturating_sub(self.sent.len());
        let server_left = usize::try_from(remaining).unwrap_or(usize::MAX);
        let missing = local_left
            .saturating_sub(server_left)
            .min(MAX_TRACKED_LIMIT as usize);
        let expires_early = reset
            .and_then(|reset| limit.window.checked_sub(reset))
            .and_then(|early| now.checked_sub(early));
        let filler = expires_early.unwrap_or(now);
        self.sent.extend(std::iter::repeat_n(filler, missing));
    }

    /// Moves a request's entry from its start to now, when it completed.
    fn complete(&mut self, started: Instant, now: Instant) {
        if let Some(entry) = self.sent.iter_mut().find(|t| **t == started) {
            *entry = now;
        }
    }
}

/// A request's place in its route's window and in the in-flight bound.
#[derive(Debug)]
pub(crate) struct Slot {
    _permit: OwnedSemaphorePermit,
    route: &'static str,
    taken_at: Instant,
}

/// The shared limiter of one client (and its clones).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    config: RateLimits,
    routes: Mutex<HashMap<&'static str, RouteState>>,
    in_flight: Arc<Semaphore>,
}

impl RateLimiter {
    pub(crate) fn new(config: RateLimits) -> Self {
        let in_flight = Arc::new(Semaphore::new(
            config.max_in_flight.min(Semaphore::MAX_PERMITS),
        ));
        Self {
            config,
            routes: Mutex::new(HashMap::new()),
            in_flight,
        }
    }

    /// Waits for the route's window and a free slot; returns the slot to hold
    /// while the request runs (then pass it to [`complete`](Self::complete))
    /// and the time spent waiting for the window.
    pub(crate) async fn acquire(&self, route: &'static str) -> (Slot, Duration) {
        let started = Instant::now();
        let mut slept = false;
        let taken_at = loop {
            let now = Instant::now();
            let wait = self.with_route(route, |state| state.try_take(now));
            match wait {
                None => break now,
                Some(wait) => {
                    slept = true;
                    tracing::info!(
                        route,
                        wait_ms = wait.as_millis() as u64,
                        "hibob rate-limit wait"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        };
        // Zero unless the window made the request sleep (the clock always moves
        // a little, so `elapsed()` alone would count every request as a wait).
        let waited = if slept {
            started.elapsed()
        } else {
            Duration::ZERO
        };
        let permit = Arc::clone(&self.in_flight)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let slot = Slot {
            _permit: permit,
            route,
            taken_at,
        };
        (slot, waited)
    }

    /// Records that the request holding `slot` completed.
    pub(crate) fn complete(&self, slot: Slot) {
        let now = Instant::now();
        self.with_route(slot.route, |state| state.complete(slot.taken_at, now));
    }

    /// Learns from a response's `X-RateLimit-*` headers.
    pub(crate) fn observe(&self, route: &'static str, headers: &HeaderMap) {
        if !self.config.learn_from_headers {
            return;
        }
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let (limit, remaining) = (number("x-ratelimit-limit"), number("x-ratelimit-remaining"));
        if limit.is_none() && remaining.is_none() {
            return;
        }
        let reset = headers
            .get("x-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| crate::retry::parse_rate_limit_reset(v, SystemTime::now()));
        self.with_route(route, |state| {
            let server_max = limit
                .and_then(|l| u32::try_from(l).ok())
                .filter(|&l| l <= MAX_TRACKED_LIMIT);
            if let Some(server_max) = server_max {
                let window = state.limit.map_or(Duration::from_secs(60), |l| l.window);
                let max = state.limit.map_or(server_max, |l| l.max.min(server_max));
                state.limit = Some(Limit { max, window });
            }
            if let Some(remaining) = remaining {
                state.match_server_remaining(remaining, reset, Instant::now());
            }
            if remaining == Some(0) {
                let window = state.limit.map_or(Duration::from_secs(60), |l| l.window);
                let wait = reset.unwrap_or(window).min(Duration::from_secs(120));
                state.blocked_until = Some(Instant::now() + wait);
            }
        });
    }

    /// Holds back every request on `route` for `wait` (after a 429 with a hint).
    pub(crate) fn block(&self, route: &'static str, wait: Duration) {
        self.with_route(route, |state| {
            let until = Instant::now() + wait;
            state.blocked_until = Some(state.blocked_until.map_or(until, |b| b.max(until)));
        });
    }

    fn with_route<T>(&self, route: &'static str, f: impl FnOnce(&mut RouteState) -> T) -> T {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let state = routes.entry(route).or_insert_with(|| RouteState {
            limit: self.config.routes.get(route).copied(),
            ..RouteState::default()
        });
        f(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window_never_allows_more_than_max_in_any_window() {
        let mut state = RouteState {
            limit: Some(Limit {
                max: 3,
                window: Duration::from_secs(10),
            }),
            ..RouteState::default()
        };
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(state.try_take(t0), None);
        }
        assert_eq!(
            state.try_take(t0 + Duration::from_secs(4)),
            Some(Duration::from_secs(6))
        );
        assert_eq!(state.try_take(t0 + Duration::from_secs(10)), None);
    }

    #[test]
    fn a_server_with_fewer_requests_left_tightens_the_window() {
        let window = Duration::from_secs(60);
        let mut state = RouteState {
            limit: Some(Limit { max: 50, window }),
            ..RouteState::default()
        };
        let t0 = Instant::now();
        assert_eq!(state.try_take(t0), None);
        // Someone else used 44 of the 50: the server says 5 are left.
        state.match_server_remaining(5, None, t0);
        for _ in 0..5 {
            assert_eq!(state.try_take(t0), None);
        }
        assert_eq!(state.try_take(t0), Some(window));
        // A higher count later never loosens what was learnt.
        state.match_server_remaining(40, None, t0);
        assert_eq!(state.try_take(t0), Some(window));
    }

    #[test]
    fn absurd_limit_headers_are_ignored_and_cost_no_memory() {
        let limiter = RateLimiter::new(RateLimits::default());
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "3888888888".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "7".parse().unwrap());
        limiter.observe("/people/{id}", &headers);
        limiter.with_route("/people/{id}", |state| {
            assert_eq!(state.limit, None, "not learnt");
            assert!(state.sent.is_empty());
        });
        // A huge configured window is filled at most MAX_TRACKED_LIMIT deep.
        let mut state = RouteState {
            limit: Some(Limit {
                max: u32::MAX,
                window: Duration::from_secs(60),
            }),
            ..RouteState::default()
        };
        state.match_server_remaining(0, None, Instant::now());
        assert_eq!(state.sent.len(), MAX_TRACKED_LIMIT as usize);
    }

    #[test]
    fn filler_expires_at_the_servers_reset() {
        let window = Duration::from_secs(60);
        let mut state = RouteState {
            limit: Some(Limit { max: 10, window }),
            ..RouteState::default()
        };
        let t0 = Instant::now() + window; // room to place filler in the past
        state.match_server_remaining(0, Some(Duration::from_secs(5)), t0);
        assert_eq!(state.try_take(t0), Some(Duration::from_secs(5)));
        assert_eq!(state.try_take(t0 + Duration::from_secs(5)), None);
    }

    #[tokio::test]
    async fn a_request_that_did_not_wait_reports_no_wait() {
        let limiter = RateLimiter::new(RateLimits::default());
        for _ in 0..3 {
            let (slot, waited) = limiter.acquire("/people/search").await;
            assert_eq!(waited, Duration::ZERO);
            limiter.complete(slot);
        }
    }

    #[tokio::test]
    async fn remaining_zero_blocks_the_route_until_reset() {
        let limiter = RateLimiter::new(RateLimits::default());
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "40".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        headers.insert("x-ratelimit-reset", "7".parse().unwrap());
        limiter.observe("/profiles", &headers);
        let wait = limiter.with_route("/profiles", |s| s.try_take(Instant::now()));
        assert!(wait.is_some_and(|w| w > Duration::from_secs(6)), "{wait:?}");
        let learned = limiter.with_route("/profiles", |s| s.limit);
        assert_eq!(learned.map(|l| l.max), Some(40));
    }

    /// Found by an audit: a 200 carrying `X-RateLimit-Reset: 1e30` panicked
    /// in `Duration::from_secs_f64`.
    #[tokio::test]
    async fn absurd_reset_values_neither_panic_nor_block_for_long() {
        for reset in ["1e30", "1e400", "inf", "NaN", "-5", "-inf", "garbage"] {
            let limiter = RateLimiter::new(RateLimits::default());
            let mut headers = HeaderMap::new();
            headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
            headers.insert("x-ratelimit-reset", reset.parse().unwrap());
            limiter.observe("/profiles", &headers);
            let wait = limiter.with_route("/profiles", |s| s.try_take(Instant::now()));
            let wait = wait.expect("remaining 0 blocks the route");
            assert!(wait <= Duration::from_secs(120), "{reset}: {wait:?}");
        }
    }
}
