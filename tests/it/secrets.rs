//! The token never appears in Debug, Display or tracing output, and no
//! value from a response body appears in an error's Debug or Display.

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use hibob::{Client, Error, ServiceUser};
use serde_json::{Value, json};
use wiremock::matchers::{path, path_regex};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{self, BASIC_HEADER, TOKEN};

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(text: &str) {
    let encoded = BASIC_HEADER.trim_start_matches("Basic ");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(
        !text.contains(encoded),
        "encoded credentials leaked: {text}"
    );
}

/// Every trace of this test binary, at TRACE level. Tracing caches per-callsite
/// interest globally, so a thread-local subscriber can miss events whose
/// callsites another test registered first; a global one sees them all (and
/// so checks every other test's traces for the token too).
fn captured_traces() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        captured
    })
}

#[tokio::test]
async fn the_token_stays_out_of_debug_display_and_traces() {
    let captured = captured_traces();
    let server = support::server().await;
    Mock::given(path("/v1/company/people/fields"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(path_regex("^/v1/people/ada"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;

    let builder = support::builder(&server);
    assert_clean(&format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_clean(&format!("{client:?}"));
    assert_clean(&format!("{:?}", ServiceUser::new("id", TOKEN)));

    client
        .get_json::<Value>("/company/people/fields")
        .await
        .unwrap();
    let err = client
        .post_json::<Value>("/people/{identifier}", &json!({}))
        .param("ada.lovelace+x@example.com")
        .await
        .unwrap_err();
    let remembered = client
        .get_json::<Value>("/company/people/fields")
        .await
        .unwrap_err();
    for e in [&err, &remembered] {
        assert_clean(&format!("{e:?}"));
        assert_clean(&e.to_string());
        assert!(
            !e.to_string().contains("example.com"),
            "no e-mail in errors: {e}"
        );
    }
    let config_err = Client::builder()
        .service_user("id", TOKEN)
        .base_url("http://x.com")
        .build()
        .unwrap_err();
    assert_clean(&format!("{config_err:?} {config_err}"));

    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        traces.contains("/people/{identifier}"),
        "route templates are traced: {traces}"
    );
    assert_clean(&traces);
    assert!(!traces.contains("ada.lovelace"), "no e-mail in traces");
    assert!(
        !traces.contains("example.com"),
        "no concrete URL with an e-mail in traces"
    );
}

/// An error's Debug, Display and every cause in its source chain.
fn everything_shown(error: &Error) -> Vec<String> {
    let mut texts = vec![format!("{error:?}"), error.to_string()];
    let mut cause = error.source();
    while let Some(inner) = cause {
        texts.extend([format!("{inner:?}"), inner.to_string()]);
        cause = inner.source();
    }
    texts
}

#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)]
struct FieldCount {
    id: String,
    count: u32,
}

#[tokio::test]
async fn a_decode_error_shows_the_path_and_shape_but_not_the_value() {
    let server = support::server().await;
    let body = json!([{"id": "root.email", "count": "ada.lovelace@example.com"}]);
    Mock::given(path("/v1/company/people/fields"))
        .respond_with(support::json(body))
        .mount(&server)
        .await;
    let err = support::client(&server)
        .get_json::<Vec<FieldCount>>("/company/people/fields")
        .await
        .unwrap_err();
    let Error::Decode { path, source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "[0].count");
    assert!(
        source.message().contains("invalid type: string")
            && source.message().contains("expected u32"),
        "what was found and expected stays: {source}"
    );
    let shown = everything_shown(&err);
    assert!(shown.len() >= 4, "the source chain was walked: {shown:?}");
    for text in shown {
        assert!(!text.contains("example.com"), "value leaked: {text}");
        assert!(!text.contains("ada.lovelace"), "value leaked: {text}");
    }
}

#[tokio::test]
async fn an_error_body_stays_out_of_debug_but_can_be_read_on_purpose() {
    let server = support::server().await;
    let body = json!({
        "key": "exception.email.taken",
        "error": "ada.lovelace@example.com is already used",
        "errors": {"email": "ada.lovelace@example.com"}
    });
    Mock::given(path("/v1/company/people/fields"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body))
        .mount(&server)
        .await;
    let err = support::client(&server)
        .get_json::<Value>("/company/people/fields")
        .await
        .unwrap_err();
    for text in everything_shown(&err) {
        assert!(!text.contains("example.com"), "body leaked: {text}");
    }
    assert!(format!("{err:?}").contains("exception.email.taken"));
    let body = err.api_body().unwrap();
    assert_eq!(
        body.message.as_deref(),
        Some("ada.lovelace@example.com is already used")
    );
    assert_eq!(body.field_errors["email"], "ada.lovelace@example.com");
}
