//! Tests of the fake's time off, with reqwest as a raw client: every
//! endpoint's happy path and errors, the changes feed's 6-month rule, the
//! calendar cursors, and submit → approve → balance → changes → cancel.

use std::time::Duration;

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

fn ok(resp: &Resp) -> Value {
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.json()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An active employee (the CEO, always employed).
fn someone(truth: &Company) -> String {
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

fn holiday(from: &str, to: &str) -> Value {
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

fn out_ids(body: &Value) -> Vec<i64> {
    body["outs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["requestId"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn whos_out_filters_hourly_private_and_pending_requests() {
    let fake = fake(60).await;
    let truth = fake.truth();
    assert_eq!(
        get(&fake, "/timeoff/whosout?from=2026-03-01").await.status,
        400
    );
    assert_eq!(
        get(&fake, "/timeoff/whosout?to=2026-03-01").await.status,
        400
    );
    assert_eq!(
        get(&fake, "/timeoff/whosout?from=2026-03-10&to=2026-03-01")
            .await
            .status,
        400
    );
    let (from, to) = (date(2025, 9, 1), date(2026, 6, 30));
    let q = "from=2025-09-01&to=2026-06-30";
    let all = "&includeHourly=true&includePrivate=true&includePending=true";
    let plain = ok(&get(&fake, &format!("/timeoff/whosout?{q}")).await);
    let everything = ok(&get(&fake, &format!("/timeoff/whosout?{q}{all}")).await);
    let want = |hourly: bool, private: bool, pending: bool| -> Vec<i64> {
        truth
            .time_off
            .requests
            .iter()
            .filter(|r| r.start_date <= to && from <= r.end_date)
            .filter(|r| {
                r.status == TruthStatus::Approved || (pending && r.status == TruthStatus::Pending)
            })
            .filter(|r| hourly || !r.amount.is_hourly())
            .filter(|r| private || r.policy_type != "Sick")
            .filter(|r| truth.employee(&r.employee_id).unwrap().is_active())
            .map(|r| r.request_id)
            .collect()
    };
    assert_eq!(out_ids(&plain), want(false, false, false));
    assert_eq!(out_ids(&everything), want(true, true, true));
    assert!(out_ids(&everything).len() > out_ids(&plain).len());
    let outs = everything["outs"].as_array().unwrap();
    let training = outs
        .iter()
        .find(|o| o["policyType"] == "Training")
        .expect("a training request");
    assert_eq!(
        training["policyTypeDisplayName"], "Training",
        "includePrivate shows the real name"
    );
    assert!(outs.iter().any(|o| o["status"] == "Pending"));
    assert!(
        outs.iter()
            .any(|o| o["type"] == "hours" && o["hoursOnDate"].is_u64() && o["date"].is_string())
    );
    let hourly = ok(&get(&fake, &format!("/timeoff/whosout?{q}&includeHourly=true")).await);
    let shown = hourly["outs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["policyType"] == "Training")
        .unwrap()
        .clone();
    assert_eq!(
        shown["policyTypeDisplayName"], "Out of office",
        "a custom name without includePrivate"
    );
    assert_eq!(shown["visibility"], "Custom name");
}

#[tokio::test]
async fn out_today_takes_a_date_and_a_site() {
    let fake = fake(80).await;
    let truth = fake.truth();
    // A day with the most approved, non-hourly, public requests.
    let day = (0..120)
        .map(|n| TODAY - chrono::TimeDelta::days(n))
        .max_by_key(|d| {
            truth
                .time_off
                .requests
                .iter()
                .filter(|r| {
                    r.covers(*d) && r.status == TruthStatus::Approved && r.policy_type == "Holiday"
                })
                .count()
        })
        .unwrap();
    let body = ok(&get(&fake, &format!("/timeoff/outtoday?today={day}")).await);
    let outs = body["outs"].as_array().unwrap();
    assert!(!outs.is_empty());
    for o in outs {
        assert!(o["requestRangeType"].is_string() && o["employeeEmail"].is_string());
        let start: NaiveDate = o["startDate"].as_str().unwrap().parse().unwrap();
        assert!(start <= day);
    }
    let site = truth
        .employee(outs[0]["employeeId"].as_str().unwrap())
        .unwrap()
        .site_id;
    if let Some(site) = site {
        let at_site = ok(&get(
            &fake,
            &format!("/timeoff/outtoday?today={day}&siteId={site}"),
        )
        .await);
        let at_site = at_site["outs"].as_array().unwrap();
        assert!(!at_site.is_empty() && at_site.len() <= outs.len());
        assert!(at_site.iter().all(|o| {
            truth
                .employee(o["employeeId"].as_str().unwrap())
                .unwrap()
                .site_id
                == Some(site)
        }));
    }
    assert_eq!(
        get(&fake, "/timeoff/outtoday").await.status,
        200,
        "today defaults to the UTC date"
    );
    assert_eq!(
        get(&fake, "/timeoff/outtoday?siteId=London").await.status,
        400
    );
    assert_eq!(
        get(&fake, "/timeoff/outtoday?today=15/03/2026")
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn balance_and_adjustments() {
    let fake = fake(20).await;
    let truth = fake.truth();
    let id = someone(&truth);
    let path = |q: &str| format!("/timeoff/employees/{id}/balance?{q}");
    assert_eq!(get(&fake, &path("policyType=Holiday")).await.status, 400);
    assert_eq!(get(&fake, &path("date=2026-03-15")).await.status, 400);
    assert_eq!(
        get(&fake, &path("policyType=Nope&date=2026-03-15"))
            .await
            .status,
        404
    );
    assert_eq!(
        get(
            &fake,
            "/timeoff/employees/1/balance?policyType=Holiday&date=2026-03-15"
        )
        .await
        .status,
        404
    );
    let body = ok(&get(&fake, &path("policyType=Holiday&date=2026-03-15")).await);
    let want = truth.time_off.balance(&id, "Holiday", TODAY).unwrap();
    assert_eq!(
        body["totalBalanceAsOfDate"].as_f64(),
        Some(want.total_balance)
    );
    assert_eq!(body["startingBalanceAsOf"], "2026-01-01");
    assert_eq!(body["pointInTime"], "2026-03-15");
    assert_eq!(body["employeeId"], json!(id));

    let adjust = format!("/timeoff/employees/{id}/adjustments");
    let resp = post(&fake, &adjust, json!({"policyType": "Holiday", "effectiveDate": "2026-03-01", "amount": 2.5, "reason": "Overtime"})).await;
    assert_eq!((resp.status, resp.text.as_str()), (200, ""));
    let used = json!({"policyType": "Holiday", "effectiveDate": "2026-03-01", "amount": 1, "adjustmentType": "daysUsed"});
    assert_eq!(post(&fake, &adjust, used).await.status, 200);
    let after = ok(&get(&fake, &path("policyType=Holiday&date=2026-03-15")).await);
    assert_eq!(
        after["totalBalanceAsOfDate"].as_f64(),
        Some(want.total_balance + 1.5)
    );
    assert_eq!(
        after["totalAdminAdjustments"].as_f64(),
        Some(want.admin_adjustments + 2.5)
    );
    for bad in [
        json!({"policyType": "Nope", "effectiveDate": "2026-03-01", "amount": 1}),
        json!({"policyType": "Holiday", "effectiveDate": "2026-03-01", "amount": 0}),
        json!({"policyType": "Holiday", "amount": 1}),
        json!({"policyType": "Holiday", "effectiveDate": "2026-03-01", "amount": 1, "adjustmentType": "bonus"}),
    ] {
        assert_eq!(post(&fake, &adjust, bad).await.status, 400);
    }
    assert_eq!(fake.truth().time_off.adjustments.len(), 2);
}

/// Follows a calendar search's cursor to the end; every page's items.
async fn all_items(fake: &FakeHibob, path: &str, mut body: Value) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    loop {
        let page = ok(&post(fake, path, body.clone()).await);
        pages.push(page["items"].as_array().unwrap().clone());
        match page["response_metadata"]["next_cursor"].as_str() {
            Some(c) => body["cursor"] = json!(c),
            None => return pages,
        }
        assert!(pages.len() < 1_000, "cursor loop");
    }
}

#[tokio::test]
async fn calendar_events_page_to_the_end_with_their_cursor() {
    let fake = fake(10).await;
    let truth = fake.truth();
    let path = "/timeoff/calendars/events/search";
    let range = |from: &str, to: &str| json!({"fieldId": "/calendarEvent/startDate", "operator": "between", "values": [from, to]});
    let body = json!({"filters": [range("2026-01-01", "2026-12-31")], "limit": 3});
    let pages = all_items(&fake, path, body.clone()).await;
    let items: Vec<Value> = pages.concat();
    let want: usize = truth
        .time_off
        .calendars
        .iter()
        .map(|c| {
            c.events
                .iter()
                .filter(|e| e.start_date.format("%Y").to_string() == "2026")
                .count()
        })
        .sum();
    assert_eq!(items.len(), want);
    assert!(pages.iter().rev().skip(1).all(|p| p.len() == 3));
    assert!(
        items[0]["/calendarEvent/name"].is_string()
            && items[0]["/calendarEvent/calendarId"].is_string()
    );

    let cal = &truth.time_off.calendars[1];
    let one = json!({"filters": [range("2026-01-01", "2026-12-31"),
        {"fieldId": "/calendarEvent/calendarId", "operator": "equals", "values": [cal.id]}],
        "fields": ["/calendarEvent/name"]});
    let only = all_items(&fake, path, one).await.concat();
    assert_eq!(only.len(), 4);
    assert!(
        only.iter()
            .all(|i| i.as_object().unwrap().keys().eq(["/calendarEvent/name"]))
    );

    let mut other = body.clone();
    other["limit"] = json!(4);
    let first = ok(&post(&fake, path, body.clone()).await);
    other["cursor"] = first["response_metadata"]["next_cursor"].clone();
    assert_eq!(
        post(&fake, path, other).await.status,
        400,
        "a cursor from other parameters"
    );
    let long = post(
        &fake,
        path,
        json!({"filters": [range("2025-01-01", "2026-01-02")]}),
    )
    .await;
    assert_eq!(
        (long.status, long.json()["key"].as_str()),
        (400, Some("dateRangeTooLong"))
    );
    assert_eq!(post(&fake, path, json!({"filters": []})).await.status, 400);
    assert_eq!(
        post(
            &fake,
            path,
            json!({"filters": [range("2026-01-01", "2026-02-01")], "limit": 0})
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn employee_calendars_page_skip_unknown_ids_and_cap_at_5000() {
    let fake = fake(40).await;
    let truth = fake.truth();
    let path = "/timeoff/calendars/employees/search";
    let mut ids: Vec<String> = truth.employees.iter().map(|e| e.id.clone()).collect();
    ids.push("1234".into());
    let filter = |ids: &[String]| json!([{"fieldId": "/employeeCalendar/employeeId", "operator": "equals", "values": ids}]);
    let pages = all_items(&fake, path, json!({"filters": filter(&ids), "limit": 7})).await;
    let items = pages.concat();
    assert_eq!(
        items.len(),
        truth.employees.len(),
        "the unknown ID is left out"
    );
    assert_eq!(pages.len(), truth.employees.len().div_ceil(7));
    for (item, e) in items.iter().zip(&truth.employees) {
        assert_eq!(item["/employeeCalendar/employeeId"], json!(e.id));
        let source = item["/employeeCalendar/source"].as_str().unwrap();
        assert_eq!(
            source == "none",
            item["/employeeCalendar/calendarId"].is_null()
        );
    }
    assert!(
        items
            .iter()
            .any(|i| i["/employeeCalendar/source"] == "site")
    );

    let many: Vec<String> = (0..5_001).map(|n| n.to_string()).collect();
    let resp = post(&fake, path, json!({"filters": filter(&many)})).await;
    assert_eq!(
        (resp.status, resp.json()["key"].as_str()),
        (400, Some("tooManyEmployeeIds"))
    );
    assert_eq!(
        post(&fake, path, json!({"filters": filter(&many[..5_000])}))
            .await
            .status,
        200
    );
    assert_eq!(post(&fake, path, json!({})).await.status, 400);
}

#[tokio::test]
async fn denied_time_off_answers_403_naming_the_permission() {
    let fake = FakeHibob::builder()
        .employees(5)
        .today(TODAY)
        .deny_category(TIME_OFF_CATEGORY)
        .start()
        .await;
    let id = someone(&fake.truth());
    let features = get(&fake, "/timeoff/policy-types").await;
    assert_eq!(features.status, 403);
    assert!(
        features.json()["error"]
            .as_str()
            .unwrap()
            .contains("Features > Time off")
    );
    let whos = get(&fake, "/timeoff/whosout?from=2026-03-01&to=2026-03-02").await;
    assert!(
        whos.json()["error"]
            .as_str()
            .unwrap()
            .contains("See who's out")
    );
    let cal = post(&fake, "/timeoff/calendars/events/search", json!({})).await;
    assert!(
        cal.json()["error"]
            .as_str()
            .unwrap()
            .contains("Settings > Calendars")
    );
    let submit = post(
        &fake,
        &format!("/timeoff/employees/{id}/requests"),
        holiday("2026-03-16", "2026-03-16"),
    )
    .await;
    assert_eq!(submit.status, 403);
    assert_eq!(
        get(&fake, "/people/search").await.status,
        404,
        "other groups are untouched"
    );
    assert!(
        fake.truth()
            .time_off
            .requests
            .iter()
            .all(|r| r.created_on.date() < TODAY)
    );
}

#[tokio::test]
async fn time_off_routes_have_their_own_rate_limit_windows() {
    let fake = fake(5).await;
    fake.knobs(|k| {
        k.rate_limit(2, Duration::from_secs(60));
    });
    for _ in 0..2 {
        assert_eq!(get(&fake, "/timeoff/policy-types").await.status, 200);
    }
    let limited = get(&fake, "/timeoff/policy-types").await;
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(
        get(&fake, "/timeoff/policy-types/Holiday").await.status,
        200,
        "another template"
    );
    assert_eq!(
        get(&fake, "/timeoff/policy-types/Sick").await.status,
        200,
        "same template as Holiday"
    );
    assert_eq!(get(&fake, "/timeoff/policy-types/Sick").await.status, 429);
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
}
