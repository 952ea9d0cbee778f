//! Compact, lossless storage for decoded employee JSON.
//!
//! `serde_json::Value` stores every object as a `BTreeMap` (one node of eleven
//! slots even for `{"value": x}`) and allocates every key. A 20,000-employee
//! search body then takes several times its own size in memory. This tree
//! keeps objects as boxed slices in document order and shares the keys HiBob
//! sends on every employee, which keeps a decoded roster below twice the body.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Number, Value};

/// An object key: a shared static string for keys HiBob sends everywhere,
/// an owned one otherwise.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Key {
    Static(&'static str),
    Owned(Box<str>),
}

impl Key {
    /// The key, interned when it is a well-known HiBob key.
    pub(crate) fn new(key: &str) -> Self {
        match known(key) {
            Some(known) => Key::Static(known),
            None => Key::Owned(key.into()),
        }
    }

    /// Like [`Key::new`], reusing the allocation of an owned string.
    pub(crate) fn from_cow(key: Cow<'_, str>) -> Self {
        match known(&key) {
            Some(known) => Key::Static(known),
            None => Key::Owned(key.into_owned().into_boxed_str()),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Static(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// One object member.
pub(crate) type Entry = (Key, Compact);

/// A JSON value with compact objects. Numbers stay `serde_json::Number`, so
/// integers are exact and nothing goes through a float.
#[derive(Clone, PartialEq, Default)]
pub(crate) enum Compact {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Box<[Compact]>),
    Object(Box<[Entry]>),
}

impl fmt::Debug for Compact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_value(), f)
    }
}

/// Finds `key` in an object's members (linear: objects are small). A key
/// repeated in one object resolves to its last occurrence, as `serde_json`
/// does, so look-ups, merges and `to_json` agree.
pub(crate) fn find<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Compact> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| k.as_str() == key)
        .map(|(_, v)| v)
}

/// Walks `path` (already split into segments) from an object's members.
pub(crate) fn find_path<'a, 'p>(
    entries: &'a [Entry],
    mut path: impl Iterator<Item = &'p str>,
) -> Option<&'a Compact> {
    let mut current = find(entries, path.next()?)?;
    for segment in path {
        current = current.get(segment)?;
    }
    Some(current)
}

/// Converts an object's members to a `serde_json::Map`.
pub(crate) fn entries_to_map(entries: &[Entry]) -> Map<String, Value> {
    entries
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_value()))
        .collect()
}

impl Compact {
    /// The member `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Compact> {
        match self {
            Compact::Object(entries) => find(entries, key),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Compact::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a plain `serde_json::Value`.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Compact::Null => Value::Null,
            Compact::Bool(b) => Value::Bool(*b),
            Compact::Number(n) => Value::Number(n.clone()),
            Compact::String(s) => Value::String(s.to_string()),
            Compact::Array(items) => Value::Array(items.iter().map(Compact::to_value).collect()),
            Compact::Object(entries) => Value::Object(entries_to_map(entries)),
        }
    }

    /// A string or a number as text: exact for integers (no float on the way).
    pub(crate) fn to_id_string(&self) -> Option<String> {
        match self {
            Compact::String(s) => Some(s.to_string()),
            Compact::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Serializes borrowed object members as a JSON object.
pub(crate) struct ObjectRef<'a>(pub(crate) &'a [Entry]);

impl Serialize for ObjectRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entries::<S, Compact>(self.0, None, serializer)
    }
}

impl Serialize for Compact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Compact::Null => serializer.serialize_unit(),
            Compact::Bool(b) => serializer.serialize_bool(*b),
            Compact::Number(n) => n.serialize(serializer),
            Compact::String(s) => serializer.serialize_str(s),
            Compact::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Compact::Object(entries) => serialize_entries::<S, Compact>(entries, None, serializer),
        }
    }
}

/// Serializes members as a JSON object, optionally followed by one more member.
pub(crate) fn serialize_entries<S: Serializer, T: Serialize>(
    entries: &[Entry],
    tail: Option<(&str, &T)>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(entries.len() + usize::from(tail.is_some())))?;
    for (k, v) in entries {
        map.serialize_entry(k.as_str(), v)?;
    }
    if let Some((k, v)) = tail {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl<'de> Deserialize<'de> for Compact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CompactVisitor)
    }
}

struct CompactVisitor;

impl<'de> Visitor<'de> for CompactVisitor {
    type Value = Compact;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Compact, E> {
        Ok(Compact::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Compact, E> {
        Ok(Compact::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Compact, E> {
        Ok(Compact::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Compact, E> {
        Ok(Number::from_f64(v).map_or(Compact::Null, Compact::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Compact, E> {
        Ok(Compact::String(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Compact, E> {
        Ok(Compact::String(v.into_boxed_str()))
    }
    fn visit_none<E>(self) -> Result<Compact, E> {
        Ok(Compact::Null)
    }
    fn visit_unit<E>(self) -> Result<Compact, E> {
        Ok(Compact::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Compact, D::Error> {
        Compact::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Compact, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Compact::Array(items.into_boxed_slice()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Compact, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            entries.push((Key::from_cow(key), map.next_value()?));
        }
        Ok(Compact::Object(entries.into_boxed_slice()))
    }
}

/// Reads a map key without allocating when the input lets us borrow it.
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

/// The shared copy of `key`, when it is one of [`KNOWN_KEYS`]. Runs for
/// every key decoded, so it is one hash and (almost always) one comparison:
/// a binary search over the keys was a sixth of a roster sync's CPU.
fn known(key: &str) -> Option<&'static str> {
    let mut slot = fnv1a(key.as_bytes()) as usize & (KNOWN_SLOTS.len() - 1);
    loop {
        let entry = KNOWN_SLOTS[slot];
        if entry == 0 {
            return None;
        }
        let candidate = KNOWN_KEYS[usize::from(entry - 1)];
        if candidate == key {
            return Some(candidate);
        }
        slot = (slot + 1) & (KNOWN_SLOTS.len() - 1);
    }
}

/// 32-bit FNV-1a: a few operations a byte, usable in a `const fn`.
const fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

/// An open-addressing table of [`KNOWN_KEYS`], built at compile time: each
/// slot holds a key's index plus one, 0 for empty. Less than half full, so
/// a probe ends within a slot or two.
const KNOWN_SLOTS: [u8; 256] = {
    assert!(KNOWN_KEYS.len() < 128, "keep the table under half full");
    let mut slots = [0u8; 256];
    let mut i = 0;
    while i < KNOWN_KEYS.len() {
        let mut slot = fnv1a(KNOWN_KEYS[i].as_bytes()) as usize & 255;
        while slots[slot] != 0 {
            slot = (slot + 1) & 255;
        }
        slots[slot] = (i + 1) as u8;
        i += 1;
    }
    slots
};

/// Keys HiBob sends on (almost) every employee, shared instead of allocated.
const KNOWN_KEYS: [&str; 98] = [
    "id",
    "eeo",
    "fte",
    "base",
    "city",
    "home",
    "site",
    "type",
    "work",
    "about",
    "email",
    "line1",
    "line2",
    "phone",
    "state",
    "title",
    "value",
    "avatar",
    "custom",
    "gender",
    "mobile",
    "salary",
    "siteId",
    "status",
    "address",
    "country",
    "hobbies",
    "manager",
    "payroll",
    "surname",
    "taxCode",
    "twitter",
    "about_me",
    "contract",
    "currency",
    "employee",
    "facebook",
    "flsaCode",
    "fullName",
    "humanize",
    "internal",
    "language",
    "linkedin",
    "orgLevel",
    "personal",
    "postCode",
    "pronouns",
    "timezone",
    "avatarUrl",
    "birthDate",
    "companyId",
    "financial",
    "firstName",
    "honorific",
    "isManager",
    "payPeriod",
    "periodISO",
    "reportsTo",
    "startDate",
    "workPhone",
    "calendarId",
    "department",
    "employment",
    "secondName",
    "socialData",
    "sortFactor",
    "displayName",
    "fullAddress",
    "mobilePhone",
    "nationality",
    "siteAddress",
    "superpowers",
    "tenureYears",
    "weeklyHours",
    "calendarName",
    "payFrequency",
    "privateEmail",
    "privatePhone",
    "coverImageUrl",
    "directReports",
    "effectiveDate",
    "shortBirthDate",
    "tenureDuration",
    "yearsOfService",
    "foodPreferences",
    "indirectReports",
    "lifecycleStatus",
    "terminationDate",
    "terminationType",
    "creationDateTime",
    "terminationReason",
    "usesCustomAddress",
    "secondLevelManager",
    "activeEffectiveDate",
    "employeeIdInCompany",
    "durationOfEmployment",
    "identificationNumber",
    "periodSinceTermination",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_are_unique_and_each_one_is_found() {
        let unique: std::collections::HashSet<_> = KNOWN_KEYS.iter().collect();
        assert_eq!(unique.len(), KNOWN_KEYS.len());
        for key in KNOWN_KEYS {
            assert_eq!(known(key), Some(key), "{key}");
        }
        for unknown in [
            "",
            "valu",
            "values",
            "Work",
            "/work/title",
            "custom_field_123",
        ] {
            assert_eq!(known(unknown), None, "{unknown}");
        }
        assert_eq!(known("work"), Some("work"));
        assert_eq!(known("yearsOfService"), Some("yearsOfService"));
        assert_eq!(known("/work/title"), None);
    }

    #[test]
    fn round_trips_any_json_exactly() {
        let json =
            r#"{"a":[1,-2,3.5,"x",null,true,{"b":{}}],"id":3332883884017713938,"e":"q\"\u00e9"}"#;
        let compact: Compact = serde_json::from_str(json).unwrap();
        let value: Value = serde_json::from_str(json).unwrap();
        assert_eq!(compact.to_value(), value);
        assert_eq!(serde_json::to_value(&compact).unwrap(), value);
        assert_eq!(
            compact.get("id").unwrap().to_id_string().unwrap(),
            "3332883884017713938"
        );
        assert!(matches!(Key::new("work"), Key::Static(_)));
        assert!(matches!(Key::new("field_1"), Key::Owned(_)));
    }
}
