//! One integration-test binary (fast to link on small CI machines).
//! Every test talks to wiremock or the embedded fake on loopback; never the network.

mod support;

/// The command-line examples' shared exit codes, for the tests that include
/// their modules (`roster`, `provision`).
#[allow(dead_code)]
#[path = "../../examples/common/exit.rs"]
mod exit_codes;

mod access;
mod access_time_off;
mod architecture;
mod bulk_shapes;
mod custom_tables;
mod cut_body;
#[cfg(feature = "directory")]
mod directory;
mod errors;
mod examples;
mod examples_whos_out;
mod faults;
mod fixtures;
mod foundation;
mod labels;
mod params;
mod people;
mod provision;
mod ratelimit;
mod raw;
mod readme;
#[cfg(feature = "directory-sqlite")]
mod roster;
mod secrets;
mod stream;
mod tables;
mod tables_every;
mod time_off;
mod verify;
#[cfg(feature = "webhooks")]
mod webhooks;
mod writes;
mod writes_onboarding;
mod writes_people;
mod writes_tables;
