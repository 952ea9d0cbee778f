//! The changes feed, `GET /timeoff/requests/changes`, over any range: split
//! into windows HiBob accepts, read one after another, and deduplicated.

use std::collections::HashSet;
use std::future::IntoFuture;

use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, TimeDelta, TimeZone, Utc};
use serde::Serialize;

use super::{SEE_WHOS_OUT, TimeOff};
use crate::endpoint::Endpoint;
use crate::models::time_off::{ChangesResponse, TimeOffChange};
use crate::transport::{Json, RequestFuture, request_future};
use crate::{Client, Error};

/// The longest window one changes request covers: 180 days. HiBob takes at
/// most "6 months" between `since` and `to` and refuses more; six calendar
/// months are never shorter than 181 days, so 180 days fits whichever way
/// HiBob counts, and a 2-year range costs 5 requests.
pub const MAX_CHANGES_WINDOW_DAYS: i64 = 180;

/// `GET /timeoff/requests/changes?since=&to=&includePending=`: the changes
/// made in one window, not paginated.
static CHANGES: Endpoint<ChangesQuery, (), Json<ChangesResponse>> =
    Endpoint::get("/timeoff/requests/changes").permission(SEE_WHOS_OUT);

/// One window's query: ISO 8601 date-times in UTC with milliseconds
/// (`2024-01-01T00:00:00.000Z`), the form HiBob's examples use; `to` is left
/// out on a window that runs to HiBob's now.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangesQuery {
    since: String,
    to: Option<String>,
    include_pending: Option<bool>,
}

/// A bound of the changes range: a date-time in any zone, or a date, which
/// means its midnight UTC.
pub trait ChangesBound {
    /// The bound as a UTC instant.
    fn into_utc(self) -> DateTime<Utc>;
}

impl<Tz: TimeZone> ChangesBound for DateTime<Tz> {
    fn into_utc(self) -> DateTime<Utc> {
        self.with_timezone(&Utc)
    }
}

impl ChangesBound for NaiveDate {
    fn into_utc(self) -> DateTime<Utc> {
        self.and_time(chrono::NaiveTime::MIN).and_utc()
    }
}

impl TimeOff<'_> {
    /// Changes to time-off requests made from `since` on
    /// (`GET /timeoff/requests/changes`); see [`ChangesRequest`] for the
    /// range, the windows and the deduplication.
    pub fn changes(&self, since: impl ChangesBound) -> ChangesRequest {
        ChangesRequest {
            client: self.client.clone(),
            since: since.into_utc(),
            to: None,
            include_pending: None,
        }
    }
}

/// The changes made to time-off requests in a range, filtered by when the
/// change happened (not by the request's dates); build it with
/// [`TimeOff::changes`] and `.await` it for the changes in order.
///
/// - **Range.** From `since` up to [`to`](Self::to), or up to now without
///   it. `since` is inclusive and `to` exclusive: HiBob's docs do not say how
///   it treats either bound, so this is the reading the windows are built on
///   (adjacent windows share a bound, and the deduplication below removes a
///   change HiBob would list in both). Bounds are sent in UTC with
///   millisecond precision; finer digits are dropped.
/// - **Windows.** HiBob answers at most 6 months per request, so a longer
///   range is read as consecutive windows of [`MAX_CHANGES_WINDOW_DAYS`]
///   (180) days, one request each, in order: a 2-year range costs 5
///   requests. Without `to`, the last window is sent without `to`, so it runs
///   to HiBob's own now.
/// - **Deduplication.** The feed carries no change ID and no change time, so
///   the key is the whole entry as decoded (every field, unknown keys
///   included): an entry identical to one of an earlier window is dropped.
///   Entries of one window are kept as HiBob sent them.
///
/// A range that ends before it starts is [`Error::InvalidRequest`], before
/// anything is sent; any failed window fails the whole read.
///
/// ```
/// use hibob::chrono::{Months, NaiveDate};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(10).start().await;
/// # let client = fake.client();
/// let since = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
/// let two_years = client
///     .time_off()
///     .changes(since)
///     .to(since + Months::new(24))
///     .include_pending(true)
///     .await?; // 5 requests of at most 180 days each
/// for change in &two_years {
///     println!("{:?} {:?}", change.change_type, change.request_id);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct ChangesRequest {
    client: Client,
    since: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    include_pending: Option<bool>,
}

impl ChangesRequest {
    /// Ends the range before `to` (exclusive); without it, the range runs
    /// to now.
    pub fn to(mut self, to: impl ChangesBound) -> Self {
        self.to = Some(to.into_utc());
        self
    }

    /// Includes changes of requests to pending (`includePending`).
    pub fn include_pending(mut self, include: bool) -> Self {
        self.include_pending = Some(include);
        self
    }

    async fn send(self) -> Result<Vec<TimeOffChange>, Error> {
        let windows = windows(self.since, self.to, Utc::now())?;
        let mut earlier: HashSet<String> = HashSet::new();
        let mut changes = Vec::new();
        for (since, to) in windows {
            let query = ChangesQuery {
                since: wire(since),
                to: to.map(wire),
                include_pending: self.include_pending,
            };
            let window = CHANGES.send(&self.client, &[], &query, &()).await?.value;
            let mut keys = Vec::with_capacity(window.changes.len());
            for change in window.changes {
                let key = dedup_key(&change)?;
                if !earlier.contains(&key) {
                    changes.push(change);
                }
                keys.push(key);
            }
            earlier.extend(keys);
        }
        Ok(changes)
    }
}

impl IntoFuture for ChangesRequest {
    type Output = Result<Vec<TimeOffChange>, Error>;
    type IntoFuture = RequestFuture<Vec<TimeOffChange>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

/// One request's `since` and `to` (`None`: up to HiBob's now).
type Window = (DateTime<Utc>, Option<DateTime<Utc>>);

/// The windows covering `since..to` (or `since..` HiBob's now): each at most
/// [`MAX_CHANGES_WINDOW_DAYS`], adjacent, in order. A window without an end
/// runs to HiBob's now. Bounds are truncated to milliseconds, what is sent.
fn windows(
    since: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Vec<Window>, Error> {
    let since = since.trunc_subsecs(3);
    let span = TimeDelta::days(MAX_CHANGES_WINDOW_DAYS);
    let (end, open) = match to {
        Some(to) => {
            let to = to.trunc_subsecs(3);
            if to <= since {
                return Err(Error::invalid(format!(
                    "a time-off changes range must end after it starts (since {}, to {})",
                    wire(since),
                    wire(to)
                )));
            }
            (to, false)
        }
        None => (now.trunc_subsecs(3), true),
    };
    let mut windows = Vec::new();
    let mut start = since;
    loop {
        let stop = start + span;
        if stop >= end {
            windows.push((start, (!open).then_some(end)));
            return Ok(windows);
        }
        windows.push((start, Some(stop)));
        start = stop;
    }
}

/// `2024-01-01T00:00:00.000Z`.
fn wire(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The whole entry as JSON text: the feed has nothing narrower that tells
/// two changes apart.
fn dedup_key(change: &TimeOffChange) -> Result<String, Error> {
    serde_json::to_string(change)
        .map_err(|e| Error::invalid(format!("a time-off change cannot be compared: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().into_utc()
    }

    #[test]
    fn two_years_are_five_adjacent_windows_of_at_most_180_days() {
        let (since, to) = (at(2022, 1, 1), at(2024, 1, 1));
        let windows = windows(since, Some(to), at(2026, 1, 1)).unwrap();
        assert_eq!(windows.len(), 5);
        assert_eq!(windows[0].0, since);
        assert_eq!(windows.last().unwrap().1, Some(to));
        for pair in windows.windows(2) {
            assert_eq!(pair[0].1, Some(pair[1].0), "adjacent, not overlapping");
        }
        for (start, end) in &windows {
            let days = (end.unwrap() - *start).num_days();
            assert!((1..=MAX_CHANGES_WINDOW_DAYS).contains(&days), "{days}");
        }
    }

    #[test]
    fn an_open_range_ends_with_a_window_without_to() {
        let now = at(2026, 6, 1);
        let short = windows(at(2026, 5, 1), None, now).unwrap();
        assert_eq!(short, [(at(2026, 5, 1), None)]);
        let long = windows(at(2025, 6, 1), None, now).unwrap();
        assert_eq!(long.len(), 3);
        assert_eq!(long.last().unwrap().1, None);
        assert!(now - long.last().unwrap().0 <= TimeDelta::days(MAX_CHANGES_WINDOW_DAYS));
    }

    #[test]
    fn a_backwards_or_empty_range_is_refused() {
        let day = at(2024, 1, 1);
        assert!(windows(day, Some(day), day).is_err());
        assert!(windows(day, Some(at(2023, 1, 1)), day).is_err());
    }

    #[test]
    fn bounds_go_out_in_utc_with_milliseconds() {
        let offset = DateTime::parse_from_rfc3339("2024-03-01T12:30:00.123456+02:00").unwrap();
        let utc = offset.into_utc();
        let (start, _) = windows(utc, None, at(2024, 4, 1)).unwrap()[0];
        assert_eq!(wire(start), "2024-03-01T10:30:00.123Z");
    }
}
