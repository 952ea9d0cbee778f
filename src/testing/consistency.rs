//! What a write stores and when reads see it: the `read_lag` and
//! `dropped_on_write` knobs, applied around every endpoint so each write
//! handler (people, tables, any added later) gets them without code of its own.
//!
//! Read lag: while [`Knobs::read_lag`](super::Knobs::read_lag) is set, every
//! write that answers 2xx first saves the store as it was before, stamped
//! with the fake's clock. Writes always run on the current store (so 304s and
//! duplicate checks see every earlier write, as HiBob's write path does);
//! reads run on the oldest saved store younger than the lag, i.e. the
//! company before the earliest write a reader may not see yet. A request is a
//! read when its route is a `GET`, a `…/search`, or `POST /people/{identifier}`.
//!
//! The clock is tokio's, read in the runtime that started the fake: a test on
//! a paused clock (`#[tokio::test(start_paused = true)]`) moves the lag's
//! time along with its own sleeps, though the server runs on its own thread.

use serde_json::{Map, Value};
use wiremock::Request;

use super::Knobs;
use super::api::Endpoint;
use super::reply::Reply;
use super::state::State;

/// The fake's clock: tokio's, in the runtime that started the fake.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock(Option<tokio::runtime::Handle>);

impl Clock {
    /// The clock of the runtime this is called in (real time outside one).
    pub(crate) fn current() -> Self {
        Self(tokio::runtime::Handle::try_current().ok())
    }

    pub(crate) fn now(&self) -> tokio::time::Instant {
        match &self.0 {
            Some(runtime) => {
                let _entered = runtime.enter();
                tokio::time::Instant::now()
            }
            None => tokio::time::Instant::now(),
        }
    }
}

/// Runs the endpoint on the store its kind of request sees (see the module docs).
pub(crate) fn answer(state: &mut State, endpoint: Endpoint<'_>) -> Reply {
    let Some(lag) = state.knobs.read_lag else {
        state.past.clear();
        return endpoint.answer(state);
    };
    let now = state.clock.now();
    while (state.past.front()).is_some_and(|(at, _)| now.duration_since(*at) >= lag) {
        state.past.pop_front();
    }
    if is_read(endpoint.template) {
        let Some((at, mut seen)) = state.past.pop_front() else {
            return endpoint.answer(state);
        };
        std::mem::swap(&mut state.store, &mut seen);
        let reply = endpoint.answer(state);
        std::mem::swap(&mut state.store, &mut seen);
        state.past.push_front((at, seen));
        return reply;
    }
    let before = state.store.clone();
    let reply = endpoint.answer(state);
    if (200..300).contains(&reply.status) {
        state.past.push_back((now, before));
    }
    reply
}

/// Whether the endpoint `template` (`"POST /people/search"`) only reads: a
/// `GET`, a `…/search`, or HiBob's read of one employee by POST.
pub(crate) fn is_read(template: &str) -> bool {
    template.starts_with("GET ")
        || template.ends_with("/search")
        || template == "POST /people/{identifier}"
}

/// The request with every `dropped_on_write` field taken out of its JSON
/// body, for a write that names one; `None` when nothing is dropped.
pub(crate) fn without_dropped_fields(knobs: &Knobs, request: &Request) -> Option<Request> {
    if knobs.dropped_on_write.is_empty() || request.method.as_str() == "GET" {
        return None;
    }
    let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(&request.body) else {
        return None;
    };
    let mut dropped = false;
    for path in &knobs.dropped_on_write {
        dropped |= remove_path(&mut body, path);
    }
    if !dropped {
        return None;
    }
    let mut stripped = request.clone();
    stripped.body = serde_json::to_vec(&Value::Object(body)).unwrap_or_default();
    Some(stripped)
}

/// Removes dotted `path` (nested, or as one flat key) from `object`.
fn remove_path(object: &mut Map<String, Value>, path: &str) -> bool {
    if object.remove(path).is_some() {
        return true;
    }
    match path.split_once('.') {
        Some((head, rest)) => match object.get_mut(head) {
            Some(Value::Object(inner)) => remove_path(inner, rest),
            _ => false,
        },
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_dropped_field_is_removed_nested_or_flat_and_nothing_else() {
        let mut body = json!({"firstName": "A", "home": {"mobilePhone": "1", "city": "X"}});
        let map = body.as_object_mut().unwrap();
        assert!(remove_path(map, "home.mobilePhone"));
        assert!(!remove_path(map, "home.mobilePhone"), "already gone");
        assert!(!remove_path(map, "firstName.x"));
        assert_eq!(body, json!({"firstName": "A", "home": {"city": "X"}}));
        let mut flat = json!({"work.custom.field_1": 3, "work": 1});
        assert!(remove_path(
            flat.as_object_mut().unwrap(),
            "work.custom.field_1"
        ));
        assert_eq!(flat, json!({"work": 1}));
    }
}
