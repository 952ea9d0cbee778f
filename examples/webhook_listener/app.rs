//! The listener's HTTP side: one route that verifies, parses and queues Bob's
//! events, answering at once. Kept apart from `main.rs` so the integration
//! tests can serve it on loopback (`tests/it/webhooks.rs` includes this file).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hibob::webhooks::{self, Event, WebhookError};
use secrecy::SecretString;
use tokio::sync::mpsc;

#[derive(Clone)]
struct Listener {
    secret: std::sync::Arc<SecretString>,
    queue: mpsc::Sender<Event>,
}

/// `POST /` (and `POST /webhooks/bob`): 401 on a missing, malformed or wrong
/// `Bob-Signature`; otherwise 200 as soon as the event is queued on `queue`
/// for a worker to process. Bob's connection test ("Ping test") gets 200
/// even unsigned. A verified body that does not parse is logged (JSON path
/// only) and acknowledged: retrying it would not help, and repeated non-200
/// answers make Bob deactivate the webhook. A full queue answers 503 so Bob
/// retries later.
pub fn router(secret: SecretString, queue: mpsc::Sender<Event>) -> Router {
    let state = Listener {
        secret: std::sync::Arc::new(secret),
        queue,
    };
    Router::new()
        .route("/", post(receive))
        .route("/webhooks/bob", post(receive))
        .with_state(state)
}

async fn receive(State(listener): State<Listener>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if let Err(e) = webhooks::verify_headers(&listener.secret, &headers, &body) {
        if webhooks::is_ping(&body) {
            return StatusCode::OK;
        }
        eprintln!("rejected a webhook request: {e}");
        return if e.is_unauthenticated() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::INTERNAL_SERVER_ERROR // the secret is misconfigured
        };
    }
    if webhooks::is_ping(&body) {
        return StatusCode::OK;
    }
    let event = match webhooks::parse_event(&body) {
        Ok(event) => event,
        Err(WebhookError::Decode { path, .. }) => {
            eprintln!("acknowledged a signed body that is not a known event shape (at `{path}`)");
            return StatusCode::OK;
        }
        Err(e) => {
            eprintln!("acknowledged a signed body that did not parse: {e}");
            return StatusCode::OK;
        }
    };
    match listener.queue.try_send(event) {
        Ok(()) => StatusCode::OK,
        Err(mpsc::error::TrySendError::Full(_)) => StatusCode::SERVICE_UNAVAILABLE,
        Err(mpsc::error::TrySendError::Closed(_)) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// One line per event, without personal data: type, employee ID, who
/// triggered it, when, and the changed field IDs or table.
pub fn describe(event: &Event) -> String {
    let employee = match (&event.data, event.employee_id()) {
        (_, Some(id)) => id.as_str(),
        (webhooks::EventData::Other(data), None) => data
            .get("employeeId")
            .and_then(|id| id.as_str())
            .unwrap_or("-"),
        _ => "-",
    };
    let mut line = format!(
        "{} company={} employee={employee} by={} at={}",
        event.event_type, event.company_id, event.triggered_by, event.triggered_at
    );
    match &event.data {
        webhooks::EventData::EmployeeUpdated(data) => {
            let fields: Vec<String> = data
                .changed_fields()
                .iter()
                .map(|f| f.to_string())
                .collect();
            line.push_str(&format!(" fields=[{}]", fields.join(",")));
        }
        webhooks::EventData::TableEntry(data) => {
            line.push_str(&format!(" table={}", data.table_id));
        }
        _ => {}
    }
    line
}
