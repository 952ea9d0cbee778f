//! One-call labels and typed statuses against the fake: every label and
//! status is compared with the fake's ground truth.

use std::future::Future;

use futures::TryStreamExt;
use hibob::metadata::LabelError;
use hibob::people::{HumanReadable, InternalStatus, LifecycleStatus};
use hibob::tables::BulkItem;
use hibob::testing::{Company, WORK_MODEL_FIELD};
use hibob::{FieldId, field};

use crate::support;

fn truth_label(truth: &Company, list: &str, item: &str) -> Option<String> {
    let list = truth.lists.get(list)?;
    let item = list.items.iter().find(|i| i.id == item)?;
    Some(item.label.clone())
}

#[tokio::test]
async fn employee_list_fields_are_labelled_in_one_call_archived_included() {
    let fake = support::fake(150, 7).await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let work_model = FieldId::custom(WORK_MODEL_FIELD);
    let labels = client.metadata().labels().await.unwrap();
    let people = client
        .people()
        .search()
        .fields([
            field::ID,
            field::TITLE,
            field::DEPARTMENT,
            field::SITE_ID,
            field::LIFECYCLE_STATUS,
            work_model.clone(),
        ])
        .show_inactive(true)
        .await
        .unwrap();
    assert_eq!(people.employees.len(), truth.employees.len());
    let (mut checked, mut archived) = (0, 0);
    for e in &people.employees {
        let want = truth.employee(e.id().unwrap().as_str()).unwrap();
        let label = |f: &FieldId| labels.label(e, f).unwrap().map(|l| l.into_owned());
        assert_eq!(
            label(&field::TITLE),
            want.title.as_ref().map(|t| t.label.clone())
        );
        assert_eq!(
            label(&field::DEPARTMENT),
            want.department.as_ref().map(|d| d.label.clone())
        );
        assert_eq!(
            label(&work_model),
            want.work_model.as_ref().map(|w| w.label.clone())
        );
        assert_eq!(
            label(&field::SITE_ID),
            want.site.clone(),
            "site name is the site list's label"
        );
        assert_eq!(
            label(&field::LIFECYCLE_STATUS),
            truth_label(&truth, "lifecycleStatus", &want.lifecycle_status)
        );
        let refs = [&want.title, &want.department, &want.work_model];
        archived += refs
            .iter()
            .filter(|r| r.as_ref().is_some_and(|r| r.archived))
            .count();
        checked += 1;
    }
    assert_eq!(checked, truth.employees.len());
    assert!(archived > 0, "the fake gives some employees archived items");
    let someone = &people.employees[0];
    assert!(matches!(
        labels.label(someone, &field::EMAIL),
        Err(LabelError::NotAList { .. })
    ));
}

#[tokio::test]
async fn replace_reads_keep_their_labels() {
    let fake = support::fake(40, 3).await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let labels = client.metadata().labels().await.unwrap();
    let human = client
        .people()
        .search()
        .fields([field::ID, field::TITLE, field::DEPARTMENT])
        .human_readable(HumanReadable::Replace)
        .await
        .unwrap();
    let mut checked = 0;
    for e in &human.employees {
        let want = truth.employee(e.id().unwrap().as_str()).unwrap();
        if let Some(title) = &want.title {
            assert_eq!(
                e.title(),
                Some(title.label.as_str()),
                "REPLACE sends the label"
            );
            let got = labels.label(e, &field::TITLE).unwrap();
            assert_eq!(got.as_deref(), Some(title.label.as_str()));
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
}

#[tokio::test]
async fn table_row_items_are_labelled_by_their_field() {
    let fake = support::fake(60, 11).await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let labels = client.metadata().labels().await.unwrap();
    let mut rows = client.tables().bulk_work().stream();
    let (mut titles, mut departments) = (0, 0);
    while let Some(item) = rows.try_next().await.unwrap() {
        let BulkItem::Employee(history) = item else {
            continue;
        };
        for row in &history.rows {
            if let Some(title) = row.title.as_deref() {
                let want = truth_label(&truth, "title", title).unwrap();
                assert_eq!(labels.item_label(&field::TITLE, title), Ok(want.as_str()));
                titles += 1;
            }
            if let Some(department) = row.department.as_deref() {
                let want = truth_label(&truth, "department", department).unwrap();
                assert_eq!(
                    labels.item_label(&field::DEPARTMENT, department),
                    Ok(want.as_str())
                );
                departments += 1;
            }
        }
    }
    assert!(titles > 60 && departments > 60, "{titles} {departments}");
    let unknown = labels.item_label(&field::TITLE, "1").unwrap_err();
    assert_eq!(unknown.into_item().as_deref(), Some("1"));
}

#[tokio::test]
async fn statuses_are_typed_on_employees_and_lifecycle_rows() {
    let fake = support::fake(120, 5).await;
    let client = support::fake_client(&fake);
    let truth = fake.truth();
    let people = client
        .people()
        .search()
        .fields([field::ID, field::STATUS, field::LIFECYCLE_STATUS])
        .show_inactive(true)
        .await
        .unwrap();
    let mut seen = std::collections::HashSet::new();
    for e in &people.employees {
        let want = truth.employee(e.id().unwrap().as_str()).unwrap();
        let lifecycle = e.lifecycle_status().unwrap();
        assert_eq!(lifecycle, LifecycleStatus::parse(&want.lifecycle_status));
        assert!(
            !matches!(lifecycle, LifecycleStatus::Unknown(_)),
            "{lifecycle:?}"
        );
        let internal = e.internal_status().unwrap();
        assert_eq!(internal, InternalStatus::parse(&want.internal_status));
        assert_eq!(e.is_active(), Some(want.is_active()));
        seen.insert(lifecycle);
    }
    for status in [
        LifecycleStatus::Employed,
        LifecycleStatus::Terminated,
        LifecycleStatus::Leave,
        LifecycleStatus::Hired,
    ] {
        assert!(seen.contains(&status), "{status} among {seen:?}");
    }

    let mut rows = client.tables().bulk_lifecycle().stream();
    let mut checked = 0;
    while let Some(item) = rows.try_next().await.unwrap() {
        let BulkItem::Employee(history) = item else {
            continue;
        };
        let want = truth.employee(history.employee_id.as_str()).unwrap();
        assert_eq!(history.rows.len(), want.lifecycle_history.len());
        for (row, raw) in history.rows.iter().zip(&want.lifecycle_history) {
            let status = raw["status"].as_str().unwrap();
            assert_eq!(row.status, Some(LifecycleStatus::parse(status)));
            let access = raw["employeeStatus"].as_str().unwrap();
            assert_eq!(row.employee_status, Some(InternalStatus::parse(access)));
            checked += 1;
        }
    }
    assert!(checked >= truth.employees.len(), "{checked}");
}

#[tokio::test]
async fn metadata_futures_outlive_the_client_and_run_on_other_tasks() {
    fn static_future<F: Future + Send + Sync + 'static>(f: F) -> F {
        f
    }
    let fake = support::fake(5, 1).await;
    let (fields, labels) = {
        let client = support::fake_client(&fake);
        let metadata = client.metadata();
        (
            static_future(metadata.fields()),
            static_future(metadata.labels()),
        )
    };
    let fields = tokio::spawn(fields).await.unwrap().unwrap();
    let labels = tokio::spawn(labels).await.unwrap().unwrap();
    assert_eq!(fields.len(), labels.catalog.len());
    assert!(labels.lists.label("status", "Active").is_some());
    assert_eq!(
        fake.request_count_for("/company/"),
        3,
        "fields twice, named lists once"
    );
}
