//! The escape hatch reaches everything: any method, run-time templates, raw
//! answers (204, 304, non-JSON), with templates (never URLs) in errors.

use hibob::{Error, Method};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::support;

#[tokio::test]
async fn every_method_reaches_the_route_with_its_body() {
    let server = support::server().await;
    for verb in ["PUT", "PATCH", "DELETE", "POST"] {
        Mock::given(method(verb))
            .and(path("/v1/people/42/custom-tables/assets"))
            .and(body_json(json!({"values": [{"name": verb}]})))
            .respond_with(support::json(json!({"ok": verb})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = support::client(&server);
    for verb in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let answer: Value = client
            .request(verb.clone(), "/people/{id}/custom-tables/{table}")
            .param("42")
            .param("assets")
            .body(&json!({"values": [{"name": verb.as_str()}]}))
            .await
            .unwrap();
        assert_eq!(answer["ok"], verb.as_str());
    }
}

#[tokio::test]
async fn templates_built_at_run_time_work_and_stay_templates_in_errors() {
    let server = support::server().await;
    Mock::given(path("/v1/bulk/people/training"))
        .and(query_param("limit", "5"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;
    let table = String::from("training");
    let err = support::client(&server)
        .get_json::<Value>(format!("/bulk/people/{table}"))
        .query("limit", "5")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert_eq!(err.operation().unwrap().route, "/bulk/people/training");
    let with_id = support::client(&server)
        .get_json::<Value>("/people/{id}/training")
        .param("ada@example.com")
        .await
        .unwrap_err();
    assert!(!with_id.to_string().contains("ada@"), "{with_id}");
}

#[tokio::test]
async fn malformed_templates_are_refused_before_sending() {
    let server = support::server().await;
    let client = support::client(&server);
    for bad in [
        "people/search",
        "/people/{id",
        "/people/{}",
        "/people/a b",
        "/x?y=1",
    ] {
        let err = client.get_json::<Value>(bad.to_owned()).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{bad}: {err:?}"
        );
    }
    assert_eq!(support::request_count(&server).await, 0);
}

#[tokio::test]
async fn raw_answers_come_back_as_they_came() {
    let server = support::server().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/timeoff/requests/7"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/people/42"))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/docs/payslip"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7 binary".to_vec(), "application/pdf"),
        )
        .mount(&server)
        .await;
    let client = support::client(&server);
    let cancelled = client
        .request::<()>(Method::DELETE, "/timeoff/requests/{id}")
        .param("7")
        .send_raw()
        .await
        .unwrap();
    assert_eq!((cancelled.status, cancelled.body.len()), (204, 0));
    let unchanged = client
        .request::<()>(Method::PUT, "/people/{id}")
        .param("42")
        .body(&json!({"work": {"title": "x"}}))
        .send_raw()
        .await
        .unwrap();
    assert_eq!(unchanged.status, 304);
    let pdf = client
        .request::<()>(Method::GET, "/docs/payslip")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(pdf.content_type(), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
}

#[tokio::test]
async fn raw_errors_are_typed_and_writes_are_not_retried() {
    let server = support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/people"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let err = support::client(&server)
        .request::<()>(Method::POST, "/people")
        .body(&json!({"firstName": "Ada"}))
        .send_raw()
        .await
        .unwrap_err();
    // A 503 after sending: the create may have been applied, so it is
    // reported as such and not resent (`expect(1)`).
    let Error::OutcomeUnknown { source, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(
        matches!(**source, Error::Server { status: 503, .. }),
        "{source:?}"
    );
    assert_eq!(err.status(), Some(503));
}
