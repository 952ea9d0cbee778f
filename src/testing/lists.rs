//! The named lists: definitions and their JSON form.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::company::{ListItem, NamedList};

fn list(name: &str, numeric_ids: bool, base: u64, labels: &[(&str, bool)]) -> NamedList {
    NamedList {
        name: name.into(),
        numeric_ids,
        items: labels
            .iter()
            .enumerate()
            .map(|(i, (label, archived))| ListItem {
                id: (base + i as u64).to_string(),
                label: (*label).into(),
                archived: *archived,
                parent: None,
            })
            .collect(),
    }
}

fn word_list(name: &str, items: &[(&str, &str)]) -> NamedList {
    NamedList {
        name: name.into(),
        numeric_ids: false,
        items: items
            .iter()
            .map(|(id, label)| ListItem {
                id: (*id).into(),
                label: (*label).into(),
                archived: false,
                parent: None,
            })
            .collect(),
    }
}

/// The company's named lists, archived items included.
pub(crate) fn lists() -> BTreeMap<String, NamedList> {
    let all = [
        list(
            "title",
            false,
            210_011_940,
            &[
                ("Chief Executive Officer", false),
                ("Software Engineer", false),
                ("Senior Software Engineer", false),
                ("Engineering Manager", false),
                ("Product Manager", false),
                ("Product Designer", false),
                ("Account Executive", false),
                ("HR Business Partner", false),
                ("Data Analyst", false),
                ("Support Specialist", false),
                ("Office Manager", false),
                ("Webmaster", true),
                ("Junior Programmer", true),
            ],
        ),
        list(
            "department",
            false,
            209_192_160,
            &[
                ("Executive", false),
                ("Engineering", false),
                ("Product", false),
                ("Sales", false),
                ("People", false),
                ("Finance", false),
                ("Customer Success", false),
                ("Account Receivables", false),
                ("R&D Labs", true),
                ("Marketing (old)", true),
            ],
        ),
        list(
            "site",
            true,
            2_606_110,
            &[
                ("London (Demo)", false),
                ("New York", false),
                ("Tel Aviv", false),
                ("Paris", false),
                ("東京", false),
                ("Berlin (closed)", true),
            ],
        ),
        list(
            "terminationreason",
            false,
            301_000,
            &[
                ("Resignation", false),
                ("Dismissal", false),
                ("End of contract", false),
                ("Redundancy", false),
                ("Relocation (legacy)", true),
            ],
        ),
        list(
            "workModel",
            false,
            320_100,
            &[
                ("Office", false),
                ("Hybrid", false),
                ("Remote", false),
                ("Four-day week (pilot)", true),
            ],
        ),
        word_list(
            "lifecycleStatus",
            &[
                ("hired", "Hired"),
                ("employed", "Employed"),
                ("leave", "Leave"),
                ("terminated", "Terminated"),
            ],
        ),
        word_list("status", &[("Active", "Active"), ("Inactive", "Inactive")]),
    ];
    let custom = super::company::custom_tables::lists();
    all.into_iter()
        .chain(custom)
        .map(|l| (l.name.clone(), l))
        .collect()
}

/// A list as `/company/named-lists` serves it: top-level items, each with
/// its child items nested in `children` (a hierarchical list).
pub(crate) fn named_list(list: &NamedList, include_archived: bool) -> Value {
    let items = items_under(list, None, include_archived, 0);
    json!({ "name": list.name, "values": items, "items": items })
}

/// The items whose parent is `parent`, children nested. `depth` stops a
/// parent cycle (which `update` could build by hand) from recursing forever.
fn items_under(
    list: &NamedList,
    parent: Option<&str>,
    include_archived: bool,
    depth: usize,
) -> Vec<Value> {
    if depth > list.items.len() {
        return Vec::new();
    }
    list.items
        .iter()
        .filter(|i| i.parent.as_deref() == parent)
        .filter(|i| include_archived || !i.archived)
        .map(|i| {
            let id = match i.id.parse::<i64>() {
                Ok(n) if list.numeric_ids => json!(n),
                _ => json!(i.id),
            };
            let children = items_under(list, Some(&i.id), include_archived, depth + 1);
            json!({ "id": id, "value": i.label, "name": i.label, "archived": i.archived, "children": children })
        })
        .collect()
}
