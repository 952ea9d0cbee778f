//! `GET /people/{id}/{table}` bodies for each table; the first byte picks it.
#![no_main]

use hibob::__private::decode;
use hibob::tables::{EmploymentEntry, LifecycleEntry, SalaryEntry, TableRows, WorkEntry};
use libfuzzer_sys::fuzz_target;

fn table<E: serde::de::DeserializeOwned + hibob::tables::HistoryEntry + serde::Serialize>(
    body: &[u8],
) {
    if let Ok(table) = decode::<TableRows<E>>(body) {
        let _ = hibob::tables::current(&table.rows);
        if let Some(date) = chrono::NaiveDate::from_ymd_opt(2024, 1, 1) {
            let _ = hibob::tables::in_effect_on(&table.rows, date);
            let _ = hibob::tables::history_hidden(&table.rows, date);
        }
        let _ = serde_json::to_vec(&table.rows);
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
