//! Typed employee statuses: the lifecycle status (`internal.lifecycleStatus`,
//! a lifecycle row's `status`) and the internal, access status
//! (`internal.status`, a lifecycle row's `employeeStatus`).
//!
//! HiBob does not promise the spelling: people reads send `employed` in
//! machine mode and `Employed` in `humanReadable`, and the lifecycle table and
//! the OpenAPI write `Hired`, `Garden leave`. Both enums therefore match
//! ignoring ASCII case and the separators ` `, `_` and `-` (`garden leave`,
//! `Garden_Leave`, `gardenLeave` are all [`LifecycleStatus::GardenLeave`]),
//! and keep anything else verbatim in an `Unknown` arm.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::employee::de;

/// Lowercase ASCII without spaces, underscores or hyphens: the form two
/// spellings of one status share.
fn folded(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

macro_rules! status_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($variant:ident => $canonical:literal, $folded:literal, $doc:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = $doc] $variant,)*
            /// Any other value, kept exactly as HiBob sent it.
            Unknown(String),
        }

        impl $name {
            /// Reads a status as HiBob writes it, ignoring ASCII case and
            /// ` `/`_`/`-`; anything else becomes `Unknown` with the text as sent.
            pub fn parse(text: &str) -> Self {
                match folded(text).as_str() {
                    $($folded => $name::$variant,)*
                    _ => $name::Unknown(text.to_owned()),
                }
            }

            /// The canonical spelling of a known status, or the text of an
            /// `Unknown` one as it was received. This is also what
            /// serializing writes.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $canonical,)*
                    $name::Unknown(text) => text,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Infallible;

            /// Never fails: see [`parse`](Self::parse).
            fn from_str(text: &str) -> Result<Self, Infallible> {
                Ok($name::parse(text))
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::parse(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Any string (see [`parse`](Self::parse)); numbers and booleans as
            /// their text. `null` is an error here; model fields use `Option`.
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                match de::opt_string(deserializer)? {
                    Some(text) => Ok($name::parse(&text)),
                    None => Err(serde::de::Error::custom(concat!(
                        "expected a ",
                        stringify!($name),
                        " string, found null"
                    ))),
                }
            }
        }
    };
}

status_enum! {
    /// An employee's lifecycle status: `internal.lifecycleStatus` on
    /// [`Employee`](crate::people::Employee), `status` on a lifecycle row
    /// ([`LifecycleEntry`](crate::tables::LifecycleEntry)).
    ///
    /// Open: HiBob may send statuses this crate does not know (its OpenAPI
    /// also lists "Parental leave"); they arrive as
    /// [`Unknown`](Self::Unknown) with the text as sent.
    ///
    /// Serializing writes [`as_str`](Self::as_str): the lowercase canonical
    /// form for known statuses (`employed`, `garden leave`), whatever the
    /// casing received, and the received text for unknown ones. The
    /// canonical forms follow the machine values people reads send
    /// (`employed`); HiBob's exact machine value for garden leave is not
    /// documented, so `garden leave` is this crate's spelling.
    ///
    /// ```
    /// use hibob::people::LifecycleStatus;
    ///
    /// assert_eq!(LifecycleStatus::parse("Employed"), LifecycleStatus::Employed);
    /// assert_eq!(LifecycleStatus::parse("gardenLeave"), LifecycleStatus::GardenLeave);
    /// assert_eq!(LifecycleStatus::GardenLeave.as_str(), "garden leave");
    /// let other = LifecycleStatus::parse("Parental leave");
    /// assert_eq!(other, LifecycleStatus::Unknown("Parental leave".into()));
    /// assert_eq!(other.to_string(), "Parental leave");
    /// assert!(LifecycleStatus::Terminated.is_terminated());
    /// ```
    LifecycleStatus {
        Hired => "hired", "hired", "Hired: the start date is still ahead.";
        Employed => "employed", "employed", "Employed.";
        Leave => "leave", "leave", "On leave.";
        GardenLeave => "garden leave", "gardenleave", "On garden leave (serving notice away from work).";
        Terminated => "terminated", "terminated", "Terminated: a former employee.";
    }
}

impl LifecycleStatus {
    /// Whether the status is [`Terminated`](Self::Terminated) (garden leave
    /// is not: the employee has not left yet).
    pub fn is_terminated(&self) -> bool {
        matches!(self, LifecycleStatus::Terminated)
    }
}

status_enum! {
    /// An employee's internal (access) status: `internal.status` on
    /// [`Employee`](crate::people::Employee), `employeeStatus` on a
    /// lifecycle row ([`LifecycleEntry`](crate::tables::LifecycleEntry)).
    /// HiBob derives it from the lifecycle status; only `Active` employees
    /// can sign in, and people searches without `showInactive` return only
    /// them.
    ///
    /// Open like [`LifecycleStatus`]; serializing writes `Active` or
    /// `Inactive` (HiBob's own spelling), or an unknown value as received.
    ///
    /// ```
    /// use hibob::people::InternalStatus;
    ///
    /// assert_eq!(InternalStatus::parse("active"), InternalStatus::Active);
    /// assert_eq!(InternalStatus::Inactive.to_string(), "Inactive");
    /// assert!(InternalStatus::Active.is_active());
    /// assert!(!InternalStatus::parse("Suspended").is_active());
    /// ```
    InternalStatus {
        Active => "Active", "active", "`Active`.";
        Inactive => "Inactive", "inactive", "`Inactive`.";
    }
}

impl InternalStatus {
    /// Whether the status is [`Active`](Self::Active).
    pub fn is_active(&self) -> bool {
        matches!(self, InternalStatus::Active)
    }
}

/// A status column: `null`, a missing value and blank text are `None`; any
/// other text is parsed (never an error, so one odd row cannot fail a table).
pub(crate) fn opt_status<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    Ok(de::opt_string(d)?
        .filter(|text| !text.trim().is_empty())
        .map(|text| T::from(&text)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lifecycle_spellings_fold_to_one_status() {
        let cases = [
            ("employed", LifecycleStatus::Employed),
            ("Employed", LifecycleStatus::Employed),
            (" EMPLOYED ", LifecycleStatus::Employed),
            ("Hired", LifecycleStatus::Hired),
            ("leave", LifecycleStatus::Leave),
            ("Garden leave", LifecycleStatus::GardenLeave),
            ("garden_leave", LifecycleStatus::GardenLeave),
            ("gardenLeave", LifecycleStatus::GardenLeave),
            ("GARDEN-LEAVE", LifecycleStatus::GardenLeave),
            ("Terminated", LifecycleStatus::Terminated),
        ];
        for (text, want) in cases {
            assert_eq!(LifecycleStatus::parse(text), want, "{text:?}");
            assert_eq!(text.parse::<LifecycleStatus>().unwrap(), want);
        }
    }

    #[test]
    fn unknown_values_keep_their_text_exactly() {
        for text in ["Parental leave", "on_leave", "", "  "] {
            let status = LifecycleStatus::parse(text);
            assert_eq!(status, LifecycleStatus::Unknown(text.to_owned()));
            assert_eq!(status.as_str(), text);
            assert_eq!(serde_json::to_value(&status).unwrap(), json!(text));
        }
        assert_eq!(
            InternalStatus::parse("Pending"),
            InternalStatus::Unknown("Pending".into())
        );
        assert!(!LifecycleStatus::parse("Terminated (legacy)").is_terminated());
    }

    #[test]
    fn known_values_serialize_canonically_and_round_trip() {
        let status: LifecycleStatus = serde_json::from_value(json!("Garden_Leave")).unwrap();
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            json!("garden leave")
        );
        let again: LifecycleStatus = serde_json::from_value(json!(status.as_str())).unwrap();
        assert_eq!(again, status);
        let internal: InternalStatus = serde_json::from_value(json!("ACTIVE")).unwrap();
        assert_eq!(serde_json::to_value(&internal).unwrap(), json!("Active"));
        assert_eq!(InternalStatus::Inactive.to_string(), "Inactive");
        assert_eq!(LifecycleStatus::Employed.to_string(), "employed");
        assert!(serde_json::from_value::<InternalStatus>(json!(null)).is_err());
    }

    #[test]
    fn helpers_are_narrow() {
        assert!(LifecycleStatus::Terminated.is_terminated());
        for other in [
            LifecycleStatus::GardenLeave,
            LifecycleStatus::Leave,
            LifecycleStatus::Hired,
            LifecycleStatus::Employed,
        ] {
            assert!(!other.is_terminated(), "{other}");
        }
        assert!(InternalStatus::Active.is_active());
        assert!(!InternalStatus::Inactive.is_active());
        assert!(!InternalStatus::Unknown("Active-ish".into()).is_active());
    }
}
