//! The store's schema (`PRAGMA user_version` 1) and its rows:
//!
//! - `users (id TEXT PRIMARY KEY, json TEXT)`: one [`User`] per row;
//! - `groups (field TEXT, id TEXT, json TEXT)`: one [`Group`] per row;
//! - `meta`: one row, the snapshot's `at` (RFC 3339) and `withheld` (a
//!   JSON array); no row before the first save;
//! - `batches (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT, events
//!   TEXT)`: the kept batches. `AUTOINCREMENT` so an ID is never handed
//!   out twice, even if every batch were deleted.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::{fresh_baseline, io_error, migrate, sqlite_error, unreadable};
use crate::directory::store::{Batch, BatchId, StoreError};
use crate::directory::{Event, Group, Snapshot, User};

/// The schema version this code reads and writes.
pub(super) const VERSION: i64 = 1;

const CREATE: &str = "
    CREATE TABLE users (id TEXT PRIMARY KEY, json TEXT NOT NULL);
    CREATE TABLE groups (field TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,
                         PRIMARY KEY (field, id));
    CREATE TABLE meta (singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                       at TEXT NOT NULL, withheld TEXT NOT NULL);
    CREATE TABLE batches (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
                          events TEXT NOT NULL);";

/// A snapshot's stored parts, owned so they can move to the blocking pool
/// (the manager tree and findings are rebuilt on load).
pub(in crate::directory::store) struct Parts {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub at: DateTime<Utc>,
    pub withheld: BTreeSet<String>,
}

/// The connection settings of every store connection.
///
/// The rollback journal (`DELETE`), not WAL: SQLite creates `-journal`
/// with the database file's mode (0600) and deletes it at each commit, so
/// no side file with personal data outlives a save (WAL keeps `-wal` and
/// `-shm` for as long as a connection is open). One writer per sync needs
/// none of WAL's concurrency. `synchronous=FULL` makes a commit durable.
pub(in crate::directory::store) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // Answers the mode in force; a file another process holds in WAL mode
    // stays WAL, whose side files SQLite also creates with the main mode.
    conn.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Two syncs on one file wait for each other rather than fail at once.
    conn.busy_timeout(Duration::from_secs(10))
}

/// Brings a newly opened file to [`VERSION`]: creates the schema in an
/// empty file, migrates a `roster_sync` 0.1 file, refuses anything else.
pub(super) fn prepare(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let db = sqlite_error(path, "opened");
    configure(conn).map_err(&db)?;
    if version(conn).map_err(&db)? == VERSION {
        return Ok(());
    }
    // Decided under the write lock: another process may be creating it.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&db)?;
    match version(&tx).map_err(&db)? {
        VERSION => return Ok(()),
        0 => {}
        other => return Err(newer(path, other)),
    }
    let tables = table_names(&tx).map_err(&db)?;
    if tables.is_empty() {
        create(&tx).map_err(&db)?;
    } else if migrate::is_roster_sync_0_1(&tables) {
        migrate::from_roster_sync_0_1(&tx, path)?;
    } else {
        return Err(unreadable(
            path,
            format!(
                "it is a SQLite database but not a directory state file (tables: {})",
                tables.join(", ")
            ),
            "check the path; the file was left as it was",
        ));
    }
    tx.commit().map_err(&db)
}

fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn newer(path: &Path, version: i64) -> StoreError {
    unreadable(
        path,
        format!("its schema version is {version}, and this hibob knows only version {VERSION}"),
        "open it with the hibob version that wrote it (or a newer one), or move the file away and sync again to start from a fresh baseline",
    )
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    statement.query_map([], |row| row.get(0))?.collect()
}

/// Creates the current schema (inside the caller's transaction, so the
/// version is set together with the tables).
pub(super) fn create(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(CREATE)?;
    tx.pragma_update(None, "user_version", VERSION)
}

/// The stored snapshot, `None` before the first save.
pub(super) fn load(conn: &mut Connection, path: &Path) -> Result<Option<Snapshot>, StoreError> {
    let db = sqlite_error(path, "read");
    // One read transaction: users, groups and meta of the same save.
    let tx = conn.transaction().map_err(&db)?;
    let meta: Option<(String, String)> = tx
        .query_row("SELECT at, withheld FROM meta", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(&db)?;
    let Some((at, withheld)) = meta else {
        return Ok(None);
    };
    let at = time(&at, path, "the snapshot time")?;
    let withheld = decode(&withheld, path, || "the withheld attributes".to_owned())?;
    let users: Vec<User> = rows(&tx, "SELECT id, json FROM users", path, |id| {
        format!("user {id}")
    })?;
    let groups: Vec<Group> = rows(
        &tx,
        "SELECT field || ' ' || id, json FROM groups",
        path,
        |key| format!("group {key}"),
    )?;
    Ok(Some(Snapshot::from_parts(users, groups, at, withheld)))
}

/// Decodes the JSON in the second column of each row of `sql`; a row that
/// does not decode is named by `name(first column)`.
fn rows<T: DeserializeOwned>(
    tx: &Transaction<'_>,
    sql: &str,
    path: &Path,
    name: impl Fn(&str) -> String,
) -> Result<Vec<T>, StoreError> {
    let db = sqlite_error(path, "read");
    let mut statement = tx.prepare(sql).map_err(&db)?;
    let mut rows = statement.query([]).map_err(&db)?;
    let mut decoded = Vec::new();
    while let Some(row) = rows.next().map_err(&db)? {
        let key: String = row.get(0).map_err(&db)?;
        let json: String = row.get(1).map_err(&db)?;
        decoded.push(decode(&json, path, || name(&key))?);
    }
    Ok(decoded)
}

/// Replaces the snapshot and appends the batch (none for no events), then
/// drops the batches beyond `keep`: one transaction.
pub(super) fn save(
    conn: &mut Connection,
    path: &Path,
    parts: &Parts,
    events: &[Event],
    keep: usize,
) -> Result<Option<BatchId>, StoreError> {
    let db = sqlite_error(path, "saved");
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&db)?;
    write_snapshot(&tx, path, parts)?;
    let id = if events.is_empty() {
        None
    } else {
        Some(append_batch(&tx, path, parts.at, events, keep)?)
    };
    tx.commit().map_err(&db)?;
    Ok(id)
}

/// Replaces the stored snapshot with `parts`.
pub(super) fn write_snapshot(
    tx: &Transaction<'_>,
    path: &Path,
    parts: &Parts,
) -> Result<(), StoreError> {
    let db = sqlite_error(path, "saved");
    tx.execute_batch("DELETE FROM users; DELETE FROM groups;")
        .map_err(&db)?;
    let mut insert = tx
        .prepare("INSERT INTO users (id, json) VALUES (?1, ?2)")
        .map_err(&db)?;
    for user in &parts.users {
        let json = encode(user, path)?;
        insert
            .execute(params![user.id.as_str(), json])
            .map_err(&db)?;
    }
    let mut insert = tx
        .prepare("INSERT INTO groups (field, id, json) VALUES (?1, ?2, ?3)")
        .map_err(&db)?;
    for group in &parts.groups {
        let json = encode(group, path)?;
        let key = &group.key;
        insert
            .execute(params![key.field.as_str(), key.id, json])
            .map_err(&db)?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (singleton, at, withheld) VALUES (1, ?1, ?2)",
        params![rfc3339(parts.at), encode(&parts.withheld, path)?],
    )
    .map_err(&db)?;
    Ok(())
}

fn append_batch(
    tx: &Transaction<'_>,
    path: &Path,
    at: DateTime<Utc>,
    events: &[Event],
    keep: usize,
) -> Result<BatchId, StoreError> {
    let db = sqlite_error(path, "saved");
    tx.execute(
        "INSERT INTO batches (at, events) VALUES (?1, ?2)",
        params![rfc3339(at), encode(&events, path)?],
    )
    .map_err(&db)?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "DELETE FROM batches WHERE id NOT IN (SELECT id FROM batches ORDER BY id DESC LIMIT ?1)",
        params![i64::try_from(keep).unwrap_or(i64::MAX)],
    )
    .map_err(&db)?;
    Ok(BatchId(id.unsigned_abs()))
}

/// The kept batches after `after`, oldest first, and the oldest kept one
/// in any case: the shared rule needs it to tell whether some the consumer
/// missed were dropped.
pub(super) fn batches(
    conn: &mut Connection,
    path: &Path,
    after: Option<BatchId>,
) -> Result<Vec<Batch>, StoreError> {
    let db = sqlite_error(path, "read");
    let after = after.map_or(-1, |a| i64::try_from(a.0).unwrap_or(i64::MAX));
    let mut statement = conn
        .prepare(
            "SELECT id, at, events FROM batches
             WHERE id > ?1 OR id = (SELECT MIN(id) FROM batches) ORDER BY id",
        )
        .map_err(&db)?;
    let mut rows = statement.query(params![after]).map_err(&db)?;
    let mut batches = Vec::new();
    while let Some(row) = rows.next().map_err(&db)? {
        let id: i64 = row.get(0).map_err(&db)?;
        let at: String = row.get(1).map_err(&db)?;
        let events: String = row.get(2).map_err(&db)?;
        let name = || format!("batch {id}");
        batches.push(Batch {
            id: BatchId(id.unsigned_abs()),
            at: time(&at, path, &name())?,
            events: decode(&events, path, name)?,
        });
    }
    Ok(batches)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn time(text: &str, path: &Path, what: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            unreadable(
                path,
                format!("{what} is not an RFC 3339 time"),
                fresh_baseline(),
            )
        })
}

fn encode<T: Serialize + ?Sized>(value: &T, path: &Path) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| io_error(path, "saved", e))
}

/// Decodes a stored row. The error names the row, the JSON path and the
/// kind of problem, never the stored values (they are personal data).
fn decode<T: DeserializeOwned>(
    json: &str,
    path: &Path,
    what: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|value| match deserializer.end() {
            Ok(()) => Ok(value),
            Err(e) => Err((".".to_owned(), e)),
        });
    value.map_err(|(at, error)| {
        let problem = match error.classify() {
            Category::Syntax => "is not valid JSON",
            Category::Eof => "is cut short",
            Category::Data => "does not have the stored format",
            Category::Io => "could not be read",
        };
        unreadable(
            path,
            format!(
                "{} {problem} (at `{at}`, line {}, column {})",
                what(),
                error.line(),
                error.column()
            ),
            fresh_baseline(),
        )
    })
}
