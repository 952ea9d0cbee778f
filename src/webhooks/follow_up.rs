//! From an event to the API read that fetches what changed.
//!
//! Bob's v2 payloads carry identifiers only, so every consumer follows an
//! event with a read. [`Event::follow_up`] names that read and
//! [`FollowUp::fetch`] performs it with a [`Client`].

use crate::people::Employee;
use crate::tables::{
    EmploymentEntry, HistoryTable, LifecycleEntry, SalaryEntry, TableRows, WorkEntry,
};
use crate::{Client, EmployeeId, Error, FieldId, field};

use super::data::EventData;
use super::event::{Event, EventType};

/// The read that fetches what an event is about; see [`Event::follow_up`].
///
/// A listener that queues follow-ups can merge those for the same employee:
///
/// ```
/// use hibob::webhooks::{self, FollowUp};
/// use hibob::{EmployeeId, FieldId};
///
/// let events: [&[u8]; 2] = [
///     br#"{"companyId": 636192, "type": "employee.updated", "triggeredBy": "system",
///         "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2", "data": {
///         "employeeId": "3332883894235038486", "fieldUpdates": [{"fieldId": "work.title"}]}}"#,
///     br#"{"companyId": 636192, "type": "employee.updated", "triggeredBy": "system",
///         "triggeredAt": "2025-01-08T13:07:02.104233", "version": "v2", "data": {
///         "employeeId": "3332883894235038486", "fieldUpdates": [{"fieldId": "work.site"}]}}"#,
/// ];
/// let mut fields: Vec<FieldId> = Vec::new();
/// for body in events {
///     let event = webhooks::parse_event(body)?;
///     if let Some(FollowUp::Employee { id, fields: changed }) = event.follow_up() {
///         assert_eq!(id, EmployeeId::from("3332883894235038486"));
///         fields.extend(changed);
///     }
/// }
/// let merged = FollowUp::Employee { id: "3332883894235038486".into(), fields };
/// assert_eq!(merged.employee_id().as_str(), "3332883894235038486");
/// assert!(matches!(&merged, FollowUp::Employee { fields, .. } if fields.len() == 2));
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FollowUp {
    /// Read the employee: `client.people().get(id).fields(fields)`.
    /// `fields` empty means HiBob's default field set.
    Employee {
        /// Whom to read.
        id: EmployeeId,
        /// The changed fields (`employee.updated`), or empty for the defaults.
        fields: Vec<FieldId>,
    },
    /// Read one of the employee's history tables, e.g.
    /// `client.tables().lifecycle(employee_id)`.
    Table {
        /// Whose table.
        employee_id: EmployeeId,
        /// Which table.
        table: HistoryTable,
    },
}

impl Event {
    /// The read a product needs after this event, or `None` when there is
    /// nothing to read:
    ///
    /// | Event | Follow-up |
    /// |---|---|
    /// | `employee.updated` | [`FollowUp::Employee`] with the changed fields (the defaults if none are listed) |
    /// | `employee.created`, `.joined`, `.left`, `.activated`, `.inactivated` | [`FollowUp::Employee`] with the default fields |
    /// | `table.entry.*` on `lifecycle`, `employment`, `work`, `salaries` | [`FollowUp::Table`] |
    /// | `employee.deleted` | `None`: the employee is gone |
    /// | `table.entry.*` on other tables (custom tables, bank accounts…) | `None`: not modelled by this crate; use [`Client::get_json`] |
    /// | unknown types | `None` |
    ///
    /// ```
    /// use hibob::tables::HistoryTable;
    /// use hibob::webhooks::{self, FollowUp};
    ///
    /// let follow_up = |event_type: &str, data: &str| {
    ///     let body = format!(
    ///         r#"{{"companyId": 636192, "type": "{event_type}", "triggeredBy": "system",
    ///         "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2", "data": {data}}}"#
    ///     );
    ///     webhooks::parse_event(body.as_bytes()).map(|event| event.follow_up())
    /// };
    /// let ada = r#"{"employeeId": "3332883894235038486"}"#;
    /// assert_eq!(
    ///     follow_up("employee.joined", ada)?,
    ///     Some(FollowUp::Employee { id: "3332883894235038486".into(), fields: vec![] })
    /// );
    /// assert_eq!(follow_up("employee.deleted", ada)?, None);
    /// assert_eq!(
    ///     follow_up(
    ///         "table.entry.created",
    ///         r#"{"employeeId": "3332883894235038486", "tableId": "employment", "effectiveDate": "2025-01-08"}"#
    ///     )?,
    ///     Some(FollowUp::Table {
    ///         employee_id: "3332883894235038486".into(),
    ///         table: HistoryTable::Employment
    ///     })
    /// );
    /// # Ok::<(), webhooks::WebhookError>(())
    /// ```
    pub fn follow_up(&self) -> Option<FollowUp> {
        match (&self.event_type, &self.data) {
            (EventType::EmployeeDeleted, _) => None,
            (EventType::EmployeeUpdated, EventData::EmployeeUpdated(data)) => {
                Some(FollowUp::Employee {
                    id: data.employee_id.clone(),
                    fields: data.changed_fields(),
                })
            }
            (_, EventData::Employee(data)) => Some(FollowUp::Employee {
                id: data.employee_id.clone(),
                fields: Vec::new(),
            }),
            (_, EventData::TableEntry(data)) => Some(FollowUp::Table {
                employee_id: data.employee_id.clone(),
                table: data.history_table()?,
            }),
            _ => None,
        }
    }
}

/// What [`FollowUp::fetch`] read.
///
/// ```
/// use hibob::webhooks::{self, Fetched};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// # let ada = fake.truth().employees[1].clone();
/// # let body = format!(r#"{{"companyId":636192,"type":"table.entry.created","triggeredBy":"system","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{{"employeeId":"{}","tableId":"lifecycle","effectiveDate":"2025-01-08"}}}}"#, ada.id);
/// // `body`: a verified `table.entry.created` event for Ada's lifecycle table.
/// let event = webhooks::parse_event(body.as_bytes())?;
/// let Some(follow_up) = event.follow_up() else { return Ok(()) };
/// match follow_up.fetch(&client).await? {
///     Fetched::Lifecycle(history) => {
///         assert_eq!(history.rows.len(), ada.lifecycle_history.len());
///     }
///     Fetched::Employee(employee) => panic!("a table event reads the table, not {employee:?}"),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Fetched {
    /// The employee (only the requested fields, plus `root.id`).
    Employee(Box<Employee>),
    /// The employee's lifecycle history.
    Lifecycle(TableRows<LifecycleEntry>),
    /// The employee's employment history.
    Employment(TableRows<EmploymentEntry>),
    /// The employee's work history.
    Work(TableRows<WorkEntry>),
    /// The employee's salary history.
    Salaries(TableRows<SalaryEntry>),
}

impl FollowUp {
    /// The employee the read is about.
    ///
    /// ```
    /// use hibob::tables::HistoryTable;
    /// use hibob::webhooks::FollowUp;
    ///
    /// let read = FollowUp::Table {
    ///     employee_id: "3332883854254932743".into(),
    ///     table: HistoryTable::Work,
    /// };
    /// assert_eq!(read.employee_id().as_str(), "3332883854254932743");
    /// ```
    pub fn employee_id(&self) -> &EmployeeId {
        match self {
            Self::Employee { id, .. } => id,
            Self::Table { employee_id, .. } => employee_id,
        }
    }

    /// Performs the read. Errors are the client's usual [`Error`]s: a
    /// [`PermissionDenied`](Error::PermissionDenied) names the permission the
    /// service user lacks, [`NotFound`](Error::NotFound) may mean the employee
    /// was deleted since the event.
    ///
    /// An employee read with changed fields also asks for `root.id`, so
    /// [`Employee::id`] is set.
    ///
    /// An end-to-end test of a listener, against [`FakeHibob`](crate::testing::FakeHibob):
    ///
    /// ```
    /// use hibob::webhooks::{self, Fetched};
    /// use secrecy::SecretString;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(8).start().await;
    /// # let client = fake.client();
    /// # let ada = fake.truth().employees.into_iter().find(|e| e.title.is_some()).unwrap();
    /// let secret = SecretString::from("whsec-3f9a1c27");
    /// // What Bob sends when Ada's title changes, signed as Bob signs it.
    /// let body = format!(
    ///     r#"{{"companyId":636192,"type":"employee.updated","triggeredBy":"system","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{{"employeeId":"{}","fieldUpdates":[{{"fieldId":"work.title"}}]}}}}"#,
    ///     ada.id
    /// );
    /// let signature = webhooks::sign(&secret, body.as_bytes());
    ///
    /// // The listener: verify, answer 200, then read what changed.
    /// let event = webhooks::verify_and_parse(&secret, Some(&signature), body.as_bytes())?;
    /// let follow_up = event.follow_up().expect("an update names the employee");
    /// let Fetched::Employee(employee) = follow_up.fetch(&client).await? else {
    ///     panic!("an employee.updated event reads the employee");
    /// };
    /// assert_eq!(employee.id().map(|id| id.as_str()), Some(ada.id.as_str()));
    /// assert_eq!(employee.title(), ada.title.as_ref().map(|title| title.id.as_str()));
    /// // Only the changed field (and `root.id`) was asked for.
    /// assert_eq!(employee.email(), None);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn fetch(&self, client: &Client) -> Result<Fetched, Error> {
        Ok(match self {
            Self::Employee { id, fields } => {
                let mut request = client.people().get(id.as_str());
                if !fields.is_empty() {
                    request = request.fields([field::ID]).fields(fields.iter().cloned());
                }
                Fetched::Employee(Box::new(request.await?))
            }
            Self::Table { employee_id, table } => {
                let history = client.tables();
                match table {
                    HistoryTable::Lifecycle => {
                        Fetched::Lifecycle(history.lifecycle(employee_id).await?)
                    }
                    HistoryTable::Employment => {
                        Fetched::Employment(history.employment(employee_id).await?)
                    }
                    HistoryTable::Work => Fetched::Work(history.work(employee_id).await?),
                    HistoryTable::Salaries => {
                        Fetched::Salaries(history.salaries(employee_id).await?)
                    }
                }
            }
        })
    }
}
