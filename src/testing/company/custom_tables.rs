//! The fake company's custom tables: two tables ("Assets" and
//! "Certifications"), each in its own custom category, their named lists,
//! and each employee's rows.
//!
//! Rows are generated from the employee's ID when first asked for, so a
//! 20,000-employee company costs nothing until a custom table is read; a
//! write (or [`FakeHibob::update`](crate::testing::FakeHibob::update))
//! stores an employee's rows of that table in
//! [`TruthEmployee::other_tables`] under `custom-tables/<table_id>`, and
//! from then on those are the rows.

use chrono::TimeDelta;
use serde_json::{Value, json};

use super::{ListItem, NamedList, TruthEmployee};

/// ID of the custom table "Assets" (laptops, phones… handed to employees).
pub const ASSETS_TABLE_ID: &str = "1663597893462";
/// The custom category of "Assets": an ID fields metadata does not name, so
/// its 403 names it by ID and table.
pub const ASSETS_CATEGORY_ID: &str = "category_1663597893461";
/// "Serial number" (text, mandatory) of "Assets".
pub const ASSET_SERIAL_COLUMN: &str = "column_1663597977169";
/// "Asset type" (list [`ASSET_TYPE_LIST`], mandatory) of "Assets".
pub const ASSET_TYPE_COLUMN: &str = "column_1663598062584";
/// "Assigned on" (date) of "Assets".
pub const ASSET_ASSIGNED_COLUMN: &str = "column_1663598024920";
/// "Cost" (currency) of "Assets".
pub const ASSET_COST_COLUMN: &str = "column_1663598108167";
/// "Accessories" (multi-list [`ASSET_ACCESSORIES_LIST`]) of "Assets".
pub const ASSET_ACCESSORIES_COLUMN: &str = "column_1663598090762";
/// The named list behind "Asset type" (`<tableId>.<columnId>`, as HiBob names them).
pub const ASSET_TYPE_LIST: &str = "1663597893462.column_1663598062584";
/// The named list behind "Accessories".
pub const ASSET_ACCESSORIES_LIST: &str = "1663597893462.column_1663598090762";

/// ID of the custom table "Certifications".
pub const CERTIFICATIONS_TABLE_ID: &str = "1700000000201";
/// "Certification" (text, mandatory) of "Certifications".
pub const CERT_NAME_COLUMN: &str = "column_1700000000211";
/// "Issuer" (text) of "Certifications".
pub const CERT_ISSUER_COLUMN: &str = "column_1700000000212";
/// "Expiry date" (date) of "Certifications".
pub const CERT_EXPIRY_COLUMN: &str = "column_1700000000213";

/// One custom table the fake serves.
pub(crate) struct TableDef {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    /// The category ID (denied with `deny_category`).
    pub(crate) category: &'static str,
    description: &'static str,
    pub(crate) columns: &'static [ColumnDef],
}

/// One column of a [`TableDef`].
pub(crate) struct ColumnDef {
    pub(crate) id: &'static str,
    name: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) list: Option<&'static str>,
    pub(crate) mandatory: bool,
}

const fn column(
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    list: Option<&'static str>,
    mandatory: bool,
) -> ColumnDef {
    ColumnDef {
        id,
        name,
        kind,
        list,
        mandatory,
    }
}

/// The fake's custom tables, in metadata order.
pub(crate) const TABLES: &[TableDef] = &[
    TableDef {
        id: ASSETS_TABLE_ID,
        name: "Assets",
        category: ASSETS_CATEGORY_ID,
        description: "Equipment handed to the employee",
        columns: &[
            column(ASSET_SERIAL_COLUMN, "Serial number", "text", None, true),
            column(
                ASSET_TYPE_COLUMN,
                "Asset type",
                "list",
                Some(ASSET_TYPE_LIST),
                true,
            ),
            column(ASSET_ASSIGNED_COLUMN, "Assigned on", "date", None, false),
            column(ASSET_COST_COLUMN, "Cost", "currency", None, false),
            column(
                ASSET_ACCESSORIES_COLUMN,
                "Accessories",
                "multi-list",
                Some(ASSET_ACCESSORIES_LIST),
                false,
            ),
        ],
    },
    TableDef {
        id: CERTIFICATIONS_TABLE_ID,
        name: "Certifications",
        category: crate::testing::CUSTOM_CATEGORY_ID,
        description: "Professional certifications and when they expire",
        columns: &[
            column(CERT_NAME_COLUMN, "Certification", "text", None, true),
            column(CERT_ISSUER_COLUMN, "Issuer", "text", None, false),
            column(CERT_EXPIRY_COLUMN, "Expiry date", "date", None, false),
        ],
    },
];

/// The table with this ID.
pub(crate) fn table(id: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|t| t.id == id)
}

impl TableDef {
    /// The column with this ID.
    pub(crate) fn column(&self, id: &str) -> Option<&'static ColumnDef> {
        self.columns.iter().find(|c| c.id == id)
    }

    /// The table's metadata, as `GET /people/custom-tables/metadata[/{id}]` serves it.
    pub(crate) fn metadata(&self) -> Value {
        let columns: Vec<Value> = (self.columns.iter())
            .map(|c| {
                let type_data = c.list.map_or_else(|| json!({}), |l| json!({ "listId": l }));
                json!({
                    "id": c.id, "name": c.name, "description": null, "mandatory": c.mandatory,
                    "type": c.kind, "typeData": type_data,
                })
            })
            .collect();
        json!({
            "id": self.id, "name": self.name, "category": self.category,
            "description": self.description, "columns": columns,
        })
    }
}

/// The key of a table's rows in [`TruthEmployee::other_tables`].
pub(crate) fn key(table_id: &str) -> String {
    format!("custom-tables/{table_id}")
}

impl TruthEmployee {
    /// This employee's rows of a custom table
    /// ([`ASSETS_TABLE_ID`](crate::testing::ASSETS_TABLE_ID),
    /// [`CERTIFICATIONS_TABLE_ID`](crate::testing::CERTIFICATIONS_TABLE_ID)),
    /// as the fake serves them: the rows stored in
    /// [`other_tables`](Self::other_tables) under `custom-tables/<table_id>`
    /// once a write (or [`FakeHibob::update`](crate::testing::FakeHibob::update))
    /// put them there, else the rows generated for this employee. Empty for
    /// a table the fake does not have.
    pub fn custom_table_rows(&self, table_id: &str) -> Vec<Value> {
        match self.other_tables.get(&key(table_id)) {
            Some(rows) => rows.clone(),
            None => generated(self, table_id),
        }
    }

    /// How many rows [`custom_table_rows`](Self::custom_table_rows) has, without building them.
    pub(crate) fn custom_row_count(&self, table_id: &str) -> usize {
        match self.other_tables.get(&key(table_id)) {
            Some(rows) => rows.len(),
            None => generated_count(self, table_id),
        }
    }
}

/// FNV-1a of the employee and table: decides each employee's rows.
fn hash(employee: &TruthEmployee, table_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in employee.id.bytes().chain([0xff]).chain(table_id.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Assets: 0–3 rows (a quarter of employees have none); certifications:
/// 0–2 (a third have none).
fn generated_count(employee: &TruthEmployee, table_id: &str) -> usize {
    let h = hash(employee, table_id);
    match table_id {
        ASSETS_TABLE_ID => (h % 4) as usize,
        CERTIFICATIONS_TABLE_ID => ((h >> 8) % 3) as usize,
        _ => 0,
    }
}

const ASSET_TYPES: &[&str] = &["Laptop", "Monitor", "Phone", "Headset"];
const ACCESSORIES: &[&str] = &["Charger", "Dock", "Keyboard", "Mouse", "Case"];
const CERTIFICATES: &[(&str, &str)] = &[
    ("AWS Solutions Architect", "Amazon Web Services"),
    ("CISSP", "ISC2"),
    ("First aid at work", "St John Ambulance"),
    ("PRINCE2 Practitioner", "PeopleCert"),
    ("Certified Kubernetes Administrator", "CNCF"),
];

fn generated(employee: &TruthEmployee, table_id: &str) -> Vec<Value> {
    let h = hash(employee, table_id);
    let base = 1_000_000 + (h >> 16) % 8_000_000;
    (0..generated_count(employee, table_id))
        .map(|k| {
            let id = base as i64 + k as i64;
            let pick = (h >> (20 + 4 * k)) as usize;
            let on = employee.start_date + TimeDelta::days(30 * k as i64 + (pick % 20) as i64);
            match table_id {
                ASSETS_TABLE_ID => {
                    let kind = pick % ASSET_TYPES.len();
                    let extras: Vec<String> = (0..pick % 3)
                        .map(|j| item_id(ACCESSORIES_BASE, (pick / 3 + j) % ACCESSORIES.len()))
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    json!({
                        "id": id,
                        ASSET_SERIAL_COLUMN: format!("SN-{:06}-{k}", h % 1_000_000),
                        ASSET_TYPE_COLUMN: item_id(ASSET_TYPES_BASE, kind),
                        ASSET_ASSIGNED_COLUMN: on.to_string(),
                        ASSET_COST_COLUMN: { "value": 199 + 300 * kind, "currency": if pick % 2 == 0 { "EUR" } else { "USD" } },
                        ASSET_ACCESSORIES_COLUMN: extras,
                    })
                }
                _ => {
                    let (name, issuer) = CERTIFICATES[pick % CERTIFICATES.len()];
                    let expiry = (pick % 4 != 0).then(|| (on + TimeDelta::days(3 * 365)).to_string());
                    json!({
                        "id": id,
                        CERT_NAME_COLUMN: name,
                        CERT_ISSUER_COLUMN: issuer,
                        CERT_EXPIRY_COLUMN: expiry,
                    })
                }
            }
        })
        .collect()
}

const ASSET_TYPES_BASE: u64 = 252_614_470;
const ACCESSORIES_BASE: u64 = 252_614_480;

fn item_id(base: u64, index: usize) -> String {
    (base + index as u64).to_string()
}

/// The named lists behind the custom tables' list columns (one archived
/// asset type, for older rows).
pub(crate) fn lists() -> Vec<NamedList> {
    let items = |base: u64, labels: &[&str], archived: Option<&str>| -> Vec<ListItem> {
        let active = labels.iter().map(|l| (*l, false));
        (active.chain(archived.map(|l| (l, true))))
            .enumerate()
            .map(|(i, (label, archived))| ListItem {
                id: item_id(base, i),
                label: label.to_owned(),
                archived,
                parent: None,
            })
            .collect()
    };
    vec![
        NamedList {
            name: ASSET_TYPE_LIST.to_owned(),
            numeric_ids: false,
            items: items(ASSET_TYPES_BASE, ASSET_TYPES, Some("Pager (retired)")),
        },
        NamedList {
            name: ASSET_ACCESSORIES_LIST.to_owned(),
            numeric_ids: false,
            items: items(ACCESSORIES_BASE, ACCESSORIES, None),
        },
    ]
}
