//! The body of `POST /timeoff/employees/{id}/adjustments`.
//!
//! HiBob answers 200 with an empty body. An adjustment is not idempotent: sent
//! twice, it adjusts twice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::wire::{open_enum, opt};
use crate::Error;

open_enum! {
    /// What an adjustment changes (`adjustmentType`).
    AdjustmentType {
        /// `balance`: adds to (or, negative, takes from) the balance.
        Balance => "balance";
        /// `daysUsed`: adds to (or takes from) the time used.
        DaysUsed => "daysUsed";
    }
}

/// A balance adjustment for one employee (HiBob's `AdjustmentRequest`).
///
/// The OpenAPI marks no field required; this crate sends `policyType`,
/// `effectiveDate` and `amount` always, since an adjustment means nothing
/// without them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AdjustmentRequest {
    /// The policy type's name.
    pub policy_type: String,
    /// When the adjustment takes effect.
    pub effective_date: NaiveDate,
    /// Days or hours (the policy's unit) to add; negative to subtract.
    pub amount: f64,
    /// Balance or time used (HiBob's default when absent is not documented).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment_type: Option<AdjustmentType>,
    /// Why.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl AdjustmentRequest {
    /// Adds `amount` (negative: subtracts) to `policy_type` from `effective_date`.
    pub fn new(policy_type: impl Into<String>, effective_date: NaiveDate, amount: f64) -> Self {
        Self {
            policy_type: policy_type.into(),
            effective_date,
            amount,
            adjustment_type: None,
            reason: None,
        }
    }

    /// What the adjustment changes.
    #[must_use]
    pub fn with_type(mut self, adjustment_type: AdjustmentType) -> Self {
        self.adjustment_type = Some(adjustment_type);
        self
    }

    /// Why.
    #[must_use]
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// Refuses a blank policy type, an amount that is zero or not finite,
    /// and an adjustment type HiBob does not document.
    pub fn validate(&self) -> Result<(), Error> {
        if self.policy_type.trim().is_empty() {
            return Err(Error::invalid(
                "a balance adjustment needs a policy type (e.g. \"Holiday\")",
            ));
        }
        if !self.amount.is_finite() || self.amount == 0.0 {
            return Err(Error::invalid(format!(
                "a balance adjustment's amount must be a non-zero number, not {}",
                self.amount
            )));
        }
        if let Some(AdjustmentType::Other(other)) = &self.adjustment_type {
            return Err(Error::invalid(format!(
                "a balance adjustment's type is `balance` or `daysUsed`, not `{other}`"
            )));
        }
        Ok(())
    }
}
