//! The custom-table metadata cached per client, and the Bob permission a
//! custom-table 403 names: the table's own category, found in that metadata
//! (its name from fields metadata when the category is an ID).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use super::METADATA;
use crate::metadata::FieldMeta;
use crate::metadata::checks;
use crate::models::custom_tables::CustomTable;
use crate::{Client, Error};

/// What a 403 on a custom-table read names when the table's category is
/// not known (the metadata was not read, or is not readable).
pub(crate) const VIEW_ANY: &str = "People's Data > People's fields > the custom table's category > View selected employees' sections of that category";
/// The same for a custom-table write.
pub(crate) const EDIT_ANY: &str = "People's Data > People's fields > the custom table's category > Edit selected employees' sections of that category";

/// Whether a request reads or writes, for the permission's last words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    View,
    Edit,
}

/// Every custom table's metadata, from the client's cache while it is fresh.
pub(crate) async fn tables(client: &Client) -> Result<Arc<Vec<CustomTable>>, Error> {
    let cache = &client.inner.custom_tables_cache;
    if let Some(tables) = cache.fresh::<Vec<CustomTable>>() {
        return Ok(tables);
    }
    read_tables(client).await
}

/// Reads every custom table's metadata and keeps it in the client's cache.
pub(crate) async fn read_tables(client: &Client) -> Result<Arc<Vec<CustomTable>>, Error> {
    let tables = METADATA.send(client, &[], &(), &()).await?.value.tables;
    Ok(client.inner.custom_tables_cache.store(tables))
}

/// One table's metadata from the cache; a table the cache does not have
/// (created since it was read) reads the metadata again once. `None` when
/// the company has no such table.
pub(crate) async fn table(client: &Client, table_id: &str) -> Result<Option<CustomTable>, Error> {
    let find = |tables: &[CustomTable]| tables.iter().find(|t| t.id == table_id).cloned();
    let cached = tables(client).await?;
    if let Some(table) = find(&cached) {
        return Ok(Some(table));
    }
    Ok(find(&read_tables(client).await?))
}

/// `error` with a hint naming the table's own category when it is a 403;
/// any other error as it is. The metadata it needs comes from the cache or
/// is read now; when that read fails too (it is denied as well), the
/// generic hint stays.
pub(crate) async fn explain(
    client: &Client,
    table_id: &str,
    access: Access,
    error: Error,
) -> Error {
    let Error::PermissionDenied {
        operation,
        status,
        hint,
        body,
    } = error
    else {
        return error;
    };
    let specific = match table(client, table_id).await {
        Ok(Some(table)) => {
            let fields = checks::fields(client).await.ok();
            Some(hint_for(
                &table,
                fields.as_deref().map(Vec::as_slice),
                access,
            ))
        }
        _ => None,
    };
    Error::PermissionDenied {
        operation,
        status,
        hint: specific.and_then(intern).or(hint),
        body,
    }
}

/// The hint from what the client already has cached, without a request:
/// what a bulk read (whose hint is fixed when it is built) names.
pub(crate) fn cached_hint(client: &Client, table_id: &str, access: Access) -> Option<&'static str> {
    let tables = client
        .inner
        .custom_tables_cache
        .fresh::<Vec<CustomTable>>()?;
    let table = tables.iter().find(|t| t.id == table_id)?;
    let fields = client.inner.fields_cache.fresh::<Vec<FieldMeta>>();
    intern(hint_for(
        table,
        fields.as_deref().map(Vec::as_slice),
        access,
    ))
}

/// The permission in Bob's words: `People's Data > People's fields > Assets >
/// View selected employees' Assets sections`. A category sent as an ID
/// (`category_1663597893461`) is named by fields metadata when a field of
/// it is listed there, else by its ID and the table's name.
pub(crate) fn hint_for(
    table: &CustomTable,
    fields: Option<&[FieldMeta]>,
    access: Access,
) -> String {
    let verb = match access {
        Access::View => "View",
        Access::Edit => "Edit",
    };
    let Some(category) = table.category.as_deref().filter(|c| !c.trim().is_empty()) else {
        let any = if access == Access::View {
            VIEW_ANY
        } else {
            EDIT_ANY
        };
        return format!("{any} (custom table \"{}\")", table.display_name());
    };
    let named = fields
        .into_iter()
        .flatten()
        .filter(|f| f.category_id.as_deref() == Some(category))
        .find_map(|f| f.category_display_name.as_deref())
        .filter(|name| !name.trim().is_empty());
    match named {
        Some(name) => category_words(name, verb),
        None if !looks_like_id(category) => category_words(category, verb),
        None => format!(
            "People's Data > People's fields > the category `{category}` of custom table \"{}\" > {verb} selected employees' sections of that category",
            table.display_name()
        ),
    }
}

fn category_words(name: &str, verb: &str) -> String {
    format!("People's Data > People's fields > {name} > {verb} selected employees' {name} sections")
}

/// `category_1663597893461`, or digits only: an ID, not a name.
fn looks_like_id(category: &str) -> bool {
    let digits = category.strip_prefix("category_").unwrap_or(category);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// Distinct hints a process keeps: one or two per custom table.
const MAX_HINTS: usize = 512;

/// A hint as `&'static str` (what `Error::PermissionDenied` carries),
/// stored once for the life of the process; `None` once the store is full.
fn intern(hint: String) -> Option<&'static str> {
    static HINTS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut hints = HINTS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = hints.get(hint.as_str()) {
        return Some(known);
    }
    if hints.len() >= MAX_HINTS {
        return None;
    }
    let leaked: &'static str = Box::leak(hint.into_boxed_str());
    hints.insert(leaked);
    Some(leaked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::FieldType;

    fn table(category: Option<&str>) -> CustomTable {
        serde_json::from_value(serde_json::json!({
            "id": "1663597893462", "name": "Assets", "category": category, "columns": []
        }))
        .unwrap()
    }

    #[test]
    fn the_hint_names_the_category_by_name_or_id() {
        let mut field = FieldMeta::new("category_1.field_1".into(), FieldType::Text);
        field.category_id = Some("category_1".into());
        field.category_display_name = Some("Equipment".into());
        let fields = [field];
        let named = hint_for(&table(Some("category_1")), Some(&fields), Access::View);
        assert_eq!(
            named,
            "People's Data > People's fields > Equipment > View selected employees' Equipment sections"
        );
        let unnamed = hint_for(&table(Some("category_2")), Some(&fields), Access::Edit);
        assert!(
            unnamed.contains("`category_2` of custom table \"Assets\" > Edit"),
            "{unnamed}"
        );
        let word = hint_for(&table(Some("Assets")), None, Access::View);
        assert!(
            word.contains("> Assets > View selected employees' Assets sections"),
            "{word}"
        );
        let none = hint_for(&table(None), None, Access::View);
        assert!(
            none.starts_with(VIEW_ANY) && none.contains("\"Assets\""),
            "{none}"
        );
    }

    #[test]
    fn hints_are_interned_once() {
        let a = intern("People's Data > x".to_owned()).unwrap();
        let b = intern("People's Data > x".to_owned()).unwrap();
        assert!(std::ptr::eq(a, b));
    }
}
