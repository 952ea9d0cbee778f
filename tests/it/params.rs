//! One way to pass things: every method that takes an employee accepts `&str`,
//! `String`, `EmployeeId` and `&EmployeeId`; field lists accept `FieldId`,
//! `&FieldId`, `&str` and `String`.

use futures::TryStreamExt;
use hibob::tables::BulkItem;
use hibob::testing::FakeHibob;
use hibob::{EmployeeId, FieldId, field};

async fn fake() -> (FakeHibob, EmployeeId) {
    let fake = FakeHibob::builder().employees(4).start().await;
    let id = EmployeeId::new(fake.truth().employees[0].id.clone());
    (fake, id)
}

#[tokio::test]
async fn people_get_takes_every_form_of_employee_id() {
    let (fake, id) = fake().await;
    let people = fake.client();
    let people = people.people();
    let expected = Some(&id);
    assert_eq!(people.get(&id).await.unwrap().id(), expected);
    assert_eq!(people.get(id.clone()).await.unwrap().id(), expected);
    assert_eq!(people.get(id.as_str()).await.unwrap().id(), expected);
    let as_string = id.to_string();
    assert_eq!(people.get(as_string.clone()).await.unwrap().id(), expected);
    assert_eq!(people.get(&as_string).await.unwrap().id(), expected);
}

#[tokio::test]
async fn table_reads_take_every_form_of_employee_id() {
    let (fake, id) = fake().await;
    let client = fake.client();
    let tables = client.tables();
    let by_ref = tables.work(&id).await.unwrap().rows;
    assert!(!by_ref.is_empty());
    assert_eq!(tables.work(id.clone()).await.unwrap().rows, by_ref);
    assert_eq!(tables.work(id.as_str()).await.unwrap().rows, by_ref);
    let as_string = id.to_string();
    assert_eq!(tables.work(as_string).await.unwrap().rows, by_ref);
}

#[tokio::test]
async fn bulk_and_access_employee_lists_take_every_form() {
    let (fake, id) = fake().await;
    let client = fake.client();
    let ids_of = |items: Vec<BulkItem<hibob::tables::WorkEntry>>| -> Vec<EmployeeId> {
        items
            .into_iter()
            .filter_map(|item| match item {
                BulkItem::Employee(history) => Some(history.employee_id),
                _ => None,
            })
            .collect()
    };
    let bulk = client.tables().bulk_work();
    let by_ref: Vec<_> = bulk
        .clone()
        .employees([&id])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids_of(by_ref), std::slice::from_ref(&id));
    let owned: Vec<_> = bulk
        .clone()
        .employees([id.clone()])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids_of(owned), std::slice::from_ref(&id));
    let text: Vec<_> = bulk
        .clone()
        .employees([id.as_str()])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids_of(text), std::slice::from_ref(&id));
    let string: Vec<_> = bulk
        .employees([id.to_string()])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids_of(string), std::slice::from_ref(&id));

    let report = client.check_access().employees([&id]).await.unwrap();
    assert!(!report.findings().is_empty());
}

#[tokio::test]
async fn search_fields_take_field_ids_by_value_by_reference_and_as_text() {
    let (fake, id) = fake().await;
    let client = fake.client();
    let wanted: Vec<FieldId> = vec![field::ID, field::EMAIL];
    let by_ref = client.people().search().fields(&wanted).await.unwrap();
    let by_value = client
        .people()
        .search()
        .fields(wanted.clone())
        .await
        .unwrap();
    let by_text = client
        .people()
        .search()
        .fields(["root.id", "root.email"])
        .await
        .unwrap();
    let by_string = client
        .people()
        .search()
        .fields([String::from("root.id"), String::from("root.email")])
        .await
        .unwrap();
    assert!(!by_ref.employees.is_empty());
    for result in [&by_ref, &by_value, &by_text, &by_string] {
        assert_eq!(result.employees.len(), by_ref.employees.len());
        assert!(result.employees.iter().any(|e| e.id() == Some(&id)));
        assert!(result.employees.iter().all(|e| e.email().is_some()));
    }
}
