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

mod get_api_urls {
    use super::super::get_api::{Refusal, check, parse};
    use crate::EmployeeId;
    use crate::models::time_off::RequestId;

    const BASE: &str = "https://api.hibob.com/v1";
    const EMPLOYEE: &str = "3373576791477190995";

    fn read(id: &str, request: &str) -> String {
        format!("{BASE}/timeoff/employees/{id}/requests/{request}")
    }

    #[test]
    fn the_documented_url_parses_back_into_its_ids() {
        let named = parse(BASE, &read(EMPLOYEE, "32832853")).unwrap();
        assert_eq!(named, (EMPLOYEE.to_owned(), RequestId::new(32832853)));
        // The host's case and a default port written out change nothing.
        let loud = "https://API.HiBob.com:443/v1/timeoff/employees/1/requests/2";
        assert_eq!(parse(BASE, loud), Ok(("1".to_owned(), RequestId::new(2))));
    }

    #[test]
    fn a_base_without_a_path_or_on_loopback_works() {
        let base = "http://127.0.0.1:41234";
        let url = "http://127.0.0.1:41234/timeoff/employees/7/requests/8";
        assert_eq!(parse(base, url), Ok(("7".to_owned(), RequestId::new(8))));
        let nested = "http://127.0.0.1:41234/v1/timeoff/employees/7/requests/8";
        assert_eq!(
            parse("http://127.0.0.1:41234/v1", nested).map(|(id, _)| id),
            Ok("7".to_owned())
        );
    }

    #[test]
    fn urls_outside_the_base_are_refused_with_the_reason() {
        let cases = [
            (
                "https://api.sandbox.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::OtherHost,
            ),
            (
                "https://api.hibob.com.evil.example/v1/timeoff/employees/1/requests/2",
                Refusal::OtherHost,
            ),
            (
                "https://evil.example/v1/timeoff/employees/1/requests/2",
                Refusal::OtherHost,
            ),
            (
                "http://api.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::OtherScheme,
            ),
            (
                "ftp://api.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::OtherScheme,
            ),
            (
                "https://api.hibob.com:8443/v1/timeoff/employees/1/requests/2",
                Refusal::OtherPort,
            ),
            (
                "https://api.hibob.com/v2/timeoff/employees/1/requests/2",
                Refusal::OutsideBasePath,
            ),
            (
                "https://api.hibob.com/v1timeoff/employees/1/requests/2",
                Refusal::OutsideBasePath,
            ),
            (
                "https://api.hibob.com/timeoff/employees/1/requests/2",
                Refusal::OutsideBasePath,
            ),
            (
                "https://user:pw@api.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::Userinfo,
            ),
            (
                "https://user@api.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::Userinfo,
            ),
            (
                "https://evil.example@api.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::Userinfo,
            ),
            (
                "https://api.hibob.com/v1/../v1/timeoff/employees/1/requests/2",
                Refusal::DotSegment,
            ),
            (
                "https://api.hibob.com/v1/timeoff/employees/1/requests/2/..",
                Refusal::DotSegment,
            ),
            (
                "https://api.hibob.com/v1/%2e%2E/v1/timeoff/employees/1/requests/2",
                Refusal::DotSegment,
            ),
            (
                "https://api.hibob.com/v1/./timeoff/employees/1/requests/2",
                Refusal::DotSegment,
            ),
            (
                "https://api.hibob.com\\@evil.example/v1/timeoff/employees/1/requests/2",
                Refusal::OddCharacters,
            ),
            (
                "https://api.hibob.com/v1/timeoff/employees/1/requests/2\n",
                Refusal::OddCharacters,
            ),
            (
                " https://api.hibob.com/v1/timeoff/employees/1/requests/2",
                Refusal::OddCharacters,
            ),
            (
                "https://api.hibob.com/v1/timeoff/employees/1/requests/2?x=1",
                Refusal::QueryOrFragment,
            ),
            (
                "https://api.hibob.com/v1/timeoff/employees/1/requests/2#top",
                Refusal::QueryOrFragment,
            ),
            ("/v1/timeoff/employees/1/requests/2", Refusal::NotAUrl),
            ("not a url", Refusal::OddCharacters),
            ("", Refusal::NotAUrl),
        ];
        for (url, expected) in cases {
            assert_eq!(parse(BASE, url), Err(expected), "{url}");
        }
    }

    #[test]
    fn only_the_request_read_route_is_followed() {
        for route in [
            "/people/1",
            "/timeoff/employees/1/requests",
            "/timeoff/employees/1/requests/2/extra",
            "/timeoff/employees/1/requests/2/",
            "/timeoff/employees/1/balance",
            "/timeoff/employees//requests/2",
            "/timeoff/employees/a%2Fb/requests/2",
            "/timeoff/employees/1/requests/-2",
            "/timeoff/employees/1/requests/two",
            "/timeoff/employees/1/requests/99999999999999999999",
            "/TimeOff/employees/1/requests/2",
        ] {
            let url = format!("{BASE}{route}");
            assert_eq!(
                parse(BASE, &url),
                Err(Refusal::NotTheRequestRoute),
                "{route}"
            );
        }
    }

    #[test]
    fn the_url_must_name_the_events_own_request() {
        let employee = EmployeeId::from(EMPLOYEE);
        let url = read(EMPLOYEE, "32832853");
        assert_eq!(
            check(BASE, &url, &employee, RequestId::new(32832853)),
            Ok(())
        );
        assert_eq!(
            check(BASE, &url, &employee, RequestId::new(32832854)),
            Err(Refusal::OtherRequest)
        );
        assert_eq!(
            check(
                BASE,
                &url,
                &EmployeeId::from("42"),
                RequestId::new(32832853)
            ),
            Err(Refusal::OtherRequest)
        );
    }

    #[test]
    fn refusals_say_why_and_that_nothing_was_sent_without_the_url() {
        let url = "https://evil.example/v1/timeoff/employees/3373576791477190995/requests/1";
        let refusal = parse(BASE, url).unwrap_err();
        let error = refusal.into_error();
        assert!(matches!(error, crate::Error::InvalidRequest { .. }));
        let shown = error.to_string();
        assert!(shown.contains("another host"), "{shown}");
        assert!(shown.contains("nothing was sent"), "{shown}");
        assert!(!shown.contains("evil.example"), "{shown}");
        assert!(!shown.contains(EMPLOYEE), "{shown}");
    }
}

#[test]
fn time_off_type_strings_map_to_their_variant_and_back() {
    use crate::models::time_off::TimeOffEventType as Kind;
    for (wire, kind) in [
        ("timeoff.request.requested", Kind::Requested),
        ("timeoff.request.approved", Kind::Approved),
        ("timeoff.request.declined", Kind::Declined),
        ("timeoff.request.cancelled", Kind::Cancelled),
        ("timeoff.request.deleted", Kind::Deleted),
        ("timeoff.request.updated", Kind::Updated),
        ("timeoff.request.imported", Kind::Imported),
        ("timeoff.request.setEndDate", Kind::SetEndDate),
    ] {
        let parsed = EventType::from_wire(wire);
        assert_eq!(parsed, EventType::TimeOff(kind), "{wire}");
        assert_eq!(parsed.as_str(), wire);
    }
    assert_eq!(
        EventType::from_wire("timeoff.request.setenddate"),
        EventType::TimeOff(Kind::SetEndDate)
    );
    for unknown in [
        "timeoff.request.archived",
        "timeoff.request",
        "timeoff.policy.updated",
    ] {
        assert_eq!(
            EventType::from_wire(unknown),
            EventType::Other(unknown.to_owned())
        );
    }
}
