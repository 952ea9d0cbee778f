//! Bulk table reads in every shape HiBob serves or draws: flat rows,
//! rows wrapped as HiBob's OpenAPI draws them (`[{"values": [rows]}]`), and
//! `errors` keyed by the literal `employeeId`. Also [`reshape`], a loopback
//! proxy that serves the embedded fake's bulk pages in another shape.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use hibob::access::FindingKind;
use hibob::tables::{BulkItem, EmployeeHistory, WorkEntry};
use hibob::testing::FakeHibob;
use hibob::{Client, Error};
use serde_json::{Value, json};
use wiremock::Mock;
use wiremock::matchers::{path, query_param, query_param_is_missing};

use crate::support;

/// Changes one bulk page body (`path` is e.g. `/v1/bulk/people/work`).
type Rewrite = dyn Fn(&str, Value) -> Value + Send + Sync;

struct Proxy {
    upstream: SocketAddr,
    http: reqwest::Client,
    rewrite: Box<Rewrite>,
    rewritten: AtomicUsize,
}

/// A proxy in front of a fake, on loopback; stops when dropped.
pub struct Reshaped {
    /// Base URL for a client, `/v1` included.
    pub uri: String,
    proxy: Arc<Proxy>,
    task: tokio::task::JoinHandle<()>,
}

impl Reshaped {
    /// Bulk pages the proxy has rewritten so far.
    pub fn rewritten(&self) -> usize {
        self.proxy.rewritten.load(Ordering::SeqCst)
    }
}

impl Drop for Reshaped {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `fake` unchanged except its successful bulk table pages, which
/// pass through `rewrite`.
pub async fn reshape(
    fake: &FakeHibob,
    rewrite: impl Fn(&str, Value) -> Value + Send + Sync + 'static,
) -> Reshaped {
    let proxy = Arc::new(Proxy {
        upstream: fake.address(),
        http: hibob::__private::http_client_builder()
            .expect("TLS setup")
            .no_proxy()
            .build()
            .expect("HTTP client"),
        rewrite: Box::new(rewrite),
        rewritten: AtomicUsize::new(0),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Reshaped {
        uri: format!("http://{address}/v1"),
        proxy,
        task,
    }
}

async fn forward(
    State(proxy): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = format!(
        "http://{}{}",
        proxy.upstream,
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut request = proxy.http.request(method, target).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    let answer = match request.send().await {
        Ok(answer) => answer,
        Err(e) => return (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let status = answer.status();
    let mut out_headers = HeaderMap::new();
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" && name != "connection" {
            out_headers.append(name, value.clone());
        }
    }
    let mut bytes = answer.bytes().await.unwrap_or_default().to_vec();
    if status == StatusCode::OK && uri.path().starts_with("/v1/bulk/people/") {
        if let Ok(page) = serde_json::from_slice::<Value>(&bytes) {
            bytes = serde_json::to_vec(&(proxy.rewrite)(uri.path(), page)).unwrap();
            proxy.rewritten.fetch_add(1, Ordering::SeqCst);
        }
    }
    (status, out_headers, bytes).into_response()
}

/// Wraps every `results[].values` as HiBob's OpenAPI draws it: even
/// employees' rows in one `{"values": [...]}`, odd employees' rows one
/// wrapper each.
pub fn wrap_rows(_path: &str, mut page: Value) -> Value {
    if let Some(results) = page["results"].as_array_mut() {
        for (i, employee) in results.iter_mut().enumerate() {
            let rows = employee["values"].take();
            employee["values"] = if i % 2 == 0 {
                json!([{ "values": rows }])
            } else {
                let each = rows.as_array().cloned().unwrap_or_default();
                Value::Array(each.into_iter().map(|r| json!({"values": [r]})).collect())
            };
        }
    }
    page
}

fn row(id: i64, date: &str, title: &str) -> Value {
    json!({"id": id, "effectiveDate": date, "title": title, "isCurrent": false})
}

/// Two pages of two employees, A's rows split over the page end; `shape`
/// turns each employee's row list into `values`.
async fn two_pages(shape: fn(Vec<Value>) -> Value) -> Vec<BulkItem<WorkEntry>> {
    let server = support::server().await;
    let errors = json!([{"employeeId": {"error": "MISSING_PERMISSION", "message": "You don't have permission to access data for employees with ids: 99"}}]);
    let page = |results: Value, next: Option<&str>| {
        support::json(json!({
            "results": results,
            "response_metadata": {"next_cursor": next},
            "errors": errors,
        }))
    };
    Mock::given(path("/v1/bulk/people/work"))
        .and(query_param_is_missing("cursor"))
        .respond_with(page(
            json!([{"employeeId": "A", "values": shape(vec![row(1, "2020-01-01", "t1")])}]),
            Some("p2"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/bulk/people/work"))
        .and(query_param("cursor", "p2"))
        .respond_with(page(
            json!([
                {"employeeId": "A", "values": shape(vec![row(2, "2021-01-01", "t2"), row(3, "2022-01-01", "t3")])},
                {"employeeId": "B", "values": shape(vec![row(4, "2023-01-01", "t4")])}
            ]),
            None,
        ))
        .expect(1)
        .mount(&server)
        .await;
    support::client(&server)
        .tables()
        .bulk_work()
        .employees(["A", "B", "99"])
        .stream()
        .try_collect()
        .await
        .unwrap()
}

fn histories(items: &[BulkItem<WorkEntry>]) -> Vec<&EmployeeHistory<WorkEntry>> {
    items
        .iter()
        .filter_map(|item| match item {
            BulkItem::Employee(history) => Some(history),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_bulk_stream_reads_the_same_histories_from_flat_and_wrapped_rows() {
    let flat = two_pages(Value::Array).await;
    let wrapped_once = two_pages(|rows| json!([{ "values": rows }])).await;
    let wrapped_each =
        two_pages(|rows| Value::Array(rows.into_iter().map(|r| json!({"values": [r]})).collect()))
            .await;

    let titles: Vec<(String, Vec<String>)> = histories(&flat)
        .iter()
        .map(|h| {
            let titles = h.rows.iter().map(|r| r.title.clone().unwrap()).collect();
            (h.employee_id.to_string(), titles)
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("A".to_owned(), vec!["t1".into(), "t2".into(), "t3".into()]),
            ("B".to_owned(), vec!["t4".into()]),
        ]
    );
    assert_eq!(wrapped_once, flat);
    assert_eq!(wrapped_each, flat);
    // The OpenAPI's `{"employeeId": {...}}` error is kept, once, naming nobody.
    let inaccessible: Vec<_> = flat
        .iter()
        .filter_map(|item| match item {
            BulkItem::Inaccessible(error) => Some(error),
            _ => None,
        })
        .collect();
    let [error] = &inaccessible[..] else {
        panic!("one error: {inaccessible:?}")
    };
    assert_eq!(error.employee_id, None);
    assert_eq!(error.code.as_deref(), Some("MISSING_PERMISSION"));
}

#[tokio::test]
async fn a_bulk_element_that_is_neither_shape_fails_with_its_path() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/work"))
        .respond_with(support::json(json!({
            "results": [
                {"employeeId": "A", "values": [row(1, "2020-01-01", "t1")]},
                {"employeeId": "B", "values": [{"rows": [row(2, "2021-01-01", "t2")]}]}
            ],
            "response_metadata": {"next_cursor": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let result: Result<Vec<_>, Error> = support::client(&server)
        .tables()
        .bulk_work()
        .stream()
        .try_collect()
        .await;
    let Err(Error::Decode { path, source, .. }) = result else {
        panic!("a decode error, not an empty row: {result:?}")
    };
    assert_eq!(path, "results[1].values[0]");
    assert!(
        source
            .message()
            .starts_with("an object with neither id nor effectiveDate is neither a table row"),
        "{}",
        source.message()
    );
}

/// The fake's bulk errors for excluded employees, re-keyed as HiBob's
/// OpenAPI draws them, plus one keyed by an employee nobody asked about.
fn openapi_errors(_path: &str, mut page: Value) -> Value {
    let count = page["errors"].as_array().map_or(0, Vec::len);
    let mut errors: Vec<Value> = (0..count)
        .map(|_| json!({"employeeId": {"error": "MISSING_PERMISSION", "message": "You don't have permission to access data for employees with ids: 1"}}))
        .collect();
    errors.push(json!({"1234567890": {"error": "MISSING_PERMISSION"}}));
    page["errors"] = Value::Array(errors);
    page
}

#[tokio::test]
async fn the_access_check_counts_only_sampled_employees_outside_the_audience() {
    // Two employees, both outside the audience, the search still seeing one.
    let truth = FakeHibob::builder()
        .employees(3)
        .seed(5)
        .start()
        .await
        .truth();
    let excluded: Vec<String> = truth.employees[..2].iter().map(|e| e.id.clone()).collect();
    let fake = FakeHibob::builder()
        .employees(3)
        .seed(5)
        .audience_exclude(excluded.clone())
        .start()
        .await;
    let proxy = reshape(&fake, openapi_errors).await;
    let client = Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(proxy.uri.clone())
        .build()
        .unwrap();
    let report = client
        .check_access()
        .employees(excluded.iter().map(String::as_str))
        .await
        .unwrap();
    assert!(
        proxy.rewritten() >= 1,
        "the bulk pages went through the proxy"
    );
    let outside = report
        .of_kind(FindingKind::OutsideAudience)
        .next()
        .expect("an audience finding");
    let mut listed: Vec<&str> = outside.employees.iter().map(|e| e.as_str()).collect();
    listed.sort_unstable();
    let mut want: Vec<&str> = excluded.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(listed, want, "neither `employeeId` nor an unrequested ID");
    assert!(
        outside.message.contains("2 of 3 checked"),
        "{}",
        outside.message
    );
}
