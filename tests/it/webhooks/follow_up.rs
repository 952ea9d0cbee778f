//! Follow-up reads against wiremock.

use hibob::tables::EmployeeTable;
use hibob::webhooks::Fetched;
use serde_json::json;

use super::{event_json, parse};

#[tokio::test]
async fn an_update_follow_up_reads_exactly_the_changed_fields() {
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let server = crate::support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/people/3332883894235038486"))
        .and(body_json(
            json!({"fields": ["root.id", "work.title", "root.email"]}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "3332883894235038486", "email": "ada@example.com", "work": {"title": "CTO"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let event = parse(&event_json(
        "employee.updated",
        "system",
        json!({"employeeId": "3332883894235038486",
            "fieldUpdates": [{"fieldId": "work.title"}, {"fieldId": "/root/email"}]}),
    ));
    let client = crate::support::client(&server);
    let fetched = event.follow_up().unwrap().fetch(&client).await.unwrap();
    let Fetched::Employee(employee) = fetched else {
        panic!("{fetched:?}")
    };
    assert_eq!(employee.id().unwrap().as_str(), "3332883894235038486");
    assert_eq!(employee.title(), Some("CTO"));
}

#[tokio::test]
async fn lifecycle_and_table_follow_ups_read_the_history() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let server = crate::support::server().await;
    Mock::given(method("POST"))
        .and(path("/v1/people/42"))
        .and(wiremock::matchers::body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "42"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/people/42/lifecycle"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"values": [
            {"id": 1, "effectiveDate": "2025-01-08", "status": "Employed"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = crate::support::client(&server);

    let joined = parse(&event_json(
        "employee.joined",
        "system",
        json!({"employeeId": "42"}),
    ));
    let fetched = joined.follow_up().unwrap().fetch(&client).await.unwrap();
    assert!(matches!(fetched, Fetched::Employee(e) if e.id().unwrap().as_str() == "42"));

    let table = parse(&event_json(
        "table.entry.created",
        "system",
        json!({"employeeId": "42", "tableId": "lifecycle", "effectiveDate": "2025-01-08"}),
    ));
    let fetched = table.follow_up().unwrap().fetch(&client).await.unwrap();
    let Fetched::Lifecycle(rows) = fetched else {
        panic!("{fetched:?}")
    };
    assert_eq!(rows.rows.len(), 1);

    let deleted = parse(&event_json(
        "employee.deleted",
        "system",
        json!({"employeeId": "42"}),
    ));
    assert_eq!(deleted.follow_up(), None);
}

#[tokio::test]
async fn follow_ups_of_other_tables_read_them_per_employee_or_through_the_bulk_read() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};

    let server = crate::support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/people/42/bank-accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"values": [
            {"id": 3, "iban": "GB33BUKB20201555555555"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    // Deductions have no per-employee read: one bulk page for the one employee.
    Mock::given(method("GET"))
        .and(path("/v1/bulk/people/deduction"))
        .and(query_param("employeeIds", "42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"employeeId": "42", "values": [
                {"id": 9, "effectiveDate": "2025-01-01", "deduction": "Pension"}
            ]}],
            "response_metadata": {"next_cursor": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = crate::support::client(&server);

    for (table_id, expected) in [("bankAccounts", 3), ("deduction", 9)] {
        let event = parse(&event_json(
            "table.entry.updated",
            "system",
            json!({"employeeId": "42", "tableId": table_id, "id": expected}),
        ));
        let fetched = event.follow_up().unwrap().fetch(&client).await.unwrap();
        let Fetched::Rows { table, rows } = fetched else {
            panic!("{fetched:?}")
        };
        assert_eq!(table, EmployeeTable::from_table_id(table_id).unwrap());
        assert_eq!(rows.rows[0].common.id, expected, "{table_id}");
    }
}
