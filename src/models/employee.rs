//! The employee record returned by `POST /people/search` and
//! `POST /people/{identifier}`.
//!
//! HiBob answers with a nested object (`work.department`, root fields at the
//! top) plus slash keys for the same values (`"/work/department": {"value": …}`),
//! omits whatever the service user may not see and sends `null` for permitted
//! but empty fields. [`Employee`] keeps all of it: slash keys are merged into
//! the nested form (the nested value wins; a key of more than 16 segments is
//! kept as it came), every other key is kept, and the `humanReadable` node is
//! stored apart. Typed accessors never fail; the raw
//! JSON of any field stays available through [`Employee::field`].

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::EmployeeId;
use super::status::{InternalStatus, LifecycleStatus};

mod compact;
pub(crate) mod de;
mod response;
mod short_date;
mod slash;
#[cfg(test)]
mod tests;

use compact::{Compact, Entry, Key, KeySeed, ObjectRef};
pub use response::{PeopleSearchResponse, SingleEmployeeResponse};
pub use short_date::{ParseShortDateError, ShortDate};

/// The key of the display-string mirror HiBob adds with `humanReadable: "APPEND"`.
const HUMAN_READABLE: &str = "humanReadable";

/// One employee as returned by HiBob's people reads, normalised and lossless.
///
/// Build one by deserializing (`serde_json::from_slice`, `from_value`) or
/// with [`Employee::from_value`]; [`Default`] is the empty employee.
/// Serializing gives the normalised nested object (slash keys merged in,
/// `humanReadable` included), and [`Employee::to_json`] gives it as a `Value`.
///
/// ```
/// use hibob::people::{Employee, LifecycleStatus};
/// use serde_json::json;
///
/// // HiBob sends slash keys beside the nested form; both are read.
/// let ada = Employee::from_value(json!({
///     "id": "3332883884017713938",
///     "email": "ada@example.com",
///     "work": {"startDate": "2021-03-01", "custom": {"field_1698036945383": "CC-7"}},
///     "/internal/lifecycleStatus": {"value": "Employed"},
/// }))?;
/// assert_eq!(ada.id().unwrap().as_str(), "3332883884017713938");
/// assert_eq!(ada.lifecycle_status(), Some(LifecycleStatus::Employed));
/// assert_eq!(ada.start_date().unwrap().to_string(), "2021-03-01");
/// // Custom fields by field ID, as fields metadata names them.
/// let cost_centre = ada.field("work.custom.field_1698036945383").unwrap();
/// assert_eq!(cost_centre.as_str(), Some("CC-7"));
/// assert!(!ada.has_field("work.title"), "absent, not null");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Employee {
    /// The nested record, in document order, without `humanReadable`.
    doc: Box<[Entry]>,
    human_readable: Option<Box<HumanReadable>>,
    id: Option<EmployeeId>,
    manager: Option<EmployeeId>,
    reports_to: Option<Box<Manager>>,
}

/// The `humanReadable` node, converted to a `Map` only when someone asks.
#[derive(Clone)]
struct HumanReadable {
    raw: Box<[Entry]>,
    map: OnceLock<Map<String, Value>>,
}

/// An employee's manager as HiBob embeds it (`work.reportsTo`, work-history
/// `reportsTo`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Manager {
    /// The manager's employee ID (a string or, rarely, a number in JSON).
    #[serde(default, deserialize_with = "de::opt_employee_id")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<EmployeeId>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Surname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Work e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Any other member HiBob sends.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Manager {
    /// Builds a manager from a compact `reportsTo` object without going
    /// through `serde_json::Value` (this runs once per employee).
    fn from_entries(entries: &[Entry]) -> Self {
        let mut manager = Manager::default();
        for (key, value) in entries {
            let text = || value.as_str().map(str::to_owned);
            match key.as_str() {
                "id" => manager.id = value.to_id_string().map(EmployeeId::from),
                "firstName" if value.as_str().is_some() => manager.first_name = text(),
                "surname" if value.as_str().is_some() => manager.surname = text(),
                "email" if value.as_str().is_some() => manager.email = text(),
                "displayName" if value.as_str().is_some() => manager.display_name = text(),
                "firstName" | "surname" | "email" | "displayName" if value == &Compact::Null => {}
                other => {
                    manager.extra.insert(other.to_owned(), value.to_value());
                }
            }
        }
        manager
    }
}

/// Splits a field ID or JSON path into the segments of the nested record:
/// `root.email` → `email`, `work.department` → `work`, `department`,
/// `/work/department` → `work`, `department`.
fn segments(id_or_path: &str) -> impl Iterator<Item = &str> + Clone {
    let (rest, sep) = match id_or_path.strip_prefix('/') {
        Some(slash) => (slash.strip_prefix("root/").unwrap_or(slash), '/'),
        None => (id_or_path.strip_prefix("root.").unwrap_or(id_or_path), '.'),
    };
    rest.split(sep)
}

/// Parses HiBob's zone-less timestamps (`2022-09-16T07:47:44.938494`); a
/// trailing `Z` or offset is accepted and converted to UTC.
fn parse_date_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|dt| dt.naive_utc())
        })
}

impl Employee {
    /// Builds an employee from a JSON object (nested and/or slash keys).
    ///
    /// Fails only when `value` is not an object.
    pub fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        Employee::deserialize(value)
    }

    /// The normalised nested JSON object (slash keys merged, `humanReadable`
    /// included): the same as serializing the employee.
    pub fn to_json(&self) -> Value {
        let mut map = compact::entries_to_map(&self.doc);
        if let Some(hr) = &self.human_readable {
            map.insert(HUMAN_READABLE.to_owned(), Value::Object(hr.map().clone()));
        }
        Value::Object(map)
    }

    fn lookup(&self, id_or_path: &str) -> Option<&Compact> {
        if let Some(rest) = id_or_path.strip_prefix("humanReadable.") {
            return compact::find_path(&self.human_readable.as_ref()?.raw, segments(rest));
        }
        compact::find_path(&self.doc, segments(id_or_path))
            .or_else(|| compact::find(&self.doc, id_or_path))
    }

    fn str_at(&self, path: &str) -> Option<&str> {
        self.lookup(path)?.as_str()
    }

    /// A field that is a string, number or boolean, as text, by field ID or
    /// JSON path like [`field`](Self::field), but without building a
    /// `serde_json::Value`: what a sync that reads many fields of many
    /// employees wants. `None` when the field is absent, `null`, a list or an
    /// object (read those with [`field`](Self::field)).
    ///
    /// ```
    /// use hibob::people::Employee;
    ///
    /// let ada: Employee = serde_json::from_str(
    ///     r#"{"id": "1", "work": {"department": "209192163", "siteId": 2606110, "tags": ["a"]}}"#,
    /// )?;
    /// assert_eq!(ada.text("work.department").as_deref(), Some("209192163"));
    /// assert_eq!(ada.text("work.siteId").as_deref(), Some("2606110"));
    /// assert_eq!(ada.text("work.tags"), None); // a list: use `field`
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn text(&self, id_or_path: &str) -> Option<Cow<'_, str>> {
        match self.lookup(id_or_path)? {
            Compact::String(text) => Some(Cow::Borrowed(text)),
            Compact::Number(number) => Some(Cow::Owned(number.to_string())),
            Compact::Bool(flag) => Some(Cow::Owned(flag.to_string())),
            _ => None,
        }
    }

    /// The raw JSON of a field, by field ID (`root.email`,
    /// `work.custom.field_1698036945383`) or JSON path (`email`,
    /// `work.department`; slash form `/work/department` too).
    ///
    /// `None` when HiBob omitted the field (not permitted, unknown ID);
    /// `Some(Value::Null)` when it sent an empty one.
    pub fn field(&self, id_or_path: &str) -> Option<Cow<'_, Value>> {
        self.lookup(id_or_path).map(|c| Cow::Owned(c.to_value()))
    }

    /// Whether HiBob sent the field at all (even as `null`).
    pub fn has_field(&self, id_or_path: &str) -> bool {
        self.lookup(id_or_path).is_some()
    }

    /// The `humanReadable` node (display strings) when the read asked for
    /// `humanReadable: "APPEND"`. Never parse its dates: they follow the
    /// calling user's display settings.
    pub fn human_readable(&self) -> Option<&Map<String, Value>> {
        self.human_readable.as_deref().map(HumanReadable::map)
    }

    /// One display string from `humanReadable`, by field ID or JSON path.
    pub fn human_readable_field(&self, id_or_path: &str) -> Option<&str> {
        let hr = self.human_readable.as_ref()?;
        compact::find_path(&hr.raw, segments(id_or_path))?.as_str()
    }

    /// A `YYYY-MM-DD` date field; `None` when absent, `null`, `""` or not a
    /// date (the raw value stays available through [`field`](Self::field)).
    pub fn date(&self, id_or_path: &str) -> Option<NaiveDate> {
        de::parse_date(self.str_at(id_or_path)?.trim())
    }

    /// A `MM-DD` short-date field (e.g. `personal.shortBirthDate`).
    pub fn short_date(&self, id_or_path: &str) -> Option<ShortDate> {
        self.str_at(id_or_path)?.trim().parse().ok()
    }

    /// `root.id`: the employee's backend ID.
    pub fn id(&self) -> Option<&EmployeeId> {
        self.id.as_ref()
    }
    /// `root.firstName`.
    pub fn first_name(&self) -> Option<&str> {
        self.str_at("firstName")
    }
    /// `root.surname`.
    pub fn surname(&self) -> Option<&str> {
        self.str_at("surname")
    }
    /// `root.displayName`.
    pub fn display_name(&self) -> Option<&str> {
        self.str_at("displayName")
    }
    /// `root.fullName`.
    pub fn full_name(&self) -> Option<&str> {
        self.str_at("fullName")
    }
    /// `root.email`: the work e-mail.
    pub fn email(&self) -> Option<&str> {
        self.str_at("email")
    }
    /// `work.title`: a list item ID (a label when read with `REPLACE`).
    pub fn title(&self) -> Option<&str> {
        self.str_at("work.title")
    }
    /// `work.department`: a list item ID (a label when read with `REPLACE`).
    pub fn department(&self) -> Option<&str> {
        self.str_at("work.department")
    }
    /// `work.site`: the site's name.
    pub fn site(&self) -> Option<&str> {
        self.str_at("work.site")
    }
    /// `work.siteId` (a number, or a numeric string).
    pub fn site_id(&self) -> Option<i64> {
        match self.lookup("work.siteId")? {
            Compact::Number(n) => n.as_i64(),
            Compact::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    /// `work.startDate`.
    pub fn start_date(&self) -> Option<NaiveDate> {
        self.date("work.startDate")
    }
    /// `work.reportsTo`: the manager as an object.
    pub fn reports_to(&self) -> Option<&Manager> {
        self.reports_to.as_deref()
    }
    /// The manager's ID: `work.manager`, else `work.reportsTo.id`.
    pub fn manager_id(&self) -> Option<&EmployeeId> {
        self.manager
            .as_ref()
            .or_else(|| self.reports_to.as_ref()?.id.as_ref())
    }
    /// `work.employeeIdInCompany`: the company's own employee number
    /// (a string or a number in JSON).
    pub fn employee_id_in_company(&self) -> Option<Cow<'_, str>> {
        match self.lookup("work.employeeIdInCompany")? {
            Compact::String(s) => Some(Cow::Borrowed(s)),
            Compact::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }
    /// `internal.status`, typed: [`InternalStatus::Active`] or
    /// [`InternalStatus::Inactive`] in any casing, anything else kept as
    /// [`InternalStatus::Unknown`]. `None` when absent, `null` or blank.
    /// The raw JSON stays available through [`field`](Self::field).
    pub fn internal_status(&self) -> Option<InternalStatus> {
        self.status_text("internal.status")
            .map(InternalStatus::parse)
    }
    /// Whether `internal.status` says `Active` (`None` when absent, blank or
    /// neither `Active` nor `Inactive`).
    pub fn is_active(&self) -> Option<bool> {
        match self.internal_status()? {
            InternalStatus::Active => Some(true),
            InternalStatus::Inactive => Some(false),
            _ => None,
        }
    }
    /// `internal.lifecycleStatus`, typed: `employed` (machine mode) and
    /// `Employed` (`humanReadable: REPLACE`) are both
    /// [`LifecycleStatus::Employed`]; statuses this crate does not know are
    /// kept as [`LifecycleStatus::Unknown`]. `None` when absent, `null` or blank.
    pub fn lifecycle_status(&self) -> Option<LifecycleStatus> {
        self.status_text("internal.lifecycleStatus")
            .map(LifecycleStatus::parse)
    }
    fn status_text(&self, path: &str) -> Option<&str> {
        self.str_at(path).filter(|text| !text.trim().is_empty())
    }
    /// `internal.terminationDate`.
    pub fn termination_date(&self) -> Option<NaiveDate> {
        self.date("internal.terminationDate")
    }
    /// `internal.terminationReason` (a list item ID).
    pub fn termination_reason(&self) -> Option<&str> {
        self.str_at("internal.terminationReason")
    }
    /// `root.creationDateTime`: zone-less, microseconds; a `Z`/offset suffix
    /// is accepted and converted to UTC.
    pub fn creation_date_time(&self) -> Option<NaiveDateTime> {
        parse_date_time(self.str_at("creationDateTime")?)
    }

    /// Assembles an employee from the members of its JSON object.
    fn assemble(
        entries: Vec<Entry>,
        slash: Vec<(Cow<'_, str>, Compact)>,
        human_readable: Option<Compact>,
    ) -> Self {
        let mut entries = slash::merge(entries, slash);
        let human_readable = match human_readable {
            Some(Compact::Object(raw)) => Some(Box::new(HumanReadable {
                raw,
                map: OnceLock::new(),
            })),
            Some(other) => {
                entries.push((Key::new(HUMAN_READABLE), other));
                None
            }
            None => None,
        };
        let id = compact::find(&entries, "id")
            .and_then(Compact::to_id_string)
            .map(EmployeeId::from);
        let work = compact::find(&entries, "work");
        let manager = work
            .and_then(|w| w.get("manager"))
            .and_then(Compact::to_id_string)
            .map(EmployeeId::from);
        let reports_to = match work.and_then(|w| w.get("reportsTo")) {
            Some(Compact::Object(m)) => Some(Box::new(Manager::from_entries(m))),
            _ => None,
        };
        Employee {
            doc: entries.into_boxed_slice(),
            human_readable,
            id,
            manager,
            reports_to,
        }
    }
}

impl HumanReadable {
    fn map(&self) -> &Map<String, Value> {
        self.map.get_or_init(|| compact::entries_to_map(&self.raw))
    }
}

impl fmt::Debug for Employee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Employee")
            .field("id", &self.id)
            .field("fields", &self.doc.len())
            .field("human_readable", &self.human_readable.is_some())
            .finish_non_exhaustive()
    }
}

impl Serialize for Employee {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hr = self.human_readable.as_ref().map(|hr| ObjectRef(&hr.raw));
        compact::serialize_entries(
            &self.doc,
            hr.as_ref().map(|hr| (HUMAN_READABLE, hr)),
            serializer,
        )
    }
}

impl<'de> Deserialize<'de> for Employee {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EmployeeVisitor)
    }
}

impl TryFrom<Value> for Employee {
    type Error = serde_json::Error;

    fn try_from(value: Value) -> Result<Self, Self::Error> {
        Employee::from_value(value)
    }
}

struct EmployeeVisitor;

impl<'de> Visitor<'de> for EmployeeVisitor {
    type Value = Employee;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HiBob employee object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Employee, A::Error> {
        let mut entries = Vec::with_capacity(32);
        let mut slash = Vec::new();
        let mut human_readable = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value: Compact = map.next_value()?;
            if key.starts_with('/') {
                slash.push((key, value));
            } else if key == HUMAN_READABLE {
                // A repeated key resolves to its last occurrence.
                human_readable = Some(value);
            } else {
                entries.push((Key::from_cow(key), value));
            }
        }
        Ok(Employee::assemble(entries, slash, human_readable))
    }
}

impl Employee {
    /// Builds an employee from an already-decoded compact object; used by
    /// the single-read response after unwrapping `{"employees": [..]}`.
    fn from_compact_object<E: serde::de::Error>(value: Compact) -> Result<Self, E> {
        let Compact::Object(members) = value else {
            return Err(E::custom("expected a HiBob employee object"));
        };
        let mut entries = Vec::with_capacity(members.len());
        let mut slash = Vec::new();
        let mut human_readable = None;
        for (key, value) in members.into_vec() {
            if key.as_str().starts_with('/') {
                slash.push((Cow::Owned(key.as_str().to_owned()), value));
            } else if key.as_str() == HUMAN_READABLE {
                human_readable = Some(value);
            } else {
                entries.push((key, value));
            }
        }
        Ok(Employee::assemble(entries, slash, human_readable))
    }
}
