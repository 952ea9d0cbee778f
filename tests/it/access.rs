//! `client.check_access()` against the embedded fake, one test per knob: the
//! finding's kind, severity and fix text, at most 10 requests, and no failing
//! request repeated.

use std::collections::HashSet;
use std::time::Duration;

use chrono::NaiveDate;
use hibob::access::{AccessReport, Finding, FindingKind, Severity, withheld_fields};
use hibob::metadata::FieldCatalog;
use hibob::tables::{EmployeeTable, HistoryTable};
use hibob::testing::{FakeHibob, FakeHibobBuilder};
use hibob::{Client, RateLimits, RetryPolicy, field};

const GROUP: &str = "Settings > Permission groups > <group>";

fn fake() -> FakeHibobBuilder {
    FakeHibob::builder()
        .employees(60)
        .seed(11)
        .today(NaiveDate::from_ymd_opt(2026, 6, 15).unwrap())
}

fn client(fake: &FakeHibob) -> Client {
    Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .rate_limits(RateLimits::unlimited())
        .build()
        .expect("test client builds")
}

/// Runs the default check and asserts the request budget: at most 10
/// requests, the report's count equals the fake's, and no failing request
/// (status >= 400) was sent twice.
async fn check(fake: &FakeHibob) -> AccessReport {
    let report = client(fake).check_access().await.expect("the check runs");
    assert_budget(fake, &report);
    report
}

fn assert_budget(fake: &FakeHibob, report: &AccessReport) {
    let requests = fake.requests();
    assert!(
        requests.len() <= 10,
        "{} requests: {requests:#?}",
        requests.len()
    );
    assert_eq!(report.requests_made, requests.len() as u64);
    let mut failed = HashSet::new();
    for r in requests.iter().filter(|r| r.status >= 400) {
        assert!(
            failed.insert((&r.method, &r.path, &r.query)),
            "failing request repeated: {r:?}"
        );
    }
    // The checklist never prints secrets, e-mails or employee IDs.
    let text = report.to_string();
    assert!(!text.contains(fake.token()), "{text}");
    assert!(!text.contains('@'), "{text}");
    for e in fake.truth().employees {
        assert!(!text.contains(&e.id), "{text}");
    }
}

fn only(report: &AccessReport, kind: FindingKind) -> &Finding {
    let found: Vec<&Finding> = report.of_kind(kind).collect();
    assert_eq!(found.len(), 1, "{kind:?} in\n{report}");
    found[0]
}

fn fix(finding: &Finding) -> &str {
    finding.fix.as_deref().expect("the finding has a fix")
}

#[tokio::test]
async fn clean_tenant_is_all_ok_in_six_requests() {
    let fake = fake().start().await;
    let report = check(&fake).await;
    assert!(report.is_ok(), "{report}");
    assert!(
        report.findings().iter().all(|f| f.severity == Severity::Ok),
        "{report}"
    );
    let kinds: Vec<FindingKind> = report.findings().iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FindingKind::CredentialsAccepted,
            FindingKind::InPermissionGroup,
            FindingKind::CategoryVisible, // Basic info
            FindingKind::CategoryVisible, // Work
            FindingKind::CategoryVisible, // Lifecycle
            FindingKind::FormerEmployeesVisible,
            FindingKind::FullHistory,
            FindingKind::FullHistory,
            FindingKind::FullHistory,
            FindingKind::AudienceComplete,
        ],
        "{report}"
    );
    let categories: Vec<&str> = report
        .of_kind(FindingKind::CategoryVisible)
        .map(|f| f.category.as_ref().unwrap().name.as_str())
        .collect();
    assert_eq!(categories, ["Basic info", "Work", "Lifecycle"]);
    assert_eq!(report.requests_made, 6);
    assert!(fake.requests().iter().all(|r| r.status == 200));
    assert_eq!(fake.request_count_for("/bulk/people/"), 3);
}

#[tokio::test]
async fn wrong_token_stops_after_one_request() {
    let fake = fake().wrong_credentials().start().await;
    let report = check(&fake).await;
    assert_eq!(report.requests_made, 1);
    assert_eq!(report.findings().len(), 1, "{report}");
    let finding = only(&report, FindingKind::CredentialsRejected);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        fix(finding),
        "Settings > Integrations > Service users: check the service user ID; if the token was regenerated, copy the new token"
    );
    assert!(report.has_errors());
}

#[tokio::test]
async fn no_permission_group_stops_after_the_first_403() {
    let fake = fake().no_permission_group().start().await;
    let report = check(&fake).await;
    assert_eq!(report.requests_made, 2);
    only(&report, FindingKind::CredentialsAccepted);
    let finding = only(&report, FindingKind::NoPermissionGroup);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        fix(finding),
        "Settings > Permission groups: add the service user to a permission group (a new service user has no permissions until it is in one)"
    );
    let failed: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.status >= 400)
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].status, 403);
}

#[tokio::test]
async fn denied_work_category_names_the_work_permission() {
    let fake = fake().deny_category("work").start().await;
    let report = check(&fake).await;
    let finding = only(&report, FindingKind::CategoryWithheld);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.category.as_ref().unwrap().name, "Work");
    assert_eq!(
        fix(finding),
        format!("{GROUP} > People's Data > Work > View selected employees' Work sections")
    );
    let expected: Vec<_> = field::ROSTER
        .iter()
        .filter(|f| f.as_str().starts_with("work."))
        .cloned()
        .collect();
    assert_eq!(finding.fields, expected);
    // The work table answers 403 once; the other tables still answer.
    let denied = only(&report, FindingKind::HistoryDenied);
    assert_eq!(denied.table, Some(HistoryTable::Work));
    assert_eq!(denied.severity, Severity::Error);
    assert_eq!(
        fix(denied),
        format!("{GROUP} > People's Data > Work > View selected employees' Work section histories")
    );
    assert_eq!(
        report.of_kind(FindingKind::FullHistory).count(),
        2,
        "{report}"
    );
    assert_eq!(report.requests_made, 6);
}

#[tokio::test]
async fn denied_lifecycle_withholds_internal_fields_and_former_employees_are_inconclusive() {
    let fake = fake().deny_category("lifecycle").start().await;
    let report = check(&fake).await;
    let finding = only(&report, FindingKind::CategoryWithheld);
    assert_eq!(finding.category.as_ref().unwrap().name, "Lifecycle");
    assert_eq!(
        fix(finding),
        format!(
            "{GROUP} > People's Data > Lifecycle > View selected employees' Lifecycle sections"
        )
    );
    assert!(
        finding
            .fields
            .iter()
            .all(|f| f.as_str().starts_with("internal."))
    );
    assert_eq!(finding.fields.len(), 4);
    let former = only(&report, FindingKind::FormerEmployeesUnknown);
    assert_eq!(former.severity, Severity::Info);
    let denied = only(&report, FindingKind::HistoryDenied);
    assert_eq!(denied.table, Some(HistoryTable::Lifecycle));
    assert!(report.has_errors());
}

#[tokio::test]
async fn denied_basic_info_withholds_root_id_and_stops_early() {
    let fake = fake().deny_category("root").start().await;
    let report = check(&fake).await;
    let finding = only(&report, FindingKind::CategoryWithheld);
    assert_eq!(finding.category.as_ref().unwrap().name, "Basic info");
    assert_eq!(
        fix(finding),
        format!(
            "{GROUP} > People's Data > Basic info > View selected employees' Basic info sections"
        )
    );
    assert_eq!(finding.fields[0], field::ID);
    assert!(finding.fields.contains(&field::EMAIL));
    only(&report, FindingKind::NotChecked);
    assert_eq!(report.requests_made, 2);
}

#[tokio::test]
async fn denied_about_category_is_reported_for_the_fields_asked_for() {
    let fake = fake().deny_category("about").start().await;
    let report = client(&fake)
        .check_access()
        .fields([field::ID, field::EMAIL, field::custom("about.about")])
        .tables([])
        .await
        .unwrap();
    assert_budget(&fake, &report);
    let finding = only(&report, FindingKind::CategoryWithheld);
    assert_eq!(finding.category.as_ref().unwrap().name, "About");
    assert_eq!(finding.fields, [field::custom("about.about")]);
    assert_eq!(
        fix(finding),
        format!("{GROUP} > People's Data > About > View selected employees' About sections")
    );
    only(&report, FindingKind::CategoryVisible); // Basic info
    assert_eq!(report.requests_made, 3);
}

#[tokio::test]
async fn denied_employment_category_names_fields_and_history_permissions() {
    let fake = fake().deny_category("employment").start().await;
    let contract = field::custom("payroll.employment.contract");
    let report = client(&fake)
        .check_access()
        .fields([field::ID, field::EMAIL, contract.clone()])
        .await
        .unwrap();
    assert_budget(&fake, &report);
    let finding = only(&report, FindingKind::CategoryWithheld);
    assert_eq!(finding.category.as_ref().unwrap().name, "Employment");
    assert_eq!(finding.fields, [contract]);
    assert_eq!(
        fix(finding),
        format!(
            "{GROUP} > People's Data > Employment > View selected employees' Employment sections"
        )
    );
    let denied = only(&report, FindingKind::HistoryDenied);
    assert_eq!(denied.table, Some(HistoryTable::Employment));
    assert_eq!(
        fix(denied),
        format!(
            "{GROUP} > People's Data > Employment > View selected employees' Employment section histories"
        )
    );
}

#[tokio::test]
async fn history_current_only_is_detected_per_table() {
    for (table, expected, category) in [
        (
            HistoryTable::Lifecycle,
            HistoryTable::Lifecycle,
            "Lifecycle",
        ),
        (
            HistoryTable::Employment,
            HistoryTable::Employment,
            "Employment",
        ),
        (HistoryTable::Work, HistoryTable::Work, "Work"),
    ] {
        let fake = fake().history_current_only(table).start().await;
        let report = check(&fake).await;
        let finding = only(&report, FindingKind::CurrentRowOnly);
        assert_eq!(finding.table, Some(expected), "{report}");
        assert_eq!(finding.severity, Severity::Warning);
        assert_eq!(
            fix(finding),
            format!(
                "{GROUP} > People's Data > {category} > View selected employees' {category} section histories"
            )
        );
        assert_eq!(
            report.of_kind(FindingKind::FullHistory).count(),
            2,
            "{report}"
        );
        assert_eq!(report.requests_made, 6);
    }
}

#[tokio::test]
async fn hidden_inactive_employees_point_at_access_data_for() {
    let fake = fake().hide_inactive().start().await;
    let report = check(&fake).await;
    let finding = only(&report, FindingKind::FormerEmployeesHidden);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(
        fix(finding),
        format!(
            "{GROUP} > People's Data > Access data for: remove the condition Lifecycle status = Employed, or add Terminated to it"
        )
    );
    assert!(!report.is_ok());
    assert!(!report.has_errors(), "{report}");
}

#[tokio::test]
async fn employees_outside_the_audience_are_listed_but_not_printed() {
    let truth = fake().start().await.truth();
    let excluded: Vec<String> = truth.employees[20..23]
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let fake = fake().audience_exclude(excluded.clone()).start().await;
    let report = client(&fake)
        .check_access()
        .employees(excluded.iter().map(String::as_str))
        .await
        .unwrap();
    assert_budget(&fake, &report);
    let finding = only(&report, FindingKind::OutsideAudience);
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(
        fix(finding),
        format!(
            "{GROUP} > People's Data > Access data for: select Everyone, or conditions that include these employees"
        )
    );
    let mut found: Vec<&str> = finding.employees.iter().map(|e| e.as_str()).collect();
    found.sort_unstable();
    let mut expected: Vec<&str> = excluded.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(found, expected);
    assert!(finding.message.contains("3 of 12"), "{}", finding.message);
    // Bulk reads listed them as MISSING_PERMISSION, in a 200.
    assert!(fake.requests().iter().all(|r| r.status == 200));
    assert_eq!(report.requests_made, 6);
}

#[tokio::test]
async fn withheld_fields_groups_by_category_for_other_callers() {
    let fake = fake().start().await;
    let catalog = FieldCatalog::new(client(&fake).metadata().fields().await.unwrap());
    let withheld = [
        field::DEPARTMENT,
        field::STATUS,
        field::TITLE,
        field::custom("work.custom.nope"),
    ];
    let findings = withheld_fields(&catalog, &withheld);
    let kinds: Vec<FindingKind> = findings.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FindingKind::CategoryWithheld,
            FindingKind::CategoryWithheld,
            FindingKind::UnknownFields
        ]
    );
    assert_eq!(findings[0].fields, [field::DEPARTMENT, field::TITLE]);
    assert_eq!(
        findings[0].message,
        "Work: 2 requested fields are withheld (Department, Job title); the permission group may not view this category"
    );
    assert_eq!(findings[1].category.as_ref().unwrap().id, "lifecycle");
    assert_eq!(findings[2].severity, Severity::Warning);
    assert_eq!(findings[2].fields, [field::custom("work.custom.nope")]);
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let fake = fake().start().await;
    let ids: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    let err = client(&fake)
        .check_access()
        .employees(ids)
        .await
        .unwrap_err();
    assert!(matches!(err, hibob::Error::InvalidRequest { .. }), "{err}");
    assert_eq!(fake.request_count(), 0);
}

#[test]
fn check_builder_and_report_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<hibob::access::AccessCheck>();
    assert_send_sync::<AccessReport>();
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder()
        .service_user("id", "token")
        .build()
        .unwrap();
    assert_send(&std::future::IntoFuture::into_future(client.check_access()));
}

#[tokio::test]
async fn forbidden_fields_metadata_means_api_access_is_blocked() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let server = crate::support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/company/people/fields"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;
    let client = crate::support::client(&server);
    let report = client.check_access().await.unwrap();
    let finding = only(&report, FindingKind::ApiAccessBlocked);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(report.findings().len(), 1);
    assert_eq!(report.requests_made, 1);
    assert_eq!(crate::support::request_count(&server).await, 1);
}

#[tokio::test]
async fn retries_never_take_the_check_past_ten_requests() {
    let mut over_budget = 0;
    for seed in 1..=8 {
        let fake = fake().seed(seed).fault_rate(0.45).start().await;
        let outcome = client(&fake)
            .check_access()
            .tables(
                HistoryTable::DEFAULT
                    .into_iter()
                    .chain([HistoryTable::Salaries]),
            )
            .await;
        let sent = fake.request_count();
        assert!(sent <= 10, "seed {seed}: {sent} requests");
        match outcome {
            Ok(report) => {
                assert_eq!(report.requests_made, sent as u64);
                over_budget += report.of_kind(FindingKind::NotChecked).count();
            }
            Err(e) => assert!(matches!(e, hibob::Error::Server { .. }), "{e}"),
        }
    }
    assert!(over_budget > 0, "no seed exercised the budget guard");
}

/// The check with every table, against `fake`: every failing request once.
async fn check_every_table(fake: &FakeHibob) -> AccessReport {
    let report = client(fake)
        .check_access()
        .every_table(true)
        .await
        .expect("the check runs");
    assert_eq!(report.requests_made, fake.request_count() as u64);
    let mut failed = HashSet::new();
    for r in fake.requests().iter().filter(|r| r.status >= 400) {
        assert!(
            failed.insert((&r.method, &r.path, &r.query)),
            "failing request repeated: {r:?}"
        );
    }
    report
}

#[tokio::test]
async fn without_every_table_no_other_table_is_probed() {
    let fake = fake().start().await;
    let report = check(&fake).await;
    assert_eq!(report.requests_made, 6);
    for table in EmployeeTable::ALL {
        let probed = report
            .findings()
            .iter()
            .any(|f| f.employee_table == Some(table));
        let default = HistoryTable::DEFAULT
            .iter()
            .any(|t| t.employee_table() == table);
        assert_eq!(probed, default, "{table:?}");
    }
    let per_employee = fake
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v1/people/") && r.path != "/v1/people/search")
        .count();
    assert_eq!(per_employee, 0);
    assert_eq!(fake.request_count_for("/bulk/people/"), 3);
}

#[tokio::test]
async fn every_table_probes_each_built_in_table_once() {
    let fake = fake().start().await;
    // The default six, one request per table not yet probed, the custom
    // tables' metadata and one per custom table.
    let custom = client(&fake)
        .custom_tables()
        .metadata()
        .await
        .unwrap()
        .len();
    let extra = EmployeeTable::ALL.len() - HistoryTable::DEFAULT.len() + 1 + custom;
    fake.reset_requests();
    let report = check_every_table(&fake).await;
    assert_eq!(report.requests_made, 6 + extra as u64, "{report}");
    assert!(report.requests_made <= 10 + hibob::access::TABLE_REQUESTS);
    for table in EmployeeTable::ALL {
        let about: Vec<&Finding> = report
            .findings()
            .iter()
            .filter(|f| f.employee_table == Some(table))
            .collect();
        assert_eq!(about.len(), 1, "{table:?}: {report}");
        let path = match table.bulk_read() {
            true => format!("/bulk/people/{}", table.as_str()),
            false => format!("/{}", table.as_str()),
        };
        let sent = fake
            .requests()
            .iter()
            .filter(|r| r.path.ends_with(&path))
            .count();
        assert_eq!(sent, 1, "{table:?} probed once");
    }
    // Salary history is probed as a history table: sections vs histories.
    let salaries = report
        .findings()
        .iter()
        .find(|f| f.table == Some(HistoryTable::Salaries))
        .expect("salaries probed as a history table");
    assert!(
        matches!(
            salaries.kind,
            FindingKind::FullHistory | FindingKind::HistoryUnknown | FindingKind::CurrentRowOnly
        ),
        "{salaries}"
    );
}

#[tokio::test]
async fn every_table_names_a_denied_financial_category_and_the_bank_accounts_table() {
    let fake = fake().deny_category("financial").start().await;
    let report = check_every_table(&fake).await;
    let bank = report
        .findings()
        .iter()
        .find(|f| f.employee_table == Some(EmployeeTable::BankAccounts))
        .expect("bank accounts probed");
    assert_eq!(bank.kind, FindingKind::TableDenied, "{report}");
    assert_eq!(bank.severity, Severity::Error);
    assert!(bank.message.contains("Bank accounts"), "{bank}");
    assert!(bank.message.contains("bank-accounts"), "{bank}");
    assert!(bank.message.contains("Financial"), "{bank}");
    assert_eq!(
        fix(bank),
        format!(
            "{GROUP} > People's Data > Financial > View selected employees' Financial sections"
        )
    );
    assert!(report.has_errors());
    // Nothing else is denied.
    let denied = report.of_kind(FindingKind::TableDenied).count();
    assert_eq!(denied, 1, "{report}");
    // A denied pay table names Payroll; the history tables keep their own words.
    let fake = self::fake().deny_category("payroll").start().await;
    let report = check_every_table(&fake).await;
    let salaries = report
        .findings()
        .iter()
        .find(|f| f.table == Some(HistoryTable::Salaries))
        .unwrap();
    assert_eq!(salaries.kind, FindingKind::HistoryDenied, "{report}");
    assert_eq!(
        fix(salaries),
        format!(
            "{GROUP} > People's Data > Payroll > View selected employees' Payroll section histories"
        )
    );
    for table in [
        EmployeeTable::VariablePay,
        EmployeeTable::Deduction,
        EmployeeTable::Entitlement,
    ] {
        let finding = report
            .findings()
            .iter()
            .find(|f| f.employee_table == Some(table))
            .unwrap();
        assert_eq!(finding.kind, FindingKind::TableDenied, "{report}");
        assert!(fix(finding).contains("> Payroll >"), "{finding}");
        assert!(finding.message.contains("category Payroll"), "{finding}");
    }
}

#[tokio::test]
async fn every_table_is_not_checked_when_the_check_stops_early() {
    let fake = fake().wrong_credentials().start().await;
    let report = check_every_table(&fake).await;
    assert_eq!(report.requests_made, 1);
    let last = report.findings().last().unwrap();
    assert_eq!(last.kind, FindingKind::NotChecked);
    assert!(last.message.starts_with("Every table"), "{last}");
}

#[tokio::test]
async fn every_table_names_a_denied_custom_tables_own_category() {
    use hibob::testing::{ASSETS_CATEGORY_ID, ASSETS_TABLE_ID, CERTIFICATIONS_TABLE_ID};
    let fake = fake().deny_category(ASSETS_CATEGORY_ID).start().await;
    let report = check_every_table(&fake).await;
    let about = |id: &str| {
        report
            .findings()
            .iter()
            .find(|f| f.custom_table.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("{id} probed: {report}"))
    };
    let assets = about(ASSETS_TABLE_ID);
    assert_eq!(assets.kind, FindingKind::TableDenied, "{report}");
    assert!(assets.message.contains("Assets"), "{assets}");
    assert!(fix(assets).contains(ASSETS_CATEGORY_ID), "{assets}");
    assert!(fix(assets).starts_with(GROUP), "{assets}");
    assert_eq!(
        about(CERTIFICATIONS_TABLE_ID).kind,
        FindingKind::TableVisible
    );
}
