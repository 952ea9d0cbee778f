//! The write policy and the response kinds, end to end: a write that may
//! have reached HiBob is never resent, one that surely did not is, idempotent
//! writes retry like reads, and empty, 304 and non-JSON answers are typed.

use std::time::Duration;

use hibob::testing::FakeHibob;
use hibob::{Client, Error, ErrorKind, Method, RateLimits, RetryPolicy, WriteOutcome};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support;

/// A create sent through the escape hatch (a POST, not marked retry-safe).
async fn create(client: &Client) -> Result<Value, Error> {
    client
        .post_json::<Value>("/people", &json!({"email": "ada@example.com"}))
        .await
}

fn outcome_unknown_cause(err: &Error) -> &Error {
    match err {
        Error::OutcomeUnknown { source, .. } => source,
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

/// Mounts `template` for the first POST to `/v1/people`, then a 201.
async fn post_then_created(server: &MockServer, first: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/people"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/people"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "42"})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_post_whose_connection_dropped_after_sending_is_not_resent_on_the_fake() {
    let fake = FakeHibob::builder()
        .employees(2)
        .drop_rate(1.0)
        .start()
        .await;
    let err = create(&support::fake_client(&fake)).await.unwrap_err();
    let cause = outcome_unknown_cause(&err);
    assert!(matches!(cause, Error::Transport { .. }), "{cause:?}");
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("POST /people may have been applied"),
        "{text}"
    );
    assert!(text.contains("read the record back"), "{text}");
    assert_eq!(fake.request_count(), 1, "sent exactly once");
    assert_eq!(fake.requests()[0].status, 0, "the fake dropped it");
}

#[tokio::test]
async fn a_delete_resent_after_a_drop_that_finds_nothing_succeeds_on_the_fake() {
    let fake = FakeHibob::builder().employees(2).drop_next(1).start().await;
    let done = support::fake_client(&fake)
        .request::<()>(
            Method::DELETE,
            "/timeoff/employees/{id}/requests/{requestId}",
        )
        .param(&fake.truth().employees[0].id)
        .param("7")
        .send_no_content()
        .await
        .unwrap();
    assert_eq!(done, WriteOutcome::Applied(()));
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [0, 404], "dropped, then resent and found gone");
}

#[tokio::test]
async fn a_post_refused_with_connection_refused_is_resent_once_hibob_is_up() {
    // A port nobody listens on until the fake starts there.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let fake = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        FakeHibob::builder()
            .employees(3)
            .credentials("SERVICE-USER", "token")
            .port(port)
            .start()
            .await
    });
    let client = Client::builder()
        .service_user("SERVICE-USER", "token")
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(400)).max_attempts(6))
        .build()
        .unwrap();
    let answer = client
        .request::<Value>(Method::POST, "/people/search")
        .body(&json!({"fields": ["root.id"]}))
        .await;
    let fake = fake.await.unwrap();
    // Refused at first (nothing was sent), then resent to the fake once it
    // listened: one request reached it.
    let found = answer.unwrap();
    assert_eq!(found["employees"].as_array().map(Vec::len), Some(3));
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn a_post_that_got_a_429_is_resent() {
    let server = support::server().await;
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "1");
    post_then_created(&server, busy).await;
    let created = create(&support::client(&server)).await.unwrap();
    assert_eq!(created["id"], "42");
    assert_eq!(support::request_count(&server).await, 2);
}

#[tokio::test]
async fn a_post_that_got_a_5xx_a_timeout_or_a_cut_body_is_reported_and_not_resent() {
    let cut = ResponseTemplate::new(201).set_body_raw(r#"{"id": "4"#, "application/json");
    let slow = ResponseTemplate::new(201).set_delay(Duration::from_secs(5));
    for (first, expect) in [
        (ResponseTemplate::new(502), "server"),
        (cut, "truncated"),
        (slow, "timeout"),
    ] {
        let server = support::server().await;
        post_then_created(&server, first).await;
        let client = support::builder(&server)
            .attempt_timeout(Some(Duration::from_millis(300)))
            .build()
            .unwrap();
        let err = create(&client).await.unwrap_err();
        let cause = outcome_unknown_cause(&err);
        let matched = match expect {
            "server" => matches!(cause, Error::Server { status: 502, .. }),
            "truncated" => matches!(cause, Error::Truncated { .. }),
            _ => matches!(cause, Error::Timeout { .. }),
        };
        assert!(matched, "{expect}: {cause:?}");
        assert_eq!(support::request_count(&server).await, 1, "{expect}");
    }
}

#[tokio::test]
async fn a_post_hibob_refused_keeps_its_own_error() {
    let server = support::server().await;
    let refused = ResponseTemplate::new(400).set_body_json(json!({"error": "email is required"}));
    post_then_created(&server, refused).await;
    let err = create(&support::client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(support::request_count(&server).await, 1);
}

#[tokio::test]
async fn a_post_marked_retry_safe_is_retried_like_a_read() {
    let server = support::server().await;
    post_then_created(&server, ResponseTemplate::new(503)).await;
    let found: Value = support::client(&server)
        .post_json("/people", &json!({}))
        .retry_safe(true)
        .await
        .unwrap();
    assert_eq!(found["id"], "42");
    assert_eq!(support::request_count(&server).await, 2);
}

#[tokio::test]
async fn puts_and_deletes_retry_like_reads() {
    let server = support::server().await;
    support::first_n_then(
        &server,
        "/v1/people/42",
        2,
        ResponseTemplate::new(503),
        ResponseTemplate::new(200),
    )
    .await;
    let outcome = support::client(&server)
        .request::<()>(Method::PUT, "/people/{identifier}")
        .param("42")
        .body(&json!({"work": {"title": "CTO"}}))
        .send_no_content()
        .await
        .unwrap();
    assert_eq!(outcome, WriteOutcome::Applied(()));
    assert_eq!(support::request_count(&server).await, 3);
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_was_done_by_the_first_attempt() {
    let server = support::server().await;
    Mock::given(method("DELETE"))
        .respond_with_err(|_: &wiremock::Request| std::io::Error::other("dropped after applying"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "not found"})))
        .mount(&server)
        .await;
    let route = "/timeoff/employees/{id}/requests/{requestId}";
    let client = support::client(&server);
    let done = client
        .request::<()>(Method::DELETE, route)
        .param("42")
        .param("7")
        .send_no_content()
        .await
        .unwrap();
    assert_eq!(done, WriteOutcome::Applied(()));
    assert_eq!(support::request_count(&server).await, 2);
    // A DELETE whose first attempt gets 404 is a plain 404.
    let gone = client
        .request::<()>(Method::DELETE, route)
        .param("42")
        .param("8")
        .send_no_content()
        .await
        .unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone:?}");
}

#[tokio::test]
async fn no_content_answers_and_304_are_typed() {
    let server = support::server().await;
    let answers = [
        (ResponseTemplate::new(204), WriteOutcome::Applied(())),
        (ResponseTemplate::new(200), WriteOutcome::Applied(())),
        (
            ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
            WriteOutcome::Applied(()),
        ),
        (ResponseTemplate::new(304), WriteOutcome::Unchanged),
    ];
    let client = support::client(&server);
    for (i, (template, expected)) in answers.into_iter().enumerate() {
        let route = format!("/v1/w/{i}");
        Mock::given(path(route.as_str()))
            .respond_with(template)
            .mount(&server)
            .await;
        let outcome = client
            .request::<()>(Method::PUT, format!("/w/{i}"))
            .send_no_content()
            .await
            .unwrap();
        assert_eq!(outcome, expected, "answer #{i}");
    }
    // An empty 200 where JSON is expected is an error, never an empty value.
    Mock::given(path("/v1/empty"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let err = client.get_json::<Value>("/empty").await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedContentType { .. }),
        "{err:?}"
    );
    // A web page where no body is expected is an error too.
    let page = ResponseTemplate::new(200).set_body_raw("<html></html>", "text/html");
    Mock::given(path("/v1/page"))
        .respond_with(page)
        .mount(&server)
        .await;
    let err = client
        .request::<()>(Method::PUT, "/page")
        .send_no_content()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedContentType { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn typed_reads_get_their_declared_limits_and_unlimited_drops_them() {
    let fake = FakeHibob::builder().employees(2).start().await;
    // The declaration says 50 per minute for people search: the 51st waits,
    // so with a short deadline it is refused before sending.
    let quick = fake
        .client_builder()
        .operation_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    for _ in 0..50 {
        quick.people().search().await.unwrap();
    }
    let refused = quick.people().search().await.unwrap_err();
    assert!(
        matches!(refused, Error::ClientRateLimited { .. }),
        "{refused:?}"
    );
    let unlimited = fake
        .client_builder()
        .rate_limits(RateLimits::unlimited())
        .operation_timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    for _ in 0..51 {
        unlimited.people().search().await.unwrap();
    }
    assert_eq!(unlimited.stats().rate_limit_waits, 0);
}
