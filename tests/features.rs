//! What a plain `cargo test` of the published crate leaves out, said in its
//! output instead of silently: the integration tests (`tests/it`), the
//! examples and two benches need the fake HiBob (`test-util`), and the webhook
//! tests `webhooks`. In this repository a self dev-dependency turns both on;
//! the published crate has it stripped.

#[cfg(not(all(feature = "test-util", feature = "webhooks")))]
#[test]
#[ignore = "tests/it, the examples and the history/sync benches need --features test-util (the webhook ones webhooks): run cargo test --all-features"]
fn the_integration_tests_need_test_util_and_webhooks() {
    // Run with --ignored, this says how to run the rest.
    let on = cfg!(all(feature = "test-util", feature = "webhooks"));
    assert!(
        on,
        "run `cargo test --all-features` for the integration tests"
    );
}
