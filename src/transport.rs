//! The one private path every request takes: route expansion, headers,
//! rate limiting, retries, status and content-type checks, decoding with the
//! JSON path of a failure, and one tracing span per attempt.
//!
//! This is the only file that touches `reqwest::Response`; the request and
//! answer values it works with are in `transport/request.rs`.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::error::{Operation, TimeoutKind};
use crate::{Client, Error};

mod answer;
mod created;
mod request;

pub use answer::WriteOutcome;
pub(crate) use answer::{Answer, Json, NoContent, OrUnchanged, Raw};
pub(crate) use created::id_of;
pub use request::RawResponse;
pub(crate) use request::{
    ApiRequest, Received, RequestFuture, RequestStream, Retry, request_future, request_stream,
};

impl Client {
    /// Sends `request`, retrying per its class, and decodes the JSON answer.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        request: &ApiRequest,
    ) -> Result<Received<T>, Error> {
        self.fetch::<Json<T>>(request).await
    }

    /// Sends `request`, retrying per its class, and reads the answer as the
    /// kind `A` says (JSON, no content, 304 as unchanged, raw bytes).
    pub(crate) async fn fetch<A: Answer>(
        &self,
        request: &ApiRequest,
    ) -> Result<Received<A::Output>, Error> {
        self.send_inner(request, A::interpret).await
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
            answer::check_json(operation, status, headers, &body)?;
            decode(operation, body)
        })
        .await
    }

    /// Sends `request` and hands back any answer below 400 as it came
    /// (status, headers, bytes: a 204, a 304, a PDF); 4xx and 5xx are the
    /// usual typed errors, retried as usual.
    pub(crate) async fn send_raw(&self, request: &ApiRequest) -> Result<RawResponse, Error> {
        Ok(self.fetch::<Raw>(request).await?.value)
    }

    /// The retry loop around [`attempt`](Self::attempt); `interpret` turns
    /// an answer into a value or an error. What may be resent is the write
    /// policy of [`Retry`]: see [`resend_decision`].
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
        let operation = request.operation;
        let mut attempt = 1;
        loop {
            let failed = match self.attempt(request, attempt, deadline, &interpret).await {
                Ok(received) => return Ok(received),
                Err(failed) => failed,
            };
            let error = with_permission(failed.error, request.permission);
            let delay = match resend_decision(request, &error, attempt, failed.sent) {
                Resend::No => return Err(with_attempts(error, attempt)),
                Resend::AlreadyDone => {
                    let value = interpret(
                        operation,
                        StatusCode::NO_CONTENT,
                        &HeaderMap::new(),
                        Vec::new(),
                    )?;
                    return Ok(Received {
                        value,
                        headers: HeaderMap::new(),
                    });
                }
                Resend::Unknown => {
                    return Err(Error::OutcomeUnknown {
                        operation,
                        source: Box::new(with_attempts(error, attempt)),
                    });
                }
                Resend::IfPolicyAllows => inner.retry.next_delay(&error, attempt),
            };
            let Some(delay) = delay else {
                return Err(with_attempts(error, attempt));
            };
            if deadline.is_some_and(|d| Instant::now() + delay >= d) {
                return Err(with_attempts(error, attempt));
            }
            if error.retry_after().is_some() {
                inner.limiter.block(&request.target(), delay);
            }
            tracing::info!(
                route = operation.route,
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
    ) -> Result<Received<V>, Failed> {
        let inner = &self.inner;
        let operation = request.operation;
        if inner.credentials.is_rejected() {
            return Err(Failed::unsent(Error::InvalidCredentials {
                operation,
                remembered: true,
                body: None,
            }));
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
                .acquire(&request.target(), deadline)
                .await
                .map_err(|refusal| Failed::unsent(refusal.into_error(operation, attempt)))?;
            if !waited.is_zero() {
                inner
                    .counters
                    .rate_limit_waits
                    .fetch_add(1, Ordering::Relaxed);
            }
            let now = Instant::now();
            let (limit, kind) = attempt_limit(inner.attempt_timeout, deadline, now);
            if limit.is_some_and(|l| l.is_zero()) {
                return Err(Failed::unsent(Error::Timeout {
                    operation,
                    kind,
                    attempts: attempt,
                }));
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
            let (status, headers, body) = outcome.map_err(Failed::exchange)?;
            span.record("status", status.as_u16());
            tracing::debug!(
                status = status.as_u16(),
                bytes = body.len(),
                "hibob response"
            );
            inner.limiter.observe(&request.target(), &headers);
            let value = interpret(operation, status, &headers, body.into()).map_err(|e| {
                if matches!(e, Error::InvalidCredentials { .. }) && inner.fail_fast_after_401 {
                    inner.credentials.reject(credentials.generation);
                }
                Failed::sent(e)
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

/// A failed attempt, and whether any of the request may have reached HiBob.
struct Failed {
    error: Error,
    sent: bool,
}

impl Failed {
    /// Refused before anything was sent (remembered 401, limiter, deadline).
    fn unsent(error: Error) -> Self {
        Self { error, sent: false }
    }

    /// Failed after HiBob answered.
    fn sent(error: Error) -> Self {
        Self { error, sent: true }
    }

    /// Failed while sending or reading: sent unless the connection itself
    /// could not be made. A timeout of our own may strike mid-connect too,
    /// but then nobody can tell, so it counts as sent.
    fn exchange(error: Error) -> Self {
        let unsent = match &error {
            Error::Transport { source, .. } => source.is_connect(),
            Error::Timeout { kind, .. } => *kind == TimeoutKind::Connect,
            _ => false,
        };
        Self {
            error,
            sent: !unsent,
        }
    }
}

/// What to do after a failed attempt.
enum Resend {
    /// Fail with the error.
    No,
    /// Ask the retry policy (attempts, backoff, server hints, deadline).
    IfPolicyAllows,
    /// A resent DELETE found nothing: the first attempt did it.
    AlreadyDone,
    /// A create may have been applied; fail with [`Error::OutcomeUnknown`].
    Unknown,
}

/// The write policy, one rule per [`Retry`] class:
/// - reads and idempotent writes go to the retry policy (which retries only
///   429, 5xx, timeouts, connection failures and truncated bodies);
/// - a DELETE that was resent and then got 404 counts as done;
/// - a create is resent only when HiBob surely did not apply it: nothing was
///   sent (a connection refused), or HiBob answered 4xx (a 429 is retried,
///   400, 403, 404 are not). Any other failure after sending (a 5xx, a
///   timeout, a dropped connection, a cut or undecodable 2xx body) may have
///   been applied, and is never resent.
fn resend_decision(request: &ApiRequest, error: &Error, attempt: u32, sent: bool) -> Resend {
    match request.retry {
        Retry::Read => Resend::IfPolicyAllows,
        Retry::Idempotent
            if attempt > 1
                && request.method == reqwest::Method::DELETE
                && matches!(error, Error::NotFound { .. }) =>
        {
            Resend::AlreadyDone
        }
        Retry::Idempotent => Resend::IfPolicyAllows,
        Retry::Create if !sent => Resend::IfPolicyAllows,
        Retry::Create => match error.status() {
            Some(400..=499) => Resend::IfPolicyAllows,
            _ if matches!(error, Error::InvalidCredentials { .. }) => Resend::No,
            _ => Resend::Unknown,
        },
    }
}

/// Fills in the Bob permission the endpoint's declaration names on a 403.
fn with_permission(error: Error, permission: Option<&'static str>) -> Error {
    match error {
        Error::PermissionDenied {
            operation,
            status,
            hint: None,
            body,
        } => Error::PermissionDenied {
            operation,
            status,
            hint: permission,
            body,
        },
        other => other,
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

/// Decodes JSON, reporting the path of the first mismatch.
pub(crate) fn decode<'de, T: Deserialize<'de>>(
    operation: Operation,
    body: &'de [u8],
) -> Result<T, Error> {
    decode_from(operation, serde_json::Deserializer::from_slice(body))
}

/// [`decode`] for a body already known to be UTF-8, which serde_json then
/// need not check string by string.
pub(crate) fn decode_str<'de, T: Deserialize<'de>>(
    operation: Operation,
    body: &'de str,
) -> Result<T, Error> {
    decode_from(operation, serde_json::Deserializer::from_str(body))
}

fn decode_from<'de, R, T>(
    operation: Operation,
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<T, Error>
where
    R: serde_json::de::Read<'de>,
    T: Deserialize<'de>,
{
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
}
