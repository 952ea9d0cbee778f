//! Balances: read one (`GET /timeoff/employees/{id}/balance`) and adjust one
//! (`POST /timeoff/employees/{id}/adjustments`).

use chrono::NaiveDate;
use serde::Serialize;

use super::{ADJUST_BALANCES, SEE_BALANCES, TimeOff, employee};
use crate::Error;
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::models::EmployeeId;
use crate::models::time_off::{AdjustmentRequest, Balance};
use crate::ratelimit::Limit;
use crate::transport::{Json, NoContent, RequestFuture, request_future};

/// `GET /timeoff/employees/{id}/balance?policyType=&date=`; HiBob's "Time
/// off balance" page documents 50 a minute.
static BALANCE: Endpoint<BalanceQuery, (), Json<Balance>> =
    Endpoint::get("/timeoff/employees/{id}/balance")
        .limit(Limit::per_minute(50))
        .permission(SEE_BALANCES);

/// `POST /timeoff/employees/{id}/adjustments` with an [`AdjustmentRequest`]:
/// HiBob answers 200 with an empty body. Sent twice, it adjusts twice, so it
/// is never resent once it may have reached HiBob. Documented at 10 a minute.
static ADJUST: Endpoint<(), AdjustmentRequest, NoContent> =
    Endpoint::post("/timeoff/employees/{id}/adjustments", Retry::Create)
        .limit(Limit::per_minute(10))
        .permission(ADJUST_BALANCES);

/// The balance query: both keys are required (the date as `YYYY-MM-DD`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BalanceQuery {
    policy_type: String,
    date: NaiveDate,
}

impl Payload for AdjustmentRequest {
    fn validate(&self) -> Result<(), Error> {
        AdjustmentRequest::validate(self)
    }
}

impl TimeOff<'_> {
    /// An employee's balance for a policy type on a date
    /// (`GET /timeoff/employees/{id}/balance`). A blank policy type is
    /// [`Error::InvalidRequest`], before anything is sent.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// # let id = fake.truth().employees[0].id.clone();
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let balance = client.time_off().balance(&id, "Holiday", day).await?;
    /// println!("{:?} left", balance.total_balance_as_of_date);
    /// # Ok(())
    /// # }
    /// ```
    pub fn balance(
        &self,
        employee_id: impl Into<EmployeeId>,
        policy_type: impl Into<String>,
        date: NaiveDate,
    ) -> RequestFuture<Balance> {
        let client = self.client.clone();
        let id = employee(employee_id);
        let query = BalanceQuery {
            policy_type: policy_type.into(),
            date,
        };
        request_future(async move {
            if query.policy_type.trim().is_empty() {
                return Err(Error::invalid(
                    "a balance read needs a policy type (e.g. \"Holiday\")",
                ));
            }
            Ok(BALANCE.send(&client, &[&id], &query, &()).await?.value)
        })
    }

    /// Adjusts an employee's balance
    /// (`POST /timeoff/employees/{id}/adjustments`). The body is validated
    /// first ([`AdjustmentRequest::validate`]). Never resent once it may
    /// have reached HiBob: on [`Error::OutcomeUnknown`], read the
    /// [`balance`](Self::balance) back before adjusting again.
    ///
    /// ```
    /// use hibob::time_off::AdjustmentRequest;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[0].id.clone();
    /// let day = fake.truth().today;
    /// let time_off = client.time_off();
    /// let before = time_off.balance(id.as_str(), "Holiday", day).await?;
    /// time_off.adjust(id.as_str(), AdjustmentRequest::new("Holiday", day, 2.0)).await?;
    /// let after = time_off.balance(id.as_str(), "Holiday", day).await?;
    /// assert!(after.total_balance_as_of_date > before.total_balance_as_of_date);
    /// # Ok(())
    /// # }
    /// ```
    pub fn adjust(
        &self,
        employee_id: impl Into<EmployeeId>,
        adjustment: AdjustmentRequest,
    ) -> RequestFuture<()> {
        let client = self.client.clone();
        let id = employee(employee_id);
        request_future(async move {
            ADJUST
                .send(&client, &[&id], &(), &adjustment)
                .await
                .map(drop)
        })
    }
}
