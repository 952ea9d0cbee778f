//! The tables the fake serves writes for, each described once.

use crate::testing::Table;

/// One table as the fake serves its writes.
pub(super) struct Served {
    pub(super) segment: &'static str,
    /// The permission category (`deny_category`).
    pub(super) category: &'static str,
    pub(super) history: Option<Table>,
    /// Route templates: POST, PUT, DELETE.
    pub(super) templates: [&'static str; 3],
    pub(super) has_put: bool,
    pub(super) required: &'static [&'static str],
    /// Columns that, with `effectiveDate`, make an entry unique (`None`: no rule).
    pub(super) unique: Option<&'static [&'static str]>,
    pub(super) money: &'static [&'static str],
    pub(super) dates: &'static [&'static str],
    /// Documented in the 2026 reference pages, which answer 204.
    pub(super) answers_204: bool,
}

macro_rules! templates {
    ($seg:literal) => {
        [
            concat!("POST /people/{id}/", $seg),
            concat!("PUT /people/{id}/", $seg, "/{entry_id}"),
            concat!("DELETE /people/{id}/", $seg, "/{entry_id}"),
        ]
    };
}

const EFFECTIVE: &[&str] = &["effectiveDate"];

const fn served(
    segment: &'static str,
    category: &'static str,
    templates: [&'static str; 3],
) -> Served {
    Served {
        segment,
        category,
        history: None,
        templates,
        has_put: true,
        required: &[],
        unique: None,
        money: &[],
        dates: &[],
        answers_204: false,
    }
}

pub(super) const TABLES: &[Served] = &[
    Served {
        history: Some(Table::Work),
        required: EFFECTIVE,
        unique: Some(&[]),
        dates: EFFECTIVE,
        ..served("work", "work", templates!("work"))
    },
    Served {
        history: Some(Table::Employment),
        required: EFFECTIVE,
        unique: Some(&[]),
        dates: EFFECTIVE,
        ..served("employment", "employment", templates!("employment"))
    },
    Served {
        history: Some(Table::Salaries),
        has_put: false,
        required: &["effectiveDate", "base", "payPeriod", "payFrequency"],
        unique: Some(&[]),
        money: &["base"],
        dates: EFFECTIVE,
        ..served("salaries", "payroll", templates!("salaries"))
    },
    Served {
        required: &["effectiveDate", "amount", "variableType", "paymentPeriod"],
        money: &["amount"],
        dates: EFFECTIVE,
        answers_204: true,
        ..served("variable", "payroll", templates!("variable"))
    },
    Served {
        required: &["effectiveDate", "quantity", "equityType"],
        money: &["exercisePrice"],
        dates: &["effectiveDate", "grantDate"],
        ..served("equities", "equity", templates!("equities"))
    },
    Served {
        has_put: false,
        money: &["cost"],
        dates: &["startDate", "endDate"],
        ..served("training", "training", templates!("training"))
    },
    served("bank-accounts", "financial", templates!("bank-accounts")),
    Served {
        required: &["effectiveDate", "deduction", "amount"],
        unique: Some(&["deduction"]),
        money: &["amount"],
        dates: EFFECTIVE,
        answers_204: true,
        ..served("deduction", "payroll", templates!("deduction"))
    },
    Served {
        required: &["effectiveDate", "amount"],
        money: &["amount"],
        dates: EFFECTIVE,
        answers_204: true,
        ..served("entitlement", "payroll", templates!("entitlement"))
    },
    Served {
        answers_204: true,
        ..served("dependents", "home", templates!("dependents"))
    },
    Served {
        answers_204: true,
        ..served("right-to-work", "rightToWork", templates!("right-to-work"))
    },
];
