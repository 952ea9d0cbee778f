//! Tests of employee tables, bulk pagination, the generated company and mutations.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::tests::{TODAY, fake, get, post};
use super::*;

/// Follows cursors to the end; returns every page body.
async fn all_pages(fake: &FakeHibob, table: &str, query: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/bulk/people/{table}?{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let resp = get(fake, &path).await;
        assert_eq!(resp.status, 200, "{}", resp.text);
        let page = resp.json();
        cursor = page["response_metadata"]["next_cursor"]
            .as_str()
            .map(str::to_owned);
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 10_000, "cursor loop");
    }
}

#[tokio::test]
async fn bulk_pages_serve_every_row_exactly_once_with_limit_counting_entries() {
    let fake = fake(90).await;
    let truth = fake.truth();
    for table in Table::ALL {
        let pages = all_pages(&fake, table.as_str(), "limit=7").await;
        let mut got: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut split = 0;
        let mut last_ids: Vec<String> = Vec::new();
        for (n, page) in pages.iter().enumerate() {
            let results = page["results"].as_array().unwrap();
            let rows: usize = results
                .iter()
                .map(|r| r["values"].as_array().unwrap().len())
                .sum();
            if n + 1 < pages.len() {
                assert_eq!(rows, 7, "full pages hold `limit` entries");
            } else {
                assert!((1..=7).contains(&rows));
                assert_eq!(page["response_metadata"]["next_cursor"], Value::Null);
            }
            let first = results[0]["employeeId"].as_str().unwrap().to_owned();
            split += usize::from(last_ids.last() == Some(&first));
            last_ids = results
                .iter()
                .map(|r| r["employeeId"].as_str().unwrap().to_owned())
                .collect();
            for r in results {
                let id = r["employeeId"].as_str().unwrap().to_owned();
                got.entry(id)
                    .or_default()
                    .extend(r["values"].as_array().unwrap().iter().cloned());
            }
            assert_eq!(page["errors"], json!([]));
        }
        assert!(
            split > 0,
            "{table:?}: some employee continues on the next page"
        );
        assert_eq!(got.len(), truth.employees.len());
        for e in &truth.employees {
            assert_eq!(got[&e.id], e.history(table), "{table:?} {}", e.id);
        }
    }
}

#[tokio::test]
async fn bulk_validates_parameters_and_cursors() {
    let fake = fake(70).await;
    let first = get(&fake, "/bulk/people/lifecycle").await.json();
    let rows: usize = first["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["values"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, 50, "default limit is 50");
    let cursor = first["response_metadata"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = get(&fake, "/bulk/people/lifecycle").await.json();
    assert_eq!(
        again["response_metadata"]["next_cursor"],
        json!(cursor),
        "stable cursors"
    );
    let ok = get(&fake, &format!("/bulk/people/lifecycle?cursor={cursor}")).await;
    assert_eq!(ok.status, 200);

    let ids: Vec<String> = (0..201)
        .map(|i| format!("{}", 3_000_000_000_000_000_000u64 + i))
        .collect();
    for bad in [
        "limit=201".to_string(),
        "limit=0".to_string(),
        "limit=ten".to_string(),
        "cursor=bogus".to_string(),
        format!("cursor={cursor}&limit=10"),
        format!("employeeIds={}", ids.join(",")),
    ] {
        let resp = get(&fake, &format!("/bulk/people/lifecycle?{bad}")).await;
        assert_eq!(resp.status, 400, "{bad}");
        assert!(resp.json()["error"].is_string());
    }
    assert_eq!(
        get(&fake, "/bulk/people/lifecycle?limit=200").await.status,
        200
    );
}

#[tokio::test]
async fn bulk_errors_list_employees_outside_the_audience() {
    let base = fake(40).await.truth();
    let hidden = base.employees[5].id.clone();
    let fake = FakeHibob::builder()
        .employees(40)
        .seed(42)
        .today(TODAY)
        .audience_exclude([hidden.clone()])
        .start()
        .await;
    let visible = base.employees[6].id.clone();
    let unknown = "1111111111111111111";
    let query = format!("limit=200&employeeIds={hidden},{visible},{unknown}");
    let page = get(&fake, &format!("/bulk/people/work?{query}"))
        .await
        .json();
    let results = page["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["employeeId"], json!(visible));
    let errors = page["errors"].as_array().unwrap();
    let ids: Vec<&str> = errors
        .iter()
        .map(|e| e["employeeId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![hidden.as_str(), unknown]);
    assert!(
        errors
            .iter()
            .all(|e| e["error"] == "MISSING_PERMISSION" && e["message"].is_string())
    );
    // Without employeeIds the hidden employee is simply absent.
    let pages = all_pages(&fake, "work", "limit=200").await;
    let all: BTreeSet<&str> = pages
        .iter()
        .flat_map(|p| p["results"].as_array().unwrap().iter())
        .map(|r| r["employeeId"].as_str().unwrap())
        .collect();
    assert_eq!(all.len(), 39);
    assert!(!all.contains(hidden.as_str()));
    assert_eq!(
        get(&fake, &format!("/people/{hidden}/work")).await.status,
        403
    );
    let search = post(&fake, "/people/search", json!({"showInactive": true}))
        .await
        .json();
    assert_eq!(search["employees"].as_array().unwrap().len(), 39);
}

#[tokio::test]
async fn per_employee_tables_match_truth_or_current_row_only() {
    let fake = FakeHibob::builder()
        .employees(30)
        .seed(42)
        .today(TODAY)
        .history_current_only(Table::Salaries)
        .start()
        .await;
    let truth = fake.truth();
    for e in truth.employees.iter().take(12) {
        for table in [Table::Lifecycle, Table::Employment, Table::Work] {
            let resp = get(&fake, &format!("/people/{}/{}", e.id, table.as_str())).await;
            assert_eq!(resp.json()["values"].as_array().unwrap(), e.history(table));
        }
        let salaries = get(&fake, &format!("/people/{}/salaries", e.id))
            .await
            .json();
        assert_eq!(
            salaries["values"],
            json!([e.current_row(Table::Salaries).unwrap()])
        );
    }
    let page = get(&fake, "/bulk/people/salaries?limit=200").await.json();
    for r in page["results"].as_array().unwrap() {
        let values = r["values"].as_array().unwrap();
        assert_eq!(values.len(), 1);
        assert_eq!(values[0]["isCurrent"], true);
    }
    assert_eq!(
        get(&fake, "/people/1111111111111111111/work").await.status,
        404
    );
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn generated_company_has_the_awkward_cases_and_consistent_history() {
    let fake = FakeHibob::builder()
        .employees(1000)
        .seed(5)
        .today(TODAY)
        .start()
        .await;
    let c = fake.truth();
    let n = c.employees.len() as f64;
    let count = |f: &dyn Fn(&TruthEmployee) -> bool| c.employees.iter().filter(|e| f(e)).count();
    let terminated = count(&|e| e.lifecycle_status == "terminated") as f64 / n;
    assert!((0.05..0.12).contains(&terminated), "{terminated}");
    assert!(
        count(&|e| e.lifecycle_status == "hired" && e.start_date > TODAY && !e.is_active()) > 0
    );
    assert!(count(&|e| e.lifecycle_status == "leave" && e.is_active()) > 0);
    assert!(count(&|e| e.title.is_none()) > 0 && count(&|e| e.department.is_none()) > 0);
    assert!(
        count(&|e| e.manager_id.is_none()) > 1
            && count(&|e| e.employee_id_in_company.is_none()) > 0
    );
    assert!(count(&|e| e.email.contains('+')) > 0);
    assert!(count(&|e| !e.display_name.is_ascii()) > 0);
    assert!(
        count(&|e| e.surname.contains(',') && e.surname.contains('"') && e.surname.contains('\n'))
            == 1
    );
    assert!(count(&|e| e.department.as_ref().is_some_and(|d| d.archived)) > 0);
    let rehires = count(&|e| {
        let s: Vec<&str> = e
            .lifecycle_history
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        s.windows(3)
            .any(|w| w == ["employed", "terminated", "employed"])
    });
    assert!(rehires > 0);

    let mut seen = BTreeSet::new();
    for (i, e) in c.employees.iter().enumerate() {
        assert_eq!(e.id.len(), 19, "{}", e.id);
        assert!(seen.insert(e.id.clone()), "unique IDs");
        if let Some(m) = &e.manager_id {
            let pos = c.employees.iter().position(|x| &x.id == m).unwrap();
            assert!(pos < i, "managers come earlier");
        }
        assert_eq!(
            e.is_active(),
            matches!(e.lifecycle_status.as_str(), "employed" | "leave")
        );
        for table in Table::ALL {
            let rows = e.history(table);
            assert!(!rows.is_empty());
            assert!(
                rows.windows(2)
                    .all(|w| date(&w[0]["effectiveDate"]) < date(&w[1]["effectiveDate"]))
            );
            assert_eq!(rows.iter().filter(|r| r["isCurrent"] == true).count(), 1);
        }
        let lc = e.current_row(Table::Lifecycle).unwrap();
        assert_eq!(lc["status"], json!(e.lifecycle_status), "{}", e.id);
        assert_eq!(lc["employeeStatus"], json!(e.internal_status));
        let work = e.current_row(Table::Work).unwrap();
        assert_eq!(work["title"], json!(e.title.as_ref().map(|t| &t.id)));
        assert_eq!(
            work["department"],
            json!(e.department.as_ref().map(|t| &t.id))
        );
        assert_eq!(
            (&work["site"], &work["siteId"]),
            (&json!(e.site), &json!(e.site_id))
        );
        assert_eq!(work["reportsTo"]["id"], json!(e.manager_id));
        if let Some(t) = e.termination_date {
            assert!(t > e.start_date && t <= TODAY);
        }
    }
    let rows: usize = c
        .employees
        .iter()
        .map(|e| {
            Table::ALL
                .iter()
                .map(|t| e.history(*t).len())
                .sum::<usize>()
        })
        .sum();
    let avg = rows as f64 / n / 4.0;
    assert!((1.6..2.6).contains(&avg), "average rows per table {avg}");
}

#[tokio::test]
async fn mutations_show_up_in_later_reads() {
    let fake = fake(30).await;
    let truth = fake.truth();
    let mover = truth.employees[1].id.clone();
    let new_dept = truth.lists["department"].items[5].id.clone();
    fake.move_department(&mover, &new_dept, TODAY);
    fake.terminate(&truth.employees[2].id, TODAY - chrono::TimeDelta::days(1));
    let mut hire = NewHire::new(
        "Zoë",
        "Ørsted",
        "zoe+new@example.com",
        TODAY + chrono::TimeDelta::days(20),
    );
    hire.manager_id = Some(truth.employees[0].id.clone());
    let new_id = fake.hire(hire);

    let body = json!({"fields": ["root.id", "work.department", "internal.lifecycleStatus"], "showInactive": true});
    let got = post(&fake, "/people/search", body).await.json();
    let by_id = |id: &str| {
        got["employees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(&mover)["work"]["department"], json!(new_dept));
    assert_eq!(
        by_id(&truth.employees[2].id)["internal"]["lifecycleStatus"],
        "terminated"
    );
    assert_eq!(by_id(&new_id)["internal"]["lifecycleStatus"], "hired");
    let work = get(&fake, &format!("/people/{mover}/work")).await.json();
    let last = work["values"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["department"].clone(), last["isCurrent"].clone()),
        (json!(new_dept), json!(true))
    );
    let active = post(&fake, "/people/search", json!({})).await.json();
    assert!(
        active["employees"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != json!(new_id))
    );
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(fake.truth().employees.len(), 31);
}

#[tokio::test]
async fn a_second_change_on_the_same_date_replaces_the_row() {
    let fake = fake(20).await;
    let id = fake.truth().employees[1].id.clone();
    let depts = fake.truth().lists["department"].items.clone();
    let before = fake.truth().employee(&id).unwrap().work_history.len();
    fake.move_department(&id, &depts[1].id, TODAY);
    fake.move_department(&id, &depts[2].id, TODAY);
    let e = fake.truth().employee(&id).unwrap().clone();
    assert!(e.work_history.len() <= before + 1);
    assert_eq!(e.department.as_ref().unwrap().id, depts[2].id);
    assert_eq!(
        e.current_row(Table::Work).unwrap()["department"],
        json!(depts[2].id)
    );
}

/// The eight tables beyond history: (segment, bulk read).
const OTHER_TABLES: [(&str, bool); 8] = [
    ("variable", true),
    ("equities", true),
    ("training", false),
    ("bank-accounts", false),
    ("deduction", true),
    ("entitlement", true),
    ("dependents", true),
    ("right-to-work", true),
];

#[tokio::test]
async fn the_other_tables_are_generated_in_their_shares_from_their_own_sequence() {
    let fake = fake(600).await;
    let truth = fake.truth();
    let share = |segment: &str| {
        let with = truth
            .employees
            .iter()
            .filter(|e| e.other_tables.get(segment).is_some_and(|r| !r.is_empty()))
            .count();
        with as f64 / truth.employees.len() as f64
    };
    for (segment, low, high) in [
        ("variable", 0.5, 0.7),
        ("equities", 0.22, 0.38),
        ("training", 0.6, 0.85),
        ("bank-accounts", 1.0, 1.0),
        ("deduction", 0.27, 0.43),
        ("entitlement", 0.18, 0.32),
        ("dependents", 0.32, 0.48),
        ("right-to-work", 0.18, 0.32),
    ] {
        let got = share(segment);
        assert!((low..=high).contains(&got), "{segment}: {got}");
    }
    for e in &truth.employees {
        for (segment, rows) in &e.other_tables {
            let ids: BTreeSet<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
            assert_eq!(ids.len(), rows.len(), "{segment}: IDs unique");
            for row in rows {
                if let Some(date) = row["effectiveDate"].as_str() {
                    let date: NaiveDate = date.parse().unwrap();
                    assert!(date >= e.start_date, "{segment} {date}");
                }
                for money in ["amount", "cost", "exercisePrice"] {
                    if row[money].is_object() {
                        let salary = &e.salary_history.last().unwrap()["base"]["currency"];
                        assert_eq!(&row[money]["currency"], salary, "{segment}");
                    }
                }
            }
        }
    }
    // Deterministic.
    let again = fake_seeded(600, 42).await.truth();
    assert_eq!(again, truth);
    let custom = |t: &Company| {
        t.employees
            .iter()
            .flat_map(|e| e.other_tables.get("variable").into_iter().flatten())
            .filter(|r| !r["customColumns"].as_object().unwrap().is_empty())
            .count()
    };
    assert!(
        custom(&truth) > 50,
        "variable pay carries its custom column"
    );
}

async fn fake_seeded(n: usize, seed: u64) -> FakeHibob {
    FakeHibob::builder()
        .employees(n)
        .seed(seed)
        .today(TODAY)
        .start()
        .await
}

#[tokio::test]
async fn the_other_tables_page_by_rows_and_serve_each_row_once() {
    let fake = fake(90).await;
    let truth = fake.truth();
    for (segment, bulk) in OTHER_TABLES {
        let id = &truth.employees[3].id;
        let one = get(&fake, &format!("/people/{id}/{segment}")).await;
        if !bulk {
            assert_eq!(one.status, 200, "{segment}");
            let want = truth.employees[3].other_tables.get(segment).cloned();
            assert_eq!(one.json()["values"], json!(want.unwrap_or_default()));
            assert_eq!(
                get(&fake, &format!("/bulk/people/{segment}")).await.status,
                404
            );
            continue;
        }
        let per_employee = ["variable", "equities"].contains(&segment);
        assert_eq!(
            one.status,
            if per_employee { 200 } else { 404 },
            "{segment}"
        );
        let pages = all_pages(&fake, segment, "limit=3").await;
        let mut got: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (n, page) in pages.iter().enumerate() {
            let results = page["results"].as_array().unwrap();
            let rows: usize = (results.iter())
                .map(|r| r["values"].as_array().unwrap().len())
                .sum();
            assert!(
                results
                    .iter()
                    .all(|r| !r["values"].as_array().unwrap().is_empty())
            );
            if n + 1 < pages.len() {
                assert_eq!(rows, 3, "{segment}: full pages hold `limit` rows");
            } else {
                assert!((1..=3).contains(&rows), "{segment}");
            }
            for r in results {
                let id = r["employeeId"].as_str().unwrap().to_owned();
                let values = r["values"].as_array().unwrap();
                got.entry(id).or_default().extend(values.iter().cloned());
            }
        }
        for e in &truth.employees {
            let want = e.other_tables.get(segment).cloned().unwrap_or_default();
            assert_eq!(got.remove(&e.id).unwrap_or_default(), want, "{segment}");
        }
        assert!(got.is_empty());
    }
}

#[tokio::test]
async fn the_other_tables_follow_their_categories_and_the_audience() {
    let base = fake(20).await.truth();
    let hidden = base.employees[5].id.clone();
    let fake = FakeHibob::builder()
        .employees(20)
        .seed(42)
        .today(TODAY)
        .audience_exclude([hidden.clone()])
        .deny_category("financial")
        .start()
        .await;
    let visible = &base.employees[6].id;
    assert_eq!(
        get(&fake, &format!("/people/{visible}/bank-accounts"))
            .await
            .status,
        403
    );
    assert_eq!(
        get(&fake, &format!("/people/{visible}/training"))
            .await
            .status,
        200
    );
    assert_eq!(
        get(&fake, &format!("/people/{hidden}/training"))
            .await
            .status,
        403
    );
    let unknown = "/people/1111111111111111111/training";
    assert_eq!(get(&fake, unknown).await.status, 404);
    let page = get(
        &fake,
        &format!("/bulk/people/dependents?employeeIds={hidden},{visible}"),
    )
    .await
    .json();
    assert_eq!(page["errors"][0]["employeeId"], json!(hidden));
    let metadata = get(&fake, "/company/people/employee-tables/metadata/training").await;
    assert_eq!(metadata.json()["id"], "training");
    let missing = get(&fake, "/company/people/employee-tables/metadata/Training").await;
    assert_eq!(missing.status, 404);
}
