//! The tour's table reads: every built-in table in bulk where HiBob has a
//! bulk read and per employee where it has a per-employee read (typed rows,
//! so a model that no longer fits HiBob's answer shows as a decode error),
//! then the tables' metadata, and the custom tables: their metadata, one
//! employee's rows typed at run time, and a bulk page.

use std::future::IntoFuture;

use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use hibob::tables::{BulkRequest, EmployeeTable, TableRequest, TableRows, Tables};
use serde::de::DeserializeOwned;

use super::*;

/// One employee's rows of a table, as a count.
fn rows<E: DeserializeOwned + Send + 'static>(
    request: TableRequest<E>,
) -> BoxFuture<'static, Result<usize, Error>> {
    request
        .into_future()
        .map(|rows: Result<TableRows<E>, Error>| rows.map(|t| t.rows.len()))
        .boxed()
}

/// The first bulk page of a table for `ids` (everyone when empty): the
/// employee IDs on it.
fn first_page<E: DeserializeOwned + Send + 'static>(
    request: BulkRequest<E>,
    ids: &[EmployeeId],
) -> BoxFuture<'static, Result<Vec<EmployeeId>, Error>> {
    let mut pages = request.employees(ids.to_vec()).limit(25).pages();
    async move {
        match pages.next().await {
            Some(page) => Ok(page?
                .results
                .into_iter()
                .map(|rows| rows.employee_id)
                .collect()),
            None => Ok(Vec::new()),
        }
    }
    .boxed()
}

/// The typed per-employee read of `table`.
fn per_employee(
    tables: Tables<'_>,
    table: EmployeeTable,
    id: &str,
) -> BoxFuture<'static, Result<usize, Error>> {
    match table {
        EmployeeTable::Lifecycle => rows(tables.lifecycle(id)),
        EmployeeTable::Employment => rows(tables.employment(id)),
        EmployeeTable::Work => rows(tables.work(id)),
        EmployeeTable::Salaries => rows(tables.salaries(id)),
        EmployeeTable::VariablePay => rows(tables.variable_pay(id)),
        EmployeeTable::Equities => rows(tables.equities(id)),
        EmployeeTable::Training => rows(tables.training(id)),
        EmployeeTable::BankAccounts => rows(tables.bank_accounts(id)),
        other => rows(tables.rows_of(other, id)),
    }
}

/// The typed bulk read of `table`.
fn bulk(
    tables: Tables<'_>,
    table: EmployeeTable,
    ids: &[EmployeeId],
) -> BoxFuture<'static, Result<Vec<EmployeeId>, Error>> {
    match table {
        EmployeeTable::Lifecycle => first_page(tables.bulk_lifecycle(), ids),
        EmployeeTable::Employment => first_page(tables.bulk_employment(), ids),
        EmployeeTable::Work => first_page(tables.bulk_work(), ids),
        EmployeeTable::Salaries => first_page(tables.bulk_salaries(), ids),
        EmployeeTable::VariablePay => first_page(tables.bulk_variable_pay(), ids),
        EmployeeTable::Equities => first_page(tables.bulk_equities(), ids),
        EmployeeTable::Deduction => first_page(tables.bulk_deduction(), ids),
        EmployeeTable::Entitlement => first_page(tables.bulk_entitlement(), ids),
        EmployeeTable::Dependents => first_page(tables.bulk_dependents(), ids),
        EmployeeTable::RightToWork => first_page(tables.bulk_right_to_work(), ids),
        other => first_page(tables.bulk_of(other), ids),
    }
}

impl Tour {
    pub(crate) async fn tables(&mut self) {
        // The handle borrows its client, the calls borrow the tour.
        let client = self.client.clone();
        let tables = client.tables();
        let ids: Vec<EmployeeId> = self.employee.iter().cloned().collect();
        for table in EmployeeTable::ALL.into_iter().filter(|t| t.bulk_read()) {
            let endpoint = format!("GET /bulk/people/{}", table.as_str());
            let found = self
                .call("tables", &endpoint, bulk(tables, table, &ids))
                .await;
            // Without `people`, the first bulk page names an employee to read.
            if self.employee.is_none() {
                self.employee = found.and_then(|ids| ids.into_iter().next());
            }
        }
        let per_employee_tables = EmployeeTable::ALL
            .into_iter()
            .filter(|t| t.per_employee_read());
        for table in per_employee_tables {
            let endpoint = format!("GET /people/{{id}}/{}", table.as_str());
            match self.employee.clone() {
                Some(id) => {
                    let read = per_employee(tables, table, id.as_str());
                    self.call("tables", &endpoint, read).await;
                }
                None => skip("tables", &endpoint, "an employee ID (run people too)"),
            }
        }
        self.call(
            "tables",
            "GET /company/people/employee-tables/metadata",
            tables.metadata(),
        )
        .await;
        self.call(
            "tables",
            "GET /company/people/employee-tables/metadata/{table_id}",
            tables.table_metadata(EmployeeTable::Work),
        )
        .await;
        self.custom_tables().await;
    }

    /// The custom tables: their metadata, then the first one's metadata,
    /// one employee's rows typed by its schema, and a bulk page.
    async fn custom_tables(&mut self) {
        let client = self.client.clone();
        let custom = client.custom_tables();
        let listed = self
            .call(
                "tables",
                "GET /people/custom-tables/metadata",
                custom.metadata(),
            )
            .await;
        const ONE: [&str; 3] = [
            "GET /people/custom-tables/metadata/{custom_table_id}",
            "GET /people/custom-tables/{employee_id}/{custom_table_id}",
            "GET /bulk/people/custom-tables/{custom_table_id}",
        ];
        let Some(table) = listed.and_then(|tables| tables.into_iter().next()) else {
            for endpoint in ONE {
                skip(
                    "tables",
                    endpoint,
                    "a custom table from the custom-table metadata",
                );
            }
            return;
        };
        self.call("tables", ONE[0], custom.table(&table.id)).await;
        match self.employee.clone() {
            Some(id) => {
                let rows = custom.rows(id.as_str(), &table.id).typed();
                self.call("tables", ONE[1], rows).await;
            }
            None => skip("tables", ONE[1], "an employee ID (run people too)"),
        }
        let ids: Vec<EmployeeId> = self.employee.iter().cloned().collect();
        let page = first_page(custom.bulk(&table.id), &ids);
        self.call("tables", ONE[2], page).await;
    }
}
