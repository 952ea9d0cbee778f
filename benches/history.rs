//! Requests needed to read lifecycle, employment and work history for 5,000
//! employees: the bulk path against the per-employee path, on the embedded
//! fake HiBob. Target: bulk within 1.05 × the minimum (Σ ceil(rows / 200)).

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use futures::TryStreamExt;
use hibob::tables::BulkItem;
use hibob::testing::FakeHibob;
use hibob::{Client, RateLimits};

const EMPLOYEES: usize = 5_000;
const PER_EMPLOYEE_SAMPLE: usize = 200;

fn client(fake: &FakeHibob) -> Client {
    Client::builder()
        .service_user(fake.service_user_id(), fake.token())
        .base_url(fake.uri())
        .rate_limits(RateLimits::default().max_in_flight(8))
        .build()
        .expect("client")
}

/// Reads the three tables in bulk; returns (rows, employees) per table.
async fn bulk(client: &Client) -> [(usize, usize); 3] {
    async fn rows<S, E>(stream: S) -> (usize, usize)
    where
        S: futures::Stream<Item = Result<BulkItem<E>, hibob::Error>>,
    {
        let items: Vec<BulkItem<E>> = stream.try_collect().await.expect("bulk read");
        let mut counts = (0, 0);
        for item in items {
            if let BulkItem::Employee(history) = item {
                counts.0 += history.rows.len();
                counts.1 += 1;
            }
        }
        counts
    }
    let history = client.tables();
    [
        rows(history.bulk_lifecycle().stream()).await,
        rows(history.bulk_employment().stream()).await,
        rows(history.bulk_work().stream()).await,
    ]
}

fn report(runtime: &tokio::runtime::Runtime, fake: &FakeHibob) {
    let client = client(fake);
    fake.reset_requests();
    let started = Instant::now();
    let tables = runtime.block_on(bulk(&client));
    let bulk_time = started.elapsed();
    let bulk_requests = fake.request_count();
    let rows: usize = tables.iter().map(|t| t.0).sum();
    let minimum: usize = tables.iter().map(|t| t.0.div_ceil(200)).sum();

    // Per employee: one call per employee and table, timed on a sample.
    let ids: Vec<String> = fake
        .truth()
        .employees
        .iter()
        .take(PER_EMPLOYEE_SAMPLE)
        .map(|e| e.id.clone())
        .collect();
    fake.reset_requests();
    let started = Instant::now();
    runtime.block_on(async {
        for id in &ids {
            let history = client.tables();
            history.lifecycle(id).await.expect("lifecycle");
            history.employment(id).await.expect("employment");
            history.work(id).await.expect("work");
        }
    });
    let sample_time = started.elapsed();
    let sample_requests = fake.request_count();
    let per_employee_requests = sample_requests * EMPLOYEES / PER_EMPLOYEE_SAMPLE;
    let per_employee_time = sample_time.mul_f64(EMPLOYEES as f64 / PER_EMPLOYEE_SAMPLE as f64);

    println!(
        "history of {EMPLOYEES} employees, 3 tables, {rows} rows ({:.2} rows/employee/table)",
        rows as f64 / (3 * EMPLOYEES) as f64
    );
    println!(
        "  bulk:         {bulk_requests} requests in {bulk_time:.2?}; minimum Σ ceil(rows/200) = {minimum}; ratio {:.3}",
        bulk_requests as f64 / minimum as f64
    );
    println!(
        "  per employee: {per_employee_requests} requests (measured {sample_requests} for {PER_EMPLOYEE_SAMPLE} employees), ~{per_employee_time:.2?} extrapolated"
    );
}

fn history(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let fake = runtime.block_on(FakeHibob::builder().employees(EMPLOYEES).seed(11).start());
    report(&runtime, &fake);
    let client = client(&fake);
    let mut group = c.benchmark_group("history");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("bulk 3 tables x 5000 employees", |b| {
        b.to_async(&runtime).iter(|| bulk(&client));
    });
    group.finish();
}

criterion_group!(benches, history);
criterion_main!(benches);
