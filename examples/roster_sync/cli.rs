//! The command line: arguments, the client, the run, and what is printed.
//! Kept apart from `main.rs` so the integration tests drive it too.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use hibob::{Client, ClientBuilder};
use indicatif::{ProgressBar, ProgressStyle};

use super::output::{self, Format};
use super::state::{self, Changes, Snapshot, State};
use super::sync::{self, ExtraField, Options, Report, SyncError, exit};

const AFTER_HELP: &str = "\
Credentials come from HIBOB_SERVICE_USER_ID and HIBOB_SERVICE_USER_TOKEN, the base URL from
--base-url or HIBOB_BASE_URL (default: production; plain http only for loopback).

Exit codes: 0 success, 1 other failure, 2 usage, 3 invalid credentials, 4 missing permission
(the message names what to grant), 5 rate limit, server errors, timeouts or network failures
that outlasted the retries.";

/// Syncs the HiBob roster to CSV, JSON or JSON Lines.
#[derive(Debug, Clone, Parser)]
#[command(name = "roster_sync", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Sync an embedded fake HiBob with a generated company (no credentials needed).
    #[arg(long, conflicts_with = "base_url")]
    pub demo: bool,

    /// Employees in the --demo company.
    #[arg(long, value_name = "N", default_value_t = 250)]
    pub demo_employees: usize,

    /// HiBob's base URL, `/v1` included (overrides HIBOB_BASE_URL).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Write here (atomically: the file is replaced only when the whole sync succeeded).
    /// Default: standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    /// Leave former employees (and future hires) out.
    #[arg(long)]
    pub active_only: bool,

    /// Add a field (custom ones included) as an extra column; list fields become labels.
    /// Repeatable.
    #[arg(long = "field", value_name = "FIELD_ID[=COLUMN]")]
    pub fields: Vec<ExtraField>,

    /// Add lifecycle, employment and work history (bulk reads). With CSV, one extra file per
    /// table next to --output: <stem>.lifecycle.csv, <stem>.employment.csv, <stem>.work.csv.
    #[arg(long)]
    pub with_history: bool,

    /// Keep the roster in this SQLite file and report joiners, movers and leavers since the
    /// previous run (the first run records a baseline).
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,

    /// Prefix CSV cells starting with = + - @ (or tab/CR) with ' against spreadsheet formula
    /// injection.
    #[arg(long)]
    pub neutralize_formulas: bool,
}

impl Cli {
    /// The pipeline's options.
    pub fn options(&self) -> Options {
        Options {
            active_only: self.active_only,
            extra_fields: self.fields.clone(),
            with_history: self.with_history,
        }
    }

    /// Usage checks clap cannot express.
    pub fn check(&self) -> Result<(), SyncError> {
        if self.with_history && self.format == Format::Csv {
            let beside_a_file = self
                .output
                .as_deref()
                .is_some_and(|p| !output::is_special(p));
            if !beside_a_file {
                return Err(SyncError::Usage(
                    "--with-history with CSV writes one file per table next to the roster: give --output a regular file path (or use --format json/jsonl)".to_owned(),
                ));
            }
        }
        self.options().validate()
    }
}

/// What a successful run produced.
#[derive(Debug)]
pub struct Outcome {
    pub report: Report,
    /// With `--state`: the changes since the previous run.
    pub changes: Option<Changes>,
}

/// Parses `args`, builds the client (or starts the demo fake), runs, prints,
/// and returns the exit code.
pub async fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            if error.use_stderr() {
                eprint!("{}", error.render());
            } else {
                let _ = error.print(); // --help and --version, on stdout
            }
            return u8::try_from(error.exit_code()).unwrap_or(exit::USAGE);
        }
    };
    if let Err(error) = cli.check() {
        eprintln!("roster_sync: error: {error}");
        return error.exit_code();
    }
    if cli.demo {
        let fake = hibob::testing::FakeHibob::builder()
            .employees(cli.demo_employees.max(1))
            .start()
            .await;
        eprintln!(
            "roster_sync: --demo: syncing the embedded fake HiBob at {} ({} generated employees)",
            fake.uri(),
            cli.demo_employees.max(1)
        );
        let client = Client::builder()
            .service_user(fake.service_user_id(), fake.token())
            .base_url(fake.uri());
        return build_and_execute(&cli, client).await;
    }
    let builder = match ClientBuilder::from_env() {
        Ok(builder) => builder,
        Err(error) => {
            eprintln!("roster_sync: error: {error} (or try --demo to sync an embedded fake HiBob)");
            return SyncError::Api(error).exit_code();
        }
    };
    let builder = match &cli.base_url {
        Some(url) => builder.base_url(url),
        None => builder,
    };
    build_and_execute(&cli, builder).await
}

async fn build_and_execute(cli: &Cli, builder: ClientBuilder) -> u8 {
    let agent = concat!("roster_sync/", env!("CARGO_PKG_VERSION"));
    match builder.user_agent(agent).build() {
        Ok(client) => execute(cli, &client).await,
        Err(error) => {
            eprintln!("roster_sync: error: {error}");
            SyncError::Api(error).exit_code()
        }
    }
}

/// Runs with an existing client, prints warnings, changes and the summary on
/// stderr, and returns the exit code.
pub async fn execute(cli: &Cli, client: &Client) -> u8 {
    let progress = progress_bar();
    let result = run(cli, client, &progress).await;
    progress.finish_and_clear();
    match result {
        Ok(outcome) => {
            let mut text = Vec::new();
            let _ = print_outcome(&mut text, cli, &outcome);
            eprint!("{}", String::from_utf8_lossy(&text));
            exit::OK
        }
        Err(error) => {
            eprintln!("roster_sync: error: {error}");
            error.exit_code()
        }
    }
}

/// The whole run: state opened first (so an unusable path fails before any
/// request), the sync, the output written atomically, then the state updated
/// in one transaction. Prints nothing.
pub async fn run(cli: &Cli, client: &Client, progress: &ProgressBar) -> Result<Outcome, SyncError> {
    cli.check()?;
    let existing = match cli.state.as_deref() {
        Some(path) => State::open_existing(path).map_err(SyncError::State)?,
        None => None,
    };
    let previous = match &existing {
        Some(db) => db.load().map_err(SyncError::State)?,
        None => None,
    };

    let report = sync::run(client, &cli.options(), progress).await?;
    if report.rows.is_empty() {
        return Err(SyncError::NobodyVisible);
    }

    let rendered =
        output::render(&report, cli.format, cli.neutralize_formulas).map_err(SyncError::Output)?;
    match &cli.output {
        Some(path) => output::write_atomically(&output::files(path, rendered)),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&rendered.main).and_then(|()| out.flush())
        }
    }
    .map_err(SyncError::Output)?;

    let changes = match cli.state.as_deref() {
        Some(path) => Some(record(existing, path, &report, previous.as_ref())?),
        None => None,
    };
    Ok(Outcome { report, changes })
}

/// Saves the roster in the state file (created now on the first successful
/// run) and returns the changes since `previous`.
fn record(
    existing: Option<State>,
    path: &Path,
    report: &Report,
    previous: Option<&Snapshot>,
) -> Result<Changes, SyncError> {
    let mut db = match existing {
        Some(db) => db,
        None => State::open(path).map_err(SyncError::State)?,
    };
    let snapshot = state::snapshot(report, previous);
    let changes = state::diff(previous, &snapshot);
    db.save(&snapshot).map_err(SyncError::State)?;
    Ok(changes)
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({pos} records, {elapsed})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Warnings, changes and the closing summary.
pub fn print_outcome(out: &mut impl Write, cli: &Cli, outcome: &Outcome) -> std::io::Result<()> {
    let report = &outcome.report;
    for finding in &report.withheld_findings {
        writeln!(out, "roster_sync: warning: {}", finding.message)?;
        if let Some(fix) = &finding.fix {
            writeln!(out, "roster_sync:   fix: {fix}")?;
        }
    }
    for warning in &report.warnings {
        writeln!(out, "roster_sync: warning: {warning}")?;
    }
    if let Some(changes) = &outcome.changes {
        write!(out, "{changes}")?;
    }
    let target = match &cli.output {
        Some(path) => path.display().to_string(),
        None => "standard output".to_owned(),
    };
    let tables = if report.with_history && cli.format == Format::Csv {
        format!(" (+ {} history files)", sync::HISTORY_TABLES.len())
    } else {
        String::new()
    };
    let (active, former) = (report.active(), report.former());
    let other = report.rows.len().saturating_sub(active + former);
    writeln!(
        out,
        "roster_sync: {} employees written to {target}{tables}: {active} active, {former} former, {other} other inactive (e.g. future hires)",
        report.rows.len()
    )?;
    writeln!(
        out,
        "roster_sync: {} requests ({} retries, {} rate-limit waits), {} field(s) withheld by permissions, {:.1} s",
        report.stats.requests,
        report.stats.retries,
        report.stats.rate_limit_waits,
        report.withheld.len(),
        report.elapsed.as_secs_f64()
    )
}
