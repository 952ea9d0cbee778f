//! The `data` object of each event type.

use chrono::NaiveDate;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::models::time_off::TimeOffEventData;
use crate::models::{EmployeeId, FieldId};

use super::event::EventType;

/// The `data` object, typed by the event's type.
///
/// ```
/// use hibob::webhooks::{self, EventData};
///
/// let event = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.updated",
///     "triggeredBy": "system", "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2",
///     "data": {"employeeId": "3332883894235038486", "fieldUpdates": [{"fieldId": "work.site"}]}}"#)?;
/// let summary = match &event.data {
///     EventData::Employee(data) => format!("employee {}", data.employee_id),
///     EventData::EmployeeUpdated(data) => {
///         format!("employee {}: {} field(s)", data.employee_id, data.field_updates.len())
///     }
///     EventData::TableEntry(data) => format!("{} row of {}", data.table_id, data.employee_id),
///     EventData::TimeOff(data) => format!("request {}", data.timeoff_request_id),
///     EventData::Other(raw) => format!("unknown event: {raw}"),
///     _ => "newer data shape".to_owned(),
/// };
/// assert_eq!(summary, "employee 3332883894235038486: 1 field(s)");
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EventData {
    /// `employee.created`, `.deleted`, `.joined`, `.left`, `.activated`,
    /// `.inactivated`: the employee's ID.
    Employee(EmployeeData),
    /// `employee.updated`: the employee's ID and the changed fields.
    EmployeeUpdated(EmployeeUpdatedData),
    /// `table.entry.created` / `.updated`: the employee, table and row.
    TableEntry(TableEntryData),
    /// `timeoff.request.*`: the request, its employee, Bob's `getApi` URL of
    /// the follow-up read and, when an update replaced the request, the
    /// original and previous request IDs. `timeoffRequestId` and
    /// `employeeId` are required.
    ///
    /// ```
    /// use hibob::webhooks::{self, EventData};
    ///
    /// let event = webhooks::parse_event(br#"{"companyId": 637323, "type": "timeoff.request.updated",
    ///     "triggeredBy": "3419283646526259215", "triggeredAt": "2024-10-03T09:29:00.831502",
    ///     "version": "v2", "data": {"timeoffRequestId": 32832861,
    ///     "employeeId": "3373576791477190995", "originalRequestId": 32832853,
    ///     "previousRequestId": 32832857,
    ///     "getApi": "https://api.hibob.com/v1/timeoff/employees/3373576791477190995/requests/32832861"}}"#)?;
    /// let EventData::TimeOff(data) = &event.data else { unreachable!() };
    /// assert_eq!(data.timeoff_request_id.get(), 32832861);
    /// assert_eq!(data.employee_id.as_str(), "3373576791477190995");
    /// // The dates changed, so a new request replaced the previous one.
    /// assert_eq!(data.previous_request_id.map(|id| id.get()), Some(32832857));
    /// assert_eq!(data.original_request_id.map(|id| id.get()), Some(32832853));
    ///
    /// // Without the request's ID there is nothing to read: the path says so.
    /// let broken = webhooks::parse_event(br#"{"companyId": 637323, "type": "timeoff.request.approved",
    ///     "triggeredBy": "system", "triggeredAt": "2024-10-03T09:29:00.831502",
    ///     "data": {"employeeId": "3373576791477190995"}}"#).unwrap_err();
    /// assert!(matches!(broken, webhooks::WebhookError::Decode { ref path, .. } if path == "data"));
    /// # Ok::<(), webhooks::WebhookError>(())
    /// ```
    TimeOff(TimeOffEventData),
    /// An unknown event type's `data`, as sent (`null` when absent).
    Other(Value),
}

pub(super) type PathError = serde_path_to_error::Error<serde_json::Error>;

impl EventData {
    /// Types `data` by the event type; the error carries the path inside `data`.
    pub(super) fn for_type(event_type: &EventType, data: Value) -> Result<Self, PathError> {
        Ok(match event_type {
            EventType::EmployeeUpdated => {
                Self::EmployeeUpdated(serde_path_to_error::deserialize(data)?)
            }
            EventType::TableEntryCreated | EventType::TableEntryUpdated => {
                Self::TableEntry(serde_path_to_error::deserialize(data)?)
            }
            EventType::EmployeeCreated
            | EventType::EmployeeDeleted
            | EventType::EmployeeJoined
            | EventType::EmployeeLeft
            | EventType::EmployeeActivated
            | EventType::EmployeeInactivated => {
                Self::Employee(serde_path_to_error::deserialize(data)?)
            }
            EventType::TimeOff(_) => Self::TimeOff(serde_path_to_error::deserialize(data)?),
            EventType::Other(_) => Self::Other(data),
        })
    }

    pub(super) fn is_absent(&self) -> bool {
        matches!(self, Self::Other(Value::Null))
    }
}

/// `data` of the employee and lifecycle events.
///
/// ```
/// use hibob::webhooks::{self, EventData};
///
/// let event = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.inactivated",
///     "triggeredBy": "system", "triggeredAt": "2025-01-08T00:00:00.000000", "version": "v2",
///     "data": {"employeeId": "3332883894235038486", "reason": "leave"}}"#)?;
/// let EventData::Employee(data) = &event.data else { unreachable!() };
/// assert_eq!(data.employee_id.as_str(), "3332883894235038486");
/// assert_eq!(data.extra["reason"], "leave"); // keys this crate does not know, kept
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmployeeData {
    /// The employee's backend ID.
    #[serde(deserialize_with = "employee_id")]
    pub employee_id: EmployeeId,
    /// Keys this crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of `employee.updated`.
///
/// ```
/// use hibob::webhooks::{self, EventData};
///
/// let event = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.updated",
///     "triggeredBy": "3332883804594373380", "triggeredAt": "2025-01-08T13:06:26.915906",
///     "version": "v2", "data": {"employeeId": "3332883894235038486",
///     "fieldUpdates": [{"fieldId": "root.firstName"}, {"fieldId": "work.title"}]}}"#)?;
/// let EventData::EmployeeUpdated(data) = &event.data else { unreachable!() };
/// assert_eq!(data.employee_id.as_str(), "3332883894235038486");
/// assert_eq!(data.field_updates[1].field_id.as_deref(), Some("work.title"));
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmployeeUpdatedData {
    /// The employee's backend ID.
    #[serde(deserialize_with = "employee_id")]
    pub employee_id: EmployeeId,
    /// The changed fields (calculated fields such as age are not listed).
    /// `null` or absent reads as empty.
    #[serde(default, deserialize_with = "vec_or_empty")]
    pub field_updates: Vec<FieldUpdate>,
    /// Keys this crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EmployeeUpdatedData {
    /// The changed fields as request field IDs (`work.title`), de-duplicated,
    /// in the order Bob listed them: what to pass to
    /// [`GetRequest::fields`](crate::people::GetRequest::fields).
    ///
    /// ```
    /// use hibob::webhooks::{self, EventData};
    /// use hibob::{FieldId, field};
    ///
    /// let event = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.updated",
    ///     "triggeredBy": "system", "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2",
    ///     "data": {"employeeId": "3332883894235038486", "fieldUpdates": [
    ///         {"fieldId": "work.title"},
    ///         {"fieldId": "/work/custom/field_1698036945383"},
    ///         {"fieldId": "work.title"}]}}"#)?;
    /// let EventData::EmployeeUpdated(data) = &event.data else { unreachable!() };
    /// // Slash paths become dot IDs; the repeated title is listed once.
    /// assert_eq!(
    ///     data.changed_fields(),
    ///     [field::TITLE, FieldId::from("work.custom.field_1698036945383")]
    /// );
    /// # Ok::<(), webhooks::WebhookError>(())
    /// ```
    pub fn changed_fields(&self) -> Vec<FieldId> {
        let mut fields: Vec<FieldId> = Vec::with_capacity(self.field_updates.len());
        for field in self
            .field_updates
            .iter()
            .filter_map(FieldUpdate::request_field_id)
        {
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
        fields
    }
}

/// One element of `fieldUpdates`.
///
/// Bob documents the list as the changed *field IDs* but not the element's
/// inner shape. This accepts an object with a `fieldId` key (other keys kept
/// in [`extra`](Self::extra)) and a bare string, and serializes back to
/// whichever shape it came in.
///
/// ```
/// use hibob::webhooks::FieldUpdate;
///
/// // Both shapes read the same; extra keys (possibly values) are kept.
/// let updates: Vec<FieldUpdate> = serde_json::from_str(
///     r#"[{"fieldId": "work.site", "newValue": "London"}, "/work/department"]"#,
/// )
/// .expect("field updates");
/// assert_eq!(updates[0].field_id.as_deref(), Some("work.site"));
/// assert_eq!(updates[0].extra["newValue"], "London");
/// assert_eq!(updates[1].request_field_id().unwrap().as_str(), "work.department");
///
/// // And each is written back as it came.
/// let written = serde_json::to_string(&updates).expect("serializes");
/// assert_eq!(written, r#"[{"fieldId":"work.site","newValue":"London"},"/work/department"]"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FieldUpdate {
    /// The field ID as sent (`root.firstName`, or a slash path such as
    /// `/work/title`); `None` when an object had no `fieldId`.
    pub field_id: Option<String>,
    /// The element's other keys, kept as sent (may hold values: treat as
    /// personal data).
    pub extra: Map<String, Value>,
    bare: bool,
}

impl FieldUpdate {
    /// An update of `field_id`, shaped as `{"fieldId": …}`.
    ///
    /// ```
    /// use hibob::webhooks::FieldUpdate;
    ///
    /// // E.g. to build an event for a test of your listener.
    /// let update = FieldUpdate::new("root.email");
    /// assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"fieldId":"root.email"}"#);
    /// ```
    pub fn new(field_id: impl Into<String>) -> Self {
        Self {
            field_id: Some(field_id.into()),
            extra: Map::new(),
            bare: false,
        }
    }

    /// The field ID in request form (dot notation, as fields metadata and
    /// people reads use): `/work/title` becomes `work.title`; dot IDs are
    /// unchanged. `None` when there is no usable ID.
    ///
    /// ```
    /// use hibob::{field, webhooks::FieldUpdate};
    ///
    /// assert_eq!(FieldUpdate::new("/work/title").request_field_id(), Some(field::TITLE));
    /// assert_eq!(FieldUpdate::new("root.email").request_field_id(), Some(field::EMAIL));
    /// assert_eq!(FieldUpdate::new(" ").request_field_id(), None);
    /// ```
    pub fn request_field_id(&self) -> Option<FieldId> {
        let id = self.field_id.as_deref()?.trim();
        let id = match id.strip_prefix('/') {
            Some(path) => path.replace('/', "."),
            None => id.to_owned(),
        };
        (!id.is_empty()).then(|| FieldId::custom(id))
    }
}

impl Serialize for FieldUpdate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (&self.field_id, self.bare) {
            (Some(id), true) => s.serialize_str(id),
            _ => {
                let mut map = Map::with_capacity(self.extra.len() + 1);
                if let Some(id) = &self.field_id {
                    map.insert("fieldId".to_owned(), Value::String(id.clone()));
                }
                map.extend(self.extra.iter().map(|(k, v)| (k.clone(), v.clone())));
                map.serialize(s)
            }
        }
    }
}

impl<'de> Deserialize<'de> for FieldUpdate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(id) => Ok(Self {
                field_id: Some(id),
                extra: Map::new(),
                bare: true,
            }),
            Value::Object(mut extra) => {
                let field_id = match extra.remove("fieldId") {
                    Some(Value::String(id)) => Some(id),
                    Some(Value::Null) | None => None,
                    Some(other) => {
                        return Err(D::Error::custom(format!(
                            "`fieldId` must be a string, got {}",
                            kind(&other)
                        )));
                    }
                };
                Ok(Self {
                    field_id,
                    extra,
                    bare: false,
                })
            }
            other => Err(D::Error::custom(format!(
                "a field update must be an object or a string, got {}",
                kind(&other)
            ))),
        }
    }
}

/// `data` of `table.entry.created` and `table.entry.updated`.
///
/// Since March 2026 Bob sends exactly one of `effectiveDate` (historical
/// tables: lifecycle, work, employment, salaries…) and `id` (other tables:
/// custom tables, bank accounts…); older payloads sent both, one of them
/// `null`. Both are optional here.
///
/// ```
/// use hibob::chrono::NaiveDate;
/// use hibob::webhooks::{self, EventData};
///
/// let event = webhooks::parse_event(br#"{"companyId": 636192, "type": "table.entry.updated",
///     "triggeredBy": "3332883804594373380", "triggeredAt": "2025-01-08T13:06:26.915906",
///     "version": "v2", "data": {"employeeId": "3332883854254932743", "tableId": "work",
///     "effectiveDate": "2025-02-01"}}"#)?;
/// let EventData::TableEntry(row) = &event.data else { unreachable!() };
/// assert_eq!(row.employee_id.as_str(), "3332883854254932743");
/// assert_eq!(row.effective_date, NaiveDate::from_ymd_opt(2025, 2, 1));
/// assert_eq!(row.id, None); // historical tables name the row by its date
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TableEntryData {
    /// The employee's backend ID.
    #[serde(deserialize_with = "employee_id")]
    pub employee_id: EmployeeId,
    /// The table, e.g. `lifecycle`; see [`history_table`](Self::history_table).
    pub table_id: String,
    /// The row's effective date (historical tables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<NaiveDate>,
    /// The row's ID (non-historical tables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "opt_entry_id")]
    pub id: Option<i64>,
    /// Keys this crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TableEntryData {
    /// The history table this crate can read for it, when it is one.
    ///
    /// ```
    /// use hibob::tables::{EmployeeTable, HistoryTable};
    /// use hibob::webhooks::{self, EventData};
    ///
    /// let row = |table: &str| {
    ///     let body = format!(
    ///         r#"{{"companyId": 636192, "type": "table.entry.created", "triggeredBy": "system",
    ///         "triggeredAt": "2025-01-08T13:06:26.915906", "version": "v2",
    ///         "data": {{"employeeId": "3332883854254932743", "tableId": "{table}", "id": 7}}}}"#
    ///     );
    ///     match webhooks::parse_event(body.as_bytes()).map(|event| event.data) {
    ///         Ok(EventData::TableEntry(row)) => row,
    ///         other => panic!("{other:?}"),
    ///     }
    /// };
    /// assert_eq!(row("lifecycle").history_table(), Some(HistoryTable::Lifecycle));
    /// assert_eq!(row("salaries").history_table(), Some(HistoryTable::Salaries));
    /// // Other built-in tables are one of `EmployeeTable`; custom tables are neither.
    /// assert_eq!(row("bankAccounts").history_table(), None);
    /// assert_eq!(row("bankAccounts").employee_table(), Some(EmployeeTable::BankAccounts));
    /// assert_eq!(row("1234567").employee_table(), None);
    /// ```
    pub fn history_table(&self) -> Option<HistoryTable> {
        HistoryTable::from_table_id(&self.table_id)
    }

    /// The built-in table the entry belongs to (any of the twelve), if it is one.
    pub fn employee_table(&self) -> Option<EmployeeTable> {
        EmployeeTable::from_table_id(&self.table_id)
    }
}

use crate::tables::{EmployeeTable, HistoryTable};

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An ID sent as a string or an integer, as text.
pub(super) fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
        other => Err(D::Error::custom(format!(
            "expected an ID (a string), got {}",
            kind(&other)
        ))),
    }
}

fn employee_id<'de, D: Deserializer<'de>>(d: D) -> Result<EmployeeId, D::Error> {
    id_text(d).map(EmployeeId::new)
}

fn opt_entry_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) if n.is_i64() => Ok(n.as_i64()),
        Value::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom("expected an integer entry ID")),
        other => Err(D::Error::custom(format!(
            "expected an integer entry ID, got {}",
            kind(&other)
        ))),
    }
}

fn vec_or_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `companyId`: a number (also accepted: a string of digits).
pub(super) fn company_id<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) if n.is_u64() => Ok(n.as_u64().unwrap_or_default()),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| D::Error::custom("expected a numeric company ID")),
        other => Err(D::Error::custom(format!(
            "expected a numeric company ID, got {}",
            kind(&other)
        ))),
    }
}
