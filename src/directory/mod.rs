//! Directory sync (feature `directory`): a [`Snapshot`] of users, groups
//! and the manager tree, the change [`Event`]s between two snapshots, and a
//! [`Directory`] that keeps a [`Store`] in step with HiBob.
//!
//! - [`Snapshot::builder`]: typed [`User`] rows from `Vec<Employee>` and
//!   [`Labels`](crate::metadata::Labels), list values carrying item ID and
//!   label; [`Group`]s from the chosen list fields (default
//!   `work.department`, `work.site`, keyed for sites by `work.siteId`),
//!   parents from hierarchical lists; the [`ManagerTree`] (chain, direct
//!   reports, depth); [`Finding`]s for duplicate IDs, missing managers,
//!   manager cycles, unknown list items, withheld columns.
//! - [`diff`] / [`diff_with`]: the events (users by ID, then groups, then
//!   memberships) with stable `event_id`s; the withheld-column rule
//!   ([`Snapshot::keep_withheld`]) and the mass-removal guard
//!   ([`DiffError`]).
//! - [`Directory`]: a client and a [`Store`] kept in step by full
//!   reconciliations ([`Directory::reconcile`], or [`Directory::prepare`]
//!   then [`Pending::commit`]) and one-employee refreshes from webhooks
//!   (`Directory::apply_webhook`, feature `webhooks`).
//! - Stores: [`MemoryStore`], and `SqliteStore` (feature
//!   `directory-sqlite`), which also migrates `roster_sync` 0.1 state files.
//!
//! Decisions where the issue is silent: a group whose parent changes has
//! no event type (none is emitted; `group.created` carries the parent);
//! `user.deactivated`'s `status` is the deciding status as text
//! (`terminated`, `Inactive`, `employed`...; see [`User::status_text`]);
//! `user.updated` keeps status and manager-e-mail changes beside the
//! activation and manager events, so `changes` is lossless.
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
mod outcome;
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
pub use outcome::{DirectoryError, SyncReport};
pub use snapshot::{ExtraValue, ListValue, Snapshot, SnapshotBuilder, User};
#[cfg(feature = "directory-sqlite")]
pub use store::SqliteStore;
pub use store::{Batch, BatchId, DEFAULT_KEPT_BATCHES, MemoryStore, Store, StoreError};
pub use sync::{DEFAULT_REREAD_DELAY, Directory, DirectoryBuilder, Pending};
