//! The work e-mail: `PUT /people/{id}/email`.

use std::future::IntoFuture;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::People;
use super::rules::check_email;
use super::verify::write_then_read_back;
use crate::endpoint::{Endpoint, Payload};
use crate::transport::{NoContent, OrUnchanged, RequestFuture, WriteOutcome, request_future};
use crate::verify::{DEFAULT_WINDOW, Sent, Verified};
use crate::{Client, EmployeeId, Error};

/// People's Data > Email: changing work e-mails.
pub(crate) const EDIT_EMAIL: &str =
    "People's Data > Email > Edit selected employees' email addresses";

/// `PUT /people/{id}/email`: the work e-mail. An invited or active employee
/// is sent a verification invitation to the new address.
static SET_EMAIL: Endpoint<(), EmailBody, OrUnchanged<NoContent>> =
    Endpoint::put("/people/{id}/email").permission(EDIT_EMAIL);

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EmailBody {
    email: String,
}

impl Payload for EmailBody {
    fn validate(&self) -> Result<(), Error> {
        check_email("email", &self.email)
    }
}

impl People<'_> {
    /// Sets an employee's work e-mail (`PUT /people/{id}/email`). The
    /// address is checked before sending. HiBob sends an invited or active
    /// employee a verification invitation to the new address. Idempotent,
    /// so it is retried like a read. A 403 names "People's Data > Email >
    /// Edit selected employees' email addresses".
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.people().set_email(&id, "new.name@example.com").await?;
    /// let read = client.people().get("new.name@example.com").await?;
    /// assert_eq!(read.id().map(|i| i.as_str()), Some(id.as_str()));
    ///
    /// let refused = client.people().set_email(&id, "new.name@").await;
    /// assert!(matches!(refused, Err(hibob::Error::InvalidField { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_email(
        &self,
        employee_id: impl Into<EmployeeId>,
        email: impl Into<String>,
    ) -> EmailRequest {
        EmailRequest {
            client: self.client.clone(),
            employee_id: employee_id.into(),
            body: EmailBody {
                email: email.into().trim().to_owned(),
            },
        }
    }
}

/// A work e-mail change (`PUT /people/{id}/email`); build it with
/// [`People::set_email`]. Await it for [`WriteOutcome`], or call
/// [`verify`](Self::verify) to read `root.email` back by ID as well.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let id = fake.truth().employees[0].id.clone();
/// let report = client.people().set_email(&id, "renamed@example.com").verify().await?;
/// assert!(report.is_complete(), "{report}");
/// # Ok(())
/// # }
/// ```
#[must_use = "an e-mail change does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct EmailRequest {
    client: Client,
    employee_id: EmployeeId,
    body: EmailBody,
}

impl EmailRequest {
    /// Sets the e-mail, then reads `root.email` back by ID until it is the
    /// new address, for up to [`DEFAULT_WINDOW`].
    pub fn verify(self) -> RequestFuture<Verified<WriteOutcome>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<WriteOutcome>> {
        let sent = vec![Sent {
            field: "root.email".to_owned(),
            path: "email".to_owned(),
            value: Value::from(self.body.email.clone()),
        }];
        let (client, id) = (self.client.clone(), self.employee_id.clone());
        write_then_read_back(client, id, sent, window, self.send())
    }

    async fn send(self) -> Result<WriteOutcome, Error> {
        let id = self.employee_id.as_str();
        let answer = SET_EMAIL.send(&self.client, &[id], &(), &self.body).await?;
        Ok(answer.value)
    }
}

impl IntoFuture for EmailRequest {
    type Output = Result<WriteOutcome, Error>;
    type IntoFuture = RequestFuture<WriteOutcome>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
