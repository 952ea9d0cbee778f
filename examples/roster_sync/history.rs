//! `--with-history[=TABLE,...]`: the rows of the selected employee tables
//! for everyone, through the bulk endpoints (one request per page, never one
//! per employee), and the table metadata that names their CSV columns. Not
//! part of `hibob::directory`: the directory keeps current values, these are
//! the tables' rows.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use futures::TryStreamExt;
use hibob::metadata::Labels;
use hibob::tables::{AnyEntry, BulkError, BulkItem, BulkRequest, EmployeeTable, RestrictedColumns};
use hibob::{Client, EmployeeId, Error, field};
use indicatif::ProgressBar;
use serde_json::Value;

/// What a bare `--with-history` reads: lifecycle, employment and work.
pub const DEFAULT_TABLES: [EmployeeTable; 3] = [
    EmployeeTable::Lifecycle,
    EmployeeTable::Employment,
    EmployeeTable::Work,
];

/// The tables `--with-history=…` picked, in the order given, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection(pub Vec<EmployeeTable>);

impl Default for Selection {
    fn default() -> Self {
        Self(DEFAULT_TABLES.to_vec())
    }
}

/// The names `--with-history=` takes: every built-in table HiBob reads in bulk.
pub fn bulk_table_names() -> Vec<&'static str> {
    EmployeeTable::ALL
        .into_iter()
        .filter(|t| t.bulk_read())
        .map(EmployeeTable::as_str)
        .collect()
}

impl FromStr for Selection {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut tables = Vec::new();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
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
            if !tables.contains(&table) {
                tables.push(table);
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
        let names: Vec<&str> = self.0.iter().map(|t| t.as_str()).collect();
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
    table: EmployeeTable,
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

/// Table metadata once (one request: what names the CSV columns; a refusal
/// or any other failure only costs the names, with a warning), then every
/// selected table at once, one request per bulk page.
pub async fn fetch_history(
    client: &Client,
    selection: &Selection,
    progress: &ProgressBar,
) -> Result<HistoryTables, Error> {
    let (layouts, names_warning) = layouts(client, selection).await;
    let reads = selection
        .0
        .iter()
        .map(|&table| fetch_table(table, client.tables().bulk_of(table), progress));
    let tables = futures::future::try_join_all(reads).await?;
    Ok(HistoryTables {
        tables,
        layouts,
        names_warning,
    })
}

/// Each selected table's column names from `GET
/// /company/people/employee-tables/metadata`; on failure, no names and a
/// warning saying why.
async fn layouts(client: &Client, selection: &Selection) -> (Vec<TableLayout>, Option<String>) {
    let (metadata, warning) = match client.tables().metadata().await {
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
    };
    let layouts = selection
        .0
        .iter()
        .map(|table| TableLayout {
            key: table.as_str().to_owned(),
            names: metadata
                .iter()
                .find(|m| EmployeeTable::from_table_id(&m.id) == Some(*table))
                .map(|m| {
                    m.columns
                        .iter()
                        .filter_map(|c| Some((c.id.clone(), c.name.clone()?)))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    (layouts, warning)
}

/// Every employee's rows of one table: one request per bulk page.
async fn fetch_table(
    table: EmployeeTable,
    request: BulkRequest<AnyEntry>,
    progress: &ProgressBar,
) -> Result<TableRows, Error> {
    let mut items = request.stream();
    let mut rows = TableRows {
        table,
        rows: HashMap::new(),
        inaccessible: Vec::new(),
        restricted: RestrictedColumns::default(),
    };
    while let Some(item) = items.try_next().await? {
        match item {
            BulkItem::Employee(history) => {
                let values = history
                    .rows
                    .iter()
                    .map(|entry| serde_json::to_value(entry).unwrap_or(Value::Null))
                    .collect();
                rows.rows.insert(history.employee_id, values);
                if let Some(restricted) = history.restricted_columns {
                    rows.restricted.merge(restricted);
                }
                progress.inc(1);
            }
            BulkItem::Inaccessible(error) => rows.inaccessible.push(error),
            _ => {}
        }
    }
    Ok(rows)
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
            let name = table.table.label();
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
            let key = table.table.as_str();
            for (id, mut rows) in table.rows {
                if table.table == EmployeeTable::Work {
                    for row in &mut rows {
                        label_work_row(row, labels);
                    }
                }
                let entry = out.entry(id).or_default();
                entry.tables.insert(key.to_owned(), rows);
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
