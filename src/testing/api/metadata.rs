//! Metadata: `GET /company/people/fields` and `GET /company/named-lists[/{listName}]`.

use serde_json::{Map, Value};

use super::{Call, Endpoint, percent_decode};
use crate::testing::fields;
use crate::testing::lists::named_list;
use crate::testing::reply::Reply;
use crate::testing::state::State;

pub(super) fn route(call: Call<'_>) -> Option<Endpoint<'_>> {
    let endpoint = match (call.method, call.segments) {
        ("GET", ["company", "people", "fields"]) => {
            Endpoint::new("GET /company/people/fields", |_| {
                Reply::json(200, fields::metadata())
            })
            .open_without_group()
        }
        ("GET", ["company", "named-lists"]) => {
            Endpoint::new("GET /company/named-lists", move |state| {
                all_lists(state, call)
            })
        }
        ("GET", ["company", "named-lists", name]) => {
            Endpoint::new("GET /company/named-lists/{listName}", move |state| {
                one_list(state, call, &percent_decode(name))
            })
        }
        _ => return None,
    };
    Some(endpoint)
}

fn include_archived(call: Call<'_>) -> bool {
    call.query()
        .get("includeArchived")
        .is_some_and(|v| v == "true")
}

fn all_lists(state: &State, call: Call<'_>) -> Reply {
    let archived = include_archived(call);
    let lists: Map<String, Value> = state
        .store
        .lists()
        .values()
        .map(|l| (l.name.clone(), named_list(l, archived)))
        .collect();
    Reply::json(200, Value::Object(lists))
}

fn one_list(state: &State, call: Call<'_>, name: &str) -> Reply {
    match state.store.lists().get(name) {
        Some(l) => Reply::json(200, named_list(l, include_archived(call))),
        None => Reply::not_found("List not found"),
    }
}
