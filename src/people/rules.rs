//! The checks people writes make before sending: e-mail format, and for
//! `PUT /people/{identifier}` each field against the company's fields
//! metadata (unknown IDs and historical fields are refused, with what to use
//! instead). Also the one body helper they share: a value placed at its
//! JSON path.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::FieldProblem;
use crate::models::metadata::FieldMeta;
use crate::{Client, Error};

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

/// Refuses a malformed e-mail address, naming the field.
pub(crate) fn check_email(field: &str, email: &str) -> Result<(), Error> {
    if is_email(email) {
        return Ok(());
    }
    Err(Error::InvalidField {
        field: field.to_owned(),
        problem: FieldProblem::Format {
            expected: "an e-mail address (local@domain.tld, no spaces)".to_owned(),
        },
    })
}

/// One `@`, a non-empty local part, a dotted domain, nothing blank: the
/// shape every address HiBob takes has (not full RFC 5322).
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
}

/// Refuses a blank required text, naming the field.
pub(crate) fn check_text(field: &str, text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::InvalidField {
            field: field.to_owned(),
            problem: FieldProblem::Format {
                expected: "a non-empty text".to_owned(),
            },
        });
    }
    Ok(())
}

/// Refuses a date field whose value is not an ISO `YYYY-MM-DD` string.
fn check_date(field: &str, value: &Value) -> Result<(), Error> {
    let ok = value
        .as_str()
        .is_some_and(|s| s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok());
    if ok || value.is_null() {
        return Ok(());
    }
    Err(Error::InvalidField {
        field: field.to_owned(),
        problem: FieldProblem::Format {
            expected: "a date as \"YYYY-MM-DD\"".to_owned(),
        },
    })
}

/// The company's fields metadata, from the client's cache while it is fresh.
pub(crate) async fn fields_metadata(client: &Client) -> Result<Arc<Vec<FieldMeta>>, Error> {
    let cache = &client.inner.fields_cache;
    if let Some(fields) = cache.fresh::<Vec<FieldMeta>>() {
        return Ok(fields);
    }
    let fields = client.metadata().fields().await?;
    Ok(cache.store(fields))
}

/// Checks each `(field ID, value)` of an update against metadata and builds
/// the body: every value at its field's JSON path (root fields at the top,
/// `work.custom.field_…` nested).
pub(crate) fn update_body(
    metadata: &[FieldMeta],
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
        set_path(&mut body, meta.json_path(), value.clone())
            .map_err(|message| Error::invalid(format!("field `{id}`: {message}")))?;
    }
    Ok(body)
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
        let body = update_body(&catalog(), &values).unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"firstName": "Jacky", "home": {"mobilePhone": "63635356"}})
        );
    }

    #[test]
    fn unknown_and_historical_fields_are_refused_by_name() {
        let unknown = update_body(&catalog(), &[("home.nickname".into(), json!("x"))]);
        assert_eq!(
            problem(unknown),
            ("home.nickname".into(), FieldProblem::Unknown)
        );
        for (id, table) in [
            ("work.title", "work entry"),
            ("work.site", "work entry"),
            ("payroll.employment.type", "employment entry"),
        ] {
            let (field, refused) = problem(update_body(&catalog(), &[(id.into(), json!("x"))]));
            assert_eq!(field, id);
            let text = Error::InvalidField {
                field,
                problem: refused,
            }
            .to_string();
            assert!(text.contains(table), "{text}");
        }
        let email = update_body(&catalog(), &[("root.email".into(), json!("a@b.co"))]);
        let (_, refused) = problem(email);
        assert!(refused.to_string().contains("set_email"), "{refused}");
    }

    #[test]
    fn dates_must_be_iso() {
        let bad = update_body(
            &catalog(),
            &[("personal.birthDate".into(), json!("01/02/2002"))],
        );
        let (field, refused) = problem(bad);
        assert_eq!(field, "personal.birthDate");
        assert!(matches!(refused, FieldProblem::Format { .. }));
        let good = update_body(
            &catalog(),
            &[("personal.birthDate".into(), json!("2002-01-02"))],
        );
        assert!(good.is_ok());
    }

    #[test]
    fn e_mail_addresses_have_one_at_and_a_dotted_domain() {
        for good in ["ada@example.com", "a.b+tag@mail.example.co.uk"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "a@b@c.de",
            "ada @x.io",
            "a@x..io",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
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
