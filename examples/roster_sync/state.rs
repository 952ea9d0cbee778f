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
//!   Not compared: `display_name` (derived from the names), `manager_email`
//!   (changes when the *manager* changes their address, not an event of this
//!   employee), `internal_status` (derived from the lifecycle status).
//!   Extra `--field` columns are compared when both runs had them.
//!
//! The file is rewritten in one transaction, and only after a successful run.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::sync::{COLUMNS, Report, Row, id_order};

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

/// The columns of every row of a report.
pub fn snapshot(report: &Report) -> Snapshot {
    report
        .rows
        .iter()
        .map(|row| (row.id.clone(), columns(report, row)))
        .collect()
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
    standard.chain(extras).collect()
}

/// The state database.
pub struct State {
    conn: Connection,
}

fn db(error: rusqlite::Error) -> String {
    error.to_string()
}

impl State {
    /// Opens (or creates) the database.
    pub fn open(path: &Path) -> Result<Self, String> {
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
        .filter(|c| !COLUMNS.contains(&c.as_str()))
        .cloned();
    standard
        .filter(|c| COMPARED.contains(&c.as_str()))
        .chain(extras)
        .filter_map(|column| {
            let (old, new) = (before.get(&column)?, now.get(&column)?);
            (old != new).then(|| Change {
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
