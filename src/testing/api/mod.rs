//! The API groups the fake serves, one module per group of the client
//! (`people`, `tables`, `metadata`, `time_off`), all reading the same company.
//!
//! A group's `route` function is the one place that says which requests the
//! group serves: it matches the method and the path segments and returns an
//! [`Endpoint`], the route template the request counts against for rate
//! limiting plus the handler that answers it. `server.rs` does what is the same
//! for every endpoint (authentication, knobs, rate limit, faults, the log) and
//! asks the groups in turn; a path no group claims gets [`unknown`]'s answer.
//!
//! To add a group, say time off: write `api/time_off.rs` with
//! `pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>>` and add
//! `time_off` to the modules and to `GROUPS` below.

use std::collections::HashMap;

use wiremock::Request;

use super::reply::Reply;
use super::state::State;

// Plain `mod` items, not declared by a macro: rustfmt skips modules a macro
// declares, and would then never check these files.
mod bulk_page;
mod custom_tables;
mod metadata;
mod onboarding;
mod people;
mod people_writes;
mod table_metadata;
mod table_writes;
mod tables;
mod time_off;

/// Every group's `route` function, in the order [`endpoint`] asks them.
const GROUPS: &[fn(Call<'_>) -> Option<Endpoint<'_>>] = &[
    custom_tables::route,
    people::route,
    people_writes::route,
    tables::route,
    table_writes::route,
    table_metadata::route,
    metadata::route,
    time_off::route,
    onboarding::route,
];

mod cursor;

/// One request, as the groups see it.
#[derive(Clone, Copy)]
pub(crate) struct Call<'a> {
    /// `GET`, `POST`, …
    pub(crate) method: &'a str,
    /// The path after `/v1/`, split at `/`, still percent-encoded (see
    /// [`segments`]); empty when the path is not under `/v1/`.
    pub(crate) segments: &'a [&'a str],
    pub(crate) request: &'a Request,
}

impl<'a> Call<'a> {
    /// The request body, as received.
    pub(crate) fn body(self) -> &'a [u8] {
        &self.request.body
    }

    /// The query parameters, decoded; a repeated parameter keeps its last value.
    pub(crate) fn query(self) -> HashMap<String, String> {
        self.request.url.query_pairs().into_owned().collect()
    }
}

/// The path segments after `/v1/` (none when the path is not under `/v1/`).
pub(crate) fn segments(path: &str) -> Vec<&str> {
    match path.strip_prefix("/v1/") {
        Some(rest) => rest.split('/').collect(),
        None => Vec::new(),
    }
}

/// The handler a group chose for a request, and what the server needs to know
/// about it before running it.
pub(crate) struct Endpoint<'a> {
    /// The route template the request counts against for rate limiting, e.g.
    /// `GET /people/{id}/work`.
    pub(crate) template: &'static str,
    /// Served even to a service user in no permission group (HiBob's fields
    /// metadata is).
    pub(crate) open_without_group: bool,
    handler: Box<dyn FnOnce(&mut State) -> Reply + 'a>,
}

impl<'a> Endpoint<'a> {
    pub(crate) fn new(
        template: &'static str,
        handler: impl FnOnce(&mut State) -> Reply + 'a,
    ) -> Self {
        Self {
            template,
            open_without_group: false,
            handler: Box::new(handler),
        }
    }

    /// Marks the endpoint as served without a permission group.
    pub(crate) fn open_without_group(mut self) -> Self {
        self.open_without_group = true;
        self
    }

    /// Runs the handler.
    pub(crate) fn answer(self, state: &mut State) -> Reply {
        (self.handler)(state)
    }
}

/// The endpoint of the first group that claims this request.
pub(crate) fn endpoint(call: Call<'_>) -> Option<Endpoint<'_>> {
    GROUPS.iter().find_map(|route| route(call))
}

/// The web app's fallback page HiBob serves for some unknown paths.
const HTML_PAGE: &str = "<!DOCTYPE html><html><head><title>Bob</title></head>\
<body><div id=\"app\"></div><script src=\"/main.js\"></script></body></html>";

/// The answer for a request no group claims: 404, or with
/// `html_for_unknown_paths` HiBob's web page for unknown `GET /people/{id}/…` paths.
pub(crate) fn unknown(state: &State, call: Call<'_>) -> Reply {
    match (call.method, call.segments) {
        ("GET", ["people", _, _]) if state.knobs.html_for_unknown_paths => {
            Reply::html(200, HTML_PAGE)
        }
        _ => Reply::not_found("No such endpoint"),
    }
}

/// Percent-decodes a path segment (`%40` → `@`, `%2B` → `+`; `+` stays `+`).
fn percent_decode(s: &str) -> String {
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
