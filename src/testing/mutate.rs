//! The mutations: changes a test makes to the company while the fake runs.
//! Each changes the company (see `company/`), keeps its history tables
//! consistent, and queues the webhook events Bob would send for it (see
//! `webhook_events.rs`; delivered when the `webhooks` feature is on and a
//! test called `FakeHibob::deliver_webhooks`).

use chrono::NaiveDate;

use super::webhook_events::{self as events, Outgoing};
use super::{FakeHibob, NewHire};

impl FakeHibob {
    /// Adds an employee (see [`Company::hire`](super::Company::hire)) and
    /// returns the new ID. Sends `employee.created`, and `employee.joined`
    /// when the start date is not in the future.
    pub fn hire(&self, hire: NewHire) -> String {
        let (id, sent) = self.update(|c| {
            let id = c.hire(hire);
            let sent = events::hired(c, &id);
            (id, sent)
        });
        self.emit(sent);
        id
    }

    /// Terminates an employee on `date` (see
    /// [`Company::terminate`](super::Company::terminate)). Sends
    /// `table.entry.created` (lifecycle), then `employee.left` and
    /// `employee.inactivated` when `date` is not in the future.
    pub fn terminate(&self, id: &str, date: NaiveDate) {
        self.mutate(|c| {
            c.terminate(id, date);
            events::terminated(c, id, date)
        });
    }

    /// Moves an employee to a department item from `date` (see
    /// [`Company::move_department`](super::Company::move_department)). Sends
    /// `table.entry.created` (work), then `employee.updated`
    /// (`work.department`) when `date` is not in the future.
    pub fn move_department(&self, id: &str, department_id: &str, date: NaiveDate) {
        self.mutate(|c| {
            c.move_department(id, department_id, date);
            events::work_row_added(c, id, date, &["work.department"])
        });
    }

    /// Re-hires a terminated employee from `date` (see
    /// [`Company::rehire`](super::Company::rehire)): `employed` and `Active`
    /// again, or `hired` until a future `date`. Sends `table.entry.created`
    /// for the new lifecycle and work rows, then `employee.joined` and
    /// `employee.activated` when `date` is not in the future.
    ///
    /// # Panics
    /// If the employee is unknown or not terminated, or `date` is not after
    /// the termination date.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// use hibob::field;
    /// use hibob::people::LifecycleStatus;
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(40).start().await;
    /// let truth = fake.truth();
    /// let leaver = truth.employees.iter().find(|e| e.lifecycle_status == "terminated").unwrap();
    /// fake.rehire(&leaver.id, truth.today);
    ///
    /// let back = fake.client().people().get(&leaver.id).fields([field::LIFECYCLE_STATUS]).await?;
    /// assert_eq!(back.lifecycle_status(), Some(LifecycleStatus::Employed));
    /// assert!(fake.truth().employee(&leaver.id).unwrap().is_active());
    /// # Ok(())
    /// # }
    /// ```
    pub fn rehire(&self, id: &str, date: NaiveDate) {
        self.mutate(|c| {
            c.rehire(id, date);
            events::rehired(c, id, date)
        });
    }

    /// Moves an employee to site item `site_id` from `date` (see
    /// [`Company::move_site`](super::Company::move_site)). Sends
    /// `table.entry.created` (work), then `employee.updated` (`work.site`,
    /// `work.siteId`) when `date` is not in the future.
    ///
    /// # Panics
    /// If the employee is unknown or `site_id` is not an item of `site`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let truth = fake.truth();
    /// let paris = truth.lists["site"].items.iter().find(|s| s.label == "Paris").unwrap();
    /// let who = &truth.employees[1].id;
    /// fake.move_site(who, &paris.id, truth.today);
    /// let moved = fake.truth().employee(who).unwrap().clone();
    /// assert_eq!(moved.site.as_deref(), Some("Paris"));
    /// assert_eq!(moved.site_id.map(|id| id.to_string()), Some(paris.id.clone()));
    /// # }
    /// ```
    pub fn move_site(&self, id: &str, site_id: &str, date: NaiveDate) {
        self.mutate(|c| {
            c.move_site(id, site_id, date);
            events::work_row_added(c, id, date, &["work.site", "work.siteId"])
        });
    }

    /// Gives an employee another manager from `date` (see
    /// [`Company::change_manager`](super::Company::change_manager)). Sends
    /// `table.entry.created` (work), then `employee.updated`
    /// (`work.manager`, `work.reportsTo`) when `date` is not in the future.
    ///
    /// # Panics
    /// If either employee is unknown, or `manager_id` is `id`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let truth = fake.truth();
    /// let (who, boss) = (&truth.employees[3].id, &truth.employees[1].id);
    /// fake.change_manager(who, boss, truth.today);
    /// let read = fake.client().people().get(who).fields([hibob::field::MANAGER]).await?;
    /// assert_eq!(read.manager_id().map(|m| m.as_str()), Some(boss.as_str()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn change_manager(&self, id: &str, manager_id: &str, date: NaiveDate) {
        self.mutate(|c| {
            c.change_manager(id, manager_id, date);
            events::work_row_added(c, id, date, &["work.manager", "work.reportsTo"])
        });
    }

    /// Changes an employee's e-mail (see
    /// [`Company::change_email`](super::Company::change_email)); reads by
    /// the new address find them, the old one no longer does. Sends
    /// `employee.updated` (`root.email`).
    ///
    /// # Panics
    /// If the employee is unknown or another employee has this e-mail.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let who = fake.truth().employees[2].id.clone();
    /// fake.change_email(&who, "new.address@example.com");
    /// let read = fake.client().people().get("new.address@example.com").await?;
    /// assert_eq!(read.id().map(|id| id.as_str()), Some(who.as_str()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn change_email(&self, id: &str, email: &str) {
        self.mutate(|c| {
            c.change_email(id, email);
            vec![events::updated(c, id, &["root.email"])]
        });
    }

    /// Renames item `item_id` of named list `list` (see
    /// [`Company::rename_list_item`](super::Company::rename_list_item)):
    /// `/company/named-lists` and `humanReadable` reads show the new label,
    /// machine reads still carry the same item ID. Sends no webhook (Bob
    /// has no event for list edits).
    ///
    /// # Panics
    /// If the list or the item does not exist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let sales = fake.truth().lists["department"].items[3].id.clone();
    /// fake.rename_list_item("department", &sales, "Revenue");
    /// let list = fake.client().metadata().named_list("department", false).await?;
    /// let item = list.items.iter().find(|i| i.id == sales).unwrap();
    /// assert_eq!(item.label(), Some("Revenue"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn rename_list_item(&self, list: &str, item_id: &str, new_label: &str) {
        self.update(|c| c.rename_list_item(list, item_id, new_label));
    }

    /// Adds an item to named list `list`, nested under item `parent` when
    /// given (a hierarchical list), and returns its new ID (see
    /// [`Company::add_list_item`](super::Company::add_list_item)). Sends no
    /// webhook.
    ///
    /// # Panics
    /// If the list or `parent` does not exist, or the list takes no new
    /// items (`lifecycleStatus`, `status`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let engineering = fake.truth().lists["department"].items[1].id.clone();
    /// let platform = fake.add_list_item("department", "Platform", Some(&engineering));
    /// let list = fake.client().metadata().named_list("department", false).await?;
    /// let parent = list.items.iter().find(|i| i.id == engineering).unwrap();
    /// assert_eq!(parent.children[0].id, platform);
    /// assert_eq!(parent.children[0].label(), Some("Platform"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_list_item(&self, list: &str, label: &str, parent: Option<&str>) -> String {
        self.update(|c| c.add_list_item(list, label, parent))
    }

    /// Takes an employee out of the service user's audience without
    /// deleting them ([`Knobs::audience_exclude`](super::Knobs::audience_exclude)):
    /// searches leave them out, `POST /people/{id}` answers 404 (what HiBob
    /// answers for an employee the service user cannot see: not found and
    /// not visible look the same), their tables 403, and bulk tables list
    /// them in `errors`. [`truth`](Self::truth) still has them. Sends no
    /// webhook: an audience change is a permission edit, not an employee
    /// event.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let hidden = fake.truth().employees[4].id.clone();
    /// fake.remove_from_audience(&hidden);
    /// let err = fake.client().people().get(&hidden).await.unwrap_err();
    /// assert!(matches!(err, hibob::Error::NotFound { .. }));
    /// assert!(fake.truth().employee(&hidden).is_some());
    /// # }
    /// ```
    pub fn remove_from_audience(&self, id: &str) {
        self.knobs(|k| {
            k.audience_exclude([id]);
        });
    }

    /// Deletes an employee (see
    /// [`Company::remove_employee`](super::Company::remove_employee)):
    /// every read forgets them and [`truth`](Self::truth) no longer has
    /// them. Sends `employee.deleted`.
    ///
    /// # Panics
    /// If no employee has this ID.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let gone = fake.truth().employees[4].id.clone();
    /// fake.remove_employee(&gone);
    /// let everyone = fake.client().people().search().show_inactive(true).await?;
    /// assert!(everyone.employees.iter().all(|e| e.id().is_some_and(|id| id.as_str() != gone)));
    /// assert!(fake.truth().employee(&gone).is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn remove_employee(&self, id: &str) {
        self.mutate(|c| {
            let sent = vec![events::deleted(c, id)];
            c.remove_employee(id);
            sent
        });
    }

    /// Runs a change that returns the events it causes, then queues them.
    fn mutate(&self, change: impl FnOnce(&mut super::Company) -> Vec<Outgoing>) {
        let sent = self.update(change);
        self.emit(sent);
    }

    /// Without the `webhooks` feature there is nowhere to send events.
    #[cfg(not(feature = "webhooks"))]
    fn emit(&self, _events: Vec<Outgoing>) {}
}
