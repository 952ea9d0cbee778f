//! One integration-test binary (fast to link on small CI machines).
//! Every test talks to wiremock or the embedded fake on loopback; never the network.

mod support;

mod access;
mod cut_body;
mod faults;
mod fixtures;
mod foundation;
mod history;
mod people;
mod roster;
mod secrets;
#[cfg(feature = "webhooks")]
mod webhooks;
