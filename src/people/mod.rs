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

use std::collections::HashSet;
use std::future::IntoFuture;

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
mod stream;
mod verify;
mod writes;

pub use email::EmailRequest;
pub use get::GetRequest;
pub use lifecycle::{NoticePeriod, NoticeUnit, StartDateRequest, TerminateRequest};
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

/// The outcome of a one-shot people search.
///
/// ```
/// use hibob::field;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// // A permission group without the Work category: HiBob answers 200 and
/// // leaves the Work fields out for everyone.
/// let fake = hibob::testing::FakeHibob::builder()
///     .employees(5)
///     .deny_category("work")
///     .start()
///     .await;
/// let result = fake
///     .client()
///     .people()
///     .search()
///     .fields([field::ID, field::EMAIL, field::DEPARTMENT])
///     .await?;
/// assert_eq!(result.missing_fields, [field::DEPARTMENT]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SearchResult {
    /// The employees the service user may see, each once (by ID); under an
    /// ID filter, only the employees asked for.
    pub employees: Vec<Employee>,
    /// Requested fields that came back for nobody. HiBob silently drops fields
    /// the service user may not view (and unknown field IDs) with 200 OK, so a
    /// field listed here is usually a missing category permission, not an
    /// empty value. Empty when no employee came back at all.
    pub missing_fields: Vec<FieldId>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    field_path: &'static str,
    operator: &'static str,
    values: Vec<String>,
}

/// `POST /people/search`: everyone the service user may see, in one answer
/// (HiBob's people-read contract: no server-side paging, and one call counts
/// once against the documented 50 per minute).
pub(crate) static SEARCH: Endpoint<(), SearchBody<'static>, Json<PeopleSearchResponse>> =
    Endpoint::post("/people/search", Retry::Read).limit(Limit::per_minute(50));

/// The search body: field IDs (none means HiBob's default set), one filter,
/// `showInactive` and `humanReadable`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SearchBody<'a> {
    #[serde(skip_serializing_if = "<[FieldId]>::is_empty")]
    fields: &'a [FieldId],
    #[serde(skip_serializing_if = "Option::is_none")]
    filters: Option<[&'a Filter; 1]>,
    show_inactive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    human_readable: Option<HumanReadable>,
}

impl Payload for SearchBody<'_> {
    fn validate(&self) -> Result<(), Error> {
        check_field_count(self.fields)
    }
}

/// A people search; build it with [`People::search`], then `.await` it or
/// call [`stream`](Self::stream).
///
/// ```
/// use hibob::field;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(8).start().await;
/// # let client = fake.client();
/// # let email = fake.truth().employees[2].email.clone();
/// let ada = client
///     .people()
///     .search()
///     .fields([field::ID, field::EMAIL])
///     .filter_emails([&email])
///     .show_inactive(true)
///     .await?;
/// assert_eq!(ada.employees.len(), 1);
///
/// // Checked before anything is sent:
/// let too_many = client.people().search().fields((0..401).map(|i| format!("f{i}")));
/// assert!(matches!(too_many.await, Err(hibob::Error::InvalidRequest { .. })));
/// # Ok(())
/// # }
/// ```
///
/// Invalid input (over 400 fields, a filter without values or with an empty
/// value, two filters) is reported as [`Error::InvalidRequest`] when awaited
/// or streamed, before anything is sent.
#[must_use = "a search does nothing until it is awaited or streamed"]
#[derive(Debug, Clone)]
pub struct SearchRequest {
    client: Client,
    fields: Vec<FieldId>,
    filter: Option<Filter>,
    show_inactive: bool,
    human_readable: Option<HumanReadable>,
    strategy: SearchStrategy,
    concurrency: usize,
    invalid: Option<String>,
}

impl SearchRequest {
    /// Adds fields to read (at most 400 in all; duplicates are sent once).
    /// Without any, HiBob returns its default set (root, about, employment,
    /// work), which never includes custom fields.
    pub fn fields<F: Into<FieldId>>(mut self, fields: impl IntoIterator<Item = F>) -> Self {
        add_unique(&mut self.fields, fields);
        self
    }

    /// Only these employees, by backend ID (HiBob's single `root.id` `equals` filter).
    pub fn filter_ids<I: AsRef<str>>(self, ids: impl IntoIterator<Item = I>) -> Self {
        self.set_filter("root.id", ids)
    }

    /// Only these employees, by work e-mail (HiBob's single `root.email` `equals` filter).
    pub fn filter_emails<I: AsRef<str>>(self, emails: impl IntoIterator<Item = I>) -> Self {
        self.set_filter("root.email", emails)
    }

    fn set_filter<I: AsRef<str>>(
        mut self,
        field_path: &'static str,
        values: impl IntoIterator<Item = I>,
    ) -> Self {
        let values: Vec<String> = values.into_iter().map(|v| v.as_ref().to_owned()).collect();
        if values.is_empty() {
            self.invalid = Some(format!("the {field_path} filter has no values"));
        } else if let Some(i) = values.iter().position(|v| v.trim().is_empty()) {
            self.invalid = Some(format!(
                "value #{} of the {field_path} filter is empty",
                i + 1
            ));
        }
        if self.filter.is_some() {
            self.invalid = Some("HiBob accepts one filter per search".to_owned());
        }
        self.filter = Some(Filter {
            field_path,
            operator: "equals",
            values,
        });
        self
    }

    /// Includes inactive employees: former employees and future hires
    /// (`showInactive`). Off by default, as in HiBob.
    pub fn show_inactive(mut self, show: bool) -> Self {
        self.show_inactive = show;
        self
    }

    /// Asks for display strings (`humanReadable`).
    pub fn human_readable(mut self, mode: HumanReadable) -> Self {
        self.human_readable = Some(mode);
        self
    }

    /// How [`stream`](Self::stream) reads the company (default
    /// [`SearchStrategy::Auto`]: one search, ID batches if it fails).
    pub fn strategy(mut self, strategy: SearchStrategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Batches in flight at once when [`stream`](Self::stream) reads by ID
    /// batches (default 2). The client's rate limiter still applies.
    pub fn concurrency(mut self, batches: usize) -> Self {
        self.concurrency = batches.max(1);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if let Some(message) = &self.invalid {
            return Err(Error::invalid(message.clone()));
        }
        check_field_count(&self.fields)
    }

    /// [`validate`](Self::validate), counting the `root.id` that
    /// [`stream`](Self::stream) adds: with 400 fields, the ID search would
    /// go out and then every batch fail.
    fn validate_stream(&self) -> Result<(), Error> {
        self.validate()?;
        let adds_id = !self.fields.is_empty() && !self.fields.contains(&field::ID);
        if adds_id && self.fields.len() >= MAX_FIELDS {
            return Err(Error::invalid(format!(
                "{} fields requested plus root.id, which stream() adds to match batches; HiBob accepts at most {MAX_FIELDS} per people read",
                self.fields.len()
            )));
        }
        Ok(())
    }

    /// The search as it goes over the wire.
    fn api_request(&self) -> Result<ApiRequest, Error> {
        let body = SearchBody {
            fields: &self.fields,
            filters: self.filter.as_ref().map(|f| [f]),
            show_inactive: self.show_inactive,
            human_readable: self.human_readable,
        };
        SEARCH.request(&[], &(), &body)
    }

    async fn send(self) -> Result<SearchResult, Error> {
        self.validate()?;
        let request = self.api_request()?;
        let response: PeopleSearchResponse = self.client.send(&request).await?.value;
        let requested_ids = self
            .filter
            .as_ref()
            .filter(|f| f.field_path == "root.id")
            .map(|f| f.values.as_slice());
        let employees = keep_requested(requested_ids, response.employees);
        let missing_fields = missing_fields(&self.fields, &employees);
        Ok(SearchResult {
            employees,
            missing_fields,
        })
    }
}

fn add_unique<F: Into<FieldId>>(fields: &mut Vec<FieldId>, more: impl IntoIterator<Item = F>) {
    for field in more {
        let field = field.into();
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
}

fn check_field_count(fields: &[FieldId]) -> Result<(), Error> {
    if fields.len() > MAX_FIELDS {
        return Err(Error::invalid(format!(
            "{} fields requested; HiBob accepts at most {MAX_FIELDS} per people read",
            fields.len()
        )));
    }
    Ok(())
}

/// IDs in first-seen order, each once; blank IDs (which no `root.id`
/// filter can ask for) are left out.
fn unique_ids(employees: Vec<Employee>) -> Vec<EmployeeId> {
    let mut seen = HashSet::new();
    employees
        .into_iter()
        .filter_map(|e| e.id().cloned())
        .filter(|id| !id.as_str().trim().is_empty())
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// What a search yields: each employee ID once (its first occurrence) and,
/// under a `root.id` filter (`requested`), only the IDs asked for. HiBob has
/// been seen to repeat employees and to add ones nobody asked for.
///
/// An employee without an ID cannot be checked and is kept: the caller may
/// not have asked for `root.id` (the stream, which always does, drops them).
fn keep_requested(requested: Option<&[String]>, employees: Vec<Employee>) -> Vec<Employee> {
    let wanted: Option<HashSet<&str>> =
        requested.map(|ids| ids.iter().map(|id| id.trim()).collect());
    let mut seen = HashSet::new();
    employees
        .into_iter()
        .filter(|e| match e.id() {
            None => true,
            Some(id) => {
                wanted
                    .as_ref()
                    .is_none_or(|wanted| wanted.contains(id.as_str().trim()))
                    && seen.insert(id.clone())
            }
        })
        .collect()
}

/// Requested fields present on no employee (absent, not merely null),
/// located by their default JSON path.
fn missing_fields(requested: &[FieldId], employees: &[Employee]) -> Vec<FieldId> {
    FieldCatalog::default().missing_from_all(requested, employees)
}

impl IntoFuture for SearchRequest {
    type Output = Result<SearchResult, Error>;
    type IntoFuture = RequestFuture<SearchResult>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn employee(id: &str) -> Employee {
        Employee::from_value(serde_json::json!({ "id": id })).unwrap()
    }

    proptest! {
        #[test]
        fn id_batches_cover_every_employee_exactly_once(
            ids in proptest::collection::vec(0u16..300, 0..500),
            batch in 1usize..250,
        ) {
            let found: Vec<Employee> = ids.iter().map(|i| employee(&i.to_string())).collect();
            let unique = unique_ids(found);
            let distinct: HashSet<u16> = ids.iter().copied().collect();
            prop_assert_eq!(unique.len(), distinct.len());
            let mut yielded = HashSet::new();
            for chunk in unique.chunks(batch) {
                prop_assert!(chunk.len() <= batch);
                // The server answers a batch with duplicates and an intruder.
                let mut answer: Vec<Employee> = chunk.iter().map(|id| employee(id.as_str())).collect();
                answer.extend(chunk.first().map(|id| employee(id.as_str())));
                answer.push(employee("intruder"));
                let asked: Vec<String> = chunk.iter().map(ToString::to_string).collect();
                for kept in keep_requested(Some(&asked), answer) {
                    prop_assert!(yielded.insert(kept.id().unwrap().clone()), "yielded twice");
                }
            }
            prop_assert_eq!(yielded.len(), distinct.len());
        }
    }

    #[test]
    fn missing_fields_tells_absent_from_null() {
        let employees = vec![
            Employee::from_value(
                serde_json::json!({"id": "1", "internal": {"terminationDate": null}}),
            )
            .unwrap(),
        ];
        let requested = [field::ID, field::TERMINATION_DATE, field::SITE];
        assert_eq!(missing_fields(&requested, &employees), vec![field::SITE]);
        assert!(missing_fields(&requested, &[]).is_empty());
    }
}
