//! One test per event type, end to end on the fake: each change made in
//! "Bob" gives its event at the next reconciliation, and (where Bob sends a
//! webhook for it) the same events through the fake's signed webhooks
//! applied one by one.

use std::collections::BTreeSet;

use hibob::directory::{Directory, EventKind, MemoryStore};
use hibob::testing::FakeHibob;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::date;

const SECRET: &str = "directory-events";

/// Two directories over one fake, both with a baseline: `full` reconciles,
/// `hooked` only applies the webhooks the fake delivers.
struct World {
    fake: FakeHibob,
    full: Directory<MemoryStore>,
    hooked: Directory<MemoryStore>,
    _receiver: MockServer,
}

async fn world() -> World {
    let fake = FakeHibob::builder().employees(30).seed(16).start().await;
    let directory = || {
        Directory::builder(fake.client(), MemoryStore::new())
            .reread_delay(std::time::Duration::ZERO)
            .build()
    };
    let (full, hooked) = (directory(), directory());
    full.reconcile().await.unwrap();
    hooked.reconcile().await.unwrap();
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    fake.deliver_webhooks(receiver.uri(), SECRET);
    World {
        fake,
        full,
        hooked,
        _receiver: receiver,
    }
}

/// The event types each path saw after `change`, as (type, user or group) pairs.
async fn after(
    world: &World,
    change: impl FnOnce(&FakeHibob),
) -> (BTreeSet<String>, BTreeSet<String>) {
    let delivered = world.fake.webhook_deliveries().len();
    change(&world.fake);
    world.fake.webhooks_flushed().await;
    let mut hooked = BTreeSet::new();
    for delivery in &world.fake.webhook_deliveries()[delivered..] {
        let event = delivery.event().unwrap();
        if let Some(report) = world.hooked.apply_webhook(&event).await.unwrap() {
            hooked.extend(report.events.iter().map(|e| label(&e.kind)));
        }
    }
    let full = world
        .full
        .reconcile()
        .await
        .unwrap()
        .events
        .iter()
        .map(|e| label(&e.kind))
        .collect();
    (full, hooked)
}

fn label(kind: &EventKind) -> String {
    let subject = match kind {
        EventKind::GroupCreated { group } => group.id.clone(),
        EventKind::GroupRenamed { group, .. } | EventKind::GroupRemoved { group } => {
            group.id.clone()
        }
        _ => kind.user_id().map(|id| id.to_string()).unwrap_or_default(),
    };
    format!("{} {subject}", kind.type_name())
}

fn employed(fake: &FakeHibob, nth: usize) -> String {
    let truth = fake.truth();
    truth
        .employees
        .iter()
        .filter(|e| e.lifecycle_status == "employed")
        .nth(nth)
        .unwrap()
        .id
        .clone()
}

#[tokio::test]
async fn a_rehire_is_reactivated_by_both_paths() {
    let world = world().await;
    let someone = employed(&world.fake, 1);
    world.fake.terminate(&someone, date(2025, 6, 30));
    let (full, hooked) = after(&world, |_| {}).await;
    assert_eq!(full, hooked);
    let (full, hooked) = after(&world, |fake| fake.rehire(&someone, date(2025, 9, 1))).await;
    assert!(
        full.contains(&format!("user.reactivated {someone}")),
        "{full:?}"
    );
    assert_eq!(full, hooked);
}

#[tokio::test]
async fn a_new_manager_is_manager_changed_by_both_paths() {
    let world = world().await;
    let (someone, boss) = (employed(&world.fake, 2), employed(&world.fake, 5));
    let (full, hooked) = after(&world, |fake| {
        fake.change_manager(&someone, &boss, date(2026, 2, 1))
    })
    .await;
    assert!(
        full.contains(&format!("user.manager_changed {someone}")),
        "{full:?}"
    );
    assert_eq!(full, hooked);
}

#[tokio::test]
async fn a_new_email_is_updated_by_both_paths() {
    let world = world().await;
    let someone = employed(&world.fake, 3);
    let (full, hooked) = after(&world, |fake| {
        fake.change_email(&someone, "renamed@example.com")
    })
    .await;
    assert!(
        full.contains(&format!("user.updated {someone}")),
        "{full:?}"
    );
    assert_eq!(full, hooked);
}

#[tokio::test]
async fn a_site_move_changes_memberships_by_both_paths() {
    let world = world().await;
    let someone = employed(&world.fake, 4);
    let truth = world.fake.truth();
    let current = truth
        .employees
        .iter()
        .find(|e| e.id == someone)
        .unwrap()
        .site_id
        .map(|s| s.to_string());
    let other = truth.lists["site"]
        .items
        .iter()
        .find(|i| Some(&i.id) != current.as_ref() && !i.archived)
        .unwrap()
        .id
        .clone();
    let (full, hooked) = after(&world, |fake| {
        fake.move_site(&someone, &other, date(2026, 2, 1))
    })
    .await;
    assert!(
        full.contains(&format!("group.member_added {someone}")),
        "{full:?}"
    );
    assert!(
        full.contains(&format!("group.member_removed {someone}")),
        "{full:?}"
    );
    assert_eq!(full, hooked);
}

#[tokio::test]
async fn a_renamed_department_is_one_group_renamed_and_moves_nobody() {
    let world = world().await;
    let truth = world.fake.truth();
    let held = truth
        .employees
        .iter()
        .find_map(|e| e.department.clone())
        .unwrap();
    let (full, hooked) = after(&world, |fake| {
        fake.rename_list_item("department", &held.id, "Renamed")
    })
    .await;
    assert_eq!(full, BTreeSet::from([format!("group.renamed {}", held.id)]));
    assert!(
        hooked.is_empty(),
        "Bob sends no webhook for a list edit: {hooked:?}"
    );
}

#[tokio::test]
async fn a_new_department_with_a_member_is_group_created() {
    let world = world().await;
    let someone = employed(&world.fake, 0);
    let (full, hooked) = after(&world, |fake| {
        let new = fake.add_list_item("department", "Skunkworks", None);
        fake.move_department(&someone, &new, date(2026, 2, 1));
    })
    .await;
    assert!(
        full.iter().any(|l| l.starts_with("group.created ")),
        "{full:?}"
    );
    assert!(
        full.contains(&format!("group.member_added {someone}")),
        "{full:?}"
    );
    // The refresh sees the new item once the labels are read again (a reconciliation does).
    assert!(
        hooked.contains(&format!("group.member_added {someone}")),
        "{hooked:?}"
    );
}

#[tokio::test]
async fn the_last_member_leaving_is_group_removed() {
    let world = world().await;
    let truth = world.fake.truth();
    let lonely = world.fake.add_list_item("department", "Tiny", None);
    let someone = employed(&world.fake, 6);
    let back = truth
        .employees
        .iter()
        .find(|e| e.id == someone)
        .unwrap()
        .department
        .clone()
        .unwrap()
        .id;
    after(&world, |fake| {
        fake.move_department(&someone, &lonely, date(2026, 2, 1))
    })
    .await;
    let (full, hooked) = after(&world, |fake| {
        fake.move_department(&someone, &back, date(2026, 3, 1))
    })
    .await;
    assert!(
        full.contains(&format!("group.removed {lonely}")),
        "{full:?}"
    );
    assert_eq!(full, hooked);
}

#[tokio::test]
async fn leaving_the_audience_is_removed_and_a_deletion_too() {
    let world = world().await;
    let (hidden, deleted) = (employed(&world.fake, 7), employed(&world.fake, 8));
    let (full, hooked) = after(&world, |fake| fake.remove_from_audience(&hidden)).await;
    assert!(full.contains(&format!("user.removed {hidden}")), "{full:?}");
    assert!(hooked.is_empty(), "no webhook for an audience change");
    let (full, hooked) = after(&world, |fake| fake.remove_employee(&deleted)).await;
    assert!(
        full.contains(&format!("user.removed {deleted}")),
        "{full:?}"
    );
    // The deletion's webhook names only them; their reports, who lost their
    // manager, are repaired by the next reconciliation.
    assert!(
        hooked.contains(&format!("user.removed {deleted}")),
        "{hooked:?}"
    );
    assert!(hooked.is_subset(&full), "{hooked:?} within {full:?}");
}
