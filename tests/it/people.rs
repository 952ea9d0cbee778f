//! People search, streaming, single reads and silent omission.

use std::collections::HashSet;

use futures::TryStreamExt;
use hibob::people::{HumanReadable, SearchStrategy};
use hibob::{Error, FieldId, field};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::support;

fn employee(id: &str, first: &str) -> Value {
    json!({
        "id": id,
        "firstName": first,
        "email": format!("{first}@example.com"),
        "work": {"department": "209192163", "startDate": "2022-10-10", "custom": {"field_1698036945383": "blue"}},
        "internal": {"status": "Active", "terminationDate": null},
        "/root/id": {"value": id},
        "/work/department": {"value": "209192163"},
        "/work/title": {"value": "210011942"},
    })
}

#[tokio::test]
async fn search_sends_exactly_the_documented_body() {
    let server = support::server().await;
    let expected = json!({
        "fields": ["root.id", "work.department", "work.custom.field_1698036945383"],
        "filters": [{"fieldPath": "root.email", "operator": "equals", "values": ["ada+hr@example.com"]}],
        "showInactive": true,
        "humanReadable": "APPEND",
    });
    Mock::given(method("POST"))
        .and(path("/v1/people/search"))
        .and(body_json(&expected))
        .respond_with(support::json(json!({"employees": []})))
        .expect(1)
        .mount(&server)
        .await;
    let result = support::client(&server)
        .people()
        .search()
        .fields([
            field::ID,
            field::DEPARTMENT,
            field::custom("work.custom.field_1698036945383"),
        ])
        .filter_emails(["ada+hr@example.com"])
        .show_inactive(true)
        .human_readable(HumanReadable::Append)
        .await
        .unwrap();
    assert!(result.employees.is_empty());
    assert!(
        result.missing_fields.is_empty(),
        "nobody came back: nothing can be judged missing"
    );
}

#[tokio::test]
async fn search_without_filter_never_sends_filters() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .and(body_json(json!({"showInactive": false})))
        .respond_with(support::json(json!({"employees": [employee("1", "ada")]})))
        .expect(1)
        .mount(&server)
        .await;
    let result = support::client(&server).people().search().await.unwrap();
    assert_eq!(result.employees.len(), 1);
}

#[tokio::test]
async fn slash_keys_merge_custom_fields_survive_and_omissions_are_reported() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(support::json(
            json!({"employees": [employee("3332883884017713938", "Zoë"), employee("2", "李")]}),
        ))
        .mount(&server)
        .await;
    let result = support::client(&server)
        .people()
        .search()
        .fields([
            field::ID,
            field::FIRST_NAME,
            field::TITLE,
            field::SITE,
            field::TERMINATION_DATE,
        ])
        .fields([FieldId::custom("work.custom.field_1698036945383")])
        .await
        .unwrap();
    let first = &result.employees[0];
    assert_eq!(first.id().unwrap().as_str(), "3332883884017713938");
    assert_eq!(first.first_name(), Some("Zoë"));
    assert_eq!(
        first.title(),
        Some("210011942"),
        "slash-only value merged into nested form"
    );
    assert_eq!(first.department(), Some("209192163"));
    assert_eq!(
        first.field("work.custom.field_1698036945383").as_deref(),
        Some(&json!("blue"))
    );
    assert_eq!(first.start_date().unwrap().to_string(), "2022-10-10");
    assert_eq!(result.employees[1].first_name(), Some("李"));
    // work.site came back for nobody: withheld (or unknown), not empty.
    // internal.terminationDate came back as null: present, so not missing.
    assert_eq!(result.missing_fields, vec![field::SITE]);
}

#[tokio::test]
async fn too_many_fields_or_an_empty_filter_fail_before_sending() {
    let server = support::server().await;
    let client = support::client(&server);
    let fields = (0..401).map(|i| FieldId::custom(format!("work.custom.field_{i}")));
    let err = client.people().search().fields(fields).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let err = client
        .people()
        .search()
        .filter_ids(Vec::<String>::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no values"), "{err}");
    let err = client
        .people()
        .search()
        .filter_ids(["1"])
        .filter_emails(["a@example.com"])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
    assert_eq!(support::request_count(&server).await, 0);
}

#[tokio::test]
async fn get_by_email_encodes_plus_and_at_into_one_segment() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/people/ada%2Bhr%40example.com"))
        .and(body_json(
            json!({"fields": ["root.id"], "humanReadable": "REPLACE"}),
        ))
        .respond_with(support::json(employee("7", "ada")))
        .expect(1)
        .mount(&server)
        .await;
    let ada = support::client(&server)
        .people()
        .get("ada+hr@example.com")
        .fields([field::ID])
        .human_readable(HumanReadable::Replace)
        .await
        .unwrap();
    assert_eq!(ada.id().unwrap().as_str(), "7");
}

#[tokio::test]
async fn an_identifier_cannot_leave_its_route() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/people/..%2Fbulk"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let err = client.people().get("../bulk").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let err = client.people().get("..").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
    assert_eq!(support::request_count(&server).await, 1);
}

/// A people search over `n` employees that honours `fields == [root.id]` and
/// the `root.id` filter, dropping `vanished` from the batched step.
struct Company {
    n: usize,
    vanished: &'static str,
}

impl Respond for Company {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let ids: Vec<String> = match body["filters"][0]["values"].as_array() {
            Some(values) => values
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .filter(|id| id != self.vanished)
                .collect(),
            None => (0..self.n)
                .map(|i| format!("{}", 3_332_883_884_017_700_000u64 + i as u64))
                .collect(),
        };
        let ids_only = body["fields"] == json!(["root.id"]);
        let employees: Vec<Value> = ids
            .iter()
            .map(|id| {
                if ids_only {
                    json!({"id": id})
                } else {
                    employee(id, "x")
                }
            })
            .collect();
        support::json(json!({"employees": employees}))
    }
}

#[tokio::test]
async fn stream_batches_a_large_company_and_yields_each_employee_once() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(Company {
            n: 1000,
            vanished: "3332883884017700500",
        })
        .expect(6)
        .mount(&server)
        .await;
    let mut stream = support::client(&server)
        .people()
        .search()
        .fields([field::EMAIL, field::DEPARTMENT])
        .show_inactive(true)
        .strategy(SearchStrategy::Batched { size: 200 })
        .stream();
    let mut seen = HashSet::new();
    while let Some(employee) = stream.try_next().await.unwrap() {
        assert!(seen.insert(employee.id().unwrap().clone()), "yielded twice");
        assert!(employee.email().is_some());
    }
    assert_eq!(
        seen.len(),
        999,
        "the vanished employee is skipped, not an error"
    );
    let requests = server.received_requests().await.unwrap();
    let first: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(first, json!({"fields": ["root.id"], "showInactive": true}));
    for batch in &requests[1..] {
        let body: Value = serde_json::from_slice(&batch.body).unwrap();
        assert_eq!(body["filters"][0]["values"].as_array().unwrap().len(), 200);
        assert_eq!(body["showInactive"], json!(true));
        assert_eq!(
            body["fields"],
            json!(["root.email", "work.department", "root.id"])
        );
    }
}

#[tokio::test]
async fn human_readable_append_and_replace_against_the_fake() {
    let fake = support::fake(40, 3).await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let fields = [field::ID, field::DEPARTMENT, field::START_DATE];
    let append = client
        .people()
        .search()
        .fields(fields.clone())
        .human_readable(HumanReadable::Append)
        .await
        .unwrap();
    let replace = client
        .people()
        .search()
        .fields(fields)
        .human_readable(HumanReadable::Replace)
        .await
        .unwrap();
    assert_eq!(append.employees.len(), replace.employees.len());
    let mut checked = 0;
    for (machine, human) in append.employees.iter().zip(&replace.employees) {
        let expected = truth.employee(machine.id().unwrap().as_str()).unwrap();
        assert_eq!(machine.start_date(), Some(expected.start_date));
        if let Some(department) = &expected.department {
            assert_eq!(machine.department(), Some(department.id.as_str()));
            assert_eq!(
                machine.human_readable_field("work.department"),
                Some(department.label.as_str())
            );
            assert_eq!(human.department(), Some(department.label.as_str()));
            checked += 1;
        }
        // A display date ("10/10/2022") is never parsed as a date.
        assert_eq!(human.start_date(), None);
        assert!(human.field("work.startDate").is_some());
    }
    assert!(checked > 30, "{checked}");
}

#[tokio::test]
async fn former_employees_only_with_show_inactive_against_the_fake() {
    let fake = support::fake(100, 5).await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let active = client
        .people()
        .search()
        .fields([field::ID, field::STATUS])
        .await
        .unwrap();
    let everyone = client
        .people()
        .search()
        .fields([field::ID, field::STATUS])
        .show_inactive(true)
        .await
        .unwrap();
    assert_eq!(everyone.employees.len(), truth.employees.len());
    let expected_active = truth
        .employees
        .iter()
        .filter(|e| e.internal_status == "Active")
        .count();
    assert_eq!(active.employees.len(), expected_active);
    assert!(
        everyone
            .employees
            .iter()
            .any(|e| e.is_active() == Some(false))
    );
    // By e-mail, `+` included, a former employee is still readable.
    let leaver = truth
        .employees
        .iter()
        .find(|e| e.lifecycle_status == "terminated")
        .unwrap();
    let read = client
        .people()
        .get(&leaver.email)
        .fields([field::ID, field::TERMINATION_DATE])
        .await
        .unwrap();
    assert_eq!(read.id().unwrap().as_str(), leaver.id);
    assert_eq!(read.termination_date(), leaver.termination_date);
}

#[tokio::test]
async fn hostile_identifiers_are_refused_or_stay_one_segment() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = support::client(&server);
    for refused in ["", "   ", ".", ".."] {
        let err = client.people().get(refused).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{refused:?}: {err:?}"
        );
    }
    assert_eq!(support::request_count(&server).await, 0);
    let sent = [
        "a/b",
        "../../bulk/people/work",
        "%2e%2e",
        "x?y=1",
        "x#frag",
        "Zoë Ñ 李",
        "a b",
    ];
    for identifier in sent {
        let err = client.people().get(identifier).await.unwrap_err();
        assert!(
            matches!(err, Error::NotFound { .. }),
            "{identifier:?}: {err:?}"
        );
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), sent.len());
    for request in requests {
        let rest = request.url.path().strip_prefix("/v1/people/").unwrap();
        assert!(!rest.contains('/'), "{rest}");
        assert!(request.url.query().is_none() && request.url.fragment().is_none());
    }
}

#[tokio::test]
async fn empty_filter_values_fail_before_sending() {
    let server = support::server().await;
    let client = support::client(&server);
    let err = client
        .people()
        .search()
        .filter_ids(["3332883884017713938", ""])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("value #2 of the root.id filter is empty"),
        "{err}"
    );
    let err = client
        .people()
        .search()
        .filter_emails(["  "])
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("root.email filter is empty"),
        "{err}"
    );
    let err = client
        .people()
        .search()
        .filter_ids([""])
        .stream()
        .try_next()
        .await
        .unwrap_err();
    support::assert_refused_before_sending(&err, &server).await;
}

/// A people search that repeats the first employee and adds one nobody
/// asked for, plus one without an ID.
fn sloppy_answer(asked: &[&str]) -> ResponseTemplate {
    let mut employees: Vec<Value> = asked.iter().map(|id| employee(id, "x")).collect();
    employees.push(employee(asked[0], "again"));
    employees.push(employee("intruder", "y"));
    employees.push(json!({"firstName": "no id"}));
    support::json(json!({ "employees": employees }))
}

#[tokio::test]
async fn one_shot_search_drops_duplicates_and_employees_not_asked_for() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(sloppy_answer(&["1", "2"]))
        .expect(3)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let ids = |result: &hibob::people::SearchResult| -> Vec<Option<String>> {
        result
            .employees
            .iter()
            .map(|e| e.id().map(ToString::to_string))
            .collect()
    };
    // Under an ID filter: each requested ID once (the first occurrence), no
    // intruder; the employee without an ID cannot be judged and is kept.
    let result = client
        .people()
        .search()
        .filter_ids(["1", "2"])
        .await
        .unwrap();
    assert_eq!(ids(&result), [Some("1".into()), Some("2".into()), None]);
    assert_eq!(result.employees[0].first_name(), Some("x"));
    // Without an ID filter nothing can be called unrequested: duplicates go.
    let result = client.people().search().await.unwrap();
    assert_eq!(
        ids(&result),
        [
            Some("1".into()),
            Some("2".into()),
            Some("intruder".into()),
            None
        ]
    );
    let result = client
        .people()
        .search()
        .filter_emails(["1@example.com", "2@example.com"])
        .await
        .unwrap();
    assert_eq!(result.employees.len(), 4);
}

#[tokio::test]
async fn stream_counts_the_root_id_it_adds_before_sending_anything() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(support::json(json!({"employees": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let custom = |n: usize| (0..n).map(|i| FieldId::custom(format!("work.custom.field_{i}")));
    let err = client
        .people()
        .search()
        .fields(custom(400))
        .stream()
        .try_next()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(err.to_string().contains("plus root.id"), "{err}");
    assert_eq!(
        support::request_count(&server).await,
        0,
        "not even the ID search"
    );
    // 399 others plus root.id is exactly HiBob's cap: sent.
    let none: Vec<_> = client
        .people()
        .search()
        .fields(custom(399).chain([field::ID]))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn stream_without_fields_reads_the_default_set_in_batches() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(Company { n: 5, vanished: "" })
        .expect(1 + 3)
        .mount(&server)
        .await;
    let employees: Vec<_> = support::client(&server)
        .people()
        .search()
        .strategy(SearchStrategy::Batched { size: 2 })
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(employees.len(), 5);
    assert!(
        employees.iter().all(|e| e.email().is_some()),
        "not IDs only"
    );
    let requests = server.received_requests().await.unwrap();
    for batch in &requests[1..] {
        let body: Value = serde_json::from_slice(&batch.body).unwrap();
        assert!(body.get("fields").is_none(), "{body}");
    }
}
