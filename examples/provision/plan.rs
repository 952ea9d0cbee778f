//! The CSV of new hires, each row checked, and the plan: what a run does
//! with each row given who already exists in HiBob and what the journal
//! holds.

use std::collections::HashMap;
use std::io::Read;

use hibob::EmployeeId;
use hibob::chrono::NaiveDate;
use serde::Deserialize;

use super::journal::Journal;

/// The columns a CSV must have.
pub const REQUIRED: [&str; 5] = ["email", "first_name", "last_name", "site", "start_date"];
/// The columns it may have.
pub const OPTIONAL: [&str; 4] = [
    "title",
    "department",
    "manager_email",
    "employee_id_in_company",
];

/// One CSV row as read; every cell optional until checked.
#[derive(Debug, Default, Deserialize)]
struct Cells {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    site: Option<String>,
    start_date: Option<String>,
    title: Option<String>,
    department: Option<String>,
    manager_email: Option<String>,
    employee_id_in_company: Option<String>,
}

/// A checked row.
#[derive(Debug, Clone, PartialEq)]
pub struct Hire {
    pub line: u64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub site: String,
    pub start_date: NaiveDate,
    pub title: Option<String>,
    pub department: Option<String>,
    pub manager_email: Option<String>,
    pub employee_id_in_company: Option<i64>,
}

/// A row, checked: a hire, or why it is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Valid(Hire),
    Invalid {
        line: u64,
        email: String,
        reason: String,
    },
}

/// Reads and checks every row; `Err` when the file is not a CSV with the
/// expected header.
pub fn read(input: impl Read) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = (reader.headers())
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .clone();
    check_header(&headers)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("cannot read the CSV: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = match record.deserialize::<Cells>(Some(&headers)) {
            Ok(cells) => check(line, cells),
            Err(e) => Row::Invalid {
                line,
                email: String::new(),
                reason: e.to_string(),
            },
        };
        rows.push(row);
    }
    Ok(rows)
}

fn check_header(headers: &csv::StringRecord) -> Result<(), String> {
    let missing: Vec<&str> = (REQUIRED.iter().copied())
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the CSV lacks the column(s) {}",
            missing.join(", ")
        ));
    }
    let known = |h: &str| REQUIRED.contains(&h) || OPTIONAL.contains(&h);
    if let Some(unknown) = headers.iter().find(|h| !known(h)) {
        return Err(format!(
            "unknown CSV column `{unknown}` (the columns are {}, {})",
            REQUIRED.join(", "),
            OPTIONAL.join(", ")
        ));
    }
    Ok(())
}

/// A cell's text, `None` when empty.
fn given(cell: Option<String>) -> Option<String> {
    cell.filter(|c| !c.is_empty())
}

fn check(line: u64, cells: Cells) -> Row {
    let email = given(cells.email.clone()).unwrap_or_default();
    match hire(line, cells) {
        Ok(hire) => Row::Valid(hire),
        Err(reason) => Row::Invalid {
            line,
            email,
            reason,
        },
    }
}

fn hire(line: u64, cells: Cells) -> Result<Hire, String> {
    let required = |cell: Option<String>, column: &str| {
        given(cell).ok_or_else(|| format!("{column} is empty"))
    };
    let email = required(cells.email, "email")?;
    check_email("email", &email)?;
    let start = required(cells.start_date, "start_date")?;
    let start_date = NaiveDate::parse_from_str(&start, "%Y-%m-%d")
        .map_err(|_| format!("start_date `{start}` is not a date as YYYY-MM-DD"))?;
    let manager_email = given(cells.manager_email);
    if let Some(manager) = &manager_email {
        check_email("manager_email", manager)?;
        if manager.eq_ignore_ascii_case(&email) {
            return Err("manager_email is the hire's own e-mail".to_owned());
        }
    }
    let employee_id_in_company = match given(cells.employee_id_in_company) {
        None => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| format!("employee_id_in_company `{text}` is not a whole number"))?,
        ),
    };
    Ok(Hire {
        line,
        email,
        first_name: required(cells.first_name, "first_name")?,
        last_name: required(cells.last_name, "last_name")?,
        site: required(cells.site, "site")?,
        start_date,
        title: given(cells.title),
        department: given(cells.department),
        manager_email,
        employee_id_in_company,
    })
}

/// The shape HiBob takes: something@domain.tld, no spaces.
fn check_email(column: &str, email: &str) -> Result<(), String> {
    let shaped = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    });
    if !shaped || email.contains(char::is_whitespace) {
        return Err(format!("{column} `{email}` is not an e-mail address"));
    }
    Ok(())
}

/// Who the hire reports to.
#[derive(Debug, Clone, PartialEq)]
pub enum Manager {
    None,
    /// Already in HiBob.
    Existing(EmployeeId),
    /// Created earlier in this run (an earlier row), by e-mail.
    NewHire(String),
}

/// What a run does with one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Create {
        hire: Hire,
        manager: Manager,
    },
    /// A create from an earlier run whose outcome is unknown and that is not
    /// visible yet: looked up again (through HiBob's read lag) before it is
    /// sent again.
    Check {
        hire: Hire,
        manager: Manager,
        sent_at: u64,
    },
    Exists {
        line: u64,
        email: String,
        id: EmployeeId,
        journaled: bool,
    },
    Invalid {
        line: u64,
        email: String,
        reason: String,
    },
}

/// Everyone's e-mail the plan needs looked up: hires and managers.
pub fn emails(rows: &[Row]) -> Vec<String> {
    let mut emails: Vec<String> = Vec::new();
    for row in rows {
        if let Row::Valid(hire) = row {
            // As written and lower-cased: HiBob's `equals` filter may be
            // case-sensitive, and its e-mails need not be lower-case.
            for email in std::iter::once(&hire.email).chain(&hire.manager_email) {
                emails.push(email.clone());
                emails.push(email.to_lowercase());
            }
        }
    }
    emails.sort();
    emails.dedup();
    emails
}

/// Whether any row (valid or not) has this e-mail.
pub fn mentions(rows: &[Row], email: &str) -> bool {
    rows.iter().any(|row| match row {
        Row::Valid(hire) => hire.email.eq_ignore_ascii_case(email),
        Row::Invalid { email: e, .. } => e.eq_ignore_ascii_case(email),
    })
}

/// The plan, in CSV order. `existing` maps lower-cased e-mails to IDs.
pub fn plan(
    rows: Vec<Row>,
    existing: &HashMap<String, EmployeeId>,
    journal: &Journal,
) -> Vec<Step> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut steps = Vec::new();
    for row in rows {
        let hire = match row {
            Row::Valid(hire) => hire,
            Row::Invalid {
                line,
                email,
                reason,
            } => {
                steps.push(Step::Invalid {
                    line,
                    email,
                    reason,
                });
                continue;
            }
        };
        let key = hire.email.to_lowercase();
        if let Some(first) = seen.get(&key) {
            let reason = format!("the e-mail is also on line {first}");
            steps.push(invalid(&hire, reason));
            continue;
        }
        seen.insert(key.clone(), hire.line);
        steps.push(step(hire, existing, journal, &steps));
    }
    steps
}

fn invalid(hire: &Hire, reason: String) -> Step {
    Step::Invalid {
        line: hire.line,
        email: hire.email.clone(),
        reason,
    }
}

fn step(
    hire: Hire,
    existing: &HashMap<String, EmployeeId>,
    journal: &Journal,
    earlier: &[Step],
) -> Step {
    let journaled = journal.find(&hire.email);
    if let Some(id) = existing.get(&hire.email.to_lowercase()) {
        return Step::Exists {
            line: hire.line,
            email: hire.email,
            id: id.clone(),
            journaled: journaled.is_some(),
        };
    }
    let manager = match manager(&hire, existing, earlier) {
        Ok(manager) => manager,
        Err(reason) => return invalid(&hire, reason),
    };
    match journaled {
        Some(entry) => Step::Check {
            sent_at: entry.sent_at,
            hire,
            manager,
        },
        None => Step::Create { hire, manager },
    }
}

fn manager(
    hire: &Hire,
    existing: &HashMap<String, EmployeeId>,
    earlier: &[Step],
) -> Result<Manager, String> {
    let Some(email) = &hire.manager_email else {
        return Ok(Manager::None);
    };
    if let Some(id) = existing.get(&email.to_lowercase()) {
        return Ok(Manager::Existing(id.clone()));
    }
    let planned = earlier.iter().any(|s| match s {
        Step::Create { hire, .. } | Step::Check { hire, .. } => {
            hire.email.eq_ignore_ascii_case(email)
        }
        _ => false,
    });
    match planned {
        true => Ok(Manager::NewHire(email.clone())),
        false => Err(format!(
            "manager_email {email} is neither in HiBob nor a hire on an earlier row"
        )),
    }
}
