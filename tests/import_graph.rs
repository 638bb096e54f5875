#![cfg(not(target_arch = "wasm32"))]
//! No import circles between files (issue 17), in every crate of the workspace: the viewer, the
//! domain, the devserver and the trace generator. Each file is a module; a file depends on the
//! module files its `crate::`, `super::` and child-module paths name. A child that imports an item
//! of its parent's file (the page's state kept in `search.rs`, say) closes a circle with the parent
//! that uses the child, so shared items live in a module of their own below both.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path inside one crate (`["ui", "pages", "search"]`); the crate root is empty.
type Module = Vec<String>;

/// Every `.rs` file under `root` (a crate's `src/`) with its module path.
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(root).unwrap().with_extension("");
            let mut module: Module = relative.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            match module.last().map(String::as_str) {
                Some("lib" | "main") if module.len() == 1 => module.clear(),
                Some("mod") => {
                    module.pop();
                }
                // Binaries beside the library are crates of their own.
                _ if module.first().is_some_and(|m| m == "bin") => return None,
                _ => {}
            }
            Some((module, path))
        })
        .collect()
}

/// The code of a file without comments and without its trailing `#[cfg(test)]` module (whose
/// `super::` means the file itself).
fn code_of(text: &str) -> String {
    let body = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    body.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The paths a `use` tree or an inline path names, from the text right after a path start
/// (`a::b::{c, d::e}` gives `a::b::c` and `a::b::d::e`), as segment lists.
fn paths_from(text: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    tree(&chars, &mut at)
}

fn tree(chars: &[char], at: &mut usize) -> Vec<Vec<String>> {
    let mut prefix = Vec::new();
    loop {
        while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
            *at += 1;
        }
        if chars.get(*at) == Some(&'{') {
            *at += 1;
            let mut out = Vec::new();
            loop {
                for rest in tree(chars, at) {
                    out.push(prefix.iter().cloned().chain(rest).collect());
                }
                while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
                    *at += 1;
                }
                match chars.get(*at) {
                    Some(',') => *at += 1,
                    Some('}') => {
                        *at += 1;
                        break;
                    }
                    _ => break,
                }
                while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
                    *at += 1;
                }
                if chars.get(*at) == Some(&'}') {
                    *at += 1;
                    break;
                }
            }
            return out;
        }
        let start = *at;
        while chars.get(*at).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
            *at += 1;
        }
        let word: String = chars[start..*at].iter().collect();
        if word.is_empty() {
            return vec![prefix];
        }
        prefix.push(word);
        if chars.get(*at) == Some(&':') && chars.get(*at + 1) == Some(&':') {
            *at += 2;
        } else {
            return vec![prefix];
        }
    }
}

/// Which module files each file of a crate depends on.
fn graph(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = modules(root);
    let mut graph = BTreeMap::new();
    for (module, path) in &modules {
        let code = code_of(&std::fs::read_to_string(path).unwrap());
        let children: Vec<Module> =
            modules.keys().filter(|m| m.len() == module.len() + 1 && m.starts_with(module)).cloned().collect();
        let mut named: Vec<Module> = Vec::new();
        for (start, _) in code.match_indices("crate::") {
            let before = code[..start].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            named.extend(paths_from(&code[start + "crate::".len()..]));
        }
        for (start, _) in code.match_indices("super::") {
            let before = code[..start].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base = module.clone();
            let mut rest = &code[start..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            named.extend(paths_from(rest).into_iter().map(|p| base.iter().cloned().chain(p).collect()));
        }
        for child in &children {
            let name = child.last().unwrap();
            let uses_child = code.match_indices(&format!("{name}::")).any(|(start, _)| {
                !code[..start].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            });
            if uses_child {
                named.push(child.clone());
            }
        }
        let mut deps = BTreeSet::new();
        for path in named {
            // The file a path lands in: the longest prefix of it that is a module file.
            let target = (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains_key(p));
            if let Some(target) = target {
                if &target != module {
                    deps.insert(target);
                }
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// The files that lie on a circle (each reaches itself again through its imports), in order.
fn circled(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Module> {
    graph
        .keys()
        .filter(|start| {
            let mut seen = BTreeSet::new();
            let mut todo: Vec<&Module> = graph[*start].iter().collect();
            while let Some(m) = todo.pop() {
                if m == *start {
                    return true;
                }
                if seen.insert(m) {
                    todo.extend(graph.get(m).into_iter().flatten());
                }
            }
            false
        })
        .cloned()
        .collect()
}

fn assert_one_way(crate_dir: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_dir).join("src");
    let graph = graph(&root);
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(graph.len() > 3 && edges > 3, "{crate_dir}: the scan sees files and imports: {graph:?}");
    let stuck = circled(&graph);
    let lines: Vec<String> = stuck
        .iter()
        .map(|m| format!("  {} -> {:?}", m.join("::"), graph[m].iter().map(|d| d.join("::")).collect::<Vec<_>>()))
        .collect();
    assert!(stuck.is_empty(), "{crate_dir}: import circle among:\n{}", lines.join("\n"));
}

#[test]
fn the_viewer_files_import_one_way() {
    assert_one_way(".");
}

#[test]
fn the_domain_files_import_one_way() {
    assert_one_way("domain");
}

#[test]
fn the_devserver_files_import_one_way() {
    assert_one_way("devserver");
}

#[test]
fn the_trace_generator_files_import_one_way() {
    assert_one_way("tracegen");
}

#[test]
fn use_trees_name_each_path() {
    let names = |t: &str| paths_from(t).into_iter().map(|p| p.join("::")).collect::<Vec<_>>();
    assert_eq!(names("store::{Store, StoreSettings}, ui_files};"), ["store::Store", "store::StoreSettings"]);
    assert_eq!(names("{a::{self, B}, c};"), ["a::self", "a::B", "c"]);
    assert_eq!(names("api::backend::Backend;"), ["api::backend::Backend"]);
    assert_eq!(names("ui::browser::mark(\"x\")"), ["ui::browser::mark"]);
}

#[test]
fn a_child_importing_its_parents_item_is_a_circle() {
    let dir = std::env::temp_dir().join(format!("spanscope-import-graph-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("page")).unwrap();
    std::fs::write(dir.join("lib.rs"), "mod page;\n").unwrap();
    std::fs::write(dir.join("page.rs"), "mod form;\npub struct State;\nfn f() { form::draw(); }\n").unwrap();
    std::fs::write(dir.join("page/form.rs"), "use super::State;\npub fn draw() {}\n").unwrap();
    assert_eq!(circled(&graph(&dir)), vec![vec!["page".to_string()], vec!["page".to_string(), "form".to_string()]]);
    // With the state in a file of its own below both, the circle is gone.
    std::fs::write(dir.join("page.rs"), "mod form;\nmod state;\nfn f() { form::draw(); }\n").unwrap();
    std::fs::write(dir.join("page/state.rs"), "pub struct State;\n").unwrap();
    std::fs::write(dir.join("page/form.rs"), "use super::state::State;\npub fn draw() {}\n").unwrap();
    assert!(circled(&graph(&dir)).is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
