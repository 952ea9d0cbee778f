//! A Bob webhook listener: verifies `Bob-Signature`, parses each event and
//! prints one line per event (type, employee ID, who triggered it; no
//! personal data), answering 200 before any processing.
//!
//! ```sh
//! HIBOB_WEBHOOK_SECRET=… cargo run --example webhook_listener -- --listen 127.0.0.1:8080
//! # with --fetch, also performs each event's follow-up read
//! # (needs HIBOB_SERVICE_USER_ID and HIBOB_SERVICE_USER_TOKEN):
//! cargo run --example webhook_listener -- --fetch
//! ```
//!
//! Point Bob's webhook at `https://<your host>/webhooks/bob` (or `/`) through
//! a TLS-terminating proxy; Bob only calls HTTPS URLs.

mod app;

use std::net::SocketAddr;

use clap::Parser;
use hibob::Client;
use hibob::webhooks::{Event, Fetched};
use secrecy::SecretString;
use tokio::sync::mpsc;

/// Listen for Bob webhooks: verify each signature and print one line per event.
#[derive(Parser)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Environment variable holding the webhook secret (Bob's webhook settings).
    #[arg(long, default_value = "HIBOB_WEBHOOK_SECRET")]
    secret_env: String,
    /// Perform each event's follow-up read with a client from the environment.
    #[arg(long)]
    fetch: bool,
    /// HiBob's base URL for --fetch, `/v1` included (default: HIBOB_BASE_URL, else production).
    #[arg(long, value_name = "URL", env = "HIBOB_BASE_URL")]
    base_url: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let secret = std::env::var(&args.secret_env)
        .map_err(|_| format!("set {} to the webhook's secret", args.secret_env))?;
    if secret.is_empty() {
        return Err(format!("{} is empty", args.secret_env).into());
    }
    let client = if args.fetch {
        let mut builder = hibob::ClientBuilder::from_env()?;
        if let Some(url) = &args.base_url {
            builder = builder.base_url(url.clone());
        }
        Some(builder.build()?)
    } else {
        None
    };

    let (queue, events) = mpsc::channel(1024);
    tokio::spawn(process(events, client));

    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    eprintln!(
        "listening for Bob webhooks on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app::router(SecretString::from(secret), queue)).await?;
    Ok(())
}

/// The worker: runs after the HTTP answer was sent.
async fn process(mut events: mpsc::Receiver<Event>, client: Option<Client>) {
    while let Some(event) = events.recv().await {
        println!("{}", app::describe(&event));
        let (Some(client), Some(follow_up)) = (&client, event.follow_up()) else {
            continue;
        };
        let client = client.clone();
        tokio::spawn(async move {
            match follow_up.fetch(&client).await {
                Ok(Fetched::Employee(_)) => {
                    println!("  fetched employee {}", follow_up.employee_id())
                }
                Ok(Fetched::Lifecycle(t)) => {
                    println!("  fetched {} lifecycle rows", t.rows.len())
                }
                Ok(Fetched::Employment(t)) => {
                    println!("  fetched {} employment rows", t.rows.len())
                }
                Ok(Fetched::Work(t)) => println!("  fetched {} work rows", t.rows.len()),
                Ok(Fetched::Salaries(t)) => println!("  fetched {} salary rows", t.rows.len()),
                Ok(Fetched::Rows { table, rows }) => {
                    println!("  fetched {} rows of {table}", rows.rows.len())
                }
                Ok(_) => println!("  fetched"),
                Err(e) => eprintln!("  follow-up for {} failed: {e}", follow_up.employee_id()),
            }
        });
    }
}
