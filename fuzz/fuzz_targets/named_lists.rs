//! `GET /company/named-lists[/{name}]` bodies, then label resolution.
#![no_main]

use hibob::__private::decode;
use hibob::FieldId;
use hibob::metadata::{FieldCatalog, ListResolver, NamedList, NamedListsResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    let lists = if selector % 2 == 0 {
        decode::<NamedListsResponse>(body).map(|r| r.lists)
    } else {
        decode::<NamedList>(body).map(|l| vec![l])
    };
    if let Ok(lists) = lists {
        let resolver = ListResolver::new(lists);
        let catalog = FieldCatalog::default();
        let _ = resolver.label("department", "1");
        let value = serde_json::json!(["1", 2, null, {"x": 1}]);
        let _ = resolver.resolve(&catalog, &FieldId::custom("work.department"), &value);
    }
});
