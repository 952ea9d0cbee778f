//! Bob access: invite an employee with a welcome wizard
//! (`POST /employees/{employeeId}/invitations`) and revoke their access
//! (`POST /employees/{identifier}/uninvite`).

use serde::Serialize;

use super::People;
use crate::endpoint::{Endpoint, Payload, Retry};
use crate::transport::{NoContent, RequestFuture, request_future};
use crate::{EmployeeId, Error};

/// Inviting employees to Bob. HiBob's People reference does not spell this
/// one out for service users; this is the Bob UI's People feature action.
pub(crate) const INVITE: &str = "Features > People > Employees > Invite employees to Bob";

/// Revoking employees' access to Bob (same caveat as [`INVITE`]).
pub(crate) const REVOKE_ACCESS: &str =
    "Features > People > Employees > Revoke employees' access to Bob";

/// `POST /employees/{employeeId}/invitations`: 200 with no body. HiBob does
/// not say what a second invitation does (a second welcome e-mail, or a
/// refusal), so it is never resent once it may have reached HiBob.
static INVITATION: Endpoint<(), InvitationBody, NoContent> =
    Endpoint::post("/employees/{employeeId}/invitations", Retry::Create).permission(INVITE);

/// `POST /employees/{identifier}/uninvite`: 200 with no body. Treated like
/// a create: HiBob does not document what a repeat answers, and a retry that
/// met a refusal would hide that the first attempt worked.
static UNINVITE: Endpoint<(), EmptyBody, NoContent> =
    Endpoint::post("/employees/{identifier}/uninvite", Retry::Create).permission(REVOKE_ACCESS);

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InvitationBody {
    welcome_wizard_id: u64,
}

impl Payload for InvitationBody {
    fn validate(&self) -> Result<(), Error> {
        if self.welcome_wizard_id == 0 {
            return Err(Error::InvalidField {
                field: "welcomeWizardId".to_owned(),
                problem: crate::FieldProblem::Format {
                    expected:
                        "a wizard ID from `client.onboarding().wizards()` (a positive number)"
                            .to_owned(),
                },
            });
        }
        Ok(())
    }
}

/// `{}`: the uninvite takes no fields; HiBob's other SDKs send an empty POST,
/// and an empty JSON object is what every JSON endpoint accepts as "none".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EmptyBody {}

impl Payload for EmptyBody {}

impl People<'_> {
    /// Invites an employee to Bob with a welcome wizard
    /// (`POST /employees/{employeeId}/invitations`); `wizard_id` is a
    /// [`Wizard::id`](crate::onboarding::Wizard::id) from
    /// [`Onboarding::wizards`](crate::onboarding::Onboarding::wizards).
    ///
    /// A zero wizard ID is refused before sending
    /// ([`Error::InvalidField`] naming `welcomeWizardId`); an unknown
    /// employee is [`Error::NotFound`]; a wizard HiBob does not know is
    /// [`Error::BadRequest`]. HiBob sends the invitation e-mail, and does not
    /// document what inviting twice does, so the invitation is never resent
    /// once it may have reached HiBob: a dropped connection or a 5xx after
    /// sending is [`Error::OutcomeUnknown`]; ask the employee or check Bob
    /// before inviting again. A 403 names
    /// "Features > People > Employees > Invite employees to Bob".
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[0].id.clone();
    /// let wizard = client.onboarding().wizards().await?[0].id;
    /// client.people().invite(&id, wizard).await?;
    /// assert_eq!(fake.invitation(&id), Some(wizard));
    ///
    /// let refused = client.people().invite(&id, 0).await;
    /// assert!(matches!(refused, Err(hibob::Error::InvalidField { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn invite(&self, employee_id: impl Into<EmployeeId>, wizard_id: u64) -> RequestFuture<()> {
        let client = self.client.clone();
        let id = employee_id.into();
        let body = InvitationBody {
            welcome_wizard_id: wizard_id,
        };
        request_future(async move {
            INVITATION
                .send(&client, &[id.as_str()], &(), &body)
                .await
                .map(drop)
        })
    }

    /// Revokes an employee's access to Bob
    /// (`POST /employees/{identifier}/uninvite`, the employee's backend ID).
    /// An unknown employee is [`Error::NotFound`]. Never resent once it may
    /// have reached HiBob ([`Error::OutcomeUnknown`] then). A 403 names
    /// "Features > People > Employees > Revoke employees' access to Bob".
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), hibob::Error> {
    /// # let fake = hibob::testing::FakeHibob::builder().employees(3).start().await;
    /// # let client = fake.client();
    /// let id = fake.truth().employees[1].id.clone();
    /// let wizard = client.onboarding().wizards().await?[0].id;
    /// client.people().invite(&id, wizard).await?;
    /// client.people().uninvite(&id).await?;
    /// assert_eq!(fake.invitation(&id), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn uninvite(&self, employee_id: impl Into<EmployeeId>) -> RequestFuture<()> {
        let client = self.client.clone();
        let id = employee_id.into();
        request_future(async move {
            UNINVITE
                .send(&client, &[id.as_str()], &(), &EmptyBody {})
                .await
                .map(drop)
        })
    }
}
