//! HiBob's "Employee tables": every built-in table, per employee and in
//! bulk with HiBob's cursor pagination, their row models, entry writes, and
//! the tables' own metadata.
//!
//! # The tables, and what HiBob documents for each
//!
//! | Table | per employee `GET /people/{id}/…` | bulk `GET /bulk/people/…` | `POST` | `PUT …/{entry_id}` | `DELETE …/{entry_id}` |
//! |---|---|---|---|---|---|
//! | `lifecycle` | [`lifecycle`](Tables::lifecycle) ¹ | [`bulk_lifecycle`](Tables::bulk_lifecycle) ¹ | — ⁵ | — | — |
//! | `employment` | [`employment`](Tables::employment) ¹ | [`bulk_employment`](Tables::bulk_employment) ¹ | ¹ | ¹ | ¹ |
//! | `work` | [`work`](Tables::work) ¹ | [`bulk_work`](Tables::bulk_work) ¹ | ¹ | ¹ | ¹ |
//! | `salaries` | [`salaries`](Tables::salaries) ¹ | [`bulk_salaries`](Tables::bulk_salaries) ¹ | ¹ | — | ¹ |
//! | `variable` | [`variable_pay`](Tables::variable_pay) ¹ | [`bulk_variable_pay`](Tables::bulk_variable_pay) ² | ¹ | ² | ¹ |
//! | `equities` | [`equities`](Tables::equities) ¹ | [`bulk_equities`](Tables::bulk_equities) ² | ¹ | ¹ | ¹ |
//! | `training` | [`training`](Tables::training) ¹ | — | ¹ | — | ¹ |
//! | `bank-accounts` | [`bank_accounts`](Tables::bank_accounts) ¹ | — | ¹ | ¹ | ¹ |
//! | `deduction` | — ² | [`bulk_deduction`](Tables::bulk_deduction) ² | ² | ² | ² |
//! | `entitlement` | — ² | [`bulk_entitlement`](Tables::bulk_entitlement) ² | ² | ² | ² |
//! | `dependents` | — ³ | [`bulk_dependents`](Tables::bulk_dependents) ² | ² | ² | ² |
//! | `right-to-work` | — ³ | [`bulk_right_to_work`](Tables::bulk_right_to_work) ² | ² | ² | ² |
//! | custom tables | [`custom_tables().rows`](crate::custom_tables) ¹ | [`custom_tables().bulk`](crate::custom_tables) ⁴ | ¹ | ¹ | ¹ |
//!
//! Sources: ¹ HiBob's OpenAPI of June 2025 (`hibob-openapi-2025.yml`);
//! ² the 2026 changelog "Employee data API: New Employee Tables endpoints"
//! and its reference pages (deduction and entitlement: "no per-employee
//! GET"); ³ the same changelog lists create, update, delete and bulk-fetch
//! only, and no reference page documents a per-employee read; ⁴ the 2026
//! reference page for `GET /bulk/people/custom-tables/{custom_table_id}`;
//! ⁵ a lifecycle row comes from [`terminate`](crate::people::People::terminate)
//! and HiBob's own flows, never from a table write. The writes are
//! [`EntryWrite`]; the table metadata (`GET
//! /company/people/employee-tables/metadata`, 2026) is
//! [`Tables::metadata`].
//!
//! Bulk reads send only what each endpoint documents: `limit`, `cursor`,
//! `employeeIds`, and `includeArchived` only when asked for, only on the
//! four history tables (their docs pages document it; the 2025 OpenAPI
//! documents it nowhere).
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

use serde::de::DeserializeOwned;

mod bulk;
mod catalog;
mod entries;
pub mod entry;
mod metadata;
mod reads;
mod regroup;
mod setters;
mod writes;

pub use crate::models::tables::{
    AnyEntry, BankAccountEntry, BulkError, BulkPage, Change, DeductionEntry, DependentEntry,
    EmployeeRows, EmploymentEntry, EntitlementEntry, EntryCommon, EquityEntry, HistoryEntry,
    HistoryExt, LifecycleEntry, Money, RestrictedColumns, RightToWorkEntry, SalaryEntry,
    TableColumn, TableMetadata, TableRows, TrainingEntry, VariableEntry, WorkEntry, current,
    current_as_of, in_effect_on,
};
pub use bulk::BulkRequest;
pub(crate) use bulk::BulkRoute;
pub use catalog::{EmployeeTable, HistoryTable, UnknownTable, history_hidden};
pub use entry::{EntryKind, EntryTable};
pub use reads::{TableRequest, Tables};
pub use regroup::{BulkItem, EmployeeHistory};
pub use writes::{EntryUpdate, EntryWrite};

pub(crate) use reads::has_restricted_header;

/// HiBob's largest bulk page (`limit`), also this crate's default.
pub const MAX_BULK_LIMIT: u32 = 200;
/// HiBob's cap on `employeeIds` per bulk request; longer lists are chunked.
pub const MAX_BULK_EMPLOYEES: usize = 200;

mod sealed {
    pub trait Sealed {}
}

/// A built-in employee table's row type. Sealed: implemented by the row
/// types this module exports ([`WorkEntry`], [`VariableEntry`], …).
pub trait Table: sealed::Sealed + HistoryEntry + DeserializeOwned + Send + 'static {
    /// The table, as a value.
    const ID: EmployeeTable;
    /// The permission HiBob's 403 on its reads asks for, in Bob's UI words.
    const PERMISSION: &'static str = Self::ID.read_permission();
}

/// A table HiBob serves per employee (`GET /people/{id}/<table>`).
pub trait PerEmployeeTable: Table {
    /// The route template, e.g. `/people/{id}/lifecycle`.
    const ROUTE: &'static str;
}

/// A table HiBob serves in bulk (`GET /bulk/people/<table>`).
pub trait BulkTable: Table {
    /// The route, e.g. `/bulk/people/lifecycle`.
    const BULK_ROUTE: &'static str;
}

/// A bulk table whose docs page documents `includeArchived` (archived
/// columns): the four history tables.
pub trait ArchivedColumns: BulkTable {}

/// Declares a row type's table and the reads HiBob documents for it; the
/// routes come from the table's catalog entry, and the build fails if the
/// catalog says the read does not exist.
macro_rules! table {
    ($entry:ty => $table:ident $(, $read:ident)+) => {
        impl sealed::Sealed for $entry {}
        impl Table for $entry {
            const ID: EmployeeTable = EmployeeTable::$table;
        }
        $(table!(@$read $entry);)+
    };
    (@per_employee $entry:ty) => {
        impl PerEmployeeTable for $entry {
            const ROUTE: &'static str = match <$entry as Table>::ID.route() {
                Some(route) => route,
                None => panic!("the catalog documents no per-employee read"),
            };
        }
    };
    (@bulk $entry:ty) => {
        impl BulkTable for $entry {
            const BULK_ROUTE: &'static str = match <$entry as Table>::ID.bulk_route() {
                Some(route) => route,
                None => panic!("the catalog documents no bulk read"),
            };
        }
    };
    (@archived $entry:ty) => {
        impl ArchivedColumns for $entry {}
    };
}

table!(LifecycleEntry => Lifecycle, per_employee, bulk, archived);
table!(EmploymentEntry => Employment, per_employee, bulk, archived);
table!(WorkEntry => Work, per_employee, bulk, archived);
table!(SalaryEntry => Salaries, per_employee, bulk, archived);
table!(VariableEntry => VariablePay, per_employee, bulk);
table!(EquityEntry => Equities, per_employee, bulk);
table!(TrainingEntry => Training, per_employee);
table!(BankAccountEntry => BankAccounts, per_employee);
table!(DeductionEntry => Deduction, bulk);
table!(EntitlementEntry => Entitlement, bulk);
table!(DependentEntry => Dependents, bulk);
table!(RightToWorkEntry => RightToWork, bulk);
