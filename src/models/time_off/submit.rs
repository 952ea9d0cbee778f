//! The body of `POST /timeoff/employees/{id}/requests`: one of the six
//! request types of the OpenAPI's `oneOf`, with what they share.
//!
//! HiBob answers 200 with an empty body and documents no idempotency key, so
//! a submit is a write that must never be sent twice.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::kinds::{DayPortion, RequestRangeType};
use super::wire::ser_time;
use crate::models::EmployeeId;

mod validate;

/// The most time one day can hold, in minutes, for the checks in
/// [`validate`](SubmitTimeOffRequest::validate).
pub const MINUTES_PER_DAY: u32 = 24 * 60;

/// A new time-off request for one employee.
///
/// Build one with a constructor per request type ([`days`](Self::days),
/// [`hours`](Self::hours), …), adjust it with the `with_*` methods, and call
/// [`validate`](Self::validate) before sending. Serializes to HiBob's body:
/// the [`duration`](Self::duration) is flattened in, tagged by
/// `requestRangeType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SubmitTimeOffRequest {
    /// The policy type's name (`Holiday`, `Sick`, a custom type).
    pub policy_type: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (the same as the first for an `hours` request).
    pub end_date: NaiveDate,
    /// The request type and its own fields.
    #[serde(flatten)]
    pub duration: RequestDuration,
    /// Admins only: create the request already approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_manager_approval: Option<bool>,
    /// Who to record as approver when skipping approval (the caller needs the
    /// permission to import time-off requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<EmployeeId>,
    /// The reason given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A reason code ID from `GET /timeoff/policy-types/{policyType}/reason-codes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<i64>,
}

/// The request type, with the fields that only it has. Serialized with its
/// `requestRangeType` tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "requestRangeType", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum RequestDuration {
    /// `days`: whole days; the first may start in the `afternoon`, the last
    /// may end in the `morning`.
    #[serde(rename = "days")]
    Days {
        /// `all_day` or `afternoon`.
        start_date_portion: DayPortion,
        /// `all_day` or `morning`.
        end_date_portion: DayPortion,
    },
    /// `hours`: hours and minutes on one day (policy types measured in hours).
    #[serde(rename = "hours")]
    Hours {
        /// Whole hours.
        hours: u32,
        /// Minutes on top (0–59).
        minutes: u32,
    },
    /// `differentDayDurations`: a duration for each day.
    #[serde(rename = "differentDayDurations")]
    DifferentDayDurations {
        /// One entry per day of the range.
        durations: Vec<DayDuration>,
    },
    /// `portionOnRange`: every morning or every afternoon of the range.
    #[serde(rename = "portionOnRange")]
    PortionOnRange {
        /// `morning` or `afternoon`.
        day_portion: DayPortion,
    },
    /// `hoursOnRange`: the same hours and minutes every day (policy types
    /// measured in hours).
    #[serde(rename = "hoursOnRange")]
    HoursOnRange {
        /// Whole hours a day.
        daily_hours: u32,
        /// Minutes on top (0–59).
        daily_minutes: u32,
    },
    /// `specificHoursDayDurations`: from one local time to another every day,
    /// in the employee's site time zone.
    #[serde(rename = "specificHoursDayDurations")]
    SpecificHours {
        /// Start time (`09:30:00`).
        #[serde(serialize_with = "ser_time")]
        local_start_time: NaiveTime,
        /// End time (`13:00:00`).
        #[serde(serialize_with = "ser_time")]
        local_end_time: NaiveTime,
    },
}

/// The duration of one day of a `differentDayDurations` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DayDuration {
    /// The day.
    pub date: NaiveDate,
    /// Whole hours.
    pub hours: u32,
    /// Minutes on top (0–59).
    pub minutes: u32,
}

impl DayDuration {
    /// `hours:minutes` off on `date`.
    pub fn new(date: NaiveDate, hours: u32, minutes: u32) -> Self {
        Self {
            date,
            hours,
            minutes,
        }
    }
}

impl RequestDuration {
    /// The `requestRangeType` this duration is sent as.
    pub fn range_type(&self) -> RequestRangeType {
        match self {
            Self::Days { .. } => RequestRangeType::Days,
            Self::Hours { .. } => RequestRangeType::Hours,
            Self::DifferentDayDurations { .. } => RequestRangeType::DifferentDayDurations,
            Self::PortionOnRange { .. } => RequestRangeType::PortionOnRange,
            Self::HoursOnRange { .. } => RequestRangeType::HoursOnRange,
            Self::SpecificHours { .. } => RequestRangeType::SpecificHoursDayDurations,
        }
    }
}

impl SubmitTimeOffRequest {
    fn new(
        policy_type: impl Into<String>,
        start: NaiveDate,
        end: NaiveDate,
        duration: RequestDuration,
    ) -> Self {
        Self {
            policy_type: policy_type.into(),
            start_date: start,
            end_date: end,
            duration,
            skip_manager_approval: None,
            approver: None,
            description: None,
            reason_code: None,
        }
    }

    /// Whole days from `start` to `end`, both taken in full (change the
    /// first and last day with [`with_portions`](Self::with_portions)).
    pub fn days(policy_type: impl Into<String>, start: NaiveDate, end: NaiveDate) -> Self {
        let duration = RequestDuration::Days {
            start_date_portion: DayPortion::AllDay,
            end_date_portion: DayPortion::AllDay,
        };
        Self::new(policy_type, start, end, duration)
    }

    /// `hours:minutes` on one day.
    pub fn hours(
        policy_type: impl Into<String>,
        date: NaiveDate,
        hours: u32,
        minutes: u32,
    ) -> Self {
        Self::new(
            policy_type,
            date,
            date,
            RequestDuration::Hours { hours, minutes },
        )
    }

    /// A different duration on each day from `start` to `end`.
    pub fn different_day_durations(
        policy_type: impl Into<String>,
        start: NaiveDate,
        end: NaiveDate,
        durations: Vec<DayDuration>,
    ) -> Self {
        Self::new(
            policy_type,
            start,
            end,
            RequestDuration::DifferentDayDurations { durations },
        )
    }

    /// Every morning or every afternoon from `start` to `end`.
    pub fn portion_on_range(
        policy_type: impl Into<String>,
        start: NaiveDate,
        end: NaiveDate,
        day_portion: DayPortion,
    ) -> Self {
        Self::new(
            policy_type,
            start,
            end,
            RequestDuration::PortionOnRange { day_portion },
        )
    }

    /// `daily_hours:daily_minutes` every day from `start` to `end`.
    pub fn hours_on_range(
        policy_type: impl Into<String>,
        start: NaiveDate,
        end: NaiveDate,
        daily_hours: u32,
        daily_minutes: u32,
    ) -> Self {
        let duration = RequestDuration::HoursOnRange {
            daily_hours,
            daily_minutes,
        };
        Self::new(policy_type, start, end, duration)
    }

    /// From `local_start_time` to `local_end_time` (site time) every day from
    /// `start` to `end`.
    pub fn specific_hours(
        policy_type: impl Into<String>,
        start: NaiveDate,
        end: NaiveDate,
        local_start_time: NaiveTime,
        local_end_time: NaiveTime,
    ) -> Self {
        let duration = RequestDuration::SpecificHours {
            local_start_time,
            local_end_time,
        };
        Self::new(policy_type, start, end, duration)
    }

    /// The portions of the first and last day of a `days` request; ignored
    /// for other types.
    #[must_use]
    pub fn with_portions(mut self, start: DayPortion, end: DayPortion) -> Self {
        if let RequestDuration::Days {
            start_date_portion,
            end_date_portion,
        } = &mut self.duration
        {
            *start_date_portion = start;
            *end_date_portion = end;
        }
        self
    }

    /// The reason given.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A reason code ID from the policy type's reason codes.
    #[must_use]
    pub fn with_reason_code(mut self, reason_code: i64) -> Self {
        self.reason_code = Some(reason_code);
        self
    }

    /// Admins only: create the request approved, recording `approver`.
    #[must_use]
    pub fn approved_by(mut self, approver: impl Into<EmployeeId>) -> Self {
        self.skip_manager_approval = Some(true);
        self.approver = Some(approver.into());
        self
    }
}
