//! `examples/provision` against the fake: the dry run changes nothing and
//! prints the plan; `--apply` creates and a rerun creates nothing; a create
//! whose answer was lost (the fake applied it, then dropped the connection)
//! leaves exactly one employee, also after a rerun, which checks the
//! journal instead of resending (through the fake's read lag, on the paused
//! clock); invalid rows are refused with the reason; the binary's help and
//! exit codes.

#[allow(dead_code)]
#[path = "../../examples/provision/apply.rs"]
mod apply;
#[allow(dead_code)]
#[path = "../../examples/provision/cli.rs"]
mod cli;
// The examples' shared exit codes, loaded once at the crate root.
use crate::exit_codes;
#[allow(dead_code)]
#[path = "../../examples/provision/journal.rs"]
mod journal;
#[allow(dead_code)]
#[path = "../../examples/provision/plan.rs"]
mod plan;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use hibob::Client;
use hibob::testing::FakeHibob;

use self::cli::{Cli, Failure, Outcome, exit};

const HEADER: &str = "email,first_name,last_name,site,start_date,title,department,manager_email,employee_id_in_company";

struct Run {
    outcome: Result<Outcome, Failure>,
    text: String,
}

async fn run(client: &Client, args: &[&str]) -> Run {
    let cli = Cli::try_parse_from(std::iter::once("provision").chain(args.iter().copied()))
        .expect("valid arguments");
    let mut out = Vec::new();
    let outcome = cli::run(&cli, client, &mut out).await;
    Run {
        outcome,
        text: String::from_utf8(out).unwrap(),
    }
}

fn write_csv(dir: &Path, rows: &[String]) -> PathBuf {
    let path = dir.join("hires.csv");
    let text = std::iter::once(HEADER.to_owned())
        .chain(rows.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, text + "\n").unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Creates the fake has received.
fn creates(fake: &FakeHibob) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/people")
        .count()
}

fn with_email(fake: &FakeHibob, email: &str) -> usize {
    let truth = fake.truth();
    truth
        .employees
        .iter()
        .filter(|e| e.email.eq_ignore_ascii_case(email))
        .count()
}

/// Two new hires (the second managed by the first), and one already in HiBob.
fn hires(fake: &FakeHibob) -> Vec<String> {
    let truth = fake.truth();
    let known = &truth.employees[1];
    let boss = &truth.employees[0].email;
    vec![
        format!(
            "ada@example.com,Ada,Lovelace,Paris,2031-09-01,Software Engineer,Engineering,{boss},9001"
        ),
        "grace@example.com,Grace,Hopper,New York,2031-09-01,,,ada@example.com,".to_owned(),
        format!(
            "{},{},{},Paris,2020-01-06,,,,",
            known.email, known.first_name, known.surname
        ),
    ]
}

#[tokio::test]
async fn the_dry_run_prints_the_plan_refuses_invalid_rows_and_changes_nothing() {
    let fake = crate::support::fake(6, 5).await;
    let client = fake.client();
    let dir = tempfile::tempdir().unwrap();
    let mut rows = hires(&fake);
    rows.extend([
        "alan@example,Alan,Turing,Paris,2031-09-01,,,,".to_owned(),
        "edsger@example.com,Edsger,Dijkstra,Paris,01/09/2031,,,,".to_owned(),
        "barbara@example.com,,Liskov,Paris,2031-09-01,,,,".to_owned(),
        "ADA@example.com,Ada,Again,Paris,2031-09-01,,,,".to_owned(),
        "ken@example.com,Ken,Thompson,Paris,2031-09-01,,,nobody@example.com,".to_owned(),
        "niklaus@example.com,Niklaus,Wirth,Paris,2031-09-01,,,,12a".to_owned(),
    ]);
    let csv = write_csv(dir.path(), &rows);
    let before = fake.truth().employees.len();
    let run = run(&client, &[s(&csv)]).await;
    let outcome = run.outcome.unwrap();
    let text = run.text;
    assert_eq!(outcome.invalid, 6, "{text}");
    assert_eq!(outcome.existing, 1, "{text}");
    assert_eq!(outcome.exit_code(), exit::INVALID_ROWS);
    for expected in [
        "line    2  create          ada@example.com",
        "manager ada@example.com (a hire above)",
        "already exists",
        "`alan@example` is not an e-mail address",
        "start_date `01/09/2031` is not a date as YYYY-MM-DD",
        "first_name is empty",
        "the e-mail is also on line 2",
        "manager_email nobody@example.com is neither in HiBob nor a hire on an earlier row",
        "employee_id_in_company `12a` is not a whole number",
        "plan: 2 to create, 1 already exist, 6 invalid. Dry run",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert_eq!(fake.truth().employees.len(), before);
    assert_eq!(creates(&fake), 0);
    let searches = fake.request_count_for("/people/search");
    assert_eq!(searches, 1, "one lookup for every e-mail");
    assert!(!dir.path().join("hires.csv.journal").exists());
}

#[tokio::test]
async fn apply_creates_each_hire_once_and_a_rerun_creates_nothing() {
    let fake = crate::support::fake(6, 5).await;
    let client = fake.client();
    let dir = tempfile::tempdir().unwrap();
    let mut rows = hires(&fake);
    rows.push("linus@example.com,Linus,Torvalds,Atlantis,2031-09-01,,,,".to_owned());
    let csv = write_csv(dir.path(), &rows);
    let first = run(&client, &[s(&csv), "--apply", "--verify"]).await;
    let outcome = first.outcome.unwrap();
    assert_eq!(
        (outcome.created, outcome.existing),
        (2, 1),
        "{}",
        first.text
    );
    assert_eq!(
        (outcome.invalid, outcome.refused),
        (1, 0),
        "an unknown site is refused before sending: {}",
        first.text
    );
    assert_eq!(outcome.not_stored, 0, "{}", first.text);
    assert_eq!(outcome.exit_code(), exit::INVALID_ROWS);
    assert!(
        first
            .text
            .contains("`work.site` is not an item of list `site`"),
        "{}",
        first.text
    );
    let truth = fake.truth();
    let ada = truth
        .employees
        .iter()
        .find(|e| e.email == "ada@example.com")
        .unwrap();
    let grace = truth
        .employees
        .iter()
        .find(|e| e.email == "grace@example.com")
        .unwrap();
    assert_eq!(
        grace.manager_id.as_deref(),
        Some(ada.id.as_str()),
        "managed by a new hire"
    );
    assert_eq!(
        ada.manager_id.as_deref(),
        Some(truth.employees[0].id.as_str())
    );
    assert_eq!(ada.employee_id_in_company, Some(9001));
    assert_eq!(
        ada.title.as_ref().map(|t| t.label.as_str()),
        Some("Software Engineer")
    );
    assert_eq!(creates(&fake), 2, "the invalid row was not sent");

    let again = run(&client, &[s(&csv), "--apply"]).await;
    let outcome = again.outcome.unwrap();
    assert_eq!(
        (outcome.created, outcome.existing),
        (0, 3),
        "{}",
        again.text
    );
    assert_eq!(creates(&fake), 2, "nothing was sent again");
    assert_eq!(with_email(&fake, "ada@example.com"), 1);
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_exists_once_also_after_a_rerun() {
    let fake = crate::support::fake(6, 5).await;
    let client = fake.client();
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), &hires(&fake)[..1]);
    let journal = dir.path().join("hires.csv.journal");
    fake.knobs(|k| {
        k.drop_after_apply_on("POST /people", 1);
    });
    let first = run(&client, &[s(&csv), "--apply"]).await;
    let outcome = first.outcome.unwrap();
    assert_eq!(outcome.unknown, 1, "{}", first.text);
    assert_eq!(outcome.exit_code(), exit::UNKNOWN_OUTCOME);
    assert!(
        first.text.contains("outcome unknown, kept in the journal"),
        "{}",
        first.text
    );
    assert_eq!(
        with_email(&fake, "ada@example.com"),
        1,
        "the fake applied it"
    );
    assert_eq!(creates(&fake), 1, "not resent");
    let kept = std::fs::read_to_string(&journal).unwrap();
    assert!(kept.contains("ada@example.com"), "{kept}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&journal).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let plan = run(&client, &[s(&csv)]).await;
    assert!(
        plan.text
            .contains("created by an earlier run whose answer was lost"),
        "{}",
        plan.text
    );

    let rerun = run(&client, &[s(&csv), "--apply"]).await;
    let outcome = rerun.outcome.unwrap();
    assert_eq!(
        (outcome.created, outcome.existing),
        (0, 1),
        "{}",
        rerun.text
    );
    assert_eq!(outcome.exit_code(), exit::OK);
    assert_eq!(creates(&fake), 1, "the rerun did not send it again");
    assert_eq!(with_email(&fake, "ada@example.com"), 1);
    assert!(!journal.exists(), "settled");
}

#[tokio::test(start_paused = true)]
async fn the_rerun_waits_out_the_read_lag_before_it_would_resend() {
    let fake = crate::support::fake(6, 5).await;
    let client = crate::support::paused_client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), &hires(&fake)[..1]);
    fake.knobs(|k| {
        k.read_lag(Duration::from_secs(6))
            .drop_after_apply_on("POST /people", 1);
    });
    let first = run(&client, &[s(&csv), "--apply"]).await;
    assert_eq!(first.outcome.unwrap().unknown, 1, "{}", first.text);
    let plan = run(&client, &[s(&csv)]).await;
    assert!(
        plan.text.contains("check, then"),
        "not visible yet: {}",
        plan.text
    );
    let started = tokio::time::Instant::now();
    let rerun = run(&client, &[s(&csv), "--apply"]).await;
    let outcome = rerun.outcome.unwrap();
    assert_eq!(
        (outcome.created, outcome.existing),
        (0, 1),
        "{}",
        rerun.text
    );
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(creates(&fake), 1);
    assert_eq!(with_email(&fake, "ada@example.com"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_journaled_create_that_never_arrived_is_sent_after_the_window() {
    let fake = crate::support::fake(6, 5).await;
    let client = crate::support::paused_client(&fake);
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), &hires(&fake)[..1]);
    let journal = dir.path().join("hires.csv.journal");
    let entry = format!(
        r#"{{"entries": [{{"email": "ada@example.com", "line": 2, "sent_at": {}}}]}}"#,
        journal::now()
    );
    std::fs::write(&journal, entry).unwrap();
    let started = tokio::time::Instant::now();
    let rerun = run(&client, &[s(&csv), "--apply", "--lag-window", "3"]).await;
    let outcome = rerun.outcome.unwrap();
    assert_eq!(outcome.created, 1, "{}", rerun.text);
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(3),
        "waited out the window"
    );
    assert_eq!(with_email(&fake, "ada@example.com"), 1);
    assert!(!journal.exists());
}

#[tokio::test]
async fn a_csv_without_a_required_column_or_with_an_unknown_one_is_a_usage_error() {
    let fake = crate::support::fake(3, 5).await;
    let client = fake.client();
    let dir = tempfile::tempdir().unwrap();
    for (header, message) in [
        (
            "email,first_name,site,start_date",
            "lacks the column(s) last_name",
        ),
        (
            "email,first_name,last_name,site,start_date,manager",
            "unknown CSV column `manager`",
        ),
    ] {
        let csv = dir.path().join("bad.csv");
        std::fs::write(&csv, format!("{header}\n")).unwrap();
        let run = run(&client, &[s(&csv)]).await;
        let failure = run.outcome.unwrap_err();
        assert_eq!(failure.exit_code(), exit::USAGE);
        assert!(failure.to_string().contains(message), "{failure}");
    }
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn the_binary_documents_its_columns_and_exit_codes_and_applies_against_base_url() {
    let Some(binary) = crate::examples::examples_dir().map(|d| d.join("provision")) else {
        return;
    };
    if !binary.exists() {
        eprintln!("skipped: build the examples first (`cargo test` does)");
        return;
    }
    let help = std::process::Command::new(&binary)
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.starts_with("Creates new hires in HiBob from a CSV"),
        "{help}"
    );
    for column in plan::REQUIRED.iter().chain(&plan::OPTIONAL) {
        assert!(help.contains(column), "{column} undocumented:\n{help}");
    }
    assert!(help.contains("7 rows whose outcome is unknown"), "{help}");
    assert!(help.contains("--base-url <URL>"), "{help}");

    let fake = crate::support::fake(4, 5).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), &hires(&fake)[..2]);
    let apply = |extra: &[&str]| {
        tokio::process::Command::new(&binary)
            .arg(&csv)
            .args(extra)
            .arg("--base-url")
            .arg(fake.uri())
            .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
            .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
            .output()
    };
    let done = apply(&["--apply"]).await.unwrap();
    let text = String::from_utf8_lossy(&done.stdout);
    assert_eq!(done.status.code(), Some(0), "{text}");
    assert!(text.contains("done: 2 created"), "{text}");
    assert_eq!(with_email(&fake, "grace@example.com"), 1);
    let wrong = tokio::process::Command::new(&binary)
        .arg(&csv)
        .arg("--base-url")
        .arg(fake.uri())
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", "not-the-token")
        .output()
        .await
        .unwrap();
    assert_eq!(wrong.status.code(), Some(exit::CREDENTIALS as i32));
    let demo = std::process::Command::new(&binary)
        .arg("--demo")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&demo.stdout);
    assert_eq!(
        demo.status.code(),
        Some(exit::INVALID_ROWS as i32),
        "{text}"
    );
    assert!(text.contains("Dry run: nothing was written"), "{text}");
}

#[tokio::test]
async fn a_journal_entry_for_a_row_no_longer_in_the_csv_is_settled_or_reported() {
    let fake = crate::support::fake(6, 5).await;
    let client = fake.client();
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), &hires(&fake)[1..2]);
    let journal = dir.path().join("hires.csv.journal");
    let known = fake.truth().employees[2].email.clone();
    let entries = format!(
        r#"{{"entries": [{{"email": "{known}", "line": 7, "sent_at": 1}}, {{"email": "gone@example.com", "line": 8, "sent_at": 1}}]}}"#
    );
    std::fs::write(&journal, entries).unwrap();
    let run = run(&client, &[s(&csv), "--apply"]).await;
    let outcome = run.outcome.unwrap();
    assert_eq!(outcome.unknown, 1, "{}", run.text);
    assert_eq!(outcome.exit_code(), exit::UNKNOWN_OUTCOME);
    assert!(
        run.text
            .contains("gone@example.com  in the journal but not in this CSV"),
        "{}",
        run.text
    );
    let kept = std::fs::read_to_string(&journal).unwrap();
    assert!(
        kept.contains("gone@example.com") && !kept.contains(&known),
        "{kept}"
    );
}
