//! A people-search body kept as bytes, its employees decoded one at a time.
//!
//! One search of a 20,000-employee company is a body of tens of megabytes.
//! Decoding it into a `Vec<Employee>` holds every decoded employee beside the
//! body. Instead the body is validated once (well-formed JSON with an
//! `employees` array, which also catches a truncated body while it can still
//! be retried), the byte span of each element is kept, and an element is
//! decoded only when the stream reaches it. Peak memory is then the body,
//! 16 bytes per employee and the employee being decoded.

use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::Employee;
use crate::Error;
use crate::error::{DecodeError, Operation};

/// A validated search body and where each employee sits in it.
#[derive(Debug)]
pub(crate) struct LazyEmployees {
    operation: Operation,
    body: Body,
    spans: Vec<Range<usize>>,
}

/// The body, checked as UTF-8 once (as HiBob sends it): decoding from `&str`
/// then skips the check serde_json otherwise makes on every string of every
/// employee. A body that is not UTF-8 stays bytes; the outline pass then
/// fails on its bad string, with the path of its element.
#[derive(Debug)]
enum Body {
    Text(String),
    Bytes(Vec<u8>),
}

impl Body {
    fn new(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Self::Text(text),
            Err(not_text) => Self::Bytes(not_text.into_bytes()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Text(text) => text.as_bytes(),
            Self::Bytes(bytes) => bytes,
        }
    }

    fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// The text of `span`, when the body is text.
    fn text(&self, span: Range<usize>) -> Option<&str> {
        match self {
            Self::Text(text) => text.get(span),
            Self::Bytes(_) => None,
        }
    }
}

/// The outline of `{"employees": [...]}`: the elements are borrowed,
/// unparsed, from the body. Other top-level keys are ignored, as the eager
/// decoder ignores them.
#[derive(Deserialize)]
struct Outline<'a> {
    #[serde(borrow)]
    employees: Vec<&'a RawValue>,
}

impl LazyEmployees {
    /// Validates `body` and records each employee's span. A body that is not
    /// one well-formed JSON document with an `employees` array fails here,
    /// with the path of the problem; a truncated one is retryable.
    pub(crate) fn parse(operation: Operation, body: Vec<u8>) -> Result<Self, Error> {
        let body = Body::new(body);
        let spans = {
            let outline: Outline<'_> = match &body {
                Body::Text(text) => crate::transport::decode_str(operation, text)?,
                Body::Bytes(bytes) => crate::transport::decode(operation, bytes)?,
            };
            let start = body.as_bytes().as_ptr() as usize;
            outline
                .employees
                .iter()
                .map(|raw| {
                    // `RawValue` borrows from `body`: its offset is a subtraction
                    // of addresses, no unsafe code needed.
                    let from = raw.get().as_ptr() as usize - start;
                    from..from + raw.get().len()
                })
                .collect()
        };
        Ok(Self {
            operation,
            body,
            spans,
        })
    }

    /// How many elements `employees` has.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Decodes element `index`; a failure names its full path,
    /// `employees[18211].work.startDate`. The element's bytes were already
    /// checked to be complete JSON, so a failure here is always
    /// [`Error::Decode`] (the contract changed), never a truncation.
    pub(crate) fn decode(&self, index: usize) -> Result<Employee, Error> {
        let span = self.spans[index].clone();
        // Tracking the path costs on every key; only a failure needs it, so
        // the element is decoded again with it then.
        // Spans start and end at JSON tokens, so at character boundaries.
        let decoded = match self.body.text(span.clone()) {
            Some(text) => serde_json::from_str(text),
            None => serde_json::from_slice(&self.body.as_bytes()[span.clone()]),
        };
        decoded.map_err(|plain| self.decode_error(index, &self.body.as_bytes()[span], plain))
    }

    /// The error of an element that failed to decode, with its full path:
    /// `plain`'s cause, found again with the path tracked.
    fn decode_error(&self, index: usize, element: &[u8], plain: serde_json::Error) -> Error {
        let mut deserializer = serde_json::Deserializer::from_slice(element);
        let traced = serde_path_to_error::deserialize::<_, Employee>(&mut deserializer);
        let (inner, cause) = match traced {
            Err(e) => (e.path().to_string(), e.into_inner()),
            // Decoders are deterministic; should one not be, keep the first cause.
            Ok(_) => (".".to_owned(), plain),
        };
        let path = if inner == "." {
            format!("employees[{index}]")
        } else {
            format!("employees[{index}].{inner}")
        };
        Error::Decode {
            operation: self.operation,
            path,
            source: DecodeError::redacting(&cause),
        }
    }

    /// The body's size in bytes.
    pub(crate) fn body_len(&self) -> usize {
        self.body.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: Operation = Operation {
        method: "POST",
        route: "/people/search",
    };

    fn parse(body: &str) -> Result<LazyEmployees, Error> {
        LazyEmployees::parse(OP, body.as_bytes().to_vec())
    }

    #[test]
    fn elements_decode_on_demand_in_order() {
        let lazy =
            parse(r#"{"employees":[{"id":"1"}, {"id":"2","work":{"title":"x"}}],"x":1}"#).unwrap();
        assert_eq!(lazy.len(), 2);
        assert_eq!(lazy.decode(1).unwrap().id().unwrap().as_str(), "2");
        assert_eq!(lazy.decode(0).unwrap().id().unwrap().as_str(), "1");
    }

    #[test]
    fn a_truncated_body_is_retryable_and_a_bad_shape_is_not() {
        let truncated = parse(r#"{"employees":[{"id":"1"},{"id":"#).unwrap_err();
        assert!(truncated.is_retryable(), "{truncated}");
        assert!(
            matches!(truncated, Error::Truncated { .. }),
            "{truncated:?}"
        );
        let no_list = parse(r#"{"people":[]}"#).unwrap_err();
        assert!(!no_list.is_retryable());
        let not_a_list = parse(r#"{"employees":{"id":"1"}}"#).unwrap_err();
        assert!(matches!(not_a_list, Error::Decode { ref path, .. } if path == "employees"));
    }

    #[test]
    fn a_body_that_is_not_utf8_fails_with_the_path_of_its_bad_element() {
        let mut body = br#"{"employees":[{"id":"1"},{"id":"2","displayName":"X"}]}"#.to_vec();
        let x = body.iter().position(|&b| b == b'X').unwrap();
        body[x] = 0xFF;
        let err = LazyEmployees::parse(OP, body).unwrap_err();
        assert!(!err.is_retryable(), "complete, but broken: {err}");
        assert!(
            matches!(err, Error::Decode { ref path, .. } if path == "employees[1]"),
            "{err:?}"
        );
    }

    #[test]
    fn a_bad_element_fails_with_its_full_path() {
        let lazy = parse(r#"{"employees":[{"id":"1"},[1,2],{"id":"3"}]}"#).unwrap();
        assert!(lazy.decode(0).is_ok());
        let err = lazy.decode(1).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Bug, "a complete body: {err}");
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "employees[1]"),
            other => panic!("{other:?}"),
        }
        assert!(lazy.decode(2).is_ok());
    }
}
