//! The report's rows: absences as printable rows, grouped by department,
//! and their table and JSON forms.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use hibob::EmployeeId;
use hibob::time_off::{OutToday, WhosOut};
use serde_json::{Value, json};

/// Where an absence goes when HiBob did not return its employee.
const UNKNOWN_DEPARTMENT: &str = "(unknown department)";

/// One absence, ready to print.
pub struct Row {
    employee_id: Option<String>,
    name: String,
    policy: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    when: String,
    status: Option<String>,
}

/// Absences grouped by department label, sorted by name.
pub type ByDepartment = BTreeMap<String, Vec<Row>>;

/// Rows under their employee's department label, sorted by name; an
/// employee the people search did not return is not dropped.
pub fn by_department(
    rows: impl Iterator<Item = Row>,
    departments: &HashMap<String, String>,
) -> ByDepartment {
    let mut grouped = ByDepartment::new();
    for row in rows {
        let department = row.employee_id.as_ref().and_then(|id| departments.get(id));
        let department = department.map_or(UNKNOWN_DEPARTMENT, String::as_str);
        grouped.entry(department.to_owned()).or_default().push(row);
    }
    for rows in grouped.values_mut() {
        rows.sort_by(|a, b| (&a.name, a.from).cmp(&(&b.name, b.from)));
    }
    grouped
}

pub fn week_row(out: &WhosOut) -> Row {
    Row::new(
        out.employee_id.as_ref(),
        out.employee_display_name.as_deref(),
    )
    .policy(
        out.policy_type_display_name
            .as_deref()
            .or(out.policy_type.as_deref()),
    )
    .dates(
        out.start_date,
        out.end_date,
        out.day_portion.as_ref().map(|p| p.as_str()),
    )
    .hours(out.date, out.hours_on_date, out.minutes)
    .status(out.status.as_ref().map(|s| s.as_str()))
}

pub fn today_row(out: &OutToday) -> Row {
    Row::new(
        out.employee_id.as_ref(),
        out.employee_display_name.as_deref(),
    )
    .policy(out.policy_type_display_name.as_deref())
    .dates(
        out.start_date,
        out.end_date,
        out.day_portion.as_ref().map(|p| p.as_str()),
    )
    .hours(out.date, out.hours, out.minutes)
}

impl Row {
    fn new(id: Option<&EmployeeId>, name: Option<&str>) -> Self {
        Row {
            employee_id: id.map(|id| id.to_string()),
            name: name.unwrap_or("?").to_owned(),
            policy: "?".to_owned(),
            from: None,
            to: None,
            when: "?".to_owned(),
            status: None,
        }
    }

    fn policy(mut self, policy: Option<&str>) -> Self {
        self.policy = policy.unwrap_or("?").to_owned();
        self
    }

    /// A days request: its range, and the part of each day unless whole days.
    fn dates(
        mut self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        portion: Option<&str>,
    ) -> Self {
        let (Some(from), Some(to)) = (from, to) else {
            return self;
        };
        (self.from, self.to) = (Some(from), Some(to));
        self.when = if from == to {
            from.to_string()
        } else {
            format!("{from} to {to}")
        };
        if let Some(portion) = portion.filter(|p| *p != "all_day") {
            self.when = format!("{} ({portion})", self.when);
        }
        self
    }

    /// An hours request: one day, and how long.
    fn hours(mut self, day: Option<NaiveDate>, hours: Option<i64>, minutes: Option<i64>) -> Self {
        if let Some(day) = day {
            (self.from, self.to) = (Some(day), Some(day));
            self.when = format!("{day} ({}h{:02})", hours.unwrap_or(0), minutes.unwrap_or(0));
        }
        self
    }

    fn status(mut self, status: Option<&str>) -> Self {
        self.status = status.map(str::to_owned);
        self
    }
}

pub fn to_json(rows: &ByDepartment) -> Value {
    let departments = rows.iter().map(|(department, rows)| {
        let out: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "employeeId": r.employee_id, "name": r.name, "policy": r.policy,
                    "from": r.from, "to": r.to, "when": r.when, "status": r.status,
                })
            })
            .collect();
        json!({ "department": department, "out": out })
    });
    Value::Array(departments.collect())
}

pub fn print_table(title: &str, rows: &ByDepartment) {
    println!("{title}");
    if rows.is_empty() {
        println!("  nobody");
    }
    for (department, rows) in rows {
        println!("  {department} ({})", rows.len());
        for row in rows {
            let status = row.status.as_deref().unwrap_or("");
            println!(
                "    {:<28} {:<16} {:<36} {status}",
                row.name, row.policy, row.when
            );
        }
    }
}
