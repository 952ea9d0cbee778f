//! `roster_sync`: the whole HiBob roster (former employees included) to CSV,
//! JSON or JSON Lines, with optional history and joiner/mover/leaver reports.
//!
//! ```sh
//! cargo run --example roster_sync -- --demo                 # nothing to set up
//! HIBOB_SERVICE_USER_ID=… HIBOB_SERVICE_USER_TOKEN=… \
//!   cargo run --example roster_sync -- --output roster.csv --state roster.db
//! ```
//!
//! Exit codes: 0 success, 1 anything else, 2 usage, 3 invalid credentials,
//! 4 missing permission, 5 rate limit, server errors, timeouts or network
//! failures that outlasted the retries. See `--help` and README.md.

mod cli;
mod output;
mod state;
mod sync;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    ExitCode::from(cli::main(std::env::args_os()).await)
}
