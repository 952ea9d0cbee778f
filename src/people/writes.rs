//! People writes on the employee record: create (`POST /people`), update
//! (`PUT /people/{identifier}`) and the work e-mail (`PUT /people/{id}/email`).

use std::future::IntoFuture;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::rules::{self, check_email, check_text, set_path};
use super::verify::{read_back, sent_at_paths};
use super::{Employee, People, SingleEmployeeResponse};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::metadata::checks;
use crate::transport::{Json, NoContent, OrUnchanged, RequestFuture, WriteOutcome, request_future};
use crate::verify::{DEFAULT_WINDOW, Sent, Verified};
use crate::{Client, EmployeeId, Error, FieldId};

/// Features > People > Employees: creating employees.
pub(crate) const ADD_PEOPLE: &str = "Features > People > Employees > Add new people to the company";

/// People's Data: editing the categories an update touches.
pub(crate) const EDIT_FIELDS: &str = "People's Data > (the category of each field sent, e.g. Basic info, About, Personal) > Edit selected employees' … sections";

/// `POST /people`: creates an employee and answers with it. Never resent once
/// it may have reached HiBob (HiBob has no idempotency keys).
static CREATE: Endpoint<(), CreateBody, Json<SingleEmployeeResponse>> =
    Endpoint::post("/people", Retry::Create).permission(ADD_PEOPLE);

/// `PUT /people/{identifier}`: non-historical fields only; 304 when nothing
/// changed. Behaves like a PATCH: fields not sent stay as they are.
static UPDATE: Endpoint<(), UpdateBody, OrUnchanged<NoContent>> =
    Endpoint::put("/people/{identifier}").permission(EDIT_FIELDS);

/// A new employee for [`People::create`]: the five fields HiBob requires
/// (first name, surname, work e-mail, site and start date) plus any other
/// field by its JSON path.
///
/// ```
/// use hibob::chrono::NaiveDate;
/// use hibob::people::NewEmployee;
///
/// let start = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
/// let hire = NewEmployee::new("Ada", "Lovelace", "ada@example.com", "London", start)
///     .title("Engineer")
///     .field("home.mobilePhone", "+44 7700 900123");
/// # let _ = hire;
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct NewEmployee {
    first_name: String,
    surname: String,
    email: String,
    site: String,
    start_date: NaiveDate,
    extra: Vec<(String, Value)>,
}

impl NewEmployee {
    /// The required fields: `firstName`, `surname`, `email`, `work.site` (the
    /// site's name, an item of the `site` list) and `work.startDate`.
    pub fn new(
        first_name: impl Into<String>,
        surname: impl Into<String>,
        email: impl Into<String>,
        site: impl Into<String>,
        start_date: NaiveDate,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            surname: surname.into(),
            email: email.into(),
            site: site.into(),
            start_date,
            extra: Vec::new(),
        }
    }

    /// `work.title`: an existing item of the `title` list. HiBob recommends
    /// sending title and department, which make the first work entry.
    pub fn title(self, title: impl Into<String>) -> Self {
        self.field("work.title", title.into())
    }

    /// `work.department`: an existing item of the `department` list.
    pub fn department(self, department: impl Into<String>) -> Self {
        self.field("work.department", department.into())
    }

    /// `work.manager`: the manager's employee ID.
    pub fn manager(self, manager: impl Into<EmployeeId>) -> Self {
        self.field("work.manager", manager.into().as_str())
    }

    /// Any other field, by its JSON path (`home.mobilePhone`,
    /// `work.custom.field_…`; root fields without `root.`).
    pub fn field(mut self, json_path: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.push((json_path.into(), value.into()));
        self
    }
}

/// The create body: the required fields, then each extra at its path.
#[derive(Serialize)]
pub(crate) struct CreateBody(Map<String, Value>);

impl CreateBody {
    /// The body and what it sends, as `(JSON path, value)` pairs.
    fn new(hire: &NewEmployee) -> Result<(Self, Vec<(String, Value)>), Error> {
        check_text("firstName", &hire.first_name)?;
        check_text("surname", &hire.surname)?;
        check_email("email", &hire.email)?;
        check_text("work.site", &hire.site)?;
        let mut body = Map::new();
        let start = hire.start_date.format("%Y-%m-%d").to_string();
        let required = [
            ("firstName", Value::from(hire.first_name.trim())),
            ("surname", Value::from(hire.surname.trim())),
            ("email", Value::from(hire.email.trim())),
            ("work.site", Value::from(hire.site.trim())),
            ("work.startDate", Value::from(start)),
        ];
        let extra = hire.extra.iter().map(|(p, v)| (p.as_str(), v.clone()));
        let mut sent = Vec::new();
        for (path, value) in required.into_iter().chain(extra) {
            set_path(&mut body, path, value.clone())
                .map_err(|message| Error::invalid(format!("new employee: {message}")))?;
            sent.push((path.to_owned(), value));
        }
        Ok((Self(body), sent))
    }
}

impl Payload for CreateBody {}

/// The update body, already checked against metadata.
#[derive(Serialize)]
pub(crate) struct UpdateBody(Map<String, Value>);

impl Payload for UpdateBody {
    fn validate(&self) -> Result<(), Error> {
        if self.0.is_empty() {
            return Err(Error::invalid("an update needs at least one field"));
        }
        Ok(())
    }
}

impl People<'_> {
    /// Creates an employee (`POST /people`) and returns them as HiBob answers
    /// (the new ID in [`Employee::id`]). The fields are checked before
    /// sending; a malformed one is [`Error::InvalidField`] naming it.
    ///
    /// Await the [`CreateRequest`] for the new employee, or call
    /// [`verify`](CreateRequest::verify) to read them back too and learn
    /// which fields HiBob did not store as sent.
    ///
    /// A start date after today makes a future hire (inactive: find them
    /// with `show_inactive(true)`). Reads may lag the create by up to about
    /// 20 s. HiBob has no idempotency keys, so the create is never resent
    /// once it may have reached HiBob: a dropped connection or a 5xx after
    /// sending is [`Error::OutcomeUnknown`]; search by e-mail (with
    /// `show_inactive(true)`) before creating again. A 403 names
    /// "Features > People > Employees > Add new people to the company".
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    /// use hibob::people::NewEmployee;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let start = NaiveDate::from_ymd_opt(2020, 9, 1).unwrap();
    /// let hire = NewEmployee::new("Ada", "Lovelace", "ada@example.com", "Paris", start);
    /// let ada = client.people().create(hire).await?;
    /// let again = client.people().get(ada.id().unwrap()).await?;
    /// assert_eq!(again.email(), Some("ada@example.com"));
    ///
    /// // Refused before sending:
    /// let bad = NewEmployee::new("Bob", "B", "not-an-address", "Paris", start);
    /// assert!(matches!(
    ///     client.people().create(bad).await,
    ///     Err(hibob::Error::InvalidField { .. })
    /// ));
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, employee: NewEmployee) -> CreateRequest {
        CreateRequest {
            client: self.client.clone(),
            employee,
        }
    }

    /// An update of one employee's non-historical fields
    /// (`PUT /people/{identifier}`); add fields with
    /// [`set`](UpdateRequest::set), then await it.
    pub fn update(&self, employee_id: impl Into<EmployeeId>) -> UpdateRequest {
        UpdateRequest {
            client: self.client.clone(),
            employee_id: employee_id.into(),
            values: Vec::new(),
        }
    }
}

/// An update of one employee (`PUT /people/{identifier}`); build it with
/// [`People::update`].
///
/// Before sending, each field is checked against the company's fields
/// metadata (read once and cached per client, see
/// [`ClientBuilder::fields_metadata_ttl`](crate::ClientBuilder::fields_metadata_ttl)):
/// an unknown ID is [`Error::InvalidField`] with
/// [`FieldProblem::Unknown`](crate::FieldProblem::Unknown); a historical
/// field (metadata's `historical`, or a documented work-table column such as
/// `work.title`, `work.site`, `work.startDate`) is refused with
/// [`FieldProblem::Historical`](crate::FieldProblem::Historical) naming the
/// table entry to add instead; `root.email` goes through
/// [`People::set_email`]; date fields must be `YYYY-MM-DD`.
///
/// Awaiting gives [`WriteOutcome::Applied`], or [`WriteOutcome::Unchanged`]
/// when HiBob answered 304 (it already held these values);
/// [`verify`](UpdateRequest::verify) also reads the fields back. Idempotent, so
/// it is retried like a read. A 403 names the Edit permission of the
/// fields' categories.
///
/// ```
/// use hibob::{FieldProblem, WriteOutcome};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let id = fake.truth().employees[0].id.clone();
/// let people = client.people();
/// let outcome = people.update(&id).set("root.firstName", "Augusta").await?;
/// assert_eq!(outcome, WriteOutcome::Applied(()));
/// // The same again changes nothing: HiBob answers 304.
/// let again = people.update(&id).set("root.firstName", "Augusta").await?;
/// assert_eq!(again, WriteOutcome::Unchanged);
///
/// // A title changes through a dated work entry, never through an update:
/// let err = people.update(&id).set("work.title", "123").await.unwrap_err();
/// assert!(matches!(
///     err,
///     hibob::Error::InvalidField { problem: FieldProblem::Historical { .. }, .. }
/// ));
/// assert!(err.to_string().contains("work entry with an effective date"));
/// # Ok(())
/// # }
/// ```
#[must_use = "an update does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct UpdateRequest {
    client: Client,
    employee_id: EmployeeId,
    values: Vec<(String, Value)>,
}

impl UpdateRequest {
    /// Sets field `field` (its ID, as in fields metadata: `root.firstName`,
    /// `home.mobilePhone`, `work.custom.field_…`) to `value` (list fields
    /// take the item ID, dates `YYYY-MM-DD`).
    pub fn set(mut self, field: impl Into<FieldId>, value: impl Into<Value>) -> Self {
        self.values
            .push((field.into().as_str().to_owned(), value.into()));
        self
    }

    /// Reads the employee back (by ID, the sent fields) until HiBob stores
    /// every value as sent, for up to [`DEFAULT_WINDOW`] (HiBob's documented
    /// read lag): a [`Verified`] report of the update's outcome and of every
    /// field still not stored as sent (a value HiBob silently dropped).
    /// Refusals and send failures are errors exactly as when awaiting the
    /// update itself.
    pub fn verify(self) -> RequestFuture<Verified<WriteOutcome>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<WriteOutcome>> {
        request_future(async move {
            let client = self.client.clone();
            let id = self.employee_id.clone();
            let (outcome, sent) = self.send().await?;
            Ok(read_back(&client, &id, &sent, window)
                .await
                .with_value(outcome))
        })
    }

    /// Sends the update; also answers what it sent, for verifying.
    async fn send(self) -> Result<(WriteOutcome, Vec<Sent>), Error> {
        if self.values.is_empty() {
            return Err(Error::invalid("an update needs at least one field"));
        }
        let metadata = checks::fields(&self.client).await?;
        let sets_a_list = (self.values.iter()).any(|(id, _)| rules::needs_lists(&metadata, id));
        let lists = match sets_a_list {
            true => checks::named_lists(&self.client).await?,
            false => Default::default(),
        };
        let body = UpdateBody(rules::update_body(&metadata, &lists, &self.values)?);
        let id = self.employee_id.as_str();
        let outcome = UPDATE.send(&self.client, &[id], &(), &body).await?.value;
        let sent = (self.values.into_iter())
            .map(|(field, value)| {
                let path = (metadata.iter().find(|m| m.id.as_str() == field))
                    .map_or_else(|| field.clone(), |m| m.json_path().to_owned());
                Sent { field, path, value }
            })
            .collect();
        Ok((outcome, sent))
    }
}

impl IntoFuture for UpdateRequest {
    type Output = Result<WriteOutcome, Error>;
    type IntoFuture = RequestFuture<WriteOutcome>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(async move { Ok(self.send().await?.0) })
    }
}

/// A create of one employee (`POST /people`); build it with
/// [`People::create`]. Await it for the employee as HiBob answers, or call
/// [`verify`](Self::verify) to read the new employee back as well.
///
/// ```
/// use hibob::chrono::NaiveDate;
/// use hibob::people::NewEmployee;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let start = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
/// let hire = NewEmployee::new("Grace", "Hopper", "grace@example.com", "Paris", start);
/// let report = client.people().create(hire).verify().await?;
/// assert!(report.is_complete(), "{report}");
/// assert!(report.value.id().is_some());
/// # Ok(())
/// # }
/// ```
#[must_use = "a create does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct CreateRequest {
    client: Client,
    employee: NewEmployee,
}

impl CreateRequest {
    /// Creates the employee, then reads them back by the new ID until HiBob
    /// stores every sent field as sent, for up to [`DEFAULT_WINDOW`]
    /// (HiBob's documented read lag; a new hire may answer 404 meanwhile).
    /// A list value matches its item's ID or label. The create itself is
    /// sent once, exactly as when awaiting it: its failures
    /// ([`Error::OutcomeUnknown`] included) are errors, and only then.
    pub fn verify(self) -> RequestFuture<Verified<Employee>> {
        self.verify_within(DEFAULT_WINDOW)
    }

    /// [`verify`](Self::verify), re-reading for up to `window`.
    pub fn verify_within(self, window: Duration) -> RequestFuture<Verified<Employee>> {
        request_future(async move {
            let client = self.client.clone();
            let (created, sent) = self.send().await?;
            let Some(id) = created.id().cloned() else {
                // Without an ID there is nothing to read back by.
                let missing =
                    Error::invalid("HiBob's create answer has no employee ID to verify by");
                let report = Verified::unread(missing);
                return Ok(report.with_value(created));
            };
            let sent = sent_at_paths(sent);
            Ok(read_back(&client, &id, &sent, window)
                .await
                .with_value(created))
        })
    }

    async fn send(self) -> Result<(Employee, Vec<(String, Value)>), Error> {
        let (body, sent) = CreateBody::new(&self.employee)?;
        let created = CREATE.send(&self.client, &[], &(), &body).await?;
        Ok((created.value.into_employee(), sent))
    }
}

impl IntoFuture for CreateRequest {
    type Output = Result<Employee, Error>;
    type IntoFuture = RequestFuture<Employee>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(async move { Ok(self.send().await?.0) })
    }
}
