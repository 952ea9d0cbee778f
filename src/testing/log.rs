//! What the fake received: one [`RecordedRequest`] per request, in arrival
//! order, for tests to count and inspect.

use super::FakeHibob;
use super::state::lock;

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path including `/v1`, still percent-encoded.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The status returned; 0 when the connection was dropped (`drop_rate`,
    /// `drop_next`).
    pub status: u16,
}

impl FakeHibob {
    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).log.clone()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        lock(&self.state).log.len()
    }

    /// How many requests had a path starting with `prefix`; a prefix without
    /// `/v1` (`/bulk/people/`) is matched against the path after `/v1`.
    pub fn request_count_for(&self, prefix: &str) -> usize {
        lock(&self.state)
            .log
            .iter()
            .filter(|r| {
                r.path.starts_with(prefix)
                    || r.path
                        .strip_prefix("/v1")
                        .is_some_and(|p| p.starts_with(prefix))
            })
            .count()
    }

    /// Forgets the recorded requests.
    pub fn reset_requests(&self) {
        lock(&self.state).log.clear();
    }
}
