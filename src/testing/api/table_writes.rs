//! Table-entry writes: `POST /people/{id}/<table>`, `PUT` and `DELETE
//! /people/{id}/<table>/{entry_id}` for the eleven tables HiBob documents
//! writes for. The rows written are read back through `tables.rs`, like
//! the generated ones.
//!
//! HiBob's rules: required columns and dates are checked (400), list values
//! of work entries must be items (400), one entry per effective date in
//! work, employment and salaries (and per date and type in deduction) (400),
//! an unknown currency is silently dropped (stored without it, 200), an
//! unknown employee or entry is 404, a denied category 403. A work entry in
//! effect changes the employee's `work.*` fields. Adds answer `{"id": …}`;
//! updates and deletes answer empty (200 for the 2025 spec's tables, 204 for
//! the 2026 reference pages').

use serde_json::{Map, Value, json};

use super::people_writes::{list_item, object};
use super::{Call, Endpoint, percent_decode};
use crate::metadata::checks::check_currency;
use crate::testing::Table;
use crate::testing::company::{Company, fix_rows};
use crate::testing::reply::Reply;
use crate::testing::state::State;
use crate::testing::store::Store;
use crate::testing::webhook_events as events;

mod served;

use served::{Served, TABLES};

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let body = call.body();
    let find = |segment: &str| TABLES.iter().find(|t| t.segment == segment);
    let endpoint = match (call.method, call.segments) {
        ("POST", ["people", id, segment]) => {
            let t = find(segment)?;
            Endpoint::new(t.templates[0], move |s| {
                add(s, t, &percent_decode(id), body)
            })
        }
        ("PUT", ["people", id, segment, entry]) => {
            let t = find(segment).filter(|t| t.has_put)?;
            Endpoint::new(t.templates[1], move |s| {
                update(s, t, &percent_decode(id), entry, body)
            })
        }
        ("DELETE", ["people", id, segment, entry]) => {
            let t = find(segment)?;
            Endpoint::new(t.templates[2], move |s| {
                delete(s, t, &percent_decode(id), entry)
            })
        }
        _ => return None,
    };
    Some(endpoint)
}

type Answer = Result<Reply, Reply>;

/// The employee, when the service user may write this table for them.
fn allowed(state: &State, table: &Served, id: &str) -> Result<(), Reply> {
    if !state.permitted(table.category) {
        return Err(Reply::forbidden());
    }
    match state.store.employee(id) {
        None => Err(Reply::error(
            404,
            "employee.not.found",
            "Employee not found",
        )),
        Some(e) if !state.visible(e.facts) => Err(Reply::forbidden()),
        Some(_) => Ok(()),
    }
}

fn rows<'a>(company: &'a mut Company, table: &Served, id: &str) -> &'a mut Vec<Value> {
    let emp = company.employee_mut(id).expect("checked by `allowed`");
    match table.history {
        Some(history) => emp.history_mut(history),
        None => emp
            .other_tables
            .entry(table.segment.to_owned())
            .or_default(),
    }
}

/// Required columns, dates and money; drops unknown currencies (HiBob's
/// trap); resolves work list values to item IDs.
fn columns(state: &State, table: &Served, body: &[u8]) -> Result<Map<String, Value>, Reply> {
    let mut columns = object(body)?;
    for key in table.required {
        if columns.get(*key).is_none_or(Value::is_null) {
            return Err(Reply::bad_request(&format!(
                "Missing mandatory field: {key}"
            )));
        }
    }
    for key in table.dates {
        let value = columns.get(*key).filter(|v| !v.is_null());
        let ok = value.is_none_or(|v| {
            v.as_str()
                .is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok())
        });
        if !ok {
            return Err(Reply::bad_request(&format!(
                "{key} must be a date as YYYY-MM-DD"
            )));
        }
    }
    for key in table.money {
        if let Some(Value::Object(money)) = columns.get_mut(*key) {
            let known = money
                .get("currency")
                .and_then(Value::as_str)
                .is_some_and(|c| check_currency("", c).is_ok());
            if !known {
                money.remove("currency");
            }
        }
    }
    if table.history == Some(Table::Work) {
        work_columns(state, &mut columns)?;
    }
    Ok(columns)
}

/// Work entries: list items by ID or label stored as IDs; the site by name
/// or ID (one required); the manager must exist.
fn work_columns(state: &State, columns: &mut Map<String, Value>) -> Result<(), Reply> {
    for list in ["title", "department"] {
        if let Some(value) = columns.get(list).filter(|v| !v.is_null()) {
            let id = list_item(state, list, value)?;
            columns.insert(list.into(), json!(id));
        }
    }
    let site = match (columns.get("site"), columns.get("siteId")) {
        (Some(v), _) if !v.is_null() => list_item(state, "site", v)?,
        (_, Some(v)) if !v.is_null() => list_item(state, "site", v)?,
        _ => {
            return Err(Reply::bad_request(
                "Missing mandatory field: site or siteId",
            ));
        }
    };
    let label = state
        .store
        .label("site", &site)
        .unwrap_or_default()
        .to_owned();
    columns.insert("site".into(), json!(label));
    columns.insert("siteId".into(), json!(site.parse::<i64>().ok()));
    if let Some(manager) = columns.get("reportsTo").filter(|v| !v.is_null()) {
        let id = manager["id"].as_str().unwrap_or_default();
        let found = state.store.employee(id).map(|m| m.facts.as_reports_to());
        let Some(reports_to) = found else {
            return Err(Reply::bad_request("reportsTo.id is not an employee"));
        };
        columns.insert("reportsTo".into(), reports_to);
    }
    Ok(())
}

/// HiBob's 400 when another entry has the same effective date (and type).
fn refuse_duplicate(
    table: &Served,
    rows: &[Value],
    row: &Value,
    skip_id: Option<i64>,
) -> Result<(), Reply> {
    let Some(also) = table.unique else {
        return Ok(());
    };
    let same = |other: &&Value| {
        Some(other["id"].as_i64().unwrap_or(0)) != skip_id
            && other["effectiveDate"] == row["effectiveDate"]
            && also.iter().all(|k| other[*k] == row[*k])
    };
    match rows.iter().find(same) {
        Some(_) => Err(Reply::error(
            400,
            "table.entry.duplicate",
            &format!(
                "An entry with effective date {} already exists",
                row["effectiveDate"].as_str().unwrap_or_default()
            ),
        )),
        None => Ok(()),
    }
}

/// The row as stored: history rows get the common columns.
fn new_row(company: &Company, table: &Served, columns: &Map<String, Value>, id: i64) -> Value {
    let date = columns
        .get("effectiveDate")
        .and_then(Value::as_str)
        .and_then(|d| d.parse().ok());
    match (table.history, date) {
        (Some(_), Some(date)) => company.entry_row(date, columns),
        _ => {
            let mut row = columns.clone();
            row.insert("id".into(), json!(id));
            Value::Object(row)
        }
    }
}

/// Refreshes history, syncs work fields and stores the company; queues
/// the webhook events of an add or update (`row` with its ID).
fn store(state: &mut State, mut company: Company, table: &Served, id: &str, written: Written) {
    company.refresh_history();
    let fields = match table.history {
        Some(Table::Work) => company.sync_work_fields(id),
        _ => Vec::new(),
    };
    if let Written::Row { row, created } = written {
        let events = events::entry_written(&company, id, table.segment, &row, created, &fields);
        state.outgoing.extend(events);
    }
    state.store = Store::new(company);
}

/// What a write did, for its webhook events.
enum Written {
    Row { row: Value, created: bool },
    Deleted,
}

fn add(state: &mut State, table: &Served, id: &str, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        allowed(state, table, id)?;
        let columns = columns(state, table, body)?;
        let mut company = state.store.to_company();
        let taken = rows(&mut company, table, id)
            .iter()
            .filter_map(|r| r["id"].as_i64());
        let next = taken.max().unwrap_or(2_000_000_000_000) + 1;
        let mut row = new_row(&company, table, &columns, next);
        let today = company.today;
        let list = rows(&mut company, table, id);
        refuse_duplicate(table, list, &row, None)?;
        if table.history.is_some() {
            // The ID the row gets when history is refreshed.
            let mut probe = list.clone();
            probe.push(row.clone());
            fix_rows(&mut probe, today);
            let same = probe
                .iter()
                .find(|r| r["effectiveDate"] == row["effectiveDate"]);
            row["id"] = same.map_or(Value::Null, |r| r["id"].clone());
        }
        list.push(row.clone());
        let new_id = row["id"].clone();
        store(
            state,
            company,
            table,
            id,
            Written::Row { row, created: true },
        );
        Ok(Reply::json(200, json!({ "id": new_id })))
    })();
    result.unwrap_or_else(|reply| reply)
}

fn done(table: &Served) -> Reply {
    Reply::empty(if table.answers_204 { 204 } else { 200 })
}

/// The whole entry is replaced (documented columns left out are cleared);
/// custom columns are kept unless sent.
fn update(state: &mut State, table: &Served, id: &str, entry: &str, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        allowed(state, table, id)?;
        let entry = Reply::entry_id(entry)?;
        let columns = columns(state, table, body)?;
        let mut company = state.store.to_company();
        let mut row = new_row(&company, table, &columns, entry);
        let list = rows(&mut company, table, id);
        let at = list
            .iter()
            .position(|r| r["id"].as_i64() == Some(entry))
            .ok_or_else(Reply::entry_not_found)?;
        refuse_duplicate(table, list, &row, Some(entry))?;
        row["id"] = json!(entry);
        if let (Some(Value::Object(old)), Some(Value::Object(new))) = (
            list[at].get("customColumns").cloned(),
            row.get_mut("customColumns"),
        ) {
            for (key, value) in old {
                new.entry(key).or_insert(value);
            }
        }
        list[at] = row.clone();
        store(
            state,
            company,
            table,
            id,
            Written::Row {
                row,
                created: false,
            },
        );
        Ok(done(table))
    })();
    result.unwrap_or_else(|reply| reply)
}

fn delete(state: &mut State, table: &Served, id: &str, entry: &str) -> Reply {
    let result: Answer = (|| {
        allowed(state, table, id)?;
        let entry = Reply::entry_id(entry)?;
        let mut company = state.store.to_company();
        let list = rows(&mut company, table, id);
        let at = list
            .iter()
            .position(|r| r["id"].as_i64() == Some(entry))
            .ok_or_else(Reply::entry_not_found)?;
        if list[at]["canBeDeleted"] == Value::Bool(false) {
            return Err(Reply::bad_request("This entry cannot be deleted"));
        }
        list.remove(at);
        store(state, company, table, id, Written::Deleted);
        Ok(done(table))
    })();
    result.unwrap_or_else(|reply| reply)
}
