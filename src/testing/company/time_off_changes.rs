//! How time off changes: the fake's clock for changes, the feed's
//! bookkeeping, and moving a request from one status to another.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::time_off::{ChangeKind, TimeOff, TruthChange, TruthRequest, TruthStatus};

impl TimeOff {
    /// A timestamp for a change the fake makes now: `today` at 12:00:00 UTC,
    /// one second later for each change, so feed entries keep their order.
    pub(crate) fn stamp(&mut self, today: NaiveDate) -> NaiveDateTime {
        self.stamps += 1;
        today.and_time(NaiveTime::MIN)
            + TimeDelta::hours(12)
            + TimeDelta::seconds(i64::from(self.stamps))
    }

    /// Records a change, keeping the feed in time order.
    pub(crate) fn record(&mut self, at: NaiveDateTime, kind: ChangeKind, request_id: i64) {
        let change = TruthChange {
            at,
            kind,
            request_id,
        };
        let pos = self.changes.partition_point(|c| c.at <= at);
        self.changes.insert(pos, change);
    }

    /// Moves one of `employee_id`'s requests to `to`, recording the change:
    /// approve and decline take a pending request, cancel a pending or
    /// approved one. `false` (and nothing changes) otherwise.
    pub(crate) fn settle(
        &mut self,
        today: NaiveDate,
        employee_id: &str,
        request_id: i64,
        to: TruthStatus,
    ) -> bool {
        let Some(request) = self.request_mut(request_id) else {
            return false;
        };
        let allowed = match to {
            TruthStatus::Approved | TruthStatus::Declined => request.status == TruthStatus::Pending,
            TruthStatus::Canceled => {
                matches!(request.status, TruthStatus::Pending | TruthStatus::Approved)
            }
            TruthStatus::Pending => false,
        };
        if request.employee_id != employee_id || !allowed {
            return false;
        }
        request.status = to;
        let kind = match to {
            TruthStatus::Approved => ChangeKind::Created,
            TruthStatus::Declined => ChangeKind::Deleted,
            _ => ChangeKind::Canceled,
        };
        let at = self.stamp(today);
        self.record(at, kind, request_id);
        true
    }

    /// Adds a request (its ID is the next free one) and its feed entry:
    /// `Pending`, or `Created` when it is approved from the start.
    pub(crate) fn add_request(&mut self, today: NaiveDate, mut request: TruthRequest) -> i64 {
        let id = self
            .requests
            .last()
            .map_or(27_500_001, |r| r.request_id + 1);
        let at = self.stamp(today);
        request.request_id = id;
        request.created_on = at;
        let kind = match request.status {
            TruthStatus::Approved => ChangeKind::Created,
            _ => ChangeKind::Pending,
        };
        self.requests.push(request);
        self.record(at, kind, id);
        id
    }
}
