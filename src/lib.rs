//! A typed async client for the [HiBob (Bob)](https://www.hibob.com) HR
//! platform's public API.
//!
//! ```
//! use futures::TryStreamExt;
//! use hibob::{Client, Error, field};
//!
//! # #[cfg(feature = "test-util")] // the fake; a plain `cargo test` of the package has it off
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(30).start().await;
//! # let (service_user_id, token) = (fake.service_user_id().to_owned(), fake.token().to_owned());
//! let client = Client::builder()
//!     .service_user(service_user_id, token) // the token is kept in a SecretString
//! #   .base_url(fake.uri())
//!     .build()?;
//!
//! // The whole roster, former employees included: one request, decoded one
//! // employee at a time.
//! let mut roster = client
//!     .people()
//!     .search()
//!     .fields([field::ID, field::EMAIL, field::DEPARTMENT, field::LIFECYCLE_STATUS])
//!     .show_inactive(true)
//!     .stream();
//! let mut count = 0;
//! while let Some(employee) = roster.try_next().await? {
//!     assert!(employee.id().is_some());
//!     count += 1;
//! }
//! # assert_eq!(count, 30);
//!
//! // Every employee's lifecycle history, in a few cursor-paginated requests.
//! let mut histories = client.tables().bulk_lifecycle().stream();
//! while let Some(item) = histories.try_next().await? {
//!     if let hibob::tables::BulkItem::Employee(history) = item {
//!         assert!(!history.rows.is_empty());
//!     }
//! }
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "test-util"))]
//! # fn main() {}
//! ```
//!
//! Start with [`Client::builder`], then the per-resource handles. Each
//! public module is one of HiBob's API groups and holds its handle, builders
//! and models:
//!
//! - [`people`]: [`Client::people`] searches (awaited, or streamed from one
//!   request with ID batches as the fallback) and reads one employee;
//!   `Employee`, typed statuses; creates, updates, e-mail, start date,
//!   terminations, invitations and avatars.
//! - [`tables`]: [`Client::tables`] reads HiBob's employee tables (lifecycle,
//!   employment, work, salaries) per employee and in bulk, and writes entries
//!   to every table HiBob documents writes for.
//! - [`onboarding`]: [`Client::onboarding`] lists the welcome wizards an
//!   invitation names.
//! - [`verify`]: what `.verify()` on a write reports: every field HiBob did
//!   not store as sent, read back through its lag window.
//! - [`metadata`]: [`Client::metadata`] reads fields metadata and named lists;
//!   `Labels` turns list item IDs into labels in one call.
//! - [`time_off`]: [`Client::time_off`] reads, submits and cancels
//!   requests, reads the changes feed over any range, who's out, balances,
//!   policies and the company calendars, and adjusts balances.
//! - [`access`]: [`Client::check_access`] names the Bob permission to grant.
//! - [`Client::request`]: any endpoint this crate does not type yet, with the
//!   same auth, retries and limits, as JSON or as a raw answer.
//!
//! Every call returns [`Error`], whose variants say what to do next; the
//! [`prelude`] imports the usual names at once. With the `test-util`
//! feature, [`testing::FakeHibob`] serves a generated company on loopback so
//! you can test your integration without HiBob. With the `webhooks` feature,
//! [`webhooks`] verifies Bob's webhook signatures, types the events and
//! turns each into the read that fetches what changed.
//!
//! # What is logged
//!
//! One `hibob.request` span per attempt at INFO with the method, the route
//! template (`/people/{identifier}`, never a concrete URL), the attempt, the
//! status and the elapsed time; an INFO event for each retry and each
//! client-side rate-limit wait; a DEBUG event per response with its size.
//! Never the token, a body, an employee ID in a URL or an e-mail address.
//!
//! # TLS
//!
//! By default (feature `rustls`) the client speaks TLS through rustls with the
//! *ring* provider and the platform's certificate verifier, and offers HTTP/2
//! and HTTP/1.1 by ALPN: no OpenSSL, no aws-lc, no cmake. `rustls-aws-lc`
//! (rustls on aws-lc-rs) and `native-tls` (OpenSSL on Linux) are opt-in; with
//! several on, the client uses the first of `native-tls`, `rustls-aws-lc`,
//! `rustls`. With none, only plain `http://` to loopback works. The crate never
//! installs a process-wide rustls provider.
//!
//! A `reqwest::Client` passed to [`ClientBuilder::http_client`] brings its own
//! TLS setup. With the default features reqwest has rustls but no crypto
//! provider, so `reqwest::Client::new()` panics unless your tree turns on a
//! reqwest TLS feature (`rustls`, which brings aws-lc, or `native-tls`) or your
//! application installs one first, e.g.
//! `rustls::crypto::ring::default_provider().install_default()`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod access;
mod auth;
mod client;
mod credentials;
pub mod custom_tables;
#[cfg(feature = "directory")]
#[cfg_attr(docsrs, doc(cfg(feature = "directory")))]
pub mod directory;
mod endpoint;
mod error;
pub mod metadata;
mod models;
pub mod onboarding;
mod pager;
pub mod people;
pub mod prelude;
mod ratelimit;
mod raw;
mod retry;
mod route;
pub mod tables;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod testing;
pub mod time_off;
mod tls;
mod transport;
pub mod verify;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

pub use auth::{ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN, ServiceUser};
pub use client::{Client, ClientBuilder, ClientStats, ENV_BASE_URL, Environment};
pub use error::{ApiErrorBody, DecodeError, Error, ErrorKind, Operation, TimeoutKind};
pub use error::{FieldProblem, ListHint};
pub use models::{CursorPage, EmployeeId, FieldId, field};
pub use ratelimit::{Limit, RateLimits};
pub use raw::RawRequest;
/// HTTP methods for [`Client::request`].
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use transport::{RawResponse, WriteOutcome};

/// The `chrono` this crate's public types use (`NaiveDate` in table rows,
/// `NaiveDateTime` in webhooks), so callers need no version of their own.
pub use chrono;

/// Entry points for the fuzz targets in `fuzz/` and the TLS tests in
/// `tests/tls.rs`; not part of the public API and exempt from semver.
#[doc(hidden)]
pub mod __private {
    use crate::error::Operation;

    pub use crate::tls::Backend as TlsBackend;

    /// A `reqwest::ClientBuilder` with the TLS setup the client uses, for the
    /// tests' own reqwest clients: reqwest's `Client::builder()` panics in the
    /// default ring-only build, which leaves reqwest without a provider.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder, crate::Error> {
        crate::tls::http_client_builder()
    }

    /// A `reqwest::ClientBuilder` with `backend`'s TLS setup exactly as
    /// [`ClientBuilder::build`](crate::ClientBuilder::build) makes it, also
    /// trusting `root_der` (a DER certificate: the tests' self-signed server).
    pub fn tls_http_client_builder(
        backend: TlsBackend,
        root_der: &[u8],
    ) -> Result<reqwest::ClientBuilder, crate::Error> {
        backend.http_client_builder(&[root_der.to_vec()])
    }

    const FUZZ: Operation = Operation {
        method: "GET",
        route: "/fuzz",
    };

    /// Decodes a response body exactly as the transport does.
    pub fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, crate::Error> {
        crate::transport::decode(FUZZ, body)
    }

    /// Decodes a people-search body the way [`crate::people::SearchRequest::stream`]
    /// does: validated once, then one employee at a time, each handed to
    /// `each` and dropped. Returns how many elements the body had.
    pub fn stream_search_body(
        body: Vec<u8>,
        mut each: impl FnMut(crate::people::Employee),
    ) -> Result<usize, crate::Error> {
        let lazy = crate::people::lazy::LazyEmployees::parse(FUZZ, body)?;
        for index in 0..lazy.len() {
            each(lazy.decode(index)?);
        }
        Ok(lazy.len())
    }

    /// Maps an error response exactly as the transport does.
    pub fn error_from_response(
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> crate::Error {
        crate::Error::from_response(FUZZ, status, content_type, None, None, body)
    }

    /// Maps an error response with these headers exactly as the transport
    /// does (`Retry-After`, `X-RateLimit-*`, `Content-Type`), after a rate
    /// limiter has learned from them as it does from every response.
    /// Headers that are not valid HTTP are skipped, as reqwest would refuse them.
    pub fn error_with_headers(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> crate::Error {
        use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes());
            if let (Ok(name), Ok(value)) = (name, HeaderValue::from_bytes(value)) {
                map.append(name, value);
            }
        }
        if let Ok(limiter) = crate::ratelimit::RateLimiter::new(crate::RateLimits::default()) {
            limiter.observe(
                &crate::ratelimit::Target::new(FUZZ.method, FUZZ.route),
                &map,
            );
        }
        crate::transport::error_response(FUZZ, status, &map, body)
    }
}
