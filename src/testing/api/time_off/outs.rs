//! Who's out (`GET /timeoff/whosout`), out today (`GET /timeoff/outtoday`),
//! balances (`GET …/balance`) and adjustments (`POST …/adjustments`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::{
    amount_keys, body_object, date_param, display_name, employee, flag, required_date, visibility,
};
use crate::testing::company::TruthEmployee;
use crate::testing::company::time_off::{TruthAdjustment, TruthRequest, TruthStatus};
use crate::testing::reply::Reply;
use crate::testing::state::State;

/// Which requests a who's-out read shows.
struct Shown {
    hourly: bool,
    private: bool,
    pending: bool,
}

impl Shown {
    fn read(query: &HashMap<String, String>) -> Result<Self, Reply> {
        Ok(Self {
            hourly: flag(query, "includeHourly")?,
            private: flag(query, "includePrivate")?,
            pending: flag(query, "includePending")?,
        })
    }
}

/// The requests overlapping `from..=to` that `shown` lets through, with
/// their (active, visible) employees, in request order.
fn outs<'s>(
    state: &'s State,
    from: NaiveDate,
    to: NaiveDate,
    shown: &Shown,
) -> Vec<(&'s TruthRequest, &'s TruthEmployee)> {
    let time_off = state.store.time_off();
    time_off
        .requests
        .iter()
        .filter(|r| r.start_date <= to && from <= r.end_date)
        .filter(|r| match r.status {
            TruthStatus::Approved => true,
            TruthStatus::Pending => shown.pending,
            _ => false,
        })
        .filter(|r| shown.hourly || !r.amount.is_hourly())
        .filter(|r| shown.private || visibility(time_off, &r.policy_type) != "Private")
        .filter_map(|r| {
            let e = state.store.employee(&r.employee_id)?;
            (state.visible(e.facts) && e.facts.is_active()).then_some((r, e.facts))
        })
        .collect()
}

pub(super) fn whos_out(state: &State, query: &HashMap<String, String>) -> Reply {
    let result = (|| {
        let (from, to) = (required_date(query, "from")?, required_date(query, "to")?);
        if to < from {
            return Err(Reply::bad_request("to must not be before from"));
        }
        let shown = Shown::read(query)?;
        let time_off = state.store.time_off();
        let list: Vec<Value> = outs(state, from, to, &shown)
            .into_iter()
            .map(|(r, e)| {
                let mut out = Map::new();
                out.insert("requestId".into(), json!(r.request_id));
                out.insert("employeeId".into(), json!(e.id));
                out.insert("employeeDisplayName".into(), json!(e.display_name));
                out.insert("policyType".into(), json!(r.policy_type));
                let name = display_name(time_off, &r.policy_type, shown.private);
                out.insert("policyTypeDisplayName".into(), json!(name));
                out.insert("type".into(), json!(r.amount.range_type()));
                amount_keys(
                    &mut out,
                    r,
                    ("startPortion", "endPortion"),
                    "hoursOnDate",
                    true,
                );
                let status = match r.status {
                    TruthStatus::Approved => "Approved",
                    _ => "Pending",
                };
                out.insert("status".into(), json!(status));
                out.insert(
                    "visibility".into(),
                    json!(visibility(time_off, &r.policy_type)),
                );
                Value::Object(out)
            })
            .collect();
        Ok(Reply::json(200, json!({ "outs": list })))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}

pub(super) fn out_today(state: &State, query: &HashMap<String, String>) -> Reply {
    let result = (|| {
        // HiBob's default is the UTC date at the time of the call.
        let day = date_param(query, "today")?.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let site = match query.get("siteId") {
            None => None,
            Some(s) => Some(
                s.parse::<i64>()
                    .map_err(|_| Reply::bad_request("siteId must be an integer"))?,
            ),
        };
        let shown = Shown::read(query)?;
        let time_off = state.store.time_off();
        let list: Vec<Value> = outs(state, day, day, &shown)
            .into_iter()
            .filter(|(_, e)| site.is_none() || e.site_id == site)
            .map(|(r, e)| {
                let mut out = Map::new();
                out.insert("employeeId".into(), json!(e.id));
                out.insert("employeeDisplayName".into(), json!(e.display_name));
                out.insert("employeeEmail".into(), json!(e.email));
                let name = display_name(time_off, &r.policy_type, shown.private);
                out.insert("policyTypeDisplayName".into(), json!(name));
                out.insert("requestRangeType".into(), json!(r.amount.range_type()));
                amount_keys(
                    &mut out,
                    r,
                    ("startDatePortion", "endDatePortion"),
                    "hours",
                    true,
                );
                out.insert(
                    "visibility".into(),
                    json!(visibility(time_off, &r.policy_type)),
                );
                Value::Object(out)
            })
            .collect();
        Ok(Reply::json(200, json!({ "outs": list })))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}

pub(super) fn balance(state: &State, id: &str, query: &HashMap<String, String>) -> Reply {
    let result = (|| {
        employee(state, id)?;
        let Some(policy_type) = query.get("policyType") else {
            return Err(Reply::bad_request("policyType is required"));
        };
        let date = required_date(query, "date")?;
        let Some(b) = state.store.time_off().balance(id, policy_type, date) else {
            return Err(Reply::error(
                404,
                "policy.type.not.found",
                "Policy type not found",
            ));
        };
        let rounded = (b.total_balance * 100.0).round() / 100.0;
        Ok(Reply::json(
            200,
            json!({
                "employeeId": id,
                "policy": b.policy,
                "pointInTime": date.to_string(),
                "totalBalanceAsOfDate": b.total_balance,
                "totalRoundedBalanceAsOfDate": rounded,
                "startingBalance": b.starting_balance,
                "startingBalanceAsOf": b.starting_balance_as_of.to_string(),
                "totalTaken": b.taken,
                "totalAdminAdjustments": b.admin_adjustments,
                "totalSystemAdjustments": 0.0,
                "annualAllowance": b.annual_allowance,
            }),
        ))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}

pub(super) fn adjust(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result = (|| {
        employee(state, id)?;
        let body = body_object(body)?;
        let policy_type = body.get("policyType").and_then(Value::as_str).unwrap_or("");
        if state.store.time_off().policy_type(policy_type).is_none() {
            return Err(Reply::bad_request(&format!(
                "Policy type {policy_type} does not exist"
            )));
        }
        let effective_date = body
            .get("effectiveDate")
            .and_then(Value::as_str)
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .ok_or_else(|| Reply::bad_request("effectiveDate must be a date (YYYY-MM-DD)"))?;
        let amount = body
            .get("amount")
            .and_then(Value::as_f64)
            .filter(|a| *a != 0.0)
            .ok_or_else(|| Reply::bad_request("amount must be a non-zero number"))?;
        let days_used = match body.get("adjustmentType").and_then(Value::as_str) {
            None | Some("balance") => false,
            Some("daysUsed") => true,
            Some(_) => {
                return Err(Reply::bad_request(
                    "adjustmentType must be balance or daysUsed",
                ));
            }
        };
        let adjustment = TruthAdjustment {
            employee_id: id.to_owned(),
            policy_type: policy_type.to_owned(),
            effective_date,
            amount,
            days_used,
            reason: body
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        state.store.time_off_mut().adjustments.push(adjustment);
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply: Reply| reply)
}
