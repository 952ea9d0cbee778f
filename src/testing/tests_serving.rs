//! Tests of how the fake serves: its compact store, stalled searches and the port.

use std::time::Duration;

use serde_json::{Value, json};

use super::tests::{TODAY, fake, get, http, post};
use super::*;

#[tokio::test]
async fn an_update_that_changes_nothing_leaves_the_company_as_it_was() {
    let fake = fake(60).await;
    let before = fake.truth();
    fake.update(|_| ());
    assert_eq!(fake.truth(), before);
}

#[tokio::test]
async fn rows_edited_by_hand_are_served_as_edited() {
    let fake = fake(20).await;
    let truth = fake.truth();
    let id = truth.employees[4].id.clone();
    fake.update(|company| {
        let employee = company.employee_mut(&id).unwrap();
        for row in &mut employee.salary_history {
            row["customColumns"] = json!({ "column_1700000000001": "edited" });
            // Not refreshed on purpose: the fake serves what the test wrote.
            row["isCurrent"] = json!(false);
        }
    });
    let rows = get(&fake, &format!("/people/{id}/salaries")).await.json()["values"].clone();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), truth.employees[4].salary_history.len());
    assert!(
        rows.iter()
            .all(|r| r["customColumns"]["column_1700000000001"] == "edited")
    );
    fake.knobs(|k| {
        k.history_current_only(Table::Salaries);
    });
    let current = get(&fake, &format!("/people/{id}/salaries")).await.json();
    assert_eq!(current["values"], json!([]), "no row is current any more");
}

#[tokio::test]
async fn a_search_of_two_thousand_serves_everyone_once_in_company_order() {
    let fake = fake(2_000).await;
    let truth = fake.truth();
    let body = json!({ "fields": ["root.id", "work.manager"], "showInactive": true });
    let served = post(&fake, "/people/search", body).await.json();
    let ids: Vec<&str> = served["employees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = truth.employees.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, want);
    let with_manager = served["employees"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["work"]["manager"].is_string())
        .count();
    let want_managers = truth
        .employees
        .iter()
        .filter(|e| e.manager_id.is_some())
        .count();
    assert_eq!(with_manager, want_managers);
}

/// A search that gives up after `timeout`.
async fn search_within(fake: &FakeHibob, timeout: Duration) -> Result<u16, reqwest::Error> {
    let response = http()
        .post(format!("{}/people/search", fake.uri()))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .header("content-type", "application/json")
        .body(json!({ "fields": ["root.id"] }).to_string())
        .timeout(timeout)
        .send()
        .await?;
    Ok(response.status().as_u16())
}

#[tokio::test]
async fn stalled_searches_time_out_and_later_searches_and_other_routes_do_not() {
    let fake = FakeHibob::builder()
        .employees(30)
        .today(TODAY)
        .stall_searches(2, Duration::from_secs(60))
        .start()
        .await;
    let timeout = Duration::from_millis(300);
    // Other routes neither stall nor use up a stalled search.
    assert_eq!(get(&fake, "/company/people/fields").await.status, 200);
    let id = fake.truth().employees[0].id.clone();
    assert_eq!(
        post(&fake, &format!("/people/{id}"), json!({}))
            .await
            .status,
        200
    );
    for attempt in 1..=2 {
        let err = search_within(&fake, timeout).await.unwrap_err();
        assert!(err.is_timeout(), "search {attempt}: {err:?}");
    }
    assert_eq!(fake.knobs(|k| k.stalled_searches), 0);
    assert_eq!(search_within(&fake, timeout).await.unwrap(), 200);
    assert_eq!(fake.request_count_for("/people/search"), 3);
}

#[tokio::test]
async fn stalls_set_at_runtime_apply_to_the_next_searches() {
    let fake = fake(5).await;
    let timeout = Duration::from_millis(300);
    assert_eq!(search_within(&fake, timeout).await.unwrap(), 200);
    fake.knobs(|k| {
        k.stall_searches(1, Duration::from_secs(60));
    });
    assert!(
        search_within(&fake, timeout)
            .await
            .unwrap_err()
            .is_timeout()
    );
    assert_eq!(search_within(&fake, timeout).await.unwrap(), 200);
    fake.knobs(|k| {
        k.stall_searches(3, Duration::from_secs(60));
        k.no_faults();
    });
    assert_eq!(search_within(&fake, timeout).await.unwrap(), 200);
}

#[tokio::test]
async fn a_fake_listens_on_the_port_it_is_given_and_a_taken_port_is_an_error() {
    let first = fake(3).await;
    let port = first.address().port();
    let err = FakeHibob::builder()
        .employees(3)
        .port(port)
        .try_start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let second = FakeHibob::builder().employees(3).port(port).start().await;
    assert_eq!(second.address().port(), port);
    assert_eq!(second.uri(), format!("http://127.0.0.1:{port}/v1"));
    let fields = get(&second, "/company/people/fields").await;
    assert_eq!(fields.status, 200);
    assert!(matches!(fields.json(), Value::Array(a) if !a.is_empty()));
}
