//! Onboarding and Bob access: `GET /onboarding/wizards`,
//! `POST /employees/{employeeId}/invitations`,
//! `POST /employees/{identifier}/uninvite`, and avatars
//! (`PUT`/`GET /avatars/{employeeId}`, `GET /avatars?email=`), with HiBob's
//! rules: an unknown employee is 404, an unknown wizard 400; invitations and
//! avatars are remembered, so later reads (and [`FakeHibob::invitation`])
//! show them.

use serde_json::Value;

use super::{Call, Endpoint, percent_decode};
use crate::testing::FakeHibob;
use crate::testing::onboarding::{is_wizard, wizards_body};
use crate::testing::reply::Reply;
use crate::testing::state::{State, lock};

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let body = call.body();
    let endpoint = match (call.method, call.segments) {
        ("GET", ["onboarding", "wizards"]) => Endpoint::new("GET /onboarding/wizards", |_| {
            Reply::json(200, wizards_body())
        }),
        ("POST", ["employees", id, "invitations"]) => {
            Endpoint::new("POST /employees/{employeeId}/invitations", move |s| {
                invite(s, &percent_decode(id), body)
            })
        }
        ("POST", ["employees", id, "uninvite"]) => {
            Endpoint::new("POST /employees/{identifier}/uninvite", move |s| {
                uninvite(s, &percent_decode(id))
            })
        }
        ("PUT", ["avatars", id]) => Endpoint::new("PUT /avatars/{employeeId}", move |s| {
            set_avatar(s, &percent_decode(id), body)
        }),
        ("GET", ["avatars", id]) => Endpoint::new("GET /avatars/{employeeId}", move |s| {
            avatar(s, Some(&percent_decode(id)), None)
        }),
        ("GET", ["avatars"]) => {
            let email = call.query().remove("email");
            Endpoint::new("GET /avatars", move |s| avatar(s, None, email.as_deref()))
        }
        _ => return None,
    };
    Some(endpoint)
}

/// The ID of the visible employee with this ID (or, for the e-mail read,
/// this work e-mail); `Err` is HiBob's 404.
fn employee(state: &State, id: Option<&str>, email: Option<&str>) -> Result<String, Reply> {
    let found = match (id, email) {
        (Some(id), _) => state.store.employee(id),
        (None, Some(email)) => state
            .store
            .employees()
            .find(|e| e.facts.email.eq_ignore_ascii_case(email)),
        (None, None) => None,
    };
    found
        .filter(|e| state.visible(e.facts))
        .map(|e| e.facts.id.clone())
        .ok_or_else(|| Reply::error(404, "employee.not.found", "Employee not found"))
}

fn object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Reply::bad_request("The request body must be a JSON object")),
    }
}

/// 200 empty; 400 for a missing, unknown or repeated invitation (the fake
/// refuses inviting an employee who holds an invitation; HiBob does not
/// document this case).
fn invite(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result = (|| {
        let id = employee(state, Some(id), None)?;
        let body = object(body)?;
        let wizard = body
            .get("welcomeWizardId")
            .and_then(Value::as_u64)
            .ok_or_else(|| Reply::bad_request("welcomeWizardId must be a number"))?;
        if !is_wizard(wizard) {
            return Err(Reply::error(
                400,
                "onboarding.wizard.not.found",
                &format!("Welcome wizard {wizard} not found"),
            ));
        }
        if state.onboarding.invitations.contains_key(&id) {
            return Err(Reply::bad_request("The employee is already invited"));
        }
        state.onboarding.invitations.insert(id, wizard);
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// 200 empty; revoking an employee who holds no invitation changes nothing.
fn uninvite(state: &mut State, id: &str) -> Reply {
    match employee(state, Some(id), None) {
        Ok(id) => {
            state.onboarding.invitations.remove(&id);
            Reply::empty(200)
        }
        Err(reply) => reply,
    }
}

/// 200 empty; 400 when `url` is not an absolute http(s) URL.
fn set_avatar(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result = (|| {
        let id = employee(state, Some(id), None)?;
        if !state.permitted("about") {
            return Err(Reply::forbidden());
        }
        let body = object(body)?;
        let url = body.get("url").and_then(Value::as_str).unwrap_or_default();
        let usable = url::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
        if !usable {
            return Err(Reply::bad_request("url must be the URL of an image"));
        }
        state.onboarding.avatars.insert(id, url.to_owned());
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// The avatar URL as a JSON string (`null` when none was set); reading it
/// needs the About category.
fn avatar(state: &mut State, id: Option<&str>, email: Option<&str>) -> Reply {
    let result = (|| {
        let id = employee(state, id, email)?;
        if !state.permitted("about") {
            return Err(Reply::forbidden());
        }
        let url = state.onboarding.avatars.get(&id).cloned();
        Ok(Reply::json(200, url.map_or(Value::Null, Value::String)))
    })();
    result.unwrap_or_else(|reply| reply)
}

impl FakeHibob {
    /// The welcome wizard employee `id` was invited with, while the
    /// invitation stands (`None` before an invitation and after
    /// `uninvite`). HiBob shows no invitation state through the API, so the
    /// fake shows it here.
    pub fn invitation(&self, id: &str) -> Option<u64> {
        lock(&self.state).onboarding.invitations.get(id).copied()
    }

    /// The image URL employee `id`'s avatar was last set from.
    pub fn avatar_url(&self, id: &str) -> Option<String> {
        lock(&self.state).onboarding.avatars.get(id).cloned()
    }
}
