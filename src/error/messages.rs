//! The words of each error's `Display`: what happened and what to do next.

use std::time::Duration;

use super::cause;
use super::{FieldProblem, Operation};

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
        "{date}: the employee already has an entry effective that day, and the table allows one per date; "
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
