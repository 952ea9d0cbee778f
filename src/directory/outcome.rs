//! What a sync gives back: its report, or why it stored nothing.

use super::diff::DiffError;
use super::events::Event;
use super::findings::Finding;
use super::store::{BatchId, StoreError};
use crate::Error;
use crate::models::FieldId;

/// What one reconciliation or refresh did.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SyncReport {
    /// The events, as stored.
    pub events: Vec<Event>,
    /// The stored batch (`None` when there were no events).
    pub batch: Option<BatchId>,
    /// Warnings: withheld columns, bad manager data, unknown list items,
    /// employees a webhook named that the service user cannot see.
    pub findings: Vec<Finding>,
    /// Users in the stored snapshot.
    pub users: usize,
}

/// Why a reconciliation or refresh stored nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DirectoryError {
    /// A HiBob read failed.
    #[error(transparent)]
    Hibob(#[from] Error),
    /// The guard refused the new snapshot; the store is unchanged.
    #[error(transparent)]
    Refused(#[from] DiffError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A group or extra field the directory was built with is not in
    /// HiBob's fields metadata; nothing else was read.
    #[error(
        "{} `{field}` is not a field of this company (see client.metadata().fields(); custom fields look like work.custom.field_1698036945383)",
        if *group { "group field" } else { "extra field" }
    )]
    UnknownField {
        /// The field ID.
        field: FieldId,
        /// Whether it was a group field (else an extra field).
        group: bool,
    },
    /// A refresh came before any reconciliation.
    #[error(
        "there is no stored snapshot to refresh yet: run Directory::reconcile once first (webhooks only carry changes)"
    )]
    NoBaseline,
}
