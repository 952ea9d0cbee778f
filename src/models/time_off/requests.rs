//! One time-off request as read back:
//! `GET /timeoff/employees/{id}/requests/{requestId}`.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinds::{
    DayPortion, DurationUnit, RequestId, RequestRangeType, RequestStatus, Visibility,
};
use super::wire::{list, opt};
use crate::models::EmployeeId;

/// A time-off request (HiBob's `TimeoffRequest`).
///
/// Which fields are filled depends on [`range_type`](Self::range_type):
/// `days` requests have start and end dates with their portions,
/// `portionOnRange` a [`day_portion`](Self::day_portion), `hours` a
/// [`date`](Self::date) and [`hours_on_date`](Self::hours_on_date),
/// `hoursOnRange` [`daily_hours`](Self::daily_hours). Every field is optional
/// because HiBob omits what does not apply; unknown keys are kept in
/// [`extra`](Self::extra).
///
/// Assumptions where the OpenAPI is loose: `approvedAt` and `declinedAt`
/// have no documented format, so they are kept as text; `reasonCode` is a
/// string here but an integer on submit, so either is read as text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeOffRequest {
    /// Whose request it is.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<EmployeeId>,
    /// The request's ID.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// The policy type's display name (`Holiday`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type_display_name: Option<String>,
    /// How the request measures its time (JSON `type`; `requestRangeType` is
    /// accepted too).
    #[serde(rename = "type", alias = "requestRangeType")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_type: Option<RequestRangeType>,
    /// When it was created (HiBob sends no zone; read as UTC).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_on: Option<NaiveDateTime>,
    /// First day (not sent for `hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The part of the first day taken (`days` requests).
    #[serde(alias = "startDatePortion")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_portion: Option<DayPortion>,
    /// Last day (not sent for `hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The part of the last day taken (`days` requests).
    #[serde(alias = "endDatePortion")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_portion: Option<DayPortion>,
    /// The part of every day taken (`portionOnRange` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_portion: Option<DayPortion>,
    /// The day of an `hours` request.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Hours taken on [`date`](Self::date) (`hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_on_date: Option<i64>,
    /// Hours taken every day (`hoursOnRange` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_hours: Option<f64>,
    /// The employee's site offset from GMT, e.g. `GMT -5:00`
    /// (`specificHoursDayDurations` requests), as sent.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone_offset: Option<String>,
    /// Whether the request is approved (and so publicly visible).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved: Option<bool>,
    /// The request's description.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Unit of [`total_duration`](Self::total_duration) and
    /// [`total_cost`](Self::total_cost).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_unit: Option<DurationUnit>,
    /// The time the request covers, weekends and other days off included.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_duration: Option<f64>,
    /// What it takes from the balance.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<f64>,
    /// Approved, pending, declined, canceled…
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<RequestStatus>,
    /// Whether files are attached.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_attachment: Option<bool>,
    /// The reason code (an ID from the policy type's reason codes), as text.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Attached files with download links.
    #[serde(default, deserialize_with = "list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachment_links: Vec<Attachment>,
    /// The request this one replaced when its dates or times changed.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_request_id: Option<RequestId>,
    /// The very first request of this chain of replacements.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_request_id: Option<RequestId>,
    /// Who approved it, as sent.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// When it was approved, as sent (format undocumented).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<String>,
    /// Who declined it, as sent.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declined_by: Option<String>,
    /// When it was declined, as sent (format undocumented).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declined_at: Option<String>,
    /// Why it was declined.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    /// Public, private or shown under a custom name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Keys this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TimeOffRequest {
    /// Whether HiBob reports the request as approved, by `status` or by the
    /// `approved` flag.
    pub fn is_approved(&self) -> bool {
        self.status == Some(RequestStatus::Approved) || self.approved == Some(true)
    }
}

/// A file attached to a request (`attachmentLinks[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attachment {
    /// The file name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// A download link (it may expire; HiBob does not say).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The file's MIME type.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
