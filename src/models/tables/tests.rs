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
