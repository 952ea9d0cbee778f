//! Every documented event shape, unknown types and keys, decode errors.

use chrono::NaiveDate;
use hibob::FieldId;
use hibob::tables::{EmployeeTable, HistoryTable};
use hibob::webhooks::{self, Event, EventData, EventType, FollowUp, TriggeredBy, WebhookError};
use serde_json::json;

use super::{TABLE_BODY, event_json, parse, round_trips};

#[test]
fn employee_and_lifecycle_events_carry_the_employee_id() {
    let cases = [
        ("employee.created", EventType::EmployeeCreated),
        ("employee.deleted", EventType::EmployeeDeleted),
        ("employee.joined", EventType::EmployeeJoined),
        ("employee.left", EventType::EmployeeLeft),
        ("employee.activated", EventType::EmployeeActivated),
        ("employee.inactivated", EventType::EmployeeInactivated),
    ];
    for (wire, expected) in cases {
        let value = event_json(wire, "system", json!({"employeeId": "3332883894235038486"}));
        let event = parse(&value);
        assert_eq!(event.event_type, expected);
        assert_eq!(event.event_type.as_str(), wire);
        assert_eq!(event.company_id, 636192);
        assert_eq!(event.version.as_deref(), Some("v2"));
        assert_eq!(event.employee_id().unwrap().as_str(), "3332883894235038486");
        assert!(matches!(event.data, EventData::Employee(_)), "{wire}");
        round_trips(&value);
    }
}

#[test]
fn employee_created_as_documented_without_a_version() {
    // HiBob's "API calls for webhook events" example has no `version` key.
    let value = json!({"companyId": 637323, "type": "employee.created",
        "triggeredBy": "3332883804594373380", "triggeredAt": "2024-12-26T11:29:14.399997",
        "data": {"employeeId": "3332883894235038486"}});
    let event = parse(&value);
    assert_eq!(event.version, None);
    assert_eq!(
        event.triggered_by,
        TriggeredBy::Employee("3332883804594373380".into())
    );
    assert_eq!(
        event.triggered_at.naive_utc(),
        NaiveDate::from_ymd_opt(2024, 12, 26)
            .unwrap()
            .and_hms_micro_opt(11, 29, 14, 399_997)
    );
    assert_eq!(
        event.follow_up(),
        Some(FollowUp::Employee {
            id: "3332883894235038486".into(),
            fields: vec![]
        })
    );
    round_trips(&value);
}

#[test]
fn employee_updated_lists_the_changed_field_ids() {
    let value = event_json(
        "employee.updated",
        "3332883804594373380",
        json!({"employeeId": "3332883894235038486", "fieldUpdates": [
            {"fieldId": "root.firstName"},
            {"fieldId": "work.title"},
            {"fieldId": "/work/custom/field_1698036945383"},
            {"fieldId": "work.title"}
        ]}),
    );
    let event = parse(&value);
    let EventData::EmployeeUpdated(data) = &event.data else {
        panic!("{:?}", event.data)
    };
    assert_eq!(data.field_updates.len(), 4);
    let expected: Vec<FieldId> = [
        "root.firstName",
        "work.title",
        "work.custom.field_1698036945383",
    ]
    .map(FieldId::from)
    .to_vec();
    assert_eq!(data.changed_fields(), expected);
    assert_eq!(
        event.follow_up(),
        Some(FollowUp::Employee {
            id: "3332883894235038486".into(),
            fields: expected
        })
    );
    round_trips(&value);
}

#[test]
fn employee_updated_tolerates_string_lists_extra_keys_and_no_list() {
    let strings = event_json(
        "employee.updated",
        "system",
        json!({"employeeId": "1", "fieldUpdates": ["work.department", "/root/email"]}),
    );
    let EventData::EmployeeUpdated(data) = parse(&strings).data else {
        panic!()
    };
    assert_eq!(
        data.changed_fields(),
        [
            FieldId::from("work.department"),
            FieldId::from("root.email")
        ]
    );
    round_trips(&strings);

    let with_values = event_json(
        "employee.updated",
        "system",
        json!({"employeeId": "1", "fieldUpdates": [
            {"fieldId": "work.site", "oldValue": "Paris", "newValue": "London"},
            {"somethingElse": true}
        ]}),
    );
    let EventData::EmployeeUpdated(data) = parse(&with_values).data else {
        panic!()
    };
    assert_eq!(data.field_updates[0].extra["newValue"], "London");
    assert_eq!(data.field_updates[1].field_id, None);
    assert_eq!(data.changed_fields(), [FieldId::from("work.site")]);
    round_trips(&with_values);

    for data in [
        json!({"employeeId": "1"}),
        json!({"employeeId": "1", "fieldUpdates": null}),
    ] {
        let event = parse(&event_json("employee.updated", "system", data));
        assert_eq!(
            event.follow_up(),
            Some(FollowUp::Employee {
                id: "1".into(),
                fields: vec![]
            })
        );
    }
}

#[test]
fn table_events_with_effective_date_only() {
    let event = webhooks::parse_event(TABLE_BODY.as_bytes()).unwrap();
    let EventData::TableEntry(data) = &event.data else {
        panic!("{:?}", event.data)
    };
    assert_eq!(data.table_id, "lifecycle");
    assert_eq!(data.effective_date, NaiveDate::from_ymd_opt(2025, 1, 8));
    assert_eq!(data.id, None);
    assert_eq!(data.history_table(), Some(HistoryTable::Lifecycle));
    assert_eq!(
        event.follow_up(),
        Some(FollowUp::Table {
            employee_id: "3332883854254932743".into(),
            table: HistoryTable::Lifecycle
        })
    );
    assert_eq!(serde_json::to_string(&event).unwrap(), TABLE_BODY);

    for (table, expected) in [
        ("work", HistoryTable::Work),
        ("employment", HistoryTable::Employment),
        ("salaries", HistoryTable::Salaries),
    ] {
        let value = event_json(
            "table.entry.updated",
            "3332883804594373380",
            json!({"employeeId": "7", "tableId": table, "effectiveDate": "2026-09-06"}),
        );
        let event = parse(&value);
        assert_eq!(event.event_type, EventType::TableEntryUpdated);
        assert_eq!(
            event.follow_up(),
            Some(FollowUp::Table {
                employee_id: "7".into(),
                table: expected
            })
        );
        round_trips(&value);
    }
}

#[test]
fn table_events_with_id_only() {
    let value = event_json(
        "table.entry.created",
        "3332883804594373380",
        json!({"employeeId": "3332883854254932743", "tableId": "bankAccounts", "id": 1000020260906_i64}),
    );
    let event = parse(&value);
    let EventData::TableEntry(data) = &event.data else {
        panic!()
    };
    assert_eq!(data.id, Some(1000020260906));
    assert_eq!(data.effective_date, None);
    assert_eq!(data.history_table(), None);
    assert_eq!(
        event.follow_up(),
        Some(FollowUp::Rows {
            employee_id: "3332883854254932743".into(),
            table: EmployeeTable::BankAccounts
        }),
        "bank accounts are read untyped"
    );
    round_trips(&value);
}

#[test]
fn legacy_table_events_with_both_keys_and_nulls() {
    let value = event_json(
        "table.entry.updated",
        "system",
        json!({"employeeId": "9", "tableId": "work", "effectiveDate": "2024-04-01", "id": null}),
    );
    let EventData::TableEntry(data) = parse(&value).data else {
        panic!()
    };
    assert_eq!(data.id, None);
    assert_eq!(data.effective_date, NaiveDate::from_ymd_opt(2024, 4, 1));
}

#[test]
fn triggered_by_system_and_employee() {
    let system = parse(&event_json(
        "employee.joined",
        "system",
        json!({"employeeId": "1"}),
    ));
    assert_eq!(system.triggered_by, TriggeredBy::System);
    assert_eq!(system.triggered_by.to_string(), "system");
    let by = parse(&event_json(
        "employee.joined",
        "3332883804594373380",
        json!({"employeeId": "1"}),
    ));
    assert_eq!(
        by.triggered_by,
        TriggeredBy::Employee("3332883804594373380".into())
    );
}

#[test]
fn triggered_at_tolerates_zones_and_keeps_unparsable_text() {
    let mut value = event_json("employee.left", "system", json!({"employeeId": "1"}));
    value["triggeredAt"] = json!("2025-01-08T14:06:26.915906+01:00");
    let event = parse(&value);
    assert_eq!(
        event.triggered_at.naive_utc(),
        NaiveDate::from_ymd_opt(2025, 1, 8)
            .unwrap()
            .and_hms_micro_opt(13, 6, 26, 915_906)
    );
    value["triggeredAt"] = json!("08/01/2025 13:06");
    let event = parse(&value);
    assert_eq!(event.triggered_at.naive_utc(), None);
    assert_eq!(event.triggered_at.as_str(), "08/01/2025 13:06");
    round_trips(&value);
}

#[test]
fn unknown_event_types_and_keys_are_kept_and_round_trip() {
    let value = json!({
        "companyId": 636192,
        "type": "employee.temporaryLeave",
        "triggeredBy": "system",
        "triggeredAt": "2025-03-01T00:00:00.000123",
        "version": "v2",
        "deliveryId": "a1b2",
        "data": {"employeeId": "3332883854254932743", "leaveType": "parental", "nested": {"x": [1, 2]}}
    });
    let event = parse(&value);
    assert_eq!(
        event.event_type,
        EventType::Other("employee.temporaryLeave".into())
    );
    assert_eq!(event.event_type.as_str(), "employee.temporaryLeave");
    assert_eq!(event.extra["deliveryId"], "a1b2");
    assert!(matches!(&event.data, EventData::Other(data) if data["leaveType"] == "parental"));
    assert_eq!(event.follow_up(), None);
    round_trips(&value);

    // Unknown keys of known events survive too, at the top and inside `data`.
    let mut known = event_json(
        "employee.created",
        "system",
        json!({"employeeId": "1", "source": "import"}),
    );
    known["region"] = json!("eu");
    let event = parse(&known);
    assert_eq!(event.extra["region"], "eu");
    let EventData::Employee(data) = &event.data else {
        panic!()
    };
    assert_eq!(data.extra["source"], "import");
    round_trips(&known);
    // And an unknown type without `data` stays without it.
    round_trips(
        &json!({"companyId": 1, "type": "company.renamed", "triggeredBy": "system",
        "triggeredAt": "2025-03-01T00:00:00"}),
    );
}

#[test]
fn decode_errors_name_the_json_path() {
    let cases = [
        (
            json!({"companyId": 1, "type": "employee.created", "triggeredBy": "system",
            "triggeredAt": "2025-01-01T00:00:00", "data": {}}),
            "data",
        ),
        (
            event_json("employee.created", "system", json!({"employeeId": ["1"]})),
            "data.employeeId",
        ),
        (
            event_json("table.entry.created", "system", json!({"employeeId": "1"})),
            "data",
        ),
        (
            event_json(
                "table.entry.created",
                "system",
                json!({"employeeId": "1", "tableId": "work", "effectiveDate": "01/02/2025"}),
            ),
            "data.effectiveDate",
        ),
        (
            event_json(
                "employee.updated",
                "system",
                json!({"employeeId": "1", "fieldUpdates": [7]}),
            ),
            "data.fieldUpdates[0]",
        ),
        (
            json!({"companyId": "acme", "type": "employee.created"}),
            "companyId",
        ),
    ];
    for (value, expected) in cases {
        let err = webhooks::parse_event(value.to_string().as_bytes()).unwrap_err();
        let WebhookError::Decode { path, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(
            path.starts_with(expected),
            "{path} should start with {expected}"
        );
        assert!(!err.is_unauthenticated());
        assert!(!err.to_string().contains("3332883"), "no body in Display");
    }
    let err = webhooks::parse_event(b"Ping test").unwrap_err();
    assert!(matches!(err, WebhookError::Decode { .. }));
}

#[test]
fn decode_errors_never_show_a_value_from_the_body() {
    // serde_json quotes the value it could not use: `invalid type: string
    // "ada@example.com", expected …`.
    let body = event_json("employee.created", "system", json!("ada@example.com"));
    let body = body.to_string();
    let err = webhooks::parse_event(body.as_bytes()).unwrap_err();
    assert!(matches!(err, WebhookError::Decode { .. }), "{err:?}");
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert!(!shown.contains("ada@"), "{shown}");
    assert!(shown.contains("`data`"), "the path stays: {shown}");
}

#[test]
fn events_deserialize_through_serde_too() {
    let event: Event = serde_json::from_str(TABLE_BODY).unwrap();
    assert_eq!(event, webhooks::parse_event(TABLE_BODY.as_bytes()).unwrap());
    let err = serde_json::from_value::<Event>(event_json(
        "employee.created",
        "system",
        json!({"id": "1"}),
    ))
    .unwrap_err();
    assert!(err.to_string().starts_with("data: "), "{err}");
}
