//! The history-table probe: one bulk page per table for the sampled
//! employees, read as full history, current row only, or inconclusive.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures::StreamExt;

use super::report::view_histories_fix;
use super::{Finding, FindingKind, Severity};
use crate::models::EmployeeId;
use crate::tables::{BulkRequest, HistoryTable, Table, history_hidden};
use crate::{Client, Error};

/// Reads the first bulk page of `table` for the sample.
pub(super) async fn probe_table(
    client: &Client,
    table: HistoryTable,
    sample: &[EmployeeId],
    limit: u32,
    start_dates: &HashMap<EmployeeId, NaiveDate>,
) -> Result<TableProbe, Error> {
    let history = client.tables();
    match table {
        HistoryTable::Lifecycle => {
            probe(history.bulk_lifecycle(), sample, limit, start_dates).await
        }
        HistoryTable::Employment => {
            probe(history.bulk_employment(), sample, limit, start_dates).await
        }
        HistoryTable::Work => probe(history.bulk_work(), sample, limit, start_dates).await,
        HistoryTable::Salaries => probe(history.bulk_salaries(), sample, limit, start_dates).await,
    }
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
