//! Fields metadata (`GET /company/people/fields`) and named lists
//! (`GET /company/named-lists[/{listName}]`), plus two helpers built from
//! them: [`FieldCatalog`] (field ID → JSON path, list, category) and
//! [`ListResolver`] (list item ID → label).

use std::collections::HashMap;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::FieldId;
use super::employee::{Employee, de};

mod labels;
mod lists;

pub use labels::{LabelError, Labels};
pub use lists::{ListItem, ListResolver, NamedList, NamedListsResponse};

/// One field of `GET /company/people/fields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FieldMeta {
    /// The ID to request in a search's `fields` (`root.email`, `work.custom.field_…`).
    pub id: FieldId,
    /// Legacy duplicate of the category.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub category: Option<String>,
    /// Backend category ID (`work`, `category_1720508362305`): the unit of permissions.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub category_id: Option<String>,
    /// The category's name in the Bob UI.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub category_display_name: Option<String>,
    /// Display name.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub description: Option<String>,
    /// Dot path of the value in the employee JSON (root fields have no `root.`).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub json_path: Option<String>,
    /// The field type (JSON `type`).
    #[serde(rename = "type", default)]
    pub field_type: FieldType,
    /// Type details: the named list of list-like fields.
    #[serde(default, deserialize_with = "type_data")]
    pub type_data: TypeData,
    /// Whether the value comes from an effective-dated table.
    #[serde(default, deserialize_with = "de::bool_or_false")]
    pub historical: bool,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FieldMeta {
    /// A field with an ID and a type; everything else empty.
    pub fn new(id: FieldId, field_type: FieldType) -> Self {
        Self {
            id,
            category: None,
            category_id: None,
            category_display_name: None,
            name: None,
            description: None,
            json_path: None,
            field_type,
            type_data: TypeData::default(),
            historical: false,
            extra: Map::new(),
        }
    }

    /// The value's path in the employee JSON: `jsonPath`, else the ID's
    /// default path.
    pub fn json_path(&self) -> &str {
        match self.json_path.as_deref() {
            Some(path) if !path.is_empty() => path,
            _ => self.id.default_json_path(),
        }
    }
}

/// `typeData` of a field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TypeData {
    /// The named list holding the field's items (`department`, `site`…).
    #[serde(default, deserialize_with = "de::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    /// Any other member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn type_data<'de, D: Deserializer<'de>>(d: D) -> Result<TypeData, D::Error> {
    Ok(Option::<TypeData>::deserialize(d)?.unwrap_or_default())
}

macro_rules! field_types {
    ($($variant:ident => $wire:literal, $doc:literal;)*) => {
        /// A field's `type`. Open: types this crate does not know arrive as
        /// [`FieldType::Other`] with the exact wire string.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FieldType {
            $(#[doc = $doc] $variant,)*
            /// Any other type, as sent.
            Other(String),
        }

        impl FieldType {
            /// The wire string (`"multi-list"`, `"list_id"`…).
            pub fn as_str(&self) -> &str {
                match self {
                    $(FieldType::$variant => $wire,)*
                    FieldType::Other(other) => other,
                }
            }

            /// The type of a wire string (unknown ones become `Other`).
            pub fn parse(wire: &str) -> Self {
                match wire {
                    $($wire => FieldType::$variant,)*
                    other => FieldType::Other(other.to_owned()),
                }
            }
        }
    };
}

field_types! {
    Text => "text", "`text`.";
    TextArea => "text-area", "`text-area`.";
    Number => "number", "`number`.";
    Date => "date", "`date`: `YYYY-MM-DD`.";
    ShortDate => "short-date", "`short-date`: `MM-DD`.";
    Boolean => "boolean", "`boolean`.";
    Time => "time", "`time`: a zone-less timestamp.";
    List => "list", "`list`: a list item ID.";
    MultiList => "multi-list", "`multi-list`: list item IDs.";
    HierarchyList => "hierarchy-list", "`hierarchy-list`: an item of a tree list.";
    Currency => "currency", "`currency`: `{\"value\", \"currency\"}`.";
    EmployeeReference => "employee-reference", "`employee-reference`: an employee ID.";
    Employee => "employee", "`employee`: an embedded employee object.";
    Document => "document", "`document`: a numeric document ID.";
    ListId => "list_id", "`list_id`: a list item ID (e.g. `work.siteId`).";
    Avatar => "avatar", "`avatar`.";
    Period => "period", "`period`: `{\"humanize\", \"periodISO\", \"sortFactor\"}`.";
    Ssn => "ssn", "`ssn`.";
    WorkingPattern => "working_pattern", "`working_pattern`.";
    DurationWithUnit => "duration_with_unit", "`duration_with_unit`.";
}

impl FieldType {
    /// Whether values are list item IDs to resolve through a named list.
    pub fn is_list_like(&self) -> bool {
        matches!(
            self,
            FieldType::List | FieldType::MultiList | FieldType::HierarchyList | FieldType::ListId
        )
    }
}

impl Default for FieldType {
    /// `Other("")`: no type was sent.
    fn default() -> Self {
        FieldType::Other(String::new())
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FieldType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(de::opt_string(deserializer)?.map_or_else(FieldType::default, |s| FieldType::parse(&s)))
    }
}

/// The body of `GET /company/people/fields`: a bare array (what HiBob
/// sends) or `{"fields": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct FieldsResponse {
    /// The fields.
    pub fields: Vec<FieldMeta>,
}

impl<'de> Deserialize<'de> for FieldsResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Vec<FieldMeta>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of fields or {\"fields\": [...]}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(field) = seq.next_element()? {
                    fields.push(field);
                }
                Ok(fields)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "fields" {
                        fields = Some(map.next_value()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                fields.ok_or_else(|| serde::de::Error::missing_field("fields"))
            }
        }
        let fields = deserializer.deserialize_any(FieldsVisitor)?;
        Ok(FieldsResponse { fields })
    }
}

/// Fields metadata indexed by field ID.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<FieldMeta>", into = "Vec<FieldMeta>")]
pub struct FieldCatalog {
    fields: Vec<FieldMeta>,
    by_id: HashMap<FieldId, usize>,
}

impl From<Vec<FieldMeta>> for FieldCatalog {
    fn from(fields: Vec<FieldMeta>) -> Self {
        FieldCatalog::new(fields)
    }
}

impl From<FieldCatalog> for Vec<FieldMeta> {
    fn from(catalog: FieldCatalog) -> Self {
        catalog.fields
    }
}

impl FieldCatalog {
    /// Indexes `fields` (for a repeated ID, the first one wins).
    pub fn new(fields: Vec<FieldMeta>) -> Self {
        let mut by_id = HashMap::with_capacity(fields.len());
        for (i, field) in fields.iter().enumerate() {
            by_id.entry(field.id.clone()).or_insert(i);
        }
        Self { fields, by_id }
    }

    /// The metadata of a field.
    pub fn get(&self, id: &FieldId) -> Option<&FieldMeta> {
        self.by_id.get(id).map(|&i| &self.fields[i])
    }

    /// Where the field's value sits in the employee JSON: metadata
    /// `jsonPath`, else [`FieldId::default_json_path`].
    pub fn json_path(&self, id: &FieldId) -> String {
        match self.get(id) {
            Some(meta) => meta.json_path().to_owned(),
            None => id.default_json_path().to_owned(),
        }
    }

    /// The named list of a list-like field (`typeData.listId`).
    pub fn list_id(&self, id: &FieldId) -> Option<&str> {
        self.get(id)?.type_data.list_id.as_deref()
    }

    /// The category name shown in the Bob UI.
    pub fn category_display_name(&self, id: &FieldId) -> Option<&str> {
        self.get(id)?.category_display_name.as_deref()
    }

    /// All fields, in metadata order.
    pub fn iter(&self) -> impl Iterator<Item = &FieldMeta> {
        self.fields.iter()
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Requested field IDs the employee came back without: HiBob silently
    /// drops unpermitted and unknown IDs (`null` counts as present).
    pub fn missing_fields<'a>(
        &self,
        employee: &Employee,
        requested: impl IntoIterator<Item = &'a FieldId>,
    ) -> Vec<&'a FieldId> {
        requested
            .into_iter()
            .filter(|id| !employee.has_field(&self.json_path(id)))
            .collect()
    }

    /// Requested field IDs that came back for nobody: what HiBob withheld
    /// (or does not know). Empty when there are no employees, since then
    /// nothing can be told. Works on the one-shot search's employees as
    /// well as on those collected from a stream.
    pub fn missing_from_all(&self, requested: &[FieldId], employees: &[Employee]) -> Vec<FieldId> {
        if employees.is_empty() {
            return Vec::new();
        }
        requested
            .iter()
            .filter(|id| {
                let path = self.json_path(id);
                !employees.iter().any(|e| e.has_field(&path))
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests;
