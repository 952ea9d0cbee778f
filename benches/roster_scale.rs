//! The roster sync at 20,000 employees, as processes: `fake_server` serves
//! the company with 20 ms latency, and `roster_sync` runs beside a naive
//! baseline, a small program (the `--baseline` mode of this bench) that sends
//! one unbatched `POST /people/search` with plain reqwest and decodes it into
//! `serde_json::Value`. Each client gets a fresh fake, so the fake's request
//! count is that client's.
//!
//! Printed for both, from one run: requests, wall time, CPU time (user +
//! system, from `/proc/<pid>/stat` read while the process is a zombie, at
//! 100 ticks a second) and peak RSS (`VmHWM` from `/proc/<pid>/status`,
//! polled every 2 ms until the process exits).
//!
//! Targets: roster_sync ≤ 4 requests, wall ≤ 1.1 × the baseline's, peak RSS
//! ≤ 0.5 × the baseline's, CPU ≤ the baseline's.
//!
//! The examples must be built first (a bench cannot run cargo while cargo
//! holds the build directory):
//!
//! ```sh
//! cargo build --release --all-features --example fake_server --example roster_sync
//! cargo bench --bench roster_scale
//! ```
//!
//! Linux only (`/proc`); elsewhere, and when the examples are missing, it
//! says so and exits.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EMPLOYEES: usize = 20_000;
const LATENCY_MS: u64 = 20;

/// What one client process used.
struct Usage {
    wall: Duration,
    cpu: Duration,
    peak_rss_kib: u64,
    requests: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--baseline") {
        return baseline(&args[at + 1..]);
    }
    if !args.iter().any(|a| a == "--bench") {
        return; // `cargo test --benches`: nothing to check without the examples
    }
    let examples = examples_dir();
    let (fake, roster) = (examples.join("fake_server"), examples.join("roster_sync"));
    if !Path::new("/proc/self/stat").exists() || !fake.exists() || !roster.exists() {
        println!(
            "roster_scale: needs Linux and the release examples; run\n  cargo build --release --all-features --example fake_server --example roster_sync"
        );
        return;
    }
    let out = tempfile::tempdir().expect("temporary directory");
    let output = out.path().join("roster.csv");
    let ours = with_fake(&fake, |env| {
        let mut command = Command::new(&roster);
        command
            .args(["--output", output.to_str().expect("UTF-8 path")])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command
    });
    let naive = with_fake(&fake, |env| {
        let mut command = Command::new(std::env::current_exe().expect("this bench"));
        command.arg("--baseline");
        command.args(env.iter().map(|(_, v)| v.as_str()));
        command
    });
    // Records, not lines: a quoted field may hold a newline.
    let rows = csv::Reader::from_path(&output).map_or(0, |mut csv| csv.records().count());
    report(rows, &ours, &naive);
}

fn report(rows: usize, ours: &Usage, naive: &Usage) {
    println!(
        "roster at {EMPLOYEES} employees, fake_server in its own process with {LATENCY_MS} ms latency ({rows} rows written)"
    );
    let line = |name: &str, u: &Usage| {
        println!(
            "  {name:<28} {:>2} requests  wall {:6.2} s  CPU {:6.2} s  peak RSS {:7.1} MiB",
            u.requests,
            u.wall.as_secs_f64(),
            u.cpu.as_secs_f64(),
            u.peak_rss_kib as f64 / 1024.0
        );
    };
    line("roster_sync", ours);
    line("naive (reqwest + Value)", naive);
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    println!(
        "  roster_sync / naive: wall x{:.2} (target <= 1.1), CPU x{:.2} (<= 1.0), peak RSS x{:.2} (<= 0.5); requests {} (<= 4)",
        ratio(ours.wall.as_secs_f64(), naive.wall.as_secs_f64()),
        ratio(ours.cpu.as_secs_f64(), naive.cpu.as_secs_f64()),
        ratio(ours.peak_rss_kib as f64, naive.peak_rss_kib as f64),
        ours.requests
    );
}

/// Starts a fresh fake, runs the client `build` makes against it, stops the
/// fake and reads how many requests it served.
fn with_fake(fake: &Path, build: impl FnOnce(&[(String, String)]) -> Command) -> Usage {
    let log = tempfile::NamedTempFile::new().expect("fake log");
    let mut server = Command::new(fake)
        .args(["--employees", &EMPLOYEES.to_string()])
        .args(["--latency-ms", &LATENCY_MS.to_string()])
        .stdout(Stdio::piped())
        .stderr(log.reopen().expect("fake log"))
        .spawn()
        .expect("fake_server starts");
    let env = read_env(&mut server);
    let mut usage = measure(build(&env));
    stop(&mut server);
    let served = std::fs::read_to_string(log.path()).unwrap_or_default();
    usage.requests = served
        .split("stopping after ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    usage
}

/// The `HIBOB_*=…` lines fake_server prints first.
fn read_env(server: &mut Child) -> Vec<(String, String)> {
    let stdout = server.stdout.take().expect("piped stdout");
    BufReader::new(stdout)
        .lines()
        .take(3)
        .map(|line| {
            let line = line.expect("fake_server output");
            let (key, value) = line.split_once('=').expect("KEY=value");
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

/// SIGTERM (fake_server stops gracefully and prints its request count).
fn stop(server: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
}

/// Runs `command` to completion, sampling its peak RSS and, once it has
/// exited (a zombie, not yet reaped), its CPU time.
fn measure(mut command: Command) -> Usage {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("client starts");
    let (stat, status) = (proc_file(&child, "stat"), proc_file(&child, "status"));
    let (mut peak_rss_kib, mut cpu) = (0, Duration::ZERO);
    while let Ok(fields) = std::fs::read_to_string(&stat) {
        // Fields after the command name: state, …, utime (12th), stime (13th).
        let after = fields.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|t| t.parse::<u64>().ok())
                .unwrap_or(0)
        };
        cpu = Duration::from_millis((ticks(11) + ticks(12)) * 10);
        if fields.first() == Some(&"Z") {
            break;
        }
        if let Some(kib) = vm_hwm(&status) {
            peak_rss_kib = peak_rss_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let exit = child.wait().expect("client exits");
    assert!(exit.success(), "{command:?} failed: {exit}");
    Usage {
        wall: started.elapsed(),
        cpu,
        peak_rss_kib,
        requests: 0,
    }
}

fn proc_file(child: &Child, name: &str) -> PathBuf {
    PathBuf::from(format!("/proc/{}/{name}", child.id()))
}

fn vm_hwm(status: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `target/release/examples`, next to this bench's `deps` directory.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("this bench");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    profile.join("examples")
}

/// The naive client: one unbatched search of everyone with the roster's
/// fields, plain reqwest, the whole body decoded into `serde_json::Value`.
fn baseline(env: &[String]) {
    let [base, id, token] = env else {
        panic!("--baseline BASE_URL ID TOKEN");
    };
    let roster = hibob::field::ROSTER;
    let fields: Vec<&str> = roster.iter().map(|f| f.as_str()).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let employees = runtime.block_on(async {
        let body = serde_json::json!({"fields": fields, "showInactive": true});
        let answer = hibob::__private::http_client_builder()
            .expect("TLS setup")
            .build()
            .expect("reqwest client")
            .post(format!("{base}/people/search"))
            .basic_auth(id, Some(token))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&body).expect("JSON body"))
            .send()
            .await
            .expect("search answered");
        let bytes = answer.bytes().await.expect("body");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        value["employees"].as_array().map_or(0, Vec::len)
    });
    assert!(employees > 0, "the baseline read nobody");
}
