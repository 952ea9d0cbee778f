//! The time-off group on wiremock: every endpoint's method, path, query and
//! body as sent, answers decoded, 403s naming the permission, 404s, the
//! write policy, validation before sending, calendar chunking and paging.
//! The changes windows are in `time_off/changes.rs`.

use futures::TryStreamExt;
use hibob::chrono::NaiveDate;
use hibob::time_off::{
    AddReasonCodes, AdjustmentRequest, CalendarEventsSearch, EmployeeCalendarsSearch, RequestId,
    RequestStatus, SubmitTimeOffRequest,
};
use hibob::{EmployeeId, Error};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

mod calendars;
mod changes;
mod fake;
mod policies;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn mount(server: &MockServer, verb: &str, route: &str, answer: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(answer)
        .mount(server)
        .await;
}

fn denied() -> ResponseTemplate {
    ResponseTemplate::new(403).set_body_json(json!({"error": "forbidden"}))
}

/// A 403's message names the permission to grant.
fn assert_names_permission(err: &Error, words: &str) {
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert!(err.to_string().contains(words), "{err}");
}

#[tokio::test]
async fn a_request_is_read_by_employee_and_request_id() {
    let server = support::server().await;
    let answer = json!({"employeeId": "123", "requestId": 27500233, "status": "approved",
        "type": "days", "startDate": "2026-03-02", "endDate": "2026-03-03", "unknownKey": 1});
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/employees/123/requests/27500233"))
        .respond_with(support::json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let request = client.time_off().request("123", 27500233).await.unwrap();
    assert_eq!(request.request_id, Some(RequestId::new(27500233)));
    assert_eq!(request.status, Some(RequestStatus::Approved));
    assert_eq!(request.end_date, Some(day(2026, 3, 3)));
    assert!(request.extra.contains_key("unknownKey"));
}

#[tokio::test]
async fn a_missing_request_is_not_found_and_a_denied_one_names_the_permission() {
    let server = support::server().await;
    let route = "/v1/timeoff/employees/123/requests/1";
    mount(&server, "GET", route, ResponseTemplate::new(404)).await;
    mount(
        &server,
        "GET",
        "/v1/timeoff/employees/9/requests/1",
        denied(),
    )
    .await;
    let client = support::client(&server);
    let missing = client.time_off().request("123", 1).await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
    let err = client.time_off().request("9", 1).await.unwrap_err();
    assert_names_permission(&err, "See who's out");
}

#[tokio::test]
async fn a_submit_sends_the_documented_body_and_takes_an_empty_or_json_200() {
    let server = support::server().await;
    let body = json!({"policyType": "Holiday", "startDate": "2026-03-02", "endDate": "2026-03-04",
        "requestRangeType": "days", "startDatePortion": "afternoon", "endDatePortion": "all_day",
        "description": "dentist"});
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/employees/123/requests"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/employees/123/requests"))
        .respond_with(support::json(json!({"id": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let holiday = SubmitTimeOffRequest::days("Holiday", day(2026, 3, 2), day(2026, 3, 4))
        .with_portions("afternoon".into(), "all_day".into())
        .with_description("dentist");
    client
        .time_off()
        .submit("123", holiday.clone())
        .await
        .unwrap();
    client.time_off().submit("123", holiday).await.unwrap();
}

#[tokio::test]
async fn a_submit_answered_502_is_outcome_unknown_and_sent_once() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/employees/123/requests"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let hours = SubmitTimeOffRequest::hours("Sick", day(2026, 3, 2), 2, 30);
    let err = client.time_off().submit("123", hours).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(support::request_count(&server).await, 1);
}

#[tokio::test]
async fn invalid_bodies_and_queries_are_refused_before_sending() {
    let server = support::server().await;
    let client = support::client(&server);
    let time_off = client.time_off();
    let backwards = SubmitTimeOffRequest::days("Holiday", day(2026, 3, 2), day(2026, 3, 1));
    let errors = [
        time_off.submit("123", backwards).await.unwrap_err(),
        time_off
            .adjust(
                "123",
                AdjustmentRequest::new("Holiday", day(2026, 1, 1), 0.0),
            )
            .await
            .unwrap_err(),
        time_off
            .add_reason_codes("Holiday", AddReasonCodes::new(["a", "a"]))
            .await
            .unwrap_err(),
        time_off
            .balance("123", " ", day(2026, 1, 1))
            .await
            .unwrap_err(),
        time_off.policy_names("").await.unwrap_err(),
        time_off
            .whos_out(day(2026, 3, 2), day(2026, 3, 1))
            .await
            .unwrap_err(),
        time_off
            .changes(day(2026, 3, 2))
            .to(day(2026, 3, 1))
            .await
            .unwrap_err(),
        time_off
            .calendar_events(CalendarEventsSearch::new(day(2025, 1, 1), day(2026, 6, 1)))
            .try_next()
            .await
            .unwrap_err(),
        time_off
            .employee_calendars(EmployeeCalendarsSearch::new(Vec::<EmployeeId>::new()))
            .try_next()
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        support::assert_refused_before_sending(err, &server).await;
    }
}

#[tokio::test]
async fn a_cancel_is_a_delete_retried_like_a_read() {
    let server = support::server().await;
    let route = "/v1/timeoff/employees/123/requests/42";
    support::first_n_then(
        &server,
        route,
        1,
        ResponseTemplate::new(503),
        ResponseTemplate::new(200),
    )
    .await;
    let client = support::client(&server);
    client.time_off().cancel("123", 42).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "resent after the 503");
    assert!(requests.iter().all(|r| r.method.as_str() == "DELETE"));
}

#[tokio::test]
async fn a_resent_cancel_answered_404_counts_as_done() {
    let server = support::server().await;
    let route = "/v1/timeoff/employees/123/requests/42";
    support::first_n_then(
        &server,
        route,
        1,
        ResponseTemplate::new(502),
        ResponseTemplate::new(404),
    )
    .await;
    let client = support::client(&server);
    client.time_off().cancel("123", 42).await.unwrap();
    assert_eq!(support::request_count(&server).await, 2);
}

#[tokio::test]
async fn whos_out_sends_the_range_and_flags() {
    let server = support::server().await;
    let outs = json!({"outs": [{"employeeId": "1", "requestId": 7, "type": "hours",
        "date": "2026-03-03", "hoursOnDate": 4, "status": "Pending"}]});
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/whosout"))
        .and(query_param("from", "2026-03-02"))
        .and(query_param("to", "2026-03-08"))
        .and(query_param("includeHourly", "true"))
        .and(query_param("includePending", "true"))
        .and(query_param("includePrivate", "false"))
        .respond_with(support::json(outs))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let week = client
        .time_off()
        .whos_out(day(2026, 3, 2), day(2026, 3, 8))
        .include_hourly(true)
        .include_pending(true)
        .include_private(false)
        .await
        .unwrap();
    assert_eq!(week.len(), 1);
    assert_eq!(week[0].hours_on_date, Some(4));
    assert_eq!(week[0].status, Some(RequestStatus::Pending));
}

#[tokio::test]
async fn out_today_sends_today_only_when_set() {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/outtoday"))
        .and(query_param("today", "2026-03-02"))
        .and(query_param("siteId", "7"))
        .and(query_param("includePrivate", "true"))
        .respond_with(support::json(json!({"outs": [{"employeeId": "1",
            "requestRangeType": "days", "startDatePortion": "morning"}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/outtoday"))
        .and(query_param_is_missing("today"))
        .and(query_param("includeHourly", "true"))
        .respond_with(support::json(json!({"outs": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let time_off = client.time_off();
    let on = time_off
        .out_today()
        .on(day(2026, 3, 2))
        .site_id(7)
        .include_private(true)
        .await
        .unwrap();
    assert_eq!(on.len(), 1);
    assert!(
        time_off
            .out_today()
            .include_hourly(true)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn out_today_without_outs_is_a_decode_error_not_an_empty_day() {
    let server = support::server().await;
    mount(
        &server,
        "GET",
        "/v1/timeoff/outtoday",
        support::json(json!({})),
    )
    .await;
    let err = support::client(&server)
        .time_off()
        .out_today()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_balance_is_read_by_policy_type_and_date() {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/employees/123/balance"))
        .and(query_param("policyType", "Holiday"))
        .and(query_param("date", "2026-03-02"))
        .respond_with(support::json(
            json!({"employeeId": "123", "totalBalanceAsOfDate": 12.5}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    mount(&server, "GET", "/v1/timeoff/employees/9/balance", denied()).await;
    let client = support::client(&server);
    let time_off = client.time_off();
    let balance = time_off
        .balance("123", "Holiday", day(2026, 3, 2))
        .await
        .unwrap();
    assert_eq!(balance.total_balance_as_of_date, Some(12.5));
    let err = time_off
        .balance("9", "Holiday", day(2026, 3, 2))
        .await
        .unwrap_err();
    assert_names_permission(&err, "time off and sick leave balances");
}

#[tokio::test]
async fn an_adjustment_sends_its_body_and_is_never_resent() {
    let server = support::server().await;
    let body = json!({"policyType": "Holiday", "effectiveDate": "2026-01-01", "amount": -1.5,
        "adjustmentType": "balance", "reason": "carry-over"});
    Mock::given(method("POST"))
        .and(path("/v1/timeoff/employees/123/adjustments"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "POST",
        "/v1/timeoff/employees/123/adjustments",
        ResponseTemplate::new(500),
    )
    .await;
    let client = support::client(&server);
    let adjustment = AdjustmentRequest::new("Holiday", day(2026, 1, 1), -1.5)
        .with_type("balance".into())
        .with_reason("carry-over");
    client
        .time_off()
        .adjust("123", adjustment.clone())
        .await
        .unwrap();
    let err = client
        .time_off()
        .adjust("123", adjustment)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(
        support::request_count(&server).await,
        2,
        "one each, none resent"
    );
}
