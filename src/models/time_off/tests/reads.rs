use chrono::NaiveDateTime;
use serde_json::json;

use super::{day, decode, failure_path};
use crate::models::EmployeeId;
use crate::models::time_off::*;

const REQUEST: &str = r#"{
    "employeeId": "3332883884017713333",
    "requestId": 31415926,
    "policyTypeDisplayName": "Holiday",
    "type": "days",
    "createdOn": "2025-03-02T09:41:07.518203",
    "startDate": "2025-04-14",
    "startPortion": "afternoon",
    "endDate": "2025-04-17",
    "endPortion": "all_day",
    "approved": true,
    "description": "Easter with family",
    "durationUnit": "days",
    "totalDuration": 3.5,
    "totalCost": 3.5,
    "status": "approved",
    "hasAttachment": true,
    "reasonCode": null,
    "attachmentLinks": [
        {"filename": "booking.pdf", "url": "https://files.example.test/a/1", "mimeType": "application/pdf", "sizeBytes": 48213}
    ],
    "previousRequestId": 31415000,
    "originalRequestId": 31410001,
    "approvedBy": "3332883894235038486",
    "approvedAt": "2025-03-02T10:02:00",
    "visibility": "Public",
    "policyType": "Holiday",
    "localStartTime": null
}"#;

#[test]
fn a_request_decodes_with_typed_dates_portions_and_ids() {
    let request: TimeOffRequest = decode(REQUEST).unwrap();
    assert_eq!(
        request.employee_id,
        Some(EmployeeId::new("3332883884017713333"))
    );
    assert_eq!(request.request_id, Some(RequestId::new(31415926)));
    assert_eq!(request.range_type, Some(RequestRangeType::Days));
    let created =
        NaiveDateTime::parse_from_str("2025-03-02T09:41:07.518203", "%Y-%m-%dT%H:%M:%S%.f");
    assert_eq!(request.created_on, Some(created.unwrap()));
    assert_eq!(request.start_date, Some(day(2025, 4, 14)));
    assert_eq!(request.start_portion, Some(DayPortion::Afternoon));
    assert_eq!(request.end_portion, Some(DayPortion::AllDay));
    assert_eq!(
        (request.total_duration, request.total_cost),
        (Some(3.5), Some(3.5))
    );
    assert_eq!(request.duration_unit, Some(DurationUnit::Days));
    assert_eq!(request.status, Some(RequestStatus::Approved));
    assert!(request.is_approved());
    assert_eq!(request.reason_code, None, "null is no reason code");
    assert_eq!(
        request.previous_request_id.map(RequestId::get),
        Some(31415000)
    );
    assert_eq!(request.visibility, Some(Visibility::Public));
    let file = &request.attachment_links[0];
    assert_eq!(file.mime_type.as_deref(), Some("application/pdf"));
    assert_eq!(
        file.extra["sizeBytes"],
        json!(48213),
        "unknown attachment keys are kept"
    );
    assert_eq!(
        request.extra["policyType"],
        json!("Holiday"),
        "unknown keys are kept"
    );
    assert!(request.extra.contains_key("localStartTime") && !request.extra.contains_key("type"));
}

#[test]
fn a_request_survives_a_round_trip() {
    let request: TimeOffRequest = decode(REQUEST).unwrap();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["type"], json!("days"));
    assert_eq!(json["startDate"], json!("2025-04-14"));
    assert_eq!(json["requestId"], json!(31415926), "IDs go back as numbers");
    assert_eq!(json["attachmentLinks"][0]["sizeBytes"], json!(48213));
    let again: TimeOffRequest = serde_json::from_value(json).unwrap();
    assert_eq!(again, request);
}

#[test]
fn loose_scalars_are_read_and_unknown_values_kept() {
    let request: TimeOffRequest = decode(
        r#"{"requestId": "27500233", "type": "sabbaticalBlocks", "hoursOnDate": 6.0,
            "dailyHours": "7.5", "approved": "false", "status": "pending_approval",
            "reasonCode": 3000, "visibility": "Team only", "startDate": "", "endDate": null,
            "createdOn": "2024-08-04T13:11:12Z", "startPortion": "All day",
            "date": "2024-01-31T00:00:00.000Z"}"#,
    )
    .unwrap();
    assert_eq!(
        request.request_id,
        Some(RequestId::new(27500233)),
        "numeric text"
    );
    assert_eq!(
        request.range_type,
        Some(RequestRangeType::Other("sabbaticalBlocks".into()))
    );
    assert_eq!(request.hours_on_date, Some(6), "6.0 is a whole number");
    assert_eq!(
        (request.daily_hours, request.approved),
        (Some(7.5), Some(false))
    );
    assert_eq!(request.status, Some(RequestStatus::Pending));
    assert_eq!(
        request.reason_code.as_deref(),
        Some("3000"),
        "a number read as text"
    );
    assert_eq!(
        request.visibility,
        Some(Visibility::Other("Team only".into()))
    );
    assert_eq!(
        (request.start_date, request.end_date),
        (None, None),
        "blank and null"
    );
    assert_eq!(request.start_portion, Some(DayPortion::AllDay));
    assert_eq!(
        request.date,
        Some(day(2024, 1, 31)),
        "a date-time at midnight is that date"
    );
    let utc = request
        .created_on
        .unwrap()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    assert_eq!(utc, "2024-08-04 13:11:12");
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json["type"],
        json!("sabbaticalBlocks"),
        "unknown values round-trip exactly"
    );
    assert_eq!(json["visibility"], json!("Team only"));
}

#[test]
fn a_wrong_shape_is_an_error_with_its_path() {
    let cases = [
        (r#"{"startDate": "next Tuesday"}"#, "startDate"),
        (r#"{"startDate": {"date": "2025-04-14"}}"#, "startDate"),
        (r#"{"totalCost": "three"}"#, "totalCost"),
        (r#"{"hoursOnDate": 6.5}"#, "hoursOnDate"),
        (r#"{"type": 3}"#, "type"),
        (r#"{"approved": "yes"}"#, "approved"),
        (r#"{"requestId": true}"#, "requestId"),
        (r#"{"createdOn": "2025-02-30T10:00:00"}"#, "createdOn"),
        (r#"{"date": "2025-04-14T10:00:00"}"#, "date"),
        (
            r#"{"attachmentLinks": [{"url": "u"}, {"url": ["u"]}]}"#,
            "attachmentLinks[1].url",
        ),
        (r#"{"attachmentLinks": {"url": "u"}}"#, "attachmentLinks"),
    ];
    for (json, path) in cases {
        assert_eq!(failure_path::<TimeOffRequest>(json), path, "{json}");
    }
}

#[test]
fn whos_out_reads_both_spellings_and_fails_on_a_bad_entry() {
    let answer: WhosOutResponse = decode(
        r#"{"outs": [
            {"requestId": 901, "employeeId": "3332883894235038486", "employeeDisplayName": "Ada Lovelace",
             "policyType": "Holiday", "policyTypeDisplayName": "Holiday", "type": "days",
             "startDate": "2025-07-07", "startPortion": "all_day", "endDate": "2025-07-11",
             "endPortion": "morning", "status": "Approved", "visibility": "Custom name"},
            {"requestId": 902, "employeeId": "3332883914770350878", "requestRangeType": "hours",
             "date": "2025-07-08", "hours": 2, "minutes": 30, "status": "Pending",
             "startDatePortion": "morning", "employeeEmail": "grace@example.com"}
        ], "nextPage": null}"#,
    )
    .unwrap();
    let [week, dentist] = &answer.outs[..] else {
        panic!("two entries")
    };
    assert_eq!(week.range_type, Some(RequestRangeType::Days));
    assert_eq!(week.end_portion, Some(DayPortion::Morning));
    assert_eq!(
        week.status,
        Some(RequestStatus::Approved),
        "`Approved` in any case"
    );
    assert_eq!(week.visibility, Some(Visibility::CustomName));
    assert_eq!(
        dentist.range_type,
        Some(RequestRangeType::Hours),
        "out-today spelling"
    );
    assert_eq!(
        (dentist.hours_on_date, dentist.minutes),
        (Some(2), Some(30))
    );
    assert_eq!(dentist.start_portion, Some(DayPortion::Morning));
    assert_eq!(dentist.extra["employeeEmail"], json!("grace@example.com"));
    assert!(answer.extra.contains_key("nextPage"));
    let json = serde_json::to_value(dentist).unwrap();
    assert_eq!(
        (json["type"].clone(), json["hoursOnDate"].clone()),
        (json!("hours"), json!(2))
    );

    let bad = r#"{"outs": [{"startDate": "2025-07-07"}, {"endDate": "07/11/2025"}]}"#;
    assert_eq!(failure_path::<WhosOutResponse>(bad), "outs[1].endDate");
}

#[test]
fn an_answer_without_its_list_is_an_error_not_an_empty_list() {
    let (path, message) = decode::<WhosOutResponse>(r#"{"error": "maintenance"}"#).unwrap_err();
    assert!(
        message.contains("missing field `outs`"),
        "{path}: {message}"
    );
    assert!(decode::<ChangesResponse>("{}").is_err());
    assert!(decode::<PolicyTypeNames>(r#"{"policyTypes": "Holiday"}"#).is_err());
    let empty: OutTodayResponse = decode(r#"{"outs": null}"#).unwrap();
    assert!(empty.outs.is_empty(), "an explicit null is empty");
}

#[test]
fn out_today_writes_its_own_spelling() {
    let answer: OutTodayResponse = decode(
        r#"{"outs": [{"employeeId": "3332883884017713938", "employeeDisplayName": "Ada",
            "employeeEmail": "ada@example.com", "policyTypeDisplayName": "Sick",
            "startDate": "2025-01-06", "startPortion": "all_day", "endDate": "2025-01-06",
            "endDatePortion": "all_day", "type": "days", "visibility": "Private",
            "hoursOnDate": 4}]}"#,
    )
    .unwrap();
    let out = &answer.outs[0];
    assert_eq!(
        out.start_date_portion,
        Some(DayPortion::AllDay),
        "who's-out spelling"
    );
    assert_eq!(out.range_type, Some(RequestRangeType::Days));
    assert_eq!(
        (out.hours, out.visibility.clone()),
        (Some(4), Some(Visibility::Private))
    );
    let json = serde_json::to_value(out).unwrap();
    assert_eq!(json["startDatePortion"], json!("all_day"));
    assert_eq!(json["requestRangeType"], json!("days"));
    assert_eq!(json["hours"], json!(4));
    assert!(json.get("startPortion").is_none() && json.get("type").is_none());
}

#[test]
fn changes_decode_with_their_change_type() {
    let feed: ChangesResponse = decode(
        r#"{"changes": [
            {"changeType": "Created", "employeeId": "3332883884017713938", "employeeEmail": "ada@example.com",
             "requestId": 501, "policyTypeDisplayName": "Holiday", "type": "portionOnRange",
             "createdOn": "2025-02-01T08:00:00.000001", "startDate": "2025-02-10", "endDate": "2025-02-14",
             "dayPortion": "afternoon", "durationUnit": "days", "totalDuration": 2.5, "totalCost": 2.5,
             "originalRequestId": 500, "previousRequestId": 500, "visibility": "Public", "approver": "x"},
            {"changeType": "Cancelled", "requestId": 480, "changeReason": "plans changed"},
            {"changeType": "Reinstated", "requestId": 470}
        ]}"#,
    )
    .unwrap();
    let [created, canceled, other] = &feed.changes[..] else {
        panic!("three changes")
    };
    assert_eq!(created.change_type, Some(ChangeType::Created));
    assert_eq!(created.range_type, Some(RequestRangeType::PortionOnRange));
    assert_eq!(created.day_portion, Some(DayPortion::Afternoon));
    assert_eq!(created.original_request_id, Some(RequestId::new(500)));
    assert_eq!(created.extra["approver"], json!("x"));
    assert_eq!(
        canceled.change_type,
        Some(ChangeType::Canceled),
        "both spellings"
    );
    assert_eq!(canceled.change_reason.as_deref(), Some("plans changed"));
    assert_eq!(
        other.change_type,
        Some(ChangeType::Other("Reinstated".into()))
    );
    assert_eq!(
        serde_json::to_value(other).unwrap()["changeType"],
        json!("Reinstated")
    );

    let bad = r#"{"changes": [{"changeType": "Created"}, {"changeType": {"name": "Deleted"}}]}"#;
    assert_eq!(
        failure_path::<ChangesResponse>(bad),
        "changes[1].changeType"
    );
}

#[test]
fn a_balance_decodes() {
    let balance: Balance = decode(
        r#"{"employeeId": "3332883884017713938", "totalBalanceAsOfDate": 12.75,
            "totalRoundedBalanceAsOfDate": 12.5, "pointInTime": "2025-06-30", "startingBalance": 25,
            "startingBalanceAsOf": "2025-01-01", "totalTaken": 12.25, "totalAdminAdjustments": 0,
            "totalSystemAdjustments": "0", "annualAllowance": 25, "policy": "UK Holiday 25",
            "carryOver": 3}"#,
    )
    .unwrap();
    assert_eq!(balance.total_balance_as_of_date, Some(12.75));
    assert_eq!(
        balance.starting_balance,
        Some(25.0),
        "an integer is a number"
    );
    assert_eq!(balance.total_system_adjustments, Some(0.0), "numeric text");
    assert_eq!(balance.point_in_time, Some(day(2025, 6, 30)));
    assert_eq!(balance.policy.as_deref(), Some("UK Holiday 25"));
    assert_eq!(balance.extra["carryOver"], json!(3));
    assert_eq!(
        failure_path::<Balance>(r#"{"totalTaken": [1]}"#),
        "totalTaken"
    );
}

#[test]
fn policies_types_and_reason_codes_decode() {
    let types: PolicyTypeNames =
        decode(r#"{"policyTypes": ["Holiday", "Sick", "Time Off in Lieu"]}"#).unwrap();
    assert_eq!(types.policy_types, ["Holiday", "Sick", "Time Off in Lieu"]);
    let names: PolicyNames = decode(r#"{"policyNames": ["UK Holiday 25", "US PTO"]}"#).unwrap();
    assert_eq!(names.policy_names.len(), 2);

    let kind: PolicyType =
        decode(r#"{"name": "Training", "activity": "workTime", "unit": "hours"}"#).unwrap();
    assert_eq!(kind.activity, Some(PolicyActivity::WorkTime));
    assert_eq!(kind.unit, Some(DurationUnit::Hours));

    let policy: Policy = decode(
        r#"{"name": "UK Holiday 25", "allowance": 25, "maxBalance": 30, "minBalance": -5,
            "yosIncrease": [{"yearsOfService": 5, "extraDays": 2}, {"yearsOfService": 10, "extraDays": 5, "cap": 1}],
            "minTimeOffRequestDuration": "halfDay", "bookingWorkDaysOnly": true,
            "approvalRequired": true, "description": "Statutory plus", "unit": "days",
            "accrual": {"frequency": "monthly"}}"#,
    )
    .unwrap();
    assert_eq!(policy.min_balance, Some(-5.0));
    assert_eq!(policy.yos_increase[1].extra_days, Some(5.0));
    assert_eq!(policy.yos_increase[1].extra["cap"], json!(1));
    assert_eq!(
        policy.min_time_off_request_duration,
        Some(MinRequestDuration::HalfDay)
    );
    assert_eq!(policy.booking_work_days_only, Some(true));
    assert_eq!(policy.extra["accrual"]["frequency"], json!("monthly"));
    assert_eq!(
        failure_path::<Policy>(r#"{"yosIncrease": [{"yearsOfService": "five"}]}"#),
        "yosIncrease[0].yearsOfService"
    );

    let codes: ReasonCodes =
        decode(r#"{"reasonCodes": [{"id": 3000, "displayName": "Family"}, {"id": "3001", "displayName": "Medical"}]}"#)
            .unwrap();
    assert_eq!(codes.reason_codes[0].id, Some(3000));
    assert_eq!(codes.reason_codes[1].id, Some(3001), "numeric text");
    assert_eq!(
        failure_path::<ReasonCodes>(r#"{"reasonCodes": [{"id": "Family"}]}"#),
        "reasonCodes[0].id"
    );
}
