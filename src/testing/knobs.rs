//! [`Knobs`]: the fake's behaviour switches, and [`RateLimit`].

use std::collections::BTreeSet;
use std::time::Duration;

use super::Table;

/// A sliding-window rate limit applied to each route separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub max: u32,
    /// The window length.
    pub window: Duration,
}

/// The fake's behaviour switches; set them on the builder or at runtime with
/// [`FakeHibob::knobs`](super::FakeHibob::knobs).
///
/// ```
/// use std::time::Duration;
/// use hibob::Error;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let fake = hibob::testing::FakeHibob::builder().employees(5).start().await;
/// let client = fake.client();
/// fake.knobs(|k| {
///     k.deny_category("payroll").rate_limit(1, Duration::from_secs(60));
/// });
/// let id = fake.truth().employees[0].id.clone();
/// let denied = client.tables().salaries(&id).await.unwrap_err();
/// assert!(matches!(denied, Error::PermissionDenied { .. }));
/// fake.knobs(|k| {
///     k.no_faults();
/// });
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Knobs {
    /// Category IDs the service user may not view: their fields are silently
    /// omitted from people reads and their tables answer 403.
    pub denied_categories: BTreeSet<String>,
    /// Tables served with the current row only ("sections" without "section histories").
    pub current_only: BTreeSet<Table>,
    /// The service user is in no permission group: 403 everywhere except fields metadata.
    pub no_permission_group: bool,
    /// The audience covers only these lifecycle statuses (`None`: everyone).
    pub audience_lifecycle: Option<Vec<String>>,
    /// Employees outside the audience.
    pub audience_excluded: BTreeSet<String>,
    /// Every request answers 401, as for a revoked service user.
    pub reject_all_credentials: bool,
    /// A per-route rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Fraction of requests answered 500/502/503 (some with an HTML body).
    pub fault_rate: f64,
    /// Fraction of 200 JSON responses cut in half.
    pub truncated_rate: f64,
    /// Fraction of requests whose connection is closed without a response.
    pub drop_rate: f64,
    /// How many of the next requests, on any route, are dropped: the fake
    /// reads each one, body included, then closes the connection without
    /// answering (logged with status 0, like `drop_rate`). Each drop uses up
    /// one; later requests are answered as usual. Unlike `drop_rate` this is
    /// not random, so a test can drop exactly the request it means, e.g. to
    /// show that a write whose answer was lost is not sent again. Set with
    /// [`Knobs::drop_next()`](method@Self::drop_next).
    pub drop_next: u32,
    /// How many of the next requests are answered and then dropped: the fake
    /// applies each one (a create adds the employee, an update changes
    /// them) and closes the connection instead of sending the answer
    /// (logged with status 0). The client sees a write whose outcome it
    /// cannot know; a test can then show the write is not sent again and
    /// was applied once. Set with
    /// [`Knobs::drop_after_apply()`](method@Self::drop_after_apply).
    pub drop_after_apply: u32,
    /// With `drop_after_apply`: only requests on this route count (the
    /// fake's route template, e.g. `POST /people`); others are answered as
    /// usual. Set with
    /// [`drop_after_apply_on`](Self::drop_after_apply_on).
    pub drop_after_apply_route: Option<String>,
    /// Delay before every response.
    pub latency: Option<Duration>,
    /// How many of the next `POST /people/search` requests are stalled: each
    /// one uses up one, and is answered as usual but only after
    /// [`search_stall`](Self::search_stall) (on top of `latency`). A client
    /// whose attempt timeout is shorter sees a timeout; later searches and
    /// other endpoints are not delayed. Set with
    /// [`stall_searches`](Self::stall_searches).
    pub stalled_searches: u32,
    /// How long a stalled search waits before its answer (see
    /// [`stalled_searches`](Self::stalled_searches)).
    pub search_stall: Duration,
    /// Unknown `GET /people/{id}/…` paths answer 200 `text/html`, as HiBob does.
    pub html_for_unknown_paths: bool,
    /// Route-template prefixes whose writes answer 403, as for a permission
    /// group without the Edit permission (see [`deny_writes`](Self::deny_writes)).
    pub denied_writes: BTreeSet<String>,
    /// Reads see the company as it was before writes younger than this, as
    /// HiBob documents (up to about 20 s). Writes themselves see every
    /// earlier write (a repeated update is a 304, a repeated create a
    /// duplicate). Measured on tokio's clock of the runtime that started
    /// the fake, so a paused-clock test controls it. Set with
    /// [`Knobs::read_lag()`](method@Self::read_lag).
    pub read_lag: Option<Duration>,
    /// Fields (dotted JSON paths as sent, e.g. `home.mobilePhone` or
    /// `about.about`) every write silently leaves out, as HiBob does with a
    /// value it cannot read: the write answers as if it had stored them. Set
    /// with [`drop_field_on_write`](Self::drop_field_on_write).
    pub dropped_on_write: BTreeSet<String>,
}

impl Knobs {
    /// Denies a category by ID (`work`, `lifecycle`, `payroll`, …).
    pub fn deny_category(&mut self, category_id: impl Into<String>) -> &mut Self {
        self.denied_categories.insert(category_id.into());
        self
    }

    /// Serves only the current row of `table`.
    pub fn history_current_only(&mut self, table: Table) -> &mut Self {
        self.current_only.insert(table);
        self
    }

    /// Limits the audience to lifecycle status `employed`: former employees,
    /// future hires and people on leave become invisible.
    pub fn hide_inactive(&mut self) -> &mut Self {
        self.audience_lifecycle(["employed"])
    }

    /// Limits the audience to these lifecycle statuses.
    pub fn audience_lifecycle<S: Into<String>>(
        &mut self,
        statuses: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.audience_lifecycle = Some(statuses.into_iter().map(Into::into).collect());
        self
    }

    /// Takes these employees out of the audience.
    pub fn audience_exclude<S: Into<String>>(
        &mut self,
        ids: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.audience_excluded
            .extend(ids.into_iter().map(Into::into));
        self
    }

    /// Takes the audience limits off: every employee is visible again.
    pub fn audience_everyone(&mut self) -> &mut Self {
        self.audience_lifecycle = None;
        self.audience_excluded.clear();
        self
    }

    /// Allows `max` requests per `window` on each route; beyond that, 429.
    pub fn rate_limit(&mut self, max: u32, window: Duration) -> &mut Self {
        self.rate_limit = Some(RateLimit { max, window });
        self
    }

    /// Stalls the next `count` people searches by `delay` each, so a client
    /// whose attempt timeout is shorter than `delay` times out on exactly those
    /// searches (see [`stalled_searches`](Self::stalled_searches)).
    ///
    /// The stall is real time on the fake's own server thread, so pair a long
    /// `delay` (e.g. 60 s) with a short client attempt timeout (e.g. 200 ms):
    /// the test then waits only for the client's timeout, and the stalled
    /// answer is dropped with the fake.
    pub fn stall_searches(&mut self, count: u32, delay: Duration) -> &mut Self {
        self.stalled_searches = count;
        self.search_stall = delay;
        self
    }

    /// Drops the next `count` requests, whatever their route: each is read in
    /// full and its connection closed without an answer (see the
    /// [`drop_next` field](field@Self::drop_next)).
    pub fn drop_next(&mut self, count: u32) -> &mut Self {
        self.drop_next = count;
        self
    }

    /// Applies the next `count` requests and then drops their connections
    /// without an answer (see the
    /// [`drop_after_apply` field](field@Self::drop_after_apply)).
    pub fn drop_after_apply(&mut self, count: u32) -> &mut Self {
        self.drop_after_apply = count;
        self
    }

    /// Answers 403 to every write whose route template starts with
    /// `route_prefix` (`"/avatars"`, `"/employees/{employeeId}/invitations"`,
    /// `"/employees"`, `"/people"`): writes are PUT, PATCH, DELETE and POST
    /// except the read-only people searches and reads. Reads of the same
    /// routes are still served, so a test can show a write's 403 hint while
    /// reads work.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// fake.knobs(|k| {
    ///     k.deny_writes("/avatars");
    /// });
    /// let id = fake.truth().employees[0].id.clone();
    /// let client = fake.client();
    /// let people = client.people();
    /// let denied = people.set_avatar(&id, "https://img.example/a.png").await;
    /// assert!(matches!(denied, Err(hibob::Error::PermissionDenied { .. })));
    /// assert!(people.avatar(&id).await.is_ok());
    /// # }
    /// ```
    pub fn deny_writes(&mut self, route_prefix: impl Into<String>) -> &mut Self {
        self.denied_writes.insert(route_prefix.into());
        self
    }

    /// Whether [`deny_writes`](Self::deny_writes) refuses the endpoint
    /// `template` (`"PUT /avatars/{employeeId}"`).
    pub(crate) fn denies_write(&self, template: &str) -> bool {
        let Some((_, route)) = template.split_once(' ') else {
            return false;
        };
        !super::consistency::is_read(template)
            && self
                .denied_writes
                .iter()
                .any(|p| route.starts_with(p.as_str()))
    }

    /// Makes reads lag writes by `lag` (see the
    /// [`read_lag` field](field@Self::read_lag)).
    ///
    /// ```
    /// use std::time::Duration;
    /// use hibob::field;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// let client = fake.client();
    /// // Real time here; a test on tokio's paused clock can use HiBob's 20 s.
    /// fake.knobs(|k| {
    ///     k.read_lag(Duration::from_millis(200));
    /// });
    /// let id = fake.truth().employees[0].id.clone();
    /// client.people().update(&id).set(field::FIRST_NAME, "Augusta").await?;
    /// let soon = client.people().get(&id).fields([field::FIRST_NAME]).await?;
    /// assert_ne!(soon.first_name(), Some("Augusta"), "not visible yet");
    /// tokio::time::sleep(Duration::from_millis(200)).await;
    /// let later = client.people().get(&id).fields([field::FIRST_NAME]).await?;
    /// assert_eq!(later.first_name(), Some("Augusta"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_lag(&mut self, lag: Duration) -> &mut Self {
        self.read_lag = Some(lag);
        self
    }

    /// Makes every write silently leave out the field at dotted JSON path
    /// `path` (see the
    /// [`dropped_on_write` field](field@Self::dropped_on_write)).
    pub fn drop_field_on_write(&mut self, path: impl Into<String>) -> &mut Self {
        self.dropped_on_write.insert(path.into());
        self
    }

    /// Like [`drop_after_apply`](method@Self::drop_after_apply), but only
    /// for requests on `route` (`POST /people`, `PUT /people/{identifier}`:
    /// the method and the path template HiBob's docs use): a test can let
    /// the reads before a write through and lose exactly the write's answer.
    ///
    /// ```
    /// use hibob::chrono::NaiveDate;
    /// use hibob::people::NewEmployee;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// let client = fake.client();
    /// fake.knobs(|k| {
    ///     k.drop_after_apply_on("POST /people", 1);
    /// });
    /// let found = client.people().search().await.unwrap();
    /// assert_eq!(found.employees.len(), 3, "a search is answered");
    /// let start = NaiveDate::from_ymd_opt(2021, 1, 4).unwrap();
    /// let hire = NewEmployee::new("Ada", "L", "ada@example.com", "Paris", start);
    /// let lost = client.people().create(hire).await.unwrap_err();
    /// assert!(matches!(lost, hibob::Error::OutcomeUnknown { .. }));
    /// assert_eq!(fake.truth().employees.len(), 4, "applied once");
    /// # }
    /// ```
    pub fn drop_after_apply_on(&mut self, route: impl Into<String>, count: u32) -> &mut Self {
        self.drop_after_apply = count;
        self.drop_after_apply_route = Some(route.into());
        self
    }

    /// Turns off every injected failure (faults, truncation, drops, latency,
    /// stalled searches).
    pub fn no_faults(&mut self) -> &mut Self {
        self.fault_rate = 0.0;
        self.truncated_rate = 0.0;
        self.drop_rate = 0.0;
        self.drop_next = 0;
        self.drop_after_apply = 0;
        self.drop_after_apply_route = None;
        self.latency = None;
        self.stalled_searches = 0;
        self
    }
}
