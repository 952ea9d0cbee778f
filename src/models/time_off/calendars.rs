//! The calendar searches, which follow HiBob's docs pages
//! `post_timeoff-calendars-events-search` and
//! `post_timeoff-calendars-employees-search` (they are newer than the
//! OpenAPI): `POST /timeoff/calendars/events/search` reads company holidays
//! and closures, `POST /timeoff/calendars/employees/search` says which
//! holiday calendar applies to each employee.
//!
//! Both take the object-search body `{"fields", "filters", "limit",
//! "cursor"}` and answer [`CursorPage`](crate::models::CursorPage)s (`items` and
//! `response_metadata.next_cursor`). Both need the Settings > Calendars
//! permission ("Manage company calendar").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

use super::wire::{date_text, open_enum};
use crate::Error;
use crate::models::EmployeeId;

mod page;

pub use page::{CalendarEvent, CalendarSource, EmployeeCalendar};

/// The most employee IDs one employee-calendars search takes (HiBob answers
/// 400 `tooManyEmployeeIds` beyond, as a third-party connector records).
pub const MAX_EMPLOYEE_IDS: usize = 5_000;

/// The largest page a calendar search takes (third-party observation; the
/// docs leave paging to the server when `limit` is absent).
pub const MAX_LIMIT: u32 = 1_000;

/// The longest `startDate` range an events search takes: 366 days, both ends
/// counted (HiBob answers 400 `dateRangeTooLong` beyond).
pub const MAX_EVENT_RANGE_DAYS: i64 = 366;

/// Field IDs of the calendar searches, used in `filters` and `fields` and as
/// the keys of each item.
pub mod fields {
    /// `/calendarEvent/startDate`: the date range filter's field.
    pub const EVENT_START_DATE: &str = "/calendarEvent/startDate";
    /// `/calendarEvent/calendarId`.
    pub const EVENT_CALENDAR_ID: &str = "/calendarEvent/calendarId";
    /// `/calendarEvent/siteId`.
    pub const EVENT_SITE_ID: &str = "/calendarEvent/siteId";
    /// `/employeeCalendar/employeeId`: the employees to resolve.
    pub const EMPLOYEE_ID: &str = "/employeeCalendar/employeeId";
}

open_enum! {
    /// A search filter's `operator`.
    FilterOperator {
        /// `equals`: the field is one of `values`.
        Equals => "equals";
        /// `notEqual`: the field is none of `values`.
        NotEqual => "notEqual";
        /// `between`: the field lies in `[values[0], values[1]]`. The docs say
        /// the events search's date range is "a from/to pair" on
        /// `/calendarEvent/startDate` without naming the operator in the
        /// part we could read; `between` is this crate's assumption.
        Between => "between";
    }
}

/// One entry of a search's `filters`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SearchFilter {
    /// The field to filter on, e.g. [`fields::EMPLOYEE_ID`].
    pub field_id: String,
    /// How to compare.
    pub operator: FilterOperator,
    /// The values, as strings (dates as `YYYY-MM-DD`).
    pub values: Vec<String>,
}

impl SearchFilter {
    /// `field_id` `operator` `values`.
    pub fn new<I, S>(field_id: impl Into<String>, operator: FilterOperator, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            field_id: field_id.into(),
            operator,
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        if self.field_id.trim().is_empty() {
            return Err(Error::invalid("a search filter needs a field ID"));
        }
        if self.values.is_empty() || self.values.iter().any(|v| v.trim().is_empty()) {
            return Err(Error::invalid(format!(
                "the search filter on `{}` needs values, none of them blank",
                self.field_id
            )));
        }
        Ok(())
    }
}

/// The object-search body as it goes over the wire. The typed searches
/// below serialize through it; a fake server can read a body back into it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchBody {
    /// Field IDs to return (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The filters, all of which must match.
    #[serde(default)]
    pub filters: Vec<SearchFilter>,
    /// Page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The cursor of the page to read; absent for the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// What both searches check: page size, cursor and field IDs.
fn validate_paging(
    fields: &[String],
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<(), Error> {
    if limit.is_some_and(|l| l == 0 || l > MAX_LIMIT) {
        return Err(Error::invalid(format!(
            "a calendar search's limit must be 1 to {MAX_LIMIT}, not {}",
            limit.unwrap_or_default()
        )));
    }
    if cursor.is_some_and(|c| c.trim().is_empty()) {
        return Err(Error::invalid(
            "a calendar search's cursor is blank; leave it out for the first page",
        ));
    }
    if fields.iter().any(|f| f.trim().is_empty()) {
        return Err(Error::invalid("a calendar search lists a blank field ID"));
    }
    Ok(())
}

/// The body of `POST /timeoff/calendars/events/search`: holidays and
/// closures whose start date lies in `from..=to` (at most
/// [`MAX_EVENT_RANGE_DAYS`]), optionally of some calendars or sites.
///
/// To find one employee's events, filter by their calendar
/// ([`EmployeeCalendar::calendar_id`]) when they have one, else by their site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CalendarEventsSearch {
    /// First start date, inclusive.
    pub from: NaiveDate,
    /// Last start date, inclusive.
    pub to: NaiveDate,
    /// Only these calendars (all when empty).
    pub calendar_ids: Vec<String>,
    /// Only these sites (all when empty).
    pub site_ids: Vec<String>,
    /// More filters, sent after the ones above.
    pub filters: Vec<SearchFilter>,
    /// Field IDs to return (all when empty).
    pub fields: Vec<String>,
    /// Page size (server default when `None`).
    pub limit: Option<u32>,
    /// The page to read; `None` for the first.
    pub cursor: Option<String>,
}

impl CalendarEventsSearch {
    /// Events starting from `from` to `to`, both included.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            from,
            to,
            calendar_ids: Vec::new(),
            site_ids: Vec::new(),
            filters: Vec::new(),
            fields: Vec::new(),
            limit: None,
            cursor: None,
        }
    }

    /// The body HiBob receives.
    pub fn to_body(&self) -> SearchBody {
        let range = [date_text(self.from), date_text(self.to)];
        let mut filters = vec![SearchFilter::new(
            fields::EVENT_START_DATE,
            FilterOperator::Between,
            range,
        )];
        if !self.calendar_ids.is_empty() {
            let ids = self.calendar_ids.iter().cloned();
            filters.push(SearchFilter::new(
                fields::EVENT_CALENDAR_ID,
                FilterOperator::Equals,
                ids,
            ));
        }
        if !self.site_ids.is_empty() {
            let ids = self.site_ids.iter().cloned();
            filters.push(SearchFilter::new(
                fields::EVENT_SITE_ID,
                FilterOperator::Equals,
                ids,
            ));
        }
        filters.extend(self.filters.iter().cloned());
        SearchBody {
            fields: self.fields.clone(),
            filters,
            limit: self.limit,
            cursor: self.cursor.clone(),
        }
    }

    /// Refuses a range that ends before it starts or spans more than
    /// [`MAX_EVENT_RANGE_DAYS`], blank IDs, and bad paging or filters.
    pub fn validate(&self) -> Result<(), Error> {
        if self.to < self.from {
            return Err(Error::invalid(format!(
                "a calendar events search ends ({}) before it starts ({})",
                date_text(self.to),
                date_text(self.from)
            )));
        }
        let days = (self.to - self.from).num_days() + 1;
        if days > MAX_EVENT_RANGE_DAYS {
            return Err(Error::invalid(format!(
                "a calendar events search spans {days} days; HiBob takes at most {MAX_EVENT_RANGE_DAYS}, so split the range"
            )));
        }
        if self
            .calendar_ids
            .iter()
            .chain(&self.site_ids)
            .any(|id| id.trim().is_empty())
        {
            return Err(Error::invalid(
                "a calendar events search lists a blank calendar or site ID",
            ));
        }
        self.filters.iter().try_for_each(SearchFilter::validate)?;
        validate_paging(&self.fields, self.limit, self.cursor.as_deref())
    }
}

impl Serialize for CalendarEventsSearch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_body().serialize(s)
    }
}

/// The body of `POST /timeoff/calendars/employees/search`: which holiday
/// calendar applies to each of at most [`MAX_EMPLOYEE_IDS`] employees.
///
/// IDs HiBob does not know are left out of the answer without an error;
/// compare the answer's employee IDs with the ones asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmployeeCalendarsSearch {
    /// The employees to resolve.
    pub employee_ids: Vec<EmployeeId>,
    /// Field IDs to return (all when empty).
    pub fields: Vec<String>,
    /// Page size (server default when `None`).
    pub limit: Option<u32>,
    /// The page to read; `None` for the first.
    pub cursor: Option<String>,
}

impl EmployeeCalendarsSearch {
    /// The calendars of these employees.
    pub fn new<I>(employee_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<EmployeeId>,
    {
        Self {
            employee_ids: employee_ids.into_iter().map(Into::into).collect(),
            fields: Vec::new(),
            limit: None,
            cursor: None,
        }
    }

    /// The body HiBob receives.
    pub fn to_body(&self) -> SearchBody {
        let ids = self.employee_ids.iter().map(|id| id.as_str().to_owned());
        SearchBody {
            fields: self.fields.clone(),
            filters: vec![SearchFilter::new(
                fields::EMPLOYEE_ID,
                FilterOperator::Equals,
                ids,
            )],
            limit: self.limit,
            cursor: self.cursor.clone(),
        }
    }

    /// Refuses no employees, more than [`MAX_EMPLOYEE_IDS`], a blank ID, and
    /// bad paging.
    pub fn validate(&self) -> Result<(), Error> {
        let count = self.employee_ids.len();
        if count == 0 {
            return Err(Error::invalid(
                "an employee calendars search needs at least one employee ID",
            ));
        }
        if count > MAX_EMPLOYEE_IDS {
            return Err(Error::invalid(format!(
                "an employee calendars search takes at most {MAX_EMPLOYEE_IDS} employee IDs, not {count}; split them"
            )));
        }
        if self
            .employee_ids
            .iter()
            .any(|id| id.as_str().trim().is_empty())
        {
            return Err(Error::invalid(
                "an employee calendars search lists an empty employee ID",
            ));
        }
        validate_paging(&self.fields, self.limit, self.cursor.as_deref())
    }
}

impl Serialize for EmployeeCalendarsSearch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_body().serialize(s)
    }
}
