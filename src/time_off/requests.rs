//! One employee's requests: read one, submit, cancel.

use super::{MANAGE_REQUESTS, SEE_WHOS_OUT, TimeOff, employee};
use crate::Error;
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::models::EmployeeId;
use crate::models::time_off::{RequestId, SubmitTimeOffRequest, TimeOffRequest};
use crate::transport::{Json, NoContent, RequestFuture, request_future};

/// `GET /timeoff/employees/{id}/requests/{requestId}`: one request; 404 when
/// it is not this employee's.
static REQUEST: Endpoint<(), (), Json<TimeOffRequest>> =
    Endpoint::get("/timeoff/employees/{id}/requests/{requestId}").permission(SEE_WHOS_OUT);

/// `POST /timeoff/employees/{id}/requests` with a [`SubmitTimeOffRequest`]:
/// creates a request. HiBob answers 200 with an empty body; never resent once
/// it may have reached HiBob.
static SUBMIT: Endpoint<(), SubmitTimeOffRequest, NoContent> =
    Endpoint::post("/timeoff/employees/{id}/requests", Retry::Create).permission(MANAGE_REQUESTS);

/// `DELETE /timeoff/employees/{id}/requests/{requestId}`: cancels a request
/// (idempotent: a resent cancel answered 404 counts as done).
static CANCEL: Endpoint<(), (), NoContent> =
    Endpoint::delete("/timeoff/employees/{id}/requests/{requestId}").permission(MANAGE_REQUESTS);

impl Payload for SubmitTimeOffRequest {
    fn validate(&self) -> Result<(), Error> {
        SubmitTimeOffRequest::validate(self)
    }
}

impl TimeOff<'_> {
    /// One of an employee's requests
    /// (`GET /timeoff/employees/{id}/requests/{requestId}`). A request of
    /// another employee, or none, is [`Error::NotFound`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// # let id = fake.truth().employees[0].id.clone();
    /// let missing = client.time_off().request(&id, 999_999_999).await;
    /// assert!(matches!(missing, Err(hibob::Error::NotFound { .. })));
    /// # }
    /// ```
    pub fn request(
        &self,
        employee_id: impl Into<EmployeeId>,
        request_id: impl Into<RequestId>,
    ) -> RequestFuture<TimeOffRequest> {
        let client = self.client.clone();
        let (id, request) = (employee(employee_id), request_id.into().to_string());
        request_future(async move {
            let response = REQUEST.send(&client, &[&id, &request], &(), &()).await?;
            Ok(response.value)
        })
    }

    /// Submits a request for an employee
    /// (`POST /timeoff/employees/{id}/requests`). The body is validated
    /// first ([`SubmitTimeOffRequest::validate`]); invalid input is
    /// [`Error::InvalidRequest`] and nothing is sent.
    ///
    /// HiBob answers without the new request's ID: find it with
    /// [`changes`](Self::changes) or [`whos_out`](Self::whos_out). The submit
    /// is never resent once it may have reached HiBob; such a failure is
    /// [`Error::OutcomeUnknown`], so look for the request before submitting
    /// again.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    /// use hibob::time_off::SubmitTimeOffRequest;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// # let id = fake.truth().employees[0].id.clone();
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let holiday = SubmitTimeOffRequest::days("Holiday", day, day).with_description("dentist");
    /// client.time_off().submit(&id, holiday).await?;
    ///
    /// // Refused before sending: it ends before it starts.
    /// let backwards = SubmitTimeOffRequest::days("Holiday", day, day.pred_opt().unwrap());
    /// let refused = client.time_off().submit(&id, backwards).await;
    /// assert!(matches!(refused, Err(hibob::Error::InvalidRequest { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn submit(
        &self,
        employee_id: impl Into<EmployeeId>,
        request: SubmitTimeOffRequest,
    ) -> RequestFuture<()> {
        let client = self.client.clone();
        let id = employee(employee_id);
        request_future(async move { SUBMIT.send(&client, &[&id], &(), &request).await.map(drop) })
    }

    /// Cancels one of an employee's requests
    /// (`DELETE /timeoff/employees/{id}/requests/{requestId}`). Idempotent:
    /// retried like a read, and a 404 on a resent cancel counts as done (a
    /// 404 on the first attempt is [`Error::NotFound`]).
    ///
    /// ```
    /// use hibob::time_off::RequestStatus;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let truth = fake.truth();
    /// let pending = truth.time_off.requests.iter().find(|r| r.status.as_str() == "pending").unwrap();
    /// let time_off = client.time_off();
    /// time_off.cancel(pending.employee_id.as_str(), pending.request_id).await?;
    /// let read = time_off.request(pending.employee_id.as_str(), pending.request_id).await?;
    /// assert_eq!(read.status, Some(RequestStatus::Canceled));
    /// # Ok(())
    /// # }
    /// ```
    pub fn cancel(
        &self,
        employee_id: impl Into<EmployeeId>,
        request_id: impl Into<RequestId>,
    ) -> RequestFuture<()> {
        let client = self.client.clone();
        let (id, request) = (employee(employee_id), request_id.into().to_string());
        request_future(async move {
            CANCEL
                .send(&client, &[&id, &request], &(), &())
                .await
                .map(drop)
        })
    }
}
