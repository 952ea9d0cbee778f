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
        ("whos_out", "Who is out today and this week"),
    ];
    let mut ran = 0;
    for (name, opening) in examples {
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
