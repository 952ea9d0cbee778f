//! The typed setters of [`EntryWrite`], per table, for the columns the
//! spec (2025) and HiBob's reference pages (2026) document, with their exact
//! JSON keys. Any other column goes through [`EntryWrite::column`].

use chrono::NaiveDate;
use serde_json::json;

use super::EntryWrite;
use super::entry::{
    BankAccounts, Deduction, Employment, Entitlement, Equities, Salaries, Training, VariablePay,
    Work,
};
use crate::EmployeeId;

/// Setters that write text to one key each.
macro_rules! text {
    ($($(#[$doc:meta])* $name:ident => $key:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(self, value: impl Into<String>) -> Self {
                self.column($key, value.into())
            }
        )*
    };
}

/// Setters that write a number to one key each.
macro_rules! number {
    ($($(#[$doc:meta])* $name:ident => $key:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(self, value: f64) -> Self {
                self.column($key, value)
            }
        )*
    };
}

/// Setters that write a date (`YYYY-MM-DD`) to one key each.
macro_rules! date {
    ($($(#[$doc:meta])* $name:ident => $key:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(self, value: NaiveDate) -> Self {
                self.column($key, value.to_string())
            }
        )*
    };
}

impl EntryWrite<Work> {
    text! {
        /// `title`: an item of the `title` list, by ID or label.
        title => "title";
        /// `department`: an item of the `department` list, by ID or label.
        department => "department";
        /// `site`: the site's name, an item of the `site` list (or set
        /// [`site_id`](Self::site_id); one of them is required).
        site => "site";
    }

    /// `siteId`: the site's item ID in the `site` list.
    pub fn site_id(self, site_id: i64) -> Self {
        self.column("siteId", site_id)
    }

    /// `reportsTo`: the manager, by employee ID.
    pub fn reports_to(self, manager: impl Into<EmployeeId>) -> Self {
        self.column("reportsTo", json!({ "id": manager.into().as_str() }))
    }
}

impl EntryWrite<Employment> {
    text! {
        /// `contract`, e.g. `Full time`.
        contract => "contract";
        /// `type`: the employment type, e.g. `Permanent`.
        employment_type => "type";
        /// `salaryPayType`, e.g. `Salaried`.
        salary_pay_type => "salaryPayType";
    }
    number! {
        /// `weeklyHours`.
        weekly_hours => "weeklyHours";
        /// `fte`: full-time equivalent, in percent.
        fte => "fte";
    }
}

impl EntryWrite<Salaries> {
    /// `base`: the amount and its ISO 4217 currency (required).
    pub fn base(self, value: f64, currency: impl Into<String>) -> Self {
        self.money("base", value, currency)
    }

    text! {
        /// `payPeriod` (required): Annual, Hourly, Daily, Weekly or Monthly.
        pay_period => "payPeriod";
        /// `payFrequency` (required, as observed live): Monthly, Weekly, …
        pay_frequency => "payFrequency";
    }
}

impl EntryWrite<VariablePay> {
    /// `amount` (required): the amount and its ISO 4217 currency.
    pub fn amount(self, value: f64, currency: impl Into<String>) -> Self {
        self.money("amount", value, currency)
    }

    text! {
        /// `variableType` (required), e.g. `Bonus` or `Commission`.
        variable_type => "variableType";
        /// `paymentPeriod` (required): Annual, Half-Yearly, Quarterly or Monthly.
        payment_period => "paymentPeriod";
    }
    number! {
        /// `companyPercent`: the company on-target weight, in percent.
        company_percent => "companyPercent";
        /// `departmentPercent`: the department on-target weight, in percent.
        department_percent => "departmentPercent";
        /// `individualPercent`: the individual on-target weight, in percent.
        individual_percent => "individualPercent";
    }
}

impl EntryWrite<Equities> {
    number! {
        /// `quantity` (required): the number of equities granted.
        quantity => "quantity";
    }
    text! {
        /// `equityType` (required): the type of the grant.
        equity_type => "equityType";
        /// `grantType`: Initial Grant or Merit Grant.
        grant_type => "grantType";
        /// `grantStatus`: Granted or Pending Approval.
        grant_status => "grantStatus";
        /// `vestingTerm`.
        vesting_term => "vestingTerm";
    }
    date! {
        /// `grantDate`.
        grant_date => "grantDate";
        /// `vestingCommencementDate`.
        vesting_commencement_date => "vestingCommencementDate";
        /// `optionExpiration`.
        option_expiration => "optionExpiration";
    }

    /// `exercisePrice`: the amount and its ISO 4217 currency.
    pub fn exercise_price(self, value: f64, currency: impl Into<String>) -> Self {
        self.money("exercisePrice", value, currency)
    }
}

impl EntryWrite<Training> {
    text! {
        /// `name`: an item of the training-name list, by backend ID.
        name => "name";
        /// `description`.
        description => "description";
        /// `status`.
        status => "status";
        /// `frequency`: Once, Weekly, Monthly or Yearly.
        frequency => "frequency";
    }
    date! {
        /// `startDate`.
        start_date => "startDate";
        /// `endDate`: the completion date.
        end_date => "endDate";
    }

    /// `cost`: the amount and its ISO 4217 currency.
    pub fn cost(self, value: f64, currency: impl Into<String>) -> Self {
        self.money("cost", value, currency)
    }
}

impl EntryWrite<BankAccounts> {
    text! {
        /// `bankAccountType`: Checking, Savings, or an item of the
        /// `bankaccounttype` list.
        bank_account_type => "bankAccountType";
        /// `accountNumber`.
        account_number => "accountNumber";
        /// `accountNickname`.
        account_nickname => "accountNickname";
        /// `bankName`.
        bank_name => "bankName";
        /// `branchAddress`.
        branch_address => "branchAddress";
        /// `routingNumber` (US and Canada).
        routing_number => "routingNumber";
        /// `bicOrSwift`.
        bic_or_swift => "bicOrSwift";
        /// `iban`.
        iban => "iban";
        /// `allocation`: percent, amount or remaining.
        allocation => "allocation";
    }
    number! {
        /// `amount`: the percentage or fixed amount `allocation` names.
        amount => "amount";
    }

    /// `useForBonus`.
    pub fn use_for_bonus(self, yes: bool) -> Self {
        self.column("useForBonus", yes)
    }
}

impl EntryWrite<Deduction> {
    text! {
        /// `deduction` (required): the type's name in the `deductionType`
        /// list; with `effectiveDate`, unique per employee.
        deduction => "deduction";
    }

    /// `amount` (required). The stored reference page shows an object
    /// without its keys; this sends HiBob's usual money shape
    /// `{"value", "currency"}`.
    pub fn amount(self, value: f64, currency: impl Into<String>) -> Self {
        self.money("amount", value, currency)
    }
}

impl EntryWrite<Entitlement> {
    /// `amount` (required), as `{"value", "currency"}` like
    /// [`EntryWrite::<Deduction>::amount`]. The entitlement type's JSON key is
    /// not shown in the stored reference page: set it with
    /// [`column`](EntryWrite::column).
    pub fn amount(self, value: f64, currency: impl Into<String>) -> Self {
        self.money("amount", value, currency)
    }
}
