//! The `values` of one bulk `results[]` element, in each shape HiBob serves
//! or draws:
//!
//! - flat, as HiBob serves it and third-party clients read it:
//!   `"values": [row, row]`;
//! - each element wrapped, as HiBob's published OpenAPI draws every bulk
//!   table read: `"values": [{"values": [row, row]}]` (hibob-openapi-2025.yml,
//!   `paths./bulk/people/lifecycle.get.responses.200.content.application/json
//!   .schema.properties.results.items.properties.values.items.anyOf[0]
//!   .properties.values`, `x-readme-ref-name: LifeCycleEntries`; the same for
//!   employment, salaries and work);
//! - wrapped once, with field-level permissions (a third-party client's
//!   test, hibob-api.md §6.3):
//!   `"values": {"values": [row, row], "restricted_columns": {...}}`.
//!
//! How a row is told from a wrapper, without buffering the element:
//!
//! - an object whose keys are `values` and, optionally,
//!   `restricted_columns` is a wrapper; its `values` is a list of rows (or
//!   `null`), never of further wrappers;
//! - any other object is a row and has an `id` or `effectiveDate` key: every
//!   row of every HiBob table has both, and a row has neither `values` nor
//!   `restricted_columns`;
//! - anything else (a string, a number, `{}`, an object mixing row columns
//!   with `values`, a wrapper inside a wrapper) is a decode error at its JSON
//!   path. Reading a wrapper as a row would give a row with every typed
//!   column empty, which is what the check exists to prevent.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

use crate::models::tables::RestrictedColumns;

/// The rows of one `results[]` element, and the columns its wrappers marked
/// as restricted.
pub(super) struct RawValues<E> {
    pub(super) rows: Vec<E>,
    pub(super) restricted: Option<RestrictedColumns>,
}

impl<E> Default for RawValues<E> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            restricted: None,
        }
    }
}

impl<E> RawValues<E> {
    fn restrict(&mut self, more: RestrictedColumns) {
        self.restricted
            .get_or_insert_with(RestrictedColumns::default)
            .merge(more);
    }
}

impl<'de, E: Deserialize<'de>> Deserialize<'de> for RawValues<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut out = RawValues::default();
        deserializer.deserialize_any(ValuesVisitor {
            out: &mut out,
            level: Level::Results,
        })?;
        Ok(out)
    }
}

/// Where a list of rows sits.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    /// `results[].values`: rows, wrappers, or one wrapper object.
    Results,
    /// The `values` of a wrapper: rows only.
    Wrapper,
}

// The messages avoid quotes and backticks: `DecodeError` redacts every quoted
// segment of a custom message as a possible response value.
const ROW: &str = "a table row (an object with id or effectiveDate)";
const WRAPPER: &str = "a wrapper {values: [rows]}";

/// A list of rows (or `null`), appended to `out`.
struct ValuesVisitor<'a, E> {
    out: &'a mut RawValues<E>,
    level: Level,
}

impl<'de, E: Deserialize<'de>> Visitor<'de> for ValuesVisitor<'_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            Level::Results => write!(f, "a list of table rows or of {WRAPPER}, or {WRAPPER}"),
            Level::Wrapper => f.write_str("a list of table rows"),
        }
    }
    fn visit_unit<Er>(self) -> Result<(), Er> {
        Ok(())
    }
    fn visit_none<Er>(self) -> Result<(), Er> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let wrappers = self.level == Level::Results;
        self.out.rows.reserve(seq.size_hint().unwrap_or(0).min(256));
        while seq
            .next_element_seed(ElementSeed {
                out: &mut *self.out,
                wrappers,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.level == Level::Wrapper {
            return Err(de::Error::invalid_type(Unexpected::Map, &self));
        }
        match map.next_key_seed(KeySeed)? {
            Some(first) if is_wrapper_key(&first) => read_wrapper(first, map, self.out),
            _ => Err(de::Error::custom(format!(
                "values is an object but not {WRAPPER}"
            ))),
        }
    }
}

fn is_wrapper_key(key: &str) -> bool {
    matches!(key, "values" | "restricted_columns")
}

/// The rest of a wrapper whose first key was `first`: its rows go to `out`.
fn read_wrapper<'de, A, E>(
    first: Cow<'de, str>,
    mut map: A,
    out: &mut RawValues<E>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    E: Deserialize<'de>,
{
    let mut has_rows = false;
    let mut key = Some(first);
    while let Some(k) = key {
        match &*k {
            "values" => {
                map.next_value_seed(RowsSeed(&mut *out))?;
                has_rows = true;
            }
            "restricted_columns" => {
                if let Some(more) = map.next_value::<Option<RestrictedColumns>>()? {
                    out.restrict(more);
                }
            }
            _ => {
                return Err(de::Error::custom(format!(
                    "an object with values and other keys is neither {ROW} nor {WRAPPER}"
                )));
            }
        }
        key = map.next_key_seed(KeySeed)?;
    }
    if !has_rows {
        return Err(de::Error::custom(format!(
            "an object with restricted_columns but no values is neither {ROW} nor {WRAPPER}"
        )));
    }
    Ok(())
}

/// The `values` of a wrapper.
struct RowsSeed<'a, E>(&'a mut RawValues<E>);

impl<'de, E: Deserialize<'de>> DeserializeSeed<'de> for RowsSeed<'_, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(ValuesVisitor {
            out: self.0,
            level: Level::Wrapper,
        })
    }
}

/// One element of a list of rows: a row, or (where `wrappers`) a wrapper.
struct ElementSeed<'a, E> {
    out: &'a mut RawValues<E>,
    wrappers: bool,
}

impl<'de, E: Deserialize<'de>> DeserializeSeed<'de> for ElementSeed<'_, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, E: Deserialize<'de>> Visitor<'de> for ElementSeed<'_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wrappers {
            write!(f, "{ROW} or {WRAPPER}")
        } else {
            f.write_str(ROW)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(first) = map.next_key_seed(KeySeed)? else {
            return Err(de::Error::custom(format!(
                "an empty object is neither {ROW} nor {WRAPPER}"
            )));
        };
        if is_wrapper_key(&first) {
            if !self.wrappers {
                return Err(de::Error::custom(format!(
                    "{WRAPPER} inside a wrapper; expected {ROW}"
                )));
            }
            return read_wrapper(first, map, self.out);
        }
        let mut keys = RowKeys::default();
        let row = E::deserialize(MapAccessDeserializer::new(RowMap {
            first: Some(first),
            map,
            keys: &mut keys,
        }))?;
        keys.check()?;
        self.out.rows.push(row);
        Ok(())
    }
}

/// What a row's keys say about its shape.
#[derive(Default)]
struct RowKeys {
    /// `id` or `effectiveDate` was seen.
    identity: bool,
    /// `values` or `restricted_columns` was seen.
    wrapper: bool,
}

impl RowKeys {
    fn note(&mut self, key: &str) {
        match key {
            "id" | "effectiveDate" => self.identity = true,
            key if is_wrapper_key(key) => self.wrapper = true,
            _ => {}
        }
    }

    fn check<Er: de::Error>(&self) -> Result<(), Er> {
        if self.wrapper {
            return Err(Er::custom(format!(
                "an object with row columns and values or restricted_columns is neither {ROW} nor {WRAPPER}"
            )));
        }
        if !self.identity {
            return Err(Er::custom(format!(
                "an object with neither id nor effectiveDate is neither {ROW} nor {WRAPPER}"
            )));
        }
        Ok(())
    }
}

/// A row's map, its first key (already read to tell it from a wrapper)
/// replayed, every key noted in `keys`. Keys stay borrowed from the body
/// where the deserializer allows it.
struct RowMap<'de, 'k, A> {
    first: Option<Cow<'de, str>>,
    map: A,
    keys: &'k mut RowKeys,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for RowMap<'de, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = match self.first.take() {
            Some(key) => key,
            None => match self.map.next_key_seed(KeySeed)? {
                Some(key) => key,
                None => return Ok(None),
            },
        };
        self.keys.note(&key);
        let value = match key {
            Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)),
        };
        value.map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        let first = usize::from(self.first.is_some());
        self.map.size_hint().map(|rest| rest + first)
    }
}

/// A map key, borrowed from the body when possible.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a column name")
    }
    fn visit_borrowed_str<Er>(self, key: &'de str) -> Result<Self::Value, Er> {
        Ok(Cow::Borrowed(key))
    }
    fn visit_str<Er>(self, key: &str) -> Result<Self::Value, Er> {
        Ok(Cow::Owned(key.to_owned()))
    }
    fn visit_string<Er>(self, key: String) -> Result<Self::Value, Er> {
        Ok(Cow::Owned(key))
    }
}
