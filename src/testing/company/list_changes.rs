//! Named-list edits: renaming an item and adding one. A rename reaches every
//! value that shows the label (employees' list fields, the `site` name in
//! work rows); item IDs never change, as in Bob.

use super::{Company, ListItem};

impl Company {
    /// Renames item `item_id` of named list `list`; employees holding the
    /// item show the new label (their list values compare by ID, so nobody
    /// moves). For the `site` list, `work.site` and the work rows' `site`
    /// change too.
    ///
    /// # Panics
    /// If the list or the item does not exist.
    pub fn rename_list_item(&mut self, list: &str, item_id: &str, new_label: &str) {
        let item = self
            .lists
            .get_mut(list)
            .and_then(|l| l.items.iter_mut().find(|i| i.id == item_id))
            .unwrap_or_else(|| panic!("fake HiBob: no item {item_id:?} in list {list:?}"));
        item.label = new_label.to_owned();
        let site_number = item_id.parse::<i64>().ok();
        for emp in &mut self.employees {
            let value = match list {
                "title" => emp.title.as_mut(),
                "department" => emp.department.as_mut(),
                "workModel" => emp.work_model.as_mut(),
                "terminationreason" => emp.termination_reason.as_mut(),
                _ => None,
            };
            if let Some(value) = value.filter(|v| v.id == item_id) {
                value.label = new_label.to_owned();
            }
            // Site IDs are numbers in employee fields and work rows.
            let Some(site) = site_number.filter(|_| list == "site") else {
                continue;
            };
            if emp.site_id == Some(site) {
                emp.site = Some(new_label.to_owned());
            }
            for row in &mut emp.work_history {
                if row["siteId"].as_i64() == Some(site) {
                    row["site"] = new_label.into();
                }
            }
        }
    }

    /// Adds an item to named list `list`, under `parent` for a hierarchical
    /// list, and returns its ID: one more than the list's largest numeric
    /// ID (a new item never reuses an ID).
    ///
    /// # Panics
    /// If the list does not exist, `parent` is not one of its items, or the
    /// list has no numeric IDs (`lifecycleStatus`, `status`: fixed lists).
    pub fn add_list_item(&mut self, list: &str, label: &str, parent: Option<&str>) -> String {
        let named = self
            .lists
            .get_mut(list)
            .unwrap_or_else(|| panic!("fake HiBob: no list {list:?}"));
        if let Some(parent) = parent {
            assert!(
                named.items.iter().any(|i| i.id == parent),
                "fake HiBob: no item {parent:?} in list {list:?} to add a child to"
            );
        }
        let max = named
            .items
            .iter()
            .filter_map(|i| i.id.parse::<u64>().ok())
            .max()
            .unwrap_or_else(|| panic!("fake HiBob: list {list:?} takes no new items"));
        let id = (max + 1).to_string();
        named.items.push(ListItem {
            id: id.clone(),
            label: label.to_owned(),
            archived: false,
            parent: parent.map(str::to_owned),
        });
        id
    }
}
