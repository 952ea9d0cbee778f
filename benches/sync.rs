//! The whole roster sync (`examples/roster_sync`'s pipeline over
//! `hibob::directory`, up to the report; nothing stored) against the
//! embedded fake HiBob with 20 ms of latency per response: fields metadata,
//! the directory's labels and people search, and every bulk history page.
//!
//! Prints one timed run of 5,000 employees with lifecycle, employment and work
//! history (requests made, by route, and wall time), then criterion timings of
//! that run and of 1,000 employees without history. The client uses its
//! production defaults (retry policy, 50/min people-search limit, 8 requests
//! in flight). The fake runs in this process and shares the CPU.

#[allow(dead_code)]
#[path = "../examples/common/exit.rs"]
mod exit_codes;
#[allow(dead_code)]
#[path = "../examples/roster_sync/history.rs"]
mod history;
#[allow(dead_code)]
#[path = "../examples/roster_sync/rows.rs"]
mod rows;
#[allow(dead_code)]
#[path = "../examples/roster_sync/sync.rs"]
mod sync;

use std::time::{Duration, Instant};

use criterion::Criterion;
use hibob::Client;
use hibob::directory::MemoryStore;
use hibob::testing::FakeHibob;
use indicatif::ProgressBar;
use tokio::runtime::Runtime;

const LATENCY: Duration = Duration::from_millis(20);

fn client(fake: &FakeHibob) -> Client {
    Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .build()
        .expect("client builds")
}

async fn sync_once(fake: &FakeHibob, options: &sync::Options) -> sync::Report {
    let started = Instant::now();
    let client = client(fake);
    sync::check_fields(&client, options).await.expect("fields");
    let directory = sync::directory(&client, MemoryStore::new(), options);
    let progress = ProgressBar::hidden();
    let (pending, history) = sync::read(&directory, &client, options, &progress)
        .await
        .expect("sync succeeds");
    sync::report(
        (&pending).into(),
        history,
        options,
        &client,
        started.elapsed(),
    )
    .expect("a report")
}

fn start(rt: &Runtime, employees: usize) -> FakeHibob {
    rt.block_on(
        FakeHibob::builder()
            .employees(employees)
            .latency(LATENCY)
            .start(),
    )
}

fn main() {
    let rt = Runtime::new().expect("tokio runtime");
    let history = sync::Options {
        history: Some(history::Selection::default()),
        ..sync::Options::default()
    };
    let big = start(&rt, 5_000);

    let started = Instant::now();
    let report = rt.block_on(sync_once(&big, &history));
    let wall = started.elapsed();
    let count = |prefix: &str| big.request_count_for(prefix);
    println!(
        "roster_sync, 5,000 employees + lifecycle/employment/work history, {} ms latency:\n  \
         {} rows in {:.2} s wall; {} requests ({} people search, {} metadata, {} lifecycle + {} employment + {} work bulk pages), {} retries",
        LATENCY.as_millis(),
        report.rows.len(),
        wall.as_secs_f64(),
        report.stats.requests,
        count("/people/search"),
        count("/company/"),
        count("/bulk/people/lifecycle"),
        count("/bulk/people/employment"),
        count("/bulk/people/work"),
        report.stats.retries,
    );

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("roster_sync");
    // About 2.3 s per run: 10 samples need ~25 s.
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(25));
    group.bench_function("5000_employees_with_history_20ms", |b| {
        b.to_async(&rt).iter(|| sync_once(&big, &history));
    });
    let small = start(&rt, 1_000);
    let roster_only = sync::Options::default();
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("1000_employees_no_history_20ms", |b| {
        b.to_async(&rt).iter(|| sync_once(&small, &roster_only));
    });
    group.finish();
    criterion.final_summary();
}
