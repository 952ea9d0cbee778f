//! Deterministic generation of the company's [`TimeOff`] from the seed: the
//! policy catalogue, a few requests per current employee over the past year
//! and the next four months, their changes feed, and the holiday calendars.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

use super::company::time_off::{
    ChangeKind, Portion, TimeOff, TruthAmount, TruthCalendar, TruthCalendarEvent, TruthPolicy,
    TruthPolicyType, TruthReasonCode, TruthRequest, TruthStatus,
};
use super::company::{NamedList, TruthEmployee};
use super::generate::Rng;

/// The first generated request ID (HiBob's look like `27500233`).
const FIRST_REQUEST_ID: i64 = 27_500_000;

fn policy(name: &str, allowance: f64, unit_min: &str, approval: bool) -> TruthPolicy {
    TruthPolicy {
        name: name.into(),
        description: format!("{name}: {allowance} a year"),
        allowance,
        max_balance: allowance * 2.0,
        min_balance: -allowance / 5.0,
        yos_increase: vec![(3.0, 1.0), (5.0, 2.0)],
        min_request_duration: unit_min.into(),
        booking_work_days_only: true,
        approval_required: approval,
    }
}

fn codes(first: i64, names: &[&str]) -> Vec<TruthReasonCode> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| TruthReasonCode {
            id: first + i as i64,
            name: (*n).into(),
        })
        .collect()
}

/// The policy types: `Holiday` (public, days), `Sick` (private, days) and
/// `Training` (hours, shown as "Out of office" unless `includePrivate`).
pub(crate) fn policy_types() -> Vec<TruthPolicyType> {
    vec![
        TruthPolicyType {
            name: "Holiday".into(),
            activity: "paidTimeoff".into(),
            unit: "days".into(),
            visibility: "Public".into(),
            custom_name: None,
            policies: vec![
                policy("Holiday 25 days", 25.0, "halfDay", true),
                policy("Holiday 30 days", 30.0, "halfDay", true),
            ],
            reason_codes: codes(9_101, &["Vacation", "Family event"]),
        },
        TruthPolicyType {
            name: "Sick".into(),
            activity: "paidTimeoff".into(),
            unit: "days".into(),
            visibility: "Private".into(),
            custom_name: None,
            policies: vec![policy("Sick leave", 10.0, "halfDay", false)],
            reason_codes: codes(9_201, &["Illness", "Medical appointment"]),
        },
        TruthPolicyType {
            name: "Training".into(),
            activity: "workTime".into(),
            unit: "hours".into(),
            visibility: "Custom name".into(),
            custom_name: Some("Out of office".into()),
            policies: vec![policy("Training hours", 40.0, "fullHour", true)],
            reason_codes: codes(9_301, &["Conference"]),
        },
    ]
}

/// Weekdays (Monday to Friday) from `from` to `to`, both included.
pub(crate) fn weekdays(from: NaiveDate, to: NaiveDate) -> f64 {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .count() as f64
}

fn is_weekday(d: NaiveDate) -> bool {
    weekdays(d, d) > 0.0
}

/// `(total_duration, total_cost)` of a request: weekends cost nothing,
/// half days half, hours their hours.
pub(crate) fn duration_and_cost(
    amount: &TruthAmount,
    from: NaiveDate,
    to: NaiveDate,
) -> (f64, f64) {
    let days = ((to - from).num_days() + 1) as f64;
    let work = weekdays(from, to);
    let hours = |h: u32, m: u32| f64::from(h) + f64::from(m) / 60.0;
    match amount {
        TruthAmount::Days { start, end } => {
            let mut cost = work;
            let mut duration = days;
            for (day, portion) in [(from, start), (to, end)] {
                if *portion != Portion::AllDay {
                    duration -= 0.5;
                    if is_weekday(day) {
                        cost -= 0.5;
                    }
                }
            }
            (duration.max(0.5), cost.max(0.0))
        }
        TruthAmount::PortionOnRange(_) => (days / 2.0, work / 2.0),
        TruthAmount::Hours { hours: h, minutes } => (hours(*h, *minutes), hours(*h, *minutes)),
        TruthAmount::HoursOnRange { hours: h, minutes } => {
            (hours(*h, *minutes) * days, hours(*h, *minutes) * work)
        }
        TruthAmount::DifferentDayDurations { total_minutes } => {
            let h = f64::from(*total_minutes) / 60.0;
            (h, h)
        }
        TruthAmount::SpecificHours { start, end } => {
            let daily = (*end - *start).num_minutes() as f64 / 60.0;
            (daily * days, daily * work)
        }
    }
}

/// Generates the time off of a company whose employees are already made.
pub(crate) fn generate(
    rng: &mut Rng,
    employees: &[TruthEmployee],
    sites: Option<&NamedList>,
    today: NaiveDate,
) -> TimeOff {
    let mut time_off = TimeOff {
        policy_types: policy_types(),
        calendars: calendars(sites, today),
        ..TimeOff::default()
    };
    let mut next_id = FIRST_REQUEST_ID;
    for emp in employees {
        // Current employees only: future hires have none yet, leavers' are gone.
        if !emp.is_active() || emp.start_date > today {
            continue;
        }
        for _ in 0..2 + rng.below(3) {
            next_id += 1 + rng.below(4) as i64;
            if let Some(request) = one_request(rng, &time_off, emp, today, next_id) {
                record_history(&mut time_off, &request);
                time_off.requests.push(request);
            }
        }
    }
    time_off.changes.sort_by_key(|c| c.at);
    time_off
}

fn one_request(
    rng: &mut Rng,
    time_off: &TimeOff,
    emp: &TruthEmployee,
    today: NaiveDate,
    request_id: i64,
) -> Option<TruthRequest> {
    let start = today - TimeDelta::days(365) + TimeDelta::days(rng.below(365 + 120) as i64);
    if start < emp.start_date {
        return None;
    }
    let (policy_type, amount, end) = match rng.below(100) {
        0..70 => {
            let end = start + TimeDelta::days(rng.below(7) as i64);
            let amount = match rng.below(10) {
                0 => TruthAmount::PortionOnRange(Portion::Morning),
                1 => TruthAmount::Days {
                    start: Portion::Afternoon,
                    end: Portion::AllDay,
                },
                2 => TruthAmount::Days {
                    start: Portion::AllDay,
                    end: Portion::Morning,
                },
                _ => TruthAmount::Days {
                    start: Portion::AllDay,
                    end: Portion::AllDay,
                },
            };
            ("Holiday", amount, end)
        }
        70..88 => {
            let end = start + TimeDelta::days(rng.below(3) as i64);
            let amount = TruthAmount::Days {
                start: Portion::AllDay,
                end: Portion::AllDay,
            };
            ("Sick", amount, end)
        }
        _ if rng.chance(0.6) => {
            let hours = 1 + rng.below(7) as u32;
            ("Training", TruthAmount::Hours { hours, minutes: 0 }, start)
        }
        _ => {
            let end = start + TimeDelta::days(rng.below(3) as i64);
            let (hours, minutes) = (2 + rng.below(4) as u32, 30 * rng.below(2) as u32);
            (
                "Training",
                TruthAmount::HoursOnRange { hours, minutes },
                end,
            )
        }
    };
    let status = match (start <= today, rng.below(100)) {
        (true, 0..85) | (false, 0..60) => TruthStatus::Approved,
        (true, 85..93) | (false, 95..) => TruthStatus::Canceled,
        (true, _) => TruthStatus::Declined,
        (false, _) => TruthStatus::Pending,
    };
    // A policy without approval approves every request at once.
    let needs_approval = time_off
        .policy_of(&emp.id, policy_type)
        .is_some_and(|p| p.approval_required);
    let status = match status {
        TruthStatus::Pending | TruthStatus::Declined if !needs_approval => TruthStatus::Approved,
        other => other,
    };
    // At least two days before today, so the changes it made all lie before
    // anything the fake stamps on `today`.
    let lead = TimeDelta::days(3 + rng.below(40) as i64);
    let created_day = (start - lead).min(today - TimeDelta::days(2));
    let created_on = created_day.and_time(NaiveTime::MIN)
        + TimeDelta::hours(8)
        + TimeDelta::seconds(rng.below(3 * 3600) as i64);
    let kind = time_off.policy_type(policy_type)?;
    let reason_code = rng.chance(0.5).then(|| kind.reason_codes[0].id);
    let (total_duration, total_cost) = duration_and_cost(&amount, start, end);
    Some(TruthRequest {
        request_id,
        employee_id: emp.id.clone(),
        policy_type: policy_type.into(),
        start_date: start,
        end_date: end,
        amount,
        status,
        created_on,
        description: None,
        reason_code,
        total_duration,
        total_cost,
    })
}

/// The feed entries a generated request's life left: submitted (`Pending`),
/// then approved (`Created`) a day later, then maybe cancelled, or declined
/// (`Deleted`). Under a policy without approval it is `Created` at once.
fn record_history(time_off: &mut TimeOff, request: &TruthRequest) {
    let id = request.request_id;
    let at = request.created_on;
    let needs_approval = time_off
        .policy_of(&request.employee_id, &request.policy_type)
        .is_some_and(|p| p.approval_required);
    let decided = match needs_approval {
        true => {
            time_off.changes.push(change(at, ChangeKind::Pending, id));
            at + TimeDelta::days(1)
        }
        false => at,
    };
    let kind = match request.status {
        TruthStatus::Pending => return,
        TruthStatus::Declined => ChangeKind::Deleted,
        TruthStatus::Approved | TruthStatus::Canceled => ChangeKind::Created,
    };
    time_off.changes.push(change(decided, kind, id));
    if request.status == TruthStatus::Canceled {
        let later = decided + TimeDelta::hours(2);
        time_off
            .changes
            .push(change(later, ChangeKind::Canceled, id));
    }
}

fn change(
    at: NaiveDateTime,
    kind: ChangeKind,
    request_id: i64,
) -> super::company::time_off::TruthChange {
    super::company::time_off::TruthChange {
        at,
        kind,
        request_id,
    }
}

/// One calendar per open site, with New Year, Labour Day, Christmas and a
/// year-end closure for last year, this year and next.
fn calendars(sites: Option<&NamedList>, today: NaiveDate) -> Vec<TruthCalendar> {
    let Some(sites) = sites else {
        return Vec::new();
    };
    let open = sites.items.iter().filter(|s| !s.archived);
    open.enumerate()
        .filter_map(|(i, site)| {
            let site_id = site.id.parse::<i64>().ok()?;
            let id = format!("{}", 7_001 + i);
            let mut events = Vec::new();
            for year in today.year() - 1..=today.year() + 1 {
                let dates = [
                    (1, 1, 1, "New Year's Day", "holiday"),
                    (5, 1, 1, "Labour Day", "holiday"),
                    (12, 25, 1, "Christmas Day", "holiday"),
                    (12, 28, 3, "Year-end closure", "closure"),
                ];
                for (n, (month, day, len, name, kind)) in dates.into_iter().enumerate() {
                    let start = NaiveDate::from_ymd_opt(year, month, day)?;
                    events.push(TruthCalendarEvent {
                        id: format!("{id}{year}{n}"),
                        name: name.into(),
                        start_date: start,
                        end_date: start + TimeDelta::days(len - 1),
                        event_type: kind.into(),
                    });
                }
            }
            Some(TruthCalendar {
                id,
                name: format!("{} holidays", site.label),
                site_id,
                events,
            })
        })
        .collect()
}
