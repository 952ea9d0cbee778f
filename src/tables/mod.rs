//! HiBob's "Employee tables": the effective-dated history tables (lifecycle,
//! employment, work, salaries), per employee and in bulk with HiBob's cursor
//! pagination, and their row models.
//!
//! ```
//! use futures::TryStreamExt;
//! use hibob::tables::{BulkItem, HistoryExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
//! # let client = fake.client();
//! # let id = fake.truth().employees[0].id.clone();
//! // One employee's work history, and the row in effect today.
//! let work = client.tables().work(&id).await?;
//! let current = work.rows.current();
//! assert!(current.is_some());
//!
//! // Everyone's lifecycle history, one complete employee at a time.
//! let mut all = client.tables().bulk_lifecycle().stream();
//! while let Some(item) = all.try_next().await? {
//!     if let BulkItem::Employee(history) = item {
//!         assert!(!history.rows.is_empty());
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::future::IntoFuture;
use std::marker::PhantomData;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::transport::{Json, RequestFuture, request_future};
use crate::{Client, Error};

mod bulk;
mod entries;
pub mod entry;
mod regroup;
mod setters;
mod writes;

pub use crate::models::tables::{
    BulkError, BulkPage, Change, EmployeeRows, EmploymentEntry, EntryCommon, HistoryEntry,
    HistoryExt, LifecycleEntry, Money, RestrictedColumns, SalaryEntry, TableRows, WorkEntry,
    current, current_as_of, in_effect_on,
};
pub use bulk::BulkRequest;
pub use entry::{EntryKind, EntryTable};
pub use regroup::{BulkItem, EmployeeHistory};
pub use writes::{EntryUpdate, EntryWrite};

/// HiBob's largest bulk page (`limit`), also this crate's default.
pub const MAX_BULK_LIMIT: u32 = 200;
/// HiBob's cap on `employeeIds` per bulk request; longer lists are chunked.
pub const MAX_BULK_EMPLOYEES: usize = 200;

mod sealed {
    pub trait Sealed {}
}

/// A history table HiBob serves per employee and in bulk. Sealed: implemented
/// by [`LifecycleEntry`], [`EmploymentEntry`], [`WorkEntry`] and [`SalaryEntry`].
pub trait Table: sealed::Sealed + HistoryEntry + DeserializeOwned + Send + 'static {
    /// Per-employee route template, e.g. `/people/{id}/lifecycle`.
    const ROUTE: &'static str;
    /// Bulk route, e.g. `/bulk/people/lifecycle`.
    const BULK_ROUTE: &'static str;
    /// The permission HiBob's 403 on either route asks for, in Bob's UI words.
    const PERMISSION: &'static str;
}

/// `GET /people/{id}/<table>`: one employee's rows, declared from the table.
fn endpoint<E: Table>() -> Endpoint<(), (), Json<TableRows<E>>> {
    Endpoint::get(E::ROUTE).permission(E::PERMISSION)
}

/// Declares a table: its path segment and the Bob permission to grant on 403.
macro_rules! table {
    ($entry:ty, $name:literal, $permission:literal) => {
        impl sealed::Sealed for $entry {}
        impl Table for $entry {
            const ROUTE: &'static str = concat!("/people/{id}/", $name);
            const BULK_ROUTE: &'static str = concat!("/bulk/people/", $name);
            const PERMISSION: &'static str = $permission;
        }
    };
}

table!(
    LifecycleEntry,
    "lifecycle",
    "People's Data > Lifecycle > View selected employees' Lifecycle section histories"
);
table!(
    EmploymentEntry,
    "employment",
    "People's Data > Employment > View selected employees' Employment section histories"
);
table!(
    WorkEntry,
    "work",
    "People's Data > Work > View selected employees' Work section histories"
);
table!(
    SalaryEntry,
    "salaries",
    "People's Data > Payroll > View selected employees' Payroll section histories"
);

/// A history table HiBob serves per employee and in bulk, as a value: what
/// the access check probes, what webhook table events name, and what the
/// fake serves.
///
/// ```
/// use hibob::tables::HistoryTable;
///
/// let table = HistoryTable::from_table_id("Salary").unwrap();
/// assert_eq!(table, HistoryTable::Salaries);
/// assert_eq!(table.category_name(), "Payroll");
/// assert_eq!(table.to_string(), "Salary history");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HistoryTable {
    /// Lifecycle (status) history; category Lifecycle.
    Lifecycle,
    /// Employment history; category Employment.
    Employment,
    /// Work history; category Work.
    Work,
    /// Salary history; category Payroll.
    Salaries,
}

impl HistoryTable {
    /// Every table.
    pub const ALL: [HistoryTable; 4] = [
        HistoryTable::Lifecycle,
        HistoryTable::Employment,
        HistoryTable::Work,
        HistoryTable::Salaries,
    ];

    /// The tables a roster needs (and the access check probes by default):
    /// lifecycle, employment and work.
    pub const DEFAULT: [HistoryTable; 3] = [
        HistoryTable::Lifecycle,
        HistoryTable::Employment,
        HistoryTable::Work,
    ];

    /// The table's name in API paths: `lifecycle`, `employment`, `work`, `salaries`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lifecycle => "lifecycle",
            Self::Employment => "employment",
            Self::Work => "work",
            Self::Salaries => "salaries",
        }
    }

    /// The permission category guarding the table (`categoryId`).
    pub fn category_id(self) -> &'static str {
        match self {
            Self::Salaries => "payroll",
            other => other.as_str(),
        }
    }

    /// The category as Bob's UI names it: Lifecycle, Employment, Work, Payroll.
    pub fn category_name(self) -> &'static str {
        match self {
            Self::Lifecycle => "Lifecycle",
            Self::Employment => "Employment",
            Self::Work => "Work",
            Self::Salaries => "Payroll",
        }
    }

    /// How the table is named in messages: `Work history`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Lifecycle => "Lifecycle history",
            Self::Employment => "Employment history",
            Self::Work => "Work history",
            Self::Salaries => "Salary history",
        }
    }

    /// The table for a name as HiBob writes it (a path segment or a webhook
    /// `tableId`), ignoring ASCII case; `salary` is accepted for salaries.
    pub fn from_table_id(table_id: &str) -> Option<Self> {
        let id = table_id.trim().to_ascii_lowercase();
        match id.as_str() {
            "salary" => Some(Self::Salaries),
            other => Self::ALL.into_iter().find(|t| t.as_str() == other),
        }
    }
}

impl std::fmt::Display for HistoryTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Client {
    /// HiBob's employee tables, per employee and in bulk; see [`tables`](crate::tables).
    pub fn tables(&self) -> Tables<'_> {
        Tables { client: self }
    }
}

/// The employee-tables handle; see [`Client::tables`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// # let id = fake.truth().employees[0].id.clone();
/// let tables = client.tables();
/// let lifecycle = tables.lifecycle(&id).await?;
/// let employment = tables.employment(id.as_str()).await?;
/// assert!(!lifecycle.rows.is_empty() && !employment.rows.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    client: &'a Client,
}

impl Tables<'_> {
    /// One employee's lifecycle (status) history: `GET /people/{id}/lifecycle`.
    pub fn lifecycle(&self, id: impl AsRef<str>) -> TableRequest<LifecycleEntry> {
        self.table(id)
    }

    /// One employee's employment history: `GET /people/{id}/employment`.
    pub fn employment(&self, id: impl AsRef<str>) -> TableRequest<EmploymentEntry> {
        self.table(id)
    }

    /// One employee's work history: `GET /people/{id}/work`.
    pub fn work(&self, id: impl AsRef<str>) -> TableRequest<WorkEntry> {
        self.table(id)
    }

    /// One employee's salary history: `GET /people/{id}/salaries`.
    pub fn salaries(&self, id: impl AsRef<str>) -> TableRequest<SalaryEntry> {
        self.table(id)
    }

    /// Lifecycle history of many employees: `GET /bulk/people/lifecycle`.
    pub fn bulk_lifecycle(&self) -> BulkRequest<LifecycleEntry> {
        BulkRequest::new(self.client)
    }

    /// Employment history of many employees: `GET /bulk/people/employment`.
    pub fn bulk_employment(&self) -> BulkRequest<EmploymentEntry> {
        BulkRequest::new(self.client)
    }

    /// Work history of many employees: `GET /bulk/people/work`.
    pub fn bulk_work(&self) -> BulkRequest<WorkEntry> {
        BulkRequest::new(self.client)
    }

    /// Salary history of many employees: `GET /bulk/people/salaries`.
    pub fn bulk_salaries(&self) -> BulkRequest<SalaryEntry> {
        BulkRequest::new(self.client)
    }

    fn table<E: Table>(&self, id: impl AsRef<str>) -> TableRequest<E> {
        TableRequest {
            client: self.client.clone(),
            employee_id: id.as_ref().to_owned(),
            _entry: PhantomData,
        }
    }
}

/// One employee's table; await it for its rows and any restricted columns.
/// A 403 is [`Error::PermissionDenied`] naming the permission to grant.
///
/// ```
/// use hibob::Error;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let fake = hibob::testing::FakeHibob::builder()
///     .employees(3)
///     .deny_category("payroll")
///     .start()
///     .await;
/// let id = fake.truth().employees[0].id.clone();
/// let denied = fake.client().tables().salaries(&id).await.unwrap_err();
/// assert!(matches!(denied, Error::PermissionDenied { .. }));
/// assert!(denied.to_string().contains("Payroll"), "{denied}");
/// # Ok(())
/// # }
/// ```
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug)]
pub struct TableRequest<E> {
    client: Client,
    employee_id: String,
    _entry: PhantomData<fn() -> E>,
}

impl<E: Table> TableRequest<E> {
    async fn send(self) -> Result<TableRows<E>, Error> {
        let received = endpoint::<E>()
            .send(&self.client, &[&self.employee_id], &(), &())
            .await?;
        let mut table = received.value;
        if has_restricted_header(&received.headers) && table.restricted_columns.is_none() {
            table.restricted_columns = Some(RestrictedColumns::default());
        }
        Ok(table)
    }
}

impl<E: Table> IntoFuture for TableRequest<E> {
    type Output = Result<TableRows<E>, Error>;
    type IntoFuture = RequestFuture<TableRows<E>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

pub(crate) fn has_restricted_header(headers: &reqwest::header::HeaderMap) -> bool {
    headers
        .get("x-has-restricted-columns")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Whether a table hides history: its earliest row starts after the
/// employee's start date, so earlier rows exist but were not returned. That
/// is the mark of a permission group with "… sections" but without
/// "… section histories" (HiBob then returns the current row only).
///
/// ```
/// use hibob::tables::{HistoryTable, history_hidden};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// let fake = hibob::testing::FakeHibob::builder()
///     .employees(30)
///     .history_current_only(HistoryTable::Work)
///     .start()
///     .await;
/// let truth = fake.truth();
/// let veteran = truth.employees.iter().find(|e| e.history(HistoryTable::Work).len() > 1).unwrap();
/// let work = fake.client().tables().work(&veteran.id).await?;
/// assert!(history_hidden(&work.rows, veteran.start_date));
/// # Ok(())
/// # }
/// ```
pub fn history_hidden<E: HistoryEntry>(entries: &[E], start_date: NaiveDate) -> bool {
    entries
        .iter()
        .filter_map(|e| e.effective_date())
        .min()
        .is_some_and(|earliest| earliest > start_date)
}
