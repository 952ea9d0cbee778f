//! The command line: arguments, the lookup, the plan, applying it and what
//! is printed. Kept apart from `main.rs` so the integration tests drive it.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;
use hibob::testing::FakeHibob;
use hibob::{Client, EmployeeId, Error, field};

use super::apply;
use super::journal::{Entry, Journal};
use super::plan::{self, Hire, Manager, Step};

const AFTER_HELP: &str = r#"CSV columns (a header row is required; UTF-8, comma-separated):
  email                   the hire's work e-mail (required; unique in Bob)
  first_name, last_name   required
  site                    required: the site's name, an item of Bob's `site` list
  start_date              required: YYYY-MM-DD; a date after today makes a future hire
  title                   optional: an item of the `title` list (name or item ID)
  department              optional: an item of the `department` list (name or item ID)
  manager_email           optional: someone already in Bob, or a hire on an earlier row
  employee_id_in_company  optional: a whole number

Each hire is looked up by e-mail first, inactive employees (future hires, leavers) included,
in one search; hires already in Bob are left alone. Without --apply nothing is written.

The journal (--journal, default <CSV>.journal next to the CSV; owner-only, replaced atomically)
holds each create from the moment it is sent until HiBob's answer says what happened. A row
left there (a dropped connection, a server error after sending, a crash) may exist in Bob or
not: the next run looks it up again, waiting out HiBob's read lag (up to --lag-window seconds
after it was sent), before it sends it again. So re-running after any failure never creates a
hire twice. Delete the journal only after checking its hires in Bob.

Credentials come from HIBOB_SERVICE_USER_ID and HIBOB_SERVICE_USER_TOKEN, the base URL from
--base-url or HIBOB_BASE_URL (default: production). The service user needs People > Employees
> Add new people to the company, and read access to e-mail and work fields.

Exit codes: 0 success (a dry run: every row valid), 1 other failure, 2 usage or an unreadable
CSV or journal, 3 invalid credentials, 4 missing permission, 5 HiBob or the network unavailable or
rate limited, 6 rows invalid or refused by HiBob (the other rows were done),
7 rows whose outcome is unknown (in the journal: re-run to check)."#;

/// Exit codes (see `--help`): the shared ones, then provision's own.
pub mod exit {
    pub use super::super::exit_codes::*;
    pub const INVALID_ROWS: u8 = 6;
    pub const UNKNOWN_OUTCOME: u8 = 7;
}

/// Creates new hires in HiBob from a CSV: a dry run unless --apply, never the same hire twice.
#[derive(Debug, Clone, Parser)]
#[command(name = "provision", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// The CSV of new hires (columns below). With --demo, a built-in demo CSV when omitted.
    #[arg(value_name = "CSV", required_unless_present = "demo")]
    pub csv: Option<PathBuf>,

    /// Create the planned hires (default: print the plan only).
    #[arg(long)]
    pub apply: bool,

    /// Read each created hire back and report fields HiBob did not store as sent (waits out
    /// HiBob's read lag, up to --lag-window seconds per hire).
    #[arg(long)]
    pub verify: bool,

    /// The journal of creates with an unknown outcome. Default: <CSV>.journal next to the CSV.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// How long HiBob's reads may lag a write, in seconds: how long after a journaled create
    /// was sent a run keeps looking for it before sending it again.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub lag_window: u64,

    /// Run against an embedded fake HiBob (no credentials needed).
    #[arg(long, conflicts_with = "base_url")]
    pub demo: bool,

    /// HiBob's base URL, `/v1` included (overrides HIBOB_BASE_URL).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// What went wrong for the whole run.
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Api(Error),
    Journal(std::io::Error),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::Api(error) => exit::for_error(error),
            Failure::Journal(_) => exit::OTHER,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Api(error) => write!(f, "{error}"),
            Failure::Journal(error) => write!(
                f,
                "cannot write the journal ({error}); stopped before sending anything more"
            ),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Api(error)
    }
}

/// How each row ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub existing: usize,
    pub invalid: usize,
    pub refused: usize,
    pub unknown: usize,
    /// Fields HiBob did not store as sent (with --verify).
    pub not_stored: usize,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        if self.unknown > 0 {
            exit::UNKNOWN_OUTCOME
        } else if self.invalid + self.refused > 0 {
            exit::INVALID_ROWS
        } else {
            exit::OK
        }
    }
}

/// Parses `args`, connects, runs; the exit code.
pub async fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    let mut out = std::io::stdout();
    match connected(&cli, &mut out).await {
        Ok(outcome) => outcome.exit_code(),
        Err(failure) => {
            eprintln!("provision: {failure}");
            failure.exit_code()
        }
    }
}

async fn connected(cli: &Cli, out: &mut dyn Write) -> Result<Outcome, Failure> {
    if !cli.demo {
        let mut builder = hibob::ClientBuilder::from_env()?;
        if let Some(url) = &cli.base_url {
            builder = builder.base_url(url.clone());
        }
        return run(cli, &builder.build()?, out).await;
    }
    let fake = FakeHibob::builder().employees(20).seed(42).start().await;
    let client = fake.client();
    let mut cli = cli.clone();
    let scratch = std::env::temp_dir().join(format!("provision-demo-{}", std::process::id()));
    if cli.csv.is_none() {
        std::fs::create_dir_all(&scratch).map_err(Failure::Journal)?;
        let csv = scratch.join("hires.csv");
        std::fs::write(&csv, demo_csv(&fake)).map_err(Failure::Journal)?;
        cli.csv = Some(csv);
    }
    let _ = writeln!(out, "demo: an embedded fake HiBob with 20 employees");
    let result = run(&cli, &client, out).await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The demo CSV: new hires (one managed by another), someone already in
/// the fake, and two rows that are refused.
fn demo_csv(fake: &FakeHibob) -> String {
    let truth = fake.truth();
    let boss = &truth.employees[0].email;
    let known = &truth.employees[1];
    format!(
        "email,first_name,last_name,site,start_date,title,department,manager_email,employee_id_in_company\n\
         ada@example.com,Ada,Lovelace,Paris,2031-09-01,Software Engineer,Engineering,{boss},9001\n\
         grace@example.com,Grace,Hopper,New York,2031-09-01,Data Analyst,Engineering,ada@example.com,\n\
         {},{},{},London (Demo),2020-01-06,,,,\n\
         alan@example,Alan,Turing,Paris,2031-09-01,,,,\n\
         edsger@example.com,Edsger,Dijkstra,Tel Aviv,01/09/2031,,,,\n",
        known.email, known.first_name, known.surname
    )
}

/// The journal's path: `--journal`, else `<CSV>.journal` beside the CSV.
fn journal_path(cli: &Cli, csv: &Path) -> PathBuf {
    cli.journal.clone().unwrap_or_else(|| {
        let mut name = csv.file_name().unwrap_or_default().to_owned();
        name.push(".journal");
        csv.with_file_name(name)
    })
}

/// Reads the CSV and the journal, looks everyone up, prints the plan, and
/// with `--apply` carries it out.
pub async fn run(cli: &Cli, client: &Client, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let csv = cli
        .csv
        .as_deref()
        .ok_or_else(|| Failure::Usage("no CSV given".to_owned()))?;
    let file = std::fs::File::open(csv)
        .map_err(|e| Failure::Usage(format!("cannot open {}: {e}", csv.display())))?;
    let rows = plan::read(file).map_err(|e| Failure::Usage(format!("{}: {e}", csv.display())))?;
    let mut journal = Journal::load(&journal_path(cli, csv)).map_err(Failure::Usage)?;
    let strays: Vec<Entry> = (journal.entries().iter())
        .filter(|e| !plan::mentions(&rows, &e.email))
        .cloned()
        .collect();
    let mut emails = plan::emails(&rows);
    emails.extend(strays.iter().map(|e| e.email.clone()));
    let existing = lookup(client, &emails).await?;
    let unresolved = settle_strays(cli, &strays, &existing, &mut journal, out)?;
    let steps = plan::plan(rows, &existing, &journal);
    let mut outcome = match cli.apply {
        false => print_plan(&steps, out),
        true => apply::apply(cli, client, steps, &mut journal, out).await?,
    };
    outcome.unknown += unresolved;
    Ok(outcome)
}

/// Journal entries of rows no longer in the CSV: settled when the hire is
/// in HiBob (with --apply), else reported; how many stay unknown.
fn settle_strays(
    cli: &Cli,
    strays: &[Entry],
    existing: &HashMap<String, EmployeeId>,
    journal: &mut Journal,
    out: &mut dyn Write,
) -> Result<usize, Failure> {
    let mut unresolved = 0;
    for entry in strays {
        let Some(id) = existing.get(&entry.email.to_lowercase()) else {
            unresolved += 1;
            let why = "in the journal but not in this CSV, and not found in HiBob: check Bob (it may \
                       still show up within HiBob's read lag) before creating it another way";
            row(out, entry.line, "journal", &entry.email, why);
            continue;
        };
        if cli.apply {
            journal.settle(&entry.email).map_err(Failure::Journal)?;
        }
        row(out, entry.line, "journal", &entry.email, &exists(id, true));
    }
    Ok(unresolved)
}

/// Lower-cased e-mail → ID of everyone with one of `emails`, inactive
/// employees included, in one search per 100 addresses.
pub(crate) async fn lookup(
    client: &Client,
    emails: &[String],
) -> Result<HashMap<String, EmployeeId>, Error> {
    let mut found = HashMap::new();
    for chunk in emails.chunks(100) {
        let result = client
            .people()
            .search()
            .filter_emails(chunk)
            .show_inactive(true)
            .fields([field::ID, field::EMAIL])
            .await?;
        for employee in result.employees {
            if let (Some(id), Some(email)) = (employee.id(), employee.email()) {
                found.insert(email.to_lowercase(), id.clone());
            }
        }
    }
    Ok(found)
}

pub(crate) fn row(out: &mut dyn Write, line: u64, what: &str, email: &str, detail: &str) {
    let _ = writeln!(out, "line {line:>4}  {what:<15} {email}  {detail}");
}

fn print_plan(steps: &[Step], out: &mut dyn Write) -> Outcome {
    let mut outcome = Outcome::default();
    for step in steps {
        match step {
            Step::Create { hire, manager } => {
                row(
                    out,
                    hire.line,
                    "create",
                    &hire.email,
                    &describe(hire, manager),
                );
            }
            Step::Check { hire, .. } => row(
                out,
                hire.line,
                "check, then",
                &hire.email,
                "sent by an earlier run with an unknown outcome: looked up again before any resend",
            ),
            Step::Exists {
                line,
                email,
                id,
                journaled,
            } => {
                outcome.existing += 1;
                row(out, *line, "already exists", email, &exists(id, *journaled));
            }
            Step::Invalid {
                line,
                email,
                reason,
            } => {
                outcome.invalid += 1;
                row(out, *line, "invalid", email, reason);
            }
        }
    }
    let creates = (steps.iter())
        .filter(|s| matches!(s, Step::Create { .. } | Step::Check { .. }))
        .count();
    let _ = writeln!(
        out,
        "plan: {creates} to create, {} already exist, {} invalid. Dry run: nothing was written (--apply to create).",
        outcome.existing, outcome.invalid
    );
    outcome
}

fn describe(hire: &Hire, manager: &Manager) -> String {
    let mut parts = vec![
        format!("{} {}", hire.first_name, hire.last_name),
        format!("site {}", hire.site),
        format!("starts {}", hire.start_date),
    ];
    parts.extend(hire.title.iter().map(|t| format!("title {t}")));
    parts.extend(hire.department.iter().map(|d| format!("department {d}")));
    match manager {
        Manager::None => {}
        Manager::Existing(id) => parts.push(format!("manager {id}")),
        Manager::NewHire(email) => parts.push(format!("manager {email} (a hire above)")),
    }
    parts.join(", ")
}

pub(crate) fn exists(id: &EmployeeId, journaled: bool) -> String {
    match journaled {
        true => format!("ID {id}: created by an earlier run whose answer was lost; not sent again"),
        false => format!("ID {id}"),
    }
}
