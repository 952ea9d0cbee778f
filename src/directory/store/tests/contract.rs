//! What every [`Store`] must do, written once and run against each store
//! (`memory.rs`, `sqlite.rs`).

use super::{assert_same, day, events, only_the_first_user, rich_snapshot};
use crate::directory::store::{BatchId, Store, StoreError};

/// A new store has nothing; a save is loaded back whole, and the batch
/// holds the events as saved, stamped with the snapshot time.
pub(super) async fn round_trip(store: &impl Store) {
    assert!(store.load().await.unwrap().is_none());
    assert!(store.batches_after(None).await.unwrap().is_empty());

    let snapshot = rich_snapshot(day(2));
    let saved = events(day(2));
    let id = store.save(&snapshot, &saved).await.unwrap();

    assert_same(&store.load().await.unwrap().unwrap(), &snapshot);
    let batches = store.batches_after(None).await.unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(Some(batches[0].id), id);
    assert_eq!(batches[0].at, day(2));
    assert_eq!(batches[0].events, saved);
}

/// A save without events replaces the snapshot but records no batch, so
/// quiet runs do not push real batches out of the window.
pub(super) async fn no_batch_for_no_events(store: &impl Store) {
    let first = store
        .save(&rich_snapshot(day(1)), &events(day(1)))
        .await
        .unwrap();
    assert_eq!(store.save(&rich_snapshot(day(2)), &[]).await.unwrap(), None);

    assert_eq!(store.load().await.unwrap().unwrap().at, day(2));
    let batches = store.batches_after(None).await.unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(Some(batches[0].id), first);
}

/// A store made with `keep_batches(2)` keeps the last two, with growing
/// IDs; a consumer behind the window is told, one just behind is not.
pub(super) async fn keeps_the_last_batches(store_keeping_two: &impl Store) {
    let store = store_keeping_two;
    let mut ids = Vec::new();
    for d in 1..=4 {
        let id = store.save(&rich_snapshot(day(d)), &events(day(d))).await;
        ids.push(id.unwrap().expect("a batch for events"));
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "growing IDs: {ids:?}");

    let kept = store.batches_after(None).await.unwrap();
    let kept_ids: Vec<BatchId> = kept.iter().map(|b| b.id).collect();
    assert_eq!(kept_ids, ids[2..]);
    assert_eq!(kept[0].at, day(3));

    let after_second = store.batches_after(Some(ids[1])).await.unwrap();
    assert_eq!(after_second, kept, "nothing missed after the second");
    let after_third = store.batches_after(Some(ids[2])).await.unwrap();
    assert_eq!(after_third, kept[1..]);
    assert!(store.batches_after(Some(ids[3])).await.unwrap().is_empty());

    match store.batches_after(Some(ids[0])).await {
        Err(StoreError::BatchesDropped { after, oldest_kept }) => {
            assert_eq!((after, oldest_kept), (ids[0], ids[2]));
        }
        other => panic!("expected BatchesDropped, got {other:?}"),
    }
}

/// A later save replaces the snapshot as a whole: users and groups that
/// are gone from it are gone from the store.
pub(super) async fn save_replaces_the_snapshot(store: &impl Store) {
    store.save(&rich_snapshot(day(1)), &[]).await.unwrap();
    let smaller = only_the_first_user(rich_snapshot(day(2)));
    store.save(&smaller, &[]).await.unwrap();

    assert_same(&store.load().await.unwrap().unwrap(), &smaller);
}
