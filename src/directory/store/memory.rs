//! The in-memory store: for tests, and for tools that sync once.

use std::sync::{Arc, Mutex, PoisonError};

use super::{Batch, BatchId, DEFAULT_KEPT_BATCHES, Store, StoreError};
use crate::directory::{Event, Snapshot};

/// A [`Store`] in memory. Clones share one state, so a test can keep a
/// handle and look inside while a sync owns another.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hibob::directory::{MemoryStore, Snapshot, Store};
///
/// let store = MemoryStore::new().keep_batches(10);
/// assert!(store.load().await?.is_none());
/// store.save(&Snapshot::default(), &[]).await?;
/// assert!(store.load().await?.is_some());
/// assert!(store.batches_after(None).await?.is_empty(), "no batch for no events");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
    keep: usize,
}

#[derive(Debug, Default)]
struct State {
    snapshot: Option<Snapshot>,
    batches: Vec<Batch>,
    next: u64,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// An empty store keeping the last [`DEFAULT_KEPT_BATCHES`] batches.
    pub fn new() -> Self {
        Self {
            state: Arc::default(),
            keep: DEFAULT_KEPT_BATCHES,
        }
    }

    /// Keeps the last `batches` event batches (at least one).
    pub fn keep_batches(mut self, batches: usize) -> Self {
        self.keep = batches.max(1);
        self
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave half a save: saves swap whole values.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for MemoryStore {
    async fn load(&self) -> Result<Option<Snapshot>, StoreError> {
        Ok(self.state().snapshot.clone())
    }

    async fn save(
        &self,
        snapshot: &Snapshot,
        events: &[Event],
    ) -> Result<Option<BatchId>, StoreError> {
        let mut state = self.state();
        state.snapshot = Some(snapshot.clone());
        if events.is_empty() {
            return Ok(None);
        }
        state.next += 1;
        let id = BatchId(state.next);
        state.batches.push(Batch {
            id,
            at: snapshot.at,
            events: events.to_vec(),
        });
        let excess = state.batches.len().saturating_sub(self.keep);
        state.batches.drain(..excess);
        Ok(Some(id))
    }

    async fn batches_after(&self, after: Option<BatchId>) -> Result<Vec<Batch>, StoreError> {
        let state = self.state();
        super::batches_after(&state.batches, after)
    }
}
