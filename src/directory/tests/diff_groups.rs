//! Group and membership events.

use serde_json::{Value, json};

use super::{builder, day, labels, lists, person, snap};
use crate::directory::{Finding, Snapshot, diff};
use crate::field;
use crate::metadata::Labels;
use crate::models::FieldId;

fn lines(previous: &Snapshot, current: &Snapshot) -> Vec<Value> {
    let changes = diff(previous, current).unwrap();
    changes
        .events
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect()
}

fn of_type<'a>(lines: &'a [Value], kind: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["type"] == kind).collect()
}

#[test]
fn renaming_a_department_is_one_renamed_event_and_moves_nobody() {
    let before = snap(vec![person("1", None), person("2", None)], day(1));
    let renamed = Labels::new(
        labels().catalog.iter().cloned().collect::<Vec<_>>(),
        lists(&[("d1", "Revenue")]),
    );
    let after = builder(vec![person("1", None), person("2", None)], &renamed, day(2)).build();
    let lines = lines(&before, &after);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["type"], "group.renamed");
    assert_eq!(
        lines[0]["group"],
        json!({"field": "work.department", "id": "d1"})
    );
    assert_eq!(
        (&lines[0]["old"], &lines[0]["new"]),
        (&json!("Sales"), &json!("Revenue"))
    );
}

#[test]
fn a_new_group_is_created_with_field_id_name_and_parent() {
    let team = FieldId::custom("work.custom.field_team");
    let labels = labels();
    let mut row = person("1", None);
    let before = builder(vec![row.clone()], &labels, day(1))
        .group_fields([team.clone()])
        .build();
    row["work"]["custom"] = json!({"field_team": "t2"});
    let after = builder(vec![row], &labels, day(2))
        .group_fields([team])
        .build();
    let lines = lines(&before, &after);
    let created = of_type(&lines, "group.created");
    assert_eq!(created.len(), 2, "the child and its parent: {lines:?}");
    let keys: Vec<&str> = created[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 4, "event_id, at, type, group: {keys:?}");
    assert_eq!(
        created[0]["group"],
        json!({"field": "work.custom.field_team", "id": "t1", "name": "Engineering", "parent": null})
    );
    assert_eq!(created[1]["group"]["parent"], "t1");
    let added = of_type(&lines, "group.member_added");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["group"]["id"], "t2");
    assert_eq!(added[0]["user_id"], "1");
}

#[test]
fn a_group_nobody_holds_any_more_is_removed_with_its_members() {
    let mut moved = person("2", None);
    moved["work"]["department"] = json!("d2");
    let before = snap(vec![person("1", None), moved.clone()], day(1));
    moved["work"]["department"] = json!("d1");
    let after = snap(vec![person("1", None), moved], day(2));
    let lines = lines(&before, &after);
    let removed = of_type(&lines, "group.removed");
    assert_eq!(removed.len(), 1);
    assert_eq!(
        removed[0]["group"],
        json!({"field": "work.department", "id": "d2"})
    );
    let left = of_type(&lines, "group.member_removed");
    assert_eq!(left.len(), 1);
    assert_eq!(
        (&left[0]["group"]["id"], &left[0]["user_id"]),
        (&json!("d2"), &json!("2"))
    );
    let joined = of_type(&lines, "group.member_added");
    assert_eq!(
        (&joined[0]["group"]["id"], &joined[0]["user_id"]),
        (&json!("d1"), &json!("2"))
    );
    let keys: Vec<&str> = left[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.len(),
        5,
        "event_id, at, type, group, user_id: {keys:?}"
    );
}

#[test]
fn a_withheld_group_field_keeps_its_groups_without_events() {
    let before = snap(vec![person("1", None), person("2", None)], day(1));
    let hidden: Vec<Value> = ["1", "2"]
        .iter()
        .map(|id| {
            let mut row = person(id, None);
            row["work"].as_object_mut().unwrap().remove("department");
            row
        })
        .collect();
    let mut after = snap(hidden, day(2));
    let changes = diff(&before, &after).unwrap();
    assert!(changes.events.is_empty(), "{:?}", changes.events);
    assert!(changes.findings.contains(&Finding::Withheld {
        attribute: "work.department".into()
    }));
    after.keep_withheld(&before);
    assert_eq!(after.groups, before.groups);
    assert!(diff(&before, &after).unwrap().events.is_empty());
    assert!(after.groups.keys().any(|k| k.field == field::DEPARTMENT));
}
