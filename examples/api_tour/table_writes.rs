//! The table-entry writes (`--writes` with `people` and `tables`): on the
//! tour's hire, each table gets one entry, which is replaced where HiBob has
//! an update and then deleted, so the hire keeps only its first rows.

use chrono::NaiveDate;
use hibob::tables::entry::Updatable;
use hibob::tables::{EntryKind, EntryTable, EntryWrite};

use super::*;

impl Tour {
    /// Adds, updates and deletes one entry in every table, on the hire.
    pub(crate) async fn table_writes(&mut self) {
        let (Some((id, start)), Some(site)) = (self.hire.clone(), self.site.clone()) else {
            for table in EntryTable::ALL {
                skip("writes", &post(table), "the hire the people writes created");
            }
            return;
        };
        // After the start date, so no entry collides with the hire's first rows.
        let on = start + Days::new(10);
        let client = self.client.clone();
        let tables = client.tables();
        let work = || tables.work_entry(&id).effective_date(on).site(&site);
        let moved = work().reason("api_tour");
        self.add_update_delete(EntryTable::Work, &id, work(), moved)
            .await;
        let employment = || tables.employment_entry(&id).effective_date(on);
        let longer = employment().weekly_hours(40.0);
        self.add_update_delete(EntryTable::Employment, &id, employment(), longer)
            .await;
        self.pay_tables(&id, on).await;
        self.people_tables(&id, on).await;
    }

    /// Salaries, variable pay, equities, bank accounts, deductions and
    /// entitlements.
    async fn pay_tables(&mut self, id: &EmployeeId, on: NaiveDate) {
        let client = self.client.clone();
        let tables = client.tables();
        let salary = tables.salary_entry(id).effective_date(on).base(1.0, "EUR");
        let salary = salary.pay_period("Annual").pay_frequency("Monthly");
        self.add_then_delete(EntryTable::Salaries, id, salary).await;
        let variable = |amount| {
            let pay = tables
                .variable_entry(id)
                .effective_date(on)
                .amount(amount, "EUR");
            pay.variable_type("Bonus").payment_period("Annual")
        };
        let (once, twice) = (variable(1.0), variable(2.0));
        self.add_update_delete(EntryTable::VariablePay, id, once, twice)
            .await;
        let equity = |quantity| {
            let grant = tables
                .equity_entry(id)
                .effective_date(on)
                .quantity(quantity);
            grant.equity_type("Options")
        };
        let (once, twice) = (equity(1.0), equity(2.0));
        self.add_update_delete(EntryTable::Equities, id, once, twice)
            .await;
        let bank = |name| tables.bank_account_entry(id).bank_name(name);
        let (named, renamed) = (bank("api_tour"), bank("api_tour (renamed)"));
        self.add_update_delete(EntryTable::BankAccounts, id, named, renamed)
            .await;
        let deduction = |amount| {
            let deduction = tables.deduction_entry(id).effective_date(on);
            deduction
                .deduction("Health insurance")
                .amount(amount, "EUR")
        };
        let (once, twice) = (deduction(1.0), deduction(2.0));
        self.add_update_delete(EntryTable::Deduction, id, once, twice)
            .await;
        let entitlement = |amount| {
            tables
                .entitlement_entry(id)
                .effective_date(on)
                .amount(amount, "EUR")
        };
        let (once, twice) = (entitlement(1.0), entitlement(2.0));
        self.add_update_delete(EntryTable::Entitlement, id, once, twice)
            .await;
    }

    /// Training, dependents and right to work.
    async fn people_tables(&mut self, id: &EmployeeId, on: NaiveDate) {
        let client = self.client.clone();
        let tables = client.tables();
        let training = tables.training_entry(id).name("api_tour").start_date(on);
        self.add_then_delete(EntryTable::Training, id, training)
            .await;
        let dependent = |name| tables.dependent_entry(id).column("firstName", name);
        let (api, tour) = (dependent("Api"), dependent("Tour"));
        self.add_update_delete(EntryTable::Dependents, id, api, tour)
            .await;
        let permit = |number| {
            tables
                .right_to_work_entry(id)
                .column("documentNumber", number)
        };
        let (first, renewed) = (permit("API-TOUR-1"), permit("API-TOUR-2"));
        self.add_update_delete(EntryTable::RightToWork, id, first, renewed)
            .await;
    }

    /// Adds the entry and deletes it again.
    async fn add_then_delete<T: EntryKind>(
        &mut self,
        table: EntryTable,
        id: &EmployeeId,
        write: EntryWrite<T>,
    ) {
        if let Some(entry) = self.add(table, write).await {
            self.delete(table, id, entry).await;
        }
    }

    /// Adds the entry, replaces it with `replacement` (a PUT sends the whole
    /// entry), and deletes it.
    async fn add_update_delete<T: Updatable>(
        &mut self,
        table: EntryTable,
        id: &EmployeeId,
        write: EntryWrite<T>,
        replacement: EntryWrite<T>,
    ) {
        let Some(entry) = self.add(table, write).await else {
            return;
        };
        let update = replacement.update(entry).into_future();
        self.call("writes", &put(table), update).await;
        self.delete(table, id, entry).await;
    }

    /// Sends the add; the new entry's ID, when HiBob answered with one.
    async fn add<T: EntryKind>(&mut self, table: EntryTable, write: EntryWrite<T>) -> Option<i64> {
        let added = self
            .call("writes", &post(table), write.into_future())
            .await?;
        if added.is_none() {
            let needs = "the new entry's ID, which HiBob's answer did not carry";
            skip(
                "writes",
                &format!("{} and {}", put(table), delete(table)),
                needs,
            );
        }
        added
    }

    async fn delete(&mut self, table: EntryTable, id: &EmployeeId, entry: i64) {
        let client = self.client.clone();
        let gone = client.tables().delete_entry(table, id, entry);
        self.call("writes", &delete(table), gone).await;
    }
}

fn post(table: EntryTable) -> String {
    format!("POST /people/{{id}}/{table}", table = table.as_str())
}

fn put(table: EntryTable) -> String {
    format!(
        "PUT /people/{{id}}/{table}/{{entry_id}}",
        table = table.as_str()
    )
}

fn delete(table: EntryTable) -> String {
    format!(
        "DELETE /people/{{id}}/{table}/{{entry_id}}",
        table = table.as_str()
    )
}
