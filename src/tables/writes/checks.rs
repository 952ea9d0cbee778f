//! The checks a table write makes: the table's contract before sending
//! (required columns, formats, money, list items), the duplicate-date
//! read of `check_existing`, HiBob's duplicate 400 as the same error, and
//! the new entry's ID from an add's answer.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::error::FieldProblem;
use crate::metadata::checks;
use crate::tables::entry::{Spec, Unique};
use crate::tables::{EmployeeTable, TableRequest};
use crate::{Client, EmployeeId, Error};

/// A value at a dotted key (`base.currency`).
fn at<'a>(columns: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut value = columns.get(parts.next()?)?;
    for part in parts {
        value = value.get(part)?;
    }
    Some(value).filter(|v| !v.is_null())
}

fn invalid(field: &str, problem: FieldProblem) -> Error {
    Error::InvalidField {
        field: field.to_owned(),
        problem,
    }
}

fn expected(field: &str, what: &str) -> Error {
    invalid(
        field,
        FieldProblem::Format {
            expected: what.to_owned(),
        },
    )
}

/// Required columns, dates, numbers and money: everything but the lists.
pub(super) fn check_static(spec: &Spec, columns: &Map<String, Value>) -> Result<(), Error> {
    if columns.is_empty() {
        return Err(Error::invalid(format!(
            "a {} entry needs at least one column",
            spec.table
        )));
    }
    for any_of in spec.required {
        if !any_of.iter().any(|key| at(columns, key).is_some()) {
            return Err(invalid(&any_of.join("` or `"), FieldProblem::Missing));
        }
    }
    for key in spec.dates {
        if let Some(value) = at(columns, key) {
            checks::check_date(key, value)?;
        }
    }
    for key in spec.numbers {
        if at(columns, key).is_some_and(|v| !v.is_number()) {
            return Err(expected(key, "a number"));
        }
    }
    for key in spec.money {
        let Some(money) = at(columns, key) else {
            continue;
        };
        let value = money.get("value").filter(|v| !v.is_null());
        if value.is_some_and(|v| !v.is_number()) || !money.is_object() {
            return Err(expected(
                &format!("{key}.value"),
                "a number (money is {\"value\": number, \"currency\": \"EUR\"})",
            ));
        }
        match money.get("currency").filter(|v| !v.is_null()) {
            Some(Value::String(code)) => checks::check_currency(&format!("{key}.currency"), code)?,
            Some(_) => return Err(expected(&format!("{key}.currency"), "an ISO 4217 code")),
            None if value.is_some() => {
                return Err(invalid(&format!("{key}.currency"), FieldProblem::Missing));
            }
            None => {}
        }
    }
    Ok(())
}

/// List-backed columns against the company's named lists (read once per
/// client), for the lists the company has.
pub(super) async fn check_lists(
    client: &Client,
    spec: &Spec,
    columns: &Map<String, Value>,
) -> Result<(), Error> {
    let set: Vec<_> = (spec.lists.iter())
        .filter_map(|(key, list)| at(columns, key).map(|v| (*key, *list, v)))
        .collect();
    if set.is_empty() {
        return Ok(());
    }
    let lists = checks::named_lists(client).await?;
    for (key, list, value) in set {
        if !lists.iter().any(|l| l.name == list) {
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(expected(
                    key,
                    &format!("an item of list `{list}` (ID or label)"),
                ));
            }
        };
        checks::check_list_item(&lists, key, list, &text)?;
    }
    Ok(())
}

/// The `effectiveDate` sent, if it is one.
fn sent_date(columns: &Map<String, Value>) -> Option<NaiveDate> {
    at(columns, "effectiveDate")?.as_str()?.parse().ok()
}

/// The rows of a per-employee read, as HiBob sends them. `values` is
/// required: an answer without it is a decode error, never "no rows".
/// One employee's rows of a table as JSON: its per-employee read where
/// HiBob has one, else its bulk read asked for that one employee.
pub(super) async fn read_rows(
    client: &Client,
    spec: &Spec,
    employee_id: &EmployeeId,
) -> Result<Vec<Value>, Error> {
    let table = EmployeeTable::from_table_id(spec.segment)
        .expect("every table with entry writes is in the catalog");
    let rows = TableRequest::<Value>::new(client, table, employee_id.as_str()).await?;
    Ok(rows.rows)
}

/// `check_existing`: refuses a date the table already has an entry on.
pub(super) async fn refuse_taken_date(
    client: &Client,
    spec: &Spec,
    employee_id: &EmployeeId,
    columns: &Map<String, Value>,
) -> Result<(), Error> {
    let Some(date) = sent_date(columns) else {
        return Ok(());
    };
    // Deductions are unique per date and type: the same date with another
    // type is no duplicate.
    let same_kind = |row: &Value| match spec.unique {
        Unique::EffectiveDate => true,
        Unique::EffectiveDateAnd(column) => row.get(column) == columns.get(column),
        Unique::Nothing => false,
    };
    if spec.unique == Unique::Nothing {
        return Ok(());
    }
    let rows = read_rows(client, spec, employee_id).await?;
    let wanted = date.to_string();
    let taken = rows
        .iter()
        .find(|row| row["effectiveDate"] == wanted.as_str() && same_kind(row));
    match taken {
        Some(row) => Err(duplicate(date, row.get("id").and_then(id_of))),
        None => Ok(()),
    }
}

fn duplicate(date: NaiveDate, existing_entry: Option<i64>) -> Error {
    invalid(
        "effectiveDate",
        FieldProblem::DuplicateEffectiveDate {
            date,
            existing_entry,
        },
    )
}

/// HiBob's 400 for an entry on a taken date, as the same typed error the
/// pre-check gives; any other error as it is.
pub(super) fn duplicate_from(error: Error, spec: &Spec, columns: &Map<String, Value>) -> Error {
    let (Unique::EffectiveDate | Unique::EffectiveDateAnd(_), Some(date)) =
        (spec.unique, sent_date(columns))
    else {
        return error;
    };
    let Error::BadRequest { body, .. } = &error else {
        return error;
    };
    let words = format!(
        "{} {}",
        body.key.as_deref().unwrap_or_default(),
        body.message.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    let about_dates = words.contains("effective") || words.contains("date");
    let taken = ["duplicate", "already exist", "conflict", "same effective"]
        .iter()
        .any(|w| words.contains(w));
    if about_dates && taken {
        duplicate(date, None)
    } else {
        error
    }
}

pub(super) use crate::transport::id_of;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::EntryTable;
    use serde_json::json;

    fn columns(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn field(result: Result<(), Error>) -> (String, FieldProblem) {
        match result {
            Err(Error::InvalidField { field, problem }) => (field, problem),
            other => panic!("expected InvalidField, got {other:?}"),
        }
    }

    #[test]
    fn salaries_need_a_pay_frequency_and_a_known_currency() {
        let spec = EntryTable::Salaries.spec();
        let mut row = json!({"effectiveDate": "2026-01-01", "payPeriod": "Annual",
            "base": {"value": 50000, "currency": "EUR"}});
        let (name, problem) = field(check_static(spec, &columns(row.clone())));
        assert_eq!(
            (name.as_str(), problem),
            ("payFrequency", FieldProblem::Missing)
        );
        row["payFrequency"] = json!("Monthly");
        check_static(spec, &columns(row.clone())).unwrap();
        row["base"]["currency"] = json!("EURO");
        assert_eq!(
            field(check_static(spec, &columns(row.clone()))).0,
            "base.currency"
        );
        row["base"] = json!({"value": 1});
        assert_eq!(field(check_static(spec, &columns(row))).0, "base.currency");
    }

    #[test]
    fn work_needs_a_site_or_site_id_and_iso_dates() {
        let spec = EntryTable::Work.spec();
        let (name, _) = field(check_static(
            spec,
            &columns(json!({"effectiveDate": "2026-01-01"})),
        ));
        assert_eq!(name, "site` or `siteId");
        let bad = columns(json!({"effectiveDate": "01/02/2026", "siteId": 3}));
        assert_eq!(field(check_static(spec, &bad)).0, "effectiveDate");
        check_static(
            spec,
            &columns(json!({"effectiveDate": "2026-01-01", "siteId": 3})),
        )
        .unwrap();
    }

    #[test]
    fn entry_ids_come_from_objects_numbers_or_nothing() {
        assert_eq!(
            sent_date(&columns(json!({"effectiveDate": "2026-03-01"}))),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
    }

    const ADD: crate::error::Operation = crate::error::Operation {
        method: "POST",
        route: "/people/{id}/work",
    };

    fn bad_request(body: &[u8]) -> Error {
        Error::from_response(ADD, 400, Some("application/json"), None, None, body)
    }

    #[test]
    fn only_hibobs_duplicate_400_becomes_the_duplicate_problem() {
        let spec = EntryTable::Work.spec();
        let row = columns(json!({"effectiveDate": "2026-03-01", "site": "Paris"}));
        let dup = bad_request(br#"{"key": "table.entry.duplicate", "error": "An entry with effective date 2026-03-01 already exists"}"#);
        let (name, problem) = field(Err(duplicate_from(dup, spec, &row)));
        assert_eq!(name, "effectiveDate");
        assert!(matches!(
            problem,
            FieldProblem::DuplicateEffectiveDate {
                existing_entry: None,
                ..
            }
        ));
        let other = bad_request(br#"{"key": "request.invalid", "error": "site is not valid"}"#);
        let kept = duplicate_from(other, spec, &row);
        assert!(matches!(kept, Error::BadRequest { .. }), "{kept:?}");
        // Deductions are unique per date and type.
        let dup = bad_request(br#"{"error": "Duplicate effective date for this deduction"}"#);
        let mapped = duplicate_from(dup, EntryTable::Deduction.spec(), &row);
        assert!(matches!(mapped, Error::InvalidField { .. }), "{mapped:?}");
        // Tables without the rule keep HiBob's error as it is.
        let dup = bad_request(br#"{"error": "duplicate effective date"}"#);
        let kept = duplicate_from(dup, EntryTable::Training.spec(), &row);
        assert!(matches!(kept, Error::BadRequest { .. }), "{kept:?}");
    }
}
