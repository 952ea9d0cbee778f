//! `--state PATH`: the directory store in a SQLite file
//! (`hibob::directory::SqliteStore`, which migrates a `roster_sync` 0.1
//! state file on first open), and the joiners, movers and leavers since the
//! previous run, read off the run's events.
//!
//! - The first run (no snapshot in the file) is a baseline: everyone is
//!   recorded and nobody is reported as a joiner. Its events are still
//!   all `user.created` (the directory's rule), in `--events` too.
//! - Joiner: `user.created` (a future hire counts, on the day HiBob first
//!   shows them; someone first seen already gone does not), or
//!   `user.reactivated` (a former employee who is back).
//! - Leaver: `user.deactivated` (terminated, or Inactive other than as a
//!   future hire) or `user.removed` (no longer returned: left the audience,
//!   deleted, or terminated with `--active-only`).
//! - Mover: anyone else with a `user.manager_changed`, or a `user.updated`
//!   on a compared column ([`COMPARED`] and the `--field` extras). List
//!   values compare by item ID (the directory's rule), so renaming an item
//!   in Bob moves nobody. Not compared, as in 0.1: `display_name`,
//!   `manager_email`, `internal_status`.
//!
//! The file is created by the first run that gets as far as saving (a
//! failed first run leaves none), owner-only, and saved in one transaction
//! after the output was written. Columns withheld by permissions keep their
//! previous values and produce no event (the directory's rule).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use hibob::EmployeeId;
use hibob::directory::{
    Batch, BatchId, Event, EventKind, Snapshot, SqliteStore, Store, StoreError, User,
};
use serde_json::Value;
use tokio::sync::OnceCell;

use super::rows::column_of;
use super::sync::{COLUMNS, ExtraField, SyncError, id_order};

/// Standard columns compared between runs.
pub const COMPARED: [&str; 11] = [
    "employee_id_in_company",
    "email",
    "first_name",
    "last_name",
    "title",
    "department",
    "site",
    "manager_id",
    "status",
    "start_date",
    "termination_date",
];

/// The `--state` file as a directory [`Store`]: opened (and migrated) at
/// once when it exists, created only by the first save.
pub struct StateFile {
    path: PathBuf,
    store: OnceCell<SqliteStore>,
    /// Who was in the loaded snapshot (`None`: no snapshot, a first run).
    previous: Mutex<Option<HashMap<EmployeeId, Person>>>,
}

impl StateFile {
    /// Opens an existing state file, or checks that one could be created
    /// at `path` (so a bad path fails before any request) without creating
    /// it.
    pub async fn open(path: &Path) -> Result<Self, SyncError> {
        let store = if path.exists() {
            let opened = SqliteStore::open(path).await;
            Some(opened.map_err(|e| SyncError::State(e.to_string()))?)
        } else {
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            tempfile::tempfile_in(dir)
                .map_err(|e| SyncError::State(format!("cannot create {}: {e}", path.display())))?;
            None
        };
        Ok(Self {
            path: path.to_path_buf(),
            store: OnceCell::new_with(store),
            previous: Mutex::new(None),
        })
    }

    /// Who the loaded snapshot held; `None` when there was none.
    fn previous(&self) -> std::sync::MutexGuard<'_, Option<HashMap<EmployeeId, Person>>> {
        self.previous.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for StateFile {
    async fn load(&self) -> Result<Option<Snapshot>, StoreError> {
        let snapshot = match self.store.get() {
            Some(store) => store.load().await?,
            None => None,
        };
        *self.previous() = snapshot.as_ref().map(|s| {
            let people = s.users.values().map(|u| (u.id.clone(), Person::of(u)));
            people.collect()
        });
        Ok(snapshot)
    }

    async fn save(
        &self,
        snapshot: &Snapshot,
        events: &[Event],
    ) -> Result<Option<BatchId>, StoreError> {
        let store = self
            .store
            .get_or_try_init(|| SqliteStore::open(&self.path))
            .await?;
        store.save(snapshot, events).await
    }

    async fn batches_after(&self, after: Option<BatchId>) -> Result<Vec<Batch>, StoreError> {
        match self.store.get() {
            Some(store) => store.batches_after(after).await,
            None => Ok(Vec::new()),
        }
    }
}

/// No `--state`: a store that holds nothing, so every run is a first run
/// and its save costs nothing (a `MemoryStore` would copy the snapshot only
/// to drop it at exit).
pub struct NoState;

impl Store for NoState {
    async fn load(&self) -> Result<Option<Snapshot>, StoreError> {
        Ok(None)
    }

    async fn save(&self, _: &Snapshot, _: &[Event]) -> Result<Option<BatchId>, StoreError> {
        Ok(None)
    }

    async fn batches_after(&self, _: Option<BatchId>) -> Result<Vec<Batch>, StoreError> {
        Ok(Vec::new())
    }
}

/// Someone in a change report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Person {
    fn of(user: &User) -> Self {
        Self {
            id: user.id.to_string(),
            name: user.display_name.clone(),
            email: user.email.clone(),
        }
    }
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name.as_deref().unwrap_or("(no name)"))?;
        if let Some(email) = &self.email {
            write!(f, " <{email}>")?;
        }
        write!(f, " [{}]", self.id)
    }
}

/// One changed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub column: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Why someone is a leaver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveKind {
    /// `user.deactivated`: the lifecycle status became `terminated` (or the
    /// status `Inactive`).
    Terminated,
    /// `user.removed`: no longer returned by HiBob (left the audience or
    /// deleted, or terminated with `--active-only`).
    Disappeared,
}

/// Joiners, movers and leavers since the previous run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `Some(n)`: first run, `n` employees recorded as the baseline.
    pub baseline: Option<usize>,
    pub joiners: Vec<Person>,
    pub movers: Vec<(Person, Vec<Change>)>,
    pub leavers: Vec<(Person, LeaveKind)>,
}

/// The changes the events of a run over `state` say, `current` being the
/// snapshot about to be saved.
pub fn changes(
    state: &StateFile,
    events: &[Event],
    current: &Snapshot,
    extras: &[ExtraField],
) -> Changes {
    let previous = state.previous();
    let Some(previous) = previous.as_ref() else {
        return Changes {
            baseline: Some(current.users.len()),
            ..Changes::default()
        };
    };
    let today = current.at.date_naive();
    let person = |id: &EmployeeId| match current.users.get(id) {
        Some(user) => Person::of(user),
        None => previous.get(id).cloned().unwrap_or_else(|| Person {
            id: id.to_string(),
            name: None,
            email: None,
        }),
    };
    let mut changes = Changes::default();
    let mut moved: BTreeMap<&EmployeeId, Vec<Change>> = BTreeMap::new();
    let mut arrived_or_left = HashSet::new();
    for event in events {
        match &event.kind {
            EventKind::UserCreated { user } if !user.is_deactivated(today) => {
                changes.joiners.push(Person::of(user));
            }
            EventKind::UserReactivated { user_id, .. } => changes.joiners.push(person(user_id)),
            EventKind::UserDeactivated { user_id, .. } => {
                changes
                    .leavers
                    .push((person(user_id), LeaveKind::Terminated));
            }
            EventKind::UserRemoved { user_id } => {
                changes
                    .leavers
                    .push((person(user_id), LeaveKind::Disappeared));
            }
            EventKind::UserUpdated { user_id, changes } => {
                let compared = changes.iter().filter_map(|(attribute, change)| {
                    let column = column_of(attribute, extras)?;
                    let extra = extras.iter().any(|e| e.column == column);
                    (extra || COMPARED.contains(&column)).then(|| Change {
                        column: column.to_owned(),
                        old: text(&change.old),
                        new: text(&change.new),
                    })
                });
                moved.entry(user_id).or_default().extend(compared);
            }
            EventKind::UserManagerChanged { user_id, old, new } => {
                moved.entry(user_id).or_default().push(Change {
                    column: "manager_id".to_owned(),
                    old: old.as_ref().map(ToString::to_string),
                    new: new.as_ref().map(ToString::to_string),
                });
            }
            _ => {}
        }
        if let EventKind::UserCreated { .. }
        | EventKind::UserReactivated { .. }
        | EventKind::UserDeactivated { .. }
        | EventKind::UserRemoved { .. } = &event.kind
        {
            arrived_or_left.extend(event.kind.user_id().cloned());
        }
    }
    for (id, mut columns) in moved {
        if columns.is_empty() || arrived_or_left.contains(id) {
            continue;
        }
        columns.sort_by_key(|c| column_order(&c.column, extras));
        changes.movers.push((person(id), columns));
    }
    changes.joiners.sort_by(|a, b| id_order(&a.id, &b.id));
    changes.movers.sort_by(|a, b| id_order(&a.0.id, &b.0.id));
    changes.leavers.sort_by(|a, b| id_order(&a.0.id, &b.0.id));
    changes
}

/// Standard columns in output order, then the extras in theirs.
fn column_order(column: &str, extras: &[ExtraField]) -> usize {
    let extra = extras.iter().position(|e| e.column == column);
    COLUMNS
        .iter()
        .position(|c| *c == column)
        .or_else(|| extra.map(|at| COLUMNS.len() + at))
        .unwrap_or(usize::MAX)
}

/// An event's value as the roster shows it: a list item's label, text as
/// is, `null` as nothing.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Object(item) => match item.get("label") {
            Some(Value::String(label)) => Some(label.clone()),
            _ => Some(value.to_string()),
        },
        other => Some(other.to_string()),
    }
}

fn show(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(empty)")
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.baseline {
            return writeln!(
                f,
                "first run: {n} employees recorded as the baseline (no joiners, movers or leavers are reported on a first run)"
            );
        }
        writeln!(
            f,
            "since the last run: {} joiner(s), {} mover(s), {} leaver(s)",
            self.joiners.len(),
            self.movers.len(),
            self.leavers.len()
        )?;
        for person in &self.joiners {
            writeln!(f, "  joiner: {person}")?;
        }
        for (person, moved) in &self.movers {
            writeln!(f, "  mover:  {person}")?;
            for change in moved {
                writeln!(
                    f,
                    "          {}: {} -> {}",
                    change.column,
                    show(&change.old),
                    show(&change.new)
                )?;
            }
        }
        for (person, kind) in &self.leavers {
            let why = match kind {
                LeaveKind::Terminated => "terminated",
                LeaveKind::Disappeared => "no longer returned by HiBob",
            };
            writeln!(f, "  leaver: {person} ({why})")?;
        }
        Ok(())
    }
}
