//! The JSON rows of the history tables, as the fake serves them.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::{Company, TruthEmployee};

impl Company {
    pub(super) fn change(&self, reason: Option<&str>) -> Value {
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
/// are fixed up by [`fix_rows`](super::fix_rows).
pub(super) fn common_row(date: NaiveDate, change: Value) -> Value {
    // `Display` is `%Y-%m-%d`, without parsing a format string per row.
    let d = date.to_string();
    json!({
        "id": 0, "effectiveDate": d, "endEffectiveDate": null, "activeEffectiveDate": d,
        "isCurrent": false, "canBeDeleted": true, "creationDate": null,
        "modificationDate": d, "change": change, "customColumns": {},
    })
}
