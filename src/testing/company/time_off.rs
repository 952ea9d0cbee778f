//! The company's time off, as the fake serves it: policy types with their
//! policies and reason codes, every request, balance adjustments, the
//! changes feed and the holiday calendars.
//!
//! Plain Rust values, small per employee (about four requests and ten
//! change entries), so a 20,000-employee company keeps its time off in a few
//! megabytes. Balances are not stored: [`TimeOff::balance`] computes them from
//! the requests and adjustments, so they move whenever a request is approved
//! or cancelled.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// Everything the fake knows about time off. Part of [`Company`](super::Company)
/// as [`Company::time_off`](super::Company::time_off).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let fake = hibob::testing::FakeHibob::builder().employees(20).start().await;
/// let truth = fake.truth();
/// let holiday = truth.time_off.policy_type("Holiday").expect("generated");
/// assert_eq!(holiday.unit, "days");
/// let someone = &truth.employees[0].id;
/// let balance = truth.time_off.balance(someone, "Holiday", truth.today).unwrap();
/// assert!(balance.total_balance <= balance.starting_balance + balance.admin_adjustments);
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct TimeOff {
    /// The policy types (`Holiday`, `Sick`, `Training`), with their policies.
    pub policy_types: Vec<TruthPolicyType>,
    /// Every request of every employee, ascending [`request_id`](TruthRequest::request_id)
    /// (keep that order when adding requests inside [`FakeHibob::update`]:
    /// lookups by ID rely on it).
    ///
    /// [`FakeHibob::update`]: crate::testing::FakeHibob::update
    pub requests: Vec<TruthRequest>,
    /// Balance adjustments, in the order they were made.
    pub adjustments: Vec<TruthAdjustment>,
    /// The changes feed, ascending [`at`](TruthChange::at) (keep that order too).
    pub changes: Vec<TruthChange>,
    /// The holiday calendars (one per open site) and their events.
    pub calendars: Vec<TruthCalendar>,
    /// How many changes the fake has stamped on `today` (see [`TimeOff::stamp`]).
    pub(crate) stamps: u32,
}

/// A policy type and what belongs to it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthPolicyType {
    /// The name every call takes (`Holiday`).
    pub name: String,
    /// `paidTimeoff`, `unpaidTimeoff` or `workTime`.
    pub activity: String,
    /// `days` or `hours`.
    pub unit: String,
    /// The visibility of its requests: `Public`, `Private` or `Custom name`.
    pub visibility: String,
    /// The name shown instead of [`name`](Self::name) when visibility is
    /// `Custom name` and `includePrivate` is not set.
    pub custom_name: Option<String>,
    /// Its policies; each employee has one of them (see [`TimeOff::policy_of`]).
    pub policies: Vec<TruthPolicy>,
    /// Its reason codes.
    pub reason_codes: Vec<TruthReasonCode>,
}

impl TruthPolicyType {
    /// Whether the type is measured in hours.
    pub fn is_hourly(&self) -> bool {
        self.unit == "hours"
    }
}

/// A policy, as `GET /timeoff/policies?policyName=` serves it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthPolicy {
    /// The policy's name (unique across types).
    pub name: String,
    /// Its description.
    pub description: String,
    /// The annual allowance, in the type's unit.
    pub allowance: f64,
    /// The most that may remain at the end of a cycle.
    pub max_balance: f64,
    /// The lowest the balance may go.
    pub min_balance: f64,
    /// `(years of service, extra days)` steps.
    pub yos_increase: Vec<(f64, f64)>,
    /// `fullDay`, `halfDay`, `fullHour`, …
    pub min_request_duration: String,
    /// Whether weekends are left out of a request's cost.
    pub booking_work_days_only: bool,
    /// Whether requests wait for approval (else a submit is approved at once).
    pub approval_required: bool,
}

/// A reason code of a policy type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TruthReasonCode {
    /// The ID a submit's `reasonCode` takes (unique across types).
    pub id: i64,
    /// The name shown in Bob.
    pub name: String,
}

/// A request's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TruthStatus {
    /// Approved: counts against the balance and shows in who's out.
    Approved,
    /// Waiting for approval (who's out shows it with `includePending`).
    Pending,
    /// Declined by the fake's [`decline`](crate::testing::FakeHibob::decline).
    Declined,
    /// Cancelled through `DELETE`.
    Canceled,
}

impl TruthStatus {
    /// The `status` a read of the request sends.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Pending => "pending",
            Self::Declined => "declined",
            Self::Canceled => "canceled",
        }
    }
}

/// A part of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Portion {
    /// `all_day`.
    AllDay,
    /// `morning`.
    Morning,
    /// `afternoon`.
    Afternoon,
}

impl Portion {
    /// As HiBob writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllDay => "all_day",
            Self::Morning => "morning",
            Self::Afternoon => "afternoon",
        }
    }

    /// `all_day`, `morning` or `afternoon`; `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::AllDay, Self::Morning, Self::Afternoon]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// How much time a request takes, by request type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TruthAmount {
    /// `days`, with the portions of the first and last day.
    Days {
        /// The first day's portion (`all_day` or `afternoon`).
        start: Portion,
        /// The last day's portion (`all_day` or `morning`).
        end: Portion,
    },
    /// `portionOnRange`: every morning or every afternoon.
    PortionOnRange(Portion),
    /// `hours` on one day.
    Hours {
        /// Whole hours.
        hours: u32,
        /// Minutes on top.
        minutes: u32,
    },
    /// `hoursOnRange`: the same time every day.
    HoursOnRange {
        /// Whole hours a day.
        hours: u32,
        /// Minutes on top.
        minutes: u32,
    },
    /// `differentDayDurations`, kept as the total minutes.
    DifferentDayDurations {
        /// The minutes of every day together.
        total_minutes: u32,
    },
    /// `specificHoursDayDurations`: from one local time to another every day.
    SpecificHours {
        /// Start time.
        start: NaiveTime,
        /// End time.
        end: NaiveTime,
    },
}

impl TruthAmount {
    /// The `type` the request is read back with.
    pub fn range_type(&self) -> &'static str {
        match self {
            Self::Days { .. } => "days",
            Self::PortionOnRange(_) => "portionOnRange",
            Self::Hours { .. } => "hours",
            Self::HoursOnRange { .. } => "hoursOnRange",
            Self::DifferentDayDurations { .. } => "differentDayDurations",
            Self::SpecificHours { .. } => "specificHoursDayDurations",
        }
    }

    /// Whether the amount is in hours (`includeHourly` decides who's out).
    pub fn is_hourly(&self) -> bool {
        !matches!(self, Self::Days { .. } | Self::PortionOnRange(_))
    }
}

/// One time-off request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthRequest {
    /// The request's ID (an integer, as HiBob's are).
    pub request_id: i64,
    /// Whose request it is.
    pub employee_id: String,
    /// The policy type's name.
    pub policy_type: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (the same as the first for `hours`).
    pub end_date: NaiveDate,
    /// The request type and its time.
    pub amount: TruthAmount,
    /// Its status now.
    pub status: TruthStatus,
    /// When it was created (UTC).
    pub created_on: NaiveDateTime,
    /// The description given.
    pub description: Option<String>,
    /// The reason code ID given.
    pub reason_code: Option<i64>,
    /// The time covered, weekends included (the type's unit).
    pub total_duration: f64,
    /// What it takes from the balance (the type's unit).
    pub total_cost: f64,
}

impl TruthRequest {
    /// Whether the request covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.start_date <= date && date <= self.end_date
    }
}

/// A balance adjustment (`POST /timeoff/employees/{id}/adjustments`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthAdjustment {
    /// Whose balance.
    pub employee_id: String,
    /// The policy type's name.
    pub policy_type: String,
    /// From when it counts.
    pub effective_date: NaiveDate,
    /// How much (negative subtracts).
    pub amount: f64,
    /// `true` for `daysUsed` (adds to the time taken), `false` for `balance`.
    pub days_used: bool,
    /// The reason given.
    pub reason: Option<String>,
}

/// What happened to a request, as the changes feed names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChangeKind {
    /// `Created`: the request was approved (or created approved).
    Created,
    /// `Pending`: the request was submitted and waits for approval.
    Pending,
    /// `Canceled`: the request was cancelled.
    Canceled,
    /// `Deleted`: the request was declined (the fake's assumption).
    Deleted,
}

impl ChangeKind {
    /// The feed's `changeType`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "Created",
            Self::Pending => "Pending",
            Self::Canceled => "Canceled",
            Self::Deleted => "Deleted",
        }
    }
}

/// One entry of the changes feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TruthChange {
    /// When it happened (UTC).
    pub at: NaiveDateTime,
    /// What happened.
    pub kind: ChangeKind,
    /// Which request.
    pub request_id: i64,
}

/// A holiday calendar (the calendar searches).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TruthCalendar {
    /// The calendar's ID (served as text).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The site whose default calendar it is.
    pub site_id: i64,
    /// Its events, ascending start date.
    pub events: Vec<TruthCalendarEvent>,
}

/// One holiday or closure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TruthCalendarEvent {
    /// The event's ID (served as text).
    pub id: String,
    /// Its name.
    pub name: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// `holiday` or `closure`.
    pub event_type: String,
}

/// An employee's balance for one policy type on one date, as the balance
/// endpoint serves it. The cycle is the calendar year.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthBalance {
    /// The employee's policy of that type.
    pub policy: String,
    /// The balance on the date.
    pub total_balance: f64,
    /// Carry-over plus the annual allowance, on the first day of the year.
    pub starting_balance: f64,
    /// The first day of the cycle.
    pub starting_balance_as_of: NaiveDate,
    /// Approved requests starting in the cycle up to the date, plus `daysUsed` adjustments.
    pub taken: f64,
    /// `balance` adjustments effective in the cycle up to the date.
    pub admin_adjustments: f64,
    /// The policy's annual allowance.
    pub annual_allowance: f64,
}

/// A small stable hash of an employee ID (policy choice, carry-over).
pub(crate) fn id_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl TimeOff {
    /// The policy type with this name.
    pub fn policy_type(&self, name: &str) -> Option<&TruthPolicyType> {
        self.policy_types.iter().find(|t| t.name == name)
    }

    /// The policy with this name, and its type.
    pub fn policy(&self, name: &str) -> Option<(&TruthPolicyType, &TruthPolicy)> {
        self.policy_types
            .iter()
            .find_map(|t| t.policies.iter().find(|p| p.name == name).map(|p| (t, p)))
    }

    /// The request with this ID.
    pub fn request(&self, request_id: i64) -> Option<&TruthRequest> {
        let at = self
            .requests
            .binary_search_by_key(&request_id, |r| r.request_id)
            .ok()?;
        self.requests.get(at)
    }

    /// The request with this ID, mutably.
    pub(crate) fn request_mut(&mut self, request_id: i64) -> Option<&mut TruthRequest> {
        let at = self
            .requests
            .binary_search_by_key(&request_id, |r| r.request_id)
            .ok()?;
        self.requests.get_mut(at)
    }

    /// One employee's requests, ascending ID.
    pub fn requests_of<'a>(
        &'a self,
        employee_id: &'a str,
    ) -> impl Iterator<Item = &'a TruthRequest> + 'a {
        self.requests
            .iter()
            .filter(move |r| r.employee_id == employee_id)
    }

    /// The employee's policy of this type: every employee has one policy per
    /// type, chosen by a hash of their ID.
    pub fn policy_of(&self, employee_id: &str, policy_type: &str) -> Option<&TruthPolicy> {
        let policies = &self.policy_type(policy_type)?.policies;
        let n = policies.len().max(1) as u64;
        policies.get((id_hash(employee_id) % n) as usize)
    }

    /// The employee's balance for `policy_type` on `date`; `None` for an
    /// unknown type.
    pub fn balance(
        &self,
        employee_id: &str,
        policy_type: &str,
        date: NaiveDate,
    ) -> Option<TruthBalance> {
        let policy = self.policy_of(employee_id, policy_type)?;
        let cycle = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date);
        let in_cycle = |d: NaiveDate| cycle <= d && d <= date;
        let carry_over = (id_hash(employee_id) >> 8) % 6;
        let starting = policy.allowance + carry_over as f64;
        let mut taken: f64 = self
            .requests_of(employee_id)
            .filter(|r| r.policy_type == policy_type && r.status == TruthStatus::Approved)
            .filter(|r| in_cycle(r.start_date))
            .map(|r| r.total_cost)
            .sum();
        let mut admin = 0.0;
        for a in &self.adjustments {
            if a.employee_id == employee_id
                && a.policy_type == policy_type
                && in_cycle(a.effective_date)
            {
                match a.days_used {
                    true => taken += a.amount,
                    false => admin += a.amount,
                }
            }
        }
        Some(TruthBalance {
            policy: policy.name.clone(),
            total_balance: starting + admin - taken,
            starting_balance: starting,
            starting_balance_as_of: cycle,
            taken,
            admin_adjustments: admin,
            annual_allowance: policy.allowance,
        })
    }
}
