//! The module rules of ARCHITECTURE.md, checked on the source: no import
//! cycles between top-level modules, and no lower layer importing an API
//! group. Doc comments may link anywhere; only code counts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers that every API group builds on; they never import a group.
const LOWER: &[&str] = &[
    "auth",
    "client",
    "credentials",
    "endpoint",
    "error",
    "models",
    "pager",
    "ratelimit",
    "retry",
    "route",
    "tls",
    "transport",
    "verify",
];

/// HiBob's API groups and the features built on them.
const GROUPS: &[&str] = &[
    "access",
    "custom_tables",
    "directory",
    "metadata",
    "onboarding",
    "people",
    "tables",
    "time_off",
    "webhooks",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/tables/bulk.rs` → `tables`).
fn top_module(path: &Path) -> String {
    let relative = path.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_owned()
}

/// Names re-exported at the crate root, by the module they come from
/// (`pub use client::{Client, …}` → `Client` → `client`).
fn root_reexports(modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut names = BTreeMap::new();
    for line in lib.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        if !modules.contains(module) {
            continue;
        }
        let items = items
            .trim_end_matches(';')
            .trim_matches(|c| c == '{' || c == '}');
        for item in items.split(',') {
            let name = item.split_whitespace().last().unwrap_or_default();
            let name = name.rsplit("::").next().unwrap_or_default();
            if !name.is_empty() {
                names.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    names
}

/// The identifiers right after each `crate::` in some code; a `{…}` group
/// (over several lines, nested or not) gives each of its top-level items.
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => found.extend(top_level_items(group).map(|i| leading_ident(i.trim()))),
            None => found.push(leading_ident(rest)),
        }
    }
    found.retain(|name| !name.is_empty());
    found
}

/// The comma-separated items of a `{…}` group up to its closing brace,
/// nested groups kept inside their item.
fn top_level_items(group: &str) -> impl Iterator<Item = &str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items.into_iter();
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items.into_iter()
}

fn leading_ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Top-level module → the top-level modules its code names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| top_module(f))
        .filter(|m| m != "lib")
        .collect();
    let reexports = root_reexports(&modules);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = top_module(file);
        if from == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code: Vec<&str> = text
            .lines()
            .map(str::trim_start)
            .filter(|l| !l.starts_with("//"))
            .collect();
        for name in crate_paths(&code.join("\n")) {
            let to = if modules.contains(&name) {
                Some(name)
            } else {
                reexports.get(&name).cloned()
            };
            if let Some(to) = to.filter(|to| *to != from) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// A cycle through `start`, if any, as the path of modules.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn no_import_cycles_between_top_level_modules() {
    let graph = module_graph();
    assert!(
        graph.contains_key("transport"),
        "the graph was read: {graph:?}"
    );
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, module) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn no_lower_layer_imports_an_api_group() {
    let graph = module_graph();
    for lower in LOWER {
        for group in graph.get(*lower).into_iter().flatten() {
            assert!(
                !GROUPS.contains(&group.as_str()),
                "`{lower}` (a lower layer) imports the API group `{group}`"
            );
        }
    }
}

#[test]
fn the_checker_sees_grouped_and_reexported_paths() {
    assert_eq!(
        crate_paths("use crate::{Client, Error, tables::Table};"),
        ["Client", "Error", "tables"]
    );
    assert_eq!(
        crate_paths("use crate::{\n    models::{a, b},\n    people,\n};"),
        ["models", "people"]
    );
    assert_eq!(crate_paths("let x = crate::people::SEARCH;"), ["people"]);
    let modules: BTreeSet<String> = ["client", "error"].map(String::from).into();
    let reexports = root_reexports(&modules);
    assert_eq!(reexports.get("Client").map(String::as_str), Some("client"));
    assert_eq!(
        reexports.get("ErrorKind").map(String::as_str),
        Some("error")
    );
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        cycle_from(&graph, "a"),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}
