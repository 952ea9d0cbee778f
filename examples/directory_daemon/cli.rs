//! The command line, the client and the exit codes.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use hibob::directory::DirectoryError;
use hibob::{Client, FieldId};

use super::daemon;

/// Keeps a copy of the HiBob directory and prints what changed as JSON Lines.
///
/// Credentials come from HIBOB_SERVICE_USER_ID and HIBOB_SERVICE_USER_TOKEN,
/// the webhook secret from HIBOB_WEBHOOK_SECRET (with --listen).
#[derive(Debug, Parser)]
pub struct Cli {
    /// How often to reconcile with a full read: `45s`, `30m`, `2h`.
    #[arg(long, value_parser = parse_interval, default_value = "30m")]
    pub interval: Duration,
    /// Listen for Bob webhooks on this address (each one refreshes one employee).
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// The state database (SQLite, created owner-only); without it, state lives in memory.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Where to print the events: a file (appended, owner-only) or `-` for stdout.
    #[arg(long, default_value = "-")]
    pub events: String,
    /// Emit groups: bare, from work.department and work.site; or from these list field IDs.
    #[arg(long, value_name = "FIELD_ID,...", num_args = 0..=1, default_missing_value = "work.department,work.site")]
    pub groups: Option<String>,
    /// Reconcile once, print the events and exit.
    #[arg(long)]
    pub once: bool,
    /// Let a reconciliation through the mass-removal guard (never an empty read).
    #[arg(long)]
    pub force: bool,
    /// Run against an embedded fake HiBob that changes a little at every interval.
    #[arg(long)]
    pub demo: bool,
    /// HiBob's base URL, `/v1` included (default: HIBOB_BASE_URL, else production).
    #[arg(long, value_name = "URL", env = "HIBOB_BASE_URL")]
    pub base_url: Option<String>,
}

impl Cli {
    /// The group fields: none without `--groups`.
    pub fn group_fields(&self) -> Vec<FieldId> {
        let fields = self.groups.iter().flat_map(|list| list.split(','));
        fields
            .filter(|f| !f.trim().is_empty())
            .map(|f| FieldId::from(f.trim()))
            .collect()
    }
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not like 45s, 30m or 2h"))?;
    let seconds = match unit {
        "s" => number,
        "m" | "" => number * 60,
        "h" => number * 3600,
        _ => return Err(format!("`{text}`: use s, m or h")),
    };
    if seconds == 0 {
        return Err("the interval must be at least 1s".to_owned());
    }
    Ok(Duration::from_secs(seconds))
}

/// Exit codes, as roster_sync's: the shared ones, and a refused mass removal.
pub mod exit {
    pub use super::super::exit_codes::*;
    pub const REFUSED: u8 = 6;
}

/// The exit code for a failed sync.
pub fn exit_code(error: &DirectoryError) -> u8 {
    match error {
        DirectoryError::Refused(_) => exit::REFUSED,
        DirectoryError::Hibob(error) => exit::for_error(error),
        _ => exit::OTHER,
    }
}

/// Parses `args`, connects and runs the daemon; returns the exit code.
pub async fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return u8::try_from(error.exit_code()).unwrap_or(exit::USAGE);
        }
    };
    let (client, fake) = match connect(&cli).await {
        Ok(connected) => connected,
        Err(error) => {
            eprintln!("directory_daemon: error: {error}");
            return exit::USAGE;
        }
    };
    daemon::run(&cli, client, fake).await
}

async fn connect(cli: &Cli) -> Result<(Client, Option<hibob::testing::FakeHibob>), hibob::Error> {
    let agent = concat!("directory_daemon/", env!("CARGO_PKG_VERSION"));
    if cli.demo {
        let fake = hibob::testing::FakeHibob::builder()
            .employees(40)
            .seed(42)
            .start()
            .await;
        eprintln!(
            "directory_daemon: --demo: the embedded fake HiBob at {}",
            fake.uri()
        );
        let client = Client::builder()
            .service_user(fake.service_user_id(), fake.token())
            .base_url(fake.uri())
            .user_agent(agent)
            .build()?;
        return Ok((client, Some(fake)));
    }
    let mut builder = hibob::ClientBuilder::from_env()?;
    if let Some(url) = &cli.base_url {
        builder = builder.base_url(url.clone());
    }
    builder
        .user_agent(agent)
        .build()
        .map(|client| (client, None))
}
