//! Unit tests of the directory module: pure, no network.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

use super::{Snapshot, SnapshotBuilder};
use crate::metadata::{FieldMeta, Labels, NamedList};
use crate::people::Employee;

mod diff_groups;
mod diff_users;
mod props;
mod refresh;
mod snapshot;

/// Fields metadata and lists: departments (flat), sites, titles, and a
/// hierarchical custom "team" list (Engineering > Platform > Storage).
fn labels() -> Labels {
    let field = |id: &str, kind: &str, list: Option<&str>| -> FieldMeta {
        serde_json::from_value(json!({"id": id, "type": kind, "typeData": {"listId": list}}))
            .unwrap()
    };
    let fields = vec![
        field("work.department", "list", Some("department")),
        field("work.title", "list", Some("title")),
        field("work.site", "text", None),
        field("work.siteId", "list_id", Some("site")),
        field("work.custom.field_team", "hierarchy-list", Some("team")),
        field("work.custom.field_badge", "text", None),
    ];
    Labels::new(fields, lists(&[("d1", "Sales"), ("d2", "Engineering")]))
}

/// The named lists with the department list given.
fn lists(departments: &[(&str, &str)]) -> Vec<NamedList> {
    let items = |pairs: &[(&str, &str)]| -> Value {
        pairs
            .iter()
            .map(|(id, name)| json!({"id": id, "name": name}))
            .collect()
    };
    let team = json!({"name": "team", "items": [
        {"id": "t1", "name": "Engineering", "children": [
            {"id": "t2", "name": "Platform", "children": [{"id": "t3", "name": "Storage"}]}
        ]}
    ]});
    [
        json!({"name": "department", "items": items(departments)}),
        json!({"name": "title", "items": items(&[("ti1", "Engineer"), ("ti2", "Manager")])}),
        json!({"name": "site", "items": [{"id": 10, "name": "London"}, {"id": 20, "name": "Paris"}]}),
        team,
    ]
    .into_iter()
    .map(|list| serde_json::from_value(list).unwrap())
    .collect()
}

fn employee(value: Value) -> Employee {
    Employee::from_value(value).unwrap()
}

/// An employed person in department d1, site London, reporting to `manager`.
fn person(id: &str, manager: Option<&str>) -> Value {
    json!({
        "id": id,
        "email": format!("{id}@example.com"),
        "firstName": format!("F{id}"),
        "surname": "S",
        "displayName": format!("F{id} S"),
        "work": {
            "department": "d1", "title": "ti1", "site": "London", "siteId": 10,
            "manager": manager,
            "reportsTo": manager.map(|m| json!({"id": m, "email": format!("{m}@example.com")})),
            "startDate": "2020-01-01", "employeeIdInCompany": id,
        },
        "internal": {"status": "Active", "lifecycleStatus": "employed", "terminationDate": null},
    })
}

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, 6, 0, 0).unwrap()
}

fn builder(rows: Vec<Value>, labels: &Labels, at: DateTime<Utc>) -> SnapshotBuilder<'_> {
    Snapshot::builder(rows.into_iter().map(employee).collect(), labels, at)
}

fn snap(rows: Vec<Value>, at: DateTime<Utc>) -> Snapshot {
    builder(rows, &labels(), at).build()
}
