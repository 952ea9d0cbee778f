//! The tables handle's reads: one employee's rows, many employees' rows in
//! bulk, by row type or by table value.

use std::future::IntoFuture;
use std::marker::PhantomData;

use futures::TryStreamExt;
use serde::de::DeserializeOwned;

use super::bulk::{BulkRequest, BulkRoute};
use super::*;
use crate::EmployeeId;
use crate::endpoint::Endpoint;
use crate::error::Operation;
use crate::models::tables::{RestrictedColumns, TableRows};
use crate::transport::{Json, RequestFuture, request_future};
use crate::{Client, Error};

impl Client {
    /// HiBob's employee tables, per employee and in bulk; see [`tables`](crate::tables).
    pub fn tables(&self) -> Tables<'_> {
        Tables { client: self }
    }
}

/// The employee-tables handle; see [`Client::tables`] and the
/// [module docs](crate::tables) for which reads each table has.
///
/// ```
/// use futures::TryStreamExt;
/// use hibob::tables::EmployeeTable;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// # let id = fake.truth().employees[0].id.clone();
/// let tables = client.tables();
/// let lifecycle = tables.lifecycle(&id).await?;
/// let variable = tables.variable_pay(id.as_str()).await?;
/// assert!(!lifecycle.rows.is_empty());
///
/// // Tables picked at run time read as untyped rows.
/// for table in [EmployeeTable::Work, EmployeeTable::Deduction] {
///     let pages: Vec<_> = tables.bulk_of(table).pages().try_collect().await?;
///     assert!(!pages.is_empty(), "{table}");
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    pub(super) client: &'a Client,
}

/// Declares a named per-employee read and a named bulk read.
macro_rules! reads {
    ($($(#[$doc:meta])* $name:ident => $entry:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self, id: impl AsRef<str>) -> TableRequest<$entry> {
            self.rows(id)
        }
    )*};
}
macro_rules! bulk_reads {
    ($($(#[$doc:meta])* $name:ident => $entry:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> BulkRequest<$entry> {
            self.bulk()
        }
    )*};
}

impl Tables<'_> {
    reads! {
        /// One employee's lifecycle (status) history: `GET /people/{id}/lifecycle`.
        lifecycle => LifecycleEntry;
        /// One employee's employment history: `GET /people/{id}/employment`.
        employment => EmploymentEntry;
        /// One employee's work history: `GET /people/{id}/work`.
        work => WorkEntry;
        /// One employee's salary history: `GET /people/{id}/salaries`.
        salaries => SalaryEntry;
        /// One employee's variable pay: `GET /people/{id}/variable`.
        variable_pay => VariableEntry;
        /// One employee's equity grants: `GET /people/{id}/equities`.
        equities => EquityEntry;
        /// One employee's training records: `GET /people/{id}/training`.
        training => TrainingEntry;
        /// One employee's bank accounts: `GET /people/{id}/bank-accounts`.
        bank_accounts => BankAccountEntry;
    }

    bulk_reads! {
        /// Lifecycle history of many employees: `GET /bulk/people/lifecycle`.
        bulk_lifecycle => LifecycleEntry;
        /// Employment history of many employees: `GET /bulk/people/employment`.
        bulk_employment => EmploymentEntry;
        /// Work history of many employees: `GET /bulk/people/work`.
        bulk_work => WorkEntry;
        /// Salary history of many employees: `GET /bulk/people/salaries`.
        bulk_salaries => SalaryEntry;
        /// Variable pay of many employees: `GET /bulk/people/variable`.
        bulk_variable_pay => VariableEntry;
        /// Equity grants of many employees: `GET /bulk/people/equities`.
        bulk_equities => EquityEntry;
        /// Deductions of many employees: `GET /bulk/people/deduction` (there
        /// is no per-employee read; ask for one employee with
        /// [`employees`](BulkRequest::employees)).
        bulk_deduction => DeductionEntry;
        /// Entitlements of many employees: `GET /bulk/people/entitlement`.
        bulk_entitlement => EntitlementEntry;
        /// Dependents of many employees: `GET /bulk/people/dependents`.
        bulk_dependents => DependentEntry;
        /// Right-to-work entries of many employees: `GET /bulk/people/right-to-work`.
        bulk_right_to_work => RightToWorkEntry;
    }

    /// One employee's rows of the table `E` (what the named reads call).
    pub fn rows<E: PerEmployeeTable>(&self, id: impl AsRef<str>) -> TableRequest<E> {
        TableRequest::new(self.client, E::ID, id.as_ref())
    }

    /// Many employees' rows of the table `E` (what the named bulk reads call).
    pub fn bulk<E: BulkTable>(&self) -> BulkRequest<E> {
        BulkRequest::new(self.client, bulk_route(E::ID))
    }

    /// One employee's rows of a table picked at run time, untyped, in one
    /// request: the per-employee read, or for the tables HiBob serves only
    /// in bulk (deduction, entitlement, dependents, right to work) the bulk
    /// read asked for this one employee. There, an employee HiBob lists
    /// under `errors` (outside the audience) is [`Error::PermissionDenied`],
    /// as a per-employee read would answer.
    pub fn rows_of(&self, table: EmployeeTable, id: impl AsRef<str>) -> TableRequest<AnyEntry> {
        TableRequest::new(self.client, table, id.as_ref())
    }

    /// Many employees' rows of a table picked at run time, untyped. A table
    /// without a bulk read fails with [`Error::InvalidRequest`] on the first
    /// item, before anything is sent.
    pub fn bulk_of(&self, table: EmployeeTable) -> BulkRequest<AnyEntry> {
        BulkRequest::new(self.client, bulk_route(table))
    }
}

/// The bulk route of a table; a table without one gets a route the request
/// refuses before sending.
fn bulk_route(table: EmployeeTable) -> BulkRoute {
    BulkRoute {
        template: table.bulk_route().unwrap_or(""),
        params: Vec::new(),
        permission: table.read_permission(),
        missing: (!table.bulk_read()).then(|| {
            format!(
                "HiBob has no bulk read of the {} table (`{}`); read it per employee",
                table.as_str(),
                table.label()
            )
        }),
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
    table: EmployeeTable,
    employee_id: String,
    _entry: PhantomData<fn() -> E>,
}

impl<E: DeserializeOwned + Send + 'static> TableRequest<E> {
    pub(crate) fn new(client: &Client, table: EmployeeTable, employee_id: &str) -> Self {
        Self {
            client: client.clone(),
            table,
            employee_id: employee_id.to_owned(),
            _entry: PhantomData,
        }
    }

    async fn send(self) -> Result<TableRows<E>, Error> {
        match self.table.route() {
            Some(route) => self.per_employee(route).await,
            None => self.through_bulk().await,
        }
    }

    async fn per_employee(self, route: &'static str) -> Result<TableRows<E>, Error> {
        let endpoint: Endpoint<(), (), Json<TableRows<E>>> =
            Endpoint::get(route).permission(self.table.read_permission());
        let received = endpoint
            .send(&self.client, &[&self.employee_id], &(), &())
            .await?;
        let mut table = received.value;
        if has_restricted_header(&received.headers) && table.restricted_columns.is_none() {
            table.restricted_columns = Some(RestrictedColumns::default());
        }
        Ok(table)
    }

    /// The bulk read for this one employee (every table has one of the two
    /// reads; a table with neither fails in the bulk request's validation).
    async fn through_bulk(self) -> Result<TableRows<E>, Error> {
        let route = bulk_route(self.table);
        let template = route.template;
        let id = EmployeeId::from(self.employee_id);
        let mut items = BulkRequest::<E>::new(&self.client, route)
            .employees([id.clone()])
            .stream();
        let mut table = TableRows {
            rows: Vec::new(),
            restricted_columns: None,
        };
        while let Some(item) = items.try_next().await? {
            match item {
                BulkItem::Employee(history) if history.employee_id == id => {
                    table.rows = history.rows;
                    table.restricted_columns = history.restricted_columns;
                }
                BulkItem::Inaccessible(_) => return Err(outside_audience(template, self.table)),
                _ => {}
            }
        }
        Ok(table)
    }
}

/// A bulk read listed the one employee asked for under `errors`: a 403
/// naming the table's read permission, as its per-employee read would.
fn outside_audience(route: &'static str, table: EmployeeTable) -> Error {
    Error::PermissionDenied {
        operation: Operation {
            method: "GET",
            route,
        },
        status: 403,
        hint: Some(table.read_permission()),
        body: None,
    }
}

impl<E: DeserializeOwned + Send + 'static> IntoFuture for TableRequest<E> {
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
