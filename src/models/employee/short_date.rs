//! `MM-DD` dates without a year (HiBob's `short-date` field type).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A month and day without a year, as HiBob's `short-date` fields send them
/// (`"08-10"` for 10 August), e.g. `personal.shortBirthDate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShortDate {
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31 (29 February is valid).
    pub day: u32,
}

/// Why a string is not a `MM-DD` short date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a MM-DD short date")]
pub struct ParseShortDateError;

impl ShortDate {
    /// A short date, if `month`/`day` exist in some year (29 February does).
    pub fn new(month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(2000, month, day).map(|_| Self { month, day })
    }

    /// This month and day in `year` (`None` for 29 February in a common year).
    pub fn with_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

impl FromStr for ShortDate {
    type Err = ParseShortDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (m, d) = s.split_once('-').ok_or(ParseShortDateError)?;
        let digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(m) || !digits(d) {
            return Err(ParseShortDateError);
        }
        let month = m.parse().map_err(|_| ParseShortDateError)?;
        let day = d.parse().map_err(|_| ParseShortDateError)?;
        Self::new(month, day).ok_or(ParseShortDateError)
    }
}

impl fmt::Display for ShortDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for ShortDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ShortDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
