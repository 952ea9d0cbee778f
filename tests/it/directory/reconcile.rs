//! Full reconciliations: the first run, the events of each change, the
//! guards, and what the store keeps.

use hibob::directory::{DiffOptions, Directory, DirectoryError, EventKind, MemoryStore, Store};
use hibob::testing::{FakeHibob, NewHire};

use super::{about, date, setup, types};

#[tokio::test]
async fn the_first_run_creates_every_user_then_groups_and_memberships() {
    let (fake, directory) = setup(12).await;
    let report = directory.reconcile().await.unwrap();
    let created = types(&report.events)
        .iter()
        .filter(|t| **t == "user.created")
        .count();
    assert_eq!(created, fake.truth().employees.len());
    assert_eq!(report.users, fake.truth().employees.len());
    let first_group = types(&report.events)
        .iter()
        .position(|t| t.starts_with("group."))
        .unwrap();
    assert!(
        types(&report.events)[first_group..]
            .iter()
            .all(|t| t.starts_with("group."))
    );
    assert!(types(&report.events).contains(&"group.member_added"));
    assert_eq!(report.batch.map(|b| b.0), Some(1));
}

#[tokio::test]
async fn a_quiet_second_run_has_no_events_and_records_no_batch() {
    let (_fake, directory) = setup(8).await;
    directory.reconcile().await.unwrap();
    let again = directory.reconcile().await.unwrap();
    assert_eq!(again.events, Vec::new());
    assert_eq!(again.batch, None);
    assert_eq!(
        directory.store().batches_after(None).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_termination_is_one_deactivation_and_a_hire_one_creation() {
    let (fake, directory) = setup(10).await;
    directory.reconcile().await.unwrap();
    let leaver = fake.truth().employees[4].id.clone();
    fake.terminate(&leaver, date(2026, 1, 31));
    let hire = fake.hire(NewHire::new(
        "Grace",
        "Hopper",
        "grace@example.com",
        date(2020, 1, 6),
    ));

    let report = directory.reconcile().await.unwrap();
    let leaving = about(&report.events, &leaver);
    assert!(
        leaving.iter().any(|k| matches!(k, EventKind::UserDeactivated { status, .. } if status.as_deref() == Some("terminated"))),
        "{leaving:?}"
    );
    assert!(
        !leaving
            .iter()
            .any(|k| matches!(k, EventKind::UserRemoved { .. }))
    );
    assert!(
        matches!(about(&report.events, &hire)[0], EventKind::UserCreated { user } if user.email.as_deref() == Some("grace@example.com"))
    );
}

#[tokio::test]
async fn a_department_move_is_a_membership_change_and_an_attribute_change() {
    let (fake, directory) = setup(10).await;
    directory.reconcile().await.unwrap();
    let (mover, from, to) = super::move_department(&fake, 1);

    let report = directory.reconcile().await.unwrap();
    let events = about(&report.events, &mover);
    assert!(events.iter().any(|k| matches!(k, EventKind::UserUpdated { changes, .. } if changes["department"].new["id"] == to.as_str())), "{events:?}");
    assert!(
        events
            .iter()
            .any(|k| matches!(k, EventKind::GroupMemberRemoved { group, .. } if group.id == from))
    );
    assert!(
        events
            .iter()
            .any(|k| matches!(k, EventKind::GroupMemberAdded { group, .. } if group.id == to))
    );
}

#[tokio::test]
async fn a_mass_removal_is_refused_and_stores_nothing_until_forced() {
    let fake = FakeHibob::builder().employees(40).seed(16).start().await;
    let directory = Directory::builder(fake.client(), MemoryStore::new()).build();
    directory.reconcile().await.unwrap();
    let stored = directory.store().load().await.unwrap().unwrap();
    let hidden: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .take(20)
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(hidden.clone());
    });

    let refused = directory.reconcile().await.unwrap_err();
    assert!(matches!(refused, DirectoryError::Refused(_)), "{refused}");
    assert!(refused.to_string().contains("force"), "{refused}");
    let unchanged = directory.store().load().await.unwrap().unwrap();
    assert_eq!(unchanged.users, stored.users);
    assert_eq!(unchanged.at, stored.at);

    let forced = directory.reconcile_forced().await.unwrap();
    let removed = types(&forced.events)
        .iter()
        .filter(|t| **t == "user.removed")
        .count();
    assert_eq!(removed, 20);
}

#[tokio::test]
async fn an_empty_read_is_refused_even_when_forced() {
    let (fake, directory) = setup(6).await;
    directory.reconcile().await.unwrap();
    let everyone: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(everyone);
    });
    let refused = directory.reconcile_forced().await.unwrap_err();
    assert!(refused.to_string().contains("no users"), "{refused}");
}

#[tokio::test]
async fn a_looser_guard_lets_a_smaller_removal_through() {
    let fake = FakeHibob::builder().employees(30).seed(16).start().await;
    let mut options = DiffOptions::default();
    options.max_removed_share = 0.9;
    let directory = Directory::builder(fake.client(), MemoryStore::new())
        .diff_options(options)
        .build();
    directory.reconcile().await.unwrap();
    let hidden: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .take(15)
        .map(|e| e.id.clone())
        .collect();
    fake.knobs(|k| {
        k.audience_exclude(hidden);
    });
    let report = directory.reconcile().await.unwrap();
    assert_eq!(
        types(&report.events)
            .iter()
            .filter(|t| **t == "user.removed")
            .count(),
        15
    );
}

#[tokio::test]
async fn without_former_employees_a_leaver_is_removed() {
    let fake = FakeHibob::builder().employees(10).seed(16).start().await;
    let directory = Directory::builder(fake.client(), MemoryStore::new())
        .show_inactive(false)
        .build();
    directory.reconcile().await.unwrap();
    let leaver = fake
        .truth()
        .employees
        .iter()
        .find(|e| e.lifecycle_status == "employed")
        .unwrap()
        .id
        .clone();
    fake.terminate(&leaver, date(2026, 1, 31));
    let report = directory.reconcile().await.unwrap();
    assert!(matches!(
        about(&report.events, &leaver)[..],
        [EventKind::UserRemoved { .. }, ..]
    ));
}

#[tokio::test]
async fn a_consumer_catches_up_on_the_batches_it_missed() {
    let (fake, directory) = setup(10).await;
    let first = directory.reconcile().await.unwrap().batch.unwrap();
    fake.terminate(&fake.truth().employees[2].id, date(2026, 1, 31));
    directory.reconcile().await.unwrap();
    fake.terminate(&fake.truth().employees[3].id, date(2026, 1, 31));
    directory.reconcile().await.unwrap();
    let missed = directory.store().batches_after(Some(first)).await.unwrap();
    assert_eq!(missed.iter().map(|b| b.id.0).collect::<Vec<_>>(), [2, 3]);
    assert!(missed.iter().all(|b| !b.events.is_empty()));
}
