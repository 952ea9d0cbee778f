//! `POST /people/{identifier}` bodies: a bare object or `{"employees": [...]}`.
#![no_main]

use hibob::__private::decode;
use hibob::people::SingleEmployeeResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(response) = decode::<SingleEmployeeResponse>(body) {
        let employee = response.into_employee();
        let _ = (
            employee.id(),
            employee.reports_to(),
            employee.start_date(),
            employee.human_readable(),
        );
        let _ = serde_json::to_vec(&employee);
    }
});
