//! Employee-table metadata: `GET /company/people/employee-tables/metadata`
//! and `…/{table_id}`, every built-in table with the columns its generated
//! rows have (custom ones included), in the keys the client assumes:
//! `{"tables": [{id, name, category, historical, columns: [{id, name,
//! description, mandatory, type, typeData: {listId}, isCustom}]}]}`.
//!
//! List columns name their named list (`typeData.listId`) where the fake
//! has one (`title`, `department`, `site`, `lifecycleStatus`, `status`);
//! the other list columns' values are served as labels and have no
//! `listId`. Served whatever categories are denied, like fields metadata.

use serde_json::{Value, json};

use super::{Call, Endpoint};
use crate::tables::EmployeeTable;
use crate::testing::generate_tables::{VARIABLE_PLAN_COLUMN, WORK_DESK_COLUMN};
use crate::testing::reply::Reply;

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let endpoint = match (call.method, call.segments) {
        ("GET", ["company", "people", "employee-tables", "metadata"]) => {
            Endpoint::new("GET /company/people/employee-tables/metadata", |_| {
                let tables: Vec<Value> = EmployeeTable::ALL.into_iter().map(table).collect();
                Reply::json(200, json!({ "tables": tables }))
            })
        }
        ("GET", ["company", "people", "employee-tables", "metadata", id]) => {
            let template = "GET /company/people/employee-tables/metadata/{table_id}";
            Endpoint::new(template, move |_| {
                match EmployeeTable::ALL.into_iter().find(|t| t.as_str() == *id) {
                    Some(t) => Reply::json(200, table(t)),
                    None => Reply::not_found("Table not found"),
                }
            })
        }
        _ => return None,
    };
    Some(endpoint)
}

/// A column: ID, name, type, named list (if the fake has it), mandatory.
type Column = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
);

const fn col(id: &'static str, name: &'static str, kind: &'static str) -> Column {
    (id, name, kind, None, false)
}

const fn list(id: &'static str, name: &'static str, list: Option<&'static str>) -> Column {
    (id, name, "list", list, false)
}

const fn mandatory(column: Column) -> Column {
    (column.0, column.1, column.2, column.3, true)
}

const EFFECTIVE: Column = mandatory(col("effectiveDate", "Effective date", "date"));

/// The built-in columns of each table, as its rows key them.
fn columns(table: EmployeeTable) -> &'static [Column] {
    use EmployeeTable as T;
    match table {
        T::Lifecycle => {
            const {
                &[
                    EFFECTIVE,
                    mandatory(list("status", "Status", Some("lifecycleStatus"))),
                    list("employeeStatus", "Employee status", Some("status")),
                    list("reasonType", "Reason type", None),
                    col("leaveReason", "Leave reason", "text"),
                ]
            }
        }
        T::Employment => {
            const {
                &[
                    EFFECTIVE,
                    list("contract", "Contract", None),
                    list("type", "Type", None),
                    list("salaryPayType", "Salary pay type", None),
                    col("weeklyHours", "Weekly hours", "number"),
                    col("fte", "FTE %", "number"),
                    col("workingPattern", "Working pattern", "working_pattern"),
                ]
            }
        }
        T::Work => {
            const {
                &[
                    EFFECTIVE,
                    list("title", "Job title", Some("title")),
                    list("department", "Department", Some("department")),
                    col("site", "Site", "text"),
                    mandatory(list("siteId", "Site ID", Some("site"))),
                    col("reportsTo", "Reports to", "employee-reference"),
                    list("workChangeType", "Change type", None),
                ]
            }
        }
        T::Salaries => {
            const {
                &[
                    EFFECTIVE,
                    mandatory(col("base", "Base salary", "currency")),
                    mandatory(list("payPeriod", "Salary pay period", None)),
                    mandatory(list("payFrequency", "Salary pay frequency", None)),
                ]
            }
        }
        T::VariablePay => {
            const {
                &[
                    EFFECTIVE,
                    mandatory(col("amount", "Amount", "currency")),
                    mandatory(list("variableType", "Variable type", None)),
                    mandatory(list("paymentPeriod", "Payment period", None)),
                    list("payoutType", "Payout type", None),
                    col("companyPercent", "Company %", "number"),
                    col("departmentPercent", "Department %", "number"),
                    col("individualPercent", "Individual %", "number"),
                    col("percentageOfAnnualSalary", "% of annual salary", "number"),
                    col("endDate", "End date", "date"),
                ]
            }
        }
        T::Equities => {
            const {
                &[
                    EFFECTIVE,
                    mandatory(col("quantity", "Quantity", "number")),
                    mandatory(list("equityType", "Equity type", None)),
                    list("grantType", "Grant type", None),
                    list("grantStatus", "Grant status", None),
                    col("grantNumber", "Grant number", "number"),
                    col("grantDate", "Grant date", "date"),
                    col(
                        "vestingCommencementDate",
                        "Vesting commencement date",
                        "date",
                    ),
                    col("vestingSchedule", "Vesting schedule", "number"),
                    col("vestingTerm", "Vesting term", "text"),
                    col("optionExpiration", "Option expiration", "date"),
                    col("exercisePrice", "Exercise price", "currency"),
                    col("consentNumber", "Consent number", "text"),
                ]
            }
        }
        T::Training => {
            const {
                &[
                    col("name", "Name", "text"),
                    col("description", "Description", "text-area"),
                    col("cost", "Cost", "currency"),
                    list("status", "Status", None),
                    list("frequency", "Frequency", None),
                    col("startDate", "Start date", "date"),
                    col("endDate", "End date", "date"),
                    col("documentId", "Document", "document"),
                ]
            }
        }
        T::BankAccounts => {
            const {
                &[
                    list("bankAccountType", "Account type", None),
                    col("accountNickname", "Account nickname", "text"),
                    col("bankName", "Bank name", "text"),
                    col("branchAddress", "Branch address", "text"),
                    col("accountNumber", "Account number", "text"),
                    col("routingNumber", "Routing number", "text"),
                    col("iban", "IBAN", "text"),
                    col("bicOrSwift", "BIC/SWIFT", "text"),
                    list("allocation", "Allocation", None),
                    col("amount", "Amount", "number"),
                    col("useForBonus", "Use for bonus", "boolean"),
                ]
            }
        }
        T::Deduction => {
            const {
                &[
                    EFFECTIVE,
                    mandatory(list("deduction", "Deduction", None)),
                    mandatory(col("amount", "Amount", "currency")),
                ]
            }
        }
        T::Entitlement => {
            const {
                &[
                    EFFECTIVE,
                    list("entitlement", "Entitlement", None),
                    mandatory(col("amount", "Amount", "currency")),
                ]
            }
        }
        T::Dependents => {
            const {
                &[
                    col("firstName", "First name", "text"),
                    col("surname", "Last name", "text"),
                    list("relation", "Relation", None),
                    list("gender", "Gender", None),
                    col("dateOfBirth", "Date of birth", "date"),
                    col("isStudent", "Student", "boolean"),
                ]
            }
        }
        T::RightToWork => {
            const {
                &[
                    list("rightToWorkType", "Right to work type", None),
                    col("documentNumber", "Document number", "text"),
                    col("citizenship", "Citizenship", "text"),
                    col("issueDate", "Issue date", "date"),
                    col("expiryDate", "Expiry date", "date"),
                ]
            }
        }
    }
}

/// The custom columns of a table, as `customColumns` keys them.
fn custom_columns(table: EmployeeTable) -> &'static [Column] {
    match table {
        EmployeeTable::Work => const { &[col(WORK_DESK_COLUMN, "Desk", "text")] },
        EmployeeTable::VariablePay => const { &[col(VARIABLE_PLAN_COLUMN, "Bonus plan", "text")] },
        _ => &[],
    }
}

fn column(column: &Column, custom: bool) -> Value {
    let (id, name, kind, list, mandatory) = *column;
    let type_data = match list {
        Some(list) => json!({ "listId": list }),
        None => json!({}),
    };
    json!({
        "id": id, "name": name, "description": null, "mandatory": mandatory,
        "type": kind, "typeData": type_data, "isCustom": custom,
    })
}

/// One table's metadata.
fn table(table: EmployeeTable) -> Value {
    let built_in = columns(table).iter().map(|c| column(c, false));
    let custom = custom_columns(table).iter().map(|c| column(c, true));
    let columns: Vec<Value> = built_in.chain(custom).collect();
    json!({
        "id": table.as_str(),
        "name": table.label(),
        "category": table.category_id(),
        "historical": table.historical(),
        "columns": columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_columns_with_unique_ids_and_custom_ones_are_column_ids() {
        for table in EmployeeTable::ALL {
            let all: Vec<&str> = (columns(table).iter().chain(custom_columns(table)))
                .map(|c| c.0)
                .collect();
            assert!(!all.is_empty(), "{table}");
            let mut unique = all.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), all.len(), "{table}");
            for c in custom_columns(table) {
                assert!(c.0.starts_with("column_"), "{}", c.0);
            }
        }
    }
}
