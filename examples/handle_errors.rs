//! What to do for each error: run it with `--demo` to see each case against
//! the embedded fake HiBob, or read `advice` as a template for your own code.
//!
//! ```sh
//! cargo run --example handle_errors -- --demo
//! ```

mod common;

use std::time::Duration;

use clap::Parser;
use hibob::testing::FakeHibob;
use hibob::{Client, Error, ErrorKind, RetryPolicy, field};

/// Show what to do for each error the client returns (--demo shows every case).
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    connection: common::Connection,
}

/// The next step for each error, as a nightly job would decide it: by its
/// kind, so new variants need no new arm, with details where a variant has them.
fn advice(error: &Error) -> String {
    match error.kind() {
        ErrorKind::Configuration => "fix the configuration; nothing was sent".into(),
        ErrorKind::InvalidRequest => match error.api_body().and_then(|b| b.key.as_deref()) {
            Some(key) => format!("fix the request (HiBob key: {key}); retrying will not help"),
            None => "fix the input; retrying will not help".into(),
        },
        ErrorKind::Credentials => {
            "stop: get the service user's current ID and token from the admin and pass them to Client::set_service_user (do not retry: HiBob blocks a credential after ~50 failures in 10 s)".into()
        }
        ErrorKind::Permission => match error {
            Error::PermissionDenied { hint: Some(hint), .. } => format!("ask the admin to grant: {hint}"),
            _ => "ask the admin to add the service user to a permission group".into(),
        },
        ErrorKind::NotFound => "skip this record: unknown, or outside the service user's audience".into(),
        ErrorKind::RateLimited => format!(
            "try again in {:?} or lower the request rate",
            error.retry_after().unwrap_or(Duration::from_secs(60))
        ),
        ErrorKind::Unavailable => "HiBob or the network is having trouble: retry the whole job later".into(),
        ErrorKind::Bug => "HiBob's answer broke the contract: keep the last good data and report the error".into(),
        other => format!("unexpected ({other}): {error}"),
    }
}

async fn show(case: &str, result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Ok(_) => println!("{case}: ok"),
        Err(error) => println!(
            "{case}:\n  error:  {error}\n  kind:   {}\n  advice: {}",
            error.kind(),
            advice(&error)
        ),
    }
}

fn client_for(fake: &FakeHibob, token: &str) -> Result<Client, Error> {
    Client::builder()
        .service_user(fake.service_user_id(), token)
        .base_url(fake.uri())
        .retry_policy(RetryPolicy::deterministic(Duration::from_millis(5)).max_attempts(2))
        .build()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = Args::parse();
    if !args.connection.demo {
        let (client, _) = common::connect(&args.connection).await?;
        show(
            "people search",
            client.people().search().fields([field::ID]).await,
        )
        .await;
        show(
            "unknown employee",
            client.people().get("nobody@invalid.example").await,
        )
        .await;
        return Ok(());
    }
    let fake = FakeHibob::builder()
        .employees(20)
        .deny_category("payroll")
        .start()
        .await;
    let good = client_for(&fake, fake.token())?;

    show(
        "config: plain http to a remote host",
        Client::builder()
            .service_user("id", "t")
            .base_url("http://api.hibob.com/v1")
            .build(),
    )
    .await;
    show(
        "invalid request: 401 fields",
        good.people()
            .search()
            .fields((0..401).map(|i| format!("work.custom.field_{i}")))
            .await,
    )
    .await;
    show("not found", good.people().get("nobody@example.com").await).await;
    let someone = fake.truth().employees[1].id.clone();
    show(
        "permission denied: salaries",
        good.tables().salaries(&someone).await,
    )
    .await;
    show(
        "invalid request: bulk limit over 200 (caught before sending)",
        futures::TryStreamExt::try_next(&mut good.tables().bulk_work().limit(500).pages()).await,
    )
    .await;
    fake.knobs(|k| {
        k.fault_rate = 1.0;
    });
    show(
        "server errors outlasting the retries",
        good.people().search().await,
    )
    .await;
    fake.knobs(|k| {
        k.no_faults();
        k.truncated_rate = 1.0;
    });
    show(
        "responses cut off every time (the connection broke)",
        good.people().search().await,
    )
    .await;
    fake.knobs(|k| {
        k.no_faults();
    });
    let bad = client_for(&fake, "an-old-token")?;
    show("invalid credentials", bad.people().search().await).await;
    show(
        "invalid credentials, remembered (nothing sent)",
        bad.people().search().await,
    )
    .await;
    bad.set_service_user(fake.service_user_id(), fake.token())?;
    show(
        "after set_service_user with the current token",
        bad.people().search().await,
    )
    .await;
    Ok(())
}
