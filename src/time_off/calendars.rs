//! The company-calendar searches, `POST /timeoff/calendars/events/search`
//! and `POST /timeoff/calendars/employees/search`: cursor pages (the cursor
//! in the JSON body) through the one pager, employee IDs chunked by 5,000.

use std::collections::HashSet;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{MANAGE_CALENDAR, TimeOff};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::models::CursorPage;
use crate::models::time_off::{
    CalendarEvent, CalendarEventsSearch, EmployeeCalendar, EmployeeCalendarsSearch,
    MAX_EMPLOYEE_IDS,
};
use crate::pager::{Pager, chain};
use crate::transport::{ApiRequest, Json, RequestStream, request_stream};
use crate::{Client, Error};

/// `POST /timeoff/calendars/events/search`: company holidays and closures,
/// a read (HiBob's docs page `post_timeoff-calendars-events-search`).
static EVENTS: Endpoint<(), CalendarEventsSearch, Json<CursorPage<CalendarEvent>>> =
    Endpoint::post("/timeoff/calendars/events/search", Retry::Read).permission(MANAGE_CALENDAR);

/// `POST /timeoff/calendars/employees/search`: which holiday calendar applies
/// to each of at most 5,000 employees, a read (docs page
/// `post_timeoff-calendars-employees-search`).
static EMPLOYEES: Endpoint<(), EmployeeCalendarsSearch, Json<CursorPage<EmployeeCalendar>>> =
    Endpoint::post("/timeoff/calendars/employees/search", Retry::Read).permission(MANAGE_CALENDAR);

impl Payload for CalendarEventsSearch {
    fn validate(&self) -> Result<(), Error> {
        CalendarEventsSearch::validate(self)
    }
}

impl Payload for EmployeeCalendarsSearch {
    fn validate(&self) -> Result<(), Error> {
        EmployeeCalendarsSearch::validate(self)
    }
}

/// A search body that carries its own cursor.
trait CursorBody: Payload + Clone + Send + 'static {
    fn set_cursor(&mut self, cursor: Option<String>);
    fn cursor(&self) -> Option<&str>;
}

impl CursorBody for CalendarEventsSearch {
    fn set_cursor(&mut self, cursor: Option<String>) {
        self.cursor = cursor;
    }
    fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

impl CursorBody for EmployeeCalendarsSearch {
    fn set_cursor(&mut self, cursor: Option<String>) {
        self.cursor = cursor;
    }
    fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }
}

impl TimeOff<'_> {
    /// Company calendar events (holidays, closures) whose start date lies in
    /// the search's range, page after page
    /// (`POST /timeoff/calendars/events/search`). The search is validated
    /// first ([`CalendarEventsSearch::validate`]: at most 366 days); a
    /// cursor set on it is where the read starts. `Unpin`; ends after its
    /// first error, with the pager's loop guards.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use hibob::chrono::NaiveDate;
    /// use hibob::time_off::CalendarEventsSearch;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let year = CalendarEventsSearch::new(
    ///     NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    ///     NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    /// );
    /// let holidays: Vec<_> = client.time_off().calendar_events(year).try_collect().await?;
    /// for day in &holidays {
    ///     println!("{:?} {:?}", day.start_date, day.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn calendar_events(&self, search: CalendarEventsSearch) -> RequestStream<CalendarEvent> {
        request_stream(items(self.client, &EVENTS, search))
    }

    /// The holiday calendar of each employee the search names, page after
    /// page (`POST /timeoff/calendars/employees/search`). HiBob takes at most
    /// [`MAX_EMPLOYEE_IDS`] (5,000) IDs a call, so a longer list is sent in
    /// chunks of 5,000 (duplicates once), each paginated on its own, one
    /// after another. An empty list or a blank ID is
    /// [`Error::InvalidRequest`], before anything is sent. IDs HiBob does not
    /// know are left out of the answer. `Unpin`; ends after its first error.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use hibob::time_off::EmployeeCalendarsSearch;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let ids: Vec<String> = fake.truth().employees.iter().map(|e| e.id.clone()).collect();
    /// let search = EmployeeCalendarsSearch::new(ids.iter().map(String::as_str));
    /// let calendars: Vec<_> = client.time_off().employee_calendars(search).try_collect().await?;
    /// assert!(!calendars.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn employee_calendars(
        &self,
        search: EmployeeCalendarsSearch,
    ) -> RequestStream<EmployeeCalendar> {
        let chunks = match chunk(search) {
            Ok(chunks) => chunks,
            Err(error) => return request_stream(stream::once(async { Err(error) })),
        };
        let client = self.client.clone();
        request_stream(chain(
            chunks
                .into_iter()
                .map(move |chunk| items(&client, &EMPLOYEES, chunk)),
        ))
    }
}

/// The search split by [`MAX_EMPLOYEE_IDS`] after removing repeated IDs,
/// each chunk validated before anything is sent.
fn chunk(search: EmployeeCalendarsSearch) -> Result<Vec<EmployeeCalendarsSearch>, Error> {
    let mut seen = HashSet::new();
    let mut ids = search.employee_ids.clone();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.is_empty() {
        // The search's own check words it.
        search.validate()?;
    }
    let chunks: Vec<_> = ids
        .chunks(MAX_EMPLOYEE_IDS)
        .map(|ids| {
            let mut chunk = search.clone();
            chunk.employee_ids = ids.to_vec();
            chunk
        })
        .collect();
    chunks
        .iter()
        .try_for_each(EmployeeCalendarsSearch::validate)?;
    Ok(chunks)
}

/// One search's items across its pages: the body is resent unchanged but
/// for the cursor, as HiBob requires. A bad body fails the first item.
fn items<B, T>(
    client: &Client,
    endpoint: &'static Endpoint<(), B, Json<CursorPage<T>>>,
    search: B,
) -> BoxStream<'static, Result<T, Error>>
where
    B: CursorBody + Serialize,
    T: DeserializeOwned + Send + 'static,
{
    if let Err(error) = search.validate() {
        return stream::once(async { Err(error) }).boxed();
    }
    let first = search.cursor().map(str::to_owned);
    let build = move |cursor: Option<&str>| -> Result<ApiRequest, Error> {
        let mut body = search.clone();
        body.set_cursor(cursor.map(str::to_owned).or_else(|| first.clone()));
        endpoint.request(&[], &(), &body)
    };
    Pager::new(client, build)
        .pages::<CursorPage<T>>()
        .map_ok(|received| stream::iter(received.value.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}
