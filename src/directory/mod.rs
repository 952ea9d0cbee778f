//! Directory sync (feature `directory`): a [`Snapshot`] of users, groups
//! and the manager tree, and the change [`Event`]s between two snapshots.
//!
//! # Status (issue 16, work in progress; a CHANGELOG line, not yet in the README)
//!
//! **What exists** (parts 1 and 2 of the issue):
//! - [`Snapshot::builder`]: typed [`User`] rows from `Vec<Employee>` and
//!   [`Labels`](crate::metadata::Labels), list values carrying item ID and
//!   label; [`Group`]s from the chosen list fields (default
//!   `work.department`, `work.site`, keyed for sites by `work.siteId`),
//!   parents from hierarchical lists; the [`ManagerTree`] (chain, direct
//!   reports, depth); [`Finding`]s for duplicate IDs, missing managers,
//!   manager cycles, unknown list items, withheld columns.
//! - [`diff`] / [`diff_with`]: the events of the issue's table in the
//!   stable order users by ID, then groups, then memberships; stable
//!   `event_id`s; the withheld-column rule ([`Snapshot::keep_withheld`]);
//!   the mass-removal guard ([`DiffError`]).
//!
//! **What is next**: the `Store` trait with in-memory and SQLite stores
//! (`directory-sqlite`), incremental refresh from webhooks, `roster_sync`
//! over this module and `directory_daemon`, the fake's new mutations, the
//! README event table and CHANGELOG entry, and the benches (the diff is
//! plain `BTreeMap` walks and JSON values for `changes`; measure before
//! tuning). Open questions: a group whose parent changes has no event
//! type in the issue (none is emitted); `user.deactivated`'s `status` is
//! the deciding status as text (`terminated`, `Inactive`, `employed`...;
//! see [`User::status_text`]).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use hibob::directory::{EventKind, Snapshot, diff};
//! use hibob::metadata::Labels;
//! use hibob::people::Employee;
//! use serde_json::json;
//!
//! let labels = Labels::default();
//! let read = |id: &str, email: &str| Employee::from_value(json!({"id": id, "email": email})).unwrap();
//! let monday = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
//! let tuesday = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
//! let before = Snapshot::builder(vec![read("1", "ada@example.com")], &labels, monday).build();
//! let after = Snapshot::builder(vec![read("1", "ada@example.org")], &labels, tuesday).build();
//!
//! let changes = diff(&before, &after)?;
//! assert!(matches!(&changes.events[0].kind, EventKind::UserUpdated { changes, .. } if changes.contains_key("email")));
//! let line = serde_json::to_value(&changes.events[0]).unwrap();
//! assert_eq!(line["type"], "user.updated");
//! assert_eq!(line["at"], "2026-12-01T09:00:00Z");
//! # Ok::<(), hibob::directory::DiffError>(())
//! ```

mod diff;
mod events;
mod findings;
mod groups;
mod managers;
mod refresh;
mod snapshot;
mod store;
mod sync;
#[cfg(test)]
mod tests;
#[cfg(feature = "webhooks")]
mod webhook;

pub use diff::{Diff, DiffError, DiffOptions, diff, diff_with};
pub use events::{Change, Event, EventKind, GroupInfo};
pub use findings::Finding;
pub use groups::{Group, GroupKey};
pub use managers::ManagerTree;
pub use snapshot::{ExtraValue, ListValue, Snapshot, SnapshotBuilder, User};
#[cfg(feature = "directory-sqlite")]
pub use store::SqliteStore;
pub use store::{Batch, BatchId, DEFAULT_KEPT_BATCHES, MemoryStore, Store, StoreError};
pub use sync::{
    DEFAULT_REREAD_DELAY, Directory, DirectoryBuilder, DirectoryError, Pending, SyncReport,
};
