use serde_json::json;

use super::{decode, failure_path};
use crate::models::EmployeeId;
use crate::models::time_off::*;

#[test]
fn request_types_are_an_open_enum_that_round_trips() {
    let known = [
        ("days", RequestRangeType::Days),
        ("hours", RequestRangeType::Hours),
        ("portionOnRange", RequestRangeType::PortionOnRange),
        ("hoursOnRange", RequestRangeType::HoursOnRange),
        (
            "differentDayDurations",
            RequestRangeType::DifferentDayDurations,
        ),
        (
            "specificHoursDayDurations",
            RequestRangeType::SpecificHoursDayDurations,
        ),
    ];
    for (wire, kind) in known {
        assert_eq!(RequestRangeType::parse(wire), kind);
        assert_eq!(kind.as_str(), wire);
        assert!(kind.is_known());
        let json = serde_json::to_value(&kind).unwrap();
        assert_eq!(json, json!(wire));
        assert_eq!(
            serde_json::from_value::<RequestRangeType>(json).unwrap(),
            kind
        );
    }
    assert_eq!(
        RequestRangeType::parse("PORTION_ON_RANGE"),
        RequestRangeType::PortionOnRange
    );
    let other = RequestRangeType::parse("percentageOfDay");
    assert_eq!(other, RequestRangeType::Other("percentageOfDay".into()));
    assert!(!other.is_known() && !other.is_hourly());
    assert_eq!(
        serde_json::to_value(&other).unwrap(),
        json!("percentageOfDay")
    );
    assert_eq!(other.to_string(), "percentageOfDay");
    assert!(RequestRangeType::HoursOnRange.is_hourly() && !RequestRangeType::Days.is_hourly());
    assert!(
        serde_json::from_value::<RequestRangeType>(json!(7)).is_err(),
        "a number is no type"
    );
    assert!(
        serde_json::from_value::<RequestRangeType>(json!(null)).is_err(),
        "null only in an Option"
    );
}

#[test]
fn spellings_fold_to_one_value() {
    for spelling in ["ALL_DAY", "all-day", "allDay", "All day"] {
        assert_eq!(
            DayPortion::parse(spelling),
            DayPortion::AllDay,
            "{spelling}"
        );
    }
    assert_eq!(DayPortion::parse(" Morning "), DayPortion::Morning);
    assert_eq!(
        RequestStatus::parse("pending_approval"),
        RequestStatus::Pending
    );
    assert_eq!(RequestStatus::parse("Cancelled"), RequestStatus::Canceled);
    assert_eq!(Visibility::parse("custom_name"), Visibility::CustomName);
    assert_eq!(Visibility::CustomName.as_str(), "Custom name");
    assert_eq!(CalendarSource::Unassigned.as_str(), "none");
    assert_eq!(
        "unpaidTimeoff".parse::<PolicyActivity>().unwrap(),
        PolicyActivity::UnpaidTimeOff
    );
    assert_eq!(
        DayPortion::parse("evening").as_str(),
        "evening",
        "kept exactly"
    );
}

#[test]
fn time_off_webhook_types_cover_the_documented_list() {
    let documented = [
        ("timeoff.request.requested", TimeOffEventType::Requested),
        ("timeoff.request.approved", TimeOffEventType::Approved),
        ("timeoff.request.declined", TimeOffEventType::Declined),
        ("timeoff.request.cancelled", TimeOffEventType::Cancelled),
        ("timeoff.request.deleted", TimeOffEventType::Deleted),
        ("timeoff.request.updated", TimeOffEventType::Updated),
        ("timeoff.request.imported", TimeOffEventType::Imported),
        ("timeoff.request.setEndDate", TimeOffEventType::SetEndDate),
    ];
    for (wire, kind) in documented {
        assert_eq!(TimeOffEventType::parse(wire), kind, "{wire}");
        assert_eq!(kind.as_str(), wire);
    }
    assert!(!TimeOffEventType::Deleted.request_still_exists());
    assert!(TimeOffEventType::Cancelled.request_still_exists());
    let later = TimeOffEventType::parse("timeoff.request.escalated");
    assert_eq!(
        later,
        TimeOffEventType::Other("timeoff.request.escalated".into())
    );
    assert_eq!(
        serde_json::to_value(&later).unwrap(),
        json!("timeoff.request.escalated")
    );
}

#[test]
fn time_off_webhook_data_names_the_request() {
    let data: TimeOffEventData = decode(
        r#"{"timeoffRequestId": 32832853, "employeeId": "3373576791477190995",
            "getApi": "https://api.hibob.com/v1/timeoff/employees/3373576791477190995/requests/32832853",
            "originalRequestId": 32832000, "previousRequestId": 32832800, "changedFields": ["endDate"]}"#,
    )
    .unwrap();
    assert_eq!(data.timeoff_request_id, RequestId::new(32832853));
    assert_eq!(data.employee_id, EmployeeId::new("3373576791477190995"));
    assert_eq!(data.previous_request_id, Some(RequestId::new(32832800)));
    assert_eq!(data.extra["changedFields"], json!(["endDate"]));
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(json["timeoffRequestId"], json!(32832853));
    assert_eq!(
        serde_json::from_value::<TimeOffEventData>(json).unwrap(),
        data
    );

    let (_, message) =
        decode::<TimeOffEventData>(r#"{"employeeId": "3373576791477190995"}"#).unwrap_err();
    assert!(
        message.contains("missing field `timeoffRequestId`"),
        "{message}"
    );
    let null_id = r#"{"timeoffRequestId": null, "employeeId": "3373576791477190995"}"#;
    assert_eq!(
        failure_path::<TimeOffEventData>(null_id),
        "timeoffRequestId"
    );
    let odd_id = r#"{"timeoffRequestId": 1, "employeeId": {"id": "3373576791477190995"}}"#;
    assert_eq!(failure_path::<TimeOffEventData>(odd_id), "employeeId");
}
