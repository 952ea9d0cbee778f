//! The retry maths: header parsing, backoff, and which errors end the retries.

use super::*;
use crate::error::Operation;

const OP: Operation = Operation {
    method: "GET",
    route: "/x",
};

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn rate_limited(after: Option<Duration>) -> Error {
    Error::RateLimited {
        operation: OP,
        retry_after: after,
        limit: None,
    }
}

#[test]
fn retry_after_in_seconds_and_http_dates() {
    assert_eq!(parse_retry_after("7", now()), Some(Duration::from_secs(7)));
    let date = "Tue, 14 Nov 2023 22:13:30 GMT"; // 10 s after now()
    assert_eq!(
        parse_retry_after(date, now()),
        Some(Duration::from_secs(10))
    );
    assert_eq!(parse_retry_after("soon", now()), None);
    assert_eq!(parse_retry_after("-3", now()), None);
}

#[test]
fn rate_limit_reset_in_each_format() {
    let ten = Some(Duration::from_secs(10));
    assert_eq!(parse_rate_limit_reset("10", now()), ten);
    assert_eq!(parse_rate_limit_reset("1700000010", now()), ten);
    assert_eq!(parse_rate_limit_reset("1700000010000", now()), ten);
    assert_eq!(
        parse_rate_limit_reset("1600000000", now()),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_rate_limit_reset("NaN", now()), None);
}

/// Found by an audit: `Duration::from_secs_f64` panicked on these.
#[test]
fn absurd_header_values_neither_panic_nor_go_negative() {
    for huge in ["1e30", "1e400", "inf", "+infinity", "18446744073709551616"] {
        assert_eq!(parse_retry_after(huge, now()), Some(MAX_HINT), "{huge}");
        assert_eq!(
            parse_rate_limit_reset(huge, now()),
            Some(MAX_HINT),
            "{huge}"
        );
    }
    for junk in ["NaN", "-1", "-1e30", "-inf", "", "1e", "0x10"] {
        assert_eq!(parse_retry_after(junk, now()), None, "{junk}");
        assert_eq!(parse_rate_limit_reset(junk, now()), None, "{junk}");
    }
    assert_eq!(parse_retry_after("-0", now()), Some(Duration::ZERO));
    let far_date = "Fri, 31 Dec 9999 23:59:59 GMT";
    assert_eq!(parse_retry_after(far_date, now()), Some(MAX_HINT));
}

#[test]
fn a_huge_hint_ends_the_retries_instead_of_waiting() {
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-reset", "1e30".parse().unwrap());
    let hint = server_hint(429, &headers, now());
    let err = rate_limited(hint);
    assert_eq!(RetryPolicy::default().next_delay(&err, 1), None);
    assert_eq!(err.retry_after(), Some(MAX_HINT));
}

#[test]
fn rate_limit_reset_is_a_hint_for_429_only() {
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-reset", "1700000045".parse().unwrap());
    headers.insert("x-ratelimit-remaining", "12".parse().unwrap());
    let in_45s = Some(Duration::from_secs(45));
    assert_eq!(server_hint(429, &headers, now()), in_45s);
    for status in [500, 502, 503, 504] {
        assert_eq!(server_hint(status, &headers, now()), None, "{status}");
    }
    headers.insert("retry-after", "3".parse().unwrap());
    let three = Some(Duration::from_secs(3));
    assert_eq!(server_hint(503, &headers, now()), three);
    assert_eq!(server_hint(429, &headers, now()), three, "Retry-After wins");
}

#[test]
fn a_zero_or_past_hint_still_backs_off() {
    let policy = RetryPolicy::deterministic(Duration::from_millis(10));
    let now_hint = rate_limited(Some(Duration::ZERO));
    let waits: Vec<_> = (1..4).map(|a| policy.next_delay(&now_hint, a)).collect();
    let ms = |n| Some(Duration::from_millis(n));
    assert_eq!(waits, [ms(10), ms(20), ms(40)]);
    let past = parse_rate_limit_reset("1600000000", now());
    assert_eq!(policy.next_delay(&rate_limited(past), 2), ms(20));
    // A longer hint still wins over the backoff (80 s scaled to 80 ms).
    let long = rate_limited(Some(Duration::from_secs(80)));
    assert_eq!(policy.next_delay(&long, 1), ms(80));
}

#[test]
fn backoff_doubles_and_is_capped_without_jitter() {
    let policy = RetryPolicy::default().jitter(false).max_attempts(10);
    let delays: Vec<_> = (1..=8).map(|a| policy.backoff(a).as_millis()).collect();
    assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
}

#[test]
fn jittered_backoff_stays_within_the_ceiling() {
    let policy = RetryPolicy::default();
    for attempt in 1..6 {
        let ceiling = Duration::from_millis(500 * (1 << (attempt - 1)));
        assert!(policy.backoff(attempt) <= ceiling);
    }
}

#[test]
fn server_hint_wins_and_long_hints_end_retries() {
    let policy = RetryPolicy::default();
    let hinted = rate_limited(Some(Duration::from_secs(3)));
    assert_eq!(policy.next_delay(&hinted, 1), Some(Duration::from_secs(3)));
    let too_long = rate_limited(Some(Duration::from_secs(600)));
    assert_eq!(policy.next_delay(&too_long, 1), None);
    assert_eq!(policy.next_delay(&hinted, 4), None, "attempts exhausted");
}

#[test]
fn client_errors_are_never_retried() {
    let policy = RetryPolicy::default();
    for status in [400, 401, 403, 404] {
        let err = Error::from_response(OP, status, None, None, None, b"");
        assert_eq!(policy.next_delay(&err, 1), None, "{status}");
    }
}
