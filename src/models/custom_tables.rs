//! Custom tables: their metadata (`GET /people/custom-tables/metadata[/{id}]`)
//! and their rows (`GET /people/custom-tables/{employee_id}/{custom_table_id}`,
//! `GET /bulk/people/custom-tables/{custom_table_id}`), keyed by column ID.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::employee::de as lenient;
use super::metadata::{FieldType, TypeData};

/// One custom table, as its metadata describes it: `{"id", "name",
/// "category", "description", "columns": [...]}`.
///
/// ```
/// use hibob::custom_tables::CustomTable;
///
/// let table: CustomTable = serde_json::from_str(r#"{
///     "id": "1663597893462", "name": "Assets", "category": "category_1663597893461",
///     "columns": [{"id": "column_1663598062584", "name": "Asset type", "mandatory": true,
///                  "type": "list", "typeData": {"listId": "1663597893462.column_1663598062584"}}]
/// }"#)?;
/// let column = table.column("column_1663598062584").unwrap();
/// assert!(column.mandatory);
/// assert_eq!(column.list_id(), Some("1663597893462.column_1663598062584"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomTable {
    /// The table ID (`custom_table_id` in routes), kept as exact text.
    #[serde(deserialize_with = "required_id")]
    pub id: String,
    /// The table's name in Bob.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The ID of the category the table belongs to: the unit of permissions.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub category: Option<String>,
    /// The table's description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// The columns, in Bob's order (`null` is none; a non-list is a decode error).
    #[serde(default, deserialize_with = "lenient::vec_or_empty")]
    pub columns: Vec<CustomColumn>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CustomTable {
    /// The column with this ID.
    pub fn column(&self, column_id: &str) -> Option<&CustomColumn> {
        self.columns.iter().find(|c| c.id == column_id)
    }

    /// The column with this name (exact match; the first one if Bob has two).
    pub fn column_named(&self, name: &str) -> Option<&CustomColumn> {
        self.columns
            .iter()
            .find(|c| c.name.as_deref() == Some(name))
    }

    /// The table's name, else its ID.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// One column of a custom table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomColumn {
    /// The column ID (`column_1663598152485`): the key of its cells in rows.
    #[serde(deserialize_with = "required_id")]
    pub id: String,
    /// The column's name in Bob.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The column's description.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub description: Option<String>,
    /// Must be sent when adding a row, and may not be `null` in an update.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub mandatory: bool,
    /// The column type (JSON `type`): text, text-area, number, date, list,
    /// multi-list, hierarchy-list, currency, employee-reference, document.
    #[serde(rename = "type", default)]
    pub column_type: FieldType,
    /// Type details: the named list of list columns (`typeData.listId`).
    #[serde(default, deserialize_with = "type_data")]
    pub type_data: TypeData,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CustomColumn {
    /// The named list behind a list-like column (`typeData.listId`).
    pub fn list_id(&self) -> Option<&str> {
        self.type_data.list_id.as_deref().filter(|l| !l.is_empty())
    }

    /// The column's name, else its ID.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

fn type_data<'de, D: Deserializer<'de>>(d: D) -> Result<TypeData, D::Error> {
    Ok(Option::<TypeData>::deserialize(d)?.unwrap_or_default())
}

/// An ID sent as a string or a number; anything else is a decode error.
fn required_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    lenient::opt_id_text(d)?
        .filter(|id| !id.is_empty())
        .ok_or_else(|| de::Error::custom("expected an ID (a string or a number)"))
}

/// The body of `GET /people/custom-tables/metadata`: `{"tables": [...]}`,
/// or a bare array of tables. Any other shape (an object without `tables`,
/// `tables` that is not a list) is a decode error, never "no tables".
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CustomTablesResponse {
    /// The tables.
    pub tables: Vec<CustomTable>,
}

impl<'de> Deserialize<'de> for CustomTablesResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TablesVisitor;
        impl<'de> Visitor<'de> for TablesVisitor {
            type Value = Vec<CustomTable>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{\"tables\": [...]} or an array of custom tables")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut tables = Vec::new();
                while let Some(table) = seq.next_element()? {
                    tables.push(table);
                }
                Ok(tables)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut tables = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "tables" {
                        tables = Some(map.next_value()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                tables.ok_or_else(|| de::Error::missing_field("tables"))
            }
        }
        let tables = deserializer.deserialize_any(TablesVisitor)?;
        Ok(CustomTablesResponse { tables })
    }
}

/// One row of a custom table, every cell keyed by column ID, as HiBob sends
/// it: `{"id": 1021262, "column_1663598152485": 5185395, …, "humanReadable": {…}}`.
///
/// The cells are untyped here; [`Schema::type_row`](crate::custom_tables::Schema::type_row)
/// gives each one its column's name and type, and list items their labels.
///
/// ```
/// use hibob::custom_tables::CustomRow;
///
/// let row: CustomRow = serde_json::from_str(
///     r#"{"id": 1021262, "column_1663598152485": "SN-1", "humanReadable": {"column_1663598152485": "SN-1"}}"#,
/// )?;
/// assert_eq!(row.id, 1021262);
/// assert_eq!(row.columns["column_1663598152485"], "SN-1");
/// assert!(serde_json::from_str::<CustomRow>(r#"{"column_1": "no id"}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomRow {
    /// The row ID (the `entry_id` of updates and deletes), unique per
    /// employee and table. Required: HiBob documents it as the one column
    /// always present (`null` reads as 0).
    #[serde(deserialize_with = "lenient::i64_or_zero")]
    pub id: i64,
    /// `humanReadable`, when HiBob sends it: display strings by column ID
    /// (dates as the Bob user's format, list items as labels).
    #[serde(
        rename = "humanReadable",
        default,
        deserialize_with = "lenient::map_or_empty",
        skip_serializing_if = "Map::is_empty"
    )]
    pub human_readable: Map<String, Value>,
    /// Every cell, by column ID, as sent.
    #[serde(flatten)]
    pub columns: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_answer_is_wrapped_or_bare_and_never_an_empty_guess() {
        let table = r#"{"id": 1663597893462, "name": "Assets", "columns": null}"#;
        let wrapped: CustomTablesResponse =
            serde_json::from_str(&format!(r#"{{"tables": [{table}], "other": 1}}"#)).unwrap();
        let bare: CustomTablesResponse = serde_json::from_str(&format!("[{table}]")).unwrap();
        assert_eq!(wrapped, bare);
        assert_eq!(bare.tables[0].id, "1663597893462");
        assert!(bare.tables[0].columns.is_empty());
        for wrong in [r#"{"values": []}"#, r#"{"tables": {}}"#, r#""tables""#] {
            assert!(
                serde_json::from_str::<CustomTablesResponse>(wrong).is_err(),
                "{wrong}"
            );
        }
    }

    #[test]
    fn columns_keep_unknown_keys_and_read_types_leniently() {
        let column: CustomColumn = serde_json::from_str(
            r#"{"id": "column_1", "name": "Cost", "mandatory": null, "type": "currency",
                "typeData": null, "position": 3}"#,
        )
        .unwrap();
        assert!(!column.mandatory);
        assert_eq!(column.column_type, FieldType::Currency);
        assert_eq!(column.list_id(), None);
        assert_eq!(column.extra["position"], 3);
        let no_id = serde_json::from_str::<CustomColumn>(r#"{"name": "Cost"}"#);
        assert!(no_id.is_err());
    }

    #[test]
    fn a_row_keeps_every_column_and_round_trips() {
        let json = serde_json::json!({
            "id": 7, "column_1": ["1", "2"], "column_2": {"value": 240, "currency": "USD"},
            "humanReadable": {"column_1": "A,B"}
        });
        let row: CustomRow = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(row.columns.len(), 2);
        assert_eq!(row.human_readable["column_1"], "A,B");
        assert_eq!(serde_json::to_value(&row).unwrap(), json);
    }
}
