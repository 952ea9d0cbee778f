//! Decode and validation tests for the time-off models. The JSON is written
//! for these tests after the shapes in HiBob's OpenAPI and docs.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

mod bodies;
mod calendars;
mod enums;
mod reads;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Decodes like the transport does; on failure, the JSON path and message.
fn decode<T: DeserializeOwned>(json: &str) -> Result<T, (String, String)> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| (e.path().to_string(), e.inner().to_string()))
}

/// The path of a decode failure (the test fails if it decodes).
fn failure_path<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    decode::<T>(json).expect_err("this JSON must not decode").0
}

/// The message of an `InvalidRequest`, failing the test on anything else.
fn invalid_message(result: Result<(), crate::Error>) -> String {
    match result {
        Err(crate::Error::InvalidRequest { message }) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}
