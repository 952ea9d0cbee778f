//! Employee-table metadata (`GET /company/people/employee-tables/metadata`,
//! 2026): each built-in table's columns, custom columns included.
//!
//! The reference pages say what the answer holds (the table's id, name,
//! category, whether it is effective-dated, and its columns) but show no
//! JSON keys, so the keys are assumed from HiBob's custom-table metadata,
//! whose columns have the same parts: `id`, `name`, `description`,
//! `mandatory`, `type` and `typeData.listId`. The effective-dated flag is
//! read from `historical`, `isHistorical`, `effectiveDated` or
//! `isEffectiveDated`. Everything else is kept in `extra`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::models::employee::de;

/// One built-in employee table's metadata.
///
/// ```
/// use hibob::tables::TableMetadata;
///
/// let json = r#"{"id": "work", "name": "Work", "category": "work", "historical": true,
///   "columns": [{"id": "title", "name": "Job title", "type": "list", "typeData": {"listId": "title"}},
///               {"id": "column_1666178477233", "name": "Desk", "type": "text"}]}"#;
/// let table: TableMetadata = serde_json::from_str(json)?;
/// assert_eq!(table.historical, Some(true));
/// assert_eq!(table.column("title").unwrap().list_id.as_deref(), Some("title"));
/// assert_eq!(table.column_name("column_1666178477233"), Some("Desk"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TableMetadata {
    /// The table ID, also its path segment (`work`, `bank-accounts`).
    #[serde(deserialize_with = "required_id")]
    pub id: String,
    /// Its name in Bob.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub name: Option<String>,
    /// The category that guards it.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub category: Option<String>,
    /// Whether rows are effective-dated.
    #[serde(
        default,
        alias = "isHistorical",
        alias = "effectiveDated",
        alias = "isEffectiveDated",
        deserialize_with = "de::opt_bool"
    )]
    pub historical: Option<bool>,
    /// Its columns, custom columns included.
    #[serde(default, deserialize_with = "columns")]
    pub columns: Vec<TableColumn>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TableMetadata {
    /// The column with this ID.
    pub fn column(&self, id: &str) -> Option<&TableColumn> {
        self.columns.iter().find(|c| c.id == id)
    }

    /// The name of the column with this ID, where the metadata gives one.
    pub fn column_name(&self, id: &str) -> Option<&str> {
        self.column(id).and_then(|c| c.name.as_deref())
    }
}

/// One column of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TableColumn {
    /// The column ID as rows key it (`title`, `column_1666178477233`).
    #[serde(deserialize_with = "required_id")]
    pub id: String,
    /// Its name in Bob.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub name: Option<String>,
    /// Its description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub description: Option<String>,
    /// Whether a row must have it.
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub mandatory: Option<bool>,
    /// Its type as HiBob names it (`text`, `date`, `list`, `currency`…).
    #[serde(rename = "type", default, deserialize_with = "de::opt_string")]
    pub column_type: Option<String>,
    /// The named list behind a list column (`typeData.listId`).
    #[serde(rename = "typeData", default, deserialize_with = "list_id")]
    #[serde(serialize_with = "ser_list_id")]
    pub list_id: Option<String>,
    /// Whether it is a custom column (`isCustom` / `custom`), where sent.
    #[serde(
        rename = "isCustom",
        alias = "custom",
        default,
        deserialize_with = "de::opt_bool"
    )]
    pub custom: Option<bool>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A required ID, a string or a number.
fn required_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    de::opt_id_text(d)?.ok_or_else(|| serde::de::Error::custom("expected an ID"))
}

/// `columns`: an array of column objects; `null` is none. Anything else
/// fails the decode rather than reading as a table without columns.
fn columns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TableColumn>, D::Error> {
    Ok(Option::<Vec<TableColumn>>::deserialize(d)?.unwrap_or_default())
}

fn list_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(data) => match data.get("listId") {
            Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
            Some(Value::Number(id)) => Some(id.to_string()),
            _ => None,
        },
        _ => None,
    })
}

fn ser_list_id<S: serde::Serializer>(id: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => serde_json::json!({ "listId": id }).serialize(s),
        None => s.serialize_none(),
    }
}

/// The list answer: `{"tables": [...]}`, or a bare array.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum TablesMetadata {
    Wrapped { tables: Vec<TableMetadata> },
    Bare(Vec<TableMetadata>),
}

impl TablesMetadata {
    pub(crate) fn into_tables(self) -> Vec<TableMetadata> {
        match self {
            Self::Wrapped { tables } | Self::Bare(tables) => tables,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_list_answer_is_wrapped_or_bare_and_nothing_else() {
        let table = json!({"id": "variable", "isHistorical": true, "columns": [
            {"id": "amount", "name": "Amount", "type": "currency", "mandatory": true},
            {"id": "column_17", "name": "Cost centre", "type": "list", "typeData": {"listId": 42}, "isCustom": true}
        ]});
        let wrapped: TablesMetadata =
            serde_json::from_value(json!({"tables": [table.clone()]})).unwrap();
        let bare: TablesMetadata = serde_json::from_value(json!([table])).unwrap();
        let (wrapped, bare) = (wrapped.into_tables(), bare.into_tables());
        assert_eq!(wrapped, bare);
        let variable = &wrapped[0];
        assert_eq!(variable.historical, Some(true));
        let custom = variable.column("column_17").unwrap();
        assert_eq!(
            (custom.list_id.as_deref(), custom.custom),
            (Some("42"), Some(true))
        );
        assert_eq!(variable.column("amount").unwrap().mandatory, Some(true));

        for wrong in [
            json!({"tables": {"id": "work"}}),
            json!({"id": "work"}),
            json!("work"),
        ] {
            assert!(
                serde_json::from_value::<TablesMetadata>(wrong.clone()).is_err(),
                "{wrong}"
            );
        }
        let columns_not_a_list = json!({"id": "work", "columns": {"id": "title"}});
        assert!(serde_json::from_value::<TableMetadata>(columns_not_a_list).is_err());
    }
}
