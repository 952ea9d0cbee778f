//! One employee: `POST /people/{identifier}`.

use std::future::IntoFuture;

use serde::Serialize;

use super::{Employee, HumanReadable, SingleEmployeeResponse, add_unique, check_field_count};
use crate::transport::{ApiRequest, RequestFuture, request_future};
use crate::{Client, Error, FieldId};

/// One employee by ID or e-mail; build it with [`People::get`](super::People::get) and `.await` it.
///
/// ```
/// use hibob::{Error, field};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// # let email = fake.truth().employees[0].email.clone();
/// let by_email = client.people().get(&email).fields([field::ID, field::EMAIL]).await?;
/// assert_eq!(by_email.email(), Some(email.as_str()));
///
/// let missing = client.people().get("no-such-person@example.com").await;
/// assert!(matches!(missing, Err(Error::NotFound { .. })));
/// # Ok(())
/// # }
/// ```
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct GetRequest {
    pub(super) client: Client,
    pub(super) identifier: String,
    pub(super) fields: Vec<FieldId>,
    pub(super) human_readable: Option<HumanReadable>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GetBody<'a> {
    #[serde(skip_serializing_if = "<[FieldId]>::is_empty")]
    fields: &'a [FieldId],
    #[serde(skip_serializing_if = "Option::is_none")]
    human_readable: Option<HumanReadable>,
}

impl GetRequest {
    /// Adds fields to read (at most 400); without any, HiBob's default set.
    pub fn fields<F: Into<FieldId>>(mut self, fields: impl IntoIterator<Item = F>) -> Self {
        add_unique(&mut self.fields, fields);
        self
    }

    /// Asks for display strings (`humanReadable`).
    pub fn human_readable(mut self, mode: HumanReadable) -> Self {
        self.human_readable = Some(mode);
        self
    }

    async fn send(self) -> Result<Employee, Error> {
        check_field_count(&self.fields)?;
        let body = GetBody {
            fields: &self.fields,
            human_readable: self.human_readable,
        };
        let request = ApiRequest::post("/people/{identifier}", &[&self.identifier], &body, true)?;
        let response: SingleEmployeeResponse = self.client.send(&request).await?.value;
        Ok(response.into_employee())
    }
}

impl IntoFuture for GetRequest {
    type Output = Result<Employee, Error>;
    type IntoFuture = RequestFuture<Employee>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
