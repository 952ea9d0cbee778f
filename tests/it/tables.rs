//! History tables: per employee, bulk pagination, regrouping and permissions.

use std::collections::HashMap;
use std::sync::Mutex;

use futures::TryStreamExt;
use hibob::Error;
use hibob::people::LifecycleStatus;
use hibob::tables::BulkItem;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::support;

fn row(id: i64, date: &str, status: &str) -> Value {
    json!({
        "id": id, "effectiveDate": date, "endEffectiveDate": null, "isCurrent": false,
        "status": status, "employeeStatus": "Active", "reasonType": null,
        "change": {"reason": "Hired", "changedBy": "Jane Smith", "changedById": "3332883804594373380"},
        "customColumns": {"column_1666178477233": "x"}, "modificationDate": "2024-01-02",
        "someNewColumn": {"nested": [1, 2]}
    })
}

#[tokio::test]
async fn per_employee_lifecycle_is_typed_and_keeps_unknown_columns() {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/people/3332883884017713938/lifecycle"))
        .respond_with(support::json(json!({"values": [row(1, "2020-01-01", "employed"), row(2, "2023-05-01", "terminated")]})))
        .expect(1)
        .mount(&server)
        .await;
    let table = support::client(&server)
        .tables()
        .lifecycle("3332883884017713938")
        .await
        .unwrap();
    assert_eq!(table.rows.len(), 2);
    let last = &table.rows[1];
    assert_eq!(last.status, Some(LifecycleStatus::Terminated));
    assert_eq!(last.common.id, 2);
    assert_eq!(
        last.common
            .change
            .as_ref()
            .unwrap()
            .changed_by_id
            .as_deref(),
        Some("3332883804594373380")
    );
    assert_eq!(
        last.common.custom_columns["column_1666178477233"],
        json!("x")
    );
    assert_eq!(last.extra["someNewColumn"], json!({"nested": [1, 2]}));
    assert!(table.restricted_columns.is_none());
}

#[tokio::test]
async fn restricted_columns_are_surfaced() {
    let server = support::server().await;
    let body = json!({
        "values": [{"id": 1, "effectiveDate": "2020-01-01", "fte": null}],
        "restricted_columns": {"no_view_permission": ["fte"], "no_view_history_permission": ["department"]}
    });
    Mock::given(path("/v1/people/9/employment"))
        .respond_with(support::json(body).insert_header("x-has-restricted-columns", "true"))
        .mount(&server)
        .await;
    let table = support::client(&server)
        .tables()
        .employment("9")
        .await
        .unwrap();
    let restricted = table.restricted_columns.unwrap();
    assert_eq!(restricted.no_view_permission, ["fte"]);
    assert_eq!(restricted.no_view_history_permission, ["department"]);
}

/// A bulk lifecycle table served by cursor: `limit` counts rows, so an
/// employee's rows can continue on the next page.
struct CursorTable {
    rows: Vec<(String, Value)>,
    errors: Value,
    /// Whether `errors` comes back on every page, as HiBob does when the
    /// follow-up pages resend the same `employeeIds`; else on the first only.
    errors_on_every_page: bool,
    cursors_seen: Mutex<Vec<Option<String>>>,
}

impl Respond for CursorTable {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let limit: usize = query["limit"].parse().unwrap();
        let cursor = query.get("cursor").cloned();
        self.cursors_seen.lock().unwrap().push(cursor.clone());
        let start: usize = cursor.map_or(0, |c| c.trim_start_matches("c/").parse().unwrap());
        let end = (start + limit).min(self.rows.len());
        let mut results: Vec<Value> = Vec::new();
        for (employee, entry) in &self.rows[start..end] {
            match results.last_mut() {
                Some(last) if last["employeeId"] == json!(employee) => {
                    last["values"].as_array_mut().unwrap().push(entry.clone())
                }
                _ => results.push(json!({"employeeId": employee, "values": [entry]})),
            }
        }
        let next = (end < self.rows.len()).then(|| format!("c/{end}"));
        let errors = if start == 0 || self.errors_on_every_page {
            self.errors.clone()
        } else {
            json!([])
        };
        support::json(
            json!({"results": results, "response_metadata": {"next_cursor": next}, "errors": errors}),
        )
    }
}

#[tokio::test]
async fn bulk_stream_regroups_rows_split_across_pages() {
    let server = support::server().await;
    // 7 employees with 1..=3 rows: 14 rows; with limit 4, employee boundaries fall mid-page.
    let mut rows = Vec::new();
    for e in 0..7 {
        for r in 0..(e % 3 + 1) {
            let date = format!("202{r}-01-01");
            rows.push((
                format!("emp{e}"),
                row(i64::from(e * 10 + r), &date, "employed"),
            ));
        }
    }
    let total = rows.len();
    let table = CursorTable {
        rows,
        errors: json!([{"employeeId": "outsider", "error": "MISSING_PERMISSION", "message": "no access"}]),
        errors_on_every_page: false,
        cursors_seen: Mutex::new(Vec::new()),
    };
    Mock::given(path("/v1/bulk/people/lifecycle"))
        .and(query_param("limit", "4"))
        .respond_with(table)
        .mount(&server)
        .await;
    let items: Vec<_> = support::client(&server)
        .tables()
        .bulk_lifecycle()
        .limit(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), total.div_ceil(4));
    let cursors: Vec<Option<String>> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "cursor")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(
        cursors,
        [
            None,
            Some("c/4".into()),
            Some("c/8".into()),
            Some("c/12".into())
        ]
    );
    let mut employees = Vec::new();
    let mut inaccessible = Vec::new();
    for item in items {
        match item {
            BulkItem::Employee(history) => employees.push(history),
            BulkItem::Inaccessible(error) => inaccessible.push(error),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(employees.len(), 7, "each employee once");
    for (e, history) in employees.iter().enumerate() {
        assert_eq!(history.employee_id.as_str(), format!("emp{e}"));
        let ids: Vec<_> = history.rows.iter().map(|r| r.common.id).collect();
        let expected: Vec<i64> = (0..(e as i64 % 3 + 1)).map(|r| e as i64 * 10 + r).collect();
        assert_eq!(ids, expected, "all rows, in order");
    }
    assert_eq!(inaccessible.len(), 1);
    assert_eq!(inaccessible[0].code.as_deref(), Some("MISSING_PERMISSION"));
}

#[tokio::test]
async fn follow_up_pages_keep_the_same_parameters_and_ids_are_chunked() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/work"))
        .and(query_param_is_missing("cursor"))
        .respond_with(support::json(
            json!({"results": [], "response_metadata": {"next_cursor": "a b/c"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v1/bulk/people/work"))
        .and(query_param("cursor", "a b/c"))
        .respond_with(support::json(
            json!({"results": [], "response_metadata": {"next_cursor": null}}),
        ))
        .mount(&server)
        .await;
    let ids: Vec<String> = (0..450).map(|i| format!("{}", 1000 + i)).collect();
    let pages: Vec<_> = support::client(&server)
        .tables()
        .bulk_work()
        .employees(ids.clone())
        .include_archived(true)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 6, "3 chunks x 2 pages");
    let requests = server.received_requests().await.unwrap();
    let chunk_sizes: Vec<usize> = requests
        .iter()
        .map(|r| {
            let q: HashMap<String, String> = r.url.query_pairs().into_owned().collect();
            assert_eq!(q["limit"], "200");
            assert_eq!(q["includeArchived"], "true");
            q["employeeIds"].split(',').count()
        })
        .collect();
    assert_eq!(chunk_sizes, [200, 200, 200, 200, 50, 50]);
}

#[tokio::test]
async fn limit_over_200_fails_without_a_request() {
    let server = support::server().await;
    let err = support::client(&server)
        .tables()
        .bulk_employment()
        .limit(201)
        .pages()
        .try_next()
        .await
        .unwrap_err();
    support::assert_refused_before_sending(&err, &server).await;
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_not_an_endless_loop() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/lifecycle"))
        .respond_with(support::json(
            json!({"results": [], "response_metadata": {"next_cursor": "same"}}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = support::client(&server)
        .tables()
        .bulk_lifecycle()
        .pages()
        .try_collect()
        .await;
    assert!(
        matches!(result, Err(Error::Pagination { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_403_on_a_bulk_table_names_the_permission() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/employment"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;
    let err = support::client(&server)
        .tables()
        .bulk_employment()
        .stream()
        .try_next()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "People's Data > Employment > View selected employees' Employment section histories"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn empty_or_comma_employee_ids_fail_without_a_request() {
    let server = support::server().await;
    let client = support::client(&server);
    let cases: [(&[&str], &str); 3] = [
        (&["1", ""], "employee ID #2 of the bulk read is empty"),
        (&["  "], "employee ID #1 of the bulk read is empty"),
        (
            &["1", "2", "3,4"],
            "employee ID #3 of the bulk read contains a comma",
        ),
    ];
    for (ids, message) in cases {
        let err = client
            .tables()
            .bulk_work()
            .employees(ids.iter().copied())
            .pages()
            .try_next()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{ids:?}: {err:?}"
        );
        assert!(err.to_string().contains(message), "{err}");
        assert!(!err.to_string().contains("3,4"), "the ID stays out: {err}");
    }
    let err = client
        .tables()
        .bulk_lifecycle()
        .employees(["1,2"])
        .stream()
        .try_next()
        .await
        .unwrap_err();
    support::assert_refused_before_sending(&err, &server).await;
}

#[tokio::test]
async fn errors_repeated_on_every_page_are_yielded_once() {
    let server = support::server().await;
    let rows: Vec<(String, Value)> = (0..5)
        .map(|i| (format!("emp{i}"), row(i, "2020-01-01", "employed")))
        .collect();
    // `errors` as one object keyed by employee ID (hibob-api.md §6.3),
    // repeated on each of the 3 pages of the chunk.
    let table = CursorTable {
        rows,
        errors: json!({
            "outsider": {"error": "MISSING_PERMISSION", "message": "no access"},
            "ghost": {"error": "NOT_FOUND"}
        }),
        errors_on_every_page: true,
        cursors_seen: Mutex::new(Vec::new()),
    };
    Mock::given(path("/v1/bulk/people/lifecycle"))
        .respond_with(table)
        .expect(3)
        .mount(&server)
        .await;
    let items: Vec<_> = support::client(&server)
        .tables()
        .bulk_lifecycle()
        .employees(["emp0", "emp1", "emp2", "emp3", "emp4", "outsider", "ghost"])
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut inaccessible: Vec<(String, Option<String>)> = Vec::new();
    let mut employees = 0;
    for item in items {
        match item {
            BulkItem::Employee(_) => employees += 1,
            BulkItem::Inaccessible(e) => {
                inaccessible.push((e.employee_id.unwrap().to_string(), e.code))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(employees, 5);
    inaccessible.sort();
    assert_eq!(
        inaccessible,
        [
            ("ghost".to_owned(), Some("NOT_FOUND".to_owned())),
            ("outsider".to_owned(), Some("MISSING_PERMISSION".to_owned()))
        ]
    );
}

#[tokio::test]
async fn a_page_with_null_results_is_an_empty_page() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/work"))
        .respond_with(support::json(json!({
            "results": null,
            "response_metadata": {"next_cursor": null},
            "errors": [{"employeeId": "7", "error": "MISSING_PERMISSION"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let items: Vec<_> = support::client(&server)
        .tables()
        .bulk_work()
        .employees(["7"])
        .stream()
        .try_collect()
        .await
        .unwrap();
    let [BulkItem::Inaccessible(error)] = &items[..] else {
        panic!("one inaccessible employee: {items:?}")
    };
    assert_eq!(error.employee_id.as_ref().unwrap().as_str(), "7");
}

#[tokio::test]
async fn the_stream_keeps_restricted_columns_with_each_employee() {
    let server = support::server().await;
    let page = |rows: Value, restricted: Option<Value>, next: Option<&str>| {
        let mut body = json!({"results": rows, "response_metadata": {"next_cursor": next}});
        if let Some(restricted) = restricted {
            body["restricted_columns"] = restricted;
        }
        support::json(body)
    };
    // Page 1: employee A (its first row) without restrictions; page 2: A's
    // second row and B, with `fte` restricted.
    Mock::given(path("/v1/bulk/people/employment"))
        .and(query_param_is_missing("cursor"))
        .respond_with(page(
            json!([{"employeeId": "A", "values": [{"id": 1, "effectiveDate": "2020-01-01"}]}]),
            None,
            Some("p2"),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v1/bulk/people/employment"))
        .and(query_param("cursor", "p2"))
        .respond_with(page(
            json!([
                {"employeeId": "A", "values": [{"id": 2, "effectiveDate": "2021-01-01", "fte": null}]},
                {"employeeId": "B", "values": [{"id": 3, "effectiveDate": "2022-01-01", "fte": null}]}
            ]),
            Some(json!({"no_view_permission": ["fte"]})),
            None,
        ))
        .mount(&server)
        .await;
    let items: Vec<_> = support::client(&server)
        .tables()
        .bulk_employment()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let histories: Vec<_> = items
        .into_iter()
        .map(|item| match item {
            BulkItem::Employee(history) => history,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(histories.len(), 2);
    for history in &histories {
        let restricted = history.restricted_columns.as_ref().expect("restricted");
        assert_eq!(
            restricted.no_view_permission,
            ["fte"],
            "{}",
            history.employee_id
        );
    }
    assert_eq!(histories[0].rows.len(), 2, "A's rows regrouped");
}
