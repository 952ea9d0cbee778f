//! `roster_sync`: the whole HiBob roster (former employees included) to CSV,
//! JSON or JSON Lines, a thin command line over `hibob::directory`: rows
//! from the directory snapshot, optional groups (`--groups`), change events
//! (`--events`), history (`--with-history`, bulk reads) and joiner/mover/
//! leaver reports (`--state`), with the directory's mass-removal guard.
//!
//! ```sh
//! cargo run --example roster_sync --features directory-sqlite -- --demo   # nothing to set up
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… \
//!   cargo run --example roster_sync --features directory-sqlite -- --output roster.csv --state roster.db \
//!     --groups work.department,work.site --events events.jsonl
//! ```
//!
//! Exit codes: 0 success, 1 anything else, 2 usage, 3 invalid credentials,
//! 4 missing permission, 5 rate limit, server errors, timeouts or network
//! failures that outlasted the retries, 6 a mass removal refused (nothing
//! written, state unchanged; `--force` applies it). See `--help` and
//! README.md.

mod cli;
#[path = "../common/exit.rs"]
mod exit_codes;
mod history;
mod output;
mod rows;
mod state;
mod sync;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    ExitCode::from(cli::main(std::env::args_os()).await)
}
