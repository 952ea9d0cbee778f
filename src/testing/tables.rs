//! Employee tables: `GET /people/{id}/{table}` and `GET /bulk/people/{table}`.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Table;
use super::server::{Reply, State};
use super::store::Stored;

/// The rows served for one employee and table (only the current row when the
/// service user has "sections" without "section histories").
fn rows(state: &State, emp: Stored<'_>, table: Table) -> Vec<Value> {
    let stored = emp.table(table);
    if state.knobs.current_only.contains(&table) {
        stored.current().into_iter().collect()
    } else {
        stored.rows()
    }
}

pub(crate) fn per_employee(state: &State, table: Table, id: &str) -> Reply {
    if !state.permitted(table.category_id()) {
        return Reply::forbidden();
    }
    match state.store.employee(id) {
        None => Reply::error(404, "employee.not.found", "Employee not found"),
        Some(e) if !state.visible(e.facts) => Reply::forbidden(),
        Some(e) => Reply::json(200, json!({ "values": rows(state, e, table) })),
    }
}

/// FNV-1a, for cursor checksums.
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// An opaque cursor: the row offset masked and signed with the request's parameters.
fn encode_cursor(params: u64, offset: usize) -> String {
    let masked = offset as u64 ^ params.rotate_left(17);
    let check = fnv(&[&params.to_string(), &offset.to_string()]);
    format!("{masked:016x}{check:016x}")
}

fn decode_cursor(params: u64, cursor: &str) -> Option<usize> {
    if cursor.len() != 32 || !cursor.is_ascii() {
        return None;
    }
    let masked = u64::from_str_radix(&cursor[..16], 16).ok()?;
    let check = u64::from_str_radix(&cursor[16..], 16).ok()?;
    let offset = (masked ^ params.rotate_left(17)) as usize;
    (fnv(&[&params.to_string(), &offset.to_string()]) == check).then_some(offset)
}

pub(crate) fn bulk(state: &State, table: Table, query: &HashMap<String, String>) -> Reply {
    if !state.permitted(table.category_id()) {
        return Reply::forbidden();
    }
    let limit = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => 50,
        Some(Ok(l @ 1..=200)) => l,
        Some(_) => return Reply::bad_request("limit must be between 1 and 200"),
    };
    let include_archived = query.get("includeArchived").map_or("false", String::as_str);
    let requested: Option<Vec<&str>> = query.get("employeeIds").map(|ids| {
        let mut out: Vec<&str> = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    });
    if requested.as_ref().is_some_and(|ids| ids.len() > 200) {
        return Reply::bad_request("employeeIds: at most 200 employee IDs per request");
    }
    let ids_param = query.get("employeeIds").map_or("", String::as_str);
    let params = fnv(&[
        table.as_str(),
        &limit.to_string(),
        ids_param,
        include_archived,
    ]);
    let offset = match query.get("cursor") {
        None => 0,
        Some(c) => match decode_cursor(params, c) {
            Some(o) => o,
            None => return Reply::bad_request("Invalid cursor"),
        },
    };

    // Which employees, and the per-employee errors for the ones not visible.
    let mut errors = Vec::new();
    let employees: Vec<Stored<'_>> = match &requested {
        None => state
            .store
            .employees()
            .filter(|e| state.visible(e.facts))
            .collect(),
        Some(ids) => ids
            .iter()
            .filter_map(|id| match state.store.employee(id) {
                Some(e) if state.visible(e.facts) => Some(e),
                _ => {
                    errors.push(json!({
                        "employeeId": id,
                        "error": "MISSING_PERMISSION",
                        "message": "The service user is not allowed to view this employee's data",
                    }));
                    None
                }
            })
            .collect(),
    };

    // `limit` counts table entries, so an employee's rows may span pages.
    let current_only = state.knobs.current_only.contains(&table);
    let count = |e: Stored<'_>| match current_only {
        true => usize::from(e.table(table).has_current()),
        false => e.table(table).len(),
    };
    let total: usize = employees.iter().map(|e| count(*e)).sum();
    if offset > total {
        return Reply::bad_request("Invalid cursor");
    }
    let end = (offset + limit).min(total);
    let mut results: Vec<Value> = Vec::new();
    let mut pos = 0;
    for e in &employees {
        let n = count(*e);
        if pos >= end {
            break;
        }
        if pos + n > offset {
            let rows = rows(state, *e, table);
            let (from, to) = (offset.saturating_sub(pos), (end - pos).min(n));
            results.push(json!({ "employeeId": e.facts.id, "values": rows[from..to] }));
        }
        pos += n;
    }
    let next = (end < total).then(|| encode_cursor(params, end));
    // Errors are reported once, on the first page.
    if offset > 0 {
        errors.clear();
    }
    Reply::json(
        200,
        json!({
            "results": results,
            "response_metadata": { "next_cursor": next },
            "errors": errors,
        }),
    )
}
