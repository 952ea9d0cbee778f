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
