//! `examples/directory_daemon` as a process: it receives a webhook, prints
//! the event, stops on SIGTERM, and a restart loses and repeats nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use hibob::testing::FakeHibob;
use secrecy::SecretString;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use super::date;

const SECRET: &str = "daemon-test-secret";

fn binary() -> Option<PathBuf> {
    let binary = crate::examples::examples_dir()?.join("directory_daemon");
    if binary.exists() {
        Some(binary)
    } else {
        eprintln!("skipped: build the examples first (`cargo test` does)");
        None
    }
}

/// A running daemon and its stderr, line by line.
struct Daemon {
    child: Child,
    stderr: mpsc::UnboundedReceiver<String>,
}

impl Daemon {
    async fn start(binary: &Path, fake: &FakeHibob, dir: &Path, args: &[&str]) -> Daemon {
        let mut child = Command::new(binary)
            .args(["--base-url", &fake.uri(), "--state"])
            .arg(dir.join("state.db"))
            .arg("--events")
            .arg(dir.join("events.jsonl"))
            .args(args)
            .env_remove("HIBOB_BASE_URL")
            .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
            .env("HIBOB_SERVICE_USER_TOKEN", fake.token())
            .env("HIBOB_WEBHOOK_SECRET", SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let (lines, stderr) = mpsc::unbounded_channel();
        let mut reader = BufReader::new(child.stderr.take().unwrap()).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = reader.next_line().await {
                let _ = lines.send(line);
            }
        });
        Daemon { child, stderr }
    }

    /// Waits for a stderr line containing `text` and returns it.
    async fn line(&mut self, text: &str) -> String {
        let wait = async {
            while let Some(line) = self.stderr.recv().await {
                if line.contains(text) {
                    return line;
                }
            }
            panic!("the daemon ended before printing {text:?}");
        };
        tokio::time::timeout(Duration::from_secs(60), wait)
            .await
            .unwrap_or_else(|_| panic!("no {text:?} on stderr"))
    }

    /// The webhook URL it listens on.
    async fn webhook_url(&mut self) -> String {
        let line = self.line("listening for Bob webhooks on ").await;
        line.rsplit(' ').next().unwrap().to_owned()
    }

    /// Sends SIGTERM and returns the exit code.
    async fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().unwrap().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(killed.success());
        let status = tokio::time::timeout(Duration::from_secs(60), self.child.wait()).await;
        status
            .expect("the daemon stops after SIGTERM")
            .unwrap()
            .code()
    }
}

/// The events file, one JSON value per line.
fn events(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("events.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Waits until the events file holds an event matching `wanted`.
async fn wait_for_event(dir: &Path, wanted: impl Fn(&Value) -> bool) {
    for _ in 0..600 {
        if events(dir).iter().any(&wanted) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the event never appeared: {:?}", events(dir));
}

async fn post_webhook(url: &str, body: String) {
    let signature = hibob::webhooks::sign(&SecretString::from(SECRET), body.as_bytes());
    let answer = reqwest::Client::new()
        .post(url)
        .header("Bob-Signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}

/// `directory_daemon --once` against `fake`, with its state and events in `dir`.
fn once(binary: &Path, fake: &FakeHibob, dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(binary);
    command
        .args(["--once", "--base-url", &fake.uri(), "--state"])
        .arg(dir.join("state.db"))
        .arg("--events")
        .arg(dir.join("events.jsonl"))
        .env_remove("HIBOB_BASE_URL")
        .env("HIBOB_SERVICE_USER_ID", fake.service_user_id())
        .env("HIBOB_SERVICE_USER_TOKEN", fake.token());
    command
}

fn webhook(kind: &str, data: String) -> String {
    format!(
        r#"{{"companyId": 1, "type": "{kind}", "triggeredBy": "system",
        "triggeredAt": "2026-02-01T00:00:00.000000", "version": "v2", "data": {data}}}"#
    )
}

fn is(event: &Value, kind: &str, user: &str) -> bool {
    event["type"] == kind && (event["user_id"] == user || event["user"]["id"] == user)
}

#[tokio::test]
async fn a_webhook_event_survives_sigterm_and_a_restart_repeats_nothing() {
    let Some(binary) = binary() else { return };
    let fake = FakeHibob::builder().employees(8).seed(16).start().await;
    let dir = tempfile::tempdir().unwrap();
    let listen = ["--listen", "127.0.0.1:0", "--interval", "1h", "--groups"];

    let mut daemon = Daemon::start(&binary, &fake, dir.path(), &listen).await;
    let url = daemon.webhook_url().await;
    daemon.line("reconciled:").await;
    let leaver = fake.truth().employees[2].id.clone();
    fake.terminate(&leaver, date(2026, 1, 31));
    post_webhook(
        &url,
        webhook("employee.left", format!(r#"{{"employeeId": "{leaver}"}}"#)),
    )
    .await;
    wait_for_event(dir.path(), |e| is(e, "user.deactivated", &leaver)).await;
    assert_eq!(daemon.terminate().await, Some(0));

    let mut daemon = Daemon::start(&binary, &fake, dir.path(), &listen).await;
    let url = daemon.webhook_url().await;
    let quiet = daemon.line("reconciled:").await;
    assert!(quiet.ends_with(" 0 events"), "{quiet}");
    let (mover, _, _) = super::move_department(&fake, 5);
    let entry = format!(
        r#"{{"employeeId": "{}", "tableId": "work", "effectiveDate": "2026-02-01"}}"#,
        mover
    );
    post_webhook(&url, webhook("table.entry.created", entry)).await;
    wait_for_event(dir.path(), |e| {
        e["type"] == "group.member_added" && e["user_id"] == mover.as_str()
    })
    .await;
    assert_eq!(daemon.terminate().await, Some(0));

    let all = events(dir.path());
    let ids: BTreeSet<&str> = all
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), all.len(), "no event printed twice");
    let created = all.iter().filter(|e| e["type"] == "user.created").count();
    assert_eq!(created, fake.truth().employees.len());
    assert_eq!(
        all.iter()
            .filter(|e| is(e, "user.deactivated", &leaver))
            .count(),
        1
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("events.jsonl"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the events hold personal data");
    }
}

#[tokio::test]
async fn a_restart_prints_what_the_last_run_stored_but_did_not_print() {
    let Some(binary) = binary() else { return };
    let fake = FakeHibob::builder().employees(6).seed(16).start().await;
    let dir = tempfile::tempdir().unwrap();
    let once = |fake: &FakeHibob| once(&binary, fake, dir.path()).output().unwrap();
    assert!(once(&fake).status.success());
    let printed = std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap();
    // A crash after the store saved the batch and before all of it was printed.
    let lines: Vec<&str> = printed.lines().collect();
    let cut = lines[..lines.len() - 3].join("\n") + "\n";
    std::fs::write(dir.path().join("events.jsonl"), cut).unwrap();
    std::fs::remove_file(dir.path().join("state.db.cursor")).unwrap();

    let output = once(&fake);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap(),
        printed
    );
}

#[tokio::test]
async fn a_mass_removal_exits_6_and_prints_nothing() {
    let Some(binary) = binary() else { return };
    let fake = FakeHibob::builder().employees(30).seed(16).start().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |fake: &FakeHibob, force: bool| {
        let mut command = once(&binary, fake, dir.path());
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    assert!(run(&fake, false).status.success());
    let before = std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap();
    let hidden: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .take(20)
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(hidden);
    });
    let refused = run(&fake, false);
    assert_eq!(
        refused.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap(),
        before
    );
    assert!(run(&fake, true).status.success());
    let removed = events(dir.path())
        .iter()
        .filter(|e| e["type"] == "user.removed")
        .count();
    assert_eq!(removed, 20);
}
