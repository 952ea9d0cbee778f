//! What every bulk table read shares, built-in or custom: HiBob's checks of
//! the query (`limit` 1–200, default 50; at most 200 `employeeIds`; a cursor
//! bound to the query), the audience (requested employees out of it are
//! listed under `errors`, on the first page only), and pages cut by row
//! count, so one employee's rows may span two pages.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::cursor::{self, fnv};
use crate::testing::reply::Reply;
use crate::testing::state::State;
use crate::testing::store::Stored;

/// A bulk read's query, checked.
pub(super) struct BulkQuery<'q> {
    limit: usize,
    /// `employeeIds`, each once, in order; `None` for everyone visible.
    requested: Option<Vec<&'q str>>,
    offset: usize,
    /// What the cursor is bound to.
    params: u64,
}

impl<'q> BulkQuery<'q> {
    /// Checks `query`; `bound` names the read (the table, and any parameter
    /// besides `limit` and `employeeIds` the cursor is bound to).
    pub(super) fn parse(query: &'q HashMap<String, String>, bound: &[&str]) -> Result<Self, Reply> {
        let limit = match query.get("limit").map(|l| l.parse::<usize>()) {
            None => 50,
            Some(Ok(l @ 1..=200)) => l,
            Some(_) => return Err(Reply::bad_request("limit must be between 1 and 200")),
        };
        let requested = query.get("employeeIds").map(|ids| {
            let mut out: Vec<&str> = Vec::new();
            for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            out
        });
        if requested.as_ref().is_some_and(|ids| ids.len() > 200) {
            return Err(Reply::bad_request(
                "employeeIds: at most 200 employee IDs per request",
            ));
        }
        let (limit_text, ids) = (limit.to_string(), query.get("employeeIds"));
        let mut parts = bound.to_vec();
        parts.extend([limit_text.as_str(), ids.map_or("", String::as_str)]);
        let params = fnv(&parts);
        let offset = match query.get("cursor") {
            None => 0,
            Some(c) => {
                cursor::decode(params, c).ok_or_else(|| Reply::bad_request("Invalid cursor"))?
            }
        };
        Ok(Self {
            limit,
            requested,
            offset,
            params,
        })
    }

    /// The page: `count` says how many rows an employee has, `rows` gives
    /// them (called only for employees on the page).
    pub(super) fn page<'s>(
        &self,
        state: &'s State,
        count: impl Fn(Stored<'s>) -> usize,
        rows: impl Fn(Stored<'s>) -> Vec<Value>,
    ) -> Reply {
        let (employees, mut errors) = self.employees(state);
        let total: usize = employees.iter().map(|e| count(*e)).sum();
        if self.offset > total {
            return Reply::bad_request("Invalid cursor");
        }
        let end = (self.offset + self.limit).min(total);
        let mut results: Vec<Value> = Vec::new();
        let mut pos = 0;
        for e in &employees {
            if pos >= end {
                break;
            }
            let n = count(*e);
            // An employee without rows is left out (none of their rows is on a page).
            if n > 0 && pos + n > self.offset {
                let rows = rows(*e);
                let (from, to) = (self.offset.saturating_sub(pos), (end - pos).min(n));
                results.push(json!({ "employeeId": e.facts.id, "values": rows[from..to] }));
            }
            pos += n;
        }
        let next = (end < total).then(|| cursor::encode(self.params, end));
        // Errors are reported once, on the first page.
        if self.offset > 0 {
            errors.clear();
        }
        Reply::json(
            200,
            json!({
                "results": results,
                "response_metadata": { "next_cursor": next },
                "errors": errors,
            }),
        )
    }

    /// The employees read, and the errors for requested ones out of the audience.
    fn employees<'s>(&self, state: &'s State) -> (Vec<Stored<'s>>, Vec<Value>) {
        let mut errors = Vec::new();
        let employees = match &self.requested {
            None => (state.store.employees())
                .filter(|e| state.visible(e.facts))
                .collect(),
            Some(ids) => ids
                .iter()
                .filter_map(|id| match state.store.employee(id) {
                    Some(e) if state.visible(e.facts) => Some(e),
                    _ => {
                        errors.push(json!({
                            "employeeId": id,
                            "error": "MISSING_PERMISSION",
                            "message": "The service user is not allowed to view this employee's data",
                        }));
                        None
                    }
                })
                .collect(),
        };
        (employees, errors)
    }
}
