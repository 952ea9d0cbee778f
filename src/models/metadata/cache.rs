//! Fields metadata cached per client, for the checks writes make before
//! sending: a client reads `GET /company/people/fields` once per TTL, not once
//! per update.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::FieldMeta;

/// How long a client keeps fields metadata by default: new custom fields
/// appear within ten minutes, and a provisioning run of hundreds of updates
/// reads metadata a handful of times.
pub(crate) const DEFAULT_FIELDS_TTL: Duration = Duration::from_secs(600);

/// One cached copy of the company's fields metadata and when it was read.
#[derive(Debug)]
pub(crate) struct FieldsCache {
    ttl: Duration,
    slot: Mutex<Option<(Instant, Arc<[FieldMeta]>)>>,
}

impl FieldsCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// The cached fields, unless older than the TTL (or never read).
    pub(crate) fn fresh(&self) -> Option<Arc<[FieldMeta]>> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        let (read_at, fields) = slot.as_ref()?;
        (read_at.elapsed() < self.ttl).then(|| Arc::clone(fields))
    }

    /// Keeps `fields` as read now, and hands them back.
    pub(crate) fn store(&self, fields: Vec<FieldMeta>) -> Arc<[FieldMeta]> {
        let fields: Arc<[FieldMeta]> = fields.into();
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        *slot = Some((Instant::now(), Arc::clone(&fields)));
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::FieldId;
    use crate::models::metadata::FieldType;

    #[tokio::test(start_paused = true)]
    async fn fields_expire_after_the_ttl() {
        let cache = FieldsCache::new(Duration::from_secs(60));
        assert!(cache.fresh().is_none(), "nothing read yet");
        let field = FieldMeta::new(FieldId::custom("root.firstName"), FieldType::default());
        cache.store(vec![field]);
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(cache.fresh().map(|f| f.len()), Some(1));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(cache.fresh().is_none(), "stale after the TTL");
    }
}
