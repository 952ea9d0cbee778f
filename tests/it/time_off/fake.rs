//! The time-off client against `FakeHibob`: the two sides were written
//! apart (the fake's JSON by hand), so these prove that what the client sends
//! is what the fake accepts and what the fake answers decodes, end to end.

use std::collections::BTreeSet;

use futures::TryStreamExt;
use hibob::Error;
use hibob::chrono::{Duration, NaiveDate};
use hibob::testing::{FakeHibob, TIME_OFF_CATEGORY};
use hibob::time_off::{EmployeeCalendarsSearch, RequestStatus, SubmitTimeOffRequest};

async fn fake() -> FakeHibob {
    FakeHibob::builder().employees(25).seed(17).start().await
}

/// An employee with no request overlapping the next two weeks.
fn free_employee(fake: &FakeHibob, from: NaiveDate) -> String {
    let truth = fake.truth();
    let busy: BTreeSet<&str> = truth
        .time_off
        .requests
        .iter()
        .filter(|r| r.end_date >= from && r.start_date <= from + Duration::days(14))
        .map(|r| r.employee_id.as_str())
        .collect();
    truth
        .employees
        .iter()
        .find(|e| e.is_active() && !busy.contains(e.id.as_str()))
        .map(|e| e.id.clone())
        .expect("someone is free")
}

#[tokio::test]
async fn submit_approve_balance_feed_and_cancel_round_trip() {
    let fake = fake().await;
    let client = fake.client();
    let time_off = client.time_off();
    let today = fake.truth().today;
    let start = today + Duration::days(7);
    let id = free_employee(&fake, start);
    let before = time_off
        .balance(id.as_str(), "Holiday", start)
        .await
        .unwrap();

    let holiday = SubmitTimeOffRequest::days("Holiday", start, start + Duration::days(1));
    time_off.submit(id.as_str(), holiday).await.unwrap();
    let submitted = fake
        .truth()
        .time_off
        .requests
        .iter()
        .rfind(|r| r.employee_id == id && r.start_date == start)
        .map(|r| r.request_id)
        .expect("the fake holds the submitted request");
    let read = time_off.request(id.as_str(), submitted).await.unwrap();
    assert_eq!(read.status, Some(RequestStatus::Pending), "{read:?}");

    assert!(fake.approve(&id, submitted), "pending, so approvable");
    let after = time_off
        .balance(id.as_str(), "Holiday", start)
        .await
        .unwrap();
    let (was, now) = (
        before.total_balance_as_of_date,
        after.total_balance_as_of_date,
    );
    assert!(
        now < was,
        "an approved holiday lowers the balance: {was:?} -> {now:?}"
    );

    let feed = time_off.changes(today).await.unwrap();
    assert!(
        feed.iter()
            .any(|c| c.request_id.map(|r| r.get()) == Some(submitted)),
        "the feed shows the approval"
    );

    time_off.cancel(id.as_str(), submitted).await.unwrap();
    let cancelled = time_off.request(id.as_str(), submitted).await.unwrap();
    assert_eq!(
        cancelled.status,
        Some(RequestStatus::Canceled),
        "{cancelled:?}"
    );
    let restored = time_off
        .balance(id.as_str(), "Holiday", start)
        .await
        .unwrap();
    assert_eq!(
        restored.total_balance_as_of_date, was,
        "a cancel gives the days back"
    );
}

#[tokio::test]
async fn two_years_of_changes_take_at_most_five_requests_and_match_the_feed() {
    let fake = fake().await;
    let client = fake.client();
    let today = fake.truth().today;
    let since = today - Duration::days(730);
    fake.reset_requests();
    // Pending changes too, so the feed can be compared whole.
    let changes = client
        .time_off()
        .changes(since)
        .include_pending(true)
        .await
        .unwrap();
    let requests = fake.request_count_for("/v1/timeoff/requests/changes");
    assert!((4..=5).contains(&requests), "{requests} requests");
    let truth = fake.truth();
    let expected: BTreeSet<i64> = truth
        .time_off
        .changes
        .iter()
        .map(|c| c.request_id)
        .collect();
    let got: BTreeSet<i64> = changes
        .iter()
        .filter_map(|c| c.request_id)
        .map(|r| r.get())
        .collect();
    assert_eq!(
        got, expected,
        "every request the feed names, and nothing else"
    );
    assert!(
        changes.len() <= truth.time_off.changes.len(),
        "no duplicates across windows"
    );
}

#[tokio::test]
async fn whos_out_matches_the_approved_requests_of_the_month() {
    let fake = fake().await;
    let client = fake.client();
    let today = fake.truth().today;
    let (from, to) = (today - Duration::days(30), today);
    let outs = client.time_off().whos_out(from, to).await.unwrap();
    let truth = fake.truth();
    let expected = truth
        .time_off
        .requests
        .iter()
        .filter(|r| r.status.as_str() == "approved" && r.start_date <= to && r.end_date >= from)
        .count();
    assert!(
        expected > 0,
        "the seeded company has someone out this month"
    );
    assert!(
        outs.len() <= expected,
        "{} outs, {expected} approved requests",
        outs.len()
    );
    assert!(!outs.is_empty());
}

#[tokio::test]
async fn employee_calendars_page_to_the_end() {
    let fake = fake().await;
    let client = fake.client();
    let ids: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let mut search = EmployeeCalendarsSearch::new(ids.iter().map(String::as_str));
    search.limit = Some(7);
    let calendars: Vec<_> = client
        .time_off()
        .employee_calendars(search)
        .try_collect()
        .await
        .unwrap();
    assert!(!calendars.is_empty());
    let pages = fake.request_count_for("/v1/timeoff/calendars/employees/search");
    assert!(
        pages >= 2,
        "paged by 7: {pages} pages for {} calendars",
        calendars.len()
    );
}

#[tokio::test]
async fn a_denied_time_off_category_names_the_permission() {
    let fake = FakeHibob::builder()
        .employees(5)
        .deny_category(TIME_OFF_CATEGORY)
        .start()
        .await;
    let today = fake.truth().today;
    let err = fake
        .client()
        .time_off()
        .whos_out(today, today)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    assert!(err.to_string().contains("Time off"), "{err}");
}

/// One fake and its runtime for every case of the property below: starting
/// a company per case would dominate the test.
fn shared_fake() -> &'static (tokio::runtime::Runtime, FakeHibob) {
    static FAKE: std::sync::OnceLock<(tokio::runtime::Runtime, FakeHibob)> =
        std::sync::OnceLock::new();
    FAKE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fake = runtime.block_on(FakeHibob::builder().employees(40).seed(23).start());
        (runtime, fake)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]

    /// Windowed changes over any range equal the fake's own feed for that
    /// range (the fake counts both bounds in, as our reading of HiBob's docs
    /// allows; the client's windows overlap at their bounds and deduplicate).
    #[test]
    fn windowed_changes_equal_the_fakes_feed(back in 1i64..800, length in 1i64..800) {
        let (runtime, fake) = shared_fake();
        let today = fake.truth().today;
        let since = today - Duration::days(back);
        let to = since + Duration::days(length);
        let found = runtime.block_on(async {
            fake.client().time_off().changes(since).to(to).include_pending(true).await
        });
        let found = found.unwrap();
        let mut got: Vec<(i64, String)> = found
            .iter()
            .map(|c| {
                let kind = c.change_type.as_ref().map(|k| k.as_str().to_owned()).unwrap_or_default();
                (c.request_id.map(|r| r.get()).unwrap_or_default(), kind)
            })
            .collect();
        got.sort();
        let (from, until) = (since.and_hms_opt(0, 0, 0).unwrap(), to.and_hms_opt(0, 0, 0).unwrap());
        let mut expected: Vec<(i64, String)> = fake
            .truth()
            .time_off
            .changes
            .iter()
            .filter(|c| c.at >= from && c.at <= until)
            .map(|c| (c.request_id, c.kind.as_str().to_owned()))
            .collect();
        expected.sort();
        proptest::prop_assert_eq!(got, expected);
    }
}
