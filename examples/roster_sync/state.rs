//! `--state PATH`: the last roster kept in SQLite, and joiners, movers and
//! leavers since then.
//!
//! - The first run (no previous roster in the file) is a baseline: everyone
//!   is recorded, nobody is reported as a joiner.
//! - Joiner: an employee not in the previous roster (a future hire counts, on
//!   the day HiBob first shows them), or a former employee who is back.
//! - Leaver: an employee who disappeared, or whose lifecycle status became
//!   `terminated` (or whose status became `Inactive` for any reason other than
//!   being a future hire).
//! - Mover: anyone else whose HR-meaningful columns changed; see [`COMPARED`].
//!   Label columns (title, department, site, list extras) compare the list
//!   item ID kept beside the label, so renaming an item in Bob moves nobody.
//!   Not compared: `display_name` (derived from the names), `manager_email`
//!   (changes when the *manager* changes their address, not an event of this
//!   employee), `internal_status` (derived from the lifecycle status).
//!   Extra `--field` columns are compared when both runs had them.
//!
//! The file is rewritten in one transaction, and only after a successful run;
//! a first run that fails creates no file. It is created owner-only (0600).
//! Columns withheld by permissions keep their previous values (see
//! [`snapshot`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::rows::Row;
use super::sync::{COLUMNS, Report, id_order};

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

/// Columns stored per employee (standard and extra), by column name.
pub type Columns = BTreeMap<String, Option<String>>;

/// A roster by employee ID.
pub type Snapshot = BTreeMap<String, Columns>;

/// The columns of every row of a report. A column withheld this run (its
/// fields came back for nobody) keeps its value from `previous`: a permission
/// taken away is not an HR event, and must not turn everyone into a mover now
/// and again when it is granted back.
pub fn snapshot(report: &Report, previous: Option<&Snapshot>) -> Snapshot {
    report
        .rows
        .iter()
        .map(|row| {
            let mut now = columns(report, row);
            if let Some(before) = previous.and_then(|p| p.get(&row.id)) {
                for column in &report.withheld_columns {
                    for key in [column.clone(), item_key(column)] {
                        match before.get(&key) {
                            Some(value) => now.insert(key, value.clone()),
                            None => now.remove(&key),
                        };
                    }
                }
            }
            (row.id.clone(), now)
        })
        .collect()
}

/// Prefix of the keys that hold a label column's raw value (item ID).
const ITEM: &str = "#";

fn item_key(column: &str) -> String {
    format!("{ITEM}{column}")
}

fn columns(report: &Report, row: &Row) -> Columns {
    let standard = COLUMNS
        .iter()
        .zip(row.standard())
        .map(|(c, v)| ((*c).to_owned(), v.map(str::to_owned)));
    let extras = report
        .extra_columns
        .iter()
        .zip(&row.extras)
        .map(|(c, v)| (c.clone(), v.clone()));
    let items = row
        .items
        .iter()
        .map(|(c, id)| (item_key(c), Some(id.clone())));
    standard.chain(extras).chain(items).collect()
}

/// The state database.
pub struct State {
    conn: Connection,
}

fn db(error: rusqlite::Error) -> String {
    error.to_string()
}

impl State {
    /// Opens an existing database; `None` when there is none yet. Checks that
    /// a new one could be created there (so a bad path fails before any
    /// request) without creating it: a failed first run leaves no file.
    pub fn open_existing(path: &Path) -> Result<Option<Self>, String> {
        if !path.exists() {
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            tempfile::tempfile_in(dir)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            return Ok(None);
        }
        Self::open(path).map(Some)
    }

    /// Opens (or creates, owner-only: it holds names and e-mail addresses)
    /// the database.
    pub fn open(path: &Path) -> Result<Self, String> {
        create_owner_only(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let conn = Connection::open(path).map_err(db)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS employee (id TEXT PRIMARY KEY, columns TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )
        .map_err(db)?;
        Ok(Self { conn })
    }

    /// The roster of the last successful run; `None` before the first one.
    pub fn load(&self) -> Result<Option<Snapshot>, String> {
        let last: Option<String> = self
            .conn
            .query_row("SELECT value FROM run WHERE key = 'last_run'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db)?;
        if last.is_none() {
            return Ok(None);
        }
        let mut statement = self
            .conn
            .prepare("SELECT id, columns FROM employee")
            .map_err(db)?;
        let rows = statement
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(db)?;
        let mut snapshot = Snapshot::new();
        for row in rows {
            let (id, json) = row.map_err(db)?;
            let columns: Columns = serde_json::from_str(&json)
                .map_err(|e| format!("employee {id} has unreadable columns: {e}"))?;
            snapshot.insert(id, columns);
        }
        Ok(Some(snapshot))
    }

    /// Replaces the stored roster, in one transaction.
    pub fn save(&mut self, snapshot: &Snapshot) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(db)?;
        tx.execute("DELETE FROM employee", []).map_err(db)?;
        {
            let mut insert = tx
                .prepare("INSERT INTO employee (id, columns) VALUES (?1, ?2)")
                .map_err(db)?;
            for (id, columns) in snapshot {
                let json = serde_json::to_string(columns).map_err(|e| e.to_string())?;
                insert.execute(params![id, json]).map_err(db)?;
            }
        }
        let now = chrono::Utc::now().to_rfc3339();
        tx.execute(
            "INSERT OR REPLACE INTO run (key, value) VALUES ('last_run', ?1)",
            params![now],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }
}

/// Creates `path` with mode 0600 (on Unix) unless it exists.
fn create_owner_only(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
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
    fn of(id: &str, columns: &Columns) -> Self {
        let get = |c: &str| columns.get(c).cloned().flatten();
        Self {
            id: id.to_owned(),
            name: get("display_name"),
            email: get("email"),
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
    /// The lifecycle status became `terminated` (or the status `Inactive`).
    Terminated,
    /// No longer returned by HiBob (left the audience or deleted, or
    /// terminated with `--active-only`).
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

/// Gone for HR purposes: terminated, or inactive other than as a future hire.
fn departed(columns: &Columns) -> bool {
    let get = |c: &str| columns.get(c).and_then(|v| v.as_deref());
    get("status") == Some("terminated")
        || (get("internal_status") == Some("Inactive") && get("status") != Some("hired"))
}

/// Compares two rosters.
pub fn diff(previous: Option<&Snapshot>, current: &Snapshot) -> Changes {
    let Some(previous) = previous else {
        return Changes {
            baseline: Some(current.len()),
            ..Changes::default()
        };
    };
    let mut changes = Changes::default();
    for (id, now) in current {
        let Some(before) = previous.get(id) else {
            if !departed(now) {
                changes.joiners.push(Person::of(id, now));
            }
            continue;
        };
        match (departed(before), departed(now)) {
            (false, true) => changes
                .leavers
                .push((Person::of(id, now), LeaveKind::Terminated)),
            (true, false) => changes.joiners.push(Person::of(id, now)),
            _ => {
                let moved = compare(before, now);
                if !moved.is_empty() {
                    changes.movers.push((Person::of(id, now), moved));
                }
            }
        }
    }
    for (id, before) in previous {
        if !current.contains_key(id) && !departed(before) {
            changes
                .leavers
                .push((Person::of(id, before), LeaveKind::Disappeared));
        }
    }
    changes.joiners.sort_by(|a, b| id_order(&a.id, &b.id));
    changes.movers.sort_by(|a, b| id_order(&a.0.id, &b.0.id));
    changes.leavers.sort_by(|a, b| id_order(&a.0.id, &b.0.id));
    changes
}

fn compare(before: &Columns, now: &Columns) -> Vec<Change> {
    let standard = COLUMNS.iter().map(|c| (*c).to_owned());
    let extras = now
        .keys()
        .filter(|c| !COLUMNS.contains(&c.as_str()) && !c.starts_with(ITEM))
        .cloned();
    standard
        .filter(|c| COMPARED.contains(&c.as_str()))
        .chain(extras)
        .filter_map(|column| {
            let (old, new) = (before.get(&column)?, now.get(&column)?);
            // Where both runs know the item ID, it decides: a renamed item
            // is not a move (older state files have labels only).
            let moved = match (before.get(&item_key(&column)), now.get(&item_key(&column))) {
                (Some(old_item), Some(new_item)) => old_item != new_item,
                _ => old != new,
            };
            moved.then(|| Change {
                column,
                old: old.clone(),
                new: new.clone(),
            })
        })
        .collect()
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
