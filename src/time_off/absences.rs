//! Who is out: over a date range (`GET /timeoff/whosout`) and on one day
//! (`GET /timeoff/outtoday`).

use std::future::IntoFuture;

use chrono::NaiveDate;
use serde::Serialize;

use super::{SEE_WHOS_OUT, TimeOff};
use crate::endpoint::Endpoint;
use crate::models::time_off::{OutToday, OutTodayResponse, WhosOut, WhosOutResponse};
use crate::transport::{Json, RequestFuture, request_future};
use crate::{Client, Error};

/// `GET /timeoff/whosout?from=&to=&includeHourly=&includePrivate=&includePending=`.
static WHOS_OUT: Endpoint<WhosOutQuery, (), Json<WhosOutResponse>> =
    Endpoint::get("/timeoff/whosout").permission(SEE_WHOS_OUT);

/// `GET /timeoff/outtoday?today=&siteId=&includeHourly=&includePrivate=`.
static OUT_TODAY: Endpoint<OutTodayQuery, (), Json<OutTodayResponse>> =
    Endpoint::get("/timeoff/outtoday").permission(SEE_WHOS_OUT);

/// Who's out's query: dates as `YYYY-MM-DD`; a flag is sent only when set.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct WhosOutQuery {
    from: NaiveDate,
    to: NaiveDate,
    include_hourly: Option<bool>,
    include_private: Option<bool>,
    include_pending: Option<bool>,
}

/// Out today's query: `today` only when a date is set.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct OutTodayQuery {
    today: Option<NaiveDate>,
    site_id: Option<u64>,
    include_hourly: Option<bool>,
    include_private: Option<bool>,
}

impl TimeOff<'_> {
    /// Requests overlapping `from..=to` (`GET /timeoff/whosout`), of active
    /// employees the service user may see. A range that ends before it
    /// starts is [`Error::InvalidRequest`], before anything is sent.
    pub fn whos_out(&self, from: NaiveDate, to: NaiveDate) -> WhosOutRequest {
        WhosOutRequest {
            client: self.client.clone(),
            query: WhosOutQuery {
                from,
                to,
                include_hourly: None,
                include_private: None,
                include_pending: None,
            },
        }
    }

    /// Who is out on one day (`GET /timeoff/outtoday`); see
    /// [`OutTodayRequest::on`] for which day that is by default.
    pub fn out_today(&self) -> OutTodayRequest {
        OutTodayRequest {
            client: self.client.clone(),
            query: OutTodayQuery::default(),
        }
    }
}

/// Who's out over a range; build it with [`TimeOff::whos_out`] and `.await`
/// it for the requests, in HiBob's order.
///
/// Without the flags, HiBob leaves out hourly, private and pending requests.
///
/// ```
/// use hibob::chrono::NaiveDate;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(10).start().await;
/// # let client = fake.client();
/// let (from, to) = (NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
/// let march = client.time_off().whos_out(from, to).include_pending(true).await?;
/// assert!(march.iter().all(|out| out.start_date.is_none_or(|start| start <= to)));
///
/// let backwards = client.time_off().whos_out(to, from).await;
/// assert!(matches!(backwards, Err(hibob::Error::InvalidRequest { .. })));
/// # Ok(())
/// # }
/// ```
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct WhosOutRequest {
    client: Client,
    query: WhosOutQuery,
}

impl WhosOutRequest {
    /// Includes requests measured in hours (`includeHourly`).
    pub fn include_hourly(mut self, include: bool) -> Self {
        self.query.include_hourly = Some(include);
        self
    }

    /// Includes requests of private policies and shows policies' original
    /// names instead of their custom ones (`includePrivate`; needs the
    /// private-policy permission).
    pub fn include_private(mut self, include: bool) -> Self {
        self.query.include_private = Some(include);
        self
    }

    /// Includes requests still pending approval (`includePending`).
    pub fn include_pending(mut self, include: bool) -> Self {
        self.query.include_pending = Some(include);
        self
    }

    async fn send(self) -> Result<Vec<WhosOut>, Error> {
        let WhosOutQuery { from, to, .. } = self.query;
        if to < from {
            return Err(Error::invalid(format!(
                "a who's-out range ends ({to}) before it starts ({from})"
            )));
        }
        let response = WHOS_OUT.send(&self.client, &[], &self.query, &()).await?;
        Ok(response.value.outs)
    }
}

impl IntoFuture for WhosOutRequest {
    type Output = Result<Vec<WhosOut>, Error>;
    type IntoFuture = RequestFuture<Vec<WhosOut>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}

/// Who is out on one day; build it with [`TimeOff::out_today`] and `.await`
/// it.
///
/// ```
/// use hibob::chrono::NaiveDate;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(10).start().await;
/// # let client = fake.client();
/// // The local date, not HiBob's UTC one.
/// let today = hibob::chrono::Local::now().date_naive();
/// let out = client.time_off().out_today().on(today).include_hourly(true).await?;
/// println!("{} people are out today", out.len());
/// # Ok(())
/// # }
/// ```
#[must_use = "a read does nothing until it is awaited"]
#[derive(Debug, Clone)]
pub struct OutTodayRequest {
    client: Client,
    query: OutTodayQuery,
}

impl OutTodayRequest {
    /// The day to report (`today=YYYY-MM-DD`). Without it this crate sends
    /// no `today`, and HiBob uses the UTC date at the time of the call: near
    /// midnight that is yesterday or tomorrow for much of the world, so pass
    /// the local date (`chrono::Local::now().date_naive()`) when it matters.
    pub fn on(mut self, date: NaiveDate) -> Self {
        self.query.today = Some(date);
        self
    }

    /// Only employees of this site (`siteId`, an integer in HiBob's API).
    pub fn site_id(mut self, site_id: u64) -> Self {
        self.query.site_id = Some(site_id);
        self
    }

    /// Includes requests measured in hours (`includeHourly`).
    pub fn include_hourly(mut self, include: bool) -> Self {
        self.query.include_hourly = Some(include);
        self
    }

    /// Includes requests of private policies and shows policies' original
    /// names (`includePrivate`; needs the private-policy permission).
    pub fn include_private(mut self, include: bool) -> Self {
        self.query.include_private = Some(include);
        self
    }

    async fn send(self) -> Result<Vec<OutToday>, Error> {
        let response = OUT_TODAY.send(&self.client, &[], &self.query, &()).await?;
        Ok(response.value.outs)
    }
}

impl IntoFuture for OutTodayRequest {
    type Output = Result<Vec<OutToday>, Error>;
    type IntoFuture = RequestFuture<Vec<OutToday>>;

    fn into_future(self) -> Self::IntoFuture {
        request_future(self.send())
    }
}
