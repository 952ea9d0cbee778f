//! Table entries written through the API: new rows in the shape the reads
//! serve, and the employee's current work fields kept in step with the work
//! row in effect.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::mutations::list_ref;
use super::rows::common_row;
use super::{Company, Table};

impl Company {
    /// A history row effective `date`, with the common columns and `columns`
    /// over them (`customColumns` merged).
    pub(crate) fn entry_row(&self, date: NaiveDate, columns: &Map<String, Value>) -> Value {
        let mut row = common_row(date, self.change(None));
        let obj = row.as_object_mut().expect("object");
        for (key, value) in columns {
            match (key.as_str(), obj.get_mut("customColumns"), value) {
                ("customColumns", Some(Value::Object(custom)), Value::Object(new)) => {
                    custom.extend(new.clone());
                }
                _ => {
                    obj.insert(key.clone(), value.clone());
                }
            }
        }
        row
    }

    /// Sets the employee's `work.*` fields from their current work row, as
    /// HiBob does when a work entry in effect is added, changed or deleted.
    /// Returns the field IDs that changed.
    pub(crate) fn sync_work_fields(&mut self, id: &str) -> Vec<&'static str> {
        let Some(emp) = self.employee(id) else {
            return Vec::new();
        };
        let Some(row) = emp.current_row(Table::Work).cloned() else {
            return Vec::new();
        };
        let text = |key: &str| row[key].as_str().map(str::to_owned);
        let title = text("title").map(|t| list_ref(&self.lists, "title", &t));
        let department = text("department").map(|d| list_ref(&self.lists, "department", &d));
        let manager_id = row["reportsTo"]["id"].as_str().map(str::to_owned);
        let manager_email = (manager_id.as_deref())
            .and_then(|m| self.employee(m))
            .map(|m| m.email.clone());
        let (site, site_id) = (text("site"), row["siteId"].as_i64());
        let emp = self.employee_mut(id).expect("checked above");
        let mut changed = Vec::new();
        if emp.title != title {
            emp.title = title;
            changed.push("work.title");
        }
        if emp.department != department {
            emp.department = department;
            changed.push("work.department");
        }
        if emp.site != site || emp.site_id != site_id {
            (emp.site, emp.site_id) = (site, site_id);
            changed.extend(["work.site", "work.siteId"]);
        }
        if emp.manager_id != manager_id {
            (emp.manager_id, emp.manager_email) = (manager_id, manager_email);
            changed.extend(["work.manager", "work.reportsTo"]);
        }
        changed
    }
}
