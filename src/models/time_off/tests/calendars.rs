use serde_json::json;

use super::{day, decode, failure_path, invalid_message};
use crate::models::time_off::*;
use crate::models::{CursorPage, EmployeeId};

#[test]
fn an_events_page_decodes_field_id_keys_and_plain_keys() {
    let page: CursorPage<CalendarEvent> = decode(
        r#"{"items": [
            {"/calendarEvent/id": 88120, "/calendarEvent/name": "Christmas Day",
             "/calendarEvent/startDate": "2025-12-25", "/calendarEvent/endDate": "2025-12-25",
             "/calendarEvent/eventType": "holiday", "/calendarEvent/siteId": 2606110,
             "/calendarEvent/calendarId": "7", "/calendarEvent/halfDay": false},
            {"id": "88121", "name": "Office closed", "startDate": "2025-12-29", "endDate": "2025-12-31",
             "eventType": "closure"}
        ], "response_metadata": {"next_cursor": "eyJvIjoyfQ"}}"#,
    )
    .unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("eyJvIjoyfQ"));
    assert!(page.next_cursor.is_some());
    let [christmas, closure] = &page.items[..] else {
        panic!("two events")
    };
    assert_eq!(
        christmas.id.as_deref(),
        Some("88120"),
        "a numeric ID kept as text"
    );
    assert_eq!(christmas.start_date, Some(day(2025, 12, 25)));
    assert_eq!(christmas.site_id.as_deref(), Some("2606110"));
    assert_eq!(christmas.calendar_id.as_deref(), Some("7"));
    assert_eq!(
        christmas.extra["/calendarEvent/halfDay"],
        json!(false),
        "unknown fields kept"
    );
    assert_eq!(closure.end_date, Some(day(2025, 12, 31)));
    assert_eq!(closure.event_type.as_deref(), Some("closure"));

    let json = serde_json::to_value(&page.items).unwrap();
    assert_eq!(json[1]["/calendarEvent/name"], json!("Office closed"));
    let again: Vec<CalendarEvent> = serde_json::from_value(json).unwrap();
    assert_eq!(
        again, page.items,
        "items round-trip with their field-ID keys"
    );
}

#[test]
fn the_last_page_and_bad_pages() {
    for last in [
        r#"{"items": []}"#,
        r#"{"items": [], "response_metadata": {"next_cursor": null}}"#,
        r#"{"items": null, "response_metadata": {"next_cursor": ""}}"#,
    ] {
        let page: CursorPage<EmployeeCalendar> = decode(last).unwrap();
        assert!(
            page.next_cursor.is_none() && page.items.is_empty(),
            "{last}"
        );
    }
    assert!(
        decode::<CursorPage<CalendarEvent>>(r#"{"events": [{}]}"#).is_err(),
        "rows under another key are never an empty page"
    );
    let bad_date = r#"{"items": [{"/calendarEvent/startDate": "2025-12-25"}, {"/calendarEvent/startDate": "25.12.2025"}]}"#;
    assert_eq!(
        failure_path::<CursorPage<CalendarEvent>>(bad_date),
        "items[1]./calendarEvent/startDate"
    );
    let bad_cursor = r#"{"items": [], "response_metadata": {"next_cursor": {"offset": 2}}}"#;
    assert_eq!(
        failure_path::<CursorPage<CalendarEvent>>(bad_cursor),
        "response_metadata.next_cursor"
    );
}

#[test]
fn employee_calendars_decode_with_their_source() {
    let page: CursorPage<EmployeeCalendar> = decode(
        r#"{"items": [
            {"/employeeCalendar/employeeId": "3332883884017713938", "/employeeCalendar/calendarId": 7,
             "/employeeCalendar/calendarName": "UK (England)", "/employeeCalendar/source": "employment",
             "/employeeCalendar/siteId": 2606110},
            {"/employeeCalendar/employeeId": "3332883894235038486", "/employeeCalendar/calendarId": null,
             "/employeeCalendar/calendarName": null, "/employeeCalendar/source": "none",
             "/employeeCalendar/siteId": null},
            {"employeeId": "3332883914770350878", "source": "regional", "calendarId": "12"}
        ], "response_metadata": {"next_cursor": null}}"#,
    )
    .unwrap();
    let [ada, none, other] = &page.items[..] else {
        panic!("three items")
    };
    assert_eq!(ada.source, Some(CalendarSource::Employment));
    assert_eq!(ada.calendar_id.as_deref(), Some("7"));
    assert_eq!(none.source, Some(CalendarSource::Unassigned));
    assert_eq!(
        (none.calendar_id.clone(), none.site_id.clone()),
        (None, None)
    );
    assert_eq!(
        other.employee_id,
        Some(EmployeeId::new("3332883914770350878"))
    );
    assert_eq!(other.source, Some(CalendarSource::Other("regional".into())));
    assert_eq!(
        serde_json::to_value(none).unwrap()["/employeeCalendar/source"],
        json!("none")
    );
}

#[test]
fn an_events_search_serializes_its_range_and_filters() {
    let mut search = CalendarEventsSearch::new(day(2025, 1, 1), day(2025, 12, 31));
    search.site_ids = vec!["2606110".into()];
    search.fields = vec!["/calendarEvent/name".into()];
    search.limit = Some(500);
    search.cursor = Some("eyJvIjoyfQ".into());
    search.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&search).unwrap(),
        json!({
            "fields": ["/calendarEvent/name"],
            "filters": [
                {"fieldId": "/calendarEvent/startDate", "operator": "between", "values": ["2025-01-01", "2025-12-31"]},
                {"fieldId": "/calendarEvent/siteId", "operator": "equals", "values": ["2606110"]}
            ],
            "limit": 500,
            "cursor": "eyJvIjoyfQ"
        })
    );
    let first =
        serde_json::to_value(CalendarEventsSearch::new(day(2025, 1, 1), day(2025, 1, 31))).unwrap();
    assert!(
        first.get("cursor").is_none()
            && first.get("limit").is_none()
            && first.get("fields").is_none()
    );
    let read_back: SearchBody = serde_json::from_value(first).unwrap();
    assert_eq!(read_back.filters[0].operator, FilterOperator::Between);
}

#[test]
fn events_searches_hibob_would_refuse_are_refused() {
    let leap_year = CalendarEventsSearch::new(day(2024, 1, 1), day(2024, 12, 31));
    leap_year
        .validate()
        .expect("366 days, both ends counted, is the limit");
    let too_long = CalendarEventsSearch::new(day(2024, 1, 1), day(2025, 1, 1));
    assert!(invalid_message(too_long.validate()).contains("spans 367 days"));
    let backwards = CalendarEventsSearch::new(day(2025, 2, 1), day(2025, 1, 1));
    assert!(invalid_message(backwards.validate()).contains("before it starts"));
    let mut blank_site = CalendarEventsSearch::new(day(2025, 1, 1), day(2025, 1, 2));
    blank_site.site_ids = vec![" ".into()];
    assert!(invalid_message(blank_site.validate()).contains("blank calendar or site ID"));
    let mut empty_filter = CalendarEventsSearch::new(day(2025, 1, 1), day(2025, 1, 2));
    empty_filter.filters = vec![SearchFilter::new(
        "/calendarEvent/eventType",
        FilterOperator::Equals,
        Vec::<String>::new(),
    )];
    assert!(invalid_message(empty_filter.validate()).contains("needs values"));
    for limit in [0, MAX_LIMIT + 1] {
        let mut search = CalendarEventsSearch::new(day(2025, 1, 1), day(2025, 1, 2));
        search.limit = Some(limit);
        assert!(invalid_message(search.validate()).contains("limit must be 1 to 1000"));
    }
}

#[test]
fn an_employee_calendars_search_takes_at_most_5000_ids() {
    let ids: Vec<String> = (0..MAX_EMPLOYEE_IDS)
        .map(|i| format!("33328838840177{i:05}"))
        .collect();
    let mut search = EmployeeCalendarsSearch::new(&ids);
    search.validate().expect("5,000 is allowed");
    let json = serde_json::to_value(&search).unwrap();
    assert_eq!(
        json["filters"][0]["fieldId"],
        json!("/employeeCalendar/employeeId")
    );
    assert_eq!(json["filters"][0]["operator"], json!("equals"));
    assert_eq!(
        json["filters"][0]["values"].as_array().unwrap().len(),
        MAX_EMPLOYEE_IDS
    );

    search
        .employee_ids
        .push(EmployeeId::new("3332883884017799999"));
    assert!(invalid_message(search.validate()).contains("at most 5000 employee IDs, not 5001"));
    let none = EmployeeCalendarsSearch::new(Vec::<EmployeeId>::new());
    assert!(invalid_message(none.validate()).contains("at least one employee ID"));
    let blank = EmployeeCalendarsSearch::new(["3332883884017713938", ""]);
    assert!(invalid_message(blank.validate()).contains("empty employee ID"));
    let mut blank_cursor = EmployeeCalendarsSearch::new(["3332883884017713938"]);
    blank_cursor.cursor = Some(String::new());
    assert!(invalid_message(blank_cursor.validate()).contains("cursor is blank"));
}
