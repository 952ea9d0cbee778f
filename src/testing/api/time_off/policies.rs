//! Policy types (`GET /timeoff/policy-types[/{policyType}]`), reason codes
//! (`GET`/`POST …/{policyType}/reason-codes`), policy names
//! (`GET /timeoff/policies/names`) and policy details (`GET /timeoff/policies`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::body_object;
use crate::testing::company::time_off::TruthReasonCode;
use crate::testing::reply::Reply;
use crate::testing::state::State;

fn no_such_type() -> Reply {
    Reply::error(404, "policy.type.not.found", "Policy type not found")
}

pub(super) fn type_names(state: &mut State) -> Reply {
    let names: Vec<&str> = state
        .store
        .time_off()
        .policy_types
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    Reply::json(200, json!({ "policyTypes": names }))
}

pub(super) fn one_type(state: &State, name: &str) -> Reply {
    match state.store.time_off().policy_type(name) {
        Some(t) => Reply::json(
            200,
            json!({ "name": t.name, "activity": t.activity, "unit": t.unit }),
        ),
        None => no_such_type(),
    }
}

pub(super) fn reason_codes(state: &State, name: &str) -> Reply {
    let Some(t) = state.store.time_off().policy_type(name) else {
        return no_such_type();
    };
    let codes: Vec<Value> = t
        .reason_codes
        .iter()
        .map(|c| json!({ "id": c.id, "displayName": c.name }))
        .collect();
    Reply::json(200, json!({ "reasonCodes": codes }))
}

/// Adds the names that are new (a name the type already has is kept once).
pub(super) fn add_reason_codes(state: &mut State, name: &str, body: &[u8]) -> Reply {
    let time_off = state.store.time_off_mut();
    let next_id = time_off
        .policy_types
        .iter()
        .flat_map(|t| &t.reason_codes)
        .map(|c| c.id)
        .max()
        .unwrap_or(9_000)
        + 1;
    let Some(t) = time_off.policy_types.iter_mut().find(|t| t.name == name) else {
        return no_such_type();
    };
    let body = match body_object(body) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let names: Option<Vec<&str>> = body
        .get("reasonCodes")
        .and_then(Value::as_array)
        .and_then(|names| names.iter().map(Value::as_str).collect());
    let Some(names) = names.filter(|n| !n.is_empty() && n.iter().all(|s| !s.trim().is_empty()))
    else {
        return Reply::bad_request("reasonCodes must be a non-empty array of names");
    };
    for (id, new) in (next_id..).zip(names) {
        if !t.reason_codes.iter().any(|c| c.name == new) {
            t.reason_codes.push(TruthReasonCode {
                id,
                name: new.to_owned(),
            });
        }
    }
    Reply::empty(200)
}

pub(super) fn policy_names(state: &State, query: &HashMap<String, String>) -> Reply {
    let Some(name) = query.get("policyTypeName") else {
        return Reply::bad_request("policyTypeName is required");
    };
    let Some(t) = state.store.time_off().policy_type(name) else {
        return no_such_type();
    };
    let names: Vec<&str> = t.policies.iter().map(|p| p.name.as_str()).collect();
    Reply::json(200, json!({ "policyNames": names }))
}

pub(super) fn policy(state: &State, query: &HashMap<String, String>) -> Reply {
    let Some(name) = query.get("policyName") else {
        return Reply::bad_request("policyName is required");
    };
    let Some((t, p)) = state.store.time_off().policy(name) else {
        return Reply::error(404, "policy.not.found", "Policy not found");
    };
    let yos: Vec<Value> = p
        .yos_increase
        .iter()
        .map(|(years, extra)| json!({ "yearsOfService": years, "extraDays": extra }))
        .collect();
    Reply::json(
        200,
        json!({
            "name": p.name,
            "description": p.description,
            "unit": t.unit,
            "allowance": p.allowance,
            "maxBalance": p.max_balance,
            "minBalance": p.min_balance,
            "yosIncrease": yos,
            "minTimeOffRequestDuration": p.min_request_duration,
            "bookingWorkDaysOnly": p.booking_work_days_only,
            "approvalRequired": p.approval_required,
        }),
    )
}
