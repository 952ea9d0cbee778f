//! `--apply`: the plan carried out row by row, each create journaled from
//! just before it is sent until its outcome is known.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use hibob::people::NewEmployee;
use hibob::{Client, EmployeeId, Error, ErrorKind};

use super::cli::{Cli, Failure, Outcome, exists, lookup, row};
use super::journal::{self, Journal};
use super::plan::{Hire, Manager, Step};

/// Carries the plan out, row by row.
pub async fn apply(
    cli: &Cli,
    client: &Client,
    steps: Vec<Step>,
    journal: &mut Journal,
    out: &mut dyn Write,
) -> Result<Outcome, Failure> {
    let mut outcome = Outcome::default();
    let mut created: HashMap<String, EmployeeId> = HashMap::new();
    let window = Duration::from_secs(cli.lag_window);
    for step in steps {
        let (hire, manager) = match step {
            Step::Create { hire, manager } => (hire, manager),
            Step::Check {
                hire,
                manager,
                sent_at,
            } => {
                if let Some(id) = look_again(client, &hire.email, sent_at, window).await? {
                    journal.settle(&hire.email).map_err(Failure::Journal)?;
                    outcome.existing += 1;
                    row(
                        out,
                        hire.line,
                        "already exists",
                        &hire.email,
                        &exists(&id, true),
                    );
                    created.insert(hire.email.to_lowercase(), id);
                    continue;
                }
                (hire, manager)
            }
            Step::Exists {
                line,
                email,
                id,
                journaled,
            } => {
                journal.settle(&email).map_err(Failure::Journal)?;
                outcome.existing += 1;
                row(out, line, "already exists", &email, &exists(&id, journaled));
                continue;
            }
            Step::Invalid {
                line,
                email,
                reason,
            } => {
                outcome.invalid += 1;
                row(out, line, "invalid", &email, &reason);
                continue;
            }
        };
        let manager = match manager {
            Manager::None => None,
            Manager::Existing(id) => Some(id),
            Manager::NewHire(email) => match created.get(&email.to_lowercase()) {
                Some(id) => Some(id.clone()),
                None => {
                    outcome.refused += 1;
                    let why = format!("not sent: its manager {email} was not created");
                    row(out, hire.line, "skipped", &hire.email, &why);
                    continue;
                }
            },
        };
        if let Some(id) = create(cli, client, &hire, manager, journal, &mut outcome, out).await? {
            created.insert(hire.email.to_lowercase(), id);
        }
    }
    let _ = writeln!(
        out,
        "done: {} created, {} already existed, {} invalid, {} refused by HiBob, {} unknown{}",
        outcome.created,
        outcome.existing,
        outcome.invalid,
        outcome.refused,
        outcome.unknown,
        match outcome.unknown {
            0 => String::new(),
            _ => format!(
                " (kept in {}: run again to check them)",
                journal.path().display()
            ),
        }
    );
    Ok(outcome)
}

/// A journaled create: looked up by e-mail until it shows up or until
/// HiBob's read lag since it was sent is over.
async fn look_again(
    client: &Client,
    email: &str,
    sent_at: u64,
    window: Duration,
) -> Result<Option<EmployeeId>, Error> {
    let since = Duration::from_secs(journal::now().saturating_sub(sent_at));
    let deadline = tokio::time::Instant::now() + window.saturating_sub(since);
    let mut pause = Duration::from_millis(500);
    loop {
        let found = lookup(client, &[email.to_lowercase()]).await?;
        if let Some(id) = found.into_values().next() {
            return Ok(Some(id));
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(Duration::from_secs(4));
    }
}

/// Sends one create, journaled from just before it is sent until its
/// outcome is known. `Err` only for what stops the whole run.
async fn create(
    cli: &Cli,
    client: &Client,
    hire: &Hire,
    manager: Option<EmployeeId>,
    journal: &mut Journal,
    outcome: &mut Outcome,
    out: &mut dyn Write,
) -> Result<Option<EmployeeId>, Failure> {
    let new = new_employee(hire, manager);
    journal
        .record(&hire.email, hire.line)
        .map_err(Failure::Journal)?;
    let request = client.people().create(new);
    let result = match cli.verify {
        true => request
            .verify_within(Duration::from_secs(cli.lag_window))
            .await
            .map(|report| {
                let notes: Vec<String> =
                    report.mismatches.iter().map(ToString::to_string).collect();
                outcome.not_stored += notes.len();
                let read = report
                    .read_error
                    .as_ref()
                    .map(|e| format!("not verified: {e}"));
                (
                    report.value,
                    notes.into_iter().chain(read).collect::<Vec<_>>(),
                )
            }),
        false => request.await.map(|employee| (employee, Vec::new())),
    };
    match result {
        Ok((employee, notes)) => {
            journal.settle(&hire.email).map_err(Failure::Journal)?;
            outcome.created += 1;
            let id = employee.id().cloned();
            let mut detail = id
                .as_ref()
                .map_or("created".to_owned(), |id| format!("ID {id}"));
            if !notes.is_empty() {
                detail = format!("{detail}; not stored as sent: {}", notes.join("; "));
            }
            row(out, hire.line, "created", &hire.email, &detail);
            Ok(id)
        }
        Err(error @ Error::OutcomeUnknown { .. }) => {
            outcome.unknown += 1;
            let detail = format!("outcome unknown, kept in the journal: {error}");
            row(out, hire.line, "unknown", &hire.email, &detail);
            Ok(None)
        }
        Err(error) => {
            // HiBob answered (or nothing was sent): not applied.
            journal.settle(&hire.email).map_err(Failure::Journal)?;
            if matches!(error.kind(), ErrorKind::Credentials | ErrorKind::Permission) {
                return Err(Failure::Api(error));
            }
            outcome.refused += 1;
            row(out, hire.line, "refused", &hire.email, &error.to_string());
            Ok(None)
        }
    }
}

fn new_employee(hire: &Hire, manager: Option<EmployeeId>) -> NewEmployee {
    let mut new = NewEmployee::new(
        &hire.first_name,
        &hire.last_name,
        &hire.email,
        &hire.site,
        hire.start_date,
    );
    if let Some(title) = &hire.title {
        new = new.title(title);
    }
    if let Some(department) = &hire.department {
        new = new.department(department);
    }
    if let Some(manager) = manager {
        new = new.manager(manager);
    }
    if let Some(number) = hire.employee_id_in_company {
        new = new.field("work.employeeIdInCompany", number);
    }
    new
}
