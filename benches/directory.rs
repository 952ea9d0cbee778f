//! Directory sync at 50,000 users: building a snapshot from its people
//! search body, and diffing two snapshots with 1 % of the users changed.
//!
//! Both search bodies are generated in code (deterministic), in HiBob's
//! shape for a directory read: the root names and e-mail, `work` (title,
//! department, site name and ID, manager with `reportsTo`, start date,
//! employee number, a custom hierarchical "team" list field and a custom
//! cost-centre text field) and `internal` (status, lifecycle status,
//! termination date), each non-null value repeated under its slash key as
//! HiBob sends it. The labels name 40 departments, 150 titles, 12 sites and
//! a three-level team list (6 tribes > 4 squads > 3 crews); the snapshot's
//! groups are departments, sites and teams, and the cost centre is an extra
//! field. Managers form an 8-ary tree (depth 6); 2 % of the users are
//! terminated and a few are future hires.
//!
//! The second body changes 1 % of the users (500): 150 e-mails, 100 titles,
//! 100 department moves, 100 manager changes, 20 terminations, 15 leavers
//! (gone from the body) and 15 joiners; its labels rename one department.
//!
//! Printed from one run, besides criterion's timings:
//! - the best time of decoding the body the way the client does
//!   (`serde_path_to_error` over `serde_json::Deserializer::from_slice`) and
//!   building the snapshot, and of the diff; target: diff < 1/10 of
//!   decode + build;
//! - the heap one snapshot keeps (live bytes after building it minus
//!   before) and the diff's extra peak heap (peak during the diff minus the
//!   live bytes before it, its result included), measured with a counting
//!   global allocator; target: diff extra peak ≤ one snapshot.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::Criterion;
use hibob::FieldId;
use hibob::directory::{Diff, Snapshot, diff};
use hibob::field;
use hibob::metadata::{FieldMeta, Labels, NamedList};
use hibob::people::{Employee, PeopleSearchResponse};
use serde_json::{Value, json};

#[path = "support/counting.rs"]
#[allow(dead_code)] // `throughput` is for the decode benches
mod counting;

use counting::{Counting, LIVE, PEAK};

#[global_allocator]
static GLOBAL: Counting = Counting;

const USERS: usize = 50_000;
const TEAM: &str = "work.custom.field_1700000000001";
const COST_CENTRE: &str = "work.custom.field_1698036945383";
const DEPARTMENTS: usize = 40;
const TITLES: usize = 150;
const SITES: [&str; 12] = [
    "London",
    "New York",
    "Tel Aviv",
    "Berlin",
    "Paris",
    "Madrid",
    "Lisbon",
    "Dublin",
    "Toronto",
    "Sydney",
    "Singapore",
    "Remote",
];
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

/// A small deterministic mixer, so the bodies vary without a `rand` dependency.
fn mix(i: usize, salt: usize) -> usize {
    let x = (i as u64 ^ (salt as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 31)) as usize
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Employed,
    Terminated,
    FutureHire,
}

/// What one generated employee holds; rendered to HiBob's JSON by [`render`].
#[derive(Debug, Clone)]
struct Person {
    index: usize,
    email: String,
    title: usize,
    department: usize,
    site: usize,
    team: String,
    manager: Option<usize>,
    status: Status,
    present: bool,
}

fn user_id(index: usize) -> String {
    format!("{}", 3_332_883_884_017_700_000_u64 + index as u64)
}

fn department_id(k: usize) -> String {
    format!("{}", 209_192_100 + k)
}

fn title_id(k: usize) -> String {
    format!("{}", 210_011_900 + k)
}

fn site_id(k: usize) -> u64 {
    2_606_110 + k as u64
}

/// The team list item of `(tribe, squad, crew)`; `crew` `None` is the squad.
fn team_id(tribe: usize, squad: Option<usize>, crew: Option<usize>) -> String {
    let mut id = format!("team-{tribe}");
    if let Some(squad) = squad {
        id.push_str(&format!("-{squad}"));
    }
    if let Some(crew) = crew {
        id.push_str(&format!("-{crew}"));
    }
    id
}

fn person(index: usize, users: usize) -> Person {
    let (first, last) = (FIRST[index % 8], LAST[(index / 8) % 8]);
    let status = match mix(index, 1) % 100 {
        0 | 1 => Status::Terminated,
        2 if mix(index, 2) % 4 == 0 => Status::FutureHire,
        _ => Status::Employed,
    };
    let (tribe, squad, crew) = (mix(index, 3) % 6, mix(index, 4) % 4, mix(index, 5) % 3);
    let team = team_id(
        tribe,
        Some(squad),
        (mix(index, 6) % 10 != 0).then_some(crew),
    );
    Person {
        index,
        email: format!(
            "{}.{}{index}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        title: mix(index, 7) % TITLES,
        department: mix(index, 8) % DEPARTMENTS,
        site: mix(index, 9) % SITES.len(),
        team,
        manager: (index > 0).then(|| (index - 1) / 8).filter(|m| *m < users),
        status,
        present: true,
    }
}

/// One employee the way HiBob sends it for a directory read.
fn render(p: &Person, people: &[Person]) -> Value {
    let i = p.index;
    let (first, last) = (FIRST[i % 8], LAST[(i / 8) % 8]);
    let manager = p.manager.map(|m| {
        let boss = &people[m];
        json!({ "id": user_id(m), "firstName": FIRST[m % 8], "surname": LAST[(m / 8) % 8],
                "email": boss.email, "displayName": format!("{} {}", FIRST[m % 8], LAST[(m / 8) % 8]) })
    });
    let (status, lifecycle, terminated, start) = match p.status {
        Status::Employed => ("Active", "employed", Value::Null, "2019-03-04"),
        Status::Terminated => ("Inactive", "terminated", json!("2026-11-30"), "2018-01-08"),
        Status::FutureHire => ("Inactive", "hired", Value::Null, "2027-02-01"),
    };
    let mut e = json!({
        "id": user_id(i), "firstName": first, "surname": last, "email": p.email,
        "displayName": format!("{first} {last}"),
        "work": {
            "title": title_id(p.title), "department": department_id(p.department),
            "site": SITES[p.site], "siteId": site_id(p.site), "startDate": start,
            "manager": p.manager.map(user_id), "reportsTo": manager,
            "employeeIdInCompany": 1000 + i,
            "custom": { "field_1700000000001": p.team, "field_1698036945383": format!("CC-{}", i % 50) }
        },
        "internal": { "status": status, "lifecycleStatus": lifecycle, "terminationDate": terminated }
    });
    add_slash_keys(&mut e);
    e
}

/// Adds `"/cat/field": {"value": x}` for every non-null value, as HiBob does.
fn add_slash_keys(e: &mut Value) {
    let obj = e.as_object().expect("object").clone();
    let out = e.as_object_mut().expect("object");
    for (k, v) in &obj {
        match v {
            Value::Object(fields) => {
                for (f, fv) in fields.iter().filter(|(_, fv)| !fv.is_null()) {
                    match fv {
                        Value::Object(inner) if f == "custom" => {
                            for (g, gv) in inner {
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

fn search_body(people: &[Person]) -> Vec<u8> {
    let employees: Vec<Value> = people
        .iter()
        .filter(|p| p.present)
        .map(|p| render(p, people))
        .collect();
    let mut body = serde_json::to_vec(&json!({ "employees": employees })).expect("serializable");
    body.shrink_to_fit(); // a received body is allocated at its exact size
    body
}

/// How many users each kind of change touches (1 % of 50,000 in all).
const CHANGES: [(Change, usize); 7] = [
    (Change::Email, 150),
    (Change::Title, 100),
    (Change::Department, 100),
    (Change::Manager, 100),
    (Change::Termination, 20),
    (Change::Leaver, 15),
    (Change::Joiner, 15),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    Email,
    Title,
    Department,
    Manager,
    Termination,
    Leaver,
    Joiner,
}

/// The people of the next read: `CHANGES` (scaled to `users`) applied to
/// distinct employed users spread over the company. Leavers have no
/// reports; a new manager always has a lower index, so no cycle appears.
fn changed(people: &[Person]) -> Vec<Person> {
    let users = people.len();
    let mut next = people.to_vec();
    let mut candidates = (0..users)
        .map(|k| (k * 7919 + 13) % users)
        .filter(|&i| i > 0 && people[i].status == Status::Employed);
    let managers = users.div_ceil(8);
    for (change, count) in CHANGES {
        for n in 0..(count * users).div_ceil(USERS) {
            if change == Change::Joiner {
                let mut joiner = person(users + n, users + n + 1);
                joiner.manager = Some(mix(n, 10) % managers);
                next.push(joiner);
                continue;
            }
            let i = candidates
                .by_ref()
                .find(|&i| change != Change::Leaver || i >= managers)
                .expect("enough candidates");
            let p = &mut next[i];
            match change {
                Change::Email => p.email = format!("renamed.{i}@example.org"),
                Change::Title => p.title = (p.title + 1) % TITLES,
                Change::Department => p.department = (p.department + 1) % DEPARTMENTS,
                Change::Manager => {
                    let m = p.manager.expect("a manager");
                    p.manager = Some(if m + 1 < i {
                        m + 1
                    } else {
                        m.saturating_sub(1)
                    });
                }
                Change::Termination => p.status = Status::Terminated,
                Change::Leaver => p.present = false,
                Change::Joiner => unreachable!(),
            }
        }
    }
    next
}

/// Fields metadata for what a directory read asks for, and the named lists;
/// `renamed` relabels department 0.
fn labels(renamed: bool) -> Labels {
    let meta = |id: &str, path: &str, kind: &str, list: Option<&str>| -> FieldMeta {
        serde_json::from_value(json!({
            "id": id, "jsonPath": path, "type": kind, "typeData": {"listId": list},
            "categoryId": id.split('.').next(), "name": id.rsplit('.').next(),
        }))
        .expect("field metadata")
    };
    let fields = vec![
        meta("root.id", "id", "text", None),
        meta("root.email", "email", "text", None),
        meta("root.firstName", "firstName", "text", None),
        meta("root.surname", "surname", "text", None),
        meta("root.displayName", "displayName", "text", None),
        meta("work.title", "work.title", "list", Some("title")),
        meta(
            "work.department",
            "work.department",
            "list",
            Some("department"),
        ),
        meta("work.site", "work.site", "text", None),
        meta("work.siteId", "work.siteId", "list_id", Some("site")),
        meta("work.manager", "work.manager", "employee-reference", None),
        meta(
            "work.reportsTo",
            "work.reportsTo",
            "employee-reference",
            None,
        ),
        meta("work.startDate", "work.startDate", "date", None),
        meta(
            "work.employeeIdInCompany",
            "work.employeeIdInCompany",
            "number",
            None,
        ),
        meta(TEAM, TEAM, "hierarchy-list", Some("team")),
        meta(COST_CENTRE, COST_CENTRE, "text", None),
        meta("internal.status", "internal.status", "text", None),
        meta(
            "internal.lifecycleStatus",
            "internal.lifecycleStatus",
            "list",
            Some("lifecycle"),
        ),
        meta(
            "internal.terminationDate",
            "internal.terminationDate",
            "date",
            None,
        ),
    ];
    let department = |k: usize| match (k, renamed) {
        (0, false) => "Sales".to_owned(),
        (0, true) => "Revenue".to_owned(),
        _ => format!("Department {k}"),
    };
    let flat = |name: &str, items: Vec<Value>| json!({"name": name, "items": items});
    let lists = vec![
        flat(
            "department",
            (0..DEPARTMENTS)
                .map(|k| json!({"id": department_id(k), "name": department(k)}))
                .collect(),
        ),
        flat(
            "title",
            (0..TITLES)
                .map(|k| json!({"id": title_id(k), "name": format!("Title {k}")}))
                .collect(),
        ),
        flat(
            "site",
            SITES
                .iter()
                .enumerate()
                .map(|(k, name)| json!({"id": site_id(k), "name": name}))
                .collect(),
        ),
        flat("team", (0..6).map(tribe).collect()),
        flat(
            "lifecycle",
            ["employed", "hired", "terminated"]
                .iter()
                .map(|s| json!({"id": s, "name": s}))
                .collect(),
        ),
    ];
    let lists: Vec<NamedList> = lists
        .into_iter()
        .map(|list| serde_json::from_value(list).expect("named list"))
        .collect();
    Labels::new(fields, lists)
}

/// One tribe of the team list: 4 squads of 3 crews.
fn tribe(t: usize) -> Value {
    let crews = |s: usize| -> Vec<Value> {
        (0..3)
            .map(|c| json!({"id": team_id(t, Some(s), Some(c)), "name": format!("Crew {t}.{s}.{c}")}))
            .collect()
    };
    let squads: Vec<Value> = (0..4)
        .map(|s| json!({"id": team_id(t, Some(s), None), "name": format!("Squad {t}.{s}"), "children": crews(s)}))
        .collect();
    json!({"id": team_id(t, None, None), "name": format!("Tribe {t}"), "children": squads})
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, 6, 0, 0).unwrap()
}

/// Decodes `body` as the client does and builds its snapshot.
fn snapshot(body: &[u8], labels: &Labels, read_at: DateTime<Utc>) -> Snapshot {
    build(decode(body), labels, read_at)
}

fn decode(body: &[u8]) -> Vec<Employee> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    let people: PeopleSearchResponse = serde_path_to_error::deserialize(de).expect("decodes");
    people.employees
}

fn build(employees: Vec<Employee>, labels: &Labels, read_at: DateTime<Utc>) -> Snapshot {
    Snapshot::builder(employees, labels, read_at)
        .group_fields([field::DEPARTMENT, field::SITE, FieldId::custom(TEAM)])
        .extra_fields([FieldId::custom(COST_CENTRE)])
        .build()
}

/// The fastest of `runs` snapshot builds alone, each from a fresh decode
/// done outside the clock.
fn best_build(runs: usize, body: &[u8], labels: &Labels) -> Duration {
    (0..runs)
        .map(|_| {
            let employees = decode(body);
            let start = Instant::now();
            black_box(build(employees, labels, at(1)));
            start.elapsed()
        })
        .min()
        .expect("runs > 0")
}

/// The fastest of `runs` calls of `f`, and its last result.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut fastest = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let value = black_box(f());
        fastest = fastest.min(start.elapsed());
        out = Some(value);
    }
    (fastest, out.expect("runs > 0"))
}

/// Live heap bytes `f`'s result keeps, and `f`'s peak heap beyond the
/// live bytes before it.
fn heap<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let value = f();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let kept = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    (value, kept, peak)
}

fn counts(changes: &Diff) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for event in &changes.events {
        *counts.entry(event.kind.type_name()).or_default() += 1;
    }
    counts
}

/// Checks the diff saw the changes that were made (scaled to `users`).
fn check(counts: &BTreeMap<&'static str, usize>, users: usize) {
    let scaled = |n: usize| (n * users).div_ceil(USERS);
    let of = |kind: &str| counts.get(kind).copied().unwrap_or(0);
    assert_eq!(of("group.renamed"), 1, "{counts:?}");
    assert_eq!(of("user.created"), scaled(15), "{counts:?}");
    assert_eq!(of("user.removed"), scaled(15), "{counts:?}");
    assert_eq!(of("user.deactivated"), scaled(20), "{counts:?}");
    assert_eq!(of("user.manager_changed"), scaled(100), "{counts:?}");
    // E-mail, title, department, manager (its e-mail too) and status; a
    // manager's new e-mail also updates their reports' `manager_email`.
    let updated = scaled(150) + scaled(100) * 3 + scaled(20);
    assert!(of("user.updated") >= updated, "{counts:?}");
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let (users, runs) = if benching { (USERS, 3) } else { (400, 1) };
    let people: Vec<Person> = (0..users).map(|i| person(i, users)).collect();
    let next = changed(&people);
    let (before_body, after_body) = (search_body(&people), search_body(&next));
    drop((people, next));
    let (old_labels, new_labels) = (labels(false), labels(true));

    let (previous, snapshot_heap, build_peak) = heap(|| snapshot(&before_body, &old_labels, at(1)));
    let current = snapshot(&after_body, &new_labels, at(2));
    assert_eq!(previous.users.len(), users);
    assert!(previous.findings.is_empty(), "{:?}", previous.findings);
    let (changes, diff_kept, diff_peak) = heap(|| diff(&previous, &current).expect("diffs"));
    let counts = counts(&changes);
    check(&counts, users);
    drop(changes);

    let (build_time, _) = best(runs, || snapshot(&before_body, &old_labels, at(1)));
    let snapshot_only = best_build(runs, &before_body, &old_labels);
    let (diff_time, changes) = best(runs * 3, || diff(&previous, &current).expect("diffs"));
    let time_ratio = diff_time.as_secs_f64() / build_time.as_secs_f64();
    let heap_ratio = diff_peak as f64 / snapshot_heap as f64;
    println!(
        "directory: {users} users, search body {:.1} MB, {} groups; next read: 1 % changed, {} events {counts:?}",
        mb(before_body.len()),
        previous.groups.len(),
        changes.events.len()
    );
    println!(
        "  build (decode + snapshot)  {:8.1} ms  snapshot heap {:.1} MB (build peak {:.1} MB, body {:.1} MB)",
        build_time.as_secs_f64() * 1e3,
        mb(snapshot_heap),
        mb(build_peak),
        mb(before_body.len())
    );
    println!(
        "    of which Snapshot::build {:8.1} ms (decode outside the clock)",
        snapshot_only.as_secs_f64() * 1e3
    );
    println!(
        "  diff                       {:8.1} ms  x{time_ratio:.4} of build (target < 0.1); x{:.4} of Snapshot::build alone",
        diff_time.as_secs_f64() * 1e3,
        diff_time.as_secs_f64() / snapshot_only.as_secs_f64()
    );
    println!(
        "  diff extra peak heap {:.2} MB = x{heap_ratio:.4} of one snapshot (target <= 1; result {:.2} MB)",
        mb(diff_peak),
        mb(diff_kept)
    );
    eprintln!(
        "directory summary: build {:.1} ms, diff {:.2} ms ({time_ratio:.4} x build, target < 0.1); diff extra peak {:.2} MB vs snapshot {:.1} MB ({heap_ratio:.4} x, target <= 1)",
        build_time.as_secs_f64() * 1e3,
        diff_time.as_secs_f64() * 1e3,
        mb(diff_peak),
        mb(snapshot_heap)
    );
    if !benching {
        return; // `cargo test --benches`: the generator and the diff agree, that is enough
    }

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("directory_50k");
    group.bench_function("build_from_search_body", |b| {
        b.iter(|| snapshot(&before_body, &old_labels, at(1)))
    });
    group.bench_function("diff_1pct_changed", |b| {
        b.iter(|| diff(&previous, &current).expect("diffs"))
    });
    group.finish();
    c.final_summary();
}
