//! HiBob's error bodies, parsed whatever their shape and kept out of `Debug`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// A HiBob error body, parsed leniently: `{"key", "error"}`, `message`,
/// `errorMessage`, per-field `errors`, or a short plain-text message.
///
/// HiBob's message and field errors may quote the values you sent (names,
/// e-mail addresses, salaries), so `Debug` shows only the key and how much
/// text there is, and no `Display` of [`Error`](crate::Error) includes them. Read
/// [`message`](Self::message) and [`field_errors`](Self::field_errors)
/// deliberately, and log them only if your data policy allows.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// HiBob's machine key, e.g. `exception.history.duplicated.bulk`.
    pub key: Option<String>,
    /// HiBob's human message (`error`, `message` or `errorMessage`; a value
    /// that is not a string is kept as its JSON text). It may quote the
    /// values you sent, so it is kept out of `Display` and `Debug`.
    pub message: Option<String>,
    /// Per-field validation errors, keyed by field (by position when HiBob
    /// sends a list). Kept out of `Display` and `Debug` like the message.
    pub field_errors: BTreeMap<String, Value>,
}

impl fmt::Debug for ApiErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self
            .message
            .as_ref()
            .map(|m| Note(format!("<redacted, {} chars>", m.chars().count())));
        let fields = Note(format!("<redacted, {} entries>", self.field_errors.len()));
        f.debug_struct("ApiErrorBody")
            .field("key", &self.key)
            .field("message", &message)
            .field("field_errors", &fields)
            .finish()
    }
}

/// Text shown verbatim by `Debug` (no quotes), for redaction notes.
struct Note(String);

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ApiErrorBody {
    /// Parses an error body whatever its shape; `None` when there is nothing useful
    /// (empty, HTML, binary). The HTTP status is kept by the caller either way.
    pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Option<Box<Self>> {
        let text = std::str::from_utf8(body).ok()?.trim();
        if text.is_empty() {
            return None;
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => return Some(Box::new(Self::from_object(object))),
            Ok(Value::String(message)) => return Some(Box::new(Self::from_text(&message))),
            _ => {}
        }
        let is_plain = content_type.is_none_or(|ct| ct.starts_with("text/plain"));
        let looks_like_markup = text.starts_with('<');
        (is_plain && !looks_like_markup).then(|| Box::new(Self::from_text(text)))
    }

    /// Any JSON object: each known member may have any JSON type, so one odd
    /// member never costs the key or the message.
    fn from_object(mut object: serde_json::Map<String, Value>) -> Self {
        let mut take = |name: &str| json_text(object.remove(name));
        let key = take("key");
        let message = take("error")
            .or_else(|| take("message"))
            .or_else(|| take("errorMessage"));
        Self {
            key,
            message,
            field_errors: field_errors(object.remove("errors")),
        }
    }

    fn from_text(text: &str) -> Self {
        Self {
            message: Some(text.chars().take(300).collect()),
            ..Self::default()
        }
    }

    pub(super) fn mentions_permission(&self) -> bool {
        let texts = [self.key.as_deref(), self.message.as_deref()];
        texts
            .into_iter()
            .flatten()
            .any(|t| t.to_ascii_lowercase().contains("permission"))
    }
}

/// A member as text: strings as they are, other values as their JSON.
fn json_text(value: Option<Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// `errors` as a map: an object as it is, a list (or a lone value) by position.
fn field_errors(value: Option<Value>) -> BTreeMap<String, Value> {
    let items = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => return map.into_iter().collect(),
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| (i.to_string(), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Operation};

    const OP: Operation = Operation {
        method: "GET",
        route: "/bulk/people/lifecycle",
    };

    #[test]
    fn parses_key_error_bodies_and_plain_text() {
        let body = br#"{"key":"exception.x","error":"Duplicate effective date"}"#;
        let parsed = ApiErrorBody::parse(Some("application/json"), body).unwrap();
        assert_eq!(parsed.key.as_deref(), Some("exception.x"));
        assert_eq!(parsed.message.as_deref(), Some("Duplicate effective date"));
        let plain = ApiErrorBody::parse(Some("text/plain"), b"Missing pay frequency").unwrap();
        assert_eq!(plain.message.as_deref(), Some("Missing pay frequency"));
        assert!(ApiErrorBody::parse(Some("text/html"), b"<html>oops</html>").is_none());
        assert!(ApiErrorBody::parse(None, b"").is_none());
    }

    /// Found by an audit: a non-string `message` or a list of `errors` failed
    /// the whole parse and lost the key.
    #[test]
    fn odd_member_types_keep_key_message_and_status() {
        let body = br#"{"key":"exception.v","message":{"text":"bad"},"errors":["a",{"f":1}]}"#;
        let err = Error::from_response(OP, 400, Some("application/json"), None, None, body);
        assert_eq!(err.status(), Some(400));
        let parsed = err.api_body().unwrap();
        assert_eq!(parsed.key.as_deref(), Some("exception.v"));
        assert_eq!(parsed.message.as_deref(), Some(r#"{"text":"bad"}"#));
        assert_eq!(parsed.field_errors["0"], "a");
        assert_eq!(parsed.field_errors["1"], serde_json::json!({"f": 1}));

        let odd = br#"{"key":42,"error":null,"errorMessage":["x"],"errors":"all wrong"}"#;
        let parsed = ApiErrorBody::parse(Some("application/json"), odd).unwrap();
        assert_eq!(parsed.key.as_deref(), Some("42"));
        assert_eq!(parsed.message.as_deref(), Some(r#"["x"]"#));
        assert_eq!(parsed.field_errors["0"], "all wrong");

        let quoted = ApiErrorBody::parse(Some("application/json"), br#""Missing values""#);
        assert_eq!(quoted.unwrap().message.as_deref(), Some("Missing values"));
        let list = Error::from_response(OP, 502, Some("application/json"), None, None, b"[1]");
        assert_eq!(list.status(), Some(502));
    }

    #[test]
    fn debug_shows_the_key_but_no_body_text() {
        let body = br#"{"key":"exception.x","error":"ada@example.com is taken","errors":{"email":"ada@example.com"}}"#;
        let err = Error::from_response(OP, 400, Some("application/json"), None, None, body);
        let debug = format!("{err:?}");
        assert!(!debug.contains("ada@"), "{debug}");
        assert!(debug.contains("exception.x"), "{debug}");
        assert!(debug.contains("<redacted, 24 chars>"), "{debug}");
        assert!(debug.contains("<redacted, 1 entries>"), "{debug}");
        let plain = Error::from_response(OP, 400, None, None, None, b"ada@example.com");
        assert!(!format!("{plain:?} {plain}").contains("ada@"));
        assert_eq!(
            plain.api_body().and_then(|b| b.message.as_deref()),
            Some("ada@example.com"),
            "the message stays readable on purpose"
        );
    }
}
