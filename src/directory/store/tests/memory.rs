//! [`MemoryStore`] against the contract, and its shared clones.

use super::{contract, day, events, rich_snapshot};
use crate::directory::store::{MemoryStore, Store};

#[tokio::test]
async fn round_trip() {
    contract::round_trip(&MemoryStore::new()).await;
}

#[tokio::test]
async fn no_batch_for_no_events() {
    contract::no_batch_for_no_events(&MemoryStore::new()).await;
}

#[tokio::test]
async fn keeps_the_last_batches() {
    contract::keeps_the_last_batches(&MemoryStore::new().keep_batches(2)).await;
}

#[tokio::test]
async fn save_replaces_the_snapshot() {
    contract::save_replaces_the_snapshot(&MemoryStore::new()).await;
}

#[tokio::test]
async fn clones_share_one_state() {
    let store = MemoryStore::new();
    let handle = store.clone();
    store
        .save(&rich_snapshot(day(1)), &events(day(1)))
        .await
        .unwrap();
    assert_eq!(handle.load().await.unwrap().unwrap().at, day(1));
    assert_eq!(handle.batches_after(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn keeps_at_least_one_batch() {
    let store = MemoryStore::new().keep_batches(0);
    store
        .save(&rich_snapshot(day(1)), &events(day(1)))
        .await
        .unwrap();
    let last = store
        .save(&rich_snapshot(day(2)), &events(day(2)))
        .await
        .unwrap();
    let kept = store.batches_after(None).await.unwrap();
    assert_eq!(kept.iter().map(|b| Some(b.id)).collect::<Vec<_>>(), [last]);
}
