//! `examples/roster_sync` end to end against the embedded fake HiBob: every
//! row and column against the fake's ground truth, faults, exit codes (6 for
//! a refused mass removal), atomic output, the state's joiners, movers and
//! leavers (and a migrated 0.1 file), `--groups`, `--events`, history and
//! the request budget.

#[allow(dead_code)]
#[path = "../../examples/roster_sync/cli.rs"]
mod cli;
// The examples' shared exit codes, loaded once at the crate root.
use crate::exit_codes;
#[allow(dead_code)]
#[path = "../../examples/roster_sync/history.rs"]
mod history;
#[allow(dead_code)]
#[path = "../../examples/roster_sync/output.rs"]
mod output;
#[allow(dead_code)]
#[path = "../../examples/roster_sync/rows.rs"]
mod rows;
#[allow(dead_code)]
#[path = "../../examples/roster_sync/state.rs"]
mod state;
#[allow(dead_code)]
#[path = "../../examples/roster_sync/sync.rs"]
mod sync;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use clap::Parser;
use hibob::directory::{MemoryStore, Store};
use hibob::people::{InternalStatus, LifecycleStatus};
use hibob::testing::{COST_CENTER_FIELD, Company, FakeHibob, NewHire, WORK_MODEL_FIELD};
use hibob::{Client, RateLimits, RetryPolicy};
use indicatif::ProgressBar;
use serde_json::Value;

use self::cli::{Cli, Outcome};
use self::rows::Row;
use self::state::{Change, LeaveKind};
use self::sync::{COLUMNS, Report, SyncError, exit};

/// One output row as column → value (`None` for null / an empty CSV cell).
type Record = BTreeMap<String, Option<String>>;

fn client(fake: &FakeHibob) -> Client {
    client_with(fake, RetryPolicy::deterministic(Duration::from_millis(1)))
}

fn client_with(fake: &FakeHibob, retry: RetryPolicy) -> Client {
    Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .retry_policy(retry)
        .rate_limits(RateLimits::unlimited())
        .build()
        .expect("client builds")
}

fn args(args: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("roster_sync").chain(args.iter().copied()))
        .expect("valid arguments")
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

async fn run(cli: &Cli, client: &Client) -> Result<Outcome, SyncError> {
    cli::run(cli, client, &ProgressBar::hidden()).await
}

fn cost_centre() -> String {
    format!("--field={COST_CENTER_FIELD}=cost_centre")
}

fn work_model() -> String {
    format!("--field={WORK_MODEL_FIELD}=work_model")
}

fn ymd(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// What the roster must say, straight from the fake's truth, in ID order.
fn expected(truth: &Company, active_only: bool) -> Vec<Record> {
    let mut employees: Vec<_> = truth
        .employees
        .iter()
        .filter(|e| !active_only || e.is_active())
        .collect();
    employees.sort_by(|a, b| sync::id_order(&a.id, &b.id));
    employees
        .into_iter()
        .map(|e| {
            let values = [
                ("id", Some(e.id.clone())),
                (
                    "employee_id_in_company",
                    e.employee_id_in_company.map(|n| n.to_string()),
                ),
                ("email", Some(e.email.clone())),
                ("first_name", Some(e.first_name.clone())),
                ("last_name", Some(e.surname.clone())),
                ("display_name", Some(e.display_name.clone())),
                ("title", e.title.as_ref().map(|t| t.label.clone())),
                ("department", e.department.as_ref().map(|d| d.label.clone())),
                ("site", e.site.clone()),
                ("manager_id", e.manager_id.clone()),
                ("manager_email", e.manager_email.clone()),
                // The fake keeps statuses as text; the roster writes the canonical form.
                (
                    "status",
                    Some(LifecycleStatus::parse(&e.lifecycle_status).to_string()),
                ),
                (
                    "internal_status",
                    Some(InternalStatus::parse(&e.internal_status).to_string()),
                ),
                ("start_date", Some(ymd(e.start_date))),
                ("termination_date", e.termination_date.map(ymd)),
                ("cost_centre", e.cost_center.clone()),
                ("work_model", e.work_model.as_ref().map(|w| w.label.clone())),
            ];
            values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
        })
        .collect()
}

fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Record>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .expect("CSV header")
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|record| {
            let record = record.expect("valid CSV record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.clone(), (!v.is_empty()).then(|| v.to_owned())))
                .collect()
        })
        .collect();
    (headers, records)
}

fn json_record(value: &Value, keys: &[String]) -> Record {
    let object = value.as_object().expect("each row is a JSON object");
    keys.iter()
        .map(|k| {
            let v = object.get(k).unwrap_or_else(|| panic!("key {k} missing"));
            let text = match v {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => panic!("{k} should be a string or null, got {other}"),
            };
            (k.clone(), text)
        })
        .collect()
}

fn assert_rows(what: &str, got: &[Record], want: &[Record]) {
    assert_eq!(got.len(), want.len(), "{what}: row count");
    for (got, want) in got.iter().zip(want) {
        assert_eq!(got, want, "{what}: row of employee {:?}", want["id"]);
    }
}

fn report_records(report: &Report) -> Vec<Record> {
    report
        .rows
        .iter()
        .map(|row| {
            let standard = COLUMNS.iter().zip(row.standard());
            let standard = standard.map(|(c, v)| ((*c).to_owned(), v.map(str::to_owned)));
            let extras = report.extra_columns.iter().cloned().zip(row.extras.clone());
            standard.chain(extras).collect()
        })
        .collect()
}

/// An output path in a fresh temporary directory. Never `/dev/null`: the
/// example replaces its output by rename, and special files are only
/// exercised on a FIFO of the test's own.
fn scratch() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.out");
    (dir, path.to_str().unwrap().to_owned())
}

fn dir_listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn every_row_and_column_matches_the_truth_in_csv_json_and_jsonl() {
    let fake = FakeHibob::builder().employees(1000).seed(11).start().await;
    let truth = fake.truth();
    let want = expected(&truth, false);
    assert!(
        want.iter().any(|r| {
            let surname = r["last_name"].as_deref().unwrap_or_default();
            surname.contains(',') && surname.contains('"') && surname.contains('\n')
        }),
        "the company has a surname with a comma, a quote and a newline"
    );
    assert!(truth.employees.iter().any(|e| e.termination_date.is_some()));
    assert!(
        truth
            .employees
            .iter()
            .any(|e| e.department.as_ref().is_some_and(|d| d.archived)),
        "archived labels are exercised"
    );
    let keys: Vec<String> = COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(["cost_centre".to_owned(), "work_model".to_owned()])
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "json", "jsonl"] {
        fake.reset_requests();
        let out = dir.path().join(format!("roster.{format}"));
        let cli = args(&[
            "--format",
            format,
            "--output",
            path_arg(&out),
            &cost_centre(),
            &work_model(),
        ]);
        let outcome = run(&cli, &client(&fake)).await.expect("sync succeeds");
        assert!(outcome.report.withheld.is_empty());
        // One search for everyone, fields metadata (first and alone) and
        // the named lists.
        assert_eq!(fake.request_count(), 1 + 2, "{format}");
        let bytes = std::fs::read(&out).unwrap();
        let got: Vec<Record> = match format {
            "csv" => {
                let (headers, records) = parse_csv(&bytes);
                assert_eq!(headers, keys, "CSV columns, in order");
                records
            }
            "json" => {
                let rows: Vec<Value> = serde_json::from_slice(&bytes).expect("one JSON array");
                rows.iter().map(|r| json_record(r, &keys)).collect()
            }
            _ => std::str::from_utf8(&bytes)
                .unwrap()
                .lines()
                .map(|line| json_record(&serde_json::from_str(line).unwrap(), &keys))
                .collect(),
        };
        assert_rows(format, &got, &want);
        let listing = dir_listing(dir.path());
        assert!(
            listing.iter().all(|name| name.starts_with("roster.")),
            "no temporary file left: {listing:?}"
        );
    }
}

#[tokio::test]
async fn request_count_is_one_search_and_two_metadata_calls_at_any_size() {
    for n in [1, 200, 201, 2_000] {
        let fake = FakeHibob::builder().employees(n).start().await;
        let (_scratch, sink) = scratch();
        let outcome = run(&args(&["--output", &sink]), &client(&fake)).await;
        let outcome = outcome.expect("sync succeeds");
        assert_eq!(outcome.report.rows.len(), n);
        assert_eq!(fake.request_count(), 1 + 2, "{n} employees");
        assert_eq!(fake.request_count_for("/people/search"), 1);
        assert_eq!(fake.request_count_for("/company/"), 2);
        assert_eq!(fake.request_count_for("/company/people/fields"), 1);
        let first = &fake.requests()[0];
        assert!(
            first.path.ends_with("/company/people/fields"),
            "{}",
            first.path
        );
    }
}

#[tokio::test]
async fn faults_drops_and_a_tight_rate_limit_still_give_an_identical_roster() {
    let fake = FakeHibob::builder()
        .employees(1000)
        .seed(5)
        .fault_rate(0.10)
        .truncated_rate(0.03)
        .drop_rate(0.02)
        .rate_limit(1, Duration::from_millis(100))
        .start()
        .await;
    // One request per route per 100 ms: the two concurrent search batches
    // always collide. Retry-After is whole seconds (1); scaled by 0.1 it
    // waits out the 100 ms window.
    let retry = RetryPolicy::deterministic(Duration::from_millis(2))
        .max_attempts(10)
        .hint_scale(0.1);
    let client = client_with(&fake, retry);
    let (_scratch, sink) = scratch();
    let cli = args(&[
        "--format",
        "json",
        "--with-history",
        "--output",
        &sink,
        &cost_centre(),
        &work_model(),
    ]);
    let outcome = run(&cli, &client)
        .await
        .expect("the retries absorb every fault");
    let truth = fake.truth();
    assert_rows(
        "with faults",
        &report_records(&outcome.report),
        &expected(&truth, false),
    );
    for row in &outcome.report.rows {
        let e = truth.employee(&row.id).unwrap();
        let history = row.history.as_ref().unwrap();
        assert_eq!(history.table("lifecycle").len(), e.lifecycle_history.len());
        assert_eq!(
            history.table("employment").len(),
            e.employment_history.len()
        );
        assert_eq!(history.table("work").len(), e.work_history.len());
    }
    // An account without table metadata answers 404 (not a fault, never retried).
    let statuses: Vec<u16> = fake
        .requests()
        .iter()
        .filter(|r| !(r.status == 404 && r.path.contains("/employee-tables/metadata")))
        .map(|r| r.status)
        .collect();
    let failed = statuses.iter().filter(|s| **s != 200).count();
    assert!(
        statuses.contains(&429),
        "the rate limit was hit: {statuses:?}"
    );
    assert!(
        statuses.iter().any(|s| (500..600).contains(s)),
        "server errors were injected: {statuses:?}"
    );
    // Every failed attempt (429, 5xx, dropped) was retried; truncated 200s too.
    assert!(
        outcome.report.stats.retries as usize >= failed,
        "{failed} failed attempts, {:?}",
        outcome.report.stats
    );
    assert_eq!(
        outcome.report.stats.requests as usize,
        fake.request_count(),
        "the client counted every attempt the fake saw"
    );
}

#[tokio::test]
async fn wrong_credentials_exit_3_after_exactly_one_request() {
    let fake = FakeHibob::builder()
        .employees(50)
        .wrong_credentials()
        .start()
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.csv");
    let code = cli::execute(&args(&["--output", path_arg(&out)]), &client(&fake)).await;
    assert_eq!(code, exit::CREDENTIALS);
    assert_eq!(fake.request_count(), 1);
    assert!(dir_listing(dir.path()).is_empty(), "nothing written");
}

/// A failed sync against a fake with these knobs, and the fake.
async fn failure(builder: hibob::testing::FakeHibobBuilder) -> (SyncError, FakeHibob) {
    let fake = builder.employees(20).start().await;
    let (_scratch, sink) = scratch();
    let err = run(&args(&["--output", &sink]), &client(&fake))
        .await
        .expect_err("the sync fails");
    (err, fake)
}

#[tokio::test]
async fn missing_permission_exits_4_and_exhausted_retries_exit_5() {
    let (err, _) = failure(FakeHibob::builder().no_permission_group()).await;
    assert_eq!(err.exit_code(), exit::PERMISSION, "{err}");
    assert!(err.to_string().contains("permission group"), "{err}");

    let (err, fake) = failure(FakeHibob::builder().fault_rate(1.0)).await;
    assert_eq!(err.exit_code(), exit::UNAVAILABLE, "{err}");
    assert!(
        matches!(err, SyncError::Api(hibob::Error::Server { .. })),
        "{err:?}"
    );
    assert_eq!(
        fake.request_count(),
        4,
        "the default 4 attempts, then give up"
    );

    let (err, fake) = failure(FakeHibob::builder().drop_rate(1.0)).await;
    assert_eq!(err.exit_code(), exit::UNAVAILABLE, "{err}");
    assert!(
        matches!(err, SyncError::Api(hibob::Error::Transport { .. })),
        "{err:?}"
    );
    assert_eq!(
        fake.request_count(),
        4,
        "dropped connections are retried too"
    );
}

#[tokio::test]
async fn a_denied_category_is_reported_as_withheld_and_the_sync_succeeds() {
    let fake = FakeHibob::builder()
        .employees(60)
        .deny_category("work")
        .start()
        .await;
    let (_scratch, sink) = scratch();
    let cli = args(&["--output", &sink]);
    let outcome = run(&cli, &client(&fake)).await.expect("still a success");
    let withheld: Vec<&str> = outcome
        .report
        .withheld
        .iter()
        .map(|w| w.field.as_str())
        .collect();
    assert_eq!(
        withheld,
        [
            "work.employeeIdInCompany",
            "work.title",
            "work.department",
            "work.site",
            "work.siteId",
            "work.reportsTo",
            "work.manager",
            "work.startDate",
        ]
    );
    assert!(outcome.report.withheld.iter().all(|w| w.category == "Work"));
    let findings = &outcome.report.withheld_findings;
    assert_eq!(findings.len(), 1, "one finding per category");
    assert_eq!(
        findings[0].fix.as_deref(),
        Some(
            "Settings > Permission groups > <group> > People's Data > Work > View selected employees' Work sections"
        )
    );
    assert!(outcome.report.rows.iter().all(|r| r.department.is_none()));
    assert!(outcome.report.rows.iter().all(|r| r.email.is_some()));
    let mut printed = Vec::new();
    cli::print_outcome(&mut printed, &cli, &outcome).unwrap();
    let printed = String::from_utf8(printed).unwrap();
    assert!(
        printed.contains("warning: Work: 8 requested fields are withheld")
            && printed.contains("fix: Settings > Permission groups > <group> > People's Data > Work > View selected employees' Work sections")
            && printed.contains("8 field(s) withheld"),
        "{printed}"
    );
}

#[tokio::test]
async fn a_failed_run_leaves_the_previous_files_and_state_untouched() {
    let fake = FakeHibob::builder().employees(120).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.csv");
    let db = dir.path().join("state.db");
    let cli = args(&[
        "--with-history",
        "--output",
        path_arg(&out),
        "--state",
        path_arg(&db),
    ]);
    assert_eq!(cli::execute(&cli, &client(&fake)).await, exit::OK);
    let files = dir_listing(dir.path());
    assert_eq!(
        files,
        [
            "roster.csv",
            "roster.employment.csv",
            "roster.lifecycle.csv",
            "roster.work.csv",
            "state.db"
        ]
    );
    let snapshot = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        dir_listing(dir)
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(dir.join(&name)).unwrap();
                (name, bytes)
            })
            .collect()
    };
    let before = snapshot(dir.path());

    // A change a successful run would write, so "untouched" means something.
    let leaver = fake.truth().employees[5].id.clone();
    fake.terminate(&leaver, fake.truth().today);

    // Rejected credentials: exit 3 before anything is fetched.
    fake.knobs(|k| k.reject_all_credentials = true);
    assert_eq!(cli::execute(&cli, &client(&fake)).await, exit::CREDENTIALS);
    assert_eq!(snapshot(dir.path()), before);

    // A failure after the reads began: the work history table is denied (403)
    // while the roster and the other tables are read concurrently (how far
    // they got depends on timing, so only the order is asserted).
    fake.knobs(|k| {
        k.reject_all_credentials = false;
        k.deny_category("work");
    });
    fake.reset_requests();
    assert_eq!(cli::execute(&cli, &client(&fake)).await, exit::PERMISSION);
    // Fields metadata twice, named lists, and table metadata once.
    assert_eq!(fake.request_count_for("/company/"), 4, "metadata was read");
    assert_eq!(
        fake.request_count_for("/bulk/people/work"),
        1,
        "then the 403"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "no file changed, no temp file left"
    );

    // And once the permission is back, the run goes through and sees the leaver.
    fake.knobs(|k| k.denied_categories.clear());
    let outcome = run(&cli, &client(&fake)).await.unwrap();
    let changes = outcome.changes.unwrap();
    assert_eq!(changes.leavers.len(), 1);
    assert_eq!(changes.leavers[0].0.id, leaver);
    assert_eq!(dir_listing(dir.path()), files);
}

#[tokio::test]
async fn state_reports_exactly_the_joiner_the_mover_and_the_leaver() {
    let fake = FakeHibob::builder().employees(200).seed(3).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let (_scratch, sink) = scratch();
    let cli = args(&["--output", &sink, "--state", path_arg(&db), &work_model()]);

    let first = run(&cli, &client(&fake)).await.unwrap();
    let changes = first.changes.unwrap();
    assert_eq!(changes.baseline, Some(200), "the first run is a baseline");
    assert!(changes.joiners.is_empty() && changes.movers.is_empty() && changes.leavers.is_empty());

    let truth = fake.truth();
    let today = truth.today;
    let active: Vec<_> = truth
        .employees
        .iter()
        .filter(|e| e.lifecycle_status == "employed")
        .collect();
    let mover = active
        .iter()
        .find(|e| e.department.is_some())
        .expect("someone with a department");
    let old_department = mover.department.clone().unwrap();
    let new_department = truth.lists["department"]
        .items
        .iter()
        .find(|i| !i.archived && i.id != old_department.id)
        .unwrap()
        .clone();
    let leaver = active.iter().find(|e| e.id != mover.id).unwrap();
    let joiner = fake.hire(NewHire::new(
        "Grace",
        "Hopper",
        "grace.hopper@example.com",
        today,
    ));
    fake.move_department(&mover.id, &new_department.id, today);
    fake.terminate(&leaver.id, today);

    let second = run(&cli, &client(&fake)).await.unwrap();
    let changes = second.changes.unwrap();
    assert_eq!(changes.baseline, None);
    let joiners: Vec<&str> = changes.joiners.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(joiners, [joiner.as_str()]);
    assert_eq!(
        changes.joiners[0].email.as_deref(),
        Some("grace.hopper@example.com")
    );
    assert_eq!(changes.movers.len(), 1, "{changes}");
    assert_eq!(changes.movers[0].0.id, mover.id);
    assert_eq!(
        changes.movers[0].1,
        [Change {
            column: "department".into(),
            old: Some(old_department.label.clone()),
            new: Some(new_department.label.clone()),
        }]
    );
    assert_eq!(changes.leavers.len(), 1, "{changes}");
    assert_eq!(changes.leavers[0].0.id, leaver.id);
    assert_eq!(changes.leavers[0].1, LeaveKind::Terminated);
    let text = changes.to_string();
    assert!(
        text.contains(&format!(
            "department: {} -> {}",
            old_department.label, new_department.label
        )),
        "{text}"
    );

    let third = run(&cli, &client(&fake)).await.unwrap();
    let changes = third.changes.unwrap();
    assert!(
        changes.joiners.is_empty() && changes.movers.is_empty() && changes.leavers.is_empty(),
        "nothing changed: {changes}"
    );
}

#[tokio::test]
async fn with_active_only_a_terminated_employee_is_a_leaver_who_disappeared() {
    let fake = FakeHibob::builder().employees(80).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let (_scratch, sink) = scratch();
    let cli = args(&["--active-only", "--output", &sink, "--state", path_arg(&db)]);
    let first = run(&cli, &client(&fake)).await.unwrap();
    let truth = fake.truth();
    assert_rows(
        "active only",
        &report_records(&first.report),
        &expected(&truth, true)
            .into_iter()
            .map(|mut r| {
                r.remove("cost_centre");
                r.remove("work_model");
                r
            })
            .collect::<Vec<_>>(),
    );
    assert_eq!(first.report.former(), 0);
    let leaver = truth.employees.iter().find(|e| e.is_active()).unwrap();
    fake.terminate(&leaver.id, truth.today);
    let changes = run(&cli, &client(&fake)).await.unwrap().changes.unwrap();
    assert_eq!(changes.leavers.len(), 1);
    assert_eq!(changes.leavers[0].0.id, leaver.id);
    assert_eq!(changes.leavers[0].1, LeaveKind::Disappeared);
    assert!(changes.joiners.is_empty() && changes.movers.is_empty());
}

#[tokio::test]
async fn history_json_holds_every_employees_rows_read_in_bulk() {
    let fake = FakeHibob::builder().employees(300).seed(9).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.json");
    let cli = args(&[
        "--with-history",
        "--format",
        "json",
        "--output",
        path_arg(&out),
    ]);
    run(&cli, &client(&fake)).await.unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let truth = fake.truth();
    assert_eq!(rows.len(), truth.employees.len());
    for row in &rows {
        let e = truth.employee(row["id"].as_str().unwrap()).unwrap();
        for (table, want) in [
            ("lifecycle", &e.lifecycle_history),
            ("employment", &e.employment_history),
            ("work", &e.work_history),
        ] {
            let got = row[table].as_array().unwrap();
            assert_eq!(got.len(), want.len(), "{table} rows of {}", e.id);
            let dates = |rows: &[Value]| -> Vec<Value> {
                rows.iter().map(|r| r["effectiveDate"].clone()).collect()
            };
            assert_eq!(dates(got), dates(want), "{table} of {}", e.id);
        }
        let current_work = row["work"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["isCurrent"] == true);
        if let (Some(work), Some(department)) = (current_work, &e.department) {
            assert_eq!(
                work["department"],
                department.label.as_str(),
                "labels, not IDs"
            );
        }
    }
    // One request per bulk page, never one per employee.
    let per_employee = fake
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v1/people/") && r.path != "/v1/people/search")
        .count();
    assert_eq!(per_employee, 0);
    for (table, rows) in [
        (
            "lifecycle",
            truth
                .employees
                .iter()
                .map(|e| e.lifecycle_history.len())
                .sum::<usize>(),
        ),
        (
            "employment",
            truth
                .employees
                .iter()
                .map(|e| e.employment_history.len())
                .sum(),
        ),
        (
            "work",
            truth.employees.iter().map(|e| e.work_history.len()).sum(),
        ),
    ] {
        let pages = fake.request_count_for(&format!("/bulk/people/{table}"));
        assert!(
            pages >= rows.div_ceil(200) && pages <= rows.div_ceil(200) + 1,
            "{table}: {pages} pages for {rows} rows"
        );
    }
}

#[tokio::test]
async fn csv_history_files_sit_next_to_the_roster_with_flattened_columns() {
    let fake = FakeHibob::builder().employees(40).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("people.csv");
    let cli = args(&["--with-history", "--output", path_arg(&out)]);
    run(&cli, &client(&fake)).await.unwrap();
    let truth = fake.truth();
    let total = |f: fn(&hibob::testing::TruthEmployee) -> usize| -> usize {
        truth.employees.iter().map(f).sum()
    };
    for (table, rows, column) in [
        ("lifecycle", total(|e| e.lifecycle_history.len()), "status"),
        (
            "employment",
            total(|e| e.employment_history.len()),
            "workingPattern.hoursPerDay",
        ),
        ("work", total(|e| e.work_history.len()), "reportsTo.email"),
    ] {
        let bytes = std::fs::read(dir.path().join(format!("people.{table}.csv"))).unwrap();
        let (headers, records) = parse_csv(&bytes);
        assert_eq!(
            &headers[..3],
            ["employee_id", "id", "effectiveDate"],
            "{table}"
        );
        // Headed by its ID, or by its name in Bob and the ID in parentheses.
        let headed = |h: &String| h == column || h.ends_with(&format!(" ({column})"));
        assert!(headers.iter().any(headed), "{table}: {headers:?}");
        assert_eq!(records.len(), rows, "{table}");
    }
}

#[tokio::test]
async fn usage_errors_exit_2_before_any_request() {
    assert_eq!(
        cli::main(["roster_sync", "--with-history"].map(Into::into)).await,
        exit::USAGE,
        "CSV history needs --output"
    );
    assert_eq!(
        cli::main(["roster_sync", "--format", "xml"].map(Into::into)).await,
        exit::USAGE
    );
    assert_eq!(
        cli::main(["roster_sync", "--demo", "--field", "a=email"].map(Into::into)).await,
        exit::USAGE,
        "a column name used twice"
    );
    let fake = FakeHibob::builder().employees(10).start().await;
    let (_scratch, sink) = scratch();
    let err = run(
        &args(&["--field", "work.custom.nope", "-o", &sink]),
        &client(&fake),
    )
    .await
    .unwrap_err();
    assert_eq!(err.exit_code(), exit::USAGE, "{err}");
    assert_eq!(fake.request_count(), 1, "only fields metadata was read");
}

#[test]
fn formula_neutralizing_is_opt_in_and_covers_every_trigger() {
    let names = [
        "=HYPERLINK(\"x\")",
        "+1",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\ry",
        "Ada",
        "O'Hara",
    ];
    let report = Report {
        rows: names
            .iter()
            .enumerate()
            .map(|(i, name)| Row {
                id: i.to_string(),
                first_name: Some((*name).to_owned()),
                ..Row::default()
            })
            .collect(),
        extra_columns: Vec::new(),
        history_tables: Vec::new(),
        groups: None,
        withheld: Vec::new(),
        withheld_columns: Vec::new(),
        withheld_findings: Vec::new(),
        warnings: Vec::new(),
        stats: hibob::ClientStats::default(),
        elapsed: Duration::ZERO,
    };
    let first_names = |neutralize: bool| -> Vec<String> {
        let rendered = output::render(&report, output::Format::Csv, neutralize).unwrap();
        parse_csv(&rendered.main)
            .1
            .into_iter()
            .map(|r| r["first_name"].clone().unwrap())
            .collect()
    };
    assert_eq!(first_names(false), names);
    assert_eq!(
        first_names(true),
        [
            "'=HYPERLINK(\"x\")",
            "'+1",
            "'-2",
            "'@SUM(A1)",
            "'\tx",
            "'\ry",
            "Ada",
            "O'Hara"
        ]
    );
}

/// Every file in `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    dir_listing(dir)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

/// A first, successful sync into `dir` (roster, history files and state);
/// returns the arguments for the next run.
async fn baseline(fake: &FakeHibob, dir: &Path) -> Vec<String> {
    let out = dir.join("roster.csv");
    let db = dir.join("state.db");
    let argv: Vec<String> = [
        "--with-history",
        "--output",
        path_arg(&out),
        "--state",
        path_arg(&db),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let cli = args(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(cli::execute(&cli, &client(fake)).await, exit::OK);
    argv
}

/// A baseline sync, then a change and latency so the next run has something
/// to write and is slow enough to interrupt; returns its arguments and the
/// directory's contents before it.
async fn before_an_interrupted_run(
    fake: &FakeHibob,
    dir: &Path,
) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let argv = baseline(fake, dir).await;
    let before = contents(dir);
    fake.terminate(&fake.truth().employees[3].id, fake.truth().today);
    fake.knobs(|k| k.latency = Some(Duration::from_millis(40)));
    fake.reset_requests();
    (argv, before)
}

/// Waits until the run in progress has made a few requests.
async fn until_mid_sync(fake: &FakeHibob) {
    while fake.request_count() < 4 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_run_aborted_mid_sync_leaves_the_previous_output_and_state_intact() {
    let fake = FakeHibob::builder().employees(400).start().await;
    let dir = tempfile::tempdir().unwrap();
    let (argv, before) = before_an_interrupted_run(&fake, dir.path()).await;

    let cli = args(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    let client = client(&fake);
    let run = tokio::spawn(async move { cli::execute(&cli, &client).await });
    until_mid_sync(&fake).await;
    run.abort();
    assert!(
        run.await.unwrap_err().is_cancelled(),
        "the run was still going"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        contents(dir.path()),
        before,
        "no file changed, no temp file left"
    );
}

/// The compiled example, next to this test binary (`cargo test` builds examples).
fn example_binary() -> Option<std::path::PathBuf> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let binary = deps.parent()?.join("examples").join("roster_sync");
    binary.exists().then_some(binary)
}

#[tokio::test]
async fn a_process_killed_mid_sync_leaves_the_previous_output_and_state_intact() {
    let Some(binary) = example_binary() else {
        eprintln!(
            "skipped: build the examples first (`cargo test` does; `cargo test --test it` does not)"
        );
        return;
    };
    let fake = FakeHibob::builder().employees(400).start().await;
    let dir = tempfile::tempdir().unwrap();
    let (argv, before) = before_an_interrupted_run(&fake, dir.path()).await;

    let mut child = tokio::process::Command::new(binary)
        .args(&argv)
        .arg("--base-url")
        .arg(fake.uri())
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    until_mid_sync(&fake).await;
    child.kill().await.unwrap(); // SIGKILL: no destructor, no cleanup runs
    assert!(!child.wait().await.unwrap().success());
    assert_eq!(
        contents(dir.path()),
        before,
        "the previous output and state are intact"
    );
}

#[tokio::test]
async fn an_output_symlink_is_followed_and_stays_a_link() {
    let fake = FakeHibob::builder().employees(15).start().await;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    let link = dir.path().join("roster.csv");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.csv", &link).unwrap();

    run(&args(&["--output", path_arg(&link)]), &client(&fake))
        .await
        .unwrap();

    let link_meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(link_meta.file_type().is_symlink(), "the link was replaced");
    let written = std::fs::read_to_string(&real).unwrap();
    assert!(
        written.starts_with("id,employee_id_in_company,"),
        "{written}"
    );
    assert_eq!(parse_csv(written.as_bytes()).1.len(), 15, "{written}");
    assert_eq!(dir_listing(dir.path()), ["real.csv", "roster.csv"]);
}

/// A FIFO of the test's own stands for `/dev/null`, `/dev/stdout` and friends.
fn fifo(dir: &Path) -> Option<std::path::PathBuf> {
    let path = dir.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    made.is_ok_and(|s| s.success()).then_some(path)
}

#[tokio::test]
async fn a_special_output_file_is_written_in_place_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pipe) = fifo(dir.path()) else {
        eprintln!("skipped: no mkfifo");
        return;
    };
    let fake = FakeHibob::builder().employees(15).start().await;
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };

    run(&args(&["--output", path_arg(&pipe)]), &client(&fake))
        .await
        .unwrap();

    let read = reader.join().unwrap();
    assert_eq!(parse_csv(read.as_bytes()).1.len(), 15, "{read}");
    let meta = std::fs::symlink_metadata(&pipe).unwrap();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()),
        "still a FIFO"
    );
    assert_eq!(dir_listing(dir.path()), ["pipe"], "no temporary file left");
}

#[tokio::test]
async fn csv_history_tables_need_a_regular_output_path() {
    let dir = tempfile::tempdir().unwrap();
    let Some(pipe) = fifo(dir.path()) else {
        eprintln!("skipped: no mkfifo");
        return;
    };
    let fake = FakeHibob::builder().employees(5).start().await;
    let cli = args(&["--with-history", "--output", path_arg(&pipe)]);
    let err = run(&cli, &client(&fake)).await.unwrap_err();
    assert_eq!(err.exit_code(), exit::USAGE);
    assert!(err.to_string().contains("regular file path"), "{err}");
    assert_eq!(fake.request_count(), 0, "refused before any request");
}

#[tokio::test]
async fn nobody_visible_is_a_permission_error_and_writes_nothing() {
    let fake = FakeHibob::builder().employees(30).start().await;
    let everyone: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(everyone);
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.csv");
    let db = dir.path().join("state.db");
    let cli = args(&["--output", path_arg(&out), "--state", path_arg(&db)]);

    let err = run(&cli, &client(&fake)).await.unwrap_err();

    assert!(matches!(err, SyncError::NobodyVisible), "{err:?}");
    assert_eq!(err.exit_code(), exit::PERMISSION);
    assert!(err.to_string().contains("Basic info"), "{err}");
    assert!(
        dir_listing(dir.path()).is_empty(),
        "no roster, no state file"
    );
}

#[tokio::test]
async fn the_state_file_is_owner_only_and_a_failed_first_run_creates_none() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeHibob::builder().employees(20).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let (_scratch, sink) = scratch();
    let cli = args(&["--output", &sink, "--state", path_arg(&db)]);

    fake.knobs(|k| k.reject_all_credentials = true);
    assert!(run(&cli, &client(&fake)).await.is_err());
    assert!(!db.exists(), "a failed first run leaves no state file");

    fake.knobs(|k| k.reject_all_credentials = false);
    let first = run(&cli, &client(&fake)).await.unwrap();
    assert_eq!(first.changes.unwrap().baseline, Some(20));
    let mode = std::fs::metadata(&db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[tokio::test]
async fn a_permission_taken_away_and_granted_back_moves_nobody() {
    let fake = FakeHibob::builder().employees(60).seed(8).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let (_scratch, sink) = scratch();
    let cli = args(&["--output", &sink, "--state", path_arg(&db)]);
    let no_changes = |changes: state::Changes| {
        assert!(
            changes.joiners.is_empty() && changes.movers.is_empty() && changes.leavers.is_empty(),
            "{changes}"
        );
    };
    run(&cli, &client(&fake)).await.unwrap();

    fake.knobs(|k| {
        k.deny_category("work");
    });
    let denied = run(&cli, &client(&fake)).await.unwrap();
    assert!(denied.report.withheld_columns.contains(&"title".to_owned()));
    no_changes(denied.changes.unwrap());

    // A real move while the permission is missing is invisible; once it is
    // back, that move (and only that) is reported.
    let truth = fake.truth();
    let mover = truth
        .employees
        .iter()
        .find(|e| e.lifecycle_status == "employed" && e.department.is_some())
        .expect("someone with a department");
    let department = truth.lists["department"]
        .items
        .iter()
        .find(|i| !i.archived && Some(&i.id) != mover.department.as_ref().map(|d| &d.id))
        .unwrap();
    fake.move_department(&mover.id, &department.id, truth.today);
    let mover = mover.id.clone();
    fake.knobs(|k| k.denied_categories.clear());
    let granted = run(&cli, &client(&fake)).await.unwrap();
    let changes = granted.changes.unwrap();
    assert_eq!(changes.movers.len(), 1, "{changes}");
    assert_eq!(changes.movers[0].0.id, mover);
    assert!(changes.joiners.is_empty() && changes.leavers.is_empty());
}

#[tokio::test]
async fn renaming_a_list_item_in_bob_moves_nobody() {
    let fake = FakeHibob::builder().employees(80).seed(12).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let (_scratch, sink) = scratch();
    let cli = args(&["--output", &sink, "--state", path_arg(&db)]);
    run(&cli, &client(&fake)).await.unwrap();

    let truth = fake.truth();
    let member = truth
        .employees
        .iter()
        .find(|e| e.lifecycle_status == "employed" && e.department.is_some())
        .expect("someone with a department");
    let item = member.department.clone().unwrap().id;
    fake.update(|company| {
        let list = company.lists.get_mut("department").unwrap();
        for listed in list.items.iter_mut().filter(|i| i.id == item) {
            listed.label = "Renamed in Bob".to_owned();
        }
        for employee in &mut company.employees {
            for department in employee.department.iter_mut().filter(|d| d.id == item) {
                department.label = "Renamed in Bob".to_owned();
            }
        }
    });

    let second = run(&cli, &client(&fake)).await.unwrap();
    let row = second
        .report
        .rows
        .iter()
        .find(|r| r.id == member.id)
        .unwrap();
    assert_eq!(
        row.department.as_deref(),
        Some("Renamed in Bob"),
        "the output has the new label"
    );
    let changes = second.changes.unwrap();
    assert!(changes.movers.is_empty(), "{changes}");
}

/// `--with-history --format json` against `base_url`, as parsed JSON.
async fn history_json(fake: &FakeHibob, base_url: &str) -> Result<Value, SyncError> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.json");
    let written = history_json_to(fake, base_url, &out).await;
    assert_eq!(written.is_ok(), out.exists(), "output only on success");
    written?;
    Ok(serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap())
}

async fn history_json_to(fake: &FakeHibob, base_url: &str, out: &Path) -> Result<(), SyncError> {
    let cli = args(&[
        "--with-history",
        "--format",
        "json",
        "--output",
        path_arg(out),
    ]);
    let client = Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(base_url)
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .rate_limits(RateLimits::unlimited())
        .build()
        .expect("client builds");
    run(&cli, &client).await.map(drop)
}

#[tokio::test]
async fn history_is_the_same_from_flat_and_wrapped_bulk_rows() {
    let fake = FakeHibob::builder().employees(30).seed(4).start().await;
    let flat = history_json(&fake, &fake.uri()).await.unwrap();
    let wrapped = crate::bulk_shapes::reshape(&fake, crate::bulk_shapes::wrap_rows).await;
    let from_wrapped = history_json(&fake, &wrapped.uri).await.unwrap();
    assert!(wrapped.rewritten() >= 3, "each table's pages came wrapped");
    assert_eq!(from_wrapped, flat);
    // And the rows are real rows, not one empty row per employee.
    let truth = fake.truth();
    for row in flat.as_array().unwrap() {
        let e = truth.employee(row["id"].as_str().unwrap()).unwrap();
        let dates: Vec<&Value> = row["work"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["effectiveDate"])
            .collect();
        let want: Vec<&Value> = e.work_history.iter().map(|r| &r["effectiveDate"]).collect();
        assert_eq!(dates, want, "work history of {}", e.id);
    }
}

#[tokio::test]
async fn a_bulk_page_in_neither_shape_fails_the_sync_and_writes_nothing() {
    let fake = FakeHibob::builder().employees(5).start().await;
    let odd = crate::bulk_shapes::reshape(&fake, |_, mut page: Value| {
        for employee in page["results"].as_array_mut().unwrap() {
            employee["values"] = serde_json::json!([{"rows": employee["values"].take()}]);
        }
        page
    })
    .await;
    let error = history_json(&fake, &odd.uri).await.unwrap_err();
    assert!(
        matches!(&error, SyncError::Api(hibob::Error::Decode { path, .. }) if path.ends_with(".values[0]")),
        "{error}"
    );
    assert_eq!(error.exit_code(), exit::OTHER);
}

/// One run over a directory store the test keeps (clones share it), as a
/// `--state` file would between runs.
async fn run_on(cli: &Cli, client: &Client, store: &MemoryStore) -> Result<Outcome, SyncError> {
    cli::run_with(cli, client, store.clone(), &ProgressBar::hidden()).await
}

/// The lines of a JSON Lines file.
fn json_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

/// `(field, item ID, name, member)` of every membership the fake's truth
/// gives for departments and sites.
fn expected_memberships(truth: &Company) -> BTreeSet<(String, String, String, String)> {
    let mut want = BTreeSet::new();
    for e in &truth.employees {
        if let Some(department) = &e.department {
            let (id, name) = (department.id.clone(), department.label.clone());
            want.insert(("work.department".into(), id, name, e.id.clone()));
        }
        if let (Some(site_id), Some(site)) = (e.site_id, &e.site) {
            let member = e.id.clone();
            want.insert((
                "work.site".into(),
                site_id.to_string(),
                site.clone(),
                member,
            ));
        }
    }
    want
}

#[tokio::test]
async fn groups_csv_has_one_row_per_member_next_to_the_roster() {
    let fake = FakeHibob::builder().employees(150).seed(21).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("people.csv");
    let cli = args(&[
        "--groups",
        "work.department,work.site",
        "--output",
        path_arg(&out),
    ]);
    let outcome = run(&cli, &client(&fake)).await.unwrap();
    assert_eq!(dir_listing(dir.path()), ["people.csv", "people.groups.csv"]);

    let bytes = std::fs::read(dir.path().join("people.groups.csv")).unwrap();
    let (headers, records) = parse_csv(&bytes);
    assert_eq!(headers, ["field", "id", "name", "parent", "member_id"]);
    let cell = |r: &Record, c: &str| r[c].clone().unwrap_or_default();
    let got: BTreeSet<_> = records
        .iter()
        .filter(|r| r["member_id"].is_some())
        .map(|r| {
            (
                cell(r, "field"),
                cell(r, "id"),
                cell(r, "name"),
                cell(r, "member_id"),
            )
        })
        .collect();
    let want = expected_memberships(&fake.truth());
    assert!(want.len() > 150, "departments and sites: {}", want.len());
    assert_eq!(got, want);
    let member_rows = records.iter().filter(|r| r["member_id"].is_some()).count();
    assert_eq!(member_rows, want.len(), "no membership written twice");
    let groups = outcome.report.groups.as_ref().expect("groups asked for");
    assert!(groups.iter().any(|g| g.key.field.as_str() == "work.site"));
    // The roster itself is unchanged by --groups.
    let (roster_headers, rows) = parse_csv(&std::fs::read(&out).unwrap());
    assert_eq!(roster_headers, COLUMNS);
    assert_eq!(rows.len(), 150);
}

#[tokio::test]
async fn groups_json_is_an_employees_and_groups_object_and_jsonl_adds_group_lines() {
    let fake = FakeHibob::builder().employees(90).seed(22).start().await;
    let want = expected_memberships(&fake.truth());
    let dir = tempfile::tempdir().unwrap();
    let memberships = |groups: &[Value]| -> BTreeSet<(String, String, String, String)> {
        let mut got = BTreeSet::new();
        for group in groups {
            let keys: Vec<&str> = group
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                ["field", "id", "members", "name", "parent"],
                "{group}"
            );
            for member in group["members"].as_array().unwrap() {
                got.insert((
                    group["field"].as_str().unwrap().to_owned(),
                    group["id"].as_str().unwrap().to_owned(),
                    group["name"].as_str().unwrap().to_owned(),
                    member.as_str().unwrap().to_owned(),
                ));
            }
        }
        got
    };

    let json = dir.path().join("roster.json");
    let cli = args(&[
        "--format",
        "json",
        "--groups",
        "work.department,work.site",
        "-o",
        path_arg(&json),
    ]);
    run(&cli, &client(&fake)).await.unwrap();
    let whole: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let keys: Vec<&str> = whole
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["employees", "groups"]);
    assert_eq!(whole["employees"].as_array().unwrap().len(), 90);
    let groups = whole["groups"].as_array().unwrap();
    assert_eq!(memberships(groups), want);

    let jsonl = dir.path().join("roster.jsonl");
    let cli = args(&[
        "--format",
        "jsonl",
        "--groups",
        "work.department,work.site",
        "-o",
        path_arg(&jsonl),
    ]);
    run(&cli, &client(&fake)).await.unwrap();
    let lines = json_lines(&jsonl);
    let (employees, group_lines): (Vec<&Value>, Vec<&Value>) =
        lines.iter().partition(|line| line.get("group").is_none());
    assert_eq!(employees.len(), 90);
    assert!(employees.iter().all(|e| e["id"].is_string()));
    assert_eq!(group_lines.len(), groups.len());
    assert!(
        lines[..90].iter().all(|l| l.get("group").is_none()),
        "the employees come first"
    );
    let from_lines: Vec<Value> = group_lines.iter().map(|l| l["group"].clone()).collect();
    assert_eq!(from_lines, *groups, "the same groups as in JSON");

    // Without --groups, JSON stays the bare array of 0.1.
    let cli = args(&["--format", "json", "-o", path_arg(&json)]);
    run(&cli, &client(&fake)).await.unwrap();
    let bare: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(bare.as_array().map(Vec::len), Some(90));
}

#[tokio::test]
async fn groups_of_an_unknown_field_are_a_usage_error_after_one_request() {
    let fake = FakeHibob::builder().employees(10).start().await;
    let (_scratch, sink) = scratch();
    let cli = args(&["--groups", "work.department,work.custom.nope", "-o", &sink]);
    let err = run(&cli, &client(&fake)).await.unwrap_err();
    assert_eq!(err.exit_code(), exit::USAGE, "{err}");
    assert!(
        err.to_string().contains("--groups work.custom.nope"),
        "{err}"
    );
    assert_eq!(fake.request_count(), 1, "only fields metadata was read");

    let err = cli::main(["roster_sync", "--demo", "--groups", "work.site"].map(Into::into)).await;
    assert_eq!(err, exit::USAGE, "CSV groups need --output");
}

#[tokio::test]
async fn events_are_json_lines_with_the_issues_keys_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeHibob::builder().employees(120).seed(23).start().await;
    let store = MemoryStore::new();
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.jsonl");
    let (_scratch, sink) = scratch();
    let cli = args(&["--events", path_arg(&events), "-o", &sink]);

    let first = run_on(&cli, &client(&fake), &store).await.unwrap();
    let lines = json_lines(&events);
    assert_eq!(first.events, lines.len());
    let (users, groups): (Vec<&Value>, Vec<&Value>) = lines
        .iter()
        .partition(|l| l["type"].as_str().unwrap().starts_with("user."));
    assert_eq!(users.len(), 120, "a first run creates everyone");
    assert!(
        groups.iter().any(|l| l["type"] == "group.created")
            && groups.iter().any(|l| l["type"] == "group.member_added"),
        "department and site groups are tracked without --groups too"
    );
    for line in users {
        let keys: BTreeSet<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from(["event_id", "at", "type", "user"]),
            "{line}"
        );
        assert_eq!(line["type"], "user.created");
        assert!(line["user"]["email"].is_string(), "the whole row: {line}");
    }
    let mode = std::fs::metadata(&events).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");

    let truth = fake.truth();
    let employed: Vec<_> = truth
        .employees
        .iter()
        .filter(|e| e.lifecycle_status == "employed" && e.department.is_some())
        .collect();
    let (mover, leaver) = (employed[0], employed[1]);
    let department = truth.lists["department"]
        .items
        .iter()
        .find(|i| !i.archived && Some(&i.id) != mover.department.as_ref().map(|d| &d.id))
        .unwrap();
    fake.move_department(&mover.id, &department.id, truth.today);
    fake.terminate(&leaver.id, truth.today);
    let joiner = fake.hire(NewHire::new(
        "Ada",
        "Lovelace",
        "ada@example.com",
        truth.today,
    ));

    run_on(&cli, &client(&fake), &store).await.unwrap();
    let lines = json_lines(&events);
    let of = |kind: &str| -> Vec<&Value> { lines.iter().filter(|l| l["type"] == kind).collect() };
    let created = of("user.created");
    assert_eq!(created.len(), 1, "{lines:?}");
    assert_eq!(created[0]["user"]["id"], joiner.as_str());
    let deactivated = of("user.deactivated");
    assert_eq!(deactivated.len(), 1, "{lines:?}");
    assert_eq!(deactivated[0]["user_id"], leaver.id.as_str());
    assert_eq!(deactivated[0]["status"], "terminated");
    let moved = of("user.updated")
        .into_iter()
        .find(|l| l["user_id"] == mover.id.as_str())
        .expect("the mover's update");
    assert_eq!(
        moved["changes"]["department"]["new"]["id"],
        department.id.as_str()
    );
    for line in &lines {
        assert!(line["event_id"].as_str().is_some_and(|id| !id.is_empty()));
        assert!(
            line["at"].as_str().is_some_and(|at| at.ends_with('Z')),
            "{line}"
        );
    }
    let ids: BTreeSet<&str> = lines
        .iter()
        .map(|l| l["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), lines.len(), "event IDs are unique");

    // A quiet run replaces the file with an empty one.
    run_on(&cli, &client(&fake), &store).await.unwrap();
    assert!(json_lines(&events).is_empty());
}

/// A baseline of 40 employees in `store`, then half of them out of the
/// service user's audience; returns the arguments and who vanished.
async fn before_a_mass_removal(
    fake: &FakeHibob,
    store: &MemoryStore,
    dir: &Path,
) -> (Cli, Vec<String>) {
    let cli = args(&[
        "--output",
        path_arg(&dir.join("roster.csv")),
        "--events",
        path_arg(&dir.join("events.jsonl")),
    ]);
    run_on(&cli, &client(fake), store).await.unwrap();
    let vanished: Vec<String> = fake.truth().employees[..20]
        .iter()
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(vanished.clone());
    });
    (cli, vanished)
}

#[tokio::test]
async fn a_mass_removal_is_refused_with_exit_6_and_nothing_written() {
    let fake = FakeHibob::builder().employees(40).seed(24).start().await;
    let store = MemoryStore::new();
    let dir = tempfile::tempdir().unwrap();
    let (cli, _) = before_a_mass_removal(&fake, &store, dir.path()).await;
    let before = contents(dir.path());

    let err = run_on(&cli, &client(&fake), &store).await.unwrap_err();
    assert!(matches!(err, SyncError::Refused(_)), "{err:?}");
    assert_eq!(err.exit_code(), exit::REFUSED);
    assert_eq!(exit::REFUSED, 6);
    let message = err.to_string();
    assert!(
        message.contains("20 of 40 users") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(contents(dir.path()), before, "output and events untouched");
    let stored = store.load().await.unwrap().unwrap();
    assert_eq!(stored.users.len(), 40, "the store is unchanged");
}

#[tokio::test]
async fn force_applies_a_mass_removal() {
    let fake = FakeHibob::builder().employees(40).seed(24).start().await;
    let store = MemoryStore::new();
    let dir = tempfile::tempdir().unwrap();
    let (cli, vanished) = before_a_mass_removal(&fake, &store, dir.path()).await;
    let forced = Cli {
        force: true,
        ..cli.clone()
    };

    let outcome = run_on(&forced, &client(&fake), &store).await.unwrap();
    assert_eq!(outcome.report.rows.len(), 20);
    let lines = json_lines(&dir.path().join("events.jsonl"));
    let removed: BTreeSet<&str> = lines
        .iter()
        .filter(|l| l["type"] == "user.removed")
        .map(|l| l["user_id"].as_str().unwrap())
        .collect();
    assert_eq!(removed, vanished.iter().map(String::as_str).collect());
    assert_eq!(store.load().await.unwrap().unwrap().users.len(), 20);
    let (_, rows) = parse_csv(&std::fs::read(dir.path().join("roster.csv")).unwrap());
    assert_eq!(rows.len(), 20);

    // The next run without --force has nothing left to refuse.
    assert_eq!(
        run_on(&cli, &client(&fake), &store).await.unwrap().events,
        0
    );
}

#[tokio::test]
async fn a_refused_mass_removal_exits_6_end_to_end_and_force_applies_it() {
    let fake = FakeHibob::builder().employees(40).seed(25).start().await;
    let dir = tempfile::tempdir().unwrap();
    let (out, events, db) = (
        dir.path().join("roster.csv"),
        dir.path().join("events.jsonl"),
        dir.path().join("state.db"),
    );
    let argv = [
        "--output",
        path_arg(&out),
        "--events",
        path_arg(&events),
        "--state",
        path_arg(&db),
    ];
    let cli = args(&argv);
    assert_eq!(cli::execute(&cli, &client(&fake)).await, exit::OK);
    let vanished: Vec<String> = fake.truth().employees[..20]
        .iter()
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(vanished.clone());
    });
    let before = contents(dir.path());

    assert_eq!(cli::execute(&cli, &client(&fake)).await, exit::REFUSED);
    assert_eq!(
        contents(dir.path()),
        before,
        "output, events and state as they were"
    );
    assert_eq!(
        cli::execute(&cli, &client(&fake)).await,
        exit::REFUSED,
        "still refused: the state did not move on"
    );

    let forced = args(&[argv.as_slice(), &["--force"]].concat());
    let outcome = run(&forced, &client(&fake)).await.unwrap();
    let changes = outcome.changes.unwrap();
    let leavers: BTreeSet<&str> = changes.leavers.iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(leavers, vanished.iter().map(String::as_str).collect());
    assert!(
        changes
            .leavers
            .iter()
            .all(|(_, kind)| *kind == LeaveKind::Disappeared)
    );
    assert!(
        changes.leavers.iter().all(|(p, _)| p.email.is_some()),
        "leavers are named from the previous snapshot: {changes}"
    );
    let removed = json_lines(&events)
        .iter()
        .filter(|l| l["type"] == "user.removed")
        .count();
    assert_eq!(removed, 20);
    assert_eq!(
        cli::execute(&cli, &client(&fake)).await,
        exit::OK,
        "nothing left to refuse"
    );
}

#[tokio::test]
async fn the_first_run_with_state_is_a_baseline_though_its_events_create_everyone() {
    let fake = FakeHibob::builder().employees(30).seed(26).start().await;
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.jsonl");
    let db = dir.path().join("state.db");
    let (_scratch, sink) = scratch();
    let cli = args(&[
        "-o",
        &sink,
        "--events",
        path_arg(&events),
        "--state",
        path_arg(&db),
    ]);
    let first = run(&cli, &client(&fake)).await.unwrap();
    let changes = first.changes.unwrap();
    assert_eq!(changes.baseline, Some(30));
    assert!(changes.joiners.is_empty(), "{changes}");
    assert!(
        changes
            .to_string()
            .starts_with("first run: 30 employees recorded")
    );
    let created = json_lines(&events)
        .iter()
        .filter(|l| l["type"] == "user.created")
        .count();
    assert_eq!(
        created, 30,
        "the library's rule: a first run creates everyone"
    );
}

/// A state file as `roster_sync` 0.1 wrote it, from the fake's truth.
fn write_0_1_state(path: &Path, truth: &Company) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE employee (id TEXT PRIMARY KEY, columns TEXT NOT NULL);
         CREATE TABLE run (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    )
    .unwrap();
    for (record, e) in expected(truth, false).into_iter().zip(sorted(truth)) {
        let mut columns: BTreeMap<String, Option<String>> = record;
        columns.remove("cost_centre");
        columns.remove("work_model");
        // 0.1 kept a label column's item ID under `#column` when there was one.
        let items = [
            ("#title", e.title.as_ref().map(|t| t.id.clone())),
            ("#department", e.department.as_ref().map(|d| d.id.clone())),
            ("#site", e.site_id.map(|s| s.to_string())),
        ];
        for (key, item) in items {
            if item.is_some() {
                columns.insert(key.to_owned(), item);
            }
        }
        let json = serde_json::to_string(&columns).unwrap();
        conn.execute(
            "INSERT INTO employee (id, columns) VALUES (?1, ?2)",
            rusqlite::params![e.id, json],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO run (key, value) VALUES ('last_run', ?1)",
        rusqlite::params![chrono::Utc::now().to_rfc3339()],
    )
    .unwrap();
}

/// The truth's employees in roster (ID) order.
fn sorted(truth: &Company) -> Vec<&hibob::testing::TruthEmployee> {
    let mut employees: Vec<_> = truth.employees.iter().collect();
    employees.sort_by(|a, b| sync::id_order(&a.id, &b.id));
    employees
}

#[tokio::test]
async fn a_0_1_state_file_is_migrated_and_the_next_run_reports_only_what_changed() {
    let fake = FakeHibob::builder().employees(60).seed(27).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    write_0_1_state(&db, &fake.truth());
    let joiner = fake.hire(NewHire::new(
        "Grace",
        "Hopper",
        "grace@example.com",
        fake.truth().today,
    ));
    let (_scratch, sink) = scratch();
    let cli = args(&["-o", &sink, "--state", path_arg(&db)]);

    let changes = run(&cli, &client(&fake)).await.unwrap().changes.unwrap();
    assert_eq!(changes.baseline, None, "the 0.1 roster is the previous run");
    let joiners: Vec<&str> = changes.joiners.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(joiners, [joiner.as_str()], "{changes}");
    assert!(
        changes.movers.is_empty() && changes.leavers.is_empty(),
        "{changes}"
    );
}

#[tokio::test]
async fn a_run_that_cannot_write_its_output_leaves_the_state_and_the_next_run_redoes_it() {
    let fake = FakeHibob::builder().employees(50).seed(28).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let good = dir.path().join("roster.csv");
    let broken = dir.path().join("missing-dir").join("roster.csv");
    let events = dir.path().join("events.jsonl");
    let with_output = |out: &Path| {
        args(&[
            "-o",
            path_arg(out),
            "--events",
            path_arg(&events),
            "--state",
            path_arg(&db),
        ])
    };
    run(&with_output(&good), &client(&fake)).await.unwrap();
    let state_before = std::fs::read(&db).unwrap();
    let events_before = std::fs::read(&events).unwrap();
    let leaver = fake
        .truth()
        .employees
        .iter()
        .find(|e| e.is_active())
        .unwrap()
        .id
        .clone();
    fake.terminate(&leaver, fake.truth().today);

    let err = run(&with_output(&broken), &client(&fake))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Output(_)), "{err:?}");
    assert_eq!(err.exit_code(), exit::OTHER);
    assert!(
        err.to_string().contains("its directory does not exist"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        state_before,
        "the state did not move on"
    );
    assert_eq!(
        std::fs::read(&events).unwrap(),
        events_before,
        "nor the events file"
    );

    let changes = run(&with_output(&good), &client(&fake))
        .await
        .unwrap()
        .changes
        .unwrap();
    let leavers: Vec<&str> = changes.leavers.iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(
        leavers,
        [leaver.as_str()],
        "the next run reports it again: {changes}"
    );
    let deactivated = json_lines(&events)
        .iter()
        .filter(|l| l["type"] == "user.deactivated")
        .count();
    assert_eq!(deactivated, 1);
}

#[tokio::test]
async fn nobody_visible_after_a_baseline_exits_4_even_with_force_and_keeps_the_state() {
    let fake = FakeHibob::builder().employees(25).start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state.db");
    let out = dir.path().join("roster.csv");
    let argv = ["-o", path_arg(&out), "--state", path_arg(&db)];
    assert_eq!(cli::execute(&args(&argv), &client(&fake)).await, exit::OK);
    let before = contents(dir.path());
    let everyone: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(everyone);
    });
    for forced in [false, true] {
        let mut argv = argv.to_vec();
        if forced {
            argv.push("--force");
        }
        let err = run(&args(&argv), &client(&fake)).await.unwrap_err();
        assert!(matches!(err, SyncError::NobodyVisible), "{err:?}");
        assert_eq!(err.exit_code(), exit::PERMISSION, "force {forced}");
        assert_eq!(contents(dir.path()), before, "force {forced}");
    }
}

/// The column keys of a history CSV header: the ID in parentheses of
/// `Name (key)`, else the header itself.
fn header_key(header: &str) -> &str {
    header
        .strip_suffix(')')
        .and_then(|h| h.rsplit_once(" ("))
        .map_or(header, |(_, key)| key)
}

/// Bulk pages a table of `rows` rows takes at HiBob's 200 rows a page (one
/// more when the last page is full and its cursor leads to an empty one).
fn assert_pages(fake: &FakeHibob, table: &str, rows: usize) {
    let pages = fake.request_count_for(&format!("/bulk/people/{table}"));
    let least = rows.div_ceil(200).max(1);
    assert!(
        pages >= least && pages <= least + 1,
        "{table}: {pages} pages for {rows} rows"
    );
}

#[tokio::test]
async fn with_history_picks_the_tables_and_names_their_columns_from_table_metadata() {
    let fake = FakeHibob::builder().employees(250).seed(12).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("people.csv");
    let cli = args(&[
        "--with-history=work,salaries,variable",
        "--output",
        path_arg(&out),
    ]);
    let outcome = run(&cli, &client(&fake)).await.unwrap();
    assert_eq!(
        dir_listing(dir.path()),
        [
            "people.csv",
            "people.salaries.csv",
            "people.variable.csv",
            "people.work.csv"
        ]
    );
    // The sync's requests, before the test reads the metadata itself.
    let requests = fake.requests();
    let metadata = client(&fake).tables().metadata().await;
    let warned = outcome
        .report
        .warnings
        .iter()
        .any(|w| w.starts_with("table metadata not readable"));
    assert_eq!(warned, metadata.is_err(), "{:?}", outcome.report.warnings);
    let truth = fake.truth();
    let mut named = 0;
    for table in ["work", "salaries", "variable"] {
        let bytes = std::fs::read(dir.path().join(format!("people.{table}.csv"))).unwrap();
        let (headers, records) = parse_csv(&bytes);
        assert_eq!(&headers[..2], ["employee_id", "id"], "{table}");
        let meta = metadata
            .as_ref()
            .ok()
            .and_then(|tables| tables.iter().find(|t| t.id == table));
        for header in &headers[1..] {
            let key = header_key(header);
            let top = key.split('.').next().unwrap();
            let column = match top {
                "customColumns" => key.split('.').nth(1).unwrap(),
                _ => top,
            };
            let name = meta.and_then(|m| m.column_name(column));
            let leading = ["id", "effectiveDate", "endEffectiveDate", "isCurrent"];
            match name {
                Some(name) if name != column && !leading.contains(&key) => {
                    assert_eq!(header, &format!("{name} ({key})"), "{table}");
                    named += 1;
                }
                _ => assert_eq!(header, key, "{table}: an ID header"),
            }
        }
        let unique: BTreeSet<&String> = headers.iter().collect();
        assert_eq!(unique.len(), headers.len(), "{table}: unique headers");
        let rows = records.len();
        match table {
            "work" => assert_eq!(
                rows,
                truth
                    .employees
                    .iter()
                    .map(|e| e.work_history.len())
                    .sum::<usize>()
            ),
            "salaries" => assert_eq!(
                rows,
                truth
                    .employees
                    .iter()
                    .map(|e| e.salary_history.len())
                    .sum::<usize>()
            ),
            _ => {}
        }
        assert_pages(&fake, table, rows);
    }
    if metadata.is_ok() {
        assert!(named > 0, "the metadata named some columns");
    }
    // One table-metadata read, the selected tables only, nothing per employee.
    let count = |prefix: &str| {
        requests
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .count()
    };
    assert_eq!(count("/v1/company/people/employee-tables/metadata"), 1);
    assert_eq!(count("/v1/bulk/people/lifecycle"), 0);
    assert_eq!(count("/v1/bulk/people/employment"), 0);
    let per_employee = requests
        .iter()
        .filter(|r| r.path.starts_with("/v1/people/") && r.path != "/v1/people/search")
        .count();
    assert_eq!(per_employee, 0);
    let side_files = outcome.report.history_tables.len();
    assert_eq!(side_files, 3);
}

#[tokio::test]
async fn with_history_json_holds_the_selected_tables_only() {
    let fake = FakeHibob::builder().employees(40).seed(13).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roster.json");
    let cli = args(&[
        "--with-history=salaries,work",
        "--format",
        "json",
        "--output",
        path_arg(&out),
    ]);
    run(&cli, &client(&fake)).await.unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let truth = fake.truth();
    for row in &rows {
        let e = truth.employee(row["id"].as_str().unwrap()).unwrap();
        let salaries = row["salaries"].as_array().expect("a salaries key");
        assert_eq!(salaries.len(), e.salary_history.len(), "{}", e.id);
        assert_eq!(row["work"].as_array().unwrap().len(), e.work_history.len());
        assert!(row.get("lifecycle").is_none() && row.get("employment").is_none());
    }
}

#[tokio::test]
async fn with_history_names_unknown_and_per_employee_only_tables_as_usage_errors() {
    let parse = |arg: &str| Cli::try_parse_from(["roster_sync", arg, "-o", "x.csv"]);
    let bad = parse("--with-history=work,adress").unwrap_err();
    assert_eq!(bad.exit_code(), i32::from(exit::USAGE));
    let text = bad.to_string();
    assert!(text.contains("`adress` is not a table"), "{text}");
    assert!(
        text.contains("right-to-work") && text.contains("variable"),
        "{text}"
    );
    assert!(
        !text.contains("training,") && !text.contains(", training"),
        "{text}"
    );
    for table in ["training", "bank-accounts"] {
        let refused = parse(&format!("--with-history={table}")).unwrap_err();
        assert_eq!(refused.exit_code(), i32::from(exit::USAGE), "{table}");
        let text = refused.to_string();
        assert!(text.contains("HiBob has no bulk read"), "{text}");
        assert!(text.contains("one request per employee"), "{text}");
    }
    assert!(parse("--with-history=").is_err(), "no table named");
    for id in ["custom:", "custom:../etc", "custom:a/b"] {
        let bad = parse(&format!("--with-history={id}")).unwrap_err();
        assert!(
            bad.to_string().contains("is not custom:<table_id>"),
            "{bad}"
        );
    }
    // End to end, before any request.
    let code = cli::main(
        [
            "roster_sync",
            "--demo",
            "--with-history=training",
            "-o",
            "x.csv",
        ]
        .map(Into::into),
    )
    .await;
    assert_eq!(code, exit::USAGE);
    // A bare flag still means lifecycle, employment and work; names dedupe.
    let bare = args(&["--with-history", "-o", "x.csv"]);
    let tables = |cli: &Cli| cli.options().history.unwrap().to_string();
    assert_eq!(tables(&bare), "lifecycle,employment,work");
    let picked = args(&[
        "--with-history=Salary, work,salaries,custom:12,custom:12",
        "-o",
        "x.csv",
    ]);
    assert_eq!(tables(&picked), "salaries,work,custom:12");
}

/// A proxy in front of `fake` that answers 403 for table metadata and
/// forwards everything else; stops when the handle is dropped.
async fn deny_table_metadata(fake: &FakeHibob) -> (String, tokio::task::JoinHandle<()>) {
    use axum::http::{HeaderMap, Method, StatusCode, Uri};
    use axum::response::IntoResponse;
    let upstream = fake.address();
    let http = hibob::__private::http_client_builder()
        .expect("TLS setup")
        .no_proxy()
        .build()
        .unwrap();
    let forward = move |method: Method, uri: Uri, headers: HeaderMap, body: axum::body::Bytes| {
        let http = http.clone();
        async move {
            if uri
                .path()
                .starts_with("/v1/company/people/employee-tables/metadata")
            {
                let body = r#"{"error": "forbidden", "message": "Missing permissions"}"#;
                return (StatusCode::FORBIDDEN, body).into_response();
            }
            let target = format!(
                "http://{upstream}{}",
                uri.path_and_query().map_or("/", |p| p.as_str())
            );
            let mut request = http.request(method, target).body(body);
            for (name, value) in &headers {
                if name != "host" && name != "content-length" {
                    request = request.header(name, value);
                }
            }
            let answer = request.send().await.unwrap();
            let status = answer.status();
            let mut out = HeaderMap::new();
            for (name, value) in answer.headers() {
                if !["content-length", "transfer-encoding", "connection"].contains(&name.as_str()) {
                    out.append(name, value.clone());
                }
            }
            let bytes = answer.bytes().await.unwrap_or_default();
            (status, out, bytes).into_response()
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = axum::Router::new().fallback(forward);
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (format!("http://{address}/v1"), task)
}

#[tokio::test]
async fn denied_table_metadata_falls_back_to_column_ids_with_a_warning() {
    let fake = FakeHibob::builder().employees(30).seed(14).start().await;
    let (uri, proxy) = deny_table_metadata(&fake).await;
    let client = Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(uri)
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(1)))
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("people.csv");
    let cli = args(&["--with-history=work", "--output", path_arg(&out)]);
    let outcome = run(&cli, &client).await.expect("the sync goes on");
    proxy.abort();
    let warning = outcome
        .report
        .warnings
        .iter()
        .find(|w| w.starts_with("table metadata not readable"))
        .expect("a warning");
    assert!(
        warning.contains("403") && warning.contains("column IDs"),
        "{warning}"
    );
    let (headers, records) = parse_csv(&std::fs::read(dir.path().join("people.work.csv")).unwrap());
    assert!(headers.iter().any(|h| h == "title"), "{headers:?}");
    assert!(headers.iter().all(|h| !h.ends_with(')')), "{headers:?}");
    let truth = fake.truth();
    let rows: usize = truth.employees.iter().map(|e| e.work_history.len()).sum();
    assert_eq!(records.len(), rows);
}

#[tokio::test]
async fn a_custom_table_is_a_file_of_its_own_named_from_its_metadata_with_labels() {
    use hibob::testing::{ASSET_SERIAL_COLUMN, ASSET_TYPE_COLUMN, ASSETS_TABLE_ID};
    let fake = FakeHibob::builder().employees(120).seed(15).start().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("people.csv");
    let selection = format!("--with-history=work,custom:{ASSETS_TABLE_ID}");
    let cli = args(&[&selection, "--output", path_arg(&out)]);
    run(&cli, &client(&fake)).await.unwrap();
    let file = format!("people.custom-{ASSETS_TABLE_ID}.csv");
    assert_eq!(
        dir_listing(dir.path()),
        ["people.csv", file.as_str(), "people.work.csv"]
    );
    let (headers, records) = parse_csv(&std::fs::read(dir.path().join(&file)).unwrap());
    let serial = format!("Serial number ({ASSET_SERIAL_COLUMN})");
    let kind = format!("Asset type ({ASSET_TYPE_COLUMN})");
    assert!(
        headers.contains(&serial) && headers.contains(&kind),
        "{headers:?}"
    );
    let truth = fake.truth();
    let want: usize = (truth.employees.iter())
        .map(|e| e.custom_table_rows(ASSETS_TABLE_ID).len())
        .sum();
    assert_eq!(records.len(), want);
    // List cells are labels, not item IDs.
    let list = &truth.lists[&format!("{ASSETS_TABLE_ID}.{ASSET_TYPE_COLUMN}")];
    for record in &records {
        if let Some(cell) = &record[&kind] {
            assert!(list.items.iter().any(|i| &i.label == cell), "{cell}");
        }
    }
    assert_pages(&fake, &format!("custom-tables/{ASSETS_TABLE_ID}"), want);
}
