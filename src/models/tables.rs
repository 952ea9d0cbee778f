//! Employee tables: the history tables' rows (work, employment, lifecycle,
//! salaries) here, the other eight tables' in `simple.rs`, table metadata in
//! `metadata.rs`, per employee (`GET /people/{id}/{table}`) and in bulk
//! pages (`GET /bulk/people/{table}`).
//!
//! Every column is optional and parsed leniently: a `null`, `""` or malformed
//! date becomes `None` instead of failing the table, list values may be
//! strings or numbers, and unknown columns are kept in `extra`.

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::employee::{Manager, de};
use super::status::{InternalStatus, LifecycleStatus, opt_status};

mod bulk;
mod metadata;
mod simple;

pub use bulk::{BulkError, BulkPage, EmployeeRows};
pub(crate) use metadata::TablesMetadata;
pub use metadata::{TableColumn, TableMetadata};
pub use simple::{
    AnyEntry, BankAccountEntry, DeductionEntry, DependentEntry, EntitlementEntry, EquityEntry,
    RightToWorkEntry, TrainingEntry, VariableEntry,
};

/// Columns every historical table entry has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EntryCommon {
    /// The entry ID, unique per employee and table (0 when missing).
    #[serde(default, deserialize_with = "de::i64_or_zero")]
    pub id: i64,
    /// When the entry takes effect.
    #[serde(default, deserialize_with = "de::opt_date")]
    pub effective_date: Option<NaiveDate>,
    /// When it stops being effective (`None`: open-ended or not sent).
    #[serde(default, deserialize_with = "de::opt_date")]
    pub end_effective_date: Option<NaiveDate>,
    /// The date from which the entry is actually active.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_effective_date: Option<NaiveDate>,
    /// Whether this is the row in effect today (a future row is `false`).
    #[serde(default, deserialize_with = "de::opt_bool")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_current: Option<bool>,
    /// Whether the entry may be deleted.
    #[serde(default, deserialize_with = "de::opt_bool")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_be_deleted: Option<bool>,
    /// Creation date (often `null`).
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<NaiveDate>,
    /// Last modification date.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modification_date: Option<NaiveDate>,
    /// Who changed the entry and why.
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Custom columns of the table, keyed by backend column ID
    /// (`column_1666178477233`).
    #[serde(default, deserialize_with = "de::map_or_empty")]
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub custom_columns: Map<String, Value>,
}

/// The `change` column: who made a change, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Change {
    /// The reason given (free text or a list item).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub reason: Option<String>,
    /// Who made the change (a name).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub changed_by: Option<String>,
    /// The employee ID of who made the change.
    #[serde(default, deserialize_with = "de::opt_id_text")]
    pub changed_by_id: Option<String>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An object column; `null` or a non-object becomes `None`.
pub(crate) fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        value @ Value::Object(_) => serde_json::from_value(value).ok(),
        _ => None,
    })
}

/// A row of the lifecycle (status) table: `GET /people/{id}/lifecycle`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LifecycleEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Lifecycle status (`Hired`, `Employed`, `Garden leave`… in any casing;
    /// unknown ones kept verbatim). `None` when missing, `null` or blank.
    /// Serialized in its canonical form ([`LifecycleStatus::as_str`]).
    #[serde(default, deserialize_with = "opt_status")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<LifecycleStatus>,
    /// The access status HiBob derives from `status`: `Active` or `Inactive`.
    #[serde(default, deserialize_with = "opt_status")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_status: Option<InternalStatus>,
    /// Reason type (list `lifecycleReasonType`).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_type: Option<String>,
    /// Leave reason, for leave rows.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leave_reason: Option<String>,
    /// Reason (older top-level column; newer rows use `change.reason`).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the work table: `GET /people/{id}/work`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WorkEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Job title (a list item ID, string or number in JSON).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Department (a list item ID).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Site name.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Site ID.
    #[serde(default, deserialize_with = "de::opt_i64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<i64>,
    /// The manager (`null` when none).
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports_to: Option<Manager>,
    /// Why the row exists (`New Employee`, `Promotion`…).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_change_type: Option<String>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the employment table: `GET /people/{id}/employment`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmploymentEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Contract (`Full time`…).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// Employment type (JSON `type`).
    #[serde(rename = "type", default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_type: Option<String>,
    /// Salary pay type.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salary_pay_type: Option<String>,
    /// Weekly hours.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly_hours: Option<f64>,
    /// Full-time equivalent (percent as HiBob sends it).
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fte: Option<f64>,
    /// Hours in a day not worked.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_in_day_not_worked: Option<f64>,
    /// Calendar ID.
    #[serde(default, deserialize_with = "de::opt_i64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_id: Option<i64>,
    /// Calendar name.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_name: Option<String>,
    /// FLSA code (US).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flsa_code: Option<String>,
    /// Personal working pattern type.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_working_pattern_type: Option<String>,
    /// Standard working pattern (shape varies; kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_working_pattern: Option<Value>,
    /// Standard working pattern ID.
    #[serde(default, deserialize_with = "de::opt_i64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard_working_pattern_id: Option<i64>,
    /// Working pattern (`{"days": {...}, "hoursPerDay": n, ...}`; kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_pattern: Option<Value>,
    /// Actual working pattern (kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_working_pattern: Option<Value>,
    /// The site's working pattern (kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_working_pattern: Option<Value>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An amount of money: `{"value": 12, "currency": "GBP"}`.
///
/// A `base` without a numeric `value` is read as no amount (`None`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Money {
    /// The amount.
    #[serde(deserialize_with = "f64_lenient")]
    pub value: f64,
    /// ISO 4217 currency code (empty when HiBob sent none).
    #[serde(default, deserialize_with = "text_or_empty")]
    pub currency: String,
}

impl Money {
    /// An amount in a currency.
    pub fn new(value: f64, currency: impl Into<String>) -> Self {
        Self {
            value,
            currency: currency.into(),
        }
    }
}

fn f64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    de::opt_f64(d)?.ok_or_else(|| serde::de::Error::custom("expected an amount"))
}

fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(de::opt_string(d)?.unwrap_or_default())
}

/// A row of the salary (payroll) table: `GET /people/{id}/salaries`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SalaryEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Base salary.
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Money>,
    /// Pay period (Annual, Hourly, Daily, Weekly, Monthly).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_period: Option<String>,
    /// Pay frequency (Weekly, Monthly, Pro rata…).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_frequency: Option<String>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of an employee table: its common columns, and for the
/// effective-dated tables the dates that say when it is in effect (`None`
/// on the tables without dates, such as training and bank accounts).
pub trait HistoryEntry {
    /// The table's path segment (`/people/{id}/{TABLE}`, `/bulk/people/{TABLE}`).
    const TABLE: &'static str;

    /// The common columns.
    fn common(&self) -> &EntryCommon;

    /// When the row takes effect.
    fn effective_date(&self) -> Option<NaiveDate> {
        self.common().effective_date
    }
    /// When the row stops being effective.
    fn end_effective_date(&self) -> Option<NaiveDate> {
        self.common().end_effective_date
    }
    /// Whether HiBob marks the row as the current one.
    fn is_current(&self) -> bool {
        self.common().is_current == Some(true)
    }
}

macro_rules! history_entry {
    ($($ty:ty => $table:literal),*) => {$(
        impl HistoryEntry for $ty {
            const TABLE: &'static str = $table;
            fn common(&self) -> &EntryCommon {
                &self.common
            }
        }
    )*};
}
use history_entry;

history_entry!(
    LifecycleEntry => "lifecycle",
    WorkEntry => "work",
    EmploymentEntry => "employment",
    SalaryEntry => "salaries"
);

/// The current row: the one HiBob marks `isCurrent`, else the latest whose
/// effective date is today or earlier (UTC).
pub fn current<E: HistoryEntry>(entries: &[E]) -> Option<&E> {
    current_as_of(entries, Utc::now().date_naive())
}

/// Like [`current`], with "today" given (for tests and replays).
pub fn current_as_of<E: HistoryEntry>(entries: &[E], today: NaiveDate) -> Option<&E> {
    entries.iter().find(|e| e.is_current()).or_else(|| {
        latest(
            entries
                .iter()
                .filter(|e| e.effective_date().is_some_and(|d| d <= today)),
        )
    })
}

/// The row in effect on `date`: the latest with `effectiveDate <= date` whose
/// `endEffectiveDate` is missing or `>= date`.
pub fn in_effect_on<E: HistoryEntry>(entries: &[E], date: NaiveDate) -> Option<&E> {
    latest(entries.iter().filter(|e| {
        e.effective_date().is_some_and(|d| d <= date)
            && e.end_effective_date().is_none_or(|end| end >= date)
    }))
}

fn latest<'a, E: HistoryEntry + 'a>(entries: impl Iterator<Item = &'a E>) -> Option<&'a E> {
    entries.max_by_key(|e| (e.effective_date(), e.common().id))
}

/// [`current`] and [`in_effect_on`] as methods on a slice of entries.
///
/// ```
/// use hibob::chrono::NaiveDate;
/// use hibob::tables::{HistoryEntry, HistoryExt, WorkEntry};
/// use serde_json::json;
///
/// let rows: Vec<WorkEntry> = serde_json::from_value(json!([
///     {"id": 2, "effectiveDate": "2024-06-01", "title": "210011952"},
///     {"id": 1, "effectiveDate": "2021-03-01", "title": "210011900"},
/// ]))
/// .unwrap();
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let then = rows.in_effect_on(day(2023, 1, 1)).unwrap();
/// assert_eq!(then.title.as_deref(), Some("210011900"));
/// assert_eq!(then.effective_date(), Some(day(2021, 3, 1)));
/// ```
pub trait HistoryExt<E> {
    /// See [`current`].
    fn current(&self) -> Option<&E>;
    /// See [`in_effect_on`].
    fn in_effect_on(&self, date: NaiveDate) -> Option<&E>;
}

impl<E: HistoryEntry> HistoryExt<E> for [E] {
    fn current(&self) -> Option<&E> {
        current(self)
    }
    fn in_effect_on(&self, date: NaiveDate) -> Option<&E> {
        in_effect_on(self, date)
    }
}

/// Columns hidden by field-level permissions (`restricted_columns`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RestrictedColumns {
    /// Columns sent as `null` because the service user may not view them.
    #[serde(default, deserialize_with = "de::vec_or_empty")]
    pub no_view_permission: Vec<String>,
    /// Columns whose history the service user may not view.
    #[serde(default, deserialize_with = "de::vec_or_empty")]
    pub no_view_history_permission: Vec<String>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RestrictedColumns {
    /// Adds `other`'s columns (without duplicates).
    pub fn merge(&mut self, other: RestrictedColumns) {
        fn union(into: &mut Vec<String>, from: Vec<String>) {
            for column in from {
                if !into.contains(&column) {
                    into.push(column);
                }
            }
        }
        union(&mut self.no_view_permission, other.no_view_permission);
        union(
            &mut self.no_view_history_permission,
            other.no_view_history_permission,
        );
        self.extra.extend(other.extra);
    }

    /// Whether no column is restricted.
    pub fn is_empty(&self) -> bool {
        self.no_view_permission.is_empty() && self.no_view_history_permission.is_empty()
    }
}

/// The body of a per-employee table read: `{"values": [...]}` plus
/// `restricted_columns` when field-level permissions hide columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "E: Deserialize<'de>", serialize = "E: Serialize"))]
#[non_exhaustive]
pub struct TableRows<E> {
    /// The rows, as HiBob orders them (`values` on the wire).
    #[serde(rename = "values")]
    pub rows: Vec<E>,
    /// Hidden columns, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_columns: Option<RestrictedColumns>,
}

#[cfg(test)]
mod tests;
