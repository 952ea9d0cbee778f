//! `GET /bulk/people/{table}` pages.
#![no_main]

use hibob::__private::decode;
use hibob::tables::{BulkPage, LifecycleEntry, WorkEntry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        if let Ok(page) = decode::<BulkPage<WorkEntry>>(body) {
            let _ = (
                page.results.len(),
                page.next_cursor,
                page.errors.len(),
                page.restricted_columns,
            );
        }
    } else if let Ok(page) = decode::<BulkPage<LifecycleEntry>>(body) {
        for error in &page.errors {
            let _ = (&error.employee_id, &error.code, &error.message);
        }
    }
});
