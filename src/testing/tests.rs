//! Tests of people reads, auth, metadata, lists and knobs, with reqwest as a raw client.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;

pub(super) const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();

pub(super) async fn fake(n: usize) -> FakeHibob {
    FakeHibob::builder()
        .employees(n)
        .seed(42)
        .today(TODAY)
        .start()
        .await
}

pub(super) fn http() -> reqwest::Client {
    // Not reqwest's own builder: it panics in the ring-only build (no provider).
    crate::tls::http_client_builder()
        .expect("TLS setup")
        .no_proxy()
        .build()
        .expect("client")
}

pub(super) struct Resp {
    pub(super) status: u16,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) text: String,
}

impl Resp {
    pub(super) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn send(fake: &FakeHibob, req: reqwest::RequestBuilder) -> Resp {
    let resp = req
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

pub(super) async fn get(fake: &FakeHibob, path: &str) -> Resp {
    send(fake, http().get(format!("{}{path}", fake.uri()))).await
}

pub(super) async fn post(fake: &FakeHibob, path: &str, body: Value) -> Resp {
    let req = http()
        .post(format!("{}{path}", fake.uri()))
        .header("content-type", "application/json")
        .body(body.to_string());
    send(fake, req).await
}

pub(super) fn employees(resp: &Resp) -> Vec<Value> {
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.json()["employees"]
        .as_array()
        .expect("employees")
        .clone()
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|e| e["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn search_defaults_to_active_employees_and_default_categories() {
    let fake = fake(120).await;
    let truth = fake.truth();
    let got = employees(&post(&fake, "/people/search", json!({})).await);
    let active: Vec<String> = truth
        .employees
        .iter()
        .filter(|e| e.is_active())
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(ids(&got), active);
    let e = &got[0];
    assert!(e["firstName"].is_string() && e["work"]["startDate"].is_string());
    assert!(e["payroll"]["employment"]["contract"].is_string());
    assert!(
        e.get("internal").is_none(),
        "lifecycle is not a default category"
    );
    assert!(
        e["work"].get("custom").is_none(),
        "custom fields are never default"
    );
    assert!(e.get(CUSTOM_CATEGORY_ID).is_none());

    let all = employees(&post(&fake, "/people/search", json!({"showInactive": true})).await);
    assert_eq!(all.len(), truth.employees.len());
}

#[tokio::test]
async fn search_returns_requested_fields_with_slash_keys_for_non_null_values() {
    let fake = fake(150).await;
    let truth = fake.truth();
    let body = json!({
        "fields": ["root.id", "work.title", "work.department", "work.reportsTo",
                   "internal.terminationDate", COST_CENTER_FIELD, WORK_MODEL_FIELD,
                   BADGE_NUMBER_FIELD, "no.such.field"],
        "showInactive": true,
    });
    let got = employees(&post(&fake, "/people/search", body).await);
    assert_eq!(got.len(), truth.employees.len());
    for (e, t) in got.iter().zip(&truth.employees) {
        assert_eq!(e["id"], json!(t.id));
        assert_eq!(e["/root/id"], json!({"value": t.id}));
        assert_eq!(e["work"]["title"], json!(t.title.as_ref().map(|x| &x.id)));
        assert_eq!(e.get("/work/title").is_some(), t.title.is_some());
        assert_eq!(
            e["work"]["custom"]["field_1698036945383"],
            json!(t.cost_center)
        );
        assert_eq!(
            e["work"]["custom"]["field_1698036945384"],
            json!(t.work_model.as_ref().map(|x| &x.id))
        );
        assert_eq!(
            e[CUSTOM_CATEGORY_ID]["field_1720508399001"],
            json!(t.badge_number)
        );
        assert_eq!(e["work"]["reportsTo"]["email"], json!(t.manager_email));
        let end = t.termination_date.map(|d| d.to_string());
        assert_eq!(e["internal"]["terminationDate"], json!(end));
        assert_eq!(e.get("/internal/terminationDate").is_some(), end.is_some());
        assert!(e.get("no").is_none() && e.get("/no/such/field").is_none());
        assert!(e.get("firstName").is_none(), "only requested fields");
    }
    assert!(
        got.iter().any(|e| e["work"]["title"].is_null()),
        "someone without a title"
    );
    assert!(got.iter().any(|e| e["work"]["reportsTo"].is_null()));
}

#[tokio::test]
async fn search_filters_by_id_and_email_and_rejects_bad_filters() {
    let fake = fake(60).await;
    let truth = fake.truth();
    let plus = truth
        .employees
        .iter()
        .find(|e| e.email.contains('+'))
        .unwrap();
    let leaver = truth.employees.iter().find(|e| !e.is_active()).unwrap();
    let wanted = vec![truth.employees[1].id.clone(), leaver.id.clone()];
    let by_id = |show: bool| {
        json!({"filters": [{"fieldPath": "root.id", "operator": "equals", "values": wanted}],
               "showInactive": show})
    };
    let got = employees(&post(&fake, "/people/search", by_id(true)).await);
    assert_eq!(ids(&got), wanted);
    let got = employees(&post(&fake, "/people/search", by_id(false)).await);
    assert_eq!(ids(&got), vec![wanted[0].clone()]);

    let body = json!({"filters": [{"fieldPath": "root.email", "operator": "equals",
                                   "values": [plus.email]}], "showInactive": true});
    assert_eq!(
        ids(&employees(&post(&fake, "/people/search", body).await)),
        vec![plus.id.clone()]
    );

    let f = |fp: &str, op: &str, values: Value| json!({"fieldPath": fp, "operator": op, "values": values});
    for bad in [
        json!({"filters": []}),
        json!({"filters": [{}]}),
        json!({"filters": [f("work.department", "equals", json!(["1"]))]}),
        json!({"filters": [f("root.id", "contains", json!(["1"]))]}),
        json!({"filters": [f("root.id", "equals", json!([]))]}),
        json!({"filters": [f("root.id", "equals", json!(["1"])), f("root.id", "equals", json!(["2"]))]}),
        json!({"fields": "root.id"}),
        json!({"fields": vec!["root.id"; 401]}),
        json!({"humanReadable": "YES"}),
        json!({"showInactive": "true"}),
    ] {
        let resp = post(&fake, "/people/search", bad.clone()).await;
        assert_eq!(resp.status, 400, "{bad}");
        let body = resp.json();
        assert!(
            body["key"].is_string() && body["error"].is_string(),
            "{body}"
        );
    }
}

#[tokio::test]
async fn human_readable_append_and_replace() {
    let fake = fake(40).await;
    let truth = fake.truth();
    let fields = json!([
        "root.id",
        "work.department",
        "work.startDate",
        "internal.lifecycleStatus"
    ]);
    let append = employees(
        &post(
            &fake,
            "/people/search",
            json!({"fields": fields, "humanReadable": "APPEND"}),
        )
        .await,
    );
    let replace = employees(
        &post(
            &fake,
            "/people/search",
            json!({"fields": fields, "humanReadable": "REPLACE"}),
        )
        .await,
    );
    let active: Vec<_> = truth.employees.iter().filter(|e| e.is_active()).collect();
    for ((a, r), t) in append.iter().zip(&replace).zip(active) {
        let dept = t.department.as_ref();
        assert_eq!(a["work"]["department"], json!(dept.map(|d| &d.id)));
        assert_eq!(
            a["humanReadable"]["work"]["department"],
            json!(dept.map(|d| &d.label))
        );
        let display = t.start_date.format("%d/%m/%Y").to_string();
        assert_eq!(a["humanReadable"]["work"]["startDate"], json!(display));
        assert_eq!(a["work"]["startDate"], json!(t.start_date.to_string()));
        assert_eq!(a["internal"]["lifecycleStatus"], json!(t.lifecycle_status));
        let label = a["humanReadable"]["internal"]["lifecycleStatus"]
            .as_str()
            .unwrap();
        assert!(["Employed", "Leave"].contains(&label));
        assert_eq!(r["work"]["department"], json!(dept.map(|d| &d.label)));
        assert_eq!(r["work"]["startDate"], json!(display));
        assert!(r.get("humanReadable").is_none());
        assert!(a.get("/humanReadable").is_none());
    }
}

#[tokio::test]
async fn denied_category_is_omitted_silently_and_its_table_is_forbidden() {
    let fake = FakeHibob::builder()
        .employees(30)
        .today(TODAY)
        .deny_category("work")
        .start()
        .await;
    let id = fake.truth().employees[1].id.clone();
    let fields = json!([
        "root.id",
        "work.department",
        "work.title",
        COST_CENTER_FIELD,
        "internal.status"
    ]);
    let got = employees(&post(&fake, "/people/search", json!({"fields": fields})).await);
    for e in &got {
        assert!(e.get("work").is_none(), "{e}");
        assert!(
            !e.as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with("/work/"))
        );
        assert_eq!(e["internal"]["status"], "Active");
    }
    let single = post(&fake, &format!("/people/{id}"), json!({})).await;
    assert_eq!(single.status, 200);
    assert!(single.json().get("work").is_none() && single.json()["firstName"].is_string());
    let work = get(&fake, &format!("/people/{id}/work")).await;
    assert_eq!(work.status, 403);
    assert_eq!(work.json()["key"], "permission.denied");
    assert_eq!(get(&fake, "/bulk/people/work").await.status, 403);
    assert_eq!(
        get(&fake, &format!("/people/{id}/lifecycle")).await.status,
        200
    );
}

#[tokio::test]
async fn single_employee_by_id_or_encoded_email() {
    let fake = fake(60).await;
    let truth = fake.truth();
    let plus = truth
        .employees
        .iter()
        .find(|e| e.email.contains('+'))
        .unwrap();
    let encoded = plus.email.replace('+', "%2B").replace('@', "%40");
    let resp = post(
        &fake,
        &format!("/people/{encoded}"),
        json!({"fields": ["root.id", "root.email"]}),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.json()["id"], json!(plus.id));
    assert!(
        resp.json().get("employees").is_none(),
        "a bare employee object"
    );

    let leaver = truth
        .employees
        .iter()
        .find(|e| e.lifecycle_status == "terminated")
        .unwrap();
    let resp = post(
        &fake,
        &format!("/people/{}", leaver.id),
        json!({"humanReadable": "APPEND"}),
    )
    .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["humanReadable"]["email"], json!(leaver.email));
    assert_eq!(
        post(&fake, "/people/1234567890123456789", json!({}))
            .await
            .status,
        404
    );

    fake.knobs(|k| k.audience_lifecycle = Some(vec!["employed".into()]));
    assert_eq!(
        post(&fake, &format!("/people/{}", leaver.id), json!({}))
            .await
            .status,
        404
    );
    let all = employees(&post(&fake, "/people/search", json!({"showInactive": true})).await);
    assert!(all.iter().all(|e| {
        let t = truth.employee(e["id"].as_str().unwrap()).unwrap();
        t.lifecycle_status == "employed"
    }));
}
