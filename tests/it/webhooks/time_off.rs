//! `timeoff.request.*` events: every documented type, their data, the
//! follow-up read against wiremock, and `getApi` URLs that must not be
//! followed (nothing reaches any server).

use hibob::time_off::{RequestId, TimeOffEventType};
use hibob::webhooks::{self, Event, EventData, EventType, Fetched, FollowUp};
use hibob::{EmployeeId, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{event_json, parse, round_trips, secret};
use crate::support;

const EMPLOYEE: &str = "3373576791477190995";
const REQUEST: i64 = 32832853;
const ROUTE: &str = "/timeoff/employees/{id}/requests/{requestId}";

/// Every `timeoff.request.*` type HiBob's "Time off Webhooks" page lists.
const TYPES: [(&str, TimeOffEventType); 8] = [
    ("timeoff.request.requested", TimeOffEventType::Requested),
    ("timeoff.request.approved", TimeOffEventType::Approved),
    ("timeoff.request.declined", TimeOffEventType::Declined),
    ("timeoff.request.cancelled", TimeOffEventType::Cancelled),
    ("timeoff.request.deleted", TimeOffEventType::Deleted),
    ("timeoff.request.updated", TimeOffEventType::Updated),
    ("timeoff.request.imported", TimeOffEventType::Imported),
    ("timeoff.request.setEndDate", TimeOffEventType::SetEndDate),
];

fn get_api_under(base: &str) -> String {
    format!("{base}/timeoff/employees/{EMPLOYEE}/requests/{REQUEST}")
}

fn time_off_event(event_type: &str, get_api: Option<&str>) -> Value {
    let mut data = json!({"timeoffRequestId": REQUEST, "employeeId": EMPLOYEE});
    if let Some(url) = get_api {
        data["getApi"] = json!(url);
    }
    event_json(event_type, "3419283646526259215", data)
}

fn base(server: &MockServer) -> String {
    format!("{}/v1", server.uri())
}

async fn mount_request(server: &MockServer, expected_calls: u64) {
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/timeoff/employees/{EMPLOYEE}/requests/{REQUEST}"
        )))
        .respond_with(support::json(json!({
            "employeeId": EMPLOYEE, "requestId": REQUEST, "policyTypeDisplayName": "Holiday",
            "type": "days", "startDate": "2024-10-14", "endDate": "2024-10-18",
            "status": "approved", "approved": true, "durationUnit": "days", "totalDuration": 5,
            "someNewKey": "kept"
        })))
        .expect(expected_calls)
        .mount(server)
        .await;
}

#[test]
fn every_documented_type_parses_to_its_variant_and_round_trips() {
    let url = "https://api.hibob.com/v1/timeoff/employees/3373576791477190995/requests/32832853";
    for (wire, kind) in TYPES {
        let value = time_off_event(wire, Some(url));
        let event = parse(&value);
        assert_eq!(event.event_type, EventType::TimeOff(kind.clone()), "{wire}");
        assert_eq!(event.event_type.as_str(), wire);
        assert_eq!(event.employee_id().map(EmployeeId::as_str), Some(EMPLOYEE));
        let EventData::TimeOff(data) = &event.data else {
            panic!("{wire}: {:?}", event.data)
        };
        assert_eq!(data.timeoff_request_id, RequestId::new(REQUEST));
        assert_eq!(data.employee_id.as_str(), EMPLOYEE);
        assert_eq!(data.get_api.as_deref(), Some(url));
        round_trips(&value);
    }
}

#[test]
fn updated_events_carry_the_replaced_requests_and_unknown_keys() {
    let value = event_json(
        "timeoff.request.updated",
        "system",
        json!({"timeoffRequestId": "32832861", "employeeId": EMPLOYEE,
            "originalRequestId": 32832853, "previousRequestId": 32832857, "reason": "dates"}),
    );
    let event = parse(&value);
    let EventData::TimeOff(data) = &event.data else {
        panic!("{:?}", event.data)
    };
    // Numeric text is read as the ID; it is written back as a number.
    assert_eq!(data.timeoff_request_id.get(), 32832861);
    assert_eq!(data.original_request_id, Some(RequestId::new(32832853)));
    assert_eq!(data.previous_request_id, Some(RequestId::new(32832857)));
    assert_eq!(data.get_api, None);
    assert_eq!(data.extra["reason"], "dates");
    let written = serde_json::to_value(&event).unwrap();
    assert_eq!(written["data"]["timeoffRequestId"], json!(32832861));
    assert_eq!(written["data"]["reason"], "dates");
}

#[test]
fn a_time_off_event_without_its_ids_is_a_decode_error_naming_data() {
    for data in [
        json!({"employeeId": EMPLOYEE}),
        json!({"timeoffRequestId": REQUEST}),
        json!({"timeoffRequestId": "soon", "employeeId": EMPLOYEE}),
    ] {
        let body = event_json("timeoff.request.approved", "system", data.clone()).to_string();
        let err = webhooks::parse_event(body.as_bytes()).unwrap_err();
        let webhooks::WebhookError::Decode { path, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(path.starts_with("data"), "{data}: {path}");
    }
}

#[test]
fn an_unknown_time_off_type_is_kept_untyped() {
    let value = event_json(
        "timeoff.request.archived",
        "system",
        json!({"timeoffRequestId": REQUEST, "newShape": [1, 2]}),
    );
    let event = parse(&value);
    assert_eq!(
        event.event_type,
        EventType::Other("timeoff.request.archived".to_owned())
    );
    assert!(matches!(&event.data, EventData::Other(raw) if raw["newShape"] == json!([1, 2])));
    assert_eq!(event.employee_id(), None);
    assert_eq!(event.follow_up(), None);
    round_trips(&value);
}

#[test]
fn follow_ups_name_the_employee_and_request_except_after_a_delete() {
    let url = "https://api.hibob.com/v1/timeoff/employees/3373576791477190995/requests/32832853";
    for (wire, kind) in TYPES {
        let follow_up = parse(&time_off_event(wire, Some(url))).follow_up();
        if kind == TimeOffEventType::Deleted {
            assert_eq!(follow_up, None, "the request is gone");
            continue;
        }
        let expected = FollowUp::TimeOff {
            employee_id: EMPLOYEE.into(),
            request_id: RequestId::new(REQUEST),
            get_api: Some(url.to_owned()),
        };
        assert_eq!(follow_up.as_ref(), Some(&expected), "{wire}");
        assert_eq!(expected.employee_id().as_str(), EMPLOYEE);
    }
}

fn time_off_request(fetched: Fetched) -> Box<hibob::time_off::TimeOffRequest> {
    match fetched {
        Fetched::TimeOff(request) => request,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_get_api_under_the_base_url_is_followed() {
    let server = support::server().await;
    mount_request(&server, 1).await;
    let client = support::client(&server);
    let event = parse(&time_off_event(
        "timeoff.request.approved",
        Some(&get_api_under(&base(&server))),
    ));
    let request = time_off_request(event.follow_up().unwrap().fetch(&client).await.unwrap());
    assert_eq!(request.request_id, Some(RequestId::new(REQUEST)));
    assert_eq!(request.policy_type_display_name.as_deref(), Some("Holiday"));
    assert!(request.is_approved());
    assert_eq!(request.extra["someNewKey"], "kept");
    assert_eq!(support::request_count(&server).await, 1);
}

#[tokio::test]
async fn without_a_get_api_the_ids_are_read() {
    let server = support::server().await;
    mount_request(&server, 1).await;
    let client = support::client(&server);
    let event = parse(&time_off_event("timeoff.request.imported", None));
    let request = time_off_request(event.follow_up().unwrap().fetch(&client).await.unwrap());
    assert_eq!(
        request.employee_id.as_ref().map(EmployeeId::as_str),
        Some(EMPLOYEE)
    );
}

#[tokio::test]
async fn a_get_api_elsewhere_is_refused_and_nothing_is_sent() {
    let server = support::server().await;
    mount_request(&server, 0).await;
    let client = support::client(&server);
    let loopback = server.uri(); // http://127.0.0.1:PORT
    let port = server.address().port();
    let cases = [
        (get_api_under("https://api.hibob.com/v1"), "another host"),
        (
            get_api_under(&format!("http://localhost:{port}/v1")),
            "another host",
        ),
        (
            get_api_under(&base(&server).replace("http://", "https://")),
            "another scheme",
        ),
        (
            get_api_under(&format!("http://127.0.0.1:{}/v1", port.wrapping_add(1))),
            "another port",
        ),
        (
            get_api_under(&format!("{loopback}/v2")),
            "outside the client's base path",
        ),
        (get_api_under(&loopback), "outside the client's base path"),
        (
            get_api_under(&format!("http://hibob:secret@127.0.0.1:{port}/v1")),
            "user name or password",
        ),
        (
            get_api_under(&format!("{loopback}/v1/../v1")),
            "`.` or `..` path segment",
        ),
        (
            format!("{loopback}/v1/people/{EMPLOYEE}"),
            "not the time-off request read",
        ),
        (
            format!("{loopback}/v1/timeoff/employees/42/requests/{REQUEST}"),
            "another employee or request",
        ),
        (
            format!(
                "{}?includeDailyDurations=true",
                get_api_under(&base(&server))
            ),
            "query",
        ),
    ];
    for (url, why) in cases {
        let event = parse(&time_off_event("timeoff.request.requested", Some(&url)));
        let err = event.follow_up().unwrap().fetch(&client).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{url}: {err:?}"
        );
        let shown = err.to_string();
        assert!(shown.contains(why), "{url}: {shown}");
        assert!(shown.contains("nothing was sent"), "{shown}");
        assert!(
            !shown.contains(EMPLOYEE),
            "the URL is not repeated: {shown}"
        );
    }
    assert_eq!(support::request_count(&server).await, 0);
}

#[tokio::test]
async fn errors_of_the_read_name_the_route_template() {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/timeoff/employees/{EMPLOYEE}/requests/{REQUEST}"
        )))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "not found"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let event = parse(&time_off_event(
        "timeoff.request.cancelled",
        Some(&get_api_under(&base(&server))),
    ));
    let err = event.follow_up().unwrap().fetch(&client).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let operation = err.operation().expect("the read was sent");
    assert_eq!((operation.method, operation.route), ("GET", ROUTE));
}

#[tokio::test]
async fn a_signed_time_off_event_end_to_end() {
    let server = support::server().await;
    mount_request(&server, 1).await;
    let client = support::client(&server);
    let key = secret("whsec-timeoff-5d1e");
    let body = time_off_event(
        "timeoff.request.requested",
        Some(&get_api_under(&base(&server))),
    )
    .to_string();
    let signature = webhooks::sign(&key, body.as_bytes());

    let event: Event = webhooks::verify_and_parse(&key, Some(&signature), body.as_bytes()).unwrap();
    assert_eq!(
        event.event_type,
        EventType::TimeOff(TimeOffEventType::Requested)
    );
    let request = time_off_request(event.follow_up().unwrap().fetch(&client).await.unwrap());
    assert_eq!(
        request.start_date.map(|d| d.to_string()).as_deref(),
        Some("2024-10-14")
    );

    // The same body with the getApi host changed no longer verifies.
    let forged = body.replace("127.0.0.1", "127.0.0.2");
    let err = webhooks::verify_and_parse(&key, Some(&signature), forged.as_bytes()).unwrap_err();
    assert!(err.is_unauthenticated());
}
