//! `--with-history[=TABLE,...]`: the rows of the selected employee tables
//! for everyone, through the bulk endpoints (one request per page, never one
//! per employee), and the table metadata that names their CSV columns. Not
//! part of `hibob::directory`: the directory keeps current values, these are
//! the tables' rows.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use futures::{Stream, TryStreamExt};
use hibob::custom_tables::{CustomRow, Schema};
use hibob::metadata::Labels;
use hibob::tables::{BulkError, BulkItem, EmployeeTable, RestrictedColumns};
use hibob::{Client, EmployeeId, Error, field};
use indicatif::ProgressBar;
use serde_json::{Map, Value};

/// What a bare `--with-history` reads: lifecycle, employment and work.
pub const DEFAULT_TABLES: [EmployeeTable; 3] = [
    EmployeeTable::Lifecycle,
    EmployeeTable::Employment,
    EmployeeTable::Work,
];

/// One table `--with-history=…` picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    /// A built-in table with a bulk read.
    BuiltIn(EmployeeTable),
    /// `custom:<table_id>`: a custom table.
    Custom(String),
}

impl Selected {
    /// The file suffix and JSON key: `work`, `custom-1663597893462`.
    pub fn key(&self) -> String {
        match self {
            Selected::BuiltIn(table) => table.as_str().to_owned(),
            Selected::Custom(id) => format!("custom-{id}"),
        }
    }
}

impl fmt::Display for Selected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selected::BuiltIn(table) => f.write_str(table.as_str()),
            Selected::Custom(id) => write!(f, "custom:{id}"),
        }
    }
}

/// The tables `--with-history=…` picked, in the order given, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection(pub Vec<Selected>);

impl Default for Selection {
    fn default() -> Self {
        Self(DEFAULT_TABLES.map(Selected::BuiltIn).to_vec())
    }
}

/// The names `--with-history=` takes: every built-in table HiBob reads in
/// bulk, and `custom:<table_id>`.
pub fn bulk_table_names() -> Vec<&'static str> {
    EmployeeTable::ALL
        .into_iter()
        .filter(|t| t.bulk_read())
        .map(EmployeeTable::as_str)
        .chain(["custom:<table_id>"])
        .collect()
}

/// `custom:<table_id>`; the ID names a file, so it is letters, digits, `_`
/// and `-` only (HiBob's are digits).
fn custom_table(name: &str) -> Option<Result<Selected, String>> {
    let id = name.strip_prefix("custom:")?.trim();
    let fits = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    Some(match fits {
        true => Ok(Selected::Custom(id.to_owned())),
        false => Err(format!(
            "`{name}` is not custom:<table_id> (the table's ID from GET /people/custom-tables/metadata, e.g. custom:1663597893462)"
        )),
    })
}

impl FromStr for Selection {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut tables = Vec::new();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if let Some(custom) = custom_table(name) {
                let custom = custom?;
                if !tables.contains(&custom) {
                    tables.push(custom);
                }
                continue;
            }
            let table = EmployeeTable::from_str(name).map_err(|_| {
                format!(
                    "`{name}` is not a table roster_sync can read; use any of: {}",
                    bulk_table_names().join(", ")
                )
            })?;
            if !table.bulk_read() {
                return Err(format!(
                    "HiBob has no bulk read for the {} table (`{}`): reading it per employee would cost one request per employee, so roster_sync does not; use any of: {}",
                    table.as_str(),
                    table.label(),
                    bulk_table_names().join(", ")
                ));
            }
            if !tables.contains(&Selected::BuiltIn(table)) {
                tables.push(Selected::BuiltIn(table));
            }
        }
        if tables.is_empty() {
            return Err(format!(
                "no table named; use any of: {} (a bare --with-history reads lifecycle, employment and work)",
                bulk_table_names().join(", ")
            ));
        }
        Ok(Self(tables))
    }
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&names.join(","))
    }
}

/// Columns every history CSV leads with, in this order when present, and
/// whose headers stay their IDs: they are the same in every table, so a
/// script reads every file alike.
pub const LEADING: [&str; 4] = ["id", "effectiveDate", "endEffectiveDate", "isCurrent"];

/// A selected table: its key (the file suffix and JSON key) and the names its
/// metadata gives its columns (empty when the metadata was not readable).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableLayout {
    /// `work`, `right-to-work`: `<stem>.<key>.csv` and the JSON key.
    pub key: String,
    /// Column ID → its name in Bob.
    pub names: HashMap<String, String>,
}

impl TableLayout {
    /// A CSV header for a flattened column key (`title`, `reportsTo.email`,
    /// `customColumns.column_1666178477233`): the column's name in Bob and
    /// the key in parentheses (`Job title (title)`), unique because keys are;
    /// the key alone for the leading columns and for a column the metadata
    /// does not name (or names as its ID).
    pub fn header(&self, key: &str) -> String {
        if LEADING.contains(&key) {
            return key.to_owned();
        }
        let mut parts = key.split('.');
        let top = parts.next().unwrap_or(key);
        let column = match top {
            "customColumns" => parts.next().unwrap_or(top),
            _ => top,
        };
        match self.names.get(column) {
            Some(name) if !name.trim().is_empty() && name != column => {
                format!("{} ({key})", name.trim())
            }
            _ => key.to_owned(),
        }
    }
}

/// One employee's rows of every selected table, as JSON objects in HiBob's
/// order. Work rows carry labels instead of list item IDs for `title` and
/// `department`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowHistory {
    tables: BTreeMap<String, Vec<Value>>,
}

impl RowHistory {
    /// The rows of one table, by key (none for a table not selected).
    pub fn table(&self, key: &str) -> &[Value] {
        self.tables.get(key).map_or(&[], Vec::as_slice)
    }
}

/// One table's rows per employee, plus HiBob's per-employee errors.
struct TableRows {
    /// The JSON key.
    key: String,
    /// How warnings name it: `Work history`, `Assets (custom table 1663597893462)`.
    label: String,
    /// Work rows get their title and department labelled.
    work: bool,
    rows: HashMap<EmployeeId, Vec<Value>>,
    inaccessible: Vec<BulkError>,
    /// Columns HiBob sent as `null` because the service user may not see them.
    restricted: RestrictedColumns,
}

/// What the history reads brought: each table's rows, the column names, and
/// why the names are missing if they are.
pub struct HistoryTables {
    tables: Vec<TableRows>,
    layouts: Vec<TableLayout>,
    names_warning: Option<String>,
}

/// Table metadata once when a built-in table is selected (one request: what
/// names the CSV columns; a refusal or any other failure only costs the
/// names, with a warning), each custom table's metadata and named lists
/// (its schema), then every selected table at once, one request per bulk
/// page.
pub async fn fetch_history(
    client: &Client,
    selection: &Selection,
    progress: &ProgressBar,
) -> Result<HistoryTables, Error> {
    let built_in = selection
        .0
        .iter()
        .any(|t| matches!(t, Selected::BuiltIn(_)));
    let (metadata, names_warning) = match built_in {
        true => built_in_metadata(client).await,
        false => (Vec::new(), None),
    };
    let mut layouts = Vec::new();
    let mut schemas = HashMap::new();
    for table in &selection.0 {
        let names = match table {
            Selected::BuiltIn(table) => metadata
                .iter()
                .find(|m| EmployeeTable::from_table_id(&m.id) == Some(*table))
                .map(|m| {
                    (m.columns.iter())
                        .filter_map(|c| Some((c.id.clone(), c.name.clone()?)))
                        .collect()
                })
                .unwrap_or_default(),
            Selected::Custom(id) => {
                let schema = client.custom_tables().schema(id).await?;
                let names = (schema.table.columns.iter())
                    .filter_map(|c| Some((c.id.clone(), c.name.clone()?)))
                    .collect();
                schemas.insert(id.clone(), schema);
                names
            }
        };
        layouts.push(TableLayout {
            key: table.key(),
            names,
        });
    }
    let reads = selection.0.iter().map(|table| {
        let schemas = &schemas;
        async move {
            match table {
                Selected::BuiltIn(table) => {
                    let items = client.tables().bulk_of(*table).stream();
                    let label = table.label().to_owned();
                    let work = *table == EmployeeTable::Work;
                    let rows = TableRows::new(table.as_str().to_owned(), label, work);
                    rows.read(items, progress, |entry| serde_json::to_value(entry))
                        .await
                }
                Selected::Custom(id) => {
                    let schema = &schemas[id];
                    let name = schema.table.name.as_deref().unwrap_or("Custom table");
                    let label = format!("{name} (custom table {id})");
                    let rows = TableRows::new(format!("custom-{id}"), label, false);
                    let items = client.custom_tables().bulk(id).stream();
                    rows.read(items, progress, |row| Ok(custom_row(schema, row)))
                        .await
                }
            }
        }
    });
    let tables = futures::future::try_join_all(reads).await?;
    Ok(HistoryTables {
        tables,
        layouts,
        names_warning,
    })
}

/// The built-in tables' metadata from `GET
/// /company/people/employee-tables/metadata`; on failure, none and a
/// warning saying why.
async fn built_in_metadata(client: &Client) -> (Vec<hibob::tables::TableMetadata>, Option<String>) {
    match client.tables().metadata().await {
        Ok(tables) => (tables, None),
        Err(error) => {
            let why = match &error {
                Error::PermissionDenied { .. } => "HiBob refused it (403)".to_owned(),
                Error::NotFound { .. } => {
                    "HiBob does not serve it on this account (404)".to_owned()
                }
                other => other.to_string(),
            };
            let warning = format!(
                "table metadata not readable ({why}); history CSV headers are column IDs instead of their names in Bob"
            );
            (Vec::new(), Some(warning))
        }
    }
}

/// A custom-table row as a JSON object keyed by column ID: `id`, then every
/// column the metadata names (a missing cell as `null`) and any it does not,
/// list items as their labels (a multi-list as an array of labels).
fn custom_row(schema: &Schema, row: &CustomRow) -> Value {
    let typed = schema.type_row(row);
    let mut object = Map::new();
    object.insert("id".to_owned(), Value::from(typed.id));
    for cell in typed.cells {
        let value = match (&cell.value, cell.items.is_empty()) {
            (_, true) => cell.value.clone(),
            (Value::Array(_), false) => {
                Value::Array(cell.labels().into_iter().map(Value::from).collect())
            }
            (_, false) => Value::from(cell.labels().join(", ")),
        };
        object.insert(cell.column_id, value);
    }
    Value::Object(object)
}

impl TableRows {
    fn new(key: String, label: String, work: bool) -> Self {
        Self {
            key,
            label,
            work,
            rows: HashMap::new(),
            inaccessible: Vec::new(),
            restricted: RestrictedColumns::default(),
        }
    }

    /// Every employee's rows of one table: one request per bulk page.
    async fn read<E, S>(
        mut self,
        mut items: S,
        progress: &ProgressBar,
        to_json: impl Fn(&E) -> Result<Value, serde_json::Error>,
    ) -> Result<Self, Error>
    where
        S: Stream<Item = Result<BulkItem<E>, Error>> + Unpin,
    {
        while let Some(item) = items.try_next().await? {
            match item {
                BulkItem::Employee(history) => {
                    let values = (history.rows.iter())
                        .map(|entry| to_json(entry).unwrap_or(Value::Null))
                        .collect();
                    self.rows.insert(history.employee_id, values);
                    if let Some(restricted) = history.restricted_columns {
                        self.restricted.merge(restricted);
                    }
                    progress.inc(1);
                }
                BulkItem::Inaccessible(error) => self.inaccessible.push(error),
                _ => {}
            }
        }
        Ok(self)
    }
}

impl HistoryTables {
    /// The selected tables and their column names, in output order.
    pub fn layouts(&self) -> &[TableLayout] {
        &self.layouts
    }

    /// Regroups per employee, labels the work rows' list items and turns
    /// bulk `errors`, restricted columns and unreadable metadata into
    /// warnings.
    pub fn into_rows(
        self,
        labels: &Labels,
        warnings: &mut Vec<String>,
    ) -> HashMap<EmployeeId, RowHistory> {
        warnings.extend(self.names_warning);
        let mut out: HashMap<EmployeeId, RowHistory> = HashMap::new();
        for table in self.tables {
            let name = &table.label;
            let hidden = [
                ("values", &table.restricted.no_view_permission),
                ("history", &table.restricted.no_view_history_permission),
            ];
            for (what, columns) in hidden {
                if !columns.is_empty() {
                    warnings.push(format!(
                        "{name}: the service user may not view the {what} of column(s) {}; they are empty in the output, not blank in Bob (grant them in the permission group)",
                        columns.join(", ")
                    ));
                }
            }
            for error in table.inaccessible {
                warnings.push(format!(
                    "{name} of employee {} not readable: {}",
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
                if table.work {
                    for row in &mut rows {
                        label_work_row(row, labels);
                    }
                }
                let entry = out.entry(id).or_default();
                entry.tables.insert(table.key.clone(), rows);
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
