//! Tests of signed webhook delivery: a wiremock listener on loopback
//! receives what the mutations send, and `hibob::webhooks` verifies and
//! parses it.

use chrono::TimeDelta;
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::tests::{TODAY, fake};
use super::*;
use crate::webhooks::{self, EventData, EventType, TriggeredBy, WebhookError};

const SECRET: &str = "whsec-fake-3f9a1c27";

/// A listener answering `status` to every POST on `/bob`.
async fn listener(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/bob"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

/// What the listener received, each verified and parsed as a listener would.
async fn received(server: &MockServer) -> Vec<webhooks::Event> {
    let secret = SecretString::from(SECRET);
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|r| {
            assert_eq!(r.headers["content-type"], "application/json");
            webhooks::verify_headers(&secret, &r.headers, &r.body).expect("signed with the secret");
            webhooks::parse_event(&r.body).expect("a Bob event")
        })
        .collect()
}

fn types(events: &[webhooks::Event]) -> Vec<&str> {
    events.iter().map(|e| e.event_type.as_str()).collect()
}

fn table_of(event: &webhooks::Event) -> (&str, Option<String>) {
    let EventData::TableEntry(data) = &event.data else {
        panic!("not a table event: {event:?}");
    };
    let date = data.effective_date.map(|d| d.to_string());
    (data.table_id.as_str(), date)
}

fn fields_of(event: &webhooks::Event) -> Vec<String> {
    let EventData::EmployeeUpdated(data) = &event.data else {
        panic!("not employee.updated: {event:?}");
    };
    data.changed_fields()
        .iter()
        .map(|f| f.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn every_mutation_sends_the_events_bob_sends_signed_and_in_order() {
    let fake = fake(40).await;
    let server = listener(200).await;
    fake.deliver_webhooks(format!("{}/bob", server.uri()), SECRET);
    let truth = fake.truth();
    let (a, b, c) = (
        &truth.employees[3].id,
        &truth.employees[4].id,
        &truth.employees[5].id,
    );
    let later = TODAY + TimeDelta::days(30);

    let hired = fake.hire(NewHire::new("Ada", "Byron", "ada@example.com", TODAY));
    fake.terminate(a, TODAY - TimeDelta::days(3));
    fake.rehire(a, TODAY);
    fake.move_department(b, &truth.lists["department"].items[2].id, TODAY);
    fake.move_site(b, &truth.lists["site"].items[1].id, later);
    fake.change_manager(c, b, TODAY);
    fake.change_email(c, "c.new@example.com");
    fake.rename_list_item("department", &truth.lists["department"].items[2].id, "X");
    fake.add_list_item("title", "Staff Engineer", None);
    fake.remove_from_audience(c);
    fake.remove_employee(&hired);

    let expected = [
        "employee.created",
        "employee.joined",
        "table.entry.created",
        "employee.left",
        "employee.inactivated",
        "table.entry.created",
        "table.entry.created",
        "employee.joined",
        "employee.activated",
        "table.entry.created",
        "employee.updated",
        "table.entry.created",
        "table.entry.created",
        "employee.updated",
        "employee.updated",
        "employee.deleted",
    ];
    assert_eq!(fake.webhooks_flushed().await, expected.len());
    let events = received(&server).await;
    assert_eq!(types(&events), expected);

    let about: Vec<&str> = events
        .iter()
        .map(|e| e.employee_id().unwrap().as_str())
        .collect();
    let (h, a, b, c) = (hired.as_str(), a.as_str(), b.as_str(), c.as_str());
    assert_eq!(about, [h, h, a, a, a, a, a, a, a, b, b, b, c, c, c, h]);
    let today = Some(TODAY.to_string());
    assert_eq!(
        table_of(&events[2]),
        ("lifecycle", Some((TODAY - TimeDelta::days(3)).to_string()))
    );
    assert_eq!(table_of(&events[5]), ("lifecycle", today.clone()));
    assert_eq!(table_of(&events[6]), ("work", today.clone()));
    assert_eq!(fields_of(&events[10]), ["work.department"]);
    assert_eq!(
        table_of(&events[11]),
        ("work", Some(later.to_string())),
        "a future move: no employee.updated"
    );
    assert_eq!(fields_of(&events[13]), ["work.manager", "work.reportsTo"]);
    assert_eq!(fields_of(&events[14]), ["root.email"]);

    for event in &events {
        assert_eq!(
            (event.company_id, event.version.as_deref()),
            (WEBHOOK_COMPANY_ID, Some("v2"))
        );
        assert!(
            event.triggered_at.naive_utc().is_some(),
            "{}",
            event.triggered_at
        );
        let lifecycle = [
            "employee.joined",
            "employee.left",
            "employee.inactivated",
            "employee.activated",
        ];
        let by = if lifecycle.contains(&event.event_type.as_str()) {
            TriggeredBy::System
        } else {
            TriggeredBy::Employee(truth.admin_id.clone().into())
        };
        assert_eq!(event.triggered_by, by, "{}", event.event_type);
    }
}

#[tokio::test]
async fn deliveries_round_trip_and_a_wrong_secret_or_altered_body_fails() {
    let fake = fake(10).await;
    let server = listener(200).await;
    fake.deliver_webhooks(format!("{}/bob", server.uri()), SECRET);
    let who = fake.truth().employees[2].id.clone();
    fake.change_email(&who, "round.trip@example.com");
    assert_eq!(fake.webhooks_flushed().await, 1);

    let delivery = fake.webhook_deliveries().remove(0);
    let request = server.received_requests().await.unwrap().remove(0);
    assert_eq!(
        request.body,
        delivery.body.as_bytes(),
        "the body exactly as recorded"
    );
    assert_eq!(
        request.headers["bob-signature"],
        delivery.signature.as_str()
    );
    assert_eq!(
        (delivery.event_type.clone(), delivery.employee_id.as_str()),
        (EventType::EmployeeUpdated, who.as_str())
    );
    let event = delivery.event().expect("parses");
    let back: Value = serde_json::to_value(&event).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<Value>(&delivery.body).unwrap(),
        "nothing lost"
    );
    assert_eq!(
        back["data"],
        json!({"employeeId": who, "fieldUpdates": [{"fieldId": "root.email"}]})
    );

    let wrong = SecretString::from("not-the-secret");
    let err = webhooks::verify(&wrong, &delivery.signature, delivery.body.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSignature));
    let altered = delivery.body.replacen("\"v2\"", "\"v3\"", 1);
    assert_ne!(altered, delivery.body);
    let err = webhooks::verify(
        &SecretString::from(SECRET),
        &delivery.signature,
        altered.as_bytes(),
    )
    .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSignature));
}

#[tokio::test]
async fn a_failed_attempt_is_retried_and_every_status_recorded() {
    let fake = fake(10).await;
    let server = listener(200).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let target = WebhookTarget::new(format!("{}/bob", server.uri()), SECRET)
        .attempts(3)
        .retry_delay(std::time::Duration::from_millis(1));
    fake.deliver_webhooks_to(target);
    fake.remove_employee(&fake.truth().employees[3].id);
    assert_eq!(fake.webhooks_flushed().await, 1);

    let delivery = &fake.webhook_deliveries()[0];
    assert_eq!(delivery.attempts, [Some(500), Some(200)]);
    assert!(delivery.delivered());
    let bodies: Vec<Vec<u8>> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1], "a retry resends the same event");
}

#[tokio::test]
async fn a_listener_that_keeps_failing_loses_the_event_but_not_later_ones() {
    let fake = fake(10).await;
    let server = listener(503).await;
    let target = WebhookTarget::new(format!("{}/bob", server.uri()), SECRET)
        .attempts(2)
        .retry_delay(std::time::Duration::from_millis(1));
    fake.deliver_webhooks_to(target);
    let truth = fake.truth();
    fake.change_email(&truth.employees[1].id, "one@example.com");
    fake.change_email(&truth.employees[2].id, "two@example.com");
    assert_eq!(fake.webhooks_flushed().await, 2);

    let deliveries = fake.webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .all(|d| d.attempts == [Some(503), Some(503)] && !d.delivered())
    );
    assert_eq!(deliveries[1].employee_id, truth.employees[2].id, "in order");
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn nothing_is_sent_before_delivery_starts_or_after_it_stops() {
    let fake = fake(10).await;
    let truth = fake.truth();
    fake.change_email(&truth.employees[1].id, "before@example.com");
    assert_eq!(fake.webhooks_flushed().await, 0, "no target yet");
    let server = listener(200).await;
    fake.deliver_webhooks(format!("{}/bob", server.uri()), SECRET);
    fake.change_email(&truth.employees[2].id, "during@example.com");
    fake.stop_webhooks();
    fake.change_email(&truth.employees[3].id, "after@example.com");
    assert_eq!(fake.webhooks_flushed().await, 1);
    let events = received(&server).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].employee_id().unwrap().as_str(),
        truth.employees[2].id
    );
}

#[tokio::test]
async fn a_future_hire_or_termination_sends_no_lifecycle_event_yet() {
    let fake = fake(10).await;
    let server = listener(200).await;
    fake.deliver_webhooks(format!("{}/bob", server.uri()), SECRET);
    let later = TODAY + TimeDelta::days(10);
    fake.hire(NewHire::new("Fu", "Ture", "future@example.com", later));
    fake.terminate(&fake.truth().employees[2].id, later);
    assert_eq!(fake.webhooks_flushed().await, 2);
    let events = received(&server).await;
    assert_eq!(types(&events), ["employee.created", "table.entry.created"]);
    assert_eq!(table_of(&events[1]), ("lifecycle", Some(later.to_string())));
}
