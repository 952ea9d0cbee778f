//! Groups: one per list item of the fields the caller chose, with the
//! parents a hierarchical list gives and the users holding the item.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::findings::Finding;
use crate::field;
use crate::metadata::Labels;
use crate::models::{EmployeeId, FieldId};
use crate::people::Employee;

/// What identifies a group: the field it comes from and the list item ID.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupKey {
    /// The field ID (`work.department`, a custom list field...).
    pub field: FieldId,
    /// The list item ID.
    pub id: String,
}

impl GroupKey {
    /// The key of item `id` of `field`.
    pub fn new(field: FieldId, id: impl Into<String>) -> Self {
        Self {
            field,
            id: id.into(),
        }
    }
}

/// One group: a list item of a group field, its label, its parent item in
/// a hierarchical list, and the users holding the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Group {
    /// The field and item.
    pub key: GroupKey,
    /// The item's label (its ID when the named lists do not know it).
    pub name: String,
    /// The parent item's ID, for a child of a hierarchical list.
    pub parent: Option<String>,
    /// The users whose field holds this very item (not a child of it).
    pub members: BTreeSet<EmployeeId>,
}

/// `work.site` holds the site's name, a text field; its list-backed twin is
/// `work.siteId`, so site groups are keyed by the site ID when present.
pub(super) fn site_id_path(field: &FieldId) -> Option<&'static str> {
    (field == &field::SITE).then_some("work.siteId")
}

/// The items an employee holds in `field`, with their labels. A multi-list
/// gives several; absent, `null` and blank give none.
pub(super) fn items(
    employee: &Employee,
    labels: &Labels,
    field: &FieldId,
) -> Vec<(String, Option<String>)> {
    if let Some(site_id) = site_id_path(field) {
        let name = employee.text("work.site").map(|t| t.into_owned());
        return match (employee.text(site_id), name) {
            (Some(id), name) if !id.trim().is_empty() => vec![(id.into_owned(), name)],
            (_, Some(name)) if !name.trim().is_empty() => vec![(name.clone(), Some(name))],
            _ => Vec::new(),
        };
    }
    let list = labels
        .catalog
        .get(field)
        .filter(|meta| meta.field_type.is_list_like())
        .and_then(|meta| meta.type_data.list_id.as_deref());
    let path = labels.catalog.json_path(field);
    // One item as text needs no `Value`; only a multi-list is read whole.
    let texts = match employee.text(&path) {
        Some(text) => single_text(&text),
        None => match employee.field(&path) {
            Some(value) => item_texts(&value),
            None => return Vec::new(),
        },
    };
    texts
        .into_iter()
        .map(|item| {
            let label = list.and_then(|list| labels.lists.label(list, &item));
            let label = label
                .map(str::to_owned)
                .or_else(|| list.is_none().then(|| item.clone()));
            (item, label)
        })
        .collect()
}

/// The first item of a list field as a [`ListValue`](super::ListValue),
/// labelled (the ID stands in for an unknown label).
pub(super) fn list_value(
    employee: &Employee,
    labels: &Labels,
    field: &FieldId,
) -> Option<super::ListValue> {
    let (id, label) = items(employee, labels, field).into_iter().next()?;
    let label = label.unwrap_or_else(|| id.clone());
    Some(super::ListValue { id, label })
}

fn single_text(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        Vec::new()
    } else {
        vec![text.to_owned()]
    }
}

fn item_texts(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let texts: Vec<String> = match value {
        Value::Array(values) => values.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    texts.into_iter().filter(|t| !t.is_empty()).collect()
}

/// The groups of `fields` over `employees`: one per item someone holds, plus
/// every ancestor of such an item in a hierarchical list (with no direct
/// members). An item the named lists do not know is a finding; its group
/// is kept, named by its ID.
pub(super) fn build(
    employees: &[&Employee],
    labels: &Labels,
    fields: &[FieldId],
    findings: &mut Vec<Finding>,
) -> BTreeMap<GroupKey, Group> {
    let mut groups = BTreeMap::new();
    for field in fields {
        let list = list_of(labels, field);
        for employee in employees {
            let Some(user) = employee.id() else { continue };
            for (item, label) in items(employee, labels, field) {
                let key = GroupKey::new(field.clone(), item);
                let group = groups.entry(key.clone()).or_insert_with(|| {
                    if label.is_none() {
                        findings.push(Finding::UnknownListItem {
                            field: field.clone(),
                            item: key.id.clone(),
                        });
                    }
                    new_group(labels, list, key.clone(), label)
                });
                group.members.insert(user.clone());
            }
        }
        if let Some(list) = list {
            add_ancestors(&mut groups, labels, field, list);
        }
    }
    groups
}

/// The named list behind a group field (`work.siteId`'s for `work.site`).
fn list_of<'a>(labels: &'a Labels, field: &FieldId) -> Option<&'a str> {
    let field = match site_id_path(field) {
        Some(_) => &field::SITE_ID,
        None => field,
    };
    labels
        .catalog
        .get(field)
        .filter(|meta| meta.field_type.is_list_like())
        .and_then(|meta| meta.type_data.list_id.as_deref())
}

fn new_group(labels: &Labels, list: Option<&str>, key: GroupKey, label: Option<String>) -> Group {
    let parent = list.and_then(|list| labels.lists.parent(list, &key.id));
    Group {
        name: label.unwrap_or_else(|| key.id.clone()),
        parent: parent.map(str::to_owned),
        members: BTreeSet::new(),
        key,
    }
}

/// Adds the missing ancestors of `field`'s groups, walking up at most as
/// many steps as the list could have levels (a malformed list cannot loop).
fn add_ancestors(
    groups: &mut BTreeMap<GroupKey, Group>,
    labels: &Labels,
    field: &FieldId,
    list: &str,
) {
    let mut pending: Vec<String> = groups
        .values()
        .filter(|g| &g.key.field == field)
        .filter_map(|g| g.parent.clone())
        .collect();
    let mut budget = pending.len() * 64 + 64;
    while let Some(item) = pending.pop() {
        budget = budget.saturating_sub(1);
        let key = GroupKey::new(field.clone(), item);
        if budget == 0 || groups.contains_key(&key) {
            continue;
        }
        let label = labels.lists.label(list, &key.id).map(str::to_owned);
        let group = new_group(labels, Some(list), key.clone(), label);
        pending.extend(group.parent.clone());
        groups.insert(key, group);
    }
}
