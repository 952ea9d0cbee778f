//! `GET /people/{id}/{table}` bodies for each table; the first byte picks it.
#![no_main]

use hibob::__private::decode;
use hibob::models::{EmploymentEntry, LifecycleEntry, SalaryEntry, TableValues, WorkEntry};
use libfuzzer_sys::fuzz_target;

fn table<E: serde::de::DeserializeOwned + hibob::models::HistoryEntry + serde::Serialize>(
    body: &[u8],
) {
    if let Ok(table) = decode::<TableValues<E>>(body) {
        let _ = hibob::models::history::current(&table.values);
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(2024, 1, 1) {
            let _ = hibob::models::history::in_effect_on(&table.values, date);
            let _ = hibob::history::history_hidden(&table.values, date);
        }
        let _ = serde_json::to_vec(&table.values);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    match selector % 4 {
        0 => table::<LifecycleEntry>(body),
        1 => table::<EmploymentEntry>(body),
        2 => table::<WorkEntry>(body),
        _ => table::<SalaryEntry>(body),
    }
});
