//! The Edit permissions each write needs, listed without probing: a write
//! cannot be tried safely, so [`check_access`](crate::Client::check_access)
//! sends none and this list says what to grant instead.

use std::fmt;

use super::report::GROUP;
use crate::custom_tables::EDIT_ANY as EDIT_CUSTOM_TABLE;
use crate::onboarding::CUSTOMIZE_WELCOME_FLOW;
use crate::people::{
    ADD_PEOPLE, EDIT_ABOUT, EDIT_EMAIL, EDIT_FIELDS, EDIT_LIFECYCLE, EDIT_WORK, INVITE,
    REVOKE_ACCESS,
};
use crate::tables::entry::{
    EDIT_BANK_ACCOUNTS, EDIT_DEDUCTION_ENTRIES, EDIT_DEPENDENTS, EDIT_EMPLOYMENT_ENTRIES,
    EDIT_ENTITLEMENT_ENTRIES, EDIT_EQUITY_ENTRIES, EDIT_RIGHT_TO_WORK, EDIT_SALARY_ENTRIES,
    EDIT_TRAINING_ENTRIES, EDIT_VARIABLE_ENTRIES, EDIT_WORK_ENTRIES,
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
    WritePermission::new("POST", "/people/{id}/work", "client.tables().work_entry(..)", EDIT_WORK_ENTRIES),
    WritePermission::new("PUT", "/people/{id}/work/{entry_id}", "client.tables().work_entry(..).update(..)", EDIT_WORK_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/work/{entry_id}", "client.tables().delete_entry(EntryTable::Work, ..)", EDIT_WORK_ENTRIES),
    WritePermission::new("POST", "/people/{id}/employment", "client.tables().employment_entry(..)", EDIT_EMPLOYMENT_ENTRIES),
    WritePermission::new("PUT", "/people/{id}/employment/{entry_id}", "client.tables().employment_entry(..).update(..)", EDIT_EMPLOYMENT_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/employment/{entry_id}", "client.tables().delete_entry(EntryTable::Employment, ..)", EDIT_EMPLOYMENT_ENTRIES),
    WritePermission::new("POST", "/people/{id}/salaries", "client.tables().salary_entry(..)", EDIT_SALARY_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/salaries/{entry_id}", "client.tables().delete_entry(EntryTable::Salaries, ..)", EDIT_SALARY_ENTRIES),
    WritePermission::new("POST", "/people/{id}/variable", "client.tables().variable_entry(..)", EDIT_VARIABLE_ENTRIES),
    WritePermission::new("PUT", "/people/{id}/variable/{entry_id}", "client.tables().variable_entry(..).update(..)", EDIT_VARIABLE_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/variable/{entry_id}", "client.tables().delete_entry(EntryTable::VariablePay, ..)", EDIT_VARIABLE_ENTRIES),
    WritePermission::new("POST", "/people/{id}/equities", "client.tables().equity_entry(..)", EDIT_EQUITY_ENTRIES),
    WritePermission::new("PUT", "/people/{id}/equities/{entry_id}", "client.tables().equity_entry(..).update(..)", EDIT_EQUITY_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/equities/{entry_id}", "client.tables().delete_entry(EntryTable::Equities, ..)", EDIT_EQUITY_ENTRIES),
    WritePermission::new("POST", "/people/{id}/training", "client.tables().training_entry(..)", EDIT_TRAINING_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/training/{entry_id}", "client.tables().delete_entry(EntryTable::Training, ..)", EDIT_TRAINING_ENTRIES),
    WritePermission::new("POST", "/people/{id}/bank-accounts", "client.tables().bank_account_entry(..)", EDIT_BANK_ACCOUNTS),
    WritePermission::new("PUT", "/people/{id}/bank-accounts/{entry_id}", "client.tables().bank_account_entry(..).update(..)", EDIT_BANK_ACCOUNTS),
    WritePermission::new("DELETE", "/people/{id}/bank-accounts/{entry_id}", "client.tables().delete_entry(EntryTable::BankAccounts, ..)", EDIT_BANK_ACCOUNTS),
    WritePermission::new("POST", "/people/{id}/deduction", "client.tables().deduction_entry(..)", EDIT_DEDUCTION_ENTRIES),
    WritePermission::new("PUT", "/people/{id}/deduction/{entry_id}", "client.tables().deduction_entry(..).update(..)", EDIT_DEDUCTION_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/deduction/{entry_id}", "client.tables().delete_entry(EntryTable::Deduction, ..)", EDIT_DEDUCTION_ENTRIES),
    WritePermission::new("POST", "/people/{id}/entitlement", "client.tables().entitlement_entry(..)", EDIT_ENTITLEMENT_ENTRIES),
    WritePermission::new("PUT", "/people/{id}/entitlement/{entry_id}", "client.tables().entitlement_entry(..).update(..)", EDIT_ENTITLEMENT_ENTRIES),
    WritePermission::new("DELETE", "/people/{id}/entitlement/{entry_id}", "client.tables().delete_entry(EntryTable::Entitlement, ..)", EDIT_ENTITLEMENT_ENTRIES),
    WritePermission::new("POST", "/people/{id}/dependents", "client.tables().dependent_entry(..)", EDIT_DEPENDENTS),
    WritePermission::new("PUT", "/people/{id}/dependents/{entry_id}", "client.tables().dependent_entry(..).update(..)", EDIT_DEPENDENTS),
    WritePermission::new("DELETE", "/people/{id}/dependents/{entry_id}", "client.tables().delete_entry(EntryTable::Dependents, ..)", EDIT_DEPENDENTS),
    WritePermission::new("POST", "/people/{id}/right-to-work", "client.tables().right_to_work_entry(..)", EDIT_RIGHT_TO_WORK),
    WritePermission::new("PUT", "/people/{id}/right-to-work/{entry_id}", "client.tables().right_to_work_entry(..).update(..)", EDIT_RIGHT_TO_WORK),
    WritePermission::new("DELETE", "/people/{id}/right-to-work/{entry_id}", "client.tables().delete_entry(EntryTable::RightToWork, ..)", EDIT_RIGHT_TO_WORK),
    // A 403 on these names the table's own category in place of "the custom table's category".
    WritePermission::new("POST", "/people/custom-tables/{employee_id}/{custom_table_id}", "client.custom_tables().add(..)", EDIT_CUSTOM_TABLE),
    WritePermission::new("PUT", "/people/custom-tables/{employee_id}/{custom_table_id}/{entry_id}", "client.custom_tables().update(..)", EDIT_CUSTOM_TABLE),
    WritePermission::new("DELETE", "/people/custom-tables/{employee_id}/{custom_table_id}/{entry_id}", "client.custom_tables().delete(..)", EDIT_CUSTOM_TABLE),
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
