//! One-employee refreshes and webhooks: one read, the same events a full
//! reconciliation would give, the re-read, and the employees that vanish.

use std::time::Duration;

use hibob::EmployeeId;
use hibob::directory::{Directory, DirectoryError, EventKind, Finding, MemoryStore, Store};
use hibob::testing::FakeHibob;

use super::{about, setup};

fn id(text: &str) -> EmployeeId {
    serde_json::from_value(serde_json::json!(text)).unwrap()
}

#[tokio::test]
async fn a_refresh_gives_the_events_a_full_reconciliation_would() {
    let (fake, directory) = setup(12).await;
    directory.reconcile().await.unwrap();
    let (mover, _, to) = super::move_department(&fake, 5);

    // The same change seen by a full run, on a second directory from the same start.
    let twin = Directory::builder(fake.client(), MemoryStore::new()).build();
    twin.store()
        .save(&directory.store().load().await.unwrap().unwrap(), &[])
        .await
        .unwrap();
    let full: Vec<EventKind> = twin
        .reconcile()
        .await
        .unwrap()
        .events
        .into_iter()
        .map(|e| e.kind)
        .collect();

    assert!(
        full.iter()
            .any(|k| matches!(k, EventKind::GroupMemberAdded { .. })),
        "{full:?}"
    );
    fake.reset_requests();
    let refreshed = directory.refresh_employee(&id(&mover)).await.unwrap();
    let kinds: Vec<EventKind> = refreshed.events.into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, full);
    assert_eq!(fake.request_count(), 1, "one read: {:?}", fake.requests());
    let stored = directory.store().load().await.unwrap().unwrap();
    assert_eq!(
        stored.users[&id(&mover)]
            .department
            .as_ref()
            .map(|d| d.id.as_str()),
        Some(to.as_str())
    );
}

#[tokio::test]
async fn a_refresh_that_sees_no_change_reads_once_more_after_the_delay() {
    let fake = FakeHibob::builder().employees(6).seed(16).start().await;
    let directory = Directory::builder(fake.client(), MemoryStore::new())
        .reread_delay(Duration::from_millis(30))
        .build();
    directory.reconcile().await.unwrap();
    let someone = fake.truth().employees[1].id.clone();
    fake.reset_requests();
    let report = directory.refresh_employee(&id(&someone)).await.unwrap();
    assert!(report.events.is_empty());
    assert_eq!(fake.request_count(), 2, "{:?}", fake.requests());
}

#[tokio::test]
async fn a_refresh_before_any_reconciliation_says_to_reconcile() {
    let (fake, directory) = setup(3).await;
    let someone = fake.truth().employees[0].id.clone();
    let error = directory.refresh_employee(&id(&someone)).await.unwrap_err();
    assert!(matches!(error, DirectoryError::NoBaseline));
    assert!(error.to_string().contains("reconcile"));
}

#[tokio::test]
async fn an_employee_the_service_user_cannot_see_is_a_finding_and_removed() {
    let (fake, directory) = setup(8).await;
    directory.reconcile().await.unwrap();
    let hidden = fake.truth().employees[2].id.clone();
    fake.knobs(|k| {
        k.audience_exclude([hidden.clone()]);
    });
    let report = directory.refresh_employee(&id(&hidden)).await.unwrap();
    assert!(matches!(
        about(&report.events, &hidden)[0],
        EventKind::UserRemoved { .. }
    ));
    assert!(report.findings.contains(&Finding::NotVisible {
        user_id: id(&hidden)
    }));
    let unknown = directory.refresh_employee(&id("404404404")).await.unwrap();
    assert!(unknown.events.is_empty());
    assert!(unknown.findings.contains(&Finding::NotVisible {
        user_id: id("404404404")
    }));
}

#[cfg(feature = "webhooks")]
mod webhooks {
    use hibob::directory::EventKind;
    use hibob::webhooks::{Event, parse_event};

    use super::super::{about, setup};

    fn event(kind: &str, data: &str) -> Event {
        let body = format!(
            r#"{{"companyId": 1, "type": "{kind}", "triggeredBy": "system",
            "triggeredAt": "2026-02-01T00:00:00.000000", "version": "v2", "data": {data}}}"#
        );
        parse_event(body.as_bytes()).unwrap()
    }

    #[tokio::test]
    async fn a_work_table_entry_refreshes_and_a_salary_entry_is_ignored() {
        let (fake, directory) = setup(8).await;
        directory.reconcile().await.unwrap();
        let (mover, _, to) = super::super::move_department(&fake, 3);

        fake.reset_requests();
        let salary = event(
            "table.entry.created",
            &format!(
                r#"{{"employeeId": "{}", "tableId": "salaries", "id": 3}}"#,
                mover
            ),
        );
        assert_eq!(directory.apply_webhook(&salary).await.unwrap(), None);
        assert_eq!(fake.request_count(), 0);

        let work = event(
            "table.entry.created",
            &format!(
                r#"{{"employeeId": "{}", "tableId": "work", "effectiveDate": "2026-02-01"}}"#,
                mover
            ),
        );
        let report = directory.apply_webhook(&work).await.unwrap().unwrap();
        assert!(
            about(&report.events, &mover)
                .iter()
                .any(|k| matches!(k, EventKind::GroupMemberAdded { group, .. } if group.id == to))
        );
    }

    #[tokio::test]
    async fn employee_deleted_removes_without_a_read() {
        let (fake, directory) = setup(8).await;
        directory.reconcile().await.unwrap();
        let gone = fake.truth().employees[6].id.clone();
        fake.reset_requests();
        let deleted = event(
            "employee.deleted",
            &format!(r#"{{"employeeId": "{gone}"}}"#),
        );
        let report = directory.apply_webhook(&deleted).await.unwrap().unwrap();
        assert!(matches!(
            about(&report.events, &gone)[..],
            [EventKind::UserRemoved { .. }, ..]
        ));
        assert_eq!(fake.request_count(), 0);
        assert_eq!(report.users, fake.truth().employees.len() - 1);
    }
}

/// A store that notes, at each load and save, how many single-employee
/// reads the fake had seen: a refresh overlapping a reconciliation would
/// have read before the reconciliation loaded and saved.
struct Watching {
    inner: MemoryStore,
    fake: std::sync::Arc<FakeHibob>,
    steps: std::sync::Mutex<Vec<String>>,
}

impl Watching {
    fn note(&self, step: &str) {
        let requests = self.fake.requests();
        let reads = requests
            .iter()
            .filter(|r| r.method == "POST" && !r.path.ends_with("/search"));
        let line = format!("{step} after {} reads", reads.count());
        self.steps.lock().unwrap().push(line);
    }
}

impl Store for Watching {
    async fn load(
        &self,
    ) -> Result<Option<hibob::directory::Snapshot>, hibob::directory::StoreError> {
        self.note("load");
        self.inner.load().await
    }

    async fn save(
        &self,
        snapshot: &hibob::directory::Snapshot,
        events: &[hibob::directory::Event],
    ) -> Result<Option<hibob::directory::BatchId>, hibob::directory::StoreError> {
        self.note("save");
        self.inner.save(snapshot, events).await
    }

    async fn batches_after(
        &self,
        after: Option<hibob::directory::BatchId>,
    ) -> Result<Vec<hibob::directory::Batch>, hibob::directory::StoreError> {
        self.inner.batches_after(after).await
    }
}

#[tokio::test]
async fn a_refresh_waits_for_a_running_reconciliation() {
    let fake = std::sync::Arc::new(FakeHibob::builder().employees(6).seed(16).start().await);
    let store = Watching {
        inner: MemoryStore::new(),
        fake: fake.clone(),
        steps: Default::default(),
    };
    let directory = Directory::builder(fake.client(), store)
        .reread_delay(Duration::ZERO)
        .build();
    directory.reconcile().await.unwrap();
    let someone = id(&fake.truth().employees[1].id);
    fake.knobs(|k| {
        k.stall_searches(1, Duration::from_millis(400));
    });
    let (full, one) = tokio::join!(directory.reconcile(), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        directory.refresh_employee(&someone).await
    });
    full.unwrap();
    one.unwrap();
    let steps = directory.store().steps.lock().unwrap().clone();
    let untouched = ["load after 0 reads", "save after 0 reads"];
    assert_eq!(steps[..4], [untouched, untouched].concat(), "{steps:?}");
    assert_eq!(
        steps[4..],
        ["load after 0 reads"],
        "the refresh came after: {steps:?}"
    );
}

#[tokio::test]
async fn the_re_read_catches_a_change_the_first_read_lagged_behind() {
    let fake = std::sync::Arc::new(FakeHibob::builder().employees(6).seed(16).start().await);
    let directory = Directory::builder(fake.client(), MemoryStore::new())
        .reread_delay(Duration::from_millis(300))
        .build();
    directory.reconcile().await.unwrap();
    let someone = fake.truth().employees[2].id.clone();
    // The webhook arrives before HiBob's reads show the change.
    let lagging = {
        let (fake, someone) = (fake.clone(), someone.clone());
        async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            fake.change_email(&someone, "lagged@example.com");
        }
    };
    let user = id(&someone);
    let (report, ()) = tokio::join!(directory.refresh_employee(&user), lagging);
    let report = report.unwrap();
    assert!(
        about(&report.events, &someone)
            .iter()
            .any(|k| matches!(k, EventKind::UserUpdated { changes, .. } if changes["email"].new == "lagged@example.com")),
        "{:?}",
        report.events
    );
}
