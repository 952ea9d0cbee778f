//! Who is out: `GET /timeoff/whosout` (a date range) and
//! `GET /timeoff/outtoday` (one day), both answering `{"outs": [...]}`.
//!
//! The OpenAPI names the same things differently in the two answers: who's
//! out has `type`, `startPortion`, `endPortion` and `hoursOnDate`; out today
//! has `requestRangeType`, `startDatePortion`, `endDatePortion` and `hours`.
//! Each model reads both spellings (HiBob's reads elsewhere mix them) and
//! writes its own endpoint's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinds::{DayPortion, RequestId, RequestRangeType, RequestStatus, Visibility};
use super::wire::{list, opt};
use crate::models::EmployeeId;

/// The answer of `GET /timeoff/whosout`.
///
/// `outs` must be present (a `null` reads as empty): a 200 without it is a
/// decode error rather than an empty week.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhosOutResponse {
    /// One entry per request overlapping the range.
    #[serde(deserialize_with = "list")]
    pub outs: Vec<WhosOut>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A request in a who's-out range (HiBob's `Request`). Only active employees
/// are listed; private and pending requests only when asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WhosOut {
    /// The request's ID.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// Whose request it is.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<EmployeeId>,
    /// The employee's display name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_display_name: Option<String>,
    /// The policy type's name (`Holiday`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<String>,
    /// The policy type's display name, translated for the locale (a custom
    /// name for public policies unless `includePrivate` is set).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type_display_name: Option<String>,
    /// How the request measures its time (JSON `type`).
    #[serde(rename = "type", alias = "requestRangeType")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_type: Option<RequestRangeType>,
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
    #[serde(alias = "hours")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_on_date: Option<i64>,
    /// Minutes on top of [`hours_on_date`](Self::hours_on_date).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// Hours every day (`hoursOnRange`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_hours: Option<f64>,
    /// `Approved` or `Pending`.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<RequestStatus>,
    /// Public, private or shown under a custom name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Keys this crate does not model (out today's `employeeEmail`, say).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /timeoff/outtoday`.
///
/// Without `today` HiBob uses the UTC date at the time of the call, which is
/// not the local date everywhere; pass the date to be sure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutTodayResponse {
    /// One entry per request on that day.
    #[serde(deserialize_with = "list")]
    pub outs: Vec<OutToday>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Someone out on the day asked for (HiBob's `OutToday`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutToday {
    /// Who is out.
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
    /// The policy type's display name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type_display_name: Option<String>,
    /// First day of the request (not for `hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The part of the first day taken.
    #[serde(alias = "startPortion")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date_portion: Option<DayPortion>,
    /// Last day of the request (not for `hours` requests).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The part of the last day taken.
    #[serde(alias = "endPortion")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date_portion: Option<DayPortion>,
    /// How the request measures its time (JSON `requestRangeType`).
    #[serde(rename = "requestRangeType", alias = "type")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_type: Option<RequestRangeType>,
    /// The part of every day taken (`portionOnRange`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_portion: Option<DayPortion>,
    /// Hours every day (`hoursOnRange`).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_hours: Option<f64>,
    /// The day of an `hours` request.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Hours on [`date`](Self::date) (`hours`).
    #[serde(alias = "hoursOnDate")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<i64>,
    /// Minutes on top of [`hours`](Self::hours).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// Public, private or shown under a custom name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Keys this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
