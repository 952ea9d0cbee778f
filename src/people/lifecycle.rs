//! Lifecycle writes: terminate (`POST /employees/{identifier}/terminate`)
//! and the start date (`POST /employees/{employeeId}/start-date`).

use std::future::IntoFuture;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::People;
use super::rules::check_text;
use super::verify::write_then_read_back;
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::transport::{NoContent, RequestFuture, request_future};
use crate::verify::{DEFAULT_WINDOW, Sent, Verified};
use crate::{Client, EmployeeId, Error};

/// People's Data > Lifecycle: terminating.
pub(crate) const EDIT_LIFECYCLE: &str =
    "People's Data > Lifecycle > Edit selected employees' Lifecycle sections";

/// People's Data > Work: the start date is a work-table column.
pub(crate) const EDIT_WORK: &str = "People's Data > Work > Edit selected employees' Work sections";

/// `POST /employees/{identifier}/terminate`: adds a termination to the
/// lifecycle table; 200 with no body. A POST that adds an entry, so never
/// resent once it may have reached HiBob.
static TERMINATE: Endpoint<(), TerminateBody, NoContent> =
    Endpoint::post("/employees/{identifier}/terminate", Retry::Create).permission(EDIT_LIFECYCLE);

/// `POST /employees/{employeeId}/start-date`: 200 with no body. Treated like
/// a create (never resent after it may have arrived): HiBob does not say
/// whether it also records history.
static START_DATE: Endpoint<(), StartDateBody, NoContent> =
    Endpoint::post("/employees/{employeeId}/start-date", Retry::Create).permission(EDIT_WORK);

/// A notice period's unit, as HiBob's terminate body spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum NoticeUnit {
    /// `days`.
    Days,
    /// `weeks`.
    Weeks,
    /// `month` (HiBob's spelling, singular).
    Month,
    /// `years`.
    Years,
}

/// `noticePeriod`: a length in a unit.
///
/// ```
/// use hibob::people::{NoticePeriod, NoticeUnit};
///
/// let notice = NoticePeriod::new(30, NoticeUnit::Days);
/// assert_eq!(serde_json::to_value(notice).unwrap(), serde_json::json!({"length": 30, "unit": "days"}));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoticePeriod {
    length: u32,
    unit: NoticeUnit,
}

impl NoticePeriod {
    /// `length` `unit`s.
    pub fn new(length: u32, unit: NoticeUnit) -> Self {
        Self { length, unit }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TerminateBody {
    termination_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    termination_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_period: Option<NoticePeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_day_of_work: Option<NaiveDate>,
}

impl Payload for TerminateBody {
    fn validate(&self) -> Result<(), Error> {
        if let Some(reason) = &self.termination_reason {
            check_text("terminationReason", reason)?;
        }
        if let Some(kind) = &self.reason_type {
            check_text("reasonType", kind)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StartDateBody {
    start_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl Payload for StartDateBody {}

impl People<'_> {
    /// A termination on `termination_date`
    /// (`POST /employees/{identifier}/terminate`); add the reason and notice
    /// period with the builder, then await it.
    pub fn terminate(
        &self,
        employee_id: impl Into<EmployeeId>,
        termination_date: NaiveDate,
    ) -> TerminateRequest {
        TerminateRequest {
            client: self.client.clone(),
            employee_id: employee_id.into(),
            body: TerminateBody {
                termination_date,
                termination_reason: None,
                reason_type: None,
                notice_period: None,
                last_day_of_work: None,
            },
        }
    }

    /// Sets or moves an employee's start date
    /// (`POST /employees/{employeeId}/start-date`); add a reason with
    /// [`reason`](StartDateRequest::reason), then await it. A 403 names
    /// "People's Data > Work > Edit selected employees' Work sections".
    pub fn set_start_date(
        &self,
        employee_id: impl Into<EmployeeId>,
        start_date: NaiveDate,
    ) -> StartDateRequest {
        StartDateRequest {
            client: self.client.clone(),
            employee_id: employee_id.into(),
            body: StartDateBody {
                start_date,
                reason: None,
            },
        }
    }
}

/// A termination; build it with [`People::terminate`].
///
/// HiBob answers 200 with no body. The termination adds a lifecycle entry,
/// so it is never resent once it may have reached HiBob: a dropped
/// connection or a 5xx after sending is
/// [`Error::OutcomeUnknown`]; read the employee's lifecycle table before
/// sending it again. A 403 names "People's Data > Lifecycle > Edit selected
/// employees' Lifecycle sections".
///
/// ```
/// use hibob::chrono::NaiveDate;
/// use hibob::field;
/// use hibob::people::{NoticePeriod, NoticeUnit};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// let truth = fake.truth();
/// let leaver = truth.employees.iter().find(|e| e.is_active()).unwrap().id.clone();
/// let reason = truth.lists["terminationreason"].items[1].id.clone();
/// client
///     .people()
///     .terminate(&leaver, truth.today)
///     .reason(reason.as_str())
///     .notice_period(NoticePeriod::new(30, NoticeUnit::Days))
///     .await?;
/// let read = client.people().get(&leaver).fields([field::TERMINATION_REASON]).await?;
/// assert_eq!(read.termination_reason(), Some(reason.as_str()));
/// # Ok(())
/// # }
/// ```
#[must_use = "a termination does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct TerminateRequest {
    client: Client,
    employee_id: EmployeeId,
    body: TerminateBody,
}

impl TerminateRequest {
    /// `terminationReason`: an item ID of the `terminationreason` list.
    pub fn reason(mut self, item_id: impl Into<String>) -> Self {
        self.body.termination_reason = Some(item_id.into());
        self
    }

    /// `reasonType`: an item ID of the `lifecycleReasonType` list
    /// (voluntary, involuntary, …).
    pub fn reason_type(mut self, item_id: impl Into<String>) -> Self {
        self.body.reason_type = Some(item_id.into());
        self
    }

    /// `noticePeriod`.
    pub fn notice_period(mut self, notice: NoticePeriod) -> Self {
        self.body.notice_period = Some(notice);
        self
    }

    /// `lastDayOfWork`, when it is not the termination date.
    pub fn last_day_of_work(mut self, date: NaiveDate) -> Self {
        self.body.last_day_of_work = Some(date);
        self
    }

    /// Terminates, then reads the employee back by ID until
    /// `internal.terminationDate` (and `internal.terminationReason`, when
    /// given) hold what was sent, for up to [`DEFAULT_WINDOW`] (HiBob's
    /// read lag). The termination itself is sent once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
    /// # let client = fake.client();
    /// let truth = fake.truth();
    /// let leaver = truth.employees.iter().find(|e| e.is_active()).unwrap().id.clone();
    /// let report = client.people().terminate(&leaver, truth.today).verify().await?;
    /// assert!(report.is_complete(), "{report}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn verify(self) -> RequestFuture<Verified<()>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<()>> {
        let date = self.body.termination_date.format("%Y-%m-%d").to_string();
        let mut sent = vec![Sent::at("internal.terminationDate", Value::from(date))];
        if let Some(reason) = &self.body.termination_reason {
            let reason = Value::from(reason.as_str());
            sent.push(Sent::at("internal.terminationReason", reason));
        }
        let (client, id) = (self.client.clone(), self.employee_id.clone());
        write_then_read_back(client, id, sent, window, self.send())
    }

    async fn send(self) -> Result<(), Error> {
        let id = self.employee_id.as_str();
        TERMINATE
            .send(&self.client, &[id], &(), &self.body)
            .await
            .map(drop)
    }
}

impl IntoFuture for TerminateRequest {
    type Output = Result<(), Error>;
    type IntoFuture = RequestFuture<()>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

/// A start-date change; build it with [`People::set_start_date`].
///
/// HiBob answers 200 with no body; never resent once it may have reached
/// HiBob ([`Error::OutcomeUnknown`] then: read `work.startDate` back, or
/// use [`verify`](Self::verify) on a later attempt).
///
/// ```
/// use hibob::chrono::NaiveDate;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let id = fake.truth().employees[2].id.clone();
/// let start = NaiveDate::from_ymd_opt(2021, 4, 1).unwrap();
/// client.people().set_start_date(&id, start).reason("contract signed late").await?;
/// assert_eq!(fake.truth().employee(&id).unwrap().start_date, start);
/// # Ok(())
/// # }
/// ```
#[must_use = "a start-date change does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct StartDateRequest {
    client: Client,
    employee_id: EmployeeId,
    body: StartDateBody,
}

impl StartDateRequest {
    /// `reason`: free text recorded with the change.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.body.reason = Some(reason.into());
        self
    }

    /// Sets the start date, then reads `work.startDate` back by ID until it
    /// is the new date, for up to [`DEFAULT_WINDOW`] (HiBob's read lag).
    pub fn verify(self) -> RequestFuture<Verified<()>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<()>> {
        let date = self.body.start_date.format("%Y-%m-%d").to_string();
        let sent = vec![Sent::at("work.startDate", Value::from(date))];
        let (client, id) = (self.client.clone(), self.employee_id.clone());
        write_then_read_back(client, id, sent, window, self.send())
    }

    async fn send(self) -> Result<(), Error> {
        let id = self.employee_id.as_str();
        START_DATE
            .send(&self.client, &[id], &(), &self.body)
            .await
            .map(drop)
    }
}

impl IntoFuture for StartDateRequest {
    type Output = Result<(), Error>;
    type IntoFuture = RequestFuture<()>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
