//! How the company changes: the mutations behind [`FakeHibob::hire`],
//! [`FakeHibob::terminate`] and [`FakeHibob::move_department`], and the
//! bookkeeping that keeps history rows consistent after any change.
//!
//! [`FakeHibob::hire`]: crate::testing::FakeHibob::hire
//! [`FakeHibob::terminate`]: crate::testing::FakeHibob::terminate
//! [`FakeHibob::move_department`]: crate::testing::FakeHibob::move_department

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde_json::{Value, json};

use super::{Company, ListRef, NamedList, NewHire, Table, TruthEmployee};

/// A list item ID as a [`ListRef`], or a panic naming the list.
pub(super) fn list_ref(lists: &BTreeMap<String, NamedList>, list: &str, id: &str) -> ListRef {
    lists
        .get(list)
        .and_then(|l| l.items.iter().find(|i| i.id == id))
        .map(|i| ListRef {
            id: i.id.clone(),
            label: i.label.clone(),
            archived: i.archived,
        })
        .unwrap_or_else(|| panic!("fake HiBob: no item {id:?} in list {list:?}"))
}

impl Company {
    /// Adds an employee and returns their new ID. A start date after `today`
    /// makes a future hire (`hired`, `Inactive`); otherwise `employed`, `Active`.
    ///
    /// # Panics
    /// If `title_id`/`department_id`/`site_id` are not items of their lists.
    pub fn hire(&mut self, hire: NewHire) -> String {
        let max = self
            .employees
            .iter()
            .filter_map(|e| e.id.parse::<u64>().ok())
            .max()
            .unwrap_or(3_000_000_000_000_000_000);
        let id = (max + 7_919).to_string();
        let future = hire.start_date > self.today;
        let title = hire.title_id.map(|t| list_ref(&self.lists, "title", &t));
        let department = hire
            .department_id
            .map(|d| list_ref(&self.lists, "department", &d));
        let manager_email = hire
            .manager_id
            .as_deref()
            .and_then(|m| self.employee(m))
            .map(|m| m.email.clone());
        let site = hire.site_id.map(|s| list_ref(&self.lists, "site", &s));
        let site_id = site.as_ref().and_then(|s| s.id.parse::<i64>().ok());
        let display_name = format!("{} {}", hire.first_name, hire.surname);
        let created = self.today.min(hire.start_date);
        let mut lifecycle = Vec::new();
        if future {
            lifecycle.push(self.lifecycle_row(created, "hired", None, None));
        }
        lifecycle.push(self.lifecycle_row(hire.start_date, "employed", None, None));
        let mut employee = TruthEmployee {
            id: id.clone(),
            employee_id_in_company: None,
            email: hire.email,
            first_name: hire.first_name,
            surname: hire.surname,
            display_name,
            creation_date_time: format!("{}T09:00:00.000000", created.format("%Y-%m-%d")),
            title,
            department,
            site: site.map(|s| s.label),
            site_id,
            manager_id: hire.manager_id,
            manager_email,
            lifecycle_status: if future { "hired" } else { "employed" }.into(),
            internal_status: if future { "Inactive" } else { "Active" }.into(),
            start_date: hire.start_date,
            termination_date: None,
            termination_reason: None,
            about: None,
            cost_center: None,
            work_model: None,
            badge_number: None,
            lifecycle_history: lifecycle,
            employment_history: vec![self.employment_row(hire.start_date, "Full time", 40.0)],
            work_history: Vec::new(),
            salary_history: vec![self.salary_row(hire.start_date, 50_000, "USD")],
            other_tables: Default::default(),
        };
        let work = self.work_row(&employee, hire.start_date, "New Employee");
        employee.work_history.push(work);
        self.employees.push(employee);
        self.refresh_history();
        id
    }

    /// Terminates an employee on `date` (lifecycle row `terminated`; status
    /// `Inactive` once the date is not in the future).
    ///
    /// # Panics
    /// If no employee has this ID.
    pub fn terminate(&mut self, id: &str, date: NaiveDate) {
        let first = self.lists["terminationreason"].items[0].id.clone();
        self.terminate_for(id, date, &first);
    }

    /// [`terminate`](Self::terminate) for a reason: an item ID of
    /// `terminationreason` (what `POST /employees/{identifier}/terminate` sends).
    pub(crate) fn terminate_for(&mut self, id: &str, date: NaiveDate, reason_id: &str) {
        let reason = list_ref(&self.lists, "terminationreason", reason_id);
        let row = self.lifecycle_row(date, "terminated", Some(&reason.label), Some("Voluntary"));
        let today = self.today;
        let emp = self
            .employee_mut(id)
            .unwrap_or_else(|| panic!("fake HiBob: no employee {id}"));
        push_row(&mut emp.lifecycle_history, row);
        emp.termination_date = Some(date);
        emp.termination_reason = Some(reason);
        if date <= today {
            emp.lifecycle_status = "terminated".into();
            emp.internal_status = "Inactive".into();
        }
        self.refresh_history();
    }

    /// Moves an employee to another department from `date` (a new work row; the
    /// current `work.department` changes once the date is not in the future).
    ///
    /// # Panics
    /// If no employee has this ID or the department is not an item of `department`.
    pub fn move_department(&mut self, id: &str, department_id: &str, date: NaiveDate) {
        let department = list_ref(&self.lists, "department", department_id);
        let today = self.today;
        let emp = self
            .employee(id)
            .unwrap_or_else(|| panic!("fake HiBob: no employee {id}"))
            .clone();
        let mut row = self.work_row(&emp, date, "Transfer");
        row["department"] = json!(department.id);
        let emp = self.employee_mut(id).expect("checked above");
        push_row(&mut emp.work_history, row);
        if date <= today {
            emp.department = Some(department);
        }
        self.refresh_history();
    }

    /// Re-sorts every history table by `effectiveDate` and recomputes `isCurrent`
    /// (the last row effective on or before `today`, else the first row) and
    /// `endEffectiveDate` (the day before the next row, `null` on the last).
    pub fn refresh_history(&mut self) {
        let today = self.today;
        for emp in &mut self.employees {
            for table in Table::ALL {
                fix_rows(emp.history_mut(table), today);
            }
        }
    }
}

/// Adds a row, replacing any row with the same `effectiveDate` (HiBob refuses
/// two rows on one date).
pub(super) fn push_row(rows: &mut Vec<Value>, row: Value) {
    rows.retain(|r| r["effectiveDate"] != row["effectiveDate"]);
    rows.push(row);
}

fn row_date(row: &Value) -> NaiveDate {
    row["effectiveDate"]
        .as_str()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or(NaiveDate::MIN)
}

/// The date as the number its `%Y%m%d` form reads as (`-2621430101` for a
/// negative year).
fn yyyymmdd(date: NaiveDate) -> i64 {
    let digits = i64::from(date.year().unsigned_abs()) * 10_000
        + i64::from(date.month()) * 100
        + i64::from(date.day());
    if date.year() < 0 { -digits } else { digits }
}

/// Sorts rows, gives new rows an `id` and recomputes `isCurrent`, `endEffectiveDate` and `canBeDeleted`.
pub(crate) fn fix_rows(rows: &mut [Value], today: NaiveDate) {
    rows.sort_by_cached_key(row_date);
    let dates: Vec<NaiveDate> = rows.iter().map(row_date).collect();
    let current = dates.iter().rposition(|d| *d <= today).unwrap_or(0);
    for (i, row) in rows.iter_mut().enumerate() {
        let id = 1_000_000_000_000_i64 + yyyymmdd(dates[i]) * 100 + i as i64;
        let end = dates
            .get(i + 1)
            .map(|next| (*next - TimeDelta::days(1)).to_string());
        // An entry keeps its ID once it has one, as in HiBob: updates and
        // deletes name entries by ID.
        if row["id"].as_i64().unwrap_or(0) == 0 {
            row["id"] = json!(id);
        }
        row["isCurrent"] = json!(i == current);
        row["endEffectiveDate"] = json!(end);
        row["canBeDeleted"] = json!(i != 0);
    }
}
