//! The escape hatch: calls to HiBob endpoints this crate does not model yet,
//! with the same auth, retries, rate limits and error mapping. Any method,
//! route templates fixed or built at run time, JSON or raw answers.

use std::borrow::Cow;
use std::future::IntoFuture;
use std::marker::PhantomData;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::transport::{
    ApiRequest, NoContent, OrUnchanged, RawResponse, RequestFuture, Retry, WriteOutcome,
    request_future,
};
use crate::{Client, Error};

impl Client {
    /// Any HiBob route with any method, its answer decoded as `T` when
    /// awaited (use `serde_json::Value` for untyped), or taken as it came
    /// with [`send_raw`](RawRequest::send_raw).
    ///
    /// `route` is a template below the base URL (`/people/{id}/training`),
    /// fixed or built at run time; its `{…}` placeholders are filled, in
    /// order, by [`param`](RawRequest::param), each as one encoded path
    /// segment, and only the template is ever logged or put in an error. A
    /// malformed template (no leading `/`, unbalanced braces, whitespace, a
    /// `?`) is [`Error::InvalidRequest`] before anything is sent.
    ///
    /// Retries follow the write policy by method, since HiBob has no
    /// idempotency keys: GETs are retried like every read; PUT and DELETE are
    /// idempotent and retried the same way (a 404 on a resent DELETE counts
    /// as done); a POST or PATCH is resent only when HiBob surely did not
    /// apply it (a 429, or a connection refused before anything was sent) and
    /// otherwise fails with [`Error::OutcomeUnknown`]. Mark HiBob's read-only
    /// POSTs (searches) [`retry_safe`](RawRequest::retry_safe) to retry them
    /// as reads.
    ///
    /// ```
    /// use hibob::Method;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// # let id = fake.truth().employees[0].id.clone();
    /// let table = "work"; // chosen at run time
    /// let rows: serde_json::Value = client
    ///     .request(Method::GET, format!("/people/{{id}}/{table}"))
    ///     .param(&id)
    ///     .await?;
    /// assert!(rows["values"].is_array());
    /// # Ok(())
    /// # }
    /// ```
    pub fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        route: impl Into<Cow<'static, str>>,
    ) -> RawRequest<T> {
        let retry = Retry::of(&method);
        RawRequest::new(self, method, route.into(), retry)
    }

    /// A GET of any HiBob route, decoded as `T`; see [`request`](Self::request).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// # let id = fake.truth().employees[0].id.clone();
    /// let lifecycle: serde_json::Value = client
    ///     .get_json("/people/{id}/lifecycle")
    ///     .param(&id)
    ///     .await?;
    /// assert!(!lifecycle["values"].as_array().unwrap().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_json<T: DeserializeOwned>(
        &self,
        route: impl Into<Cow<'static, str>>,
    ) -> RawRequest<T> {
        self.request(Method::GET, route)
    }

    /// A POST with a JSON body, decoded as `T`; see [`request`](Self::request).
    /// Treated as a write that creates (never resent once it may have reached
    /// HiBob) unless marked [`retry_safe`](RawRequest::retry_safe), as
    /// HiBob's read-only searches should be.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(4).start().await;
    /// # let client = fake.client();
    /// let found: serde_json::Value = client
    ///     .post_json("/people/search", &serde_json::json!({"fields": ["root.id"]}))
    ///     .retry_safe(true)
    ///     .await?;
    /// assert!(found["employees"].is_array());
    /// # Ok(())
    /// # }
    /// ```
    pub fn post_json<T: DeserializeOwned>(
        &self,
        route: impl Into<Cow<'static, str>>,
        body: &impl Serialize,
    ) -> RawRequest<T> {
        self.request(Method::POST, route).body(body)
    }
}

/// A request built by [`Client::request`], [`Client::get_json`] or
/// [`Client::post_json`]; await it for `T`, or call
/// [`send_raw`](Self::send_raw) for the answer as it came.
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug)]
pub struct RawRequest<T> {
    client: Client,
    method: Method,
    route: Cow<'static, str>,
    params: Vec<String>,
    query: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, String>>,
    retry: Retry,
    _out: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> RawRequest<T> {
    fn new(client: &Client, method: Method, route: Cow<'static, str>, retry: Retry) -> Self {
        Self {
            client: client.clone(),
            method,
            route,
            params: Vec::new(),
            query: Vec::new(),
            body: None,
            retry,
            _out: PhantomData,
        }
    }

    /// Fills the next `{…}` placeholder of the route, encoded as one segment.
    pub fn param(mut self, value: impl AsRef<str>) -> Self {
        self.params.push(value.as_ref().to_owned());
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sends `body` as JSON. A body that cannot be encoded fails the request
    /// before anything is sent.
    pub fn body(mut self, body: &impl Serialize) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|e| e.to_string()));
        self
    }

    /// `true` retries the request like a read whatever its method: mark
    /// only requests that change nothing (HiBob's searches), or that HiBob
    /// applies at most once. `false` restores the method's own rule (see
    /// [`Client::request`]).
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry = if safe {
            Retry::Read
        } else {
            Retry::of(&self.method)
        };
        self
    }

    /// Sends the request and returns the answer as it came (status, headers,
    /// bytes) for anything below 400: a 204 or 304 without a body, a PDF, a
    /// CSV. 4xx and 5xx are the usual typed errors.
    ///
    /// ```
    /// use hibob::Method;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
    /// # let client = fake.client();
    /// let answer = client
    ///     .request::<()>(Method::GET, "/company/named-lists")
    ///     .send_raw()
    ///     .await?;
    /// assert_eq!(answer.status, 200);
    /// let lists: serde_json::Value = answer.json()?;
    /// assert!(lists.is_object());
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_raw(self) -> RequestFuture<RawResponse> {
        let built = self.build();
        request_future(async move {
            let (client, request) = built?;
            client.send_raw(&request).await
        })
    }

    /// Sends the request for an answer without a body, HiBob's reply to
    /// many writes and cancels: any 2xx, empty or with a JSON body (which is
    /// dropped), is [`WriteOutcome::Applied`], and a `304 Not Modified` (an
    /// update that matched what HiBob held) is [`WriteOutcome::Unchanged`].
    /// An HTML page is [`Error::UnexpectedContentType`], 4xx and 5xx the
    /// usual typed errors.
    ///
    /// ```
    /// use hibob::{Method, WriteOutcome};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(2).start().await;
    /// # let client = fake.client();
    /// let outcome = client
    ///     .request::<()>(Method::GET, "/company/named-lists")
    ///     .send_no_content()
    ///     .await?;
    /// assert_eq!(outcome, WriteOutcome::Applied(()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_no_content(self) -> RequestFuture<WriteOutcome> {
        let built = self.build();
        request_future(async move {
            let (client, request) = built?;
            let received = client.fetch::<OrUnchanged<NoContent>>(&request).await?;
            Ok(received.value)
        })
    }

    fn build(self) -> Result<(Client, ApiRequest), Error> {
        let route = crate::route::intern(self.route)?;
        let params: Vec<&str> = self.params.iter().map(String::as_str).collect();
        let body = self
            .body
            .transpose()
            .map_err(|e| Error::invalid(format!("the request body cannot be encoded: {e}")))?;
        let mut request = ApiRequest::new(self.method, route, &params, body)?.retry(self.retry);
        for (key, value) in self.query {
            request = request.query(key, value);
        }
        Ok((self.client, request))
    }

    async fn send(self) -> Result<T, Error> {
        let (client, request) = self.build()?;
        Ok(client.send::<T>(&request).await?.value)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for RawRequest<T> {
    type Output = Result<T, Error>;
    type IntoFuture = RequestFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
