//! Custom tables end to end against the fake: metadata, rows typed at run
//! time with list labels, the bulk read paged by rows, the 403 naming the
//! table's category, and the writes with HiBob's wrapped/flat body rule.

use std::collections::HashMap;

use futures::TryStreamExt;
use hibob::custom_tables::CustomRow;
use hibob::metadata::FieldType;
use hibob::tables::BulkItem;
use hibob::testing::{
    ASSET_ACCESSORIES_COLUMN, ASSET_ACCESSORIES_LIST, ASSET_COST_COLUMN, ASSET_SERIAL_COLUMN,
    ASSET_TYPE_COLUMN, ASSET_TYPE_LIST, ASSETS_CATEGORY_ID, ASSETS_TABLE_ID, CERT_EXPIRY_COLUMN,
    CERT_NAME_COLUMN, CERTIFICATIONS_TABLE_ID, CUSTOM_CATEGORY_ID, FakeHibob,
};
use hibob::{Error, FieldProblem, WriteOutcome};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support;

/// An employee with at least `n` asset rows, and their rows as the fake has them.
fn with_assets(fake: &FakeHibob, n: usize) -> (String, Vec<Value>) {
    let truth = fake.truth();
    let found = truth.employees.iter().find_map(|e| {
        let rows = e.custom_table_rows(ASSETS_TABLE_ID);
        (rows.len() >= n).then(|| (e.id.clone(), rows))
    });
    found.expect("the generated company has such an employee")
}

#[tokio::test]
async fn metadata_lists_both_tables_and_reads_one() {
    let fake = support::fake(5, 1).await;
    let client = fake.client();
    let tables = client.custom_tables().metadata().await.unwrap();
    let names: Vec<_> = tables.iter().map(|t| t.display_name()).collect();
    assert_eq!(names, ["Assets", "Certifications"]);
    let assets = client.custom_tables().table(ASSETS_TABLE_ID).await.unwrap();
    assert_eq!(assets, tables[0]);
    assert_eq!(assets.category.as_deref(), Some(ASSETS_CATEGORY_ID));
    let kind = assets.column(ASSET_TYPE_COLUMN).unwrap();
    assert_eq!(
        (kind.column_type.clone(), kind.mandatory),
        (FieldType::List, true)
    );
    assert_eq!(kind.list_id(), Some(ASSET_TYPE_LIST));
    let unknown = client.custom_tables().table("999").await.unwrap_err();
    assert!(matches!(unknown, Error::NotFound { .. }), "{unknown:?}");
}

#[tokio::test]
async fn rows_are_typed_with_names_types_and_labels() {
    let fake = support::fake(12, 3).await;
    let client = fake.client();
    let truth = fake.truth();
    // Someone whose assets include accessories (a multi-list with items).
    let (who, rows) = truth
        .employees
        .iter()
        .find_map(|e| {
            let rows = e.custom_table_rows(ASSETS_TABLE_ID);
            let multi = rows.iter().any(|r| {
                r[ASSET_ACCESSORIES_COLUMN]
                    .as_array()
                    .is_some_and(|a| a.len() >= 2)
            });
            multi.then(|| (e.id.clone(), rows))
        })
        .expect("someone has two accessories");
    let typed = client
        .custom_tables()
        .rows(&who, ASSETS_TABLE_ID)
        .typed()
        .await
        .unwrap();
    assert_eq!(typed.rows.len(), rows.len());
    for (row, truth_row) in typed.rows.iter().zip(&rows) {
        assert_eq!(Some(row.id), truth_row["id"].as_i64());
        let names: Vec<_> = row
            .cells
            .iter()
            .map(|c| c.name.as_deref().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Serial number",
                "Asset type",
                "Assigned on",
                "Cost",
                "Accessories"
            ]
        );
        let kind = row.cell(ASSET_TYPE_COLUMN).unwrap();
        let item = truth_row[ASSET_TYPE_COLUMN].as_str().unwrap();
        assert_eq!(kind.labels(), [truth.label(ASSET_TYPE_LIST, item).unwrap()]);
        assert_eq!(kind.column_type, Some(FieldType::List));
        let accessories = row.cell_named("Accessories").unwrap();
        let expected: Vec<&str> = (truth_row[ASSET_ACCESSORIES_COLUMN].as_array().unwrap())
            .iter()
            .map(|id| {
                truth
                    .label(ASSET_ACCESSORIES_LIST, id.as_str().unwrap())
                    .unwrap()
            })
            .collect();
        assert_eq!(accessories.labels(), expected, "one label per item");
        assert!(accessories.items.iter().all(|i| i.label.is_some()));
        let cost = row.cell(ASSET_COST_COLUMN).unwrap();
        assert_eq!(cost.column_type, Some(FieldType::Currency));
        assert!(cost.display().ends_with("EUR") || cost.display().ends_with("USD"));
    }
    assert!(
        typed
            .rows
            .iter()
            .any(|r| r.cell(ASSET_ACCESSORIES_COLUMN).unwrap().items.len() >= 2)
    );
}

#[tokio::test]
async fn human_readable_text_is_asked_for_only_when_wanted() {
    let fake = support::fake(8, 9).await;
    let client = fake.client();
    let (who, rows) = with_assets(&fake, 1);
    let plain = client
        .custom_tables()
        .rows(&who, ASSETS_TABLE_ID)
        .await
        .unwrap();
    assert!(plain.rows.iter().all(|r| r.human_readable.is_empty()));
    let typed = client
        .custom_tables()
        .rows(&who, ASSETS_TABLE_ID)
        .human_readable(true)
        .typed()
        .await
        .unwrap();
    let truth = fake.truth();
    let item = rows[0][ASSET_TYPE_COLUMN].as_str().unwrap();
    let kind = typed.rows[0].cell(ASSET_TYPE_COLUMN).unwrap();
    assert_eq!(
        kind.human_readable.as_deref(),
        truth.label(ASSET_TYPE_LIST, item)
    );
    let queries: Vec<_> = (fake.requests().into_iter())
        .filter(|r| r.path.contains("/custom-tables/") && !r.path.contains("/metadata"))
        .map(|r| r.query)
        .collect();
    let expected = [None, Some("includeHumanReadable=true".to_owned())];
    assert_eq!(queries, expected, "sent only when asked for");
}

#[tokio::test]
async fn a_column_the_metadata_does_not_know_is_kept_and_marked_unknown() {
    let fake = support::fake(6, 2).await;
    let (who, mut rows) = with_assets(&fake, 1);
    rows[0]["column_1999999999999"] = json!("added in Bob after the metadata was read");
    let key = format!("custom-tables/{ASSETS_TABLE_ID}");
    fake.update(|c| {
        c.employee_mut(&who).unwrap().other_tables.insert(key, rows);
    });
    let client = fake.client();
    let typed = client
        .custom_tables()
        .rows(&who, ASSETS_TABLE_ID)
        .typed()
        .await
        .unwrap();
    let unknown: Vec<_> = typed.rows[0].unknown_cells().collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].column_id, "column_1999999999999");
    assert!(!unknown[0].is_known() && unknown[0].name.is_none());
    assert_eq!(unknown[0].value, "added in Bob after the metadata was read");
}

#[tokio::test]
async fn bulk_pages_count_rows_and_regroup_an_employee_split_across_pages() {
    let fake = support::fake(20, 4).await;
    let client = fake.client();
    let truth = fake.truth();
    let want: HashMap<String, Vec<Value>> = truth
        .employees
        .iter()
        .map(|e| (e.id.clone(), e.custom_table_rows(ASSETS_TABLE_ID)))
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    let total: usize = want.values().map(Vec::len).sum();
    let limit = 4;

    let pages: Vec<_> = client
        .custom_tables()
        .bulk(ASSETS_TABLE_ID)
        .limit(limit)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), total.div_ceil(limit as usize));
    assert_eq!(
        fake.request_count_for("/bulk/people/custom-tables/"),
        total.div_ceil(limit as usize),
        "the minimum number of requests"
    );
    let split = pages.windows(2).any(|w| {
        let (last, first) = (w[0].results.last(), w[1].results.first());
        last.zip(first)
            .is_some_and(|(a, b)| a.employee_id == b.employee_id)
    });
    assert!(split, "some employee's rows continue on the next page");

    let items: Vec<BulkItem<CustomRow>> = client
        .custom_tables()
        .bulk(ASSETS_TABLE_ID)
        .limit(limit)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut got = HashMap::new();
    for item in items {
        let BulkItem::Employee(history) = item else {
            panic!("nobody is outside the audience")
        };
        let ids: Vec<i64> = history.rows.iter().map(|r| r.id).collect();
        assert!(
            got.insert(history.employee_id.to_string(), ids).is_none(),
            "once each"
        );
    }
    let want_ids: HashMap<String, Vec<i64>> = want
        .iter()
        .map(|(id, rows)| {
            (
                id.clone(),
                rows.iter().map(|r| r["id"].as_i64().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(got, want_ids);

    let bad = client
        .custom_tables()
        .bulk(ASSETS_TABLE_ID)
        .limit(0)
        .pages()
        .try_next()
        .await;
    assert!(matches!(bad, Err(Error::InvalidRequest { .. })));
}

#[tokio::test]
async fn a_denied_category_is_a_403_naming_it() {
    let fake = FakeHibob::builder()
        .employees(4)
        .deny_category(ASSETS_CATEGORY_ID)
        .deny_category(CUSTOM_CATEGORY_ID)
        .start()
        .await;
    let client = fake.client();
    let id = fake.truth().employees[1].id.clone();

    // A category fields metadata names: by its name.
    let denied = client
        .custom_tables()
        .rows(&id, CERTIFICATIONS_TABLE_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(denied, Error::PermissionDenied { .. }),
        "{denied:?}"
    );
    let message = denied.to_string();
    assert!(
        message.contains("People's Data > People's fields > Security > View selected employees' Security sections"),
        "{message}"
    );

    // A category known only by ID: by ID and the table's name; the bulk
    // read names it too, now that the client has the metadata.
    let denied = client
        .custom_tables()
        .rows(&id, ASSETS_TABLE_ID)
        .await
        .unwrap_err();
    let message = denied.to_string();
    assert!(
        message.contains(ASSETS_CATEGORY_ID) && message.contains("\"Assets\""),
        "{message}"
    );
    let bulk = client
        .custom_tables()
        .bulk(ASSETS_TABLE_ID)
        .pages()
        .try_next()
        .await
        .unwrap_err();
    assert!(bulk.to_string().contains(ASSETS_CATEGORY_ID), "{bulk}");

    // A write names the Edit permission.
    let add = client
        .custom_tables()
        .add(id.as_str(), CERTIFICATIONS_TABLE_ID)
        .column(CERT_NAME_COLUMN, "CISSP")
        .await
        .unwrap_err();
    assert!(
        add.to_string()
            .contains("> Security > Edit selected employees' Security sections"),
        "{add}"
    );

    // The other table, in an allowed category, still reads.
    let fake = FakeHibob::builder()
        .employees(4)
        .deny_category(ASSETS_CATEGORY_ID)
        .start()
        .await;
    let id = fake.truth().employees[1].id.clone();
    fake.client()
        .custom_tables()
        .rows(&id, CERTIFICATIONS_TABLE_ID)
        .await
        .unwrap();
}

#[tokio::test]
async fn add_update_and_delete_are_seen_by_later_reads() {
    let fake = support::fake(5, 5).await;
    let client = fake.client();
    let who = fake.truth().employees[2].id.clone();
    let custom = client.custom_tables();
    let before = custom.rows(&who, ASSETS_TABLE_ID).await.unwrap().rows;

    let added = custom
        .add(who.as_str(), ASSETS_TABLE_ID)
        .column(ASSET_SERIAL_COLUMN, "SN-ROUND-TRIP")
        .column(ASSET_TYPE_COLUMN, "Laptop") // by label; stored as the item ID
        .column(ASSET_ACCESSORIES_COLUMN, json!(["Dock", "Mouse"]))
        .money(ASSET_COST_COLUMN, 1299.0, "EUR")
        .await
        .unwrap();
    assert_eq!(added, None, "the 2025 spec documents an empty answer");
    let after_add = custom.rows(&who, ASSETS_TABLE_ID).await.unwrap().rows;
    assert_eq!(after_add.len(), before.len() + 1);
    let new = after_add
        .iter()
        .find(|r| r.columns[ASSET_SERIAL_COLUMN] == "SN-ROUND-TRIP")
        .unwrap()
        .clone();
    let typed = custom.schema(ASSETS_TABLE_ID).await.unwrap().type_row(&new);
    assert_eq!(typed.cell(ASSET_TYPE_COLUMN).unwrap().labels(), ["Laptop"]);
    assert_eq!(
        typed.cell(ASSET_ACCESSORIES_COLUMN).unwrap().labels(),
        ["Dock", "Mouse"]
    );

    let outcome = custom
        .update(who.as_str(), ASSETS_TABLE_ID, new.id)
        .column(ASSET_SERIAL_COLUMN, "SN-CHANGED")
        .await
        .unwrap();
    assert_eq!(outcome, WriteOutcome::Applied(()));
    let after_update = custom.rows(&who, ASSETS_TABLE_ID).await.unwrap().rows;
    let changed = after_update.iter().find(|r| r.id == new.id).unwrap();
    assert_eq!(changed.columns[ASSET_SERIAL_COLUMN], "SN-CHANGED");
    assert_eq!(
        changed.columns[ASSET_TYPE_COLUMN], new.columns[ASSET_TYPE_COLUMN],
        "kept"
    );

    let deleted = custom.delete(who.as_str(), ASSETS_TABLE_ID, new.id).await;
    assert_eq!(deleted.unwrap(), WriteOutcome::Applied(()));
    let after_delete = custom.rows(&who, ASSETS_TABLE_ID).await.unwrap().rows;
    assert_eq!(after_delete, before);
    let again = custom
        .delete(who.as_str(), ASSETS_TABLE_ID, new.id)
        .await
        .unwrap_err();
    assert!(
        matches!(again, Error::NotFound { .. }),
        "a first delete of a missing row: {again:?}"
    );
}

#[tokio::test]
async fn an_update_goes_out_flat_and_cannot_be_wrapped() {
    let server = support::server().await;
    let metadata = json!({"tables": [{"id": "42", "name": "Assets", "category": "category_1",
        "columns": [{"id": "column_1", "name": "Serial", "type": "text", "mandatory": true},
                    {"id": "values", "name": "Values", "type": "text"}]}]});
    Mock::given(method("GET"))
        .and(path("/v1/people/custom-tables/metadata"))
        .respond_with(support::json(metadata))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/people/custom-tables/7/42/9"))
        .and(body_json(json!({"column_1": "SN-2"})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/people/custom-tables/7/42"))
        .and(body_json(json!({"values": [{"column_1": "SN-3"}]})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);
    let custom = client.custom_tables();
    let outcome = custom
        .update("7", "42", 9)
        .column("column_1", "SN-2")
        .await
        .unwrap();
    assert_eq!(outcome, WriteOutcome::Applied(()));
    custom
        .add("7", "42")
        .column("column_1", "SN-3")
        .await
        .unwrap();

    // Even a column the metadata lists as `values` would read as wrapped: refused.
    let sent = support::request_count(&server).await;
    let wrapped = custom
        .update("7", "42", 9)
        .column("values", json!([{"column_1": "x"}]))
        .await;
    assert!(
        matches!(wrapped, Err(Error::InvalidRequest { .. })),
        "{wrapped:?}"
    );
    assert_eq!(support::request_count(&server).await, sent, "nothing sent");
}

#[tokio::test]
async fn the_fake_ignores_a_wrapped_put_as_hibob_does() {
    let fake = support::fake(5, 6).await;
    let (who, rows) = with_assets(&fake, 1);
    let entry = rows[0]["id"].as_i64().unwrap();
    let http = hibob::__private::http_client_builder()
        .expect("TLS setup")
        .no_proxy()
        .build()
        .unwrap();
    let url = format!(
        "{}/people/custom-tables/{who}/{ASSETS_TABLE_ID}/{entry}",
        fake.uri()
    );
    let wrapped = json!({"values": [{ASSET_SERIAL_COLUMN: "SN-WRAPPED"}]});
    let answer = http
        .put(&url)
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .header("content-type", "application/json")
        .body(wrapped.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        fake.truth()
            .employee(&who)
            .unwrap()
            .custom_table_rows(ASSETS_TABLE_ID),
        rows
    );
    let flat_post = http
        .post(format!(
            "{}/people/custom-tables/{who}/{ASSETS_TABLE_ID}",
            fake.uri()
        ))
        .basic_auth(fake.service_user_id(), Some(fake.token()))
        .header("content-type", "application/json")
        .body(json!({ASSET_SERIAL_COLUMN: "SN-FLAT", ASSET_TYPE_COLUMN: "Laptop"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(flat_post.status(), 400);
}

#[tokio::test]
async fn a_dropped_add_answer_is_not_resent() {
    let fake = support::fake(5, 7).await;
    let client = fake.client();
    let who = fake.truth().employees[1].id.clone();
    let before = fake
        .truth()
        .employee(&who)
        .unwrap()
        .custom_table_rows(CERTIFICATIONS_TABLE_ID);
    // Warm the metadata cache so the only request counted is the add.
    client.custom_tables().metadata().await.unwrap();
    fake.knobs(|k| {
        k.drop_after_apply_on(
            "POST /people/custom-tables/{employee_id}/{custom_table_id}",
            1,
        );
    });
    fake.reset_requests();
    let err = client
        .custom_tables()
        .add(who.as_str(), CERTIFICATIONS_TABLE_ID)
        .column(CERT_NAME_COLUMN, "CISSP")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    let posts = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "sent once, never resent");
    let after = fake
        .truth()
        .employee(&who)
        .unwrap()
        .custom_table_rows(CERTIFICATIONS_TABLE_ID);
    assert_eq!(after.len(), before.len() + 1, "applied once");
}

#[tokio::test]
async fn pre_send_refusals_send_nothing() {
    let fake = support::fake(5, 8).await;
    let client = fake.client();
    let who = fake.truth().employees[1].id.clone();
    let custom = client.custom_tables();
    // The metadata and named lists the checks use, read (and cached) first.
    custom.schema(ASSETS_TABLE_ID).await.unwrap();
    fake.reset_requests();

    let unknown = custom
        .add(who.as_str(), ASSETS_TABLE_ID)
        .column(ASSET_SERIAL_COLUMN, "SN-1")
        .column(ASSET_TYPE_COLUMN, "Laptop")
        .column("column_1234", "typo")
        .await;
    assert!(
        matches!(&unknown, Err(Error::InvalidField { field, problem: FieldProblem::Unknown }) if field == "column_1234"),
        "{unknown:?}"
    );
    let missing = custom
        .add(who.as_str(), ASSETS_TABLE_ID)
        .column(ASSET_SERIAL_COLUMN, "SN-1")
        .await;
    assert!(
        matches!(&missing, Err(Error::InvalidField { field, problem: FieldProblem::Missing }) if field == ASSET_TYPE_COLUMN),
        "{missing:?}"
    );
    let not_in_list = custom
        .add(who.as_str(), ASSETS_TABLE_ID)
        .column(ASSET_SERIAL_COLUMN, "SN-1")
        .column(ASSET_TYPE_COLUMN, "Lapton")
        .await;
    let Err(Error::InvalidField {
        problem: FieldProblem::NotInList { hint, .. },
        ..
    }) = &not_in_list
    else {
        panic!("{not_in_list:?}")
    };
    assert_eq!(*hint, hibob::ListHint::Closest("Laptop".into()));
    let archived = custom
        .add(who.as_str(), ASSETS_TABLE_ID)
        .column(ASSET_SERIAL_COLUMN, "SN-1")
        .column(ASSET_TYPE_COLUMN, "Pager (retired)")
        .await;
    assert!(
        matches!(archived, Err(Error::InvalidField { .. })),
        "{archived:?}"
    );
    let date = custom
        .update(who.as_str(), CERTIFICATIONS_TABLE_ID, 1)
        .column(CERT_EXPIRY_COLUMN, "31/01/2030")
        .await;
    assert!(
        matches!(
            &date,
            Err(Error::InvalidField {
                problem: FieldProblem::Format { .. },
                ..
            })
        ),
        "{date:?}"
    );
    assert_eq!(fake.request_count(), 0, "every refusal came before sending");
}
