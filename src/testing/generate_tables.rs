//! The generated rows of the eight built-in tables beyond the history ones
//! (variable pay, equities, training, bank accounts, deduction,
//! entitlement, dependents, right to work), and the custom columns the
//! generated rows carry.
//!
//! Drawn from a sequence of their own, so the rest of the company is what
//! it was before these tables were generated. Not every employee has rows:
//! about 60 % have variable pay, 30 % equity grants, 35 % deductions, 25 %
//! entitlements, 40 % dependents and 25 % (the non-citizens) a
//! right-to-work entry; everyone has 0 to 3 trainings and 1 or 2 bank
//! accounts. Money is in the currency of the employee's salary; dated rows
//! take effect on or after the start date (within 60 days for future
//! hires); `id`s are unique per employee and table.

use chrono::{NaiveDate, TimeDelta};
use serde_json::{Map, Value, json};

use super::company::TruthEmployee;
use super::generate::Rng;
use crate::tables::EmployeeTable;

/// The custom column "Desk" of the work table (text), set on about half of
/// the generated employees' work rows.
pub(crate) const WORK_DESK_COLUMN: &str = "column_1666178477233";
/// The custom column "Bonus plan" of the variable-pay table (text), set on
/// about 40 % of the generated variable-pay rows.
pub(crate) const VARIABLE_PLAN_COLUMN: &str = "column_1720000000101";

/// What every generated row of one employee shares.
struct Context<'a> {
    first: NaiveDate,
    span: u64,
    today: NaiveDate,
    currency: &'a str,
    /// The latest base salary, for amounts in proportion.
    salary: f64,
    change: &'a Value,
}

impl Context<'_> {
    /// A date from the start date to the last day (termination or today).
    fn date(&self, rng: &mut Rng) -> NaiveDate {
        self.first + TimeDelta::days(rng.below(self.span + 1) as i64)
    }

    fn money(&self, value: f64) -> Value {
        json!({ "value": value, "currency": self.currency })
    }
}

/// Fills `emp.other_tables` and the work rows' custom column; `change` is
/// the `change` object of generated rows (the admin's).
pub(crate) fn fill(rng: &mut Rng, emp: &mut TruthEmployee, today: NaiveDate, change: &Value) {
    for row in &mut emp.work_history {
        if rng.chance(0.5) {
            let desk = format!("{}.{:02}", 1 + rng.below(5), rng.below(40));
            row["customColumns"][WORK_DESK_COLUMN] = json!(desk);
        }
    }
    let last_salary = emp.salary_history.last();
    let currency = last_salary
        .and_then(|r| r["base"]["currency"].as_str())
        .unwrap_or("USD")
        .to_owned();
    let salary = last_salary
        .and_then(|r| r["base"]["value"].as_f64())
        .unwrap_or(50_000.0);
    let first = emp.start_date;
    let last = match emp.termination_date {
        Some(end) if end > first => end,
        _ if first >= today => first + TimeDelta::days(60),
        _ => today,
    };
    let cx = Context {
        first,
        span: (last - first).num_days().max(0) as u64,
        today,
        currency: &currency,
        salary,
        change,
    };
    let surname = emp.surname.clone();
    let tables = &mut emp.other_tables;
    let mut put = |table: EmployeeTable, rows: Vec<Value>| {
        if !rows.is_empty() {
            tables.insert(table.as_str().to_owned(), rows);
        }
    };
    put(EmployeeTable::VariablePay, variable(rng, &cx));
    put(EmployeeTable::Equities, equities(rng, &cx));
    put(EmployeeTable::Training, training(rng, &cx));
    put(EmployeeTable::BankAccounts, bank_accounts(rng, &cx));
    put(EmployeeTable::Deduction, deductions(rng, &cx));
    put(EmployeeTable::Entitlement, entitlements(rng, &cx));
    put(EmployeeTable::Dependents, dependents(rng, &cx, &surname));
    put(EmployeeTable::RightToWork, right_to_work(rng, &cx));
}

/// The row ID of row `k` of a table: unique per employee and table.
fn row_id(table: EmployeeTable, k: usize) -> i64 {
    let index = EmployeeTable::ALL.iter().position(|t| *t == table);
    1_400_000_000_000 + index.unwrap_or(0) as i64 * 10_000_000 + 1 + k as i64
}

/// The common columns of an effective-dated row (`isCurrent` and
/// `endEffectiveDate` are set by [`mark_current`]).
fn dated(cx: &Context<'_>, table: EmployeeTable, k: usize, date: NaiveDate) -> Map<String, Value> {
    let d = date.to_string();
    let row = json!({
        "id": row_id(table, k), "effectiveDate": d, "endEffectiveDate": null,
        "activeEffectiveDate": d, "isCurrent": false, "canBeDeleted": true,
        "creationDate": d, "modificationDate": d, "change": cx.change, "customColumns": {},
    });
    into_map(row)
}

/// The common columns of a row without an effective date.
fn plain(cx: &Context<'_>, table: EmployeeTable, k: usize, date: NaiveDate) -> Map<String, Value> {
    let d = date.to_string();
    let row = json!({
        "id": row_id(table, k), "canBeDeleted": true, "creationDate": d,
        "modificationDate": d, "change": cx.change, "customColumns": {},
    });
    into_map(row)
}

fn into_map(row: Value) -> Map<String, Value> {
    match row {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `n` rows made by `row`, sorted by `effectiveDate` when they have one.
fn rows(n: u64, mut row: impl FnMut(usize) -> Map<String, Value>) -> Vec<Value> {
    let mut out: Vec<Value> = (0..n as usize).map(|k| Value::Object(row(k))).collect();
    out.sort_by(|a, b| {
        a["effectiveDate"]
            .as_str()
            .cmp(&b["effectiveDate"].as_str())
    });
    out
}

/// HiBob's multi-current tables: per value of `key`, the latest row in
/// effect today is current, and each row ends the day before the next one
/// of its kind. Rows are sorted by date.
fn mark_current(rows: &mut [Value], key: &str, today: NaiveDate) {
    for i in 0..rows.len() {
        let date = |row: &Value| row["effectiveDate"].as_str().and_then(|d| d.parse().ok());
        let Some(on) = date(&rows[i]) else { continue };
        let kind = rows[i][key].clone();
        let next: Option<NaiveDate> = rows[i + 1..]
            .iter()
            .filter(|r| r[key] == kind)
            .find_map(date);
        let current = on <= today && next.is_none_or(|n| n > today);
        rows[i]["isCurrent"] = json!(current);
        let end = next.map(|n: NaiveDate| (n - TimeDelta::days(1)).to_string());
        rows[i]["endEffectiveDate"] = json!(end);
    }
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

fn round(value: f64, to: f64) -> f64 {
    (value / to).round().max(1.0) * to
}

fn variable(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    if !rng.chance(0.6) {
        return Vec::new();
    }
    let table = EmployeeTable::VariablePay;
    let n = 1 + rng.below(3);
    let mut out = rows(n, |k| {
        let mut row = dated(cx, table, k, cx.date(rng));
        let percent = (5 + rng.below(16)) as f64;
        let company = [50.0, 60.0, 100.0][rng.below(3) as usize];
        let (department, individual) = match company < 100.0 {
            true => (20.0, 80.0 - company),
            false => (0.0, 0.0),
        };
        let end = rng
            .chance(0.2)
            .then(|| (cx.first + TimeDelta::days(365 + rng.below(700) as i64)).to_string());
        let columns = json!({
            "amount": cx.money(round(cx.salary * percent / 100.0, 100.0)),
            "variableType": pick(rng, &["Bonus", "Commission", "Sign-on bonus"]),
            "paymentPeriod": pick(rng, &["Annual", "Half-Yearly", "Quarterly", "Monthly"]),
            "payoutType": pick(rng, &["Cash", "Shares"]),
            "companyPercent": company,
            "departmentPercent": department,
            "individualPercent": individual,
            "percentageOfAnnualSalary": percent,
            "endDate": end,
        });
        row.extend(into_map(columns));
        if rng.chance(0.4) {
            let plan = pick(rng, &["Plan A", "Plan B", "Sales incentive 2026"]);
            row["customColumns"] = json!({ (VARIABLE_PLAN_COLUMN): plan });
        }
        row
    });
    mark_current(&mut out, "variableType", cx.today);
    out
}

fn equities(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    if !rng.chance(0.3) {
        return Vec::new();
    }
    let table = EmployeeTable::Equities;
    rows(1 + rng.below(2), |k| {
        let granted = cx.date(rng);
        let mut row = dated(cx, table, k, granted);
        row.insert("isCurrent".into(), json!(granted <= cx.today));
        let options = rng.chance(0.7);
        let expires = granted + TimeDelta::days(3650);
        let columns = json!({
            "quantity": (1 + rng.below(50)) as f64 * 100.0,
            "equityType": if options { "Options" } else { "RSU" },
            "grantType": pick(rng, &["Initial Grant", "Merit Grant"]),
            "grantStatus": pick(rng, &["Granted", "Granted", "Pending Approval"]),
            "grantNumber": 1000 + rng.below(9000),
            "grantDate": granted.to_string(),
            "vestingCommencementDate": granted.to_string(),
            "vestingSchedule": 1 + rng.below(3),
            "vestingTerm": "4 years, 1 year cliff",
            "optionExpiration": options.then(|| expires.to_string()),
            "exercisePrice": options.then(|| cx.money((10 + rng.below(400)) as f64 / 10.0)),
            "consentNumber": format!("C-{:05}", rng.below(100_000)),
        });
        row.extend(into_map(columns));
        row
    })
}

fn training(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    let n = [0, 0, 1, 1, 1, 2, 2, 3][rng.below(8) as usize];
    let table = EmployeeTable::Training;
    rows(n, |k| {
        let start = cx.date(rng);
        let mut row = plain(cx, table, k, start);
        let (name, description) = *[
            ("Security awareness", "Yearly security training"),
            ("First aid", "Certified first-aider course"),
            ("Leadership essentials", "For new managers"),
            ("Rust for engineers", "Three-day workshop"),
        ]
        .get(rng.below(4) as usize)
        .unwrap_or(&("Onboarding", "Company onboarding"));
        let end = start + TimeDelta::days(rng.below(5) as i64);
        let status = if end <= cx.today {
            "Completed"
        } else {
            "Planned"
        };
        let columns = json!({
            "name": name,
            "description": description,
            "cost": cx.money((50 + rng.below(30) * 50) as f64),
            "status": status,
            "frequency": pick(rng, &["One time", "Yearly"]),
            "startDate": start.to_string(),
            "endDate": end.to_string(),
            "documentId": rng.chance(0.3).then(|| 17_000_000 + rng.below(1_000_000)),
        });
        row.extend(into_map(columns));
        row
    })
}

fn bank_accounts(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    let n = if rng.chance(0.3) { 2 } else { 1 };
    let table = EmployeeTable::BankAccounts;
    let country = match cx.currency {
        "GBP" => "GB",
        "EUR" => "FR",
        "ILS" => "IL",
        "JPY" => "JP",
        _ => "US",
    };
    rows(n, |k| {
        let mut row = plain(cx, table, k, cx.first);
        let last = k + 1 == n as usize;
        let (allocation, amount) = match last {
            true => ("remaining", Value::Null),
            false => ("percent", json!((2 + rng.below(4)) as f64 * 10.0)),
        };
        let number = format!("{:08}", rng.below(100_000_000));
        let bank = pick(
            rng,
            &["Northwind Bank", "Contoso Savings", "Banque Fictive"],
        );
        let columns = json!({
            "bankAccountType": if k == 0 { "Checking" } else { "Savings" },
            "accountNickname": if k == 0 { "Main" } else { "Savings" },
            "bankName": bank,
            "branchAddress": format!("{} High Street", 1 + rng.below(200)),
            "accountNumber": number,
            "routingNumber": (country == "US").then(|| format!("0{:08}", rng.below(100_000_000))),
            "iban": (country != "US").then(|| format!("{country}{:02}BANK{number}", 10 + rng.below(90))),
            "bicOrSwift": format!("BANK{country}2X"),
            "allocation": allocation,
            "amount": amount,
            "useForBonus": k == 0,
        });
        row.extend(into_map(columns));
        row
    })
}

fn deductions(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    if !rng.chance(0.35) {
        return Vec::new();
    }
    let table = EmployeeTable::Deduction;
    let kinds = [
        "Health insurance",
        "Pension",
        "Childcare vouchers",
        "Gym membership",
    ];
    let first_kind = rng.below(4) as usize;
    // Distinct types, so (date, type) is unique as HiBob requires.
    let mut out = rows(1 + rng.below(2), |k| {
        let mut row = dated(cx, table, k, cx.date(rng));
        let columns = json!({
            "deduction": kinds[(first_kind + k) % kinds.len()],
            "amount": cx.money((20 + rng.below(30) * 10) as f64),
        });
        row.extend(into_map(columns));
        row
    });
    mark_current(&mut out, "deduction", cx.today);
    out
}

fn entitlements(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    if !rng.chance(0.25) {
        return Vec::new();
    }
    let table = EmployeeTable::Entitlement;
    let mut out = rows(1 + rng.below(2), |k| {
        let mut row = dated(cx, table, k, cx.date(rng));
        let columns = json!({
            "entitlement": pick(rng, &["Lunch", "Company car", "Phone allowance"]),
            "amount": cx.money((50 + rng.below(20) * 25) as f64),
        });
        row.extend(into_map(columns));
        row
    });
    mark_current(&mut out, "entitlement", cx.today);
    out
}

fn dependents(rng: &mut Rng, cx: &Context<'_>, surname: &str) -> Vec<Value> {
    if !rng.chance(0.4) {
        return Vec::new();
    }
    let table = EmployeeTable::Dependents;
    rows(1 + rng.below(3), |k| {
        let mut row = plain(cx, table, k, cx.first);
        let born = NaiveDate::from_ymd_opt(1990 + rng.below(35) as i32, 1, 1).unwrap_or(cx.first)
            + TimeDelta::days(rng.below(365) as i64);
        let columns = json!({
            "firstName": pick(rng, &["Ada", "Noa", "Sam", "Yuki", "Omar", "Lena"]),
            "surname": surname,
            "relation": if k == 0 && rng.chance(0.5) { "Spouse" } else { "Child" },
            "gender": pick(rng, &["Female", "Male", "Other"]),
            "dateOfBirth": born.to_string(),
            "isStudent": rng.chance(0.2),
        });
        row.extend(into_map(columns));
        row
    })
}

fn right_to_work(rng: &mut Rng, cx: &Context<'_>) -> Vec<Value> {
    if !rng.chance(0.25) {
        return Vec::new();
    }
    let table = EmployeeTable::RightToWork;
    rows(if rng.chance(0.2) { 2 } else { 1 }, |k| {
        let issued = cx.date(rng);
        let mut row = plain(cx, table, k, issued);
        let expires = issued + TimeDelta::days(365 * (1 + rng.below(5) as i64));
        let columns = json!({
            "rightToWorkType": pick(rng, &["Work visa", "Permanent residence", "Settled status"]),
            "documentNumber": format!("X{:07}", rng.below(10_000_000)),
            "citizenship": pick(rng, &["Brazil", "India", "Canada", "Nigeria", "Ukraine"]),
            "issueDate": issued.to_string(),
            "expiryDate": expires.to_string(),
        });
        row.extend(into_map(columns));
        row
    })
}
