//! Time off: requests (read, submit, cancel), the changes feed, who's out and
//! out today, balances and adjustments, policy types, policies and reason
//! codes, and the company-calendar searches.
//!
//! ```
//! use hibob::chrono::{Days, NaiveDate};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(10).start().await;
//! # let client = fake.client();
//! let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
//! let week = client
//!     .time_off()
//!     .whos_out(monday, monday + Days::new(6))
//!     .include_hourly(true)
//!     .await?;
//! for out in &week {
//!     println!("{:?} is out from {:?}", out.employee_display_name, out.start_date);
//! }
//!
//! // Every policy type the company has, by name.
//! let types = client.time_off().policy_types().await?;
//! assert!(!types.is_empty());
//! # Ok(())
//! # }
//! ```
//!
//! # Requests and writes
//!
//! Submitting a request ([`TimeOff::submit`]), adjusting a balance
//! ([`TimeOff::adjust`]) and adding reason codes are writes that create:
//! HiBob documents no idempotency key, so none is ever resent once it may
//! have reached HiBob. A 5xx, a timeout or a dropped connection after sending
//! is [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown): read the
//! employee's requests or balance back before trying again. Cancelling
//! ([`TimeOff::cancel`]) is idempotent and retried like a read. Every body is
//! validated before anything is sent.
//!
//! # Rate limits
//!
//! HiBob's "Time off balance" page documents 50 balance reads and 10 balance
//! adjustments a minute; those two endpoints declare them. The other
//! time-off pages carry rate-limit tables this crate could not read in full,
//! and neither the OpenAPI nor our API notes give numbers, so the other
//! endpoints declare no client-side limit. The limits learnt from
//! `X-RateLimit-*` headers and 429 handling still apply; set a bucket with
//! [`RateLimits`](crate::RateLimits) to pace yourself.
//!
//! # Permissions
//!
//! A 403 names the permission to grant, in Bob's words: People's data >
//! Time off for requests, who's out and balances; Features > Time off >
//! Settings for policy types, policies and reason codes; the company-calendar
//! permission for the calendar searches.

use crate::Client;
use crate::models::EmployeeId;

mod absences;
mod balance;
mod calendars;
mod changes;
mod policies;
mod requests;

pub use absences::{OutTodayRequest, WhosOutRequest};
pub use changes::{ChangesBound, ChangesRequest, MAX_CHANGES_WINDOW_DAYS};

pub use crate::models::time_off::{
    AddReasonCodes, AdjustmentRequest, AdjustmentType, Attachment, Balance, CalendarEvent,
    CalendarEventsSearch, CalendarSource, ChangeType, ChangesResponse, DayDuration, DayPortion,
    DurationUnit, EmployeeCalendar, EmployeeCalendarsSearch, FilterOperator, MAX_EMPLOYEE_IDS,
    MAX_EVENT_RANGE_DAYS, MAX_LIMIT, MINUTES_PER_DAY, MinRequestDuration, OutToday,
    OutTodayResponse, Policy, PolicyActivity, PolicyNames, PolicyType, PolicyTypeNames, ReasonCode,
    ReasonCodes, RequestDuration, RequestId, RequestRangeType, RequestStatus, SearchBody,
    SearchFilter, SubmitTimeOffRequest, TimeOffChange, TimeOffEventData, TimeOffEventType,
    TimeOffRequest, Visibility, WhosOut, WhosOutResponse, YearsOfServiceIncrease, calendar_fields,
};

/// People's data > Time off: reading requests and who is out.
pub(crate) const SEE_WHOS_OUT: &str = "People's data > Time off > See who's out today > See who's out (with includePrivate, also \"See who's out because of a private policy or policies with a custom name\")";

/// People's data > Time off > Requests: creating and cancelling requests.
pub(crate) const MANAGE_REQUESTS: &str =
    "People's data > Time off > Requests > Create, edit all fields, and cancel people's requests";

/// People's data > Time off > Balance: reading balances.
pub(crate) const SEE_BALANCES: &str =
    "People's data > Time off > Balance > See selected people's time off and sick leave balances";

/// People's data > Time off > Balance: adjusting balances.
pub(crate) const ADJUST_BALANCES: &str = "People's data > Time off > Balance > Adjust selected people's time off balances and bank their overtime";

/// The Features permission behind policy types, policies and reason codes.
pub(crate) const TIME_OFF_SETTINGS: &str =
    "Features > Time off > Settings > Manage company's time off settings";

/// The calendar searches' permission.
pub(crate) const MANAGE_CALENDAR: &str = "Settings > Calendars > Manage company calendar";

impl Client {
    /// Time off: requests, changes, who's out, balances, policies and
    /// calendars; see [`time_off`](crate::time_off).
    pub fn time_off(&self) -> TimeOff<'_> {
        TimeOff { client: self }
    }
}

/// The time-off handle; see [`Client::time_off`].
///
/// Its methods return builders or boxed futures that own what they need (a
/// clone of the client and their arguments), so they are
/// `Send + Sync + 'static`: spawn them, store them, or join them without
/// keeping the handle alive.
///
/// ```
/// use hibob::chrono::NaiveDate;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// let time_off = client.time_off();
/// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let (out, types) = futures::try_join!(time_off.out_today().on(day).into_future(), time_off.policy_types())?;
/// println!("{} out on {day}; {} policy types", out.len(), types.len());
/// # Ok(())
/// # }
/// # use std::future::IntoFuture;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TimeOff<'a> {
    client: &'a Client,
}

/// An employee ID as a path segment.
fn employee(id: impl Into<EmployeeId>) -> String {
    id.into().as_str().to_owned()
}

#[cfg(test)]
mod tests;
