//! From an event to the API read that fetches what changed.
//!
//! Bob's v2 payloads carry identifiers only, so every consumer follows an
//! event with a read. [`Event::follow_up`] names that read and
//! [`FollowUp::fetch`] performs it with a [`Client`].

use crate::models::time_off::{RequestId, TimeOffRequest};
use crate::people::Employee;
use crate::tables::{
    AnyEntry, EmployeeTable, EmploymentEntry, HistoryTable, LifecycleEntry, SalaryEntry, TableRows,
    WorkEntry,
};
use crate::{Client, EmployeeId, Error, FieldId, field};

use super::data::EventData;
use super::event::{Event, EventType};
use super::get_api;

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
    /// Read the employee's rows of another built-in table (variable pay,
    /// bank accounts, deductions…), untyped:
    /// `client.tables().rows_of(table, employee_id)`.
    Rows {
        /// Whose rows.
        employee_id: EmployeeId,
        /// Which table.
        table: EmployeeTable,
    },
    /// Read the time-off request:
    /// `GET /timeoff/employees/{id}/requests/{requestId}`.
    ///
    /// [`fetch`](Self::fetch) follows `get_api` only when it lies under the
    /// client's base URL and names this same request; otherwise it refuses
    /// and sends nothing. `get_api: None` reads by the IDs alone.
    ///
    /// ```
    /// use hibob::time_off::RequestId;
    /// use hibob::webhooks::{self, FollowUp};
    ///
    /// let event = webhooks::parse_event(br#"{"companyId": 637323, "type": "timeoff.request.approved",
    ///     "triggeredBy": "3419283646526259215", "triggeredAt": "2024-10-03T09:31:12.503118",
    ///     "version": "v2", "data": {"timeoffRequestId": 32832853, "employeeId": "3373576791477190995",
    ///     "getApi": "https://api.hibob.com/v1/timeoff/employees/3373576791477190995/requests/32832853"}}"#)?;
    /// let Some(FollowUp::TimeOff { employee_id, request_id, get_api }) = event.follow_up() else {
    ///     unreachable!()
    /// };
    /// assert_eq!(employee_id.as_str(), "3373576791477190995");
    /// assert_eq!(request_id, RequestId::new(32832853));
    /// assert!(get_api.is_some_and(|url| url.ends_with("/requests/32832853")));
    /// # Ok::<(), webhooks::WebhookError>(())
    /// ```
    TimeOff {
        /// Whose request it is (`data.employeeId`).
        employee_id: EmployeeId,
        /// The request (`data.timeoffRequestId`).
        request_id: RequestId,
        /// Bob's ready-made URL of the same read (`data.getApi`), if sent.
        get_api: Option<String>,
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
    /// | `table.entry.*` on the other built-in tables (`variable`, `bankAccounts`, `deduction`…) | [`FollowUp::Rows`] |
    /// | `timeoff.request.*` but `.deleted` | [`FollowUp::TimeOff`] |
    /// | `employee.deleted`, `timeoff.request.deleted` | `None`: the employee or request is gone |
    /// | `table.entry.*` on tables this crate does not know (custom tables) | `None`; use [`Client::get_json`] |
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
            (_, EventData::TableEntry(data)) => {
                let employee_id = data.employee_id.clone();
                Some(match data.history_table() {
                    Some(table) => FollowUp::Table { employee_id, table },
                    None => FollowUp::Rows {
                        employee_id,
                        table: data.employee_table()?,
                    },
                })
            }
            (EventType::TimeOff(kind), _) if !kind.request_still_exists() => None,
            (_, EventData::TimeOff(data)) => Some(FollowUp::TimeOff {
                employee_id: data.employee_id.clone(),
                request_id: data.timeoff_request_id,
                get_api: data.get_api.clone(),
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
    /// The time-off request, as [`FollowUp::TimeOff`] reads it.
    ///
    /// ```
    /// use hibob::time_off::TimeOffRequest;
    /// use hibob::webhooks::Fetched;
    ///
    /// /// One line for a "who's out" channel.
    /// fn announce(fetched: &Fetched) -> Option<String> {
    ///     let Fetched::TimeOff(request) = fetched else { return None };
    ///     let kind = request.policy_type_display_name.as_deref().unwrap_or("time off");
    ///     Some(format!("{kind} from {}, approved: {}", request.start_date?, request.is_approved()))
    /// }
    ///
    /// let request: TimeOffRequest = serde_json::from_str(
    ///     r#"{"employeeId": "3373576791477190995", "requestId": 32832853,
    ///     "policyTypeDisplayName": "Holiday", "startDate": "2024-10-14", "status": "approved"}"#,
    /// )
    /// .expect("a request");
    /// assert_eq!(
    ///     announce(&Fetched::TimeOff(Box::new(request))).as_deref(),
    ///     Some("Holiday from 2024-10-14, approved: true")
    /// );
    /// ```
    TimeOff(Box<TimeOffRequest>),
    /// The employee's rows of another built-in table, as
    /// [`FollowUp::Rows`] reads them.
    Rows {
        /// Which table.
        table: EmployeeTable,
        /// Its rows, untyped.
        rows: TableRows<AnyEntry>,
    },
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
            Self::Table { employee_id, .. }
            | Self::Rows { employee_id, .. }
            | Self::TimeOff { employee_id, .. } => employee_id,
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
    /// A time-off read follows the event's `getApi` URL only when it lies
    /// under the client's [`base_url`](Client::base_url) (same scheme, host
    /// and port, below the base path), has no user name, password, query,
    /// fragment or dot segment, and is the request read of the event's own
    /// employee and request. Anything else is
    /// [`InvalidRequest`](Error::InvalidRequest) saying why, and nothing is
    /// sent: the service user's credentials never go to a URL a webhook body
    /// chose. (A refusal, rather than a quiet read by the IDs, because such
    /// an event most likely belongs to another environment, e.g. a sandbox
    /// webhook feeding a production client, where the IDs would read the
    /// wrong tenant or nothing.) The read itself is always sent as the route
    /// template `/timeoff/employees/{id}/requests/{requestId}`, which errors
    /// name.
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
            Self::Rows { employee_id, table } => Fetched::Rows {
                table: *table,
                rows: client.tables().rows_of(*table, employee_id).await?,
            },
            Self::TimeOff {
                employee_id,
                request_id,
                get_api,
            } => Fetched::TimeOff(Box::new(
                read_time_off(client, employee_id, *request_id, get_api.as_deref()).await?,
            )),
        })
    }
}

/// The time-off follow-up: `get_api` checked first, then the read by route
/// template (so the URL itself is never sent as given).
async fn read_time_off(
    client: &Client,
    employee_id: &EmployeeId,
    request_id: RequestId,
    get_api: Option<&str>,
) -> Result<TimeOffRequest, Error> {
    if let Some(url) = get_api {
        get_api::check(client.base_url(), url, employee_id, request_id)
            .map_err(get_api::Refusal::into_error)?;
    }
    client
        .time_off()
        .request(employee_id.clone(), request_id)
        .await
}
