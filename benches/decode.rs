//! Decoding a large `POST /people/search` body.
//!
//! The body is generated in code (deterministic): 20,000 employees with about
//! 40 fields each in HiBob's nested form, slash keys for every non-null value
//! (as HiBob really sends them), custom fields, a custom category, and a
//! `humanReadable` node on a third of them. Besides criterion's timings, the
//! bench prints the throughput of decoding into `PeopleSearchResponse` versus
//! `serde_json::Value`, and each decode's peak memory relative to the body size
//! (body included), measured with a counting global allocator.
//!
//! Targets: `Employee` decode ≥ 0.7 × the `Value` throughput, peak ≤ 3 × body.
//!
//! A second body, 100,000 employees with the 20 fields a roster reads, prices
//! the people stream's lazy decode (validate the body once, then decode and
//! drop one employee at a time): throughput against `Value` (target ≥ 0.8 ×)
//! and its extra peak heap beyond the body (target ≤ 0.5 × body).

use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use hibob::people::PeopleSearchResponse;
use serde_json::{Value, json};

#[path = "support/counting.rs"]
mod counting;

use counting::{Counting, LIVE, PEAK, throughput};

#[global_allocator]
static GLOBAL: Counting = Counting;

const EMPLOYEES: usize = 20_000;

const FIRST: [&str; 8] = [
    "Alan",
    "Jane",
    "Zoë",
    "Omar",
    "Li",
    "Marta",
    "Kofi",
    "Ana-Sofía",
];
const LAST: [&str; 8] = [
    "Tullin", "Smith", "O'Neil", "Haddad", "Wei", "Kowalska", "Mensah", "Núñez",
];
const SITES: [(&str, i64); 4] = [
    ("London (Demo)", 2606110),
    ("New York (Demo)", 2606111),
    ("Tel Aviv (Demo)", 2606112),
    ("Remote", 2606113),
];

/// One employee the way HiBob sends it with a ~40-field request.
fn employee(i: usize) -> Value {
    let id = format!("{}", 3_332_883_884_017_700_000_u64 + i as u64);
    let mgr = format!("{}", 3_332_883_884_017_700_000_u64 + (i / 8 * 8) as u64);
    let (first, last) = (FIRST[i % 8], LAST[(i / 8) % 8]);
    let email = format!(
        "{}.{}{}@example.com",
        first.to_lowercase(),
        last.to_lowercase(),
        i
    );
    let (site, site_id) = SITES[i % 4];
    let start = format!("20{:02}-{:02}-{:02}", 10 + i % 15, 1 + i % 12, 1 + i % 28);
    let active = i % 10 != 0;
    let title = format!("{}", 210_011_900 + i % 37);
    let dept = format!("{}", 209_192_100 + i % 23);
    let mut e = json!({
        "id": id, "firstName": first, "surname": last, "email": email,
        "displayName": format!("{first} {last}"), "fullName": format!("{first} {last}"),
        "secondName": if i % 5 == 0 { Value::from("Maria") } else { Value::Null },
        "creationDateTime": format!("2022-09-16T07:47:{:02}.{:06}", i % 60, i % 999_983),
        "companyId": 636192,
        "avatarUrl": format!("https://images.hibob.com/default-avatars/{}_{}.png", &first[..1], i % 10),
        "work": {
            "title": title, "department": dept, "site": site, "siteId": site_id,
            "startDate": start, "manager": mgr,
            "reportsTo": { "id": mgr, "firstName": "Jane", "surname": "Smith",
                           "email": "jane.smith@example.com", "displayName": "Jane Smith" },
            "employeeIdInCompany": 1000 + i, "isManager": i % 8 == 0,
            "tenureDuration": { "humanize": "3 years 2 months", "periodISO": "P3Y2M", "sortFactor": 1161 },
            "custom": {
                "field_1698036945383": format!("CC-{}", i % 50),
                "field_1698036951234": (i % 100) as f64 + 0.5,
                "field_1698036960001": null
            }
        },
        "internal": {
            "status": if active { "Active" } else { "Inactive" },
            "lifecycleStatus": if active { "employed" } else { "terminated" },
            "terminationDate": if active { Value::Null } else { Value::from("2024-03-31") },
            "terminationReason": if active { Value::Null } else { Value::from("225411981") },
            "periodSinceTermination": null
        },
        "about": {
            "hobbies": ["Cycling", "Chess"], "superpowers": [], "foodPreferences": ["Vegetarian"],
            "socialData": { "linkedin": format!("https://linkedin.com/in/e{i}"), "twitter": null, "facebook": null }
        },
        "personal": {
            "shortBirthDate": format!("{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "gender": if i % 2 == 0 { "Female" } else { "Male" },
            "nationality": ["British"], "pronouns": null
        },
        "payroll": { "employment": { "type": "Permanent", "contract": "Full time" } },
        "category_1720508362305": {
            "field_1720508415591": "Laptop", "field_1720508432876": i % 4,
            "field_1720508450112": "2024-07-09"
        }
    });
    add_slash_keys(&mut e);
    if i % 3 == 0 {
        e["humanReadable"] = json!({
            "id": e["id"], "email": e["email"], "firstName": first, "surname": last,
            "work": { "title": "Account Executive", "department": "Account Receivables",
                      "site": site, "siteId": site, "startDate": "10/10/2022",
                      "manager": "Jane Smith", "reportsTo": "Jane Smith" },
            "internal": { "status": e["internal"]["status"], "lifecycleStatus": "Employed" },
            "personal": { "shortBirthDate": "10 Aug", "gender": "Female" }
        });
    }
    e
}

/// Adds `"/cat/field": {"value": x}` for every non-null requested value.
fn add_slash_keys(e: &mut Value) {
    let obj = e.as_object().expect("object").clone();
    let out = e.as_object_mut().expect("object");
    for (k, v) in &obj {
        match v {
            Value::Object(fields) if k != "humanReadable" => {
                for (f, fv) in fields {
                    match fv {
                        Value::Null => {}
                        Value::Object(inner) if f == "custom" || f == "employment" => {
                            for (g, gv) in inner.iter().filter(|(_, gv)| !gv.is_null()) {
                                out.insert(format!("/{k}/{f}/{g}"), json!({ "value": gv }));
                            }
                        }
                        _ => {
                            out.insert(format!("/{k}/{f}"), json!({ "value": fv }));
                        }
                    }
                }
            }
            Value::Null => {}
            _ => {
                out.insert(format!("/root/{k}"), json!({ "value": v }));
            }
        }
    }
}

/// The 20 field paths a roster sync reads (`field::ROSTER` plus a custom field
/// and the slash keys HiBob adds for each), cut from the full generator.
const ROSTER_PATHS: [&str; 20] = [
    "id",
    "firstName",
    "surname",
    "email",
    "displayName",
    "work/title",
    "work/department",
    "work/site",
    "work/siteId",
    "work/startDate",
    "work/manager",
    "work/reportsTo",
    "work/employeeIdInCompany",
    "work/isManager",
    "work/custom",
    "internal/status",
    "internal/lifecycleStatus",
    "internal/terminationDate",
    "internal/terminationReason",
    "personal/shortBirthDate",
];

/// One employee as a roster search returns it: 20 fields, with slash keys.
fn roster_employee(i: usize) -> Value {
    let full = employee(i);
    let mut cut = json!({});
    for path in ROSTER_PATHS {
        let pointer = format!("/{path}");
        let Some(value) = full.pointer(&pointer) else {
            continue;
        };
        match path.split_once('/') {
            None => cut[path] = value.clone(),
            Some((category, name)) => {
                if cut.get(category).is_none() {
                    cut[category] = json!({});
                }
                cut[category][name] = value.clone();
            }
        }
    }
    add_slash_keys(&mut cut);
    cut
}

fn people_search_body(n: usize) -> Vec<u8> {
    search_body((0..n).map(employee))
}

fn search_body(employees: impl Iterator<Item = Value>) -> Vec<u8> {
    let employees: Vec<Value> = employees.collect();
    let mut body = serde_json::to_vec(&json!({ "employees": employees })).expect("serializable");
    body.shrink_to_fit(); // a received body is allocated at its exact size
    body
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

fn decode_employees(body: &[u8]) -> PeopleSearchResponse {
    serde_json::from_slice(body).expect("decodes")
}

fn decode_employees_with_path(body: &[u8]) -> PeopleSearchResponse {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).expect("decodes")
}

fn decode_value(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("decodes")
}

fn report(body: &[u8], employees: usize, base: usize, runs: usize) {
    let mb = body.len() as f64 / 1e6;
    let value = throughput(body, runs, decode_value);
    let typed = throughput(body, runs, decode_employees);
    let typed_path = throughput(body, runs, decode_employees_with_path);
    let mem_value = peak_ratio(body, base, decode_value);
    let mem_typed = peak_ratio(body, base, decode_employees);
    let mem_typed_path = peak_ratio(body, base, decode_employees_with_path);
    println!("people-search body: {employees} employees, {mb:.1} MB");
    let line = |name: &str, mbs: f64, (peak, kept): (f64, f64)| {
        println!(
            "  {name:<34} {mbs:7.1} MB/s  x{:.2} of Value  peak {peak:.2} x body  (decoded {kept:.2} x body)",
            mbs / value
        );
    };
    line("serde_json::Value", value, mem_value);
    line("PeopleSearchResponse (from_slice)", typed, mem_typed);
    line(
        "PeopleSearchResponse (path_to_error)",
        typed_path,
        mem_typed_path,
    );
}

/// Decodes `body` as the people stream does, keeping nothing.
fn stream_decode(body: &[u8]) -> usize {
    let mut emails = 0;
    let count = hibob::__private::stream_search_body(body.to_vec(), |employee| {
        emails += usize::from(employee.email().is_some());
    })
    .expect("decodes");
    assert_eq!(emails, count, "every employee has an e-mail");
    count
}

/// The stream's lazy decode against `Value` on a roster-shaped body. The
/// stream owns its body (as the transport hands it over), so each run copies
/// the body first; the copy is timed too, which only flatters `Value`, and
/// counted as the body in the memory figure, never as "extra".
fn report_stream(employees: usize, runs: usize) {
    let body = search_body((0..employees).map(roster_employee));
    let mb = body.len() as f64 / 1e6;
    let value = throughput(&body, runs, decode_value);
    let stream = throughput(&body, runs, stream_decode);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    black_box(stream_decode(&body));
    let extra = PEAK.load(Ordering::Relaxed) - before - body.len();
    println!("roster-shaped search body: {employees} employees x 20 fields, {mb:.1} MB");
    println!("  serde_json::Value                  {value:7.1} MB/s");
    println!(
        "  people stream (lazy, one at a time) {stream:7.1} MB/s  x{:.2} of Value (target >= 0.8)",
        stream / value
    );
    println!(
        "  people stream extra peak heap beyond its body: {:.1} MB = {:.3} x body (target <= 0.5)",
        extra as f64 / 1e6,
        extra as f64 / body.len() as f64
    );
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let base = LIVE.load(Ordering::Relaxed);
    let employees = if benching { EMPLOYEES } else { 200 };
    let body = people_search_body(employees);
    report(&body, employees, base, if benching { 5 } else { 1 });
    report_stream(
        if benching { 100_000 } else { 200 },
        if benching { 3 } else { 1 },
    );
    if !benching {
        return; // `cargo test --benches`: the decoders work, that is enough
    }

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    let mut group = c.benchmark_group("people_search_20k");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("employees_from_slice", |b| {
        b.iter(|| decode_employees(&body))
    });
    group.bench_function("employees_path_to_error", |b| {
        b.iter(|| decode_employees_with_path(&body))
    });
    group.bench_function("value_from_slice", |b| b.iter(|| decode_value(&body)));
    group.finish();
    c.final_summary();
}
