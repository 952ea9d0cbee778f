//! The tour's reads: every typed read endpoint once, per group.

use super::*;

impl Tour {
    pub(crate) async fn people(&mut self) {
        let client = self.client.clone();
        let search = client
            .people()
            .search()
            .fields([field::ID, field::DISPLAY_NAME]);
        let found = self
            .call("people", "POST /people/search", search.into_future())
            .await;
        let id = found.and_then(|f| f.employees.iter().find_map(|e| e.id().cloned()));
        self.employee = self.employee.take().or(id);
        match self.employee.clone() {
            Some(id) => {
                let get = client.people().get(id.as_str());
                self.call("people", "POST /people/{identifier}", get.into_future())
                    .await;
                let avatar = client.people().avatar(id.as_str());
                self.call("people", "GET /avatars/{employeeId}", avatar)
                    .await;
            }
            None => {
                for endpoint in ["POST /people/{identifier}", "GET /avatars/{employeeId}"] {
                    skip("people", endpoint, "an employee ID from the search");
                }
            }
        }
        let wizards = client.onboarding().wizards();
        self.wizard = self
            .call("people", "GET /onboarding/wizards", wizards)
            .await
            .and_then(|w| w.first().map(|w| w.id));
    }

    pub(crate) async fn metadata(&mut self) {
        // The handle borrows its client, the calls borrow the tour.
        let client = self.client.clone();
        let metadata = client.metadata();
        self.call("metadata", "GET /company/people/fields", metadata.fields())
            .await;
        let lists = self
            .call(
                "metadata",
                "GET /company/named-lists",
                metadata.named_lists(false),
            )
            .await;
        match lists.and_then(|lists| lists.into_iter().next()) {
            Some(list) => {
                let one = metadata.named_list(&list.name, false);
                self.call("metadata", "GET /company/named-lists/{listName}", one)
                    .await;
            }
            None => skip(
                "metadata",
                "GET /company/named-lists/{listName}",
                "a list name from the named lists",
            ),
        }
    }

    pub(crate) async fn time_off(&mut self) {
        // The handle borrows its client, the calls borrow the tour.
        let client = self.client.clone();
        let time_off = client.time_off();
        let today = Utc::now().date_naive();
        let month_ago = today - Days::new(30);
        let month_ahead = today + Days::new(30);

        // Requests: the changes feed and who's out name requests and their employees.
        let changes = time_off.changes(month_ago).include_pending(true);
        let changes = self
            .call(
                "time-off",
                "GET /timeoff/requests/changes",
                changes.into_future(),
            )
            .await;
        let whos_out = time_off
            .whos_out(month_ago, month_ahead)
            .include_pending(true);
        let outs = self
            .call("time-off", "GET /timeoff/whosout", whos_out.into_future())
            .await;
        let out_today = self
            .call(
                "time-off",
                "GET /timeoff/outtoday",
                time_off.out_today().into_future(),
            )
            .await;

        let mut known: Option<(EmployeeId, RequestId)> = None;
        for change in changes.iter().flatten() {
            if let (Some(e), Some(r)) = (&change.employee_id, change.request_id) {
                known.get_or_insert((e.clone(), r));
            }
        }
        for out in outs.iter().flatten() {
            if let (Some(e), Some(r)) = (&out.employee_id, out.request_id) {
                known.get_or_insert((e.clone(), r));
            }
        }
        // An employee for the balance and calendar reads: the people search's, else someone out.
        let someone = self
            .employee
            .clone()
            .or_else(|| known.as_ref().map(|(e, _)| e.clone()))
            .or_else(|| {
                out_today
                    .iter()
                    .flatten()
                    .find_map(|o| o.employee_id.clone())
            });
        match known {
            Some((employee, request)) => {
                let read = time_off.request(employee, request);
                self.call(
                    "time-off",
                    "GET /timeoff/employees/{id}/requests/{requestId}",
                    read,
                )
                .await;
            }
            None => skip(
                "time-off",
                "GET /timeoff/employees/{id}/requests/{requestId}",
                "a request ID from the changes feed or who's out",
            ),
        }

        // Policies: the walk from types to names to one policy.
        let types = self
            .call(
                "time-off",
                "GET /timeoff/policy-types",
                time_off.policy_types(),
            )
            .await;
        let policy_type = types.and_then(|t| t.into_iter().next());
        self.policy_type.clone_from(&policy_type);
        if self.employee.is_none() {
            self.employee.clone_from(&someone);
        }
        let needs_type = "a policy type from the policy types";
        match &policy_type {
            Some(name) => {
                self.call(
                    "time-off",
                    "GET /timeoff/policy-types/{policyType}",
                    time_off.policy_type(name),
                )
                .await;
                self.call(
                    "time-off",
                    "GET /timeoff/policy-types/{policyType}/reason-codes",
                    time_off.reason_codes(name),
                )
                .await;
                let names = self
                    .call(
                        "time-off",
                        "GET /timeoff/policies/names",
                        time_off.policy_names(name),
                    )
                    .await;
                match names.and_then(|n| n.into_iter().next()) {
                    Some(policy) => {
                        self.call("time-off", "GET /timeoff/policies", time_off.policy(policy))
                            .await;
                    }
                    None => skip(
                        "time-off",
                        "GET /timeoff/policies",
                        "a policy name from the policy names",
                    ),
                }
            }
            None => {
                for endpoint in [
                    "GET /timeoff/policy-types/{policyType}",
                    "GET /timeoff/policy-types/{policyType}/reason-codes",
                    "GET /timeoff/policies/names",
                    "GET /timeoff/policies",
                ] {
                    skip("time-off", endpoint, needs_type);
                }
            }
        }
        match (&someone, &policy_type) {
            (Some(id), Some(name)) => {
                let balance = time_off.balance(id.clone(), name, today);
                self.call("time-off", "GET /timeoff/employees/{id}/balance", balance)
                    .await;
            }
            (None, _) => skip(
                "time-off",
                "GET /timeoff/employees/{id}/balance",
                "an employee ID",
            ),
            (_, None) => skip(
                "time-off",
                "GET /timeoff/employees/{id}/balance",
                needs_type,
            ),
        }

        // Calendars: the first page of each search is enough.
        let events = time_off.calendar_events(CalendarEventsSearch::new(today, month_ahead));
        self.call(
            "time-off",
            "POST /timeoff/calendars/events/search",
            first_item(events),
        )
        .await;
        match someone {
            Some(id) => {
                let calendars = time_off.employee_calendars(EmployeeCalendarsSearch::new([id]));
                self.call(
                    "time-off",
                    "POST /timeoff/calendars/employees/search",
                    first_item(calendars),
                )
                .await;
            }
            None => skip(
                "time-off",
                "POST /timeoff/calendars/employees/search",
                "an employee ID",
            ),
        }
    }
}
