use chrono::{NaiveDate, NaiveDateTime};
use secrecy::SecretString;

use super::*;
use crate::tables::HistoryTable;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, micro: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_micro_opt(h, mi, s, micro))
        .expect("valid test instant")
}

#[test]
fn timestamps_parse_zone_less_and_with_zones() {
    let expected = at(2025, 1, 8, 13, 6, 26, 915_906);
    assert_eq!(
        Timestamp::new("2025-01-08T13:06:26.915906").naive_utc(),
        Some(expected)
    );
    assert_eq!(
        Timestamp::new("2025-01-08T13:06:26.915906Z").naive_utc(),
        Some(expected)
    );
    assert_eq!(
        Timestamp::new("2025-01-08T15:06:26.915906+02:00").naive_utc(),
        Some(expected)
    );
    assert_eq!(
        Timestamp::new("2025-01-08T15:06:26.915906+0200").naive_utc(),
        Some(expected)
    );
    assert_eq!(
        Timestamp::new("2025-01-08T13:06:26").naive_utc(),
        Some(at(2025, 1, 8, 13, 6, 26, 0))
    );
    let odd = Timestamp::new("yesterday-ish");
    assert_eq!(odd.naive_utc(), None);
    assert_eq!(odd.as_str(), "yesterday-ish");
}

#[test]
fn field_update_ids_are_normalised_to_request_form() {
    let id = |s: &str| {
        FieldUpdate::new(s)
            .request_field_id()
            .map(|f| f.to_string())
    };
    assert_eq!(id("work.title").as_deref(), Some("work.title"));
    assert_eq!(id("/work/title").as_deref(), Some("work.title"));
    assert_eq!(
        id("/work/custom/field_1698036945383").as_deref(),
        Some("work.custom.field_1698036945383")
    );
    assert_eq!(id("  ").as_deref(), None);
}

#[test]
fn history_tables_match_ignoring_case() {
    assert_eq!(
        HistoryTable::from_table_id("lifecycle"),
        Some(HistoryTable::Lifecycle)
    );
    assert_eq!(
        HistoryTable::from_table_id("Work"),
        Some(HistoryTable::Work)
    );
    assert_eq!(
        HistoryTable::from_table_id("salary"),
        Some(HistoryTable::Salaries)
    );
    assert_eq!(HistoryTable::from_table_id("bankAccounts"), None);
}

#[test]
fn pings_are_recognised_in_both_documented_shapes() {
    assert!(is_ping(b"Ping test"));
    assert!(is_ping(b"\"Ping test\""));
    assert!(is_ping(br#"{"text":"Ping test"}"#));
    assert!(!is_ping(
        br#"{"text":"Ping test","type":"employee.created"}"#
    ));
    assert!(!is_ping(b"ping"));
    assert!(!is_ping(&[0xff, 0xfe]));
}

#[test]
fn an_empty_secret_is_refused_before_checking() {
    let empty = SecretString::from("");
    let err = verify(&empty, "AAAA", b"{}").unwrap_err();
    assert!(matches!(err, WebhookError::EmptySecret));
    assert!(!err.is_unauthenticated());
}

#[test]
fn errors_never_show_the_secret_or_the_signature() {
    let secret = SecretString::from("s3cr3t-DO-NOT-LEAK");
    let body = b"{}";
    let signature = sign(&secret, body);
    for err in [
        verify(&secret, "%%%", body).unwrap_err(),
        verify(&secret, &signature, b"{ }").unwrap_err(),
    ] {
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains(&signature), "{shown}");
    }
}
