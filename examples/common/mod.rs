//! Shared by the small examples: a client for a real tenant (from the
//! environment) or, with `--demo`, for the embedded fake HiBob.

use hibob::testing::FakeHibob;
use hibob::{Client, Error};

// Where the example connects. A plain comment: a doc comment here would
// become the `--help` description of every example that flattens it.
#[derive(Debug, clap::Args)]
pub struct Connection {
    /// Run against an embedded fake HiBob with a generated company (no credentials needed).
    #[arg(long)]
    pub demo: bool,
    /// HiBob's base URL, `/v1` included (default: HIBOB_BASE_URL, else production).
    #[arg(long, value_name = "URL", env = "HIBOB_BASE_URL")]
    pub base_url: Option<String>,
}

/// A connected client, and the fake it talks to when `--demo` is set (keep it
/// alive as long as the client is used).
pub async fn connect(connection: &Connection) -> Result<(Client, Option<FakeHibob>), Error> {
    if connection.demo {
        let fake = FakeHibob::builder().employees(40).seed(42).start().await;
        let client = Client::builder()
            .service_user(fake.service_user_id(), fake.token())
            .base_url(fake.uri())
            .build()?;
        return Ok((client, Some(fake)));
    }
    let mut builder = hibob::ClientBuilder::from_env()?;
    if let Some(url) = &connection.base_url {
        builder = builder.base_url(url.clone());
    }
    Ok((builder.build()?, None))
}
