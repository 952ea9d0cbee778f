//! Plain data models: identifiers, employees, table rows, metadata and the
//! cursor page. This module is private: users reach each model through its
//! API group (`hibob::people::Employee`, `hibob::tables::WorkEntry`,
//! `hibob::metadata::FieldMeta`), and the shared ones (identifiers, the
//! cursor page every paginated group returns) from the crate root.
//!
//! Every model is `#[non_exhaustive]` where HiBob may add things, keeps unknown
//! JSON under an `extra` map, and treats every field as optional, because HiBob
//! silently omits what the service user may not see.

use std::fmt;

use serde::{Deserialize, Serialize};

pub(crate) mod custom_tables;
pub(crate) mod employee;
pub(crate) mod metadata;
mod page;
pub(crate) mod status;
pub(crate) mod tables;
pub(crate) mod time_off;

pub use page::CursorPage;

/// A HiBob employee ID: a string of digits, often 19 long (beyond 2^53).
///
/// It is kept as a string so it never passes through a float.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct EmployeeId(String);

impl EmployeeId {
    /// Wraps an ID as given by HiBob.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The ID as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmployeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for EmployeeId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for EmployeeId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl From<&String> for EmployeeId {
    fn from(id: &String) -> Self {
        Self(id.clone())
    }
}

impl From<&EmployeeId> for EmployeeId {
    fn from(id: &EmployeeId) -> Self {
        id.clone()
    }
}

impl AsRef<str> for EmployeeId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A HiBob field ID as listed by fields metadata (`root.id`, `work.department`,
/// `work.custom.field_1698036945383`): what goes into a search's `fields`.
///
/// Constants for the common fields live in [`field`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldId(std::borrow::Cow<'static, str>);

impl FieldId {
    /// A field ID known at compile time.
    pub const fn from_static(id: &'static str) -> Self {
        Self(std::borrow::Cow::Borrowed(id))
    }

    /// Any field ID, typically a custom field's ID taken from fields metadata.
    pub fn custom(id: impl Into<String>) -> Self {
        Self(std::borrow::Cow::Owned(id.into()))
    }

    /// The ID as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of this field's value in an employee's nested JSON, as HiBob
    /// builds it by default: root fields lose their `root.` prefix.
    ///
    /// Fields metadata (`jsonPath`) is authoritative; this is the fallback.
    pub fn default_json_path(&self) -> &str {
        self.0.strip_prefix("root.").unwrap_or(&self.0)
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for FieldId {
    fn from(id: &str) -> Self {
        Self::custom(id)
    }
}

impl From<String> for FieldId {
    fn from(id: String) -> Self {
        Self::custom(id)
    }
}

impl From<&String> for FieldId {
    fn from(id: &String) -> Self {
        Self::custom(id.clone())
    }
}

impl From<&FieldId> for FieldId {
    fn from(id: &FieldId) -> Self {
        id.clone()
    }
}

impl AsRef<str> for FieldId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Constants for the field IDs a roster needs; pass them to
/// [`SearchRequest::fields`](crate::people::SearchRequest::fields).
pub mod field {
    use super::FieldId;

    /// Builds a field ID from a string, typically a custom field's ID from metadata.
    pub fn custom(id: impl Into<String>) -> FieldId {
        FieldId::custom(id)
    }

    /// `root.id`: the employee's backend ID.
    pub const ID: FieldId = FieldId::from_static("root.id");
    /// `root.firstName`.
    pub const FIRST_NAME: FieldId = FieldId::from_static("root.firstName");
    /// `root.surname`.
    pub const SURNAME: FieldId = FieldId::from_static("root.surname");
    /// `root.displayName`.
    pub const DISPLAY_NAME: FieldId = FieldId::from_static("root.displayName");
    /// `root.fullName`.
    pub const FULL_NAME: FieldId = FieldId::from_static("root.fullName");
    /// `root.email`: the work e-mail.
    pub const EMAIL: FieldId = FieldId::from_static("root.email");
    /// `work.title` (a list item ID; a label with `humanReadable`).
    pub const TITLE: FieldId = FieldId::from_static("work.title");
    /// `work.department` (a list item ID; a label with `humanReadable`).
    pub const DEPARTMENT: FieldId = FieldId::from_static("work.department");
    /// `work.site`: the site's name.
    pub const SITE: FieldId = FieldId::from_static("work.site");
    /// `work.siteId`.
    pub const SITE_ID: FieldId = FieldId::from_static("work.siteId");
    /// `work.startDate`.
    pub const START_DATE: FieldId = FieldId::from_static("work.startDate");
    /// `work.reportsTo`: the manager as an object (ID, names, e-mail).
    pub const REPORTS_TO: FieldId = FieldId::from_static("work.reportsTo");
    /// `work.manager`: the manager's employee ID.
    pub const MANAGER: FieldId = FieldId::from_static("work.manager");
    /// `work.employeeIdInCompany`: the company's own employee number.
    pub const EMPLOYEE_ID_IN_COMPANY: FieldId = FieldId::from_static("work.employeeIdInCompany");
    /// `internal.status`: `Active` or `Inactive`.
    pub const STATUS: FieldId = FieldId::from_static("internal.status");
    /// `internal.lifecycleStatus`: employed, leave, terminated…
    pub const LIFECYCLE_STATUS: FieldId = FieldId::from_static("internal.lifecycleStatus");
    /// `internal.terminationDate`.
    pub const TERMINATION_DATE: FieldId = FieldId::from_static("internal.terminationDate");
    /// `internal.terminationReason` (a list item ID).
    pub const TERMINATION_REASON: FieldId = FieldId::from_static("internal.terminationReason");

    /// The fields a roster sync reads, in a stable order.
    pub const ROSTER: [FieldId; 17] = [
        ID,
        EMPLOYEE_ID_IN_COMPANY,
        EMAIL,
        FIRST_NAME,
        SURNAME,
        DISPLAY_NAME,
        TITLE,
        DEPARTMENT,
        SITE,
        SITE_ID,
        START_DATE,
        REPORTS_TO,
        MANAGER,
        STATUS,
        LIFECYCLE_STATUS,
        TERMINATION_DATE,
        TERMINATION_REASON,
    ];
}
