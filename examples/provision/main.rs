//! `provision`: creates new hires in HiBob from a CSV, safely.
//!
//! A dry run by default (prints the plan: create, already exists, invalid
//! with the reason); `--apply` creates and reports per row. Every hire is
//! looked up by e-mail first, inactive employees included (future hires are
//! inactive), in one search. HiBob has no idempotency keys, so each create is
//! written to a local journal before it is sent and taken out once its
//! outcome is known; a row whose answer was lost (a dropped connection, a
//! crash) stays there, and the next run looks it up, waiting out HiBob's read
//! lag, before it would send it again. No hire is ever created twice.
//!
//! ```sh
//! cargo run --example provision -- --demo            # the plan, against an embedded fake
//! cargo run --example provision -- --demo --apply    # and its outcome
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… \
//!   cargo run --example provision -- hires.csv --apply
//! ```
//!
//! Exit codes: 0 success, 1 other failure, 2 usage or an unreadable CSV or
//! journal, 3 invalid credentials, 4 missing permission, 5 HiBob or the
//! network unavailable or rate limited (as for roster_sync), 6 rows invalid
//! or refused by HiBob (the others were done), 7 rows whose outcome is
//! unknown (kept in the journal: re-run to check them). See `--help`.

mod apply;
mod cli;
#[path = "../common/exit.rs"]
mod exit_codes;
mod journal;
mod plan;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    ExitCode::from(cli::main(std::env::args_os()).await)
}
