//! People reads: `POST /people/search` (awaited as one result, or streamed
//! employee by employee from one request, with ID batches as the fallback)
//! and `POST /people/{identifier}`, with the employee model; and people
//! writes: create ([`People::create`]), update ([`People::update`]), the work
//! e-mail ([`People::set_email`]), terminate ([`People::terminate`]), the
//! start date ([`People::set_start_date`]), Bob access ([`People::invite`]
//! with a welcome wizard, [`People::uninvite`]) and the avatar
//! ([`People::set_avatar`], read with [`People::avatar`]).
//!
//! # Writes
//!
//! Every write is checked before sending (required fields, e-mail and date
//! formats; an update's fields against the company's fields metadata, cached
//! per client). HiBob has no idempotency keys: creates, terminations, start
//! dates and invitations (POSTs) are never resent once they may have reached HiBob, and
//! such a failure is [`Error::OutcomeUnknown`]: read the record back before
//! sending again. Updates, e-mail and avatar changes (PUTs) are idempotent and retried
//! like reads. HiBob documents that reads may lag a write by up to about 20 s.
//!
//! ```
//! use hibob::field;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(10).start().await;
//! # let client = fake.client();
//! let found = client
//!     .people()
//!     .search()
//!     .fields([field::ID, field::EMAIL, field::DEPARTMENT])
//!     .await?;
//! let first = &found.employees[0];
//! let again = client.people().get(first.id().unwrap()).fields([field::EMAIL]).await?;
//! assert_eq!(again.email(), first.email());
//! # Ok(())
//! # }
//! ```

use serde::Serialize;

use crate::models::metadata::FieldCatalog;
use crate::models::{EmployeeId, FieldId, field};

mod avatar;
mod email;
mod get;
pub(crate) mod lazy;
mod lifecycle;
mod onboarding;
mod rules;
mod search;
mod stream;
mod verify;
mod writes;

pub use email::EmailRequest;
pub use get::GetRequest;
pub use lifecycle::{NoticePeriod, NoticeUnit, StartDateRequest, TerminateRequest};
pub use search::{SearchRequest, SearchResult};
use search::{add_unique, check_field_count, keep_requested, unique_ids};
pub use stream::{EmployeeStream, SearchStrategy};
pub use writes::{CreateRequest, NewEmployee, UpdateRequest};

// The write permissions, for the access check's list of what to grant.
pub(crate) use avatar::EDIT_ABOUT;
pub(crate) use email::EDIT_EMAIL;
pub(crate) use lifecycle::{EDIT_LIFECYCLE, EDIT_WORK};
pub(crate) use onboarding::{INVITE, REVOKE_ACCESS};
pub(crate) use writes::{ADD_PEOPLE, EDIT_FIELDS};

use crate::endpoint::{Endpoint, Payload, Retry};
pub use crate::models::employee::{
    Employee, Manager, ParseShortDateError, PeopleSearchResponse, ShortDate, SingleEmployeeResponse,
};
pub use crate::models::status::{InternalStatus, LifecycleStatus};
use crate::ratelimit::Limit;
use crate::transport::{ApiRequest, Json, RequestFuture, request_future};
use crate::{Client, Error};

/// HiBob's cap on field IDs per people read.
pub const MAX_FIELDS: usize = 400;

impl Client {
    /// People: search everyone, stream a large company, read one employee;
    /// create, update, terminate (see [`people`](crate::people)).
    pub fn people(&self) -> People<'_> {
        People { client: self }
    }
}

/// The people handle; see [`Client::people`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// let people = client.people();
/// let everyone = people.search().show_inactive(true).await?;
/// assert_eq!(everyone.employees.len(), 5);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct People<'a> {
    client: &'a Client,
}

impl People<'_> {
    /// A people search (`POST /people/search`). Await it for one response, or
    /// call [`stream`](SearchRequest::stream) for a large company.
    pub fn search(&self) -> SearchRequest {
        SearchRequest {
            client: self.client.clone(),
            fields: Vec::new(),
            filter: None,
            show_inactive: false,
            human_readable: None,
            strategy: SearchStrategy::Auto,
            concurrency: 2,
            invalid: None,
        }
    }

    /// One employee by backend ID or work e-mail (`POST /people/{identifier}`).
    /// The identifier is sent as one encoded path segment, so `+`, `@`, `/`
    /// or `?` can never change the route. An unknown (or invisible) employee
    /// is [`Error::NotFound`].
    ///
    /// Takes a `&str`, `String`, [`EmployeeId`] or `&EmployeeId`.
    pub fn get(&self, id_or_email: impl AsRef<str>) -> GetRequest {
        GetRequest {
            client: self.client.clone(),
            identifier: id_or_email.as_ref().to_owned(),
            fields: Vec::new(),
            human_readable: None,
        }
    }
}

/// HiBob's `humanReadable` modes.
///
/// ```
/// use hibob::{field, people::HumanReadable};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let found = client
///     .people()
///     .search()
///     .fields([field::ID, field::DEPARTMENT])
///     .human_readable(HumanReadable::Append)
///     .await?;
/// // Machine values stay where they were; labels sit in `humanReadable`.
/// assert!(found.employees[0].human_readable().is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HumanReadable {
    /// Machine values plus a `humanReadable` mirror with display strings
    /// (see [`Employee::human_readable`]).
    Append,
    /// Display strings (list labels, formatted dates) instead of machine values.
    Replace,
}
