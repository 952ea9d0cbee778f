//! Calls every typed read endpoint once and prints one line per endpoint:
//! `ok`, the typed error, or `not permitted: grant …`. Against your tenant it
//! doubles as a map of what the service user may read.
//!
//! ```sh
//! cargo run --example api_tour -- --demo
//! cargo run --example api_tour -- --demo --only time-off
//! HIBOB_SERVICE_USER_ID=... HIBOB_SERVICE_USER_TOKEN=... cargo run --example api_tour
//! HIBOB_SERVICE_USER_ID=... HIBOB_SERVICE_USER_TOKEN=... cargo run --example api_tour -- --base-url https://api.sandbox.hibob.com/v1
//! ```
//!
//! Arguments come from earlier answers (an employee ID from the people
//! search or from who's out, a policy type from the policy types, …); when
//! the answer they need failed or was empty, the line says
//! `skipped (needs …)`. A refused call (401 or 403) is followed by a pause,
//! and the tour stops after 10 refusals in a row: HiBob's firewall blocks a
//! caller after about 50 such refusals in 10 seconds.
//!
//! `--writes` also runs every write of the chosen groups, after the reads:
//! `people` creates one hire ("Api Tour", starting in 60 days), updates it,
//! moves its e-mail and start date, sets its avatar by URL, invites it with
//! the first welcome wizard and revokes that access, runs the table writes on it when
//! `tables` is chosen, and terminates it last; `time-off` submits a one-day
//! request far ahead, finds it in the changes feed and cancels it.
//! `--writes` is refused against production (`api.hibob.com`). Outside
//! `--demo` it also needs `--yes`: HiBob has no delete-employee endpoint, so
//! the hire remains (terminated) in the sandbox.
//!
//! Exit codes: 0 every line is ok, not permitted or skipped; 1 some endpoint
//! failed otherwise (401, 404, 5xx, decode, …); 3 stopped after 10 refusals in
//! a row; 2 bad configuration, or `--writes` refused (production, or no
//! `--yes` outside `--demo`).

#[path = "../common/mod.rs"]
mod common;
mod people_writes;
mod reads;
mod table_writes;
mod tables;
mod time_off_writes;

use std::collections::BTreeSet;
use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{Days, Utc};
use clap::Parser;
use futures::{Stream, StreamExt};
use hibob::time_off::{
    CalendarEventsSearch, EmployeeCalendarsSearch, RequestId, SubmitTimeOffRequest,
};
use hibob::{Client, EmployeeId, Error, field};

/// Pause after a refused call, so refusals never come in bursts.
const REFUSAL_PACE: Duration = Duration::from_millis(250);
/// Refusals in a row after which the tour stops.
const MAX_REFUSALS_IN_A_ROW: u32 = 10;
/// The groups `--only` takes, in the order they run.
const GROUPS: [&str; 4] = ["people", "tables", "metadata", "time-off"];

/// Call every typed HiBob read endpoint once and print what the service user may read.
#[derive(Debug, Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// Only these groups, comma-separated: people, tables, metadata, time-off.
    #[arg(long, value_delimiter = ',', value_name = "GROUPS")]
    only: Vec<String>,
    /// Also run every write of the chosen groups (refused against production;
    /// outside --demo it needs --yes).
    #[arg(long)]
    writes: bool,
    /// Confirms --writes against a sandbox or another server: the hire it
    /// creates remains (HiBob has no delete-employee endpoint).
    #[arg(long)]
    yes: bool,
}

const SANDBOX_WARNING: &str = "error: --writes creates an employee named \"Api Tour\" (and table entries on it) that remains afterwards: HiBob has no delete-employee endpoint, so the tour can only terminate it. Pass --yes to go ahead.";

/// The tour's state: answers later calls need, and the refusal streak.
struct Tour {
    client: Client,
    refusals_in_a_row: u32,
    stopped: bool,
    failed: usize,
    employee: Option<EmployeeId>,
    /// A policy type from the policy types (for the demo writes).
    policy_type: Option<String>,
    /// The hire the people writes created, and its start date.
    hire: Option<(EmployeeId, chrono::NaiveDate)>,
    /// The first welcome wizard (for the invitation write).
    wizard: Option<u64>,
    /// The site the hire was created at (work entries need one).
    site: Option<String>,
}

impl Tour {
    /// Runs one call unless the tour stopped, and prints its line.
    async fn call<T>(
        &mut self,
        group: &str,
        endpoint: &str,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Option<T> {
        if self.stopped {
            line(group, endpoint, "skipped (the tour stopped)");
            return None;
        }
        let outcome = call.await;
        let refused = matches!(
            outcome,
            Err(Error::PermissionDenied { .. } | Error::InvalidCredentials { .. })
        );
        // After one 401 the client refuses locally: nothing is sent, so no pause.
        let sent = !matches!(
            outcome,
            Err(Error::InvalidCredentials {
                remembered: true,
                ..
            })
        );
        match outcome {
            Ok(value) => {
                self.refusals_in_a_row = 0;
                line(group, endpoint, "ok");
                return Some(value);
            }
            Err(Error::PermissionDenied {
                hint, operation, ..
            }) => {
                let grant =
                    hint.map_or_else(|| format!("the permission for {operation}"), str::to_owned);
                line(group, endpoint, &format!("not permitted: grant {grant}"));
            }
            Err(e) => {
                self.failed += 1;
                line(group, endpoint, &format!("error: {e}"));
            }
        }
        if refused {
            self.refusals_in_a_row += 1;
            if self.refusals_in_a_row >= MAX_REFUSALS_IN_A_ROW {
                self.stopped = true;
                println!(
                    "stopping: {MAX_REFUSALS_IN_A_ROW} refusals (401/403) in a row; HiBob's firewall blocks a caller after about 50 in 10 s"
                );
            } else if sent {
                tokio::time::sleep(REFUSAL_PACE).await;
            }
        }
        None
    }
}

impl Tour {
    /// The writes of the chosen groups: people (the hire is terminated last,
    /// after the table writes on it), then time off.
    async fn writes(&mut self, groups: &BTreeSet<usize>) {
        let chosen = |name: &str| groups.iter().any(|g| GROUPS[*g] == name);
        if chosen("people") {
            self.people_writes().await;
            if chosen("tables") {
                self.table_writes().await;
            }
            self.terminate_hire().await;
        } else if chosen("tables") {
            println!(
                "writes    table writes skipped: they run on the hire `people` creates (add people to --only)"
            );
        }
        if chosen("time-off") {
            self.demo_writes().await;
        }
    }
}

/// The first item of a stream, or none; its error if it failed.
async fn first_item<T>(
    mut stream: impl Stream<Item = Result<T, Error>> + Unpin,
) -> Result<(), Error> {
    stream.next().await.transpose().map(drop)
}

fn line(group: &str, endpoint: &str, outcome: &str) {
    println!("{group:<9} {endpoint:<55} {outcome}");
}

fn skip(group: &str, endpoint: &str, needs: &str) {
    line(group, endpoint, &format!("skipped (needs {needs})"));
}

/// `--writes` is allowed against loopback, the sandbox or a custom URL, never production.
fn writes_allowed(base_url: &str) -> bool {
    let Ok(url) = url::Url::parse(base_url) else {
        return false;
    };
    url.host_str()
        .is_some_and(|host| !host.eq_ignore_ascii_case("api.hibob.com"))
}

/// The groups to run, in tour order; an unknown name is a configuration error.
fn groups(only: &[String]) -> Result<BTreeSet<usize>, String> {
    if only.is_empty() {
        return Ok((0..GROUPS.len()).collect());
    }
    only.iter()
        .map(|name| {
            let name = name.trim();
            GROUPS.iter().position(|g| *g == name).ok_or_else(|| {
                format!(
                    "unknown group {name:?} for --only; use {}",
                    GROUPS.join(",")
                )
            })
        })
        .collect()
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let groups = match groups(&args.only) {
        Ok(groups) => groups,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let (client, _fake) = match common::connect(&args.connection).await {
        Ok(connected) => connected,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if args.writes {
        if !writes_allowed(client.base_url()) {
            eprintln!(
                "error: --writes is refused against production (api.hibob.com); use --demo, the sandbox or a local fake"
            );
            return ExitCode::from(2);
        }
        if _fake.is_none() && !args.yes {
            eprintln!("{SANDBOX_WARNING}");
            return ExitCode::from(2);
        }
    }
    let mut tour = Tour {
        client,
        refusals_in_a_row: 0,
        stopped: false,
        failed: 0,
        employee: None,
        policy_type: None,
        hire: None,
        wizard: None,
        site: None,
    };
    for &group in &groups {
        match GROUPS[group] {
            "people" => tour.people().await,
            "tables" => tour.tables().await,
            "metadata" => tour.metadata().await,
            _ => tour.time_off().await,
        }
    }
    if args.writes {
        tour.writes(&groups).await;
    }
    if tour.stopped {
        ExitCode::from(3)
    } else if tour.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
