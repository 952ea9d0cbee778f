//! The one error type of this crate, classified so callers (and the retry
//! loop) can decide what to do without matching on status codes.

use std::fmt;
use std::time::Duration;

mod body;
mod cause;
mod decode;
mod kind;
mod messages;

pub use body::ApiErrorBody;
pub use decode::DecodeError;
pub use kind::ErrorKind;
use messages::{
    credentials_message, field_message, key_suffix, permission_message, retry_after_advice,
    transport_message,
};

/// What a request was doing when it failed: its method and *route template*
/// (`/people/{id}/lifecycle`), never the concrete URL, so no employee ID or
/// e-mail address ends up in logs or error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// HTTP method, e.g. `POST`.
    pub method: &'static str,
    /// Route template below the base URL, e.g. `/people/search`.
    pub route: &'static str,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.route)
    }
}

/// Which deadline ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting to HiBob.
    Connect,
    /// One attempt (request sent to body fully read), or no data for the read timeout.
    Attempt,
    /// The whole operation, retries and waits included.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Attempt => "per-attempt",
            Self::Operation => "whole-operation",
        })
    }
}

/// Everything that can go wrong, each variant saying what to do next.
///
/// To act on an error without matching variants, use [`Error::kind`].
///
/// No variant's `Display` or `Debug` contains the token, a response body, a
/// concrete URL or an e-mail address: only route templates and HiBob's error keys.
///
/// ```
/// use hibob::Error;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let fake = hibob::testing::FakeHibob::builder().deny_category("payroll").start().await;
/// let id = fake.truth().employees[0].id.clone();
/// match fake.client().tables().salaries(&id).await {
///     Err(Error::PermissionDenied { .. }) => {} // the message names what to grant
///     Err(Error::RateLimited { retry_after, .. }) => drop(retry_after),
///     Err(other) if other.is_retryable() => {} // try again later
///     Err(other) => panic!("{other}"),
///     Ok(_) => panic!("payroll is denied"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built (bad base URL, empty credentials, missing
    /// environment variable). Nothing was sent.
    #[error("invalid hibob client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },

    /// A request was refused before sending (too many fields, bulk `limit` over
    /// 200, an empty filter, an identifier that is empty or a dot segment).
    #[error("request not sent, it is invalid: {message}")]
    InvalidRequest {
        /// Which input and the limit it broke.
        message: String,
    },

    /// A write was refused before sending because of one field: an ID the
    /// company's fields metadata does not know, a historical field (changed
    /// only through a dated table entry), or a value in the wrong format.
    /// [`FieldProblem`] says which, and what to send instead.
    #[error("{}", field_message(.field, .problem))]
    InvalidField {
        /// The field ID (`work.title`, `root.email`, `terminationDate`).
        field: String,
        /// What is wrong with it.
        problem: FieldProblem,
    },

    /// HiBob answered 401: the service user ID or token is wrong, or the token
    /// was regenerated. After one 401 the client sends nothing more (HiBob's
    /// firewall blocks a credential after about 50 failures in 10 s).
    #[error("{}", credentials_message(*.operation, *.remembered))]
    InvalidCredentials {
        /// The request that was refused (or not sent).
        operation: Operation,
        /// `true` when this request was not sent because an earlier one got 401.
        remembered: bool,
        /// HiBob's error body, if any (usually empty).
        body: Option<Box<ApiErrorBody>>,
    },

    /// HiBob answered 403 (or a 401 whose body talks about permissions): the
    /// service user is authenticated but may not do this.
    #[error("{}", permission_message(*.operation, .hint.as_deref()))]
    PermissionDenied {
        /// The request that was refused.
        operation: Operation,
        /// 403, or 401 when HiBob's body talked about permissions.
        status: u16,
        /// The permission to grant, in the words of Bob's UI, where known.
        hint: Option<&'static str>,
        /// HiBob's error body, if any.
        body: Option<Box<ApiErrorBody>>,
    },

    /// HiBob answered 404: unknown employee, an employee outside the service
    /// user's audience, an unknown list name, or a module the company lacks.
    #[error(
        "HiBob found nothing for {operation} (404); check the ID, e-mail or name, that the employee is in the service user's audience, and that the company has this module"
    )]
    NotFound {
        /// The request.
        operation: Operation,
        /// HiBob's error body, if any.
        body: Option<Box<ApiErrorBody>>,
    },

    /// HiBob answered 400: the request is malformed. Retrying will not help.
    #[error("HiBob rejected {operation} as invalid (400){}; fix the request, retrying will not help", key_suffix(.body.key.as_deref()))]
    BadRequest {
        /// The request.
        operation: Operation,
        /// HiBob's key, message and per-field errors.
        body: Box<ApiErrorBody>,
    },

    /// HiBob answered 429 and the retry policy ran out (or the server asked for
    /// a longer wait than the policy allows).
    #[error("HiBob's rate limit for {operation} was hit (429) and retries ran out; {}", retry_after_advice(*.retry_after))]
    RateLimited {
        /// The request.
        operation: Operation,
        /// How long HiBob asked to wait, if it said.
        retry_after: Option<Duration>,
        /// `X-RateLimit-Limit`, if sent.
        limit: Option<u64>,
    },

    /// The client-side rate limiter would have to wait past the whole-operation
    /// deadline ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)),
    /// so it gave up at once. Nothing was sent for this attempt.
    #[error(
        "the client-side rate limit for {operation} would be exceeded: the next request may go in {:.1} s, but the operation timeout leaves {:.1} s; nothing was sent for this attempt, so retry after the wait, lower the request rate or raise the operation timeout",
        .wait.as_secs_f64(),
        .time_left.as_secs_f64()
    )]
    ClientRateLimited {
        /// The request.
        operation: Operation,
        /// How long the limiter would have waited.
        wait: Duration,
        /// What was left of the operation's deadline.
        time_left: Duration,
    },

    /// HiBob answered 5xx on every attempt.
    #[error(
        "HiBob answered {status} (server error) to {operation} after {attempts} attempt(s); HiBob is having trouble, try again later"
    )]
    Server {
        /// The request.
        operation: Operation,
        /// The HTTP status.
        status: u16,
        /// Attempts made.
        attempts: u32,
        /// How long HiBob asked to wait (`Retry-After` on a 503), if it said.
        retry_after: Option<Duration>,
        /// HiBob's error body, if it was JSON.
        body: Option<Box<ApiErrorBody>>,
    },

    /// HiBob answered a status this client does not expect (e.g. 409, 3xx).
    #[error(
        "HiBob answered {status} to {operation}, which this client does not expect; check the route or report it"
    )]
    UnexpectedStatus {
        /// The request.
        operation: Operation,
        /// The HTTP status.
        status: u16,
        /// HiBob's error body, if any.
        body: Option<Box<ApiErrorBody>>,
    },

    /// HiBob answered with something other than JSON (it answers some wrong
    /// paths with `200 text/html`).
    #[error(
        "HiBob answered {operation} with `{content_type}` (status {status}) instead of JSON; the route is probably wrong or not available to this account"
    )]
    UnexpectedContentType {
        /// The request.
        operation: Operation,
        /// The HTTP status.
        status: u16,
        /// The `Content-Type` received (empty if none).
        content_type: String,
    },

    /// A deadline ran out.
    #[error(
        "{kind} timeout on {operation} after {attempts} attempt(s); HiBob is slow or unreachable, raise the timeout or try again later"
    )]
    Timeout {
        /// The request.
        operation: Operation,
        /// Which deadline.
        kind: TimeoutKind,
        /// Attempts made.
        attempts: u32,
    },

    /// The request could not be sent or the response not read (DNS, connect,
    /// TLS, connection reset). The message names the cause when the source
    /// chain reveals it, never the URL.
    #[error("{}", transport_message(*.operation, .source))]
    Transport {
        /// The request.
        operation: Operation,
        /// The cause, with its URL removed.
        #[source]
        source: reqwest::Error,
    },

    /// HiBob's response ended before its JSON did: the connection was cut
    /// (or a proxy truncated the body). Reads are retried per the policy;
    /// this is what remains when every attempt was cut. A read is safe to
    /// retry; a write (never resent by the client) may have been applied.
    #[error(
        "HiBob's response to {operation} was cut off before the end (incomplete JSON near `{path}`): the connection broke; a read is safe to retry (the client already retried it), a write may have been applied, so check before resending"
    )]
    Truncated {
        /// The request.
        operation: Operation,
        /// JSON path where the body ended, e.g. `employees[312].work`.
        path: String,
        /// The cause: serde's end-of-input error, with its line and column.
        #[source]
        source: DecodeError,
    },

    /// HiBob's complete JSON did not fit the expected shape: HiBob changed
    /// the contract. Not retried. (A body cut short is [`Error::Truncated`].)
    #[error(
        "HiBob's response to {operation} did not match the expected shape at `{path}`; please report this with the path"
    )]
    Decode {
        /// The request.
        operation: Operation,
        /// JSON path of the failure, e.g. `employees[312].work.startDate`.
        path: String,
        /// The cause: what was expected there, with HiBob's values redacted.
        #[source]
        source: DecodeError,
    },

    /// A write that creates something (a POST) failed after it may have
    /// reached HiBob: a 5xx, a timeout or a dropped connection after the
    /// request was sent, or a 2xx whose body was cut or malformed. HiBob has
    /// no idempotency keys, so the client did not resend it: it may have been
    /// applied once, or not at all. Read the record back (search by e-mail,
    /// list the table's entries) before sending it again.
    #[error(
        "{operation} may have been applied: {source}. It was not resent, since HiBob has no idempotency keys; read the record back to check before sending it again"
    )]
    OutcomeUnknown {
        /// The write.
        operation: Operation,
        /// What went wrong after sending.
        source: Box<Error>,
    },

    /// A paginated read went wrong: a cursor repeated (an endless loop) or a
    /// page broke the pagination contract.
    #[error("pagination of {operation} stopped: {message}; please report this")]
    Pagination {
        /// The request.
        operation: Operation,
        /// What broke.
        message: String,
    },
}

/// Why [`Error::InvalidField`] refused a field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldProblem {
    /// The company's fields metadata has no field with this ID (HiBob would
    /// refuse it, or drop it silently).
    Unknown,
    /// The field is historical: its value comes from an effective-dated
    /// table, so `PUT /people/{identifier}` cannot change it.
    Historical {
        /// What changes it instead, e.g. "a work entry with an effective date
        /// (`POST /people/{id}/work`)".
        use_instead: String,
    },
    /// The value is not in the format HiBob takes.
    Format {
        /// What was expected, e.g. "an e-mail address".
        expected: String,
    },
    /// The value is not an active item of the named list behind the field
    /// (matched by item ID or label), or the company has no such list.
    NotInList {
        /// The named list's name (`department`, `site`, `title`).
        list: String,
        /// What the list suggests instead.
        hint: ListHint,
    },
    /// A column the table requires was not set.
    Missing,
    /// The employee already has an entry on this effective date in a table
    /// that allows one per date (work, employment, salaries; deductions one
    /// per date and type).
    DuplicateEffectiveDate {
        /// The date sent.
        date: chrono::NaiveDate,
        /// The entry already on that date, when the table was read first
        /// (`check_existing`); `None` when HiBob refused the write.
        existing_entry: Option<i64>,
    },
}

/// What [`FieldProblem::NotInList`] suggests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListHint {
    /// The active label closest to the value sent.
    Closest(String),
    /// The value is an item, but an archived one.
    Archived,
    /// No active label is close.
    NoneClose,
}

impl Error {
    /// Whether retrying the same request may succeed: rate limits, server
    /// errors, timeouts, connection failures and truncated bodies.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout { .. } => true,
            Self::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            Self::Transport { source, .. } => !source.is_builder() && !source.is_redirect(),
            Self::Truncated { .. } => true,
            _ => false,
        }
    }

    /// The HTTP status HiBob answered, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::InvalidCredentials {
                remembered: false, ..
            } => Some(401),
            Self::PermissionDenied { status, .. } => Some(*status),
            Self::NotFound { .. } => Some(404),
            Self::BadRequest { .. } => Some(400),
            Self::RateLimited { .. } => Some(429),
            Self::OutcomeUnknown { source, .. } => source.status(),
            Self::Server { status, .. }
            | Self::UnexpectedStatus { status, .. }
            | Self::UnexpectedContentType { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long HiBob asked to wait before retrying, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } | Self::Server { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// HiBob's parsed error body, when there was one.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Self::InvalidCredentials { body, .. }
            | Self::PermissionDenied { body, .. }
            | Self::NotFound { body, .. }
            | Self::Server { body, .. }
            | Self::UnexpectedStatus { body, .. } => body.as_deref(),
            Self::BadRequest { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The request this error belongs to, if one was built.
    pub fn operation(&self) -> Option<Operation> {
        match self {
            Self::Config { .. } | Self::InvalidRequest { .. } | Self::InvalidField { .. } => None,
            Self::InvalidCredentials { operation, .. }
            | Self::PermissionDenied { operation, .. }
            | Self::NotFound { operation, .. }
            | Self::BadRequest { operation, .. }
            | Self::RateLimited { operation, .. }
            | Self::ClientRateLimited { operation, .. }
            | Self::Server { operation, .. }
            | Self::UnexpectedStatus { operation, .. }
            | Self::UnexpectedContentType { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Truncated { operation, .. }
            | Self::Decode { operation, .. }
            | Self::OutcomeUnknown { operation, .. }
            | Self::Pagination { operation, .. } => Some(*operation),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            message: message.into(),
        }
    }

    /// A JSON decode failure at `path`: [`Error::Truncated`] when the body
    /// ended early (serde's EOF category), else [`Error::Decode`].
    pub(crate) fn decoding(operation: Operation, path: String, error: &serde_json::Error) -> Self {
        let source = DecodeError::redacting(error);
        if source.is_eof() {
            Self::Truncated {
                operation,
                path,
                source,
            }
        } else {
            Self::Decode {
                operation,
                path,
                source,
            }
        }
    }

    /// Maps a non-success HTTP answer to its typed error. The status survives
    /// every body shape: empty, HTML, plain text or JSON.
    pub(crate) fn from_response(
        operation: Operation,
        status: u16,
        content_type: Option<&str>,
        retry_after: Option<Duration>,
        rate_limit: Option<u64>,
        body: &[u8],
    ) -> Self {
        let body = ApiErrorBody::parse(content_type, body);
        match status {
            401 if body.as_ref().is_some_and(|b| b.mentions_permission()) => {
                Self::PermissionDenied {
                    operation,
                    status,
                    hint: None,
                    body,
                }
            }
            401 => Self::InvalidCredentials {
                operation,
                remembered: false,
                body,
            },
            403 => Self::PermissionDenied {
                operation,
                status,
                hint: None,
                body,
            },
            404 => Self::NotFound { operation, body },
            400 => Self::BadRequest {
                operation,
                body: body.unwrap_or_default(),
            },
            429 => Self::RateLimited {
                operation,
                retry_after,
                limit: rate_limit,
            },
            500..=599 => Self::Server {
                operation,
                status,
                attempts: 1,
                retry_after,
                body,
            },
            _ => Self::UnexpectedStatus {
                operation,
                status,
                body,
            },
        }
    }
}

#[cfg(test)]
mod tests;
