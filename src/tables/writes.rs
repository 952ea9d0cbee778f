//! The one builder behind every table-entry write: `POST` (add), `PUT` (update
//! by entry ID) and `DELETE`, checked against the table's description
//! ([`entry`](super::entry)) before anything is sent.

use std::future::IntoFuture;
use std::marker::PhantomData;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::entry::{DatedUnique, EntryKind, EntryTable, Spec, Unique};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::error::FieldProblem;
use crate::metadata::checks;
use crate::transport::{
    Json, NoContent, OrUnchanged, Raw, RequestFuture, WriteOutcome, request_future,
};
use crate::{Client, EmployeeId, Error};

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
/// taken is [`FieldProblem::DuplicateEffectiveDate`], whether HiBob refused
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

    /// Turns the write into an update of entry `entry_id` (from the table's
    /// read, `id`). Only tables HiBob documents an update for have this
    /// method working; the others refuse it before sending.
    pub fn update(self, entry_id: i64) -> EntryUpdate<T> {
        EntryUpdate {
            write: self,
            entry_id,
        }
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
        let operation = crate::error::Operation {
            method: "POST",
            route: spec.post,
        };
        new_entry_id(operation, answer.value)
    }
}

impl<T: DatedUnique> EntryWrite<T> {
    /// Reads the table before adding and refuses an entry on an effective
    /// date the employee already has, as
    /// [`FieldProblem::DuplicateEffectiveDate`] with the existing entry's
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

/// A value at a dotted key (`base.currency`).
fn at<'a>(columns: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut value = columns.get(parts.next()?)?;
    for part in parts {
        value = value.get(part)?;
    }
    Some(value).filter(|v| !v.is_null())
}

fn invalid(field: &str, problem: FieldProblem) -> Error {
    Error::InvalidField {
        field: field.to_owned(),
        problem,
    }
}

fn expected(field: &str, what: &str) -> Error {
    invalid(
        field,
        FieldProblem::Format {
            expected: what.to_owned(),
        },
    )
}

/// Required columns, dates, numbers and money: everything but the lists.
fn check_static(spec: &Spec, columns: &Map<String, Value>) -> Result<(), Error> {
    if columns.is_empty() {
        return Err(Error::invalid(format!(
            "a {} entry needs at least one column",
            spec.table
        )));
    }
    for any_of in spec.required {
        if !any_of.iter().any(|key| at(columns, key).is_some()) {
            return Err(invalid(&any_of.join("` or `"), FieldProblem::Missing));
        }
    }
    for key in spec.dates {
        if let Some(value) = at(columns, key) {
            checks::check_date(key, value)?;
        }
    }
    for key in spec.numbers {
        if at(columns, key).is_some_and(|v| !v.is_number()) {
            return Err(expected(key, "a number"));
        }
    }
    for key in spec.money {
        let Some(money) = at(columns, key) else {
            continue;
        };
        let value = money.get("value").filter(|v| !v.is_null());
        if value.is_some_and(|v| !v.is_number()) || !money.is_object() {
            return Err(expected(
                &format!("{key}.value"),
                "a number (money is {\"value\": number, \"currency\": \"EUR\"})",
            ));
        }
        match money.get("currency").filter(|v| !v.is_null()) {
            Some(Value::String(code)) => checks::check_currency(&format!("{key}.currency"), code)?,
            Some(_) => return Err(expected(&format!("{key}.currency"), "an ISO 4217 code")),
            None if value.is_some() => {
                return Err(invalid(&format!("{key}.currency"), FieldProblem::Missing));
            }
            None => {}
        }
    }
    Ok(())
}

/// List-backed columns against the company's named lists (read once per
/// client), for the lists the company has.
async fn check_lists(
    client: &Client,
    spec: &Spec,
    columns: &Map<String, Value>,
) -> Result<(), Error> {
    let set: Vec<_> = (spec.lists.iter())
        .filter_map(|(key, list)| at(columns, key).map(|v| (*key, *list, v)))
        .collect();
    if set.is_empty() {
        return Ok(());
    }
    let lists = checks::named_lists(client).await?;
    for (key, list, value) in set {
        if !lists.iter().any(|l| l.name == list) {
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(expected(
                    key,
                    &format!("an item of list `{list}` (ID or label)"),
                ));
            }
        };
        checks::check_list_item(&lists, key, list, &text)?;
    }
    Ok(())
}

/// The `effectiveDate` sent, if it is one.
fn sent_date(columns: &Map<String, Value>) -> Option<NaiveDate> {
    at(columns, "effectiveDate")?.as_str()?.parse().ok()
}

/// The rows of a per-employee read, as HiBob sends them.
#[derive(Deserialize)]
struct Rows {
    #[serde(default)]
    values: Vec<Value>,
}

/// `check_existing`: refuses a date the table already has an entry on.
async fn refuse_taken_date(
    client: &Client,
    spec: &Spec,
    employee_id: &EmployeeId,
    columns: &Map<String, Value>,
) -> Result<(), Error> {
    let (Unique::EffectiveDate, Some(route), Some(date)) =
        (spec.unique, spec.get, sent_date(columns))
    else {
        return Ok(());
    };
    let read: Endpoint<(), (), Json<Rows>> = Endpoint::get(route).permission(spec.permission);
    let rows = read
        .send(client, &[employee_id.as_str()], &(), &())
        .await?
        .value;
    let wanted = date.to_string();
    let taken = rows
        .values
        .iter()
        .find(|row| row["effectiveDate"] == wanted.as_str());
    match taken {
        Some(row) => Err(duplicate(date, row.get("id").and_then(id_of))),
        None => Ok(()),
    }
}

fn duplicate(date: NaiveDate, existing_entry: Option<i64>) -> Error {
    invalid(
        "effectiveDate",
        FieldProblem::DuplicateEffectiveDate {
            date,
            existing_entry,
        },
    )
}

/// HiBob's 400 for an entry on a taken date, as the same typed error the
/// pre-check gives; any other error as it is.
fn duplicate_from(error: Error, spec: &Spec, columns: &Map<String, Value>) -> Error {
    let (Unique::EffectiveDate, Some(date)) = (spec.unique, sent_date(columns)) else {
        return error;
    };
    let Error::BadRequest { body, .. } = &error else {
        return error;
    };
    let words = format!(
        "{} {}",
        body.key.as_deref().unwrap_or_default(),
        body.message.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    let about_dates = words.contains("effective") || words.contains("date");
    let taken = ["duplicate", "already exist", "conflict", "same effective"]
        .iter()
        .any(|w| words.contains(w));
    if about_dates && taken {
        duplicate(date, None)
    } else {
        error
    }
}

/// An entry ID as HiBob writes one: a number or a numeric string.
fn id_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The new entry's ID from an add's answer: none for an empty body (the
/// 2025 spec's "Entry created successfully"); the ID from `{"id": …}` or a
/// bare number (the 2026 pages: "returns the new entry id"). A body that is
/// not JSON is an error: the write may have been applied.
fn new_entry_id(
    operation: crate::error::Operation,
    answer: crate::RawResponse,
) -> Result<Option<i64>, Error> {
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let json = answer
        .content_type()
        .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
    let parsed = json
        .then(|| serde_json::from_slice::<Value>(&answer.body).ok())
        .flatten();
    let Some(value) = parsed else {
        return Err(Error::OutcomeUnknown {
            operation,
            source: Box::new(Error::UnexpectedContentType {
                operation,
                status: answer.status,
                content_type: answer
                    .content_type()
                    .unwrap_or_default()
                    .chars()
                    .take(100)
                    .collect(),
            }),
        });
    };
    let id = match &value {
        Value::Object(map) => map.get("id").and_then(id_of),
        other => id_of(other),
    };
    if id.is_none() {
        tracing::warn!("HiBob's answer to a table entry add carried no entry ID");
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn columns(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn field(result: Result<(), Error>) -> (String, FieldProblem) {
        match result {
            Err(Error::InvalidField { field, problem }) => (field, problem),
            other => panic!("expected InvalidField, got {other:?}"),
        }
    }

    #[test]
    fn salaries_need_a_pay_frequency_and_a_known_currency() {
        let spec = EntryTable::Salaries.spec();
        let mut row = json!({"effectiveDate": "2026-01-01", "payPeriod": "Annual",
            "base": {"value": 50000, "currency": "EUR"}});
        let (name, problem) = field(check_static(spec, &columns(row.clone())));
        assert_eq!(
            (name.as_str(), problem),
            ("payFrequency", FieldProblem::Missing)
        );
        row["payFrequency"] = json!("Monthly");
        check_static(spec, &columns(row.clone())).unwrap();
        row["base"]["currency"] = json!("EURO");
        assert_eq!(
            field(check_static(spec, &columns(row.clone()))).0,
            "base.currency"
        );
        row["base"] = json!({"value": 1});
        assert_eq!(field(check_static(spec, &columns(row))).0, "base.currency");
    }

    #[test]
    fn work_needs_a_site_or_site_id_and_iso_dates() {
        let spec = EntryTable::Work.spec();
        let (name, _) = field(check_static(
            spec,
            &columns(json!({"effectiveDate": "2026-01-01"})),
        ));
        assert_eq!(name, "site` or `siteId");
        let bad = columns(json!({"effectiveDate": "01/02/2026", "siteId": 3}));
        assert_eq!(field(check_static(spec, &bad)).0, "effectiveDate");
        check_static(
            spec,
            &columns(json!({"effectiveDate": "2026-01-01", "siteId": 3})),
        )
        .unwrap();
    }

    #[test]
    fn entry_ids_come_from_objects_numbers_or_nothing() {
        assert_eq!(id_of(&json!(12)), Some(12));
        assert_eq!(id_of(&json!(" 12 ")), Some(12));
        assert_eq!(id_of(&json!({"id": 1})), None);
        assert_eq!(
            sent_date(&columns(json!({"effectiveDate": "2026-03-01"}))),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
    }
}
