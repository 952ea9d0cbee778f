//! The calendar searches: the cursor in the body, paging, chunks of 5,000
//! employee IDs, and the calendar permission on a 403.

use futures::TryStreamExt;
use hibob::time_off::{CalendarEventsSearch, EmployeeCalendarsSearch};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, Request};

use super::{assert_names_permission, day, denied, mount};
use crate::support;

#[tokio::test]
async fn calendar_events_follow_the_cursor_in_the_body() {
    let server = support::server().await;
    let filter = json!([{"fieldId": "/calendarEvent/startDate", "operator": "between",
        "values": ["2026-01-01", "2026-12-31"]}]);
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/calendars/events/search"))
        .and(body_json(json!({"filters": filter, "limit": 1})))
        .respond_with(support::json(
            json!({"items": [{"/calendarEvent/name": "New Year"}],
            "response_metadata": {"next_cursor": "c2"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/calendars/events/search"))
        .and(body_json(
            json!({"filters": filter, "limit": 1, "cursor": "c2"}),
        ))
        .respond_with(support::json(
            json!({"items": [{"/calendarEvent/name": "Christmas"}],
            "response_metadata": {"next_cursor": null}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let mut search = CalendarEventsSearch::new(day(2026, 1, 1), day(2026, 12, 31));
    search.limit = Some(1);
    let events: Vec<_> = client
        .time_off()
        .calendar_events(search)
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = events.iter().map(|e| e.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["New Year", "Christmas"]);
}

#[tokio::test]
async fn a_calendar_search_denied_names_the_calendar_permission() {
    let server = support::server().await;
    mount(
        &server,
        "POST",
        "/v1/timeoff/calendars/events/search",
        denied(),
    )
    .await;
    let client = support::client(&server);
    let search = CalendarEventsSearch::new(day(2026, 1, 1), day(2026, 1, 31));
    let err = client
        .time_off()
        .calendar_events(search)
        .try_next()
        .await
        .unwrap_err();
    assert_names_permission(&err, "Manage company calendar");
}

#[tokio::test]
async fn five_thousand_and_one_employee_ids_are_two_calls() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/calendars/employees/search"))
        .respond_with(|request: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
            let ids = body["filters"][0]["values"].as_array().unwrap();
            let items: Vec<_> = ids
                .iter()
                .map(|id| json!({"/employeeCalendar/employeeId": id, "/employeeCalendar/source": "site"}))
                .collect();
            support::json(json!({"items": items, "response_metadata": {"next_cursor": null}}))
        })
        .mount(&server)
        .await;
    let client = support::client(&server);
    let mut ids: Vec<String> = (0..5_001).map(|n| format!("e{n}")).collect();
    ids.push("e0".to_owned()); // sent once
    let search = EmployeeCalendarsSearch::new(ids);
    let calendars: Vec<_> = client
        .time_off()
        .employee_calendars(search)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(calendars.len(), 5_001);
    let requests = server.received_requests().await.unwrap();
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(
                body["filters"][0]["fieldId"],
                "/employeeCalendar/employeeId"
            );
            body["filters"][0]["values"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sizes, [5_000, 1]);
}
