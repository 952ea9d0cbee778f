//! The bulk read of every built-in table that has one, for 5,000 employees
//! on the embedded fake HiBob: rows, employees and requests per table
//! against the minimum Σ ceil(rows / 200) (the target: equal), and the
//! decode throughput of a large bulk page (every employee's rows of a table
//! in one body) as the typed `BulkPage<…>` against `serde_json::Value`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::TryStreamExt;
use hibob::tables::{
    BulkItem, BulkPage, BulkTable, DeductionEntry, DependentEntry, EmployeeTable, EmploymentEntry,
    EntitlementEntry, EquityEntry, LifecycleEntry, RightToWorkEntry, SalaryEntry, VariableEntry,
    WorkEntry,
};
use hibob::testing::FakeHibob;
use hibob::{Client, RateLimits};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const EMPLOYEES: usize = 5_000;

fn client(fake: &FakeHibob) -> Client {
    fake.client_builder()
        .rate_limits(RateLimits::default().max_in_flight(8))
        .build()
        .expect("client")
}

/// Reads table `E` in bulk; returns (rows, employees).
async fn bulk<E: BulkTable>(client: &Client) -> (usize, usize) {
    let items: Vec<BulkItem<E>> = client
        .tables()
        .bulk::<E>()
        .stream()
        .try_collect()
        .await
        .expect("bulk read");
    let mut counts = (0, 0);
    for item in items {
        if let BulkItem::Employee(history) = item {
            counts.0 += history.rows.len();
            counts.1 += 1;
        }
    }
    counts
}

/// Every bulk table's (rows, employees), in catalog order.
async fn bulk_all(client: &Client) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for table in EmployeeTable::ALL.into_iter().filter(|t| t.bulk_read()) {
        out.push(bulk_of(client, table).await);
    }
    out
}

/// One bulk body holding every employee's rows of `table`: the pages'
/// `results` joined, as a single large page.
async fn large_page(client: &Client, table: EmployeeTable) -> (Vec<u8>, usize) {
    let route = format!("/bulk/people/{}", table.as_str());
    let (mut results, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let mut request = client
            .get_json::<Value>(route.clone())
            .query("limit", "200");
        if let Some(c) = &cursor {
            request = request.query("cursor", c.clone());
        }
        let mut page = request.await.expect("page");
        results.extend(
            page["results"]
                .as_array_mut()
                .map(std::mem::take)
                .unwrap_or_default(),
        );
        cursor = page["response_metadata"]["next_cursor"]
            .as_str()
            .map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let rows = results
        .iter()
        .map(|r| r["values"].as_array().map_or(0, Vec::len))
        .sum();
    let body =
        json!({ "results": results, "response_metadata": { "next_cursor": null }, "errors": [] });
    (serde_json::to_vec(&body).expect("serializes"), rows)
}

/// The fastest of `runs` decodes, in seconds.
fn best<T>(body: &[u8], runs: usize, decode: impl Fn(&[u8]) -> T) -> f64 {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(decode(black_box(body)));
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn typed<E: DeserializeOwned>(body: &[u8]) -> BulkPage<E> {
    serde_json::from_slice(body).expect("typed page")
}

fn value(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("JSON")
}

fn decode_line<E: DeserializeOwned>(name: &str, body: &[u8], rows: usize) {
    let page = typed::<E>(body);
    let decoded: usize = page.results.iter().map(|r| r.rows.len()).sum();
    assert_eq!(decoded, rows, "{name}: every row decoded");
    let (t, v) = (best(body, 15, typed::<E>), best(body, 15, value));
    let mb = body.len() as f64 / 1e6;
    println!(
        "  {name:<22} {mb:5.2} MB {rows:6} rows  typed {:7.1} MB/s {:9.0} rows/s   Value {:7.1} MB/s {:9.0} rows/s   typed/Value x{:.2}",
        mb / t,
        rows as f64 / t,
        mb / v,
        rows as f64 / v,
        v / t
    );
}

fn report(runtime: &tokio::runtime::Runtime, fake: &FakeHibob) -> Vec<u8> {
    let client = client(fake);
    println!(
        "bulk read of every built-in table with a bulk read, {EMPLOYEES} employees (limit 200):"
    );
    println!(
        "  {:<14} {:>7} {:>9} {:>8} {:>8}",
        "table", "rows", "employees", "requests", "minimum"
    );
    let (mut requests, mut minimum) = (0, 0);
    let started = Instant::now();
    for table in EmployeeTable::ALL.into_iter().filter(|t| t.bulk_read()) {
        fake.reset_requests();
        let (rows, employees) = runtime.block_on(bulk_of(&client, table));
        let sent = fake.request_count();
        let least = rows.div_ceil(200);
        println!(
            "  {:<14} {rows:>7} {employees:>9} {sent:>8} {least:>8}",
            table.as_str()
        );
        requests += sent;
        minimum += least;
    }
    let verdict = if requests == minimum { "PASS" } else { "FAIL" };
    println!(
        "  total: {requests} requests, minimum Σ ceil(rows/200) = {minimum} in {:.2?}: {verdict} (requests {} minimum)",
        started.elapsed(),
        if requests == minimum { "==" } else { "!=" }
    );

    println!(
        "decode of one large bulk page (every employee's rows of the table in one body), best of 15:"
    );
    let mut variable = Vec::new();
    macro_rules! decode {
        ($($entry:ty => $table:ident),*) => {$(
            let (body, rows) = runtime.block_on(large_page(&client, EmployeeTable::$table));
            decode_line::<$entry>(concat!("BulkPage<", stringify!($entry), ">"), &body, rows);
            if EmployeeTable::$table == EmployeeTable::VariablePay {
                variable = body;
            }
        )*};
    }
    decode!(
        WorkEntry => Work,
        VariableEntry => VariablePay,
        EquityEntry => Equities,
        DeductionEntry => Deduction,
        DependentEntry => Dependents
    );
    variable
}

/// One table's bulk read by value, typed by its row type.
async fn bulk_of(client: &Client, table: EmployeeTable) -> (usize, usize) {
    match table {
        EmployeeTable::Lifecycle => bulk::<LifecycleEntry>(client).await,
        EmployeeTable::Employment => bulk::<EmploymentEntry>(client).await,
        EmployeeTable::Work => bulk::<WorkEntry>(client).await,
        EmployeeTable::Salaries => bulk::<SalaryEntry>(client).await,
        EmployeeTable::VariablePay => bulk::<VariableEntry>(client).await,
        EmployeeTable::Equities => bulk::<EquityEntry>(client).await,
        EmployeeTable::Deduction => bulk::<DeductionEntry>(client).await,
        EmployeeTable::Entitlement => bulk::<EntitlementEntry>(client).await,
        EmployeeTable::Dependents => bulk::<DependentEntry>(client).await,
        EmployeeTable::RightToWork => bulk::<RightToWorkEntry>(client).await,
        other => panic!("{other} has no bulk read"),
    }
}

fn tables(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let started = Instant::now();
    let fake = runtime.block_on(FakeHibob::builder().employees(EMPLOYEES).seed(11).start());
    println!(
        "fake of {EMPLOYEES} employees started in {:.2?}",
        started.elapsed()
    );
    let variable = report(&runtime, &fake);
    let client = client(&fake);
    let mut group = c.benchmark_group("tables");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("bulk 10 tables x 5000 employees", |b| {
        b.to_async(&runtime).iter(|| bulk_all(&client));
    });
    group.throughput(Throughput::Bytes(variable.len() as u64));
    group.bench_function("decode variable page typed", |b| {
        b.iter(|| typed::<VariableEntry>(&variable))
    });
    group.bench_function("decode variable page Value", |b| {
        b.iter(|| value(&variable))
    });
    group.finish();
}

criterion_group!(benches, tables);
criterion_main!(benches);
