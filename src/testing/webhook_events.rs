//! The Bob v2 webhook events each mutation of the fake causes, as HiBob
//! documents them (`hibob-api.md` §9 and Bob's "Employee events" page):
//!
//! - creating an employee sends `employee.created`; deleting one
//!   `employee.deleted`; changing a plain field (`root.email`)
//!   `employee.updated` listing the field IDs;
//! - adding a row to a history table sends `table.entry.created` with the
//!   table ID and the row's `effectiveDate`, and, when the row is already
//!   effective (so the employee's current fields change), `employee.updated`
//!   listing the changed fields;
//! - lifecycle events are sent by `system` when the lifecycle row takes
//!   effect: `employee.joined` for a start (a hire; with
//!   `employee.activated` for a rehire, whose access goes from Inactive back
//!   to Active), `employee.left` and `employee.inactivated` for a
//!   termination. The fake's clock does not move, so a future-dated row
//!   sends only its table event.
//!
//! List edits and audience changes send nothing: Bob has no such events.
//!
//! Built whether or not the `webhooks` feature is on, so the mutations stay
//! one code path; without the feature they are dropped unsent.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::company::Company;

/// One event to send, before it has a timestamp and a signature.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "webhooks"), allow(dead_code))]
pub(crate) struct Outgoing {
    /// `employee.created`, `table.entry.created`, …
    pub(crate) event_type: &'static str,
    /// The admin's employee ID, or `system` for lifecycle events.
    pub(crate) triggered_by: String,
    pub(crate) employee_id: String,
    /// The `data` object.
    pub(crate) data: Value,
}

impl Outgoing {
    /// An `employee.*` event whose `data` is the employee's ID.
    fn employee(event_type: &'static str, triggered_by: &str, id: &str) -> Self {
        Self {
            event_type,
            triggered_by: triggered_by.to_owned(),
            employee_id: id.to_owned(),
            data: json!({ "employeeId": id }),
        }
    }
}

/// `employee.created`, and `employee.joined` when the start date has come.
pub(crate) fn hired(company: &Company, id: &str) -> Vec<Outgoing> {
    let mut events = vec![Outgoing::employee(
        "employee.created",
        &company.admin_id,
        id,
    )];
    if company
        .employee(id)
        .is_some_and(|e| e.start_date <= company.today)
    {
        events.push(Outgoing::employee("employee.joined", "system", id));
    }
    events
}

/// The lifecycle row, then `employee.left` and `employee.inactivated` once effective.
pub(crate) fn terminated(company: &Company, id: &str, date: NaiveDate) -> Vec<Outgoing> {
    let mut events = vec![table_entry(company, id, "lifecycle", date)];
    if date <= company.today {
        events.push(Outgoing::employee("employee.left", "system", id));
        events.push(Outgoing::employee("employee.inactivated", "system", id));
    }
    events
}

/// The lifecycle and work rows, then `employee.joined` and
/// `employee.activated` once effective (a future rehire also gets its
/// `hired` lifecycle row on `today`).
pub(crate) fn rehired(company: &Company, id: &str, date: NaiveDate) -> Vec<Outgoing> {
    let mut events = Vec::new();
    let hired_today = company.employee(id).is_some_and(|e| {
        e.lifecycle_history.iter().any(|row| {
            row["effectiveDate"] == json!(company.today.to_string()) && row["status"] == "hired"
        })
    });
    if date > company.today && hired_today {
        events.push(table_entry(company, id, "lifecycle", company.today));
    }
    events.push(table_entry(company, id, "lifecycle", date));
    events.push(table_entry(company, id, "work", date));
    if date <= company.today {
        events.push(Outgoing::employee("employee.joined", "system", id));
        events.push(Outgoing::employee("employee.activated", "system", id));
    }
    events
}

/// A new work row, and `employee.updated` with `fields` once it is effective.
pub(crate) fn work_row_added(
    company: &Company,
    id: &str,
    date: NaiveDate,
    fields: &[&str],
) -> Vec<Outgoing> {
    let mut events = vec![table_entry(company, id, "work", date)];
    if date <= company.today {
        events.push(updated(company, id, fields));
    }
    events
}

/// `employee.updated` listing `fields` (dot field IDs, as `{"fieldId": …}`).
pub(crate) fn updated(company: &Company, id: &str, fields: &[&str]) -> Outgoing {
    let updates: Vec<Value> = fields.iter().map(|f| json!({ "fieldId": f })).collect();
    Outgoing {
        data: json!({ "employeeId": id, "fieldUpdates": updates }),
        ..Outgoing::employee("employee.updated", &company.admin_id, id)
    }
}

/// `table.entry.created` (or `updated`) for a row written through the API,
/// named by its effective date (history tables) or its ID (the others);
/// then `employee.updated` with `fields` when it changed the employee.
/// Deletes send nothing: Bob has no event for them.
pub(crate) fn entry_written(
    company: &Company,
    id: &str,
    table_id: &str,
    row: &Value,
    created: bool,
    fields: &[&str],
) -> Vec<Outgoing> {
    let key = match row["effectiveDate"].as_str() {
        Some(date) if table_id == "work" || table_id == "employment" || table_id == "salaries" => {
            json!({ "effectiveDate": date })
        }
        _ => json!({ "id": row["id"] }),
    };
    let mut data = json!({ "employeeId": id, "tableId": table_id });
    data.as_object_mut()
        .expect("object")
        .extend(key.as_object().expect("object").clone());
    let event_type = if created {
        "table.entry.created"
    } else {
        "table.entry.updated"
    };
    let mut events = vec![Outgoing {
        data,
        ..Outgoing::employee(event_type, &company.admin_id, id)
    }];
    if !fields.is_empty() {
        events.push(updated(company, id, fields));
    }
    events
}

/// `employee.deleted`.
pub(crate) fn deleted(company: &Company, id: &str) -> Outgoing {
    Outgoing::employee("employee.deleted", &company.admin_id, id)
}

/// `table.entry.created` for a history table: `effectiveDate`, no `id`
/// (Bob's shape since 2026-03-24).
fn table_entry(company: &Company, id: &str, table_id: &str, date: NaiveDate) -> Outgoing {
    Outgoing {
        data: json!({ "employeeId": id, "tableId": table_id, "effectiveDate": date.to_string() }),
        ..Outgoing::employee("table.entry.created", &company.admin_id, id)
    }
}
