//! The findings the access check words itself (how a failed probe ends the
//! check, and the audience and former-employee verdicts), and the sample.

use super::report::{self, GROUP};
use super::{Finding, FindingKind, MAX_REQUESTS, Severity};
use crate::Error;
use crate::models::EmployeeId;
use crate::models::employee::Employee;

/// Which request failed, to word a 403.
#[derive(Clone, Copy)]
pub(super) enum Probe {
    Metadata,
    Search,
    Table,
}

/// Turns a 401 or a telling 403 into the finding that ends the check; any
/// other error ends it as `Err`.
pub(super) fn stop(error: Error, findings: &mut Vec<Finding>, probe: Probe) -> Result<(), Error> {
    match (error, probe) {
        (Error::InvalidCredentials { .. }, _) => {
            findings.retain(|f| f.kind != FindingKind::CredentialsAccepted);
            findings.push(
                Finding::new(
                    FindingKind::CredentialsRejected,
                    Severity::Error,
                    "Credentials: HiBob rejected the service user ID or token (401)",
                )
                .with_fix(
                    "Settings > Integrations > Service users: check the service user ID; if the token was regenerated, copy the new token",
                ),
            );
            Ok(())
        }
        (Error::PermissionDenied { .. }, Probe::Metadata) => {
            findings.push(
                Finding::new(
                    FindingKind::ApiAccessBlocked,
                    Severity::Error,
                    "API access: fields metadata, which needs no permission, answered 403",
                )
                .with_fix(
                    "wait 5 minutes if many calls failed just before (HiBob's firewall); otherwise check whether the account restricts API access by IP address",
                ),
            );
            Ok(())
        }
        (Error::PermissionDenied { .. }, Probe::Search) => {
            findings.push(
                Finding::new(
                    FindingKind::NoPermissionGroup,
                    Severity::Error,
                    "Permission group: fields metadata works but the people search answered 403, so the service user is in no permission group",
                )
                .with_fix(
                    "Settings > Permission groups: add the service user to a permission group (a new service user has no permissions until it is in one)",
                ),
            );
            Ok(())
        }
        (error, _) => Err(error),
    }
}

pub(super) fn over_budget(what: &str) -> Finding {
    not_checked(&format!(
        "{what}: not checked, retries of earlier calls (429 or 5xx answers) used up the check's budget of {MAX_REQUESTS} requests; try again later"
    ))
}

pub(super) fn not_checked(message: &str) -> Finding {
    Finding::new(FindingKind::NotChecked, Severity::Info, message)
}

/// Former employees, from the ID-only search with `showInactive`.
pub(super) fn former_employees(everyone: &[Employee]) -> Finding {
    let statuses: Vec<Option<bool>> = everyone
        .iter()
        .filter(|e| e.has_field("internal.status"))
        .map(Employee::is_active)
        .collect();
    if statuses.is_empty() {
        return Finding::new(
            FindingKind::FormerEmployeesUnknown,
            Severity::Info,
            "Former employees: inconclusive, internal.status (category Lifecycle) is withheld",
        )
        .with_fix(report::view_sections_fix("Lifecycle"));
    }
    let inactive = statuses.iter().filter(|s| **s == Some(false)).count();
    if inactive > 0 {
        return Finding::new(
            FindingKind::FormerEmployeesVisible,
            Severity::Ok,
            format!(
                "Former employees: visible ({inactive} inactive of {} employees)",
                everyone.len()
            ),
        );
    }
    Finding::new(
        FindingKind::FormerEmployeesHidden,
        Severity::Warning,
        format!(
            "Former employees: a search with showInactive returned {} employees, none inactive; former employees and future hires are probably outside the audience",
            everyone.len()
        ),
    )
    .with_fix(format!(
        "{GROUP} > People's Data > Access data for: remove the condition Lifecycle status = Employed, or add Terminated to it"
    ))
}

pub(super) fn audience(checked: usize, outside: Vec<EmployeeId>) -> Finding {
    if outside.is_empty() {
        return Finding::new(
            FindingKind::AudienceComplete,
            Severity::Ok,
            format!("Audience: all {checked} checked employees are in the service user's audience"),
        );
    }
    let message = format!(
        "Audience: {} of {checked} checked employees are outside the service user's audience (not returned, or listed as MISSING_PERMISSION)",
        outside.len()
    );
    Finding {
        employees: outside,
        ..Finding::new(FindingKind::OutsideAudience, Severity::Warning, message).with_fix(format!(
            "{GROUP} > People's Data > Access data for: select Everyone, or conditions that include these employees"
        ))
    }
}

/// Active employees sampled from the ID-only search.
const SAMPLE_ACTIVE: usize = 6;
/// Inactive employees sampled (their lifecycle history shows hidden rows best).
const SAMPLE_INACTIVE: usize = 3;

/// A few active and inactive employees from the head of the ID-only
/// search, then the caller's employees.
pub(super) fn sample(everyone: &[&Employee], extra: &[EmployeeId]) -> Vec<EmployeeId> {
    let pick = |active: Option<bool>, n: usize| {
        everyone
            .iter()
            .filter(move |e| e.is_active() == active)
            .filter_map(|e| e.id().cloned())
            .take(n)
    };
    // Each employee once, even if the search repeated one: the audience
    // finding counts the sample as "checked".
    let mut sample: Vec<EmployeeId> = Vec::new();
    let picked = pick(Some(true), SAMPLE_ACTIVE)
        .chain(pick(Some(false), SAMPLE_INACTIVE))
        .chain(pick(None, SAMPLE_ACTIVE + SAMPLE_INACTIVE));
    for id in picked {
        if sample.len() == SAMPLE_ACTIVE + SAMPLE_INACTIVE {
            break;
        }
        if !sample.contains(&id) {
            sample.push(id);
        }
    }
    for id in extra {
        if !sample.contains(id) {
            sample.push(id.clone());
        }
    }
    sample
}
