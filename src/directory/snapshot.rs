//! The snapshot: one typed [`User`] row per employee, the groups and the
//! manager tree, built from a people search and [`Labels`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::findings::Finding;
use super::groups::{self, Group, GroupKey};
use super::managers::ManagerTree;
use crate::field;
use crate::metadata::Labels;
use crate::models::{EmployeeId, FieldId};
use crate::people::{Employee, InternalStatus, LifecycleStatus};

/// A list field's value: the list item ID, which identifies it, and its
/// label at the time of the snapshot. Two values are the same item when
/// their `id`s are equal; a renamed item keeps its `id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListValue {
    /// The list item ID (for a field not backed by a list, the text itself).
    pub id: String,
    /// The item's label (the ID when the named lists do not know it).
    pub label: String,
}

impl ListValue {
    /// A list value from an item ID and its label.
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
        }
    }
}

/// An extra field asked for with [`SnapshotBuilder::extra_fields`]: a list
/// value for list-typed fields, the raw JSON for the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ExtraValue {
    /// A list-typed field's item (compared by item ID).
    List(ListValue),
    /// Any other field, as HiBob sent it.
    Json(Value),
}

/// Reads what `ExtraValue` writes: an object of exactly two strings `id`
/// and `label` is a list item, anything else the raw JSON. (A non-list
/// field whose JSON is exactly such an object reads back as a list item;
/// both compare by the same `id`.)
impl<'de> Deserialize<'de> for ExtraValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if let Value::Object(map) = &value {
            if let (2, Some(Value::String(id)), Some(Value::String(label))) =
                (map.len(), map.get("id"), map.get("label"))
            {
                return Ok(ExtraValue::List(ListValue::new(id, label)));
            }
        }
        Ok(ExtraValue::Json(value))
    }
}

/// One employee as the directory sees them. List values (`title`,
/// `department`, `site`, list-typed extras) carry item ID and label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// `root.id`.
    pub id: EmployeeId,
    /// `work.employeeIdInCompany`.
    pub employee_number: Option<String>,
    /// `root.email`.
    pub email: Option<String>,
    /// `root.firstName`.
    pub first_name: Option<String>,
    /// `root.surname`.
    pub surname: Option<String>,
    /// `root.displayName`.
    pub display_name: Option<String>,
    /// `work.title`.
    pub title: Option<ListValue>,
    /// `work.department`.
    pub department: Option<ListValue>,
    /// The site: `work.siteId`'s item, labelled with `work.site` (the
    /// site's name); the name alone when `work.siteId` is absent.
    pub site: Option<ListValue>,
    /// `work.manager` (else `work.reportsTo.id`).
    pub manager_id: Option<EmployeeId>,
    /// `work.reportsTo.email`.
    pub manager_email: Option<String>,
    /// `internal.lifecycleStatus`.
    pub lifecycle_status: Option<LifecycleStatus>,
    /// `internal.status`.
    pub internal_status: Option<InternalStatus>,
    /// `work.startDate`.
    pub start_date: Option<NaiveDate>,
    /// `internal.terminationDate`.
    pub termination_date: Option<NaiveDate>,
    /// The extra fields asked for, by field ID (absent when the employee
    /// has no value, `null` included).
    pub extra: BTreeMap<FieldId, ExtraValue>,
}

impl User {
    /// Whether the user counts as gone for directory purposes: terminated,
    /// or `Inactive` without being a future hire (`hired`, or a start date
    /// after `today`), who is Inactive only until they start.
    pub fn is_deactivated(&self, today: NaiveDate) -> bool {
        if self
            .lifecycle_status
            .as_ref()
            .is_some_and(|s| s.is_terminated())
        {
            return true;
        }
        let inactive = self.internal_status == Some(InternalStatus::Inactive);
        let future_hire = self.lifecycle_status == Some(LifecycleStatus::Hired)
            || self.start_date.is_some_and(|start| start > today);
        inactive && !future_hire
    }

    /// The status a `user.deactivated`/`user.reactivated` event reports,
    /// the one that decided it: `terminated`; else an internal status that
    /// is not `Active` (`Inactive`); else the lifecycle status, else the
    /// internal status.
    pub fn status_text(&self) -> Option<String> {
        let lifecycle = self.lifecycle_status.as_ref();
        let internal = self.internal_status.as_ref();
        let text = match (lifecycle, internal) {
            (Some(l), _) if l.is_terminated() => l.as_str(),
            (_, Some(i)) if !i.is_active() => i.as_str(),
            (Some(l), _) => l.as_str(),
            (None, Some(i)) => i.as_str(),
            (None, None) => return None,
        };
        Some(text.to_owned())
    }
}

/// Everything a directory sync knows at one moment: users by ID, groups by
/// field and item, the manager tree, and what could not be trusted.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Snapshot {
    /// Users by ID.
    pub users: BTreeMap<EmployeeId, User>,
    /// Groups by (field ID, list item ID).
    pub groups: BTreeMap<GroupKey, Group>,
    /// When the employees were read.
    pub at: DateTime<Utc>,
    /// The manager tree over `users`.
    pub managers: ManagerTree,
    /// User attributes (and group field IDs) absent for every employee:
    /// withheld by permissions this run. [`diff`](super::diff) keeps their
    /// previous values.
    pub withheld: BTreeSet<String>,
    /// What the build found wrong (duplicates, missing managers, cycles,
    /// unknown list items).
    pub findings: Vec<Finding>,
}

impl Snapshot {
    /// Starts a snapshot of `employees` read at `at`, labelled with `labels`.
    pub fn builder(
        employees: Vec<Employee>,
        labels: &Labels,
        at: DateTime<Utc>,
    ) -> SnapshotBuilder<'_> {
        SnapshotBuilder {
            employees,
            labels,
            at,
            group_fields: vec![field::DEPARTMENT, field::SITE],
            extra_fields: Vec::new(),
        }
    }
}

impl Snapshot {
    /// A snapshot from stored parts, as a [`Store`](super::Store) loads it:
    /// the manager tree is rebuilt, and its findings are the only ones.
    pub fn from_parts(
        users: impl IntoIterator<Item = User>,
        groups: impl IntoIterator<Item = Group>,
        at: DateTime<Utc>,
        withheld: BTreeSet<String>,
    ) -> Snapshot {
        let users: BTreeMap<EmployeeId, User> =
            users.into_iter().map(|u| (u.id.clone(), u)).collect();
        let groups = groups.into_iter().map(|g| (g.key.clone(), g)).collect();
        let mut findings = Vec::new();
        let managers = ManagerTree::build(&users, &mut findings);
        Snapshot {
            users,
            groups,
            at,
            managers,
            withheld,
            findings,
        }
    }
}

/// Builds a [`Snapshot`]; see [`Snapshot::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until .build()"]
pub struct SnapshotBuilder<'a> {
    employees: Vec<Employee>,
    labels: &'a Labels,
    at: DateTime<Utc>,
    group_fields: Vec<FieldId>,
    extra_fields: Vec<FieldId>,
}

impl SnapshotBuilder<'_> {
    /// The list fields whose items become groups (default `work.department`
    /// and `work.site`); any list field, custom ones included.
    pub fn group_fields(mut self, fields: impl IntoIterator<Item = FieldId>) -> Self {
        self.group_fields = fields.into_iter().collect();
        self
    }

    /// Extra fields to keep on each [`User`], custom ones included.
    pub fn extra_fields(mut self, fields: impl IntoIterator<Item = FieldId>) -> Self {
        self.extra_fields = fields.into_iter().collect();
        self
    }

    /// Builds the snapshot. Never fails: bad input becomes [`Finding`]s.
    pub fn build(self) -> Snapshot {
        let mut findings = Vec::new();
        let withheld = withheld(
            &self.employees,
            self.labels,
            &self.group_fields,
            &self.extra_fields,
        );
        let mut users = BTreeMap::new();
        let mut rows = Vec::with_capacity(self.employees.len());
        for employee in &self.employees {
            let Some(id) = employee.id() else { continue };
            if users.contains_key(id) {
                findings.push(Finding::DuplicateUser {
                    user_id: id.clone(),
                });
                continue;
            }
            users.insert(id.clone(), user(employee, self.labels, &self.extra_fields));
            rows.push(employee);
        }
        let groups = groups::build(&rows, self.labels, &self.group_fields, &mut findings);
        let managers = ManagerTree::build(&users, &mut findings);
        Snapshot {
            users,
            groups,
            at: self.at,
            managers,
            withheld,
            findings,
        }
    }
}

/// Where each fixed [`User`] attribute comes from (the first path present
/// for anyone counts).
const SOURCES: &[(&str, &[&str])] = &[
    ("employee_number", &["work.employeeIdInCompany"]),
    ("email", &["email"]),
    ("first_name", &["firstName"]),
    ("surname", &["surname"]),
    ("display_name", &["displayName"]),
    ("title", &["work.title"]),
    ("department", &["work.department"]),
    ("site", &["work.site", "work.siteId"]),
    ("manager_id", &["work.manager", "work.reportsTo"]),
    ("manager_email", &["work.reportsTo"]),
    ("lifecycle_status", &["internal.lifecycleStatus"]),
    ("internal_status", &["internal.status"]),
    ("start_date", &["work.startDate"]),
    ("termination_date", &["internal.terminationDate"]),
];

/// Attributes, extra fields and group fields absent for every employee
/// (`null` counts as present), as `missing_from_all` decides for a search.
fn withheld(
    employees: &[Employee],
    labels: &Labels,
    group_fields: &[FieldId],
    extra_fields: &[FieldId],
) -> BTreeSet<String> {
    if employees.is_empty() {
        return BTreeSet::new(); // nothing can be told
    }
    let absent = |paths: &[&str]| {
        !employees
            .iter()
            .any(|e| paths.iter().any(|path| e.has_field(path)))
    };
    let mut withheld: BTreeSet<String> = SOURCES
        .iter()
        .filter(|(_, paths)| absent(paths))
        .map(|(name, _)| (*name).to_owned())
        .collect();
    for id in group_fields.iter().chain(extra_fields) {
        let path = labels.catalog.json_path(id);
        let site_id = groups::site_id_path(id);
        if absent(&[path.as_str()]) && site_id.is_none_or(|p| absent(&[p])) {
            withheld.insert(id.as_str().to_owned());
        }
    }
    withheld
}

/// The typed row of one employee.
fn user(employee: &Employee, labels: &Labels, extra_fields: &[FieldId]) -> User {
    let text = |path: &str| employee.text(path).map(|t| t.into_owned());
    let extra = extra_fields
        .iter()
        .filter_map(|id| Some((id.clone(), extra_value(employee, labels, id)?)))
        .collect();
    User {
        id: employee.id().cloned().unwrap_or_default(),
        employee_number: employee.employee_id_in_company().map(|n| n.into_owned()),
        email: text("email"),
        first_name: text("firstName"),
        surname: text("surname"),
        display_name: text("displayName"),
        title: groups::list_value(employee, labels, &field::TITLE),
        department: groups::list_value(employee, labels, &field::DEPARTMENT),
        site: groups::list_value(employee, labels, &field::SITE),
        manager_id: employee.manager_id().cloned(),
        manager_email: employee.reports_to().and_then(|m| m.email.clone()),
        lifecycle_status: employee.lifecycle_status(),
        internal_status: employee.internal_status(),
        start_date: employee.start_date(),
        termination_date: employee.termination_date(),
        extra,
    }
}

fn extra_value(employee: &Employee, labels: &Labels, id: &FieldId) -> Option<ExtraValue> {
    let is_list = labels
        .catalog
        .get(id)
        .is_some_and(|meta| meta.field_type.is_list_like());
    if is_list {
        return groups::list_value(employee, labels, id).map(ExtraValue::List);
    }
    // `null` is no value, as an absent field is: both read as "none", so a
    // store that wrote one and reads back the other sees no change.
    let value = employee.field(&labels.catalog.json_path(id))?;
    (!value.is_null()).then(|| ExtraValue::Json(value.into_owned()))
}

impl Snapshot {
    /// Copies `previous`'s values into this snapshot for what this run
    /// withheld (absent for every user): the user attributes and extras,
    /// and the groups of a withheld group field. Store the result, so a
    /// column that comes back later is not reported as changed for all.
    pub fn keep_withheld(&mut self, previous: &Snapshot) {
        if self.withheld.is_empty() {
            return;
        }
        for (id, user) in &mut self.users {
            if let Some(old) = previous.users.get(id) {
                copy_withheld(user, old, &self.withheld);
            }
        }
        let withheld = &self.withheld;
        self.groups
            .retain(|key, _| !withheld.contains(key.field.as_str()));
        for (key, group) in &previous.groups {
            if withheld.contains(key.field.as_str()) {
                let mut group = group.clone();
                group
                    .members
                    .retain(|member| self.users.contains_key(member));
                self.groups.insert(key.clone(), group);
            }
        }
    }
}

fn copy_withheld(user: &mut User, old: &User, withheld: &BTreeSet<String>) {
    macro_rules! copy {
        ($($field:ident),*) => {$(
            if withheld.contains(stringify!($field)) {
                user.$field = old.$field.clone();
            }
        )*};
    }
    copy!(
        employee_number,
        email,
        first_name,
        surname,
        display_name,
        title,
        department,
        site
    );
    copy!(
        manager_id,
        manager_email,
        lifecycle_status,
        internal_status,
        start_date,
        termination_date
    );
    for (name, value) in &old.extra {
        if withheld.contains(name.as_str()) {
            user.extra.insert(name.clone(), value.clone());
        }
    }
}
