//! `GET /company/people/fields` bodies, then catalog look-ups.
#![no_main]

use hibob::__private::decode;
use hibob::FieldId;
use hibob::metadata::{FieldCatalog, FieldsResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(response) = decode::<FieldsResponse>(body) {
        let catalog = FieldCatalog::new(response.fields);
        for id in ["root.id", "work.department", ""] {
            let id = FieldId::custom(id);
            let _ = (
                catalog.json_path(&id),
                catalog.list_id(&id),
                catalog.category_display_name(&id),
            );
        }
        for meta in catalog.iter() {
            let _ = (
                meta.field_type.as_str(),
                meta.field_type.is_list_like(),
                meta.json_path(),
            );
        }
    }
});
