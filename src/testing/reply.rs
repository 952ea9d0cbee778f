//! A response before it becomes a wiremock `ResponseTemplate`.

use serde_json::{Value, json};

/// A response before it becomes a [`ResponseTemplate`](wiremock::ResponseTemplate).
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Body,
    pub(crate) headers: Vec<(&'static str, String)>,
}

pub(crate) enum Body {
    Empty,
    /// Serialized JSON, built once: large answers never exist as a `Value`.
    Json(Vec<u8>),
    /// A JSON body cut short (`truncated_rate`).
    Truncated(Vec<u8>),
    Html(&'static str),
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        let bytes = serde_json::to_vec(&body).expect("a serde_json::Value always serializes");
        Self::json_bytes(status, bytes)
    }

    /// A JSON answer already serialized.
    pub(crate) fn json_bytes(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            body: Body::Json(body),
            headers: Vec::new(),
        }
    }

    /// HiBob's `{"key", "error"}` error body.
    pub(crate) fn error(status: u16, key: &str, message: &str) -> Self {
        Self::json(status, json!({ "key": key, "error": message }))
    }

    pub(crate) fn bad_request(message: &str) -> Self {
        Self::error(400, "request.invalid", message)
    }

    pub(crate) fn forbidden() -> Self {
        Self::error(
            403,
            "permission.denied",
            "The service user does not have permissions to access this table or employees",
        )
    }

    pub(crate) fn not_found(message: &str) -> Self {
        Self::error(404, "not.found", message)
    }

    /// A table entry ID in a path (`…/{entry_id}`), or 400.
    pub(crate) fn entry_id(entry: &str) -> Result<i64, Self> {
        entry
            .parse()
            .map_err(|_| Self::bad_request("entry_id must be a number"))
    }

    /// 404 for a table entry the employee does not have.
    pub(crate) fn entry_not_found() -> Self {
        Self::error(
            404,
            "entry.not.found",
            "Requested entry not found. Nothing was changed",
        )
    }

    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            body: Body::Empty,
            headers: Vec::new(),
        }
    }

    /// A `text/html` page.
    pub(crate) fn html(status: u16, page: &'static str) -> Self {
        Self {
            body: Body::Html(page),
            ..Self::empty(status)
        }
    }
}
