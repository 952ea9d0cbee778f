//! An in-process fake HiBob for tests: test your HiBob integration without HiBob.
//!
//! [`FakeHibob`] starts a local HTTP server (wiremock) that serves a
//! deterministic generated company through the read endpoints of HiBob's public
//! API and its time-off endpoints, with HiBob's quirks: silent omission of
//! unpermitted fields, nested + slash-key employee objects, `humanReadable`, cursor-paginated bulk tables
//! whose `limit` counts table entries, per-employee `errors`, empty-bodied 401s,
//! 403s for denied tables, 429s with rate-limit headers, and injectable faults.
//! [`FakeHibob::truth`] hands out the same company as plain Rust values, so a
//! test can compare what a client produced with what the fake served.
//!
//! Enabled by the `test-util` feature (off by default).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use hibob::testing::FakeHibob;
//!
//! let fake = FakeHibob::builder()
//!     .employees(200)
//!     .seed(7)
//!     .deny_category("payroll") // salaries answer 403
//!     .start()
//!     .await;
//!
//! // Point your client at the fake:
//! let base_url = fake.uri(); // "http://127.0.0.1:PORT/v1"
//! let (user, token) = (fake.service_user_id(), fake.token());
//! # let _ = (base_url, user, token);
//!
//! // ... run your sync, then compare with the ground truth:
//! let truth = fake.truth();
//! let active = truth.employees.iter().filter(|e| e.is_active()).count();
//! assert!(active > 150);
//!
//! // Change something and sync again:
//! let leaver = truth.employees[10].id.clone();
//! fake.terminate(&leaver, truth.today);
//! assert_eq!(fake.truth().employee(&leaver).unwrap().lifecycle_status, "terminated");
//! # }
//! ```
//!
//! # What is served
//!
//! All under [`FakeHibob::uri`] (`…/v1`), with Basic auth
//! ([`service_user_id`](FakeHibob::service_user_id) : [`token`](FakeHibob::token)):
//! `POST /people/search`, `POST /people/{id or e-mail}`,
//! `GET /people/{id}/<table>` and `GET /bulk/people/<table>` for every
//! built-in table [`EmployeeTable`](crate::tables::EmployeeTable) says has
//! that read (others, e.g. `GET /people/{id}/deduction`, are 404),
//! `GET /company/people/employee-tables/metadata[/{table_id}]`,
//! `GET /company/people/fields`, `GET /company/named-lists[/{listName}]`,
//! the people writes (`POST /people`, `PUT /people/{identifier}`,
//! `PUT /people/{id}/email`, `POST /employees/{identifier}/terminate`,
//! `POST /employees/{employeeId}/start-date`; below), and time off (below).
//! Anything else answers 404 `{"key": "not.found", "error": "…"}`.
//!
//! # People writes
//!
//! - A create needs `firstName`, `surname`, `email`, `work.site` and
//!   `work.startDate` (400 `Missing mandatory field: …` otherwise); the e-mail
//!   must be unused (400 `employee.email.duplicated`); `work.site`,
//!   `work.title` and `work.department` take an existing live item's label or
//!   ID (400 `The value "…" isn't valid in list …`), `work.manager` an
//!   employee ID. It hires the employee as [`Company::hire`] does (lifecycle
//!   and work entries; a future start date makes a `hired`, inactive
//!   employee) and answers 200 with the employee as a read renders them.
//! - An update takes the body nested by JSON path. A key that is no field is
//!   400 `employee.field.unknown`; a historical field (metadata's
//!   `historical`, and `work.startDate`) is 400 `employee.update.historical`;
//!   fields the fake does not store (IDs, names derived, `root.email`,
//!   `internal.*`) are 400. The fake stores `root.firstName`,
//!   `root.surname`, `root.displayName`, `about.about`,
//!   `work.employeeIdInCompany` and the custom fields. Nothing changed is 304
//!   with no body; a denied category is 403.
//! - An e-mail change is 200 with no body (400 for a malformed or taken
//!   address); a termination adds the lifecycle entry as
//!   [`Company::terminate`] does, with the `terminationreason` item sent
//!   (default: the list's first), and refuses an employee already terminated;
//!   a start date sets `work.startDate` only (no history). 403 when `root`,
//!   `lifecycle` or `work` is denied, 404 for an employee outside the audience.
//! - Writes through the API send no webhook events and have no read lag; the
//!   keys above are the fake's own (HiBob publishes none for these cases).
//!
//! # Custom tables
//!
//! Two custom tables, "Assets" ([`ASSETS_TABLE_ID`], category
//! [`ASSETS_CATEGORY_ID`], which fields metadata does not name: a list and a
//! multi-list column backed by named lists the lists endpoints serve, a date,
//! money) and "Certifications" ([`CERTIFICATIONS_TABLE_ID`], category
//! [`CUSTOM_CATEGORY_ID`], "Security"), with rows for most employees
//! ([`TruthEmployee::custom_table_rows`]). Served: both metadata reads (404
//! for an unknown table), per-employee rows, the bulk read
//! (`GET /bulk/people/custom-tables/{custom_table_id}`: `limit` 1–200,
//! default 50, counts rows; the cursor is bound to the query; at most 200
//! `employeeIds`; requested employees outside the audience under `errors`),
//! and writes with HiBob's rules: a `POST` must be `{"values": [row]}` (a
//! flat one is 400); a `PUT` is the flat row, merged into the row, and a
//! wrapped `PUT` answers 200 and changes nothing; unknown columns, missing
//! mandatory columns, bad dates and list values that are no active item are
//! 400; unknown employee, table or entry 404; a denied category (or an
//! employee outside the audience) 403. Writes answer 200 with no body (the
//! 2025 spec). Each route counts in its own rate-limit window: the fake does
//! not model HiBob's shared bucket for the three writes.
//!
//! # Time off
//!
//! Every endpoint of the time-off models, from [`Company::time_off`]:
//! `POST /timeoff/employees/{id}/requests` (submit: 200, empty body),
//! `GET`/`DELETE /timeoff/employees/{id}/requests/{requestId}` (read one,
//! cancel: 200, empty body), `GET /timeoff/requests/changes`,
//! `GET /timeoff/whosout`, `GET /timeoff/outtoday`,
//! `GET /timeoff/employees/{id}/balance`, `POST /timeoff/employees/{id}/adjustments`,
//! `GET /timeoff/policy-types[/{policyType}]`,
//! `GET`/`POST /timeoff/policy-types/{policyType}/reason-codes`,
//! `GET /timeoff/policies/names?policyTypeName=`, `GET /timeoff/policies?policyName=`,
//! `POST /timeoff/calendars/events/search` and `POST /timeoff/calendars/employees/search`.
//! Each counts against its own rate-limit window, named by the route
//! template (`GET /timeoff/employees/{id}/balance`, …).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use hibob::testing::{FakeHibob, TruthStatus};
//!
//! let fake = FakeHibob::builder().employees(30).start().await;
//! let truth = fake.truth();
//! let pending = truth.time_off.requests.iter().find(|r| r.status == TruthStatus::Pending).unwrap();
//! let (who, what) = (pending.employee_id.clone(), pending.policy_type.clone());
//! let on = pending.start_date;
//! let before = truth.time_off.balance(&who, &what, on).unwrap().total_balance;
//! assert!(fake.approve(&who, pending.request_id)); // no API approves; the fake does
//! let after = fake.truth().time_off.balance(&who, &what, on).unwrap().total_balance;
//! assert_eq!(after, before - pending.total_cost);
//! # }
//! ```
//!
//! What the fake assumes where HiBob's documentation is loose:
//!
//! - The generated company has policy types `Holiday` (days, public; policies
//!   "Holiday 25 days" and "Holiday 30 days"), `Sick` (days, `Private`, no
//!   approval needed) and `Training` (hours, `Custom name` "Out of office");
//!   each employee has one policy per type ([`TimeOff::policy_of`]). Current
//!   employees have up to four requests from a year ago to four months ahead
//!   (about 2.6 per employee): approved, pending, declined and cancelled; `days`
//!   (some half days), `portionOnRange`, `hours` and `hoursOnRange`. Request
//!   IDs are integers from 27,500,000 up. Each open site has a holiday calendar.
//! - Submits are checked: unknown policy type, end before start, a request
//!   type that does not fit the type's unit (hours on a days type), a portion
//!   a type does not take, hours over a day, or a reason code of another type
//!   answer 400. A submit is pending unless `skipManagerApproval` is set or the
//!   policy needs no approval. HiBob's answer carries no ID; read it from
//!   [`FakeHibob::truth`] or the changes feed with `includePending=true`.
//! - Per-employee endpoints answer 404 for an unknown employee or one outside
//!   the audience, and for a request that is not that employee's; cancelling a
//!   cancelled or declined request answers 404. Who's out and out today list
//!   only active employees in the audience.
//! - Changes are stamped by the fake's clock: generated ones before `today`,
//!   changes made while the fake runs (submits, cancels, [`FakeHibob::approve`],
//!   [`FakeHibob::decline`]) on [`Company::today`] from 12:00:00 UTC, one
//!   second apart. A submit writes `Pending` (or `Created` if approved at
//!   once), an approval `Created`, a cancel `Canceled`, a decline `Deleted`.
//!   `Pending` entries appear only with `includePending=true`. The window is
//!   `since ≤ change ≤ to`, both included; `to` defaults to the end of
//!   `today`; `to` must be after `since` and at most 6 calendar months after it
//!   (`since` + 6 months exactly is accepted), else 400. Entries are
//!   snapshots of the request (its dates and type do not change), in time
//!   order; the feed is not paginated.
//! - Who's out `status` is `Approved` or `Pending`; reads say `approved`,
//!   `pending`, `declined`, `canceled`. Private (`Sick`) requests need
//!   `includePrivate`, hourly ones `includeHourly`; without `includePrivate`,
//!   `Custom name` types show their custom name. `minutes` is sent by who's
//!   out and out today only; the read and the feed send `hoursOnDate`.
//!   `outtoday` without `today` uses the real UTC date, not `Company::today`.
//! - Balances ([`TimeOff::balance`]) are computed, never stored: the cycle is
//!   the calendar year; the starting balance is the allowance plus a carry-over
//!   of 0 to 5; approved requests starting in the cycle up to the date are
//!   taken (weekends cost nothing); `balance` adjustments add to
//!   `totalAdminAdjustments`, `daysUsed` ones to `totalTaken`. An unknown
//!   policy type answers 404.
//! - Calendar searches take `limit` 1 to 1,000 (default 100) and a body
//!   cursor bound to the rest of the body. The events search needs a
//!   `/calendarEvent/startDate` `between` filter of at most 366 days (else
//!   400 `dateRangeTooLong`) and takes `calendarId`/`siteId` `equals` filters;
//!   the employees search needs a `/employeeCalendar/employeeId` `equals`
//!   filter of at most 5,000 IDs (else 400 `tooManyEmployeeIds`) and leaves out
//!   unknown IDs and employees outside the audience. One employee in ten (by
//!   ID) has a calendar set on their employment record; no site means source
//!   `none`.
//! - Denial: [`TIME_OFF_CATEGORY`] stands for the time-off permissions (HiBob
//!   has no such field category); denied, every time-off endpoint answers 403
//!   naming Features > Time off, People's data > Time off > See who's out, or
//!   Settings > Calendars > Manage company calendar.
//!
//! # Changes and webhooks
//!
//! Mutations change the company while the fake runs ([`hire`](FakeHibob::hire),
//! [`terminate`](FakeHibob::terminate), [`rehire`](FakeHibob::rehire), moves,
//! [`change_email`](FakeHibob::change_email), list edits,
//! [`remove_from_audience`](FakeHibob::remove_from_audience),
//! [`remove_employee`](FakeHibob::remove_employee)); with the `webhooks`
//! feature, `FakeHibob::deliver_webhooks` sends each one's signed Bob v2
//! events to a listener of the test's.
//!
#![doc = include_str!("assumptions.md")]

mod api;
mod builder;
mod company;
mod consistency;
#[cfg(feature = "webhooks")]
mod delivery;
mod fields;
mod generate;
mod generate_tables;
mod generate_time_off;
mod knobs;
mod lists;
mod log;
mod mutate;
mod onboarding;
mod reply;
mod server;
mod state;
mod store;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_changes;
#[cfg(test)]
mod tests_knobs;
#[cfg(test)]
mod tests_serving;
#[cfg(test)]
mod tests_tables;
#[cfg(test)]
mod tests_time_off;
#[cfg(test)]
mod tests_time_off_decode;
#[cfg(test)]
mod tests_time_off_reads;
#[cfg(all(test, feature = "webhooks"))]
mod tests_webhooks;
mod webhook_events;

use std::net::SocketAddr;
use std::time::Duration;

use wiremock::MockServer;

pub use builder::FakeHibobBuilder;
pub use company::custom_tables::{
    ASSET_ACCESSORIES_COLUMN, ASSET_ACCESSORIES_LIST, ASSET_ASSIGNED_COLUMN, ASSET_COST_COLUMN,
    ASSET_SERIAL_COLUMN, ASSET_TYPE_COLUMN, ASSET_TYPE_LIST, ASSETS_CATEGORY_ID, ASSETS_TABLE_ID,
    CERT_EXPIRY_COLUMN, CERT_ISSUER_COLUMN, CERT_NAME_COLUMN, CERTIFICATIONS_TABLE_ID,
};
pub use company::time_off::{
    ChangeKind, Portion, TimeOff, TruthAdjustment, TruthAmount, TruthBalance, TruthCalendar,
    TruthCalendarEvent, TruthChange, TruthPolicy, TruthPolicyType, TruthReasonCode, TruthRequest,
    TruthStatus,
};
pub use company::{Company, ListItem, ListRef, NamedList, NewHire, TruthEmployee};
#[cfg(feature = "webhooks")]
pub use delivery::{WEBHOOK_COMPANY_ID, WebhookDelivery, WebhookTarget};
pub use knobs::{Knobs, RateLimit};
pub use log::RecordedRequest;

use state::{Shared, lock};

/// Field ID of the custom text field "Cost centre" (category `work`).
pub const COST_CENTER_FIELD: &str = "work.custom.field_1698036945383";
/// Field ID of the custom list field "Work model" (category `work`, list `workModel`).
pub const WORK_MODEL_FIELD: &str = "work.custom.field_1698036945384";
/// Category ID of the custom category "Security".
pub const CUSTOM_CATEGORY_ID: &str = "category_1720508362305";
/// Field ID of the text field "Badge number" in [`CUSTOM_CATEGORY_ID`].
pub const BADGE_NUMBER_FIELD: &str = "category_1720508362305.field_1720508399001";
/// The category ID that stands for the service user's time-off permissions:
/// [`Knobs::deny_category`]`(TIME_OFF_CATEGORY)` makes every `/timeoff/…`
/// endpoint answer 403, naming the permission to grant in Bob's words
/// (Features > Time off; People's data > Time off > See who's out; Settings >
/// Calendars > Manage company calendar). Time off has no field category in
/// HiBob; this ID is the fake's own.
pub const TIME_OFF_CATEGORY: &str = "timeoff";

use crate::tables::HistoryTable as Table;

/// A running fake HiBob; the server stops when this is dropped.
#[derive(Debug)]
pub struct FakeHibob {
    server: MockServer,
    state: Shared,
    service_user_id: String,
    token: String,
    /// Where the mutations' webhook events go (see `delivery.rs`).
    #[cfg(feature = "webhooks")]
    outbox: delivery::Outbox,
}

impl FakeHibob {
    /// A builder with defaults: 50 employees, seed 1, today's date, everything permitted.
    pub fn builder() -> FakeHibobBuilder {
        FakeHibobBuilder::default()
    }

    /// Starts a fake with the builder's defaults.
    pub async fn start() -> FakeHibob {
        Self::builder().start().await
    }

    /// The base URL including `/v1`, e.g. `http://127.0.0.1:43127/v1`.
    pub fn uri(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// A client for this fake: its credentials and base URL, with
    /// [`RetryPolicy::deterministic`](crate::RetryPolicy::deterministic) retries
    /// (1 ms apart, no jitter) so fault knobs cost no real time. Use
    /// [`client_builder`](Self::client_builder) to change anything else.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// let client = fake.client();
    /// let fields = client.metadata().fields().await?;
    /// assert!(!fields.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn client(&self) -> crate::Client {
        self.client_builder()
            .build()
            .expect("a fake's loopback URL and credentials are always valid")
    }

    /// A [`ClientBuilder`](crate::ClientBuilder) already pointed at this fake
    /// (credentials, base URL, 1 ms deterministic retries), for tests that
    /// tune timeouts, rate limits or retries themselves.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// let client = fake
    ///     .client_builder()
    ///     .retry_policy(hibob::RetryPolicy::none())
    ///     .build()?;
    /// assert_eq!(client.people().search().await?.employees.len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::Client::builder()
            .service_user(self.service_user_id(), self.token())
            .base_url(self.uri())
            .retry_policy(crate::RetryPolicy::deterministic(Duration::from_millis(1)))
    }

    /// The server's socket address.
    pub fn address(&self) -> SocketAddr {
        *self.server.address()
    }

    /// The service user ID the fake accepts (the Basic-auth user name).
    pub fn service_user_id(&self) -> &str {
        &self.service_user_id
    }

    /// The token the fake accepts (the Basic-auth password).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// A snapshot of the company as currently served.
    ///
    /// The fake keeps history rows as compact JSON text and builds this
    /// snapshot, `Value` rows included, on each call: about 35 KB per
    /// employee, so call it once per check rather than per employee.
    pub fn truth(&self) -> Company {
        lock(&self.state).store.to_company()
    }

    /// Changes the company; later requests see the change. Call
    /// [`Company::refresh_history`] if you edit history rows by hand.
    ///
    /// Like [`truth`](Self::truth), this builds the whole company for
    /// `change` and stores it back afterwards, so its cost grows with the
    /// company's size.
    pub fn update<R>(&self, change: impl FnOnce(&mut Company) -> R) -> R {
        let mut state = lock(&self.state);
        let mut company = state.store.to_company();
        let result = change(&mut company);
        state.store = store::Store::new(company);
        result
    }

    /// Approves one of an employee's pending time-off requests, as a manager
    /// would in Bob (no API approves): its cost now counts against the
    /// balance, who's out lists it, and the changes feed gets a `Created`
    /// entry stamped on [`Company::today`]. `false`, and nothing changes, if
    /// the request is not that employee's or not pending.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use hibob::testing::{FakeHibob, TruthStatus};
    ///
    /// let fake = FakeHibob::builder().employees(30).start().await;
    /// let truth = fake.truth();
    /// let pending = truth
    ///     .time_off
    ///     .requests
    ///     .iter()
    ///     .find(|r| r.status == TruthStatus::Pending)
    ///     .expect("the generated company has pending requests");
    /// assert!(fake.approve(&pending.employee_id, pending.request_id));
    /// let now = fake.truth().time_off.request(pending.request_id).unwrap().status;
    /// assert_eq!(now, TruthStatus::Approved);
    /// assert!(!fake.approve(&pending.employee_id, pending.request_id), "no longer pending");
    /// # }
    /// ```
    pub fn approve(&self, employee_id: &str, request_id: i64) -> bool {
        self.settle(employee_id, request_id, TruthStatus::Approved)
    }

    /// Declines one of an employee's pending time-off requests (see
    /// [`approve`](Self::approve)); the changes feed gets a `Deleted` entry.
    pub fn decline(&self, employee_id: &str, request_id: i64) -> bool {
        self.settle(employee_id, request_id, TruthStatus::Declined)
    }

    fn settle(&self, employee_id: &str, request_id: i64, to: TruthStatus) -> bool {
        let mut state = lock(&self.state);
        let today = state.store.today();
        state
            .store
            .time_off_mut()
            .settle(today, employee_id, request_id, to)
    }

    /// Reads or changes the knobs at runtime, e.g. `fake.knobs(|k| k.fault_rate = 0.0)`.
    pub fn knobs<R>(&self, change: impl FnOnce(&mut Knobs) -> R) -> R {
        change(&mut lock(&self.state).knobs)
    }
}
