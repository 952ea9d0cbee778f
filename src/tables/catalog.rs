//! Every built-in employee table as a value: its path segment, the reads
//! HiBob documents for it, and the Bob permission those reads need. The
//! matrix in the [module docs](crate::tables) is this file as a table.

use std::fmt;

use chrono::NaiveDate;

use super::{EntryTable, HistoryEntry};

/// A built-in employee table, as a value: for code that picks tables at run
/// time (a `--with-history=work,salaries` flag, an access check that probes
/// each table) and reads them with [`Tables::rows_of`](super::Tables::rows_of)
/// or [`Tables::bulk_of`](super::Tables::bulk_of).
///
/// ```
/// use hibob::tables::EmployeeTable;
///
/// let table: EmployeeTable = "right-to-work".parse().unwrap();
/// assert!(table.bulk_read() && !table.per_employee_read());
/// assert_eq!(table.category_name(), "Right to Work");
/// assert!(EmployeeTable::Training.per_employee_read() && !EmployeeTable::Training.bulk_read());
/// assert!("address".parse::<EmployeeTable>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EmployeeTable {
    /// Lifecycle (status) history.
    Lifecycle,
    /// Employment history.
    Employment,
    /// Work history.
    Work,
    /// Salary (payroll) history.
    Salaries,
    /// Variable pay.
    VariablePay,
    /// Equity grants.
    Equities,
    /// Training records.
    Training,
    /// Bank accounts.
    BankAccounts,
    /// Payroll deductions.
    Deduction,
    /// Payroll entitlements.
    Entitlement,
    /// Children / dependents.
    Dependents,
    /// Right to work.
    RightToWork,
}

/// One table's read contract; see the module docs' matrix.
struct About {
    segment: &'static str,
    label: &'static str,
    category_id: &'static str,
    category_name: &'static str,
    /// `GET /people/{id}/<segment>`, where documented.
    get: Option<&'static str>,
    /// `GET /bulk/people/<segment>`, where documented.
    bulk: Option<&'static str>,
    /// Effective-dated: one row in effect at a time (or, for the pay
    /// tables HiBob calls multi-current, one per type).
    historical: bool,
    permission: &'static str,
}

impl EmployeeTable {
    /// Every built-in table.
    pub const ALL: [EmployeeTable; 12] = [
        Self::Lifecycle,
        Self::Employment,
        Self::Work,
        Self::Salaries,
        Self::VariablePay,
        Self::Equities,
        Self::Training,
        Self::BankAccounts,
        Self::Deduction,
        Self::Entitlement,
        Self::Dependents,
        Self::RightToWork,
    ];

    /// The path segment: `work`, `bank-accounts`, `right-to-work`.
    pub const fn as_str(self) -> &'static str {
        self.about().segment
    }

    /// How messages name the table: `Variable pay`.
    pub fn label(self) -> &'static str {
        self.about().label
    }

    /// The permission category guarding it, as the fake and fields
    /// metadata name it (`payroll`, `financial`).
    pub fn category_id(self) -> &'static str {
        self.about().category_id
    }

    /// The category as Bob's UI names it: Payroll, Equity, Right to Work.
    pub fn category_name(self) -> &'static str {
        self.about().category_name
    }

    /// Whether HiBob documents `GET /people/{id}/<table>`.
    pub const fn per_employee_read(self) -> bool {
        self.about().get.is_some()
    }

    /// Whether HiBob documents `GET /bulk/people/<table>`.
    pub const fn bulk_read(self) -> bool {
        self.about().bulk.is_some()
    }

    /// The per-employee read's route template, where there is one.
    pub(crate) const fn route(self) -> Option<&'static str> {
        self.about().get
    }

    /// The bulk read's route, where there is one.
    pub(crate) const fn bulk_route(self) -> Option<&'static str> {
        self.about().bulk
    }

    /// Whether rows are effective-dated.
    pub fn historical(self) -> bool {
        self.about().historical
    }

    /// The Bob permission its reads need, in Bob's UI words.
    pub const fn read_permission(self) -> &'static str {
        self.about().permission
    }

    /// The table as a write target, where HiBob documents writes.
    pub fn entry_table(self) -> Option<EntryTable> {
        EntryTable::ALL
            .into_iter()
            .find(|t| t.as_str() == self.as_str())
    }

    /// The table as one of the four history tables, if it is one.
    pub fn history_table(self) -> Option<HistoryTable> {
        HistoryTable::ALL
            .into_iter()
            .find(|t| t.as_str() == self.as_str())
    }

    /// The table for a path segment or a webhook `tableId`, ignoring ASCII
    /// case; `salary` and `bankAccounts` / `rightToWork` are accepted too.
    pub fn from_table_id(id: &str) -> Option<Self> {
        let id = id.trim().to_ascii_lowercase();
        let id = match id.as_str() {
            "salary" => "salaries",
            "bankaccounts" => "bank-accounts",
            "righttowork" => "right-to-work",
            other => other,
        };
        Self::ALL.into_iter().find(|t| t.as_str() == id)
    }

    const fn about(self) -> &'static About {
        match self {
            Self::Lifecycle => &LIFECYCLE,
            Self::Employment => &EMPLOYMENT,
            Self::Work => &WORK,
            Self::Salaries => &SALARIES,
            Self::VariablePay => &VARIABLE,
            Self::Equities => &EQUITIES,
            Self::Training => &TRAINING,
            Self::BankAccounts => &BANK_ACCOUNTS,
            Self::Deduction => &DEDUCTION,
            Self::Entitlement => &ENTITLEMENT,
            Self::Dependents => &DEPENDENTS,
            Self::RightToWork => &RIGHT_TO_WORK,
        }
    }
}

/// A history table HiBob serves per employee and in bulk, as a value: what
/// the access check probes, what webhook table events name, and what the
/// fake serves.
///
/// ```
/// use hibob::tables::HistoryTable;
///
/// let table = HistoryTable::from_table_id("Salary").unwrap();
/// assert_eq!(table, HistoryTable::Salaries);
/// assert_eq!(table.category_name(), "Payroll");
/// assert_eq!(table.to_string(), "Salary history");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HistoryTable {
    /// Lifecycle (status) history; category Lifecycle.
    Lifecycle,
    /// Employment history; category Employment.
    Employment,
    /// Work history; category Work.
    Work,
    /// Salary history; category Payroll.
    Salaries,
}

impl HistoryTable {
    /// Every table.
    pub const ALL: [HistoryTable; 4] = [
        HistoryTable::Lifecycle,
        HistoryTable::Employment,
        HistoryTable::Work,
        HistoryTable::Salaries,
    ];

    /// The tables a roster needs (and the access check probes by default):
    /// lifecycle, employment and work.
    pub const DEFAULT: [HistoryTable; 3] = [
        HistoryTable::Lifecycle,
        HistoryTable::Employment,
        HistoryTable::Work,
    ];

    /// The table among every built-in one.
    pub const fn employee_table(self) -> EmployeeTable {
        match self {
            Self::Lifecycle => EmployeeTable::Lifecycle,
            Self::Employment => EmployeeTable::Employment,
            Self::Work => EmployeeTable::Work,
            Self::Salaries => EmployeeTable::Salaries,
        }
    }

    /// The table's name in API paths: `lifecycle`, `employment`, `work`, `salaries`.
    pub fn as_str(self) -> &'static str {
        self.employee_table().as_str()
    }

    /// The permission category guarding the table (`categoryId`).
    pub fn category_id(self) -> &'static str {
        self.employee_table().category_id()
    }

    /// The category as Bob's UI names it: Lifecycle, Employment, Work, Payroll.
    pub fn category_name(self) -> &'static str {
        self.employee_table().category_name()
    }

    /// How the table is named in messages: `Work history`.
    pub fn label(self) -> &'static str {
        self.employee_table().label()
    }

    /// The table for a name as HiBob writes it (a path segment or a webhook
    /// `tableId`), ignoring ASCII case; `salary` is accepted for salaries.
    pub fn from_table_id(table_id: &str) -> Option<Self> {
        let id = table_id.trim().to_ascii_lowercase();
        match id.as_str() {
            "salary" => Some(Self::Salaries),
            other => Self::ALL.into_iter().find(|t| t.as_str() == other),
        }
    }
}

impl std::fmt::Display for HistoryTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl fmt::Display for EmployeeTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A name that is no built-in table; the message lists the ones there are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a built-in employee table; known: lifecycle, employment, work, salaries, variable, equities, training, bank-accounts, deduction, entitlement, dependents, right-to-work"
)]
pub struct UnknownTable(pub String);

impl std::str::FromStr for EmployeeTable {
    type Err = UnknownTable;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_table_id(s).ok_or_else(|| UnknownTable(s.to_owned()))
    }
}

/// The read permissions, in Bob's UI words. History tables need "section
/// histories" for every row (with only "sections", HiBob returns the
/// current row); the simple tables need "sections"; the 2026 tables name
/// their field-level table permission as their reference pages do.
pub(crate) const VIEW_LIFECYCLE: &str =
    "People's Data > Lifecycle > View selected employees' Lifecycle section histories";
pub(crate) const VIEW_EMPLOYMENT: &str =
    "People's Data > Employment > View selected employees' Employment section histories";
pub(crate) const VIEW_WORK: &str =
    "People's Data > Work > View selected employees' Work section histories";
pub(crate) const VIEW_SALARIES: &str =
    "People's Data > Payroll > View selected employees' Payroll section histories";
const VIEW_VARIABLE: &str = "People's Data > Payroll > View selected employees' Payroll sections (or Variable table View when field-level permissions are enabled)";
const VIEW_EQUITIES: &str = "People's Data > Equity > View selected employees' Equity sections";
const VIEW_TRAINING: &str = "People's Data > Training > View selected employees' Training sections";
const VIEW_BANK_ACCOUNTS: &str =
    "People's Data > Financial > View selected employees' Financial sections";
const VIEW_DEDUCTION: &str = "People's Data > Payroll > View selected employees' Payroll section histories (or Deduction table View when field-level permissions are enabled)";
const VIEW_ENTITLEMENT: &str = "People's Data > Payroll > View selected employees' Payroll section histories (or Entitlement table View when field-level permissions are enabled)";
const VIEW_DEPENDENTS: &str = "People's Data > Home > View selected employees' Home sections (or Children/Dependents table View when field-level permissions are enabled)";
const VIEW_RIGHT_TO_WORK: &str = "People's Data > Right to Work > View selected employees' Right to Work sections (or Right to Work table View when field-level permissions are enabled)";

/// A route when documented (`yes`), else `None`.
macro_rules! documented {
    (yes, $prefix:literal, $segment:literal) => {
        Some(concat!($prefix, $segment))
    };
    (no, $prefix:literal, $segment:literal) => {
        None
    };
}

/// Declares a table's read contract.
macro_rules! about {
    ($name:ident: $segment:literal, $label:literal, $category:literal / $category_name:literal,
     per_employee: $per:ident, bulk: $bulk:ident, historical: $hist:literal, $permission:expr) => {
        const $name: About = About {
            segment: $segment,
            label: $label,
            category_id: $category,
            category_name: $category_name,
            get: documented!($per, "/people/{id}/", $segment),
            bulk: documented!($bulk, "/bulk/people/", $segment),
            historical: $hist,
            permission: $permission,
        };
    };
}
about!(LIFECYCLE: "lifecycle", "Lifecycle history", "lifecycle" / "Lifecycle",
    per_employee: yes, bulk: yes, historical: true, VIEW_LIFECYCLE);
about!(EMPLOYMENT: "employment", "Employment history", "employment" / "Employment",
    per_employee: yes, bulk: yes, historical: true, VIEW_EMPLOYMENT);
about!(WORK: "work", "Work history", "work" / "Work",
    per_employee: yes, bulk: yes, historical: true, VIEW_WORK);
about!(SALARIES: "salaries", "Salary history", "payroll" / "Payroll",
    per_employee: yes, bulk: yes, historical: true, VIEW_SALARIES);
about!(VARIABLE: "variable", "Variable pay", "payroll" / "Payroll",
    per_employee: yes, bulk: yes, historical: true, VIEW_VARIABLE);
about!(EQUITIES: "equities", "Equity grants", "equity" / "Equity",
    per_employee: yes, bulk: yes, historical: false, VIEW_EQUITIES);
about!(TRAINING: "training", "Training", "training" / "Training",
    per_employee: yes, bulk: no, historical: false, VIEW_TRAINING);
about!(BANK_ACCOUNTS: "bank-accounts", "Bank accounts", "financial" / "Financial",
    per_employee: yes, bulk: no, historical: false, VIEW_BANK_ACCOUNTS);
about!(DEDUCTION: "deduction", "Deductions", "payroll" / "Payroll",
    per_employee: no, bulk: yes, historical: true, VIEW_DEDUCTION);
about!(ENTITLEMENT: "entitlement", "Entitlements", "payroll" / "Payroll",
    per_employee: no, bulk: yes, historical: true, VIEW_ENTITLEMENT);
about!(DEPENDENTS: "dependents", "Dependents", "home" / "Home",
    per_employee: no, bulk: yes, historical: false, VIEW_DEPENDENTS);
about!(RIGHT_TO_WORK: "right-to-work", "Right to work", "rightToWork" / "Right to Work",
    per_employee: no, bulk: yes, historical: false, VIEW_RIGHT_TO_WORK);

/// Whether a table hides history: its earliest row starts after the
/// employee's start date, so earlier rows exist but were not returned. That
/// is the mark of a permission group with "… sections" but without
/// "… section histories" (HiBob then returns the current row only).
///
/// ```
/// use hibob::tables::{HistoryTable, history_hidden};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// let fake = hibob::testing::FakeHibob::builder()
///     .employees(30)
///     .history_current_only(HistoryTable::Work)
///     .start()
///     .await;
/// let truth = fake.truth();
/// let veteran = truth.employees.iter().find(|e| e.history(HistoryTable::Work).len() > 1).unwrap();
/// let work = fake.client().tables().work(&veteran.id).await?;
/// assert!(history_hidden(&work.rows, veteran.start_date));
/// # Ok(())
/// # }
/// ```
pub fn history_hidden<E: HistoryEntry>(entries: &[E], start_date: NaiveDate) -> bool {
    entries
        .iter()
        .filter_map(|e| e.effective_date())
        .min()
        .is_some_and(|earliest| earliest > start_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::*;

    #[test]
    fn every_table_round_trips_through_its_name() {
        for table in EmployeeTable::ALL {
            assert_eq!(table.as_str().parse::<EmployeeTable>(), Ok(table));
            assert_eq!(
                EmployeeTable::from_table_id(&table.as_str().to_uppercase()),
                Some(table)
            );
        }
        assert_eq!(
            EmployeeTable::from_table_id("bankAccounts"),
            Some(EmployeeTable::BankAccounts)
        );
        assert_eq!(
            EmployeeTable::from_table_id("Salary"),
            Some(EmployeeTable::Salaries)
        );
        let unknown = "address".parse::<EmployeeTable>().unwrap_err();
        assert!(unknown.to_string().contains("right-to-work"), "{unknown}");
    }

    #[test]
    fn the_catalog_agrees_with_the_write_specs_and_the_history_tables() {
        for table in EmployeeTable::ALL {
            if let Some(entry) = table.entry_table() {
                assert_eq!(entry.spec().segment, table.as_str());
            }
            if let Some(history) = table.history_table() {
                assert_eq!(history.employee_table(), table);
                assert!(table.historical() && table.per_employee_read() && table.bulk_read());
            }
            assert!(
                table.per_employee_read() || table.bulk_read(),
                "{table} has a read"
            );
            assert!(
                table.read_permission().contains(table.category_name()),
                "{table}"
            );
        }
        assert_eq!(EmployeeTable::Lifecycle.entry_table(), None);
    }

    #[test]
    fn typed_routes_come_from_the_catalog() {
        assert_eq!(
            <VariableEntry as PerEmployeeTable>::ROUTE,
            "/people/{id}/variable"
        );
        assert_eq!(
            <DeductionEntry as BulkTable>::BULK_ROUTE,
            "/bulk/people/deduction"
        );
        assert_eq!(
            <BankAccountEntry as PerEmployeeTable>::ROUTE,
            "/people/{id}/bank-accounts"
        );
        assert_eq!(
            <RightToWorkEntry as BulkTable>::BULK_ROUTE,
            "/bulk/people/right-to-work"
        );
        assert!(<TrainingEntry as Table>::PERMISSION.contains("Training"));
        assert_eq!(<SalaryEntry as Table>::ID, EmployeeTable::Salaries);
    }
}
