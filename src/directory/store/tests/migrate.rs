//! `roster_sync` 0.1 state files, made with 0.1's own schema SQL and rows
//! shaped as its `state.rs` writes them, migrated on first open.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::{Value, json};
use tempfile::TempDir;

use super::{date, id};
use crate::directory::store::{SqliteStore, Store, StoreError};
use crate::directory::{ExtraValue, GroupKey, ListValue, Snapshot, User, diff};
use crate::field;
use crate::metadata::{FieldMeta, Labels, NamedList};
use crate::models::FieldId;
use crate::people::{Employee, InternalStatus, LifecycleStatus};

/// Verbatim from `examples/roster_sync/state.rs` (`State::open`).
const SCHEMA_0_1: &str =
    "CREATE TABLE IF NOT EXISTS employee (id TEXT PRIMARY KEY, columns TEXT NOT NULL);
     CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);";

const LAST_RUN: &str = "2026-11-30T06:00:00.250+00:00";

/// Ada: every standard column, list items under `#…`, a list extra and a
/// text extra named by field ID, and a renamed extra (`cost_centre`).
fn ada() -> Value {
    json!({
        "id": "1", "employee_id_in_company": "E1", "email": "ada@example.com",
        "first_name": "Ada", "last_name": "Lovelace", "display_name": "Ada Lovelace",
        "title": "Engineer", "department": "Engineering", "site": "London",
        "manager_id": null, "manager_email": null, "status": "employed",
        "internal_status": "Active", "start_date": "2020-01-06", "termination_date": null,
        "work.custom.field_team": "Platform", "address.city": "Lyon", "cost_centre": "CC-1",
        "#title": "ti1", "#department": "d2", "#site": "10",
        "#work.custom.field_team": "t2", "#address.city": "Lyon", "#cost_centre": "CC-1",
    })
}

/// Bob: a leaver reporting to Ada, whose site has a label only (files from
/// before `#…` items), no title, and no team.
fn bob() -> Value {
    json!({
        "id": "2", "employee_id_in_company": "E2", "email": "bob@example.com",
        "first_name": "Bob", "last_name": "Babbage", "display_name": "Bob Babbage",
        "title": null, "department": "Engineering", "site": "Paris",
        "manager_id": "1", "manager_email": "ada@example.com", "status": "terminated",
        "internal_status": "Inactive", "start_date": "2021-03-01",
        "termination_date": "2026-10-31", "work.custom.field_team": null,
        "address.city": null, "cost_centre": null, "#department": "d2",
    })
}

/// A 0.1 file with `rows` (column maps, or any JSON text) and, if given,
/// the `last_run` time, written as 0.1's `State::save` does.
fn file_0_1(rows: &[(&str, String)], last_run: Option<&str>) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(SCHEMA_0_1).unwrap();
    for (id, columns) in rows {
        conn.execute(
            "INSERT INTO employee (id, columns) VALUES (?1, ?2)",
            params![id, columns],
        )
        .unwrap();
    }
    if let Some(at) = last_run {
        conn.execute(
            "INSERT OR REPLACE INTO run (key, value) VALUES ('last_run', ?1)",
            params![at],
        )
        .unwrap();
    }
    (dir, path)
}

fn ada_and_bob() -> (TempDir, PathBuf) {
    file_0_1(
        &[("1", ada().to_string()), ("2", bob().to_string())],
        Some(LAST_RUN),
    )
}

fn list(item: &str, label: &str) -> Option<ListValue> {
    Some(ListValue::new(item, label))
}

fn expected_ada() -> User {
    User {
        id: id("1"),
        employee_number: Some("E1".into()),
        email: Some("ada@example.com".into()),
        first_name: Some("Ada".into()),
        surname: Some("Lovelace".into()),
        display_name: Some("Ada Lovelace".into()),
        title: list("ti1", "Engineer"),
        department: list("d2", "Engineering"),
        site: list("10", "London"),
        manager_id: None,
        manager_email: None,
        lifecycle_status: Some(LifecycleStatus::Employed),
        internal_status: Some(InternalStatus::Active),
        start_date: Some(date("2020-01-06")),
        termination_date: None,
        extra: BTreeMap::from([
            (
                FieldId::custom("address.city"),
                ExtraValue::Json(json!("Lyon")),
            ),
            (
                FieldId::custom("work.custom.field_team"),
                ExtraValue::List(ListValue::new("t2", "Platform")),
            ),
        ]),
    }
}

fn expected_bob() -> User {
    User {
        id: id("2"),
        employee_number: Some("E2".into()),
        email: Some("bob@example.com".into()),
        first_name: Some("Bob".into()),
        surname: Some("Babbage".into()),
        display_name: Some("Bob Babbage".into()),
        title: None,
        department: list("d2", "Engineering"),
        site: list("Paris", "Paris"),
        manager_id: Some(id("1")),
        manager_email: Some("ada@example.com".into()),
        lifecycle_status: Some(LifecycleStatus::Terminated),
        internal_status: Some(InternalStatus::Inactive),
        start_date: Some(date("2021-03-01")),
        termination_date: Some(date("2026-10-31")),
        extra: BTreeMap::new(),
    }
}

fn table_names(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let names = statement.query_map([], |row| row.get(0)).unwrap();
    names.map(Result::unwrap).collect()
}

fn user_version(path: &Path) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_0_1_file_becomes_users_groups_and_the_run_time() {
    let (_dir, path) = ada_and_bob();
    let store = SqliteStore::open(&path).await.unwrap();
    let snapshot = store.load().await.unwrap().expect("the 0.1 roster");

    let users: Vec<&User> = snapshot.users.values().collect();
    assert_eq!(users, [&expected_ada(), &expected_bob()]);
    let at: DateTime<Utc> = "2026-11-30T06:00:00.250Z".parse().unwrap();
    assert_eq!(snapshot.at, at);
    assert!(snapshot.withheld.is_empty());
    assert!(snapshot.findings.is_empty(), "{:?}", snapshot.findings);
    assert_eq!(snapshot.managers.manager(&id("2")), Some(&id("1")));

    let groups: Vec<(&GroupKey, &str, Vec<&str>)> = snapshot
        .groups
        .iter()
        .map(|(key, g)| {
            assert_eq!(g.parent, None);
            (
                key,
                g.name.as_str(),
                g.members.iter().map(|m| m.as_str()).collect(),
            )
        })
        .collect();
    let key = |field: FieldId, item: &str| GroupKey::new(field, item);
    assert_eq!(
        groups,
        [
            (&key(field::DEPARTMENT, "d2"), "Engineering", vec!["1", "2"]),
            (&key(field::SITE, "10"), "London", vec!["1"]),
            (&key(field::SITE, "Paris"), "Paris", vec!["2"]),
        ]
    );
    assert!(store.batches_after(None).await.unwrap().is_empty());
    assert_eq!(table_names(&path), ["batches", "groups", "meta", "users"]);
    assert_eq!(user_version(&path), 1);
}

#[tokio::test]
async fn a_migrated_file_opens_as_is_and_saves() {
    let (_dir, path) = ada_and_bob();
    let first = SqliteStore::open(&path).await.unwrap();
    let migrated = first.load().await.unwrap().unwrap();
    drop(first);

    let store = SqliteStore::open(&path).await.unwrap();
    let again = store.load().await.unwrap().unwrap();
    assert_eq!(again.users, migrated.users);
    assert_eq!(again.at, migrated.at);
    let mut next = migrated.clone();
    next.users.remove(&id("2"));
    store.save(&next, &[]).await.unwrap();
    assert_eq!(store.load().await.unwrap().unwrap().users.len(), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn a_migrated_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = ada_and_bob();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    SqliteStore::open(&path).await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn without_a_run_time_the_snapshot_is_dated_now() {
    let (_dir, path) = file_0_1(&[("1", ada().to_string())], None);
    let before = Utc::now();
    let store = SqliteStore::open(&path).await.unwrap();
    let at = store.load().await.unwrap().unwrap().at;
    assert!(before <= at && at <= Utc::now(), "{at}");
}

#[tokio::test]
async fn a_0_1_file_that_never_ran_has_no_snapshot() {
    let (_dir, path) = file_0_1(&[], None);
    let store = SqliteStore::open(&path).await.unwrap();
    assert!(store.load().await.unwrap().is_none());
    assert_eq!(table_names(&path), ["batches", "groups", "meta", "users"]);
}

fn refused(result: Result<SqliteStore, StoreError>) -> (String, String) {
    match result {
        Err(StoreError::Unreadable { detail, remedy, .. }) => (detail, remedy),
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[tokio::test]
async fn unexpected_columns_are_refused_with_the_remedy_and_the_file_is_kept() {
    for columns in [r#"{"email": 5}"#, "[1, 2]", "not json"] {
        let rows = [("1", ada().to_string()), ("7", columns.to_owned())];
        let (_dir, path) = file_0_1(&rows, Some(LAST_RUN));
        let (detail, remedy) = refused(SqliteStore::open(&path).await);
        assert!(detail.contains("employee 7's columns"), "{detail}");
        assert!(remedy.contains("cannot be migrated"), "{remedy}");
        assert!(remedy.contains("fresh baseline"), "{remedy}");
        assert_eq!(table_names(&path), ["employee", "run"], "left as it was");
        assert_eq!(user_version(&path), 0);
    }
}

#[tokio::test]
async fn a_date_that_does_not_parse_is_refused() {
    let mut row = bob();
    row["termination_date"] = json!("31/10/2026");
    let (_dir, path) = file_0_1(&[("2", row.to_string())], Some(LAST_RUN));
    let (detail, _) = refused(SqliteStore::open(&path).await);
    assert!(detail.contains("employee 2's termination_date"), "{detail}");
    assert_eq!(table_names(&path), ["employee", "run"]);
}

#[tokio::test]
async fn an_employee_table_of_another_shape_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE employee (id TEXT, name TEXT);")
        .unwrap();
    let (detail, remedy) = refused(SqliteStore::open(&path).await);
    assert!(detail.contains("0.1 columns"), "{detail}");
    assert!(remedy.contains("fresh baseline"), "{remedy}");
}

/// Labels and employees as HiBob would send Ada and Bob today.
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
        field("work.custom.field_team", "list", Some("team")),
        field("address.city", "text", None),
    ];
    let list = |name: &str, items: Value| -> NamedList {
        serde_json::from_value(json!({"name": name, "items": items})).unwrap()
    };
    let lists = vec![
        list("department", json!([{"id": "d2", "name": "Engineering"}])),
        list("title", json!([{"id": "ti1", "name": "Engineer"}])),
        list("site", json!([{"id": 10, "name": "London"}])),
        list("team", json!([{"id": "t2", "name": "Platform"}])),
    ];
    Labels::new(fields, lists)
}

fn employees_today() -> Vec<Employee> {
    let ada = json!({
        "id": "1", "email": "ada@example.com", "firstName": "Ada", "surname": "Lovelace",
        "displayName": "Ada Lovelace",
        "work": {"title": "ti1", "department": "d2", "site": "London", "siteId": 10,
                 "manager": null, "startDate": "2020-01-06", "employeeIdInCompany": "E1",
                 "custom": {"field_team": "t2"}},
        "address": {"city": "Lyon"},
        "internal": {"status": "Active", "lifecycleStatus": "employed", "terminationDate": null},
    });
    let bob = json!({
        "id": "2", "email": "bob@example.com", "firstName": "Bob", "surname": "Babbage",
        "displayName": "Bob Babbage",
        "work": {"title": null, "department": "d2", "site": "Paris", "siteId": null,
                 "manager": "1", "reportsTo": {"id": "1", "email": "ada@example.com"},
                 "startDate": "2021-03-01", "employeeIdInCompany": "E2",
                 "custom": {"field_team": null}},
        "address": {},
        "internal": {"status": "Inactive", "lifecycleStatus": "terminated",
                     "terminationDate": "2026-10-31"},
    });
    [ada, bob]
        .into_iter()
        .map(|e| Employee::from_value(e).unwrap())
        .collect()
}

/// The point of migrating: the first sync after it reports what changed
/// since the 0.1 run, not everyone. (Bob's city is absent here: 0.1 wrote
/// `null` for absent and null alike, and the migration reads it as absent,
/// while a snapshot keeps a JSON `null` that HiBob sends for a text field.)
#[tokio::test]
async fn the_first_sync_after_migration_reports_no_change_for_the_unchanged() {
    let (_dir, path) = ada_and_bob();
    let store = SqliteStore::open(&path).await.unwrap();
    let migrated = store.load().await.unwrap().unwrap();
    let labels = labels();
    let extras = [
        FieldId::custom("work.custom.field_team"),
        FieldId::custom("address.city"),
    ];
    let today: Snapshot = Snapshot::builder(employees_today(), &labels, Utc::now())
        .extra_fields(extras)
        .build();
    assert_eq!(today.users, migrated.users, "the same rows as HiBob gives");
    let changes = diff(&migrated, &today).unwrap();
    assert!(changes.events.is_empty(), "{:#?}", changes.events);
}
