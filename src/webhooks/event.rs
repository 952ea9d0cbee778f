//! The typed webhook event (v2 payload): its envelope.

use std::fmt;

use chrono::{DateTime, NaiveDateTime};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::models::EmployeeId;
use crate::models::time_off::TimeOffEventType;

use super::data::{EventData, PathError, company_id, id_text};

/// One Bob webhook event.
///
/// Built by [`parse_event`](super::parse_event) or
/// [`verify_and_parse`](super::verify_and_parse); serializing it gives back
/// Bob's JSON shape (unknown keys included), so an event can be stored and
/// replayed.
///
/// ```
/// use hibob::webhooks::{self, EventData, EventType};
///
/// let body = br#"{"companyId":636192,"type":"table.entry.created","triggeredBy":"3332883804594373380","triggeredAt":"2025-01-08T13:06:26.915906","version":"v2","data":{"employeeId":"3332883854254932743","tableId":"lifecycle","effectiveDate":"2025-01-08"}}"#;
/// let event = webhooks::parse_event(body)?;
/// assert_eq!(event.company_id, 636192);
/// assert_eq!(event.event_type, EventType::TableEntryCreated);
/// assert_eq!(event.triggered_by.as_str(), "3332883804594373380");
/// assert_eq!(event.triggered_at.as_str(), "2025-01-08T13:06:26.915906");
/// assert_eq!(event.version.as_deref(), Some("v2"));
/// assert!(matches!(&event.data, EventData::TableEntry(row) if row.table_id == "lifecycle"));
///
/// // Store it and replay it later: serializing gives Bob's JSON back.
/// let stored = serde_json::to_string(&event).expect("an event always serializes");
/// assert_eq!(stored.as_bytes(), body);
/// assert_eq!(webhooks::parse_event(stored.as_bytes())?, event);
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// `companyId`: the Bob company (tenant) the event belongs to.
    pub company_id: u64,
    /// `type`, e.g. `employee.updated`.
    pub event_type: EventType,
    /// `triggeredBy`: the employee who made the change, or the system.
    pub triggered_by: TriggeredBy,
    /// `triggeredAt`: when it happened.
    pub triggered_at: Timestamp,
    /// `version`, e.g. `v2` (absent on v1 webhooks).
    pub version: Option<String>,
    /// `data`, typed according to [`event_type`](Self::event_type).
    pub data: EventData,
    /// Top-level keys this crate does not know, kept as sent.
    pub extra: Map<String, Value>,
}

impl Event {
    /// The employee the event is about (`data.employeeId`). Every known event
    /// type has one; for unknown types it is `None` (look in
    /// [`EventData::Other`]).
    ///
    /// ```
    /// use hibob::webhooks;
    ///
    /// let left = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.left",
    ///     "triggeredBy": "system", "triggeredAt": "2025-01-08T00:00:00.000000",
    ///     "data": {"employeeId": "3332883894235038486"}}"#)?;
    /// assert_eq!(left.employee_id().map(|id| id.as_str()), Some("3332883894235038486"));
    ///
    /// // A type this crate does not know yet: its `data` is kept, untyped.
    /// let newer = webhooks::parse_event(br#"{"companyId": 636192, "type": "timeoff.request.created",
    ///     "triggeredBy": "system", "triggeredAt": "2025-01-08T00:00:00.000000",
    ///     "data": {"requestId": 42}}"#)?;
    /// assert_eq!(newer.employee_id(), None);
    /// # Ok::<(), webhooks::WebhookError>(())
    /// ```
    pub fn employee_id(&self) -> Option<&EmployeeId> {
        match &self.data {
            EventData::Employee(data) => Some(&data.employee_id),
            EventData::EmployeeUpdated(data) => Some(&data.employee_id),
            EventData::TableEntry(data) => Some(&data.employee_id),
            EventData::TimeOff(data) => Some(&data.employee_id),
            EventData::Other(_) => None,
        }
    }
}

/// The event type (`type`). Open: types this crate does not know (such as a
/// future one, or the lifecycle "temporary leave" event whose spelling is not
/// documented) are kept in [`Other`](Self::Other).
///
/// ```
/// use hibob::webhooks::EventType;
///
/// /// Whether a listener should refresh the employee's directory entry.
/// fn refreshes_directory(event_type: &EventType) -> bool {
///     matches!(
///         event_type,
///         EventType::EmployeeCreated | EventType::EmployeeUpdated | EventType::EmployeeLeft
///     )
/// }
///
/// assert!(refreshes_directory(&EventType::from_wire("employee.updated")));
/// assert!(!refreshes_directory(&EventType::from_wire("table.entry.created")));
/// assert_eq!(EventType::EmployeeLeft.to_string(), "employee.left");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `employee.created`.
    EmployeeCreated,
    /// `employee.updated`: fields changed; `data.fieldUpdates` lists them.
    EmployeeUpdated,
    /// `employee.deleted`.
    EmployeeDeleted,
    /// `employee.joined`: access granted, sent when the lifecycle entry takes effect.
    EmployeeJoined,
    /// `employee.left`: terminated or on garden leave, when it takes effect.
    EmployeeLeft,
    /// `employee.activated`: access enabled, when it takes effect.
    EmployeeActivated,
    /// `employee.inactivated`: on leave or terminated, when it takes effect.
    EmployeeInactivated,
    /// `table.entry.created`: a row was added to one of the employee's tables.
    TableEntryCreated,
    /// `table.entry.updated`: a row of one of the employee's tables changed.
    TableEntryUpdated,
    /// `timeoff.request.*`: a time-off request was submitted, approved,
    /// declined, cancelled, deleted, updated, imported or given its end
    /// date. Parsing only ever puts a known [`TimeOffEventType`] here (its
    /// spelling matched ignoring case); an unknown `timeoff.request.*` type
    /// is [`Other`](Self::Other).
    ///
    /// ```
    /// use hibob::time_off::TimeOffEventType;
    /// use hibob::webhooks::EventType;
    ///
    /// let approved = EventType::from_wire("timeoff.request.approved");
    /// assert_eq!(approved, EventType::TimeOff(TimeOffEventType::Approved));
    /// assert_eq!(approved.as_str(), "timeoff.request.approved");
    /// // Any time-off event, e.g. to refresh a "who's out" view.
    /// assert!(matches!(approved, EventType::TimeOff(_)));
    /// // A time-off type HiBob does not document (yet) is kept as sent.
    /// assert_eq!(
    ///     EventType::from_wire("timeoff.request.archived"),
    ///     EventType::Other("timeoff.request.archived".to_owned())
    /// );
    /// ```
    TimeOff(TimeOffEventType),
    /// Any other type, exactly as sent.
    Other(String),
}

impl EventType {
    /// The type as Bob spells it, e.g. `employee.updated`.
    ///
    /// ```
    /// use hibob::webhooks::EventType;
    ///
    /// assert_eq!(EventType::TableEntryUpdated.as_str(), "table.entry.updated");
    /// // Unknown types keep their spelling, e.g. for a metrics label.
    /// assert_eq!(EventType::from_wire("employee.rehired").as_str(), "employee.rehired");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Self::EmployeeCreated => "employee.created",
            Self::EmployeeUpdated => "employee.updated",
            Self::EmployeeDeleted => "employee.deleted",
            Self::EmployeeJoined => "employee.joined",
            Self::EmployeeLeft => "employee.left",
            Self::EmployeeActivated => "employee.activated",
            Self::EmployeeInactivated => "employee.inactivated",
            Self::TableEntryCreated => "table.entry.created",
            Self::TableEntryUpdated => "table.entry.updated",
            Self::TimeOff(kind) => kind.as_str(),
            Self::Other(other) => other,
        }
    }

    /// The type for a string as Bob spells it; unknown strings become
    /// [`Other`](Self::Other).
    ///
    /// ```
    /// use hibob::webhooks::EventType;
    ///
    /// // E.g. the event types a listener handles, read from its configuration.
    /// let handled: Vec<EventType> = ["employee.joined", "employee.inactivated", "employee.rehired"]
    ///     .into_iter()
    ///     .map(EventType::from_wire)
    ///     .collect();
    /// assert_eq!(handled[0], EventType::EmployeeJoined);
    /// assert_eq!(handled[1], EventType::EmployeeInactivated);
    /// assert_eq!(handled[2], EventType::Other("employee.rehired".to_owned()));
    /// ```
    pub fn from_wire(s: &str) -> Self {
        match s {
            "employee.created" => Self::EmployeeCreated,
            "employee.updated" => Self::EmployeeUpdated,
            "employee.deleted" => Self::EmployeeDeleted,
            "employee.joined" => Self::EmployeeJoined,
            "employee.left" => Self::EmployeeLeft,
            "employee.activated" => Self::EmployeeActivated,
            "employee.inactivated" => Self::EmployeeInactivated,
            "table.entry.created" => Self::TableEntryCreated,
            "table.entry.updated" => Self::TableEntryUpdated,
            other => match TimeOffEventType::parse(other) {
                kind if kind.is_known() => Self::TimeOff(kind),
                _ => Self::Other(other.to_owned()),
            },
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_wire(&String::deserialize(d)?))
    }
}

/// Who triggered the event (`triggeredBy`).
///
/// ```
/// use hibob::webhooks::{self, TriggeredBy};
///
/// let by_hand = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.updated",
///     "triggeredBy": "3332883804594373380", "triggeredAt": "2025-01-08T13:06:26.915906",
///     "data": {"employeeId": "3332883894235038486", "fieldUpdates": []}}"#)?;
/// // Who made the change, e.g. for an audit trail.
/// assert_eq!(by_hand.triggered_by, TriggeredBy::Employee("3332883804594373380".into()));
///
/// let scheduled = webhooks::parse_event(br#"{"companyId": 636192, "type": "employee.joined",
///     "triggeredBy": "system", "triggeredAt": "2025-01-08T00:00:00.000000",
///     "data": {"employeeId": "3332883894235038486"}}"#)?;
/// assert_eq!(scheduled.triggered_by, TriggeredBy::System);
/// assert_eq!(scheduled.triggered_by.as_str(), "system");
/// # Ok::<(), webhooks::WebhookError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TriggeredBy {
    /// `"system"`: Bob itself, e.g. a lifecycle entry taking effect at midnight.
    System,
    /// The backend ID of the employee who made the change.
    Employee(EmployeeId),
}

impl TriggeredBy {
    /// The value as Bob sends it: `system` or an employee ID.
    ///
    /// ```
    /// use hibob::webhooks::TriggeredBy;
    ///
    /// let admin = TriggeredBy::Employee("3332883804594373380".into());
    /// assert_eq!(admin.as_str(), "3332883804594373380");
    /// assert_eq!(TriggeredBy::System.to_string(), "system");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Self::System => "system",
            Self::Employee(id) => id.as_str(),
        }
    }
}

impl fmt::Display for TriggeredBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TriggeredBy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TriggeredBy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = id_text(d)?;
        Ok(if id.eq_ignore_ascii_case("system") {
            Self::System
        } else {
            Self::Employee(EmployeeId::new(id))
        })
    }
}

/// A Bob timestamp such as `triggeredAt`: ISO-8601 without a zone and with
/// microseconds (`2025-01-08T13:06:26.915906`).
///
/// The text is kept as sent; [`naive_utc`](Self::naive_utc) is the parsed
/// value. Zone-less values are taken as UTC (Bob does not document a zone);
/// a `Z` or `+02:00` suffix is accepted and converted to UTC. Text that does
/// not parse is kept and `naive_utc()` is `None`: an odd timestamp never
/// loses the event.
///
/// ```
/// use hibob::chrono::{NaiveDate, TimeDelta};
/// use hibob::webhooks::Timestamp;
///
/// let at = Timestamp::new("2025-01-08T13:06:26.915906");
/// let expected = NaiveDate::from_ymd_opt(2025, 1, 8)
///     .and_then(|d| d.and_hms_micro_opt(13, 6, 26, 915_906));
/// assert_eq!(at.naive_utc(), expected);
///
/// // A zone is converted to UTC.
/// let paris = Timestamp::new("2025-01-08T14:06:26.915906+01:00");
/// assert_eq!(paris.naive_utc(), expected);
///
/// // How late did the event arrive? (Bob retries, so an event can be old.)
/// let received = expected.unwrap() + TimeDelta::seconds(3);
/// assert_eq!(at.naive_utc().map(|t| received - t), Some(TimeDelta::seconds(3)));
///
/// // Odd text is kept, not an error.
/// let odd = Timestamp::new("08/01/2025 13:06");
/// assert_eq!((odd.as_str(), odd.naive_utc()), ("08/01/2025 13:06", None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    raw: String,
    parsed: Option<NaiveDateTime>,
}

impl Timestamp {
    /// Parses Bob's text; never fails (see the type docs).
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parsed = parse_date_time(&raw);
        Self { raw, parsed }
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The instant in UTC, when the text parses.
    pub fn naive_utc(&self) -> Option<NaiveDateTime> {
        self.parsed
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::new(String::deserialize(d)?))
    }
}

fn parse_date_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|t| t.naive_utc()))
        .or_else(|| {
            // An offset without a colon (`+0200`), which RFC 3339 does not allow.
            DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z")
                .ok()
                .map(|t| t.naive_utc())
        })
}

/// The event as Bob sends it, before `data` is typed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireEvent {
    #[serde(deserialize_with = "company_id")]
    company_id: u64,
    #[serde(rename = "type")]
    event_type: EventType,
    triggered_by: TriggeredBy,
    triggered_at: Timestamp,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    data: Value,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireEventRef<'a> {
    company_id: u64,
    #[serde(rename = "type")]
    event_type: &'a EventType,
    triggered_by: &'a TriggeredBy,
    triggered_at: &'a Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "EventData::is_absent")]
    data: &'a EventData,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

/// Why an event body did not decode, with the JSON path of the failure.
pub(crate) struct DecodeFailure {
    pub(crate) path: String,
    pub(crate) source: crate::error::DecodeError,
}

impl Event {
    /// Decodes a raw body, reporting the JSON path of any failure
    /// (`data.employeeId`, `triggeredBy`, …).
    pub(crate) fn decode(raw_body: &[u8]) -> Result<Self, DecodeFailure> {
        let de = &mut serde_json::Deserializer::from_slice(raw_body);
        let wire: WireEvent = serde_path_to_error::deserialize(de).map_err(|e| DecodeFailure {
            path: e.path().to_string(),
            source: crate::error::DecodeError::redacting(e.inner()),
        })?;
        Self::from_wire(wire).map_err(|e| DecodeFailure {
            path: data_path(&e),
            source: crate::error::DecodeError::redacting(e.inner()),
        })
    }

    fn from_wire(wire: WireEvent) -> Result<Self, PathError> {
        Ok(Self {
            data: EventData::for_type(&wire.event_type, wire.data)?,
            company_id: wire.company_id,
            event_type: wire.event_type,
            triggered_by: wire.triggered_by,
            triggered_at: wire.triggered_at,
            version: wire.version,
            extra: wire.extra,
        })
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireEventRef {
            company_id: self.company_id,
            event_type: &self.event_type,
            triggered_by: &self.triggered_by,
            triggered_at: &self.triggered_at,
            version: self.version.as_deref(),
            data: &self.data,
            extra: &self.extra,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = WireEvent::deserialize(d)?;
        Self::from_wire(wire).map_err(|e| {
            let path = data_path(&e);
            D::Error::custom(format!("{path}: {}", e.inner()))
        })
    }
}

/// The path of a failure inside `data`, from the event's root.
fn data_path(e: &PathError) -> String {
    let inner = e.path().to_string();
    if inner == "." {
        "data".to_owned()
    } else {
        format!("data.{inner}")
    }
}
