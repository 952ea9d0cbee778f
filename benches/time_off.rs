//! Decoding large time-off answers: `GET /timeoff/whosout` and
//! `GET /timeoff/requests/changes`.
//!
//! Both bodies are generated in code (deterministic):
//!
//! - who's out for 5,000 employees over a month: each employee has 0 to 3
//!   absences, with the keys of the OpenAPI's `Request` (the ones that do not
//!   apply sent as `null`), a mix of `days` (with half-day portions),
//!   `portionOnRange`, `hourly` and `hoursOnRange` requests, and unknown keys on
//!   some entries;
//! - a changes feed of 50,000 entries with the keys of `TimeoffChange`.
//!
//! Besides criterion's timings, the bench prints the throughput of the typed
//! decode (`WhosOutResponse`, `ChangesResponse`) versus `serde_json::Value`
//! and each decode's peak heap relative to the body (body included),
//! measured with a counting global allocator.
//!
//! Targets: each typed decode ≥ 0.7 × the `Value` throughput.

use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use hibob::time_off::{ChangesResponse, WhosOutResponse};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[path = "support/counting.rs"]
mod counting;

use counting::{Counting, LIVE, PEAK, throughput};

#[global_allocator]
static GLOBAL: Counting = Counting;

const EMPLOYEES: usize = 5_000;
const CHANGES: usize = 50_000;

const NAMES: [&str; 8] = [
    "Alan Tullin",
    "Jane Smith",
    "Zoë O'Neil",
    "Omar Haddad",
    "Li Wei",
    "Marta Kowalska",
    "Kofi Mensah",
    "Ana-Sofía Núñez",
];
/// (policy type, its display name)
const POLICIES: [(&str, &str); 4] = [
    ("Holiday", "Holiday"),
    ("Sick", "Sick leave"),
    ("Work from home", "Working from home"),
    ("Parental", "Parental leave"),
];
const PORTIONS: [&str; 3] = ["all_day", "morning", "afternoon"];
const CHANGE_TYPES: [&str; 5] = ["Created", "Created", "Canceled", "Deleted", "Pending"];

/// A small deterministic mixer, so the bodies vary without a `rand` dependency.
fn mix(i: usize, salt: usize) -> usize {
    let x = (i as u64 ^ (salt as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 31)) as usize
}

fn employee_id(e: usize) -> String {
    format!("{}", 3_332_883_884_017_700_000_u64 + e as u64)
}

/// A day of November 2024 (30 days).
fn day(d: usize) -> String {
    format!("2024-11-{:02}", 1 + d % 30)
}

/// The part of a request that says how long it is, in who's-out spelling:
/// every key of the schema, `null` where it does not apply.
fn range_keys(n: usize) -> Value {
    let start = mix(n, 1) % 28;
    let len = mix(n, 2) % 5;
    let (sp, ep) = (PORTIONS[mix(n, 3) % 3], PORTIONS[mix(n, 4) % 3]);
    match mix(n, 5) % 10 {
        // hourly: one day, hours and minutes
        0 | 1 => json!({ "type": "hours", "startDate": null, "startPortion": null,
            "endDate": null, "endPortion": null, "dayPortion": null, "date": day(start),
            "hoursOnDate": 1 + mix(n, 6) % 7, "minutes": 15 * (mix(n, 7) % 4),
            "dailyHours": null }),
        2 => json!({ "type": "hoursOnRange", "startDate": day(start), "startPortion": null,
            "endDate": day(start + len), "endPortion": null, "dayPortion": null, "date": null,
            "hoursOnDate": null, "minutes": null, "dailyHours": 2.5 + (mix(n, 6) % 4) as f64 }),
        3 => json!({ "type": "portionOnRange", "startDate": day(start), "startPortion": null,
            "endDate": day(start + len), "endPortion": null,
            "dayPortion": PORTIONS[1 + mix(n, 6) % 2], "date": null, "hoursOnDate": null,
            "minutes": null, "dailyHours": null }),
        // whole days, with a partial first or last day now and then
        _ => json!({ "type": "days", "startDate": day(start), "startPortion": sp,
            "endDate": day(start + len), "endPortion": ep, "dayPortion": null, "date": null,
            "hoursOnDate": null, "minutes": null, "dailyHours": null }),
    }
}

fn absence(employee: usize, n: usize) -> Value {
    let (policy, display) = POLICIES[mix(n, 8) % 4];
    let mut out = range_keys(n);
    let keys = out.as_object_mut().expect("object");
    keys.insert("requestId".into(), json!(27_500_000 + n));
    keys.insert("employeeId".into(), json!(employee_id(employee)));
    keys.insert("employeeDisplayName".into(), json!(NAMES[employee % 8]));
    keys.insert("policyType".into(), json!(policy));
    keys.insert("policyTypeDisplayName".into(), json!(display));
    let status = if mix(n, 9) % 6 == 0 {
        "pending"
    } else {
        "approved"
    };
    keys.insert("status".into(), json!(status));
    let visibility = ["Public", "Public", "Private", "Custom name"][mix(n, 10) % 4];
    keys.insert("visibility".into(), json!(visibility));
    if mix(n, 11) % 7 == 0 {
        // keys this crate does not model
        keys.insert(
            "employeeEmail".into(),
            json!(format!("e{employee}@example.com")),
        );
        keys.insert(
            "approvedBy".into(),
            json!({ "id": employee_id(employee / 8 * 8) }),
        );
    }
    out
}

fn whos_out_body(employees: usize) -> Vec<u8> {
    let mut outs = Vec::new();
    for e in 0..employees {
        for k in 0..mix(e, 0) % 4 {
            outs.push(absence(e, e * 4 + k));
        }
    }
    to_body(&json!({ "outs": outs }))
}

fn change(n: usize) -> Value {
    let employee = mix(n, 12) % EMPLOYEES;
    let mut entry = absence(employee, n);
    let keys = entry.as_object_mut().expect("object");
    keys.remove("status");
    keys.remove("policyType");
    keys.remove("approvedBy");
    keys.remove("minutes");
    let hourly = keys["type"] == "hours" || keys["type"] == "hoursOnRange";
    let amount = 0.5 + (mix(n, 13) % 10) as f64 / 2.0;
    let change_type = CHANGE_TYPES[mix(n, 14) % 5];
    let replaced = mix(n, 15) % 5 == 0;
    let extra = json!({
        "changeType": change_type,
        "employeeEmail": format!("e{employee}@example.com"),
        "createdOn": format!("2024-10-{:02}T{:02}:{:02}:12.{:05}", 1 + n % 28, n % 24, n % 60, n % 99_991),
        "durationUnit": if hourly { "hours" } else { "days" },
        "totalDuration": amount,
        "totalCost": if mix(n, 16) % 3 == 0 { amount - 0.5 } else { amount },
        "changeReason": if change_type == "Created" { Value::Null } else { json!("Plans changed") },
        "originalRequestId": if replaced { json!(27_400_000 + n) } else { Value::Null },
        "previousRequestId": if replaced { json!(27_450_000 + n) } else { Value::Null },
    });
    keys.extend(extra.as_object().expect("object").clone());
    entry
}

fn changes_body(entries: usize) -> Vec<u8> {
    let changes: Vec<Value> = (0..entries).map(change).collect();
    to_body(&json!({ "changes": changes }))
}

fn to_body(value: &Value) -> Vec<u8> {
    let mut body = serde_json::to_vec(value).expect("serializable");
    body.shrink_to_fit(); // a received body is allocated at its exact size
    body
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> T {
    serde_json::from_slice(body).expect("decodes")
}

/// Peak heap during `decode` (body included) and the heap the decoded
/// value keeps, both as multiples of the body size.
fn peak_ratio<T>(body: &[u8], base: usize, decode: impl Fn(&[u8]) -> T) -> (f64, f64) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let decoded = decode(body);
    let peak = PEAK.load(Ordering::Relaxed);
    let kept = LIVE.load(Ordering::Relaxed) - before;
    drop(black_box(decoded));
    let len = body.len() as f64;
    ((peak - base) as f64 / len, kept as f64 / len)
}

/// Prints the `Value` line and the typed line for one body.
fn report<T: DeserializeOwned>(name: &str, body: &[u8], base: usize, runs: usize) {
    let value = throughput(body, runs, decode::<Value>);
    let typed = throughput(body, runs, decode::<T>);
    let line = |label: &str, mbs: f64, (peak, kept): (f64, f64), target: &str| {
        println!(
            "  {label:<18} {mbs:7.1} MB/s  x{:.2} of Value{target}  peak {peak:.2} x body  (decoded {kept:.2} x body)",
            mbs / value
        );
    };
    line(
        "serde_json::Value",
        value,
        peak_ratio(body, base, decode::<Value>),
        "",
    );
    line(
        name,
        typed,
        peak_ratio(body, base, decode::<T>),
        " (target >= 0.7)",
    );
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let base = LIVE.load(Ordering::Relaxed);
    let (employees, entries, runs) = if benching {
        (EMPLOYEES, CHANGES, 5)
    } else {
        (40, 200, 1)
    };

    let whos_out = whos_out_body(employees);
    let outs = decode::<WhosOutResponse>(&whos_out).outs;
    assert!(outs.iter().any(|o| o.hours_on_date.is_some()), "hourly");
    assert!(
        outs.iter().any(|o| !o.extra.is_empty()),
        "unknown keys kept"
    );
    let mb = whos_out.len() as f64 / 1e6;
    println!(
        "whos-out body: {employees} employees over a month, {} absences, {mb:.1} MB",
        outs.len()
    );
    drop(outs);
    report::<WhosOutResponse>("WhosOutResponse", &whos_out, base, runs);

    let changes = changes_body(entries);
    let decoded = decode::<ChangesResponse>(&changes).changes;
    assert_eq!(decoded.len(), entries);
    assert!(decoded.iter().all(|c| c.created_on.is_some()), "dates read");
    drop(decoded);
    let mb = changes.len() as f64 / 1e6;
    println!("changes body: {entries} entries, {mb:.1} MB");
    report::<ChangesResponse>("ChangesResponse", &changes, base, runs);
    if !benching {
        return; // `cargo test --benches`: the decoders work, that is enough
    }

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    let mut group = c.benchmark_group("whos_out_5k");
    group.throughput(Throughput::Bytes(whos_out.len() as u64));
    group.bench_function("typed", |b| b.iter(|| decode::<WhosOutResponse>(&whos_out)));
    group.bench_function("value", |b| b.iter(|| decode::<Value>(&whos_out)));
    group.finish();
    let mut group = c.benchmark_group("changes_50k");
    group.throughput(Throughput::Bytes(changes.len() as u64));
    group.bench_function("typed", |b| b.iter(|| decode::<ChangesResponse>(&changes)));
    group.bench_function("value", |b| b.iter(|| decode::<Value>(&changes)));
    group.finish();
    c.final_summary();
}
