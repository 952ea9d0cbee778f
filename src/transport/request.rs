//! What goes over the wire and what comes back, as values: the request the
//! send path sends (and resends), its route expanded into encoded segments,
//! and the boxed futures and streams every builder returns.

use std::pin::Pin;

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use sync_wrapper::SyncFuture;
use tokio::time::Instant;

use crate::Error;
use crate::error::Operation;
use crate::ratelimit::{Declared, Limit, Target};

/// The future of every request builder's `IntoFuture`: boxed, `Send` and
/// `Sync`, so it can be held across `.await` in a `Sync` type or shared by
/// reference. `SyncFuture` provides `Sync` soundly (a future is only ever
/// polled through `&mut`), where an `async fn`'s own future would not be.
pub(crate) type RequestFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + Sync>>;

/// Boxes a request's future as a [`RequestFuture`].
pub(crate) fn request_future<T, F>(future: F) -> RequestFuture<T>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    Box::pin(SyncFuture::new(future))
}

/// The stream of every paginated read: boxed, `Send`, `Sync` and `Unpin`
/// for the same reasons as [`RequestFuture`] (`SyncStream` is only ever
/// polled through `&mut`).
pub(crate) type RequestStream<T> =
    Pin<Box<dyn futures::Stream<Item = Result<T, Error>> + Send + Sync>>;

/// Boxes a stream as a [`RequestStream`].
pub(crate) fn request_stream<T, S>(stream: S) -> RequestStream<T>
where
    S: futures::Stream<Item = Result<T, Error>> + Send + 'static,
{
    Box::pin(sync_wrapper::SyncStream::new(stream))
}

/// Whether a request may be sent again after it failed. HiBob has no
/// idempotency keys, so this is the one thing that keeps a write from being
/// applied twice. The rules are in `transport.rs` (`resend_decision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Changes nothing (GETs and HiBob's read-only searches): retried on
    /// 429, 5xx, timeouts, connection failures and truncated bodies.
    Read,
    /// A PUT or DELETE: sending it twice leaves HiBob as sending it once.
    /// Retried like a read; a 404 on a resent DELETE means it was done.
    Idempotent,
    /// A POST that creates something: resent only when HiBob surely did not
    /// apply it (a 4xx such as 429, or a connection refused before anything
    /// was sent); otherwise it fails with [`Error::OutcomeUnknown`].
    Create,
}

impl Retry {
    /// The class a method has unless declared otherwise: GET reads, PUT and
    /// DELETE are idempotent, POST and PATCH create.
    pub(crate) fn of(method: &Method) -> Self {
        match *method {
            Method::GET | Method::HEAD | Method::OPTIONS => Self::Read,
            Method::PUT | Method::DELETE => Self::Idempotent,
            _ => Self::Create,
        }
    }
}

/// A request ready to send (and to resend on retry).
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub(crate) operation: Operation,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) body: Option<Vec<u8>>,
    pub(super) retry: Retry,
    /// The documented limit and shared bucket, from the declaration.
    pub(super) declared: Declared,
    /// What to grant on a 403, from the declaration.
    pub(super) permission: Option<&'static str>,
    /// An outer deadline (a stream's whole run) that this request's own
    /// operation deadline may not outlast.
    pub(super) deadline: Option<Instant>,
}

/// An answer as it came, from [`RawRequest::send_raw`](crate::RawRequest::send_raw).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
/// # let client = fake.client();
/// let answer = client
///     .request::<()>(hibob::Method::GET, "/company/people/fields")
///     .send_raw()
///     .await?;
/// assert_eq!(answer.status, 200);
/// assert!(answer.content_type().is_some_and(|t| t.contains("json")));
/// assert!(!answer.body.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status: a 2xx or 3xx (4xx and 5xx are errors).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received; empty for a 204 or 304.
    pub body: Vec<u8>,
    pub(super) operation: Operation,
}

impl RawResponse {
    /// The `Content-Type` header, when there is one and it is text.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// Decodes the body as JSON, with the path of any mismatch.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        super::decode(self.operation, &self.body)
    }
}

/// A decoded response with the headers a caller may need.
#[derive(Debug)]
pub(crate) struct Received<T> {
    pub(crate) value: T,
    pub(crate) headers: HeaderMap,
}

impl ApiRequest {
    /// A GET of `route` (a template such as `/people/{id}/work`) with its
    /// placeholders filled by `params`, each encoded as one path segment.
    /// Typed code declares an `Endpoint` instead.
    #[cfg(test)]
    pub(crate) fn get(route: &'static str, params: &[&str]) -> Result<Self, Error> {
        Self::new(Method::GET, route, params, None)
    }

    /// `method` on `route` with `params` in its placeholders, in the retry
    /// class the method has by default ([`Retry::of`]).
    pub(crate) fn new(
        method: Method,
        route: &'static str,
        params: &[&str],
        body: Option<Vec<u8>>,
    ) -> Result<Self, Error> {
        Ok(Self {
            operation: Operation {
                method: method_name(&method),
                route,
            },
            path: expand_route(route, params)?,
            retry: Retry::of(&method),
            method,
            query: Vec::new(),
            body,
            declared: Declared::default(),
            permission: None,
            deadline: None,
        })
    }

    /// Sets the retry class.
    pub(crate) fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// What the endpoint's declaration says about limits and permissions.
    pub(crate) fn declared(
        mut self,
        limit: Option<Limit>,
        bucket: Option<&'static str>,
        permission: Option<&'static str>,
    ) -> Self {
        self.declared = Declared { bucket, limit };
        self.permission = permission;
        self
    }

    /// What the rate limiter counts this request against.
    pub(crate) fn target(&self) -> Target<'_> {
        Target {
            method: self.operation.method,
            route: self.operation.route,
            declared: self.declared,
        }
    }

    /// Ends this request's retries by `deadline` at the latest, as well as
    /// by the client's operation timeout.
    pub(crate) fn deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Appends a query parameter (encoded when the URL is built).
    pub(crate) fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// The path, placeholders filled and encoded.
    #[cfg(test)]
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs, in order.
    #[cfg(test)]
    pub(crate) fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The retry class.
    #[cfg(test)]
    pub(crate) fn retry_class(&self) -> Retry {
        self.retry
    }

    /// The encoded body.
    #[cfg(test)]
    pub(crate) fn body_bytes(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        _ => "OTHER",
    }
}

/// Fills `{…}` placeholders with percent-encoded segments. An identifier can
/// never change the route: `/`, `?`, `#`, `%` and spaces are encoded, and
/// empty or dot segments are refused.
pub(crate) fn expand_route(route: &'static str, params: &[&str]) -> Result<String, Error> {
    let mut out = String::with_capacity(route.len() + 32);
    let mut params = params.iter();
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::invalid(format!("malformed route template `{route}`")))?;
        let name = &rest[open + 1..close];
        let value = params
            .next()
            .ok_or_else(|| Error::invalid(format!("route `{route}` needs a value for `{name}`")))?;
        if value.trim().is_empty() || *value == "." || *value == ".." {
            return Err(Error::invalid(format!(
                "`{name}` must be a non-empty identifier other than `.` or `..`"
            )));
        }
        out.push_str(&rest[..open]);
        encode_segment(value, &mut out);
        rest = &rest[close + 1..];
    }
    if params.next().is_some() {
        return Err(Error::invalid(format!(
            "route `{route}` got too many values"
        )));
    }
    out.push_str(rest);
    Ok(out)
}

fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_stay_one_segment() {
        let path = |id| expand_route("/people/{identifier}", &[id]).unwrap();
        assert_eq!(path("ada+x@example.com"), "/people/ada%2Bx%40example.com");
        assert_eq!(path("../bulk"), "/people/..%2Fbulk");
        assert_eq!(path("a?b#c d"), "/people/a%3Fb%23c%20d");
        assert_eq!(path("%2e%2e"), "/people/%252e%252e");
        assert_eq!(path("Zoë"), "/people/Zo%C3%AB");
        for bad in ["", " ", ".", ".."] {
            let err = expand_route("/people/{identifier}", &[bad]).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest { .. }), "{bad:?}");
        }
    }

    #[test]
    fn routes_need_exactly_their_params() {
        assert!(expand_route("/people/{id}/work", &[]).is_err());
        assert!(expand_route("/people/search", &["x"]).is_err());
        assert_eq!(
            expand_route("/people/{id}/work", &["42"]).unwrap(),
            "/people/42/work"
        );
    }
}
