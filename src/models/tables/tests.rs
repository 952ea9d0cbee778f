use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::models::EmployeeId;
use crate::models::status::{InternalStatus, LifecycleStatus};

fn fixture(name: &str) -> &'static str {
    match name {
        "work" => include_str!("../../../tests/fixtures/table_work.json"),
        "employment" => include_str!("../../../tests/fixtures/table_employment.json"),
        "lifecycle" => include_str!("../../../tests/fixtures/table_lifecycle.json"),
        "salaries" => include_str!("../../../tests/fixtures/table_salaries.json"),
        "bulk1" => include_str!("../../../tests/fixtures/bulk_lifecycle_p1.json"),
        "bulk2" => include_str!("../../../tests/fixtures/bulk_lifecycle_p2.json"),
        _ => unreachable!(),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn work_rows_decode_leniently_and_keep_unknown_columns() {
    let table: TableRows<WorkEntry> = serde_json::from_str(fixture("work")).unwrap();
    let [future, now] = &table.rows[..] else {
        panic!("two rows")
    };
    assert_eq!(future.common.id, 1000020260906);
    assert_eq!(future.effective_date(), Some(date(2026, 9, 6)));
    assert_eq!(
        future.title.as_deref(),
        Some("210011950"),
        "numeric list value"
    );
    assert_eq!(
        future.reports_to.as_ref().unwrap().id,
        Some(EmployeeId::new("3332883894235038486"))
    );
    assert_eq!(future.work_change_type.as_deref(), Some("Promotion"));
    let change = future.common.change.as_ref().unwrap();
    assert_eq!(change.reason.as_deref(), Some("Promotion"));
    assert_eq!(change.changed_by_id.as_deref(), Some("3332883894235038486"));
    assert_eq!(
        future.common.custom_columns["column_1666178477233"],
        json!("Band 4")
    );
    assert_eq!(future.extra.get("isManager"), Some(&json!(true)));
    assert!(!future.extra.contains_key("customColumns") && !future.extra.contains_key("title"));
    assert_eq!(now.site_id, Some(2606110));
    assert_eq!(now.common.creation_date, None, "\"\" is no date");
    assert_eq!(now.common.modification_date, None, "junk is no date");
    assert_eq!(now.end_effective_date(), Some(date(2026, 9, 5)));
    assert!(now.reports_to.is_none() && now.department.is_none());
    let restricted = table.restricted_columns.unwrap();
    assert_eq!(restricted.no_view_permission, ["salaryPayType"]);
    assert_eq!(restricted.no_view_history_permission, ["department"]);
}

#[test]
fn employment_lifecycle_and_salary_rows() {
    let employment: TableRows<EmploymentEntry> =
        serde_json::from_str(fixture("employment")).unwrap();
    let row = &employment.rows[0];
    assert_eq!(row.employment_type.as_deref(), Some("Permanent"));
    assert_eq!(row.contract.as_deref(), Some("Full time"));
    assert_eq!((row.weekly_hours, row.fte), (Some(37.5), Some(100.0)));
    assert_eq!(row.calendar_id, Some(2606120));
    assert_eq!(row.standard_working_pattern_id, Some(17));
    assert_eq!(
        row.working_pattern.as_ref().unwrap()["days"]["monday"],
        json!(7.5)
    );
    assert!(row.actual_working_pattern.is_none() && row.flsa_code.is_none());
    assert_eq!(row.extra.get("employmentSubType"), Some(&json!("Regular")));
    assert!(employment.restricted_columns.is_none());

    let lifecycle: TableRows<LifecycleEntry> = serde_json::from_str(fixture("lifecycle")).unwrap();
    let [hired, employed] = &lifecycle.rows[..] else {
        panic!("two rows")
    };
    assert_eq!(
        hired.status,
        Some(LifecycleStatus::Hired),
        "sent as `Hired`"
    );
    assert_eq!(hired.employee_status, Some(InternalStatus::Inactive));
    assert_eq!(employed.status, Some(LifecycleStatus::Employed));
    assert_eq!(
        serde_json::to_value(hired).unwrap()["status"],
        json!("hired"),
        "serialized in the canonical form"
    );
    assert!(hired.common.change.is_none() && hired.common.custom_columns.is_empty());
    assert_eq!(employed.reason_type.as_deref(), Some("225411990"));
    assert_eq!(employed.end_effective_date(), None);
    assert_eq!(
        employed.common.change.as_ref().unwrap().reason.as_deref(),
        Some("Start")
    );

    let salaries: TableRows<SalaryEntry> = serde_json::from_str(fixture("salaries")).unwrap();
    assert_eq!(salaries.rows[0].base, Some(Money::new(58000.5, "GBP")));
    assert_eq!(salaries.rows[0].pay_frequency.as_deref(), Some("Monthly"));
    assert!(salaries.rows[1].base.is_none());
    assert_eq!(<SalaryEntry as HistoryEntry>::TABLE, "salaries");
}

#[test]
fn rows_survive_a_serde_round_trip() {
    let table: TableRows<WorkEntry> = serde_json::from_str(fixture("work")).unwrap();
    let json = serde_json::to_value(&table).unwrap();
    let again: TableRows<WorkEntry> = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(again, table);
    assert_eq!(json["values"][0]["effectiveDate"], json!("2026-09-06"));
    assert_eq!(json["values"][0]["isManager"], json!(true));
}

#[test]
fn current_and_in_effect_on() {
    let work: TableRows<WorkEntry> = serde_json::from_str(fixture("work")).unwrap();
    let rows = &work.rows[..];
    assert_eq!(
        current(rows).unwrap().common.id,
        1000020221010,
        "isCurrent wins"
    );
    assert_eq!(
        rows.in_effect_on(date(2026, 9, 6)).unwrap().common.id,
        1000020260906
    );
    assert_eq!(
        rows.in_effect_on(date(2026, 9, 5)).unwrap().common.id,
        1000020221010
    );
    assert!(rows.in_effect_on(date(2022, 10, 9)).is_none());

    let mut unmarked = rows.to_vec();
    unmarked.iter_mut().for_each(|r| r.common.is_current = None);
    assert_eq!(
        current_as_of(&unmarked, date(2027, 1, 1))
            .unwrap()
            .common
            .id,
        1000020260906
    );
    assert_eq!(
        current_as_of(&unmarked, date(2024, 1, 1))
            .unwrap()
            .common
            .id,
        1000020221010
    );
    assert!(current_as_of(&unmarked, date(2020, 1, 1)).is_none());
    assert!(current::<WorkEntry>(&[]).is_none());
}

#[test]
fn bulk_pages_with_wrapped_values_and_odd_errors() {
    let page: BulkPage<LifecycleEntry> = serde_json::from_str(fixture("bulk1")).unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("rfJhY3Rpdml09d3827"));
    assert_eq!(page.results.len(), 2);
    assert_eq!(page.results[1].employee_id.as_str(), "3332883894235038486");
    assert_eq!(
        page.results[1].rows[0].status,
        Some(LifecycleStatus::Terminated)
    );
    let restricted = page.restricted_columns.as_ref().unwrap();
    assert_eq!(restricted.no_view_permission, ["leaveReason"]);

    let [missing, not_found, odd] = &page.errors[..] else {
        panic!("three errors")
    };
    assert_eq!(
        missing.employee_id.as_ref().unwrap().as_str(),
        "3332883800000000001"
    );
    assert_eq!(missing.code.as_deref(), Some("MISSING_PERMISSION"));
    assert_eq!(
        missing.message.as_deref(),
        Some("No access to this employee")
    );
    assert_eq!(not_found.code.as_deref(), Some("NOT_FOUND"));
    assert_eq!(
        not_found.employee_id.as_ref().unwrap().as_str(),
        "3332883800000000002"
    );
    assert_eq!(odd.raw, json!("something unexpected"));
    assert!(odd.employee_id.is_none() && odd.code.is_none());

    let last: BulkPage<LifecycleEntry> = serde_json::from_str(fixture("bulk2")).unwrap();
    assert!(
        last.next_cursor.is_none() && last.errors.is_empty() && last.restricted_columns.is_none()
    );
    assert_eq!(
        last.results[0].rows[0].leave_reason.as_deref(),
        Some("Parental leave")
    );

    let again: BulkPage<LifecycleEntry> =
        serde_json::from_value(serde_json::to_value(&page).unwrap()).unwrap();
    assert_eq!(again, page);
}

#[test]
fn bulk_page_variants() {
    let alt = r#"{"results": [], "response_metadata": {"cursor": "abc"}}"#;
    let page: BulkPage<WorkEntry> = serde_json::from_str(alt).unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("abc"));
    let bare: BulkPage<WorkEntry> =
        serde_json::from_str(r#"{"results": [], "errors": null}"#).unwrap();
    assert!(bare.next_cursor.is_none() && bare.errors.is_empty());
    // `results` missing or null is an empty page, not a decode error.
    for body in [r#"{"errors": []}"#, r#"{"results": null}"#, "{}"] {
        let page: BulkPage<WorkEntry> = serde_json::from_str(body).unwrap();
        assert!(page.results.is_empty() && page.errors.is_empty(), "{body}");
    }
    // `errors` as one object keyed by employee ID (hibob-api.md §6.3).
    let keyed: BulkPage<WorkEntry> = serde_json::from_str(
        r#"{"results": [], "errors": {"1": {"error": "MISSING_PERMISSION", "message": "m"}, "2": {"error": "NOT_FOUND"}}}"#,
    )
    .unwrap();
    let ids: Vec<_> = keyed
        .errors
        .iter()
        .map(|e| (e.employee_id.as_ref().unwrap().as_str(), e.code.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [("1", Some("MISSING_PERMISSION")), ("2", Some("NOT_FOUND"))]
    );
    assert_eq!(keyed.errors[0].message.as_deref(), Some("m"));
    let empty: BulkPage<WorkEntry> = serde_json::from_str(r#"{"errors": {}}"#).unwrap();
    assert!(empty.errors.is_empty());

    let many =
        BulkError::parse(json!({"1": {"error": "MISSING_PERMISSION"}, "2": {"message": "m"}}));
    assert_eq!(many.len(), 2);
    assert_eq!(many[1].raw, json!({"2": {"message": "m"}}));
    let nested = BulkError::parse(json!({"employeeId": 7, "error": {"code": "X", "message": "y"}}));
    assert_eq!(
        (nested[0].code.as_deref(), nested[0].message.as_deref()),
        (Some("X"), Some("y"))
    );
    assert_eq!(nested[0].employee_id.as_ref().unwrap().as_str(), "7");
    let number = BulkError::parse(json!(42));
    assert_eq!(number[0].raw, json!(42));
    let single: BulkError =
        serde_json::from_value(json!({"employeeId": "9", "error": "E"})).unwrap();
    assert_eq!(single.code.as_deref(), Some("E"));
}

#[test]
fn a_bad_row_fails_with_a_useful_path() {
    let body = r#"{"results": [{"employeeId": "1", "values": [{"id": 1}, "not a row"]}]}"#;
    let de = &mut serde_json::Deserializer::from_str(body);
    let err = serde_path_to_error::deserialize::<_, BulkPage<WorkEntry>>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "results[0].values[1]");
    let ok: Value = serde_json::to_value(WorkEntry::default()).unwrap();
    assert_eq!(ok["id"], json!(0));
}

/// The decode error's JSON path and message, for a body that must fail.
fn bulk_error(body: &str) -> (String, String) {
    let de = &mut serde_json::Deserializer::from_str(body);
    let err = serde_path_to_error::deserialize::<_, BulkPage<WorkEntry>>(de)
        .expect_err("neither a row nor a wrapper");
    (err.path().to_string(), err.inner().to_string())
}

#[test]
fn flat_and_wrapped_values_decode_to_the_same_rows() {
    let rows = json!([
        {"id": 1, "effectiveDate": "2022-10-10", "title": "210011950", "isCurrent": false},
        {"id": 2, "effectiveDate": "2024-01-01", "title": "210011952", "isCurrent": true}
    ]);
    let restricted =
        json!({"no_view_permission": ["salaryPayType"], "no_view_history_permission": []});
    let page = |values: Value| {
        let body = json!({"results": [{"employeeId": "7", "values": values}]});
        serde_json::from_value::<BulkPage<WorkEntry>>(body).unwrap()
    };
    let flat = page(rows.clone());
    assert_eq!(flat.results[0].rows.len(), 2);
    assert_eq!(flat.results[0].rows[1].title.as_deref(), Some("210011952"));
    assert!(flat.restricted_columns.is_none());

    // HiBob's OpenAPI: every element of `values` is a wrapper.
    let wrapped = page(json!([{ "values": rows }]));
    assert_eq!(wrapped, flat);
    let split = page(json!([{"values": [rows[0]]}, {"values": [rows[1]]}]));
    assert_eq!(split, flat, "rows of several wrappers, in order");
    let mixed = page(json!([rows[0], {"values": [rows[1]]}]));
    assert_eq!(mixed, flat, "rows beside wrappers");
    assert_eq!(
        page(json!([{"values": []}, {"values": null}])).results[0].rows,
        []
    );

    // Wrappers' restricted columns, in either key order, are the page's.
    let once = page(json!({"restricted_columns": restricted, "values": rows}));
    let per_element = page(json!([{"values": rows, "restricted_columns": restricted}]));
    for with_restrictions in [once, per_element] {
        assert_eq!(with_restrictions.results, flat.results);
        let columns = with_restrictions.restricted_columns.unwrap();
        assert_eq!(columns.no_view_permission, ["salaryPayType"]);
    }
}

#[test]
fn a_values_element_that_is_neither_a_row_nor_a_wrapper_is_an_error_with_its_path() {
    let at = |values: &str| {
        format!(
            r#"{{"results": [{{"employeeId": "1", "values": [{{"id": 1}}]}}, {{"employeeId": "2", "values": {values}}}]}}"#
        )
    };
    for (values, path, says) in [
        (
            r#"[{"id": 1}, "not a row"]"#,
            "results[1].values[1]",
            "expected a table row",
        ),
        (r#"[7]"#, "results[1].values[0]", "expected a table row"),
        (r#"[{}]"#, "results[1].values[0]", "an empty object"),
        (
            r#"[{"title": "CEO"}]"#,
            "results[1].values[0]",
            "neither id nor effectiveDate",
        ),
        (
            r#"[{"values": [{"id": 1}], "id": 2}]"#,
            "results[1].values[0]",
            "values and other keys",
        ),
        (
            r#"[{"id": 2, "values": [{"id": 1}]}]"#,
            "results[1].values[0]",
            "row columns and values",
        ),
        (
            r#"[{"restricted_columns": {}}]"#,
            "results[1].values[0]",
            "no values",
        ),
        (
            r#"[{"values": [{"values": [{"id": 1}]}]}]"#,
            "results[1].values[0].values[0]",
            "inside a wrapper",
        ),
        (
            r#"[{"values": [{"id": 1}, {"name": "x"}]}]"#,
            "results[1].values[0].values[1]",
            "neither id",
        ),
        (
            r#"[{"values": {"values": [{"id": 1}]}}]"#,
            "results[1].values[0].values",
            "a list of table rows",
        ),
        (
            r#"{"rows": [{"id": 1}]}"#,
            "results[1].values",
            "not a wrapper {values: [rows]}",
        ),
        (
            r#"{}"#,
            "results[1].values",
            "not a wrapper {values: [rows]}",
        ),
        (r#""rows""#, "results[1].values", "a list of table rows"),
    ] {
        let (got_path, message) = bulk_error(&at(values));
        assert_eq!(got_path, path, "{values}: {message}");
        assert!(message.contains(says), "{values}: {message}");
    }
    // Where the deserializer cannot borrow keys (an escaped key), the rule is the same.
    let escaped =
        r#"{"results": [{"employeeId": "1", "values": [{"\u0069d": 1}, {"t\u0069tle": "x"}]}]}"#;
    assert_eq!(bulk_error(escaped).0, "results[0].values[1]");
}

#[test]
fn a_row_in_a_wrapper_keeps_every_column() {
    let body = json!({"results": [{"employeeId": "1", "values": [{"values": [
        {"effectiveDate": "2026-09-06", "isManager": true, "customColumns": {"column_1": "Band 4"}}
    ]}]}]});
    let page: BulkPage<WorkEntry> = serde_json::from_value(body).unwrap();
    let row = &page.results[0].rows[0];
    assert_eq!(row.common.id, 0, "an effectiveDate alone identifies a row");
    assert_eq!(row.effective_date(), Some(date(2026, 9, 6)));
    assert_eq!(row.extra.get("isManager"), Some(&json!(true)));
    assert_eq!(row.common.custom_columns["column_1"], json!("Band 4"));
}

#[test]
fn the_openapi_errors_shape_names_no_employee() {
    // hibob-openapi-2025.yml draws each `errors` item as {"employeeId": {...}}.
    let body = json!({"results": [], "errors": [
        {"employeeId": {"error": "MISSING_PERMISSION", "message": "You don't have permission to access data for employees with ids: 2578509511618723822"}},
        {"2578509511618723823": {"error": "NOT_FOUND"}},
        {"employee_id": {"error": "X"}, "id": {"error": "Y"}}
    ]});
    let page: BulkPage<WorkEntry> = serde_json::from_value(body).unwrap();
    let [openapi, keyed, snake, id] = &page.errors[..] else {
        panic!("four errors: {:?}", page.errors)
    };
    assert_eq!(
        openapi.employee_id, None,
        "the literal key is no employee ID"
    );
    assert_eq!(openapi.code.as_deref(), Some("MISSING_PERMISSION"));
    assert!(
        openapi
            .message
            .as_deref()
            .unwrap()
            .contains("2578509511618723822")
    );
    assert_eq!(
        openapi.raw,
        json!({"employeeId": {"error": "MISSING_PERMISSION", "message": "You don't have permission to access data for employees with ids: 2578509511618723822"}})
    );
    assert_eq!(
        keyed.employee_id.as_ref().map(EmployeeId::as_str),
        Some("2578509511618723823")
    );
    assert_eq!(
        (snake.employee_id.as_ref(), snake.code.as_deref()),
        (None, Some("X"))
    );
    assert_eq!(
        (id.employee_id.as_ref(), id.code.as_deref()),
        (None, Some("Y"))
    );
}

#[test]
fn lifecycle_statuses_are_typed_and_odd_ones_kept() {
    let rows: Vec<LifecycleEntry> = serde_json::from_value(json!([
        {"id": 1, "status": "Garden leave", "employeeStatus": "active"},
        {"id": 2, "status": "Parental leave", "employeeStatus": "Suspended"},
        {"id": 3, "status": "", "employeeStatus": null},
        {"id": 4, "status": 7},
    ]))
    .unwrap();
    assert_eq!(rows[0].status, Some(LifecycleStatus::GardenLeave));
    assert_eq!(rows[0].employee_status, Some(InternalStatus::Active));
    assert_eq!(
        rows[1].status,
        Some(LifecycleStatus::Unknown("Parental leave".into()))
    );
    assert_eq!(
        rows[1].employee_status,
        Some(InternalStatus::Unknown("Suspended".into()))
    );
    assert_eq!((&rows[2].status, &rows[2].employee_status), (&None, &None));
    assert_eq!(rows[3].status, Some(LifecycleStatus::Unknown("7".into())));
    let written = serde_json::to_value(&rows[1]).unwrap();
    assert_eq!(written["status"], json!("Parental leave"), "verbatim");
    assert_eq!(written["employeeStatus"], json!("Suspended"));
    assert!(
        serde_json::to_value(&rows[2])
            .unwrap()
            .get("status")
            .is_none()
    );
}
