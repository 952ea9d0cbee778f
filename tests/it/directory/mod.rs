//! `hibob::directory` end to end on the fake: reconciliations, refreshes,
//! webhooks and the guards.

#[cfg(all(feature = "webhooks", feature = "directory-sqlite"))]
mod daemon;
#[cfg(feature = "webhooks")]
mod events;
mod reconcile;
mod refresh;

use hibob::directory::{Directory, Event, EventKind, MemoryStore};
use hibob::testing::FakeHibob;

/// A fake with `employees` people and a directory over it that never waits
/// to re-read.
async fn setup(employees: usize) -> (FakeHibob, Directory<MemoryStore>) {
    let fake = FakeHibob::builder()
        .employees(employees)
        .seed(16)
        .start()
        .await;
    let directory = Directory::builder(fake.client(), MemoryStore::new())
        .reread_delay(std::time::Duration::ZERO)
        .build();
    (fake, directory)
}

/// The event types, in order.
fn types(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.type_name()).collect()
}

/// The events about `user`.
fn about<'a>(events: &'a [Event], user: &str) -> Vec<&'a EventKind> {
    events
        .iter()
        .map(|e| &e.kind)
        .filter(|k| k.user_id().is_some_and(|id| id.as_str() == user))
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Moves the `nth` employee to another department on 2026-02-01; returns
/// their ID, the department they left and the one they joined.
fn move_department(fake: &FakeHibob, nth: usize) -> (String, String, String) {
    let truth = fake.truth();
    let mover = &truth.employees[nth];
    let from = mover.department.clone().expect("a department").id;
    let to = truth.lists["department"]
        .items
        .iter()
        .find(|i| i.id != from && !i.archived)
        .expect("another department")
        .id
        .clone();
    fake.move_department(&mover.id, &to, date(2026, 2, 1));
    (mover.id.clone(), from, to)
}
