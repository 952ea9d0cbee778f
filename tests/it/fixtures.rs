//! HiBob-shaped fixtures served through wiremock: the full client path
//! (request body, transport, decode, omission report) over real payload shapes.

use hibob::people::{HumanReadable, LifecycleStatus};
use hibob::{FieldId, field};
use serde_json::json;
use wiremock::Mock;
use wiremock::matchers::{body_json, method, path};

use crate::support;

const INTERNATIONAL: &str = include_str!("../fixtures/people_search_international.json");
const CUSTOM: &str = "work.custom.field_1698036945383";
const LAPTOP: &str = "category_1720508362305.field_1720508415591";

#[tokio::test]
async fn a_hibob_shaped_search_decodes_end_to_end() {
    let server = support::server().await;
    let fields = [
        "root.id",
        "root.firstName",
        "root.surname",
        "work.title",
        "work.department",
        "work.site",
        "work.startDate",
        "work.reportsTo",
        "internal.terminationDate",
        CUSTOM,
        LAPTOP,
    ];
    Mock::given(method("POST"))
        .and(path("/v1/people/search"))
        .and(body_json(json!({
            "fields": fields,
            "showInactive": true,
            "humanReadable": "APPEND",
        })))
        .respond_with(support::json(serde_json::from_str(INTERNATIONAL).unwrap()))
        .expect(1)
        .mount(&server)
        .await;

    let result = support::client(&server)
        .people()
        .search()
        .fields([
            field::ID,
            field::FIRST_NAME,
            field::SURNAME,
            field::TITLE,
            field::DEPARTMENT,
            field::SITE,
            field::START_DATE,
            field::REPORTS_TO,
            field::TERMINATION_DATE,
        ])
        .fields([FieldId::custom(CUSTOM), FieldId::custom(LAPTOP)])
        .show_inactive(true)
        .human_readable(HumanReadable::Append)
        .await
        .unwrap();

    let [li, mohammed, yael] = &result.employees[..] else {
        panic!("three employees: {:?}", result.employees.len())
    };
    // 19-digit IDs stay exact, whether HiBob sent them as strings or numbers.
    assert_eq!(li.id().unwrap().as_str(), "3332883884017713938");
    assert_eq!(mohammed.id().unwrap().as_str(), "3332883894235038486");
    assert_eq!(yael.manager_id().unwrap().as_str(), "3332883884017713938");
    // CJK, RTL and accents survive byte for byte.
    assert_eq!((li.first_name(), li.surname()), (Some("伟"), Some("李")));
    assert_eq!(mohammed.first_name(), Some("محمد"));
    assert_eq!(mohammed.surname(), Some("الفاسي"));
    assert_eq!(yael.display_name(), Some("יעל כהן"));
    assert_eq!(
        li.reports_to().unwrap().display_name.as_deref(),
        Some("Zoë Ødegård")
    );
    // Custom fields, in work.custom and in a custom category, are kept.
    assert_eq!(li.field(CUSTOM).as_deref(), Some(&json!("CC-12")));
    assert_eq!(li.field(LAPTOP).as_deref(), Some(&json!("Laptop")));
    assert_eq!(yael.field(CUSTOM).as_deref(), Some(&json!(null)));
    // APPEND: machine values and labels side by side.
    assert_eq!(li.title(), Some("210011942"));
    assert_eq!(
        li.human_readable_field("work.title"),
        Some("Account Executive")
    );
    assert_eq!(li.start_date().unwrap().to_string(), "2022-10-10");
    assert_eq!(
        mohammed.termination_date().unwrap().to_string(),
        "2026-03-31"
    );
    assert_eq!(
        mohammed.lifecycle_status(),
        Some(LifecycleStatus::Terminated)
    );
    // work.site came back for nobody: reported, not mistaken for blank.
    assert_eq!(result.missing_fields, vec![field::SITE]);
}
