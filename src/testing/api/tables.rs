//! Employee tables: `GET /people/{id}/<table>` and `GET
//! /bulk/people/<table>` for every built-in table, where the catalog
//! ([`EmployeeTable::per_employee_read`], [`EmployeeTable::bulk_read`]) says
//! HiBob serves that read; any other table route is left to the fallback
//! 404, as at HiBob (`GET /people/{id}/deduction`, `GET
//! /bulk/people/training`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::bulk_page::BulkQuery;
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
    let include_archived = query.get("includeArchived").map_or("false", String::as_str);
    let query = match BulkQuery::parse(query, &[table.as_str(), include_archived]) {
        Ok(query) => query,
        Err(reply) => return reply,
    };
    // `limit` counts table entries, so an employee's rows may span pages.
    let current_only = current_only(state, table);
    let count = |e: Stored<'_>| match current_only {
        true => usize::from(e.rows_of(table).has_current()),
        false => e.rows_of(table).len(),
    };
    query.page(state, count, |e| rows(state, e, table))
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
