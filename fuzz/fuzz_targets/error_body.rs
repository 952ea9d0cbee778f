//! Error responses of any status, content type and body: typed, and no panic.
#![no_main]

use hibob::__private::error_from_response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[hi, lo, kind], body)) = data.split_first_chunk::<3>() else {
        return;
    };
    let status = 400 + (u16::from_be_bytes([hi, lo]) % 200);
    let content_type = match kind % 4 {
        0 => None,
        1 => Some("application/json"),
        2 => Some("text/plain"),
        _ => Some("text/html"),
    };
    let error = error_from_response(status, content_type, body);
    assert_eq!(
        error.status(),
        Some(status),
        "the status survives every body"
    );
    let _ = (
        error.to_string(),
        format!("{error:?}"),
        error.is_retryable(),
        error.api_body(),
    );
});
