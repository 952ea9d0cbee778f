//! The people stream at company scale: one search by default, ID batches as
//! the fallback, every employee exactly once, and failures that never look
//! like a complete roster.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::TryStreamExt;
use hibob::people::{EmployeeStream, SearchStrategy};
use hibob::testing::FakeHibob;
use hibob::{Client, Error, RetryPolicy, field};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const COMPANY: usize = 2_000;

/// What the proxy does to the search for everyone with the requested fields
/// (no filter, more than `root.id`): the request the fallback must replace.
#[derive(Clone, Copy, PartialEq)]
enum Sabotage {
    /// Sends the headers and half the body, then hangs up.
    DropMidBody,
    /// Answers after 5 s, longer than the client's attempt timeout.
    Stall,
    /// Answers 503 to any search of more than 50 employees (batches too).
    RefuseOver50,
}

/// Counts of what the proxy saw.
#[derive(Default)]
struct Seen {
    big_searches: AtomicUsize,
    id_searches: AtomicUsize,
    batches: AtomicUsize,
}

/// A raw HTTP/1.1 proxy in front of `fake` that sabotages the big search.
/// wiremock cannot drop a connection mid-body, so this speaks TCP itself.
async fn proxy(fake: &FakeHibob, sabotage: Sabotage) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let upstream = fake.uri();
    let seen = Arc::new(Seen::default());
    let counts = Arc::clone(&seen);
    tokio::spawn(async move {
        let http = hibob::__private::http_client_builder()
            .expect("TLS setup")
            .build()
            .expect("reqwest client");
        while let Ok((socket, _)) = listener.accept().await {
            let (http, upstream, counts) = (http.clone(), upstream.clone(), Arc::clone(&counts));
            tokio::spawn(serve(socket, http, upstream, counts, sabotage));
        }
    });
    (format!("http://{address}/v1"), seen)
}

async fn serve(
    mut socket: TcpStream,
    http: reqwest::Client,
    upstream: String,
    seen: Arc<Seen>,
    sabotage: Sabotage,
) {
    let Some((method, path, auth, body)) = read_request(&mut socket).await else {
        return;
    };
    let search: Option<Value> = path
        .ends_with("/people/search")
        .then(|| serde_json::from_slice(&body).unwrap());
    let kind = search.as_ref().map(classify);
    match kind {
        Some(Kind::Big) => seen.big_searches.fetch_add(1, Ordering::SeqCst),
        Some(Kind::Ids) => seen.id_searches.fetch_add(1, Ordering::SeqCst),
        Some(Kind::Batch(_)) => seen.batches.fetch_add(1, Ordering::SeqCst),
        None => 0,
    };
    let target = format!("{upstream}{}", path.trim_start_matches("/v1"));
    let answer = http
        .request(method.parse().unwrap(), target)
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let bytes = answer.bytes().await.unwrap();
    let head = |status: u16, len: usize| {
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n"
        )
    };
    match (sabotage, kind) {
        (Sabotage::DropMidBody, Some(Kind::Big)) => {
            let _ = socket.write_all(head(status, bytes.len()).as_bytes()).await;
            let _ = socket.write_all(&bytes[..bytes.len() / 2]).await;
        }
        (Sabotage::Stall, Some(Kind::Big)) => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let _ = socket.write_all(head(status, bytes.len()).as_bytes()).await;
            let _ = socket.write_all(&bytes).await;
        }
        (Sabotage::RefuseOver50, Some(Kind::Big)) => {
            let _ = socket.write_all(head(503, 2).as_bytes()).await;
            let _ = socket.write_all(b"{}").await;
        }
        (Sabotage::RefuseOver50, Some(Kind::Batch(n))) if n > 50 => {
            let _ = socket.write_all(head(503, 2).as_bytes()).await;
            let _ = socket.write_all(b"{}").await;
        }
        _ => {
            let _ = socket.write_all(head(status, bytes.len()).as_bytes()).await;
            let _ = socket.write_all(&bytes).await;
        }
    }
    let _ = socket.shutdown().await;
}

#[derive(Clone, Copy)]
enum Kind {
    Big,
    Ids,
    Batch(usize),
}

fn classify(search: &Value) -> Kind {
    if let Some(ids) = search["filters"][0]["values"].as_array() {
        return Kind::Batch(ids.len());
    }
    match search["fields"].as_array() {
        Some(fields) if fields.len() == 1 && fields[0] == "root.id" => Kind::Ids,
        _ => Kind::Big,
    }
}

/// Reads one request: method, path, Authorization header and body.
async fn read_request(socket: &mut TcpStream) -> Option<(String, String, String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, path) = (
        request_line.next()?.to_owned(),
        request_line.next()?.to_owned(),
    );
    let header = |name: &str| {
        head.split("\r\n")
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let length: usize = header("content-length").parse().unwrap_or(0);
    let mut body = buffer[header_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((method, path, header("authorization"), body))
}

fn client_for(fake: &FakeHibob, base: String) -> Client {
    fake.client_builder()
        .base_url(base)
        .attempt_timeout(Some(Duration::from_millis(1_500)))
        .build()
        .unwrap()
}

fn roster(client: &Client, strategy: SearchStrategy) -> EmployeeStream {
    client
        .people()
        .search()
        .fields([field::ID, field::EMAIL, field::DEPARTMENT])
        .show_inactive(true)
        .strategy(strategy)
        .stream()
}

/// Drains `stream`, failing on any employee yielded twice.
async fn every_once(stream: &mut EmployeeStream) -> Result<HashSet<String>, Error> {
    let mut ids = HashSet::new();
    while let Some(employee) = stream.try_next().await? {
        let id = employee
            .id()
            .expect("the stream asks for root.id")
            .to_string();
        assert!(employee.email().is_some(), "not an ID-only employee");
        assert!(ids.insert(id.clone()), "{id} yielded twice");
    }
    Ok(ids)
}

fn visible_ids(fake: &FakeHibob) -> HashSet<String> {
    fake.truth().employees.into_iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn one_search_serves_the_whole_company() {
    let fake = FakeHibob::builder().employees(COMPANY).start().await;
    let client = fake.client();
    let mut stream = roster(&client, SearchStrategy::Auto);
    assert_eq!(
        stream.strategy(),
        None,
        "nothing sent before the first poll"
    );
    let ids = every_once(&mut stream).await.unwrap();
    assert_eq!(ids, visible_ids(&fake));
    assert_eq!(fake.request_count_for("/people/search"), 1);
    assert_eq!(stream.strategy(), Some(SearchStrategy::Single));
    assert!(!stream.fell_back());
    let stats = client.stats();
    assert_eq!((stats.single_searches, stats.search_fallbacks), (1, 0));
}

#[tokio::test]
async fn a_body_dropped_mid_way_every_time_falls_back_to_batches() {
    let fake = FakeHibob::builder().employees(COMPANY).start().await;
    let (base, seen) = proxy(&fake, Sabotage::DropMidBody).await;
    let client = client_for(&fake, base);
    let mut stream = roster(&client, SearchStrategy::Auto);
    let ids = every_once(&mut stream).await.unwrap();
    assert_eq!(ids, visible_ids(&fake));
    assert_eq!(seen.big_searches.load(Ordering::SeqCst), 4, "retried first");
    assert_eq!(seen.id_searches.load(Ordering::SeqCst), 1);
    assert_eq!(seen.batches.load(Ordering::SeqCst), COMPANY.div_ceil(200));
    assert!(stream.fell_back());
    assert_eq!(
        stream.strategy(),
        Some(SearchStrategy::Batched { size: 200 })
    );
    assert_eq!(client.stats().search_fallbacks, 1);
}

#[tokio::test]
async fn a_search_that_times_out_falls_back_without_retrying_forever() {
    let fake = FakeHibob::builder().employees(COMPANY).start().await;
    let (base, seen) = proxy(&fake, Sabotage::Stall).await;
    let client = fake
        .client_builder()
        .base_url(base)
        .attempt_timeout(Some(Duration::from_millis(1_000)))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut stream = roster(&client, SearchStrategy::Auto);
    let ids = every_once(&mut stream).await.unwrap();
    assert_eq!(ids, visible_ids(&fake));
    // At most once: no retries. (A loaded machine may time out before the
    // proxy has read the request, so "once" is not guaranteed.)
    assert!(seen.big_searches.load(Ordering::SeqCst) <= 1);
    assert_eq!(seen.batches.load(Ordering::SeqCst), COMPANY.div_ceil(200));
    assert!(stream.fell_back());
}

#[tokio::test]
async fn batches_that_keep_failing_are_halved_down_to_what_works() {
    let fake = FakeHibob::builder().employees(300).start().await;
    let (base, seen) = proxy(&fake, Sabotage::RefuseOver50).await;
    let client = fake
        .client_builder()
        .base_url(base)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut stream = client
        .people()
        .search()
        .fields([field::ID, field::EMAIL, field::DEPARTMENT])
        .show_inactive(true)
        .concurrency(1)
        .stream();
    let ids = every_once(&mut stream).await.unwrap();
    assert_eq!(ids, visible_ids(&fake));
    assert_eq!(
        stream.strategy(),
        Some(SearchStrategy::Batched { size: 50 })
    );
    // 200 fails twice, 100 fails twice, then six batches of 50.
    assert_eq!(seen.batches.load(Ordering::SeqCst), 2 + 2 + 6);
}

#[tokio::test]
async fn the_single_strategy_never_falls_back_and_ends_in_the_error() {
    let fake = FakeHibob::builder().employees(50).start().await;
    let (base, seen) = proxy(&fake, Sabotage::DropMidBody).await;
    let client = client_for(&fake, base);
    let mut stream = roster(&client, SearchStrategy::Single);
    let error = every_once(&mut stream).await.unwrap_err();
    assert!(error.is_retryable(), "a dropped body: {error}");
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "ends after the error"
    );
    assert_eq!(seen.batches.load(Ordering::SeqCst), 0);
    assert!(!stream.fell_back());
}

#[tokio::test]
async fn a_permission_error_is_not_a_reason_to_fall_back() {
    let fake = FakeHibob::builder()
        .employees(20)
        .wrong_credentials()
        .start()
        .await;
    let client = fake.client();
    let mut stream = roster(&client, SearchStrategy::Auto);
    let error = stream.try_next().await.unwrap_err();
    assert!(
        matches!(error, Error::InvalidCredentials { .. }),
        "{error:?}"
    );
    assert_eq!(fake.request_count(), 1);
    assert!(!stream.fell_back());
}

#[tokio::test]
async fn an_id_filter_keeps_only_the_employees_asked_for() {
    let fake = FakeHibob::builder().employees(30).start().await;
    let wanted: Vec<String> = fake.truth().employees[..5]
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let client = fake.client();
    let mut stream = client
        .people()
        .search()
        .fields([field::EMAIL])
        .show_inactive(true)
        .filter_ids(&wanted)
        .stream();
    let ids = every_once(&mut stream).await.unwrap();
    assert_eq!(ids, wanted.into_iter().collect::<HashSet<_>>());
    assert_eq!(fake.request_count(), 1);
}

#[test]
fn the_stream_is_send_sync_and_unpin() {
    fn assert_traits<T: Send + Sync + Unpin + 'static>() {}
    assert_traits::<EmployeeStream>();
}
