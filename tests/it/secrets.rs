//! The token never appears in Debug, Display or tracing output.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use hibob::{Client, ServiceUser};
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
