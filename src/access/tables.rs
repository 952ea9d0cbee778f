//! The table probes: one bulk page per history table for the sampled
//! employees, read as full history, current row only, or inconclusive; and,
//! with [`AccessCheck::every_table`](super::AccessCheck::every_table), every
//! other built-in table once.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures::StreamExt;

use super::findings::{Probe, not_checked, stop};
use super::report::{GROUP, view_histories_fix};
use super::{Finding, FindingKind, Severity};
use crate::models::EmployeeId;
use crate::tables::{AnyEntry, BulkRequest, EmployeeTable, HistoryTable, Table, history_hidden};
use crate::{Client, Error};

/// Most custom tables [`AccessCheck::every_table`](super::AccessCheck::every_table)
/// probes; any more are reported as not checked.
pub const MAX_CUSTOM_TABLES: usize = 10;

/// Most requests [`AccessCheck::every_table`](super::AccessCheck::every_table)
/// adds to the check (before retries of 429 and 5xx answers): one per
/// built-in table (less those the default check already probed), the
/// custom-table metadata, and one per custom table up to
/// [`MAX_CUSTOM_TABLES`].
pub const TABLE_REQUESTS: u64 = EmployeeTable::ALL.len() as u64 + 1 + MAX_CUSTOM_TABLES as u64;

/// What the default check sampled, for the table probes.
#[derive(Debug, Default)]
pub(super) struct Sampled {
    /// The sampled employees (empty: the check stopped before sampling).
    pub(super) ids: Vec<EmployeeId>,
    /// Their start dates, where visible.
    pub(super) start_dates: HashMap<EmployeeId, NaiveDate>,
    /// The bulk page size for the sample.
    pub(super) limit: u32,
}

/// One history table's probe as a finding (full history, current row only,
/// inconclusive, 403 or 404), and the sampled employees the page listed as
/// outside the audience. Other errors are the caller's.
pub(super) async fn history_probe(
    client: &Client,
    table: HistoryTable,
    sampled: &Sampled,
) -> Result<(Finding, Vec<EmployeeId>), Error> {
    match probe_table(client, table, sampled).await {
        Ok(probe) => Ok((history_finding(table, &probe), probe.inaccessible)),
        Err(Error::PermissionDenied { .. }) => Ok((
            Finding::new(
                FindingKind::HistoryDenied,
                Severity::Error,
                format!(
                    "{}: HiBob answered 403; the permission group may not view this table",
                    table.label()
                ),
            )
            .with_table(table)
            .with_fix(view_histories_fix(table.category_name())),
            Vec::new(),
        )),
        Err(Error::NotFound { .. }) => Ok((
            not_checked(&format!(
                "{}: not checked, HiBob answered 404 (is the module part of the account?)",
                table.label()
            ))
            .with_table(table),
            Vec::new(),
        )),
        Err(e) => Err(e),
    }
}

/// Probes every built-in table the default check did not (`probed`): a
/// history table as the default check does, a table with a bulk read with
/// one bulk page for the sample, training and bank accounts with one
/// sampled employee's rows. Skipped, with one not-checked finding, when the
/// check stopped before it had a sample.
pub(super) async fn every_table(
    client: &Client,
    findings: &mut Vec<Finding>,
    sampled: &Sampled,
    probed: &[HistoryTable],
) -> Result<(), Error> {
    let Some(first) = sampled.ids.first() else {
        findings.push(not_checked(
            "Every table: not checked, the check stopped before it sampled employees (see above)",
        ));
        return Ok(());
    };
    for table in EmployeeTable::ALL {
        let outcome = match table.history_table() {
            Some(history) if probed.contains(&history) => continue,
            Some(history) => history_probe(client, history, sampled)
                .await
                .map(|(finding, _)| finding),
            None if table.bulk_read() => {
                let read = first_page_rows(client.tables().bulk_of(table), sampled).await;
                table_finding(table, read, "in bulk")
            }
            None => {
                let read = client.tables().rows_of(table, first).await;
                table_finding(table, read.map(|t| t.rows.len()), "per employee")
            }
        };
        match outcome {
            Ok(finding) => findings.push(finding),
            Err(e) => return stop(e, findings, Probe::Table),
        }
    }
    custom_tables(client, findings, sampled).await
}

/// The custom tables: their metadata once, then one bulk page each for the
/// sample. A 403 names the table's own category (the library finds it in
/// the metadata just read).
async fn custom_tables(
    client: &Client,
    findings: &mut Vec<Finding>,
    sampled: &Sampled,
) -> Result<(), Error> {
    let tables = match client.custom_tables().metadata().await {
        Ok(tables) => tables,
        Err(Error::PermissionDenied { .. }) => {
            findings.push(not_checked(
                "Custom tables: not checked, their metadata (GET /people/custom-tables/metadata) answered 403",
            ));
            return Ok(());
        }
        Err(Error::NotFound { .. }) => {
            findings.push(not_checked(
                "Custom tables: not checked, their metadata answered 404 (is the module part of the account?)",
            ));
            return Ok(());
        }
        Err(e) => return stop(e, findings, Probe::Table),
    };
    for table in tables.iter().take(MAX_CUSTOM_TABLES) {
        let name = format!(
            "{} (custom table {})",
            table.name.as_deref().unwrap_or("Custom table"),
            table.id
        );
        let request = client.custom_tables().bulk(&table.id);
        let mut pages = request
            .employees(sampled.ids.iter().cloned())
            .limit(sampled.limit)
            .pages();
        let read = match pages.next().await {
            Some(page) => page.map(|p| p.results.iter().map(|e| e.rows.len()).sum::<usize>()),
            None => Ok(0),
        };
        let finding = match read {
            Ok(rows) => Finding::new(
                FindingKind::TableVisible,
                Severity::Ok,
                format!("{name}: readable in bulk ({rows} row(s) for the sampled employees)"),
            ),
            Err(Error::PermissionDenied { hint, .. }) => Finding::new(
                FindingKind::TableDenied,
                Severity::Error,
                format!(
                    "{name}: HiBob answered 403; the permission group may not view the table's category"
                ),
            )
            .with_fix(match hint {
                Some(hint) => format!("{GROUP} > {hint}"),
                None => format!("{GROUP} > People's Data > People's fields > the table's category > View"),
            }),
            Err(Error::NotFound { .. }) => not_checked(&format!(
                "{name}: not checked, HiBob answered 404"
            )),
            Err(e) => return stop(e, findings, Probe::Table),
        };
        findings.push(Finding {
            custom_table: Some(table.id.clone()),
            ..finding
        });
    }
    if tables.len() > MAX_CUSTOM_TABLES {
        findings.push(not_checked(&format!(
            "Custom tables: {} more not checked (the check probes at most {MAX_CUSTOM_TABLES})",
            tables.len() - MAX_CUSTOM_TABLES
        )));
    }
    Ok(())
}

/// The rows on the first bulk page for the sample.
async fn first_page_rows(
    request: BulkRequest<AnyEntry>,
    sampled: &Sampled,
) -> Result<usize, Error> {
    let mut pages = request
        .employees(sampled.ids.iter().cloned())
        .limit(sampled.limit)
        .pages();
    match pages.next().await {
        Some(page) => Ok(page?.results.iter().map(|e| e.rows.len()).sum()),
        None => Ok(0),
    }
}

/// Reads the first bulk page of a history table for the sample.
async fn probe_table(
    client: &Client,
    table: HistoryTable,
    sampled: &Sampled,
) -> Result<TableProbe, Error> {
    let history = client.tables();
    let (ids, limit, dates) = (&sampled.ids, sampled.limit, &sampled.start_dates);
    match table {
        HistoryTable::Lifecycle => probe(history.bulk_lifecycle(), ids, limit, dates).await,
        HistoryTable::Employment => probe(history.bulk_employment(), ids, limit, dates).await,
        HistoryTable::Work => probe(history.bulk_work(), ids, limit, dates).await,
        HistoryTable::Salaries => probe(history.bulk_salaries(), ids, limit, dates).await,
    }
}

/// A table that is not a history table: readable, 403 (the permission in
/// Bob's words, the table's category named), or 404 (not checked).
fn table_finding(
    table: EmployeeTable,
    read: Result<usize, Error>,
    how: &str,
) -> Result<Finding, Error> {
    let name = format!("{} ({})", table.label(), table.as_str());
    let finding = match read {
        Ok(rows) => Finding::new(
            FindingKind::TableVisible,
            Severity::Ok,
            format!("{name}: readable {how} ({rows} row(s) for the sampled employees)"),
        ),
        Err(Error::PermissionDenied { .. }) => Finding::new(
            FindingKind::TableDenied,
            Severity::Error,
            format!(
                "{name}: HiBob answered 403; the permission group may not view this table (category {})",
                table.category_name()
            ),
        )
        .with_fix(format!("{GROUP} > {}", table.read_permission())),
        Err(Error::NotFound { .. }) => not_checked(&format!(
            "{name}: not checked, HiBob answered 404 (is the module part of the account?)"
        )),
        Err(e) => return Err(e),
    };
    Ok(finding.with_employee_table(table))
}

/// What one bulk page says about a table.
#[derive(Debug, Default)]
pub(super) struct TableProbe {
    /// Per employee: rows returned, and whether rows before the current one
    /// are hidden (`None`: start date unknown, or rows cut by the page end).
    employees: Vec<(usize, Option<bool>)>,
    /// Sampled employees the page listed under `errors`, each once.
    pub(super) inaccessible: Vec<EmployeeId>,
}

async fn probe<E: Table>(
    request: BulkRequest<E>,
    sample: &[EmployeeId],
    limit: u32,
    start_dates: &HashMap<EmployeeId, NaiveDate>,
) -> Result<TableProbe, Error> {
    let mut pages = request
        .employees(sample.iter().cloned())
        .limit(limit)
        .pages();
    let page = match pages.next().await {
        Some(page) => page?,
        None => return Ok(TableProbe::default()),
    };
    // Only the first page is read; its last employee may continue on the next.
    let cut = page.next_cursor.is_some();
    let last = page.results.len().saturating_sub(1);
    let employees = page
        .results
        .iter()
        .enumerate()
        .map(|(i, rows)| {
            let complete = !(cut && i == last);
            let hidden = start_dates
                .get(&rows.employee_id)
                .filter(|_| complete)
                .map(|start| history_hidden(&rows.rows, *start));
            (rows.rows.len(), hidden)
        })
        .collect();
    // Only sampled employees count: an error keyed by anything else (HiBob's
    // OpenAPI draws the key as the literal `employeeId`) says nothing about
    // the sample, and counting it once reported "3 of 2" outside the audience.
    let mut inaccessible: Vec<EmployeeId> = Vec::new();
    for id in page.errors.into_iter().filter_map(|e| e.employee_id) {
        if sample.contains(&id) && !inaccessible.contains(&id) {
            inaccessible.push(id);
        }
    }
    Ok(TableProbe {
        employees,
        inaccessible,
    })
}

/// Full history, current row only, or inconclusive, from one page: any
/// employee with several rows proves histories are visible; an employee
/// whose only row starts after their start date proves they are not.
pub(super) fn history_finding(table: HistoryTable, probe: &TableProbe) -> Finding {
    let label = table.label();
    if probe.employees.iter().any(|(rows, _)| *rows > 1) {
        return Finding::new(
            FindingKind::FullHistory,
            Severity::Ok,
            format!("{label}: full histories are visible"),
        )
        .with_table(table);
    }
    let judged = probe.employees.iter().filter(|(_, h)| h.is_some()).count();
    let hidden = probe
        .employees
        .iter()
        .filter(|(_, h)| *h == Some(true))
        .count();
    if hidden > 0 {
        return Finding::new(
            FindingKind::CurrentRowOnly,
            Severity::Warning,
            format!(
                "{label}: only the current row is visible ({hidden} of {judged} sampled employees have earlier rows that were not returned)"
            ),
        )
        .with_table(table)
        .with_fix(view_histories_fix(table.category_name()));
    }
    let why = if probe.employees.is_empty() {
        "no sampled employee has rows"
    } else if judged == 0 {
        "every sampled employee has one row and their start dates (work.startDate) are withheld"
    } else {
        "every sampled employee has one row, starting on their start date"
    };
    Finding::new(
        FindingKind::HistoryUnknown,
        Severity::Info,
        format!("{label}: cannot tell whether full histories are visible: {why}"),
    )
    .with_table(table)
    .with_fix(view_histories_fix(table.category_name()))
}
