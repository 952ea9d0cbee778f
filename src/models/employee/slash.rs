//! Merges HiBob's slash keys (`"/work/department": {"value": …}`) into the
//! nested record.
//!
//! `{"value": X}` goes to the nested path unless something is already there
//! (the nested value wins, then the first slash key). Any other shape, a path
//! blocked by a non-object, and a path of more than [`MAX_DEPTH`] segments are
//! kept under their own key, unchanged.
//!
//! The depth cap matters because a key is not JSON nesting: serde_json stops
//! at 128 levels of real nesting, but one 200 KB key `"/a/a/a/…"` would
//! otherwise build an object 100,000 levels deep, whose (recursive) drop,
//! serialization and merging overflow the stack and abort the process.
//!
//! Cost: every object a slash key walks into is opened once into a [`Level`]
//! (its members plus, once it is large, an index by key) and closed once at
//! the end, so `n` slash keys cost `O(n)` look-ups, not `O(n²)` scans and
//! copies.

use std::borrow::Cow;
use std::collections::HashMap;

use super::compact::{self, Compact, Entry, Key};
use super::segments;

/// Slash keys with more segments than this are kept verbatim. HiBob's
/// deepest real paths have four (`/payroll/employment/…`, custom tables).
pub(crate) const MAX_DEPTH: usize = 16;

/// Objects with more members than this get an index instead of linear scans
/// (below it, a scan is cheaper than hashing and allocating the keys). Tiny
/// in unit tests, so that their small objects take the indexed path too.
const INDEX_FROM: usize = if cfg!(test) { 4 } else { 64 };

/// Merges `slash` keys, in order, into `entries` (the top-level members).
pub(super) fn merge(entries: Vec<Entry>, slash: Vec<(Cow<'_, str>, Compact)>) -> Vec<Entry> {
    if slash.is_empty() {
        return entries;
    }
    let mut root = Level::new(entries);
    for (key, value) in slash {
        merge_one(&mut root, key, value);
    }
    root.close()
}

fn merge_one(root: &mut Level, key: Cow<'_, str>, value: Compact) {
    let inner = match value {
        Compact::Object(members) if members.len() == 1 && members[0].0.as_str() == "value" => {
            members.into_vec().pop().map(|(_, v)| v).unwrap_or_default()
        }
        other => {
            root.push(Key::from_cow(key), other);
            return;
        }
    };
    let path: Vec<&str> = segments(&key)
        .filter(|s| !s.is_empty())
        .take(MAX_DEPTH + 1)
        .collect();
    let result = if path.is_empty() || path.len() > MAX_DEPTH {
        Err(inner)
    } else {
        root.insert(&path, inner)
    };
    if let Err(inner) = result {
        let wrapped = Compact::Object(Box::new([(Key::new("value"), inner)]));
        root.push(Key::from_cow(key), wrapped);
    }
}

/// What a look-up of a path in a closed object found.
enum Probe {
    /// Something is at the path already.
    Present,
    /// An intermediate member is not an object.
    Blocked,
    /// A member is missing, or an object is too large to scan: open it.
    Open,
}

/// Looks `path` up in an object without opening it, scanning objects of at
/// most [`INDEX_FROM`] members. This is the common case, HiBob mirroring
/// every nested value under a slash key, and it allocates nothing.
fn probe(mut members: &[Entry], path: &[&str]) -> Probe {
    for (i, segment) in path.iter().enumerate() {
        if members.len() > INDEX_FROM {
            return Probe::Open;
        }
        let Some(found) = compact::find(members, segment) else {
            return Probe::Open;
        };
        if i + 1 == path.len() {
            return Probe::Present;
        }
        match found {
            Compact::Object(inner) => members = inner,
            _ => return Probe::Blocked,
        }
    }
    Probe::Open
}

/// An object opened for merging.
struct Level {
    entries: Vec<Entry>,
    /// Key → position of its last occurrence (what look-ups resolve to);
    /// built once the object has more than [`INDEX_FROM`] members.
    index: Option<HashMap<Box<str>, usize>>,
    /// Members opened in turn, by position. Their slot holds an empty
    /// object until [`Level::close`] puts them back.
    open: HashMap<usize, Level>,
}

impl Level {
    fn new(entries: Vec<Entry>) -> Self {
        Level {
            entries,
            index: None,
            open: HashMap::new(),
        }
    }

    /// The position of `key`'s last occurrence.
    fn position(&mut self, key: &str) -> Option<usize> {
        if self.index.is_none() && self.entries.len() > INDEX_FROM {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (Box::from(k.as_str()), i))
                .collect();
            self.index = Some(index);
        }
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().rposition(|(k, _)| k.as_str() == key),
        }
    }

    fn push(&mut self, key: Key, value: Compact) {
        if let Some(index) = &mut self.index {
            index.insert(Box::from(key.as_str()), self.entries.len());
        }
        self.entries.push((key, value));
    }

    /// Puts `value` at `path` unless something is already there. `Err` gives
    /// the value back, nothing changed, when an intermediate member is not an
    /// object. Recursion is bounded by the path length ([`MAX_DEPTH`]).
    fn insert(&mut self, path: &[&str], value: Compact) -> Result<(), Compact> {
        let (first, rest) = path.split_first().expect("non-empty path");
        let Some(pos) = self.position(first) else {
            let nested = rest.iter().rev().fold(value, |acc, segment| {
                Compact::Object(Box::new([(Key::new(segment), acc)]))
            });
            self.push(Key::new(first), nested);
            return Ok(());
        };
        if rest.is_empty() {
            return Ok(()); // the nested value wins
        }
        if let Some(child) = self.open.get_mut(&pos) {
            return child.insert(rest, value);
        }
        let Compact::Object(members) = &mut self.entries[pos].1 else {
            return Err(value);
        };
        match probe(members, rest) {
            Probe::Present => Ok(()), // the nested value wins
            Probe::Blocked => Err(value),
            Probe::Open => {
                let mut child = Level::new(std::mem::take(members).into_vec());
                let result = child.insert(rest, value);
                self.open.insert(pos, child);
                result
            }
        }
    }

    /// The members, opened ones put back. Recursion is bounded like `insert`.
    fn close(self) -> Vec<Entry> {
        let Level {
            mut entries, open, ..
        } = self;
        for (pos, child) in open {
            entries[pos].1 = Compact::Object(child.close().into_boxed_slice());
        }
        entries
    }
}
