//! The page HiBob's cursor endpoints share: rows under `results` (the bulk
//! tables) or `items` (the newer searches: time-off calendars, job catalog,
//! object searches), and the next cursor under `response_metadata`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// One page of a cursor-paginated HiBob read, in either of HiBob's two shapes:
/// `{"results": [...], "response_metadata": {"next_cursor": "…"}}` or
/// `{"items": [...], "response_metadata": {"next_cursor": "…"}}`.
///
/// Decoding rules:
/// - The rows are read from `results` or `items`; `null` is no rows.
/// - A page with **both** keys is a decode error: nothing says which one
///   holds the rows, and guessing could drop a page of data.
/// - A page with **neither** key has no rows only when it has no other
///   array. A page with another top-level array (`{"employees": [...]}`) is
///   a decode error, because its rows are under a key this type does not
///   read, and an empty page would look like a complete read.
/// - The next cursor is `response_metadata.next_cursor`, else
///   `response_metadata.cursor` (the name HiBob's OpenAPI uses on the bulk
///   tables). A `null`, missing or empty cursor, and a missing or `null`
///   `response_metadata`, all mean "this is the last page".
/// - Every other top-level member (such as `errors`) is kept in
///   [`extra`](Self::extra), as sent.
///
/// ```
/// use hibob::CursorPage;
/// use serde_json::Value;
///
/// let bulk = r#"{"results": [{"id": 1}], "response_metadata": {"next_cursor": "c2"}}"#;
/// let search = r#"{"items": [{"id": 1}], "response_metadata": {"next_cursor": "c2"}}"#;
/// let bulk: CursorPage<Value> = serde_json::from_str(bulk)?;
/// let search: CursorPage<Value> = serde_json::from_str(search)?;
/// assert_eq!(bulk, search);
/// assert_eq!(bulk.next_cursor.as_deref(), Some("c2"));
///
/// let last: CursorPage<Value> = serde_json::from_str(r#"{"items": [], "response_metadata": null}"#)?;
/// assert!(last.items.is_empty() && last.next_cursor.is_none());
///
/// // Rows under a key it does not read are an error, never an empty page.
/// assert!(serde_json::from_str::<CursorPage<Value>>(r#"{"employees": [{"id": 1}]}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// The page's rows, from `results` or `items`, in HiBob's order.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` when this is the last one.
    pub next_cursor: Option<String>,
    /// The other top-level members, kept as sent (`response_metadata` and
    /// the rows are not repeated here).
    pub extra: Map<String, Value>,
}

impl<T> Default for CursorPage<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next_cursor: None,
            extra: Map::new(),
        }
    }
}

/// The members of `response_metadata` this crate reads; others are ignored.
#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    next_cursor: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

impl Metadata {
    /// The next cursor, `None` when there is none or it is empty (as the
    /// bulk tables' page has always read it).
    fn next(self) -> Option<String> {
        self.next_cursor.or(self.cursor).filter(|c| !c.is_empty())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for CursorPage<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PageVisitor(PhantomData))
    }
}

/// Reads the rows straight into `Vec<T>` (no `Value` in between), so a bad
/// row fails with its JSON path, such as `items[3].name`.
struct PageVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = CursorPage<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cursor page (an object with results or items)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut page = CursorPage::default();
        let mut rows_key: Option<&'static str> = None;
        let mut metadata_seen = false;
        let mut other_array: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "results" | "items" => {
                    let this = if key == "results" { "results" } else { "items" };
                    match rows_key {
                        Some(first) if first == this => {
                            return Err(de::Error::duplicate_field(this));
                        }
                        Some(_) => return Err(de::Error::custom(BOTH_KEYS)),
                        None => rows_key = Some(this),
                    }
                    page.items = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default();
                }
                "response_metadata" => {
                    if std::mem::replace(&mut metadata_seen, true) {
                        return Err(de::Error::duplicate_field("response_metadata"));
                    }
                    page.next_cursor = map
                        .next_value::<Option<Metadata>>()?
                        .and_then(Metadata::next);
                }
                _ => {
                    let value: Value = map.next_value()?;
                    if value.is_array() && other_array.is_none() {
                        other_array = Some(key.clone());
                    }
                    page.extra.insert(key, value);
                }
            }
        }
        match (rows_key, other_array) {
            (None, Some(key)) => Err(de::Error::custom(rows_elsewhere(&key))),
            _ => Ok(page),
        }
    }
}

// No quotes or backticks in these messages: the decode error's redaction
// would take quoted text for a response value and hide it.
const BOTH_KEYS: &str = "a cursor page has both results and items, so which one holds the rows is unclear; \
     please report this endpoint";

/// Why a page with rows under another key fails: names the key when it is a
/// plain identifier (a schema name, not data), so the report says where the
/// rows went.
fn rows_elsewhere(key: &str) -> String {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let place = if plain {
        format!("an array under {key}")
    } else {
        "an array under another key".to_owned()
    };
    format!(
        "a cursor page has neither results nor items but {place}; its rows would be lost, \
         please report this endpoint"
    )
}

#[cfg(test)]
mod tests;
