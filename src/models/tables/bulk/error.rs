//! One element of a bulk page's `errors`, in every shape seen or drawn.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use crate::models::EmployeeId;

/// One entry of a bulk page's `errors`: an employee that was requested but
/// could not be read. The element shape is not documented, so every shape
/// is accepted and the original JSON is kept in `raw`.
///
/// Shapes read: `{"<id>": {"error": …, "message": …}}` (one error per
/// member), `{"employeeId": "<id>", "error"|"code": …, "message": …}`, and
/// the shape of HiBob's published OpenAPI, `{"employeeId": {"error": …,
/// "message": …}}`, whose key is the literal word `employeeId`: that element
/// names nobody, so its `employee_id` is `None` and it is not an employee.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BulkError {
    /// The employee concerned, when the element names one. `None` for an
    /// element that names nobody, such as `{"employeeId": {...}}`.
    pub employee_id: Option<EmployeeId>,
    /// A machine code such as `MISSING_PERMISSION`.
    pub code: Option<String>,
    /// A human message.
    pub message: Option<String>,
    /// The element as sent (for `{"<id>": {...}, "<id2>": {...}}`, the
    /// member of this employee only).
    pub raw: Value,
}

/// Member names that hold an employee ID. As the key of an object member
/// they are no ID but a placeholder: HiBob's OpenAPI draws every bulk
/// `errors` item as `{"employeeId": {"error": "MISSING_PERMISSION",
/// "message": "You don't have permission to access data for employees with
/// ids: …"}}` (hibob-openapi-2025.yml, `paths./bulk/people/lifecycle.get
/// .responses.200.content.application/json.schema.properties.errors.items
/// .properties.employeeId`; the same for employment, salaries and work).
const ID_MEMBERS: [&str; 3] = ["employeeId", "employee_id", "id"];

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
        let id_member = ID_MEMBERS
            .into_iter()
            .find(|k| map.get(*k).is_some_and(|v| v.is_string() || v.is_number()));
        if let Some(id_member) = id_member {
            return vec![BulkError::from_body(
                text(map.get(id_member)),
                map,
                element.clone(),
            )];
        }
        if !map.is_empty() && map.values().all(Value::is_object) {
            return map
                .iter()
                .map(|(key, body)| {
                    let body_map = body.as_object().expect("checked above");
                    let raw = json!({ key: body });
                    let id = (!ID_MEMBERS.contains(&key.as_str())).then(|| key.clone());
                    BulkError::from_body(id, body_map, raw)
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
