//! The fake's time-off answers, written by hand, decode into the client's
//! models without loss: each side checks the other's reading of HiBob.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::tests::{TODAY, fake, get, post};
use super::*;
use crate::models::time_off as m;

/// Decodes into a model, panicking with the body when it does not decode
/// (the tests check each model's `extra` for keys it does not model).
fn decode<T: DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn body(resp: &super::tests::Resp) -> Value {
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.json()
}

#[tokio::test]
async fn every_time_off_answer_decodes_into_the_models() {
    let fake = fake(60).await;
    let truth = fake.truth();
    let q =
        "from=2025-03-15&to=2026-07-15&includeHourly=true&includePrivate=true&includePending=true";
    let outs: m::WhosOutResponse =
        decode(&body(&get(&fake, &format!("/timeoff/whosout?{q}")).await));
    assert!(outs.outs.len() > 20);
    assert!(
        outs.outs.iter().all(|o| o.extra.is_empty()),
        "{:?}",
        outs.outs[0].extra
    );
    assert!(
        outs.outs
            .iter()
            .all(|o| o.status.as_ref().is_some_and(|s| s.is_known()))
    );
    assert!(
        outs.outs
            .iter()
            .any(|o| o.hours_on_date.is_some() && o.date.is_some())
    );
    assert!(outs.outs.iter().any(|o| o.daily_hours.is_some()));

    let day = outs.outs[0].start_date.unwrap_or(TODAY);
    let today: m::OutTodayResponse = decode(&body(
        &get(
            &fake,
            &format!("/timeoff/outtoday?today={day}&includeHourly=true"),
        )
        .await,
    ));
    assert!(!today.outs.is_empty());
    assert!(
        today
            .outs
            .iter()
            .all(|o| o.extra.is_empty() && o.range_type.as_ref().is_some_and(|t| t.is_known()))
    );

    let changes: m::ChangesResponse = decode(&body(
        &get(
            &fake,
            "/timeoff/requests/changes?since=2025-12-01T00:00:00Z&includePending=true",
        )
        .await,
    ));
    assert!(changes.changes.len() > 10);
    for c in &changes.changes {
        assert!(c.extra.is_empty(), "{:?}", c.extra);
        assert!(c.change_type.as_ref().is_some_and(|t| t.is_known()));
        assert!(c.created_on.is_some() && c.request_id.is_some());
    }

    // One request of each status and request type, and a few more.
    let mut seen = std::collections::HashSet::new();
    let sample = truth
        .time_off
        .requests
        .iter()
        .enumerate()
        .filter(|(i, r)| seen.insert((r.status, r.amount.range_type())) || *i < 5)
        .map(|(_, r)| r);
    for r in sample {
        let path = format!(
            "/timeoff/employees/{}/requests/{}",
            r.employee_id, r.request_id
        );
        let read: m::TimeOffRequest = decode(&body(&get(&fake, &path).await));
        assert!(read.extra.is_empty(), "{:?}", read.extra);
        assert_eq!(read.request_id.map(|i| i.get()), Some(r.request_id));
        assert_eq!(
            read.created_on.map(|c| c.and_utc().timestamp()),
            Some(r.created_on.and_utc().timestamp())
        );
        assert_eq!(read.is_approved(), r.status == TruthStatus::Approved);
        assert_eq!(read.total_cost, Some(r.total_cost));
    }

    let id = &truth.employees[0].id;
    let balance: m::Balance = decode(&body(
        &get(
            &fake,
            &format!("/timeoff/employees/{id}/balance?policyType=Sick&date=2026-03-15"),
        )
        .await,
    ));
    assert!(balance.extra.is_empty() && balance.total_balance_as_of_date.is_some());

    let types: m::PolicyTypeNames = decode(&body(&get(&fake, "/timeoff/policy-types").await));
    for name in &types.policy_types {
        let kind: m::PolicyType = decode(&body(
            &get(&fake, &format!("/timeoff/policy-types/{name}")).await,
        ));
        assert!(kind.extra.is_empty() && kind.unit.as_ref().is_some_and(|u| u.is_known()));
        assert!(kind.activity.as_ref().is_some_and(|a| a.is_known()));
        let codes: m::ReasonCodes = decode(&body(
            &get(&fake, &format!("/timeoff/policy-types/{name}/reason-codes")).await,
        ));
        assert!(
            codes
                .reason_codes
                .iter()
                .all(|c| c.id.is_some() && c.display_name.is_some())
        );
        let names: m::PolicyNames = decode(&body(
            &get(
                &fake,
                &format!("/timeoff/policies/names?policyTypeName={name}"),
            )
            .await,
        ));
        for policy in &names.policy_names {
            let url = format!("{}/timeoff/policies", fake.uri());
            let url = url::Url::parse_with_params(&url, [("policyName", policy)]).unwrap();
            let path = format!(
                "{}?{}",
                url.path().trim_start_matches("/v1"),
                url.query().unwrap()
            );
            let p: m::Policy = decode(&body(&get(&fake, &path).await));
            assert!(p.extra.is_empty(), "{:?}", p.extra);
            assert_eq!(p.name.as_deref(), Some(policy.as_str()));
            assert!(
                p.min_time_off_request_duration
                    .as_ref()
                    .is_some_and(|d| d.is_known())
            );
            assert_eq!(p.yos_increase.len(), 2);
        }
    }

    let search = m::CalendarEventsSearch::new(TODAY, TODAY + chrono::TimeDelta::days(300));
    let events: crate::models::CursorPage<m::CalendarEvent> = decode(&body(
        &post(
            &fake,
            "/timeoff/calendars/events/search",
            serde_json::to_value(&search).unwrap(),
        )
        .await,
    ));
    assert!(!events.items.is_empty());
    assert!(
        events
            .items
            .iter()
            .all(|e| e.extra.is_empty() && e.site_id.is_some() && e.start_date.is_some())
    );
    let ids = truth.employees.iter().map(|e| e.id.clone());
    let mut search = m::EmployeeCalendarsSearch::new(ids);
    search.limit = Some(25);
    let first: crate::models::CursorPage<m::EmployeeCalendar> = decode(&body(
        &post(
            &fake,
            "/timeoff/calendars/employees/search",
            serde_json::to_value(&search).unwrap(),
        )
        .await,
    ));
    assert_eq!(first.items.len(), 25);
    assert!(
        first
            .items
            .iter()
            .all(|c| c.extra.is_empty() && c.source.as_ref().is_some_and(|s| s.is_known()))
    );
    search.cursor = first.next_cursor.clone();
    let second: crate::models::CursorPage<m::EmployeeCalendar> = decode(&body(
        &post(
            &fake,
            "/timeoff/calendars/employees/search",
            serde_json::to_value(&search).unwrap(),
        )
        .await,
    ));
    assert_eq!(
        second.items.len(),
        25,
        "60 employees: pages of 25, 25 and 10"
    );
    assert_eq!(
        second.items[0].employee_id.as_ref().map(|i| i.as_str()),
        Some(truth.employees[25].id.as_str())
    );
    assert!(second.next_cursor.is_some());
}

#[tokio::test]
async fn the_models_submit_bodies_are_taken_by_the_fake() {
    let fake = fake(20).await;
    let id = fake.truth().employees[0].id.clone();
    let start = TODAY + chrono::TimeDelta::days(1);
    let end = start + chrono::TimeDelta::days(2);
    let time = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let bodies = [
        m::SubmitTimeOffRequest::days("Holiday", start, end)
            .with_portions(m::DayPortion::Afternoon, m::DayPortion::Morning)
            .with_reason_code(9101),
        m::SubmitTimeOffRequest::portion_on_range("Holiday", start, end, m::DayPortion::Afternoon),
        m::SubmitTimeOffRequest::hours("Training", start, 3, 15),
        m::SubmitTimeOffRequest::hours_on_range("Training", start, end, 2, 0),
        m::SubmitTimeOffRequest::different_day_durations(
            "Training",
            start,
            end,
            vec![m::DayDuration::new(start, 1, 30)],
        ),
        m::SubmitTimeOffRequest::specific_hours("Training", start, end, time(9, 0), time(12, 30)),
        m::SubmitTimeOffRequest::days("Sick", start, start).approved_by(id.clone()),
    ];
    for submit in &bodies {
        submit.validate().unwrap();
        let resp = post(
            &fake,
            &format!("/timeoff/employees/{id}/requests"),
            serde_json::to_value(submit).unwrap(),
        )
        .await;
        assert_eq!(resp.status, 200, "{submit:?}: {}", resp.text);
    }
    let truth = fake.truth();
    let added: Vec<&TruthRequest> = truth
        .time_off
        .requests_of(&id)
        .filter(|r| r.created_on.date() == TODAY)
        .collect();
    assert_eq!(added.len(), bodies.len());
    assert_eq!(
        added[0].amount,
        TruthAmount::Days {
            start: Portion::Afternoon,
            end: Portion::Morning
        }
    );
    assert_eq!(added[2].total_cost, 3.25);
    assert_eq!(added[6].status, TruthStatus::Approved);

    let adjustment =
        m::AdjustmentRequest::new("Holiday", TODAY, -1.5).with_type(m::AdjustmentType::DaysUsed);
    let resp = post(
        &fake,
        &format!("/timeoff/employees/{id}/adjustments"),
        serde_json::to_value(&adjustment).unwrap(),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let codes = m::AddReasonCodes::new(["Jury duty"]);
    let resp = post(
        &fake,
        "/timeoff/policy-types/Holiday/reason-codes",
        serde_json::to_value(&codes).unwrap(),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert!(
        fake.truth()
            .time_off
            .policy_type("Holiday")
            .unwrap()
            .reason_codes
            .iter()
            .any(|c| c.name == "Jury duty")
    );
}
