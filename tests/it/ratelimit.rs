//! The client-side rate limiter end to end, on tokio's paused clock: learnt
//! windows, buckets, the operation deadline and refused configurations.
//!
//! On a paused clock tokio jumps to the next timer whenever it waits for a
//! socket, so these clients have no timers while a request is in flight (no
//! reqwest timeouts, no idle-pool sweep, no attempt or operation timeout,
//! unless the test is about one): virtual time then moves only when the
//! limiter sleeps, and every instant below is exact.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hibob::{Client, ClientBuilder, Error, Limit, RateLimits, RetryPolicy};
use serde_json::{Value, json};
use tokio::time::Instant;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support;

const S: Duration = Duration::from_secs(1);

/// A client for `server` with these limits, no retries, and no timer of its
/// own while a request is in flight.
fn untimed(server: &MockServer, limits: RateLimits) -> ClientBuilder {
    let http = hibob::__private::http_client_builder()
        .expect("TLS setup")
        .pool_idle_timeout(None)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    support::builder(server)
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .attempt_timeout(None)
        .operation_timeout(None)
        .rate_limits(limits)
}

/// How `X-RateLimit-Reset` is written.
#[derive(Clone, Copy, Debug)]
enum Reset {
    DeltaSeconds,
    EpochMillis,
}

/// A server allowing 3 requests per 2-second window, counting in fixed
/// windows and saying so in `X-RateLimit-*`; the 4th request of a window is
/// a 429. It counts requests, not time: the client's clock is virtual, so
/// the test checks *when* the client sent each request.
struct ThreePerTwoSeconds {
    reset: Reset,
    served: AtomicUsize,
}

impl Respond for ThreePerTwoSeconds {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        let remaining = 2 - n % 3;
        let reset = match self.reset {
            Reset::DeltaSeconds => "2".to_owned(),
            Reset::EpochMillis => {
                let at = SystemTime::now() + 2 * S;
                at.duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_millis()
                    .to_string()
            }
        };
        support::json(json!({"n": n}))
            .insert_header("x-ratelimit-limit", "3")
            .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
            .insert_header("x-ratelimit-reset", reset.as_str())
    }
}

async fn get(client: &Client, route: &'static str) -> Result<Value, Error> {
    client.get_json::<Value>(route).await
}

async fn post(client: &Client, route: &'static str) -> Result<Value, Error> {
    client.post_json::<Value>(route, &json!({})).await
}

/// Rounds a virtual duration to tenths of a second, for readable asserts.
fn tenths(d: Duration) -> u128 {
    (d.as_millis() + 50) / 100
}

#[tokio::test(start_paused = true)]
async fn a_two_second_learnt_window_is_honoured_and_nothing_waits_a_minute() {
    for reset in [Reset::DeltaSeconds, Reset::EpochMillis] {
        let server = support::server().await;
        Mock::given(path("/v1/profiles"))
            .respond_with(ThreePerTwoSeconds {
                reset,
                served: AtomicUsize::new(0),
            })
            .mount(&server)
            .await;
        // Nothing configured for this route: the limit comes from the headers.
        let client = untimed(&server, RateLimits::default()).build().unwrap();
        let started = Instant::now();
        let mut sent_at = Vec::new();
        for _ in 0..9 {
            get(&client, "/profiles").await.unwrap();
            sent_at.push(tenths(started.elapsed()));
        }
        // 3 per window, each window 2 s after the last (a minute before the fix).
        assert_eq!(sent_at, [0, 0, 0, 20, 20, 20, 40, 40, 40], "{reset:?}");
        assert_eq!(support::request_count(&server).await, 9);
        assert_eq!(client.stats().rate_limit_waits, 2, "{reset:?}");
    }
}

#[tokio::test]
async fn a_limiter_wait_past_the_deadline_fails_at_once_and_sends_nothing() {
    let server = support::server().await;
    Mock::given(path("/v1/profiles"))
        .respond_with(support::json(json!([])))
        .mount(&server)
        .await;
    let limits = RateLimits::unlimited().route("/profiles", Limit::per_minute(1));
    let client = untimed(&server, limits)
        .operation_timeout(Some(2 * S))
        .build()
        .unwrap();
    get(&client, "/profiles").await.unwrap();
    // The clock is paused only now: while a socket is pending, a paused clock
    // would jump to the 2 s deadline and time the first request out. From
    // here, a limiter that slept would move the clock by a minute.
    tokio::time::pause();
    let before = Instant::now();
    let err = get(&client, "/profiles").await.unwrap_err();
    assert_eq!(before.elapsed(), Duration::ZERO, "failed at once");
    assert_eq!(support::request_count(&server).await, 1, "nothing was sent");
    let Error::ClientRateLimited {
        operation,
        wait,
        time_left,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(operation.route, "/profiles");
    assert!(*wait > 59 * S && *wait <= 60 * S, "{wait:?}");
    assert!(*time_left <= 2 * S, "{time_left:?}");
    let text = err.to_string();
    for needed in [
        "client-side rate limit",
        "would be exceeded",
        "nothing was sent",
    ] {
        assert!(text.contains(needed), "{text}");
    }
    assert!(!text.contains("slow or unreachable"), "{text}");
    assert!(
        !err.is_retryable(),
        "retrying within this deadline cannot help"
    );
    assert_eq!(client.stats().requests, 1);
}

#[tokio::test(start_paused = true)]
async fn get_and_post_on_one_route_have_separate_buckets() {
    let server = support::server().await;
    Mock::given(path("/v1/things"))
        .respond_with(support::json(json!({})))
        .mount(&server)
        .await;
    let limits = RateLimits::unlimited().route("/things", Limit::per_minute(1));
    let client = untimed(&server, limits).build().unwrap();
    let started = Instant::now();
    get(&client, "/things").await.unwrap();
    post(&client, "/things").await.unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO, "the POST did not wait");
    get(&client, "/things").await.unwrap();
    assert_eq!(
        tenths(started.elapsed()),
        600,
        "the second GET waited its window"
    );
    let methods: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET", "POST", "GET"]);
}

#[tokio::test(start_paused = true)]
async fn learnt_headers_hold_only_the_bucket_that_received_them() {
    let server = support::server().await;
    let exhausted = support::json(json!({}))
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", "30");
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(exhausted)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/things"))
        .respond_with(support::json(json!({})))
        .mount(&server)
        .await;
    let client = untimed(&server, RateLimits::default()).build().unwrap();
    let started = Instant::now();
    get(&client, "/things").await.unwrap();
    post(&client, "/things").await.unwrap();
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "POST /things is not held"
    );
    get(&client, "/things").await.unwrap();
    assert_eq!(
        tenths(started.elapsed()),
        300,
        "GET /things waited for the reset"
    );
}

#[tokio::test(start_paused = true)]
async fn assigned_routes_share_one_bucket() {
    let server = support::server().await;
    Mock::given(path_regex("^/v1/tables/7"))
        .respond_with(support::json(json!({})))
        .mount(&server)
        .await;
    let limits = RateLimits::unlimited()
        .assign("POST", "/tables/{id}", "table writes")
        .assign("POST", "/tables/{id}/rows", "table writes")
        .bucket("table writes", Limit::new(1, 10 * S));
    let client = untimed(&server, limits).build().unwrap();
    let started = Instant::now();
    let body = json!({});
    let write = |route| client.post_json::<Value>(route, &body).param("7");
    write("/tables/{id}").await.unwrap();
    client
        .get_json::<Value>("/tables/{id}")
        .param("7")
        .await
        .unwrap();
    assert_eq!(
        started.elapsed(),
        Duration::ZERO,
        "the GET is in its own bucket"
    );
    write("/tables/{id}/rows").await.unwrap();
    assert_eq!(tenths(started.elapsed()), 100, "the second write waited");
    assert_eq!(support::request_count(&server).await, 3);
}

#[test]
fn bad_rate_limit_configurations_are_refused_at_build() {
    let build = |limits: RateLimits| {
        Client::builder()
            .service_user("id", "token")
            .rate_limits(limits)
            .build()
    };
    let per_minute = Limit::per_minute(5);
    let refused = [
        (
            "people/search",
            RateLimits::default().route("people/search", per_minute),
        ),
        (
            "unbalanced",
            RateLimits::default().route("/people/{id", per_minute),
        ),
        (
            "closing",
            RateLimits::default().route("/people/id}/work", per_minute),
        ),
        (
            "nested",
            RateLimits::default().route("/people/{a{b}}", per_minute),
        ),
        (
            "empty",
            RateLimits::default().route("/people/{}/work", per_minute),
        ),
        (
            "spaces",
            RateLimits::default().route("/people/ search", per_minute),
        ),
        (
            "bucket",
            RateLimits::default().bucket("GET people/{id}", per_minute),
        ),
        ("assigned", RateLimits::default().assign("GET", "/a b", "x")),
        (
            "zero requests",
            RateLimits::default().route("/people/search", Limit::new(0, 60 * S)),
        ),
        (
            "zero window",
            RateLimits::default().bucket("x", Limit::new(5, Duration::ZERO)),
        ),
    ];
    for (case, limits) in refused {
        match build(limits) {
            Err(Error::Config { message }) => assert!(!message.is_empty(), "{case}"),
            other => panic!("{case}: {other:?}"),
        }
    }
    // A well-formed route this crate does not model is fine (the escape hatch needs it).
    let unknown = RateLimits::default().route("/some/{thing}/new", per_minute);
    build(unknown).unwrap();
}
