//! Error responses of any status, content type, body and wait headers
//! (`Retry-After`, `X-RateLimit-*`): typed, bounded hints, and no panic.
#![no_main]

use std::time::Duration;

use hibob::__private::error_with_headers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[hi, lo, kind, hint_len], rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let status = 400 + (u16::from_be_bytes([hi, lo]) % 200);
    let content_type: &[u8] = match kind % 4 {
        0 => b"",
        1 => b"application/json",
        2 => b"text/plain",
        _ => b"text/html",
    };
    // The first `hint_len` bytes are the wait headers' value, the rest the body.
    let (hint, body) = rest.split_at(usize::from(hint_len).min(rest.len()));
    let remaining: &[u8] = if kind & 4 == 0 { b"0" } else { b"7" };
    let mut headers = vec![
        ("x-ratelimit-reset", hint),
        ("x-ratelimit-remaining", remaining),
        ("x-ratelimit-limit", hint),
    ];
    if kind & 8 == 0 {
        headers.push(("retry-after", hint));
    }
    if !content_type.is_empty() {
        headers.push(("content-type", content_type));
    }
    let error = error_with_headers(status, &headers, body);
    assert_eq!(
        error.status(),
        Some(status),
        "the status survives every body"
    );
    assert!(
        error.retry_after().is_none_or(|d| d <= Duration::from_secs(86_400)),
        "server hints are clamped"
    );
    let _ = (
        error.to_string(),
        format!("{error:?}"),
        error.is_retryable(),
        error.api_body(),
    );
});
