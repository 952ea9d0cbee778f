//! The people writes (`--writes` with `people`): one throwaway hire is
//! created, updated, given a new e-mail and start date, and terminated last.
//! HiBob has no delete-employee endpoint, so on a sandbox the hire remains.

use chrono::NaiveDate;
use hibob::people::NewEmployee;

use super::*;

/// The tour's hire: named so an admin recognises it in the sandbox.
const FIRST_NAME: &str = "Api";
const SURNAME: &str = "Tour";

impl Tour {
    /// Creates the tour's hire, then runs every other people write on it.
    /// Keeps the hire's ID for the table writes.
    pub(crate) async fn people_writes(&mut self) {
        const CREATE: &str = "POST /people";
        let Some(site) = self.first_site().await else {
            skip("writes", CREATE, "a site from the `site` named list");
            return;
        };
        let stamp = Utc::now().format("%Y%m%d%H%M%S");
        let start = Utc::now().date_naive() + Days::new(60);
        let email = format!("api-tour+{stamp}@example.com");
        self.site = Some(site.clone());
        let hire = NewEmployee::new(FIRST_NAME, SURNAME, &email, site, start);
        let client = self.client.clone();
        let people = client.people();
        let created = self.call("writes", CREATE, people.create(hire).into_future());
        let Some(id) = created.await.and_then(|e| e.id().cloned()) else {
            return;
        };
        println!("writes    created {FIRST_NAME} {SURNAME} <{email}> as {id}");
        self.hire = Some((id.clone(), start));
        let update = people.update(&id).set("root.firstName", "Apitour");
        self.call("writes", "PUT /people/{identifier}", update.into_future())
            .await;
        let new_email = format!("api-tour+{stamp}.moved@example.com");
        let set_email = people.set_email(&id, new_email);
        self.call("writes", "PUT /people/{id}/email", set_email.into_future())
            .await;
        let moved = start + Days::new(1);
        self.hire = Some((id.clone(), moved));
        let set_start = people.set_start_date(&id, moved).reason("api_tour");
        let endpoint = "POST /employees/{employeeId}/start-date";
        self.call("writes", endpoint, set_start.into_future()).await;
        self.access_writes(&id).await;
    }

    /// The avatar, then an invitation with the first welcome wizard and its
    /// revocation, so the hire ends without access to Bob.
    async fn access_writes(&mut self, id: &EmployeeId) {
        const INVITE: &str = "POST /employees/{employeeId}/invitations";
        let client = self.client.clone();
        let people = client.people();
        let avatar = people.set_avatar(id, "https://www.gravatar.com/avatar/?d=identicon");
        self.call("writes", "PUT /avatars/{employeeId}", avatar)
            .await;
        let Some(wizard) = self.wizard else {
            skip("writes", INVITE, "a wizard from GET /onboarding/wizards");
            return;
        };
        self.call("writes", INVITE, people.invite(id, wizard)).await;
        let uninvite = people.uninvite(id);
        self.call("writes", "POST /employees/{identifier}/uninvite", uninvite)
            .await;
    }

    /// Terminates the tour's hire: the last write, after the table writes.
    pub(crate) async fn terminate_hire(&mut self) {
        const TERMINATE: &str = "POST /employees/{identifier}/terminate";
        let Some((id, start)) = self.hire.clone() else {
            skip("writes", TERMINATE, "the hire the people writes created");
            return;
        };
        let on: NaiveDate = start + Days::new(30);
        let terminate = self.client.people().terminate(&id, on);
        self.call("writes", TERMINATE, terminate.into_future())
            .await;
    }

    /// The label of the first active site: the create body takes a site name.
    async fn first_site(&mut self) -> Option<String> {
        let client = self.client.clone();
        let list = client.metadata().named_list("site", false);
        let sites = self
            .call("writes", "GET /company/named-lists/{listName}", list)
            .await?;
        let first = sites.items.into_iter().find(|item| !item.archived)?;
        first.name.or(first.value)
    }
}
