//! One employee at a time: a fresh read of a few employees merged into the
//! last snapshot, or employees taken out of it, so a webhook costs one read
//! instead of a full search. The result equals what a full rebuild over
//! the same data would give (a proptest checks it).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::findings::Finding;
use super::groups::{Group, GroupKey};
use super::managers::ManagerTree;
use super::snapshot::Snapshot;
use crate::models::{EmployeeId, FieldId};

impl Snapshot {
    /// This snapshot with the users of `fresh` (a snapshot built from a
    /// read of just those employees, with the same group and extra fields)
    /// replacing theirs: their rows, their group memberships, the labels of
    /// the groups they hold, and the manager tree.
    ///
    /// What `fresh` withheld (absent from its read) keeps this snapshot's
    /// values, so a narrower read never looks like a change. Groups nobody
    /// holds any more (and that are no ancestor of a held one) are gone, as
    /// a full rebuild would have them.
    pub fn updated_with(&self, mut fresh: Snapshot) -> Snapshot {
        fresh.keep_withheld(self);
        let refreshed: BTreeSet<EmployeeId> = fresh.users.keys().cloned().collect();
        let mut merged = self.clone();
        let fields = group_fields(&merged, &fresh);
        for field in fields
            .iter()
            .filter(|f| !fresh.withheld.contains(f.as_str()))
        {
            leave_groups(&mut merged, field, &refreshed);
        }
        for (key, group) in std::mem::take(&mut fresh.groups) {
            join_group(&mut merged, key, group);
        }
        for field in &fields {
            prune(&mut merged, field);
        }
        merged.users.extend(std::mem::take(&mut fresh.users));
        merged.at = fresh.at;
        merged.withheld = std::mem::take(&mut fresh.withheld);
        merged.findings = findings_about(fresh.findings, &refreshed, &mut merged);
        merged
    }

    /// This snapshot without `ids` (deleted in HiBob, or no longer visible
    /// to the service user), taken at `at`.
    pub fn without_users(&self, ids: &BTreeSet<EmployeeId>, at: DateTime<Utc>) -> Snapshot {
        let mut kept = self.clone();
        kept.users.retain(|id, _| !ids.contains(id));
        let fields: BTreeSet<FieldId> = kept.groups.keys().map(|k| k.field.clone()).collect();
        for field in &fields {
            leave_groups(&mut kept, field, ids);
            prune(&mut kept, field);
        }
        kept.at = at;
        kept.withheld.clear();
        kept.findings = findings_about(Vec::new(), ids, &mut kept);
        kept
    }
}

fn group_fields(a: &Snapshot, b: &Snapshot) -> BTreeSet<FieldId> {
    a.groups
        .keys()
        .chain(b.groups.keys())
        .map(|key| key.field.clone())
        .collect()
}

fn leave_groups(snapshot: &mut Snapshot, field: &FieldId, users: &BTreeSet<EmployeeId>) {
    for group in snapshot.groups.values_mut() {
        if &group.key.field == field {
            group.members.retain(|member| !users.contains(member));
        }
    }
}

/// Adds `group`'s members to the snapshot's group, which takes the fresh
/// label and parent (the read is newer than the snapshot).
fn join_group(snapshot: &mut Snapshot, key: GroupKey, group: Group) {
    match snapshot.groups.get_mut(&key) {
        Some(existing) => {
            existing.members.extend(group.members);
            existing.name = group.name;
            existing.parent = group.parent;
        }
        None => {
            snapshot.groups.insert(key, group);
        }
    }
}

/// Drops `field`'s groups that have no members and are no parent of a
/// remaining group, until none is left to drop (a hierarchy empties from
/// its leaves up).
fn prune(snapshot: &mut Snapshot, field: &FieldId) {
    loop {
        let parents: BTreeSet<String> = snapshot
            .groups
            .values()
            .filter(|g| &g.key.field == field)
            .filter_map(|g| g.parent.clone())
            .collect();
        let before = snapshot.groups.len();
        snapshot.groups.retain(|key, group| {
            &key.field != field || !group.members.is_empty() || parents.contains(&key.id)
        });
        if snapshot.groups.len() == before {
            return;
        }
    }
}

/// The fresh read's own findings (its manager findings are meaningless: the
/// read had nobody else), plus the rebuilt manager tree's findings about
/// the refreshed users.
fn findings_about(
    fresh: Vec<Finding>,
    users: &BTreeSet<EmployeeId>,
    snapshot: &mut Snapshot,
) -> Vec<Finding> {
    let mut tree_findings = Vec::new();
    snapshot.managers = ManagerTree::build(&snapshot.users, &mut tree_findings);
    let about_users = |finding: &Finding| match finding {
        Finding::MissingManager { user_id, .. } => users.contains(user_id),
        Finding::ManagerCycle { user_ids } => user_ids.iter().any(|id| users.contains(id)),
        _ => false,
    };
    fresh
        .into_iter()
        .filter(|f| {
            !matches!(
                f,
                Finding::MissingManager { .. } | Finding::ManagerCycle { .. }
            )
        })
        .chain(tree_findings.into_iter().filter(about_users))
        .collect()
}
