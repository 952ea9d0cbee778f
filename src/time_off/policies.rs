//! Policy types, their reason codes, policy names and policies, and the walk
//! from types to every policy (HiBob has no "list all policies" endpoint).

use std::collections::VecDeque;

use futures::stream;
use serde::Serialize;

use super::{TIME_OFF_SETTINGS, TimeOff};
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::models::time_off::{
    AddReasonCodes, Policy, PolicyNames, PolicyType, PolicyTypeNames, ReasonCode, ReasonCodes,
};
use crate::transport::{
    Json, NoContent, RequestFuture, RequestStream, request_future, request_stream,
};
use crate::{Client, Error};

/// `GET /timeoff/policy-types`: every policy type's name.
static POLICY_TYPES: Endpoint<(), (), Json<PolicyTypeNames>> =
    Endpoint::get("/timeoff/policy-types").permission(TIME_OFF_SETTINGS);

/// `GET /timeoff/policy-types/{policyType}`: one type; 404 if unknown.
static POLICY_TYPE: Endpoint<(), (), Json<PolicyType>> =
    Endpoint::get("/timeoff/policy-types/{policyType}").permission(TIME_OFF_SETTINGS);

/// `GET /timeoff/policy-types/{policyType}/reason-codes`.
static REASON_CODES: Endpoint<(), (), Json<ReasonCodes>> =
    Endpoint::get("/timeoff/policy-types/{policyType}/reason-codes").permission(TIME_OFF_SETTINGS);

/// `POST /timeoff/policy-types/{policyType}/reason-codes` with
/// [`AddReasonCodes`]: HiBob answers 200 with an empty body; a create, never
/// resent once it may have reached HiBob.
static ADD_REASON_CODES: Endpoint<(), AddReasonCodes, NoContent> = Endpoint::post(
    "/timeoff/policy-types/{policyType}/reason-codes",
    Retry::Create,
)
.permission(TIME_OFF_SETTINGS);

/// `GET /timeoff/policies/names?policyTypeName=`: one type's policy names.
static POLICY_NAMES: Endpoint<NamesQuery, (), Json<PolicyNames>> =
    Endpoint::get("/timeoff/policies/names").permission(TIME_OFF_SETTINGS);

/// `GET /timeoff/policies?policyName=`: one policy; 404 if unknown.
static POLICY: Endpoint<PolicyQuery, (), Json<Policy>> =
    Endpoint::get("/timeoff/policies").permission(TIME_OFF_SETTINGS);

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NamesQuery<'a> {
    policy_type_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyQuery<'a> {
    policy_name: &'a str,
}

impl Payload for AddReasonCodes {
    fn validate(&self) -> Result<(), Error> {
        AddReasonCodes::validate(self)
    }
}

/// Refuses a blank name before it becomes `policyName=`.
fn named<'a>(what: &str, name: &'a str) -> Result<&'a str, Error> {
    if name.trim().is_empty() {
        return Err(Error::invalid(format!("{what} is blank")));
    }
    Ok(name)
}

async fn policy_names(client: &Client, type_name: &str) -> Result<Vec<String>, Error> {
    let query = NamesQuery {
        policy_type_name: named("the policy type name", type_name)?,
    };
    Ok(POLICY_NAMES
        .send(client, &[], &query, &())
        .await?
        .value
        .policy_names)
}

async fn policy(client: &Client, name: &str) -> Result<Policy, Error> {
    let query = PolicyQuery {
        policy_name: named("the policy name", name)?,
    };
    Ok(POLICY.send(client, &[], &query, &()).await?.value)
}

impl TimeOff<'_> {
    /// Every policy type's name (`GET /timeoff/policy-types`), which the
    /// other policy calls take.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let types = client.time_off().policy_types().await?;
    /// assert!(types.iter().any(|t| t == "Holiday"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn policy_types(&self) -> RequestFuture<Vec<String>> {
        let client = self.client.clone();
        request_future(async move {
            let response = POLICY_TYPES.send(&client, &[], &(), &()).await?;
            Ok(response.value.policy_types)
        })
    }

    /// One policy type (`GET /timeoff/policy-types/{policyType}`); an
    /// unknown name is [`Error::NotFound`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let holiday = client.time_off().policy_type("Holiday").await?;
    /// println!("{holiday:?}");
    /// let unknown = client.time_off().policy_type("No such type").await;
    /// assert!(matches!(unknown, Err(hibob::Error::NotFound { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn policy_type(&self, name: impl Into<String>) -> RequestFuture<PolicyType> {
        let client = self.client.clone();
        let name = name.into();
        request_future(async move {
            let response = POLICY_TYPE.send(&client, &[&name], &(), &()).await?;
            Ok(response.value)
        })
    }

    /// A policy type's reason codes
    /// (`GET /timeoff/policy-types/{policyType}/reason-codes`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let codes = client.time_off().reason_codes("Holiday").await?;
    /// assert!(codes.iter().all(|c| c.id.is_some()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn reason_codes(&self, policy_type: impl Into<String>) -> RequestFuture<Vec<ReasonCode>> {
        let client = self.client.clone();
        let name = policy_type.into();
        request_future(async move {
            let response = REASON_CODES.send(&client, &[&name], &(), &()).await?;
            Ok(response.value.reason_codes)
        })
    }

    /// Adds reason codes to a policy type
    /// (`POST /timeoff/policy-types/{policyType}/reason-codes`). The list is
    /// validated first ([`AddReasonCodes::validate`]); never resent once it
    /// may have reached HiBob (read the codes back on
    /// [`Error::OutcomeUnknown`]).
    ///
    /// ```
    /// use hibob::time_off::AddReasonCodes;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let time_off = client.time_off();
    /// time_off.add_reason_codes("Holiday", AddReasonCodes::new(["Wedding"])).await?;
    /// let codes = time_off.reason_codes("Holiday").await?;
    /// assert!(codes.iter().any(|c| c.display_name.as_deref() == Some("Wedding")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_reason_codes(
        &self,
        policy_type: impl Into<String>,
        codes: AddReasonCodes,
    ) -> RequestFuture<()> {
        let client = self.client.clone();
        let name = policy_type.into();
        request_future(async move {
            ADD_REASON_CODES
                .send(&client, &[&name], &(), &codes)
                .await
                .map(drop)
        })
    }

    /// The names of a policy type's policies
    /// (`GET /timeoff/policies/names?policyTypeName=`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let names = client.time_off().policy_names("Holiday").await?;
    /// assert!(!names.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn policy_names(&self, type_name: impl Into<String>) -> RequestFuture<Vec<String>> {
        let client = self.client.clone();
        let type_name = type_name.into();
        request_future(async move { policy_names(&client, &type_name).await })
    }

    /// One policy by name (`GET /timeoff/policies?policyName=`); an unknown
    /// name is [`Error::NotFound`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(25).start().await;
    /// # let client = fake.client();
    /// let time_off = client.time_off();
    /// let name = time_off.policy_names("Holiday").await?.remove(0);
    /// let policy = time_off.policy(name.as_str()).await?;
    /// assert_eq!(policy.name.as_deref(), Some(name.as_str()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn policy(&self, name: impl Into<String>) -> RequestFuture<Policy> {
        let client = self.client.clone();
        let name = name.into();
        request_future(async move { policy(&client, &name).await })
    }

    /// Every policy of every type, read by walking HiBob's three endpoints:
    /// the type names (1 request), each type's policy names (1 request per
    /// type), each policy (1 request per policy). For T types and P policies
    /// that is **1 + T + P requests**, sent one after another; with no
    /// documented limit on them, pace a large walk with
    /// [`RateLimits`](crate::RateLimits).
    ///
    /// Each item is a policy with its type's name, types in HiBob's order
    /// and each type's policies in HiBob's order. `Unpin`; ends after its
    /// first error.
    ///
    /// ```
    /// use futures::TryStreamExt;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let mut walk = client.time_off().policies();
    /// while let Some((policy_type, policy)) = walk.try_next().await? {
    ///     println!("{policy_type}: {:?} ({:?})", policy.name, policy.unit);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn policies(&self) -> RequestStream<(String, Policy)> {
        request_stream(walk(self.client.clone()))
    }
}

/// Where a walk is: the types still to list, and the current type's
/// policies still to read.
struct Walk {
    client: Client,
    started: bool,
    types: VecDeque<String>,
    current: Option<String>,
    names: VecDeque<String>,
}

fn walk(client: Client) -> impl futures::Stream<Item = Result<(String, Policy), Error>> {
    let state = Walk {
        client,
        started: false,
        types: VecDeque::new(),
        current: None,
        names: VecDeque::new(),
    };
    stream::try_unfold(state, |mut walk| async move {
        if !walk.started {
            walk.started = true;
            let response = POLICY_TYPES.send(&walk.client, &[], &(), &()).await?;
            walk.types = response.value.policy_types.into();
        }
        loop {
            if let (Some(name), Some(type_name)) = (walk.names.pop_front(), walk.current.clone()) {
                let found = policy(&walk.client, &name).await?;
                return Ok(Some(((type_name, found), walk)));
            }
            let Some(type_name) = walk.types.pop_front() else {
                return Ok(None);
            };
            walk.names = policy_names(&walk.client, &type_name).await?.into();
            walk.current = Some(type_name);
        }
    })
}
