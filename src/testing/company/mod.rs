//! The generated company: the ground truth the fake serves and tests compare with.
//!
//! This file holds the model and its lookups; `rows.rs` builds the history
//! rows as the fake serves them, and `mutations.rs` changes the company
//! (hires, terminations, moves) and keeps its history consistent, with
//! `changes.rs` (rehires, site and manager moves, e-mail changes,
//! deletions) and `list_changes.rs` (named-list edits);
//! `time_off.rs` holds the company's time off and `time_off_changes.rs`
//! its status changes and feed.

mod changes;
pub(crate) mod custom_tables;
mod entries;
mod list_changes;
mod mutations;
mod rows;
pub(crate) mod time_off;
mod time_off_changes;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::Table;

pub(crate) use mutations::fix_rows;
pub use time_off::TimeOff;

/// A snapshot of the fake company: everything the fake serves, in plain Rust.
///
/// Obtained from [`FakeHibob::truth`](super::FakeHibob::truth) and changed with
/// [`FakeHibob::update`](super::FakeHibob::update). After changing history rows
/// by hand inside `update`, call [`Company::refresh_history`] so `isCurrent` and
/// `endEffectiveDate` stay consistent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Company {
    /// The date the fake treats as "today" (decides `isCurrent`, future hires, …).
    pub today: NaiveDate,
    /// Every employee, visible or not, in creation order (ascending IDs).
    pub employees: Vec<TruthEmployee>,
    /// Named lists keyed by list name (`title`, `department`, `site`, …).
    pub lists: BTreeMap<String, NamedList>,
    /// The employee ID recorded as `change.changedById` on generated history rows.
    pub admin_id: String,
    /// Time off: policy types and policies, requests, adjustments, the
    /// changes feed and holiday calendars.
    pub time_off: TimeOff,
}

/// A value of a list-typed field: the list item ID HiBob sends and its label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListRef {
    /// The list item ID (what machine-readable responses carry).
    pub id: String,
    /// The label (what `humanReadable` responses carry).
    pub label: String,
    /// Whether the item is archived (named lists only show it with `includeArchived=true`).
    pub archived: bool,
}

/// A named list as served by `/company/named-lists`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedList {
    /// The list name (case-sensitive, equal to fields metadata `typeData.listId`).
    pub name: String,
    /// Whether item IDs are served as JSON numbers (the `site` list) instead of strings.
    pub numeric_ids: bool,
    /// The items, archived ones included.
    pub items: Vec<ListItem>,
}

/// One item of a [`NamedList`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The item ID.
    pub id: String,
    /// The label (served as both `value` and `name`).
    pub label: String,
    /// Archived items are hidden unless `includeArchived=true`.
    pub archived: bool,
    /// The parent item's ID in a hierarchical list (served nested in the
    /// parent's `children`); `None` for a top-level item.
    pub parent: Option<String>,
}

/// One employee as the fake knows them: current field values and full history.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthEmployee {
    /// `root.id`: a 19-digit numeric string.
    pub id: String,
    /// `work.employeeIdInCompany` (a number in HiBob; missing for some employees).
    pub employee_id_in_company: Option<i64>,
    /// `root.email` (some contain `+`).
    pub email: String,
    /// `root.firstName`.
    pub first_name: String,
    /// `root.surname`.
    pub surname: String,
    /// `root.displayName` (also served as `root.fullName`).
    pub display_name: String,
    /// `root.creationDateTime` (ISO-8601, microseconds, no zone).
    pub creation_date_time: String,
    /// `work.title`.
    pub title: Option<ListRef>,
    /// `work.department`.
    pub department: Option<ListRef>,
    /// `work.site` (the site's name).
    pub site: Option<String>,
    /// `work.siteId`.
    pub site_id: Option<i64>,
    /// `work.manager` / `work.reportsTo.id`.
    pub manager_id: Option<String>,
    /// The manager's e-mail (`work.reportsTo.email`).
    pub manager_email: Option<String>,
    /// `internal.lifecycleStatus`: `employed`, `leave`, `terminated` or `hired`.
    pub lifecycle_status: String,
    /// `internal.status`: `Active` or `Inactive`.
    pub internal_status: String,
    /// `work.startDate` (for re-hires: the latest start).
    pub start_date: NaiveDate,
    /// `internal.terminationDate` (`None` unless terminated).
    pub termination_date: Option<NaiveDate>,
    /// `internal.terminationReason`.
    pub termination_reason: Option<ListRef>,
    /// `about.about`: free text, missing for many.
    pub about: Option<String>,
    /// Custom text field [`COST_CENTER_FIELD`](super::COST_CENTER_FIELD).
    pub cost_center: Option<String>,
    /// Custom list field [`WORK_MODEL_FIELD`](super::WORK_MODEL_FIELD) (list `workModel`).
    pub work_model: Option<ListRef>,
    /// Field [`BADGE_NUMBER_FIELD`](super::BADGE_NUMBER_FIELD) in a custom category.
    pub badge_number: Option<String>,
    /// `/people/{id}/lifecycle` rows, ascending `effectiveDate`.
    pub lifecycle_history: Vec<Value>,
    /// `/people/{id}/employment` rows.
    pub employment_history: Vec<Value>,
    /// `/people/{id}/work` rows.
    pub work_history: Vec<Value>,
    /// `/people/{id}/salaries` rows.
    pub salary_history: Vec<Value>,
    /// The other tables' rows, by path segment (`variable`, `equities`,
    /// `training`, `bank-accounts`, `deduction`, `entitlement`,
    /// `dependents`, `right-to-work`); filled by table-entry writes.
    pub other_tables: BTreeMap<String, Vec<Value>>,
}

impl TruthEmployee {
    /// The rows of one history table.
    pub fn history(&self, table: Table) -> &[Value] {
        match table {
            Table::Lifecycle => &self.lifecycle_history,
            Table::Employment => &self.employment_history,
            Table::Work => &self.work_history,
            Table::Salaries => &self.salary_history,
        }
    }

    /// The rows of one history table, mutably.
    pub fn history_mut(&mut self, table: Table) -> &mut Vec<Value> {
        match table {
            Table::Lifecycle => &mut self.lifecycle_history,
            Table::Employment => &mut self.employment_history,
            Table::Work => &mut self.work_history,
            Table::Salaries => &mut self.salary_history,
        }
    }

    /// The current row of a table (`isCurrent: true`), if any.
    pub fn current_row(&self, table: Table) -> Option<&Value> {
        self.history(table)
            .iter()
            .find(|row| row["isCurrent"] == Value::Bool(true))
    }

    /// The `reportsTo` object HiBob serves when this employee is someone's manager.
    pub(crate) fn as_reports_to(&self) -> Value {
        json!({
            "id": self.id, "firstName": self.first_name, "surname": self.surname,
            "email": self.email, "displayName": self.display_name,
        })
    }

    /// Whether `internal.status` is `Active`.
    pub fn is_active(&self) -> bool {
        self.internal_status == "Active"
    }
}

/// A new employee for [`Company::hire`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewHire {
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Work e-mail.
    pub email: String,
    /// Start date; after `today` makes a future hire (`hired`, `Inactive`).
    pub start_date: NaiveDate,
    /// Title list item ID.
    pub title_id: Option<String>,
    /// Department list item ID.
    pub department_id: Option<String>,
    /// Manager's employee ID.
    pub manager_id: Option<String>,
    /// Site list item ID (`work.site` is its label, `work.siteId` the number).
    pub site_id: Option<String>,
}

impl NewHire {
    /// A new hire without title, department or manager (set the public fields for those).
    pub fn new(
        first_name: impl Into<String>,
        surname: impl Into<String>,
        email: impl Into<String>,
        start_date: NaiveDate,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            surname: surname.into(),
            email: email.into(),
            start_date,
            title_id: None,
            department_id: None,
            manager_id: None,
            site_id: None,
        }
    }
}

impl Company {
    /// The employee with this ID.
    pub fn employee(&self, id: &str) -> Option<&TruthEmployee> {
        self.employees.iter().find(|e| e.id == id)
    }

    /// The employee with this ID, mutably.
    pub fn employee_mut(&mut self, id: &str) -> Option<&mut TruthEmployee> {
        self.employees.iter_mut().find(|e| e.id == id)
    }

    /// The label of a list item, archived items included.
    pub fn label(&self, list: &str, id: &str) -> Option<&str> {
        list_label(&self.lists, list, id)
    }
}

/// The label of item `id` in named list `list`, archived items included:
/// shared by [`Company::label`] and the fake's store.
pub(super) fn list_label<'a>(
    lists: &'a BTreeMap<String, NamedList>,
    list: &str,
    id: &str,
) -> Option<&'a str> {
    lists
        .get(list)?
        .items
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.label.as_str())
}
