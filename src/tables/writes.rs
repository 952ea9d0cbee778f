//! The one builder behind every table-entry write: `POST` (add), `PUT` (update
//! by entry ID) and `DELETE`, checked against the table's description
//! ([`entry`](super::entry)) before anything is sent.

mod checks;
mod verify;

use std::future::IntoFuture;
use std::marker::PhantomData;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::entry::{DatedUnique, EntryKind, EntryTable, Updatable};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::transport::{NoContent, OrUnchanged, Raw, RequestFuture, WriteOutcome, request_future};
use crate::{Client, EmployeeId, Error};
use checks::{check_lists, check_static, duplicate_from, refuse_taken_date};

/// A write to one employee's table: a new entry, or (after
/// [`update`](Self::update)) a replacement of an existing one. Set columns
/// with the table's typed setters or [`column`](Self::column), then await it.
///
/// Before sending, the columns are checked against the table's contract,
/// needing no read: the columns HiBob requires (work: `effectiveDate` and
/// `site` or `siteId`; salaries: `effectiveDate`, `base` with value and
/// currency, `payPeriod` and `payFrequency`; …), dates as `YYYY-MM-DD`,
/// numbers, ISO 4217 currencies in money columns (HiBob silently drops one
/// it does not know), and list-backed columns (work `title`, `department`,
/// `site`, …) against the company's named lists (cached per client; a miss
/// names the closest label). Each refusal is [`Error::InvalidField`] naming
/// the column.
///
/// Awaiting an add gives the new entry's ID when HiBob answers with one
/// (`None` for an empty answer); an add is never resent once it may have
/// reached HiBob ([`Error::OutcomeUnknown`]: read the table before adding
/// again). Awaiting an update gives [`WriteOutcome`]; updates are idempotent
/// and retried like reads. A second entry on an effective date already
/// taken is [`FieldProblem::DuplicateEffectiveDate`](crate::FieldProblem::DuplicateEffectiveDate), whether HiBob refused
/// it or [`check_existing`](Self::check_existing) found it first.
///
/// ```
/// use hibob::{Error, FieldProblem};
/// use hibob::tables::HistoryTable;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let truth = fake.truth();
/// let who = &truth.employees[1];
/// let current = who.current_row(HistoryTable::Work).unwrap();
/// let taken = current["effectiveDate"].as_str().unwrap().parse().unwrap();
/// let again = client.tables().work_entry(&who.id).effective_date(taken).site("Paris");
/// let err = again.check_existing().await.unwrap_err();
/// assert!(matches!(
///     err,
///     Error::InvalidField { problem: FieldProblem::DuplicateEffectiveDate { existing_entry: Some(_), .. }, .. }
/// ));
///
/// // Without a required column nothing is sent.
/// let no_site = client.tables().work_entry(&who.id).effective_date(truth.today);
/// assert!(matches!(
///     no_site.await,
///     Err(Error::InvalidField { problem: FieldProblem::Missing, .. })
/// ));
/// # Ok(())
/// # }
/// ```
#[must_use = "a table write does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct EntryWrite<T> {
    client: Client,
    employee_id: EmployeeId,
    columns: Map<String, Value>,
    check_existing: bool,
    _table: PhantomData<fn() -> T>,
}

/// An [`EntryWrite`] turned into an update of entry `entry_id`
/// (`PUT /people/{id}/<table>/{entry_id}`); await it for a [`WriteOutcome`].
///
/// HiBob replaces the whole entry: documented columns left out are cleared
/// (custom columns stay unless sent), so send every column the entry keeps.
///
/// ```
/// use hibob::WriteOutcome;
/// use hibob::chrono::NaiveDate;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let id = fake.truth().employees[1].id.clone();
/// let on = NaiveDate::from_ymd_opt(2031, 9, 1).unwrap();
/// let grant = client.tables().equity_entry(&id).effective_date(on).quantity(10.0).equity_type("RSU");
/// let entry = grant.await?.unwrap();
/// let bigger = client.tables().equity_entry(&id).effective_date(on).quantity(20.0).equity_type("RSU");
/// assert_eq!(bigger.update(entry).await?, WriteOutcome::Applied(()));
/// # Ok(())
/// # }
/// ```
#[must_use = "a table write does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct EntryUpdate<T> {
    write: EntryWrite<T>,
    entry_id: i64,
}

impl<T: EntryKind> EntryWrite<T> {
    pub(crate) fn new(client: &Client, employee_id: EmployeeId) -> Self {
        Self {
            client: client.clone(),
            employee_id,
            columns: Map::new(),
            check_existing: false,
            _table: PhantomData,
        }
    }

    /// `effectiveDate`: the date the entry takes effect.
    pub fn effective_date(self, date: NaiveDate) -> Self {
        self.column("effectiveDate", date.to_string())
    }

    /// `reason`: why the change was made.
    pub fn reason(self, reason: impl Into<String>) -> Self {
        self.column("reason", reason.into())
    }

    /// Any column by its JSON key, for columns without a typed setter
    /// (dates as `YYYY-MM-DD`, list columns by item ID). Setting a key
    /// again replaces it.
    pub fn column(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.columns.insert(key.into(), value.into());
        self
    }

    /// A custom column of the table (`customColumns.column_…`, its backend ID).
    pub fn custom_column(mut self, column_id: impl Into<String>, value: impl Into<Value>) -> Self {
        let custom = self
            .columns
            .entry("customColumns")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(custom) = custom {
            custom.insert(column_id.into(), value.into());
        } else {
            *custom = Value::Object(Map::from_iter([(column_id.into(), value.into())]));
        }
        self
    }

    /// Sets a money column: `{"value": …, "currency": …}`.
    pub(crate) fn money(self, key: &str, value: f64, currency: impl Into<String>) -> Self {
        let money = serde_json::json!({ "value": value, "currency": currency.into() });
        self.column(key, money)
    }

    async fn checked_body(&self) -> Result<EntryBody, Error> {
        let spec = T::TABLE.spec();
        check_static(spec, &self.columns)?;
        check_lists(&self.client, spec, &self.columns).await?;
        Ok(EntryBody(self.columns.clone()))
    }

    async fn add(self) -> Result<Option<i64>, Error> {
        let spec = T::TABLE.spec();
        let body = self.checked_body().await?;
        if self.check_existing {
            refuse_taken_date(&self.client, spec, &self.employee_id, &self.columns).await?;
        }
        let endpoint: Endpoint<(), EntryBody, Raw> =
            Endpoint::post(spec.post, Retry::Create).permission(spec.permission);
        let answer = endpoint
            .send(&self.client, &[self.employee_id.as_str()], &(), &body)
            .await
            .map_err(|e| duplicate_from(e, spec, &self.columns))?;
        answer.value.created_id()
    }
}

impl<T: Updatable> EntryWrite<T> {
    /// Turns the write into an update of entry `entry_id` (from the table's
    /// read, `id`). Only on the tables HiBob documents an update for
    /// (salaries and training have none: delete the entry and add another).
    pub fn update(self, entry_id: i64) -> EntryUpdate<T> {
        EntryUpdate {
            write: self,
            entry_id,
        }
    }
}

impl<T: DatedUnique> EntryWrite<T> {
    /// Reads the table before adding and refuses an entry on an effective
    /// date the employee already has, as
    /// [`FieldProblem::DuplicateEffectiveDate`](crate::FieldProblem::DuplicateEffectiveDate) with the existing entry's
    /// ID (update that entry instead). Costs one read; without it HiBob's
    /// own 400 gives the same error, without the ID.
    pub fn check_existing(mut self) -> Self {
        self.check_existing = true;
        self
    }
}

impl<T: EntryKind> IntoFuture for EntryWrite<T> {
    type Output = Result<Option<i64>, Error>;
    type IntoFuture = RequestFuture<Option<i64>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.add())
    }
}

impl<T: EntryKind> EntryUpdate<T> {
    async fn send(self) -> Result<WriteOutcome, Error> {
        let spec = T::TABLE.spec();
        let Some(route) = spec.put else {
            return Err(Error::invalid(format!(
                "HiBob documents no update for the {}; delete the entry and add a new one",
                spec.table
            )));
        };
        let write = self.write;
        let body = write.checked_body().await?;
        let endpoint: Endpoint<(), EntryBody, OrUnchanged<NoContent>> =
            Endpoint::put(route).permission(spec.permission);
        let id = self.entry_id.to_string();
        let params = [write.employee_id.as_str(), id.as_str()];
        let answer = endpoint
            .send(&write.client, &params, &(), &body)
            .await
            .map_err(|e| duplicate_from(e, spec, &write.columns))?;
        Ok(answer.value)
    }
}

impl<T: EntryKind> IntoFuture for EntryUpdate<T> {
    type Output = Result<WriteOutcome, Error>;
    type IntoFuture = RequestFuture<WriteOutcome>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

/// `DELETE /people/{id}/<table>/{entry_id}`: idempotent; a resent delete
/// that finds nothing counts as done (the transport's write policy).
pub(crate) fn delete(
    client: &Client,
    table: EntryTable,
    employee_id: EmployeeId,
    entry_id: i64,
) -> RequestFuture<WriteOutcome> {
    let client = client.clone();
    request_future(async move {
        let spec = table.spec();
        let endpoint: Endpoint<(), (), NoContent> =
            Endpoint::delete(spec.delete).permission(spec.permission);
        let id = entry_id.to_string();
        endpoint
            .send(&client, &[employee_id.as_str(), id.as_str()], &(), &())
            .await?;
        Ok(WriteOutcome::Applied(()))
    })
}

/// The entry body, already checked.
#[derive(Serialize)]
pub(crate) struct EntryBody(Map<String, Value>);

impl Payload for EntryBody {}
