//! What a custom-table write is checked against before sending: the table's
//! metadata (unknown columns, mandatory ones, each value's format by column
//! type) and the named lists behind its list columns, through the checks
//! every writing group shares (`metadata/checks.rs`).

use serde_json::{Map, Value};

use super::permission;
use crate::error::FieldProblem;
use crate::metadata::checks;
use crate::metadata::{FieldType, NamedList};
use crate::models::custom_tables::CustomTable;
use crate::{Client, Error};

/// Which write is checked: an add needs every mandatory column, an update
/// may leave them out but not set them to `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Write {
    Add,
    Update,
}

/// The checks against the table's metadata. Metadata the service user may
/// not read (403) leaves the row to HiBob's own checks.
pub(super) async fn check(
    client: &Client,
    table_id: &str,
    row: &Map<String, Value>,
    write: Write,
) -> Result<(), Error> {
    if row.is_empty() {
        return Err(Error::invalid(format!(
            "a custom-table {} needs at least one column",
            if write == Write::Add { "row" } else { "update" }
        )));
    }
    let table = match permission::table(client, table_id).await {
        Ok(Some(table)) => table,
        Ok(None) => {
            return Err(Error::invalid(format!(
                "the company has no custom table `{table_id}`; list its tables with client.custom_tables().metadata()"
            )));
        }
        Err(Error::PermissionDenied { .. }) => {
            tracing::warn!("custom-table metadata is not readable; the row is sent unchecked");
            return Ok(());
        }
        Err(other) => return Err(other),
    };
    check_columns(&table, row, write)?;
    let lists_needed = row
        .keys()
        .any(|id| table.column(id).is_some_and(|c| c.list_id().is_some()));
    if lists_needed {
        if let Some(lists) = checks::named_lists_if_permitted(client).await? {
            check_lists(&table, &lists, row)?;
        }
    }
    Ok(())
}

fn refuse(column: &str, problem: FieldProblem) -> Error {
    Error::InvalidField {
        field: column.to_owned(),
        problem,
    }
}

fn expected(column: &str, what: &str) -> Error {
    refuse(
        column,
        FieldProblem::Format {
            expected: what.to_owned(),
        },
    )
}

/// Unknown and mandatory columns, and each value's format by column type.
fn check_columns(table: &CustomTable, row: &Map<String, Value>, write: Write) -> Result<(), Error> {
    for id in row.keys() {
        if table.column(id).is_none() {
            return Err(refuse(id, FieldProblem::Unknown));
        }
    }
    for column in table.columns.iter().filter(|c| c.mandatory) {
        let value = row.get(&column.id);
        let missing = match write {
            Write::Add => value.is_none_or(Value::is_null),
            Write::Update => value.is_some_and(Value::is_null),
        };
        if missing {
            return Err(refuse(&column.id, FieldProblem::Missing));
        }
    }
    for (id, value) in row.iter().filter(|(_, v)| !v.is_null()) {
        let column = table.column(id).expect("checked above");
        match column.column_type {
            FieldType::Date => checks::check_date(id, value)?,
            FieldType::Number | FieldType::Document if !value.is_number() => {
                return Err(expected(id, "a number"));
            }
            FieldType::Text | FieldType::TextArea | FieldType::EmployeeReference
                if !value.is_string() =>
            {
                return Err(expected(id, "a string"));
            }
            FieldType::MultiList if !value.is_array() => {
                return Err(expected(id, "an array of list item IDs"));
            }
            FieldType::Currency => check_money(id, value)?,
            _ => {}
        }
    }
    Ok(())
}

fn check_money(id: &str, value: &Value) -> Result<(), Error> {
    let shape = "money as {\"value\": number, \"currency\": \"EUR\"}";
    let Value::Object(money) = value else {
        return Err(expected(id, shape));
    };
    if money
        .get("value")
        .is_some_and(|v| !v.is_null() && !v.is_number())
    {
        return Err(expected(&format!("{id}.value"), "a number"));
    }
    match money.get("currency") {
        Some(Value::String(code)) => checks::check_currency(&format!("{id}.currency"), code),
        Some(Value::Null) | None => Err(refuse(&format!("{id}.currency"), FieldProblem::Missing)),
        Some(_) => Err(expected(&format!("{id}.currency"), "an ISO 4217 code")),
    }
}

/// List and multi-list cells against their named lists (lists the company
/// does not have are left to HiBob).
fn check_lists(
    table: &CustomTable,
    lists: &[NamedList],
    row: &Map<String, Value>,
) -> Result<(), Error> {
    for (id, value) in row {
        let Some(list) = table.column(id).and_then(|c| c.list_id()) else {
            continue;
        };
        if !lists.iter().any(|l| l.name == list) {
            continue;
        }
        checks::check_list_value(lists, id, list, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn table() -> CustomTable {
        serde_json::from_value(json!({
            "id": "1", "name": "Assets", "columns": [
                {"id": "column_serial", "name": "Serial", "type": "text", "mandatory": true},
                {"id": "column_kind", "name": "Type", "type": "list", "typeData": {"listId": "kinds"}},
                {"id": "column_on", "name": "Assigned", "type": "date"},
                {"id": "column_cost", "name": "Cost", "type": "currency"}
            ]
        }))
        .unwrap()
    }

    fn row(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn problem(result: Result<(), Error>) -> (String, FieldProblem) {
        match result {
            Err(Error::InvalidField { field, problem }) => (field, problem),
            other => panic!("expected InvalidField, got {other:?}"),
        }
    }

    #[test]
    fn columns_are_checked_against_the_metadata() {
        let t = table();
        let unknown = check_columns(
            &t,
            &row(json!({"column_serial": "a", "column_x": 1})),
            Write::Add,
        );
        assert_eq!(problem(unknown), ("column_x".into(), FieldProblem::Unknown));
        let missing = check_columns(&t, &row(json!({"column_on": "2026-01-02"})), Write::Add);
        assert_eq!(
            problem(missing),
            ("column_serial".into(), FieldProblem::Missing)
        );
        check_columns(&t, &row(json!({"column_on": "2026-01-02"})), Write::Update).unwrap();
        let nulled = check_columns(&t, &row(json!({"column_serial": null})), Write::Update);
        assert_eq!(problem(nulled).1, FieldProblem::Missing);
        let date = check_columns(
            &t,
            &row(json!({"column_serial": "a", "column_on": "02/01/2026"})),
            Write::Add,
        );
        assert!(matches!(problem(date).1, FieldProblem::Format { .. }));
        let money = json!({"column_serial": "a", "column_cost": {"value": 2, "currency": "eur"}});
        assert_eq!(
            problem(check_columns(&t, &row(money), Write::Add)).0,
            "column_cost.currency"
        );
    }

    #[test]
    fn list_cells_must_be_items() {
        let lists = [NamedList::new(
            "kinds",
            vec![serde_json::from_value(json!({"id": "10", "name": "Laptop"})).unwrap()],
        )];
        let t = table();
        check_lists(&t, &lists, &row(json!({"column_kind": "Laptop"}))).unwrap();
        check_lists(&t, &lists, &row(json!({"column_kind": 10}))).unwrap();
        let miss = problem(check_lists(
            &t,
            &lists,
            &row(json!({"column_kind": "Laptp"})),
        ));
        assert!(matches!(miss.1, FieldProblem::NotInList { .. }), "{miss:?}");
    }
}
