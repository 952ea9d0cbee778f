//! A raw-TCP front for `FakeHibob` that drops people-search answers mid-body.
//!
//! wiremock always sends whole bodies, so a connection that dies after the
//! headers and part of a large search body needs its own server. The front
//! forwards every request to the fake unchanged and relays the answer, except
//! for the first `searches` `POST /v1/people/search`: those get the fake's
//! real status, headers and `content-length`, then half of the body, then the
//! connection closes. Every answer closes its connection, so each request
//! arrives on a fresh one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use hibob::testing::FakeHibob;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts the front; returns its base URL (with `/v1`) and how many searches
/// it has cut so far.
pub async fn cut_searches_mid_body(
    fake: &FakeHibob,
    searches: usize,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let front = listener.local_addr().unwrap();
    let backend = fake.address();
    let cut = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&cut);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(relay(socket, backend, Arc::clone(&counter), searches));
        }
    });
    (format!("http://{front}/v1"), cut)
}

async fn relay(mut client: TcpStream, backend: SocketAddr, cut: Arc<AtomicUsize>, searches: usize) {
    let Some((head, body)) = read_request(&mut client).await else {
        return;
    };
    let is_search = head.starts_with("POST /v1/people/search ");
    let answer = forward(backend, &head, &body).await;
    let cut_this = is_search
        && cut
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < searches).then_some(n + 1)
            })
            .is_ok();
    let sent = if cut_this {
        let body_at = find(&answer, b"\r\n\r\n").map_or(answer.len(), |i| i + 4);
        &answer[..body_at + (answer.len() - body_at) / 2]
    } else {
        &answer[..]
    };
    let _ = client.write_all(sent).await;
    let _ = client.shutdown().await;
}

/// The request head (up to the blank line, as text) and its body.
async fn read_request(socket: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&bytes, b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut buffer).await.ok().filter(|n| *n > 0)?;
        bytes.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = bytes.split_off(head_end);
    while body.len() < length {
        let n = socket.read(&mut buffer).await.ok().filter(|n| *n > 0)?;
        body.extend_from_slice(&buffer[..n]);
    }
    Some((head, body))
}

/// Sends the request to the fake with `connection: close` and reads the whole answer.
async fn forward(backend: SocketAddr, head: &str, body: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&str> = head
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("connection: close");
    let request = format!("{}\r\n\r\n", lines.join("\r\n"));
    let mut fake = TcpStream::connect(backend).await.unwrap();
    fake.write_all(request.as_bytes()).await.unwrap();
    fake.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    let _ = fake.read_to_end(&mut answer).await;
    answer
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn search(http: &reqwest::Client, base: &str, fake: &FakeHibob) -> reqwest::Response {
    http.post(format!("{base}/people/search"))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .header("content-type", "application/json")
        .body(json!({ "fields": ["root.id"], "showInactive": true }).to_string())
        .send()
        .await
        .expect("the headers arrive")
}

#[tokio::test]
async fn the_first_search_body_is_cut_mid_body_and_the_next_one_is_whole() {
    let fake = FakeHibob::builder().employees(2_000).start().await;
    let (base, cut) = cut_searches_mid_body(&fake, 1).await;
    let http = hibob::__private::http_client_builder()
        .expect("TLS setup")
        .no_proxy()
        .build()
        .unwrap();

    let first = search(&http, &base, &fake).await;
    assert_eq!(first.status(), 200);
    let promised = first.content_length().expect("the fake's content-length");
    assert!(promised > 100_000, "a large body: {promised} bytes");
    let err = first.bytes().await.unwrap_err();
    // reqwest files a body that ends early under "decode"; hyper says why.
    assert!(
        err.is_decode() && format!("{err:?}").contains("IncompleteBody"),
        "the connection closed mid-body: {err:?}"
    );
    assert_eq!(cut.load(Ordering::SeqCst), 1);

    let second = search(&http, &base, &fake).await;
    let body: Value = serde_json::from_slice(&second.bytes().await.unwrap()).unwrap();
    assert_eq!(body["employees"].as_array().unwrap().len(), 2_000);
    let fields = http
        .get(format!("{base}/company/people/fields"))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .send()
        .await
        .unwrap();
    assert_eq!(fields.status(), 200);
    assert_eq!(cut.load(Ordering::SeqCst), 1, "only searches are cut");
    assert_eq!(fake.request_count_for("/people/search"), 2);
}
