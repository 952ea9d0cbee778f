//! Bob's `timeoff.request.*` webhook events (v2): their type strings and
//! their `data`, which names the request; the request itself is fetched with
//! the follow-up read `GET /timeoff/employees/{employeeId}/requests/{timeoffRequestId}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinds::RequestId;
use super::wire::{open_enum, opt, required};
use crate::models::EmployeeId;

open_enum! {
    /// A time-off webhook event's `type`, as HiBob's "Time off Webhooks" page
    /// lists them. Matching ignores case, so `timeoff.request.setenddate` is
    /// [`SetEndDate`](Self::SetEndDate); serializing writes Bob's spelling.
    TimeOffEventType {
        /// `timeoff.request.requested`: submitted. Read right away, the
        /// request is `approved` if it was approved automatically (then an
        /// `approved` event follows), else `pending`.
        Requested => "timeoff.request.requested";
        /// `timeoff.request.approved`.
        Approved => "timeoff.request.approved";
        /// `timeoff.request.declined`.
        Declined => "timeoff.request.declined";
        /// `timeoff.request.cancelled` (Bob's spelling, two `l`s).
        Cancelled => "timeoff.request.cancelled";
        /// `timeoff.request.deleted`.
        Deleted => "timeoff.request.deleted";
        /// `timeoff.request.updated`. A change of dates or times replaces the
        /// request with a new one: `data` then carries `originalRequestId`
        /// and `previousRequestId`.
        Updated => "timeoff.request.updated";
        /// `timeoff.request.imported`: created from an import (always approved).
        Imported => "timeoff.request.imported";
        /// `timeoff.request.setEndDate`: an open-ended request got its end date.
        SetEndDate => "timeoff.request.setEndDate";
    }
}

impl TimeOffEventType {
    /// Whether the request may still be read after this event (`false` for
    /// `deleted`, whose follow-up read answers 404).
    pub fn request_still_exists(&self) -> bool {
        !matches!(self, Self::Deleted)
    }
}

/// The `data` of a `timeoff.request.*` event.
///
/// `timeoffRequestId` and `employeeId` must be present; an event without them
/// is a decode error naming the missing key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeOffEventData {
    /// The request the event is about.
    #[serde(deserialize_with = "required")]
    pub timeoff_request_id: RequestId,
    /// Whose request it is.
    #[serde(deserialize_with = "required")]
    pub employee_id: EmployeeId,
    /// Bob's ready-made URL of the follow-up read. Follow it only if it lies
    /// under the client's base URL; otherwise build the read from
    /// [`employee_id`](Self::employee_id) and
    /// [`timeoff_request_id`](Self::timeoff_request_id).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub get_api: Option<String>,
    /// `updated` events replacing a request: the very first request.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_request_id: Option<RequestId>,
    /// `updated` events replacing a request: the request replaced.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_request_id: Option<RequestId>,
    /// Keys this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
