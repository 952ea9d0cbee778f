//! `examples/webhook_listener` end to end on loopback: its router served on
//! 127.0.0.1:0, signed and unsigned POSTs sent with reqwest.

#[path = "../../../examples/webhook_listener/app.rs"]
mod app;

use std::net::SocketAddr;
use std::time::Duration;

use hibob::webhooks::{self, Event, EventType, TriggeredBy};
use secrecy::SecretString;
use serde_json::json;
use tokio::sync::mpsc;

const SECRET: &str = "listener-test-secret-6c1f";

struct Running {
    url: String,
    events: mpsc::Receiver<Event>,
    http: reqwest::Client,
}

async fn start(queue_capacity: usize) -> Running {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (queue, events) = mpsc::channel(queue_capacity);
    let router = app::router(SecretString::from(SECRET), queue);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Running {
        url: format!("http://{addr}/webhooks/bob"),
        events,
        // hibob's TLS setup: reqwest's own builder panics in the ring-only build.
        http: hibob::__private::http_client_builder()
            .unwrap()
            .no_proxy()
            .build()
            .unwrap(),
    }
}

impl Running {
    async fn post(&self, body: &[u8], signature: Option<&str>) -> u16 {
        let mut request = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request.header("Bob-Signature", signature);
        }
        request.send().await.unwrap().status().as_u16()
    }

    fn nothing_queued(&mut self) -> bool {
        matches!(
            self.events.try_recv(),
            Err(mpsc::error::TryRecvError::Empty)
        )
    }
}

fn updated_body() -> Vec<u8> {
    json!({"companyId": 636192, "type": "employee.updated", "triggeredBy": "3332883804594373380",
        "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2",
        "data": {"employeeId": "3332883894235038486",
            "fieldUpdates": [{"fieldId": "work.title"}, {"fieldId": "work.department"}]}})
    .to_string()
    .into_bytes()
}

#[tokio::test]
async fn a_signed_event_is_acknowledged_and_observed() {
    let mut running = start(8).await;
    let body = updated_body();
    let signature = webhooks::sign(&SecretString::from(SECRET), &body);
    assert_eq!(running.post(&body, Some(&signature)).await, 200);
    let event = tokio::time::timeout(Duration::from_secs(5), running.events.recv())
        .await
        .expect("the event reaches the worker")
        .expect("the queue is open");
    assert_eq!(event.event_type, EventType::EmployeeUpdated);
    assert_eq!(event.employee_id().unwrap().as_str(), "3332883894235038486");
    assert_eq!(
        event.triggered_by,
        TriggeredBy::Employee("3332883804594373380".into())
    );
    assert_eq!(
        app::describe(&event),
        "employee.updated company=636192 employee=3332883894235038486 \
         by=3332883804594373380 at=2025-01-08T13:06:26.915906 fields=[work.title,work.department]"
    );
}

#[tokio::test]
async fn bad_or_missing_signatures_get_401_and_queue_nothing() {
    let mut running = start(8).await;
    let body = updated_body();
    let good = webhooks::sign(&SecretString::from(SECRET), &body);
    let wrong_secret = webhooks::sign(&SecretString::from("another-secret"), &body);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    assert_eq!(running.post(&body, Some(&wrong_secret)).await, 401);
    assert_eq!(running.post(&tampered, Some(&good)).await, 401);
    assert_eq!(running.post(&body, Some("not base64!")).await, 401);
    assert_eq!(running.post(&body, None).await, 401);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(running.nothing_queued());
}

#[tokio::test]
async fn pings_and_unknown_shapes_are_acknowledged_without_queueing() {
    let mut running = start(8).await;
    assert_eq!(running.post(b"Ping test", None).await, 200);
    assert_eq!(running.post(br#"{"text":"Ping test"}"#, None).await, 200);
    let odd = br#"{"companyId": 1, "type": "employee.created", "data": {}}"#;
    let signature = webhooks::sign(&SecretString::from(SECRET), odd);
    assert_eq!(running.post(odd, Some(&signature)).await, 200);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(running.nothing_queued());
}

#[tokio::test]
async fn a_full_queue_answers_503_so_bob_retries() {
    let running = start(1).await;
    let body = updated_body();
    let signature = webhooks::sign(&SecretString::from(SECRET), &body);
    assert_eq!(running.post(&body, Some(&signature)).await, 200);
    assert_eq!(running.post(&body, Some(&signature)).await, 503);
}
