//! Tests of the newer mutations (rehire, site and manager moves, e-mail
//! changes, list edits, audience removal, deletion): what later people,
//! table and list reads return.

use chrono::TimeDelta;
use serde_json::{Value, json};

use super::tests::{TODAY, employees, fake, get, post};
use super::*;

/// One employee from a search of everyone, with these fields.
async fn read(fake: &FakeHibob, id: &str, fields: &[&str]) -> Value {
    let body = json!({"fields": fields, "showInactive": true,
        "filters": [{"fieldPath": "root.id", "operator": "equals", "values": [id]}]});
    let mut found = employees(&post(fake, "/people/search", body).await);
    assert_eq!(found.len(), 1, "{id} not found");
    found.remove(0)
}

/// The rows of `/people/{id}/{table}`.
async fn rows(fake: &FakeHibob, id: &str, table: &str) -> Vec<Value> {
    let resp = get(fake, &format!("/people/{id}/{table}")).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.json()["values"].as_array().expect("values").clone()
}

fn current(rows: &[Value]) -> &Value {
    let mut current = rows.iter().filter(|r| r["isCurrent"] == json!(true));
    let row = current.next().expect("a current row");
    assert!(current.next().is_none(), "one current row");
    row
}

fn a_leaver(fake: &FakeHibob) -> TruthEmployee {
    fake.truth()
        .employees
        .into_iter()
        .find(|e| e.lifecycle_status == "terminated" && e.termination_date < Some(TODAY))
        .expect("the generated company has leavers")
}

const LIFECYCLE: &[&str] = &[
    "root.id",
    "internal.lifecycleStatus",
    "internal.status",
    "internal.terminationDate",
    "work.startDate",
];

#[tokio::test]
async fn rehire_brings_a_leaver_back_in_people_and_lifecycle_reads() {
    let fake = fake(60).await;
    let leaver = a_leaver(&fake);
    fake.rehire(&leaver.id, TODAY);

    let e = read(&fake, &leaver.id, LIFECYCLE).await;
    assert_eq!(e["internal"]["lifecycleStatus"], "employed");
    assert_eq!(e["internal"]["status"], "Active");
    assert_eq!(e["internal"]["terminationDate"], Value::Null);
    assert_eq!(e["work"]["startDate"], json!(TODAY.to_string()));
    let active = employees(&post(&fake, "/people/search", json!({})).await);
    assert!(active.iter().any(|a| a["id"] == json!(leaver.id)));

    let lifecycle = rows(&fake, &leaver.id, "lifecycle").await;
    let row = current(&lifecycle);
    assert_eq!(
        (
            &row["status"],
            &row["effectiveDate"],
            &row["employeeStatus"]
        ),
        (
            &json!("employed"),
            &json!(TODAY.to_string()),
            &json!("Active")
        )
    );
    assert_eq!(lifecycle.len(), leaver.lifecycle_history.len() + 1);
    let work = rows(&fake, &leaver.id, "work").await;
    assert_eq!(current(&work)["workChangeType"], "Rehire");
}

#[tokio::test]
async fn a_future_rehire_is_hired_and_inactive_until_the_start() {
    let fake = fake(60).await;
    let leaver = a_leaver(&fake);
    let start = TODAY + TimeDelta::days(14);
    fake.rehire(&leaver.id, start);

    let e = read(&fake, &leaver.id, LIFECYCLE).await;
    assert_eq!(e["internal"]["lifecycleStatus"], "hired");
    assert_eq!(e["internal"]["status"], "Inactive");
    assert_eq!(e["work"]["startDate"], json!(start.to_string()));
    let lifecycle = rows(&fake, &leaver.id, "lifecycle").await;
    assert_eq!(current(&lifecycle)["status"], "hired");
    assert_eq!(lifecycle.last().unwrap()["status"], "employed");
}

#[tokio::test]
#[should_panic(expected = "not terminated")]
async fn rehiring_someone_employed_panics() {
    let fake = fake(10).await;
    let ceo = fake.truth().employees[0].id.clone();
    fake.rehire(&ceo, TODAY);
}

#[tokio::test]
async fn move_site_changes_the_site_now_or_only_in_history_when_future() {
    let fake = fake(20).await;
    let truth = fake.truth();
    let tokyo = truth.lists["site"].items[4].clone();
    let (now, later) = (&truth.employees[1], &truth.employees[2]);
    fake.move_site(&now.id, &tokyo.id, TODAY);
    fake.move_site(&later.id, &tokyo.id, TODAY + TimeDelta::days(30));

    let fields = ["root.id", "work.site", "work.siteId"];
    let e = read(&fake, &now.id, &fields).await;
    assert_eq!(e["work"]["site"], json!(tokyo.label));
    assert_eq!(e["work"]["siteId"].to_string(), tokyo.id);
    let row = current(&rows(&fake, &now.id, "work").await).clone();
    assert_eq!(
        (row["site"].clone(), row["siteId"].to_string()),
        (json!(tokyo.label), tokyo.id.clone())
    );

    let e = read(&fake, &later.id, &fields).await;
    assert_eq!(e["work"]["site"], json!(later.site));
    let work = rows(&fake, &later.id, "work").await;
    let last = work.last().unwrap();
    assert_eq!(
        (&last["site"], &last["isCurrent"]),
        (&json!(tokyo.label), &json!(false))
    );
}

#[tokio::test]
async fn change_manager_shows_in_manager_reports_to_and_the_work_table() {
    let fake = fake(20).await;
    let truth = fake.truth();
    let (who, boss) = (&truth.employees[5], &truth.employees[2]);
    fake.change_manager(&who.id, &boss.id, TODAY);

    let e = read(
        &fake,
        &who.id,
        &["root.id", "work.manager", "work.reportsTo"],
    )
    .await;
    assert_eq!(e["work"]["manager"], json!(boss.id));
    assert_eq!(e["work"]["reportsTo"]["id"], json!(boss.id));
    assert_eq!(e["work"]["reportsTo"]["email"], json!(boss.email));
    let work = rows(&fake, &who.id, "work").await;
    assert_eq!(current(&work)["reportsTo"]["id"], json!(boss.id));
    assert_eq!(current(&work)["workChangeType"], "Manager change");
    assert_eq!(
        fake.truth().employee(&who.id).unwrap().manager_id,
        Some(boss.id.clone())
    );
}

#[tokio::test]
async fn change_email_moves_lookups_to_the_new_address_and_updates_reports() {
    let fake = fake(30).await;
    let truth = fake.truth();
    let boss = truth.employees[0].clone();
    let report = truth
        .employees
        .iter()
        .find(|e| e.manager_id.as_deref() == Some(boss.id.as_str()))
        .expect("the CEO has reports")
        .clone();
    fake.change_email(&boss.id, "chief+new@example.com");

    let resp = post(&fake, "/people/chief%2Bnew%40example.com", json!({})).await;
    assert_eq!(
        (resp.status, resp.json()["id"].clone()),
        (200, json!(boss.id))
    );
    let old = boss.email.replace('+', "%2B").replace('@', "%40");
    assert_eq!(
        post(&fake, &format!("/people/{old}"), json!({}))
            .await
            .status,
        404
    );
    let e = read(&fake, &report.id, &["root.id", "work.reportsTo"]).await;
    assert_eq!(e["work"]["reportsTo"]["email"], "chief+new@example.com");
    let work = rows(&fake, &report.id, "work").await;
    assert_eq!(
        current(&work)["reportsTo"]["email"],
        "chief+new@example.com"
    );
    assert_eq!(
        fake.truth()
            .employee(&report.id)
            .unwrap()
            .manager_email
            .as_deref(),
        Some("chief+new@example.com")
    );
}

#[tokio::test]
#[should_panic(expected = "another employee has e-mail")]
async fn change_email_refuses_an_address_someone_has() {
    let fake = fake(10).await;
    let truth = fake.truth();
    fake.change_email(
        &truth.employees[1].id,
        &truth.employees[2].email.to_uppercase(),
    );
}

#[tokio::test]
async fn rename_list_item_relabels_lists_and_human_reads_but_keeps_ids() {
    let fake = fake(40).await;
    let truth = fake.truth();
    let member = truth
        .employees
        .iter()
        .find(|e| e.is_active() && e.department.is_some() && e.site_id.is_some())
        .unwrap();
    let dept = member.department.clone().unwrap();
    fake.rename_list_item("department", &dept.id, "Renamed dept");
    let site = member.site_id.unwrap().to_string();
    fake.rename_list_item("site", &site, "Lisbon");

    let list = get(&fake, "/company/named-lists/department").await.json();
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == json!(dept.id))
        .unwrap();
    assert_eq!(
        (&item["name"], &item["value"]),
        (&json!("Renamed dept"), &json!("Renamed dept"))
    );
    let body = json!({"fields": ["root.id", "work.department", "work.site"], "humanReadable": "APPEND", "showInactive": true,
        "filters": [{"fieldPath": "root.id", "operator": "equals", "values": [member.id]}]});
    let e = employees(&post(&fake, "/people/search", body).await).remove(0);
    assert_eq!(e["work"]["department"], json!(dept.id));
    assert_eq!(e["humanReadable"]["work"]["department"], "Renamed dept");
    assert_eq!(e["work"]["site"], "Lisbon");
    let work = rows(&fake, &member.id, "work").await;
    assert_eq!(current(&work)["site"], "Lisbon");
    assert_eq!(
        fake.truth().label("department", &dept.id),
        Some("Renamed dept")
    );
}

#[tokio::test]
async fn add_list_item_nests_children_and_the_item_is_usable() {
    let fake = fake(20).await;
    let truth = fake.truth();
    let engineering = truth.lists["department"].items[1].id.clone();
    let platform = fake.add_list_item("department", "Platform", Some(&engineering));
    let top = fake.add_list_item("department", "Legal", None);
    assert_ne!(platform, top);
    assert!(
        truth.lists["department"]
            .items
            .iter()
            .all(|i| i.id != platform && i.id != top)
    );

    let list = get(&fake, "/company/named-lists/department").await.json();
    let items = list["items"].as_array().unwrap();
    let parent = items
        .iter()
        .find(|i| i["id"] == json!(engineering))
        .unwrap();
    assert_eq!(parent["children"][0]["id"], json!(platform));
    assert_eq!(parent["children"][0]["name"], "Platform");
    assert!(
        items.iter().all(|i| i["id"] != json!(platform)),
        "a child is not top-level"
    );
    assert!(items.iter().any(|i| i["id"] == json!(top)));

    let who = truth.employees[3].id.clone();
    fake.move_department(&who, &platform, TODAY);
    let e = read(&fake, &who, &["root.id", "work.department"]).await;
    assert_eq!(e["work"]["department"], json!(platform));
}

#[tokio::test]
async fn remove_from_audience_hides_an_employee_who_still_exists() {
    let fake = fake(20).await;
    let hidden = fake.truth().employees[3].id.clone();
    fake.remove_from_audience(&hidden);

    let all = employees(&post(&fake, "/people/search", json!({"showInactive": true})).await);
    assert!(all.iter().all(|e| e["id"] != json!(hidden)));
    assert_eq!(all.len(), 19);
    let single = post(&fake, &format!("/people/{hidden}"), json!({})).await;
    assert_eq!(
        (single.status, single.json()["key"].clone()),
        (404, json!("employee.not.found"))
    );
    assert_eq!(
        get(&fake, &format!("/people/{hidden}/work")).await.status,
        403
    );
    assert!(fake.truth().employee(&hidden).is_some());
}

#[tokio::test]
async fn remove_employee_deletes_them_from_every_read() {
    let fake = fake(20).await;
    let gone = fake.truth().employees[3].id.clone();
    fake.remove_employee(&gone);

    let all = employees(&post(&fake, "/people/search", json!({"showInactive": true})).await);
    assert!(all.iter().all(|e| e["id"] != json!(gone)));
    assert_eq!(
        post(&fake, &format!("/people/{gone}"), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        get(&fake, &format!("/people/{gone}/work")).await.status,
        404
    );
    let bulk = get(&fake, "/bulk/people/work?limit=200").await.json();
    let results = bulk["results"].as_array().expect("results");
    assert_eq!(results.len(), 19, "one result per remaining employee");
    assert!(results.iter().all(|r| r["employeeId"] != json!(gone)));
    assert!(fake.truth().employee(&gone).is_none());
}

#[tokio::test]
async fn a_rehire_the_day_after_a_termination_today_keeps_the_termination_row() {
    let fake = fake(10).await;
    let who = fake.truth().employees[4].id.clone();
    fake.terminate(&who, TODAY);
    fake.rehire(&who, TODAY + TimeDelta::days(1));

    let lifecycle = rows(&fake, &who, "lifecycle").await;
    let today_row = lifecycle
        .iter()
        .find(|r| r["effectiveDate"] == json!(TODAY.to_string()))
        .expect("the termination row");
    assert_eq!(today_row["status"], "terminated");
    assert_eq!(lifecycle.last().unwrap()["status"], "employed");
    let e = read(&fake, &who, LIFECYCLE).await;
    assert_eq!(
        (&e["internal"]["lifecycleStatus"], &e["internal"]["status"]),
        (&json!("hired"), &json!("Inactive"))
    );
}
