//! User events and the guards of `diff`.

use serde_json::{Value, json};

use super::{day, person, snap};
use crate::directory::{DiffError, DiffOptions, EventKind, Finding, diff, diff_with};
use crate::models::EmployeeId;

fn types(rows_before: Vec<Value>, rows_after: Vec<Value>) -> Vec<(String, Value)> {
    let changes = diff(&snap(rows_before, day(1)), &snap(rows_after, day(2))).unwrap();
    changes
        .events
        .iter()
        .map(|e| {
            (
                e.kind.type_name().to_owned(),
                serde_json::to_value(e).unwrap(),
            )
        })
        .collect()
}

fn user_only(events: Vec<(String, Value)>) -> Vec<(String, Value)> {
    events
        .into_iter()
        .filter(|(t, _)| t.starts_with("user."))
        .collect()
}

fn keys(line: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = line
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn the_same_snapshot_twice_gives_no_events() {
    let rows = || vec![person("1", None), person("2", Some("1"))];
    let changes = diff(&snap(rows(), day(1)), &snap(rows(), day(2))).unwrap();
    assert!(changes.events.is_empty(), "{:?}", changes.events);
    assert!(changes.findings.is_empty());
}

#[test]
fn a_new_user_is_one_created_event_with_the_whole_row() {
    let events = user_only(types(
        vec![person("1", None)],
        vec![person("1", None), person("2", None)],
    ));
    let [(kind, line)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(kind, "user.created");
    assert_eq!(keys(line), ["at", "event_id", "type", "user"]);
    assert_eq!(line["user"]["id"], "2");
    assert_eq!(
        line["user"]["department"],
        json!({"id": "d1", "label": "Sales"})
    );
    assert_eq!(line["at"], "2026-11-02T06:00:00Z");
}

#[test]
fn a_changed_attribute_is_one_updated_event_with_old_and_new() {
    let mut after = person("1", None);
    after["email"] = json!("new@example.com");
    after["work"]["title"] = json!("ti2");
    let events = types(vec![person("1", None)], vec![after]);
    let [(kind, line)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(kind, "user.updated");
    assert_eq!(keys(line), ["at", "changes", "event_id", "type", "user_id"]);
    assert_eq!(
        line["changes"]["email"],
        json!({"old": "1@example.com", "new": "new@example.com"})
    );
    assert_eq!(
        line["changes"]["title"]["new"],
        json!({"id": "ti2", "label": "Manager"})
    );
    assert_eq!(line["changes"].as_object().unwrap().len(), 2);
}

#[test]
fn termination_is_deactivated_and_the_reverse_is_reactivated() {
    let mut gone = person("1", None);
    gone["internal"] = json!({"status": "Inactive", "lifecycleStatus": "terminated", "terminationDate": "2026-11-01"});
    let events = user_only(types(vec![person("1", None)], vec![gone.clone()]));
    let kinds: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        kinds,
        ["user.deactivated", "user.updated"],
        "the date still changes"
    );
    assert_eq!(
        keys(&events[0].1),
        ["at", "event_id", "status", "type", "user_id"]
    );
    assert_eq!(events[0].1["status"], "terminated");
    let changed = events[1].1["changes"].as_object().unwrap();
    let names: Vec<&str> = changed.keys().map(String::as_str).collect();
    let all = ["internal_status", "lifecycle_status", "termination_date"];
    assert_eq!(names, all, "the row stays exact");

    let back = user_only(types(vec![gone], vec![person("1", None)]));
    assert_eq!(back[0].0, "user.reactivated");
    assert_eq!(back[0].1["status"], "employed");
}

#[test]
fn inactive_without_termination_is_deactivated() {
    let mut inactive = person("1", None);
    inactive["internal"]["status"] = json!("Inactive");
    let events = user_only(types(vec![person("1", None)], vec![inactive]));
    let kinds: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(kinds, ["user.deactivated", "user.updated"]);
    assert_eq!(
        events[0].1["status"], "Inactive",
        "the status that decided it"
    );
}

#[test]
fn a_future_hire_starting_is_not_reactivated() {
    let mut hire = person("1", None);
    hire["internal"] = json!({"status": "Inactive", "lifecycleStatus": "hired"});
    hire["work"]["startDate"] = json!("2026-11-02");
    let mut started = hire.clone();
    started["internal"] = json!({"status": "Active", "lifecycleStatus": "employed"});
    let events = user_only(types(vec![hire], vec![started]));
    let kinds: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(kinds, ["user.updated"], "{events:?}");
}

#[test]
fn a_user_no_longer_returned_is_removed() {
    let events = user_only(types(
        vec![person("1", None), person("2", None)],
        vec![person("1", None)],
    ));
    let [(kind, line)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(kind, "user.removed");
    assert_eq!(keys(line), ["at", "event_id", "type", "user_id"]);
    assert_eq!(line["user_id"], "2");
}

#[test]
fn a_new_manager_is_manager_changed_not_a_manager_id_update() {
    let before = vec![person("1", None), person("2", None), person("3", Some("1"))];
    let after = vec![person("1", None), person("2", None), person("3", Some("2"))];
    let events = user_only(types(before, after));
    let [(kind, line), (update, email)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(kind, "user.manager_changed");
    let all = ["at", "event_id", "new", "old", "type", "user_id"];
    assert_eq!(keys(line), all);
    assert_eq!((&line["old"], &line["new"]), (&json!("1"), &json!("2")));
    assert_eq!(
        update, "user.updated",
        "the manager's e-mail, not manager_id"
    );
    let changed: Vec<&String> = email["changes"].as_object().unwrap().keys().collect();
    assert_eq!(changed, ["manager_email"]);
}

#[test]
fn a_withheld_column_keeps_its_values_with_a_warning_not_a_flood() {
    let before = vec![person("1", None), person("2", None)];
    let mut after = before.clone();
    for row in &mut after {
        row["work"].as_object_mut().unwrap().remove("title");
    }
    let previous = snap(before, day(1));
    let mut current = snap(after, day(2));
    let changes = diff(&previous, &current).unwrap();
    assert!(changes.events.is_empty(), "{:?}", changes.events);
    assert_eq!(
        changes.findings,
        [Finding::Withheld {
            attribute: "title".into()
        }]
    );
    assert_eq!(current.users[&EmployeeId::from("1")].title, None);
    current.keep_withheld(&previous);
    assert_eq!(
        current.users[&EmployeeId::from("1")].title,
        previous.users[&EmployeeId::from("1")].title
    );
}

fn company(size: usize) -> Vec<Value> {
    (0..size)
        .map(|i| person(&format!("{i:03}"), None))
        .collect()
}

#[test]
fn a_mass_removal_is_refused_unless_forced() {
    let previous = snap(company(30), day(1));
    let current = snap(company(19), day(2)); // 11 of 30 gone: over 30 %
    let err = diff(&previous, &current).unwrap_err();
    assert_eq!(
        err,
        DiffError::MassRemoval {
            removed: 11,
            previous: 30,
            share: 0.30
        }
    );
    assert!(err.to_string().contains("force"), "{err}");
    let forced = diff_with(&previous, &current, &DiffOptions::default().force(true)).unwrap();
    assert_eq!(
        forced
            .events
            .iter()
            .filter(|e| e.kind.type_name() == "user.removed")
            .count(),
        11
    );
}

#[test]
fn the_guard_needs_both_the_share_and_ten_users() {
    let small = diff(&snap(company(20), day(1)), &snap(company(11), day(2)));
    assert!(small.is_ok(), "9 users is under the minimum of 10");
    let large = diff(&snap(company(40), day(1)), &snap(company(29), day(2)));
    assert!(large.is_ok(), "11 of 40 is under 30 %");
}

#[test]
fn an_empty_snapshot_is_always_refused() {
    let previous = snap(company(3), day(1));
    let empty = snap(Vec::new(), day(2));
    let forced = diff_with(&previous, &empty, &DiffOptions::default().force(true));
    assert_eq!(
        forced.unwrap_err(),
        DiffError::EmptySnapshot { previous: 3 }
    );
    assert!(
        diff(&snap(Vec::new(), day(1)), &empty)
            .unwrap()
            .events
            .is_empty()
    );
}

#[test]
fn event_ids_are_unique_and_stable_across_reruns() {
    let (before, after) = (snap(company(5), day(1)), snap(company(8), day(2)));
    let first = diff(&before, &after).unwrap();
    let again = diff(&before, &after).unwrap();
    assert_eq!(first, again);
    let mut ids: Vec<&str> = first.events.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids[0].len(), 32);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), first.events.len());
    let later = diff(&before, &snap(company(8), day(3))).unwrap();
    assert_ne!(
        later.events[0].event_id, first.events[0].event_id,
        "another run, another ID"
    );
}

#[test]
fn events_come_users_by_id_then_groups_then_memberships() {
    let mut moved = person("1", None);
    moved["work"]["department"] = json!("d2");
    let events = types(
        vec![person("1", None), person("3", None)],
        vec![moved, person("2", None), person("3", None)],
    );
    let kinds: Vec<(&str, &Value)> = events.iter().map(|(t, l)| (t.as_str(), l)).collect();
    let order: Vec<&str> = kinds.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        order,
        [
            "user.updated",
            "user.created",
            "group.created",
            "group.member_removed",
            "group.member_added",
            "group.member_added",
            "group.member_added",
        ]
    );
    assert_eq!(kinds[0].1["user_id"], "1");
    assert_eq!(kinds[1].1["user"]["id"], "2");
    assert_eq!(
        kinds[3].1["group"],
        json!({"field": "work.department", "id": "d1"})
    );
    assert_eq!(kinds[4].1["group"]["id"], "d1");
    assert_eq!(kinds[5].1["group"]["id"], "d2");
    assert_eq!(
        kinds[6].1["group"],
        json!({"field": "work.site", "id": "10"})
    );
}

#[test]
fn every_event_kind_knows_its_user() {
    let events = diff(&snap(company(2), day(1)), &snap(company(3), day(2)))
        .unwrap()
        .events;
    assert!(events.iter().all(|e| e.kind.user_id().is_some()));
    assert!(matches!(events[0].kind, EventKind::UserCreated { .. }));
}
