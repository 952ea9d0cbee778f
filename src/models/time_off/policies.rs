//! Policy types, policies and reason codes.
//!
//! HiBob has no "list every policy" endpoint. The walk is: policy type names
//! (`GET /timeoff/policy-types`, one request), then each type's policy names
//! (`GET /timeoff/policies/names?policyTypeName=`, one request per type), then
//! each policy (`GET /timeoff/policies?policyName=`, one request per policy):
//! 1 + T + P requests for T types and P policies.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::kinds::DurationUnit;
use super::wire::{list, open_enum, opt};
use crate::Error;

/// The answer of `GET /timeoff/policy-types`: every policy type's name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyTypeNames {
    /// The names (`Holiday`, `Sick`…), which the other calls take.
    #[serde(deserialize_with = "list")]
    pub policy_types: Vec<String>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

open_enum! {
    /// What time off of a policy type counts as (`activity`).
    PolicyActivity {
        /// `paidTimeoff`.
        PaidTimeOff => "paidTimeoff";
        /// `unpaidTimeoff`.
        UnpaidTimeOff => "unpaidTimeoff";
        /// `workTime`: time off that counts as work (training, a conference).
        WorkTime => "workTime";
    }
}

/// One policy type: `GET /timeoff/policy-types/{policyType}` (HiBob's
/// `PolicyType`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyType {
    /// The type's name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Paid, unpaid or work time.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<PolicyActivity>,
    /// Days or hours.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<DurationUnit>,
    /// Keys this crate does not model (before November 2024,
    /// `bookingWorkDaysOnly` was here).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /timeoff/policies/names?policyTypeName=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyNames {
    /// The type's policy names, which `GET /timeoff/policies` takes.
    #[serde(deserialize_with = "list")]
    pub policy_names: Vec<String>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

open_enum! {
    /// The shortest request a policy allows (`minTimeOffRequestDuration`).
    MinRequestDuration {
        /// `fullDay`.
        FullDay => "fullDay";
        /// `halfDay`.
        HalfDay => "halfDay";
        /// `fullHour`.
        FullHour => "fullHour";
        /// `halfHour`.
        HalfHour => "halfHour";
        /// `quarterHour`.
        QuarterHour => "quarterHour";
        /// `tenMinutes`.
        TenMinutes => "tenMinutes";
    }
}

/// One policy: `GET /timeoff/policies?policyName=` (HiBob's `Policy`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Policy {
    /// The policy's name.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the policy says about itself.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Days or hours.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<DurationUnit>,
    /// The base annual allowance.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowance: Option<f64>,
    /// The most that may remain at the end of a cycle.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_balance: Option<f64>,
    /// The lowest the balance may go.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_balance: Option<f64>,
    /// Extra allowance by years of service.
    #[serde(default, deserialize_with = "list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub yos_increase: Vec<YearsOfServiceIncrease>,
    /// The shortest request allowed.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_time_off_request_duration: Option<MinRequestDuration>,
    /// Whether weekends and bank holidays are left out of what a request
    /// costs. A policy setting since 20 November 2024; older policies report
    /// their policy type's value.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_work_days_only: Option<bool>,
    /// Whether requests need approval.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_required: Option<bool>,
    /// Keys this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A step of a policy's years-of-service increase (`yosIncrease[]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct YearsOfServiceIncrease {
    /// From this many years of service…
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub years_of_service: Option<f64>,
    /// …this many days are added.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_days: Option<f64>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /timeoff/policy-types/{policyType}/reason-codes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReasonCodes {
    /// The type's reason codes.
    #[serde(deserialize_with = "list")]
    pub reason_codes: Vec<ReasonCode>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reason a request may give; its [`id`](Self::id) is what a submit's
/// `reasonCode` takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReasonCode {
    /// The ID (an integer in the OpenAPI; numeric text is accepted).
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The name shown in Bob.
    #[serde(default, deserialize_with = "opt")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Any other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The body of `POST /timeoff/policy-types/{policyType}/reason-codes`: names
/// of reason codes to add (HiBob's `ReasonCodesNames`). A 404 means the
/// policy type does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AddReasonCodes {
    /// The names to add.
    pub reason_codes: Vec<String>,
}

impl AddReasonCodes {
    /// Adds these reason codes.
    pub fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            reason_codes: names.into_iter().map(Into::into).collect(),
        }
    }

    /// Refuses an empty list, a blank name and a name given twice.
    pub fn validate(&self) -> Result<(), Error> {
        if self.reason_codes.is_empty() {
            return Err(Error::invalid(
                "adding reason codes needs at least one name",
            ));
        }
        for (at, name) in self.reason_codes.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(Error::invalid(format!(
                    "reason code {} of the list is blank",
                    at + 1
                )));
            }
            if self.reason_codes[..at].contains(name) {
                return Err(Error::invalid(format!(
                    "the reason code \"{name}\" is listed twice"
                )));
            }
        }
        Ok(())
    }
}
