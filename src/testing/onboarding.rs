//! What the fake keeps for onboarding: the company's welcome wizards, who
//! was invited with which wizard, and the avatars set by URL.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The welcome wizards every fake company has, as `GET /onboarding/wizards`
/// lists them (IDs as numbers, as HiBob's spec draws them).
pub(crate) const WIZARDS: &[(u64, &str, &str)] = &[
    (
        101,
        "Welcome to the company",
        "Profile, documents and first-day tasks",
    ),
    (
        102,
        "Engineering onboarding",
        "Laptop, accounts and a buddy",
    ),
];

/// Onboarding state, beside the company (no table or field of the people
/// model shows it).
#[derive(Debug, Clone, Default)]
pub(crate) struct Onboarding {
    /// Employee ID → the wizard they were invited with (while not revoked).
    pub(crate) invitations: BTreeMap<String, u64>,
    /// Employee ID → the image URL their avatar was set from.
    pub(crate) avatars: BTreeMap<String, String>,
}

/// `GET /onboarding/wizards`' body.
pub(crate) fn wizards_body() -> Value {
    let wizards: Vec<Value> = WIZARDS
        .iter()
        .map(|(id, name, description)| json!({"id": id, "name": name, "description": description}))
        .collect();
    json!({ "wizards": wizards })
}

/// Whether `id` is one of the company's wizards.
pub(crate) fn is_wizard(id: u64) -> bool {
    WIZARDS.iter().any(|(w, _, _)| *w == id)
}
