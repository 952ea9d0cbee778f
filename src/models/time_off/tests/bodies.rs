use chrono::NaiveTime;
use serde_json::{Value, json};

use super::{day, invalid_message};
use crate::models::time_off::*;

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn body(request: &SubmitTimeOffRequest) -> Value {
    request.validate().expect("a valid request");
    serde_json::to_value(request).unwrap()
}

#[test]
fn every_request_type_of_the_spec_serializes_to_its_shape() {
    let days = SubmitTimeOffRequest::days("Holiday", day(2024, 5, 29), day(2024, 6, 3))
        .with_portions(DayPortion::AllDay, DayPortion::Morning)
        .with_description("a long weekend")
        .with_reason_code(3000)
        .approved_by("3452152476387906847");
    assert_eq!(
        body(&days),
        json!({"requestRangeType": "days", "policyType": "Holiday", "startDate": "2024-05-29",
               "startDatePortion": "all_day", "endDate": "2024-06-03", "endDatePortion": "morning",
               "skipManagerApproval": true, "approver": "3452152476387906847",
               "description": "a long weekend", "reasonCode": 3000})
    );

    let hours = SubmitTimeOffRequest::hours("Holiday", day(2024, 5, 29), 4, 30);
    assert_eq!(
        body(&hours),
        json!({"requestRangeType": "hours", "policyType": "Holiday", "startDate": "2024-05-29",
               "endDate": "2024-05-29", "hours": 4, "minutes": 30})
    );

    let durations = vec![
        DayDuration::new(day(2024, 1, 3), 0, 15),
        DayDuration::new(day(2024, 1, 4), 0, 0),
        DayDuration::new(day(2024, 1, 5), 2, 45),
    ];
    let different = SubmitTimeOffRequest::different_day_durations(
        "Holiday",
        day(2024, 1, 3),
        day(2024, 1, 5),
        durations,
    );
    let json = body(&different);
    assert_eq!(json["requestRangeType"], json!("differentDayDurations"));
    assert_eq!(
        json["durations"][2],
        json!({"date": "2024-01-05", "hours": 2, "minutes": 45})
    );

    let mornings = SubmitTimeOffRequest::portion_on_range(
        "Holiday",
        day(2024, 5, 29),
        day(2024, 6, 3),
        DayPortion::Morning,
    );
    assert_eq!(body(&mornings)["dayPortion"], json!("morning"));
    assert_eq!(body(&mornings)["requestRangeType"], json!("portionOnRange"));

    let daily =
        SubmitTimeOffRequest::hours_on_range("Holiday", day(2024, 5, 29), day(2024, 6, 3), 7, 30);
    let json = body(&daily);
    assert_eq!(
        (json["dailyHours"].clone(), json["dailyMinutes"].clone()),
        (json!(7), json!(30))
    );

    let specific = SubmitTimeOffRequest::specific_hours(
        "Holiday",
        day(2024, 1, 3),
        day(2024, 1, 5),
        time(9, 30),
        time(13, 0),
    );
    let json = body(&specific);
    assert_eq!(json["requestRangeType"], json!("specificHoursDayDurations"));
    assert_eq!(
        (json["localStartTime"].clone(), json["localEndTime"].clone()),
        (json!("09:30:00"), json!("13:00:00"))
    );
    assert_eq!(
        specific.duration.range_type(),
        RequestRangeType::SpecificHoursDayDurations
    );
}

#[test]
fn a_submitted_body_reads_back_into_the_same_request() {
    let request =
        SubmitTimeOffRequest::hours_on_range("Sick", day(2025, 3, 3), day(2025, 3, 4), 3, 0)
            .with_description("physio");
    let json = serde_json::to_value(&request).unwrap();
    let again: SubmitTimeOffRequest = serde_json::from_value(json).unwrap();
    assert_eq!(again, request);
    let unknown = json!({"requestRangeType": "percentage", "policyType": "Holiday",
                         "startDate": "2025-03-03", "endDate": "2025-03-04", "percent": 50});
    assert!(
        serde_json::from_value::<SubmitTimeOffRequest>(unknown).is_err(),
        "not a type the spec documents"
    );
}

#[test]
fn submits_that_hibob_would_refuse_are_refused_before_sending() {
    let (may1, may2) = (day(2025, 5, 1), day(2025, 5, 2));
    let cases: Vec<(SubmitTimeOffRequest, &str)> = vec![
        (SubmitTimeOffRequest::days("  ", may1, may2), "policy type"),
        (
            SubmitTimeOffRequest::days("Holiday", may2, may1),
            "ends (2025-05-01) before it starts (2025-05-02)",
        ),
        (
            SubmitTimeOffRequest::days("Holiday", may1, may2)
                .with_portions(DayPortion::Morning, DayPortion::AllDay),
            "starts `all_day` or in the `afternoon`, not `morning`",
        ),
        (
            SubmitTimeOffRequest::days("Holiday", may1, may2)
                .with_portions(DayPortion::AllDay, DayPortion::Afternoon),
            "ends `all_day` or in the `morning`",
        ),
        (
            SubmitTimeOffRequest::days("Holiday", may1, may1)
                .with_portions(DayPortion::Afternoon, DayPortion::Morning),
            "cannot start in the afternoon and end in the morning",
        ),
        (
            SubmitTimeOffRequest::hours("Holiday", may1, 0, 0),
            "nothing is requested",
        ),
        (
            SubmitTimeOffRequest::hours("Holiday", may1, 2, 60),
            "minutes must be 0 to 59, not 60",
        ),
        (
            SubmitTimeOffRequest::hours("Holiday", may1, 24, 1),
            "more than 24 hours a day",
        ),
        (
            SubmitTimeOffRequest::hours_on_range("Holiday", may1, may2, 25, 0),
            "more than 24 hours a day",
        ),
        (
            SubmitTimeOffRequest::portion_on_range("Holiday", may1, may2, DayPortion::AllDay),
            "`morning` or `afternoon`",
        ),
        (
            SubmitTimeOffRequest::specific_hours("Holiday", may1, may2, time(13, 0), time(9, 0)),
            "must end after it starts",
        ),
        (
            SubmitTimeOffRequest::different_day_durations("Holiday", may1, may2, vec![]),
            "at least one day",
        ),
        (
            SubmitTimeOffRequest::different_day_durations(
                "Holiday",
                may1,
                may2,
                vec![DayDuration::new(day(2025, 5, 3), 1, 0)],
            ),
            "2025-05-03 lies outside its dates",
        ),
        (
            SubmitTimeOffRequest::different_day_durations(
                "Holiday",
                may1,
                may2,
                vec![DayDuration::new(may1, 1, 0), DayDuration::new(may1, 2, 0)],
            ),
            "lists 2025-05-01 twice",
        ),
        (
            SubmitTimeOffRequest::different_day_durations(
                "Holiday",
                may1,
                may2,
                vec![DayDuration::new(may2, 0, 0)],
            ),
            "requests no time",
        ),
        (
            SubmitTimeOffRequest::days("Holiday", may1, may2).approved_by(""),
            "approver",
        ),
    ];
    for (request, wanted) in cases {
        let message = invalid_message(request.validate());
        assert!(
            message.contains(wanted),
            "{message:?} should mention {wanted:?}"
        );
    }
    let mut two_days = SubmitTimeOffRequest::hours("Holiday", may1, 1, 0);
    two_days.end_date = may2;
    assert!(invalid_message(two_days.validate()).contains("covers one day"));
    let unknown_portion = SubmitTimeOffRequest::days("Holiday", may1, may2)
        .with_portions(DayPortion::parse("evening"), DayPortion::AllDay);
    assert!(invalid_message(unknown_portion.validate()).contains("not `evening`"));
}

#[test]
fn adjustments_serialize_and_validate() {
    let adjustment = AdjustmentRequest::new("Holiday", day(2025, 1, 1), -1.5)
        .with_type(AdjustmentType::DaysUsed)
        .with_reason("correction");
    adjustment.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&adjustment).unwrap(),
        json!({"policyType": "Holiday", "effectiveDate": "2025-01-01", "amount": -1.5,
               "adjustmentType": "daysUsed", "reason": "correction"})
    );
    let minimal =
        serde_json::to_value(AdjustmentRequest::new("Sick", day(2025, 1, 1), 2.0)).unwrap();
    assert!(minimal.get("adjustmentType").is_none() && minimal.get("reason").is_none());

    let zero = AdjustmentRequest::new("Holiday", day(2025, 1, 1), 0.0);
    assert!(invalid_message(zero.validate()).contains("non-zero"));
    let nan = AdjustmentRequest::new("Holiday", day(2025, 1, 1), f64::NAN);
    assert!(invalid_message(nan.validate()).contains("non-zero number"));
    let blank = AdjustmentRequest::new("", day(2025, 1, 1), 1.0);
    assert!(invalid_message(blank.validate()).contains("policy type"));
    let odd = AdjustmentRequest::new("Holiday", day(2025, 1, 1), 1.0)
        .with_type(AdjustmentType::parse("carryOver"));
    assert!(invalid_message(odd.validate()).contains("not `carryOver`"));
}

#[test]
fn reason_codes_to_add_serialize_and_validate() {
    let add = AddReasonCodes::new(["Family", "Medical"]);
    add.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&add).unwrap(),
        json!({"reasonCodes": ["Family", "Medical"]})
    );
    assert!(
        invalid_message(AddReasonCodes::new(Vec::<String>::new()).validate())
            .contains("at least one")
    );
    assert!(
        invalid_message(AddReasonCodes::new(["Family", " "]).validate()).contains("reason code 2")
    );
    assert!(
        invalid_message(AddReasonCodes::new(["Family", "Family"]).validate()).contains("twice")
    );
}
