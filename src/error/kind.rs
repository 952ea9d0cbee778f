//! What a caller should do about an error, without matching its variants.

use std::fmt;

use super::Error;

/// The class of an [`Error`], from [`Error::kind`]: what a service should do
/// next, whatever the variant. New variants of [`Error`] map onto these, so a
/// `match` on the kind keeps working when the crate grows.
///
/// ```
/// use hibob::{Error, ErrorKind};
///
/// /// A nightly job's decision for one failed call.
/// fn next_step(error: &Error) -> &'static str {
///     match error.kind() {
///         ErrorKind::RateLimited | ErrorKind::Unavailable => "retry the job later",
///         ErrorKind::Credentials | ErrorKind::Permission => "page the HiBob admin",
///         ErrorKind::NotFound => "skip this record",
///         ErrorKind::Bug => "keep the last good data and report the error",
///         _ => "fix the configuration or the input",
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
/// # let client = fake.client();
/// let error = client.people().get("nobody@example.com").await.unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::NotFound);
/// assert_eq!(next_step(&error), "skip this record");
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client is misconfigured (empty credentials, a bad base URL, a
    /// missing environment variable). Nothing was sent. **What to do:** fix
    /// the configuration; retrying cannot help.
    Configuration,
    /// HiBob rejected the service user's ID or token (401), or the client
    /// remembers that it did and sent nothing. **What to do:** stop and get
    /// the current credentials from a Bob admin, then hand them to
    /// [`Client::set_service_user`](crate::Client::set_service_user). Do not
    /// retry: HiBob's firewall blocks a credential after about 50 failures in 10 s.
    Credentials,
    /// The service user is authenticated but may not do this (403, or a 401
    /// about permissions). **What to do:** ask a Bob admin to grant the
    /// permission ([`Error::PermissionDenied`] names it where known).
    Permission,
    /// HiBob found nothing (404): an unknown ID, e-mail or list name, an
    /// employee outside the service user's audience, or a module the company
    /// lacks. **What to do:** skip the record or check the identifier.
    NotFound,
    /// The request is invalid: refused before sending, or rejected by HiBob
    /// with 400. **What to do:** fix the input; retrying the same request
    /// cannot help.
    InvalidRequest,
    /// A rate limit was hit: HiBob's (429, retries ran out) or the client's
    /// own limiter, which would have waited past the operation deadline.
    /// **What to do:** try again after [`Error::retry_after`] (or a minute),
    /// or lower the request rate.
    RateLimited,
    /// HiBob or the network is having trouble: a 5xx, a timeout, a connection
    /// that failed or broke, a response cut off before its end. Reads were
    /// already retried per the [`RetryPolicy`](crate::RetryPolicy).
    /// **What to do:** try again later; if it persists, check the network,
    /// proxy and HiBob's status page.
    Unavailable,
    /// HiBob's answer broke the contract this client knows: a complete JSON
    /// body of the wrong shape, HTML or another content type instead of JSON,
    /// a status the client does not expect, a broken pagination cursor. HiBob
    /// changed something, or (for [`Client::request`](crate::Client::request))
    /// the route is wrong. **What to do:** keep the last good data, do not
    /// retry in a loop, and report the error (its path and route are safe to share).
    Bug,
    /// A write that creates something may or may not have been applied
    /// ([`Error::OutcomeUnknown`]): it failed after it was sent, and HiBob has
    /// no idempotency keys, so the client did not resend it. **What to do:**
    /// read the record back (search by e-mail, list the table's entries); send
    /// the write again only if it is not there.
    OutcomeUnknown,
}

impl ErrorKind {
    /// A short lowercase name for logs and metrics, e.g. `"rate_limited"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Configuration => "configuration",
            Self::Credentials => "credentials",
            Self::Permission => "permission",
            Self::NotFound => "not_found",
            Self::InvalidRequest => "invalid_request",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Bug => "bug",
            Self::OutcomeUnknown => "outcome_unknown",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// What to do about this error, without matching its variants; see
    /// [`ErrorKind`] for the advice on each.
    ///
    /// ```
    /// use hibob::{Client, ErrorKind};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
    /// let client = Client::builder()
    ///     .service_user(fake.service_user_id(), "a-regenerated-token")
    ///     .base_url(fake.uri())
    ///     .build()?;
    /// let error = client.people().search().await.unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Credentials);
    /// assert!(!error.is_retryable());
    /// # Ok(())
    /// # }
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Config { .. } => ErrorKind::Configuration,
            Self::InvalidRequest { .. } | Self::InvalidField { .. } | Self::BadRequest { .. } => {
                ErrorKind::InvalidRequest
            }
            Self::InvalidCredentials { .. } => ErrorKind::Credentials,
            Self::PermissionDenied { .. } => ErrorKind::Permission,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::RateLimited { .. } | Self::ClientRateLimited { .. } => ErrorKind::RateLimited,
            Self::Server { .. } | Self::Timeout { .. } | Self::Truncated { .. } => {
                ErrorKind::Unavailable
            }
            // A request reqwest could not even build is this crate's fault.
            Self::Transport { source, .. } if source.is_builder() => ErrorKind::Bug,
            Self::Transport { .. } => ErrorKind::Unavailable,
            Self::UnexpectedStatus { .. }
            | Self::UnexpectedContentType { .. }
            | Self::Decode { .. }
            | Self::Pagination { .. } => ErrorKind::Bug,
            Self::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Operation;

    const OP: Operation = Operation {
        method: "GET",
        route: "/company/people/fields",
    };

    fn decoding(json: &str) -> Error {
        let error = serde_json::from_str::<Vec<u32>>(json).unwrap_err();
        Error::decoding(OP, "[1]".to_owned(), &error)
    }

    #[test]
    fn statuses_map_to_kinds_and_retryable_means_try_later() {
        let cases = [
            (400, ErrorKind::InvalidRequest),
            (401, ErrorKind::Credentials),
            (403, ErrorKind::Permission),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Bug),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Unavailable),
            (502, ErrorKind::Unavailable),
        ];
        for (status, kind) in cases {
            let err = Error::from_response(OP, status, None, None, None, b"");
            assert_eq!(err.kind(), kind, "{status}");
            if err.is_retryable() {
                assert!(matches!(
                    kind,
                    ErrorKind::RateLimited | ErrorKind::Unavailable
                ));
            }
        }
        assert_eq!(Error::config("x").kind(), ErrorKind::Configuration);
        assert_eq!(Error::invalid("x").kind(), ErrorKind::InvalidRequest);
    }

    #[test]
    fn a_cut_body_is_truncated_and_a_wrong_one_is_a_bug() {
        let cut = decoding("[1, 2");
        assert!(matches!(cut, Error::Truncated { .. }), "{cut:?}");
        assert_eq!(cut.kind(), ErrorKind::Unavailable);
        assert!(cut.is_retryable());
        assert!(cut.to_string().contains("cut off"), "{cut}");
        let wrong = decoding(r#"[1, "x"]"#);
        assert!(matches!(wrong, Error::Decode { .. }), "{wrong:?}");
        assert_eq!(wrong.kind(), ErrorKind::Bug);
        assert!(!wrong.is_retryable());
    }

    #[test]
    fn names_are_stable() {
        assert_eq!(ErrorKind::RateLimited.to_string(), "rate_limited");
        assert_eq!(ErrorKind::NotFound.as_str(), "not_found");
    }
}
