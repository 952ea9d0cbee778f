//! The kinds of answer an endpoint declares: what a 2xx (or 304) becomes.
//! A 4xx or 5xx is always the typed error, whatever the kind.

use std::marker::PhantomData;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use super::{RawResponse, decode, error_response};
use crate::Error;
use crate::error::Operation;

/// A response kind: turns an answer into a value or the typed error.
pub(crate) trait Answer {
    /// What the caller gets.
    type Output;

    fn interpret(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Self::Output, Error>;
}

/// A JSON body decoded as `T`, with the path of any mismatch. Anything but
/// a 2xx with a JSON content type is an error: an empty 200 is
/// [`Error::UnexpectedContentType`], never a default `T`.
pub(crate) struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Answer for Json<T> {
    type Output = T;

    fn interpret(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<T, Error> {
        check_json(operation, status, headers, &body)?;
        decode(operation, &body)
    }
}

/// No body expected: an empty 200, 201, 202 or 204, which HiBob sends on
/// several writes and on cancels. A body, if HiBob sends one anyway, must be
/// JSON (an HTML page on a 200 is the web app, not the API) and is dropped.
pub(crate) struct NoContent;

impl Answer for NoContent {
    type Output = ();

    fn interpret(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<(), Error> {
        if !status.is_success() {
            return Err(error_response(operation, status.as_u16(), headers, &body));
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        check_json(operation, status, headers, &body)?;
        decode::<serde::de::IgnoredAny>(operation, &body).map(drop)
    }
}

/// Whether a write changed anything: HiBob answers `304 Not Modified` to an
/// update that matches what it already has.
///
/// ```
/// use hibob::WriteOutcome;
///
/// let outcome: WriteOutcome = WriteOutcome::Unchanged;
/// assert!(!outcome.changed());
/// assert_eq!(WriteOutcome::Applied(7).into_applied(), Some(7));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a write may have changed nothing"]
pub enum WriteOutcome<T = ()> {
    /// HiBob applied the write and answered with this.
    Applied(T),
    /// HiBob answered 304: it already held these values, nothing changed.
    Unchanged,
}

impl<T> WriteOutcome<T> {
    /// Whether HiBob changed anything.
    pub fn changed(&self) -> bool {
        matches!(self, Self::Applied(_))
    }

    /// HiBob's answer to an applied write; `None` when nothing changed.
    pub fn into_applied(self) -> Option<T> {
        match self {
            Self::Applied(value) => Some(value),
            Self::Unchanged => None,
        }
    }
}

/// `304 Not Modified` as [`WriteOutcome::Unchanged`], anything else as the
/// kind `A` reads it.
pub(crate) struct OrUnchanged<A>(PhantomData<fn() -> A>);

impl<A: Answer> Answer for OrUnchanged<A> {
    type Output = WriteOutcome<A::Output>;

    fn interpret(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<Self::Output, Error> {
        if status == StatusCode::NOT_MODIFIED {
            return Ok(WriteOutcome::Unchanged);
        }
        A::interpret(operation, status, headers, body).map(WriteOutcome::Applied)
    }
}

/// The answer as it came, for any status below 400: bytes with their
/// content type (reports, documents, avatars), a 204, a 304.
pub(crate) struct Raw;

impl Answer for Raw {
    type Output = RawResponse;

    fn interpret(
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: Vec<u8>,
    ) -> Result<RawResponse, Error> {
        if status.as_u16() >= 400 {
            return Err(error_response(operation, status.as_u16(), headers, &body));
        }
        Ok(RawResponse {
            status: status.as_u16(),
            headers: headers.clone(),
            body,
            operation,
        })
    }
}

/// Status and content type: an error for anything but a 2xx JSON answer.
pub(super) fn check_json(
    operation: Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Error> {
    if !status.is_success() {
        return Err(error_response(operation, status.as_u16(), headers, body));
    }
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if !content_type.is_some_and(is_json) {
        return Err(Error::UnexpectedContentType {
            operation,
            status: status.as_u16(),
            content_type: content_type.unwrap_or_default().chars().take(100).collect(),
        });
    }
    Ok(())
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: Operation = Operation {
        method: "PUT",
        route: "/people/{identifier}",
    };

    fn headers(content_type: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(CONTENT_TYPE, value.parse().unwrap());
        }
        headers
    }

    fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn json_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/html"));
    }

    #[test]
    fn an_empty_200_is_no_content_but_never_an_empty_json_value() {
        for code in [200, 201, 202, 204] {
            let empty = NoContent::interpret(OP, status(code), &headers(None), Vec::new());
            assert!(empty.is_ok(), "{code}");
        }
        let json = Json::<serde_json::Value>::interpret(OP, status(200), &headers(None), vec![]);
        assert!(
            matches!(json, Err(Error::UnexpectedContentType { .. })),
            "{json:?}"
        );
    }

    #[test]
    fn no_content_accepts_a_json_body_but_not_a_web_page() {
        let json = headers(Some("application/json"));
        let ok = NoContent::interpret(OP, status(200), &json, br#"{"id": 1}"#.to_vec());
        assert!(ok.is_ok());
        let cut = NoContent::interpret(OP, status(200), &json, br#"{"id": 1"#.to_vec());
        assert!(matches!(cut, Err(Error::Truncated { .. })), "{cut:?}");
        let html = headers(Some("text/html"));
        let page = NoContent::interpret(OP, status(200), &html, b"<html></html>".to_vec());
        assert!(
            matches!(page, Err(Error::UnexpectedContentType { .. })),
            "{page:?}"
        );
        let denied = NoContent::interpret(OP, status(403), &headers(None), Vec::new());
        assert!(matches!(denied, Err(Error::PermissionDenied { .. })));
    }

    #[test]
    fn a_304_is_unchanged_and_a_200_applied() {
        type Kind = OrUnchanged<NoContent>;
        let same = Kind::interpret(OP, status(304), &headers(None), Vec::new()).unwrap();
        assert_eq!(same, WriteOutcome::Unchanged);
        let done = Kind::interpret(OP, status(200), &headers(None), Vec::new()).unwrap();
        assert_eq!(done, WriteOutcome::Applied(()));
        // Without `OrUnchanged`, a 304 is not a success.
        let json = Json::<serde_json::Value>::interpret(OP, status(304), &headers(None), vec![]);
        assert!(matches!(
            json,
            Err(Error::UnexpectedStatus { status: 304, .. })
        ));
    }

    #[test]
    fn raw_keeps_bytes_and_their_content_type() {
        let pdf = headers(Some("application/pdf"));
        let raw = Raw::interpret(OP, status(200), &pdf, b"%PDF-1.7".to_vec()).unwrap();
        assert_eq!(raw.content_type(), Some("application/pdf"));
        assert_eq!(raw.body, b"%PDF-1.7");
        let gone = Raw::interpret(OP, status(404), &pdf, Vec::new());
        assert!(matches!(gone, Err(Error::NotFound { .. })));
    }
}
