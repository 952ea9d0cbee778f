//! The calendar searches: `POST /timeoff/calendars/events/search` and
//! `POST /timeoff/calendars/employees/search`, with a body cursor.

use serde_json::{Map, Value, json};

use super::body_object;
use crate::testing::api::cursor::{self, fnv};
use crate::testing::company::TruthEmployee;
use crate::testing::company::time_off::{TimeOff, id_hash};
use crate::testing::reply::Reply;
use crate::testing::state::State;

/// The most employee IDs one employee-calendars search takes.
const MAX_EMPLOYEE_IDS: usize = 5_000;
/// The longest events range, both ends counted.
const MAX_RANGE_DAYS: i64 = 366;
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1_000;

/// A search body: its filters as `(fieldId, operator, values)`, `fields`,
/// `limit`, the cursor's offset, and a hash of everything but the cursor.
struct Search {
    filters: Vec<(String, String, Vec<String>)>,
    fields: Vec<String>,
    limit: usize,
    offset: usize,
    params: u64,
}

fn parse(body: &[u8]) -> Result<Search, Reply> {
    let mut body = body_object(body)?;
    let cursor = match body.remove("cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(c)) => Some(c),
        Some(_) => return Err(Reply::bad_request("cursor must be a string")),
    };
    let params = fnv(&[&Value::Object(body.clone()).to_string()]);
    let offset = match cursor {
        None => 0,
        Some(c) => {
            cursor::decode(params, &c).ok_or_else(|| Reply::bad_request("Invalid cursor"))?
        }
    };
    let limit = match body.get("limit") {
        None | Some(Value::Null) => DEFAULT_LIMIT,
        Some(v) => match v.as_u64().map(|l| l as usize) {
            Some(l @ 1..=MAX_LIMIT) => l,
            _ => return Err(Reply::bad_request("limit must be between 1 and 1000")),
        },
    };
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let fields = match body.get("fields") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            strings(v).ok_or_else(|| Reply::bad_request("fields must be an array of field IDs"))?
        }
    };
    let mut filters = Vec::new();
    for filter in body
        .get("filters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let field = filter.get("fieldId").and_then(Value::as_str);
        let operator = filter.get("operator").and_then(Value::as_str);
        let values = filter.get("values").and_then(strings);
        match (field, operator, values) {
            (Some(f), Some(o), Some(v)) => filters.push((f.to_owned(), o.to_owned(), v)),
            _ => {
                return Err(Reply::bad_request(
                    "each filter needs fieldId, operator and values",
                ));
            }
        }
    }
    Ok(Search {
        filters,
        fields,
        limit,
        offset,
        params,
    })
}

/// One page of `items`, keeping only the requested `fields` (all when none).
fn page(search: &Search, items: Vec<Map<String, Value>>) -> Reply {
    if search.offset > items.len() {
        return Reply::bad_request("Invalid cursor");
    }
    let end = (search.offset + search.limit).min(items.len());
    let next = (end < items.len()).then(|| cursor::encode(search.params, end));
    let shown: Vec<Value> = items
        .into_iter()
        .skip(search.offset)
        .take(end - search.offset)
        .map(|mut item| {
            if !search.fields.is_empty() {
                item.retain(|k, _| search.fields.contains(k));
            }
            Value::Object(item)
        })
        .collect();
    Reply::json(
        200,
        json!({ "items": shown, "response_metadata": { "next_cursor": next } }),
    )
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

pub(super) fn events(state: &State, body: &[u8]) -> Reply {
    let result = (|| {
        let search = parse(body)?;
        let mut range = None;
        let (mut calendars, mut sites) = (None, None);
        for (field, operator, values) in &search.filters {
            match (field.as_str(), operator.as_str(), values.as_slice()) {
                ("/calendarEvent/startDate", "between", [from, to]) => {
                    let (Ok(from), Ok(to)) = (
                        from.parse::<chrono::NaiveDate>(),
                        to.parse::<chrono::NaiveDate>(),
                    ) else {
                        return Err(Reply::bad_request(
                            "the startDate range takes two dates (YYYY-MM-DD)",
                        ));
                    };
                    range = Some((from, to));
                }
                ("/calendarEvent/calendarId", "equals", ids) => calendars = Some(ids.to_vec()),
                ("/calendarEvent/siteId", "equals", ids) => sites = Some(ids.to_vec()),
                _ => {
                    return Err(Reply::bad_request(&format!(
                        "Unsupported filter on {field} ({operator})"
                    )));
                }
            }
        }
        let Some((from, to)) = range else {
            return Err(Reply::bad_request(
                "a /calendarEvent/startDate between filter is required",
            ));
        };
        if to < from || (to - from).num_days() + 1 > MAX_RANGE_DAYS {
            return Err(Reply::error(
                400,
                "dateRangeTooLong",
                "The date range must run forward and span at most 366 days",
            ));
        }
        let mut items = Vec::new();
        for cal in &state.store.time_off().calendars {
            let site = cal.site_id.to_string();
            if calendars.as_ref().is_some_and(|ids| !ids.contains(&cal.id))
                || sites.as_ref().is_some_and(|ids| !ids.contains(&site))
            {
                continue;
            }
            for event in cal
                .events
                .iter()
                .filter(|e| from <= e.start_date && e.start_date <= to)
            {
                items.push(object(json!({
                    "/calendarEvent/id": event.id,
                    "/calendarEvent/name": event.name,
                    "/calendarEvent/startDate": event.start_date.to_string(),
                    "/calendarEvent/endDate": event.end_date.to_string(),
                    "/calendarEvent/eventType": event.event_type,
                    "/calendarEvent/calendarId": cal.id,
                    "/calendarEvent/siteId": cal.site_id,
                })));
            }
        }
        Ok(page(&search, items))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}

/// The calendar that applies to an employee: their site's, or for one in
/// ten (by ID) another site's set on their employment record; none without
/// a site that has a calendar.
fn calendar_of(time_off: &TimeOff, e: &TruthEmployee) -> Map<String, Value> {
    let site_calendar = time_off
        .calendars
        .iter()
        .position(|c| Some(c.site_id) == e.site_id);
    let (calendar, source) = match site_calendar {
        Some(i) if id_hash(&e.id) % 10 == 0 => (
            time_off.calendars.get((i + 1) % time_off.calendars.len()),
            "employment",
        ),
        Some(i) => (time_off.calendars.get(i), "site"),
        None => (None, "none"),
    };
    object(json!({
        "/employeeCalendar/employeeId": e.id,
        "/employeeCalendar/calendarId": calendar.map(|c| &c.id),
        "/employeeCalendar/calendarName": calendar.map(|c| &c.name),
        "/employeeCalendar/source": source,
        "/employeeCalendar/siteId": e.site_id,
    }))
}

pub(super) fn employees(state: &State, body: &[u8]) -> Reply {
    let result = (|| {
        let search = parse(body)?;
        let mut ids: Vec<&str> = Vec::new();
        let mut found = false;
        for (field, operator, values) in &search.filters {
            if field != "/employeeCalendar/employeeId" || operator != "equals" {
                return Err(Reply::bad_request(&format!(
                    "Unsupported filter on {field} ({operator})"
                )));
            }
            found = true;
            for id in values {
                if !ids.contains(&id.as_str()) {
                    ids.push(id);
                }
            }
        }
        if !found {
            return Err(Reply::bad_request(
                "a /employeeCalendar/employeeId equals filter is required",
            ));
        }
        if ids.len() > MAX_EMPLOYEE_IDS {
            return Err(Reply::error(
                400,
                "tooManyEmployeeIds",
                "At most 5000 employee IDs per request",
            ));
        }
        let time_off = state.store.time_off();
        // Unknown IDs and employees outside the audience are left out.
        let items = ids
            .iter()
            .filter_map(|id| state.store.employee(id))
            .filter(|e| state.visible(e.facts))
            .map(|e| calendar_of(time_off, e.facts))
            .collect();
        Ok(page(&search, items))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}
