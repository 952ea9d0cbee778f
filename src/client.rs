//! `Client` and `ClientBuilder`: configuration, credentials and the handles
//! to each resource.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::{Host, Url};

use crate::Error;
use crate::auth::ServiceUser;
use crate::credentials::Credentials;
use crate::ratelimit::{RateLimiter, RateLimits};
use crate::retry::RetryPolicy;

mod cache;

use cache::{DEFAULT_FIELDS_TTL, Expiring};

/// Environment variable that overrides the base URL in [`ClientBuilder::from_env`].
pub const ENV_BASE_URL: &str = "HIBOB_BASE_URL";

/// Which HiBob account family to talk to. Sandbox is a separate Bob account
/// with its own service users; production credentials do not work there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.hibob.com/v1`.
    #[default]
    Production,
    /// `https://api.sandbox.hibob.com/v1`.
    Sandbox,
}

impl Environment {
    /// The environment's base URL, `/v1` included.
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Production => "https://api.hibob.com/v1",
            Self::Sandbox => "https://api.sandbox.hibob.com/v1",
        }
    }
}

/// A HiBob API client for one service user.
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`; clones share the
/// connection pool, rate limiter, counters and the memory of a rejected
/// credential. There is no global state: clients for several HiBob accounts
/// live side by side.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) user_agent: HeaderValue,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: RateLimiter,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) fail_fast_after_401: bool,
    pub(crate) counters: Counters,
    /// Fields metadata for the checks writes make before sending.
    pub(crate) fields_cache: Expiring,
    /// Named lists (archived items included) for the same checks.
    pub(crate) lists_cache: Expiring,
    /// Custom-table metadata, for their writes' checks and 403 hints.
    pub(crate) custom_tables_cache: Expiring,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) requests: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) rate_limit_waits: AtomicU64,
    pub(crate) single_searches: AtomicU64,
    pub(crate) search_fallbacks: AtomicU64,
}

/// What a client (and its clones) did so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ClientStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Times a request waited for the client-side rate limiter.
    pub rate_limit_waits: u64,
    /// People-search streams that read everyone with one search.
    pub single_searches: u64,
    /// People-search streams whose single search failed and that fell back
    /// to ID batches.
    pub search_fallbacks: u64,
    /// Whether HiBob rejected the credentials (the client now sends nothing).
    pub credentials_rejected: bool,
}

impl Client {
    /// A builder; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A production client from `HIBOB_SERVICE_USER_ID`,
    /// `HIBOB_SERVICE_USER_TOKEN` and, when set, `HIBOB_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL requests go to, `/v1` included.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The service user this client authenticates as (the latest one given
    /// to [`set_service_user`](Self::set_service_user), if any).
    pub fn service_user_id(&self) -> String {
        self.inner.credentials.id()
    }

    /// Gives this client, and every clone of it, new credentials: for a
    /// long-running service whose token was regenerated or whose service
    /// user changed. It also forgets an earlier 401, so a client that had
    /// stopped sending ([`Error::InvalidCredentials`] with `remembered`)
    /// sends again. Requests already in flight finish with the old
    /// credentials; a 401 they get does not reject the new ones.
    ///
    /// The ID and token are checked like [`ClientBuilder::service_user`]
    /// checks them; on [`Error::Config`] nothing changes.
    ///
    /// ```
    /// use hibob::{Client, ErrorKind};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
    /// # let (id, new_token) = (fake.service_user_id(), fake.token());
    /// let client = Client::builder()
    ///     .service_user(id, "the-token-before-rotation")
    ///     .base_url(fake.uri())
    ///     .build()?;
    /// let error = client.people().search().await.unwrap_err();
    /// assert_eq!(error.kind(), ErrorKind::Credentials);
    ///
    /// // Any clone will do: they all share the credentials.
    /// client.clone().set_service_user(id, new_token)?;
    /// assert_eq!(client.people().search().await?.employees.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_service_user(
        &self,
        id: impl Into<String>,
        token: impl Into<String>,
    ) -> Result<(), Error> {
        self.set_credentials(ServiceUser::new(id, token.into()))
    }

    /// [`set_service_user`](Self::set_service_user) with credentials already
    /// wrapped in a [`ServiceUser`] (e.g. from [`ServiceUser::from_env`]).
    pub fn set_credentials(&self, user: ServiceUser) -> Result<(), Error> {
        self.inner.credentials.replace(&user)
    }

    /// Counters of requests, retries and waits so far.
    pub fn stats(&self) -> ClientStats {
        let c = &self.inner.counters;
        ClientStats {
            requests: c.requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            rate_limit_waits: c.rate_limit_waits.load(Ordering::Relaxed),
            single_searches: c.single_searches.load(Ordering::Relaxed),
            search_fallbacks: c.search_fallbacks.load(Ordering::Relaxed),
            credentials_rejected: self.inner.credentials.is_rejected(),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("service_user_id", &self.inner.credentials.id())
            .field("token", &"[REDACTED]")
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Nothing is validated until [`build`](Self::build),
/// which returns [`Error::Config`] instead of panicking.
///
/// ```
/// use std::time::Duration;
/// use hibob::{Client, Error, RateLimits, RetryPolicy};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let (id, token) = (fake.service_user_id().to_owned(), fake.token().to_owned());
/// let client = Client::builder()
///     .service_user(id, token)
/// #   .base_url(fake.uri())
///     .connect_timeout(Duration::from_secs(5))
///     .operation_timeout(Some(Duration::from_secs(120)))
///     .retry_policy(RetryPolicy::default().max_attempts(3))
///     .rate_limits(RateLimits::default().max_in_flight(4))
///     .user_agent("acme-directory-sync/2.1")
///     .build()?;
/// assert_eq!(client.people().search().await?.employees.len(), 3);
///
/// // Bad configuration is an error, never a panic.
/// let missing = Client::builder().service_user("", "token").build();
/// assert!(matches!(missing, Err(Error::Config { .. })));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    service_user: Option<ServiceUser>,
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    user_agent_prefix: Option<String>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    attempt_timeout: Option<Option<Duration>>,
    operation_timeout: Option<Option<Duration>>,
    retry: Option<RetryPolicy>,
    rate_limits: Option<RateLimits>,
    keep_sending_after_401: bool,
    fields_ttl: Option<Duration>,
}

impl ClientBuilder {
    /// Credentials and, when `HIBOB_BASE_URL` is set, the base URL, from the
    /// environment. The error names the missing variable.
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = Self::default().credentials(ServiceUser::from_env()?);
        if let Ok(url) = std::env::var(ENV_BASE_URL) {
            if !url.trim().is_empty() {
                builder = builder.base_url(url);
            }
        }
        Ok(builder)
    }

    /// The service user's ID and token.
    pub fn service_user(self, id: impl Into<String>, token: impl Into<String>) -> Self {
        self.credentials(ServiceUser::new(id, token.into()))
    }

    /// Credentials already wrapped in a [`ServiceUser`].
    pub fn credentials(mut self, user: ServiceUser) -> Self {
        self.service_user = Some(user);
        self
    }

    /// Production (the default) or Sandbox.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.base_url = Some(environment.base_url().to_owned());
        self
    }

    /// A custom base URL, `/v1` included (e.g. a fake HiBob in tests). Plain
    /// `http://` is accepted only for loopback hosts.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses your own `reqwest::Client` (proxies, custom roots). Connect and
    /// read timeouts are then yours to set on it, and so is its TLS setup: see
    /// [TLS](crate#tls) for what the default ring-only build means for a
    /// client you build yourself.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Prepended to the `hibob/<version>` user agent, e.g. `acme-sync/2.1`.
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent_prefix = Some(product.into());
        self
    }

    /// Deadline for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Longest silence while reading a response (default 30 s). A whole-company
    /// people search is one large body, which this suits better than a short
    /// total timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Deadline for one attempt, from sending to the last body byte (default
    /// 5 minutes; `None` for no deadline).
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Deadline for a whole operation, retries and waits included (default 15
    /// minutes; `None` for no deadline). It covers the client-side rate
    /// limiter too: a wait that would outlast it fails at once with
    /// [`Error::ClientRateLimited`], before anything is sent.
    pub fn operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// How reads are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Client-side rate limits (default [`RateLimits::default`]), checked by
    /// [`build`](Self::build).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = Some(limits);
        self
    }

    /// Keep sending after a 401 instead of failing every later call locally.
    /// Off by default: HiBob's firewall blocks a credential after about 50
    /// failures in 10 s.
    pub fn keep_sending_after_401(mut self, on: bool) -> Self {
        self.keep_sending_after_401 = on;
        self
    }

    /// How long the client keeps fields metadata and named lists for checking
    /// writes before sending them (default 10 minutes): within that time a
    /// field or list item added in Bob may be refused as unknown.
    pub fn fields_metadata_ttl(mut self, ttl: Duration) -> Self {
        self.fields_ttl = Some(ttl);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let user = self.service_user.ok_or_else(|| {
            Error::config("no service user: call service_user(id, token) or from_env()")
        })?;
        let base = self
            .base_url
            .unwrap_or_else(|| Environment::Production.base_url().to_owned());
        let base_url = validate_base_url(&base)?;
        let user_agent = user_agent(self.user_agent_prefix.as_deref())?;
        let http = match self.http {
            Some(http) => http,
            None => crate::tls::http_client_builder_for(&base_url)?
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .read_timeout(self.read_timeout.unwrap_or(Duration::from_secs(30)))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        let inner = Inner {
            http,
            base_url,
            credentials: Credentials::new(&user)?,
            user_agent,
            retry: self.retry.unwrap_or_default(),
            limiter: RateLimiter::new(self.rate_limits.unwrap_or_default())?,
            attempt_timeout: self
                .attempt_timeout
                .unwrap_or(Some(Duration::from_secs(300))),
            operation_timeout: self
                .operation_timeout
                .unwrap_or(Some(Duration::from_secs(900))),
            fail_fast_after_401: !self.keep_sending_after_401,
            counters: Counters::default(),
            fields_cache: Expiring::new(self.fields_ttl.unwrap_or(DEFAULT_FIELDS_TTL)),
            lists_cache: Expiring::new(self.fields_ttl.unwrap_or(DEFAULT_FIELDS_TTL)),
            custom_tables_cache: Expiring::new(self.fields_ttl.unwrap_or(DEFAULT_FIELDS_TTL)),
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

fn user_agent(prefix: Option<&str>) -> Result<HeaderValue, Error> {
    let own = concat!("hibob/", env!("CARGO_PKG_VERSION"));
    let agent = match prefix {
        Some(prefix) => format!("{prefix} {own}"),
        None => own.to_owned(),
    };
    HeaderValue::try_from(agent).map_err(|_| Error::config("the user agent has invalid characters"))
}

/// Checks a base URL and returns it without a trailing slash. Refuses plain
/// http to non-loopback hosts, embedded credentials, queries and fragments.
fn validate_base_url(raw: &str) -> Result<String, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("the base URL is not a valid URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            "the base URL must not contain credentials; use service_user(id, token)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            "the base URL must not have a query or fragment",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(
                "plain http is allowed only for loopback hosts (tests, local fakes); use https",
            ));
        }
        other => return Err(Error::config(format!("unsupported URL scheme `{other}`"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(
            validate_base_url("https://api.hibob.com/v1/").unwrap(),
            "https://api.hibob.com/v1"
        );
        assert!(validate_base_url("http://127.0.0.1:8080/v1").is_ok());
        assert!(validate_base_url("http://[::1]:8080/v1").is_ok());
        assert!(validate_base_url("http://localhost/v1").is_ok());
        for bad in [
            "http://api.hibob.com/v1",
            "http://127.example.com/v1",
            "https://user:pw@api.hibob.com/v1",
            "https://api.hibob.com/v1?x=1",
            "ftp://api.hibob.com",
            "not a url",
        ] {
            let err = validate_base_url(bad).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}");
        }
    }

    #[test]
    fn build_without_credentials_is_a_config_error() {
        let err = Client::builder().build().unwrap_err();
        assert!(err.to_string().contains("service_user"), "{err}");
    }
}
