//! What the calendar searches answer: the items of a cursor page
//! ([`CursorPage`](crate::models::CursorPage)) of events or of employee
//! calendars.
//!
//! The docs say each item's keys are the field IDs
//! (`"/calendarEvent/startDate"`), and third-party connectors read them so;
//! plain keys (`"startDate"`) are accepted too. Items serialize with the
//! field-ID keys.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::models::EmployeeId;
use crate::models::time_off::wire::{open_enum, opt};

/// A company calendar event: a holiday, a closure… (one item of the events
/// search).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CalendarEvent {
    /// The event's ID, as text (it may be sent as a number).
    #[serde(rename = "/calendarEvent/id", alias = "id")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name (`Christmas Day`).
    #[serde(rename = "/calendarEvent/name", alias = "name")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First day.
    #[serde(rename = "/calendarEvent/startDate", alias = "startDate")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// Last day.
    #[serde(rename = "/calendarEvent/endDate", alias = "endDate")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The kind of event, as sent (the docs we could read do not list the
    /// values, so it is not an enum).
    #[serde(rename = "/calendarEvent/eventType", alias = "eventType")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// The calendar it belongs to, as text.
    #[serde(rename = "/calendarEvent/calendarId", alias = "calendarId")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_id: Option<String>,
    /// The site it applies to, as text.
    #[serde(rename = "/calendarEvent/siteId", alias = "siteId")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
    /// Fields this crate does not model, under their keys as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

open_enum! {
    /// Where an employee's holiday calendar comes from (`source`).
    CalendarSource {
        /// `employment`: set on the employee's employment record.
        Employment => "employment";
        /// `site`: the default of the employee's site.
        Site => "site";
        /// `none`: no calendar applies (`calendarId` is then `null`).
        Unassigned => "none";
    }
}

/// The holiday calendar that applies to one employee (one item of the
/// employee-calendars search).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmployeeCalendar {
    /// Whose calendar this is.
    #[serde(rename = "/employeeCalendar/employeeId", alias = "employeeId")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<EmployeeId>,
    /// The calendar, as text (`None` when [`source`](Self::source) is `none`).
    #[serde(rename = "/employeeCalendar/calendarId", alias = "calendarId")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_id: Option<String>,
    /// The calendar's name.
    #[serde(rename = "/employeeCalendar/calendarName", alias = "calendarName")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar_name: Option<String>,
    /// Employment override, site default or none.
    #[serde(rename = "/employeeCalendar/source", alias = "source")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<CalendarSource>,
    /// The employee's site, as text.
    #[serde(rename = "/employeeCalendar/siteId", alias = "siteId")]
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
    /// Fields this crate does not model, under their keys as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
