//! A JSON decode failure that is safe to log. serde_json's own message quotes
//! the value it could not use (`invalid type: string "ada@example.com",
//! expected a date`), and an HR response's values are personal data, so this
//! keeps the category, the position and the message with those values removed.

use std::fmt;

use serde_json::error::Category;

/// Stands in for a value HiBob sent.
const REDACTED: &str = "<redacted>";

/// Why HiBob's JSON did not fit the expected shape: serde's message with every
/// value from the response replaced by `<redacted>` (what was *expected* is
/// kept), its category, line and column. The JSON path is on
/// [`Error::Decode`](crate::Error::Decode).
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    message: String,
    category: Category,
    line: usize,
    column: usize,
}

impl DecodeError {
    /// Keeps what a developer needs from `error` and drops the response's values.
    pub(crate) fn redacting(error: &serde_json::Error) -> Self {
        let full = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let message = full.strip_suffix(&position).unwrap_or(&full);
        let message = match error.classify() {
            // serde_json's syntax and EOF messages are fixed texts; only data
            // errors (and custom ones, which are data errors) quote values.
            Category::Data => redact(message),
            _ => message.to_owned(),
        };
        Self(Box::new(Inner {
            message,
            category: error.classify(),
            line: error.line(),
            column: error.column(),
        }))
    }

    /// The message without the values HiBob sent, e.g.
    /// `invalid type: string <redacted>, expected a date`.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Syntax, data (valid JSON of the wrong shape), EOF (truncated) or I/O.
    pub fn category(&self) -> Category {
        self.0.category
    }

    /// Whether the body ended early, i.e. was truncated (worth a retry).
    pub fn is_eof(&self) -> bool {
        self.0.category == Category::Eof
    }

    /// 1-based line of the failure in the body (0 when unknown).
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// 1-based column of the failure in the body (0 when unknown).
    pub fn column(&self) -> usize {
        self.0.column
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        if self.line() != 0 {
            write!(f, " at line {} column {}", self.line(), self.column())?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("category", &self.category())
            .field("line", &self.line())
            .field("column", &self.column())
            .field("message", &self.message())
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// serde's data errors that name what was found (a response value), then
/// `, expected …` as written by the deserializer (code, not data).
const FOUND_THEN_EXPECTED: [&str; 5] = [
    "invalid type: ",
    "invalid value: ",
    "invalid length ",
    "unknown variant ",
    "unknown field ",
];

/// serde's data errors that quote a field name from the code, not a value.
const NAMES_A_FIELD: [&str; 2] = ["missing field `", "duplicate field `"];

/// Removes the response's values from a serde data-error message.
fn redact(message: &str) -> String {
    if names_a_field(message) {
        return message.to_owned();
    }
    let Some(prefix) = FOUND_THEN_EXPECTED
        .iter()
        .find(|p| message.starts_with(**p))
    else {
        return redact_quoted(message);
    };
    // `unknown variant `x`, there are no variants` has no expected part, and
    // a value may itself contain ", expected ", so only the last one counts
    // and only when serde writes one.
    let no_choices =
        message.ends_with(", there are no variants") || message.ends_with(", there are no fields");
    match message.rsplit_once(", expected ") {
        Some((found, expected)) if !no_choices => {
            format!("{}, expected {expected}", redact_found(prefix, found))
        }
        _ => redact_quoted(message),
    }
}

fn names_a_field(message: &str) -> bool {
    NAMES_A_FIELD.iter().any(|prefix| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('`'))
            .is_some_and(|name| !name.contains('`'))
    })
}

/// `invalid type: string "ada@example.com"` → `invalid type: string <redacted>`:
/// the kind of value stays, the value goes. serde quotes every value it shows
/// (strings in `"…"`, numbers, booleans and names in backticks).
fn redact_found(prefix: &str, found: &str) -> String {
    let rest = &found[prefix.len()..];
    match rest.find(['"', '`']) {
        Some(quote) => format!("{prefix}{}{REDACTED}", &rest[..quote]),
        None => found.to_owned(),
    }
}

/// Replaces every `"…"` (with `\` escapes) and `` `…` `` segment, quotes
/// included, by `<redacted>`; an unterminated one is redacted to the end.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        if c != '"' && c != '`' {
            out.push(c);
            continue;
        }
        out.push_str(REDACTED);
        skip_quoted(&mut chars, c);
    }
    out
}

/// Consumes a quoted segment up to and including its closing `quote`.
fn skip_quoted(chars: &mut std::str::Chars<'_>, quote: char) {
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => return,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted_message<T: serde::de::DeserializeOwned + fmt::Debug>(json: &str) -> String {
        let error = serde_json::from_str::<T>(json).unwrap_err();
        DecodeError::redacting(&error).to_string()
    }

    #[test]
    fn values_go_and_the_expected_shape_stays() {
        let text = redacted_message::<u32>(r#""ada@example.com""#);
        assert_eq!(
            text,
            "invalid type: string <redacted>, expected u32 at line 1 column 17"
        );
        let text = redacted_message::<String>("52000");
        assert_eq!(
            text,
            "invalid type: integer <redacted>, expected a string at line 1 column 5"
        );
        let text = redacted_message::<bool>("null");
        assert!(
            text.starts_with("invalid type: null, expected a boolean"),
            "{text}"
        );
    }

    #[test]
    fn quotes_and_commas_inside_a_value_cannot_smuggle_it_out() {
        let sneaky = r#""a\", expected ada@example.com""#;
        let text = redacted_message::<u8>(sneaky);
        assert!(!text.contains("ada@"), "{text}");
        assert!(text.contains("expected u8"), "{text}");
    }

    #[test]
    fn enum_variants_and_fields() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        enum Status {
            Active,
            Inactive,
        }
        let text = redacted_message::<Status>(r#""Ada Lovelace""#);
        assert!(
            text.starts_with("unknown variant <redacted>, expected `Active` or `Inactive`"),
            "{text}"
        );
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Work {
            title: String,
        }
        let text = redacted_message::<Work>("{}");
        assert!(text.starts_with("missing field `title`"), "{text}");
    }

    #[test]
    fn custom_messages_lose_every_quoted_segment() {
        assert_eq!(
            redact(r#"bad date "1815-12-10" for `ada` (unterminated "x"#),
            "bad date <redacted> for <redacted> (unterminated <redacted>"
        );
        assert_eq!(
            redact("unknown variant `a, expected b`, there are no variants"),
            "unknown variant <redacted>, there are no variants"
        );
    }

    #[test]
    fn syntax_and_eof_messages_are_kept_as_is() {
        let eof = serde_json::from_str::<Vec<u8>>("[1, 2").unwrap_err();
        let err = DecodeError::redacting(&eof);
        assert!(err.is_eof());
        assert_eq!(err.to_string(), eof.to_string());
        let syntax = serde_json::from_str::<serde_json::Value>(r#"{"a" 1}"#).unwrap_err();
        assert_eq!(DecodeError::redacting(&syntax).message(), "expected `:`");
    }
}
