//! The `whos_out` example against its embedded fake: JSON with both
//! sections, weeks from Monday to Sunday, and the exit code of a 403.

use hibob::chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;

use crate::examples::examples_dir;

/// The built example, or `None` (and a note) when the examples were not built.
fn whos_out() -> Option<std::path::PathBuf> {
    let binary = examples_dir()?.join("whos_out");
    if binary.exists() {
        Some(binary)
    } else {
        eprintln!("skipped: build the examples first (`cargo test` does)");
        None
    }
}

/// Runs it with `args` (no environment base URL) and returns its exit
/// code, stdout and stderr.
fn run(binary: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(binary)
        .args(args)
        .env_remove("HIBOB_BASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stdout, stderr)
}

fn date(value: &Value) -> NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

/// Both sections are there, each with a list of departments whose rows
/// carry a name, a policy and when.
fn assert_report_shape(report: &Value) {
    for section in ["today", "week"] {
        let departments = report[section]["departments"]
            .as_array()
            .unwrap_or_else(|| panic!("{section} has no departments: {report}"));
        for department in departments {
            assert!(department["department"].is_string(), "{department}");
            let out = department["out"].as_array().unwrap();
            assert!(
                !out.is_empty(),
                "an empty department is listed: {department}"
            );
            for row in out {
                for key in ["employeeId", "name", "policy", "from", "to", "when"] {
                    assert!(row[key].is_string(), "{key} missing in {row}");
                }
            }
        }
    }
}

#[test]
fn demo_json_has_today_and_the_week_by_department() {
    let Some(binary) = whos_out() else {
        return;
    };
    let (code, stdout, stderr) = run(&binary, &["--demo", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_report_shape(&report);
    let from = date(&report["week"]["from"]);
    let to = date(&report["week"]["to"]);
    let today = date(&report["today"]["date"]);
    assert_eq!(from.weekday(), Weekday::Mon);
    assert_eq!(to.weekday(), Weekday::Sun);
    assert!(from <= today && today <= to, "{today} outside {from}..{to}");
    // The fake's company has absences somewhere in a busy week: 150
    // employees with about 2.6 requests each.
    let weeks_rows: usize = report["week"]["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["out"].as_array().unwrap().len())
        .sum();
    assert!(weeks_rows > 0, "nobody out all week: {report}");
}

#[test]
fn a_fixed_offset_week_runs_monday_to_sunday_around_the_given_day() {
    let Some(binary) = whos_out() else {
        return;
    };
    // 2026-03-04 is a Wednesday; 2026-03-08 a Sunday (its own week's end).
    for (day, monday, sunday) in [
        ("2026-03-04", "2026-03-02", "2026-03-08"),
        ("2026-03-08", "2026-03-02", "2026-03-08"),
        ("2026-03-09", "2026-03-09", "2026-03-15"),
    ] {
        let args = [
            "--demo", "--format", "json", "--tz", "+02:00", "--today", day,
        ];
        let (code, stdout, stderr) = run(&binary, &args);
        assert_eq!(code, Some(0), "{stderr}");
        let report: Value = serde_json::from_str(&stdout).expect("valid JSON");
        assert_report_shape(&report);
        assert_eq!(report["timezone"], "+02:00");
        assert_eq!(report["today"]["date"], day);
        assert_eq!(report["week"]["from"], monday, "{day}");
        assert_eq!(report["week"]["to"], sunday, "{day}");
    }
}

#[test]
fn offsets_without_a_tz_database_are_checked() {
    let Some(binary) = whos_out() else {
        return;
    };
    for ok in ["UTC", "local", "-0530", "-05:30", "+14:00"] {
        let (code, _, stderr) = run(&binary, &["--demo", "--tz", ok]);
        assert_eq!(code, Some(0), "{ok}: {stderr}");
    }
    for bad in ["Europe/Paris", "+15:00", "0200", "+2:3"] {
        let (code, _, stderr) = run(&binary, &["--demo", "--tz", bad]);
        assert_eq!(code, Some(2), "{bad} accepted");
        assert!(stderr.contains("--tz"), "{stderr}");
    }
}

#[test]
fn a_denied_time_off_permission_says_what_to_grant_and_exits_4() {
    let Some(binary) = whos_out() else {
        return;
    };
    let (code, stdout, stderr) = run(&binary, &["--demo", "--demo-deny-time-off"]);
    assert_eq!(code, Some(4), "{stdout}{stderr}");
    assert!(stderr.contains("See who's out"), "{stderr}");
    assert!(stdout.is_empty(), "printed a report anyway: {stdout}");
}

#[tokio::test]
async fn an_absence_of_someone_the_search_did_not_return_is_listed_not_dropped() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let Some(binary) = whos_out() else {
        return;
    };
    // Real metadata and search answers from the fake; who's out is canned
    // so that it names one employee the search returned and one it did not.
    let fake = hibob::testing::FakeHibob::builder()
        .employees(5)
        .start()
        .await;
    let client = fake.client();
    let fields: Value = client.get_json("/company/people/fields").await.unwrap();
    let lists: Value = client.get_json("/company/named-lists").await.unwrap();
    let search = serde_json::json!({"fields": ["root.id", "work.department"]});
    let found: Value = client
        .post_json("/people/search", &search)
        .retry_safe(true)
        .await
        .unwrap();
    let known = found["employees"][0]["id"].as_str().unwrap().to_owned();
    let out = |id: &str, name: &str| {
        serde_json::json!({
            "employeeId": id, "employeeDisplayName": name, "policyTypeDisplayName": "Holiday",
            "type": "days", "startDate": "2026-03-03", "endDate": "2026-03-05", "status": "Approved",
        })
    };
    let server = MockServer::start().await;
    for (verb, route, body) in [
        ("GET", "/v1/company/people/fields", fields),
        ("GET", "/v1/company/named-lists", lists),
        ("POST", "/v1/people/search", found),
        (
            "GET",
            "/v1/timeoff/whosout",
            serde_json::json!({"outs": [out(&known, "Known"), out("999", "Ghost")]}),
        ),
        (
            "GET",
            "/v1/timeoff/outtoday",
            serde_json::json!({"outs": []}),
        ),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }

    let output = tokio::process::Command::new(binary)
        .args([
            "--format",
            "json",
            "--tz",
            "+02:00",
            "--today",
            "2026-03-04",
        ])
        .arg("--base-url")
        .arg(format!("{}/v1", server.uri()))
        .env_remove("HIBOB_BASE_URL")
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).expect("valid JSON");
    let departments = report["week"]["departments"].as_array().unwrap();
    let under = |name: &str| {
        departments
            .iter()
            .find(|d| {
                d["out"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["name"] == name)
            })
            .map(|d| d["department"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        under("Ghost").as_deref(),
        Some("(unknown department)"),
        "{report}"
    );
    let known_department = under("Known").expect("Known is listed");
    assert_ne!(known_department, "(unknown department)");

    // The dates went to HiBob explicitly: the week, and today for out today.
    let requests = server.received_requests().await.unwrap();
    let query = |route: &str| {
        let request = requests.iter().find(|r| r.url.path() == route).unwrap();
        request.url.query().unwrap_or_default().to_owned()
    };
    let week = query("/v1/timeoff/whosout");
    assert!(
        week.contains("from=2026-03-02") && week.contains("to=2026-03-08"),
        "{week}"
    );
    assert!(query("/v1/timeoff/outtoday").contains("today=2026-03-04"));
}
