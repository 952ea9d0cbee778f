//! A directory-sync daemon over `hibob::directory`: polls HiBob every
//! `--interval` and/or applies Bob webhooks from `--listen`, and prints the
//! change events as JSON Lines.
//!
//! ```sh
//! # One reconciliation against the embedded fake, events on stdout:
//! cargo run --example directory_daemon --features directory-sqlite -- --demo --once
//! # Against a tenant: poll every 30 minutes, apply webhooks, keep state and events:
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… HIBOB_WEBHOOK_SECRET=… \
//!   cargo run --example directory_daemon --features directory-sqlite -- \
//!   --interval 30m --listen 127.0.0.1:8080 --state directory.db --events events.jsonl --groups
//! ```
//!
//! Exit codes: 0 done, 1 other failure, 2 usage, 3 invalid credentials,
//! 4 missing permission, 5 HiBob unavailable, 6 a reconciliation refused by
//! the mass-removal guard (with `--once`; the daemon itself logs it and
//! tries again at the next interval).
//!
//! No event is lost or repeated across a restart: events are stored with
//! the snapshot before they are printed, and a restart prints what the
//! last run stored but did not print (it reads the last `event_id` of the
//! `--events` file, or the `<state>.cursor` file for stdout).

mod cli;
mod daemon;
mod emit;
#[path = "../common/exit.rs"]
mod exit_codes;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main(std::env::args_os()).await)
}
