//! Every example's `--help`: its own description first, and `--base-url`.

/// The compiled examples, next to this test binary (`cargo test` builds
/// them; `cargo test --test it` does not).
pub(crate) fn examples_dir() -> Option<std::path::PathBuf> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    Some(deps.parent()?.join("examples"))
}

#[test]
fn every_example_opens_its_help_with_its_own_description_and_takes_base_url() {
    let Some(dir) = examples_dir() else {
        return;
    };
    let examples = [
        ("quickstart", "The smallest useful program"),
        ("employee_history", "Print one employee's lifecycle"),
        ("handle_errors", "Show what to do for each error"),
        ("check_access", "Check a HiBob service user's permissions"),
        ("webhook_listener", "Listen for Bob webhooks"),
        ("roster_sync", "Syncs the HiBob roster"),
        ("directory_daemon", "Keeps a copy of the HiBob directory"),
        ("whos_out", "Who is out today and this week"),
        ("api_tour", "Call every typed HiBob read endpoint once"),
        ("provision", "Creates new hires in HiBob from a CSV"),
    ];
    // roster_sync needs `directory-sqlite`; without it the example is not built.
    let built = |name: &&str| *name != "roster_sync" || cfg!(feature = "directory-sqlite");
    let examples: Vec<_> = examples
        .into_iter()
        .filter(|(name, _)| built(name))
        .collect();
    let mut ran = 0;
    for (name, opening) in &examples {
        let binary = dir.join(name);
        if !binary.exists() {
            eprintln!("skipped {name}: build the examples first (`cargo test` does)");
            continue;
        }
        let output = std::process::Command::new(&binary)
            .arg("--help")
            .env_remove("HIBOB_BASE_URL")
            .output()
            .unwrap();
        assert!(output.status.success(), "{name} --help failed");
        let help = String::from_utf8(output.stdout).unwrap();
        let first = help.lines().next().unwrap_or_default();
        assert!(first.starts_with(opening), "{name} opens with {first:?}");
        assert!(
            help.contains("--base-url <URL>"),
            "{name} lacks --base-url:\n{help}"
        );
        ran += 1;
    }
    if ran > 0 {
        assert_eq!(ran, examples.len(), "some examples were built, not all");
    }
}

#[tokio::test]
async fn check_access_reaches_the_tenant_given_by_base_url() {
    let Some(binary) = examples_dir().map(|d| d.join("check_access")) else {
        return;
    };
    if !binary.exists() {
        eprintln!("skipped: build the examples first (`cargo test` does)");
        return;
    }
    let fake = hibob::testing::FakeHibob::builder()
        .employees(5)
        .start()
        .await;
    let output = tokio::process::Command::new(binary)
        .arg("--base-url")
        .arg(fake.uri())
        .env_remove("HIBOB_BASE_URL")
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
        .output()
        .await
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains("Credentials: the service user ID and token were accepted"),
        "{report}"
    );
    assert!(fake.request_count() > 0, "the requests went to --base-url");
}

/// The compiled example `name`, or `None` (with a note) when it was not built.
fn example(name: &str) -> Option<std::path::PathBuf> {
    let binary = examples_dir()?.join(name);
    if binary.exists() {
        Some(binary)
    } else {
        eprintln!("skipped: build the examples first (`cargo test` does)");
        None
    }
}

/// Every time-off read `api_tour` calls, as its lines name them.
const TIME_OFF_READS: [&str; 12] = [
    "GET /timeoff/requests/changes",
    "GET /timeoff/whosout",
    "GET /timeoff/outtoday",
    "GET /timeoff/employees/{id}/requests/{requestId}",
    "GET /timeoff/policy-types",
    "GET /timeoff/policy-types/{policyType}",
    "GET /timeoff/policy-types/{policyType}/reason-codes",
    "GET /timeoff/policies/names",
    "GET /timeoff/policies",
    "GET /timeoff/employees/{id}/balance",
    "POST /timeoff/calendars/events/search",
    "POST /timeoff/calendars/employees/search",
];

async fn run(binary: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let output = tokio::process::Command::new(binary)
        .args(args)
        .env_remove("HIBOB_BASE_URL")
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

#[tokio::test]
async fn api_tour_demo_time_off_prints_one_line_per_time_off_read() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let (code, out) = run(&binary, &["--demo", "--only", "time-off"]).await;
    assert_eq!(code, Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), TIME_OFF_READS.len(), "{out}");
    for endpoint in TIME_OFF_READS {
        // `time-off  GET /timeoff/…  outcome`: the endpoint is the second and third words.
        let names = |l: &&&str| {
            l.split_whitespace()
                .skip(1)
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
                == endpoint
        };
        let named: Vec<&&str> = lines.iter().filter(names).collect();
        assert_eq!(named.len(), 1, "{endpoint} in\n{out}");
        assert!(named[0].starts_with("time-off "), "{out}");
        assert!(!named[0].contains("error:"), "{out}");
    }
}

#[tokio::test]
async fn api_tour_demo_reads_every_group_without_error() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let (code, out) = run(&binary, &["--demo"]).await;
    assert_eq!(code, Some(0), "{out}");
    for group in ["people ", "tables ", "metadata ", "time-off "] {
        assert!(
            out.lines().any(|l| l.starts_with(group)),
            "{group} in\n{out}"
        );
    }
    // 4 people (search, one employee, avatar, wizards), 24 tables (10 bulk, 8 per
    // employee, 2 table metadata, 4 custom tables), 3 metadata, 12 time-off reads.
    assert_eq!(out.lines().count(), 43, "{out}");
    assert!(out.lines().all(|l| l.ends_with(" ok")), "{out}");
}

/// Every table read `api_tour --only tables` calls, as its lines name them.
fn table_reads() -> Vec<String> {
    use hibob::tables::EmployeeTable;
    let bulk = EmployeeTable::ALL
        .into_iter()
        .filter(|t| t.bulk_read())
        .map(|t| format!("GET /bulk/people/{}", t.as_str()));
    let per_employee = EmployeeTable::ALL
        .into_iter()
        .filter(|t| t.per_employee_read())
        .map(|t| format!("GET /people/{{id}}/{}", t.as_str()));
    let metadata = [
        "GET /company/people/employee-tables/metadata",
        "GET /company/people/employee-tables/metadata/{table_id}",
        "GET /people/custom-tables/metadata",
        "GET /people/custom-tables/metadata/{custom_table_id}",
        "GET /people/custom-tables/{employee_id}/{custom_table_id}",
        "GET /bulk/people/custom-tables/{custom_table_id}",
    ]
    .map(str::to_owned);
    bulk.chain(per_employee).chain(metadata).collect()
}

#[tokio::test]
async fn api_tour_demo_tables_reads_every_table_and_its_metadata() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let (code, out) = run(&binary, &["--demo", "--only", "tables"]).await;
    assert_eq!(code, Some(0), "{out}");
    let reads = table_reads();
    assert_eq!(reads.len(), 24);
    assert_eq!(out.lines().count(), reads.len(), "{out}");
    for endpoint in &reads {
        let named: Vec<&str> = out
            .lines()
            .filter(|l| {
                l.split_whitespace()
                    .skip(1)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
                    == *endpoint
            })
            .collect();
        assert_eq!(named.len(), 1, "{endpoint} in\n{out}");
        assert!(named[0].starts_with("tables "), "{out}");
        assert!(named[0].ends_with(" ok"), "{endpoint}: {}", named[0]);
    }
}

#[tokio::test]
async fn api_tour_stops_after_ten_refusals_and_sends_one_failing_request() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let fake = hibob::testing::FakeHibob::builder()
        .employees(5)
        .wrong_credentials()
        .start()
        .await;
    let output = tokio::process::Command::new(binary)
        .args(["--base-url", fake.uri().as_str()])
        .env_remove("HIBOB_BASE_URL")
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
        .output()
        .await
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{out}");
    assert!(
        out.contains("stopping: 10 refusals (401/403) in a row"),
        "{out}"
    );
    assert!(out.contains("skipped (the tour stopped)"), "{out}");
    // The client remembers the 401: only the first call reached the fake.
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn api_tour_refuses_writes_against_production_before_sending() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let output = tokio::process::Command::new(binary)
        .arg("--writes")
        .env_remove("HIBOB_BASE_URL")
        .env("HIBOB_SERVICE_USER_ID", "SERVICE-USER")
        .env("HIBOB_SERVICE_USER_TOKEN", "not-a-token")
        .output()
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--writes is refused against production"),
        "{err}"
    );
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn api_tour_demo_writes_submit_then_cancel() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let (code, out) = run(
        &binary,
        &["--demo", "--writes", "--only", "people,time-off"],
    )
    .await;
    assert_eq!(code, Some(0), "{out}");
    let writes: Vec<&str> = (out.lines())
        .filter(|l| l.starts_with("writes ") && l.contains("timeoff"))
        .collect();
    assert_eq!(writes.len(), 3, "{out}");
    assert!(
        writes[0].contains("POST /timeoff/employees/{id}/requests") && writes[0].ends_with(" ok"),
        "{out}"
    );
    assert!(
        writes[2].contains("DELETE /timeoff/employees/{id}/requests/{requestId}")
            && writes[2].ends_with(" ok"),
        "{out}"
    );
}

#[tokio::test]
async fn api_tour_demo_people_writes_create_change_and_terminate_one_hire() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let (code, out) = run(&binary, &["--demo", "--writes", "--only", "people"]).await;
    assert_eq!(code, Some(0), "{out}");
    for endpoint in [
        "POST /people ",
        "PUT /people/{identifier}",
        "PUT /people/{id}/email",
        "POST /employees/{employeeId}/start-date",
        "PUT /avatars/{employeeId}",
        "POST /employees/{employeeId}/invitations",
        "POST /employees/{identifier}/uninvite",
        "POST /employees/{identifier}/terminate",
    ] {
        let line = out.lines().find(|l| l.contains(endpoint));
        assert!(
            line.is_some_and(|l| l.ends_with(" ok")),
            "{endpoint}: {out}"
        );
    }
    assert_eq!(out.matches("created Api Tour").count(), 1, "{out}");
}

#[tokio::test]
async fn api_tour_demo_writes_every_table_entry_on_the_hire_and_exits_0() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let args = ["--demo", "--writes", "--only", "people,tables"];
    let (code, out) = run(&binary, &args).await;
    assert_eq!(code, Some(0), "{out}");
    let ok = |line: &str| {
        out.lines()
            .any(|l| l.starts_with("writes ") && l.contains(line) && l.ends_with(" ok"))
    };
    for table in hibob::tables::EntryTable::ALL {
        let segment = table.as_str();
        assert!(
            ok(&format!("POST /people/{{id}}/{segment} ")),
            "{segment}: {out}"
        );
        assert!(
            ok(&format!("DELETE /people/{{id}}/{segment}/{{entry_id}}")),
            "{segment}: {out}"
        );
    }
    let updates = out
        .lines()
        .filter(|l| l.starts_with("writes    PUT /people/{id}/") && l.contains("{entry_id}"))
        .count();
    assert_eq!(
        updates, 9,
        "every table HiBob documents an update for: {out}"
    );
    // The hire is terminated after its table writes.
    let terminate = out.find("POST /employees/{identifier}/terminate").unwrap();
    assert!(
        out.rfind("DELETE /people/{id}/").unwrap() < terminate,
        "{out}"
    );
}

#[tokio::test]
async fn api_tour_writes_outside_the_demo_need_yes_and_send_nothing_without_it() {
    let Some(binary) = example("api_tour") else {
        return;
    };
    let fake = hibob::testing::FakeHibob::builder()
        .employees(3)
        .start()
        .await;
    let output = tokio::process::Command::new(binary)
        .args(["--writes", "--only", "people"])
        .env("HIBOB_BASE_URL", fake.uri())
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
        .output()
        .await
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no delete-employee endpoint") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(fake.request_count(), 0, "nothing was sent");
}

#[tokio::test]
async fn check_access_time_off_names_the_denied_time_off_permissions() {
    let Some(binary) = example("check_access") else {
        return;
    };
    let (code, out) = run(&binary, &["--demo", "--time-off", "--demo-deny", "timeoff"]).await;
    assert_eq!(code, Some(4), "{out}");
    assert!(out.contains("Features > Time off > Settings"), "{out}");
    assert!(out.contains("See who's out"), "{out}");
    assert!(out.contains("Calendars > Manage company calendar"), "{out}");
    let (code, out) = run(&binary, &["--demo"]).await;
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("Time off settings"), "{out}");
}

#[tokio::test]
async fn check_access_tables_is_opt_in_and_names_a_denied_bank_accounts_table() {
    let Some(binary) = example("check_access") else {
        return;
    };
    let denied = ["--demo", "--demo-deny", "financial"];
    let (code, out) = run(&binary, &denied).await;
    assert_eq!(code, Some(0), "financial guards no default probe:\n{out}");
    assert!(!out.contains("Bank accounts (bank-accounts)"), "{out}");
    assert!(out.contains("(6 request(s))"), "{out}");
    let (code, out) = run(&binary, &[&denied[..], &["--tables"]].concat()).await;
    assert_eq!(code, Some(4), "{out}");
    assert!(
        out.contains("Bank accounts (bank-accounts): HiBob answered 403"),
        "{out}"
    );
    assert!(
        out.contains("fix: Settings > Permission groups > <group> > People's Data > Financial > View selected employees' Financial sections"),
        "{out}"
    );
}
