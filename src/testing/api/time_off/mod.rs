//! Time off: every `/timeoff/…` endpoint of the client's models, answered
//! from [`TimeOff`](crate::testing::TimeOff) in HiBob's wire shapes, written
//! by hand here (not by serializing the client's models) so the fake checks
//! the client's decoding independently.
//!
//! `requests.rs` serves submit, read one, cancel and the changes feed;
//! `outs.rs` who's out, out today, balances and adjustments; `policies.rs`
//! policy types, policies and reason codes; `calendars.rs` the two calendar
//! searches.

mod calendars;
mod outs;
mod policies;
mod requests;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::{Call, Endpoint, percent_decode};
use crate::testing::TIME_OFF_CATEGORY;
use crate::testing::company::TruthEmployee;
use crate::testing::company::time_off::{TimeOff, TruthAmount, TruthRequest};
use crate::testing::reply::Reply;
use crate::testing::state::State;

/// The permission a time-off endpoint needs, named as Bob's UI does.
#[derive(Clone, Copy)]
enum Needs {
    /// Features > Time off: settings, policies, requests, balances.
    Features,
    /// People's data > Time off > See who's out.
    WhosOut,
    /// Settings > Calendars > Manage company calendar.
    Calendars,
}

impl Needs {
    fn forbidden(self) -> Reply {
        let grant = match self {
            Needs::Features => {
                "Features > Time off (time-off settings and policies, and the requests permissions)"
            }
            Needs::WhosOut => "People's data > Time off > See who's out",
            Needs::Calendars => "Settings > Calendars > Manage company calendar",
        };
        let message = format!(
            "The service user does not have the time off permissions for this request; \
             grant its permission group {grant}"
        );
        Reply::error(403, "permission.denied", &message)
    }
}

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let ["timeoff", rest @ ..] = call.segments else {
        return None;
    };
    let (template, needs, handler): (&'static str, Needs, Handler<'_>) = match (call.method, rest) {
        ("POST", ["employees", id, "requests"]) => (
            "POST /timeoff/employees/{id}/requests",
            Needs::Features,
            Box::new(move |s| requests::submit(s, &percent_decode(id), call.body())),
        ),
        ("GET", ["employees", id, "requests", rid]) => (
            "GET /timeoff/employees/{id}/requests/{requestId}",
            Needs::Features,
            Box::new(move |s| requests::read(s, &percent_decode(id), rid)),
        ),
        ("DELETE", ["employees", id, "requests", rid]) => (
            "DELETE /timeoff/employees/{id}/requests/{requestId}",
            Needs::Features,
            Box::new(move |s| requests::cancel(s, &percent_decode(id), rid)),
        ),
        ("GET", ["requests", "changes"]) => (
            "GET /timeoff/requests/changes",
            Needs::Features,
            Box::new(move |s| requests::changes(s, &call.query())),
        ),
        ("GET", ["whosout"]) => (
            "GET /timeoff/whosout",
            Needs::WhosOut,
            Box::new(move |s| outs::whos_out(s, &call.query())),
        ),
        ("GET", ["outtoday"]) => (
            "GET /timeoff/outtoday",
            Needs::WhosOut,
            Box::new(move |s| outs::out_today(s, &call.query())),
        ),
        ("GET", ["employees", id, "balance"]) => (
            "GET /timeoff/employees/{id}/balance",
            Needs::Features,
            Box::new(move |s| outs::balance(s, &percent_decode(id), &call.query())),
        ),
        ("POST", ["employees", id, "adjustments"]) => (
            "POST /timeoff/employees/{id}/adjustments",
            Needs::Features,
            Box::new(move |s| outs::adjust(s, &percent_decode(id), call.body())),
        ),
        ("GET", ["policy-types"]) => (
            "GET /timeoff/policy-types",
            Needs::Features,
            Box::new(policies::type_names),
        ),
        ("GET", ["policy-types", name]) => (
            "GET /timeoff/policy-types/{policyType}",
            Needs::Features,
            Box::new(move |s| policies::one_type(s, &percent_decode(name))),
        ),
        ("GET", ["policy-types", name, "reason-codes"]) => (
            "GET /timeoff/policy-types/{policyType}/reason-codes",
            Needs::Features,
            Box::new(move |s| policies::reason_codes(s, &percent_decode(name))),
        ),
        ("POST", ["policy-types", name, "reason-codes"]) => (
            "POST /timeoff/policy-types/{policyType}/reason-codes",
            Needs::Features,
            Box::new(move |s| policies::add_reason_codes(s, &percent_decode(name), call.body())),
        ),
        ("GET", ["policies", "names"]) => (
            "GET /timeoff/policies/names",
            Needs::Features,
            Box::new(move |s| policies::policy_names(s, &call.query())),
        ),
        ("GET", ["policies"]) => (
            "GET /timeoff/policies",
            Needs::Features,
            Box::new(move |s| policies::policy(s, &call.query())),
        ),
        ("POST", ["calendars", "events", "search"]) => (
            "POST /timeoff/calendars/events/search",
            Needs::Calendars,
            Box::new(move |s| calendars::events(s, call.body())),
        ),
        ("POST", ["calendars", "employees", "search"]) => (
            "POST /timeoff/calendars/employees/search",
            Needs::Calendars,
            Box::new(move |s| calendars::employees(s, call.body())),
        ),
        _ => return None,
    };
    Some(Endpoint::new(template, move |state| {
        if !state.permitted(TIME_OFF_CATEGORY) {
            return needs.forbidden();
        }
        handler(state)
    }))
}

type Handler<'a> = Box<dyn FnOnce(&mut State) -> Reply + 'a>;

/// The employee, if they exist and the audience covers them: time-off reads
/// and writes answer 404 for everyone else, as for an unknown ID.
fn employee<'s>(state: &'s State, id: &str) -> Result<&'s TruthEmployee, Reply> {
    match state.store.employee(id) {
        Some(e) if state.visible(e.facts) => Ok(e.facts),
        _ => Err(Reply::error(
            404,
            "employee.not.found",
            "Employee not found",
        )),
    }
}

/// Parses a JSON object body; `Err` is the 400 to send.
fn body_object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Reply::bad_request("The request body must be a JSON object")),
        Err(_) => Err(Reply::bad_request("Malformed JSON in the request body")),
    }
}

/// A `true`/`false` query flag (absent: `false`); `Err` is the 400.
fn flag(query: &HashMap<String, String>, name: &str) -> Result<bool, Reply> {
    match query.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(Reply::bad_request(&format!("{name} must be true or false"))),
    }
}

/// A `YYYY-MM-DD` query parameter; `Err` is the 400.
fn date_param(query: &HashMap<String, String>, name: &str) -> Result<Option<NaiveDate>, Reply> {
    match query.get(name) {
        None => Ok(None),
        Some(text) => text
            .parse::<NaiveDate>()
            .map(Some)
            .map_err(|_| Reply::bad_request(&format!("{name} must be a date (YYYY-MM-DD)"))),
    }
}

fn required_date(query: &HashMap<String, String>, name: &str) -> Result<NaiveDate, Reply> {
    date_param(query, name)?.ok_or_else(|| Reply::bad_request(&format!("{name} is required")))
}

/// The policy type's display name for a reader: a custom name unless
/// `include_private` (as who's out documents).
fn display_name(time_off: &TimeOff, policy_type: &str, include_private: bool) -> String {
    match time_off.policy_type(policy_type) {
        Some(t) if !include_private && t.visibility == "Custom name" => {
            t.custom_name.clone().unwrap_or_else(|| t.name.clone())
        }
        _ => policy_type.to_owned(),
    }
}

fn visibility<'a>(time_off: &'a TimeOff, policy_type: &str) -> &'a str {
    time_off
        .policy_type(policy_type)
        .map_or("Public", |t| t.visibility.as_str())
}

fn unit(time_off: &TimeOff, policy_type: &str) -> &'static str {
    match time_off
        .policy_type(policy_type)
        .is_some_and(|t| t.is_hourly())
    {
        true => "hours",
        false => "days",
    }
}

/// `createdOn` as HiBob writes it: milliseconds, no zone.
fn timestamp(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

/// The keys that say how much time a request takes, with `portion_keys`
/// naming the first/last-day portions (`startPortion` on reads and who's
/// out, `startDatePortion` on out today) and `hours_key` the hours of an
/// `hours` request (`hoursOnDate`, or `hours` on out today). Only who's out
/// and out today send `minutes` (the OpenAPI has none on reads or changes).
fn amount_keys(
    out: &mut Map<String, Value>,
    r: &TruthRequest,
    portion_keys: (&str, &str),
    hours_key: &str,
    with_minutes: bool,
) {
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_owned(), v);
    };
    match &r.amount {
        TruthAmount::Hours { hours, minutes } => {
            put("date", json!(r.start_date.to_string()));
            put(hours_key, json!(hours));
            if with_minutes {
                put("minutes", json!(minutes));
            }
            return;
        }
        TruthAmount::Days { start, end } => {
            put(portion_keys.0, json!(start.as_str()));
            put(portion_keys.1, json!(end.as_str()));
        }
        TruthAmount::PortionOnRange(p) => put("dayPortion", json!(p.as_str())),
        TruthAmount::HoursOnRange { hours, minutes } => {
            put(
                "dailyHours",
                json!(f64::from(*hours) + f64::from(*minutes) / 60.0),
            );
        }
        TruthAmount::DifferentDayDurations { .. } => {}
        TruthAmount::SpecificHours { start, end } => {
            put(
                "dailyHours",
                json!((*end - *start).num_minutes() as f64 / 60.0),
            );
        }
    }
    put("startDate", json!(r.start_date.to_string()));
    put("endDate", json!(r.end_date.to_string()));
}
