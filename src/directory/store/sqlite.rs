//! The SQLite store (feature `directory-sqlite`): the snapshot and the kept
//! event batches in one owner-only file, each save one transaction.

mod migrate;
mod schema;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, ErrorCode};

use super::{Batch, BatchId, DEFAULT_KEPT_BATCHES, Store, StoreError};
use crate::directory::{Event, Snapshot};

/// A [`Store`] in a SQLite file: the last snapshot (one row per user and
/// per group) and the last N event batches.
///
/// - **Atomic:** a save replaces the snapshot, appends the batch and drops
///   the batches beyond the kept number in one transaction; a failed or
///   interrupted save leaves the previous state as it was.
/// - **Owner-only:** the file holds names and e-mail addresses. It is
///   created with mode 0600 (an existing file is narrowed to 0600), and
///   the store uses SQLite's rollback journal (`journal_mode=DELETE`),
///   whose `-journal` file SQLite creates with the database's own mode and
///   deletes at each commit: no side file outlives a save.
/// - **Non-blocking:** every database call runs on Tokio's blocking pool
///   (so a Tokio runtime is needed); clones share one connection. A save
///   whose future is dropped still commits or rolls back as a whole.
/// - **Versioned:** `PRAGMA user_version` holds the schema version. A file
///   from a newer hibob, or one that is not a state file, is refused with
///   [`StoreError::Unreadable`] and left untouched. A state file of
///   `roster_sync` 0.1 is migrated on first open (see [`open`](Self::open)).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hibob::directory::{SqliteStore, Snapshot, Store};
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("directory.sqlite");
/// let store = SqliteStore::open(&path).await?.keep_batches(30);
/// assert!(store.load().await?.is_none(), "a new file has no snapshot");
/// assert_eq!(store.save(&Snapshot::default(), &[]).await?, None, "no batch for no events");
///
/// let reopened = SqliteStore::open(&path).await?;
/// assert!(reopened.load().await?.is_some());
/// assert!(reopened.batches_after(None).await?.is_empty());
/// # #[cfg(unix)] {
/// use std::os::unix::fs::PermissionsExt;
/// assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
/// # }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SqliteStore {
    shared: Arc<Shared>,
    keep: usize,
}

struct Shared {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.shared.path)
            .field("keep_batches", &self.keep)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the state file at `path`, creating it (mode 0600) if needed,
    /// and keeps the last [`DEFAULT_KEPT_BATCHES`] batches.
    ///
    /// A state file written by `roster_sync` 0.1 (tables `employee` and
    /// `run`) is migrated in one transaction: each employee becomes a
    /// [`User`](crate::directory::User), the `work.department` and
    /// `work.site` groups are rebuilt from them, the snapshot time is the
    /// 0.1 run's, there are no batches, and the 0.1 tables are dropped.
    /// Extra columns keep their values when the column is named by its
    /// field ID (the 0.1 default); a renamed one (`--field ID=NAME`) cannot
    /// be tied back to its field and is left out.
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] when the file cannot be created or opened;
    /// [`StoreError::Unreadable`] when it is not a SQLite database, is not a
    /// directory state file, has a schema version this hibob does not know,
    /// or is a 0.1 file that cannot be migrated. Nothing is changed then.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let opening = path.clone();
        let conn = tokio::task::spawn_blocking(move || open_blocking(&opening))
            .await
            .map_err(|e| io_error(&path, "opened", e))??;
        Ok(Self {
            shared: Arc::new(Shared {
                path,
                conn: Mutex::new(conn),
            }),
            keep: DEFAULT_KEPT_BATCHES,
        })
    }

    /// Keeps the last `batches` event batches (at least one); older ones
    /// are dropped by the next save that records a batch.
    #[must_use]
    pub fn keep_batches(mut self, batches: usize) -> Self {
        self.keep = batches.max(1);
        self
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// Runs `work` on the connection on the blocking pool.
    async fn blocking<T, F>(&self, action: &'static str, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &Path) -> Result<T, StoreError> + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        tokio::task::spawn_blocking(move || {
            // A panic mid-save cannot leave half a save: the transaction
            // rolls back when it is dropped, so the connection stays usable.
            let mut conn = shared.conn.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut conn, &shared.path)
        })
        .await
        .map_err(|e| io_error(&self.shared.path, action, e))?
    }
}

impl Store for SqliteStore {
    async fn load(&self) -> Result<Option<Snapshot>, StoreError> {
        self.blocking("read", schema::load).await
    }

    async fn save(
        &self,
        snapshot: &Snapshot,
        events: &[Event],
    ) -> Result<Option<BatchId>, StoreError> {
        // Owned copies for the blocking pool; encoding them happens there.
        let parts = schema::Parts {
            users: snapshot.users.values().cloned().collect(),
            groups: snapshot.groups.values().cloned().collect(),
            at: snapshot.at,
            withheld: snapshot.withheld.clone(),
        };
        let events = events.to_vec();
        let keep = self.keep;
        self.blocking("saved", move |conn, path| {
            schema::save(conn, path, &parts, &events, keep)
        })
        .await
    }

    async fn batches_after(&self, after: Option<BatchId>) -> Result<Vec<Batch>, StoreError> {
        let kept = self
            .blocking("read", move |conn, path| schema::batches(conn, path, after))
            .await?;
        super::batches_after(&kept, after)
    }
}

/// Creates the file owner-only, opens it, and brings its schema to the
/// current version (creating or migrating it).
fn open_blocking(path: &Path) -> Result<Connection, StoreError> {
    create_owner_only(path).map_err(|e| io_error(path, "created", e))?;
    narrow_to_owner(path).map_err(|e| io_error(path, "made owner-only", e))?;
    let mut conn = Connection::open(path).map_err(sqlite_error(path, "opened"))?;
    schema::prepare(&mut conn, path)?;
    Ok(conn)
}

/// Creates `path` with mode 0600 unless it exists: SQLite gives its
/// journal the database file's mode, so the main file's mode is what keeps
/// every file owner-only.
fn create_owner_only(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    }
}

/// Takes group and other permissions off an existing file (one copied in,
/// or made by another tool).
#[cfg(unix)]
fn narrow_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))
}

#[cfg(not(unix))]
fn narrow_to_owner(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

pub(super) fn io_error(
    path: &Path,
    action: &'static str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        action,
        source: Box::new(source),
    }
}

/// What to do with a file that cannot be used as it is.
const FRESH_BASELINE: &str = "move the file away (or delete it) and sync again to start from a fresh baseline: the first sync records everyone without events";

pub(super) fn unreadable(path: &Path, detail: impl Into<String>, remedy: &str) -> StoreError {
    StoreError::Unreadable {
        path: path.to_path_buf(),
        detail: detail.into(),
        remedy: remedy.to_owned(),
    }
}

/// Maps a SQLite error: a file that is not a database (or is damaged) is
/// unreadable, anything else an I/O failure of `action`.
pub(super) fn sqlite_error<'a>(
    path: &'a Path,
    action: &'static str,
) -> impl Fn(rusqlite::Error) -> StoreError + 'a {
    move |error| match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => unreadable(
            path,
            "it is not a SQLite database",
            "check the path; if the file is not needed, move it away (or delete it) and sync again to start from a fresh baseline",
        ),
        Some(ErrorCode::DatabaseCorrupt) => {
            unreadable(path, "the SQLite database is damaged", FRESH_BASELINE)
        }
        _ => io_error(path, action, error),
    }
}

/// The remedy for a file that holds rows this version cannot decode.
pub(super) fn fresh_baseline() -> &'static str {
    FRESH_BASELINE
}

#[cfg(test)]
pub(super) use schema::configure;
