//! The escape hatch: typed calls to HiBob endpoints this crate does not model
//! yet, with the same auth, retries, rate limits and error mapping.

use std::future::IntoFuture;
use std::marker::PhantomData;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::transport::{ApiRequest, RequestFuture, request_future};
use crate::{Client, Error};

impl Client {
    /// A GET of any HiBob route, decoded as `T` (use `serde_json::Value` for
    /// untyped). `route` is a template below the base URL whose `{…}`
    /// placeholders are filled, in order, by [`RawRequest::param`]; only the
    /// template is ever logged.
    ///
    /// ```no_run
    /// # async fn demo(client: hibob::Client) -> Result<(), hibob::Error> {
    /// let training: serde_json::Value = client
    ///     .get_json("/people/{id}/training")
    ///     .param("3332883884017713938")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn get_json<T: DeserializeOwned>(&self, route: &'static str) -> RawRequest<T> {
        RawRequest::new(self, Method::GET, route, None, true)
    }

    /// A POST with a JSON body, decoded as `T`. Not retried unless marked
    /// [`retry_safe`](RawRequest::retry_safe) (HiBob's read-only searches are).
    pub fn post_json<T: DeserializeOwned>(
        &self,
        route: &'static str,
        body: &impl Serialize,
    ) -> RawRequest<T> {
        let body = serde_json::to_vec(body).map_err(|e| e.to_string());
        RawRequest::new(self, Method::POST, route, Some(body), false)
    }
}

/// A request built by [`Client::get_json`] or [`Client::post_json`]; await it.
#[must_use = "a request does nothing until it is awaited"]
#[derive(Debug)]
pub struct RawRequest<T> {
    client: Client,
    method: Method,
    route: &'static str,
    params: Vec<String>,
    query: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, String>>,
    retry_safe: bool,
    _out: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> RawRequest<T> {
    fn new(
        client: &Client,
        method: Method,
        route: &'static str,
        body: Option<Result<Vec<u8>, String>>,
        retry_safe: bool,
    ) -> Self {
        Self {
            client: client.clone(),
            method,
            route,
            params: Vec::new(),
            query: Vec::new(),
            body,
            retry_safe,
            _out: PhantomData,
        }
    }

    /// Fills the next `{…}` placeholder of the route, encoded as one segment.
    pub fn param(mut self, value: impl Into<String>) -> Self {
        self.params.push(value.into());
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Whether the request may be retried (true for GETs by default).
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = safe;
        self
    }

    async fn send(self) -> Result<T, Error> {
        let params: Vec<&str> = self.params.iter().map(String::as_str).collect();
        let body = self
            .body
            .transpose()
            .map_err(|e| Error::invalid(format!("the request body cannot be encoded: {e}")))?;
        let mut request = ApiRequest::new(self.method, self.route, &params, body, self.retry_safe)?;
        for (key, value) in self.query {
            request = request.query(key, value);
        }
        Ok(self.client.send::<T>(&request).await?.value)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for RawRequest<T> {
    type Output = Result<T, Error>;
    type IntoFuture = RequestFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
