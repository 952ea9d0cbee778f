//! Table-entry writes on the fake: an add, update and delete for every table
//! HiBob documents them for, each read back; every refusal before sending
//! (required column, date, currency, list item with the closest label,
//! duplicate date with `check_existing`) and by HiBob (duplicate date,
//! 403 with the permission); the currency HiBob silently drops; an add whose
//! answer was lost, applied once and never resent; a PUT resent after a
//! drop, applied once.

use hibob::chrono::NaiveDate;
use hibob::tables::{EntryTable, HistoryEntry, HistoryTable};
use hibob::testing::FakeHibob;
use hibob::{Client, Error, FieldProblem, ListHint, WriteOutcome};
use serde_json::Value;

use crate::support;

async fn fake() -> (FakeHibob, Client, String) {
    let fake = support::fake(6, 5).await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[2].id.clone();
    (fake, client, id)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn invalid_field(err: &Error) -> (&str, &FieldProblem) {
    match err {
        Error::InvalidField { field, problem } => (field, problem),
        other => panic!("expected InvalidField, got {other:?}"),
    }
}

fn writes_sent(fake: &FakeHibob) -> usize {
    let requests = fake.requests();
    requests.iter().filter(|r| r.method != "GET").count()
}

/// The rows the fake stores for a table it keeps outside the history tables.
fn other_rows(fake: &FakeHibob, id: &str, table: &str) -> Vec<Value> {
    let truth = fake.truth();
    let emp = truth.employee(id).unwrap();
    emp.other_tables.get(table).cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_work_entry_in_effect_today_changes_the_employee_and_history() {
    let (fake, client, id) = fake().await;
    let truth = fake.truth();
    let title = truth.lists["title"]
        .items
        .iter()
        .find(|i| i.label == "Data Analyst")
        .unwrap();
    let before = truth
        .employee(&id)
        .unwrap()
        .history(HistoryTable::Work)
        .len();
    let manager = truth.employees[0].id.clone();
    let added = client
        .tables()
        .work_entry(&id)
        .effective_date(truth.today)
        .site("Paris")
        .title(title.id.as_str())
        .reports_to(&manager)
        .reason("Promotion")
        .check_existing()
        .await
        .unwrap()
        .expect("the fake answers with the ID");
    let work = client.tables().work(&id).await.unwrap();
    assert_eq!(work.rows.len(), before + 1);
    let row = work.rows.iter().find(|r| r.common.id == added).unwrap();
    assert_eq!(row.effective_date(), Some(truth.today));
    assert_eq!(row.site.as_deref(), Some("Paris"));
    let after = fake.truth();
    let emp = after.employee(&id).unwrap();
    assert_eq!(
        emp.title.as_ref().map(|t| t.id.as_str()),
        Some(title.id.as_str())
    );
    assert_eq!(emp.site.as_deref(), Some("Paris"));
    assert_eq!(emp.manager_id.as_deref(), Some(manager.as_str()));
    // The bulk read and people search see it too.
    let mut bulk = client
        .tables()
        .bulk_work()
        .employees([id.as_str()])
        .stream();
    let mut in_bulk = false;
    while let Some(item) = futures::TryStreamExt::try_next(&mut bulk).await.unwrap() {
        if let hibob::tables::BulkItem::Employee(history) = item {
            in_bulk |= history.rows.iter().any(|r| r.common.id == added);
        }
    }
    assert!(in_bulk, "the bulk read shows the new row");
    let person = client
        .people()
        .get(&id)
        .fields([hibob::field::TITLE])
        .await
        .unwrap();
    assert_eq!(person.title(), Some(title.id.as_str()));
}

#[tokio::test]
async fn work_and_employment_updates_replace_the_entry_and_deletes_remove_it() {
    let (_fake, client, id) = fake().await;
    let on = day(2032, 1, 1);
    let entry = client
        .tables()
        .work_entry(&id)
        .effective_date(on)
        .site("Paris")
        .await
        .unwrap()
        .unwrap();
    let updated = client
        .tables()
        .work_entry(&id)
        .effective_date(on)
        .site("New York")
        .update(entry)
        .await
        .unwrap();
    assert_eq!(updated, WriteOutcome::Applied(()));
    let work = client.tables().work(&id).await.unwrap();
    let row = work.rows.iter().find(|r| r.common.id == entry).unwrap();
    assert_eq!(row.site.as_deref(), Some("New York"));
    let gone = client
        .tables()
        .delete_entry(EntryTable::Work, &id, entry)
        .await
        .unwrap();
    assert_eq!(gone, WriteOutcome::Applied(()));
    let work = client.tables().work(&id).await.unwrap();
    assert!(work.rows.iter().all(|r| r.common.id != entry));
    // Deleting it again: HiBob's 404 on a first attempt is an error.
    let again = client
        .tables()
        .delete_entry(EntryTable::Work, &id, entry)
        .await;
    assert!(matches!(again, Err(Error::NotFound { .. })), "{again:?}");

    let employment = client
        .tables()
        .employment_entry(&id)
        .effective_date(on)
        .contract("Part time")
        .weekly_hours(20.0)
        .fte(50.0)
        .await
        .unwrap()
        .unwrap();
    let replaced = client
        .tables()
        .employment_entry(&id)
        .effective_date(on)
        .contract("Full time")
        .update(employment)
        .await
        .unwrap();
    assert!(replaced.changed());
    let rows = client.tables().employment(&id).await.unwrap().rows;
    let row = rows.iter().find(|r| r.common.id == employment).unwrap();
    assert_eq!(row.contract.as_deref(), Some("Full time"));
    assert_eq!(
        row.weekly_hours, None,
        "a PUT clears the columns it does not send"
    );
}

#[tokio::test]
async fn a_salary_entry_is_read_back_and_its_currency_is_checked() {
    let (fake, client, id) = fake().await;
    let on = day(2032, 2, 1);
    let salary = |currency: &str| {
        client
            .tables()
            .salary_entry(&id)
            .effective_date(on)
            .base(81_000.0, currency)
            .pay_period("Annual")
            .pay_frequency("Monthly")
    };
    salary("EUR").await.unwrap();
    let rows = client.tables().salaries(&id).await.unwrap().rows;
    let row = rows
        .iter()
        .find(|r| r.effective_date() == Some(on))
        .unwrap();
    let base = row.base.as_ref().unwrap();
    assert_eq!((base.value, base.currency.as_str()), (81_000.0, "EUR"));

    let sent = writes_sent(&fake);
    let err = salary("eur").await.unwrap_err();
    assert_eq!(invalid_field(&err).0, "base.currency");
    let missing = client
        .tables()
        .salary_entry(&id)
        .effective_date(on)
        .base(81_000.0, "EUR")
        .pay_period("Annual")
        .await
        .unwrap_err();
    assert_eq!(
        invalid_field(&missing),
        ("payFrequency", &FieldProblem::Missing)
    );
    assert!(missing.to_string().contains("payFrequency"), "{missing}");
    assert_eq!(writes_sent(&fake), sent, "refused before sending");
    // Salaries have no documented update: `salary("EUR").update(1)` does not compile.
    assert!(!EntryTable::Salaries.supports_update());
}

#[tokio::test]
async fn hibob_silently_drops_a_currency_it_does_not_know() {
    let (fake, client, id) = fake().await;
    // Sent raw, past the client's check, the way another client would.
    let entry = client
        .tables()
        .variable_entry(&id)
        .effective_date(day(2032, 3, 1))
        .column(
            "amount",
            serde_json::json!({"value": 900, "currency": "XYZ"}),
        )
        .variable_type("Bonus")
        .payment_period("Annual");
    let err = entry.await.unwrap_err();
    assert_eq!(invalid_field(&err).0, "amount.currency");
    let body = serde_json::json!({
        "effectiveDate": "2032-03-01", "variableType": "Bonus", "paymentPeriod": "Annual",
        "amount": {"value": 900, "currency": "XYZ"}
    });
    let raw = client
        .post_json::<Value>("/people/{id}/variable", &body)
        .param(&id)
        .await;
    assert!(raw.is_ok(), "{raw:?}");
    let stored = other_rows(&fake, &id, "variable");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["amount"], serde_json::json!({"value": 900}));
}

#[tokio::test]
async fn the_simple_and_2026_tables_take_adds_updates_and_deletes() {
    let (fake, client, id) = fake().await;
    // Start from empty tables (the fake generates rows), so reads show the adds only.
    fake.update(|c| c.employee_mut(&id).unwrap().other_tables.clear());
    let tables = client.tables();
    let on = day(2032, 4, 1);
    let variable = tables
        .variable_entry(&id)
        .effective_date(on)
        .amount(5_000.0, "USD")
        .variable_type("Bonus")
        .payment_period("Annual");
    let variable = variable.await.unwrap().unwrap();
    let equity = tables
        .equity_entry(&id)
        .effective_date(on)
        .quantity(100.0)
        .equity_type("Options");
    let equity = equity.exercise_price(2.5, "USD").await.unwrap().unwrap();
    let training = tables
        .training_entry(&id)
        .name("Training")
        .start_date(on)
        .cost(10.0, "GBP");
    let training = training.await.unwrap().unwrap();
    let bank = tables
        .bank_account_entry(&id)
        .bank_account_type("Checking")
        .iban("GB33BUKB2020");
    let bank = bank.allocation("remaining").await.unwrap().unwrap();
    let deduction = tables
        .deduction_entry(&id)
        .effective_date(on)
        .deduction("Health insurance")
        .amount(120.0, "EUR");
    let deduction = deduction.await.unwrap().unwrap();
    let entitlement = tables
        .entitlement_entry(&id)
        .effective_date(on)
        .amount(80.0, "EUR");
    let entitlement = entitlement
        .column("entitlement", "Lunch")
        .await
        .unwrap()
        .unwrap();
    let dependent = tables
        .dependent_entry(&id)
        .column("firstName", "Ada")
        .await
        .unwrap()
        .unwrap();
    let permit = tables
        .right_to_work_entry(&id)
        .column("documentNumber", "X1")
        .await
        .unwrap()
        .unwrap();

    // The simple tables' reads show the adds.
    let read = client.get_json::<Value>("/people/{id}/equities").param(&id);
    let read = read.await.unwrap();
    assert_eq!(read["values"][0]["quantity"], 100.0);
    assert_eq!(read["values"][0]["id"], equity);

    let updated = tables
        .equity_entry(&id)
        .effective_date(on)
        .quantity(150.0)
        .equity_type("Options")
        .update(equity)
        .await
        .unwrap();
    assert_eq!(updated, WriteOutcome::Applied(()));
    assert_eq!(other_rows(&fake, &id, "equities")[0]["quantity"], 150.0);
    let renamed = tables
        .bank_account_entry(&id)
        .bank_name("Bank")
        .update(bank);
    assert_eq!(renamed.await.unwrap(), WriteOutcome::Applied(()));
    assert_eq!(
        other_rows(&fake, &id, "bank-accounts")[0]["bankName"],
        "Bank"
    );
    assert!(
        other_rows(&fake, &id, "bank-accounts")[0]
            .get("iban")
            .is_none()
    );

    let deletes = [
        (EntryTable::VariablePay, variable, "variable"),
        (EntryTable::Equities, equity, "equities"),
        (EntryTable::Training, training, "training"),
        (EntryTable::BankAccounts, bank, "bank-accounts"),
        (EntryTable::Deduction, deduction, "deduction"),
        (EntryTable::Entitlement, entitlement, "entitlement"),
        (EntryTable::Dependents, dependent, "dependents"),
        (EntryTable::RightToWork, permit, "right-to-work"),
    ];
    for (table, entry, segment) in deletes {
        assert_eq!(other_rows(&fake, &id, segment).len(), 1, "{segment}");
        let done = tables.delete_entry(table, &id, entry).await.unwrap();
        assert_eq!(done, WriteOutcome::Applied(()), "{segment}");
        assert!(other_rows(&fake, &id, segment).is_empty(), "{segment}");
    }
}

#[tokio::test]
async fn bad_columns_are_refused_before_sending_naming_the_column() {
    let (fake, client, id) = fake().await;
    let tables = client.tables();
    let no_site = tables
        .work_entry(&id)
        .effective_date(day(2032, 5, 1))
        .await
        .unwrap_err();
    assert_eq!(
        invalid_field(&no_site),
        ("site` or `siteId", &FieldProblem::Missing)
    );
    let bad_date = tables
        .work_entry(&id)
        .column("effectiveDate", "2032-13-01")
        .site("Paris");
    let err = bad_date.await.unwrap_err();
    assert!(matches!(
        invalid_field(&err),
        ("effectiveDate", FieldProblem::Format { .. })
    ));
    let not_number = tables.employment_entry(&id).effective_date(day(2032, 5, 1));
    let err = not_number.column("fte", "full").await.unwrap_err();
    assert_eq!(invalid_field(&err).0, "fte");
    let equity = tables
        .equity_entry(&id)
        .effective_date(day(2032, 5, 1))
        .quantity(1.0);
    let err = equity.await.unwrap_err();
    assert_eq!(invalid_field(&err), ("equityType", &FieldProblem::Missing));

    let typo = tables
        .work_entry(&id)
        .effective_date(day(2032, 5, 1))
        .site("Paris");
    let err = typo.department("Enginering").await.unwrap_err();
    let (field, problem) = invalid_field(&err);
    assert_eq!(field, "department");
    assert_eq!(
        problem,
        &FieldProblem::NotInList {
            list: "department".into(),
            hint: ListHint::Closest("Engineering".into())
        }
    );
    assert!(
        err.to_string().contains("did you mean \"Engineering\""),
        "{err}"
    );
    let nowhere = tables
        .work_entry(&id)
        .effective_date(day(2032, 5, 1))
        .site_id(999_999);
    let err = nowhere.await.unwrap_err();
    assert!(matches!(
        invalid_field(&err),
        ("siteId", FieldProblem::NotInList { .. })
    ));
    assert_eq!(writes_sent(&fake), 0, "nothing was sent");
}

#[tokio::test]
async fn the_fake_refuses_what_hibob_refuses_when_the_client_is_bypassed() {
    let (fake, client, id) = fake().await;
    let no_frequency = serde_json::json!({
        "effectiveDate": "2032-09-01", "payPeriod": "Annual",
        "base": {"value": 1000, "currency": "EUR"}
    });
    let no_site = serde_json::json!({"effectiveDate": "2032-09-01", "title": "Data Analyst"});
    let bad_date = serde_json::json!({"effectiveDate": "09/01/2032", "site": "Paris"});
    for (route, body) in [
        ("/people/{id}/salaries", no_frequency),
        ("/people/{id}/work", no_site),
        ("/people/{id}/work", bad_date),
    ] {
        let sent = client.post_json::<Value>(route, &body).param(&id).await;
        assert!(
            matches!(sent, Err(Error::BadRequest { .. })),
            "{route}: {sent:?}"
        );
    }
    let unknown = client.post_json::<Value>("/people/{id}/work", &serde_json::json!({}));
    let unknown = unknown.param("1234").await;
    assert!(
        matches!(unknown, Err(Error::NotFound { .. })),
        "{unknown:?}"
    );
    let truth = fake.truth();
    assert!(
        truth
            .employee(&id)
            .unwrap()
            .history(HistoryTable::Salaries)
            .iter()
            .all(|r| r["effectiveDate"] != "2032-09-01")
    );
}

#[tokio::test]
async fn a_duplicate_effective_date_is_the_same_error_with_or_without_check_existing() {
    let (fake, client, id) = fake().await;
    let truth = fake.truth();
    let current = truth
        .employee(&id)
        .unwrap()
        .current_row(HistoryTable::Work)
        .unwrap()
        .clone();
    let date: NaiveDate = current["effectiveDate"].as_str().unwrap().parse().unwrap();
    let entry = || {
        client
            .tables()
            .work_entry(&id)
            .effective_date(date)
            .site("Paris")
    };

    let checked = entry().check_existing().await.unwrap_err();
    let existing = current["id"].as_i64();
    assert_eq!(
        invalid_field(&checked),
        (
            "effectiveDate",
            &FieldProblem::DuplicateEffectiveDate {
                date,
                existing_entry: existing
            }
        )
    );
    assert!(checked.to_string().contains("update entry"), "{checked}");
    assert_eq!(
        writes_sent(&fake),
        0,
        "check_existing refused before sending"
    );

    let by_hibob = entry().await.unwrap_err();
    assert_eq!(
        invalid_field(&by_hibob),
        (
            "effectiveDate",
            &FieldProblem::DuplicateEffectiveDate {
                date,
                existing_entry: None
            }
        )
    );
    assert!(
        by_hibob.to_string().contains("nothing was added"),
        "{by_hibob}"
    );
    assert_eq!(writes_sent(&fake), 1, "HiBob refused it; not resent");
    let rows = fake
        .truth()
        .employee(&id)
        .unwrap()
        .history(HistoryTable::Work)
        .len();
    assert_eq!(
        rows,
        truth
            .employee(&id)
            .unwrap()
            .history(HistoryTable::Work)
            .len()
    );
}

#[tokio::test]
async fn deductions_are_unique_per_date_and_type() {
    let (fake, client, id) = fake().await;
    let on = day(2032, 10, 1);
    let deduction = |kind: &str| {
        client
            .tables()
            .deduction_entry(&id)
            .effective_date(on)
            .deduction(kind)
            .amount(50.0, "EUR")
    };
    deduction("Health insurance").await.unwrap();
    deduction("Childcare vouchers").await.unwrap();
    let again = deduction("Health insurance").await.unwrap_err();
    assert!(
        matches!(
            invalid_field(&again).1,
            FieldProblem::DuplicateEffectiveDate {
                existing_entry: None,
                ..
            }
        ),
        "{again:?}"
    );
    assert_eq!(other_rows(&fake, &id, "deduction").len(), 2);
}

#[tokio::test]
async fn a_denied_table_names_the_permission_to_grant() {
    let fake = FakeHibob::builder()
        .employees(4)
        .deny_category("payroll")
        .start()
        .await;
    let client = support::fake_client(&fake);
    let id = fake.truth().employees[1].id.clone();
    let err = client
        .tables()
        .salary_entry(&id)
        .effective_date(day(2032, 6, 1))
        .base(1.0, "USD")
        .pay_period("Annual")
        .pay_frequency("Monthly")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert!(
        err.to_string().contains("People's Data > Payroll > Edit"),
        "{err}"
    );
    let delete = client
        .tables()
        .delete_entry(EntryTable::Deduction, &id, 1)
        .await
        .unwrap_err();
    assert!(
        delete.to_string().contains("Deduction table Manage"),
        "{delete}"
    );
    let unknown = client
        .tables()
        .delete_entry(EntryTable::Work, "404404", 1)
        .await
        .unwrap_err();
    assert!(matches!(unknown, Error::NotFound { .. }), "{unknown:?}");
}

#[tokio::test]
async fn an_add_applied_whose_answer_was_lost_is_not_resent() {
    let (fake, client, id) = fake().await;
    fake.knobs(|k| {
        k.drop_after_apply(1);
    });
    let before = fake
        .truth()
        .employee(&id)
        .unwrap()
        .history(HistoryTable::Salaries)
        .len();
    let err = client
        .tables()
        .salary_entry(&id)
        .effective_date(day(2032, 7, 1))
        .base(90_000.0, "GBP")
        .pay_period("Annual")
        .pay_frequency("Monthly")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(writes_sent(&fake), 1, "sent exactly once");
    let after = fake
        .truth()
        .employee(&id)
        .unwrap()
        .history(HistoryTable::Salaries)
        .len();
    assert_eq!(after, before + 1, "applied exactly once");
}

#[tokio::test]
async fn a_put_resent_after_a_drop_is_applied_once() {
    let (fake, client, id) = fake().await;
    let on = day(2032, 8, 1);
    let entry = client
        .tables()
        .work_entry(&id)
        .effective_date(on)
        .site("Paris");
    let entry = entry.await.unwrap().unwrap();
    let rows = fake
        .truth()
        .employee(&id)
        .unwrap()
        .history(HistoryTable::Work)
        .len();
    fake.knobs(|k| {
        k.drop_after_apply(1);
    });
    let update = client
        .tables()
        .work_entry(&id)
        .effective_date(on)
        .site("Tel Aviv")
        .update(entry);
    assert_eq!(update.await.unwrap(), WriteOutcome::Applied(()));
    let puts = fake.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 2, "resent once after the drop");
    let truth = fake.truth();
    let work = truth.employee(&id).unwrap().history(HistoryTable::Work);
    assert_eq!(work.len(), rows, "no second entry");
    let row = work.iter().find(|r| r["id"] == entry).unwrap();
    assert_eq!(row["site"], "Tel Aviv");
}

#[tokio::test]
async fn a_delete_resent_after_a_drop_counts_as_done() {
    let (fake, client, id) = fake().await;
    let entry = client
        .tables()
        .dependent_entry(&id)
        .column("firstName", "Ada");
    let entry = entry.await.unwrap().unwrap();
    fake.knobs(|k| {
        k.drop_after_apply(1);
    });
    let done = client
        .tables()
        .delete_entry(EntryTable::Dependents, &id, entry)
        .await
        .unwrap();
    assert_eq!(done, WriteOutcome::Applied(()));
    assert!(other_rows(&fake, &id, "dependents").is_empty());
}

#[cfg(feature = "webhooks")]
#[tokio::test]
async fn writes_send_signed_table_events_and_deletes_send_none() {
    use hibob::webhooks::{EventData, EventType};
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

    let listener = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&listener)
        .await;
    let (fake, client, id) = fake().await;
    fake.deliver_webhooks(listener.uri(), "whsec-test");
    let today = fake.truth().today;
    let entry = client
        .tables()
        .work_entry(&id)
        .effective_date(today)
        .site("Tel Aviv");
    let entry = entry.await.unwrap().unwrap();
    let moved = client
        .tables()
        .work_entry(&id)
        .effective_date(today)
        .site("Paris");
    assert!(moved.update(entry).await.unwrap().changed());
    let bank = client.tables().bank_account_entry(&id).iban("GB33BUKB2020");
    let bank = bank.await.unwrap().unwrap();
    let deleted = client
        .tables()
        .delete_entry(EntryTable::BankAccounts, &id, bank);
    assert!(deleted.await.unwrap().changed());
    assert_eq!(fake.webhooks_flushed().await, 5);

    let sent = fake.webhook_deliveries();
    let types: Vec<EventType> = sent.iter().map(|d| d.event().unwrap().event_type).collect();
    assert_eq!(
        types,
        [
            EventType::TableEntryCreated,
            EventType::EmployeeUpdated,
            EventType::TableEntryUpdated,
            EventType::EmployeeUpdated,
            EventType::TableEntryCreated,
        ]
    );
    assert!(sent.iter().all(|d| d.delivered()));
    let EventData::TableEntry(work) = sent[0].event().unwrap().data else {
        panic!("not a table event")
    };
    assert_eq!(
        (work.table_id.as_str(), work.effective_date),
        ("work", Some(today))
    );
    let EventData::TableEntry(account) = sent[4].event().unwrap().data else {
        panic!("not a table event")
    };
    assert_eq!(
        (account.table_id.as_str(), account.id),
        ("bank-accounts", Some(bank))
    );
}

#[test]
fn builders_and_futures_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    use hibob::tables::entry::{Salaries, Work};
    use hibob::tables::{EntryUpdate, EntryWrite};
    assert_send_sync::<EntryWrite<Work>>();
    assert_send_sync::<EntryUpdate<Work>>();
    assert_send_sync::<EntryWrite<Salaries>>();
    assert_send_sync::<<EntryWrite<Work> as std::future::IntoFuture>::IntoFuture>();
}

/// Sends the table write `method route` (as `WRITE_PERMISSIONS` lists it)
/// with columns that pass the client's checks, for the access list's 403 test.
pub async fn send_listed(
    client: &Client,
    id: &str,
    method: &str,
    route: &str,
) -> Result<(), Error> {
    let segment = route.split('/').nth(3).unwrap();
    let table = EntryTable::ALL
        .into_iter()
        .find(|t| t.as_str() == segment)
        .unwrap();
    let on = day(2033, 1, 1);
    let tables = client.tables();
    if method == "DELETE" {
        return tables.delete_entry(table, id, 1).await.map(drop);
    }
    let put = method == "PUT";
    macro_rules! go {
        ($write:expr) => {
            if put {
                $write.update(1).await.map(drop)
            } else {
                $write.await.map(drop)
            }
        };
    }
    match table {
        EntryTable::Work => go!(tables.work_entry(id).effective_date(on).site("Paris")),
        EntryTable::Employment => go!(tables.employment_entry(id).effective_date(on)),
        EntryTable::Salaries => {
            let salary = tables.salary_entry(id).effective_date(on).base(1.0, "EUR");
            salary
                .pay_period("Annual")
                .pay_frequency("Monthly")
                .await
                .map(drop)
        }
        EntryTable::VariablePay => go!(tables
            .variable_entry(id)
            .effective_date(on)
            .amount(1.0, "EUR")
            .variable_type("Bonus")
            .payment_period("Annual")),
        EntryTable::Equities => {
            go!(tables
                .equity_entry(id)
                .effective_date(on)
                .quantity(1.0)
                .equity_type("RSU"))
        }
        EntryTable::Training => tables.training_entry(id).name("T").await.map(drop),
        EntryTable::BankAccounts => go!(tables.bank_account_entry(id).iban("GB33")),
        EntryTable::Deduction => go!(tables
            .deduction_entry(id)
            .effective_date(on)
            .deduction("Health insurance")
            .amount(1.0, "EUR")),
        EntryTable::Entitlement => {
            go!(tables
                .entitlement_entry(id)
                .effective_date(on)
                .amount(1.0, "EUR"))
        }
        EntryTable::Dependents => go!(tables.dependent_entry(id).column("firstName", "A")),
        EntryTable::RightToWork => {
            go!(tables.right_to_work_entry(id).column("documentNumber", "1"))
        }
        other => panic!("no write for {other}"),
    }
}
