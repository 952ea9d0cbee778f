//! Policy types, reason codes, policies and the walk from types to every
//! policy.

use futures::TryStreamExt;
use hibob::Error;
use hibob::time_off::AddReasonCodes;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

use super::{assert_names_permission, denied, mount};
use crate::support;

#[tokio::test]
async fn policy_types_reason_codes_and_policies_are_read_and_written() {
    let server = support::server().await;
    let types = json!({"policyTypes": ["Holiday", "Sick"]});
    mount(
        &server,
        "GET",
        "/v1/timeoff/policy-types",
        support::json(types),
    )
    .await;
    let holiday = json!({"name": "Holiday", "unit": "days", "activity": "paidTimeoff"});
    mount(
        &server,
        "GET",
        "/v1/timeoff/policy-types/Holiday",
        support::json(holiday),
    )
    .await;
    mount(
        &server,
        "GET",
        "/v1/timeoff/policy-types/Nope",
        ResponseTemplate::new(404),
    )
    .await;
    let codes = json!({"reasonCodes": [{"id": 3, "displayName": "Family"}]});
    let codes_route = "/v1/timeoff/policy-types/Holiday/reason-codes";
    mount(&server, "GET", codes_route, support::json(codes)).await;
    Mock::given(method("POST"))
        .and(path(codes_route))
        .and(body_json(json!({"reasonCodes": ["Wedding", "Move"]})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/policies/names"))
        .and(query_param("policyTypeName", "Holiday"))
        .respond_with(support::json(json!({"policyNames": ["Holiday UK"]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/policies"))
        .and(query_param("policyName", "Holiday UK"))
        .respond_with(support::json(
            json!({"name": "Holiday UK", "allowance": 25}),
        ))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let time_off = client.time_off();
    assert_eq!(time_off.policy_types().await.unwrap(), ["Holiday", "Sick"]);
    let policy_type = time_off.policy_type("Holiday").await.unwrap();
    assert_eq!(policy_type.unit, Some("days".into()));
    let missing = time_off.policy_type("Nope").await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
    let codes = time_off.reason_codes("Holiday").await.unwrap();
    assert_eq!(codes[0].id, Some(3));
    let add = AddReasonCodes::new(["Wedding", "Move"]);
    time_off.add_reason_codes("Holiday", add).await.unwrap();
    assert_eq!(
        time_off.policy_names("Holiday").await.unwrap(),
        ["Holiday UK"]
    );
    assert_eq!(
        time_off.policy("Holiday UK").await.unwrap().allowance,
        Some(25.0)
    );
}

#[tokio::test]
async fn the_policy_walk_costs_one_plus_types_plus_policies() {
    let server = support::server().await;
    let types = json!({"policyTypes": ["Holiday", "Sick", "Empty"]});
    mount(
        &server,
        "GET",
        "/v1/timeoff/policy-types",
        support::json(types),
    )
    .await;
    for (type_name, names) in [
        ("Holiday", vec!["H1", "H2"]),
        ("Sick", vec!["S1"]),
        ("Empty", vec![]),
    ] {
        Mock::given(method("GET"))
            .and(path("/v1/timeoff/policies/names"))
            .and(query_param("policyTypeName", type_name))
            .respond_with(support::json(json!({"policyNames": names})))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/v1/timeoff/policies"))
        .respond_with(|request: &Request| {
            let name = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "policyName")
                .unwrap()
                .1;
            support::json(json!({"name": name}))
        })
        .mount(&server)
        .await;
    let client = support::client(&server);
    let walked: Vec<_> = client.time_off().policies().try_collect().await.unwrap();
    let pairs: Vec<_> = walked
        .iter()
        .map(|(t, p)| (t.as_str(), p.name.as_deref().unwrap()))
        .collect();
    assert_eq!(
        pairs,
        [("Holiday", "H1"), ("Holiday", "H2"), ("Sick", "S1")]
    );
    assert_eq!(support::request_count(&server).await, 1 + 3 + 3);
}

#[tokio::test]
async fn the_policy_walk_ends_at_its_first_error() {
    let server = support::server().await;
    let types = json!({"policyTypes": ["Holiday", "Sick"]});
    mount(
        &server,
        "GET",
        "/v1/timeoff/policy-types",
        support::json(types),
    )
    .await;
    mount(&server, "GET", "/v1/timeoff/policies/names", denied()).await;
    let client = support::client(&server);
    let items: Vec<_> = futures::StreamExt::collect::<Vec<_>>(client.time_off().policies()).await;
    assert_eq!(items.len(), 1, "nothing follows the error");
    assert_names_permission(
        items[0].as_ref().unwrap_err(),
        "Manage company's time off settings",
    );
}
