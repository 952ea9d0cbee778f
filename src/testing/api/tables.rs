//! Employee tables: `GET /people/{id}/<table>` and `GET
//! /bulk/people/<table>` for every built-in table, where the catalog
//! ([`EmployeeTable::per_employee_read`], [`EmployeeTable::bulk_read`]) says
//! HiBob serves that read; any other table route is left to the fallback
//! 404, as at HiBob (`GET /people/{id}/deduction`, `GET
//! /bulk/people/training`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::cursor::{self, fnv};
use super::{Call, Endpoint, percent_decode};
use crate::tables::EmployeeTable;
use crate::testing::reply::Reply;
use crate::testing::state::State;
use crate::testing::store::Stored;

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let endpoint = match (call.method, call.segments) {
        ("GET", ["people", id, segment]) => {
            let table = table_named(segment).filter(|t| t.per_employee_read())?;
            Endpoint::new(templates(table).0, move |state| {
                per_employee(state, table, &percent_decode(id))
            })
        }
        ("GET", ["bulk", "people", segment]) => {
            let table = table_named(segment).filter(|t| t.bulk_read())?;
            Endpoint::new(templates(table).1, move |state| {
                bulk(state, table, &call.query())
            })
        }
        _ => return None,
    };
    Some(endpoint)
}

/// The table whose path segment this is, exactly (HiBob's paths are
/// case-sensitive).
fn table_named(segment: &str) -> Option<EmployeeTable> {
    EmployeeTable::ALL
        .into_iter()
        .find(|t| t.as_str() == segment)
}

/// The route templates of a table's per-employee and bulk reads.
fn templates(table: EmployeeTable) -> (&'static str, &'static str) {
    macro_rules! templates {
        ($($table:ident => $segment:literal),* $(,)?) => {
            match table {
                $(EmployeeTable::$table => (
                    concat!("GET /people/{id}/", $segment),
                    concat!("GET /bulk/people/", $segment),
                ),)*
            }
        };
    }
    templates! {
        Lifecycle => "lifecycle",
        Employment => "employment",
        Work => "work",
        Salaries => "salaries",
        VariablePay => "variable",
        Equities => "equities",
        Training => "training",
        BankAccounts => "bank-accounts",
        Deduction => "deduction",
        Entitlement => "entitlement",
        Dependents => "dependents",
        RightToWork => "right-to-work",
    }
}

/// Whether only the current row is served (a history table with
/// "sections" but without "section histories").
fn current_only(state: &State, table: EmployeeTable) -> bool {
    table
        .history_table()
        .is_some_and(|t| state.knobs.current_only.contains(&t))
}

/// The rows served for one employee and table.
fn rows(state: &State, emp: Stored<'_>, table: EmployeeTable) -> Vec<Value> {
    let stored = emp.rows_of(table);
    if current_only(state, table) {
        stored.current().into_iter().collect()
    } else {
        stored.rows()
    }
}

fn per_employee(state: &State, table: EmployeeTable, id: &str) -> Reply {
    if !state.permitted(table.category_id()) {
        return Reply::forbidden();
    }
    match state.store.employee(id) {
        None => Reply::error(404, "employee.not.found", "Employee not found"),
        Some(e) if !state.visible(e.facts) => Reply::forbidden(),
        Some(e) => Reply::json(200, json!({ "values": rows(state, e, table) })),
    }
}

fn bulk(state: &State, table: EmployeeTable, query: &HashMap<String, String>) -> Reply {
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
        Some(c) => match cursor::decode(params, c) {
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
    let current_only = current_only(state, table);
    let count = |e: Stored<'_>| match current_only {
        true => usize::from(e.rows_of(table).has_current()),
        false => e.rows_of(table).len(),
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
        // An employee without rows is left out (none of their rows is on a page).
        if n > 0 && pos + n > offset {
            let rows = rows(state, *e, table);
            let (from, to) = (offset.saturating_sub(pos), (end - pos).min(n));
            results.push(json!({ "employeeId": e.facts.id, "values": rows[from..to] }));
        }
        pos += n;
    }
    let next = (end < total).then(|| cursor::encode(params, end));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_counts_against_its_own_routes() {
        for table in EmployeeTable::ALL {
            let (one, bulk) = templates(table);
            assert_eq!(one, format!("GET /people/{{id}}/{}", table.as_str()));
            assert_eq!(bulk, format!("GET /bulk/people/{}", table.as_str()));
            assert_eq!(table_named(table.as_str()), Some(table));
        }
    }
}
