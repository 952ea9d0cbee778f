//! Every built-in table on the fake, through the typed API: each
//! per-employee read and each bulk read the catalog documents equals the
//! fake's truth (typed fields decoded); a bulk employee whose rows span
//! pages is regrouped in ⌈rows/limit⌉ requests; a denied category is a 403
//! naming it in Bob's words; a bulk read the catalog says does not exist is
//! refused before sending (and 404 at the fake, as are per-employee reads
//! of bulk-only tables); `includeArchived` is sent
//! only when asked for, on the four history tables; table metadata lists
//! every table with the columns (custom ones included) its rows carry.

use std::collections::{BTreeMap, BTreeSet};

use futures::TryStreamExt;
use hibob::tables::{
    BulkItem, BulkTable, EmployeeHistory, EmployeeTable, PerEmployeeTable, TableRows,
};
use hibob::testing::{Company, FakeHibob};
use hibob::{Client, Error};
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::Mock;
use wiremock::matchers::path;

use crate::support;

const EMPLOYEES: usize = 80;

async fn fake() -> (FakeHibob, Client) {
    let fake = support::fake(EMPLOYEES, 19).await;
    let client = support::fake_client(&fake);
    (fake, client)
}

/// The truth's rows of one table for one employee.
fn truth_rows(company: &Company, id: &str, table: EmployeeTable) -> Vec<Value> {
    let emp = company.employee(id).unwrap();
    match table.history_table() {
        Some(history) => emp.history(history).to_vec(),
        None => (emp.other_tables.get(table.as_str()).cloned()).unwrap_or_default(),
    }
}

/// `got` (a decoded row serialized back) says what `want` (the served row)
/// says: members left out or `null` are the same, and a number may come
/// back as the text a string column keeps it as.
fn same(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(want), Value::Object(got)) => want
            .iter()
            .all(|(k, v)| same(v, got.get(k).unwrap_or(&Value::Null))),
        (Value::Object(want), Value::Null) => want.values().all(Value::is_null),
        (Value::Number(n), Value::String(s)) => n.to_string() == *s,
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (want, got) => want == got,
    }
}

fn assert_rows<E: Serialize>(table: EmployeeTable, id: &str, got: &[E], want: &[Value]) {
    assert_eq!(got.len(), want.len(), "{table} {id}");
    for (got, want) in got.iter().zip(want) {
        let got = serde_json::to_value(got).unwrap();
        assert!(same(want, &got), "{table} {id}:\n{want}\n{got}");
    }
}

/// Every employee's typed per-employee read equals the truth.
async fn per_employee<E>(client: &Client, truth: &Company) -> usize
where
    E: PerEmployeeTable + Serialize,
{
    let mut rows = 0;
    for emp in &truth.employees {
        let read: TableRows<E> = client.tables().rows::<E>(&emp.id).await.unwrap();
        assert!(
            read.restricted_columns.is_none(),
            "no field-level permissions"
        );
        assert_rows(
            E::ID,
            &emp.id,
            &read.rows,
            &truth_rows(truth, &emp.id, E::ID),
        );
        rows += read.rows.len();
    }
    rows
}

#[tokio::test]
async fn every_per_employee_read_equals_the_truth_typed() {
    let (fake, client) = fake().await;
    let truth = fake.truth();
    let counts = [
        per_employee::<hibob::tables::LifecycleEntry>(&client, &truth).await,
        per_employee::<hibob::tables::EmploymentEntry>(&client, &truth).await,
        per_employee::<hibob::tables::WorkEntry>(&client, &truth).await,
        per_employee::<hibob::tables::SalaryEntry>(&client, &truth).await,
        per_employee::<hibob::tables::VariableEntry>(&client, &truth).await,
        per_employee::<hibob::tables::EquityEntry>(&client, &truth).await,
        per_employee::<hibob::tables::TrainingEntry>(&client, &truth).await,
        per_employee::<hibob::tables::BankAccountEntry>(&client, &truth).await,
    ];
    assert!(counts.iter().all(|n| *n > 0), "{counts:?}");
    assert_eq!(
        fake.request_count(),
        8 * EMPLOYEES,
        "one request a table and employee"
    );

    // Typed fields decoded: money in the employee's salary currency, IBANs.
    let tables = client.tables();
    let mut seen = (false, false);
    for emp in &truth.employees {
        let currency = emp.salary_history.last().unwrap()["base"]["currency"].clone();
        for row in tables.variable_pay(&emp.id).await.unwrap().rows {
            let amount = row.amount.expect("variable pay has an amount");
            assert_eq!(json!(amount.currency), currency);
            assert!(amount.value > 0.0 && row.variable_type.is_some());
            assert!(row.common.effective_date.unwrap() >= emp.start_date);
            seen.0 = true;
        }
        let served = truth_rows(&truth, &emp.id, EmployeeTable::BankAccounts);
        let accounts = tables.bank_accounts(&emp.id).await.unwrap().rows;
        assert!((1..=2).contains(&accounts.len()));
        for (row, want) in accounts.iter().zip(&served) {
            assert_eq!(row.iban.as_deref(), want["iban"].as_str());
            seen.1 |= row.iban.is_some();
            assert!(row.allocation.is_some() && row.bank_name.is_some());
        }
        let ids: BTreeSet<i64> = accounts.iter().map(|r| r.common.id).collect();
        assert_eq!(
            ids.len(),
            accounts.len(),
            "IDs unique per employee and table"
        );
    }
    assert!(seen.0 && seen.1, "{seen:?}");
}

/// Every employee's rows of a bulk table, regrouped, by employee ID.
async fn bulk<E: BulkTable>(client: &Client, limit: u32) -> BTreeMap<String, EmployeeHistory<E>> {
    let items: Vec<BulkItem<E>> = (client.tables().bulk::<E>().limit(limit).stream())
        .try_collect()
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for item in items {
        let BulkItem::Employee(history) = item else {
            panic!("everyone is visible")
        };
        let id = history.employee_id.as_str().to_owned();
        assert!(out.insert(id, history).is_none(), "each employee once");
    }
    out
}

async fn bulk_equals_truth<E: BulkTable + Serialize>(
    fake: &FakeHibob,
    client: &Client,
    truth: &Company,
) {
    let table = E::ID;
    fake.reset_requests();
    let got = bulk::<E>(client, 37).await;
    let mut rows = 0;
    for emp in &truth.employees {
        let want = truth_rows(truth, &emp.id, table);
        rows += want.len();
        match got.get(&emp.id) {
            Some(history) => assert_rows(table, &emp.id, &history.rows, &want),
            None => assert!(want.is_empty(), "{table}: {} left out", emp.id),
        }
    }
    assert!(rows > 0, "{table} has generated rows");
    assert_eq!(fake.request_count(), rows.div_ceil(37), "{table}");
}

#[tokio::test]
async fn every_bulk_read_equals_the_truth_typed_in_the_fewest_requests() {
    let (fake, client) = fake().await;
    let truth = fake.truth();
    use hibob::tables::*;
    bulk_equals_truth::<LifecycleEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<EmploymentEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<WorkEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<SalaryEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<VariableEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<EquityEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<DeductionEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<EntitlementEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<DependentEntry>(&fake, &client, &truth).await;
    bulk_equals_truth::<RightToWorkEntry>(&fake, &client, &truth).await;

    // Typed columns of the 2026 tables.
    let deductions = bulk::<DeductionEntry>(&client, 200).await;
    let row = &deductions.values().next().unwrap().rows[0];
    assert!(row.deduction.is_some() && row.amount.as_ref().unwrap().value > 0.0);
    let dependents = bulk::<DependentEntry>(&client, 200).await;
    let row = &dependents.values().next().unwrap().rows[0];
    assert!(row.extra["firstName"].is_string() && row.extra["dateOfBirth"].is_string());
}

#[tokio::test]
async fn the_by_value_reads_serve_every_table_and_refuse_a_missing_bulk_read() {
    let (fake, client) = fake().await;
    let truth = fake.truth();
    let id = truth.employees[1].id.clone();
    for table in EmployeeTable::ALL {
        fake.reset_requests();
        let one = client.tables().rows_of(table, &id).await;
        let all: Result<Vec<BulkItem<_>>, Error> = client
            .tables()
            .bulk_of(table)
            .employees([id.as_str()])
            .stream()
            .try_collect()
            .await;
        let want = truth_rows(&truth, &id, table);
        // Bulk-only tables are read for the one employee through their bulk read.
        let read = one.unwrap_or_else(|e| panic!("{table}: {e}"));
        assert_rows(table, &id, &read.rows, &want);
        match all {
            Ok(items) => {
                assert!(table.bulk_read(), "{table}");
                let rows: Vec<_> = items
                    .into_iter()
                    .flat_map(|item| match item {
                        BulkItem::Employee(history) => history.rows,
                        BulkItem::Inaccessible(e) => panic!("{e:?}"),
                        _ => Vec::new(),
                    })
                    .collect();
                assert_rows(table, &id, &rows, &want);
            }
            Err(err) => {
                assert!(!table.bulk_read(), "{table}: {err}");
                assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
            }
        }
        let sent = 1 + usize::from(table.bulk_read());
        assert_eq!(fake.request_count(), sent, "{table}: refusals send nothing");
        let per_employee = fake.request_count_for("/people/");
        assert_eq!(
            per_employee,
            usize::from(table.per_employee_read()),
            "{table}"
        );
    }
}

#[tokio::test]
async fn routes_the_catalog_does_not_document_are_404_at_the_fake() {
    let (fake, client) = fake().await;
    let id = fake.truth().employees[0].id.clone();
    for table in EmployeeTable::ALL {
        let one = client
            .get_json::<Value>(format!("/people/{{id}}/{}", table.as_str()))
            .param(&id)
            .await;
        let all = client
            .get_json::<Value>(format!("/bulk/people/{}", table.as_str()))
            .await;
        for (documented, answer) in [(table.per_employee_read(), one), (table.bulk_read(), all)] {
            match answer {
                Ok(body) => assert!(documented && body.is_object(), "{table}"),
                Err(err) => {
                    assert!(!documented, "{table}: {err}");
                    assert!(matches!(err, Error::NotFound { .. }), "{table}: {err:?}");
                }
            }
        }
    }
}

#[tokio::test]
async fn one_employee_spanning_pages_is_regrouped_in_ceil_rows_over_limit_requests() {
    let (fake, client) = fake().await;
    let truth = fake.truth();
    for table in EmployeeTable::ALL.into_iter().filter(|t| t.bulk_read()) {
        let many = (truth.employees.iter())
            .map(|e| (e.id.clone(), truth_rows(&truth, &e.id, table)))
            .filter(|(_, rows)| rows.len() >= 2)
            .take(2)
            .collect::<Vec<_>>();
        assert!(!many.is_empty(), "{table}: someone has two rows");
        let rows: usize = many.iter().map(|(_, r)| r.len()).sum();
        for limit in [1, 2] {
            fake.reset_requests();
            let items: Vec<BulkItem<_>> = client
                .tables()
                .bulk_of(table)
                .employees(many.iter().map(|(id, _)| id.as_str()))
                .limit(limit)
                .stream()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(items.len(), many.len(), "{table}: one history each");
            for (item, (id, want)) in items.iter().zip(&many) {
                let BulkItem::Employee(history) = item else {
                    panic!("{table}: {item:?}")
                };
                assert_eq!(history.employee_id.as_str(), id);
                assert_rows(table, id, &history.rows, want);
            }
            let expected = rows.div_ceil(limit as usize);
            assert_eq!(fake.request_count(), expected, "{table} limit {limit}");
        }
    }
}

#[tokio::test]
async fn a_denied_category_is_permission_denied_naming_it_in_bobs_words() {
    let (fake, client) = fake().await;
    let id = fake.truth().employees[0].id.clone();
    for table in EmployeeTable::ALL {
        fake.knobs(|k| {
            k.denied_categories.clear();
            k.deny_category(table.category_id());
        });
        let mut errors = vec![client.tables().rows_of(table, &id).await.unwrap_err()];
        if table.bulk_read() {
            let first = client.tables().bulk_of(table).stream().try_next().await;
            errors.push(first.unwrap_err());
        }
        assert!(!errors.is_empty());
        for err in errors {
            assert!(
                matches!(err, Error::PermissionDenied { .. }),
                "{table}: {err:?}"
            );
            let message = err.to_string();
            assert!(
                message.contains(table.category_name()),
                "{table}: {message}"
            );
            assert!(
                message.contains(table.read_permission()),
                "{table}: {message}"
            );
        }
    }
    // The named reads say the same, e.g. Financial for bank accounts.
    fake.knobs(|k| {
        k.denied_categories.clear();
        k.deny_category("financial");
    });
    let err = client.tables().bank_accounts(&id).await.unwrap_err();
    assert!(err.to_string().contains("Financial"), "{err}");
    assert!(
        client.tables().training(&id).await.is_ok(),
        "other categories"
    );
}

#[tokio::test]
async fn include_archived_is_sent_only_when_asked_on_the_history_tables() {
    let fake = support::fake(12, 3).await;
    let client = support::fake_client(&fake);
    let tables = client.tables();
    for table in EmployeeTable::ALL.into_iter().filter(|t| t.bulk_read()) {
        let pages: Vec<_> = tables.bulk_of(table).pages().try_collect().await.unwrap();
        assert!(!pages.is_empty());
    }
    let id = fake.truth().employees[0].id.clone();
    for table in EmployeeTable::ALL
        .into_iter()
        .filter(|t| t.per_employee_read())
    {
        tables.rows_of(table, &id).await.unwrap();
    }
    let log = fake.requests();
    assert_eq!(log.len(), 10 + 8);
    let archived = |r: &hibob::testing::RecordedRequest| {
        r.query.as_deref().unwrap_or("").contains("includeArchived")
    };
    assert!(!log.iter().any(archived), "{log:?}");

    fake.reset_requests();
    let _: Vec<_> = (tables.bulk_lifecycle().include_archived(true).pages())
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = (tables.bulk_employment().include_archived(true).pages())
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = (tables.bulk_work().include_archived(true).pages())
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = (tables.bulk_salaries().include_archived(true).pages())
        .try_collect()
        .await
        .unwrap();
    let log = fake.requests();
    assert_eq!(log.len(), 4);
    for r in &log {
        assert!(
            r.query.as_deref().unwrap().contains("includeArchived=true"),
            "{r:?}"
        );
    }
    // (`include_archived` does not exist on the other tables' requests: it
    // takes `ArchivedColumns`, which only the history rows implement.)
}

#[tokio::test]
async fn writes_are_visible_in_the_reads_of_their_table() {
    let (fake, client) = fake().await;
    let id = fake.truth().employees[4].id.clone();
    let tables = client.tables();
    let before = tables.variable_pay(&id).await.unwrap().rows.len();
    let on = fake.truth().today;
    let added = tables
        .variable_entry(&id)
        .effective_date(on)
        .amount(1_234.0, "EUR")
        .variable_type("Bonus")
        .payment_period("Annual");
    let added = added.await.unwrap().unwrap();
    let after = tables.variable_pay(&id).await.unwrap().rows;
    assert_eq!(after.len(), before + 1);
    let row = after.iter().find(|r| r.common.id == added).unwrap();
    assert_eq!(row.amount.as_ref().unwrap().currency, "EUR");

    let deduction = tables
        .deduction_entry(&id)
        .effective_date(on)
        .deduction("Union dues")
        .amount(12.0, "EUR");
    let deduction = deduction.await.unwrap().unwrap();
    let items: Vec<_> = (tables.bulk_deduction().employees([id.as_str()]).stream())
        .try_collect()
        .await
        .unwrap();
    let Some(BulkItem::Employee(history)) = items.first() else {
        panic!("{items:?}")
    };
    assert!(history.rows.iter().any(|r| r.common.id == deduction));
}

#[tokio::test]
async fn metadata_lists_every_table_with_the_columns_its_rows_carry() {
    let (fake, client) = fake().await;
    let truth = fake.truth();
    let tables = client.tables().metadata().await.unwrap();
    let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
    let all: Vec<&str> = EmployeeTable::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(ids, all);
    let common: BTreeSet<&str> = [
        "id",
        "effectiveDate",
        "endEffectiveDate",
        "activeEffectiveDate",
        "isCurrent",
        "canBeDeleted",
        "creationDate",
        "modificationDate",
        "change",
        "customColumns",
    ]
    .into();
    for meta in &tables {
        let table: EmployeeTable = meta.id.parse().unwrap();
        assert_eq!(meta.category.as_deref(), Some(table.category_id()));
        assert_eq!(meta.historical, Some(table.historical()));
        for column in &meta.columns {
            assert!(column.name.is_some() && column.column_type.is_some());
            if let Some(list) = &column.list_id {
                assert!(truth.lists.contains_key(list), "{table}: list {list}");
            }
        }
        let mut custom_seen = BTreeSet::new();
        for emp in &truth.employees {
            for row in truth_rows(&truth, &emp.id, table) {
                for key in row.as_object().unwrap().keys() {
                    let known = common.contains(key.as_str()) || meta.column(key).is_some();
                    assert!(known, "{table}: `{key}` is in no column");
                }
                for key in row["customColumns"].as_object().unwrap().keys() {
                    let column = meta.column(key).expect("custom column in metadata");
                    assert_eq!(column.custom, Some(true), "{table}: {key}");
                    custom_seen.insert(key.clone());
                }
            }
        }
        let custom: BTreeSet<String> = (meta.columns.iter())
            .filter(|c| c.custom == Some(true))
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(
            custom_seen, custom,
            "{table}: generated rows carry each custom column"
        );
        if matches!(table, EmployeeTable::Work | EmployeeTable::VariablePay) {
            assert!(custom.iter().all(|c| c.starts_with("column_")) && !custom.is_empty());
        }
    }
    let work = &tables[2];
    assert_eq!(
        work.column("title").unwrap().list_id.as_deref(),
        Some("title")
    );

    let one = client
        .tables()
        .table_metadata(EmployeeTable::BankAccounts)
        .await
        .unwrap();
    assert_eq!(
        &one,
        tables.iter().find(|t| t.id == "bank-accounts").unwrap()
    );
    assert!(one.column("iban").is_some());
    let unknown = client
        .get_json::<Value>("/company/people/employee-tables/metadata/{table_id}")
        .param("address")
        .await
        .unwrap_err();
    assert!(matches!(unknown, Error::NotFound { .. }), "{unknown:?}");
}

#[tokio::test]
async fn restricted_columns_of_the_new_tables_are_surfaced_as_before() {
    let server = support::server().await;
    let restricted = json!({"no_view_permission": ["iban"], "no_view_history_permission": []});
    let one = json!({"values": [{"id": 1, "iban": null}], "restricted_columns": restricted});
    Mock::given(path("/v1/people/9/bank-accounts"))
        .respond_with(support::json(one).insert_header("x-has-restricted-columns", "true"))
        .mount(&server)
        .await;
    let page = json!({
        "results": [{"employeeId": "9", "values": [{"id": 2, "amount": null}]}],
        "restricted_columns": {"no_view_permission": ["amount"]},
        "response_metadata": {"next_cursor": null}, "errors": [],
    });
    Mock::given(path("/v1/bulk/people/deduction"))
        .respond_with(support::json(page).insert_header("x-has-restricted-columns", "true"))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let read = client.tables().bank_accounts("9").await.unwrap();
    assert_eq!(
        read.restricted_columns.unwrap().no_view_permission,
        ["iban"]
    );
    assert_eq!(read.rows[0].iban, None);
    let items: Vec<_> = (client.tables().bulk_deduction().stream())
        .try_collect()
        .await
        .unwrap();
    let Some(BulkItem::Employee(history)) = items.first() else {
        panic!("{items:?}")
    };
    let restricted = history.restricted_columns.as_ref().unwrap();
    assert_eq!(restricted.no_view_permission, ["amount"]);
}
