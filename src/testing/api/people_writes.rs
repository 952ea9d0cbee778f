//! People writes: `POST /people` (create), `PUT /people/{identifier}`
//! (update), `PUT /people/{id}/email`, `POST /employees/{identifier}/terminate`
//! and `POST /employees/{employeeId}/start-date`, with HiBob's rules: the
//! create needs five fields and list values that exist; an update takes
//! non-historical fields only, answers 304 when nothing changed and 400 for
//! an unknown field; every write changes what later reads return.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{Call, Endpoint, percent_decode};
use crate::testing::company::{Company, NewHire, TruthEmployee};
use crate::testing::fields::{self, FieldDef};
use crate::testing::reply::Reply;
use crate::testing::state::State;
use crate::testing::store::Store;
use crate::testing::{BADGE_NUMBER_FIELD, COST_CENTER_FIELD, WORK_MODEL_FIELD};

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let body = call.body();
    let endpoint = match (call.method, call.segments) {
        ("POST", ["people"]) => Endpoint::new("POST /people", move |s| create(s, body)),
        ("PUT", ["people", id]) => Endpoint::new("PUT /people/{identifier}", move |s| {
            update(s, &percent_decode(id), body)
        }),
        ("PUT", ["people", id, "email"]) => Endpoint::new("PUT /people/{id}/email", move |s| {
            set_email(s, &percent_decode(id), body)
        }),
        ("POST", ["employees", id, "terminate"]) => {
            Endpoint::new("POST /employees/{identifier}/terminate", move |s| {
                terminate(s, &percent_decode(id), body)
            })
        }
        ("POST", ["employees", id, "start-date"]) => {
            Endpoint::new("POST /employees/{employeeId}/start-date", move |s| {
                start_date(s, &percent_decode(id), body)
            })
        }
        _ => return None,
    };
    Some(endpoint)
}

type Answer = Result<Reply, Reply>;

pub(super) fn object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Reply::bad_request("The request body must be a JSON object")),
        Err(_) => Err(Reply::bad_request("Malformed JSON in the request body")),
    }
}

/// The body's values by field: each key path that is a field's JSON path,
/// descending into objects that are not; anything else is an unknown field.
fn leaves<'a>(
    prefix: &str,
    object: &'a Map<String, Value>,
    out: &mut Vec<(&'static FieldDef, &'a Value)>,
) -> Result<(), Reply> {
    for (key, value) in object {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (fields::FIELDS.iter().find(|f| f.json_path == path), value) {
            (Some(def), _) => out.push((def, value)),
            (None, Value::Object(inner)) => leaves(&path, inner, out)?,
            (None, _) => {
                return Err(Reply::error(
                    400,
                    "employee.field.unknown",
                    &format!("Unknown field: {path}"),
                ));
            }
        }
    }
    Ok(())
}

/// The employee a write names, when the service user may see them.
fn known(state: &State, id: &str) -> Result<TruthEmployee, Reply> {
    state
        .store
        .employee(id)
        .filter(|e| state.visible(e.facts))
        .map(|e| e.facts.clone())
        .ok_or_else(|| Reply::error(404, "employee.not.found", "Employee not found"))
}

/// Runs a change on the company and stores it back.
fn change(state: &mut State, change: impl FnOnce(&mut Company)) {
    let mut company = state.store.to_company();
    change(&mut company);
    state.store = Store::new(company);
}

/// The ID of a live item of `list` whose ID or label is `value`.
pub(super) fn list_item(state: &State, list: &str, value: &Value) -> Result<String, Reply> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    state
        .store
        .lists()
        .get(list)
        .and_then(|l| {
            l.items
                .iter()
                .find(|i| !i.archived && (i.id == text || i.label == text))
        })
        .map(|i| i.id.clone())
        .ok_or_else(|| {
            Reply::bad_request(&format!("The value \"{text}\" isn't valid in list {list}."))
        })
}

fn text(def: &FieldDef, value: &Value) -> Result<Option<String>, Reply> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(Reply::bad_request(&format!("{} must be a string", def.id))),
    }
}

fn date(field: &str, value: Option<&Value>) -> Result<NaiveDate, Reply> {
    value
        .and_then(Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| Reply::bad_request(&format!("{field} must be a date as YYYY-MM-DD")))
}

/// Sets one of the fields the fake keeps; `Err` is HiBob's 400 for a field
/// it does not take (historical, read-only or owned by another endpoint).
fn set_field(
    state: &State,
    emp: &mut TruthEmployee,
    def: &FieldDef,
    value: &Value,
) -> Result<(), Reply> {
    if def.historical || def.id == "work.startDate" {
        return Err(Reply::error(
            400,
            "employee.update.historical",
            &format!(
                "Field {} is historical: change it by adding an entry to its table",
                def.id
            ),
        ));
    }
    match def.id {
        "root.firstName" => emp.first_name = required(def, value)?,
        "root.surname" => emp.surname = required(def, value)?,
        "root.displayName" => emp.display_name = required(def, value)?,
        "about.about" => emp.about = text(def, value)?,
        COST_CENTER_FIELD => emp.cost_center = text(def, value)?,
        BADGE_NUMBER_FIELD => emp.badge_number = text(def, value)?,
        WORK_MODEL_FIELD => {
            emp.work_model = match value {
                Value::Null => None,
                _ => {
                    let id = list_item(state, "workModel", value)?;
                    state.store.lists()["workModel"]
                        .items
                        .iter()
                        .find(|i| i.id == id)
                        .map(|i| crate::testing::ListRef {
                            id: i.id.clone(),
                            label: i.label.clone(),
                            archived: i.archived,
                        })
                }
            }
        }
        "work.employeeIdInCompany" => {
            emp.employee_id_in_company = match value {
                Value::Null => None,
                _ => Some(value.as_i64().ok_or_else(|| {
                    Reply::bad_request("work.employeeIdInCompany must be a number")
                })?),
            }
        }
        other => {
            return Err(Reply::bad_request(&format!(
                "Field {other} cannot be updated through this endpoint"
            )));
        }
    }
    Ok(())
}

fn required(def: &FieldDef, value: &Value) -> Result<String, Reply> {
    match text(def, value)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(Reply::bad_request(&format!("{} must not be empty", def.id))),
    }
}

/// `PUT /people/{identifier}`: 200 empty when something changed, 304 when
/// every value equals the current one. Changes are made on a copy of the
/// company, stored only when every field was taken.
fn update(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        known(state, id)?;
        let body = object(body)?;
        let mut values = Vec::new();
        leaves("", &body, &mut values)?;
        if values
            .iter()
            .any(|(def, _)| !state.permitted(def.category_id))
        {
            return Err(Reply::forbidden());
        }
        let mut company = state.store.to_company();
        let emp = company.employee_mut(id).expect("known above");
        let before = emp.clone();
        for (def, value) in &values {
            set_field(state, emp, def, value)?;
        }
        if *emp == before {
            return Ok(Reply::empty(304));
        }
        state.store = Store::new(company);
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// Fields a create takes into the hire itself; the others are set after.
const HIRE_FIELDS: &[&str] = &[
    "root.firstName",
    "root.surname",
    "root.email",
    "work.site",
    "work.startDate",
    "work.title",
    "work.department",
    "work.manager",
];

/// `POST /people`: the employee, as a people read answers, with a new ID.
fn create(state: &mut State, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        if !state.permitted("root") {
            return Err(Reply::forbidden());
        }
        let body = object(body)?;
        let mut values = Vec::new();
        leaves("", &body, &mut values)?;
        let hire = new_hire(state, &values)?;
        let mut company = state.store.to_company();
        let id = company.hire(hire);
        let emp = company.employee_mut(&id).expect("just hired");
        for (def, value) in values.iter().filter(|(d, _)| !HIRE_FIELDS.contains(&d.id)) {
            set_field(state, emp, def, value)?;
        }
        state.store = Store::new(company);
        let stored = state.store.employee(&id).expect("just hired");
        let all: Vec<&FieldDef> = fields::FIELDS
            .iter()
            .filter(|d| state.permitted(d.category_id))
            .collect();
        Ok(Reply::json(
            200,
            fields::render(&state.store, stored, &all, fields::Human::Off),
        ))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// The hire a create body asks for: the five required fields (a unique
/// e-mail, a site of the `site` list) and title, department and manager.
fn new_hire(state: &State, values: &[(&'static FieldDef, &Value)]) -> Result<NewHire, Reply> {
    let get = |id: &str| values.iter().find(|(d, _)| d.id == id).map(|(_, v)| *v);
    let name = |id: &str| match get(id).and_then(Value::as_str) {
        Some(s) if !s.trim().is_empty() => Ok(s.to_owned()),
        _ => Err(Reply::bad_request(&format!(
            "Missing mandatory field: {id}"
        ))),
    };
    let email = name("root.email")?;
    let taken = state
        .store
        .employees()
        .any(|e| e.facts.email.eq_ignore_ascii_case(&email));
    if taken {
        return Err(Reply::error(
            400,
            "employee.email.duplicated",
            "An employee with this email already exists",
        ));
    }
    let start = date("work.startDate", get("work.startDate"))?;
    let site =
        get("work.site").ok_or_else(|| Reply::bad_request("Missing mandatory field: work.site"))?;
    let mut hire = NewHire::new(name("root.firstName")?, name("root.surname")?, email, start);
    hire.site_id = Some(list_item(state, "site", site)?);
    let item = |field: &str, list: &str| {
        get(field)
            .filter(|v| !v.is_null())
            .map(|v| list_item(state, list, v))
            .transpose()
    };
    hire.title_id = item("work.title", "title")?;
    hire.department_id = item("work.department", "department")?;
    hire.manager_id = match get("work.manager") {
        None | Some(Value::Null) => None,
        Some(v) => Some(known(state, v.as_str().unwrap_or_default())?.id),
    };
    Ok(hire)
}

/// `PUT /people/{id}/email`: 200 empty; 400 for a malformed or taken address.
fn set_email(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        known(state, id)?;
        if !state.permitted("root") {
            return Err(Reply::forbidden());
        }
        let body = object(body)?;
        let email = body
            .get("email")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let shaped = email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
        if !shaped || email.contains(char::is_whitespace) {
            return Err(Reply::bad_request("email must be a valid e-mail address"));
        }
        let taken = state
            .store
            .employees()
            .any(|e| e.facts.id != id && e.facts.email.eq_ignore_ascii_case(email));
        if taken {
            return Err(Reply::error(
                400,
                "employee.email.duplicated",
                "Another employee has this email",
            ));
        }
        let email = email.to_owned();
        change(state, |c| c.change_email(id, &email));
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// `POST /employees/{identifier}/terminate`: a lifecycle row; 200 empty.
fn terminate(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        let emp = known(state, id)?;
        if !state.permitted("lifecycle") {
            return Err(Reply::forbidden());
        }
        let body = object(body)?;
        let on = date("terminationDate", body.get("terminationDate"))?;
        if emp.termination_date.is_some() {
            return Err(Reply::bad_request("The employee is already terminated"));
        }
        if on < emp.start_date {
            return Err(Reply::bad_request(
                "terminationDate is before the start date",
            ));
        }
        let reason = match body.get("terminationReason") {
            None | Some(Value::Null) => {
                state.store.lists()["terminationreason"].items[0].id.clone()
            }
            Some(v) => list_item(state, "terminationreason", v)?,
        };
        if let Some(notice) = body.get("noticePeriod") {
            let unit = notice.get("unit").and_then(Value::as_str);
            let length = notice.get("length").and_then(Value::as_u64);
            if !matches!(unit, Some("days" | "weeks" | "month" | "years")) || length.is_none() {
                return Err(Reply::bad_request(
                    "noticePeriod must be {\"unit\": days|weeks|month|years, \"length\": n}",
                ));
            }
        }
        if let Some(last) = body.get("lastDayOfWork") {
            date("lastDayOfWork", Some(last))?;
        }
        change(state, |c| c.terminate_for(id, on, &reason));
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply| reply)
}

/// `POST /employees/{employeeId}/start-date`: `work.startDate`; 200 empty.
fn start_date(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let result: Answer = (|| {
        known(state, id)?;
        if !state.permitted("work") {
            return Err(Reply::forbidden());
        }
        let body = object(body)?;
        let on = date("startDate", body.get("startDate"))?;
        change(state, |c| {
            if let Some(emp) = c.employee_mut(id) {
                emp.start_date = on;
            }
        });
        Ok(Reply::empty(200))
    })();
    result.unwrap_or_else(|reply| reply)
}
