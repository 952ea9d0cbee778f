//! Shared test plumbing: a wiremock server with a loud catch-all, and clients
//! with millisecond, jitter-free retries.

use std::time::Duration;

use hibob::{Client, ClientBuilder, RateLimits, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const SERVICE_USER_ID: &str = "SERVICE-USER-1234";
pub const TOKEN: &str = "tok-5ecret-DO-NOT-LEAK-9f8e7d";

/// Base64 of `SERVICE-USER-1234:tok-5ecret-DO-NOT-LEAK-9f8e7d`, computed independently.
pub const BASIC_HEADER: &str =
    "Basic U0VSVklDRS1VU0VSLTEyMzQ6dG9rLTVlY3JldC1ETy1OT1QtTEVBSy05ZjhlN2Q=";

/// A mock server whose unmatched requests get a loud 418.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(418).set_body_string("no mock matched this request"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

/// A builder pointed at `server` with fast deterministic retries and no client-side limits.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .service_user(SERVICE_USER_ID, TOKEN)
        .base_url(format!("{}/v1", server.uri()))
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .rate_limits(RateLimits::unlimited())
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("test client builds")
}

pub fn json(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Requests that reached `server` (the catch-all's included).
pub async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// A client for the embedded fake, with fast deterministic retries.
pub fn fake_client(fake: &hibob::testing::FakeHibob) -> Client {
    Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .build()
        .expect("fake client builds")
}

/// Answers the first `n` requests to `route` with `first`, the rest with `then`.
pub async fn first_n_then(
    server: &MockServer,
    route: &str,
    n: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    use wiremock::matchers::path;
    Mock::given(path(route))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(route))
        .respond_with(then)
        .mount(server)
        .await;
}

/// A started fake with `employees` people from `seed`.
pub async fn fake(employees: usize, seed: u64) -> hibob::testing::FakeHibob {
    hibob::testing::FakeHibob::builder()
        .employees(employees)
        .seed(seed)
        .start()
        .await
}

/// Asserts that the client refused a request itself: `InvalidRequest`, and
/// nothing reached the server.
pub async fn assert_refused_before_sending(err: &hibob::Error, server: &MockServer) {
    assert!(
        matches!(err, hibob::Error::InvalidRequest { .. }),
        "{err:?}"
    );
    assert_eq!(request_count(server).await, 0, "nothing was sent");
}

/// A client with no timers of its own (no attempt, operation or pool idle
/// timeouts): on a paused clock tokio jumps to the next timer whenever the
/// runtime waits, so only the code under test may move time.
pub fn paused_client(fake: &hibob::testing::FakeHibob) -> Client {
    let http = hibob::__private::http_client_builder()
        .expect("TLS setup")
        .pool_idle_timeout(None)
        .build()
        .unwrap();
    fake.client_builder()
        .http_client(http)
        .attempt_timeout(None)
        .operation_timeout(None)
        .build()
        .unwrap()
}

/// The label of the first active item of the fake's named list `list`
/// (`site`, `title`): what a create takes by name.
pub fn first_label(fake: &hibob::testing::FakeHibob, list: &str) -> String {
    let truth = fake.truth();
    let item = truth.lists[list].items.iter().find(|i| !i.archived);
    item.expect("an active item").label.clone()
}
