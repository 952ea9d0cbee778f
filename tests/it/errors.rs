//! Errors that say what to do: `kind()` for every answer, truncated bodies
//! reported as such, transport causes named, and credentials replaced while
//! the client runs.

use std::time::Duration;

use hibob::prelude::ErrorKind;
use hibob::{Client, Error, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use wiremock::matchers::{basic_auth, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support;

const FIELDS: &str = "/v1/company/people/fields";

async fn fields(client: &Client) -> Result<Value, Error> {
    client.get_json::<Value>("/company/people/fields").await
}

#[tokio::test]
async fn every_kind_of_answer_has_its_kind() {
    let cases = [
        (ResponseTemplate::new(400), ErrorKind::InvalidRequest),
        (ResponseTemplate::new(401), ErrorKind::Credentials),
        (ResponseTemplate::new(403), ErrorKind::Permission),
        (ResponseTemplate::new(404), ErrorKind::NotFound),
        (ResponseTemplate::new(429), ErrorKind::RateLimited),
        (ResponseTemplate::new(503), ErrorKind::Unavailable),
        (ResponseTemplate::new(409), ErrorKind::Bug),
        (
            ResponseTemplate::new(200).set_body_raw("<html></html>", "text/html"),
            ErrorKind::Bug,
        ),
        (
            ResponseTemplate::new(200).set_body_raw(r#"{"fields":[1,"#, "application/json"),
            ErrorKind::Unavailable,
        ),
    ];
    for (answer, kind) in cases {
        let server = support::server().await;
        Mock::given(path(FIELDS))
            .respond_with(answer)
            .mount(&server)
            .await;
        let err = fields(&support::client(&server)).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{err:?}");
    }
}

#[tokio::test]
async fn a_complete_body_of_the_wrong_shape_is_a_bug_and_not_retried() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(support::json(json!({"fields": "not a list"})))
        .expect(1)
        .mount(&server)
        .await;
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Fields {
        fields: Vec<Value>,
    }
    let err = support::client(&server)
        .get_json::<Fields>("/company/people/fields")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Bug);
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("please report"), "{err}");
}

#[tokio::test]
async fn a_truncated_body_says_so_and_is_retried() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"[{"id":"root.em"#, "application/json"),
        )
        .expect(4)
        .mount(&server)
        .await;
    let err = fields(&support::client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Truncated { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    let text = err.to_string();
    assert!(
        text.contains("cut off") && text.contains("safe to retry"),
        "{text}"
    );
    assert!(
        !text.contains("did not match") && !text.contains("please report"),
        "{text}"
    );
    assert!(!text.contains("root.em"), "no body text: {text}");
}

/// A client that tries once, so each test sees one connection's fate.
fn one_attempt(base_url: String) -> Client {
    Client::builder()
        .service_user(support::SERVICE_USER_ID, support::TOKEN)
        .base_url(base_url)
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)).max_attempts(1))
        .build()
        .unwrap()
}

/// Neither the message nor any source's message names the URL or address.
/// (hyper-util's `Debug` of a connect error shows the peer's socket address,
/// which is HiBob's, not personal data; it is left as is.)
fn assert_no_url(err: &Error, port: u16) {
    let mut shown = Vec::new();
    let mut next: Option<&dyn std::error::Error> = Some(err);
    while let Some(error) = next {
        shown.push(error.to_string());
        next = error.source();
    }
    for text in shown {
        assert!(!text.contains("127.0.0.1"), "{text}");
        assert!(!text.contains(&port.to_string()), "{text}");
        assert!(!text.contains("/company/people/fields?"), "{text}");
    }
}

#[tokio::test]
async fn a_refused_connection_is_named() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = fields(&one_attempt(format!("http://127.0.0.1:{port}/v1")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("connection was refused"), "{err}");
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.is_retryable());
    assert_no_url(&err, port);
}

/// A raw server that reads each request, then drops the connection without
/// answering: with `reset`, abortively (RST), else with a plain close (FIN).
async fn hang_up(reset: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            if reset {
                socket.set_zero_linger().unwrap();
            }
            drop(socket);
        }
    });
    port
}

#[tokio::test]
async fn a_reset_or_early_close_is_named() {
    for reset in [true, false] {
        let port = hang_up(reset).await;
        let err = fields(&one_attempt(format!("http://127.0.0.1:{port}/v1")))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert!(
            err.to_string().contains("reset or closed early"),
            "reset={reset}: {err}"
        );
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert_no_url(&err, port);
    }
}

const NEW_TOKEN: &str = "tok-rotated-NEVER-SHOWN-42";

#[tokio::test]
async fn new_credentials_on_a_clone_revive_a_rejected_client() {
    let server = support::server().await;
    Mock::given(path(FIELDS))
        .and(basic_auth("SERVICE-USER-9", NEW_TOKEN))
        .respond_with(support::json(json!(["ok"])))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(FIELDS))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let first = fields(&client).await.unwrap_err();
    assert_eq!(first.kind(), ErrorKind::Credentials);
    let remembered = fields(&client).await.unwrap_err();
    assert!(matches!(
        remembered,
        Error::InvalidCredentials {
            remembered: true,
            ..
        }
    ));
    assert!(client.stats().credentials_rejected);

    let clone = client.clone();
    for (id, token) in [("", NEW_TOKEN), ("SERVICE-USER-9", "  ")] {
        let err = clone.set_service_user(id, token).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration, "{err}");
    }
    assert!(
        client.stats().credentials_rejected,
        "a refused replacement changes nothing"
    );
    clone.set_service_user("SERVICE-USER-9", NEW_TOKEN).unwrap();

    assert!(!client.stats().credentials_rejected);
    assert_eq!(fields(&client).await.unwrap(), json!(["ok"]));
    assert_eq!(client.service_user_id(), "SERVICE-USER-9");
    let debug = format!("{client:?} {clone:?}");
    assert!(
        !debug.contains(NEW_TOKEN) && !debug.contains(support::TOKEN),
        "{debug}"
    );
    assert!(debug.contains("SERVICE-USER-9"), "{debug}");
    assert_eq!(support::request_count(&server).await, 2);
}
