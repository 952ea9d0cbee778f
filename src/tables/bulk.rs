//! Bulk table reads: the request builder, its validation and `employeeIds`
//! chunking; each chunk's pages come from the cursor pager, with its guards.

use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::regroup::{BulkItem, regroup};
use super::{ArchivedColumns, MAX_BULK_EMPLOYEES, MAX_BULK_LIMIT, has_restricted_header};
use crate::endpoint::Endpoint;
use crate::models::EmployeeId;
use crate::models::tables::{BulkPage, RestrictedColumns};
use crate::pager::{Pager, Paginated, chain};
use crate::transport::{ApiRequest, Json, RequestStream, request_stream};
use crate::{Client, Error};

/// A bulk history read; build it with [`Tables::bulk_lifecycle`](super::Tables::bulk_lifecycle) (or
/// employment, work, salaries), then call [`pages`](Self::pages) or
/// [`stream`](Self::stream).
///
/// Invalid input (`limit` outside 1–200, an empty employee ID or one
/// containing a comma) is reported as [`Error::InvalidRequest`] by the first
/// item, before anything is sent.
///
/// ```
/// use futures::TryStreamExt;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(20).start().await;
/// # let client = fake.client();
/// // Raw pages: rows, per-employee errors and restricted columns as HiBob sent them.
/// let pages: Vec<_> = client.tables().bulk_work().limit(10).pages().try_collect().await?;
/// assert!(pages.len() > 1, "at most 10 rows per page");
/// assert!(pages.last().unwrap().next_cursor.is_none());
///
/// let bad = client.tables().bulk_work().limit(500).stream().try_next().await;
/// assert!(matches!(bad, Err(hibob::Error::InvalidRequest { .. })));
/// # Ok(())
/// # }
/// ```
#[must_use = "a bulk read does nothing until it is streamed"]
#[derive(Debug, Clone)]
pub struct BulkRequest<E> {
    pub(crate) client: Client,
    pub(crate) route: BulkRoute,
    pub(crate) employee_ids: Vec<EmployeeId>,
    pub(crate) limit: u32,
    pub(crate) include_archived: bool,
    _entry: PhantomData<fn() -> E>,
}

/// Where a bulk read goes: the route template, the values of its
/// placeholders (a custom table's ID) and the Bob permission a 403 names.
#[derive(Debug, Clone)]
pub(crate) struct BulkRoute {
    pub(crate) template: &'static str,
    pub(crate) params: Vec<String>,
    pub(crate) permission: &'static str,
    /// Why this read cannot be sent (a table without a bulk read, picked at
    /// run time): the first item is this [`Error::InvalidRequest`].
    pub(crate) missing: Option<String>,
}

impl<E: DeserializeOwned + Send + 'static> BulkRequest<E> {
    pub(crate) fn new(client: &Client, route: BulkRoute) -> Self {
        Self {
            client: client.clone(),
            route,
            employee_ids: Vec::new(),
            limit: MAX_BULK_LIMIT,
            include_archived: false,
            _entry: PhantomData,
        }
    }

    /// Only these employees (`employeeIds`); more than 200 are sent in
    /// chunks of 200, each paginated on its own. Duplicates are sent once.
    /// Without it, every employee the service user may see. An empty ID, or
    /// one containing a comma, makes the read fail with
    /// [`Error::InvalidRequest`] before anything is sent.
    pub fn employees<I: Into<EmployeeId>>(mut self, ids: impl IntoIterator<Item = I>) -> Self {
        // A set beside the ordered list: 20,000 IDs would be quadratic with `contains`.
        let mut seen: std::collections::HashSet<EmployeeId> =
            self.employee_ids.iter().cloned().collect();
        for id in ids.into_iter().map(Into::into) {
            if seen.insert(id.clone()) {
                self.employee_ids.push(id);
            }
        }
        self
    }

    /// Table entries per page, 1–200 (default 200; HiBob's own default is 50).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Some(missing) = &self.route.missing {
            return Err(Error::invalid(missing.clone()));
        }
        if !(1..=MAX_BULK_LIMIT).contains(&self.limit) {
            return Err(Error::invalid(format!(
                "bulk limit {} is outside HiBob's 1-{MAX_BULK_LIMIT}",
                self.limit
            )));
        }
        // `employeeIds` is one comma-separated query value: an empty ID
        // would send `employeeIds=` (or `1,,2`), and a comma would split
        // one ID in two. The ID itself stays out of the message.
        for (i, id) in self.employee_ids.iter().enumerate() {
            let position = i + 1;
            if id.as_str().trim().is_empty() {
                return Err(Error::invalid(format!(
                    "employee ID #{position} of the bulk read is empty"
                )));
            }
            if id.as_str().contains(',') {
                return Err(Error::invalid(format!(
                    "employee ID #{position} of the bulk read contains a comma, which would split it in two in `employeeIds`"
                )));
            }
        }
        Ok(())
    }

    /// The raw pages, in order: rows, per-employee `errors` HiBob returns
    /// inside a 200 (employees outside the service user's audience), and
    /// restricted columns. Stops on a null, missing or empty next cursor; a
    /// repeated cursor, 20 pages in a row without rows but with a next
    /// cursor, or more than 100,000 pages for one chunk of employee IDs, is
    /// [`Error::Pagination`]. `Unpin`; ends after its first error.
    pub fn pages(self) -> RequestStream<BulkPage<E>> {
        request_stream(pages(self))
    }

    /// Complete per-employee histories: rows that continue on the next page
    /// are regrouped, so each employee is yielded once with all rows in
    /// order, and each per-employee error is yielded once as
    /// [`BulkItem::Inaccessible`] (HiBob repeats them on every page of a
    /// request). `Unpin`; ends after its first error.
    pub fn stream(self) -> RequestStream<BulkItem<E>> {
        let route = self.route.template;
        request_stream(regroup(pages(self), route))
    }
}

impl<E: ArchivedColumns> BulkRequest<E> {
    /// Includes archived columns (`includeArchived`), which HiBob's docs
    /// pages document for the four history tables only (the 2025 OpenAPI
    /// documents it for none, so it is sent only when asked for).
    pub fn include_archived(mut self, include: bool) -> Self {
        self.include_archived = include;
        self
    }
}

impl<E> Paginated for BulkPage<E> {
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    fn has_no_rows(&self) -> bool {
        self.results.is_empty()
    }
}

/// The page stream behind [`BulkRequest::pages`]: validated once, then each
/// chunk of at most 200 `employeeIds` paginated on its own by the pager.
pub(crate) fn pages<E: DeserializeOwned + Send + 'static>(
    request: BulkRequest<E>,
) -> BoxStream<'static, Result<BulkPage<E>, Error>> {
    if let Err(error) = request.validate() {
        return stream::once(async { Err(error) }).boxed();
    }
    let chunks: Vec<Vec<EmployeeId>> = if request.employee_ids.is_empty() {
        vec![Vec::new()]
    } else {
        request
            .employee_ids
            .chunks(MAX_BULK_EMPLOYEES)
            .map(<[_]>::to_vec)
            .collect()
    };
    chain(
        chunks
            .into_iter()
            .map(move |ids| chunk_pages(&request, &ids)),
    )
}

/// `GET /bulk/people/<table>`: many employees' rows, a page at a time.
fn bulk_endpoint<E>(route: &BulkRoute) -> Endpoint<BulkQuery<'static>, (), Json<BulkPage<E>>> {
    Endpoint::get(route.template).permission(route.permission)
}

/// The bulk query, the same on every page of a chunk (as HiBob requires)
/// but the cursor, which is absent on the first.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BulkQuery<'a> {
    limit: u32,
    /// Comma-joined by the query encoding; left out when empty.
    employee_ids: &'a [EmployeeId],
    /// Sent only when asked for.
    include_archived: Option<bool>,
    cursor: Option<&'a str>,
}

/// One chunk's pages.
fn chunk_pages<E: DeserializeOwned + Send + 'static>(
    request: &BulkRequest<E>,
    ids: &[EmployeeId],
) -> BoxStream<'static, Result<BulkPage<E>, Error>> {
    let (limit, ids, route) = (request.limit, ids.to_vec(), request.route.clone());
    let include_archived = request.include_archived.then_some(true);
    let build = move |cursor: Option<&str>| -> Result<ApiRequest, Error> {
        let query = BulkQuery {
            limit,
            employee_ids: &ids,
            include_archived,
            cursor,
        };
        let params: Vec<&str> = route.params.iter().map(String::as_str).collect();
        bulk_endpoint::<E>(&route).request(&params, &query, &())
    };
    Pager::new(&request.client, build)
        .pages::<BulkPage<E>>()
        .map_ok(|received| {
            let mut page = received.value;
            if has_restricted_header(&received.headers) && page.restricted_columns.is_none() {
                page.restricted_columns = Some(RestrictedColumns::default());
            }
            page
        })
        .boxed()
}
