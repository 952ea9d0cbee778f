//! The command line: arguments, the client, the run, and what is printed.
//! Kept apart from `main.rs` so the integration tests drive it too.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use hibob::directory::{Event, MemoryStore, Pending, Store};
use hibob::{Client, ClientBuilder, FieldId};
use indicatif::{ProgressBar, ProgressStyle};

use super::history::Selection;
use super::output::{self, Format};
use super::state::{self, Changes, NoState, StateFile};
use super::sync::{self, ExtraField, Options, Report, SyncError, exit};

const AFTER_HELP: &str = r#"Credentials come from HIBOB_SERVICE_USER_ID and HIBOB_SERVICE_USER_TOKEN, the base URL from
--base-url or HIBOB_BASE_URL (default: production; plain http only for loopback).

--groups: JSON becomes {"employees": [...], "groups": [...]}; JSON Lines gets one
{"group": {...}} line per group after the employees; CSV writes <stem>.groups.csv next to
--output (field,id,name,parent,member_id: one row per member). A group is
{"field", "id", "name", "parent", "members"}.

--with-history: each table's CSV has employee_id, then id, effectiveDate, endEffectiveDate and
isCurrent where present, then the other columns sorted by ID, nested values flattened
(reportsTo.email, customColumns.column_1666178477233; arrays as JSON text). A column the table
metadata (GET /company/people/employee-tables/metadata, read once) names is headed by its name
in Bob and its ID in parentheses, e.g. "Job title (title)", "Reports to (reportsTo.email)":
unique, and matchable by the "(ID)" suffix; the leading columns, and columns the metadata does
not name, are headed by their IDs. If the metadata cannot be read (403, 404), every header is
its ID and a warning says so; the sync goes on. A custom table (custom:<table_id>, the ID from
GET /people/custom-tables/metadata) is named from its own metadata, which must be readable;
its list cells show labels (a multi-list's joined with ", "). JSON and JSON Lines add one key
per table to each employee (lifecycle, work, right-to-work, custom-<table_id>, ...): an array
of its rows, keyed by column ID. Work rows show title and department labels.

--events: one JSON object per line, as hibob::directory writes them: event_id, at, type
(user.created, user.updated, user.deactivated, user.reactivated, user.removed,
user.manager_changed, group.created, group.renamed, group.removed, group.member_added,
group.member_removed) and the type's own keys. Without --state every run is a first run
(all user.created).

Order of a run: read, write the output, --groups and --events files (each replaced only when
all were written), then save --state. A run that fails before the state is saved leaves it
unchanged, so the next run reports the same changes again.

Exit codes: 0 success, 1 other failure, 2 usage, 3 invalid credentials, 4 missing permission
(the message names what to grant), 5 rate limit, server errors, timeouts or network failures
that outlasted the retries, 6 refused: more than 30 % of the users in --state (and at least
10) are no longer returned by HiBob, so nothing was written and the state is unchanged (check
the service user's permissions; --force if the removals are real)."#;

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

    /// Add employee tables, read in bulk (one request per page of 200 rows). Bare: lifecycle,
    /// employment and work; or name them: --with-history=work,salaries,variable (lifecycle,
    /// employment, work, salaries, variable, equities, deduction, entitlement, dependents,
    /// right-to-work, custom:<table_id>; training and bank-accounts have no bulk read). With CSV,
    /// one file per table next to --output, <stem>.<table>.csv (<stem>.custom-<table_id>.csv),
    /// its headers named from the table metadata; see below.
    #[arg(
        long,
        value_name = "TABLE,...",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "lifecycle,employment,work"
    )]
    pub with_history: Option<Selection>,

    /// Keep the directory state in this SQLite file and report joiners, movers and leavers
    /// since the previous run (the first run records a baseline; a 0.1 state file is migrated).
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,

    /// Add the groups of these list fields (custom ones included), e.g.
    /// work.department,work.site, with their members; see below for the shape.
    #[arg(long = "groups", value_name = "FIELD_ID,...", value_delimiter = ',')]
    pub groups: Vec<String>,

    /// Write this run's change events here as JSON Lines (owner-only, replaced atomically,
    /// before --state is saved).
    #[arg(long, value_name = "PATH")]
    pub events: Option<PathBuf>,

    /// Apply a run even when it removes more than 30 % of the users in --state.
    #[arg(long)]
    pub force: bool,

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
            history: self.with_history.clone(),
            group_fields: self
                .groups
                .iter()
                .map(|id| id.trim())
                .filter(|id| !id.is_empty())
                .map(FieldId::custom)
                .collect(),
            force: self.force,
        }
    }

    /// Usage checks clap cannot express.
    pub fn check(&self) -> Result<(), SyncError> {
        let beside_a_file = self
            .output
            .as_deref()
            .is_some_and(|p| !output::is_special(p));
        if self.format == Format::Csv && !beside_a_file {
            let needs = [
                (
                    self.with_history.is_some(),
                    "--with-history with CSV writes one file per table",
                ),
                (
                    !self.groups.is_empty(),
                    "--groups with CSV writes <stem>.groups.csv",
                ),
            ];
            if let Some((_, what)) = needs.iter().find(|(asked, _)| *asked) {
                return Err(SyncError::Usage(format!(
                    "{what} next to the roster: give --output a regular file path (or use --format json/jsonl)"
                )));
            }
        }
        if self.events.is_some() && self.events == self.output {
            return Err(SyncError::Usage(
                "--events and --output name the same file: give the events a path of their own"
                    .to_owned(),
            ));
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
    /// How many events the run stored (and wrote to `--events`).
    pub events: usize,
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

/// The whole run: the `--state` file opened first (so an unusable path
/// fails before any request; a missing one is created only by the save),
/// then [`run_with`]. Prints nothing.
pub async fn run(cli: &Cli, client: &Client, progress: &ProgressBar) -> Result<Outcome, SyncError> {
    cli.check()?;
    match cli.state.as_deref() {
        Some(path) => {
            let state = StateFile::open(path).await?;
            run_with(cli, client, state, progress).await
        }
        None if cli.events.is_none() => run_export(cli, client, progress).await,
        None => run_with(cli, client, NoState, progress).await,
    }
}

/// A directory store that may report joiners, movers and leavers.
pub trait Reporting: Store {
    /// The changes a run's events say; `None` when this store reports none.
    fn changes(&self, _pending: &Pending<'_, Self>, _extras: &[ExtraField]) -> Option<Changes>
    where
        Self: Sized,
    {
        None
    }
}

/// Without `--state` every run is a first run: nothing to report.
impl Reporting for NoState {}

/// A store kept in memory by a caller (the tests) reports nothing either.
impl Reporting for MemoryStore {}

impl Reporting for StateFile {
    fn changes(&self, pending: &Pending<'_, Self>, extras: &[ExtraField]) -> Option<Changes> {
        Some(state::changes(
            self,
            pending.events(),
            pending.snapshot(),
            extras,
        ))
    }
}

/// The run over a directory `store`: fields checked, the directory read
/// (and the history beside it), every output file written atomically, and
/// only then the store saved. A failure or an abort before the save leaves
/// the store as it was, so the next run redoes this one.
pub async fn run_with<S: Reporting>(
    cli: &Cli,
    client: &Client,
    store: S,
    progress: &ProgressBar,
) -> Result<Outcome, SyncError> {
    let started = Instant::now();
    cli.check()?;
    let options = cli.options();
    check_fields_first(client, &options, progress).await?;
    let directory = sync::directory(client, store, &options);
    let (pending, history) = sync::read(&directory, client, &options, progress).await?;
    let report = sync::report(
        (&pending).into(),
        history,
        &options,
        client,
        started.elapsed(),
    )?;
    write(cli, &report, pending.events())?;
    let changes = directory.store().changes(&pending, &options.extra_fields);
    let saved = pending.commit().await?;
    Ok(Outcome {
        report,
        changes,
        events: saved.events.len(),
    })
}

/// Without `--state` and `--events`: one read into rows and the files
/// written; no diff, nothing kept.
pub async fn run_export(
    cli: &Cli,
    client: &Client,
    progress: &ProgressBar,
) -> Result<Outcome, SyncError> {
    let started = Instant::now();
    cli.check()?;
    let options = cli.options();
    check_fields_first(client, &options, progress).await?;
    let directory = sync::directory(client, NoState, &options);
    let ((snapshot, labels), history) =
        sync::read_export(&directory, client, &options, progress).await?;
    let read = sync::Read {
        snapshot: &snapshot,
        labels: &labels,
        findings: &[],
    };
    let report = sync::report(read, history, &options, client, started.elapsed())?;
    write(cli, &report, &[])?;
    Ok(Outcome {
        report,
        changes: None,
        events: 0,
    })
}

/// The directory reads fields metadata first and alone (one 401 for bad
/// credentials, unknown field IDs refused before the search). The history
/// reads run beside the directory's, so with `--with-history` the fields
/// are checked here first.
async fn check_fields_first(
    client: &Client,
    options: &Options,
    progress: &ProgressBar,
) -> Result<(), SyncError> {
    options.validate()?;
    if options.history.is_some() {
        progress.set_message("reading fields metadata");
        sync::check_fields(client, options).await?;
    }
    Ok(())
}

/// Writes the roster, its side files and `--events`: every file replaced
/// only once all of them were written; standard output last.
fn write(cli: &Cli, report: &Report, events: &[Event]) -> Result<(), SyncError> {
    let rendered =
        output::render(report, cli.format, cli.neutralize_formulas).map_err(SyncError::Output)?;
    let mut files = Vec::new();
    if let Some(path) = &cli.events {
        let lines = output::events_jsonl(events).map_err(SyncError::Output)?;
        files.push((path.clone(), lines));
    }
    match &cli.output {
        Some(path) => {
            files.extend(output::files(path, rendered));
            output::write_atomically(&files)
        }
        None => output::write_atomically(&files).and_then(|()| {
            let mut out = std::io::stdout().lock();
            out.write_all(&rendered.main).and_then(|()| out.flush())
        }),
    }
    .map_err(SyncError::Output)
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
    if !report.withheld_columns.is_empty() {
        writeln!(
            out,
            "roster_sync: warning: left empty this run (unknown, not blank): {}",
            report.withheld_columns.join(", ")
        )?;
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
    let mut side_files = 0;
    if cli.format == Format::Csv {
        side_files += report.history_tables.len();
        side_files += usize::from(report.groups.is_some());
    }
    let tables = match side_files {
        0 => String::new(),
        n => format!(" (+ {n} side file(s) next to it)"),
    };
    let (active, former) = (report.active(), report.former());
    let other = report.rows.len().saturating_sub(active + former);
    writeln!(
        out,
        "roster_sync: {} employees written to {target}{tables}: {active} active, {former} former, {other} other inactive (e.g. future hires)",
        report.rows.len()
    )?;
    if let Some(groups) = &report.groups {
        writeln!(out, "roster_sync: {} group(s) written", groups.len())?;
    }
    if let Some(path) = &cli.events {
        writeln!(
            out,
            "roster_sync: {} event(s) written to {}",
            outcome.events,
            path.display()
        )?;
    }
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
