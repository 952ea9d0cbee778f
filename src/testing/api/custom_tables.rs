//! Custom tables: `GET /people/custom-tables/metadata[/{custom_table_id}]`,
//! `GET|POST /people/custom-tables/{employee_id}/{custom_table_id}`,
//! `PUT|DELETE …/{entry_id}` and `GET /bulk/people/custom-tables/{custom_table_id}`.
//!
//! HiBob's rules: an add must be wrapped, `{"values": [row]}` (a flat body is
//! 400); an update is the flat row, and a wrapped one (`{"values": …}`)
//! answers 200 and changes nothing; unknown columns, missing mandatory
//! columns (on add; `null` ones on update), malformed dates and list values
//! that are no active item are 400; an unknown table, employee or entry is
//! 404; a denied category or an employee outside the audience is 403. Adds,
//! updates and deletes answer 200 with an empty body (the 2025 spec).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::bulk_page::BulkQuery;
use super::people_writes::{list_item, object};
use super::{Call, Endpoint, percent_decode};
use crate::testing::company::custom_tables::{self as defs, TableDef};
use crate::testing::reply::Reply;
use crate::testing::state::State;
use crate::testing::store::{Store, Stored};

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let body = call.body();
    let endpoint = match (call.method, call.segments) {
        ("GET", ["people", "custom-tables", "metadata"]) => {
            Endpoint::new("GET /people/custom-tables/metadata", |_| {
                let tables: Vec<Value> = defs::TABLES.iter().map(TableDef::metadata).collect();
                Reply::json(200, json!({ "tables": tables }))
            })
        }
        ("GET", ["people", "custom-tables", "metadata", table]) => Endpoint::new(
            "GET /people/custom-tables/metadata/{custom_table_id}",
            move |_| match defs::table(&percent_decode(table)) {
                Some(t) => Reply::json(200, t.metadata()),
                None => table_not_found(),
            },
        ),
        ("GET", ["people", "custom-tables", id, table]) => Endpoint::new(
            "GET /people/custom-tables/{employee_id}/{custom_table_id}",
            move |state| {
                let human = call
                    .query()
                    .get("includeHumanReadable")
                    .is_some_and(|v| v == "true");
                read(state, &percent_decode(id), &percent_decode(table), human)
            },
        ),
        ("POST", ["people", "custom-tables", id, table]) => Endpoint::new(
            "POST /people/custom-tables/{employee_id}/{custom_table_id}",
            move |state| add(state, &percent_decode(id), &percent_decode(table), body),
        ),
        ("PUT", ["people", "custom-tables", id, table, entry]) => Endpoint::new(
            "PUT /people/custom-tables/{employee_id}/{custom_table_id}/{entry_id}",
            move |state| {
                let (id, table) = (percent_decode(id), percent_decode(table));
                update(state, &id, &table, entry, body)
            },
        ),
        ("DELETE", ["people", "custom-tables", id, table, entry]) => Endpoint::new(
            "DELETE /people/custom-tables/{employee_id}/{custom_table_id}/{entry_id}",
            move |state| delete(state, &percent_decode(id), &percent_decode(table), entry),
        ),
        ("GET", ["bulk", "people", "custom-tables", table]) => Endpoint::new(
            "GET /bulk/people/custom-tables/{custom_table_id}",
            move |state| bulk(state, &percent_decode(table), &call.query()),
        ),
        _ => return None,
    };
    Some(endpoint)
}

type Answer = Result<Reply, Reply>;

/// An update's checked changes (the entry and its cells), `None` for a
/// wrapped body HiBob ignores.
type Changes = Option<(i64, Map<String, Value>)>;

fn table_not_found() -> Reply {
    Reply::error(404, "custom.table.not.found", "Custom table not found")
}

/// The table, when the service user may see its category.
fn permitted_table(state: &State, table: &str) -> Result<&'static TableDef, Reply> {
    let def = defs::table(table).ok_or_else(table_not_found)?;
    if !state.permitted(def.category) {
        return Err(Reply::forbidden());
    }
    Ok(def)
}

/// The table and the employee, when the service user may see both.
fn allowed<'s>(
    state: &'s State,
    id: &str,
    table: &str,
) -> Result<(&'static TableDef, Stored<'s>), Reply> {
    let def = permitted_table(state, table)?;
    match state.store.employee(id) {
        None => Err(Reply::error(
            404,
            "employee.not.found",
            "Employee not found",
        )),
        Some(e) if !state.visible(e.facts) => Err(Reply::forbidden()),
        Some(e) => Ok((def, e)),
    }
}

fn read(state: &State, id: &str, table: &str, human: bool) -> Reply {
    let (def, e) = match allowed(state, id, table) {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let mut rows = e.facts.custom_table_rows(def.id);
    if human {
        for row in &mut rows {
            let mirror = human_readable(state, def, row);
            row["humanReadable"] = mirror;
        }
    }
    Reply::json(200, json!({ "values": rows }))
}

/// A row's `humanReadable`: list items as labels (a multi-list's joined
/// with `,`), dates as `DD/MM/YYYY`, money as `240 USD`, numbers as text.
fn human_readable(state: &State, def: &TableDef, row: &Value) -> Value {
    let label = |list: &str, item: &Value| {
        let id = item
            .as_str()
            .map_or_else(|| item.to_string(), str::to_owned);
        state.store.label(list, &id).map_or(id, str::to_owned)
    };
    let mut mirror = Map::new();
    for column in def.columns {
        let value = &row[column.id];
        let text = match (column.kind, column.list, value) {
            (_, _, Value::Null) => continue,
            (_, Some(list), Value::Array(items)) => items
                .iter()
                .map(|i| label(list, i))
                .collect::<Vec<_>>()
                .join(","),
            (_, Some(list), item) => label(list, item),
            ("date", _, Value::String(d)) => d
                .parse::<chrono::NaiveDate>()
                .map_or_else(|_| d.clone(), |d| d.format("%d/%m/%Y").to_string()),
            ("currency", _, money) => format!(
                "{} {}",
                money["value"],
                money["currency"].as_str().unwrap_or_default()
            ),
            (_, _, Value::String(s)) => s.clone(),
            (_, _, other) => other.to_string(),
        };
        mirror.insert(column.id.to_owned(), json!(text));
    }
    Value::Object(mirror)
}

/// Checks and normalises a row's cells: unknown columns, dates, list items
/// (by ID or label, stored as IDs). `adding` also requires the mandatory
/// columns; an update may leave them out but not set them to `null`.
fn cells(
    state: &State,
    def: &TableDef,
    row: &Value,
    adding: bool,
) -> Result<Map<String, Value>, Reply> {
    let Value::Object(row) = row else {
        return Err(Reply::bad_request("A row must be a JSON object"));
    };
    let mut out = Map::new();
    for (key, value) in row {
        let Some(column) = def.column(key) else {
            return Err(Reply::bad_request(&format!("Unknown column: {key}")));
        };
        if value.is_null() {
            if column.mandatory {
                return Err(Reply::bad_request(&format!("Column {key} is mandatory")));
            }
            out.insert(key.clone(), Value::Null);
            continue;
        }
        let stored = match (column.kind, column.list) {
            ("date", _) => {
                let ok = value
                    .as_str()
                    .is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok());
                if !ok {
                    return Err(Reply::bad_request(&format!(
                        "{key} must be a date as YYYY-MM-DD"
                    )));
                }
                value.clone()
            }
            ("multi-list", Some(list)) => {
                let Value::Array(items) = value else {
                    return Err(Reply::bad_request(&format!("{key} must be an array")));
                };
                let ids: Result<Vec<String>, Reply> =
                    items.iter().map(|v| list_item(state, list, v)).collect();
                json!(ids?)
            }
            (_, Some(list)) => json!(list_item(state, list, value)?),
            _ => value.clone(),
        };
        out.insert(key.clone(), stored);
    }
    if adding {
        if let Some(missing) = def
            .columns
            .iter()
            .find(|c| c.mandatory && !out.contains_key(c.id))
        {
            return Err(Reply::bad_request(&format!(
                "Missing mandatory column: {}",
                missing.id
            )));
        }
    }
    Ok(out)
}

/// Runs `change` on the employee's rows of the table and stores them.
fn write_rows(
    state: &mut State,
    id: &str,
    table: &str,
    change: impl FnOnce(&mut Vec<Value>) -> Answer,
) -> Reply {
    let mut company = state.store.to_company();
    let employee = company.employee_mut(id).expect("checked by `allowed`");
    let mut rows = employee.custom_table_rows(table);
    match change(&mut rows) {
        Ok(reply) => {
            employee.other_tables.insert(defs::key(table), rows);
            state.store = Store::new(company);
            reply
        }
        Err(reply) => reply,
    }
}

fn add(state: &mut State, id: &str, table: &str, body: &[u8]) -> Reply {
    let checked: Result<Vec<Map<String, Value>>, Reply> = (|| {
        let (def, _) = allowed(state, id, table)?;
        let body = object(body)?;
        let Some(Value::Array(rows)) = body.get("values") else {
            return Err(Reply::bad_request(
                "values: the body must be {\"values\": [row]}",
            ));
        };
        if rows.is_empty() {
            return Err(Reply::bad_request("values: no row to add"));
        }
        rows.iter()
            .map(|row| cells(state, def, row, true))
            .collect()
    })();
    let new_rows = match checked {
        Ok(rows) => rows,
        Err(reply) => return reply,
    };
    write_rows(state, id, table, |rows| {
        for mut cells in new_rows {
            let next = rows
                .iter()
                .filter_map(|r| r["id"].as_i64())
                .max()
                .unwrap_or(1_000_000)
                + 1;
            cells.insert("id".into(), json!(next));
            rows.push(Value::Object(cells));
        }
        Ok(Reply::empty(200))
    })
}

fn update(state: &mut State, id: &str, table: &str, entry: &str, body: &[u8]) -> Reply {
    let checked: Result<Changes, Reply> = (|| {
        let (def, employee) = allowed(state, id, table)?;
        let entry = Reply::entry_id(entry)?;
        let body = object(body)?;
        if !employee
            .facts
            .custom_table_rows(table)
            .iter()
            .any(|r| r["id"].as_i64() == Some(entry))
        {
            return Err(Reply::entry_not_found());
        }
        // HiBob's trap: a wrapped update is accepted and changes nothing.
        if body.contains_key("values") {
            return Ok(None);
        }
        Ok(Some((
            entry,
            cells(state, def, &Value::Object(body), false)?,
        )))
    })();
    let (entry, changes) = match checked {
        Ok(Some(change)) => change,
        Ok(None) => return Reply::empty(200),
        Err(reply) => return reply,
    };
    write_rows(state, id, table, |rows| {
        let row = rows.iter_mut().find(|r| r["id"].as_i64() == Some(entry));
        let Some(Value::Object(row)) = row else {
            return Err(Reply::entry_not_found());
        };
        row.extend(changes);
        Ok(Reply::empty(200))
    })
}

fn delete(state: &mut State, id: &str, table: &str, entry: &str) -> Reply {
    if let Err(reply) = allowed(state, id, table) {
        return reply;
    }
    let entry = match Reply::entry_id(entry) {
        Ok(entry) => entry,
        Err(reply) => return reply,
    };
    write_rows(state, id, table, |rows| {
        let at = rows
            .iter()
            .position(|r| r["id"].as_i64() == Some(entry))
            .ok_or_else(Reply::entry_not_found)?;
        rows.remove(at);
        Ok(Reply::empty(200))
    })
}

/// `GET /bulk/people/custom-tables/{custom_table_id}`: `limit` (1–200,
/// default 50) counts rows, so an employee's rows may span pages; the
/// cursor is bound to the table, `limit` and `employeeIds`.
fn bulk(state: &State, table: &str, query: &HashMap<String, String>) -> Reply {
    let def = match permitted_table(state, table) {
        Ok(def) => def,
        Err(reply) => return reply,
    };
    let query = match BulkQuery::parse(query, &["custom-tables", def.id]) {
        Ok(query) => query,
        Err(reply) => return reply,
    };
    query.page(
        state,
        |e| e.facts.custom_row_count(def.id),
        |e| e.facts.custom_table_rows(def.id),
    )
}
