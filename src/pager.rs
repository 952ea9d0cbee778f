//! The one cursor pager every paginated HiBob read goes through: the bulk
//! tables today (GET, cursor in the query), and next the time-off calendars,
//! job catalog and object searches (POST, cursor in the JSON body).
//!
//! The caller says how to build the request for a cursor (`None` on the
//! first page); the pager sends it on the usual path (`Client::send`, so
//! retries, rate limits and typed errors apply to every page), yields each
//! page with its response headers, and follows the next cursor under the
//! loop guards below. What a page holds is the caller's business: the page
//! type implements [`Paginated`].
//!
//! Guards, per run of the pager:
//! - a `null`, missing or empty next cursor ends the run (HiBob's "no more
//!   pages"; an empty string has always meant that to the bulk tables);
//! - a next cursor already seen in this run is [`Error::Pagination`]: the
//!   server is looping;
//! - [`MAX_EMPTY_PAGES`] pages in a row without rows, each with a fresh
//!   cursor, is [`Error::Pagination`]: a server that never runs out of fresh
//!   cursors would otherwise be followed forever;
//! - more than the page cap ([`DEFAULT_MAX_PAGES`] unless set) is
//!   [`Error::Pagination`], raised before the extra page is requested.
//!
//! A page that breaks a guard is not yielded, and nothing follows an error.
//!
//! Layering: this module sits below the API groups. It uses the transport,
//! the error and the models, never `tables`, `people`, `metadata` or any
//! other group; each group implements [`Paginated`] for its own page type.

use std::collections::HashSet;

use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;

use crate::error::Operation;
use crate::models::CursorPage;
use crate::transport::{ApiRequest, Received};
use crate::{Client, Error};

/// Pages in a row without rows but with a fresh cursor after which a run
/// fails.
pub(crate) const MAX_EMPTY_PAGES: usize = 20;

/// The page cap of a run unless [`Pager::max_pages`] sets another: 20
/// million rows at HiBob's 200 a page, far past any company, still finite.
pub(crate) const DEFAULT_MAX_PAGES: usize = 100_000;

/// What the pager needs to know about a page.
pub(crate) trait Paginated {
    /// The cursor of the next page as the page carries it; `None` (or an
    /// empty string) when this is the last page.
    fn next_cursor(&self) -> Option<&str>;

    /// Whether the page holds no rows.
    fn has_no_rows(&self) -> bool;
}

impl<T> Paginated for CursorPage<T> {
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    fn has_no_rows(&self) -> bool {
        self.items.is_empty()
    }
}

/// A run of cursor pages: build it with [`Pager::new`], then
/// [`pages`](Self::pages).
pub(crate) struct Pager<F> {
    client: Client,
    build: F,
    max_pages: usize,
}

impl<F> Pager<F>
where
    F: FnMut(Option<&str>) -> Result<ApiRequest, Error> + Send + 'static,
{
    /// A run whose requests `build` makes: called with `None` for the first
    /// page, then with each next cursor. It puts the cursor wherever the
    /// endpoint wants it (a `cursor` query parameter, a body member) and
    /// must keep every other parameter the same, as HiBob requires.
    pub(crate) fn new(client: &Client, build: F) -> Self {
        Self {
            client: client.clone(),
            build,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// At most `max_pages` pages (at least 1); one more is an error.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "no endpoint needs a tighter cap yet; the tests set one"
        )
    )]
    pub(crate) fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// The pages, in order, each decoded as `P` with the headers it came
    /// with. Ends after the last page or the first error.
    pub(crate) fn pages<P>(self) -> BoxStream<'static, Result<Received<P>, Error>>
    where
        P: Paginated + DeserializeOwned + Send + 'static,
    {
        let state = Run {
            pager: self,
            cursor: None,
            seen: HashSet::new(),
            empty_pages: 0,
            fetched: 0,
            done: false,
        };
        stream::try_unfold(state, Run::next_page).boxed()
    }
}

/// Where a run is.
struct Run<F> {
    pager: Pager<F>,
    /// The cursor of the next request (`None`: the first page).
    cursor: Option<String>,
    /// Every next cursor this run has followed.
    seen: HashSet<String>,
    /// Consecutive pages with no rows and a fresh next cursor.
    empty_pages: usize,
    /// Pages requested so far.
    fetched: usize,
    /// The last page has been yielded.
    done: bool,
}

impl<F> Run<F>
where
    F: FnMut(Option<&str>) -> Result<ApiRequest, Error> + Send + 'static,
{
    async fn next_page<P>(mut self) -> Result<Option<(Received<P>, Self)>, Error>
    where
        P: Paginated + DeserializeOwned + Send + 'static,
    {
        if self.done {
            return Ok(None);
        }
        let request = (self.pager.build)(self.cursor.as_deref())?;
        let operation = request.operation;
        if self.fetched >= self.pager.max_pages {
            return Err(stopped(
                operation,
                format!(
                    "HiBob still had more pages after {} pages, the cap for one read",
                    self.pager.max_pages
                ),
            ));
        }
        self.fetched += 1;
        let received = self.pager.client.send::<P>(&request).await?;
        self.follow(operation, &received.value)?;
        Ok(Some((received, self)))
    }

    /// Checks `page`'s next cursor against the guards and moves to it.
    fn follow(&mut self, operation: Operation, page: &impl Paginated) -> Result<(), Error> {
        let Some(next) = page.next_cursor().filter(|c| !c.is_empty()) else {
            self.done = true;
            return Ok(());
        };
        if !self.seen.insert(next.to_owned()) {
            return Err(stopped(
                operation,
                "HiBob returned a cursor it had already returned (an endless loop)".to_owned(),
            ));
        }
        if page.has_no_rows() {
            self.empty_pages += 1;
            if self.empty_pages >= MAX_EMPTY_PAGES {
                return Err(stopped(
                    operation,
                    format!(
                        "HiBob returned {MAX_EMPTY_PAGES} pages in a row with no rows, each with a new cursor (an endless loop)"
                    ),
                ));
            }
        } else {
            self.empty_pages = 0;
        }
        self.cursor = Some(next.to_owned());
        Ok(())
    }
}

fn stopped(operation: Operation, message: String) -> Error {
    Error::Pagination { operation, message }
}

/// Several runs one after another (the chunks of a long ID list, each
/// paginated on its own), ending after the first error: a later run is not
/// started once one has failed.
pub(crate) fn chain<T: Send + 'static>(
    runs: impl Iterator<Item = BoxStream<'static, Result<T, Error>>> + Send + 'static,
) -> BoxStream<'static, Result<T, Error>> {
    let state = (runs, None::<BoxStream<'static, Result<T, Error>>>);
    stream::try_unfold(state, |(mut runs, mut current)| async move {
        loop {
            let item = match current.as_mut() {
                Some(run) => run.next().await,
                None => None,
            };
            if let Some(item) = item {
                return Ok(Some((item?, (runs, current))));
            }
            // The current run is over (or none has started): the next one.
            match runs.next() {
                Some(run) => current = Some(run),
                None => return Ok(None),
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests;
