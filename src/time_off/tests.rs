//! Compile-time and pure checks of the time-off handle.

use std::future::{Future, IntoFuture};

use chrono::NaiveDate;
use futures::Stream;

use super::*;

fn assert_static_future<T: Future + Send + Sync + 'static>(_: T) {}
fn assert_static_stream<T: Stream + Send + Sync + Unpin + 'static>(_: T) {}

/// Every time-off future and stream can be spawned, stored in a `Sync` type
/// and outlive the client and arguments it came from.
#[test]
fn time_off_futures_are_send_sync_and_static() {
    let client = Client::builder()
        .service_user("id", "token")
        .build()
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let id = String::from("123");
    let time_off = client.time_off();
    assert_static_future(time_off.request(&id, 1));
    assert_static_future(time_off.submit(&id, SubmitTimeOffRequest::days("Holiday", day, day)));
    assert_static_future(time_off.cancel(&id, 1));
    assert_static_future(
        time_off
            .changes(day)
            .to(day)
            .include_pending(true)
            .into_future(),
    );
    assert_static_future(time_off.whos_out(day, day).into_future());
    assert_static_future(time_off.out_today().on(day).into_future());
    assert_static_future(time_off.balance(&id, "Holiday", day));
    assert_static_future(time_off.adjust(&id, AdjustmentRequest::new("Holiday", day, 1.0)));
    assert_static_future(time_off.policy_types());
    assert_static_future(time_off.policy_type("Holiday"));
    assert_static_future(time_off.reason_codes("Holiday"));
    assert_static_future(time_off.add_reason_codes("Holiday", AddReasonCodes::new(["a"])));
    assert_static_future(time_off.policy_names("Holiday"));
    assert_static_future(time_off.policy("Holiday 2026"));
    assert_static_stream(time_off.policies());
    assert_static_stream(time_off.calendar_events(CalendarEventsSearch::new(day, day)));
    assert_static_stream(time_off.employee_calendars(EmployeeCalendarsSearch::new([id.as_str()])));
    drop((client, id));
}
