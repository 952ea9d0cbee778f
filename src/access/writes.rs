//! The Edit permissions each write needs, listed without probing: a write
//! cannot be tried safely, so [`check_access`](crate::Client::check_access)
//! sends none and this list says what to grant instead.

use std::fmt;

use super::report::GROUP;
use crate::onboarding::CUSTOMIZE_WELCOME_FLOW;
use crate::people::{
    ADD_PEOPLE, EDIT_ABOUT, EDIT_EMAIL, EDIT_FIELDS, EDIT_LIFECYCLE, EDIT_WORK, INVITE,
    REVOKE_ACCESS,
};

/// One write the crate can send and the Bob permission it needs: the same
/// words a 403 on it carries in [`Error::PermissionDenied`](crate::Error::PermissionDenied)'s `hint`.
///
/// ```
/// use hibob::access::WRITE_PERMISSIONS;
///
/// let create = WRITE_PERMISSIONS.iter().find(|w| w.route == "/people").unwrap();
/// assert_eq!(create.method, "POST");
/// assert!(create.permission.contains("Add new people"));
/// assert!(create.to_string().starts_with("POST /people (client.people().create(..)): Settings > Permission groups"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WritePermission {
    /// `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// The route template below `/v1`, e.g. `/employees/{identifier}/terminate`.
    pub route: &'static str,
    /// The crate's call that sends it, e.g. `client.people().terminate(..)`.
    pub call: &'static str,
    /// What to grant the service user's permission group, in Bob's UI words.
    pub permission: &'static str,
    /// A read the write needs first, whose permission the group needs as
    /// well (an invitation names a wizard from `GET /onboarding/wizards`).
    pub also_reads: Option<&'static str>,
}

impl WritePermission {
    const fn new(
        method: &'static str,
        route: &'static str,
        call: &'static str,
        permission: &'static str,
    ) -> Self {
        Self {
            method,
            route,
            call,
            permission,
            also_reads: None,
        }
    }

    const fn reading(mut self, permission: &'static str) -> Self {
        self.also_reads = Some(permission);
        self
    }
}

impl fmt::Display for WritePermission {
    /// `POST /people (client.people().create(..)): Settings > Permission groups > <group> > …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            method,
            route,
            call,
            permission,
            also_reads,
        } = self;
        write!(f, "{method} {route} ({call}): {GROUP} > {permission}")?;
        if let Some(read) = also_reads {
            write!(f, "; and {GROUP} > {read}")?;
        }
        Ok(())
    }
}

/// Every write the crate has, one line each, in the order of the docs.
/// (Table-entry writes join this list as they land.)
#[rustfmt::skip] // one write per line, so adding one is one line
pub const WRITE_PERMISSIONS: &[WritePermission] = &[
    WritePermission::new("POST", "/people", "client.people().create(..)", ADD_PEOPLE),
    WritePermission::new("PUT", "/people/{identifier}", "client.people().update(..)", EDIT_FIELDS),
    WritePermission::new("PUT", "/people/{id}/email", "client.people().set_email(..)", EDIT_EMAIL),
    WritePermission::new("POST", "/employees/{identifier}/terminate", "client.people().terminate(..)", EDIT_LIFECYCLE),
    WritePermission::new("POST", "/employees/{employeeId}/start-date", "client.people().set_start_date(..)", EDIT_WORK),
    WritePermission::new("POST", "/employees/{employeeId}/invitations", "client.people().invite(..)", INVITE).reading(CUSTOMIZE_WELCOME_FLOW),
    WritePermission::new("POST", "/employees/{identifier}/uninvite", "client.people().uninvite(..)", REVOKE_ACCESS),
    WritePermission::new("PUT", "/avatars/{employeeId}", "client.people().set_avatar(..)", EDIT_ABOUT),
];

/// [`WRITE_PERMISSIONS`] as a checklist: a heading, then one line per write.
///
/// ```
/// let text = hibob::access::write_checklist();
/// assert!(text.starts_with("Writes (not probed; grant what your integration sends):"));
/// assert_eq!(text.lines().count(), 1 + hibob::access::WRITE_PERMISSIONS.len());
/// ```
pub fn write_checklist() -> String {
    let mut text = String::from("Writes (not probed; grant what your integration sends):");
    for write in WRITE_PERMISSIONS {
        text.push_str("\n  ");
        text.push_str(&write.to_string());
    }
    text
}
