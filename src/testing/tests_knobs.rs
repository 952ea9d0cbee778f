//! Tests of auth, knobs, metadata, named lists, determinism and the request log.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::tests::{TODAY, employees, fake, get, http, post};
use super::*;

#[tokio::test]
async fn credentials_are_checked_and_401_has_an_empty_body() {
    let fake = fake(5).await;
    let url = format!("{}/company/people/fields", fake.uri());
    let none = http().get(&url).send().await.unwrap();
    assert_eq!(none.status().as_u16(), 401);
    assert!(none.text().await.unwrap().is_empty());
    let wrong = http()
        .get(&url)
        .basic_auth(fake.service_user_id(), Some("not-the-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(get(&fake, "/company/people/fields").await.status, 200);
    fake.knobs(|k| k.reject_all_credentials = true);
    let revoked = get(&fake, "/company/people/fields").await;
    assert_eq!((revoked.status, revoked.text.as_str()), (401, ""));
    assert_eq!(
        fake.requests().iter().filter(|r| r.status == 401).count(),
        3
    );
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_and_headers() {
    let fake = FakeHibob::builder()
        .employees(5)
        .rate_limit(3, Duration::from_secs(60))
        .start()
        .await;
    for remaining in ["2", "1", "0"] {
        let ok = post(&fake, "/people/search", json!({})).await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(ok.header("x-ratelimit-remaining"), Some(remaining));
    }
    let limited = post(&fake, "/people/search", json!({})).await;
    assert_eq!(limited.status, 429);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    let reset: u64 = limited
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > 1_700_000_000, "epoch seconds");
    // Per route: another endpoint still answers.
    assert_eq!(get(&fake, "/company/people/fields").await.status, 200);
    fake.knobs(|k| {
        k.rate_limit = Some(RateLimit {
            max: 1,
            window: Duration::from_millis(50),
        })
    });
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(post(&fake, "/people/search", json!({})).await.status, 200);
}

#[tokio::test]
async fn same_seed_same_bodies_and_different_seed_differs() {
    let a = fake(80).await;
    let b = fake(80).await;
    let c = FakeHibob::builder()
        .employees(80)
        .seed(43)
        .today(TODAY)
        .start()
        .await;
    let body = json!({"showInactive": true, "humanReadable": "APPEND"});
    let ra = post(&a, "/people/search", body.clone()).await.text;
    assert_eq!(ra, post(&b, "/people/search", body.clone()).await.text);
    assert_ne!(ra, post(&c, "/people/search", body).await.text);
    for path in [
        "/bulk/people/work?limit=13",
        "/company/named-lists?includeArchived=true",
    ] {
        assert_eq!(get(&a, path).await.text, get(&b, path).await.text, "{path}");
    }
    assert_eq!(a.truth(), b.truth());
    assert_eq!(
        (a.service_user_id(), a.token()),
        (b.service_user_id(), b.token())
    );
}

#[tokio::test]
async fn named_lists_with_and_without_archived_items() {
    let fake = fake(300).await;
    let truth = fake.truth();
    let without = get(&fake, "/company/named-lists?includeArchived=false")
        .await
        .json();
    let with = get(&fake, "/company/named-lists?includeArchived=true")
        .await
        .json();
    let find = |lists: &Value, list: &str, id: &str| {
        lists[list]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == json!(id))
            .map(|i| i["name"].as_str().unwrap().to_owned())
    };
    let mut archived_in_use = 0;
    for e in &truth.employees {
        if let Some(t) = &e.title {
            assert_eq!(find(&with, "title", &t.id), Some(t.label.clone()));
            assert_eq!(find(&without, "title", &t.id).is_none(), t.archived);
            archived_in_use += usize::from(t.archived);
        }
    }
    assert!(archived_in_use > 0, "some employees hold archived titles");
    let items = without["department"]["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["archived"] == false));
    assert_eq!(with["department"]["values"], with["department"]["items"]);
    assert!(
        with["site"]["items"][0]["id"].is_number(),
        "site item IDs are numbers"
    );

    let one = get(
        &fake,
        "/company/named-lists/department?includeArchived=true",
    )
    .await;
    assert_eq!(one.json()["name"], "department");
    assert_eq!(
        one.json()["items"].as_array().unwrap().len(),
        truth.lists["department"].items.len()
    );
    let wrong_case = get(&fake, "/company/named-lists/Department").await;
    assert_eq!(wrong_case.status, 404);
    assert_eq!(wrong_case.json()["key"], "not.found");
}

#[tokio::test]
async fn fields_metadata_needs_no_permission_and_covers_served_fields() {
    let fake = FakeHibob::builder()
        .employees(5)
        .no_permission_group()
        .start()
        .await;
    let meta = get(&fake, "/company/people/fields").await;
    assert_eq!(meta.status, 200);
    let meta = meta.json();
    let ids: Vec<&str> = meta
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in [
        "root.id",
        "work.department",
        COST_CENTER_FIELD,
        WORK_MODEL_FIELD,
        BADGE_NUMBER_FIELD,
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let dept = meta
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "work.department")
        .unwrap();
    assert_eq!(dept["typeData"]["listId"], "department");
    assert_eq!(dept["jsonPath"], "work.department");
    let root = meta
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "root.id")
        .unwrap();
    assert_eq!(root["jsonPath"], "id");
    for path in [
        "/company/named-lists",
        "/bulk/people/lifecycle",
        "/people/1/work",
    ] {
        assert_eq!(get(&fake, path).await.status, 403, "{path}");
    }
    assert_eq!(post(&fake, "/people/search", json!({})).await.status, 403);
}

#[tokio::test]
async fn unknown_paths_404_json_or_html_when_asked() {
    let fake = fake(5).await;
    let id = fake.truth().employees[0].id.clone();
    let resp = get(&fake, &format!("/people/{id}/variables")).await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.json()["key"], "not.found");
    assert_eq!(get(&fake, "/nothing/here").await.status, 404);
    fake.knobs(|k| k.html_for_unknown_paths = true);
    let html = get(&fake, &format!("/people/{id}/variables")).await;
    assert_eq!(html.status, 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn a_thousand_employees_are_all_served() {
    // How fast the fake starts is measured in `benches/`, not asserted here.
    let fake = FakeHibob::builder().employees(1000).seed(9).start().await;
    assert_eq!(fake.truth().employees.len(), 1000);
    let all = employees(&post(&fake, "/people/search", json!({"showInactive": true})).await);
    assert_eq!(all.len(), 1000);
}

#[tokio::test]
async fn faults_are_seeded_and_repeatable() {
    async fn statuses(p: f64) -> Vec<u16> {
        let fake = FakeHibob::builder()
            .employees(5)
            .seed(3)
            .fault_rate(p)
            .start()
            .await;
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(get(&fake, "/company/people/fields").await.status);
        }
        out
    }
    let a = statuses(0.3).await;
    assert_eq!(a, statuses(0.3).await);
    let faults = a.iter().filter(|s| **s >= 500).count();
    assert!((4..=24).contains(&faults), "{a:?}");
    assert!(a.iter().all(|s| [200, 500, 502, 503].contains(s)));

    let fake = FakeHibob::builder()
        .employees(5)
        .truncated_rate(1.0)
        .start()
        .await;
    let cut = get(&fake, "/company/people/fields").await;
    assert_eq!(cut.status, 200);
    assert!(serde_json::from_str::<Value>(&cut.text).is_err());
    fake.knobs(|k| {
        k.truncated_rate = 0.0;
        k.drop_rate = 1.0;
    });
    let url = format!("{}/company/people/fields", fake.uri());
    assert!(http().get(url).send().await.is_err(), "connection dropped");
    assert_eq!(fake.requests().last().unwrap().status, 0);
}

#[tokio::test]
async fn request_log_counts_and_resets() {
    let fake = fake(5).await;
    let id = fake.truth().employees[0].id.clone();
    get(&fake, &format!("/people/{id}/work")).await;
    get(&fake, "/bulk/people/work?limit=2").await;
    post(&fake, "/people/search", json!({})).await;
    assert_eq!(fake.request_count(), 3);
    assert_eq!(fake.request_count_for("/bulk/"), 1);
    assert_eq!(fake.request_count_for("/v1/people/"), 2);
    let log = fake.requests();
    assert_eq!(log[1].query.as_deref(), Some("limit=2"));
    assert_eq!((log[2].method.as_str(), log[2].status), ("POST", 200));
    fake.reset_requests();
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn latency_delays_responses() {
    let fake = FakeHibob::builder()
        .employees(2)
        .latency(Duration::from_millis(120))
        .start()
        .await;
    let t = Instant::now();
    assert_eq!(get(&fake, "/company/people/fields").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(120));
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<FakeHibob>();
    check::<FakeHibobBuilder>();
    check::<Company>();
    check::<Knobs>();
}

#[tokio::test]
async fn hide_inactive_at_runtime_and_back() {
    let fake = fake(40).await;
    let truth = fake.truth();
    let leaver = truth.employees.iter().find(|e| !e.is_active()).unwrap();
    let on_leave = truth
        .employees
        .iter()
        .find(|e| e.lifecycle_status == "leave")
        .unwrap();
    let employed = &truth.employees[0];
    fake.knobs(|k| {
        k.hide_inactive();
    });
    let query = format!("employeeIds={},{},{}", leaver.id, on_leave.id, employed.id);
    let page = get(&fake, &format!("/bulk/people/lifecycle?{query}"))
        .await
        .json();
    let errors: Vec<&str> = page["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["employeeId"].as_str().unwrap())
        .collect();
    assert_eq!(errors, vec![leaver.id.as_str(), on_leave.id.as_str()]);
    assert_eq!(page["results"][0]["employeeId"], json!(employed.id));
    let all = employees(&post(&fake, "/people/search", json!({"showInactive": true})).await);
    assert_eq!(
        all.len(),
        truth
            .employees
            .iter()
            .filter(|e| e.lifecycle_status == "employed")
            .count()
    );
    assert_eq!(
        post(&fake, &format!("/people/{}", leaver.id), json!({}))
            .await
            .status,
        404
    );

    fake.knobs(|k| {
        k.audience_everyone();
    });
    assert_eq!(
        post(&fake, &format!("/people/{}", leaver.id), json!({}))
            .await
            .status,
        200
    );
    let page = get(&fake, &format!("/bulk/people/lifecycle?{query}"))
        .await
        .json();
    assert_eq!(page["errors"], json!([]));
}

#[tokio::test]
async fn drop_next_drops_one_post_then_answers_the_next() {
    let fake = FakeHibob::builder()
        .employees(5)
        .seed(42)
        .today(TODAY)
        .drop_next(1)
        .start()
        .await;
    let body = json!({ "fields": ["root.id"], "showInactive": true }).to_string();
    let dropped = http()
        .post(format!("{}/people/search", fake.uri()))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await;
    assert!(dropped.is_err(), "connection closed without an answer");
    assert_eq!(fake.knobs(|k| k.drop_next), 0, "each drop uses one up");
    let answered = post(&fake, "/people/search", json!({ "showInactive": true })).await;
    assert_eq!(employees(&answered).len(), 5);
    let log = fake.requests();
    let seen: Vec<(&str, &str, u16)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str(), r.status))
        .collect();
    let search = ("POST", "/v1/people/search");
    assert_eq!(seen, [(search.0, search.1, 0), (search.0, search.1, 200)]);
}

#[tokio::test]
async fn drop_next_at_runtime_counts_requests_on_any_route() {
    let fake = fake(5).await;
    let id = fake.truth().employees[0].id.clone();
    fake.knobs(|k| {
        k.drop_next(2);
    });
    let url = |path: &str| format!("{}{path}", fake.uri());
    let fields = http().get(url("/company/people/fields")).send().await;
    assert!(fields.is_err(), "unauthenticated requests are dropped too");
    let work = http()
        .get(url(&format!("/people/{id}/work")))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .send()
        .await;
    assert!(work.is_err());
    assert_eq!(get(&fake, "/bulk/people/work?limit=2").await.status, 200);
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [0, 0, 200]);

    fake.knobs(|k| {
        k.drop_next(3).no_faults();
    });
    assert_eq!(fake.knobs(|k| k.drop_next), 0, "no_faults clears drop_next");
    assert_eq!(get(&fake, "/company/people/fields").await.status, 200);
}

#[tokio::test]
async fn drop_next_leaves_the_fault_sequence_alone() {
    async fn statuses(drops: u32) -> Vec<u16> {
        let fake = FakeHibob::builder()
            .employees(5)
            .seed(3)
            .fault_rate(0.3)
            .drop_next(drops)
            .start()
            .await;
        for _ in 0..drops {
            let url = format!("{}/company/people/fields", fake.uri());
            assert!(http().get(url).send().await.is_err());
        }
        let mut out = Vec::new();
        for _ in 0..20 {
            out.push(get(&fake, "/company/people/fields").await.status);
        }
        out
    }
    let undropped = statuses(0).await;
    assert!(undropped.iter().any(|s| *s >= 500), "{undropped:?}");
    assert_eq!(statuses(3).await, undropped);
}

#[tokio::test]
async fn a_client_resends_a_dropped_read() {
    let fake = FakeHibob::builder().employees(3).drop_next(1).start().await;
    let found = fake.client().people().search().await.expect("retried");
    assert_eq!(found.employees.len(), 3);
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [0, 200],
        "the search was read, dropped, then sent again"
    );
}
