//! Rows of the employee tables beyond the four history tables: variable
//! pay, equity grants, training, bank accounts (2025 OpenAPI) and deduction,
//! entitlement, dependents and right to work (2026 reference pages).
//!
//! Typed where the docs name the JSON keys; every other column, and all
//! columns of the two tables whose docs show no keys (dependents, right to
//! work), is kept in `extra` as sent. Parsing is as lenient as the history
//! rows': `null`, `""` or a malformed date is `None`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{EntryCommon, HistoryEntry, Money, opt_object};
use crate::models::employee::de;

/// A row of the variable-pay table: `GET /people/{id}/variable`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VariableEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// The amount (`{value, currency}`).
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Variable type (a list value: bonus, commission…).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_type: Option<String>,
    /// Payment period: Annual, Half-Yearly, Quarterly or Monthly.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_period: Option<String>,
    /// Payout type.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payout_type: Option<String>,
    /// Company share, in percent.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_percent: Option<f64>,
    /// Department share, in percent.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_percent: Option<f64>,
    /// Individual share, in percent.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub individual_percent: Option<f64>,
    /// The amount as a percentage of the annual salary.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage_of_annual_salary: Option<f64>,
    /// When the payment ends.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the equity table: `GET /people/{id}/equities`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EquityEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Number of shares or options granted.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// Equity type (a list value: options, RSUs…).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equity_type: Option<String>,
    /// Grant type (a list value).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_type: Option<String>,
    /// Grant status (a list value).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_status: Option<String>,
    /// Grant number.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_number: Option<String>,
    /// Grant date.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_date: Option<NaiveDate>,
    /// When vesting starts.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vesting_commencement_date: Option<NaiveDate>,
    /// Vesting schedule (a list value).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vesting_schedule: Option<String>,
    /// Vesting term.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vesting_term: Option<String>,
    /// When the options expire.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option_expiration: Option<NaiveDate>,
    /// Exercise (strike) price.
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise_price: Option<Money>,
    /// Consent number.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_number: Option<String>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the training table: `GET /people/{id}/training`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TrainingEntry {
    /// The common columns (a training row has no effective date).
    #[serde(flatten)]
    pub common: EntryCommon,
    /// The training's name.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its description.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What it cost.
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
    /// Status (a list value).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Frequency (a list value).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// First day.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// Last day.
    #[serde(default, deserialize_with = "de::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The attached document (Docs API ID).
    #[serde(default, deserialize_with = "de::opt_i64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_id: Option<i64>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the bank-accounts table: `GET /people/{id}/bank-accounts`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BankAccountEntry {
    /// The common columns (a bank account has no effective date).
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Account type (`Checking`, `Savings`; a list value).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_account_type: Option<String>,
    /// The account holder's nickname for it.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_nickname: Option<String>,
    /// Bank name.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// Branch address.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_address: Option<String>,
    /// Account number.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// Routing number.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_number: Option<String>,
    /// IBAN.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// BIC / SWIFT code.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bic_or_swift: Option<String>,
    /// How pay is split onto this account (`Percent`, `Amount`, `Remaining`).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation: Option<String>,
    /// The percentage or amount of the allocation.
    #[serde(default, deserialize_with = "de::opt_f64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Whether bonuses are paid to it.
    #[serde(default, deserialize_with = "de::opt_bool")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_for_bonus: Option<bool>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the deduction table (bulk only: `GET /bulk/people/deduction`).
/// HiBob keeps one row per effective date and deduction type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeductionEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// The deduction type (an item of the `deductionType` list).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deduction: Option<String>,
    /// The amount (assumed `{value, currency}`, as in the other pay tables).
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Columns this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the entitlement table (bulk only: `GET /bulk/people/entitlement`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EntitlementEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// The amount (assumed `{value, currency}`, as in the other pay tables).
    #[serde(default, deserialize_with = "opt_object")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Columns this crate does not model (the entitlement type among
    /// them: the docs do not name its key), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the dependents table, "Children" or "Dependents" in Bob (bulk
/// only: `GET /bulk/people/dependents`). The docs name no JSON keys, so
/// every column but the common ones is in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DependentEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Every other column, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of the right-to-work table (bulk only: `GET
/// /bulk/people/right-to-work`). The docs name no JSON keys, so every
/// column but the common ones is in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RightToWorkEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Every other column, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A row of any employee table, untyped: the common columns and every other
/// column as sent. What the by-value reads
/// ([`Tables::rows_of`](crate::tables::Tables::rows_of),
/// [`Tables::bulk_of`](crate::tables::Tables::bulk_of)) return, for code
/// that handles tables it does not know at compile time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AnyEntry {
    /// The common columns.
    #[serde(flatten)]
    pub common: EntryCommon,
    /// Every other column, as sent.
    #[serde(flatten)]
    pub columns: Map<String, Value>,
}

super::history_entry!(
    VariableEntry => "variable",
    EquityEntry => "equities",
    TrainingEntry => "training",
    BankAccountEntry => "bank-accounts",
    DeductionEntry => "deduction",
    EntitlementEntry => "entitlement",
    DependentEntry => "dependents",
    RightToWorkEntry => "right-to-work"
);

#[cfg(test)]
mod tests;
