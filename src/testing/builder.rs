//! [`FakeHibobBuilder`]: company size, seed, credentials and knobs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use super::server::{DropMatcher, FakeResponder};
use super::state::{Shared, State};
use super::{FakeHibob, Knobs, Table, generate};

/// Builds a [`FakeHibob`]; see [`FakeHibob::builder`].
///
/// ```
/// use std::time::Duration;
/// use hibob::tables::HistoryTable;
/// use hibob::testing::FakeHibob;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// let fake = FakeHibob::builder()
///     .employees(50)
///     .seed(7) // the same seed and size give the same company
///     .deny_category("work") // Work fields silently withheld, Work tables 403
///     .history_current_only(HistoryTable::Lifecycle)
///     .latency(Duration::from_millis(2))
///     .start()
///     .await;
/// let found = fake.client().people().search().show_inactive(true).await?;
/// assert_eq!(found.employees.len(), fake.truth().employees.len());
/// assert!(found.employees.iter().all(|e| e.department().is_none()));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "call .start().await to run the fake"]
pub struct FakeHibobBuilder {
    employees: usize,
    seed: u64,
    today: Option<NaiveDate>,
    credentials: Option<(String, String)>,
    port: u16,
    knobs: Knobs,
}

impl Default for FakeHibobBuilder {
    fn default() -> Self {
        Self {
            employees: 50,
            seed: 1,
            today: None,
            credentials: None,
            port: 0,
            knobs: Knobs::default(),
        }
    }
}

impl FakeHibobBuilder {
    /// Company size (default 50; at least 1). From 12 employees on, the company
    /// always has a future hire, a former employee, someone on leave and a re-hire.
    pub fn employees(mut self, n: usize) -> Self {
        self.employees = n;
        self
    }

    /// The seed: same seed, size and `today` ⇒ identical company and responses (default 1).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Pins "today" (default: the current UTC date).
    pub fn today(mut self, today: NaiveDate) -> Self {
        self.today = Some(today);
        self
    }

    /// Uses these credentials instead of generated ones.
    pub fn credentials(
        mut self,
        service_user_id: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.credentials = Some((service_user_id.into(), token.into()));
        self
    }

    /// Listens on this port of `127.0.0.1` (default 0: any free port, see
    /// [`FakeHibob::uri`]). A taken port makes [`start`](Self::start) panic
    /// and [`try_start`](Self::try_start) fail.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// See [`Knobs::denied_categories`].
    pub fn deny_category(mut self, category_id: impl Into<String>) -> Self {
        self.knobs.deny_category(category_id);
        self
    }

    /// See [`Knobs::current_only`].
    pub fn history_current_only(mut self, table: Table) -> Self {
        self.knobs.history_current_only(table);
        self
    }

    /// See [`Knobs::no_permission_group`].
    pub fn no_permission_group(mut self) -> Self {
        self.knobs.no_permission_group = true;
        self
    }

    /// Limits the audience to lifecycle status `employed`: former employees,
    /// future hires and people on leave become invisible.
    pub fn hide_inactive(mut self) -> Self {
        self.knobs.hide_inactive();
        self
    }

    /// Limits the audience to these lifecycle statuses.
    pub fn audience_lifecycle<S: Into<String>>(
        mut self,
        statuses: impl IntoIterator<Item = S>,
    ) -> Self {
        self.knobs.audience_lifecycle(statuses);
        self
    }

    /// Takes these employees out of the audience.
    pub fn audience_exclude<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.knobs.audience_exclude(ids);
        self
    }

    /// Every request answers 401 (a revoked service user).
    pub fn wrong_credentials(mut self) -> Self {
        self.knobs.reject_all_credentials = true;
        self
    }

    /// Allows `max` requests per `window` on each route; beyond that, 429.
    pub fn rate_limit(mut self, max: u32, window: Duration) -> Self {
        self.knobs.rate_limit(max, window);
        self
    }

    /// See [`Knobs::fault_rate`].
    pub fn fault_rate(mut self, p: f64) -> Self {
        self.knobs.fault_rate = p;
        self
    }

    /// See [`Knobs::truncated_rate`].
    pub fn truncated_rate(mut self, p: f64) -> Self {
        self.knobs.truncated_rate = p;
        self
    }

    /// See [`Knobs::drop_rate`].
    pub fn drop_rate(mut self, p: f64) -> Self {
        self.knobs.drop_rate = p;
        self
    }

    /// Drops the first `count` requests after reading them; see
    /// [`Knobs::drop_next`](field@Knobs::drop_next).
    pub fn drop_next(mut self, count: u32) -> Self {
        self.knobs.drop_next(count);
        self
    }

    /// See [`Knobs::latency`].
    pub fn latency(mut self, delay: Duration) -> Self {
        self.knobs.latency = Some(delay);
        self
    }

    /// Stalls the first `count` people searches by `delay` each; see
    /// [`Knobs::stall_searches`].
    pub fn stall_searches(mut self, count: u32, delay: Duration) -> Self {
        self.knobs.stall_searches(count, delay);
        self
    }

    /// See [`Knobs::html_for_unknown_paths`].
    pub fn html_for_unknown_paths(mut self) -> Self {
        self.knobs.html_for_unknown_paths = true;
        self
    }

    /// Replaces all knobs at once.
    pub fn knobs(mut self, knobs: Knobs) -> Self {
        self.knobs = knobs;
        self
    }

    /// Generates the company and starts the server on `127.0.0.1`.
    ///
    /// # Panics
    /// If the [`port`](Self::port) cannot be bound; use
    /// [`try_start`](Self::try_start) to handle that.
    pub async fn start(self) -> FakeHibob {
        let port = self.port;
        self.try_start()
            .await
            .unwrap_or_else(|e| panic!("fake HiBob: cannot listen on 127.0.0.1:{port}: {e}"))
    }

    /// Like [`start`](Self::start), but a port that cannot be bound (taken,
    /// or privileged) is an error instead of a panic.
    pub async fn try_start(self) -> std::io::Result<FakeHibob> {
        let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, self.port))?;
        let today = self
            .today
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        let store = generate::generate(self.employees, self.seed, today);
        let (service_user_id, token) = self.credentials.unwrap_or_else(|| {
            let mut rng = generate::Rng::new(self.seed ^ 0x005E_C2E7);
            let id = format!("SERVICE-{}", 10_000 + rng.below(90_000));
            let token: String = (0..40)
                .map(|_| {
                    let chars = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                    chars[rng.below(chars.len() as u64) as usize] as char
                })
                .collect();
            (id, token)
        });
        let auth = format!(
            "Basic {}",
            base64(format!("{service_user_id}:{token}").as_bytes())
        );
        let state: Shared = Arc::new(Mutex::new(State::new(store, self.knobs, auth, self.seed)));
        let server = MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        Mock::given(DropMatcher(state.clone()))
            .respond_with_err(|_: &wiremock::Request| {
                std::io::Error::other("fake HiBob dropped the connection")
            })
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(FakeResponder(state.clone()))
            .with_priority(2)
            .mount(&server)
            .await;
        Ok(FakeHibob {
            server,
            state,
            service_user_id,
            token,
            #[cfg(feature = "webhooks")]
            outbox: super::delivery::Outbox::default(),
        })
    }
}

/// Standard base64 with padding (for the expected `Authorization` header).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
