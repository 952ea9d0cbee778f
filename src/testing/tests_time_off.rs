//! Tests of the fake's time-off requests, with reqwest as a raw client:
//! policies, submit → approve → balance → changes → cancel, validation, the
//! audience and the changes feed's 6-month rule. Who's out, balances,
//! calendars and knobs are in `tests_time_off_reads.rs`.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::tests::{Resp, TODAY, fake, get, http, post};
use super::*;

async fn delete(fake: &FakeHibob, path: &str) -> Resp {
    let resp = http()
        .delete(format!("{}{path}", fake.uri()))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .send()
        .await
        .expect("request");
    Resp {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        text: resp.text().await.expect("body"),
    }
}

pub(super) fn ok(resp: &Resp) -> Value {
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.json()
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An active employee (the CEO, always employed).
pub(super) fn someone(truth: &Company) -> String {
    truth.employees[0].id.clone()
}

#[tokio::test]
async fn policy_walk_serves_types_names_details_and_reason_codes() {
    let fake = fake(20).await;
    let types = ok(&get(&fake, "/timeoff/policy-types").await);
    assert_eq!(
        types,
        json!({"policyTypes": ["Holiday", "Sick", "Training"]})
    );
    let training = ok(&get(&fake, "/timeoff/policy-types/Training").await);
    assert_eq!(
        training,
        json!({"name": "Training", "activity": "workTime", "unit": "hours"})
    );
    let names = ok(&get(&fake, "/timeoff/policies/names?policyTypeName=Holiday").await);
    assert_eq!(
        names,
        json!({"policyNames": ["Holiday 25 days", "Holiday 30 days"]})
    );
    let policy = ok(&get(&fake, "/timeoff/policies?policyName=Holiday%2030%20days").await);
    assert_eq!(policy["allowance"], json!(30.0));
    assert_eq!(policy["unit"], "days");
    assert_eq!(policy["approvalRequired"], true);
    assert_eq!(
        policy["yosIncrease"][1],
        json!({"yearsOfService": 5.0, "extraDays": 2.0})
    );
    let codes = ok(&get(&fake, "/timeoff/policy-types/Sick/reason-codes").await);
    assert_eq!(
        codes["reasonCodes"][0],
        json!({"id": 9201, "displayName": "Illness"})
    );

    assert_eq!(get(&fake, "/timeoff/policy-types/Nope").await.status, 404);
    assert_eq!(
        get(&fake, "/timeoff/policy-types/Nope/reason-codes")
            .await
            .status,
        404
    );
    assert_eq!(
        get(&fake, "/timeoff/policies?policyName=Nope").await.status,
        404
    );
    assert_eq!(
        get(&fake, "/timeoff/policies/names?policyTypeName=Nope")
            .await
            .status,
        404
    );
    assert_eq!(get(&fake, "/timeoff/policies").await.status, 400);
    assert_eq!(get(&fake, "/timeoff/policies/names").await.status, 400);
}

#[tokio::test]
async fn reason_codes_can_be_added_once_each() {
    let fake = fake(5).await;
    let path = "/timeoff/policy-types/Holiday/reason-codes";
    let added = post(&fake, path, json!({"reasonCodes": ["Wedding", "Vacation"]})).await;
    assert_eq!((added.status, added.text.as_str()), (200, ""));
    let codes = ok(&get(&fake, path).await);
    let names: Vec<&str> = codes["reasonCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Vacation", "Family event", "Wedding"]);
    assert!(codes["reasonCodes"][2]["id"].as_i64().unwrap() > 9_301);
    assert_eq!(
        post(
            &fake,
            "/timeoff/policy-types/Nope/reason-codes",
            json!({"reasonCodes": ["x"]})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        post(&fake, path, json!({"reasonCodes": []})).await.status,
        400
    );
}

pub(super) fn holiday(from: &str, to: &str) -> Value {
    json!({
        "policyType": "Holiday", "startDate": from, "endDate": to,
        "requestRangeType": "days", "startDatePortion": "all_day", "endDatePortion": "all_day",
    })
}

#[tokio::test]
async fn submit_approve_moves_the_balance_and_the_feed_then_cancel_restores_it() {
    let fake = fake(20).await;
    let id = someone(&fake.truth());
    let balance_path =
        format!("/timeoff/employees/{id}/balance?policyType=Holiday&date=2026-03-31");
    let before = ok(&get(&fake, &balance_path).await)["totalBalanceAsOfDate"]
        .as_f64()
        .unwrap();

    // Monday to Friday: five working days.
    let submitted = post(
        &fake,
        &format!("/timeoff/employees/{id}/requests"),
        holiday("2026-03-16", "2026-03-20"),
    )
    .await;
    assert_eq!((submitted.status, submitted.text.as_str()), (200, ""));
    let truth = fake.truth();
    let request = truth.time_off.requests.last().unwrap().clone();
    assert_eq!(
        (request.employee_id.as_str(), request.status),
        (id.as_str(), TruthStatus::Pending)
    );
    let read = ok(&get(
        &fake,
        &format!("/timeoff/employees/{id}/requests/{}", request.request_id),
    )
    .await);
    assert_eq!(read["status"], "pending");
    assert_eq!(read["type"], "days");
    assert_eq!(read["startPortion"], "all_day");
    assert_eq!(
        (read["totalCost"].as_f64(), read["totalDuration"].as_f64()),
        (Some(5.0), Some(5.0))
    );
    assert_eq!(read["requestId"], json!(request.request_id));
    let pending_balance = ok(&get(&fake, &balance_path).await)["totalBalanceAsOfDate"].as_f64();
    assert_eq!(
        pending_balance,
        Some(before),
        "a pending request costs nothing yet"
    );

    assert!(fake.approve(&id, request.request_id));
    let after = ok(&get(&fake, &balance_path).await);
    assert_eq!(after["totalBalanceAsOfDate"].as_f64(), Some(before - 5.0));
    assert_eq!(
        after["policy"].as_str(),
        Some(
            truth
                .time_off
                .policy_of(&id, "Holiday")
                .unwrap()
                .name
                .as_str()
        )
    );
    let feed = ok(&get(
        &fake,
        "/timeoff/requests/changes?since=2026-03-15T00:00:00Z&includePending=true",
    )
    .await);
    let mine: Vec<&str> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["requestId"] == json!(request.request_id))
        .map(|c| c["changeType"].as_str().unwrap())
        .collect();
    assert_eq!(mine, ["Pending", "Created"]);

    let path = format!("/timeoff/employees/{id}/requests/{}", request.request_id);
    let cancelled = delete(&fake, &path).await;
    assert_eq!((cancelled.status, cancelled.text.as_str()), (200, ""));
    assert_eq!(ok(&get(&fake, &path).await)["status"], "canceled");
    assert_eq!(
        ok(&get(&fake, &balance_path).await)["totalBalanceAsOfDate"].as_f64(),
        Some(before)
    );
    assert_eq!(
        delete(&fake, &path).await.status,
        404,
        "a second cancel finds nothing to cancel"
    );
    let feed = ok(&get(
        &fake,
        "/timeoff/requests/changes?since=2026-03-15T00:00:00Z",
    )
    .await);
    let last = feed["changes"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["changeType"].as_str(), &last["requestId"]),
        (Some("Canceled"), &json!(request.request_id))
    );
    assert_eq!(
        last["employeeEmail"].as_str(),
        Some(truth.employees[0].email.as_str())
    );
}

#[tokio::test]
async fn submit_validates_like_hibob() {
    let fake = fake(20).await;
    let truth = fake.truth();
    let id = someone(&truth);
    let path = format!("/timeoff/employees/{id}/requests");
    let count = truth.time_off.requests.len();
    let mut unknown_type = holiday("2026-03-16", "2026-03-17");
    unknown_type["policyType"] = json!("Sabbatical");
    let mut bad_portion = holiday("2026-03-16", "2026-03-17");
    bad_portion["startDatePortion"] = json!("morning");
    let hours_on_days = json!({"policyType": "Holiday", "startDate": "2026-03-16", "endDate": "2026-03-16",
                               "requestRangeType": "hours", "hours": 2, "minutes": 0});
    let mut bad_code = holiday("2026-03-16", "2026-03-17");
    bad_code["reasonCode"] = json!(9201);
    for body in [
        unknown_type,
        holiday("2026-03-17", "2026-03-16"),
        bad_portion,
        hours_on_days,
        bad_code,
        json!([1]),
    ] {
        let resp = post(&fake, &path, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}: {}", resp.text);
        assert!(resp.json()["error"].is_string());
    }
    assert_eq!(
        fake.truth().time_off.requests.len(),
        count,
        "nothing was added"
    );

    // Every request type the spec documents is taken.
    let training = |extra: Value| {
        let mut body =
            json!({"policyType": "Training", "startDate": "2026-03-16", "endDate": "2026-03-18"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let good = [
        training(
            json!({"requestRangeType": "hours", "endDate": "2026-03-16", "hours": 2, "minutes": 30}),
        ),
        training(json!({"requestRangeType": "hoursOnRange", "dailyHours": 3, "dailyMinutes": 0})),
        training(
            json!({"requestRangeType": "differentDayDurations", "durations": [
            {"date": "2026-03-16", "hours": 1, "minutes": 0}, {"date": "2026-03-17", "hours": 2, "minutes": 15}]}),
        ),
        training(
            json!({"requestRangeType": "specificHoursDayDurations", "localStartTime": "09:30:00", "localEndTime": "13:00:00"}),
        ),
        json!({"policyType": "Holiday", "startDate": "2026-03-16", "endDate": "2026-03-18",
               "requestRangeType": "portionOnRange", "dayPortion": "morning", "reasonCode": 9102}),
        json!({"policyType": "Sick", "startDate": "2026-03-16", "endDate": "2026-03-16",
               "requestRangeType": "days", "startDatePortion": "all_day", "endDatePortion": "all_day"}),
    ];
    for body in good {
        let resp = post(&fake, &path, body.clone()).await;
        assert_eq!(resp.status, 200, "{body}: {}", resp.text);
    }
    let truth = fake.truth();
    let added = &truth.time_off.requests[count..];
    let types: Vec<&str> = added.iter().map(|r| r.amount.range_type()).collect();
    assert_eq!(
        types,
        [
            "hours",
            "hoursOnRange",
            "differentDayDurations",
            "specificHoursDayDurations",
            "portionOnRange",
            "days"
        ]
    );
    assert_eq!(added[0].total_cost, 2.5);
    assert_eq!(added[2].total_cost, 3.25);
    assert_eq!(added[4].reason_code, Some(9102));
    assert_eq!(
        added[5].status,
        TruthStatus::Approved,
        "the sick policy needs no approval"
    );
}

#[tokio::test]
async fn requests_are_per_employee_and_respect_the_audience() {
    let fake = fake(30).await;
    let truth = fake.truth();
    let r = &truth.time_off.requests[0];
    let other = truth
        .employees
        .iter()
        .find(|e| e.id != r.employee_id && e.is_active())
        .unwrap();
    let own = format!(
        "/timeoff/employees/{}/requests/{}",
        r.employee_id, r.request_id
    );
    assert_eq!(
        ok(&get(&fake, &own).await)["employeeId"],
        json!(r.employee_id)
    );
    let theirs = format!("/timeoff/employees/{}/requests/{}", other.id, r.request_id);
    assert_eq!(get(&fake, &theirs).await.status, 404);
    assert_eq!(delete(&fake, &theirs).await.status, 404);
    assert_eq!(
        get(
            &fake,
            &format!("/timeoff/employees/{}/requests/abc", r.employee_id)
        )
        .await
        .status,
        404
    );
    assert_eq!(
        get(
            &fake,
            &format!("/timeoff/employees/1/requests/{}", r.request_id)
        )
        .await
        .status,
        404
    );

    fake.knobs(|k| {
        k.audience_exclude([r.employee_id.clone()]);
    });
    assert_eq!(get(&fake, &own).await.status, 404);
    let balance = format!(
        "/timeoff/employees/{}/balance?policyType=Holiday&date=2026-03-15",
        r.employee_id
    );
    assert_eq!(get(&fake, &balance).await.status, 404);
    let submit = post(
        &fake,
        &format!("/timeoff/employees/{}/requests", r.employee_id),
        holiday("2026-03-16", "2026-03-16"),
    )
    .await;
    assert_eq!(submit.status, 404);
    let week = ok(&get(&fake, "/timeoff/whosout?from=2025-03-01&to=2026-07-01&includePending=true&includeHourly=true&includePrivate=true").await);
    assert!(
        week["outs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["employeeId"] != json!(r.employee_id))
    );
}

#[tokio::test]
async fn changes_feed_keeps_the_six_month_rule_and_matches_the_truth() {
    let fake = fake(40).await;
    let feed = async |q: &str| {
        get(&fake, &format!("/timeoff/requests/changes?{q}"))
            .await
            .status
    };
    assert_eq!(feed("").await, 400, "since is required");
    assert_eq!(feed("since=yesterday").await, 400);
    assert_eq!(
        feed("since=2025-01-01T00:00:00Z&to=2025-07-01T00:00:01Z").await,
        400,
        "over 6 months"
    );
    assert_eq!(
        feed("since=2025-01-01T00:00:00Z&to=2025-07-01T00:00:00Z").await,
        200,
        "exactly 6 months"
    );
    assert_eq!(
        feed("since=2025-01-01T00:00:00Z&to=2024-12-01T00:00:00Z").await,
        400,
        "to before since"
    );
    assert_eq!(
        feed("since=2025-09-01T00:00:00Z").await,
        400,
        "without `to` the window runs to today"
    );
    assert_eq!(feed("since=2025-09-20T12:30-02:00").await, 200);
    assert_eq!(
        feed("since=2024-01-01T00:00:00.000Z&to=2024-03-01T00:00:00Z").await,
        200,
        "any window in the past"
    );

    let truth = fake.truth();
    let (since, to) = (date(2025, 10, 1), date(2026, 2, 1));
    let q = "since=2025-10-01T00:00:00Z&to=2026-02-01T00:00:00Z";
    for pending in [false, true] {
        let body = ok(&get(
            &fake,
            &format!("/timeoff/requests/changes?{q}&includePending={pending}"),
        )
        .await);
        let got: Vec<(String, i64)> = body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["changeType"].as_str().unwrap().to_owned(),
                    c["requestId"].as_i64().unwrap(),
                )
            })
            .collect();
        let want: Vec<(String, i64)> = truth
            .time_off
            .changes
            .iter()
            .filter(|c| {
                since.and_hms_opt(0, 0, 0).unwrap() <= c.at
                    && c.at <= to.and_hms_opt(0, 0, 0).unwrap()
            })
            .filter(|c| pending || c.kind != ChangeKind::Pending)
            .map(|c| (c.kind.as_str().to_owned(), c.request_id))
            .collect();
        assert!(want.len() > 10, "the generated feed is not empty");
        assert_eq!(got, want);
        assert_eq!(got.iter().any(|(k, _)| k == "Pending"), pending);
    }
}

#[tokio::test]
async fn generated_time_off_is_deterministic_and_small() {
    let a = fake(200).await.truth().time_off;
    let b = fake(200).await.truth().time_off;
    assert_eq!(a, b);
    let per_employee = a.requests.len() as f64 / 200.0;
    assert!(
        (1.5..6.0).contains(&per_employee),
        "{per_employee} requests each"
    );
    assert!(
        a.requests
            .windows(2)
            .all(|w| w[0].request_id < w[1].request_id)
    );
    assert!(a.changes.windows(2).all(|w| w[0].at <= w[1].at));
    for status in [
        TruthStatus::Approved,
        TruthStatus::Pending,
        TruthStatus::Canceled,
        TruthStatus::Declined,
    ] {
        assert!(a.requests.iter().any(|r| r.status == status), "{status:?}");
    }
    assert!(
        a.requests.iter().any(|r| r.start_date > TODAY)
            && a.requests.iter().any(|r| r.start_date < TODAY)
    );
    assert!(a.requests.iter().any(|r| matches!(
        r.amount,
        TruthAmount::Days {
            start: Portion::Afternoon,
            ..
        }
    )));
    assert!(
        a.requests
            .iter()
            .any(|r| matches!(r.amount, TruthAmount::Hours { .. }))
    );
    let sick = a.requests.iter().filter(|r| r.policy_type == "Sick");
    assert!(
        sick.clone()
            .all(|r| matches!(r.status, TruthStatus::Approved | TruthStatus::Canceled)),
        "the sick policy needs no approval"
    );
    let sick_ids: Vec<i64> = sick.map(|r| r.request_id).collect();
    assert!(!sick_ids.is_empty());
    assert!(
        a.changes
            .iter()
            .filter(|c| sick_ids.contains(&c.request_id))
            .all(|c| c.kind != ChangeKind::Pending)
    );
}
