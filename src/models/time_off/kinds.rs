//! The values every time-off answer shares: the request ID, how a request
//! measures its time, which part of a day it takes, its unit, visibility and
//! status.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::wire::{Scalar, open_enum, required};

/// A time-off request's backend ID (`requestId`, `timeoffRequestId`), an
/// integer in HiBob's OpenAPI and examples (`27500233`). Numeric text is
/// accepted too; it serializes as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RequestId(i64);

impl RequestId {
    /// Wraps an ID as HiBob sent it.
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    /// The ID as a number.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<i64> for RequestId {
    fn from(id: i64) -> Self {
        Self(id)
    }
}

impl Scalar for RequestId {
    const EXPECTING: &'static str = "a time-off request ID (an integer)";

    fn from_text(text: &str) -> Option<Self> {
        i64::from_text(text).map(Self)
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(Self(n))
    }
    fn from_f64(n: f64) -> Option<Self> {
        i64::from_f64(n).map(Self)
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        required(d)
    }
}

open_enum! {
    /// How a request measures its time: `type` on reads and who's out,
    /// `requestRangeType` on submits and out today.
    ///
    /// Reads document the first four; the submit body's `oneOf` adds
    /// `differentDayDurations` and `specificHoursDayDurations`, which a read of
    /// such a request may send as well.
    RequestRangeType {
        /// `days`: whole days, with a portion of the first and last day.
        Days => "days";
        /// `hours`: hours and minutes on one day.
        Hours => "hours";
        /// `portionOnRange`: every morning or every afternoon of the range.
        PortionOnRange => "portionOnRange";
        /// `hoursOnRange`: the same hours every day of the range.
        HoursOnRange => "hoursOnRange";
        /// `differentDayDurations`: different hours on each day.
        DifferentDayDurations => "differentDayDurations";
        /// `specificHoursDayDurations`: the same start and end time every day.
        SpecificHoursDayDurations => "specificHoursDayDurations";
        /// `differentSpecificHoursDayDurations`: different start and end
        /// times (or portions) on each day. Read only: listed by the who's-out
        /// docs, not by the 2025 OpenAPI's submit types.
        DifferentSpecificHoursDayDurations => "differentSpecificHoursDayDurations";
        /// `percentageOnRange`: a percentage of every day of the range. Read only.
        PercentageOnRange => "percentageOnRange";
        /// `openEnded`: no end date yet. Read only.
        OpenEnded => "openEnded";
    }
}

impl RequestRangeType {
    /// Whether the request is measured in hours rather than (parts of) days.
    /// `false` for values this crate does not know.
    pub fn is_hourly(&self) -> bool {
        matches!(
            self,
            Self::Hours
                | Self::HoursOnRange
                | Self::DifferentDayDurations
                | Self::SpecificHoursDayDurations
                | Self::DifferentSpecificHoursDayDurations
        )
    }
}

open_enum! {
    /// The part of a day a request takes: `startPortion`/`endPortion`
    /// (`startDatePortion`/`endDatePortion` on submits and out today) and
    /// `dayPortion`. HiBob writes `all_day`, `morning` and `afternoon`.
    DayPortion {
        /// `all_day`.
        AllDay => "all_day";
        /// `morning`.
        Morning => "morning";
        /// `afternoon`.
        Afternoon => "afternoon";
    }
}

open_enum! {
    /// The unit of a policy, a balance and a request's `totalDuration` and
    /// `totalCost` (`durationUnit`, `unit`).
    DurationUnit {
        /// `days`.
        Days => "days";
        /// `hours`.
        Hours => "hours";
    }
}

open_enum! {
    /// Who may see a request (`visibility`): HiBob writes `Public`,
    /// `Private` and `Custom name`.
    Visibility {
        /// `Public`.
        Public => "Public";
        /// `Private`: only returned with `includePrivate=true`.
        Private => "Private";
        /// `Custom name`: public, shown under a custom policy name.
        CustomName => "Custom name";
    }
}

open_enum! {
    /// A request's status (`status`). The OpenAPI's example is
    /// `pending_approval` and who's out documents "Approved or Pending", so
    /// both `pending` spellings are [`Pending`](Self::Pending); `cancelled`
    /// is [`Canceled`](Self::Canceled). Serialized in lowercase.
    RequestStatus {
        /// `approved`.
        Approved => "approved";
        /// `pending` (also `pending_approval`).
        Pending => "pending" | "pendingApproval";
        /// `declined`.
        Declined => "declined";
        /// `canceled` (also `cancelled`).
        Canceled => "canceled" | "cancelled";
    }
}
