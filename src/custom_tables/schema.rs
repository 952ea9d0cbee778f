//! Custom-table rows typed at run time: each cell with its column's name and
//! type from the table's metadata, list items with their labels.

use serde_json::Value;

use crate::metadata::{FieldType, ListResolver, NamedList};
use crate::models::custom_tables::{CustomColumn, CustomRow, CustomTable};
use crate::models::employee::de::scalar_text;
use crate::tables::RestrictedColumns;

/// What it takes to type a custom table's rows: its metadata and the named
/// lists behind its list columns. Fetch it once with
/// [`CustomTables::schema`](super::CustomTables::schema) (or build it with
/// [`Schema::new`]), then apply it to rows from any read, per employee or
/// in bulk.
///
/// ```
/// use futures::TryStreamExt;
/// use hibob::tables::BulkItem;
/// use hibob::testing::ASSETS_TABLE_ID;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(8).start().await;
/// # let client = fake.client();
/// let assets = client.custom_tables();
/// let schema = assets.schema(ASSETS_TABLE_ID).await?;
/// let mut everyone = assets.bulk(ASSETS_TABLE_ID).stream();
/// while let Some(item) = everyone.try_next().await? {
///     if let BulkItem::Employee(history) = item {
///         for row in schema.type_rows(&history.rows) {
///             let kind = row.cell_named("Asset type").unwrap();
///             assert!(kind.is_known() && kind.labels().iter().all(|l| !l.is_empty()));
///         }
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Schema {
    /// The table's metadata.
    pub table: CustomTable,
    /// Labels of the named lists behind its list columns.
    pub lists: ListResolver,
    /// Whether the named lists could be read. When the service user may not
    /// read them (403), list cells have no labels ([`ItemLabel::label`] is
    /// `None`) rather than failing the schema.
    pub lists_readable: bool,
}

/// One row, typed: every column of the table's metadata in metadata order
/// (a column the row does not have is a `null` cell), then the row's
/// columns the metadata does not know, marked unknown.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TypedRow {
    /// The row ID (the `entry_id` of updates and deletes).
    pub id: i64,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// One cell of a [`TypedRow`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Cell {
    /// The column ID the row keys the cell by.
    pub column_id: String,
    /// The column's name; `None` for a column the metadata does not know.
    pub name: Option<String>,
    /// The column's type; `None` for a column the metadata does not know.
    pub column_type: Option<FieldType>,
    /// The value, as HiBob sent it (`null` when the row has none).
    pub value: Value,
    /// For a list-backed column, one entry per item ID in the value (a
    /// multi-list has several); empty for other columns and empty values.
    pub items: Vec<ItemLabel>,
    /// HiBob's `humanReadable` text for the cell, when it sent one.
    pub human_readable: Option<String>,
}

/// A list item ID of a cell and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemLabel {
    /// The item ID, as text.
    pub item_id: String,
    /// Its label in the column's named list, archived items included;
    /// `None` when the list has no such item (added since the lists were
    /// read) or the lists were not readable.
    pub label: Option<String>,
}

/// The rows of one employee's custom table, typed; see
/// [`RowsRequest::typed`](super::RowsRequest::typed).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TypedRows {
    /// The rows, in HiBob's order.
    pub rows: Vec<TypedRow>,
    /// Columns hidden by field-level permissions, when HiBob said so.
    pub restricted_columns: Option<RestrictedColumns>,
}

impl Schema {
    /// A schema from metadata and named lists already read (read the lists
    /// with archived items, or older rows keep unlabelled items).
    pub fn new(table: CustomTable, lists: impl IntoIterator<Item = NamedList>) -> Self {
        Self {
            table,
            lists: ListResolver::new(lists),
            lists_readable: true,
        }
    }

    /// Types one row.
    pub fn type_row(&self, row: &CustomRow) -> TypedRow {
        let human = |id: &str| row.human_readable.get(id).and_then(scalar_text);
        let mut cells: Vec<Cell> = self
            .table
            .columns
            .iter()
            .map(|column| {
                let value = row.columns.get(&column.id).cloned().unwrap_or(Value::Null);
                Cell {
                    items: self.items(column, &value),
                    column_id: column.id.clone(),
                    name: column.name.clone(),
                    column_type: Some(column.column_type.clone()),
                    value,
                    human_readable: human(&column.id),
                }
            })
            .collect();
        for (id, value) in &row.columns {
            if self.table.column(id).is_none() {
                cells.push(Cell {
                    column_id: id.clone(),
                    name: None,
                    column_type: None,
                    value: value.clone(),
                    items: Vec::new(),
                    human_readable: human(id),
                });
            }
        }
        TypedRow { id: row.id, cells }
    }

    /// Types rows, in order.
    pub fn type_rows(&self, rows: &[CustomRow]) -> Vec<TypedRow> {
        rows.iter().map(|row| self.type_row(row)).collect()
    }

    /// The items of a list-backed cell with their labels.
    fn items(&self, column: &CustomColumn, value: &Value) -> Vec<ItemLabel> {
        let Some(list) = column
            .list_id()
            .filter(|_| column.column_type.is_list_like())
        else {
            return Vec::new();
        };
        let ids: Vec<String> = match value {
            Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
            other => scalar_text(other).into_iter().collect(),
        };
        ids.into_iter()
            .filter(|id| !id.trim().is_empty())
            .map(|item_id| ItemLabel {
                label: self.lists.label(list, &item_id).map(str::to_owned),
                item_id,
            })
            .collect()
    }
}

impl TypedRow {
    /// The cell of a column, by column ID.
    pub fn cell(&self, column_id: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.column_id == column_id)
    }

    /// The cell of a column, by the column's name in the metadata.
    pub fn cell_named(&self, name: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.name.as_deref() == Some(name))
    }

    /// The cells of columns the metadata does not know.
    pub fn unknown_cells(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(|c| !c.is_known())
    }
}

impl Cell {
    /// Whether the table's metadata knows the column.
    pub fn is_known(&self) -> bool {
        self.column_type.is_some()
    }

    /// The labels of a list-backed cell, one per item; an item without a
    /// label shows its ID.
    pub fn labels(&self) -> Vec<&str> {
        (self.items.iter())
            .map(|i| i.label.as_deref().unwrap_or(&i.item_id))
            .collect()
    }

    /// The cell as display text: list items as labels joined with `", "`,
    /// money as `240 USD`, other values as their text, `null` as `""`.
    pub fn display(&self) -> String {
        if !self.items.is_empty() {
            return self.labels().join(", ");
        }
        match &self.value {
            Value::Object(money) if money.contains_key("currency") => {
                let amount = money.get("value").and_then(scalar_text).unwrap_or_default();
                let currency = money
                    .get("currency")
                    .and_then(scalar_text)
                    .unwrap_or_default();
                format!("{amount} {currency}").trim().to_owned()
            }
            Value::Array(items) => (items.iter().filter_map(scalar_text))
                .collect::<Vec<_>>()
                .join(", "),
            other => scalar_text(other).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Schema {
        let table: CustomTable = serde_json::from_value(json!({
            "id": "1", "name": "Assets", "columns": [
                {"id": "column_serial", "name": "Serial", "type": "text"},
                {"id": "column_kind", "name": "Asset type", "type": "list", "typeData": {"listId": "kinds"}},
                {"id": "column_tags", "name": "Tags", "type": "multi-list", "typeData": {"listId": "kinds"}},
                {"id": "column_cost", "name": "Cost", "type": "currency"}
            ]
        }))
        .unwrap();
        let list: NamedList = serde_json::from_value(json!({
            "name": "kinds", "items": [
                {"id": "10", "name": "Laptop"}, {"id": 11, "name": "Phone", "archived": true}
            ]
        }))
        .unwrap();
        Schema::new(table, [list])
    }

    #[test]
    fn cells_get_names_types_and_labels_and_unknown_columns_are_kept() {
        let row: CustomRow = serde_json::from_value(json!({
            "id": 5, "column_kind": 10, "column_tags": ["10", "11", "12"],
            "column_cost": {"value": 240, "currency": "USD"}, "column_new": "x",
            "humanReadable": {"column_kind": "Laptop"}
        }))
        .unwrap();
        let typed = schema().type_row(&row);
        assert_eq!(typed.id, 5);
        let names: Vec<_> = typed.cells.iter().map(|c| c.name.as_deref()).collect();
        assert_eq!(
            names,
            [
                Some("Serial"),
                Some("Asset type"),
                Some("Tags"),
                Some("Cost"),
                None
            ]
        );
        let serial = typed.cell("column_serial").unwrap();
        assert_eq!(
            (serial.value.clone(), serial.display()),
            (Value::Null, String::new())
        );
        let kind = typed.cell_named("Asset type").unwrap();
        assert_eq!(kind.column_type, Some(FieldType::List));
        assert_eq!(kind.labels(), ["Laptop"]);
        assert_eq!(kind.human_readable.as_deref(), Some("Laptop"));
        let tags = typed.cell("column_tags").unwrap();
        assert_eq!(
            tags.labels(),
            ["Laptop", "Phone", "12"],
            "archived labelled, unknown as ID"
        );
        assert_eq!(tags.items[2].label, None);
        assert_eq!(typed.cell("column_cost").unwrap().display(), "240 USD");
        let unknown: Vec<_> = typed
            .unknown_cells()
            .map(|c| c.column_id.as_str())
            .collect();
        assert_eq!(unknown, ["column_new"]);
        assert_eq!(typed.cell("column_new").unwrap().display(), "x");
    }
}
