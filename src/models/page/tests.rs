use serde_json::{Value, json};

use super::CursorPage;
use crate::Error;
use crate::error::Operation;

const OP: Operation = Operation {
    method: "POST",
    route: "/objects/search",
};

/// Decodes `body` exactly as the transport does (path and redaction included).
fn page(body: Value) -> Result<CursorPage<Value>, Error> {
    crate::transport::decode(OP, body.to_string().as_bytes())
}

/// The decode error's path and its (redacted) message.
fn failure(body: Value) -> (String, String) {
    match page(body) {
        Err(Error::Decode { path, source, .. }) => (path, source.message().to_owned()),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn both_shapes_decode_to_the_same_page() {
    for key in ["results", "items"] {
        let got = page(json!({
            key: [{"id": 1}, {"id": 2}],
            "response_metadata": {"next_cursor": "c2"},
        }))
        .unwrap();
        assert_eq!(got.items, [json!({"id": 1}), json!({"id": 2})], "{key}");
        assert_eq!(got.next_cursor.as_deref(), Some("c2"), "{key}");
        assert!(got.extra.is_empty(), "{key}: {:?}", got.extra);
    }
}

#[test]
fn cursor_is_read_when_next_cursor_is_absent_and_next_cursor_wins() {
    let alias = page(json!({"items": [], "response_metadata": {"cursor": "c9"}})).unwrap();
    assert_eq!(alias.next_cursor.as_deref(), Some("c9"));
    let both = page(json!({
        "results": [],
        "response_metadata": {"next_cursor": "new", "cursor": "old"},
    }))
    .unwrap();
    assert_eq!(both.next_cursor.as_deref(), Some("new"));
}

#[test]
fn null_missing_or_empty_cursors_mean_the_last_page() {
    for body in [
        json!({"items": [1], "response_metadata": {"next_cursor": null}}),
        json!({"items": [1], "response_metadata": {}}),
        json!({"items": [1], "response_metadata": null}),
        json!({"items": [1]}),
        json!({"items": [1], "response_metadata": {"next_cursor": ""}}),
        json!({"results": [1], "response_metadata": {"cursor": null}}),
    ] {
        let got = page(body.clone()).unwrap();
        assert_eq!(got.next_cursor, None, "{body}");
        assert_eq!(got.items, [json!(1)], "{body}");
    }
}

#[test]
fn null_rows_and_a_page_without_arrays_are_empty_pages() {
    assert!(page(json!({"items": null})).unwrap().items.is_empty());
    let bare = page(json!({"response_metadata": {"next_cursor": null}, "total": 0})).unwrap();
    assert!(bare.items.is_empty());
    assert_eq!(bare.extra.get("total"), Some(&json!(0)));
}

#[test]
fn unknown_top_level_members_are_kept() {
    let got = page(json!({
        "results": [],
        "errors": [{"employeeId": "7", "error": "MISSING_PERMISSION"}],
        "total": 3,
        "response_metadata": {"next_cursor": null, "other": 1},
    }))
    .unwrap();
    assert_eq!(got.extra.len(), 2, "{:?}", got.extra);
    assert_eq!(got.extra["total"], json!(3));
    assert_eq!(got.extra["errors"][0]["error"], json!("MISSING_PERMISSION"));
}

#[test]
fn rows_under_another_key_are_an_error_naming_it() {
    let (path, message) = failure(json!({
        "employees": [{"id": 1}],
        "response_metadata": {"next_cursor": "c2"},
    }));
    assert_eq!(path, ".");
    assert!(message.contains("neither results nor items"), "{message}");
    assert!(message.contains("an array under employees"), "{message}");
    // A key that is not a plain identifier is not repeated in the message.
    let (_, message) = failure(json!({"ada@example.com": []}));
    assert!(message.contains("an array under another key"), "{message}");
    assert!(!message.contains("ada"), "{message}");
}

#[test]
fn both_keys_are_an_error() {
    for body in [
        json!({"results": [1], "items": [2]}),
        json!({"items": [], "results": null}),
    ] {
        let (_, message) = failure(body.clone());
        assert!(
            message.contains("both results and items"),
            "{body}: {message}"
        );
    }
}

#[test]
fn a_duplicate_rows_key_is_an_error() {
    let body = br#"{"items": [1], "items": [2]}"#;
    let err = crate::transport::decode::<CursorPage<Value>>(OP, body).unwrap_err();
    let Error::Decode { source, .. } = err else {
        panic!("{err:?}");
    };
    assert_eq!(source.message(), "duplicate field `items`");
}

#[test]
fn a_bad_row_fails_with_its_path() {
    #[derive(serde::Deserialize, Debug)]
    struct Row {
        #[allow(dead_code)]
        id: u32,
    }
    let body = json!({"items": [{"id": 1}, {"id": "ada@example.com"}]}).to_string();
    let err = crate::transport::decode::<CursorPage<Row>>(OP, body.as_bytes()).unwrap_err();
    let Error::Decode { path, source, .. } = err else {
        panic!("{err:?}");
    };
    assert_eq!(path, "items[1].id");
    assert!(!source.message().contains("ada"), "{}", source.message());
    let (path, _) = failure(json!({"results": {"id": 1}}));
    assert_eq!(path, "results");
    let (path, _) = failure(json!({"items": [], "response_metadata": {"next_cursor": 7}}));
    assert_eq!(path, "response_metadata.next_cursor");
}

#[test]
fn a_page_that_is_not_an_object_is_an_error() {
    for body in [json!([1, 2]), json!("page"), json!(null)] {
        assert!(
            matches!(page(body.clone()), Err(Error::Decode { .. })),
            "{body}"
        );
    }
}
