//! HiBob's custom tables: the tables a company creates for anything from
//! assets to certifications, their metadata, their rows per employee and in
//! bulk, typed at run time, and their writes.
//!
//! | What | Route | Here |
//! |---|---|---|
//! | every table's metadata | `GET /people/custom-tables/metadata` | [`CustomTables::metadata`] |
//! | one table's metadata | `GET /people/custom-tables/metadata/{custom_table_id}` | [`CustomTables::table`] |
//! | one employee's rows | `GET /people/custom-tables/{employee_id}/{custom_table_id}` | [`CustomTables::rows`] |
//! | many employees' rows | `GET /bulk/people/custom-tables/{custom_table_id}` | [`CustomTables::bulk`] |
//! | add a row | `POST /people/custom-tables/{employee_id}/{custom_table_id}`, body `{"values": [row]}` | [`CustomTables::add`] |
//! | update a row | `PUT …/{entry_id}`, the flat row as body | [`CustomTables::update`] |
//! | delete a row | `DELETE …/{entry_id}` | [`CustomTables::delete`] |
//!
//! Rows are keyed by column ID (`column_1663598152485`); a [`Schema`]
//! (the table's metadata and named lists, fetched once) types them: each
//! cell with its column's name and type, list items with their labels, and
//! cells of columns the metadata does not know kept and marked unknown.
//!
//! Rate limits, as HiBob documents them: 50 a minute for each read, and the
//! three writes together in one bucket, `custom-table writes`, at 10 a
//! minute. A 403 names the table's own category ("People's Data > People's
//! fields > Assets > View selected employees' Assets sections"), found in
//! the custom-table metadata, which each client caches like fields metadata.
//!
//! ```
//! use hibob::testing::{ASSETS_TABLE_ID, FakeHibob};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = FakeHibob::builder().employees(5).start().await;
//! # let client = fake.client();
//! # let id = fake.truth().employees[0].id.clone();
//! let tables = client.custom_tables().metadata().await?;
//! let assets = tables.iter().find(|t| t.name.as_deref() == Some("Assets")).unwrap();
//! assert_eq!(assets.id, ASSETS_TABLE_ID);
//!
//! // One employee's rows, each cell named and typed by the metadata.
//! let rows = client.custom_tables().rows(&id, &assets.id).typed().await?;
//! for row in &rows.rows {
//!     let serial = row.cell_named("Serial number").unwrap();
//!     assert!(serial.value.is_string());
//! }
//! # Ok(())
//! # }
//! ```

use std::future::IntoFuture;

use crate::endpoint::Endpoint;
use crate::metadata::checks as shared_checks;
use crate::models::EmployeeId;
use crate::ratelimit::Limit;
use crate::tables::{BulkRequest, BulkRoute, RestrictedColumns, TableRows, has_restricted_header};
use crate::transport::{Json, RequestFuture, request_future};
use crate::{Client, Error};
use permission::Access;

mod checks;
mod permission;

pub(crate) use permission::EDIT_ANY;
mod schema;
mod writes;

pub use crate::models::custom_tables::{
    CustomColumn, CustomRow, CustomTable, CustomTablesResponse,
};
pub use schema::{Cell, ItemLabel, Schema, TypedRow, TypedRows};
pub use writes::{RowAdd, RowUpdate};

/// `GET /people/custom-tables/metadata`: every custom table (50 a minute).
pub(crate) static METADATA: Endpoint<(), (), Json<CustomTablesResponse>> =
    Endpoint::get("/people/custom-tables/metadata").limit(Limit::per_minute(50));

/// `GET /people/custom-tables/metadata/{custom_table_id}`: one table.
static TABLE_METADATA: Endpoint<(), (), Json<CustomTable>> =
    Endpoint::get("/people/custom-tables/metadata/{custom_table_id}").limit(Limit::per_minute(50));

/// `GET /people/custom-tables/{employee_id}/{custom_table_id}`: one
/// employee's rows (50 a minute). The 403 hint is rewritten to the table's
/// category by [`permission::explain`].
static ROWS: Endpoint<RowsQuery, (), Json<TableRows<CustomRow>>> =
    Endpoint::get("/people/custom-tables/{employee_id}/{custom_table_id}")
        .limit(Limit::per_minute(50))
        .permission(permission::VIEW_ANY);

/// The per-employee read's query: `includeHumanReadable` only when asked for.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct RowsQuery {
    include_human_readable: Option<bool>,
}

/// The bulk read's route (2026 reference page).
const BULK_ROUTE: &str = "/bulk/people/custom-tables/{custom_table_id}";

impl Client {
    /// HiBob's custom tables; see [`custom_tables`](crate::custom_tables).
    pub fn custom_tables(&self) -> CustomTables<'_> {
        CustomTables { client: self }
    }
}

/// The custom-tables handle; see [`Client::custom_tables`] and the
/// [module docs](crate::custom_tables).
///
/// ```
/// use futures::TryStreamExt;
/// use hibob::testing::{CERTIFICATIONS_TABLE_ID, FakeHibob};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = FakeHibob::builder().employees(6).start().await;
/// # let client = fake.client();
/// let custom = client.custom_tables();
/// let certifications = custom.table(CERTIFICATIONS_TABLE_ID).await?;
/// assert_eq!(certifications.name.as_deref(), Some("Certifications"));
///
/// // Everyone's rows, 5 rows a page, regrouped per employee.
/// let items: Vec<_> = custom.bulk(CERTIFICATIONS_TABLE_ID).limit(5).stream().try_collect().await?;
/// assert!(!items.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomTables<'a> {
    client: &'a Client,
}

impl CustomTables<'_> {
    /// Every custom table's metadata (`GET /people/custom-tables/metadata`).
    /// Also refreshes the client's cached copy, which write checks and 403
    /// hints use.
    pub fn metadata(&self) -> RequestFuture<Vec<CustomTable>> {
        let client = self.client.clone();
        request_future(async move { Ok(permission::read_tables(&client).await?.to_vec()) })
    }

    /// One table's metadata (`GET /people/custom-tables/metadata/{custom_table_id}`);
    /// an unknown table is [`Error::NotFound`].
    pub fn table(&self, table_id: impl AsRef<str>) -> RequestFuture<CustomTable> {
        let client = self.client.clone();
        let id = table_id.as_ref().to_owned();
        request_future(
            async move { Ok(TABLE_METADATA.send(&client, &[&id], &(), &()).await?.value) },
        )
    }

    /// The [`Schema`] that types a table's rows: its metadata (from the
    /// client's cache while fresh) and, when it has list columns, the named
    /// lists with archived items (cached too). An unknown table is
    /// [`Error::InvalidRequest`]; lists the service user may not read leave
    /// list cells unlabelled ([`Schema::lists_readable`]).
    pub fn schema(&self, table_id: impl AsRef<str>) -> RequestFuture<Schema> {
        let client = self.client.clone();
        let id = table_id.as_ref().to_owned();
        request_future(async move {
            let table = known_table(&client, &id).await?;
            let has_lists = table.columns.iter().any(|c| c.list_id().is_some());
            let lists = match has_lists {
                true => shared_checks::named_lists_if_permitted(&client).await?,
                false => None,
            };
            let readable = lists.is_some() || !has_lists;
            let mut schema = Schema::new(table, lists.as_deref().cloned().unwrap_or_default());
            schema.lists_readable = readable;
            Ok(schema)
        })
    }

    /// One employee's rows of a custom table; await it for
    /// [`TableRows`]`<`[`CustomRow`]`>`, or call [`typed`](RowsRequest::typed).
    pub fn rows(&self, employee_id: impl AsRef<str>, table_id: impl AsRef<str>) -> RowsRequest {
        RowsRequest {
            client: self.client.clone(),
            employee_id: employee_id.as_ref().to_owned(),
            table_id: table_id.as_ref().to_owned(),
            human_readable: false,
        }
    }

    /// Many employees' rows of a custom table
    /// (`GET /bulk/people/custom-tables/{custom_table_id}`), through the same
    /// pager and regrouping as the built-in tables: `limit` (1–200, default
    /// 200) counts rows, so one employee's rows may span pages;
    /// `employeeIds` are chunked by 200. HiBob documents no
    /// `includeArchived` for it.
    ///
    /// Its 403 names the table's category when the client has the
    /// custom-table metadata cached (after [`metadata`](Self::metadata),
    /// [`schema`](Self::schema), a write or a per-employee read's 403), and
    /// the generic "the custom table's category" otherwise.
    pub fn bulk(&self, table_id: impl AsRef<str>) -> BulkRequest<CustomRow> {
        let id = table_id.as_ref().to_owned();
        let hint = permission::cached_hint(self.client, &id, Access::View);
        let route = BulkRoute {
            template: BULK_ROUTE,
            params: vec![id],
            permission: hint.unwrap_or(permission::VIEW_ANY),
            missing: None,
        };
        BulkRequest::new(self.client, route)
    }

    /// Adds a row to an employee's custom table; set its cells with
    /// [`RowAdd::column`], then await it.
    pub fn add(&self, employee_id: impl Into<EmployeeId>, table_id: impl AsRef<str>) -> RowAdd {
        RowAdd::new(self.client, employee_id.into(), table_id.as_ref())
    }

    /// Updates row `entry_id` of an employee's custom table; set the cells
    /// to change with [`RowUpdate::column`], then await it.
    pub fn update(
        &self,
        employee_id: impl Into<EmployeeId>,
        table_id: impl AsRef<str>,
        entry_id: i64,
    ) -> RowUpdate {
        RowUpdate::new(self.client, employee_id.into(), table_id.as_ref(), entry_id)
    }

    /// Deletes row `entry_id` of an employee's custom table
    /// (`DELETE /people/custom-tables/{employee_id}/{custom_table_id}/{entry_id}`).
    /// Idempotent: a resent delete that finds nothing counts as done.
    ///
    /// ```
    /// use hibob::testing::{ASSETS_TABLE_ID, FakeHibob};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = FakeHibob::builder().employees(5).start().await;
    /// # let client = fake.client();
    /// let truth = fake.truth();
    /// let (who, row) = truth.employees.iter()
    ///     .find_map(|e| Some((e.id.clone(), e.custom_table_rows(ASSETS_TABLE_ID).first()?["id"].as_i64()?)))
    ///     .unwrap();
    /// client.custom_tables().delete(&who, ASSETS_TABLE_ID, row).await?;
    /// let left = client.custom_tables().rows(&who, ASSETS_TABLE_ID).await?;
    /// assert!(left.rows.iter().all(|r| r.id != row));
    /// # Ok(())
    /// # }
    /// ```
    pub fn delete(
        &self,
        employee_id: impl Into<EmployeeId>,
        table_id: impl AsRef<str>,
        entry_id: i64,
    ) -> RequestFuture<crate::WriteOutcome> {
        writes::delete(self.client, employee_id.into(), table_id.as_ref(), entry_id)
    }
}

/// A table's metadata from the client's cache, or [`Error::InvalidRequest`]
/// naming the metadata read when the company has no such table.
async fn known_table(client: &Client, table_id: &str) -> Result<CustomTable, Error> {
    permission::table(client, table_id).await?.ok_or_else(|| {
        Error::invalid(format!(
            "the company has no custom table `{table_id}`; list its tables with client.custom_tables().metadata()"
        ))
    })
}

/// One employee's rows of a custom table; await it for the raw rows, or
/// call [`typed`](Self::typed). A 403 is [`Error::PermissionDenied`] naming
/// the table's category; an unknown employee or table is [`Error::NotFound`].
///
/// ```
/// use hibob::testing::{CERTIFICATIONS_TABLE_ID, FakeHibob};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// # let id = fake.truth().employees[1].id.clone();
/// let raw = client.custom_tables().rows(&id, CERTIFICATIONS_TABLE_ID).await?;
/// let typed = client.custom_tables().rows(&id, CERTIFICATIONS_TABLE_ID).typed().await?;
/// assert_eq!(raw.rows.len(), typed.rows.len());
/// # Ok(())
/// # }
/// ```
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct RowsRequest {
    client: Client,
    employee_id: String,
    table_id: String,
    human_readable: bool,
}

impl RowsRequest {
    /// Asks HiBob for each row's `humanReadable` display strings
    /// (`includeHumanReadable=true`): [`CustomRow::human_readable`], and
    /// [`Cell::human_readable`] once typed. Off by default.
    pub fn human_readable(mut self, include: bool) -> Self {
        self.human_readable = include;
        self
    }

    async fn send(self) -> Result<TableRows<CustomRow>, Error> {
        let params = [self.employee_id.as_str(), self.table_id.as_str()];
        let query = RowsQuery {
            include_human_readable: self.human_readable.then_some(true),
        };
        let received = match ROWS.send(&self.client, &params, &query, &()).await {
            Ok(received) => received,
            Err(error) => {
                return Err(
                    permission::explain(&self.client, &self.table_id, Access::View, error).await,
                );
            }
        };
        let mut rows = received.value;
        if has_restricted_header(&received.headers) && rows.restricted_columns.is_none() {
            rows.restricted_columns = Some(RestrictedColumns::default());
        }
        Ok(rows)
    }

    /// The rows typed by the table's [`Schema`] (read through the client's
    /// caches): the rows read, then the schema.
    pub fn typed(self) -> RequestFuture<TypedRows> {
        request_future(async move {
            let client = self.client.clone();
            let table_id = self.table_id.clone();
            let rows = self.send().await?;
            let schema = client.custom_tables().schema(&table_id).await?;
            Ok(TypedRows {
                rows: schema.type_rows(&rows.rows),
                restricted_columns: rows.restricted_columns,
            })
        })
    }
}

impl IntoFuture for RowsRequest {
    type Output = Result<TableRows<CustomRow>, Error>;
    type IntoFuture = RequestFuture<TableRows<CustomRow>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
