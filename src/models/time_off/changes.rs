//! The changes feed: `GET /timeoff/requests/changes?since=&to=&includePending=`.
//!
//! Entries are filtered by when the change happened, not by the request's
//! dates, and each is a snapshot of the request at that moment. HiBob accepts
//! a `since`–`to` window of at most 6 months, anywhere in the past; without
//! `to` the window runs to now. The answer is not paginated.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinds::{DayPortion, DurationUnit, RequestId, RequestRangeType, Visibility};
use super::wire::{list, open_enum, opt};
use crate::models::EmployeeId;

open_enum! {
    /// What happened to a request (`changeType`). The OpenAPI lists
    /// `Created`, `Canceled`, `Deleted` and `Pending` (the last only with
    /// `includePending=true`); a third-party connector also reports
    /// `Updated`, kept here as a known value.
    ChangeType {
        /// `Created`: the request was created (or approved into existence).
        Created => "Created";
        /// `Canceled` (also `Cancelled`).
        Canceled => "Canceled" | "Cancelled";
        /// `Deleted`.
        Deleted => "Deleted";
        /// `Pending`: the request changed to pending.
        Pending => "Pending";
        /// `Updated` (not in the OpenAPI's list).
        Updated => "Updated";
    }
}

/// The answer of the changes feed.
///
/// `changes` must be present (a `null` reads as empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChangesResponse {
    /// The changes, as HiBob orders them.
    #[serde(deserialize_with = "list")]
    pub changes: Vec<TimeOffChange>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One change to a time-off request (HiBob's `TimeoffChange`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeOffChange {
    /// What happened.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_type: Option<ChangeType>,
    /// Whose request changed.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<EmployeeId>,
    /// The employee's display name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_display_name: Option<String>,
    /// The employee's work e-mail.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_email: Option<String>,
    /// The current (latest) ID of the request.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// The policy type's display name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type_display_name: Option<String>,
    /// How the request measures its time (JSON `type`).
    #[serde(rename = "type", alias = "requestRangeType")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_type: Option<RequestRangeType>,
    /// When the request was created (read as UTC); not when it changed.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_on: Option<NaiveDateTime>,
    /// First day (not for `hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The part of the first day taken.
    #[serde(alias = "startDatePortion")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_portion: Option<DayPortion>,
    /// Last day (not for `hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The part of the last day taken.
    #[serde(alias = "endDatePortion")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_portion: Option<DayPortion>,
    /// The part of every day taken (`portionOnRange`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_portion: Option<DayPortion>,
    /// The day of an `hours` request.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Hours on [`date`](Self::date) (`hours`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_on_date: Option<i64>,
    /// Hours every day (`hoursOnRange`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_hours: Option<f64>,
    /// Unit of [`total_duration`](Self::total_duration) and
    /// [`total_cost`](Self::total_cost).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_unit: Option<DurationUnit>,
    /// The time covered, days off included.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_duration: Option<f64>,
    /// What it takes from the balance.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<f64>,
    /// Why it changed.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_reason: Option<String>,
    /// The very first request of this chain of replacements.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_request_id: Option<RequestId>,
    /// The request this one replaced.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_request_id: Option<RequestId>,
    /// Public, private or shown under a custom name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Keys this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
