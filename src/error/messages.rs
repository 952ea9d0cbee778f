//! The words of each error's `Display`: what happened and what to do next.

use std::time::Duration;

use super::cause;
use super::{FieldProblem, ListHint, Operation};

/// `InvalidField`'s message. A duplicate date may come from HiBob's own 400
/// (so the request was sent, and refused), the rest are refused before sending.
pub(super) fn field_message(field: &str, problem: &FieldProblem) -> String {
    match problem {
        FieldProblem::DuplicateEffectiveDate { .. } => {
            format!("table entry refused, nothing was added: field `{field}` {problem}")
        }
        _ => format!("request not sent: field `{field}` {problem}"),
    }
}

/// `FieldProblem::DuplicateEffectiveDate`'s words.
pub(super) fn duplicate_date(
    f: &mut std::fmt::Formatter<'_>,
    date: chrono::NaiveDate,
    existing_entry: Option<i64>,
) -> std::fmt::Result {
    write!(
        f,
        "{date}: the employee already has an entry effective that day, and the table allows one per date (deductions: one per date and type); "
    )?;
    match existing_entry {
        Some(id) => write!(f, "update entry {id} instead, or pick another date"),
        None => {
            f.write_str("update that entry (its ID is in the table's read) or pick another date")
        }
    }
}

/// `Transport`'s message: the cause, when the source chain reveals it.
pub(super) fn transport_message(operation: Operation, source: &reqwest::Error) -> String {
    match cause::classify(source) {
        Some(cause) => format!(
            "could not talk to HiBob for {operation}: {}",
            cause.advice()
        ),
        None if source.is_connect() => format!(
            "could not connect to HiBob for {operation}; check the network, proxy and base URL"
        ),
        None => format!(
            "could not talk to HiBob for {operation}; check the network, proxy and base URL"
        ),
    }
}

pub(super) fn credentials_message(operation: Operation, remembered: bool) -> String {
    if remembered {
        format!(
            "{operation} not sent: HiBob already rejected this client's credentials (401); fix the service user ID or token and hand them to Client::set_service_user (or build a new client)"
        )
    } else {
        format!(
            "HiBob rejected the service-user credentials on {operation} (401); check the service user ID and token (a regenerated token replaces the old one)"
        )
    }
}

pub(super) fn permission_message(operation: Operation, hint: Option<&str>) -> String {
    match hint {
        Some(hint) => format!(
            "the service user may not {operation} (403); in Bob, grant its permission group: {hint}"
        ),
        None => format!(
            "the service user may not {operation} (403); add it to a permission group that allows this (Settings > Permission groups)"
        ),
    }
}

pub(super) fn key_suffix(key: Option<&str>) -> String {
    key.map(|k| format!(" with key `{k}`")).unwrap_or_default()
}

pub(super) fn retry_after_advice(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(
            "retry in {} s or lower the request rate",
            d.as_secs().max(1)
        ),
        None => "slow down and try again later".to_owned(),
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown => f.write_str(
                "is not in the company's fields metadata; check the ID with client.metadata().fields()",
            ),
            Self::Historical { use_instead } => write!(
                f,
                "is historical and cannot be updated directly; change it with {use_instead}"
            ),
            Self::Format { expected } => write!(f, "must be {expected}"),
            Self::NotInList { list, hint: ListHint::Archived } => write!(
                f,
                "is an archived item of list `{list}`; pick an active item, or restore it in Bob"
            ),
            Self::NotInList { list, hint: ListHint::Closest(closest) } => write!(
                f,
                "is not an item of list `{list}`; did you mean \"{closest}\"? (see client.metadata().named_list(\"{list}\"))"
            ),
            Self::NotInList { list, hint: ListHint::NoneClose } => write!(
                f,
                "is not an item of list `{list}` (or the company has no list `{list}`); see client.metadata().named_lists(..)"
            ),
            Self::Missing => f.write_str("is required by this table; set it"),
            Self::DuplicateEffectiveDate { date, existing_entry } => {
                duplicate_date(f, *date, *existing_entry)
            }
        }
    }
}
