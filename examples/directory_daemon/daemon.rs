//! The loop: reconcile every interval, apply webhooks as they come, print
//! the stored events, and stop cleanly on SIGINT or SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use hibob::Client;
use hibob::directory::{Directory, DirectoryError, MemoryStore, Store, SyncReport};
use hibob::testing::FakeHibob;
use hibob::webhooks::Event;
use indicatif::ProgressBar;
use secrecy::SecretString;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::cli::{Cli, exit, exit_code};
use super::emit::Emitter;

#[path = "../webhook_listener/app.rs"]
#[allow(dead_code)] // `describe` is the listener example's
mod app;
mod demo;

/// Opens the state and runs; returns the exit code.
pub async fn run(cli: &Cli, client: Client, fake: Option<FakeHibob>) -> u8 {
    match &cli.state {
        Some(path) => match hibob::directory::SqliteStore::open(path).await {
            Ok(store) => run_with(cli, client, fake, store).await,
            Err(error) => {
                eprintln!("directory_daemon: error: {error}");
                exit::OTHER
            }
        },
        None => run_with(cli, client, fake, MemoryStore::new()).await,
    }
}

async fn run_with<S: Store + 'static>(
    cli: &Cli,
    client: Client,
    fake: Option<FakeHibob>,
    store: S,
) -> u8 {
    let directory = Directory::builder(client, store)
        .group_fields(cli.group_fields())
        .build();
    let mut emitter = match Emitter::open(&cli.events, cli.state.as_deref()) {
        Ok(emitter) => emitter,
        Err(error) => {
            eprintln!(
                "directory_daemon: error: cannot open {}: {error}",
                cli.events
            );
            return exit::OTHER;
        }
    };
    if let Err(error) = emitter.catch_up(directory.store()).await {
        eprintln!("directory_daemon: error: {error}");
        return exit::OTHER;
    }
    if cli.once {
        return match reconcile(&directory, cli.force).await {
            Ok(_) => print(&mut emitter, &directory).await,
            Err(error) => exit_code(&error),
        };
    }
    serve(cli, directory, emitter, fake).await
}

async fn serve<S: Store + 'static>(
    cli: &Cli,
    directory: Directory<S>,
    mut emitter: Emitter,
    fake: Option<FakeHibob>,
) -> u8 {
    let directory = Arc::new(directory);
    // Webhook refreshes run beside the loop: one may wait to re-read.
    let mut refreshes = JoinSet::new();
    let (stop, stopped) = watch::channel(false);
    let (queue, mut webhooks) = mpsc::channel::<Event>(1024);
    let listener = match listen(cli, queue, stopped).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("directory_daemon: error: {error}");
            return exit::USAGE;
        }
    };
    if let (Some(fake), Some((_, address))) = (&fake, &listener) {
        // The demo's changes arrive as signed webhooks too, as from Bob.
        fake.deliver_webhooks(
            format!("http://{address}/"),
            webhook_secret(cli).unwrap_or_default(),
        );
    }
    let listener = listener.map(|(task, _)| task);
    let mut demo = fake.map(demo::Demo::new);
    let mut ticks = tokio::time::interval(cli.interval);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let mut first = true;
    loop {
        let result = tokio::select! {
            _ = &mut shutdown => break,
            _ = ticks.tick() => {
                if let (Some(demo), false) = (&mut demo, first) {
                    demo.change_something();
                }
                first = false;
                reconcile(&directory, cli.force).await.map(Some)
            }
            Some(event) = webhooks.recv() => {
                let directory = directory.clone();
                refreshes.spawn(async move { directory.apply_webhook(&event).await });
                continue;
            }
            Some(done) = refreshes.join_next() => joined(done),
        };
        if let Some(code) = handle(result, &mut emitter, &directory).await {
            return code;
        }
    }
    eprintln!("directory_daemon: stopping: applying the webhooks already received");
    let _ = stop.send(true);
    if let Some(listener) = listener {
        let _ = listener.await;
    }
    while let Ok(event) = webhooks.try_recv() {
        let directory = directory.clone();
        refreshes.spawn(async move { directory.apply_webhook(&event).await });
    }
    while let Some(done) = refreshes.join_next().await {
        if let Some(code) = handle(joined(done), &mut emitter, &directory).await {
            return code;
        }
    }
    exit::OK
}

type Refreshed = Result<Option<SyncReport>, DirectoryError>;

fn joined(done: Result<Refreshed, tokio::task::JoinError>) -> Refreshed {
    done.unwrap_or_else(|error| {
        eprintln!("directory_daemon: a webhook refresh stopped: {error}");
        Ok(None)
    })
}

/// Prints what a sync stored; `Some(code)` when the daemon must stop.
async fn handle<S: Store>(
    result: Result<Option<SyncReport>, DirectoryError>,
    emitter: &mut Emitter,
    directory: &Directory<S>,
) -> Option<u8> {
    match result {
        Ok(_) => match print(emitter, directory).await {
            exit::OK => None,
            code => Some(code),
        },
        Err(error) => {
            eprintln!("directory_daemon: error: {error}");
            let code = exit_code(&error);
            // Bad credentials or configuration will not mend by waiting.
            matches!(code, exit::CREDENTIALS | exit::USAGE).then_some(code)
        }
    }
}

async fn print<S: Store>(emitter: &mut Emitter, directory: &Directory<S>) -> u8 {
    match emitter.catch_up(directory.store()).await {
        Ok(_) => exit::OK,
        Err(error) => {
            eprintln!("directory_daemon: error: {error}");
            exit::OTHER
        }
    }
}

/// One reconciliation with a spinner on a terminal and a summary line.
async fn reconcile<S: Store>(
    directory: &Directory<S>,
    force: bool,
) -> Result<SyncReport, DirectoryError> {
    let spinner = ProgressBar::new_spinner().with_message("reconciling with HiBob…");
    spinner.enable_steady_tick(Duration::from_millis(120));
    let result = if force {
        directory.reconcile_forced().await
    } else {
        directory.reconcile().await
    };
    spinner.finish_and_clear();
    match &result {
        Ok(report) => {
            eprintln!(
                "directory_daemon: reconciled: {} users, {} events",
                report.users,
                report.events.len()
            );
            for finding in &report.findings {
                eprintln!("directory_daemon: warning: {finding}");
            }
        }
        Err(DirectoryError::Refused(_)) => {
            eprintln!("directory_daemon: nothing stored; pass --force if the removals are real")
        }
        Err(_) => {}
    }
    result
}

/// Serves webhooks on `--listen` until `stopped` turns true.
async fn listen(
    cli: &Cli,
    queue: mpsc::Sender<Event>,
    mut stopped: watch::Receiver<bool>,
) -> Result<Option<(tokio::task::JoinHandle<()>, std::net::SocketAddr)>, String> {
    let Some(address) = cli.listen else {
        return Ok(None);
    };
    let secret = webhook_secret(cli)?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("directory_daemon: listening for Bob webhooks on http://{bound}");
    let router = app::router(SecretString::from(secret), queue);
    let task = tokio::spawn(async move {
        let stop = async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        if let Err(error) = axum::serve(listener, router)
            .with_graceful_shutdown(stop)
            .await
        {
            eprintln!("directory_daemon: the webhook listener failed: {error}");
        }
    });
    Ok(Some((task, bound)))
}

/// HIBOB_WEBHOOK_SECRET; with `--demo`, a made-up one when unset.
fn webhook_secret(cli: &Cli) -> Result<String, String> {
    match std::env::var("HIBOB_WEBHOOK_SECRET") {
        Ok(secret) if !secret.is_empty() => Ok(secret),
        _ if cli.demo => Ok("directory-daemon-demo".to_owned()),
        _ => Err("--listen needs HIBOB_WEBHOOK_SECRET set to the webhook's secret".to_owned()),
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
