//! What `FakeHibob` costs at 20,000 employees: start time, the time to serve
//! the roster search, and the process's peak RSS.
//!
//! The roster search is what `examples/roster_sync` sends: fields metadata,
//! named lists (archived items included), then one people search of everyone
//! with the roster's 16 fields and `showInactive`. The client here is plain
//! reqwest and never buffers the body (it counts bytes and employees chunk by
//! chunk), so the peak RSS is the fake's: the generated company plus whatever
//! one search costs it. The fake runs in this process, without latency.
//!
//! Targets (release build): started in ≤ 2 s, the search served in ≤ 1 s,
//! peak RSS ≤ 300 MiB after the search. Times are printed as wall time and as
//! the process's CPU time, which other processes on the machine do not inflate.
//!
//! Run with `cargo bench --bench fake`.

use std::time::{Duration, Instant};

use hibob::testing::FakeHibob;

const EMPLOYEES: usize = 20_000;

/// The roster's fields (`examples/roster_sync`'s column sources).
const ROSTER_FIELDS: [&str; 16] = [
    "root.id",
    "work.employeeIdInCompany",
    "root.email",
    "root.firstName",
    "root.surname",
    "root.displayName",
    "work.title",
    "work.department",
    "work.site",
    "work.siteId",
    "work.reportsTo",
    "work.manager",
    "internal.lifecycleStatus",
    "internal.status",
    "work.startDate",
    "internal.terminationDate",
];

/// Every employee object carries exactly one `root.id` slash key.
const EMPLOYEE_MARKER: &[u8] = b"\"/root/id\":";

/// A `/proc/self/status` line in MiB (`VmHWM` is the peak RSS), 0 off Linux.
fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// CPU time used by this process so far (user + system, all threads: the
/// fake's server thread included), from `/proc/self/stat`; zero off Linux.
/// Wall times on a shared machine wait on other processes, so the bench
/// prints both.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    // The kernel reports clock ticks, USER_HZ, which is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// Bytes and employees of one streamed response body.
#[derive(Default)]
struct BodyCount {
    bytes: usize,
    employees: usize,
    /// The last bytes of the previous chunk, so a marker split across chunks counts.
    carry: Vec<u8>,
}

impl BodyCount {
    fn feed(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len();
        let mut window = std::mem::take(&mut self.carry);
        window.extend_from_slice(chunk);
        self.employees += window
            .windows(EMPLOYEE_MARKER.len())
            .filter(|w| *w == EMPLOYEE_MARKER)
            .count();
        let keep = window.len().min(EMPLOYEE_MARKER.len() - 1);
        self.carry = window[window.len() - keep..].to_vec();
    }
}

async fn read(request: reqwest::RequestBuilder) -> BodyCount {
    let mut response = request.send().await.expect("the fake answers");
    assert_eq!(response.status(), 200, "the fake answers 200");
    let mut count = BodyCount::default();
    while let Some(chunk) = response.chunk().await.expect("the body arrives") {
        count.feed(&chunk);
    }
    count
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("fake HiBob, {EMPLOYEES} employees, release build, one process");
    let rss_before = status_mib("VmRSS");

    let (started, cpu_started) = (Instant::now(), cpu_time());
    let fake = FakeHibob::builder().employees(EMPLOYEES).start().await;
    let (start_time, start_cpu) = (started.elapsed(), cpu_time() - cpu_started);
    let rss_started = status_mib("VmHWM");

    let http = hibob::__private::http_client_builder()
        .expect("TLS setup")
        .build()
        .expect("reqwest client");
    let url = |path: &str| format!("{}{path}", fake.uri());
    let authed = |request: reqwest::RequestBuilder| {
        request.basic_auth(fake.service_user_id(), Some(fake.token()))
    };
    let fields = read(authed(http.get(url("/company/people/fields")))).await;
    let lists = read(authed(
        http.get(url("/company/named-lists?includeArchived=true")),
    ))
    .await;
    let body = serde_json::json!({ "fields": ROSTER_FIELDS, "showInactive": true }).to_string();
    let (search_started, cpu_search) = (Instant::now(), cpu_time());
    let search = read(
        authed(http.post(url("/people/search")))
            .header("content-type", "application/json")
            .body(body),
    )
    .await;
    let (serve_time, serve_cpu) = (search_started.elapsed(), cpu_time() - cpu_search);
    assert_eq!(search.employees, EMPLOYEES, "everyone is served");
    let rss_served = status_mib("VmHWM");

    println!(
        "start:              {} wall, {} CPU (target ≤ 2 s)",
        secs(start_time),
        secs(start_cpu)
    );
    println!(
        "search served:      {} wall, {} CPU (target ≤ 1 s), {:.1} MiB body, {} employees",
        secs(serve_time),
        secs(serve_cpu),
        search.bytes as f64 / 1_048_576.0,
        search.employees
    );
    println!(
        "fields + lists:     {} + {} bytes",
        fields.bytes, lists.bytes
    );
    println!("RSS before start:   {rss_before:.0} MiB");
    println!("peak RSS started:   {rss_started:.0} MiB");
    println!("peak RSS served:    {rss_served:.0} MiB (target ≤ 300 MiB)");
}
