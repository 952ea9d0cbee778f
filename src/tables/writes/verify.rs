//! Verify after a table write: the employee's table read back until the
//! entry holds every column as sent (by its ID; an add HiBob answered
//! without one is matched to the row closest to what was sent), compared by
//! [`verify::until_stored`](crate::verify).

use std::time::Duration;

use serde_json::{Map, Value};

use super::checks::{id_of, read_rows};
use super::{EntryUpdate, EntryWrite};
use crate::tables::entry::{EntryKind, Spec, Updatable};
use crate::transport::{RequestFuture, WriteOutcome, request_future};
use crate::verify::{self, DEFAULT_WINDOW, Sent, Verified};
use crate::{Client, EmployeeId};

impl<T: EntryKind> EntryWrite<T> {
    /// Adds the entry, then reads the table back until the entry holds
    /// every column as sent, for up to [`DEFAULT_WINDOW`] (HiBob's
    /// documented read lag): a column HiBob dropped (an unknown currency, a
    /// list value it did not take) is a [`Mismatch`](crate::verify::Mismatch).
    /// The add is sent once, exactly as when awaiting it. Tables without a
    /// per-employee read (deductions, entitlements, dependents, right to
    /// work) are read back through their bulk read for this one employee.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// let on = NaiveDate::from_ymd_opt(2031, 4, 1).unwrap();
    /// let bonus = |currency: &str| {
    ///     client.tables().variable_entry(&id).effective_date(on)
    ///         .amount(500.0, currency).variable_type("Bonus").payment_period("Annual")
    /// };
    /// let report = bonus("EUR").verify().await?;
    /// assert!(report.is_complete(), "{report}");
    /// assert!(report.value.is_some(), "the new entry's ID");
    /// # Ok(())
    /// # }
    /// ```
    pub fn verify(self) -> RequestFuture<Verified<Option<i64>>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<Option<i64>>> {
        request_future(async move {
            let client = self.client.clone();
            let employee = self.employee_id.clone();
            let sent = sent_columns(&self.columns);
            let entry = self.add().await?;
            let spec = T::TABLE.spec();
            let report = read_back(&client, spec, &employee, entry, &sent, window).await;
            Ok(report.with_value(entry))
        })
    }
}

impl<T: Updatable> EntryUpdate<T> {
    /// Sends the update, then reads the entry back until it holds every
    /// column as sent, for up to [`DEFAULT_WINDOW`]; see
    /// [`EntryWrite::verify`].
    pub fn verify(self) -> RequestFuture<Verified<WriteOutcome>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<WriteOutcome>> {
        request_future(async move {
            let client = self.write.client.clone();
            let employee = self.write.employee_id.clone();
            let sent = sent_columns(&self.write.columns);
            let entry = Some(self.entry_id);
            let outcome = self.send().await?;
            let spec = T::TABLE.spec();
            let report = read_back(&client, spec, &employee, entry, &sent, window).await;
            Ok(report.with_value(outcome))
        })
    }
}

/// Reads the table until the entry (by ID, else the closest row) holds
/// every sent column.
async fn read_back(
    client: &Client,
    spec: &'static Spec,
    employee: &EmployeeId,
    entry: Option<i64>,
    sent: &[Sent],
    window: Duration,
) -> Verified<()> {
    verify::until_stored(sent, window, || async move {
        let rows = read_rows(client, spec, employee).await?;
        Ok(pick(rows, entry, sent))
    })
    .await
}

/// The entry among `rows`: the one with ID `entry`, or without an ID the
/// row that differs from what was sent in the fewest columns.
fn pick(rows: Vec<Value>, entry: Option<i64>, sent: &[Sent]) -> Option<Value> {
    match entry {
        Some(id) => rows
            .into_iter()
            .find(|row| row.get("id").and_then(id_of) == Some(id)),
        None => rows
            .into_iter()
            .min_by_key(|row| verify::compare(sent, Some(row)).len()),
    }
}

/// Every column sent, one [`Sent`] per leaf (`base.value`, `base.currency`,
/// `customColumns.column_…`).
fn sent_columns(columns: &Map<String, Value>) -> Vec<Sent> {
    let mut sent = Vec::new();
    leaves("", columns, &mut sent);
    sent
}

fn leaves(prefix: &str, object: &Map<String, Value>, into: &mut Vec<Sent>) {
    for (key, value) in object {
        let path = match prefix {
            "" => key.clone(),
            _ => format!("{prefix}.{key}"),
        };
        match value {
            Value::Object(inner) => leaves(&path, inner, into),
            leaf => into.push(Sent::at(path, leaf.clone())),
        }
    }
}
