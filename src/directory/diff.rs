//! `diff(previous, current)`: the events between two snapshots, in a stable
//! order (users by ID, then groups, then memberships), with the
//! withheld-column and mass-removal guards.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::events::{self, Change, Event, EventKind, GroupInfo};
use super::findings::Finding;
use super::groups::{Group, GroupKey};
use super::snapshot::{ExtraValue, Snapshot, User};

/// The events between two snapshots, and what was worth a warning.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Diff {
    /// The events: users by ID, then groups, then memberships.
    pub events: Vec<Event>,
    /// Warnings, such as a column withheld this run.
    pub findings: Vec<Finding>,
}

/// The guards of [`diff_with`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DiffOptions {
    /// Refuse when more than this share of the previous users is removed
    /// (default 0.30)...
    pub max_removed_share: f64,
    /// ...and at least this many are (default 10).
    pub min_removed: usize,
    /// Diff even past the mass-removal guard (never for an empty snapshot).
    pub force: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            max_removed_share: 0.30,
            min_removed: 10,
            force: false,
        }
    }
}

impl DiffOptions {
    /// Lets a mass removal through (an empty snapshot is still refused).
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// Why a diff was refused: a permission accident must never deprovision a
/// company.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The current snapshot has no users but the previous had some.
    #[error(
        "the new snapshot has no users (the previous had {previous}): check the service user's permissions and the search; an empty snapshot is never applied"
    )]
    EmptySnapshot {
        /// Users in the previous snapshot.
        previous: usize,
    },
    /// Too many users vanished at once.
    #[error(
        "{removed} of {previous} users would be removed (more than {:.0} %): check the service user's permissions; force the run if the removals are real",
        share * 100.0
    )]
    MassRemoval {
        /// Users that would be removed.
        removed: usize,
        /// Users in the previous snapshot.
        previous: usize,
        /// The share that was exceeded.
        share: f64,
    },
}

/// [`diff_with`] with the default guards (30 %, at least 10 users, not forced).
pub fn diff(previous: &Snapshot, current: &Snapshot) -> Result<Diff, DiffError> {
    diff_with(previous, current, &DiffOptions::default())
}

/// The events that turn `previous` into `current`. Attributes and group
/// fields in `current.withheld` keep their previous values (no event, one
/// [`Finding::Withheld`] each); call
/// [`Snapshot::keep_withheld`] to store the same view.
pub fn diff_with(
    previous: &Snapshot,
    current: &Snapshot,
    options: &DiffOptions,
) -> Result<Diff, DiffError> {
    guard(previous, current, options)?;
    let mut kinds = user_events(previous, current, &current.withheld);
    let (group_kinds, member_kinds) = group_events(previous, current);
    kinds.extend(group_kinds);
    kinds.extend(member_kinds);
    let events = kinds
        .into_iter()
        .map(|kind| events::stamp(kind, previous.at, current.at))
        .collect();
    let findings = current
        .withheld
        .iter()
        .map(|attribute| Finding::Withheld {
            attribute: attribute.clone(),
        })
        .collect();
    Ok(Diff { events, findings })
}

fn guard(previous: &Snapshot, current: &Snapshot, options: &DiffOptions) -> Result<(), DiffError> {
    let before = previous.users.len();
    if current.users.is_empty() && before > 0 {
        return Err(DiffError::EmptySnapshot { previous: before });
    }
    let removed = previous
        .users
        .keys()
        .filter(|id| !current.users.contains_key(*id))
        .count();
    let too_many = removed >= options.min_removed
        && removed as f64 > before as f64 * options.max_removed_share;
    if too_many && !options.force {
        return Err(DiffError::MassRemoval {
            removed,
            previous: before,
            share: options.max_removed_share,
        });
    }
    Ok(())
}

/// Per user, by ID: created/removed, else deactivated or reactivated, then
/// manager_changed, then updated.
fn user_events(
    previous: &Snapshot,
    current: &Snapshot,
    withheld: &BTreeSet<String>,
) -> Vec<EventKind> {
    let ids: BTreeSet<_> = previous.users.keys().chain(current.users.keys()).collect();
    let today = current.at.date_naive();
    let mut kinds = Vec::new();
    for id in ids {
        match (previous.users.get(id), current.users.get(id)) {
            (None, Some(user)) => kinds.push(EventKind::UserCreated {
                user: Box::new(user.clone()),
            }),
            (Some(_), None) => kinds.push(EventKind::UserRemoved {
                user_id: id.clone(),
            }),
            (Some(old), Some(new)) => changed(
                old,
                new,
                withheld,
                previous.at.date_naive(),
                today,
                &mut kinds,
            ),
            (None, None) => {}
        }
    }
    kinds
}

fn changed(
    old: &User,
    new: &User,
    withheld: &BTreeSet<String>,
    then: chrono::NaiveDate,
    today: chrono::NaiveDate,
    kinds: &mut Vec<EventKind>,
) {
    let user_id = new.id.clone();
    let kept = |name: &str| withheld.contains(name);
    let statuses_kept = kept("lifecycle_status") || kept("internal_status");
    let status = new.status_text();
    let activation = match (old.is_deactivated(then), new.is_deactivated(today)) {
        _ if statuses_kept => None,
        (false, true) => Some(EventKind::UserDeactivated {
            user_id: user_id.clone(),
            status,
        }),
        (true, false) => Some(EventKind::UserReactivated {
            user_id: user_id.clone(),
            status,
        }),
        _ => None,
    };
    kinds.extend(activation);
    if old.manager_id != new.manager_id && !kept("manager_id") {
        kinds.push(EventKind::UserManagerChanged {
            user_id: user_id.clone(),
            old: old.manager_id.clone(),
            new: new.manager_id.clone(),
        });
    }
    let changes = attribute_changes(old, new, withheld);
    if !changes.is_empty() {
        kinds.push(EventKind::UserUpdated { user_id, changes });
    }
}

/// The attributes of `user.updated`: every field but the ID and
/// `manager_id` (`user.manager_changed` replaces it). The statuses stay
/// here beside `user.deactivated`/`user.reactivated`, and so does the
/// manager's e-mail, so applying the events to the previous rows gives the
/// current ones (labels aside: a rename is `group.renamed`). List values
/// compare by item ID.
fn attribute_changes(
    old: &User,
    new: &User,
    withheld: &BTreeSet<String>,
) -> BTreeMap<String, Change> {
    let mut changes = BTreeMap::new();
    let mut note = |name: &str, same: bool, old_value: Value, new_value: Value| {
        if !same && !withheld.contains(name) {
            changes.insert(
                name.to_owned(),
                Change {
                    old: old_value,
                    new: new_value,
                },
            );
        }
    };
    macro_rules! plain {
        ($($field:ident),*) => {$(
            note(stringify!($field), old.$field == new.$field, json(&old.$field), json(&new.$field));
        )*};
    }
    macro_rules! list {
        ($($field:ident),*) => {$(
            let same = old.$field.as_ref().map(|v| &v.id) == new.$field.as_ref().map(|v| &v.id);
            note(stringify!($field), same, json(&old.$field), json(&new.$field));
        )*};
    }
    plain!(employee_number, email, first_name, surname, display_name);
    list!(title, department, site);
    plain!(
        lifecycle_status,
        internal_status,
        start_date,
        termination_date
    );
    plain!(manager_email);
    let names: BTreeSet<_> = old.extra.keys().chain(new.extra.keys()).collect();
    for name in names {
        let (before, after) = (old.extra.get(name), new.extra.get(name));
        note(
            name.as_str(),
            same_extra(before, after),
            json(&before),
            json(&after),
        );
    }
    changes
}

fn same_extra(old: Option<&ExtraValue>, new: Option<&ExtraValue>) -> bool {
    match (old, new) {
        (Some(ExtraValue::List(a)), Some(ExtraValue::List(b))) => a.id == b.id,
        (a, b) => a == b,
    }
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Group events (created, renamed, removed by key), then membership events
/// (by group, then user). A group field withheld this run keeps its
/// previous groups: no events for it.
fn group_events(previous: &Snapshot, current: &Snapshot) -> (Vec<EventKind>, Vec<EventKind>) {
    let withheld = |key: &GroupKey| current.withheld.contains(key.field.as_str());
    let keys: BTreeSet<&GroupKey> = previous
        .groups
        .keys()
        .chain(current.groups.keys())
        .collect();
    let (mut groups, mut members) = (Vec::new(), Vec::new());
    for key in keys.into_iter().filter(|key| !withheld(key)) {
        let (old, new) = (previous.groups.get(key), current.groups.get(key));
        match (old, new) {
            (None, Some(group)) => groups.push(EventKind::GroupCreated { group: info(group) }),
            (Some(_), None) => groups.push(EventKind::GroupRemoved { group: key.clone() }),
            (Some(a), Some(b)) if a.name != b.name => groups.push(EventKind::GroupRenamed {
                group: key.clone(),
                old: a.name.clone(),
                new: b.name.clone(),
            }),
            _ => {}
        }
        memberships(key, old, new, &mut members);
    }
    (groups, members)
}

/// Member changes of one group, by user ID; a removed group's members are
/// each removed, a new group's each added.
fn memberships(
    key: &GroupKey,
    old: Option<&Group>,
    new: Option<&Group>,
    into: &mut Vec<EventKind>,
) {
    let empty = BTreeSet::new();
    let before = old.map_or(&empty, |g| &g.members);
    let after = new.map_or(&empty, |g| &g.members);
    for user_id in before.union(after) {
        match (before.contains(user_id), after.contains(user_id)) {
            (true, false) => into.push(EventKind::GroupMemberRemoved {
                group: key.clone(),
                user_id: user_id.clone(),
            }),
            (false, true) => into.push(EventKind::GroupMemberAdded {
                group: key.clone(),
                user_id: user_id.clone(),
            }),
            _ => {}
        }
    }
}

fn info(group: &Group) -> GroupInfo {
    GroupInfo {
        field: group.key.field.clone(),
        id: group.key.id.clone(),
        name: group.name.clone(),
        parent: group.parent.clone(),
    }
}
