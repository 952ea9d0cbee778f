//! One page of a bulk table read (`GET /bulk/people/{table}`).

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

use super::RestrictedColumns;
use crate::models::EmployeeId;
use crate::models::employee::de;

mod error;
mod values;

pub use error::BulkError;
use values::RawValues;

/// One page of `GET /bulk/people/{table}`.
///
/// Decoded from `{"results": [{"employeeId": …, "values": [rows]}],
/// "response_metadata": {"next_cursor": …}, "errors": [...]}`; accepts
/// `response_metadata.cursor` too, a missing or `null` `results`,
/// `response_metadata` or `errors`, `errors` as an object keyed by employee
/// ID, and the rows wrapped as HiBob's published OpenAPI draws them,
/// `"values": [{"values": [rows]}]`, or once, `"values": {"values": [rows],
/// "restricted_columns": {...}}` (wrappers' restricted columns are merged
/// into the page's). Serializes back to the flat wire shape.
///
/// A wrapper is an object whose keys are `values` and, optionally,
/// `restricted_columns`; any other object is a row and must have an `id` or
/// `effectiveDate` key. An element of `values` that is neither (a string,
/// `{}`, an object mixing row columns with `values`) fails the decode with
/// its JSON path, such as `results[3].values[0]`, instead of becoming a row
/// with every column empty.
///
/// ```
/// use hibob::tables::{BulkPage, WorkEntry};
///
/// let flat = r#"{"results": [{"employeeId": "1", "values": [{"id": 7, "effectiveDate": "2024-01-01"}]}]}"#;
/// let wrapped = r#"{"results": [{"employeeId": "1", "values": [{"values": [{"id": 7, "effectiveDate": "2024-01-01"}]}]}]}"#;
/// let flat: BulkPage<WorkEntry> = serde_json::from_str(flat)?;
/// let wrapped: BulkPage<WorkEntry> = serde_json::from_str(wrapped)?;
/// assert_eq!(flat, wrapped);
/// assert_eq!(flat.results[0].rows[0].common.id, 7);
///
/// let neither = r#"{"results": [{"employeeId": "1", "values": [{"title": "CEO"}]}]}"#;
/// assert!(serde_json::from_str::<BulkPage<WorkEntry>>(neither).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BulkPage<E> {
    /// Rows per employee.
    pub results: Vec<EmployeeRows<E>>,
    /// The cursor of the next page; `None` when this is the last one.
    pub next_cursor: Option<String>,
    /// Employees requested but not readable (per-employee warnings, not a
    /// failed call).
    pub errors: Vec<BulkError>,
    /// Columns hidden by field-level permissions, merged over the page.
    pub restricted_columns: Option<RestrictedColumns>,
}

impl<E> Default for BulkPage<E> {
    fn default() -> Self {
        Self {
            results: Vec::new(),
            next_cursor: None,
            errors: Vec::new(),
            restricted_columns: None,
        }
    }
}

/// The rows of one employee in a bulk page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmployeeRows<E> {
    /// Whose rows these are.
    pub employee_id: EmployeeId,
    /// The rows (`values` on the wire).
    #[serde(rename = "values")]
    pub rows: Vec<E>,
}

impl<E> EmployeeRows<E> {
    /// Rows of one employee.
    pub fn new(employee_id: EmployeeId, rows: Vec<E>) -> Self {
        Self { employee_id, rows }
    }
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "E: Deserialize<'de>"))]
struct RawPage<E> {
    #[serde(default, deserialize_with = "de::vec_or_empty")]
    results: Vec<RawRows<E>>,
    #[serde(default)]
    response_metadata: Option<RawMetadata>,
    #[serde(default, deserialize_with = "error_elements")]
    errors: Vec<Value>,
    #[serde(default)]
    restricted_columns: Option<RestrictedColumns>,
}

/// `errors` as a list of elements; an object (`{"<id>": {...}, …}`, the
/// shape hibob-api.md §6.3 quotes) is one element, which
/// [`BulkError::parse`] splits per employee. `null` and `{}` are no errors.
fn error_elements<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(elements) => elements,
        Value::Null => Vec::new(),
        Value::Object(map) if map.is_empty() => Vec::new(),
        other => vec![other],
    })
}

#[derive(Deserialize)]
struct RawMetadata {
    #[serde(default)]
    next_cursor: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "E: Deserialize<'de>"))]
struct RawRows<E> {
    #[serde(
        rename = "employeeId",
        deserialize_with = "de::opt_employee_id",
        default
    )]
    employee_id: Option<EmployeeId>,
    #[serde(default)]
    values: RawValues<E>,
}

impl<'de, E: Deserialize<'de>> Deserialize<'de> for BulkPage<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawPage::<E>::deserialize(deserializer)?;
        let mut restricted = raw.restricted_columns;
        let mut results = Vec::with_capacity(raw.results.len());
        for rows in raw.results {
            if let Some(more) = rows.values.restricted {
                restricted.get_or_insert_with(Default::default).merge(more);
            }
            results.push(EmployeeRows {
                employee_id: rows.employee_id.unwrap_or_default(),
                rows: rows.values.rows,
            });
        }
        let next_cursor = raw
            .response_metadata
            .and_then(|m| m.next_cursor.or(m.cursor))
            .filter(|c| !c.is_empty());
        Ok(BulkPage {
            results,
            next_cursor,
            errors: raw.errors.into_iter().flat_map(BulkError::parse).collect(),
            restricted_columns: restricted,
        })
    }
}

impl<E: Serialize> Serialize for BulkPage<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("results", &self.results)?;
        map.serialize_entry(
            "response_metadata",
            &json!({ "next_cursor": self.next_cursor }),
        )?;
        map.serialize_entry("errors", &self.errors)?;
        if let Some(restricted) = &self.restricted_columns {
            map.serialize_entry("restricted_columns", restricted)?;
        }
        map.end()
    }
}
