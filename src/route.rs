//! Route templates: the shape every route must have, and the interning that
//! lets templates built at run time travel in `Operation` like static ones.
//!
//! Errors and traces carry route templates (`/people/{id}/work`), never
//! concrete URLs. A template built at run time (`format!("/bulk/people/{table}")`)
//! is checked, then interned: stored once for the life of the process and
//! handed out as `&'static str`, so `Operation` stays `Copy` and every log
//! line keeps naming the template. The store is bounded: a caller who puts
//! identifiers into templates instead of `{}` placeholders would otherwise
//! grow it (and leak personal data into logs) with every call.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use crate::Error;

/// Distinct run-time templates a process may intern. HiBob has about 200
/// operations; this leaves room for every one of them several times over.
pub(crate) const MAX_INTERNED: usize = 1_024;

/// Why a template is malformed, or `None` when it is well formed: it starts
/// with `/`, has no whitespace, query or fragment, and every `{name}` is
/// closed, not nested, and named.
pub(crate) fn template_problem(template: &str) -> Option<&'static str> {
    if !template.starts_with('/') {
        return Some("it must start with `/`");
    }
    if template
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Some("it contains whitespace");
    }
    if template.contains(['?', '#']) {
        return Some(
            "it must not contain a query or fragment; pass query parameters with `.query(..)`",
        );
    }
    let mut open = false;
    let mut name_len = 0;
    for c in template.chars() {
        match (c, open) {
            ('{', true) => return Some("it nests `{` inside a placeholder"),
            ('{', false) => (open, name_len) = (true, 0),
            ('}', false) => return Some("it has a `}` without its `{`"),
            ('}', true) if name_len == 0 => return Some("it has an empty placeholder `{}`"),
            ('}', true) => open = false,
            ('/', true) => return Some("it has a placeholder spanning a `/`"),
            (_, true) => name_len += 1,
            _ => {}
        }
    }
    if open {
        return Some("it has a `{` that is never closed");
    }
    None
}

/// A checked template as `&'static str`: static ones as they are, owned
/// ones interned.
pub(crate) fn intern(template: Cow<'static, str>) -> Result<&'static str, Error> {
    if let Some(problem) = template_problem(&template) {
        return Err(Error::invalid(format!(
            "route template `{}` is malformed: {problem}",
            printable(&template)
        )));
    }
    let owned = match template {
        Cow::Borrowed(fixed) => return Ok(fixed),
        Cow::Owned(owned) => owned,
    };
    static INTERNED: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut interned = INTERNED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = interned.get(owned.as_str()) {
        return Ok(known);
    }
    if interned.len() >= MAX_INTERNED {
        return Err(Error::invalid(format!(
            "more than {MAX_INTERNED} distinct run-time route templates; put identifiers in `{{}}` placeholders filled by `.param(..)`, never into the template"
        )));
    }
    // Bounded above: at most MAX_INTERNED templates are ever kept.
    let leaked: &'static str = Box::leak(owned.into_boxed_str());
    interned.insert(leaked);
    Ok(leaked)
}

/// A template cut to 100 characters for an error message.
fn printable(template: &str) -> String {
    template.chars().take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_templates_pass() {
        for ok in ["/people/search", "/people/{id}/work", "/a/{x}/{y}", "/"] {
            assert_eq!(template_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn malformed_templates_are_named() {
        for bad in [
            "people/search",
            "/people/{id",
            "/people/id}",
            "/people/{}",
            "/people/{{id}}",
            "/people/{a/b}",
            "/people/ search",
            "/people?x=1",
            "",
        ] {
            assert!(template_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn run_time_templates_are_interned_once() {
        let a = intern(Cow::Owned(format!("/bulk/people/{}", "training"))).unwrap();
        let b = intern(Cow::Owned("/bulk/people/training".to_owned())).unwrap();
        assert!(std::ptr::eq(a, b), "one copy per distinct template");
        assert!(intern(Cow::Owned("no-slash".to_owned())).is_err());
    }

    #[test]
    fn the_store_of_run_time_templates_is_bounded() {
        let refused = (0..=MAX_INTERNED)
            .map(|i| intern(Cow::Owned(format!("/people/{i}/bounded-test"))))
            .find_map(Result::err)
            .expect("refused before MAX_INTERNED + 1 templates");
        assert!(refused.to_string().contains("placeholders"), "{refused}");
    }
}
