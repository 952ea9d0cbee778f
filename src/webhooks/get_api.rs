//! The `getApi` URL of a time-off event: followed only when it lies under the
//! client's base URL and names the event's own request.
//!
//! The service user's credentials go with every read, so a URL taken from a
//! webhook body must never decide where a request goes. Rather than sending
//! the URL as given, it is checked and parsed back into the one route it may
//! name, `/timeoff/employees/{id}/requests/{requestId}`; the read is then
//! built from that template like any other, so errors and traces carry the
//! template, never the concrete URL.

use url::Url;

use crate::models::EmployeeId;
use crate::models::time_off::RequestId;

/// Why a `getApi` URL is not followed; completes "the event's getApi URL …".
/// Never contains the URL itself (it names an employee).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    NotAUrl,
    OddCharacters,
    Userinfo,
    DotSegment,
    OtherScheme,
    OtherHost,
    OtherPort,
    OutsideBasePath,
    QueryOrFragment,
    NotTheRequestRoute,
    OtherRequest,
}

impl Refusal {
    fn why(self) -> &'static str {
        match self {
            Self::NotAUrl => "is not a valid URL",
            Self::OddCharacters => "contains whitespace, control characters or a backslash",
            Self::Userinfo => "carries a user name or password",
            Self::DotSegment => "has a `.` or `..` path segment",
            Self::OtherScheme => "uses another scheme than the client's base URL",
            Self::OtherHost => "points to another host than the client's base URL",
            Self::OtherPort => "points to another port than the client's base URL",
            Self::OutsideBasePath => "lies outside the client's base path",
            Self::QueryOrFragment => "has a query or fragment",
            Self::NotTheRequestRoute => {
                "is not the time-off request read `/timeoff/employees/{id}/requests/{requestId}`"
            }
            Self::OtherRequest => "names another employee or request than the event's data",
        }
    }

    /// The error `fetch` returns: what was wrong, that nothing was sent, and
    /// what to do next.
    pub(super) fn into_error(self) -> crate::Error {
        crate::Error::invalid(format!(
            "the event's getApi URL {}, so it was not followed and nothing was sent; check that \
             the client's environment (production or sandbox) is the webhook's, or read the \
             request by the event's IDs (set the follow-up's `get_api` to `None`)",
            self.why()
        ))
    }
}

/// Checks `get_api` against `base_url` and the event's IDs. `Ok` means the
/// URL is exactly `{base_url}/timeoff/employees/{employee}/requests/{request}`.
pub(super) fn check(
    base_url: &str,
    get_api: &str,
    employee: &EmployeeId,
    request: RequestId,
) -> Result<(), Refusal> {
    let (named_employee, named_request) = parse(base_url, get_api)?;
    if named_employee != employee.as_str() || named_request != request {
        return Err(Refusal::OtherRequest);
    }
    Ok(())
}

/// The employee and request a `getApi` URL names, if it lies under
/// `base_url` and is the request read route.
pub(super) fn parse(base_url: &str, get_api: &str) -> Result<(String, RequestId), Refusal> {
    check_raw_text(get_api)?;
    let url = Url::parse(get_api).map_err(|_| Refusal::NotAUrl)?;
    // The client validated its base URL when it was built.
    let base = Url::parse(base_url).map_err(|_| Refusal::NotAUrl)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::Userinfo);
    }
    if url.host() != base.host() {
        return Err(Refusal::OtherHost);
    }
    if url.scheme() != base.scheme() {
        return Err(Refusal::OtherScheme);
    }
    if url.port_or_known_default() != base.port_or_known_default() {
        return Err(Refusal::OtherPort);
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Refusal::QueryOrFragment);
    }
    let base_path = base.path().trim_end_matches('/');
    let route = url
        .path()
        .strip_prefix(base_path)
        .filter(|rest| rest.starts_with('/'))
        .ok_or(Refusal::OutsideBasePath)?;
    parse_route(route).ok_or(Refusal::NotTheRequestRoute)
}

/// Checks on the text as received, before URL parsing normalises it away:
/// a parser resolves `..`, drops tabs and newlines and reads `\` as `/`,
/// so a URL could pass the checks below while meaning something else.
fn check_raw_text(raw: &str) -> Result<(), Refusal> {
    if raw
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(Refusal::OddCharacters);
    }
    let after_scheme = raw.split_once("://").map_or(raw, |(_, rest)| rest);
    let path = after_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .split_once('/')
        .map_or("", |(_, path)| path);
    let is_dots = |segment: &str| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    };
    if path.split('/').any(is_dots) {
        return Err(Refusal::DotSegment);
    }
    Ok(())
}

/// `/timeoff/employees/{id}/requests/{requestId}` back into its two values.
/// The employee ID must be a plain token (HiBob's are digits): nothing that
/// would need decoding.
fn parse_route(route: &str) -> Option<(String, RequestId)> {
    let segments: Vec<&str> = route.strip_prefix('/')?.split('/').collect();
    let ["timeoff", "employees", id, "requests", request] = segments.as_slice() else {
        return None;
    };
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !plain(id) || !plain(request) {
        return None;
    }
    let request: i64 = request.parse().ok()?;
    Some(((*id).to_owned(), RequestId::new(request)))
}
