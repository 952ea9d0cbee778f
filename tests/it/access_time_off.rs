//! `check_access().time_off(true)` against the embedded fake: every time-off
//! permission named in Bob's words, at most `TIME_OFF_REQUESTS` extra
//! requests, and nothing sent to `/timeoff` by the default check.

use std::time::Duration;

use hibob::access::{AccessReport, FindingKind, MAX_REQUESTS, Severity, TIME_OFF_REQUESTS};
use hibob::testing::{FakeHibob, TIME_OFF_CATEGORY};
use hibob::{Client, RateLimits, RetryPolicy};

fn client(fake: &FakeHibob) -> Client {
    Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .rate_limits(RateLimits::unlimited())
        .build()
        .expect("test client builds")
}

async fn check_time_off(fake: &FakeHibob) -> AccessReport {
    let report = client(fake)
        .check_access()
        .time_off(true)
        .await
        .expect("the check runs");
    assert_eq!(report.requests_made, fake.request_count() as u64);
    assert!(report.requests_made <= MAX_REQUESTS + TIME_OFF_REQUESTS);
    assert!(fake.request_count_for("/v1/timeoff") as u64 <= TIME_OFF_REQUESTS);
    report
}

fn one(report: &AccessReport, kind: FindingKind) -> &hibob::access::Finding {
    let found: Vec<_> = report.of_kind(kind).collect();
    assert_eq!(found.len(), 1, "{kind:?} in\n{report}");
    found[0]
}

#[tokio::test]
async fn the_default_check_sends_no_time_off_request() {
    let fake = FakeHibob::builder().employees(30).start().await;
    let report = client(&fake).check_access().await.unwrap();
    assert_eq!(fake.request_count_for("/v1/timeoff"), 0);
    assert!(report.requests_made <= MAX_REQUESTS);
    let time_off = [
        FindingKind::TimeOffSettingsVisible,
        FindingKind::WhosOutVisible,
        FindingKind::CalendarsVisible,
    ];
    assert!(
        report
            .findings()
            .iter()
            .all(|f| !time_off.contains(&f.kind))
    );
}

#[tokio::test]
async fn all_granted_time_off_findings_are_ok() {
    let fake = FakeHibob::builder().employees(40).seed(3).start().await;
    let report = check_time_off(&fake).await;
    for kind in [
        FindingKind::TimeOffSettingsVisible,
        FindingKind::WhosOutVisible,
        FindingKind::CalendarsVisible,
    ] {
        assert_eq!(one(&report, kind).severity, Severity::Ok, "{report}");
    }
    let private: Vec<_> = report
        .findings()
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::PrivatePoliciesVisible | FindingKind::PrivatePoliciesUnknown
            )
        })
        .collect();
    assert_eq!(private.len(), 1, "{report}");
    assert!(
        private[0].message.contains("includePrivate=true"),
        "{report}"
    );
    assert!(!report.has_errors(), "{report}");
    // Five time-off requests: policy types, out today, who's out twice, calendars.
    assert_eq!(fake.request_count_for("/v1/timeoff"), 5);
}

#[tokio::test]
async fn denied_time_off_findings_name_each_permission_in_bobs_words() {
    let fake = FakeHibob::builder()
        .employees(30)
        .deny_category(TIME_OFF_CATEGORY)
        .start()
        .await;
    let report = check_time_off(&fake).await;
    assert!(report.has_errors());
    let fix = |kind| {
        let finding = one(&report, kind);
        assert_eq!(finding.severity, Severity::Error, "{report}");
        finding.fix.clone().expect("a denied finding has a fix")
    };
    assert!(fix(FindingKind::TimeOffSettingsDenied).contains("Features > Time off > Settings"));
    assert!(fix(FindingKind::WhosOutDenied).contains("See who's out"));
    assert!(fix(FindingKind::CalendarsDenied).contains("Calendars > Manage company calendar"));
    // Who's out was refused, so the private comparison is not sent.
    assert!(
        report
            .of_kind(FindingKind::NotChecked)
            .any(|f| f.message.starts_with("Private policies")),
        "{report}"
    );
    // Each refused request once: policy types, out today, calendars.
    let refused = fake.requests().iter().filter(|r| r.status == 403).count();
    assert_eq!(refused, 3, "{:#?}", fake.requests());
    assert!(
        report
            .to_string()
            .contains("Settings > Permission groups > <group>: grant")
    );
}

#[tokio::test]
async fn rejected_credentials_skip_the_time_off_probe() {
    let fake = FakeHibob::builder().wrong_credentials().start().await;
    let report = check_time_off(&fake).await;
    one(&report, FindingKind::CredentialsRejected);
    assert_eq!(fake.request_count_for("/v1/timeoff"), 0);
    assert!(
        report
            .of_kind(FindingKind::NotChecked)
            .any(|f| f.message.starts_with("Time off: not checked")),
        "{report}"
    );
}

#[tokio::test]
async fn no_permission_group_sends_no_time_off_request() {
    let fake = FakeHibob::builder().no_permission_group().start().await;
    let report = check_time_off(&fake).await;
    one(&report, FindingKind::NoPermissionGroup);
    assert_eq!(fake.request_count_for("/v1/timeoff"), 0);
    assert!(
        report
            .of_kind(FindingKind::NotChecked)
            .any(|f| f.message.starts_with("Time off: not checked")),
        "{report}"
    );
}
