//! How an endpoint is declared: one value per HiBob operation that states
//! everything that goes over the wire and every rule the transport applies
//! to it.
//!
//! ```text
//! /// `POST /people/search`: everyone in one answer (no server-side paging).
//! pub(crate) static SEARCH: Endpoint<(), SearchBody, Json<PeopleSearchResponse>> =
//!     Endpoint::post("/people/search", Retry::Read)
//!         .limit(Limit::per_minute(50));
//! ```
//!
//! The type parameters are the query (`()` for none; a struct whose fields
//! are the query keys), the body (`()` for GET and DELETE; a [`Payload`]) and
//! the answer kind ([`Json`](crate::transport::Json),
//! [`NoContent`](crate::transport::NoContent),
//! [`OrUnchanged`](crate::transport::OrUnchanged),
//! [`Raw`](crate::transport::Raw)). The builder calls after the constructor
//! add the documented rate limit, a shared bucket and the Bob permission a
//! 403 names. Plain `const fn`s, no macro and no builder derive: a reader sees
//! exactly what is sent, and nothing adds compile time.

use std::marker::PhantomData;

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use crate::ratelimit::Limit;
pub(crate) use crate::transport::Retry;
use crate::transport::{Answer, ApiRequest, Received};
use crate::{Client, Error};

/// A request body: JSON, checked before anything is sent.
pub(crate) trait Payload: Serialize {
    /// Refuses what HiBob would refuse (or silently mangle), as
    /// [`Error::InvalidRequest`] naming the field.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// What the answer kind `R` of an endpoint turns a 2xx (or 304) into.
pub(crate) type Output<R> = <R as Answer>::Output;

/// One HiBob operation; see the module docs.
#[derive(Debug)]
pub(crate) struct Endpoint<Q, B, R> {
    pub(crate) method: Method,
    /// The route template below `/v1`, e.g. `/people/{identifier}`.
    pub(crate) route: &'static str,
    pub(crate) retry: Retry,
    /// HiBob's documented limit, applied unless the caller configures the
    /// bucket (and never under `RateLimits::unlimited()`).
    pub(crate) limit: Option<Limit>,
    /// A bucket shared with other routes, when HiBob counts them together;
    /// by default the request counts in `METHOD route`.
    pub(crate) bucket: Option<&'static str>,
    /// What to grant on a 403, in Bob's UI words.
    pub(crate) permission: Option<&'static str>,
    /// Covariant, so a declaration with a borrowing body type
    /// (`SearchBody<'static>`) accepts a body borrowing for any lifetime.
    types: Types<Q, B, R>,
}

/// The declared query, body and answer types, held by no value.
type Types<Q, B, R> = PhantomData<fn() -> (Q, B, R)>;

impl<Q, R> Endpoint<Q, (), R> {
    /// A read: `GET route`.
    pub(crate) const fn get(route: &'static str) -> Self {
        Self::new(Method::GET, route, Retry::Read)
    }

    /// `DELETE route`: idempotent.
    #[allow(dead_code, reason = "the write issues' endpoints declare with it")]
    pub(crate) const fn delete(route: &'static str) -> Self {
        Self::new(Method::DELETE, route, Retry::Idempotent)
    }
}

impl<Q, B: Payload, R> Endpoint<Q, B, R> {
    /// `POST route` with a JSON body: [`Retry::Read`] for HiBob's read-only
    /// searches, [`Retry::Create`] for everything that creates.
    pub(crate) const fn post(route: &'static str, retry: Retry) -> Self {
        Self::new(Method::POST, route, retry)
    }

    /// `PUT route` with a JSON body: idempotent.
    #[allow(dead_code, reason = "the write issues' endpoints declare with it")]
    pub(crate) const fn put(route: &'static str) -> Self {
        Self::new(Method::PUT, route, Retry::Idempotent)
    }
}

impl<Q, B, R> Endpoint<Q, B, R> {
    const fn new(method: Method, route: &'static str, retry: Retry) -> Self {
        Self {
            method,
            route,
            retry,
            limit: None,
            bucket: None,
            permission: None,
            types: PhantomData,
        }
    }

    /// HiBob's documented rate limit for this endpoint's bucket.
    pub(crate) const fn limit(mut self, limit: Limit) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Counts this endpoint in a bucket shared with other routes.
    #[allow(
        dead_code,
        reason = "custom-table writes share one bucket (the tables issue)"
    )]
    pub(crate) const fn bucket(mut self, name: &'static str) -> Self {
        self.bucket = Some(name);
        self
    }

    /// The Bob permission a 403 on this endpoint names.
    pub(crate) const fn permission(mut self, hint: &'static str) -> Self {
        self.permission = Some(hint);
        self
    }
}

impl<Q: Serialize, B: Body, R: Answer> Endpoint<Q, B, R> {
    /// The request as it goes over the wire: `params` fill the route's
    /// placeholders in order (each one encoded segment), `query` becomes the
    /// query string, `body` the JSON body. The body is validated first.
    pub(crate) fn request(
        &self,
        params: &[&str],
        query: &Q,
        body: &B,
    ) -> Result<ApiRequest, Error> {
        let body = body.encode()?;
        let mut request = ApiRequest::new(self.method.clone(), self.route, params, body)?
            .retry(self.retry)
            .declared(self.limit, self.bucket, self.permission);
        for (key, value) in query_pairs(query)? {
            request = request.query(key, value);
        }
        Ok(request)
    }

    /// Builds the request and sends it, following the retry class.
    pub(crate) async fn send(
        &self,
        client: &Client,
        params: &[&str],
        query: &Q,
        body: &B,
    ) -> Result<Received<Output<R>>, Error> {
        let request = self.request(params, query, body)?;
        client.fetch::<R>(&request).await
    }
}

/// How a body type is sent: `()` sends none, a [`Payload`] is validated and
/// sent as JSON.
pub(crate) trait Body {
    fn encode(&self) -> Result<Option<Vec<u8>>, Error>;
}

impl Body for () {
    fn encode(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }
}

impl<T: Payload> Body for T {
    fn encode(&self) -> Result<Option<Vec<u8>>, Error> {
        self.validate()?;
        serde_json::to_vec(self)
            .map(Some)
            .map_err(|e| Error::invalid(format!("the request body cannot be encoded: {e}")))
    }
}

/// A query struct as `key=value` pairs: field names are the keys (serde
/// renames apply), `None` fields are left out, booleans and numbers are
/// written as JSON writes them, and a list becomes one comma-separated value
/// (HiBob's `employeeIds=1,2,3`). `()` is no query at all.
pub(crate) fn query_pairs(query: &impl Serialize) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(query)
        .map_err(|e| Error::invalid(format!("the query cannot be encoded: {e}")))?;
    let fields = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Object(fields) => fields,
        _ => return Err(Error::invalid("a query must be a struct of named fields")),
    };
    let mut pairs = Vec::with_capacity(fields.len());
    for (key, value) in fields {
        let text = match value {
            Value::Null => continue,
            // No IDs means no filter, never `employeeIds=`.
            Value::Array(items) if items.is_empty() => continue,
            Value::Array(items) => {
                let items: Result<Vec<String>, Error> =
                    items.into_iter().map(|v| scalar(&key, v)).collect();
                items?.join(",")
            }
            other => scalar(&key, other)?,
        };
        pairs.push((key, text));
    }
    Ok(pairs)
}

fn scalar(key: &str, value: Value) -> Result<String, Error> {
    match value {
        Value::String(text) => Ok(text),
        Value::Bool(_) | Value::Number(_) => Ok(value.to_string()),
        _ => Err(Error::invalid(format!(
            "query parameter `{key}` must be a string, number, boolean or a list of them"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::Json;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct BulkQuery {
        limit: u32,
        employee_ids: Vec<&'static str>,
        include_archived: Option<bool>,
        cursor: Option<&'static str>,
    }

    #[derive(Serialize)]
    struct Hire {
        email: &'static str,
    }

    impl Payload for Hire {
        fn validate(&self) -> Result<(), Error> {
            if self.email.contains('@') {
                Ok(())
            } else {
                Err(Error::invalid("`email` is not an e-mail address"))
            }
        }
    }

    static BULK: Endpoint<BulkQuery, (), Json<Value>> = Endpoint::get("/bulk/people/{table}")
        .limit(Limit::per_minute(50))
        .permission("People's Data > Work > View selected employees' Work section histories");
    static CREATE: Endpoint<(), Hire, Json<Value>> = Endpoint::post("/people", Retry::Create);

    #[test]
    fn a_declaration_states_what_goes_over_the_wire() {
        let query = BulkQuery {
            limit: 200,
            employee_ids: vec!["1", "2"],
            include_archived: None,
            cursor: Some("a b"),
        };
        let request = BULK.request(&["work"], &query, &()).unwrap();
        assert_eq!(request.operation.route, "/bulk/people/{table}");
        assert_eq!(request.operation.method, "GET");
        assert_eq!(request.path(), "/bulk/people/work");
        let keys: Vec<_> = request
            .query_pairs()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(keys, ["cursor=a b", "employeeIds=1,2", "limit=200"]);
        assert_eq!(request.retry_class(), Retry::Read);
        assert_eq!(BULK.limit, Some(Limit::per_minute(50)));
        assert!(BULK.permission.unwrap().contains("Work section histories"));
    }

    #[test]
    fn bodies_are_validated_before_anything_is_built() {
        let bad = CREATE
            .request(&[], &(), &Hire { email: "nobody" })
            .unwrap_err();
        assert!(matches!(bad, Error::InvalidRequest { .. }), "{bad}");
        let good = CREATE.request(&[], &(), &Hire { email: "a@b.c" }).unwrap();
        assert_eq!(good.retry_class(), Retry::Create);
        assert_eq!(good.body_bytes(), Some(&br#"{"email":"a@b.c"}"#[..]));
    }

    #[test]
    fn queries_must_be_flat() {
        #[derive(Serialize)]
        struct Nested {
            inner: BulkQuery,
        }
        let nested = Nested {
            inner: BulkQuery {
                limit: 1,
                employee_ids: vec![],
                include_archived: Some(true),
                cursor: None,
            },
        };
        assert!(query_pairs(&nested).is_err());
        assert!(query_pairs(&"text").is_err());
        assert!(query_pairs(&()).unwrap().is_empty());
    }
}
