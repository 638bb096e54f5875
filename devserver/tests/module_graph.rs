//! Issue 17: no import circles between the devserver's files. Reads every `crate::` path in `src/*.rs` and
//! checks that the file graph they make is acyclic, so handlers never import the router that wires them.
use std::collections::{BTreeMap, BTreeSet};

/// The modules each file of `src/` names through `crate::` paths (`use crate::a::X`, `crate::{a, b}`, inline
/// `crate::a::f()`), comments left out.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let code: String = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        let mut used = BTreeSet::new();
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let heads = match rest.strip_prefix('{') {
                Some(group) => group_heads(group),
                None => vec![first_word(rest)],
            };
            used.extend(heads.into_iter().filter(|s| !s.is_empty() && *s != name));
        }
        graph.insert(name, used);
    }
    graph
}

/// The identifier `text` starts with.
fn first_word(text: &str) -> String {
    text.trim_start().split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("").to_string()
}

/// The first segment of each item of a `{a::{X, Y}, b}` group (`group` starts after its `{`): `a`, `b`.
/// Nested groups are skipped by depth, so an inner comma does not start an item.
fn group_heads(group: &str) -> Vec<String> {
    let (mut heads, mut item, mut depth) = (Vec::new(), String::new(), 0usize);
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => heads.push(first_word(&std::mem::take(&mut item))),
            _ if depth == 0 => item.push(c),
            _ => {}
        }
    }
    heads.push(first_word(&item));
    heads
}

/// Kahn's algorithm: the files in an order where each comes after everything it imports, or the files left
/// over (each on a circle or behind one) when there is none.
fn topological(graph: &BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>, Vec<String>> {
    let mut pending: BTreeMap<&str, usize> = graph
        .iter()
        .map(|(file, deps)| (file.as_str(), deps.iter().filter(|d| graph.contains_key(*d)).count()))
        .collect();
    let mut order = Vec::new();
    while let Some(file) = pending.iter().find(|(_, n)| **n == 0).map(|(f, _)| f.to_string()) {
        pending.remove(file.as_str());
        for (other, deps) in graph {
            if deps.contains(&file) {
                if let Some(n) = pending.get_mut(other.as_str()) {
                    *n -= 1;
                }
            }
        }
        order.push(file);
    }
    if pending.is_empty() {
        Ok(order)
    } else {
        Err(pending.keys().map(|f| f.to_string()).collect())
    }
}

#[test]
fn the_files_import_one_way_only() {
    let graph = imports();
    assert!(graph["server"].contains("api") && graph["api"].contains("query"), "the scan sees imports: {graph:?}");
    let order = topological(&graph).unwrap_or_else(|stuck| {
        let edges: Vec<String> = stuck.iter().map(|f| format!("{f} -> {:?}", graph[f])).collect();
        panic!("import circle among {stuck:?}:\n{}", edges.join("\n"))
    });
    // The order a reader can follow, leaves first (printed with `-- --nocapture`).
    let line: Vec<String> = order
        .iter()
        .map(|f| {
            let deps: Vec<&str> = graph[f].iter().map(String::as_str).collect();
            if deps.is_empty() {
                f.clone()
            } else {
                format!("{f}({})", deps.join(","))
            }
        })
        .collect();
    println!("{}", line.join(" "));
    for handler in ["api", "ingest", "links", "sources", "faults"] {
        assert!(!graph[handler].contains("server"), "{handler} imports server: {:?}", graph[handler]);
    }
}

#[test]
fn nested_groups_name_each_module_once() {
    assert_eq!(group_heads("store::{Store, StoreSettings}, ui_files, api};"), ["store", "ui_files", "api"]);
    assert_eq!(group_heads("faults::{self, Faults}}"), ["faults"]);
    assert_eq!(first_word("server::AppState;"), "server");
}

#[test]
fn a_circle_is_reported() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
            .into_iter()
            .map(|(f, deps)| (f.to_string(), deps.into_iter().map(String::from).collect()))
            .collect();
    assert_eq!(topological(&graph), Err(vec!["a".to_string(), "b".into(), "c".into()]));
}
