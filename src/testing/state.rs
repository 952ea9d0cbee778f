//! What the fake knows and remembers, behind one lock: the company, the
//! knobs, the request log and the rate-limit windows.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use super::company::TruthEmployee;
use super::consistency::Clock;
use super::generate::Rng;
use super::store::Store;
use super::{Knobs, RecordedRequest};

/// What the fake knows and remembers, behind one lock.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) knobs: Knobs,
    /// The exact `Authorization` header value the fake accepts.
    pub(crate) auth_header: String,
    /// Drives fault injection; seeded, so a run is repeatable.
    pub(crate) rng: Rng,
    /// Arrival times of recent requests, per route template (the rate limit's sliding windows).
    pub(crate) windows: HashMap<&'static str, VecDeque<Instant>>,
    pub(crate) log: Vec<RecordedRequest>,
    /// Webhook events of API writes, queued for the delivery task when the
    /// fake next emits or is asked about deliveries.
    pub(crate) outgoing: Vec<super::webhook_events::Outgoing>,
    /// Invitations and avatars (see `onboarding.rs`).
    pub(crate) onboarding: super::onboarding::Onboarding,
    /// With `read_lag`: the store as it was before each recent write, oldest
    /// first, stamped with the write's time (see `consistency.rs`).
    pub(crate) past: VecDeque<(tokio::time::Instant, Store)>,
    /// The clock `read_lag` is measured on.
    pub(crate) clock: Clock,
}

pub(crate) type Shared = Arc<Mutex<State>>;

pub(crate) fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl State {
    pub(crate) fn new(store: Store, knobs: Knobs, auth_header: String, seed: u64) -> Self {
        Self {
            store,
            knobs,
            auth_header,
            rng: Rng::new(seed ^ 0xFA17_5EED),
            windows: HashMap::new(),
            log: Vec::new(),
            outgoing: Vec::new(),
            onboarding: Default::default(),
            past: VecDeque::new(),
            clock: Clock::current(),
        }
    }

    /// Whether the service user's audience ("Access data for") covers this employee.
    pub(crate) fn visible(&self, emp: &TruthEmployee) -> bool {
        if self.knobs.audience_excluded.contains(&emp.id) {
            return false;
        }
        match &self.knobs.audience_lifecycle {
            Some(statuses) => statuses.contains(&emp.lifecycle_status),
            None => true,
        }
    }

    pub(crate) fn permitted(&self, category_id: &str) -> bool {
        !self.knobs.denied_categories.contains(category_id)
    }
}
