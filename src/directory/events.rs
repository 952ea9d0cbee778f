//! The change events between two snapshots, as the JSON objects the issue
//! names: a `type` tag, the listed keys, `event_id` and `at`.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::groups::GroupKey;
use super::snapshot::User;
use crate::models::{EmployeeId, FieldId};

/// One change event. Serializes to one JSON object:
/// `{"event_id": …, "at": "2026-12-01T14:00:00Z", "type": "user.removed", "user_id": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// Unique within a diff and the same every time the same two snapshots
    /// are diffed: a hash of both snapshot times and the event's content.
    pub event_id: String,
    /// When the change was seen: the current snapshot's time, ISO 8601 UTC.
    #[serde(serialize_with = "iso_utc")]
    pub at: DateTime<Utc>,
    /// What changed.
    #[serde(flatten)]
    pub kind: EventKind,
}

fn iso_utc<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// An attribute's old and new value in a `user.updated` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Change {
    /// The previous value (`null` when there was none).
    pub old: Value,
    /// The current value (`null` when there is none).
    pub new: Value,
}

/// A new group in a `group.created` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// The field ID.
    pub field: FieldId,
    /// The list item ID.
    pub id: String,
    /// The label.
    pub name: String,
    /// The parent item ID in a hierarchical list.
    pub parent: Option<String>,
}

/// What an [`Event`] says changed; the serde `type` tag is the event type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum EventKind {
    /// A user appeared.
    #[serde(rename = "user.created")]
    UserCreated {
        /// The whole row.
        user: Box<User>,
    },
    /// Attributes changed (all but `manager_id`, which has its own event;
    /// status attributes appear here too, beside an activation event). List
    /// values compare by item ID.
    #[serde(rename = "user.updated")]
    UserUpdated {
        /// The user.
        user_id: EmployeeId,
        /// Each changed attribute (a [`User`] field name or an extra field ID).
        changes: BTreeMap<String, Change>,
    },
    /// The user became terminated, or Inactive without being a future hire.
    #[serde(rename = "user.deactivated")]
    UserDeactivated {
        /// The user.
        user_id: EmployeeId,
        /// The deciding status now ([`User::status_text`]).
        status: Option<String>,
    },
    /// The reverse of `user.deactivated`.
    #[serde(rename = "user.reactivated")]
    UserReactivated {
        /// The user.
        user_id: EmployeeId,
        /// The deciding status now ([`User::status_text`]).
        status: Option<String>,
    },
    /// HiBob no longer returns the user at all.
    #[serde(rename = "user.removed")]
    UserRemoved {
        /// The user.
        user_id: EmployeeId,
    },
    /// The user's manager changed.
    #[serde(rename = "user.manager_changed")]
    UserManagerChanged {
        /// The user.
        user_id: EmployeeId,
        /// The previous manager ID.
        old: Option<EmployeeId>,
        /// The current manager ID.
        new: Option<EmployeeId>,
    },
    /// A group appeared.
    #[serde(rename = "group.created")]
    GroupCreated {
        /// The group.
        group: GroupInfo,
    },
    /// A group's label changed (its item ID did not; nobody moved).
    #[serde(rename = "group.renamed")]
    GroupRenamed {
        /// The group.
        group: GroupKey,
        /// The previous label.
        old: String,
        /// The current label.
        new: String,
    },
    /// A group is gone.
    #[serde(rename = "group.removed")]
    GroupRemoved {
        /// The group.
        group: GroupKey,
    },
    /// A user joined a group.
    #[serde(rename = "group.member_added")]
    GroupMemberAdded {
        /// The group.
        group: GroupKey,
        /// The user.
        user_id: EmployeeId,
    },
    /// A user left a group.
    #[serde(rename = "group.member_removed")]
    GroupMemberRemoved {
        /// The group.
        group: GroupKey,
        /// The user.
        user_id: EmployeeId,
    },
}

impl EventKind {
    /// The event type, as in the JSON `type` key (`user.created`...).
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::UserCreated { .. } => "user.created",
            EventKind::UserUpdated { .. } => "user.updated",
            EventKind::UserDeactivated { .. } => "user.deactivated",
            EventKind::UserReactivated { .. } => "user.reactivated",
            EventKind::UserRemoved { .. } => "user.removed",
            EventKind::UserManagerChanged { .. } => "user.manager_changed",
            EventKind::GroupCreated { .. } => "group.created",
            EventKind::GroupRenamed { .. } => "group.renamed",
            EventKind::GroupRemoved { .. } => "group.removed",
            EventKind::GroupMemberAdded { .. } => "group.member_added",
            EventKind::GroupMemberRemoved { .. } => "group.member_removed",
        }
    }

    /// The user the event is about (`None` for group events other than
    /// membership ones).
    pub fn user_id(&self) -> Option<&EmployeeId> {
        match self {
            EventKind::UserCreated { user } => Some(&user.id),
            EventKind::UserUpdated { user_id, .. }
            | EventKind::UserDeactivated { user_id, .. }
            | EventKind::UserReactivated { user_id, .. }
            | EventKind::UserRemoved { user_id }
            | EventKind::UserManagerChanged { user_id, .. }
            | EventKind::GroupMemberAdded { user_id, .. }
            | EventKind::GroupMemberRemoved { user_id, .. } => Some(user_id),
            _ => None,
        }
    }

    /// Whether this is a `user.*` event.
    pub fn is_user_event(&self) -> bool {
        self.type_name().starts_with("user.")
    }
}

/// Stamps `kind` with its stable ID and time: two FNV-1a 64-bit hashes
/// (different offsets) of both snapshot times and the event's JSON, which
/// serde_json writes in a fixed order (struct fields, sorted maps). No
/// randomly seeded hasher, so the ID survives a restart and a new build.
pub(super) fn stamp(kind: EventKind, previous: DateTime<Utc>, current: DateTime<Utc>) -> Event {
    let content = serde_json::to_string(&kind).unwrap_or_default();
    let input = format!(
        "{}|{}|{content}",
        previous.timestamp_micros(),
        current.timestamp_micros()
    );
    let id = format!(
        "{:016x}{:016x}",
        fnv1a(input.as_bytes(), 0xcbf2_9ce4_8422_2325),
        fnv1a(input.as_bytes(), 0x6c62_272e_07bb_0142)
    );
    Event {
        event_id: id,
        at: current,
        kind,
    }
}

fn fnv1a(bytes: &[u8], offset: u64) -> u64 {
    bytes.iter().fold(offset, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
