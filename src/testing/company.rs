//! The generated company: the ground truth the fake serves and tests compare with.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde_json::{Value, json};

use super::Table;

/// A snapshot of the fake company: everything the fake serves, in plain Rust.
///
/// Obtained from [`FakeHibob::truth`](super::FakeHibob::truth) and changed with
/// [`FakeHibob::update`](super::FakeHibob::update). After changing history rows
/// by hand inside `update`, call [`Company::refresh_history`] so `isCurrent` and
/// `endEffectiveDate` stay consistent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Company {
    /// The date the fake treats as "today" (decides `isCurrent`, future hires, …).
    pub today: NaiveDate,
    /// Every employee, visible or not, in creation order (ascending IDs).
    pub employees: Vec<TruthEmployee>,
    /// Named lists keyed by list name (`title`, `department`, `site`, …).
    pub lists: BTreeMap<String, NamedList>,
    /// The employee ID recorded as `change.changedById` on generated history rows.
    pub admin_id: String,
}

/// A value of a list-typed field: the list item ID HiBob sends and its label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListRef {
    /// The list item ID (what machine-readable responses carry).
    pub id: String,
    /// The label (what `humanReadable` responses carry).
    pub label: String,
    /// Whether the item is archived (named lists only show it with `includeArchived=true`).
    pub archived: bool,
}

/// A named list as served by `/company/named-lists`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedList {
    /// The list name (case-sensitive, equal to fields metadata `typeData.listId`).
    pub name: String,
    /// Whether item IDs are served as JSON numbers (the `site` list) instead of strings.
    pub numeric_ids: bool,
    /// The items, archived ones included.
    pub items: Vec<ListItem>,
}

/// One item of a [`NamedList`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The item ID.
    pub id: String,
    /// The label (served as both `value` and `name`).
    pub label: String,
    /// Archived items are hidden unless `includeArchived=true`.
    pub archived: bool,
}

/// One employee as the fake knows them: current field values and full history.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TruthEmployee {
    /// `root.id`: a 19-digit numeric string.
    pub id: String,
    /// `work.employeeIdInCompany` (a number in HiBob; missing for some employees).
    pub employee_id_in_company: Option<i64>,
    /// `root.email` (some contain `+`).
    pub email: String,
    /// `root.firstName`.
    pub first_name: String,
    /// `root.surname`.
    pub surname: String,
    /// `root.displayName` (also served as `root.fullName`).
    pub display_name: String,
    /// `root.creationDateTime` (ISO-8601, microseconds, no zone).
    pub creation_date_time: String,
    /// `work.title`.
    pub title: Option<ListRef>,
    /// `work.department`.
    pub department: Option<ListRef>,
    /// `work.site` (the site's name).
    pub site: Option<String>,
    /// `work.siteId`.
    pub site_id: Option<i64>,
    /// `work.manager` / `work.reportsTo.id`.
    pub manager_id: Option<String>,
    /// The manager's e-mail (`work.reportsTo.email`).
    pub manager_email: Option<String>,
    /// `internal.lifecycleStatus`: `employed`, `leave`, `terminated` or `hired`.
    pub lifecycle_status: String,
    /// `internal.status`: `Active` or `Inactive`.
    pub internal_status: String,
    /// `work.startDate` (for re-hires: the latest start).
    pub start_date: NaiveDate,
    /// `internal.terminationDate` (`None` unless terminated).
    pub termination_date: Option<NaiveDate>,
    /// `internal.terminationReason`.
    pub termination_reason: Option<ListRef>,
    /// `about.about`: free text, missing for many.
    pub about: Option<String>,
    /// Custom text field [`COST_CENTER_FIELD`](super::COST_CENTER_FIELD).
    pub cost_center: Option<String>,
    /// Custom list field [`WORK_MODEL_FIELD`](super::WORK_MODEL_FIELD) (list `workModel`).
    pub work_model: Option<ListRef>,
    /// Field [`BADGE_NUMBER_FIELD`](super::BADGE_NUMBER_FIELD) in a custom category.
    pub badge_number: Option<String>,
    /// `/people/{id}/lifecycle` rows, ascending `effectiveDate`.
    pub lifecycle_history: Vec<Value>,
    /// `/people/{id}/employment` rows.
    pub employment_history: Vec<Value>,
    /// `/people/{id}/work` rows.
    pub work_history: Vec<Value>,
    /// `/people/{id}/salaries` rows.
    pub salary_history: Vec<Value>,
}

impl TruthEmployee {
    /// The rows of one history table.
    pub fn history(&self, table: Table) -> &[Value] {
        match table {
            Table::Lifecycle => &self.lifecycle_history,
            Table::Employment => &self.employment_history,
            Table::Work => &self.work_history,
            Table::Salaries => &self.salary_history,
        }
    }

    /// The rows of one history table, mutably.
    pub fn history_mut(&mut self, table: Table) -> &mut Vec<Value> {
        match table {
            Table::Lifecycle => &mut self.lifecycle_history,
            Table::Employment => &mut self.employment_history,
            Table::Work => &mut self.work_history,
            Table::Salaries => &mut self.salary_history,
        }
    }

    /// The current row of a table (`isCurrent: true`), if any.
    pub fn current_row(&self, table: Table) -> Option<&Value> {
        self.history(table)
            .iter()
            .find(|row| row["isCurrent"] == Value::Bool(true))
    }

    /// The `reportsTo` object HiBob serves when this employee is someone's manager.
    pub(crate) fn as_reports_to(&self) -> Value {
        json!({
            "id": self.id, "firstName": self.first_name, "surname": self.surname,
            "email": self.email, "displayName": self.display_name,
        })
    }

    /// Whether `internal.status` is `Active`.
    pub fn is_active(&self) -> bool {
        self.internal_status == "Active"
    }
}

/// A new employee for [`Company::hire`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewHire {
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Work e-mail.
    pub email: String,
    /// Start date; after `today` makes a future hire (`hired`, `Inactive`).
    pub start_date: NaiveDate,
    /// Title list item ID.
    pub title_id: Option<String>,
    /// Department list item ID.
    pub department_id: Option<String>,
    /// Manager's employee ID.
    pub manager_id: Option<String>,
}

impl NewHire {
    /// A new hire without title, department or manager (set the public fields for those).
    pub fn new(
        first_name: impl Into<String>,
        surname: impl Into<String>,
        email: impl Into<String>,
        start_date: NaiveDate,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            surname: surname.into(),
            email: email.into(),
            start_date,
            title_id: None,
            department_id: None,
            manager_id: None,
        }
    }
}

/// A list item ID as a [`ListRef`], or a panic naming the list.
fn list_ref(lists: &BTreeMap<String, NamedList>, list: &str, id: &str) -> ListRef {
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
    /// The employee with this ID.
    pub fn employee(&self, id: &str) -> Option<&TruthEmployee> {
        self.employees.iter().find(|e| e.id == id)
    }

    /// The employee with this ID, mutably.
    pub fn employee_mut(&mut self, id: &str) -> Option<&mut TruthEmployee> {
        self.employees.iter_mut().find(|e| e.id == id)
    }

    /// The label of a list item, archived items included.
    pub fn label(&self, list: &str, id: &str) -> Option<&str> {
        list_label(&self.lists, list, id)
    }

    /// Adds an employee and returns their new ID. A start date after `today`
    /// makes a future hire (`hired`, `Inactive`); otherwise `employed`, `Active`.
    ///
    /// # Panics
    /// If `title_id`/`department_id` are not items of their lists.
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
            site: None,
            site_id: None,
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
        let reason = self.lists["terminationreason"].items[0].clone();
        let reason = ListRef {
            id: reason.id,
            label: reason.label,
            archived: reason.archived,
        };
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

    fn change(&self, reason: Option<&str>) -> Value {
        let admin = self.employee(&self.admin_id);
        json!({
            "reason": reason,
            "changedBy": admin.map(|a| a.display_name.clone()),
            "changedById": self.admin_id,
        })
    }

    pub(crate) fn lifecycle_row(
        &self,
        date: NaiveDate,
        status: &str,
        reason: Option<&str>,
        reason_type: Option<&str>,
    ) -> Value {
        let employee_status = if matches!(status, "employed" | "leave") {
            "Active"
        } else {
            "Inactive"
        };
        let mut row = common_row(date, self.change(reason));
        let obj = row.as_object_mut().expect("object");
        obj.insert("status".into(), json!(status));
        obj.insert("employeeStatus".into(), json!(employee_status));
        obj.insert("reasonType".into(), json!(reason_type));
        let leave = (status == "leave").then_some("Parental leave");
        obj.insert("leaveReason".into(), json!(leave));
        row
    }

    pub(crate) fn employment_row(&self, date: NaiveDate, contract: &str, hours: f64) -> Value {
        let fte = (hours / 40.0 * 100.0).round();
        let mut row = common_row(date, self.change(None));
        let obj = row.as_object_mut().expect("object");
        obj.insert("contract".into(), json!(contract));
        let kind = if contract == "Contractor" {
            "Fixed term"
        } else {
            "Permanent"
        };
        obj.insert("type".into(), json!(kind));
        obj.insert("salaryPayType".into(), json!("Salaried"));
        obj.insert("weeklyHours".into(), json!(hours));
        obj.insert("fte".into(), json!(fte));
        let per_day = hours / 5.0;
        obj.insert(
            "workingPattern".into(),
            json!({
                "days": {"monday": per_day, "tuesday": per_day, "wednesday": per_day,
                         "thursday": per_day, "friday": per_day, "saturday": 0, "sunday": 0},
                "hoursPerDay": per_day, "workingPatternId": 1, "workingPatternType": "personal",
            }),
        );
        row
    }

    pub(crate) fn salary_row(&self, date: NaiveDate, amount: i64, currency: &str) -> Value {
        let mut row = common_row(date, self.change(None));
        let obj = row.as_object_mut().expect("object");
        obj.insert(
            "base".into(),
            json!({"value": amount, "currency": currency}),
        );
        obj.insert("payPeriod".into(), json!("Annual"));
        obj.insert("payFrequency".into(), json!("Monthly"));
        row
    }

    /// A work row carrying the employee's current work fields (looks the manager up).
    pub(crate) fn work_row(&self, emp: &TruthEmployee, date: NaiveDate, kind: &str) -> Value {
        let manager = emp.manager_id.as_deref().and_then(|m| self.employee(m));
        self.work_row_with(emp, manager, date, kind)
    }

    /// A work row carrying the employee's current work fields and this manager.
    pub(crate) fn work_row_with(
        &self,
        emp: &TruthEmployee,
        manager: Option<&TruthEmployee>,
        date: NaiveDate,
        kind: &str,
    ) -> Value {
        let reports_to = manager.map_or(Value::Null, TruthEmployee::as_reports_to);
        let mut row = common_row(date, self.change(None));
        let obj = row.as_object_mut().expect("object");
        obj.insert("workChangeType".into(), json!(kind));
        obj.insert("title".into(), json!(emp.title.as_ref().map(|t| &t.id)));
        obj.insert(
            "department".into(),
            json!(emp.department.as_ref().map(|d| &d.id)),
        );
        obj.insert("site".into(), json!(emp.site));
        obj.insert("siteId".into(), json!(emp.site_id));
        obj.insert("reportsTo".into(), reports_to);
        row
    }
}

/// The columns every historical row has; `id`, `endEffectiveDate` and `isCurrent`
/// are fixed up by [`fix_rows`].
fn common_row(date: NaiveDate, change: Value) -> Value {
    // `Display` is `%Y-%m-%d`, without parsing a format string per row.
    let d = date.to_string();
    json!({
        "id": 0, "effectiveDate": d, "endEffectiveDate": null, "activeEffectiveDate": d,
        "isCurrent": false, "canBeDeleted": true, "creationDate": null,
        "modificationDate": d, "change": change, "customColumns": {},
    })
}

/// Adds a row, replacing any row with the same `effectiveDate` (HiBob refuses
/// two rows on one date).
fn push_row(rows: &mut Vec<Value>, row: Value) {
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

/// Sorts rows and recomputes `id`, `isCurrent`, `endEffectiveDate` and `canBeDeleted`.
pub(crate) fn fix_rows(rows: &mut [Value], today: NaiveDate) {
    rows.sort_by_cached_key(row_date);
    let dates: Vec<NaiveDate> = rows.iter().map(row_date).collect();
    let current = dates.iter().rposition(|d| *d <= today).unwrap_or(0);
    for (i, row) in rows.iter_mut().enumerate() {
        let id = 1_000_000_000_000_i64 + yyyymmdd(dates[i]) * 100 + i as i64;
        let end = dates
            .get(i + 1)
            .map(|next| (*next - TimeDelta::days(1)).to_string());
        row["id"] = json!(id);
        row["isCurrent"] = json!(i == current);
        row["endEffectiveDate"] = json!(end);
        row["canBeDeleted"] = json!(i != 0);
    }
}

/// The label of item `id` in named list `list`, archived items included:
/// shared by [`Company::label`] and the fake's store.
pub(super) fn list_label<'a>(
    lists: &'a BTreeMap<String, NamedList>,
    list: &str,
    id: &str,
) -> Option<&'a str> {
    lists
        .get(list)?
        .items
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.label.as_str())
}
