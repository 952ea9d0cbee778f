//! One bucket's state: the sliding-window logs of its configured and learnt
//! limits, what the server says is left, and a hold after a 429.
//!
//! Pure bookkeeping on explicit instants, so the window model is unit-tested
//! without a clock.

use std::time::Duration;

use tokio::time::Instant;

use super::Limit;

/// The largest per-window limit tracked request by request. A server that
/// announces more (or a garbled header) is not worth a window that large:
/// the limit is ignored, and the filler for `X-RateLimit-Remaining` stays
/// bounded (found by `cargo fuzz`: `X-RateLimit-Limit: 3888888888`).
const MAX_TRACKED_LIMIT: u32 = 10_000;

/// The longest window or hold learnt from a header. HiBob counts per minute;
/// anything far beyond is a garbled header, and a 429 later still tells.
pub(super) const MAX_LEARNT_WAIT: Duration = Duration::from_secs(120);

/// The window of a learnt limit before any `X-RateLimit-Reset` was seen:
/// HiBob documents its limits per minute.
const DEFAULT_LEARNT_WINDOW: Duration = Duration::from_secs(60);

/// What one response's `X-RateLimit-*` headers said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ServerCount {
    /// `X-RateLimit-Limit`.
    pub(crate) limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub(crate) remaining: Option<u64>,
    /// `X-RateLimit-Reset`, as the time left until it.
    pub(crate) reset: Option<Duration>,
}

/// A sliding-window log: at most `limit.max()` entries younger than
/// `limit.window()`. An entry moves from a request's start to its
/// completion, the latest moment the server can have counted it.
#[derive(Debug)]
struct Log {
    limit: Limit,
    sent: Vec<Instant>,
}

impl Log {
    fn new(limit: Limit) -> Self {
        Self {
            limit,
            sent: Vec::new(),
        }
    }

    fn expire(&mut self, now: Instant) {
        let window = self.limit.window();
        self.sent
            .retain(|&t| now.saturating_duration_since(t) < window);
    }

    /// How long until the log has room; `None` when it has room now.
    fn wait(&mut self, now: Instant) -> Option<Duration> {
        self.expire(now);
        if self.sent.len() < self.limit.max() as usize {
            return None;
        }
        let oldest = self.sent.iter().min()?;
        Some(
            self.limit
                .window()
                .saturating_sub(now.saturating_duration_since(*oldest)),
        )
    }

    fn left(&mut self, now: Instant) -> usize {
        self.expire(now);
        (self.limit.max() as usize).saturating_sub(self.sent.len())
    }

    fn move_entry(&mut self, from: Instant, to: Option<Instant>) {
        if let Some(at) = self.sent.iter().position(|t| *t == from) {
            match to {
                Some(to) => self.sent[at] = to,
                None => {
                    self.sent.swap_remove(at);
                }
            }
        }
    }
}

/// One bucket: its configured limit (own window), its learnt limit (window
/// learnt from `X-RateLimit-Reset`), and a hold.
#[derive(Debug, Default)]
pub(super) struct BucketState {
    configured: Option<Log>,
    learnt: Option<Log>,
    /// The longest time to `X-RateLimit-Reset` seen: the server's window
    /// length, as far as this client can tell.
    learnt_window: Option<Duration>,
    blocked_until: Option<Instant>,
}

impl BucketState {
    /// Gives a bucket made without a configured limit (by a request that
    /// declared none) the limit a later request declares.
    pub(super) fn configure_if_unset(&mut self, limit: Option<Limit>) {
        if self.configured.is_none() {
            self.configured = limit.map(Log::new);
        }
    }

    pub(super) fn new(configured: Option<Limit>) -> Self {
        Self {
            configured: configured.map(Log::new),
            ..Self::default()
        }
    }

    /// Records a send and returns `None`, or returns how long to wait: the
    /// longest of the hold and each limit's wait (both limits must admit it).
    pub(super) fn try_take(&mut self, now: Instant) -> Option<Duration> {
        let held = self
            .blocked_until
            .filter(|&until| until > now)
            .map(|until| until - now);
        let waits = [
            held,
            self.configured.as_mut().and_then(|log| log.wait(now)),
            self.learnt.as_mut().and_then(|log| log.wait(now)),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Some(wait);
        }
        for log in self.logs() {
            log.sent.push(now);
        }
        None
    }

    /// Moves a request's entries from its start to `now`, when it completed.
    pub(super) fn complete(&mut self, started: Instant, now: Instant) {
        for log in self.logs() {
            log.move_entry(started, Some(now));
        }
    }

    /// Forgets a send that never happened.
    pub(super) fn cancel(&mut self, started: Instant) {
        for log in self.logs() {
            log.move_entry(started, None);
        }
    }

    /// Holds back every request for `wait` (a 429's hint), never shortening
    /// a longer hold.
    pub(super) fn hold(&mut self, wait: Duration, now: Instant) {
        let until = now + wait;
        self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
    }

    /// Learns from one response's headers.
    pub(super) fn learn(&mut self, count: ServerCount, now: Instant) {
        let reset = count.reset.map(|r| r.min(MAX_LEARNT_WAIT));
        if let Some(reset) = reset.filter(|r| !r.is_zero()) {
            self.learnt_window = Some(self.learnt_window.map_or(reset, |w| w.max(reset)));
        }
        let server_max = count
            .limit
            .and_then(|l| u32::try_from(l).ok())
            .filter(|l| (1..=MAX_TRACKED_LIMIT).contains(l));
        if let Some(max) = server_max {
            let limit = Limit::new(max, self.learnt_window_or_default());
            match &mut self.learnt {
                Some(log) => log.limit = limit,
                None => self.learnt = Some(Log::new(limit)),
            }
        }
        if let Some(remaining) = count.remaining {
            self.match_server_remaining(remaining, reset, now);
        }
        if count.remaining == Some(0) {
            let wait = reset.unwrap_or_else(|| self.learnt_window_or_default());
            self.hold(wait, now);
        }
    }

    fn learnt_window_or_default(&self) -> Duration {
        self.learnt_window
            .or(self.configured.as_ref().map(|log| log.limit.window()))
            .unwrap_or(DEFAULT_LEARNT_WINDOW)
            .min(MAX_LEARNT_WAIT)
    }

    /// The server also counts requests this client never made (other
    /// processes sharing the service user): when it has fewer left than the
    /// local window thinks, fill the window so that no more than `remaining`
    /// go out until the filler expires, at `reset` (or after a window).
    fn match_server_remaining(&mut self, remaining: u64, reset: Option<Duration>, now: Instant) {
        let Some(log) = self.learnt.as_mut().or(self.configured.as_mut()) else {
            return;
        };
        let server_left = usize::try_from(remaining).unwrap_or(usize::MAX);
        let missing = log
            .left(now)
            .saturating_sub(server_left)
            .min(MAX_TRACKED_LIMIT as usize);
        let expires_early = reset
            .and_then(|reset| log.limit.window().checked_sub(reset))
            .and_then(|early| now.checked_sub(early));
        let filler = expires_early.unwrap_or(now);
        log.sent.extend(std::iter::repeat_n(filler, missing));
    }

    fn logs(&mut self) -> impl Iterator<Item = &mut Log> {
        self.configured.iter_mut().chain(self.learnt.iter_mut())
    }

    #[cfg(test)]
    pub(super) fn learnt_limit(&self) -> Option<Limit> {
        self.learnt.as_ref().map(|log| log.limit)
    }

    #[cfg(test)]
    pub(super) fn tracked(&self) -> usize {
        self.learnt
            .iter()
            .chain(&self.configured)
            .map(|log| log.sent.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn headers(limit: u64, remaining: u64, reset_s: u64) -> ServerCount {
        ServerCount {
            limit: Some(limit),
            remaining: Some(remaining),
            reset: Some(S * reset_s as u32),
        }
    }

    /// One request sent and answered with `count` at `now`.
    fn send(state: &mut BucketState, now: Instant, count: ServerCount) {
        assert_eq!(state.try_take(now), None, "room for the request");
        state.complete(now, now);
        state.learn(count, now);
    }

    #[test]
    fn sliding_window_never_allows_more_than_max_in_any_window() {
        let mut state = BucketState::new(Some(Limit::new(3, S * 10)));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(state.try_take(t0), None);
        }
        assert_eq!(state.try_take(t0 + S * 4), Some(S * 6));
        assert_eq!(state.try_take(t0 + S * 10), None);
    }

    #[test]
    fn a_learnt_limit_takes_its_window_from_the_reset() {
        // 3 requests per 2 s: the window is the reset, not a minute.
        let mut state = BucketState::new(None);
        let t0 = Instant::now();
        send(&mut state, t0, headers(3, 2, 2));
        send(&mut state, t0, headers(3, 1, 2));
        send(&mut state, t0, headers(3, 0, 2));
        assert_eq!(state.learnt_limit(), Some(Limit::new(3, S * 2)));
        assert_eq!(state.try_take(t0 + S), Some(S));
        let t2 = t0 + S * 2;
        send(&mut state, t2, headers(3, 2, 2));
        send(&mut state, t2, headers(3, 1, 2));
        send(&mut state, t2, headers(3, 0, 2));
        assert_eq!(state.try_take(t2), Some(S * 2));
    }

    #[test]
    fn the_learnt_window_is_the_longest_reset_seen() {
        // Observed late in a window, the reset is short; a later, longer one
        // is the better estimate, and a shorter one after it does not undo it.
        let mut state = BucketState::new(None);
        let t0 = Instant::now();
        send(&mut state, t0, headers(10, 9, 1));
        assert_eq!(state.learnt_limit().map(|l| l.window()), Some(S));
        send(&mut state, t0 + S, headers(10, 9, 5));
        send(&mut state, t0 + S * 2, headers(10, 8, 4));
        assert_eq!(state.learnt_limit().map(|l| l.window()), Some(S * 5));
    }

    #[test]
    fn without_a_reset_a_learnt_limit_uses_the_configured_window_or_a_minute() {
        let t0 = Instant::now();
        let only_limit = ServerCount {
            limit: Some(5),
            ..ServerCount::default()
        };
        let mut bare = BucketState::new(None);
        bare.learn(only_limit, t0);
        assert_eq!(bare.learnt_limit(), Some(Limit::new(5, S * 60)));
        let mut configured = BucketState::new(Some(Limit::new(50, S * 10)));
        configured.learn(only_limit, t0);
        assert_eq!(configured.learnt_limit(), Some(Limit::new(5, S * 10)));
    }

    #[test]
    fn a_configured_limit_keeps_its_own_window_beside_a_learnt_one() {
        // Configured 4 per 60 s; the server teaches 3 per 2 s. Both hold.
        let mut state = BucketState::new(Some(Limit::new(4, S * 60)));
        let t0 = Instant::now();
        for remaining in [2, 1, 0] {
            send(&mut state, t0, headers(3, remaining, 2));
        }
        assert_eq!(state.try_take(t0), Some(S * 2), "the learnt 2 s window");
        send(&mut state, t0 + S * 2, headers(3, 2, 2));
        assert_eq!(
            state.try_take(t0 + S * 2),
            Some(S * 58),
            "the configured minute"
        );
    }

    #[test]
    fn a_server_with_fewer_requests_left_tightens_the_window() {
        let window = S * 60;
        let mut state = BucketState::new(Some(Limit::new(50, window)));
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
    fn filler_expires_at_the_servers_reset() {
        let window = S * 60;
        let mut state = BucketState::new(Some(Limit::new(10, window)));
        let t0 = Instant::now() + window; // room to place filler in the past
        state.match_server_remaining(0, Some(S * 5), t0);
        assert_eq!(state.try_take(t0), Some(S * 5));
        assert_eq!(state.try_take(t0 + S * 5), None);
    }

    #[test]
    fn absurd_limit_headers_are_ignored_and_cost_no_memory() {
        let t0 = Instant::now();
        let mut state = BucketState::new(None);
        for limit in [3_888_888_888, u64::MAX, 0] {
            let count = ServerCount {
                limit: Some(limit),
                remaining: Some(7),
                reset: None,
            };
            state.learn(count, t0);
            assert_eq!(state.learnt_limit(), None, "{limit} not learnt");
            assert_eq!(state.tracked(), 0);
        }
        // A huge configured window is filled at most MAX_TRACKED_LIMIT deep.
        let mut state = BucketState::new(Some(Limit::new(u32::MAX, S * 60)));
        state.match_server_remaining(0, None, t0);
        assert_eq!(state.tracked(), MAX_TRACKED_LIMIT as usize);
    }

    #[test]
    fn remaining_zero_holds_until_the_reset_and_a_long_reset_is_capped() {
        let t0 = Instant::now();
        let mut state = BucketState::new(None);
        state.learn(headers(40, 0, 7), t0);
        assert_eq!(state.try_take(t0), Some(S * 7));
        assert_eq!(state.learnt_limit().map(|l| l.max()), Some(40));
        let mut state = BucketState::new(None);
        state.learn(headers(40, 0, 86_400), t0);
        assert_eq!(state.try_take(t0), Some(MAX_LEARNT_WAIT));
    }

    #[test]
    fn a_cancelled_send_frees_its_place() {
        let mut state = BucketState::new(Some(Limit::new(1, S * 60)));
        let t0 = Instant::now();
        assert_eq!(state.try_take(t0), None);
        assert_eq!(state.try_take(t0), Some(S * 60));
        state.cancel(t0);
        assert_eq!(state.try_take(t0), None);
    }
}
