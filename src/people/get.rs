//! One employee: `POST /people/{identifier}`.

use std::future::IntoFuture;

use serde::Serialize;

use super::{Employee, HumanReadable, SingleEmployeeResponse, add_unique, check_field_count};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::transport::{Json, RequestFuture, request_future};
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

/// `POST /people/{identifier}`: one employee by ID or e-mail, a read.
static GET: Endpoint<(), GetBody<'static>, Json<SingleEmployeeResponse>> =
    Endpoint::post("/people/{identifier}", Retry::Read);

/// The read body: field IDs (none means HiBob's default set) and
/// `humanReadable`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GetBody<'a> {
    #[serde(skip_serializing_if = "<[FieldId]>::is_empty")]
    fields: &'a [FieldId],
    #[serde(skip_serializing_if = "Option::is_none")]
    human_readable: Option<HumanReadable>,
}

impl Payload for GetBody<'_> {
    fn validate(&self) -> Result<(), Error> {
        check_field_count(self.fields)
    }
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
        let body = GetBody {
            fields: &self.fields,
            human_readable: self.human_readable,
        };
        let response = GET
            .send(&self.client, &[&self.identifier], &(), &body)
            .await?;
        Ok(response.value.into_employee())
    }
}

impl IntoFuture for GetRequest {
    type Output = Result<Employee, Error>;
    type IntoFuture = RequestFuture<Employee>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
