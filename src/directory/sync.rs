//! [`Directory`]: a HiBob client and a [`Store`] kept in step, by full
//! reconciliations and by one-employee refreshes from webhooks.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{SubsecRound, Utc};
use futures::TryStreamExt;

use super::diff::{Diff, DiffOptions, diff_with};
use super::events::Event;
use super::findings::Finding;
use super::outcome::{DirectoryError, SyncReport};
use super::snapshot::Snapshot;
use super::store::{BatchId, Store};
use crate::field;
use crate::metadata::Labels;
use crate::models::{EmployeeId, FieldId};
use crate::people::Employee;
use crate::{Client, Error};

/// The fields every [`User`](super::User) row is read from.
const USER_FIELDS: [FieldId; 15] = [
    field::ID,
    field::EMPLOYEE_ID_IN_COMPANY,
    field::EMAIL,
    field::FIRST_NAME,
    field::SURNAME,
    field::DISPLAY_NAME,
    field::TITLE,
    field::DEPARTMENT,
    field::SITE,
    field::SITE_ID,
    field::REPORTS_TO,
    field::LIFECYCLE_STATUS,
    field::STATUS,
    field::START_DATE,
    field::TERMINATION_DATE,
];

/// How long a refresh waits before its one re-read when the first read
/// showed no change (HiBob's reads may lag a write by up to ~20 s).
pub const DEFAULT_REREAD_DELAY: Duration = Duration::from_secs(10);

/// A directory kept in sync with HiBob: [`reconcile`](Self::reconcile)
/// reads everyone and stores the snapshot and its events;
/// [`refresh_employee`](Self::refresh_employee) (or
/// [`apply_webhook`](Self::apply_webhook)) re-reads one employee.
///
/// Reconciliations and refreshes of one `Directory` take turns, never
/// running at once, so a slow full read cannot overwrite a newer refresh.
/// Keep one `Directory` per store.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hibob::directory::{Directory, EventKind, MemoryStore};
/// use hibob::testing::FakeHibob;
///
/// let fake = FakeHibob::builder().employees(20).seed(7).start().await;
/// let directory = Directory::builder(fake.client(), MemoryStore::new()).build();
///
/// // The first reconciliation provisions everyone.
/// let first = directory.reconcile().await?;
/// assert!(first.events.iter().any(|e| matches!(e.kind, EventKind::UserCreated { .. })));
///
/// // A termination in Bob is one `user.deactivated` at the next run.
/// let leaver = fake.truth().employees[3].id.clone();
/// fake.terminate(&leaver, chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
/// let next = directory.reconcile().await?;
/// assert!(next.events.iter().any(|e| matches!(&e.kind,
///     EventKind::UserDeactivated { user_id, .. } if user_id.as_str() == leaver)));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Directory<S> {
    client: Client,
    store: S,
    group_fields: Vec<FieldId>,
    extra_fields: Vec<FieldId>,
    diff_options: DiffOptions,
    show_inactive: bool,
    reread_delay: Duration,
    labels: std::sync::Mutex<Option<Arc<Labels>>>,
    turn: tokio::sync::Mutex<()>,
}

/// Configures a [`Directory`]; see [`Directory::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until .build()"]
pub struct DirectoryBuilder<S> {
    directory: Directory<S>,
}

impl<S: Store> Directory<S> {
    /// A directory over `client` and `store`, with groups from
    /// `work.department` and `work.site`, former employees included
    /// (`showInactive`, so leavers are seen leaving), the default
    /// mass-removal guard and a 10 s re-read delay.
    pub fn builder(client: Client, store: S) -> DirectoryBuilder<S> {
        DirectoryBuilder {
            directory: Directory {
                client,
                store,
                group_fields: vec![field::DEPARTMENT, field::SITE],
                extra_fields: Vec::new(),
                diff_options: DiffOptions::default(),
                show_inactive: true,
                reread_delay: DEFAULT_REREAD_DELAY,
                labels: std::sync::Mutex::new(None),
                turn: tokio::sync::Mutex::new(()),
            },
        }
    }
}

impl<S> DirectoryBuilder<S> {
    /// The list fields whose items become groups (custom ones included).
    pub fn group_fields(mut self, fields: impl IntoIterator<Item = FieldId>) -> Self {
        self.directory.group_fields = fields.into_iter().collect();
        self
    }

    /// Extra fields to keep on each user (custom ones included).
    pub fn extra_fields(mut self, fields: impl IntoIterator<Item = FieldId>) -> Self {
        self.directory.extra_fields = fields.into_iter().collect();
        self
    }

    /// The mass-removal guard of reconciliations.
    pub fn diff_options(mut self, options: DiffOptions) -> Self {
        self.directory.diff_options = options;
        self
    }

    /// Whether former employees are read (default `true`). Without them a
    /// leaver is `user.removed`, not `user.deactivated`.
    pub fn show_inactive(mut self, show: bool) -> Self {
        self.directory.show_inactive = show;
        self
    }

    /// How long a refresh waits before re-reading once when its first
    /// read showed no change ([`DEFAULT_REREAD_DELAY`]; zero never re-reads).
    pub fn reread_delay(mut self, delay: Duration) -> Self {
        self.directory.reread_delay = delay;
        self
    }

    /// The directory.
    pub fn build(self) -> Directory<S> {
        self.directory
    }
}

impl<S: Store> Directory<S> {
    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Reads every employee and the labels, diffs against the stored
    /// snapshot and stores both. The first run reports everyone as
    /// `user.created`. A run the mass-removal guard refuses stores nothing
    /// ([`DirectoryError::Refused`]).
    pub async fn reconcile(&self) -> Result<SyncReport, DirectoryError> {
        self.reconcile_with(&self.diff_options).await
    }

    /// [`reconcile`](Self::reconcile) past the mass-removal guard, for when
    /// the removals are real (an empty read is still refused).
    pub async fn reconcile_forced(&self) -> Result<SyncReport, DirectoryError> {
        self.reconcile_with(&self.diff_options.clone().force(true))
            .await
    }

    async fn reconcile_with(&self, options: &DiffOptions) -> Result<SyncReport, DirectoryError> {
        self.prepare_with(options).await?.commit().await
    }

    /// The first half of [`reconcile`](Self::reconcile): reads and diffs,
    /// stores nothing. Do what must happen before the state moves on (write
    /// an export, say), then [`Pending::commit`]; dropping the `Pending`
    /// leaves the store as it was. Refreshes wait until it is committed or
    /// dropped.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hibob::directory::{Directory, MemoryStore, Store};
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let directory = Directory::builder(fake.client(), MemoryStore::new()).build();
    /// let pending = directory.prepare().await?;
    /// let export = serde_json::to_string(&pending.snapshot().users.values().collect::<Vec<_>>())?;
    /// assert!(export.contains("email"));
    /// assert!(directory.store().load().await?.is_none(), "nothing stored yet");
    /// let report = pending.commit().await?;
    /// assert_eq!(report.users, fake.truth().employees.len());
    /// # Ok(()) }
    /// ```
    pub async fn prepare(&self) -> Result<Pending<'_, S>, DirectoryError> {
        self.prepare_with(&self.diff_options).await
    }

    /// [`prepare`](Self::prepare) past the mass-removal guard.
    pub async fn prepare_forced(&self) -> Result<Pending<'_, S>, DirectoryError> {
        self.prepare_with(&self.diff_options.clone().force(true))
            .await
    }

    async fn prepare_with(&self, options: &DiffOptions) -> Result<Pending<'_, S>, DirectoryError> {
        let turn = self.turn.lock().await;
        let labels = self.fresh_labels().await?;
        let employees = self.read_everyone().await?;
        let previous = self.store.load().await?.unwrap_or_default();
        let mut current = self.snapshot(employees, &labels).build();
        current.keep_withheld(&previous);
        let diff = diff_with(&previous, &current, options)?;
        Ok(Pending {
            directory: self,
            snapshot: current,
            diff,
            labels,
            _turn: turn,
        })
    }

    /// One full read into a snapshot, with the labels it was built with:
    /// no store, no diff, no turn. For an export that keeps no state (a
    /// diff against nothing would only make every user a `user.created`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hibob::directory::{Directory, MemoryStore, Store};
    /// use hibob::testing::FakeHibob;
    ///
    /// let fake = FakeHibob::builder().employees(5).start().await;
    /// let directory = Directory::builder(fake.client(), MemoryStore::new()).build();
    /// let (snapshot, labels) = directory.read_snapshot().await?;
    /// assert_eq!(snapshot.users.len(), fake.truth().employees.len());
    /// assert!(!labels.catalog.is_empty());
    /// assert!(directory.store().load().await?.is_none());
    /// # Ok(()) }
    /// ```
    pub async fn read_snapshot(&self) -> Result<(Snapshot, Arc<Labels>), DirectoryError> {
        let labels = self.fresh_labels().await?;
        let employees = self.read_everyone().await?;
        Ok((self.snapshot(employees, &labels).build(), labels))
    }

    /// Re-reads one employee and stores what changed. When the read shows
    /// no change, it waits the re-read delay and reads once more (HiBob's
    /// reads lag its writes); the wait does not hold up reconciliations or
    /// other refreshes. An employee HiBob answers 404 for (deleted, or out
    /// of the service user's audience) is `user.removed` when known, and a
    /// [`Finding::NotVisible`] either way.
    pub async fn refresh_employee(&self, id: &EmployeeId) -> Result<SyncReport, DirectoryError> {
        let first = self.refresh_once(id).await?;
        if !first.events.is_empty() || self.reread_delay.is_zero() {
            return Ok(first);
        }
        tokio::time::sleep(self.reread_delay).await;
        self.refresh_once(id).await
    }

    /// One read of `id` merged into the stored snapshot; stored only when
    /// something changed.
    async fn refresh_once(&self, id: &EmployeeId) -> Result<SyncReport, DirectoryError> {
        let _turn = self.turn.lock().await;
        let previous = self.store.load().await?.ok_or(DirectoryError::NoBaseline)?;
        let labels = self.cached_labels().await?;
        let Some(fresh) = self.read_one(id, &labels).await? else {
            return self.remove_known(&previous, id, true).await;
        };
        let current = previous.updated_with(fresh);
        let diff = diff_with(&previous, &current, &self.diff_options)?;
        if diff.events.is_empty() {
            return Ok(report(current, diff, None)); // nothing new to store
        }
        self.save(current, diff).await
    }

    /// Takes one employee out of the directory (`employee.deleted`): a
    /// `user.removed` when they were in it.
    pub async fn remove_employee(&self, id: &EmployeeId) -> Result<SyncReport, DirectoryError> {
        let _turn = self.turn.lock().await;
        let previous = self.store.load().await?.ok_or(DirectoryError::NoBaseline)?;
        self.remove_known(&previous, id, false).await
    }

    async fn remove_known(
        &self,
        previous: &Snapshot,
        id: &EmployeeId,
        not_visible: bool,
    ) -> Result<SyncReport, DirectoryError> {
        let gone = BTreeSet::from([id.clone()]);
        let current = previous.without_users(&gone, Utc::now().trunc_subsecs(3));
        let mut diff = diff_with(previous, &current, &DiffOptions::default().force(true))?;
        if not_visible {
            diff.findings.push(Finding::NotVisible {
                user_id: id.clone(),
            });
        }
        self.save(current, diff).await
    }

    async fn save(&self, current: Snapshot, diff: Diff) -> Result<SyncReport, DirectoryError> {
        let batch = self.store.save(&current, &diff.events).await?;
        Ok(report(current, diff, batch))
    }

    fn fields(&self) -> Vec<FieldId> {
        let mut fields = USER_FIELDS.to_vec();
        for extra in self.group_fields.iter().chain(&self.extra_fields) {
            if !fields.contains(extra) {
                fields.push(extra.clone());
            }
        }
        fields
    }

    fn snapshot<'a>(
        &self,
        employees: Vec<Employee>,
        labels: &'a Labels,
    ) -> super::SnapshotBuilder<'a> {
        // Whole milliseconds: `at` reads well in events, and survives any store.
        Snapshot::builder(employees, labels, Utc::now().trunc_subsecs(3))
            .group_fields(self.group_fields.iter().cloned())
            .extra_fields(self.extra_fields.iter().cloned())
    }

    async fn read_everyone(&self) -> Result<Vec<Employee>, Error> {
        self.client
            .people()
            .search()
            .fields(self.fields())
            .show_inactive(self.show_inactive)
            .stream()
            .try_collect()
            .await
    }

    /// One employee's fresh snapshot, `None` for a 404.
    async fn read_one(&self, id: &EmployeeId, labels: &Labels) -> Result<Option<Snapshot>, Error> {
        match self
            .client
            .people()
            .get(id.as_str())
            .fields(self.fields())
            .await
        {
            Ok(employee) => Ok(Some(self.snapshot(vec![employee], labels).build())),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Reads the labels (a reconciliation always does, so renamed and new
    /// items are seen) and caches them for refreshes. Fields metadata goes
    /// first and alone: it needs no permission, so bad credentials cost
    /// one 401, and an unknown group or extra field is refused before the
    /// lists and the search are read.
    async fn fresh_labels(&self) -> Result<Arc<Labels>, DirectoryError> {
        let fields = self.client.metadata().fields().await?;
        let catalog = crate::metadata::FieldCatalog::new(fields);
        self.check_fields(&catalog)?;
        let lists = self.client.metadata().named_lists(true).await?;
        let labels = Arc::new(Labels::new(catalog, lists));
        *self.labels.lock().unwrap_or_else(|e| e.into_inner()) = Some(labels.clone());
        Ok(labels)
    }

    fn check_fields(&self, catalog: &crate::metadata::FieldCatalog) -> Result<(), DirectoryError> {
        let groups = self.group_fields.iter().map(|f| (f, true));
        let extras = self.extra_fields.iter().map(|f| (f, false));
        match groups.chain(extras).find(|(f, _)| catalog.get(f).is_none()) {
            Some((field, group)) => Err(DirectoryError::UnknownField {
                field: field.clone(),
                group,
            }),
            None => Ok(()),
        }
    }

    async fn cached_labels(&self) -> Result<Arc<Labels>, DirectoryError> {
        let cached = self
            .labels
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match cached {
            Some(labels) => Ok(labels),
            None => self.fresh_labels().await,
        }
    }
}

/// A reconciliation read and diffed but not stored yet; see
/// [`Directory::prepare`].
#[derive(Debug)]
#[must_use = "nothing is stored until .commit()"]
pub struct Pending<'a, S> {
    directory: &'a Directory<S>,
    snapshot: Snapshot,
    diff: Diff,
    labels: Arc<Labels>,
    _turn: tokio::sync::MutexGuard<'a, ()>,
}

impl<S: Store> Pending<'_, S> {
    /// The snapshot that will be stored.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The events that will be stored with it.
    pub fn events(&self) -> &[Event] {
        &self.diff.events
    }

    /// The diff's warnings (the snapshot's are in [`snapshot`](Self::snapshot)).
    pub fn findings(&self) -> &[Finding] {
        &self.diff.findings
    }

    /// The labels the snapshot was built with.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// Stores the snapshot and its events.
    pub async fn commit(self) -> Result<SyncReport, DirectoryError> {
        let Pending {
            directory,
            snapshot,
            diff,
            ..
        } = self;
        directory.save(snapshot, diff).await
    }
}

/// The report of a sync whose `current` snapshot and `diff` were stored as
/// `batch` (or needed no storing).
fn report(current: Snapshot, diff: Diff, batch: Option<BatchId>) -> SyncReport {
    let mut findings = current.findings;
    findings.extend(diff.findings);
    SyncReport {
        events: diff.events,
        batch,
        findings,
        users: current.users.len(),
    }
}
