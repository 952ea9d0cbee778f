//! Decoding the simple and 2026 tables' rows from the shapes HiBob's
//! OpenAPI and reference pages draw.

use serde_json::json;

use super::*;
use crate::models::tables::TableRows;

fn decode<E: serde::de::DeserializeOwned>(value: serde_json::Value) -> E {
    serde_json::from_value(value).expect("decodes")
}

#[test]
fn variable_rows_decode_amount_percentages_and_custom_columns() {
    let rows: TableRows<VariableEntry> = decode(json!({"values": [{
        "id": 12, "effectiveDate": "2024-03-01", "endEffectiveDate": null,
        "amount": {"value": "1500.5", "currency": "EUR"}, "variableType": "Bonus",
        "paymentPeriod": "Annual", "companyPercent": 50, "individualPercent": "50",
        "percentageOfAnnualSalary": null, "customColumns": {"column_1": "x"},
        "change": {"reason": "Review", "changedBy": "Ann", "changedById": "1"},
        "newColumn": true
    }]}));
    let row = &rows.rows[0];
    assert_eq!(row.common.id, 12);
    assert_eq!(row.amount, Some(Money::new(1500.5, "EUR")));
    assert_eq!(row.variable_type.as_deref(), Some("Bonus"));
    assert_eq!(row.individual_percent, Some(50.0));
    assert_eq!(row.percentage_of_annual_salary, None);
    assert_eq!(row.common.custom_columns["column_1"], "x");
    assert_eq!(row.extra["newColumn"], true, "unknown columns are kept");
    assert_eq!(row.effective_date(), NaiveDate::from_ymd_opt(2024, 3, 1));
}

#[test]
fn equity_training_and_bank_account_rows_decode_their_documented_keys() {
    let equity: EquityEntry = decode(json!({
        "id": 1, "quantity": 1000, "equityType": "Options", "grantDate": "2023-01-01",
        "exercisePrice": {"value": 1.25, "currency": "USD"}, "grantNumber": 77,
        "vestingSchedule": "4y/1y cliff", "optionExpiration": ""
    }));
    assert_eq!(equity.quantity, Some(1000.0));
    assert_eq!(
        equity.grant_number.as_deref(),
        Some("77"),
        "numbers read as text"
    );
    assert_eq!(equity.exercise_price, Some(Money::new(1.25, "USD")));
    assert_eq!(equity.option_expiration, None, "blank dates are none");

    let training: TrainingEntry = decode(json!({
        "id": 2, "name": "First aid", "cost": {"value": 90, "currency": "GBP"},
        "startDate": "2024-05-01", "endDate": "2024-05-02", "documentId": "5", "status": "Done"
    }));
    assert_eq!(training.name.as_deref(), Some("First aid"));
    assert_eq!(training.document_id, Some(5));
    assert_eq!(
        training.common.effective_date, None,
        "training rows have no date"
    );

    let account: BankAccountEntry = decode(json!({
        "id": 3, "bankAccountType": "Checking", "iban": "GB33BUKB20201555555555",
        "allocation": "Percent", "amount": 100, "useForBonus": true, "changedBy": "Ann"
    }));
    assert_eq!(account.iban.as_deref(), Some("GB33BUKB20201555555555"));
    assert_eq!(account.use_for_bonus, Some(true));
    assert_eq!(account.extra["changedBy"], "Ann");
}

#[test]
fn rows_the_docs_name_no_keys_for_keep_every_column() {
    let dependent: DependentEntry = decode(json!({
        "id": 4, "firstName": "Sam", "birthDate": "2019-02-03", "relation": "Child"
    }));
    assert_eq!(dependent.common.id, 4);
    assert_eq!(dependent.extra.len(), 3);
    let deduction: DeductionEntry = decode(json!({
        "id": 5, "effectiveDate": "2025-01-01", "deduction": "Pension",
        "amount": {"value": 120, "currency": "GBP"}
    }));
    assert_eq!(deduction.deduction.as_deref(), Some("Pension"));
    assert_eq!(deduction.amount.map(|m| m.value), Some(120.0));
    let any: AnyEntry = decode(json!({"id": 6, "effectiveDate": "2025-01-01", "x": 1}));
    assert_eq!(any.columns["x"], 1);
    assert_eq!(
        any.common.effective_date,
        NaiveDate::from_ymd_opt(2025, 1, 1)
    );
}

#[test]
fn a_money_column_that_is_not_an_amount_is_none_not_a_zero() {
    let row: VariableEntry = decode(json!({"id": 1, "amount": "a lot"}));
    assert_eq!(row.amount, None);
    let row: VariableEntry = decode(json!({"id": 1, "amount": {"currency": "EUR"}}));
    assert_eq!(row.amount, None, "an amount without a value is no amount");
}
