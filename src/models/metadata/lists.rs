//! Named lists and list item resolution.

use std::collections::HashMap;
use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::FieldCatalog;
use crate::models::FieldId;
use crate::models::employee::{Employee, de};

/// One item of a named list; hierarchy lists nest items in `children`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListItem {
    /// The item ID as HiBob stores it in employee fields (a string or a
    /// number in JSON, kept as exact text).
    #[serde(default, deserialize_with = "id_text")]
    pub id: String,
    /// The item's value (usually the same as its name).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The item's display name.
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the item is archived (older records may still use it).
    #[serde(default, deserialize_with = "de::bool_or_false")]
    pub archived: bool,
    /// Child items (hierarchy lists).
    #[serde(default, deserialize_with = "de::vec_or_empty")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ListItem>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(de::opt_id_text(d)?.unwrap_or_default())
}

impl ListItem {
    /// What to show: `name`, else `value`.
    pub fn label(&self) -> Option<&str> {
        self.name.as_deref().or(self.value.as_deref())
    }
}

/// A named list: `GET /company/named-lists/{listName}` →
/// `{"name": …, "values": [...], "items": [...]}`. HiBob repeats the items
/// under both keys; they are merged once (by ID, `items` first).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NamedList {
    /// The list's name (what fields metadata calls `typeData.listId`;
    /// case-sensitive).
    pub name: String,
    /// The top-level items.
    pub items: Vec<ListItem>,
}

impl NamedList {
    /// A list with items.
    pub fn new(name: impl Into<String>, items: Vec<ListItem>) -> Self {
        Self {
            name: name.into(),
            items,
        }
    }
}

#[derive(Deserialize)]
struct RawList {
    #[serde(default, deserialize_with = "de::opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "de::vec_or_empty")]
    items: Vec<ListItem>,
    #[serde(default, deserialize_with = "de::vec_or_empty")]
    values: Vec<ListItem>,
}

impl<'de> Deserialize<'de> for NamedList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let RawList {
            name,
            mut items,
            values,
        } = RawList::deserialize(deserializer)?;
        for item in values {
            if !items.iter().any(|i| i.id == item.id) {
                items.push(item);
            }
        }
        Ok(NamedList {
            name: name.unwrap_or_default(),
            items,
        })
    }
}

/// The body of `GET /company/named-lists`: an object keyed by list name
/// (what HiBob sends), `{"lists": [...]}`, or a bare array.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct NamedListsResponse {
    /// The lists.
    pub lists: Vec<NamedList>,
}

/// A member of the keyed form: one list, or the `lists` array.
struct ListOrLists;

enum OneOrMany {
    One(NamedList),
    Many(Vec<NamedList>),
    Nothing,
}

impl<'de> DeserializeSeed<'de> for ListOrLists {
    type Value = OneOrMany;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<OneOrMany, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListOrLists {
    type Value = OneOrMany;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a named list or an array of named lists")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
        let mut lists = Vec::new();
        while let Some(list) = seq.next_element()? {
            lists.push(list);
        }
        Ok(OneOrMany::Many(lists))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OneOrMany, A::Error> {
        NamedList::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
    }
    fn visit_unit<E>(self) -> Result<OneOrMany, E> {
        Ok(OneOrMany::Nothing)
    }
    fn visit_none<E>(self) -> Result<OneOrMany, E> {
        Ok(OneOrMany::Nothing)
    }
}

struct ListsVisitor;

impl<'de> Visitor<'de> for ListsVisitor {
    type Value = Vec<NamedList>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("named lists keyed by name, {\"lists\": [...]}, or an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        match ListOrLists.visit_seq(seq)? {
            OneOrMany::Many(lists) => Ok(lists),
            _ => Ok(Vec::new()),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut lists = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match map.next_value_seed(ListOrLists)? {
                OneOrMany::One(mut list) => {
                    if list.name.is_empty() {
                        list.name = key;
                    }
                    lists.push(list);
                }
                OneOrMany::Many(more) => lists.extend(more),
                OneOrMany::Nothing => {}
            }
        }
        Ok(lists)
    }
}

impl<'de> Deserialize<'de> for NamedListsResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let lists = deserializer.deserialize_any(ListsVisitor)?;
        Ok(NamedListsResponse { lists })
    }
}

/// Turns list item IDs into labels. Built from named lists fetched with
/// `includeArchived=true` so older records resolve too.
#[derive(Debug, Clone, Default)]
pub struct ListResolver {
    labels: HashMap<String, HashMap<String, String>>,
    /// The parent item of each hierarchy child, by list and item ID.
    parents: HashMap<String, HashMap<String, String>>,
}

impl ListResolver {
    /// Indexes every item of every list, hierarchy children included.
    pub fn new(lists: impl IntoIterator<Item = NamedList>) -> Self {
        type Index = HashMap<String, String>;
        fn walk(items: &[ListItem], parent: Option<&str>, into: &mut Index, up: &mut Index) {
            for item in items {
                if let Some(label) = item.label() {
                    into.entry(item.id.clone())
                        .or_insert_with(|| label.to_owned());
                }
                if let Some(parent) = parent {
                    up.entry(item.id.clone())
                        .or_insert_with(|| parent.to_owned());
                }
                walk(&item.children, Some(&item.id), into, up);
            }
        }
        let mut labels: HashMap<String, Index> = HashMap::new();
        let mut parents: HashMap<String, Index> = HashMap::new();
        for list in lists {
            let up = parents.entry(list.name.clone()).or_default();
            walk(&list.items, None, labels.entry(list.name).or_default(), up);
        }
        parents.retain(|_, up| !up.is_empty());
        Self { labels, parents }
    }

    /// The parent item ID of `item_id` in a hierarchy list (`None` for a
    /// top-level item, an unknown item or a flat list).
    pub fn parent(&self, list_id: &str, item_id: &str) -> Option<&str> {
        self.parents.get(list_id)?.get(item_id).map(String::as_str)
    }

    /// The label of `item_id` in the list `list_id`.
    pub fn label(&self, list_id: &str, item_id: &str) -> Option<&str> {
        self.labels.get(list_id)?.get(item_id).map(String::as_str)
    }

    /// Whether the list `list_id` was among the lists indexed.
    pub(crate) fn has_list(&self, list_id: &str) -> bool {
        self.labels.contains_key(list_id)
    }

    /// `text` itself when it is the label of an item of `list_id` (what a
    /// `humanReadable: REPLACE` read sends instead of the item ID).
    pub(crate) fn find_label(&self, list_id: &str, text: &str) -> Option<&str> {
        self.labels
            .get(list_id)?
            .values()
            .find(|label| *label == text)
            .map(String::as_str)
    }

    /// A field value as display text: list item IDs of list-like fields
    /// become labels (unknown IDs stay as they are; multi-list values are
    /// joined with `", "`); other values become their display string
    /// (strings as-is, numbers and booleans as text). `null` → `None`.
    pub fn resolve(
        &self,
        catalog: &FieldCatalog,
        field: &FieldId,
        value: &Value,
    ) -> Option<String> {
        let list = catalog
            .get(field)
            .filter(|meta| meta.field_type.is_list_like())
            .and_then(|meta| meta.type_data.list_id.as_deref());
        let one = |v: &Value| -> Option<String> {
            let text = display(v)?;
            match list.and_then(|list| self.label(list, &text)) {
                Some(label) => Some(label.to_owned()),
                None => Some(text),
            }
        };
        match value {
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().filter_map(one).collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            other => one(other),
        }
    }

    /// Reads `field` from an employee (through the catalog's JSON path) and
    /// resolves it like [`resolve`](Self::resolve).
    pub fn resolve_field(
        &self,
        catalog: &FieldCatalog,
        employee: &Employee,
        field: &FieldId,
    ) -> Option<String> {
        let meta = catalog.get(field);
        let path = meta.map_or_else(|| field.default_json_path(), |meta| meta.json_path());
        // A scalar (almost every value) resolves without building a `Value`.
        if let Some(text) = employee.text(path) {
            let list = meta
                .filter(|meta| meta.field_type.is_list_like())
                .and_then(|meta| meta.type_data.list_id.as_deref());
            return Some(match list.and_then(|list| self.label(list, &text)) {
                Some(label) => label.to_owned(),
                None => text.into_owned(),
            });
        }
        let value = employee.field(path)?;
        self.resolve(catalog, field, &value)
    }
}

fn display(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(display).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(_) => Some(value.to_string()),
        other => de::scalar_text(other),
    }
}
