//! The checks writes make before sending, shared by every API group that
//! writes: values against the company's fields metadata and named lists
//! (both cached per client), and the formats HiBob takes (e-mail, ISO date,
//! ISO 4217 currency, non-blank text). Each refusal is
//! [`Error::InvalidField`] naming the field.

use std::sync::Arc;

use serde_json::Value;

use super::{FieldMeta, ListItem, NamedList};
use crate::error::{FieldProblem, ListHint};
use crate::{Client, Error};

/// The company's fields metadata, from the client's cache while it is fresh.
pub(crate) async fn fields(client: &Client) -> Result<Arc<Vec<FieldMeta>>, Error> {
    let cache = &client.inner.fields_cache;
    if let Some(fields) = cache.fresh::<Vec<FieldMeta>>() {
        return Ok(fields);
    }
    let fields = client.metadata().fields().await?;
    Ok(cache.store(fields))
}

/// Every named list, archived items included (so an archived item is
/// refused with a reason rather than as unknown), from the client's cache
/// while it is fresh.
pub(crate) async fn named_lists(client: &Client) -> Result<Arc<Vec<NamedList>>, Error> {
    let cache = &client.inner.lists_cache;
    if let Some(lists) = cache.fresh::<Vec<NamedList>>() {
        return Ok(lists);
    }
    let lists = client.metadata().named_lists(true).await?;
    Ok(cache.store(lists))
}

/// [`named_lists`], or `None` when the service user may not read them
/// (403): HiBob checks list values itself, so a write whose service user
/// lacks the lists permission goes out unchecked rather than failing on a
/// read it did not ask for.
pub(crate) async fn named_lists_if_permitted(
    client: &Client,
) -> Result<Option<Arc<Vec<NamedList>>>, Error> {
    match named_lists(client).await {
        Ok(lists) => Ok(Some(lists)),
        Err(Error::PermissionDenied { .. }) => {
            tracing::warn!("named lists are not readable; list values are sent unchecked");
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Refuses a list value for `field` unless each of its items is an active
/// item of the named list `list`: one ID or label (a string or a number),
/// an array of them (a multi-list), or `null`, which clears the value and
/// passes. Anything else is a format error naming the list.
pub(crate) fn check_list_value(
    lists: &[NamedList],
    field: &str,
    list: &str,
    value: &Value,
) -> Result<(), Error> {
    let items: &[Value] = match value {
        Value::Array(items) => items,
        Value::Null => &[],
        one => std::slice::from_ref(one),
    };
    for item in items {
        let text = match item {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(Error::InvalidField {
                    field: field.to_owned(),
                    problem: FieldProblem::Format {
                        expected: format!("an item of list `{list}` (ID or label)"),
                    },
                });
            }
        };
        check_list_item(lists, field, list, &text)?;
    }
    Ok(())
}

/// Refuses `value` for `field` unless it is an active item of the named list
/// `list`, matched by item ID or by label (HiBob takes the ID in most
/// bodies, and the label in a few create bodies, such as `work.site`). A
/// miss names the closest active label, compared without case.
pub(crate) fn check_list_item(
    lists: &[NamedList],
    field: &str,
    list: &str,
    value: &str,
) -> Result<(), Error> {
    let refuse = |hint: ListHint| Error::InvalidField {
        field: field.to_owned(),
        problem: FieldProblem::NotInList {
            list: list.to_owned(),
            hint,
        },
    };
    let Some(named) = lists.iter().find(|l| l.name == list) else {
        return Err(refuse(ListHint::NoneClose));
    };
    let mut items = Vec::new();
    flatten(&named.items, &mut items);
    let matches = |item: &&&ListItem| item.id == value || label(item) == Some(value);
    match items.iter().find(matches) {
        Some(item) if !item.archived => Ok(()),
        Some(_) => Err(refuse(ListHint::Archived)),
        None => Err(refuse(
            closest_label(&items, value).map_or(ListHint::NoneClose, ListHint::Closest),
        )),
    }
}

/// An item's label: its name, else its value.
fn label(item: &ListItem) -> Option<&str> {
    item.name.as_deref().or(item.value.as_deref())
}

/// Every item of a (possibly hierarchical) list, parents before children.
fn flatten<'a>(items: &'a [ListItem], into: &mut Vec<&'a ListItem>) {
    for item in items {
        into.push(item);
        flatten(&item.children, into);
    }
}

/// The active label nearest to `wanted` by edit distance, ignoring case;
/// none when even the nearest shares less than half its letters.
fn closest_label(items: &[&ListItem], wanted: &str) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    let (distance, best) = items
        .iter()
        .filter(|item| !item.archived)
        .filter_map(|item| label(item))
        .map(|label| (edit_distance(&label.to_lowercase(), &wanted_lower), label))
        .min_by_key(|(distance, _)| *distance)?;
    let longest = best.chars().count().max(wanted.chars().count());
    (distance * 2 <= longest).then(|| best.to_owned())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Refuses a malformed e-mail address, naming the field.
pub(crate) fn check_email(field: &str, email: &str) -> Result<(), Error> {
    if is_email(email) {
        return Ok(());
    }
    Err(format_error(
        field,
        "an e-mail address (local@domain.tld, no spaces)",
    ))
}

/// One `@`, a non-empty local part, a dotted domain, nothing blank: the
/// shape every address HiBob takes has (not full RFC 5322).
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
}

/// Refuses a blank required text, naming the field.
pub(crate) fn check_text(field: &str, text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(format_error(field, "a non-empty text"));
    }
    Ok(())
}

/// Refuses a value that is neither `null` nor an ISO `YYYY-MM-DD` string.
pub(crate) fn check_date(field: &str, value: &Value) -> Result<(), Error> {
    let ok = value
        .as_str()
        .is_some_and(|s| s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok());
    if ok || value.is_null() {
        return Ok(());
    }
    Err(format_error(field, "a date as \"YYYY-MM-DD\""))
}

/// Refuses anything but an active ISO 4217 code in capitals (`EUR`, not
/// `eur` or `€`): HiBob silently drops a currency it does not know.
pub(crate) fn check_currency(field: &str, code: &str) -> Result<(), Error> {
    if CURRENCIES.binary_search(&code).is_ok() {
        return Ok(());
    }
    Err(format_error(
        field,
        "an ISO 4217 currency code in capitals, such as \"EUR\" or \"USD\"",
    ))
}

fn format_error(field: &str, expected: &str) -> Error {
    Error::InvalidField {
        field: field.to_owned(),
        problem: FieldProblem::Format {
            expected: expected.to_owned(),
        },
    }
}

/// ISO 4217 active codes (list one, 2024 edition), sorted for binary search.
const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF", "XPD", "XPF",
    "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, name: &str, archived: bool) -> ListItem {
        let mut item: ListItem = serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "value": name, "archived": archived
        }))
        .unwrap();
        item.children.clear();
        item
    }

    fn lists() -> Vec<NamedList> {
        let mut engineering = item("2", "Engineering", false);
        engineering.children = vec![item("21", "Platform", false)];
        vec![NamedList::new(
            "department",
            vec![
                item("1", "Sales", false),
                engineering,
                item("3", "Legacy", true),
            ],
        )]
    }

    fn problem(result: Result<(), Error>) -> FieldProblem {
        match result {
            Err(Error::InvalidField { problem, .. }) => problem,
            other => panic!("expected InvalidField, got {other:?}"),
        }
    }

    #[test]
    fn list_values_match_by_id_or_label_at_any_depth() {
        let lists = lists();
        for value in ["1", "Sales", "21", "Platform"] {
            check_list_item(&lists, "department", "department", value).unwrap();
        }
    }

    fn hint(result: Result<(), Error>) -> ListHint {
        match problem(result) {
            FieldProblem::NotInList { hint, .. } => hint,
            other => panic!("not a list problem: {other:?}"),
        }
    }

    #[test]
    fn a_miss_names_the_closest_active_label() {
        let lists = lists();
        let miss = check_list_item(&lists, "department", "department", "enginering");
        assert_eq!(hint(miss), ListHint::Closest("Engineering".into()));
        let far = check_list_item(&lists, "department", "department", "Quantum Physics");
        assert_eq!(hint(far), ListHint::NoneClose);
    }

    #[test]
    fn archived_items_and_unknown_lists_are_refused() {
        let lists = lists();
        let archived = check_list_item(&lists, "department", "department", "Legacy");
        assert_eq!(hint(archived), ListHint::Archived);
        let no_list = check_list_item(&lists, "site", "site", "Paris");
        let message = no_list.unwrap_err().to_string();
        assert!(message.contains("`site`"), "{message}");
    }

    #[test]
    fn currencies_are_iso_4217_capitals() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]), "sorted");
        check_currency("currency", "EUR").unwrap();
        for bad in ["eur", "EURO", "€", "", "ABC"] {
            assert!(check_currency("currency", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_emails() {
        check_date("d", &Value::from("2026-02-28")).unwrap();
        check_date("d", &Value::Null).unwrap();
        for bad in ["2026-2-28", "28/02/2026", "2026-02-30"] {
            assert!(check_date("d", &Value::from(bad)).is_err(), "{bad}");
        }
        check_email("email", "a.b@example.co.uk").unwrap();
        for bad in ["a@b", "a b@example.com", "@example.com", "a@@example.com"] {
            assert!(check_email("email", bad).is_err(), "{bad}");
        }
    }
}
