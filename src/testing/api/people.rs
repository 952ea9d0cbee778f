//! People: `POST /people/search` and `POST /people/{identifier}`.

use serde_json::{Map, Value};

use super::{Call, Endpoint, percent_decode};
use crate::testing::fields::{self, FieldDef, Human};
use crate::testing::reply::Reply;
use crate::testing::state::State;
use crate::testing::store::{Store, Stored};

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let body = call.body();
    let endpoint = match (call.method, call.segments) {
        ("POST", ["people", "search"]) => {
            Endpoint::new("POST /people/search", move |state| search(state, body))
        }
        ("POST", ["people", identifier]) => {
            Endpoint::new("POST /people/{identifier}", move |state| {
                // `POST /people/` counts against the route but names no one.
                if identifier.is_empty() {
                    return Reply::not_found("No such endpoint");
                }
                single(state, &percent_decode(identifier), body)
            })
        }
        _ => return None,
    };
    Some(endpoint)
}

/// Parses the request body (empty ⇒ `{}`); `Err` is the 400 to send.
fn body_object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Reply::bad_request("The request body must be a JSON object")),
        Err(_) => Err(Reply::bad_request("Malformed JSON in the request body")),
    }
}

/// `fields` (default set when omitted) and `humanReadable`, as permitted field definitions.
fn fields_and_mode(
    state: &State,
    body: &Map<String, Value>,
) -> Result<(Vec<&'static FieldDef>, Human), Reply> {
    let requested = match body.get("fields") {
        None | Some(Value::Null) => fields::default_fields(),
        Some(Value::Array(ids)) => {
            if ids.len() > 400 {
                return Err(Reply::bad_request(
                    "fields: at most 400 field IDs are allowed",
                ));
            }
            let mut out: Vec<&'static FieldDef> = Vec::new();
            for id in ids {
                let Some(id) = id.as_str() else {
                    return Err(Reply::bad_request(
                        "fields: every field ID must be a string",
                    ));
                };
                // Unknown IDs are dropped silently, like HiBob does.
                if let Some(def) = fields::field(id) {
                    if !out.iter().any(|d| d.id == def.id) {
                        out.push(def);
                    }
                }
            }
            out
        }
        Some(_) => return Err(Reply::bad_request("fields must be an array of field IDs")),
    };
    let permitted = requested
        .into_iter()
        .filter(|d| state.permitted(d.category_id))
        .collect();
    let mode = match body.get("humanReadable") {
        None | Some(Value::Null) => Human::Off,
        Some(Value::String(s)) if s.is_empty() => Human::Off,
        Some(Value::String(s)) if s == "APPEND" => Human::Append,
        Some(Value::String(s)) if s == "REPLACE" => Human::Replace,
        Some(_) => {
            return Err(Reply::bad_request(
                "humanReadable must be \"APPEND\" or \"REPLACE\"",
            ));
        }
    };
    Ok((permitted, mode))
}

/// The single filter (`root.id` / `root.email`, `equals`, non-empty values).
fn parse_filter(body: &Map<String, Value>) -> Result<Option<(bool, Vec<String>)>, Reply> {
    let Some(filters) = body.get("filters") else {
        return Ok(None);
    };
    let Some(filters) = filters.as_array() else {
        return Err(Reply::bad_request("filters must be an array"));
    };
    let [filter] = filters.as_slice() else {
        return Err(Reply::bad_request("filters must hold exactly one filter"));
    };
    let by_email = match filter.get("fieldPath").and_then(Value::as_str) {
        Some("root.id") => false,
        Some("root.email") => true,
        _ => {
            return Err(Reply::bad_request(
                "filters[0].fieldPath must be root.id or root.email",
            ));
        }
    };
    if filter.get("operator").and_then(Value::as_str) != Some("equals") {
        return Err(Reply::bad_request("filters[0].operator must be equals"));
    }
    let values: Option<Vec<String>> = filter
        .get("values")
        .and_then(Value::as_array)
        .and_then(|vs| vs.iter().map(|v| v.as_str().map(str::to_owned)).collect());
    match values {
        Some(values) if !values.is_empty() => Ok(Some((by_email, values))),
        _ => Err(Reply::bad_request(
            "filters[0].values must be a non-empty array of strings",
        )),
    }
}

fn search(state: &State, body: &[u8]) -> Reply {
    let result = (|| {
        let body = body_object(body)?;
        let (defs, mode) = fields_and_mode(state, &body)?;
        let filter = parse_filter(&body)?;
        let show_inactive = match body.get("showInactive") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(Reply::bad_request("showInactive must be a boolean")),
        };
        let employees: Vec<Stored<'_>> = state
            .store
            .employees()
            .filter(|e| state.visible(e.facts))
            .filter(|e| show_inactive || e.facts.is_active())
            .filter(|e| match &filter {
                None => true,
                Some((false, ids)) => ids.contains(&e.facts.id),
                Some((true, emails)) => emails
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(&e.facts.email)),
            })
            .collect();
        Ok(Reply::json_bytes(
            200,
            write_employees(&state.store, &employees, &defs, mode),
        ))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// `{"employees": [...]}`, written one employee at a time: only one employee
/// exists as a `Value` at any moment, however large the company.
fn write_employees(
    store: &Store,
    employees: &[Stored<'_>],
    defs: &[&FieldDef],
    mode: Human,
) -> Vec<u8> {
    let mut out = b"{\"employees\":[".to_vec();
    for (i, employee) in employees.iter().enumerate() {
        let start = out.len();
        if i > 0 {
            out.push(b',');
        }
        let value = fields::render(store, *employee, defs, mode);
        serde_json::to_writer(&mut out, &value).expect("a serde_json::Value always serializes");
        if i == 0 {
            // Employees differ little in size: reserve for everyone at once.
            let each = out.len() - start + 1;
            out.reserve(each.saturating_mul(employees.len()) / 8 * 9);
        }
    }
    out.extend_from_slice(b"]}");
    out
}

fn single(state: &State, identifier: &str, body: &[u8]) -> Reply {
    let result = (|| {
        let body = body_object(body)?;
        let (defs, mode) = fields_and_mode(state, &body)?;
        let emp = state
            .store
            .employees()
            .find(|e| e.facts.id == identifier || e.facts.email.eq_ignore_ascii_case(identifier))
            .filter(|e| state.visible(e.facts));
        match emp {
            Some(e) => Ok(Reply::json(
                200,
                fields::render(&state.store, e, &defs, mode),
            )),
            None => Err(Reply::error(
                404,
                "employee.not.found",
                "Employee not found",
            )),
        }
    })();
    result.unwrap_or_else(|reply| reply)
}
