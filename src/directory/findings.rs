//! What a snapshot build or a diff found wrong with its input: reported,
//! never a panic or a loop.

use serde::{Deserialize, Serialize};

use crate::models::{EmployeeId, FieldId};

/// One problem with the input, kept beside the result so a sync can go on
/// and tell someone. Each says what to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Finding {
    /// HiBob returned two employees with one ID; the first was kept.
    #[error("employee `{user_id}` was returned twice; the first record was kept")]
    DuplicateUser {
        /// The repeated ID.
        user_id: EmployeeId,
    },
    /// A user's manager is not among the users (not visible to the service
    /// user, or gone); the user is treated as the top of their chain.
    #[error(
        "employee `{user_id}` reports to `{manager_id}`, who is not in the snapshot: grant the service user access to them, or fix the manager in Bob"
    )]
    MissingManager {
        /// The user.
        user_id: EmployeeId,
        /// The manager ID nobody has.
        manager_id: EmployeeId,
    },
    /// Managers form a loop; these users have no depth and their chains stop
    /// before repeating anyone.
    #[error("the managers of {user_ids:?} form a cycle: fix the reporting line in Bob")]
    ManagerCycle {
        /// The users on the cycle, sorted.
        user_ids: Vec<EmployeeId>,
    },
    /// A group field's value is no item of its named list (archived items
    /// included); the group is kept, named by its ID.
    #[error(
        "`{item}` in field `{field}` is not an item of its named list: read the labels again with client.metadata().labels()"
    )]
    UnknownListItem {
        /// The group field.
        field: FieldId,
        /// The item ID.
        item: String,
    },
    /// An attribute or group field came back for nobody this run (withheld
    /// by permissions); its previous values were kept and no event emitted.
    #[error(
        "`{attribute}` came back for no employee: its previous values were kept; grant the service user access to it"
    )]
    Withheld {
        /// The [`User`](super::User) attribute or field ID.
        attribute: String,
    },
    /// A webhook named an employee HiBob answers 404 for: deleted, or out
    /// of the service user's audience. A known user was removed.
    #[error(
        "employee `{user_id}` from a webhook cannot be read (404): deleted, or outside the service user's audience; grant access to them if they should be synced"
    )]
    NotVisible {
        /// The employee.
        user_id: EmployeeId,
    },
}
