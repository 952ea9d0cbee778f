//! Permission clarity: an access check that tells the Bob admin exactly what
//! to grant the service user.
//!
//! [`Client::check_access`] probes a tenant with a handful of requests (at
//! most 10, never repeating one HiBob refused with 401 or 403, because
//! HiBob's firewall blocks a credential after about 50 such refusals in 10 s;
//! 429 and 5xx are retried by the client's [`RetryPolicy`](crate::RetryPolicy))
//! and returns an [`AccessReport`]: credentials, permission group, which requested fields come
//! back and which are silently withheld (by category), whether former
//! employees are visible, whether history tables return full histories or the
//! current row only, and whether sampled employees are outside the group's
//! audience. Each [`Finding`] has a [`Severity`], a stable [`FindingKind`], a
//! one-line message and a one-line fix in the words of Bob's UI.
//!
//! ```
//! # #[cfg(feature = "test-util")] // the fake; a plain `cargo test` of the package has it off
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = hibob::testing::FakeHibob::builder().deny_category("work").start().await;
//! # let client = hibob::Client::builder()
//! #     .service_user(fake.service_user_id(), fake.token())
//! #     .base_url(fake.uri())
//! #     .build()?;
//! use hibob::access::{FindingKind, Severity};
//!
//! let report = client.check_access().await?;
//! println!("{report}");
//! let work = report.of_kind(FindingKind::CategoryWithheld).next().unwrap();
//! assert_eq!(work.severity, Severity::Error);
//! assert_eq!(
//!     work.fix.as_deref(),
//!     Some("Settings > Permission groups > <group> > People's Data > Work > View selected employees' Work sections")
//! );
//! assert!(report.requests_made <= 10);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "test-util"))]
//! # fn main() {}
//! ```
//!
//! The requests, in order, stopping at the first that answers 401 or a
//! telling 403: fields metadata (needs no permission: a credentials probe);
//! one ID-only people search with `showInactive` (permission group, audience,
//! former employees); one people search for the wanted fields filtered to a
//! small sample of those IDs (withheld categories); one bulk page per history
//! table for the same sample (full history or current row only, 403, and
//! `MISSING_PERMISSION` entries for employees outside the audience).
//! With [`AccessCheck::every_table`], up to [`TABLE_REQUESTS`] more probe
//! every other built-in table once; with [`AccessCheck::time_off`], up to
//! [`TIME_OFF_REQUESTS`] more probe the time-off permissions.

use std::collections::{HashMap, HashSet};
use std::future::IntoFuture;

use chrono::NaiveDate;

use crate::models::employee::Employee;
use crate::models::metadata::FieldCatalog;
use crate::models::{EmployeeId, FieldId, field};
use crate::people::MAX_FIELDS;
use crate::tables::{HistoryTable, MAX_BULK_LIMIT};
use crate::{Client, Error};

mod findings;
mod report;
mod tables;
mod time_off;
mod writes;

pub use report::{AccessReport, Category, Finding, FindingKind, Severity, withheld_fields};
pub use tables::{MAX_CUSTOM_TABLES, TABLE_REQUESTS};
pub use time_off::TIME_OFF_REQUESTS;
pub use writes::{WRITE_PERMISSIONS, WritePermission, write_checklist};

use findings::{Probe, audience, former_employees, not_checked, over_budget, sample, stop};
use report::{GROUP, field_list, group_by_category, unknown_fields};
use tables::{Sampled, history_probe};

/// The check's request budget. A call starts only if it fits even when the
/// client's retry policy spends every attempt on it (only 429 and 5xx answers
/// are retried), so the check never sends more; skipped parts are reported
/// as [`FindingKind::NotChecked`]. Without retries it sends at most 7.
pub const MAX_REQUESTS: u64 = 10;
/// Most employee IDs a caller may add with [`AccessCheck::employees`].
pub const MAX_CHECKED_EMPLOYEES: usize = 100;

impl Client {
    /// Checks what this service user may read and says what to grant; await
    /// the returned [`AccessCheck`]. See the [`access`](crate::access) module.
    pub fn check_access(&self) -> AccessCheck {
        AccessCheck {
            client: self.clone(),
            fields: field::ROSTER.to_vec(),
            tables: HistoryTable::DEFAULT.to_vec(),
            employees: Vec::new(),
            every_table: false,
            time_off: false,
        }
    }
}

/// An access check; build it with [`Client::check_access`] and `.await` it.
///
/// The await returns `Err` only when the check could not run: invalid input
/// (before anything is sent), or HiBob unreachable, failing or rate limiting
/// beyond the retry policy. 401 and 403 answers are findings, not errors.
///
/// ```
/// use hibob::access::FindingKind;
/// use hibob::tables::HistoryTable;
/// use hibob::field;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// let fake = hibob::testing::FakeHibob::builder()
///     .employees(20)
///     .history_current_only(HistoryTable::Work)
///     .start()
///     .await;
/// let some_id = fake.truth().employees[3].id.clone();
/// let report = fake
///     .client()
///     .check_access()
///     .fields([field::ID, field::EMAIL, field::TITLE])
///     .tables([HistoryTable::Work])
///     .employees([&some_id])
///     .await?;
/// assert!(report.of_kind(FindingKind::CurrentRowOnly).next().is_some());
/// assert!(report.requests_made <= 10);
/// # Ok(())
/// # }
/// ```
#[must_use = "an access check does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct AccessCheck {
    client: Client,
    fields: Vec<FieldId>,
    tables: Vec<HistoryTable>,
    employees: Vec<EmployeeId>,
    every_table: bool,
    time_off: bool,
}

impl AccessCheck {
    /// The fields your integration needs (replaces the default,
    /// [`field::ROSTER`]). Each is reported as visible or withheld, by category.
    pub fn fields<F: Into<FieldId>>(mut self, fields: impl IntoIterator<Item = F>) -> Self {
        self.fields.clear();
        for f in fields {
            let f = f.into();
            if !self.fields.contains(&f) {
                self.fields.push(f);
            }
        }
        self
    }

    /// The history tables to probe (replaces the default: lifecycle,
    /// employment, work); empty probes none. One request each.
    pub fn tables(mut self, tables: impl IntoIterator<Item = HistoryTable>) -> Self {
        self.tables.clear();
        for t in tables {
            if !self.tables.contains(&t) {
                self.tables.push(t);
            }
        }
        self
    }

    /// Employees that must be visible (at most [`MAX_CHECKED_EMPLOYEES`]),
    /// checked along with the sample: e.g. people a previous sync saw and who
    /// are now missing. Those outside the audience are reported as
    /// [`FindingKind::OutsideAudience`].
    pub fn employees<I: Into<EmployeeId>>(mut self, ids: impl IntoIterator<Item = I>) -> Self {
        for id in ids {
            let id = id.into();
            if !self.employees.contains(&id) {
                self.employees.push(id);
            }
        }
        self
    }

    /// Also probes the time-off permissions (off by default): policy types,
    /// who's out today, who's out with and without private policies, and an
    /// employee-calendars search for one sampled employee. Costs up to
    /// [`TIME_OFF_REQUESTS`] requests on top of the [`MAX_REQUESTS`] budget;
    /// skipped (one [`FindingKind::NotChecked`]) when the credentials were
    /// rejected, API access is blocked or there is no permission group.
    ///
    /// ```
    /// use hibob::access::{FindingKind, Severity};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// let fake = hibob::testing::FakeHibob::builder()
    ///     .deny_category(hibob::testing::TIME_OFF_CATEGORY)
    ///     .start()
    ///     .await;
    /// let report = fake.client().check_access().time_off(true).await?;
    /// let denied = report.of_kind(FindingKind::WhosOutDenied).next().unwrap();
    /// assert_eq!(denied.severity, Severity::Error);
    /// assert!(denied.fix.as_deref().unwrap().contains("See who's out"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn time_off(mut self, probe: bool) -> Self {
        self.time_off = probe;
        self
    }

    /// Also probes every other built-in table once (off by default): a
    /// small bulk page for the sampled employees where HiBob has a bulk read,
    /// one sampled employee's rows for training and bank accounts; then the
    /// custom tables' metadata and one bulk page of each custom table (at
    /// most [`MAX_CUSTOM_TABLES`]), whose 403 names the table's own
    /// category. Costs up
    /// to [`TABLE_REQUESTS`] requests on top of the [`MAX_REQUESTS`] budget
    /// (tables already probed as history tables are not probed again). A
    /// history table is reported as the default probe reports it ("… sections"
    /// vs "… section histories"); a 403 on any other is
    /// [`FindingKind::TableDenied`] naming the permission to grant in Bob's
    /// words ([`EmployeeTable::read_permission`](crate::tables::EmployeeTable::read_permission)).
    ///
    /// ```
    /// use hibob::access::FindingKind;
    /// use hibob::tables::EmployeeTable;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// let fake = hibob::testing::FakeHibob::builder().employees(20).start().await;
    /// let report = fake.client().check_access().every_table(true).await?;
    /// let probed: Vec<EmployeeTable> = report
    ///     .findings()
    ///     .iter()
    ///     .filter_map(|f| f.employee_table)
    ///     .collect();
    /// assert!(probed.contains(&EmployeeTable::BankAccounts), "{report}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn every_table(mut self, probe: bool) -> Self {
        self.every_table = probe;
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.fields.len() > MAX_FIELDS - 2 {
            return Err(Error::invalid(format!(
                "{} fields to check; at most {} (HiBob's {MAX_FIELDS} per search, less the two the check adds)",
                self.fields.len(),
                MAX_FIELDS - 2
            )));
        }
        if self.employees.len() > MAX_CHECKED_EMPLOYEES {
            return Err(Error::invalid(format!(
                "{} employees to check; at most {MAX_CHECKED_EMPLOYEES}",
                self.employees.len()
            )));
        }
        Ok(())
    }

    async fn run(self) -> Result<AccessReport, Error> {
        self.validate()?;
        let before = self.client.stats().requests;
        let (mut findings, mut known) = (Vec::new(), self.employees.first().cloned());
        let mut sampled = Sampled::default();
        let mut outcome = self
            .steps(&mut findings, before, &mut known, &mut sampled)
            .await;
        if self.every_table && outcome.is_ok() {
            outcome =
                tables::every_table(&self.client, &mut findings, &sampled, &self.tables).await;
        }
        if self.time_off && outcome.is_ok() {
            outcome = time_off::after_check(&self.client, &mut findings, known.as_ref()).await;
        }
        let requests_made = self.client.stats().requests.saturating_sub(before);
        outcome?;
        Ok(AccessReport::new(findings, requests_made))
    }

    /// The check proper; `Ok(())` also when it stopped early on a finding.
    /// Sets `known` to a sampled employee once there is one, and `sampled`
    /// to the sample once the history tables are probed.
    async fn steps(
        &self,
        findings: &mut Vec<Finding>,
        before: u64,
        known: &mut Option<EmployeeId>,
        sampled: &mut Sampled,
    ) -> Result<(), Error> {
        // 1. Fields metadata needs no permission: a pure credentials probe.
        let catalog = match self.client.metadata().fields().await {
            Ok(fields) => FieldCatalog::new(fields),
            Err(e) => return stop(e, findings, Probe::Metadata),
        };
        findings.push(Finding::new(
            FindingKind::CredentialsAccepted,
            Severity::Ok,
            "Credentials: the service user ID and token were accepted",
        ));

        // 2. One ID-only search, former employees included.
        if !self.room(before) {
            findings.push(over_budget(
                "Permission group, fields, history and audience",
            ));
            return Ok(());
        }
        let everyone = match self
            .client
            .people()
            .search()
            .fields([field::ID, field::STATUS])
            .show_inactive(true)
            .await
        {
            Ok(found) => found.employees,
            Err(e) => return stop(e, findings, Probe::Search),
        };
        findings.push(Finding::new(
            FindingKind::InPermissionGroup,
            Severity::Ok,
            "Permission group: the service user is in one (the people search answered)",
        ));
        if everyone.is_empty() {
            findings.push(
                Finding::new(
                    FindingKind::NoEmployeesVisible,
                    Severity::Error,
                    "Audience: the people search returned no employee at all",
                )
                .with_fix(format!(
                    "{GROUP} > People's Data > Access data for: select Everyone, or conditions that include the employees to read"
                )),
            );
            return Ok(());
        }
        let former = former_employees(&everyone);

        let ids: Vec<&Employee> = everyone.iter().filter(|e| e.id().is_some()).collect();
        if ids.is_empty() {
            // root.id itself is withheld, so its whole category is: report the
            // wanted fields of that category (permissions go by category).
            let root = report::category_of(&catalog, &field::ID);
            let mut withheld = vec![field::ID];
            for f in &self.fields {
                let same = root.is_some() && report::category_of(&catalog, f) == root;
                if same && !withheld.contains(f) {
                    withheld.push(f.clone());
                }
            }
            findings.extend(withheld_fields(&catalog, &withheld));
            findings.push(former);
            findings.push(not_checked(
                "Fields, history and audience: not checked, the people search returned no employee IDs",
            ));
            return Ok(());
        }

        // 3. The wanted fields, for a small sample of those IDs.
        if !self.room(before) {
            findings.push(former);
            findings.push(over_budget("Fields, history and audience"));
            return Ok(());
        }
        let sample = sample(&ids, &self.employees);
        if let Some(first) = sample.first() {
            *known = Some(first.clone());
        }
        let wanted = self.client.people().search().fields(self.fields.clone());
        let found = match wanted
            .fields([field::ID, field::START_DATE])
            .filter_ids(&sample)
            .show_inactive(true)
            .await
        {
            Ok(found) => found.employees,
            Err(e) => {
                findings.push(former);
                return stop(e, findings, Probe::Search);
            }
        };
        findings.extend(self.field_findings(&catalog, &found));
        findings.push(former);
        let returned: HashSet<&EmployeeId> = found.iter().filter_map(Employee::id).collect();
        let start_dates: HashMap<EmployeeId, NaiveDate> = found
            .iter()
            .filter_map(|e| Some((e.id()?.clone(), e.start_date()?)))
            .collect();

        // 4. One bulk page per history table, for the same sample.
        let mut outside: Vec<EmployeeId> = sample
            .iter()
            .filter(|id| !returned.contains(id))
            .cloned()
            .collect();
        let limit = u32::try_from(sample.len() * 5)
            .unwrap_or(MAX_BULK_LIMIT)
            .clamp(25, MAX_BULK_LIMIT);
        *sampled = Sampled {
            ids: sample,
            start_dates,
            limit,
        };
        for &table in &self.tables {
            if !self.room(before) {
                findings.push(over_budget(table.label()).with_table(table));
                continue;
            }
            match history_probe(&self.client, table, sampled).await {
                Ok((finding, inaccessible)) => {
                    for id in inaccessible {
                        if !outside.contains(&id) {
                            outside.push(id);
                        }
                    }
                    findings.push(finding);
                }
                Err(e) => return stop(e, findings, Probe::Table),
            }
        }
        findings.push(audience(sampled.ids.len(), outside));
        Ok(())
    }

    /// Whether one more call fits in [`MAX_REQUESTS`] even if the client's
    /// retry policy uses every attempt on it (429 and 5xx answers).
    fn room(&self, before: u64) -> bool {
        let used = self.client.stats().requests.saturating_sub(before);
        let worst = u64::from(self.client.inner.retry.attempts()).min(MAX_REQUESTS);
        used + worst <= MAX_REQUESTS
    }

    /// One finding per category of the wanted fields: all visible, or which withheld.
    fn field_findings(&self, catalog: &FieldCatalog, found: &[Employee]) -> Vec<Finding> {
        if found.is_empty() {
            return vec![not_checked(
                "Fields: not checked, none of the sampled employees came back",
            )];
        }
        let (groups, unknown) = group_by_category(catalog, &self.fields);
        let mut findings = Vec::new();
        for (category, fields) in groups {
            let withheld = catalog.missing_from_all(&fields, found);
            if withheld.is_empty() {
                let n = fields.len();
                let message = format!(
                    "{}: {n} requested field{} visible ({})",
                    category.name,
                    if n == 1 { " is" } else { "s are" },
                    field_list(catalog, &fields)
                );
                findings.push(Finding {
                    category: Some(category),
                    fields,
                    ..Finding::new(FindingKind::CategoryVisible, Severity::Ok, message)
                });
            } else {
                findings.extend(withheld_fields(catalog, &withheld));
            }
        }
        if !unknown.is_empty() {
            findings.push(unknown_fields(&unknown));
        }
        findings
    }
}

impl IntoFuture for AccessCheck {
    type Output = Result<AccessReport, Error>;
    type IntoFuture = crate::transport::RequestFuture<AccessReport>;

    fn into_future(self) -> Self::IntoFuture {
        crate::transport::request_future(self.run())
    }
}
