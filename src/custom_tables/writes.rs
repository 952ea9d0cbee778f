//! Custom-table writes: add (`POST`, body `{"values": [row]}`), update (`PUT
//! …/{entry_id}`, the flat row) and delete, checked against the table's
//! metadata before anything is sent.
//!
//! HiBob answers a wrapped `PUT` (`{"values": …}`) with 200 and changes
//! nothing, so the add and the update are two builder types whose bodies
//! serialize differently ([`AddBody`] wraps, [`UpdateBody`] never does),
//! neither takes a raw body, and an update refuses a column named `values`.

use std::future::IntoFuture;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::checks::{Write, check};
use super::permission::{self, Access, EDIT_ANY};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::ratelimit::Limit;
use crate::transport::{NoContent, OrUnchanged, Raw, RequestFuture, WriteOutcome, request_future};
use crate::{Client, EmployeeId, Error};

/// The bucket HiBob counts the three custom-table writes in.
const BUCKET: &str = "custom-table writes";
const ROWS_ROUTE: &str = "/people/custom-tables/{employee_id}/{custom_table_id}";
const ENTRY_ROUTE: &str = "/people/custom-tables/{employee_id}/{custom_table_id}/{entry_id}";

/// `POST …/{employee_id}/{custom_table_id}`: never resent once it may have
/// reached HiBob.
static ADD: Endpoint<(), AddBody<'static>, Raw> = Endpoint::post(ROWS_ROUTE, Retry::Create)
    .limit(Limit::per_minute(10))
    .bucket(BUCKET)
    .permission(EDIT_ANY);

/// `PUT …/{entry_id}` with the flat row: idempotent.
static UPDATE: Endpoint<(), UpdateBody<'static>, OrUnchanged<NoContent>> =
    Endpoint::put(ENTRY_ROUTE)
        .limit(Limit::per_minute(10))
        .bucket(BUCKET)
        .permission(EDIT_ANY);

/// `DELETE …/{entry_id}`: idempotent.
static DELETE: Endpoint<(), (), NoContent> = Endpoint::delete(ENTRY_ROUTE)
    .limit(Limit::per_minute(10))
    .bucket(BUCKET)
    .permission(EDIT_ANY);

/// A new row of an employee's custom table; build it with
/// [`CustomTables::add`](super::CustomTables::add), set cells by column ID,
/// then await it for the new row's ID (`None` when HiBob answers without
/// one, as its 2025 spec documents: read the rows to find it).
///
/// Checked before sending against the table's metadata (cached per client):
/// a column the table does not have is [`FieldProblem::Unknown`](crate::FieldProblem::Unknown), a
/// mandatory column left out [`FieldProblem::Missing`](crate::FieldProblem::Missing), a list column's
/// value that is not an active item of its named list
/// [`FieldProblem::NotInList`](crate::FieldProblem::NotInList) (with the closest label), and dates must be
/// `YYYY-MM-DD`, numbers numbers, money `{"value", "currency"}` with an ISO
/// 4217 code. An add is never resent once it may have reached HiBob
/// ([`Error::OutcomeUnknown`]: read the rows before adding again).
///
/// ```
/// use hibob::{Error, FieldProblem};
/// use hibob::testing::{CERTIFICATIONS_TABLE_ID, CERT_NAME_COLUMN, CERT_EXPIRY_COLUMN, FakeHibob};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// # let id = fake.truth().employees[1].id.clone();
/// let custom = client.custom_tables();
/// let before = custom.rows(&id, CERTIFICATIONS_TABLE_ID).await?.rows.len();
/// custom
///     .add(id.as_str(), CERTIFICATIONS_TABLE_ID)
///     .column(CERT_NAME_COLUMN, "Rust in production")
///     .date(CERT_EXPIRY_COLUMN, hibob::chrono::NaiveDate::from_ymd_opt(2030, 1, 31).unwrap())
///     .await?;
/// assert_eq!(custom.rows(&id, CERTIFICATIONS_TABLE_ID).await?.rows.len(), before + 1);
///
/// // A column the table does not have: refused, nothing sent.
/// let typo = custom.add(id.as_str(), CERTIFICATIONS_TABLE_ID).column(CERT_NAME_COLUMN, "x").column("column_typo", 1);
/// assert!(matches!(typo.await, Err(Error::InvalidField { problem: FieldProblem::Unknown, .. })));
/// # Ok(())
/// # }
/// ```
#[must_use = "a custom-table write does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct RowAdd {
    client: Client,
    employee_id: EmployeeId,
    table_id: String,
    row: Map<String, Value>,
}

/// A change to one row of an employee's custom table; build it with
/// [`CustomTables::update`](super::CustomTables::update), set the cells to
/// change by column ID, then await it for a [`WriteOutcome`]. Cells not set
/// keep their values.
///
/// The body is the flat row, `{"column_…": value}`, as HiBob requires
/// (a wrapped body would answer 200 and change nothing): this builder has
/// no way to send anything else, and refuses a column named `values`. The
/// cells are checked like an add's, except that mandatory columns may be
/// left out (but not set to `null`).
///
/// ```
/// use hibob::WriteOutcome;
/// use hibob::testing::{ASSETS_TABLE_ID, ASSET_SERIAL_COLUMN, FakeHibob};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// let truth = fake.truth();
/// let (who, row) = truth.employees.iter()
///     .find_map(|e| Some((e.id.clone(), e.custom_table_rows(ASSETS_TABLE_ID).first()?["id"].as_i64()?)))
///     .unwrap();
/// let change = client.custom_tables().update(who.as_str(), ASSETS_TABLE_ID, row).column(ASSET_SERIAL_COLUMN, "SN-NEW-1");
/// assert_eq!(change.await?, WriteOutcome::Applied(()));
/// let rows = client.custom_tables().rows(&who, ASSETS_TABLE_ID).await?;
/// let changed = rows.rows.iter().find(|r| r.id == row).unwrap();
/// assert_eq!(changed.columns[ASSET_SERIAL_COLUMN], "SN-NEW-1");
/// # Ok(())
/// # }
/// ```
#[must_use = "a custom-table write does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct RowUpdate {
    client: Client,
    employee_id: EmployeeId,
    table_id: String,
    entry_id: i64,
    row: Map<String, Value>,
}

/// Setters shared by both builders.
macro_rules! cell_setters {
    ($builder:ty) => {
        impl $builder {
            /// A cell by column ID (`column_1663598152485`): text as a
            /// string, numbers as numbers, list columns by item ID or label,
            /// multi-list columns as an array of them. Setting a column
            /// again replaces it.
            pub fn column(mut self, column_id: impl Into<String>, value: impl Into<Value>) -> Self {
                self.row.insert(column_id.into(), value.into());
                self
            }

            /// A date cell, sent as `YYYY-MM-DD`.
            pub fn date(self, column_id: impl Into<String>, date: NaiveDate) -> Self {
                self.column(column_id, date.to_string())
            }

            /// A money cell: `{"value": …, "currency": …}` (an ISO 4217 code).
            pub fn money(
                self,
                column_id: impl Into<String>,
                value: f64,
                currency: impl Into<String>,
            ) -> Self {
                let money = serde_json::json!({ "value": value, "currency": currency.into() });
                self.column(column_id, money)
            }
        }
    };
}
cell_setters!(RowAdd);
cell_setters!(RowUpdate);

impl RowAdd {
    pub(super) fn new(client: &Client, employee_id: EmployeeId, table_id: &str) -> Self {
        Self {
            client: client.clone(),
            employee_id,
            table_id: table_id.to_owned(),
            row: Map::new(),
        }
    }

    async fn send(self) -> Result<Option<i64>, Error> {
        check(&self.client, &self.table_id, &self.row, Write::Add).await?;
        let body = AddBody {
            values: [&self.row],
        };
        let params = [self.employee_id.as_str(), self.table_id.as_str()];
        let answer = match ADD.send(&self.client, &params, &(), &body).await {
            Ok(answer) => answer.value,
            Err(e) => {
                return Err(
                    permission::explain(&self.client, &self.table_id, Access::Edit, e).await,
                );
            }
        };
        answer.created_id()
    }
}

impl IntoFuture for RowAdd {
    type Output = Result<Option<i64>, Error>;
    type IntoFuture = RequestFuture<Option<i64>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

impl RowUpdate {
    pub(super) fn new(
        client: &Client,
        employee_id: EmployeeId,
        table_id: &str,
        entry_id: i64,
    ) -> Self {
        Self {
            client: client.clone(),
            employee_id,
            table_id: table_id.to_owned(),
            entry_id,
            row: Map::new(),
        }
    }

    async fn send(self) -> Result<WriteOutcome, Error> {
        let body = UpdateBody(&self.row);
        body.validate()?;
        check(&self.client, &self.table_id, &self.row, Write::Update).await?;
        let entry = self.entry_id.to_string();
        let params = [
            self.employee_id.as_str(),
            self.table_id.as_str(),
            entry.as_str(),
        ];
        match UPDATE.send(&self.client, &params, &(), &body).await {
            Ok(answer) => Ok(answer.value),
            Err(e) => Err(permission::explain(&self.client, &self.table_id, Access::Edit, e).await),
        }
    }
}

impl IntoFuture for RowUpdate {
    type Output = Result<WriteOutcome, Error>;
    type IntoFuture = RequestFuture<WriteOutcome>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

/// `DELETE …/{entry_id}`; the transport's write policy counts a resent
/// delete answered 404 as done.
pub(super) fn delete(
    client: &Client,
    employee_id: EmployeeId,
    table_id: &str,
    entry_id: i64,
) -> RequestFuture<WriteOutcome> {
    let client = client.clone();
    let table_id = table_id.to_owned();
    request_future(async move {
        let entry = entry_id.to_string();
        let params = [employee_id.as_str(), table_id.as_str(), entry.as_str()];
        match DELETE.send(&client, &params, &(), &()).await {
            Ok(_) => Ok(WriteOutcome::Applied(())),
            Err(e) => Err(permission::explain(&client, &table_id, Access::Edit, e).await),
        }
    })
}

/// An add's body: `{"values": [row]}`.
#[derive(Serialize)]
pub(crate) struct AddBody<'a> {
    values: [&'a Map<String, Value>; 1],
}

impl Payload for AddBody<'_> {}

/// An update's body: the flat row, `{"column_…": value}`, never wrapped.
#[derive(Serialize)]
#[serde(transparent)]
pub(crate) struct UpdateBody<'a>(&'a Map<String, Value>);

impl Payload for UpdateBody<'_> {
    fn validate(&self) -> Result<(), Error> {
        if self.0.contains_key("values") {
            return Err(Error::invalid(
                "a custom-table update cannot set a column named `values`: HiBob would read the body as wrapped, answer 200 and change nothing; columns are keyed by their IDs (`column_…`)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn row(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_three_writes_share_one_bucket_of_ten_a_minute() {
        let declared = [
            (ADD.bucket, ADD.limit, ADD.retry),
            (UPDATE.bucket, UPDATE.limit, UPDATE.retry),
            (DELETE.bucket, DELETE.limit, DELETE.retry),
        ];
        for (bucket, limit, _) in declared {
            assert_eq!(bucket, Some("custom-table writes"));
            assert_eq!(limit, Some(Limit::per_minute(10)));
        }
        assert_eq!(declared[0].2, Retry::Create, "an add is never resent");
        assert_eq!(declared[1].2, Retry::Idempotent);
    }

    #[test]
    fn the_two_bodies_serialize_wrapped_and_flat() {
        let cells = row(json!({"column_serial": "SN-1"}));
        let add = serde_json::to_value(AddBody { values: [&cells] }).unwrap();
        assert_eq!(add, json!({"values": [{"column_serial": "SN-1"}]}));
        let update = serde_json::to_value(UpdateBody(&cells)).unwrap();
        assert_eq!(update, json!({"column_serial": "SN-1"}));
        let wrapped = row(json!({"values": [{"column_serial": "SN-1"}]}));
        assert!(matches!(
            UpdateBody(&wrapped).validate(),
            Err(Error::InvalidRequest { .. })
        ));
    }
}
