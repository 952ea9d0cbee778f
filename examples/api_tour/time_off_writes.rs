//! The time-off writes (`--writes`): submit a request, find it, cancel it.

use super::*;

impl Tour {
    /// `--writes --demo`: submits a one-day request far ahead, finds it in the
    /// changes feed (HiBob's answer carries no ID) and cancels it.
    pub(crate) async fn demo_writes(&mut self) {
        const SUBMIT: &str = "POST /timeoff/employees/{id}/requests";
        const CANCEL: &str = "DELETE /timeoff/employees/{id}/requests/{requestId}";
        let (Some(id), Some(policy_type)) = (self.employee.clone(), self.policy_type.clone())
        else {
            skip(
                "writes",
                SUBMIT,
                "an employee ID and a policy type (run people and time-off)",
            );
            skip("writes", CANCEL, "the submitted request");
            return;
        };
        let client = self.client.clone();
        let time_off = client.time_off();
        // Whole days: HiBob's feed (and the fake's) may date a change by day.
        let since = Utc::now().date_naive();
        let day = Utc::now().date_naive() + Days::new(200);
        let request =
            SubmitTimeOffRequest::days(policy_type, day, day).with_description("api_tour");
        if self
            .call("writes", SUBMIT, time_off.submit(id.clone(), request))
            .await
            .is_none()
        {
            skip("writes", CANCEL, "the submitted request");
            return;
        }
        let changes = time_off.changes(since).include_pending(true).into_future();
        let found = self
            .call("writes", "GET /timeoff/requests/changes", changes)
            .await;
        let submitted = found
            .iter()
            .flatten()
            .filter(|c| c.employee_id.as_ref() == Some(&id) && c.start_date == Some(day))
            .filter_map(|c| c.request_id)
            .max();
        match submitted {
            Some(request) => {
                self.call("writes", CANCEL, time_off.cancel(id, request))
                    .await;
            }
            None => skip(
                "writes",
                CANCEL,
                "the submitted request in the changes feed",
            ),
        }
    }
}
