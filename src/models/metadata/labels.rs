//! [`Labels`]: fields metadata and named lists together, turning the list
//! item IDs of employees and table rows into labels in one call.

use std::borrow::Cow;

use serde_json::Value;

use super::{FieldCatalog, FieldMeta, FieldType, ListResolver, NamedList};
use crate::models::FieldId;
use crate::models::employee::{Employee, de};

/// Fields metadata and every named list (archived items included): what it
/// takes to turn an employee's list item IDs into labels.
///
/// Get one with [`Client::metadata`](crate::Client::metadata)`().labels()`,
/// or build it with [`Labels::new`] from metadata you already read.
///
/// ```
/// use hibob::field;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
/// # let client = fake.client();
/// let labels = client.metadata().labels().await?;
/// let people = client
///     .people()
///     .search()
///     .fields([field::ID, field::TITLE, field::DEPARTMENT])
///     .await?;
/// let someone = &people.employees[0];
/// // `work.title` holds a list item ID such as "210011941"; this is its label.
/// let title = labels.label(someone, &field::TITLE)?;
/// assert!(title.is_some_and(|t| !t.chars().all(|c| c.is_ascii_digit())));
///
/// // Table rows hold item IDs too: label them by the field whose list backs the column.
/// let work = client.tables().work(someone.id().unwrap()).await?;
/// if let Some(department) = work.rows[0].department.as_deref() {
///     assert!(!labels.item_label(&field::DEPARTMENT, department)?.is_empty());
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Labels {
    /// Fields metadata, by field ID.
    pub catalog: FieldCatalog,
    /// List item labels, by list and item ID.
    pub lists: ListResolver,
}

/// Why [`Labels::label`] or [`Labels::item_label`] found no label. Each case
/// says what to do; [`UnknownItem`](Self::UnknownItem) also carries the
/// item, for callers who would rather show the ID than nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LabelError {
    /// Fields metadata does not list the field.
    #[error(
        "fields metadata has no field `{field}`: use a field ID listed by GET /company/people/fields"
    )]
    UnknownField {
        /// The field asked about.
        field: FieldId,
    },
    /// The field holds no list item: its type is not list-like (`text`,
    /// `date`…), or metadata names no list for it (`typeData.listId`).
    #[error(
        "field `{field}` is a `{field_type}` field, not backed by a named list: read its value instead of a label"
    )]
    NotAList {
        /// The field asked about.
        field: FieldId,
        /// Its type in fields metadata.
        field_type: FieldType,
    },
    /// The field's named list was not among the lists read.
    #[error(
        "field `{field}` uses the named list `{list}`, which was not among the named lists read: read the labels again with client.metadata().labels()"
    )]
    UnknownList {
        /// The field asked about.
        field: FieldId,
        /// Its list (`typeData.listId`).
        list: String,
    },
    /// The value is not an item of the field's list, archived items
    /// included: most likely an item added after the lists were read.
    #[error(
        "`{item}` is not an item of the named list `{list}` (field `{field}`), archived items included: it was probably added since the labels were read; read them again with client.metadata().labels()"
    )]
    UnknownItem {
        /// The field asked about.
        field: FieldId,
        /// Its list (`typeData.listId`).
        list: String,
        /// The value found, as text (the first unknown one of a multi-list).
        item: String,
    },
}

impl LabelError {
    /// The unlabelled item of an [`UnknownItem`](Self::UnknownItem) error:
    /// `labels.label(e, f).unwrap_or_else(|err| err.into_item().map(Into::into))`
    /// shows the ID where no label exists.
    pub fn into_item(self) -> Option<String> {
        match self {
            LabelError::UnknownItem { item, .. } => Some(item),
            _ => None,
        }
    }
}

impl Labels {
    /// Labels from fields metadata and named lists you already read (read
    /// the lists with `includeArchived`, or older records stay unlabelled).
    pub fn new(
        fields: impl Into<FieldCatalog>,
        lists: impl IntoIterator<Item = NamedList>,
    ) -> Self {
        Self {
            catalog: fields.into(),
            lists: ListResolver::new(lists),
        }
    }

    /// An employee's list-typed field as its label: `work.title`,
    /// `work.department`, `work.siteId`, `internal.lifecycleStatus`, custom
    /// list fields. The value is found through the field's `jsonPath` and
    /// looked up in its list (`typeData.listId`), archived items and
    /// hierarchy children included; a multi-list gives its labels joined
    /// with `", "`.
    ///
    /// - `Ok(None)`: the employee has no value (absent, `null`, `""` or `[]`).
    ///   HiBob omits what the service user may not see; see
    ///   [`FieldCatalog::missing_fields`] to tell.
    /// - `humanReadable`: with `APPEND` the machine value is used, and an
    ///   item unknown to the lists falls back to HiBob's own label in the
    ///   mirror. With `REPLACE` the value already is a label; one that names
    ///   an item of the field's list is returned as it is.
    /// - `Err`: the field is not in fields metadata, is not list-typed, its
    ///   list is missing, or the value is no item of it
    ///   ([`LabelError`]; never an empty string). For any field as display
    ///   text, unknown items kept as IDs, use [`display`](Self::display).
    pub fn label<'a>(
        &'a self,
        employee: &'a Employee,
        field: &FieldId,
    ) -> Result<Option<Cow<'a, str>>, LabelError> {
        let (meta, list) = self.list_of(field)?;
        let Some(value) = employee.field(meta.json_path()) else {
            return Ok(None);
        };
        let items = item_texts(&value);
        if items.is_empty() {
            return Ok(None);
        }
        let mut labels = Vec::with_capacity(items.len());
        for item in &items {
            match self.lookup(list, item) {
                Some(label) => labels.push(label),
                None => {
                    let mirror = employee.human_readable_field(meta.json_path());
                    return match mirror.filter(|m| !m.trim().is_empty()) {
                        Some(mirror) => Ok(Some(Cow::Borrowed(mirror))),
                        None => Err(unknown_item(field, list, item)),
                    };
                }
            }
        }
        Ok(Some(match labels.as_slice() {
            [one] => Cow::Borrowed(*one),
            many => Cow::Owned(many.join(", ")),
        }))
    }

    /// The label of a list item found in a table row, by the field whose
    /// list backs the column: `item_label(&field::TITLE, "210011952")` for a
    /// [`WorkEntry`](crate::tables::WorkEntry)'s `title`,
    /// [`field::DEPARTMENT`](crate::field::DEPARTMENT) for `department`,
    /// [`field::SITE_ID`](crate::field::SITE_ID) for `site_id`. Archived items
    /// and hierarchy children are included.
    ///
    /// Table rows carry IDs only (no `humanReadable`), so `item` must be an
    /// item ID: an unknown (or empty) one is [`LabelError::UnknownItem`].
    pub fn item_label(&self, field: &FieldId, item: &str) -> Result<&str, LabelError> {
        let (_, list) = self.list_of(field)?;
        self.lists
            .label(list, item)
            .ok_or_else(|| unknown_item(field, list, item))
    }

    /// Any field of an employee as display text: list items become labels
    /// (an unknown item stays its ID), other values their text. `None` when
    /// the employee has no value. The same as
    /// [`ListResolver::resolve_field`].
    pub fn display(&self, employee: &Employee, field: &FieldId) -> Option<String> {
        self.lists.resolve_field(&self.catalog, employee, field)
    }

    /// The field's metadata and list, or why it has none.
    fn list_of(&self, field: &FieldId) -> Result<(&FieldMeta, &str), LabelError> {
        let meta = self
            .catalog
            .get(field)
            .ok_or_else(|| LabelError::UnknownField {
                field: field.clone(),
            })?;
        let list = meta
            .type_data
            .list_id
            .as_deref()
            .filter(|list| !list.is_empty() && meta.field_type.is_list_like())
            .ok_or_else(|| LabelError::NotAList {
                field: field.clone(),
                field_type: meta.field_type.clone(),
            })?;
        if !self.lists.has_list(list) {
            return Err(LabelError::UnknownList {
                field: field.clone(),
                list: list.to_owned(),
            });
        }
        Ok((meta, list))
    }

    /// An item's label by ID, else the text itself when it already is one
    /// of the list's labels (`humanReadable: REPLACE`).
    fn lookup<'a>(&'a self, list: &str, item: &str) -> Option<&'a str> {
        self.lists
            .label(list, item)
            .or_else(|| self.lists.find_label(list, item))
    }
}

fn unknown_item(field: &FieldId, list: &str, item: &str) -> LabelError {
    LabelError::UnknownItem {
        field: field.clone(),
        list: list.to_owned(),
        item: item.to_owned(),
    }
}

/// The item texts of a value: one for a scalar, one per element of an array;
/// blanks and `null`s skipped. Objects are kept as JSON text (they match no item).
fn item_texts(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::Null => None,
        Value::Object(_) | Value::Array(_) => Some(v.to_string()),
        other => de::scalar_text(other),
    };
    let texts: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    texts.into_iter().filter(|t| !t.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests;
