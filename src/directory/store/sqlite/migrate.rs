//! `roster_sync` 0.1's state file, migrated to the current schema on first
//! open.
//!
//! 0.1 kept `employee (id TEXT PRIMARY KEY, columns TEXT NOT NULL)`, where
//! `columns` is a JSON map from column name to text or `null`, with the
//! list item ID of a label column under `#column`, and `run (key, value)`
//! with the time of the last run under `last_run`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{ErrorCode, OptionalExtension, Transaction};

use super::schema::{self, Parts};
use super::{sqlite_error, unreadable};
use crate::directory::store::StoreError;
use crate::directory::{ExtraValue, Group, GroupKey, ListValue, User};
use crate::field;
use crate::models::{EmployeeId, FieldId};
use crate::people::{InternalStatus, LifecycleStatus};

/// One 0.1 employee's columns.
type Columns = BTreeMap<String, Option<String>>;

/// The standard columns of 0.1; any other (but `#…`) is an extra field.
const STANDARD: [&str; 15] = [
    "id",
    "employee_id_in_company",
    "email",
    "first_name",
    "last_name",
    "display_name",
    "title",
    "department",
    "site",
    "manager_id",
    "manager_email",
    "status",
    "internal_status",
    "start_date",
    "termination_date",
];

const REMEDY: &str = "this roster_sync 0.1 state file cannot be migrated: move it away (or delete it) and sync again to start from a fresh baseline (the first sync records everyone without events)";

/// Whether the tables are 0.1's: `employee`, and `run` if any, only.
pub(super) fn is_roster_sync_0_1(tables: &[String]) -> bool {
    tables.iter().any(|t| t == "employee") && tables.iter().all(|t| t == "employee" || t == "run")
}

/// Moves a 0.1 roster into the current schema, inside `tx`, and drops the
/// 0.1 tables. Nothing is written when a row cannot be read.
pub(super) fn from_roster_sync_0_1(tx: &Transaction<'_>, path: &Path) -> Result<(), StoreError> {
    let at = last_run(tx, path)?;
    let users = employees(tx, path)?
        .iter()
        .map(|(id, columns)| user(path, id, columns))
        .collect::<Result<Vec<_>, _>>()?;
    let db = sqlite_error(path, "migrated");
    schema::create(tx).map_err(&db)?;
    // 0.1 wrote `last_run` with the roster: without either, no run was kept.
    if at.is_some() || !users.is_empty() {
        let parts = Parts {
            groups: groups(&users),
            users,
            at: at.unwrap_or_else(Utc::now),
            withheld: BTreeSet::new(),
        };
        schema::write_snapshot(tx, path, &parts)?;
    }
    tx.execute_batch("DROP TABLE employee; DROP TABLE IF EXISTS run;")
        .map_err(&db)
}

/// A failure reading 0.1's tables: a table of another shape (SQLite's
/// generic error, a value of the wrong type) cannot be migrated; anything
/// else is the file's.
fn old_table(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |error| match &error {
        rusqlite::Error::SqliteFailure(failure, _) if failure.code != ErrorCode::Unknown => {
            sqlite_error(path, "migrated")(error)
        }
        _ => unreadable(
            path,
            "its roster_sync 0.1 tables do not have the 0.1 columns",
            REMEDY,
        ),
    }
}

/// The time of the last 0.1 run, if the file has one that parses.
fn last_run(tx: &Transaction<'_>, path: &Path) -> Result<Option<DateTime<Utc>>, StoreError> {
    let has_run = tx
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'run'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(old_table(path))?
        .is_some();
    if !has_run {
        return Ok(None);
    }
    let text: Option<String> = tx
        .query_row("SELECT value FROM run WHERE key = 'last_run'", [], |row| {
            row.get(0)
        })
        .optional()
        .map_err(old_table(path))?;
    Ok(text
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc)))
}

fn employees(tx: &Transaction<'_>, path: &Path) -> Result<Vec<(String, Columns)>, StoreError> {
    let mut statement = tx
        .prepare("SELECT id, columns FROM employee")
        .map_err(old_table(path))?;
    let mut rows = statement.query([]).map_err(old_table(path))?;
    let mut employees = Vec::new();
    while let Some(row) = rows.next().map_err(old_table(path))? {
        let id: String = row.get(0).map_err(old_table(path))?;
        let json: String = row.get(1).map_err(old_table(path))?;
        let columns: Columns = serde_json::from_str(&json).map_err(|_| {
            unreadable(
                path,
                format!(
                    "roster_sync 0.1 employee {id}'s columns are not a JSON object of texts and nulls"
                ),
                REMEDY,
            )
        })?;
        employees.push((id, columns));
    }
    Ok(employees)
}

/// A 0.1 row as a [`User`]. Label columns carry their item ID under
/// `#column` (files older than that have the label only, which then
/// stands for the ID too).
fn user(path: &Path, id: &str, columns: &Columns) -> Result<User, StoreError> {
    let text = |name: &str| columns.get(name).cloned().flatten();
    let list = |name: &str| list_value(text(name), text(&item_key(name)));
    let date = |name: &str| {
        text(name)
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
            .transpose()
            .map_err(|_| {
                unreadable(
                    path,
                    format!("roster_sync 0.1 employee {id}'s {name} is not a date (YYYY-MM-DD)"),
                    REMEDY,
                )
            })
    };
    Ok(User {
        id: EmployeeId::new(id),
        employee_number: text("employee_id_in_company"),
        email: text("email"),
        first_name: text("first_name"),
        surname: text("last_name"),
        display_name: text("display_name"),
        title: list("title"),
        department: list("department"),
        site: list("site"),
        manager_id: text("manager_id").map(EmployeeId::new),
        manager_email: text("manager_email"),
        lifecycle_status: text("status").map(|s| LifecycleStatus::parse(&s)),
        internal_status: text("internal_status").map(|s| InternalStatus::parse(&s)),
        start_date: date("start_date")?,
        termination_date: date("termination_date")?,
        extra: extras(columns),
    })
}

fn item_key(column: &str) -> String {
    format!("#{column}")
}

fn list_value(label: Option<String>, item: Option<String>) -> Option<ListValue> {
    match (item, label) {
        (Some(id), Some(label)) => Some(ListValue::new(id, label)),
        (Some(id), None) => Some(ListValue::new(id.clone(), id)),
        (None, Some(label)) => Some(ListValue::new(label.clone(), label)),
        (None, None) => None,
    }
}

/// The extra columns named by their field ID. One whose item ID differs
/// from its label was a list field (a [`ExtraValue::List`], as a new
/// snapshot has it); any other keeps its text.
fn extras(columns: &Columns) -> BTreeMap<FieldId, ExtraValue> {
    columns
        .iter()
        .filter(|(name, _)| !STANDARD.contains(&name.as_str()) && is_field_id(name))
        .filter_map(|(name, label)| {
            let item = columns.get(&item_key(name)).cloned().flatten();
            let value = match (item, label.clone()) {
                (Some(id), Some(label)) if id != label => {
                    ExtraValue::List(ListValue::new(id, label))
                }
                (_, Some(text)) | (Some(text), None) => ExtraValue::Json(text.into()),
                (None, None) => return None,
            };
            Some((FieldId::custom(name.as_str()), value))
        })
        .collect()
}

/// Whether a column name is a field ID (`work.custom.field_1698036945383`,
/// `address.city`): dotted segments of letters, digits, `_` and `-`.
fn is_field_id(name: &str) -> bool {
    let segment = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    name.contains('.') && name.split('.').all(segment)
}

/// The `work.department` and `work.site` groups of the users' values.
fn groups(users: &[User]) -> Vec<Group> {
    let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
    for user in users {
        let held = [
            (field::DEPARTMENT, &user.department),
            (field::SITE, &user.site),
        ];
        for (field, value) in held {
            let Some(value) = value else { continue };
            let key = GroupKey::new(field, value.id.clone());
            groups
                .entry(key.clone())
                .or_insert_with(|| Group {
                    key,
                    name: value.label.clone(),
                    parent: None,
                    members: BTreeSet::new(),
                })
                .members
                .insert(user.id.clone());
        }
    }
    groups.into_values().collect()
}
