//! The one private path every request takes: route expansion, headers,
//! rate limiting, retries, status and content-type checks, decoding with the
//! JSON path of a failure, and one tracing span per attempt.
//!
//! This is the only file that touches `reqwest::Response`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sync_wrapper::SyncFuture;
use tokio::time::Instant;
use tracing::Instrument;

use crate::error::{Operation, TimeoutKind};
use crate::{Client, Error};

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

/// A request ready to send (and to resend on retry).
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub(crate) operation: Operation,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    retry_safe: bool,
    /// An outer deadline (a stream's whole run) that this request's own
    /// operation deadline may not outlast.
    deadline: Option<Instant>,
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
    operation: Operation,
}

impl RawResponse {
    /// The `Content-Type` header, when there is one and it is text.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// Decodes the body as JSON, with the path of any mismatch.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        decode(self.operation, &self.body)
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
    pub(crate) fn get(route: &'static str, params: &[&str]) -> Result<Self, Error> {
        Self::new(Method::GET, route, params, None, true)
    }

    /// A POST with a JSON body. `retry_safe` marks HiBob's read-only POSTs
    /// (people search and read), which are retried like GETs.
    pub(crate) fn post<B: Serialize + ?Sized>(
        route: &'static str,
        params: &[&str],
        body: &B,
        retry_safe: bool,
    ) -> Result<Self, Error> {
        let body = serde_json::to_vec(body)
            .map_err(|e| Error::invalid(format!("the request body cannot be encoded: {e}")))?;
        Self::new(Method::POST, route, params, Some(body), retry_safe)
    }

    pub(crate) fn new(
        method: Method,
        route: &'static str,
        params: &[&str],
        body: Option<Vec<u8>>,
        retry_safe: bool,
    ) -> Result<Self, Error> {
        Ok(Self {
            operation: Operation {
                method: method_name(&method),
                route,
            },
            path: expand_route(route, params)?,
            method,
            query: Vec::new(),
            body,
            retry_safe,
            deadline: None,
        })
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

impl Client {
    /// Sends `request`, retrying per the policy, and decodes the JSON answer.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        request: &ApiRequest,
    ) -> Result<Received<T>, Error> {
        self.send_with(request, |operation, body| decode(operation, &body))
            .await
    }

    /// Sends `request` like [`send`](Self::send), but turns the checked JSON
    /// body into a value with `decode`, which owns the body (to keep it and
    /// decode parts later). A retryable error from `decode` (a truncated
    /// body) is retried like any other.
    pub(crate) async fn send_with<V>(
        &self,
        request: &ApiRequest,
        decode: impl Fn(Operation, Vec<u8>) -> Result<V, Error>,
    ) -> Result<Received<V>, Error> {
        self.send_inner(request, |operation, status, headers, body| {
            check_response(operation, status, headers, &body)?;
            decode(operation, body)
        })
        .await
    }

    /// Sends `request` and hands back any answer below 400 as it came
    /// (status, headers, bytes: a 204, a 304, a PDF); 4xx and 5xx are the
    /// usual typed errors, retried as usual.
    pub(crate) async fn send_raw(&self, request: &ApiRequest) -> Result<RawResponse, Error> {
        let received = self
            .send_inner(request, |operation, status, headers, body| {
                if status.as_u16() >= 400 {
                    return Err(error_response(operation, status.as_u16(), headers, &body));
                }
                Ok((status.as_u16(), body))
            })
            .await?;
        let (status, body) = received.value;
        Ok(RawResponse {
            status,
            headers: received.headers,
            body,
            operation: request.operation,
        })
    }

    /// The retry loop around [`attempt`](Self::attempt); `interpret` turns
    /// an answer into a value or an error.
    async fn send_inner<V>(
        &self,
        request: &ApiRequest,
        interpret: impl Fn(Operation, StatusCode, &HeaderMap, Vec<u8>) -> Result<V, Error>,
    ) -> Result<Received<V>, Error> {
        let inner = &self.inner;
        let started = Instant::now();
        let own_deadline = inner.operation_timeout.map(|t| started + t);
        let deadline = match (own_deadline, request.deadline) {
            (Some(own), Some(outer)) => Some(own.min(outer)),
            (own, outer) => own.or(outer),
        };
        let mut attempt = 1;
        loop {
            let result = self.attempt(request, attempt, deadline, &interpret).await;
            let error = match result {
                Ok(received) => return Ok(received),
                Err(error) => error,
            };
            let delay = request
                .retry_safe
                .then(|| inner.retry.next_delay(&error, attempt))
                .flatten();
            let Some(delay) = delay else {
                return Err(with_attempts(error, attempt));
            };
            if deadline.is_some_and(|d| Instant::now() + delay >= d) {
                return Err(with_attempts(error, attempt));
            }
            if error.retry_after().is_some() {
                let Operation { method, route } = request.operation;
                inner.limiter.block(method, route, delay);
            }
            tracing::info!(
                route = request.operation.route,
                attempt,
                status = error.status(),
                wait_ms = delay.as_millis() as u64,
                "hibob request failed, retrying"
            );
            inner.counters.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt<V>(
        &self,
        request: &ApiRequest,
        attempt: u32,
        deadline: Option<Instant>,
        interpret: &impl Fn(Operation, StatusCode, &HeaderMap, Vec<u8>) -> Result<V, Error>,
    ) -> Result<Received<V>, Error> {
        let inner = &self.inner;
        let operation = request.operation;
        if inner.credentials.is_rejected() {
            return Err(Error::InvalidCredentials {
                operation,
                remembered: true,
                body: None,
            });
        }
        let span = tracing::info_span!(
            "hibob.request",
            method = operation.method,
            route = operation.route,
            attempt,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        async move {
            let (slot, waited) = inner
                .limiter
                .acquire(operation.method, operation.route, deadline)
                .await
                .map_err(|refusal| refusal.into_error(operation, attempt))?;
            if !waited.is_zero() {
                inner
                    .counters
                    .rate_limit_waits
                    .fetch_add(1, Ordering::Relaxed);
            }
            let now = Instant::now();
            let (limit, kind) = attempt_limit(inner.attempt_timeout, deadline, now);
            if limit.is_some_and(|l| l.is_zero()) {
                return Err(Error::Timeout {
                    operation,
                    kind,
                    attempts: attempt,
                });
            }
            inner.counters.requests.fetch_add(1, Ordering::Relaxed);
            let credentials = inner.credentials.current();
            let exchange = async {
                let response = self.dispatch(request, &credentials.header).await?;
                let status = response.status();
                let headers = response.headers().clone();
                let body = response
                    .bytes()
                    .await
                    .map_err(|e| transport_error(operation, e))?;
                Ok::<_, Error>((status, headers, body))
            };
            let outcome = match limit {
                Some(limit) => {
                    tokio::time::timeout(limit, exchange)
                        .await
                        .unwrap_or(Err(Error::Timeout {
                            operation,
                            kind,
                            attempts: attempt,
                        }))
                }
                None => exchange.await,
            };
            inner.limiter.complete(slot);
            let span = tracing::Span::current();
            span.record("elapsed_ms", now.elapsed().as_millis() as u64);
            let (status, headers, body) = outcome?;
            span.record("status", status.as_u16());
            tracing::debug!(
                status = status.as_u16(),
                bytes = body.len(),
                "hibob response"
            );
            inner
                .limiter
                .observe(operation.method, operation.route, &headers);
            let value = interpret(operation, status, &headers, body.into()).inspect_err(|e| {
                if matches!(e, Error::InvalidCredentials { .. }) && inner.fail_fast_after_401 {
                    inner.credentials.reject(credentials.generation);
                }
            })?;
            Ok(Received { value, headers })
        }
        .instrument(span)
        .await
    }

    /// Sends the request; the caller reads the body.
    async fn dispatch(
        &self,
        request: &ApiRequest,
        auth: &HeaderValue,
    ) -> Result<reqwest::Response, Error> {
        let inner = &self.inner;
        let mut url = reqwest::Url::parse(&format!("{}{}", inner.base_url, request.path))
            .map_err(|_| Error::invalid("the request URL cannot be built"))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let mut builder = inner
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, auth.clone())
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        builder
            .send()
            .await
            .map_err(|e| transport_error(request.operation, e))
    }
}

/// The tighter of the per-attempt timeout and the time left in the operation.
fn attempt_limit(
    attempt_timeout: Option<Duration>,
    deadline: Option<Instant>,
    now: Instant,
) -> (Option<Duration>, TimeoutKind) {
    let left = deadline.map(|d| d.saturating_duration_since(now));
    match (attempt_timeout, left) {
        (Some(a), Some(l)) if l < a => (Some(l), TimeoutKind::Operation),
        (Some(a), _) => (Some(a), TimeoutKind::Attempt),
        (None, Some(l)) => (Some(l), TimeoutKind::Operation),
        (None, None) => (None, TimeoutKind::Attempt),
    }
}

fn transport_error(operation: Operation, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        let kind = if error.is_connect() {
            TimeoutKind::Connect
        } else {
            TimeoutKind::Attempt
        };
        return Error::Timeout {
            operation,
            kind,
            attempts: 1,
        };
    }
    Error::Transport {
        operation,
        source: error.without_url(),
    }
}

/// Status and content type: an error for anything but a 2xx JSON answer.
fn check_response(
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

/// The typed error for a non-2xx answer, with the server's wait hint and limit.
pub(crate) fn error_response(
    operation: Operation,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Error {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let hint = crate::retry::server_hint(status, headers, SystemTime::now());
    let limit = headers
        .get("x-ratelimit-limit")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    Error::from_response(operation, status, content_type, hint, limit, body)
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}

/// Decodes JSON, reporting the path of the first mismatch.
pub(crate) fn decode<'de, T: Deserialize<'de>>(
    operation: Operation,
    body: &'de [u8],
) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let decode_error =
        |path: String, source: serde_json::Error| Error::decoding(operation, path, &source);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| decode_error(e.path().to_string(), e.into_inner()))?;
    deserializer
        .end()
        .map_err(|e| decode_error(".".to_owned(), e))?;
    Ok(value)
}

/// Stamps the number of attempts on errors that report it.
fn with_attempts(error: Error, attempts: u32) -> Error {
    match error {
        Error::Server {
            operation,
            status,
            retry_after,
            body,
            ..
        } => Error::Server {
            operation,
            status,
            attempts,
            retry_after,
            body,
        },
        Error::Timeout {
            operation, kind, ..
        } => Error::Timeout {
            operation,
            kind,
            attempts,
        },
        other => other,
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

    #[test]
    fn decode_reports_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        struct Page {
            #[allow(dead_code)]
            employees: Vec<Row>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Row {
            #[allow(dead_code)]
            n: u32,
        }
        let op = Operation {
            method: "POST",
            route: "/people/search",
        };
        let err = decode::<Page>(op, br#"{"employees":[{"n":1},{"n":"x"}]}"#).unwrap_err();
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "employees[1].n"),
            other => panic!("{other:?}"),
        }
        let truncated = decode::<Page>(op, br#"{"employees":[{"n":1"#).unwrap_err();
        assert!(truncated.is_retryable());
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/html"));
    }
}
