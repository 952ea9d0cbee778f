//! A value an API group keeps per client for a while: the fields metadata
//! people updates are checked against, read once per TTL rather than once
//! per update. Type-erased, so this lower layer names no group's types.

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// How long a client keeps fields metadata by default: new custom fields
/// are seen within ten minutes, and a provisioning run of hundreds of
/// updates reads metadata a handful of times.
pub(crate) const DEFAULT_FIELDS_TTL: Duration = Duration::from_secs(600);

type Slot = Option<(Instant, Arc<dyn Any + Send + Sync>)>;

/// One cached value and when it was stored.
pub(crate) struct Expiring {
    ttl: Duration,
    slot: Mutex<Slot>,
}

impl Expiring {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// The value, unless it is older than the TTL, was never stored, or is
    /// not a `T`.
    pub(crate) fn fresh<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        let (stored_at, value) = slot.as_ref()?;
        if stored_at.elapsed() >= self.ttl {
            return None;
        }
        Arc::clone(value).downcast::<T>().ok()
    }

    /// Keeps `value` as of now, and hands it back.
    pub(crate) fn store<T: Any + Send + Sync>(&self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        *slot = Some((
            Instant::now(),
            Arc::clone(&value) as Arc<dyn Any + Send + Sync>,
        ));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_value_expires_after_the_ttl() {
        let cache = Expiring::new(Duration::from_secs(60));
        assert!(cache.fresh::<Vec<u8>>().is_none(), "nothing stored yet");
        cache.store(vec![7_u8]);
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(cache.fresh::<Vec<u8>>().as_deref(), Some(&vec![7]));
        assert!(cache.fresh::<String>().is_none(), "another type is not it");
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(cache.fresh::<Vec<u8>>().is_none(), "stale after the TTL");
    }
}
