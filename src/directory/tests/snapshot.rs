//! Building a snapshot: typed rows, groups, the manager tree, findings.

use serde_json::json;

use super::{builder, day, labels, person, snap};
use crate::directory::{ExtraValue, Finding, GroupKey, ListValue};
use crate::field;
use crate::models::{EmployeeId, FieldId};
use crate::people::{InternalStatus, LifecycleStatus};

fn id(text: &str) -> EmployeeId {
    EmployeeId::from(text)
}

#[test]
fn a_user_row_is_typed_and_list_values_carry_item_id_and_label() {
    let snapshot = snap(vec![person("1", None)], day(1));
    let user = &snapshot.users[&id("1")];
    assert_eq!(user.email.as_deref(), Some("1@example.com"));
    assert_eq!(user.employee_number.as_deref(), Some("1"));
    assert_eq!(user.department, Some(ListValue::new("d1", "Sales")));
    assert_eq!(user.title, Some(ListValue::new("ti1", "Engineer")));
    assert_eq!(
        user.site,
        Some(ListValue::new("10", "London")),
        "keyed by work.siteId"
    );
    assert_eq!(user.lifecycle_status, Some(LifecycleStatus::Employed));
    assert_eq!(user.internal_status, Some(InternalStatus::Active));
    assert_eq!(user.start_date.unwrap().to_string(), "2020-01-01");
    assert!(snapshot.findings.is_empty(), "{:?}", snapshot.findings);
    assert!(snapshot.withheld.is_empty(), "{:?}", snapshot.withheld);
}

#[test]
fn extra_fields_keep_list_items_and_raw_values() {
    let mut row = person("1", None);
    row["work"]["custom"] = json!({"field_team": "t2", "field_badge": "B-7"});
    let labels = labels();
    let team = FieldId::custom("work.custom.field_team");
    let badge = FieldId::custom("work.custom.field_badge");
    let snapshot = builder(vec![row], &labels, day(1))
        .extra_fields([team.clone(), badge.clone()])
        .build();
    let user = &snapshot.users[&id("1")];
    assert_eq!(
        user.extra[&team],
        ExtraValue::List(ListValue::new("t2", "Platform"))
    );
    assert_eq!(user.extra[&badge], ExtraValue::Json(json!("B-7")));
}

#[test]
fn duplicate_user_ids_keep_the_first_and_are_a_finding() {
    let mut second = person("1", None);
    second["email"] = json!("other@example.com");
    let snapshot = snap(vec![person("1", None), second], day(1));
    assert_eq!(snapshot.users.len(), 1);
    assert_eq!(
        snapshot.users[&id("1")].email.as_deref(),
        Some("1@example.com")
    );
    assert_eq!(
        snapshot.findings,
        [Finding::DuplicateUser { user_id: id("1") }]
    );
    let group = &snapshot.groups[&GroupKey::new(field::DEPARTMENT, "d1")];
    assert_eq!(group.members.len(), 1, "the duplicate is no second member");
}

#[test]
fn the_manager_tree_gives_chains_reports_and_depths() {
    let rows = vec![
        person("1", None),
        person("2", Some("1")),
        person("3", Some("2")),
        person("4", Some("1")),
    ];
    let snapshot = snap(rows, day(1));
    let tree = &snapshot.managers;
    assert_eq!(tree.chain(&id("3")), [id("2"), id("1")]);
    assert_eq!(tree.direct_reports(&id("1")), [id("2"), id("4")]);
    assert!(tree.direct_reports(&id("3")).is_empty());
    assert_eq!(tree.depth(&id("1")), Some(0));
    assert_eq!(tree.depth(&id("2")), Some(1));
    assert_eq!(tree.depth(&id("3")), Some(2));
    assert_eq!(tree.manager(&id("4")), Some(&id("1")));
    assert!(snapshot.findings.is_empty());
}

#[test]
fn a_manager_nobody_has_is_a_finding_and_the_top_of_the_chain() {
    let snapshot = snap(
        vec![person("1", Some("99")), person("2", Some("1"))],
        day(1),
    );
    assert_eq!(
        snapshot.findings,
        [Finding::MissingManager {
            user_id: id("1"),
            manager_id: id("99")
        }]
    );
    assert_eq!(snapshot.managers.depth(&id("1")), Some(0));
    assert_eq!(snapshot.managers.chain(&id("2")), [id("1")]);
}

#[test]
fn a_manager_cycle_is_one_finding_and_never_followed_forever() {
    let rows = vec![
        person("1", Some("2")),
        person("2", Some("3")),
        person("3", Some("1")),
        person("4", Some("1")),
        person("5", Some("5")),
    ];
    let snapshot = snap(rows, day(1));
    assert_eq!(
        snapshot.findings,
        [
            Finding::ManagerCycle {
                user_ids: vec![id("1"), id("2"), id("3")]
            },
            Finding::ManagerCycle {
                user_ids: vec![id("5")]
            },
        ]
    );
    let tree = &snapshot.managers;
    assert_eq!(tree.depth(&id("1")), None);
    assert_eq!(tree.depth(&id("4")), None, "leads into the cycle");
    assert_eq!(tree.chain(&id("4")), [id("1"), id("2"), id("3")]);
    assert_eq!(tree.chain(&id("5")), Vec::<EmployeeId>::new());
}

#[test]
fn default_groups_are_departments_and_sites_with_their_members() {
    let mut paris = person("2", None);
    paris["work"]["site"] = json!("Paris");
    paris["work"]["siteId"] = json!(20);
    paris["work"]["department"] = json!("d2");
    let snapshot = snap(vec![person("1", None), paris, person("3", None)], day(1));
    let keys: Vec<_> = snapshot
        .groups
        .keys()
        .map(|k| format!("{}:{}", k.field, k.id))
        .collect();
    assert_eq!(
        keys,
        [
            "work.department:d1",
            "work.department:d2",
            "work.site:10",
            "work.site:20"
        ]
    );
    let sales = &snapshot.groups[&GroupKey::new(field::DEPARTMENT, "d1")];
    assert_eq!(sales.name, "Sales");
    assert_eq!(
        sales.members.iter().collect::<Vec<_>>(),
        [&id("1"), &id("3")]
    );
    assert_eq!(
        snapshot.groups[&GroupKey::new(field::SITE, "20")].name,
        "Paris"
    );
}

#[test]
fn a_hierarchical_list_gives_parent_and_child_groups() {
    let team = FieldId::custom("work.custom.field_team");
    let mut row = person("1", None);
    row["work"]["custom"] = json!({"field_team": "t3"});
    let labels = labels();
    let snapshot = builder(vec![row], &labels, day(1))
        .group_fields([team.clone()])
        .build();
    let group = |item: &str| &snapshot.groups[&GroupKey::new(team.clone(), item)];
    assert_eq!(snapshot.groups.len(), 3, "{:?}", snapshot.groups.keys());
    assert_eq!(
        (group("t3").name.as_str(), group("t3").parent.as_deref()),
        ("Storage", Some("t2"))
    );
    assert_eq!(
        (group("t2").name.as_str(), group("t2").parent.as_deref()),
        ("Platform", Some("t1"))
    );
    assert_eq!(group("t1").parent, None);
    assert_eq!(group("t3").members.len(), 1);
    assert!(
        group("t1").members.is_empty(),
        "members are direct holders only"
    );
}

#[test]
fn a_group_item_missing_from_the_lists_is_a_finding_named_by_its_id() {
    let mut row = person("1", None);
    row["work"]["department"] = json!("d9");
    let snapshot = snap(vec![row], day(1));
    let finding = Finding::UnknownListItem {
        field: field::DEPARTMENT,
        item: "d9".into(),
    };
    assert!(
        snapshot.findings.contains(&finding),
        "{:?}",
        snapshot.findings
    );
    assert_eq!(
        snapshot.groups[&GroupKey::new(field::DEPARTMENT, "d9")].name,
        "d9"
    );
    assert_eq!(
        snapshot.users[&id("1")].department,
        Some(ListValue::new("d9", "d9"))
    );
}

#[test]
fn a_column_absent_for_everyone_is_withheld_but_null_is_not() {
    let mut a = person("1", None);
    let mut b = person("2", None);
    a["work"].as_object_mut().unwrap().remove("title");
    b["work"].as_object_mut().unwrap().remove("title");
    b["work"]["department"] = json!(null);
    let snapshot = snap(vec![a, b], day(1));
    assert!(snapshot.withheld.contains("title"));
    assert!(
        !snapshot.withheld.contains("department"),
        "one employee has it"
    );
    assert!(
        !snapshot.withheld.contains("termination_date"),
        "null counts as present"
    );
}

#[test]
fn a_future_hire_inactive_until_their_start_is_not_deactivated() {
    let mut hire = person("1", None);
    hire["internal"] = json!({"status": "Inactive", "lifecycleStatus": "hired"});
    hire["work"]["startDate"] = json!("2027-01-04");
    let mut inactive = person("2", None);
    inactive["internal"]["status"] = json!("Inactive");
    let snapshot = snap(vec![hire, inactive, person("3", None)], day(1));
    let today = day(1).date_naive();
    assert!(!snapshot.users[&id("1")].is_deactivated(today));
    assert!(snapshot.users[&id("2")].is_deactivated(today));
    assert!(!snapshot.users[&id("3")].is_deactivated(today));
}
