//! Time-off models: requests, who's out, the changes feed, balances,
//! adjustments, policies and reason codes, the calendar searches and the
//! `timeoff.request.*` webhook events.
//!
//! # Endpoints
//!
//! Paths are relative to `https://api.hibob.com/v1`. "Spec" lines are in
//! `hibob-openapi-2025.yml` (HiBob's OpenAPI as scraped in June 2025); the
//! calendar searches came later and follow HiBob's docs pages.
//!
//! | Method | Path | Query / body | Answer | Source |
//! |---|---|---|---|---|
//! | `POST` | `/timeoff/employees/{id}/requests` | body [`SubmitTimeOffRequest`] | 200, empty body | spec 11864 |
//! | `GET` | `/timeoff/employees/{id}/requests/{requestId}` | – | [`TimeOffRequest`]; 404 if not this employee's | spec 11178 |
//! | `DELETE` | `/timeoff/employees/{id}/requests/{requestId}` | – | 200, empty body | spec 11151 |
//! | `GET` | `/timeoff/requests/changes` | `since` (date-time, required), `to` (date-time), `includePending` | [`ChangesResponse`] | spec 11531 |
//! | `GET` | `/timeoff/whosout` | `from`, `to` (dates, required), `includeHourly`, `includePrivate`, `includePending` | [`WhosOutResponse`] | spec 11704 |
//! | `GET` | `/timeoff/outtoday` | `today` (date; HiBob's default is the UTC date), `includeHourly`, `includePrivate`, `siteId` (integer) | [`OutTodayResponse`] | spec 11386 |
//! | `GET` | `/timeoff/employees/{id}/balance` | `policyType`, `date` (both required) | [`Balance`] | spec 10715 |
//! | `POST` | `/timeoff/employees/{id}/adjustments` | body [`AdjustmentRequest`] | 200, empty body | spec 10808 |
//! | `GET` | `/timeoff/policy-types` | – | [`PolicyTypeNames`] | spec 11112 |
//! | `GET` | `/timeoff/policy-types/{policyType}` | – | [`PolicyType`]; 404 if unknown | spec 11068 |
//! | `GET` | `/timeoff/policy-types/{policyType}/reason-codes` | – | [`ReasonCodes`]; 404 if unknown | spec 10990 |
//! | `POST` | `/timeoff/policy-types/{policyType}/reason-codes` | body [`AddReasonCodes`] | 200, empty body; 404 if unknown | spec 11029 |
//! | `GET` | `/timeoff/policies/names` | `policyTypeName` (required) | [`PolicyNames`] | spec 10876 |
//! | `GET` | `/timeoff/policies` | `policyName` (required) | [`Policy`]; 404 if unknown | spec 10908 |
//! | `POST` | `/timeoff/calendars/events/search` | body [`CalendarEventsSearch`] | [`CursorPage`](crate::models::CursorPage)`<`[`CalendarEvent`]`>` | docs `post_timeoff-calendars-events-search` |
//! | `POST` | `/timeoff/calendars/employees/search` | body [`EmployeeCalendarsSearch`] | [`CursorPage`](crate::models::CursorPage)`<`[`EmployeeCalendar`]`>` | docs `post_timeoff-calendars-employees-search` |
//! | webhook | `timeoff.request.*` | [`TimeOffEventType`], `data` [`TimeOffEventData`] | follow-up: the read-one `GET` above | docs `time-off-webhooks` |
//!
//! Writes: a submit, an adjustment and adding reason codes are not
//! idempotent (HiBob documents no idempotency key), so none may be resent once
//! it may have reached HiBob. A cancel (`DELETE`) is idempotent. Every body
//! type has a `validate()` returning [`Error::InvalidRequest`](crate::Error::InvalidRequest)
//! so bad input is refused before sending.
//!
//! Permissions (HiBob's "Time off API Required Permissions" pages; the UI
//! paths below are as HiBob's policy and balance pages, third-party guides
//! and the calendar pages write them), each the hint a 403 of the endpoint
//! names (`src/time_off/mod.rs`):
//! - policy types, policies and reason codes: Features > Time off >
//!   Settings > "Manage company's time off settings" (a Features permission);
//! - balances: People's data > Time off > Balance > "See selected people's
//!   time off and sick leave balances", and "Adjust selected people's time
//!   off balances and bank their overtime" for adjustments;
//! - reading requests, who's out and out today: People's data > Time off >
//!   See who's out today > "See who's out", plus "See who's out because of a
//!   private policy or policies with a custom name" for `includePrivate`
//!   (the changes feed's exact permission is not verified; it names the same);
//! - pending requests, submitting and cancelling: People's data > Time off >
//!   Requests ("Create, edit all fields, and cancel people's requests…");
//! - both calendar searches: Settings > Calendars ("Manage company
//!   calendar").
//!
//! Rate limits: neither the OpenAPI nor our API notes give numbers for
//! time off (HiBob's time-off reference pages have tables we could not read
//! in full), so no endpoint declares one.
//!
//! # How values are read
//!
//! Every field of an answer is optional and unknown keys are kept in `extra`. Dates are
//! [`chrono::NaiveDate`]; `createdOn` is a [`chrono::NaiveDateTime`] (HiBob
//! sends no zone; it is read as UTC, and a `Z` or offset is converted). A
//! value of the wrong shape is a decode error with its JSON path, never an
//! empty value: see `wire`. Where the OpenAPI and the docs (or two answers)
//! disagree, both spellings are read; each model's docs say which.
//!
//! # Assumptions where the sources are loose
//!
//! - Who's out and out today name the same keys differently (`type` /
//!   `requestRangeType`, `startPortion` / `startDatePortion`, `hoursOnDate` /
//!   `hours`); both models read both.
//! - `requestId` is an integer in the OpenAPI; numeric text is read too.
//!   `reasonCode` is a string on reads and an integer on submits: read as text.
//! - `status` is free text in the OpenAPI (`pending_approval` in its example,
//!   "Approved or Pending" in who's out): an open enum folding both pendings.
//! - `approvedAt` / `declinedAt` have no format: kept as text.
//! - The submit `oneOf` has six types (days, hours, differentDayDurations,
//!   portionOnRange, hoursOnRange, specificHoursDayDurations); there is no
//!   percentage type.
//! - Calendar search items are keyed by field ID (`/calendarEvent/name`);
//!   plain keys are read too. Calendar and site IDs are read as text. The
//!   events search's date range is sent as one `between` filter with
//!   `[from, to]` (the docs call it "a from/to pair"; the operator's name is
//!   unverified). The 5,000-ID cap and the page limit of 1,000 come from a
//!   third-party connector; the 366-day range from the docs.
//! - `ChangeType::Updated` is not in the OpenAPI's list (a third-party
//!   connector reports it).

mod adjustments;
mod balance;
mod calendars;
mod changes;
mod events;
mod kinds;
mod policies;
mod requests;
mod submit;
mod whos_out;
mod wire;

pub use adjustments::{AdjustmentRequest, AdjustmentType};
pub use balance::Balance;
pub use calendars::{
    CalendarEvent, CalendarEventsSearch, CalendarSource, EmployeeCalendar, EmployeeCalendarsSearch,
    FilterOperator, MAX_EMPLOYEE_IDS, MAX_EVENT_RANGE_DAYS, MAX_LIMIT, SearchBody, SearchFilter,
    fields as calendar_fields,
};
pub use changes::{ChangeType, ChangesResponse, TimeOffChange};
pub use events::{TimeOffEventData, TimeOffEventType};
pub use kinds::{DayPortion, DurationUnit, RequestId, RequestRangeType, RequestStatus, Visibility};
pub use policies::{
    AddReasonCodes, MinRequestDuration, Policy, PolicyActivity, PolicyNames, PolicyType,
    PolicyTypeNames, ReasonCode, ReasonCodes, YearsOfServiceIncrease,
};
pub use requests::{Attachment, TimeOffRequest};
pub use submit::{DayDuration, MINUTES_PER_DAY, RequestDuration, SubmitTimeOffRequest};
pub use whos_out::{OutToday, OutTodayResponse, WhosOut, WhosOutResponse};

#[cfg(test)]
mod tests;
