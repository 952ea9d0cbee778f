//! One page of a bulk table read (`GET /bulk/people/{table}`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::RestrictedColumns;
use crate::models::EmployeeId;
use crate::models::employee::de;

/// One page of `GET /bulk/people/{table}`.
///
/// Decoded from `{"results": [{"employeeId": …, "values": [...]}],
/// "response_metadata": {"next_cursor": …}, "errors": [...]}`; accepts
/// `response_metadata.cursor` too, a missing or `null` `results`,
/// `response_metadata` or `errors`, `errors` as an object keyed by employee
/// ID, and `values` wrapped as `{"values": [...], "restricted_columns":
/// {...}}` (whose restricted columns are merged into the page's).
/// Serializes back to the wire shape.
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

/// One entry of a bulk page's `errors`: an employee that was requested but
/// could not be read. The element shape is not documented, so every shape
/// is accepted and the original JSON is kept in `raw`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BulkError {
    /// The employee concerned, when the element names one.
    pub employee_id: Option<EmployeeId>,
    /// A machine code such as `MISSING_PERMISSION`.
    pub code: Option<String>,
    /// A human message.
    pub message: Option<String>,
    /// The element as sent (for `{"<id>": {...}, "<id2>": {...}}`, the
    /// member of this employee only).
    pub raw: Value,
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl BulkError {
    /// Reads one element of `errors`; a `{"<id>": {...}, …}` element yields
    /// one error per employee. Never fails.
    pub fn parse(element: Value) -> Vec<BulkError> {
        let Value::Object(map) = &element else {
            let message = element.as_str().map(str::to_owned);
            return vec![BulkError {
                message,
                raw: element,
                ..BulkError::default()
            }];
        };
        let id_key = ["employeeId", "employee_id", "id"]
            .into_iter()
            .find(|k| map.get(*k).is_some_and(|v| v.is_string() || v.is_number()));
        if let Some(id_key) = id_key {
            return vec![BulkError::from_body(
                text(map.get(id_key)),
                map,
                element.clone(),
            )];
        }
        if !map.is_empty() && map.values().all(Value::is_object) {
            return map
                .iter()
                .map(|(id, body)| {
                    let body_map = body.as_object().expect("checked above");
                    let raw = json!({ id: body });
                    BulkError::from_body(Some(id.clone()), body_map, raw)
                })
                .collect();
        }
        vec![BulkError::from_body(None, map, element.clone())]
    }

    fn from_body(id: Option<String>, body: &Map<String, Value>, raw: Value) -> Self {
        let nested = body.get("error").and_then(Value::as_object);
        let code = match nested {
            Some(inner) => text(inner.get("code")).or_else(|| text(inner.get("error"))),
            None => text(body.get("error")).or_else(|| text(body.get("code"))),
        };
        let message = text(body.get("message"))
            .or_else(|| nested.and_then(|inner| text(inner.get("message"))))
            .or_else(|| text(body.get("errorMessage")));
        BulkError {
            employee_id: id.map(EmployeeId::from),
            code,
            message,
            raw,
        }
    }
}

impl Serialize for BulkError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for BulkError {
    /// Reads one error element; when it names several employees, the first
    /// is returned (use [`BulkError::parse`] to get them all).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(BulkError::parse(value)
            .into_iter()
            .next()
            .unwrap_or_default())
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
    #[serde(default = "RawValues::empty")]
    values: RawValues<E>,
}

/// `values` of a bulk row: a list, or `{"values": [...], "restricted_columns": {...}}`.
struct RawValues<E> {
    values: Vec<E>,
    restricted: Option<RestrictedColumns>,
}

impl<E> RawValues<E> {
    fn empty() -> Self {
        Self {
            values: Vec::new(),
            restricted: None,
        }
    }
}

impl<'de, E: Deserialize<'de>> Deserialize<'de> for RawValues<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawValuesVisitor(PhantomData))
    }
}

struct RawValuesVisitor<E>(PhantomData<E>);

impl<'de, E: Deserialize<'de>> Visitor<'de> for RawValuesVisitor<E> {
    type Value = RawValues<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of table rows, or {\"values\": [...]}")
    }
    fn visit_unit<A>(self) -> Result<Self::Value, A> {
        Ok(RawValues::empty())
    }
    fn visit_none<A>(self) -> Result<Self::Value, A> {
        Ok(RawValues::empty())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(row) = seq.next_element()? {
            values.push(row);
        }
        Ok(RawValues {
            values,
            restricted: None,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = RawValues::empty();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "values" => out.values = map.next_value::<Option<Vec<E>>>()?.unwrap_or_default(),
                "restricted_columns" => out.restricted = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
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
                rows: rows.values.values,
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
