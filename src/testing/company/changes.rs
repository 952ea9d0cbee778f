//! More ways the company changes: rehires, site and manager moves, e-mail
//! changes and deletions. Like `mutations.rs`, each keeps the history
//! tables consistent with the current fields, so later people reads and
//! table reads agree.

use chrono::NaiveDate;
use serde_json::json;

use super::mutations::{list_ref, push_row};
use super::{Company, TruthEmployee};

impl Company {
    fn known(&self, id: &str) -> TruthEmployee {
        self.employee(id)
            .unwrap_or_else(|| panic!("fake HiBob: no employee {id}"))
            .clone()
    }

    /// Re-hires a terminated employee from `date`: a lifecycle row
    /// `employed` (reason `Rehire`) and a work row `Rehire` on `date`, the
    /// termination date and reason cleared, `work.startDate` set to `date`.
    /// Employed and `Active` at once when `date` is not in the future;
    /// otherwise `hired` and `Inactive` (with a `hired` row on `today`)
    /// until then, as Bob does for a future start.
    ///
    /// # Panics
    /// If no employee has this ID, they are not terminated, or `date` is not
    /// after their termination date.
    pub fn rehire(&mut self, id: &str, date: NaiveDate) {
        let emp = self.known(id);
        assert!(
            emp.lifecycle_status == "terminated",
            "fake HiBob: employee {id} is {}, not terminated",
            emp.lifecycle_status
        );
        if let Some(left) = emp.termination_date {
            assert!(
                date > left,
                "fake HiBob: a rehire on {date} must come after the termination on {left}"
            );
        }
        let today = self.today;
        let future = date > today;
        let employed = self.lifecycle_row(date, "employed", Some("Rehire"), None);
        // A future start shows `hired` from today, unless the termination
        // row holds today (a row per date): then the status alone says so.
        let room_today = emp.termination_date.is_none_or(|left| left < today);
        let hired = (future && room_today)
            .then(|| self.lifecycle_row(today, "hired", Some("Rehire"), None));
        let work = self.work_row(&emp, date, "Rehire");
        let emp = self.employee_mut(id).expect("checked above");
        push_row(&mut emp.lifecycle_history, employed);
        if let Some(hired) = hired {
            push_row(&mut emp.lifecycle_history, hired);
        }
        push_row(&mut emp.work_history, work);
        emp.start_date = date;
        emp.termination_date = None;
        emp.termination_reason = None;
        emp.lifecycle_status = if future { "hired" } else { "employed" }.into();
        emp.internal_status = if future { "Inactive" } else { "Active" }.into();
        self.refresh_history();
    }

    /// Moves an employee to another site from `date` (a new work row with
    /// `site` and `siteId`; `work.site` and `work.siteId` change once the
    /// date is not in the future).
    ///
    /// # Panics
    /// If no employee has this ID or the site is not an item of `site`.
    pub fn move_site(&mut self, id: &str, site_id: &str, date: NaiveDate) {
        let site = list_ref(&self.lists, "site", site_id);
        let site_number: i64 = site
            .id
            .parse()
            .unwrap_or_else(|_| panic!("fake HiBob: site IDs are numbers, not {site_id:?}"));
        let emp = self.known(id);
        let mut row = self.work_row(&emp, date, "Relocation");
        row["site"] = json!(site.label);
        row["siteId"] = json!(site_number);
        let today = self.today;
        let emp = self.employee_mut(id).expect("checked above");
        push_row(&mut emp.work_history, row);
        if date <= today {
            emp.site = Some(site.label);
            emp.site_id = Some(site_number);
        }
        self.refresh_history();
    }

    /// Gives an employee another manager from `date` (a new work row whose
    /// `reportsTo` is the manager; `work.manager` and `work.reportsTo`
    /// change once the date is not in the future).
    ///
    /// # Panics
    /// If either employee is unknown or `manager_id` is `id` itself.
    pub fn change_manager(&mut self, id: &str, manager_id: &str, date: NaiveDate) {
        assert!(
            id != manager_id,
            "fake HiBob: employee {id} cannot manage themselves"
        );
        let emp = self.known(id);
        let manager = self.known(manager_id);
        let row = self.work_row_with(&emp, Some(&manager), date, "Manager change");
        let today = self.today;
        let emp = self.employee_mut(id).expect("checked above");
        push_row(&mut emp.work_history, row);
        if date <= today {
            emp.manager_id = Some(manager.id);
            emp.manager_email = Some(manager.email);
        }
        self.refresh_history();
    }

    /// Changes an employee's `root.email` (not a historical field: no table
    /// row). Their reports' `work.reportsTo` and work rows show the new
    /// address too.
    ///
    /// # Panics
    /// If no employee has this ID, or another employee already has this
    /// e-mail (ASCII case-insensitive, as Bob compares them).
    pub fn change_email(&mut self, id: &str, email: &str) {
        self.known(id);
        let taken = self
            .employees
            .iter()
            .any(|e| e.id != id && e.email.eq_ignore_ascii_case(email));
        assert!(!taken, "fake HiBob: another employee has e-mail {email:?}");
        for emp in &mut self.employees {
            if emp.id == id {
                emp.email = email.to_owned();
            }
            if emp.manager_id.as_deref() == Some(id) {
                emp.manager_email = Some(email.to_owned());
            }
            for row in &mut emp.work_history {
                if row["reportsTo"]["id"] == json!(id) {
                    row["reportsTo"]["email"] = json!(email);
                }
            }
        }
    }

    /// Deletes an employee: every read forgets them (404 by ID, absent from
    /// searches and bulk tables). Their reports keep the manager ID, which
    /// now names no one, as after a deletion in Bob.
    ///
    /// # Panics
    /// If no employee has this ID.
    pub fn remove_employee(&mut self, id: &str) {
        self.known(id);
        self.employees.retain(|e| e.id != id);
    }
}
