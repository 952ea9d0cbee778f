//! Who is out today and this week, by department, as a table or JSON.
//!
//! ```sh
//! cargo run --example whos_out -- --demo
//! cargo run --example whos_out -- --demo --format json --tz +02:00 --today 2026-03-04
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… cargo run --example whos_out -- --tz -0500
//! ```
//!
//! Five requests, sent together: one people search (`work.department`),
//! fields metadata and named lists (department labels), who's out for the
//! week and out today.
//! Exit codes: 0 done, 2 bad configuration, 3 invalid credentials, 4 a
//! missing permission (the message says what to grant), 5 HiBob or the
//! network unavailable or rate limited, 1 anything else.

#[path = "../common/mod.rs"]
mod common;
mod report;

use std::collections::HashMap;
use std::future::IntoFuture;
use std::process::ExitCode;

use chrono::{DateTime, Datelike, Days, FixedOffset, Local, NaiveDate, Utc};
use clap::{Parser, ValueEnum};
use hibob::testing::{FakeHibob, TIME_OFF_CATEGORY};
use hibob::{Client, Error, ErrorKind, field};
use report::{by_department, print_table, to_json, today_row, week_row};
use serde_json::json;

/// Where an absence goes when its employee has no department.
const NO_DEPARTMENT: &str = "(no department)";

/// Who is out today and this week (Monday to Sunday), by department, as a table or JSON.
///
/// Without a time-zone database, `--tz` takes `UTC`, `local` or a fixed
/// offset (`+02:00`, `-0530`): daylight-saving changes are not followed, so
/// pick the offset that holds today. "Today" is the date in that zone, sent
/// to HiBob explicitly (HiBob's own default is the UTC date).
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Time zone for "today" and the week: `UTC`, `local`, or a fixed offset like `+02:00` or `-0530` (no tz names).
    #[arg(long, value_name = "TZ", default_value = "local", value_parser = parse_zone, allow_hyphen_values = true)]
    tz: Zone,
    /// Report as if today were this date (YYYY-MM-DD), for tests and looking back; `--tz` then only labels the output.
    #[arg(long, value_name = "DATE")]
    today: Option<NaiveDate>,
    /// Also list requests still pending approval (this week only: out today has no such option).
    #[arg(long)]
    include_pending: bool,
    /// Also list requests of private policies (needs the private-policy permission).
    #[arg(long)]
    include_private: bool,
    /// Demo: deny the time-off permissions, to see the 403 message.
    #[arg(long, requires = "demo")]
    demo_deny_time_off: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

/// The zone the week is computed in.
#[derive(Clone, Copy)]
enum Zone {
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    fn today(self, now: DateTime<Utc>) -> NaiveDate {
        match self {
            Zone::Local => now.with_timezone(&Local).date_naive(),
            Zone::Fixed(offset) => now.with_timezone(&offset).date_naive(),
        }
    }

    fn name(self) -> String {
        match self {
            Zone::Local => format!("local ({})", Local::now().offset()),
            Zone::Fixed(offset) => offset.to_string(),
        }
    }
}

/// `UTC`, `local`, `+02:00`, `-0530`, `+02`.
fn parse_zone(text: &str) -> Result<Zone, String> {
    let usage =
        "expected UTC, local or an offset like +02:00 or -0530 (tz names are not supported)";
    match text.to_ascii_lowercase().as_str() {
        "utc" | "z" => return Ok(Zone::Fixed(FixedOffset::east_opt(0).unwrap())),
        "local" => return Ok(Zone::Local),
        _ => {}
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(usage.into()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let (hours, minutes) = match digits.len() {
        2 => (digits.as_str(), "00"),
        4 => digits.split_at(2),
        _ => return Err(usage.into()),
    };
    let (Ok(hours), Ok(minutes)) = (hours.parse::<i32>(), minutes.parse::<i32>()) else {
        return Err(usage.into());
    };
    if hours > 14 || minutes > 59 {
        return Err(format!("{text}: an offset is at most ±14:00"));
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
        .map(Zone::Fixed)
        .ok_or_else(|| usage.into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// By kind, not variant, so errors added later land in their class (as in roster_sync).
fn exit_code(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::Configuration => 2,
        ErrorKind::Credentials => 3,
        ErrorKind::Permission => 4,
        ErrorKind::RateLimited | ErrorKind::Unavailable => 5,
        _ => 1,
    }
}

async fn run(args: &Args) -> Result<(), Error> {
    let today = args.today.unwrap_or_else(|| args.tz.today(Utc::now()));
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let sunday = monday + Days::new(6);
    let (client, _fake) = connect(args, today).await?;

    let time_off = client.time_off();
    let week = time_off
        .whos_out(monday, sunday)
        .include_hourly(true)
        .include_pending(args.include_pending)
        .include_private(args.include_private)
        .into_future();
    let out_today = time_off
        .out_today()
        .on(today)
        .include_hourly(true)
        .include_private(args.include_private)
        .into_future();
    let people = client
        .people()
        .search()
        .fields([field::ID, field::DEPARTMENT])
        .into_future();
    let (week, out_today, people, labels) =
        futures::try_join!(week, out_today, people, client.metadata().labels())?;

    // Employee ID → department label (the list item's ID when it has none).
    let departments: HashMap<String, String> = people
        .employees
        .iter()
        .filter_map(|e| {
            let department = labels.display(e, &field::DEPARTMENT);
            Some((
                e.id()?.to_string(),
                department.unwrap_or(NO_DEPARTMENT.into()),
            ))
        })
        .collect();
    let today_rows = by_department(out_today.iter().map(today_row), &departments);
    let week_rows = by_department(week.iter().map(week_row), &departments);

    let zone = args.tz.name();
    match args.format {
        Format::Json => {
            let report = json!({
                "timezone": zone,
                "today": { "date": today, "departments": to_json(&today_rows) },
                "week": { "from": monday, "to": sunday, "departments": to_json(&week_rows) },
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        Format::Table => {
            let title = format!("Out today, {} ({zone})", today.format("%a %Y-%m-%d"));
            print_table(&title, &today_rows);
            println!();
            let title = format!("Out this week, {monday} to {sunday}");
            print_table(&title, &week_rows);
        }
    }
    Ok(())
}

/// With `--demo`, a fake whose "today" is ours, so the generated absences
/// sit around the reported week; otherwise the shared connection.
async fn connect(args: &Args, today: NaiveDate) -> Result<(Client, Option<FakeHibob>), Error> {
    if !args.connection.demo {
        return common::connect(&args.connection).await;
    }
    let mut builder = FakeHibob::builder().employees(150).seed(42).today(today);
    if args.demo_deny_time_off {
        builder = builder.deny_category(TIME_OFF_CATEGORY);
    }
    let fake = builder.start().await;
    let client = Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .build()?;
    Ok((client, Some(fake)))
}
