//! [`SqliteStore`] against the contract, then the file itself: reopening,
//! owner-only files, failed saves, files it must refuse.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tempfile::TempDir;

use super::{assert_same, contract, day, events, only_the_first_user, rich_snapshot};
use crate::directory::store::sqlite::configure;
use crate::directory::store::{SqliteStore, Store, StoreError};

/// A fresh directory and the state file's path in it.
fn state_path() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory.sqlite");
    (dir, path)
}

async fn fresh_store() -> (TempDir, SqliteStore) {
    let (dir, path) = state_path();
    (dir, SqliteStore::open(&path).await.unwrap())
}

#[tokio::test]
async fn round_trip() {
    let (_dir, store) = fresh_store().await;
    contract::round_trip(&store).await;
}

#[tokio::test]
async fn no_batch_for_no_events() {
    let (_dir, store) = fresh_store().await;
    contract::no_batch_for_no_events(&store).await;
}

#[tokio::test]
async fn keeps_the_last_batches() {
    let (_dir, store) = fresh_store().await;
    contract::keeps_the_last_batches(&store.keep_batches(2)).await;
}

#[tokio::test]
async fn save_replaces_the_snapshot() {
    let (_dir, store) = fresh_store().await;
    contract::save_replaces_the_snapshot(&store).await;
}

#[tokio::test]
async fn reopened_file_has_the_snapshot_and_batches_and_ids_go_on() {
    let (_dir, path) = state_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let snapshot = rich_snapshot(day(1));
    let first = store.save(&snapshot, &events(day(1))).await.unwrap();
    let kept = store.batches_after(None).await.unwrap();
    drop(store);

    let reopened = SqliteStore::open(&path).await.unwrap().keep_batches(1);
    assert_same(&reopened.load().await.unwrap().unwrap(), &snapshot);
    assert_eq!(reopened.batches_after(None).await.unwrap(), kept);
    let second = reopened
        .save(&rich_snapshot(day(2)), &events(day(2)))
        .await
        .unwrap();
    assert!(second > first, "{second:?} after {first:?}");
    let now_kept = reopened.batches_after(None).await.unwrap();
    assert_eq!(
        now_kept.len(),
        1,
        "the smaller window applies to old batches"
    );
    assert_eq!(Some(now_kept[0].id), second);
}

#[tokio::test]
async fn clones_share_the_file_and_concurrent_saves_both_land() {
    let (_dir, store) = fresh_store().await;
    let other = store.clone();
    let (one, two) = (rich_snapshot(day(1)), rich_snapshot(day(2)));
    let (events_one, events_two) = (events(day(1)), events(day(2)));
    let (a, b) = tokio::join!(store.save(&one, &events_one), other.save(&two, &events_two),);
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_ne!(a, b);
    assert_eq!(store.batches_after(None).await.unwrap().len(), 2);
}

/// A save that fails after replacing the users (a trigger refuses the
/// batch) leaves the previous snapshot and batches as they were.
#[tokio::test]
async fn failed_save_leaves_the_previous_state() {
    let (_dir, path) = state_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let before = rich_snapshot(day(1));
    store.save(&before, &events(day(1))).await.unwrap();
    let kept = store.batches_after(None).await.unwrap();
    let sabotage = Connection::open(&path).unwrap();
    sabotage
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON batches BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
        )
        .unwrap();

    let after = only_the_first_user(rich_snapshot(day(2)));
    let error = store.save(&after, &events(day(2))).await.unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::Io {
                action: "saved",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("could not be saved"), "{error}");
    assert_same(&store.load().await.unwrap().unwrap(), &before);
    assert_eq!(store.batches_after(None).await.unwrap(), kept);

    sabotage.execute_batch("DROP TRIGGER refuse").unwrap();
    store.save(&after, &events(day(2))).await.unwrap();
    assert_same(&store.load().await.unwrap().unwrap(), &after);
}

#[cfg(unix)]
mod owner_only {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn the_file_is_created_0600_and_no_side_file_outlives_a_save() {
        let (dir, path) = state_path();
        let store = SqliteStore::open(&path).await.unwrap();
        assert_eq!(mode(&path), 0o600);
        store
            .save(&rich_snapshot(day(1)), &events(day(1)))
            .await
            .unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(files_in(dir.path()), ["directory.sqlite"]);
    }

    /// During a write, the rollback journal that SQLite creates beside the
    /// file has the file's mode (a connection set up as the store's is).
    #[tokio::test]
    async fn the_journal_during_a_write_is_0600() {
        let (dir, path) = state_path();
        let store = SqliteStore::open(&path).await.unwrap();
        store.save(&rich_snapshot(day(1)), &[]).await.unwrap();

        let mut writer = Connection::open(&path).unwrap();
        configure(&writer).unwrap();
        let journal_mode: String = writer
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .unwrap();
        assert_eq!(journal_mode, "delete");
        let tx = writer.transaction().unwrap();
        tx.execute("DELETE FROM users", []).unwrap();
        let journal = dir.path().join("directory.sqlite-journal");
        assert!(journal.exists(), "files: {:?}", files_in(dir.path()));
        for name in files_in(dir.path()) {
            assert_eq!(mode(&dir.path().join(&name)), 0o600, "{name}");
        }
        drop(tx); // rolled back
        assert!(!journal.exists());
        assert_eq!(store.load().await.unwrap().unwrap().users.len(), 3);
    }

    /// A file another tool left in WAL mode goes back to the rollback
    /// journal: no `-wal` or `-shm` stays beside it.
    #[tokio::test]
    async fn a_file_left_in_wal_mode_goes_back_to_the_rollback_journal() {
        let (dir, path) = state_path();
        drop(SqliteStore::open(&path).await.unwrap());
        let other: String = Connection::open(&path)
            .unwrap()
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .unwrap();
        assert_eq!(other, "wal");

        let store = SqliteStore::open(&path).await.unwrap();
        store
            .save(&rich_snapshot(day(1)), &events(day(1)))
            .await
            .unwrap();
        assert_eq!(files_in(dir.path()), ["directory.sqlite"]);
        assert_eq!(mode(&path), 0o600);
    }

    #[tokio::test]
    async fn an_existing_file_open_to_others_is_narrowed_to_0600() {
        let (_dir, path) = state_path();
        drop(SqliteStore::open(&path).await.unwrap());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        SqliteStore::open(&path).await.unwrap();
        assert_eq!(mode(&path), 0o600);
    }
}

/// The detail and remedy of an `Unreadable` error (panics on another).
fn unreadable(result: Result<impl std::fmt::Debug, StoreError>) -> (String, String) {
    match result {
        Err(StoreError::Unreadable { detail, remedy, .. }) => (detail, remedy),
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let (_dir, path) = state_path();
    let text = "id,email\n1,ada@example.com\n".repeat(40);
    std::fs::write(&path, &text).unwrap();
    let (detail, remedy) = unreadable(SqliteStore::open(&path).await);
    assert!(detail.contains("not a SQLite database"), "{detail}");
    assert!(remedy.contains("fresh baseline"), "{remedy}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[tokio::test]
async fn an_unknown_schema_version_is_refused_and_left_alone() {
    let (_dir, path) = state_path();
    drop(SqliteStore::open(&path).await.unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 7).unwrap();

    let (detail, remedy) = unreadable(SqliteStore::open(&path).await);
    assert!(detail.contains("version is 7"), "{detail}");
    assert!(remedy.contains("hibob version that wrote it"), "{remedy}");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, 7);
}

#[tokio::test]
async fn another_sqlite_database_is_refused_and_left_alone() {
    let (_dir, path) = state_path();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY);")
        .unwrap();
    let (detail, remedy) = unreadable(SqliteStore::open(&path).await);
    assert!(detail.contains("not a directory state file"), "{detail}");
    assert!(detail.contains("invoices"), "{detail}");
    assert!(remedy.contains("check the path"), "{remedy}");
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
        .unwrap();
    assert_eq!(tables, 1);
}

/// Damaged rows are named, with where the JSON is wrong but never the
/// stored values (personal data).
#[tokio::test]
async fn a_damaged_user_row_is_unreadable_and_named() {
    let (_dir, path) = state_path();
    let store = SqliteStore::open(&path).await.unwrap();
    store.save(&rich_snapshot(day(1)), &[]).await.unwrap();
    let conn = Connection::open(&path).unwrap();
    // A whole row but for the e-mail address, now in an array.
    conn.execute(
        "UPDATE users SET json = json_set(json, '$.email', json('[\"ada@example.com\"]')) WHERE id = '2'",
        [],
    )
    .unwrap();

    let (detail, remedy) = unreadable(store.load().await);
    assert!(detail.contains("user 2"), "{detail}");
    assert!(detail.contains("`email`"), "{detail}");
    assert!(!detail.contains("ada@"), "no stored value in: {detail}");
    assert!(remedy.contains("fresh baseline"), "{remedy}");

    conn.execute("UPDATE users SET json = '{\"id\": ' WHERE id = '2'", [])
        .unwrap();
    let (detail, _) = unreadable(store.load().await);
    assert!(detail.contains("user 2 is cut short"), "{detail}");
    let trailing =
        "UPDATE users SET json = (SELECT json FROM users WHERE id = '1') || ' x' WHERE id = '2'";
    conn.execute(trailing, []).unwrap();
    let (detail, _) = unreadable(store.load().await);
    assert!(detail.contains("user 2 is not valid JSON"), "{detail}");
}

#[tokio::test]
async fn a_damaged_batch_or_group_or_time_is_unreadable_and_named() {
    let (_dir, path) = state_path();
    let store = SqliteStore::open(&path).await.unwrap();
    let id = store
        .save(&rich_snapshot(day(1)), &events(day(1)))
        .await
        .unwrap()
        .unwrap();
    let conn = Connection::open(&path).unwrap();

    conn.execute("UPDATE batches SET events = '[{\"type\": 5}]'", [])
        .unwrap();
    let (detail, _) = unreadable(store.batches_after(None).await);
    assert!(detail.contains(&format!("batch {id}")), "{detail}");

    conn.execute("UPDATE groups SET json = 'null' WHERE id = 'd1'", [])
        .unwrap();
    let (detail, _) = unreadable(store.load().await);
    assert!(detail.contains("group work.department d1"), "{detail}");

    conn.execute("UPDATE meta SET at = 'yesterday'", [])
        .unwrap();
    let (detail, _) = unreadable(store.load().await);
    assert!(detail.contains("snapshot time"), "{detail}");
}

#[tokio::test]
async fn a_missing_directory_is_an_io_error_naming_the_path() {
    let (_dir, path) = state_path();
    let path = path.join("nope").join("state.sqlite");
    let error = SqliteStore::open(&path).await.unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::Io {
                action: "created",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("state.sqlite"), "{error}");
}
