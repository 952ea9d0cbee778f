//! The fields the fake serves: metadata and how each is rendered for an employee.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::company::{ListRef, TruthEmployee};
use super::store::{Store, Stored};
use super::{BADGE_NUMBER_FIELD, COST_CENTER_FIELD, CUSTOM_CATEGORY_ID, Table, WORK_MODEL_FIELD};

/// One entry of `/company/people/fields`.
pub(crate) struct FieldDef {
    pub(crate) id: &'static str,
    pub(crate) category_id: &'static str,
    category_display: &'static str,
    name: &'static str,
    pub(crate) json_path: &'static str,
    kind: &'static str,
    list_id: Option<&'static str>,
    pub(crate) historical: bool,
}

const fn f(
    id: &'static str,
    (category_id, category_display): (&'static str, &'static str),
    name: &'static str,
    json_path: &'static str,
    kind: &'static str,
    list_id: Option<&'static str>,
    historical: bool,
) -> FieldDef {
    FieldDef {
        id,
        category_id,
        category_display,
        name,
        json_path,
        kind,
        list_id,
        historical,
    }
}

const ROOT: (&str, &str) = ("root", "Basic info");
const ABOUT: (&str, &str) = ("about", "About");
const EMPLOYMENT: (&str, &str) = ("employment", "Employment");
const WORK: (&str, &str) = ("work", "Work");
const LIFECYCLE: (&str, &str) = ("lifecycle", "Lifecycle");
const SECURITY: (&str, &str) = (CUSTOM_CATEGORY_ID, "Security");

/// Every field the fake knows, in metadata order.
#[rustfmt::skip]
pub(crate) const FIELDS: &[FieldDef] = &[
    f("root.id", ROOT, "ID", "id", "employee-reference", None, false),
    f("root.firstName", ROOT, "First name", "firstName", "text", None, false),
    f("root.surname", ROOT, "Last name", "surname", "text", None, false),
    f("root.email", ROOT, "Email", "email", "text", None, false),
    f("root.displayName", ROOT, "Display name", "displayName", "text", None, false),
    f("root.fullName", ROOT, "Full name", "fullName", "text", None, false),
    f("root.creationDateTime", ROOT, "Creation date", "creationDateTime", "time", None, false),
    f("about.about", ABOUT, "About me", "about.about", "text-area", None, false),
    f("payroll.employment.contract", EMPLOYMENT, "Contract", "payroll.employment.contract", "text", None, true),
    f("payroll.employment.type", EMPLOYMENT, "Employment type", "payroll.employment.type", "text", None, true),
    f("payroll.employment.weeklyHours", EMPLOYMENT, "Weekly hours", "payroll.employment.weeklyHours", "number", None, true),
    f("work.title", WORK, "Job title", "work.title", "list", Some("title"), true),
    f("work.department", WORK, "Department", "work.department", "list", Some("department"), true),
    f("work.site", WORK, "Site", "work.site", "text", None, true),
    f("work.siteId", WORK, "Site ID", "work.siteId", "list_id", Some("site"), true),
    f("work.startDate", WORK, "Start date", "work.startDate", "date", None, false),
    f("work.manager", WORK, "Manager", "work.manager", "employee-reference", None, true),
    f("work.reportsTo", WORK, "Reports to", "work.reportsTo", "employee", None, true),
    f("work.employeeIdInCompany", WORK, "Employee ID", "work.employeeIdInCompany", "number", None, false),
    f(COST_CENTER_FIELD, WORK, "Cost centre", COST_CENTER_FIELD, "text", None, false),
    f(WORK_MODEL_FIELD, WORK, "Work model", WORK_MODEL_FIELD, "list", Some("workModel"), false),
    f("internal.status", LIFECYCLE, "Status", "internal.status", "list", Some("status"), true),
    f("internal.lifecycleStatus", LIFECYCLE, "Lifecycle status", "internal.lifecycleStatus", "list", Some("lifecycleStatus"), true),
    f("internal.terminationDate", LIFECYCLE, "Termination date", "internal.terminationDate", "date", None, false),
    f("internal.terminationReason", LIFECYCLE, "Termination reason", "internal.terminationReason", "list", Some("terminationreason"), false),
    f(BADGE_NUMBER_FIELD, SECURITY, "Badge number", BADGE_NUMBER_FIELD, "text", None, false),
];

/// Categories of the default field set (no custom fields).
const DEFAULT_CATEGORIES: &[&str] = &["root", "about", "employment", "work"];

pub(crate) fn field(id: &str) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.id == id)
}

/// The fields used when a request omits `fields`.
pub(crate) fn default_fields() -> Vec<&'static FieldDef> {
    FIELDS
        .iter()
        .filter(|f| DEFAULT_CATEGORIES.contains(&f.category_id) && !f.id.contains(".custom."))
        .collect()
}

/// The body of `GET /company/people/fields`.
pub(crate) fn metadata() -> Value {
    Value::Array(
        FIELDS
            .iter()
            .map(|f| {
                let type_data = match f.list_id {
                    Some(l) => json!({ "listId": l }),
                    None => json!({}),
                };
                json!({
                    "id": f.id, "category": f.category_id, "categoryId": f.category_id,
                    "categoryDisplayName": f.category_display, "name": f.name,
                    "description": null, "jsonPath": f.json_path, "type": f.kind,
                    "typeData": type_data, "historical": f.historical,
                })
            })
            .collect(),
    )
}

/// How list values and dates come out (`humanReadable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Human {
    Off,
    Append,
    Replace,
}

/// One employee being rendered, with what their fields are computed from.
pub(crate) struct Subject<'a> {
    facts: &'a TruthEmployee,
    manager: Option<&'a TruthEmployee>,
    /// The current employment row, parsed only when a `payroll.employment` field is asked for.
    employment: Option<Value>,
}

impl<'a> Subject<'a> {
    pub(crate) fn new(store: &'a Store, employee: Stored<'a>, fields: &[&FieldDef]) -> Self {
        let manager = employee
            .facts
            .manager_id
            .as_deref()
            .and_then(|m| store.employee(m))
            .map(|m| m.facts);
        let employment = fields
            .iter()
            .any(|f| f.category_id == "employment")
            .then(|| employee.table(Table::Employment).current())
            .flatten();
        Self {
            facts: employee.facts,
            manager,
            employment,
        }
    }

    fn employment(&self, column: &str) -> Value {
        self.employment
            .as_ref()
            .map_or(Value::Null, |row| row[column].clone())
    }
}

fn date(d: Option<NaiveDate>, human: bool) -> Value {
    match d {
        Some(d) if human => json!(d.format("%d/%m/%Y").to_string()),
        Some(d) => json!(d.to_string()),
        None => Value::Null,
    }
}

fn list(v: Option<&ListRef>, human: bool) -> Value {
    match v {
        Some(r) if human => json!(r.label),
        Some(r) => json!(r.id),
        None => Value::Null,
    }
}

/// One field's value for one employee, machine-readable or human-readable.
pub(crate) fn value(def: &FieldDef, subject: &Subject<'_>, store: &Store, human: bool) -> Value {
    let (emp, manager) = (subject.facts, subject.manager);
    let label = |list: &str, id: &str| {
        store
            .label(list, id)
            .map_or_else(|| json!(id), |l| json!(l))
    };
    let v = match def.id {
        "root.id" => json!(emp.id),
        "root.firstName" => json!(emp.first_name),
        "root.surname" => json!(emp.surname),
        "root.email" => json!(emp.email),
        "root.displayName" | "root.fullName" => json!(emp.display_name),
        "root.creationDateTime" => json!(emp.creation_date_time),
        "about.about" => json!(emp.about),
        "payroll.employment.contract" => subject.employment("contract"),
        "payroll.employment.type" => subject.employment("type"),
        "payroll.employment.weeklyHours" => subject.employment("weeklyHours"),
        "work.title" => list(emp.title.as_ref(), human),
        "work.department" => list(emp.department.as_ref(), human),
        "work.site" => json!(emp.site),
        "work.siteId" => match emp.site_id {
            Some(id) if human => label("site", &id.to_string()),
            other => json!(other),
        },
        "work.startDate" => date(Some(emp.start_date), human),
        "work.manager" => match manager {
            Some(m) if human => json!(m.display_name),
            Some(m) => json!(m.id),
            None => Value::Null,
        },
        "work.reportsTo" => match manager {
            Some(m) if human => json!(m.display_name),
            Some(m) => m.as_reports_to(),
            None => Value::Null,
        },
        "work.employeeIdInCompany" => json!(emp.employee_id_in_company),
        COST_CENTER_FIELD => json!(emp.cost_center),
        WORK_MODEL_FIELD => list(emp.work_model.as_ref(), human),
        "internal.status" => json!(emp.internal_status),
        "internal.lifecycleStatus" if human => label("lifecycleStatus", &emp.lifecycle_status),
        "internal.lifecycleStatus" => json!(emp.lifecycle_status),
        "internal.terminationDate" => date(emp.termination_date, human),
        "internal.terminationReason" => list(emp.termination_reason.as_ref(), human),
        BADGE_NUMBER_FIELD => json!(emp.badge_number),
        _ => Value::Null,
    };
    // humanReadable renders every value as a display string.
    match v {
        Value::Number(n) if human => json!(n.to_string()),
        Value::Bool(b) if human => json!(if b { "Yes" } else { "No" }),
        other => other,
    }
}

/// Inserts `value` at a dotted path, creating objects on the way.
fn insert_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let child = obj
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(child) = child {
                insert_path(child, rest, value);
            }
        }
    }
}

/// An employee as people reads return them: nested form, slash keys for
/// non-null values, and the `humanReadable` mirror with [`Human::Append`].
pub(crate) fn render(
    store: &Store,
    employee: Stored<'_>,
    fields: &[&FieldDef],
    human: Human,
) -> Value {
    let subject = Subject::new(store, employee, fields);
    let mut obj = Map::new();
    let mut mirror = Map::new();
    for def in fields {
        let v = value(def, &subject, store, human == Human::Replace);
        if !v.is_null() {
            let slash = format!("/{}", def.id.replace('.', "/"));
            obj.insert(slash, json!({ "value": v }));
        }
        if human == Human::Append {
            insert_path(
                &mut mirror,
                def.json_path,
                value(def, &subject, store, true),
            );
        }
        insert_path(&mut obj, def.json_path, v);
    }
    if human == Human::Append {
        obj.insert("humanReadable".into(), Value::Object(mirror));
    }
    Value::Object(obj)
}
