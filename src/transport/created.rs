//! The answer to a create: the new record's ID, when HiBob sends one.

use serde_json::Value;

use super::RawResponse;
use crate::Error;
use crate::error::Operation;

/// An ID as HiBob writes one: a number or a numeric string.
pub(crate) fn id_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl RawResponse {
    /// The new record's ID from a create's answer: none for an empty body
    /// (the 2025 spec's "Entry created successfully"); the ID from
    /// `{"id": …}` or a bare number (the 2026 pages: "returns the new entry
    /// id"). A body that is not JSON is [`Error::OutcomeUnknown`]: the write
    /// may have been applied.
    pub(crate) fn created_id(&self) -> Result<Option<i64>, Error> {
        created_id(self.operation, self.status, self.content_type(), &self.body)
    }
}

fn created_id(
    operation: Operation,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Option<i64>, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let unknown = |source: Error| Error::OutcomeUnknown {
        operation,
        source: Box::new(source),
    };
    if !content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json")) {
        return Err(unknown(Error::UnexpectedContentType {
            operation,
            status,
            content_type: content_type.unwrap_or_default().chars().take(100).collect(),
        }));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| unknown(Error::decoding(operation, String::new(), &e)))?;
    let id = match &value {
        Value::Object(map) => map.get("id").and_then(id_of),
        other => id_of(other),
    };
    if id.is_none() {
        tracing::warn!(
            route = operation.route,
            "HiBob's answer to a create carried no ID"
        );
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ADD: Operation = Operation {
        method: "POST",
        route: "/people/{id}/work",
    };

    #[test]
    fn ids_come_from_numbers_or_numeric_strings() {
        assert_eq!(id_of(&json!(12)), Some(12));
        assert_eq!(id_of(&json!(" 12 ")), Some(12));
        assert_eq!(id_of(&json!({"id": 1})), None);
    }

    #[test]
    fn an_add_answers_with_its_id_nothing_or_an_unknown_outcome() {
        let json = Some("application/json");
        assert_eq!(created_id(ADD, 200, None, b"").unwrap(), None);
        assert_eq!(
            created_id(ADD, 200, json, br#"{"id": 42}"#).unwrap(),
            Some(42)
        );
        assert_eq!(created_id(ADD, 200, json, b"42").unwrap(), Some(42));
        assert_eq!(
            created_id(ADD, 200, json, br#"{"ok": true}"#).unwrap(),
            None
        );
        for (content_type, body) in [(json, &br#"{"id": 4"#[..]), (Some("text/html"), b"<html>")] {
            let err = created_id(ADD, 200, content_type, body).unwrap_err();
            assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
        }
    }
}
