use serde_json::{Value, json};

use super::*;
use crate::field;
use crate::models::metadata::{FieldsResponse, NamedListsResponse};

const FIELDS: &str = include_str!("../../../../tests/fixtures/fields.json");
const LISTS: &str = include_str!("../../../../tests/fixtures/named_lists.json");

fn labels() -> Labels {
    let fields = serde_json::from_str::<FieldsResponse>(FIELDS)
        .unwrap()
        .fields;
    let lists = serde_json::from_str::<NamedListsResponse>(LISTS)
        .unwrap()
        .lists;
    Labels::new(fields, lists)
}

fn employee(value: Value) -> Employee {
    Employee::from_value(value).unwrap()
}

fn label(labels: &Labels, e: &Employee, f: &FieldId) -> Result<Option<String>, LabelError> {
    labels.label(e, f).map(|l| l.map(Cow::into_owned))
}

#[test]
fn list_fields_become_labels_archived_and_nested_included() {
    let labels = labels();
    let e = employee(json!({
        "work": {
            "department": "209192170",
            "siteId": 2606110,
            "custom": {"field_1698036945383": "CC-12a"}
        },
        "about": {"hobbies": ["h1", "h2"]}
    }));
    let cc = FieldId::from("work.custom.field_1698036945383");
    let hobbies = FieldId::from("about.hobbies");
    let got = |f: &FieldId| label(&labels, &e, f).unwrap();
    assert_eq!(
        got(&field::DEPARTMENT).as_deref(),
        Some("Old Sales"),
        "archived"
    );
    assert_eq!(
        got(&field::SITE_ID).as_deref(),
        Some("London (Demo)"),
        "numeric ID"
    );
    assert_eq!(
        got(&cc).as_deref(),
        Some("CC 12a – Finance"),
        "hierarchy child"
    );
    assert_eq!(
        got(&hobbies).as_deref(),
        Some("Cycling, Chess"),
        "multi-list"
    );
}

#[test]
fn no_value_is_none_not_an_empty_label() {
    let labels = labels();
    for value in [
        json!({}),
        json!({"work": {"department": null}}),
        json!({"work": {"department": ""}}),
        json!({"work": {"department": "  "}}),
    ] {
        let e = employee(value.clone());
        assert_eq!(label(&labels, &e, &field::DEPARTMENT), Ok(None), "{value}");
    }
    let e = employee(json!({"about": {"hobbies": []}}));
    assert_eq!(
        label(&labels, &e, &FieldId::from("about.hobbies")),
        Ok(None)
    );
}

#[test]
fn each_failure_has_its_own_error() {
    let labels = labels();
    let e = employee(json!({
        "email": "a@example.com",
        "surname": "Smith",
        "work": {"department": "999"},
        "about": {"hobbies": ["h1", "h9"]}
    }));
    assert_eq!(
        label(&labels, &e, &field::EMAIL),
        Err(LabelError::NotAList {
            field: field::EMAIL,
            field_type: FieldType::Text
        })
    );
    assert_eq!(
        label(&labels, &e, &field::SURNAME),
        Err(LabelError::UnknownField {
            field: field::SURNAME
        }),
        "not in the fixture's metadata"
    );
    let unknown = label(&labels, &e, &field::DEPARTMENT).unwrap_err();
    assert_eq!(
        unknown,
        LabelError::UnknownItem {
            field: field::DEPARTMENT,
            list: "department".into(),
            item: "999".into()
        }
    );
    assert!(unknown.to_string().contains("client.metadata().labels()"));
    assert_eq!(unknown.into_item().as_deref(), Some("999"));
    let partly = label(&labels, &e, &FieldId::from("about.hobbies")).unwrap_err();
    assert_eq!(partly.into_item().as_deref(), Some("h9"), "the unknown one");

    let no_lists = Labels::new(labels.catalog.clone(), []);
    let err = label(&no_lists, &e, &field::DEPARTMENT).unwrap_err();
    assert!(matches!(&err, LabelError::UnknownList { list, .. } if list == "department"));
    assert_eq!(err.into_item(), None);
}

#[test]
fn a_list_type_without_a_list_is_not_a_list_field() {
    let mut meta = FieldMeta::new(FieldId::from("work.custom.orphan"), FieldType::List);
    meta.type_data.list_id = Some(String::new());
    let labels = Labels::new(vec![meta], []);
    let e = employee(json!({"work": {"custom": {"orphan": "x"}}}));
    let err = label(&labels, &e, &FieldId::from("work.custom.orphan")).unwrap_err();
    assert!(matches!(
        err,
        LabelError::NotAList {
            field_type: FieldType::List,
            ..
        }
    ));
}

#[test]
fn human_readable_append_falls_back_to_hibobs_label_and_replace_is_kept() {
    let labels = labels();
    let append = employee(json!({
        "work": {"department": "999", "siteId": 2606110},
        "humanReadable": {"work": {"department": "Brand New Team", "siteId": "Elsewhere"}}
    }));
    assert_eq!(
        label(&labels, &append, &field::DEPARTMENT)
            .unwrap()
            .as_deref(),
        Some("Brand New Team"),
        "an item newer than the lists: HiBob's own label"
    );
    assert_eq!(
        label(&labels, &append, &field::SITE_ID).unwrap().as_deref(),
        Some("London (Demo)"),
        "a known item: the lists' label, not the mirror"
    );

    let replace = employee(json!({"work": {"department": "Account Receivables"}}));
    assert_eq!(
        label(&labels, &replace, &field::DEPARTMENT)
            .unwrap()
            .as_deref(),
        Some("Account Receivables")
    );
    let renamed = employee(json!({"work": {"department": "Receivables"}}));
    assert!(matches!(
        label(&labels, &renamed, &field::DEPARTMENT),
        Err(LabelError::UnknownItem { item, .. }) if item == "Receivables"
    ));
}

#[test]
fn table_row_items_by_their_backing_field() {
    let labels = labels();
    assert_eq!(
        labels.item_label(&field::DEPARTMENT, "209192163"),
        Ok("Account Receivables")
    );
    assert_eq!(
        labels.item_label(&field::DEPARTMENT, "209192170"),
        Ok("Old Sales")
    );
    assert_eq!(
        labels.item_label(&field::SITE_ID, "2606110"),
        Ok("London (Demo)")
    );
    for unknown in ["999", "", "Account Receivables"] {
        assert_eq!(
            labels.item_label(&field::DEPARTMENT, unknown),
            Err(LabelError::UnknownItem {
                field: field::DEPARTMENT,
                list: "department".into(),
                item: unknown.into()
            }),
            "{unknown:?}: rows carry IDs only"
        );
    }
    assert!(matches!(
        labels.item_label(&field::START_DATE, "2024-01-01"),
        Err(LabelError::NotAList {
            field_type: FieldType::Date,
            ..
        })
    ));
    assert!(matches!(
        labels.item_label(&field::TITLE, "210011952"),
        Err(LabelError::UnknownField { .. })
    ));
}

#[test]
fn display_labels_lists_and_keeps_everything_else() {
    let labels = labels();
    let e = employee(
        json!({"email": "a@example.com", "work": {"department": "999", "siteId": 2606110}}),
    );
    assert_eq!(
        labels.display(&e, &field::EMAIL).as_deref(),
        Some("a@example.com")
    );
    assert_eq!(
        labels.display(&e, &field::SITE_ID).as_deref(),
        Some("London (Demo)")
    );
    assert_eq!(
        labels.display(&e, &field::DEPARTMENT).as_deref(),
        Some("999")
    );
    assert_eq!(labels.display(&e, &field::START_DATE), None);
}
