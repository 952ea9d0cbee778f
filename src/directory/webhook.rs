//! A verified Bob webhook turned into a directory refresh.

use super::outcome::{DirectoryError, SyncReport};
use super::store::Store;
use super::sync::Directory;
use crate::tables::HistoryTable;
use crate::webhooks::{Event, EventData, EventType};

/// What a webhook asks of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Refresh,
    Remove,
    Ignore,
}

fn action(event: &Event) -> Action {
    match &event.event_type {
        EventType::EmployeeCreated
        | EventType::EmployeeUpdated
        | EventType::EmployeeJoined
        | EventType::EmployeeLeft
        | EventType::EmployeeActivated
        | EventType::EmployeeInactivated => Action::Refresh,
        EventType::EmployeeDeleted => Action::Remove,
        EventType::TableEntryCreated | EventType::TableEntryUpdated => match &event.data {
            EventData::TableEntry(row) if directory_table(row.history_table()) => Action::Refresh,
            _ => Action::Ignore,
        },
        _ => Action::Ignore,
    }
}

/// The tables whose rows feed [`User`](super::User) attributes.
fn directory_table(table: Option<HistoryTable>) -> bool {
    matches!(
        table,
        Some(HistoryTable::Work | HistoryTable::Lifecycle | HistoryTable::Employment)
    )
}

impl<S: Store> Directory<S> {
    /// Applies a verified webhook (see [`crate::webhooks`]):
    /// - `employee.created`, `updated`, `joined`, `left`, `activated` and
    ///   `inactivated` refresh that employee with one read;
    /// - `employee.deleted` removes them;
    /// - `table.entry.*` on the work, lifecycle and employment tables
    ///   refreshes that employee.
    ///
    /// Any other event is `Ok(None)`: nothing read, nothing stored.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hibob::directory::{Directory, EventKind, MemoryStore};
    /// use hibob::testing::FakeHibob;
    /// use hibob::webhooks;
    ///
    /// let fake = FakeHibob::builder().employees(10).seed(3).start().await;
    /// let directory = Directory::builder(fake.client(), MemoryStore::new())
    ///     .reread_delay(Duration::ZERO)
    ///     .build();
    /// directory.reconcile().await?;
    ///
    /// let leaver = fake.truth().employees[2].id.clone();
    /// fake.terminate(&leaver, chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
    /// let body = format!(r#"{{"companyId": 1, "type": "employee.left", "triggeredBy": "system",
    ///     "triggeredAt": "2026-01-31T00:00:00.000000", "data": {{"employeeId": "{leaver}"}}}}"#);
    /// let event = webhooks::parse_event(body.as_bytes())?;
    ///
    /// let report = directory.apply_webhook(&event).await?.expect("employee.left refreshes");
    /// assert!(report.events.iter().any(|e| matches!(e.kind, EventKind::UserDeactivated { .. })));
    /// # Ok(()) }
    /// ```
    pub async fn apply_webhook(&self, event: &Event) -> Result<Option<SyncReport>, DirectoryError> {
        let Some(id) = event.employee_id() else {
            return Ok(None);
        };
        match action(event) {
            Action::Refresh => self.refresh_employee(id).await.map(Some),
            Action::Remove => self.remove_employee(id).await.map(Some),
            Action::Ignore => Ok(None),
        }
    }
}
