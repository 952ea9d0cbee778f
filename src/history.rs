//! Employee history tables (lifecycle, employment, work, salaries): per
//! employee, and in bulk with HiBob's cursor pagination.

use std::future::IntoFuture;
use std::marker::PhantomData;

use chrono::NaiveDate;
use futures::stream::BoxStream;
use serde::de::DeserializeOwned;

use crate::models::EmployeeId;
use crate::models::history::{
    BulkPage, EmploymentEntry, HistoryEntry, LifecycleEntry, RestrictedColumns, SalaryEntry,
    TableValues, WorkEntry,
};
use crate::pagination::{self, BulkItem};
use crate::transport::{ApiRequest, RequestFuture, request_future};
use crate::{Client, Error};

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
}

macro_rules! table {
    ($entry:ty, $name:literal) => {
        impl sealed::Sealed for $entry {}
        impl Table for $entry {
            const ROUTE: &'static str = concat!("/people/{id}/", $name);
            const BULK_ROUTE: &'static str = concat!("/bulk/people/", $name);
        }
    };
}

table!(LifecycleEntry, "lifecycle");
table!(EmploymentEntry, "employment");
table!(WorkEntry, "work");
table!(SalaryEntry, "salaries");

/// A history table HiBob serves per employee and in bulk, as a value: what
/// the access check probes, what webhook table events name, and what the
/// fake serves.
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
    /// History tables, per employee and in bulk.
    pub fn history(&self) -> History<'_> {
        History { client: self }
    }
}

/// The history handle; see [`Client::history`].
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    client: &'a Client,
}

impl History<'_> {
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
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug)]
pub struct TableRequest<E> {
    client: Client,
    employee_id: String,
    _entry: PhantomData<fn() -> E>,
}

impl<E: Table> TableRequest<E> {
    async fn send(self) -> Result<TableValues<E>, Error> {
        let request = ApiRequest::get(E::ROUTE, &[&self.employee_id])?;
        let received = self.client.send::<TableValues<E>>(&request).await?;
        let mut table = received.value;
        if has_restricted_header(&received.headers) && table.restricted_columns.is_none() {
            table.restricted_columns = Some(RestrictedColumns::default());
        }
        Ok(table)
    }
}

impl<E: Table> IntoFuture for TableRequest<E> {
    type Output = Result<TableValues<E>, Error>;
    type IntoFuture = RequestFuture<TableValues<E>>;

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

/// A bulk history read; build it with [`History::bulk_lifecycle`] (or
/// employment, work, salaries), then call [`pages`](Self::pages) or
/// [`stream`](Self::stream).
///
/// Invalid input (`limit` outside 1–200, an empty employee ID or one
/// containing a comma) is reported as [`Error::InvalidRequest`] by the first
/// item, before anything is sent.
#[must_use = "a bulk read does nothing until it is streamed"]
#[derive(Debug, Clone)]
pub struct BulkRequest<E> {
    pub(crate) client: Client,
    pub(crate) employee_ids: Vec<EmployeeId>,
    pub(crate) limit: u32,
    pub(crate) include_archived: bool,
    _entry: PhantomData<fn() -> E>,
}

impl<E: Table> BulkRequest<E> {
    fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
            employee_ids: Vec::new(),
            limit: MAX_BULK_LIMIT,
            include_archived: false,
            _entry: PhantomData,
        }
    }

    /// Only these employees (`employeeIds`); more than 200 are sent in
    /// chunks of 200, each paginated on its own. Duplicates are sent once.
    /// Without it, every employee the service user may see. An empty ID, or
    /// one containing a comma, makes the read fail with
    /// [`Error::InvalidRequest`] before anything is sent.
    pub fn employees<I: Into<EmployeeId>>(mut self, ids: impl IntoIterator<Item = I>) -> Self {
        // A set beside the ordered list: 20,000 IDs would be quadratic with `contains`.
        let mut seen: std::collections::HashSet<EmployeeId> =
            self.employee_ids.iter().cloned().collect();
        for id in ids.into_iter().map(Into::into) {
            if seen.insert(id.clone()) {
                self.employee_ids.push(id);
            }
        }
        self
    }

    /// Table entries per page, 1–200 (default 200; HiBob's own default is 50).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    /// Includes archived columns (`includeArchived`).
    pub fn include_archived(mut self, include: bool) -> Self {
        self.include_archived = include;
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if !(1..=MAX_BULK_LIMIT).contains(&self.limit) {
            return Err(Error::invalid(format!(
                "bulk limit {} is outside HiBob's 1-{MAX_BULK_LIMIT}",
                self.limit
            )));
        }
        // `employeeIds` is one comma-separated query value: an empty ID
        // would send `employeeIds=` (or `1,,2`), and a comma would split
        // one ID in two. The ID itself stays out of the message.
        for (i, id) in self.employee_ids.iter().enumerate() {
            let position = i + 1;
            if id.as_str().trim().is_empty() {
                return Err(Error::invalid(format!(
                    "employee ID #{position} of the bulk read is empty"
                )));
            }
            if id.as_str().contains(',') {
                return Err(Error::invalid(format!(
                    "employee ID #{position} of the bulk read contains a comma, which would split it in two in `employeeIds`"
                )));
            }
        }
        Ok(())
    }

    /// The raw pages, in order: rows, per-employee `errors` HiBob returns
    /// inside a 200 (employees outside the service user's audience), and
    /// restricted columns. Stops on a null or missing next cursor; a repeated
    /// cursor, or 20 pages in a row without rows but with a next cursor, is
    /// [`Error::Pagination`]. `Unpin`; ends after its first error.
    pub fn pages(self) -> BoxStream<'static, Result<BulkPage<E>, Error>> {
        pagination::pages(self)
    }

    /// Complete per-employee histories: rows that continue on the next page
    /// are regrouped, so each employee is yielded once with all rows in
    /// order, and each per-employee error is yielded once as
    /// [`BulkItem::Inaccessible`] (HiBob repeats them on every page of a
    /// request). `Unpin`; ends after its first error.
    pub fn stream(self) -> BoxStream<'static, Result<BulkItem<E>, Error>> {
        pagination::regroup(self.pages())
    }
}

/// Whether a table hides history: its earliest row starts after the
/// employee's start date, so earlier rows exist but were not returned. That
/// is the mark of a permission group with "… sections" but without
/// "… section histories" (HiBob then returns the current row only).
pub fn history_hidden<E: HistoryEntry>(entries: &[E], start_date: NaiveDate) -> bool {
    entries
        .iter()
        .filter_map(|e| e.effective_date())
        .min()
        .is_some_and(|earliest| earliest > start_date)
}
