//! Tests of the fake's time-off reads, with reqwest as a raw client: who's
//! out, out today, balances and adjustments, the calendar searches and their
//! cursors, and the knobs (403 naming the permission, rate limits).

use std::time::Duration;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::tests::{TODAY, fake, get, post};
use super::tests_time_off::{date, holiday, ok, someone};
use super::*;

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
async fn faults_drops_and_a_missing_permission_group_reach_time_off_too() {
    let fake = fake(10).await;
    let id = someone(&fake.truth());
    let count = fake.truth().time_off.requests.len();
    fake.knobs(|k| {
        k.drop_next(1);
    });
    let path = format!("{}/timeoff/employees/{id}/requests", fake.uri());
    let dropped = super::tests::http()
        .post(&path)
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .header("content-type", "application/json")
        .body(holiday("2026-03-16", "2026-03-16").to_string())
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection was closed without an answer"
    );
    assert_eq!(
        fake.truth().time_off.requests.len(),
        count,
        "a dropped submit adds nothing"
    );
    assert_eq!(fake.requests().last().map(|r| r.status), Some(0));

    fake.knobs(|k| k.fault_rate = 1.0);
    let faulty = get(&fake, "/timeoff/policy-types").await;
    assert!(
        [500, 502, 503].contains(&faulty.status),
        "{}",
        faulty.status
    );
    fake.knobs(|k| {
        k.no_faults();
        k.no_permission_group = true;
    });
    assert_eq!(get(&fake, "/timeoff/policy-types").await.status, 403);
}
