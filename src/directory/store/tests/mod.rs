//! Store tests: the contract every store keeps ([`contract`], run against
//! each store), then what is particular to each.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::json;

use crate::directory::{
    Change, Event, EventKind, ExtraValue, Group, GroupInfo, GroupKey, ListValue, Snapshot, User,
};
use crate::field;
use crate::models::{EmployeeId, FieldId};
use crate::people::{InternalStatus, LifecycleStatus};

mod contract;
mod memory;
#[cfg(feature = "directory-sqlite")]
mod migrate;
#[cfg(feature = "directory-sqlite")]
mod sqlite;

/// Day `d` of November 2026 at 06:00 and some nanoseconds (a store must
/// keep them all).
fn day(d: u32) -> DateTime<Utc> {
    let at = Utc.with_ymd_and_hms(2026, 11, d, 6, 0, 0).unwrap();
    at + chrono::Duration::nanoseconds(123_456_789)
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn id(text: &str) -> EmployeeId {
    EmployeeId::new(text)
}

/// An employed user in department d1 (Sales), site 10 (London).
fn user(user_id: &str, manager: Option<&str>) -> User {
    User {
        id: id(user_id),
        employee_number: Some(format!("E{user_id}")),
        email: Some(format!("{user_id}@example.com")),
        first_name: Some(format!("F{user_id}")),
        surname: Some("S".into()),
        display_name: Some(format!("F{user_id} S")),
        title: Some(ListValue::new("ti1", "Engineer")),
        department: Some(ListValue::new("d1", "Sales")),
        site: Some(ListValue::new("10", "London")),
        manager_id: manager.map(id),
        manager_email: manager.map(|m| format!("{m}@example.com")),
        lifecycle_status: Some(LifecycleStatus::Employed),
        internal_status: Some(InternalStatus::Active),
        start_date: Some(date("2020-01-01")),
        termination_date: None,
        extra: BTreeMap::new(),
    }
}

fn group(field: FieldId, item: &str, name: &str, parent: Option<&str>, members: &[&str]) -> Group {
    Group {
        key: GroupKey::new(field, item),
        name: name.into(),
        parent: parent.map(str::to_owned),
        members: members.iter().copied().map(id).collect(),
    }
}

/// Everything a snapshot can hold: list values, extras of both kinds,
/// every kind of status, dates, groups with parents, withheld attributes.
fn rich_snapshot(at: DateTime<Utc>) -> Snapshot {
    let team = FieldId::custom("work.custom.field_team");
    let mut ceo = user("1", None);
    ceo.extra.insert(
        team.clone(),
        ExtraValue::List(ListValue::new("t2", "Platform")),
    );
    ceo.extra.insert(
        FieldId::custom("work.custom.field_badge"),
        ExtraValue::Json(json!({"number": 7, "colours": ["red", null]})),
    );
    let mut leaver = user("2", Some("1"));
    leaver.lifecycle_status = Some(LifecycleStatus::Terminated);
    leaver.internal_status = Some(InternalStatus::Inactive);
    leaver.termination_date = Some(date("2026-10-31"));
    leaver.extra.insert(
        FieldId::custom("address.city"),
        ExtraValue::Json(json!("Lyon")),
    );
    let mut other = user("3", Some("1"));
    other.lifecycle_status = Some(LifecycleStatus::Unknown("Parental leave".into()));
    other.internal_status = Some(InternalStatus::Unknown("Suspended".into()));
    other.site = None;
    other.email = None;
    let groups = [
        group(field::DEPARTMENT, "d1", "Sales", None, &["1", "2", "3"]),
        group(field::SITE, "10", "London", None, &["1", "2"]),
        group(team.clone(), "t1", "Engineering", None, &[]),
        group(team, "t2", "Platform", Some("t1"), &["1"]),
    ];
    let withheld = BTreeSet::from(["manager_email".to_owned(), "work.custom.field_x".to_owned()]);
    Snapshot::from_parts([ceo, leaver, other], groups, at, withheld)
}

/// `snapshot` with user 1 alone, group `d1` alone and nothing withheld.
fn only_the_first_user(snapshot: Snapshot) -> Snapshot {
    let users = snapshot
        .users
        .into_values()
        .filter(|u| u.id.as_str() == "1");
    let groups = snapshot.groups.into_values().filter(|g| g.key.id == "d1");
    Snapshot::from_parts(users, groups, snapshot.at, BTreeSet::new())
}

/// One event of most kinds, at `at`.
fn events(at: DateTime<Utc>) -> Vec<Event> {
    let group = GroupKey::new(field::DEPARTMENT, "d1");
    let changes = BTreeMap::from([(
        "email".to_owned(),
        Change {
            old: json!("a@example.com"),
            new: json!(null),
        },
    )]);
    let kinds = [
        EventKind::UserCreated {
            user: Box::new(user("4", Some("1"))),
        },
        EventKind::UserUpdated {
            user_id: id("1"),
            changes,
        },
        EventKind::UserDeactivated {
            user_id: id("2"),
            status: Some("terminated".into()),
        },
        EventKind::UserManagerChanged {
            user_id: id("3"),
            old: None,
            new: Some(id("1")),
        },
        EventKind::GroupCreated {
            group: GroupInfo {
                field: field::DEPARTMENT,
                id: "d9".into(),
                name: "New".into(),
                parent: Some("d1".into()),
            },
        },
        EventKind::GroupRenamed {
            group: group.clone(),
            old: "Sales".into(),
            new: "Revenue".into(),
        },
        EventKind::GroupMemberRemoved {
            group,
            user_id: id("2"),
        },
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(n, kind)| Event {
            event_id: format!("{:032x}", n + at.timestamp_micros() as usize),
            at,
            kind,
        })
        .collect()
}

/// `loaded` holds what `saved` held (the manager tree is rebuilt).
fn assert_same(loaded: &Snapshot, saved: &Snapshot) {
    assert_eq!(loaded.users, saved.users);
    assert_eq!(loaded.groups, saved.groups);
    assert_eq!(loaded.at, saved.at);
    assert_eq!(loaded.withheld, saved.withheld);
    assert_eq!(loaded.managers, saved.managers);
}
