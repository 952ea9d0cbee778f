//! The changes feed over long ranges: split into adjacent windows HiBob
//! accepts, and deduplicated, against a responder that filters one fixed feed
//! by each request's `since` and `to`.

use hibob::chrono::{DateTime, Duration, TimeZone, Utc};
use hibob::time_off::TimeOffChange;
use proptest::prelude::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support;

/// A feed of changes, each with the instant it happened (HiBob sends none;
/// the responder keeps it in an unknown key, `changedAt`).
#[derive(Debug, Clone)]
struct Feed {
    changes: Vec<(DateTime<Utc>, i64)>,
    /// Whether the responder counts a change at exactly `to` (HiBob's docs do
    /// not say; the client must be right either way).
    to_inclusive: bool,
}

impl Feed {
    fn entry(at: DateTime<Utc>, id: i64) -> Value {
        json!({"changeType": "Created", "requestId": id, "employeeId": "1",
            "changedAt": at.to_rfc3339()})
    }

    fn contains(&self, at: DateTime<Utc>, since: DateTime<Utc>, to: Option<DateTime<Utc>>) -> bool {
        at >= since && to.is_none_or(|to| if self.to_inclusive { at <= to } else { at < to })
    }

    /// The request IDs of the full feed over `since..to`, in feed order.
    fn expected(&self, since: DateTime<Utc>, to: DateTime<Utc>) -> Vec<i64> {
        let changes = self.changes.iter();
        changes
            .filter(|(at, _)| self.contains(*at, since, Some(to)))
            .map(|(_, id)| *id)
            .collect()
    }
}

fn param(request: &Request, key: &str) -> Option<DateTime<Utc>> {
    let (_, value) = request.url.query_pairs().find(|(k, _)| k == key)?;
    Some(
        DateTime::parse_from_rfc3339(&value)
            .unwrap()
            .with_timezone(&Utc),
    )
}

impl Respond for Feed {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(since) = param(request, "since") else {
            return ResponseTemplate::new(400);
        };
        let to = param(request, "to");
        // HiBob refuses more than 6 months; 181 days is the shortest 6.
        let end = to.unwrap_or_else(Utc::now);
        if end - since > Duration::days(181) || to.is_some_and(|to| to <= since) {
            return ResponseTemplate::new(400).set_body_json(json!({"error": "range too long"}));
        }
        let changes: Vec<Value> = self
            .changes
            .iter()
            .filter(|(at, _)| self.contains(*at, since, to))
            .map(|(at, id)| Feed::entry(*at, *id))
            .collect();
        support::json(json!({"changes": changes}))
    }
}

async fn serve(feed: Feed) -> MockServer {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/requests/changes"))
        .respond_with(feed)
        .mount(&server)
        .await;
    server
}

fn ids(changes: &[TimeOffChange]) -> Vec<i64> {
    let ids = changes.iter().map(|c| c.request_id.unwrap().get());
    ids.collect()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
}

/// The windows the client sent, as (since, to).
async fn windows(server: &MockServer) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let requests = server.received_requests().await.unwrap();
    let pairs = requests
        .iter()
        .map(|r| (param(r, "since").unwrap(), param(r, "to")));
    pairs.collect()
}

#[tokio::test]
async fn two_years_cost_at_most_five_adjacent_windows_without_duplicates() {
    let (since, to) = (at(2022, 1, 1), at(2024, 1, 1));
    let boundary = since + Duration::days(180);
    let changes = vec![(since, 1), (boundary, 2), (at(2023, 6, 1), 3), (to, 4)];
    let feed = Feed {
        changes,
        to_inclusive: true,
    };
    let server = serve(feed.clone()).await;
    let client = support::client(&server);
    let found = client.time_off().changes(since).to(to).await.unwrap();
    assert_eq!(
        ids(&found),
        [1, 2, 3, 4],
        "the change on a shared bound once"
    );
    let sent = windows(&server).await;
    assert!(sent.len() <= 5, "{} requests", sent.len());
    assert_eq!(sent[0].0, since);
    assert_eq!(sent.last().unwrap().1, Some(to));
    for pair in sent.windows(2) {
        assert_eq!(pair[0].1, Some(pair[1].0), "adjacent and not overlapping");
    }
}

#[tokio::test]
async fn the_wire_form_is_utc_with_milliseconds_and_pending_is_sent() {
    let server = support::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/requests/changes"))
        .and(wiremock::matchers::query_param(
            "since",
            "2026-01-01T00:00:00.000Z",
        ))
        .and(wiremock::matchers::query_param(
            "to",
            "2026-02-01T00:00:00.000Z",
        ))
        .and(wiremock::matchers::query_param("includePending", "true"))
        .respond_with(support::json(
            json!({"changes": [Feed::entry(at(2026, 1, 2), 9)]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let since = hibob::chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let found = client
        .time_off()
        .changes(since)
        .to(at(2026, 2, 1))
        .include_pending(true)
        .await
        .unwrap();
    assert_eq!(ids(&found), [9]);
    assert!(
        found[0].extra.contains_key("changedAt"),
        "unknown keys kept"
    );
}

#[tokio::test]
async fn without_to_the_last_window_runs_to_hibobs_now() {
    let feed = Feed {
        changes: vec![
            (Utc::now() - Duration::days(300), 1),
            (Utc::now() - Duration::days(1), 2),
        ],
        to_inclusive: false,
    };
    let server = serve(feed).await;
    let client = support::client(&server);
    let since = Utc::now() - Duration::days(400);
    let found = client.time_off().changes(since).await.unwrap();
    assert_eq!(ids(&found), [1, 2]);
    let sent = windows(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(sent.last().unwrap().1, None, "no `to` on the last window");
}

#[tokio::test]
async fn a_failed_window_fails_the_read() {
    let server = support::server().await;
    support::first_n_then(
        &server,
        "/v1/timeoff/requests/changes",
        1,
        support::json(json!({"changes": []})),
        ResponseTemplate::new(403),
    )
    .await;
    let client = support::client(&server);
    let err = client
        .time_off()
        .changes(at(2022, 1, 1))
        .to(at(2023, 1, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, hibob::Error::PermissionDenied { .. }),
        "{err:?}"
    );
    assert_eq!(
        support::request_count(&server).await,
        2,
        "stopped at the failure"
    );
}

/// A feed over 2020-2023 with changes at random instants, and some exactly
/// on the bounds the client's windows will use.
fn feed_and_range() -> impl Strategy<Value = (Feed, DateTime<Utc>, DateTime<Utc>)> {
    let origin = at(2020, 1, 1).timestamp();
    let span = 4 * 366 * 86_400_i64;
    (
        0..span,
        1..(3 * 366 * 86_400_i64),
        prop::collection::vec(0..span, 0..40),
        any::<bool>(),
    )
        .prop_map(move |(start, length, instants, to_inclusive)| {
            let since = Utc.timestamp_opt(origin + start, 0).unwrap();
            let to = since + Duration::seconds(length);
            let mut instants: Vec<_> = instants
                .into_iter()
                .map(|s| Utc.timestamp_opt(origin + s, 0).unwrap())
                .collect();
            // Changes on the window bounds and on both ends of the range.
            instants.extend((0..8).map(|k| since + Duration::days(180 * k)));
            instants.push(to);
            instants.sort();
            let changes = instants.into_iter().zip(1..).collect();
            let feed = Feed {
                changes,
                to_inclusive,
            };
            (feed, since, to)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Windowed changes over any range equal the full feed for that range,
    /// whichever way the server treats `to`.
    #[test]
    fn windowed_changes_equal_the_full_feed((feed, since, to) in feed_and_range()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (found, sent) = runtime.block_on(async {
            let server = serve(feed.clone()).await;
            let found = support::client(&server).time_off().changes(since).to(to).await.unwrap();
            (found, windows(&server).await.len())
        });
        prop_assert_eq!(ids(&found), feed.expected(since, to));
        let days = (to - since).num_days();
        prop_assert!(sent as i64 <= days / 180 + 1, "{} windows for {} days", sent, days);
    }
}
