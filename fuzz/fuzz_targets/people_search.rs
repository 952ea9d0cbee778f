//! `POST /people/search` bodies: decode, then touch every accessor.
#![no_main]

use hibob::__private::decode;
use hibob::people::PeopleSearchResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(response) = decode::<PeopleSearchResponse>(body) {
        for employee in &response.employees {
            let _ = (
                employee.id(),
                employee.first_name(),
                employee.surname(),
                employee.email(),
            );
            let _ = (
                employee.title(),
                employee.department(),
                employee.site(),
                employee.site_id(),
            );
            let _ = (
                employee.start_date(),
                employee.reports_to(),
                employee.manager_id(),
            );
            let _ = (
                employee.employee_id_in_company(),
                employee.internal_status(),
                employee.is_active(),
            );
            let _ = (
                employee.lifecycle_status(),
                employee.termination_date(),
                employee.creation_date_time(),
            );
            let _ = (
                employee.field("work.custom.field_1"),
                employee.field("/work/title"),
                employee.field(""),
            );
            let _ = (
                employee.human_readable_field("work.department"),
                employee.short_date("personal.shortBirthDate"),
            );
            let json = employee.to_json();
            let again =
                hibob::people::Employee::from_value(json.clone()).expect("a normalised employee decodes");
            assert_eq!(again.to_json(), json, "normalisation is idempotent");
        }
    }
});
