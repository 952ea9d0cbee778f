//! The checks people updates make before sending: each field of
//! `PUT /people/{identifier}` against the company's fields metadata (unknown
//! IDs and historical fields are refused, with what to use instead). Also the
//! one body helper people writes share: a value placed at its JSON path. The
//! format checks live in [`metadata::checks`](crate::metadata::checks).

use serde_json::{Map, Value};

use crate::Error;
use crate::error::FieldProblem;
use crate::metadata::NamedList;
use crate::metadata::checks::{self, check_date, check_list_item};
pub(crate) use crate::metadata::checks::{check_email, check_text};
use crate::models::metadata::FieldMeta;

/// Fields HiBob keeps in a dated table, with what changes each instead:
/// refused by an update even when metadata does not mark them historical.
/// From HiBob's "Create an employee" guide (`work.site`, `work.startDate` and
/// the other work fields are columns of the work table) and the fields
/// metadata example (`work.department` is `historical: true`).
const HISTORICAL: &[(&str, &str)] = &[
    ("work.title", WORK_ENTRY),
    ("work.department", WORK_ENTRY),
    ("work.site", WORK_ENTRY),
    ("work.siteId", WORK_ENTRY),
    ("work.manager", WORK_ENTRY),
    ("work.reportsTo", WORK_ENTRY),
    (
        "work.startDate",
        "people().set_start_date(..) (`POST /employees/{employeeId}/start-date`)",
    ),
    ("internal.status", LIFECYCLE),
    ("internal.lifecycleStatus", LIFECYCLE),
];

const WORK_ENTRY: &str = "a work entry with an effective date (`POST /people/{id}/work`)";
const EMPLOYMENT_ENTRY: &str =
    "an employment entry with an effective date (`POST /people/{id}/employment`)";
const SALARY_ENTRY: &str = "a salary entry with an effective date (`POST /people/{id}/salaries`)";
const LIFECYCLE: &str = "people().terminate(..) (`POST /employees/{identifier}/terminate`) or a lifecycle change in Bob";

/// The table entry that changes a historical field, by its ID.
pub(crate) fn use_instead(field_id: &str) -> &'static str {
    if let Some((_, instead)) = HISTORICAL.iter().find(|(id, _)| *id == field_id) {
        return instead;
    }
    match field_id.split('.').next().unwrap_or_default() {
        "work" => WORK_ENTRY,
        "internal" | "lifecycle" => LIFECYCLE,
        _ if field_id.starts_with("payroll.employment.") => EMPLOYMENT_ENTRY,
        _ if field_id.starts_with("payroll.salary.") => SALARY_ENTRY,
        _ => "the entry of the table this field belongs to, with an effective date",
    }
}

/// Whether the field is historical: metadata says so, or the field is one
/// of the documented table columns.
fn is_historical(meta: &FieldMeta) -> bool {
    meta.historical || HISTORICAL.iter().any(|(id, _)| *id == meta.id.as_str())
}

/// Fields an update refuses because another endpoint owns them.
fn owned_elsewhere(field_id: &str) -> Option<&'static str> {
    match field_id {
        "root.email" => Some("people().set_email(..) (`PUT /people/{id}/email`)"),
        _ => None,
    }
}

/// Checks each `(field ID, value)` of an update against metadata and builds
/// the body: every value at its field's JSON path (root fields at the top,
/// `work.custom.field_…` nested).
pub(crate) fn update_body(
    metadata: &[FieldMeta],
    lists: Option<&[NamedList]>,
    values: &[(String, Value)],
) -> Result<Map<String, Value>, Error> {
    let mut body = Map::new();
    for (id, value) in values {
        if let Some(instead) = owned_elsewhere(id) {
            return Err(Error::InvalidField {
                field: id.clone(),
                problem: FieldProblem::Historical {
                    use_instead: instead.to_owned(),
                },
            });
        }
        let Some(meta) = metadata.iter().find(|m| m.id.as_str() == id) else {
            return Err(Error::InvalidField {
                field: id.clone(),
                problem: FieldProblem::Unknown,
            });
        };
        if is_historical(meta) {
            return Err(Error::InvalidField {
                field: id.clone(),
                problem: FieldProblem::Historical {
                    use_instead: use_instead(id).to_owned(),
                },
            });
        }
        if meta.field_type.as_str() == "date" {
            check_date(id, value)?;
        }
        if let Some(lists) = lists {
            check_list_value(lists, meta, value)?;
        }
        set_path(&mut body, meta.json_path(), value.clone())
            .map_err(|message| Error::invalid(format!("field `{id}`: {message}")))?;
    }
    Ok(body)
}

/// Whether an update may set a list-like field, so its values need the
/// named lists (historical and unknown fields are refused without them).
pub(crate) fn needs_lists(metadata: &[FieldMeta], field_id: &str) -> bool {
    metadata.iter().any(|meta| {
        meta.id.as_str() == field_id
            && meta.field_type.is_list_like()
            && meta.type_data.list_id.is_some()
            && !is_historical(meta)
    })
}

/// Checks a create's `(JSON path, value)` pairs against metadata: a path no
/// field has is refused as unknown (HiBob would drop it), and a list-like
/// field's value must be an active item of its named list, by ID or label.
/// Historical fields are fine here: a create makes their first entry.
/// Without `lists` (not readable), list values are left to HiBob.
pub(crate) fn check_create(
    metadata: &[FieldMeta],
    lists: Option<&[NamedList]>,
    sent: &[(String, Value)],
) -> Result<(), Error> {
    for (path, value) in sent {
        let Some(meta) = metadata.iter().find(|m| m.json_path() == path) else {
            return Err(Error::InvalidField {
                field: path.clone(),
                problem: FieldProblem::Unknown,
            });
        };
        match (lists, value.as_str()) {
            // The create takes the site's name, which metadata may type as text.
            (Some(lists), Some(site)) if path == "work.site" => {
                check_list_item(lists, path, "site", site)?;
            }
            (Some(lists), _) => check_list_value(lists, meta, value)?,
            (None, _) => {}
        }
    }
    Ok(())
}

/// Checks a list-like field's value (one item, or an array of items for a
/// multi-list) against its named list; `null` clears the field and passes.
fn check_list_value(lists: &[NamedList], meta: &FieldMeta, value: &Value) -> Result<(), Error> {
    let Some(list) = meta.type_data.list_id.as_deref() else {
        return Ok(());
    };
    if !meta.field_type.is_list_like() {
        return Ok(());
    }
    checks::check_list_value(lists, meta.id.as_str(), list, value)
}

/// Puts `value` at dotted `path` in `object`, creating the objects between.
pub(crate) fn set_path(
    object: &mut Map<String, Value>,
    path: &str,
    value: Value,
) -> Result<(), String> {
    let mut segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!("`{path}` is not a JSON path"));
    }
    let last = segments.pop().expect("split yields at least one segment");
    let mut here = object;
    for segment in segments {
        let next = here
            .entry(segment)
            .or_insert_with(|| Value::Object(Map::new()));
        here = next
            .as_object_mut()
            .ok_or_else(|| format!("`{path}` runs through `{segment}`, which has a value"))?;
    }
    if here.contains_key(last) {
        return Err(format!("`{path}` is given twice"));
    }
    here.insert(last.to_owned(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::models::FieldId;
    use crate::models::metadata::FieldType;

    fn meta(id: &str, path: &str, kind: &str, historical: bool) -> FieldMeta {
        let mut meta = FieldMeta::new(FieldId::custom(id), FieldType::parse(kind));
        meta.json_path = Some(path.to_owned());
        meta.historical = historical;
        meta
    }

    fn catalog() -> Vec<FieldMeta> {
        vec![
            meta("root.firstName", "firstName", "text", false),
            meta("home.mobilePhone", "home.mobilePhone", "text", false),
            meta("personal.birthDate", "personal.birthDate", "date", false),
            meta("work.title", "work.title", "list", true),
            // Metadata that forgets the flag: the documented list still refuses it.
            meta("work.site", "work.site", "text", false),
            meta(
                "payroll.employment.type",
                "payroll.employment.type",
                "text",
                true,
            ),
        ]
    }

    fn problem(result: Result<Map<String, Value>, Error>) -> (String, FieldProblem) {
        match result {
            Err(Error::InvalidField { field, problem }) => (field, problem),
            other => panic!("expected InvalidField, got {other:?}"),
        }
    }

    #[test]
    fn an_update_body_puts_each_value_at_its_json_path() {
        let values = [
            ("root.firstName".to_owned(), json!("Jacky")),
            ("home.mobilePhone".to_owned(), json!("63635356")),
        ];
        let body = update_body(&catalog(), None, &values).unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"firstName": "Jacky", "home": {"mobilePhone": "63635356"}})
        );
    }

    #[test]
    fn unknown_and_historical_fields_are_refused_by_name() {
        let unknown = update_body(&catalog(), None, &[("home.nickname".into(), json!("x"))]);
        assert_eq!(
            problem(unknown),
            ("home.nickname".into(), FieldProblem::Unknown)
        );
        for (id, table) in [
            ("work.title", "work entry"),
            ("work.site", "work entry"),
            ("payroll.employment.type", "employment entry"),
        ] {
            let (field, refused) =
                problem(update_body(&catalog(), None, &[(id.into(), json!("x"))]));
            assert_eq!(field, id);
            let text = Error::InvalidField {
                field,
                problem: refused,
            }
            .to_string();
            assert!(text.contains(table), "{text}");
        }
        let email = update_body(&catalog(), None, &[("root.email".into(), json!("a@b.co"))]);
        let (_, refused) = problem(email);
        assert!(refused.to_string().contains("set_email"), "{refused}");
    }

    #[test]
    fn dates_must_be_iso() {
        let bad = update_body(
            &catalog(),
            None,
            &[("personal.birthDate".into(), json!("01/02/2002"))],
        );
        let (field, refused) = problem(bad);
        assert_eq!(field, "personal.birthDate");
        assert!(matches!(refused, FieldProblem::Format { .. }));
        let good = update_body(
            &catalog(),
            None,
            &[("personal.birthDate".into(), json!("2002-01-02"))],
        );
        assert!(good.is_ok());
    }

    #[test]
    fn paths_never_overwrite() {
        let mut body = Map::new();
        set_path(&mut body, "work.title", json!("1")).unwrap();
        assert!(set_path(&mut body, "work.title", json!("2")).is_err());
        assert!(set_path(&mut body, "work.title.x", json!("2")).is_err());
        assert!(set_path(&mut body, "work..x", json!("2")).is_err());
        assert_eq!(Value::Object(body), json!({"work": {"title": "1"}}));
    }
}
