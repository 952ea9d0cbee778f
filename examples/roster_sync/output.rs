//! Rendering rows (and `--groups`, and `--events`) as CSV, JSON or JSON
//! Lines, and writing files atomically: every file goes to a temporary file
//! in its own directory and is renamed into place only once all of them
//! were written.
//!
//! With `--groups`, JSON is `{"employees": [rows], "groups": [groups]}`
//! instead of the bare array of rows; JSON Lines has one `{"group": …}`
//! line per group after the employee lines; CSV writes `<stem>.groups.csv`
//! (`field,id,name,parent,member_id`, one row per member, and one with an
//! empty `member_id` for a group nobody holds directly, such as the parent
//! of a hierarchical list). A group is `{"field", "id", "name", "parent",
//! "members"}`.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use hibob::directory::{Event, Group};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::history::{LEADING, TableLayout};
use super::rows::Row;
use super::sync::{COLUMNS, Report};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// RFC 4180 CSV, UTF-8, a header row.
    #[default]
    Csv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Rendered output: the roster and, for CSV, one file per history table
/// and the groups file.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The roster.
    pub main: Vec<u8>,
    /// `(table, bytes)` for `<stem>.<table>.csv` (`groups` included).
    pub tables: Vec<(String, Vec<u8>)>,
}

/// Renders a report. `neutralize` prefixes CSV cells that a spreadsheet would
/// read as a formula with `'`.
pub fn render(report: &Report, format: Format, neutralize: bool) -> io::Result<Rendered> {
    match format {
        Format::Csv => {
            let mut rendered = Rendered {
                main: roster_csv(report, neutralize)?,
                tables: Vec::new(),
            };
            for table in &report.history_tables {
                let bytes = history_csv(report, table, neutralize)?;
                rendered.tables.push((table.key.clone(), bytes));
            }
            if let Some(groups) = &report.groups {
                rendered
                    .tables
                    .push(("groups".to_owned(), groups_csv(groups, neutralize)?));
            }
            Ok(rendered)
        }
        Format::Json => {
            let rows: Vec<JsonRow<'_>> = report.rows.iter().map(|r| JsonRow(report, r)).collect();
            let mut main = match &report.groups {
                None => serde_json::to_vec_pretty(&rows)?,
                Some(groups) => {
                    let groups: Vec<JsonGroup<'_>> = groups.iter().map(JsonGroup).collect();
                    let whole = serde_json::json!({"employees": rows, "groups": groups});
                    serde_json::to_vec_pretty(&whole)?
                }
            };
            main.push(b'\n');
            Ok(Rendered {
                main,
                tables: Vec::new(),
            })
        }
        Format::Jsonl => {
            let mut main = Vec::new();
            for row in &report.rows {
                serde_json::to_writer(&mut main, &JsonRow(report, row))?;
                main.push(b'\n');
            }
            for group in report.groups.iter().flatten() {
                let line = serde_json::json!({ "group": JsonGroup(group) });
                serde_json::to_writer(&mut main, &line)?;
                main.push(b'\n');
            }
            Ok(Rendered {
                main,
                tables: Vec::new(),
            })
        }
    }
}

/// A row as a JSON object: the CSV columns in order, then the history tables.
struct JsonRow<'a>(&'a Report, &'a Row);

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let JsonRow(report, row) = self;
        let mut map = serializer.serialize_map(None)?;
        for (column, value) in COLUMNS.iter().zip(row.standard()) {
            map.serialize_entry(column, &value)?;
        }
        for (column, value) in report.extra_columns.iter().zip(&row.extras) {
            map.serialize_entry(column, value)?;
        }
        if let Some(history) = &row.history {
            for table in &report.history_tables {
                map.serialize_entry(&table.key, history.table(&table.key))?;
            }
        }
        map.end()
    }
}

/// A group as a JSON object: `field`, `id`, `name`, `parent`, `members`.
struct JsonGroup<'a>(&'a Group);

impl Serialize for JsonGroup<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let group = self.0;
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("field", &group.key.field)?;
        map.serialize_entry("id", &group.key.id)?;
        map.serialize_entry("name", &group.name)?;
        map.serialize_entry("parent", &group.parent)?;
        map.serialize_entry("members", &group.members)?;
        map.end()
    }
}

/// The events as JSON Lines, one event object per line (the keys of
/// `hibob::directory::Event`: `event_id`, `at`, `type` and the type's own).
pub fn events_jsonl(events: &[Event]) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    for event in events {
        serde_json::to_writer(&mut bytes, event)?;
        bytes.push(b'\n');
    }
    Ok(bytes)
}

/// Against spreadsheet formula injection (OWASP's list of leading characters).
pub fn neutralize_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn write_record<'a>(
    writer: &mut csv::Writer<Vec<u8>>,
    cells: impl IntoIterator<Item = &'a str>,
    neutralize: bool,
) -> io::Result<()> {
    let cells = cells.into_iter().map(|c| {
        if neutralize {
            neutralize_cell(c)
        } else {
            c.into()
        }
    });
    writer.write_record(cells.collect::<Vec<_>>().iter().map(|c| c.as_bytes()))?;
    Ok(())
}

fn finish(writer: csv::Writer<Vec<u8>>) -> io::Result<Vec<u8>> {
    writer.into_inner().map_err(|e| e.into_error())
}

fn roster_csv(report: &Report, neutralize: bool) -> io::Result<Vec<u8>> {
    let mut writer = csv_writer();
    let header = COLUMNS
        .iter()
        .copied()
        .chain(report.extra_columns.iter().map(String::as_str));
    write_record(&mut writer, header, false)?;
    for row in &report.rows {
        let cells = row
            .standard()
            .into_iter()
            .chain(row.extras.iter().map(Option::as_deref))
            .map(|v| v.unwrap_or(""));
        write_record(&mut writer, cells, neutralize)?;
    }
    finish(writer)
}

/// The groups file: one row per member, one with no member for a group
/// nobody holds directly.
fn groups_csv(groups: &[Group], neutralize: bool) -> io::Result<Vec<u8>> {
    let mut writer = csv_writer();
    let header = ["field", "id", "name", "parent", "member_id"];
    write_record(&mut writer, header, false)?;
    for group in groups {
        let cells = |member: &str| {
            let parent = group.parent.as_deref().unwrap_or("");
            [
                group.key.field.as_str(),
                &group.key.id,
                &group.name,
                parent,
                member,
            ]
            .map(str::to_owned)
        };
        if group.members.is_empty() {
            write_record(
                &mut writer,
                cells("").iter().map(String::as_str),
                neutralize,
            )?;
        }
        for member in &group.members {
            let row = cells(member.as_str());
            write_record(&mut writer, row.iter().map(String::as_str), neutralize)?;
        }
    }
    finish(writer)
}

/// One history table as CSV: `employee_id` and the entry's fields flattened
/// (`change.reason`, `reportsTo.email`, `workingPattern.days.monday`; arrays
/// as JSON text): the [`LEADING`] columns when present, the rest sorted by
/// key, each headed as [`TableLayout::header`] says.
fn history_csv(report: &Report, table: &TableLayout, neutralize: bool) -> io::Result<Vec<u8>> {
    let mut flat_rows: Vec<(&str, Vec<(String, String)>)> = Vec::new();
    let mut keys = BTreeSet::new();
    for row in &report.rows {
        let Some(history) = &row.history else {
            continue;
        };
        for entry in history.table(&table.key) {
            let mut flat = Vec::new();
            flatten("", entry, &mut flat);
            keys.extend(flat.iter().map(|(k, _)| k.clone()));
            flat_rows.push((&row.id, flat));
        }
    }
    let mut columns: Vec<String> = LEADING
        .iter()
        .filter(|c| keys.contains(**c))
        .map(|c| (*c).to_owned())
        .collect();
    columns.extend(keys.into_iter().filter(|k| !LEADING.contains(&k.as_str())));

    let mut writer = csv_writer();
    let headers: Vec<String> = columns.iter().map(|c| table.header(c)).collect();
    let header = std::iter::once("employee_id").chain(headers.iter().map(String::as_str));
    write_record(&mut writer, header, false)?;
    for (id, flat) in &flat_rows {
        let cells = columns.iter().map(|c| {
            flat.iter()
                .find(|(k, _)| k == c)
                .map_or("", |(_, v)| v.as_str())
        });
        write_record(&mut writer, std::iter::once(*id).chain(cells), neutralize)?;
    }
    finish(writer)
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) if !map.is_empty() || prefix.is_empty() => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        Value::Object(_) => {}
        Value::Null => out.push((prefix.to_owned(), String::new())),
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// `<dir>/<stem>.<table>.csv` next to `output`.
pub fn table_path(output: &Path, table: &str) -> PathBuf {
    let stem = output
        .file_stem()
        .map_or_else(|| "roster".into(), |s| s.to_string_lossy().into_owned());
    output.with_file_name(format!("{stem}.{table}.csv"))
}

/// Every file of a rendered output, with its destination: the history
/// tables and groups first and the roster last, so the roster is the last
/// file replaced.
pub fn files(output: &Path, rendered: Rendered) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = rendered
        .tables
        .into_iter()
        .map(|(table, bytes)| (table_path(output, &table), bytes))
        .collect();
    files.push((output.to_path_buf(), rendered.main));
    files
}

/// Whether `path` names something other than a regular file (or a symlink to
/// one): `/dev/null`, `/dev/stdout`, a FIFO. Such a target cannot be replaced
/// by a rename (doing so as root would turn `/dev/null` into a plain file),
/// so it is written in place.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes every file to a temporary file in its destination's directory,
/// then renames them all into place. If any write fails, nothing is renamed
/// and every temporary file is removed, so the previous files stay as they
/// were. The files are created owner-only (0600 on Unix): they hold
/// personal data. A symlink is followed (the file it points to is replaced,
/// the link stays); a special file ([`is_special`]) is written in place.
pub fn write_atomically(files: &[(PathBuf, Vec<u8>)]) -> io::Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    let mut in_place = Vec::new();
    for (path, bytes) in files {
        if is_special(path) {
            in_place.push((path, bytes));
            continue;
        }
        let destination = resolve_symlink(path).map_err(|e| in_context(path, e))?;
        let temp = stage(&destination, bytes).map_err(|e| in_context(path, e))?;
        staged.push((temp, destination, path));
    }
    for (temp, destination, path) in staged {
        temp.persist(&destination)
            .map_err(|e| in_context(path, e.error))?;
    }
    for (path, bytes) in in_place {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|e| in_context(path, e))?;
    }
    Ok(())
}

/// A temporary file next to `destination` holding `bytes`, flushed to disk.
fn stage(destination: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let dir = match destination.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".roster_sync.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// The file a symlink points to (so the rename replaces it, not the link);
/// any other path unchanged. A dangling link resolves to its target path.
fn resolve_symlink(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Names the destination (not the temporary file) in an I/O error.
fn in_context(path: &Path, error: io::Error) -> io::Error {
    let message = match error.kind() {
        io::ErrorKind::NotFound => "its directory does not exist".to_owned(),
        _ => error.to_string(),
    };
    io::Error::new(error.kind(), format!("{}: {message}", path.display()))
}
