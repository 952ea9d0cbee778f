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
//! `--writes` is refused against production (`api.hibob.com`). With
//! `--demo` it submits a one-day time-off request to the embedded fake,
//! finds it in the changes feed and cancels it; against the sandbox, loopback
//! or another URL it writes nothing yet (writes come with the writes issue).
//!
//! Exit codes: 0 every line is ok, not permitted or skipped; 1 some endpoint
//! failed otherwise (401, 404, 5xx, decode, …); 3 stopped after 10 refusals in
//! a row; 2 bad configuration or `--writes` refused.

mod common;

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
    /// Also run the writes (refused against production; not implemented yet).
    #[arg(long)]
    writes: bool,
}

/// The tour's state: answers later calls need, and the refusal streak.
struct Tour {
    client: Client,
    refusals_in_a_row: u32,
    stopped: bool,
    failed: usize,
    employee: Option<EmployeeId>,
    /// A policy type from the policy types (for the demo writes).
    policy_type: Option<String>,
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

    async fn people(&mut self) {
        let client = self.client.clone();
        let search = client
            .people()
            .search()
            .fields([field::ID, field::DISPLAY_NAME]);
        let found = self
            .call("people", "POST /people/search", search.into_future())
            .await;
        let id = found.and_then(|f| f.employees.iter().find_map(|e| e.id().cloned()));
        self.employee = self.employee.take().or(id);
        match self.employee.clone() {
            Some(id) => {
                let get = client.people().get(id.as_str());
                self.call("people", "POST /people/{identifier}", get.into_future())
                    .await;
            }
            None => skip(
                "people",
                "POST /people/{identifier}",
                "an employee ID from the search",
            ),
        }
    }

    async fn tables(&mut self) {
        const PER_EMPLOYEE: [&str; 4] = ["lifecycle", "employment", "work", "salaries"];
        // The handle borrows its client, the calls borrow the tour.
        let client = self.client.clone();
        let tables = client.tables();
        match self.employee.clone() {
            Some(id) => {
                let id = id.as_str();
                self.call(
                    "tables",
                    "GET /people/{id}/lifecycle",
                    tables.lifecycle(id).into_future(),
                )
                .await;
                self.call(
                    "tables",
                    "GET /people/{id}/employment",
                    tables.employment(id).into_future(),
                )
                .await;
                self.call(
                    "tables",
                    "GET /people/{id}/work",
                    tables.work(id).into_future(),
                )
                .await;
                self.call(
                    "tables",
                    "GET /people/{id}/salaries",
                    tables.salaries(id).into_future(),
                )
                .await;
            }
            None => {
                for table in PER_EMPLOYEE {
                    skip(
                        "tables",
                        &format!("GET /people/{{id}}/{table}"),
                        "an employee ID (run people too)",
                    );
                }
            }
        }
        let ids: Vec<EmployeeId> = self.employee.iter().cloned().collect();
        let bulk_lifecycle = tables
            .bulk_lifecycle()
            .employees(ids.clone())
            .limit(25)
            .pages();
        self.call(
            "tables",
            "GET /bulk/people/lifecycle",
            first_item(bulk_lifecycle),
        )
        .await;
        let bulk_employment = tables
            .bulk_employment()
            .employees(ids.clone())
            .limit(25)
            .pages();
        self.call(
            "tables",
            "GET /bulk/people/employment",
            first_item(bulk_employment),
        )
        .await;
        let bulk_work = tables.bulk_work().employees(ids.clone()).limit(25).pages();
        self.call("tables", "GET /bulk/people/work", first_item(bulk_work))
            .await;
        let bulk_salaries = tables.bulk_salaries().employees(ids).limit(25).pages();
        self.call(
            "tables",
            "GET /bulk/people/salaries",
            first_item(bulk_salaries),
        )
        .await;
    }

    async fn metadata(&mut self) {
        // The handle borrows its client, the calls borrow the tour.
        let client = self.client.clone();
        let metadata = client.metadata();
        self.call("metadata", "GET /company/people/fields", metadata.fields())
            .await;
        let lists = self
            .call(
                "metadata",
                "GET /company/named-lists",
                metadata.named_lists(false),
            )
            .await;
        match lists.and_then(|lists| lists.into_iter().next()) {
            Some(list) => {
                let one = metadata.named_list(&list.name, false);
                self.call("metadata", "GET /company/named-lists/{listName}", one)
                    .await;
            }
            None => skip(
                "metadata",
                "GET /company/named-lists/{listName}",
                "a list name from the named lists",
            ),
        }
    }

    async fn time_off(&mut self) {
        // The handle borrows its client, the calls borrow the tour.
        let client = self.client.clone();
        let time_off = client.time_off();
        let today = Utc::now().date_naive();
        let month_ago = today - Days::new(30);
        let month_ahead = today + Days::new(30);

        // Requests: the changes feed and who's out name requests and their employees.
        let changes = time_off.changes(month_ago).include_pending(true);
        let changes = self
            .call(
                "time-off",
                "GET /timeoff/requests/changes",
                changes.into_future(),
            )
            .await;
        let whos_out = time_off
            .whos_out(month_ago, month_ahead)
            .include_pending(true);
        let outs = self
            .call("time-off", "GET /timeoff/whosout", whos_out.into_future())
            .await;
        let out_today = self
            .call(
                "time-off",
                "GET /timeoff/outtoday",
                time_off.out_today().into_future(),
            )
            .await;

        let mut known: Option<(EmployeeId, RequestId)> = None;
        for change in changes.iter().flatten() {
            if let (Some(e), Some(r)) = (&change.employee_id, change.request_id) {
                known.get_or_insert((e.clone(), r));
            }
        }
        for out in outs.iter().flatten() {
            if let (Some(e), Some(r)) = (&out.employee_id, out.request_id) {
                known.get_or_insert((e.clone(), r));
            }
        }
        // An employee for the balance and calendar reads: the people search's, else someone out.
        let someone = self
            .employee
            .clone()
            .or_else(|| known.as_ref().map(|(e, _)| e.clone()))
            .or_else(|| {
                out_today
                    .iter()
                    .flatten()
                    .find_map(|o| o.employee_id.clone())
            });
        match known {
            Some((employee, request)) => {
                let read = time_off.request(employee, request);
                self.call(
                    "time-off",
                    "GET /timeoff/employees/{id}/requests/{requestId}",
                    read,
                )
                .await;
            }
            None => skip(
                "time-off",
                "GET /timeoff/employees/{id}/requests/{requestId}",
                "a request ID from the changes feed or who's out",
            ),
        }

        // Policies: the walk from types to names to one policy.
        let types = self
            .call(
                "time-off",
                "GET /timeoff/policy-types",
                time_off.policy_types(),
            )
            .await;
        let policy_type = types.and_then(|t| t.into_iter().next());
        self.policy_type.clone_from(&policy_type);
        if self.employee.is_none() {
            self.employee.clone_from(&someone);
        }
        let needs_type = "a policy type from the policy types";
        match &policy_type {
            Some(name) => {
                self.call(
                    "time-off",
                    "GET /timeoff/policy-types/{policyType}",
                    time_off.policy_type(name),
                )
                .await;
                self.call(
                    "time-off",
                    "GET /timeoff/policy-types/{policyType}/reason-codes",
                    time_off.reason_codes(name),
                )
                .await;
                let names = self
                    .call(
                        "time-off",
                        "GET /timeoff/policies/names",
                        time_off.policy_names(name),
                    )
                    .await;
                match names.and_then(|n| n.into_iter().next()) {
                    Some(policy) => {
                        self.call("time-off", "GET /timeoff/policies", time_off.policy(policy))
                            .await;
                    }
                    None => skip(
                        "time-off",
                        "GET /timeoff/policies",
                        "a policy name from the policy names",
                    ),
                }
            }
            None => {
                for endpoint in [
                    "GET /timeoff/policy-types/{policyType}",
                    "GET /timeoff/policy-types/{policyType}/reason-codes",
                    "GET /timeoff/policies/names",
                    "GET /timeoff/policies",
                ] {
                    skip("time-off", endpoint, needs_type);
                }
            }
        }
        match (&someone, &policy_type) {
            (Some(id), Some(name)) => {
                let balance = time_off.balance(id.clone(), name, today);
                self.call("time-off", "GET /timeoff/employees/{id}/balance", balance)
                    .await;
            }
            (None, _) => skip(
                "time-off",
                "GET /timeoff/employees/{id}/balance",
                "an employee ID",
            ),
            (_, None) => skip(
                "time-off",
                "GET /timeoff/employees/{id}/balance",
                needs_type,
            ),
        }

        // Calendars: the first page of each search is enough.
        let events = time_off.calendar_events(CalendarEventsSearch::new(today, month_ahead));
        self.call(
            "time-off",
            "POST /timeoff/calendars/events/search",
            first_item(events),
        )
        .await;
        match someone {
            Some(id) => {
                let calendars = time_off.employee_calendars(EmployeeCalendarsSearch::new([id]));
                self.call(
                    "time-off",
                    "POST /timeoff/calendars/employees/search",
                    first_item(calendars),
                )
                .await;
            }
            None => skip(
                "time-off",
                "POST /timeoff/calendars/employees/search",
                "an employee ID",
            ),
        }
    }
}

impl Tour {
    /// `--writes --demo`: submits a one-day request far ahead, finds it in the
    /// changes feed (HiBob's answer carries no ID) and cancels it.
    async fn demo_writes(&mut self) {
        const SUBMIT: &str = "POST /timeoff/employees/{id}/requests";
        const CANCEL: &str = "DELETE /timeoff/employees/{id}/requests/{requestId}";
        let (Some(id), Some(policy_type)) = (self.employee.clone(), self.policy_type.clone())
        else {
            skip(
                "writes",
                SUBMIT,
                "an employee ID and a policy type (run people and time-off)",
            );
            skip("writes", CANCEL, "the submitted request");
            return;
        };
        let client = self.client.clone();
        let time_off = client.time_off();
        // Whole days: HiBob's feed (and the fake's) may date a change by day.
        let since = Utc::now().date_naive();
        let day = Utc::now().date_naive() + Days::new(200);
        let request =
            SubmitTimeOffRequest::days(policy_type, day, day).with_description("api_tour");
        if self
            .call("writes", SUBMIT, time_off.submit(id.clone(), request))
            .await
            .is_none()
        {
            skip("writes", CANCEL, "the submitted request");
            return;
        }
        let changes = time_off.changes(since).include_pending(true).into_future();
        let found = self
            .call("writes", "GET /timeoff/requests/changes", changes)
            .await;
        let submitted = found
            .iter()
            .flatten()
            .filter(|c| c.employee_id.as_ref() == Some(&id) && c.start_date == Some(day))
            .filter_map(|c| c.request_id)
            .max();
        match submitted {
            Some(request) => {
                self.call("writes", CANCEL, time_off.cancel(id, request))
                    .await;
            }
            None => skip(
                "writes",
                CANCEL,
                "the submitted request in the changes feed",
            ),
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
        if _fake.is_none() {
            println!("writes: not run; outside --demo they come with the writes issue");
        }
    }
    let mut tour = Tour {
        client,
        refusals_in_a_row: 0,
        stopped: false,
        failed: 0,
        employee: None,
        policy_type: None,
    };
    for group in groups {
        match GROUPS[group] {
            "people" => tour.people().await,
            "tables" => tour.tables().await,
            "metadata" => tour.metadata().await,
            _ => tour.time_off().await,
        }
    }
    if args.writes && _fake.is_some() {
        tour.demo_writes().await;
    }
    if tour.stopped {
        ExitCode::from(3)
    } else if tour.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
