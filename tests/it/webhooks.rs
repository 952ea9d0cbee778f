//! Webhooks: signature vectors computed independently (Python's `hmac` +
//! `hashlib.sha512` + `base64`), every documented event shape, follow-up reads
//! against wiremock, and the example listener end to end on loopback.

use hibob::webhooks::{self, Event, EventType, WebhookError};
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::SecretString;
use serde_json::{Value, json};

mod events;
mod follow_up;
mod listener;
mod time_off;

/// `base64(hmac.new(b"secret", b"body", hashlib.sha512).digest())`.
const SECRET_BODY_SIGNATURE: &str =
    "3kpnHoIzmHxGqQSLgEG9pilpAZYAIoNsFcKAI9P2bDcgRJryQb3+LlksWyJzcwzR33Ywc+AY5g1zEwd8U0L96Q==";

/// HiBob's documented `table.entry.created` example, compact, as Bob would send it.
const TABLE_BODY: &str = r#"{"companyId":636192,"type":"table.entry.created","triggeredBy":"3332883804594373380","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{"employeeId":"3332883854254932743","tableId":"lifecycle","effectiveDate":"2025-01-08"}}"#;
/// A non-ASCII secret: the key is its UTF-8 bytes.
const TABLE_SECRET: &str = "whsec-Bob-ünïcode-4f2a";
/// `base64(hmac.new(TABLE_SECRET.encode("utf-8"), TABLE_BODY, hashlib.sha512).digest())`.
const TABLE_SIGNATURE: &str =
    "qe/cISgKMUDYXBcd7Sro6Z03FLWLVzik6EhUFjQC3Tp/rz/PgIzXmfCPji3PQPib4/O++LGigOpcQYc/w+tjgg==";

fn secret(s: &str) -> SecretString {
    SecretString::from(s)
}

fn event_json(event_type: &str, triggered_by: &str, data: Value) -> Value {
    json!({
        "companyId": 636192,
        "type": event_type,
        "triggeredBy": triggered_by,
        "triggeredAt": "2025-01-08T13:06:26.915906",
        "version": "v2",
        "data": data,
    })
}

fn parse(value: &Value) -> Event {
    webhooks::parse_event(value.to_string().as_bytes()).expect("event parses")
}

fn round_trips(value: &Value) {
    let event = parse(value);
    assert_eq!(&serde_json::to_value(&event).unwrap(), value);
}

#[test]
fn known_vector_verifies() {
    webhooks::verify(&secret("secret"), SECRET_BODY_SIGNATURE, b"body").unwrap();
}

#[test]
fn known_vector_with_a_unicode_secret_and_the_documented_body_verifies() {
    let key = secret(TABLE_SECRET);
    webhooks::verify(&key, TABLE_SIGNATURE, TABLE_BODY.as_bytes()).unwrap();
    let event =
        webhooks::verify_and_parse(&key, Some(TABLE_SIGNATURE), TABLE_BODY.as_bytes()).unwrap();
    assert_eq!(event.event_type, EventType::TableEntryCreated);
}

#[test]
fn keys_longer_than_a_block_and_empty_bodies_verify() {
    // base64(hmac.new(b"k" * 200, b"body", sha512)) and hmac.new(b"secret", b"", sha512).
    let long =
        "JLelhrKI6CbQjZGQYhtBamlWpigsQpr2+vUTD9w0qe+yuQddjVZvuMycA/vVg2UvC8r/9ye67QcjBA3Ye872Bg==";
    webhooks::verify(&secret(&"k".repeat(200)), long, b"body").unwrap();
    let empty =
        "sOllDF+vnNiuAidmcVRUJBBFibNlZzHsGTsl0BsHVhwnY3wtTWg4nWz1AHqGMsJuyJuoCgHHemzdOJ7CjbQ5AQ==";
    webhooks::verify(&secret("secret"), empty, b"").unwrap();
}

#[test]
fn sign_reproduces_the_independent_vectors() {
    assert_eq!(
        webhooks::sign(&secret("secret"), b"body"),
        SECRET_BODY_SIGNATURE
    );
    assert_eq!(
        webhooks::sign(&secret(TABLE_SECRET), TABLE_BODY.as_bytes()),
        TABLE_SIGNATURE
    );
}

#[test]
fn tampered_bodies_are_rejected() {
    let key = secret(TABLE_SECRET);
    let body = TABLE_BODY.as_bytes();
    let mut flipped = body.to_vec();
    flipped[30] ^= 0x01;
    let reformatted =
        serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(body).unwrap()).unwrap();
    let other_employee = TABLE_BODY.replace("3332883854254932743", "3332883854254932744");
    for tampered in [
        flipped.as_slice(),
        &body[..body.len() - 1],
        format!("{TABLE_BODY}\n").as_bytes(),
        reformatted.as_slice(),
        other_employee.as_bytes(),
    ] {
        let err = webhooks::verify(&key, TABLE_SIGNATURE, tampered).unwrap_err();
        assert!(matches!(err, WebhookError::InvalidSignature), "{err:?}");
        assert!(err.is_unauthenticated());
    }
}

#[test]
fn tampered_signatures_and_wrong_secrets_are_rejected() {
    let key = secret(TABLE_SECRET);
    let body = TABLE_BODY.as_bytes();
    let mut changed = TABLE_SIGNATURE.to_owned();
    changed.replace_range(0..1, "r");
    let truncated = &TABLE_SIGNATURE[..44];
    for signature in [changed.as_str(), truncated, "", SECRET_BODY_SIGNATURE] {
        let err = webhooks::verify(&key, signature, body).unwrap_err();
        assert!(
            matches!(err, WebhookError::InvalidSignature),
            "{signature}: {err:?}"
        );
    }
    for wrong in ["whsec-Bob-unicode-4f2a", "WHSEC-BOB-ÜNÏCODE-4F2A", "secret"] {
        let err = webhooks::verify(&secret(wrong), TABLE_SIGNATURE, body).unwrap_err();
        assert!(matches!(err, WebhookError::InvalidSignature));
    }
}

#[test]
fn a_missing_header_is_a_typed_error() {
    let key = secret("secret");
    let err = webhooks::verify_header(&key, None, b"body").unwrap_err();
    assert!(matches!(err, WebhookError::MissingSignature));
    assert!(err.is_unauthenticated());
    let err = webhooks::verify_headers(&key, &HeaderMap::new(), b"body").unwrap_err();
    assert!(matches!(err, WebhookError::MissingSignature));
    let err = webhooks::verify_and_parse(&key, None, TABLE_BODY.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::MissingSignature));
}

#[test]
fn a_non_base64_header_is_malformed() {
    let key = secret("secret");
    for header in ["not base64!", "3kpnHoIz*mHxG", "====", "3kpn-HoIz_mHxG"] {
        let err = webhooks::verify(&key, header, b"body").unwrap_err();
        assert!(
            matches!(err, WebhookError::MalformedSignature),
            "{header}: {err:?}"
        );
        assert!(err.is_unauthenticated());
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        "bob-signature",
        HeaderValue::from_bytes(b"\xe2\x9c\x93abc").unwrap(),
    );
    let err = webhooks::verify_headers(&key, &headers, b"body").unwrap_err();
    assert!(matches!(err, WebhookError::MalformedSignature));
}

#[test]
fn header_maps_are_read_case_insensitively_and_padding_is_optional() {
    let key = secret("secret");
    let mut headers = HeaderMap::new();
    headers.insert(
        "BOB-SIGNATURE",
        HeaderValue::from_static(SECRET_BODY_SIGNATURE),
    );
    webhooks::verify_headers(&key, &headers, b"body").unwrap();
    let unpadded = SECRET_BODY_SIGNATURE.trim_end_matches('=');
    webhooks::verify(&key, &format!(" {unpadded} "), b"body").unwrap();
}

#[test]
fn nothing_is_parsed_unless_the_signature_matches() {
    let err = webhooks::verify_and_parse(&secret("secret"), Some(SECRET_BODY_SIGNATURE), b"{oops")
        .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSignature));
}
