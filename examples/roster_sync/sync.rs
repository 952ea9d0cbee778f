//! The roster pipeline over `hibob::directory`: the directory's read (the
//! snapshot, and its events when there is a state or `--events`) beside the
//! bulk history reads, turned into a [`Report`]. It only talks to HiBob;
//! writing files and the state live in `output.rs` and `cli.rs`.
//!
//! Requests, in order: the directory's read, which sends
//! `GET /company/people/fields` alone first (a wrong credential costs
//! exactly one 401, and `--field`/`--groups` are checked before anything
//! else is read), then the named lists and one people search. With
//! `--with-history`, fields metadata is read once more before the history
//! reads start beside the directory's: table metadata once (the CSV column
//! names), then one request per bulk page of each selected table. Never one
//! request per employee.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use hibob::access::Finding;
use hibob::directory::{
    DiffError, Directory, DirectoryError, Finding as DirectoryFinding, Group, Pending, Snapshot,
    Store,
};
use hibob::metadata::{FieldCatalog, Labels};
use hibob::{Client, ClientStats, EmployeeId, Error, FieldId, field};
use indicatif::ProgressBar;

use super::history::{self, HistoryTables, Selection, TableLayout};
use super::rows::{self, Row};

/// The standard columns, in output order.
pub const COLUMNS: [&str; 15] = [
    "id",
    "employee_id_in_company",
    "email",
    "first_name",
    "last_name",
    "display_name",
    "title",
    "department",
    "site",
    "manager_id",
    "manager_email",
    "status",
    "internal_status",
    "start_date",
    "termination_date",
];

/// An extra column: `--field FIELD_ID[=COLUMN]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraField {
    /// The HiBob field ID, e.g. `work.custom.field_1698036945383`.
    pub field: FieldId,
    /// The column (and JSON key) name; the field ID by default.
    pub column: String,
}

impl FromStr for ExtraField {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (id, column) = match s.split_once('=') {
            Some((id, column)) => (id.trim(), column.trim()),
            None => (s.trim(), s.trim()),
        };
        if id.is_empty() || column.is_empty() {
            return Err(format!(
                "`{s}` is not FIELD_ID or FIELD_ID=COLUMN (e.g. work.custom.field_1698036945383=cost_centre)"
            ));
        }
        Ok(Self {
            field: FieldId::custom(id),
            column: column.to_owned(),
        })
    }
}

/// What to sync.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Leave former employees (and future hires) out: HiBob's `showInactive: false`.
    pub active_only: bool,
    /// Extra columns after the standard ones.
    pub extra_fields: Vec<ExtraField>,
    /// `--with-history`: the tables to read through the bulk endpoints.
    pub history: Option<Selection>,
    /// `--groups`: the list fields whose items become groups in the output.
    pub group_fields: Vec<FieldId>,
    /// `--force`: let a run through that would remove many users at once.
    pub force: bool,
}

impl Options {
    /// Checks what can be checked without HiBob: column names are unique
    /// and do not start with `#` (0.1 state files kept item IDs under `#name`).
    pub fn validate(&self) -> Result<(), SyncError> {
        // The history tables' JSON keys sit beside the columns.
        let keys: Vec<String> = self
            .history
            .iter()
            .flat_map(|s| &s.0)
            .map(|t| t.key())
            .collect();
        let mut seen: HashSet<&str> = COLUMNS.into_iter().collect();
        seen.extend(keys.iter().map(String::as_str));
        for extra in &self.extra_fields {
            if extra.column.starts_with('#') {
                return Err(SyncError::Usage(format!(
                    "column `{}` may not start with #; name it with --field {}=OTHER_NAME",
                    extra.column, extra.field
                )));
            }
            if !seen.insert(extra.column.as_str()) {
                return Err(SyncError::Usage(format!(
                    "column `{}` is used twice; name it with --field {}=OTHER_NAME",
                    extra.column, extra.field
                )));
            }
        }
        Ok(())
    }
}

/// A requested field that came back for nobody: HiBob silently omits what
/// the service user may not view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    /// The field.
    pub field: FieldId,
    /// Its category as Bob's UI names it (`Work`, `Lifecycle`…).
    pub category: String,
}

/// What a successful sync produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// One row per employee, ordered by employee ID.
    pub rows: Vec<Row>,
    /// The extra columns' names, in order.
    pub extra_columns: Vec<String>,
    /// The history tables the rows carry, in output order, with their
    /// column names (empty without `--with-history`).
    pub history_tables: Vec<TableLayout>,
    /// With `--groups`: the groups of the named fields, by field and item
    /// (a field withheld this run has none: unknown, not empty).
    pub groups: Option<Vec<Group>>,
    /// Requested fields nobody came back with.
    pub withheld: Vec<Withheld>,
    /// The columns (standard and extra) left empty because their fields were
    /// withheld: unknown this run, not blank.
    pub withheld_columns: Vec<String>,
    /// The same, grouped by category with the permission to grant: the
    /// findings `check_access` reports for withheld fields.
    pub withheld_findings: Vec<Finding>,
    /// Warnings: bulk `errors` (employees history could not be read for),
    /// restricted history columns, and the directory's findings (duplicate
    /// IDs, missing managers, manager cycles, unknown list items).
    pub warnings: Vec<String>,
    /// The client's counters after the sync.
    pub stats: ClientStats,
    /// Wall time of the fetch.
    pub elapsed: Duration,
}

impl Report {
    /// Employees whose `internal.status` is `Active`.
    pub fn active(&self) -> usize {
        self.rows.iter().filter(|r| r.is_active()).count()
    }

    /// Former employees (lifecycle status `terminated`).
    pub fn former(&self) -> usize {
        self.rows.iter().filter(|r| r.is_former()).count()
    }
}

/// Why a sync failed; each kind has its exit code.
#[derive(Debug)]
pub enum SyncError {
    /// HiBob (or the client) said no; the library's message says what to do.
    Api(Error),
    /// The command line asks for something impossible.
    Usage(String),
    /// Writing the output failed.
    Output(std::io::Error),
    /// Reading or writing the `--state` database failed.
    State(String),
    /// HiBob returned nobody: the service user sees no employee, or not
    /// their IDs. Never written out, so an empty roster cannot replace a
    /// real one.
    NobodyVisible,
    /// The directory's mass-removal guard refused the run: too many of the
    /// stored users are gone. Nothing was written; `--force` if it is real.
    Refused(DiffError),
}

/// Exit codes: the shared ones, and a refused mass removal.
pub mod exit {
    pub use super::super::exit_codes::*;
    pub const REFUSED: u8 = 6;
}

impl SyncError {
    /// 2 usage (and client configuration), 3 invalid credentials, 4 missing
    /// permission (or nobody visible), 5 rate limit, server, timeout, network
    /// or a cut body after the retries ([`ErrorKind::Unavailable`]), 6 a
    /// mass removal refused, 1 anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            SyncError::Usage(_) => exit::USAGE,
            // By kind, not variant, so errors added later land in their class.
            SyncError::Api(error) => exit::for_error(error),
            SyncError::NobodyVisible => exit::PERMISSION,
            SyncError::Refused(_) => exit::REFUSED,
            SyncError::Output(_) | SyncError::State(_) => exit::OTHER,
        }
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Api(error) => write!(f, "{error}"),
            SyncError::Usage(message) => write!(f, "{message}"),
            SyncError::Output(error) => write!(f, "could not write the output: {error}"),
            SyncError::State(message) => write!(f, "state database: {message}"),
            SyncError::NobodyVisible => f.write_str(
                "HiBob returned no employees, so nothing was written: the service user's permission group covers nobody, or withholds Basic info (root.id). grant Settings > Permission groups > <group> > People's Data > Basic info > View selected employees' Basic info sections, with an audience that includes everyone to sync (run the check_access example for a full diagnosis)",
            ),
            SyncError::Refused(error) => write!(
                f,
                "refused, nothing was written and the state is unchanged: {error} (run again with --force to apply it)"
            ),
        }
    }
}

impl std::error::Error for SyncError {}

impl From<Error> for SyncError {
    fn from(error: Error) -> Self {
        SyncError::Api(error)
    }
}

impl From<DirectoryError> for SyncError {
    fn from(error: DirectoryError) -> Self {
        match error {
            DirectoryError::Hibob(error) => SyncError::Api(error),
            // An empty read is "nobody visible", whatever the state held.
            DirectoryError::Refused(DiffError::EmptySnapshot { .. }) => SyncError::NobodyVisible,
            DirectoryError::Refused(refused) => SyncError::Refused(refused),
            DirectoryError::UnknownField { field, group } => SyncError::Usage(format!(
                "{} {field}: HiBob has no field with this ID (see GET /company/people/fields; custom fields look like work.custom.field_1698036945383)",
                if group { "--groups" } else { "--field" }
            )),
            other => SyncError::State(other.to_string()),
        }
    }
}

/// Numeric IDs compare as numbers (by length first), others as text.
pub fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// Fields metadata, first and alone: it needs no permission, so it checks
/// the credentials with exactly one request, and it tells whether the
/// `--field` and `--groups` IDs exist before anything else is read.
pub async fn check_fields(client: &Client, options: &Options) -> Result<(), SyncError> {
    options.validate()?;
    let catalog = FieldCatalog::new(client.metadata().fields().await?);
    let extras = options.extra_fields.iter().map(|e| (false, &e.field));
    let groups = options.group_fields.iter().map(|f| (true, f));
    match extras
        .chain(groups)
        .find(|(_, id)| catalog.get(id).is_none())
    {
        // The directory's own refusal, so both checks read the same.
        Some((group, id)) => Err(DirectoryError::UnknownField {
            field: id.clone(),
            group,
        }
        .into()),
        None => Ok(()),
    }
}

/// The group fields the directory always keeps (its default, and what a
/// migrated 0.1 state file holds), whether or not `--groups` shows them.
const TRACKED_GROUPS: [FieldId; 2] = [field::DEPARTMENT, field::SITE];

/// The directory over `store` that `options` describe: the extras as extra
/// fields, groups of `work.department`, `work.site` and the `--groups`
/// fields (so the events and the state do not depend on what one run
/// shows), former employees unless `--active-only`.
pub fn directory<S: Store>(client: &Client, store: S, options: &Options) -> Directory<S> {
    let mut groups = TRACKED_GROUPS.to_vec();
    for extra in &options.group_fields {
        if !groups.contains(extra) {
            groups.push(extra.clone());
        }
    }
    Directory::builder(client.clone(), store)
        .group_fields(groups)
        .extra_fields(options.extra_fields.iter().map(|e| e.field.clone()))
        .show_inactive(!options.active_only)
        .build()
}

/// The directory's read and diff (stored only by [`Pending::commit`]) and,
/// with `--with-history`, the bulk history tables, at once. `progress`
/// ticks once per history employee.
pub async fn read<'d, S: Store>(
    directory: &'d Directory<S>,
    client: &Client,
    options: &Options,
    progress: &ProgressBar,
) -> Result<(Pending<'d, S>, Option<HistoryTables>), SyncError> {
    progress.set_message("reading employees");
    let pending = async {
        let pending = match options.force {
            true => directory.prepare_forced().await,
            false => directory.prepare().await,
        };
        pending.map_err(SyncError::from)
    };
    let history = async {
        match &options.history {
            Some(selection) => Ok(Some(
                history::fetch_history(client, selection, progress).await?,
            )),
            None => Ok(None),
        }
    };
    futures::try_join!(pending, history)
}

/// What a report is made from: the snapshot, the labels it was built with
/// and the diff's findings (none for an export without a diff).
#[derive(Clone, Copy)]
pub struct Read<'a> {
    pub snapshot: &'a Snapshot,
    pub labels: &'a Labels,
    pub findings: &'a [DirectoryFinding],
}

impl<'a, S: Store> From<&'a Pending<'_, S>> for Read<'a> {
    fn from(pending: &'a Pending<'_, S>) -> Self {
        Read {
            snapshot: pending.snapshot(),
            labels: pending.labels(),
            findings: pending.findings(),
        }
    }
}

/// [`read`] for an export that keeps no state and writes no events: one
/// snapshot, no diff (against nothing it would only make everyone a
/// `user.created`).
pub async fn read_export<S: Store>(
    directory: &Directory<S>,
    client: &Client,
    options: &Options,
    progress: &ProgressBar,
) -> Result<((Snapshot, Arc<Labels>), Option<HistoryTables>), SyncError> {
    progress.set_message("reading employees");
    let snapshot = async { directory.read_snapshot().await.map_err(SyncError::from) };
    let history = async {
        match &options.history {
            Some(selection) => Ok(Some(
                history::fetch_history(client, selection, progress).await?,
            )),
            None => Ok(None),
        }
    };
    futures::try_join!(snapshot, history)
}

/// The report of a read: rows from the snapshot's users, withheld columns
/// empty and warned about with the Bob permission to grant, history
/// regrouped per employee, and the groups asked for.
pub fn report(
    read: Read<'_>,
    history: Option<HistoryTables>,
    options: &Options,
    client: &Client,
    elapsed: Duration,
) -> Result<Report, SyncError> {
    let snapshot = read.snapshot;
    if snapshot.users.is_empty() {
        return Err(SyncError::NobodyVisible);
    }
    let catalog = &read.labels.catalog;
    let extras = &options.extra_fields;
    let withheld_ids = rows::withheld_fields(snapshot, extras, &options.group_fields);
    let withheld_columns = rows::withheld_columns(snapshot, extras);
    let mut warnings = Vec::new();
    let history_tables = history
        .as_ref()
        .map_or_else(Vec::new, |tables| tables.layouts().to_vec());
    let mut history = history.map(|tables| tables.into_rows(read.labels, &mut warnings));
    warnings.extend(directory_warnings(
        snapshot.findings.iter().chain(read.findings),
    ));
    let mut rows = rows::rows(snapshot, extras, &withheld_columns);
    if let Some(history) = history.as_mut() {
        for row in &mut rows {
            let id = EmployeeId::new(row.id.clone());
            row.history = Some(history.remove(&id).unwrap_or_default());
        }
    }
    let groups = (!options.group_fields.is_empty()).then(|| {
        let shown = |g: &&Group| {
            options.group_fields.contains(&g.key.field)
                && !snapshot.withheld.contains(g.key.field.as_str())
        };
        snapshot.groups.values().filter(shown).cloned().collect()
    });
    Ok(Report {
        rows,
        extra_columns: extras.iter().map(|e| e.column.clone()).collect(),
        history_tables,
        groups,
        withheld: withheld_ids
            .iter()
            .map(|id| Withheld {
                category: catalog
                    .category_display_name(id)
                    .or_else(|| catalog.get(id)?.category_id.as_deref())
                    .unwrap_or("unknown")
                    .to_owned(),
                field: id.clone(),
            })
            .collect(),
        withheld_findings: hibob::access::withheld_fields(catalog, &withheld_ids),
        withheld_columns,
        warnings,
        stats: client.stats(),
        elapsed,
    })
}

/// How many findings of one kind are listed before the rest are counted.
const LISTED_FINDINGS: usize = 5;

/// The directory's findings as warnings, a few per kind. `Withheld` ones
/// are left out: the access findings name the permission to grant.
fn directory_warnings<'a>(findings: impl Iterator<Item = &'a DirectoryFinding>) -> Vec<String> {
    let mut by_kind: Vec<(std::mem::Discriminant<DirectoryFinding>, Vec<String>)> = Vec::new();
    for finding in findings {
        if matches!(finding, DirectoryFinding::Withheld { .. }) {
            continue;
        }
        let kind = std::mem::discriminant(finding);
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, texts)) => texts.push(finding.to_string()),
            None => by_kind.push((kind, vec![finding.to_string()])),
        }
    }
    let mut warnings = Vec::new();
    for (_, texts) in by_kind {
        let more = texts.len().saturating_sub(LISTED_FINDINGS);
        warnings.extend(texts.into_iter().take(LISTED_FINDINGS));
        if more > 0 {
            warnings.push(format!("... and {more} more like the one above"));
        }
    }
    warnings
}
