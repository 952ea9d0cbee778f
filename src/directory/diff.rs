//! `diff(previous, current)`: the events between two snapshots, in a stable
//! order (users by ID, then groups, then memberships), with the
//! withheld-column and mass-removal guards.

use std::collections::{BTreeMap, BTreeSet};
use std::iter::Peekable;

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
    let removed = merged(&previous.users, &current.users)
        .filter(|(_, _, new)| new.is_none())
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
    let today = current.at.date_naive();
    let mut kinds = Vec::new();
    for (id, old, new) in merged(&previous.users, &current.users) {
        match (old, new) {
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
    // Nothing is cloned or serialized for a user who did not change: most
    // of them, on every run.
    let user_id = || new.id.clone();
    let kept = |name: &str| withheld.contains(name);
    let statuses_kept = || kept("lifecycle_status") || kept("internal_status");
    let activation = match (old.is_deactivated(then), new.is_deactivated(today)) {
        (false, true) if !statuses_kept() => Some(EventKind::UserDeactivated {
            user_id: user_id(),
            status: new.status_text(),
        }),
        (true, false) if !statuses_kept() => Some(EventKind::UserReactivated {
            user_id: user_id(),
            status: new.status_text(),
        }),
        _ => None,
    };
    kinds.extend(activation);
    if old.manager_id != new.manager_id && !kept("manager_id") {
        kinds.push(EventKind::UserManagerChanged {
            user_id: user_id(),
            old: old.manager_id.clone(),
            new: new.manager_id.clone(),
        });
    }
    let changes = attribute_changes(old, new, withheld);
    if !changes.is_empty() {
        kinds.push(EventKind::UserUpdated {
            user_id: user_id(),
            changes,
        });
    }
}

/// The attributes of `user.updated`: every field but the ID and
/// `manager_id` (`user.manager_changed` replaces it). The statuses stay
/// here beside `user.deactivated`/`user.reactivated`, and so does the
/// manager's e-mail, so applying the events to the previous rows gives the
/// current ones (labels aside: a rename is `group.renamed`). List values
/// compare by item ID. Values become JSON only for a changed attribute.
fn attribute_changes(
    old: &User,
    new: &User,
    withheld: &BTreeSet<String>,
) -> BTreeMap<String, Change> {
    let mut changes = BTreeMap::new();
    let mut note = |name: &str, same: bool, values: &dyn Fn() -> Change| {
        if !same && !withheld.contains(name) {
            changes.insert(name.to_owned(), values());
        }
    };
    macro_rules! plain {
        ($($field:ident),*) => {$(
            note(stringify!($field), old.$field == new.$field, &|| change(&old.$field, &new.$field));
        )*};
    }
    macro_rules! list {
        ($($field:ident),*) => {$(
            let same = old.$field.as_ref().map(|v| &v.id) == new.$field.as_ref().map(|v| &v.id);
            note(stringify!($field), same, &|| change(&old.$field, &new.$field));
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
    for (name, before, after) in merged(&old.extra, &new.extra) {
        note(name.as_str(), same_extra(before, after), &|| {
            change(&before, &after)
        });
    }
    changes
}

fn same_extra(old: Option<&ExtraValue>, new: Option<&ExtraValue>) -> bool {
    match (old, new) {
        (Some(ExtraValue::List(a)), Some(ExtraValue::List(b))) => a.id == b.id,
        (a, b) => a == b,
    }
}

fn change<T: Serialize>(old: &T, new: &T) -> Change {
    Change {
        old: json(old),
        new: json(new),
    }
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Two sorted maps walked together: every key once, in order, with its
/// value on each side. No lookups and no set of keys to build.
fn merged<'a, K: Ord, A, B>(
    left: &'a BTreeMap<K, A>,
    right: &'a BTreeMap<K, B>,
) -> Merged<std::collections::btree_map::Iter<'a, K, A>, std::collections::btree_map::Iter<'a, K, B>>
{
    Merged {
        left: left.iter().peekable(),
        right: right.iter().peekable(),
    }
}

/// [`merged`] over two sorted sets: each member once, in order, with
/// whether each side holds it.
fn merged_sets<'a, K: Ord>(
    left: &'a BTreeSet<K>,
    right: &'a BTreeSet<K>,
) -> impl Iterator<Item = (&'a K, Option<()>, Option<()>)> {
    Merged {
        left: left.iter().map(|k| (k, ())).peekable(),
        right: right.iter().map(|k| (k, ())).peekable(),
    }
}

/// See [`merged`].
struct Merged<L: Iterator, R: Iterator> {
    left: Peekable<L>,
    right: Peekable<R>,
}

impl<'a, K: Ord + 'a, A, B, L, R> Iterator for Merged<L, R>
where
    L: Iterator<Item = (&'a K, A)>,
    R: Iterator<Item = (&'a K, B)>,
{
    type Item = (&'a K, Option<A>, Option<B>);

    fn next(&mut self) -> Option<Self::Item> {
        let order = match (self.left.peek(), self.right.peek()) {
            (Some((a, _)), Some((b, _))) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => return None,
        };
        Some(match order {
            std::cmp::Ordering::Less => {
                let (key, a) = self.left.next()?;
                (key, Some(a), None)
            }
            std::cmp::Ordering::Greater => {
                let (key, b) = self.right.next()?;
                (key, None, Some(b))
            }
            std::cmp::Ordering::Equal => {
                let (key, a) = self.left.next()?;
                let (_, b) = self.right.next()?;
                (key, Some(a), Some(b))
            }
        })
    }
}

/// Group events (created, renamed, removed by key), then membership events
/// (by group, then user). A group field withheld this run keeps its
/// previous groups: no events for it.
fn group_events(previous: &Snapshot, current: &Snapshot) -> (Vec<EventKind>, Vec<EventKind>) {
    let withheld = |key: &GroupKey| current.withheld.contains(key.field.as_str());
    let (mut groups, mut members) = (Vec::new(), Vec::new());
    for (key, old, new) in merged(&previous.groups, &current.groups) {
        if withheld(key) {
            continue;
        }
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
    if before == after {
        return; // most groups, on most runs
    }
    for (user_id, was, is) in merged_sets(before, after) {
        match (was, is) {
            (Some(()), None) => into.push(EventKind::GroupMemberRemoved {
                group: key.clone(),
                user_id: user_id.clone(),
            }),
            (None, Some(())) => into.push(EventKind::GroupMemberAdded {
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
