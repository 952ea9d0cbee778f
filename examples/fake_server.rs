//! Serves `hibob::testing::FakeHibob` from its own process, for benchmarks
//! and for testing a HiBob integration written in another language.
//!
//! ```sh
//! cargo run --release --features test-util --example fake_server -- --employees 20000 --latency-ms 20
//! ```
//!
//! The first three lines on stdout are `HIBOB_BASE_URL=…`,
//! `HIBOB_SERVICE_USER_ID=…` and `HIBOB_SERVICE_USER_TOKEN=…`, the variables
//! `hibob::ServiceUser::from_env` and `ClientBuilder::from_env` read. It runs
//! until Ctrl-C (SIGINT) or SIGTERM.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use hibob::testing::FakeHibob;

/// Serves a fake HiBob (a generated company behind HiBob's read endpoints, with
/// HiBob's rules) on 127.0.0.1 until Ctrl-C or SIGTERM.
///
/// The first three lines on stdout are HIBOB_BASE_URL=…, HIBOB_SERVICE_USER_ID=…
/// and HIBOB_SERVICE_USER_TOKEN=…, ready to parse or to `export`. Progress
/// goes to stderr.
#[derive(Debug, Parser)]
#[command(name = "fake_server")]
struct Args {
    /// Employees in the generated company.
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    employees: usize,
    /// Delay before every response, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Port on 127.0.0.1 (0: any free port; the chosen one is in HIBOB_BASE_URL).
    #[arg(long, default_value_t = 0, value_name = "P")]
    port: u16,
    /// Seed of the generated company: the same seed and size give the same company.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = FakeHibob::builder()
        .employees(args.employees)
        .seed(args.seed)
        .port(args.port);
    if args.latency_ms > 0 {
        builder = builder.latency(Duration::from_millis(args.latency_ms));
    }
    let fake = match builder.try_start().await {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!(
                "fake_server: cannot listen on 127.0.0.1:{}: {e} (pick another --port, or 0 for any)",
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!("{}={}", hibob::ENV_BASE_URL, fake.uri());
    println!("{}={}", hibob::ENV_SERVICE_USER_ID, fake.service_user_id());
    println!("{}={}", hibob::ENV_SERVICE_USER_TOKEN, fake.token());
    eprintln!(
        "fake_server: {} employees (seed {}), {} ms latency; Ctrl-C to stop",
        args.employees, args.seed, args.latency_ms
    );
    if let Err(e) = shutdown_signal().await {
        eprintln!("fake_server: cannot wait for Ctrl-C or SIGTERM: {e}");
        return ExitCode::FAILURE;
    }
    eprintln!(
        "fake_server: stopping after {} requests",
        fake.request_count()
    );
    ExitCode::SUCCESS
}

/// Returns on the first SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
