//! Regrouping bulk rows per employee: HiBob's `limit` counts rows, so one
//! employee's rows may continue on the next page.

use std::collections::{HashSet, VecDeque};

use futures::stream::{self, BoxStream, StreamExt};

use crate::Error;
use crate::error::Operation;
use crate::models::EmployeeId;
use crate::models::tables::{BulkError, BulkPage, EmployeeRows, RestrictedColumns};

/// One item of a bulk history [`stream`](super::BulkRequest::stream).
///
/// ```
/// use futures::TryStreamExt;
/// use hibob::tables::BulkItem;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(6).start().await;
/// # let ids: Vec<String> = fake.truth().employees.iter().map(|e| e.id.clone()).collect();
/// # fake.knobs(|k| { k.audience_exclude([ids[1].clone()]); });
/// # let client = fake.client();
/// // Asking for employees by ID names the ones outside the audience.
/// let mut items = client.tables().bulk_employment().employees(&ids).stream();
/// let (mut readable, mut outside_audience) = (0, 0);
/// while let Some(item) = items.try_next().await? {
///     match item {
///         BulkItem::Employee(history) => readable += usize::from(!history.rows.is_empty()),
///         BulkItem::Inaccessible(error) => {
///             outside_audience += 1;
///             assert_eq!(error.code.as_deref(), Some("MISSING_PERMISSION"));
///         }
///         _ => {}
///     }
/// }
/// assert_eq!((readable, outside_audience), (5, 1));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BulkItem<E> {
    /// One employee's complete history, rows in HiBob's order.
    Employee(EmployeeHistory<E>),
    /// An employee HiBob listed under `errors` (e.g. `MISSING_PERMISSION` for
    /// someone outside the service user's audience).
    Inaccessible(BulkError),
}

/// One employee's rows of one table.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EmployeeHistory<E> {
    /// The employee.
    pub employee_id: EmployeeId,
    /// Every row HiBob returned for them, in order.
    pub rows: Vec<E>,
    /// Columns the pages holding these rows marked as restricted: in them a
    /// `null` means "not permitted to view", not "empty". `None` when no
    /// page said so.
    pub restricted_columns: Option<RestrictedColumns>,
}

impl<E> EmployeeHistory<E> {
    /// Adds rows (and their page's restrictions) that continue this history.
    fn extend(&mut self, values: Vec<E>, restricted: Option<&RestrictedColumns>) {
        self.rows.extend(values);
        if let Some(more) = restricted {
            self.restricted_columns
                .get_or_insert_with(RestrictedColumns::default)
                .merge(more.clone());
        }
    }
}

/// Regroups rows per employee across page boundaries.
///
/// HiBob's `limit` counts table entries, so one employee's rows can continue
/// on the next page; they arrive contiguously. An employee who reappears after
/// others is a broken contract and an error, never a second item.
///
/// Per-employee `errors` come back on every page of a chunk (follow-up pages
/// resend the same `employeeIds`), so each is yielded once per chunk: by
/// employee ID, or by its JSON when it names nobody.
pub(crate) struct Regrouper<E> {
    operation: Operation,
    pending: Option<EmployeeHistory<E>>,
    started: HashSet<EmployeeId>,
    reported: HashSet<Reported>,
}

/// What identifies a per-employee error already yielded in this chunk.
#[derive(PartialEq, Eq, Hash)]
enum Reported {
    Employee(EmployeeId),
    Raw(String),
}

impl<E> Regrouper<E> {
    pub(crate) fn new(operation: Operation) -> Self {
        Self {
            operation,
            pending: None,
            started: HashSet::new(),
            reported: HashSet::new(),
        }
    }

    /// Takes one page; returns the items it completes.
    pub(crate) fn push(&mut self, page: BulkPage<E>) -> Result<Vec<BulkItem<E>>, Error> {
        let mut done: Vec<BulkItem<E>> = Vec::new();
        for error in page.errors {
            let key = match &error.employee_id {
                Some(id) => Reported::Employee(id.clone()),
                None => Reported::Raw(error.raw.to_string()),
            };
            if self.reported.insert(key) {
                done.push(BulkItem::Inaccessible(error));
            }
        }
        if page.next_cursor.is_none() {
            self.reported.clear(); // the chunk is over
        }
        for EmployeeRows {
            employee_id,
            rows: values,
            ..
        } in page.results
        {
            if let Some(pending) = self
                .pending
                .as_mut()
                .filter(|p| p.employee_id == employee_id)
            {
                pending.extend(values, page.restricted_columns.as_ref());
                continue;
            }
            if !self.started.insert(employee_id.clone()) {
                return Err(Error::Pagination {
                    operation: self.operation,
                    message: "an employee's rows came back on non-adjacent pages".to_owned(),
                });
            }
            done.extend(self.pending.take().map(BulkItem::Employee));
            self.pending = Some(EmployeeHistory {
                employee_id,
                rows: values,
                restricted_columns: page.restricted_columns.clone(),
            });
        }
        Ok(done)
    }

    /// The last employee, once the pages are over.
    pub(crate) fn finish(&mut self) -> Option<BulkItem<E>> {
        self.pending.take().map(BulkItem::Employee)
    }
}

struct RegroupState<E> {
    pages: BoxStream<'static, Result<BulkPage<E>, Error>>,
    regrouper: Regrouper<E>,
    ready: VecDeque<BulkItem<E>>,
    finished: bool,
}

/// The item stream behind [`BulkRequest::stream`].
pub(crate) fn regroup<E: Send + 'static>(
    pages: BoxStream<'static, Result<BulkPage<E>, Error>>,
    route: &'static str,
) -> BoxStream<'static, Result<BulkItem<E>, Error>> {
    let operation = Operation {
        method: "GET",
        route,
    };
    let state = RegroupState {
        pages,
        regrouper: Regrouper::new(operation),
        ready: VecDeque::new(),
        finished: false,
    };
    stream::try_unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.ready.pop_front() {
                return Ok(Some((item, state)));
            }
            if state.finished {
                return Ok(None);
            }
            match state.pages.next().await {
                Some(page) => state.ready.extend(state.regrouper.push(page?)?),
                None => {
                    state.finished = true;
                    state.ready.extend(state.regrouper.finish());
                }
            }
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const OP: Operation = Operation {
        method: "GET",
        route: "/bulk/people/work",
    };

    /// Serves `histories` (employee → row numbers) as HiBob does: rows in
    /// order, `limit` rows per page, an employee's rows split at page ends.
    fn paginate(histories: &[(String, Vec<u32>)], limit: usize) -> Vec<BulkPage<u32>> {
        let rows: Vec<(&String, u32)> = histories
            .iter()
            .flat_map(|(id, rows)| rows.iter().map(move |r| (id, *r)))
            .collect();
        rows.chunks(limit)
            .map(|chunk| {
                let mut page = BulkPage::default();
                for (id, row) in chunk {
                    match page.results.last_mut() {
                        Some(last) if last.employee_id.as_str() == id.as_str() => {
                            last.rows.push(*row)
                        }
                        _ => page
                            .results
                            .push(EmployeeRows::new(EmployeeId::new(id.as_str()), vec![*row])),
                    }
                }
                page
            })
            .collect()
    }

    proptest! {
        #[test]
        fn regrouping_yields_each_employee_once_with_all_rows_in_order(
            counts in proptest::collection::vec(1usize..6, 0..40),
            limit in 1usize..9,
        ) {
            let histories: Vec<(String, Vec<u32>)> = counts
                .iter()
                .enumerate()
                .map(|(e, n)| (format!("e{e}"), (0..*n as u32).collect()))
                .collect();
            let mut regrouper = Regrouper::new(OP);
            let mut out = Vec::new();
            for page in paginate(&histories, limit) {
                out.extend(regrouper.push(page).unwrap());
            }
            out.extend(regrouper.finish());
            let got: Vec<(String, Vec<u32>)> = out
                .into_iter()
                .map(|item| match item {
                    BulkItem::Employee(h) => (h.employee_id.to_string(), h.rows),
                    BulkItem::Inaccessible(_) => unreachable!("no errors were served"),
                })
                .collect();
            prop_assert_eq!(got, histories);
        }
    }

    #[test]
    fn per_employee_errors_are_yielded_once_per_chunk() {
        let error = |raw: serde_json::Value| BulkError::parse(raw).remove(0);
        let page = |errors: Vec<BulkError>, next: Option<&str>| BulkPage::<u32> {
            errors,
            next_cursor: next.map(str::to_owned),
            ..BulkPage::default()
        };
        let a = || error(serde_json::json!({"employeeId": "a", "error": "MISSING_PERMISSION"}));
        let b = || error(serde_json::json!({"b": {"error": "NOT_FOUND"}}));
        let odd = || error(serde_json::json!("something unexpected"));
        let mut regrouper = Regrouper::new(OP);
        let mut yielded = Vec::new();
        for page in [
            page(vec![a(), odd()], Some("c1")),
            page(vec![a(), b(), odd()], Some("c2")),
            page(vec![b(), a()], None),
            // The next chunk starts afresh (in practice with other IDs).
            page(vec![a()], None),
        ] {
            for item in regrouper.push(page).unwrap() {
                match item {
                    BulkItem::Inaccessible(e) => yielded.push(e),
                    BulkItem::Employee(_) => unreachable!("no rows were served"),
                }
            }
        }
        assert_eq!(yielded, [a(), odd(), b(), a()]);
    }

    #[test]
    fn an_employee_on_non_adjacent_pages_is_an_error() {
        let mut regrouper = Regrouper::new(OP);
        let page = |ids: &[&str]| BulkPage {
            results: ids
                .iter()
                .map(|id| EmployeeRows::new(EmployeeId::new(*id), vec![1u32]))
                .collect(),
            ..BulkPage::default()
        };
        regrouper.push(page(&["a", "b"])).unwrap();
        let err = regrouper.push(page(&["a"])).unwrap_err();
        assert!(matches!(err, Error::Pagination { .. }));
    }
}
