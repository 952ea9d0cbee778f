//! Every guard of the pager, on both of HiBob's page shapes, against wiremock
//! on loopback: the cursor sequence and the request count are asserted, and
//! every error is checked to be the stream's last item.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::*;
use crate::{RateLimits, RetryPolicy};

/// HiBob's two page shapes: rows under `results` (bulk tables) or `items`.
const SHAPES: [&str; 2] = ["results", "items"];

fn client(server: &MockServer) -> Client {
    Client::builder()
        .service_user("SERVICE-USER-1", "token")
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .rate_limits(RateLimits::unlimited())
        .build()
        .expect("test client builds")
}

/// A page in `shape` with `rows` rows; `metadata` is `response_metadata`,
/// left out when `None`.
fn page(shape: &str, rows: usize, metadata: Option<Value>) -> ResponseTemplate {
    let mut body = Map::new();
    body.insert(
        shape.to_owned(),
        (0..rows).map(|n| json!({"n": n})).collect(),
    );
    if let Some(metadata) = metadata {
        body.insert("response_metadata".to_owned(), metadata);
    }
    ResponseTemplate::new(200).set_body_json(Value::Object(body))
}

fn next(cursor: &str) -> Option<Value> {
    Some(json!({ "next_cursor": cursor }))
}

/// A server answering `GET /v1/things` by its `cursor` query parameter.
async fn serve_get(
    answer: impl Fn(Option<&str>) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(move |request: &Request| answer(query_cursor(request).as_deref()))
        .mount(&server)
        .await;
    server
}

fn query_cursor(request: &Request) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == "cursor")
        .map(|(_, value)| value.into_owned())
}

/// The GET run: `limit` and the cursor in the query.
fn get_pager(
    server: &MockServer,
) -> Pager<impl FnMut(Option<&str>) -> Result<ApiRequest, Error> + Send + 'static> {
    Pager::new(&client(server), |cursor: Option<&str>| {
        let request = ApiRequest::get("/things", &[])?.query("limit", "2");
        Ok(match cursor {
            Some(cursor) => request.query("cursor", cursor),
            None => request,
        })
    })
}

type Page = Received<CursorPage<Value>>;

/// Drains a run: its pages, and its error, checked to be the last item.
async fn run<F>(pager: Pager<F>) -> (Vec<Page>, Option<Error>)
where
    F: FnMut(Option<&str>) -> Result<ApiRequest, Error> + Send + 'static,
{
    let mut stream = pager.pages::<CursorPage<Value>>();
    let mut pages = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(page) => pages.push(page),
            Err(error) => {
                assert!(stream.next().await.is_none(), "an item followed {error:?}");
                return (pages, Some(error));
            }
        }
    }
    (pages, None)
}

/// The `cursor` query parameter of every request the server received.
async fn cursors_sent(server: &MockServer) -> Vec<Option<String>> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.iter().map(query_cursor).collect()
}

fn rows(pages: &[Page]) -> Vec<usize> {
    pages.iter().map(|p| p.value.items.len()).collect()
}

fn pagination_message(error: Option<Error>) -> String {
    match error {
        Some(Error::Pagination { operation, message }) => {
            assert_eq!(operation.route, "/things");
            message
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

/// Two pages; the second ends the run with `last` as its `response_metadata`.
async fn ends_on(last: Option<Value>) {
    for shape in SHAPES {
        let last = last.clone();
        let server = serve_get(move |cursor| match cursor {
            None => page(shape, 2, next("c1")),
            Some(_) => page(shape, 1, last.clone()),
        })
        .await;
        let (pages, error) = run(get_pager(&server)).await;
        assert!(error.is_none(), "{shape}: {error:?}");
        assert_eq!(rows(&pages), [2, 1], "{shape}");
        assert_eq!(pages[1].value.next_cursor, None, "{shape}");
        assert_eq!(
            cursors_sent(&server).await,
            [None, Some("c1".into())],
            "{shape}"
        );
    }
}

#[tokio::test]
async fn a_null_cursor_ends_the_run() {
    ends_on(Some(json!({"next_cursor": null}))).await;
}

#[tokio::test]
async fn a_missing_cursor_ends_the_run() {
    ends_on(Some(json!({}))).await;
}

#[tokio::test]
async fn a_missing_response_metadata_ends_the_run() {
    ends_on(None).await;
}

#[tokio::test]
async fn an_empty_cursor_ends_the_run() {
    ends_on(next("")).await;
}

#[tokio::test]
async fn the_cursor_alias_is_followed() {
    for shape in SHAPES {
        let server = serve_get(move |cursor| match cursor {
            None => page(shape, 1, Some(json!({"cursor": "c1"}))),
            Some(_) => page(shape, 1, Some(json!({"cursor": null}))),
        })
        .await;
        let (pages, error) = run(get_pager(&server)).await;
        assert!(error.is_none(), "{shape}: {error:?}");
        assert_eq!(pages.len(), 2, "{shape}");
        assert_eq!(
            cursors_sent(&server).await,
            [None, Some("c1".into())],
            "{shape}"
        );
    }
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error() {
    for shape in SHAPES {
        let server = serve_get(move |cursor| match cursor {
            None => page(shape, 1, next("c1")),
            Some("c1") => page(shape, 1, next("c2")),
            Some(_) => page(shape, 1, next("c1")),
        })
        .await;
        let (pages, error) = run(get_pager(&server)).await;
        let message = pagination_message(error);
        assert!(message.contains("already returned"), "{shape}: {message}");
        assert_eq!(pages.len(), 2, "{shape}: the looping page is not yielded");
        let expected = [None, Some("c1".into()), Some("c2".into())];
        assert_eq!(cursors_sent(&server).await, expected, "{shape}");
    }
}

/// `c{n}` → `c{n+1}`: a server that never runs out of fresh cursors.
fn fresh_after(cursor: Option<&str>) -> String {
    let n: usize = cursor.map_or(0, |c| c[1..].parse().expect("c{n}"));
    format!("c{}", n + 1)
}

#[tokio::test]
async fn twenty_empty_pages_with_fresh_cursors_are_an_error() {
    for shape in SHAPES {
        let server = serve_get(move |cursor| page(shape, 0, next(&fresh_after(cursor)))).await;
        let (pages, error) = run(get_pager(&server)).await;
        let message = pagination_message(error);
        assert!(
            message.contains("20 pages in a row with no rows, each with a new cursor"),
            "{shape}: {message}"
        );
        assert_eq!(pages.len(), MAX_EMPTY_PAGES - 1, "{shape}");
        assert_eq!(
            cursors_sent(&server).await.len(),
            MAX_EMPTY_PAGES,
            "{shape}"
        );
    }
}

#[tokio::test]
async fn a_page_with_rows_resets_the_empty_page_count() {
    for shape in SHAPES {
        // 19 empty pages, one with a row, 19 empty again, then the end.
        let server = serve_get(move |cursor| {
            let next_cursor = fresh_after(cursor);
            match next_cursor.as_str() {
                "c20" => page(shape, 1, next(&next_cursor)),
                "c40" => page(shape, 0, Some(json!({"next_cursor": null}))),
                _ => page(shape, 0, next(&next_cursor)),
            }
        })
        .await;
        let (pages, error) = run(get_pager(&server)).await;
        assert!(error.is_none(), "{shape}: {error:?}");
        assert_eq!(pages.len(), 40, "{shape}");
        assert_eq!(rows(&pages).iter().sum::<usize>(), 1, "{shape}");
    }
}

#[tokio::test]
async fn the_page_cap_is_an_error_before_the_next_request() {
    for shape in SHAPES {
        let server = serve_get(move |cursor| page(shape, 1, next(&fresh_after(cursor)))).await;
        let (pages, error) = run(get_pager(&server).max_pages(3)).await;
        let message = pagination_message(error);
        assert!(message.contains("after 3 pages"), "{shape}: {message}");
        assert_eq!(pages.len(), 3, "{shape}");
        let expected = [None, Some("c1".into()), Some("c2".into())];
        assert_eq!(
            cursors_sent(&server).await,
            expected,
            "{shape}: no 4th request"
        );
    }
}

#[tokio::test]
async fn a_run_of_exactly_the_cap_is_complete() {
    for shape in SHAPES {
        let server = serve_get(move |cursor| match cursor {
            Some("c2") => page(shape, 1, Some(json!({"next_cursor": null}))),
            other => page(shape, 1, next(&fresh_after(other))),
        })
        .await;
        let (pages, error) = run(get_pager(&server).max_pages(3)).await;
        assert!(error.is_none(), "{shape}: {error:?}");
        assert_eq!(pages.len(), 3, "{shape}");
    }
    assert_eq!(DEFAULT_MAX_PAGES, 100_000);
}

#[tokio::test]
async fn a_cursor_in_the_post_body_is_followed() {
    for shape in SHAPES {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/things/search"))
            .respond_with(move |request: &Request| {
                let body: Value = request.body_json().expect("a JSON body");
                match body["cursor"].as_str() {
                    None => page(shape, 2, next("c1")),
                    Some(_) => page(shape, 2, Some(json!({"next_cursor": null}))),
                }
            })
            .mount(&server)
            .await;
        let pager = Pager::new(&client(&server), |cursor: Option<&str>| {
            let mut body = json!({"fields": ["/work/title"], "limit": 2});
            if let Some(cursor) = cursor {
                body["cursor"] = json!(cursor);
            }
            let body = serde_json::to_vec(&body).ok();
            Ok(
                ApiRequest::new(reqwest::Method::POST, "/things/search", &[], body)?
                    .retry(crate::transport::Retry::Read),
            )
        });
        let (pages, error) = run(pager).await;
        assert!(error.is_none(), "{shape}: {error:?}");
        assert_eq!(rows(&pages), [2, 2], "{shape}");
        let requests = server.received_requests().await.expect("recording is on");
        let bodies: Vec<Value> = requests.iter().map(|r| r.body_json().unwrap()).collect();
        let first = json!({"fields": ["/work/title"], "limit": 2});
        let second = json!({"fields": ["/work/title"], "limit": 2, "cursor": "c1"});
        assert_eq!(bodies, [first, second], "{shape}");
    }
}

#[tokio::test]
async fn pages_come_with_their_headers() {
    let server =
        serve_get(|_| page("results", 1, None).insert_header("x-has-restricted-columns", "true"))
            .await;
    let (pages, error) = run(get_pager(&server)).await;
    assert!(error.is_none(), "{error:?}");
    let header = pages[0].headers.get("x-has-restricted-columns");
    assert_eq!(header.and_then(|v| v.to_str().ok()), Some("true"));
}

#[tokio::test]
async fn a_failed_page_ends_the_run() {
    let server = serve_get(|cursor| match cursor {
        None => page("items", 1, next("c1")),
        Some(_) => ResponseTemplate::new(404),
    })
    .await;
    let (pages, error) = run(get_pager(&server)).await;
    assert!(matches!(error, Some(Error::NotFound { .. })), "{error:?}");
    assert_eq!(pages.len(), 1);
    assert_eq!(cursors_sent(&server).await.len(), 2);
}

#[tokio::test]
async fn a_request_that_cannot_be_built_ends_the_run_unsent() {
    let server = serve_get(|_| page("items", 1, next("c1"))).await;
    let pager = Pager::new(&client(&server), |cursor: Option<&str>| match cursor {
        None => ApiRequest::get("/things", &[]),
        Some(_) => Err(Error::invalid("no second page")),
    });
    let (pages, error) = run(pager).await;
    assert!(
        matches!(error, Some(Error::InvalidRequest { .. })),
        "{error:?}"
    );
    assert_eq!(pages.len(), 1);
    assert_eq!(cursors_sent(&server).await, [None]);
}

#[tokio::test]
async fn chained_runs_follow_each_other_and_stop_at_the_first_error() {
    let server = MockServer::start().await;
    for (route, status) in [("/v1/a", 200), ("/v1/b", 500), ("/v1/c", 200)] {
        Mock::given(path(route))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"items": [1]})))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let runs = ["/a", "/b", "/c"].map(|route| {
        Pager::new(&client, move |_: Option<&str>| ApiRequest::get(route, &[]))
            .pages::<CursorPage<Value>>()
    });
    let items: Vec<_> = chain(runs.into_iter()).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok() && matches!(items[1], Err(Error::Server { .. })));
    let requests = server.received_requests().await.expect("recording is on");
    assert!(
        requests.iter().all(|r| r.url.path() != "/v1/c"),
        "/c was read"
    );
}

#[test]
fn the_pager_imports_no_api_group() {
    let source = include_str!("../pager.rs");
    for group in [
        "tables", "people", "metadata", "access", "webhooks", "testing", "raw",
    ] {
        let import = format!("crate::{group}");
        assert!(!source.contains(&import), "pager.rs uses {import}");
    }
}
