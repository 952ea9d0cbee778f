//! The marker types that select a table for [`EntryWrite`](crate::tables::EntryWrite)'s
//! typed setters, and the traits that say which tables can be updated or
//! checked for duplicates first.

use super::EntryTable;

mod sealed {
    pub trait Sealed {}
}

/// A table that takes entry writes; sealed, implemented by the markers in
/// this module.
pub trait EntryKind: sealed::Sealed + Send + 'static {
    /// The table, as a value.
    const TABLE: EntryTable;
}

/// Declares the marker type of a table.
macro_rules! kind {
    ($(#[$doc:meta])* $name:ident => $table:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;
        impl sealed::Sealed for $name {}
        impl EntryKind for $name {
            const TABLE: EntryTable = EntryTable::$table;
        }
    };
}

kind!(
    /// Selects the work table.
    Work => Work
);
kind!(
    /// Selects the employment table.
    Employment => Employment
);
kind!(
    /// Selects the salary table.
    Salaries => Salaries
);
kind!(
    /// Selects the variable-pay table.
    VariablePay => VariablePay
);
kind!(
    /// Selects the equity table.
    Equities => Equities
);
kind!(
    /// Selects the training table.
    Training => Training
);
kind!(
    /// Selects the bank-accounts table.
    BankAccounts => BankAccounts
);
kind!(
    /// Selects the deduction table.
    Deduction => Deduction
);
kind!(
    /// Selects the entitlement table.
    Entitlement => Entitlement
);
kind!(
    /// Selects the dependents table.
    Dependents => Dependents
);
kind!(
    /// Selects the right-to-work table.
    RightToWork => RightToWork
);

/// The tables HiBob documents an update (`PUT …/{entry_id}`) for: all but
/// salaries and training, so
/// [`EntryWrite::update`](crate::tables::EntryWrite::update) exists only on these.
pub trait Updatable: EntryKind {}
impl Updatable for Work {}
impl Updatable for Employment {}
impl Updatable for VariablePay {}
impl Updatable for Equities {}
impl Updatable for BankAccounts {}
impl Updatable for Deduction {}
impl Updatable for Entitlement {}
impl Updatable for Dependents {}
impl Updatable for RightToWork {}

/// The tables whose entries are unique per effective date (deductions: per
/// date and deduction type), where
/// [`EntryWrite::check_existing`](crate::tables::EntryWrite::check_existing) can
/// read the table first.
pub trait DatedUnique: EntryKind {}
impl DatedUnique for Work {}
impl DatedUnique for Employment {}
impl DatedUnique for Salaries {}
impl DatedUnique for Deduction {}
