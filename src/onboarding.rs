//! Onboarding: the company's welcome wizards (`GET /onboarding/wizards`),
//! which an invitation ([`People::invite`](crate::people::People::invite))
//! names.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), hibob::Error> {
//! # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
//! # let client = fake.client();
//! let wizards = client.onboarding().wizards().await?;
//! let first = &wizards[0];
//! println!("{} {}", first.id, first.name.as_deref().unwrap_or("(no name)"));
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::Client;
use crate::endpoint::Endpoint;
use crate::transport::{Json, RequestFuture, request_future};

/// What HiBob's onboarding reference asks for to read the wizards.
pub(crate) const CUSTOMIZE_WELCOME_FLOW: &str =
    "Features > Settings > 'Welcome' flow > Customize the welcome flow";

/// `GET /onboarding/wizards`: every welcome wizard, in one answer.
static WIZARDS: Endpoint<(), (), Json<WizardsResponse>> =
    Endpoint::get("/onboarding/wizards").permission(CUSTOMIZE_WELCOME_FLOW);

impl Client {
    /// Onboarding: the welcome wizards (see [`onboarding`](crate::onboarding)).
    pub fn onboarding(&self) -> Onboarding<'_> {
        Onboarding { client: self }
    }
}

/// The onboarding handle; see [`Client::onboarding`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hibob::Error> {
/// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
/// # let client = fake.client();
/// let onboarding = client.onboarding();
/// let wizards = onboarding.wizards().await?;
/// assert!(wizards.iter().all(|w| w.id > 0));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Onboarding<'a> {
    client: &'a Client,
}

impl Onboarding<'_> {
    /// Every welcome wizard (`GET /onboarding/wizards`): the IDs
    /// [`People::invite`](crate::people::People::invite) takes. A 403 names
    /// "Features > Settings > 'Welcome' flow > Customize the welcome flow".
    /// An answer without a `wizards` list is [`Error::Decode`](crate::Error::Decode),
    /// never an empty list.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let wizards = client.onboarding().wizards().await?;
    /// let id = client.people().search().await?.employees[0].id().unwrap().clone();
    /// client.people().invite(&id, wizards[0].id).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn wizards(&self) -> RequestFuture<Vec<Wizard>> {
        let client = self.client.clone();
        request_future(async move { Ok(WIZARDS.send(&client, &[], &(), &()).await?.value.wizards) })
    }
}

/// `GET /onboarding/wizards`' answer.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WizardsResponse {
    wizards: Vec<Wizard>,
}

/// A welcome wizard, as `GET /onboarding/wizards` lists it.
///
/// ```
/// use hibob::onboarding::Wizard;
///
/// let wizard: Wizard = serde_json::from_value(serde_json::json!({
///     "id": "42", "name": "Engineering", "description": "Laptop first", "steps": 3
/// })).unwrap();
/// assert_eq!(wizard.id, 42);
/// assert_eq!(wizard.description.as_deref(), Some("Laptop first"));
/// assert_eq!(wizard.extra["steps"], 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Wizard {
    /// `id`: what an invitation's `welcomeWizardId` takes. HiBob's spec
    /// types it as a number; a numeric string is read too.
    #[serde(deserialize_with = "number_or_string")]
    pub id: u64,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `description`, which the docs mention and the spec does not draw.
    #[serde(default)]
    pub description: Option<String>,
    /// Every other key, as HiBob sent it.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn number_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    use serde::de::Error as _;
    match Value::deserialize(deserializer)? {
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| D::Error::custom(format!("wizard id {n} is not a whole number"))),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| D::Error::custom(format!("wizard id {s:?} is not a number"))),
        other => Err(D::Error::custom(format!(
            "wizard id must be a number, got {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wizard(value: Value) -> Result<Wizard, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn a_wizard_id_is_a_whole_number_or_a_numeric_string() {
        assert_eq!(wizard(serde_json::json!({"id": 5})).unwrap().id, 5);
        assert_eq!(wizard(serde_json::json!({"id": " 6 "})).unwrap().id, 6);
        for bad in [
            serde_json::json!({"id": -1}),
            serde_json::json!({"id": 1.5}),
            serde_json::json!({"id": "six"}),
            serde_json::json!({"id": null}),
            serde_json::json!({"name": "no id"}),
        ] {
            assert!(wizard(bad.clone()).is_err(), "{bad}");
        }
        let named = wizard(serde_json::json!({"id": 1, "name": null})).unwrap();
        assert_eq!(named.name, None);
        assert!(
            named.extra.is_empty(),
            "typed keys are not repeated in extra"
        );
    }
}
