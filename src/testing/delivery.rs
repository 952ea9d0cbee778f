//! Signed webhook delivery: the fake POSTs a Bob v2 event for each mutation
//! to a URL the test gives, signed as Bob signs (`Bob-Signature`: Base64 of
//! the HMAC-SHA512 of the raw body, keyed with the secret), in order, one at
//! a time, from a background task. Behind the `webhooks` feature, which
//! brings the signing code.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use tokio::sync::{mpsc, watch};

use super::FakeHibob;
use super::webhook_events::Outgoing;
use crate::webhooks::{self, Event, EventType, SIGNATURE_HEADER, WebhookError};

/// The `companyId` of every event the fake sends.
pub const WEBHOOK_COMPANY_ID: u64 = 636_192;

/// Where and how the fake delivers webhooks; see
/// [`FakeHibob::deliver_webhooks_to`].
///
/// ```
/// use std::time::Duration;
/// use hibob::testing::WebhookTarget;
///
/// // A listener that must survive one failure: two attempts, 5 ms apart.
/// let target = WebhookTarget::new("http://127.0.0.1:8080/bob", "whsec-test")
///     .attempts(2)
///     .retry_delay(Duration::from_millis(5));
/// # let _ = target;
/// ```
#[derive(Debug)]
#[must_use = "pass the target to FakeHibob::deliver_webhooks_to"]
pub struct WebhookTarget {
    url: String,
    secret: SecretString,
    attempts: u32,
    retry_delay: Duration,
    timeout: Duration,
}

impl WebhookTarget {
    /// Deliveries to `url`, signed with `secret`: up to 3 attempts per
    /// event, 10 ms apart, each given 5 s for an answer.
    pub fn new(url: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            secret: SecretString::from(secret.into()),
            attempts: 3,
            retry_delay: Duration::from_millis(10),
            timeout: Duration::from_secs(5),
        }
    }

    /// How many times an event is sent until the listener answers 2xx
    /// (at least 1). Bob retries for days; a test needs only a few.
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// The pause between attempts (a Tokio sleep, so a paused clock skips it).
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.retry_delay = delay;
        self
    }
}

/// One event the fake delivered (or tried to), with every attempt's result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The event's `type`.
    pub event_type: EventType,
    /// The employee the event is about (`data.employeeId`).
    pub employee_id: String,
    /// The body exactly as sent (compact JSON).
    pub body: String,
    /// The `Bob-Signature` header sent with it.
    pub signature: String,
    /// Each attempt's HTTP status, in order; `None` when no answer came
    /// (connection refused, reset or timed out). Stops at the first 2xx.
    pub attempts: Vec<Option<u16>>,
}

impl WebhookDelivery {
    /// Whether the listener accepted the event (its last attempt got a 2xx;
    /// see [`FakeHibob::webhook_deliveries`] for an example).
    pub fn delivered(&self) -> bool {
        matches!(self.attempts.last(), Some(Some(status)) if (200..300).contains(status))
    }

    /// The body parsed with [`webhooks::parse_event`], as a listener reads
    /// it (example at [`FakeHibob::webhook_deliveries`]).
    ///
    /// # Errors
    /// [`WebhookError::Decode`] if the body is not an event (a fake bug).
    pub fn event(&self) -> Result<Event, WebhookError> {
        webhooks::parse_event(self.body.as_bytes())
    }
}

/// An event waiting for the delivery task.
struct Job {
    event_type: EventType,
    employee_id: String,
    body: String,
}

/// The fake's side of delivery: the queue to the task and what it did.
#[derive(Debug)]
pub(crate) struct Outbox {
    shared: Arc<Mutex<Sent>>,
    /// How many queued events the task has finished with (delivered or given up).
    done: Arc<watch::Sender<u64>>,
}

#[derive(Debug, Default)]
struct Sent {
    queue: Option<mpsc::UnboundedSender<Job>>,
    queued: u64,
    log: Vec<WebhookDelivery>,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            shared: Arc::default(),
            done: Arc::new(watch::channel(0).0),
        }
    }
}

fn lock(sent: &Mutex<Sent>) -> MutexGuard<'_, Sent> {
    sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Outbox {
    fn start(&self, target: WebhookTarget) {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(run(
            jobs,
            target,
            Arc::clone(&self.shared),
            Arc::clone(&self.done),
        ));
        lock(&self.shared).queue = Some(queue);
    }

    fn send(&self, events: Vec<Outgoing>) {
        let mut sent = lock(&self.shared);
        let Some(queue) = sent.queue.clone() else {
            return;
        };
        for event in events {
            let job = Job {
                event_type: EventType::from_wire(event.event_type),
                employee_id: event.employee_id.clone(),
                body: body(&event),
            };
            // The task ends only when the queue's sender is gone; were it
            // gone anyway, an unsent event must not be waited for.
            if queue.send(job).is_ok() {
                sent.queued += 1;
            }
        }
    }
}

/// The event as Bob sends it: compact JSON, `triggeredAt` now in UTC with
/// microseconds and no zone.
fn body(event: &Outgoing) -> String {
    let at = chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%dT%H:%M:%S%.6f");
    json!({
        "companyId": WEBHOOK_COMPANY_ID,
        "type": event.event_type,
        "triggeredBy": event.triggered_by,
        "triggeredAt": at.to_string(),
        "version": "v2",
        "data": event.data,
    })
    .to_string()
}

/// The delivery task: one event at a time, in queue order, as Bob v2 does.
async fn run(
    mut jobs: mpsc::UnboundedReceiver<Job>,
    target: WebhookTarget,
    shared: Arc<Mutex<Sent>>,
    done: Arc<watch::Sender<u64>>,
) {
    let client = crate::tls::http_client_builder_for(&target.url)
        .ok()
        .and_then(|b| b.no_proxy().timeout(target.timeout).build().ok());
    while let Some(job) = jobs.recv().await {
        let signature = webhooks::sign(&target.secret, job.body.as_bytes());
        let attempts = attempt_all(client.as_ref(), &target, &job.body, &signature).await;
        lock(&shared).log.push(WebhookDelivery {
            event_type: job.event_type,
            employee_id: job.employee_id,
            body: job.body,
            signature,
            attempts,
        });
        done.send_modify(|n| *n += 1);
    }
}

/// Sends until a 2xx or the attempts run out; each attempt's status.
async fn attempt_all(
    client: Option<&reqwest::Client>,
    target: &WebhookTarget,
    body: &str,
    signature: &str,
) -> Vec<Option<u16>> {
    let mut statuses = Vec::new();
    for attempt in 0..target.attempts {
        if attempt > 0 {
            tokio::time::sleep(target.retry_delay).await;
        }
        let status = match client {
            Some(client) => client
                .post(&target.url)
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, signature)
                .body(body.to_owned())
                .send()
                .await
                .ok()
                .map(|r| r.status().as_u16()),
            // No HTTP client for this URL (e.g. https in a build without TLS).
            None => None,
        };
        statuses.push(status);
        if status.is_some_and(|s| (200..300).contains(&s)) {
            break;
        }
    }
    statuses
}

impl FakeHibob {
    /// Delivers a signed Bob v2 webhook to `url` for every later mutation
    /// ([`hire`](Self::hire), [`terminate`](Self::terminate),
    /// [`rehire`](Self::rehire), moves, [`change_email`](Self::change_email),
    /// [`remove_employee`](Self::remove_employee)), with the
    /// `Bob-Signature` header computed from `secret` exactly as Bob does.
    /// Shorthand for [`deliver_webhooks_to`](Self::deliver_webhooks_to)`(WebhookTarget::new(url, secret))`.
    ///
    /// Delivery runs in a background task, in mutation order; wait for it
    /// with [`webhooks_flushed`](Self::webhooks_flushed). Which events each
    /// mutation sends is listed on the mutation. Events of mutations made
    /// before this call are not sent.
    ///
    /// # Panics
    /// Outside a Tokio runtime (the delivery task needs one).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use hibob::testing::FakeHibob;
    /// use hibob::webhooks::{self, EventType};
    /// use secrecy::SecretString;
    /// use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};
    ///
    /// // Your listener; here a wiremock server standing in for it.
    /// let listener = MockServer::start().await;
    /// Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&listener).await;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// fake.deliver_webhooks(format!("{}/bob", listener.uri()), "whsec-test");
    /// fake.change_email(&fake.truth().employees[1].id, "renamed@example.com");
    /// assert_eq!(fake.webhooks_flushed().await, 1);
    ///
    /// let request = &listener.received_requests().await.unwrap()[0];
    /// let signature = request.headers.get("bob-signature").and_then(|v| v.to_str().ok());
    /// let secret = SecretString::from("whsec-test");
    /// let event = webhooks::verify_and_parse(&secret, signature, &request.body).unwrap();
    /// assert_eq!(event.event_type, EventType::EmployeeUpdated);
    /// assert!(fake.webhook_deliveries()[0].delivered());
    /// # }
    /// ```
    pub fn deliver_webhooks(&self, url: impl Into<String>, secret: impl Into<String>) {
        self.deliver_webhooks_to(WebhookTarget::new(url, secret));
    }

    /// [`deliver_webhooks`](Self::deliver_webhooks) with retry settings: an
    /// event is re-sent after a non-2xx answer or no answer, up to
    /// [`WebhookTarget::attempts`] times. Replaces any earlier target;
    /// events already queued still go to the old one.
    ///
    /// # Panics
    /// Outside a Tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use hibob::testing::{FakeHibob, WebhookTarget};
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// // Nothing listens on port 9 (discard): every attempt goes unanswered.
    /// fake.deliver_webhooks_to(WebhookTarget::new("http://127.0.0.1:9/", "s").attempts(2));
    /// fake.remove_employee(&fake.truth().employees[4].id);
    /// fake.webhooks_flushed().await;
    /// let delivery = &fake.webhook_deliveries()[0];
    /// assert_eq!(delivery.attempts, [None, None]);
    /// assert!(!delivery.delivered());
    /// # }
    /// ```
    pub fn deliver_webhooks_to(&self, target: WebhookTarget) {
        self.outbox.start(target);
    }

    /// Stops delivering: later mutations send nothing (as when Bob
    /// deactivates a failing webhook). Events already queued are still sent.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
    /// fake.deliver_webhooks("http://127.0.0.1:9/", "s");
    /// fake.stop_webhooks();
    /// fake.change_email(&fake.truth().employees[1].id, "quiet@example.com");
    /// assert_eq!(fake.webhooks_flushed().await, 0);
    /// # }
    /// ```
    pub fn stop_webhooks(&self) {
        lock(&self.outbox.shared).queue = None;
    }

    /// Waits until every event queued so far has been delivered or given
    /// up on, and returns how many events the fake has handled in all
    /// (the length of [`webhook_deliveries`](Self::webhook_deliveries)).
    /// Returns at once when nothing is queued.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
    ///
    /// let listener = MockServer::start().await;
    /// Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&listener).await;
    /// let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
    /// assert_eq!(fake.webhooks_flushed().await, 0, "nothing queued");
    /// fake.deliver_webhooks(listener.uri(), "whsec-test");
    /// let truth = fake.truth();
    /// fake.move_department(&truth.employees[1].id, &truth.lists["department"].items[2].id, truth.today);
    /// // table.entry.created (work), then employee.updated (work.department)
    /// assert_eq!(fake.webhooks_flushed().await, 2);
    /// assert_eq!(listener.received_requests().await.unwrap().len(), 2);
    /// # }
    /// ```
    pub async fn webhooks_flushed(&self) -> usize {
        self.emit(Vec::new());
        let queued = lock(&self.outbox.shared).queued;
        let mut done = self.outbox.done.subscribe();
        // The sender lives in `self`, so the wait cannot lose it.
        let _ = done.wait_for(|n| *n >= queued).await;
        lock(&self.outbox.shared).log.len()
    }

    /// Every event delivered or given up on so far, in delivery order,
    /// with the body, the signature and each attempt's status.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use hibob::webhooks::{EventData, EventType};
    /// use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
    ///
    /// let listener = MockServer::start().await;
    /// Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&listener).await;
    /// let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
    /// fake.deliver_webhooks(listener.uri(), "whsec-test");
    /// let truth = fake.truth();
    /// fake.terminate(&truth.employees[3].id, truth.today);
    /// fake.webhooks_flushed().await;
    ///
    /// let sent = fake.webhook_deliveries();
    /// let types: Vec<&str> = sent.iter().map(|d| d.event_type.as_str()).collect();
    /// assert_eq!(types, ["table.entry.created", "employee.left", "employee.inactivated"]);
    /// assert!(sent.iter().all(|d| d.delivered() && d.attempts == [Some(200)]));
    /// // The body parses as a listener parses it.
    /// let EventData::TableEntry(row) = sent[0].event().unwrap().data else { unreachable!() };
    /// assert_eq!((row.table_id.as_str(), row.effective_date), ("lifecycle", Some(truth.today)));
    /// # }
    /// ```
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.emit(Vec::new());
        lock(&self.outbox.shared).log.clone()
    }

    /// Queues the events for the delivery task, if a test asked for
    /// delivery, after those of API writes still waiting (so they go in the
    /// order they happened).
    pub(super) fn emit(&self, events: Vec<Outgoing>) {
        let mut all = std::mem::take(&mut super::state::lock(&self.state).outgoing);
        all.extend(events);
        self.outbox.send(all);
    }
}
