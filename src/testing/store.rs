//! The fake's own copy of the company, cheap enough for 20,000 employees.
//!
//! Every built-in table is stored this way: the four history tables and the
//! eight others (`TruthEmployee::other_tables`). A history row as a `serde_json::Value` costs about 4 KB (B-tree nodes and a
//! heap-allocated key per column), and a generated employee has about eight
//! rows: as `Value`s, a 20,000-employee company alone took 740 MiB. The store
//! keeps every row as the JSON text the fake serves (about 500 bytes a row, all
//! in one buffer) and parses only the rows a request serves. The public
//! [`Company`] with `Value` rows is built on demand, for [`FakeHibob::truth`]
//! and [`FakeHibob::update`](super::FakeHibob::update).
//!
//! [`FakeHibob::truth`]: super::FakeHibob::truth

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::Table;
use super::company::{Company, NamedList, TimeOff, TruthEmployee};
use crate::tables::EmployeeTable;

/// How many built-in tables an employee has rows of.
const TABLES: usize = EmployeeTable::ALL.len();

/// Where one employee's rows of one table sit in [`Store`]'s text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowsAt {
    start: usize,
    end: usize,
    len: usize,
    /// The first row with `isCurrent: true` (what [`TruthEmployee::current_row`] finds).
    current: Option<usize>,
}

impl RowsAt {
    /// Appends `rows` to `text` as a JSON array, serialized exactly as the fake serves them.
    fn write(rows: &[Value], text: &mut Vec<u8>) -> Self {
        let start = text.len();
        serde_json::to_writer(&mut *text, rows).expect("a serde_json::Value always serializes");
        Self {
            start,
            end: text.len(),
            len: rows.len(),
            current: rows
                .iter()
                .position(|row| row["isCurrent"] == Value::Bool(true)),
        }
    }
}

/// One employee's rows of one table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows<'a> {
    json: &'a [u8],
    at: RowsAt,
}

impl Rows<'_> {
    /// How many rows there are.
    pub(crate) fn len(self) -> usize {
        self.at.len
    }

    /// Whether a row is marked current.
    pub(crate) fn has_current(self) -> bool {
        self.at.current.is_some()
    }

    /// Every row, parsed.
    pub(crate) fn rows(self) -> Vec<Value> {
        // The text was written by `serde_json` from `Value`s, so it parses.
        serde_json::from_slice(self.json).unwrap_or_default()
    }

    /// The current row, parsed.
    pub(crate) fn current(self) -> Option<Value> {
        let index = self.at.current?;
        self.rows().into_iter().nth(index)
    }
}

/// An employee's plain fields and where their tables are, in
/// [`EmployeeTable::ALL`] order.
#[derive(Debug, Clone)]
struct StoredEmployee {
    /// Every field but the built-in tables' rows (those vectors and
    /// `other_tables` entries stay empty).
    facts: TruthEmployee,
    tables: [RowsAt; TABLES],
}

/// One employee as requests see them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stored<'a> {
    /// Every field but the tables' rows (whose vectors are empty here).
    pub(crate) facts: &'a TruthEmployee,
    tables: &'a [RowsAt; TABLES],
    text: &'a [u8],
}

impl<'a> Stored<'a> {
    /// The employee's rows of a history table.
    pub(crate) fn table(self, table: Table) -> Rows<'a> {
        self.rows_of(table.employee_table())
    }

    /// The employee's rows of any built-in table.
    pub(crate) fn rows_of(self, table: EmployeeTable) -> Rows<'a> {
        let index = EmployeeTable::ALL
            .iter()
            .position(|t| *t == table)
            .expect("EmployeeTable::ALL lists every table");
        let at = self.tables[index];
        Rows {
            json: &self.text[at.start..at.end],
            at,
        }
    }
}

/// The company as the fake serves it (cloned for the `read_lag` knob's
/// snapshots).
#[derive(Debug, Clone)]
pub(crate) struct Store {
    today: chrono::NaiveDate,
    lists: BTreeMap<String, NamedList>,
    admin_id: String,
    /// Time off is small per employee and kept as plain values.
    time_off: TimeOff,
    employees: Vec<StoredEmployee>,
    /// Every table row of every employee, as JSON arrays one after the
    /// other: one allocation instead of twelve per employee.
    text: Vec<u8>,
    /// Employee IDs to positions in `employees`.
    by_id: HashMap<String, usize>,
}

impl Store {
    /// Takes a company over, converting each employee's rows as it goes.
    pub(crate) fn new(mut company: Company) -> Self {
        let mut text = Vec::new();
        let tables = company
            .employees
            .iter_mut()
            .map(|employee| take_tables(employee, &mut text))
            .collect();
        Self::assemble(company, tables, text)
    }

    /// A store from a company whose rows were already moved out into `text`
    /// by [`take_tables`], one entry of `tables` per employee.
    pub(crate) fn assemble(
        company: Company,
        tables: Vec<[RowsAt; TABLES]>,
        mut text: Vec<u8>,
    ) -> Self {
        text.shrink_to_fit();
        debug_assert_eq!(company.employees.len(), tables.len());
        let mut by_id = HashMap::with_capacity(company.employees.len());
        for (index, employee) in company.employees.iter().enumerate() {
            // The first employee with an ID wins, as in `Company::employee`.
            by_id.entry(employee.id.clone()).or_insert(index);
        }
        let employees = company
            .employees
            .into_iter()
            .zip(tables)
            .map(|(facts, tables)| StoredEmployee { facts, tables })
            .collect();
        Self {
            today: company.today,
            lists: company.lists,
            admin_id: company.admin_id,
            time_off: company.time_off,
            employees,
            text,
            by_id,
        }
    }

    /// The company with every table row parsed back into a `Value`.
    pub(crate) fn to_company(&self) -> Company {
        Company {
            today: self.today,
            employees: self
                .employees
                .iter()
                .map(|stored| {
                    let mut employee = stored.facts.clone();
                    for table in EmployeeTable::ALL {
                        let rows = self.view(stored).rows_of(table);
                        match table.history_table() {
                            Some(history) => *employee.history_mut(history) = rows.rows(),
                            None if rows.len() > 0 => {
                                let segment = table.as_str().to_owned();
                                employee.other_tables.insert(segment, rows.rows());
                            }
                            None => {}
                        }
                    }
                    employee
                })
                .collect(),
            lists: self.lists.clone(),
            admin_id: self.admin_id.clone(),
            time_off: self.time_off.clone(),
        }
    }

    /// The date the fake treats as today.
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        self.today
    }

    /// The company's time off.
    pub(crate) fn time_off(&self) -> &TimeOff {
        &self.time_off
    }

    /// The company's time off, to change it.
    pub(crate) fn time_off_mut(&mut self) -> &mut TimeOff {
        &mut self.time_off
    }

    /// Every employee, visible or not, in company order.
    pub(crate) fn employees(&self) -> impl Iterator<Item = Stored<'_>> {
        self.employees.iter().map(|e| self.view(e))
    }

    /// The employee with this ID.
    pub(crate) fn employee(&self, id: &str) -> Option<Stored<'_>> {
        self.by_id.get(id).map(|i| self.view(&self.employees[*i]))
    }

    /// The named lists, by list name.
    pub(crate) fn lists(&self) -> &BTreeMap<String, NamedList> {
        &self.lists
    }

    fn view<'a>(&'a self, employee: &'a StoredEmployee) -> Stored<'a> {
        Stored {
            facts: &employee.facts,
            tables: &employee.tables,
            text: &self.text,
        }
    }

    /// The label of a list item, archived items included.
    pub(crate) fn label(&self, list: &str, id: &str) -> Option<&str> {
        super::company::list_label(&self.lists, list, id)
    }
}

/// Moves an employee's built-in table rows out into `text` (the history
/// vectors are left empty, the other tables' entries removed; keys that
/// name no built-in table stay). The rows must already be consistent (see
/// [`Company::refresh_history`]).
pub(crate) fn take_tables(employee: &mut TruthEmployee, text: &mut Vec<u8>) -> [RowsAt; TABLES] {
    EmployeeTable::ALL.map(|table| {
        let rows = match table.history_table() {
            Some(history) => std::mem::take(employee.history_mut(history)),
            None => (employee.other_tables.remove(table.as_str())).unwrap_or_default(),
        };
        RowsAt::write(&rows, text)
    })
}
