//! The wiremock responder: authentication, knobs, routing, request log.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use wiremock::{Match, Request, Respond, ResponseTemplate};

use super::company::TruthEmployee;
use super::generate::Rng;
use super::lists::named_list;
use super::store::Store;
use super::{Knobs, RecordedRequest, Table, fields, people, tables};

/// What the fake knows and remembers, behind one lock.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) store: Store,
    pub(crate) knobs: Knobs,
    /// The exact `Authorization` header value the fake accepts.
    pub(crate) auth_header: String,
    /// Drives fault injection; seeded, so a run is repeatable.
    pub(crate) rng: Rng,
    windows: HashMap<&'static str, VecDeque<Instant>>,
    pub(crate) log: Vec<RecordedRequest>,
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

/// A response before it becomes a [`ResponseTemplate`].
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Body,
    headers: Vec<(&'static str, String)>,
}

pub(crate) enum Body {
    Empty,
    /// Serialized JSON, built once: large answers never exist as a `Value`.
    Json(Vec<u8>),
    /// A JSON body cut short (`truncated_rate`).
    Truncated(Vec<u8>),
    Html(&'static str),
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        let bytes = serde_json::to_vec(&body).expect("a serde_json::Value always serializes");
        Self::json_bytes(status, bytes)
    }

    /// A JSON answer already serialized.
    pub(crate) fn json_bytes(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            body: Body::Json(body),
            headers: Vec::new(),
        }
    }

    /// HiBob's `{"key", "error"}` error body.
    pub(crate) fn error(status: u16, key: &str, message: &str) -> Self {
        Self::json(status, json!({ "key": key, "error": message }))
    }

    pub(crate) fn bad_request(message: &str) -> Self {
        Self::error(400, "request.invalid", message)
    }

    pub(crate) fn forbidden() -> Self {
        Self::error(
            403,
            "permission.denied",
            "The service user does not have permissions to access this table or employees",
        )
    }

    pub(crate) fn not_found(message: &str) -> Self {
        Self::error(404, "not.found", message)
    }

    fn empty(status: u16) -> Self {
        Self {
            status,
            body: Body::Empty,
            headers: Vec::new(),
        }
    }
}

/// The web app's fallback page HiBob serves for some unknown paths.
const HTML_PAGE: &str = "<!DOCTYPE html><html><head><title>Bob</title></head>\
<body><div id=\"app\"></div><script src=\"/main.js\"></script></body></html>";
const GATEWAY_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center></body></html>";
const UNAVAILABLE_PAGE: &str = "<html><head><title>503 Service Temporarily Unavailable</title>\
</head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>";

/// The responder mounted for every request.
pub(crate) struct FakeResponder(pub(crate) Shared);

impl Respond for FakeResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        let method = request.method.as_str().to_owned();
        let path = request.url.path().to_owned();
        let route = route_template(&method, &path);
        let mut reply = answer(&mut state, request, &method, &path, route);
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
            method,
            path,
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
    req: &Request,
    method: &str,
    path: &str,
    route: &'static str,
) -> Reply {
    let auth = req
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
    let mut reply = if state.knobs.fault_rate > 0.0 && state.rng.chance(state.knobs.fault_rate) {
        match state.rng.below(4) {
            0 => Reply::error(500, "internal.error", "Internal server error"),
            1 => Reply {
                body: Body::Html(GATEWAY_PAGE),
                ..Reply::empty(502)
            },
            2 => Reply {
                body: Body::Html(UNAVAILABLE_PAGE),
                ..Reply::empty(503)
            },
            _ => Reply::empty(503),
        }
    } else {
        route_request(state, req, method, path)
    };
    reply.headers.extend(limit_headers);
    reply
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

/// Percent-decodes a path segment (`%40` → `@`, `%2B` → `+`; `+` stays `+`).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The route template a request counts against for rate limiting.
fn route_template(method: &str, path: &str) -> &'static str {
    let segs: Vec<&str> = path.trim_start_matches("/v1/").split('/').collect();
    match (method, segs.as_slice()) {
        ("POST", ["people", "search"]) => "POST /people/search",
        ("POST", ["people", _]) => "POST /people/{identifier}",
        ("GET", ["people", _, "lifecycle"]) => "GET /people/{id}/lifecycle",
        ("GET", ["people", _, "employment"]) => "GET /people/{id}/employment",
        ("GET", ["people", _, "work"]) => "GET /people/{id}/work",
        ("GET", ["people", _, "salaries"]) => "GET /people/{id}/salaries",
        ("GET", ["bulk", "people", "lifecycle"]) => "GET /bulk/people/lifecycle",
        ("GET", ["bulk", "people", "employment"]) => "GET /bulk/people/employment",
        ("GET", ["bulk", "people", "work"]) => "GET /bulk/people/work",
        ("GET", ["bulk", "people", "salaries"]) => "GET /bulk/people/salaries",
        ("GET", ["company", "people", "fields"]) => "GET /company/people/fields",
        ("GET", ["company", "named-lists"]) => "GET /company/named-lists",
        ("GET", ["company", "named-lists", _]) => "GET /company/named-lists/{listName}",
        _ => "other",
    }
}

fn route_request(state: &mut State, req: &Request, method: &str, path: &str) -> Reply {
    let Some(rest) = path.strip_prefix("/v1/") else {
        return Reply::not_found("No such endpoint");
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let query: HashMap<String, String> = req.url.query_pairs().into_owned().collect();
    let denied = state.knobs.no_permission_group;
    match (method, segs.as_slice()) {
        ("GET", ["company", "people", "fields"]) => Reply::json(200, fields::metadata()),
        _ if denied && route_template(method, path) != "other" => Reply::forbidden(),
        ("POST", ["people", "search"]) => people::search(state, &req.body),
        ("POST", ["people", ident]) if !ident.is_empty() => {
            people::single(state, &percent_decode(ident), &req.body)
        }
        ("GET", ["bulk", "people", table]) => {
            match Table::ALL.into_iter().find(|t| t.as_str() == *table) {
                Some(t) => tables::bulk(state, t, &query),
                None => Reply::not_found("No such endpoint"),
            }
        }
        ("GET", ["people", id, segment]) => {
            match Table::ALL.into_iter().find(|t| t.as_str() == *segment) {
                Some(t) => tables::per_employee(state, t, &percent_decode(id)),
                None if state.knobs.html_for_unknown_paths => Reply {
                    body: Body::Html(HTML_PAGE),
                    ..Reply::empty(200)
                },
                None => Reply::not_found("No such endpoint"),
            }
        }
        ("GET", ["company", "named-lists"]) => {
            let archived = query.get("includeArchived").is_some_and(|v| v == "true");
            let lists: Map<String, Value> = state
                .store
                .lists()
                .values()
                .map(|l| (l.name.clone(), named_list(l, archived)))
                .collect();
            Reply::json(200, Value::Object(lists))
        }
        ("GET", ["company", "named-lists", name]) => {
            let archived = query.get("includeArchived").is_some_and(|v| v == "true");
            match state.store.lists().get(&percent_decode(name)) {
                Some(l) => Reply::json(200, named_list(l, archived)),
                None => Reply::not_found("List not found"),
            }
        }
        _ => Reply::not_found("No such endpoint"),
    }
}

/// Matches (and thereby drops) a seeded fraction of requests; mounted above the
/// responder with `respond_with_err`, which makes the server close the connection.
pub(crate) struct DropMatcher(pub(crate) Shared);

impl Match for DropMatcher {
    fn matches(&self, request: &Request) -> bool {
        let mut state = lock(&self.0);
        let p = state.knobs.drop_rate;
        if p <= 0.0 || !state.rng.chance(p) {
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
