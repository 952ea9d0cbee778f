//! The fault matrix: each of HiBob's bad days, its typed outcome and the
//! number of requests it costs.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use hibob::people::SearchStrategy;
use hibob::{Client, Error, field};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::support;

const FIELDS: &str = "/v1/company/people/fields";

async fn fields(client: &Client) -> Result<Value, Error> {
    client.get_json::<Value>("/company/people/fields").await
}

#[tokio::test]
async fn a_connection_dropped_before_headers_is_retried() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with_err(|_: &Request| std::io::Error::other("reset"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(FIELDS))
        .respond_with(support::json(json!(["ok"])))
        .mount(&server)
        .await;
    let client = support::client(&server);
    assert_eq!(fields(&client).await.unwrap(), json!(["ok"]));
    assert_eq!(client.stats().requests, 2);
}

#[tokio::test]
async fn connections_dropped_every_time_end_in_a_transport_error() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with_err(|_: &Request| std::io::Error::other("reset"))
        .expect(4)
        .mount(&server)
        .await;
    let err = fields(&support::client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        !format!("{err:?}").contains("127.0.0.1"),
        "the URL is stripped: {err:?}"
    );
}

/// A raw HTTP server whose first `broken` answers promise 1,000 bytes, send a
/// few and hang up: a connection dropped after the headers.
async fn cut_after_headers(broken: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let reply = if n < broken {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n[\"par".to_owned()
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 6\r\nconnection: close\r\n\r\n[\"ok\"]".to_owned()
            };
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (format!("http://{address}/v1"), served)
}

#[tokio::test]
async fn a_connection_dropped_after_headers_is_retried() {
    let (base, served) = cut_after_headers(1).await;
    let client = Client::builder()
        .service_user("id", "token")
        .base_url(base)
        .retry_policy(hibob::RetryPolicy::deterministic(
            std::time::Duration::from_millis(1),
        ))
        .build()
        .unwrap();
    assert_eq!(fields(&client).await.unwrap(), json!(["ok"]));
    assert_eq!(served.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_429_storm_with_retry_after_ends_in_rate_limited_after_the_cap() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "2")
                .insert_header("x-ratelimit-limit", "50"),
        )
        .expect(4)
        .mount(&server)
        .await;
    let err = fields(&support::client(&server)).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), limit: Some(50), .. } if d.as_secs() == 2),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_429_storm_without_hints_backs_off_and_gives_up() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(429))
        .expect(4)
        .mount(&server)
        .await;
    let err = fields(&support::client(&server)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("slow down"), "{err}");
}

#[tokio::test]
async fn x_ratelimit_reset_as_delta_and_epoch_seconds_is_honoured() {
    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3;
    for reset in ["3".to_owned(), epoch.to_string()] {
        let server = support::server().await;
        let limited = ResponseTemplate::new(429).insert_header("x-ratelimit-reset", reset.as_str());
        support::first_n_then(&server, FIELDS, 1, limited, support::json(json!([]))).await;
        let client = support::client(&server);
        fields(&client).await.unwrap();
        assert_eq!(client.stats().requests, 2, "reset {reset}");
    }
}

#[tokio::test]
async fn a_bulk_page_with_no_results_but_a_cursor_is_followed() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/work"))
        .and(query_param_is_missing("cursor"))
        .respond_with(support::json(
            json!({"results": [], "response_metadata": {"next_cursor": "p2"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let rows = json!({"results": [{"employeeId": "1", "values": [{"id": 5, "effectiveDate": "2024-01-01"}]}], "response_metadata": {"next_cursor": null}});
    Mock::given(path("/v1/bulk/people/work"))
        .and(query_param("cursor", "p2"))
        .respond_with(support::json(rows))
        .expect(1)
        .mount(&server)
        .await;
    let items: Vec<_> = support::client(&server)
        .tables()
        .bulk_work()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
}

/// A people search that, on batched requests, repeats an employee and adds
/// one nobody asked for.
struct Sloppy;

impl Respond for Sloppy {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let employees: Vec<Value> = match body["filters"][0]["values"].as_array() {
            None => (0..10).map(|i| json!({"id": i.to_string()})).collect(),
            Some(ids) => {
                let mut out: Vec<Value> = ids
                    .iter()
                    .map(|id| json!({"id": id, "email": "x@example.com"}))
                    .collect();
                out.push(out[0].clone());
                out.push(json!({"id": "intruder", "email": "y@example.com"}));
                out
            }
        };
        support::json(json!({"employees": employees}))
    }
}

#[tokio::test]
async fn duplicate_or_unknown_employees_never_reach_the_stream() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(Sloppy)
        .expect(1 + 3)
        .mount(&server)
        .await;
    let employees: Vec<_> = support::client(&server)
        .people()
        .search()
        .fields([field::EMAIL])
        .strategy(SearchStrategy::Batched { size: 4 })
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: HashSet<_> = employees
        .iter()
        .map(|e| e.id().unwrap().to_string())
        .collect();
    assert_eq!(employees.len(), 10);
    assert_eq!(ids.len(), 10);
    assert!(!ids.contains("intruder"));
}

#[tokio::test]
async fn an_error_mid_stream_ends_the_stream_with_that_error() {
    let server = support::server().await;
    Mock::given(path("/v1/people/search"))
        .respond_with(support::json(
            json!({"employees": [{"id": "1"}, {"id": "2"}]}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/people/search"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let mut stream = support::client(&server)
        .people()
        .search()
        .strategy(SearchStrategy::Batched { size: 200 })
        .stream();
    let err = stream.try_next().await.unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "nothing after the error"
    );
    assert_eq!(
        support::request_count(&server).await,
        2,
        "a 403 is never retried"
    );
}

#[tokio::test]
async fn a_503_with_retry_after_waits_as_told() {
    let server = support::server().await;
    // Retry-After: 60 s, scaled 1000x down by the deterministic policy: 60 ms.
    let unavailable = ResponseTemplate::new(503).insert_header("retry-after", "60");
    support::first_n_then(&server, FIELDS, 1, unavailable, support::json(json!([]))).await;
    let started = std::time::Instant::now();
    fields(&support::client(&server)).await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(60));
}

/// A bulk table that answers `empty` pages with no rows, each with a fresh
/// cursor, then (if ever) one page with a row and no next cursor.
struct FreshCursors {
    empty: usize,
    served: AtomicUsize,
}

impl Respond for FreshCursors {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        if n < self.empty {
            return support::json(
                json!({"results": [], "response_metadata": {"next_cursor": format!("fresh-{n}")}}),
            );
        }
        support::json(json!({
            "results": [{"employeeId": "1", "values": [{"id": 5, "effectiveDate": "2024-01-01"}]}],
            "response_metadata": {"next_cursor": null}
        }))
    }
}

#[tokio::test]
async fn endless_empty_pages_with_fresh_cursors_end_in_a_pagination_error() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/work"))
        .respond_with(FreshCursors {
            empty: usize::MAX,
            served: AtomicUsize::new(0),
        })
        .expect(20)
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = support::client(&server)
        .tables()
        .bulk_work()
        .stream()
        .try_collect()
        .await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("20 pages in a row with no rows, each with a new cursor"),
        "{err}"
    );
}

#[tokio::test]
async fn nineteen_empty_pages_then_rows_are_followed() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/work"))
        .respond_with(FreshCursors {
            empty: 19,
            served: AtomicUsize::new(0),
        })
        .expect(20)
        .mount(&server)
        .await;
    let items: Vec<_> = support::client(&server)
        .tables()
        .bulk_work()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1);
}
