//! `Snapshot::updated_with` and `without_users` agree with a full rebuild.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;

use super::props::company;
use super::{day, snap};

/// `rows` without repeated IDs (the first kept, as the builder does).
fn unique(rows: Vec<Value>) -> Vec<Value> {
    let mut seen = BTreeSet::new();
    rows.into_iter()
        .filter(|row| seen.insert(row["id"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

proptest! {
    #[test]
    fn merging_one_fresh_read_equals_rebuilding_everyone(a in company(), b in company()) {
        let Some(fresh) = b.into_iter().next() else { return Ok(()) };
        let a = unique(a);
        let mut everyone: Vec<Value> = a.iter().filter(|row| row["id"] != fresh["id"]).cloned().collect();
        everyone.push(fresh.clone());

        let merged = snap(a, day(1)).updated_with(snap(vec![fresh], day(2)));
        let rebuilt = snap(everyone, day(2));
        prop_assert_eq!(&merged.users, &rebuilt.users);
        prop_assert_eq!(&merged.groups, &rebuilt.groups);
        prop_assert_eq!(&merged.managers, &rebuilt.managers);
        prop_assert_eq!(merged.at, rebuilt.at);
    }

    #[test]
    fn removing_users_equals_rebuilding_without_them(a in company(), gone in proptest::collection::btree_set(0u8..16, 0..4)) {
        let a = unique(a);
        let ids: BTreeSet<_> = gone.iter().map(|n| serde_json::from_value(format!("u{n}").into()).unwrap()).collect();
        let kept: Vec<Value> = a.iter().filter(|row| !gone.iter().any(|n| row["id"] == format!("u{n}").as_str())).cloned().collect();

        let removed = snap(a, day(1)).without_users(&ids, day(2));
        let rebuilt = snap(kept, day(2));
        prop_assert_eq!(&removed.users, &rebuilt.users);
        prop_assert_eq!(&removed.groups, &rebuilt.groups);
        prop_assert_eq!(&removed.managers, &rebuilt.managers);
    }
}

#[test]
fn a_fresh_read_missing_a_column_keeps_the_stored_value() {
    let mut row = super::person("u1", None);
    let before = snap(vec![row.clone()], day(1));
    row["work"].as_object_mut().unwrap().remove("department");
    let merged = before.updated_with(snap(vec![row], day(2)));
    let department = merged.users.values().next().unwrap().department.clone();
    assert_eq!(department.map(|d| d.id), Some("d1".to_owned()));
    assert!(merged.groups.keys().any(|k| k.id == "d1"));
}

#[test]
fn a_null_extra_is_no_value_like_an_absent_one() {
    let labels = super::labels();
    let badge = crate::FieldId::from("work.custom.field_badge");
    let mut with_null = super::person("u1", None);
    with_null["work"]["custom"] = serde_json::json!({"field_badge": null});
    let build = |row: Value| {
        super::builder(vec![row], &labels, day(1))
            .extra_fields([badge.clone()])
            .build()
    };
    let null = build(with_null);
    let absent = build(super::person("u1", None));
    assert!(null.users.values().next().unwrap().extra.is_empty());
    assert_eq!(null.users, absent.users);
}
