//! Transport, errors, retries and limits against wiremock.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hibob::{Client, Error, Limit, RateLimits, RetryPolicy, TimeoutKind};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::support::{self, BASIC_HEADER};

const FIELDS: &str = "/v1/company/people/fields";

async fn get_fields(client: &Client) -> Result<Value, Error> {
    client.get_json::<Value>("/company/people/fields").await
}

#[tokio::test]
async fn sends_the_exact_basic_header_accept_and_no_content_type_on_get() {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path(FIELDS))
        .and(header("authorization", BASIC_HEADER))
        .and(header("accept", "application/json"))
        .respond_with(support::json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let value = get_fields(&support::client(&server)).await.unwrap();
    assert_eq!(value, json!([]));
    let requests = server.received_requests().await.unwrap();
    let sent = &requests[0];
    assert!(sent.headers.get("content-type").is_none());
    let agent = sent.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(agent.starts_with("hibob/"), "{agent}");
}

#[tokio::test]
async fn a_401_is_invalid_credentials_and_the_next_call_sends_nothing() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let first = get_fields(&client).await.unwrap_err();
    assert!(
        matches!(
            first,
            Error::InvalidCredentials {
                remembered: false,
                ..
            }
        ),
        "{first:?}"
    );
    assert_eq!(first.status(), Some(401));
    let second = get_fields(&client.clone()).await.unwrap_err();
    assert!(matches!(
        second,
        Error::InvalidCredentials {
            remembered: true,
            ..
        }
    ));
    assert_eq!(support::request_count(&server).await, 1);
    assert!(client.stats().credentials_rejected);
}

#[tokio::test]
async fn a_403_is_permission_denied_with_the_permission_to_grant() {
    let server = support::server().await;
    Mock::given(path("/v1/people/42/lifecycle"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"key": "permission.denied", "error": "No access"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = support::client(&server)
        .tables()
        .lifecycle("42")
        .await
        .unwrap_err();
    let Error::PermissionDenied {
        operation,
        status,
        hint,
        body,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(operation.route, "/people/{id}/lifecycle");
    assert_eq!(*status, 403);
    assert_eq!(
        *hint,
        Some("People's Data > Lifecycle > View selected employees' Lifecycle section histories")
    );
    assert_eq!(
        body.as_ref().unwrap().key.as_deref(),
        Some("permission.denied")
    );
    assert!(err.to_string().contains("Lifecycle section histories"));
}

#[tokio::test]
async fn a_404_is_not_found_and_not_retried() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let err = get_fields(&support::client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn a_400_carries_key_message_and_field_errors() {
    let server = support::server().await;
    let body =
        json!({"key": "bad.filter", "error": "Invalid filter", "errors": {"filters": "only one"}});
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(400).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let err = get_fields(&support::client(&server)).await.unwrap_err();
    let Error::BadRequest { body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(body.key.as_deref(), Some("bad.filter"));
    assert_eq!(body.message.as_deref(), Some("Invalid filter"));
    assert_eq!(body.field_errors["filters"], json!("only one"));
    assert!(err.to_string().contains("bad.filter"));
    assert!(
        !err.to_string().contains("Invalid filter"),
        "bodies stay out of Display"
    );
}

#[tokio::test]
async fn a_plain_text_400_keeps_its_status_and_message() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(400).set_body_string("Missing required field: values"))
        .mount(&server)
        .await;
    let err = get_fields(&support::client(&server)).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        err.api_body().and_then(|b| b.message.as_deref()),
        Some("Missing required field: values")
    );
}

#[tokio::test]
async fn a_429_then_200_honours_retry_after() {
    let server = support::server().await;
    // Retry-After: 80 s, scaled 1000x down by the deterministic policy: 80 ms.
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "80");
    support::first_n_then(&server, FIELDS, 1, limited, support::json(json!([]))).await;
    let client = support::client(&server);
    let started = Instant::now();
    get_fields(&client).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(80),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn x_ratelimit_reset_in_epoch_milliseconds_is_honoured() {
    let server = support::server().await;
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let reset = (now_ms + 100_000).to_string(); // 100 s away, scaled to 100 ms
    let limited = ResponseTemplate::new(429).insert_header("x-ratelimit-reset", reset.as_str());
    support::first_n_then(&server, FIELDS, 1, limited, support::json(json!([]))).await;
    let started = Instant::now();
    get_fields(&support::client(&server)).await.unwrap();
    assert_eq!(support::request_count(&server).await, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(90),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_returns_rate_limited_at_once() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let err = get_fields(&support::client(&server)).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(matches!(err, Error::RateLimited { .. }));
}

#[tokio::test]
async fn a_5xx_then_success_is_retried() {
    let server = support::server().await;
    let html = ResponseTemplate::new(502).set_body_raw("<html>Bad gateway</html>", "text/html");
    support::first_n_then(&server, FIELDS, 2, html, support::json(json!([1]))).await;
    assert_eq!(
        get_fields(&support::client(&server)).await.unwrap(),
        json!([1])
    );
    assert_eq!(support::request_count(&server).await, 3);
}

#[tokio::test]
async fn exhausted_5xx_is_a_server_error_with_attempts() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(503))
        .expect(4)
        .mount(&server)
        .await;
    let err = get_fields(&support::client(&server)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: 503,
                attempts: 4,
                ..
            }
        ),
        "{err:?}"
    );
}

/// HiBob may send `X-RateLimit-*` on every answer. On a 5xx the reset is not
/// a wait hint: a transient 502 is retried on the backoff, not when the
/// rate-limit window ends (which also held back every other call on the route).
#[tokio::test]
async fn a_5xx_is_not_held_until_the_rate_limit_reset() {
    let server = support::server().await;
    let epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let reset = (epoch.as_secs() + 30).to_string();
    let bad_gateway = ResponseTemplate::new(502)
        .insert_header("x-ratelimit-limit", "50")
        .insert_header("x-ratelimit-remaining", "41")
        .insert_header("x-ratelimit-reset", reset.as_str());
    Mock::given(path(FIELDS))
        .respond_with(bad_gateway)
        .expect(4)
        .mount(&server)
        .await;
    // Hints at full scale: waiting for the 30 s reset would end the retries
    // at the 2 s operation deadline after the first attempt.
    let client = support::builder(&server)
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)).hint_scale(1.0))
        .operation_timeout(Some(Duration::from_secs(2)))
        .build()
        .unwrap();
    let err = get_fields(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Server {
                status: 502,
                attempts: 4,
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
}

/// `Retry-After: 0` (or a reset already past) must not fire every attempt
/// back-to-back: the wait is at least the policy's backoff.
#[tokio::test]
async fn a_zero_retry_after_still_backs_off() {
    let server = support::server().await;
    let now = ResponseTemplate::new(429).insert_header("retry-after", "0");
    support::first_n_then(&server, FIELDS, 3, now, support::json(json!([]))).await;
    let client = support::builder(&server)
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(20)))
        .build()
        .unwrap();
    let started = Instant::now();
    get_fields(&client).await.unwrap();
    // 20 + 40 + 80 ms of backoff between the four attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(140),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(support::request_count(&server).await, 4);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    for status in [400u16, 401, 403, 404] {
        let server = support::server().await;
        Mock::given(path(FIELDS))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        let err = get_fields(&support::client(&server)).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
    }
}

#[tokio::test]
async fn html_with_200_is_unexpected_content_type_not_data() {
    let server = support::server().await;
    Mock::given(path("/v1/people/42/variables"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<!doctype html><html></html>", "text/html"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = support::client(&server)
        .get_json::<Value>("/people/{id}/variables")
        .param("42")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedContentType { status: 200, content_type, .. } if content_type == "text/html"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_truncated_body_is_retried_then_reported_with_its_path() {
    let server = support::server().await;
    let cut = r#"{"employees":[{"id":"1"},{"id":"2","work":{"title""#;
    Mock::given(path("/v1/people/search"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(cut, "application/json"))
        .expect(4)
        .mount(&server)
        .await;
    let err = support::client(&server)
        .post_json::<Value>("/people/search", &json!({}))
        .retry_safe(true)
        .await
        .unwrap_err();
    let Error::Truncated { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(path.starts_with("employees[1]"), "{path}");
}

#[tokio::test]
async fn a_slow_response_times_out_per_attempt() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(support::json(json!([])).set_delay(Duration::from_millis(400)))
        .expect(2)
        .mount(&server)
        .await;
    let client = support::builder(&server)
        .attempt_timeout(Some(Duration::from_millis(50)))
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)).max_attempts(2))
        .build()
        .unwrap();
    let err = get_fields(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    let err = Client::builder()
        .service_user("id", "token")
        .base_url("http://api.hibob.com/v1")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    assert!(err.to_string().contains("loopback"), "{err}");
}

/// A server that answers 429 whenever more than `max` requests arrived in the
/// last `window`, like HiBob's per-minute limit, scaled down.
struct SlidingWindowServer {
    max: usize,
    window: Duration,
    arrivals: Mutex<Vec<Instant>>,
    rejected: AtomicUsize,
}

impl Respond for SlidingWindowServer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut arrivals = self.arrivals.lock().unwrap();
        arrivals.push(now);
        let recent = arrivals
            .iter()
            .filter(|t| now.duration_since(**t) < self.window)
            .count();
        if recent > self.max {
            self.rejected.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(429);
        }
        support::json(json!([]))
    }
}

#[tokio::test]
async fn the_limiter_keeps_a_burst_under_the_server_limit() {
    let server = support::server().await;
    // HiBob's 50 per minute, with the minute scaled down to 250 ms; the
    // client is told the same limit.
    let (max, window) = (50, Duration::from_millis(250));
    let limiter = Arc::new(SlidingWindowServer {
        max,
        window,
        arrivals: Mutex::new(Vec::new()),
        rejected: AtomicUsize::new(0),
    });
    Mock::given(path(FIELDS))
        .respond_with(ArcResponder(Arc::clone(&limiter)))
        .mount(&server)
        .await;
    let client = support::builder(&server)
        .retry_policy(RetryPolicy::none())
        .rate_limits(
            RateLimits::default().route("/company/people/fields", Limit::new(max as u32, window)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = (0..120).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { get_fields(&client).await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(limiter.rejected.load(Ordering::SeqCst), 0);
    assert_eq!(limiter.arrivals.lock().unwrap().len(), 120);
    assert!(client.stats().rate_limit_waits > 0);
    // 120 calls at 50 per window need two full windows of waiting.
    assert!(started.elapsed() >= window * 2, "{:?}", started.elapsed());
}

struct ArcResponder(Arc<SlidingWindowServer>);

impl Respond for ArcResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}

#[test]
fn client_builders_and_futures_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_send_sync_value<T: Send + Sync>(_: &T) {}
    assert_send_sync::<Client>();
    assert_send_sync::<hibob::ClientBuilder>();
    assert_send_sync::<Error>();
    assert_send_sync::<hibob::RawRequest<Value>>();
    let client = Client::builder().service_user("a", "b").build().unwrap();
    use std::future::IntoFuture;
    assert_send_sync_value(&client.get_json::<Value>("/x").into_future());
    assert_send_sync_value(&client.people().search().into_future());
    assert_send_sync_value(&client.people().get("x").into_future());
    assert_send_sync_value(&client.tables().lifecycle("x").into_future());
    assert_send_sync_value(&client.check_access().into_future());
}
