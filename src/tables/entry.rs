//! The employee tables that take entry writes, each described once: its
//! routes, the columns HiBob requires, the formats it takes, the money and
//! list-backed columns, the uniqueness rule and the Bob permission a 403
//! names. One generic builder ([`EntryWrite`](super::EntryWrite)) reads these
//! descriptions, so every table follows the same rules.
//!
//! The marker types ([`Work`], [`Salaries`], …) only select a table for the
//! builder's typed setters; they hold nothing.

use std::fmt;

mod kinds;

pub use kinds::*;

/// An employee table that takes entry writes, as a value (for
/// [`Tables::delete_entry`](crate::tables::Tables::delete_entry) and in messages).
///
/// ```
/// use hibob::tables::EntryTable;
///
/// assert_eq!(EntryTable::Salaries.as_str(), "salaries");
/// assert_eq!(EntryTable::RightToWork.to_string(), "right-to-work table");
/// assert!(EntryTable::Work.supports_update());
/// assert!(!EntryTable::Training.supports_update());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EntryTable {
    /// Work history (`/people/{id}/work`).
    Work,
    /// Employment history (`/people/{id}/employment`).
    Employment,
    /// Salary (payroll) history (`/people/{id}/salaries`).
    Salaries,
    /// Variable pay (`/people/{id}/variable`).
    VariablePay,
    /// Equity grants (`/people/{id}/equities`).
    Equities,
    /// Training records (`/people/{id}/training`).
    Training,
    /// Bank accounts (`/people/{id}/bank-accounts`).
    BankAccounts,
    /// Payroll deductions (`/people/{id}/deduction`, added 2026).
    Deduction,
    /// Payroll entitlements (`/people/{id}/entitlement`, added 2026).
    Entitlement,
    /// Children / dependents (`/people/{id}/dependents`, added 2026).
    Dependents,
    /// Right to work (`/people/{id}/right-to-work`, added 2026).
    RightToWork,
}

impl EntryTable {
    /// Every table.
    pub const ALL: [EntryTable; 11] = [
        Self::Work,
        Self::Employment,
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

    /// The table's path segment: `work`, `bank-accounts`, `right-to-work`.
    pub fn as_str(self) -> &'static str {
        self.spec().segment
    }

    /// Whether HiBob documents `PUT /people/{id}/<table>/{entry_id}`
    /// (salaries and training have no update: delete and add instead).
    pub fn supports_update(self) -> bool {
        self.spec().put.is_some()
    }

    /// The Bob permission a write to this table needs, in Bob's UI words.
    pub fn permission(self) -> &'static str {
        self.spec().permission
    }

    pub(crate) fn spec(self) -> &'static Spec {
        match self {
            Self::Work => &WORK,
            Self::Employment => &EMPLOYMENT,
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

impl fmt::Display for EntryTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} table", self.as_str())
    }
}

/// Which entries HiBob refuses as duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unique {
    /// Nothing documented.
    Nothing,
    /// One entry per effective date (work: per date and site, and an entry
    /// has one site, so per date).
    EffectiveDate,
    /// One entry per effective date and value of this column (deduction:
    /// per date and type); there is no per-employee read to check first.
    EffectiveDateAnd(&'static str),
}

/// One table's write contract; see the module docs.
#[derive(Debug)]
pub(crate) struct Spec {
    pub(crate) table: EntryTable,
    pub(crate) segment: &'static str,
    pub(crate) post: &'static str,
    pub(crate) put: Option<&'static str>,
    pub(crate) delete: &'static str,
    /// Each inner list is one requirement met by any of its keys (work
    /// needs `site` or `siteId`). Dotted keys are nested (`base.currency`).
    pub(crate) required: &'static [&'static [&'static str]],
    pub(crate) dates: &'static [&'static str],
    pub(crate) numbers: &'static [&'static str],
    /// `{"value": number, "currency": ISO 4217}` objects.
    pub(crate) money: &'static [&'static str],
    /// Column and the named list behind it; checked when the company has
    /// that list.
    pub(crate) lists: &'static [(&'static str, &'static str)],
    pub(crate) unique: Unique,
    pub(crate) permission: &'static str,
}

/// Declares a table's routes from its path segment.
macro_rules! routes {
    ($segment:literal) => {
        (
            $segment,
            concat!("/people/{id}/", $segment),
            concat!("/people/{id}/", $segment, "/{entry_id}"),
        )
    };
}

const fn spec(
    table: EntryTable,
    (segment, post, by_id): (&'static str, &'static str, &'static str),
    updatable: bool,
    permission: &'static str,
) -> Spec {
    Spec {
        table,
        segment,
        post,
        put: if updatable { Some(by_id) } else { None },
        delete: by_id,
        required: &[],
        dates: &[],
        numbers: &[],
        money: &[],
        lists: &[],
        unique: Unique::Nothing,
        permission,
    }
}

/// The Bob permission each table's writes need, in Bob's UI words (the
/// 2026 reference pages' words for the tables they document).
pub(crate) const EDIT_WORK_ENTRIES: &str =
    "People's Data > Work > Edit selected employees' Work sections and Work section histories";
pub(crate) const EDIT_EMPLOYMENT_ENTRIES: &str = "People's Data > Employment > Edit selected employees' Employment sections and Employment section histories";
pub(crate) const EDIT_SALARY_ENTRIES: &str = "People's Data > Payroll > Edit selected employees' Payroll sections and Payroll section histories";
pub(crate) const EDIT_VARIABLE_ENTRIES: &str = "People's Data > Payroll > Manage selected employees' Payroll sections (or Variable table Manage when field-level permissions are enabled)";
pub(crate) const EDIT_EQUITY_ENTRIES: &str =
    "People's Data > Equity > Edit selected employees' Equity sections";
pub(crate) const EDIT_TRAINING_ENTRIES: &str =
    "People's Data > Training > Edit selected employees' Training sections";
pub(crate) const EDIT_BANK_ACCOUNTS: &str =
    "People's Data > Financial > Edit selected employees' Financial sections";
pub(crate) const EDIT_DEDUCTION_ENTRIES: &str = "People's Data > Payroll > Manage selected employees' Payroll sections (or Deduction table Manage when field-level permissions are enabled)";
pub(crate) const EDIT_ENTITLEMENT_ENTRIES: &str = "People's Data > Payroll > Manage selected employees' Payroll sections (or Entitlement table Manage when field-level permissions are enabled)";
pub(crate) const EDIT_DEPENDENTS: &str = "People's Data > Home > Manage selected employees' Home sections (or Children/Dependents table Manage when field-level permissions are enabled)";
pub(crate) const EDIT_RIGHT_TO_WORK: &str = "People's Data > Right to Work > Manage selected employees' Right to Work sections (or Right to Work table Manage when field-level permissions are enabled)";

const EFFECTIVE: &[&str] = &["effectiveDate"];

static WORK: Spec = Spec {
    required: &[EFFECTIVE, &["site", "siteId"]],
    dates: EFFECTIVE,
    numbers: &["siteId"],
    lists: &[
        ("title", "title"),
        ("department", "department"),
        ("site", "site"),
        ("siteId", "site"),
    ],
    unique: Unique::EffectiveDate,
    ..spec(EntryTable::Work, routes!("work"), true, EDIT_WORK_ENTRIES)
};

static EMPLOYMENT: Spec = Spec {
    required: &[EFFECTIVE],
    dates: EFFECTIVE,
    numbers: &["weeklyHours", "fte", "hoursInDayNotWorked", "calendarId"],
    unique: Unique::EffectiveDate,
    ..spec(
        EntryTable::Employment,
        routes!("employment"),
        true,
        EDIT_EMPLOYMENT_ENTRIES,
    )
};

static SALARIES: Spec = Spec {
    required: &[
        EFFECTIVE,
        &["base"],
        &["base.value"],
        &["base.currency"],
        &["payPeriod"],
        &["payFrequency"],
    ],
    dates: EFFECTIVE,
    money: &["base"],
    unique: Unique::EffectiveDate,
    ..spec(
        EntryTable::Salaries,
        routes!("salaries"),
        false,
        EDIT_SALARY_ENTRIES,
    )
};

static VARIABLE: Spec = Spec {
    required: &[
        EFFECTIVE,
        &["amount"],
        &["amount.value"],
        &["amount.currency"],
        &["variableType"],
        &["paymentPeriod"],
    ],
    dates: EFFECTIVE,
    numbers: &["companyPercent", "departmentPercent", "individualPercent"],
    money: &["amount"],
    ..spec(
        EntryTable::VariablePay,
        routes!("variable"),
        true,
        EDIT_VARIABLE_ENTRIES,
    )
};

static EQUITIES: Spec = Spec {
    required: &[EFFECTIVE, &["quantity"], &["equityType"]],
    dates: &[
        "effectiveDate",
        "grantDate",
        "vestingCommencementDate",
        "optionExpiration",
    ],
    numbers: &["quantity", "grantNumber", "vestingSchedule"],
    money: &["exercisePrice"],
    ..spec(
        EntryTable::Equities,
        routes!("equities"),
        true,
        EDIT_EQUITY_ENTRIES,
    )
};

static TRAINING: Spec = Spec {
    dates: &["startDate", "endDate"],
    numbers: &["documentId"],
    money: &["cost"],
    ..spec(
        EntryTable::Training,
        routes!("training"),
        false,
        EDIT_TRAINING_ENTRIES,
    )
};

static BANK_ACCOUNTS: Spec = Spec {
    numbers: &["amount"],
    lists: &[("bankAccountType", "bankaccounttype")],
    ..spec(
        EntryTable::BankAccounts,
        routes!("bank-accounts"),
        true,
        EDIT_BANK_ACCOUNTS,
    )
};

static DEDUCTION: Spec = Spec {
    required: &[
        EFFECTIVE,
        &["deduction"],
        &["amount"],
        &["amount.value"],
        &["amount.currency"],
    ],
    dates: EFFECTIVE,
    money: &["amount"],
    lists: &[("deduction", "deductionType")],
    unique: Unique::EffectiveDateAnd("deduction"),
    ..spec(
        EntryTable::Deduction,
        routes!("deduction"),
        true,
        EDIT_DEDUCTION_ENTRIES,
    )
};

static ENTITLEMENT: Spec = Spec {
    required: &[
        EFFECTIVE,
        &["amount"],
        &["amount.value"],
        &["amount.currency"],
    ],
    dates: EFFECTIVE,
    money: &["amount"],
    ..spec(
        EntryTable::Entitlement,
        routes!("entitlement"),
        true,
        EDIT_ENTITLEMENT_ENTRIES,
    )
};

static DEPENDENTS: Spec = spec(
    EntryTable::Dependents,
    routes!("dependents"),
    true,
    EDIT_DEPENDENTS,
);

static RIGHT_TO_WORK: Spec = spec(
    EntryTable::RightToWork,
    routes!("right-to-work"),
    true,
    EDIT_RIGHT_TO_WORK,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_described_once_with_its_own_routes() {
        for table in EntryTable::ALL {
            let spec = table.spec();
            assert_eq!(spec.table, table);
            assert!(spec.post.ends_with(table.as_str()), "{}", spec.post);
            assert!(spec.delete.ends_with("/{entry_id}"));
            assert!(spec.permission.starts_with("People's Data > "));
            for (column, _) in spec.lists {
                assert!(!spec.money.contains(column));
            }
        }
        assert_eq!(
            EntryTable::ALL
                .iter()
                .filter(|t| t.supports_update())
                .count(),
            9
        );
    }
}
