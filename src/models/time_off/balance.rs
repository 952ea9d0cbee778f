//! A balance: `GET /timeoff/employees/{id}/balance?policyType=&date=`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::wire::opt;
use crate::models::EmployeeId;

/// An employee's balance for one policy type on one date (HiBob's
/// `BalanceResult`). Amounts are in the policy's unit (days or hours), which
/// this answer does not state: read it from the [`Policy`](super::Policy).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Balance {
    /// Whose balance it is.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<EmployeeId>,
    /// The policy's name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The date the balance is computed for.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point_in_time: Option<NaiveDate>,
    /// The balance on [`point_in_time`](Self::point_in_time).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_balance_as_of_date: Option<f64>,
    /// The same, rounded as Bob shows it.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_rounded_balance_as_of_date: Option<f64>,
    /// The balance at the start of the cycle.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_balance: Option<f64>,
    /// The cycle's start date.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_balance_as_of: Option<NaiveDate>,
    /// Taken so far.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_taken: Option<f64>,
    /// Adjusted by hand (the adjustments endpoint included).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_admin_adjustments: Option<f64>,
    /// Adjusted by Bob itself (accruals, carry-over…).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_system_adjustments: Option<f64>,
    /// The annual allowance.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_allowance: Option<f64>,
    /// Keys this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
