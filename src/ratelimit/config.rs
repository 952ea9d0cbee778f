//! What the caller configures: limits, buckets and which routes count in
//! which bucket, checked when the client is built.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use crate::Error;

/// At most `max` requests in any `window`.
///
/// Built with [`Limit::new`] or [`Limit::per_minute`]; a limit of 0 requests
/// or a zero window is refused with [`Error::Config`] when the client is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    max: u32,
    window: Duration,
}

impl Limit {
    /// At most `max` requests in any `window`.
    pub const fn new(max: u32, window: Duration) -> Self {
        Self { max, window }
    }

    /// `max` requests per minute, HiBob's unit.
    pub const fn per_minute(max: u32) -> Self {
        Self::new(max, Duration::from_secs(60))
    }

    /// Requests allowed in one window.
    pub const fn max(&self) -> u32 {
        self.max
    }

    /// The window's length.
    pub const fn window(&self) -> Duration {
        self.window
    }

    fn check(&self, what: &str) -> Result<(), Error> {
        if self.max == 0 {
            return Err(Error::config(format!(
                "the rate limit of {what} allows 0 requests; allow at least 1 per window"
            )));
        }
        if self.window.is_zero() {
            return Err(Error::config(format!(
                "the rate limit of {what} has a zero window; give it a length, e.g. Limit::per_minute({})",
                self.max
            )));
        }
        Ok(())
    }
}

/// What an endpoint's declaration says about its limit: a bucket shared
/// with other routes (else `METHOD /route`) and HiBob's documented limit,
/// applied unless the caller configures that bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Declared {
    pub(crate) bucket: Option<&'static str>,
    pub(crate) limit: Option<Limit>,
}

/// The request a limit applies to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) method: &'a str,
    pub(crate) route: &'a str,
    pub(crate) declared: Declared,
}

impl<'a> Target<'a> {
    /// A request with nothing declared (the escape hatch's).
    pub(crate) fn new(method: &'a str, route: &'a str) -> Self {
        Self {
            method,
            route,
            declared: Declared::default(),
        }
    }
}

/// The methods a bucket name or an assignment may name.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Client-side limits, grouped in named buckets, and the bound on requests
/// in flight.
///
/// A request counts in one **bucket**. By default that is its method and
/// route template, e.g. `POST /people/search`, so a GET and a POST on the same
/// route are counted apart. [`assign`](Self::assign) puts several routes in
/// one shared bucket (HiBob counts some families together). A bucket's limit
/// is, in order: the one set with [`bucket`](Self::bucket), else (for a
/// request in its own method + route bucket) the one set with
/// [`route`](Self::route), else none; HiBob's `X-RateLimit-*` headers may add
/// a learnt limit on top (see [`learn_from_headers`](Self::learn_from_headers)).
///
/// Defaults: the limits HiBob documents (or was seen to send), declared with
/// each typed endpoint, e.g. `POST /people/search` and
/// `GET /company/people/fields` at 50 per minute; other buckets limited only
/// when HiBob's headers say so; at most 8 requests in flight. A request sent
/// through [`Client::request`](crate::Client::request) counts in the same
/// bucket as the typed endpoint on its route, but declares no limit itself.
///
/// Route templates (leading `/`, balanced, non-empty `{…}` placeholders, no
/// spaces), methods and limits are checked by
/// [`ClientBuilder::build`](crate::ClientBuilder::build), which refuses a
/// malformed one with [`Error::Config`]. Well-formed routes this crate does not
/// know are fine: [`Client::get_json`](crate::Client::get_json) needs them.
///
/// ```
/// use std::time::Duration;
/// use hibob::{Limit, RateLimits};
///
/// let limits = RateLimits::default()
///     // Every method on this route, each counted in its own bucket.
///     .route("/people/{id}/training", Limit::per_minute(20))
///     // Writes to two routes share one bucket of 10 per minute.
///     .assign("POST", "/people/custom-tables/{id}/{table}", "custom-table writes")
///     .assign("PUT", "/people/custom-tables/{id}/{table}/{entry}", "custom-table writes")
///     .bucket("custom-table writes", Limit::per_minute(10))
///     // One bucket by its default name.
///     .bucket("GET /profiles", Limit::new(40, Duration::from_secs(60)));
/// let client = hibob::Client::builder()
///     .service_user("SERVICE-USER-ID", "token")
///     .rate_limits(limits)
///     .build()?; // a malformed template or a zero limit would be Error::Config here
/// # let _ = client;
/// # Ok::<(), hibob::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RateLimits {
    /// By bucket name.
    buckets: HashMap<Cow<'static, str>, Limit>,
    /// By route template, for each method's own bucket on it.
    routes: HashMap<Cow<'static, str>, Limit>,
    /// `METHOD /route` → the shared bucket it counts in.
    assigned: HashMap<String, Cow<'static, str>>,
    max_in_flight: usize,
    learn_from_headers: bool,
    /// Whether the limits HiBob documents, declared per endpoint, apply.
    declared_limits: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            max_in_flight: 8,
            learn_from_headers: true,
            declared_limits: true,
            ..Self::unlimited()
        }
    }
}

impl RateLimits {
    /// No client-side limits at all (the server's 429s are still retried).
    pub fn unlimited() -> Self {
        Self {
            buckets: HashMap::new(),
            routes: HashMap::new(),
            assigned: HashMap::new(),
            max_in_flight: usize::MAX >> 4,
            learn_from_headers: false,
            declared_limits: false,
        }
    }

    /// Sets the limit of every method on a route template, e.g.
    /// `/people/search`. Each method still counts in its own bucket
    /// (`GET /x` and `POST /x` each get `limit`); a limit set with
    /// [`bucket`](Self::bucket) for one method, or an
    /// [`assign`](Self::assign)ed shared bucket, takes precedence.
    pub fn route(mut self, route: impl Into<Cow<'static, str>>, limit: Limit) -> Self {
        self.routes.insert(route.into(), limit);
        self
    }

    /// Sets the limit of one bucket: a method and route template
    /// (`"POST /people/search"`, a request's default bucket) or a shared
    /// bucket named in [`assign`](Self::assign).
    pub fn bucket(mut self, name: impl Into<Cow<'static, str>>, limit: Limit) -> Self {
        self.buckets.insert(name.into(), limit);
        self
    }

    /// Counts requests with `method` (`"GET"`, `"POST"`, `"PUT"`, `"PATCH"`
    /// or `"DELETE"`) on `route` in the bucket `bucket`, which several routes
    /// may share. Give the bucket a limit with [`bucket`](Self::bucket); a
    /// bucket without one is limited only by what HiBob's headers teach.
    pub fn assign(
        mut self,
        method: impl Into<Cow<'static, str>>,
        route: impl Into<Cow<'static, str>>,
        bucket: impl Into<Cow<'static, str>>,
    ) -> Self {
        let key = format!("{} {}", method.into(), route.into());
        self.assigned.insert(key, bucket.into());
        self
    }

    /// Bounds the requests in flight across all routes (at least 1).
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.max_in_flight = max.max(1);
        self
    }

    /// Whether `X-RateLimit-*` headers add learnt limits (default on).
    pub fn learn_from_headers(mut self, on: bool) -> Self {
        self.learn_from_headers = on;
        self
    }

    pub(crate) fn max_in_flight_value(&self) -> usize {
        self.max_in_flight
    }

    pub(crate) fn learns_from_headers(&self) -> bool {
        self.learn_from_headers
    }

    /// The bucket a request counts in and that bucket's limit: the
    /// caller's [`assign`](Self::assign)ment, else the declared shared
    /// bucket, else `METHOD /route`; its limit set with
    /// [`bucket`](Self::bucket), else with [`route`](Self::route), else the
    /// declared one.
    pub(crate) fn resolve(&self, target: &Target<'_>) -> (String, Option<Limit>) {
        let own = format!("{} {}", target.method, target.route);
        if let Some(shared) = self.assigned.get(&own) {
            return (shared.to_string(), self.buckets.get(shared).copied());
        }
        let declared = target.declared;
        let name = declared.bucket.map_or(own, str::to_owned);
        let limit = self
            .buckets
            .get(name.as_str())
            .or_else(|| self.routes.get(target.route))
            .copied()
            .or(declared.limit.filter(|_| self.declared_limits));
        (name, limit)
    }

    /// Refuses what cannot be meant: malformed templates, unknown methods,
    /// empty bucket names, zero limits and contradictory buckets.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        for (route, limit) in &self.routes {
            check_route_template(route)?;
            limit.check(&format!("route `{route}`"))?;
        }
        for (name, limit) in &self.buckets {
            check_bucket_name(name)?;
            limit.check(&format!("bucket `{name}`"))?;
            if let Some(shared) = self.assigned.get(name.as_ref()) {
                return Err(Error::config(format!(
                    "bucket `{name}` has a limit, but its requests are assigned to bucket `{shared}`; set the limit on `{shared}` instead"
                )));
            }
        }
        for (key, shared) in &self.assigned {
            let (method, route) = key.split_once(' ').unwrap_or((key, ""));
            check_method(method)?;
            check_route_template(route)?;
            if shared.trim().is_empty() {
                return Err(Error::config(format!(
                    "`{key}` is assigned to a bucket with an empty name; name the bucket"
                )));
            }
        }
        Ok(())
    }
}

/// A bucket named like a request's default (`POST /people/search`) must be a
/// valid method and template, or it would silently never match.
fn check_bucket_name(name: &str) -> Result<(), Error> {
    if name.trim().is_empty() {
        return Err(Error::config("a rate-limit bucket has an empty name"));
    }
    match name.split_once(' ') {
        Some((method, route)) if METHODS.iter().any(|m| m.eq_ignore_ascii_case(method)) => {
            check_method(method)?;
            check_route_template(route)
        }
        _ => Ok(()),
    }
}

fn check_method(method: &str) -> Result<(), Error> {
    if METHODS.contains(&method) {
        return Ok(());
    }
    Err(Error::config(format!(
        "`{method}` is not a method a rate-limit bucket can name; use one of {}",
        METHODS.join(", ")
    )))
}

/// Checks a route template such as `/people/{id}/work`: a leading `/`, no
/// whitespace, query or fragment, and `{…}` placeholders that are balanced,
/// not nested, named, and one path segment each.
pub(crate) fn check_route_template(route: &str) -> Result<(), Error> {
    match crate::route::template_problem(route) {
        None => Ok(()),
        Some(why) => Err(Error::config(format!(
            "route template `{route}` is malformed: {why} (a template looks like `/people/{{id}}/work`)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(method: &'static str, route: &'static str) -> Target<'static> {
        Target::new(method, route)
    }

    #[test]
    fn declared_limits_apply_by_default_and_name_their_bucket() {
        let search = Target {
            declared: Declared {
                bucket: None,
                limit: Some(Limit::per_minute(50)),
            },
            ..target("POST", "/people/search")
        };
        let limits = RateLimits::default();
        limits.validate().unwrap();
        let (bucket, limit) = limits.resolve(&search);
        assert_eq!(bucket, "POST /people/search");
        assert_eq!(limit, Some(Limit::per_minute(50)));
        // Another method on the same route is another bucket, unlimited here.
        assert_eq!(limits.resolve(&target("GET", "/people/search")).1, None);
        // The caller's limit wins; `unlimited()` drops the declared one.
        let own = RateLimits::default().bucket("POST /people/search", Limit::per_minute(5));
        assert_eq!(own.resolve(&search).1, Some(Limit::per_minute(5)));
        assert_eq!(RateLimits::unlimited().resolve(&search).1, None);
        // A declared shared bucket.
        let shared = Target {
            declared: Declared {
                bucket: Some("custom-table writes"),
                limit: Some(Limit::per_minute(10)),
            },
            ..target("PUT", "/people/custom-tables/{id}/{table}/{entry}")
        };
        let (bucket, limit) = RateLimits::default().resolve(&shared);
        assert_eq!(bucket, "custom-table writes");
        assert_eq!(limit, Some(Limit::per_minute(10)));
    }

    #[test]
    fn route_limits_every_method_unless_a_bucket_is_more_specific() {
        let limits = RateLimits::unlimited()
            .route("/x/{id}", Limit::per_minute(5))
            .bucket("POST /x/{id}", Limit::per_minute(2));
        assert_eq!(
            limits.resolve(&target("GET", "/x/{id}")),
            ("GET /x/{id}".to_owned(), Some(Limit::per_minute(5)))
        );
        assert_eq!(
            limits.resolve(&target("POST", "/x/{id}")).1,
            Some(Limit::per_minute(2))
        );
    }

    #[test]
    fn assigned_routes_share_a_bucket() {
        let limits = RateLimits::unlimited()
            .route("/t/{id}", Limit::per_minute(50))
            .assign("POST", "/t/{id}", "writes")
            .assign("DELETE", "/t/{id}/{entry}", "writes")
            .bucket("writes", Limit::per_minute(10));
        limits.validate().unwrap();
        for (method, route) in [("POST", "/t/{id}"), ("DELETE", "/t/{id}/{entry}")] {
            let resolved = limits.resolve(&target(method, route));
            assert_eq!(resolved, ("writes".to_owned(), Some(Limit::per_minute(10))));
        }
        assert_eq!(
            limits.resolve(&target("GET", "/t/{id}")).1,
            Some(Limit::per_minute(50))
        );
    }

    #[test]
    fn malformed_templates_are_refused_with_the_reason() {
        for (bad, why) in [
            ("people/search", "start with `/`"),
            ("/people/ search", "whitespace"),
            ("/people/{id", "never closed"),
            ("/people/id}", "without its `{`"),
            ("/people/{a{b}}", "nests"),
            ("/people/{}", "empty placeholder"),
            ("/people/{a/b}", "spanning"),
            ("/people?x=1", "query"),
        ] {
            let err = check_route_template(bad).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}");
            assert!(err.to_string().contains(why), "{bad}: {err}");
        }
        for good in ["/people/search", "/people/{id}/work", "/x/{a}/{b}/y", "/"] {
            check_route_template(good).unwrap();
        }
    }

    #[test]
    fn zero_limits_and_odd_buckets_are_refused() {
        let refused = |limits: RateLimits| limits.validate().unwrap_err().to_string();
        let zero_max = Limit::new(0, Duration::from_secs(1));
        let zero_window = Limit::new(3, Duration::ZERO);
        assert!(refused(RateLimits::unlimited().route("/x", zero_max)).contains("0 requests"));
        assert!(refused(RateLimits::unlimited().bucket("b", zero_window)).contains("zero window"));
        assert!(
            refused(RateLimits::unlimited().bucket(" ", Limit::per_minute(1))).contains("empty")
        );
        assert!(
            refused(RateLimits::unlimited().bucket("post /x", Limit::per_minute(1)))
                .contains("`post`")
        );
        assert!(
            refused(RateLimits::unlimited().bucket("GET x", Limit::per_minute(1))).contains("`/`")
        );
        assert!(refused(RateLimits::unlimited().assign("FETCH", "/x", "b")).contains("FETCH"));
        assert!(refused(RateLimits::unlimited().assign("GET", "/x", "")).contains("empty name"));
        let contradictory = RateLimits::unlimited()
            .assign("GET", "/x", "shared")
            .bucket("GET /x", Limit::per_minute(1));
        assert!(refused(contradictory).contains("`shared`"));
    }
}
