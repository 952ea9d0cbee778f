//! Verify after write, on the fake: a write read back at once, after the
//! fake's read lag (within the window), and a silently dropped field
//! reported when the window ends; all on tokio's paused clock, which the
//! fake's `read_lag` follows.

use std::time::Duration;

use hibob::chrono::NaiveDate;
use hibob::people::NewEmployee;
use hibob::testing::FakeHibob;
use hibob::{Error, WriteOutcome, field};
use serde_json::json;
use tokio::time::Instant;

use crate::support;

async fn fake() -> FakeHibob {
    support::fake(6, 7).await
}

fn someone(fake: &FakeHibob) -> String {
    fake.truth().employees[0].id.clone()
}

fn hire(fake: &FakeHibob, email: &str) -> NewEmployee {
    let site = support::first_label(fake, "site");
    let start = NaiveDate::from_ymd_opt(2021, 5, 3).unwrap();
    NewEmployee::new("Ada", "Lovelace", email, site, start)
        // By label: HiBob stores the item ID; verify matches either.
        .title(support::first_label(fake, "title"))
}

#[tokio::test(start_paused = true)]
async fn an_update_stored_as_sent_is_verified_by_one_read() {
    let fake = fake().await;
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let started = Instant::now();
    let report = client
        .people()
        .update(&id)
        .set(field::FIRST_NAME, "Augusta")
        .set("about.about", "Counts things")
        .verify()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert_eq!(report.value, WriteOutcome::Applied(()));
    assert_eq!(report.reads, 1);
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(fake.truth().employee(&id).unwrap().first_name, "Augusta");
}

#[tokio::test(start_paused = true)]
async fn a_write_seen_only_after_the_read_lag_is_verified_within_the_window() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(5));
    });
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let started = Instant::now();
    let report = client
        .people()
        .update(&id)
        .set(field::FIRST_NAME, "Augusta")
        .verify()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(report.reads > 1, "the first read saw the old name");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(5), "{waited:?}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_silently_dropped_field_is_reported_when_the_window_ends() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.drop_field_on_write("about.about");
    });
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let before = fake.truth().employee(&id).unwrap().about.clone();
    let started = Instant::now();
    let report = client
        .people()
        .update(&id)
        .set(field::FIRST_NAME, "Augusta")
        .set("about.about", "Counts things")
        .verify()
        .await
        .unwrap();
    assert_eq!(started.elapsed(), hibob::verify::DEFAULT_WINDOW);
    assert!(!report.is_complete());
    assert_eq!(
        report.value,
        WriteOutcome::Applied(()),
        "HiBob says it applied"
    );
    assert_eq!(report.mismatches.len(), 1, "{report}");
    let dropped = &report.mismatches[0];
    assert_eq!(dropped.field, "about.about");
    assert_eq!(dropped.sent, json!("Counts things"));
    assert_eq!(dropped.stored, Some(json!(before)), "the old value stays");
    assert!(report.to_string().contains("about.about"), "{report}");
    assert!(report.reads > 2);
}

#[tokio::test(start_paused = true)]
async fn the_window_is_configurable() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.drop_field_on_write("about.about");
    });
    let client = support::paused_client(&fake);
    let started = Instant::now();
    let report = client
        .people()
        .update(someone(&fake))
        .set("about.about", "Counts things")
        .verify_within(Duration::from_secs(3))
        .await
        .unwrap();
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert_eq!(report.mismatches.len(), 1, "{report}");
}

#[tokio::test(start_paused = true)]
async fn a_create_is_verified_through_the_lag_that_hides_the_new_hire() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(8));
    });
    let client = support::paused_client(&fake);
    let started = Instant::now();
    let report = client
        .people()
        .create(hire(&fake, "ada@example.com"))
        .verify()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(started.elapsed() >= Duration::from_secs(8));
    assert!(report.reads > 1, "the new hire was 404 at first");
    assert_eq!(report.value.email(), Some("ada@example.com"));
    assert_eq!(fake.truth().employees.len(), 7, "created once");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_create_field_is_reported() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.drop_field_on_write("about.about");
    });
    let client = support::paused_client(&fake);
    let new = hire(&fake, "ada@example.com").field("about.about", "Counts things");
    let report = client
        .people()
        .create(new)
        .verify_within(Duration::from_secs(2))
        .await
        .unwrap();
    let fields: Vec<&str> = report.mismatches.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(fields, ["about.about"], "{report}");
    assert!(report.value.id().is_some());
}

#[tokio::test(start_paused = true)]
async fn an_email_change_is_verified_by_id() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(3));
    });
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let report = client
        .people()
        .set_email(&id, "renamed@example.com")
        .verify()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(report.reads > 1);
    assert_eq!(
        fake.truth().employee(&id).unwrap().email,
        "renamed@example.com"
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_write_is_an_error_and_reads_nothing() {
    let fake = fake().await;
    let client = support::paused_client(&fake);
    let err = client
        .people()
        .update(someone(&fake))
        .set("work.title", "1")
        .verify()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidField { .. }), "{err:?}");
    let reads = fake.request_count_for("/people/") - fake.request_count_for("/people/search");
    assert_eq!(reads, 0, "{:?}", fake.requests());
}

#[tokio::test(start_paused = true)]
async fn read_lag_hides_writes_from_reads_but_not_from_writes() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(20));
    });
    let client = support::paused_client(&fake);
    let ada = client
        .people()
        .create(hire(&fake, "ada@example.com"))
        .await
        .unwrap();
    let search = || {
        client
            .people()
            .search()
            .show_inactive(true)
            .filter_emails(["ada@example.com"])
    };
    assert!(
        search().await.unwrap().employees.is_empty(),
        "not visible yet"
    );
    let read = client.people().get(ada.id().unwrap()).await;
    assert!(matches!(read, Err(Error::NotFound { .. })), "{read:?}");
    // The write path sees it at once: a second create is a duplicate.
    let twice = client.people().create(hire(&fake, "ada@example.com")).await;
    assert!(twice.is_err(), "{twice:?}");
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_eq!(search().await.unwrap().employees.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn read_lag_covers_table_reads_without_code_in_the_write_handler() {
    let fake = fake().await;
    let client = support::paused_client(&fake);
    let truth = fake.truth();
    let leaver = truth
        .employees
        .iter()
        .find(|e| e.is_active())
        .unwrap()
        .id
        .clone();
    let rows = || async { client.tables().lifecycle(&leaver).await.unwrap().rows.len() };
    let before = rows().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(10));
    });
    client
        .people()
        .terminate(&leaver, truth.today)
        .await
        .unwrap();
    assert_eq!(rows().await, before, "the termination is not visible yet");
    tokio::time::sleep(Duration::from_secs(9)).await;
    assert_eq!(rows().await, before);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(rows().await, before + 1);
    // A second termination is refused at once: writes see the first.
    let again = client.people().terminate(&leaver, truth.today).await;
    assert!(again.is_err(), "{again:?}");
}

#[tokio::test(start_paused = true)]
async fn a_start_date_change_is_verified_through_the_lag() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(2));
    });
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let start = NaiveDate::from_ymd_opt(2019, 2, 4).unwrap();
    let report = client
        .people()
        .set_start_date(&id, start)
        .verify()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(report.reads > 1);
    assert_eq!(fake.truth().employee(&id).unwrap().start_date, start);
}

#[tokio::test(start_paused = true)]
async fn a_table_entry_is_verified_through_the_read_lag() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(6));
    });
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let on = NaiveDate::from_ymd_opt(2031, 5, 1).unwrap();
    let salary = client
        .tables()
        .salary_entry(&id)
        .effective_date(on)
        .base(90_000.0, "EUR")
        .pay_period("Annual")
        .pay_frequency("Monthly");
    let started = Instant::now();
    let report = salary.verify().await.unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(report.value.is_some(), "the new entry's ID");
    assert!(report.reads > 1, "the first read did not see it yet");
    assert!(started.elapsed() >= Duration::from_secs(6));
    assert!(started.elapsed() < hibob::verify::DEFAULT_WINDOW);
}

#[tokio::test(start_paused = true)]
async fn a_column_hibob_dropped_from_a_table_entry_is_reported() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.drop_field_on_write("amount.currency");
    });
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let on = NaiveDate::from_ymd_opt(2031, 6, 1).unwrap();
    let bonus = client
        .tables()
        .variable_entry(&id)
        .effective_date(on)
        .amount(500.0, "EUR")
        .variable_type("Bonus")
        .payment_period("Annual");
    let report = bonus.verify().await.unwrap();
    assert!(!report.is_complete());
    let fields: Vec<&str> = report.mismatches.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(fields, ["amount.currency"], "{report}");
    assert_eq!(report.mismatches[0].stored, None, "{report}");
    assert!(report.to_string().contains("amount.currency"), "{report}");
}

#[tokio::test(start_paused = true)]
async fn a_table_update_is_verified_by_its_entry_id() {
    let fake = fake().await;
    let client = support::paused_client(&fake);
    let id = someone(&fake);
    let on = NaiveDate::from_ymd_opt(2031, 7, 1).unwrap();
    let grant = |quantity: f64| {
        client
            .tables()
            .equity_entry(&id)
            .effective_date(on)
            .quantity(quantity)
            .equity_type("Options")
    };
    let entry = grant(10.0).await.unwrap().unwrap();
    // A second grant on the same day: the update must find its own entry.
    grant(10.0).await.unwrap().unwrap();
    let report = grant(25.0).update(entry).verify().await.unwrap();
    assert!(report.is_complete(), "{report}");
    assert_eq!(report.value, WriteOutcome::Applied(()));
    assert_eq!(report.reads, 1);
}

#[tokio::test(start_paused = true)]
async fn a_termination_is_verified_through_the_lag() {
    let fake = fake().await;
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(3));
    });
    let client = support::paused_client(&fake);
    let truth = fake.truth();
    let leaver = truth.employees.iter().find(|e| e.is_active()).unwrap();
    let reason = truth.lists["terminationreason"].items[1].id.clone();
    let report = client
        .people()
        .terminate(&leaver.id, truth.today)
        .reason(reason.as_str())
        .verify()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(report.reads > 1, "the first read was before the lag ended");
}

#[tokio::test]
async fn tables_without_a_per_employee_read_are_read_back_through_their_bulk_read() {
    let fake = fake().await;
    let client = support::fake_client(&fake);
    let id = someone(&fake);
    let on = NaiveDate::from_ymd_opt(2032, 10, 1).unwrap();
    let deduction = |kind: &str| {
        client
            .tables()
            .deduction_entry(&id)
            .effective_date(on)
            .deduction(kind)
            .amount(50.0, "EUR")
    };
    fake.reset_requests();
    let report = deduction("Health insurance").verify().await.unwrap();
    assert!(report.is_complete(), "{report}");
    let reads: Vec<_> = fake
        .requests()
        .into_iter()
        // The list check before sending reads the named lists; the rest are the read-back.
        .filter(|r| r.method == "GET" && !r.path.starts_with("/v1/company/named-lists"))
        .collect();
    assert!(!reads.is_empty());
    for read in &reads {
        assert_eq!(read.path, "/v1/bulk/people/deduction", "{read:?}");
        assert!(
            read.query.as_deref().unwrap_or("").contains(&id),
            "{read:?}"
        );
    }

    // The same date and type is refused before sending; another type is not.
    fake.reset_requests();
    let again = deduction("Health insurance")
        .check_existing()
        .await
        .unwrap_err();
    let Error::InvalidField { problem, .. } = &again else {
        panic!("{again:?}")
    };
    assert!(
        matches!(
            problem,
            hibob::FieldProblem::DuplicateEffectiveDate {
                existing_entry: Some(_),
                ..
            }
        ),
        "{again:?}"
    );
    assert!(
        fake.requests().iter().all(|r| r.method == "GET"),
        "nothing written"
    );
    deduction("Childcare vouchers")
        .check_existing()
        .await
        .unwrap();
}
