//! The roster pipeline: fields metadata and named lists, then everyone (and,
//! with `--with-history`, the bulk history tables), turned into rows. It only
//! talks to HiBob; writing files and keeping state live in `output.rs` and
//! `state.rs`.
//!
//! Requests, in order: `GET /company/people/fields` (alone first, so a wrong
//! credential costs exactly one 401), `GET /company/named-lists`, one people
//! search for IDs, one search per 200 IDs, and one request per bulk page of
//! each history table. Never one request per employee.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use hibob::access::Finding;
use hibob::metadata::{FieldCatalog, Labels};
use hibob::people::{Employee, InternalStatus, LifecycleStatus};
use hibob::tables::BulkItem;
use hibob::tables::{BulkError, RestrictedColumns};
use hibob::tables::{BulkRequest, Table};
use hibob::{Client, ClientStats, EmployeeId, Error, ErrorKind, FieldId, field};
use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::Value;

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

/// The history tables `--with-history` reads, in output order.
pub const HISTORY_TABLES: [&str; 3] = ["lifecycle", "employment", "work"];

/// The fields each standard column is read from (`work.siteId` backs up
/// `work.site`, `work.manager` backs up `work.reportsTo.id`): every sync
/// requests all of them, and a column is withheld when every one of its
/// fields is.
const COLUMN_SOURCES: [(&str, &[FieldId]); 15] = [
    ("id", &[field::ID]),
    ("employee_id_in_company", &[field::EMPLOYEE_ID_IN_COMPANY]),
    ("email", &[field::EMAIL]),
    ("first_name", &[field::FIRST_NAME]),
    ("last_name", &[field::SURNAME]),
    ("display_name", &[field::DISPLAY_NAME]),
    ("title", &[field::TITLE]),
    ("department", &[field::DEPARTMENT]),
    ("site", &[field::SITE, field::SITE_ID]),
    ("manager_id", &[field::REPORTS_TO, field::MANAGER]),
    ("manager_email", &[field::EMAIL]),
    ("status", &[field::LIFECYCLE_STATUS]),
    ("internal_status", &[field::STATUS]),
    ("start_date", &[field::START_DATE]),
    ("termination_date", &[field::TERMINATION_DATE]),
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
    /// Read lifecycle, employment and work history through the bulk endpoints.
    pub with_history: bool,
}

impl Options {
    /// Checks what can be checked without HiBob: column names are unique
    /// and do not start with `#` (the state file keeps item IDs under `#name`).
    pub fn validate(&self) -> Result<(), SyncError> {
        let mut seen: HashSet<&str> = COLUMNS.into_iter().collect();
        seen.extend(HISTORY_TABLES);
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

/// One employee's history rows, as JSON objects in HiBob's order. Work rows
/// carry labels instead of list item IDs for `title` and `department`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RowHistory {
    /// Lifecycle (status) rows.
    pub lifecycle: Vec<Value>,
    /// Employment rows.
    pub employment: Vec<Value>,
    /// Work rows.
    pub work: Vec<Value>,
}

impl RowHistory {
    /// The rows of one of [`HISTORY_TABLES`].
    pub fn table(&self, name: &str) -> &[Value] {
        match name {
            "lifecycle" => &self.lifecycle,
            "employment" => &self.employment,
            "work" => &self.work,
            _ => &[],
        }
    }
}

/// One output row: the standard columns, the extras, and history if asked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub id: String,
    pub employee_id_in_company: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub title: Option<String>,
    pub department: Option<String>,
    pub site: Option<String>,
    pub manager_id: Option<String>,
    pub manager_email: Option<String>,
    /// Lifecycle status, written in its canonical form (`employed`, `leave`,
    /// `terminated`, `hired`, `garden leave`; unknown ones as HiBob sent them).
    pub status: Option<LifecycleStatus>,
    /// `Active` or `Inactive`.
    pub internal_status: Option<InternalStatus>,
    /// `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`.
    pub termination_date: Option<String>,
    /// One value per [`Options::extra_fields`], in order.
    pub extras: Vec<Option<String>>,
    /// The raw values behind label columns (list item IDs for title,
    /// department, site and list extras), by column: `--state` compares
    /// these, so renaming a list item in Bob moves nobody.
    pub items: BTreeMap<String, String>,
    /// `Some` with `--with-history` (empty tables for someone HiBob had no rows for).
    pub history: Option<RowHistory>,
}

impl Row {
    /// The standard columns' values, in [`COLUMNS`] order.
    pub fn standard(&self) -> [Option<&str>; 15] {
        [
            Some(self.id.as_str()),
            self.employee_id_in_company.as_deref(),
            self.email.as_deref(),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.display_name.as_deref(),
            self.title.as_deref(),
            self.department.as_deref(),
            self.site.as_deref(),
            self.manager_id.as_deref(),
            self.manager_email.as_deref(),
            self.status.as_ref().map(LifecycleStatus::as_str),
            self.internal_status.as_ref().map(InternalStatus::as_str),
            self.start_date.as_deref(),
            self.termination_date.as_deref(),
        ]
    }

    /// Whether `internal.status` is `Active`.
    pub fn is_active(&self) -> bool {
        self.internal_status
            .as_ref()
            .is_some_and(InternalStatus::is_active)
    }

    /// Whether the lifecycle status is `terminated`.
    pub fn is_former(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(LifecycleStatus::is_terminated)
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
    /// Whether rows carry history.
    pub with_history: bool,
    /// Requested fields nobody came back with.
    pub withheld: Vec<Withheld>,
    /// The columns (standard and extra) left empty because their fields were
    /// withheld: unknown this run, not blank.
    pub withheld_columns: Vec<String>,
    /// The same, grouped by category with the permission to grant: the
    /// findings `check_access` reports for withheld fields.
    pub withheld_findings: Vec<Finding>,
    /// Per-employee warnings (bulk `errors`: employees history could not be read for).
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
}

/// Exit codes.
pub mod exit {
    pub const OK: u8 = 0;
    pub const OTHER: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const CREDENTIALS: u8 = 3;
    pub const PERMISSION: u8 = 4;
    pub const UNAVAILABLE: u8 = 5;
}

impl SyncError {
    /// 2 usage (and client configuration), 3 invalid credentials, 4 missing
    /// permission (or nobody visible), 5 rate limit, server, timeout, network
    /// or a cut body after the retries ([`ErrorKind::Unavailable`]), 1
    /// anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            SyncError::Usage(_) => exit::USAGE,
            // By kind, not variant, so errors added later land in their class.
            SyncError::Api(error) => match error.kind() {
                ErrorKind::Configuration => exit::USAGE,
                ErrorKind::Credentials => exit::CREDENTIALS,
                ErrorKind::Permission => exit::PERMISSION,
                ErrorKind::RateLimited | ErrorKind::Unavailable => exit::UNAVAILABLE,
                _ => exit::OTHER,
            },
            SyncError::NobodyVisible => exit::PERMISSION,
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
        }
    }
}

impl std::error::Error for SyncError {}

impl From<Error> for SyncError {
    fn from(error: Error) -> Self {
        SyncError::Api(error)
    }
}

/// Runs the sync. `progress` ticks once per employee and once per history
/// employee; pass `ProgressBar::hidden()` for none.
pub async fn run(
    client: &Client,
    options: &Options,
    progress: &ProgressBar,
) -> Result<Report, SyncError> {
    let started = Instant::now();
    options.validate()?;

    // Fields metadata first and alone: it needs no permission, so it checks
    // the credentials with exactly one request. Then the named lists with
    // archived items (older records use archived labels).
    progress.set_message("reading fields metadata and named lists");
    let catalog = FieldCatalog::new(client.metadata().fields().await?);
    check_extra_fields(&catalog, &options.extra_fields)?;
    let labels = Labels::new(catalog, client.metadata().named_lists(true).await?);

    let mut requested: Vec<FieldId> = Vec::new();
    let standard = COLUMN_SOURCES.iter().flat_map(|(_, fields)| fields.iter());
    for field in standard.chain(options.extra_fields.iter().map(|e| &e.field)) {
        if !requested.contains(field) {
            requested.push(field.clone());
        }
    }

    progress.set_message("reading employees");
    let people = fetch_people(client, &requested, options, &labels, progress);
    let history = async {
        if options.with_history {
            fetch_history(client, progress).await.map(Some)
        } else {
            Ok(None)
        }
    };
    let (people, history) = futures::try_join!(people, history)?;

    let withheld = withheld(&labels.catalog, people.missing);
    let withheld_ids: Vec<FieldId> = withheld.iter().map(|w| w.field.clone()).collect();
    let withheld_columns = withheld_columns(&withheld_ids, &options.extra_fields);
    let withheld_findings = hibob::access::withheld_fields(&labels.catalog, &withheld_ids);
    let mut warnings = Vec::new();
    let mut history = history.map(|tables| tables.into_rows(&labels, &mut warnings));
    let mut rows = people.rows;
    if let Some(history) = history.as_mut() {
        for row in &mut rows {
            let id = EmployeeId::new(row.id.clone());
            row.history = Some(history.remove(&id).unwrap_or_default());
        }
    }
    rows.sort_by(|a, b| id_order(&a.id, &b.id));

    Ok(Report {
        rows,
        extra_columns: options
            .extra_fields
            .iter()
            .map(|e| e.column.clone())
            .collect(),
        with_history: options.with_history,
        withheld,
        withheld_columns,
        withheld_findings,
        warnings,
        stats: client.stats(),
        elapsed: started.elapsed(),
    })
}

/// Numeric IDs compare as numbers (by length first), others as text.
pub fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

fn check_extra_fields(catalog: &FieldCatalog, extras: &[ExtraField]) -> Result<(), SyncError> {
    for extra in extras {
        if catalog.get(&extra.field).is_none() {
            return Err(SyncError::Usage(format!(
                "--field {}: HiBob has no field with this ID (see GET /company/people/fields; custom fields look like work.custom.field_1698036945383)",
                extra.field
            )));
        }
    }
    Ok(())
}

/// The roster as rows, and the requested fields nobody came back with.
struct People {
    rows: Vec<Row>,
    missing: Vec<FieldId>,
}

/// Streams everyone (one search; ID batches only if it fails) and keeps each
/// employee only as long as it takes to make its row: a decoded `Employee`
/// is several times the size of its row, and 20,000 of them add up.
async fn fetch_people(
    client: &Client,
    fields: &[FieldId],
    options: &Options,
    labels: &Labels,
    progress: &ProgressBar,
) -> Result<People, Error> {
    let mut stream = client
        .people()
        .search()
        .fields(fields.iter().cloned())
        .show_inactive(!options.active_only)
        .stream();
    let mut rows = Vec::new();
    // Narrowed by each employee: what is left is what came back for nobody.
    let mut missing: Vec<FieldId> = fields.to_vec();
    while let Some(employee) = stream.try_next().await? {
        if !missing.is_empty() {
            missing = labels
                .catalog
                .missing_from_all(&missing, std::slice::from_ref(&employee));
        }
        rows.extend(to_row(&employee, labels, &options.extra_fields));
        progress.inc(1);
    }
    if rows.is_empty() {
        missing.clear(); // nobody came back: nothing can be told
    }
    fill_manager_emails(&mut rows);
    Ok(People { rows, missing })
}

/// Requested fields that no employee came back with (`null` counts as sent).
fn withheld(catalog: &FieldCatalog, missing: Vec<FieldId>) -> Vec<Withheld> {
    missing
        .into_iter()
        .map(|id| Withheld {
            category: catalog
                .category_display_name(&id)
                .or_else(|| catalog.get(&id)?.category_id.as_deref())
                .unwrap_or("unknown")
                .to_owned(),
            field: id,
        })
        .collect()
}

fn withheld_columns(withheld: &[FieldId], extras: &[ExtraField]) -> Vec<String> {
    let standard = COLUMN_SOURCES
        .iter()
        .filter(|(_, sources)| sources.iter().all(|f| withheld.contains(f)))
        .map(|(column, _)| (*column).to_owned());
    let extra = extras
        .iter()
        .filter(|e| withheld.contains(&e.field))
        .map(|e| e.column.clone());
    standard.chain(extra).collect()
}

/// A field's value as HiBob sent it (a list item ID for list fields).
fn raw_value(employee: &Employee, id: &FieldId) -> Option<String> {
    let text = employee.text(id.as_str())?;
    (!text.is_empty()).then(|| text.into_owned())
}

fn date(employee: &Employee, id: &FieldId) -> Option<String> {
    employee
        .date(id.as_str())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// One employee's row; `None` without an ID. The manager's e-mail comes from
/// `work.reportsTo` here, or later from the manager's own row.
fn to_row(e: &Employee, labels: &Labels, extras: &[ExtraField]) -> Option<Row> {
    // List items as labels (one HiBob has no label for, not even archived,
    // shows its ID); any other field as its text.
    let label = |id: &FieldId| labels.display(e, id);
    let id = e.id()?;
    let mut items = BTreeMap::new();
    let mut item = |column: &str, field: &FieldId| {
        if let Some(raw) = raw_value(e, field) {
            items.insert(column.to_owned(), raw);
        }
    };
    item("title", &field::TITLE);
    item("department", &field::DEPARTMENT);
    item("site", &field::SITE_ID);
    for extra in extras {
        item(&extra.column, &extra.field);
    }
    Some(Row {
        id: id.to_string(),
        employee_id_in_company: e.employee_id_in_company().map(|c| c.into_owned()),
        email: e.email().map(str::to_owned),
        first_name: e.first_name().map(str::to_owned),
        last_name: e.surname().map(str::to_owned),
        display_name: e.display_name().map(str::to_owned),
        title: label(&field::TITLE),
        department: label(&field::DEPARTMENT),
        site: label(&field::SITE).or_else(|| label(&field::SITE_ID)),
        manager_id: e.manager_id().map(ToString::to_string),
        manager_email: e.reports_to().and_then(|m| m.email.clone()),
        status: e.lifecycle_status(),
        internal_status: e.internal_status(),
        start_date: date(e, &field::START_DATE),
        termination_date: date(e, &field::TERMINATION_DATE),
        extras: extras.iter().map(|x| label(&x.field)).collect(),
        items,
        history: None,
    })
}

/// Fills a missing manager e-mail from the manager's own row.
fn fill_manager_emails(rows: &mut [Row]) {
    let emails: HashMap<String, String> = rows
        .iter()
        .filter_map(|r| Some((r.id.clone(), r.email.clone()?)))
        .collect();
    for row in rows.iter_mut().filter(|r| r.manager_email.is_none()) {
        let manager = row.manager_id.as_ref();
        row.manager_email = manager.and_then(|m| emails.get(m)).cloned();
    }
}

/// One table's rows per employee, plus HiBob's per-employee errors.
struct TableRows {
    rows: HashMap<EmployeeId, Vec<Value>>,
    inaccessible: Vec<BulkError>,
    /// Columns HiBob sent as `null` because the service user may not see them.
    restricted: RestrictedColumns,
}

struct HistoryTables {
    lifecycle: TableRows,
    employment: TableRows,
    work: TableRows,
}

async fn fetch_history(client: &Client, progress: &ProgressBar) -> Result<HistoryTables, Error> {
    let history = client.tables();
    let (lifecycle, employment, work) = futures::try_join!(
        fetch_table(history.bulk_lifecycle(), progress),
        fetch_table(history.bulk_employment(), progress),
        fetch_table(history.bulk_work(), progress),
    )?;
    Ok(HistoryTables {
        lifecycle,
        employment,
        work,
    })
}

/// Every employee's rows of one table: one request per bulk page.
async fn fetch_table<E: Table + Serialize>(
    request: BulkRequest<E>,
    progress: &ProgressBar,
) -> Result<TableRows, Error> {
    let mut items = request.stream();
    let mut table = TableRows {
        rows: HashMap::new(),
        inaccessible: Vec::new(),
        restricted: RestrictedColumns::default(),
    };
    while let Some(item) = items.try_next().await? {
        match item {
            BulkItem::Employee(history) => {
                let rows = history
                    .rows
                    .iter()
                    .map(|entry| serde_json::to_value(entry).unwrap_or(Value::Null))
                    .collect();
                table.rows.insert(history.employee_id, rows);
                if let Some(restricted) = history.restricted_columns {
                    table.restricted.merge(restricted);
                }
                progress.inc(1);
            }
            BulkItem::Inaccessible(error) => table.inaccessible.push(error),
            _ => {}
        }
    }
    Ok(table)
}

impl HistoryTables {
    /// Regroups per employee, labels the work rows' list items and turns
    /// bulk `errors` into warnings.
    fn into_rows(
        self,
        labels: &Labels,
        warnings: &mut Vec<String>,
    ) -> HashMap<EmployeeId, RowHistory> {
        let mut out: HashMap<EmployeeId, RowHistory> = HashMap::new();
        let tables = [
            ("lifecycle", self.lifecycle),
            ("employment", self.employment),
            ("work", self.work),
        ];
        for (name, table) in tables {
            let hidden = [
                ("values", &table.restricted.no_view_permission),
                ("history", &table.restricted.no_view_history_permission),
            ];
            for (what, columns) in hidden {
                if !columns.is_empty() {
                    warnings.push(format!(
                        "{name} history: the service user may not view the {what} of column(s) {}; they are empty in the output, not blank in Bob (grant them in the permission group)",
                        columns.join(", ")
                    ));
                }
            }
            for error in table.inaccessible {
                warnings.push(format!(
                    "{name} history of employee {} not readable: {}",
                    error
                        .employee_id
                        .as_ref()
                        .map_or("(unnamed)", |id| id.as_str()),
                    error
                        .code
                        .as_deref()
                        .or(error.message.as_deref())
                        .unwrap_or("no reason given")
                ));
            }
            for (id, mut rows) in table.rows {
                let entry = out.entry(id).or_default();
                match name {
                    "lifecycle" => entry.lifecycle = rows,
                    "employment" => entry.employment = rows,
                    _ => {
                        for row in &mut rows {
                            label_work_row(row, labels);
                        }
                        entry.work = rows;
                    }
                }
            }
        }
        out
    }
}

/// Work rows carry list item IDs for title and department; show labels
/// (an item without one keeps its ID).
fn label_work_row(row: &mut Value, labels: &Labels) {
    for (column, id) in [("title", field::TITLE), ("department", field::DEPARTMENT)] {
        if let Some(Value::String(item)) = row.get_mut(column) {
            if let Ok(label) = labels.item_label(&id, item) {
                *item = label.to_owned();
            }
        }
    }
}
