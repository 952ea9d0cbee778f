use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value, json};

use super::*;
use crate::models::{EmployeeId, field};

const SEARCH: &str = include_str!("../../../tests/fixtures/people_search_nested_and_slash.json");
const READ: &str = include_str!("../../../tests/fixtures/employee_read.json");

fn search() -> Vec<Employee> {
    serde_json::from_str::<PeopleSearchResponse>(SEARCH)
        .unwrap()
        .employees
}

/// An independent, `Value`-based statement of the slash-merge rule.
fn reference_merge(employee: &Value) -> Value {
    let mut out = Map::new();
    let mut slash = Vec::new();
    for (k, v) in employee.as_object().unwrap() {
        if k.starts_with('/') {
            slash.push((k, v));
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in slash {
        let wrapped = v
            .as_object()
            .filter(|o| o.len() == 1 && o.contains_key("value"));
        let path: Vec<&str> = k[1..].split('/').collect();
        let path = if path[0] == "root" {
            &path[1..]
        } else {
            &path[..]
        };
        let Some(inner) = wrapped.map(|o| o["value"].clone()) else {
            out.insert(k.clone(), v.clone());
            continue;
        };
        let mut node = &mut out;
        let mut kept = false;
        for (i, seg) in path.iter().enumerate() {
            if i == path.len() - 1 {
                node.entry(seg.to_string()).or_insert(inner.clone());
            } else {
                let next = node.entry(seg.to_string()).or_insert_with(|| json!({}));
                match next.as_object_mut() {
                    Some(obj) => node = obj,
                    None => {
                        kept = true;
                        break;
                    }
                }
            }
        }
        if kept {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

fn leaves(value: &Value, prefix: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, path, out);
            }
        }
        other => out.push((prefix, other.clone())),
    }
}

#[test]
fn round_trip_keeps_every_leaf_of_the_fixture() {
    let raw: Value = serde_json::from_str(SEARCH).unwrap();
    let employees = search();
    for (input, employee) in raw["employees"].as_array().unwrap().iter().zip(&employees) {
        let expected = reference_merge(input);
        let output = serde_json::to_value(employee).unwrap();
        let mut want = Vec::new();
        leaves(&expected, String::new(), &mut want);
        let mut got = Vec::new();
        leaves(&output, String::new(), &mut got);
        for leaf in &want {
            assert!(got.contains(leaf), "leaf {leaf:?} lost");
        }
        assert_eq!(want.len(), got.len(), "no leaf invented");
        assert_eq!(output, expected);
        assert_eq!(employee.to_json(), expected);
        // decoding the normalised form again is a fixed point
        let again = Employee::from_value(output.clone()).unwrap();
        assert_eq!(again.to_json(), output);
    }
}

#[test]
fn typed_accessors_read_the_nested_form() {
    let alan = &search()[0];
    assert_eq!(alan.id(), Some(&EmployeeId::new("3332883884017713938")));
    assert_eq!(alan.first_name(), Some("Alan"));
    assert_eq!(alan.surname(), Some("Tullin"));
    assert_eq!(alan.display_name(), Some("Alan Tullin"));
    assert_eq!(alan.full_name(), Some("Alan Tullin"));
    assert_eq!(alan.email(), Some("alan.tullin@example.com"));
    assert_eq!(alan.title(), Some("210011942"));
    assert_eq!(alan.department(), Some("209192163"));
    assert_eq!(alan.site(), Some("London (Demo)"));
    assert_eq!(alan.site_id(), Some(2606110));
    assert_eq!(alan.start_date(), NaiveDate::from_ymd_opt(2022, 10, 10));
    assert_eq!(
        alan.manager_id().map(EmployeeId::as_str),
        Some("3332883894235038486")
    );
    let boss = alan.reports_to().unwrap();
    assert_eq!(boss.display_name.as_deref(), Some("Jane Smith"));
    assert_eq!(boss.email.as_deref(), Some("jane.smith@example.com"));
    assert_eq!(alan.employee_id_in_company().as_deref(), Some("1042"));
    assert_eq!(alan.internal_status(), Some(InternalStatus::Active));
    assert_eq!(alan.is_active(), Some(true));
    assert_eq!(alan.lifecycle_status(), Some(LifecycleStatus::Employed));
    assert_eq!(alan.termination_date(), None);
    assert_eq!(alan.termination_reason(), None);
    let created =
        NaiveDateTime::parse_from_str("2022-09-16T07:47:44.938494", "%Y-%m-%dT%H:%M:%S%.f");
    assert_eq!(alan.creation_date_time(), created.ok());
    assert_eq!(
        alan.short_date("personal.shortBirthDate"),
        ShortDate::new(8, 10)
    );
    assert_eq!(
        alan.date("category_1720508362305.field_1720508450112"),
        NaiveDate::from_ymd_opt(2024, 7, 9)
    );
}

#[test]
fn slash_only_values_are_merged_and_numbers_stay_exact() {
    let jane = &search()[1];
    assert_eq!(
        jane.id().map(EmployeeId::as_str),
        Some("3332883894235038486")
    );
    assert_eq!(
        jane.field("root.id").unwrap().to_string(),
        "3332883894235038486"
    );
    assert_eq!(jane.first_name(), Some("Jane"));
    assert_eq!(jane.surname(), Some("Smith"));
    assert_eq!(
        jane.field("work.department").as_deref(),
        Some(&json!(209192170))
    );
    assert_eq!(
        jane.department(),
        None,
        "a number is not a &str; raw via field()"
    );
    assert_eq!(jane.site(), Some("New York (Demo)"));
    assert_eq!(jane.is_active(), Some(false));
    assert_eq!(jane.lifecycle_status(), Some(LifecycleStatus::Terminated));
    assert_eq!(
        jane.termination_date(),
        NaiveDate::from_ymd_opt(2026, 3, 31)
    );
    assert_eq!(jane.termination_reason(), Some("225411981"));
    assert_eq!(
        jane.field("work.custom.field_1698036945383").as_deref(),
        Some(&json!("CC-01"))
    );
    assert!(jane.reports_to().is_none());
    assert!(jane.manager_id().is_none());
    // not a {"value": x} wrapper: kept under its own key, decoding did not fail
    assert_eq!(
        jane.field("/about/unexpected").as_deref(),
        Some(&json!({"text": "not a value wrapper"}))
    );
    assert!(!jane.has_field("about.unexpected"));
}

#[test]
fn absent_and_null_are_different() {
    let alan = &search()[0];
    assert_eq!(
        alan.field("internal.terminationDate"),
        Some(Cow::Owned(Value::Null))
    );
    assert!(alan.has_field(field::TERMINATION_DATE.as_str()));
    assert!(alan.has_field("work.custom.field_1698036951234"));
    assert_eq!(
        alan.field("work.custom.field_1698036951234").as_deref(),
        Some(&Value::Null)
    );
    assert_eq!(alan.field("root.secondName").as_deref(), Some(&Value::Null));
    assert!(!alan.has_field("root.nickname"));
    assert!(alan.field("work.custom.field_0").is_none());
    assert!(alan.field("payroll.salary.base").is_none());
    assert_eq!(
        alan.field(field::EMAIL.as_str()).as_deref(),
        Some(&json!("alan.tullin@example.com"))
    );
}

#[test]
fn bad_dates_are_none_but_stay_raw() {
    let alan = &search()[0];
    assert_eq!(alan.date("personal.birthDate"), None);
    assert_eq!(
        alan.field("personal.birthDate").as_deref(),
        Some(&json!(""))
    );
    let zoe = &search()[2];
    // the nested "" wins over the slash value; the typed accessor says None
    assert_eq!(zoe.start_date(), None);
    assert_eq!(zoe.field("work.startDate").as_deref(), Some(&json!("")));
    assert_eq!(zoe.short_date("work.startDate"), None);
    assert_eq!(zoe.date("email"), None);
}

#[test]
fn lenient_ids_and_timestamps() {
    let zoe = &search()[2];
    assert_eq!(zoe.site_id(), Some(2606112));
    assert_eq!(zoe.employee_id_in_company().as_deref(), Some("E-77"));
    assert_eq!(
        zoe.manager_id().map(EmployeeId::as_str),
        Some("3332883884017713938")
    );
    let boss = zoe.reports_to().unwrap();
    assert_eq!(boss.extra.get("avatarUrl"), Some(&Value::Null));
    let created = NaiveDate::from_ymd_opt(2023, 1, 2)
        .unwrap()
        .and_hms_opt(3, 4, 5);
    assert_eq!(zoe.creation_date_time(), created);
    let shifted =
        Employee::from_value(json!({"creationDateTime": "2023-01-02T05:04:05+02:00"})).unwrap();
    assert_eq!(shifted.creation_date_time(), created);
    let big = Employee::from_value(
        json!({"id": 9_223_372_036_854_775_807_u64, "work": {"manager": 18446744073709551615_u64}}),
    )
    .unwrap();
    assert_eq!(big.id().unwrap().as_str(), "9223372036854775807");
    assert_eq!(big.manager_id().unwrap().as_str(), "18446744073709551615");
}

#[test]
fn human_readable_is_kept_apart_and_never_parsed() {
    let alan = &search()[0];
    let hr = alan.human_readable().unwrap();
    assert_eq!(hr["work"]["department"], json!("Account Receivables"));
    assert_eq!(
        alan.human_readable_field("work.startDate"),
        Some("10/10/2022")
    );
    assert_eq!(
        alan.human_readable_field("root.email"),
        Some("alan.tullin@example.com")
    );
    assert_eq!(
        alan.field("humanReadable.personal.shortBirthDate")
            .as_deref(),
        Some(&json!("10 Aug"))
    );
    assert_eq!(alan.start_date(), NaiveDate::from_ymd_opt(2022, 10, 10));
    assert!(search()[1].human_readable().is_none());
    assert!(!alan.has_field("work.humanReadable"));
}

#[test]
fn single_read_accepts_bare_and_wrapped_objects() {
    let bare: SingleEmployeeResponse = serde_json::from_str(READ).unwrap();
    let wrapped = format!(r#"{{"employees": [{READ}]}}"#);
    let wrapped: SingleEmployeeResponse = serde_json::from_str(&wrapped).unwrap();
    for employee in [bare.into_employee(), Employee::from(wrapped)] {
        assert_eq!(employee.id().unwrap().as_str(), "3332883884017713938");
        assert_eq!(employee.internal_status(), Some(InternalStatus::Active));
        assert_eq!(employee.site(), Some("London (Demo)"));
        assert_eq!(
            employee.human_readable_field("work.startDate"),
            Some("10/10/2022")
        );
        assert_eq!(
            employee.field("home.mobilePhone").as_deref(),
            Some(&Value::Null)
        );
        assert!(
            !employee
                .to_json()
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with('/'))
        );
    }
    assert!(serde_json::from_str::<SingleEmployeeResponse>(r#"{"employees": []}"#).is_err());
    assert!(serde_json::from_str::<SingleEmployeeResponse>("[1]").is_err());
}

#[test]
fn decode_errors_have_a_path_and_only_non_objects_fail() {
    let body = r#"{"employees": [{"id": "1"}, {"work": {"startDate": 17, "x": [{}]}}, "oops"]}"#;
    let de = &mut serde_json::Deserializer::from_str(body);
    let err = serde_path_to_error::deserialize::<_, PeopleSearchResponse>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "employees[2]");
    assert!(serde_json::from_str::<PeopleSearchResponse>(r#"{"people": []}"#).is_err());
    let ok: PeopleSearchResponse = serde_json::from_str(r#"{"employees": [{"work": 1}]}"#).unwrap();
    assert_eq!(ok.employees[0].start_date(), None);
}

#[test]
fn default_and_debug_are_harmless() {
    let empty = Employee::default();
    assert_eq!(empty.to_json(), json!({}));
    assert!(empty.id().is_none() && empty.human_readable().is_none());
    let debug = format!("{:?}", search()[0]);
    assert!(
        !debug.contains("alan.tullin"),
        "Debug must not dump personal data: {debug}"
    );
    assert!(Employee::from_value(json!([1])).is_err());
}

#[test]
fn short_dates_parse_strictly() {
    assert_eq!("02-29".parse::<ShortDate>().unwrap().to_string(), "02-29");
    assert!("2-9".parse::<ShortDate>().is_err());
    assert!("13-01".parse::<ShortDate>().is_err());
    assert!("02-30".parse::<ShortDate>().is_err());
    assert_eq!(ShortDate::new(2, 29).unwrap().with_year(2023), None);
    let json = serde_json::to_string(&ShortDate::new(8, 10).unwrap()).unwrap();
    assert_eq!(json, r#""08-10""#);
}

/// Found by `cargo fuzz` (people_search): keys repeated in one object, one of
/// them blocking slash-key merges. Normalising must be idempotent, with the
/// last occurrence winning as in `serde_json`.
#[test]
fn repeated_keys_resolve_to_the_last_and_normalising_is_idempotent() {
    let body = include_bytes!("../../../tests/fixtures/fuzz/people_search_duplicate_keys.json");
    let response: PeopleSearchResponse = serde_json::from_slice(body).unwrap();
    for employee in &response.employees {
        let json = employee.to_json();
        let again = Employee::from_value(json.clone()).unwrap();
        assert_eq!(again.to_json(), json);
    }
    let twice = r#"{"work": "x", "/work/title": {"value": "T"}, "work": {"site": "S"}, "humanReadable": 1, "humanReadable": {"a": "b"}}"#;
    let employee: Employee = serde_json::from_str(twice).unwrap();
    assert_eq!(employee.title(), Some("T"));
    assert_eq!(employee.site(), Some("S"));
    assert_eq!(employee.human_readable_field("a"), Some("b"));
}

/// A slash key is not JSON nesting, so serde_json's depth limit does not
/// apply to it: a 100,000-segment key once expanded into an object that
/// deep, and dropping or serializing it overflowed the stack.
#[test]
fn a_slash_key_deeper_than_the_cap_is_kept_verbatim() {
    let key = "/a".repeat(100_000);
    let body = format!(r#"{{"id": "1", "{key}": {{"value": 7}}}}"#);
    let employee: Employee = serde_json::from_str(&body).unwrap();
    assert_eq!(employee.field(&key).as_deref(), Some(&json!({"value": 7})));
    assert!(!employee.has_field("a"));
    let json = serde_json::to_value(&employee).unwrap();
    assert_eq!(Employee::from_value(json.clone()).unwrap().to_json(), json);
    drop(employee.clone());

    // The cap is 16 segments: 16 are merged, 17 are kept as they came.
    let path = |n: usize| -> String { (0..n).map(|i| format!("/s{i}")).collect() };
    let merged = Employee::from_value(json!({ path(16): {"value": 1} })).unwrap();
    let dotted: Vec<String> = (0..16).map(|i| format!("s{i}")).collect();
    assert_eq!(merged.field(&dotted.join(".")).as_deref(), Some(&json!(1)));
    let kept = Employee::from_value(json!({ path(17): {"value": 1} })).unwrap();
    assert_eq!(kept.to_json(), json!({ path(17): {"value": 1} }));

    // The fuzz seed for this case (a 1,000-segment key), normalised idempotently.
    let body = include_bytes!("../../../tests/fixtures/fuzz/people_search_deep_slash_key.json");
    let response: PeopleSearchResponse = serde_json::from_slice(body).unwrap();
    let seed = &response.employees[0];
    assert_eq!(
        seed.field(&"/a".repeat(1000)).unwrap()["value"],
        "kept as it came"
    );
    assert_eq!(seed.field(&path(17)).unwrap()["value"], 17);
    assert_eq!(seed.field(&dotted.join(".")).as_deref(), Some(&json!(16)));
    assert_eq!(
        seed.field("work.custom.field_2.nested").as_deref(),
        Some(&json!(true))
    );
    let json = seed.to_json();
    assert_eq!(Employee::from_value(json.clone()).unwrap().to_json(), json);
}

/// Merging used to scan (and re-copy) the target object for every slash key:
/// quadratic, minutes for this body. It must now take well under a second.
#[test]
fn many_distinct_slash_keys_merge_in_linear_time() {
    const N: usize = 50_000;
    let mut custom = Map::new();
    let mut body = Map::new();
    for i in 0..N {
        custom.insert(format!("old_{i}"), json!(i));
        body.insert(format!("/k{i}"), json!({ "value": i }));
        body.insert(format!("/work/custom/new_{i}"), json!({ "value": i }));
        body.insert(format!("/work/custom/old_{i}"), json!({ "value": -1 }));
    }
    body.insert("work".to_owned(), json!({ "custom": custom }));
    let employee = Employee::from_value(Value::Object(body)).unwrap();
    assert_eq!(employee.field("k49999").as_deref(), Some(&json!(49_999)));
    assert_eq!(
        employee.field("work.custom.new_123").as_deref(),
        Some(&json!(123))
    );
    assert_eq!(
        employee.field("work.custom.old_123").as_deref(),
        Some(&json!(123)),
        "the nested value wins"
    );
    let json = employee.to_json();
    assert_eq!(json.as_object().unwrap().len(), N + 1);
    assert_eq!(json["work"]["custom"].as_object().unwrap().len(), 2 * N);
}

mod merge_rule {
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use super::{Employee, reference_merge};

    fn nested(names: Vec<String>) -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![Just(Value::Null), (0i64..5).prop_map(Value::from)];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop::collection::btree_map(prop::sample::select(names.clone()), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
        })
    }

    /// An employee object over `n` member names: nested members, then slash
    /// keys up to four deep, `{"value": x}`-wrapped or not.
    fn employee() -> impl Strategy<Value = Value> {
        prop_oneof![Just(3usize), Just(24usize)].prop_flat_map(|n| {
            let names: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            let top = prop::collection::btree_map(
                prop::sample::select(names.clone()),
                nested(names.clone()),
                0..n,
            );
            let path = prop::collection::vec(prop::sample::select(names.clone()), 1..5);
            let slash = prop::collection::vec((path, any::<bool>(), nested(names)), 0..60);
            (top, slash).prop_map(|(top, slash)| {
                let mut object: Map<String, Value> = top.into_iter().collect();
                for (path, wrapped, value) in slash {
                    let value = if wrapped {
                        json!({ "value": value })
                    } else {
                        value
                    };
                    object.insert(format!("/{}", path.join("/")), value);
                }
                Value::Object(object)
            })
        })
    }

    proptest! {
        #[test]
        fn merging_matches_the_value_based_rule(input in employee()) {
            let employee = Employee::from_value(input.clone()).unwrap();
            prop_assert_eq!(employee.to_json(), reference_merge(&input));
        }
    }
}

#[test]
fn statuses_are_typed_in_either_casing_and_blank_is_none() {
    let employee = |internal: Value| Employee::from_value(json!({ "internal": internal })).unwrap();
    let replace = employee(json!({"status": "Active", "lifecycleStatus": "Garden leave"}));
    assert_eq!(
        replace.lifecycle_status(),
        Some(LifecycleStatus::GardenLeave)
    );
    assert_eq!(replace.is_active(), Some(true));
    let odd = employee(json!({"status": "Suspended", "lifecycleStatus": "Sabbatical"}));
    assert_eq!(
        odd.lifecycle_status(),
        Some(LifecycleStatus::Unknown("Sabbatical".into()))
    );
    assert_eq!(
        odd.internal_status(),
        Some(InternalStatus::Unknown("Suspended".into()))
    );
    assert_eq!(odd.is_active(), None, "neither Active nor Inactive");
    let blank = employee(json!({"status": " ", "lifecycleStatus": null}));
    assert_eq!(
        (blank.internal_status(), blank.lifecycle_status()),
        (None, None)
    );
    assert_eq!(blank.is_active(), None);
    let slash =
        Employee::from_value(json!({"/internal/lifecycleStatus": {"value": "leave"}})).unwrap();
    assert_eq!(slash.lifecycle_status(), Some(LifecycleStatus::Leave));
}
