//! Streaming a whole company: one people search by default, ID batches as the
//! explicit choice or the fallback.
//!
//! HiBob's people-read contract says `POST /people/search` has no page size
//! and no truncation, and one call counts once against the rate limit, so one
//! search is the cheapest way to read everyone (one request, where batches of
//! 200 cost one per 200 employees plus one for the IDs). Batching stays for
//! when one big answer keeps failing: a timeout, a 5xx, a connection dropped
//! mid-body or a 413 are cured by smaller requests; bad credentials are not.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, FuturesOrdered, Stream, StreamExt};
use sync_wrapper::SyncStream;
use tokio::time::Instant;

use super::lazy::LazyEmployees;
use super::{Employee, SearchRequest};
use crate::transport::ApiRequest;
use crate::{EmployeeId, Error, TimeoutKind, field};

/// The ID batch the fallback starts with, HiBob's documented batch size.
const FALLBACK_BATCH: usize = 200;
/// The fallback halves a batch that failed twice, down to this size.
const SMALLEST_BATCH: usize = 25;
/// Failures of one batch before it is halved (or, at the smallest size, the
/// stream gives up).
const FAILURES_BEFORE_HALVING: u32 = 2;

/// How [`SearchRequest::stream`] reads the company.
///
/// ```
/// use futures::TryStreamExt;
/// use hibob::people::SearchStrategy;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(30).start().await;
/// # let client = fake.client();
/// let mut batched = client
///     .people()
///     .search()
///     .show_inactive(true)
///     .strategy(SearchStrategy::Batched { size: 10 })
///     .stream();
/// let mut count = 0;
/// while batched.try_next().await?.is_some() {
///     count += 1;
/// }
/// assert_eq!(count, 30);
/// assert_eq!(batched.strategy(), Some(SearchStrategy::Batched { size: 10 }));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SearchStrategy {
    /// One search; if it still fails after the retries with a cause that a
    /// smaller request cures (a timeout, a 5xx, a connection dropped mid-body,
    /// a 413), fall back to ID batches of 200, halving a batch that fails
    /// twice, down to 25. The default. One request when all goes well.
    #[default]
    Auto,
    /// One search, no fallback: one request.
    Single,
    /// One search for IDs only, then one search per `size` IDs: one request
    /// plus one per batch. `size` is at least 1; HiBob's examples use 200.
    Batched {
        /// IDs per batch.
        size: usize,
    },
}

/// What a stream has done so far, shared between the stream and its state.
#[derive(Debug, Default)]
struct Progress {
    strategy: Option<SearchStrategy>,
    fell_back: bool,
}

/// The employees of a people search, one at a time; from
/// [`SearchRequest::stream`].
///
/// `Unpin`, `Send` and `Sync`: call `try_next()` directly and hold it across
/// `.await` anywhere. It ends after its first error, and never ends early
/// looking complete: a failed read is always an `Err` item.
#[must_use = "a stream does nothing until it is polled"]
pub struct EmployeeStream {
    inner: SyncStream<BoxStream<'static, Result<Employee, Error>>>,
    progress: Arc<Mutex<Progress>>,
}

impl std::fmt::Debug for EmployeeStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmployeeStream")
            .field("strategy", &self.strategy())
            .field("fell_back", &self.fell_back())
            .finish_non_exhaustive()
    }
}

impl EmployeeStream {
    /// The strategy in use: `Single`, or `Batched` with the current batch
    /// size (after a fallback, and after any halving). `None` before the
    /// first request.
    pub fn strategy(&self) -> Option<SearchStrategy> {
        lock(&self.progress).strategy
    }

    /// Whether the single search failed and the stream fell back to batches.
    pub fn fell_back(&self) -> bool {
        lock(&self.progress).fell_back
    }

    fn failed(error: Error) -> Self {
        Self::from_stream(stream::once(async { Err(error) }).boxed(), Arc::default())
    }

    fn from_stream(
        inner: BoxStream<'static, Result<Employee, Error>>,
        progress: Arc<Mutex<Progress>>,
    ) -> Self {
        Self {
            inner: SyncStream::new(inner),
            progress,
        }
    }
}

impl Stream for EmployeeStream {
    type Item = Result<Employee, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

fn lock(progress: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    progress
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether a failed search might succeed as smaller requests.
fn cured_by_smaller_requests(error: &Error) -> bool {
    match error {
        Error::Timeout { kind, .. } => matches!(kind, TimeoutKind::Attempt),
        Error::Server { .. } => true,
        Error::UnexpectedStatus { status, .. } => *status == 413,
        // A connection refused is not cured by a smaller body; one dropped
        // after the request went out (mid-body, reset) may be.
        Error::Transport { source, .. } => !source.is_connect() && !source.is_builder(),
        Error::Truncated { .. } => true,
        _ => false,
    }
}

/// Everything the stream's steps share.
struct Run {
    request: SearchRequest,
    deadline: Option<Instant>,
    progress: Arc<Mutex<Progress>>,
    seen: HashSet<EmployeeId>,
    wanted: Option<HashSet<String>>,
}

impl Run {
    fn set_strategy(&self, strategy: SearchStrategy) {
        lock(&self.progress).strategy = Some(strategy);
    }

    /// Whether to yield `employee`: it has an ID, was asked for (under an ID
    /// filter) and was not yielded before.
    fn keep(&mut self, employee: &Employee) -> bool {
        let Some(id) = employee.id() else {
            return false;
        };
        let asked = self
            .wanted
            .as_ref()
            .is_none_or(|wanted| wanted.contains(id.as_str().trim()));
        asked && self.seen.insert(id.clone())
    }

    fn search(&self, request: &SearchRequest) -> Result<ApiRequest, Error> {
        Ok(request.api_request()?.deadline(self.deadline))
    }
}

/// The phases of a stream.
enum Phase {
    Start,
    /// Yielding the elements of one search body.
    Single {
        lazy: LazyEmployees,
        next: usize,
    },
    /// Reading IDs, then batches of them.
    Batches(Batches),
    Done,
}

struct Batches {
    ids: VecDeque<EmployeeId>,
    size: usize,
    /// Whether this is the fallback (it halves failing batches) or the
    /// caller's explicit choice (which fails like any request).
    halving: bool,
    in_flight: FuturesOrdered<BatchFuture>,
    /// Failures of the batch at the front of `ids` (re-queued after failing).
    failures: u32,
    ready: VecDeque<Employee>,
}

type BatchFuture =
    Pin<Box<dyn Future<Output = (Vec<EmployeeId>, Result<Vec<Employee>, Error>)> + Send + 'static>>;

impl SearchRequest {
    /// Streams every matching employee, one at a time, by the
    /// [`strategy`](Self::strategy) chosen (default [`SearchStrategy::Auto`]:
    /// one search, ID batches only when it fails).
    ///
    /// Every employee is yielded once (by ID); under an ID filter only those
    /// asked for; employees without an ID are skipped, and `root.id` is added
    /// to the requested fields (so at most 399 others fit). Every request,
    /// fallback included, runs inside one [operation
    /// timeout](crate::ClientBuilder::operation_timeout) that starts when the
    /// stream is first polled. Invalid input fails the first item before
    /// anything is sent.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use hibob::{field, people::SearchStrategy};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(40).start().await;
    /// # let client = fake.client();
    /// let mut everyone = client
    ///     .people()
    ///     .search()
    ///     .fields([field::ID, field::EMAIL])
    ///     .show_inactive(true)
    ///     .stream();
    /// let mut emails = Vec::new();
    /// while let Some(employee) = everyone.try_next().await? {
    ///     emails.extend(employee.email().map(str::to_owned));
    /// }
    /// assert_eq!(emails.len(), 40);
    /// assert_eq!(everyone.strategy(), Some(SearchStrategy::Single));
    /// assert!(!everyone.fell_back());
    /// assert_eq!(client.stats().requests, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> EmployeeStream {
        if let Err(error) = self.validate_stream() {
            return EmployeeStream::failed(error);
        }
        let strategy = self.strategy;
        let request = if self.fields.is_empty() {
            self
        } else {
            self.fields([field::ID])
        };
        let wanted = request
            .filter
            .as_ref()
            .filter(|f| f.field_path == "root.id")
            .map(|f| f.values.iter().map(|v| v.trim().to_owned()).collect());
        let progress = Arc::new(Mutex::new(Progress::default()));
        let run = Run {
            request,
            deadline: None,
            progress: Arc::clone(&progress),
            seen: HashSet::new(),
            wanted,
        };
        let items = stream::unfold((run, Phase::Start), move |(mut run, phase)| async move {
            let (item, phase) = step(&mut run, phase, strategy).await?;
            Some((item, (run, phase)))
        });
        EmployeeStream::from_stream(items.boxed(), progress)
    }
}

/// Runs phases until one yields an item (`None`: the stream is over).
async fn step(
    run: &mut Run,
    mut phase: Phase,
    strategy: SearchStrategy,
) -> Option<(Result<Employee, Error>, Phase)> {
    loop {
        phase = match phase {
            Phase::Done => return None,
            Phase::Start => match start(run, strategy).await {
                Ok(next) => next,
                Err(error) => return Some((Err(error), Phase::Done)),
            },
            Phase::Single { lazy, next } => {
                let (item, phase) = next_of_single(run, lazy, next)?;
                return Some((item, phase));
            }
            Phase::Batches(batches) => {
                let (item, phase) = next_of_batches(run, batches).await?;
                return Some((item, phase));
            }
        };
    }
}

/// The first request: one search, or the IDs for batches.
async fn start(run: &mut Run, strategy: SearchStrategy) -> Result<Phase, Error> {
    let operation_timeout = run.request.client.inner.operation_timeout;
    run.deadline = operation_timeout.map(|t| Instant::now() + t);
    match strategy {
        SearchStrategy::Batched { size } => batches(run, size.max(1), false).await,
        SearchStrategy::Single | SearchStrategy::Auto => {
            run.set_strategy(SearchStrategy::Single);
            let counters = &run.request.client.inner.counters;
            counters.single_searches.fetch_add(1, Ordering::Relaxed);
            match single(run).await {
                Ok(lazy) => Ok(Phase::Single { lazy, next: 0 }),
                Err(error)
                    if strategy == SearchStrategy::Auto && cured_by_smaller_requests(&error) =>
                {
                    tracing::warn!(
                        error = %error,
                        batch = FALLBACK_BATCH,
                        "hibob people search failed as one request; falling back to ID batches"
                    );
                    counters.search_fallbacks.fetch_add(1, Ordering::Relaxed);
                    lock(&run.progress).fell_back = true;
                    batches(run, FALLBACK_BATCH, true).await
                }
                Err(error) => Err(error),
            }
        }
    }
}

async fn single(run: &Run) -> Result<LazyEmployees, Error> {
    let request = run.search(&run.request)?;
    let received = run
        .request
        .client
        .send_with(&request, LazyEmployees::parse)
        .await?;
    tracing::info!(
        employees = received.value.len(),
        bytes = received.value.body_len(),
        "hibob people search read as one request"
    );
    Ok(received.value)
}

fn next_of_single(
    run: &mut Run,
    lazy: LazyEmployees,
    mut next: usize,
) -> Option<(Result<Employee, Error>, Phase)> {
    while next < lazy.len() {
        let index = next;
        next += 1;
        match lazy.decode(index) {
            Ok(employee) if run.keep(&employee) => {
                return Some((Ok(employee), Phase::Single { lazy, next }));
            }
            Ok(_) => {}
            Err(error) => return Some((Err(error), Phase::Done)),
        }
    }
    None
}

/// Reads the IDs (honouring the caller's filter and `showInactive`) and sets
/// up the batches.
async fn batches(run: &mut Run, size: usize, halving: bool) -> Result<Phase, Error> {
    run.set_strategy(SearchStrategy::Batched { size });
    let ids_only = SearchRequest {
        fields: vec![field::ID],
        human_readable: None,
        ..run.request.clone()
    };
    let request = run.search(&ids_only)?;
    let found = run
        .request
        .client
        .send::<super::PeopleSearchResponse>(&request)
        .await?;
    let ids = super::unique_ids(found.value.employees);
    Ok(Phase::Batches(Batches {
        ids: ids.into(),
        size,
        halving,
        in_flight: FuturesOrdered::new(),
        failures: 0,
        ready: VecDeque::new(),
    }))
}

async fn next_of_batches(
    run: &mut Run,
    mut batches: Batches,
) -> Option<(Result<Employee, Error>, Phase)> {
    loop {
        if let Some(employee) = batches.ready.pop_front() {
            return Some((Ok(employee), Phase::Batches(batches)));
        }
        fill(run, &mut batches);
        let (chunk, result) = batches.in_flight.next().await?;
        match result {
            Ok(found) => {
                batches.failures = 0;
                let kept: Vec<Employee> = found.into_iter().filter(|e| run.keep(e)).collect();
                batches.ready.extend(kept);
            }
            Err(error) => {
                if let Err(error) = requeue(run, &mut batches, chunk, error) {
                    return Some((Err(error), Phase::Done));
                }
            }
        }
    }
}

/// Starts batches until `concurrency` are in flight or no IDs are left.
fn fill(run: &Run, batches: &mut Batches) {
    while batches.in_flight.len() < run.request.concurrency && !batches.ids.is_empty() {
        let take = batches.size.min(batches.ids.len());
        let chunk: Vec<EmployeeId> = batches.ids.drain(..take).collect();
        let batch = SearchRequest {
            filter: None,
            ..run.request.clone()
        }
        .filter_ids(&chunk);
        let deadline = run.deadline;
        batches.in_flight.push_back(Box::pin(async move {
            let result = async {
                let request = batch.api_request()?.deadline(deadline);
                let found = batch
                    .client
                    .send::<super::PeopleSearchResponse>(&request)
                    .await?;
                // HiBob has been seen to add employees nobody asked for.
                let asked: Vec<String> = chunk.iter().map(ToString::to_string).collect();
                Ok(super::keep_requested(Some(&asked), found.value.employees))
            }
            .await;
            (chunk, result)
        }));
    }
}

/// After a batch failed: try it again, halve it after its second failure,
/// or give up.
fn requeue(
    run: &Run,
    batches: &mut Batches,
    chunk: Vec<EmployeeId>,
    error: Error,
) -> Result<(), Error> {
    if !batches.halving || !cured_by_smaller_requests(&error) {
        return Err(error);
    }
    batches.failures += 1;
    if batches.failures >= FAILURES_BEFORE_HALVING {
        if batches.size <= SMALLEST_BATCH {
            return Err(error);
        }
        batches.size = (batches.size / 2).max(SMALLEST_BATCH);
        batches.failures = 0;
        run.set_strategy(SearchStrategy::Batched { size: batches.size });
        tracing::warn!(
            error = %error,
            batch = batches.size,
            "hibob people search batch failed twice; halving the batch"
        );
    }
    for id in chunk.into_iter().rev() {
        batches.ids.push_front(id);
    }
    Ok(())
}
