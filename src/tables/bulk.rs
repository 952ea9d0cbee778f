//! Bulk table reads: the request builder, HiBob's cursor page loop with its
//! guards, and `employeeIds` chunking.

use std::collections::HashSet;
use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt};

use super::regroup::{BulkItem, regroup};
use super::{MAX_BULK_EMPLOYEES, MAX_BULK_LIMIT, Table, has_restricted_header};
use crate::models::EmployeeId;
use crate::models::tables::{BulkPage, RestrictedColumns};
use crate::transport::{ApiRequest, RequestStream, request_stream};
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
    pub(crate) employee_ids: Vec<EmployeeId>,
    pub(crate) limit: u32,
    pub(crate) include_archived: bool,
    _entry: PhantomData<fn() -> E>,
}

impl<E: Table> BulkRequest<E> {
    pub(super) fn new(client: &Client) -> Self {
        Self {
            client: client.clone(),
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

    /// Includes archived columns (`includeArchived`).
    pub fn include_archived(mut self, include: bool) -> Self {
        self.include_archived = include;
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
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
    /// restricted columns. Stops on a null or missing next cursor; a repeated
    /// cursor, or 20 pages in a row without rows but with a next cursor, is
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
        request_stream(regroup(pages(self)))
    }
}

/// Pages in a row without rows but with a new cursor after which the page
/// loop gives up: a server that never runs out of fresh cursors would
/// otherwise be followed forever.
const MAX_EMPTY_PAGES: usize = 20;

struct PageState<E> {
    request: BulkRequest<E>,
    chunks: Vec<Vec<EmployeeId>>,
    chunk: usize,
    cursor: Option<String>,
    seen: HashSet<String>,
    /// Consecutive pages with no rows and a next cursor.
    empty_pages: usize,
}

/// The page stream behind [`BulkRequest::pages`].
pub(crate) fn pages<E: Table>(
    request: BulkRequest<E>,
) -> BoxStream<'static, Result<BulkPage<E>, Error>> {
    if let Err(error) = request.validate() {
        return stream::once(async { Err(error) }).boxed();
    }
    let chunks = if request.employee_ids.is_empty() {
        vec![Vec::new()]
    } else {
        request
            .employee_ids
            .chunks(MAX_BULK_EMPLOYEES)
            .map(<[_]>::to_vec)
            .collect()
    };
    let state = PageState {
        request,
        chunks,
        chunk: 0,
        cursor: None,
        seen: HashSet::new(),
        empty_pages: 0,
    };
    stream::try_unfold(state, next_page).boxed()
}

async fn next_page<E: Table>(
    mut state: PageState<E>,
) -> Result<Option<(BulkPage<E>, PageState<E>)>, Error> {
    let Some(ids) = state.chunks.get(state.chunk) else {
        return Ok(None);
    };
    let mut request = ApiRequest::get(E::BULK_ROUTE, &[])?
        .declared(None, None, Some(E::PERMISSION))
        .query("limit", state.request.limit.to_string());
    if !ids.is_empty() {
        let joined: Vec<&str> = ids.iter().map(EmployeeId::as_str).collect();
        request = request.query("employeeIds", joined.join(","));
    }
    if state.request.include_archived {
        request = request.query("includeArchived", "true");
    }
    if let Some(cursor) = &state.cursor {
        request = request.query("cursor", cursor.clone());
    }
    let received = state.request.client.send::<BulkPage<E>>(&request).await?;
    let mut page = received.value;
    if has_restricted_header(&received.headers) && page.restricted_columns.is_none() {
        page.restricted_columns = Some(RestrictedColumns::default());
    }
    match page.next_cursor.clone() {
        Some(next) if !state.seen.insert(next.clone()) => {
            return Err(Error::Pagination {
                operation: request.operation,
                message: "HiBob returned a cursor it had already returned (an endless loop)"
                    .to_owned(),
            });
        }
        Some(next) => {
            if page.results.is_empty() {
                state.empty_pages += 1;
                if state.empty_pages >= MAX_EMPTY_PAGES {
                    return Err(Error::Pagination {
                        operation: request.operation,
                        message: format!(
                            "HiBob returned {MAX_EMPTY_PAGES} pages in a row with no rows, each with a new cursor (an endless loop)"
                        ),
                    });
                }
            } else {
                state.empty_pages = 0;
            }
            state.cursor = Some(next);
        }
        None => {
            state.chunk += 1;
            state.cursor = None;
            state.seen.clear();
            state.empty_pages = 0;
        }
    }
    Ok(Some((page, state)))
}
