//! Where a directory sync keeps its state: the last [`Snapshot`] and the
//! recent event [`Batch`]es, saved together so a crash between the two can
//! neither lose events nor report them twice.
//!
//! [`MemoryStore`] keeps them in the process (tests, one-shot tools); the
//! SQLite store (`SqliteStore`, feature `directory-sqlite`) keeps them in a
//! file.

mod memory;
#[cfg(feature = "directory-sqlite")]
mod sqlite;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::events::Event;
use super::snapshot::Snapshot;

pub use memory::MemoryStore;
#[cfg(feature = "directory-sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "directory-sqlite")))]
pub use sqlite::SqliteStore;

/// How many event batches a store keeps unless told otherwise.
pub const DEFAULT_KEPT_BATCHES: usize = 100;

/// A store's handle on one saved batch of events; later batches have larger
/// IDs, so a consumer can resume after the last one it handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BatchId(pub u64);

impl std::fmt::Display for BatchId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The events one sync (a reconciliation or a webhook refresh) produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Batch {
    /// Its place in the store.
    pub id: BatchId,
    /// The snapshot time it was saved with.
    pub at: DateTime<Utc>,
    /// The events, in [`diff`](super::diff) order.
    pub events: Vec<Event>,
}

/// Keeps a directory's last snapshot and its recent events.
///
/// Implementations must save a snapshot and its events atomically: after a
/// crash, [`load`](Store::load) returns either the old snapshot and no new
/// batch, or the new snapshot and its batch. The futures must not block
/// the async runtime (a file-backed store does its I/O on
/// `spawn_blocking`).
pub trait Store: Send + Sync {
    /// The last saved snapshot, `None` before the first save.
    fn load(&self) -> impl Future<Output = Result<Option<Snapshot>, StoreError>> + Send;

    /// Saves `snapshot` as the last one and `events` as a new batch, in one
    /// step. No batch is recorded for an empty `events` (`None`), so quiet
    /// runs do not push real batches out of the kept window.
    fn save(
        &self,
        snapshot: &Snapshot,
        events: &[Event],
    ) -> impl Future<Output = Result<Option<BatchId>, StoreError>> + Send;

    /// The kept batches after `after` (all of them for `None`), oldest
    /// first. A consumer that missed runs catches up from its last ID;
    /// [`StoreError::BatchesDropped`] says when some it missed are no
    /// longer kept.
    fn batches_after(
        &self,
        after: Option<BatchId>,
    ) -> impl Future<Output = Result<Vec<Batch>, StoreError>> + Send;
}

/// Why a store could not load or save.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backing file or database failed.
    #[error(
        "the directory state at {path} could not be {action}: {source}; check the path, its permissions and the free space"
    )]
    Io {
        /// The state file.
        path: PathBuf,
        /// What was being done (`opened`, `read`, `saved`...).
        action: &'static str,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The state holds something this version cannot read.
    #[error("the directory state at {path} cannot be read: {detail}; {remedy}")]
    Unreadable {
        /// The state file.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
        /// What to do about it.
        remedy: String,
    },
    /// A consumer asked for batches after one the store no longer keeps.
    #[error(
        "batches after {after} were asked for, but the oldest kept is {oldest_kept}: events in between are gone; run a full reconciliation and rebuild from the snapshot"
    )]
    BatchesDropped {
        /// The batch the consumer handled last.
        after: BatchId,
        /// The oldest batch still kept.
        oldest_kept: BatchId,
    },
}

/// The kept batches after `after`, or why a consumer missed some: the
/// shared rule of every store.
pub(crate) fn batches_after(
    kept: &[Batch],
    after: Option<BatchId>,
) -> Result<Vec<Batch>, StoreError> {
    let Some(after) = after else {
        return Ok(kept.to_vec());
    };
    if let Some(oldest) = kept.first() {
        if oldest.id.0 > after.0 + 1 {
            return Err(StoreError::BatchesDropped {
                after,
                oldest_kept: oldest.id,
            });
        }
    }
    Ok(kept.iter().filter(|b| b.id > after).cloned().collect())
}
