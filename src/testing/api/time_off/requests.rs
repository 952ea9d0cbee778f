//! Requests: submit (`POST /timeoff/employees/{id}/requests`), read one and
//! cancel (`GET`/`DELETE …/requests/{requestId}`), and the changes feed
//! (`GET /timeoff/requests/changes`).

use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde_json::{Map, Value, json};

use super::{amount_keys, body_object, display_name, employee, flag, timestamp, unit, visibility};
use crate::testing::company::time_off::{
    ChangeKind, Portion, TruthAmount, TruthRequest, TruthStatus,
};
use crate::testing::generate_time_off::duration_and_cost;
use crate::testing::reply::Reply;
use crate::testing::state::State;

fn not_found() -> Reply {
    Reply::error(404, "request.not.found", "Time off request not found")
}

pub(super) fn read(state: &State, id: &str, request_id: &str) -> Reply {
    if let Err(reply) = employee(state, id) {
        return reply;
    }
    let time_off = state.store.time_off();
    match request_id
        .parse::<i64>()
        .ok()
        .and_then(|r| time_off.request(r))
    {
        Some(r) if r.employee_id == id => Reply::json(200, request_json(state, r)),
        _ => not_found(),
    }
}

pub(super) fn cancel(state: &mut State, id: &str, request_id: &str) -> Reply {
    if let Err(reply) = employee(state, id) {
        return reply;
    }
    let today = state.store.today();
    let Ok(request_id) = request_id.parse::<i64>() else {
        return not_found();
    };
    match state
        .store
        .time_off_mut()
        .settle(today, id, request_id, TruthStatus::Canceled)
    {
        true => Reply::empty(200),
        false => not_found(),
    }
}

/// One request as `GET …/requests/{requestId}` answers it.
fn request_json(state: &State, r: &TruthRequest) -> Value {
    let time_off = state.store.time_off();
    let mut out = Map::new();
    out.insert("employeeId".into(), json!(r.employee_id));
    out.insert("requestId".into(), json!(r.request_id));
    out.insert(
        "policyTypeDisplayName".into(),
        json!(display_name(time_off, &r.policy_type, true)),
    );
    out.insert("type".into(), json!(r.amount.range_type()));
    out.insert("createdOn".into(), json!(timestamp(r.created_on)));
    amount_keys(
        &mut out,
        r,
        ("startPortion", "endPortion"),
        "hoursOnDate",
        false,
    );
    let rest = json!({
        "approved": r.status == TruthStatus::Approved,
        "description": r.description,
        "durationUnit": unit(time_off, &r.policy_type),
        "totalDuration": r.total_duration,
        "totalCost": r.total_cost,
        "status": r.status.as_str(),
        "hasAttachment": false,
        "reasonCode": r.reason_code.map(|c| c.to_string()),
        "attachmentLinks": [],
        "previousRequestId": null,
        "originalRequestId": r.request_id,
        "visibility": visibility(time_off, &r.policy_type),
    });
    if let Value::Object(rest) = rest {
        out.extend(rest);
    }
    Value::Object(out)
}

pub(super) fn submit(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result = (|| {
        let facts = employee(state, id)?;
        let body = body_object(body)?;
        let request = parse_submit(state, facts.id.as_str(), &body)?;
        let today = state.store.today();
        state.store.time_off_mut().add_request(today, request);
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}

fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Result<&'a str, Reply> {
    body.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Reply::bad_request(&format!("{key} is required and must be a string")))
}

fn date(body: &Map<String, Value>, key: &str) -> Result<NaiveDate, Reply> {
    text(body, key)?
        .parse()
        .map_err(|_| Reply::bad_request(&format!("{key} must be a date (YYYY-MM-DD)")))
}

fn number(body: &Map<String, Value>, key: &str) -> Result<u32, Reply> {
    body.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| Reply::bad_request(&format!("{key} is required and must be a whole number")))
}

fn portion(body: &Map<String, Value>, key: &str, allowed: &[Portion]) -> Result<Portion, Reply> {
    Portion::parse(text(body, key)?)
        .filter(|p| allowed.contains(p))
        .ok_or_else(|| {
            Reply::bad_request(&format!(
                "{key} has a value this request type does not take"
            ))
        })
}

fn time(body: &Map<String, Value>, key: &str) -> Result<NaiveTime, Reply> {
    let value = text(body, key)?;
    NaiveTime::parse_from_str(value, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M"))
        .map_err(|_| Reply::bad_request(&format!("{key} must be a time (HH:MM:SS)")))
}

/// The request type's own fields, checked as HiBob does.
fn parse_amount(
    body: &Map<String, Value>,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<TruthAmount, Reply> {
    use Portion::{Afternoon, AllDay, Morning};
    let minutes_ok = |h: u32, m: u32| m < 60 && (1..=24 * 60).contains(&(h * 60 + m));
    let amount = match text(body, "requestRangeType")? {
        "days" => TruthAmount::Days {
            start: portion(body, "startDatePortion", &[AllDay, Afternoon])?,
            end: portion(body, "endDatePortion", &[AllDay, Morning])?,
        },
        "portionOnRange" => {
            TruthAmount::PortionOnRange(portion(body, "dayPortion", &[Morning, Afternoon])?)
        }
        "hours" => {
            let (hours, minutes) = (number(body, "hours")?, number(body, "minutes").unwrap_or(0));
            if start != end || !minutes_ok(hours, minutes) {
                return Err(Reply::bad_request(
                    "An hours request covers one day with 1 minute to 24 hours",
                ));
            }
            TruthAmount::Hours { hours, minutes }
        }
        "hoursOnRange" => {
            let (hours, minutes) = (
                number(body, "dailyHours")?,
                number(body, "dailyMinutes").unwrap_or(0),
            );
            if !minutes_ok(hours, minutes) {
                return Err(Reply::bad_request(
                    "dailyHours and dailyMinutes must fit in a day",
                ));
            }
            TruthAmount::HoursOnRange { hours, minutes }
        }
        "differentDayDurations" => {
            let Some(days) = body.get("durations").and_then(Value::as_array) else {
                return Err(Reply::bad_request(
                    "durations is required and must be an array",
                ));
            };
            let mut total_minutes = 0;
            for day in days {
                let day = day
                    .as_object()
                    .ok_or_else(|| Reply::bad_request("durations holds objects"))?;
                let (h, m) = (number(day, "hours")?, number(day, "minutes").unwrap_or(0));
                let on = date(day, "date")?;
                if !minutes_ok(h, m) || on < start || on > end {
                    return Err(Reply::bad_request(
                        "each duration is one day of the range, within 24 hours",
                    ));
                }
                total_minutes += h * 60 + m;
            }
            TruthAmount::DifferentDayDurations { total_minutes }
        }
        "specificHoursDayDurations" => {
            let (from, to) = (time(body, "localStartTime")?, time(body, "localEndTime")?);
            if to <= from {
                return Err(Reply::bad_request(
                    "localEndTime must be after localStartTime",
                ));
            }
            TruthAmount::SpecificHours {
                start: from,
                end: to,
            }
        }
        _ => {
            return Err(Reply::bad_request(
                "requestRangeType is not a known request type",
            ));
        }
    };
    Ok(amount)
}

fn parse_submit(
    state: &State,
    employee_id: &str,
    body: &Map<String, Value>,
) -> Result<TruthRequest, Reply> {
    let time_off = state.store.time_off();
    let type_name = text(body, "policyType")?;
    let Some(kind) = time_off.policy_type(type_name) else {
        return Err(Reply::bad_request(&format!(
            "Policy type {type_name} does not exist"
        )));
    };
    let (start, end) = (date(body, "startDate")?, date(body, "endDate")?);
    if end < start {
        return Err(Reply::bad_request("endDate must not be before startDate"));
    }
    let amount = parse_amount(body, start, end)?;
    if amount.is_hourly() != kind.is_hourly() {
        return Err(Reply::bad_request(&format!(
            "Policy type {type_name} is measured in {}; this request type does not fit it",
            kind.unit
        )));
    }
    let reason_code = match body.get("reasonCode") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let code = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
            match code.filter(|c| kind.reason_codes.iter().any(|r| r.id == *c)) {
                Some(code) => Some(code),
                None => {
                    return Err(Reply::bad_request(
                        "reasonCode is not a reason code of this policy type",
                    ));
                }
            }
        }
    };
    let skip = body.get("skipManagerApproval").and_then(Value::as_bool) == Some(true);
    let needs_approval = time_off
        .policy_of(employee_id, type_name)
        .is_some_and(|p| p.approval_required);
    let (total_duration, total_cost) = duration_and_cost(&amount, start, end);
    Ok(TruthRequest {
        request_id: 0,
        employee_id: employee_id.to_owned(),
        policy_type: type_name.to_owned(),
        start_date: start,
        end_date: end,
        amount,
        status: if skip || !needs_approval {
            TruthStatus::Approved
        } else {
            TruthStatus::Pending
        },
        created_on: NaiveDateTime::default(),
        description: body
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        reason_code,
        total_duration,
        total_cost,
    })
}

/// An ISO 8601 date-time as the changes feed takes it (`…Z`, an offset, or
/// none for UTC; seconds optional), in UTC.
fn date_time(text: &str) -> Option<NaiveDateTime> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.naive_utc());
    }
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.naive_utc());
        }
    }
    let naive = text.trim_end_matches('Z');
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(naive, f).ok())
}

/// The feed's window: `since` (required) to `to` (default: the end of the
/// fake's today), both included, at most 6 months long.
fn window(
    state: &State,
    query: &HashMap<String, String>,
) -> Result<(NaiveDateTime, NaiveDateTime), Reply> {
    let parse = |name: &str| -> Result<Option<NaiveDateTime>, Reply> {
        match query.get(name) {
            None => Ok(None),
            Some(t) => date_time(t).map(Some).ok_or_else(|| {
                Reply::bad_request(&format!(
                    "{name} must be an ISO 8601 date-time, e.g. 2050-04-05T14:30:24.345Z"
                ))
            }),
        }
    };
    let since = parse("since")?.ok_or_else(|| Reply::bad_request("since is required"))?;
    let now = state.store.today().and_time(NaiveTime::MIN) + TimeDelta::days(1)
        - TimeDelta::milliseconds(1);
    let to = parse("to")?.unwrap_or(now);
    if to <= since {
        return Err(Reply::bad_request("to must be later than since"));
    }
    let limit = since
        .checked_add_months(Months::new(6))
        .unwrap_or(NaiveDateTime::MAX);
    if to > limit {
        return Err(Reply::bad_request(
            "The date range between since and to must not exceed 6 months",
        ));
    }
    Ok((since, to))
}

pub(super) fn changes(state: &State, query: &HashMap<String, String>) -> Reply {
    let result = (|| {
        let (since, to) = window(state, query)?;
        let pending = flag(query, "includePending")?;
        let time_off = state.store.time_off();
        let from = time_off.changes.partition_point(|c| c.at < since);
        let mut out = Vec::new();
        for change in time_off.changes[from..].iter().take_while(|c| c.at <= to) {
            if change.kind == ChangeKind::Pending && !pending {
                continue;
            }
            let Some(r) = time_off.request(change.request_id) else {
                continue;
            };
            let Some(e) = state
                .store
                .employee(&r.employee_id)
                .filter(|e| state.visible(e.facts))
            else {
                continue;
            };
            let mut entry = Map::new();
            entry.insert("changeType".into(), json!(change.kind.as_str()));
            entry.insert("employeeId".into(), json!(r.employee_id));
            entry.insert("employeeDisplayName".into(), json!(e.facts.display_name));
            entry.insert("employeeEmail".into(), json!(e.facts.email));
            entry.insert("requestId".into(), json!(r.request_id));
            entry.insert(
                "policyTypeDisplayName".into(),
                json!(display_name(time_off, &r.policy_type, true)),
            );
            entry.insert("type".into(), json!(r.amount.range_type()));
            entry.insert("createdOn".into(), json!(timestamp(r.created_on)));
            amount_keys(
                &mut entry,
                r,
                ("startPortion", "endPortion"),
                "hoursOnDate",
                false,
            );
            entry.insert("durationUnit".into(), json!(unit(time_off, &r.policy_type)));
            entry.insert("totalDuration".into(), json!(r.total_duration));
            entry.insert("totalCost".into(), json!(r.total_cost));
            entry.insert("changeReason".into(), Value::Null);
            entry.insert("originalRequestId".into(), json!(r.request_id));
            entry.insert("previousRequestId".into(), Value::Null);
            entry.insert(
                "visibility".into(),
                json!(visibility(time_off, &r.policy_type)),
            );
            out.push(Value::Object(entry));
        }
        Ok(Reply::json(200, json!({ "changes": out })))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}
