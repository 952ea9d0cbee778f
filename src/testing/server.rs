//! The wiremock responder: what is the same for every endpoint (authentication,
//! drops, rate limit, faults, truncation, latency, the request log). Which
//! endpoint answers is up to the API groups in [`api`](super::api).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wiremock::{Match, Request, Respond, ResponseTemplate};

use super::api::{self, Call, Endpoint};
use super::consistency;
use super::reply::{Body, Reply};
use super::state::{Shared, State, lock};
use super::{Knobs, RecordedRequest};

const GATEWAY_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center></body></html>";
const UNAVAILABLE_PAGE: &str = "<html><head><title>503 Service Temporarily Unavailable</title>\
</head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>";

/// The responder mounted for every request.
pub(crate) struct FakeResponder(pub(crate) Shared);

impl Respond for FakeResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        let stripped = consistency::without_dropped_fields(&state.knobs, request);
        let request = stripped.as_ref().unwrap_or(request);
        let path = request.url.path();
        let (mut reply, route) = routed(request, |call, route, endpoint| {
            (answer(&mut state, call, route, endpoint), route)
        });
        let delay = response_delay(&mut state.knobs, route);
        if reply.status == 200 && state.knobs.truncated_rate > 0.0 {
            let p = state.knobs.truncated_rate;
            if matches!(reply.body, Body::Json(_)) && state.rng.chance(p) {
                if let Body::Json(mut bytes) = std::mem::replace(&mut reply.body, Body::Empty) {
                    bytes.truncate(bytes.len() / 2);
                    reply.body = Body::Truncated(bytes);
                }
            }
        }
        state.log.push(RecordedRequest {
            method: request.method.as_str().to_owned(),
            path: path.to_owned(),
            query: request.url.query().map(str::to_owned),
            status: reply.status,
        });
        drop(state);
        let mut template = ResponseTemplate::new(reply.status);
        for (name, value) in reply.headers {
            template = template.insert_header(name, value.as_str());
        }
        template = match reply.body {
            Body::Empty => template,
            Body::Truncated(bytes) | Body::Json(bytes) => {
                template.set_body_raw(bytes, "application/json")
            }
            Body::Html(page) => template.set_body_raw(page.as_bytes(), "text/html; charset=utf-8"),
        };
        match delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// Finds the endpoint that serves `request` and hands it to `then` with the
/// call and its rate-limit route: the endpoint's template, or `"other"`
/// (requests no group serves share one window).
fn routed<R>(
    request: &Request,
    then: impl FnOnce(Call<'_>, &'static str, Option<Endpoint<'_>>) -> R,
) -> R {
    let segments = api::segments(request.url.path());
    let call = Call {
        method: request.method.as_str(),
        segments: &segments,
        request,
    };
    let endpoint = api::endpoint(call);
    let route = endpoint.as_ref().map_or("other", |e| e.template);
    then(call, route, endpoint)
}

/// `latency`, plus the stall when this is one of the stalled people searches.
fn response_delay(knobs: &mut Knobs, route: &str) -> Option<Duration> {
    if route != "POST /people/search" || knobs.stalled_searches == 0 {
        return knobs.latency;
    }
    knobs.stalled_searches -= 1;
    let latency = knobs.latency.unwrap_or(Duration::ZERO);
    Some(latency.saturating_add(knobs.search_stall))
}

/// Authentication, rate limit, faults, then the endpoint itself.
fn answer(
    state: &mut State,
    call: Call<'_>,
    route: &'static str,
    endpoint: Option<Endpoint<'_>>,
) -> Reply {
    let auth = call
        .request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if state.knobs.reject_all_credentials || auth != Some(state.auth_header.as_str()) {
        return Reply::empty(401);
    }
    let limit_headers = match rate_limit(state, route) {
        Ok(headers) => headers,
        Err(reply) => return reply,
    };
    let mut reply = match injected_fault(state) {
        Some(fault) => fault,
        None => serve(state, call, endpoint),
    };
    reply.headers.extend(limit_headers);
    reply
}

/// A 500/502/503 for a seeded `fault_rate` fraction of requests.
fn injected_fault(state: &mut State) -> Option<Reply> {
    let faulty = state.knobs.fault_rate > 0.0 && state.rng.chance(state.knobs.fault_rate);
    if !faulty {
        return None;
    }
    Some(match state.rng.below(4) {
        0 => Reply::error(500, "internal.error", "Internal server error"),
        1 => Reply::html(502, GATEWAY_PAGE),
        2 => Reply::html(503, UNAVAILABLE_PAGE),
        _ => Reply::empty(503),
    })
}

/// The endpoint's answer, unless the service user's permission group rules it out.
fn serve(state: &mut State, call: Call<'_>, endpoint: Option<Endpoint<'_>>) -> Reply {
    match endpoint {
        None => api::unknown(state, call),
        // A service user in no permission group may read fields metadata only.
        Some(e) if state.knobs.no_permission_group && !e.open_without_group => Reply::forbidden(),
        Some(e) if state.knobs.denies_write(e.template) => Reply::forbidden(),
        Some(e) => consistency::answer(state, e),
    }
}

/// A sliding window per route; `Err` is the 429 to send.
fn rate_limit(
    state: &mut State,
    route: &'static str,
) -> Result<Vec<(&'static str, String)>, Reply> {
    let Some(limit) = state.knobs.rate_limit else {
        return Ok(Vec::new());
    };
    let now = Instant::now();
    let window = state.windows.entry(route).or_default();
    while window
        .front()
        .is_some_and(|t| now.duration_since(*t) >= limit.window)
    {
        window.pop_front();
    }
    let frees_in = window.front().map_or(limit.window, |t| {
        limit.window.saturating_sub(now.duration_since(*t))
    });
    let reset = SystemTime::now()
        .checked_add(frees_in)
        .unwrap_or(SystemTime::now())
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
        + 1;
    let full = window.len() >= limit.max as usize;
    if !full {
        window.push_back(now);
    }
    let remaining = limit.max.saturating_sub(window.len() as u32);
    let headers = vec![
        ("x-ratelimit-limit", limit.max.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
    ];
    if full {
        let secs = frees_in.as_secs() + u64::from(frees_in.subsec_nanos() > 0);
        let mut reply = Reply::error(429, "rate.limit.exceeded", "Too many requests");
        reply.headers = headers;
        reply.headers.push(("retry-after", secs.max(1).to_string()));
        return Err(reply);
    }
    Ok(headers)
}

/// Matches (and thereby drops) the next `drop_next` requests and a seeded
/// `drop_rate` fraction of the others; mounted above the responder with
/// `respond_with_err`, which makes the server close the connection. Wiremock
/// has read the whole request, body included, before it asks a matcher.
pub(crate) struct DropMatcher(pub(crate) Shared);

impl Match for DropMatcher {
    fn matches(&self, request: &Request) -> bool {
        let mut state = lock(&self.0);
        if state.knobs.drop_after_apply > 0 && on_drop_route(&state.knobs, request) {
            state.knobs.drop_after_apply -= 1;
            apply_unanswered(&mut state, request);
        } else if !drops_this_one(&mut state) {
            return false;
        }
        state.log.push(RecordedRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query().map(str::to_owned),
            status: 0,
        });
        true
    }
}

/// Whether `request` is on `drop_after_apply_route` (any route without one).
fn on_drop_route(knobs: &Knobs, request: &Request) -> bool {
    let Some(route) = &knobs.drop_after_apply_route else {
        return true;
    };
    routed(request, |_, template, _| template == route.as_str())
}

/// Serves `request` as the responder would (authentication, rate limit,
/// faults, the endpoint, which may change the company) and forgets the
/// answer: `drop_after_apply`.
fn apply_unanswered(state: &mut State, request: &Request) {
    let stripped = consistency::without_dropped_fields(&state.knobs, request);
    let request = stripped.as_ref().unwrap_or(request);
    let reply = routed(request, |call, route, endpoint| {
        answer(state, call, route, endpoint)
    });
    drop(reply);
}

/// `drop_next` first, without a random draw (so it leaves the fault sequence
/// alone), then `drop_rate`.
fn drops_this_one(state: &mut State) -> bool {
    if state.knobs.drop_next > 0 {
        state.knobs.drop_next -= 1;
        return true;
    }
    let p = state.knobs.drop_rate;
    let spared = p <= 0.0 || !state.rng.chance(p);
    !spared
}
