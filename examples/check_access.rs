//! Checks what a HiBob service user may read and prints what to grant.
//!
//! ```sh
//! # Against the embedded fake, with a permission problem or two:
//! cargo run --example check_access -- --demo
//! cargo run --example check_access -- --demo --demo-deny work --demo-current-only lifecycle
//! cargo run --example check_access -- --demo --demo-no-group
//! # The time-off permissions too (up to 5 more requests); `timeoff` denies them in the demo:
//! cargo run --example check_access -- --demo --time-off --demo-deny timeoff
//! # Every table once, custom tables included (up to 23 more requests); e.g. bank accounts denied:
//! cargo run --example check_access -- --demo --tables --demo-deny financial
//!
//! # Against your tenant:
//! HIBOB_SERVICE_USER_ID=... HIBOB_SERVICE_USER_TOKEN=... cargo run --example check_access
//! # Against a sandbox or a local fake (or set HIBOB_BASE_URL):
//! HIBOB_SERVICE_USER_ID=... HIBOB_SERVICE_USER_TOKEN=... cargo run --example check_access -- --base-url http://127.0.0.1:8080/v1
//! ```
//!
//! The check sends at most 10 requests (up to 23 more with `--tables`, 5
//! more with `--time-off`) and never repeats one that failed. It then lists the permission each write the
//! crate can send needs (create, update, terminate, invite, avatar, …),
//! without trying any.
//! Exit codes: 0 nothing blocking (warnings may be printed), 4 an
//! error-severity finding, 1 the check could not run, 2 bad configuration.

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use hibob::tables::HistoryTable;
use hibob::testing::FakeHibob;
use hibob::{Client, Error, FieldId, field};

#[derive(Debug, Parser)]
#[command(about = "Check a HiBob service user's permissions and print what to grant")]
struct Args {
    /// Run against an embedded fake HiBob instead of your tenant.
    #[arg(long)]
    demo: bool,
    /// HiBob's base URL, `/v1` included (default: HIBOB_BASE_URL, else production).
    #[arg(long, value_name = "URL", env = "HIBOB_BASE_URL")]
    base_url: Option<String>,
    /// Demo: deny a category (work, lifecycle, root, about, employment, payroll, financial, equity,
    /// training, home, rightToWork, timeoff). Repeatable.
    #[arg(long, value_name = "CATEGORY", requires = "demo")]
    demo_deny: Vec<String>,
    /// Demo: the service user is in no permission group.
    #[arg(long, requires = "demo")]
    demo_no_group: bool,
    /// Demo: "Access data for" is limited to Lifecycle status = Employed.
    #[arg(long, requires = "demo")]
    demo_hide_inactive: bool,
    /// Demo: a table returns the current row only ("sections" without "section histories"). Repeatable.
    #[arg(long, value_enum, value_name = "TABLE", requires = "demo")]
    demo_current_only: Vec<DemoTable>,
    /// Demo: the token is wrong (every request answers 401).
    #[arg(long, requires = "demo")]
    demo_wrong_token: bool,
    /// Demo: take N employees out of the audience and ask the check about them.
    #[arg(long, value_name = "N", requires = "demo")]
    demo_exclude: Option<usize>,
    /// Field IDs your integration needs, comma-separated (default: the roster fields).
    #[arg(long, value_delimiter = ',', value_name = "FIELD_IDS")]
    fields: Vec<String>,
    /// Employee IDs that must be visible, comma-separated (at most 100).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    employees: Vec<String>,
    /// Also probe salary history (category Payroll).
    #[arg(long)]
    with_salaries: bool,
    /// Also probe every other built-in table once (variable pay, equities, training, bank accounts,
    /// deductions, entitlements, dependents, right to work, salaries), then the custom tables'
    /// metadata and each custom table once (at most 10): up to 23 more requests.
    #[arg(long)]
    tables: bool,
    /// Also probe the time-off permissions: settings and policies, who's out, private policies, calendars (up to 5 more requests).
    #[arg(long)]
    time_off: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DemoTable {
    Lifecycle,
    Employment,
    Work,
    Salaries,
}

impl From<DemoTable> for HistoryTable {
    fn from(t: DemoTable) -> Self {
        match t {
            DemoTable::Lifecycle => HistoryTable::Lifecycle,
            DemoTable::Employment => HistoryTable::Employment,
            DemoTable::Work => HistoryTable::Work,
            DemoTable::Salaries => HistoryTable::Salaries,
        }
    }
}

/// The fake (kept alive while the check runs), its client, and IDs it excluded.
async fn demo(args: &Args) -> Result<(FakeHibob, Client, Vec<String>), Error> {
    let mut builder = FakeHibob::builder().employees(80).seed(7);
    for category in &args.demo_deny {
        builder = builder.deny_category(category.as_str());
    }
    for &table in &args.demo_current_only {
        builder = builder.history_current_only(table.into());
    }
    if args.demo_no_group {
        builder = builder.no_permission_group();
    }
    if args.demo_hide_inactive {
        builder = builder.hide_inactive();
    }
    if args.demo_wrong_token {
        builder = builder.wrong_credentials();
    }
    let fake = builder.start().await;
    let excluded: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .rev()
        .skip(5)
        .take(args.demo_exclude.unwrap_or(0))
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(excluded.iter().cloned());
    });
    let client = Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .build()?;
    Ok((fake, client, excluded))
}

/// A client for your tenant: credentials from the environment, the base URL
/// from `--base-url` (or HIBOB_BASE_URL).
fn client_from_env(base_url: Option<&str>) -> Result<Client, Error> {
    let mut builder = hibob::ClientBuilder::from_env()?;
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    builder.build()
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let (fake, client, mut employees) = if args.demo {
        match demo(&args).await {
            Ok((fake, client, excluded)) => (Some(fake), client, excluded),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        match client_from_env(args.base_url.as_deref()) {
            Ok(client) => (None, client, Vec::new()),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    };
    employees.extend(args.employees.iter().cloned());

    let mut tables = HistoryTable::DEFAULT.to_vec();
    if args.with_salaries {
        tables.push(HistoryTable::Salaries);
    }
    let fields: Vec<FieldId> = if args.fields.is_empty() {
        field::ROSTER.to_vec()
    } else {
        args.fields
            .iter()
            .map(|f| field::custom(f.trim()))
            .collect()
    };
    let check = client
        .check_access()
        .fields(fields)
        .tables(tables)
        .employees(employees)
        .every_table(args.tables)
        .time_off(args.time_off);
    let report = match check.await {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: the access check could not run: {e}");
            return ExitCode::from(if matches!(e, Error::InvalidRequest { .. }) {
                2
            } else {
                1
            });
        }
    };
    println!("{report}");
    // Writes are never probed (trying one would change the tenant): list
    // what each needs instead.
    println!("\n{}", hibob::access::write_checklist());
    drop(fake);
    if report.has_errors() {
        ExitCode::from(4)
    } else {
        ExitCode::SUCCESS
    }
}
