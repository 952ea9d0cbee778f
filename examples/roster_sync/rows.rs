//! The roster's rows: one per [`User`] of the directory snapshot, in the
//! `COLUMNS` of 0.1, with the columns withheld by permissions this run
//! left empty (unknown, not blank).

use std::collections::HashMap;

use hibob::directory::{ExtraValue, Snapshot, User};
use hibob::people::{InternalStatus, LifecycleStatus};
use hibob::{FieldId, field};
use serde_json::Value;

use super::history::RowHistory;
use super::sync::{ExtraField, id_order};

/// Each standard column's [`User`] attribute (as the directory names it in
/// `Snapshot::withheld`) and the fields it is read from, for the withheld
/// warnings. `manager_email` comes from `work.reportsTo` or the manager's
/// own row, so it is unknown exactly when `manager_id` is.
const ATTRIBUTES: [(&str, &str, &[FieldId]); 14] = [
    (
        "employee_id_in_company",
        "employee_number",
        &[field::EMPLOYEE_ID_IN_COMPANY],
    ),
    ("email", "email", &[field::EMAIL]),
    ("first_name", "first_name", &[field::FIRST_NAME]),
    ("last_name", "surname", &[field::SURNAME]),
    ("display_name", "display_name", &[field::DISPLAY_NAME]),
    ("title", "title", &[field::TITLE]),
    ("department", "department", &[field::DEPARTMENT]),
    ("site", "site", &[field::SITE, field::SITE_ID]),
    (
        "manager_id",
        "manager_id",
        &[field::REPORTS_TO, field::MANAGER],
    ),
    ("manager_email", "manager_id", &[]),
    ("status", "lifecycle_status", &[field::LIFECYCLE_STATUS]),
    ("internal_status", "internal_status", &[field::STATUS]),
    ("start_date", "start_date", &[field::START_DATE]),
    (
        "termination_date",
        "termination_date",
        &[field::TERMINATION_DATE],
    ),
];

/// The roster column of a [`User`] attribute or extra field ID (what a
/// `user.updated` event names); `None` for one the roster has no column for.
pub fn column_of<'a>(attribute: &'a str, extras: &'a [ExtraField]) -> Option<&'a str> {
    if let Some((column, ..)) = ATTRIBUTES.iter().find(|(_, a, _)| *a == attribute) {
        return Some(column);
    }
    let extra = extras.iter().find(|e| e.field.as_str() == attribute);
    extra.map(|e| e.column.as_str())
}

/// The columns left empty this run: the standard ones whose attribute the
/// snapshot marks withheld, then the extras.
pub fn withheld_columns(snapshot: &Snapshot, extras: &[ExtraField]) -> Vec<String> {
    let standard = ATTRIBUTES
        .iter()
        .filter(|(_, attribute, _)| snapshot.withheld.contains(*attribute))
        .map(|(column, ..)| (*column).to_owned());
    let extra = extras
        .iter()
        .filter(|e| snapshot.withheld.contains(e.field.as_str()))
        .map(|e| e.column.clone());
    standard.chain(extra).collect()
}

/// The fields behind what the snapshot marks withheld, in column order
/// (then the extras and the group fields), each once: what the permission
/// warnings name.
pub fn withheld_fields(
    snapshot: &Snapshot,
    extras: &[ExtraField],
    groups: &[FieldId],
) -> Vec<FieldId> {
    let mut fields: Vec<FieldId> = Vec::new();
    let standard = ATTRIBUTES
        .iter()
        .filter(|(_, attribute, _)| snapshot.withheld.contains(*attribute))
        .flat_map(|(_, _, fields)| fields.iter());
    let others = extras.iter().map(|e| &e.field).chain(groups);
    let others = others.filter(|f| snapshot.withheld.contains(f.as_str()));
    for field in standard.chain(others) {
        if !fields.contains(field) {
            fields.push(field.clone());
        }
    }
    fields
}

/// One output row: the standard columns, the extras, and history if asked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub id: String,
    pub employee_id_in_company: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub site: Option<String>,
    pub manager_id: Option<String>,
    pub manager_email: Option<String>,
    /// Lifecycle status, written in its canonical form (`employed`, `leave`,
    /// `terminated`, `hired`, `garden leave`; unknown ones as HiBob sent them).
    pub status: Option<LifecycleStatus>,
    /// `Active` or `Inactive`.
    pub internal_status: Option<InternalStatus>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`.
    pub termination_date: Option<String>,
    /// One value per [`Options::extra_fields`], in order.
    pub extras: Vec<Option<String>>,
    /// `Some` with `--with-history` (empty tables for someone HiBob had no rows for).
    pub history: Option<RowHistory>,
}

impl Row {
    /// The standard columns' values, in [`COLUMNS`] order.
    pub fn standard(&self) -> [Option<&str>; 15] {
        [
            Some(self.id.as_str()),
            self.employee_id_in_company.as_deref(),
            self.email.as_deref(),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.display_name.as_deref(),
            self.title.as_deref(),
            self.department.as_deref(),
            self.site.as_deref(),
            self.manager_id.as_deref(),
            self.manager_email.as_deref(),
            self.status.as_ref().map(LifecycleStatus::as_str),
            self.internal_status.as_ref().map(InternalStatus::as_str),
            self.start_date.as_deref(),
            self.termination_date.as_deref(),
        ]
    }

    /// Whether `internal.status` is `Active`.
    pub fn is_active(&self) -> bool {
        self.internal_status
            .as_ref()
            .is_some_and(InternalStatus::is_active)
    }

    /// Whether the lifecycle status is `terminated`.
    pub fn is_former(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(LifecycleStatus::is_terminated)
    }
}

/// One row per user, ordered by employee ID; the manager's e-mail filled
/// from the manager's own row where `work.reportsTo` had none; `withheld`
/// columns emptied (the snapshot keeps their previous values for the
/// state, the output must not pass them off as current).
pub fn rows(snapshot: &Snapshot, extras: &[ExtraField], withheld: &[String]) -> Vec<Row> {
    let mut rows: Vec<Row> = snapshot.users.values().map(|u| row(u, extras)).collect();
    rows.sort_by(|a, b| id_order(&a.id, &b.id));
    fill_manager_emails(&mut rows);
    for row in &mut rows {
        blank(row, withheld, extras);
    }
    rows
}

fn row(user: &User, extras: &[ExtraField]) -> Row {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    Row {
        id: user.id.to_string(),
        employee_id_in_company: user.employee_number.clone(),
        email: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.surname.clone(),
        display_name: user.display_name.clone(),
        title: user.title.as_ref().map(|t| t.label.clone()),
        department: user.department.as_ref().map(|d| d.label.clone()),
        site: user.site.as_ref().map(|s| s.label.clone()),
        manager_id: user.manager_id.as_ref().map(ToString::to_string),
        manager_email: user.manager_email.clone(),
        status: user.lifecycle_status.clone(),
        internal_status: user.internal_status.clone(),
        start_date: date(user.start_date),
        termination_date: date(user.termination_date),
        extras: extras
            .iter()
            .map(|extra| user.extra.get(&extra.field).and_then(extra_text))
            .collect(),
        history: None,
    }
}

/// An extra field as text: a list item's label, any other value as HiBob
/// sent it (`null` and blank as nothing, objects and arrays as JSON).
fn extra_text(value: &ExtraValue) -> Option<String> {
    let text = match value {
        ExtraValue::List(item) => item.label.clone(),
        ExtraValue::Json(Value::Null) => return None,
        ExtraValue::Json(Value::String(text)) => text.clone(),
        ExtraValue::Json(other) => other.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Fills a missing manager e-mail from the manager's own row.
fn fill_manager_emails(rows: &mut [Row]) {
    let emails: HashMap<String, String> = rows
        .iter()
        .filter_map(|r| Some((r.id.clone(), r.email.clone()?)))
        .collect();
    for row in rows.iter_mut().filter(|r| r.manager_email.is_none()) {
        let manager = row.manager_id.as_ref();
        row.manager_email = manager.and_then(|m| emails.get(m)).cloned();
    }
}

fn blank(row: &mut Row, withheld: &[String], extras: &[ExtraField]) {
    for column in withheld {
        match column.as_str() {
            "employee_id_in_company" => row.employee_id_in_company = None,
            "email" => row.email = None,
            "first_name" => row.first_name = None,
            "last_name" => row.last_name = None,
            "display_name" => row.display_name = None,
            "title" => row.title = None,
            "department" => row.department = None,
            "site" => row.site = None,
            "manager_id" => row.manager_id = None,
            "manager_email" => row.manager_email = None,
            "status" => row.status = None,
            "internal_status" => row.internal_status = None,
            "start_date" => row.start_date = None,
            "termination_date" => row.termination_date = None,
            extra => {
                if let Some(at) = extras.iter().position(|e| e.column == extra) {
                    row.extras[at] = None;
                }
            }
        }
    }
}
