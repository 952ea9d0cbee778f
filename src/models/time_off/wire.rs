//! How time-off JSON values are read: one visitor for every scalar field, and
//! the macro behind the open enums.
//!
//! The rule differs from the employee tables on purpose. `null`, a missing
//! key and blank text are `None`; numbers sent as numeric text and booleans
//! sent as `"true"`/`"false"` are accepted, because HiBob is loose about them.
//! A value of the wrong shape (an object where a date belongs, `"soon"` as a
//! date, `"six"` as a number) is an error, so the caller sees the JSON path of
//! the change instead of an empty value.

use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::models::EmployeeId;

/// Whether two spellings are one value, ignoring ASCII case, surrounding
/// blanks and the separators ` `, `_` and `-` (`all_day`, `allDay`, `All day`).
pub(super) fn same_folded(a: &str, b: &str) -> bool {
    fn fold(text: &str) -> impl Iterator<Item = char> + '_ {
        text.trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
    }
    fold(a).eq(fold(b))
}

/// An open enum: the values HiBob documents, plus `Other(String)` for
/// anything else, kept exactly as sent.
///
/// Parsing ignores case and separators (see [`same_folded`]); `as_str` and
/// serializing give the canonical spelling of a known value (the first
/// literal) and the received text of an `Other`, so `Other` round-trips
/// exactly. Deserializing takes a string only: a number or an object is an
/// error with its path.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal $(| $alias:literal)* ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// Any other value, kept exactly as HiBob sent it.
            Other(String),
        }

        impl $name {
            /// Reads a value as HiBob writes it (ignoring case and ` `/`_`/`-`);
            /// anything else becomes `Other` with the text as sent.
            pub fn parse(text: &str) -> Self {
                use $crate::models::time_off::wire::same_folded;
                $(
                    if same_folded(text, $wire) $(|| same_folded(text, $alias))* {
                        return Self::$variant;
                    }
                )*
                Self::Other(text.to_owned())
            }

            /// The canonical spelling of a known value, or an `Other`'s text
            /// as received. Serializing writes this.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Other(text) => text,
                }
            }

            /// Whether this is one of the values HiBob documents.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(text))
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::models::time_off::wire::required(d)
            }
        }

        impl $crate::models::time_off::wire::Scalar for $name {
            const EXPECTING: &'static str = concat!("a ", stringify!($name), " string");

            fn from_text(text: &str) -> Option<Self> {
                Some(Self::parse(text))
            }
        }
    };
}

pub(crate) use open_enum;

/// A value read from one JSON scalar. Each `from_*` returning `None` means
/// "not this shape", which becomes an error naming [`EXPECTING`](Self::EXPECTING).
pub(super) trait Scalar: Sized {
    /// What the error says was expected, e.g. "a date as YYYY-MM-DD".
    const EXPECTING: &'static str;
    /// Whether blank text means no value (`true` for everything but free text).
    const BLANK_IS_NONE: bool = true;

    fn from_text(text: &str) -> Option<Self>;
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(n: u64) -> Option<Self> {
        i64::try_from(n).ok().and_then(Self::from_i64)
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

struct OptScalar<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for OptScalar<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if T::BLANK_IS_NONE && v.trim().is_empty() {
            return Ok(None);
        }
        T::from_text(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_bool(v)
            .map(Some)
            .ok_or_else(|| E::invalid_type(Unexpected::Bool(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_type(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_u64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_type(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_type(Unexpected::Float(v), &self))
    }
}

/// An optional scalar field (`#[serde(default, deserialize_with = "opt")]`).
pub(super) fn opt<'de, D: Deserializer<'de>, T: Scalar>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(OptScalar(PhantomData))
}

/// A scalar that must be there: `null` or blank is an error too.
pub(super) fn required<'de, D: Deserializer<'de>, T: Scalar>(d: D) -> Result<T, D::Error> {
    opt(d)?.ok_or_else(|| de::Error::invalid_type(Unexpected::Unit, &T::EXPECTING))
}

/// A list whose key must be present; `null` reads as empty.
pub(super) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Writes a date as `YYYY-MM-DD` (what HiBob's query strings and bodies take).
pub(super) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Serializes a time of day as `HH:MM:SS`, the form the submit body shows.
pub(super) fn ser_time<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
    time.format("%H:%M:%S").to_string().serialize(s)
}

impl Scalar for NaiveDate {
    const EXPECTING: &'static str = "a date as YYYY-MM-DD";

    /// `YYYY-MM-DD`; also a date-time at exactly midnight, the form some
    /// documentation tools turn a date into (`2024-01-31T00:00:00.000Z`).
    fn from_text(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() == 10 {
            return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        }
        NaiveDateTime::from_text(text)
            .filter(|at| at.time() == NaiveTime::MIN)
            .map(|at| at.date())
    }
}

impl Scalar for NaiveDateTime {
    const EXPECTING: &'static str = "an ISO 8601 date-time";

    /// HiBob's naive form (`2024-08-04T13:11:12.44924`, read as UTC), with a
    /// space instead of `T`, without seconds, or with `Z`/an offset
    /// (converted to UTC).
    fn from_text(text: &str) -> Option<Self> {
        let text = text.trim();
        const NAIVE: [&str; 4] = [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ];
        NAIVE
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .or_else(|| {
                DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(|at| at.naive_utc())
            })
    }
}

impl Scalar for f64 {
    const EXPECTING: &'static str = "a number";

    fn from_text(text: &str) -> Option<Self> {
        text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(n)
    }
}

impl Scalar for i64 {
    const EXPECTING: &'static str = "an integer";

    fn from_text(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(n)
    }
    /// `6.0` is 6; `6.5` is not an integer.
    fn from_f64(n: f64) -> Option<Self> {
        let whole = n.fract() == 0.0 && n.abs() < 9.0e15;
        whole.then_some(n as i64)
    }
}

impl Scalar for bool {
    const EXPECTING: &'static str = "a boolean";

    fn from_text(text: &str) -> Option<Self> {
        match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Some(true),
            t if t.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
    fn from_bool(b: bool) -> Option<Self> {
        Some(b)
    }
}

/// Free text, kept exactly (blank included). Numbers are taken as their text,
/// because HiBob sends some codes and IDs as numbers in one place and
/// strings in another.
impl Scalar for String {
    const EXPECTING: &'static str = "a string";
    const BLANK_IS_NONE: bool = false;

    fn from_text(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(n.to_string())
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(n.to_string())
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(n.to_string())
    }
}

/// An employee ID, as a string or (rarely) a number, kept as exact text.
impl Scalar for EmployeeId {
    const EXPECTING: &'static str = "an employee ID";

    fn from_text(text: &str) -> Option<Self> {
        Some(EmployeeId::new(text.trim()))
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(EmployeeId::new(n.to_string()))
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(EmployeeId::new(n.to_string()))
    }
}
