use serde_json::{Value, json};

use super::*;
use crate::field;
use crate::models::employee::{Employee, PeopleSearchResponse};

const FIELDS: &str = include_str!("../../../tests/fixtures/fields.json");
const LISTS: &str = include_str!("../../../tests/fixtures/named_lists.json");
const ONE_LIST: &str = include_str!("../../../tests/fixtures/named_list_department.json");
const SEARCH: &str = include_str!("../../../tests/fixtures/people_search_nested_and_slash.json");

fn catalog() -> FieldCatalog {
    FieldCatalog::new(
        serde_json::from_str::<FieldsResponse>(FIELDS)
            .unwrap()
            .fields,
    )
}

fn resolver() -> ListResolver {
    ListResolver::new(
        serde_json::from_str::<NamedListsResponse>(LISTS)
            .unwrap()
            .lists,
    )
}

#[test]
fn fields_decode_from_array_and_object() {
    let bare: FieldsResponse = serde_json::from_str(FIELDS).unwrap();
    let wrapped: FieldsResponse =
        serde_json::from_str(&format!(r#"{{"fields": {FIELDS}}}"#)).unwrap();
    assert_eq!(bare, wrapped);
    assert_eq!(bare.fields.len(), 11);
    let dept = &bare.fields[2];
    assert_eq!(dept.field_type, FieldType::List);
    assert_eq!(dept.type_data.list_id.as_deref(), Some("department"));
    assert!(dept.historical);
    assert_eq!(
        bare.fields[4].type_data,
        TypeData::default(),
        "typeData: null"
    );
    assert!(!bare.fields[5].historical, "historical: null");
    let cc = &bare.fields[6];
    assert_eq!(cc.type_data.extra.get("multiple"), Some(&json!(false)));
    assert_eq!(bare.fields[7].extra.get("calculated"), Some(&json!(false)));
    assert_eq!(
        bare.fields[9].field_type,
        FieldType::Other("some-future-type".into())
    );
    assert!(serde_json::from_str::<FieldsResponse>(r#"{"items": []}"#).is_err());
}

#[test]
fn field_types_round_trip_their_wire_strings() {
    for wire in [
        "text",
        "text-area",
        "number",
        "date",
        "short-date",
        "boolean",
        "time",
        "list",
        "multi-list",
        "hierarchy-list",
        "currency",
        "employee-reference",
        "employee",
        "document",
        "list_id",
        "avatar",
        "period",
        "ssn",
        "working_pattern",
        "duration_with_unit",
        "brand-new",
    ] {
        let parsed: FieldType = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(parsed.as_str(), wire);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(wire));
        assert_eq!(matches!(parsed, FieldType::Other(_)), wire == "brand-new");
    }
    assert!(FieldType::ListId.is_list_like() && FieldType::MultiList.is_list_like());
    assert!(!FieldType::EmployeeReference.is_list_like() && !FieldType::Text.is_list_like());
    let original: Vec<FieldMeta> = serde_json::from_str(FIELDS).unwrap();
    let again: Vec<FieldMeta> =
        serde_json::from_value(serde_json::to_value(&original).unwrap()).unwrap();
    assert_eq!(again, original);
}

#[test]
fn catalog_lookups() {
    let catalog = catalog();
    assert_eq!(catalog.len(), 11);
    assert_eq!(catalog.json_path(&field::ID), "id");
    assert_eq!(catalog.json_path(&field::DEPARTMENT), "work.department");
    assert_eq!(
        catalog.json_path(&field::STATUS),
        "internal.status",
        "fallback: not in metadata"
    );
    assert_eq!(catalog.json_path(&field::EMAIL), "email");
    assert_eq!(
        catalog.json_path(&FieldId::from("personal.shortBirthDate")),
        "personal.shortBirthDate"
    );
    assert_eq!(catalog.list_id(&field::DEPARTMENT), Some("department"));
    assert_eq!(catalog.list_id(&field::EMAIL), None);
    let device = FieldId::from("category_1720508362305.field_1720508415591");
    assert_eq!(catalog.category_display_name(&device), Some("Equipment"));
    assert!(catalog.get(&field::SURNAME).is_none());
}

#[test]
fn named_lists_decode_in_every_shape() {
    let keyed: NamedListsResponse = serde_json::from_str(LISTS).unwrap();
    let by_name = |name: &str| keyed.lists.iter().find(|l| l.name == name).unwrap();
    let dept = by_name("department");
    assert_eq!(
        dept.items.len(),
        2,
        "items first, archived one added from values once"
    );
    assert!(dept.items[1].archived);
    assert_eq!(by_name("site").items.len(), 1);
    assert_eq!(by_name("site").items[0].id, "2606110");
    assert_eq!(by_name("hobbies").items[0].label(), Some("Cycling"));
    assert_eq!(by_name("hobbies").items[1].label(), Some("Chess"));
    assert!(
        by_name("costCentre").items[0].children[0].children[0]
            .children
            .is_empty()
    );

    let lists = serde_json::to_value(&keyed.lists).unwrap();
    let wrapped: NamedListsResponse = serde_json::from_value(json!({ "lists": lists })).unwrap();
    let bare: NamedListsResponse = serde_json::from_value(lists).unwrap();
    assert_eq!(wrapped, keyed);
    assert_eq!(bare, keyed);

    let one: NamedList = serde_json::from_str(ONE_LIST).unwrap();
    assert_eq!(one.name, "department");
    assert_eq!(one.items.len(), 2);
    assert_eq!(one.items[1].id, "209192171");
}

#[test]
fn resolver_labels_and_display_strings() {
    let (catalog, lists) = (catalog(), resolver());
    assert_eq!(
        lists.label("department", "209192163"),
        Some("Account Receivables")
    );
    assert_eq!(
        lists.label("department", "209192170"),
        Some("Old Sales"),
        "archived kept"
    );
    assert_eq!(
        lists.label("costCentre", "CC-12a"),
        Some("CC 12a – Finance"),
        "hierarchy"
    );
    assert_eq!(
        lists.label("Department", "209192163"),
        None,
        "names are case-sensitive"
    );

    let resolve = |id: &FieldId, v: Value| lists.resolve(&catalog, id, &v);
    assert_eq!(
        resolve(&field::DEPARTMENT, json!("209192163")).as_deref(),
        Some("Account Receivables")
    );
    assert_eq!(
        resolve(&field::SITE_ID, json!(2606110)).as_deref(),
        Some("London (Demo)")
    );
    assert_eq!(
        resolve(&field::DEPARTMENT, json!("999")).as_deref(),
        Some("999"),
        "unknown id kept"
    );
    let hobbies = FieldId::from("about.hobbies");
    assert_eq!(
        resolve(&hobbies, json!(["h1", "h2"])).as_deref(),
        Some("Cycling, Chess")
    );
    assert_eq!(
        resolve(&field::EMAIL, json!("a@b.c")).as_deref(),
        Some("a@b.c")
    );
    assert_eq!(
        resolve(&field::ID, json!(3332883884017713938_u64)).as_deref(),
        Some("3332883884017713938")
    );
    assert_eq!(
        resolve(&field::custom("x.flag"), json!(true)).as_deref(),
        Some("true")
    );
    assert_eq!(resolve(&field::DEPARTMENT, Value::Null), None);
    assert_eq!(resolve(&hobbies, json!([])), None);
}

#[test]
fn resolver_and_catalog_on_a_decoded_employee() {
    let (catalog, lists) = (catalog(), resolver());
    let people: PeopleSearchResponse = serde_json::from_str(SEARCH).unwrap();
    let alan: &Employee = &people.employees[0];
    let cc = FieldId::from("work.custom.field_1698036945383");
    assert_eq!(
        lists.resolve_field(&catalog, alan, &cc).as_deref(),
        Some("CC 12 – London")
    );
    assert_eq!(
        lists
            .resolve_field(&catalog, alan, &field::DEPARTMENT)
            .as_deref(),
        Some("Account Receivables")
    );
    let requested = [
        field::ID,
        field::DEPARTMENT,
        field::TERMINATION_DATE,
        field::custom("work.nope"),
    ];
    let missing = catalog.missing_fields(alan, &requested);
    assert_eq!(missing, [&field::custom("work.nope")]);
}

#[test]
fn missing_from_all_follows_json_paths_and_needs_employees() {
    let fields: Vec<FieldMeta> = serde_json::from_value(json!([
        {"id": "root.email", "jsonPath": "email", "type": "text"},
        {"id": "work.custom.field_1", "jsonPath": "work.custom.field_1", "type": "text"},
        {"id": "work.site", "jsonPath": "work.site", "type": "text"}
    ]))
    .unwrap();
    let catalog = FieldCatalog::new(fields);
    let employees: Vec<Employee> = [
        serde_json::json!({"email": "a@example.com", "work": {"site": null}}),
        serde_json::json!({"work": {"custom": {}}}),
    ]
    .into_iter()
    .map(|v| Employee::from_value(v).unwrap())
    .collect();
    let requested = [
        FieldId::custom("root.email"),
        FieldId::custom("work.custom.field_1"),
        FieldId::custom("work.site"),
    ];
    assert_eq!(
        catalog.missing_from_all(&requested, &employees),
        vec![FieldId::custom("work.custom.field_1")]
    );
    assert!(catalog.missing_from_all(&requested, &[]).is_empty());
}

#[test]
fn the_resolver_knows_each_hierarchy_items_parent() {
    let list: NamedList = serde_json::from_value(json!({"name": "team", "items": [
        {"id": "t1", "name": "Engineering", "children": [
            {"id": "t2", "name": "Platform", "children": [{"id": 3, "name": "Storage"}]}
        ]},
        {"id": "t4", "name": "Sales"}
    ]}))
    .unwrap();
    let resolver = ListResolver::new([list]);
    assert_eq!(resolver.parent("team", "3"), Some("t2"));
    assert_eq!(resolver.parent("team", "t2"), Some("t1"));
    assert_eq!(resolver.parent("team", "t1"), None, "a top-level item");
    assert_eq!(resolver.parent("team", "t4"), None);
    assert_eq!(resolver.parent("other", "t2"), None);
    assert_eq!(resolver.label("team", "3"), Some("Storage"));
}
