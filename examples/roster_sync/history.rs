//! `--with-history`: lifecycle, employment and work history of everyone,
//! through the bulk endpoints (one request per page, never one per
//! employee). Not part of `hibob::directory`: the directory keeps current
//! values, these are the tables' full histories.

use std::collections::HashMap;

use futures::TryStreamExt;
use hibob::metadata::Labels;
use hibob::tables::{BulkError, BulkItem, BulkRequest, RestrictedColumns, Table};
use hibob::{Client, EmployeeId, Error, field};
use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::Value;

/// The history tables `--with-history` reads, in output order.
pub const HISTORY_TABLES: [&str; 3] = ["lifecycle", "employment", "work"];

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

/// One table's rows per employee, plus HiBob's per-employee errors.
struct TableRows {
    rows: HashMap<EmployeeId, Vec<Value>>,
    inaccessible: Vec<BulkError>,
    /// Columns HiBob sent as `null` because the service user may not see them.
    restricted: RestrictedColumns,
}

pub struct HistoryTables {
    lifecycle: TableRows,
    employment: TableRows,
    work: TableRows,
}

pub async fn fetch_history(
    client: &Client,
    progress: &ProgressBar,
) -> Result<HistoryTables, Error> {
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
    pub fn into_rows(
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
