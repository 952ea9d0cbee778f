//! The manager tree: each user's chain to the top, direct reports and
//! depth, with cycles and missing managers as findings, never followed
//! forever.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::findings::Finding;
use super::snapshot::User;
use crate::models::EmployeeId;

/// Who reports to whom, over one snapshot's users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManagerTree {
    /// Each user's manager, when that manager is a user of the snapshot.
    managers: BTreeMap<EmployeeId, EmployeeId>,
    /// Direct reports by manager, sorted.
    reports: BTreeMap<EmployeeId, Vec<EmployeeId>>,
    /// Steps to the top (0 for a user without a manager in the snapshot);
    /// absent for users in, or leading into, a cycle.
    depths: HashMap<EmployeeId, usize>,
}

impl ManagerTree {
    /// The tree over `users`; a manager ID that names no user and every
    /// cycle become findings.
    pub(super) fn build(users: &BTreeMap<EmployeeId, User>, findings: &mut Vec<Finding>) -> Self {
        let mut managers = BTreeMap::new();
        let mut reports: BTreeMap<EmployeeId, Vec<EmployeeId>> = BTreeMap::new();
        for user in users.values() {
            let Some(manager) = &user.manager_id else {
                continue;
            };
            if users.contains_key(manager) {
                managers.insert(user.id.clone(), manager.clone());
                reports
                    .entry(manager.clone())
                    .or_default()
                    .push(user.id.clone());
            } else {
                findings.push(Finding::MissingManager {
                    user_id: user.id.clone(),
                    manager_id: manager.clone(),
                });
            }
        }
        let mut tree = Self {
            managers,
            reports,
            depths: HashMap::new(),
        };
        tree.compute_depths(users.keys(), findings);
        tree
    }

    /// Walks each user up until a known depth, the top or a user already on
    /// the walk (a cycle); every user is walked once in total.
    fn compute_depths<'a>(
        &mut self,
        ids: impl Iterator<Item = &'a EmployeeId>,
        findings: &mut Vec<Finding>,
    ) {
        let mut in_cycle: BTreeSet<EmployeeId> = BTreeSet::new();
        // One walk's path, reused: most walks are one step long, and a fresh
        // map and vector per user cost more than the walk.
        let mut path: Vec<&EmployeeId> = Vec::new();
        let mut on_path: HashMap<&EmployeeId, usize> = HashMap::new();
        for start in ids {
            if self.depths.contains_key(start) || in_cycle.contains(start) {
                continue; // walked already, as someone's manager
            }
            path.clear();
            on_path.clear();
            let mut current = start;
            // The depth of the walk's last user, or `None` for a cycle.
            let last_depth = loop {
                if let Some(depth) = self.depths.get(current) {
                    break Some(depth + 1);
                }
                if in_cycle.contains(current) {
                    break None;
                }
                if let Some(&at) = on_path.get(current) {
                    let mut cycle: Vec<EmployeeId> =
                        path[at..].iter().map(|id| (*id).clone()).collect();
                    cycle.sort();
                    in_cycle.extend(cycle.iter().cloned());
                    findings.push(Finding::ManagerCycle { user_ids: cycle });
                    break None;
                }
                on_path.insert(current, path.len());
                path.push(current);
                match self.managers.get(current) {
                    Some(manager) => current = manager,
                    None => break Some(0), // the top of the chain
                }
            };
            let Some(last_depth) = last_depth else {
                // On or leading into a cycle: no depth, marked so later walks stop here.
                in_cycle.extend(path.iter().map(|id| (*id).clone()));
                continue;
            };
            for (step, id) in path.iter().rev().enumerate() {
                self.depths.insert((*id).clone(), last_depth + step);
            }
        }
    }

    /// The user's manager, when in the snapshot.
    pub fn manager(&self, user: &EmployeeId) -> Option<&EmployeeId> {
        self.managers.get(user)
    }

    /// The user's direct reports, sorted by ID.
    pub fn direct_reports(&self, user: &EmployeeId) -> &[EmployeeId] {
        self.reports.get(user).map_or(&[], Vec::as_slice)
    }

    /// Steps from the user to the top of their chain (0: no manager in the
    /// snapshot). `None` for an unknown user or one whose chain has a cycle.
    pub fn depth(&self, user: &EmployeeId) -> Option<usize> {
        self.depths.get(user).copied()
    }

    /// The user's managers from the direct one to the top. A chain that
    /// loops stops before repeating anyone.
    pub fn chain(&self, user: &EmployeeId) -> Vec<EmployeeId> {
        let mut seen = BTreeSet::from([user]);
        let mut chain = Vec::new();
        let mut current = user;
        while let Some(manager) = self.managers.get(current) {
            if !seen.insert(manager) {
                break;
            }
            chain.push(manager.clone());
            current = manager;
        }
        chain
    }
}
