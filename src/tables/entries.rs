//! The table-entry handle methods: one builder per table, and the delete.
//!
//! Which writes HiBob documents, and where (2025 spec:
//! `hibob-openapi-2025.yml`; 2026: apidocs.hibob.com reference pages and the
//! changelog "Employee data API: New Employee Tables endpoints"):
//!
//! | Table | POST | PUT `/{entry_id}` | DELETE `/{entry_id}` |
//! |---|---|---|---|
//! | work | spec | spec | spec |
//! | employment | spec | spec | spec |
//! | salaries | spec | none documented | spec |
//! | variable | spec | docs `put_people-id-variable-entry-id` | spec |
//! | equities | spec | spec | spec |
//! | training | spec | none documented | spec |
//! | bank-accounts | spec | spec | spec |
//! | deduction | docs `post_people-id-deduction` | docs `put_people-id-deduction-entry-id` | docs changelog |
//! | entitlement | docs `post_people-id-entitlement` | docs `put_people-id-entitlement-entry-id` | docs `delete_people-id-entitlement-entry-id` |
//! | dependents | docs `post_people-id-dependents` | docs `put_people-id-dependents-entry-id` | docs `delete_people-id-dependents-entry-id` |
//! | right-to-work | docs `post_people-id-right-to-work` | docs `put_people-id-right-to-work-entry-id` | docs `delete_people-id-right-to-work-entry-id` |

use super::Tables;
use super::entry::{
    BankAccounts, Deduction, Dependents, Employment, Entitlement, EntryKind, EntryTable, Equities,
    RightToWork, Salaries, Training, VariablePay, Work,
};
use super::writes::{self, EntryWrite};
use crate::EmployeeId;
use crate::transport::{RequestFuture, WriteOutcome};

impl Tables<'_> {
    fn entry<T: EntryKind>(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<T> {
        EntryWrite::new(self.client, employee_id.into())
    }

    /// A work entry (`POST /people/{id}/work`, or an update with
    /// [`update`](EntryWrite::update)). Requires an effective date and a
    /// site; title, department and site must be items of their lists. An
    /// entry in effect today changes the employee's `work.*` fields. A 403
    /// names "People's Data > Work > Edit selected employees' Work sections
    /// and Work section histories".
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    /// use hibob::tables::HistoryEntry;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// let on = NaiveDate::from_ymd_opt(2031, 1, 1).unwrap();
    /// let added = client.tables().work_entry(&id)
    ///     .effective_date(on)
    ///     .site("Paris")
    ///     .title("Data Analyst")
    ///     .check_existing()
    ///     .await?;
    /// assert!(added.is_some());
    /// let work = client.tables().work(&id).await?;
    /// assert!(work.rows.iter().any(|row| row.effective_date() == Some(on)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn work_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Work> {
        self.entry(employee_id)
    }

    /// An employment entry (`POST /people/{id}/employment`); requires an
    /// effective date.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// # use hibob::tables::HistoryEntry;
    /// let on = NaiveDate::from_ymd_opt(2031, 2, 1).unwrap();
    /// client.tables().employment_entry(&id)
    ///     .effective_date(on)
    ///     .contract("Part time")
    ///     .weekly_hours(20.0)
    ///     .await?;
    /// let rows = client.tables().employment(&id).await?.rows;
    /// assert!(rows.iter().any(|r| r.effective_date() == Some(on)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn employment_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Employment> {
        self.entry(employee_id)
    }

    /// A salary entry (`POST /people/{id}/salaries`; HiBob has no update).
    /// Requires an effective date, `base` with an ISO 4217 currency,
    /// `payPeriod` and `payFrequency`.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// let raise = client.tables().salary_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2031, 3, 1).unwrap())
    ///     .base(72_000.0, "EUR")
    ///     .pay_period("Annual")
    ///     .pay_frequency("Monthly");
    /// raise.await?;
    ///
    /// // Refused before sending: HiBob would silently drop the currency.
    /// let bad = client.tables().salary_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2031, 4, 1).unwrap())
    ///     .base(72_000.0, "Euro")
    ///     .pay_period("Annual")
    ///     .pay_frequency("Monthly");
    /// assert!(matches!(bad.await, Err(hibob::Error::InvalidField { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn salary_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Salaries> {
        self.entry(employee_id)
    }

    /// A variable-pay entry (`POST /people/{id}/variable`). Requires an
    /// effective date, `amount`, `variableType` and `paymentPeriod`.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// let entry = client.tables().variable_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap())
    ///     .amount(5_000.0, "USD")
    ///     .variable_type("Bonus")
    ///     .payment_period("Annual")
    ///     .await?
    ///     .expect("the fake answers with the new ID");
    /// client.tables().variable_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap())
    ///     .amount(6_000.0, "USD")
    ///     .variable_type("Bonus")
    ///     .payment_period("Annual")
    ///     .update(entry)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn variable_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<VariablePay> {
        self.entry(employee_id)
    }

    /// An equity grant (`POST /people/{id}/equities`). Requires an
    /// effective date, `quantity` and `equityType`.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().equity_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2030, 6, 1).unwrap())
    ///     .quantity(1_000.0)
    ///     .equity_type("Options")
    ///     .exercise_price(1.25, "USD")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn equity_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Equities> {
        self.entry(employee_id)
    }

    /// A training record (`POST /people/{id}/training`; HiBob has no update).
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().training_entry(&id)
    ///     .name("Training")
    ///     .start_date(NaiveDate::from_ymd_opt(2030, 6, 1).unwrap())
    ///     .cost(300.0, "GBP")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn training_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Training> {
        self.entry(employee_id)
    }

    /// A bank account (`POST /people/{id}/bank-accounts`). A 403 names
    /// "People's Data > Financial > Edit selected employees' Financial sections".
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().bank_account_entry(&id)
    ///     .bank_account_type("Checking")
    ///     .iban("GB33BUKB20201555555555")
    ///     .allocation("remaining")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn bank_account_entry(
        &self,
        employee_id: impl Into<EmployeeId>,
    ) -> EntryWrite<BankAccounts> {
        self.entry(employee_id)
    }

    /// A deduction entry (`POST /people/{id}/deduction`, added 2026).
    /// Requires an effective date, `deduction` (type) and `amount`.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().deduction_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2030, 6, 1).unwrap())
    ///     .deduction("Health insurance")
    ///     .amount(120.0, "EUR")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn deduction_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Deduction> {
        self.entry(employee_id)
    }

    /// An entitlement entry (`POST /people/{id}/entitlement`, added 2026).
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().entitlement_entry(&id)
    ///     .effective_date(NaiveDate::from_ymd_opt(2030, 6, 1).unwrap())
    ///     .column("entitlement", "Lunch vouchers")
    ///     .amount(80.0, "EUR")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn entitlement_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Entitlement> {
        self.entry(employee_id)
    }

    /// A dependent (`POST /people/{id}/dependents`, added 2026). The stored
    /// reference page names the columns (first name, surname, date of
    /// birth, gender) but not their JSON keys: set them with
    /// [`column`](EntryWrite::column).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().dependent_entry(&id).column("firstName", "Ada").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn dependent_entry(&self, employee_id: impl Into<EmployeeId>) -> EntryWrite<Dependents> {
        self.entry(employee_id)
    }

    /// A right-to-work entry (`POST /people/{id}/right-to-work`, added
    /// 2026); columns by JSON key with [`column`](EntryWrite::column), as for
    /// [`dependent_entry`](Self::dependent_entry).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// client.tables().right_to_work_entry(&id).column("documentNumber", "X123").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn right_to_work_entry(
        &self,
        employee_id: impl Into<EmployeeId>,
    ) -> EntryWrite<RightToWork> {
        self.entry(employee_id)
    }

    /// Deletes entry `entry_id` from an employee's table
    /// (`DELETE /people/{id}/<table>/{entry_id}`). Idempotent: a resent
    /// delete that finds nothing counts as done; a first 404 is
    /// [`Error::NotFound`](crate::Error::NotFound). HiBob sends no webhook
    /// for a table delete.
    ///
    /// ```
    /// use hibob::WriteOutcome;
    /// use hibob::chrono::NaiveDate;
    /// use hibob::tables::EntryTable;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// # use hibob::tables::HistoryEntry;
    /// let on = NaiveDate::from_ymd_opt(2031, 5, 1).unwrap();
    /// client.tables().work_entry(&id).effective_date(on).site("Paris").await?;
    /// let work = client.tables().work(&id).await?;
    /// let entry = work.rows.iter().find(|r| r.effective_date() == Some(on)).unwrap();
    /// let done = client.tables().delete_entry(EntryTable::Work, &id, entry.common.id).await?;
    /// assert_eq!(done, WriteOutcome::Applied(()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn delete_entry(
        &self,
        table: EntryTable,
        employee_id: impl Into<EmployeeId>,
        entry_id: i64,
    ) -> RequestFuture<WriteOutcome> {
        writes::delete(self.client, table, employee_id.into(), entry_id)
    }
}
