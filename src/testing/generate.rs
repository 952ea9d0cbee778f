//! Deterministic generation of a [`Company`] from a seed.

use chrono::{NaiveDate, TimeDelta};
use serde_json::json;

use super::company::{Company, ListItem, ListRef, NamedList, TruthEmployee, fix_rows};
use super::lists::lists;
use super::store::{Store, take_tables};

/// SplitMix64: tiny, fast, good enough, and identical on every platform.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A float in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Alan",
    "Jane",
    "José",
    "Zoë",
    "François",
    "Łukasz",
    "Søren",
    "Björn",
    "Chloé",
    "Nguyễn Văn",
    "Aoife",
    "Siobhán",
    "伟",
    "芳",
    "さくら",
    "محمد",
    "فاطمة",
    "יעל",
    "דוד",
    "Maria",
    "Ahmed",
    "Priya",
    "Olga",
    "Kenji",
    "Emma",
    "Noah",
    "Liam",
    "Ana-Lucía",
    "D'Arcy",
    "Mary-Jane",
];
const SURNAMES: &[&str] = &[
    "Tullin",
    "Smith",
    "García",
    "Müller",
    "O'Brien",
    "Ødegaard",
    "Dvořák",
    "Nowak",
    "Kowalska",
    "王",
    "李",
    "佐藤",
    "الحسيني",
    "بن علي",
    "כהן",
    "לוי",
    "D'Angelo",
    "Van der Berg",
    "Nguyễn",
    "Johnson",
    "Brown",
    "Tanaka",
    "Ivanova",
    "Patel",
    "St. John",
    "Ní Bhriain",
    "Łęcki",
];
/// The one name that breaks naive CSV writers: a comma, a double quote and a newline.
pub(crate) const CSV_BREAKER_SURNAME: &str = "van \"Vinnie\" Dyke,\nJr.";

const CURRENCIES: &[&str] = &["GBP", "USD", "ILS", "EUR", "JPY", "EUR"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Employed,
    Leave,
    Terminated,
    FutureHire,
    Rehire,
}

fn pick_item(rng: &mut Rng, list: &NamedList, archived_p: f64) -> ListRef {
    let archived = rng.chance(archived_p);
    let pool: Vec<&ListItem> = list
        .items
        .iter()
        .filter(|i| i.archived == archived)
        .collect();
    let pool = if pool.is_empty() {
        list.items.iter().collect()
    } else {
        pool
    };
    let item = pool[rng.below(pool.len() as u64) as usize];
    ListRef {
        id: item.id.clone(),
        label: item.label.clone(),
        archived: item.archived,
    }
}

fn ascii_local(name: &str) -> Option<String> {
    let s: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    (!s.is_empty() && name.is_ascii()).then_some(s)
}

fn days(n: u64) -> TimeDelta {
    TimeDelta::days(n as i64)
}

/// `k` distinct sorted dates strictly between `from` and `to`.
fn dates_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate, k: usize) -> Vec<NaiveDate> {
    let span = (to - from).num_days();
    if span < 2 {
        return Vec::new();
    }
    let mut out: Vec<NaiveDate> = (0..k)
        .map(|_| from + days(1 + rng.below(span as u64 - 1)))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Generates a company of `n` employees (at least one, the CEO). Each
/// employee's history goes into its stored form as soon as it is made, so the
/// company never exists as `Value` rows all at once.
pub(crate) fn generate(n: usize, seed: u64, today: NaiveDate) -> Store {
    let n = n.max(1);
    let mut rng = Rng::new(seed);
    let lists = lists();
    let id_base = 3_000_000_000_000_000_000_u64 + (rng.below(300_000) * 1_000_000_000_000);
    let mut company = Company {
        today,
        employees: Vec::with_capacity(n),
        lists,
        admin_id: String::new(),
        time_off: Default::default(),
    };
    let mut roles = Vec::with_capacity(n);
    let mut tables = Vec::with_capacity(n);
    // Its own sequence too (see `generate_tables.rs`).
    let mut tables_rng = Rng::new(seed ^ 0x7AB1_E500);
    // A generated employee's rows take about 7 KB of text.
    let mut text = Vec::with_capacity(n * 7_500);
    for i in 0..n {
        let role = match i {
            0 => Role::Employed,
            _ if n >= 12 && i == n - 1 => Role::FutureHire,
            _ if n >= 12 && i == n - 2 => Role::Terminated,
            3 if n >= 12 => Role::Leave,
            4 if n >= 12 => Role::Rehire,
            _ => match rng.below(1000) {
                0..80 => Role::Terminated,
                80..100 => Role::FutureHire,
                100..140 => Role::Leave,
                140..170 => Role::Rehire,
                _ => Role::Employed,
            },
        };
        roles.push(role);
        let id = (id_base + i as u64 * 7_919 + rng.below(7_919)).to_string();
        if i == 0 {
            company.admin_id = id.clone();
        }
        let mut emp = generate_one(&mut rng, &company, &roles, i, id);
        let admin = company.employees.first().unwrap_or(&emp);
        let change = json!({
            "reason": null, "changedBy": admin.display_name, "changedById": admin.id,
        });
        super::generate_tables::fill(&mut tables_rng, &mut emp, today, &change);
        for table in super::Table::ALL {
            fix_rows(emp.history_mut(table), today);
        }
        tables.push(take_tables(&mut emp, &mut text));
        company.employees.push(emp);
    }
    // Its own sequence, so adding time off left the rest of the company as it was.
    let mut time_off_rng = Rng::new(seed ^ 0x7100_0FF5);
    company.time_off = super::generate_time_off::generate(
        &mut time_off_rng,
        &company.employees,
        company.lists.get("site"),
        today,
    );
    Store::assemble(company, tables, text)
}

fn generate_one(rng: &mut Rng, c: &Company, roles: &[Role], i: usize, id: String) -> TruthEmployee {
    let today = c.today;
    let role = roles[i];
    let first_name = rng.pick(FIRST_NAMES).to_string();
    let surname = if i == 2 {
        CSV_BREAKER_SURNAME.to_string()
    } else {
        rng.pick(SURNAMES).to_string()
    };
    let local = match (ascii_local(&first_name), ascii_local(&surname)) {
        (Some(f), Some(s)) => format!("{f}.{s}{i}"),
        _ => format!("employee{i}"),
    };
    let email = if i % 7 == 5 {
        format!("{local}+hr@example.com")
    } else {
        format!("{local}@example.com")
    };
    let display_name = format!("{first_name} {surname}");

    // Dates.
    let (first_start, start_date, termination) = match role {
        _ if i == 0 => (today - days(3650), today - days(3650), None),
        Role::FutureHire => {
            let s = today + days(7 + rng.below(60));
            (s, s, None)
        }
        Role::Terminated => {
            let s = today - days(200 + rng.below(2300));
            let t = s + days(90 + rng.below(((today - s).num_days() - 91) as u64));
            (s, s, Some(t))
        }
        Role::Rehire => {
            let s0 = today - days(1500 + rng.below(1000));
            let t1 = s0 + days(200 + rng.below(400));
            let s1 = t1 + days(100 + rng.below(300));
            (s0, s1, Some(t1))
        }
        _ => {
            let s = today - days(30 + rng.below(2500));
            (s, s, None)
        }
    };
    let created = first_start.min(today) - days(14);
    let creation_date_time = format!(
        "{}T{:02}:{:02}:{:02}.{:06}",
        created,
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.below(1_000_000)
    );

    // Current work fields.
    let archived_p = if role == Role::Terminated { 0.25 } else { 0.03 };
    let title = if i == 0 {
        Some(pick_first(c, "title"))
    } else {
        (!rng.chance(0.05)).then(|| pick_title(rng, c, archived_p))
    };
    let department = if i == 0 {
        Some(pick_first(c, "department"))
    } else {
        (!rng.chance(0.04)).then(|| pick_item(rng, &c.lists["department"], archived_p))
    };
    let site = (!rng.chance(0.03)).then(|| pick_item(rng, &c.lists["site"], archived_p / 2.0));
    let manager = if i == 0 || rng.chance(0.02) {
        None
    } else {
        // An earlier employee who is not a former employee or a future hire, else the CEO.
        (0..5)
            .map(|_| rng.below(i as u64) as usize)
            .find(|j| matches!(roles[*j], Role::Employed | Role::Leave | Role::Rehire))
            .or(Some(0))
    };
    let manager_ref = manager.map(|j| &c.employees[j]);
    let (lifecycle_status, internal_status) = match role {
        Role::Employed | Role::Rehire => ("employed", "Active"),
        Role::Leave => ("leave", "Active"),
        Role::Terminated => ("terminated", "Inactive"),
        Role::FutureHire => ("hired", "Inactive"),
    };
    let termination_date = if role == Role::Terminated {
        termination
    } else {
        None
    };
    let termination_reason = termination_date
        .is_some()
        .then(|| pick_item(rng, &c.lists["terminationreason"], 0.2));

    let mut emp = TruthEmployee {
        id,
        employee_id_in_company: (!rng.chance(0.05)).then_some(1000 + i as i64),
        email,
        first_name,
        surname,
        display_name,
        creation_date_time,
        title,
        department,
        site: site.as_ref().map(|s| s.label.clone()),
        site_id: site.as_ref().and_then(|s| s.id.parse().ok()),
        manager_id: manager_ref.map(|m| m.id.clone()),
        manager_email: manager_ref.map(|m| m.email.clone()),
        lifecycle_status: lifecycle_status.into(),
        internal_status: internal_status.into(),
        start_date,
        termination_date,
        termination_reason: termination_reason.clone(),
        about: rng
            .chance(0.3)
            .then(|| "Likes hiking ⛰️, coffee ☕ and \"quotes\"".to_string()),
        cost_center: (!rng.chance(0.1)).then(|| format!("CC-{:03}", rng.below(40))),
        work_model: (!rng.chance(0.1)).then(|| pick_item(rng, &c.lists["workModel"], 0.05)),
        badge_number: rng
            .chance(0.8)
            .then(|| format!("B{:06}", rng.below(1_000_000))),
        lifecycle_history: Vec::new(),
        employment_history: Vec::new(),
        work_history: Vec::new(),
        salary_history: Vec::new(),
        other_tables: Default::default(),
    };

    // Lifecycle history.
    let mut lc = Vec::new();
    let reason = termination_reason.as_ref().map(|r| r.label.as_str());
    match role {
        Role::FutureHire => {
            lc.push(c.lifecycle_row(created, "hired", None, None));
            lc.push(c.lifecycle_row(start_date, "employed", None, None));
        }
        Role::Rehire => {
            let t1 = termination.expect("rehire has a first termination");
            lc.push(c.lifecycle_row(first_start, "employed", None, None));
            lc.push(c.lifecycle_row(t1, "terminated", Some("Resignation"), Some("Voluntary")));
            lc.push(c.lifecycle_row(start_date, "employed", Some("Rehire"), None));
        }
        Role::Terminated => {
            lc.push(c.lifecycle_row(first_start, "employed", None, None));
            let t = termination.expect("terminated has a date");
            lc.push(c.lifecycle_row(t, "terminated", reason, Some("Voluntary")));
        }
        Role::Leave => {
            lc.push(c.lifecycle_row(first_start, "employed", None, None));
            let from = (today - days(5 + rng.below(60))).max(first_start + days(1));
            lc.push(c.lifecycle_row(from, "leave", None, None));
        }
        Role::Employed => {
            lc.push(c.lifecycle_row(first_start, "employed", None, None));
            if i > 0 && rng.chance(0.12) {
                for d in dates_between(rng, first_start, today, 2).windows(2) {
                    lc.push(c.lifecycle_row(d[0], "leave", None, None));
                    lc.push(c.lifecycle_row(d[1], "employed", Some("Back from leave"), None));
                }
            }
        }
    }
    emp.lifecycle_history = lc;

    // Work history: earlier rows with other values, then the current row.
    let last_day = termination_date.unwrap_or(today);
    let extra = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3][rng.below(10) as usize];
    let mut dates = vec![first_start];
    if role != Role::FutureHire {
        dates.extend(dates_between(rng, first_start, last_day.min(today), extra));
    }
    if let (Role::Rehire, Some(t1)) = (role, termination) {
        // No work changes while the employee was gone; the re-hire opens a new row.
        dates.retain(|d| *d <= t1 || *d > start_date);
        dates.push(start_date);
        dates.sort();
    }
    let mut work = Vec::new();
    for (k, d) in dates.iter().enumerate() {
        let kind = if k == 0 { "New Employee" } else { "Promotion" };
        let mut row = c.work_row_with(&emp, manager_ref, *d, kind);
        if k + 1 < dates.len() {
            let t = pick_title(rng, c, 0.3);
            let dep = pick_item(rng, &c.lists["department"], 0.3);
            row["title"] = json!(t.id);
            row["department"] = json!(dep.id);
            row["workChangeType"] = json!(if k == 0 { "New Employee" } else { "Transfer" });
        }
        if role == Role::Rehire && *d == start_date {
            row["workChangeType"] = json!("Rehire");
        }
        work.push(row);
    }
    if matches!(role, Role::Employed | Role::Leave) && i > 0 && rng.chance(0.03) {
        // A scheduled change: future-dated, not current.
        let mut row = c.work_row_with(
            &emp,
            manager_ref,
            today + days(10 + rng.below(30)),
            "Transfer",
        );
        row["department"] = json!(pick_item(rng, &c.lists["department"], 0.0).id);
        work.push(row);
    }
    emp.work_history = work;

    // Employment history.
    let k = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3][rng.below(10) as usize];
    let mut dates = vec![first_start];
    if role != Role::FutureHire {
        dates.extend(dates_between(rng, first_start, last_day.min(today), k));
    }
    emp.employment_history = dates
        .iter()
        .map(|d| {
            let (contract, hours) = *rng.pick(&[
                ("Full time", 40.0),
                ("Full time", 40.0),
                ("Full time", 37.5),
                ("Part time", 20.0),
                ("Contractor", 30.0),
            ]);
            c.employment_row(*d, contract, hours)
        })
        .collect();

    // Salary history: raises over time.
    let k = [0, 1, 1, 1, 2, 2, 2, 3][rng.below(8) as usize];
    let mut dates = vec![first_start];
    if role != Role::FutureHire {
        dates.extend(dates_between(rng, first_start, last_day.min(today), k));
    }
    let currency = emp
        .site_id
        .map_or("USD", |s| CURRENCIES[(s as usize) % CURRENCIES.len()]);
    let mut amount = 35_000 + rng.below(90) as i64 * 1_000;
    emp.salary_history = dates
        .iter()
        .map(|d| {
            let row = c.salary_row(*d, amount, currency);
            amount += amount * (3 + rng.below(8) as i64) / 100;
            row
        })
        .collect();
    emp
}

fn pick_first(c: &Company, list: &str) -> ListRef {
    let item = &c.lists[list].items[0];
    ListRef {
        id: item.id.clone(),
        label: item.label.clone(),
        archived: item.archived,
    }
}

/// Any title but the first ("Chief Executive Officer", reserved for the CEO).
fn pick_title(rng: &mut Rng, c: &Company, archived_p: f64) -> ListRef {
    loop {
        let t = pick_item(rng, &c.lists["title"], archived_p);
        if t.id != c.lists["title"].items[0].id {
            return t;
        }
    }
}
