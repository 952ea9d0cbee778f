//! Verify after write: read a record back until HiBob stores what was sent,
//! and report every field it did not.
//!
//! HiBob silently drops values it cannot read (an unknown currency, a list
//! value it does not take) and documents that reads may lag a write by up to
//! about 20 s. So a single read right after a write proves nothing: a
//! mismatch may be lag. A write's `.verify()` re-reads with backoff while
//! the window lasts and, at its end, reports what still differs as
//! [`Mismatch`]es in a [`Verified`] report.
//!
//! This module knows no API group: it compares `(field, JSON value)` pairs
//! with the record a read returns, so any write can offer `.verify()`. The writes that offer `.verify()`
//! (people creates, updates, e-mail and start-date changes; see
//! [`People::create`](crate::people::People::create)) supply the read.
//!
//! ```
//! use hibob::people::NewEmployee;
//! use hibob::chrono::NaiveDate;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
//! # let client = fake.client();
//! let start = NaiveDate::from_ymd_opt(2020, 9, 1).unwrap();
//! let hire = NewEmployee::new("Ada", "Lovelace", "ada@example.com", "Paris", start);
//! let report = client.people().create(hire).verify().await?;
//! assert!(report.is_complete(), "{report}");
//! assert_eq!(report.value.email(), Some("ada@example.com"));
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde_json::Value;

use crate::Error;

/// How long `.verify()` keeps re-reading by default: HiBob documents that
/// reads may lag a write by up to about 20 s.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(20);

/// The first pause between reads; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const MAX_PAUSE: Duration = Duration::from_secs(4);

/// What a verified write did (`value`, as the write itself answered) and
/// which of the sent fields HiBob did not store as sent.
#[derive(Debug)]
#[non_exhaustive]
pub struct Verified<T> {
    /// The write's own answer (the created employee, the update's outcome).
    pub value: T,
    /// Every sent field whose stored value still differed when the window
    /// ended; empty when HiBob stored everything as sent.
    pub mismatches: Vec<Mismatch>,
    /// How many reads it took.
    pub reads: u32,
    /// The write was applied, but reading it back failed with this (e.g. no
    /// read permission on a field's category): nothing was verified.
    pub read_error: Option<Error>,
}

impl<T> Verified<T> {
    /// Whether every sent field was read back as sent.
    pub fn is_complete(&self) -> bool {
        self.mismatches.is_empty() && self.read_error.is_none()
    }

    /// The same report with `value` replaced.
    pub(crate) fn with_value<U>(self, value: U) -> Verified<U> {
        Verified {
            value,
            mismatches: self.mismatches,
            reads: self.reads,
            read_error: self.read_error,
        }
    }
}

impl Verified<()> {
    /// A report of a write that could not be read back at all.
    pub(crate) fn unread(error: Error) -> Verified<()> {
        Verified {
            value: (),
            mismatches: Vec::new(),
            reads: 0,
            read_error: Some(error),
        }
    }
}

impl<T> fmt::Display for Verified<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(error) = &self.read_error {
            return write!(f, "written, but the read back failed: {error}");
        }
        if self.mismatches.is_empty() {
            return write!(f, "every field stored as sent ({} reads)", self.reads);
        }
        write!(f, "not stored as sent after {} reads: ", self.reads)?;
        for (i, mismatch) in self.mismatches.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{mismatch}")?;
        }
        Ok(())
    }
}

/// One field HiBob did not store as sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The field, as the write named it (field ID or JSON path).
    pub field: String,
    /// What was sent.
    pub sent: Value,
    /// What the last read returned; `None` when the field (or the whole
    /// record) was absent.
    pub stored: Option<Value>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.stored {
            Some(stored) => write!(f, "`{}`: sent {}, stored {stored}", self.field, self.sent),
            None => write!(f, "`{}`: sent {}, not stored", self.field, self.sent),
        }
    }
}

/// One value to verify: reported as `field`, found in the record at the
/// dotted JSON `path`.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    pub(crate) field: String,
    pub(crate) path: String,
    pub(crate) value: Value,
}

impl Sent {
    /// A value reported and found under the same dotted path.
    pub(crate) fn at(path: impl Into<String>, value: Value) -> Self {
        let path = path.into();
        Self {
            field: path.clone(),
            path,
            value,
        }
    }
}

/// Reads the record with `read` until every `sent` value is stored, backing
/// off (0.5 s, doubling to 4 s) on tokio's clock while `window` lasts; the
/// last read is at the window's end.
///
/// `read` answers the record as JSON, `Ok(None)` (or [`Error::NotFound`])
/// while it is not visible yet. A list value matches its item's ID or its
/// label (the record's `humanReadable` mirror, when the read asked for it);
/// numbers match numeric strings; dates match whatever time or offset HiBob
/// adds. Another error ends the verification with
/// [`Verified::read_error`] set.
///
/// This is the one function another record kind plugs into: a table entry
/// passes its columns as `sent` and a `read` that reads the table and
/// returns the entry with the written ID (or effective date) as JSON.
pub(crate) async fn until_stored<F, Fut>(
    sent: &[Sent],
    window: Duration,
    mut read: F,
) -> Verified<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<Value>, Error>>,
{
    let deadline = tokio::time::Instant::now() + window;
    let mut pause = FIRST_PAUSE;
    let mut reads = 0;
    loop {
        reads += 1;
        let record = match read().await {
            Ok(record) => record,
            Err(Error::NotFound { .. }) => None,
            Err(error) => {
                return Verified {
                    value: (),
                    mismatches: Vec::new(),
                    reads,
                    read_error: Some(error),
                };
            }
        };
        let mismatches = compare(sent, record.as_ref());
        let now = tokio::time::Instant::now();
        if mismatches.is_empty() || now >= deadline {
            return Verified {
                value: (),
                mismatches,
                reads,
                read_error: None,
            };
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// Each sent value the record does not hold.
pub(crate) fn compare(sent: &[Sent], record: Option<&Value>) -> Vec<Mismatch> {
    sent.iter()
        .filter_map(|s| {
            let stored = record.and_then(|r| at_path(r, &s.path));
            let label = record.and_then(|r| at_path(r.get("humanReadable")?, &s.path));
            let stored_ok = stored.is_some_and(|v| same(&s.value, v));
            let label_ok = label.is_some_and(|v| same(&s.value, v));
            let cleared = s.value.is_null() && stored.is_none_or(is_empty);
            (!(stored_ok || label_ok || cleared)).then(|| Mismatch {
                field: s.field.clone(),
                sent: s.value.clone(),
                stored: stored.cloned(),
            })
        })
        .collect()
}

/// The value at a dotted path (a flat key with the whole path, or with
/// slashes, counts too).
fn at_path<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(flat) = record.get(path) {
        return Some(flat);
    }
    let slashed = format!("/{}", path.replace('.', "/"));
    if let Some(flat) = record.get(&slashed) {
        return Some(flat);
    }
    path.split('.').try_fold(record, |here, key| here.get(key))
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Tolerant equality: numbers and numeric strings, dates with a time or
/// offset, arrays as sets, objects by the sent keys.
pub(crate) fn same(sent: &Value, stored: &Value) -> bool {
    if sent == stored {
        return true;
    }
    match (sent, stored) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| same(x, y)))
        }
        (Value::Object(a), Value::Object(b)) => a.iter().all(|(k, v)| {
            b.get(k).is_some_and(|w| same(v, w)) || (v.is_null() && !b.contains_key(k))
        }),
        // An item sent alone, stored as a one-item multi-list.
        (one, Value::Array(b)) if b.len() == 1 => same(one, &b[0]),
        _ => match (scalar(sent), scalar(stored)) {
            (Some(a), Some(b)) => same_text(&a, &b),
            _ => false,
        },
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn same_text(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if let (Ok(x), Ok(y)) = (a.parse::<f64>(), b.parse::<f64>()) {
        return x == y;
    }
    match (date_of(a), date_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The calendar date of `YYYY-MM-DD`, optionally followed by a time.
fn date_of(text: &str) -> Option<chrono::NaiveDate> {
    let day = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tolerant_comparison() {
        assert!(same(&json!("12"), &json!(12)));
        assert!(same(&json!(12), &json!("12.0")));
        assert!(same(&json!("2026-09-01"), &json!("2026-09-01T00:00:00")));
        assert!(!same(&json!("2026-09-01"), &json!("2026-09-02")));
        assert!(same(&json!(["a", "b"]), &json!(["b", "a"])));
        assert!(!same(&json!(["a", "b"]), &json!(["a"])));
        assert!(same(&json!("a"), &json!(["a"])));
        assert!(same(&json!({"x": 1}), &json!({"x": "1", "y": 2})));
        assert!(!same(&json!("Engineer"), &json!("123")));
        assert!(!same(&json!(null), &json!("x")));
    }

    #[test]
    fn labels_and_cleared_values_match() {
        let record = json!({
            "work": {"title": "123", "custom": {"f": ""}},
            "humanReadable": {"work": {"title": "Engineer"}},
            "/home/mobilePhone": "+44 1",
        });
        let sent = [
            Sent::at("work.title", json!("Engineer")),
            Sent::at("work.custom.f", Value::Null),
            Sent::at("home.mobilePhone", json!("+44 1")),
            Sent::at("about.about", Value::Null),
        ];
        assert_eq!(compare(&sent, Some(&record)), Vec::new());
        let missing = compare(&[Sent::at("work.site", json!("Paris"))], Some(&record));
        assert_eq!(missing[0].stored, None);
        assert_eq!(compare(&sent[..1], None).len(), 1);
    }
}
