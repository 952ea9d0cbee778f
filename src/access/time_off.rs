//! The opt-in time-off probe ([`AccessCheck::time_off`](super::AccessCheck::time_off)):
//! policy types, who's out today, who's out with and without private
//! policies, and one employee-calendars search, through the public
//! [`client.time_off()`](crate::Client::time_off) API.

use std::collections::HashSet;

use chrono::{Days, NaiveDate, Utc};
use futures::StreamExt;

use super::findings::not_checked;
use super::report::GROUP;
use super::{Finding, FindingKind, Severity};
use crate::models::EmployeeId;
use crate::time_off::{EmployeeCalendarsSearch, RequestId, WhosOut};
use crate::{Client, Error};

/// Most requests the probe adds to the check (before retries of 429 and
/// 5xx answers): policy types, out today, who's out twice, one calendar search.
pub const TIME_OFF_REQUESTS: u64 = 5;

/// Days either side of today the private-policy comparison reads.
const PRIVATE_WINDOW_DAYS: u64 = 30;

const SETTINGS: &str = "Features > Time off > Settings > Manage company's time off settings";
const WHOS_OUT: &str = "People's data > Time off > See who's out today > See who's out";
const PRIVATE: &str = "People's data > Time off > See who's out today > See who's out because of a private policy or policies with a custom name";
const CALENDARS: &str = "Settings > Calendars > Manage company calendar";

fn grant(permission: &str) -> String {
    format!("{GROUP}: grant {permission}")
}

/// Runs the probe after the default check, unless that check found every
/// time-off call would be refused (bad credentials, API access blocked, no
/// permission group): then one not-checked finding says so, and nothing is sent.
pub(super) async fn after_check(
    client: &Client,
    findings: &mut Vec<Finding>,
    employee: Option<&EmployeeId>,
) -> Result<(), Error> {
    let blocked = [
        FindingKind::CredentialsRejected,
        FindingKind::ApiAccessBlocked,
        FindingKind::NoPermissionGroup,
    ];
    if findings.iter().any(|f| blocked.contains(&f.kind)) {
        findings.push(not_checked(
            "Time off: not checked, every time-off call would be refused (see above)",
        ));
        return Ok(());
    }
    findings.extend(probe_time_off(client, employee).await?);
    Ok(())
}

/// Runs the probe; `employee` is one known employee ID for the calendar
/// search (none: that part is reported as not checked). A 403 is a finding;
/// 404 means the part is not checked; any other error ends the check.
async fn probe_time_off(
    client: &Client,
    employee: Option<&EmployeeId>,
) -> Result<Vec<Finding>, Error> {
    let time_off = client.time_off();
    let mut findings = Vec::new();

    findings.push(verdict(
        time_off.policy_types().await.map(|types| types.len()),
        |n| {
            ok(
                FindingKind::TimeOffSettingsVisible,
                format!("Time off settings and policies: policy types are readable ({n} types)"),
            )
        },
        || {
            denied(
                FindingKind::TimeOffSettingsDenied,
                "Time off settings and policies: policy types answered 403",
                SETTINGS,
            )
        },
        "Time off settings and policies",
    )?);

    let today = time_off.out_today().await;
    let whos_out_ok = today.is_ok();
    findings.push(verdict(
        today.map(|out| out.len()),
        |_| {
            ok(
                FindingKind::WhosOutVisible,
                "See who's out: who's out today answered".to_owned(),
            )
        },
        || {
            denied(
                FindingKind::WhosOutDenied,
                "See who's out: who's out today answered 403",
                WHOS_OUT,
            )
        },
        "See who's out",
    )?);

    findings.push(if whos_out_ok {
        private_policies(client).await?
    } else {
        not_checked("Private policies: not checked, who's out is not permitted")
    });

    findings.push(match employee {
        Some(id) => calendars(client, id).await?,
        None => not_checked("Calendars: not checked, no employee ID is known"),
    });
    Ok(findings)
}

/// `includePrivate=true` compared with without, over a window around today.
async fn private_policies(client: &Client) -> Result<Finding, Error> {
    let today = Utc::now().date_naive();
    let from = today
        .checked_sub_days(Days::new(PRIVATE_WINDOW_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let to = today
        .checked_add_days(Days::new(PRIVATE_WINDOW_DAYS))
        .unwrap_or(NaiveDate::MAX);
    let plain = client
        .time_off()
        .whos_out(from, to)
        .include_pending(true)
        .include_hourly(true);
    let public = match plain.clone().await {
        Ok(outs) => outs,
        Err(Error::PermissionDenied { .. }) => {
            return Ok(denied(
                FindingKind::WhosOutDenied,
                "See who's out: who's out over a range answered 403",
                WHOS_OUT,
            ));
        }
        Err(e) => return Err(e),
    };
    let with_private = match plain.include_private(true).await {
        Ok(outs) => outs,
        Err(Error::PermissionDenied { .. }) => {
            return Ok(denied(
                FindingKind::PrivatePoliciesDenied,
                "Private policies: who's out with includePrivate=true answered 403",
                PRIVATE,
            ));
        }
        Err(e) => return Err(e),
    };
    let seen: HashSet<Option<&RequestId>> = public.iter().map(|o| o.request_id.as_ref()).collect();
    let added = with_private
        .iter()
        .filter(|o: &&WhosOut| !seen.contains(&o.request_id.as_ref()))
        .count();
    let days = 2 * PRIVATE_WINDOW_DAYS + 1;
    if added > 0 || with_private.len() > public.len() {
        let n = added.max(with_private.len().saturating_sub(public.len()));
        return Ok(ok(
            FindingKind::PrivatePoliciesVisible,
            format!(
                "Private policies: visible (includePrivate=true added {n} requests over {days} days)"
            ),
        ));
    }
    Ok(Finding::new(
        FindingKind::PrivatePoliciesUnknown,
        Severity::Info,
        format!(
            "Private policies: cannot tell, includePrivate=true added nothing over {days} days (nobody may be out under a private policy, or the permission is missing)"
        ),
    )
    .with_fix(format!("if private policies matter, {}", grant(PRIVATE))))
}

/// One employee-calendars search for one known employee; its first page is enough.
async fn calendars(client: &Client, id: &EmployeeId) -> Result<Finding, Error> {
    let mut search = EmployeeCalendarsSearch::new([id.clone()]);
    search.limit = Some(1);
    let first = client.time_off().employee_calendars(search).next().await;
    verdict(
        first.transpose().map(drop),
        |()| {
            ok(
                FindingKind::CalendarsVisible,
                "Calendars: the employee-calendars search answered".to_owned(),
            )
        },
        || {
            denied(
                FindingKind::CalendarsDenied,
                "Calendars: the employee-calendars search answered 403",
                CALENDARS,
            )
        },
        "Calendars",
    )
}

/// A probe's outcome as a finding: `good` for a value, `refused` for 403,
/// not checked for 404; other errors end the check.
fn verdict<T>(
    outcome: Result<T, Error>,
    good: impl FnOnce(T) -> Finding,
    refused: impl FnOnce() -> Finding,
    what: &str,
) -> Result<Finding, Error> {
    match outcome {
        Ok(value) => Ok(good(value)),
        Err(Error::PermissionDenied { .. }) => Ok(refused()),
        Err(Error::NotFound { .. }) => Ok(not_checked(&format!(
            "{what}: not checked, HiBob answered 404 (is Time off part of the account?)"
        ))),
        Err(e) => Err(e),
    }
}

fn ok(kind: FindingKind, message: String) -> Finding {
    Finding::new(kind, Severity::Ok, message)
}

fn denied(kind: FindingKind, message: &str, permission: &str) -> Finding {
    Finding::new(kind, Severity::Error, message).with_fix(grant(permission))
}
